//! The task list (SCHEMA.md, `tasks`): from the `tasks` file, from a process-mining event log
//! (`events`), or, when the data folder has neither, derived from the stage timestamps of
//! `cases`. Whatever the source, the result is one frame of tasks with the `tasks` fields
//! (`case_id, stage, operator, assigned_at, started_at, completed_at, outcome`) and the row
//! of the source file each task comes from.
//!
//! # Event logs
//! An event log has one row per event: `case_id, activity, resource, timestamp` and optionally
//! `lifecycle` and `outcome`, renamed by the `events` section of `columns.yaml` like any
//! table (e.g. `case_id: "case:concept:name"`). It is `events.csv` or `events.parquet`, or an
//! XES log `events.xes` / `events.xes.gz` ([`super::xes`]): one row per `<event>`, a row
//! being the event's position in the file, its fields read from the standard XES keys
//! (`case:concept:name`, `concept:name`, `org:resource`, `time:timestamp`,
//! `lifecycle:transition`) unless `columns.yaml` maps them. The events of one case and activity, in time
//! order, are paired into tasks: `assign` (or `schedule`) opens a task, `start` opens one
//! unless it follows an `assign`, `complete` closes the open task or, after another
//! `complete` (or first), is a task of its own. Without a lifecycle every event is a
//! completed task whose start is unknown. A task's row is the row of its first event.
//!
//! # Checks (bad data is reported, counted, and the run goes on)
//! [`validate`] reports, each with its file and row: a task that completes before it starts,
//! one started before it was assigned, a task for a case that is not in `cases`, visits of
//! one case that overlap in time, an unknown stage, a task with no timestamp, an empty case
//! id, and (event logs) an unknown lifecycle value, an event with no timestamp (not paired)
//! or with no activity (a task with an empty stage). No task is dropped: a negative waiting or
//! handling time is left empty by the cycle-time computations.

use std::collections::BTreeMap;

use polars::prelude::*;

use super::{
    DataIssue, DataSources, InputError, ROW, TableData, column_str, column_u64, read_table, xes,
};
use crate::config::columns::ColumnMap;
use crate::schema::{STAGE_FINISHED_FIELDS, STAGE_OPERATOR_FIELDS, STAGES, Table, WAIT_STEPS};

/// Where the task list came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TaskSource {
    /// The data folder's `tasks` file.
    Tasks,
    /// The data folder's `events` file (an event log).
    Events,
    /// Derived from the stage timestamps and operators of `cases` (no start times).
    Cases,
}

impl TaskSource {
    /// How the source is named in outputs.
    #[must_use]
    pub fn name(self) -> &'static str {
        match self {
            TaskSource::Tasks => "tasks",
            TaskSource::Events => "events",
            TaskSource::Cases => "derived from cases",
        }
    }
}

/// The task columns, in output order (plus [`ROW`]).
pub const TASK_COLUMNS: [&str; 7] = [
    "case_id",
    "stage",
    "operator",
    "assigned_at",
    "started_at",
    "completed_at",
    "outcome",
];

/// A task list read from its source.
#[derive(Debug, Clone)]
pub struct TaskList {
    /// One row per task: [`TASK_COLUMNS`] and [`ROW`] (the task's row in its file; for
    /// derived tasks, the case's row in `cases`).
    pub df: DataFrame,
    /// Where it came from.
    pub source: TaskSource,
    /// The file (the cases file for derived tasks).
    pub file: String,
    /// Rows read from the file (events for an event log).
    pub rows_read: u64,
    /// Values that could not be read, and events that could not be paired.
    pub issues: Vec<DataIssue>,
    /// Event logs: the activities that are no stage or wait (after the activity map of
    /// `columns.yaml`), with their event counts, in name order; their tasks are under
    /// [`OTHER_STAGE`].
    pub other_activities: Vec<(String, u64)>,
    /// Event logs: each case's first and last event time (`case_id, first, last`), whatever
    /// the events' lifecycle: the span of a case read without a cases table.
    pub event_span: Option<DataFrame>,
    /// The column each task field is read from, for messages.
    columns: BTreeMap<&'static str, String>,
}

/// The stage of an event log's tasks whose activity is in none of the six stages (nor a
/// wait): counted and measured, outside the stage order.
pub const OTHER_STAGE: &str = "other";

impl TaskList {
    /// The source column of a task field, as the user knows it.
    #[must_use]
    pub fn column(&self, field: &str) -> String {
        self.columns.get(field).cloned().unwrap_or_default()
    }
}

/// Reads the task list: `tasks` if the folder has one, else `events`, else derived from
/// `cases` (whose typed frame is given; with neither file nor cases, an empty list).
pub fn read_task_list(
    sources: &DataSources,
    map: &ColumnMap,
    cases: Option<&TableData>,
) -> Result<TaskList, InputError> {
    // An XES log's fields are read from its standard keys unless columns.yaml maps them.
    let events_map = sources
        .events
        .as_deref()
        .map(|p| xes::map_for(p, Table::Events, map));
    let map: &ColumnMap = events_map.as_deref().unwrap_or(map);
    let column_of = |table: Table, field: &str| {
        map.mappings(table)
            .into_iter()
            .find(|m| m.field == field)
            .map(|m| m.column)
            .unwrap_or_default()
    };
    if let Some(path) = sources.tasks.as_deref() {
        let t = read_table(path, Table::Tasks, map, &[])?;
        let columns = TASK_COLUMNS
            .iter()
            .map(|f| (*f, column_of(Table::Tasks, f)))
            .collect();
        let df =
            t.df.lazy()
                .select(
                    std::iter::once(col(ROW))
                        .chain(TASK_COLUMNS.iter().map(|c| col(*c)))
                        .collect::<Vec<_>>(),
                )
                .collect()
                .map_err(|e| parse_error(&t.file, &e))?;
        return Ok(TaskList {
            rows_read: df.height() as u64,
            df,
            source: TaskSource::Tasks,
            file: t.file,
            issues: t.issues,
            other_activities: Vec::new(),
            event_span: None,
            columns,
        });
    }
    if let Some(path) = sources.events.as_deref() {
        let t = read_table(path, Table::Events, map, &[])?;
        let ts = column_of(Table::Events, "timestamp");
        let columns = [
            ("case_id", column_of(Table::Events, "case_id")),
            ("stage", column_of(Table::Events, "activity")),
            ("operator", column_of(Table::Events, "resource")),
            ("assigned_at", ts.clone()),
            ("started_at", ts.clone()),
            ("completed_at", ts),
            ("outcome", column_of(Table::Events, "outcome")),
            ("lifecycle", column_of(Table::Events, "lifecycle")),
            ("timestamp", column_of(Table::Events, "timestamp")),
            ("activity", column_of(Table::Events, "activity")),
        ]
        .into_iter()
        .collect();
        let (df, issues) = pair_events(&t, &|field| column_of(Table::Events, field))
            .map_err(|e| parse_error(&t.file, &e))?;
        let (df, other_activities) =
            other_stage(df, &t.df).map_err(|e| parse_error(&t.file, &e))?;
        let event_span =
            t.df.clone()
                .lazy()
                .filter(col("case_id").is_not_null())
                .group_by([col("case_id")])
                .agg([
                    col(ROW).min().alias("__first_row"),
                    col("timestamp").min().alias("first"),
                    col("timestamp").max().alias("last"),
                ])
                .collect()
                .map_err(|e| parse_error(&t.file, &e))?;
        let mut all = t.issues;
        all.extend(issues);
        return Ok(TaskList {
            rows_read: t.df.height() as u64,
            df,
            source: TaskSource::Events,
            file: t.file,
            issues: all,
            other_activities,
            event_span: Some(event_span),
            columns,
        });
    }
    let Some(cases) = cases else {
        return Err(InputError::Parse {
            path: String::from("(no cases, tasks or events file)"),
            message: String::from("there is nothing to derive tasks from"),
        });
    };
    let df = derive_from_cases(&cases.df).map_err(|e| parse_error(&cases.file, &e))?;
    let columns = [
        ("case_id", column_of(Table::Cases, "case_id")),
        ("stage", String::from("(the stage fields)")),
        ("operator", String::from("(the stage operator fields)")),
        ("assigned_at", String::from("(the previous stage's finish)")),
        ("started_at", String::new()),
        ("completed_at", String::from("(the stage's finish field)")),
        ("outcome", String::new()),
    ]
    .into_iter()
    .collect();
    Ok(TaskList {
        rows_read: 0,
        df,
        source: TaskSource::Cases,
        file: cases.file.clone(),
        issues: Vec::new(),
        other_activities: Vec::new(),
        event_span: None,
        columns,
    })
}

