//! Each rule kind on a small data folder: which cases fail, which pass, which are not
//! applicable (counted in neither `cases_applicable` nor `cases_failed`), and what the
//! failing case's `field`, `expected` and `actual` columns say.

use crate::support::{Scratch, rule};

#[test]
fn required_fails_empty_fields_and_skips_cases_outside_when() {
    let s = Scratch::new();
    s.cases(
        "case_id,effective_date,application_date,entered_at
         R1,2026-10-05,2026-10-01,2026-10-05 10:00:00
         R2,,2026-10-01,2026-10-05 10:00:00
         R3,,,2026-10-05 10:00:00
         R4,,,",
    )
    .rules(&[
        rule(
            "req.one",
            "when: { present: [entered_at] }\nkind: required\nfield: effective_date",
        ),
        rule(
            "req.two",
            "kind: required\nfields: [effective_date, application_date]",
        ),
    ]);
    let run = s.check_ok();
    // R4 was never keyed: `when` does not hold, so it is not applicable.
    run.assert_rule("req.one", &["R2", "R3"], 3);
    // No `when`: every case is judged.
    run.assert_rule("req.two", &["R2", "R3", "R4"], 4);

    let f = run.finding("R2", "req.one");
    assert_eq!(f["field"], "effective_date");
    assert_eq!(f["expected"], "present");
    assert_eq!(f["actual"], "empty");
    // With several fields, actual names the empty ones.
    assert_eq!(
        run.finding("R2", "req.two")["actual"],
        "effective_date empty"
    );
    assert_eq!(
        run.finding("R3", "req.two")["actual"],
        "effective_date, application_date empty"
    );
}

#[test]
fn allowed_checks_the_list_and_missing_fail_versus_skip() {
    let s = Scratch::new();
    s.cases(
        "case_id,change_type,referral_dept
         A1,surrender,finance
         A2,surrender,underwriting
         A3,surrender,
         A4,address_change,underwriting",
    )
    .rules(&[
        rule(
            "allowed.skip",
            "when: { change_type: [surrender] }\nkind: allowed\nfield: referral_dept\nvalues: [finance]",
        ),
        rule(
            "allowed.fail",
            "when: { change_type: surrender }\nkind: allowed\nfield: referral_dept\nvalues: [finance]\nmissing: fail",
        ),
    ]);
    let run = s.check_ok();
    // Default `missing: skip`: the empty A3 is not judged; A4 is outside `when`.
    run.assert_rule("allowed.skip", &["A2"], 2);
    // `missing: fail`: the empty A3 fails and counts as applicable.
    run.assert_rule("allowed.fail", &["A2", "A3"], 3);

    let f = run.finding("A2", "allowed.skip");
    assert_eq!(f["field"], "referral_dept");
    assert_eq!(f["expected"], "one of: finance");
    assert_eq!(f["actual"], "underwriting");
    assert_eq!(run.finding("A3", "allowed.fail")["actual"], "(empty)");
}

#[test]
fn range_bounds_are_inclusive_for_money_dates_and_integers() {
    let s = Scratch::new();
    s.cases(
        "case_id,amount,effective_date,docs_received
         G1,0.01,2026-10-01,0
         G2,5000.00,2026-10-31,3
         G3,0.00,2026-09-30,4
         G4,5000.01,2026-11-01,-1
         G5,,,",
    )
    .rules(&[
        rule(
            "range.money",
            "kind: range\nfield: amount\nmin: 0.01\nmax: 5000.00",
        ),
        rule(
            "range.date",
            "kind: range\nfield: effective_date\nmin: 2026-10-01\nmax: 2026-10-31",
        ),
        rule(
            "range.int",
            "kind: range\nfield: docs_received\nmin: 0\nmax: 3",
        ),
        rule(
            "range.missing_fail",
            "kind: range\nfield: amount\nmin: 0.01\nmissing: fail",
        ),
    ]);
    let run = s.check_ok();
    // G1 and G2 sit exactly on the bounds and pass; G5 is empty and not applicable.
    run.assert_rule("range.money", &["G3", "G4"], 4);
    run.assert_rule("range.date", &["G3", "G4"], 4);
    run.assert_rule("range.int", &["G3", "G4"], 4);
    run.assert_rule("range.missing_fail", &["G3", "G5"], 5);

    let f = run.finding("G4", "range.money");
    assert_eq!(f["field"], "amount");
    assert_eq!(f["expected"], "between 0.01 and 5000.00");
    assert_eq!(f["actual"], "5000.01");
    assert_eq!(
        run.finding("G3", "range.date")["expected"],
        "between 2026-10-01 and 2026-10-31"
    );
    assert_eq!(run.finding("G3", "range.date")["actual"], "2026-09-30");
    assert_eq!(
        run.finding("G3", "range.missing_fail")["expected"],
        ">= 0.01"
    );
}

