//! Command-line arguments (clap derive).

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand};

use crate::metrics::cycle_times::PercentileMethod;
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
    /// When to colour diagnostics, help and progress bars: `auto` only on a terminal;
    /// a non-empty `NO_COLOR` means `never` unless `--color always` is given.
    #[arg(
        long,
        global = true,
        value_enum,
        value_name = "WHEN",
        default_value = "auto"
    )]
    pub color: ColorWhen,
    /// Print nothing but errors and machine output (`--format json`, written files): no
    /// progress bar, no summary.
    #[arg(long, short, global = true, conflicts_with = "verbose")]
    pub quiet: bool,
    /// Also print each phase of a run with its duration and memory to standard error (as
    /// `POLICYQC_TIMINGS=1` does).
    #[arg(long, short, global = true)]
    pub verbose: bool,
    /// The language of the pages (report.html, cycle.html, ...), workbooks and console
    /// summaries: `en`, `zh-Hant` (Traditional Chinese, Taiwan usage) or `zh-Hans`
    /// (Simplified). Default: the `lang` setting of settings.yaml, else `en`. Machine output
    /// (CSV, Parquet, JSONL, JSON, ids, column names) is the same in every language.
    #[arg(long, global = true, value_enum, value_name = "LANG")]
    pub lang: Option<crate::lang::Lang>,
}

/// `--color`: when output is coloured.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum ColorWhen {
    /// Colour on a terminal only (and not when `NO_COLOR` is set).
    Auto,
    /// Always colour, even into a pipe or file.
    Always,
    /// Never colour.
    Never,
}

impl ColorWhen {
    /// Whether to colour a stream, given whether it is a terminal and the `NO_COLOR` value.
    #[must_use]
    pub fn enabled(self, terminal: bool, no_color: Option<&std::ffi::OsStr>) -> bool {
        let no_color = no_color.is_some_and(|v| !v.is_empty());
        match self {
            Self::Always => true,
            Self::Never => false,
            Self::Auto => terminal && !no_color,
        }
    }
}

/// The commands.
#[derive(Debug, Subcommand)]
// Parsed once per run: the size of the sample options does not matter.
#[allow(clippy::large_enum_variant)]
pub enum Command {
    /// Run the rules over a data folder and write findings, the QC sheet and rates.
    ///
    /// Writes to the output folder: findings.csv (one row per failing case and rule, with
    /// `case_id`, `rule_id`, checkpoint, `error_point`, severity, operator, field, expected,
    /// actual, message, `rule_source`, row), `qc_sheet.csv` (per checkpoint, rule, error point,
    /// operator and change type: cases checked, failed, error rate), `rule_rates.csv`,
    /// `operator_rates.csv`, `data_findings.csv` (values that could not be read, with file, row
    /// and column), alerts.csv and summary.json; plus the same tables in each --format; and
    /// report.html, the nightly page: one self-contained file (opens offline, prints on A4)
    /// with the headline figures of summary.json, cases with findings by checkpoint and
    /// severity, a Pareto of error points, rules not evaluated, data findings and the
    /// findings (the 5,000 most severe), filterable by checkpoint, severity and operator.
    #[command(
        after_help = "Example: policyqc check fixtures/demo --out policyqc-out --format csv,jsonl"
    )]
    Check(CheckArgs),
    /// Draft columns.yaml from an insurer's export as it comes (headers in English or
    /// Chinese, its date formats, yes/no words, codes and encoding).
    ///
    /// PATH is an export file, or a data folder (its cases.csv, or its only CSV/TXT file).
    /// Detects the encoding (UTF-8, UTF-8 with BOM, Big5, GB18030), the delimiter and the
    /// header line (title lines above it are skipped), maps each column to a field of SCHEMA.md
    /// by header synonyms checked against the values, finds the date and timestamp formats,
    /// yes/no words and thousands separators, and maps the change-type and referral codes to
    /// the reference values (codes it cannot place are marked TODO). Writes columns.yaml beside
    /// the export, each mapping commented with its evidence and two sample values; the next
    /// `policyqc check PATH` reads it with no hand edit. An existing columns.yaml is kept
    /// unless --force.
    #[command(after_help = "Example:
  policyqc init exports/2026-10-05.csv
  policyqc validate --columns exports/columns.yaml
  policyqc check exports/2026-10-05.csv

