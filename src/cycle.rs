//! Cycle times and the daily status report: column map -> cases, task list (tasks, event log,
//! or derived from the cases), calendar, rules -> working-time tables -> output folder.
//!
//! [`run_cycle`] computes `case_times`, `stage_times`, `operator_times` and `cycle_summary`
//! (`metrics::cycle_times`); [`run_status`] the day's status report
//! (`metrics::status`). Both read the same inputs ([`load`]) and report bad data
//! (values that cannot be read, bad tasks) with file and row in `data_findings.csv`, and go on.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use chrono::{Duration, NaiveDate, NaiveDateTime};
use polars::prelude::*;

use crate::check::{
    RunError, calendar_path, load_calendar, load_column_map, load_rules, load_settings,
    office_time_zone,
};
use crate::config::columns::ColumnMap;
use crate::engine::compile::CompileCtx;
use crate::engine::working_time::WorkingClock;
use crate::input::reference::Roster;
use crate::input::tasks::{
    CASE_FIELDS_PER_TASK, PROBLEM_KINDS, TaskList, TaskProblem, TaskSource,
    prepare_with_case_fields, read_task_list, read_without_cases, validate,
};
use crate::input::{
    DataIssue, DataSources, InputError, ROW, TableData, case_id_issues, column_str, column_u64,
    read_table, read_table_fields,
};
use crate::metrics::cycle_times;
use crate::metrics::status::{StatusReport, status};
use crate::report::{Cells, Format, write_table};
use crate::rules::RuleSet;
use crate::schema::Table;

/// What to read.
#[derive(Debug, Clone, Default)]
pub struct CycleOptions {
    /// The data files (cases, and tasks or events, operators, calendar, columns).
    pub sources: DataSources,
    /// A rule directory for the time limits; `None` = the embedded default pack.
    pub rules_dir: Option<PathBuf>,
    /// The instant open cases and tasks are aged to; `None` = the latest timestamp in the data.
    pub as_of: Option<NaiveDateTime>,
    /// Stop on any data finding instead of reporting it.
    pub strict: bool,
    /// How `cycle_summary`'s percentiles are computed.
    pub percentiles: cycle_times::PercentileMethod,
}

/// Everything read for a cycle or status run.
#[derive(Debug, Clone)]
pub struct Inputs {
    /// The column map.
    pub map: ColumnMap,
    /// The rule set (its `duration` and `cycle_time` rules between two timestamps are the
    /// time limits; the other rules are not evaluated here).
    pub rules: RuleSet,
    /// The cases.
    pub cases: TableData,
    /// The task list as read, without its frame (`prepared` has every task).
    pub tasks: TaskList,
    /// The task list in case order with ready times and rework flags
    /// ([`crate::input::tasks::prepare_with_case_fields`]).
    pub prepared: DataFrame,
    /// The roster, when the folder has one.
    pub roster: Option<Roster>,
    /// The working clock, covering every date of the data (and the requested day).
    pub clock: WorkingClock,
    /// Bad tasks, by kind.
    pub task_problems: Vec<TaskProblem>,
    /// Every data finding (unreadable values, duplicate ids, bad tasks, unmeasurable cases),
    /// sorted by file and row.
    pub issues: Vec<DataIssue>,
    /// The latest timestamp in the data.
    pub latest: Option<NaiveDateTime>,
    /// Time limits of the rule set that cannot be evaluated on this data (`rules` holds the
    /// others).
    pub not_evaluated: Vec<crate::rules::needs::NotEvaluated>,
    /// Cases of the cases table with no task in the task list or event log (id order).
    pub cases_without_tasks: Vec<String>,
    /// Cases of the task list or event log that are not in the cases table (id order).
    pub cases_not_in_table: Vec<String>,
}

fn no_cases(sources: &DataSources) -> InputError {
    InputError::NoCases {
        dir: sources.dir.as_ref().map_or_else(
            || String::from("(no folder given)"),
            |d| d.display().to_string(),
        ),
    }
}

