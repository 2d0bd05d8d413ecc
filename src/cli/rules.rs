//! `policyqc rules`: the rule list, or the rule-kind reference.

use super::args::{OutputFormat, RulesArgs};
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
    if a.format == OutputFormat::Json {
        let list: Vec<serde_json::Value> = set
            .rules
            .iter()
            .map(|r| {
                serde_json::json!({
                    "id": r.id,
                    "title": r.title,
                    "checkpoint": r.checkpoint,
                    "error_point": r.error_point,
                    "severity": r.severity.name(),
                    "kind": r.kind.name(),
                    "responsible": r.responsible,
                    "settings": r.settings,
                    "source": r.source.to_string(),
                })
            })
            .collect();
        println!(
            "{}",
            serde_json::to_string_pretty(&list).map_err(|e| miette::miette!("{e}"))?
        );
        return Ok(EXIT_OK);
    }
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
