//! Training hints: for each team, the error points where its errors cluster (Pareto), each
//! with the operators who account for most of it.
//!
//! The month's errors attributed to the team's operators, plus its checkers' misses counted
//! as error point 7, are counted per error point. Points are sorted by count (then number);
//! `cumulative_share` adds up their shares; a point is a **focus** point when the points
//! before it make up less than `training.pareto_share` of the team's errors (so the focus
//! points are the fewest that reach the share). For each point, `top_operators` lists the
//! operators with the most of its errors, most first (ties by id), as `OP017 (3)`, until
//! they reach the same share of that point's errors or `training.max_operators` are listed;
//! `top_operators_share` is the share they account for.

use polars::prelude::*;

use crate::schema::ERROR_POINTS;

/// `events` has one row per error: `team, operator, error_point`.
pub fn hints(events: LazyFrame, share: f64, max_ops: usize) -> PolarsResult<DataFrame> {
    let titles = df!(
        "t_point" => ERROR_POINTS.iter().map(|e| i64::from(e.0)).collect::<Vec<_>>(),
        "error_point_title" => ERROR_POINTS.iter().map(|e| e.1).collect::<Vec<_>>(),
    )?;
    let ev = events.filter(col("team").is_not_null().and(col("operator").is_not_null()));
    let points = ev
        .clone()
        .group_by([col("team"), col("error_point")])
        .agg([len().cast(DataType::Int64).alias("errors")])
        .sort(
            ["team", "errors", "error_point"],
            SortMultipleOptions::default()
                .with_order_descending_multi([false, true, false])
                .with_maintain_order(true),
        )
        .with_column(
            (col("errors").cast(DataType::Float64)
                / col("errors")
                    .sum()
                    .over([col("team")])?
                    .cast(DataType::Float64))
            .alias("share"),
        )
        .with_column(
            col("share")
                .cum_sum(false)
                .over([col("team")])?
                .alias("cumulative_share"),
        )
        .with_column(
            // Points before this one make up less than the share (a small tolerance keeps
            // exact fractions like 0.8 from being lost to rounding).
            (col("cumulative_share") - col("share"))
                .lt(lit(share - 1e-9))
                .alias("focus"),
        );
    let ops = ev
        .group_by([col("team"), col("error_point"), col("operator")])
        .agg([len().cast(DataType::Int64).alias("n")])
        .sort(
            ["team", "error_point", "n", "operator"],
            SortMultipleOptions::default()
                .with_order_descending_multi([false, false, true, false])
                .with_maintain_order(true),
        )
        .with_columns([
            (col("n").cast(DataType::Float64)
                / col("n")
                    .sum()
                    .over([col("team"), col("error_point")])?
                    .cast(DataType::Float64))
            .alias("op_share"),
            col("n")
                .cum_count(false)
                .over([col("team"), col("error_point")])?
                .alias("pos"),
        ])
        .with_column(
            col("op_share")
                .cum_sum(false)
                .over([col("team"), col("error_point")])?
                .alias("op_cum"),
        )
        .filter(
            (col("op_cum") - col("op_share"))
                .lt(lit(share - 1e-9))
                .and(col("pos").lt_eq(lit(max_ops as u32))),
        )
        .group_by_stable([
            col("team").alias("o_team"),
            col("error_point").alias("o_point"),
        ])
        .agg([
            concat_str(
                [
                    col("operator"),
                    lit(" ("),
                    col("n").cast(DataType::String),
                    lit(")"),
                ],
                "",
                false,
            )
            .str()
            .join(", ", true)
            .alias("top_operators"),
            col("op_share").sum().alias("top_operators_share"),
        ]);
    points
        .join(
            ops,
            [col("team"), col("error_point")],
            [col("o_team"), col("o_point")],
            super::left_ordered(),
        )
        .join(
            titles.lazy(),
            [col("error_point")],
            [col("t_point")],
            super::left_ordered(),
        )
        .select([
            col("team"),
            col("error_point"),
            col("error_point_title"),
            col("errors"),
            col("share").round(4, RoundMode::HalfAwayFromZero),
            col("cumulative_share").round(4, RoundMode::HalfAwayFromZero),
            col("focus"),
            col("top_operators"),
            col("top_operators_share").round(4, RoundMode::HalfAwayFromZero),
        ])
        .collect()
}
