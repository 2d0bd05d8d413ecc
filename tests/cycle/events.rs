//! The task list as a process-mining event log gives the same figures.

use crate::util::{
    Table, assert_hours, copy_fixture_without, cycle_fixture, cycle_rules, run, status_fixture,
};

/// A table without the named columns (row numbers differ between a task list and an event
/// log: a task's row in a log is the row of its first event).
fn without(mut t: Table, columns: &[&str]) -> Table {
    for c in columns {
        t.drop_column(c);
    }
    t
}

#[test]
fn the_event_log_gives_the_same_case_stage_and_operator_figures() {
    let tasks = cycle_fixture(&[]);
    let events = cycle_fixture(&["--events", "fixtures/cycle/events.csv"]);
    tasks.assert_code(0);
    events.assert_code(0);
    for f in ["case_times.csv", "operator_times.csv", "cycle_summary.csv"] {
        let a = std::fs::read_to_string(tasks.out.join(f)).expect("tasks");
        let b = std::fs::read_to_string(events.out.join(f)).expect("events");
        assert_eq!(a, b, "{f}");
    }
    let a = without(tasks.table("stage_times.csv"), &["first_row"]);
    let b = without(events.table("stage_times.csv"), &["first_row"]);
    assert_eq!(a.rows, b.rows);
    let j = events.json("cycle_summary.json");
    assert_eq!(j["task_source"], "events");
    // 172 lines = header + 171 events (tests/fixtures/cycle_events.rs: one per timestamp of tasks.csv).
    assert_eq!(j["task_rows_read"], 171);
    assert_eq!(j["tasks"], 60, "paired back into the 60 tasks");
    // The one bad task, C13, found at its first event's row of events.csv.
    let data = events.table("data_findings.csv");
    assert_eq!(data.rows.len(), 1);
    assert!(data.rows[0][0].ends_with("events.csv"));
    assert_eq!(data.get(0, "row"), "170");
    assert_eq!(
        data.get(0, "column"),
        "case:concept:name",
        "the log's own column name"
    );
}

#[test]
fn the_event_log_gives_the_same_status() {
    for date in ["2026-10-06", "2026-10-14"] {
        let a = status_fixture(date, &[]);
        let b = status_fixture(date, &["--events", "fixtures/cycle/events.csv"]);
        for f in ["status.csv", "reconciliation.csv", "stuck_cases.csv"] {
            let x = std::fs::read_to_string(a.out.join(f)).expect("tasks");
            let y = std::fs::read_to_string(b.out.join(f)).expect("events");
            assert_eq!(x, y, "{date} {f}");
        }
        let x = without(a.table("exceptions.csv"), &["file", "row"]);
        let y = without(b.table("exceptions.csv"), &["file", "row"]);
        assert_eq!(x.rows, y.rows, "{date}");
    }
}

/// A copy of the cycle fixture whose task list is `events` (reference column names).
fn with_events(events: &str) -> tempfile::TempDir {
    let dir = copy_fixture_without(
        "cycle",
        &["tasks.csv", "events.csv", "events.xes", "columns.yaml"],
    );
    std::fs::write(dir.path().join("events.csv"), events).expect("write");
    dir
}

#[test]
fn a_log_without_lifecycle_has_completions_only() {
    // C01's six completions: every event is a completed task whose start is unknown.
    let dir = with_events(
        "case_id,activity,resource,timestamp\n\
         C01,intake,OP01,2026-10-05 09:30:00\n\
         C01,review,OP02,2026-10-05 11:00:00\n\
         C01,entry,OP03,2026-10-05 14:30:00\n\
         C01,double_check,OP04,2026-10-05 15:30:00\n\
         C01,binding,OP05,2026-10-05 16:30:00\n\
         C01,printing,OP06,2026-10-05 17:15:00\n",
    );
    let rules = cycle_rules();
    let r = run("cycle", dir.path(), &["--rules", rules.as_str()]);
    r.assert_code(0);
    let t = r.table("stage_times.csv");
    assert_eq!(t.rows.len(), 6);
    // Elapsed from the previous completion (intake: from the receipt at 09:00):
    // 0.5, 1.5, 11:00 -> 14:30 = 2.5, 1, 1, 0.75; waiting and handling unknown.
    for (stage, elapsed) in [
        ("intake", 0.5),
        ("review", 1.5),
        ("entry", 2.5),
        ("double_check", 1.0),
        ("binding", 1.0),
        ("printing", 0.75),
    ] {
        let row = &t.find(&[("case_id", "C01"), ("stage", stage)])[0];
        assert_hours(&row["elapsed_working_hours"], elapsed, stage);
        assert_eq!(row["waiting_working_hours"], "", "{stage}");
        assert_eq!(row["handling_working_hours"], "", "{stage}");
    }
}

#[test]
fn an_unknown_lifecycle_is_reported_and_the_run_goes_on() {
    let dir = with_events(
        "case_id,activity,resource,timestamp,lifecycle\n\
         C01,intake,OP01,2026-10-05 09:00:00,start\n\
         C01,intake,OP01,2026-10-05 09:10:00,suspend\n\
         C01,intake,OP01,2026-10-05 09:30:00,complete\n",
    );
    let rules = cycle_rules();
    let r = run("cycle", dir.path(), &["--rules", rules.as_str()]);
    r.assert_code(0);
    let data = r.table("data_findings.csv");
    let hit = data.find(&[("row", "3"), ("field", "lifecycle")]);
    assert_eq!(hit.len(), 1, "{:?}", data.rows);
    assert_eq!(hit[0]["value"], "suspend");
    assert_eq!(
        r.json("cycle_summary.json")["task_problems"]["unknown_lifecycle"],
        1
    );
    // The start and complete still pair: 09:00 -> 09:30 handled.
    let t = r.table("stage_times.csv");
    assert_hours(
        &t.find(&[("stage", "intake")])[0]["handling_working_hours"],
        0.5,
        "intake",
    );
}

/// The event log of `an_event_without_timestamp_or_activity_is_reported`: row 2 has no
/// timestamp, row 3 no activity, row 4 is a plain completion.
pub const EVENTS_WITH_GAPS: &str = "case_id,activity,resource,timestamp\n\
     C01,intake,OP01,\n\
     C01,,OP01,2026-10-05 09:30:00\n\
     C01,review,OP02,2026-10-05 11:00:00\n";

#[test]
fn an_event_without_timestamp_or_activity_is_reported() {
    let dir = with_events(EVENTS_WITH_GAPS);
    let rules = cycle_rules();
    let r = run("cycle", dir.path(), &["--rules", rules.as_str()]);
    r.assert_code(0);
    let data = r.table("data_findings.csv");
    assert_eq!(data.rows.len(), 2, "{:?}", data.rows);
    assert_eq!(data.find(&[("row", "2"), ("field", "timestamp")]).len(), 1);
    assert_eq!(data.find(&[("row", "3"), ("field", "activity")]).len(), 1);
    let j = r.json("cycle_summary.json");
    assert_eq!(j["task_problems"]["no_timestamps"], 1);
    assert_eq!(j["task_problems"]["unknown_stage"], 1);
    assert_eq!(j["task_rows_read"], 3);
    // The timestamp-less event is not paired; the activity-less one is a task of its own.
    assert_eq!(j["tasks"], 2);
}
