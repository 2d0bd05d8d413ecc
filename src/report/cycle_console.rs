//! The terminal tables of `policyqc cycle` and `policyqc status`.

use std::collections::BTreeMap;
use std::fmt::Write;

use polars::prelude::*;

use crate::cycle::{CycleResult, StatusResult};
use crate::input::{column_str, column_u64};
use crate::lang::Lang;
use crate::metrics::cycle_times::PercentileMethod;
use crate::report::console::{lpad, pad};

/// One row of `cycle_summary`.
#[derive(Debug, Clone, Default)]
struct Row {
    n: u64,
    median: Option<f64>,
    p90: Option<f64>,
    p95: Option<f64>,
    mean: Option<f64>,
}

fn floats(df: &DataFrame, name: &str) -> Vec<Option<f64>> {
    df.column(name)
        .ok()
        .and_then(|c| c.f64().ok().map(|c| c.iter().collect()))
        .unwrap_or_default()
}

/// `cycle_summary` rows by (dimension, group, measure).
type Rows = BTreeMap<(String, String, String), Row>;

/// `cycle_summary` keyed by (dimension, group, measure), and the (dimension, group) pairs in
/// table order; its percentiles are by `method`.
fn rows(df: &DataFrame, method: PercentileMethod) -> (Rows, Vec<(String, String)>) {
    let dims = column_str(df, "dimension");
    let groups = column_str(df, "group");
    let measures = column_str(df, "measure");
    let n = column_u64(df, "n");
    let (median, p90, p95, mean) = (
        floats(df, "median"),
        floats(df, &method.column("p90")),
        floats(df, &method.column("p95")),
        floats(df, "mean"),
    );
    let mut map = BTreeMap::new();
    let mut order: Vec<(String, String)> = Vec::new();
    for i in 0..df.height() {
        let key = (
            dims[i].clone().unwrap_or_default(),
            groups[i].clone().unwrap_or_default(),
        );
        if order.last() != Some(&key) {
            order.push(key.clone());
        }
        map.insert(
            (key.0, key.1, measures[i].clone().unwrap_or_default()),
            Row {
                n: n[i],
                median: median[i],
                p90: p90[i],
                p95: p95[i],
                mean: mean[i],
            },
        );
    }
    (map, order)
}

fn num(x: Option<f64>) -> String {
    x.map_or_else(|| String::from("-"), |v| format!("{v:.2}"))
}

fn pct(x: Option<f64>) -> String {
    x.map_or_else(|| String::from("-"), |v| format!("{:.1}%", v * 100.0))
}

