//! `policyqc explain`.

use super::args::{ExplainArgs, OutputFormat};
use super::{EXIT_OK, report_run_error};
use crate::check::{load_column_map, load_rules, load_settings};
use crate::explain::{ExplainError, explain, select, text, with_examples};

/// Runs `explain`.
pub fn run(a: &ExplainArgs) -> miette::Result<i32> {
    let map = load_column_map(None).map_err(report_run_error)?;
    let settings = load_settings(a.settings.as_deref()).map_err(report_run_error)?;
    let set = load_rules(a.rules.as_deref(), &map, &settings).map_err(report_run_error)?;
    let rules = select(&set, &a.query)?;
    let mut out: Vec<_> = rules.iter().map(|r| explain(r, &settings)).collect();
    if !a.no_examples {
        match with_examples(&mut out, a.rules.as_deref()) {
            Ok(()) => {}
            Err(ExplainError::Run(e)) => return Err(report_run_error(e)),
            Err(e) => return Err(e.into()),
        }
    }
    match a.format {
        OutputFormat::Json => {
            let json = serde_json::to_string_pretty(&out).map_err(|e| miette::miette!("{e}"))?;
            println!("{json}");
        }
        OutputFormat::Text => {
            let parts: Vec<String> = out.iter().map(text).collect();
            print!("{}", parts.join("\n"));
        }
    }
    Ok(EXIT_OK)
}