Exit codes: 0 written, 2 nothing written (no export, no case id column, columns.yaml exists).")]
    Init(InitArgs),
    /// Check a rule set (and column map) without reading any data; report every problem.
    #[command(after_help = "Example: policyqc validate rules/")]
    Validate(ValidateArgs),
    /// List the rules of a rule set, or print the rule-kind reference.
    #[command(after_help = "Examples:
  policyqc rules
  policyqc rules --format json | jq '.[] | select(.error_point == 5) | .id'
  policyqc rules --kinds > kinds.md")]
    Rules(RulesArgs),
    /// Explain a rule in words (or every rule of an error point: EP5), with a passing and a
    /// failing case.
    ///
    /// Prints the rule's title, checkpoint, error point and its definition, severity, who
    /// answers for a finding, which cases it applies to and what it checks, in words, the
    /// settings it uses, its source `file:line`, and a passing and a failing case with the
    /// fields it reads. The examples are real cases of a month generated on the spot
    /// (2,000 cases, a fixed seed, 5% errors) and checked with the rule set; a rule no
    /// generated case fails says so.
    #[command(after_help = "Examples:
  policyqc explain entry.premium_miscomputed
  policyqc explain EP5
  policyqc explain intake.policy_no_format --settings settings.yaml --format json

Exit codes: 0 explained, 2 no such rule (the nearest ids are suggested) or a bad rule set.")]
    Explain(ExplainArgs),
    /// Print the rule pack and a data folder as one SQL script, for `DuckDB`, Spark SQL or
    /// Trino.
    ///
    /// The script reads the cases file as it is (CSV: every column as text; Parquet: its
    /// typed columns), or the engine's own table (`--table cases=db.schema.cases`; the
    /// folder's cases file is then a sample of it, giving its columns), types it in SQL with
    /// the column map (names, value maps, formats, yes/no words), lists the values it cannot
    /// read (`data_findings`), and ends with one query whose rows are the findings with the
    /// columns and order of `findings.csv`; run it from the data folder. The working calendar
    /// over the data's dates and the roster's and authority matrix's lookups are embedded as
    /// small tables. Trino reads tables only and has no temporary views: each of its two
    /// queries carries the views as a `WITH` clause. A rule the dialect cannot express, or
    /// one that needs a setting settings.yaml does not set, stops the command (exit 2, each
    /// listed with the reason) unless `--skip-untranslatable`, which lists them and leaves
    /// them out with a comment; rules whose columns or tables are missing are left out as in
    /// `check`, with a comment.
    #[command(after_help = "Examples:
  policyqc sql fixtures/demo > demo.sql
  (cd fixtures/demo && duckdb < ../../demo.sql)
  policyqc sql my-export/ --rules my-rules/ --skip-untranslatable > qc.sql
  policyqc sql fixtures/demo --dialect spark --files-at hdfs:///qc/2026-10 > qc-spark.sql
  policyqc sql sample/ --dialect trino --table cases=hive.qc.cases > qc-trino.sql

Exit codes: 0 written, 2 a rule the dialect cannot express, a missing setting, a table without
a mapped column, bad rules, settings or data.")]
    Sql(SqlArgs),
    /// Print a shell completion script (bash, zsh, fish, powershell, elvish).
    #[command(after_help = "Examples:
  policyqc completions bash > ~/.local/share/bash-completion/completions/policyqc
  policyqc completions zsh > ~/.zfunc/_policyqc
  policyqc completions fish > ~/.config/fish/completions/policyqc.fish")]
    Completions(CompletionsArgs),
    /// Print the manual page (roff), generated from the same definition as `--help`.
    #[command(after_help = "Examples:
  policyqc man > policyqc.1 && man ./policyqc.1
  policyqc man | sudo tee /usr/local/share/man/man1/policyqc.1 >/dev/null")]
    Man,
    /// Print the JSON Schema of a YAML file policyqc reads, for editors that complete keys
    /// and check values as you type (VS Code's YAML extension: README "Editor support").
    ///
    /// `rules` is a rule file of a rule pack, `thresholds` the pack's thresholds.yaml,
    /// `settings` settings.yaml, `columns` columns.yaml, `calendar` calendar.yaml. The schemas
    /// (JSON Schema draft-07, pretty JSON with sorted keys) are generated from the loaders'
    /// types and key tables; the copies in the repository's `schemas/` folder are the same
    /// text (a test keeps them so). `policyqc validate` still checks what a schema cannot:
    /// fields, expressions, and the settings' values.
    #[command(after_help = "Examples:
  policyqc schema rules > rules.schema.json
  policyqc schema settings > schemas/settings.schema.json

