//! `policyqc validate`.

use super::args::ValidateArgs;
use super::{EXIT_OK, report_run_error};
use crate::check::{load_column_map, load_rules};

/// Runs `validate`; returns the exit code (2 via the error when invalid).
pub fn run(a: &ValidateArgs) -> miette::Result<i32> {
    let map = load_column_map(a.columns.as_deref()).map_err(report_run_error)?;
    let set = load_rules(a.rules_dir.as_deref(), &map).map_err(report_run_error)?;
    println!(
        "{}: {} rules valid, {} thresholds (rule set sha256 {})",
        set.origin,
        set.rules.len(),
        set.thresholds.len(),
        &set.hash[..16]
    );
    Ok(EXIT_OK)
}
