//! The written SQL run on `DuckDB` against the native engine (tests only).
//!
//! For each fixture folder: the native check's evaluated frame (the cases as the reader
//! typed them) is written to Parquet; `DuckDB` runs, for each rule whose checks [`super::expr`]
//! writes, `SELECT case_id, expected, actual FROM cases WHERE <status>`; the rows must be
//! exactly the native findings of those rules (same (`case_id`, `rule_id`), same expected and
//! actual text). `DuckDB` is the Python package in `target/sqlvenv` (`tests/sql/setup.sh`);
//! without it the tests say so and pass, except under CI (`CI` set), where they fail.

use std::collections::BTreeSet;
use std::io::Write as _;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

use polars::prelude::*;

use super::expr::{Dialect, Writer, ident, text};
use crate::check::{CheckOptions, run_check};
use crate::engine::compile::CompileCtx;
use crate::engine::working_time::WorkingClock;
use crate::input::reference::{AuthorityMatrix, Roster};
use crate::input::{DataSources, read_table};
use crate::schema::Table;

fn duckdb_python() -> Option<PathBuf> {
    let py = Path::new(env!("CARGO_MANIFEST_DIR")).join("target/sqlvenv/bin/python");
    if py.is_file() {
        return Some(py);
    }
    assert!(
        std::env::var_os("CI").is_none(),
        "CI: tests/sql/setup.sh must have installed DuckDB in target/sqlvenv"
    );
    eprintln!("skipped: run tests/sql/setup.sh to compare the SQL with the native engine");
    None
}