#[test]
fn pattern_matches_regex_and_missing_fail_versus_skip() {
    let s = Scratch::new();
    s.cases(
        "case_id,policy_no
         P1,P123456789
         P2,P12345678
         P3,X123456789
         P4,P1234567890
         P5,",
    )
    .rules(&[
        rule(
            "pattern.skip",
            "kind: pattern\nfield: policy_no\nregex: \"^P[0-9]{9}$\"",
        ),
        rule(
            "pattern.fail",
            "kind: pattern\nfield: policy_no\nregex: \"^P[0-9]{9}$\"\nmissing: fail",
        ),
        // Unanchored: searched anywhere in the value.
        rule(
            "pattern.search",
            "kind: pattern\nfield: policy_no\nregex: \"X1\"",
        ),
    ]);
    let run = s.check_ok();
    run.assert_rule("pattern.skip", &["P2", "P3", "P4"], 4);
    run.assert_rule("pattern.fail", &["P2", "P3", "P4", "P5"], 5);
    run.assert_rule("pattern.search", &["P1", "P2", "P4"], 4);

    let f = run.finding("P2", "pattern.skip");
    assert_eq!(f["field"], "policy_no");
    assert_eq!(f["expected"], "matches ^P[0-9]{9}$");
    assert_eq!(f["actual"], "P12345678");
}

#[test]
fn compare_money_with_tolerance_is_exact_to_the_cent() {
    let s = Scratch::new();
    s.cases(
        "case_id,premium_charged,premium_expected
         M1,10.30,10.30
         M2,10.31,10.30
         M3,10.29,10.30
         M4,10.32,10.30
         M5,10.28,10.30
         M6,,10.30
         M7,10.30,",
    )
    .rules(&[rule(
        "cmp.tolerance",
        "kind: compare\nfield: premium_charged\nop: \"==\"\nto: premium_expected\ntolerance: 0.01",
    )]);
    let run = s.check_ok();
    // A 0.01 difference passes, 0.02 fails; an empty side is not applicable.
    run.assert_rule("cmp.tolerance", &["M4", "M5"], 5);

    let f = run.finding("M4", "cmp.tolerance");
    assert_eq!(f["field"], "premium_charged");
    // A text cell starting with `=` is written with a leading `'` (CSV injection, README
    // "Guarantees"): a spreadsheet would otherwise take `== 10.30` for a formula.
    assert_eq!(f["expected"], "'== 10.30 (tolerance 0.01)");
    assert_eq!(f["actual"], "10.32");
    assert_eq!(f["message"], "10.32 / == 10.30 (tolerance 0.01)");
}

#[test]
fn compare_money_without_tolerance_has_no_float_error() {
    // 0.1 + 0.2 != 0.3 in floating point; money is compared as integer cents.
    let s = Scratch::new();
    s.cases(
        "case_id,premium_charged,premium_expected,amount
         X1,0.30,0.30,0.30
         X2,0.3,0.30,0.1
         X3,0.31,0.30,0.29
         X4,1234567.89,1234567.89,0.31
         X5,-0.30,-0.30,-0.30",
    )
    .rules(&[
        rule(
            "cmp.exact",
            "kind: compare\nfield: premium_charged\nop: \"==\"\nto: premium_expected",
        ),
        rule(
            "cmp.value",
            "kind: compare\nfield: amount\nop: \">=\"\nvalue: 0.30",
        ),
        rule(
            "cmp.value_eq",
            "kind: compare\nfield: premium_charged\nop: \"==\"\nvalue: 0.3",
        ),
    ]);
    let run = s.check_ok();
    run.assert_rule("cmp.exact", &["X3"], 5);
    run.assert_rule("cmp.value", &["X2", "X3", "X5"], 5);
    run.assert_rule("cmp.value_eq", &["X3", "X4", "X5"], 5);
    let f = run.finding("X3", "cmp.exact");
    assert_eq!(f["expected"], "'== 0.30");
    assert_eq!(f["actual"], "0.31");
    assert_eq!(run.finding("X2", "cmp.value")["expected"], ">= 0.30");
    assert_eq!(run.finding("X2", "cmp.value")["actual"], "0.10");
}

