//! The JSON Schemas of the YAML files (`policyqc schema NAME`, committed in `schemas/`) and the
//! loaders must agree: every rule, thresholds, settings, columns and calendar file of the repo
//! validates against its schema and is accepted by its loader; a set of bad files (a misspelt
//! key, a bad enum value, a wrong type, a missing alternative) is rejected by both.
//!
//! The committed copies are the command's current output; refresh them with
//! `POLICYQC_REFRESH_SCHEMAS=1 cargo nextest run --test rules -E 'test(schema)'`
//! (rewrites `schemas/*.schema.json`, then passes).

use std::path::{Path, PathBuf};

use serde_json::Value;

use crate::support::{policyqc, rule, rule_file};

/// Every schema name, as `policyqc schema` takes it and `schemas/<name>.schema.json` names it.
const NAMES: [&str; 5] = ["rules", "thresholds", "settings", "columns", "calendar"];

fn repo() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// `policyqc schema NAME`'s standard output.
fn printed(name: &str) -> String {
    let out = policyqc().args(["schema", name]).output().expect("run");
    assert!(out.status.success(), "policyqc schema {name}");
    String::from_utf8(out.stdout).expect("UTF-8")
}

fn validator(name: &str) -> jsonschema::Validator {
    let text = std::fs::read_to_string(repo().join("schemas").join(format!("{name}.schema.json")))
        .unwrap_or_else(|e| panic!("schemas/{name}.schema.json: {e}"));
    let schema: Value = serde_json::from_str(&text).expect("a schema is JSON");
    jsonschema::validator_for(&schema).unwrap_or_else(|e| panic!("{name}: {e}"))
}

/// A YAML text as the JSON value the schema is checked against (what an editor does).
fn yaml_to_json(text: &str) -> Value {
    serde_saphyr::from_str::<Value>(text).unwrap_or_else(|e| panic!("{e}\n{text}"))
}

/// The schema's errors for a YAML text (empty when it validates).
fn schema_errors(name: &str, text: &str) -> Vec<String> {
    let v = validator(name);
    let instance = yaml_to_json(text);
    v.iter_errors(&instance)
        .map(|e| format!("{} at {}", e, e.instance_path()))
        .collect()
}

#[test]
fn schema_committed_copies_are_current() {
    let dir = repo().join("schemas");
    let refresh = std::env::var_os("POLICYQC_REFRESH_SCHEMAS").is_some();
    let mut stale = Vec::new();
    for name in NAMES {
        let text = printed(name);
        // Deterministic: the same bytes on a second run.
        assert_eq!(
            text,
            printed(name),
            "policyqc schema {name} differs between runs"
        );
        let path = dir.join(format!("{name}.schema.json"));
        if std::fs::read_to_string(&path).ok().as_deref() != Some(text.as_str()) {
            if refresh {
                std::fs::create_dir_all(&dir).expect("mkdir schemas");
                std::fs::write(&path, &text).expect("write schema");
            } else {
                stale.push(name);
            }
        }
    }
    assert!(
        stale.is_empty(),
        "schemas/ is stale for {stale:?}; refresh it with \
         `POLICYQC_REFRESH_SCHEMAS=1 cargo nextest run --test rules -E 'test(schema)'`"
    );
    let mut files: Vec<String> = std::fs::read_dir(&dir)
        .expect("schemas/")
        .map(|e| e.expect("entry").file_name().to_string_lossy().into_owned())
        .collect();
    files.sort();
    let mut want: Vec<String> = NAMES.iter().map(|n| format!("{n}.schema.json")).collect();
    want.sort();
    assert_eq!(files, want, "schemas/ holds exactly one file per schema");
}

#[test]
fn schema_with_a_bad_name_exits_2_listing_the_names() {
    let out = policyqc().args(["schema", "rule"]).output().expect("run");
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    for name in NAMES {
        assert!(err.contains(name), "{err}");
    }
    assert!(out.stdout.is_empty());
}