/// Runs `sql` on `DuckDB`; the last statement's rows, as tab-separated text lines.
fn duckdb(py: &Path, sql: &str) -> Vec<String> {
    let script = "import duckdb, sys\n\
        rows = duckdb.connect().execute(sys.stdin.read()).fetchall()\n\
        for r in rows: print('\\t'.join('' if v is None else str(v) for v in r))\n";
    let mut child = Command::new(py)
        .args(["-c", script])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("python");
    child
        .stdin
        .take()
        .expect("stdin")
        .write_all(sql.as_bytes())
        .expect("write sql");
    let out = child.wait_with_output().expect("duckdb");
    assert!(
        out.status.success(),
        "DuckDB failed: {}\n{sql}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout)
        .expect("utf-8")
        .lines()
        .map(str::to_owned)
        .collect()
}

/// Compares `DuckDB` with the native engine on one fixture folder; returns the number of
/// findings compared and the rules written.
fn compare(folder: &str, rules: Option<&str>) -> Option<(usize, usize)> {
    let py = duckdb_python()?;
    let root = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("fixtures")
        .join(folder);
    let result = run_check(&CheckOptions {
        sources: DataSources::from_folder(&root),
        rules_dir: rules.map(|r| root.join(r)),
        strict: false,
    })
    .expect("native check");
    let frame = &result.evaluation.frame;
    let dir = tempfile::tempdir().expect("tempdir");
    let parquet = dir.path().join("cases.parquet");
    let mut cases = frame.clone();
    ParquetWriter::new(std::fs::File::create(&parquet).expect("create"))
        .finish(&mut cases)
        .expect("parquet");
    // The compile context as `run_check` builds it.
    let map = crate::check::load_column_map(None).expect("column map");
    let catalog = map.catalog();
    let settings = crate::check::load_settings(
        DataSources::from_folder(&root)
            .with_files(&map)
            .settings
            .as_deref(),
    )
    .expect("settings");
    let calendar = crate::check::load_calendar(
        crate::check::calendar_path(&DataSources::from_folder(&root), &settings).as_deref(),
    )
    .expect("calendar");
    let clock = WorkingClock::covering(calendar, &[frame], &[]).expect("clock");
    let sources = DataSources::from_folder(&root).with_files(&map);
    let table =
        |p: Option<&Path>, t| p.map(|p| read_table(p, t, &map, &[]).expect("reference table"));
    let roster = table(sources.operators.as_deref(), Table::Operators)
        .map(|t| Roster::from_table(&t).expect("roster"));
    let authority = table(sources.authority.as_deref(), Table::Authority)
        .map(|t| AuthorityMatrix::from_table(&t).expect("authority"));
    // Each working-time field's clock once, as a column, as the evaluator does.
    let clock_fields: Vec<_> = result
        .rules
        .rules
        .iter()
        .flat_map(|r| r.kind.clock_fields())
        .collect();
    let (clock, clock_columns) = clock.precompute(&clock_fields);
    let ctx = CompileCtx {
        catalog: &catalog,
        authority: authority.as_ref(),
        roster: roster.as_ref(),
        clock: Some(&clock),
    };
    let schema = frame.schema().clone();
    let types = |c: &str| schema.get(c).cloned();
    let d = Dialect::DuckDb;
    let w = Writer::new(d, &types);
    let clocks: Vec<String> = clock_columns
        .iter()
        .map(|e| {
            let Expr::Alias(_, name) = e else {
                panic!("a clock column is named")
            };
            format!("{} AS {}", w.sql(e).expect("clock SQL"), ident(name, d))
        })
        .collect();
    let mut selects = Vec::new();
    let mut written = BTreeSet::new();
    for rule in &result.rules.rules {
        let Ok((status, check)) = super::rule_exprs(rule, &ctx) else {
            continue;
        };
        let parts = (w.sql(&status), w.sql(&check.expected), w.sql(&check.actual));
        let (Ok(status), Ok(expected), Ok(actual)) = parts else {
            continue;
        };
        written.insert(rule.id.clone());
        selects.push(format!(
            "SELECT COALESCE({case}, '') AS case_id, {id} AS rule_id, COALESCE({expected}, '') AS expected, \
             COALESCE({actual}, '') AS actual FROM cases WHERE ({status}) IS TRUE",
            case = ident("case_id", d),
            id = text(&rule.id, d),
        ));
    }
    let sql = format!(
        "SET enable_progress_bar = false;\nCREATE VIEW raw AS SELECT * FROM read_parquet({});\n{}\nCREATE TEMPORARY TABLE cases AS SELECT *{} FROM raw;\n{}\nORDER BY case_id, rule_id, expected, actual;\n",
        text(&parquet.display().to_string(), d),
        w.tables().expect("lookup tables").join("\n"),
        clocks
            .iter()
            .map(|c| format!(", {c}"))
            .collect::<Vec<_>>()
            .concat(),
        selects.join("\nUNION ALL\n"),
    );
    let got: Vec<String> = duckdb(&py, &sql);
    let f = &result.evaluation.findings;
    let col = |name: &str| f.column(name).expect(name).str().expect("text").clone();
    let (case, rule, expected, actual) = (
        col("case_id"),
        col("rule_id"),
        col("expected"),
        col("actual"),
    );
    let mut want: Vec<String> = (0..f.height())
        .filter(|&i| written.contains(rule.get(i).unwrap_or_default()))
        .map(|i| {
            [&case, &rule, &expected, &actual]
                .map(|c| c.get(i).unwrap_or_default().to_owned())
                .join("\t")
        })
        .collect();
    want.sort();
    let mut got_sorted = got.clone();
    got_sorted.sort();
    let missing: Vec<&String> = want.iter().filter(|w| !got_sorted.contains(w)).collect();
    let extra: Vec<&String> = got_sorted.iter().filter(|g| !want.contains(g)).collect();
    assert!(
        missing.is_empty() && extra.is_empty(),
        "{folder}: native findings DuckDB missed: {missing:#?}\nDuckDB rows the native engine has not: {extra:#?}"
    );
    eprintln!(
        "{folder}: {} findings of {} rules compared",
        want.len(),
        written.len()
    );
    Some((want.len(), written.len()))
}

#[test]
fn duckdb_gives_the_native_findings_on_the_basic_fixture() {
    if let Some((findings, rules)) = compare("basic", None) {
        // Every rule of basic/ has at least two planted errors: the comparison is not empty.
        assert!(
            rules >= 30 && findings >= 2 * 28,
            "{rules} rules, {findings} findings"
        );
    }
}

#[test]
fn duckdb_gives_the_native_findings_on_the_demo_folder() {
    if let Some((findings, _)) = compare("demo", None) {
        assert!(findings > 0);
    }
}

/// fixtures/cycle: the working-time limits over a calendar with holidays and a make-up
/// Saturday, and waits for customer queries and referrals netted out.
#[test]
fn duckdb_gives_the_native_findings_on_the_cycle_fixture() {
    if let Some((findings, rules)) = compare("cycle", Some("rules")) {
        assert!(
            findings > 0 && rules > 0,
            "{rules} rules, {findings} findings"
        );
    }
}
