//! Audit sampling: sample sizes from published plans ([`plans`]), the population and its
//! strata ([`population`]), reproducible selection ([`select`]), the manifest ([`manifest`]),
//! the auditor's workpaper ([`workpaper`]), verdicts and their evaluation ([`verdicts`]) and
//! the verdict store ([`store`]).
//!
//! [`draw`] turns a finished check ([`crate::check::run_check`]) into a [`Sample`];
//! [`Sample::write`] writes `manifest.json`, `manifest.md`, `sample.csv` and `sample.xlsx`
//! all at once or not at all.

pub(crate) mod manifest;
pub mod plans;
pub(crate) mod population;
pub(crate) mod select;
pub(crate) mod store;
pub(crate) mod verdicts;
pub(crate) mod workpaper;

use std::path::{Path, PathBuf};

use crate::check::CheckResult;
use plans::{Plan, PlanError, PlanResult, Rate};
use population::{Filters, Population, WeightBy};
use select::{Method, SelectError, Selection};

pub use manifest::Manifest;

/// Why no sample was drawn or written (exit code 2).
#[derive(Debug, thiserror::Error, miette::Diagnostic)]
pub enum SampleError {
    /// A bad option or combination of options.
    #[error("{0}")]
    #[diagnostic(code(sample::usage))]
    Usage(String),
    /// The data cannot be sampled as it is.
    #[error("{0}")]
    #[diagnostic(code(sample::data))]
    Data(String),
    /// No case is left to sample.
    #[error(
        "nothing to sample: no case is left after the filters ({filters}); {cases} case(s) were read"
    )]
    #[diagnostic(
        code(sample::empty_population),
        help(
            "widen or remove the filters (--period, --checkpoint, --rule, --severity, --operator, --branch, --change-type)"
        )
    )]
    EmptyPopulation {
        /// The filters, described.
        filters: String,
        /// Cases read.
        cases: u64,
    },
    /// The sample would be larger than the population.
    #[error(
        "a sample of {asked} case(s) ({why}) is larger than the population of {population} case(s) after the filters"
    )]
    #[diagnostic(
        code(sample::too_large),
        help(
            "ask for at most {population} cases (--plan fixed --size {population} inspects every case), or widen the filters"
        )
    )]
    TooLarge {
        /// Cases asked for.
        asked: u64,
        /// Cases in the population.
        population: u64,
        /// Where the size came from.
        why: String,
    },
    /// The plan cannot give a size.
    #[error("{0}")]
    #[diagnostic(code(sample::plan))]
    Plan(String),
    /// The selection is impossible as asked.
    #[error("{0}")]
    #[diagnostic(code(sample::select))]
    Select(String),
    /// The output could not be written (nothing was left half-written).
    #[error("{0}")]
    #[diagnostic(code(sample::output))]
    Output(String),
    /// polars failed.
    #[error("polars: {0}")]
    #[diagnostic(code(sample::polars))]
    Polars(String),
}

#[allow(clippy::needless_pass_by_value)]
pub(crate) fn polars_err(e: polars::prelude::PolarsError) -> SampleError {
    SampleError::Polars(e.to_string())
}

/// What to sample and how.
#[derive(Debug, Clone)]
pub struct SampleOptions {
    /// Which cases may be sampled.
    pub filters: Filters,
    /// Stratification keys (`stage`, `operator:STAGE`, `branch`, `change_type`, any case field).
    pub strata_by: Vec<String>,
    /// The selection method.
    pub method: Method,
    /// Weights for risk-weighted selection.
    pub weight: Option<WeightBy>,
    /// The sampling plan.
    pub plan: Plan,
    /// Z1.4 only: the lot size, when it is not the population after the filters.
    pub lot_size: Option<u64>,
    /// Confidence for the evaluation's upper deviation limit (the attribute plan's own for
    /// attribute plans).
    pub confidence: Rate,
}

/// The seed and where it came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Seed {
    /// The value.
    pub value: u64,
    /// Drawn from the operating system (not given by the user).
    pub drawn: bool,
}

impl Seed {
    /// A seed drawn from the operating system's random source.
    pub fn from_os() -> Result<Seed, SampleError> {
        use rand::TryRng;
        let value = rand::rngs::SysRng.try_next_u64().map_err(|e| {
            SampleError::Usage(format!(
                "cannot draw a seed from the operating system: {e}; give --seed N"
            ))
        })?;
        Ok(Seed { value, drawn: true })
    }
}

