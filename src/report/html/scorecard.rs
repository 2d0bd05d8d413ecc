//! `scorecard.html`, the page `policyqc scorecard` writes beside its tables: the headline
//! figures of `scorecard.json`, the operator ranking with bands, each operator's score over
//! the months of the history (a sparkline; a single point when the history holds one month
//! only, and the page says so), the checkers' catches and misses, and the weights used.

use std::collections::BTreeMap;
use std::path::Path;

use maud::{Markup, html};
use polars::prelude::*;

use super::layout;
use super::{count, number_column, pct, text_column};
use crate::lang::Lang;
use crate::scorecard::Scorecard;

/// Each operator's scores by month (`YYYY-MM` → score), oldest first: the history's months
/// and this run's.
pub type Trends = BTreeMap<String, BTreeMap<String, f64>>;

/// The trends of the history frame `period, operator, score` (from
/// [`crate::history::scorecard::operator_scores`]) with this run's month put in (replacing
/// that month if the history already holds it).
pub fn trends(history: &DataFrame, sc: &Scorecard) -> PolarsResult<Trends> {
    let month = sc.month.to_string();
    let mut out = Trends::new();
    let periods = text_column(history, "period")?;
    let ops = text_column(history, "operator")?;
    let scores = number_column(history, "score")?;
    for i in 0..history.height() {
        if periods[i] == month {
            continue;
        }
        if let Some(s) = scores[i] {
            out.entry(ops[i].clone())
                .or_default()
                .insert(periods[i].clone(), s);
        }
    }
    let ops = text_column(&sc.operators, "operator")?;
    let scores = number_column(&sc.operators, "score")?;
    for (op, s) in ops.iter().zip(scores) {
        let entry = out.entry(op.clone()).or_default();
        if let Some(s) = s {
            entry.insert(month.clone(), s);
        }
    }
    Ok(out)
}

/// Writes `scorecard.html` into `out`, for one team or all.
pub fn write(
    sc: &Scorecard,
    team: Option<&str>,
    trends: &Trends,
    out: &Path,
    lang: Lang,
) -> PolarsResult<std::path::PathBuf> {
    super::write_page(out, "scorecard.html", &render(sc, team, trends, lang)?)
}

/// One operator row of the page.
struct Row {
    operator: String,
    name: String,
    team: String,
    cases: String,
    errors: String,
    score: Option<f64>,
    band: String,
    outcome: String,
    rank: String,
    trend: String,
    checked: Option<f64>,
    catches: Option<f64>,
    misses: Option<f64>,
    catch_rate: Option<f64>,
}

fn rows(df: &DataFrame) -> PolarsResult<Vec<Row>> {
    let t = |c: &str| text_column(df, c);
    let n = |c: &str| number_column(df, c);
    let (operator, name, team, cases, errors) = (
        t("operator")?,
        t("name")?,
        t("team")?,
        t("cases_handled")?,
        t("errors")?,
    );
    let (band, outcome, rank, trend) = (t("band")?, t("outcome")?, t("rank")?, t("trend")?);
    let (score, checked, catches, misses, rate) = (
        n("score")?,
        n("cases_checked")?,
        n("catches")?,
        n("misses")?,
        n("catch_rate")?,
    );
    Ok((0..df.height())
        .map(|i| Row {
            operator: operator[i].clone(),
            name: name[i].clone(),
            team: team[i].clone(),
            cases: cases[i].clone(),
            errors: errors[i].clone(),
            score: score[i],
            band: band[i].clone(),
            outcome: outcome[i].clone(),
            rank: rank[i].clone(),
            trend: trend[i].clone(),
            checked: checked[i],
            catches: catches[i],
            misses: misses[i],
            catch_rate: rate[i],
        })
        .collect())
}

fn num(v: Option<f64>) -> String {
    v.map_or_else(String::new, |x| format!("{x:.2}"))
}

fn whole(v: Option<f64>) -> String {
    v.map_or_else(String::new, |x| format!("{x:.0}"))
}

