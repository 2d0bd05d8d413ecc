//! Output paths: the data folder itself, a folder inside it, a folder of other files, a
//! read-only and a full file system. Clear errors, inputs untouched (README "Guarantees").

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::Command;

use crate::util::{check, copy_fixture, squash};

/// Every file under `dir` with its bytes.
fn snapshot(dir: &Path) -> BTreeMap<PathBuf, Vec<u8>> {
    let mut out = BTreeMap::new();
    for e in std::fs::read_dir(dir).expect("list") {
        let p = e.expect("entry").path();
        if p.is_file() {
            out.insert(p.clone(), std::fs::read(&p).expect("read"));
        }
    }
    out
}

fn check_to(data: &Path, out: &Path) -> (i32, String) {
    let o = Command::new(env!("CARGO_BIN_EXE_policyqc"))
        .arg("check")
        .arg(data)
        .arg("--out")
        .arg(out)
        .arg("-q")
        .env("NO_COLOR", "1")
        .output()
        .expect("run");
    (
        o.status.code().expect("exit code"),
        String::from_utf8_lossy(&o.stderr).into_owned(),
    )
}

#[test]
fn the_data_folder_as_output_is_refused_and_left_as_it_was() {
    let data = copy_fixture("basic");
    let before = snapshot(data.path());
    let (code, err) = check_to(data.path(), data.path());
    assert_eq!(code, 2, "{err}");
    assert!(squash(&err).contains("notapolicyqcoutputfolder"), "{err}");
    assert_eq!(snapshot(data.path()), before, "inputs untouched");
}

#[test]
fn an_output_folder_inside_the_data_folder_is_allowed_and_clobbers_nothing() {
    let data = copy_fixture("basic");
    let before = snapshot(data.path());
    let out = data.path().join("policyqc-out");
    for _ in 0..2 {
        let (code, err) = check_to(data.path(), &out);
        assert!(matches!(code, 0 | 1), "{err}");
        assert!(out.join("findings.csv").is_file());
    }
    assert_eq!(snapshot(data.path()), before, "inputs untouched");
    let entries: Vec<String> = std::fs::read_dir(data.path())
        .expect("list")
        .map(|e| e.expect("entry").file_name().to_string_lossy().into_owned())
        .filter(|n| {
            !Path::new(n)
                .extension()
                .is_some_and(|x| x.eq_ignore_ascii_case("csv") || x.eq_ignore_ascii_case("yaml"))
        })
        .collect();
    assert_eq!(
        entries,
        ["policyqc-out"],
        "nothing else written beside the inputs"
    );
}

#[test]
fn a_folder_of_other_files_is_refused_and_left_as_it_was() {
    let data = copy_fixture("basic");
    let tmp = tempfile::tempdir().expect("tempdir");
    let mine = tmp.path().join("reports");
    std::fs::create_dir(&mine).expect("mkdir");
    std::fs::write(mine.join("notes.txt"), "mine").expect("write");
    let (code, err) = check_to(data.path(), &mine);
    assert_eq!(code, 2, "{err}");
    assert!(squash(&err).contains("notapolicyqcoutputfolder"), "{err}");
    assert_eq!(std::fs::read_dir(&mine).expect("list").count(), 1);
}

/// A tmpfs mounted for the test (unmounted on drop), or `None` where mounting is not
/// permitted (not root): the two tests below then say so and pass.
struct Mount(PathBuf);

impl Mount {
    fn new(dir: &Path, options: &str) -> Option<Self> {
        let ok = Command::new("mount")
            .args(["-t", "tmpfs", "-o", options, "tmpfs"])
            .arg(dir)
            .stderr(std::process::Stdio::null())
            .status()
            .is_ok_and(|s| s.success());
        if !ok {
            eprintln!("cannot mount a tmpfs here: the file-system test is skipped");
        }
        ok.then(|| Self(dir.to_path_buf()))
    }
}

impl Drop for Mount {
    fn drop(&mut self) {
        let _ = Command::new("umount").arg(&self.0).status();
    }
}

#[test]
fn a_full_disk_is_a_clear_error_and_leaves_no_partial_output() {
    let data = copy_fixture("basic");
    let before = snapshot(data.path());
    let tmp = tempfile::tempdir().expect("tempdir");
    // 16 KiB: the marker fits, fixtures/basic's qc_sheet.csv does not.
    let Some(_mount) = Mount::new(tmp.path(), "size=16k") else {
        return;
    };
    let out = tmp.path().join("out");
    let (code, err) = check_to(data.path(), &out);
    assert_eq!(code, 2, "{err}");
    assert!(err.contains("No space left on device"), "{err}");
    assert!(
        squash(&err).contains(&squash(&out.display().to_string())),
        "names --out: {err}"
    );
    let left: Vec<_> = std::fs::read_dir(tmp.path()).expect("list").collect();
    assert!(
        left.is_empty(),
        "no output and no temporary folder: {left:?}"
    );
    assert_eq!(snapshot(data.path()), before, "inputs untouched");
}

#[test]
fn a_read_only_output_location_is_a_clear_error() {
    let data = copy_fixture("basic");
    let tmp = tempfile::tempdir().expect("tempdir");
    let Some(_mount) = Mount::new(tmp.path(), "ro,size=16k") else {
        return;
    };
    let out = tmp.path().join("out");
    let (code, err) = check_to(data.path(), &out);
    assert_eq!(code, 2, "{err}");
    assert!(err.contains("Read-only file system"), "{err}");
    assert!(!out.exists());
}

#[test]
fn a_run_that_fails_keeps_the_previous_output() {
    // The previous output, then a run that cannot read its cases: --out is as it was.
    let data = copy_fixture("basic");
    let first = check(data.path(), &[]);
    assert!(matches!(first.code, 0 | 1), "{}", first.stderr);
    let before = snapshot(&first.out);
    std::fs::write(data.path().join("cases.csv"), b"\xff\xfe not text").expect("write");
    let (code, err) = check_to(data.path(), &first.out);
    assert_eq!(code, 2, "{err}");
    assert_eq!(snapshot(&first.out), before, "the previous output, whole");
}
