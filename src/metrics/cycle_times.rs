//! Cycle times in working time: per case, per case and stage, per operator, and their
//! percentiles and SLA compliance. Every figure is a polars expression over whole columns; the
//! working clock is [`WorkingClock`] (no per-row Rust).
//!
//! # Definitions
//!
//! - **Cycle** of a case: from `received_at` to `bound_at`; an open (unbound) case is measured
//!   to the *as-of* instant (its age so far). `cycle_hours` is wall-clock time,
//!   `cycle_working_hours` / `cycle_working_days` working time of the calendar.
//! - **Customer wait**: the open-query time (`query_opened_at` to `query_closed_at`, or to the
//!   cycle's end while still open) inside the cycle. **Referral wait**: the time at
//!   underwriting or finance (`referred_at` to `referral_returned_at`) inside the cycle.
//!   **Own** time = cycle − (customer wait + referral wait − their overlap): the overlap is
//!   counted once, so `own + customer + referral − overlap = cycle`.
//! - A task (one **visit** of a case to a stage) is **ready** when it was assigned, or, with no
//!   `assigned_at`, when the case's previous task completed (the latest earlier completion),
//!   or, for the first task, when the documents were received. **Waiting** = ready → started,
//!   **handling** = started → completed, **elapsed** = ready → completed; an open task runs to
//!   the as-of instant (not started: all waiting). Without `started_at` a completed task has
//!   no waiting and handling (unknown), only elapsed. A negative time (bad data, reported by
//!   [`crate::input::tasks::validate`]) is left empty.
//! - **Rework**: a visit to a stage earlier in the process than one the case already reached
//!   (a *return*). A visit is **returned** when its outcome is `returned` or the case's next
//!   stage visit is at an earlier stage. A case is `reworked` when any visit is either.
//!   `query` and `referral` steps are waits beside the stages and take no part in the order.
//! - **Median**: exact, as pandas and pm4py give it: the middle value of the sorted values
//!   for an odd count, the mean of the two middle values for an even count.
//! - **Percentiles** (p50, p90, p95) by the [`PercentileMethod`] chosen, named in their
//!   columns (`p90_nearest_rank`, `p90_linear`). **Nearest-rank** (the default, the QC
//!   standard's): p90 is the smallest value with at least 90% of the values at or below it
//!   (`x[ceil(0.9 n)]`, 1-based; polars' `Equiprobable`, not its `Nearest`, which rounds
//!   `(n - 1) q`). **Linear** (numpy's default, pandas `quantile()`, Excel PERCENTILE.INC,
//!   Hyndman-Fan type 7): with `h = (n - 1) q` on the sorted values (0-based),
//!   `x[floor h] + (h - floor h) (x[floor h + 1] - x[floor h])`. A nearest-rank p50 is not the
//!   median (of 1, 2, 3, 4 it is 2; the median is 2.5); the linear p50 is.
//! - The statistics (median, percentiles, mean) count only finished work: bound cases,
//!   stages without an open visit, completed tasks.
//! - **SLA compliance**: the share of (case, time-limit rule) pairs within the limit, over
//!   the rule set's processing time limits (`duration` and `cycle_time` rules between two
//!   timestamps) that apply to the case.

use chrono::NaiveDateTime;
use polars::prelude::*;

use crate::engine::compile::{CompileCtx, status_expr};
use crate::engine::working_time::{WorkingClock, hours};
use crate::input::ROW;
use crate::input::reference::Roster;
use crate::input::tasks::{case_starts, stage_index};
use crate::rules::Rule;
use crate::rules::kinds::duration::waits;
use crate::schema::{FieldType, WAIT_STEPS};

/// The percentiles reported, as (name, quantile); the column is the name and the method
/// ([`PercentileMethod::column`]).
pub const PERCENTILES: [(&str, f64); 3] = [("p50", 0.5), ("p90", 0.9), ("p95", 0.95)];

/// How the percentiles are computed (see the module docs).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, clap::ValueEnum)]
pub enum PercentileMethod {
    /// The smallest value with at least q of the values at or below it, `x[ceil(q n)]`
    /// (1-based): always one of the values (the QC standard's).
    #[default]
    NearestRank,
    /// Interpolated between the two nearest ranks, `h = (n - 1) q`: numpy's default, pandas
    /// `quantile()`, Excel PERCENTILE.INC (Hyndman-Fan type 7).
    Linear,
}

