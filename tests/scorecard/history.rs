//! The history: reruns replace a month and leave identical data; a run that fails, panics or
//! is killed part-way leaves the history as it was; migrations; trends across months.

use std::path::Path;
use std::time::{Duration, Instant};

use policyqc::config::diagnostics::SourceFile;
use policyqc::history::{History, HistoryError, MIGRATIONS, scorecard::periods};
use policyqc::input::DataSources;
use policyqc::scorecard::{Scorecard, ScorecardOptions, config, run_scorecard};
use tempfile::TempDir;

use crate::util::{close, fixture, fixture_config, run_in, scorecard};

fn october() -> Scorecard {
    let text = std::fs::read_to_string(fixture_config()).unwrap();
    let cfg = config::read(&SourceFile::new("scorecard.yaml", text)).expect("fixture config");
    run_scorecard(
        &ScorecardOptions {
            sources: DataSources::from_folder(&fixture()),
            rules_dir: None,
            config: cfg,
            month: "2026-10".parse().unwrap(),
            strict: false,
            rule_findings: None,
        },
        None,
    )
    .expect("scorecard")
}

fn count(h: &History, table: &str) -> i64 {
    h.connection()
        .query_row(&format!("SELECT COUNT(*) FROM {table}"), [], |r| r.get(0))
        .unwrap()
}

#[test]
fn rerunning_a_month_gives_an_identical_history() {
    let dir = TempDir::new().unwrap();
    let db = dir.path().join("h.sqlite");
    let cfg = fixture_config();
    let args = [
        "--config",
        cfg.to_str().unwrap(),
        "--history",
        db.to_str().unwrap(),
    ];
    let env = [("SOURCE_DATE_EPOCH", "1793000000")];
    let go = || {
        let r = run_in(
            TempDir::new().unwrap(),
            &fixture(),
            "2026-10",
            &args,
            &env,
            dir.path().join("out"),
            db.clone(),
        );
        r.assert_code(0);
    };
    go();
    let first = History::open(&db).unwrap().dump().unwrap();
    go();
    let second = History::open(&db).unwrap().dump().unwrap();
    assert_eq!(
        first, second,
        "the second run of October changed the history"
    );
    let h = History::open(&db).unwrap();
    assert_eq!(count(&h, "runs"), 1, "replaced, not added");
    assert_eq!(count(&h, "scorecard_operators"), 12);
    assert_eq!(count(&h, "scorecard_errors"), 9);
    // 1793000000 s = 20752 days (1792972800 s, 2026-10-26) + 27200 s (7 h 33 min 20 s).
    let when: String = h
        .connection()
        .query_row("SELECT recorded_at FROM runs", [], |r| r.get(0))
        .unwrap();
    assert_eq!(when, "2026-10-26 07:33:20");
    let (period, start, end): (String, String, String) = h
        .connection()
        .query_row(
            "SELECT period, period_start, period_end FROM runs",
            [],
            |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
        )
        .unwrap();
    assert_eq!(
        (period.as_str(), start.as_str(), end.as_str()),
        ("2026-10", "2026-10-01 00:00:00", "2026-11-01 00:00:00")
    );
    assert!(first.contains("0001_runs_and_scorecards"));
}

/// The dump after recording October once (with a fixed time).
fn recorded(db: &Path, sc: &Scorecard) -> String {
    let mut h = History::open(db).unwrap();
    let mut run = sc.run_record();
    run.recorded_at = String::from("2026-11-02 08:00:00");
    sc.record_with(&mut h, &run, &mut |_| Ok(())).unwrap();
    h.dump().unwrap()
}

#[test]
fn a_failure_after_the_first_insert_leaves_the_history_as_it_was() {
    let dir = TempDir::new().unwrap();
    let db = dir.path().join("h.sqlite");
    let sc = october();
    let before = recorded(&db, &sc);
    let mut run = sc.run_record();
    run.recorded_at = String::from("2099-12-31 00:00:00");
    // Stop right after the `runs` row, then after the first operator row.
    for stop_at in ["runs", "scorecard_operators"] {
        let mut h = History::open(&db).unwrap();
        let r = sc.record_with(&mut h, &run, &mut |step| {
            if step.table == stop_at {
                Err(HistoryError::Stopped {
                    table: step.table.to_owned(),
                    row: step.row,
                    reason: String::from("injected"),
                })
            } else {
                Ok(())
            }
        });
        assert!(r.is_err(), "the injected failure must surface");
        drop(h);
        assert_eq!(
            History::open(&db).unwrap().dump().unwrap(),
            before,
            "after a failure at {stop_at}"
        );
    }
    // A panic in the middle (the process unwinding) rolls back too, and the store stays usable.
    let mut h = History::open(&db).unwrap();
    let result = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
        let _ = sc.record_with(&mut h, &run, &mut |step| {
            assert!(
                step.table != "scorecard_errors" || step.row < 3,
                "injected panic"
            );
            Ok(())
        });
    }));
    assert!(result.is_err());
    drop(h);
    assert_eq!(
        History::open(&db).unwrap().dump().unwrap(),
        before,
        "after a panic"
    );
    let mut h = History::open(&db).unwrap();
    sc.record_with(&mut h, &run, &mut |_| Ok(())).unwrap();
    assert!(h.dump().unwrap().contains("2099-12-31 00:00:00"));
}

