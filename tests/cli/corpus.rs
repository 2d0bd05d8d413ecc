//! A no-panic corpus: every table and config file of two small data folders, and two rule
//! files, corrupted in 15 ways (14 files, 210 inputs), each run through the subcommands that read it.
//! Every run ends with exit 0, 1 or 2 within 30 s, never a panic (101) or a hang, and an exit
//! 2 names the corrupted file (README "Guarantees").

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::sync::Mutex;
use std::time::{Duration, Instant};

use crate::util::{fixture, repo, squash};

/// A small seeded generator (xorshift64), so the corpus is the same on every run.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }
    fn below(&mut self, n: usize) -> usize {
        (self.next() % n.max(1) as u64) as usize
    }
}

/// The 15 corruptions of a file's bytes, named.
fn corruptions(original: &[u8], seed: u64) -> Vec<(&'static str, Vec<u8>)> {
    let mut rng = Rng(seed | 1);
    let text = String::from_utf8_lossy(original).into_owned();
    let mut lines: Vec<&str> = text.lines().collect();
    let header = lines.first().copied().unwrap_or_default().to_owned();
    let mut random = |n: usize| (0..n).map(|_| rng.next() as u8).collect::<Vec<u8>>();
    let r1 = random(2_000);
    let r2 = random(50);
    let mut sprinkled = original.to_vec();
    let mut quoted = original.to_vec();
    let mut rng = Rng(seed.wrapping_mul(31) | 1);
    for _ in 0..8 {
        let at = rng.below(sprinkled.len());
        sprinkled.insert(at, 0);
        let at = rng.below(quoted.len());
        quoted.insert(at, b'"');
    }
    let mut garbage_tail = original.to_vec();
    garbage_tail.extend_from_slice(&r2);
    let wrong_types: String = text
        .chars()
        .map(|c| if c.is_ascii_digit() { 'x' } else { c })
        .collect();
    let structure: String = text.replace(": ", ": [{").replace(',', ",\"{[");
    lines.insert(1.min(lines.len()), &header);
    let duplicated = lines.join("\n") + "\n";
    vec![
        ("empty", Vec::new()),
        ("truncated in half", original[..original.len() / 2].to_vec()),
        (
            "truncated mid-line",
            original[..=original.len() / 3].to_vec(),
        ),
        ("random bytes", r1),
        ("random tail", garbage_tail),
        ("NULs", sprinkled),
        ("only NULs", vec![0; 300]),
        ("wrong types", wrong_types.into_bytes()),
        ("broken structure", structure.into_bytes()),
        ("duplicated header", duplicated.into_bytes()),
        ("BOM", [b"\xEF\xBB\xBF".as_slice(), original].concat()),
        ("CRLF", text.replace('\n', "\r\n").into_bytes()),
        ("odd quotes", quoted),
        ("header only", format!("{header}\n").into_bytes()),
        (
            "invalid UTF-8",
            [original, b"\xff\xfe\xc3(".as_slice()].concat(),
        ),
    ]
}

/// One corrupted input: its folder, the file, and the commands that read it.
struct Case {
    label: String,
    dir: PathBuf,
    file: String,
    commands: Vec<Vec<String>>,
}

fn copy_dir(from: &Path, to: &Path, skip: &[&str]) {
    std::fs::create_dir_all(to).expect("mkdir");
    for e in std::fs::read_dir(from).expect("list") {
        let e = e.expect("entry");
        let name = e.file_name().to_string_lossy().into_owned();
        if e.path().is_file() && !skip.contains(&name.as_str()) {
            std::fs::copy(e.path(), to.join(&name)).expect("copy");
        }
    }
}

fn args(list: &[&str]) -> Vec<String> {
    list.iter().map(|s| (*s).to_owned()).collect()
}