/// Puts the tasks whose stage is no stage or wait under [`OTHER_STAGE`], and counts the events
/// of each such activity (`events`: the event log as read).
fn other_stage(
    tasks: DataFrame,
    events: &DataFrame,
) -> PolarsResult<(DataFrame, Vec<(String, u64)>)> {
    let known = |c: Expr| {
        STAGES
            .iter()
            .chain(WAIT_STEPS.iter())
            .map(|s| c.clone().eq(lit(*s)))
            .reduce(Expr::or)
            .expect("stages")
    };
    let counts = events
        .clone()
        .lazy()
        .filter(
            col("activity")
                .is_not_null()
                .and(known(col("activity")).not()),
        )
        .group_by([col("activity")])
        .agg([len().alias("events")])
        .sort(["activity"], SortMultipleOptions::default())
        .collect()?;
    let other: Vec<(String, u64)> = column_str(&counts, "activity")
        .into_iter()
        .zip(column_u64(&counts, "events"))
        .map(|(a, n)| (a.unwrap_or_default(), n))
        .collect();
    let tasks = tasks
        .lazy()
        .with_column(
            when(col("stage").is_not_null().and(known(col("stage")).not()))
                .then(lit(OTHER_STAGE))
                .otherwise(col("stage"))
                .alias("stage"),
        )
        .collect()?;
    Ok((tasks, other))
}

/// The cases of a task list or event log read without a cases table: one per case id, in the
/// order of its first row, the row of its first task. A case is received at its first event
/// and finished (`bound_at`) at its last, as process-mining tools measure a case; each other
/// stage's finish field holds the stage's last completion and its operator field the operator
/// of that task. Every other case field is absent (its rules are not evaluated).
pub fn cases_from_tasks(list: &TaskList, map: &ColumnMap) -> PolarsResult<TableData> {
    let dt = DataType::Datetime(TimeUnit::Milliseconds, None);
    let earliest = polars::lazy::dsl::min_horizontal([
        col("assigned_at"),
        col("started_at"),
        col("completed_at"),
    ])?;
    let latest = polars::lazy::dsl::max_horizontal([
        col("assigned_at"),
        col("started_at"),
        col("completed_at"),
    ])?;
    let mut aggs = vec![
        col(ROW).min().alias(ROW),
        earliest.min().cast(dt.clone()).alias("received_at"),
        latest.max().cast(dt.clone()).alias("bound_at"),
    ];
    let mut derived = vec!["case_id", "received_at", "bound_at"];
    for (k, stage) in STAGES.iter().enumerate() {
        let of_stage = col("stage").eq(lit(*stage));
        if STAGE_FINISHED_FIELDS[k] != "bound_at" {
            aggs.push(
                col("completed_at")
                    .filter(of_stage.clone())
                    .max()
                    .alias(STAGE_FINISHED_FIELDS[k]),
            );
            derived.push(STAGE_FINISHED_FIELDS[k]);
        }
        let done = of_stage.clone().and(col("completed_at").is_not_null());
        aggs.push(
            col("operator")
                .filter(done.clone())
                .sort_by(
                    [col("completed_at").filter(done)],
                    SortMultipleOptions::default().with_maintain_order(true),
                )
                .last()
                .alias(STAGE_OPERATOR_FIELDS[k]),
        );
        derived.push(STAGE_OPERATOR_FIELDS[k]);
    }
    let mut grouped = list
        .df
        .clone()
        .lazy()
        .filter(col("case_id").is_not_null())
        .group_by([col("case_id")])
        .agg(aggs);
    // An event log's case spans every event, an unpaired one (unknown lifecycle) included,
    // and a case whose events make no task is a case all the same.
    if let Some(span) = &list.event_span {
        grouped = span
            .clone()
            .lazy()
            .join(
                grouped,
                [col("case_id")],
                [col("case_id")],
                JoinArgs::new(JoinType::Left),
            )
            .with_columns([
                col("__first_row").alias(ROW),
                coalesce(&[col("first"), col("received_at")]).alias("received_at"),
                coalesce(&[col("last"), col("bound_at")]).alias("bound_at"),
            ]);
    }
    let grouped = grouped
        .sort([ROW], SortMultipleOptions::default())
        .collect()?;
    // Every case field, as the reader types it; those not derived are empty and absent.
    let mut columns = vec![col(ROW)];
    let mut absent = Vec::new();
    for m in map.mappings(Table::Cases) {
        if derived.contains(&m.field.as_str()) {
            columns.push(col(m.field.as_str()));
        } else {
            absent.push((m.field.clone(), m.column.clone()));
            columns.push(lit(NULL).cast(read_dtype(m.ty)).alias(m.field.as_str()));
        }
    }
    let df = grouped.lazy().select(columns).collect()?;
    Ok(TableData {
        df,
        issues: Vec::new(),
        file: list.file.clone(),
        absent,
    })
}

/// Reads the task list or event log of a folder that has no cases table, with the cases it
/// holds ([`cases_from_tasks`]).
pub fn read_without_cases(
    sources: &DataSources,
    map: &ColumnMap,
) -> Result<(TableData, TaskList), InputError> {
    let tasks = read_task_list(sources, map, None)?;
    let cases = cases_from_tasks(&tasks, map).map_err(|e| parse_error(&tasks.file, &e))?;
    Ok((cases, tasks))
}

/// The type a field of type `ty` is held in once read (money in integer cents).
fn read_dtype(ty: crate::schema::FieldType) -> DataType {
    use crate::schema::FieldType;
    match ty {
        FieldType::Text => DataType::String,
        FieldType::Integer | FieldType::Money => DataType::Int64,
        FieldType::Bool => DataType::Boolean,
        FieldType::Date => DataType::Date,
        FieldType::DateTime => DataType::Datetime(TimeUnit::Milliseconds, None),
    }
}

fn parse_error(file: &str, e: &PolarsError) -> InputError {
    InputError::Parse {
        path: file.to_owned(),
        message: e.to_string(),
    }
}

/// Lifecycle code: 0 assign, 1 start, 2 complete, null unknown.
fn lifecycle_code() -> Expr {
    let lc = col("lifecycle")
        .str()
        .strip_chars(lit(NULL))
        .str()
        .to_lowercase();
    when(lc.clone().is_null().or(lc.clone().eq(lit(""))))
        .then(lit(2_i32))
        .when(
            lc.clone()
                .eq(lit("assign"))
                .or(lc.clone().eq(lit("schedule"))),
        )
        .then(lit(0_i32))
        .when(lc.clone().eq(lit("start")))
        .then(lit(1_i32))
        .when(lc.eq(lit("complete")))
        .then(lit(2_i32))
        .otherwise(lit(NULL).cast(DataType::Int32))
}

