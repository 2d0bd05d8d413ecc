//! What operators did in the month: stages completed (from `cases`), and, when the data folder
//! has a task list, handling times, returned work (rework caused) and returned double-checks.

use polars::prelude::*;

use crate::engine::working_time::{WorkingClock, hours};
use crate::schema::FieldType;

use super::Month;
use crate::calendar::Calendar;
use crate::input::ROW;
use crate::schema::{STAGE_FINISHED_FIELDS, STAGE_OPERATOR_FIELDS, STAGES};

/// True when the timestamp `e` lies in the month (false when empty).
pub(crate) fn in_month(e: Expr, m: Month) -> Expr {
    let ms = e.cast(DataType::Int64);
    ms.clone()
        .gt_eq(lit(m.start_ms()))
        .and(ms.lt(lit(m.end_ms())))
        .fill_null(lit(false))
}

/// Every (case, stage) of the cases table in long form: `case_row, case_id, stage, operator,
/// completed_at` (the stage's operator field and completion timestamp; either may be empty).
pub fn stage_work(cases: &DataFrame) -> LazyFrame {
    let parts: Vec<LazyFrame> = STAGES
        .iter()
        .zip(STAGE_OPERATOR_FIELDS.iter().zip(STAGE_FINISHED_FIELDS))
        .map(|(stage, (op, done))| {
            cases.clone().lazy().select([
                col(ROW).alias("case_row"),
                col("case_id"),
                lit(*stage).alias("stage"),
                col(*op).alias("operator"),
                col(done).alias("completed_at"),
            ])
        })
        .collect();
    concat(parts, UnionArgs::default()).expect("six frames of one schema")
}

/// Cases handled per operator: stages completed in the month, in total and per stage
/// (`cases_handled, cases_intake, ..., cases_printing`). A case counts once per stage worked.
pub fn cases_handled(work: LazyFrame, m: Month) -> LazyFrame {
    let mut aggs = vec![len().cast(DataType::Int64).alias("cases_handled")];
    aggs.extend(STAGES.iter().map(|s| {
        col("stage")
            .eq(lit(*s))
            .cast(DataType::Int64)
            .sum()
            .alias(format!("cases_{s}").as_str())
    }));
    work.filter(
        col("operator")
            .is_not_null()
            .and(in_month(col("completed_at"), m)),
    )
    .group_by([col("operator")])
    .agg(aggs)
}

/// Adds `out` = working hours from `from` to `to` (two timestamp columns), by the working
/// clock of [`crate::engine::working_time`] (the same arithmetic as `policyqc cycle`).
pub fn with_working_hours(
    lf: LazyFrame,
    from: &str,
    to: &str,
    out: &str,
    cal: &Calendar,
) -> PolarsResult<LazyFrame> {
    let df = lf.collect()?;
    let clock = WorkingClock::covering(cal.clone(), &[&df], &[])?;
    let seconds = |c: &str| clock.field_seconds(c, FieldType::DateTime);
    Ok(df
        .lazy()
        .with_column(hours(seconds(to) - seconds(from)).alias(out)))
}

/// Per operator, over the tasks they completed in the month: `tasks_completed`,
/// `handling_mean_hours`, `handling_p90_hours` (started -> completed in working hours; tasks
/// without a start are counted but not timed; tasks that complete before they start are left
/// out and reported by the caller). p90 is linearly interpolated between ranks.
pub fn handling(tasks: LazyFrame, m: Month, cal: &Calendar) -> PolarsResult<LazyFrame> {
    let done = tasks.filter(
        col("operator")
            .is_not_null()
            .and(in_month(col("completed_at"), m)),
    );
    let timed = with_working_hours(done, "started_at", "completed_at", "handling_hours", cal)?;
    let h = col("handling_hours").filter(col("completed_at").gt_eq(col("started_at")));
    Ok(timed.group_by([col("operator")]).agg([
        len().cast(DataType::Int64).alias("tasks_completed"),
        h.clone().mean().alias("handling_mean_hours"),
        h.quantile(lit(0.9), QuantileMethod::Linear)
            .alias("handling_p90_hours"),
    ]))
}

