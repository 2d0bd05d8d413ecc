//! The monthly scorecard: per operator and checker, what they handled, the errors they made,
//! what they caught and missed, a composite score with band, outcome and rank within the
//! team, the trend against earlier months of the history, team and department roll-ups and
//! training hints.
//!
//! The pipeline (one way, as everywhere in policyqc): the `check` run (rule findings) and the
//! data folder's `findings` (people's findings, validated in [`people`]) -> errors, attributed
//! and placed in months ([`attribution`]) -> what each operator did in the month
//! ([`activity`]: stages completed; with a task list, handling time, rework caused and
//! returned double-checks) -> the per-operator frame, scored ([`score`], weights and bands
//! from [`config`]) -> roll-ups and training hints ([`training`]) -> outputs
//! ([`Scorecard::write`]) and the history ([`Scorecard::record`]).
//!
//! # Definitions
//!
//! - **cases handled**: stages the operator completed in the month, by the stage's completion
//!   timestamp in `cases` (`registered_at` for intake ... `printed_at` for printing) and the
//!   stage's operator field; a case counts once per stage worked (`cases_intake` ...
//!   `cases_printing` split it).
//! - **`findings_critical` / major / minor, errors**: the month's errors attributed to the
//!   operator ([`attribution`]: one error per case and error point, in the month of its
//!   stage's completion). **`errors_per_100_cases`** = errors x 100 / cases handled.
//! - **cases checked** = double-check stages completed in the month. **catches**: errors of
//!   points 1-6 caught at double-check (a people's finding with source `double_check`) plus
//!   double-check tasks returned in the month (outcome `returned`) on cases where the checker
//!   recorded no such finding (the same catch is not counted twice). **misses**: errors of
//!   points 1-6 found after double-check on cases checked in the month. **`catch_rate`** =
//!   catches / (catches + misses). These four are empty for operators who checked nothing and
//!   caught or missed nothing.
//! - With a task list (`tasks`): **`tasks_completed`**, **`handling_mean_hours`** and
//!   **`handling_p90_hours`** (started -> completed of the tasks completed in the month, in
//!   working hours of `calendar.yaml`), **`rework_caused`** (tasks returned in the month that
//!   sent the operator's work back, see [`activity::rework`]). Without one these are empty.
//! - **score, band, `auto_fail`, outcome, rank**: [`score`]. **`prev_score`, `score_change`,
//!   `prev3_mean_score`, trend**: against the history's previous months ([`score::trend`]).
//!
//! Operators listed: everyone on the roster active during the month (by `active_from` and
//! `active_to`), and anyone who did anything in it; operators missing from the roster are in
//! team `(not on roster)`.

pub(crate) mod activity;
pub(crate) mod attribution;
pub mod config;
pub(crate) mod people;
pub(crate) mod score;
pub(crate) mod training;

use std::path::{Path, PathBuf};
use std::str::FromStr;

use chrono::{NaiveDate, NaiveDateTime};
use polars::prelude::*;

use crate::calendar::Calendar;
use crate::check::{CheckOptions, CheckResult, RunError, load_column_map, run_check};
use crate::config::diagnostics::Diagnostics;
use crate::history::{self, History, HistoryError, RunRecord, TableRows};
use crate::input::{DataIssue, DataSources, ROW, column_str, read_table};
use crate::report::{Cells, Format, write_table};
use crate::schema::{STAGES, Table};

pub use config::ScorecardConfig;

/// The team of operators who are not on the roster.
pub const NOT_ON_ROSTER: &str = "(not on roster)";

/// The columns of `scorecard.csv`, in order.
pub const COLUMNS: [&str; 32] = [
    "operator",
    "name",
    "team",
    "cases_handled",
    "cases_intake",
    "cases_review",
    "cases_entry",
    "cases_double_check",
    "cases_binding",
    "cases_printing",
    "tasks_completed",
    "handling_mean_hours",
    "handling_p90_hours",
    "findings_critical",
    "findings_major",
    "findings_minor",
    "errors",
    "errors_per_100_cases",
    "rework_caused",
    "cases_checked",
    "catches",
    "misses",
    "catch_rate",
    "score",
    "band",
    "auto_fail",
    "outcome",
    "rank",
    "prev_score",
    "score_change",
    "prev3_mean_score",
    "trend",
];

/// A calendar month, `YYYY-MM`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub struct Month {
    /// The year.
    pub year: i32,
    /// 1-12.
    pub month: u32,
}