/// The latest value of every timestamp column of the frames.
fn latest_timestamp(frames: &[&DataFrame]) -> PolarsResult<Option<NaiveDateTime>> {
    let mut latest: Option<i64> = None;
    for df in frames {
        let exprs: Vec<Expr> = df
            .schema()
            .iter()
            .filter(|(_, t)| matches!(t, DataType::Datetime(_, _)))
            .map(|(n, _)| col(n.clone()).cast(DataType::Int64).max())
            .collect();
        if exprs.is_empty() {
            continue;
        }
        let row = (*df).clone().lazy().select(exprs).collect()?;
        for c in row.columns() {
            if let Ok(Some(v)) = c.get(0).map(|v| v.extract::<i64>()) {
                latest = Some(latest.map_or(v, |l| l.max(v)));
            }
        }
    }
    Ok(latest.and_then(|ms| chrono::DateTime::from_timestamp_millis(ms).map(|d| d.naive_utc())))
}

/// With a cases table and a task list or event log, where they disagree on the cases: the
/// cases of the table with no task (just received, or missing from the log), and the cases of
/// tasks that are not in the table (each also a data finding, `no_intake_record`); both in id
/// order.
fn case_set_difference(cases: &TableData, tasks: &TaskList) -> (Vec<String>, Vec<String>) {
    if tasks.source == TaskSource::Cases {
        return (Vec::new(), Vec::new());
    }
    let set = |df: &DataFrame| -> std::collections::BTreeSet<String> {
        column_str(df, "case_id").into_iter().flatten().collect()
    };
    let (in_table, in_tasks) = (set(&cases.df), set(&tasks.df));
    (
        in_table.difference(&in_tasks).cloned().collect(),
        in_tasks.difference(&in_table).cloned().collect(),
    )
}

/// Cases whose cycle cannot be measured: no `received_at`, or bound before received.
fn case_issues(cases: &TableData, map: &ColumnMap) -> PolarsResult<Vec<DataIssue>> {
    let column = |field: &str| {
        map.mappings(Table::Cases)
            .into_iter()
            .find(|m| m.field == field)
            .map(|m| m.column)
            .unwrap_or_default()
    };
    let bad = cases
        .df
        .clone()
        .lazy()
        .filter(
            col("received_at").is_null().or(col("bound_at")
                .cast(DataType::Int64)
                .lt(col("received_at").cast(DataType::Int64))
                .fill_null(lit(false))),
        )
        .select([
            col(ROW),
            col("case_id"),
            col("received_at").is_null().alias("no_receipt"),
            col("received_at")
                .dt()
                .strftime("%Y-%m-%d %H:%M:%S")
                .alias("received"),
            col("bound_at")
                .dt()
                .strftime("%Y-%m-%d %H:%M:%S")
                .alias("bound"),
        ])
        .collect()?;
    let no_receipt: Vec<bool> = bad
        .column("no_receipt")?
        .bool()?
        .iter()
        .map(|v| v == Some(true))
        .collect();
    let received = column_str(&bad, "received");
    let bound = column_str(&bad, "bound");
    Ok(column_u64(&bad, ROW)
        .into_iter()
        .zip(column_str(&bad, "case_id"))
        .enumerate()
        .map(|(i, (row, case))| {
            let (field, value, problem) = if no_receipt[i] {
                (
                    "received_at",
                    String::new(),
                    String::from("received_at is empty: the cycle time cannot be measured (cycle columns left empty)"),
                )
            } else {
                (
                    "bound_at",
                    bound[i].clone().unwrap_or_default(),
                    format!(
                        "bound at {} before it was received at {}: the cycle time cannot be measured (cycle columns left empty)",
                        bound[i].clone().unwrap_or_default(),
                        received[i].clone().unwrap_or_default()
                    ),
                )
            };
            DataIssue {
                file: cases.file.clone(),
                row,
                table: String::from("cases"),
                case_id: case.unwrap_or_default(),
                field: field.to_owned(),
                column: column(field),
                value,
                problem,
            }
        })
        .collect())
}