#[test]
fn schema_documents_keys_and_lists_enums() {
    // Spot checks an editor relies on: descriptions from the doc comments, enum values.
    let rules: Value = serde_json::from_str(&printed("rules")).expect("JSON");
    let defs = &rules["definitions"];
    assert_eq!(
        defs["Severity"]["enum"],
        serde_json::json!(["critical", "major", "minor"])
    );
    assert_eq!(
        defs["Checkpoint"]["enum"],
        serde_json::json!([
            "intake",
            "review",
            "entry",
            "double_check",
            "binding",
            "printing"
        ])
    );
    let kinds = defs["Rule"]["properties"]["kind"]["enum"]
        .as_array()
        .expect("kinds");
    assert_eq!(kinds.len(), 11, "{kinds:?}");
    // The doc comments of the keys are their descriptions.
    let says = |key: &Value, words: &str| {
        assert!(
            key["description"]
                .as_str()
                .is_some_and(|d| d.contains(words)),
            "{key}"
        );
    };
    says(&rules["properties"]["checkpoint"], "every rule of the file");
    let calendar: Value = serde_json::from_str(&printed("calendar")).expect("JSON");
    assert_eq!(calendar["additionalProperties"], Value::Bool(false));
    says(&calendar["properties"]["holidays"], "not worked");
}

/// Every YAML file of the repository that has a schema: (path from the repo root, schema).
fn repo_files() -> Vec<(String, &'static str)> {
    let mut out = Vec::new();
    for dir in ["rules", "fixtures/cycle/rules"] {
        for entry in std::fs::read_dir(repo().join(dir)).expect("rule dir") {
            let name = entry
                .expect("entry")
                .file_name()
                .to_string_lossy()
                .into_owned();
            if Path::new(&name).extension().is_some_and(|e| e == "yaml") {
                let schema = if name == "thresholds.yaml" {
                    "thresholds"
                } else {
                    "rules"
                };
                out.push((format!("{dir}/{name}"), schema));
            }
        }
    }
    for entry in std::fs::read_dir(repo().join("fixtures")).expect("fixtures") {
        let dir = entry.expect("entry").path();
        for (file, schema) in [
            ("settings.yaml", "settings"),
            ("columns.yaml", "columns"),
            ("calendar.yaml", "calendar"),
        ] {
            if dir.join(file).is_file() {
                let fixture = dir.file_name().unwrap().to_string_lossy().into_owned();
                out.push((format!("fixtures/{fixture}/{file}"), schema));
            }
        }
    }
    out.sort();
    out
}

/// The first line a file with a schema starts with: its schema, relative to the file.
fn modeline(path: &str, schema: &str) -> String {
    let depth = Path::new(path).components().count() - 1;
    format!(
        "# yaml-language-server: $schema={}schemas/{schema}.schema.json",
        "../".repeat(depth)
    )
}

#[test]
fn schema_accepts_every_file_of_the_repo_each_starting_with_its_schema_line() {
    let files = repo_files();
    // 7 rule files + thresholds in rules/, 1 in fixtures/cycle/rules, 4 settings, 1 columns,
    // 4 calendars.
    assert_eq!(files.len(), 18, "{files:?}");
    for (path, schema) in &files {
        let text = std::fs::read_to_string(repo().join(path)).expect("read");
        let first = text.lines().next().unwrap_or_default();
        let want = modeline(path, schema);
        assert_eq!(first, want, "{path}'s first line");
        // The line points at a file that exists.
        let target = want.split_once("$schema=").unwrap().1;
        let dir = repo().join(path);
        assert!(
            dir.parent().unwrap().join(target).is_file(),
            "{path}: {target}"
        );
        let errors = schema_errors(schema, &text);
        assert!(errors.is_empty(), "{path} against {schema}: {errors:#?}");
    }
}

