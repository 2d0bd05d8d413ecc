//! `audit.html`, the page `policyqc sample` writes beside its manifest and `policyqc
//! verdicts import` rewrites with the verdicts: the plan and the row of its source table
//! (ANSI/ASQ Z1.4 Tables I and II-A, or attribute sampling), the population (size, hash,
//! filters), the strata, the selected cases with the seed and their random keys, and, once
//! verdicts are in, each case's verdicts and the evaluation (deviations, upper deviation
//! limit, conclusion). Everything shown comes from the manifest and the evaluation.

use std::collections::BTreeMap;

use maud::{Markup, html};

use super::layout;
use super::{count, pct};
use crate::lang::Lang;
use crate::sampling::manifest::Manifest;
use crate::sampling::verdicts::{Evaluation, VerdictRow};

/// The page's bytes, its labels in `lang`: for a sample (`verdicts` `None`) or with its
/// verdicts and evaluation.
#[must_use]
pub fn bytes(m: &Manifest, verdicts: Option<(&[VerdictRow], &Evaluation)>, lang: Lang) -> Vec<u8> {
    render(m, verdicts, lang).0.into_bytes()
}

/// Renders the page with its labels in `l`.
#[must_use]
pub fn render(m: &Manifest, verdicts: Option<(&[VerdictRow], &Evaluation)>, l: Lang) -> Markup {
    let subtitle = l.f(
        "Sample {} · cases from {} (sha256 {}) · rules {} · {}",
        &[
            &m.sample_id,
            &m.data.cases_file,
            &m.data.cases_file_sha256,
            &m.rules.origin,
            &m.tool,
        ],
    );
    let body = html! {
        (layout::section("headline", l.t("Sample at a glance"), &headline(m, verdicts.map(|v| v.1), l)))
        (layout::section("plan", l.t("Plan and its source table"), &plan(m, l)))
        (layout::section("population", l.t("Population"), &population(m, l)))
        (layout::section("strata", l.t("Strata"), &strata(m, l)))
        (layout::section("selected", l.t("Selected cases"), &selected(m, verdicts.map(|v| v.0), l)))
        @if let Some((_, ev)) = verdicts {
            (layout::section("conclusion", l.t("Verdicts and conclusion"), &conclusion(ev, l)))
        }
    };
    layout::page(l, l.t("policyqc audit sample"), &subtitle, &body, None)
}

fn headline(m: &Manifest, ev: Option<&Evaluation>, l: Lang) -> Markup {
    html! {
        div.figures {
            div.figure data-figure="population" { div.value { (count(m.population.size)) } div.label { (l.t("cases in the population")) } }
            div.figure data-figure="flagged" { div.value { (count(m.population.flagged)) } div.label { (l.t("flagged by the rules")) } }
            div.figure data-figure="sample_size" { div.value { (count(m.plan.sample_size)) } div.label { (l.t("sample size")) } }
            @if let Some(ev) = ev {
                div.figure data-figure="deviations" { div.value { (count(ev.sample.deviations)) } div.label { (l.f("deviations in {} judged", &[&count(ev.sample.judged)])) } }
            } @else {
                div.figure data-figure="selected" { div.value { (count(m.selected.len() as u64)) } div.label { (l.t("cases selected")) } }
            }
        }
    }
}

fn opt<T: std::fmt::Display>(v: Option<&T>) -> String {
    v.map_or_else(|| String::from("-"), ToString::to_string)
}

fn plan(m: &Manifest, l: Lang) -> Markup {
    let p = &m.plan;
    let source = match p.plan.as_str() {
        "z14" => l.t(
            "ANSI/ASQ Z1.4 single sampling, normal inspection: Table I (code letter) and Table II-A (sample size, Ac, Re)",
        ),
        "attribute" => l.t(
            "attribute sampling: the smallest n whose upper deviation limit at the confidence, with the expected deviations, stays within the tolerable rate (exact binomial)",
        ),
        _ => l.t("a fixed sample size"),
    };
    html! {
        p.note data-plan=(p.plan) { (source) }
        table {
            tbody {
                tr { th { (l.t("plan")) } td { (p.plan) } }
                tr { th { (l.t("lot size")) } td.num data-lot-size=(p.lot_size) { (count(p.lot_size)) } }
                @if p.plan == "z14" {
                    tr { th { (l.t("inspection level")) } td { (opt(p.level.as_ref())) } }
                    tr { th { (l.t("AQL")) } td { (opt(p.aql.as_ref())) } }
                    tr { th { (l.t("code letter (Table I)")) } td data-code-letter=(opt(p.code_letter.as_ref())) { (opt(p.code_letter.as_ref())) } }
                    tr { th { (l.t("plan row used (Table II-A)")) } td data-code-letter-used=(opt(p.code_letter_used.as_ref())) { (opt(p.code_letter_used.as_ref())) } }
                }
                @if p.plan == "attribute" {
                    tr { th { (l.t("tolerable deviation rate")) } td { (opt(p.tolerable.as_ref())) } }
                    tr { th { (l.t("expected deviation rate")) } td { (opt(p.expected.as_ref())) } }
                }
                @if let Some(s) = p.size { tr { th { (l.t("size asked")) } td.num { (s) } } }
                tr { th { (l.t("sample size")) } td.num data-sample-size=(p.sample_size) { (count(p.sample_size)) } }
                tr { th { (l.t("accept (Ac)")) } td.num { (opt(p.accept.as_ref())) } }
                tr { th { (l.t("reject (Re)")) } td.num { (opt(p.reject.as_ref())) } }
                tr { th { (l.t("confidence")) } td { (p.confidence) } }
                @if p.inspect_all { tr { th { (l.t("inspect all")) } td { (l.t("every case of the lot is inspected")) } } }
                tr { th { (l.t("method")) } td { (m.method.name) @if let Some(a) = &m.method.allocation { " (" (a) ")" } } }
            }
        }
    }
}

