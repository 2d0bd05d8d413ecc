//! `scorecard.html` of `policyqc scorecard`, in Chromium. Expected figures come from the same
//! run's `scorecard.json` and `scorecard.csv`.

use std::path::{Path, PathBuf};

use super::browser::{chromium, remote_references, render, repo, screenshot};
use super::support::{figure, hostile_copy, json, records, run};

fn scorecard(data: &Path, history: &Path) -> (tempfile::TempDir, PathBuf) {
    let config = repo().join("fixtures/scorecard/scorecard.yaml");
    run(
        "scorecard",
        data,
        &[
            "--month",
            "2026-10",
            "--config",
            config.to_str().expect("utf-8 path"),
            "--history",
            history.to_str().expect("utf-8 path"),
        ],
        &[0],
    )
}

#[test]
fn the_scorecard_page_shows_the_summary_figures_ranking_trends_and_weights_offline() {
    let Some(browser) = chromium("scorecard page") else {
        return;
    };
    let hist = tempfile::tempdir().expect("tempdir");
    let (_tmp, out) = scorecard(
        &repo().join("fixtures/scorecard"),
        &hist.path().join("h.sqlite"),
    );
    let page = out.join("scorecard.html");
    let source = std::fs::read_to_string(&page).expect("scorecard.html");
    assert_eq!(remote_references(&source), Vec::<String>::new());
    let r = render(&browser, &page);
    r.assert_quiet();
    let dom = &r.dom;
    let json = json(&out.join("scorecard.json"));
    for k in ["cases_read", "errors_in_month"] {
        assert_eq!(figure(dom, k), json[k].to_string(), "{k}");
    }
    let ops = json["operators"].as_array().expect("operators");
    assert_eq!(figure(dom, "operators"), ops.len().to_string());
    let rated = ops.iter().filter(|o| !o["score"].is_null()).count();
    assert_eq!(figure(dom, "rated"), rated.to_string());
    // Every operator of scorecard.csv is ranked with its score and band.
    for row in records(&out.join("scorecard.csv")) {
        let re = regex::Regex::new(&format!(
            r#"<tr data-operator="{}">.*?data-score="([^"]*)".*?data-band="([^"]*)""#,
            row["operator"]
        ))
        .unwrap();
        let c = re
            .captures(dom)
            .unwrap_or_else(|| panic!("no row {}", row["operator"]));
        let expected = row["score"]
            .parse::<f64>()
            .map(|s| format!("{s:.2}"))
            .unwrap_or_default();
        assert_eq!(&c[1], expected, "{} score", row["operator"]);
        assert_eq!(&c[2], row["band"], "{} band", row["operator"]);
    }
    // A fresh history holds this month only: one point per rated operator, and the page says so.
    assert!(dom.contains(r#"data-history-months="1""#), "one month");
    assert!(dom.contains("one month only"));
    let points = regex::Regex::new(r#"<circle class="point"[^>]*data-month="2026-10""#).unwrap();
    assert_eq!(points.find_iter(dom).count(), rated);
    assert!(!dom.contains("<polyline"), "no line through a single point");
    // Checkers: every operator who checked cases, with its catch rate.
    for o in ops
        .iter()
        .filter(|o| o["cases_checked"].as_f64().unwrap_or(0.0) > 0.0)
    {
        let id = o["operator"].as_str().unwrap();
        assert!(dom.contains(&format!(r#"data-checker="{id}""#)), "{id}");
    }
    // The fixture config's weights (fixtures/scorecard/scorecard.yaml: 5/2/1, 60/30/10/0).
    for (k, v) in [
        ("severity_critical", "5"),
        ("severity_major", "2"),
        ("severity_minor", "1"),
        ("quality", "60"),
        ("checking", "30"),
        ("rework", "10"),
        ("volume", "0"),
    ] {
        let re = regex::Regex::new(&format!(
            r#"<tr data-weight="{k}"><td>[^<]*</td><td class="num">([^<]*)</td>"#
        ))
        .unwrap();
        assert_eq!(
            &re.captures(dom).unwrap_or_else(|| panic!("{k}"))[1],
            v,
            "{k}"
        );
    }
    screenshot(&browser, &page, "scorecard-fixture");
}

#[test]
fn the_scorecard_page_draws_a_line_once_the_history_holds_two_months() {
    let Some(browser) = chromium("scorecard trend") else {
        return;
    };
    let hist = tempfile::tempdir().expect("tempdir");
    let db = hist.path().join("h.sqlite");
    // Seed September in the history: A01 scored 40 there.
    {
        let (_t, _o) = scorecard(&repo().join("fixtures/scorecard"), &db);
        let c = rusqlite::Connection::open(&db).expect("open");
        c.execute_batch(
            "PRAGMA foreign_keys = OFF;
             UPDATE runs SET period = '2026-09', run_id = 'sept' WHERE period = '2026-10';
             UPDATE scorecard_errors SET run_id = 'sept';
             UPDATE scorecard_operators SET run_id = 'sept', period = '2026-09', score = 40
               WHERE period = '2026-10';",
        )
        .expect("move the month");
    }
    let (_tmp, out) = scorecard(&repo().join("fixtures/scorecard"), &db);
    let page = out.join("scorecard.html");
    let r = render(&browser, &page);
    r.assert_quiet();
    assert!(r.dom.contains(r#"data-history-months="2""#));
    assert!(r.dom.contains(r#"data-month="2026-09" data-score="40.00""#));
    assert!(r.dom.contains("<polyline"));
}

#[test]
fn an_operator_name_holding_markup_renders_as_text_on_the_scorecard_page() {
    let Some(browser) = chromium("scorecard hostile data") else {
        return;
    };
    let (tmp, data) = hostile_copy(
        "fixtures/scorecard",
        "operators.csv",
        "Ada Lind",
        "<img src=x onerror=alert(1)><script>alert(2)</script>",
    );
    let (_tmp, out) = scorecard(&data, &tmp.path().join("h.sqlite"));
    let page = out.join("scorecard.html");
    let r = render(&browser, &page);
    r.assert_quiet();
    assert!(!r.dom.contains("<img"), "an <img> element in the DOM");
    assert!(
        r.dom
            .contains("&lt;img src=x onerror=alert(1)&gt;&lt;script&gt;alert(2)&lt;/script&gt;")
    );
}