/// Tasks ordered within each case (by assigned, started, completed, row) with `next_stage`,
/// the stage of the case's next task.
fn ordered(tasks: LazyFrame) -> PolarsResult<LazyFrame> {
    Ok(tasks
        .sort(
            ["case_id", "assigned_at", "started_at", "completed_at", ROW],
            SortMultipleOptions::default()
                .with_nulls_last(true)
                .with_maintain_order(true),
        )
        .with_column(
            col("stage")
                .shift(lit(-1))
                .over([col("case_id")])?
                .alias("next_stage"),
        ))
}

/// Rework caused per operator (`rework_caused`): each task returned (outcome `returned`) and
/// completed in the month sends the case back to the stage of the case's next task; the
/// rework is charged to whoever completed the latest task at that stage before the return
/// (or, without one, to the case's operator of that stage). Also returns the returned
/// double-check tasks of the month (`case_id, operator`), which count as catches.
pub fn rework(tasks: LazyFrame, work: LazyFrame, m: Month) -> PolarsResult<(LazyFrame, LazyFrame)> {
    let t = ordered(tasks)?;
    let returned = t
        .clone()
        .filter(
            col("outcome")
                .eq(lit("returned"))
                .and(in_month(col("completed_at"), m)),
        )
        .select([
            col(ROW).alias("ret_row"),
            col("case_id"),
            col("stage").alias("ret_stage"),
            col("operator").alias("ret_operator"),
            col("next_stage").alias("back_to"),
            col("completed_at").alias("ret_at"),
        ]);
    let earlier = t.select([
        col("case_id").alias("e_case"),
        col("stage").alias("e_stage"),
        col("operator").alias("e_operator"),
        col("completed_at").alias("e_at"),
        col(ROW).alias("e_row"),
    ]);
    let prior = returned
        .clone()
        .join(
            earlier,
            [col("case_id"), col("back_to")],
            [col("e_case"), col("e_stage")],
            JoinArgs::new(JoinType::Inner),
        )
        .filter(
            col("e_at")
                .lt_eq(col("ret_at"))
                .and(col("e_operator").is_not_null()),
        )
        .sort(
            ["ret_row", "e_at", "e_row"],
            SortMultipleOptions::default().with_maintain_order(true),
        )
        .group_by([col("ret_row")])
        .agg([col("e_operator").last().alias("charged")]);
    let case_ops = work
        .select([
            col("case_id").alias("w_case"),
            col("stage").alias("w_stage"),
            col("operator").alias("w_operator"),
        ])
        .unique_stable_generic(
            Some(vec![col("w_case"), col("w_stage")]),
            UniqueKeepStrategy::First,
        );
    let charged = returned
        .clone()
        .join(
            prior,
            [col("ret_row")],
            [col("ret_row")],
            JoinArgs::new(JoinType::Left),
        )
        .join(
            case_ops,
            [col("case_id"), col("back_to")],
            [col("w_case"), col("w_stage")],
            JoinArgs::new(JoinType::Left),
        )
        .select([coalesce(&[col("charged"), col("w_operator")]).alias("operator")])
        .filter(col("operator").is_not_null())
        .group_by([col("operator")])
        .agg([len().cast(DataType::Int64).alias("rework_caused")]);
    let dc_returns = returned
        .filter(
            col("ret_stage")
                .eq(lit("double_check"))
                .and(col("ret_operator").is_not_null()),
        )
        .select([col("case_id"), col("ret_operator").alias("operator")]);
    Ok((charged, dc_returns))
}

/// Tasks that complete before they start: `row, case_id, started_at, completed_at`.
pub fn backwards_tasks(tasks: LazyFrame) -> LazyFrame {
    tasks
        .filter(
            col("completed_at")
                .lt(col("started_at"))
                .fill_null(lit(false)),
        )
        .select([
            col(ROW),
            col("case_id"),
            col("started_at").dt().strftime("%Y-%m-%d %H:%M:%S"),
            col("completed_at").dt().strftime("%Y-%m-%d %H:%M:%S"),
        ])
        .sort([ROW], SortMultipleOptions::default())
}
