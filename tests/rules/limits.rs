//! Resource limits: a hostile rule, settings or data file stops the run with exit 2 and an
//! error that names it, quickly and without exhausting memory (README "Guarantees").

use std::fmt::Write as _;
use std::time::{Duration, Instant};

use crate::support::{Scratch, rule};

/// A "billion laughs" rule file: nine strings, then nine levels of nine aliases to the level
/// below, 9^10 strings once expanded.
fn billion_laughs() -> String {
    let mut s = String::from(
        "a0: &a0 [\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\"]\n",
    );
    for i in 1..=9 {
        let p = i - 1;
        let _ = writeln!(
            s,
            "a{i}: &a{i} [*a{p},*a{p},*a{p},*a{p},*a{p},*a{p},*a{p},*a{p},*a{p}]"
        );
    }
    s
}

fn assert_refused(s: &Scratch, file: &str, within: Duration) -> String {
    let start = Instant::now();
    let run = s.check();
    let took = start.elapsed();
    let err = run.stderr();
    assert_eq!(run.code(), 2, "{file}: {err}");
    assert!(took < within, "{file}: refused after {took:?}");
    assert!(err.contains(file), "the error names {file}: {err}");
    assert!(!run.out.exists(), "no output folder");
    err
}

#[test]
fn a_billion_laughs_rule_file_is_refused_at_once() {
    let s = Scratch::new();
    s.cases("case_id,premium_charged\n L1,1.00")
        .write("rules/laughs.yaml", &billion_laughs());
    assert_refused(&s, "laughs.yaml", Duration::from_millis(900));
}

#[test]
fn nesting_too_deep_is_refused() {
    for (name, text) in [
        (
            "flow.yaml",
            format!("{}{}", "[".repeat(300), "]".repeat(300)),
        ),
        (
            "block.yaml",
            (0..100).fold(String::new(), |mut s, i| {
                let _ = writeln!(s, "{}k{i}:", "  ".repeat(i));
                s
            }),
        ),
    ] {
        let s = Scratch::new();
        s.cases("case_id,premium_charged\n L1,1.00")
            .write(&format!("rules/{name}"), &text);
        assert_refused(&s, name, Duration::from_secs(2));
    }
}

#[test]
fn config_files_over_four_megabytes_are_refused() {
    // 5 MiB of comment lines: valid YAML, but no real config is near 4 MiB.
    let big = "# padding padding padding padding padding padding padding padding\n".repeat(80_000);
    assert!(big.len() > 5 << 20);
    for file in [
        "rules/big.yaml",
        "data/settings.yaml",
        "data/columns.yaml",
        "data/calendar.yaml",
    ] {
        let s = Scratch::new();
        s.cases("case_id,premium_charged\n L1,1.00")
            .rules(&[rule("r.one", "kind: required\nfield: premium_charged")])
            .write(file, &big);
        let err = assert_refused(
            &s,
            file.rsplit('/').next().expect("name"),
            Duration::from_secs(5),
        );
        assert!(err.contains("4 MiB"), "{file}: {err}");
    }
}

#[test]
fn a_huge_field_or_a_file_with_no_newline_is_a_clear_error() {
    let field = "x".repeat(20 << 20);
    for (what, csv) in [
        (
            "a 20 MB field",
            format!("case_id,premium_charged\nL1,\"{field}\"\n"),
        ),
        ("no newline", format!("case_id{field}")),
    ] {
        let s = Scratch::new();
        s.rules(&[rule("r.one", "kind: required\nfield: premium_charged")])
            .write("data/cases.csv", &csv);
        let err = assert_refused(&s, "cases.csv", Duration::from_secs(20));
        assert!(err.contains("bytes long"), "{what}: {err}");
    }
}

#[test]
fn rhai_limits_stop_the_run_naming_the_rule_and_the_case() {
    for (id, body, says) in [
        (
            "expr.string",
            "let s = \\\"xxxxxxxxxx\\\"; loop { s += s; }",
            "string",
        ),
        ("expr.array", "let a = []; loop { a.push(1); }", "array"),
        ("expr.calls", "fn f(x) { f(x) } f(1)", "call"),
    ] {
        let s = Scratch::new();
        s.cases("case_id,premium_charged\n L1,1.00")
            .rules(&[rule(id, &format!("kind: expr\nexpr: \"{body}\""))]);
        let run = s.check();
        let err = run.stderr();
        assert_eq!(run.code(), 2, "{id}: {err}");
        assert!(err.contains(&format!("rule `{id}`")), "{id}: {err}");
        assert!(err.contains("L1"), "{id}: the case is named: {err}");
        assert!(err.to_lowercase().contains(says), "{id}: {err}");
    }
}

#[test]
fn eval_and_import_are_refused_when_the_rules_load() {
    for (id, body) in [
        ("expr.eval", "eval(\\\"1 == 1\\\")"),
        ("expr.import", "import \\\"os\\\" as os; true"),
    ] {
        let s = Scratch::new();
        s.cases("case_id,premium_charged\n L1,1.00")
            .rules(&[rule(id, &format!("kind: expr\nexpr: \"{body}\""))]);
        let run = s.check();
        let err = run.stderr();
        assert_eq!(run.code(), 2, "{id}: {err}");
        assert!(err.contains("entry.yaml"), "{id}: located: {err}");
    }
}