/// Reads and checks everything a cycle or status run needs. `day` is a date the clock must
/// cover besides the data (the status report's day).
pub fn load(opts: &CycleOptions, day: Option<NaiveDate>) -> Result<Inputs, RunError> {
    let mut phases = crate::timing::Phases::new();
    let mut map = load_column_map(opts.sources.columns.as_deref())?;
    let sources = &opts.sources.with_files(&map);
    let settings = load_settings(sources.settings.as_deref())?;
    map.office_time_zone = office_time_zone(&settings);
    let rules = load_rules(opts.rules_dir.as_deref(), &map, &settings)?;
    // The time limits: the rules this command evaluates (a limit that cannot be evaluated,
    // for an unset setting or an absent column, is listed, not applied).
    let all_limits: Vec<String> = rules
        .rules
        .iter()
        .filter(|r| r.kind.time_limit().is_some_and(|l| l.is_processing_limit()))
        .map(|r| r.id.clone())
        .collect();
    let calendar = load_calendar(calendar_path(sources, &settings).as_deref())?;
    let has_task_list = sources.tasks.is_some() || sources.events.is_some();
    if sources.cases.is_none() && !has_task_list {
        return Err(no_cases(sources).into());
    }
    // Only the time limits are evaluated here: only their fields must be in the file.
    let mut needed: Vec<String> = rules
        .rules
        .iter()
        .filter(|r| r.kind.time_limit().is_some_and(|l| l.is_processing_limit()))
        .flat_map(crate::rules::Rule::fields)
        .collect();
    needed.extend(["received_at", "bound_at"].map(String::from));
    needed.sort();
    needed.dedup();
    // Only the cycle's start is required: a time limit whose fields are absent is not
    // evaluated (`rules::needs`), and an absent stage timestamp is an empty one.
    let required = [String::from("received_at")];
    phases.done("config");
    // With a task list or event log, only the case fields measured here are read (the key,
    // those a task can carry and the time limits' fields): the others are neither parsed
    // nor checked (`check` reports their unreadable values). Tasks derived from the cases
    // need the stage fields, so then every field is read.
    let mut only = needed.clone();
    only.extend(CASE_FIELDS_PER_TASK.map(String::from));
    only.push(String::from("case_id"));
    // Without a cases table, the cases are those of the task list or event log.
    let (cases, tasks) = if let Some(path) = sources.cases.as_deref() {
        let cases = read_table_fields(
            path,
            Table::Cases,
            &map,
            &required,
            has_task_list.then_some(only.as_slice()),
        )?;
        (cases, None)
    } else {
        let (cases, tasks) = read_without_cases(sources, &map)?;
        (cases, Some(tasks))
    };
    phases.done("read cases");
    let (rules, not_evaluated) = crate::rules::needs::split(
        &rules,
        &crate::rules::needs::Available {
            absent_fields: &cases.absent,
            roster: true,
            authority: true,
        },
    );
    let not_evaluated: Vec<_> = not_evaluated
        .into_iter()
        .filter(|n| all_limits.contains(&n.rule_id))
        .collect();
    let mut issues = cases.issues.clone();
    issues.extend(case_id_issues(&cases, &map));
    issues.extend(case_issues(&cases, &map)?);
    let roster = match sources.operators.as_deref() {
        Some(p) => {
            let t = read_table(p, Table::Operators, &map, &[])?;
            issues.extend(t.issues.iter().cloned());
            Some(Roster::from_table(&t)?)
        }
        None => None,
    };
    let mut tasks = match tasks {
        Some(t) => t,
        None => read_task_list(sources, &map, Some(&cases))?,
    };
    let (cases_without_tasks, cases_not_in_table) = if sources.cases.is_some() {
        case_set_difference(&cases, &tasks)
    } else {
        (Vec::new(), Vec::new())
    };
    phases.done("read tasks");
    issues.extend(tasks.issues.iter().cloned());
    let latest = latest_timestamp(&[&cases.df, &tasks.df])?;
    let mut extra: Vec<NaiveDate> = Vec::new();
    extra.extend(day.map(|d| d + Duration::days(1)));
    extra.extend(opts.as_of.map(|t| t.date()));
    // Reported after the data findings (as `--strict` would stop first).
    let clock = WorkingClock::covering(calendar, &[&cases.df, &tasks.df], &extra);
    // `cycle` needs only the change type of each task's case (its stage times carry it);
    // the status report needs every case field per task. `prepared` holds every task from
    // here on: the frame as read is handed over (and let go), not kept beside it.
    let case_fields: &[&str] = if day.is_some() {
        &CASE_FIELDS_PER_TASK
    } else {
        &["change_type"]
    };
    let prepared = prepare_with_case_fields(std::mem::take(&mut tasks.df), &cases.df, case_fields)?;
    phases.done("prepare");
    let task_problems = validate(&tasks, &prepared)?;
    phases.done("check tasks");
    issues.extend(task_problems.iter().map(|p| p.issue.clone()));
    issues.sort();
    if opts.strict
        && let Some(first) = issues.first()
    {
        return Err(InputError::Strict {
            count: issues.len(),
            first: first.describe(),
        }
        .into());
    }
    let clock = clock?;
    Ok(Inputs {
        map,
        rules,
        cases,
        tasks,
        prepared,
        roster,
        clock,
        task_problems,
        issues,
        latest,
        not_evaluated,
        cases_without_tasks,
        cases_not_in_table,
    })
}

