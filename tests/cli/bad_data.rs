//! Data the run must report (as data findings) or refuse (exit 2) with a message that names
//! the file, row, column or mapping at fault.

use std::path::Path;

use crate::util::{Table, check, copy_fixture, squash};

/// The header of findings.csv: the 12 columns of src/engine/findings.rs `COLUMNS`.
const FINDINGS_HEADER: &str = "case_id,rule_id,checkpoint,error_point,severity,operator,field,expected,actual,message,rule_source,row";

/// Rewrites `<dir>/cases.csv` through `edit`.
fn edit_cases(dir: &Path, edit: impl FnOnce(&mut Table)) {
    let path = dir.join("cases.csv");
    let mut t = Table::read(&path);
    edit(&mut t);
    t.write(&path);
}

#[test]
fn missing_column_leaves_its_rules_not_evaluated_and_strict_stops() {
    let dir = copy_fixture("basic");
    edit_cases(dir.path(), |t| t.drop_column("policy_no"));
    // The one rule reading policy_no (intake.policy_no_format) is not evaluated; the rest run.
    let run = check(dir.path(), &[]);
    assert!(run.code == 0 || run.code == 1, "{}", run.stderr);
    assert!(
        run.stdout
            .contains("1 rule not evaluated: no policy_no column: intake.policy_no_format"),
        "{}",
        run.stdout
    );
    let summary = run.summary();
    assert_eq!(
        summary["rules_not_evaluated"],
        serde_json::json!([{"rule_id": "intake.policy_no_format", "needs": ["no policy_no column"]}])
    );
    assert_eq!(
        summary["rules_evaluated"],
        summary["rule_count"].as_u64().unwrap() - 1
    );
    let pairs = run.finding_pairs();
    assert!(pairs.iter().all(|(_, r)| r != "intake.policy_no_format"));
    // Every other expected finding of fixtures/basic is still found.
    let want: std::collections::BTreeSet<(String, String)> = crate::util::expected_pairs("basic")
        .into_iter()
        .filter(|(_, r)| r != "intake.policy_no_format")
        .collect();
    assert_eq!(pairs, want);
    assert!(
        run.table("rule_rates.csv")
            .records()
            .iter()
            .all(|r| r["rule_id"] != "intake.policy_no_format"),
        "rates count only evaluated rules"
    );
    // --strict: exit 2 with the same list, nothing written.
    let strict = check(dir.path(), &["--strict"]);
    strict.assert_code(2);
    let err = strict.stderr_squashed();
    assert!(
        err.contains("1rule(s)notevaluatedand--strictisset")
            && err.contains("nopolicy_nocolumn:intake.policy_no_format"),
        "{}",
        strict.stderr
    );
    assert!(!strict.file("findings.csv").exists());
}

#[test]
fn missing_mapped_column_is_named_in_the_rules_not_evaluated() {
    let dir = copy_fixture("basic");
    edit_cases(dir.path(), |t| t.drop_column("policy_no"));
    let columns = dir.path().join("columns.yaml");
    // Line 2 maps policy_no to PolicyNumber, which the file does not have.
    std::fs::write(&columns, "cases:\n  policy_no: PolicyNumber\n").expect("columns.yaml");
    let run = check(dir.path(), &[]);
    assert!(run.code == 0 || run.code == 1, "{}", run.stderr);
    assert!(
        run.stdout.contains(
            "1 rule not evaluated: no `PolicyNumber` column (field policy_no): intake.policy_no_format"
        ),
        "{}",
        run.stdout
    );
}

#[test]
fn missing_case_id_column_still_stops_with_the_column_and_the_default_mapping() {
    let dir = copy_fixture("basic");
    edit_cases(dir.path(), |t| t.drop_column("case_id"));
    let run = check(dir.path(), &[]);
    run.assert_code(2);
    let err = run.stderr_squashed();
    // The column, the file, and where the name came from: there is no columns.yaml, so the
    // reference name of SCHEMA.md is used.
    assert!(err.contains("column`case_id`"), "{}", run.stderr);
    assert!(err.contains("cases.csv"), "{}", run.stderr);
    assert!(
        err.contains("no`cases.case_id`entryincolumns.yaml") && err.contains("referencename"),
        "the message should say the mapping is the default one:\n{}",
        run.stderr
    );
    assert!(!run.file("findings.csv").exists());
}

