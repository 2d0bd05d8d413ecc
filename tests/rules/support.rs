//! Helpers: write a data folder and a rule directory in a temp dir, run the binary, read the
//! output tables.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::Output;

use assert_cmd::Command;
use tempfile::TempDir;

/// The binary under test, with colours off so that miette's output is plain text.
pub fn policyqc() -> Command {
    let mut cmd = assert_cmd::cargo::cargo_bin_cmd!("policyqc");
    cmd.env("NO_COLOR", "1").env_remove("CLICOLOR_FORCE");
    cmd
}

/// The operator field every test rule is attributed to, unless it says otherwise.
pub const RESPONSIBLE: &str = "entry_operator";

/// One rule of the given kind: the common keys filled in, `body` (unindented YAML lines: the
/// kind and its parameters, optionally `when`) indented into the rule mapping.
pub fn rule(id: &str, body: &str) -> String {
    let mut out = format!(
        "  - id: {id}\n    title: test rule {id}\n    error_point: 5\n    severity: major\n    \
         responsible: {RESPONSIBLE}\n    message: \"{{actual}} / {{expected}}\"\n"
    );
    for line in body.trim_matches('\n').lines() {
        out.push_str("    ");
        out.push_str(line);
        out.push('\n');
    }
    out
}

/// A rule file of the `entry` checkpoint holding `rules`.
pub fn rule_file(rules: &[String]) -> String {
    format!("checkpoint: entry\nrules:\n{}", rules.concat())
}

/// A scratch folder with `data/` and `rules/`.
pub struct Scratch {
    pub tmp: TempDir,
}

impl Scratch {
    pub fn new() -> Self {
        let tmp = tempfile::tempdir().expect("temp dir");
        std::fs::create_dir(tmp.path().join("data")).expect("data dir");
        std::fs::create_dir(tmp.path().join("rules")).expect("rules dir");
        Self { tmp }
    }

    pub fn path(&self) -> &Path {
        self.tmp.path()
    }

    /// Writes `rel` (relative to the scratch folder), creating parents.
    pub fn write(&self, rel: &str, text: &str) -> &Self {
        let p = self.tmp.path().join(rel);
        std::fs::create_dir_all(p.parent().expect("parent")).expect("mkdir");
        std::fs::write(p, text).expect("write");
        self
    }

    /// Writes `data/cases.csv`. If the header lacks the responsible operator column, it is
    /// added with `clerk` in every row (rules need their responsible field).
    pub fn cases(&self, csv: &str) -> &Self {
        let mut lines = csv.trim().lines().map(str::trim);
        let header = lines.next().expect("header");
        let add = !header.split(',').any(|c| c == RESPONSIBLE);
        let mut out = String::from(header);
        if add {
            out.push(',');
            out.push_str(RESPONSIBLE);
        }
        out.push('\n');
        for l in lines {
            out.push_str(l);
            if add {
                out.push_str(",clerk");
            }
            out.push('\n');
        }
        self.write("data/cases.csv", &out)
    }

    /// Writes `rules/entry.yaml` holding `rules`.
    pub fn rules(&self, rules: &[String]) -> &Self {
        self.write("rules/entry.yaml", &rule_file(rules))
    }

    /// `policyqc check data --rules rules --out out`, run in the scratch folder.
    pub fn check(&self) -> Run {
        let output = policyqc()
            .current_dir(self.path())
            .args([
                "check", "data", "--rules", "rules", "--out", "out", "--quiet",
            ])
            .output()
            .expect("run policyqc");
        Run {
            output,
            out: self.path().join("out"),
        }
    }

    /// `policyqc check`, asserting exit code 0.
    pub fn check_ok(&self) -> Run {
        let run = self.check();
        assert_eq!(run.code(), 0, "policyqc check failed:\n{}", run.stderr());
        run
    }

    /// `policyqc validate rules`, run in the scratch folder (so files are named `rules/...`).
    pub fn validate(&self) -> Run {
        let output = policyqc()
            .current_dir(self.path())
            .args(["validate", "rules"])
            .output()
            .expect("run policyqc");
        Run {
            output,
            out: self.path().join("out"),
        }
    }
}

