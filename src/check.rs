//! The nightly check: column map -> inputs -> rules -> one evaluation pass -> findings ->
//! metrics -> output tables. [`run_check`] does it all and returns every result in memory;
//! [`CheckResult::write`] writes the output folder.

use std::path::{Path, PathBuf};

use polars::prelude::*;

use crate::config::columns::{self, ColumnMap};
use crate::config::diagnostics::{Diagnostics, SourceFile};
use crate::config::settings::{self, Settings};
use crate::engine::compile::CompileCtx;
use crate::engine::evaluate::status_column;
use crate::engine::working_time::WorkingClock;
use crate::engine::{EngineError, Evaluation, evaluate_with};
use crate::input::reference::{AuthorityMatrix, Roster};
use crate::input::{DataIssue, DataSources, InputError, TableData, case_id_issues, read_table};
use crate::metrics::{self, Alert, CaseRates, OperatorRate, RuleRate};
use crate::report::{Cells, Format, write_table};
use crate::rules::needs::{self, NotEvaluated};
use crate::rules::{RuleSet, load_embedded, load_rule_dir};
use crate::schema::Table;

/// Why a run stopped (exit code 2).
#[derive(Debug, thiserror::Error, miette::Diagnostic)]
pub enum RunError {
    /// Rule or config files are invalid; every problem is in the list.
    #[error("{} problem(s) in the rule set or config", .0.error_count())]
    #[diagnostic(code(policyqc::invalid_config))]
    Config(Diagnostics),
    /// An input file could not be read.
    #[error(transparent)]
    #[diagnostic(transparent)]
    Input(#[from] InputError),
    /// Evaluation failed.
    #[error(transparent)]
    #[diagnostic(transparent)]
    Engine(#[from] EngineError),
    /// The rules' findings given in a file do not agree with the run.
    #[error(transparent)]
    #[diagnostic(transparent)]
    RuleFindings(#[from] crate::rule_findings::RuleFindingsError),
    /// `--strict` and some rules cannot be evaluated on the data given.
    #[error("{} rule(s) not evaluated and --strict is set:\n{}", .0.len(), crate::rules::needs::grouped_lines(.0).join("\n"))]
    #[diagnostic(
        code(policyqc::not_evaluated),
        help(
            "add the missing table or column (SCHEMA.md), set the setting in settings.yaml (rules/README.md), or run without --strict to have them listed and the rest evaluated"
        )
    )]
    NotEvaluated(Vec<NotEvaluated>),
}

impl From<PolarsError> for RunError {
    fn from(e: PolarsError) -> Self {
        RunError::Engine(EngineError::Polars(e))
    }
}

/// What to check.
#[derive(Debug, Clone, Default)]
pub struct CheckOptions {
    /// The data files.
    pub sources: DataSources,
    /// A rule directory; `None` = the embedded default pack.
    pub rules_dir: Option<PathBuf>,
    /// Stop on the first value that cannot be read.
    pub strict: bool,
    /// The rules' findings computed elsewhere (`findings.csv|parquet` of `check` or of the
    /// `policyqc sql` script), used instead of evaluating the rules ([`crate::rule_findings`]).
    pub rule_findings: Option<PathBuf>,
}

/// Everything a check produced.
#[derive(Debug, Clone)]
pub struct CheckResult {
    /// The rule set used.
    pub rules: RuleSet,
    /// The cases file.
    pub cases_file: String,
    /// Cases read (rows of the cases file).
    pub cases_read: u64,
    /// The evaluation (statuses and findings).
    pub evaluation: Evaluation,
    /// Values that could not be read and row problems, sorted by file and row.
    pub data_issues: Vec<DataIssue>,
    /// Case-level counts.
    pub case_rates: CaseRates,
    /// Per-rule counts.
    pub rule_rates: Vec<RuleRate>,
    /// Per-operator counts.
    pub operator_rates: Vec<OperatorRate>,
    /// The cases grouped by each responsible field's operator and change type (the base of
    /// the operator rates and the QC sheet).
    pub operator_groups: Vec<metrics::OperatorGroups>,
    /// Breached thresholds.
    pub alerts: Vec<Alert>,
    /// Rules of the rule set left out because the data lacks a table, a column or a
    /// setting they need (`rules` holds only the evaluated ones).
    pub not_evaluated: Vec<NotEvaluated>,
    /// The `office_time_zone` setting, when set.
    pub office_time_zone: Option<String>,
    /// The file the rules' findings were read from instead of being evaluated.
    pub rule_findings_file: Option<String>,
}

/// Reads the column map of a data folder (defaults when there is none).
pub fn load_column_map(path: Option<&Path>) -> Result<ColumnMap, RunError> {
    let Some(path) = path else {
        return Ok(ColumnMap::default());
    };
    let text = crate::config::read_capped_to_string(path).map_err(|source| InputError::Io {
        path: path.display().to_string(),
        source,
    })?;
    columns::read(&SourceFile::new(path.display().to_string(), text)).map_err(RunError::Config)
}

/// Reads the working calendar of a data folder (`calendar.yaml`; the office standard when
/// there is none), reporting every problem in the file.
pub fn load_calendar(path: Option<&Path>) -> Result<crate::calendar::Calendar, RunError> {
    crate::calendar::load::load(path).map_err(|e| match e {
        crate::calendar::load::CalendarLoadError::Io { path, source } => {
            RunError::Input(InputError::Io { path, source })
        }
        crate::calendar::load::CalendarLoadError::Invalid(d) => RunError::Config(d),
    })
}

/// Reads the insurer settings (`settings.yaml`; every setting at its default when there is
/// none), reporting every problem in the file.
pub fn load_settings(path: Option<&Path>) -> Result<Settings, RunError> {
    settings::load(path, &crate::rules::load::check_setting_value).map_err(|e| match e {
        settings::LoadError::Io { path, source } => {
            RunError::Input(InputError::Io { path, source })
        }
        settings::LoadError::Invalid(d) => RunError::Config(d),
    })
}

/// Loads and validates a rule set (the embedded pack when `dir` is `None`) with the insurer
/// settings its rules refer to.
pub fn load_rules(
    dir: Option<&Path>,
    map: &ColumnMap,
    settings: &Settings,
) -> Result<RuleSet, RunError> {
    let catalog = map.catalog();
    match dir {
        Some(d) => load_rule_dir(d, &catalog, settings),
        None => load_embedded(&catalog, settings),
    }
    .map_err(RunError::Config)
}

/// The calendar file of a run: the one given (or the folder's `calendar.yaml`), else the one
/// the settings name.
#[must_use]
pub fn calendar_path(sources: &DataSources, settings: &Settings) -> Option<PathBuf> {
    sources
        .calendar
        .clone()
        .or_else(|| settings.calendar_file())
}

/// Runs the whole check.
pub fn run_check(opts: &CheckOptions) -> Result<CheckResult, RunError> {
    run_check_with_progress(opts, &|_| {})
}

/// A step of the check, reported as it starts (for progress bars).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CheckPhase {
    /// Reading the cases file.
    ReadCases,
    /// Reading the roster and the authority matrix.
    ReadReference,
    /// Evaluating the rules.
    Evaluate,
    /// Computing rates and thresholds.
    Metrics,
}

