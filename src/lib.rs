//! # policyqc
//!
//! A quality-control rules engine for insurance policy servicing. It loads YAML rules for
//! the six checkpoints of a policy-change case (intake, review, entry, double-check,
//! binding, printing) and the cross-cutting controls, evaluates them over a batch of cases
//! in one vectorized polars pass, and produces findings that explain themselves, the daily
//! QC sheet and error rates per rule, checkpoint, severity and operator.
//!
//! Data flows one way: column map -> inputs -> rules -> evaluation -> findings -> metrics ->
//! reports. Each step is a module of the crate; the command line (`policyqc --help`) and this
//! library API run the same path.
//!
//! # Use as a library
//!
//! Load a [`RulePack`] (the built-in default pack, or a rule folder) with its [`Settings`],
//! check a polars `DataFrame` of cases you already hold (columns named by the reference field
//! names of `SCHEMA.md`) and read the findings and [`Rates`] from the [`Checked`] result; with
//! the roster, compute a month's [`Scorecard`] from it. Nothing touches files unless you ask
//! for a rule folder or a settings file. Errors are [`Error`]s, miette diagnostics.
//!
//! A sum increase must collect a premium (`premium_charged >= 0`) and a sum decrease refund
//! one: the default pack's `entry.premium_sign_wrong` (error point 5, critical, counted
//! against `entry_operator`) finds the decrease that collected 120. With only these columns
//! every other rule of the pack lacks a column it needs and is not evaluated, so that case is
//! the only one with a finding.
//!
//! ```
//! use polars::prelude::*;
//! use policyqc::{RulePack, Settings};
//!
//! let cases = df!(
//!     "case_id" => ["C1", "C2", "C3"],
//!     "change_type" => ["sum_increase", "sum_decrease", "sum_decrease"],
//!     "premium_charged" => [250.0, -80.0, 120.0],
//!     "entry_operator" => ["ana", "ben", "ana"],
//! )?;
//! let pack = RulePack::builtin(&Settings::defaults())?;
//! let checked = pack.check(&cases)?;
//!
//! let findings = checked.findings();
//! let rule = findings.column("rule_id")?.str()?;
//! let case = findings.column("case_id")?.str()?;
//! let planted: Vec<_> = rule
//!     .iter()
//!     .zip(case.iter())
//!     .filter(|(r, _)| *r == Some("entry.premium_sign_wrong"))
//!     .map(|(_, c)| c)
//!     .collect();
//! assert_eq!(planted, [Some("C3")]);
//!
//! let rates = checked.rates();
//! assert_eq!(rates.cases_checked, 3);
//! assert_eq!(rates.cases_with_findings, 1);
//! assert!((rates.defect_rate - 1.0 / 3.0).abs() < 1e-12);
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```
//!
//! `examples/check_frame.rs` and `examples/scorecard.rs` are two complete programs
//! (`cargo run --example check_frame`).

// The hidden internals' docs link to each other's crate-private items; rustdoc renders none
// of them, so those links are not errors.
#![allow(rustdoc::private_intra_doc_links)]

// The documented API is the crate root's re-exports below and `cli`. The modules marked
// `#[doc(hidden)] pub` are internals that the binary, the integration tests in `tests/` or
// the benchmarks in `benches/` reach directly (each says which); they are not part of the
// API and may change at any time. Everything else is `pub(crate)`.

// The allocator's and SIGPIPE's process settings (the binary, `benches/`).
#[doc(hidden)]
pub mod alloc;
// The working calendar (`tests/props`, `benches/cycle.rs`).
#[doc(hidden)]
pub mod calendar;
// `policyqc check` over a data folder (`tests/props`, `benches/`).
#[doc(hidden)]
pub mod check;
pub mod cli;
// Config files: column map, diagnostics (`tests/`, `benches/`).
#[doc(hidden)]
pub mod config;
// `policyqc cycle` (`benches/cycle.rs`).
#[doc(hidden)]
pub mod cycle;
// The engine; its rhai evaluation is benchmarked alone (`benches/check`).
#[doc(hidden)]
pub mod engine;
pub(crate) mod explain;
// The data generator; `tests/fixtures_basic` builds the fixtures from its tables, the
// benchmarks generate their data with it.
#[doc(hidden)]
pub mod generate;
pub(crate) mod hash;
// The scorecard history (`tests/scorecard`).
#[doc(hidden)]
pub mod history;
// Reading tables (`tests/sampling`, `tests/props`, `benches/`).
#[doc(hidden)]
pub mod input;
// The languages of the pages, workbooks and console summaries (`--lang`).
pub mod lang;
pub(crate) mod metrics;
pub(crate) mod onboard;
pub(crate) mod output;
// Output formats (`benches/`).
#[doc(hidden)]
pub mod report;
// Rules; a rule's kind is taken apart in `benches/check`.
/// The rules' findings read from a file (`--rule-findings` of `scorecard` and `sample`).
pub(crate) mod rule_findings;
#[doc(hidden)]
pub mod rules;
// Sampling plans (`tests/props`).
#[doc(hidden)]
pub mod sampling;
// Reference tables (`tests/sampling`).
#[doc(hidden)]
pub mod schema;
// The monthly scorecard over a data folder (`tests/props`, `tests/scorecard`).
#[doc(hidden)]
pub mod scorecard;
// `policyqc sql`: the rule pack as SQL (issue 18).
pub(crate) mod sql;
mod timing;

mod api;
pub use api::{Checked, Error, Month, MonthTables, Rates, RulePack, Scorecard, Settings};
