//! The findings table: one row per failing case and rule, each explaining itself.
//!
//! Columns: `case_id, rule_id, checkpoint, error_point, severity, operator, field, expected,
//! actual, message, rule_source` (+ `row`, the case's row in its file). Sorted by case, rule
//! and row, so output is the same whatever the thread count.

use polars::prelude::*;

use super::compile::{Check, CompileCtx, display_expr};
use super::evaluate::status_column;
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

/// Gathers the failing (case, rule) pairs of an evaluated frame.
pub fn gather(
    frame: &DataFrame,
    rules: &[Rule],
    checks: &[Check],
    ctx: &CompileCtx<'_>,
) -> PolarsResult<DataFrame> {
    let mut parts = Vec::with_capacity(rules.len());
    for (i, (rule, check)) in rules.iter().zip(checks).enumerate() {
        let failing = frame
            .clone()
            .lazy()
            .filter(col(status_column(i).as_str()).eq(lit(true)));
        parts.push(
            failing.select([
                col("case_id").fill_null(lit("")).alias("case_id"),
                lit(rule.id.as_str()).alias("rule_id"),
                lit(rule.checkpoint.as_str()).alias("checkpoint"),
                lit(i64::from(rule.error_point)).alias("error_point"),
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
            ]),
        );
    }
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
