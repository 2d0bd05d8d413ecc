//! End-to-end benchmark of `check`: read, rules, findings, metrics, outputs written.
//!
//! Data: the demo month (`fixtures/demo`, 2,000 cases) replicated `POLICYQC_BENCH_COPIES`
//! times (default 50 = 100,000 cases) with fresh case ids, so every seeded error repeats.
//! The generated data sets of the generator issue will replace this replication.
//!
//! Run with `cargo bench --bench check`; record the figures in BENCHMARKS.md.

use std::fmt::Write as _;
use std::io::Write as _;
use std::path::Path;
use std::time::Instant;

use policyqc::check::{CheckOptions, run_check};
use policyqc::input::DataSources;
use policyqc::report::Format;

fn replicate(src: &Path, dst: &Path, copies: usize) -> usize {
    std::fs::create_dir_all(dst).expect("bench folder");
    for f in ["operators.csv", "authority.csv", "calendar.yaml"] {
        std::fs::copy(src.join(f), dst.join(f)).expect("copy reference file");
    }
    let text = std::fs::read_to_string(src.join("cases.csv")).expect("demo cases");
    let mut lines = text.lines();
    let header = lines.next().expect("header");
    let rows: Vec<&str> = lines.collect();
    let mut out = String::with_capacity(text.len() * copies);
    let _ = writeln!(out, "{header}");
    for c in 0..copies {
        for row in &rows {
            let (id, rest) = row.split_once(',').expect("case_id first");
            let _ = writeln!(out, "{id}-{c:03},{rest}");
        }
    }
    let mut f = std::fs::File::create(dst.join("cases.csv")).expect("cases.csv");
    f.write_all(out.as_bytes()).expect("write cases");
    rows.len() * copies
}

fn main() {
    let copies: usize = std::env::var("POLICYQC_BENCH_COPIES")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(50);
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let dir = tempfile::tempdir().expect("tempdir");
    let data = dir.path().join("data");
    let cases = replicate(&root.join("fixtures/demo"), &data, copies);
    let opts = CheckOptions {
        sources: DataSources::from_folder(&data),
        rules_dir: None,
        strict: false,
    };
    let mut times = Vec::new();
    for _ in 0..3 {
        let t = Instant::now();
        let result = run_check(&opts).expect("check runs");
        result
            .write(&dir.path().join("out"), &[Format::Csv])
            .expect("outputs written");
        times.push(t.elapsed().as_secs_f64());
        assert_eq!(result.cases_read as usize, cases);
    }
    times.sort_by(f64::total_cmp);
    let best = times[0];
    println!("check end to end: {cases} cases, the default rule pack");
    println!(
        "  best of 3: {best:.3} s, {:.0} cases/s (runs: {times:.3?})",
        cases as f64 / best
    );
}
