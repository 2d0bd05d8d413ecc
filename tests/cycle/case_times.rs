//! `policyqc cycle` on fixtures/cycle against the hand computations of its README.

use std::collections::BTreeMap;

use crate::util::{Run, Table, assert_hours, cycle_fixture, cycle_rules, fixture, num, run_env};

/// (case, cycle working hours, wall-clock hours, working days, customer wait, referral wait,
/// own, stage visits, reworked, status): fixtures/cycle/README.md, "`case_times.csv`". Working
/// days are the hours / 7.5.
type CaseRow = (
    &'static str,
    f64,
    f64,
    f64,
    f64,
    f64,
    &'static str,
    &'static str,
    &'static str,
);

const CASES: [CaseRow; 12] = [
    // Mon 10-05 09:00-16:30 = 3 + 3.5
    ("C01", 6.5, 7.5, 0.0, 0.0, 6.5, "6", "false", "bound"),
    // Fri 17:00-17:30 + make-up Sat 7.5 + Mon 09:00-11:30
    ("C02", 10.5, 66.5, 0.0, 0.0, 10.5, "6", "false", "bound"),
    // 6.5 + 7.5 + 7.5 + (holidays, weekend) + 6; referral 3.5 + 7.5 + 7.5 + 2
    ("C03", 27.5, 174.0, 0.0, 20.5, 7.0, "7", "false", "bound"),
    // 7.5 x 4 + 1.5; query 6.5 + 7.5 + 7.5 + 5
    ("C04", 31.5, 193.5, 26.5, 0.0, 5.0, "6", "false", "bound"),
    // Wed 09:00-17:00 = 3 + 4; returned by the double-check
    ("C05", 7.0, 8.0, 0.0, 0.0, 7.0, "8", "true", "bound"),
    // 7.5 x 3 + 4.5; query 15, referral 15, overlap 8.5: 27 - 21.5
    ("C06", 27.0, 77.5, 15.0, 15.0, 5.5, "6", "false", "bound"),
    // open to Fri 10-16 10:00: 3.5 + 7 x 7.5 + 1
    ("C07", 57.0, 212.0, 0.0, 0.0, 57.0, "3", "false", "open"),
    // 6.5 + 9 x 7.5 + 1
    ("C08", 75.0, 264.0, 0.0, 0.0, 75.0, "2", "false", "open"),
    // 7.5 x 3 + 1; query still open: 5.5 + 7.5 + 7.5 + 1
    ("C09", 23.5, 73.0, 21.5, 0.0, 2.0, "2", "false", "open"),
    // 7 x 7.5 + 1; referral still open: 6.5 + 3 x 7.5 + 1
    ("C10", 53.5, 193.0, 0.0, 30.0, 23.5, "3", "false", "open"),
    // received at the as-of instant, no task
    ("C11", 0.0, 0.0, 0.0, 0.0, 0.0, "0", "false", "open"),
    // Mon 08:30 (counts from 09:00) = 7.5 + Tue 0.5
    ("C12", 8.0, 25.0, 0.0, 0.0, 8.0, "9", "true", "bound"),
];