const CHILD_DB: &str = "POLICYQC_TEST_KILL_DB";
const CHILD_READY: &str = "POLICYQC_TEST_KILL_READY";

#[test]
fn a_run_killed_between_writes_leaves_the_history_as_it_was() {
    if let (Ok(db), Ok(ready)) = (std::env::var(CHILD_DB), std::env::var(CHILD_READY)) {
        // The child: start rewriting October, signal after the first error row, then hang
        // inside the open transaction until killed.
        let sc = october();
        let mut h = History::open(Path::new(&db)).unwrap();
        let mut run = sc.run_record();
        run.recorded_at = String::from("2099-12-31 00:00:00");
        let _ = sc.record_with(&mut h, &run, &mut |step| {
            if step.table == "scorecard_errors" {
                std::fs::write(&ready, "inside the transaction").unwrap();
                std::thread::sleep(Duration::from_secs(120));
            }
            Ok(())
        });
        unreachable!("the parent kills this process");
    }
    let dir = TempDir::new().unwrap();
    let db = dir.path().join("h.sqlite");
    let ready = dir.path().join("ready");
    let before = recorded(&db, &october());
    let mut child = std::process::Command::new(std::env::current_exe().unwrap())
        .args([
            "--exact",
            "history::a_run_killed_between_writes_leaves_the_history_as_it_was",
            "--nocapture",
        ])
        .env(CHILD_DB, &db)
        .env(CHILD_READY, &ready)
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .spawn()
        .unwrap();
    let start = Instant::now();
    while !ready.exists() {
        assert!(
            start.elapsed() < Duration::from_secs(120),
            "the child never reached the write"
        );
        if let Some(status) = child.try_wait().unwrap() {
            panic!("the child ended early: {status}");
        }
        std::thread::sleep(Duration::from_millis(50));
    }
    child.kill().unwrap(); // SIGKILL: no unwinding, no rollback by the process itself
    child.wait().unwrap();
    // The deleted October and the half-written new one are undone from the journal.
    let after = History::open(&db).unwrap().dump().unwrap();
    assert_eq!(after, before);
    assert!(!after.contains("2099-12-31"));
}

#[test]
fn migrations_are_recorded_and_foreign_histories_refused() {
    let dir = TempDir::new().unwrap();
    let db = dir.path().join("h.sqlite");
    let h = History::open(&db).unwrap();
    assert_eq!(h.schema_version().unwrap() as usize, MIGRATIONS.len());
    assert_eq!(
        h.applied().unwrap()[0],
        (1, String::from("0001_runs_and_scorecards"))
    );
    drop(h);
    // Reopening applies nothing twice.
    let h = History::open(&db).unwrap();
    assert_eq!(h.applied().unwrap().len(), MIGRATIONS.len());
    h.connection()
        .execute(
            "INSERT INTO schema_migrations (version, name) VALUES (99, '0099_future')",
            [],
        )
        .unwrap();
    drop(h);
    match History::open(&db) {
        Err(HistoryError::Newer { found: 99, .. }) => {}
        other => panic!("expected Newer, got {other:?}"),
    }
    let db2 = dir.path().join("h2.sqlite");
    let h = History::open(&db2).unwrap();
    h.connection()
        .execute(
            "UPDATE schema_migrations SET name = '0001_something_else' WHERE version = 1",
            [],
        )
        .unwrap();
    drop(h);
    match History::open(&db2) {
        Err(HistoryError::Diverged { version: 1, .. }) => {}
        other => panic!("expected Diverged, got {other:?}"),
    }
}

#[test]
fn a_history_file_that_is_not_a_database_is_an_error_naming_it() {
    let dir = TempDir::new().unwrap();
    let db = dir.path().join("notes.sqlite");
    std::fs::write(
        &db,
        "these are not the pages of a database, just some text to fill a header",
    )
    .unwrap();
    let cfg = fixture_config();
    let r = scorecard(
        &fixture(),
        "2026-10",
        &[
            "--config",
            cfg.to_str().unwrap(),
            "--history",
            db.to_str().unwrap(),
        ],
    );
    r.assert_code(2);
    assert!(r.stderr_squashed().contains("notes.sqlite"), "{}", r.stderr);
    assert!(!r.out.join("scorecard.csv").exists());
}

