//! Bad task data and bad calendars: reported with row or location, counted, and the run goes
//! on (or stops, with --strict, writing nothing).

use crate::util::{Table, assert_hours, copy_fixture, cycle_rules, run, squash};

/// A copy of the cycle fixture with bad tasks (tasks.csv rows as a spreadsheet shows them):
/// - row 7 (C01 printing): assigned 17:05 but started 17:00: started before assigned;
/// - row 13 (C02 printing): completed 11:20, started 11:30: completed before it started;
/// - row 62 (new, C05 review 10:00-11:15): overlaps C05's review at row 29 (09:30-10:30), and
///   C05's entry at row 30 (11:00-11:30) overlaps it in turn;
/// - row 63 (new, C11): no timestamp at all; row 64 (new, C11): unknown stage `archive`;
/// - row 65 (new): empty case id; row 61 (as in the fixture): C13, an unknown case.
fn bad_fixture() -> tempfile::TempDir {
    let dir = copy_fixture("cycle");
    let path = dir.path().join("tasks.csv");
    let mut t = Table::read(&path);
    t.set(5, "assigned_at", "2026-10-05 17:05:00");
    t.set(11, "completed_at", "2026-10-12 11:20:00");
    let extra = [
        "C05,review,OP02,2026-09-30 10:00:00,2026-09-30 10:00:00,2026-09-30 11:15:00,done",
        "C11,intake,OP01,,,,",
        "C11,archive,OP01,2026-10-16 10:00:00,,,",
        ",intake,OP01,2026-10-16 10:00:00,,,",
    ];
    for line in extra {
        t.rows.push(line.split(',').map(str::to_owned).collect());
    }
    t.write(&path);
    dir
}

#[test]
fn bad_tasks_are_reported_with_their_rows_and_counted() {
    let dir = bad_fixture();
    let rules = cycle_rules();
    let r = run("cycle", dir.path(), &["--rules", rules.as_str()]);
    r.assert_code(0);
    let data = r.table("data_findings.csv");
    let at = |row: &str, field: &str| {
        let hit = data.find(&[("row", row), ("field", field)]);
        assert_eq!(hit.len(), 1, "row {row} {field}: {:?}", data.rows);
        hit[0]["problem"].clone()
    };
    assert!(at("7", "started_at").contains("before it was assigned at 2026-10-05 17:05:00"));
    assert!(
        at("13", "completed_at")
            .contains("completed at 2026-10-12 11:20:00 before it started at 2026-10-12 11:30:00")
    );
    assert!(
        at("62", "started_at").contains("overlaps the review visit of the same case at row 29")
    );
    assert!(
        at("30", "started_at").contains("overlaps the review visit of the same case at row 62")
    );
    assert!(at("61", "case_id").contains("not in the cases file"));
    assert!(at("63", "assigned_at").contains("no assigned, started or completed time"));
    assert!(at("64", "stage").contains("unknown stage `archive`"));
    assert!(at("65", "case_id").contains("case_id is empty"));
    assert_eq!(data.rows.len(), 8, "{:?}", data.rows);
    let counts = &r.json("cycle_summary.json")["task_problems"];
    for (kind, n) in [
        ("completed_before_start", 1),
        ("started_before_assigned", 1),
        ("unknown_case", 1),
        ("overlapping_visits", 2),
        ("unknown_stage", 1),
        ("no_timestamps", 1),
        ("empty_case_id", 1),
    ] {
        assert_eq!(counts[kind], n, "{kind}");
    }
    assert!(r.stdout.contains("overlapping_visits 2"), "{}", r.stdout);

    // The bad times are left empty, the rest stand.
    let st = r.table("stage_times.csv");
    let c01_printing = &st.find(&[("case_id", "C01"), ("stage", "printing")])[0];
    assert_eq!(
        c01_printing["waiting_working_hours"], "",
        "negative waiting left empty"
    );
    assert_hours(
        &c01_printing["handling_working_hours"],
        0.25,
        "C01 printing handling",
    );
    let c02_printing = &st.find(&[("case_id", "C02"), ("stage", "printing")])[0];
    assert_eq!(
        c02_printing["handling_working_hours"], "",
        "negative handling left empty"
    );
    let c01_entry = &st.find(&[("case_id", "C01"), ("stage", "entry")])[0];
    assert_hours(
        &c01_entry["waiting_working_hours"],
        1.5,
        "C01 entry untouched",
    );
    // Nothing dropped: every case, and the tasks with their bad rows.
    assert_eq!(r.table("case_times.csv").rows.len(), 12);
    assert_eq!(r.json("cycle_summary.json")["tasks"], 64);
}

