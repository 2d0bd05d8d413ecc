//! Command-line conventions: shell completions and the manual page come from the same clap
//! definition as the parser, so they list every command there is.

use assert_cmd::Command;

fn output(args: &[&str]) -> (i32, String) {
    let out = Command::cargo_bin("policyqc")
        .expect("binary")
        .args(args)
        .output()
        .expect("run");
    (
        out.status.code().expect("code"),
        String::from_utf8_lossy(&out.stdout).into_owned(),
    )
}

fn subcommands() -> Vec<String> {
    policyqc::cli::command()
        .get_subcommands()
        .map(|c| c.get_name().to_owned())
        .collect()
}

#[test]
fn completions_for_each_shell_know_every_command() {
    let names = subcommands();
    assert!(names.len() >= 12 && names.contains(&String::from("explain")));
    for shell in ["bash", "zsh", "fish", "powershell", "elvish"] {
        let (code, script) = output(&["completions", shell]);
        assert_eq!(code, 0, "{shell}");
        for n in &names {
            assert!(script.contains(n.as_str()), "{shell}: no `{n}`");
        }
    }
    let (code, _) = output(&["completions", "tcsh"]);
    assert_eq!(code, 2, "an unknown shell is a usage error");
}

#[test]
fn the_manual_page_has_a_section_per_command() {
    let (code, page) = output(&["man"]);
    assert_eq!(code, 0);
    assert!(
        page.starts_with(".ie") || page.contains(".TH policyqc 1"),
        "roff"
    );
    for n in subcommands() {
        assert!(
            page.contains(&format!(".TH policyqc-{n} 1")),
            "no page for {n}"
        );
    }
    // The options of a command are there, as in its --help.
    assert!(page.contains("no\\-examples") || page.contains("no-examples"));
}

