//! Without a task list, tasks are derived from the cases' stage timestamps.

use crate::util::{Table, assert_hours, copy_fixture_without, cycle_rules, fixture, run};

#[test]
fn cycle_without_tasks_derives_them_from_the_cases() {
    let dir = copy_fixture_without("cycle", &["tasks.csv", "events.csv", "events.xes"]);
    let rules = cycle_rules();
    let r = run("cycle", dir.path(), &["--rules", rules.as_str()]);
    r.assert_code(0);
    let j = r.json("cycle_summary.json");
    assert_eq!(j["task_source"], "derived from cases");
    let cases = r.table("case_times.csv");
    // The cycle does not need tasks: C03 as by hand, 27.5 and 7 own.
    let c03 = &cases.find(&[("case_id", "C03")])[0];
    assert_hours(&c03["cycle_working_hours"], 27.5, "C03");
    assert_hours(&c03["own_working_hours"], 7.0, "C03 own");
    // Visits and rework are unknown without a task list: empty, not 0.
    assert_eq!(c03["stage_visits"], "");
    assert_eq!(c03["reworked"], "");
    // A stage's elapsed time is the time between the stage timestamps: C01 entry
    // reviewed 11:00 -> entered 14:30 = 1 + 1.5; waiting and handling unknown.
    let st = r.table("stage_times.csv");
    let e = &st.find(&[("case_id", "C01"), ("stage", "entry")])[0];
    assert_hours(&e["elapsed_working_hours"], 2.5, "C01 entry");
    assert_eq!(e["waiting_working_hours"], "");
    assert_eq!(e["operator"], "OP03", "the case's entry_operator");
    // C07 is held at entry (reviewed, not entered): one open derived task.
    let c07 = &st.find(&[("case_id", "C07"), ("stage", "entry")])[0];
    assert_eq!(c07["open"], "true");
}

/// Counts from `cases.csv` directly: stage timestamps are `YYYY-MM-DD HH:MM:SS` text, so a
/// string comparison orders them.
fn demo_counts(day: &str) -> (usize, usize, usize, usize) {
    let t = Table::read(&fixture("demo").join("cases.csv"));
    let start = format!("{day} 00:00:00");
    let next = {
        let d = chrono::NaiveDate::parse_from_str(day, "%Y-%m-%d").expect("date");
        format!("{} 00:00:00", d.succ_opt().expect("next"))
    };
    let open_at = |r: &std::collections::BTreeMap<String, String>, t: &str| {
        r["received_at"].as_str() < t && (r["bound_at"].is_empty() || r["bound_at"].as_str() >= t)
    };
    let recs = t.records();
    let in_day = |v: &str| !v.is_empty() && v >= start.as_str() && v < next.as_str();
    (
        recs.iter().filter(|r| open_at(r, &start)).count(),
        recs.iter().filter(|r| in_day(&r["received_at"])).count(),
        recs.iter().filter(|r| in_day(&r["bound_at"])).count(),
        recs.iter().filter(|r| open_at(r, &next)).count(),
    )
}

#[test]
fn status_on_the_demo_month_reconciles_and_loses_no_case() {
    let r = run("status", &fixture("demo"), &["--date", "2026-10-20"]);
    r.assert_code(0);
    let rec = r.table("reconciliation.csv");
    assert!(
        rec.records().iter().all(|x| x["reconciled"] == "true"),
        "{:?}",
        rec.rows
    );
    let cases = &rec.find(&[("stage", "(cases)")])[0];
    let (opening, new, finished, closing) = demo_counts("2026-10-20");
    assert_eq!(cases["opening"], opening.to_string());
    assert_eq!(cases["new_pending"], new.to_string());
    assert_eq!(cases["finished"], finished.to_string());
    assert_eq!(cases["closing"], closing.to_string());
    assert_eq!(r.table("exceptions.csv").rows.len(), 0);
}
