//! Benchmark of `cycle` end to end (run with `cargo bench --bench cycle`; figures go to
//! BENCHMARKS.md).
//!
//! Data: `POLICYQC_BENCH_CASES` generated cases (default 1,000,000) with their task list,
//! about 8 tasks a case: the six stages, a referral step between two entry visits for 60% of
//! the cases, a customer query between two review visits for 30%, a return from the
//! double-check to entry for 5%. Received on the working days of October 2026 to March 2027,
//! every step a few working minutes to hours after the previous one (the October 2026
//! calendar of fixtures/demo), so that the working-time arithmetic covers nights, weekends,
//! holidays and the make-up day. Generated with a fixed seed (SplitMix64): the same data on
//! every run.
//!
//! `POLICYQC_BENCH_DIR=path` writes the data folder there and keeps it;
//! `POLICYQC_BENCH_DATA=path` times an existing data folder instead (e.g. one written by
//! `policyqc generate`), without generating anything. `POLICYQC_TIMINGS=1` prints the
//! phases of each run.
//!
//! Measured, best of `POLICYQC_BENCH_RUNS` (default 3): `run_cycle` (read cases and tasks,
//! check the tasks, case, stage and operator times, SLA of the default pack's time limits,
//! summary) plus writing every output table as CSV.

use std::io::{BufWriter, Write};
use std::path::Path;
use std::time::Instant;

use chrono::{NaiveDate, NaiveDateTime};
use policyqc::calendar::{Calendar, CalendarSpec};
use policyqc::cycle::{CycleOptions, run_cycle};
use policyqc::input::DataSources;
use policyqc::report::Format;

/// The allocator of the `policyqc` binary (src/main.rs), so the bench times what the CLI runs.
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn env_usize(name: &str, default: usize) -> usize {
    std::env::var(name)
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(default)
}

/// `SplitMix64`: a tiny, well-known generator; enough for benchmark data.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }
    /// Uniform in `lo..hi`.
    fn range(&mut self, lo: u64, hi: u64) -> u64 {
        lo + self.next() % (hi - lo)
    }
    fn chance(&mut self, percent: u64) -> bool {
        self.range(0, 100) < percent
    }
}

const CHANGE_TYPES: [&str; 10] = [
    "address_change",
    "beneficiary_change",
    "sum_increase",
    "sum_decrease",
    "payment_mode_change",
    "reinstatement",
    "policy_loan",
    "partial_withdrawal",
    "surrender",
    "maturity_payment",
];
const BRANCHES: [&str; 5] = ["HQ", "North", "South", "East", "West"];

fn ts(t: NaiveDateTime) -> String {
    t.format("%Y-%m-%d %H:%M:%S").to_string()
}

