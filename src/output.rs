//! Output folders written whole or not at all.
//!
//! Every command that writes an output folder (`check`, `cycle`, `status`, `scorecard`, and
//! `sample` into a new folder) goes through [`OutputDir`]: the files are written into a hidden
//! temporary folder beside `--out` (same parent, so the same file system),
//! `.<name>.tmp-<pid>`, and only when every file is complete is it renamed into place:
//!
//! 1. the previous output, if any, is renamed away to `.<name>.old-<pid>`;
//! 2. the new folder is renamed to `<name>`;
//! 3. the previous output is deleted.
//!
//! Each rename is atomic, so a process killed at any moment (even by `SIGKILL`) leaves
//! `<name>` either the previous complete output or the new complete one, except in the
//! window between steps 1 and 2 (two `rename` calls, microseconds) where `<name>` is absent.
//! Never a partial folder. The hidden folders a killed run leaves are removed by the next run
//! writing to the same `--out`. `SIGINT` and `SIGTERM` ([`install_signal_handlers`]) remove
//! the temporary folder and exit with 130 / 143 without touching `<name>`; they wait for a
//! rename already under way to finish.
//!
//! A folder is replaced only when it is empty or was written by policyqc (it holds the marker
//! file [`MARKER`]), and never when an input file is inside it: `--out` pointing at a data
//! folder or a home folder is refused, not emptied.

use std::path::{Path, PathBuf};
use std::sync::{Mutex, PoisonError};

/// The file every output folder holds, so that a later run knows it may replace the folder.
pub const MARKER: &str = ".policyqc-output";

/// The temporary folder being written, for the signal handler.
static STAGING: Mutex<Option<PathBuf>> = Mutex::new(None);

/// Why an output folder cannot be written.
#[derive(Debug, thiserror::Error, miette::Diagnostic)]
pub enum OutputError {
    /// `--out` exists but was not written by policyqc.
    #[error(
        "{0} exists and is not a policyqc output folder (no {MARKER} in it): it is left as it was"
    )]
    #[diagnostic(
        code(output::not_ours),
        help("choose another --out, or empty or remove that folder first")
    )]
    NotOurs(String),
    /// `--out` is a file.
    #[error("{0} exists and is not a folder")]
    #[diagnostic(code(output::not_a_folder), help("choose another --out"))]
    NotAFolder(String),
    /// An input file is inside `--out`.
    #[error("the output folder {out} holds the input {input}: writing there would replace it")]
    #[diagnostic(
        code(output::holds_input),
        help("choose an --out outside the data folder (a subfolder of it is fine)")
    )]
    HoldsInput {
        /// The output folder.
        out: String,
        /// The input inside it.
        input: String,
    },
    /// A file system operation failed.
    #[error("cannot write the output folder {out}: {message}; {kept}")]
    #[diagnostic(code(output::write))]
    Io {
        /// The output folder.
        out: String,
        /// What failed.
        message: String,
        /// What is left at `--out`.
        kept: &'static str,
    },
}

const KEPT: &str = "the previous output, if any, is left as it was";

/// A temporary output folder; [`OutputDir::commit`] puts it in place, dropping it removes it.
#[derive(Debug)]
pub struct OutputDir {
    out: PathBuf,
    tmp: PathBuf,
    old: PathBuf,
    committed: bool,
}

