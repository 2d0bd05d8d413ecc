//! The library API: load a rule pack and settings, check a polars `DataFrame` of cases held
//! in memory, get the findings and rates back, and compute a month's scorecard from them,
//! through the same path as `policyqc check` and `policyqc scorecard` (`check::check_tables`,
//! `scorecard::score_month`), without files or the CLI.

use std::path::Path;

use polars::prelude::DataFrame;

use crate::check::{self, CheckPhase, CheckResult, Loaded, RunError, Tables};
use crate::config::columns::ColumnMap;
use crate::config::diagnostics::SourceFile;
use crate::input::typed_frame;
use crate::schema::Table;
use crate::scorecard::{MonthInputs, ScorecardConfig, ScorecardError, score_month};

pub use crate::scorecard::Month;

/// Why loading, checking or scoring failed: a miette diagnostic with a code and help. A rule
/// pack or settings with problems gives one error whose `related()` diagnostics are every
/// problem, each located by file, line and column; a bad frame names the frame, row and
/// column. `miette::Report::new(error)` prints it as the CLI does.
#[derive(Debug)]
pub struct Error(Inner);

#[derive(Debug)]
enum Inner {
    /// A load, check or scorecard failure.
    Failed(ScorecardError),
    /// Invalid rules, settings or scorecard config: how many problems, and each.
    Invalid {
        count: usize,
        problems: Vec<miette::Report>,
    },
}

impl std::fmt::Display for Error {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match &self.0 {
            Inner::Failed(e) => e.fmt(f),
            Inner::Invalid { count, .. } => {
                write!(f, "{count} problem(s) in the rule pack, settings or config")
            }
        }
    }
}

impl std::error::Error for Error {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match &self.0 {
            Inner::Failed(e) => e.source(),
            Inner::Invalid { .. } => None,
        }
    }
}

impl miette::Diagnostic for Error {
    fn code<'a>(&'a self) -> Option<Box<dyn std::fmt::Display + 'a>> {
        match &self.0 {
            Inner::Failed(e) => e.code(),
            Inner::Invalid { .. } => Some(Box::new("policyqc::invalid")),
        }
    }

    fn help<'a>(&'a self) -> Option<Box<dyn std::fmt::Display + 'a>> {
        match &self.0 {
            Inner::Failed(e) => e.help(),
            Inner::Invalid { .. } => None,
        }
    }

    fn source_code(&self) -> Option<&dyn miette::SourceCode> {
        match &self.0 {
            Inner::Failed(e) => e.source_code(),
            Inner::Invalid { .. } => None,
        }
    }

    fn labels(&self) -> Option<Box<dyn Iterator<Item = miette::LabeledSpan> + '_>> {
        match &self.0 {
            Inner::Failed(e) => e.labels(),
            Inner::Invalid { .. } => None,
        }
    }

    fn related<'a>(&'a self) -> Option<Box<dyn Iterator<Item = &'a dyn miette::Diagnostic> + 'a>> {
        match &self.0 {
            Inner::Failed(e) => e.related(),
            Inner::Invalid { problems, .. } => Some(Box::new(
                problems
                    .iter()
                    .map(|r| -> &dyn miette::Diagnostic { r.as_ref() }),
            )),
        }
    }
}

impl From<ScorecardError> for Error {
    fn from(e: ScorecardError) -> Self {
        let invalid = |d: crate::config::diagnostics::Diagnostics| {
            Self(Inner::Invalid {
                count: d.error_count(),
                problems: d.into_reports(),
            })
        };
        match e {
            ScorecardError::Config(d) | ScorecardError::Run(RunError::Config(d)) => invalid(d),
            other => Self(Inner::Failed(other)),
        }
    }
}

impl From<RunError> for Error {
    fn from(e: RunError) -> Self {
        ScorecardError::Run(e).into()
    }
}

impl From<polars::error::PolarsError> for Error {
    fn from(e: polars::error::PolarsError) -> Self {
        RunError::from(e).into()
    }
}

/// The insurer settings (what `settings.yaml` holds: referral limits, payout bounds, the office
/// time zone, ...): every setting at its default, or read from a file or its text.
#[derive(Debug, Clone, Default)]
pub struct Settings(crate::config::settings::Settings);

impl Settings {
    /// Every setting at its default: a rule that needs an unset setting is not evaluated
    /// (see [`Checked::not_evaluated`]).
    #[must_use]
    pub fn defaults() -> Self {
        Self::default()
    }

