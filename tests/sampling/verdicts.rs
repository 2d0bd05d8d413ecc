//! `policyqc verdicts import`: storing, evaluating by hand, people's findings, bad files.

use std::path::{Path, PathBuf};

use crate::support::{Out, basic, expected_findings, manifest, run, sample, selected};
use crate::util::Table;

/// A Z1.4 sample of fixtures/basic: lot 300, level I -> Table I band 281-500 -> F (n = 20);
/// Table II-A F at AQL 6.5: Ac 3, Re 4.
fn z14_sample(dir: &Path) -> PathBuf {
    let out = dir.join("s");
    sample(
        &basic(),
        &out,
        &[
            "--plan", "z14", "--level", "I", "--aql", "6.5", "--seed", "11",
        ],
    )
    .assert_code(0);
    let m = manifest(&out);
    assert_eq!(
        (
            m["plan"]["code_letter"].as_str(),
            m["plan"]["sample_size"].as_u64(),
            m["plan"]["accept"].as_u64(),
            m["plan"]["reject"].as_u64()
        ),
        (Some("F"), Some(20), Some(3), Some(4))
    );
    out
}

/// The workpaper with every finding judged `finding` and every other row `clean`.
fn filled(out: &Path, finding: &str, clean: &str) -> Table {
    let mut w = Table::read(&out.join("sample.csv"));
    for r in 0..w.rows.len() {
        let v = if w.get(r, "rule_id").is_empty() {
            clean
        } else {
            finding
        };
        w.set(r, "verdict", v);
        w.set(r, "auditor", "AUD7");
        w.set(r, "judged_at", "2026-11-04");
    }
    w
}

fn import(file: &Path, history: &Path, extra: &[&str]) -> Out {
    let mut all = vec![
        "verdicts",
        "import",
        file.to_str().unwrap(),
        "--history",
        history.to_str().unwrap(),
    ];
    all.extend_from_slice(extra);
    run(&all)
}

fn stored(history: &Path) -> i64 {
    if !history.exists() {
        return 0;
    }
    let c = rusqlite::Connection::open(history).unwrap();
    c.query_row("SELECT count(*) FROM sampling_verdicts", [], |r| r.get(0))
        .unwrap_or(0)
}

fn evaluation(out: &Path) -> serde_json::Value {
    serde_json::from_str(&std::fs::read_to_string(out.join("evaluation.json")).unwrap()).unwrap()
}

#[test]
fn clean_sample_is_accepted_then_confirmed_findings_reject_it() {
    let t = tempfile::tempdir().unwrap();
    let out = z14_sample(t.path());
    let history = t.path().join("h.sqlite");
    let ids = selected(&out);
    let f = expected_findings("basic");
    let flagged: Vec<&String> = ids.iter().filter(|c| f.contains_key(*c)).collect();
    let unflagged: Vec<&String> = ids.iter().filter(|c| !f.contains_key(*c)).collect();
    assert!(!unflagged.is_empty());

    // 1. Every finding a false positive, every other case clean: 0 deviations in 20.
    let w = filled(&out, "false_positive", "no_error");
    let file = out.join("verdicts-1.csv");
    w.write(&file);
    let r = import(&file, &history, &[]);
    r.assert_code(0);
    let rows = w.rows.len() as i64;
    assert_eq!(stored(&history), rows);
    let e = evaluation(&out);
    assert_eq!(e["decision"], "accept");
    assert_eq!(e["sample"]["judged"], 20);
    assert_eq!(e["sample"]["deviations"], 0);
    // Upper limit for 0 deviations in 20 at 95 %: 1 - 0.05^(1/20) = 0.139108... (AICPA Table A-3
    // prints 14.0 for n 20, rounded up to 0.1 %).
    let udl = e["sample"]["upper_deviation_limit"].as_f64().unwrap();
    assert!(
        (udl - (1.0 - 0.05_f64.powf(1.0 / 20.0))).abs() < 1e-9,
        "{udl}"
    );
    for rule in e["rules"].as_array().unwrap() {
        assert_eq!(rule["precision"], 0.0);
    }
    assert_eq!(Table::read(&out.join("findings.csv")).rows.len(), 0);

    // 2. Replace: every finding confirmed, and a new error (point 13, stage entry) on the first
    // unflagged case: deviations = flagged cases + 1.
    let mut w = filled(&out, "confirmed", "no_error");
    let clean_row = (0..w.rows.len())
        .find(|&r| w.get(r, "case_id") == unflagged[0])
        .unwrap();
    w.set(clean_row, "verdict", "new_error");
    w.set(clean_row, "new_error_point", "13");
    w.set(clean_row, "new_error_stage", "entry");
    w.set(clean_row, "note", "seal missing on the endorsement");
    let file2 = out.join("verdicts-2.csv");
    w.write(&file2);
    let r = import(&file2, &history, &[]);
    r.assert_code(2);
    assert!(r.err().contains("alreadyhaveverdicts"), "{}", r.stderr);
    assert_eq!(stored(&history), rows, "a refused import stores nothing");
    let deviations = flagged.len() as u64 + 1;
    let r = import(&file2, &history, &["--replace"]);
    r.assert_code(i32::from(deviations >= 4));
    let e = evaluation(&out);
    assert_eq!(e["sample"]["deviations"], deviations);
    assert_eq!(
        e["decision"],
        if deviations >= 4 { "reject" } else { "accept" }
    );
    let rate = e["sample"]["deviation_rate"].as_f64().unwrap();
    assert!((rate - deviations as f64 / 20.0).abs() < 1e-12);
    // Precision 1 for every rule; judged = the rule's findings among the sampled cases.
    for rule in e["rules"].as_array().unwrap() {
        let id = rule["rule_id"].as_str().unwrap();
        let n = flagged.iter().filter(|c| f[**c].contains(id)).count() as u64;
        assert_eq!(
            (
                rule["judged"].as_u64().unwrap(),
                rule["precision"].as_f64().unwrap()
            ),
            (n, 1.0),
            "{id}"
        );
    }
    assert_eq!(e["new_errors"], serde_json::json!([[13, 1]]));
    // The new error as a people's finding, in the SCHEMA.md format, readable as a findings table.
    let pf = Table::read(&out.join("findings.csv"));
    assert_eq!(
        pf.header,
        [
            "case_id",
            "stage",
            "error_point",
            "severity",
            "found_by",
            "found_at",
            "source",
            "note"
        ]
    );
    assert_eq!(
        pf.rows,
        [[
            unflagged[0].as_str(),
            "entry",
            "13",
            "",
            "AUD7",
            "2026-11-04 00:00:00",
            "audit",
            "seal missing on the endorsement"
        ]]
    );
    let read = policyqc::input::read_table(
        &out.join("findings.csv"),
        policyqc::schema::Table::Findings,
        &policyqc::config::columns::ColumnMap::default(),
        &[],
    )
    .unwrap();
    assert!(read.issues.is_empty(), "{:?}", read.issues);
    assert_eq!(read.df.height(), 1);
}

