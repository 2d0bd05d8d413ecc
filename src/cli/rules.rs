//! `policyqc rules`: the rule list, or the rule-kind reference.

use super::args::RulesArgs;
use super::{EXIT_OK, report_run_error};
use crate::check::{load_column_map, load_rules};

/// Runs `rules`.
pub fn run(a: &RulesArgs) -> miette::Result<i32> {
    if a.kinds {
        print!("{}", crate::rules::registry::kinds_markdown());
        return Ok(EXIT_OK);
    }
    if a.settings {
        print!("{}", crate::config::settings::settings_markdown());
        return Ok(EXIT_OK);
    }
    let map = load_column_map(None).map_err(report_run_error)?;
    let set = load_rules(
        a.rules_dir.as_deref(),
        &map,
        &crate::config::settings::Settings::default(),
    )
    .map_err(report_run_error)?;
    println!(
        "{:<44} {:<13} {:>3} {:<9} {:<11} title",
        "id", "checkpoint", "EP", "severity", "kind"
    );
    for r in &set.rules {
        println!(
            "{:<44} {:<13} {:>3} {:<9} {:<11} {}",
            r.id,
            r.checkpoint,
            r.error_point,
            r.severity.name(),
            r.kind.name(),
            r.title
        );
    }
    Ok(EXIT_OK)
}
