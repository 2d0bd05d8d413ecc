//! Benchmarks of `check` (run with `cargo bench --bench check`; figures go to BENCHMARKS.md).
//!
//! Data: `POLICYQC_BENCH_CASES` cases (default 100,000) made by `policyqc generate` (seed 1,
//! October 2026 onwards, default error rates), once as CSV and once as Parquet. Measured,
//! best of `POLICYQC_BENCH_RUNS` (default 3):
//! 1. `check` end to end from CSV and from Parquet: read, rules, findings, metrics, all
//!    output tables written;
//! 2. the recall test at scale: findings against the generator's labels on
//!    (`case_id`, `error_point`), recall and precision;
//! 3. the hand-written polars baseline ([`baseline`]) on the same CSV, run in turns with the
//!    engine's CSV runs, and the ratio;
//! 4. `expr` (rhai) rule throughput in rows per second per core;
//! 5. the process's peak resident memory after the engine and baseline runs.

#![allow(clippy::map_unwrap_or)]

mod baseline;

/// The allocator of the `policyqc` binary (src/main.rs), so the bench measures what users run.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

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

fn generate(dir: &Path, cases: u64, format: policyqc::generate::writer::GenFormat) {
    let start = chrono::NaiveDate::from_ymd_opt(2026, 10, 1).expect("date");
    let days = u32::try_from(cases.div_ceil(2_000).max(31)).unwrap_or(u32::MAX);
    let mut opts =
        policyqc::generate::GenerateOptions::new(cases, 1, start, days, dir.to_path_buf());
    opts.format = format;
    policyqc::generate::generate(&opts, &|_| {}).expect("generate");
}

/// Recall and precision of the findings against the labels not caught at double-check.
fn recall(dir: &Path, findings: &DataFrame) -> (usize, usize, usize) {
    let labels = CsvReadOptions::default()
        .with_infer_schema_length(Some(0))
        .try_into_reader_with_file_path(Some(dir.join("labels.csv")))
        .and_then(CsvReader::finish)
        .expect("labels.csv");
    let pairs = |df: &DataFrame| -> std::collections::BTreeSet<(String, String)> {
        let ids = policyqc::input::column_str(df, "case_id");
        let eps = policyqc::input::column_str(df, "error_point");
        ids.into_iter()
            .zip(eps)
            .map(|(a, b)| (a.unwrap_or_default(), b.unwrap_or_default()))
            .collect()
    };
    let escaped = labels
        .lazy()
        .filter(col("caught_at_double_check").eq(lit("false")))
        .collect()
        .expect("filter");
    let want = pairs(&escaped);
    let got = pairs(findings);
    (want.len(), got.len(), want.intersection(&got).count())
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
        rule_findings: None,
    };
    let result = run_check(&opts).expect("check runs");
    result
        .write(out, &[Format::Csv], policyqc::report::Cells::Safe)
        .expect("outputs written");
    assert_eq!(
        result.cases_read as usize, cases,
        "cases in = cases accounted for"
    );
    result.evaluation.findings.height()
}

