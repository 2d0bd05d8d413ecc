//! The task list as an XES log (`events.xes`, the XML process-mining tools export) gives the
//! same figures as the same events in `events.csv`.

use std::fmt::Write as _;
use std::path::Path;

use crate::util::{
    Run, Table, assert_hours, copy_fixture_without, cycle_fixture, cycle_rules, run, status_fixture,
};

/// The outputs that do not depend on where each task's row is: equal byte for byte.
const SAME_FILES: [&str; 3] = ["case_times.csv", "operator_times.csv", "cycle_summary.csv"];

#[track_caller]
fn assert_same_files(a: &Run, b: &Run) {
    for f in SAME_FILES {
        let x = std::fs::read_to_string(a.out.join(f)).expect("first run");
        let y = std::fs::read_to_string(b.out.join(f)).expect("second run");
        assert_eq!(x, y, "{f}");
    }
}

/// `stage_times.csv` without `first_row`, and its `first_row` values.
fn stage_times(r: &Run) -> (Table, Vec<u64>) {
    let mut t = r.table("stage_times.csv");
    let rows = (0..t.rows.len())
        .map(|i| t.get(i, "first_row").parse().expect("a row number"))
        .collect();
    t.drop_column("first_row");
    (t, rows)
}

/// An event's row in a CSV log is one more than its position in an XES log of the same
/// events in the same order (the CSV header is row 1); everything else is equal.
#[track_caller]
fn assert_same_stage_times(csv: &Run, xes: &Run) {
    let (a, rows_a) = stage_times(csv);
    let (b, rows_b) = stage_times(xes);
    assert_eq!(a.rows, b.rows);
    let shifted: Vec<u64> = rows_a.iter().map(|r| r - 1).collect();
    assert_eq!(shifted, rows_b);
}

#[test]
fn the_fixture_log_as_xes_gives_the_same_figures_as_its_csv_form() {
    let csv = cycle_fixture(&["--events", "fixtures/cycle/events.csv"]);
    let xes = cycle_fixture(&["--events", "fixtures/cycle/events.xes"]);
    csv.assert_code(0);
    xes.assert_code(0);
    assert_same_files(&csv, &xes);
    assert_same_stage_times(&csv, &xes);
    let j = xes.json("cycle_summary.json");
    assert_eq!(j["task_source"], "events");
    // tests/fixtures/cycle_events.rs writes the 171 events of events.csv, one <event> each.
    assert_eq!(j["task_rows_read"], 171);
    assert_eq!(j["tasks"], 60);
    // C13's first event: row 170 of events.csv (header on row 1) is the 169th event.
    let data = xes.table("data_findings.csv");
    assert_eq!(data.rows.len(), 1, "{:?}", data.rows);
    assert!(data.get(0, "file").ends_with("events.xes"));
    assert_eq!(data.get(0, "row"), "169");
    assert_eq!(data.get(0, "case_id"), "C13");
    assert_eq!(data.get(0, "column"), "case:concept:name");
}

#[test]
fn a_folder_with_events_xes_and_no_column_map_reads_the_standard_keys() {
    // The fixture without its task list, its CSV log and its columns.yaml: events.xes is
    // found in the folder and read by its XES keys.
    let dir = copy_fixture_without("cycle", &["tasks.csv", "events.csv", "columns.yaml"]);
    let rules = cycle_rules();
    let xes = run("cycle", dir.path(), &["--rules", rules.as_str()]);
    let tasks = cycle_fixture(&[]);
    xes.assert_code(0);
    tasks.assert_code(0);
    assert_same_files(&tasks, &xes);
    assert_eq!(xes.json("cycle_summary.json")["tasks"], 60);
}

#[test]
fn the_fixture_log_as_xes_gives_the_same_status() {
    for date in ["2026-10-06", "2026-10-14"] {
        let a = status_fixture(date, &["--events", "fixtures/cycle/events.csv"]);
        let b = status_fixture(date, &["--events", "fixtures/cycle/events.xes"]);
        for f in ["status.csv", "reconciliation.csv", "stuck_cases.csv"] {
            let x = std::fs::read_to_string(a.out.join(f)).expect("csv");
            let y = std::fs::read_to_string(b.out.join(f)).expect("xes");
            assert_eq!(x, y, "{date} {f}");
        }
    }
}

