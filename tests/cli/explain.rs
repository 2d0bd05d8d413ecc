//! `policyqc explain`, and the `--format json` of `validate`, `rules` and `explain`. Expected
//! values are read from the rule files' text (ids, lines, error points), not from the engine.

use std::collections::BTreeSet;

use crate::util::{policyqc, repo};

/// (id, file, line of `- id:`, error point) of every rule, from the YAML text.
fn rules_in_yaml() -> Vec<(String, String, usize, u8)> {
    let mut out = Vec::new();
    let mut files: Vec<_> = std::fs::read_dir(repo().join("rules"))
        .expect("rules/")
        .map(|e| e.expect("entry").path())
        .filter(|p| p.extension().is_some_and(|e| e == "yaml"))
        .collect();
    files.sort();
    for f in files {
        let text = std::fs::read_to_string(&f).expect("rule file");
        let name = format!("rules/{}", f.file_name().expect("name").to_string_lossy());
        for (i, line) in text.lines().enumerate() {
            if let Some(id) = line.trim().strip_prefix("- id:") {
                out.push((id.trim().to_owned(), name.clone(), i + 1, 0));
            } else if let Some(ep) = line.trim().strip_prefix("error_point:")
                && let Some(last) = out.last_mut()
            {
                last.3 = ep
                    .split('#')
                    .next()
                    .unwrap_or("")
                    .trim()
                    .parse()
                    .expect("EP");
            }
        }
    }
    out
}

#[test]
fn a_rule_is_explained_in_words_with_a_passing_and_a_failing_case() {
    let (code, out, err) = policyqc(&["explain", "entry.premium_miscomputed"]);
    assert_eq!(code, 0, "{err}");
    let (_, file, line, _) = rules_in_yaml()
        .into_iter()
        .find(|r| r.0 == "entry.premium_miscomputed")
        .expect("in the YAML");
    for want in [
        "checkpoint      entry".to_owned(),
        // DOMAIN.md: "5. Premium collection/refund computed wrongly; fee adjustment wrong".
        "error point     EP5: premium collection/refund".to_owned(),
        "severity        critical".to_owned(),
        "responsible     entry_operator".to_owned(),
        "checks          `premium_charged` == `premium_expected` must hold (exactly, to the cent)"
            .to_owned(),
        format!("defined at      {file}:{line}"),
    ] {
        assert!(out.contains(&want), "{want} missing from\n{out}");
    }
    // The examples: the passing case's two amounts are equal, the failing case's differ, and
    // its finding says so.
    let amounts = |label: &str| -> (String, String) {
        let l = out
            .lines()
            .find(|l| l.contains(&format!("example {label}")))
            .unwrap_or_else(|| panic!("no {label} example in\n{out}"));
        let get = |k: &str| {
            l.split(&format!("{k}="))
                .nth(1)
                .expect(k)
                .split(',')
                .next()
                .expect("value")
                .trim()
                .to_owned()
        };
        (get("premium_charged"), get("premium_expected"))
    };
    let (a, b) = amounts("passes");
    assert_eq!(a, b);
    let (a, b) = amounts("fails");
    assert_ne!(a, b);
    assert!(
        a.contains('.') && b.contains('.'),
        "money is shown as amounts: {a} {b}"
    );
    assert!(
        out.contains(&format!("expected == {b}; actual {a}")),
        "{out}"
    );
}

#[test]
fn an_error_point_lists_its_rules_and_a_wrong_id_suggests_the_nearest() {
    let (code, out, err) = policyqc(&["explain", "EP5", "--no-examples"]);
    assert_eq!(code, 0, "{err}");
    let want: BTreeSet<String> = rules_in_yaml()
        .into_iter()
        .filter(|r| r.3 == 5)
        .map(|r| r.0)
        .collect();
    assert!(want.len() >= 2);
    let got: BTreeSet<String> = out
        .lines()
        .filter(|l| !l.starts_with(' ') && !l.is_empty())
        .map(|l| l.split_whitespace().next().expect("id").to_owned())
        .collect();
    assert_eq!(got, want);
    assert!(out.contains("examples        not drawn (--no-examples)"));

    let (code, _, err) = policyqc(&["explain", "entry.premium_sign_wron"]);
    assert_eq!(code, 2);
    assert!(
        err.contains("did you mean entry.premium_sign_wrong?"),
        "{err}"
    );
    let (code, _, err) = policyqc(&["explain", "EP15"]);
    assert_eq!(code, 2);
    assert!(err.contains("there is no error point 15"), "{err}");
}

