//! `policyqc generate`: a realistic data folder in the reference format (SCHEMA.md) whose
//! errors are known in advance.
//!
//! A generated folder holds `cases`, `tasks`, `operators`, `authority` (CSV, or Parquet with
//! `--format parquet`), `calendar.yaml`, `settings.yaml` (its insurer settings: the policy-number
//! format), `labels.csv` (every planted error) and `operator_profiles.csv` (each operator's
//! planted speed and error propensity).
//!
//! The modules follow the concerns: [`roster`] (branches, teams, operators, authority
//! matrix), [`calendar`] (working time, arrivals), [`cases`] (a clean case, its timeline, the
//! export cut-off), [`errors`] (planted errors, catches at double-check, labels), [`tasks`]
//! (the task list), [`writer`] (streaming CSV/Parquet output).
//!
//! # Determinism
//! All randomness comes from `ChaCha8` generators keyed by `--seed`: one stream for the roster,
//! one per day for arrival times, one per case (its index) for everything about the case.
//! Cases are generated in parallel chunks and written in case order, so the same arguments
//! give byte-identical files whatever the machine or the number of threads.
//!
//! # Streaming
//! Cases are generated and written day by day in chunks of at most [`CHUNK`] cases; memory
//! holds one chunk, whatever `--cases`.
//!
//! # The recall contract
//! `policyqc check` with the default rules on a generated folder finds exactly the
//! (`case_id`, `error_point`) pairs of the labels with `caught_at_double_check = false`:
//! errors caught at double-check are corrected before binding and are not in the case data
//! (the task list shows the `returned` double-check instead).

pub(crate) mod calendar;
pub mod cases;
pub(crate) mod errors;
pub mod roster;
pub(crate) mod tasks;
pub mod writer;

use std::collections::BTreeMap;
use std::path::PathBuf;

use chrono::{Duration, NaiveDate, NaiveDateTime};
use rand::SeedableRng;
use rand_chacha::ChaCha8Rng;
use rayon::prelude::*;

use self::calendar::WorkClock;
use self::cases::{Ctx, F};
use self::errors::{Env, Label, MUTATIONS, Rates};
use self::roster::Roster;
use self::writer::{CaseOut, GenFormat, Output, WriteError};
use crate::calendar::{Calendar, CalendarSpec};

/// The generated insurer's conventions (`config::settings`): its policy numbers are a `P` and
/// nine digits. That is this generator's convention, not the QC standard, so it is a setting of
/// the folder, not part of the rule pack.
pub const SETTINGS_YAML: &str = "# Insurer settings of this generated folder (rules/README.md lists every setting).\n# Policy numbers of the generated insurer: a P and nine digits.\npolicy_no_format: \"^P[0-9]{9}$\"\n";

/// Cases generated and written at a time (bounds memory).
pub const CHUNK: usize = 8192;

/// What to generate.
#[derive(Debug, Clone)]
pub struct GenerateOptions {
    /// Number of cases.
    pub cases: u64,
    /// Seed of every random draw.
    pub seed: u64,
    /// First day of the period.
    pub start: NaiveDate,
    /// Length of the period in calendar days.
    pub days: u32,
    /// Output folder.
    pub out: PathBuf,
    /// Table format.
    pub format: GenFormat,
    /// Base error rate (see [`errors::Rates`]).
    pub error_rate: f64,
    /// Per error point overrides of the rate.
    pub point_rates: Vec<(u8, f64)>,
    /// Base probability that a checker catches a catchable error.
    pub catch_rate: f64,
    /// About how many operators (rounded to teams of ten).
    pub operators: u32,
    /// A calendar file to use instead of the default calendar.
    pub calendar: Option<PathBuf>,
}

impl GenerateOptions {
    /// The options with the documented defaults for `cases`, `seed`, `start`, `days`, `out`.
    #[must_use]
    pub fn new(cases: u64, seed: u64, start: NaiveDate, days: u32, out: PathBuf) -> Self {
        Self {
            cases,
            seed,
            start,
            days,
            out,
            format: GenFormat::Csv,
            error_rate: DEFAULT_ERROR_RATE,
            point_rates: Vec::new(),
            catch_rate: DEFAULT_CATCH_RATE,
            operators: 200,
            calendar: None,
        }
    }
}

