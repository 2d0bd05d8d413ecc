//! Helpers shared by the `check` integration tests: running the binary, reading its CSV and
//! JSON outputs, copying and rewriting fixture data.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

use assert_cmd::Command;
use tempfile::TempDir;

/// The repository root (where `fixtures/` and `rules/` are).
pub fn repo() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// A fixture folder, e.g. `fixture("basic")`.
pub fn fixture(name: &str) -> PathBuf {
    repo().join("fixtures").join(name)
}

/// `policyqc ARGS...` from the repository: (exit code, stdout, stderr).
pub fn policyqc(args: &[&str]) -> (i32, String, String) {
    let out = Command::cargo_bin("policyqc")
        .expect("binary")
        .current_dir(repo())
        .env("NO_COLOR", "1")
        .args(args)
        .output()
        .expect("run policyqc");
    (
        out.status.code().expect("exit code"),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

/// One finished `policyqc` run.
pub struct Run {
    /// The process exit code.
    pub code: i32,
    /// Standard output.
    pub stdout: String,
    /// Standard error.
    pub stderr: String,
    /// The `--out` folder (may not exist when the run failed).
    pub out: PathBuf,
    /// Keeps the output folder alive as long as the run is inspected.
    _tmp: TempDir,
}

impl Run {
    /// A finished process whose `--out` folder is `out` inside `tmp`.
    pub fn new(output: &std::process::Output, out: PathBuf, tmp: TempDir) -> Self {
        Self {
            code: output
                .status
                .code()
                .expect("exit code (not killed by a signal)"),
            stdout: String::from_utf8_lossy(&output.stdout).into_owned(),
            stderr: String::from_utf8_lossy(&output.stderr).into_owned(),
            out,
            _tmp: tmp,
        }
    }

    /// A file of the output folder.
    pub fn file(&self, name: &str) -> PathBuf {
        self.out.join(name)
    }

    /// An output CSV table.
    pub fn table(&self, name: &str) -> Table {
        Table::read(&self.file(name))
    }

    /// `summary.json`.
    pub fn summary(&self) -> serde_json::Value {
        let text = std::fs::read_to_string(self.file("summary.json"))
            .unwrap_or_else(|e| panic!("summary.json: {e}\nstderr:\n{}", self.stderr));
        serde_json::from_str(&text).expect("summary.json is JSON")
    }

    /// A `u64` field of `summary.json`.
    pub fn summary_u64(&self, key: &str) -> u64 {
        self.summary()[key]
            .as_u64()
            .unwrap_or_else(|| panic!("summary.json has no integer `{key}`"))
    }

    /// The (`case_id`, `rule_id`) pairs of `findings.csv`.
    pub fn finding_pairs(&self) -> BTreeSet<(String, String)> {
        self.table("findings.csv").pairs("case_id", "rule_id")
    }

    /// stderr with every whitespace and box-drawing character removed: miette wraps long
    /// messages at 80 columns behind a `│` gutter, which may break a path or a phrase
    /// anywhere a space was. Compare with [`squash`]ed expectations.
    pub fn stderr_squashed(&self) -> String {
        squash(&self.stderr)
    }

    /// Panics with the run's output unless the exit code is `want`.
    pub fn assert_code(&self, want: i32) {
        assert_eq!(
            self.code, want,
            "exit code {} (want {want})\nstdout:\n{}\nstderr:\n{}",
            self.code, self.stdout, self.stderr
        );
    }
}

/// `s` without whitespace and the box-drawing characters miette draws.
pub fn squash(s: &str) -> String {
    s.chars()
        .filter(|c| !c.is_whitespace() && !('\u{2500}'..='\u{257F}').contains(c))
        .collect()
}

/// Runs `policyqc check <data_dir> --out <fresh tempdir>/out <extra...>` with `env`.
pub fn check_env(data_dir: &Path, extra: &[&str], env: &[(&str, &str)]) -> Run {
    let tmp = tempfile::tempdir().expect("tempdir");
    let out = tmp.path().join("out");
    let mut cmd = Command::cargo_bin("policyqc").expect("the policyqc binary");
    cmd.current_dir(repo())
        .arg("check")
        .arg(data_dir)
        .arg("--out")
        .arg(&out)
        .args(extra)
        // Keep the messages in their plain form whatever the developer's terminal.
        .env("NO_COLOR", "1")
        .env_remove("CLICOLOR_FORCE")
        .env_remove("FORCE_COLOR");
    for (k, v) in env {
        cmd.env(k, v);
    }
    Run::new(&cmd.output().expect("run policyqc"), out, tmp)
}

/// Runs `policyqc ARGS... --out <fresh tempdir>/out` from the repository root.
pub fn run_out(args: &[&std::ffi::OsStr]) -> Run {
    let tmp = tempfile::tempdir().expect("tempdir");
    let out = tmp.path().join("out");
    let output = Command::cargo_bin("policyqc")
        .expect("binary")
        .current_dir(repo())
        .env("NO_COLOR", "1")
        .args(args)
        .arg("--out")
        .arg(&out)
        .output()
        .expect("run policyqc");
    Run::new(&output, out, tmp)
}

/// Runs `policyqc check <data_dir> --out <tempdir> <extra...>`.
pub fn check(data_dir: &Path, extra: &[&str]) -> Run {
    check_env(data_dir, extra, &[])
}

/// A CSV file read as text: the header and every record.
#[derive(Debug, Clone)]
pub struct Table {
    /// Column names.
    pub header: Vec<String>,
    /// Records, each as long as the header.
    pub rows: Vec<Vec<String>>,
}

impl Table {
    /// Reads a CSV file (header on the first line).
    pub fn read(path: &Path) -> Self {
        let mut r = csv::ReaderBuilder::new()
            .has_headers(true)
            .from_path(path)
            .unwrap_or_else(|e| panic!("{}: {e}", path.display()));
        let header = r
            .headers()
            .expect("header")
            .iter()
            .map(str::to_owned)
            .collect();
        let rows = r
            .records()
            .map(|rec| {
                rec.unwrap_or_else(|e| panic!("{}: {e}", path.display()))
                    .iter()
                    .map(str::to_owned)
                    .collect()
            })
            .collect();
        Self { header, rows }
    }

    /// Writes the table as CSV (`\n` line ends, quoting only where needed).
    pub fn write(&self, path: &Path) {
        let mut w = csv::WriterBuilder::new()
            .terminator(csv::Terminator::Any(b'\n'))
            .from_path(path)
            .unwrap_or_else(|e| panic!("{}: {e}", path.display()));
        w.write_record(&self.header).expect("write header");
        for row in &self.rows {
            w.write_record(row).expect("write row");
        }
        w.flush().expect("flush");
    }

    /// The index of a column; panics when there is none.
    pub fn col(&self, name: &str) -> usize {
        self.header
            .iter()
            .position(|h| h == name)
            .unwrap_or_else(|| panic!("no column `{name}` in {:?}", self.header))
    }

    /// A cell by row index and column name.
    pub fn get(&self, row: usize, name: &str) -> &str {
        &self.rows[row][self.col(name)]
    }

    /// Sets a cell by row index and column name.
    pub fn set(&mut self, row: usize, name: &str, value: &str) {
        let c = self.col(name);
        value.clone_into(&mut self.rows[row][c]);
    }

    /// Removes a column.
    pub fn drop_column(&mut self, name: &str) {
        let c = self.col(name);
        self.header.remove(c);
        for row in &mut self.rows {
            row.remove(c);
        }
    }

    /// Renames a column.
    pub fn rename(&mut self, from: &str, to: &str) {
        let c = self.col(from);
        to.clone_into(&mut self.header[c]);
    }

    /// The rows as column -> value maps.
    pub fn records(&self) -> Vec<BTreeMap<String, String>> {
        self.rows
            .iter()
            .map(|r| self.header.iter().cloned().zip(r.iter().cloned()).collect())
            .collect()
    }

    /// The distinct pairs of two columns.
    pub fn pairs(&self, a: &str, b: &str) -> BTreeSet<(String, String)> {
        let (ia, ib) = (self.col(a), self.col(b));
        self.rows
            .iter()
            .map(|r| (r[ia].clone(), r[ib].clone()))
            .collect()
    }

    /// The rows whose columns equal the given values.
    pub fn find(&self, key: &[(&str, &str)]) -> Vec<BTreeMap<String, String>> {
        self.records()
            .into_iter()
            .filter(|r| {
                key.iter()
                    .all(|(k, v)| r.get(*k).map(String::as_str) == Some(*v))
            })
            .collect()
    }
}

/// A fixture's `expected_findings.csv` as (`case_id`, `rule_id`) pairs.
pub fn expected_pairs(name: &str) -> BTreeSet<(String, String)> {
    Table::read(&fixture(name).join("expected_findings.csv")).pairs("case_id", "rule_id")
}

/// Every rule id of `rules/*.yaml` with its severity, read straight from the YAML text
/// (`- id: X` opens a rule, its `severity: Y` line follows), not through the engine.
pub fn rule_severities() -> BTreeMap<String, String> {
    let mut out = BTreeMap::new();
    let mut files: Vec<PathBuf> = std::fs::read_dir(repo().join("rules"))
        .expect("rules/")
        .map(|e| e.expect("dir entry").path())
        .filter(|p| p.extension().is_some_and(|e| e == "yaml"))
        .collect();
    files.sort();
    for f in files {
        let text = std::fs::read_to_string(&f).expect("rule file");
        let mut current: Option<String> = None;
        for line in text.lines() {
            let t = line.trim();
            if let Some(id) = t.strip_prefix("- id:") {
                current = Some(id.trim().to_owned());
            } else if let (Some(id), Some(sev)) = (&current, t.strip_prefix("severity:")) {
                out.insert(id.clone(), sev.trim().to_owned());
            }
        }
    }
    out
}

/// A fresh folder with copies of a fixture's data files (cases, operators, authority,
/// calendar): not its README, manifest or expected findings.
pub fn copy_fixture(name: &str) -> TempDir {
    let tmp = tempfile::tempdir().expect("tempdir");
    for f in [
        "cases.csv",
        "operators.csv",
        "authority.csv",
        "calendar.yaml",
        "settings.yaml",
    ] {
        let src = fixture(name).join(f);
        if src.is_file() {
            std::fs::copy(&src, tmp.path().join(f)).expect("copy fixture file");
        }
    }
    tmp
}

/// Asserts that two floats agree to the 6 decimals the CSV outputs carry.
#[track_caller]
pub fn assert_rate(actual: &str, expected: f64, what: &str) {
    let v: f64 = actual
        .parse()
        .unwrap_or_else(|_| panic!("{what}: `{actual}` is not a number"));
    assert!((v - expected).abs() < 1e-6, "{what}: {v} (want {expected})");
}
