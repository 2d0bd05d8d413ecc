//! An event log with no cases table: each case runs from its first event to its last
//! (whatever the events' lifecycle), activities outside the six stages are `other`, bad
//! events are listed and no case is lost; timestamps with an offset are converted to the
//! office time zone. Figures by hand on the default calendar (Monday to Friday,
//! 09:00-12:00 and 13:00-17:30: 7.5 working hours a day); 2026-10-05 is a Monday.

use crate::util::{Table, assert_hours, run};

/// Five cases, hand-made:
/// - A: 09:00 -> 14:00 Monday: 5 h; working 3 + 1 = 4 h;
/// - B: Friday 16:00 -> Monday 10:30: 66.5 h; working 1.5 + 1.5 = 3 h (its first activity,
///   `Scan documents`, is in no stage);
/// - C: 09:30 -> 17:00 Tuesday through two events of unknown lifecycle (`suspend`, `resume`):
///   7.5 h; working 2.5 + 4 = 6.5 h (the paired events alone would give 0);
/// - D: one event without a time (listed), one at 09:00 Wednesday: 0 h;
/// - E: one event without an activity (listed), 10:00 -> 11:00 Wednesday: 1 h, 1 h.
const LOG: &str = "\
case_id,activity,resource,timestamp,lifecycle
A,intake,ann,2026-10-05 09:00:00,complete
A,review,bob,2026-10-05 11:00:00,start
A,review,bob,2026-10-05 14:00:00,complete
B,Scan documents,ann,2026-10-09 16:00:00,complete
B,entry,cat,2026-10-12 10:30:00,complete
C,Scan documents,ann,2026-10-06 09:30:00,suspend
C,review,bob,2026-10-06 10:00:00,complete
C,review,bob,2026-10-06 17:00:00,resume
D,intake,ann,,complete
D,review,bob,2026-10-07 09:00:00,complete
E,,ann,2026-10-07 10:00:00,complete
E,review,bob,2026-10-07 11:00:00,complete
";

fn folder(files: &[(&str, &str)]) -> tempfile::TempDir {
    let dir = tempfile::tempdir().expect("tempdir");
    for (name, text) in files {
        std::fs::write(dir.path().join(name), text).expect("write");
    }
    dir
}

#[test]
fn each_case_runs_from_its_first_event_to_its_last() {
    let dir = folder(&[("events.csv", LOG)]);
    let r = run("cycle", dir.path(), &[]);
    r.assert_code(0);
    let t = r.table("case_times.csv");
    let want = [
        ("A", 5.0, 4.0),
        ("B", 66.5, 3.0),
        ("C", 7.5, 6.5),
        ("D", 0.0, 0.0),
        ("E", 1.0, 1.0),
    ];
    assert_eq!(t.rows.len(), want.len(), "every case, none lost");
    for (case, wall, work) in want {
        let row = &t.find(&[("case_id", case)])[0];
        assert_eq!(
            row["status"], "bound",
            "{case} is finished at its last event"
        );
        assert_hours(&row["cycle_hours"], wall, case);
        assert_hours(&row["cycle_working_hours"], work, case);
    }
    let j = r.json("cycle_summary.json");
    assert_eq!(j["cases_read"], 5);
    assert_eq!(j["cases_accounted_for"], 5);
    assert_eq!(j["other_activities"][0]["activity"], "Scan documents");
    assert_eq!(j["other_activities"][0]["events"], 2);
    assert!(
        r.stdout
            .contains("info: activity `Scan documents` (2 events) is in none of the six stages"),
        "{}",
        r.stdout
    );
    // The bad events, each with its row (the header is row 1); `Scan documents` is not one.
    let data = r.table("data_findings.csv");
    let mut listed: Vec<(String, String)> = data
        .records()
        .iter()
        .map(|d| (d["row"].clone(), d["field"].clone()))
        .collect();
    listed.sort();
    let want: Vec<(String, String)> = [
        ("10", "timestamp"),
        ("12", "activity"),
        ("7", "lifecycle"),
        ("9", "lifecycle"),
    ]
    .iter()
    .map(|(a, b)| ((*a).to_owned(), (*b).to_owned()))
    .collect();
    assert_eq!(listed, want, "{:?}", data.rows);
}

