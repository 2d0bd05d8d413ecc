//! `cycle.html`, the page `policyqc cycle` writes beside its tables: the headline counts of
//! `cycle_summary.json`, the distribution of the working-time cycle (a histogram of all
//! bound cases, and one per change type), the share within each stage's time limit (SLA),
//! own handling against waiting on the customer and on referrals, and the open cases,
//! oldest first (the stuck cases past a limit on a given day are `policyqc status`'s).

use std::collections::BTreeMap;
use std::path::Path;

use maud::{Markup, html};
use polars::prelude::*;

use super::layout;
use super::svg::{self, Series};
use super::{count, number_column, pct, text_column};
use crate::cycle::CycleResult;
use crate::lang::Lang;

/// Open cases listed on the page; the rest are in `case_times.csv`.
pub const OPEN_CASES_SHOWN: usize = 20;

/// Most bins of a histogram (one working day each; the last holds everything longer).
pub const MAX_BINS: usize = 10;

/// Writes `cycle.html` into `out`, its labels in `lang`.
pub fn write(result: &CycleResult, out: &Path, lang: Lang) -> PolarsResult<std::path::PathBuf> {
    super::write_page(out, "cycle.html", &render(result, lang)?)
}

/// One case of `case_times`.
struct Case {
    id: String,
    change_type: String,
    received_at: String,
    status: String,
    working_hours: Option<f64>,
    working_days: Option<f64>,
    own: Option<f64>,
    customer_wait: Option<f64>,
    referral_wait: Option<f64>,
}

fn cases(df: &DataFrame) -> PolarsResult<Vec<Case>> {
    let id = text_column(df, "case_id")?;
    let change_type = text_column(df, "change_type")?;
    let received = text_column(df, "received_at")?;
    let status = text_column(df, "status")?;
    let hours = number_column(df, "cycle_working_hours")?;
    let days = number_column(df, "cycle_working_days")?;
    let own = number_column(df, "own_working_hours")?;
    let customer = number_column(df, "customer_wait_working_hours")?;
    let referral = number_column(df, "referral_wait_working_hours")?;
    Ok((0..df.height())
        .map(|i| Case {
            id: id[i].clone(),
            change_type: change_type[i].clone(),
            received_at: received[i].clone(),
            status: status[i].clone(),
            working_hours: hours[i],
            working_days: days[i],
            own: own[i],
            customer_wait: customer[i],
            referral_wait: referral[i],
        })
        .collect())
}

/// The bins of a working-days histogram: `[k, k+1)` days, the last open-ended.
#[must_use]
pub fn bin_count(max_days: f64) -> usize {
    ((max_days.floor() as usize) + 1).clamp(1, MAX_BINS)
}

/// Counts of `days` per bin of [`bin_count`] bins.
#[must_use]
pub fn histogram(days: &[f64], bins: usize) -> Vec<u64> {
    let mut counts = vec![0; bins];
    for d in days {
        let k = (d.max(0.0).floor() as usize).min(bins - 1);
        counts[k] += 1;
    }
    counts
}

fn bin_labels(bins: usize) -> Vec<String> {
    (0..bins)
        .map(|k| {
            if k + 1 == bins && bins == MAX_BINS {
                format!("≥{k}")
            } else {
                format!("{k}–{}", k + 1)
            }
        })
        .collect()
}

fn mean(v: &[f64]) -> f64 {
    if v.is_empty() {
        0.0
    } else {
        v.iter().sum::<f64>() / v.len() as f64
    }
}

/// `cycle_summary` rows of one dimension and measure: (group, n, mean).
fn summary_rows(
    df: &DataFrame,
    dimension: &str,
    measure: &str,
) -> PolarsResult<Vec<(String, u64, Option<f64>)>> {
    let dims = text_column(df, "dimension")?;
    let groups = text_column(df, "group")?;
    let measures = text_column(df, "measure")?;
    let n = number_column(df, "n")?;
    let means = number_column(df, "mean")?;
    Ok((0..df.height())
        .filter(|&i| dims[i] == dimension && measures[i] == measure)
        .map(|i| (groups[i].clone(), n[i].unwrap_or(0.0) as u64, means[i]))
        .collect())
}

