//! Rates on a ten-case folder built here, small enough to count by hand.
//
// Every case fills only case_id, policy_no, branch, change_type, application_date,
// received_at, intake_operator, entry_operator and amount; every other field is empty. Of the
// default rule pack, that leaves five rules applicable to every case (each of the others
// needs a field that is empty here, a payout change type, or `present: [entered_at]` /
// `[bound_at]`, so it applies to none):
//
// | rule | responsible | fails here |
// |---|---|---|
// | intake.application_date_missing | intake_operator | never (every case has one) |
// | intake.application_after_receipt | intake_operator | never (all applied before receipt) |
// | intake.application_too_old (30 days) | intake_operator | C07 (2026-08-01 -> 2026-10-05: 65 days) |
// | intake.policy_no_format (`^P[0-9]{9}$`) | intake_operator | C02 `X1`, C06 `P12`, C07 `P7` |
// | controls.entry_authority (role entry) | entry_operator | C03, C06 (sum increase over 20,000.00 keyed at level 1), C08 (E9 is not on the roster) |
//
// The authority matrix has the sum_increase bands of fixtures/basic: up to 20,000.00 ->
// level 1, above -> level 2. address_change / beneficiary_change have no band, so no level
// is required (only the role). Roster: I1, I2 intake clerks; E1 entry level 1; E2 entry level 2.
//
// | case | change | amount | intake | entry | findings |
// |---|---|---|---|---|---|
// | C01 | address_change | 0.00 | I1 | E1 | - |
// | C02 | address_change | 0.00 | I1 | E1 | policy_no_format |
// | C03 | sum_increase | 50000.00 | I1 | E1 | entry_authority |
// | C04 | sum_increase | 15000.00 | I1 | E1 | - |
// | C05 | sum_increase | 50000.00 | I2 | E2 | - |
// | C06 | sum_increase | 25000.00 | I2 | E1 | policy_no_format, entry_authority |
// | C07 | address_change | 0.00 | I2 | E2 | policy_no_format, application_too_old |
// | C08 | address_change | 0.00 | I1 | E9 | entry_authority |
// | C09 | sum_increase | 20000.00 | I1 | E1 | - (band limit is inclusive) |
// | C10 | beneficiary_change | 0.00 | I2 | E2 | - |

use tempfile::TempDir;

use crate::util::{Run, Table, assert_rate, check, fixture};

/// (case, `policy_no`, `change_type`, amount, `application_date`, intake, entry)
#[rustfmt::skip]
const CASES: [(&str, &str, &str, &str, &str, &str, &str); 10] = [
    ("C01", "P000000001", "address_change", "0.00", "2026-10-01", "I1", "E1"),
    ("C02", "X1", "address_change", "0.00", "2026-10-01", "I1", "E1"),
    ("C03", "P000000003", "sum_increase", "50000.00", "2026-10-01", "I1", "E1"),
    ("C04", "P000000004", "sum_increase", "15000.00", "2026-10-01", "I1", "E1"),
    ("C05", "P000000005", "sum_increase", "50000.00", "2026-10-01", "I2", "E2"),
    ("C06", "P12", "sum_increase", "25000.00", "2026-10-01", "I2", "E1"),
    ("C07", "P7", "address_change", "0.00", "2026-08-01", "I2", "E2"),
    ("C08", "P000000008", "address_change", "0.00", "2026-10-01", "I1", "E9"),
    ("C09", "P000000009", "sum_increase", "20000.00", "2026-10-01", "I1", "E1"),
    ("C10", "P000000010", "beneficiary_change", "0.00", "2026-10-01", "I2", "E2"),
];

