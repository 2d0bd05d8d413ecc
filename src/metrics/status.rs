//! The daily processing status report: per stage and operator, what was open at the start of
//! the day, what arrived, what was finished, what is open at the end (pending, in progress, on
//! query, referred); the stuck cases; and the reconciliation that proves no case was lost.
//!
//! # Definitions (for the day D: from D 00:00 to D+1 00:00, "the end of the day")
//!
//! A task is **open at** an instant T when it was ready before T (see
//! [`super::cycle_times`] for `ready_at`) and not completed before T. Per stage and operator:
//!
//! - `opening` = tasks open at the start of the day; `new_pending` = tasks that became ready
//!   during the day; `finished` = tasks completed during the day; `closing` = tasks open at the
//!   end of the day, split into `pending` (not started by then) and `in_progress` (started);
//!   `on_query` / `referred` = closing tasks of cases whose customer query / referral is open
//!   at the end of the day (or that are `query` / `referral` steps themselves); `stuck` = cases
//!   held by the operator at the stage that are past a time limit (below).
//! - **Reconciliation** per stage: `opening + new_pending − finished = closing`; a difference
//!   means tasks that completed before they were ready (bad data, see `data_findings.csv`).
//!   The `(cases)` row does the same for cases: open = received before the instant and not
//!   bound before it.
//! - A case is **accounted for** at an instant when it is bound, or a task holds it (open), or
//!   its customer query or referral is open. An open case that is not is an **exception**:
//!   `disappeared` (accounted for at the start of the day, not at the end), `unaccounted`
//!   (not accounted for at the end of the day, and not newly disappeared: e.g. lost earlier,
//!   or received with no task), `no_intake_record` (tasks for a case that is not in `cases`),
//!   `no_receipt_time` (a case without `received_at`, which cannot be placed in the balance).
//!   Every exception is listed, with its file and row (the case's row in `cases`; for
//!   `no_intake_record` the case's first task in the task list); none is dropped.
//! - **Stuck**: for every time-limit rule (`duration`, `cycle_time`) with a `max` between two
//!   timestamps, the cases received before the end of the day that have reached `from` but
//!   not `to` by then and
//!   whose time so far (measured as the rule measures it, up to the end of the day) is past
//!   the limit. Oldest first, with the age in working hours and who holds the case (the
//!   operator of its open task, else the rule's responsible field).

use chrono::{Duration, NaiveDate, NaiveDateTime};
use polars::prelude::*;

use super::cycle_times::stage_order;
use crate::engine::compile::{CompileCtx, value_expr, when_expr};
use crate::engine::working_time::{WorkingClock, hours};
use crate::input::ROW;
use crate::rules::Rule;
use crate::rules::kinds::duration::End;
use crate::schema::WAIT_STEPS;

/// The day's status report.
#[derive(Debug, Clone)]
pub struct StatusReport {
    /// The day.
    pub date: NaiveDate,
    /// Per stage and operator (`status.csv`).
    pub status: DataFrame,
    /// Per stage, and `(cases)` (`reconciliation.csv`).
    pub reconciliation: DataFrame,
    /// Stuck cases, oldest first (`stuck_cases.csv`).
    pub stuck: DataFrame,
    /// Exceptions (`exceptions.csv`).
    pub exceptions: DataFrame,
}

fn ms(t: NaiveDateTime) -> i64 {
    t.and_utc().timestamp_millis()
}

/// `x < t` for a timestamp column (false when empty).
fn before(x: Expr, t: i64) -> Expr {
    x.cast(DataType::Int64).lt(lit(t)).fill_null(lit(false))
}

fn u32_sum(e: Expr) -> Expr {
    e.cast(DataType::UInt32).sum()
}

