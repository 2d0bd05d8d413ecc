//! `policyqc validate`.

use super::args::{OutputFormat, ValidateArgs};
use super::{EXIT_ERROR, EXIT_OK, report_run_error};
use crate::check::{RunError, load_column_map, load_rules, load_settings};

/// Loads the column map, the settings and the rule set `validate` is asked about.
fn load(a: &ValidateArgs) -> Result<crate::rules::RuleSet, RunError> {
    let map = load_column_map(a.columns.as_deref())?;
    let settings = load_settings(a.settings.as_deref())?;
    load_rules(a.rules_dir.as_deref(), &map, &settings)
}

/// The rules an unset setting leaves out (no data is read, so only settings count).
fn unset_settings(set: &crate::rules::RuleSet) -> Vec<crate::rules::needs::NotEvaluated> {
    crate::rules::needs::split(
        set,
        &crate::rules::needs::Available {
            absent_fields: &[],
            roster: true,
            authority: true,
        },
    )
    .1
}

/// Runs `validate`; returns the exit code (2 via the error when invalid).
pub fn run(a: &ValidateArgs) -> miette::Result<i32> {
    if a.format == OutputFormat::Json {
        return run_json(a);
    }
    let set = load(a).map_err(report_run_error)?;
    if super::quiet() {
        return Ok(EXIT_OK);
    }
    println!(
        "{}: {} rules valid, {} thresholds (rule set sha256 {})",
        set.origin,
        set.rules.len(),
        set.thresholds.len(),
        &set.hash[..16]
    );
    let unset = unset_settings(&set);
    for line in crate::rules::needs::grouped_lines(&unset) {
        println!("{line} (set it in settings.yaml to evaluate)");
    }
    Ok(EXIT_OK)
}

/// `validate --format json`: one document, `{"valid": true, ...}` or `{"valid": false,
/// "problems": [...]}` (exit 2).
fn run_json(a: &ValidateArgs) -> miette::Result<i32> {
    let (doc, code) = match load(a) {
        Ok(set) => {
            let unset = unset_settings(&set);
            (
                serde_json::json!({
                    "valid": true,
                    "rules_origin": set.origin,
                    "rules": set.rules.len(),
                    "thresholds": set.thresholds.len(),
                    "rule_set_sha256": set.hash,
                    "rules_not_evaluated": unset.iter().map(|n| serde_json::json!({
                        "rule_id": n.rule_id,
                        "needs": n.needs.iter().map(ToString::to_string).collect::<Vec<_>>(),
                    })).collect::<Vec<_>>(),
                    "problems": [],
                }),
                EXIT_OK,
            )
        }
        Err(RunError::Config(d)) => (
            serde_json::json!({ "valid": false, "problems": d.to_json() }),
            EXIT_ERROR,
        ),
        Err(e) => return Err(report_run_error(e)),
    };
    println!(
        "{}",
        serde_json::to_string_pretty(&doc).map_err(|e| miette::miette!("{e}"))?
    );
    Ok(code)
}