impl CheckPhase {
    /// What the step does, for a progress line.
    #[must_use]
    pub fn describe(self) -> &'static str {
        match self {
            Self::ReadCases => "reading cases",
            Self::ReadReference => "reading roster and authority matrix",
            Self::Evaluate => "evaluating rules",
            Self::Metrics => "computing rates",
        }
    }
}

/// The `office_time_zone` setting as a zone (validated when the settings were read).
#[must_use]
pub fn office_time_zone(settings: &crate::config::settings::Settings) -> Option<chrono_tz::Tz> {
    settings
        .text("office_time_zone")
        .and_then(|z| z.parse().ok())
}

/// The rules that can be evaluated on `cases` with (or without) a roster and an authority
/// matrix, and the others with what each needs.
pub(crate) fn evaluable(
    all_rules: &RuleSet,
    cases: &crate::input::TableData,
    roster: bool,
    authority: bool,
) -> (RuleSet, Vec<needs::NotEvaluated>) {
    needs::split(
        all_rules,
        &needs::Available {
            absent_fields: &cases.absent,
            roster,
            authority,
        },
    )
}

/// [`run_check`], calling `progress` at the start of each [`CheckPhase`].
pub fn run_check_with_progress(
    opts: &CheckOptions,
    progress: &dyn Fn(CheckPhase),
) -> Result<CheckResult, RunError> {
    let mut phases = crate::timing::Phases::new();
    let mut map = load_column_map(opts.sources.columns.as_deref())?;
    let sources = opts.sources.with_files(&map);
    let settings = load_settings(sources.settings.as_deref())?;
    map.office_time_zone = office_time_zone(&settings);
    let all_rules = load_rules(opts.rules_dir.as_deref(), &map, &settings)?;
    let calendar = load_calendar(calendar_path(&sources, &settings).as_deref())?;
    let has_task_list = sources.tasks.is_some() || sources.events.is_some();
    if sources.cases.is_none() && !has_task_list {
        return Err(InputError::NoCases {
            dir: sources.dir.as_ref().map_or_else(
                || String::from("(no folder given)"),
                |d| d.display().to_string(),
            ),
        }
        .into());
    }
    phases.done("config");
    let config = Loaded {
        map,
        settings,
        rules: all_rules,
        calendar,
    };
    let map = &config.map;
    progress(CheckPhase::ReadCases);
    // Only the key is required: a rule whose columns are absent is not evaluated. Without a
    // cases table, the cases (and the stage fields they can carry) come from the task list or
    // event log.
    let (cases, task_issues) = if let Some(path) = sources.cases.as_deref() {
        (read_table(path, Table::Cases, map, &[])?, Vec::new())
    } else {
        let (cases, tasks) = crate::input::tasks::read_without_cases(&sources, map)?;
        (cases, tasks.issues)
    };
    phases.done("read cases");
    progress(CheckPhase::ReadReference);
    let operators = match sources.operators.as_deref() {
        Some(p) => Some(read_table(p, Table::Operators, map, &[])?),
        None => None,
    };
    let authority = match sources.authority.as_deref() {
        Some(p) => Some(read_table(p, Table::Authority, map, &[])?),
        None => None,
    };
    phases.done("reference");
    check_tables(
        &config,
        Tables {
            cases,
            issues: task_issues,
            operators,
            authority,
            rule_findings: opts.rule_findings.clone(),
        },
        opts.strict,
        progress,
    )
}