/// A drawn sample, ready to be written.
#[derive(Debug, Clone)]
pub struct Sample {
    /// The manifest (what was done, with every parameter).
    pub manifest: Manifest,
    /// The population it was drawn from.
    pub population: Population,
    /// The selection.
    pub selection: Selection,
}

/// The population after the filters and the plan's figures for it (the `--dry-run`).
pub fn plan(
    check: &CheckResult,
    opts: &SampleOptions,
) -> Result<(Population, PlanResult), SampleError> {
    if opts.lot_size.is_some() && !matches!(opts.plan, Plan::Z14 { .. }) {
        return Err(SampleError::Usage(
            "--lot-size applies to --plan z14 only".into(),
        ));
    }
    let weight = matches!(opts.method, Method::RiskWeighted).then(|| {
        opts.weight
            .clone()
            .unwrap_or_else(WeightBy::default_severity)
    });
    let pop = population::build(check, &opts.filters, &opts.strata_by, weight.as_ref())?;
    if pop.size() == 0 {
        return Err(SampleError::EmptyPopulation {
            filters: describe_filters(&opts.filters),
            cases: check.cases_read,
        });
    }
    let lot = opts.lot_size.unwrap_or(pop.size());
    let result = opts.plan.size_for(lot).map_err(|e| match e {
        PlanError::EmptyPopulation => SampleError::Plan("--lot-size must be at least 1".into()),
        other => SampleError::Plan(other.to_string()),
    })?;
    if let Plan::Fixed { size } = opts.plan
        && size > pop.size()
    {
        return Err(SampleError::TooLarge {
            asked: size,
            population: pop.size(),
            why: "--size".into(),
        });
    }
    if result.sample_size > pop.size() {
        return Err(SampleError::TooLarge {
            asked: result.sample_size,
            population: pop.size(),
            why: format!("the {} plan for a lot of {lot}", result.plan),
        });
    }
    Ok((pop, result))
}

/// Draws a sample from a check.
pub fn draw(check: &CheckResult, opts: &SampleOptions, seed: Seed) -> Result<Sample, SampleError> {
    let (pop, plan_result) = plan(check, opts)?;
    let selection = select::select(&pop.units, plan_result.sample_size, &opts.method, seed.value)
        .map_err(|e| match e {
            SelectError::EmptyPopulation => SampleError::EmptyPopulation {
                filters: describe_filters(&opts.filters),
                cases: check.cases_read,
            },
            SelectError::LargerThanPopulation { asked, population } => SampleError::TooLarge {
                asked,
                population,
                why: "the plan".into(),
            },
            other @ SelectError::MinimumTooLarge { .. } => SampleError::Select(format!(
                "{other}: lower --min-per-stratum, stratify more coarsely, or ask for a larger sample"
            )),
            other @ SelectError::NotEnoughWeight { .. } => SampleError::Select(format!(
                "{other}: cases of weight 0 (no amount, or a severity weight of 0) cannot be drawn by PPS"
            )),
        })?;
    let manifest = Manifest::new(check, opts, seed, &pop, &plan_result, &selection)?;
    Ok(Sample {
        manifest,
        population: pop,
        selection,
    })
}

/// The filters as one line for messages and the manifest.
#[must_use]
pub fn describe_filters(f: &Filters) -> String {
    let mut parts = Vec::new();
    match (f.from, f.to) {
        (Some(a), Some(b)) => parts.push(format!("received {a}..{b}")),
        (Some(a), None) => parts.push(format!("received from {a}")),
        (None, Some(b)) => parts.push(format!("received up to {b}")),
        (None, None) => {}
    }
    for (name, list) in [
        ("checkpoint", &f.checkpoints),
        ("rule", &f.rules),
        ("severity", &f.severities),
        ("operator", &f.operators),
        ("branch", &f.branches),
        ("change type", &f.change_types),
    ] {
        if !list.is_empty() {
            parts.push(format!("{name} {}", list.join("|")));
        }
    }
    if parts.is_empty() {
        "none".into()
    } else {
        parts.join(", ")
    }
}

