//! `fixtures/demo` is a generated month: exactly what its documented command writes, with
//! expected findings derived from its labels (not from the engine).

use std::collections::BTreeSet;

use crate::util::{Table, fixture};
use crate::{generate, uncaught};

/// The command of fixtures/demo/README.md (without `--out`).
const DEMO_ARGS: [&str; 8] = [
    "--cases",
    "2000",
    "--seed",
    "20261001",
    "--start",
    "2026-10-01",
    "--days",
    "31",
];

#[test]
fn fixtures_demo_is_what_its_command_writes() {
    let g = generate(&DEMO_ARGS);
    for f in [
        "cases.csv",
        "tasks.csv",
        "operators.csv",
        "authority.csv",
        "calendar.yaml",
        "settings.yaml",
        "labels.csv",
        "operator_profiles.csv",
    ] {
        let mut want = std::fs::read(fixture("demo").join(f))
            .unwrap_or_else(|e| panic!("fixtures/demo/{f}: {e}"));
        // The fixture's YAML files start with the editors' schema line, pointing into the
        // repository's schemas/; a generated folder has no schemas/ beside it, so `generate`
        // writes none (README "Editor support").
        if std::path::Path::new(f)
            .extension()
            .is_some_and(|e| e == "yaml")
        {
            let line = format!(
                "# yaml-language-server: $schema=../../schemas/{}\n",
                f.replace(".yaml", ".schema.json")
            );
            assert!(
                want.starts_with(line.as_bytes()),
                "fixtures/demo/{f} starts with {line}"
            );
            want.drain(..line.len());
        }
        let got = std::fs::read(g.dir.join(f)).expect("generated");
        assert!(
            want == got,
            "fixtures/demo/{f} is not what `policyqc generate {}` writes",
            DEMO_ARGS.join(" ")
        );
    }
}

#[test]
fn demo_expected_findings_are_its_labels_not_caught() {
    let t = Table::read(&fixture("demo").join("expected_findings.csv"));
    assert_eq!(t.header, ["case_id", "rule_id"]);
    let mut sorted = t.rows.clone();
    sorted.sort();
    sorted.dedup();
    assert_eq!(sorted, t.rows, "sorted, no duplicates");
    let pairs: BTreeSet<(String, String)> = t
        .rows
        .iter()
        .map(|r| (r[0].clone(), r[1].clone()))
        .collect();
    assert_eq!(pairs, uncaught(&fixture("demo"), "rule_id"));
    // About 2,000 cases with errors at realistic low rates (README).
    assert!((40..=120).contains(&pairs.len()), "{}", pairs.len());
}