#[test]
fn case_times_match_the_hand_computation() {
    let run = cycle_fixture(&[]);
    run.assert_code(0);
    let t = run.table("case_times.csv");
    assert_eq!(
        t.header,
        [
            "case_id",
            "change_type",
            "received_at",
            "bound_at",
            "cycle_hours",
            "cycle_working_hours",
            "cycle_working_days",
            "customer_wait_working_hours",
            "referral_wait_working_hours",
            "own_working_hours",
            "stage_visits",
            "reworked",
            "branch",
            "status",
            "as_of",
            "row"
        ]
    );
    assert_eq!(t.rows.len(), 12, "every case, none dropped");
    for (i, (id, wh, wall, customer, referral, own, visits, reworked, status)) in
        CASES.iter().enumerate()
    {
        let r = &t.records()[i];
        assert_eq!(&r["case_id"], id);
        assert_hours(&r["cycle_working_hours"], *wh, &format!("{id} cycle"));
        assert_hours(&r["cycle_hours"], *wall, &format!("{id} wall clock"));
        assert_hours(&r["cycle_working_days"], wh / 7.5, &format!("{id} days"));
        assert_hours(
            &r["customer_wait_working_hours"],
            *customer,
            &format!("{id} customer"),
        );
        assert_hours(
            &r["referral_wait_working_hours"],
            *referral,
            &format!("{id} referral"),
        );
        assert_hours(&r["own_working_hours"], *own, &format!("{id} own"));
        assert_eq!(&r["stage_visits"], visits, "{id}");
        assert_eq!(&r["reworked"], reworked, "{id}");
        assert_eq!(&r["status"], status, "{id}");
        // cases.csv has a header row, so case N is on row N + 1.
        assert_eq!(r["row"], (i + 2).to_string());
        // Open cases say what they were aged to: the latest timestamp, C11's receipt.
        let want_as_of = if *status == "open" {
            "2026-10-16 10:00:00"
        } else {
            ""
        };
        assert_eq!(r["as_of"], want_as_of, "{id}");
    }
    assert_eq!(t.get(1, "received_at"), "2026-10-09 17:00:00");
    assert_eq!(t.get(1, "bound_at"), "2026-10-12 11:30:00");
    let j = run.json("cycle_summary.json");
    assert_eq!(j["as_of"], "2026-10-16 10:00:00");
    assert_eq!(j["cases_read"], 12);
    assert_eq!(j["cases_bound"], 7);
    assert_eq!(j["cases_open"], 5);
    assert_eq!(j["task_source"], "tasks");
    assert_eq!(j["tasks"], 60);
}

#[test]
fn as_of_ages_open_cases_to_the_given_instant() {
    let run = cycle_fixture(&["--as-of", "2026-10-16 17:30"]);
    run.assert_code(0);
    let t = run.table("case_times.csv");
    // Six more working hours (10:00-12:00, 13:00-17:30 is 2 + 4.5 = 6.5; 10:00 -> 17:30 = 6.5)
    // for every open case; bound cases do not move.
    let got: BTreeMap<String, f64> = t
        .records()
        .iter()
        .map(|r| (r["case_id"].clone(), num(&r["cycle_working_hours"])))
        .collect();
    assert_hours(&got["C07"].to_string(), 57.0 + 6.5, "C07");
    assert_hours(&got["C11"].to_string(), 6.5, "C11");
    assert_hours(&got["C01"].to_string(), 6.5, "C01");
}

/// (case, stage, visits, waiting, handling, elapsed, returned, rework visits, open): README
/// "`stage_times.csv`".
type StageRow = (
    &'static str,
    &'static str,
    &'static str,
    f64,
    f64,
    f64,
    &'static str,
    &'static str,
    &'static str,
);

const STAGES: [StageRow; 16] = [
    // ready 11:00, started 13:30: 11-12 + 13-13:30; 13:30-14:30
    ("C01", "entry", "1", 1.5, 1.0, 2.5, "0", "0", "false"),
    // no assigned_at: ready at intake's completion Fri 17:25; started Sat 09:30
    (
        "C02",
        "review",
        "1",
        35.0 / 60.0,
        0.5,
        65.0 / 60.0,
        "0",
        "0",
        "false",
    ),
    // Sat 10:00 -> Mon 09:00 = 2 + 4.5
    ("C02", "entry", "1", 6.5, 1.0, 7.5, "0", "0", "false"),
    ("C03", "entry", "2", 1.5, 2.0, 3.5, "0", "0", "false"),
    ("C03", "referral", "1", 0.0, 20.5, 20.5, "0", "0", "false"),
    // 09-29 09:30 -> 10-06 16:00 = 7 + 7.5 + 7.5 + 6
    (
        "C04",
        "review",
        "1",
        10.0 / 60.0,
        28.0,
        28.0 + 10.0 / 60.0,
        "0",
        "0",
        "false",
    ),
    ("C05", "entry", "2", 1.0, 1.5, 2.5, "0", "1", "false"),
    ("C05", "double_check", "2", 1.0, 1.0, 2.0, "1", "0", "false"),
    // Wed 17:00 -> Mon 10-05 09:00 over the holidays = 0.5
    ("C05", "printing", "1", 0.5, 0.25, 0.75, "0", "0", "false"),
    // open, never started: Thu 10:00 -> as-of = 6.5 + 6 x 7.5 + 1
    ("C07", "entry", "1", 52.5, 0.0, 52.5, "0", "0", "true"),
    // open: Tue 10:00 -> as-of = 6.5 + 7.5 + 7.5 + 1
    ("C09", "review", "1", 0.5, 22.5, 23.0, "0", "0", "true"),
    // open: Thu 11:30 -> as-of = 5 + 6 x 7.5 + 1
    ("C10", "entry", "1", 0.5, 51.0, 51.5, "0", "0", "true"),
    // 08:30 -> 08:45 before opening; 09:00-09:15
    ("C12", "intake", "1", 0.0, 0.25, 0.25, "0", "0", "false"),
    // 09:15 -> 12:15 (lunch) = 2.75 + 0.5; 13:00-13:15 + 0.5
    ("C12", "review", "2", 3.25, 0.75, 4.0, "0", "1", "false"),
    // 0.5 + (17:00 -> 18:00 = 0.5); 0.5 + (after closing = 0)
    ("C12", "double_check", "2", 1.0, 0.5, 1.5, "1", "0", "false"),
    ("C13", "review", "1", 0.5, 0.5, 1.0, "0", "0", "false"),
];