#[test]
fn an_unset_setting_is_said_and_json_carries_the_same() {
    let (code, out, err) = policyqc(&["explain", "intake.policy_no_format", "--format", "json"]);
    assert_eq!(code, 0, "{err}");
    let v: serde_json::Value = serde_json::from_str(&out).expect("JSON");
    let e = &v[0];
    assert_eq!(e["id"], "intake.policy_no_format");
    assert_eq!(e["settings"][0][0], "policy_no_format");
    assert!(e["settings"][0][1].is_null(), "unset");
    assert!(
        e["condition"]
            .as_str()
            .is_some_and(|c| c.starts_with("not evaluated in this run")),
        "{e}"
    );
    // Set: the condition names the format given.
    let dir = tempfile::tempdir().expect("tempdir");
    let settings = dir.path().join("settings.yaml");
    std::fs::write(&settings, "policy_no_format: \"^L-[0-9]{6}$\"\n").expect("write");
    let path = settings.display().to_string();
    let (code, out, err) = policyqc(&[
        "explain",
        "intake.policy_no_format",
        "--settings",
        &path,
        "--no-examples",
    ]);
    assert_eq!(code, 0, "{err}");
    assert!(
        out.contains("`policy_no` must match the regular expression `^L-[0-9]{6}$`"),
        "{out}"
    );
}

#[test]
fn rules_and_validate_speak_json() {
    let (code, out, err) = policyqc(&["rules", "--format", "json"]);
    assert_eq!(code, 0, "{err}");
    let v: serde_json::Value = serde_json::from_str(&out).expect("JSON");
    let yaml = rules_in_yaml();
    let list = v.as_array().expect("array");
    let got: BTreeSet<(String, String, u64)> = list
        .iter()
        .map(|r| {
            (
                r["id"].as_str().expect("id").to_owned(),
                r["source"].as_str().expect("source").to_owned(),
                r["error_point"].as_u64().expect("EP"),
            )
        })
        .collect();
    let want: BTreeSet<(String, String, u64)> = yaml
        .iter()
        .map(|(id, file, line, ep)| (id.clone(), format!("{file}:{line}"), u64::from(*ep)))
        .collect();
    assert_eq!(list.len(), yaml.len());
    assert_eq!(got, want);

    let (code, out, err) = policyqc(&["validate", "--format", "json"]);
    assert_eq!(code, 0, "{err}");
    let v: serde_json::Value = serde_json::from_str(&out).expect("JSON");
    assert_eq!(v["valid"], true);
    assert_eq!(v["rules"], yaml.len());

    let dir = tempfile::tempdir().expect("tempdir");
    std::fs::write(
        dir.path().join("entry.yaml"),
        "checkpoint: entry\nrules:\n  - id: entry.x\n    titel: X\n",
    )
    .expect("write");
    let path = dir.path().display().to_string();
    let (code, out, _) = policyqc(&["validate", &path, "--format", "json"]);
    assert_eq!(code, 2);
    let v: serde_json::Value = serde_json::from_str(&out).expect("JSON");
    assert_eq!(v["valid"], false);
    let typo = v["problems"]
        .as_array()
        .expect("problems")
        .iter()
        .find(|p| p["code"] == "rules::unknown-key")
        .expect("the misspelt key");
    assert_eq!(typo["line"], 4);
    assert_eq!(typo["column"], 5);
    assert_eq!(typo["help"], "did you mean `title`?");
}