#[test]
fn check_and_status_run_on_the_event_log_alone() {
    let dir = folder(&[("events.csv", LOG)]);
    let c = run("check", dir.path(), &[]);
    assert!(c.code == 0 || c.code == 1, "{}\n{}", c.stdout, c.stderr);
    let summary = c.json("summary.json");
    assert_eq!(summary["cases_read"], 5);
    assert_eq!(summary["cases_accounted_for"], 5);
    assert!(
        summary["rules_not_evaluated"]
            .as_array()
            .is_some_and(|a| !a.is_empty()),
        "most rules need fields a log does not have"
    );
    let s = run("status", dir.path(), &["--date", "2026-10-07"]);
    assert!(s.code == 0 || s.code == 1, "{}\n{}", s.stdout, s.stderr);
}

#[test]
fn offsets_are_converted_to_the_office_time_zone_and_a_mix_is_listed() {
    // A: 07:00Z on Friday 23 October is 09:00 in Amsterdam (summer time, +02:00); 10:30+01:00
    // on Monday 26 October is 10:30 there (winter time from the 25th): 73.5 h, working
    // 7.5 (Friday) + 1.5 = 9 h. B is written without offsets: office time, and listed.
    let log = "\
case_id,activity,resource,timestamp
A,intake,u1,2026-10-23T07:00:00.000Z
A,review,u2,2026-10-26T10:30:00+01:00
B,intake,u1,2026-10-23 09:00:00
B,review,u2,2026-10-23 10:00:00
";
    let dir = folder(&[
        ("events.csv", log),
        ("settings.yaml", "office_time_zone: Europe/Amsterdam\n"),
    ]);
    let r = run("cycle", dir.path(), &[]);
    r.assert_code(0);
    let t = r.table("case_times.csv");
    let a = &t.find(&[("case_id", "A")])[0];
    assert_eq!(a["received_at"], "2026-10-23 09:00:00");
    assert_eq!(a["bound_at"], "2026-10-26 10:30:00");
    assert_hours(&a["cycle_hours"], 73.5, "A");
    assert_hours(&a["cycle_working_hours"], 9.0, "A");
    let data = r.table("data_findings.csv");
    let rows: Vec<String> = data.records().iter().map(|d| d["row"].clone()).collect();
    assert_eq!(rows, ["4", "5"], "B's two values without an offset");
    assert!(data.records()[0]["problem"].contains("no UTC offset"));

    // Without a zone, offsets are converted to UTC: A runs 07:00 -> 09:30.
    let dir = folder(&[("events.csv", log)]);
    let r = run("cycle", dir.path(), &[]);
    let t = r.table("case_times.csv");
    let a = &t.find(&[("case_id", "A")])[0];
    assert_eq!(a["received_at"], "2026-10-23 07:00:00");
    assert_eq!(a["bound_at"], "2026-10-26 09:30:00");
}

#[test]
fn an_unknown_time_zone_stops_the_run_with_a_suggestion() {
    let dir = folder(&[
        ("events.csv", LOG),
        ("settings.yaml", "office_time_zone: Europe/Amsterdm\n"),
    ]);
    let r = run("cycle", dir.path(), &[]);
    r.assert_code(2);
    let err = crate::util::squash(&r.stderr);
    assert!(err.contains("settings.yaml:1:"), "{}", r.stderr);
    assert!(err.contains("didyoumean`Europe/Amsterdam`"), "{}", r.stderr);
}

#[test]
fn a_cases_table_and_an_event_log_that_disagree_list_both() {
    let cases = "case_id,received_at\nA,2026-10-05 09:00:00\nZ,2026-10-05 09:00:00\n";
    let log = "case_id,activity,resource,timestamp\nA,intake,u1,2026-10-05 10:00:00\nQ,intake,u1,2026-10-05 10:00:00\n";
    let dir = folder(&[("cases.csv", cases), ("events.csv", log)]);
    let r = run("cycle", dir.path(), &[]);
    r.assert_code(0);
    let j = r.json("cycle_summary.json");
    assert_eq!(j["cases_without_tasks"], serde_json::json!(["Z"]));
    assert_eq!(j["cases_not_in_cases_table"], serde_json::json!(["Q"]));
    assert!(
        r.stdout
            .contains("1 case(s) with no task (Z); 1 case(s) of tasks not in the cases table (Q)"),
        "{}",
        r.stdout
    );
    // Q's event is also a data finding, with its row.
    let data = r.table("data_findings.csv");
    assert_eq!(data.find(&[("case_id", "Q")]).len(), 1);
    assert_eq!(Table::read(&r.out.join("case_times.csv")).rows.len(), 2);
}