/// Renders the page with its labels in `l`.
pub fn render(r: &CycleResult, l: Lang) -> PolarsResult<Markup> {
    let all = cases(&r.case_times)?;
    let json = r.summary_json();
    let subtitle = l.f(
        "Cases from {} · tasks from {} · as of {} · working time of the calendar ({} working hours a day)",
        &[
            &json["cases_file"].as_str().unwrap_or("-"),
            &json["task_source"].as_str().unwrap_or("-"),
            &json["as_of"].as_str().unwrap_or("-"),
            &json["calendar_working_hours_per_day"],
        ],
    );
    let body = html! {
        (layout::section("headline", l.t("Cycle at a glance"), &headline(&json, &r.summary, l)?))
        (layout::section("distribution", l.t("Working-time cycle per change type"), &distribution(&all, l)))
        (layout::section("sla", l.t("Within the stage time limits (SLA)"), &sla(&r.summary, l)?))
        (layout::section("waiting", l.t("Own handling and waiting"), &waiting(&all, l)))
        (layout::section("open", l.t("Open cases, oldest first"), &open_cases(&all, l)))
    };
    Ok(layout::page(
        l,
        l.t("policyqc cycle times"),
        &subtitle,
        &body,
        None,
    ))
}

fn headline(json: &serde_json::Value, summary: &DataFrame, l: Lang) -> PolarsResult<Markup> {
    let sla = summary_rows(summary, "all", "sla_compliance")?;
    let n = |k: &str| json[k].as_u64().unwrap_or(0);
    Ok(html! {
        div.figures {
            div.figure data-figure="cases_read" { div.value { (count(n("cases_read"))) } div.label { (l.t("cases read")) } }
            div.figure data-figure="cases_bound" { div.value { (count(n("cases_bound"))) } div.label { (l.t("cases bound")) } }
            div.figure data-figure="cases_open" { div.value { (count(n("cases_open"))) } div.label { (l.t("cases open")) } }
            div.figure data-figure="sla_compliance" {
                div.value { @match sla.first().and_then(|s| s.2) { Some(m) => (pct(m)), None => "–" } }
                div.label { (l.t("within the time limits")) }
            }
        }
        p.note {
            (l.f("Tasks: {} · data findings: {} · time-limit rules: {}", &[&count(n("tasks")), &count(n("data_findings")), &n("time_limit_rules")]))
        }
    })
}

fn distribution(all: &[Case], l: Lang) -> Markup {
    let bound: Vec<&Case> = all.iter().filter(|c| c.status == "bound").collect();
    let days: Vec<f64> = bound.iter().filter_map(|c| c.working_days).collect();
    if days.is_empty() {
        return html! { p.note { (l.t("No bound case: no cycle to show.")) } };
    }
    let bins = bin_count(days.iter().copied().fold(0.0, f64::max));
    let labels = bin_labels(bins);
    let overall = histogram(&days, bins);
    let mut by_type: BTreeMap<&str, Vec<f64>> = BTreeMap::new();
    for c in &bound {
        if let Some(d) = c.working_days {
            by_type.entry(&c.change_type).or_default().push(d);
        }
    }
    html! {
        p.note { (l.f("Bound cases by working days from receipt to binding (calendar working time; {} cases).", &[&count(days.len() as u64)])) }
        figure.chart {
            (svg::grouped_bars(l.t("Bound cases per working-day bin"), &labels, &[Series { name: l.t("bound cases"), colour: "#1f5fa8", values: overall.iter().map(|&n| n as f64).collect() }], &svg::tick))
            figcaption { (l.t("x: working days of the cycle ([k, k+1)); y: cases.")) }
        }
        table.wide {
            thead { tr { th { (l.t("change type")) } th.num { (l.t("bound cases")) } th.num { (l.t("mean working days")) } th { (l.t("distribution (same bins)")) } } }
            tbody {
                @for (ct, d) in &by_type {
                    tr data-change-type=(ct) {
                        td { (ct) }
                        td.num data-bound=(d.len()) { (d.len()) }
                        td.num { (format!("{:.2}", mean(d))) }
                        td { (svg::mini_bars(&histogram(d, bins))) }
                    }
                }
            }
        }
    }
}

fn sla(summary: &DataFrame, l: Lang) -> PolarsResult<Markup> {
    let stages = summary_rows(summary, "stage", "sla_compliance")?;
    let types = summary_rows(summary, "change_type", "sla_compliance")?;
    if stages.is_empty() && types.is_empty() {
        return Ok(html! { p.note { (l.t("No time-limit rule was evaluated: nothing judged.")) } });
    }
    let share = |v: f64| format!("{v:.0}%");
    let labels: Vec<String> = stages.iter().map(|s| l.tr(&s.0).to_owned()).collect();
    let values: Vec<f64> = stages.iter().map(|s| s.2.unwrap_or(0.0) * 100.0).collect();
    let table = |rows: &[(String, u64, Option<f64>)], what: &str| {
        html! {
            table {
                thead { tr { th { (what) } th.num { (l.t("judged")) } th.num { (l.t("within the limit")) } } }
                tbody {
                    @for (g, n, m) in rows {
                        tr data-sla=(g) { td { (l.tr(g)) } td.num { (n) } td.num { @match m { Some(m) => (pct(*m)), None => "–" } } }
                    }
                }
            }
        }
    };
    Ok(html! {
        p.note { (l.t("Share of (case, time limit) pairs within the limit, waits excluded as each rule says (cycle_summary.csv, measure sla_compliance).")) }
        @if !stages.is_empty() {
            figure.chart {
                (svg::grouped_bars(l.t("Within the time limit, per stage"), &labels, &[Series { name: l.t("within the limit"), colour: "#2e7d32", values }], &share))
            }
        }
        h3 { (l.t("Per stage")) }
        (table(&stages, l.t("stage")))
        h3 { (l.t("Per change type")) }
        (table(&types, l.t("change type")))
    })
}