impl PercentileMethod {
    /// The name in outputs and on the command line: `nearest-rank`, `linear`.
    #[must_use]
    pub fn name(self) -> &'static str {
        match self {
            Self::NearestRank => "nearest-rank",
            Self::Linear => "linear",
        }
    }

    /// The column of percentile `p` (e.g. `p90`): `p90_nearest_rank`, `p90_linear`.
    #[must_use]
    pub fn column(self, p: &str) -> String {
        format!("{p}_{}", self.name().replace('-', "_"))
    }

    /// The polars method. Polars' `Nearest` rounds `(n - 1) q` (of 1, 2, 3, 4 its p50 is 3);
    /// `Equiprobable` takes `x[ceil(q n)]`, the nearest rank.
    fn quantile(self) -> QuantileMethod {
        match self {
            Self::NearestRank => QuantileMethod::Equiprobable,
            Self::Linear => QuantileMethod::Linear,
        }
    }

    /// The statistics columns of `cycle_summary` after `n`: `median`, the percentiles, `mean`.
    #[must_use]
    pub fn stat_columns(self) -> Vec<String> {
        std::iter::once(String::from("median"))
            .chain(PERCENTILES.iter().map(|(p, _)| self.column(p)))
            .chain(std::iter::once(String::from("mean")))
            .collect()
    }

    /// The statistics of `values` (no nulls) as aggregations named [`Self::stat_columns`].
    fn stats(self, values: &Expr) -> Vec<Expr> {
        std::iter::once(values.clone().median())
            .chain(
                PERCENTILES
                    .iter()
                    .map(|(_, q)| values.clone().quantile(lit(*q), self.quantile())),
            )
            .chain(std::iter::once(values.clone().mean()))
            .zip(self.stat_columns())
            .map(|(e, name)| e.alias(name))
            .collect()
    }
}

/// Columns of `stage_times`, in output order.
pub const STAGE_COLUMNS: [&str; 14] = [
    "case_id",
    "change_type",
    "stage",
    "visits",
    "operator",
    "first_ready_at",
    "last_completed_at",
    "waiting_working_hours",
    "handling_working_hours",
    "elapsed_working_hours",
    "returned",
    "rework_visits",
    "open",
    "first_row",
];

fn dt() -> DataType {
    DataType::Datetime(TimeUnit::Milliseconds, None)
}

fn instant(t: NaiveDateTime) -> Expr {
    lit(t.and_utc().timestamp_millis()).cast(dt())
}

fn nonneg(e: Expr) -> Expr {
    when(e.clone().gt_eq(lit(0_i64)))
        .then(e)
        .otherwise(lit(NULL).cast(DataType::Int64))
}

/// Sort key for stages in outputs: the six stages in process order, then the waits, then
/// anything else (by name, as a second key).
pub fn stage_order(stage: &Expr) -> Expr {
    let wait = when(stage.clone().eq(lit(WAIT_STEPS[0])))
        .then(lit(6_i32))
        .when(stage.clone().eq(lit(WAIT_STEPS[1])))
        .then(lit(7_i32))
        .otherwise(lit(8_i32));
    stage_index(stage).fill_null(wait)
}

/// Adds working times to the prepared task list ([`crate::input::tasks::prepare_with_case_fields`]): `waiting_s`, `handling_s`, `elapsed_s` (working
/// seconds, empty when negative or unknown) and `open`, measured to `as_of` for open tasks.
pub fn task_times(prepared: LazyFrame, clock: &WorkingClock, as_of: NaiveDateTime) -> LazyFrame {
    let c = |e: Expr| clock.seconds(e, FieldType::DateTime);
    let now = clock.seconds_at(as_of);
    let end = coalesce(&[col("completed_at"), instant(as_of)]);
    prepared
        .with_columns([
            c(col("ready_at")).alias("__c_ready"),
            c(col("started_at")).alias("__c_start"),
            c(end).alias("__c_end"),
            col("completed_at").is_null().alias("open"),
        ])
        .with_columns([
            nonneg(
                when(col("started_at").is_not_null())
                    .then(col("__c_start") - col("__c_ready"))
                    .when(col("open"))
                    .then(now - col("__c_ready"))
                    .otherwise(lit(NULL).cast(DataType::Int64)),
            )
            .alias("waiting_s"),
            nonneg(
                when(col("started_at").is_not_null())
                    .then(col("__c_end") - col("__c_start"))
                    .when(col("open"))
                    .then(lit(0_i64))
                    .otherwise(lit(NULL).cast(DataType::Int64)),
            )
            .alias("handling_s"),
            nonneg(col("__c_end") - col("__c_ready")).alias("elapsed_s"),
        ])
}