/// Default `--error-rate`.
pub const DEFAULT_ERROR_RATE: f64 = 0.005;
/// Default `--catch-rate`.
pub const DEFAULT_CATCH_RATE: f64 = 0.6;

/// Why generating failed.
#[derive(Debug, thiserror::Error, miette::Diagnostic)]
pub enum GenerateError {
    /// Bad options.
    #[error("{0}")]
    #[diagnostic(code(generate::options))]
    Options(String),
    /// The calendar file.
    #[error("{path}: {message}")]
    #[diagnostic(code(generate::calendar))]
    Calendar {
        /// The file.
        path: String,
        /// Why.
        message: String,
    },
    /// The output folder already holds the other format's tables.
    #[error(
        "{0} already exists (from a run in the other format); remove it or choose another --out"
    )]
    #[diagnostic(code(generate::stale_file))]
    Stale(String),
    /// Writing.
    #[error(transparent)]
    #[diagnostic(code(generate::write))]
    Write(#[from] WriteError),
}

/// Counts of a finished run.
#[derive(Debug, Clone, Default)]
pub struct Summary {
    /// Cases written.
    pub cases: u64,
    /// Cases not bound at the export.
    pub open_cases: u64,
    /// Cases with a customer query.
    pub queries: u64,
    /// Cases referred to underwriting or finance.
    pub referrals: u64,
    /// Task rows.
    pub tasks: u64,
    /// Double-check tasks returned to entry.
    pub returned: u64,
    /// Per error point: (labels, caught at double-check).
    pub by_point: BTreeMap<u8, (u64, u64)>,
    /// Cases with at least one error left in the data.
    pub cases_with_errors: u64,
    /// Operators on the roster.
    pub operators: usize,
    /// Working days with arrivals.
    pub working_days: usize,
    /// The export moment.
    pub cutoff: Option<NaiveDateTime>,
}

impl Summary {
    /// Labels in total.
    #[must_use]
    pub fn labels(&self) -> u64 {
        self.by_point.values().map(|v| v.0).sum()
    }

    /// Labels caught at double-check.
    #[must_use]
    pub fn caught(&self) -> u64 {
        self.by_point.values().map(|v| v.1).sum()
    }

    fn add(&mut self, outs: &[CaseOut]) {
        for o in outs {
            self.cases += 1;
            self.open_cases += u64::from(!o.case.has(F::BoundAt));
            self.queries += u64::from(o.case.has(F::QueryOpenedAt));
            self.referrals += u64::from(o.case.has(F::ReferralDept));
            self.tasks += o.tasks.len() as u64;
            self.returned += o
                .tasks
                .iter()
                .filter(|t| t.outcome == Some("returned"))
                .count() as u64;
            self.cases_with_errors += u64::from(o.labels.iter().any(|l| !l.caught));
            for l in &o.labels {
                let e = self.by_point.entry(MUTATIONS[l.m].point).or_default();
                e.0 += 1;
                e.1 += u64::from(l.caught);
            }
        }
    }
}

/// A `ChaCha8` generator for one purpose and stream of a seed.
fn rng_for(seed: u64, purpose: u64, stream: u64) -> ChaCha8Rng {
    let mut key = [0u8; 32];
    key[..8].copy_from_slice(&seed.to_le_bytes());
    key[8..16].copy_from_slice(&purpose.to_le_bytes());
    let mut r = ChaCha8Rng::from_seed(key);
    r.set_stream(stream);
    r
}

const ROSTER: u64 = 1;
const DAYS: u64 = 2;
const ARRIVALS: u64 = 3;
const CASES: u64 = 4;

