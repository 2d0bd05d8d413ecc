//! `policyqc status` on fixtures/cycle against the README's hand computations.

use crate::util::{Table, assert_hours, status_fixture};

/// A status.csv row as (opening, `new_pending`, finished, closing, pending, `in_progress`,
/// `on_query`, referred, stuck).
fn counts(t: &Table, stage: &str, operator: &str) -> [u32; 9] {
    let hit = t.find(&[("stage", stage), ("operator", operator)]);
    assert_eq!(hit.len(), 1, "{stage} {operator}: {:?}", t.rows);
    let r = &hit[0];
    [
        "opening",
        "new_pending",
        "finished",
        "closing",
        "pending",
        "in_progress",
        "on_query",
        "referred",
        "stuck",
    ]
    .map(|c| r[c].parse().expect("count"))
}

/// reconciliation.csv as (stage, opening, new, finished, closing, difference, reconciled).
fn reconciliation(t: &Table) -> Vec<(String, i64, i64, i64, i64, i64, String)> {
    t.records()
        .iter()
        .map(|r| {
            let n = |c: &str| r[c].parse::<i64>().expect("number");
            (
                r["stage"].clone(),
                n("opening"),
                n("new_pending"),
                n("finished"),
                n("closing"),
                n("difference"),
                r["reconciled"].clone(),
            )
        })
        .collect()
}

#[test]
fn tuesday_the_sixth_c08_disappears() {
    let run = status_fixture("2026-10-06", &[]);
    // An exception: exit 1.
    run.assert_code(1);
    let s = run.table("status.csv");
    assert_eq!(
        s.header,
        [
            "stage",
            "operator",
            "opening",
            "new_pending",
            "finished",
            "closing",
            "pending",
            "in_progress",
            "on_query",
            "referred",
            "stuck"
        ]
    );
    assert_eq!(s.rows.len(), 4, "{:?}", s.rows);
    // C08's review, open since Monday, finished at 11:00.
    assert_eq!(counts(&s, "review", "OP02"), [1, 0, 1, 0, 0, 0, 0, 0, 0]);
    // C04's review, open since 09-29, finished at 16:00.
    assert_eq!(counts(&s, "review", "OP08"), [1, 0, 1, 0, 0, 0, 0, 0, 0]);
    // C06's entry in progress (its query and its referral both open at midnight), and C04's
    // entry arrived at 16:00 and finished at 17:00.
    assert_eq!(counts(&s, "entry", "OP09"), [1, 1, 1, 1, 0, 1, 1, 1, 0]);
    // C04's double-check arrived at 17:00, starts tomorrow.
    assert_eq!(
        counts(&s, "double_check", "OP10"),
        [0, 1, 0, 1, 1, 0, 0, 0, 0]
    );

    let rec = reconciliation(&run.table("reconciliation.csv"));
    let find = |stage: &str| rec.iter().find(|r| r.0 == stage).cloned().expect(stage);
    assert_eq!(
        find("review"),
        ("review".into(), 2, 0, 2, 0, 0, "true".into())
    );
    assert_eq!(
        find("entry"),
        ("entry".into(), 1, 1, 1, 1, 0, "true".into())
    );
    assert_eq!(
        find("double_check"),
        ("double_check".into(), 0, 1, 0, 1, 0, "true".into())
    );
    // Cases open at both ends: C04, C06, C08; none received or bound that day.
    assert_eq!(
        find("(cases)"),
        ("(cases)".into(), 3, 0, 0, 3, 0, "true".into())
    );
    assert_eq!(rec.last().expect("rows").0, "(cases)");

    let ex = run.table("exceptions.csv");
    assert_eq!(
        ex.header,
        [
            "kind",
            "case_id",
            "change_type",
            "last_stage",
            "last_operator",
            "last_activity_at",
            "detail",
            "file",
            "row"
        ]
    );
    assert_eq!(ex.rows.len(), 1);
    let c08 = &ex.records()[0];
    assert_eq!(
        (
            c08["kind"].as_str(),
            c08["case_id"].as_str(),
            c08["last_stage"].as_str(),
            c08["last_operator"].as_str(),
            c08["last_activity_at"].as_str(),
            c08["row"].as_str()
        ),
        (
            "disappeared",
            "C08",
            "review",
            "OP02",
            "2026-10-06 11:00:00",
            "9"
        )
    );

    // Stuck at Wed 00:00: C08, received Mon 10:00: 6.5 + 7.5 = 14 working hours > 1 day.
    let stuck = run.table("stuck_cases.csv");
    assert_eq!(stuck.rows.len(), 1, "{:?}", stuck.rows);
    let r = &stuck.records()[0];
    assert_eq!(r["case_id"], "C08");
    assert_eq!(r["rule_id"], "binding.cycle_late");
    assert_hours(&r["age_working_hours"], 14.0, "C08 age");
    assert_eq!(r["limit"], "1 working day");
    assert_eq!(r["held_by"], "", "nothing holds a lost case");

    let j = run.json("status.json");
    assert_eq!(j["reconciled"], true);
    assert_eq!(j["exceptions_by_kind"]["disappeared"], 1);
    assert!(
        run.stdout.contains("disappeared       C08"),
        "{}",
        run.stdout
    );
}