Then start a YAML file with
  # yaml-language-server: $schema=rules.schema.json

Exit codes: 0 printed, 2 usage (an unknown schema name).")]
    Schema(SchemaArgs),
    /// Cycle times in working time: per case, per case and stage, per operator, percentiles
    /// and SLA compliance.
    ///
    /// Reads cases, the task list (tasks.csv, or an event log events.csv, .parquet, .xes or
    /// .xes.gz, or, with neither,
    /// tasks derived from the cases' stage timestamps), calendar.yaml (working days, hours,
    /// holidays; the office standard when there is none) and the rule set's time limits
    /// (`duration` and `cycle_time` rules). Writes to the output folder:
    /// `case_times.csv` (`case_id, change_type, received_at, bound_at, cycle_hours,
    /// cycle_working_hours, cycle_working_days, customer_wait_working_hours,
    /// referral_wait_working_hours, own_working_hours, stage_visits, reworked, branch, status,
    /// as_of, row`; an open case is measured to the as-of instant), `stage_times.csv` (per case
    /// and stage: visits, operator, waiting / handling / elapsed working hours, returned and
    /// rework visits), `operator_times.csv` (per stage and operator: tasks, cases, totals and
    /// mean handling), `cycle_summary.csv` (median, p50/p90/p95 by --percentiles, mean and SLA
    /// compliance per change type, branch, stage, operator and team), `data_findings.csv`
    /// (unreadable values and bad tasks with file and row), `cycle_summary.json` and
    /// cycle.html, a self-contained page (opens offline, prints on A4): the cycle's
    /// distribution per change type, the share within each stage limit, own handling against
    /// waiting, and the open cases. README "Cycle times" defines every column.
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
    /// people's findings), and scorecard.html (ranking, score sparklines over the history,
    /// checkers, weights). The month is then recorded in the history (one SQLite file),
    /// replacing an earlier run of the same month. Definitions: README, "policyqc scorecard".
    #[allow(clippy::doc_markdown)] // clap help text: column and file names as users see them
    #[command(
        after_help = "Example: policyqc scorecard fixtures/scorecard --month 2026-10 --config fixtures/scorecard/scorecard.yaml --out scorecard-out"
    )]
    Scorecard(ScorecardArgs),
    /// Reports built on a check: `report weekly`, the weekly QC analysis and training plan.
    #[command(
        subcommand,
        after_help = "Example: policyqc report weekly fixtures/demo --week 2026-W44 --out weekly-out"
    )]
    Report(ReportCommand),
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
    /// Draw a reproducible audit sample of cases: plan, selection, manifest and workpaper.
    ///
    /// Runs the rules (as `check`) to know which cases are flagged, applies the filters, takes
    /// the sample size from the plan (ANSI/ASQ Z1.4, AICPA attribute sampling, or a fixed
    /// size) and selects the cases by the method. Writes to the output folder: manifest.json and
    /// manifest.md (data, population and rule-set hashes, filters, plan, method, seed, tool
    /// version, each selected case with its stratum and reason) and the auditor's workpaper
    /// sample.csv and sample.xlsx (one row per case and finding, with empty verdict columns:
    /// verdict, `new_error_point`, `new_error_stage`, `new_error_severity`, auditor, `judged_at`, note),
    /// and audit.html (the page of the plan, population, strata and selection; not with
    /// --dry-run).
    ///
    /// The same data, filters, plan, method and seed select the same cases on any machine,
    /// whatever the row order of the input or the thread count. Without --seed a seed is drawn
    /// from the operating system, printed and recorded in the manifest.
    #[command(after_help = "Examples:
  policyqc sample fixtures/demo --plan z14 --level II --aql 1.0 --method flagged-first --out audit-2026-10
  policyqc sample fixtures/demo --plan attribute --confidence 0.95 --tolerable 0.05 --expected 0.01 \\
      --method stratified --by branch --min-per-stratum 5 --seed 20261101
  policyqc sample fixtures/demo --plan fixed --size 50 --method risk-weighted --weight amount
  policyqc sample fixtures/demo --plan z14 --aql 1.0 --period 2026-10 --dry-run --json")]
    Sample(SampleArgs),
    /// Import the auditor's verdicts on a sample and evaluate it.
    #[command(after_help = "Example:
  policyqc verdicts import audit-2026-10/sample.csv")]
    Verdicts(VerdictsArgs),
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
    /// findings, calendar.yaml, settings.yaml and columns.yaml (SCHEMA.md); or a single export
    /// file, read as the cases table with the files beside it.
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
    /// The insurer settings (overrides the folder's settings.yaml): policy-number format,
    /// referral change types, payout limits, time limits, office time zone, calendar file.
    /// rules/README.md lists every setting and its default.
    #[arg(long, value_name = "FILE")]
    pub settings: Option<PathBuf>,
}

