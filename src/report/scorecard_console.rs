//! The terminal table of `policyqc scorecard`: per team, one line per operator (cases, errors
//! by severity, errors per 100 cases, checker figures, score, band, outcome, rank, trend),
//! the team and department roll-ups and the focus error points of the training hints.

use std::fmt::Write;

use polars::prelude::*;

use crate::input::column_str;
use crate::lang::Lang;
use crate::report::console::{lpad, pad};
use crate::scorecard::Scorecard;

fn cell(df: &DataFrame, name: &str, i: usize) -> String {
    match df.column(name).and_then(|c| c.get(i)) {
        Ok(AnyValue::Null) | Err(_) => String::from("-"),
        Ok(AnyValue::Float64(x)) => {
            if name == "catch_rate" {
                format!("{:.1}%", x * 100.0)
            } else {
                format!("{x:.2}")
            }
        }
        Ok(AnyValue::String(s)) => s.to_owned(),
        Ok(AnyValue::StringOwned(s)) => s.to_string(),
        Ok(v) => v.to_string(),
    }
}

/// Renders the table for one team or all, its labels in `l`.
pub fn render(sc: &Scorecard, team: Option<&str>, l: Lang) -> PolarsResult<String> {
    let mut s = String::new();
    let ops = sc.operators_of(team)?;
    let _ = writeln!(
        s,
        "{}{}",
        l.f(
            "policyqc scorecard {}: {} operators, {} cases read, {} errors in the month",
            &[
                &sc.month,
                &ops.height(),
                &sc.cases_read,
                &sc.errors.height()
            ]
        ),
        if sc.has_tasks {
            ""
        } else {
            l.t(" (no task list: no handling time or rework)")
        }
    );
    if sc.unattributed_errors > 0 {
        let _ = writeln!(
            s,
            "{}",
            l.f(
                "{} error(s) could not be attributed (the case names no operator for the stage): see scorecard_errors.csv",
                &[&sc.unattributed_errors]
            )
        );
    }
    if !sc.data_issues.is_empty() {
        let _ = writeln!(
            s,
            "{}",
            l.f(
                "{} data finding(s) (values or rows that could not be used): see data_findings.csv",
                &[&sc.data_issues.len()]
            )
        );
    }
    let teams: Vec<String> = match team {
        Some(t) => vec![t.to_owned()],
        None => sc.team_names(),
    };
    let cols = [
        ("operator", 10),
        ("cases_handled", 6),
        ("findings_critical", 5),
        ("findings_major", 5),
        ("findings_minor", 5),
        ("errors_per_100_cases", 8),
        ("cases_checked", 7),
        ("catches", 7),
        ("misses", 6),
        ("catch_rate", 7),
        ("score", 7),
        ("band", 5),
        ("outcome", 10),
        ("rank", 5),
        ("trend", 7),
    ];
    let heads = [
        l.t("operator"),
        l.t("cases"),
        l.t("crit"),
        l.t("major"),
        l.t("minor"),
        l.t("err/100"),
        l.t("checked"),
        l.t("catches"),
        l.t("misses"),
        l.t("catch%"),
        l.t("score"),
        l.t("band"),
        l.t("outcome"),
        l.t("rank"),
        l.t("trend"),
    ];
    for t in teams {
        let rows = sc.operators_of(Some(&t))?;
        let _ = writeln!(s, "\n{}", l.f("team {}", &[&t]));
        let mut line = String::from("  ");
        for ((_, w), h) in cols.iter().zip(heads) {
            let _ = write!(line, "{} ", lpad(h, *w));
        }
        let _ = writeln!(s, "{}", line.trim_end());
        for i in 0..rows.height() {
            let mut line = String::from("  ");
            for (c, w) in cols {
                let v = cell(&rows, c, i);
                let v = if matches!(c, "band" | "outcome" | "trend") {
                    l.tr(&v).to_owned()
                } else {
                    v
                };
                if c == "operator" {
                    let _ = write!(line, "{v:<w$} ");
                } else {
                    let _ = write!(line, "{} ", lpad(&v, w));
                }
            }
            let _ = writeln!(s, "{}", line.trim_end());
        }
    }
    let roll = sc.teams_of(team)?;
    let _ = writeln!(
        s,
        "\n{}",
        l.t("roll-ups (cases handled, errors, errors per 100 cases, catch rate, mean score, rewards, penalties)")
    );
    let names = column_str(&roll, "team");
    for (i, name) in names.iter().enumerate() {
        let _ = writeln!(
            s,
            "  {}{:>7}{:>6}{:>9}{:>8}{:>8}{:>4}{:>4}",
            pad(name.as_deref().unwrap_or_default(), 16),
            cell(&roll, "cases_handled", i),
            cell(&roll, "errors", i),
            cell(&roll, "errors_per_100_cases", i),
            cell(&roll, "catch_rate", i),
            cell(&roll, "mean_score", i),
            cell(&roll, "rewards", i),
            cell(&roll, "penalties", i),
        );
    }
    let hints = sc
        .training_of(team)?
        .lazy()
        .filter(col("focus"))
        .collect()?;
    if hints.height() > 0 {
        let _ = writeln!(
            s,
            "\n{}",
            l.t("training hints (error points that make up most of each team's errors)")
        );
        for i in 0..hints.height() {
            let _ = writeln!(
                s,
                "  {}EP{:<3}{}  {}: {}",
                pad(&cell(&hints, "team", i), 16),
                cell(&hints, "error_point", i),
                l.f(
                    "{} errors ({}%)",
                    &[
                        &format!("{:>4}", cell(&hints, "errors", i)),
                        &format!(
                            "{:>5.1}",
                            hints
                                .column("share")
                                .ok()
                                .and_then(|c| c.get(i).ok())
                                .and_then(|v| v.extract::<f64>())
                                .unwrap_or(0.0)
                                * 100.0
                        )
                    ]
                ),
                l.tr(&cell(&hints, "error_point_title", i)),
                cell(&hints, "top_operators", i),
            );
        }
    }
    Ok(s)
}
