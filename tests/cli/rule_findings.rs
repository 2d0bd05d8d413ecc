//! `--rule-findings FILE` of `scorecard` and `sample`: the rules' findings computed elsewhere
//! (an earlier check's findings.csv|parquet, or the `policyqc sql` script's result on a
//! cluster) stand for the rules' evaluation, and a file that does not agree with the cases or
//! the pack is refused, naming the file, row and column.
//!
//! fixtures/scorecard: 7 findings (its `expected_findings.csv`); `intake.application_too_old`
//! is error point 1 (rules/intake.yaml).

use std::path::{Path, PathBuf};

use super::util::{fixture, policyqc, squash};

/// The check's findings of fixtures/scorecard as written by `check --raw-csv` (CSV and
/// Parquet), in `dir`.
fn checked(dir: &Path) -> PathBuf {
    let out = dir.join("check");
    let (code, _, err) = policyqc(&[
        "check",
        fixture("scorecard").to_str().unwrap(),
        "--raw-csv",
        "--quiet",
        "--format",
        "parquet",
        "--out",
        out.to_str().unwrap(),
    ]);
    assert!(code <= 1, "check: {err}");
    out
}

fn scorecard(out: &Path, extra: &[&str]) {
    let config = fixture("scorecard").join("scorecard.yaml");
    let data = fixture("scorecard");
    let mut args = vec![
        "scorecard",
        data.to_str().unwrap(),
        "--month",
        "2026-10",
        "--config",
        config.to_str().unwrap(),
        "--no-history",
        "--quiet",
        "--out",
        out.to_str().unwrap(),
    ];
    args.extend_from_slice(extra);
    let (code, _, err) = policyqc(&args);
    assert_eq!(code, 0, "scorecard: {err}");
}

/// A fixed-size sample of fixtures/scorecard (16 cases).
fn sample(out: &Path, extra: &[&str]) -> (i32, String) {
    sample_of(out, "6", extra)
}

fn sample_of(out: &Path, size: &str, extra: &[&str]) -> (i32, String) {
    let data = fixture("scorecard");
    let mut args = vec![
        "sample",
        data.to_str().unwrap(),
        "--plan",
        "fixed",
        "--size",
        size,
        "--seed",
        "11",
        "--quiet",
        "--out",
        out.to_str().unwrap(),
    ];
    args.extend_from_slice(extra);
    let (code, _, err) = policyqc(&args);
    (code, err)
}

fn manifest(dir: &Path) -> serde_json::Value {
    serde_json::from_str(&std::fs::read_to_string(dir.join("manifest.json")).expect("manifest"))
        .expect("json")
}

/// sample.csv without its first column (the sample id, a hash of the manifest, which names
/// the findings file when one is given).
fn sample_rows(dir: &Path) -> Vec<String> {
    std::fs::read_to_string(dir.join("sample.csv"))
        .expect("sample.csv")
        .lines()
        .map(|l| l.split_once(',').map_or(l, |(_, rest)| rest).to_owned())
        .collect()
}

#[test]
fn the_checks_own_findings_read_back_give_the_same_scorecard_and_sample() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let check = checked(tmp.path());
    let native = tmp.path().join("native");
    scorecard(&native, &[]);
    for file in ["findings.csv", "findings.parquet"] {
        let given = check.join(file);
        let given = given.to_str().unwrap();
        let read = tmp.path().join(format!("read-{file}"));
        scorecard(&read, &["--rule-findings", given]);
        for name in [
            "scorecard.csv",
            "scorecard.json",
            "scorecard_errors.csv",
            "scorecard_teams.csv",
            "training_hints.csv",
            "scorecard.html",
        ] {
            assert!(
                std::fs::read(native.join(name)).unwrap()
                    == std::fs::read(read.join(name)).unwrap(),
                "{file}: {name} differs from the scorecard that evaluated the rules"
            );
        }
        let s_native = tmp.path().join(format!("s-native-{file}"));
        let s_read = tmp.path().join(format!("s-read-{file}"));
        assert_eq!(sample(&s_native, &[]).0, 0);
        let (code, err) = sample(&s_read, &["--rule-findings", given]);
        assert_eq!(code, 0, "{err}");
        assert_eq!(sample_rows(&s_native), sample_rows(&s_read), "{file}");
        // The manifest names the file and its SHA-256 (as sha256sum prints it).
        let m = manifest(&s_read);
        assert_eq!(m["data"]["rule_findings_file"], given);
        let sum = std::process::Command::new("sha256sum")
            .arg(given)
            .output()
            .expect("sha256sum");
        let sum = String::from_utf8(sum.stdout).unwrap();
        assert_eq!(
            m["data"]["rule_findings_sha256"].as_str(),
            sum.split_whitespace().next()
        );
        assert!(
            manifest(&s_native)["data"]
                .get("rule_findings_file")
                .is_none()
        );
    }
}