/// One event: activity, resource, timestamp, lifecycle (empty: the attribute is left out).
type Ev = (&'static str, &'static str, &'static str, &'static str);

/// C01's six tasks of fixtures/cycle/tasks.csv as events (assign, start, complete), and C02
/// with an event without a timestamp and one without an activity.
const TRACES: [(&str, &[Ev]); 2] = [
    (
        "C01",
        &[
            ("intake", "OP01", "2026-10-05T09:00:00.000", "assign"),
            ("intake", "OP01", "2026-10-05T09:10:00.000", "start"),
            ("intake", "OP01", "2026-10-05T09:30:00.000", "complete"),
            ("review", "OP02", "2026-10-05T09:30:00", "assign"),
            ("review", "OP02", "2026-10-05T10:00:00", "start"),
            ("review", "OP02", "2026-10-05T11:00:00", "complete"),
            ("entry", "OP03", "2026-10-05T11:00:00", "assign"),
            ("entry", "OP03", "2026-10-05T13:30:00", "start"),
            ("entry", "OP03", "2026-10-05T14:30:00", "complete"),
            ("double_check", "OP04", "2026-10-05T15:30:00", ""),
            ("binding", "OP05", "2026-10-05T16:30:00", ""),
            ("printing", "OP06", "2026-10-05T17:15:00", ""),
        ],
    ),
    (
        "C02",
        &[
            ("intake", "OP01", "", "complete"),
            ("", "OP02", "2026-10-09T17:25:00", "complete"),
        ],
    ),
];

/// The traces as an XES log, written as a tool would (declaration, extensions, a global).
fn xes_log() -> String {
    let mut x = String::from(concat!(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n",
        "<log xes.version=\"1.0\" xmlns=\"http://www.xes-standard.org/\">\n",
        "  <extension name=\"Concept\" prefix=\"concept\" uri=\"http://www.xes-standard.org/concept.xesext\"/>\n",
        "  <global scope=\"event\"><string key=\"concept:name\" value=\"__INVALID__\"/></global>\n",
    ));
    for (case, events) in TRACES {
        writeln!(
            x,
            "  <trace>\n    <string key=\"concept:name\" value=\"{case}\"/>"
        )
        .expect("write");
        for (activity, resource, at, lifecycle) in events {
            x += "    <event>\n";
            for (element, key, value) in [
                ("string", "concept:name", activity),
                ("string", "org:resource", resource),
                ("date", "time:timestamp", at),
                ("string", "lifecycle:transition", lifecycle),
            ] {
                if !value.is_empty() {
                    writeln!(x, "      <{element} key=\"{key}\" value=\"{value}\"/>")
                        .expect("write");
                }
            }
            x += "      <int key=\"cost:total\" value=\"12\"/>\n    </event>\n";
        }
        x += "  </trace>\n";
    }
    x + "</log>\n"
}

/// The same events as events.csv with the reference column names.
fn csv_log() -> String {
    let mut c = String::from("case_id,activity,resource,timestamp,lifecycle\n");
    for (case, events) in TRACES {
        for (activity, resource, at, lifecycle) in events {
            writeln!(c, "{case},{activity},{resource},{at},{lifecycle}").expect("write");
        }
    }
    c
}

/// A data folder of C01 and C02 (their rows of fixtures/cycle/cases.csv) and `events`.
fn folder(events: (&str, &str)) -> tempfile::TempDir {
    let dir = tempfile::tempdir().expect("tempdir");
    let cases =
        std::fs::read_to_string(crate::util::fixture("cycle").join("cases.csv")).expect("cases");
    let first: Vec<&str> = cases.lines().take(3).collect();
    assert!(first[1].starts_with("C01,") && first[2].starts_with("C02,"));
    std::fs::write(dir.path().join("cases.csv"), first.join("\n") + "\n").expect("write");
    std::fs::write(dir.path().join(events.0), events.1).expect("write");
    dir
}

fn cycle(dir: &Path) -> Run {
    let r = run("cycle", dir, &[]);
    r.assert_code(0);
    r
}

