//! Attribution rules on edited copies of the fixture: misses need a passed double-check,
//! catches by task and by finding count once, findings of the same case and error point
//! merge, months, unattributed errors. Base values: fixtures/scorecard/README.md.

use std::path::Path;

use crate::util::{Run, append, copy_fixture, edit, edit_line, fixture_config, scorecard};

fn run(dir: &Path) -> Run {
    let cfg = fixture_config();
    let r = scorecard(
        dir,
        "2026-10",
        &["--config", cfg.to_str().unwrap(), "--no-history"],
    );
    r.assert_code(0);
    r
}

#[test]
fn an_error_on_a_case_never_double_checked_is_no_miss() {
    let d = copy_fixture();
    // C04 (EP6 minor, a miss of A04) loses its double-check: checker and checked_at empty.
    edit_line(
        d.path(),
        "cases.csv",
        "C2026100004",
        ",2026-10-06 15:00:00,",
        ",,",
    );
    edit_line(
        d.path(),
        "cases.csv",
        "C2026100004",
        ",A03,A04,A05,",
        ",A03,,A05,",
    );
    let r = run(d.path());
    let t = r.table("scorecard.csv");
    // A04: 9 - 1 = 8 cases checked, misses 3 - 1 = 2 (C02, C08), catches still 2.
    assert_eq!(t.get("operator", "A04", "cases_checked"), "8");
    assert_eq!(t.get("operator", "A04", "misses"), "2");
    assert_eq!(t.get("operator", "A04", "catches"), "2");
    // A03 keeps the EP6 error: a miss is on top of the origin error, never instead of it.
    assert_eq!(t.get("operator", "A03", "findings_minor"), "1");
    // Binding without a check is a rule finding (binding.bound_without_check, EP8 critical, A05).
    assert_eq!(t.get("operator", "A05", "findings_critical"), "1");
    let e = r.table("scorecard_errors.csv");
    let c04: Vec<_> = e
        .rows
        .iter()
        .filter(|x| x["case_id"] == "C2026100004")
        .collect();
    assert_eq!(c04.len(), 2, "EP6 and EP8 on C04");
    assert!(c04.iter().all(|x| x["checker_outcome"].is_empty()));
}

#[test]
fn a_returned_task_and_a_finding_of_the_same_catch_count_once() {
    // With both (the fixture): A04 has 2 catches (C03 task + finding, C06 task).
    // Without the C03 finding: still 2 (the returned task), and the EP3 error is gone.
    let d = copy_fixture();
    edit(
        d.path(),
        "findings.csv",
        "C2026100003,review,3,major,A04,2026-10-06 14:00:00,double_check,premium after keyed wrongly; returned to review\n",
        "",
    );
    let r = run(d.path());
    let t = r.table("scorecard.csv");
    assert_eq!(t.get("operator", "A04", "catches"), "2");
    assert_eq!(t.get("operator", "A02", "findings_major"), "0");
    // Without the C03 returned task (the double-check done once): the finding alone, 2 catches.
    let d = copy_fixture();
    edit(
        d.path(),
        "tasks.csv",
        "C2026100003,double_check,A04,2026-10-06 11:30:00,2026-10-06 13:30:00,2026-10-06 14:00:00,returned\n",
        "",
    );
    let r = run(d.path());
    let t = r.table("scorecard.csv");
    assert_eq!(t.get("operator", "A04", "catches"), "2");
    assert_eq!(t.get("operator", "A02", "findings_major"), "1");
    // A02's rework from C03 is gone with the returned task.
    assert_eq!(t.get("operator", "A02", "rework_caused"), "0");
}

#[test]
fn a_double_check_finding_without_found_by_is_the_case_checkers_catch() {
    let d = copy_fixture();
    edit(
        d.path(),
        "findings.csv",
        ",critical,B04,2026-10-12 14:45:00,",
        ",critical,,2026-10-12 14:45:00,",
    );
    let r = run(d.path());
    assert_eq!(
        r.table("scorecard.csv").get("operator", "B04", "catches"),
        "1"
    );
}

#[test]
fn findings_of_the_same_case_and_error_point_are_one_error() {
    let d = copy_fixture();
    // Two identical spot-check rows of C04 EP6, major: with the rule finding (minor) they are one
    // error, whose severity is the most severe source's.
    let row = "C2026100004,entry,6,major,Q01,2026-10-24 10:00:00,spot_check,effective date wrong\n";
    append(d.path(), "findings.csv", &format!("{row}{row}"));
    let r = run(d.path());
    let e = r.table("scorecard_errors.csv");
    assert_eq!(e.rows.len(), 9, "still nine errors in October");
    assert_eq!(
        e.get("case_id", "C2026100004", "sources"),
        "rule; spot_check"
    );
    assert_eq!(e.get("case_id", "C2026100004", "severity"), "major");
    assert_eq!(
        e.get("case_id", "C2026100004", "rule_ids"),
        "entry.effective_date_too_late"
    );
    let t = r.table("scorecard.csv");
    // A03: critical 1 (C02), major 1 (C04, was minor), minor 0.
    assert_eq!(t.get("operator", "A03", "findings_major"), "1");
    assert_eq!(t.get("operator", "A03", "findings_minor"), "0");
    assert_eq!(
        t.get("operator", "A04", "misses"),
        "3",
        "still one miss for C04"
    );
}

#[test]
fn an_error_whose_stage_names_nobody_is_unattributed_not_dropped() {
    let d = copy_fixture();
    // C05's printer (B01) removed: printing.notice_late still fires, attributed to no one.
    edit_line(d.path(), "cases.csv", "C2026100005", ",A05,B01,", ",A05,,");
    let r = run(d.path());
    let e = r.table("scorecard_errors.csv");
    assert_eq!(e.rows.len(), 9);
    assert_eq!(e.get("case_id", "C2026100005", "operator"), "");
    let json: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(r.file("scorecard.json")).unwrap()).unwrap();
    assert_eq!(json["unattributed_errors"], 1);
    let t = r.table("scorecard.csv");
    assert_eq!(t.get("operator", "B01", "findings_minor"), "0");
    assert_eq!(
        t.get("operator", "B01", "cases_printing"),
        "8",
        "C05 printed by no one named"
    );
    assert!(r.stdout.contains("1 error(s) could not be attributed"));
}

#[test]
fn november_holds_what_october_left_out() {
    // C10's entry (B03, EP5 critical) and B04's miss on it are November's.
    let cfg = fixture_config();
    let r = scorecard(
        &crate::util::fixture(),
        "2026-11",
        &["--config", cfg.to_str().unwrap(), "--no-history"],
    );
    r.assert_code(0);
    let t = r.table("scorecard.csv");
    assert_eq!(t.get("operator", "B03", "findings_critical"), "1");
    assert_eq!(t.get("operator", "B03", "cases_handled"), "1");
    assert_eq!(t.get("operator", "B04", "misses"), "1");
    assert_eq!(t.get("operator", "B04", "catches"), "0");
    assert_eq!(t.get("operator", "A01", "cases_printing"), "1");
    assert_eq!(r.table("scorecard_errors.csv").rows.len(), 1);
}