#[test]
fn schema_and_loader_both_accept_every_file_of_the_repo() {
    // The loaders: `validate` reads rule directories (rule files and thresholds.yaml),
    // `--settings` and `--columns`; `generate --calendar` reads a calendar.
    let cycle_columns = repo().join("fixtures/cycle/columns.yaml");
    let mut runs: Vec<Vec<String>> = vec![
        vec![
            "validate".into(),
            repo().join("rules").display().to_string(),
        ],
        vec![
            "validate".into(),
            repo().join("fixtures/cycle/rules").display().to_string(),
            "--columns".into(),
            cycle_columns.display().to_string(),
        ],
    ];
    let tmp = tempfile::tempdir().expect("tmp");
    for (i, (path, schema)) in repo_files().iter().enumerate() {
        let full = repo().join(path).display().to_string();
        match *schema {
            "settings" => runs.push(vec!["validate".into(), "--settings".into(), full]),
            "columns" => runs.push(vec!["validate".into(), "--columns".into(), full]),
            "calendar" => runs.push(read_calendar(
                Path::new(&full),
                &tmp.path().join(format!("g{i}")),
            )),
            _ => {}
        }
    }
    assert_eq!(runs.len(), 2 + 4 + 1 + 4);
    for args in &runs {
        let out = policyqc().args(args).output().expect("run");
        assert_eq!(
            out.status.code(),
            Some(0),
            "policyqc {}: {}",
            args.join(" "),
            String::from_utf8_lossy(&out.stderr)
        );
    }
}

/// The arguments of a run that reads the calendar file `cal` (into `out`, written only when
/// the calendar is good): `generate --calendar`, ten cases.
fn read_calendar(cal: &Path, out: &Path) -> Vec<String> {
    let (cal, out) = (cal.display().to_string(), out.display().to_string());
    [
        "generate",
        "--cases",
        "10",
        "--start",
        "2026-10-01",
        "--calendar",
        &cal,
        "--out",
        &out,
    ]
    .map(String::from)
    .to_vec()
}

/// A bad file: which schema, its text, and what the loader's error must contain (a located
/// `[file:line:col]` and the offending word).
struct Bad {
    schema: &'static str,
    what: &'static str,
    text: String,
    loader_says: &'static str,
    at: &'static str,
}

/// The rule file with one rule whose common keys are `common` and body `body`.
fn one_rule(common: &str, body: &str) -> String {
    format!(
        "checkpoint: entry\nrules:\n  - id: entry.x\n    title: t\n{common}    responsible: \
         entry_operator\n    message: m\n{}",
        body.lines().fold(String::new(), |mut out, l| {
            out.push_str("    ");
            out.push_str(l);
            out.push('\n');
            out
        })
    )
}

const EP_SEV: &str = "    error_point: 5\n    severity: major\n";