fn tiny_folder() -> TempDir {
    let tmp = tempfile::tempdir().expect("tempdir");
    // The full reference header, taken from fixtures/basic, so no column a rule needs is missing.
    let header = Table::read(&fixture("basic").join("cases.csv")).header;
    let mut cases = Table {
        rows: Vec::new(),
        header,
    };
    for (id, policy, change, amount, applied, intake, entry) in CASES {
        cases.rows.push(vec![String::new(); cases.header.len()]);
        let r = cases.rows.len() - 1;
        cases.set(r, "case_id", id);
        cases.set(r, "policy_no", policy);
        cases.set(r, "branch", "HQ");
        cases.set(r, "change_type", change);
        cases.set(r, "application_date", applied);
        cases.set(r, "received_at", "2026-10-05 10:00:00");
        cases.set(r, "intake_operator", intake);
        cases.set(r, "entry_operator", entry);
        cases.set(r, "amount", amount);
    }
    cases.write(&tmp.path().join("cases.csv"));
    std::fs::write(
        tmp.path().join("operators.csv"),
        "operator_id,name,team,roles,authority_level,active_from,active_to\n\
         I1,Intake One,HQ,intake;printing,1,2020-01-01,\n\
         I2,Intake Two,HQ,intake;printing,1,2020-01-01,\n\
         E1,Entry One,HQ,entry,1,2020-01-01,\n\
         E2,Entry Two,HQ,entry,2,2020-01-01,\n",
    )
    .expect("operators.csv");
    std::fs::write(
        tmp.path().join("authority.csv"),
        "change_type,up_to_amount,min_authority_level\n\
         sum_increase,20000.00,1\n\
         sum_increase,,2\n",
    )
    .expect("authority.csv");
    // The insurer's policy-number format (a setting; unset, its rule is not evaluated).
    std::fs::write(
        tmp.path().join("settings.yaml"),
        "policy_no_format: \"^P[0-9]{9}$\"\n",
    )
    .expect("settings.yaml");
    tmp
}

fn run_tiny() -> (Run, TempDir) {
    let dir = tiny_folder();
    let run = check(dir.path(), &[]);
    // Critical cases (entry_authority is critical): C03, C06, C08 = 3/10 = 0.30 > 0.02, and
    // defect rate 0.50 > 0.15: rules/thresholds.yaml is breached -> exit 1.
    run.assert_code(1);
    (run, dir)
}

#[test]
fn tiny_folder_findings_are_the_hand_counted_ones() {
    let (run, _dir) = run_tiny();
    let want: std::collections::BTreeSet<(String, String)> = [
        ("C02", "intake.policy_no_format"),
        ("C03", "controls.entry_authority"),
        ("C06", "controls.entry_authority"),
        ("C06", "intake.policy_no_format"),
        ("C07", "intake.application_too_old"),
        ("C07", "intake.policy_no_format"),
        ("C08", "controls.entry_authority"),
    ]
    .iter()
    .map(|(c, r)| ((*c).to_owned(), (*r).to_owned()))
    .collect();
    assert_eq!(run.finding_pairs(), want);
    assert_eq!(run.table("data_findings.csv").rows.len(), 0);
}

#[test]
fn case_defect_rate_is_cases_with_a_finding_over_cases_checked() {
    let (run, _dir) = run_tiny();
    let s = run.summary();
    assert_eq!(s["cases_read"], 10);
    assert_eq!(s["cases_accounted_for"], 10);
    // C02, C03, C06, C07, C08.
    assert_eq!(s["cases_with_findings"], 5);
    // 1 + 1 + 2 + 2 + 1.
    assert_eq!(s["findings"], 7);
    assert_rate(
        &s["case_defect_rate"].to_string(),
        5.0 / 10.0,
        "case_defect_rate",
    );
}

#[test]
fn rule_error_rate_is_failures_over_cases_the_rule_applies_to() {
    let (run, _dir) = run_tiny();
    let rates = run.table("rule_rates.csv");
    for (rule, applicable, failed) in [
        // entry_operator present on all 10; fails C03, C06, C08.
        ("controls.entry_authority", 10, 3),
        // policy_no present on all 10; fails C02, C06, C07.
        ("intake.policy_no_format", 10, 3),
        // applies when both dates are present: all 10; fails C07.
        ("intake.application_too_old", 10, 1),
        // needs present: [entered_at]; entered_at is empty everywhere.
        ("entry.effective_date_missing", 0, 0),
    ] {
        let row = &rates.find(&[("rule_id", rule)]);
        assert_eq!(row.len(), 1, "{rule}");
        let row = &row[0];
        assert_eq!(row["cases_applicable"], applicable.to_string(), "{rule}");
        assert_eq!(row["cases_failed"], failed.to_string(), "{rule}");
        let want = if applicable == 0 {
            0.0
        } else {
            f64::from(failed) / f64::from(applicable)
        };
        assert_rate(&row["error_rate"], want, rule);
    }
}

