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
    /// Generate a realistic data folder with planted, labelled errors.
    ///
    /// Writes cases, tasks, operators and authority (CSV, or Parquet with --format parquet),
    /// `calendar.yaml`, `labels.csv` (one row per planted error: `case_id`, `error_point`,
    /// stage, operator, `caught_at_double_check`, `rule_id`, mutation) and
    /// `operator_profiles.csv` (each operator's planted profile, error propensity, speed and
    /// catch skill).
    ///
    /// Cases arrive on the working days of the period (Mondays and days after holidays busier,
    /// a morning peak), pass intake, review (with customer queries), entry (with referrals to
    /// underwriting or finance), double-check, binding and printing in working hours; cases
    /// not finished at the end of the last working day are exported open. Errors are made by
    /// the operator responsible for each error point, at --error-rate times each point's
    /// factor times the operator's propensity; the checker catches some (the case returns to
    /// entry and the data shows no error). `policyqc check` on the folder finds exactly the
    /// (`case_id`, `error_point`) pairs of the labels with `caught_at_double_check` = false.
    ///
    /// The same arguments give byte-identical files on any machine and thread count.
    #[command(
        after_help = "Example: policyqc generate --cases 2000 --seed 20261001 --start 2026-10-01 --days 31 --out fixtures/demo"
    )]
    Generate(GenerateArgs),
}

/// `policyqc generate`.
#[derive(Debug, Args)]
pub struct GenerateArgs {
    /// Number of cases.
    #[arg(long, value_name = "N")]
    pub cases: u64,
    /// Seed of every random draw.
    #[arg(long, value_name = "S", default_value_t = 1)]
    pub seed: u64,
    /// First day of the period (YYYY-MM-DD).
    #[arg(long, value_name = "YYYY-MM-DD")]
    pub start: chrono::NaiveDate,
    /// Length of the period in calendar days; cases arrive on its working days and the data
    /// is exported at the end of its last working day.
    #[arg(long, value_name = "D", default_value_t = 31)]
    pub days: u32,
    /// The output folder (created if needed; existing files of the same names are replaced).
    #[arg(long, value_name = "DIR")]
    pub out: PathBuf,
    /// Table format.
    #[arg(long, value_enum, default_value = "csv")]
    pub format: crate::generate::writer::GenFormat,
    /// Base error rate: the chance that an average operator makes an error of a given error
    /// point on a case that offers the opportunity, before each point's factor (queries x8,
    /// premiums and benefits x2, hand-over and reports x1.5, binding x0.6, others x1).
    #[arg(long, value_name = "R", default_value_t = crate::generate::DEFAULT_ERROR_RATE)]
    pub error_rate: f64,
    /// Sets one error point's rate outright, e.g. `--point-rate 5=0.02` (repeatable).
    #[arg(long, value_name = "POINT=RATE", value_parser = parse_point_rate)]
    pub point_rate: Vec<(u8, f64)>,
    /// Chance that an average checker catches an error it can see (a checker's catch skill
    /// multiplies it; at most 0.95).
    #[arg(long, value_name = "C", default_value_t = crate::generate::DEFAULT_CATCH_RATE)]
    pub catch_rate: f64,
    /// About how many operators (teams of ten across five branches).
    #[arg(long, value_name = "N", default_value_t = 200)]
    pub operators: u32,
    /// A calendar.yaml to use (default: Mon-Fri 09:00-12:00, 13:00-17:30, holidays 1 Jan,
    /// 1 May, 1-2 Oct, 25-26 Dec, a make-up Saturday: the second on or after 1 Oct).
    #[arg(long, value_name = "FILE")]
    pub calendar: Option<PathBuf>,
    /// Print nothing but errors (no progress bar, no summary).
    #[arg(long, short)]
    pub quiet: bool,
}

fn parse_point_rate(s: &str) -> Result<(u8, f64), String> {
    let (p, r) = s
        .split_once('=')
        .ok_or_else(|| format!("`{s}`: expected POINT=RATE, e.g. 5=0.02"))?;
    let p: u8 = p
        .trim()
        .parse()
        .map_err(|_| format!("`{s}`: the error point `{p}` is not a number 1-14"))?;
    let r: f64 = r
        .trim()
        .parse()
        .map_err(|_| format!("`{s}`: the rate `{r}` is not a number"))?;
    Ok((p, r))
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
