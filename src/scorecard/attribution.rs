//! Attribution: rule findings and people's findings become **errors**, one per case and error
//! point, each attributed to an operator and placed in a month, with the checker's catch or
//! miss.
//!
//! - **One error per case and error point.** Rule findings and accepted people's findings of
//!   the same case and error point are one error; its `sources` lists every source (`rule`,
//!   `double_check`, `spot_check`, `finished_product_check`, `audit`) and `rule_ids` every
//!   rule that found it. Its severity is the most severe of its sources.
//! - **Who made it.** A rule finding counts against the operator its rule's `responsible`
//!   field names, at that field's stage (`entry_operator` -> entry; a custom field -> the
//!   rule's checkpoint). A people's finding counts against the case's operator of its stage.
//!   When the sources disagree, the first in this order decides: rule findings (by rule id),
//!   then people's findings by source (`double_check`, `spot_check`,
//!   `finished_product_check`, `audit`) and row. An error whose case names nobody for the
//!   stage is *unattributed* (counted in the summary, charged to no one).
//! - **Which month.** An error belongs to the month in which its stage was completed (the
//!   stage's timestamp: `registered_at` for intake ... `printed_at` for printing). When that
//!   stage has no timestamp (e.g. a notice never printed), the nearest earlier completed stage
//!   of the case decides, then `received_at`.
//! - **Catches and misses** (error points 1-6 only, the errors double-check exists to catch):
//!   an error with a `double_check` source was **caught**: a catch for the `found_by` of that
//!   finding (the case's checker when empty), in the month of its `found_at` (the case's
//!   `checked_at` when empty). An error without one, on a case that passed double-check (a
//!   checker and `checked_at` are recorded), is a **miss** (error point 7) against the case's
//!   checker, in the month of `checked_at`. Either way the error still counts against the
//!   operator who made it. A returned double-check task is a catch too (see the module
//!   [`super`]).

use polars::prelude::*;

use crate::input::ROW;
use crate::metrics::stage_of;
use crate::rules::Rule;
use crate::schema::{STAGE_FINISHED_FIELDS, STAGE_OPERATOR_FIELDS, STAGES};

/// Order of sources when they disagree about who made an error.
const SOURCE_ORDER: [&str; 5] = [
    "rule",
    "double_check",
    "spot_check",
    "finished_product_check",
    "audit",
];

/// `rule_id, stage`: the stage each rule attributes its findings to.
pub fn rule_stages(rules: &[Rule]) -> PolarsResult<DataFrame> {
    let stage = |r: &Rule| {
        if STAGE_OPERATOR_FIELDS.contains(&r.responsible.as_str()) {
            stage_of(&r.responsible).to_owned()
        } else {
            r.checkpoint.clone()
        }
    };
    df!(
        "rule_id" => rules.iter().map(|r| r.id.clone()).collect::<Vec<_>>(),
        "r_stage" => rules.iter().map(stage).collect::<Vec<_>>(),
    )
}

fn severity_rank(e: Expr) -> Expr {
    when(e.clone().eq(lit("critical")))
        .then(lit(0_i64))
        .when(e.eq(lit("major")))
        .then(lit(1_i64))
        .otherwise(lit(2_i64))
}

fn severity_name(e: Expr) -> Expr {
    when(e.clone().eq(lit(0_i64)))
        .then(lit("critical"))
        .when(e.eq(lit(1_i64)))
        .then(lit("major"))
        .otherwise(lit("minor"))
}

fn source_rank(e: &Expr) -> Expr {
    super::cases(
        SOURCE_ORDER
            .iter()
            .enumerate()
            .map(|(i, s)| (e.clone().eq(lit(*s)), lit(i as i64)))
            .collect(),
        lit(SOURCE_ORDER.len() as i64),
    )
}

/// Every source of every error, in one frame: `case_row, case_id, error_point, severity,
/// stage, operator, source, rule_id, found_by, found_at, source_row`.
pub fn sources(
    rule_findings: &DataFrame,
    rule_stage: &DataFrame,
    people: &DataFrame,
) -> PolarsResult<LazyFrame> {
    let dt = DataType::Datetime(TimeUnit::Milliseconds, None);
    let from_rules = rule_findings
        .clone()
        .lazy()
        .join(
            rule_stage.clone().lazy(),
            [col("rule_id")],
            [col("rule_id")],
            JoinArgs::new(JoinType::Left),
        )
        .select([
            col("row").cast(DataType::UInt64).alias("case_row"),
            col("case_id"),
            col("error_point").cast(DataType::Int64),
            col("severity"),
            col("r_stage").alias("stage"),
            when(col("operator").eq(lit("")))
                .then(lit(NULL).cast(DataType::String))
                .otherwise(col("operator"))
                .alias("operator"),
            lit("rule").alias("source"),
            col("rule_id"),
            lit(NULL).cast(DataType::String).alias("found_by"),
            lit(NULL).cast(dt.clone()).alias("found_at"),
            lit(NULL).cast(DataType::UInt64).alias("source_row"),
        ]);
    let from_people = people.clone().lazy().select([
        col("case_row").cast(DataType::UInt64),
        col("case_id"),
        col("error_point").cast(DataType::Int64),
        col("severity"),
        col("stage"),
        col("operator"),
        col("source"),
        lit(NULL).cast(DataType::String).alias("rule_id"),
        col("found_by"),
        col("found_at").cast(dt),
        col("source_row").cast(DataType::UInt64),
    ]);
    concat([from_rules, from_people], UnionArgs::default())
}

