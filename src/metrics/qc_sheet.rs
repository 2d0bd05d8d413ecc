//! The daily QC sheet: per checkpoint, rule, error point, operator and change type, the cases
//! checked (the rule applied), the cases failed and the error rate.

use polars::prelude::*;

use super::rates::OperatorGroups;
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

/// Builds the QC sheet from the per-operator groups (see [`OperatorGroups`]): each rule's
/// rows are cut from its responsible field's groups; an empty operator or change type is
/// shown as `(none)`. Rows where the rule applied to no case are left out. Sorted by
/// checkpoint (stage order), rule, operator and change type.
pub fn qc_sheet_from(groups: &[OperatorGroups], rules: &[Rule]) -> PolarsResult<DataFrame> {
    let mut parts = Vec::new();
    for g in groups {
        for &i in &g.rules {
            let rule = &rules[i];
            let stage_rank = STAGES
                .iter()
                .position(|c| *c == rule.checkpoint)
                .unwrap_or(STAGES.len()) as u32;
            let (checked, failed) = (format!("c{i}"), format!("f{i}"));
            parts.push(
                g.df.clone()
                    .lazy()
                    // polars 0.55's CSE can hoist a literal into a one-row column (see
                    // findings.rs); off for these small frames.
                    .with_comm_subexpr_elim(false)
                    .filter(col(checked.as_str()).gt(lit(0_u64)))
                    .select([
                        lit(stage_rank).alias("__stage"),
                        lit(rule.checkpoint.as_str()).alias("checkpoint"),
                        lit(rule.id.as_str()).alias("rule_id"),
                        lit(i64::from(rule.error_point)).alias("error_point"),
                        lit(rule.severity.name()).alias("severity"),
                        col("operator").fill_null(lit("(none)")),
                        col("change_type").fill_null(lit("(none)")),
                        col(checked.as_str()).alias("cases_checked"),
                        col(failed.as_str()).alias("cases_failed"),
                        (col(failed.as_str()).cast(DataType::Float64)
                            / col(checked.as_str()).cast(DataType::Float64))
                        .alias("error_rate"),
                    ]),
            );
        }
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
