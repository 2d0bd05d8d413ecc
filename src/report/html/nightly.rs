//! `report.html`, the nightly page `policyqc check` writes beside its tables: the headline
//! figures of `summary.json`, cases with findings by checkpoint and severity (table and
//! chart), a Pareto of the error points, the rules not evaluated, the data findings and the
//! findings themselves, filterable by checkpoint, severity and operator and paged.
//!
//! The findings table is filled by a small inline script from JSON embedded in the page: at
//! most [`EMBEDDED_FINDINGS`] rows, the most severe first, with a note pointing to
//! `findings.csv` for the rest. Its first page is also written as plain rows, for a reader
//! without scripts and for print.

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

use maud::{Markup, html};
use polars::prelude::*;

use super::layout::{self, SEVERITY_COLOURS, severity_badge};
use super::svg::{self, Series};
use super::{count, pct, script_json, text_column};
use crate::check::CheckResult;
use crate::lang::Lang;
use crate::metrics::rate;
use crate::schema::ERROR_POINTS;

/// The most findings embedded in the page; the rest are in `findings.csv` only.
pub const EMBEDDED_FINDINGS: usize = 5_000;

/// Rows of the findings table per page (and written as plain rows).
pub const PAGE_ROWS: usize = 50;

/// Data findings listed on the page; the rest are in `data_findings.csv`.
pub const DATA_FINDINGS_SHOWN: usize = 20;

/// The findings columns shown: all of `findings.csv` but the rule's file and line.
fn shown() -> impl Iterator<Item = &'static str> {
    crate::engine::findings::COLUMNS
        .into_iter()
        .filter(|c| *c != "rule_source")
}

/// The filters of the findings table, by column.
const FILTERS: [&str; 3] = ["checkpoint", "severity", "operator"];

const SCRIPT: &str = include_str!("findings_table.js");

/// Writes `report.html` into `out`, its labels in `lang`.
pub fn write(result: &CheckResult, out: &Path, lang: Lang) -> PolarsResult<std::path::PathBuf> {
    super::write_page(out, "report.html", &render(result, lang)?)
}

/// The findings as rows of the [`shown`] columns.
fn finding_rows(df: &DataFrame) -> PolarsResult<Vec<Vec<String>>> {
    let columns = shown()
        .map(|c| text_column(df, c))
        .collect::<PolarsResult<Vec<_>>>()?;
    Ok((0..df.height())
        .map(|i| columns.iter().map(|c| c[i].clone()).collect())
        .collect())
}

fn column_index(name: &str) -> usize {
    shown().position(|c| c == name).unwrap_or(0)
}

fn severity_rank(severity: &str) -> usize {
    SEVERITY_COLOURS
        .iter()
        .position(|(s, _)| *s == severity)
        .unwrap_or(SEVERITY_COLOURS.len())
}

/// The findings embedded in the page: the `limit` most severe (then in `findings.csv`
/// order), as `{columns, rows, total, embedded}`. Numbers stay numbers.
#[must_use]
pub fn embedded_findings(rows: &[Vec<String>], limit: usize, l: Lang) -> serde_json::Value {
    let sev = column_index("severity");
    let mut order: Vec<usize> = (0..rows.len()).collect();
    order.sort_by_key(|&i| (severity_rank(&rows[i][sev]), i));
    order.truncate(limit);
    let numeric = [column_index("error_point"), column_index("row")];
    let json_rows: Vec<serde_json::Value> = order
        .iter()
        .map(|&i| {
            rows[i]
                .iter()
                .enumerate()
                .map(|(k, v)| match v.parse::<u64>() {
                    Ok(n) if numeric.contains(&k) => serde_json::json!(n),
                    _ => serde_json::json!(v),
                })
                .collect()
        })
        .collect();
    serde_json::json!({
        "columns": shown().collect::<Vec<_>>(),
        "filters": FILTERS,
        "page_rows": PAGE_ROWS,
        "total": rows.len(),
        "embedded": json_rows.len(),
        "rows": json_rows,
        "labels": {
            "none": l.t("(none)"),
            "no_match": l.t("no finding matches the filters"),
            "status": l.t("findings {}–{} of {}"),
            "filtered": l.t(" (filtered from {})"),
            "page": l.t(" · page {} of {}"),
        },
    })
}