#[allow(clippy::too_many_lines)]
fn bad_files() -> Vec<Bad> {
    let required = "kind: required\nfield: policy_no";
    vec![
        // Rule files. `one_rule`: the rule's keys start on line 3 (`- id:`), the common keys
        // passed in from line 5, then responsible (after them), message, the body.
        Bad {
            schema: "rules",
            what: "misspelt key severty",
            text: one_rule("    error_point: 5\n    severty: major\n", required),
            loader_says: "unknown key `severty`",
            at: "x.yaml:6:5",
        },
        Bad {
            schema: "rules",
            what: "severity: huge",
            text: one_rule("    error_point: 5\n    severity: huge\n", required),
            loader_says: "unknown severity `huge`",
            at: "x.yaml:6:15",
        },
        Bad {
            schema: "rules",
            what: "error_point a string",
            text: one_rule("    error_point: five\n    severity: major\n", required),
            loader_says: "error point `five` is not one of 1-14",
            at: "x.yaml:5:18",
        },
        Bad {
            schema: "rules",
            what: "error_point 15",
            text: one_rule("    error_point: 15\n    severity: major\n", required),
            loader_says: "error point `15` is not one of 1-14",
            at: "x.yaml:5:18",
        },
        Bad {
            schema: "rules",
            what: "unknown kind",
            text: one_rule(EP_SEV, "kind: requried\nfield: policy_no"),
            loader_says: "unknown rule kind `requried`",
            at: "x.yaml:9:11",
        },
        Bad {
            schema: "rules",
            what: "a key of another kind",
            text: one_rule(EP_SEV, "kind: required\nfield: policy_no\nregex: x"),
            loader_says: "unknown key `regex`",
            at: "x.yaml:11:5",
        },
        Bad {
            schema: "rules",
            what: "required with field and fields",
            text: one_rule(
                EP_SEV,
                "kind: required\nfield: policy_no\nfields: [policy_no]",
            ),
            loader_says: "give `field` or `fields`, not both",
            at: "x.yaml:10:12",
        },
        Bad {
            schema: "rules",
            what: "range without min or max",
            text: one_rule(EP_SEV, "kind: range\nfield: amount"),
            loader_says: "needs `min`, `max` or both",
            at: "x.yaml:3:5",
        },
        Bad {
            schema: "rules",
            what: "title written ~",
            text:
                "checkpoint: entry\nrules:\n  - id: entry.x\n    title: ~\n    error_point: 5\n    \
                   severity: major\n    responsible: entry_operator\n    message: m\n    kind: \
                   required\n    field: policy_no\n"
                    .into(),
            loader_says: "`title` must be a string or a map of languages, found nothing",
            at: "x.yaml:4:12",
        },
        Bad {
            schema: "rules",
            what: "unknown checkpoint",
            text: one_rule(EP_SEV, required).replace("checkpoint: entry", "checkpoint: entri"),
            loader_says: "unknown checkpoint `entri`",
            at: "x.yaml:1:13",
        },
        Bad {
            schema: "rules",
            what: "unknown top-level key",
            text: format!("{}extra: 1\n", one_rule(EP_SEV, required)),
            loader_says: "unknown key `extra`",
            at: "x.yaml:11:1",
        },
        Bad {
            schema: "rules",
            what: "a field named by a setting (no setting is a field)",
            text: one_rule(
                EP_SEV,
                "kind: required\nfield: { setting: policy_no_format }",
            ),
            loader_says: "unknown field `.*`",
            at: "x.yaml:10:12",
        },
        Bad {
            schema: "rules",
            what: "a calendar-time setting as a cycle_time limit",
            text: one_rule(
                EP_SEV,
                "kind: cycle_time\nfrom: registered_at\nto: entered_at\n\
                 max: { setting: time_limits.application_age }",
            ),
            loader_says: "a `cycle_time` limit is working time, `30 days` is not",
            at: "x.yaml:12:10",
        },
        Bad {
            schema: "rules",
            what: "decimal calendar days",
            text: one_rule(
                EP_SEV,
                "kind: duration\nfrom: registered_at\nto: entered_at\nmax: 1.5 days",
            ),
            loader_says: "days are whole calendar days",
            at: "x.yaml:12:10",
        },
        Bad {
            schema: "rules",
            what: "a regex setting as a list of values",
            text: one_rule(
                EP_SEV,
                "kind: allowed\nfield: change_type\nvalues: { setting: policy_no_format }",
            ),
            loader_says: "`values` must be a list, found a string",
            at: "x.yaml:11:13",
        },
        // thresholds.yaml
        Bad {
            schema: "thresholds",
            what: "unknown metric",
            text: "thresholds:\n  - metric: case_rate\n    max: 0.1\n".into(),
            loader_says: "unknown metric `case_rate`",
            at: "thresholds.yaml:2:13",
        },
        Bad {
            schema: "thresholds",
            what: "max above 1",
            text: "thresholds:\n  - metric: case_defect_rate\n    max: 2\n".into(),
            loader_says: "`max` must be a rate between 0 and 1",
            at: "thresholds.yaml:3:10",
        },
        Bad {
            schema: "thresholds",
            what: "misspelt key",
            text: "thresholds:\n  - metric: case_defect_rate\n    max: 0.1\n    min_case: 5\n"
                .into(),
            loader_says: "unknown key `min_case`",
            at: "thresholds.yaml:4:5",
        },
        // settings.yaml
        Bad {
            schema: "settings",
            what: "misspelt setting",
            text: "policy_no_fromat: \"^P\"\n".into(),
            loader_says: "unknown setting `policy_no_fromat`",
            at: "settings.yaml:1:1",
        },
        Bad {
            schema: "settings",
            what: "a count of 0",
            text: "weekly:\n  top_causes: 0\n".into(),
            loader_says: "`weekly.top_causes` must be a whole number, 1 or more",
            at: "settings.yaml:2:15",
        },
        Bad {
            schema: "settings",
            what: "a group written as a value",
            text: "time_limits: 5 days\n".into(),
            loader_says: "`time_limits` is a group of settings",
            at: "settings.yaml:1:14",
        },
        Bad {
            schema: "settings",
            what: "calendar time as a working-time limit",
            text: "time_limits:\n  review: 5 days\n".into(),
            loader_says: "`5 days` is not working time",
            at: "settings.yaml:2:11",
        },
        Bad {
            schema: "settings",
            what: "unknown member of a group",
            text: "time_limits:\n  reviw: 5 working days\n".into(),
            loader_says: "unknown setting `time_limits.reviw`",
            at: "settings.yaml:2:3",
        },
        // columns.yaml
        Bad {
            schema: "columns",
            what: "unknown format",
            text: "formats:\n  dat: \"%d/%m/%Y\"\n".into(),
            loader_says: "unknown format `dat`",
            at: "columns.yaml:2:3",
        },
        Bad {
            schema: "columns",
            what: "misspelt column key",
            text: "cases:\n  policy_no: { colum: POLNO }\n".into(),
            // The loader reports the missing `column` (at the mapping), not the misspelling.
            loader_says: "`policy_no` needs `column:`",
            at: "columns.yaml:2:14",
        },
        Bad {
            schema: "columns",
            what: "unknown type",
            text: "cases:\n  branch: { column: BR, type: txt }\n".into(),
            loader_says: "unknown type `txt`",
            at: "columns.yaml:2:31",
        },
        Bad {
            schema: "columns",
            what: "unknown section",
            text: "case:\n  policy_no: POLNO\n".into(),
            loader_says: "unknown section `case`",
            at: "columns.yaml:1:1",
        },
        // calendar.yaml
        Bad {
            schema: "calendar",
            what: "misspelt key",
            text: "working_day: [mon]\n".into(),
            loader_says: "line 1 column 1: unknown field `working_day`",
            at: "cal.yaml",
        },
        Bad {
            schema: "calendar",
            what: "unknown weekday",
            text: "working_days: [mon, funday]\n".into(),
            loader_says: "unknown weekday \"funday\" in working_days",
            at: "cal.yaml",
        },
        Bad {
            schema: "calendar",
            what: "holidays not a list",
            text: "holidays: 2026-01-01\n".into(),
            loader_says: "line 1 column 11: expected sequence start",
            at: "cal.yaml",
        },
        Bad {
            schema: "calendar",
            what: "a bad time",
            text: "working_hours: [[\"09:00\", \"25:00\"]]\n".into(),
            loader_says: "invalid time \"25:00\" in working_hours",
            at: "cal.yaml",
        },
    ]
}