/// Pairs the events of an event log into tasks (see the module docs); `column` gives a
/// field's column, for the problems: an unknown lifecycle, an event with no timestamp (not
/// paired) or no activity (a task with an empty stage), each reported at its row.
fn pair_events(
    t: &TableData,
    column: &dyn Fn(&str) -> String,
) -> PolarsResult<(DataFrame, Vec<DataIssue>)> {
    let coded =
        t.df.clone()
            .lazy()
            .with_column(lifecycle_code().alias("__lc"))
            .collect()?;
    let mut issues = Vec::new();
    // A value that did not parse is already a data finding: not reported again as missing.
    let unread = |field: &str| -> Vec<u64> {
        t.issues
            .iter()
            .filter(|i| i.field == field)
            .map(|i| i.row)
            .collect()
    };
    let checks = [
        (
            "lifecycle",
            col("__lc").is_null(),
            "unknown lifecycle (expected assign, schedule, start or complete); the event is not paired into a task",
        ),
        (
            "timestamp",
            col("timestamp").is_null().and(
                col(ROW)
                    .is_in(
                        lit(Series::new("r".into(), unread("timestamp"))).implode(false),
                        false,
                    )
                    .not(),
            ),
            "no timestamp; the event is not paired into a task",
        ),
        (
            "activity",
            col("activity").is_null(),
            "no activity; the event is paired into a task with an empty stage",
        ),
    ];
    for (field, bad, problem) in checks {
        let found = coded
            .clone()
            .lazy()
            .filter(bad)
            .select([col(ROW), col("case_id"), col(field).cast(DataType::String)])
            .collect()?;
        for ((row, case), value) in column_u64(&found, ROW)
            .into_iter()
            .zip(column_str(&found, "case_id"))
            .zip(column_str(&found, field))
        {
            issues.push(DataIssue {
                file: t.file.clone(),
                row,
                table: String::from("events"),
                case_id: case.unwrap_or_default(),
                field: field.to_owned(),
                column: column(field),
                value: value.unwrap_or_default(),
                problem: problem.to_owned(),
            });
        }
    }
    issues.sort();
    let group = [col("case_id"), col("activity")];
    let paired = coded
        .lazy()
        .filter(
            col("__lc")
                .is_not_null()
                .and(col("timestamp").is_not_null()),
        )
        .sort(
            ["case_id", "activity", "timestamp", "__lc", ROW],
            SortMultipleOptions::default()
                .with_nulls_last(true)
                .with_maintain_order(true),
        )
        .with_column(
            col("__lc")
                .shift(lit(1))
                .over(group.clone())?
                .alias("__prev"),
        )
        .with_column(
            col("__lc")
                .eq(lit(0_i32))
                .or(col("__lc")
                    .eq(lit(1_i32))
                    .and(col("__prev").neq(lit(0_i32)).fill_null(lit(true))))
                .or(col("__lc")
                    .eq(lit(2_i32))
                    .and(col("__prev").eq(lit(2_i32)).fill_null(lit(true))))
                .cast(DataType::UInt32)
                .cum_sum(false)
                .over(group)?
                .alias("__task"),
        )
        .group_by_stable([col("case_id"), col("activity"), col("__task")])
        .agg([
            col(ROW).min().alias(ROW),
            col("timestamp")
                .filter(col("__lc").eq(lit(0_i32)))
                .first()
                .alias("assigned_at"),
            col("timestamp")
                .filter(col("__lc").eq(lit(1_i32)))
                .first()
                .alias("started_at"),
            col("timestamp")
                .filter(col("__lc").eq(lit(2_i32)))
                .first()
                .alias("completed_at"),
            coalesce(&[
                col("resource").filter(col("__lc").eq(lit(2_i32))).first(),
                col("resource").filter(col("__lc").eq(lit(1_i32))).first(),
                col("resource").filter(col("__lc").eq(lit(0_i32))).first(),
            ])
            .alias("operator"),
            col("outcome")
                .filter(col("__lc").eq(lit(2_i32)))
                .first()
                .alias("outcome"),
        ])
        .select([
            col(ROW),
            col("case_id"),
            col("activity").alias("stage"),
            col("operator"),
            col("assigned_at"),
            col("started_at"),
            col("completed_at"),
            col("outcome"),
        ])
        .sort([ROW], SortMultipleOptions::default())
        .collect()?;
    Ok((paired, issues))
}

/// One task per stage a case has reached: ready when the previous stage finished (intake:
/// when the documents were received; printing: when binding finished), completed when the
/// stage finished, held by the stage's operator; no start time.
fn derive_from_cases(cases: &DataFrame) -> PolarsResult<DataFrame> {
    let dt = DataType::Datetime(TimeUnit::Milliseconds, None);
    let mut parts = Vec::new();
    for (k, stage) in STAGES.iter().enumerate() {
        let ready = if k == 0 {
            "received_at"
        } else {
            STAGE_FINISHED_FIELDS[k - 1]
        };
        let done = STAGE_FINISHED_FIELDS[k];
        parts.push(
            cases
                .clone()
                .lazy()
                .filter(col(ready).is_not_null().or(col(done).is_not_null()))
                .select([
                    col(ROW),
                    col("case_id"),
                    lit(*stage).alias("stage"),
                    col(STAGE_OPERATOR_FIELDS[k]).alias("operator"),
                    col(ready).cast(dt.clone()).alias("assigned_at"),
                    lit(NULL).cast(dt.clone()).alias("started_at"),
                    col(done).cast(dt.clone()).alias("completed_at"),
                    lit(NULL).cast(DataType::String).alias("outcome"),
                ]),
        );
    }
    concat(parts, UnionArgs::default())?
        .sort(
            [ROW],
            SortMultipleOptions::default().with_maintain_order(true),
        )
        .collect()
}

/// One row per distinct case id (the first row of a duplicated id) with the fields the task
/// computations need, and `__known` (true) to tell the task list's unknown cases.
fn case_lookup(cases: &DataFrame, fields: &[&str]) -> LazyFrame {
    cases
        .clone()
        .lazy()
        .filter(col("case_id").is_not_null())
        .unique_stable(Some(cols(["case_id"])), UniqueKeepStrategy::First)
        .select(
            std::iter::once(col("case_id"))
                .chain(fields.iter().map(|f| col(*f)))
                .chain([lit(true).alias("__known")])
                .collect::<Vec<_>>(),
        )
}

/// A stage's position in the process (0-5), null for waits and unknown stages.
pub fn stage_index(stage: &Expr) -> Expr {
    STAGES
        .iter()
        .enumerate()
        .rev()
        .fold(lit(NULL).cast(DataType::Int32), |acc, (i, s)| {
            when(stage.clone().eq(lit(*s)))
                .then(lit(i as i32))
                .otherwise(acc)
        })
}

fn dt() -> DataType {
    DataType::Datetime(TimeUnit::Milliseconds, None)
}

/// The stage codes of a task list: every distinct `stage` value numbered in output order
/// (the six stages in process order, then the waits, then other names in byte order, then
/// an empty stage last), as a `replace` expression on `stage` giving a `UInt32`, and the
/// number of codes.
fn stage_codes(tasks: &DataFrame) -> PolarsResult<(Expr, u32)> {
    let distinct = tasks.column("stage")?.as_materialized_series().unique()?;
    let mut names: Vec<String> = distinct
        .str()?
        .iter()
        .flatten()
        .map(str::to_owned)
        .collect();
    let rank = |s: &str| {
        STAGES
            .iter()
            .chain(WAIT_STEPS.iter())
            .position(|k| *k == s)
            .unwrap_or(STAGES.len() + WAIT_STEPS.len())
    };
    names.sort_by(|a, b| rank(a).cmp(&rank(b)).then_with(|| a.cmp(b)));
    let n = names.len() as u32;
    let codes: Vec<u32> = (0..n).collect();
    let expr = when(col("stage").is_null())
        .then(lit(n))
        .otherwise(col("stage").replace_strict(
            lit(Series::new("old".into(), names)),
            lit(Series::new("new".into(), codes)),
            None,
            Some(DataType::UInt32),
        ))
        .cast(DataType::UInt32);
    Ok((expr, n + 1))
}

/// True on the first row of each case of the case-sorted task list (`__g` changes).
pub(crate) fn case_starts() -> Expr {
    col("__g")
        .neq(col("__g").shift(lit(1)))
        .fill_null(lit(true))
}

/// An Int64 column packed with the case number `__g` into one Int64 key that orders by case
/// first and value second: `__g × span + (value − low)`, `i64::MAX` (an open visit's end)
/// packed as `high + 1 − low`. A running maximum of the key over the whole sorted task list
/// then never carries a value from one case into the next: every key of a case is above
/// every key of the cases before it.
#[derive(Debug, Clone, Copy)]
struct Packing {
    /// The smallest value (other than `i64::MAX`).
    low: i64,
    /// The largest value (other than `i64::MAX`).
    high: i64,
    /// Keys per case.
    span: i64,
}

