//! `policyqc generate`.

use std::io::IsTerminal;

use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};

use super::EXIT_OK;
use super::args::GenerateArgs;
use crate::generate::{GenerateOptions, Summary, generate};

/// Runs `generate`; returns the exit code.
pub fn run(a: &GenerateArgs) -> miette::Result<i32> {
    let opts = GenerateOptions {
        format: a.format,
        error_rate: a.error_rate,
        point_rates: a.point_rate.clone(),
        catch_rate: a.catch_rate,
        operators: a.operators,
        calendar: a.calendar.clone(),
        ..GenerateOptions::new(a.cases, a.seed, a.start, a.days, a.out.clone())
    };
    let bar = progress_bar(a.cases, super::quiet(), "cases");
    let summary = generate(&opts, &|n| bar.set_position(n)).map_err(miette::Report::new)?;
    bar.finish_and_clear();
    if !super::quiet() {
        print!("{}", render(&summary, &opts));
    }
    Ok(EXIT_OK)
}

/// A progress bar on standard error, hidden when it is not a terminal or with `--quiet`.
#[must_use]
pub fn progress_bar(len: u64, quiet: bool, unit: &str) -> ProgressBar {
    if quiet || !std::io::stderr().is_terminal() {
        return ProgressBar::hidden();
    }
    let bar = ProgressBar::with_draw_target(Some(len), ProgressDrawTarget::stderr());
    bar.set_style(
        ProgressStyle::with_template(&format!(
            "{{elapsed_precise}} [{{bar:40}}] {{human_pos}}/{{human_len}} {unit} ({{eta}} left)"
        ))
        .expect("valid template")
        .progress_chars("=> "),
    );
    bar
}

/// A bar over the steps of a run with the current step's name, ticking while a long step
/// runs; hidden when standard error is not a terminal or with `--quiet`.
#[must_use]
pub fn phase_bar(steps: u64, quiet: bool) -> ProgressBar {
    if quiet || !std::io::stderr().is_terminal() {
        return ProgressBar::hidden();
    }
    let bar = ProgressBar::with_draw_target(Some(steps), ProgressDrawTarget::stderr());
    bar.set_style(
        ProgressStyle::with_template("{spinner} {elapsed_precise} [{bar:20}] {pos}/{len} {msg}")
            .expect("valid template")
            .progress_chars("=> "),
    );
    bar.enable_steady_tick(std::time::Duration::from_millis(120));
    bar
}

fn render(s: &Summary, o: &GenerateOptions) -> String {
    use std::fmt::Write as _;
    let pct = |n: u64| {
        if s.cases == 0 {
            0.0
        } else {
            100.0 * n as f64 / s.cases as f64
        }
    };
    let mut t = String::new();
    let _ = writeln!(
        t,
        "{} cases over {} working days from {} (export {}), {} operators",
        s.cases,
        s.working_days,
        o.start,
        s.cutoff.map(|c| c.to_string()).unwrap_or_default(),
        s.operators
    );
    let _ = writeln!(
        t,
        "  {} open at the export ({:.1}%), {} with a customer query, {} referred; {} tasks, {} returned at double-check",
        s.open_cases,
        pct(s.open_cases),
        s.queries,
        s.referrals,
        s.tasks,
        s.returned
    );
    let _ = writeln!(
        t,
        "  {} planted errors: {} caught at double-check, {} left in the data on {} cases ({:.2}%)",
        s.labels(),
        s.caught(),
        s.labels() - s.caught(),
        s.cases_with_errors,
        pct(s.cases_with_errors)
    );
    let points: Vec<String> = s
        .by_point
        .iter()
        .map(|(p, (n, c))| format!("EP{p} {n}/{c}"))
        .collect();
    if !points.is_empty() {
        let _ = writeln!(
            t,
            "  per error point (planted/caught): {}",
            points.join(", ")
        );
    }
    let _ = writeln!(
        t,
        "written to {}/ (cases, tasks, operators, authority .{}; calendar.yaml, labels.csv, operator_profiles.csv)",
        o.out.display(),
        o.format.ext()
    );
    t
}