fn waiting(all: &[Case], l: Lang) -> Markup {
    let mut by_type: BTreeMap<&str, [Vec<f64>; 3]> = BTreeMap::new();
    for c in all.iter().filter(|c| c.status == "bound") {
        if let (Some(o), Some(q), Some(f)) = (c.own, c.customer_wait, c.referral_wait) {
            let e = by_type.entry(&c.change_type).or_default();
            e[0].push(o);
            e[1].push(q);
            e[2].push(f);
        }
    }
    if by_type.is_empty() {
        return html! { p.note { (l.t("No handling times: the task list has no start times (tasks derived from stage timestamps), so own handling and waiting are unknown.")) } };
    }
    let labels: Vec<String> = by_type.keys().map(|k| (*k).to_owned()).collect();
    let names = [
        l.t("own handling"),
        l.t("customer wait (query)"),
        l.t("referral wait"),
    ];
    let colours = ["#1f5fa8", "#e8710a", "#8e44ad"];
    let series: Vec<Series<'_>> = (0..3)
        .map(|k| Series {
            name: names[k],
            colour: colours[k],
            values: by_type.values().map(|v| mean(&v[k])).collect(),
        })
        .collect();
    let hours = |v: f64| format!("{v:.1} h");
    html! {
        p.note { (l.t("Mean working hours per bound case inside the cycle: the department's own handling, and the time the case waited on the customer (an open query) or another department (underwriting, finance). Own handling counts an overlap of both waits once.")) }
        figure.chart { (svg::grouped_bars(l.t("Mean working hours per bound case"), &labels, &series, &hours)) }
        table {
            thead { tr { th { (l.t("change type")) } th.num { (l.t("cases")) } @for n in names { th.num { (n) } } } }
            tbody {
                @for (ct, v) in &by_type {
                    tr { td { (ct) } td.num { (v[0].len()) } @for k in 0..3 { td.num { (format!("{:.1}", mean(&v[k]))) } } }
                }
            }
        }
    }
}

fn open_cases(all: &[Case], l: Lang) -> Markup {
    let mut open: Vec<&Case> = all.iter().filter(|c| c.status == "open").collect();
    open.sort_by(|a, b| {
        b.working_hours
            .unwrap_or(0.0)
            .total_cmp(&a.working_hours.unwrap_or(0.0))
            .then_with(|| a.id.cmp(&b.id))
    });
    html! {
        @if open.is_empty() {
            p.note data-open="0" { (l.t("Every case is bound.")) }
        } @else {
            p.note data-open=(open.len()) {
                (l.f("{} cases are open, aged in working hours to the as-of time", &[&open.len()]))
                @if open.len() > OPEN_CASES_SHOWN { (l.f("; the {} oldest are below, all in case_times.csv", &[&OPEN_CASES_SHOWN])) }
                (l.t(". The cases past a time limit on a given day, with who holds them, are in policyqc status (stuck_cases.csv)."))
            }
            table {
                thead { tr { th { (l.t("case")) } th { (l.t("change type")) } th { (l.t("received")) } th.num { (l.t("working hours so far")) } } }
                tbody {
                    @for c in open.iter().take(OPEN_CASES_SHOWN) {
                        tr.open-case { td { (c.id) } td { (c.change_type) } td { (c.received_at) } td.num { @match c.working_hours { Some(h) => (format!("{h:.1}")), None => "–" } } }
                    }
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bins_are_whole_working_days_and_the_last_takes_the_long_tail() {
        assert_eq!(bin_count(0.3), 1);
        assert_eq!(bin_count(2.0), 3);
        assert_eq!(bin_count(40.0), MAX_BINS);
        assert_eq!(histogram(&[0.0, 0.99, 1.0, 2.5], 3), [2, 1, 1]);
        assert_eq!(histogram(&[40.0, 9.0, 8.9], MAX_BINS)[MAX_BINS - 1], 2);
        assert_eq!(bin_labels(2), ["0–1", "1–2"]);
        assert_eq!(bin_labels(MAX_BINS)[MAX_BINS - 1], "≥9");
    }
}
