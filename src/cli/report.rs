//! `policyqc report weekly`: runs the check over the data and writes the weekly QC analysis
//! (`weekly.html`, `weekly.xlsx`, `weekly.json`).

use polars::prelude::*;

use super::args::WeeklyArgs;
use super::{EXIT_OK, report_run_error};
use crate::check::{CheckOptions, run_check};
use crate::input::reference::Roster;
use crate::report::weekly::{self, WeeklySettings};
use crate::sampling::population::Filters;
use crate::schema::Table;

fn usage(message: &str) -> miette::Report {
    miette::miette!(code = "usage::week", "{message}")
}

/// The roster's `operator_id, team` (empty without a roster).
fn teams(sources: &crate::input::DataSources) -> miette::Result<DataFrame> {
    let mut ids: Vec<String> = Vec::new();
    let mut teams: Vec<Option<String>> = Vec::new();
    if let Some(p) = sources.operators.as_deref() {
        let map =
            crate::check::load_column_map(sources.columns.as_deref()).map_err(report_run_error)?;
        let t = crate::input::read_table(p, Table::Operators, &map, &[])
            .map_err(miette::Report::new)?;
        let r = Roster::from_table(&t).map_err(|e| miette::miette!("{e}"))?;
        ids = r.ids;
        teams = r.teams;
    }
    df!("operator_id" => ids, "team" => teams).map_err(|e| miette::miette!("{e}"))
}

/// Runs `report weekly`; returns the exit code.
pub fn weekly(a: &WeeklyArgs) -> miette::Result<i32> {
    let period =
        Filters::parse_period(a.week.trim()).map_err(|e| usage(&format!("--week: {e}")))?;
    let sources = super::check::data_sources(&a.data, "report weekly")?;
    let staged = super::begin_output(&a.out, &super::inputs(&sources, a.rules.as_ref()))?;
    let settings_path = sources.settings.clone();
    let opts = CheckOptions {
        sources: sources.clone(),
        rules_dir: a.rules.clone(),
        strict: false,
        rule_findings: None,
    };
    let result = run_check(&opts).map_err(report_run_error)?;
    let settings =
        crate::check::load_settings(settings_path.as_deref()).map_err(report_run_error)?;
    let figures = weekly::analyse(
        &result.evaluation.frame,
        &result.evaluation.findings,
        &teams(&sources)?,
        period,
        WeeklySettings::from_settings(&settings),
    )
    .map_err(|e| miette::miette!("{e}"))?;
    let this = &figures.weeks[3];
    if this.cases_received == 0 {
        miette::bail!(
            code = "weekly::no-cases",
            help = "choose a week the data covers (cases are placed by their received_at date)",
            "no case was received in {} ({} to {}); nothing was written",
            figures.week,
            this.from,
            this.to
        );
    }
    let json = serde_json::to_string_pretty(&figures).map_err(|e| miette::miette!("{e}"))? + "\n";
    let lang = super::lang(settings_path.as_deref())?;
    let html = crate::report::html::weekly::render(&figures, lang);
    let xlsx = crate::report::weekly_xlsx::bytes(&figures, lang)
        .map_err(|e| miette::miette!("weekly.xlsx: {e}"))?;
    super::finish_output(staged, |dir| -> std::io::Result<()> {
        std::fs::write(dir.join("weekly.json"), &json)?;
        std::fs::write(dir.join("weekly.html"), &html)?;
        std::fs::write(dir.join("weekly.xlsx"), &xlsx)
    })?;
    if !super::quiet() {
        println!(
            "{}\n{}",
            lang.f(
                "week {}: {} cases received, {} with findings, {} training entries",
                &[
                    &figures.week,
                    &this.cases_received,
                    &this.cases_with_findings,
                    &figures.training_plan.len()
                ]
            ),
            super::written_to(lang, &a.out, "weekly.html, weekly.xlsx, weekly.json")
        );
    }
    Ok(EXIT_OK)
}
