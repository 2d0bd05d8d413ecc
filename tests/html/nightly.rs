//! `report.html` of `policyqc check`, in Chromium. Expected figures come from the same run's
//! `summary.json` and `findings.csv`, never from the page itself.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use super::browser::{chromium, remote_references, render, repo, screenshot};
use super::support::{figure, json, records, run};

fn check(data: &Path) -> (tempfile::TempDir, PathBuf) {
    run("check", data, &["--quiet"], &[0, 1])
}

fn summary(out: &Path) -> serde_json::Value {
    json(&out.join("summary.json"))
}

/// `data-cases` of the checkpoint x severity cell.
fn cell(dom: &str, checkpoint: &str, severity: &str) -> u64 {
    let re = regex::Regex::new(&format!(
        r#"data-checkpoint="{checkpoint}" data-severity="{severity}" data-cases="(\d+)""#
    ))
    .expect("regex");
    re.captures(dom)
        .unwrap_or_else(|| panic!("no cell {checkpoint} x {severity}"))[1]
        .parse()
        .expect("number")
}

/// Findings per error point, counted from `findings.csv`.
fn findings_per_error_point(out: &Path) -> BTreeMap<String, u64> {
    let mut counts = BTreeMap::new();
    for f in records(&out.join("findings.csv")) {
        *counts.entry(f["error_point"].clone()).or_default() += 1;
    }
    counts
}