    /// Settings from the text of a `settings.yaml`; `name` names it in diagnostics. Files it
    /// names (`calendar`) are relative to the current folder.
    ///
    /// # Errors
    /// Every problem of the text (unknown key, wrong type, bad value), located by line and
    /// column.
    pub fn from_yaml(name: &str, text: &str) -> Result<Self, Error> {
        crate::config::settings::from_source(
            &SourceFile::new(name.to_owned(), text.to_owned()),
            None,
            &crate::rules::load::check_setting_value,
        )
        .map(Self)
        .map_err(|d| RunError::Config(d).into())
    }

    /// Settings from a `settings.yaml` file (files it names are relative to its folder).
    ///
    /// # Errors
    /// The file cannot be read, or has problems (as [`Settings::from_yaml`]).
    pub fn from_file(path: &Path) -> Result<Self, Error> {
        Ok(Self(check::load_settings(Some(path))?))
    }
}

/// A validated rule pack with its settings and working calendar (the settings' `calendar`,
/// else Monday to Friday, 09:00-17:00): what `policyqc check` loads before it reads data.
#[derive(Debug, Clone)]
pub struct RulePack(Loaded);

impl RulePack {
    /// The built-in default pack (the repository's `rules/`).
    ///
    /// # Errors
    /// The settings' calendar file cannot be read or is invalid.
    pub fn builtin(settings: &Settings) -> Result<Self, Error> {
        Self::load(None, settings)
    }

    /// The pack of a rule folder (one YAML file per checkpoint, as `rules/`).
    ///
    /// # Errors
    /// Every problem of the pack (syntax, unknown fields or settings, duplicate ids), each
    /// located by file, line and column; or the calendar's.
    pub fn from_dir(dir: &Path, settings: &Settings) -> Result<Self, Error> {
        Self::load(Some(dir), settings)
    }

    fn load(dir: Option<&Path>, settings: &Settings) -> Result<Self, Error> {
        let mut map = ColumnMap::default();
        map.office_time_zone = check::office_time_zone(&settings.0);
        let rules = check::load_rules(dir, &map, &settings.0)?;
        let calendar = check::load_calendar(settings.0.calendar_file().as_deref())?;
        Ok(Self(Loaded {
            map,
            settings: settings.0.clone(),
            rules,
            calendar,
        }))
    }

    /// The ids of the pack's rules, in pack order.
    #[must_use]
    pub fn rule_ids(&self) -> Vec<&str> {
        self.0.rules.rules.iter().map(|r| r.id.as_str()).collect()
    }

    /// Checks a frame of cases: one row per case, columns named by the reference field names
    /// (`SCHEMA.md`; only `case_id` is required, a rule whose columns are absent is not
    /// evaluated). Text columns are parsed as `policyqc check` parses a CSV file; typed
    /// columns (dates, numbers, booleans) are taken as they are.
    ///
    /// # Errors
    /// A required column is missing (named in the error), or the evaluation fails.
    pub fn check(&self, cases: &DataFrame) -> Result<Checked, Error> {
        self.check_frames(cases, None, None)
    }

    /// [`RulePack::check`] with the operator roster (`operators`) and the authority matrix,
    /// for the rules that need them (authority limits, active operators).
    ///
    /// # Errors
    /// As [`RulePack::check`], for each frame.
    pub fn check_frames(
        &self,
        cases: &DataFrame,
        operators: Option<&DataFrame>,
        authority: Option<&DataFrame>,
    ) -> Result<Checked, Error> {
        let tables = Tables {
            cases: self.typed(cases, Table::Cases)?,
            issues: Vec::new(),
            operators: operators
                .map(|d| self.typed(d, Table::Operators))
                .transpose()?,
            authority: authority
                .map(|d| self.typed(d, Table::Authority))
                .transpose()?,
            rule_findings: None,
        };
        let result = check::check_tables(&self.0, tables, false, &|_: CheckPhase| {})?;
        Ok(Checked(result))
    }

    /// A frame as a typed table, named `<table> frame` in errors and data findings.
    fn typed(&self, df: &DataFrame, table: Table) -> Result<crate::input::TableData, Error> {
        Ok(typed_frame(
            df.clone(),
            format!("{} frame", table.name()),
            table,
            &self.0.map,
        )
        .map_err(RunError::from)?)
    }

    /// The month's scorecard per operator and team from a check of this pack and the roster
    /// (`operators`: `operator_id`, `name`, `team`, ...), optionally people's findings
    /// (`findings`: QC checks recorded by hand) and the task list (`tasks`, for handling
    /// times and rework), with the built-in scorecard config: what `policyqc scorecard`
    /// computes, without a history (no trend).
    ///
    /// # Errors
    /// A frame lacks a required column, or a people's finding names an unknown case.
    pub fn scorecard(
        &self,
        checked: &Checked,
        month: Month,
        tables: &MonthTables<'_>,
    ) -> Result<Scorecard, Error> {
        let config = ScorecardConfig::builtin().map_err(ScorecardError::Config)?;
        let roster = self.typed(tables.operators, Table::Operators)?;
        let findings = tables
            .findings
            .map(|d| self.typed(d, Table::Findings))
            .transpose()?;
        let tasks = tables
            .tasks
            .map(|d| self.typed(d, Table::Tasks))
            .transpose()?;
        let card = score_month(
            &MonthInputs {
                check: &checked.0,
                map: &self.0.map,
                roster: &roster,
                findings: findings.as_ref(),
                tasks: tasks.as_ref(),
                calendar: Some(&self.0.calendar),
            },
            &config,
            month,
            false,
            None,
        )?;
        Ok(Scorecard(card))
    }
}

