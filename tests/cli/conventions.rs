//! Command-line conventions: shell completions and the manual page come from the same clap
//! definition as the parser, so they list every command there is.

use assert_cmd::Command;
use clap::CommandFactory;

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
    policyqc::cli::args::Cli::command()
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
