//! `policyqc cycle` and the data-folder handling it shares with `policyqc status`.

use super::args::{CycleArgs, DataArgs, TimeDataArgs};
use super::{EXIT_OK, report_run_error};
use crate::cycle::{CycleOptions, run_cycle};
use crate::input::DataSources;
use crate::report::Cells;

/// The data files of a folder, with the command line's overrides.
pub(crate) fn sources(data: &DataArgs, time: &TimeDataArgs) -> miette::Result<DataSources> {
    if let Some(dir) = &data.data_dir
        && !dir.is_dir()
    {
        miette::bail!(
            code = "input::no-folder",
            help = "give the data folder, e.g. `policyqc cycle fixtures/cycle`",
            "{} is not a folder",
            dir.display()
        );
    }
    let mut s = data
        .data_dir
        .as_deref()
        .map(DataSources::from_folder)
        .unwrap_or_default();
    for (slot, given) in [
        (&mut s.cases, &data.cases),
        (&mut s.operators, &data.operators),
        (&mut s.authority, &data.authority),
        (&mut s.columns, &data.columns),
        (&mut s.tasks, &time.tasks),
        (&mut s.events, &time.events),
        (&mut s.calendar, &time.calendar),
    ] {
        if let Some(p) = given {
            *slot = Some(p.clone());
        }
    }
    // An event log given on the command line replaces the folder's tasks file.
    if time.events.is_some() && time.tasks.is_none() {
        s.tasks = None;
    }
    Ok(s)
}

/// Runs `cycle`; returns the exit code.
pub fn run(a: &CycleArgs) -> miette::Result<i32> {
    let sources = sources(&a.data, &a.time)?;
    let staged = super::begin_output(&a.out, &super::inputs(&sources, a.rules.as_ref()))?;
    let opts = CycleOptions {
        sources,
        rules_dir: a.rules.clone(),
        as_of: a.as_of,
        strict: a.strict,
        percentiles: a.percentiles,
    };
    let result = run_cycle(&opts).map_err(report_run_error)?;
    super::finish_output(staged, |dir| {
        let mut written = result.write(dir, &a.format, Cells::raw_if(a.raw_csv))?;
        written.push(crate::report::html::cycle::write(&result, dir)?);
        Ok::<_, polars::prelude::PolarsError>(written)
    })?;
    if !super::quiet() {
        print!("{}", crate::report::cycle_console::cycle(&result));
        println!(
            "\nwritten to {}/ (case_times.csv, stage_times.csv, operator_times.csv, cycle_summary.csv, data_findings.csv, cycle_summary.json, cycle.html)",
            a.out.display()
        );
    }
    Ok(EXIT_OK)
}
