//! `weekly.html`: the weekly QC analysis and training plan ([`crate::report::weekly`]) as a
//! page: headline figures of the week, the four weeks, the trend per error point and per
//! checkpoint (an SVG strip per row: a bar per week, a hollow mark for a week without cases),
//! the main causes, the problems common to many operators and the training plan. Every label
//! comes from [`crate::report::weekly::label_in`]; every value is escaped by maud.

use maud::{Markup, html};

use super::layout::{page, section};
use super::{count, pct};
use crate::lang::Lang;
use crate::report::weekly::{TrendRow, Weekly, label_in as lb};

fn rate_text(r: Option<f64>, l: Lang) -> String {
    r.map_or_else(|| lb(l, "no_cases").to_owned(), pct)
}

/// The four-week strip: bar heights by rate, a dashed box where a week had no cases.
fn trend_strip(row: &TrendRow, name: &str, l: Lang) -> Markup {
    let (w, h) = (120.0, 28.0);
    let max = row.rates.iter().flatten().copied().fold(0.0, f64::max);
    let slot = w / 4.0;
    html! {
        svg.mini.trend viewBox={ "0 0 " (w) " " (h) } width=(w) height=(h) role="img" aria-label=(name) {
            line.axis x1="0" x2=(w) y1=(h - 0.5) y2=(h - 0.5) {}
            @for (i, r) in row.rates.iter().enumerate() {
                @match r {
                    Some(r) => {
                        @let bh = if max > 0.0 { (h - 2.0) * r / max } else { 0.0 };
                        rect.week x=(format!("{:.1}", slot * i as f64 + 2.0)) y=(format!("{:.1}", h - 1.0 - bh)) width=(format!("{:.1}", slot - 4.0)) height=(format!("{:.1}", bh)) fill="#1f5fa8" data-rate=(format!("{r:.4}")) {
                            title { (pct(*r)) }
                        }
                    }
                    None => {
                        rect.nocases x=(format!("{:.1}", slot * i as f64 + 2.0)) y="2" width=(format!("{:.1}", slot - 4.0)) height=(h - 4.0) fill="none" stroke="#8a93a0" stroke-dasharray="2 2" data-rate="none" {
                            title { (lb(l, "no_cases")) }
                        }
                    }
                }
            }
        }
    }
}

fn trend_table(
    w: &Weekly,
    id: &str,
    key_label: &str,
    rows: &[TrendRow],
    titled: bool,
    l: Lang,
) -> Markup {
    html! {
        @if rows.is_empty() { p.note { (lb(l, "none")) } } @else {
        table.wide id=(id) {
            thead { tr {
                th { (key_label) }
                @if titled { th { (lb(l, "title_col")) } }
                th.num { (l.tr(w.label("this_week"))) " · " (lb(l, "cases")) }
                th.num { (l.tr(w.label("this_week"))) " · " (lb(l, "rate")) }
                th.num { (l.tr(w.label("last_week"))) " · " (lb(l, "cases")) }
                th.num { (l.tr(w.label("last_week"))) " · " (lb(l, "rate")) }
                th.num { (lb(l, "change")) }
                th { (l.tr(w.label("trend"))) }
            } }
            tbody {
                @for r in rows {
                    tr data-key=(r.key) {
                        td { (l.tr(&r.key)) }
                        @if titled { td { (l.tr(&r.title)) } }
                        td.num data-cases=(r.cases[3]) { (r.cases[3]) }
                        td.num { (rate_text(r.rates[3], l)) }
                        td.num { (r.cases[2]) }
                        td.num { (rate_text(r.rates[2], l)) }
                        td.num { (r.change.map_or_else(String::new, |c| format!("{:+.2} pp", c * 100.0))) }
                        td { (trend_strip(r, l.tr(w.label("trend")), l)) }
                    }
                }
            }
        }
        }
    }
}