/// Everything shared by the cases of a run.
struct Gen {
    seed: u64,
    clock: WorkClock,
    roster: Roster,
    cutoff: NaiveDateTime,
    rates: Rates,
    prefix: String,
    width: usize,
}

impl Gen {
    fn case(&self, index: u64, received: NaiveDateTime) -> CaseOut {
        let mut rng = rng_for(self.seed, CASES, index);
        let ctx = Ctx {
            clock: &self.clock,
            roster: &self.roster,
            cutoff: self.cutoff,
        };
        let id = format!("C{}{:0w$}", self.prefix, index + 1, w = self.width);
        let (mut full, mut proc, draws) = cases::build_clean(&mut rng, &ctx, received, id);
        let picks = errors::choose(&full, &mut rng, &ctx, &self.rates);
        if picks.iter().any(|p| p.caught) {
            cases::compose(&mut full, &mut proc, &draws, &self.clock, true);
        }
        cases::settle_before_cutoff(&mut full, &mut proc, &self.clock, self.cutoff, &mut rng);
        let mut case = cases::truncate(&full, &proc, &self.clock, self.cutoff, &mut rng);
        let returned_by_cutoff = proc.rework.is_some_and(|r| r.returned <= self.cutoff);
        let env = Env {
            ctx: &ctx,
            rework: proc.rework.is_some(),
        };
        let mut labels = Vec::new();
        for pick in picks {
            let m = &MUTATIONS[pick.m];
            if pick.caught && returned_by_cutoff {
                if let Some(op) = full.op(m.operator) {
                    labels.push(Label {
                        m: pick.m,
                        operator: op,
                        caught: true,
                    });
                }
                continue;
            }
            if !(m.need)(&case, &env) {
                continue;
            }
            let before = case.clone();
            let applied = (m.apply)(&mut case, &mut rng, &env).is_ok();
            match case.op(m.operator) {
                Some(op) if applied => {
                    before.carry_changes(&case, &mut full);
                    labels.push(Label {
                        m: pick.m,
                        operator: op,
                        caught: false,
                    });
                }
                _ => case = before,
            }
        }
        let tasks = tasks::build(&full, &proc, self.cutoff);
        CaseOut {
            case,
            tasks,
            labels,
        }
    }
}

