//! The library API (`policyqc::RulePack` and friends) on frames held in memory: planted errors
//! with hand-computed findings and rates, bad frames, an empty frame, determinism, a
//! hand-computable scorecard, and the two `examples/` programs (included as modules so they
//! cannot rot).

use polars::prelude::*;
use policyqc::{Checked, Month, MonthTables, RulePack, Settings};

#[path = "../../examples/check_frame.rs"]
#[allow(dead_code)]
mod check_frame;

#[path = "../../examples/scorecard.rs"]
#[allow(dead_code)]
mod scorecard_example;

/// The insurer's policy-number format: a P and nine digits.
const SETTINGS: &str = "policy_no_format: \"^P[0-9]{9}$\"\n";

fn pack() -> RulePack {
    let settings = Settings::from_yaml("settings.yaml", SETTINGS).expect("valid settings");
    RulePack::builtin(&settings).expect("the default pack loads")
}

/// Five cases with planted errors. With these columns the default pack evaluates four rules
/// (read from `rules/`):
/// - `intake.policy_no_format` (minor): `policy_no` must match the setting's format;
/// - `entry.premium_miscomputed` (critical): `premium_charged == premium_expected`;
/// - `entry.premium_sign_wrong` (critical): a sum increase collects (`>= 0`), a sum decrease
///   refunds (`<= 0`); other change types are not concerned;
/// - `double_check.four_eyes_entry` (critical): `entry_operator != checker`.
///
/// C1 is clean; C2 is a decrease that collected 50 (sign); C3 has a policy number `X123`
/// (format) and was keyed and checked by ben (four eyes); C4 collected 90 where the
/// calculator says 100 (miscomputed); C5 is an increase that refunded 10 (sign), keyed and
/// checked by ana (four eyes).
fn planted() -> DataFrame {
    df!(
        "case_id" => ["C1", "C2", "C3", "C4", "C5"],
        "change_type" => ["sum_increase", "sum_decrease", "address_change", "sum_increase", "sum_increase"],
        "policy_no" => ["P000000001", "P000000002", "X123", "P000000004", "P000000005"],
        "intake_operator" => ["ivy", "ivy", "ivy", "ivy", "ivy"],
        "entry_operator" => ["ana", "ana", "ben", "ben", "ana"],
        "checker" => ["carl", "carl", "ben", "carl", "ana"],
        "premium_charged" => [100.0, 50.0, 0.0, 90.0, -10.0],
        "premium_expected" => [100.0, 50.0, 0.0, 100.0, -10.0],
    )
    .unwrap()
}

/// The findings as sorted (case, rule) pairs.
fn pairs(checked: &Checked) -> Vec<(String, String)> {
    let f = checked.findings();
    let case = f.column("case_id").unwrap().str().unwrap().clone();
    let rule = f.column("rule_id").unwrap().str().unwrap().clone();
    let mut out: Vec<(String, String)> = case
        .iter()
        .zip(rule.iter())
        .map(|(c, r)| (c.unwrap().to_owned(), r.unwrap().to_owned()))
        .collect();
    out.sort();
    out
}

/// The error and every related problem as miette renders them (no colour).
fn shown(err: &policyqc::Error) -> String {
    let mut out = String::new();
    miette::GraphicalReportHandler::new_themed(miette::GraphicalTheme::unicode_nocolor())
        .render_report(&mut out, err)
        .unwrap();
    out
}

fn owned(v: &[(&str, &str)]) -> Vec<(String, String)> {
    v.iter()
        .map(|(a, b)| ((*a).to_owned(), (*b).to_owned()))
        .collect()
}

#[test]
fn planted_errors_give_the_hand_computed_findings_and_rates() {
    let checked = pack().check(&planted()).unwrap();
    assert_eq!(
        pairs(&checked),
        owned(&[
            ("C2", "entry.premium_sign_wrong"),
            ("C3", "double_check.four_eyes_entry"),
            ("C3", "intake.policy_no_format"),
            ("C4", "entry.premium_miscomputed"),
            ("C5", "double_check.four_eyes_entry"),
            ("C5", "entry.premium_sign_wrong"),
        ])
    );
    let rates = checked.rates();
    assert_eq!(rates.cases_checked, 5);
    assert_eq!(rates.cases_with_findings, 4);
    assert!((rates.defect_rate - 0.8).abs() < 1e-12);
    let by = |v: &[(String, u64)], k: &str| v.iter().find(|(n, _)| n == k).unwrap().1;
    // C3 at intake; C2, C4, C5 at entry; C3, C5 at double-check.
    assert_eq!(by(&rates.by_checkpoint, "intake"), 1);
    assert_eq!(by(&rates.by_checkpoint, "review"), 0);
    assert_eq!(by(&rates.by_checkpoint, "entry"), 3);
    assert_eq!(by(&rates.by_checkpoint, "double_check"), 2);
    // Critical: C2, C3, C4, C5; minor: C3 (the format).
    assert_eq!(by(&rates.by_severity, "critical"), 4);
    assert_eq!(by(&rates.by_severity, "major"), 0);
    assert_eq!(by(&rates.by_severity, "minor"), 1);
}