#[test]
fn flagged_first_reports_the_random_part_apart() {
    let t = tempfile::tempdir().unwrap();
    let out = t.path().join("s");
    // basic: 82 flagged cases (README); 90 = 82 targeted + 8 random.
    sample(
        &basic(),
        &out,
        &[
            "--plan",
            "fixed",
            "--size",
            "90",
            "--method",
            "flagged-first",
            "--seed",
            "2",
        ],
    )
    .assert_code(0);
    let w = filled(&out, "confirmed", "no_error");
    let file = out.join("v.csv");
    w.write(&file);
    import(&file, &t.path().join("h.sqlite"), &[]).assert_code(0);
    let e = evaluation(&out);
    assert_eq!(e["decision"], "none");
    assert_eq!(
        (
            e["sample"]["judged"].as_u64(),
            e["sample"]["deviations"].as_u64()
        ),
        (Some(90), Some(82))
    );
    assert_eq!(
        (
            e["random_part"]["judged"].as_u64(),
            e["random_part"]["deviations"].as_u64()
        ),
        (Some(8), Some(0))
    );
}

#[test]
fn a_partial_import_leaves_the_decision_pending() {
    let t = tempfile::tempdir().unwrap();
    let out = z14_sample(t.path());
    let mut w = filled(&out, "false_positive", "no_error");
    // Keep only the first case's rows judged.
    let first = w.get(0, "case_id").to_owned();
    for r in 0..w.rows.len() {
        if w.get(r, "case_id") != first {
            w.set(r, "verdict", "");
        }
    }
    let file = out.join("v.csv");
    w.write(&file);
    import(&file, &t.path().join("h.sqlite"), &[]).assert_code(0);
    let e = evaluation(&out);
    assert_eq!(e["decision"], "pending");
    assert_eq!(e["sample"]["judged"], 1);
    assert_eq!(e["not_judged"].as_array().unwrap().len(), 19);
}

/// A bad file: refused with `msg`, nothing stored, no outputs written.
fn refused(out: &Path, w: &Table, msg: &str) {
    let file = out.join(format!("bad-{}.csv", msg.len()));
    w.write(&file);
    let history = out.join("h.sqlite");
    let r = import(&file, &history, &[]);
    r.assert_code(2);
    assert!(r.err().contains(msg), "want `{msg}` in:\n{}", r.stderr);
    assert_eq!(stored(&history), 0);
    assert!(!out.join("evaluation.json").exists());
    assert!(!out.join("findings.csv").exists());
}

