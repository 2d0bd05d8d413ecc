//! Command-line arguments (clap derive).

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand};

use crate::report::Format;

/// policyqc: quality control for insurance policy servicing.
///
/// Scores a day's (or month's) policy-change cases against YAML rules for the six
/// checkpoints (intake, review, entry, double-check, binding, printing) and the cross-cutting
/// controls, and writes findings, the daily QC sheet and error rates.
///
/// Exit codes: 0 = no threshold breached, 1 = a threshold breached, 2 = usage, rule or input error.
#[derive(Debug, Parser)]
#[command(name = "policyqc", version, about, long_about)]
pub struct Cli {
    /// The command.
    #[command(subcommand)]
    pub command: Command,
}

/// The commands.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Run the rules over a data folder and write findings, the QC sheet and rates.
    ///
    /// Writes to the output folder: findings.csv (one row per failing case and rule, with
    /// `case_id`, `rule_id`, checkpoint, `error_point`, severity, operator, field, expected,
    /// actual, message, `rule_source`, row), `qc_sheet.csv` (per checkpoint, rule, error point,
    /// operator and change type: cases checked, failed, error rate), `rule_rates.csv`,
    /// `operator_rates.csv`, `data_findings.csv` (values that could not be read, with file, row
    /// and column), alerts.csv and summary.json; plus the same tables in each --format.
    #[command(
        after_help = "Example: policyqc check fixtures/demo --out policyqc-out --format csv,jsonl"
    )]
    Check(CheckArgs),
    /// Check a rule set (and column map) without reading any data; report every problem.
    #[command(after_help = "Example: policyqc validate rules/")]
    Validate(ValidateArgs),
    /// List the rules of a rule set, or print the rule-kind reference.
    Rules(RulesArgs),
    /// Cycle times in working time: per case, per case and stage, per operator, percentiles
    /// and SLA compliance.
    ///
    /// Reads cases, the task list (tasks.csv, or an event log events.csv, or, with neither,
    /// tasks derived from the cases' stage timestamps), calendar.yaml (working days, hours,
    /// holidays; the office standard when there is none) and the rule set's time limits
    /// (`duration` and `cycle_time` rules). Writes to the output folder:
    /// `case_times.csv` (`case_id, change_type, received_at, bound_at, cycle_hours,
    /// cycle_working_hours, cycle_working_days, customer_wait_working_hours,
    /// referral_wait_working_hours, own_working_hours, stage_visits, reworked, branch, status,
    /// as_of, row`; an open case is measured to the as-of instant), `stage_times.csv` (per case
    /// and stage: visits, operator, waiting / handling / elapsed working hours, returned and
    /// rework visits), `operator_times.csv` (per stage and operator: tasks, cases, totals and
    /// mean handling), `cycle_summary.csv` (p50/p90/p95 and SLA compliance per change type,
    /// branch, stage, operator and team), `data_findings.csv` (unreadable values and bad tasks
    /// with file and row) and `cycle_summary.json`. README "Cycle times" defines every column.
    #[command(
        after_help = "Example: policyqc cycle fixtures/cycle --out policyqc-out\n\nExit codes: 0 done, 2 usage, rule, calendar or input error."
    )]
    Cycle(CycleArgs),
    /// The daily processing status report: per stage and operator, stuck cases, and the
    /// reconciliation that proves no case was lost.
    ///
    /// For the day given with --date (from 00:00 to 24:00): per stage and operator, tasks open
    /// at the start of the day, new pending, finished, open at the end (pending, in progress,
    /// on query, referred) and stuck; per stage and for the cases, opening + new - finished =
    /// closing; the stuck cases (open past a time limit of the rule set, oldest first, with
    /// their age in working hours and who holds them); and the exceptions: cases that
    /// disappeared (accounted for at the start of the day, neither held, waiting nor bound at
    /// the end), open cases nothing holds, tasks for cases without an intake record. Writes
    /// `status.csv`, `reconciliation.csv`, `stuck_cases.csv`, `exceptions.csv`,
    /// `data_findings.csv` and `status.json`.
    #[command(
        after_help = "Example: policyqc status fixtures/cycle --date 2026-10-07\n\nExit codes: 0 reconciled and no exception, 1 an exception or a stage that does not reconcile, 2 usage, rule, calendar or input error."
    )]
    Status(StatusArgs),
    /// The monthly scorecard per operator and team, kept in the history for trends.
    ///
    /// Attributes every rule finding and people's finding (the data folder's findings file) to
    /// the operator who made the error, counts checkers' catches and misses, scores each
    /// operator with the weights, bands and auto-fail conditions of the scorecard config, ranks
    /// them within their team, compares with earlier months of the history, and writes
    /// scorecard.csv (one row per operator: operator, name, team, cases_handled and
    /// cases_<stage>, tasks_completed, handling_mean_hours, handling_p90_hours,
    /// findings_critical, findings_major, findings_minor, errors, errors_per_100_cases,
    /// rework_caused, cases_checked, catches, misses, catch_rate, score, band, auto_fail,
    /// outcome, rank, prev_score, score_change, prev3_mean_score, trend), scorecard.json,
    /// scorecard.xlsx, scorecard_teams.csv (team and department roll-ups),
    /// training_hints.csv (where each team's errors cluster), scorecard_errors.csv (the month's
    /// errors with their sources) and data_findings.csv (rows that could not be used, e.g. bad
    /// people's findings). The month is then recorded in the history (one SQLite file),
    /// replacing an earlier run of the same month. Definitions: README, "policyqc scorecard".
    #[allow(clippy::doc_markdown)] // clap help text: column and file names as users see them
    #[command(
        after_help = "Example: policyqc scorecard fixtures/scorecard --month 2026-10 --config fixtures/scorecard/scorecard.yaml --out scorecard-out"
    )]
    Scorecard(ScorecardArgs),
}