/// The page, its labels in `l`.
#[must_use]
pub fn render(w: &Weekly, l: Lang) -> String {
    let this = &w.weeks[3];
    let sections = html! {
        (section("headline", &format!("{} {}", l.tr(w.label("week")), w.week), &html! {
            div.figures {
                div.figure data-figure="cases_received" { div.value { (count(this.cases_received)) } div.label { (lb(l, "cases_received")) } }
                div.figure data-figure="cases_with_findings" { div.value { (count(this.cases_with_findings)) } div.label { (lb(l, "cases_with_findings")) } }
                div.figure data-figure="defect_rate" { div.value { (rate_text(this.defect_rate, l)) } div.label { (lb(l, "defect_rate")) } }
                div.figure data-figure="findings" { div.value { (count(w.findings)) } div.label { (lb(l, "findings")) } }
            }
            p.note { (lb(l, "date_basis")) }
            h3 { (l.tr(w.label("weeks"))) }
            table id="weeks" {
                thead { tr { th { (l.tr(w.label("week"))) } th { (lb(l, "from")) } th { (lb(l, "to")) } th.num { (lb(l, "cases_received")) } th.num { (lb(l, "cases_with_findings")) } th.num { (lb(l, "defect_rate")) } } }
                tbody { @for wk in &w.weeks {
                    tr data-week=(wk.label) { td { (wk.label) } td { (wk.from) } td { (wk.to) } td.num { (wk.cases_received) } td.num { (wk.cases_with_findings) } td.num { (rate_text(wk.defect_rate, l)) } }
                } }
            }
        }))
        (section("by-error-point", lb(l, "by_error_point"), &trend_table(w, "points", lb(l, "error_point"), &w.by_error_point, true, l)))
        (section("by-checkpoint", lb(l, "by_checkpoint"), &trend_table(w, "checkpoints", lb(l, "checkpoint"), &w.by_checkpoint, false, l)))
        (section("causes", lb(l, "main_causes"), &html! {
            @for (head, list) in [(lb(l, "rule"), &w.top_rules), (lb(l, "operator"), &w.top_operators)] {
                table {
                    thead { tr { th { (head) } th.num { (lb(l, "findings")) } th.num { (lb(l, "share")) } } }
                    tbody { @for c in list { tr.cause { td { (c.key) } td.num { (c.findings) } td.num { (pct(c.share)) } } } }
                }
            }
        }))
        (section("common", lb(l, "common"), &html! {
            @if w.common_problems.is_empty() { p.note { (lb(l, "none")) } }
            @else { table {
                thead { tr { th { (lb(l, "error_point")) } th { (lb(l, "title_col")) } th.num { (lb(l, "operators")) } th.num { (lb(l, "findings")) } th { (lb(l, "operators")) } } }
                tbody { @for c in &w.common_problems { tr data-common=(c.error_point) { td { (c.error_point) } td { (l.tr(&c.title)) } td.num { (c.operators) } td.num { (c.findings) } td { (c.operator_ids.join(", ")) } } } }
            } }
        }))
        (section("training", lb(l, "training"), &html! {
            @if w.training_plan.is_empty() { p.note { (lb(l, "none")) } }
            @else { table.wide {
                thead { tr { th { (lb(l, "kind")) } th { (lb(l, "team")) } th { (lb(l, "for")) } th { (lb(l, "error_point")) } th { (lb(l, "evidence")) } th { (lb(l, "examples")) } th { (lb(l, "topic")) } } }
                tbody { @for t in &w.training_plan {
                    tr data-kind=(t.kind) data-point=(t.error_point) {
                        td { (lb(l, &t.kind)) }
                        td { (t.team) }
                        td.who { (t.operators.join(", ")) }
                        td { (t.error_point) }
                        td { (l.f("{} findings, {} cases ({})", &[&t.findings, &t.cases, &pct(t.rate)])) }
                        td { (t.examples.join(", ")) }
                        td { (l.tr(&t.topic)) }
                    }
                } }
            } }
        }))
    };
    page(
        l,
        &format!("{} {}", lb(l, "title"), w.week),
        &format!("{} .. {}", this.from, this.to),
        &sections,
        None,
    )
    .into_string()
}