impl FromStr for Month {
    type Err = String;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let bad = || format!("`{s}` is not a month: write YYYY-MM, e.g. 2026-10");
        let (y, m) = s.trim().split_once('-').ok_or_else(bad)?;
        if y.len() != 4 || m.len() != 2 {
            return Err(bad());
        }
        let year: i32 = y.parse().map_err(|_| bad())?;
        let month: u32 = m.parse().map_err(|_| bad())?;
        if !(1..=12).contains(&month) || year < 1900 {
            return Err(bad());
        }
        Ok(Self { year, month })
    }
}

impl std::fmt::Display for Month {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{:04}-{:02}", self.year, self.month)
    }
}

impl Month {
    /// The first day.
    #[must_use]
    pub fn first_day(self) -> NaiveDate {
        NaiveDate::from_ymd_opt(self.year, self.month, 1).expect("valid month")
    }

    /// The month `k` months earlier.
    #[must_use]
    pub fn back(self, k: u32) -> Self {
        let idx = self.year * 12 + self.month as i32 - 1 - k as i32;
        Self {
            year: idx.div_euclid(12),
            month: (idx.rem_euclid(12) + 1) as u32,
        }
    }

    /// The next month.
    #[must_use]
    pub fn next(self) -> Self {
        let idx = self.year * 12 + self.month as i32;
        Self {
            year: idx.div_euclid(12),
            month: (idx.rem_euclid(12) + 1) as u32,
        }
    }

    /// 00:00 of the first day.
    #[must_use]
    pub fn start(self) -> NaiveDateTime {
        self.first_day().and_hms_opt(0, 0, 0).expect("midnight")
    }

    /// 00:00 of the first day of the next month (excluded).
    #[must_use]
    pub fn end(self) -> NaiveDateTime {
        self.next().start()
    }

    pub(crate) fn start_ms(self) -> i64 {
        self.start().and_utc().timestamp_millis()
    }

    pub(crate) fn end_ms(self) -> i64 {
        self.end().and_utc().timestamp_millis()
    }
}