/// The results of a check.
#[derive(Debug, Clone)]
pub struct Checked(CheckResult);

/// Case-level rates, as `summary.json` has them.
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub struct Rates {
    /// Cases checked.
    pub cases_checked: u64,
    /// Cases with at least one finding.
    pub cases_with_findings: u64,
    /// Cases with findings / cases checked (0 with no cases).
    pub defect_rate: f64,
    /// Per checkpoint: cases with a finding of it, in stage order (every checkpoint, zeros
    /// included).
    pub by_checkpoint: Vec<(String, u64)>,
    /// Per severity (`critical`, `major`, `minor`): cases with a finding of it.
    pub by_severity: Vec<(String, u64)>,
}

impl Checked {
    /// One row per failing case and rule: the columns of `findings.csv` (`case_id`,
    /// `rule_id`, `checkpoint`, `error_point`, `severity`, `responsible_operator`, `message`,
    /// ...), sorted by case row and rule.
    #[must_use]
    pub fn findings(&self) -> &DataFrame {
        &self.0.evaluation.findings
    }

    /// The case-level rates.
    #[must_use]
    pub fn rates(&self) -> Rates {
        let c = &self.0.case_rates;
        Rates {
            cases_checked: c.cases,
            cases_with_findings: c.with_findings,
            defect_rate: c.defect_rate(),
            by_checkpoint: c.by_checkpoint.clone(),
            by_severity: c
                .by_severity
                .iter()
                .map(|(s, n)| (s.name().to_owned(), *n))
                .collect(),
        }
    }

    /// Per rule: its checkpoint and error point, cases it applies to, cases failed, error
    /// rate (`rule_rates.csv`).
    ///
    /// # Errors
    /// polars fails to build the frame.
    pub fn rule_rates(&self) -> Result<DataFrame, Error> {
        Ok(self.0.rule_table()?)
    }

    /// Values that could not be read and duplicate case ids (`data_findings.csv`), located by
    /// frame, row (1 = the frame's first row) and column.
    ///
    /// # Errors
    /// polars fails to build the frame.
    pub fn data_findings(&self) -> Result<DataFrame, Error> {
        Ok(self.0.data_table()?)
    }

    /// The rules not evaluated for want of a column, table or setting: each rule's id and
    /// what it needs (`no entry_operator column; setting payout.min_amount unset`).
    #[must_use]
    pub fn not_evaluated(&self) -> Vec<(&str, String)> {
        self.0
            .not_evaluated
            .iter()
            .map(|n| (n.rule_id.as_str(), n.needs_text()))
            .collect()
    }
}

/// The frames a month's scorecard reads beside the check (reference field names, as the
/// data folder's `operators.csv`, `findings.csv` and `tasks.csv`).
#[derive(Debug, Clone, Copy)]
pub struct MonthTables<'a> {
    /// The operator roster (required: it gives the teams).
    pub operators: &'a DataFrame,
    /// People's findings (QC checks recorded by hand), if any.
    pub findings: Option<&'a DataFrame>,
    /// The task list, if any.
    pub tasks: Option<&'a DataFrame>,
}

/// A month's scorecard.
#[derive(Debug, Clone)]
pub struct Scorecard(crate::scorecard::Scorecard);

impl Scorecard {
    /// One row per operator (the columns of `scorecard.csv`: `operator`, `team`,
    /// `cases_handled`, `errors`, `catch_rate`, `score`, `band`, `rank`, ...), sorted by team,
    /// rank and operator.
    #[must_use]
    pub fn operators(&self) -> &DataFrame {
        &self.0.operators
    }

    /// Team roll-ups and the department row (`teams.csv`).
    #[must_use]
    pub fn teams(&self) -> &DataFrame {
        &self.0.teams
    }

    /// The month's errors, one per case and error point, with the operator they count
    /// against (`errors.csv`).
    #[must_use]
    pub fn errors(&self) -> &DataFrame {
        &self.0.errors
    }

    /// Training hints per team (`training.csv`).
    #[must_use]
    pub fn training(&self) -> &DataFrame {
        &self.0.training
    }
}
