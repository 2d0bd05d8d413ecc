//! The rule pack as SQL (`policyqc sql`, issue 18): the same checks the native engine
//! evaluates, written for `DuckDB` (Spark SQL and Trino to come).
//!
//! The approach: every structured rule already compiles to a
//! [`Check`](crate::engine::compile::Check) of polars expressions; [`expr`] writes those
//! expressions as SQL, node by node, so the SQL cannot drift from the native engine rule
//! kind by rule kind. Lookup tables the checks hold as literal series (the working clock's
//! day table built from the calendar, the roster's ids, levels and roles) become tables of
//! their own. `expr` rules translate through [`script`] when their rhai stays in the subset.
//! [`typing`] reads and types the cases file in SQL as the reader does; [`pack`] puts the
//! script together. `tests/sql` runs it on `DuckDB` and Spark against `policyqc check`.

pub mod error;
pub mod expr;
pub mod pack;
pub mod script;
pub mod typing;

use polars::prelude::*;

use crate::engine::compile::{Check, CompileCtx, status_expr, when_expr};
use crate::rules::{Kind, Rule};

/// A rule's status (null = not applicable, false = passed, true = failed) and its
/// finding's expected and actual text, as polars expressions for [`expr::Writer`]: the
/// structured kinds' compiled checks, and `expr` rules through [`script::translate`].
pub fn rule_exprs(
    rule: &Rule,
    ctx: &CompileCtx<'_>,
) -> Result<(Expr, Check), expr::Untranslatable> {
    let why = |e: PolarsError| expr::Untranslatable {
        node: e.to_string(),
    };
    if let Some(check) = rule.kind.compile(ctx).map_err(why)? {
        return Ok((status_expr(rule, &check), check));
    }
    let Kind::Expr(p) = &rule.kind else {
        unreachable!("only expr rules compile to no check")
    };
    let ok = script::translate(&p.source, ctx.catalog)?;
    // As the script evaluator: judged where the rule's `when` holds and every field the
    // expression names is present; fails where the expression is false.
    let present = p
        .fields
        .iter()
        .map(|f| col(f.as_str()).is_not_null())
        .fold(lit(true), Expr::and);
    let status = when(when_expr(&rule.when).and(present))
        .then(ok.not())
        .otherwise(lit(NULL).cast(DataType::Boolean));
    Ok((status, crate::engine::evaluate::script_check(rule, ctx)))
}
