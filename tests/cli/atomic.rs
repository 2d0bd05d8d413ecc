//! Output folders are whole or absent: runs of the real binary killed by `SIGKILL` at several
//! moments (and while writing), stopped by `SIGTERM` and `SIGINT` (README "Guarantees").

use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use crate::util::{Table, fixture};

fn bin() -> PathBuf {
    PathBuf::from(env!("CARGO_BIN_EXE_policyqc"))
}

/// A generated data folder of `cases` cases (a few seconds of `check` in a debug build).
fn generated(dir: &Path, cases: u32) -> PathBuf {
    let data = dir.join("data");
    let status = Command::new(bin())
        .args([
            "generate",
            "--cases",
            &cases.to_string(),
            "--start",
            "2026-10-01",
        ])
        .arg("--out")
        .arg(&data)
        .stdout(Stdio::null())
        .status()
        .expect("generate");
    assert!(status.success());
    data
}

fn spawn_check(data: &Path, out: &Path) -> Child {
    Command::new(bin())
        .arg("check")
        .arg(data)
        .arg("--out")
        .arg(out)
        .args(["--format", "csv,jsonl,parquet", "-q"])
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .expect("spawn policyqc")
}

/// The files every complete `check` output folder holds with `--format csv,jsonl,parquet`.
fn expected_files() -> Vec<String> {
    let mut v: Vec<String> = [
        "findings",
        "qc_sheet",
        "rule_rates",
        "operator_rates",
        "data_findings",
        "alerts",
    ]
    .iter()
    .flat_map(|t| ["csv", "jsonl", "parquet"].map(|e| format!("{t}.{e}")))
    .chain([".policyqc-output", "summary.json", "report.html"].map(String::from))
    .collect();
    v.sort();
    v
}

/// Asserts `out` is absent or a complete, self-consistent output; returns its `cases_read`.
fn assert_whole(out: &Path) -> Option<u64> {
    if !out.exists() {
        return None;
    }
    let mut files: Vec<String> = std::fs::read_dir(out)
        .expect("list out")
        .map(|e| e.expect("entry").file_name().to_string_lossy().into_owned())
        .collect();
    files.sort();
    assert_eq!(files, expected_files(), "a partial output folder");
    let summary: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(out.join("summary.json")).expect("summary"))
            .expect("summary.json is whole JSON");
    let findings = Table::read(&out.join("findings.csv")).rows.len() as u64;
    assert_eq!(
        summary["findings"].as_u64(),
        Some(findings),
        "summary vs findings.csv"
    );
    let jsonl = std::fs::read_to_string(out.join("findings.jsonl")).expect("jsonl");
    assert_eq!(
        jsonl.lines().count() as u64,
        findings,
        "findings.jsonl vs findings.csv"
    );
    summary["cases_read"].as_u64()
}

fn temporaries(parent: &Path) -> Vec<String> {
    std::fs::read_dir(parent)
        .expect("list")
        .map(|e| e.expect("entry").file_name().to_string_lossy().into_owned())
        .filter(|n| n.starts_with(".out."))
        .collect()
}

/// Waits until `path` exists (the run is writing), or the child ends.
fn wait_for(child: &mut Child, path: &Path) -> bool {
    let start = Instant::now();
    while start.elapsed() < Duration::from_secs(60) {
        if path.exists() {
            return true;
        }
        if child.try_wait().expect("try_wait").is_some() {
            return false;
        }
        std::thread::sleep(Duration::from_millis(1));
    }
    panic!("the run neither wrote {} nor ended", path.display());
}