/// Where the data is.
#[derive(Debug, Args, Clone, Default)]
pub struct DataArgs {
    /// The data folder: cases.csv|parquet and optionally tasks, operators, authority,
    /// findings, calendar.yaml and columns.yaml (SCHEMA.md).
    pub data_dir: Option<PathBuf>,
    /// The cases file (overrides the folder's).
    #[arg(long, value_name = "FILE")]
    pub cases: Option<PathBuf>,
    /// The operator roster (overrides the folder's).
    #[arg(long, value_name = "FILE")]
    pub operators: Option<PathBuf>,
    /// The authority matrix (overrides the folder's).
    #[arg(long, value_name = "FILE")]
    pub authority: Option<PathBuf>,
    /// The column map (overrides the folder's columns.yaml).
    #[arg(long, value_name = "FILE")]
    pub columns: Option<PathBuf>,
}

/// `policyqc check`.
#[derive(Debug, Args)]
pub struct CheckArgs {
    /// Where the data is.
    #[command(flatten)]
    pub data: DataArgs,
    /// A rule directory (default: the rule pack built into policyqc, as in rules/).
    #[arg(long, value_name = "DIR")]
    pub rules: Option<PathBuf>,
    /// The output folder.
    #[arg(long, value_name = "DIR", default_value = "policyqc-out")]
    pub out: PathBuf,
    /// Output formats besides CSV, comma-separated.
    #[arg(long, value_delimiter = ',', default_value = "csv")]
    pub format: Vec<Format>,
    /// Stop (exit 2) on any data finding (a value that cannot be read, an empty or duplicate
    /// case id) instead of reporting it in `data_findings.csv` and going on.
    #[arg(long)]
    pub strict: bool,
    /// Print nothing but errors.
    #[arg(long, short)]
    pub quiet: bool,
}

/// The task list and calendar of a data folder (override the folder's files).
#[derive(Debug, Args, Clone, Default)]
pub struct TimeDataArgs {
    /// The task list (overrides the folder's tasks file).
    #[arg(long, value_name = "FILE")]
    pub tasks: Option<PathBuf>,
    /// An event log to use as the task list (overrides the folder's events file; used when
    /// there is no tasks file).
    #[arg(long, value_name = "FILE")]
    pub events: Option<PathBuf>,
    /// The working calendar (overrides the folder's calendar.yaml).
    #[arg(long, value_name = "FILE")]
    pub calendar: Option<PathBuf>,
}

/// `policyqc cycle`.
#[derive(Debug, Args)]
pub struct CycleArgs {
    /// Where the data is.
    #[command(flatten)]
    pub data: DataArgs,
    /// The task list and calendar.
    #[command(flatten)]
    pub time: TimeDataArgs,
    /// A rule directory whose `duration` and `cycle_time` rules are the time limits
    /// (default: the built-in pack).
    #[arg(long, value_name = "DIR")]
    pub rules: Option<PathBuf>,
    /// The instant open cases and tasks are aged to, `YYYY-MM-DD HH:MM[:SS]` (default: the
    /// latest timestamp in the data, so that reruns give the same output). Bound cases keep
    /// their cycle; an open case received after it gets empty cycle columns.
    #[arg(long, value_name = "TIMESTAMP", value_parser = parse_instant)]
    pub as_of: Option<chrono::NaiveDateTime>,
    /// The output folder.
    #[arg(long, value_name = "DIR", default_value = "policyqc-out")]
    pub out: PathBuf,
    /// Output formats besides CSV, comma-separated.
    #[arg(long, value_delimiter = ',', default_value = "csv")]
    pub format: Vec<Format>,
    /// Stop (exit 2) on any data finding instead of reporting it in `data_findings.csv`.
    #[arg(long)]
    pub strict: bool,
    /// Print nothing but errors.
    #[arg(long, short)]
    pub quiet: bool,
}

