//! Integration tests of `policyqc check`, run as the built binary.
//!
//! One test binary for the whole command (each integration-test binary links polars, and
//! linking is the slow part of a build). Every expected value comes from a fixture file
//! (`fixtures/*/expected_findings.csv`, the fixture READMEs, `rules/*.yaml`) or a hand count
//! written next to it, never from the program's own output.
//!
//! - `fixtures`: basic and demo against their designed findings, alerts, finding rows,
//!   determinism across thread counts, extra output formats;
//! - `rates`: case, rule, operator and QC-sheet rates on a ten-case folder counted by hand;
//! - `bad_data`: missing columns, unreadable values, --strict, duplicate ids, empty and
//!   non-UTF-8 files, missing files and folders;
//! - `atomic`: runs killed by SIGKILL at several moments, stopped by SIGTERM/SIGINT;
//! - `corpus`: 210 broken inputs through every subcommand: no panic, no hang, errors named;
//! - `injection`: formula-like cells neutralised in CSV and JSONL, `--raw-csv`;
//! - `paths`: the data folder as --out, a folder inside it, read-only and full file systems;
//! - `input_formats`: ISO timestamps with offsets, renamed columns and day-first dates;
//! - `rule_findings`: `scorecard` and `sample` reading the rules' findings from a file;
//! - `findings_hash`: the demo's findings, every column, unchanged (a stored SHA-256; issue 17).

mod atomic;
mod bad_data;
mod conventions;
mod corpus;
mod explain;
mod findings_hash;
mod fixtures;
mod injection;
mod input_formats;
mod lang;
mod layering;
mod onboard;
mod paths;
mod rates;
mod rule_findings;
mod util;
mod weekly;