/// Cases with a finding per (checkpoint, severity): distinct case rows.
fn cases_by_checkpoint_severity(rows: &[Vec<String>]) -> BTreeMap<(String, String), u64> {
    let (cp, sev, row) = (
        column_index("checkpoint"),
        column_index("severity"),
        column_index("row"),
    );
    let mut cases: BTreeMap<(String, String), BTreeSet<&str>> = BTreeMap::new();
    for r in rows {
        cases
            .entry((r[cp].clone(), r[sev].clone()))
            .or_default()
            .insert(&r[row]);
    }
    cases
        .into_iter()
        .map(|(k, v)| (k, v.len() as u64))
        .collect()
}

/// Findings per error point, most first (ties by point number).
fn error_point_counts(rows: &[Vec<String>]) -> Vec<(u8, u64)> {
    let ep = column_index("error_point");
    let mut counts: BTreeMap<u8, u64> = BTreeMap::new();
    for r in rows {
        if let Ok(p) = r[ep].parse::<u8>() {
            *counts.entry(p).or_default() += 1;
        }
    }
    let mut v: Vec<(u8, u64)> = counts.into_iter().collect();
    v.sort_by_key(|&(p, n)| (std::cmp::Reverse(n), p));
    v
}

fn error_point_title(lang: Lang, point: u8) -> &'static str {
    ERROR_POINTS
        .iter()
        .find(|e| e.0 == point)
        .map_or(lang.t("(not one of the fourteen points)"), |e| lang.tr(e.1))
}

/// Renders the page with its labels in `lang`.
pub fn render(r: &CheckResult, l: Lang) -> PolarsResult<Markup> {
    let rows = finding_rows(&r.evaluation.findings)?;
    let subtitle = l.f(
        "Cases from {} · {} of {} rules evaluated ({}, rule set {})",
        &[
            &r.cases_file,
            &r.rules.rules.len(),
            &(r.rules.rules.len() + r.not_evaluated.len()),
            &l.tr(&r.rules.origin),
            &r.rules.hash.get(..12).unwrap_or(&r.rules.hash),
        ],
    );
    let data = embedded_findings(&rows, EMBEDDED_FINDINGS, l);
    let body = html! {
        (layout::section("headline", l.t("Tonight's figures"), &headline(r, rows.len(), l)))
        (layout::section("checkpoints", l.t("Cases with findings by checkpoint and severity"), &checkpoint_severity(r, &rows, l)))
        (layout::section("pareto", l.t("Error points: Pareto"), &pareto(&rows, l)))
        (layout::section("rules", l.t("Rules with findings"), &rules_with_findings(r, l)))
        (layout::section("not-evaluated", l.t("Rules not evaluated"), &not_evaluated(r, l)))
        (layout::section("data-findings", l.t("Data findings"), &data_findings(r, l)))
        (layout::section("findings", l.t("Findings"), &findings_table(&rows, &data, l)))
    };
    Ok(layout::page(
        l,
        l.t("policyqc nightly check"),
        &subtitle,
        &body,
        Some(SCRIPT),
    ))
}

fn headline(r: &CheckResult, findings: usize, l: Lang) -> Markup {
    let c = &r.case_rates;
    html! {
        div.figures {
            div.figure data-figure="cases_read" { div.value { (count(r.cases_read)) } div.label { (l.t("cases read")) } }
            div.figure data-figure="cases_with_findings" { div.value { (count(c.with_findings)) } div.label { (l.t("cases with findings")) } }
            div.figure data-figure="case_defect_rate" { div.value { (pct(c.defect_rate())) } div.label { (l.t("case defect rate")) } }
            div.figure.alarm[!r.alerts.is_empty()] data-figure="alerts" { div.value { (count(r.alerts.len() as u64)) } div.label { (l.t("alerts (thresholds breached)")) } }
        }
        p.note {
            (l.t("Cases accounted for: ")) (count(c.cases))
            @if c.cases == r.cases_read { (l.t(" (all)")) } @else { (l.t(" (MISMATCH with cases read)")) }
            (l.t(" · findings: ")) span data-figure="findings" { (count(findings as u64)) }
            (l.t(" · data findings: ")) span data-figure="data_findings" { (count(r.data_issues.len() as u64)) }
        }
        @if !r.alerts.is_empty() {
            h3 { (l.t("Alerts")) }
            table {
                thead { tr { th { (l.t("threshold")) } th { (l.t("metric")) } th { (l.t("subject")) } th.num { (l.t("value")) } th.num { (l.t("max")) } th.num { (l.t("cases")) } } }
                tbody {
                    @for a in &r.alerts {
                        tr { td { (a.threshold) } td { (a.metric) } td { (a.subject) } td.num { (pct(a.value)) } td.num { (pct(a.max)) } td.num { (a.cases) } }
                    }
                }
            }
        }
    }
}

