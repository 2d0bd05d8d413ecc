//! Benchmarks of `check` (run with `cargo bench --bench check`; figures go to BENCHMARKS.md).
//!
//! Data: the demo month (`fixtures/demo`, 2,000 cases with its roster and authority matrix)
//! replicated `POLICYQC_BENCH_COPIES` times (default 50 = 100,000 cases) with fresh case
//! ids, so every seeded error repeats. Measured, best of `POLICYQC_BENCH_RUNS` (default 3):
//! 1. `check` end to end from CSV and from Parquet: read, rules, findings, metrics, all
//!    output tables written;
//! 2. the hand-written polars baseline ([`baseline`]) on the same CSV, and the ratio;
//! 3. `expr` (rhai) rule throughput in rows per second per core;
//! 4. the process's peak resident memory after the engine runs (before the baseline).

#![allow(clippy::map_unwrap_or)]

mod baseline;

use std::io::{BufRead, BufWriter, Write};
use std::path::Path;
use std::time::Instant;

use polars::prelude::*;
use policyqc::check::{CheckOptions, run_check};
use policyqc::input::DataSources;
use policyqc::report::Format;

fn env_usize(name: &str, default: usize) -> usize {
    std::env::var(name)
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(default)
}

/// Writes `copies` copies of the demo's cases (streamed, so memory stays small).
fn replicate(src: &Path, dst: &Path, copies: usize) -> usize {
    std::fs::create_dir_all(dst).expect("bench folder");
    for f in ["operators.csv", "authority.csv"] {
        std::fs::copy(src.join(f), dst.join(f)).expect("copy reference file");
    }
    let input = std::fs::File::open(src.join("cases.csv")).expect("demo cases");
    let lines: Vec<String> = std::io::BufReader::new(input)
        .lines()
        .map(Result::unwrap)
        .collect();
    let mut out = BufWriter::new(std::fs::File::create(dst.join("cases.csv")).expect("cases.csv"));
    writeln!(out, "{}", lines[0]).expect("write");
    for c in 0..copies {
        for row in &lines[1..] {
            let (id, rest) = row.split_once(',').expect("case_id first");
            writeln!(out, "{id}-{c:04},{rest}").expect("write");
        }
    }
    out.flush().expect("flush");
    (lines.len() - 1) * copies
}

fn to_parquet(csv_dir: &Path, dst: &Path) {
    std::fs::create_dir_all(dst).expect("parquet folder");
    for f in ["operators.csv", "authority.csv"] {
        std::fs::copy(csv_dir.join(f), dst.join(f)).expect("copy reference file");
    }
    let mut df = CsvReadOptions::default()
        .with_infer_schema_length(Some(0))
        .try_into_reader_with_file_path(Some(csv_dir.join("cases.csv")))
        .and_then(CsvReader::finish)
        .expect("read cases");
    ParquetWriter::new(std::fs::File::create(dst.join("cases.parquet")).expect("parquet"))
        .finish(&mut df)
        .expect("write parquet");
}

fn best_of<T>(runs: usize, mut f: impl FnMut() -> T) -> (f64, T) {
    let mut best = f64::INFINITY;
    let mut last = None;
    for _ in 0..runs {
        let t = Instant::now();
        let v = f();
        best = best.min(t.elapsed().as_secs_f64());
        last = Some(v);
    }
    (best, last.expect("at least one run"))
}

fn peak_rss_mib() -> f64 {
    let status = std::fs::read_to_string("/proc/self/status").unwrap_or_default();
    status
        .lines()
        .find(|l| l.starts_with("VmHWM:"))
        .and_then(|l| l.split_whitespace().nth(1))
        .and_then(|kb| kb.parse::<f64>().ok())
        .map_or(0.0, |kb| kb / 1024.0)
}

fn check(dir: &Path, out: &Path, cases: usize) -> usize {
    let opts = CheckOptions {
        sources: DataSources::from_folder(dir),
        rules_dir: None,
        strict: false,
    };
    let result = run_check(&opts).expect("check runs");
    result.write(out, &[Format::Csv]).expect("outputs written");
    assert_eq!(
        result.cases_read as usize, cases,
        "cases in = cases accounted for"
    );
    result.evaluation.findings.height()
}

fn main() {
    let copies = env_usize("POLICYQC_BENCH_COPIES", 50);
    let runs = env_usize("POLICYQC_BENCH_RUNS", 3);
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let tmp = tempfile::tempdir().expect("tempdir");
    let csv_dir = tmp.path().join("csv");
    let pq_dir = tmp.path().join("parquet");
    let cases = replicate(&root.join("fixtures/demo"), &csv_dir, copies);
    to_parquet(&csv_dir, &pq_dir);
    let threads = rayon::current_num_threads();
    println!(
        "policyqc {} check benchmark: {cases} cases (demo x {copies}), default rule pack, {threads} threads, best of {runs}",
        env!("CARGO_PKG_VERSION")
    );

    let (t_csv, findings) = best_of(runs, || check(&csv_dir, &tmp.path().join("out-csv"), cases));
    println!(
        "  check from CSV      {t_csv:>8.3} s  {:>10.0} cases/s  ({findings} findings)",
        cases as f64 / t_csv
    );
    let (t_pq, _) = best_of(runs, || check(&pq_dir, &tmp.path().join("out-pq"), cases));
    println!(
        "  check from Parquet  {t_pq:>8.3} s  {:>10.0} cases/s",
        cases as f64 / t_pq
    );
    println!("  peak memory (RSS)   {:>8.0} MiB", peak_rss_mib());

    let (t_base, pairs) = best_of(runs, || {
        baseline::run(&csv_dir, &tmp.path().join("baseline.csv")).expect("baseline runs")
    });
    println!(
        "  baseline (polars)   {t_base:>8.3} s  ({pairs} failing pairs of the structured rules)"
    );
    println!("  engine / baseline   {:>8.2}", t_csv / t_base);

    // expr throughput: the pack's rhai rule on every row.
    let opts = CheckOptions {
        sources: DataSources::from_folder(&csv_dir),
        rules_dir: None,
        strict: false,
    };
    let result = run_check(&opts).expect("check runs");
    let frame = &result.evaluation.frame;
    let rule = result
        .rules
        .rules
        .iter()
        .find(|r| r.kind.name() == "expr")
        .expect("the pack has an expr rule");
    let expr_findings = policyqc::input::column_str(&result.evaluation.findings, "rule_id")
        .iter()
        .filter(|r| r.as_deref() == Some(rule.id.as_str()))
        .count();
    assert_eq!(
        pairs + expr_findings,
        findings,
        "the baseline must find what the engine finds (structured rules)"
    );
    let policyqc::rules::Kind::Expr(p) = &rule.kind else {
        unreachable!()
    };
    let catalog = policyqc::config::columns::ColumnMap::default().catalog();
    let all = BooleanChunked::full("all".into(), true, frame.height());
    let (t_expr, _) = best_of(runs, || {
        policyqc::engine::script::evaluate(frame, &p.ast, &p.fields, &catalog, &all)
            .expect("expr runs")
    });
    let evaluated = frame
        .column("premium_charged")
        .map(|c| c.len() - c.null_count())
        .unwrap_or(0);
    println!(
        "  expr rule (rhai)    {t_expr:>8.3} s  {:>10.0} rows/s  {:>10.0} rows/s per core ({evaluated} rows with the fields present)",
        evaluated as f64 / t_expr,
        evaluated as f64 / t_expr / threads as f64
    );
}
