//! Invalid options and output folders: exit 2, a message that names the problem, and no file
//! written (nothing half-written).

use std::path::Path;

use assert_cmd::Command;

use crate::generate_env;
use crate::util::squash;

fn run_in(out: &Path, args: &[&str]) -> (i32, String) {
    let o = Command::cargo_bin("policyqc")
        .expect("binary")
        .arg("generate")
        .arg("--out")
        .arg(out)
        .args(args)
        .env("NO_COLOR", "1")
        .output()
        .expect("run");
    (
        o.status.code().expect("code"),
        squash(&String::from_utf8_lossy(&o.stderr)),
    )
}

fn assert_fails(args: &[&str], says: &str) {
    let mut full = vec!["--cases", "50"];
    if !args.contains(&"--start") {
        full.extend(["--start", "2026-10-01"]);
    }
    full.extend_from_slice(args);
    let g = generate_env(&full, &[]);
    assert_eq!(g.code, 2, "{args:?}: exit {}\n{}", g.code, g.stderr);
    assert!(
        squash(&g.stderr).contains(&squash(says)),
        "{args:?}: stderr does not say `{says}`:\n{}",
        g.stderr
    );
    assert!(
        !g.dir.exists() || std::fs::read_dir(&g.dir).expect("dir").next().is_none(),
        "{args:?} wrote files"
    );
}

#[test]
fn invalid_options_stop_with_a_message_and_write_nothing() {
    assert_fails(&["--days", "0"], "--days must be at least 1");
    assert_fails(
        &["--error-rate", "1.5"],
        "--error-rate 1.5 is not a probability",
    );
    assert_fails(
        &["--catch-rate=-0.1"],
        "--catch-rate -0.1 is not a probability",
    );
    assert_fails(
        &["--point-rate", "9=0.1"],
        "error point 9 has no rule in the default pack",
    );
    assert_fails(
        &["--point-rate", "5=2"],
        "--point-rate 5=2: the rate is not a probability",
    );
    assert_fails(&["--point-rate", "five"], "expected POINT=RATE");
    assert_fails(&["--operators", "5"], "--operators must be at least 10");
    assert_fails(&["--start", "2026-13-01"], "--start");
    // Saturday 3 and Sunday 4 October 2026: no working day.
    assert_fails(
        &["--start", "2026-10-03", "--days", "2"],
        "has no working day",
    );
}

#[test]
fn a_bad_calendar_file_is_named() {
    let tmp = tempfile::tempdir().expect("tmp");
    let cal = tmp.path().join("cal.yaml");
    std::fs::write(&cal, "working_days: [mon, funday]\n").expect("write");
    let out = tmp.path().join("out");
    let (code, err) = run_in(
        &out,
        &[
            "--cases",
            "10",
            "--start",
            "2026-10-01",
            "--calendar",
            cal.to_str().unwrap(),
        ],
    );
    assert_eq!(code, 2);
    assert!(
        err.contains(&squash(&cal.display().to_string())) && err.contains("funday"),
        "{err}"
    );
    assert!(!out.exists());
}

#[test]
fn a_folder_with_the_other_formats_tables_is_refused_untouched() {
    let tmp = tempfile::tempdir().expect("tmp");
    std::fs::write(tmp.path().join("cases.parquet"), b"not ours").expect("write");
    let (code, err) = run_in(tmp.path(), &["--cases", "10", "--start", "2026-10-01"]);
    assert_eq!(code, 2);
    assert!(
        err.contains("cases.parquet") && err.contains("alreadyexists"),
        "{err}"
    );
    let names: Vec<_> = std::fs::read_dir(tmp.path())
        .unwrap()
        .map(|e| e.unwrap().file_name())
        .collect();
    assert_eq!(names, ["cases.parquet"]);
}

#[test]
fn an_output_path_that_is_a_file_fails_cleanly() {
    let tmp = tempfile::tempdir().expect("tmp");
    let file = tmp.path().join("occupied");
    std::fs::write(&file, b"x").expect("write");
    let (code, err) = run_in(&file, &["--cases", "10", "--start", "2026-10-01"]);
    assert_eq!(code, 2, "{err}");
    assert!(err.contains("occupied"), "{err}");
}

#[test]
fn quiet_prints_nothing_and_no_progress_bar_off_a_terminal() {
    let g = generate_env(&["--cases", "100", "--start", "2026-10-01", "--quiet"], &[]);
    assert_eq!((g.code, g.stdout.as_str(), g.stderr.as_str()), (0, "", ""));
    // Without --quiet the summary goes to stdout; stderr (not a terminal here) stays empty.
    let g = generate_env(&["--cases", "100", "--start", "2026-10-01"], &[]);
    assert_eq!(g.code, 0);
    assert!(
        g.stdout.starts_with("100 cases over 21 working days"),
        "{}",
        g.stdout
    );
    assert_eq!(g.stderr, "");
}

#[test]
fn a_calendar_file_is_used_and_copied() {
    let tmp = tempfile::tempdir().expect("tmp");
    let cal = tmp.path().join("cal.yaml");
    // A six-day week, one long interval: Saturdays get cases.
    let text =
        "working_days: [mon, tue, wed, thu, fri, sat]\nworking_hours: [[\"08:00\", \"16:00\"]]\n";
    std::fs::write(&cal, text).expect("write");
    let out = tmp.path().join("out");
    let (code, err) = run_in(
        &out,
        &[
            "--cases",
            "600",
            "--start",
            "2026-10-01",
            "--days",
            "14",
            "--calendar",
            cal.to_str().unwrap(),
        ],
    );
    assert_eq!(code, 0, "{err}");
    assert_eq!(
        std::fs::read_to_string(out.join("calendar.yaml")).unwrap(),
        text
    );
    let cases = crate::util::Table::read(&out.join("cases.csv"));
    let sat = cases.rows.iter().filter(|r| {
        let d = chrono::NaiveDate::parse_from_str(&r[cases.col("received_at")][..10], "%Y-%m-%d")
            .unwrap();
        chrono::Datelike::weekday(&d) == chrono::Weekday::Sat
    });
    assert!(sat.count() > 0);
    assert!(
        cases
            .rows
            .iter()
            .all(|r| r[cases.col("received_at")][11..] >= *"08:00:00")
    );
}
