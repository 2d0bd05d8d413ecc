//! The two fixture folders against their designed expected findings, determinism across
//! thread counts, and the extra output formats.

use std::collections::BTreeSet;

use crate::util::{
    Table, assert_rate, check, check_env, expected_pairs, fixture, repo, rule_severities,
};

/// `fixtures/basic/cases.csv` has 300 data rows (fixtures/basic/README.md: "300 cases").
const BASIC_CASES: u64 = 300;
/// `fixtures/demo/cases.csv` has 2000 data rows (fixtures/demo/README.md: "2000 cases").
const DEMO_CASES: u64 = 2000;

#[test]
fn basic_findings_equal_expected_findings() {
    let run = check(&fixture("basic"), &[]);
    // README: dense with errors on purpose, the thresholds are breached -> exit 1.
    run.assert_code(1);
    let got = run.finding_pairs();
    let want = expected_pairs("basic");
    let extra: Vec<_> = got.difference(&want).collect();
    let missed: Vec<_> = want.difference(&got).collect();
    assert!(
        extra.is_empty() && missed.is_empty(),
        "findings differ from fixtures/basic/expected_findings.csv\nunexpected: {extra:?}\nmissing: {missed:?}"
    );
    // One row per (case, rule): no pair appears twice.
    assert_eq!(run.table("findings.csv").rows.len(), want.len());
}

#[test]
fn basic_alerts_list_the_breached_thresholds() {
    let run = check(&fixture("basic"), &[]);
    run.assert_code(1);

    // Computed from the fixture, not from the program: the cases with any expected finding,
    // and those with a finding of a rule whose YAML says `severity: critical`.
    let sev = rule_severities();
    let want = expected_pairs("basic");
    let defective: BTreeSet<&String> = want.iter().map(|(c, _)| c).collect();
    let critical: BTreeSet<&String> = want
        .iter()
        .filter(|(_, r)| sev.get(r).map(String::as_str) == Some("critical"))
        .map(|(c, _)| c)
        .collect();
    // README: 82 cases with planted errors.
    assert_eq!(defective.len(), 82);
    let n = BASIC_CASES as f64;
    let defect_rate = defective.len() as f64 / n;
    let critical_rate = critical.len() as f64 / n;
    // rules/thresholds.yaml: "critical findings" max 0.02, "overall defect rate" max 0.15;
    // both are breached here. "rule out of control" (rule_error_rate max 0.10, min_cases 50)
    // is not: README "No rule with 50+ applicable cases fails more than 10% of them here".
    assert!(critical_rate > 0.02 && defect_rate > 0.15);

    let alerts = run.table("alerts.csv");
    assert_eq!(
        alerts.header,
        ["threshold", "metric", "subject", "value", "max", "cases"]
    );
    let names: BTreeSet<&str> = alerts.rows.iter().map(|r| r[0].as_str()).collect();
    assert_eq!(
        names,
        BTreeSet::from(["critical findings", "overall defect rate"]),
        "{:?}",
        alerts.rows
    );
    assert_eq!(alerts.rows.len(), 2);
    for (name, max, rate) in [
        ("critical findings", 0.02, critical_rate),
        ("overall defect rate", 0.15, defect_rate),
    ] {
        let row = &alerts.find(&[("threshold", name)])[0];
        assert_eq!(row["metric"], "case_defect_rate");
        assert_eq!(row["cases"], BASIC_CASES.to_string());
        assert_rate(&row["value"], rate, name);
        assert_rate(&row["max"], max, name);
    }

    let s = run.summary();
    assert_eq!(s["cases_read"], BASIC_CASES);
    assert_eq!(s["cases_accounted_for"], BASIC_CASES);
    assert_eq!(s["cases_with_findings"], defective.len() as u64);
    assert_eq!(s["findings"], want.len() as u64);
    assert_eq!(s["alerts"].as_array().map(Vec::len), Some(2));
}

#[test]
fn basic_finding_rows_are_complete_and_point_at_their_rule_and_case() {
    let run = check(&fixture("basic"), &[]);
    run.assert_code(1);
    let findings = run.table("findings.csv");
    assert_eq!(
        findings.header,
        [
            "case_id",
            "rule_id",
            "checkpoint",
            "error_point",
            "severity",
            "operator",
            "field",
            "expected",
            "actual",
            "message",
            "rule_source",
            "row"
        ]
    );
    assert!(!findings.rows.is_empty());
    let cases_text = std::fs::read_to_string(fixture("basic").join("cases.csv")).expect("cases");
    // Spreadsheet numbering: line 1 is the header, so row N is lines[N - 1].
    let lines: Vec<&str> = cases_text.lines().collect();
    let sev = rule_severities();
    for f in findings.records() {
        for (col, v) in &f {
            if col != "operator" {
                assert!(!v.is_empty(), "empty `{col}` in finding {f:?}");
            }
        }
        // rule_source: `rules/<file>.yaml:<line>`, and that line really opens the rule.
        let src = &f["rule_source"];
        let (file, line) = src
            .rsplit_once(':')
            .unwrap_or_else(|| panic!("rule_source `{src}` has no `:line`"));
        assert!(
            file.starts_with("rules/")
                && std::path::Path::new(file)
                    .extension()
                    .is_some_and(|e| e == "yaml")
                && !file[6..].contains('/'),
            "rule_source `{src}` is not rules/<file>.yaml:<line>"
        );
        let line: usize = line
            .parse()
            .unwrap_or_else(|_| panic!("rule_source `{src}`: line is not a number"));
        let text = std::fs::read_to_string(repo().join(file))
            .unwrap_or_else(|e| panic!("rule_source `{src}`: {e}"));
        let at = text.lines().nth(line - 1).unwrap_or_default();
        assert_eq!(
            at.trim(),
            format!("- id: {}", f["rule_id"]),
            "rule_source `{src}` does not point at the rule's id line"
        );
        // severity matches the rule's YAML; error_point is one of EP1..EP14.
        assert_eq!(Some(&f["severity"]), sev.get(&f["rule_id"]), "{f:?}");
        let ep: u32 = f["error_point"].parse().expect("error_point is a number");
        assert!((1..=14).contains(&ep), "{f:?}");
        // row: the case's row in cases.csv.
        let row: usize = f["row"].parse().expect("row is a number");
        assert!(row >= 2, "{f:?}");
        assert!(
            lines[row - 1].starts_with(&format!("{},", f["case_id"])),
            "row {row} of cases.csv is not case {}",
            f["case_id"]
        );
    }
}