/// The configuration of a check: the column map, the settings, every rule of the pack and
/// the working calendar.
#[derive(Debug, Clone)]
pub(crate) struct Loaded {
    pub map: ColumnMap,
    pub settings: Settings,
    pub rules: RuleSet,
    pub calendar: crate::calendar::Calendar,
}

/// The typed tables of a check (from files, or from a library user's frames), with the
/// issues found beyond each table's own.
pub(crate) struct Tables {
    pub cases: TableData,
    pub issues: Vec<DataIssue>,
    pub operators: Option<TableData>,
    pub authority: Option<TableData>,
    /// Findings to read instead of evaluating the rules.
    pub rule_findings: Option<PathBuf>,
}

/// The check after reading: rules split by what the tables hold, one evaluation pass, the
/// rates and the thresholds. The one path of the CLI and the library API.
pub(crate) fn check_tables(
    config: &Loaded,
    tables: Tables,
    strict: bool,
    progress: &dyn Fn(CheckPhase),
) -> Result<CheckResult, RunError> {
    let mut phases = crate::timing::Phases::new();
    let Loaded {
        map,
        settings,
        rules: all_rules,
        calendar,
    } = config;
    let Tables {
        cases,
        issues: more_issues,
        operators,
        authority,
        rule_findings,
    } = tables;
    let mut issues = cases.issues.clone();
    issues.extend(more_issues);
    issues.extend(case_id_issues(&cases, map));
    let roster = match operators {
        Some(t) => {
            issues.extend(t.issues.iter().cloned());
            Some(Roster::from_table(&t)?)
        }
        None => None,
    };
    let authority = match authority {
        Some(t) => {
            issues.extend(t.issues.iter().cloned());
            Some(AuthorityMatrix::from_table(&t)?)
        }
        None => None,
    };
    issues.sort();
    let (rules, not_evaluated) =
        evaluable(all_rules, &cases, roster.is_some(), authority.is_some());
    if strict && !not_evaluated.is_empty() {
        return Err(RunError::NotEvaluated(not_evaluated));
    }
    if strict && let Some(first) = issues.first() {
        return Err(InputError::Strict {
            count: issues.len(),
            first: first.describe(),
        }
        .into());
    }
    let catalog = map.catalog();
    let clock = WorkingClock::covering(calendar.clone(), &[&cases.df], &[])?;
    let ctx = CompileCtx {
        catalog: &catalog,
        authority: authority.as_ref(),
        roster: roster.as_ref(),
        clock: Some(&clock),
    };
    progress(CheckPhase::Evaluate);
    let mut rule_findings_file = None;
    let rates = |frame: &DataFrame| {
        let case_rates = metrics::case_rates(frame, &rules.rules)?;
        let operator_groups = metrics::operator_groups(frame, &rules.rules)?;
        let rule_rates = metrics::rule_rates_from(&operator_groups, &rules.rules)?;
        let operator_rates = metrics::operator_rates_from(&operator_groups)?;
        Ok((case_rates, rule_rates, operator_groups, operator_rates))
    };
    // The rates are computed while the findings are gathered.
    let (evaluation, (case_rates, rule_rates, operator_groups, operator_rates)) =
        match &rule_findings {
            None => evaluate_with(&rules, &cases.df, &ctx, rates)?,
            Some(path) => {
                rule_findings_file = Some(path.display().to_string());
                let read = crate::rule_findings::read(path, &rules, &cases.df)?;
                let frame = crate::rule_findings::statuses(&cases.df, &read)?;
                let r = rates(&frame)?;
                (
                    Evaluation {
                        frame,
                        findings: read.findings,
                    },
                    r,
                )
            }
        };
    phases.done("evaluate");
    progress(CheckPhase::Metrics);
    let counter = |t: &crate::config::thresholds::Threshold| {
        cases_matching(
            &evaluation.frame,
            &rules,
            t.severity,
            t.checkpoint.as_deref(),
        )
        .unwrap_or(0)
    };
    let alerts = metrics::check_thresholds(
        &rules.thresholds,
        &case_rates,
        &counter,
        &rules.rules,
        &rule_rates,
        &operator_rates,
    );
    phases.done("metrics");
    let cases_read = cases.df.height() as u64;
    debug_assert_eq!(
        case_rates.cases, cases_read,
        "cases in = cases accounted for"
    );
    Ok(CheckResult {
        rules,
        cases_file: cases.file,
        cases_read,
        evaluation,
        data_issues: issues,
        case_rates,
        rule_rates,
        operator_rates,
        operator_groups,
        alerts,
        not_evaluated,
        office_time_zone: settings.text("office_time_zone"),
        rule_findings_file,
    })
}

