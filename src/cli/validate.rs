//! `policyqc validate`.

use super::args::ValidateArgs;
use super::{EXIT_OK, report_run_error};
use crate::check::{load_column_map, load_rules, load_settings};

/// Runs `validate`; returns the exit code (2 via the error when invalid).
pub fn run(a: &ValidateArgs) -> miette::Result<i32> {
    let map = load_column_map(a.columns.as_deref()).map_err(report_run_error)?;
    let settings = load_settings(a.settings.as_deref()).map_err(report_run_error)?;
    let set = load_rules(a.rules_dir.as_deref(), &map, &settings).map_err(report_run_error)?;
    println!(
        "{}: {} rules valid, {} thresholds (rule set sha256 {})",
        set.origin,
        set.rules.len(),
        set.thresholds.len(),
        &set.hash[..16]
    );
    let unset: Vec<_> = crate::rules::needs::split(
        &set,
        &crate::rules::needs::Available {
            absent_fields: &[],
            roster: true,
            authority: true,
        },
    )
    .1;
    for line in crate::rules::needs::grouped_lines(&unset) {
        println!("{line} (set it in settings.yaml to evaluate)");
    }
    Ok(EXIT_OK)
}