impl Sample {
    /// Writes `manifest.json`, `manifest.md`, `sample.csv` and `sample.xlsx` into `out`, with
    /// the `pages` beside them (name, bytes: the CLI's `audit.html`; sampling does not depend
    /// on the report writers).
    /// Refuses to replace an earlier sample's files unless `force` (a workpaper may already
    /// hold an auditor's verdicts). All files are written to temporary names first and
    /// renamed only when every one is complete.
    pub fn write(
        &self,
        out: &Path,
        force: bool,
        pages: Vec<(String, Vec<u8>)>,
    ) -> Result<Vec<PathBuf>, SampleError> {
        let names = ["manifest.json", "manifest.md", "sample.csv", "sample.xlsx"];
        if !force && let Some(existing) = names.iter().map(|n| out.join(n)).find(|p| p.exists()) {
            return Err(SampleError::Output(format!(
                "{} already exists: an earlier sample is there (its workpaper may hold verdicts); choose another --out or give --force to replace it",
                existing.display()
            )));
        }
        let work = workpaper::build(self)?;
        let mut files = vec![
            ("manifest.json".to_owned(), self.manifest.to_json_bytes()?),
            (
                "manifest.md".to_owned(),
                self.manifest.to_markdown().into_bytes(),
            ),
            ("sample.csv".to_owned(), workpaper::csv_bytes(&work)?),
            (
                "sample.xlsx".to_owned(),
                workpaper::xlsx_bytes(&work, &self.manifest)?,
            ),
        ];
        files.extend(pages);
        if out.exists() {
            // An existing folder (empty, or an earlier sample with --force) is the auditor's
            // workpaper folder and may hold their files: only ours are replaced, each
            // renamed whole into place.
            return write_files_atomically(out, files).map_err(SampleError::Output);
        }
        // A new folder appears whole or not at all (`crate::output`).
        let staged = crate::output::OutputDir::begin(out, &[])
            .map_err(|e| SampleError::Output(e.to_string()))?;
        let names: Vec<String> = files.iter().map(|(n, _)| n.clone()).collect();
        write_files_atomically(staged.path(), files).map_err(SampleError::Output)?;
        staged
            .commit()
            .map_err(|e| SampleError::Output(e.to_string()))?;
        Ok(names.iter().map(|n| out.join(n)).collect())
    }
}

/// Files written to temporary names, not yet in place: [`Staged::commit`] renames them,
/// dropping them without a commit removes them.
#[derive(Debug)]
pub struct Staged {
    temps: Vec<(PathBuf, PathBuf)>,
}

impl Staged {
    /// Writes every file to `dir/.NAME.tmp`; on any error removes those already written.
    pub fn write(dir: &Path, files: Vec<(String, Vec<u8>)>) -> Result<Staged, String> {
        std::fs::create_dir_all(dir)
            .map_err(|e| format!("cannot create {}: {e}", dir.display()))?;
        let mut staged = Staged { temps: Vec::new() };
        for (name, bytes) in files {
            let tmp = dir.join(format!(".{name}.tmp"));
            let dest = dir.join(&name);
            if let Err(e) = std::fs::write(&tmp, bytes) {
                let _ = std::fs::remove_file(&tmp);
                return Err(format!(
                    "cannot write {}: {e}; nothing was written",
                    dest.display()
                ));
            }
            staged.temps.push((tmp, dest));
        }
        Ok(staged)
    }

    /// Renames every file into place.
    pub fn commit(mut self) -> Result<Vec<PathBuf>, String> {
        let temps = std::mem::take(&mut self.temps);
        let mut done = Vec::new();
        for (i, (tmp, dest)) in temps.iter().enumerate() {
            if let Err(e) = std::fs::rename(tmp, dest) {
                for (t, _) in &temps[i..] {
                    let _ = std::fs::remove_file(t);
                }
                return Err(format!("cannot write {}: {e}", dest.display()));
            }
            done.push(dest.clone());
        }
        Ok(done)
    }
}

impl Drop for Staged {
    fn drop(&mut self) {
        for (t, _) in &self.temps {
            let _ = std::fs::remove_file(t);
        }
    }
}

/// Writes every file to `dir/.NAME.tmp` first and renames them into place only when all are
/// written; on any error the temporary files are removed and nothing is replaced.
pub fn write_files_atomically(
    dir: &Path,
    files: Vec<(String, Vec<u8>)>,
) -> Result<Vec<PathBuf>, String> {
    Staged::write(dir, files)?.commit()
}