/// `cycle` on a folder with `xes` as events.xes and one with `csv` as events.csv (each with
/// C01 and C02): the runs, after checking that their row-free outputs are equal, and their
/// `cycle_summary.json`.
fn xes_and_csv(xes: &str, csv: &str) -> [(Run, serde_json::Value); 2] {
    let xes_dir = folder(("events.xes", xes));
    let csv_dir = folder(("events.csv", csv));
    let runs = [cycle(xes_dir.path()), cycle(csv_dir.path())];
    assert_same_files(&runs[1], &runs[0]);
    runs.map(|r| {
        let j = r.json("cycle_summary.json");
        (r, j)
    })
}

#[test]
fn a_hand_made_xes_log_gives_the_figures_of_its_csv_form() {
    let [(xes, jx), (csv, jc)] = xes_and_csv(&xes_log(), &csv_log());
    assert_same_stage_times(&csv, &xes);
    // By hand (Mon 2026-10-05, 09:00-12:00 and 13:00-17:30): intake waits 09:00 -> 09:10
    // and is handled 09:10 -> 09:30; entry waits 11:00 -> 13:30 less the lunch hour = 1.5 h
    // and is handled 13:30 -> 14:30; double_check (a completion only) elapses from entry's
    // completion 14:30 to 15:30.
    let t = xes.table("stage_times.csv");
    let row = |stage: &str| t.find(&[("case_id", "C01"), ("stage", stage)])[0].clone();
    assert_hours(
        &row("intake")["waiting_working_hours"],
        10.0 / 60.0,
        "intake",
    );
    assert_hours(
        &row("intake")["handling_working_hours"],
        20.0 / 60.0,
        "intake",
    );
    assert_hours(&row("entry")["waiting_working_hours"], 1.5, "entry");
    assert_hours(&row("entry")["handling_working_hours"], 1.0, "entry");
    assert_hours(
        &row("double_check")["elapsed_working_hours"],
        1.0,
        "double_check",
    );
    assert_eq!(row("double_check")["operator"], "OP04");
    // C02's event without a timestamp (the 13th event) and the one without an activity
    // (the 14th): the same findings as at rows 14 and 15 of the CSV, and the same counts.
    let findings = |r: &Run| -> Vec<(String, String)> {
        let d = r.table("data_findings.csv");
        (0..d.rows.len())
            .map(|i| (d.get(i, "row").to_owned(), d.get(i, "field").to_owned()))
            .collect()
    };
    let pairs = |v: &[(&str, &str)]| -> Vec<(String, String)> {
        v.iter()
            .map(|(a, b)| ((*a).to_owned(), (*b).to_owned()))
            .collect()
    };
    assert_eq!(
        findings(&xes),
        pairs(&[("13", "timestamp"), ("14", "activity")])
    );
    assert_eq!(
        findings(&csv),
        pairs(&[("14", "timestamp"), ("15", "activity")])
    );
    assert_eq!(jx["task_problems"], jc["task_problems"]);
    assert_eq!(jx["task_problems"]["no_timestamps"], 1);
    assert_eq!(jx["task_problems"]["unknown_stage"], 1);
    assert_eq!(jx["task_rows_read"], 14);
    // C01: 3 + 3 + 3 events paired into three tasks, three completions; C02: one task.
    assert_eq!(jx["tasks"], 7);
    assert_eq!(jc["tasks"], 7);
}

#[test]
fn an_empty_xes_log_is_run_like_an_empty_events_csv() {
    let [(_, jx), (_, jc)] =
        xes_and_csv("<?xml version=\"1.0\"?>\n<log xes.version=\"1.0\"/>\n", "");
    assert_eq!(jx["task_rows_read"], 0);
    assert_eq!(jx["tasks"], jc["tasks"]);
    assert_eq!(jx["tasks"], 0);
}

#[test]
fn a_broken_xes_log_stops_the_run_at_its_line_and_column() {
    // Cut inside the <date> tag that starts on line 4 after 2 spaces.
    let dir = folder((
        "events.xes",
        "<log>\n<trace><string key=\"concept:name\" value=\"C01\"/>\n<event/>\n  <date key=\"time:ti",
    ));
    let r = run("cycle", dir.path(), &[]);
    r.assert_code(2);
    let text = crate::util::squash(&r.stderr);
    assert!(text.contains("events.xes"), "{text}");
    assert!(
        text.contains(&crate::util::squash("line 4, column 3")),
        "{text}"
    );
}