/// Cases with at least one finding of the given severity and checkpoint (either may be any).
fn cases_matching(
    frame: &DataFrame,
    rules: &RuleSet,
    severity: Option<crate::rules::Severity>,
    checkpoint: Option<&str>,
) -> PolarsResult<u64> {
    let any = rules
        .rules
        .iter()
        .enumerate()
        .filter(|(_, r)| {
            severity.is_none_or(|s| s == r.severity) && checkpoint.is_none_or(|c| c == r.checkpoint)
        })
        .map(|(i, _)| col(status_column(i).as_str()).fill_null(lit(false)))
        .reduce(Expr::or)
        .unwrap_or(lit(false));
    let df = frame
        .clone()
        .lazy()
        .select([any.cast(DataType::UInt64).sum().alias("n")])
        .collect()?;
    Ok(crate::input::column_u64(&df, "n")
        .first()
        .copied()
        .unwrap_or(0))
}

impl CheckResult {
    /// The QC sheet table.
    pub fn qc_sheet(&self) -> PolarsResult<DataFrame> {
        crate::metrics::qc_sheet::qc_sheet_from(&self.operator_groups, &self.rules.rules)
    }

    /// The per-rule table: rule, checkpoint, error point, severity, applicable, failed, rate, source.
    pub fn rule_table(&self) -> PolarsResult<DataFrame> {
        let r = &self.rules.rules;
        let rows = &self.rule_rates;
        df!(
            "rule_id" => rows.iter().map(|x| r[x.index].id.clone()).collect::<Vec<_>>(),
            "checkpoint" => rows.iter().map(|x| r[x.index].checkpoint.clone()).collect::<Vec<_>>(),
            "error_point" => rows.iter().map(|x| i64::from(r[x.index].error_point)).collect::<Vec<_>>(),
            "severity" => rows.iter().map(|x| r[x.index].severity.name()).collect::<Vec<_>>(),
            "title" => rows.iter().map(|x| r[x.index].title.clone()).collect::<Vec<_>>(),
            "cases_applicable" => rows.iter().map(|x| x.applicable).collect::<Vec<_>>(),
            "cases_failed" => rows.iter().map(|x| x.failed).collect::<Vec<_>>(),
            "error_rate" => rows.iter().map(RuleRate::error_rate).collect::<Vec<_>>(),
            "rule_source" => rows.iter().map(|x| r[x.index].source.to_string()).collect::<Vec<_>>(),
        )
    }

    /// The per-operator table.
    pub fn operator_table(&self) -> PolarsResult<DataFrame> {
        let o = &self.operator_rates;
        df!(
            "stage" => o.iter().map(|x| x.stage.clone()).collect::<Vec<_>>(),
            "operator" => o.iter().map(|x| x.operator.clone()).collect::<Vec<_>>(),
            "cases_worked" => o.iter().map(|x| x.cases_worked).collect::<Vec<_>>(),
            "findings" => o.iter().map(|x| x.findings).collect::<Vec<_>>(),
            "cases_with_findings" => o.iter().map(|x| x.cases_with_findings).collect::<Vec<_>>(),
            "error_rate" => o.iter().map(OperatorRate::error_rate).collect::<Vec<_>>(),
        )
    }