#[test]
fn stage_times_match_the_hand_computation() {
    let run = cycle_fixture(&[]);
    let t = run.table("stage_times.csv");
    assert_eq!(
        t.header,
        [
            "case_id",
            "change_type",
            "stage",
            "visits",
            "operator",
            "first_ready_at",
            "last_completed_at",
            "waiting_working_hours",
            "handling_working_hours",
            "elapsed_working_hours",
            "returned",
            "rework_visits",
            "open",
            "first_row"
        ]
    );
    for (case, stage, visits, waiting, handling, elapsed, returned, rework, open) in STAGES {
        let hit = t.find(&[("case_id", case), ("stage", stage)]);
        assert_eq!(hit.len(), 1, "{case} {stage}");
        let r = &hit[0];
        let what = format!("{case} {stage}");
        assert_eq!(r["visits"], visits, "{what}");
        assert_hours(
            &r["waiting_working_hours"],
            waiting,
            &format!("{what} waiting"),
        );
        assert_hours(
            &r["handling_working_hours"],
            handling,
            &format!("{what} handling"),
        );
        assert_hours(
            &r["elapsed_working_hours"],
            elapsed,
            &format!("{what} elapsed"),
        );
        assert_eq!(r["returned"], returned, "{what}");
        assert_eq!(r["rework_visits"], rework, "{what}");
        assert_eq!(r["open"], open, "{what}");
    }
    // Rows: 6 stages for C01-C06 and C12 (C03 also its referral step), C07 3, C08 2, C09 2,
    // C10 3, C13 1, none for C11.
    assert_eq!(t.rows.len(), 6 * 7 + 1 + 3 + 2 + 2 + 3 + 1);
    // The six stages in process order, then the waits.
    let c03: Vec<&str> = t
        .rows
        .iter()
        .filter(|r| r[0] == "C03")
        .map(|r| r[2].as_str())
        .collect();
    assert_eq!(
        c03,
        [
            "intake",
            "review",
            "entry",
            "double_check",
            "binding",
            "printing",
            "referral"
        ]
    );
    let c13 = &t.find(&[("case_id", "C13")])[0];
    assert_eq!(c13["change_type"], "", "C13 has no case row");
    assert_eq!(c13["first_row"], "61", "tasks.csv row of C13's task");
    let c07 = &t.find(&[("case_id", "C07"), ("stage", "entry")])[0];
    assert_eq!(c07["last_completed_at"], "");
    assert_eq!(c07["first_ready_at"], "2026-10-08 10:00:00");
}

