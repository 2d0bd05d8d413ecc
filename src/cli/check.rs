//! `policyqc check`.

use super::args::{CheckArgs, DataArgs};
use super::{EXIT_BREACH, EXIT_OK, report_run_error};
use crate::check::{CheckOptions, run_check_with_progress};
use crate::input::DataSources;
use crate::report::Cells;

/// The data files named by the arguments: the folder's, overridden by each file option. A
/// single export file given as the data is the cases table, and the files beside it
/// (`columns.yaml`, `settings.yaml`, `calendar.yaml`, ...) are its folder's.
pub(crate) fn data_sources(data: &DataArgs, command: &str) -> miette::Result<DataSources> {
    if let Some(file) = data.data_dir.as_deref().filter(|p| p.is_file()) {
        let folder = file
            .parent()
            .filter(|p| !p.as_os_str().is_empty())
            .unwrap_or(std::path::Path::new("."));
        let mut args = data.clone();
        args.data_dir = Some(folder.to_path_buf());
        args.cases = Some(data.cases.clone().unwrap_or_else(|| file.to_path_buf()));
        return data_sources(&args, command);
    }
    let mut sources = data
        .data_dir
        .as_deref()
        .map(DataSources::from_folder)
        .unwrap_or_default();
    if let Some(dir) = &data.data_dir
        && !dir.is_dir()
    {
        miette::bail!(
            code = "input::no-folder",
            help = format!("give the data folder, e.g. `policyqc {command} fixtures/demo`"),
            "{} is not a folder",
            dir.display()
        );
    }
    macro_rules! set {
        ($field:ident) => {
            if let Some(p) = &data.$field {
                sources.$field = Some(p.clone());
            }
        };
    }
    set!(cases);
    set!(operators);
    set!(authority);
    set!(columns);
    set!(settings);
    Ok(sources)
}

/// Runs `check`; returns the exit code.
pub fn run(a: &CheckArgs) -> miette::Result<i32> {
    let sources = data_sources(&a.data, "check")?;
    let lang = super::lang(sources.settings.as_deref())?;
    let staged = super::begin_output(&a.out, &super::inputs(&sources, a.rules.as_ref()))?;
    let opts = CheckOptions {
        sources,
        rules_dir: a.rules.clone(),
        strict: a.strict,
        rule_findings: None,
    };
    // Five steps: read cases, read reference tables, evaluate, rates, write.
    let bar = super::generate::phase_bar(5, super::quiet());
    let result = run_check_with_progress(&opts, &|phase| {
        bar.inc(u64::from(phase != crate::check::CheckPhase::ReadCases));
        bar.set_message(phase.describe());
    })
    .map_err(|e| {
        bar.finish_and_clear();
        report_run_error(e)
    })?;
    bar.inc(1);
    bar.set_message("writing outputs");
    let written = super::finish_output(staged, |dir| {
        let mut written = result.write(dir, &a.format, Cells::raw_if(a.raw_csv))?;
        let mut phases = crate::timing::Phases::new();
        written.push(crate::report::html::nightly::write(&result, dir, lang)?);
        phases.done("write report.html");
        Ok::<_, polars::prelude::PolarsError>(written)
    });
    bar.finish_and_clear();
    written?;
    if !super::quiet() {
        print!("{}", crate::report::console::summary(&result, lang));
        println!(
            "\n{}",
            super::written_to(
                lang,
                &a.out,
                "findings.csv, qc_sheet.csv, rule_rates.csv, operator_rates.csv, data_findings.csv, alerts.csv, summary.json, report.html"
            )
        );
    }
    Ok(if result.alerts.is_empty() {
        EXIT_OK
    } else {
        EXIT_BREACH
    })
}
