//! Every validation error of a rule directory: `policyqc validate` exits 2 and locates each
//! problem as miette prints it, `[rules/file.yaml:line:col]` above the offending source line,
//! with the help line where there is a likely fix.

use crate::support::{Run, Scratch, assert_located, position, rule, rule_file};

/// A valid compare rule; tests break one thing in it.
const COMPARE: &str = "kind: compare\nfield: premium_charged\nop: \"==\"\nto: premium_expected";

/// Writes `text` as rules/entry.yaml, validates, and asserts exit code 2.
fn invalid(text: &str) -> Run {
    let s = Scratch::new();
    s.write("rules/entry.yaml", text);
    let run = s.validate();
    assert_eq!(
        run.code(),
        2,
        "validate should fail on:\n{text}\nstdout:\n{}\nstderr:\n{}",
        run.stdout(),
        run.stderr()
    );
    run
}

/// Asserts `needle` in stderr.
#[track_caller]
fn says(run: &Run, needle: &str) {
    let err = run.stderr();
    assert!(err.contains(needle), "`{needle}` not in the output:\n{err}");
}

/// Asserts the error is at the first occurrence of `at` in `text` (in rules/entry.yaml).
#[track_caller]
fn at(run: &Run, text: &str, at: &str) {
    let (line, col) = position(text, at);
    assert_located(&run.stderr(), "rules/entry.yaml", text, line, col);
}

/// The number of diagnostics printed with a source snippet.
fn snippets(run: &Run) -> usize {
    run.stderr().matches("╭─[").count()
}

#[test]
fn valid_rules_validate() {
    let s = Scratch::new();
    s.rules(&[rule("v.ok", COMPARE)]);
    let run = s.validate();
    assert_eq!(run.code(), 0, "{}", run.stderr());
    assert!(run.stdout().contains("1 rules valid"), "{}", run.stdout());
}

#[test]
fn yaml_syntax_error() {
    let text = rule_file(&[rule("v.syntax", COMPARE)])
        .replace("severity: major", "severity: major: minor");
    let run = invalid(&text);
    says(&run, "mapping values are not allowed");
    at(&run, &text, ": minor");
    says(&run, "1 problem(s) found; nothing was run");
}

#[test]
fn unknown_key_suggests_the_nearest_key() {
    let text = rule_file(&[rule("v.key", &COMPARE.replace("field:", "feild:"))]);
    let run = invalid(&text);
    says(&run, "unknown key `feild` in rule `v.key`");
    says(&run, "did you mean `field`?");
    at(&run, &text, "feild");
    // Without `field`, the rule also lacks its required parameter: both are reported.
    says(&run, "missing `field`");
}

#[test]
fn unknown_kind_suggests_the_nearest_kind() {
    let text = rule_file(&[rule(
        "v.kind",
        &COMPARE.replace("kind: compare", "kind: compre"),
    )]);
    let run = invalid(&text);
    says(&run, "unknown rule kind `compre`");
    says(&run, "did you mean `compare`?");
    at(&run, &text, "compre");
    // The kind's parameters are not reported as unknown keys.
    assert!(!run.stderr().contains("unknown key"), "{}", run.stderr());
    assert_eq!(snippets(&run), 1, "{}", run.stderr());
}

#[test]
fn missing_required_parameter() {
    let text = rule_file(&[rule("v.noop", &COMPARE.replace("op: \"==\"\n", ""))]);
    let run = invalid(&text);
    says(&run, "missing `op`");
    says(&run, "this mapping needs `op`");
    // Located at the rule mapping (its first key).
    at(&run, &text, "id: v.noop");
}

#[test]
fn ill_typed_parameter() {
    let text = rule_file(&[rule(
        "v.values",
        "kind: allowed\nfield: referral_dept\nvalues: 5",
    )]);
    let run = invalid(&text);
    says(&run, "`values` must be a list, found an integer");
    let (line, col) = position(&text, "values: 5");
    assert_located(
        &run.stderr(),
        "rules/entry.yaml",
        &text,
        line,
        col + "values: ".len(),
    );
}

#[test]
fn ill_typed_constant() {
    let text = rule_file(&[rule("v.min", "kind: range\nfield: amount\nmin: 1.005")]);
    let run = invalid(&text);
    says(&run, "expected a money value, found `1.005`");
    at(&run, &text, "1.005");
}