/// `policyqc init`.
#[derive(Debug, Args)]
pub struct InitArgs {
    /// The export file, or the data folder holding it.
    pub path: PathBuf,
    /// Replace an existing columns.yaml.
    #[arg(long)]
    pub force: bool,
    /// Print the draft instead of writing it.
    #[arg(long)]
    pub dry_run: bool,
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
    /// case id) or any rule not evaluated (its table, column or setting is missing) instead of
    /// reporting it and going on.
    #[arg(long)]
    pub strict: bool,
    /// Write CSV and JSONL cells exactly as they are in the data. By default a text cell that
    /// begins with `=`, `+`, `-`, `@`, a tab or a carriage return (and is not a plain number
    /// such as -37.50) gets a leading `'`, so that a spreadsheet opening the file shows it as
    /// text instead of running it as a formula (CSV injection). For pipelines that read the
    /// files back.
    #[arg(long)]
    pub raw_csv: bool,
}

/// `policyqc sql`.
#[derive(Debug, Args)]
pub struct SqlArgs {
    /// Where the data is.
    #[command(flatten)]
    pub data: DataArgs,
    /// A rule directory (default: the rule pack built into policyqc, as in rules/).
    #[arg(long, value_name = "DIR")]
    pub rules: Option<PathBuf>,
    /// The SQL dialect.
    #[arg(long, value_enum, default_value = "duckdb")]
    pub dialect: crate::sql::expr::Dialect,
    /// Leave out the rules the dialect cannot express (listed on standard error and as
    /// comments in the script) instead of stopping.
    #[arg(long)]
    pub skip_untranslatable: bool,
    /// Where the engine finds the data folder's files, e.g. `hdfs:///qc/2026-10` or
    /// `/mnt/exports/2026-10` (default: relative to the data folder, where the script is run).
    #[arg(long, value_name = "LOCATION")]
    pub files_at: Option<String>,
    /// Read the cases from the engine's own table instead of the folder's cases file, e.g.
    /// `cases=warehouse.qc.cases`; the folder's cases file (CSV, or Parquet with the table's
    /// column types, e.g. a `LIMIT 100` export) stands for the table: a column the column map
    /// names and the sample lacks is an error. The roster, authority matrix and calendar are
    /// read from the folder and embedded.
    #[arg(long, value_name = "cases=TABLE", value_parser = parse_table)]
    pub table: Option<String>,
}

/// `cases=db.schema.table`: the table's name (one to three plain SQL names joined by dots).
fn parse_table(s: &str) -> Result<String, String> {
    let Some((key, name)) = s.split_once('=') else {
        return Err(format!(
            "`{s}`: expected cases=TABLE, e.g. cases=warehouse.qc.cases"
        ));
    };
    if key != "cases" {
        return Err(format!(
            "`{key}`: only the cases table is read from the engine (the roster, authority matrix and calendar are read from the data folder and embedded)"
        ));
    }
    let plain = |p: &str| {
        p.chars()
            .next()
            .is_some_and(|c| c.is_ascii_alphabetic() || c == '_')
            && p.chars().all(|c| c.is_ascii_alphanumeric() || c == '_')
    };
    let parts: Vec<&str> = name.split('.').collect();
    if parts.len() > 3 || !parts.iter().all(|p| plain(p)) {
        return Err(format!(
            "`{name}`: a table is one to three names of letters, digits and `_` joined by dots (catalog.schema.table)"
        ));
    }
    Ok(name.to_owned())
}