impl Packing {
    /// The packing of `column` for cases numbered up to `groups`, if every key fits in an
    /// Int64 (`None`: the values span too long a range for that many cases).
    fn fit(df: &DataFrame, column: &str, groups: u32) -> PolarsResult<Option<Self>> {
        let values = df.column(column)?.as_materialized_series().i64()?.clone();
        let finite = values.filter(&values.not_equal(i64::MAX))?;
        let (low, high) = (finite.min().unwrap_or(0), finite.max().unwrap_or(0));
        let span = i128::from(high) - i128::from(low) + 2;
        let top = (i128::from(groups) + 1) * span;
        Ok((top <= i128::from(i64::MAX)).then_some(Self {
            low,
            high,
            span: span as i64,
        }))
    }

    /// The packed key of `value` in case `__g` (null where the value is null).
    fn pack(self, value: Expr) -> Expr {
        let offset = when(value.clone().eq(lit(i64::MAX)))
            .then(lit(self.high - self.low + 1))
            .otherwise(value - lit(self.low));
        col("__g").cast(DataType::Int64) * lit(self.span) + offset
    }

    /// The value of a packed `key` if it belongs to the row's case `__g`, else null.
    fn unpack(self, key: Expr) -> Expr {
        let base = col("__g").cast(DataType::Int64) * lit(self.span);
        let offset = key.clone() - base.clone();
        when(key.gt_eq(base))
            .then(
                when(offset.clone().eq(lit(self.high - self.low + 1)))
                    .then(lit(i64::MAX))
                    .otherwise(offset + lit(self.low)),
            )
            .otherwise(lit(NULL).cast(DataType::Int64))
    }
}

/// The task list in case order, ready for every computation: tasks joined with their case
/// (`received_at`, `bound_at`, `change_type`, `branch`, the query and referral fields),
/// sorted by case, then time (`assigned_at`, else `started_at`, else `completed_at`), then
/// row; with
///
/// - `ready_at`: `assigned_at`, else the latest completion of an earlier task of the case,
///   else the case's `received_at`;
/// - `stage_index` (0-5 for the six stages, empty for waits and unknown stages) and `visit`
///   (the how-manieth visit of the case to the stage);
/// - `rework`: the visit is to a stage earlier than one the case already reached;
///   `returned`: its outcome is `returned`, or the case's next stage visit is at an earlier
///   stage;
/// - what [`validate`] reports: `__known` (the case is in `cases`), `__prev_row` (the row of
///   an earlier stage visit of the case this one overlaps in time);
/// - `__g`, the case's number in this order (1, 2, ...; each task without a case id is a
///   case of its own; flagged sorted), and `__stage_code`, the stage's number in output
///   order (`stage_codes`), for the group-bys of the cycle-time tables.
///
/// The per-case running values (latest earlier completion, furthest earlier stage, latest
/// earlier visit end and its row, next stage visit) are whole-column operations on the sorted
/// list: a running maximum of a key packed with the case number (`Packing`), or a fill
/// that is kept only when it comes from the same case. Only when the values span too long a
/// range to pack do they run as windows over each case (same results, much slower).
///
/// Every task gets only the case fields `case_fields` (of [`CASE_FIELDS_PER_TASK`], in that
/// order; `received_at` is always read, for the ready time): each is a column as long as the
/// task list. The task list is taken, not borrowed: a list out of order is put in order
/// column by column, each column as read let go once copied, so that the list is never held
/// twice.
pub fn prepare_with_case_fields(
    tasks: DataFrame,
    cases: &DataFrame,
    case_fields: &[&str],
) -> PolarsResult<DataFrame> {
    prepare_with(tasks, cases, case_fields, false)
}

/// [`prepare_with_case_fields`] with every case field (the tests' reference).
#[cfg(test)]
fn prepare(tasks: &DataFrame, cases: &DataFrame) -> PolarsResult<DataFrame> {
    prepare_with(tasks.clone(), cases, &CASE_FIELDS_PER_TASK, false)
}

/// The case fields [`prepare_with_case_fields`] gives every task.
pub const CASE_FIELDS_PER_TASK: [&str; 8] = [
    "received_at",
    "bound_at",
    "change_type",
    "branch",
    "query_opened_at",
    "query_closed_at",
    "referred_at",
    "referral_returned_at",
];

/// How far the rows already are in the order [`prepare_with_case_fields`] works in: by case id, then `__key`,
/// then [`ROW`], empty values last.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum TaskOrder {
    /// In that order.
    Sorted,
    /// Each case's rows together and the cases in order (rows without a case in task
    /// order), but some case's tasks out of time order.
    CasesTogether,
    /// Neither.
    Unsorted,
}

fn task_order(keyed: &DataFrame) -> PolarsResult<TaskOrder> {
    if keyed.height() < 2 {
        return Ok(TaskOrder::Sorted);
    }
    let prev_case = col("case_id").shift(lit(1));
    let later_case = col("case_id").is_null().or(prev_case
        .clone()
        .is_not_null()
        .and(col("case_id").gt(prev_case)));
    let all_rows = |e: Expr, name: &str| {
        e.slice(lit(1), lit(keyed.height() as u64))
            .all(false)
            .alias(name)
    };
    let out = keyed
        .clone()
        .lazy()
        .select([
            all_rows(
                when(same_case())
                    .then(later_task())
                    .otherwise(later_case.clone()),
                "sorted",
            ),
            all_rows(
                when(same_case().and(col("case_id").is_not_null()))
                    .then(lit(true))
                    .when(same_case())
                    .then(later_task())
                    .otherwise(later_case),
                "together",
            ),
        ])
        .collect()?;
    let holds =
        |name: &str| -> PolarsResult<bool> { Ok(out.column(name)?.bool()?.get(0) == Some(true)) };
    Ok(if holds("sorted")? {
        TaskOrder::Sorted
    } else if holds("together")? {
        TaskOrder::CasesTogether
    } else {
        TaskOrder::Unsorted
    })
}

/// The row has the same case id as the one before (both empty counts as the same).
fn same_case() -> Expr {
    col("case_id").eq_missing(col("case_id").shift(lit(1)))
}

/// The row comes after the one before in task order: a later `__key` (empty last), or the
/// same and a later [`ROW`].
fn later_task() -> Expr {
    let prev = |c: &str| col(c).shift(lit(1));
    let key = col("__key");
    let later_row = col(ROW).gt(prev(ROW));
    when(key.clone().is_null())
        .then(prev("__key").is_not_null().or(later_row.clone()))
        .otherwise(
            prev("__key").is_not_null().and(
                key.clone()
                    .gt(prev("__key"))
                    .or(key.eq(prev("__key")).and(later_row)),
            ),
        )
}

/// Puts the tasks of each case whose tasks are out of time order in order, in place
/// ([`TaskOrder::CasesTogether`]; `__g` numbers the cases): only those cases' rows are
/// sorted, then the frame is gathered once.
fn sort_within_cases(mut numbered: DataFrame) -> PolarsResult<DataFrame> {
    let order = SortMultipleOptions::default()
        .with_nulls_last(true)
        .with_maintain_order(true);
    let height = numbered.height();
    numbered.hstack_mut(&[Column::new(
        "__at".into(),
        (0..height as IdxSize).collect::<Vec<_>>(),
    )])?;
    let out_of_order = same_case().and(later_task().not()).fill_null(lit(false));
    let disordered = numbered
        .clone()
        .lazy()
        .filter(out_of_order)
        .select([col("__g").unique()])
        .collect()?
        .column("__g")?
        .as_materialized_series()
        .clone();
    // Their rows: where they are (in place, by case) and where they should come from.
    let rows = numbered
        .clone()
        .lazy()
        .select([col("__at"), col("__g"), col("__key"), col(ROW)])
        .filter(col("__g").is_in(lit(disordered).implode(false), false))
        .collect()?;
    let slots = rows.column("__at")?.idx()?.clone();
    let sources = rows
        .lazy()
        .sort(["__g", "__key", ROW], order)
        .collect()?
        .column("__at")?
        .idx()?
        .clone();
    let mut index: Vec<IdxSize> = (0..height as IdxSize).collect();
    for (slot, source) in slots.into_no_null_iter().zip(sources.into_no_null_iter()) {
        index[slot as usize] = source;
    }
    let index = IdxCa::from_vec("__at".into(), index);
    // Column by column, each as read dropped once gathered: the list is not held twice.
    numbered.drop_in_place("__at")?;
    let columns = numbered
        .into_columns()
        .into_iter()
        .map(|c| c.take(&index))
        .collect::<PolarsResult<Vec<_>>>()?;
    DataFrame::new(height, columns)
}