/// One run of the binary.
pub struct Run {
    pub output: Output,
    pub out: PathBuf,
}

/// A CSV row, column name -> value.
pub type Row = BTreeMap<String, String>;

impl Run {
    pub fn code(&self) -> i32 {
        self.output.status.code().expect("exit code")
    }

    pub fn stderr(&self) -> String {
        String::from_utf8_lossy(&self.output.stderr).into_owned()
    }

    pub fn stdout(&self) -> String {
        String::from_utf8_lossy(&self.output.stdout).into_owned()
    }

    /// The rows of an output table (`findings`, `rule_rates`, ...).
    pub fn table(&self, name: &str) -> Vec<Row> {
        let path = self.out.join(format!("{name}.csv"));
        let mut rdr = csv::Reader::from_path(&path)
            .unwrap_or_else(|e| panic!("cannot read {}: {e}", path.display()));
        let headers = rdr.headers().expect("headers").clone();
        rdr.records()
            .map(|r| {
                let r = r.expect("record");
                headers
                    .iter()
                    .zip(r.iter())
                    .map(|(h, v)| (h.to_owned(), v.to_owned()))
                    .collect()
            })
            .collect()
    }

    /// The case ids that fail `rule`, sorted.
    pub fn failed(&self, rule: &str) -> Vec<String> {
        let mut ids: Vec<String> = self
            .table("findings")
            .into_iter()
            .filter(|r| r["rule_id"] == rule)
            .map(|r| r["case_id"].clone())
            .collect();
        ids.sort();
        ids
    }

    /// The finding of `rule` on `case`.
    pub fn finding(&self, case: &str, rule: &str) -> Row {
        self.table("findings")
            .into_iter()
            .find(|r| r["rule_id"] == rule && r["case_id"] == case)
            .unwrap_or_else(|| panic!("no finding of {rule} on {case}"))
    }

    /// `(cases_applicable, cases_failed)` of `rule` in `rule_rates.csv`.
    pub fn rate(&self, rule: &str) -> (u64, u64) {
        let row = self
            .table("rule_rates")
            .into_iter()
            .find(|r| r["rule_id"] == rule)
            .unwrap_or_else(|| panic!("{rule} not in rule_rates.csv"));
        (
            row["cases_applicable"].parse().expect("number"),
            row["cases_failed"].parse().expect("number"),
        )
    }

    /// Asserts the failing cases of `rule` and its applicable/failed counts.
    #[track_caller]
    pub fn assert_rule(&self, rule: &str, failing: &[&str], applicable: u64) {
        assert_eq!(self.failed(rule), failing, "cases failing {rule}");
        assert_eq!(
            self.rate(rule),
            (applicable, failing.len() as u64),
            "(cases_applicable, cases_failed) of {rule}"
        );
    }
}

/// Asserts that `stderr` locates a diagnostic at `file:line:col` the way miette prints it
/// (`[file:line:col]` in the snippet header) and shows the source line `line` of `text`
/// (miette prints it as `line │ text`).
#[track_caller]
pub fn assert_located(stderr: &str, file: &str, text: &str, line: usize, col: usize) {
    let header = format!("[{file}:{line}:{col}]");
    assert!(
        stderr.contains(&header),
        "no {header} in the output:\n{stderr}"
    );
    let source_line = text.lines().nth(line - 1).expect("line in the file");
    let shown = format!("{line} │ {source_line}");
    assert!(
        stderr
            .lines()
            .any(|l| l.trim_end().ends_with(shown.trim_end())),
        "the source line `{shown}` is not shown:\n{stderr}"
    );
}

/// The 1-based (line, column) of the first occurrence of `needle` in `text`.
#[track_caller]
pub fn position(text: &str, needle: &str) -> (usize, usize) {
    let at = text
        .find(needle)
        .unwrap_or_else(|| panic!("`{needle}` not in the file"));
    let before = &text[..at];
    let line = before.matches('\n').count() + 1;
    let col = at - before.rfind('\n').map_or(0, |i| i + 1) + 1;
    (line, col)
}