fn checkpoint_severity(r: &CheckResult, rows: &[Vec<String>], l: Lang) -> Markup {
    let c = &r.case_rates;
    let cells = cases_by_checkpoint_severity(rows);
    let mut checkpoints: Vec<String> = c.by_checkpoint.iter().map(|(k, _)| k.clone()).collect();
    for (cp, _) in cells.keys() {
        if !checkpoints.contains(cp) {
            checkpoints.push(cp.clone());
        }
    }
    let any = |cp: &str| {
        c.by_checkpoint
            .iter()
            .find(|(k, _)| k == cp)
            .map_or(0, |(_, n)| *n)
    };
    let cell = |cp: &str, sev: &str| {
        cells
            .get(&(cp.to_owned(), sev.to_owned()))
            .copied()
            .unwrap_or(0)
    };
    let by_sev = |sev: &str| {
        c.by_severity
            .iter()
            .find(|(s, _)| s.name() == sev)
            .map_or(0, |(_, n)| *n)
    };
    let series: Vec<Series<'_>> = SEVERITY_COLOURS
        .iter()
        .map(|(sev, colour)| Series {
            name: l.tr(sev),
            colour,
            values: checkpoints
                .iter()
                .map(|cp| rate(cell(cp, sev), c.cases) * 100.0)
                .collect(),
        })
        .collect();
    let percent = |v: f64| format!("{v:.1}%");
    let checkpoint_names: Vec<String> = checkpoints.iter().map(|cp| l.tr(cp).to_owned()).collect();
    html! {
        p.note { (l.f("Share of the {} cases read with at least one finding of the checkpoint and severity. A case can count in several cells.", &[&count(c.cases)])) }
        table {
            thead {
                tr {
                    th { (l.t("checkpoint")) }
                    @for (sev, _) in SEVERITY_COLOURS { th.num { (severity_badge(l, sev)) } }
                    th.num { (l.t("any severity")) }
                }
            }
            tbody {
                @for cp in &checkpoints {
                    tr {
                        td { (l.tr(cp)) }
                        @for (sev, _) in SEVERITY_COLOURS {
                            @let n = cell(cp, sev);
                            td.num data-checkpoint=(cp) data-severity=(sev) data-cases=(n) { (count(n)) " · " (pct(rate(n, c.cases))) }
                        }
                        @let n = any(cp);
                        td.num data-checkpoint=(cp) data-severity="any" data-cases=(n) { (count(n)) " · " (pct(rate(n, c.cases))) }
                    }
                }
            }
            tfoot {
                tr {
                    td { (l.t("all checkpoints")) }
                    @for (sev, _) in SEVERITY_COLOURS {
                        @let n = by_sev(sev);
                        td.num data-checkpoint="all" data-severity=(sev) data-cases=(n) { (count(n)) " · " (pct(rate(n, c.cases))) }
                    }
                    td.num data-checkpoint="all" data-severity="any" data-cases=(c.with_findings) { (count(c.with_findings)) " · " (pct(c.defect_rate())) }
                }
            }
        }
        figure.chart {
            (svg::grouped_bars(l.t("Cases with findings by checkpoint and severity (% of cases read)"), &checkpoint_names, &series, &percent))
            figcaption { (l.t("Bars: % of cases read with a finding of the checkpoint (x) and severity (colour).")) }
        }
    }
}