/// Generates the folder; `progress` is called with the number of cases written so far.
pub fn generate(opts: &GenerateOptions, progress: &dyn Fn(u64)) -> Result<Summary, GenerateError> {
    let mut phases = crate::timing::Phases::new();
    let bad = |m: String| Err(GenerateError::Options(m));
    if opts.days == 0 {
        return bad("--days must be at least 1".into());
    }
    for (what, r) in [
        ("--error-rate", opts.error_rate),
        ("--catch-rate", opts.catch_rate),
    ] {
        if !(0.0..=1.0).contains(&r) {
            return bad(format!("{what} {r} is not a probability between 0 and 1"));
        }
    }
    let mut rates = Rates::new(opts.error_rate, opts.catch_rate);
    for &(p, r) in &opts.point_rates {
        if !errors::POINTS.contains(&p) {
            return bad(format!(
                "--point-rate {p}={r}: error point {p} has no rule in the default pack that detects it (choose among {:?})",
                {
                    let mut v = errors::POINTS.to_vec();
                    v.sort_unstable();
                    v
                }
            ));
        }
        if !(0.0..=1.0).contains(&r) {
            return bad(format!(
                "--point-rate {p}={r}: the rate is not a probability between 0 and 1"
            ));
        }
        rates.point[usize::from(p)] = r;
    }
    if opts.operators < 10 {
        return bad("--operators must be at least 10 (one team)".into());
    }
    let last = opts.start + Duration::days(i64::from(opts.days) - 1);
    let (spec, yaml) = if let Some(p) = &opts.calendar {
        let fail = |message: String| GenerateError::Calendar {
            path: p.display().to_string(),
            message,
        };
        let text = std::fs::read_to_string(p).map_err(|e| fail(e.to_string()))?;
        let spec: CalendarSpec = serde_saphyr::from_str(&text).map_err(|e| fail(e.to_string()))?;
        (spec, text)
    } else {
        let spec = calendar::default_spec(opts.start, last);
        let yaml = calendar::spec_yaml(
            &spec,
            "Working time of the generated period (office-local, no time zones): policyqc generate's default calendar.",
        );
        (spec, yaml)
    };
    let cal = Calendar::from_spec(&spec).map_err(|e| GenerateError::Calendar {
        path: opts
            .calendar
            .as_ref()
            .map_or_else(|| "default calendar".into(), |p| p.display().to_string()),
        message: e.to_string(),
    })?;
    let clock = WorkClock::new(cal);
    let days = clock.working_days(opts.start, last);
    let Some(cutoff) = cases::cutoff_of(&clock, opts.start, last) else {
        return bad(format!(
            "the period {} .. {last} has no working day",
            opts.start
        ));
    };
    let other = match opts.format {
        GenFormat::Csv => GenFormat::Parquet,
        GenFormat::Parquet => GenFormat::Csv,
    };
    for stem in ["cases", "tasks", "operators", "authority"] {
        let p = opts.out.join(format!("{stem}.{}", other.ext()));
        if p.exists() {
            return Err(GenerateError::Stale(p.display().to_string()));
        }
    }

    phases.done("calendar");
    let roster = Roster::generate(
        opts.operators,
        opts.start,
        &mut rng_for(opts.seed, ROSTER, 0),
    );
    let counts =
        calendar::daily_counts(&clock, &days, opts.cases, &mut rng_for(opts.seed, DAYS, 0));
    let g = Gen {
        seed: opts.seed,
        clock,
        roster,
        cutoff,
        rates,
        prefix: cases::id_prefix(opts.start),
        width: opts.cases.max(1).to_string().len().max(4),
    };

    let mut out = Output::create(&opts.out, opts.format)?;
    out.write_table(
        "operators",
        &mut writer::operators_frame(&g.roster).map_err(polars_err)?,
    )?;
    out.write_table(
        "authority",
        &mut writer::authority_frame().map_err(polars_err)?,
    )?;
    out.write_file("calendar.yaml", yaml.as_bytes())?;
    out.write_file("settings.yaml", SETTINGS_YAML.as_bytes())?;
    out.write_file("operator_profiles.csv", &writer::profiles_csv(&g.roster))?;
    phases.done("roster");

    let mut summary = Summary {
        operators: g.roster.ops.len(),
        working_days: days.len(),
        cutoff: Some(cutoff),
        ..Summary::default()
    };
    let mut index = 0u64;
    for (d, (&day, &n)) in days.iter().zip(&counts).enumerate() {
        let mut rng = rng_for(opts.seed, ARRIVALS, d as u64);
        let mut secs: Vec<i64> = (0..n)
            .map(|_| {
                (calendar::arrival_fraction(&mut rng) * g.clock.day_seconds as f64).floor() as i64
            })
            .collect();
        secs.sort_unstable();
        for chunk in secs.chunks(CHUNK) {
            let first = index;
            let generated: Vec<CaseOut> = chunk
                .par_iter()
                .enumerate()
                .map(|(i, &s)| g.case(first + i as u64, g.clock.office_time(day, s)))
                .collect();
            index += chunk.len() as u64;
            out.write_chunk(&generated, &g.roster)?;
            summary.add(&generated);
            progress(index);
        }
    }
    phases.done("cases");
    out.commit()?;
    phases.done("committed");
    Ok(summary)
}

fn polars_err(e: polars::prelude::PolarsError) -> GenerateError {
    GenerateError::Write(WriteError::Polars {
        path: "operators/authority".into(),
        source: e,
    })
}

/// A clock for tests and tools: the default calendar of a period.
#[must_use]
pub fn default_clock(first: NaiveDate, last: NaiveDate) -> WorkClock {
    WorkClock::new(
        Calendar::from_spec(&calendar::default_spec(first, last))
            .expect("the default calendar is valid"),
    )
}
