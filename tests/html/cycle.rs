//! `cycle.html` of `policyqc cycle`, in Chromium. Expected figures come from the same run's
//! `cycle_summary.json`, `cycle_summary.csv` and `case_times.csv`.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use super::browser::{chromium, remote_references, render, repo, screenshot};
use super::support::{figure, hostile_copy, json, records, run};

fn cycle(data: &Path) -> (tempfile::TempDir, PathBuf) {
    let rules = repo().join("fixtures/cycle/rules");
    run(
        "cycle",
        data,
        &["--rules", rules.to_str().expect("utf-8 path")],
        &[0],
    )
}

#[test]
fn the_cycle_page_shows_the_summary_figures_and_its_charts_offline() {
    let Some(browser) = chromium("cycle page") else {
        return;
    };
    let (_tmp, out) = cycle(&repo().join("fixtures/cycle"));
    let page = out.join("cycle.html");
    let source = std::fs::read_to_string(&page).expect("cycle.html");
    assert_eq!(remote_references(&source), Vec::<String>::new());
    let r = render(&browser, &page);
    r.assert_quiet();
    let dom = &r.dom;
    let json = json(&out.join("cycle_summary.json"));
    for k in ["cases_read", "cases_bound", "cases_open"] {
        assert_eq!(figure(dom, k), json[k].to_string(), "{k}");
    }
    let summary = records(&out.join("cycle_summary.csv"));
    let all_sla = summary
        .iter()
        .find(|r| r["dimension"] == "all" && r["measure"] == "sla_compliance")
        .expect("all sla row");
    let mean: f64 = all_sla["mean"].parse().expect("mean");
    assert_eq!(
        figure(dom, "sla_compliance"),
        format!("{:.2}%", mean * 100.0)
    );
    // Every stage's SLA row is there.
    for row in summary
        .iter()
        .filter(|r| r["dimension"] == "stage" && r["measure"] == "sla_compliance")
    {
        assert!(
            dom.contains(&format!(r#"data-sla="{}""#, row["group"])),
            "{}",
            row["group"]
        );
    }
    // Bound cases per change type, from case_times.csv.
    let mut bound: BTreeMap<String, usize> = BTreeMap::new();
    for c in records(&out.join("case_times.csv")) {
        if c["status"] == "bound" {
            *bound.entry(c["change_type"].clone()).or_default() += 1;
        }
    }
    let re = regex::Regex::new(r#"<tr data-change-type="([^"]+)">.*?data-bound="(\d+)""#).unwrap();
    let shown: BTreeMap<String, usize> = re
        .captures_iter(dom)
        .map(|c| (c[1].to_owned(), c[2].parse().unwrap()))
        .collect();
    assert_eq!(shown, bound);
    // The histogram has one bar per working-day bin and holds every bound case.
    let bars = regex::Regex::new(r#"<rect class="bar"[^>]*data-series="bound cases""#).unwrap();
    assert!(bars.find_iter(dom).count() >= 1);
    let minis = regex::Regex::new(r#"<rect class="mini"[^>]*data-count="(\d+)""#).unwrap();
    let in_minis: usize = minis
        .captures_iter(dom)
        .map(|c| c[1].parse::<usize>().unwrap())
        .sum();
    assert_eq!(in_minis, bound.values().sum::<usize>());
    // Open cases listed.
    assert!(dom.contains(&format!(r#"data-open="{}""#, json["cases_open"])));
    screenshot(&browser, &page, "cycle-fixture");
}

#[test]
fn a_change_type_holding_markup_renders_as_text_on_the_cycle_page() {
    let Some(browser) = chromium("cycle hostile data") else {
        return;
    };
    let (_data_dir, data) = hostile_copy(
        "fixtures/cycle",
        "cases.csv",
        ",address_change,",
        ",<img src=x onerror=alert(1)>,",
    );
    let (_tmp, out) = cycle(&data);
    let page = out.join("cycle.html");
    let r = render(&browser, &page);
    r.assert_quiet();
    assert!(!r.dom.contains("<img"), "an <img> element in the DOM");
    assert!(r.dom.contains("&lt;img src=x onerror=alert(1)&gt;"));
}