fn pareto(rows: &[Vec<String>], l: Lang) -> Markup {
    let counts = error_point_counts(rows);
    if counts.is_empty() {
        return html! { p.note { (l.t("No findings tonight: no error point to rank.")) } };
    }
    let total: u64 = counts.iter().map(|c| c.1).sum();
    let bars: Vec<(String, String, u64)> = counts
        .iter()
        .map(|&(p, n)| {
            (
                p.to_string(),
                format!("{p}. {}", error_point_title(l, p)),
                n,
            )
        })
        .collect();
    let cumulative: Vec<u64> = counts
        .iter()
        .scan(0, |sum, &(_, n)| {
            *sum += n;
            Some(*sum)
        })
        .collect();
    html! {
        figure.chart {
            (svg::pareto(l.t("Findings per error point, most first, with the cumulative share"), l.t("bars: findings per error point (left axis) · line: cumulative share (right axis)"), &bars))
            figcaption { (l.t("Error points of DOMAIN.md, numbered as in the QC catalogue; the names are in the table.")) }
        }
        table {
            thead { tr { th.num { (l.t("point")) } th { (l.t("error point")) } th.num { (l.t("findings")) } th.num { (l.t("share")) } th.num { (l.t("cumulative")) } } }
            tbody {
                @for (&(p, n), &running) in counts.iter().zip(&cumulative) {
                    tr data-error-point=(p) {
                        td.num { (p) }
                        td { (error_point_title(l, p)) }
                        td.num data-findings=(n) { (count(n)) }
                        td.num { (pct(rate(n, total))) }
                        td.num { (pct(rate(running, total))) }
                    }
                }
            }
        }
    }
}

/// Every rule that failed a case, most cases first: its title in `l`, checkpoint, error
/// point, severity, cases failed of those it applied to, and where it is defined.
fn rules_with_findings(r: &CheckResult, l: Lang) -> Markup {
    let mut failed: Vec<_> = r.rule_rates.iter().filter(|x| x.failed > 0).collect();
    failed.sort_by(|a, b| b.failed.cmp(&a.failed).then(a.index.cmp(&b.index)));
    html! {
        @if failed.is_empty() {
            p.note data-rules-failed="0" { (l.t("No rule failed a case.")) }
        } @else {
            p.note data-rules-failed=(failed.len()) { (l.f("{} rules failed at least one case; the error rate is the share of the cases each rule applied to.", &[&failed.len()])) }
            table.wide {
                thead { tr { th { (l.t("rule")) } th { (l.t("title")) } th { (l.t("checkpoint")) } th.num { (l.t("point")) } th { (l.t("severity")) } th.num { (l.t("cases failed")) } th.num { (l.t("applicable")) } th.num { (l.t("error rate")) } } }
                tbody {
                    @for x in &failed {
                        @let rule = &r.rules.rules[x.index];
                        tr data-rule=(rule.id) {
                            td { (rule.id) } td.title { (rule.title_in(l)) } td { (l.tr(&rule.checkpoint)) }
                            td.num { (rule.error_point) } td { (severity_badge(l, rule.severity.name())) }
                            td.num data-failed=(x.failed) { (count(x.failed)) } td.num { (count(x.applicable)) } td.num { (pct(x.error_rate())) }
                        }
                    }
                }
            }
        }
    }
}

fn not_evaluated(r: &CheckResult, l: Lang) -> Markup {
    let total = r.rules.rules.len() + r.not_evaluated.len();
    html! {
        @if r.not_evaluated.is_empty() {
            p.note data-not-evaluated="0" { (l.f("All {} rules were evaluated.", &[&total])) }
        } @else {
            p.note data-not-evaluated=(r.not_evaluated.len()) {
                (l.f("{} of {} rules were not evaluated: the data lacks a table, a column or a setting they need. Findings and every rate count only the {} rules evaluated.", &[&r.not_evaluated.len(), &total, &r.rules.rules.len()]))
            }
            table.wide {
                thead { tr { th { (l.t("rule")) } th { (l.t("defined at")) } th { (l.t("needs")) } } }
                tbody {
                    @for n in &r.not_evaluated {
                        tr.not-evaluated { td { (n.rule_id) } td { (n.rule_source) } td { (n.needs_text()) } }
                    }
                }
            }
        }
    }
}

fn data_findings(r: &CheckResult, l: Lang) -> Markup {
    let issues = &r.data_issues;
    html! {
        @if issues.is_empty() {
            p.note data-data-findings="0" { (l.t("Every value was read: no data finding.")) }
        } @else {
            p.note data-data-findings=(issues.len()) {
                (l.f("{} values could not be read or are duplicate ids", &[&count(issues.len() as u64)]))
                @if issues.len() > DATA_FINDINGS_SHOWN { (l.f("; the first {} are below, all in ", &[&DATA_FINDINGS_SHOWN])) a href="data_findings.csv" { "data_findings.csv" } }
                (l.t("."))
            }
            table.wide {
                thead { tr { th { (l.t("file")) } th.num { (l.t("row")) } th { (l.t("case")) } th { (l.t("field")) } th { (l.t("column")) } th { (l.t("value")) } th { (l.t("problem")) } } }
                tbody {
                    @for d in issues.iter().take(DATA_FINDINGS_SHOWN) {
                        tr.data-finding { td { (d.file) } td.num { (d.row) } td { (d.case_id) } td { (d.field) } td { (d.column) } td { (d.value) } td { (d.problem) } }
                    }
                }
            }
        }
    }
}

