//! `policyqc scorecard`.

use super::args::ScorecardArgs;
use super::{EXIT_OK, report_run_error};
use crate::config::diagnostics::SourceFile;
use crate::history::History;
use crate::input::DataSources;
use crate::report::Cells;
use crate::scorecard::{ScorecardConfig, ScorecardError, ScorecardOptions, config, run_scorecard};

fn report(e: ScorecardError) -> miette::Report {
    match e {
        ScorecardError::Run(r) => report_run_error(r),
        ScorecardError::Config(d) => report_run_error(crate::check::RunError::Config(d)),
        other => miette::Report::new(other),
    }
}

/// Runs `scorecard`; returns the exit code.
pub fn run(a: &ScorecardArgs) -> miette::Result<i32> {
    if !a.data_dir.is_dir() {
        miette::bail!(
            code = "input::no-folder",
            help = "give the data folder, e.g. `policyqc scorecard fixtures/scorecard --month 2026-10`",
            "{} is not a folder",
            a.data_dir.display()
        );
    }
    let mut sources = DataSources::from_folder(&a.data_dir);
    for (slot, given) in [
        (&mut sources.cases, &a.cases),
        (&mut sources.operators, &a.operators),
        (&mut sources.authority, &a.authority),
        (&mut sources.columns, &a.columns),
        (&mut sources.tasks, &a.tasks),
        (&mut sources.findings, &a.findings),
        (&mut sources.calendar, &a.calendar),
    ] {
        if let Some(p) = given {
            *slot = Some(p.clone());
        }
    }
    let lang = super::lang(sources.settings.as_deref())?;
    let mut inputs = super::inputs(&sources, a.rules.as_ref());
    inputs.extend(a.config.clone());
    inputs.push(a.history.clone());
    let staged = super::begin_output(&a.out, &inputs)?;
    let config = match &a.config {
        Some(p) => {
            let text = crate::config::read_capped_to_string(p).map_err(|e| {
                miette::miette!(
                    code = "scorecard::config",
                    "cannot read {}: {e}",
                    p.display()
                )
            })?;
            config::read(&SourceFile::new(p.display().to_string(), text))
        }
        None => ScorecardConfig::builtin(),
    }
    .map_err(|d| report(ScorecardError::Config(d)))?;
    let mut history = if a.no_history {
        None
    } else {
        Some(History::open(&a.history).map_err(|e| report(e.into()))?)
    };
    let opts = ScorecardOptions {
        sources,
        rules_dir: a.rules.clone(),
        config,
        month: a.month,
        strict: a.strict,
        rule_findings: a.rule_findings.clone(),
    };
    let sc = run_scorecard(&opts, history.as_ref()).map_err(report)?;
    let team = a.team.as_deref();
    sc.check_team(team).map_err(report)?;
    let trends = page_trends(&sc, history.as_ref()).map_err(report)?;
    super::finish_output(staged, |dir| {
        let mut written = sc.write(dir, team, Cells::raw_if(a.raw_csv))?;
        written.push(crate::report::scorecard_xlsx::write(&sc, dir, team, lang)?);
        written.push(crate::report::html::scorecard::write(
            &sc, team, &trends, dir, lang,
        )?);
        Ok::<_, ScorecardError>(written)
    })?;
    if let Some(h) = history.as_mut() {
        sc.record(h).map_err(|e| {
            report(e).wrap_err(format!(
                "the outputs are in {}/, but the history {} was left as it was",
                a.out.display(),
                a.history.display()
            ))
        })?;
    }
    if !super::quiet() {
        print!(
            "{}",
            crate::report::scorecard_console::render(&sc, team, lang)
                .map_err(|e| miette::miette!(code = "scorecard::render", "{e}"))?
        );
        println!(
            "\n{}{}",
            super::written_to(
                lang,
                &a.out,
                "scorecard.html, scorecard.csv, scorecard.json, scorecard.xlsx, scorecard_teams.csv, training_hints.csv, scorecard_errors.csv, data_findings.csv"
            ),
            if a.no_history {
                String::new()
            } else {
                lang.f(
                    "; month {} recorded in {}",
                    &[&sc.month, &a.history.display()],
                )
            }
        );
    }
    Ok(EXIT_OK)
}

/// Every operator's score by month for the page: the history's months (all of them) and this
/// run's month.
fn page_trends(
    sc: &crate::scorecard::Scorecard,
    history: Option<&History>,
) -> Result<crate::report::html::scorecard::Trends, ScorecardError> {
    let frame = match history {
        Some(h) => {
            let periods = crate::history::scorecard::periods(h)?;
            crate::history::scorecard::operator_scores(h, &periods)?
        }
        None => polars::prelude::df!(
            "period" => Vec::<String>::new(),
            "operator" => Vec::<String>::new(),
            "score" => Vec::<f64>::new()
        )?,
    };
    Ok(crate::report::html::scorecard::trends(&frame, sc)?)
}