fn population(m: &Manifest, l: Lang) -> Markup {
    html! {
        table {
            tbody {
                tr { th { (l.t("cases read")) } td.num { (count(m.data.cases_read)) } }
                tr { th { (l.t("after the filters")) } td.num { (count(m.population.size)) } }
                tr { th { (l.t("flagged")) } td.num { (count(m.population.flagged)) } }
                tr { th { (l.t("filters")) } td data-filters="" { (m.filters_text) } }
                tr { th { (l.t("population sha256")) } td { code { (m.population.sha256) } } }
                tr { th { (l.t("data findings")) } td.num { (count(m.data.data_findings)) } }
            }
        }
        @for n in &m.notes { p.note { (n) } }
    }
}

fn strata(m: &Manifest, l: Lang) -> Markup {
    html! {
        @if m.method.strata_by.is_empty() {
            p.note { (l.t("Not stratified.")) }
        } @else {
            p.note { (l.f("Strata by {}.", &[&m.method.strata_by.join(", ")])) }
        }
        table {
            thead { tr { th { (l.t("stratum")) } th.num { (l.t("population")) } th.num { (l.t("allocated")) } } }
            tbody {
                @for s in &m.strata {
                    tr data-stratum=(s.stratum) { td { (s.stratum) } td.num { (count(s.population)) } td.num { (count(s.allocated)) } }
                }
            }
        }
    }
}

fn selected(m: &Manifest, verdicts: Option<&[VerdictRow]>, l: Lang) -> Markup {
    let mut by_case: BTreeMap<&str, Vec<&VerdictRow>> = BTreeMap::new();
    for v in verdicts.unwrap_or_default() {
        by_case.entry(v.case_id.as_str()).or_default().push(v);
    }
    html! {
        p.note data-seed=(m.seed) { (l.f("seed {} ({}) · {}", &[&m.seed, &m.seed_source, &m.method.random_key])) }
        table.wide {
            thead { tr {
                th.num { (l.t("no.")) } th { (l.t("case")) } th { (l.t("stratum")) } th { (l.t("reason")) } th { (l.t("random key")) } th { (l.t("findings")) }
                @if verdicts.is_some() { th { (l.t("verdicts")) } }
            } }
            tbody {
                @for s in &m.selected {
                    tr data-case=(s.case_id) {
                        td.num { (s.sample_no) } td { (s.case_id) } td { (s.stratum) } td { (l.tr(&s.reason)) }
                        td { code data-key=(s.key) { (s.key) } }
                        td { @for f in &s.findings { (f.rule_id) " (" (l.tr(&f.severity)) ") " } }
                        @if verdicts.is_some() {
                            td {
                                @for v in by_case.get(s.case_id.as_str()).map(Vec::as_slice).unwrap_or_default() {
                                    span data-verdict=(v.verdict.name()) { (l.tr(v.verdict.name())) @if !v.rule_id.is_empty() { " " (v.rule_id) } } " "
                                }
                            }
                        }
                    }
                }
            }
        }
    }
}

fn conclusion(ev: &Evaluation, l: Lang) -> Markup {
    let f = &ev.sample;
    html! {
        table {
            tbody {
                tr { th { (l.t("judged")) } td.num data-judged=(f.judged) { (count(f.judged)) } }
                tr { th { (l.t("deviations")) } td.num { (count(f.deviations)) } }
                tr { th { (l.t("deviation rate")) } td.num { (f.deviation_rate.map_or_else(|| String::from("-"), pct)) } }
                tr { th { (l.f("upper deviation limit ({})", &[&ev.confidence])) } td.num data-upper-limit=(f.upper_deviation_limit.map_or_else(String::new, |u| format!("{u:.6}"))) { (f.upper_deviation_limit.map_or_else(|| String::from("-"), pct)) } }
                @if let Some(t) = &ev.tolerable { tr { th { (l.t("tolerable deviation rate")) } td.num { (t) } } }
                tr { th { (l.t("decision")) } td data-decision=(ev.decision) { strong { (l.tr(&ev.decision)) } } }
            }
        }
        p data-conclusion="" { (ev.decision_text) }
        @if !ev.not_judged.is_empty() {
            p.note { (l.f("{} sampled case(s) without a verdict yet: {}", &[&ev.not_judged.len(), &ev.not_judged.join(", ")])) }
        }
    }
}
