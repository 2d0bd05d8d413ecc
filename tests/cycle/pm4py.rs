//! Public process-mining logs, fed as event logs alone (no cases table), against an
//! independent process-mining library: pm4py's own case durations, on the calendar and in
//! business hours, per case and in mean and median, to one second.
//!
//! The logs (receipt: 1,434 cases, 8,577 events, timestamps at +01:00 and +02:00 across
//! daylight-saving changes; reviewing: 100 cases, 3,730 start/complete events) and pm4py's
//! figures for them are made by `tests/pm4py/setup.sh` under `target/pm4py` (`.ci/run` calls
//! it): pm4py reads the XES form with its own importer and converts the times to
//! Europe/Amsterdam with pandas' time-zone database; policyqc reads the CSV form with XES
//! column names (mapped in `columns.yaml`), and the XES form with its own importer, and
//! converts with chrono-tz. The business week is
//! the same on both sides: Monday to Friday, 08:00-12:00 and 13:00-17:00.
//!
//! Without `target/pm4py` (a machine that has not run the setup) the tests say so and pass,
//! except under CI (`CI` set), where the setup must have run.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use crate::util::{Table, num, repo, run};

const COLUMNS: &str = "\
# An event log with XES column names, as pm4py writes it.
events:
  case_id: \"case:concept:name\"
  activity: \"concept:name\"
  resource: \"org:resource\"
  timestamp: \"time:timestamp\"
  lifecycle: \"lifecycle:transition\"
";
const CALENDAR: &str = "\
working_days: [mon, tue, wed, thu, fri]
working_hours: [[\"08:00\", \"12:00\"], [\"13:00\", \"17:00\"]]
";
const SETTINGS: &str = "office_time_zone: Europe/Amsterdam\n";

/// `target/pm4py`, or `None` (said) when the setup has not run and this is not CI.
fn reference_dir() -> Option<PathBuf> {
    let dir = repo().join("target").join("pm4py");
    if dir.join("ref").join("receipt.csv").is_file() {
        return Some(dir);
    }
    assert!(
        std::env::var_os("CI").is_none(),
        "target/pm4py is missing: .ci/run must run tests/pm4py/setup.sh before the tests"
    );
    eprintln!("skipped: run tests/pm4py/setup.sh to compare with pm4py");
    None
}

/// A data folder holding only the event log `log` (as `events.<ext>`), the column map, the
/// business-hours calendar and the office time zone.
fn folder(log: &Path, ext: &str) -> tempfile::TempDir {
    let dir = tempfile::tempdir().expect("tempdir");
    std::fs::copy(log, dir.path().join(format!("events.{ext}"))).expect("copy the log");
    std::fs::write(dir.path().join("columns.yaml"), COLUMNS).expect("columns.yaml");
    std::fs::write(dir.path().join("calendar.yaml"), CALENDAR).expect("calendar.yaml");
    std::fs::write(dir.path().join("settings.yaml"), SETTINGS).expect("settings.yaml");
    dir
}

/// Per case: (cycle hours, cycle working hours).
fn per_case(t: &Table) -> BTreeMap<String, (f64, f64)> {
    t.records()
        .iter()
        .map(|r| {
            (
                r["case_id"].clone(),
                (num(&r["cycle_hours"]), num(&r["cycle_working_hours"])),
            )
        })
        .collect()
}

fn mean(v: &[f64]) -> f64 {
    v.iter().sum::<f64>() / v.len() as f64
}

/// The exact median (the mean of the two middle values for an even count).
fn median(v: &[f64]) -> f64 {
    let mut s = v.to_vec();
    s.sort_by(f64::total_cmp);
    let n = s.len();
    if n % 2 == 1 {
        s[n / 2]
    } else {
        f64::midpoint(s[n / 2 - 1], s[n / 2])
    }
}

/// One second, in hours, plus the 6-decimal rounding of the outputs.
const SECOND: f64 = 1.0 / 3600.0 + 5e-7;

/// Runs `cycle` on the log's `ext` form and compares with pm4py's figures.
fn compare(log: &str, ext: &str) {
    let Some(dir) = reference_dir() else { return };
    let data = folder(&dir.join("data").join(format!("{log}.{ext}")), ext);
    let r = run("cycle", data.path(), &[]);
    r.assert_code(0);
    let want = per_case(&Table::read(&dir.join("ref").join(format!("{log}.csv"))));
    let got = per_case(&r.table("case_times.csv"));
    assert_eq!(
        got.keys().collect::<Vec<_>>(),
        want.keys().collect::<Vec<_>>(),
        "{log}: the same cases"
    );
    for (case, (wall, work)) in &want {
        let (g_wall, g_work) = got[case];
        assert!(
            (g_wall - wall).abs() <= SECOND,
            "{log} {case}: cycle {g_wall} h, pm4py {wall} h"
        );
        assert!(
            (g_work - work).abs() <= SECOND,
            "{log} {case}: working {g_work} h, pm4py {work} h"
        );
    }
    let summary: serde_json::Value = serde_json::from_str(
        &std::fs::read_to_string(dir.join("ref").join(format!("{log}.json"))).expect("json"),
    )
    .expect("pm4py summary");
    let ours = r.json("cycle_summary.json");
    assert_eq!(ours["cases_read"], summary["cases"], "{log}: cases in");
    assert_eq!(
        ours["cases_accounted_for"], summary["cases"],
        "{log}: cases out"
    );
    assert_eq!(ours["data_findings"], 0, "{log}: no data finding");
    // Mean and median of our per-case figures and of pm4py's list of case durations.
    let works: Vec<f64> = got.values().map(|v| v.1).collect();
    let walls: Vec<f64> = got.values().map(|v| v.0).collect();
    for (what, ours, theirs) in [
        ("working mean", mean(&works), "cycle_working_hours_mean"),
        (
            "working median",
            median(&works),
            "cycle_working_hours_median",
        ),
        ("calendar mean", mean(&walls), "cycle_hours_mean"),
        ("calendar median", median(&walls), "cycle_hours_median"),
    ] {
        let theirs = summary[theirs].as_f64().expect("figure");
        assert!(
            (ours - theirs).abs() <= SECOND,
            "{log} {what}: {ours} h, pm4py {theirs} h"
        );
    }
    // The summary table's own mean and (exact) median of working hours, as the user reads
    // them.
    let table = r.table("cycle_summary.csv");
    let all = table.find(&[
        ("dimension", "all"),
        ("group", "all"),
        ("measure", "cycle_working_hours"),
    ]);
    for (column, theirs) in [
        ("mean", "cycle_working_hours_mean"),
        ("median", "cycle_working_hours_median"),
    ] {
        let reported = num(&all[0][column]);
        let theirs = summary[theirs].as_f64().expect("figure");
        assert!(
            (reported - theirs).abs() <= SECOND,
            "{log}: reported {column} {reported} h, pm4py {theirs} h"
        );
    }
}

#[test]
fn receipt_csv_alone_gives_pm4pys_case_durations() {
    compare("receipt", "csv");
}

#[test]
fn reviewing_csv_alone_gives_pm4pys_case_durations() {
    compare("reviewing", "csv");
}

/// The XES form of the same logs, read by policyqc's own importer, gives the same figures.
#[test]
fn receipt_xes_alone_gives_pm4pys_case_durations() {
    compare("receipt", "xes");
}

#[test]
fn reviewing_xes_alone_gives_pm4pys_case_durations() {
    compare("reviewing", "xes");
}