#[test]
fn field_not_in_the_schema_suggests_the_nearest_field() {
    let text = rule_file(&[rule(
        "v.field",
        "kind: pattern\nfield: polcy_no\nregex: \"^P\"",
    )]);
    let run = invalid(&text);
    says(&run, "unknown field `polcy_no`");
    says(&run, "did you mean `policy_no`?");
    at(&run, &text, "polcy_no");
}

#[test]
fn duplicate_ids_in_one_file_label_both_places() {
    let text = rule_file(&[rule("v.dup", COMPARE), rule("v.dup", COMPARE)]);
    let run = invalid(&text);
    says(&run, "duplicate rule id `v.dup`");
    says(&run, "defined again here");
    says(&run, "first defined here");
    says(&run, "first defined at rules/entry.yaml:3");
    let second = text.rfind("id: v.dup").expect("second id");
    let (line, col) = position(&text[second..], "v.dup");
    let line = line + text[..second].matches('\n').count();
    let col = col + 4;
    // One problem, shown at both places: miette prints a snippet for each label.
    assert_located(&run.stderr(), "rules/entry.yaml", &text, line, col);
    assert_located(&run.stderr(), "rules/entry.yaml", &text, 3, 9);
    assert_eq!(snippets(&run), 2, "{}", run.stderr());
    says(&run, "1 problem(s) found");
}

#[test]
fn duplicate_ids_across_files_name_the_first_file_and_line() {
    let s = Scratch::new();
    let a = rule_file(&[rule("v.other", COMPARE), rule("v.dup", COMPARE)]);
    let b = rule_file(&[rule("v.dup", COMPARE)]);
    s.write("rules/a.yaml", &a).write("rules/b.yaml", &b);
    let run = s.validate();
    assert_eq!(run.code(), 2, "{}", run.stderr());
    let err = run.stderr();
    assert!(err.contains("duplicate rule id `v.dup`"), "{err}");
    let (first_line, _) = position(&a, "id: v.dup");
    assert!(
        err.contains(&format!("first defined at rules/a.yaml:{first_line}")),
        "{err}"
    );
    let (line, col) = position(&b, "v.dup");
    assert_located(&err, "rules/b.yaml", &b, line, col);
    assert_eq!(snippets(&run), 1, "{err}");
}

#[test]
fn invalid_regex() {
    let text = rule_file(&[rule(
        "v.regex",
        "kind: pattern\nfield: policy_no\nregex: \"^P[0-9{9}$\"",
    )]);
    let run = invalid(&text);
    says(&run, "invalid regex");
    at(&run, &text, "\"^P[0-9{9}$\"");
}

#[test]
fn rhai_syntax_error_in_expr() {
    let text = rule_file(&[rule("v.rhai", "kind: expr\nexpr: \"premium_charged >= \"")]);
    let run = invalid(&text);
    says(&run, "rhai error in `expr`");
    at(&run, &text, "\"premium_charged >= \"");
}

#[test]
fn rhai_unknown_variable_in_expr() {
    let text = rule_file(&[rule("v.var", "kind: expr\nexpr: \"premium_chargd >= 0\"")]);
    let run = invalid(&text);
    says(&run, "rhai error in `expr`");
    says(&run, "premium_chargd");
    at(&run, &text, "\"premium_chargd >= 0\"");
}

#[test]
fn error_point_out_of_range() {
    for bad in ["0", "15"] {
        let text = rule_file(&[rule("v.ep", COMPARE)])
            .replace("error_point: 5", &format!("error_point: {bad}"));
        let run = invalid(&text);
        says(&run, &format!("error point `{bad}` is not one of 1-14"));
        at(&run, &text, &format!("{bad}\n"));
    }
}

#[test]
fn unknown_severity_suggests_the_nearest() {
    let text = rule_file(&[rule("v.sev", COMPARE)]).replace("severity: major", "severity: majr");
    let run = invalid(&text);
    says(&run, "unknown severity `majr`");
    says(&run, "did you mean `major`?");
    at(&run, &text, "majr");
}