/// Runs the binary with `env`, returning (code, stdout, stderr).
fn full(args: &[&str], env: &[(&str, &str)]) -> (i32, String, String) {
    let mut cmd = Command::cargo_bin("policyqc").expect("binary");
    cmd.current_dir(env!("CARGO_MANIFEST_DIR"))
        .args(args)
        .env_remove("NO_COLOR")
        .env_remove("CLICOLOR_FORCE")
        .env_remove("FORCE_COLOR")
        .env_remove("POLICYQC_TIMINGS");
    for (k, v) in env {
        cmd.env(k, v);
    }
    let out = cmd.output().expect("run");
    (
        out.status.code().expect("code"),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

/// A command of each kind that writes an output folder, with its arguments before `--out`.
fn writing_commands() -> Vec<Vec<&'static str>> {
    vec![
        vec!["check", "fixtures/basic"],
        vec!["cycle", "fixtures/cycle"],
        vec!["report", "weekly", "fixtures/demo", "--week", "2026-W44"],
        vec![
            "sample",
            "fixtures/basic",
            "--plan",
            "fixed",
            "--size",
            "5",
            "--seed",
            "1",
        ],
        vec![
            "generate",
            "--cases",
            "20",
            "--seed",
            "4",
            "--start",
            "2026-10-01",
        ],
    ]
}

#[test]
fn quiet_prints_nothing_and_verbose_prints_the_phases_on_every_writing_command() {
    for args in writing_commands() {
        let tmp = tempfile::tempdir().expect("tempdir");
        let run = |flag: Option<&str>, n: &str| {
            let out = tmp.path().join(n);
            let mut all: Vec<&str> = flag.into_iter().collect();
            all.extend(&args);
            all.extend(["--out", out.to_str().expect("utf-8")]);
            full(&all, &[])
        };
        let (code, stdout, _) = run(None, "plain");
        assert!(matches!(code, 0 | 1), "{args:?}: {code}");
        assert!(!stdout.is_empty(), "{args:?}: a summary without --quiet");
        let (qcode, qout, qerr) = run(Some("--quiet"), "quiet");
        assert_eq!(qcode, code, "{args:?}: --quiet changes no exit code");
        assert_eq!((qout.as_str(), qerr.as_str()), ("", ""), "{args:?} --quiet");
        assert!(tmp.path().join("quiet").is_dir(), "{args:?}: still written");
        let (vcode, _, verr) = run(Some("-v"), "verbose");
        assert_eq!(vcode, code);
        assert!(verr.contains("[timing]"), "{args:?} -v: {verr}");
    }
    let (code, _, err) = full(&["-q", "-v", "rules"], &[]);
    assert_eq!(code, 2, "--quiet with --verbose is a usage error: {err}");
}

#[test]
fn colour_follows_the_flag_then_no_color() {
    const ESC: char = '\u{1b}';
    // An error message on a pipe: plain unless asked for.
    let bad = ["validate", "/no/such/rules"];
    let coloured = |flags: &[&str], env: &[(&str, &str)]| {
        let mut all: Vec<&str> = flags.to_vec();
        all.extend(bad);
        let (code, _, err) = full(&all, env);
        assert_eq!(code, 2, "{flags:?} {env:?}: {err}");
        err.contains(ESC)
    };
    assert!(!coloured(&[], &[]), "auto on a pipe");
    assert!(coloured(&["--color", "always"], &[]));
    assert!(
        coloured(&["--color=always"], &[("NO_COLOR", "1")]),
        "the flag wins"
    );
    assert!(!coloured(&["--color", "never"], &[("CLICOLOR_FORCE", "1")]));
    assert!(
        !coloured(&[], &[("NO_COLOR", "1"), ("CLICOLOR_FORCE", "1")]),
        "NO_COLOR"
    );
    let (code, _, err) = full(&["--color", "sometimes", "rules"], &[]);
    assert_eq!(code, 2);
    assert!(err.contains("always") && err.contains("never"), "{err}");
}

/// Every command and subcommand, by its path (`verdicts import`).
fn all_commands(cmd: &clap::Command, path: &str, out: &mut Vec<(String, clap::Command)>) {
    for sub in cmd.get_subcommands() {
        if sub.get_name() == "help" {
            continue;
        }
        let p = format!("{path} {}", sub.get_name()).trim().to_owned();
        out.push((p.clone(), sub.clone()));
        all_commands(sub, &p, out);
    }
}

#[test]
fn every_commands_help_shows_an_example() {
    let mut cmds = Vec::new();
    all_commands(&policyqc::cli::command(), "", &mut cmds);
    assert!(cmds.len() >= 14, "{}", cmds.len());
    let missing: Vec<&str> = cmds
        .iter()
        .filter(|(path, _)| {
            let mut args: Vec<&str> = path.split(' ').collect();
            args.push("--help");
            let (code, help) = output(&args);
            code != 0 || !help.contains("Example")
        })
        .map(|(p, _)| p.as_str())
        .collect();
    assert!(missing.is_empty(), "no example in --help of: {missing:?}");
}

/// The README's tour: each section from "A tour" to "Guarantees" points at the `--help` of
/// its command(s), and each one named is a real command whose help shows an example.
#[test]
fn the_readme_tour_links_each_section_to_a_real_commands_help() {
    let readme = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/README.md"))
        .expect("README.md");
    let start = readme.find("## A tour").expect("a tour");
    let end = readme.find("## Guarantees").expect("guarantees");
    let tour = &readme[start..end];
    let sections: Vec<&str> = tour.split("\n### ").skip(1).collect();
    assert!(sections.len() >= 10, "{}", sections.len());
    let named = regex::Regex::new(r"`policyqc ([a-z ]+?) --help`").expect("regex");
    for section in tour.split("\n##").skip(1) {
        let title = section.lines().next().unwrap_or_default();
        let refs: Vec<String> = section
            .lines()
            .filter(|l| l.starts_with("Reference: "))
            .flat_map(|l| {
                named
                    .captures_iter(l)
                    .map(|c| c[1].to_owned())
                    .collect::<Vec<_>>()
            })
            .collect();
        assert!(
            !refs.is_empty(),
            "section `{title}` names no command's --help"
        );
        for r in refs {
            let mut args: Vec<&str> = r.split(' ').collect();
            args.push("--help");
            let (code, help) = output(&args);
            assert_eq!(code, 0, "`policyqc {r} --help` in `{title}`");
            assert!(help.contains("Example"), "{r}");
        }
    }
}