#[test]
fn compare_date_with_datetime_takes_the_date_as_midnight() {
    let s = Scratch::new();
    s.cases(
        "case_id,application_date,received_at
         D1,2026-10-05,2026-10-05 09:00:00
         D2,2026-10-05,2026-10-05 00:00:00
         D3,2026-10-06,2026-10-05 09:00:00
         D4,2026-10-05,2026-10-04 23:59:59
         D5,,2026-10-05 09:00:00",
    )
    .rules(&[
        rule(
            "cmp.le",
            "kind: compare\nfield: application_date\nop: \"<=\"\nto: received_at",
        ),
        rule(
            "cmp.lt",
            "kind: compare\nfield: application_date\nop: \"<\"\nto: received_at",
        ),
        rule(
            "cmp.datetime_value",
            "kind: compare\nfield: received_at\nop: \">=\"\nvalue: 2026-10-05 00:00:00",
        ),
        rule(
            "cmp.missing_fail",
            "kind: compare\nfield: application_date\nop: \"<=\"\nto: received_at\nmissing: fail",
        ),
    ]);
    let run = s.check_ok();
    // D2: 2026-10-05 is 00:00 of that day, equal to the timestamp: passes `<=`, fails `<`.
    run.assert_rule("cmp.le", &["D3", "D4"], 4);
    run.assert_rule("cmp.lt", &["D2", "D3", "D4"], 4);
    run.assert_rule("cmp.datetime_value", &["D4"], 5);
    run.assert_rule("cmp.missing_fail", &["D3", "D4", "D5"], 5);

    let f = run.finding("D3", "cmp.le");
    assert_eq!(f["field"], "application_date");
    assert_eq!(f["expected"], "<= 2026-10-05 09:00:00");
    assert_eq!(f["actual"], "2026-10-06");
    assert_eq!(run.finding("D5", "cmp.missing_fail")["actual"], "(empty)");
    assert_eq!(
        run.finding("D4", "cmp.datetime_value")["expected"],
        ">= 2026-10-05 00:00:00"
    );
}

#[test]
fn compare_integers_and_text() {
    let s = Scratch::new();
    s.cases(
        "case_id,docs_received,docs_required,branch,referral_dept
         I1,3,3,north,north
         I2,2,3,north,south
         I3,4,3,north,
         I4,,3,south,south",
    )
    .rules(&[
        rule(
            "cmp.int",
            "kind: compare\nfield: docs_received\nop: \">=\"\nto: docs_required",
        ),
        rule(
            "cmp.int_tol",
            "kind: compare\nfield: docs_received\nop: \"==\"\nto: docs_required\ntolerance: 1",
        ),
        rule(
            "cmp.text",
            "kind: compare\nfield: branch\nop: \"!=\"\nto: referral_dept",
        ),
    ]);
    let run = s.check_ok();
    run.assert_rule("cmp.int", &["I2"], 3);
    run.assert_rule("cmp.int_tol", &[], 3);
    run.assert_rule("cmp.text", &["I1", "I4"], 3);
    let f = run.finding("I2", "cmp.int");
    assert_eq!(f["expected"], ">= 3");
    assert_eq!(f["actual"], "2");
}

#[test]
fn date_order_skips_empty_fields_and_needs_two_present() {
    let s = Scratch::new();
    s.cases(
        "case_id,application_date,received_at,registered_at,entered_at,bound_at
         O1,2026-10-05,2026-10-05 09:00:00,2026-10-05 10:00:00,2026-10-06 10:00:00,2026-10-07 10:00:00
         O2,2026-10-05,2026-10-05 09:00:00,,2026-10-06 10:00:00,2026-10-07 10:00:00
         O3,2026-10-05,2026-10-05 09:00:00,,2026-10-08 10:00:00,2026-10-07 10:00:00
         O4,2026-10-05,2026-10-06 11:00:00,,2026-10-06 10:00:00,
         O5,2026-10-05,2026-10-05 09:00:00,,,
         O6,2026-10-05,2026-10-05 00:00:00,2026-10-05 00:00:00,,
         O7,,,,,",
    )
    .rules(&[
        rule(
            "order.stages",
            "kind: date_order\nfields: [received_at, registered_at, entered_at, bound_at]",
        ),
        rule(
            "order.strict",
            "kind: date_order\nfields: [application_date, received_at, registered_at]\nstrict: true",
        ),
    ]);
    let run = s.check_ok();
    // O2: the empty registered_at is skipped; O3: entered after bound; O4: received after
    // entered, across the empty registered_at; O5 (one stage) and O7 are not applicable.
    run.assert_rule("order.stages", &["O3", "O4"], 5);
    // Strict: O6's application date is 00:00 of the day the documents came in at 00:00.
    run.assert_rule("order.strict", &["O6"], 6);

    let f = run.finding("O3", "order.stages");
    assert_eq!(
        f["field"],
        "received_at <= registered_at <= entered_at <= bound_at"
    );
    assert_eq!(
        f["actual"],
        "entered_at 2026-10-08 10:00:00 after bound_at 2026-10-07 10:00:00"
    );
    assert_eq!(
        run.finding("O4", "order.stages")["actual"],
        "received_at 2026-10-06 11:00:00 after entered_at 2026-10-06 10:00:00"
    );
    assert_eq!(
        run.finding("O6", "order.strict")["actual"],
        "application_date 2026-10-05 not before received_at 2026-10-05 00:00:00"
    );
}