    /// The data findings table (values that could not be read, duplicate ids).
    pub fn data_table(&self) -> PolarsResult<DataFrame> {
        crate::input::data_issues_table(&self.data_issues)
    }

    /// The alerts table.
    pub fn alert_table(&self) -> PolarsResult<DataFrame> {
        let a = &self.alerts;
        df!(
            "threshold" => a.iter().map(|x| x.threshold.clone()).collect::<Vec<_>>(),
            "metric" => a.iter().map(|x| x.metric).collect::<Vec<_>>(),
            "subject" => a.iter().map(|x| x.subject.clone()).collect::<Vec<_>>(),
            "value" => a.iter().map(|x| x.value).collect::<Vec<_>>(),
            "max" => a.iter().map(|x| x.max).collect::<Vec<_>>(),
            "cases" => a.iter().map(|x| x.cases).collect::<Vec<_>>(),
        )
    }

    /// Writes the output folder: findings, `qc_sheet`, `rule_rates`, `operator_rates`,
    /// `data_findings` and alerts in each format (CSV always) and `summary.json` (the nightly
    /// page `report.html` is written from the result by the CLI).
    pub fn write(
        &self,
        out: &Path,
        formats: &[Format],
        cells: Cells,
    ) -> PolarsResult<Vec<PathBuf>> {
        let formats = crate::report::with_csv(formats);
        let mut written = Vec::new();
        let mut phases = crate::timing::Phases::new();
        written.extend(write_table(
            out,
            "findings",
            &mut self.evaluation.findings.clone(),
            &formats,
            cells,
        )?);
        phases.done("write findings");
        written.extend(write_table(
            out,
            "qc_sheet",
            &mut self.qc_sheet()?,
            &formats,
            cells,
        )?);
        phases.done("write qc_sheet");
        written.extend(write_table(
            out,
            "rule_rates",
            &mut self.rule_table()?,
            &formats,
            cells,
        )?);
        phases.done("write rule_rates");
        written.extend(write_table(
            out,
            "operator_rates",
            &mut self.operator_table()?,
            &formats,
            cells,
        )?);
        phases.done("write operator_rates");
        written.extend(write_table(
            out,
            "data_findings",
            &mut self.data_table()?,
            &formats,
            cells,
        )?);
        phases.done("write data_findings");
        written.extend(write_table(
            out,
            "alerts",
            &mut self.alert_table()?,
            &formats,
            cells,
        )?);
        phases.done("write alerts");
        let summary = out.join("summary.json");
        let json = serde_json::to_string_pretty(&self.summary_json())
            .map_err(|e| polars_err!(ComputeError: "{e}"))?;
        std::fs::write(&summary, json + "\n")
            .map_err(|e| polars_err!(ComputeError: "cannot write {}: {e}", summary.display()))?;
        written.push(summary);
        Ok(written)
    }

    /// The run's summary as JSON (no clock time, so reruns are byte-identical).
    #[must_use]
    pub fn summary_json(&self) -> serde_json::Value {
        let c = &self.case_rates;
        serde_json::json!({
            "tool": format!("policyqc {}", env!("CARGO_PKG_VERSION")),
            "cases_file": self.cases_file,
            "rules": self.rules.origin,
            "rule_set_sha256": self.rules.hash,
            "office_time_zone": self.office_time_zone,
            "rule_count": self.rules.rules.len() + self.not_evaluated.len(),
            "rules_evaluated": self.rules.rules.len(),
            "rules_not_evaluated": self.not_evaluated.iter().map(|n| serde_json::json!({
                "rule_id": n.rule_id,
                "needs": n.needs.iter().map(ToString::to_string).collect::<Vec<_>>(),
            })).collect::<Vec<_>>(),
            "cases_read": self.cases_read,
            "cases_accounted_for": c.cases,
            "cases_with_findings": c.with_findings,
            "case_defect_rate": c.defect_rate(),
            "findings": self.evaluation.findings.height(),
            "data_findings": self.data_issues.len(),
            "cases_with_findings_by_checkpoint": c.by_checkpoint.iter().map(|(k, v)| (k.clone(), serde_json::json!(v))).collect::<serde_json::Map<_, _>>(),
            "cases_with_findings_by_severity": c.by_severity.iter().map(|(k, v)| (k.name().to_owned(), serde_json::json!(v))).collect::<serde_json::Map<_, _>>(),
            "alerts": self.alerts.iter().map(|a| serde_json::json!({"threshold": a.threshold, "subject": a.subject, "value": a.value, "max": a.max})).collect::<Vec<_>>(),
        })
    }
}