/// A copy of fixtures/demo with four values that cannot be read, in the first four data rows
/// (spreadsheet rows 2-5: the header is row 1). Returns the folder and, per bad value,
/// (row, `case_id`, column, value).
fn demo_with_bad_values() -> (
    tempfile::TempDir,
    Vec<(u64, String, &'static str, &'static str)>,
) {
    let dir = copy_fixture("demo");
    let bad = [
        ("application_date", "2026-13-45"), // no month 13
        ("amount", "12.345"),               // three decimals
        ("premium_before", "abc"),          // not a number
        ("received_at", "yesterday"),       // not a timestamp
    ];
    let mut want = Vec::new();
    edit_cases(dir.path(), |t| {
        for (i, (column, value)) in bad.iter().enumerate() {
            t.set(i, column, value);
            want.push((
                i as u64 + 2,
                t.get(i, "case_id").to_owned(),
                *column,
                *value,
            ));
        }
    });
    (dir, want)
}

#[test]
fn unreadable_values_are_data_findings_with_row_column_and_value() {
    let (dir, want) = demo_with_bad_values();
    let run = check(dir.path(), &[]);
    // demo exits 0 (its README), and the bad values do not change that: each becomes an
    // empty value; an empty application_date adds one `intake.application_date_missing`
    // (major; 1 of 2000 cases then, far from any threshold); an empty amount (an
    // address_change, no authority band), premium_before or received_at only makes the
    // rules that compare them skip that case. So at most 1 more case with a finding:
    // 76/2000 = 3.8% <= 15%, critical unchanged 13/2000 <= 2%.
    run.assert_code(0);
    let data = run.table("data_findings.csv");
    assert_eq!(
        data.header,
        [
            "file", "row", "table", "case_id", "field", "column", "value", "problem"
        ]
    );
    assert_eq!(data.rows.len(), want.len(), "{:?}", data.rows);
    for (row, case, column, value) in &want {
        let hits = data.find(&[("row", &row.to_string()), ("column", column)]);
        assert_eq!(hits.len(), 1, "row {row} {column}: {:?}", data.rows);
        let h = &hits[0];
        assert!(h["file"].ends_with("cases.csv"), "{h:?}");
        assert_eq!(h["table"], "cases");
        assert_eq!(&h["case_id"], case);
        assert_eq!(h["field"], *column);
        assert_eq!(h["value"], *value);
        assert!(!h["problem"].is_empty());
    }
    // Nothing dropped: every row is a case.
    assert_eq!(run.summary_u64("cases_read"), 2000);
    assert_eq!(run.summary_u64("cases_accounted_for"), 2000);
    assert_eq!(run.summary_u64("data_findings"), 4);
    // The unreadable date is read as empty, so the required-date rule catches it.
    let (_, case, _, _) = &want[0];
    assert!(run.finding_pairs().contains(&(
        case.clone(),
        String::from("intake.application_date_missing")
    )));
}

#[test]
fn strict_stops_at_unreadable_values_and_writes_nothing() {
    let (dir, _) = demo_with_bad_values();
    let run = check(dir.path(), &["--strict"]);
    run.assert_code(2);
    let err = run.stderr_squashed();
    assert!(err.contains("4datafinding(s)"), "{}", run.stderr);
    assert!(err.contains("--strict"), "{}", run.stderr);
    // The first bad value, sorted by file and row: row 2, application_date.
    assert!(
        err.contains("row2,column`application_date`:`2026-13-45`"),
        "{}",
        run.stderr
    );
    // It stops before writing anything: no output folder at all.
    assert!(!run.out.exists(), "the output folder was created");
}