#[test]
fn a_run_killed_at_any_moment_leaves_the_previous_output_or_none() {
    let dir = tempfile::tempdir().expect("tempdir");
    let data = generated(dir.path(), 20_000);
    let out = dir.path().join("out");

    // Killed before any output existed: nothing or a whole folder, never part of one.
    let mut first = spawn_check(&data, &out);
    std::thread::sleep(Duration::from_millis(200));
    first.kill().expect("SIGKILL");
    first.wait().expect("wait");
    let cases = assert_whole(&out);
    assert!(cases.is_none() || cases == Some(20_000));

    // The previous output: fixtures/basic, 300 cases (fixtures/basic/README.md).
    let status = Command::new(bin())
        .arg("check")
        .arg(fixture("basic"))
        .arg("--out")
        .arg(&out)
        .args(["--format", "csv,jsonl,parquet", "-q"])
        .status()
        .expect("check basic");
    assert!(matches!(status.code(), Some(0 | 1)), "{status}");
    assert_eq!(assert_whole(&out), Some(300));
    assert!(
        temporaries(dir.path()).is_empty(),
        "the stale folder was cleaned"
    );

    let mut killed_while_writing = 0;
    for moment in [
        "50ms",
        "200ms",
        "500ms",
        "writing findings",
        "writing qc_sheet",
    ] {
        let mut child = spawn_check(&data, &out);
        let tmp = dir.path().join(format!(".out.tmp-{}", child.id()));
        match moment {
            "writing findings" | "writing qc_sheet" => {
                // The first table written, and the middle of the largest (its CSV done, its
                // JSONL started).
                let file = if moment == "writing findings" {
                    "findings.csv"
                } else {
                    "qc_sheet.jsonl"
                };
                if wait_for(&mut child, &tmp.join(file)) {
                    killed_while_writing += 1;
                }
            }
            ms => std::thread::sleep(Duration::from_millis(
                ms.trim_end_matches("ms").parse().expect("ms"),
            )),
        }
        child.kill().expect("SIGKILL");
        let status = child.wait().expect("wait");
        // Each moment gives the previous output, or the new one if the run had finished.
        let cases = assert_whole(&out);
        if status.code().is_some() {
            assert_eq!(cases, Some(20_000), "{moment}: finished, so the new output");
        } else {
            assert_eq!(cases, Some(300), "{moment}: killed, so the previous output");
        }
    }
    // On a loaded machine a run may finish between the file appearing and the kill: the
    // folder assertions above hold either way, and at least one kill must land mid-write.
    assert!(killed_while_writing >= 1, "no kill landed while writing");
    // A killed run leaves its temporary folder; the next run removes it.
    assert!(!temporaries(dir.path()).is_empty());
    let status = spawn_check(&data, &out).wait().expect("wait");
    assert!(matches!(status.code(), Some(0 | 1)), "{status}");
    assert_eq!(assert_whole(&out), Some(20_000));
    assert!(
        temporaries(dir.path()).is_empty(),
        "{:?}",
        temporaries(dir.path())
    );
}

/// Sends `signal` (`TERM`, `INT`) with the `kill` command: the tests deny `unsafe`.
fn send(child: &Child, signal: &str) {
    let ok = Command::new("kill")
        .arg(format!("-{signal}"))
        .arg(child.id().to_string())
        .status()
        .expect("kill")
        .success();
    assert!(ok);
}

#[test]
fn sigterm_and_sigint_stop_within_a_second_and_leave_the_previous_output() {
    let dir = tempfile::tempdir().expect("tempdir");
    let data = generated(dir.path(), 20_000);
    let out = dir.path().join("out");
    let status = Command::new(bin())
        .arg("check")
        .arg(fixture("basic"))
        .arg("--out")
        .arg(&out)
        .args(["--format", "csv,jsonl,parquet", "-q"])
        .status()
        .expect("check basic");
    assert!(matches!(status.code(), Some(0 | 1)), "{status}");
    for (signal, code) in [("TERM", 143), ("INT", 130)] {
        let mut child = spawn_check(&data, &out);
        // While it evaluates (about a second into a run of 3 on 20,000 cases).
        std::thread::sleep(Duration::from_millis(400));
        assert!(
            child.try_wait().expect("try_wait").is_none(),
            "still running"
        );
        let sent = Instant::now();
        send(&child, signal);
        let output = loop {
            if let Some(s) = child.try_wait().expect("try_wait") {
                break s;
            }
            assert!(
                sent.elapsed() < Duration::from_secs(1),
                "SIG{signal}: not stopped in 1 s"
            );
            std::thread::sleep(Duration::from_millis(5));
        };
        assert_eq!(output.code(), Some(code), "SIG{signal}");
        let mut stderr = String::new();
        std::io::Read::read_to_string(&mut child.stderr.take().expect("stderr"), &mut stderr)
            .expect("stderr");
        assert_eq!(stderr.lines().count(), 1, "one line: {stderr}");
        assert!(stderr.contains(&format!("SIG{signal}")), "{stderr}");
        assert_eq!(
            assert_whole(&out),
            Some(300),
            "SIG{signal}: the previous output"
        );
        assert!(
            temporaries(dir.path()).is_empty(),
            "SIG{signal} removed its folder"
        );
    }
}