/// Why a scorecard could not be made (exit code 2).
#[derive(Debug, thiserror::Error, miette::Diagnostic)]
pub enum ScorecardError {
    /// The check (rules, column map, cases) failed.
    #[error(transparent)]
    #[diagnostic(transparent)]
    Run(#[from] RunError),
    /// The scorecard config is invalid; every problem is in the list.
    #[error("{} problem(s) in the scorecard config", .0.error_count())]
    #[diagnostic(code(scorecard::invalid_config))]
    Config(Diagnostics),
    /// No roster.
    #[error(
        "the scorecard needs the operator roster (operators.csv) for teams, and {dir} has none"
    )]
    #[diagnostic(
        code(scorecard::no_roster),
        help("add operators.csv to the data folder (SCHEMA.md) or give it with --operators FILE")
    )]
    NoRoster {
        /// The data folder.
        dir: String,
    },
    /// calendar.yaml is invalid.
    #[error("{path}: {message}")]
    #[diagnostic(
        code(scorecard::calendar),
        help(
            "calendar.yaml: working_days, working_hours, holidays, extra_working_days (SCHEMA.md)"
        )
    )]
    Calendar {
        /// The file.
        path: String,
        /// What is wrong.
        message: String,
    },
    /// `--team` names no team.
    #[error("no team `{team}` in the month's scorecard; teams: {teams}")]
    #[diagnostic(code(scorecard::unknown_team))]
    UnknownTeam {
        /// The team asked for.
        team: String,
        /// The teams there are.
        teams: String,
    },
    /// `--strict` and data findings.
    #[error("{count} data finding(s) and --strict is set; first: {first}")]
    #[diagnostic(
        code(scorecard::strict),
        help("run without --strict to have them reported in data_findings.csv and the run go on")
    )]
    Strict {
        /// How many.
        count: usize,
        /// The first, described.
        first: String,
    },
    /// The history failed.
    #[error(transparent)]
    #[diagnostic(transparent)]
    History(#[from] HistoryError),
    /// polars failed.
    #[error("scorecard: {0}")]
    #[diagnostic(code(scorecard::polars))]
    Polars(#[from] PolarsError),
    /// An output could not be written.
    #[error("cannot write {path}: {message}")]
    #[diagnostic(code(scorecard::write))]
    Write {
        /// The file.
        path: String,
        /// Why.
        message: String,
    },
}

/// What to score.
#[derive(Debug, Clone)]
pub struct ScorecardOptions {
    /// The data files.
    pub sources: DataSources,
    /// A rule directory; `None` = the built-in pack.
    pub rules_dir: Option<PathBuf>,
    /// The scorecard config.
    pub config: ScorecardConfig,
    /// The month.
    pub month: Month,
    /// Stop on any data finding.
    pub strict: bool,
    /// The rules' findings computed elsewhere, used instead of evaluating the rules
    /// (`--rule-findings`).
    pub rule_findings: Option<PathBuf>,
}

/// Everything a scorecard run produced (for every team; [`Scorecard::write`] filters).
#[derive(Debug, Clone)]
pub struct Scorecard {
    /// The month.
    pub month: Month,
    /// The config used.
    pub config: ScorecardConfig,
    /// One row per operator: [`COLUMNS`], sorted by team, rank and operator.
    pub operators: DataFrame,
    /// Team roll-ups and the department row.
    pub teams: DataFrame,
    /// The month's errors: `case_id, case_row, error_point, severity, stage, operator, team,
    /// sources, rule_ids, placed_at, checker, checker_outcome`.
    pub errors: DataFrame,
    /// Training hints per team.
    pub training: DataFrame,
    /// Values and rows that could not be used (cases, roster, tasks, people's findings).
    pub data_issues: Vec<DataIssue>,
    /// Cases read.
    pub cases_read: u64,
    /// The rule set's hash and origin.
    pub rules_sha256: String,
    /// Where the rules came from.
    pub rules_origin: String,
    /// SHA-256 of the input files.
    pub input_sha256: String,
    /// Whether a task list was read.
    pub has_tasks: bool,
    /// Errors of the month whose case names no operator for the stage.
    pub unattributed_errors: u64,
    /// People's findings: rows read and rows left out (None without a findings file).
    pub people_rows: Option<(u64, u64)>,
}

fn load_calendar(path: Option<&Path>) -> Result<Calendar, ScorecardError> {
    use crate::calendar::load::{CalendarLoadError, load};
    load(path).map_err(|e| ScorecardError::Calendar {
        path: path.map(|p| p.display().to_string()).unwrap_or_default(),
        message: match e {
            CalendarLoadError::Io { source, .. } => source.to_string(),
            CalendarLoadError::Invalid(d) => d
                .problems
                .iter()
                .map(|p| format!("{}: {}", p.location(), p.message))
                .chain(d.syntax.iter().map(ToString::to_string))
                .collect::<Vec<_>>()
                .join("; "),
        },
    })
}

/// SHA-256 over the data files (each file's name, then its bytes), in table order, then the
/// calendar and the column map.
fn input_hash(s: &DataSources) -> Result<String, ScorecardError> {
    let mut h = crate::hash::Hasher::new();
    let files: Vec<&Path> = Table::ALL
        .iter()
        .filter_map(|t| s.path(*t))
        .chain(s.calendar.as_deref())
        .chain(s.columns.as_deref())
        .collect();
    for f in files {
        let bytes = std::fs::read(f).map_err(|e| ScorecardError::Write {
            path: f.display().to_string(),
            message: e.to_string(),
        })?;
        let name = f.file_name().map(|n| n.to_string_lossy().to_string());
        h.update(name.unwrap_or_default().as_bytes());
        h.update(&bytes);
    }
    Ok(h.hex())
}

/// A left join that keeps the left frame's row order.
pub(crate) fn left_ordered() -> JoinArgs {
    let mut a = JoinArgs::new(JoinType::Left);
    a.maintain_order = MaintainOrderJoin::Left;
    a
}

/// `when(c1).then(v1).when(c2).then(v2)... .otherwise(o)` over a list of arms.
pub(crate) fn cases(arms: Vec<(Expr, Expr)>, otherwise: Expr) -> Expr {
    let mut it = arms.into_iter();
    let Some((c0, v0)) = it.next() else {
        return otherwise;
    };
    let first = when(c0).then(v0);
    let Some((c1, v1)) = it.next() else {
        return first.otherwise(otherwise);
    };
    let mut chain = first.when(c1).then(v1);
    for (c, v) in it {
        chain = chain.when(c).then(v);
    }
    chain.otherwise(otherwise)
}

fn zero(c: &str) -> Expr {
    col(c).fill_null(lit(0_i64)).alias(c)
}

/// Makes the month's scorecard. `history`, when given, supplies the previous months' scores
/// for the trend; nothing is written to it here (see [`Scorecard::record`]).
pub fn run_scorecard(
    opts: &ScorecardOptions,
    history: Option<&History>,
) -> Result<Scorecard, ScorecardError> {
    let roster_path = opts
        .sources
        .operators
        .clone()
        .ok_or_else(|| ScorecardError::NoRoster {
            dir: opts.sources.dir.as_ref().map_or_else(
                || String::from("the data given"),
                |d| d.display().to_string(),
            ),
        })?;
    let check: CheckResult = run_check(&CheckOptions {
        sources: opts.sources.clone(),
        rules_dir: opts.rules_dir.clone(),
        strict: false,
        rule_findings: opts.rule_findings.clone(),
    })?;
    let map = load_column_map(opts.sources.columns.as_deref())?;
    let roster = read_table(&roster_path, Table::Operators, &map, &[]).map_err(RunError::from)?;
    let read = |p: Option<&Path>, table: Table| {
        p.map(|p| read_table(p, table, &map, &[]).map_err(RunError::from))
            .transpose()
    };
    let findings = read(opts.sources.findings.as_deref(), Table::Findings)?;
    let tasks = read(opts.sources.tasks.as_deref(), Table::Tasks)?;
    let calendar = match tasks {
        Some(_) => Some(load_calendar(opts.sources.calendar.as_deref())?),
        None => None,
    };
    let mut card = score_month(
        &MonthInputs {
            check: &check,
            map: &map,
            roster: &roster,
            findings: findings.as_ref(),
            tasks: tasks.as_ref(),
            calendar: calendar.as_ref(),
        },
        &opts.config,
        opts.month,
        opts.strict,
        history,
    )?;
    card.input_sha256 = input_hash(&opts.sources)?;
    Ok(card)
}

/// What a month's scorecard is computed from: a check's results and the typed tables it
/// needs (from files, or from a library user's frames); the calendar when there are tasks.
pub(crate) struct MonthInputs<'a> {
    pub check: &'a CheckResult,
    pub map: &'a crate::config::columns::ColumnMap,
    pub roster: &'a crate::input::TableData,
    pub findings: Option<&'a crate::input::TableData>,
    pub tasks: Option<&'a crate::input::TableData>,
    pub calendar: Option<&'a Calendar>,
}