#[test]
fn duration_days_count_calendar_dates_and_hours_are_exact() {
    // 2026-10-05 is a Monday.
    let s = Scratch::new();
    s.cases(
        "case_id,received_at,registered_at
         U1,2026-10-05 17:00:00,2026-10-07 09:00:00
         U2,2026-10-05 17:00:00,2026-10-08 08:00:00
         U3,2026-10-05 09:00:00,2026-10-07 23:59:59
         U4,2026-10-05 09:00:00,2026-10-06 21:00:00
         U5,2026-10-05 09:00:00,2026-10-06 21:00:01
         U6,2026-10-05 09:00:00,",
    )
    .rules(&[
        rule(
            "dur.days",
            "kind: duration\nfrom: received_at\nto: registered_at\nmax: 2 days",
        ),
        rule(
            "dur.hours",
            "kind: duration\nfrom: received_at\nto: registered_at\nmax: 36 hours",
        ),
    ]);
    let run = s.check_ok();
    // Mon 17:00 -> Wed 09:00 is 2 calendar days (40 hours) and passes; Thursday fails.
    run.assert_rule("dur.days", &["U2"], 5);
    // 36 hours exactly passes, one second more fails.
    run.assert_rule("dur.hours", &["U1", "U2", "U3", "U5"], 5);

    let f = run.finding("U2", "dur.days");
    assert_eq!(f["field"], "received_at -> registered_at");
    assert_eq!(f["expected"], "<= 2 days");
    assert_eq!(f["actual"], "3 days");
    let f = run.finding("U1", "dur.hours");
    assert_eq!(f["expected"], "<= 36 hours");
    assert!(
        f["actual"].starts_with("40") && f["actual"].ends_with(" hours"),
        "{f:?}"
    );
}

#[test]
fn four_eyes_fails_when_operators_coincide() {
    let s = Scratch::new();
    s.cases(
        "case_id,entry_operator,checker,binder
         F1,alice,bob,carol
         F2,alice,alice,carol
         F3,alice,,carol
         F4,alice,bob,alice",
    )
    .rules(&[
        rule(
            "eyes.two",
            "kind: four_eyes\nfields: [entry_operator, checker]",
        ),
        rule(
            "eyes.three",
            "kind: four_eyes\nfields: [entry_operator, checker, binder]",
        ),
    ]);
    let run = s.check_ok();
    run.assert_rule("eyes.two", &["F2"], 3);
    run.assert_rule("eyes.three", &["F2", "F4"], 3);

    let f = run.finding("F2", "eyes.two");
    assert_eq!(f["field"], "entry_operator, checker");
    assert_eq!(
        f["expected"],
        "different operators in entry_operator, checker"
    );
    assert_eq!(f["actual"], "entry_operator = checker = alice");
    assert_eq!(f["operator"], "alice");
    assert_eq!(
        run.finding("F4", "eyes.three")["actual"],
        "entry_operator = binder = alice"
    );
}

