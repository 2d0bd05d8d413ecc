//! `policyqc status`.

use super::args::StatusArgs;
use super::{EXIT_BREACH, EXIT_OK, report_run_error};
use crate::cycle::{CycleOptions, run_status};
use crate::report::Cells;

/// Runs `status`; returns the exit code (1 when a case is an exception or a stage does not
/// reconcile).
pub fn run(a: &StatusArgs) -> miette::Result<i32> {
    let sources = super::cycle::sources(&a.data, &a.time)?;
    let lang = super::lang(sources.settings.as_deref())?;
    let staged = super::begin_output(&a.out, &super::inputs(&sources, a.rules.as_ref()))?;
    let opts = CycleOptions {
        sources,
        rules_dir: a.rules.clone(),
        as_of: None,
        strict: a.strict,
        // The status report has no percentiles.
        ..CycleOptions::default()
    };
    let result = run_status(&opts, a.date).map_err(report_run_error)?;
    super::finish_output(staged, |dir| {
        result.write(dir, &a.format, Cells::raw_if(a.raw_csv))
    })?;
    if !super::quiet() {
        print!("{}", crate::report::cycle_console::status(&result, lang));
        println!(
            "\n{}",
            super::written_to(
                lang,
                &a.out,
                "status.csv, reconciliation.csv, stuck_cases.csv, exceptions.csv, data_findings.csv, status.json"
            )
        );
    }
    Ok(
        if result.report.exceptions.height() == 0 && result.reconciled() {
            EXIT_OK
        } else {
            EXIT_BREACH
        },
    )
}