/// The task list and calendar of a data folder (override the folder's files).
#[derive(Debug, Args, Clone, Default)]
pub struct TimeDataArgs {
    /// The task list (overrides the folder's tasks file).
    #[arg(long, value_name = "FILE")]
    pub tasks: Option<PathBuf>,
    /// An event log to use as the task list: CSV, Parquet, XES (`.xes`, `.xes.gz`); overrides
    /// the folder's events file; used when there is no tasks file.
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
    /// latest timestamp in the data read: the task list and the cases' fields measured, so
    /// that reruns give the same output). Bound cases keep
    /// their cycle; an open case received after it gets empty cycle columns.
    #[arg(long, value_name = "TIMESTAMP", value_parser = parse_instant)]
    pub as_of: Option<chrono::NaiveDateTime>,
    /// How `cycle_summary`'s percentiles p50, p90, p95 are computed; their columns are named
    /// after the method (`p90_nearest_rank` or `p90_linear`), `cycle_summary.json` gives it as
    /// `percentile_method`. The `median` column is exact with either (the middle value, or the
    /// mean of the two middle values).
    #[arg(
        long,
        value_enum,
        value_name = "METHOD",
        default_value_t = PercentileMethod::NearestRank
    )]
    pub percentiles: PercentileMethod,
    /// The output folder.
    #[arg(long, value_name = "DIR", default_value = "policyqc-out")]
    pub out: PathBuf,
    /// Output formats besides CSV, comma-separated.
    #[arg(long, value_delimiter = ',', default_value = "csv")]
    pub format: Vec<Format>,
    /// Stop (exit 2) on any data finding instead of reporting it in `data_findings.csv`.
    #[arg(long)]
    pub strict: bool,
    /// Write CSV and JSONL cells exactly as they are in the data. By default a text cell that
    /// begins with `=`, `+`, `-`, `@`, a tab or a carriage return (and is not a plain number
    /// such as -37.50) gets a leading `'`, so that a spreadsheet opening the file shows it as
    /// text instead of running it as a formula (CSV injection). For pipelines that read the
    /// files back.
    #[arg(long)]
    pub raw_csv: bool,
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
    /// Write CSV and JSONL cells exactly as they are in the data. By default a text cell that
    /// begins with `=`, `+`, `-`, `@`, a tab or a carriage return (and is not a plain number
    /// such as -37.50) gets a leading `'`, so that a spreadsheet opening the file shows it as
    /// text instead of running it as a formula (CSV injection). For pipelines that read the
    /// files back.
    #[arg(long)]
    pub raw_csv: bool,
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
    /// Insurer settings the rules refer to (`settings.yaml`); every unknown or mistyped
    /// setting is reported with its `file:line:column`.
    #[arg(long, value_name = "FILE")]
    pub settings: Option<PathBuf>,
    /// Output format: with `json`, the result (valid or every problem) is one JSON document
    /// on standard output.
    #[arg(long, value_enum, default_value = "text")]
    pub format: OutputFormat,
}

/// `policyqc completions`.
#[derive(Debug, Args)]
pub struct CompletionsArgs {
    /// The shell.
    #[arg(value_enum)]
    pub shell: clap_complete::Shell,
}

/// `policyqc schema`.
#[derive(Debug, Args)]
pub struct SchemaArgs {
    /// Which file's schema.
    #[arg(value_enum)]
    pub name: crate::config::json_schema::SchemaName,
}

/// Text for people or JSON for scripts.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum OutputFormat {
    /// Lines for a terminal.
    Text,
    /// One JSON document on standard output (stable keys, documented in README).
    Json,
}

/// `policyqc explain`.
#[derive(Debug, Args)]
pub struct ExplainArgs {
    /// A rule id (`entry.premium_miscomputed`) or an error point (`EP5`).
    pub query: String,
    /// The rule directory (default: the built-in pack).
    #[arg(long, value_name = "DIR")]
    pub rules: Option<PathBuf>,
    /// Insurer settings (`settings.yaml`): the values the rule's settings take.
    #[arg(long, value_name = "FILE")]
    pub settings: Option<PathBuf>,
    /// Leave out the passing and failing examples (no month is generated).
    #[arg(long)]
    pub no_examples: bool,
    /// Output format.
    #[arg(long, value_enum, default_value = "text")]
    pub format: OutputFormat,
}