/// The report for `date`. `tasks` is the prepared task list
/// ([`crate::input::tasks::prepare_with_case_fields`]); `cases` the typed cases; `rules` the rule set
/// (its time limits give the stuck cases); `ctx` must carry a clock covering the day;
/// `files` are the cases file and the task list's file (for the exceptions' `file` column).
pub fn status(
    tasks: &LazyFrame,
    cases: &DataFrame,
    rules: &[Rule],
    ctx: &CompileCtx<'_>,
    date: NaiveDate,
    files: (&str, &str),
) -> PolarsResult<StatusReport> {
    let start = ms(date.and_hms_opt(0, 0, 0).expect("midnight"));
    let end_at = (date + Duration::days(1))
        .and_hms_opt(0, 0, 0)
        .expect("midnight");
    let end = ms(end_at);
    let clock = ctx
        .clock
        .ok_or_else(|| polars_err!(ComputeError: "the status report needs the working calendar"))?;

    let open_at = |t: i64| before(col("ready_at"), t).and(before(col("completed_at"), t).not());
    let wait_open =
        |open: &str, close: &str, t: i64| before(col(open), t).and(before(col(close), t).not());
    let flagged = tasks
        .clone()
        .with_columns([
            open_at(start).alias("opening"),
            before(col("ready_at"), end)
                .and(before(col("ready_at"), start).not())
                .alias("new_pending"),
            before(col("completed_at"), end)
                .and(before(col("completed_at"), start).not())
                .alias("finished"),
            open_at(end).alias("closing"),
        ])
        .with_columns([
            col("closing")
                .and(before(col("started_at"), end).not())
                .alias("pending"),
            col("closing")
                .and(before(col("started_at"), end))
                .alias("in_progress"),
            col("closing")
                .and(
                    wait_open("query_opened_at", "query_closed_at", end)
                        .or(col("stage").eq(lit(WAIT_STEPS[0])).fill_null(lit(false))),
                )
                .alias("on_query"),
            col("closing")
                .and(
                    wait_open("referred_at", "referral_returned_at", end)
                        .or(col("stage").eq(lit(WAIT_STEPS[1])).fill_null(lit(false))),
                )
                .alias("referred"),
            col("operator").fill_null(lit("(unassigned)")),
        ])
        .cache();

    // Who holds each case at the end of the day: its open task that became ready last.
    let holder = flagged
        .clone()
        .filter(col("closing"))
        .sort(
            ["case_id", "ready_at", ROW],
            SortMultipleOptions::default().with_maintain_order(true),
        )
        .group_by([col("case_id")])
        .agg([
            col("stage").last().alias("held_at_stage"),
            col("operator").last().alias("held_by"),
        ]);

    let stuck = stuck_cases(cases, rules, clock, end_at, holder.clone())?;

    let stuck_counts = stuck
        .clone()
        .lazy()
        .filter(col("held_at_stage").is_not_null())
        .group_by([
            col("held_at_stage").alias("stage"),
            col("held_by").alias("operator"),
        ])
        .agg([col("case_id")
            .n_unique()
            .cast(DataType::UInt32)
            .alias("stuck")]);
    let counts = [
        "opening",
        "new_pending",
        "finished",
        "closing",
        "pending",
        "in_progress",
        "on_query",
        "referred",
    ];
    let status = flagged
        .clone()
        .group_by([col("stage"), col("operator")])
        .agg(
            counts
                .iter()
                .map(|c| u32_sum(col(*c)).alias(*c))
                .collect::<Vec<_>>(),
        )
        .filter(
            (col("opening") + col("new_pending") + col("finished") + col("closing")).gt(lit(0_u32)),
        )
        .join(
            stuck_counts,
            [col("stage"), col("operator")],
            [col("stage"), col("operator")],
            JoinArgs::new(JoinType::Left),
        )
        .with_columns([
            col("stuck").fill_null(lit(0_u32)),
            stage_order(&col("stage")).alias("__order"),
        ])
        .sort(
            ["__order", "stage", "operator"],
            SortMultipleOptions::default().with_maintain_order(true),
        )
        .select(
            ["stage", "operator"]
                .iter()
                .chain(counts.iter())
                .chain(["stuck"].iter())
                .map(|c| col(*c))
                .collect::<Vec<_>>(),
        )
        .collect()?;

    // Reconciliation: per stage from the tasks, then the cases.
    let per_stage = flagged
        .clone()
        .group_by([col("stage")])
        .agg(
            ["opening", "new_pending", "finished", "closing"]
                .iter()
                .map(|c| u32_sum(col(*c)).cast(DataType::Int64).alias(*c))
                .collect::<Vec<_>>(),
        )
        .with_column(stage_order(&col("stage")).alias("__order"))
        .sort(
            ["__order", "stage"],
            SortMultipleOptions::default().with_maintain_order(true),
        )
        .select([
            col("stage"),
            col("opening"),
            col("new_pending"),
            col("finished"),
            col("closing"),
        ]);
    let case_open = |t: i64| before(col("received_at"), t).and(before(col("bound_at"), t).not());
    let case_row = cases
        .clone()
        .lazy()
        .filter(col("case_id").is_not_null())
        .unique_stable(Some(cols(["case_id"])), UniqueKeepStrategy::First)
        .select([
            lit("(cases)").alias("stage"),
            u32_sum(case_open(start))
                .cast(DataType::Int64)
                .alias("opening"),
            u32_sum(before(col("received_at"), end).and(before(col("received_at"), start).not()))
                .cast(DataType::Int64)
                .alias("new_pending"),
            u32_sum(before(col("bound_at"), end).and(before(col("bound_at"), start).not()))
                .cast(DataType::Int64)
                .alias("finished"),
            u32_sum(case_open(end))
                .cast(DataType::Int64)
                .alias("closing"),
        ]);
    let reconciliation = concat([per_stage, case_row], UnionArgs::default())?
        .with_column(
            (col("opening") + col("new_pending") - col("finished")).alias("expected_closing"),
        )
        .with_columns([
            (col("closing") - col("expected_closing")).alias("difference"),
            col("closing")
                .eq(col("expected_closing"))
                .alias("reconciled"),
        ])
        .collect()?;

    let exceptions = exceptions(&flagged, cases, start, end, files)?;
    Ok(StatusReport {
        date,
        status,
        reconciliation,
        stuck,
        exceptions,
    })
}