impl Inputs {
    /// Compiles rules against this data.
    fn with_ctx<T>(&self, f: impl FnOnce(&CompileCtx<'_>) -> T) -> T {
        let catalog = self.map.catalog();
        let ctx = CompileCtx {
            catalog: &catalog,
            authority: None,
            roster: self.roster.as_ref(),
            clock: Some(&self.clock),
        };
        f(&ctx)
    }

    /// The event log's activities in no stage, with their event counts.
    #[must_use]
    pub fn other_activities_json(&self) -> serde_json::Value {
        self.tasks
            .other_activities
            .iter()
            .map(|(a, n)| serde_json::json!({ "activity": a, "events": n }))
            .collect()
    }

    /// One info line per event-log activity that is in no stage (counted under `other`), and
    /// one for the cases the cases table and the task list disagree on.
    #[must_use]
    pub fn info_lines(&self) -> Vec<String> {
        let list = |ids: &[String]| {
            let shown: Vec<&str> = ids.iter().take(10).map(String::as_str).collect();
            let more = ids.len().saturating_sub(10);
            format!(
                "{}{}",
                shown.join(", "),
                if more > 0 {
                    format!(" and {more} more")
                } else {
                    String::new()
                }
            )
        };
        let mut lines = Vec::new();
        if !self.cases_without_tasks.is_empty() || !self.cases_not_in_table.is_empty() {
            lines.push(format!(
                "info: {} and {} disagree on the cases: {} case(s) with no task ({}); {} case(s) of tasks not in the cases table ({})",
                self.cases.file,
                self.tasks.file,
                self.cases_without_tasks.len(),
                list(&self.cases_without_tasks),
                self.cases_not_in_table.len(),
                list(&self.cases_not_in_table),
            ));
        }
        lines.extend(self.tasks.other_activities.iter().map(|(a, n)| {
            format!(
                "info: activity `{a}` ({n} events) is in none of the six stages: counted under `{}`",
                crate::input::tasks::OTHER_STAGE
            )
        }));
        if !self.tasks.other_activities.is_empty() {
            lines.push(String::from(
                "info: to place activities in stages, map them in columns.yaml: events: activity: { column: ..., values: { \"their activity\": review } }",
            ));
        }
        lines
    }

    /// Task problems counted by kind, every kind listed.
    #[must_use]
    pub fn task_problem_counts(&self) -> BTreeMap<&'static str, u64> {
        let mut counts: BTreeMap<&'static str, u64> =
            PROBLEM_KINDS.iter().map(|k| (*k, 0)).collect();
        for p in &self.task_problems {
            *counts.entry(p.kind).or_default() += 1;
        }
        // The event log's own problems (`tasks::pair_events`): an event with no timestamp
        // counts as a task with none, one with no activity as one of an unknown stage.
        for i in &self.tasks.issues {
            let kind = match i.field.as_str() {
                "lifecycle" => "unknown_lifecycle",
                "timestamp" => "no_timestamps",
                "activity" => "unknown_stage",
                _ => continue,
            };
            *counts.entry(kind).or_default() += 1;
        }
        counts
    }
}