/// `policyqc rules`.
#[derive(Debug, Args)]
pub struct RulesArgs {
    /// The rule directory (default: the built-in pack).
    pub rules_dir: Option<PathBuf>,
    /// Print the rule-kind reference (Markdown) instead of the rule list.
    #[arg(long)]
    pub kinds: bool,
    /// Print the insurer settings reference (Markdown: every setting, its type and default).
    #[arg(long, conflicts_with = "kinds")]
    pub settings: bool,
    /// Output format of the rule list.
    #[arg(long, value_enum, default_value = "text")]
    pub format: OutputFormat,
}

/// `policyqc scorecard`.
// Command-line switches are booleans by nature (clap flags).
#[allow(clippy::struct_excessive_bools)]
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
    /// The rules' findings computed elsewhere, used instead of evaluating the rules: the
    /// findings.csv|parquet of `policyqc check`, or the findings the `policyqc sql` script
    /// wrote on `DuckDB`, Spark or Trino (examples/spark/). Each row must name a rule of the
    /// pack at its `file:line` and a case at its row of the cases file, else exit 2 naming the
    /// file, row and column.
    #[arg(long, value_name = "FILE")]
    pub rule_findings: Option<PathBuf>,
    /// The working calendar (overrides the folder's calendar.yaml).
    #[arg(long, value_name = "FILE")]
    pub calendar: Option<PathBuf>,
    /// The column map (overrides the folder's columns.yaml).
    #[arg(long, value_name = "FILE")]
    pub columns: Option<PathBuf>,
    /// Stop (exit 2) on any data finding instead of reporting it in `data_findings.csv`.
    #[arg(long)]
    pub strict: bool,
    /// Write CSV and JSONL cells exactly as they are in the data. By default a text cell that
    /// begins with `=`, `+`, `-`, `@`, a tab or a carriage return (and is not a plain number
    /// such as -37.50) gets a leading `'`, so that a spreadsheet opening the file shows it as
    /// text instead of running it as a formula (CSV injection). For pipelines that read the
    /// files back.
    #[arg(long)]
    pub raw_csv: bool,
}

/// Sampling plans (`policyqc sample --plan`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum PlanArg {
    /// ANSI/ASQ Z1.4 (ISO 2859-1) single sampling, normal inspection: --level, --aql
    /// [--lot-size].
    Z14,
    /// AICPA attribute sampling for tests of controls: --confidence, --tolerable [--expected].
    Attribute,
    /// A fixed number of cases: --size.
    Fixed,
}

/// Selection methods (`policyqc sample --method`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum MethodArg {
    /// Simple random sampling.
    Random,
    /// Stratified random sampling: --by, --allocation, --min-per-stratum.
    Stratified,
    /// Cases with findings first (critical, major, minor), then random cases without.
    FlaggedFirst,
    /// Probability proportional to size: --weight amount | severity.
    RiskWeighted,
}

/// Allocation of a stratified sample.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum AllocationArg {
    /// In proportion to stratum size.
    Proportional,
    /// The same number in each stratum.
    Equal,
}