impl OutputDir {
    /// Checks that `out` may be replaced, removes stale temporary folders of earlier killed
    /// runs and creates the temporary folder. `inputs` are the files the run reads: none may
    /// be inside `out`.
    pub fn begin(out: &Path, inputs: &[PathBuf]) -> Result<Self, OutputError> {
        let shown = out.display().to_string();
        let io = |what: &str, e: &std::io::Error| OutputError::Io {
            out: shown.clone(),
            message: format!("{what}: {e}"),
            kept: KEPT,
        };
        let name = out
            .file_name()
            .ok_or_else(|| OutputError::NotOurs(shown.clone()))?
            .to_string_lossy()
            .into_owned();
        let parent = match out.parent() {
            Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
            _ => PathBuf::from("."),
        };
        if let Ok(meta) = std::fs::symlink_metadata(out) {
            if !meta.is_dir() {
                return Err(OutputError::NotAFolder(shown));
            }
            let ours = out.join(MARKER).is_file();
            let empty = std::fs::read_dir(out)
                .map_err(|e| io("cannot list it", &e))?
                .next()
                .is_none();
            if !ours && !empty {
                return Err(OutputError::NotOurs(shown));
            }
            if let Ok(out_real) = out.canonicalize() {
                for input in inputs {
                    if let Ok(real) = input.canonicalize()
                        && real.starts_with(&out_real)
                    {
                        return Err(OutputError::HoldsInput {
                            out: shown,
                            input: input.display().to_string(),
                        });
                    }
                }
            }
        }
        std::fs::create_dir_all(&parent)
            .map_err(|e| io(&format!("cannot create {}", parent.display()), &e))?;
        remove_stale(&parent, &name);
        let pid = std::process::id();
        let tmp = parent.join(format!(".{name}.tmp-{pid}"));
        let old = parent.join(format!(".{name}.old-{pid}"));
        let _ = std::fs::remove_dir_all(&tmp);
        std::fs::create_dir(&tmp)
            .map_err(|e| io(&format!("cannot create {}", tmp.display()), &e))?;
        *STAGING.lock().unwrap_or_else(PoisonError::into_inner) = Some(tmp.clone());
        let staged = Self {
            out: out.to_path_buf(),
            tmp,
            old,
            committed: false,
        };
        std::fs::write(
            staged.tmp.join(MARKER),
            "written by policyqc: this folder is replaced whole by the next run with the same --out\n",
        )
        .map_err(|e| io("cannot write its marker", &e))?;
        Ok(staged)
    }

    /// The temporary folder to write into.
    #[must_use]
    pub fn path(&self) -> &Path {
        &self.tmp
    }

    /// The final folder.
    #[must_use]
    pub fn out(&self) -> &Path {
        &self.out
    }

    /// Puts the written folder in place of `out` (see the module docs for the steps).
    pub fn commit(mut self) -> Result<(), OutputError> {
        // Held until the end: a signal arriving now waits for the renames.
        let mut staging = STAGING.lock().unwrap_or_else(PoisonError::into_inner);
        let io = |what: &str, e: &std::io::Error| OutputError::Io {
            out: self.out.display().to_string(),
            message: format!("{what}: {e}"),
            kept: KEPT,
        };
        let had_old = self.out.exists();
        if had_old {
            std::fs::rename(&self.out, &self.old)
                .map_err(|e| io("cannot move the previous output away", &e))?;
        }
        if let Err(e) = std::fs::rename(&self.tmp, &self.out) {
            if had_old {
                let _ = std::fs::rename(&self.old, &self.out);
            }
            return Err(io("cannot move the new output in place", &e));
        }
        self.committed = true;
        *staging = None;
        drop(staging);
        if had_old {
            let _ = std::fs::remove_dir_all(&self.old);
        }
        Ok(())
    }
}

impl Drop for OutputDir {
    fn drop(&mut self) {
        if !self.committed {
            let _ = std::fs::remove_dir_all(&self.tmp);
            *STAGING.lock().unwrap_or_else(PoisonError::into_inner) = None;
        }
    }
}

/// Removes `.<name>.tmp-<pid>` and `.<name>.old-<pid>` folders in `parent` whose process is
/// gone (left by a killed run).
fn remove_stale(parent: &Path, name: &str) {
    let Ok(entries) = std::fs::read_dir(parent) else {
        return;
    };
    let prefixes = [format!(".{name}.tmp-"), format!(".{name}.old-")];
    for entry in entries.flatten() {
        let file = entry.file_name();
        let file = file.to_string_lossy();
        let Some(pid) = prefixes
            .iter()
            .find_map(|p| file.strip_prefix(p.as_str()))
            .and_then(|pid| pid.parse::<u32>().ok())
        else {
            continue;
        };
        if pid != std::process::id() && !alive(pid) {
            let _ = std::fs::remove_dir_all(entry.path());
        }
    }
}

/// Whether process `pid` runs (on Linux, from `/proc`; elsewhere every other pid is taken
/// as gone, so a concurrent run to the same `--out` could lose its temporary folder).
fn alive(pid: u32) -> bool {
    cfg!(target_os = "linux") && Path::new("/proc").join(pid.to_string()).exists()
}