/// [`prepare_with_case_fields`]; `windows` forces the per-case windows (to compare the two in tests).
fn prepare_with(
    tasks: DataFrame,
    cases: &DataFrame,
    case_fields: &[&str],
    windows: bool,
) -> PolarsResult<DataFrame> {
    let case_fields: Vec<&str> = CASE_FIELDS_PER_TASK
        .into_iter()
        .filter(|f| *f == "received_at" || case_fields.contains(f))
        .collect();
    let mut phases = crate::timing::Phases::new();
    let ffill = FillNullStrategy::Forward(None);
    let key = coalesce(&[col("assigned_at"), col("started_at"), col("completed_at")]);
    let is_wait = WAIT_STEPS
        .iter()
        .map(|s| col("stage").eq(lit(*s)))
        .reduce(Expr::or)
        .expect("wait steps")
        .fill_null(lit(false));
    // A stage visit's span for the overlap check: from its start (else assignment, else
    // completion) to its completion (open: for ever). Waits run beside the stages by nature.
    let visit_start = when(is_wait.clone())
        .then(lit(NULL).cast(DataType::Int64))
        .otherwise(
            coalesce(&[col("started_at"), col("assigned_at"), col("completed_at")])
                .cast(DataType::Int64),
        );
    let visit_end = when(is_wait.or(visit_start.clone().is_null()))
        .then(lit(NULL).cast(DataType::Int64))
        .otherwise(
            col("completed_at")
                .cast(DataType::Int64)
                .fill_null(lit(i64::MAX)),
        );
    let (stage_code, codes) = stage_codes(&tasks)?;
    let keyed = tasks
        .lazy()
        .with_columns([
            key.cast(DataType::Int64).alias("__key"),
            stage_index(&col("stage")).alias("stage_index"),
            stage_code.alias("__stage_code"),
            col("completed_at").cast(DataType::Int64).alias("__done"),
            visit_start.alias("__vstart"),
            visit_end.alias("__vend"),
        ])
        .collect()?;
    // The case number: cheaper to work with than the case id text.
    let case_number = col("case_id")
        .neq(col("case_id").shift(lit(1)))
        .fill_null(lit(true))
        .cast(DataType::UInt32)
        .cum_sum(false)
        .alias("__g");
    let order = SortMultipleOptions::default()
        .with_nulls_last(true)
        .with_maintain_order(true);
    // Exports usually list a case's tasks together, in time order: such a list is not
    // sorted on the case id text again (checking costs one pass, that sort several), only
    // its cases' tasks on their numbers.
    let mut sorted = match task_order(&keyed)? {
        TaskOrder::Sorted => keyed.lazy().with_column(case_number),
        TaskOrder::CasesTogether => {
            sort_within_cases(keyed.lazy().with_column(case_number).collect()?)?.lazy()
        }
        TaskOrder::Unsorted => keyed
            .lazy()
            .sort(["case_id", "__key", ROW], order)
            .with_column(case_number),
    }
    .with_row_index("__pos", None)
    .collect()?;
    let g = sorted
        .column("__g")?
        .as_materialized_series()
        .u32()?
        .clone();
    let groups = g.max().unwrap_or(0);
    phases.done("  sort");
    // The case's fields: joined once per case (on its first row), then picked for every
    // task by its case number (a join of every task on the case id text costs more).
    let per_case = sorted
        .clone()
        .lazy()
        .filter(case_starts())
        .select([col("__g"), col("case_id")])
        .join(
            case_lookup(cases, &case_fields),
            [col("case_id")],
            [col("case_id")],
            JoinArgs::new(JoinType::Left),
        )
        .sort(["__g"], SortMultipleOptions::default())
        .drop(cols(["__g", "case_id"]))
        .collect()?;
    polars_ensure!(
        per_case.height() == groups as usize,
        ComputeError: "one row per case expected, got {} for {groups} cases",
        per_case.height()
    );
    let index: IdxCa = &g - 1;
    sorted.hstack_mut(per_case.take(&index)?.columns())?;
    phases.done("  case fields");
    let packed = if windows {
        None
    } else {
        Packing::fit(&sorted, "__done", groups)?.zip(Packing::fit(&sorted, "__vend", groups)?)
    };
    // Per case: the latest completion, the furthest stage and the latest stage-visit end on
    // an earlier row (a null running maximum on the previous row, e.g. an open task, carries
    // the one before); the row holding that end; the stage of the next stage visit.
    let running: Vec<Expr> = if let Some((done, vend)) = packed {
        let first_pos = when(case_starts())
            .then(col("__pos"))
            .otherwise(lit(NULL).cast(IDX_DTYPE))
            .fill_null_with_strategy(ffill);
        // The latest value of a key on an earlier row (of any case).
        let earlier = |e: Expr| e.shift(lit(1)).fill_null_with_strategy(ffill);
        let vend_key = vend.pack(col("__vend"));
        let vend_row = earlier(
            when(vend_key.clone().eq(vend_key.clone().cum_max(false)))
                .then(col("__pos"))
                .otherwise(lit(NULL).cast(IDX_DTYPE)),
        );
        // Stages 0-5 packed as __g × 8 + stage.
        let stage_key = col("__g").cast(DataType::Int64) * lit(8_i64)
            + col("stage_index").cast(DataType::Int64);
        let next_stage = stage_key
            .clone()
            .shift(lit(-1))
            .fill_null_with_strategy(FillNullStrategy::Backward(None));
        let base = col("__g").cast(DataType::Int64) * lit(8_i64);
        let stage_max = earlier(stage_key.cum_max(false));
        vec![
            done.unpack(earlier(done.pack(col("__done")).cum_max(false)))
                .alias("__prev_done"),
            when(stage_max.clone().gt_eq(base.clone()))
                .then(stage_max - base.clone())
                .otherwise(lit(NULL).cast(DataType::Int64))
                .cast(DataType::Int32)
                .alias("__prev_max_stage"),
            vend.unpack(earlier(vend_key.cum_max(false)))
                .alias("__prev_vend"),
            when(vend_row.clone().gt_eq(first_pos))
                .then(col(ROW).gather(vend_row, true))
                .otherwise(lit(NULL).cast(DataType::UInt64))
                .alias("__prev_vrow"),
            when(next_stage.clone().lt(base.clone() + lit(8_i64)))
                .then(next_stage - base)
                .otherwise(lit(NULL).cast(DataType::Int64))
                .cast(DataType::Int32)
                .alias("__next_stage"),
        ]
    } else {
        let case = || [col("__g")];
        let previous_max = |e: Expr| {
            e.cum_max(false)
                .shift(lit(1))
                .fill_null_with_strategy(ffill)
                .over(case())
        };
        vec![
            previous_max(col("__done"))?.alias("__prev_done"),
            previous_max(col("stage_index"))?.alias("__prev_max_stage"),
            previous_max(col("__vend"))?.alias("__prev_vend"),
            when(col("__vend").eq(col("__vend").cum_max(false)))
                .then(col(ROW))
                .otherwise(lit(NULL).cast(DataType::UInt64))
                .fill_null_with_strategy(ffill)
                .shift(lit(1))
                .over(case())?
                .alias("__prev_vrow"),
            col("stage_index")
                .shift(lit(-1))
                .fill_null_with_strategy(FillNullStrategy::Backward(None))
                .over(case())?
                .alias("__next_stage"),
        ]
    };
    let mut lf = if windows {
        sorted.lazy().with_column(
            col("__g")
                .cum_count(false)
                .over([col("__g"), col("stage")])?
                .cast(DataType::Int32)
                .alias("visit"),
        )
    } else {
        let visit = visits(&sorted, codes)?;
        sorted.with_column(visit)?;
        sorted.lazy()
    };
    lf = lf.with_columns(running);
    let mut out = lf
        .with_columns([
            coalesce(&[
                col("assigned_at"),
                col("__prev_done").cast(dt()),
                col("received_at"),
            ])
            .alias("ready_at"),
            col("stage_index")
                .lt(col("__prev_max_stage"))
                .fill_null(lit(false))
                .alias("rework"),
            col("outcome")
                .eq(lit("returned"))
                .fill_null(lit(false))
                .or(col("__next_stage")
                    .lt(col("stage_index"))
                    .fill_null(lit(false)))
                .alias("returned"),
            when(
                col("case_id")
                    .is_not_null()
                    .and(col("__vstart").lt(col("__prev_vend")).fill_null(lit(false))),
            )
            .then(col("__prev_vrow"))
            .otherwise(lit(NULL).cast(DataType::UInt64))
            .alias("__prev_row"),
            col("__known").fill_null(lit(false)),
        ])
        .select(
            std::iter::once(ROW)
                .chain(TASK_COLUMNS)
                .chain(case_fields.iter().copied())
                .chain([
                    "ready_at",
                    "stage_index",
                    "visit",
                    "rework",
                    "returned",
                    "__known",
                    "__prev_row",
                    "__g",
                    "__stage_code",
                ])
                .map(col)
                .collect::<Vec<_>>(),
        )
        .collect()?;
    phases.done("  running values");
    // The rows are in case order: group-bys on the case number can take it by slices.
    let mut g = out.column("__g")?.clone();
    g.set_sorted_flag(polars::series::IsSorted::Ascending);
    out.with_column(g)?;
    Ok(out)
}

