//! Compiling rules into polars expressions.
//!
//! Each rule becomes a [`Check`]: boolean expressions saying whether the rule applies to a case
//! and whether the case fails it, plus text expressions for the finding's `expected` and
//! `actual` columns (evaluated only on failing cases). [`status_expr`] folds a check and the
//! rule's `when` into one nullable boolean column: null = not applicable, false = passed,
//! true = failed. All rules' status columns are then computed in one `select`.
//!
//! Types in expressions: money is `Int64` cents; dates and timestamps are compared as `Int64`
//! milliseconds since 1970-01-01 00:00 local time (a date is its midnight).

use polars::prelude::*;

use super::working_time::WorkingClock;
use crate::config::reader::FieldCatalog;
use crate::input::reference::{AuthorityMatrix, Roster};
use crate::rules::{Condition, Literal, Rule};
use crate::schema::FieldType;

/// What a rule needs at compile time besides its own parameters.
pub struct CompileCtx<'a> {
    /// Field types of the cases table.
    pub catalog: &'a FieldCatalog,
    /// The authority matrix, when the data folder has one.
    pub authority: Option<&'a AuthorityMatrix>,
    /// The operator roster, when the data folder has one.
    pub roster: Option<&'a Roster>,
    /// The working clock of the data folder's calendar, for working-time limits
    /// (`duration` in working units, `cycle_time`); covers the dates of the cases.
    pub clock: Option<&'a WorkingClock>,
}

impl CompileCtx<'_> {
    /// The type of a field (rules are validated, so it exists).
    #[must_use]
    pub fn ty(&self, field: &str) -> FieldType {
        self.catalog.get(field).unwrap_or(FieldType::Text)
    }
}

/// A compiled check (see the module docs).
#[derive(Debug, Clone)]
pub struct Check {
    /// True when the kind can judge the case (e.g. both sides of a comparison present).
    pub applies: Expr,
    /// True when the case fails; only looked at where `applies` holds.
    pub fails: Expr,
    /// Text for the `expected` column.
    pub expected: Expr,
    /// Text for the `actual` column.
    pub actual: Expr,
    /// The `field` column: the field(s) the finding is about.
    pub field: String,
}

/// The rule's status column: null = not applicable, false = passed, true = failed.
pub fn status_expr(rule: &Rule, check: &Check) -> Expr {
    let applies = when_expr(&rule.when).and(check.applies.clone());
    when(applies)
        .then(check.fails.clone().fill_null(lit(false)))
        .otherwise(lit(NULL).cast(DataType::Boolean))
}

/// The rule's `when` as a boolean expression (true when there are no conditions).
pub fn when_expr(conditions: &[Condition]) -> Expr {
    conditions
        .iter()
        .map(|c| match c {
            Condition::OneOf { field, ty, values } => one_of(field, *ty, values),
            Condition::Present(fields) => all(fields.iter().map(|f| col(f.as_str()).is_not_null())),
            Condition::Absent(fields) => all(fields.iter().map(|f| col(f.as_str()).is_null())),
        })
        .fold(lit(true), Expr::and)
        .fill_null(lit(false))
}

/// `field` equals one of `values` (false when the field is empty).
pub fn one_of(field: &str, ty: FieldType, values: &[Literal]) -> Expr {
    values
        .iter()
        .map(|v| value_expr(field, ty).eq(literal_expr(v)))
        .reduce(Expr::or)
        .unwrap_or(lit(false))
        .fill_null(lit(false))
}

fn all(exprs: impl Iterator<Item = Expr>) -> Expr {
    exprs.fold(lit(true), Expr::and)
}

/// A field as a comparable value: temporal fields become `Int64` milliseconds.
pub fn value_expr(field: &str, ty: FieldType) -> Expr {
    let c = col(field);
    match ty {
        FieldType::Date => c.cast(DataType::Int32).cast(DataType::Int64) * lit(86_400_000_i64),
        FieldType::DateTime => c.cast(DataType::Int64),
        _ => c,
    }
}

/// A literal in the same domain as [`value_expr`].
pub fn literal_expr(value: &Literal) -> Expr {
    match value {
        Literal::Text(s) => lit(s.as_str()),
        Literal::Int(i) | Literal::Money(i) => lit(*i),
        Literal::Bool(b) => lit(*b),
        Literal::Date(d) => lit(d
            .and_hms_opt(0, 0, 0)
            .expect("midnight")
            .and_utc()
            .timestamp_millis()),
        Literal::DateTime(t) => lit(t.and_utc().timestamp_millis()),
    }
}

/// A field written as text for the `expected`/`actual` columns; empty is `(empty)`.
pub fn display_expr(field: &str, ty: FieldType) -> Expr {
    let c = col(field);
    let text = match ty {
        FieldType::Text => c,
        FieldType::Integer | FieldType::Bool => c.cast(DataType::String),
        FieldType::Money => cents_text(c),
        FieldType::Date => c.dt().strftime("%Y-%m-%d"),
        FieldType::DateTime => c.dt().strftime("%Y-%m-%d %H:%M:%S"),
    };
    text.fill_null(lit("(empty)"))
}

/// Integer cents as `-12.34`.
pub fn cents_text(c: Expr) -> Expr {
    let abs = c.clone().abs();
    let frac = abs.clone() % lit(100_i64);
    concat_str(
        [
            when(c.lt(lit(0_i64))).then(lit("-")).otherwise(lit("")),
            (abs / lit(100_i64)).cast(DataType::String),
            lit("."),
            when(frac.clone().lt(lit(10_i64)))
                .then(lit("0"))
                .otherwise(lit("")),
            frac.cast(DataType::String),
        ],
        "",
        false,
    )
}

/// Text `name value` for labelled values in `actual` columns, e.g. `checked_at 2026-10-05 10:00:00`.
pub fn labelled(field: &str, ty: FieldType) -> Expr {
    concat_str([lit(field), display_expr(field, ty)], " ", false)
}
