//! `weekly.html` of `policyqc report weekly`, in Chromium. Expected figures come from the same
//! run's `weekly.json`.

use std::path::{Path, PathBuf};

use super::browser::{chromium, remote_references, render, repo, screenshot};
use super::support::{figure, hostile_copy, json};

fn weekly(data: &Path, week: &str) -> (tempfile::TempDir, PathBuf) {
    let tmp = tempfile::tempdir().expect("tempdir");
    let out = tmp.path().join("out");
    let status = assert_cmd::Command::cargo_bin("policyqc")
        .expect("binary")
        .current_dir(repo())
        .args(["report", "weekly"])
        .arg(data)
        .args(["--week", week, "--out"])
        .arg(&out)
        .output()
        .expect("run");
    assert_eq!(
        status.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&status.stderr)
    );
    (tmp, out)
}

#[test]
fn the_weekly_page_shows_the_weeks_trends_causes_and_training_plan_offline() {
    let Some(browser) = chromium("weekly page") else {
        return;
    };
    // The whole demo month as the period: long enough for whole-team training entries.
    for (week, shot) in [
        ("2026-W44", "weekly-demo-w44"),
        ("2026-10", "weekly-demo-month"),
    ] {
        let (_tmp, out) = weekly(&repo().join("fixtures/demo"), week);
        let page = out.join("weekly.html");
        let source = std::fs::read_to_string(&page).expect("weekly.html");
        assert_eq!(remote_references(&source), Vec::<String>::new());
        let r = render(&browser, &page);
        r.assert_quiet();
        let dom = &r.dom;
        let j = json(&out.join("weekly.json"));
        let this = &j["weeks"][3];
        for k in ["cases_received", "cases_with_findings"] {
            assert_eq!(figure(dom, k), this[k].to_string(), "{week} {k}");
        }
        assert_eq!(figure(dom, "findings"), j["findings"].to_string());
        // A four-week strip per error point and per checkpoint row.
        let rows = j["by_error_point"].as_array().expect("points").len()
            + j["by_checkpoint"].as_array().expect("checkpoints").len();
        assert!(rows > 0);
        assert_eq!(
            dom.matches(r#"<svg class="mini trend""#).count(),
            rows,
            "{week}"
        );
        // Every training entry is a row, of its kind.
        let plan = j["training_plan"].as_array().expect("plan");
        for kind in ["whole_team", "individual"] {
            let n = plan.iter().filter(|t| t["kind"] == kind).count();
            assert_eq!(
                dom.matches(&format!(r#"data-kind="{kind}""#)).count(),
                n,
                "{week} {kind}"
            );
        }
        screenshot(&browser, &page, shot);
    }
}

#[test]
fn a_team_name_holding_markup_renders_as_text_on_the_weekly_page() {
    let Some(browser) = chromium("weekly hostile data") else {
        return;
    };
    // OP021 of team HQ-C has findings in October.
    let (_data_dir, data) = hostile_copy(
        "fixtures/demo",
        "operators.csv",
        ",HQ-C,",
        ",<script>document.title='x'</script><img src=x onerror=alert(1)>,",
    );
    let (_tmp, out) = weekly(&data, "2026-10");
    let page = out.join("weekly.html");
    let r = render(&browser, &page);
    r.assert_quiet();
    assert!(!r.dom.contains("<img"), "an <img> element in the DOM");
    assert!(r.dom.contains("&lt;img src=x onerror=alert(1)&gt;"));
    assert!(r.dom.contains("&lt;script&gt;"));
}