/// The scorecard of a month from its inputs (the one path of the CLI and the library API);
/// `input_sha256` is left empty for the caller.
pub(crate) fn score_month(
    inputs: &MonthInputs<'_>,
    config: &ScorecardConfig,
    m: Month,
    strict: bool,
    history: Option<&History>,
) -> Result<Scorecard, ScorecardError> {
    let check = inputs.check;
    let map = inputs.map;
    let cases = &check.evaluation.frame;
    let mut issues = check.data_issues.clone();

    // The roster: id, name, team, active in the month.
    let roster_t = inputs.roster;
    let days =
        |d: NaiveDate| (d - NaiveDate::from_ymd_opt(1970, 1, 1).expect("epoch")).num_days() as i32;
    let roster = roster_t
        .df
        .clone()
        .lazy()
        .filter(col("operator_id").is_not_null())
        .unique_stable_generic(Some(vec![col("operator_id")]), UniqueKeepStrategy::First)
        .select([
            col("operator_id").alias("operator"),
            col("name"),
            col("team"),
            col("active_from")
                .cast(DataType::Int32)
                .lt(lit(days(m.next().first_day())))
                .fill_null(lit(true))
                .and(
                    col("active_to")
                        .cast(DataType::Int32)
                        .gt_eq(lit(days(m.first_day())))
                        .fill_null(lit(true)),
                )
                .alias("active"),
        ])
        .collect()?;
    let roster_ids: Vec<String> = column_str(&roster, "operator")
        .into_iter()
        .flatten()
        .collect();

    // Cases: one row per id for lookups by id (the first row of a duplicated id).
    let case_index = cases
        .clone()
        .lazy()
        .filter(col("case_id").is_not_null())
        .group_by_stable([col("case_id")])
        .agg([col(ROW).min().alias("case_row")])
        .collect()?;
    let work = activity::stage_work(cases);

    // People's findings.
    let (people_df, people_rows) = match inputs.findings {
        Some(t) => {
            let v = people::validate(t, map, &case_index, work.clone(), &roster_ids)?;
            issues.extend(v.issues.iter().cloned());
            (v.accepted, Some((v.rows_read, v.rows_rejected)))
        }
        None => (people::validate_empty()?, None),
    };

    // Errors, attributed and placed.
    let rule_stage = attribution::rule_stages(&check.rules.rules)?;
    let all = attribution::sources(&check.evaluation.findings, &rule_stage, &people_df)?;
    let errors = attribution::merge(all, cases).collect()?;
    let in_m = |c: &str| activity::in_month(col(c), m);

    // Tasks.
    let tasks = match inputs.tasks {
        Some(t) => {
            issues.extend(t.issues.iter().cloned());
            let back = activity::backwards_tasks(t.df.clone().lazy()).collect()?;
            let rows = crate::input::column_u64(&back, ROW);
            let ids = column_str(&back, "case_id");
            let st = column_str(&back, "started_at");
            let co = column_str(&back, "completed_at");
            let column = map
                .mappings(Table::Tasks)
                .into_iter()
                .find(|x| x.field == "completed_at")
                .map(|x| x.column)
                .unwrap_or_default();
            for i in 0..back.height() {
                issues.push(DataIssue {
                    file: t.file.clone(),
                    row: rows[i],
                    table: String::from("tasks"),
                    case_id: ids[i].clone().unwrap_or_default(),
                    field: String::from("completed_at"),
                    column: column.clone(),
                    value: co[i].clone().unwrap_or_default(),
                    problem: format!(
                        "completed before it started ({}); left out of handling time",
                        st[i].clone().unwrap_or_default()
                    ),
                });
            }
            Some(t.df.clone())
        }
        None => None,
    };
    issues.sort();
    if strict && let Some(first) = issues.first() {
        return Err(ScorecardError::Strict {
            count: issues.len(),
            first: first.describe(),
        });
    }
    let has_tasks = tasks.is_some();

    // Per-operator pieces.
    let handled = activity::cases_handled(work.clone(), m);
    let month_errors = errors.clone().lazy().filter(in_m("placed_at"));
    let sev = |s: &str| {
        col("severity")
            .eq(lit(s))
            .cast(DataType::Int64)
            .sum()
            .alias(format!("findings_{s}").as_str())
    };
    let found = month_errors
        .clone()
        .filter(col("operator").is_not_null())
        .group_by([col("operator")])
        .agg([
            sev("critical"),
            sev("major"),
            sev("minor"),
            len().cast(DataType::Int64).alias("errors"),
        ]);
    // The month's misses: errors of points 1-6 the case's checker let through.
    let month_misses = errors.clone().lazy().filter(
        col("checker_outcome")
            .eq(lit("miss"))
            .and(in_m("checked_at")),
    );
    let misses = month_misses
        .clone()
        .group_by([col("checker").alias("operator")])
        .agg([len().cast(DataType::Int64).alias("misses")]);
    let caught = errors
        .clone()
        .lazy()
        .filter(col("checker_outcome").eq(lit("catch")));
    let people_catches = caught
        .clone()
        .filter(in_m("caught_at"))
        .group_by([col("catcher").alias("operator")])
        .agg([len().cast(DataType::Int64).alias("catches_found")]);
    let mut pieces: Vec<LazyFrame> = vec![handled, found, misses, people_catches];
    if let (Some(t), Some(cal)) = (&tasks, inputs.calendar) {
        pieces.push(activity::handling(t.clone().lazy(), m, cal)?);
        let (rework, dc_returns) = activity::rework(t.clone().lazy(), work.clone(), m)?;
        pieces.push(rework);
        let pairs = caught.select([col("case_id").alias("p_case"), col("catcher").alias("p_op")]);
        pieces.push(
            dc_returns
                .join(
                    pairs,
                    [col("case_id"), col("operator")],
                    [col("p_case"), col("p_op")],
                    JoinArgs::new(JoinType::Anti),
                )
                .group_by([col("operator")])
                .agg([len().cast(DataType::Int64).alias("catches_returned")]),
        );
    }
    // Small per-operator frames: computed now, so the joins below plan over tables.
    let pieces: Vec<LazyFrame> = pieces
        .into_iter()
        .map(|p| p.collect().map(IntoLazy::lazy))
        .collect::<PolarsResult<_>>()?;
    let ids = concat(
        std::iter::once(
            roster
                .clone()
                .lazy()
                .filter(col("active"))
                .select([col("operator")]),
        )
        .chain(pieces.iter().map(|p| p.clone().select([col("operator")])))
        .collect::<Vec<_>>(),
        UnionArgs::default(),
    )?
    .filter(col("operator").is_not_null())
    .unique_stable_generic(None, UniqueKeepStrategy::First);
    let mut frame = ids.join(
        roster
            .clone()
            .lazy()
            .select([col("operator").alias("r_op"), col("name"), col("team")]),
        [col("operator")],
        [col("r_op")],
        JoinArgs::new(JoinType::Left),
    );
    for p in pieces {
        frame = frame.join(
            p,
            [col("operator")],
            [col("operator")],
            JoinArgs::new(JoinType::Left),
        );
    }
    let mut fills: Vec<Expr> = [
        "cases_handled",
        "findings_critical",
        "findings_major",
        "findings_minor",
        "errors",
        "misses",
    ]
    .iter()
    .map(|c| zero(c))
    .collect();
    fills.extend(STAGES.iter().map(|s| zero(&format!("cases_{s}"))));
    fills.push(col("team").fill_null(lit(NOT_ON_ROSTER)).alias("team"));
    let catches = if has_tasks {
        col("catches_found").fill_null(lit(0_i64)) + col("catches_returned").fill_null(lit(0_i64))
    } else {
        col("catches_found").fill_null(lit(0_i64))
    };
    fills.push(catches.alias("catches"));
    if has_tasks {
        fills.push(zero("rework_caused"));
        fills.push(zero("tasks_completed"));
    } else {
        for c in ["rework_caused", "tasks_completed"] {
            fills.push(lit(NULL).cast(DataType::Int64).alias(c));
        }
        for c in ["handling_mean_hours", "handling_p90_hours"] {
            fills.push(lit(NULL).cast(DataType::Float64).alias(c));
        }
    }
    let frame = frame
        .with_columns(fills)
        .with_column(col("cases_double_check").alias("cases_checked"));
    let scored = score::score(frame.collect()?.lazy(), config, has_tasks)?;
    let prev = m.back(1).to_string();
    let hist = match history {
        Some(h) => history::scorecard::operator_scores(
            h,
            &[
                m.back(1).to_string(),
                m.back(2).to_string(),
                m.back(3).to_string(),
            ],
        )?,
        None => df!(
            "period" => Vec::<String>::new(),
            "operator" => Vec::<String>::new(),
            "score" => Vec::<f64>::new()
        )?,
    };
    let operators = score::trend(scored, &hist, &prev, config.steady_within)
        .with_columns([
            col("handling_mean_hours").round(2, RoundMode::HalfAwayFromZero),
            col("handling_p90_hours").round(2, RoundMode::HalfAwayFromZero),
        ])
        .select(COLUMNS.iter().map(|c| col(*c)).collect::<Vec<_>>())
        .sort(
            ["team", "rank", "operator"],
            SortMultipleOptions::default()
                .with_nulls_last(true)
                .with_maintain_order(true),
        )
        .collect()?;
    let teams = score::rollups(&operators, has_tasks)?;

    // The month's errors with the operator's team, and training hints.
    let team_of = operators
        .clone()
        .lazy()
        .select([col("operator").alias("t_op"), col("team").alias("team")]);
    let month_errors = month_errors
        .join(
            team_of.clone(),
            [col("operator")],
            [col("t_op")],
            left_ordered(),
        )
        .collect()?;
    let unattributed_errors = month_errors.column("operator")?.null_count() as u64;
    let miss_events = month_misses
        .select([
            col("checker").alias("operator"),
            lit(7_i64).cast(DataType::Int64).alias("error_point"),
        ])
        .join(team_of, [col("operator")], [col("t_op")], left_ordered());
    let events = concat(
        [
            month_errors
                .clone()
                .lazy()
                .select([col("team"), col("operator"), col("error_point")]),
            miss_events.select([col("team"), col("operator"), col("error_point")]),
        ],
        UnionArgs::default(),
    )?;
    let training = training::hints(events, config.pareto_share, config.max_operators)?;
    let errors_out = month_errors
        .lazy()
        .select([
            col("case_id"),
            col("case_row"),
            col("error_point"),
            col("severity"),
            col("stage"),
            col("operator"),
            col("team"),
            col("sources"),
            col("rule_ids"),
            col("placed_at").dt().strftime("%Y-%m-%d %H:%M:%S"),
            col("checker"),
            col("checker_outcome"),
        ])
        .collect()?;
    Ok(Scorecard {
        month: m,
        config: config.clone(),
        operators,
        teams,
        errors: errors_out,
        training,
        data_issues: issues,
        cases_read: check.cases_read,
        rules_sha256: check.rules.hash.clone(),
        rules_origin: check.rules.origin.clone(),
        input_sha256: String::new(),
        has_tasks,
        unattributed_errors,
        people_rows,
    })
}