fn findings_table(rows: &[Vec<String>], data: &serde_json::Value, l: Lang) -> Markup {
    let embedded = data["embedded"].as_u64().unwrap_or(0);
    let first: Vec<&serde_json::Value> = data["rows"]
        .as_array()
        .map(|a| a.iter().take(PAGE_ROWS).collect())
        .unwrap_or_default();
    let as_text = |v: &serde_json::Value| match v {
        serde_json::Value::String(s) => s.clone(),
        other => other.to_string(),
    };
    html! {
        @if rows.len() > EMBEDDED_FINDINGS {
            p.note.cap {
                (l.f("The {} most severe of {} findings are in this page; all of them are in ", &[&count(embedded), &count(rows.len() as u64)])) a href="findings.csv" { "findings.csv" } (l.t(" beside it."))
            }
        } @else {
            p.note { (l.f("{} findings, most severe first; the same rows are in ", &[&count(rows.len() as u64)])) a href="findings.csv" { "findings.csv" } (l.t(" beside this page.")) }
        }
        div.controls.no-print {
            @for f in FILTERS {
                label { (l.tr(f)) " " select id={ "filter-" (f) } { option value="" { (l.t("all")) } } }
            }
            button id="findings-prev" type="button" { (l.t("‹ previous")) }
            button id="findings-next" type="button" { (l.t("next ›")) }
        }
        p.note id="findings-status" { (l.f("findings {}–{} of {}", &[&1, &first.len(), &embedded])) }
        table.wide.findings {
            thead { tr { @for c in shown() { th data-column=(c) { (l.tr(c)) } } } }
            tbody id="findings-body" {
                @for row in &first {
                    tr {
                        @for v in row.as_array().into_iter().flatten() { td { (as_text(v)) } }
                    }
                }
            }
        }
        script type="application/json" id="findings-data" { (maud::PreEscaped(script_json(data))) }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn row(case: &str, severity: &str) -> Vec<String> {
        let mut r = vec![String::new(); shown().count()];
        r[column_index("case_id")] = case.to_owned();
        r[column_index("severity")] = severity.to_owned();
        r[column_index("error_point")] = String::from("5");
        r[column_index("row")] = String::from("2");
        r
    }

    #[test]
    fn the_page_embeds_at_most_the_limit_most_severe_first() {
        let rows = vec![
            row("A", "minor"),
            row("B", "critical"),
            row("C", "major"),
            row("D", "critical"),
        ];
        let data = embedded_findings(&rows, 3, Lang::En);
        assert_eq!(data["total"], 4);
        assert_eq!(data["embedded"], 3);
        let cases: Vec<&str> = data["rows"]
            .as_array()
            .unwrap()
            .iter()
            .map(|r| r[0].as_str().unwrap())
            .collect();
        assert_eq!(cases, ["B", "D", "C"]);
        assert_eq!(data["rows"][0][column_index("error_point")], 5);
    }

    #[test]
    fn a_case_counts_once_per_checkpoint_and_severity() {
        let mut a = row("A", "major");
        a[column_index("checkpoint")] = String::from("entry");
        let b = a.clone();
        let mut c = a.clone();
        c[column_index("row")] = String::from("3");
        let cells = cases_by_checkpoint_severity(&[a, b, c]);
        assert_eq!(cells[&(String::from("entry"), String::from("major"))], 2);
    }

    #[test]
    fn error_points_rank_by_findings_then_number() {
        let mk = |p: &str| {
            let mut r = row("A", "minor");
            r[column_index("error_point")] = p.to_owned();
            r
        };
        let rows = [mk("9"), mk("3"), mk("9"), mk("1")];
        assert_eq!(error_point_counts(&rows), [(9, 2), (1, 1), (3, 1)]);
    }
}
