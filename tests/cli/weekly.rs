//! `policyqc report weekly`: the weekly QC analysis on the demo month, checked against the
//! same data counted here in plain Rust (the check's `findings.csv`, the folder's
//! `cases.csv` and `operators.csv`, ISO weeks by chrono), and its bad input.

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

use assert_cmd::Command;
use chrono::{Datelike, NaiveDate};

use super::util::{Run, Table, check, fixture, repo, squash};

/// Runs `policyqc report weekly DATA --out <tmp>/out EXTRA...`.
fn weekly(data: &Path, extra: &[&str]) -> Run {
    let tmp = tempfile::tempdir().expect("tempdir");
    let out = tmp.path().join("out");
    let output = Command::cargo_bin("policyqc")
        .expect("binary")
        .current_dir(repo())
        .env("NO_COLOR", "1")
        .args(["report", "weekly"])
        .arg(data)
        .arg("--out")
        .arg(&out)
        .args(extra)
        .output()
        .expect("run policyqc");
    Run::new(&output, out, tmp)
}

fn json(run: &Run) -> serde_json::Value {
    serde_json::from_str(&std::fs::read_to_string(run.file("weekly.json")).expect("weekly.json"))
        .expect("JSON")
}

/// `2026-W44` of a `YYYY-MM-DD HH:MM:SS` timestamp.
fn iso_week(ts: &str) -> String {
    let d = NaiveDate::parse_from_str(&ts[..10], "%Y-%m-%d").expect("date");
    format!("{}-W{:02}", d.iso_week().year(), d.iso_week().week())
}

/// The demo's four weeks 2026-W41..W44 counted by hand from the tables: per week the cases
/// received and the cases with findings, per error point the cases with findings per week,
/// this week's findings per rule, and per (team, error point) this week's operators.
struct Counted {
    received: BTreeMap<String, u64>,
    bad: BTreeMap<String, BTreeSet<String>>,
    point_cases: BTreeMap<(i64, String), BTreeSet<String>>,
    rules: BTreeMap<String, u64>,
    team_ops: BTreeMap<(String, i64), BTreeSet<String>>,
    findings: u64,
}

fn count(findings: &Table, this: &str) -> Counted {
    let cases = Table::read(&fixture("demo").join("cases.csv"));
    let week_of: BTreeMap<String, String> = cases
        .records()
        .into_iter()
        .map(|r| (r["case_id"].clone(), iso_week(&r["received_at"])))
        .collect();
    let team: BTreeMap<String, String> = Table::read(&fixture("demo").join("operators.csv"))
        .records()
        .into_iter()
        .map(|r| (r["operator_id"].clone(), r["team"].clone()))
        .collect();
    let mut c = Counted {
        received: BTreeMap::new(),
        bad: BTreeMap::new(),
        point_cases: BTreeMap::new(),
        rules: BTreeMap::new(),
        team_ops: BTreeMap::new(),
        findings: 0,
    };
    for w in week_of.values() {
        *c.received.entry(w.clone()).or_default() += 1;
    }
    for f in findings.records() {
        let w = week_of[&f["case_id"]].clone();
        let point: i64 = f["error_point"].parse().expect("error point");
        c.bad
            .entry(w.clone())
            .or_default()
            .insert(f["case_id"].clone());
        c.point_cases
            .entry((point, w.clone()))
            .or_default()
            .insert(f["case_id"].clone());
        if w == this {
            c.findings += 1;
            *c.rules.entry(f["rule_id"].clone()).or_default() += 1;
            if !f["operator"].is_empty() {
                let t = team
                    .get(&f["operator"])
                    .cloned()
                    .unwrap_or_else(|| String::from("(no team)"));
                c.team_ops
                    .entry((t, point))
                    .or_default()
                    .insert(f["operator"].clone());
            }
        }
    }
    c
}

