//! The findings table: one row per failing case and rule, each explaining itself.
//!
//! Columns: `case_id, rule_id, checkpoint, error_point, severity, operator, field, expected,
//! actual, message, rule_source` (+ `row`, the case's row in its file). Sorted by case, rule
//! and row, so output is the same whatever the thread count.

use polars::prelude::*;

use super::compile::{Check, CompileCtx, display_expr};
use super::status::status_column;
use super::working_time::WorkingClock;
use crate::input::ROW;
use crate::rules::{Rule, message_placeholders};

/// The findings columns, in output order.
pub const COLUMNS: [&str; 12] = [
    "case_id",
    "rule_id",
    "checkpoint",
    "error_point",
    "severity",
    "operator",
    "field",
    "expected",
    "actual",
    "message",
    "rule_source",
    "row",
];

/// A rule's finding columns ([`COLUMNS`], named), over a frame of typed cases with [`ROW`]:
/// what `findings.csv` holds for each case the rule fails (also written as SQL by
/// `policyqc sql`).
pub(crate) fn finding_exprs(rule: &Rule, check: &Check, ctx: &CompileCtx<'_>) -> [Expr; 12] {
    [
        col("case_id").fill_null(lit("")).alias("case_id"),
        lit(rule.id.as_str()).alias("rule_id"),
        lit(rule.checkpoint.as_str()).alias("checkpoint"),
        // A typed literal: a bare one would be a dynamic integer, Int32 in the frame.
        lit(i64::from(rule.error_point))
            .cast(DataType::Int64)
            .alias("error_point"),
        lit(rule.severity.name()).alias("severity"),
        col(rule.responsible.as_str())
            .fill_null(lit(""))
            .alias("operator"),
        lit(check.field.as_str()).alias("field"),
        check.expected.clone().fill_null(lit("")).alias("expected"),
        check.actual.clone().fill_null(lit("")).alias("actual"),
        message_expr(&rule.message, check, ctx).alias("message"),
        lit(rule.source.to_string()).alias("rule_source"),
        col(ROW).alias("row"),
    ]
}

/// Gathers the failing (case, rule) pairs of an evaluated frame.
pub fn gather(
    frame: &DataFrame,
    rules: &[Rule],
    checks: &[Check],
    ctx: &CompileCtx<'_>,
) -> PolarsResult<DataFrame> {
    // Each rule's finding columns, over its failing cases only.
    let columns: Vec<(usize, [Expr; 12])> = rules
        .iter()
        .zip(checks)
        .enumerate()
        .map(|(i, (rule, check))| (i, finding_exprs(rule, check, ctx)))
        .collect();
    // A few percent of cases fail anything: cut the frame down to them, and to the columns
    // the findings read, once; each rule then picks its failures from that small frame.
    let failed = |i: usize| col(status_column(i).as_str()).eq(lit(true));
    // The columns a finding reads: the rules' fields (`Rule::fields`: what the kind, its
    // `when`, its responsible operator and its message read), the statuses, and the
    // evaluator's own columns (working clocks, `expr` results).
    let mut needed: Vec<String> = vec![String::from("case_id"), String::from(ROW)];
    needed.extend(rules.iter().flat_map(Rule::fields));
    needed.extend((0..rules.len()).map(status_column));
    needed.extend(
        frame
            .get_column_names()
            .iter()
            .filter(|c| WorkingClock::is_clock_column(c) || c.starts_with("__script"))
            .map(ToString::to_string),
    );
    needed.sort();
    needed.dedup();
    needed.retain(|c| frame.column(c).is_ok());
    let any = (0..rules.len())
        .map(|i| failed(i).fill_null(lit(false)))
        .reduce(Expr::or)
        .unwrap_or(lit(false));
    // The rows are found on the statuses alone and then gathered (a filter of the text
    // columns would first measure their whole buffers).
    let rows = frame
        .clone()
        .lazy()
        .with_row_index("__i", None)
        .filter(any)
        .select([col("__i")])
        .collect()?;
    let failing = frame
        .select(needed.iter().map(String::as_str))?
        .take(rows.column("__i")?.idx()?)?;
    let parts: Vec<LazyFrame> = columns
        .into_iter()
        // Common-subexpression elimination is off: on a frame this small, polars 0.55 can
        // hoist a literal into a one-row column and fail on the height (a debug assertion).
        .map(|(i, exprs)| {
            failing
                .clone()
                .lazy()
                .with_comm_subexpr_elim(false)
                .filter(failed(i))
                .select(exprs)
        })
        .collect();
    if parts.is_empty() {
        return empty();
    }
    concat(parts, UnionArgs::default())?
        .sort(
            ["case_id", "rule_id", "row"],
            SortMultipleOptions::default().with_maintain_order(true),
        )
        .collect()
}

fn empty() -> PolarsResult<DataFrame> {
    let cols: Vec<Column> = COLUMNS
        .iter()
        .map(|c| {
            let dt = match *c {
                "error_point" => DataType::Int64,
                "row" => DataType::UInt64,
                _ => DataType::String,
            };
            Column::new_empty((*c).into(), &dt)
        })
        .collect();
    DataFrame::new_infer_height(cols)
}

/// The message template with `{actual}`, `{expected}` and `{field}` filled in.
fn message_expr(template: &str, check: &Check, ctx: &CompileCtx<'_>) -> Expr {
    let mut pieces = Vec::new();
    let mut rest = template;
    for name in message_placeholders(template) {
        let token = format!("{{{name}}}");
        let Some(at) = rest.find(&token) else { break };
        pieces.push(lit(rest[..at].to_owned()));
        pieces.push(
            match name.as_str() {
                "actual" => check.actual.clone(),
                "expected" => check.expected.clone(),
                field => display_expr(field, ctx.ty(field)),
            }
            .fill_null(lit("")),
        );
        rest = &rest[at + token.len()..];
    }
    pieces.push(lit(rest.to_owned()));
    concat_str(pieces, "", false)
}