/// On `SIGINT` or `SIGTERM`: removes the temporary output folder being written (waiting for
/// a commit under way), prints one line and exits with 130 or 143.
pub fn install_signal_handlers() {
    use signal_hook::consts::{SIGINT, SIGTERM};
    let Ok(mut signals) = signal_hook::iterator::Signals::new([SIGINT, SIGTERM]) else {
        return;
    };
    std::thread::spawn(move || {
        if let Some(signal) = signals.forever().next() {
            let staging = STAGING.lock().unwrap_or_else(PoisonError::into_inner);
            if let Some(tmp) = staging.as_ref() {
                let _ = std::fs::remove_dir_all(tmp);
            }
            let name = if signal == SIGINT {
                "SIGINT"
            } else {
                "SIGTERM"
            };
            eprintln!(
                "policyqc: stopped by {name}; the output folder is left as it was before the run"
            );
            std::process::exit(128 + signal);
        }
    });
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_folder_not_ours_is_refused_and_left() {
        let dir = tempfile::tempdir().expect("tempdir");
        let out = dir.path().join("mine");
        std::fs::create_dir(&out).expect("mkdir");
        std::fs::write(out.join("thesis.docx"), "x").expect("write");
        let err = OutputDir::begin(&out, &[]).expect_err("refused");
        assert!(matches!(err, OutputError::NotOurs(_)), "{err}");
        assert!(out.join("thesis.docx").is_file());
    }

    #[test]
    fn commit_replaces_the_previous_output_whole() {
        let dir = tempfile::tempdir().expect("tempdir");
        let out = dir.path().join("out");
        let first = OutputDir::begin(&out, &[]).expect("begin");
        std::fs::write(first.path().join("a.csv"), "1").expect("write");
        first.commit().expect("commit");
        let second = OutputDir::begin(&out, &[]).expect("begin");
        std::fs::write(second.path().join("b.csv"), "2").expect("write");
        second.commit().expect("commit");
        let mut names: Vec<String> = std::fs::read_dir(dir.path())
            .expect("list")
            .map(|e| e.expect("entry").file_name().to_string_lossy().into_owned())
            .collect();
        names.sort();
        assert_eq!(names, ["out"], "no temporary folder left");
        assert!(
            !out.join("a.csv").exists(),
            "the old file went with the old folder"
        );
        assert_eq!(std::fs::read_to_string(out.join("b.csv")).expect("b"), "2");
    }

    #[test]
    fn dropped_without_commit_leaves_nothing() {
        let dir = tempfile::tempdir().expect("tempdir");
        let out = dir.path().join("out");
        let staged = OutputDir::begin(&out, &[]).expect("begin");
        std::fs::write(staged.path().join("a.csv"), "1").expect("write");
        drop(staged);
        assert_eq!(std::fs::read_dir(dir.path()).expect("list").count(), 0);
    }

    #[test]
    fn stale_folders_of_dead_runs_are_removed() {
        let dir = tempfile::tempdir().expect("tempdir");
        // No process has pid 4,000,000,000 (above Linux's pid_max of 2^22).
        let stale = dir.path().join(".out.tmp-4000000000");
        std::fs::create_dir(&stale).expect("mkdir");
        let other = dir.path().join(".other.tmp-4000000000");
        std::fs::create_dir(&other).expect("mkdir");
        let staged = OutputDir::begin(&dir.path().join("out"), &[]).expect("begin");
        assert!(!stale.exists());
        assert!(
            other.exists(),
            "another --out's folder is not ours to clean"
        );
        drop(staged);
    }

    #[test]
    fn an_output_folder_holding_an_input_is_refused() {
        let dir = tempfile::tempdir().expect("tempdir");
        let cases = dir.path().join("cases.csv");
        std::fs::write(&cases, "case_id\n").expect("write");
        std::fs::write(dir.path().join(MARKER), "").expect("marker");
        let err = OutputDir::begin(dir.path(), std::slice::from_ref(&cases)).expect_err("refused");
        assert!(matches!(err, OutputError::HoldsInput { .. }), "{err}");
        assert!(cases.is_file());
    }
}