#[test]
fn a_task_completed_before_it_was_ready_breaks_the_reconciliation() {
    let dir = copy_fixture("cycle");
    let path = dir.path().join("tasks.csv");
    let mut t = Table::read(&path);
    // C02 printing (row 13): ready Mon 10-12 11:30 (binding's completion), completed Fri 10-09.
    t.set(11, "completed_at", "2026-10-09 17:00:00");
    t.write(&path);
    let rules = cycle_rules();
    let r = run(
        "status",
        dir.path(),
        &["--rules", rules.as_str(), "--date", "2026-10-12"],
    );
    // The printing task arrives on the 12th and is never open: 0 + 1 - 0 = 1, closing 0.
    r.assert_code(1);
    let rec = r.table("reconciliation.csv");
    let p = &rec.find(&[("stage", "printing")])[0];
    assert_eq!(
        (
            p["opening"].as_str(),
            p["new_pending"].as_str(),
            p["finished"].as_str(),
            p["closing"].as_str(),
            p["difference"].as_str(),
            p["reconciled"].as_str()
        ),
        ("0", "1", "0", "0", "-1", "false")
    );
    assert!(r.stdout.contains("MISMATCH"), "{}", r.stdout);
    assert_eq!(r.json("status.json")["reconciled"], false);
}

#[test]
fn a_bad_calendar_stops_with_every_problem_located() {
    let dir = copy_fixture("cycle");
    std::fs::write(
        dir.path().join("calendar.yaml"),
        "working_days: [mon, funday]\nworking_hours: [[\"09:00\", \"12:00\"], [\"11:00\", \"17:00\"]]\n",
    )
    .expect("write");
    let r = run("cycle", dir.path(), &[]);
    r.assert_code(2);
    let err = squash(&r.stderr);
    assert!(
        err.contains("unknownweekday`funday`inworking_days"),
        "{}",
        r.stderr
    );
    assert!(err.contains("calendar.yaml:1:21"), "{}", r.stderr);
    assert!(
        err.contains("workingintervals09:00-12:00and11:00-17:00overlap"),
        "{}",
        r.stderr
    );
    assert!(err.contains("calendar.yaml:2:37"), "{}", r.stderr);
    assert!(
        err.contains("2problem(s)found;nothingwasrun"),
        "{}",
        r.stderr
    );
    assert!(!r.out.exists(), "nothing written");
    // check reads the same calendar for working-time rules.
    let r = run("check", dir.path(), &[]);
    r.assert_code(2);
    assert!(
        squash(&r.stderr).contains("calendar.yaml:1:21"),
        "{}",
        r.stderr
    );
}

#[test]
fn strict_stops_on_a_bad_task_and_writes_nothing() {
    let dir = bad_fixture();
    let rules = cycle_rules();
    let r = run(
        "cycle",
        dir.path(),
        &["--rules", rules.as_str(), "--strict"],
    );
    r.assert_code(2);
    assert!(
        squash(&r.stderr).contains("8datafinding(s)"),
        "{}",
        r.stderr
    );
    assert!(!r.out.exists());
}