/// Renders the page with its labels in `l`.
pub fn render(
    sc: &Scorecard,
    team: Option<&str>,
    trends: &Trends,
    l: Lang,
) -> PolarsResult<Markup> {
    let json = sc.summary_json(team)?;
    let all = rows(&sc.operators_of(team)?)?;
    let subtitle = l.f(
        "Month {} · {} · config {} · rules {}",
        &[
            &sc.month,
            &team.map_or_else(|| l.t("all teams").to_owned(), |t| l.f("team {}", &[&t])),
            &sc.config.origin,
            &sc.rules_origin,
        ],
    );
    let months: std::collections::BTreeSet<&String> =
        trends.values().flat_map(BTreeMap::keys).collect();
    let body = html! {
        (layout::section("headline", l.t("Scorecard at a glance"), &headline(&json, &all, l)))
        (layout::section("ranking", l.t("Operator ranking"), &ranking(&all, trends, months.len(), l)))
        (layout::section("checkers", l.t("Checkers: catches and misses"), &checkers(&all, l)))
        (layout::section("weights", l.t("Weights used"), &weights(sc, l)))
    };
    Ok(layout::page(
        l,
        l.t("policyqc scorecard"),
        &subtitle,
        &body,
        None,
    ))
}

fn headline(json: &serde_json::Value, all: &[Row], l: Lang) -> Markup {
    let n = |k: &str| json[k].as_u64().unwrap_or(0);
    let rated = all.iter().filter(|r| r.score.is_some()).count() as u64;
    html! {
        div.figures {
            div.figure data-figure="cases_read" { div.value { (count(n("cases_read"))) } div.label { (l.t("cases read")) } }
            div.figure data-figure="operators" { div.value { (count(all.len() as u64)) } div.label { (l.t("operators")) } }
            div.figure data-figure="rated" { div.value { (count(rated)) } div.label { (l.t("operators rated")) } }
            div.figure data-figure="errors_in_month" { div.value { (count(n("errors_in_month"))) } div.label { (l.t("errors in the month")) } }
        }
        p.note {
            (l.f("{} errors name no operator for their stage · {} data findings (data_findings.csv)", &[&count(n("unattributed_errors")), &count(n("data_findings"))]))
        }
    }
}

fn ranking(all: &[Row], trends: &Trends, months: usize, l: Lang) -> Markup {
    html! {
        @if months <= 1 {
            p.note data-history-months=(months) { (l.t("The history holds one month only: each trend shows that single point.")) }
        } @else {
            p.note data-history-months=(months) { (l.f("Trend: the operator's score in each of the {} months of the history.", &[&months])) }
        }
        table.wide {
            thead { tr {
                th.num { (l.t("rank")) } th { (l.t("operator")) } th { (l.t("name")) } th { (l.t("team")) } th.num { (l.t("cases")) }
                th.num { (l.t("errors")) } th.num { (l.t("score")) } th { (l.t("band")) } th { (l.t("outcome")) } th { (l.t("trend")) } th { (l.t("score by month")) }
            } }
            tbody {
                @for r in all {
                    tr data-operator=(r.operator) {
                        td.num { (r.rank) } td { (r.operator) } td { (r.name) } td { (r.team) }
                        td.num { (r.cases) } td.num { (r.errors) }
                        td.num data-score=(num(r.score)) { (num(r.score)) }
                        td data-band=(r.band) { (l.tr(&r.band)) } td { (l.tr(&r.outcome)) } td { (l.tr(&r.trend)) }
                        td { (sparkline(trends.get(&r.operator), l)) }
                    }
                }
            }
        }
    }
}

/// A score sparkline: one point per month with a score (0-100 scale), joined by a line;
/// a single month is a single dot.
#[must_use]
pub fn sparkline(series: Option<&BTreeMap<String, f64>>, l: Lang) -> Markup {
    let (w, h) = (120.0_f64, 26.0_f64);
    let points: Vec<(&String, f64)> = series
        .map(|s| s.iter().map(|(m, v)| (m, *v)).collect())
        .unwrap_or_default();
    let step = if points.len() > 1 {
        (w - 6.0) / (points.len() - 1) as f64
    } else {
        0.0
    };
    let xy: Vec<(f64, f64)> = points
        .iter()
        .enumerate()
        .map(|(i, (_, v))| {
            let x = if points.len() == 1 {
                w / 2.0
            } else {
                3.0 + step * i as f64
            };
            (x, h - 3.0 - (h - 6.0) * v.clamp(0.0, 100.0) / 100.0)
        })
        .collect();
    let line: Vec<String> = xy.iter().map(|(x, y)| format!("{x:.1},{y:.1}")).collect();
    html! {
        svg.mini.spark viewBox={ "0 0 " (w) " " (h) } width=(w) height=(h) role="img" aria-label=(l.t("score by month")) data-points=(points.len()) {
            @if xy.len() > 1 {
                polyline points=(line.join(" ")) fill="none" stroke="#1f5fa8" stroke-width="1.5" {}
            }
            @for ((m, v), (x, y)) in points.iter().zip(&xy) {
                circle.point cx={ (format!("{x:.1}")) } cy={ (format!("{y:.1}")) } r="2.5" fill="#1f5fa8" data-month=(m) data-score={ (format!("{v:.2}")) } {
                    title { (m) ": " (format!("{v:.2}")) }
                }
            }
        }
    }
}

