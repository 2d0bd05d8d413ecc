//! The recall contract: on a generated folder, `policyqc check` with the default rules finds
//! every planted error left in the data and nothing else. Compared on (`case_id`, `error_point`)
//! as the issue defines it, and also on (`case_id`, `rule_id`): each label names the rule its
//! mutation was built to trip.

use std::collections::BTreeSet;

use crate::util::{Table, check};
use crate::{generate, labels, uncaught};

/// Runs check on a generated folder; returns (recall, precision, labels left in the data).
fn recall_precision(dir: &std::path::Path, what: &str) -> (f64, f64, usize) {
    let run = check(dir, &[]);
    assert!(
        run.code == 0 || run.code == 1,
        "check failed: {}",
        run.stderr
    );
    // Off a terminal `check` draws no progress bar: stderr stays empty.
    assert_eq!(run.stderr, "");
    assert_eq!(
        run.table("data_findings.csv").rows.len(),
        0,
        "generated data must read cleanly"
    );
    let got = run.table("findings.csv").pairs("case_id", "error_point");
    let want = uncaught(dir, "error_point");
    let hit = got.intersection(&want).count();
    let recall = hit as f64 / want.len().max(1) as f64;
    let precision = hit as f64 / got.len().max(1) as f64;
    println!(
        "{what}: recall {:.2}% ({hit}/{}), precision {:.2}% ({hit}/{})",
        100.0 * recall,
        want.len(),
        100.0 * precision,
        got.len()
    );
    let missed: Vec<_> = want.difference(&got).take(10).collect();
    let extra: Vec<_> = got.difference(&want).take(10).collect();
    assert!(
        missed.is_empty() && extra.is_empty(),
        "{what}\nmissed: {missed:?}\nextra: {extra:?}"
    );
    // Rule level: the labels' rule ids are exactly the rules that fired.
    assert_eq!(
        run.finding_pairs(),
        uncaught(dir, "rule_id"),
        "{what}: rule ids differ"
    );
    (recall, precision, want.len())
}

fn points(t: &Table, caught: Option<&str>) -> BTreeSet<u32> {
    let (p, c) = (t.col("error_point"), t.col("caught_at_double_check"));
    t.rows
        .iter()
        .filter(|r| caught.is_none_or(|v| r[c] == v))
        .map(|r| r[p].parse().expect("error point"))
        .collect()
}

/// Every error point some default rule detects (rules/README.md: all but 9).
fn detectable() -> BTreeSet<u32> {
    (1..=14).filter(|p| *p != 9).collect()
}

#[test]
fn check_finds_exactly_the_uncaught_labels_on_3000_cases() {
    let g = generate(&[
        "--cases",
        "3000",
        "--seed",
        "11",
        "--start",
        "2026-10-01",
        "--days",
        "31",
    ]);
    let (recall, precision, n) = recall_precision(&g.dir, "3,000 cases, default rates");
    assert!((recall - 1.0).abs() < f64::EPSILON && (precision - 1.0).abs() < f64::EPSILON);
    // Default rates: a few percent of 3,000 cases keep an error (README: about 3%).
    assert!((45..=200).contains(&n), "{n} errors left in the data");
    let t = labels(&g.dir);
    assert_eq!(
        points(&t, None),
        detectable(),
        "every detectable error point is planted"
    );
    assert!(
        !points(&t, Some("true")).is_empty(),
        "some errors are caught at double-check"
    );
}

#[test]
fn recall_holds_at_high_rates_with_several_errors_per_case() {
    // Ten times the default rate: many cases carry two or more errors at once.
    let g = generate(&[
        "--cases",
        "3000",
        "--seed",
        "12",
        "--start",
        "2026-10-01",
        "--days",
        "31",
        "--error-rate",
        "0.05",
    ]);
    let (_, _, n) = recall_precision(&g.dir, "3,000 cases, error rate 0.05");
    let t = labels(&g.dir);
    assert_eq!(
        points(&t, Some("false")),
        detectable(),
        "every point left in the data at least once"
    );
    // Every rule of the default pack (34) is tripped by some label.
    let rules: BTreeSet<&str> = t
        .rows
        .iter()
        .map(|r| r[t.col("rule_id")].as_str())
        .collect();
    assert_eq!(rules.len(), 34, "{rules:?}");
    let mut per_case = std::collections::BTreeMap::<&str, usize>::new();
    let left = uncaught(&g.dir, "error_point");
    for (id, _) in &left {
        *per_case.entry(id.as_str()).or_default() += 1;
    }
    let multi = per_case.values().filter(|&&k| k >= 2).count();
    assert!(
        multi >= 20,
        "{multi} cases with two or more errors (of {n} errors)"
    );
}

#[test]
fn recall_holds_from_parquet_over_a_holiday_period() {
    // 14 Dec 2026 - 8 Jan 2027: Christmas, Boxing Day and New Year are holidays.
    let g = generate(&[
        "--cases",
        "1500",
        "--seed",
        "13",
        "--start",
        "2026-12-14",
        "--days",
        "26",
        "--format",
        "parquet",
        "--error-rate",
        "0.02",
    ]);
    assert!(g.dir.join("cases.parquet").is_file() && g.dir.join("tasks.parquet").is_file());
    assert!(!g.dir.join("cases.csv").exists());
    recall_precision(&g.dir, "1,500 cases from Parquet, Christmas period");
}
