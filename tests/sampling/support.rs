//! Running `policyqc sample` / `verdicts import` and reading what they wrote.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

use assert_cmd::Command;

use crate::util::{Table, fixture, repo};

/// One finished run.
pub struct Out {
    pub code: i32,
    pub stdout: String,
    pub stderr: String,
}

impl Out {
    #[track_caller]
    pub fn assert_code(&self, want: i32) {
        assert_eq!(
            self.code, want,
            "exit {} (want {want})\nstdout:\n{}\nstderr:\n{}",
            self.code, self.stdout, self.stderr
        );
    }

    /// stderr without whitespace and miette's box drawing (it wraps long lines anywhere).
    pub fn err(&self) -> String {
        crate::util::squash(&self.stderr)
    }
}

/// Runs `policyqc ARGS` in the repository root with extra environment.
pub fn run_env(args: &[&str], env: &[(&str, &str)]) -> Out {
    let mut cmd = Command::cargo_bin("policyqc").expect("binary");
    cmd.current_dir(repo())
        .args(args)
        .env("NO_COLOR", "1")
        .env_remove("CLICOLOR_FORCE")
        .env_remove("FORCE_COLOR");
    for (k, v) in env {
        cmd.env(k, v);
    }
    let o = cmd.output().expect("run policyqc");
    Out {
        code: o.status.code().expect("exit code"),
        stdout: String::from_utf8_lossy(&o.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&o.stderr).into_owned(),
    }
}

pub fn run(args: &[&str]) -> Out {
    run_env(args, &[])
}

/// `policyqc sample DATA --out OUT ARGS`.
pub fn sample(data: &Path, out: &Path, args: &[&str]) -> Out {
    let mut all = vec![
        "sample",
        data.to_str().unwrap(),
        "--out",
        out.to_str().unwrap(),
    ];
    all.extend_from_slice(args);
    run(&all)
}

pub fn demo() -> PathBuf {
    fixture("sampling")
}

pub fn basic() -> PathBuf {
    fixture("basic")
}

pub fn manifest(out: &Path) -> serde_json::Value {
    let text = std::fs::read_to_string(out.join("manifest.json")).expect("manifest.json");
    serde_json::from_str(&text).expect("json")
}

/// The selected case ids of a manifest, in selection order.
pub fn selected(out: &Path) -> Vec<String> {
    manifest(out)["selected"]
        .as_array()
        .expect("selected")
        .iter()
        .map(|s| s["case_id"].as_str().unwrap().to_owned())
        .collect()
}

/// `tests/sampling/golden/demo.json` (written by reference.py).
pub fn golden() -> serde_json::Value {
    let p = repo().join("tests/sampling/golden/demo.json");
    serde_json::from_str(&std::fs::read_to_string(p).expect("golden")).expect("json")
}

pub fn strings(v: &serde_json::Value) -> Vec<String> {
    v.as_array()
        .expect("array")
        .iter()
        .map(|s| s.as_str().unwrap().to_owned())
        .collect()
}

/// The fixture's cases as records.
pub fn cases(name: &str) -> Vec<BTreeMap<String, String>> {
    Table::read(&fixture(name).join("cases.csv")).records()
}

/// The fixture's designed findings per case: case -> rule ids.
pub fn expected_findings(name: &str) -> BTreeMap<String, BTreeSet<String>> {
    let mut out: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    for (c, r) in crate::util::expected_pairs(name) {
        out.entry(c).or_default().insert(r);
    }
    out
}
