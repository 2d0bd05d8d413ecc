//! Bad rows of people's findings: reported one per problem with file, row and column, left
//! out of the scorecard; good rows beside them still count; `--strict` stops.

use crate::util::{append, copy_fixture, edit_line, fixture_config, scorecard};

const BAD: &str = "\
C9999999999,entry,5,critical,Q01,2026-10-20 10:00:00,audit,unknown case
C2026100011,entry,15,major,Q01,2026-10-20 10:00:00,audit,no such error point
C2026100011,entry,seven,major,Q01,2026-10-20 10:00:00,audit,not a number
C2026100011,entry,4,severe,Q01,2026-10-20 10:00:00,audit,bad severity
C2026100011,entry,4,major,Q01,2026-10-20 10:00:00,email,bad source
C2026100011,lunch,4,major,Q01,2026-10-20 10:00:00,audit,bad stage
C2026100011,,10,minor,Q01,2026-10-20 10:00:00,audit,any-stage point without a stage
C2026100011,entry,4,major,Z77,2026-10-20 10:00:00,audit,unknown finder
,entry,4,major,Q01,2026-10-20 10:00:00,audit,no case
C2026100016,printing,11,minor,Q01,2026-10-20 10:00:00,finished_product_check,nobody printed it
C2026100011,Entry,4, Major ,Q01,2026-13-45 10:00:00,Spot_Check,good row with an unreadable date
";

#[test]
fn bad_rows_are_reported_with_file_row_and_column() {
    let d = copy_fixture();
    append(d.path(), "findings.csv", BAD);
    // C16's printer removed, so its printing stage names no one.
    edit_line(d.path(), "cases.csv", "C2026100016", ",B05,A01,", ",B05,,");
    let cfg = fixture_config();
    let r = scorecard(
        d.path(),
        "2026-10",
        &["--config", cfg.to_str().unwrap(), "--no-history"],
    );
    r.assert_code(0);
    let t = r.table("data_findings.csv");
    let got: Vec<(String, String, String)> = t
        .rows
        .iter()
        .map(|x| (x["row"].clone(), x["column"].clone(), x["problem"].clone()))
        .collect();
    // The fixture's findings.csv has 6 rows (file rows 2-7); the bad ones are rows 8-18.
    let want: Vec<(&str, &str, &str)> = vec![
        (
            "8",
            "case_id",
            "case `C9999999999` is not in the cases file",
        ),
        (
            "9",
            "error_point",
            "error point 15 is not one of the fourteen error points (1-14)",
        ),
        (
            "10",
            "error_point",
            "error_point is not a whole number from 1 to 14",
        ),
        (
            "11",
            "severity",
            "severity `severe` is not critical, major or minor",
        ),
        (
            "12",
            "source",
            "source `email` is not one of double_check, spot_check, finished_product_check, audit",
        ),
        (
            "13",
            "stage",
            "stage `lunch` is not one of intake, review, entry, double_check, binding, printing",
        ),
        (
            "14",
            "stage",
            "stage is empty, and this error point (10 or 13) can happen at any stage",
        ),
        (
            "15",
            "found_by",
            "found_by `Z77` is not on the operator roster",
        ),
        ("16", "case_id", "case_id is empty"),
        ("17", "stage", "the case names no operator for this stage"),
        ("18", "found_at", "not a timestamp"),
    ];
    assert_eq!(
        got.len(),
        want.len(),
        "one data finding per problem: {got:#?}"
    );
    for ((row, column, problem), (wr, wc, wp)) in got.iter().zip(&want) {
        assert_eq!((row.as_str(), column.as_str()), (*wr, *wc), "{problem}");
        assert!(problem.contains(wp), "row {row}: `{problem}` lacks `{wp}`");
    }
    for x in &t.rows {
        assert!(x["file"].ends_with("findings.csv"), "{}", x["file"]);
        assert_eq!(x["table"], "findings");
        if x["row"] != "18" {
            assert!(
                x["problem"].ends_with("the row is left out"),
                "{}",
                x["problem"]
            );
        }
    }
    assert_eq!(t.get("row", "10", "value"), "seven");
    assert_eq!(t.get("row", "11", "value"), "severe");
    // Row 18 is kept (case, stage, severity and source read case-insensitively): an EP4 major
    // error of B03 on C11, on top of the fixture's EP4 critical (C12) and EP14 minor (C13).
    let s = r.table("scorecard.csv");
    assert_eq!(s.get("operator", "B03", "findings_major"), "1");
    assert_eq!(s.get("operator", "B03", "findings_critical"), "1");
    let json: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(r.file("scorecard.json")).unwrap()).unwrap();
    assert_eq!(json["people_findings_rows"], 17);
    assert_eq!(json["people_findings_left_out"], 10);
    assert!(r.stdout.contains("data finding(s)"));
}

#[test]
fn strict_stops_on_a_bad_row() {
    let d = copy_fixture();
    append(
        d.path(),
        "findings.csv",
        "C9999999999,entry,5,critical,Q01,,audit,unknown case\n",
    );
    let cfg = fixture_config();
    let r = scorecard(
        d.path(),
        "2026-10",
        &["--config", cfg.to_str().unwrap(), "--strict"],
    );
    r.assert_code(2);
    let e = r.stderr_squashed();
    assert!(e.contains("--strictisset"), "{}", r.stderr);
    assert!(e.contains("findings.csvrow8"), "{}", r.stderr);
    assert!(!r.out.join("scorecard.csv").exists(), "nothing written");
    assert!(
        !r.history.exists() || {
            let h = policyqc::history::History::open(&r.history).unwrap();
            policyqc::history::scorecard::periods(&h)
                .unwrap()
                .is_empty()
        }
    );
}