/// `policyqc sample`.
#[derive(Debug, Args)]
#[allow(clippy::struct_excessive_bools)]
pub struct SampleArgs {
    /// Where the data is.
    #[command(flatten)]
    pub data: DataArgs,
    /// A rule directory (default: the built-in pack).
    #[arg(long, value_name = "DIR")]
    pub rules: Option<PathBuf>,
    /// The output folder.
    #[arg(long, value_name = "DIR", default_value = "policyqc-sample")]
    pub out: PathBuf,
    /// The rules' findings computed elsewhere, used instead of evaluating the rules: the
    /// findings.csv|parquet of `policyqc check`, or the findings the `policyqc sql` script
    /// wrote on `DuckDB`, Spark or Trino (examples/spark/). Each row must name a rule of the
    /// pack at its `file:line` and a case at its row of the cases file, else exit 2 naming the
    /// file, row and column.
    #[arg(long, value_name = "FILE")]
    pub rule_findings: Option<PathBuf>,
    /// The sampling plan that gives the sample size.
    #[arg(long, value_enum, help_heading = "Plan")]
    pub plan: PlanArg,
    /// Z1.4 inspection level: I, II, III (or S-1..S-4).
    #[arg(long, default_value = "II", help_heading = "Plan")]
    pub level: String,
    /// Z1.4 acceptance quality limit, a column of Table II-A (e.g. 0.65, 1.0, 2.5).
    #[arg(long, help_heading = "Plan")]
    pub aql: Option<String>,
    /// Z1.4 lot size (default: the number of cases after the filters).
    #[arg(long, value_name = "N", help_heading = "Plan")]
    pub lot_size: Option<u64>,
    /// Confidence: the attribute plan's, and that of every evaluation's upper deviation
    /// limit (default 0.95).
    #[arg(long, help_heading = "Plan")]
    pub confidence: Option<String>,
    /// Attribute plan: tolerable deviation rate (0.05 or 5%).
    #[arg(long, help_heading = "Plan")]
    pub tolerable: Option<String>,
    /// Attribute plan: expected deviation rate (default 0).
    #[arg(long, help_heading = "Plan")]
    pub expected: Option<String>,
    /// Fixed plan: the number of cases.
    #[arg(long, value_name = "N", help_heading = "Plan")]
    pub size: Option<u64>,
    /// How cases are selected.
    #[arg(long, value_enum, default_value = "random", help_heading = "Selection")]
    pub method: MethodArg,
    /// Stratified: the strata, comma-separated keys: stage (where the case stands),
    /// operator:STAGE (who worked that stage, e.g. operator:entry), branch, `change_type`, or
    /// any field of the cases.
    #[arg(long, value_delimiter = ',', help_heading = "Selection")]
    pub by: Vec<String>,
    /// Stratified: how strata share the sample.
    #[arg(
        long,
        value_enum,
        default_value = "proportional",
        help_heading = "Selection"
    )]
    pub allocation: AllocationArg,
    /// Stratified: least cases per stratum (a smaller stratum is taken whole).
    #[arg(
        long,
        default_value_t = 1,
        value_name = "N",
        help_heading = "Selection"
    )]
    pub min_per_stratum: u64,
    /// Risk-weighted: amount (|amount|), severity (critical 10, major 5, minor 2, none 1) or
    /// severity:critical=20,major=5,minor=1,none=1.
    #[arg(long, help_heading = "Selection")]
    pub weight: Option<String>,
    /// The seed (default: drawn from the operating system, printed and recorded).
    #[arg(long, help_heading = "Selection")]
    pub seed: Option<u64>,
    /// Cases received in a period: 2026-10, 2026-10-05 or 2026-10-01..2026-10-15.
    #[arg(long, help_heading = "Filters")]
    pub period: Option<String>,
    /// Cases that reached these checkpoints; only findings at them count.
    #[arg(long, value_delimiter = ',', help_heading = "Filters")]
    pub checkpoint: Vec<String>,
    /// Cases with findings of these rules; only those findings count.
    #[arg(long, value_delimiter = ',', help_heading = "Filters")]
    pub rule: Vec<String>,
    /// Cases with findings of these severities; only those findings count.
    #[arg(long, value_delimiter = ',', help_heading = "Filters")]
    pub severity: Vec<String>,
    /// Cases these operators worked (at the --checkpoint stages when given).
    #[arg(long, value_delimiter = ',', help_heading = "Filters")]
    pub operator: Vec<String>,
    /// Cases of these branches.
    #[arg(long, value_delimiter = ',', help_heading = "Filters")]
    pub branch: Vec<String>,
    /// Cases of these change types.
    #[arg(long, value_delimiter = ',', help_heading = "Filters")]
    pub change_type: Vec<String>,
    /// Print the plan and select nothing.
    #[arg(long)]
    pub dry_run: bool,
    /// With --dry-run: print the plan as one JSON object (plan, population, `code_letter`,
    /// `sample_size`, accept, reject; null where they do not apply).
    #[arg(long, requires = "dry_run")]
    pub json: bool,
    /// Replace an earlier sample in the output folder.
    #[arg(long)]
    pub force: bool,
    /// Stop on any value that cannot be read (as `check --strict`).
    #[arg(long)]
    pub strict: bool,
}

/// `policyqc verdicts`.
#[derive(Debug, Args)]
pub struct VerdictsArgs {
    /// The verdicts command.
    #[command(subcommand)]
    pub command: VerdictsCommand,
}