/// `visit` (Int32, as the window gives it), the how-manieth visit of its case to its stage each row of the case-sorted task
/// list is (`__g`, `__pos`, `__stage_code` of [`prepare_with_case_fields`]; `codes` stage codes): a stable
/// sort by (case, stage) puts each case's visits to a stage next to each other in time
/// order, where the count is the distance to the first of them; the counts are then put
/// back in the list's order.
fn visits(sorted: &DataFrame, codes: u32) -> PolarsResult<Column> {
    let by_stage = sorted
        .clone()
        .lazy()
        .select([
            col("__pos"),
            (col("__g").cast(DataType::UInt64) * lit(u64::from(codes))
                + col("__stage_code").cast(DataType::UInt64))
            .alias("__k"),
        ])
        .sort(
            ["__k"],
            SortMultipleOptions::default().with_maintain_order(true),
        )
        .with_row_index("__p", None)
        .with_column(
            (col("__p")
                - when(
                    col("__k")
                        .neq(col("__k").shift(lit(1)))
                        .fill_null(lit(true)),
                )
                .then(col("__p"))
                .otherwise(lit(NULL).cast(IDX_DTYPE))
                .fill_null_with_strategy(FillNullStrategy::Forward(None))
                + lit(1))
            .cast(DataType::Int32)
            .alias("visit"),
        )
        .sort(["__pos"], SortMultipleOptions::default())
        .select([col("visit")])
        .collect()?;
    Ok(by_stage.column("visit")?.clone())
}

/// A problem found by [`validate`], with its kind (for the counts).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TaskProblem {
    /// `completed_before_start`, `started_before_assigned`, `unknown_case`,
    /// `overlapping_visits`, `unknown_stage`, `no_timestamps`, `empty_case_id`.
    pub kind: &'static str,
    /// The problem with its file and row.
    pub issue: DataIssue,
}

/// The kinds of task problems, in the order they are counted.
pub const PROBLEM_KINDS: [&str; 8] = [
    "completed_before_start",
    "started_before_assigned",
    "unknown_case",
    "overlapping_visits",
    "unknown_stage",
    "no_timestamps",
    "empty_case_id",
    "unknown_lifecycle",
];

