//! Tests of `policyqc scorecard`, attribution, people's findings and the history, as one
//! test binary (each binary links polars, and linking is the slow part of a build).
//!
//! Expected values come from `fixtures/scorecard/README.md`, where the October 2026 fixture's
//! scorecard is worked out by hand, or from hand counts written next to each test.
//!
//! - `fixture`: the hand-computed scorecard rows, roll-ups, training hints, errors, handling
//!   times, and the workbook read back with calamine;
//! - `attribution`: checker misses and catches, merging and dedupe of findings, months,
//!   unattributed errors;
//! - `people`: bad rows of people's findings reported with file, row and column; `--strict`;
//! - `history`: reruns give identical histories, killed and failed runs leave the history as
//!   it was, migrations, the trend across months;
//! - `config`: scorecard config errors with line:column, overrides;
//! - `cli`: `--team`, bad arguments, missing roster.

mod attribution;
mod cli;
mod config;
mod fixture;
mod history;
mod people;
mod util;
