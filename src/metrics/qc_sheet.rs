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
    // One group-by per responsible field (six at most), aggregating every rule of that field
    // at once; then one small block of rows per rule. `count` counts the cases where the
    // rule applied (status not null); groups where it applied to none are left out.
    let mut fields: Vec<&str> = Vec::new();
    for rule in rules {
        if !fields.contains(&rule.responsible.as_str()) {
            fields.push(rule.responsible.as_str());
        }
    }
    let mut parts = Vec::new();
    for field in fields {
        let mine: Vec<(usize, &Rule)> = rules
            .iter()
            .enumerate()
            .filter(|(_, r)| r.responsible == field)
            .collect();
        let grouped = frame
            .clone()
            .lazy()
            .group_by([
                col(field).fill_null(lit("(none)")).alias("operator"),
                change_type
                    .clone()
                    .fill_null(lit("(none)"))
                    .alias("change_type"),
            ])
            .agg(
                mine.iter()
                    .flat_map(|(i, _)| {
                        let s = col(status_column(*i).as_str());
                        [
                            s.clone()
                                .count()
                                .cast(DataType::UInt64)
                                .alias(format!("c{i}").as_str()),
                            s.cast(DataType::UInt64)
                                .sum()
                                .alias(format!("f{i}").as_str()),
                        ]
                    })
                    .collect::<Vec<_>>(),
            )
            .collect()?;
        for (i, rule) in mine {
            let stage_rank = STAGES
                .iter()
                .position(|c| *c == rule.checkpoint)
                .unwrap_or(STAGES.len()) as u32;
            let (checked, failed) = (format!("c{i}"), format!("f{i}"));
            parts.push(
                grouped
                    .clone()
                    .lazy()
                    .filter(col(checked.as_str()).gt(lit(0_u64)))
                    .select([
                        lit(stage_rank).alias("__stage"),
                        lit(rule.checkpoint.as_str()).alias("checkpoint"),
                        lit(rule.id.as_str()).alias("rule_id"),
                        lit(i64::from(rule.error_point)).alias("error_point"),
                        lit(rule.severity.name()).alias("severity"),
                        col("operator"),
                        col("change_type"),
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