/// The terminal summary of `cycle`.
#[must_use]
#[allow(clippy::many_single_char_names)] // s: the text; r, j: the result; c, w, h, e: rows
pub fn cycle(r: &CycleResult, l: Lang) -> String {
    let mut s = String::new();
    let j = r.summary_json();
    let _ = writeln!(
        s,
        "{}",
        l.f(
            "policyqc cycle: {} cases from {}, {} tasks ({}), as of {}",
            &[
                &j["cases_read"],
                &r.inputs.cases.file,
                &j["tasks"],
                &r.inputs.tasks.source.name(),
                &j["as_of"].as_str().unwrap_or_default()
            ]
        )
    );
    let _ = writeln!(
        s,
        "{}",
        l.f(
            "cases accounted for {}  bound {}  open {}  ({} working hours a day)",
            &[
                &j["cases_accounted_for"],
                &j["cases_bound"],
                &j["cases_open"],
                &j["calendar_working_hours_per_day"]
            ]
        )
    );
    for line in crate::rules::needs::grouped_lines(&r.inputs.not_evaluated) {
        let _ = writeln!(s, "{}", l.f("time limits: {}", &[&line]));
    }
    for line in r.inputs.info_lines() {
        let _ = writeln!(s, "{line}");
    }
    if !r.inputs.issues.is_empty() {
        let problems: Vec<String> = r
            .inputs
            .task_problem_counts()
            .into_iter()
            .filter(|(_, n)| *n > 0)
            .map(|(k, n)| format!("{k} {n}"))
            .collect();
        let bad = if problems.is_empty() {
            String::new()
        } else {
            l.f(" (bad tasks: {})", &[&problems.join(", ")])
        };
        let _ = writeln!(
            s,
            "{}",
            l.f(
                "data findings {}{}: see data_findings.csv",
                &[&r.inputs.issues.len(), &bad]
            )
        );
    }
    let (map, order) = rows(&r.summary, r.percentiles);
    let get = |d: &str, g: &str, m: &str| {
        map.get(&(d.to_owned(), g.to_owned(), m.to_owned()))
            .cloned()
    };
    let _ = writeln!(
        s,
        "\n{}",
        l.f(
            "cycle time of bound cases in working hours (median exact; p = {} percentile); SLA = share of time limits met",
            &[&r.percentiles.name()]
        )
    );
    let _ = writeln!(
        s,
        "  {}{}{}{}{}{}{}",
        pad(l.t("change type"), 22),
        lpad(l.t("cases"), 7),
        lpad(l.t("median"), 9),
        lpad("p90", 9),
        lpad("p95", 9),
        lpad(l.t("own median"), 11),
        lpad("SLA", 9)
    );
    for (d, g) in order
        .iter()
        .filter(|(d, _)| d == "all" || d == "change_type")
    {
        let c = get(d, g, "cycle_working_hours").unwrap_or_default();
        let own = get(d, g, "own_working_hours").unwrap_or_default();
        let sla = get(d, g, "sla_compliance");
        let _ = writeln!(
            s,
            "  {}{:>7}{:>9}{:>9}{:>9}{:>11}{:>9}",
            pad(l.tr(g), 22),
            c.n,
            num(c.median),
            num(c.p90),
            num(c.p95),
            num(own.median),
            pct(sla.and_then(|x| x.mean))
        );
    }
    let _ = writeln!(
        s,
        "\n{}{}",
        l.t("stages (finished), medians and p90 in working hours: elapsed = waiting + handling"),
        if r.inputs.tasks.source == crate::input::tasks::TaskSource::Cases {
            l.t("; tasks derived from the cases' stage timestamps have no start, so waiting and handling are unknown")
        } else {
            ""
        }
    );
    let _ = writeln!(
        s,
        "  {}{}{}{}{}{}{}{}{}",
        pad(l.t("stage"), 14),
        lpad(l.t("cases"), 7),
        lpad(l.t("elapsed"), 9),
        lpad("p90", 9),
        lpad(l.t("wait"), 9),
        lpad("p90", 9),
        lpad(l.t("handle"), 9),
        lpad("p90", 9),
        lpad("SLA", 9)
    );
    for (d, g) in order.iter().filter(|(d, _)| d == "stage") {
        let w = get(d, g, "waiting_working_hours").unwrap_or_default();
        let h = get(d, g, "handling_working_hours").unwrap_or_default();
        let e = get(d, g, "elapsed_working_hours").unwrap_or_default();
        let sla = get(d, g, "sla_compliance");
        let _ = writeln!(
            s,
            "  {}{:>7}{:>9}{:>9}{:>9}{:>9}{:>9}{:>9}{:>9}",
            pad(l.tr(g), 14),
            e.n,
            num(e.median),
            num(e.p90),
            num(w.median),
            num(w.p90),
            num(h.median),
            num(h.p90),
            pct(sla.and_then(|x| x.mean))
        );
    }
    s
}

