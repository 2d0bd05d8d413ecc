//! Insurer settings (`settings.yaml`) and the rules that use them: values replace the
//! defaults, an unset setting leaves its rules not evaluated, and every problem in the file
//! is located with a did-you-mean.

use crate::support::{Scratch, assert_located, policyqc, position, rule};

/// A pattern rule whose format is the `policy_no_format` setting.
const FORMAT_RULE: &str = "kind: pattern\nfield: policy_no\nregex: { setting: policy_no_format }";

/// Three cases: `P1234` fits `^P[0-9]{4}$`, `X9` and `P12` do not.
const CASES: &str = "case_id,policy_no\nC1,P1234\nC2,X9\nC3,P12\n";

fn summary(s: &Scratch) -> serde_json::Value {
    let text = std::fs::read_to_string(s.path().join("out/summary.json")).expect("summary.json");
    serde_json::from_str(&text).expect("json")
}

#[test]
fn a_set_setting_is_used_by_the_rule() {
    let s = Scratch::new();
    s.rules(&[rule("s.format", FORMAT_RULE)]).cases(CASES);
    s.write("data/settings.yaml", "policy_no_format: \"^P[0-9]{4}$\"\n");
    let run = s.check_ok();
    run.assert_rule("s.format", &["C2", "C3"], 3);
    assert_eq!(summary(&s)["rules_not_evaluated"], serde_json::json!([]));
}

#[test]
fn an_unset_setting_leaves_the_rule_not_evaluated_and_flags_nothing() {
    let s = Scratch::new();
    s.rules(&[rule("s.format", FORMAT_RULE)]).cases(CASES);
    let run = s.check_ok();
    assert!(run.failed("s.format").is_empty());
    assert_eq!(
        summary(&s)["rules_not_evaluated"],
        serde_json::json!([{"rule_id": "s.format", "needs": ["setting policy_no_format unset"]}])
    );
    // `~` unsets a setting that has a default: the referral rule is not evaluated.
    let s = Scratch::new();
    s.rules(&[rule(
        "s.referral",
        "when:\n  change_type: { setting: referral.underwriting }\nkind: required\nfield: referral_dept",
    )])
    .cases("case_id,change_type,referral_dept\nC1,sum_increase,\nC2,address_change,\n");
    // Without a settings file the default (sum_increase, reinstatement) applies: C1 fails.
    s.check_ok().assert_rule("s.referral", &["C1"], 1);
    s.write("data/settings.yaml", "referral:\n  underwriting: ~\n");
    s.check_ok();
    assert_eq!(
        summary(&s)["rules_not_evaluated"][0]["needs"],
        serde_json::json!(["setting referral.underwriting unset"])
    );
    // And a value replaces the default: now address changes go to underwriting.
    s.write(
        "data/settings.yaml",
        "referral.underwriting: [address_change]\n",
    );
    s.check_ok().assert_rule("s.referral", &["C2"], 1);
}

#[test]
fn a_time_limit_setting_changes_the_limit() {
    let s = Scratch::new();
    s.rules(&[rule(
        "s.old",
        "kind: duration\nfrom: application_date\nto: received_at\nmax: { setting: time_limits.application_age }",
    )])
    // 40 and 20 days before receipt.
    .cases("case_id,application_date,received_at\nC1,2026-08-26,2026-10-05 10:00:00\nC2,2026-09-15,2026-10-05 10:00:00\n");
    // Default 30 days: C1 fails.
    s.check_ok().assert_rule("s.old", &["C1"], 2);
    s.write(
        "data/settings.yaml",
        "time_limits:\n  application_age: 45 days\n",
    );
    s.check_ok().assert_rule("s.old", &[], 2);
    s.write(
        "data/settings.yaml",
        "time_limits:\n  application_age: 10 days\n",
    );
    s.check_ok().assert_rule("s.old", &["C1", "C2"], 2);
}

/// `policyqc validate rules --settings settings.yaml` in the scratch folder.
fn validate_with(s: &Scratch, settings: &str) -> std::process::Output {
    s.write("settings.yaml", settings);
    policyqc()
        .current_dir(s.path())
        .args(["validate", "rules", "--settings", "settings.yaml"])
        .output()
        .expect("run policyqc")
}

#[test]
fn unknown_and_mistyped_settings_are_located_with_a_did_you_mean() {
    let s = Scratch::new();
    s.rules(&[rule("s.format", FORMAT_RULE)]);
    let text = "policy_no_fromat: \"^P\"\n";
    let out = validate_with(&s, text);
    let err = String::from_utf8_lossy(&out.stderr).into_owned();
    assert_eq!(out.status.code(), Some(2), "{err}");
    assert!(err.contains("unknown setting `policy_no_fromat`"), "{err}");
    assert!(err.contains("did you mean `policy_no_format`?"), "{err}");
    assert_located(&err, "settings.yaml", text, 1, 1);

    // Wrong types: a calendar-day limit where working time is required, a bad regex, a
    // change-type list that is a number, an unknown time zone; all four reported at once.
    let text = "time_limits:\n  review: 5 days\npolicy_no_format: \"^P[0-9\"\nreferral:\n  finance: 12\noffice_time_zone: Asia/Taipe\n";
    let out = validate_with(&s, text);
    let err = String::from_utf8_lossy(&out.stderr).into_owned();
    assert_eq!(out.status.code(), Some(2), "{err}");
    assert!(err.contains("4 problem(s)"), "{err}");
    let (line, col) = position(text, "5 days");
    assert_located(&err, "settings.yaml", text, line, col);
    assert!(err.contains("`5 days` is not working time"), "{err}");
    let (line, col) = position(text, "\"^P[0-9\"");
    assert_located(&err, "settings.yaml", text, line, col);
    assert!(err.contains("invalid regex"), "{err}");
    let (line, col) = position(text, "12");
    assert_located(&err, "settings.yaml", text, line, col);
    assert!(err.contains("did you mean `Asia/Taipei`?"), "{err}");

    // Valid: exit 0, and the rule that needs an unset setting is named.
    let out = validate_with(&s, "office_time_zone: Asia/Taipei\n");
    let stdout = String::from_utf8_lossy(&out.stdout).into_owned();
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(
        stdout.contains("1 rule not evaluated: setting policy_no_format unset: s.format"),
        "{stdout}"
    );
}

#[test]
fn a_rule_naming_an_unknown_setting_is_located_in_the_rule_file() {
    let s = Scratch::new();
    let body = "kind: pattern\nfield: policy_no\nregex: { setting: policy_number_format }";
    s.rules(&[rule("s.bad", body)]);
    let run = s.validate();
    assert_eq!(run.code(), 2, "{}", run.stderr());
    let err = run.stderr();
    assert!(
        err.contains("unknown setting `policy_number_format`"),
        "{err}"
    );
    assert!(err.contains("did you mean `policy_no_format`?"), "{err}");
    let text = std::fs::read_to_string(s.path().join("rules/entry.yaml")).expect("rules");
    let (line, col) = position(&text, "policy_number_format");
    assert_located(&err, "rules/entry.yaml", &text, line, col);
}

#[test]
fn a_bad_settings_file_in_the_data_folder_stops_check() {
    let s = Scratch::new();
    s.rules(&[rule("s.format", FORMAT_RULE)]).cases(CASES);
    s.write("data/settings.yaml", "policy_no_format: [a, b]\n");
    let run = s.check();
    assert_eq!(run.code(), 2, "{}", run.stderr());
    assert!(
        run.stderr()
            .contains("`policy_no_format` must be a regular expression"),
        "{}",
        run.stderr()
    );
    assert!(!s.path().join("out/findings.csv").exists());
}