/// Everything `cycle` produced.
#[derive(Debug, Clone)]
pub struct CycleResult {
    /// The inputs.
    pub inputs: Inputs,
    /// The instant open cases and tasks were aged to.
    pub as_of: NaiveDateTime,
    /// `case_times`.
    pub case_times: DataFrame,
    /// `stage_times`.
    pub stage_times: DataFrame,
    /// `operator_times`.
    pub operator_times: DataFrame,
    /// `cycle_summary`.
    pub summary: DataFrame,
    /// How its percentiles were computed.
    pub percentiles: cycle_times::PercentileMethod,
}

/// Runs `cycle`.
pub fn run_cycle(opts: &CycleOptions) -> Result<CycleResult, RunError> {
    let inputs = load(opts, None)?;
    let mut phases = crate::timing::Phases::new();
    let as_of = opts.as_of.or(inputs.latest).unwrap_or_else(|| {
        NaiveDate::from_ymd_opt(2000, 1, 1)
            .expect("date")
            .and_hms_opt(0, 0, 0)
            .expect("time")
    });
    // Collected once: every table below starts from the same task times.
    let times =
        cycle_times::task_times(inputs.prepared.clone().lazy(), &inputs.clock, as_of).collect()?;
    phases.done("task times");
    let times = times.lazy();
    let derived = inputs.tasks.source == TaskSource::Cases;
    let case_times = cycle_times::case_times(
        &inputs.cases.df,
        (!derived).then(|| times.clone()),
        &inputs.clock,
        as_of,
    )?;
    phases.done("case times");
    let stage_times = cycle_times::stage_times(times.clone())?;
    phases.done("stage times");
    let operator_times = cycle_times::operator_times(times.clone(), inputs.roster.as_ref())?;
    let sla = inputs
        .with_ctx(|ctx| cycle_times::sla_checks(&inputs.cases.df, &inputs.rules.rules, ctx))?;
    phases.done("operator/SLA");
    let summary = cycle_times::summary(
        &case_times,
        &stage_times,
        times,
        &sla,
        inputs.roster.as_ref(),
        opts.percentiles,
    )?;
    phases.done("summary");
    Ok(CycleResult {
        inputs,
        as_of,
        case_times,
        stage_times,
        operator_times,
        summary,
        percentiles: opts.percentiles,
    })
}

/// The data findings as a table (the same columns as `policyqc check` writes).
pub fn data_table(issues: &[DataIssue]) -> PolarsResult<DataFrame> {
    crate::input::data_issues_table(issues)
}

fn format_instant(t: NaiveDateTime) -> String {
    t.format("%Y-%m-%d %H:%M:%S").to_string()
}

/// Writes `summary` as pretty JSON to `<out>/<name>`.
fn write_json(out: &Path, name: &str, value: &serde_json::Value) -> PolarsResult<PathBuf> {
    std::fs::create_dir_all(out)
        .map_err(|e| polars_err!(ComputeError: "cannot create {}: {e}", out.display()))?;
    let path = out.join(name);
    let json = serde_json::to_string_pretty(value).map_err(|e| polars_err!(ComputeError: "{e}"))?;
    std::fs::write(&path, json + "\n")
        .map_err(|e| polars_err!(ComputeError: "cannot write {}: {e}", path.display()))?;
    Ok(path)
}

/// The most days a [`timestamp_text`] date table may hold.
const MAX_TEXT_DAYS: i64 = 100_000;

