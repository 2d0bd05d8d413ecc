//! A regression guard for issue 17's "no regression in findings": the findings of
//! `policyqc check fixtures/demo` stay exactly what they were, byte for byte, while the
//! reading, the evaluation and the writers are made faster.
//!
//! What the 76 findings should *be* is verified elsewhere, against the planted-error labels:
//! `fixtures::demo_findings_equal_expected_and_every_case_is_accounted_for` (this binary)
//! compares the (`case_id`, `rule_id`) pairs with `fixtures/demo/expected_findings.csv`, which
//! `tests/fixtures/demo_labels.rs` derives from `labels.csv`, never from the engine. This test adds what they do not look at: every
//! column of every row (operator, field, expected, actual, message, `rule_source`, `row`).
//! So it compares a SHA-256 of `findings.csv` (written with `--raw-csv`), its header first and
//! its data rows sorted bytewise (the order of the rows is not a guarantee), with the one
//! stored in `fixtures/demo/findings.sha256`. `benches/compare/run.sh` hashes the 1M-case
//! benchmark folder's findings the same way,
//! `{ head -n 1 F; tail -n +2 F | LC_ALL=C sort; } | sha256sum`, recorded in BENCHMARKS.md.
//!
//! A deliberate change to the findings (a message's wording, a new column, a rule file's
//! lines moving, which `rule_source` names) changes the hash: after checking the new
//! findings (the fixture tests above still pass; `git diff` of a findings.csv before and
//! after), refresh the stored hash with
//! `POLICYQC_REFRESH_FIXTURES=1 cargo nextest run --test cli findings_hash`.

use sha2::{Digest, Sha256};

use crate::util::{check, fixture};

/// The stored hash, relative to `fixtures/demo`.
const STORED: &str = "findings.sha256";

/// `fixtures/demo/README.md`: "76 findings on 75 cases".
const DEMO_FINDINGS: usize = 76;

/// The SHA-256 (lowercase hex) of a CSV text's header line followed by its other lines
/// sorted bytewise, each ending with `\n`: what
/// `{ head -n 1 F; tail -n +2 F | LC_ALL=C sort; } | sha256sum` prints for the file.
fn sorted_sha256(text: &str) -> String {
    let mut lines: Vec<&str> = text
        .strip_suffix('\n')
        .unwrap_or(text)
        .split('\n')
        .collect();
    lines[1..].sort_unstable();
    let mut hasher = Sha256::new();
    for line in &lines {
        hasher.update(line.as_bytes());
        hasher.update(b"\n");
    }
    format!("{:x}", hasher.finalize())
}

#[test]
fn demo_findings_hash_is_unchanged() {
    let run = check(&fixture("demo"), &["--raw-csv"]);
    // README: the demo stays inside the thresholds.
    run.assert_code(0);
    let text = std::fs::read_to_string(run.file("findings.csv")).expect("findings.csv");
    assert!(
        !text.contains('\r') && text.lines().count() == DEMO_FINDINGS + 1,
        "findings.csv: a header and {DEMO_FINDINGS} rows, one line each, `\\n` line ends"
    );
    let got = sorted_sha256(&text);
    let path = fixture("demo").join(STORED);
    if std::env::var_os("POLICYQC_REFRESH_FIXTURES").is_some() {
        let line = format!(
            "{got}  findings.csv of `policyqc check fixtures/demo --raw-csv`, header then rows \
             sorted (tests/cli/findings_hash.rs)\n"
        );
        std::fs::write(&path, line).expect("write fixtures/demo/findings.sha256");
        return;
    }
    let stored = std::fs::read_to_string(&path).expect("fixtures/demo/findings.sha256");
    let want = stored.split_whitespace().next().unwrap_or_default();
    assert_eq!(
        got, want,
        "the findings of fixtures/demo changed (sha256 of the sorted findings.csv {got}, \
         stored {want}); if that is intended, refresh the hash with \
         POLICYQC_REFRESH_FIXTURES=1 cargo nextest run --test cli findings_hash\n\
         findings.csv:\n{text}"
    );
}

#[test]
fn sorted_hash_is_the_shell_pipeline_s() {
    // `printf 'h\nb\na\n' | { head -n 1; sort; } | sha256sum` is the SHA-256 of "h\na\nb\n";
    // without the final line end, `sort` adds one.
    let want = format!("{:x}", Sha256::digest(b"h\na\nb\n"));
    assert_eq!(sorted_sha256("h\nb\na\n"), want);
    assert_eq!(sorted_sha256("h\nb\na"), want);
    assert_ne!(sorted_sha256("h\nb\nc\n"), want);
}
