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