#[test]
fn operator_error_rate_is_findings_over_cases_worked_at_the_stage() {
    let (run, _dir) = run_tiny();
    let ops = run.table("operator_rates.csv");
    // (stage, operator, cases worked, findings, cases with findings)
    for (stage, op, worked, findings, with) in [
        // I2 took in C05, C06, C07, C10; findings of intake-responsible rules: C06 policy_no,
        // C07 policy_no + too_old = 3 findings on 2 cases.
        ("intake", "I2", 4, 3, 2),
        // I1: C01, C02, C03, C04, C08, C09; one finding (C02).
        ("intake", "I1", 6, 1, 1),
        // E1 keyed C01, C02, C03, C04, C06, C09; entry_authority failed C03 and C06.
        ("entry", "E1", 6, 2, 2),
        // E2: C05, C07, C10, no entry-stage finding.
        ("entry", "E2", 3, 0, 0),
        // E9 (not on the roster) keyed C08, which failed.
        ("entry", "E9", 1, 1, 1),
    ] {
        let row = ops.find(&[("stage", stage), ("operator", op)]);
        assert_eq!(row.len(), 1, "{stage} {op}: {:?}", ops.rows);
        let row = &row[0];
        assert_eq!(row["cases_worked"], worked.to_string(), "{stage} {op}");
        assert_eq!(row["findings"], findings.to_string(), "{stage} {op}");
        assert_eq!(row["cases_with_findings"], with.to_string(), "{stage} {op}");
        assert_rate(
            &row["error_rate"],
            f64::from(findings) / f64::from(worked),
            &format!("{stage} {op}"),
        );
    }
}

#[test]
fn qc_sheet_counts_per_checkpoint_rule_operator_and_change_type() {
    let (run, _dir) = run_tiny();
    let sheet = run.table("qc_sheet.csv");
    assert_eq!(
        sheet.header,
        [
            "checkpoint",
            "rule_id",
            "error_point",
            "severity",
            "operator",
            "change_type",
            "cases_checked",
            "cases_failed",
            "error_rate"
        ]
    );
    // (checkpoint, rule, error point, operator, change type, checked, failed)
    for (cp, rule, ep, op, change, checked, failed) in [
        // E1's sum increases: C03, C04, C06, C09; C03 and C06 over E1's level.
        (
            "entry",
            "controls.entry_authority",
            "4",
            "E1",
            "sum_increase",
            4,
            2,
        ),
        // E1's address changes: C01, C02; no band, E1 holds `entry`.
        (
            "entry",
            "controls.entry_authority",
            "4",
            "E1",
            "address_change",
            2,
            0,
        ),
        // E9's address change C08.
        (
            "entry",
            "controls.entry_authority",
            "4",
            "E9",
            "address_change",
            1,
            1,
        ),
        // I2's sum increases: C05 (ok), C06 (`P12`).
        (
            "intake",
            "intake.policy_no_format",
            "10",
            "I2",
            "sum_increase",
            2,
            1,
        ),
        // I2's address change: C07 (`P7`).
        (
            "intake",
            "intake.policy_no_format",
            "10",
            "I2",
            "address_change",
            1,
            1,
        ),
    ] {
        let rows = sheet.find(&[
            ("checkpoint", cp),
            ("rule_id", rule),
            ("operator", op),
            ("change_type", change),
        ]);
        assert_eq!(rows.len(), 1, "{rule} {op} {change}: {:?}", sheet.rows);
        let row = &rows[0];
        assert_eq!(row["error_point"], ep);
        assert_eq!(
            row["cases_checked"],
            checked.to_string(),
            "{rule} {op} {change}"
        );
        assert_eq!(
            row["cases_failed"],
            failed.to_string(),
            "{rule} {op} {change}"
        );
        assert_rate(
            &row["error_rate"],
            f64::from(failed) / f64::from(checked),
            &format!("{rule} {op} {change}"),
        );
    }
    // A rule that applied to no case has no row (entered_at is empty everywhere).
    assert!(
        sheet
            .find(&[("rule_id", "entry.effective_date_missing")])
            .is_empty()
    );
    // Every intake rule row sums to the 10 cases: each case has one intake operator.
    let total: u64 = sheet
        .find(&[("rule_id", "intake.policy_no_format")])
        .iter()
        .map(|r| r["cases_checked"].parse::<u64>().expect("count"))
        .sum();
    assert_eq!(total, 10);
}