#[test]
fn operator_times_add_up_per_stage_and_operator() {
    let run = cycle_fixture(&[]);
    let t = run.table("operator_times.csv");
    let op03 = &t.find(&[("stage", "entry"), ("operator", "OP03")])[0];
    // README: 7 tasks on 5 cases, 6 completed, 1 open (C10)
    assert_eq!(
        (
            op03["tasks"].as_str(),
            op03["cases"].as_str(),
            op03["completed"].as_str(),
            op03["open"].as_str(),
            op03["team"].as_str()
        ),
        ("7", "5", "6", "1", "HQ-A")
    );
    // waiting 1.5 + 6.5 + 0.5 + 1 + 0.5 + 0.5 + 0.5; handling 1 + 1 + 1 + 1 + 0.5 + 1 + 51
    assert_hours(&op03["waiting_working_hours"], 11.0, "OP03 waiting");
    assert_hours(&op03["handling_working_hours"], 56.5, "OP03 handling");
    assert_hours(&op03["mean_handling_working_hours"], 5.5 / 6.0, "OP03 mean");
    let uw = &t.find(&[("operator", "UW01")])[0];
    assert_eq!(uw["stage"], "referral");
    assert_eq!(uw["team"], "", "not on the roster");
    // Double-check returned work: C05 (OP04) and C12 (OP10) once each.
    assert_eq!(
        t.find(&[("stage", "double_check"), ("operator", "OP04")])[0]["returned"],
        "1"
    );
    assert_eq!(
        t.find(&[("stage", "double_check"), ("operator", "OP10")])[0]["returned"],
        "1"
    );
}

/// The `cycle_summary` row of (dimension, group, measure), by column.
fn summary_row<'a>(
    t: &'a Table,
    dimension: &str,
    group: &str,
    measure: &str,
) -> BTreeMap<&'a str, &'a str> {
    let hits: Vec<&Vec<String>> = t
        .rows
        .iter()
        .filter(|r| r[0] == dimension && r[1] == group && r[2] == measure)
        .collect();
    assert_eq!(hits.len(), 1, "{dimension} {group} {measure}");
    t.header
        .iter()
        .map(String::as_str)
        .zip(hits[0].iter().map(String::as_str))
        .collect()
}

/// Asserts that `cycle_summary.csv` has the median and the percentiles named after `method`
/// (`p90_<suffix>`), and that `cycle_summary.json` names it.
fn assert_method(run: &Run, t: &Table, method: &str, suffix: &str) {
    let mut want = vec!["dimension", "group", "measure", "n", "median"]
        .into_iter()
        .map(String::from)
        .collect::<Vec<_>>();
    want.extend(["p50", "p90", "p95"].map(|p| format!("{p}_{suffix}")));
    want.push(String::from("mean"));
    assert_eq!(t.header, want);
    assert_eq!(run.json("cycle_summary.json")["percentile_method"], method);
}

/// Asserts the statistics of a `cycle_summary` row: (column, hours).
fn assert_stats(row: &BTreeMap<&str, &str>, want: &[(&str, f64)], what: &str) {
    for (column, hours) in want {
        let cell = row
            .get(column)
            .unwrap_or_else(|| panic!("{what}: no column {column} in {row:?}"));
        assert_hours(cell, *hours, &format!("{what} {column}"));
    }
}

