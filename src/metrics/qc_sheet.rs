//! The daily QC sheet: per checkpoint, rule, error point, operator and change type, the cases
//! checked (the rule applied), the cases failed and the error rate.

use polars::prelude::*;

use crate::engine::evaluate::status_column;
use crate::rules::Rule;
use crate::schema::STAGES;

/// The QC sheet's columns.
pub const COLUMNS: [&str; 9] = [
    "checkpoint",
    "rule_id",
    "error_point",
    "severity",
    "operator",
    "change_type",
    "cases_checked",
    "cases_failed",
    "error_rate",
];

/// Builds the QC sheet. Rows where the rule applied to no case are left out. Sorted by
/// checkpoint (stage order), rule, operator and change type.
pub fn qc_sheet(frame: &DataFrame, rules: &[Rule]) -> PolarsResult<DataFrame> {
    let change_type = if frame
        .get_column_names()
        .iter()
        .any(|c| c.as_str() == "change_type")
    {
        col("change_type")
    } else {
        lit(NULL).cast(DataType::String)
    };
    let mut parts = Vec::new();
    for (i, rule) in rules.iter().enumerate() {
        let s = col(status_column(i).as_str());
        let stage_rank = STAGES
            .iter()
            .position(|c| *c == rule.checkpoint)
            .unwrap_or(STAGES.len()) as u32;
        parts.push(
            frame
                .clone()
                .lazy()
                .filter(s.clone().is_not_null())
                .group_by([
                    col(rule.responsible.as_str())
                        .fill_null(lit("(none)"))
                        .alias("operator"),
                    change_type
                        .clone()
                        .fill_null(lit("(none)"))
                        .alias("change_type"),
                ])
                .agg([
                    s.clone()
                        .count()
                        .cast(DataType::UInt64)
                        .alias("cases_checked"),
                    s.cast(DataType::UInt64).sum().alias("cases_failed"),
                ])
                .select([
                    lit(stage_rank).alias("__stage"),
                    lit(rule.checkpoint.as_str()).alias("checkpoint"),
                    lit(rule.id.as_str()).alias("rule_id"),
                    lit(i64::from(rule.error_point)).alias("error_point"),
                    lit(rule.severity.name()).alias("severity"),
                    col("operator"),
                    col("change_type"),
                    col("cases_checked"),
                    col("cases_failed"),
                    (col("cases_failed").cast(DataType::Float64)
                        / col("cases_checked").cast(DataType::Float64))
                    .alias("error_rate"),
                ]),
        );
    }
    if parts.is_empty() {
        return Ok(DataFrame::empty());
    }
    concat(parts, UnionArgs::default())?
        .sort(
            ["__stage", "rule_id", "operator", "change_type"],
            SortMultipleOptions::default().with_maintain_order(true),
        )
        .select(COLUMNS.iter().map(|c| col(*c)).collect::<Vec<_>>())
        .collect()
}