fn filter_team(df: &DataFrame, team: Option<&str>) -> PolarsResult<DataFrame> {
    match team {
        Some(t) => df.clone().lazy().filter(col("team").eq(lit(t))).collect(),
        None => Ok(df.clone()),
    }
}

/// A frame's rows as JSON objects (via polars' JSON writer).
pub fn frame_json(df: &DataFrame) -> PolarsResult<serde_json::Value> {
    let mut buf = Vec::new();
    JsonWriter::new(&mut buf)
        .with_json_format(JsonFormat::Json)
        .finish(&mut df.clone())?;
    serde_json::from_slice(&buf).map_err(|e| polars_err!(ComputeError: "{e}"))
}

impl Scorecard {
    /// The teams, sorted.
    #[must_use]
    pub fn team_names(&self) -> Vec<String> {
        let mut t: Vec<String> = column_str(&self.operators, "team")
            .into_iter()
            .flatten()
            .collect();
        t.sort();
        t.dedup();
        t
    }

    /// Checks a `--team` filter.
    pub fn check_team(&self, team: Option<&str>) -> Result<(), ScorecardError> {
        if let Some(t) = team
            && !self.team_names().iter().any(|x| x == t)
        {
            return Err(ScorecardError::UnknownTeam {
                team: t.to_owned(),
                teams: self.team_names().join(", "),
            });
        }
        Ok(())
    }