/// `YYYY-MM-DD HH:MM:SS` text of the `Datetime(ms)` column `name` of `df`, as `strftime`
/// writes it but much faster: the text of each date between the column's first and last
/// (at most [`MAX_TEXT_DAYS`]; else `None`) and of each second of a day are written once,
/// by chrono, and the column picks its two parts from these tables (`gather` on the day
/// number and on the second of the day). Null stays null; milliseconds are dropped.
fn timestamp_text(df: &DataFrame, name: &str) -> PolarsResult<Option<Expr>> {
    const DAY_MS: i64 = 86_400_000;
    let ms = df.column(name)?.cast(&DataType::Int64)?;
    let ms = ms.i64()?;
    let (Some(low), Some(high)) = (ms.min(), ms.max()) else {
        return Ok(None);
    };
    let (first, last) = (low.div_euclid(DAY_MS), high.div_euclid(DAY_MS));
    if last - first >= MAX_TEXT_DAYS {
        return Ok(None);
    }
    let epoch = NaiveDate::from_ymd_opt(1970, 1, 1).expect("epoch");
    let dates: Vec<String> = (first..=last)
        .map(|d| (epoch + Duration::days(d)).format("%Y-%m-%d ").to_string())
        .collect();
    let midnight = epoch.and_hms_opt(0, 0, 0).expect("midnight");
    let times: Vec<String> = (0..86_400)
        .map(|s| {
            (midnight + Duration::seconds(s))
                .format("%H:%M:%S")
                .to_string()
        })
        .collect();
    let ms = || col(name).cast(DataType::Int64);
    let day = ms().floor_div(lit(DAY_MS));
    let second = (ms() - day.clone() * lit(DAY_MS)).floor_div(lit(1000_i64));
    Ok(Some(concat_str(
        [
            lit(Series::new("dates".into(), dates))
                .gather((day - lit(first)).cast(IDX_DTYPE), false),
            lit(Series::new("times".into(), times)).gather(second.cast(IDX_DTYPE), false),
        ],
        "",
        false,
    )))
}

/// Timestamps written as `YYYY-MM-DD HH:MM:SS` text (the input format), the same in every
/// output format.
fn text_timestamps(df: &DataFrame) -> PolarsResult<DataFrame> {
    let mut exprs = Vec::new();
    for (name, dtype) in df.schema().iter() {
        exprs.push(match dtype {
            DataType::Datetime(TimeUnit::Milliseconds, None) => timestamp_text(df, name)?
                .unwrap_or_else(|| col(name.clone()).dt().strftime("%Y-%m-%d %H:%M:%S"))
                .alias(name.clone()),
            DataType::Datetime(_, _) => col(name.clone())
                .dt()
                .strftime("%Y-%m-%d %H:%M:%S")
                .alias(name.clone()),
            _ => col(name.clone()),
        });
    }
    df.clone().lazy().select(exprs).collect()
}

impl CycleResult {
    /// Counts for `cycle_summary.json` and the terminal.
    #[must_use]
    pub fn summary_json(&self) -> serde_json::Value {
        let i = &self.inputs;
        let count = |status: &str| {
            self.case_times
                .column("status")
                .ok()
                .and_then(|c| {
                    c.str()
                        .ok()
                        .map(|s| s.iter().filter(|v| *v == Some(status)).count())
                })
                .unwrap_or(0)
        };
        serde_json::json!({
            "tool": format!("policyqc {}", env!("CARGO_PKG_VERSION")),
            "cases_file": i.cases.file,
            "task_source": i.tasks.source.name(),
            "task_file": i.tasks.file,
            "task_rows_read": i.tasks.rows_read,
            "tasks": i.prepared.height(),
            "other_activities": i.other_activities_json(),
            "cases_without_tasks": i.cases_without_tasks,
            "cases_not_in_cases_table": i.cases_not_in_table,
            "as_of": format_instant(self.as_of),
            "calendar_working_hours_per_day": i.clock.day_seconds() as f64 / 3600.0,
            "rules": i.rules.origin,
            "rule_set_sha256": i.rules.hash,
            "time_limit_rules": i.rules.rules.iter().filter(|r| r.kind.time_limit().is_some_and(|l| l.is_processing_limit())).count(),
            "time_limits_not_evaluated": i.not_evaluated.iter().map(|n| serde_json::json!({
                "rule_id": n.rule_id,
                "needs": n.needs.iter().map(ToString::to_string).collect::<Vec<_>>(),
            })).collect::<Vec<_>>(),
            "cases_read": i.cases.df.height(),
            "cases_accounted_for": self.case_times.height(),
            "cases_bound": count("bound"),
            "cases_open": count("open"),
            "data_findings": i.issues.len(),
            "task_problems": i.task_problem_counts(),
            "percentile_method": self.percentiles.name(),
        })
    }

