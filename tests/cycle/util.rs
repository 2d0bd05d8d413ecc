//! Running `policyqc` and reading its outputs (the CSV reader is shared with tests/cli).

use std::path::{Path, PathBuf};

use assert_cmd::Command;
use tempfile::TempDir;

#[allow(dead_code)]
#[path = "../cli/util.rs"]
mod cli_util;

pub use cli_util::{Table, squash};

/// The repository root.
pub fn repo() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// `fixtures/<name>`.
pub fn fixture(name: &str) -> PathBuf {
    repo().join("fixtures").join(name)
}

/// The cycle fixture's own rule set.
pub fn cycle_rules() -> String {
    fixture("cycle").join("rules").display().to_string()
}

/// One finished run.
pub struct Run {
    /// Exit code.
    pub code: i32,
    /// Standard output.
    pub stdout: String,
    /// Standard error.
    pub stderr: String,
    /// The `--out` folder.
    pub out: PathBuf,
    _tmp: TempDir,
}

impl Run {
    /// An output CSV table.
    pub fn table(&self, name: &str) -> Table {
        Table::read(&self.out.join(name))
    }

    /// An output JSON file.
    pub fn json(&self, name: &str) -> serde_json::Value {
        let text = std::fs::read_to_string(self.out.join(name))
            .unwrap_or_else(|e| panic!("{name}: {e}\nstderr:\n{}", self.stderr));
        serde_json::from_str(&text).expect("JSON")
    }

    /// Panics with the output unless the exit code is `want`.
    pub fn assert_code(&self, want: i32) {
        assert_eq!(
            self.code, want,
            "exit code {} (want {want})\nstdout:\n{}\nstderr:\n{}",
            self.code, self.stdout, self.stderr
        );
    }
}

/// Runs `policyqc <command> <data> --out <tempdir> <extra...>` with `env`.
pub fn run_env(command: &str, data: &Path, extra: &[&str], env: &[(&str, &str)]) -> Run {
    let tmp = tempfile::tempdir().expect("tempdir");
    let out = tmp.path().join("out");
    let mut cmd = Command::cargo_bin("policyqc").expect("the policyqc binary");
    cmd.current_dir(repo())
        .arg(command)
        .arg(data)
        .arg("--out")
        .arg(&out)
        .args(extra)
        .env("NO_COLOR", "1")
        .env_remove("CLICOLOR_FORCE")
        .env_remove("FORCE_COLOR");
    for (k, v) in env {
        cmd.env(k, v);
    }
    let output = cmd.output().expect("run policyqc");
    Run {
        code: output.status.code().expect("exit code"),
        stdout: String::from_utf8_lossy(&output.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&output.stderr).into_owned(),
        out,
        _tmp: tmp,
    }
}

/// Runs `policyqc <command> <data> --out <tempdir> <extra...>`.
pub fn run(command: &str, data: &Path, extra: &[&str]) -> Run {
    run_env(command, data, extra, &[])
}

/// `policyqc cycle fixtures/cycle --rules fixtures/cycle/rules <extra...>`.
pub fn cycle_fixture(extra: &[&str]) -> Run {
    let rules = cycle_rules();
    let mut args = vec!["--rules", rules.as_str()];
    args.extend_from_slice(extra);
    run("cycle", &fixture("cycle"), &args)
}

/// `policyqc status fixtures/cycle --rules fixtures/cycle/rules --date <date> <extra...>`.
pub fn status_fixture(date: &str, extra: &[&str]) -> Run {
    let rules = cycle_rules();
    let mut args = vec!["--rules", rules.as_str(), "--date", date];
    args.extend_from_slice(extra);
    run("status", &fixture("cycle"), &args)
}

/// A fresh copy of a fixture folder's files (not its rules folder).
pub fn copy_fixture(name: &str) -> TempDir {
    let tmp = tempfile::tempdir().expect("tempdir");
    for entry in std::fs::read_dir(fixture(name)).expect("fixture") {
        let path = entry.expect("entry").path();
        if path.is_file() {
            std::fs::copy(&path, tmp.path().join(path.file_name().expect("name"))).expect("copy");
        }
    }
    tmp
}

/// A fresh copy of a fixture folder's files without `remove` (e.g. its task list).
pub fn copy_fixture_without(name: &str, remove: &[&str]) -> TempDir {
    let dir = copy_fixture(name);
    for f in remove {
        std::fs::remove_file(dir.path().join(f)).expect("remove");
    }
    dir
}

/// A number of an output cell.
#[track_caller]
pub fn num(cell: &str) -> f64 {
    cell.parse()
        .unwrap_or_else(|_| panic!("`{cell}` is not a number"))
}

/// Asserts a cell equals a hand-computed value to the 6 decimals of the CSV outputs.
#[track_caller]
pub fn assert_hours(cell: &str, want: f64, what: &str) {
    let v = num(cell);
    assert!((v - want).abs() < 5e-7, "{what}: {v} (want {want})");
}