/// `case_times`: one row per row of `cases` (see the module docs).
/// `tasks` are the task times (None when the task list was derived from `cases`, whose
/// visits and rework are then unknown and left empty).
pub fn case_times(
    cases: &DataFrame,
    tasks: Option<LazyFrame>,
    clock: &WorkingClock,
    as_of: NaiveDateTime,
) -> PolarsResult<DataFrame> {
    let c = |e: Expr| clock.seconds(e, FieldType::DateTime);
    let end = coalesce(&[col("bound_at"), instant(as_of)]);
    let start_c = c(col("received_at"));
    let stop_c = c(end.clone());
    let w = waits(clock, &col("__c_start"), &col("__c_stop"), None);
    let mut lf = cases
        .clone()
        .lazy()
        .with_columns([
            start_c.alias("__c_start"),
            stop_c.alias("__c_stop"),
            end.alias("__end"),
        ])
        .with_columns([
            nonneg(col("__c_stop") - col("__c_start")).alias("__gross"),
            nonneg(col("__end").cast(DataType::Int64) - col("received_at").cast(DataType::Int64))
                .alias("__wall"),
            w.customer.alias("__customer"),
            w.referral.alias("__referral"),
            w.overlap.alias("__overlap"),
        ]);
    let per_case = tasks.map(|t| {
        t.group_by([col("case_id")]).agg([
            col("stage_index")
                .is_not_null()
                .cast(DataType::UInt32)
                .sum()
                .alias("stage_visits"),
            col("rework")
                .or(col("returned"))
                .any(true)
                .alias("reworked"),
        ])
    });
    if let Some(per_case) = per_case {
        // A case without tasks has no visits (not unknown ones).
        lf = lf
            .join(
                per_case,
                [col("case_id")],
                [col("case_id")],
                JoinArgs::new(JoinType::Left),
            )
            .with_columns([
                col("stage_visits").fill_null(lit(0_u32)),
                col("reworked").fill_null(lit(false)),
            ]);
    } else {
        lf = lf.with_columns([
            lit(NULL).cast(DataType::UInt32).alias("stage_visits"),
            lit(NULL).cast(DataType::Boolean).alias("reworked"),
        ]);
    }
    let measured = col("__gross").is_not_null();
    let if_measured = |e: Expr| {
        when(measured.clone())
            .then(e)
            .otherwise(lit(NULL).cast(DataType::Float64))
    };
    let day = clock.day_seconds() as f64;
    lf.select([
        col("case_id"),
        col("change_type"),
        col("received_at"),
        col("bound_at"),
        if_measured(col("__wall").cast(DataType::Float64) / lit(3_600_000.0)).alias("cycle_hours"),
        if_measured(hours(col("__gross"))).alias("cycle_working_hours"),
        if_measured(col("__gross").cast(DataType::Float64) / lit(day)).alias("cycle_working_days"),
        if_measured(hours(col("__customer"))).alias("customer_wait_working_hours"),
        if_measured(hours(col("__referral"))).alias("referral_wait_working_hours"),
        if_measured(hours(
            col("__gross") - col("__customer") - col("__referral") + col("__overlap"),
        ))
        .alias("own_working_hours"),
        col("stage_visits"),
        col("reworked"),
        col("branch"),
        when(col("bound_at").is_not_null())
            .then(lit("bound"))
            .otherwise(lit("open"))
            .alias("status"),
        when(col("bound_at").is_null())
            .then(instant(as_of))
            .otherwise(lit(NULL).cast(dt()))
            .alias("as_of"),
        col(ROW).alias("row"),
    ])
    .sort(
        ["case_id", "row"],
        SortMultipleOptions::default()
            .with_nulls_last(true)
            .with_maintain_order(true),
    )
    .collect()
}