#[test]
fn rule_rates_count_the_cases_each_rule_applies_to() {
    let checked = pack().check(&planted()).unwrap();
    let rates = checked.rule_rates().unwrap();
    let ids = rates.column("rule_id").unwrap().str().unwrap().clone();
    let row = |id: &str| ids.iter().position(|r| r == Some(id)).unwrap();
    let applies = rates
        .column("cases_applicable")
        .unwrap()
        .u64()
        .unwrap()
        .clone();
    let failed = rates.column("cases_failed").unwrap().u64().unwrap().clone();
    // The sign rule concerns the four sum changes (not C3's address change); two fail.
    let sign = row("entry.premium_sign_wrong");
    assert_eq!((applies.get(sign), failed.get(sign)), (Some(4), Some(2)));
    let four_eyes = row("double_check.four_eyes_entry");
    assert_eq!(
        (applies.get(four_eyes), failed.get(four_eyes)),
        (Some(5), Some(2))
    );
}

#[test]
fn without_the_setting_its_rule_is_not_evaluated() {
    let pack = RulePack::builtin(&Settings::defaults()).unwrap();
    let checked = pack.check(&planted()).unwrap();
    let not = checked.not_evaluated();
    let (_, needs) = not
        .iter()
        .find(|(id, _)| *id == "intake.policy_no_format")
        .expect("policy_no_format not evaluated without its setting");
    assert!(needs.contains("policy_no_format"), "{needs}");
    assert!(
        !pairs(&checked)
            .iter()
            .any(|(_, r)| r == "intake.policy_no_format")
    );
}

#[test]
fn a_missing_required_column_is_an_error_naming_it() {
    let cases = df!("change_type" => ["sum_increase"], "premium_charged" => [1.0]).unwrap();
    let err = pack().check(&cases).unwrap_err();
    let text = err.to_string();
    assert!(text.contains("cases frame"), "{text}");
    assert!(text.contains("`case_id`"), "{text}");
    let code = miette::Diagnostic::code(&err).map(|c| c.to_string());
    assert_eq!(code.as_deref(), Some("input::missing_column"));
}

#[test]
fn a_roster_without_operator_id_is_an_error_naming_it() {
    let pack = pack();
    let checked = pack.check(&planted()).unwrap();
    let roster = df!("name" => ["Ana Lim"], "team" => ["servicing"]).unwrap();
    let tables = MonthTables {
        operators: &roster,
        findings: None,
        tasks: None,
    };
    let month: Month = "2026-10".parse().unwrap();
    let text = pack
        .scorecard(&checked, month, &tables)
        .unwrap_err()
        .to_string();
    assert!(text.contains("operators frame"), "{text}");
    assert!(text.contains("`operator_id`"), "{text}");
}

#[test]
fn an_unreadable_value_is_a_data_finding_at_its_row_and_column() {
    let cases = df!(
        "case_id" => ["C1", "C2"],
        "entered_at" => ["2026-10-05 10:00", "not a time"],
    )
    .unwrap();
    let checked = pack().check(&cases).unwrap();
    let data = checked.data_findings().unwrap();
    assert_eq!(data.height(), 1, "{data}");
    let get = |c: &str| data.column(c).unwrap().get(0).unwrap().to_string();
    assert_eq!(get("file"), "\"cases frame\"");
    // Row 2: the frame's second row (row 1 is its first).
    assert_eq!(get("row"), "2");
    assert_eq!(get("column"), "\"entered_at\"");
    assert_eq!(get("value"), "\"not a time\"");
}

#[test]
fn an_empty_frame_has_zero_cases_and_a_zero_rate() {
    let empty = df!(
        "case_id" => Vec::<String>::new(),
        "change_type" => Vec::<String>::new(),
        "entry_operator" => Vec::<String>::new(),
        "premium_charged" => Vec::<f64>::new(),
    )
    .unwrap();
    for frame in [empty, DataFrame::empty()] {
        let checked = pack().check(&frame).unwrap();
        let rates = checked.rates();
        assert_eq!(rates.cases_checked, 0);
        assert_eq!(rates.cases_with_findings, 0);
        assert!(rates.defect_rate == 0.0, "{}", rates.defect_rate);
        assert_eq!(checked.findings().height(), 0);
    }
}