#[test]
fn the_demo_week_equals_the_check_counted_by_hand() {
    let demo = fixture("demo");
    let checked = check(&demo, &[]);
    checked.assert_code(0);
    let run = weekly(&demo, &["--week", "2026-W44"]);
    run.assert_code(0);
    for f in ["weekly.html", "weekly.xlsx", "weekly.json"] {
        assert!(run.file(f).is_file(), "{f}");
    }
    let j = json(&run);
    let c = count(&checked.table("findings.csv"), "2026-W44");
    let weeks = ["2026-W41", "2026-W42", "2026-W43", "2026-W44"];
    // The demo month has cases in all four weeks (2,000 in all).
    assert_eq!(c.received.values().sum::<u64>(), 2000);
    for (i, w) in weeks.iter().enumerate() {
        let got = &j["weeks"][i];
        assert_eq!(got["label"], *w);
        assert_eq!(got["cases_received"], c.received[*w], "{w} received");
        let bad = c.bad.get(*w).map_or(0, BTreeSet::len);
        assert_eq!(got["cases_with_findings"], bad, "{w} with findings");
    }
    assert_eq!(j["findings"], c.findings);
    // Per error point: cases with findings of it in each week.
    let points = j["by_error_point"].as_array().expect("points");
    let listed: BTreeSet<i64> = c.point_cases.keys().map(|(p, _)| *p).collect();
    assert_eq!(points.len(), listed.len());
    for row in points {
        let p: i64 = row["key"].as_str().expect("key").parse().expect("point");
        for (i, w) in weeks.iter().enumerate() {
            let n = c
                .point_cases
                .get(&(p, (*w).to_owned()))
                .map_or(0, BTreeSet::len);
            assert_eq!(row["cases"][i], n, "point {p} in {w}");
        }
    }
    // The main rules: the counts of the five most frequent, in order.
    let mut rules: Vec<(u64, String)> = c.rules.iter().map(|(r, n)| (*n, r.clone())).collect();
    rules.sort_by(|a, b| b.0.cmp(&a.0).then(a.1.cmp(&b.1)));
    let top: Vec<serde_json::Value> = rules
        .iter()
        .take(5)
        .map(|(n, r)| serde_json::json!([r, n]))
        .collect();
    let got: Vec<serde_json::Value> = j["top_rules"]
        .as_array()
        .expect("top rules")
        .iter()
        .map(|c| serde_json::json!([c["key"], c["findings"]]))
        .collect();
    assert_eq!(got, top);
    // Training: one whole-team entry per (team, point) with two or more operators, one
    // individual entry per operator otherwise.
    let whole = c.team_ops.values().filter(|o| o.len() >= 2).count();
    let single: usize = c
        .team_ops
        .values()
        .filter(|o| o.len() < 2)
        .map(BTreeSet::len)
        .sum();
    let plan = j["training_plan"].as_array().expect("plan");
    let kinds = |k: &str| plan.iter().filter(|t| t["kind"] == k).count();
    assert_eq!((kinds("whole_team"), kinds("individual")), (whole, single));
    assert!(!plan.is_empty());
}

#[test]
fn the_same_week_twice_gives_the_same_bytes() {
    let a = weekly(&fixture("demo"), &["--week", "2026-W42"]);
    let b = weekly(&fixture("demo"), &["--week", "2026-W42"]);
    a.assert_code(0);
    for f in ["weekly.html", "weekly.xlsx", "weekly.json"] {
        assert_eq!(
            std::fs::read(a.file(f)).expect("a"),
            std::fs::read(b.file(f)).expect("b"),
            "{f}"
        );
    }
}

#[test]
fn a_week_before_the_data_has_no_rate_not_zero() {
    // W41 is the demo's first week: the three before it have no case.
    let run = weekly(&fixture("demo"), &["--week", "2026-W41"]);
    run.assert_code(0);
    let j = json(&run);
    for i in 0..3 {
        assert_eq!(j["weeks"][i]["cases_received"], 0);
        assert!(j["weeks"][i]["defect_rate"].is_null(), "week {i}");
    }
    assert!(j["weeks"][3]["defect_rate"].is_f64());
}