#[test]
fn unknown_checkpoint_in_file_and_in_rule() {
    let text = rule_file(&[rule("v.cp", &format!("checkpoint: reveiw\n{COMPARE}"))])
        .replace("checkpoint: entry", "checkpoint: entyr");
    let run = invalid(&text);
    says(&run, "unknown checkpoint `entyr`");
    says(&run, "did you mean `entry`?");
    says(&run, "unknown checkpoint `reveiw`");
    says(&run, "did you mean `review`?");
    at(&run, &text, "entyr");
    at(&run, &text, "reveiw");
    assert_eq!(snippets(&run), 2, "{}", run.stderr());
}

#[test]
fn unknown_message_placeholder() {
    let text = rule_file(&[rule("v.msg", COMPARE)]).replace("{actual} / {expected}", "{actul}");
    let run = invalid(&text);
    says(&run, "unknown placeholder `{actul}` in the message");
    says(&run, "did you mean `{actual}`?");
    at(&run, &text, "\"{actul}\"");
}

#[test]
fn compare_type_mismatch_labels_both_fields() {
    let text = rule_file(&[rule(
        "v.types",
        "kind: compare\nfield: application_date\nop: \"<=\"\nto: amount",
    )]);
    let run = invalid(&text);
    says(
        &run,
        "cannot compare `application_date` (date) with `amount` (money)",
    );
    at(&run, &text, "amount\n");
    let field_line = text
        .lines()
        .find(|l| l.contains("field: application_date"))
        .expect("field line");
    assert!(run.stderr().contains(field_line), "{}", run.stderr());
}

#[test]
fn every_error_of_every_file_is_reported_in_one_run() {
    let s = Scratch::new();
    // a.yaml: unknown key, unknown severity, unknown field.
    let a = rule_file(&[
        rule("m.one", &COMPARE.replace("field:", "feild:")),
        rule("m.two", COMPARE).replace("severity: major", "severity: majr"),
        rule("m.three", "kind: required\nfield: polcy_no"),
    ]);
    // b.yaml: error point 15, bad regex, unknown kind.
    let b = rule_file(&[
        rule("m.four", COMPARE).replace("error_point: 5", "error_point: 15"),
        rule("m.five", "kind: pattern\nfield: policy_no\nregex: \"(\""),
        rule("m.six", "kind: requird\nfield: policy_no"),
    ]);
    // c.yaml: a YAML syntax error.
    let c = "checkpoint: entry\nrules:\n  - id: m.seven\n    title: \"unclosed\n";
    s.write("rules/a.yaml", &a)
        .write("rules/b.yaml", &b)
        .write("rules/c.yaml", c);
    let run = s.validate();
    assert_eq!(run.code(), 2);
    let err = run.stderr();
    // a.yaml's unknown key also leaves its rule without `field`: 4 problems there.
    for (file, text, needle) in [
        ("rules/a.yaml", a.as_str(), "feild"),
        ("rules/a.yaml", a.as_str(), "majr"),
        ("rules/a.yaml", a.as_str(), "polcy_no"),
        ("rules/b.yaml", b.as_str(), "15\n"),
        ("rules/b.yaml", b.as_str(), "\"(\""),
        ("rules/b.yaml", b.as_str(), "requird"),
        ("rules/c.yaml", c, "\"unclosed"),
    ] {
        let (line, col) = position(text, needle);
        assert_located(&err, file, text, line, col);
    }
    assert!(err.contains("missing `field`"), "{err}");
    assert_eq!(snippets(&run), 8, "{err}");
    assert!(err.contains("8 problem(s) found; nothing was run"), "{err}");
}

#[test]
fn check_with_an_invalid_rule_dir_exits_2_and_writes_nothing() {
    let s = Scratch::new();
    s.cases("case_id,premium_charged,premium_expected\nC1,1.00,1.00")
        .write(
            "rules/entry.yaml",
            &rule_file(&[rule("v.bad", &COMPARE.replace("field:", "feild:"))]),
        );
    let run = s.check();
    assert_eq!(run.code(), 2, "{}", run.stderr());
    assert!(
        run.stderr().contains("unknown key `feild`"),
        "{}",
        run.stderr()
    );
    assert!(!run.out.join("findings.csv").exists());
    assert!(!run.out.exists(), "no output folder is created");
}
