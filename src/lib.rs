//! # policyqc
//!
//! A quality-control rules engine for insurance policy servicing. It loads YAML rules for
//! the six checkpoints of a policy-change case (intake, review, entry, double-check,
//! binding, printing) and the cross-cutting controls, evaluates them over a batch of cases
//! in one vectorized polars pass, and produces findings that explain themselves, the daily
//! QC sheet and error rates per rule, checkpoint, severity and operator.
//!
//! Data flows one way: column map -> inputs -> rules -> evaluation -> findings -> metrics ->
//! reports. Each step is a module.
//!
//! ```no_run
//! use policyqc::check::{CheckOptions, run_check};
//! use policyqc::input::DataSources;
//!
//! let opts = CheckOptions {
//!     sources: DataSources::from_folder(std::path::Path::new("fixtures/demo")),
//!     rules_dir: None, // the built-in default pack
//!     strict: false,
//! };
//! let result = run_check(&opts).expect("valid rules and data");
//! println!("{} cases, {} with findings", result.cases_read, result.case_rates.with_findings);
//! ```

pub mod alloc;
pub mod calendar;
pub mod check;
pub mod cli;
pub mod config;
pub mod cycle;
pub mod engine;
pub mod explain;
pub mod generate;
pub mod hash;
pub mod history;
pub mod input;
pub mod metrics;
pub mod onboard;
pub mod output;
pub mod report;
pub mod rules;
pub mod sampling;
pub mod schema;
pub mod scorecard;
pub mod sql;
mod timing;

pub use check::{CheckOptions, CheckResult, RunError, run_check};

mod api;
pub use api::{Checked, Error, Rates, RulePack, Settings};