/// `stage_times`: one row per case and stage of the task times (see [`STAGE_COLUMNS`]).
///
/// The task times come in case order with the case number `__g` and the stage code
/// `__stage_code` of [`crate::input::tasks::prepare_with_case_fields`]; the tasks without a case id (each a
/// case of its own there, at the end) are one case here, as in a group-by on the case id. A
/// stable sort on one integer key (case, stage code) puts each case's visits to a stage next
/// to each other in time order, so the group-by takes them as slices and the groups come
/// out in output order (case id, stage order, stage).
pub fn stage_times(tasks: LazyFrame) -> PolarsResult<DataFrame> {
    // Empty when every value is: the maximum is null exactly then (`count()` would slice
    // every group into a column of its own).
    let sum_hours = |c: &str| {
        when(col(c).max().is_not_null())
            .then(hours(col(c).sum()))
            .otherwise(lit(NULL).cast(DataType::Float64))
    };
    let case = when(col("case_id").is_null())
        .then(col("__g").max() + lit(1_u32))
        .otherwise(col("__g"))
        .cast(DataType::UInt64);
    let mut phases = crate::timing::Phases::new();
    // The texts of a group (case id, change type, stage) follow from its key: they are
    // looked up once per case and per stage code afterwards, not carried through the sort
    // and taken per group.
    let tasks = tasks.cache();
    let per_case = tasks
        .clone()
        .filter(case_starts())
        .select([col("case_id"), col("change_type")])
        .collect()?;
    let per_code = tasks
        .clone()
        .group_by([col("__stage_code")])
        .agg([col("stage").first()])
        .sort(["__stage_code"], SortMultipleOptions::default())
        .collect()?;
    // Stage names by code (a code no task has stays empty); the case texts by case number
    // - 1, then an empty one for the tasks without a case id (one number past the last).
    let code_of = per_code.column("__stage_code")?.u32()?.clone();
    let stage_of = per_code.column("stage")?.str()?.clone();
    let mut names: Vec<Option<String>> = vec![None; code_of.max().map_or(0, |m| m as usize + 1)];
    for (code, name) in code_of.iter().zip(stage_of.iter()) {
        if let Some(code) = code {
            names[code as usize] = name.map(str::to_owned);
        }
    }
    let codes = lit(names.len() as u64);
    let mut sorted = tasks
        .select([
            (case * codes.clone() + col("__stage_code").cast(DataType::UInt64)).alias("__k"),
            col("operator"),
            col("ready_at"),
            col("completed_at"),
            col("open"),
            col("waiting_s"),
            col("handling_s"),
            col("elapsed_s"),
            col("returned"),
            col("rework"),
            col(ROW),
        ])
        .sort(
            ["__k"],
            SortMultipleOptions::default().with_maintain_order(true),
        )
        .collect()?;
    // The sort leaves the flag; set it anyway so the group-by runs on slices.
    let mut k = sorted.column("__k")?.clone();
    k.set_sorted_flag(polars::series::IsSorted::Ascending);
    sorted.with_column(k)?;
    phases.done("  sort by case, stage");
    let case_text = |c: &str| {
        lit(per_case
            .column(c)
            .expect("case column")
            .as_materialized_series()
            .extend_constant(AnyValue::Null, 1)
            .expect("one more"))
        .gather(
            (col("__k") / codes.clone()).cast(IDX_DTYPE) - lit(1).cast(IDX_DTYPE),
            false,
        )
    };
    let r = sorted
        .lazy()
        .group_by([col("__k")])
        .agg([
            len().cast(DataType::UInt32).alias("visits"),
            col("operator").last().alias("operator"),
            col("ready_at").min().alias("first_ready_at"),
            when(col("open").any(true))
                .then(lit(NULL).cast(dt()))
                .otherwise(col("completed_at").max())
                .alias("last_completed_at"),
            sum_hours("waiting_s").alias("waiting_working_hours"),
            sum_hours("handling_s").alias("handling_working_hours"),
            sum_hours("elapsed_s").alias("elapsed_working_hours"),
            col("returned")
                .cast(DataType::UInt32)
                .sum()
                .alias("returned"),
            col("rework")
                .cast(DataType::UInt32)
                .sum()
                .alias("rework_visits"),
            col("open").any(true).alias("open"),
            col(ROW).min().alias("first_row"),
        ])
        .sort(["__k"], SortMultipleOptions::default())
        .with_columns([
            case_text("case_id").alias("case_id"),
            case_text("change_type").alias("change_type"),
            lit(Series::new("stage".into(), names))
                .gather((col("__k") % codes.clone()).cast(IDX_DTYPE), false)
                .alias("stage"),
        ])
        .select(STAGE_COLUMNS.iter().map(|c| col(*c)).collect::<Vec<_>>())
        .collect();
    phases.done("  group");
    r
}

/// Adds the operator's `team` (from the roster) to rows with an `operator` column; missing
/// operators read `(unassigned)`, operators not on the roster `(not on the roster)`.
fn with_team(lf: LazyFrame, roster: Option<&Roster>) -> PolarsResult<LazyFrame> {
    Ok(lf
        .with_column(col("operator").fill_null(lit("(unassigned)")))
        .join(
            team_lookup(roster)?,
            [col("operator")],
            [col("operator")],
            JoinArgs::new(JoinType::Left),
        )
        .with_column(col("team").fill_null(lit("(not on the roster)"))))
}

/// The team of each operator from the roster (empty when there is no roster).
fn team_lookup(roster: Option<&Roster>) -> PolarsResult<LazyFrame> {
    let (ids, teams): (Vec<String>, Vec<Option<String>>) = roster
        .map(|r| (r.ids.clone(), r.teams.clone()))
        .unwrap_or_default();
    Ok(df!("operator" => ids, "team" => teams)?.lazy())
}