/// Writes `n` cases and their tasks; returns the number of tasks.
fn generate(dir: &Path, n: usize, cal: &Calendar) -> usize {
    std::fs::create_dir_all(dir).expect("bench folder");
    std::fs::write(
        dir.join("calendar.yaml"),
        "holidays: [2026-10-01, 2026-10-02]\nextra_working_days: [2026-10-10]\n",
    )
    .expect("calendar");
    let mut cases = BufWriter::new(std::fs::File::create(dir.join("cases.csv")).expect("cases"));
    let mut tasks = BufWriter::new(std::fs::File::create(dir.join("tasks.csv")).expect("tasks"));
    writeln!(
        cases,
        "case_id,branch,change_type,received_at,registered_at,reviewed_at,entered_at,checked_at,bound_at,printed_at,intake_operator,reviewer,entry_operator,checker,binder,printer,query_opened_at,query_closed_at,referral_dept,referred_at,referral_returned_at,reports_reviewed_at"
    )
    .expect("write");
    writeln!(
        tasks,
        "case_id,stage,operator,assigned_at,started_at,completed_at,outcome"
    )
    .expect("write");
    let mut rng = Rng(20_261_001);
    let first = NaiveDate::from_ymd_opt(2026, 10, 5).expect("date");
    let mut count = 0;
    for i in 0..n {
        let day = cal.add_working_days(first, (i * 120 / n.max(1)) as i64);
        let received = cal.add_working_hours(
            day.and_hms_opt(9, 0, 0).expect("time"),
            rng.range(0, 27_000) as f64 / 3600.0,
        );
        let op = |rng: &mut Rng, stage: usize| {
            format!("OP{:03}", stage * 10 + rng.range(1, 10) as usize)
        };
        let mut now = received;
        let step = |rng: &mut Rng, now: &mut NaiveDateTime, lo: u64, hi: u64| {
            *now = cal.add_working_hours(*now, rng.range(lo, hi) as f64 / 3600.0);
            *now
        };
        let mut rows: Vec<String> = Vec::with_capacity(10);
        let mut done: [Option<NaiveDateTime>; 6] = [None; 6];
        let mut ops: [String; 6] = Default::default();
        let (mut query, mut referral) = (None, None);
        let open_after = rng.range(0, 100); // 8% of cases still open, at some stage
        let task = |rows: &mut Vec<String>,
                    rng: &mut Rng,
                    now: &mut NaiveDateTime,
                    stage: &str,
                    operator: &str,
                    outcome: &str| {
            let assigned = *now;
            let started = step(rng, now, 60, 7_200);
            let completed = step(rng, now, 300, 10_800);
            rows.push(format!(
                "{stage},{operator},{},{},{},{outcome}",
                ts(assigned),
                ts(started),
                ts(completed)
            ));
            completed
        };
        let id = format!("C{i:08}");
        let stages = [
            "intake",
            "review",
            "entry",
            "double_check",
            "binding",
            "printing",
        ];
        let last = if open_after < 8 {
            (open_after % 6) as usize
        } else {
            6
        };
        for (k, stage) in stages.iter().enumerate().take(last) {
            ops[k] = op(&mut rng, k + 1);
            if k == 1 && rng.chance(30) {
                task(&mut rows, &mut rng, &mut now, stage, &ops[k], "queried");
                let opened = now;
                let closed = step(&mut rng, &mut now, 3_600, 60_000);
                rows.push(format!(
                    "query,{},{},{},{},done",
                    ops[k],
                    ts(opened),
                    ts(opened),
                    ts(closed)
                ));
                query = Some((opened, closed));
            }
            if k == 2 && rng.chance(60) {
                task(&mut rows, &mut rng, &mut now, stage, &ops[k], "referred");
                let out = now;
                let back = step(&mut rng, &mut now, 3_600, 80_000);
                rows.push(format!(
                    "referral,UW{:02},{},{},{},done",
                    rng.range(1, 5),
                    ts(out),
                    ts(out),
                    ts(back)
                ));
                referral = Some((out, back));
            }
            if k == 3 && rng.chance(5) {
                task(&mut rows, &mut rng, &mut now, stage, &ops[k], "returned");
                task(&mut rows, &mut rng, &mut now, "entry", &ops[2], "done");
            }
            done[k] = Some(task(&mut rows, &mut rng, &mut now, stage, &ops[k], "done"));
        }
        let f = |t: Option<NaiveDateTime>| t.map(ts).unwrap_or_default();
        writeln!(
            cases,
            "{id},{},{},{},{},{},{},{},{},{},{},{},{},{},{},{},{},{},{},{},{},{}",
            BRANCHES[i % 5],
            CHANGE_TYPES[(i / 5) % 10],
            ts(received),
            f(done[0]),
            f(done[1]),
            f(done[2]),
            f(done[3]),
            f(done[4]),
            f(done[5]),
            ops[0],
            ops[1],
            ops[2],
            ops[3],
            ops[4],
            ops[5],
            f(query.map(|q| q.0)),
            f(query.map(|q| q.1)),
            if referral.is_some() {
                "underwriting"
            } else {
                ""
            },
            f(referral.map(|r| r.0)),
            f(referral.map(|r| r.1)),
            f(done[2].map(|t| cal.add_working_hours(t, 0.5))),
        )
        .expect("write");
        for r in &rows {
            writeln!(tasks, "{id},{r}").expect("write");
        }
        count += rows.len();
    }
    cases.flush().expect("flush");
    tasks.flush().expect("flush");
    count
}

fn main() {
    policyqc::alloc::configure();
    let n = env_usize("POLICYQC_BENCH_CASES", 1_000_000);
    let runs = env_usize("POLICYQC_BENCH_RUNS", 3);
    let cal = Calendar::from_spec(&CalendarSpec {
        holidays: vec!["2026-10-01".into(), "2026-10-02".into()],
        extra_working_days: vec!["2026-10-10".into()],
        ..CalendarSpec::default()
    })
    .expect("calendar");
    let dir = tempfile::tempdir().expect("tempdir");
    let given = std::env::var_os("POLICYQC_BENCH_DATA").map(std::path::PathBuf::from);
    // POLICYQC_BENCH_DIR keeps the generated data folder (e.g. to run the CLI on it).
    let data = given.clone().unwrap_or_else(|| {
        std::env::var_os("POLICYQC_BENCH_DIR")
            .map_or_else(|| dir.path().join("data"), std::path::PathBuf::from)
    });
    let (n, tasks) = if given.is_some() {
        println!("timing the data folder {}", data.display());
        (0, 0)
    } else {
        let t = Instant::now();
        let tasks = generate(&data, n, &cal);
        println!(
            "generated {n} cases and {tasks} tasks in {:.1} s",
            t.elapsed().as_secs_f64()
        );
        (n, tasks)
    };
    if runs == 0 {
        return;
    }
    let opts = CycleOptions {
        sources: DataSources::from_folder(&data),
        ..CycleOptions::default()
    };
    let mut times = Vec::new();
    let mut counts = (0, 0);
    for _ in 0..runs {
        let t = Instant::now();
        let result = run_cycle(&opts).expect("cycle runs");
        let computed = t.elapsed().as_secs_f64();
        result
            .write(
                &dir.path().join("out"),
                &[Format::Csv],
                policyqc::report::Cells::Safe,
            )
            .expect("outputs written");
        let total = t.elapsed().as_secs_f64();
        println!("  run: {total:.3} s ({computed:.3} s before writing)");
        if given.is_none() {
            assert_eq!(result.case_times.height(), n);
        }
        counts = (result.case_times.height(), result.inputs.prepared.height());
        times.push(total);
    }
    times.sort_by(f64::total_cmp);
    let best = times[0];
    let (n, tasks) = if given.is_some() { counts } else { (n, tasks) };
    println!("cycle end to end: {n} cases, {tasks} tasks, default rule pack time limits");
    println!(
        "  best of {runs}: {best:.3} s, {:.0} cases/s, {:.0} tasks/s",
        n as f64 / best,
        tasks as f64 / best
    );
}
