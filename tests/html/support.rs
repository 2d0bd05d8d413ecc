//! Running a command into a fresh output folder and reading back its tables and figures.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use assert_cmd::Command;

use super::browser::repo;

/// Runs `policyqc COMMAND DATA EXTRA... --out <tmp>/out`, expecting an exit code of `codes`;
/// returns the temp dir (keep it alive) and the out folder.
pub fn run(
    command: &str,
    data: &Path,
    extra: &[&str],
    codes: &[i32],
) -> (tempfile::TempDir, PathBuf) {
    let tmp = tempfile::tempdir().expect("tempdir");
    let out = tmp.path().join("out");
    let output = Command::cargo_bin("policyqc")
        .expect("binary")
        .current_dir(repo())
        .arg(command)
        .arg(data)
        .args(extra)
        .arg("--out")
        .arg(&out)
        .output()
        .expect("run policyqc");
    let code = output.status.code().expect("exit code");
    assert!(
        codes.contains(&code),
        "{command} exited {code}: {}",
        String::from_utf8_lossy(&output.stderr)
    );
    (tmp, out)
}

/// A JSON file of the out folder.
pub fn json(path: &Path) -> serde_json::Value {
    serde_json::from_str(&std::fs::read_to_string(path).expect("json file")).expect("JSON")
}

/// A CSV table as records keyed by column name.
pub fn records(path: &Path) -> Vec<BTreeMap<String, String>> {
    let mut reader = csv::Reader::from_path(path).expect("csv");
    let header = reader.headers().expect("header").clone();
    reader
        .records()
        .map(|r| {
            let r = r.expect("record");
            header
                .iter()
                .zip(r.iter())
                .map(|(h, v)| (h.to_owned(), v.to_owned()))
                .collect()
        })
        .collect()
}

/// The text of the `.value` of the headline figure `data-figure=NAME`, without thousands
/// separators.
pub fn figure(dom: &str, name: &str) -> String {
    let re = regex::Regex::new(&format!(
        r#"data-figure="{name}"[^>]*><div class="value">([^<]*)</div>"#
    ))
    .expect("regex");
    re.captures(dom)
        .unwrap_or_else(|| panic!("no figure {name}"))[1]
        .replace(',', "")
}

/// A copy of a fixture folder's files with `from` replaced by `to` (once) in `file`: returns
/// the temp dir (keep it alive) and the copied data folder.
pub fn hostile_copy(
    fixture: &str,
    file: &str,
    from: &str,
    to: &str,
) -> (tempfile::TempDir, PathBuf) {
    let tmp = tempfile::tempdir().expect("tempdir");
    let data = tmp.path().join("data");
    std::fs::create_dir_all(&data).expect("mkdir");
    for e in std::fs::read_dir(repo().join(fixture)).expect("fixture") {
        let e = e.expect("entry");
        if e.path().is_file() {
            std::fs::copy(e.path(), data.join(e.file_name())).expect("copy");
        }
    }
    let text = std::fs::read_to_string(data.join(file)).expect("read");
    assert!(text.contains(from), "{file} has no {from}");
    std::fs::write(data.join(file), text.replacen(from, to, 1)).expect("write");
    (tmp, data)
}