fn corpus(root: &Path) -> Vec<Case> {
    // fixtures/scorecard: October 2026, every table but events; fixtures/cycle without its
    // tasks (so that the event log is read) for events.csv, columns.yaml and its cases and
    // calendar.
    let score = ["check", "scorecard", "cycle", "status", "sample"];
    let command = |name: &str| -> Vec<String> {
        match name {
            "check" => args(&["check", "DATA", "--out", "OUT", "-q"]),
            "scorecard" => args(&[
                "scorecard",
                "DATA",
                "--month",
                "2026-10",
                "--config",
                "DATA/scorecard.yaml",
                "--no-history",
                "--out",
                "OUT",
                "-q",
            ]),
            "cycle" => args(&["cycle", "DATA", "--out", "OUT", "-q"]),
            "status" => args(&[
                "status",
                "DATA",
                "--date",
                "2026-10-15",
                "--out",
                "OUT",
                "-q",
            ]),
            "sample" => args(&[
                "sample", "DATA", "--plan", "fixed", "--size", "5", "--method", "random", "--seed",
                "7", "--out", "OUT", "-q",
            ]),
            "validate" => args(&["validate", "DATA/rules"]),
            "check-rules" => args(&[
                "check",
                "DATA",
                "--rules",
                "DATA/rules",
                "--out",
                "OUT",
                "-q",
            ]),
            other => panic!("{other}"),
        }
    };
    let mut files: Vec<(PathBuf, &[&str], &str, Vec<&str>)> = vec![];
    let sc = fixture("scorecard");
    for f in [
        "cases.csv",
        "operators.csv",
        "authority.csv",
        "settings.yaml",
    ] {
        files.push((sc.clone(), &[], f, score.to_vec()));
    }
    for f in ["tasks.csv", "calendar.yaml"] {
        files.push((sc.clone(), &[], f, vec!["cycle", "status", "scorecard"]));
    }
    files.push((sc.clone(), &[], "findings.csv", vec!["scorecard"]));
    files.push((sc.clone(), &[], "scorecard.yaml", vec!["scorecard"]));
    let cy = fixture("cycle");
    for f in ["events.csv", "columns.yaml", "cases.csv", "calendar.yaml"] {
        files.push((
            cy.clone(),
            &["tasks.csv"],
            f,
            vec!["cycle", "status", "check"],
        ));
    }
    for f in ["rules/entry.yaml", "rules/thresholds.yaml"] {
        files.push((sc.clone(), &[], f, vec!["validate", "check-rules"]));
    }
    let mut cases = Vec::new();
    for (n, (base, skip, file, readers)) in files.into_iter().enumerate() {
        let source = if file.starts_with("rules/") {
            repo().join(file)
        } else {
            base.join(file)
        };
        let original = std::fs::read(&source).expect("fixture file");
        for (k, (how, bytes)) in corruptions(&original, n as u64 * 1_000 + 17)
            .into_iter()
            .enumerate()
        {
            let dir = root.join(format!("{n:02}-{k:02}"));
            copy_dir(&base, &dir, skip);
            copy_dir(&repo().join("rules"), &dir.join("rules"), &["README.md"]);
            std::fs::write(dir.join(file), bytes).expect("write corrupted");
            // Each input through one of its readers in turn: 15 corruptions, at most 5
            // readers, so every reader meets every file at least 3 times.
            let which = [readers[k % readers.len()]];
            cases.push(Case {
                label: format!("{file} ({how})"),
                dir,
                file: file.rsplit('/').next().expect("name").to_owned(),
                commands: which.into_iter().map(command).collect(),
            });
        }
    }
    cases
}

/// Runs one command with a 30 s limit; returns its exit code and a problem, if any.
fn run(case: &Case, cmd: &[String]) -> (Option<i32>, Option<String>) {
    let out = case.dir.join("out");
    let argv: Vec<String> = cmd
        .iter()
        .map(|a| {
            a.replace("DATA", &case.dir.display().to_string())
                .replace("OUT", &out.display().to_string())
        })
        .collect();
    let mut child = Command::new(env!("CARGO_BIN_EXE_policyqc"))
        .args(&argv)
        .env("NO_COLOR", "1")
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .expect("spawn");
    let start = Instant::now();
    let status = loop {
        if let Some(s) = child.try_wait().expect("try_wait") {
            break s;
        }
        if start.elapsed() > Duration::from_secs(30) {
            let _ = child.kill();
            let hung = format!("{}: `{}` hung (killed after 30 s)", case.label, cmd[0]);
            return (None, Some(hung));
        }
        std::thread::sleep(Duration::from_millis(5));
    };
    let mut stderr = String::new();
    std::io::Read::read_to_string(&mut child.stderr.take().expect("stderr"), &mut stderr)
        .expect("stderr");
    let code = status.code();
    let what = format!("{}: `{}`", case.label, cmd[0]);
    let problem = match code {
        Some(0 | 1) if !stderr.contains("panicked") => None,
        Some(2) if stderr.contains("panicked") => Some(format!("{what} panicked:\n{stderr}")),
        Some(2) if !squash(&stderr).contains(&squash(&case.file)) => Some(format!(
            "{what}: exit 2 without naming {}:\n{stderr}",
            case.file
        )),
        Some(2) => None,
        _ => Some(format!("{what}: exit {code:?}:\n{stderr}")),
    };
    (code, problem)
}

#[test]
fn no_broken_input_makes_any_command_panic_or_hang() {
    let root = tempfile::tempdir().expect("tempdir");
    let cases = corpus(root.path());
    assert!(cases.len() >= 200, "{} inputs", cases.len());
    let jobs: Vec<(&Case, &Vec<String>)> = cases
        .iter()
        .flat_map(|c| c.commands.iter().map(move |cmd| (c, cmd)))
        .collect();
    let next = Mutex::new(0usize);
    let problems = Mutex::new(Vec::new());
    let codes = Mutex::new([0usize; 3]);
    std::thread::scope(|s| {
        for _ in 0..2 {
            s.spawn(|| {
                loop {
                    let i = {
                        let mut n = next.lock().expect("lock");
                        *n += 1;
                        *n - 1
                    };
                    let Some((case, cmd)) = jobs.get(i) else {
                        break;
                    };
                    let (code, problem) = run(case, cmd);
                    if let Some(p) = problem {
                        problems.lock().expect("lock").push(p);
                    }
                    if let Some(c @ 0..=2) = code {
                        codes.lock().expect("lock")[c as usize] += 1;
                    }
                }
            });
        }
    });
    let problems = problems.into_inner().expect("lock");
    let codes = codes.into_inner().expect("lock");
    eprintln!(
        "{} runs: exit 0 {}, exit 1 {}, exit 2 {}",
        jobs.len(),
        codes[0],
        codes[1],
        codes[2]
    );
    // A corpus of inputs all refused, or all accepted, would test little.
    assert!(codes[2] > 0 && codes[0] + codes[1] > 0, "{codes:?}");
    assert!(
        problems.is_empty(),
        "{} of {} runs went wrong:\n\n{}",
        problems.len(),
        jobs.len(),
        problems.join("\n\n")
    );
}