/// The terminal summary of `status`.
#[must_use]
#[allow(clippy::many_single_char_names)] // s: the text; o, a, f, c, d: the balance columns
pub fn status(r: &StatusResult, l: Lang) -> String {
    let mut s = String::new();
    let rep = &r.report;
    let _ = writeln!(
        s,
        "{}",
        l.f(
            "policyqc status for {} (tasks: {})",
            &[&rep.date.format("%Y-%m-%d"), &r.inputs.tasks.source.name()]
        )
    );
    for line in r.inputs.info_lines() {
        let _ = writeln!(s, "{line}");
    }
    let _ = writeln!(
        s,
        "\n  {}{}{}{}{}{}{:>8}",
        pad(l.t("stage"), 14),
        lpad(l.t("opening"), 9),
        lpad(l.t("new"), 9),
        lpad(l.t("finished"), 9),
        lpad(l.t("closing"), 9),
        lpad(l.t("diff"), 9),
        ""
    );
    let rec = &rep.reconciliation;
    let stages = column_str(rec, "stage");
    let get = |name: &str| -> Vec<i64> {
        rec.column(name)
            .ok()
            .and_then(|c| {
                c.i64()
                    .ok()
                    .map(|c| c.iter().map(Option::unwrap_or_default).collect())
            })
            .unwrap_or_default()
    };
    let (o, a, f, c, d) = (
        get("opening"),
        get("new_pending"),
        get("finished"),
        get("closing"),
        get("difference"),
    );
    for i in 0..rec.height() {
        let _ = writeln!(
            s,
            "  {}{:>9}{:>9}{:>9}{:>9}{:>9}{}",
            pad(l.tr(stages[i].as_deref().unwrap_or_default()), 14),
            o[i],
            a[i],
            f[i],
            c[i],
            d[i],
            lpad(
                if d[i] == 0 {
                    l.t("ok")
                } else {
                    l.t("MISMATCH")
                },
                8
            )
        );
    }
    let stuck = &rep.stuck;
    let _ = writeln!(
        s,
        "\n{}",
        l.f("stuck cases (past a time limit): {}", &[&stuck.height()])
    );
    let ids = column_str(stuck, "case_id");
    let rules = column_str(stuck, "rule_id");
    let by = column_str(stuck, "held_by");
    let ages = floats(stuck, "age_working_hours");
    let limits = column_str(stuck, "limit");
    for i in 0..stuck.height().min(10) {
        let _ = writeln!(
            s,
            "  {:<14}{:<34}{}",
            ids[i].clone().unwrap_or_default(),
            rules[i].clone().unwrap_or_default(),
            l.f(
                "{} wh  limit {} held by {}",
                &[
                    &format!("{:>9}", num(ages[i])),
                    &format!("{:<18}", limits[i].clone().unwrap_or_default()),
                    &by[i].clone().unwrap_or_else(|| l.t("(nobody)").to_owned())
                ]
            )
        );
    }
    if stuck.height() > 10 {
        let _ = writeln!(s, "  {}", l.t("... see stuck_cases.csv"));
    }
    let ex = &rep.exceptions;
    if ex.height() == 0 {
        let _ = writeln!(
            s,
            "\n{}",
            l.t("exceptions: none (every open case is held, waiting or bound)")
        );
    } else {
        let _ = writeln!(
            s,
            "\n{}",
            l.f("EXCEPTIONS: {} case(s) not accounted for", &[&ex.height()])
        );
        let kinds = column_str(ex, "kind");
        let ids = column_str(ex, "case_id");
        let last = column_str(ex, "last_stage");
        for i in 0..ex.height().min(20) {
            let _ = writeln!(
                s,
                "  {:<18}{:<14}{}",
                kinds[i].clone().unwrap_or_default(),
                ids[i].clone().unwrap_or_default(),
                l.f(
                    "last stage {}",
                    &[&last[i].clone().unwrap_or_else(|| l.t("(none)").to_owned())]
                )
            );
        }
        if ex.height() > 20 {
            let _ = writeln!(s, "  {}", l.t("... see exceptions.csv"));
        }
    }
    if !r.inputs.issues.is_empty() {
        let _ = writeln!(
            s,
            "\n{}",
            l.f(
                "data findings {}: see data_findings.csv",
                &[&r.inputs.issues.len()]
            )
        );
    }
    s
}