/// The verdicts commands.
#[derive(Debug, Subcommand)]
pub enum VerdictsCommand {
    /// Import a filled-in workpaper (sample.csv) into the history and evaluate the sample.
    ///
    /// Per case and finding, the verdict column says confirmed or `false_positive`; on a row
    /// without a rule, `no_error` (case inspected, clean) or `new_error` with `new_error_point`
    /// 1-14 (an error the rules missed; `new_error_stage` and `new_error_severity` optional).
    /// Rows with an empty verdict are not judged yet; a case is judged whole.
    ///
    /// The file is checked against the sample's manifest.json; any problem (a case not in the
    /// sample, an unknown verdict, a duplicate, a case already judged) refuses the whole file.
    /// The verdicts are stored in one transaction. Writes to the output folder: findings.csv
    /// (the new errors as people's findings, SCHEMA.md format, source audit),
    /// evaluation.json and evaluation.md (deviation rate, upper deviation limit at the plan's
    /// confidence, the plan's accept/reject decision, per-rule precision), `rule_precision.csv`
    /// (`rule_id`, confirmed, `false_positive`, judged, precision) and audit.html (the sample's
    /// page, now with the verdicts and the conclusion).
    ///
    /// Exit code 1 when the plan rejects the lot (Z1.4) or the control cannot be relied on
    /// (attribute plan).
    #[command(after_help = "Example: policyqc verdicts import audit-2026-10/sample.csv")]
    Import(VerdictsImportArgs),
}

/// `policyqc verdicts import`.
#[derive(Debug, Args)]
pub struct VerdictsImportArgs {
    /// The filled-in workpaper (CSV).
    pub file: PathBuf,
    /// The sample's manifest (default: manifest.json beside FILE).
    #[arg(long, value_name = "FILE")]
    pub manifest: Option<PathBuf>,
    /// The history file.
    #[arg(long, value_name = "FILE", default_value = crate::sampling::store::DEFAULT_HISTORY)]
    pub history: PathBuf,
    /// The output folder (default: the folder of FILE).
    #[arg(long, value_name = "DIR")]
    pub out: Option<PathBuf>,
    /// Replace stored verdicts of the cases in FILE instead of refusing them.
    #[arg(long)]
    pub replace: bool,
}

/// `policyqc report`.
#[derive(Debug, Subcommand)]
pub enum ReportCommand {
    /// The weekly QC analysis with a training plan, as the QC inspector writes it each week.
    ///
    /// Runs the check over the data, places each case in the week it was received
    /// (`received_at`), and compares the chosen week with the three weeks before it: per error
    /// point and per checkpoint this week's cases with findings and rate against last week and
    /// the four-week trend (a week without cases shows "no cases", not 0%), the main causes
    /// (the rules and operators with most of the week's findings), the problems common to many
    /// operators (an error point made by at least `weekly.common_min_operators` operators), and
    /// a training plan: whole-team training where an error point is spread over at least
    /// `weekly.spread_min_operators` of a team's operators, individual training where fewer
    /// made it. Writes weekly.html, weekly.xlsx and weekly.json (the page's figures). A week
    /// without any case received is an error (exit 2). Definitions: README, "Weekly QC
    /// analysis".
    #[command(
        after_help = "Examples:\n  policyqc report weekly fixtures/demo --week 2026-W44 --out weekly-out\n  policyqc report weekly fixtures/demo --week 2026-10     # a month against the three before it\n\nExit codes: 0 written, 2 usage, rule, settings or input error, or no case received in the week."
    )]
    Weekly(WeeklyArgs),
}

/// `policyqc report weekly`.
#[derive(Debug, Args)]
pub struct WeeklyArgs {
    /// Where the data is.
    #[command(flatten)]
    pub data: DataArgs,
    /// The week: an ISO week `2026-W41` (Monday to Sunday), compared with the three ISO weeks
    /// before it; or the period syntax of `sample --period`: a month `2026-10` (compared with
    /// the three months before it), a day or a range (2026-10-05, 2026-10-01..2026-10-15;
    /// compared with the three periods of the same length just before it).
    #[arg(long)]
    pub week: String,
    /// A rule directory (default: the rule pack built into policyqc, as in rules/).
    #[arg(long, value_name = "DIR")]
    pub rules: Option<PathBuf>,
    /// The output folder.
    #[arg(long, value_name = "DIR", default_value = "policyqc-weekly")]
    pub out: PathBuf,
}