#[test]
fn summary_percentiles_and_sla_compliance() {
    let run = cycle_fixture(&[]);
    let t = run.table("cycle_summary.csv");
    assert_method(&run, &t, "nearest-rank", "nearest_rank");
    // Bound cycles 6.5, 7, 8, 10.5, 27, 27.5, 31.5: the median is the 4th; nearest rank p50
    // = the 4th, p90 = p95 = the 7th.
    let all = summary_row(&t, "all", "all", "cycle_working_hours");
    assert_eq!(all["n"], "7");
    assert_stats(
        &all,
        &[
            ("median", 10.5),
            ("p50_nearest_rank", 10.5),
            ("p90_nearest_rank", 31.5),
            ("p95_nearest_rank", 31.5),
            ("mean", 118.0 / 7.0),
        ],
        "all",
    );
    // Own 5, 5.5, 6.5, 7, 7, 8, 10.5.
    let own = summary_row(&t, "all", "all", "own_working_hours");
    assert_stats(
        &own,
        &[
            ("median", 7.0),
            ("p50_nearest_rank", 7.0),
            ("p90_nearest_rank", 10.5),
        ],
        "own",
    );
    // SLA: 49 (case, rule) pairs, 40 within the limit.
    let sla = summary_row(&t, "all", "all", "sla_compliance");
    assert_eq!(sla["n"], "49");
    for c in [
        "median",
        "p50_nearest_rank",
        "p90_nearest_rank",
        "p95_nearest_rank",
    ] {
        assert_eq!(sla[c], "", "SLA {c}");
    }
    assert_hours(sla["mean"], 40.0 / 49.0, "SLA");
    for (stage, n, met) in [
        ("intake", 11, 10),
        ("review", 10, 9),
        ("entry", 14, 12),
        ("binding", 7, 5),
        ("printing", 7, 4),
    ] {
        let row = summary_row(&t, "stage", stage, "sla_compliance");
        assert_eq!(row["n"], n.to_string(), "{stage}");
        assert_hours(row["mean"], f64::from(met) / f64::from(n), stage);
    }
    // sum_increase: C03 (27.5) and C12 (8): an even count, so the median is the mean of the
    // two, (8 + 27.5) / 2 = 17.75, where nearest rank p50 = the 1st of 2 = 8.
    let si = summary_row(&t, "change_type", "sum_increase", "cycle_working_hours");
    assert_eq!(si["n"], "2");
    assert_stats(
        &si,
        &[
            ("median", 17.75),
            ("p50_nearest_rank", 8.0),
            ("p90_nearest_rank", 27.5),
        ],
        "sum_increase",
    );
    // Stages: C02's entry waiting 6.5 is the longest of 7 finished entries
    // (1.5, 6.5, 1.5, 0.5, 1, 0.5, 0.75 -> sorted 0.5, 0.5, 0.75, 1, 1.5, 1.5, 6.5): p50 = 1.
    let entry = summary_row(&t, "stage", "entry", "waiting_working_hours");
    assert_eq!(entry["n"], "7");
    assert_stats(
        &entry,
        &[
            ("median", 1.0),
            ("p50_nearest_rank", 1.0),
            ("p90_nearest_rank", 6.5),
        ],
        "entry waiting",
    );
    // The dimensions come in order, each group once per measure.
    let dims: Vec<&str> = t.rows.iter().map(|r| r[0].as_str()).collect();
    let mut seen: Vec<&str> = dims.clone();
    seen.dedup();
    assert_eq!(
        seen,
        ["all", "change_type", "branch", "stage", "operator", "team"]
    );
    // Teams: HQ-A, Branch-B and UW01's "(not on the roster)".
    assert!(summary_row(&t, "team", "(not on the roster)", "handling_working_hours")["n"] == "1");
}

#[test]
fn linear_percentiles_are_interpolated_and_named() {
    let run = cycle_fixture(&["--percentiles", "linear"]);
    run.assert_code(0);
    let t = run.table("cycle_summary.csv");
    assert_method(&run, &t, "linear", "linear");
    // h = (n - 1) q on the sorted values (0-based), README "Percentiles". Cycles 6.5, 7, 8,
    // 10.5, 27, 27.5, 31.5: p50 h = 3 -> 10.5; p90 h = 5.4 -> 27.5 + 0.4 x 4 = 29.1; p95
    // h = 5.7 -> 27.5 + 0.7 x 4 = 30.3.
    let all = summary_row(&t, "all", "all", "cycle_working_hours");
    assert_stats(
        &all,
        &[
            ("median", 10.5),
            ("p50_linear", 10.5),
            ("p90_linear", 29.1),
            ("p95_linear", 30.3),
            ("mean", 118.0 / 7.0),
        ],
        "all",
    );
    // Own 5, 5.5, 6.5, 7, 7, 8, 10.5: p90 8 + 0.4 x 2.5 = 9; p95 8 + 0.7 x 2.5 = 9.75.
    let own = summary_row(&t, "all", "all", "own_working_hours");
    assert_stats(
        &own,
        &[("median", 7.0), ("p90_linear", 9.0), ("p95_linear", 9.75)],
        "own",
    );
    // sum_increase 8, 27.5: h = q; p50 = 8 + 0.5 x 19.5 = 17.75 (the median), p90 = 8 + 0.9 x
    // 19.5 = 25.55, p95 = 8 + 0.95 x 19.5 = 26.525.
    let si = summary_row(&t, "change_type", "sum_increase", "cycle_working_hours");
    assert_stats(
        &si,
        &[
            ("median", 17.75),
            ("p50_linear", 17.75),
            ("p90_linear", 25.55),
            ("p95_linear", 26.525),
        ],
        "sum_increase",
    );
    // Entry waiting 0.5, 0.5, 0.75, 1, 1.5, 1.5, 6.5: p90 1.5 + 0.4 x 5 = 3.5, p95 1.5 + 0.7 x
    // 5 = 5.
    let entry = summary_row(&t, "stage", "entry", "waiting_working_hours");
    assert_stats(
        &entry,
        &[("median", 1.0), ("p90_linear", 3.5), ("p95_linear", 5.0)],
        "entry waiting",
    );
    // The terminal says the method and shows the linear figures.
    assert!(
        run.stdout.contains("(median exact; p = linear percentile)"),
        "{}",
        run.stdout
    );
    let line = run
        .stdout
        .lines()
        .find(|l| l.trim_start().starts_with("all "))
        .unwrap_or_else(|| panic!("{}", run.stdout));
    assert_eq!(
        line.split_whitespace().collect::<Vec<_>>(),
        ["all", "7", "10.50", "29.10", "30.30", "7.00", "81.6%"]
    );
}