/// `operator_times`: per stage and operator (the task's `operator`): tasks, cases, open
/// tasks, returned visits, total waiting / handling / elapsed working hours and the mean
/// handling time of completed tasks.
pub fn operator_times(tasks: LazyFrame, roster: Option<&Roster>) -> PolarsResult<DataFrame> {
    tasks
        .with_column(col("operator").fill_null(lit("(unassigned)")))
        .group_by([col("stage"), col("operator")])
        .agg([
            len().cast(DataType::UInt32).alias("tasks"),
            // Distinct case numbers (cheaper than the ids' text), the tasks without a case
            // id counted as one case as `n_unique` counts the null id.
            when(col("case_id").is_null())
                .then(lit(0_u32))
                .otherwise(col("__g"))
                .n_unique()
                .cast(DataType::UInt32)
                .alias("cases"),
            col("open")
                .not()
                .cast(DataType::UInt32)
                .sum()
                .alias("completed"),
            col("open").cast(DataType::UInt32).sum().alias("open"),
            col("returned")
                .cast(DataType::UInt32)
                .sum()
                .alias("returned"),
            hours(col("waiting_s").sum()).alias("waiting_working_hours"),
            hours(col("handling_s").sum()).alias("handling_working_hours"),
            hours(col("elapsed_s").sum()).alias("elapsed_working_hours"),
            hours(col("handling_s").filter(col("open").not()).mean())
                .alias("mean_handling_working_hours"),
        ])
        .join(
            team_lookup(roster)?,
            [col("operator")],
            [col("operator")],
            JoinArgs::new(JoinType::Left),
        )
        .with_column(stage_order(&col("stage")).alias("__order"))
        .sort(
            ["__order", "stage", "operator"],
            SortMultipleOptions::default().with_maintain_order(true),
        )
        .select([
            col("stage"),
            col("operator"),
            col("team"),
            col("tasks"),
            col("cases"),
            col("completed"),
            col("open"),
            col("returned"),
            col("waiting_working_hours"),
            col("handling_working_hours"),
            col("elapsed_working_hours"),
            col("mean_handling_working_hours"),
        ])
        .collect()
}

/// One row per (case, processing time limit) the rule applies to: the `duration` and
/// `cycle_time` rules between two timestamps. Columns: `case_id, change_type, branch,
/// stage` (the rule's checkpoint), `operator` (the rule's responsible field), `rule_id` and
/// `met` (within the limit).
pub fn sla_checks(
    cases: &DataFrame,
    rules: &[Rule],
    ctx: &CompileCtx<'_>,
) -> PolarsResult<DataFrame> {
    let mut parts = Vec::new();
    for rule in rules {
        let Some(limit) = rule
            .kind
            .time_limit()
            .filter(super::super::rules::kinds::duration::TimeLimit::is_processing_limit)
        else {
            continue;
        };
        let check = limit.check(ctx)?;
        parts.push(
            cases
                .clone()
                .lazy()
                .select([
                    col("case_id"),
                    col("change_type"),
                    col("branch"),
                    lit(rule.checkpoint.as_str()).alias("stage"),
                    col(rule.responsible.as_str()).alias("operator"),
                    lit(rule.id.as_str()).alias("rule_id"),
                    status_expr(rule, &check).not().alias("met"),
                ])
                .filter(col("met").is_not_null()),
        );
    }
    if parts.is_empty() {
        return DataFrame::new_infer_height(vec![
            Column::new_empty("case_id".into(), &DataType::String),
            Column::new_empty("change_type".into(), &DataType::String),
            Column::new_empty("branch".into(), &DataType::String),
            Column::new_empty("stage".into(), &DataType::String),
            Column::new_empty("operator".into(), &DataType::String),
            Column::new_empty("rule_id".into(), &DataType::String),
            Column::new_empty("met".into(), &DataType::Boolean),
        ]);
    }
    concat(parts, UnionArgs::default())?.collect()
}

/// The dimensions of `cycle_summary`, in output order.
pub const DIMENSIONS: [&str; 6] = ["all", "change_type", "branch", "stage", "operator", "team"];

/// Statistics rows of each measure (name, value in hours) grouped by `group`: one group-by
/// for all the measures of a dimension; a group without a value of a measure has no row
/// for it.
fn percentile_rows(
    lf: LazyFrame,
    dimension: &str,
    group: Expr,
    measures: &[(&str, Expr)],
    method: PercentileMethod,
) -> PolarsResult<LazyFrame> {
    // Each measure's values without its empty ones, from a column without nulls (0 in their
    // place, never picked): the quantiles then gather and select in place (with nulls in a
    // group, polars gathers value by value and sorts the group for each quantile).
    let v = |i: usize| {
        col(format!("__v{i}"))
            .fill_null(lit(0.0))
            .filter(col(format!("__v{i}")).is_not_null())
    };
    let name = |stat: &str, i: usize| format!("__{stat}_{i}");
    let stats = method.stat_columns();
    let mut select = vec![
        group
            .cast(DataType::String)
            .fill_null(lit("(none)"))
            .alias("group"),
    ];
    let mut aggs = Vec::new();
    for (i, (_, value)) in measures.iter().enumerate() {
        select.push(
            value
                .clone()
                .cast(DataType::Float64)
                .alias(format!("__v{i}")),
        );
        aggs.push(v(i).count().cast(DataType::UInt64).alias(name("n", i)));
        aggs.extend(
            method
                .stats(&v(i))
                .into_iter()
                .zip(&stats)
                .map(|(e, stat)| e.alias(name(stat, i))),
        );
    }
    let grouped = lf.select(select).group_by([col("group")]).agg(aggs).cache();
    let parts = measures
        .iter()
        .enumerate()
        .map(|(i, (measure, _))| {
            grouped
                .clone()
                .filter(col(name("n", i)).gt(lit(0_u64)))
                .select(
                    [
                        lit(dimension).alias("dimension"),
                        col("group"),
                        lit(*measure).alias("measure"),
                        col(name("n", i)).alias("n"),
                    ]
                    .into_iter()
                    .chain(
                        stats
                            .iter()
                            .map(|stat| col(name(stat, i)).alias(stat.as_str())),
                    )
                    .collect::<Vec<_>>(),
                )
        })
        .collect::<Vec<_>>();
    concat(parts, UnionArgs::default())
}

