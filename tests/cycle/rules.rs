//! The time-limit rules (`cycle_time`, `duration` in working units) through `policyqc check`
//! and `policyqc validate`.

use std::collections::BTreeSet;

use crate::util::{cycle_rules, fixture, run, squash};

#[test]
fn time_limits_find_exactly_the_hand_computed_breaches() {
    let rules = cycle_rules();
    let r = run("check", &fixture("cycle"), &["--rules", rules.as_str()]);
    r.assert_code(0);
    let t = r.table("findings.csv");
    let got: BTreeSet<(String, String)> = t.pairs("case_id", "rule_id");
    // fixtures/cycle/README.md, "Time limits".
    let want: BTreeSet<(String, String)> = [
        ("C01", "printing.notice_late"),
        ("C02", "binding.cycle_late"),
        ("C03", "entry.entry_late_gross"),
        ("C05", "printing.notice_late"),
        ("C06", "entry.entry_late_gross"),
        ("C06", "printing.notice_late"),
        ("C08", "review.review_late"),
        ("C10", "intake.registration_late"),
        ("C12", "binding.cycle_late"),
    ]
    .iter()
    .map(|(c, r)| ((*c).to_owned(), (*r).to_owned()))
    .collect();
    assert_eq!(got, want);
    // Actual and expected say the measured working time and the limit.
    let c08 = &t.find(&[("case_id", "C08")])[0];
    // Mon 10:30 -> Tue 11:00 = 1.5 + 4.5 + 2 = 8 h = 8 / 7.5 = 1.07 working days
    assert_eq!(c08["actual"], "1.07 working days net of customer wait");
    assert_eq!(c08["expected"], "<= 1 working day");
    assert_eq!(c08["operator"], "OP02", "the reviewer is responsible");
    let c10 = &t.find(&[("case_id", "C10")])[0];
    assert_eq!(c10["actual"], "1.25 working hours");
    let c03 = &t.find(&[("case_id", "C03")])[0];
    // 09-28 11:30 -> 10-05 14:00 = 5 + 7.5 + 7.5 + 4 = 24 h = 3.2 days
    assert_eq!(c03["actual"], "3.2 working days");
    assert_eq!(
        c03["message"],
        "entry took 3.2 working days in all; the limit is <= 2 working days"
    );
    // Line 44 of the fixture (its first line is the yaml-language-server schema line).
    assert!(
        c03["rule_source"].ends_with("time_limits.yaml:44"),
        "{c03:?}"
    );
}

#[test]
fn the_fixture_rules_validate_and_the_kind_is_documented() {
    let out = assert_cmd::Command::cargo_bin("policyqc")
        .expect("binary")
        .arg("validate")
        .arg(fixture("cycle").join("rules"))
        .output()
        .expect("run");
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let out = assert_cmd::Command::cargo_bin("policyqc")
        .expect("binary")
        .args(["rules", "--kinds"])
        .output()
        .expect("run");
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(text.contains("### cycle_time"), "{text}");
    assert!(
        text.contains("`N working days` or `N working hours`"),
        "{text}"
    );
}

/// Writes one rule file and runs `policyqc validate` on its folder.
fn validate(rule_yaml: &str) -> (i32, String) {
    let dir = tempfile::tempdir().expect("tempdir");
    std::fs::write(dir.path().join("limits.yaml"), rule_yaml).expect("write");
    let out = assert_cmd::Command::cargo_bin("policyqc")
        .expect("binary")
        .arg("validate")
        .arg(dir.path())
        .env("NO_COLOR", "1")
        .output()
        .expect("run");
    (
        out.status.code().expect("code"),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

const HEAD: &str = "checkpoint: entry\nrules:\n  - id: entry.late\n    title: t\n    error_point: 4\n    severity: minor\n    responsible: entry_operator\n    message: m\n";

#[test]
fn bad_time_limits_are_reported_at_their_line() {
    // Line 9 onwards follow HEAD's eight lines.
    let (code, err) = validate(&format!(
        "{HEAD}    kind: cycle_time\n    from: reviewed_at\n    to: entered_at\n    max: 5 days\n    exclude: [customer_wiat, lunch]\n"
    ));
    assert_eq!(code, 2, "{err}");
    let err = squash(&err);
    // Calendar days are not working time.
    assert!(
        err.contains("`max`:a`cycle_time`limitisworkingtime,`5days`isnot"),
        "{err}"
    );
    assert!(err.contains("limits.yaml:12:10"), "{err}");
    // Unknown waits, each at its place, with a suggestion for the typo.
    assert!(
        err.contains("unknownwait`customer_wiat`in`exclude`"),
        "{err}"
    );
    assert!(err.contains("didyoumean`customer_wait`?"), "{err}");
    assert!(err.contains("limits.yaml:13:15"), "{err}");
    assert!(err.contains("unknownwait`lunch`"), "{err}");
    assert!(err.contains("3problem(s)found"), "{err}");
}

#[test]
fn a_time_limit_needs_a_limit_and_timestamp_fields() {
    let (code, err) = validate(&format!(
        "{HEAD}    kind: cycle_time\n    from: change_type\n    to: entered_at\n"
    ));
    assert_eq!(code, 2, "{err}");
    let err = squash(&err);
    assert!(
        err.contains("`change_type`istext;`cycle_time`takesdateanddatetimefields"),
        "{err}"
    );
    assert!(
        err.contains("a`cycle_time`ruleneeds`max`,`min`orboth"),
        "{err}"
    );
    let (code, err) = validate(&format!(
        "{HEAD}    kind: duration\n    from: reviewed_at\n    to: entered_at\n    max: 2 working weeks\n"
    ));
    assert_eq!(code, 2, "{err}");
    assert!(squash(&err).contains("unknownunit`workingweeks`"), "{err}");
    let (code, err) = validate(&format!(
        "{HEAD}    kind: duration\n    from: reviewed_at\n    to: entered_at\n    max: 1.5 working days\n"
    ));
    assert_eq!(code, 0, "working days may have decimals: {err}");
}
