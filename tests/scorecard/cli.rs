//! Command-line arguments and missing inputs.

use crate::util::{copy_fixture, fixture, fixture_config, scorecard};

#[test]
fn an_unknown_team_lists_the_teams() {
    let cfg = fixture_config();
    let r = scorecard(
        &fixture(),
        "2026-10",
        &[
            "--config",
            cfg.to_str().unwrap(),
            "--team",
            "Gamma",
            "--no-history",
        ],
    );
    r.assert_code(2);
    let e = r.stderr_squashed();
    assert!(e.contains("noteam`Gamma`"), "{}", r.stderr);
    assert!(e.contains("Alpha,Beta,QC"), "{}", r.stderr);
}

#[test]
fn a_bad_month_is_a_usage_error() {
    for bad in ["2026-13", "2026-1", "October"] {
        let r = scorecard(&fixture(), bad, &["--no-history"]);
        r.assert_code(2);
        assert!(r.stderr.contains("is not a month"), "{bad}: {}", r.stderr);
    }
}

#[test]
fn the_roster_is_required() {
    let d = copy_fixture();
    std::fs::remove_file(d.path().join("operators.csv")).unwrap();
    let r = scorecard(d.path(), "2026-10", &["--no-history"]);
    r.assert_code(2);
    assert!(
        r.stderr_squashed().contains("needstheoperatorroster"),
        "{}",
        r.stderr
    );
}

#[test]
fn without_tasks_there_is_no_handling_time_or_rework() {
    let d = copy_fixture();
    std::fs::remove_file(d.path().join("tasks.csv")).unwrap();
    let cfg = fixture_config();
    let r = scorecard(
        d.path(),
        "2026-10",
        &["--config", cfg.to_str().unwrap(), "--no-history"],
    );
    r.assert_code(0);
    let t = r.table("scorecard.csv");
    for c in [
        "tasks_completed",
        "handling_mean_hours",
        "handling_p90_hours",
        "rework_caused",
    ] {
        assert!(
            t.column(c).iter().all(String::is_empty),
            "{c} must be empty"
        );
    }
    // Without returned tasks A04 keeps only the C03 finding as a catch: 1 catch, 3 misses.
    assert_eq!(t.get("operator", "A04", "catches"), "1");
    // Without rework the weights are quality 60 and checking 30 only:
    // A02 = quality 75 (weight 60 alone) = 75.00.
    crate::util::close(t.num("operator", "A02", "score"), 75.0, "A02 score");
    assert!(r.stdout.contains("no task list"));
}

#[test]
fn a_task_that_completes_before_it_starts_is_reported_and_not_timed() {
    let d = copy_fixture();
    // C11's binding task (B05): started 15:30, now completed 15:00.
    crate::util::edit(
        d.path(),
        "tasks.csv",
        "C2026100011,binding,B05,2026-10-12 15:00:00,2026-10-12 15:30:00,2026-10-12 16:00:00,done",
        "C2026100011,binding,B05,2026-10-12 15:00:00,2026-10-12 15:30:00,2026-10-12 15:00:00,done",
    );
    let cfg = fixture_config();
    let r = scorecard(
        d.path(),
        "2026-10",
        &["--config", cfg.to_str().unwrap(), "--no-history"],
    );
    r.assert_code(0);
    let df = r.table("data_findings.csv");
    assert_eq!(df.rows.len(), 1);
    assert!(df.rows[0]["file"].ends_with("tasks.csv"));
    assert!(df.rows[0]["problem"].contains("completed before it started"));
    let t = r.table("scorecard.csv");
    // B05: 6 tasks completed, 5 timed at 0.5 h.
    assert_eq!(t.get("operator", "B05", "tasks_completed"), "6");
    crate::util::close(
        t.num("operator", "B05", "handling_mean_hours"),
        0.5,
        "B05 mean",
    );
}