/// Runs the loader of `schema` on `text`; returns (exit code, stderr).
fn load(schema: &str, text: &str) -> (Option<i32>, String) {
    let tmp = tempfile::tempdir().expect("tmp");
    let dir = tmp.path();
    let mut cmd = policyqc();
    match schema {
        "rules" => {
            std::fs::create_dir(dir.join("r")).unwrap();
            std::fs::write(dir.join("r/x.yaml"), text).unwrap();
            cmd.arg("validate").arg(dir.join("r"));
        }
        "thresholds" => {
            std::fs::create_dir(dir.join("r")).unwrap();
            let good = rule_file(&[rule("entry.ok", "kind: required\nfield: policy_no")]);
            std::fs::write(dir.join("r/entry.yaml"), good).unwrap();
            std::fs::write(dir.join("r/thresholds.yaml"), text).unwrap();
            cmd.arg("validate").arg(dir.join("r"));
        }
        "settings" | "columns" => {
            let file = dir.join(format!("{schema}.yaml"));
            std::fs::write(&file, text).unwrap();
            cmd.arg("validate").arg(format!("--{schema}")).arg(file);
        }
        "calendar" => {
            std::fs::write(dir.join("cal.yaml"), text).unwrap();
            cmd.args(read_calendar(&dir.join("cal.yaml"), &dir.join("out")));
        }
        other => panic!("{other}"),
    }
    let out = cmd.output().expect("run");
    (
        out.status.code(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

#[test]
fn schema_and_loader_both_reject_each_bad_file() {
    let bads = bad_files();
    assert_eq!(bads.len(), 31);
    for bad in &bads {
        let errors = schema_errors(bad.schema, &bad.text);
        assert!(
            !errors.is_empty(),
            "the {} schema accepts a file with {}:\n{}",
            bad.schema,
            bad.what,
            bad.text
        );
        let (code, err) = load(bad.schema, &bad.text);
        assert_eq!(code, Some(2), "{}: {err}", bad.what);
        // miette wraps long lines (continued after a `│`): compare without blanks and bars.
        let squashed: String = err.split_whitespace().filter(|w| *w != "│").collect();
        let at: String = bad.at.split_whitespace().collect();
        let says: String = bad.loader_says.split_whitespace().collect();
        assert!(
            squashed.contains(&says) && squashed.contains(&at),
            "{}: want `{}` at {} in\n{err}",
            bad.what,
            bad.loader_says,
            bad.at
        );
    }
}

#[test]
fn schema_accepts_what_the_loader_accepts_in_small_files() {
    // The other side of the agreement on edge cases: forms the loaders accept must validate.
    let good = [
        ("thresholds", String::new()),
        ("settings", String::new()),
        (
            "settings",
            "policy_no_format: ~\ntime_limits.review: 5 working days\n".into(),
        ),
        (
            "settings",
            "referral:\n  underwriting: [sum_increase]\nweekly.top_causes: 3\n".into(),
        ),
        (
            "columns",
            "cases:\n  policy_no: POLNO\n  branch: { column: BR, type: text }\n".into(),
        ),
        (
            "columns",
            "formats:\n  true: [ja, 1]\n  thousands: [\",\"]\n  date: \"%d/%m/%Y\"\n\
             delimiter: '\\t'\ncases:\n  amount: { column: AMT, type: decimal, values: { nil: 0 } }\n"
                .into(),
        ),
        ("columns", String::new()),
        (
            "calendar",
            "working_days: [Mon, tuesday]\nextra_working_days: []\n".into(),
        ),
        (
            "rules",
            one_rule(EP_SEV, "kind: required\nfield: [policy_no, amount]"),
        ),
        (
            "rules",
            one_rule(
                EP_SEV,
                "kind: range\nfield: amount\nmax: { setting: weekly.top_causes }\n\
                 when: { amount: { setting: payout.max_amount } }",
            ),
        ),
        (
            "rules",
            one_rule(
                EP_SEV,
                "kind: duration\nfrom: registered_at\nto: entered_at\n\
                 max: { setting: time_limits.review }\nmin: 1.50 hours",
            ),
        ),
        (
            "rules",
            one_rule(EP_SEV, "kind: range\nfield: amount\nmax: 10"),
        ),
        (
            "rules",
            one_rule(EP_SEV, "kind: required\nfields: [policy_no, amount]"),
        ),
        (
            "rules",
            one_rule(
                EP_SEV,
                "kind: pattern\nfield: policy_no\nregex: { setting: policy_no_format }",
            ),
        ),
    ];
    for (schema, text) in &good {
        let errors = schema_errors(schema, text);
        assert!(errors.is_empty(), "{schema}:\n{text}\n{errors:#?}");
        let (code, err) = load(schema, text);
        assert_eq!(code, Some(0), "{schema}:\n{text}\n{err}");
    }
}

#[test]
fn schema_accepts_the_column_map_init_drafts() {
    // The file policyqc writes for an insurer's export (Big5, a title line, Chinese headers,
    // yes/no words, value maps) is one the editor accepts too.
    let export = repo().join("fixtures/export_tw/export");
    let out = policyqc()
        .args(["init", "--dry-run"])
        .arg(&export)
        .output()
        .expect("run");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let draft = String::from_utf8(out.stdout).expect("UTF-8");
    assert!(draft.contains("policyqc schema columns"), "{draft}");
    assert!(draft.contains("\ncases:\n"), "{draft}");
    let errors = schema_errors("columns", &draft);
    assert!(errors.is_empty(), "{draft}\n{errors:#?}");
}
