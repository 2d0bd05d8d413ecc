//! Integration tests of `policyqc generate`, run as the built binary.
//!
//! - `recall`: `policyqc check` on generated folders finds exactly the labels not caught at
//!   double-check (recall and precision 100%), in CSV and Parquet, at default and high rates;
//! - `determinism`: the same arguments give byte-identical files whatever the thread count;
//! - `data`: the folder is realistic and self-consistent (working hours, holidays, task list
//!   against the cases, rework against the labels, roster, operator profiles);
//! - `bad_input`: invalid options and output folders stop with exit 2 and write nothing;
//! - `demo`: `fixtures/demo` is exactly what its documented command writes, and its expected
//!   findings are its labels.
//!
//! Expected values come from the labels (the generator's design, recorded per error before
//! any rule runs), from the calendar file read here independently, or from hand counts.

mod bad_input;
mod data;
mod demo;
mod determinism;
mod recall;
#[path = "../cli/util.rs"]
#[allow(dead_code)]
mod util;

use std::path::{Path, PathBuf};

use assert_cmd::Command;
use tempfile::TempDir;

/// A finished `policyqc generate` run.
pub struct Gen {
    /// The data folder.
    pub dir: PathBuf,
    /// Exit code.
    pub code: i32,
    /// Standard output.
    pub stdout: String,
    /// Standard error.
    pub stderr: String,
    _tmp: TempDir,
}

/// Runs `policyqc generate --out <tmp>/data <args>` with `env`.
#[must_use]
pub fn generate_env(args: &[&str], env: &[(&str, &str)]) -> Gen {
    let tmp = tempfile::tempdir().expect("tempdir");
    let dir = tmp.path().join("data");
    let mut cmd = Command::cargo_bin("policyqc").expect("the policyqc binary");
    cmd.arg("generate")
        .arg("--out")
        .arg(&dir)
        .args(args)
        .env("NO_COLOR", "1");
    for (k, v) in env {
        cmd.env(k, v);
    }
    let out = cmd.output().expect("run policyqc generate");
    Gen {
        dir,
        code: out.status.code().expect("exit code"),
        stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
        _tmp: tmp,
    }
}

/// Runs `policyqc generate --out <tmp>/data <args>`, which must succeed.
#[must_use]
pub fn generate(args: &[&str]) -> Gen {
    let g = generate_env(args, &[]);
    assert_eq!(
        g.code, 0,
        "generate failed\nstdout:\n{}\nstderr:\n{}",
        g.stdout, g.stderr
    );
    g
}

/// `labels.csv` as a table.
#[must_use]
pub fn labels(dir: &Path) -> util::Table {
    util::Table::read(&dir.join("labels.csv"))
}

/// The (`case_id`, column) pairs of the labels not caught at double-check.
#[must_use]
pub fn uncaught(dir: &Path, column: &str) -> std::collections::BTreeSet<(String, String)> {
    let t = labels(dir);
    let caught = t.col("caught_at_double_check");
    let (a, b) = (t.col("case_id"), t.col(column));
    t.rows
        .iter()
        .filter(|r| r[caught] == "false")
        .map(|r| (r[a].clone(), r[b].clone()))
        .collect()
}