/// `policyqc status`.
#[derive(Debug, Args)]
pub struct StatusArgs {
    /// Where the data is.
    #[command(flatten)]
    pub data: DataArgs,
    /// The task list and calendar.
    #[command(flatten)]
    pub time: TimeDataArgs,
    /// The day of the report, YYYY-MM-DD.
    #[arg(long, value_name = "YYYY-MM-DD")]
    pub date: chrono::NaiveDate,
    /// A rule directory whose time limits decide which cases are stuck (default: the
    /// built-in pack).
    #[arg(long, value_name = "DIR")]
    pub rules: Option<PathBuf>,
    /// The output folder.
    #[arg(long, value_name = "DIR", default_value = "policyqc-out")]
    pub out: PathBuf,
    /// Output formats besides CSV, comma-separated.
    #[arg(long, value_delimiter = ',', default_value = "csv")]
    pub format: Vec<Format>,
    /// Stop (exit 2) on any data finding instead of reporting it in `data_findings.csv`.
    #[arg(long)]
    pub strict: bool,
    /// Print nothing but errors.
    #[arg(long, short)]
    pub quiet: bool,
}

/// Parses `YYYY-MM-DD HH:MM[:SS]` (or with a `T`).
fn parse_instant(s: &str) -> Result<chrono::NaiveDateTime, String> {
    let t = s.trim().replacen('T', " ", 1);
    chrono::NaiveDateTime::parse_from_str(&t, "%Y-%m-%d %H:%M:%S")
        .or_else(|_| chrono::NaiveDateTime::parse_from_str(&t, "%Y-%m-%d %H:%M"))
        .map_err(|_| format!("`{s}` is not a timestamp: write YYYY-MM-DD HH:MM[:SS]"))
}

/// `policyqc validate`.
#[derive(Debug, Args)]
pub struct ValidateArgs {
    /// The rule directory (default: the built-in pack).
    pub rules_dir: Option<PathBuf>,
    /// A column map whose custom fields rules may use.
    #[arg(long, value_name = "FILE")]
    pub columns: Option<PathBuf>,
}

/// `policyqc rules`.
#[derive(Debug, Args)]
pub struct RulesArgs {
    /// The rule directory (default: the built-in pack).
    pub rules_dir: Option<PathBuf>,
    /// Print the rule-kind reference (Markdown) instead of the rule list.
    #[arg(long)]
    pub kinds: bool,
}

/// `policyqc scorecard`.
#[derive(Debug, Args)]
pub struct ScorecardArgs {
    /// The data folder: cases, operators (required here), and optionally tasks, findings
    /// (people's findings), authority, calendar.yaml and columns.yaml (SCHEMA.md).
    pub data_dir: PathBuf,
    /// The month, YYYY-MM: stages completed and errors placed in it are scored.
    #[arg(long, value_name = "YYYY-MM")]
    pub month: crate::scorecard::Month,
    /// Only this team in the outputs (the history still records every team).
    #[arg(long, value_name = "TEAM")]
    pub team: Option<String>,
    /// The output folder.
    #[arg(long, value_name = "DIR", default_value = "policyqc-out")]
    pub out: PathBuf,
    /// A scorecard config (default: config/scorecard.yaml, built into policyqc).
    #[arg(long, value_name = "FILE")]
    pub config: Option<PathBuf>,
    /// A rule directory (default: the built-in rule pack).
    #[arg(long, value_name = "DIR")]
    pub rules: Option<PathBuf>,
    /// The history file (`SQLite`; created when missing).
    #[arg(long, value_name = "PATH", default_value = crate::history::DEFAULT_PATH)]
    pub history: PathBuf,
    /// Neither read nor write the history (no trend).
    #[arg(long, conflicts_with = "history")]
    pub no_history: bool,
    /// The cases file (overrides the folder's).
    #[arg(long, value_name = "FILE")]
    pub cases: Option<PathBuf>,
    /// The operator roster (overrides the folder's).
    #[arg(long, value_name = "FILE")]
    pub operators: Option<PathBuf>,
    /// The authority matrix (overrides the folder's).
    #[arg(long, value_name = "FILE")]
    pub authority: Option<PathBuf>,
    /// The task list (overrides the folder's).
    #[arg(long, value_name = "FILE")]
    pub tasks: Option<PathBuf>,
    /// People's findings (overrides the folder's).
    #[arg(long, value_name = "FILE")]
    pub findings: Option<PathBuf>,
    /// The working calendar (overrides the folder's calendar.yaml).
    #[arg(long, value_name = "FILE")]
    pub calendar: Option<PathBuf>,
    /// The column map (overrides the folder's columns.yaml).
    #[arg(long, value_name = "FILE")]
    pub columns: Option<PathBuf>,
    /// Stop (exit 2) on any data finding instead of reporting it in `data_findings.csv`.
    #[arg(long)]
    pub strict: bool,
    /// Print nothing but errors.
    #[arg(long, short)]
    pub quiet: bool,
}
