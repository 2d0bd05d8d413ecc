//! `audit.html` of `policyqc sample` and `policyqc verdicts import`, in Chromium. Expected
//! figures come from the same run's `manifest.json` and `evaluation.json`.

use std::path::Path;

use assert_cmd::Command;

use super::browser::{chromium, remote_references, render, repo, screenshot};
use super::support::{figure, json};

fn policyqc(args: &[&str]) -> std::process::Output {
    Command::cargo_bin("policyqc")
        .expect("binary")
        .current_dir(repo())
        .args(args)
        .output()
        .expect("run policyqc")
}

/// A Z1.4 sample of fixtures/basic (lot 300, level I: code letter F, n 20, Ac 3, Re 4).
fn z14(out: &Path, extra: &[&str]) -> std::process::Output {
    let data = repo().join("fixtures/basic");
    let mut args = vec![
        "sample",
        data.to_str().unwrap(),
        "--out",
        out.to_str().unwrap(),
        "--plan",
        "z14",
        "--level",
        "I",
        "--aql",
        "6.5",
        "--seed",
        "11",
    ];
    args.extend_from_slice(extra);
    policyqc(&args)
}

#[test]
fn the_audit_page_shows_the_plan_population_and_selection_then_the_verdicts_and_conclusion() {
    let Some(browser) = chromium("audit page") else {
        return;
    };
    let tmp = tempfile::tempdir().expect("tempdir");
    let out = tmp.path().join("s");
    assert_eq!(z14(&out, &[]).status.code(), Some(0));
    let page = out.join("audit.html");
    let source = std::fs::read_to_string(&page).expect("audit.html");
    assert_eq!(remote_references(&source), Vec::<String>::new());
    let r = render(&browser, &page);
    r.assert_quiet();
    let dom = &r.dom;
    let manifest = json(&out.join("manifest.json"));
    assert_eq!(
        figure(dom, "population"),
        manifest["population"]["size"].to_string()
    );
    assert_eq!(
        figure(dom, "flagged"),
        manifest["population"]["flagged"].to_string()
    );
    assert_eq!(figure(dom, "sample_size"), "20");
    assert!(dom.contains(r#"data-code-letter="F""#), "Table I letter");
    assert!(dom.contains(&format!(r#"data-seed="{}""#, manifest["seed"])));
    assert!(dom.contains(manifest["population"]["sha256"].as_str().unwrap()));
    let selected = manifest["selected"].as_array().expect("selected");
    assert_eq!(selected.len(), 20);
    for s in selected {
        assert!(
            dom.contains(&format!(r#"data-key="{}""#, s["key"].as_str().unwrap())),
            "{s}"
        );
    }
    assert!(
        !dom.contains("data-decision"),
        "no conclusion before the verdicts"
    );
    screenshot(&browser, &page, "audit-sample");

    // Every finding confirmed, every other case clean, then imported.
    let mut reader = csv::Reader::from_path(out.join("sample.csv")).expect("sample.csv");
    let header = reader.headers().expect("header").clone();
    let col = |n: &str| header.iter().position(|h| h == n).expect(n);
    let (rule, verdict, auditor) = (col("rule_id"), col("verdict"), col("auditor"));
    let file = out.join("verdicts.csv");
    let mut w = csv::Writer::from_path(&file).expect("write");
    w.write_record(&header).unwrap();
    let mut confirmed = 0;
    for rec in reader.records() {
        let mut row: Vec<String> = rec.unwrap().iter().map(str::to_owned).collect();
        row[verdict] = if row[rule].is_empty() {
            "no_error".into()
        } else {
            confirmed += 1;
            "confirmed".into()
        };
        row[auditor] = "AUD7".into();
        w.write_record(&row).unwrap();
    }
    w.flush().unwrap();
    assert!(confirmed > 0);
    let history = tmp.path().join("h.sqlite");
    let o = policyqc(&[
        "verdicts",
        "import",
        file.to_str().unwrap(),
        "--history",
        history.to_str().unwrap(),
    ]);
    assert!(matches!(o.status.code(), Some(0 | 1)), "{o:?}");
    let r = render(&browser, &page);
    r.assert_quiet();
    let dom = &r.dom;
    let ev = json(&out.join("evaluation.json"));
    assert_eq!(
        figure(dom, "deviations"),
        ev["sample"]["deviations"].to_string()
    );
    assert!(dom.contains(&format!(
        r#"data-decision="{}""#,
        ev["decision"].as_str().unwrap()
    )));
    let udl = ev["sample"]["upper_deviation_limit"].as_f64().unwrap();
    assert!(
        dom.contains(&format!(r#"data-upper-limit="{udl:.6}""#)),
        "{udl}"
    );
    assert_eq!(
        dom.matches(r#"data-verdict="confirmed""#).count(),
        confirmed
    );
    screenshot(&browser, &page, "audit-verdicts");
}

#[test]
fn a_dry_run_writes_no_audit_page() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let out = tmp.path().join("s");
    assert_eq!(z14(&out, &["--dry-run"]).status.code(), Some(0));
    assert!(!out.join("audit.html").exists());
}

#[test]
fn a_case_id_and_branch_holding_markup_render_as_text_on_the_audit_page() {
    let Some(browser) = chromium("audit hostile data") else {
        return;
    };
    // The first case of fixtures/basic, with a case id and a branch that are markup; sampled
    // by branch, its one-case stratum is taken whole.
    let (_data_dir, data) = super::support::hostile_copy(
        "fixtures/basic",
        "cases.csv",
        "C2026100001,P189380361,HQ,",
        "<script>document.title='x'</script>,P189380361,<img src=x onerror=alert(1)>,",
    );
    let tmp = tempfile::tempdir().expect("tempdir");
    let out = tmp.path().join("s");
    let o = policyqc(&[
        "sample",
        data.to_str().unwrap(),
        "--out",
        out.to_str().unwrap(),
        "--plan",
        "fixed",
        "--size",
        "10",
        "--method",
        "stratified",
        "--by",
        "branch",
        "--seed",
        "3",
    ]);
    assert_eq!(o.status.code(), Some(0), "{o:?}");
    let r = render(&browser, &out.join("audit.html"));
    r.assert_quiet();
    assert!(!r.dom.contains("<img"), "an <img> element in the DOM");
    assert!(
        r.dom.contains("&lt;img src=x onerror=alert(1)&gt;"),
        "the stratum as text"
    );
    assert!(
        r.dom
            .contains("&lt;script&gt;document.title='x'&lt;/script&gt;"),
        "the case id as text"
    );
    assert!(!r.dom.contains("<title>x</title>"), "the script ran");
}