#[test]
fn checking_the_same_frame_twice_gives_identical_findings() {
    let pack = pack();
    let a = pack.check(&planted()).unwrap();
    let b = pack.check(&planted()).unwrap();
    assert!(a.findings().height() > 0);
    assert!(a.findings().equals_missing(b.findings()));
    assert_eq!(a.rates(), b.rates());
    assert!(
        a.rule_rates()
            .unwrap()
            .equals_missing(&b.rule_rates().unwrap())
    );
}

#[test]
fn a_rule_folder_loads_and_its_problems_are_located() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path();
    std::fs::write(
        dir.join("entry.yaml"),
        "checkpoint: entry\nrules:\n  - id: entry.sign\n    title: Sign\n    error_point: 5\n    severity: critical\n    responsible: entry_operator\n    kind: expr\n    field: premium_charged\n    expr: premium_charged >= 0\n    message: \"premium {premium_charged}\"\n",
    )
    .unwrap();
    let pack = RulePack::from_dir(dir, &Settings::defaults()).unwrap();
    assert_eq!(pack.rule_ids(), ["entry.sign"]);
    // Only C5 (-10) is below zero.
    let checked = pack.check(&planted()).unwrap();
    assert_eq!(pairs(&checked), owned(&[("C5", "entry.sign")]));
    std::fs::write(
        dir.join("entry.yaml"),
        "checkpoint: entry\nrules:\n  - id: entry.sign\n    severty: critical\n",
    )
    .unwrap();
    let err = RulePack::from_dir(dir, &Settings::defaults()).unwrap_err();
    let shown = shown(&err);
    assert!(shown.contains("entry.yaml"), "{shown}");
    assert!(shown.contains("severty"), "{shown}");
}

#[test]
fn bad_settings_text_is_an_error_naming_the_key() {
    let err = Settings::from_yaml("settings.yaml", "policy_no_formt: \"x\"\n").unwrap_err();
    let shown = shown(&err);
    assert!(shown.contains("policy_no_formt"), "{shown}");
}

#[test]
fn the_scorecard_counts_each_operators_cases_and_errors() {
    let card = scorecard_example::scorecard().unwrap();
    let ops = card.operators();
    let operator = ops.column("operator").unwrap().str().unwrap().clone();
    let row = |id: &str| operator.iter().position(|o| o == Some(id)).unwrap();
    let int = |c: &str, r: usize| ops.column(c).unwrap().i64().unwrap().get(r);
    let float = |c: &str, r: usize| ops.column(c).unwrap().f64().unwrap().get(r);
    // Ana keyed C1 and C3 in October, ben C2; C3 (a decrease that collected 120) is ana's
    // one error, critical: 1 x 100 / 2 = 50 errors per 100 cases, ben 0.
    let (ana, ben) = (row("ana"), row("ben"));
    assert_eq!(ops.height(), 2);
    assert_eq!(int("cases_handled", ana), Some(2));
    assert_eq!(int("cases_entry", ana), Some(2));
    assert_eq!(int("errors", ana), Some(1));
    assert_eq!(int("findings_critical", ana), Some(1));
    assert_eq!(float("errors_per_100_cases", ana), Some(50.0));
    assert_eq!(int("cases_handled", ben), Some(1));
    assert_eq!(int("errors", ben), Some(0));
    assert_eq!(float("errors_per_100_cases", ben), Some(0.0));
    // The month's one error, against ana at entry, error point 5.
    let errors = card.errors();
    assert_eq!(errors.height(), 1);
    let text = |c: &str| errors.column(c).unwrap().get(0).unwrap().to_string();
    assert_eq!(text("case_id"), "\"C3\"");
    assert_eq!(text("operator"), "\"ana\"");
    assert_eq!(text("error_point"), "5");
}

#[test]
fn the_check_frame_example_finds_its_planted_error() {
    let checked = check_frame::check().unwrap();
    assert_eq!(
        pairs(&checked),
        owned(&[("C3", "entry.premium_sign_wrong")])
    );
    assert_eq!(checked.rates().cases_with_findings, 1);
}

#[test]
fn a_month_is_written_yyyy_mm() {
    assert!("2026-13".parse::<Month>().is_err());
    assert!("October".parse::<Month>().is_err());
    assert_eq!("2026-10".parse::<Month>().unwrap().to_string(), "2026-10");
}