#[test]
fn authority_checks_roster_role_and_bands() {
    let s = Scratch::new();
    s.write(
        "data/operators.csv",
        "operator_id,name,team,roles,authority_level,active_from,active_to
alice,Alice,A,entry;double_check,3,2020-01-01,
bob,Bob,A,review,5,2020-01-01,
carol,Carol,B,entry,1,2020-01-01,
",
    )
    .write(
        "data/authority.csv",
        "change_type,up_to_amount,min_authority_level
surrender,10000.00,3
surrender,1000.00,1
policy_loan,,2
",
    )
    .cases(
        "case_id,entry_operator,change_type,amount
         A01,alice,surrender,5000.00
         A02,carol,surrender,1000.00
         A03,carol,surrender,1000.01
         A04,zed,surrender,10.00
         A05,bob,surrender,10.00
         A06,alice,surrender,10000.01
         A07,carol,address_change,999999.00
         A08,carol,policy_loan,50.00
         A09,alice,policy_loan,99999999.00
         A10,,surrender,10.00
         A11,carol,surrender,",
    )
    .rules(&[
        rule(
            "auth.full",
            "kind: authority\noperator: entry_operator\namount: amount\nrole: entry",
        ),
        rule("auth.roster", "kind: authority\noperator: entry_operator"),
    ]);
    let run = s.check_ok();
    // A01 level 3 in the 1000.01-10000.00 band; A02 on the 1000.00 bound of the level-1
    // band; A07 a change type without bands; A09 the unlimited band; A11 no amount.
    run.assert_rule("auth.full", &["A03", "A04", "A05", "A06", "A08"], 10);
    // Roster only: just the unknown operator.
    run.assert_rule("auth.roster", &["A04"], 10);

    let f = run.finding("A04", "auth.full");
    assert_eq!(f["field"], "entry_operator");
    assert_eq!(f["actual"], "zed is not on the roster");
    assert_eq!(f["expected"], "a rostered operator with the entry role");
    let f = run.finding("A05", "auth.full");
    assert_eq!(f["actual"], "bob does not hold the entry role");
    let f = run.finding("A03", "auth.full");
    assert_eq!(f["actual"], "carol has authority level 1");
    assert_eq!(f["expected"], "level >= 3 for surrender of 1000.01");
    let f = run.finding("A06", "auth.full");
    assert_eq!(f["actual"], "alice has authority level 3");
    assert_eq!(f["expected"], "no authority band covers surrender 10000.01");
    assert_eq!(
        run.finding("A08", "auth.full")["expected"],
        "level >= 2 for policy_loan of 50.00"
    );
}

#[test]
fn expr_true_passes_false_fails_and_empty_fields_are_not_applicable() {
    let s = Scratch::new();
    s.cases(
        "case_id,change_type,premium_charged,premium_expected
         E1,sum_increase,0.50,0.10
         E2,sum_increase,0.49,0.20
         E3,sum_decrease,-12.00,0.20
         E4,sum_decrease,12.00,0.20
         E5,sum_increase,,0.20
         E6,address_change,0.00,",
    )
    .rules(&[
        rule(
            "expr.sign",
            "when: { change_type: [sum_increase, sum_decrease] }\nkind: expr\nfield: premium_charged\nexpr: |\n  if change_type == \"sum_increase\" { premium_charged >= 0 } else { premium_charged <= 0 }",
        ),
        rule(
            "expr.literal",
            "kind: expr\nexpr: premium_charged >= 0.50",
        ),
        // Decimal arithmetic: 0.10 + 0.20 is exactly 0.30.
        rule(
            "expr.sum",
            "kind: expr\nexpr: \"premium_expected + 0.20 == 0.30 || premium_expected == 0.20\"",
        ),
    ]);
    let run = s.check_ok();
    // E5 names an empty field (not applicable); E6 is outside `when`.
    run.assert_rule("expr.sign", &["E4"], 4);
    // Money literal compared exactly: 0.50 passes, 0.49 fails.
    run.assert_rule("expr.literal", &["E2", "E3", "E6"], 5);
    run.assert_rule("expr.sum", &[], 5);

    let f = run.finding("E4", "expr.sign");
    assert_eq!(f["field"], "premium_charged");
    assert_eq!(
        f["expected"],
        "if change_type == \"sum_increase\" { premium_charged >= 0 } else { premium_charged <= 0 }"
    );
    assert_eq!(
        f["actual"],
        "change_type=sum_decrease, premium_charged=12.00"
    );
    let f = run.finding("E2", "expr.literal");
    assert_eq!(f["field"], "premium_charged");
    assert_eq!(f["expected"], "premium_charged >= 0.50");
    assert_eq!(f["actual"], "premium_charged=0.49");
}

#[test]
fn expr_endless_loop_stops_the_check_naming_the_rule() {
    for (id, body) in [("expr.loop", "loop { }"), ("expr.while", "while true { }")] {
        let s = Scratch::new();
        s.cases("case_id,premium_charged\n L1,1.00")
            .rules(&[rule(id, &format!("kind: expr\nexpr: \"{body}\""))]);
        let run = s.check();
        assert_eq!(run.code(), 2, "{body}: {}", run.stderr());
        let err = run.stderr();
        assert!(err.contains(&format!("rule `{id}`")), "{body}: {err}");
        assert!(err.contains("L1"), "the case is named: {err}");
        assert!(
            err.contains("Too many"),
            "rhai's operation limit stopped it: {err}"
        );
        assert!(
            !run.out.join("findings.csv").exists(),
            "no findings written after an error"
        );
    }
}