#[test]
fn wednesday_the_fourteenth_stuck_cases_oldest_first() {
    let run = status_fixture("2026-10-14", &[]);
    run.assert_code(1);
    let s = run.table("status.csv");
    assert_eq!(s.rows.len(), 4, "{:?}", s.rows);
    // C13's review (no case row) arrived and finished.
    assert_eq!(counts(&s, "review", "OP02"), [0, 1, 1, 0, 0, 0, 0, 0, 0]);
    // C09's review in progress, its query open.
    assert_eq!(counts(&s, "review", "OP08"), [1, 0, 0, 1, 0, 1, 1, 0, 0]);
    // C10's entry in progress, finance referral open; stuck.
    assert_eq!(counts(&s, "entry", "OP03"), [1, 0, 0, 1, 0, 1, 0, 1, 1]);
    // C07's entry never started; stuck.
    assert_eq!(counts(&s, "entry", "OP09"), [1, 0, 0, 1, 1, 0, 0, 0, 1]);

    let rec = reconciliation(&run.table("reconciliation.csv"));
    assert!(rec.iter().all(|r| r.5 == 0 && r.6 == "true"), "{rec:?}");
    let cases = rec.iter().find(|r| r.0 == "(cases)").expect("cases row");
    // C07, C08, C09, C10 open all day.
    assert_eq!((cases.1, cases.2, cases.3, cases.4), (4, 0, 0, 4));

    let ex = run.table("exceptions.csv");
    let kinds: Vec<(String, String)> = ex
        .records()
        .iter()
        .map(|r| (r["kind"].clone(), r["case_id"].clone()))
        .collect();
    assert_eq!(
        kinds,
        [
            ("unaccounted".to_owned(), "C08".to_owned()),
            ("no_intake_record".to_owned(), "C13".to_owned())
        ]
    );
    let c13 = &ex.records()[1];
    assert!(c13["file"].ends_with("tasks.csv"), "{c13:?}");
    assert_eq!(c13["row"], "61");

    // README "status for Wed 2026-10-14": age in working hours at Thu 00:00, oldest first.
    let stuck = run.table("stuck_cases.csv");
    let got: Vec<(String, String, String)> = stuck
        .records()
        .iter()
        .map(|r| {
            (
                r["case_id"].clone(),
                r["rule_id"].clone(),
                r["held_by"].clone(),
            )
        })
        .collect();
    let want = [
        ("C08", "binding.cycle_late", "", 66.5),
        ("C08", "entry.entry_late", "", 58.0),
        ("C08", "entry.entry_late_gross", "", 58.0),
        ("C07", "binding.cycle_late", "OP09", 48.5),
        ("C07", "entry.entry_late", "OP09", 44.0),
        ("C07", "entry.entry_late_gross", "OP09", 44.0),
        ("C10", "entry.entry_late_gross", "OP03", 43.0),
        ("C10", "binding.cycle_late", "OP03", 23.5),
        ("C10", "entry.entry_late", "OP03", 21.5),
    ];
    assert_eq!(
        got,
        want.iter()
            .map(|w| (w.0.to_owned(), w.1.to_owned(), w.2.to_owned()))
            .collect::<Vec<_>>()
    );
    for (r, w) in stuck.records().iter().zip(want) {
        assert_hours(&r["age_working_hours"], w.3, &format!("{} {}", w.0, w.1));
    }
    assert_eq!(stuck.records()[3]["held_at_stage"], "entry");
    assert_eq!(stuck.records()[3]["since"], "2026-10-07 14:00:00");
}

#[test]
fn a_clean_day_exits_zero() {
    // Mon 09-28: C03 arrives (received 10:00) and is referred to underwriting at 14:00; at
    // midnight its referral step holds it. Nothing else exists yet.
    let run = status_fixture("2026-09-28", &[]);
    run.assert_code(0);
    let rec = reconciliation(&run.table("reconciliation.csv"));
    let cases = rec.iter().find(|r| r.0 == "(cases)").expect("cases row");
    assert_eq!((cases.1, cases.2, cases.3, cases.4), (0, 1, 0, 1));
    assert_eq!(run.table("exceptions.csv").rows.len(), 0);
    let s = run.table("status.csv");
    // The referral step is a row of its own, counted as referred.
    assert_eq!(counts(&s, "referral", "UW01"), [0, 1, 0, 1, 0, 1, 0, 1, 0]);
    assert!(run.stdout.contains("exceptions: none"), "{}", run.stdout);
}

#[test]
fn date_is_required_and_checked() {
    let out = assert_cmd::Command::cargo_bin("policyqc")
        .expect("binary")
        .args(["status", "fixtures/cycle", "--date", "2026-13-01"])
        .current_dir(crate::util::repo())
        .output()
        .expect("run");
    assert_eq!(out.status.code(), Some(2));
    let out = assert_cmd::Command::cargo_bin("policyqc")
        .expect("binary")
        .args(["status", "fixtures/cycle"])
        .current_dir(crate::util::repo())
        .output()
        .expect("run");
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("--date"));
}
