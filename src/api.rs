//! The library API: load a rule pack and settings, check a polars `DataFrame` of cases held
//! in memory, and get the findings and rates back, through the same path as `policyqc check`
//! (`check::check_tables`), without files or the CLI.

use std::path::Path;

use polars::prelude::DataFrame;

use crate::check::{self, CheckPhase, CheckResult, Loaded, RunError, Tables};
use crate::config::columns::ColumnMap;
use crate::config::diagnostics::SourceFile;
use crate::input::typed_frame;
use crate::schema::Table;

/// Why loading or checking failed: a miette diagnostic naming the file, line and column, or
/// the frame and column.
#[derive(Debug, thiserror::Error, miette::Diagnostic)]
#[error(transparent)]
#[diagnostic(transparent)]
pub struct Error(#[from] RunError);

/// The insurer settings (`settings.yaml`): every setting at its default, or read from text.
#[derive(Debug, Clone, Default)]
pub struct Settings(crate::config::settings::Settings);

impl Settings {
    /// Every setting at its default (an unset setting leaves its rules not evaluated).
    #[must_use]
    pub fn defaults() -> Self {
        Self::default()
    }

    /// Settings from the text of a `settings.yaml`; `name` names it in diagnostics.
    pub fn from_yaml(name: &str, text: &str) -> Result<Self, Error> {
        crate::config::settings::from_source(
            &SourceFile::new(name.to_owned(), text.to_owned()),
            None,
            &crate::rules::load::check_setting_value,
        )
        .map(Self)
        .map_err(|d| Error(RunError::Config(d)))
    }

    /// Settings from a `settings.yaml` file.
    pub fn from_file(path: &Path) -> Result<Self, Error> {
        Ok(Self(check::load_settings(Some(path))?))
    }
}

/// A validated rule pack with its settings and working calendar.
#[derive(Debug, Clone)]
pub struct RulePack(Loaded);

impl RulePack {
    /// The built-in default pack (`rules/`).
    pub fn builtin(settings: &Settings) -> Result<Self, Error> {
        Self::load(None, settings)
    }

    /// The pack of a rule folder.
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

    /// Checks a frame of cases (reference field names, `SCHEMA.md`).
    pub fn check(&self, cases: &DataFrame) -> Result<Checked, Error> {
        self.check_frames(cases, None, None)
    }

    /// Checks a frame of cases with the roster (`operators`) and authority matrix, when the
    /// rules that need them are to be evaluated.
    pub fn check_frames(
        &self,
        cases: &DataFrame,
        operators: Option<&DataFrame>,
        authority: Option<&DataFrame>,
    ) -> Result<Checked, Error> {
        let typed = |df: &DataFrame, table: Table| {
            typed_frame(
                df.clone(),
                format!("{} frame", table.name()),
                table,
                &self.0.map,
            )
            .map_err(RunError::from)
        };
        let tables = Tables {
            cases: typed(cases, Table::Cases)?,
            issues: Vec::new(),
            operators: operators.map(|d| typed(d, Table::Operators)).transpose()?,
            authority: authority.map(|d| typed(d, Table::Authority)).transpose()?,
        };
        let result = check::check_tables(&self.0, tables, false, &|_: CheckPhase| {})?;
        Ok(Checked(result))
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
    /// Per checkpoint: cases with a finding of it, in stage order.
    pub by_checkpoint: Vec<(String, u64)>,
    /// Per severity: cases with a finding of it.
    pub by_severity: Vec<(String, u64)>,
}

impl Checked {
    /// One row per failing case and rule (the columns of `findings.csv`).
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

    /// Per rule: cases it applies to, cases failed, error rate (`rule_rates.csv`).
    pub fn rule_rates(&self) -> Result<DataFrame, Error> {
        Ok(self.0.rule_table().map_err(RunError::from)?)
    }

    /// The ids of the rules not evaluated for want of a column, table or setting.
    #[must_use]
    pub fn not_evaluated(&self) -> Vec<&str> {
        self.0
            .not_evaluated
            .iter()
            .map(|n| n.rule_id.as_str())
            .collect()
    }
}