/// The stuck cases at `end_at` (see the module docs).
fn stuck_cases(
    cases: &DataFrame,
    rules: &[Rule],
    clock: &WorkingClock,
    end_at: NaiveDateTime,
    holder: LazyFrame,
) -> PolarsResult<DataFrame> {
    let end = ms(end_at);
    let mut parts = Vec::new();
    for rule in rules {
        let Some(limit) = rule.kind.time_limit() else {
            continue;
        };
        let Some(max) = limit.max else { continue };
        if !limit.is_processing_limit() {
            continue;
        }
        let reached = value_expr(limit.from, limit.from_ty)
            .lt(lit(end))
            .fill_null(lit(false));
        let not_done = value_expr(limit.to, limit.to_ty)
            .gt_eq(lit(end))
            .fill_null(lit(true));
        let at = End::At(end_at);
        let age = limit.net_working_seconds(clock, at);
        parts.push(
            cases
                .clone()
                .lazy()
                .filter(
                    when_expr(&rule.when)
                        .and(before(col("received_at"), end))
                        .and(reached)
                        .and(not_done)
                        .and(limit.exceeds_max(Some(clock), at)?.fill_null(lit(false))),
                )
                .select([
                    col("case_id"),
                    col("change_type"),
                    col("branch"),
                    lit(rule.checkpoint.as_str()).alias("stage"),
                    lit(rule.id.as_str()).alias("rule_id"),
                    lit(limit.from).alias("since_field"),
                    col(limit.from)
                        .cast(DataType::Datetime(TimeUnit::Milliseconds, None))
                        .alias("since"),
                    hours(age).alias("age_working_hours"),
                    lit(max.display()).alias("limit"),
                    col(rule.responsible.as_str()).alias("responsible"),
                    col(ROW).alias("row"),
                ]),
        );
    }
    let empty = || {
        DataFrame::new_infer_height(vec![
            Column::new_empty("case_id".into(), &DataType::String),
            Column::new_empty("change_type".into(), &DataType::String),
            Column::new_empty("branch".into(), &DataType::String),
            Column::new_empty("stage".into(), &DataType::String),
            Column::new_empty("rule_id".into(), &DataType::String),
            Column::new_empty("since_field".into(), &DataType::String),
            Column::new_empty(
                "since".into(),
                &DataType::Datetime(TimeUnit::Milliseconds, None),
            ),
            Column::new_empty("age_working_hours".into(), &DataType::Float64),
            Column::new_empty("limit".into(), &DataType::String),
            Column::new_empty("held_at_stage".into(), &DataType::String),
            Column::new_empty("held_by".into(), &DataType::String),
            Column::new_empty("row".into(), &DataType::UInt64),
        ])
    };
    if parts.is_empty() {
        return empty();
    }
    concat(parts, UnionArgs::default())?
        .join(
            holder,
            [col("case_id")],
            [col("case_id")],
            JoinArgs::new(JoinType::Left),
        )
        .with_column(coalesce(&[col("held_by"), col("responsible")]).alias("held_by"))
        .sort(
            ["age_working_hours", "case_id", "rule_id"],
            SortMultipleOptions::default()
                .with_order_descending_multi([true, false, false])
                .with_maintain_order(true),
        )
        .select([
            col("case_id"),
            col("change_type"),
            col("branch"),
            col("stage"),
            col("rule_id"),
            col("since_field"),
            col("since"),
            col("age_working_hours"),
            col("limit"),
            col("held_at_stage"),
            col("held_by"),
            col("row"),
        ])
        .collect()
}

