//! Integration tests of `policyqc sample` and `policyqc verdicts import`, run as the built
//! binary on the fixtures.
//!
//! Expected values come from the fixture files (cases.csv, `expected_findings.csv`, the READMEs),
//! from hand counts written beside them, from the published plan tables, or from
//! `reference.py` (an independent Python re-implementation of the selection rules, whose
//! output is `golden/demo.json`), never from the program's own output.
//!
//! - `selection`: the four methods against the Python reference, reproducibility (same seed,
//!   shuffled rows, thread counts, drawn seeds), dry-run plans, filters, the workpaper, and the
//!   bad requests (empty population, larger than the population, minimums, overwriting);
//! - `verdicts`: importing, evaluation by hand, people's findings, and every bad verdict file.

// Tests name their temp dir, outputs and tables t, a, b, w...
#![allow(clippy::many_single_char_names)]

#[allow(dead_code)]
#[path = "../cli/util.rs"]
mod util;

mod selection;
mod support;
mod verdicts;