/// The file is what counts: with every finding but one removed, one case is flagged.
#[test]
fn the_findings_given_are_the_ones_used() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let check = checked(tmp.path());
    let text = std::fs::read_to_string(check.join("findings.csv")).expect("findings");
    let lines: Vec<&str> = text.lines().collect();
    assert_eq!(lines.len(), 1 + 7, "fixtures/scorecard: 7 findings");
    let one = tmp.path().join("one.csv");
    std::fs::write(&one, format!("{}\n{}\n", lines[0], lines[1])).expect("write");
    let native = tmp.path().join("native");
    assert_eq!(sample(&native, &[]).0, 0);
    let read = tmp.path().join("read");
    let (code, err) = sample(&read, &["--rule-findings", one.to_str().unwrap()]);
    assert_eq!(code, 0, "{err}");
    assert_eq!(manifest(&read)["population"]["flagged"], 1);
    assert!(manifest(&native)["population"]["flagged"].as_u64() > Some(1));
}

/// Each finding in the manifest carries its rule's error point (it was 0 for every finding
/// when the engine's error-point column was a 32-bit integer).
#[test]
fn the_manifest_gives_each_finding_its_rules_error_point() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let out = tmp.path().join("s");
    let (code, err) = sample_of(&out, "16", &[]);
    assert_eq!(code, 0, "{err}");
    let m = manifest(&out);
    let found = m["selected"]
        .as_array()
        .expect("selected")
        .iter()
        .flat_map(|c| c["findings"].as_array().cloned().unwrap_or_default())
        .find(|f| f["rule_id"] == "intake.application_too_old")
        .expect("the sample of all 16 cases holds C2026100008's finding");
    assert_eq!(found["error_point"], 1, "rules/intake.yaml: error_point 1");
}

/// A file that does not agree with the run: exit 2 naming the file, its row and the column.
#[test]
fn a_findings_file_that_does_not_agree_is_refused_with_file_row_and_column() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let check = checked(tmp.path());
    let text = std::fs::read_to_string(check.join("findings.csv")).expect("findings");
    let header: Vec<&str> = text.lines().next().unwrap().split(',').collect();
    let at = |c: &str| header.iter().position(|h| *h == c).expect(c);
    // Row 3 of the file (its second finding) edited in one column.
    let edit = |column: &str, value: &str| -> String {
        let mut rows = csv::Reader::from_reader(text.as_bytes());
        let mut w = csv::Writer::from_writer(Vec::new());
        w.write_record(&header).unwrap();
        for (i, r) in rows.records().enumerate() {
            let mut r: Vec<String> = r.unwrap().iter().map(str::to_owned).collect();
            if i == 1 {
                value.clone_into(&mut r[at(column)]);
            }
            w.write_record(&r).unwrap();
        }
        String::from_utf8(w.into_inner().unwrap()).unwrap()
    };
    let cases = [
        (
            edit("rule_id", "intake.no_such_rule"),
            "row 3, column `rule_id`: `intake.no_such_rule` is not a rule of the pack",
        ),
        (
            edit("rule_source", "rules/intake.yaml:999"),
            "row 3, column `rule_source`: `rules/intake.yaml:999`, but the pack has",
        ),
        (
            edit("case_id", "C9999999999"),
            "row 3, column `case_id`: `C9999999999`, but row",
        ),
        (
            edit("row", "99999"),
            "row 3, column `row`: the cases have no row 99999",
        ),
        (
            edit("row", "two"),
            "row 3, column `row`: `two` is not a whole number",
        ),
        (
            text.replacen("rule_source", "source", 1),
            "has no column `rule_source`",
        ),
    ];
    for (i, (content, says)) in cases.iter().enumerate() {
        let file = tmp.path().join(format!("bad{i}.csv"));
        std::fs::write(&file, content).expect("write");
        let (code, err) = sample(
            &tmp.path().join(format!("out{i}")),
            &["--rule-findings", file.to_str().unwrap()],
        );
        assert_eq!(code, 2, "{says}: {err}");
        assert!(
            squash(&err).contains(&squash(&format!("bad{i}.csv"))),
            "{err}"
        );
        assert!(squash(&err).contains(&squash(says)), "{says}: {err}");
    }
    // The scorecard refuses the same way.
    let file = tmp.path().join("bad0.csv");
    let config = fixture("scorecard").join("scorecard.yaml");
    let (code, _, err) = policyqc(&[
        "scorecard",
        fixture("scorecard").to_str().unwrap(),
        "--month",
        "2026-10",
        "--config",
        config.to_str().unwrap(),
        "--no-history",
        "--out",
        tmp.path().join("sc").to_str().unwrap(),
        "--rule-findings",
        file.to_str().unwrap(),
    ]);
    assert_eq!(code, 2, "{err}");
    assert!(
        squash(&err).contains(&squash("intake.no_such_rule")),
        "{err}"
    );
}