/// Checks every task (see the module docs) of the `prepared` task list ([`prepare_with_case_fields`]). A task
/// list derived from `cases` is not checked here: the order of the stage timestamps is what
/// the `date_order` rules of `policyqc check` judge.
pub fn validate(list: &TaskList, prepared: &DataFrame) -> PolarsResult<Vec<TaskProblem>> {
    if list.source == TaskSource::Cases {
        return Ok(Vec::new());
    }
    let fmt = |c: &str| {
        col(c)
            .dt()
            .strftime("%Y-%m-%d %H:%M:%S")
            .fill_null(lit("(empty)"))
    };
    // An event log's activities outside the stages are `other`, counted, not bad data.
    let known_stage = STAGES
        .iter()
        .chain(WAIT_STEPS.iter())
        .chain(std::iter::once(&OTHER_STAGE))
        .map(|s| col("stage").eq(lit(*s)))
        .reduce(Expr::or)
        .expect("stages");
    let ms = |e: Expr| e.cast(DataType::Int64);
    let flags = [
        col("case_id").is_null().alias("empty_case_id"),
        col("case_id")
            .is_not_null()
            .and(col("__known").not())
            .alias("unknown_case"),
        col("stage")
            .is_not_null()
            .and(known_stage.not())
            .alias("unknown_stage"),
        col("assigned_at")
            .is_null()
            .and(col("started_at").is_null())
            .and(col("completed_at").is_null())
            .alias("no_timestamps"),
        ms(col("started_at"))
            .lt(ms(col("assigned_at")))
            .fill_null(lit(false))
            .alias("started_before_assigned"),
        ms(col("completed_at"))
            .lt(ms(coalesce(&[col("started_at"), col("assigned_at")])))
            .fill_null(lit(false))
            .alias("completed_before_start"),
        col("__prev_row").is_not_null().alias("overlapping_visits"),
    ];
    // Flag every task, keep the flagged ones, and only then write their values as text.
    let flagged = prepared
        .clone()
        .lazy()
        .with_columns(flags)
        .filter(
            col("empty_case_id")
                .or(col("unknown_case"))
                .or(col("unknown_stage"))
                .or(col("no_timestamps"))
                .or(col("started_before_assigned"))
                .or(col("completed_before_start"))
                .or(col("overlapping_visits")),
        )
        .select([
            col(ROW),
            col("case_id").fill_null(lit("")),
            col("stage").fill_null(lit("")).alias("stage_text"),
            fmt("assigned_at").alias("assigned_text"),
            fmt("started_at").alias("started_text"),
            fmt("completed_at").alias("completed_text"),
            col("empty_case_id"),
            col("unknown_case"),
            col("unknown_stage"),
            col("no_timestamps"),
            col("started_before_assigned"),
            col("completed_before_start"),
            col("overlapping_visits"),
            col("__prev_row"),
        ])
        .collect()?;
    // The visits overlapped, written as text: only those rows (formatting every task's
    // times would cost seconds on millions of tasks).
    let overlapped = prepared
        .clone()
        .lazy()
        .join(
            flagged
                .clone()
                .lazy()
                .select([col("__prev_row")])
                .drop_nulls(None)
                .unique(None, UniqueKeepStrategy::Any),
            [col(ROW)],
            [col("__prev_row")],
            JoinArgs::new(JoinType::Semi),
        )
        .select([
            col(ROW).alias("__prev_row"),
            col("stage").alias("__prev_stage"),
            fmt("started_at").alias("__prev_from"),
            fmt("completed_at").alias("__prev_to"),
        ]);
    let flagged = flagged
        .lazy()
        .join(
            overlapped,
            [col("__prev_row")],
            [col("__prev_row")],
            JoinArgs::new(JoinType::Left),
        )
        .sort([ROW], SortMultipleOptions::default())
        .collect()?;

    let table = match list.source {
        TaskSource::Events => "events",
        TaskSource::Tasks => "tasks",
        TaskSource::Cases => "cases",
    };
    let text = |name: &str| -> Vec<String> {
        column_str(&flagged, name)
            .into_iter()
            .map(Option::unwrap_or_default)
            .collect()
    };
    let flag = |name: &str| -> Vec<bool> {
        flagged
            .column(name)
            .ok()
            .and_then(|c| {
                c.bool()
                    .ok()
                    .map(|b| b.iter().map(|v| v == Some(true)).collect())
            })
            .unwrap_or_default()
    };
    let rows = column_u64(&flagged, ROW);
    let (cases, stages) = (text("case_id"), text("stage_text"));
    let (assigned, started, completed) = (
        text("assigned_text"),
        text("started_text"),
        text("completed_text"),
    );
    let prev_rows: Vec<Option<u64>> = flagged.column("__prev_row")?.u64()?.iter().collect();
    let (prev_stage, prev_from, prev_to) =
        (text("__prev_stage"), text("__prev_from"), text("__prev_to"));
    let flags: Vec<(&'static str, Vec<bool>)> = [
        "empty_case_id",
        "unknown_case",
        "unknown_stage",
        "no_timestamps",
        "started_before_assigned",
        "completed_before_start",
        "overlapping_visits",
    ]
    .into_iter()
    .map(|k| (k, flag(k)))
    .collect();
    let mut out = Vec::new();
    for i in 0..flagged.height() {
        for (kind, set) in &flags {
            if !set[i] {
                continue;
            }
            let (field, value, problem) = match *kind {
                "empty_case_id" => (
                    "case_id",
                    String::new(),
                    String::from("case_id is empty: the task cannot be traced to a case"),
                ),
                "unknown_case" => (
                    "case_id",
                    cases[i].clone(),
                    format!(
                        "task for case {}, which is not in the cases file (no intake record)",
                        cases[i]
                    ),
                ),
                "unknown_stage" => (
                    "stage",
                    stages[i].clone(),
                    format!(
                        "unknown stage `{}` (stages: {}, {}); the task is kept under that name",
                        stages[i],
                        STAGES.join(", "),
                        WAIT_STEPS.join(", ")
                    ),
                ),
                "no_timestamps" => (
                    "assigned_at",
                    String::new(),
                    String::from(
                        "the task has no assigned, started or completed time: it cannot be placed in time",
                    ),
                ),
                "started_before_assigned" => (
                    "started_at",
                    started[i].clone(),
                    format!(
                        "started at {} before it was assigned at {} (timestamps out of order); its waiting time is left empty",
                        started[i], assigned[i]
                    ),
                ),
                "completed_before_start" => (
                    "completed_at",
                    completed[i].clone(),
                    format!(
                        "completed at {} before it started at {}; its handling time is left empty",
                        completed[i],
                        if started[i] == "(empty)" {
                            &assigned[i]
                        } else {
                            &started[i]
                        }
                    ),
                ),
                _ => (
                    "started_at",
                    started[i].clone(),
                    format!(
                        "{} visit from {} overlaps the {} visit of the same case at row {} ({} to {}): a case cannot be at two stages at once",
                        stages[i],
                        if started[i] == "(empty)" {
                            &assigned[i]
                        } else {
                            &started[i]
                        },
                        prev_stage[i],
                        prev_rows[i].unwrap_or_default(),
                        prev_from[i],
                        if prev_to[i] == "(empty)" {
                            "still open"
                        } else {
                            &prev_to[i]
                        }
                    ),
                ),
            };
            out.push(TaskProblem {
                kind,
                issue: DataIssue {
                    file: list.file.clone(),
                    row: rows[i],
                    table: table.to_owned(),
                    case_id: cases[i].clone(),
                    field: field.to_owned(),
                    column: list.column(field),
                    value,
                    problem,
                },
            });
        }
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ms(t: &str) -> Option<i64> {
        (!t.is_empty()).then(|| {
            chrono::NaiveDateTime::parse_from_str(t, "%Y-%m-%d %H:%M")
                .expect("time")
                .and_utc()
                .timestamp_millis()
        })
    }

    fn times(name: &str, values: &[&str]) -> PolarsResult<Column> {
        Column::new(
            name.into(),
            values.iter().map(|t| ms(t)).collect::<Vec<_>>(),
        )
        .cast(&dt())
    }

    /// Tasks of three cases, one case not in `cases` (C9), two tasks without a case id, with
    /// an open task, waits, a return, an overlap, an unknown stage and a task without times.
    fn frames() -> PolarsResult<(DataFrame, DataFrame)> {
        // case id, stage, assigned, started, completed, outcome
        type Task<'a> = (
            Option<&'a str>,
            Option<&'a str>,
            &'a str,
            &'a str,
            &'a str,
            Option<&'a str>,
        );
        let rows: [Task; 14] = [
            (
                Some("C2"),
                Some("intake"),
                "2026-10-05 09:00",
                "2026-10-05 09:10",
                "2026-10-05 09:30",
                Some("done"),
            ),
            (
                Some("C1"),
                Some("intake"),
                "2026-10-05 10:00",
                "2026-10-05 10:05",
                "2026-10-05 10:20",
                Some("done"),
            ),
            (
                Some("C1"),
                Some("review"),
                "",
                "2026-10-05 11:00",
                "2026-10-05 12:00",
                Some("queried"),
            ),
            (
                Some("C1"),
                Some("query"),
                "2026-10-05 12:00",
                "2026-10-05 12:00",
                "2026-10-06 09:00",
                Some("done"),
            ),
            (
                Some("C1"),
                Some("review"),
                "",
                "",
                "2026-10-06 10:00",
                Some("done"),
            ),
            (
                Some("C1"),
                Some("entry"),
                "2026-10-06 10:00",
                "2026-10-06 10:30",
                "2026-10-06 11:00",
                Some("done"),
            ),
            (
                Some("C1"),
                Some("double_check"),
                "2026-10-06 11:00",
                "2026-10-06 11:10",
                "2026-10-06 11:20",
                Some("returned"),
            ),
            (
                Some("C1"),
                Some("entry"),
                "2026-10-06 11:20",
                "2026-10-06 11:25",
                "",
                None,
            ),
            (
                Some("C2"),
                Some("review"),
                "2026-10-05 09:30",
                "2026-10-05 09:20",
                "2026-10-05 10:00",
                Some("done"),
            ),
            (Some("C2"), Some("scanning"), "", "", "", None),
            (
                Some("C9"),
                Some("intake"),
                "2026-10-07 09:00",
                "",
                "2026-10-07 09:30",
                Some("done"),
            ),
            (None, Some("intake"), "2026-10-05 09:00", "", "", None),
            (None, Some("intake"), "", "", "2026-10-05 08:00", None),
            (
                Some("C2"),
                None,
                "2026-10-05 09:40",
                "2026-10-05 09:45",
                "2026-10-05 09:50",
                None,
            ),
        ];
        let tasks = DataFrame::new_infer_height(vec![
            Column::new(ROW.into(), (2..2 + rows.len() as u64).collect::<Vec<_>>()),
            Column::new(
                "case_id".into(),
                rows.iter().map(|r| r.0).collect::<Vec<_>>(),
            ),
            Column::new("stage".into(), rows.iter().map(|r| r.1).collect::<Vec<_>>()),
            Column::new("operator".into(), vec![Some("OP1"); rows.len()]),
            times("assigned_at", &rows.iter().map(|r| r.2).collect::<Vec<_>>())?,
            times("started_at", &rows.iter().map(|r| r.3).collect::<Vec<_>>())?,
            times(
                "completed_at",
                &rows.iter().map(|r| r.4).collect::<Vec<_>>(),
            )?,
            Column::new(
                "outcome".into(),
                rows.iter().map(|r| r.5).collect::<Vec<_>>(),
            ),
        ])?;
        let none = || times("x", &["", "", ""]);
        let cases = DataFrame::new_infer_height(vec![
            Column::new(ROW.into(), vec![2_u64, 3, 4]),
            Column::new("case_id".into(), vec!["C1", "C2", "C1"]),
            times("received_at", &["2026-10-05 08:00", "2026-10-05 08:30", ""])?,
            times("bound_at", &["", "2026-10-05 17:00", ""])?,
            Column::new("change_type".into(), vec!["surrender"; 3]),
            Column::new("branch".into(), vec!["HQ"; 3]),
            none()?.with_name("query_opened_at".into()),
            none()?.with_name("query_closed_at".into()),
            none()?.with_name("referred_at".into()),
            none()?.with_name("referral_returned_at".into()),
        ])?;
        Ok((tasks, cases))
    }

    #[test]
    fn whole_column_running_values_match_the_per_case_windows() -> PolarsResult<()> {
        let (tasks, cases) = frames()?;
        let fast = prepare(&tasks, &cases)?;
        let windows = prepare_with(tasks.clone(), &cases, &CASE_FIELDS_PER_TASK, true)?;
        assert_eq!(fast.height(), 14);
        assert_same_frame(&fast, &windows, "windows");
        Ok(())
    }

    #[test]
    fn running_values_by_hand() -> PolarsResult<()> {
        let (tasks, cases) = frames()?;
        let p = prepare(&tasks, &cases)?;
        let u32s = |name: &str| -> Vec<Option<u32>> {
            p.column(name)
                .expect("column")
                .cast(&DataType::UInt32)
                .expect("cast")
                .u32()
                .expect("u32")
                .iter()
                .collect()
        };
        let flags = |name: &str| -> Vec<bool> {
            p.column(name)
                .expect("column")
                .bool()
                .expect("bool")
                .iter()
                .map(|v| v == Some(true))
                .collect()
        };
        // Case order (C1, C2, C9, then the two tasks without a case id in row order), then
        // time (assigned, else started, else completed), then row. C1: intake (row 3),
        // review (4, 11:00), query (5, 12:00), review (6, completed 10-06 10:00), entry (7),
        // double_check (8), entry (9, open). C2: intake (2, 09:00), review (10, 09:30),
        // unnamed stage (15, 09:40), scanning (11, no time: last). C9: row 12. Then 13, 14.
        assert_eq!(
            column_u64(&p, ROW),
            [3, 4, 5, 6, 7, 8, 9, 2, 10, 15, 11, 12, 14, 13]
        );
        // Visits of the case to the stage: C1's second review and second entry are visit 2.
        assert_eq!(
            u32s("visit"),
            [1, 1, 1, 2, 1, 1, 2, 1, 1, 1, 1, 1, 1, 1].map(Some)
        );
        // The second entry (after the double check) goes back: rework; the double check is
        // returned (its outcome, and the next stage visit is earlier).
        assert_eq!(
            flags("rework"),
            [
                false, false, false, false, false, false, true, false, false, false, false, false,
                false, false
            ]
        );
        assert_eq!(
            flags("returned"),
            [
                false, false, false, false, false, true, false, false, false, false, false, false,
                false, false
            ]
        );
        // Ready: C1's first review has no assignment: ready when the intake completed
        // (10:20); the second review (no assignment, no start) when the latest earlier
        // completion was, the query's (10-06 09:00). C9's intake is assigned.
        let ready: Vec<Option<i64>> = p
            .column("ready_at")?
            .cast(&DataType::Int64)?
            .i64()?
            .iter()
            .collect();
        assert_eq!(ready[1], ms("2026-10-05 10:20"));
        assert_eq!(ready[3], ms("2026-10-06 09:00"));
        assert_eq!(ready[11], ms("2026-10-07 09:00"));
        // The task without a case id and without assignment (row 14): nothing earlier in
        // its own case (each such task is one) and no case: not ready; row 13 is assigned.
        assert_eq!(ready[12], None);
        assert_eq!(ready[13], ms("2026-10-05 09:00"));
        // Overlaps: C2's review starts (09:20) before its intake completed (09:30): row 2;
        // the unnamed stage (09:45) starts before the review completed (10:00): row 10.
        // Waits (C1's query) and the tasks without a case id are not checked.
        let prev: Vec<Option<u64>> = p.column("__prev_row")?.u64()?.iter().collect();
        assert_eq!(
            prev,
            [
                None,
                None,
                None,
                None,
                None,
                None,
                None,
                None,
                Some(2),
                Some(10),
                None,
                None,
                None,
                None
            ]
        );
        assert_eq!(
            flags("__known"),
            [
                true, true, true, true, true, true, true, true, true, true, true, false, false,
                false
            ]
        );
        Ok(())
    }

    /// The same columns with the same values, empty values included.
    #[track_caller]
    fn assert_same_frame(a: &DataFrame, b: &DataFrame, what: &str) {
        assert_eq!(a.schema(), b.schema(), "{what}");
        for (x, y) in a.columns().iter().zip(b.columns()) {
            assert!(
                x.as_materialized_series()
                    .equals_missing(y.as_materialized_series()),
                "{what}, {}: {x:?} vs {y:?}",
                x.name()
            );
        }
    }

    /// The tasks of [`frames`] in the order of their file rows `rows`.
    fn in_row_order(tasks: &DataFrame, rows: &[u64]) -> PolarsResult<DataFrame> {
        let at: Vec<IdxSize> = rows.iter().map(|r| (*r - 2) as IdxSize).collect();
        tasks.take(&IdxCa::from_vec("at".into(), at))
    }

    #[test]
    fn tasks_in_any_order_are_prepared_alike() -> PolarsResult<()> {
        let (tasks, cases) = frames()?;
        let reference = prepare(&tasks, &cases)?;
        // Already in task order (the order `running_values_by_hand` derives); the cases
        // together and in order but C1's review (row 4) after its query (row 5) and C2's
        // unnamed stage (15) after scanning (11); the file's own order (C2 first).
        let orders: [&[u64]; 3] = [
            &[3, 4, 5, 6, 7, 8, 9, 2, 10, 15, 11, 12, 14, 13],
            &[3, 5, 4, 6, 7, 8, 9, 2, 10, 11, 15, 12, 14, 13],
            &[2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15],
        ];
        for rows in orders {
            let p = prepare(&in_row_order(&tasks, rows)?, &cases)?;
            assert_same_frame(&p, &reference, &format!("rows {rows:?}"));
        }
        Ok(())
    }

    #[test]
    fn task_order_is_told_apart() -> PolarsResult<()> {
        let order = |cases: &[Option<&str>], keys: &[Option<i64>], rows: &[u64]| {
            task_order(&df!(
                "case_id" => cases,
                "__key" => keys,
                ROW => rows,
            )?)
        };
        let (c1, c2) = (Some("C1"), Some("C2"));
        // Sorted: cases in order, times in order (empty last), equal times by row, rows
        // without a case last.
        assert_eq!(
            order(
                &[c1, c1, c1, c1, c2, None],
                &[Some(1), Some(2), Some(2), None, Some(0), Some(5)],
                &[2, 3, 4, 5, 6, 7]
            )?,
            TaskOrder::Sorted
        );
        // One case's tasks out of time order, or equal times out of row order, or an empty
        // time before a set one: the cases are still together.
        for (keys, rows) in [
            ([Some(2), Some(1), Some(0)], [2, 3, 4]),
            ([Some(1), Some(1), Some(0)], [3, 2, 4]),
            ([None, Some(1), Some(0)], [2, 3, 4]),
        ] {
            assert_eq!(
                order(&[c1, c1, c2], &keys, &rows)?,
                TaskOrder::CasesTogether
            );
        }
        // Cases out of order, split, or a task without a case before one with a case.
        for cases in [[c2, c1, c1], [c1, c2, c1], [None, c1, c2]] {
            assert_eq!(
                order(&cases, &[Some(0), Some(1), Some(2)], &[2, 3, 4])?,
                TaskOrder::Unsorted
            );
        }
        // Tasks without a case out of time order: sorted only by the full sort.
        assert_eq!(
            order(&[c1, None, None], &[Some(0), Some(2), Some(1)], &[2, 3, 4])?,
            TaskOrder::Unsorted
        );
        Ok(())
    }

    #[test]
    fn packing_needs_the_keys_to_fit() -> PolarsResult<()> {
        let df = df!("v" => [Some(5_i64), Some(i64::MAX), None, Some(7)])?;
        // Values 5..=7 and the open end: offsets 0..=2, the open end 3, 4 keys a case.
        let p = Packing::fit(&df, "v", 1_000)?.expect("fits");
        assert_eq!((p.low, p.high, p.span), (5, 7, 4));
        // A span of 2^62 milliseconds for 2 cases cannot be packed in an Int64.
        let df = df!("v" => [0_i64, 1 << 62])?;
        assert!(Packing::fit(&df, "v", 2)?.is_none());
        assert!(Packing::fit(&df, "v", 0)?.is_some());
        Ok(())
    }
}