    /// Writes `case_times`, `stage_times`, `operator_times`, `cycle_summary` and
    /// `data_findings` (CSV and each extra format) and `cycle_summary.json` (the page
    /// `cycle.html` is written from the result by the CLI). Every table is built before
    /// anything is written.
    pub fn write(
        &self,
        out: &Path,
        formats: &[Format],
        cells: Cells,
    ) -> PolarsResult<Vec<PathBuf>> {
        let formats = crate::report::with_csv(formats);
        let mut data = data_table(&self.inputs.issues)?;
        let mut written = Vec::new();
        let mut phases = crate::timing::Phases::new();
        let mut case_times = text_timestamps(&self.case_times)?;
        let mut stage_times = text_timestamps(&self.stage_times)?;
        phases.done("timestamps as text");
        for (name, df) in [
            ("case_times", &mut case_times),
            ("stage_times", &mut stage_times),
            ("operator_times", &mut self.operator_times.clone()),
            ("cycle_summary", &mut self.summary.clone()),
            ("data_findings", &mut data),
        ] {
            written.extend(write_table(out, name, df, &formats, cells)?);
            phases.done(&format!("wrote {name}"));
        }
        written.push(write_json(out, "cycle_summary.json", &self.summary_json())?);
        Ok(written)
    }
}

/// Everything `status` produced.
#[derive(Debug, Clone)]
pub struct StatusResult {
    /// The inputs.
    pub inputs: Inputs,
    /// The report.
    pub report: StatusReport,
}

/// Runs `status` for `date`.
pub fn run_status(opts: &CycleOptions, date: NaiveDate) -> Result<StatusResult, RunError> {
    let inputs = load(opts, Some(date))?;
    let prepared = inputs.prepared.clone().lazy();
    let report = inputs.with_ctx(|ctx| {
        status(
            &prepared,
            &inputs.cases.df,
            &inputs.rules.rules,
            ctx,
            date,
            (&inputs.cases.file, &inputs.tasks.file),
        )
    })?;
    Ok(StatusResult { inputs, report })
}

impl StatusResult {
    /// Whether every stage and the cases reconcile.
    #[must_use]
    pub fn reconciled(&self) -> bool {
        self.report
            .reconciliation
            .column("reconciled")
            .ok()
            .and_then(|c| c.bool().ok().map(|b| b.iter().all(|v| v == Some(true))))
            .unwrap_or(false)
    }

    /// Counts for `status.json` and the terminal.
    #[must_use]
    pub fn summary_json(&self) -> serde_json::Value {
        let r = &self.report;
        let mut kinds: BTreeMap<String, u64> = [
            "disappeared",
            "unaccounted",
            "no_intake_record",
            "no_receipt_time",
        ]
        .iter()
        .map(|k| ((*k).to_owned(), 0))
        .collect();
        for k in column_str(&r.exceptions, "kind").into_iter().flatten() {
            *kinds.entry(k).or_default() += 1;
        }
        serde_json::json!({
            "tool": format!("policyqc {}", env!("CARGO_PKG_VERSION")),
            "date": r.date.format("%Y-%m-%d").to_string(),
            "end_of_day": format_instant((r.date + Duration::days(1)).and_hms_opt(0, 0, 0).expect("midnight")),
            "cases_file": self.inputs.cases.file,
            "task_source": self.inputs.tasks.source.name(),
            "task_file": self.inputs.tasks.file,
            "other_activities": self.inputs.other_activities_json(),
            "rules": self.inputs.rules.origin,
            "rule_set_sha256": self.inputs.rules.hash,
            "reconciled": self.reconciled(),
            "stuck_cases": column_str(&r.stuck, "case_id").into_iter().flatten().collect::<std::collections::BTreeSet<_>>().len(),
            "stuck_rows": r.stuck.height(),
            "exceptions": r.exceptions.height(),
            "exceptions_by_kind": kinds,
            "data_findings": self.inputs.issues.len(),
            "task_problems": self.inputs.task_problem_counts(),
        })
    }