#[test]
fn duplicate_case_ids_list_both_rows_and_count_both() {
    let dir = copy_fixture("basic");
    let mut id = String::new();
    // Data rows 1 and 2 = spreadsheet rows 3 and 4 get the same case id.
    edit_cases(dir.path(), |t| {
        id = t.get(1, "case_id").to_owned();
        t.set(2, "case_id", &id);
    });
    let run = check(dir.path(), &[]);
    let data = run.table("data_findings.csv");
    let dups = data.find(&[("case_id", &id), ("field", "case_id")]);
    let rows: Vec<&str> = dups.iter().map(|r| r["row"].as_str()).collect();
    assert_eq!(rows, ["3", "4"], "{:?}", data.rows);
    for d in &dups {
        assert!(d["problem"].contains("duplicate"), "{d:?}");
        assert_eq!(d["value"], id);
    }
    assert_eq!(data.rows.len(), 2, "{:?}", data.rows);
    // Both rows are checked and counted: still 300.
    assert_eq!(run.summary_u64("cases_read"), 300);
    assert_eq!(run.summary_u64("cases_accounted_for"), 300);
}

fn assert_no_cases(run: &crate::util::Run) {
    run.assert_code(0);
    assert_eq!(run.summary_u64("cases_read"), 0);
    assert_eq!(run.summary_u64("cases_accounted_for"), 0);
    let text = std::fs::read_to_string(run.file("findings.csv")).expect("findings.csv");
    assert_eq!(text.trim_end(), FINDINGS_HEADER);
    assert_eq!(run.table("alerts.csv").rows.len(), 0);
    let rate = &run.summary()["case_defect_rate"];
    assert_eq!(rate.as_f64(), Some(0.0), "0 cases: rate {rate}");
}

#[test]
fn empty_cases_file_is_zero_cases() {
    let dir = copy_fixture("basic");
    std::fs::write(dir.path().join("cases.csv"), b"").expect("empty");
    assert_no_cases(&check(dir.path(), &[]));
}

#[test]
fn header_only_cases_file_is_zero_cases() {
    let dir = copy_fixture("basic");
    edit_cases(dir.path(), |t| t.rows.clear());
    assert_eq!(
        std::fs::read_to_string(dir.path().join("cases.csv"))
            .expect("read")
            .lines()
            .count(),
        1
    );
    assert_no_cases(&check(dir.path(), &[]));
}

#[test]
fn non_utf8_cases_file_names_the_file_and_row() {
    let dir = copy_fixture("basic");
    let path = dir.path().join("cases.csv");
    let bytes = std::fs::read(&path).expect("read");
    let mut lines: Vec<Vec<u8>> = bytes.split(|b| *b == b'\n').map(<[u8]>::to_vec).collect();
    // Data row 3 is line index 3 (index 0 is the header) = spreadsheet row 4. Put 0xFF right
    // after the first comma: byte 13 of the line (`C2026100003,` is 12 bytes).
    let comma = lines[3].iter().position(|b| *b == b',').expect("comma");
    lines[3].insert(comma + 1, 0xFF);
    std::fs::write(&path, lines.join(&b'\n')).expect("write");
    let run = check(dir.path(), &[]);
    run.assert_code(2);
    let err = run.stderr_squashed();
    assert!(
        err.contains(&squash(&path.display().to_string())),
        "{}",
        run.stderr
    );
    assert!(err.contains("notUTF-8"), "{}", run.stderr);
    assert!(err.contains("row4,"), "{}", run.stderr);
    assert!(
        err.contains(&format!("byte{}", comma + 2)),
        "{}",
        run.stderr
    );
    assert!(!run.file("findings.csv").exists());
}

#[test]
fn folder_without_cases_file_is_an_error() {
    let dir = copy_fixture("basic");
    std::fs::remove_file(dir.path().join("cases.csv")).expect("rm");
    let run = check(dir.path(), &[]);
    run.assert_code(2);
    let err = run.stderr_squashed();
    assert!(err.contains("nocasesfile"), "{}", run.stderr);
    assert!(
        err.contains(&squash(&dir.path().display().to_string())),
        "{}",
        run.stderr
    );
    assert!(err.contains("cases.csv"), "{}", run.stderr);
    assert!(!run.file("findings.csv").exists());
}

#[test]
fn missing_data_folder_is_an_error() {
    let dir = tempfile::tempdir().expect("tempdir");
    let missing = dir.path().join("no-such-folder");
    let run = check(&missing, &[]);
    run.assert_code(2);
    let err = run.stderr_squashed();
    assert!(
        err.contains(&squash(&missing.display().to_string())),
        "{}",
        run.stderr
    );
    assert!(err.contains("isnotafolder"), "{}", run.stderr);
    assert!(!run.file("findings.csv").exists());
}