/// With a task list, `cycle` reads only the case fields it measures: an unreadable premium
/// is `check`'s business, an unreadable receipt time is reported here (and the case is
/// still counted); a missing measured column still stops the run.
#[test]
fn only_the_measured_case_fields_are_read() {
    let dir = copy_fixture("cycle");
    let path = dir.path().join("cases.csv");
    let mut t = Table::read(&path);
    t.set(0, "premium_charged", "12,50 EUR");
    t.set(1, "received_at", "yesterday");
    t.write(&path);
    let rules = cycle_rules();
    let r = run("cycle", dir.path(), &["--rules", rules.as_str()]);
    r.assert_code(0);
    let data = r.table("data_findings.csv");
    let cases: Vec<_> = data.find(&[("table", "cases")]);
    // Unreadable, and so the cycle cannot be measured.
    assert_eq!(cases.len(), 2, "{:?}", data.rows);
    for hit in &cases {
        assert_eq!(
            (hit["row"].as_str(), hit["field"].as_str()),
            ("3", "received_at")
        );
    }
    assert_eq!(cases[1]["value"], "yesterday");
    assert_eq!(r.table("case_times.csv").rows.len(), 12);
    let check = run("check", dir.path(), &["--rules", rules.as_str()]);
    let premium = check
        .table("data_findings.csv")
        .find(&[("field", "premium_charged")])
        .len();
    assert_eq!(premium, 1, "check reports the premium");

    let mut t = Table::read(&path);
    t.drop_column("received_at");
    t.write(&path);
    let r = run("cycle", dir.path(), &["--rules", rules.as_str()]);
    r.assert_code(2);
    assert!(
        squash(&r.stderr).contains("column`received_at`forfield`received_at`"),
        "{}",
        r.stderr
    );
}

/// A case list with only the case id, change type and the cycle's two ends (an insurer that
/// exports nothing else): `cycle` measures every case and lists the time limits it cannot
/// evaluate instead of stopping. By hand, office calendar 09:00-12:00 and 13:00-17:30:
/// C1 Monday 2026-10-05 11:00 -> 14:00 = 2.0 working hours (the lunch hour is not worked);
/// C2 Monday 09:00 -> Tuesday 09:00 = 7.5 working hours; C3 is open.
#[test]
fn cases_with_only_their_cycle_ends_are_measured_and_the_time_limits_listed() {
    let dir = tempfile::tempdir().expect("tempdir");
    std::fs::write(
        dir.path().join("cases.csv"),
        "case_id,change_type,received_at,bound_at\n\
         C1,address_change,2026-10-05 11:00:00,2026-10-05 14:00:00\n\
         C2,surrender,2026-10-05 09:00:00,2026-10-06 09:00:00\n\
         C3,surrender,2026-10-06 10:00:00,\n",
    )
    .expect("cases.csv");
    let run = run("cycle", dir.path(), &["--as-of", "2026-10-06 12:00:00"]);
    run.assert_code(0);
    let times = run.table("case_times.csv");
    let hours: Vec<(String, String)> = times
        .records()
        .iter()
        .map(|r| (r["case_id"].clone(), r["cycle_working_hours"].clone()))
        .collect();
    assert_eq!(hours[0].0, "C1");
    let h0: f64 = hours[0].1.parse().expect("hours");
    let h1: f64 = hours[1].1.parse().expect("hours");
    assert!((h0 - 2.0).abs() < 1e-9, "C1 worked 2 h, got {h0}");
    assert!((h1 - 7.5).abs() < 1e-9, "C2 worked 7.5 h, got {h1}");
    assert_eq!(times.rows.len(), 3, "every case accounted for");
    let summary = run.json("cycle_summary.json");
    let left: Vec<&str> = summary["time_limits_not_evaluated"]
        .as_array()
        .expect("list")
        .iter()
        .map(|n| n["rule_id"].as_str().expect("id"))
        .collect();
    assert!(left.contains(&"review.review_late"), "{left:?}");
    assert!(
        run.stdout
            .contains("time limits: 1 rule not evaluated: no intake_operator column; no registered_at column: intake.registration_late"),
        "{}",
        run.stdout
    );
}