#[test]
fn demo_findings_equal_expected_and_every_case_is_accounted_for() {
    let run = check(&fixture("demo"), &[]);
    // demo/README.md: the error rates stay inside rules/thresholds.yaml -> exit 0.
    run.assert_code(0);
    let got = run.finding_pairs();
    let want = expected_pairs("demo");
    let extra: Vec<_> = got.difference(&want).collect();
    let missed: Vec<_> = want.difference(&got).collect();
    assert!(
        extra.is_empty() && missed.is_empty(),
        "findings differ from fixtures/demo/expected_findings.csv\nunexpected: {extra:?}\nmissing: {missed:?}"
    );
    assert_eq!(run.summary_u64("cases_read"), DEMO_CASES);
    assert_eq!(run.summary_u64("cases_accounted_for"), DEMO_CASES);
    assert_eq!(run.table("alerts.csv").rows.len(), 0);
    assert_eq!(run.table("data_findings.csv").rows.len(), 0);
}

#[test]
fn outputs_are_byte_identical_whatever_the_thread_count() {
    let formats = ["--format", "csv,parquet,jsonl"];
    let one = check_env(
        &fixture("basic"),
        &formats,
        &[("POLARS_MAX_THREADS", "1"), ("RAYON_NUM_THREADS", "1")],
    );
    let two = check_env(
        &fixture("basic"),
        &formats,
        &[("POLARS_MAX_THREADS", "2"), ("RAYON_NUM_THREADS", "2")],
    );
    one.assert_code(1);
    two.assert_code(1);
    let list = |dir: &std::path::Path| -> Vec<String> {
        let mut v: Vec<String> = std::fs::read_dir(dir)
            .expect("out dir")
            .map(|e| e.expect("entry").file_name().to_string_lossy().into_owned())
            .collect();
        v.sort();
        v
    };
    let files = list(&one.out);
    assert_eq!(files, list(&two.out));
    // 6 tables x 3 formats + summary.json + report.html (whose bytes are compared too) + the
    // output folder's marker.
    assert_eq!(files.len(), 21, "{files:?}");
    for f in &files {
        let a = std::fs::read(one.file(f)).expect("read");
        let b = std::fs::read(two.file(f)).expect("read");
        assert!(a == b, "{f} differs between 1 and 2 threads");
    }
}

#[test]
fn extra_formats_write_parquet_and_one_jsonl_line_per_finding() {
    let run = check(&fixture("basic"), &["--format", "csv,parquet,jsonl"]);
    run.assert_code(1);
    let want = expected_pairs("basic");
    for table in [
        "findings",
        "qc_sheet",
        "rule_rates",
        "operator_rates",
        "data_findings",
        "alerts",
    ] {
        for ext in ["csv", "parquet", "jsonl"] {
            assert!(
                run.file(&format!("{table}.{ext}")).is_file(),
                "{table}.{ext} not written"
            );
        }
    }
    // Parquet: the magic `PAR1` opens and closes the file.
    let pq = std::fs::read(run.file("findings.parquet")).expect("findings.parquet");
    assert!(pq.len() > 8 && pq.starts_with(b"PAR1") && pq.ends_with(b"PAR1"));

    let text = std::fs::read_to_string(run.file("findings.jsonl")).expect("findings.jsonl");
    let lines: Vec<&str> = text.lines().collect();
    assert_eq!(lines.len(), want.len(), "one line per expected finding");
    let mut pairs = BTreeSet::new();
    for l in lines {
        let v: serde_json::Value = serde_json::from_str(l).expect("each line is one JSON object");
        let o = v.as_object().expect("an object");
        assert_eq!(o.len(), 12, "12 columns: {l}");
        pairs.insert((
            o["case_id"].as_str().expect("case_id").to_owned(),
            o["rule_id"].as_str().expect("rule_id").to_owned(),
        ));
    }
    assert_eq!(pairs, want);
    // The CSV next to it says the same.
    assert_eq!(
        Table::read(&run.file("findings.csv")).rows.len(),
        want.len()
    );
}