    /// The operator rows of one team (all when `None`).
    pub fn operators_of(&self, team: Option<&str>) -> PolarsResult<DataFrame> {
        filter_team(&self.operators, team)
    }

    /// The roll-ups shown with a team filter: that team's row and the department's.
    pub fn teams_of(&self, team: Option<&str>) -> PolarsResult<DataFrame> {
        match team {
            Some(t) => self
                .teams
                .clone()
                .lazy()
                .filter(
                    col("team")
                        .eq(lit(t))
                        .or(col("level").eq(lit("department"))),
                )
                .collect(),
            None => Ok(self.teams.clone()),
        }
    }

    /// The training hints of one team (all when `None`).
    pub fn training_of(&self, team: Option<&str>) -> PolarsResult<DataFrame> {
        filter_team(&self.training, team)
    }

    /// The data findings table.
    pub fn data_table(&self) -> PolarsResult<DataFrame> {
        crate::input::data_issues_table(&self.data_issues)
    }

    /// `scorecard.json`: the run's facts and the three tables (no clock time, so reruns are
    /// byte-identical).
    pub fn summary_json(&self, team: Option<&str>) -> PolarsResult<serde_json::Value> {
        Ok(serde_json::json!({
            "tool": format!("policyqc {}", env!("CARGO_PKG_VERSION")),
            "month": self.month.to_string(),
            "period_start": self.month.start().format("%Y-%m-%d %H:%M:%S").to_string(),
            "period_end": self.month.end().format("%Y-%m-%d %H:%M:%S").to_string(),
            "team": team,
            "config": self.config.origin,
            "config_sha256": self.config.hash,
            "rules": self.rules_origin,
            "rule_set_sha256": self.rules_sha256,
            "input_sha256": self.input_sha256,
            "cases_read": self.cases_read,
            "tasks": self.has_tasks,
            "errors_in_month": self.errors.height(),
            "unattributed_errors": self.unattributed_errors,
            "people_findings_rows": self.people_rows.map(|p| p.0),
            "people_findings_left_out": self.people_rows.map(|p| p.1),
            "data_findings": self.data_issues.len(),
            "operators": frame_json(&self.operators_of(team)?)?,
            "teams": frame_json(&self.teams_of(team)?)?,
            "training_hints": frame_json(&self.training_of(team)?)?,
        }))
    }