/// The exceptions of the day (see the module docs).
fn exceptions(
    flagged: &LazyFrame,
    cases: &DataFrame,
    start: i64,
    end: i64,
    files: (&str, &str),
) -> PolarsResult<DataFrame> {
    // Per case: held at the start / end of the day, and its last activity before the end.
    let activity = coalesce(&[
        when(before(col("completed_at"), end))
            .then(col("completed_at"))
            .otherwise(lit(NULL)),
        when(before(col("started_at"), end))
            .then(col("started_at"))
            .otherwise(lit(NULL)),
        when(before(col("ready_at"), end))
            .then(col("ready_at"))
            .otherwise(lit(NULL)),
    ]);
    let held = flagged
        .clone()
        .with_column(activity.alias("__act"))
        .sort(
            ["case_id", "__act", ROW],
            SortMultipleOptions::default()
                .with_nulls_last(false)
                .with_maintain_order(true),
        )
        .group_by([col("case_id")])
        .agg([
            col("opening").any(true).alias("held_start"),
            col("closing").any(true).alias("held_end"),
            col("__act").is_not_null().any(true).alias("active"),
            col("stage")
                .filter(col("__act").is_not_null())
                .last()
                .alias("last_stage"),
            col("operator")
                .filter(col("__act").is_not_null())
                .last()
                .alias("last_operator"),
            col("__act").max().alias("last_activity_at"),
            col(ROW).min().alias("first_task_row"),
        ]);
    let wait_open =
        |open: &str, close: &str, t: i64| before(col(open), t).and(before(col(close), t).not());
    let accounted = |held: &str, t: i64| {
        col(held)
            .fill_null(lit(false))
            .or(wait_open("query_opened_at", "query_closed_at", t))
            .or(wait_open("referred_at", "referral_returned_at", t))
    };
    let case_open = |t: i64| before(col("received_at"), t).and(before(col("bound_at"), t).not());
    let known = cases
        .clone()
        .lazy()
        .filter(col("case_id").is_not_null())
        .unique_stable(Some(cols(["case_id"])), UniqueKeepStrategy::First)
        .join(
            held.clone(),
            [col("case_id")],
            [col("case_id")],
            JoinArgs::new(JoinType::Left),
        )
        .with_column(
            case_open(start)
                .and(accounted("held_start", start))
                .and(case_open(end))
                .and(accounted("held_end", end).not())
                .alias("__disappeared"),
        )
        .with_column(
            when(col("__disappeared"))
                .then(lit("disappeared"))
                .when(case_open(end).and(accounted("held_end", end).not()))
                .then(lit("unaccounted"))
                .when(col("received_at").is_null())
                .then(lit("no_receipt_time"))
                .otherwise(lit(NULL).cast(DataType::String))
                .alias("kind"),
        )
        .filter(col("kind").is_not_null())
        .select([
            col("kind"),
            col("case_id"),
            col("change_type"),
            col("last_stage"),
            col("last_operator"),
            col("last_activity_at"),
            when(col("kind").eq(lit("disappeared")))
                .then(lit("held or waiting at the start of the day; at the end of the day no task holds it, no query or referral is open, and it is not bound"))
                .when(col("kind").eq(lit("unaccounted")))
                .then(lit("open (received, not bound) at the end of the day, but no task holds it and no query or referral is open"))
                .otherwise(lit("received_at is empty: the case cannot be placed in the day's balance"))
                .alias("detail"),
            lit(files.0).alias("file"),
            col(ROW).alias("row"),
        ]);
    let ids = cases
        .clone()
        .lazy()
        .filter(col("case_id").is_not_null())
        .select([col("case_id")])
        .unique(None, UniqueKeepStrategy::First)
        .with_column(lit(true).alias("__known"));
    let unknown = held
        .join(ids, [col("case_id")], [col("case_id")], JoinArgs::new(JoinType::Left))
        .filter(
            col("__known")
                .is_null()
                .and(col("active"))
                .and(col("case_id").is_not_null()),
        )
        .select([
            lit("no_intake_record").alias("kind"),
            col("case_id"),
            lit(NULL).cast(DataType::String).alias("change_type"),
            col("last_stage"),
            col("last_operator"),
            col("last_activity_at"),
            lit("tasks for a case that is not in the cases file: it appeared without an intake record")
                .alias("detail"),
            lit(files.1).alias("file"),
            col("first_task_row").alias("row"),
        ]);
    let kind_order = when(col("kind").eq(lit("disappeared")))
        .then(lit(0_i32))
        .when(col("kind").eq(lit("unaccounted")))
        .then(lit(1_i32))
        .when(col("kind").eq(lit("no_intake_record")))
        .then(lit(2_i32))
        .otherwise(lit(3_i32));
    concat([known, unknown], UnionArgs::default())?
        .with_column(kind_order.alias("__k"))
        .sort(
            ["__k", "case_id"],
            SortMultipleOptions::default().with_maintain_order(true),
        )
        .select([
            col("kind"),
            col("case_id"),
            col("change_type"),
            col("last_stage"),
            col("last_operator"),
            col("last_activity_at"),
            col("detail"),
            col("file"),
            col("row"),
        ])
        .collect()
}