#[test]
fn the_demo_page_shows_the_summary_figures_draws_its_charts_and_stays_offline() {
    let Some(browser) = chromium("nightly demo page") else {
        return;
    };
    let (_tmp, out) = check(&repo().join("fixtures/demo"));
    let page = out.join("report.html");
    let source = std::fs::read_to_string(&page).expect("report.html");
    assert_eq!(remote_references(&source), Vec::<String>::new());
    let r = render(&browser, &page);
    r.assert_quiet();
    let s = summary(&out);
    let dom = &r.dom;
    // The script ran to its end.
    assert!(dom.contains(r#"data-findings-table="ready""#));
    // Headline figures.
    assert_eq!(figure(dom, "cases_read"), s["cases_read"].to_string());
    assert_eq!(
        figure(dom, "cases_with_findings"),
        s["cases_with_findings"].to_string()
    );
    assert_eq!(
        figure(dom, "case_defect_rate"),
        format!("{:.2}%", s["case_defect_rate"].as_f64().unwrap() * 100.0)
    );
    assert_eq!(
        figure(dom, "alerts"),
        s["alerts"].as_array().unwrap().len().to_string()
    );
    // Checkpoint x severity: the margins are summary.json's.
    for (cp, n) in s["cases_with_findings_by_checkpoint"].as_object().unwrap() {
        assert_eq!(cell(dom, cp, "any"), n.as_u64().unwrap(), "{cp}");
    }
    for (sev, n) in s["cases_with_findings_by_severity"].as_object().unwrap() {
        assert_eq!(cell(dom, "all", sev), n.as_u64().unwrap(), "{sev}");
    }
    assert_eq!(
        cell(dom, "all", "any"),
        s["cases_with_findings"].as_u64().unwrap()
    );
    // Charts: 6 checkpoints x 3 severities bars, and one Pareto bar per error point found,
    // each as tall as findings.csv's count.
    let bars = regex::Regex::new(r#"<rect class="bar"[^>]*data-series="#).unwrap();
    assert_eq!(bars.find_iter(dom).count(), 6 * 3);
    let pareto = regex::Regex::new(r#"data-label="(\d+)" data-count="(\d+)""#).unwrap();
    let drawn: BTreeMap<String, u64> = pareto
        .captures_iter(dom)
        .map(|c| (c[1].to_owned(), c[2].parse().unwrap()))
        .collect();
    assert_eq!(drawn, findings_per_error_point(&out));
    assert!(dom.contains(r#"<polyline class="cumulative""#));
    // Error point names from the catalogue, e.g. point 5.
    assert!(dom.contains("premium collection/refund or fee adjustment computed wrongly"));
    // Rules not evaluated and data findings: none on the demo.
    assert_eq!(s["rules_not_evaluated"].as_array().unwrap().len(), 0);
    assert!(dom.contains(r#"data-not-evaluated="0""#));
    assert_eq!(s["data_findings"], 0);
    assert!(dom.contains(r#"data-data-findings="0""#));
    // The findings table: the first page of 50 of all findings.
    let total = s["findings"].as_u64().unwrap();
    assert!(
        dom.contains(&format!(
            "findings 1–50 of {total} · page 1 of {}",
            total.div_ceil(50)
        )),
        "status line"
    );
    let body = dom
        .split(r#"<tbody id="findings-body">"#)
        .nth(1)
        .and_then(|b| b.split("</tbody>").next())
        .expect("findings body");
    assert_eq!(body.matches("<tr").count(), 50);
    let png = screenshot(&browser, &page, "nightly-demo");
    assert!(std::fs::metadata(png).expect("png").len() > 10_000);
}

/// `fixtures/basic` with its first case's id, operators and receipt time holding markup.
fn hostile_copy(dir: &Path) -> PathBuf {
    let data = dir.join("data");
    std::fs::create_dir_all(&data).expect("mkdir");
    for e in std::fs::read_dir(repo().join("fixtures/basic")).expect("basic") {
        let e = e.expect("entry");
        std::fs::copy(e.path(), data.join(e.file_name())).expect("copy");
    }
    let text = std::fs::read_to_string(data.join("cases.csv")).expect("cases");
    let mut lines: Vec<String> = text.lines().map(str::to_owned).collect();
    let header: Vec<&str> = lines[0].split(',').collect();
    let mut first: Vec<String> = lines[1].split(',').map(str::to_owned).collect();
    for (i, h) in header.iter().enumerate() {
        match *h {
            "case_id" => first[i] = String::from("<img src=x onerror=alert(1)>"),
            "intake_operator" | "reviewer" | "entry_operator" | "checker" | "binder"
            | "printer" => first[i] = String::from("<script>alert(1)</script>"),
            "received_at" => first[i] = String::from("<img src=y onerror=alert(2)>"),
            _ => {}
        }
    }
    lines[1] = first.join(",");
    std::fs::write(data.join("cases.csv"), lines.join("\n") + "\n").expect("write");
    data
}

#[test]
fn case_data_holding_markup_renders_as_text() {
    let Some(browser) = chromium("nightly hostile data") else {
        return;
    };
    let tmp = tempfile::tempdir().expect("tempdir");
    let data = hostile_copy(tmp.path());
    let (_tmp, out) = check(&data);
    let findings = std::fs::read_to_string(out.join("findings.csv")).expect("findings");
    assert!(
        findings.contains("<script>alert(1)</script>") && findings.contains("<img src=x"),
        "the hostile values must reach the findings for this test to mean anything"
    );
    let page = out.join("report.html");
    let source = std::fs::read_to_string(&page).expect("report.html");
    assert!(!source.contains("<img"), "an <img> in the page source");
    let r = render(&browser, &page);
    r.assert_quiet();
    let dom = &r.dom;
    assert!(dom.contains(r#"data-findings-table="ready""#));
    assert!(!dom.contains("<img"), "an <img> element in the DOM");
    // Only the page's own two scripts: the embedded data and the table's code.
    assert_eq!(dom.matches("<script").count(), 2);
    // The values are there, as text: in the script-filled table and in the data findings.
    assert!(dom.contains("&lt;script&gt;alert(1)&lt;/script&gt;"));
    assert!(dom.contains("&lt;img src=x onerror=alert(1)&gt;"));
    assert!(dom.contains("&lt;img src=y onerror=alert(2)&gt;"));
    let png = screenshot(&browser, &page, "nightly-hostile");
    assert!(png.is_file());
}

#[test]
fn the_traditional_chinese_page_runs_its_script_with_translated_labels_and_the_same_figures() {
    let Some(browser) = chromium("nightly page in zh-Hant") else {
        return;
    };
    let (_tmp, out) = run(
        "check",
        &repo().join("fixtures/demo"),
        &["--quiet", "--lang", "zh-Hant"],
        &[0, 1],
    );
    let page = out.join("report.html");
    let r = render(&browser, &page);
    r.assert_quiet();
    let s = summary(&out);
    let dom = &r.dom;
    assert!(dom.contains(r#"data-findings-table="ready""#));
    assert!(dom.contains(r#"<html lang="zh-Hant">"#));
    assert_eq!(figure(dom, "cases_read"), s["cases_read"].to_string());
    assert_eq!(
        figure(dom, "cases_with_findings"),
        s["cases_with_findings"].to_string()
    );
    // The status line the script writes, from the page's translated labels (src/lang.tsv).
    let total = s["findings"].as_u64().unwrap();
    assert!(
        dom.contains(&format!(
            "缺失第 1–50 筆，共 {total} 筆 · 第 1 頁，共 {} 頁",
            total.div_ceil(50)
        )),
        "status line"
    );
    // Error point 5's name in Traditional Chinese; the filters' "all" option.
    assert!(dom.contains("保費收退或費用調整計算錯誤"));
    assert!(dom.contains(r#"<option value="">全部</option>"#));
    screenshot(&browser, &page, "nightly-demo-zh-Hant");
}