    /// Writes `scorecard.csv`, `scorecard.json`, `scorecard_teams.csv`, `training_hints.csv`,
    /// `scorecard_errors.csv` and `data_findings.csv` into `out`, for one team or all. Every
    /// output is built in memory first, so an error leaves no file half-written. The workbook
    /// (`scorecard.xlsx`) is the report layer's (`report::scorecard_xlsx::write`): writers
    /// depend on the scorecard, never the reverse.
    pub fn write(
        &self,
        out: &Path,
        team: Option<&str>,
        cells: Cells,
    ) -> Result<Vec<PathBuf>, ScorecardError> {
        self.check_team(team)?;
        let ops = self.operators_of(team)?;
        let teams = self.teams_of(team)?;
        let training = self.training_of(team)?;
        let errors = filter_team(&self.errors, team)?;
        let json = serde_json::to_string_pretty(&self.summary_json(team)?)
            .map_err(|e| polars_err!(ComputeError: "{e}"))?
            + "\n";
        let csv = [Format::Csv];
        let mut written = Vec::new();
        written.extend(write_table(
            out,
            "scorecard",
            &mut ops.clone(),
            &csv,
            cells,
        )?);
        written.extend(write_table(
            out,
            "scorecard_teams",
            &mut teams.clone(),
            &csv,
            cells,
        )?);
        written.extend(write_table(
            out,
            "training_hints",
            &mut training.clone(),
            &csv,
            cells,
        )?);
        written.extend(write_table(
            out,
            "scorecard_errors",
            &mut errors.clone(),
            &csv,
            cells,
        )?);
        written.extend(write_table(
            out,
            "data_findings",
            &mut self.data_table()?,
            &csv,
            cells,
        )?);
        {
            let path = out.join("scorecard.json");
            std::fs::write(&path, json).map_err(|e| ScorecardError::Write {
                path: path.display().to_string(),
                message: e.to_string(),
            })?;
            written.push(path);
        }
        Ok(written)
    }