    /// Writes `status`, `reconciliation`, `stuck_cases`, `exceptions`, `data_findings` and
    /// `status.json`.
    pub fn write(
        &self,
        out: &Path,
        formats: &[Format],
        cells: Cells,
    ) -> PolarsResult<Vec<PathBuf>> {
        let formats = crate::report::with_csv(formats);
        let r = &self.report;
        let mut data = data_table(&self.inputs.issues)?;
        let mut written = Vec::new();
        for (name, df) in [
            ("status", &mut r.status.clone()),
            ("reconciliation", &mut r.reconciliation.clone()),
            ("stuck_cases", &mut text_timestamps(&r.stuck)?),
            ("exceptions", &mut text_timestamps(&r.exceptions)?),
            ("data_findings", &mut data),
        ] {
            written.extend(write_table(out, name, df, &formats, cells)?);
        }
        written.push(write_json(out, "status.json", &self.summary_json())?);
        Ok(written)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn frame(values: &[Option<i64>]) -> PolarsResult<DataFrame> {
        DataFrame::new_infer_height(vec![
            Column::new("t".into(), values.to_vec())
                .cast(&DataType::Datetime(TimeUnit::Milliseconds, None))?,
        ])
    }

    fn texts(df: &DataFrame) -> Vec<Option<String>> {
        column_str(&text_timestamps(df).expect("text"), "t")
    }

    /// The same column written by polars' `strftime` (the reference).
    fn strftime_texts(df: &DataFrame) -> PolarsResult<Vec<Option<String>>> {
        let out = df
            .clone()
            .lazy()
            .select([col("t").dt().strftime("%Y-%m-%d %H:%M:%S")])
            .collect()?;
        Ok(column_str(&out, "t"))
    }

    #[test]
    fn timestamps_as_text_from_the_tables() -> PolarsResult<()> {
        // 1900-03-01 00:00:00, 1969-12-31 23:59:59.999, 1970-01-01 00:00:00,
        // 2024-02-29 12:34:56.789 (leap day), 2100-12-31 23:59:59 and an empty value;
        // milliseconds since 1970-01-01: days (from Python's datetime) × 86,400,000 + time of
        // day.
        let values = [
            Some(-25_508 * 86_400_000),
            Some(-1),
            Some(0),
            Some(19_782 * 86_400_000 + 45_296_789),
            Some(47_846 * 86_400_000 + 86_399_000),
            None,
        ];
        let df = frame(&values)?;
        assert!(
            timestamp_text(&df, "t")?.is_some(),
            "within the table's days"
        );
        let expected = [
            "1900-03-01 00:00:00",
            "1969-12-31 23:59:59",
            "1970-01-01 00:00:00",
            "2024-02-29 12:34:56",
            "2100-12-31 23:59:59",
        ];
        let mut want: Vec<Option<String>> =
            expected.iter().map(|s| Some((*s).to_owned())).collect();
        want.push(None);
        assert_eq!(texts(&df), want);
        // The same as strftime.
        assert_eq!(texts(&df), strftime_texts(&df)?);
        Ok(())
    }

    #[test]
    fn timestamps_over_too_many_days_use_strftime() -> PolarsResult<()> {
        // 0800-01-01 and 2400-01-01: 584,388 days apart, more than the table may hold.
        let df = frame(&[Some(-36_921_657_600_000), Some(13_569_465_600_000)])?;
        assert!(timestamp_text(&df, "t")?.is_none());
        assert_eq!(texts(&df), strftime_texts(&df)?);
        assert_eq!(texts(&df)[1].as_deref(), Some("2400-01-01 00:00:00"));
        Ok(())
    }
}