#[test]
fn bad_verdict_files_are_refused_whole() {
    let t = tempfile::tempdir().unwrap();
    let out = z14_sample(t.path());
    let good = filled(&out, "confirmed", "no_error");
    let ids = selected(&out);
    let f = expected_findings("basic");
    let flagged_row = (0..good.rows.len())
        .find(|&r| !good.get(r, "rule_id").is_empty())
        .expect("a flagged case in the sample");
    let clean_row = (0..good.rows.len())
        .find(|&r| good.get(r, "rule_id").is_empty())
        .unwrap();

    // A case that is not in the sample.
    let outsider = crate::support::cases("basic")
        .into_iter()
        .map(|r| r["case_id"].clone())
        .find(|c| !ids.contains(c))
        .unwrap();
    let mut w = good.clone();
    w.set(clean_row, "case_id", &outsider);
    refused(&out, &w, &format!("case`{outsider}`isnotinsample"));

    // An unknown verdict.
    let mut w = good.clone();
    w.set(clean_row, "verdict", "probably fine");
    refused(&out, &w, "`probablyfine`isnotaverdict");

    // A duplicate verdict (the same finding twice).
    let mut w = good.clone();
    let dup = w.rows[flagged_row].clone();
    w.rows.push(dup);
    refused(&out, &w, "duplicateverdictforcase");

    // A new error without an error point.
    let mut w = good.clone();
    w.set(clean_row, "verdict", "new_error");
    refused(&out, &w, "isnotanerrorpoint1-14");

    // An error point out of range.
    let mut w = good.clone();
    w.set(clean_row, "verdict", "new_error");
    w.set(clean_row, "new_error_point", "15");
    refused(&out, &w, "`15`isnotanerrorpoint1-14");

    // A case judged in part: its finding rows empty, a new error on a row of its own.
    let mut w = good.clone();
    let case = w.get(flagged_row, "case_id").to_owned();
    for r in 0..w.rows.len() {
        if w.get(r, "case_id") == case {
            w.set(r, "verdict", "");
        }
    }
    let mut extra = w.rows[flagged_row].clone();
    let col = |n: &str| w.col(n);
    for c in [
        "rule_id",
        "checkpoint",
        "error_point",
        "severity",
        "operator",
        "message",
        "rule_source",
    ] {
        extra[col(c)] = String::new();
    }
    extra[col("verdict")] = "new_error".into();
    extra[col("new_error_point")] = "5".into();
    w.rows.push(extra);
    refused(&out, &w, &format!("case{case}isjudgedinpart"));

    // A rule that did not flag the case, no_error on a flagged case, confirmed on a clean row.
    let mut w = good.clone();
    w.set(flagged_row, "rule_id", "entry.not_a_rule_here");
    refused(&out, &w, "didnotflagcase");
    let mut w = good.clone();
    assert!(f.contains_key(&case));
    w.set(flagged_row, "verdict", "no_error");
    refused(&out, &w, "onafindingrow");
    let mut w = good.clone();
    w.set(clean_row, "verdict", "confirmed");
    refused(&out, &w, "needsafinding");

    // Another sample's workpaper.
    let mut w = good.clone();
    w.set(0, "sample_id", "0000000000000000");
    refused(&out, &w, "isanothersample");

    // Nothing judged.
    let mut w = good.clone();
    for r in 0..w.rows.len() {
        w.set(r, "verdict", "");
    }
    refused(&out, &w, "noverdicts");

    // A missing column.
    let mut w = good.clone();
    w.drop_column("verdict");
    refused(&out, &w, "lackscolumn(s)verdict");

    // An edited manifest is not trusted.
    let m = std::fs::read_to_string(out.join("manifest.json")).unwrap();
    std::fs::write(
        out.join("manifest.json"),
        m.replacen("\"seed\": 11", "\"seed\": 12", 1),
    )
    .unwrap();
    let file = out.join("ok.csv");
    good.write(&file);
    let r = import(&file, &out.join("h.sqlite"), &[]);
    r.assert_code(2);
    assert!(
        r.err().contains("hasbeeneditedsinceitwaswritten"),
        "{}",
        r.stderr
    );
    std::fs::write(out.join("manifest.json"), m).unwrap();

    // The outputs cannot be written (--out is a file): the import is rolled back.
    let blocker = out.join("blocker");
    std::fs::write(&blocker, "not a folder").unwrap();
    let r = import(
        &file,
        &out.join("h.sqlite"),
        &["--out", blocker.to_str().unwrap()],
    );
    r.assert_code(2);
    assert!(r.err().contains("rolledback"), "{}", r.stderr);
    assert_eq!(stored(&out.join("h.sqlite")), 0);

    // And the good file goes in.
    import(&file, &out.join("h.sqlite"), &[]).assert_code(i32::from(
        ids.iter().filter(|c| f.contains_key(*c)).count() >= 4,
    ));
    assert_eq!(stored(&out.join("h.sqlite")), good.rows.len() as i64);
}
