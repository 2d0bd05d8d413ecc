//! Helpers: running the binary on a data folder, reading CSV outputs, copying the fixture.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use assert_cmd::Command;
use tempfile::TempDir;

/// The repository root.
pub fn repo() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// `fixtures/scorecard`.
pub fn fixture() -> PathBuf {
    repo().join("fixtures").join("scorecard")
}

/// The fixture's scorecard config.
pub fn fixture_config() -> PathBuf {
    fixture().join("scorecard.yaml")
}

/// One finished run.
pub struct Run {
    pub code: i32,
    pub stdout: String,
    pub stderr: String,
    pub out: PathBuf,
    pub history: PathBuf,
    pub _tmp: TempDir,
}

impl Run {
    pub fn file(&self, name: &str) -> PathBuf {
        self.out.join(name)
    }

    pub fn table(&self, name: &str) -> Table {
        Table::read(&self.file(name))
    }

    pub fn assert_code(&self, want: i32) {
        assert_eq!(
            self.code, want,
            "exit code {} (want {want})\nstdout:\n{}\nstderr:\n{}",
            self.code, self.stdout, self.stderr
        );
    }

    /// stderr without whitespace and miette's box drawing (it wraps long lines anywhere).
    pub fn stderr_squashed(&self) -> String {
        squash(&self.stderr)
    }
}

pub fn squash(s: &str) -> String {
    s.chars()
        .filter(|c| !c.is_whitespace() && !"│╭╮╰╯─┬┴├┤×⚠☞".contains(*c))
        .collect()
}

/// Runs `policyqc scorecard DATA --month M ARGS` in a fresh folder with `--out` and
/// `--history` inside it (unless ARGS give them).
pub fn scorecard(data: &Path, month: &str, args: &[&str]) -> Run {
    scorecard_env(data, month, args, &[])
}

/// [`scorecard`] with environment variables.
pub fn scorecard_env(data: &Path, month: &str, args: &[&str], env: &[(&str, &str)]) -> Run {
    let tmp = TempDir::new().expect("temp dir");
    let out = tmp.path().join("out");
    let history = tmp.path().join("history.sqlite");
    run_in(tmp, data, month, args, env, out, history)
}

/// Runs in the given folder with the given history file.
pub fn run_in(
    tmp: TempDir,
    data: &Path,
    month: &str,
    args: &[&str],
    env: &[(&str, &str)],
    out: PathBuf,
    history: PathBuf,
) -> Run {
    let mut cmd = Command::cargo_bin("policyqc").expect("binary");
    cmd.current_dir(tmp.path())
        .arg("scorecard")
        .arg(data)
        .arg("--month")
        .arg(month);
    if !args.contains(&"--out") {
        cmd.arg("--out").arg(&out);
    }
    if !args.contains(&"--history") && !args.contains(&"--no-history") {
        cmd.arg("--history").arg(&history);
    }
    cmd.args(args);
    for (k, v) in env {
        cmd.env(k, v);
    }
    let o = cmd.output().expect("run policyqc");
    Run {
        code: o.status.code().unwrap_or(-1),
        stdout: String::from_utf8_lossy(&o.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&o.stderr).into_owned(),
        out,
        history,
        _tmp: tmp,
    }
}

/// A CSV file as rows of column -> value.
pub struct Table {
    pub header: Vec<String>,
    pub rows: Vec<BTreeMap<String, String>>,
}

impl Table {
    pub fn read(path: &Path) -> Self {
        let mut r = csv::Reader::from_path(path)
            .unwrap_or_else(|e| panic!("cannot read {}: {e}", path.display()));
        let header: Vec<String> = r
            .headers()
            .expect("header")
            .iter()
            .map(str::to_owned)
            .collect();
        let rows = r
            .records()
            .map(|rec| {
                let rec = rec.expect("record");
                header
                    .iter()
                    .cloned()
                    .zip(rec.iter().map(str::to_owned))
                    .collect()
            })
            .collect();
        Self { header, rows }
    }

    /// The row whose `key` column is `value`.
    pub fn row(&self, key: &str, value: &str) -> &BTreeMap<String, String> {
        self.rows
            .iter()
            .find(|r| r.get(key).map(String::as_str) == Some(value))
            .unwrap_or_else(|| panic!("no row with {key} = {value}"))
    }

    /// A column's value in the row whose `key` is `value`.
    pub fn get(&self, key: &str, value: &str, column: &str) -> String {
        self.row(key, value)
            .get(column)
            .unwrap_or_else(|| panic!("no column {column}"))
            .clone()
    }

    /// A number (panics on empty).
    pub fn num(&self, key: &str, value: &str, column: &str) -> f64 {
        let v = self.get(key, value, column);
        v.parse()
            .unwrap_or_else(|_| panic!("{column} of {value} is `{v}`, not a number"))
    }

    pub fn column(&self, name: &str) -> Vec<String> {
        self.rows.iter().map(|r| r[name].clone()).collect()
    }
}

/// Asserts two floats agree to 1e-6.
pub fn close(got: f64, want: f64, what: &str) {
    assert!((got - want).abs() < 1e-6, "{what}: got {got}, want {want}");
}

/// A copy of the fixture folder (to change a file in).
pub fn copy_fixture() -> TempDir {
    let tmp = TempDir::new().expect("temp dir");
    for e in std::fs::read_dir(fixture()).expect("fixture") {
        let e = e.expect("entry");
        let name = e.file_name().to_string_lossy().to_string();
        let ext = e
            .path()
            .extension()
            .map(|x| x.to_string_lossy().to_lowercase());
        if matches!(ext.as_deref(), Some("csv" | "yaml")) {
            std::fs::copy(e.path(), tmp.path().join(&name)).expect("copy");
        }
    }
    tmp
}

/// Replaces `from` with `to` in a file of a copied folder (once; panics when absent).
pub fn edit(dir: &Path, file: &str, from: &str, to: &str) {
    let p = dir.join(file);
    let text = std::fs::read_to_string(&p).expect("read");
    assert!(text.contains(from), "{file} has no `{from}`");
    std::fs::write(&p, text.replacen(from, to, 1)).expect("write");
}

/// Appends lines to a file of a copied folder.
pub fn append(dir: &Path, file: &str, lines: &str) {
    let p = dir.join(file);
    let mut text = std::fs::read_to_string(&p).expect("read");
    text.push_str(lines);
    std::fs::write(&p, text).expect("write");
}

/// Replaces `from` by `to` in the first line of `file` that starts with `prefix` and holds it.
pub fn edit_line(dir: &Path, file: &str, prefix: &str, from: &str, to: &str) {
    let p = dir.join(file);
    let text = std::fs::read_to_string(&p).unwrap();
    let mut found = false;
    let out: Vec<String> = text
        .lines()
        .map(|l| {
            if !found && l.starts_with(prefix) && l.contains(from) {
                found = true;
                l.replacen(from, to, 1)
            } else {
                l.to_owned()
            }
        })
        .collect();
    assert!(found, "no line {prefix}... with {from}");
    std::fs::write(&p, out.join("\n") + "\n").unwrap();
}