fn main() {
    policyqc::alloc::configure();
    let cases = env_usize("POLICYQC_BENCH_CASES", 100_000);
    let runs = env_usize("POLICYQC_BENCH_RUNS", 3);
    let tmp = tempfile::tempdir().expect("tempdir");
    let csv_dir = tmp.path().join("csv");
    let pq_dir = tmp.path().join("parquet");
    let t = Instant::now();
    generate(
        &csv_dir,
        cases as u64,
        policyqc::generate::writer::GenFormat::Csv,
    );
    generate(
        &pq_dir,
        cases as u64,
        policyqc::generate::writer::GenFormat::Parquet,
    );
    let threads = rayon::current_num_threads();
    println!(
        "policyqc {} check benchmark: {cases} generated cases (generated twice in {:.1} s), default rule pack, {threads} threads, best of {runs}",
        env!("CARGO_PKG_VERSION"),
        t.elapsed().as_secs_f64()
    );

    // The engine from CSV and the baseline run in turns, so that both see the same machine
    // (figures here drift by up to 2x over minutes): best of each, and each pair's ratio.
    let (mut t_csv, mut t_base, mut findings, mut pairs) = (f64::INFINITY, f64::INFINITY, 0, 0);
    let mut ratios = Vec::new();
    for _ in 0..runs {
        let (engine, found) = best_of(1, || check(&csv_dir, &tmp.path().join("out-csv"), cases));
        let (base, base_pairs) = best_of(1, || {
            baseline::run(&csv_dir, &tmp.path().join("baseline.csv")).expect("baseline runs")
        });
        (t_csv, t_base) = (t_csv.min(engine), t_base.min(base));
        (findings, pairs) = (found, base_pairs);
        ratios.push(engine / base);
    }
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
    println!(
        "  baseline (polars)   {t_base:>8.3} s  ({pairs} failing pairs of the structured rules)"
    );
    ratios.sort_by(f64::total_cmp);
    println!(
        "  engine / baseline   {:>8.2}  (best over best; run by run, engine then baseline: {})",
        t_csv / t_base,
        ratios
            .iter()
            .map(|r| format!("{r:.2}"))
            .collect::<Vec<_>>()
            .join(", ")
    );

    // expr throughput: the pack's rhai rule on every row.
    let opts = CheckOptions {
        sources: DataSources::from_folder(&csv_dir),
        rules_dir: None,
        strict: false,
        rule_findings: None,
    };
    let result = run_check(&opts).expect("check runs");
    let frame = &result.evaluation.frame;
    let (labels, found, both) = recall(&csv_dir, &result.evaluation.findings);
    println!(
        "  recall / precision  {:>7.2}% / {:.2}%  ({both} of {labels} escaped labels found; {found} finding pairs)",
        100.0 * both as f64 / labels.max(1) as f64,
        100.0 * both as f64 / found.max(1) as f64
    );
    let rule = result
        .rules
        .rules
        .iter()
        .find(|r| r.kind.name() == "expr")
        .expect("the pack has an expr rule");
    // The baseline must find what the engine finds on the structured rules: list any pair
    // on which they differ, by rule.
    let pair_set = |df: &DataFrame| -> std::collections::BTreeSet<(String, String)> {
        policyqc::input::column_str(df, "case_id")
            .into_iter()
            .zip(policyqc::input::column_str(df, "rule_id"))
            .map(|(a, b)| (a.unwrap_or_default(), b.unwrap_or_default()))
            .filter(|(_, r)| r != &rule.id)
            .collect()
    };
    let engine_pairs = pair_set(&result.evaluation.findings);
    let base = CsvReadOptions::default()
        .with_infer_schema_length(Some(0))
        .try_into_reader_with_file_path(Some(tmp.path().join("baseline.csv")))
        .and_then(CsvReader::finish)
        .expect("baseline.csv");
    let base_pairs = pair_set(&base);
    let mut differ: std::collections::BTreeMap<String, (usize, usize)> =
        std::collections::BTreeMap::new();
    for (_, r) in engine_pairs.difference(&base_pairs) {
        differ.entry(r.clone()).or_default().0 += 1;
    }
    for (_, r) in base_pairs.difference(&engine_pairs) {
        differ.entry(r.clone()).or_default().1 += 1;
    }
    println!(
        "  baseline agreement  {} engine pairs, {} baseline pairs ({pairs}); differing by rule (engine only, baseline only): {differ:?}",
        engine_pairs.len(),
        base_pairs.len()
    );
    let policyqc::rules::Kind::Expr(p) = &rule.kind else {
        unreachable!()
    };
    let catalog = policyqc::config::columns::ColumnMap::default().catalog();
    let all = BooleanChunked::full("all".into(), true, frame.height());
    let (t_expr, _) = best_of(runs, || {
        policyqc::engine::script::evaluate(frame, &p.source, &p.fields, &catalog, &all)
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
