//! CSV injection: text from the data that a spreadsheet would run as a formula reaches the CSV
//! and JSONL outputs with a leading `'`; plain numbers stay; `--raw-csv` writes them as they
//! are (README "Guarantees").

use crate::util::{Table, check, copy_fixture};

const HYPERLINK: &str = "=HYPERLINK(\"http://x\",\"open\")";

/// `fixtures/basic` with hostile text in cases that have findings
/// (`fixtures/basic/expected_findings.csv`: `C2026100002 binding.bound_before_check`,
/// `C2026100007 controls.benefit_not_paid`, `C2026100014 entry.reports_not_reviewed`,
/// `C2026100018 review.sum_decrease_premium_not_lowered`).
fn hostile() -> tempfile::TempDir {
    let dir = copy_fixture("basic");
    let path = dir.path().join("cases.csv");
    let mut t = Table::read(&path);
    let row = |t: &Table, id: &str| {
        t.rows
            .iter()
            .position(|r| r[0] == id)
            .unwrap_or_else(|| panic!("{id} in fixtures/basic"))
    };
    let r2 = row(&t, "C2026100002");
    t.set(r2, "case_id", HYPERLINK);
    let r7 = row(&t, "C2026100007");
    t.set(r7, "case_id", "+1+1");
    let r14 = row(&t, "C2026100014");
    t.set(r14, "case_id", "@SUM(A1)");
    // Text fields are trimmed when read, so a tab-led value reaches the outputs through
    // data_findings.csv, which shows an unreadable value as it is in the file.
    t.set(r14, "received_at", "\tcmd");
    // A change type the QC sheet groups by.
    t.set(r14, "change_type", HYPERLINK);
    // An amount that is not a number: reported in data_findings.csv with its text.
    let r18 = row(&t, "C2026100018");
    t.set(r18, "premium_charged", "-2+3");
    // A negative premium against an expected 0.00: entry.premium_miscomputed, actual -37.50.
    let r1 = row(&t, "C2026100001");
    t.set(r1, "premium_charged", "-37.50");
    t.set(r1, "premium_expected", "0.00");
    t.write(&path);
    dir
}

/// Every cell of every output CSV.
fn cells(out: &std::path::Path, files: &[&str]) -> Vec<String> {
    files
        .iter()
        .flat_map(|f| {
            let t = Table::read(&out.join(f));
            t.header.into_iter().chain(t.rows.into_iter().flatten())
        })
        .collect()
}

/// Written by hand from OWASP's list, independent of the program's own test.
fn would_run(cell: &str) -> bool {
    cell.starts_with(['=', '+', '-', '@', '\t', '\r']) && cell.parse::<f64>().is_err()
}

const FILES: [&str; 3] = ["findings.csv", "qc_sheet.csv", "data_findings.csv"];

#[test]
fn formula_like_cells_are_neutralised_and_numbers_kept() {
    let data = hostile();
    let run = check(data.path(), &["--format", "csv,jsonl"]);
    assert!(matches!(run.code, 0 | 1), "{}", run.stderr);
    let all = cells(&run.out, &FILES);
    let bad: Vec<&String> = all.iter().filter(|c| would_run(c)).collect();
    assert!(bad.is_empty(), "cells a spreadsheet would run: {bad:?}");
    let findings = Table::read(&run.file("findings.csv"));
    let ids: Vec<&str> = findings.rows.iter().map(|r| r[0].as_str()).collect();
    for id in [HYPERLINK, "+1+1", "@SUM(A1)"] {
        assert!(
            ids.contains(&format!("'{id}").as_str()),
            "{id} in findings.csv, with a '"
        );
    }
    let qc = cells(&run.out, &["qc_sheet.csv"]);
    let data_findings = cells(&run.out, &["data_findings.csv"]);
    assert!(
        data_findings.contains(&"'\tcmd".to_owned()),
        "the tab-led timestamp in data_findings.csv, with a '"
    );
    assert!(
        qc.contains(&format!("'{HYPERLINK}")),
        "the change type in qc_sheet.csv"
    );
    assert!(
        data_findings.contains(&"'-2+3".to_owned()),
        "{data_findings:?}"
    );
    let premium = findings.find(&[
        ("case_id", "C2026100001"),
        ("rule_id", "entry.premium_miscomputed"),
    ]);
    assert_eq!(premium.len(), 1);
    assert_eq!(
        premium[0]["actual"], "-37.50",
        "a plain negative number stays"
    );
    // JSONL: the same neutralising.
    let jsonl = std::fs::read_to_string(run.file("findings.jsonl")).expect("jsonl");
    assert!(
        jsonl.contains("\"'=HYPERLINK"),
        "findings.jsonl neutralised"
    );
    assert!(!jsonl.contains("\"=HYPERLINK"));
}

#[test]
fn raw_csv_writes_the_values_as_they_are() {
    let data = hostile();
    let run = check(data.path(), &["--raw-csv"]);
    assert!(matches!(run.code, 0 | 1), "{}", run.stderr);
    let all = cells(&run.out, &FILES);
    for v in [HYPERLINK, "+1+1", "@SUM(A1)", "\tcmd", "-2+3", "-37.50"] {
        assert!(all.contains(&v.to_owned()), "{v:?} verbatim with --raw-csv");
    }
    assert!(!all.iter().any(|c| c.starts_with('\'')), "no ' added");
}