#[test]
fn the_median_and_everything_but_the_percentiles_are_the_same_with_either_method() {
    let nearest = cycle_fixture(&["--percentiles", "nearest-rank"]).table("cycle_summary.csv");
    let default = cycle_fixture(&[]).table("cycle_summary.csv");
    let linear = cycle_fixture(&["--percentiles", "linear"]).table("cycle_summary.csv");
    assert_eq!(
        nearest.header, default.header,
        "nearest-rank is the default"
    );
    assert_eq!(nearest.rows, default.rows, "nearest-rank is the default");
    assert_eq!(nearest.rows.len(), linear.rows.len());
    for c in ["dimension", "group", "measure", "n", "median", "mean"] {
        let (a, b) = (nearest.col(c), linear.col(c));
        for (x, y) in nearest.rows.iter().zip(&linear.rows) {
            assert_eq!(x[a], y[b], "{c} of {x:?}");
        }
    }
}

#[test]
fn an_unknown_percentile_method_is_a_usage_error() {
    let run = cycle_fixture(&["--percentiles", "nearest"]);
    run.assert_code(2);
    assert!(
        run.stderr
            .contains("invalid value 'nearest' for '--percentiles <METHOD>'")
            && run
                .stderr
                .contains("[possible values: nearest-rank, linear]"),
        "{}",
        run.stderr
    );
    assert!(!run.out.exists(), "nothing written");
}

#[test]
fn help_documents_both_percentile_methods() {
    let run = cycle_fixture(&["--help"]);
    run.assert_code(0);
    for text in [
        "--percentiles <METHOD>",
        "nearest-rank: The smallest value with at least q",
        "linear:",
        "Hyndman-Fan type 7",
        "[default: nearest-rank]",
        "`median` column is exact",
    ] {
        assert!(run.stdout.contains(text), "{text}\n{}", run.stdout);
    }
}

#[test]
fn output_is_the_same_whatever_the_thread_count() {
    let rules = cycle_rules();
    let args = ["--rules", rules.as_str()];
    let one = run_env(
        "cycle",
        &fixture("cycle"),
        &args,
        &[("POLARS_MAX_THREADS", "1")],
    );
    let many = run_env(
        "cycle",
        &fixture("cycle"),
        &args,
        &[("POLARS_MAX_THREADS", "4")],
    );
    one.assert_code(0);
    many.assert_code(0);
    for f in [
        "case_times.csv",
        "stage_times.csv",
        "operator_times.csv",
        "cycle_summary.csv",
        "data_findings.csv",
        "cycle_summary.json",
    ] {
        let a = std::fs::read(one.out.join(f)).expect("one");
        let b = std::fs::read(many.out.join(f)).expect("many");
        assert!(a == b, "{f} differs between 1 and 4 threads");
    }
}

#[test]
fn the_terminal_table_shows_the_percentiles() {
    let run = cycle_fixture(&[]);
    let line = run
        .stdout
        .lines()
        .find(|l| l.trim_start().starts_with("all "))
        .unwrap_or_else(|| panic!("{}", run.stdout));
    // all: 7 cases, median 10.50, p90 31.50, p95 31.50, own median 7.00, SLA 81.6%
    let cells: Vec<&str> = line.split_whitespace().collect();
    assert_eq!(
        cells,
        ["all", "7", "10.50", "31.50", "31.50", "7.00", "81.6%"]
    );
    assert!(
        run.stdout
            .contains("(median exact; p = nearest-rank percentile)"),
        "{}",
        run.stdout
    );
    assert!(
        run.stdout.contains("as of 2026-10-16 10:00:00"),
        "{}",
        run.stdout
    );
}