#[test]
fn the_trend_compares_with_the_previous_months() {
    let dir = TempDir::new().unwrap();
    let db = dir.path().join("h.sqlite");
    // September with minimum volume 1 (README "Trend"): A01 14.29, A02 100.
    let sept_cfg = dir.path().join("september.yaml");
    let text = std::fs::read_to_string(fixture_config()).unwrap();
    std::fs::write(
        &sept_cfg,
        text.replace("minimum_volume: 6", "minimum_volume: 1"),
    )
    .unwrap();
    let r = scorecard(
        &fixture(),
        "2026-09",
        &[
            "--config",
            sept_cfg.to_str().unwrap(),
            "--history",
            db.to_str().unwrap(),
        ],
    );
    r.assert_code(0);
    let t = r.table("scorecard.csv");
    close(t.num("operator", "A01", "score"), 14.29, "A01 September");
    close(t.num("operator", "A02", "score"), 100.0, "A02 September");
    let cfg = fixture_config();
    let r = scorecard(
        &fixture(),
        "2026-10",
        &[
            "--config",
            cfg.to_str().unwrap(),
            "--history",
            db.to_str().unwrap(),
        ],
    );
    r.assert_code(0);
    let t = r.table("scorecard.csv");
    close(t.num("operator", "A01", "prev_score"), 14.29, "A01 prev");
    close(
        t.num("operator", "A01", "score_change"),
        73.47,
        "A01 change",
    );
    close(
        t.num("operator", "A01", "prev3_mean_score"),
        14.29,
        "A01 prev3",
    );
    assert_eq!(t.get("operator", "A01", "trend"), "up");
    close(
        t.num("operator", "A02", "score_change"),
        -25.0,
        "A02 change",
    );
    assert_eq!(t.get("operator", "A02", "trend"), "down");
    assert_eq!(t.get("operator", "B01", "trend"), "new");
    assert_eq!(t.get("operator", "A06", "trend"), "", "not rated: no trend");
    let h = History::open(&db).unwrap();
    assert_eq!(periods(&h).unwrap(), ["2026-09", "2026-10"]);
}

/// `policyqc scorecard` of the fixture's October into `out`, writing `db`, as a child process.
fn spawn_scorecard(db: &Path, out: &Path) -> std::process::Child {
    std::process::Command::new(env!("CARGO_BIN_EXE_policyqc"))
        .arg("scorecard")
        .arg(fixture())
        .args(["--month", "2026-10", "--quiet", "--config"])
        .arg(fixture_config())
        .arg("--history")
        .arg(db)
        .arg("--out")
        .arg(out)
        .stderr(std::process::Stdio::piped())
        .spawn()
        .expect("spawn policyqc")
}

#[test]
fn two_scorecard_processes_writing_one_history_both_succeed() {
    // Three rounds, each two processes started together on a new history (both create the
    // schema) and then again on the existing one (both replace October).
    for round in 0..3 {
        let dir = TempDir::new().unwrap();
        let db = dir.path().join("h.sqlite");
        for pass in ["new", "existing"] {
            let children: Vec<_> = ["a", "b"]
                .iter()
                .map(|n| spawn_scorecard(&db, &dir.path().join(format!("out-{n}"))))
                .collect();
            for child in children {
                let o = child.wait_with_output().expect("wait");
                assert_eq!(
                    o.status.code(),
                    Some(0),
                    "round {round}, {pass} history: {}",
                    String::from_utf8_lossy(&o.stderr)
                );
            }
            let h = History::open(&db).unwrap();
            assert_eq!(
                h.applied().unwrap().len(),
                MIGRATIONS.len(),
                "migrations once"
            );
            // October recorded once: the later run replaced the earlier one.
            assert_eq!(count(&h, "runs"), 1, "round {round}, {pass}");
        }
    }
}

#[test]
fn a_database_of_another_program_is_refused_and_left_untouched() {
    let dir = TempDir::new().unwrap();
    let db = dir.path().join("contacts.sqlite");
    let conn = rusqlite::Connection::open(&db).unwrap();
    conn.execute_batch("CREATE TABLE contacts (name TEXT); INSERT INTO contacts VALUES ('Lin');")
        .unwrap();
    drop(conn);
    let before = std::fs::read(&db).unwrap();
    let cfg = fixture_config();
    let r = scorecard(
        &fixture(),
        "2026-10",
        &[
            "--config",
            cfg.to_str().unwrap(),
            "--history",
            db.to_str().unwrap(),
        ],
    );
    r.assert_code(2);
    let err = r.stderr_squashed();
    assert!(err.contains("contacts.sqlite"), "{}", r.stderr);
    assert!(err.contains("anotherprogram"), "{}", r.stderr);
    assert_eq!(
        std::fs::read(&db).unwrap(),
        before,
        "the file is byte for byte as it was"
    );
    assert!(!r.out.exists(), "no output folder");
}

#[test]
fn a_history_of_a_newer_schema_is_refused_and_left_untouched() {
    let dir = TempDir::new().unwrap();
    let db = dir.path().join("h.sqlite");
    let h = History::open(&db).unwrap();
    h.connection()
        .execute(
            "INSERT INTO schema_migrations (version, name) VALUES (99, '0099_future')",
            [],
        )
        .unwrap();
    drop(h);
    let before = std::fs::read(&db).unwrap();
    let cfg = fixture_config();
    let r = scorecard(
        &fixture(),
        "2026-10",
        &[
            "--config",
            cfg.to_str().unwrap(),
            "--history",
            db.to_str().unwrap(),
        ],
    );
    r.assert_code(2);
    assert!(
        r.stderr_squashed().contains("schemaversion99"),
        "{}",
        r.stderr
    );
    assert_eq!(
        std::fs::read(&db).unwrap(),
        before,
        "the file is byte for byte as it was"
    );
}