fn checkers(all: &[Row], l: Lang) -> Markup {
    let checking: Vec<&Row> = all
        .iter()
        .filter(|r| r.checked.unwrap_or(0.0) > 0.0)
        .collect();
    html! {
        @if checking.is_empty() {
            p.note { (l.t("No operator checked a case this month.")) }
        } @else {
            table {
                thead { tr {
                    th { (l.t("operator")) } th { (l.t("name")) } th.num { (l.t("cases checked")) } th.num { (l.t("catches")) }
                    th.num { (l.t("misses")) } th.num { (l.t("catch rate")) } th.num { (l.t("miss rate")) }
                } }
                tbody {
                    @for r in checking {
                        tr data-checker=(r.operator) {
                            td { (r.operator) } td { (r.name) } td.num { (whole(r.checked)) }
                            td.num { (whole(r.catches)) } td.num { (whole(r.misses)) }
                            td.num data-catch-rate=(num(r.catch_rate)) { (r.catch_rate.map_or_else(String::new, pct)) }
                            td.num { (r.catch_rate.map_or_else(String::new, |c| pct(1.0 - c))) }
                        }
                    }
                }
            }
            p.note { (l.t("catch rate = catches / (catches + misses); empty when the checker neither caught nor missed an error.")) }
        }
    }
}

fn weights(sc: &Scorecard, l: Lang) -> Markup {
    let c = &sc.config;
    let sev = ["critical", "major", "minor"];
    html! {
        table {
            thead { tr { th { (l.t("weight")) } th.num { (l.t("value")) } } }
            tbody {
                @for (s, w) in sev.iter().zip(c.severity_weights) {
                    tr data-weight={ "severity_" (s) } { td { (l.f("severity {}", &[&l.tr(s)])) } td.num { (w) } }
                }
                tr data-weight="quality" { td { (l.t("quality component")) } td.num { (c.components.quality_weight) } }
                tr data-weight="checking" { td { (l.t("checking component")) } td.num { (c.components.checking_weight) } }
                tr data-weight="rework" { td { (l.t("rework component")) } td.num { (c.components.rework_weight) } }
                tr data-weight="volume" { td { (l.t("volume component")) } td.num { (c.components.volume_weight) } }
                tr { td { (l.t("minimum volume (cases)")) } td.num { (c.minimum_volume) } }
            }
        }
        h3 { (l.t("Bands")) }
        table {
            thead { tr { th { (l.t("band")) } th.num { (l.t("minimum score")) } } }
            tbody {
                @for b in &c.bands {
                    tr data-band-limit=(b.name) { td { (l.tr(&b.name)) } td.num { (b.min_score) } }
                }
            }
        }
        @if !c.auto_fail.is_empty() {
            h3 { (l.t("Automatic caps")) }
            table {
                thead { tr { th { (l.t("rule")) } th { (l.t("metric")) } th { (l.t("caps at band")) } } }
                tbody {
                    @for a in &c.auto_fail {
                        tr { td { (a.name) } td { (a.metric) } td { (c.bands.get(a.cap_band).map_or("", |b| b.name.as_str())) } }
                    }
                }
            }
        }
        p.note { (l.f("config {} · sha256 {}", &[&c.origin, &c.hash])) }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_sparkline_of_three_months_joins_three_points_and_one_month_is_a_dot() {
        let s: BTreeMap<String, f64> = [("2026-08", 100.0), ("2026-09", 50.0), ("2026-10", 0.0)]
            .into_iter()
            .map(|(m, v)| (m.to_owned(), v))
            .collect();
        let svg = sparkline(Some(&s), Lang::En).0;
        assert_eq!(svg.matches("<circle").count(), 3);
        // 120 wide, 3 px in from each side: x = 3, 60, 117; 26 high: y = 3 (100), 13 (50), 23 (0).
        assert!(
            svg.contains(r#"points="3.0,3.0 60.0,13.0 117.0,23.0""#),
            "{svg}"
        );
        let one: BTreeMap<String, f64> = [(String::from("2026-10"), 50.0)].into_iter().collect();
        let svg = sparkline(Some(&one), Lang::En).0;
        assert_eq!(svg.matches("<circle").count(), 1);
        assert!(!svg.contains("polyline"));
        assert!(svg.contains(r#"cx="60.0" cy="13.0""#), "{svg}");
        assert!(sparkline(None, Lang::En).0.contains(r#"data-points="0""#));
    }
}