#[test]
fn a_week_without_cases_or_a_bad_week_is_a_usage_error_and_writes_nothing() {
    let run = weekly(&fixture("demo"), &["--week", "2026-W30"]);
    run.assert_code(2);
    assert!(
        squash(&run.stderr).contains(&squash("no case was received in 2026-W30")),
        "{}",
        run.stderr
    );
    assert!(!run.out.exists(), "nothing written");
    for bad in ["2026-W54", "2026-W0", "2026-W4x", "last week"] {
        let run = weekly(&fixture("demo"), &["--week", bad]);
        run.assert_code(2);
        assert!(run.stderr.contains("--week"), "{bad}: {}", run.stderr);
        assert!(!run.out.exists());
    }
}

#[test]
fn a_bad_weekly_setting_is_a_located_settings_error() {
    let tmp = super::util::copy_fixture("demo");
    let settings = tmp.path().join("settings.yaml");
    let mut text = std::fs::read_to_string(&settings).expect("settings");
    text.push_str("weekly:\n  spread_min_operators: 0\n");
    std::fs::write(&settings, text).expect("write");
    let run = weekly(tmp.path(), &["--week", "2026-W44"]);
    run.assert_code(2);
    let s = squash(&run.stderr);
    assert!(s.contains("spread_min_operators"), "{}", run.stderr);
    assert!(s.contains("settings.yaml"), "{}", run.stderr);
}

#[test]
fn the_workbook_holds_the_pages_tables_as_numbers_and_text_never_formulas() {
    use calamine::{Data, Reader, Xlsx, open_workbook};
    // A team name that a spreadsheet would run as a formula.
    let tmp = super::util::copy_fixture("demo");
    let ops = tmp.path().join("operators.csv");
    let text = std::fs::read_to_string(&ops).expect("operators");
    let hostile = "=HYPERLINK(\"http://x\";\"y\")";
    std::fs::write(
        &ops,
        text.replace(",HQ-C,", &format!(",\"{}\",", hostile.replace('"', "\"\""))),
    )
    .expect("write");
    let run = weekly(tmp.path(), &["--week", "2026-10"]);
    run.assert_code(0);
    let j = json(&run);
    let mut wb: Xlsx<_> = open_workbook(run.file("weekly.xlsx")).expect("weekly.xlsx opens");
    assert_eq!(
        wb.sheet_names(),
        [
            "Weeks",
            "By error point",
            "By checkpoint",
            "Causes",
            "Common",
            "Training"
        ]
    );
    let weeks = wb.worksheet_range("Weeks").expect("Weeks");
    let rows: Vec<&[Data]> = weeks.rows().collect();
    assert_eq!(rows.len(), 5, "a header and four periods");
    assert_eq!(rows[4][0], Data::String("2026-10".into()));
    assert_eq!(rows[4][3], Data::Float(2000.0));
    assert_eq!(
        rows[1][5],
        Data::String("no cases".into()),
        "July has no rate"
    );
    let plan = j["training_plan"].as_array().expect("plan");
    let training = wb.worksheet_range("Training").expect("Training");
    let rows: Vec<&[Data]> = training.rows().skip(1).collect();
    assert_eq!(rows.len(), plan.len());
    for (row, t) in rows.iter().zip(plan) {
        assert_eq!(
            row[1],
            Data::String(t["team"].as_str().expect("team").into())
        );
        assert_eq!(
            row[3],
            Data::Float(t["error_point"].as_f64().expect("point"))
        );
        assert_eq!(
            row[4],
            Data::Float(t["findings"].as_f64().expect("findings"))
        );
    }
    assert!(
        rows.iter().any(|r| r[1] == Data::String(hostile.into())),
        "the hostile team is a text cell"
    );
    for name in wb.sheet_names() {
        let formulas = wb.worksheet_formula(&name).expect("formulas");
        assert!(
            formulas.used_cells().all(|(_, _, f)| f.is_empty()),
            "a formula in {name}"
        );
    }
}