    /// The history's `runs` row for this scorecard.
    #[must_use]
    pub fn run_record(&self) -> RunRecord {
        let mut h = crate::hash::Hasher::new();
        for part in [
            history::scorecard::KIND,
            &self.month.to_string(),
            &self.input_sha256,
            &self.rules_sha256,
            &self.config.hash,
            env!("CARGO_PKG_VERSION"),
        ] {
            h.update(part.as_bytes());
        }
        RunRecord {
            run_id: h.hex()[..16].to_owned(),
            kind: history::scorecard::KIND.to_owned(),
            period: self.month.to_string(),
            period_start: self.month.start().format("%Y-%m-%d %H:%M:%S").to_string(),
            period_end: self.month.end().format("%Y-%m-%d %H:%M:%S").to_string(),
            recorded_at: history::recorded_at(),
            tool_version: format!("policyqc {}", env!("CARGO_PKG_VERSION")),
            input_sha256: self.input_sha256.clone(),
            rules_sha256: self.rules_sha256.clone(),
            config_sha256: self.config.hash.clone(),
            cases_read: self.cases_read,
            errors: self.errors.height() as u64,
            operators: self.operators.height() as u64,
        }
    }

    /// Records the month in the history (one transaction, replacing the month if present).
    pub fn record(&self, h: &mut History) -> Result<RunRecord, ScorecardError> {
        let run = self.run_record();
        self.record_with(h, &run, &mut |_| Ok(()))?;
        Ok(run)
    }

    /// [`record`](Self::record) with a given `runs` row (from [`run_record`](Self::run_record),
    /// e.g. with another `recorded_at`) and a hook called after every insert (see
    /// [`History::replace_run_with`]).
    pub fn record_with(
        &self,
        h: &mut History,
        run: &RunRecord,
        hook: &mut dyn FnMut(history::Step<'_>) -> Result<(), HistoryError>,
    ) -> Result<(), ScorecardError> {
        let ops = self
            .operators
            .clone()
            .lazy()
            .select(
                [
                    "operator",
                    "name",
                    "team",
                    "cases_handled",
                    "findings_critical",
                    "findings_major",
                    "findings_minor",
                    "errors_per_100_cases",
                    "rework_caused",
                    "cases_checked",
                    "catches",
                    "misses",
                    "catch_rate",
                    "handling_mean_hours",
                    "handling_p90_hours",
                    "score",
                    "band",
                    "outcome",
                    "rank",
                ]
                .map(col),
            )
            .collect()?;
        let id = rusqlite::types::Value::Text(run.run_id.clone());
        h.replace_run_with(
            run,
            &[
                TableRows {
                    table: "scorecard_errors",
                    constants: vec![("run_id", id.clone())],
                    frame: &self.errors,
                },
                TableRows {
                    table: "scorecard_operators",
                    constants: vec![
                        ("run_id", id),
                        ("period", rusqlite::types::Value::Text(run.period.clone())),
                    ],
                    frame: &ops,
                },
            ],
            hook,
        )?;
        Ok(())
    }
}

/// Months back from `m` as used for the trend (for docs and tests).
#[must_use]
pub fn previous_months(m: Month, k: u32) -> Vec<Month> {
    (1..=k).map(|i| m.back(i)).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn months_parse_and_step() {
        let m: Month = "2026-10".parse().unwrap();
        assert_eq!(m.to_string(), "2026-10");
        assert_eq!(m.back(10).to_string(), "2025-12");
        assert_eq!(
            "2026-12".parse::<Month>().unwrap().next().to_string(),
            "2027-01"
        );
        assert_eq!(m.end().to_string(), "2026-11-01 00:00:00");
        for bad in ["2026-13", "2026-1", "26-10", "2026/10", "2026-00", "x"] {
            assert!(bad.parse::<Month>().is_err(), "{bad}");
        }
    }
}