/// Merges the sources into errors (one per case row and error point), with their month
/// timestamp and checker outcome. `cases` is the cases frame (with [`ROW`]).
///
/// Columns: `case_row, case_id, error_point, severity, stage, operator, sources, rule_ids,
/// placed_at, checker, checked_at, checker_outcome` (`catch`, `miss` or empty), `catcher`,
/// `caught_at`.
pub fn merge(all: LazyFrame, cases: &DataFrame) -> LazyFrame {
    let keys = [col("case_row"), col("error_point")];
    let sorted = all
        .with_column(source_rank(&col("source")).alias("prec"))
        .sort(
            ["case_row", "error_point", "prec", "rule_id", "source_row"],
            SortMultipleOptions::default()
                .with_nulls_last(true)
                .with_maintain_order(true),
        );
    let is_dc = col("source").eq(lit("double_check"));
    let merged = sorted.clone().group_by_stable(keys.clone()).agg([
        col("case_id").first(),
        severity_rank(col("severity")).min().alias("sev_rank"),
        // The first source that names an operator decides who made the error and at which stage.
        coalesce(&[
            col("stage").filter(col("operator").is_not_null()).first(),
            col("stage").first(),
        ])
        .alias("stage"),
        col("operator").drop_nulls().first().alias("operator"),
        is_dc.clone().any(true).alias("caught"),
        col("found_by")
            .filter(is_dc.clone())
            .first()
            .alias("dc_found_by"),
        col("found_at").filter(is_dc).first().alias("dc_found_at"),
    ]);
    let source_list = sorted
        .clone()
        .select([
            col("case_row"),
            col("error_point"),
            col("source"),
            col("prec"),
        ])
        .unique_stable_generic(None, UniqueKeepStrategy::First)
        .sort(
            ["case_row", "error_point", "prec"],
            SortMultipleOptions::default().with_maintain_order(true),
        )
        .group_by_stable(keys.clone())
        .agg([col("source").str().join("; ", true).alias("sources")]);
    let rule_list = sorted
        .filter(col("rule_id").is_not_null())
        .select([col("case_row"), col("error_point"), col("rule_id")])
        .unique_stable_generic(None, UniqueKeepStrategy::First)
        .sort(
            ["case_row", "error_point", "rule_id"],
            SortMultipleOptions::default().with_maintain_order(true),
        )
        .group_by_stable(keys.clone())
        .agg([col("rule_id").str().join("; ", true).alias("rule_ids")]);
    let mut info = vec![
        col(ROW).alias("c_row"),
        col("received_at"),
        col("checker").alias("case_checker"),
    ];
    info.extend(STAGE_FINISHED_FIELDS.iter().map(|f| col(*f)));
    let case_info = cases.clone().lazy().select(info);
    // The stage's timestamp, else the nearest earlier completed stage, else received_at.
    let placed = super::cases(
        STAGES
            .iter()
            .enumerate()
            .map(|(i, s)| {
                let mut chain: Vec<Expr> = (0..=i)
                    .rev()
                    .map(|j| col(STAGE_FINISHED_FIELDS[j]))
                    .collect();
                chain.push(col("received_at"));
                (col("stage").eq(lit(*s)), coalesce(&chain))
            })
            .collect(),
        col("received_at"),
    );
    let pre_check = col("error_point")
        .gt_eq(lit(1_i64))
        .and(col("error_point").lt_eq(lit(6_i64)));
    let passed = col("case_checker")
        .is_not_null()
        .and(col("checked_at").is_not_null());
    let outcome = when(pre_check.clone().and(col("caught")))
        .then(lit("catch"))
        .when(pre_check.and(col("caught").not()).and(passed))
        .then(lit("miss"))
        .otherwise(lit(NULL).cast(DataType::String));
    merged
        .join(
            source_list,
            keys.clone(),
            keys.clone(),
            super::left_ordered(),
        )
        .join(rule_list, keys.clone(), keys, super::left_ordered())
        .join(
            case_info,
            [col("case_row")],
            [col("c_row")],
            super::left_ordered(),
        )
        .with_columns([placed.alias("placed_at"), outcome.alias("checker_outcome")])
        .select([
            col("case_row"),
            col("case_id"),
            col("error_point"),
            severity_name(col("sev_rank")).alias("severity"),
            col("stage"),
            col("operator"),
            col("sources"),
            col("rule_ids"),
            col("placed_at"),
            col("case_checker").alias("checker"),
            col("checked_at"),
            col("checker_outcome"),
            when(col("checker_outcome").eq(lit("catch")))
                .then(coalesce(&[col("dc_found_by"), col("case_checker")]))
                .otherwise(lit(NULL).cast(DataType::String))
                .alias("catcher"),
            when(col("checker_outcome").eq(lit("catch")))
                .then(coalesce(&[col("dc_found_at"), col("checked_at")]))
                .otherwise(lit(NULL).cast(DataType::Datetime(TimeUnit::Milliseconds, None)))
                .alias("caught_at"),
        ])
        .sort(
            ["case_row", "error_point"],
            SortMultipleOptions::default().with_maintain_order(true),
        )
}