/// SLA rows: n = (case, rule) pairs judged, mean = share within the limit (median and
/// percentiles empty).
fn sla_rows(lf: LazyFrame, dimension: &str, group: Expr, method: PercentileMethod) -> LazyFrame {
    lf.select([
        group
            .cast(DataType::String)
            .fill_null(lit("(none)"))
            .alias("group"),
        col("met"),
    ])
    .group_by([col("group")])
    .agg([
        len().cast(DataType::UInt64).alias("n"),
        col("met").cast(DataType::Float64).mean().alias("mean"),
    ])
    .select(
        [
            lit(dimension).alias("dimension"),
            col("group"),
            lit("sla_compliance").alias("measure"),
            col("n"),
        ]
        .into_iter()
        .chain(method.stat_columns().iter().map(|stat| {
            if stat == "mean" {
                col("mean")
            } else {
                lit(NULL).cast(DataType::Float64).alias(stat.as_str())
            }
        }))
        .collect::<Vec<_>>(),
    )
}

/// `cycle_summary`: per dimension ([`DIMENSIONS`]) and group, for each measure: the number of
/// values, the exact median, p50, p90, p95 by `method` (columns named after it:
/// [`PercentileMethod::stat_columns`]) and the mean, in working hours; and `sla_compliance`
/// (n = (case, rule) pairs judged, mean = the share within the limit).
///
/// Measures: case dimensions (`all`, `change_type`, `branch`) over bound cases:
/// `cycle_working_hours`, `own_working_hours`, `customer_wait_working_hours`,
/// `referral_wait_working_hours`; `stage` over finished stages of `stage_times`; `operator`
/// and `team` over completed tasks: `waiting_working_hours`, `handling_working_hours`,
/// `elapsed_working_hours`.
pub fn summary(
    case_times: &DataFrame,
    stage_times: &DataFrame,
    tasks: LazyFrame,
    sla: &DataFrame,
    roster: Option<&Roster>,
    method: PercentileMethod,
) -> PolarsResult<DataFrame> {
    let mut parts = Vec::new();
    let bound = case_times
        .clone()
        .lazy()
        .filter(col("status").eq(lit("bound")));
    let case_measures = [
        "cycle_working_hours",
        "own_working_hours",
        "customer_wait_working_hours",
        "referral_wait_working_hours",
    ];
    let task_measures = [
        ("waiting_working_hours", "waiting_s"),
        ("handling_working_hours", "handling_s"),
        ("elapsed_working_hours", "elapsed_s"),
    ];
    // Only what the operator and team rows read: the task frame has 30-odd columns, and the
    // cache would hold them all.
    let completed = with_team(
        tasks
            .select([
                col("operator"),
                col("open"),
                col("waiting_s"),
                col("handling_s"),
                col("elapsed_s"),
            ])
            .filter(col("open").not()),
        roster,
    )?
    .cache();
    // Joined with the teams once: every dimension's compliance reads it.
    let sla_lf = with_team(sla.clone().lazy(), roster)?.cache();
    for (dimension, group) in [
        ("all", lit("all")),
        ("change_type", col("change_type")),
        ("branch", col("branch")),
    ] {
        let measures: Vec<(&str, Expr)> = case_measures.iter().map(|m| (*m, col(*m))).collect();
        parts.push(percentile_rows(
            bound.clone(),
            dimension,
            group.clone(),
            &measures,
            method,
        )?);
        parts.push(sla_rows(sla_lf.clone(), dimension, group, method));
    }
    let finished_stages = stage_times.clone().lazy().filter(col("open").not());
    let measures: Vec<(&str, Expr)> = task_measures.iter().map(|(m, _)| (*m, col(*m))).collect();
    parts.push(percentile_rows(
        finished_stages,
        "stage",
        col("stage"),
        &measures,
        method,
    )?);
    parts.push(sla_rows(sla_lf.clone(), "stage", col("stage"), method));
    for dimension in ["operator", "team"] {
        let measures: Vec<(&str, Expr)> = task_measures
            .iter()
            .map(|(m, s)| (*m, hours(col(*s))))
            .collect();
        parts.push(percentile_rows(
            completed.clone(),
            dimension,
            col(dimension),
            &measures,
            method,
        )?);
        parts.push(sla_rows(sla_lf.clone(), dimension, col(dimension), method));
    }
    let dim_order =
        DIMENSIONS
            .iter()
            .enumerate()
            .fold(lit(NULL).cast(DataType::Int32), |acc, (i, d)| {
                when(col("dimension").eq(lit(*d)))
                    .then(lit(i as i32))
                    .otherwise(acc)
            });
    let measure_order = [
        "cycle_working_hours",
        "own_working_hours",
        "customer_wait_working_hours",
        "referral_wait_working_hours",
        "waiting_working_hours",
        "handling_working_hours",
        "elapsed_working_hours",
        "sla_compliance",
    ]
    .iter()
    .enumerate()
    .fold(lit(NULL).cast(DataType::Int32), |acc, (i, m)| {
        when(col("measure").eq(lit(*m)))
            .then(lit(i as i32))
            .otherwise(acc)
    });
    let group_order = when(col("dimension").eq(lit("stage")))
        .then(stage_order(&col("group")))
        .otherwise(lit(0_i32));
    concat(parts, UnionArgs::default())?
        .with_columns([
            dim_order.alias("__d"),
            group_order.alias("__g"),
            measure_order.alias("__m"),
        ])
        .sort(
            ["__d", "__g", "group", "__m"],
            SortMultipleOptions::default().with_maintain_order(true),
        )
        .select(
            ["dimension", "group", "measure", "n"]
                .into_iter()
                .map(String::from)
                .chain(method.stat_columns())
                .map(col)
                .collect::<Vec<_>>(),
        )
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    /// `percentile_rows` of one measure `x` grouped by `g`: (group, n, the statistics by
    /// [`PercentileMethod::stat_columns`]), by group.
    fn stats_by_group(
        groups: &[&str],
        values: &[Option<f64>],
        method: PercentileMethod,
    ) -> Vec<(String, u64, Vec<Option<f64>>)> {
        let df = df!("g" => groups, "x" => values).expect("frame");
        let out = percentile_rows(df.lazy(), "d", col("g"), &[("x", col("x"))], method)
            .expect("rows")
            .sort(["group"], SortMultipleOptions::default())
            .collect()
            .expect("collect");
        let stats = method.stat_columns();
        (0..out.height())
            .map(|i| {
                let get = |c: &str| out.column(c).expect(c).get(i).expect("row");
                let f = |c: &str| get(c).extract::<f64>();
                (
                    get("group").str_value().into_owned(),
                    get("n").extract::<u64>().expect("n"),
                    stats.iter().map(|c| f(c)).collect(),
                )
            })
            .collect()
    }

    /// The statistics of one group of `values`.
    fn stats_of(values: &[f64], method: PercentileMethod) -> Vec<Option<f64>> {
        let groups = vec!["a"; values.len()];
        let values: Vec<Option<f64>> = values.iter().copied().map(Some).collect();
        let rows = stats_by_group(&groups, &values, method);
        assert_eq!(rows.len(), 1);
        rows[0].2.clone()
    }

    #[test]
    fn columns_name_the_method_and_keep_the_median_apart() {
        assert_eq!(
            PercentileMethod::NearestRank.stat_columns(),
            [
                "median",
                "p50_nearest_rank",
                "p90_nearest_rank",
                "p95_nearest_rank",
                "mean"
            ]
        );
        assert_eq!(
            PercentileMethod::Linear.stat_columns(),
            ["median", "p50_linear", "p90_linear", "p95_linear", "mean"]
        );
    }

    #[test]
    fn median_of_odd_even_and_one_value() {
        // Groups in one frame, interleaved: odd 5, 1, 3 -> 3; even 4, 1, 3, 2 -> (2 + 3) / 2
        // = 2.5; one 7 -> 7. A null is not a value.
        let groups = [
            "odd", "even", "one", "odd", "even", "even", "odd", "even", "one", "even",
        ];
        let values = [
            Some(5.0),
            Some(4.0),
            Some(7.0),
            Some(1.0),
            Some(1.0),
            None,
            Some(3.0),
            Some(3.0),
            None,
            Some(2.0),
        ];
        for method in [PercentileMethod::NearestRank, PercentileMethod::Linear] {
            let rows = stats_by_group(&groups, &values, method);
            let median: Vec<(&str, u64, Option<f64>)> = rows
                .iter()
                .map(|(g, n, s)| (g.as_str(), *n, s[0]))
                .collect();
            assert_eq!(
                median,
                [
                    ("even", 4, Some(2.5)),
                    ("odd", 3, Some(3.0)),
                    ("one", 1, Some(7.0))
                ],
                "{method:?}"
            );
        }
        assert_eq!(
            stats_of(&[7.0], PercentileMethod::NearestRank),
            [Some(7.0); 5]
        );
        assert_eq!(stats_of(&[7.0], PercentileMethod::Linear), [Some(7.0); 5]);
    }

    #[test]
    fn a_group_without_values_has_no_row_and_empty_statistics() {
        let rows = stats_by_group(
            &["empty", "empty", "full"],
            &[None, None, Some(2.0)],
            PercentileMethod::Linear,
        );
        assert_eq!(rows.len(), 1);
        assert_eq!(rows[0].0, "full");
        // Over no values at all every statistic is empty (not 0).
        let empty = df!("x" => Vec::<f64>::new()).expect("frame");
        let out = empty
            .lazy()
            .select(PercentileMethod::NearestRank.stats(&col("x")))
            .collect()
            .expect("collect");
        for c in PercentileMethod::NearestRank.stat_columns() {
            assert_eq!(out.column(&c).expect("column").null_count(), 1, "{c}");
        }
    }

    #[test]
    fn linear_and_nearest_rank_differ_on_one_to_four() {
        let x = [3.0, 1.0, 4.0, 2.0];
        // Nearest rank: p50 = x[ceil(2)] = 2, p90 = x[ceil(3.6)] = 4, p95 = x[ceil(3.8)] = 4.
        assert_eq!(
            stats_of(&x, PercentileMethod::NearestRank),
            [Some(2.5), Some(2.0), Some(4.0), Some(4.0), Some(2.5)]
        );
        // Linear: h = 3 q. p50: h = 1.5 -> 2 + 0.5 = 2.5; p90: h = 2.7 -> 3 + 0.7 = 3.7;
        // p95: h = 2.85 -> 3.85.
        let linear = stats_of(&x, PercentileMethod::Linear);
        for (got, want) in linear.iter().zip([2.5, 2.5, 3.7, 3.85, 2.5]) {
            assert!((got.expect("value") - want).abs() < 1e-12, "{linear:?}");
        }
    }

    #[test]
    fn polars_nearest_is_not_nearest_rank() {
        // Why the nearest rank is polars' Equiprobable: its Nearest rounds (n - 1) q = 1.5 to
        // the 0-based index 2, the value 3, where the nearest rank is 2.
        let s = Series::new("x".into(), [1.0, 2.0, 3.0, 4.0]);
        let ca = s.f64().expect("f64");
        assert_eq!(
            ca.quantile(0.5, QuantileMethod::Nearest).ok().flatten(),
            Some(3.0)
        );
        assert_eq!(
            ca.quantile(0.5, PercentileMethod::NearestRank.quantile())
                .ok()
                .flatten(),
            Some(2.0)
        );
    }

    /// The textbook definitions on sorted values, independent of polars: nearest rank in
    /// integer arithmetic (rank = ceil(n pct / 100)), linear by Hyndman-Fan type 7, the
    /// median from the middle.
    fn by_hand(sorted: &[f64], pct: usize, method: PercentileMethod) -> f64 {
        let n = sorted.len();
        match method {
            PercentileMethod::NearestRank => sorted[(n * pct).div_ceil(100).max(1) - 1],
            PercentileMethod::Linear => {
                #[allow(clippy::cast_precision_loss)]
                let h = (n - 1) as f64 * pct as f64 / 100.0;
                #[allow(clippy::cast_possible_truncation, clippy::cast_sign_loss)]
                let lo = h.floor() as usize;
                let hi = (lo + 1).min(n - 1);
                sorted[lo] + (h - h.floor()) * (sorted[hi] - sorted[lo])
            }
        }
    }

    #[test]
    fn every_count_from_1_to_41_matches_the_definitions() {
        // One group per count n, of n distinct, unevenly spaced values out of order: the
        // ranks where floating point could round ceil(0.95 n) or ceil(0.9 n) the wrong way
        // (n = 10, 20, 40) are among them.
        let mut groups = Vec::new();
        let mut values = Vec::new();
        let mut expected = Vec::new();
        for n in 1..=41_u32 {
            let x: Vec<f64> = (0..n)
                .map(|i| f64::from((i * 17 + 5) % 43) + f64::from(i * i) / 1000.0)
                .collect();
            let mut sorted = x.clone();
            sorted.sort_by(f64::total_cmp);
            let m = sorted.len();
            let median = if m % 2 == 1 {
                sorted[m / 2]
            } else {
                f64::midpoint(sorted[m / 2 - 1], sorted[m / 2])
            };
            groups.extend(std::iter::repeat_n(format!("{n:02}"), x.len()));
            values.extend(x.into_iter().map(Some));
            expected.push((sorted, median));
        }
        let groups: Vec<&str> = groups.iter().map(String::as_str).collect();
        for method in [PercentileMethod::NearestRank, PercentileMethod::Linear] {
            let rows = stats_by_group(&groups, &values, method);
            assert_eq!(rows.len(), expected.len());
            for ((g, n, stats), (sorted, median)) in rows.iter().zip(&expected) {
                assert_eq!(*n as usize, sorted.len(), "{g}");
                let mut want = vec![*median];
                want.extend([50, 90, 95].map(|p| by_hand(sorted, p, method)));
                for (got, want) in stats.iter().zip(want) {
                    let got = got.expect("value");
                    assert!((got - want).abs() < 1e-9, "{method:?} n={g}: {stats:?}");
                }
            }
        }
    }
}
