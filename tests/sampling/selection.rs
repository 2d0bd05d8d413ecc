//! `policyqc sample`: selection against the Python reference, reproducibility, plans, filters,
//! the workpaper and bad requests.

use std::collections::{BTreeMap, BTreeSet};

use crate::support::{
    basic, cases, demo, expected_findings, golden, manifest, run, run_env, sample, selected,
    strings,
};
use crate::util::{Table, copy_fixture, rule_severities};

const SEED: &str = "20261101";

#[test]
fn random_matches_the_python_reference() {
    let t = tempfile::tempdir().unwrap();
    let out = t.path().join("s");
    sample(
        &demo(),
        &out,
        &["--plan", "fixed", "--size", "60", "--seed", SEED],
    )
    .assert_code(0);
    let got = selected(&out);
    assert_eq!(got, strings(&golden()["random_60"]));
    let distinct: BTreeSet<&String> = got.iter().collect();
    assert_eq!(distinct.len(), 60);
}

#[test]
fn flagged_first_matches_the_reference_and_the_fixture_counts() {
    let t = tempfile::tempdir().unwrap();
    let out = t.path().join("s");
    sample(
        &demo(),
        &out,
        &[
            "--plan",
            "z14",
            "--aql",
            "1.0",
            "--method",
            "flagged-first",
            "--seed",
            SEED,
        ],
    )
    .assert_code(0);
    let m = manifest(&out);
    // Lot 2000, level II: Table I band 1201-3200 -> K; Table II-A K at AQL 1.0: n 125, Ac 3, Re 4.
    assert_eq!(m["plan"]["code_letter"], "K");
    assert_eq!(m["plan"]["sample_size"], 125);
    assert_eq!(selected(&out), strings(&golden()["flagged_first_125"]));
    // fixtures/sampling/README.md: 85 cases carry a seeded error, 21 of them critical. Each case's severity
    // from rules/*.yaml; every flagged case fits in 125, so 125 - 85 = 40 are random.
    let sev = rule_severities();
    let flagged = expected_findings("sampling");
    assert_eq!(flagged.len(), 85);
    let mut by_sev: BTreeMap<String, u64> = BTreeMap::new();
    for rules in flagged.values() {
        let worst = ["critical", "major", "minor"]
            .into_iter()
            .find(|s| rules.iter().any(|r| sev[r] == *s))
            .unwrap();
        *by_sev.entry(worst.to_owned()).or_default() += 1;
    }
    assert_eq!(by_sev["critical"], 21);
    let strata: BTreeMap<String, (u64, u64)> = m["strata"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| {
            (
                s["stratum"].as_str().unwrap().to_owned(),
                (
                    s["population"].as_u64().unwrap(),
                    s["allocated"].as_u64().unwrap(),
                ),
            )
        })
        .collect();
    for (s, n) in &by_sev {
        assert_eq!(strata[s], (*n, *n), "{s}");
    }
    assert_eq!(strata["unflagged"], (2000 - 85, 40));
    // The flagged ones come first, in severity order, each with its reason.
    let reasons: Vec<String> = m["selected"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["reason"].as_str().unwrap().to_owned())
        .collect();
    assert!(reasons[..21].iter().all(|r| r == "flagged: critical"));
    assert!(reasons[85..].iter().all(|r| r == "random"));
    assert_eq!(m["population"]["flagged"], 85);
}

#[test]
fn stratified_matches_the_reference_with_its_minimum() {
    let t = tempfile::tempdir().unwrap();
    let out = t.path().join("s");
    sample(
        &demo(),
        &out,
        &[
            "--plan",
            "fixed",
            "--size",
            "50",
            "--method",
            "stratified",
            "--by",
            "branch",
            "--min-per-stratum",
            "3",
            "--seed",
            SEED,
        ],
    )
    .assert_code(0);
    let g = golden();
    assert_eq!(selected(&out), strings(&g["stratified_branch_50_min3"]));
    // fixtures/sampling/README.md: HQ 672, North 322, South 353, East 337, West 316 (2000). 50 x N/2000:
    // HQ 16.8, North 8.05, South 8.825, East 8.425, West 7.9 -> floors 16+8+8+8+7 = 47; the 3
    // left go to the largest remainders .9 (West), .825 (South), .8 (HQ): 17, 8, 9, 8, 8.
    let m = manifest(&out);
    let alloc: BTreeMap<String, u64> = m["strata"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| {
            (
                s["stratum"].as_str().unwrap().to_owned(),
                s["allocated"].as_u64().unwrap(),
            )
        })
        .collect();
    let want: BTreeMap<String, u64> = [
        ("East", 8),
        ("HQ", 17),
        ("North", 8),
        ("South", 9),
        ("West", 8),
    ]
    .into_iter()
    .map(|(k, v)| (k.to_owned(), v))
    .collect();
    assert_eq!(alloc, want);
    let py: BTreeMap<String, u64> =
        serde_json::from_value(g["stratified_branch_50_min3_allocation"].clone()).unwrap();
    assert_eq!(alloc, py);
    // Every selected case belongs to its stratum.
    let branch: BTreeMap<String, String> = cases("sampling")
        .into_iter()
        .map(|r| (r["case_id"].clone(), r["branch"].clone()))
        .collect();
    for s in m["selected"].as_array().unwrap() {
        assert_eq!(
            branch[s["case_id"].as_str().unwrap()],
            s["stratum"].as_str().unwrap()
        );
    }
}

#[test]
fn equal_allocation_and_minimums_by_operator_stage() {
    let t = tempfile::tempdir().unwrap();
    let out = t.path().join("s");
    // Equal over 5 branches, 52 cases: 10 each, the 2 left to the largest (HQ 672, South 353).
    sample(
        &demo(),
        &out,
        &[
            "--plan",
            "fixed",
            "--size",
            "52",
            "--method",
            "stratified",
            "--by",
            "branch",
            "--allocation",
            "equal",
            "--seed",
            "1",
        ],
    )
    .assert_code(0);
    let alloc: BTreeMap<String, u64> = manifest(&out)["strata"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| {
            (
                s["stratum"].as_str().unwrap().to_owned(),
                s["allocated"].as_u64().unwrap(),
            )
        })
        .collect();
    assert_eq!(alloc["HQ"], 11);
    assert_eq!(alloc["South"], 11);
    assert_eq!(alloc["North"] + alloc["East"] + alloc["West"], 30);
    // By the entry operator: every stratum gets at least 2.
    let out2 = t.path().join("s2");
    let r = sample(
        &demo(),
        &out2,
        &[
            "--plan",
            "z14",
            "--aql",
            "1.0",
            "--method",
            "stratified",
            "--by",
            "operator:entry",
            "--min-per-stratum",
            "2",
            "--seed",
            "1",
        ],
    );
    r.assert_code(0);
    let m = manifest(&out2);
    let entry_ops: BTreeSet<String> = cases("sampling")
        .into_iter()
        .map(|r| r["entry_operator"].clone())
        .collect();
    let strata = m["strata"].as_array().unwrap();
    assert_eq!(strata.len(), entry_ops.len());
    for s in strata {
        assert!(s["allocated"].as_u64().unwrap() >= 2.min(s["population"].as_u64().unwrap()));
    }
    assert_eq!(m["selected"].as_array().unwrap().len(), 125);
}

#[test]
fn risk_weighted_by_amount_matches_the_reference() {
    let t = tempfile::tempdir().unwrap();
    let out = t.path().join("s");
    sample(
        &demo(),
        &out,
        &[
            "--plan",
            "fixed",
            "--size",
            "30",
            "--method",
            "risk-weighted",
            "--weight",
            "amount",
            "--seed",
            SEED,
        ],
    )
    .assert_code(0);
    let g = golden();
    assert_eq!(selected(&out), strings(&g["pps_amount_30"]));
    let m = manifest(&out);
    assert_eq!(
        m["method"]["pps"]["start"].as_str().unwrap(),
        g["pps_amount_30_start"].as_str().unwrap()
    );
    let certainty: Vec<String> = m["selected"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|s| s["reason"].as_str().unwrap().contains("certainty"))
        .map(|s| s["case_id"].as_str().unwrap().to_owned())
        .collect();
    assert_eq!(certainty, strings(&g["pps_amount_30_certainty"]));
    // Cases with amount 0.00 cannot be drawn: counted from cases.csv.
    let zero = cases("sampling")
        .iter()
        .filter(|r| r["amount"].is_empty() || r["amount"] == "0.00")
        .count();
    assert_eq!(
        m["method"]["pps"]["zero_weight_cases"].as_u64().unwrap() as usize,
        zero
    );
}

#[test]
fn same_seed_same_bytes_and_shuffled_rows_same_cases() {
    let t = tempfile::tempdir().unwrap();
    let args = [
        "--plan",
        "attribute",
        "--tolerable",
        "0.05",
        "--expected",
        "0.01",
        "--method",
        "stratified",
        "--by",
        "change_type",
        "--seed",
        "7",
    ];
    let a = t.path().join("a");
    let b = t.path().join("b");
    sample(&demo(), &a, &args).assert_code(0);
    // One thread vs two: byte-identical outputs.
    let demo_dir = demo();
    let mut all = vec![
        "sample",
        demo_dir.to_str().unwrap(),
        "--out",
        b.to_str().unwrap(),
    ];
    all.extend_from_slice(&args);
    run_env(&all, &[("POLARS_MAX_THREADS", "1")]).assert_code(0);
    for f in ["manifest.json", "manifest.md", "sample.csv", "sample.xlsx"] {
        assert_eq!(
            std::fs::read(a.join(f)).unwrap(),
            std::fs::read(b.join(f)).unwrap(),
            "{f}"
        );
    }
    // AICPA Table A-1: 95 %, tolerable 5 %, expected 1 % -> 93 (1).
    let m = manifest(&a);
    assert_eq!(m["plan"]["sample_size"], 93);
    assert_eq!(m["plan"]["accept"], 1);
    // The cases file with its rows reversed: the same cases, the same population hash.
    let shuffled = copy_fixture("sampling");
    let mut table = Table::read(&shuffled.path().join("cases.csv"));
    table.rows.reverse();
    table.write(&shuffled.path().join("cases.csv"));
    let c = t.path().join("c");
    sample(shuffled.path(), &c, &args).assert_code(0);
    assert_eq!(selected(&c), selected(&a));
    let mc = manifest(&c);
    assert_eq!(mc["population"]["sha256"], m["population"]["sha256"]);
    assert_ne!(
        mc["data"]["cases_file_sha256"],
        m["data"]["cases_file_sha256"]
    );
    // Another seed, another sample.
    let d = t.path().join("d");
    let mut other = args.to_vec();
    let last = other.len() - 1;
    other[last] = "8";
    sample(&demo(), &d, &other).assert_code(0);
    assert_ne!(selected(&d), selected(&a));
}

#[test]
fn a_drawn_seed_is_printed_recorded_and_repeats_the_sample() {
    let t = tempfile::tempdir().unwrap();
    let a = t.path().join("a");
    let r = sample(
        &basic(),
        &a,
        &["--plan", "fixed", "--size", "20", "--quiet"],
    );
    r.assert_code(0);
    let m = manifest(&a);
    assert_eq!(m["seed_source"], "drawn");
    let seed = m["seed"].as_u64().unwrap();
    assert!(
        r.stderr.contains(&format!("seed {seed} drawn")),
        "{}",
        r.stderr
    );
    let b = t.path().join("b");
    sample(
        &basic(),
        &b,
        &[
            "--plan",
            "fixed",
            "--size",
            "20",
            "--seed",
            &seed.to_string(),
        ],
    )
    .assert_code(0);
    assert_eq!(selected(&a), selected(&b));
    assert_eq!(manifest(&b)["seed_source"], "given");
}

#[test]
fn dry_run_json_prints_the_plan_and_writes_nothing() {
    let t = tempfile::tempdir().unwrap();
    let out = t.path().join("never");
    let json = |args: &[&str]| {
        let mut all = vec![
            "sample",
            "fixtures/sampling",
            "--out",
            out.to_str().unwrap(),
            "--dry-run",
            "--json",
        ];
        all.extend_from_slice(args);
        let r = run(&all);
        r.assert_code(0);
        let v: serde_json::Value = serde_json::from_str(r.stdout.trim()).expect("one JSON object");
        let keys: Vec<&String> = v.as_object().unwrap().keys().collect();
        assert_eq!(keys.len(), 6, "{v}");
        v
    };
    assert_eq!(
        json(&["--plan", "z14", "--level", "II", "--aql", "1.0"]),
        serde_json::json!({"plan": "z14", "population": 2000, "code_letter": "K", "sample_size": 125, "accept": 3, "reject": 4})
    );
    // --lot-size 500: Table I 281-500, level II -> H (50); Table II-A H at 1.0: Ac 1, Re 2.
    assert_eq!(
        json(&["--plan", "z14", "--aql", "1.0", "--lot-size", "500"]),
        serde_json::json!({"plan": "z14", "population": 500, "code_letter": "H", "sample_size": 50, "accept": 1, "reject": 2})
    );
    // Lot = the population after the filters: HQ has 672 cases (fixtures/sampling/README.md) -> band 501-1200,
    // level III -> K (125); K at AQL 0.65: Ac 2, Re 3.
    assert_eq!(
        json(&[
            "--plan", "z14", "--level", "III", "--aql", "0.65", "--branch", "HQ"
        ]),
        serde_json::json!({"plan": "z14", "population": 672, "code_letter": "K", "sample_size": 125, "accept": 2, "reject": 3})
    );
    assert_eq!(
        json(&[
            "--plan",
            "attribute",
            "--confidence",
            "0.95",
            "--tolerable",
            "0.05",
            "--expected",
            "0.01"
        ]),
        serde_json::json!({"plan": "attribute", "population": 2000, "code_letter": null, "sample_size": 93, "accept": 1, "reject": 2})
    );
    assert_eq!(
        json(&["--plan", "fixed", "--size", "50"]),
        serde_json::json!({"plan": "fixed", "population": 2000, "code_letter": null, "sample_size": 50, "accept": null, "reject": null})
    );
    assert!(!out.exists());
}

#[test]
fn filters_shape_the_population() {
    let t = tempfile::tempdir().unwrap();
    let pop = |args: &[&str]| {
        let out = t
            .path()
            .join(format!("p{}", args.join("_").replace(['/', ':'], "-")));
        let mut all = vec!["--plan", "fixed", "--size", "1", "--seed", "3"];
        all.extend_from_slice(args);
        sample(&demo(), &out, &all).assert_code(0);
        manifest(&out)["population"]["size"].as_u64().unwrap()
    };
    let rows = cases("sampling");
    let count =
        |f: &dyn Fn(&BTreeMap<String, String>) -> bool| rows.iter().filter(|r| f(r)).count() as u64;
    assert_eq!(
        pop(&["--period", "2026-10-05"]),
        count(&|r| r["received_at"].starts_with("2026-10-05"))
    );
    assert_eq!(
        pop(&["--period", "2026-10-05..2026-10-09"]),
        count(&|r| ("2026-10-05".."2026-10-10").contains(&&r["received_at"][..10]))
    );
    assert_eq!(
        pop(&["--checkpoint", "binding"]),
        count(&|r| !r["bound_at"].is_empty())
    );
    let ops = [
        "intake_operator",
        "reviewer",
        "entry_operator",
        "checker",
        "binder",
        "printer",
    ];
    assert_eq!(
        pop(&["--operator", "OP001"]),
        count(&|r| ops.iter().any(|o| r[*o] == "OP001"))
    );
    assert_eq!(
        pop(&["--operator", "OP001", "--checkpoint", "intake"]),
        count(&|r| r["intake_operator"] == "OP001" && !r["registered_at"].is_empty())
    );
    assert_eq!(pop(&["--change-type", "surrender,policy_loan"]), 181 + 238);
    // Finding filters: cases with such findings (designed findings of the fixture).
    let f = expected_findings("sampling");
    let n = f
        .values()
        .filter(|r| r.contains("entry.premium_miscomputed"))
        .count() as u64;
    assert_eq!(n, 4); // fixtures/sampling/README.md
    assert_eq!(pop(&["--rule", "entry.premium_miscomputed"]), n);
    let sev = rule_severities();
    let crit = f
        .values()
        .filter(|r| r.iter().any(|x| sev[x] == "critical"))
        .count() as u64;
    assert_eq!(pop(&["--severity", "critical"]), crit);
}

#[test]
fn the_workpaper_has_a_row_per_case_and_finding_and_empty_verdicts() {
    let t = tempfile::tempdir().unwrap();
    let out = t.path().join("s");
    sample(
        &basic(),
        &out,
        &[
            "--plan",
            "fixed",
            "--size",
            "40",
            "--method",
            "flagged-first",
            "--seed",
            "5",
        ],
    )
    .assert_code(0);
    let ids = selected(&out);
    let f = expected_findings("basic");
    let want_rows: usize = ids.iter().map(|c| f.get(c).map_or(1, BTreeSet::len)).sum();
    let w = Table::read(&out.join("sample.csv"));
    assert_eq!(w.rows.len(), want_rows);
    for c in [
        "sample_id",
        "sample_no",
        "case_id",
        "stratum",
        "reason",
        "policy_no",
        "amount",
        "rule_id",
        "severity",
        "message",
        "verdict",
        "new_error_point",
        "auditor",
        "judged_at",
        "note",
    ] {
        w.col(c);
    }
    let pairs = w.pairs("case_id", "rule_id");
    for c in &ids {
        match f.get(c) {
            Some(rules) => {
                for r in rules {
                    assert!(pairs.contains(&(c.clone(), r.clone())), "{c} {r}");
                }
            }
            None => assert!(pairs.contains(&(c.clone(), String::new()))),
        }
    }
    for row in 0..w.rows.len() {
        assert_eq!(w.get(row, "verdict"), "");
        assert_eq!(
            w.get(row, "sample_id"),
            manifest(&out)["sample_id"].as_str().unwrap()
        );
    }
    // Amounts as written in the cases file (exact cents).
    let amount: BTreeMap<String, String> = cases("basic")
        .into_iter()
        .map(|r| (r["case_id"].clone(), r["amount"].clone()))
        .collect();
    for row in 0..w.rows.len() {
        assert_eq!(w.get(row, "amount"), amount[w.get(row, "case_id")]);
    }
    let xlsx = std::fs::read(out.join("sample.xlsx")).unwrap();
    assert_eq!(&xlsx[..2], b"PK", "sample.xlsx is a zip (OOXML) file");
    let md = std::fs::read_to_string(out.join("manifest.md")).unwrap();
    assert!(md.contains("seed **5**"));
}

#[test]
fn bad_requests_are_clear_errors_and_write_nothing() {
    let t = tempfile::tempdir().unwrap();
    let out = t.path().join("s");
    // Empty population.
    let r = sample(
        &demo(),
        &out,
        &[
            "--plan", "fixed", "--size", "5", "--branch", "Atlantis", "--seed", "1",
        ],
    );
    r.assert_code(2);
    assert!(r.err().contains("nothingtosample"), "{}", r.stderr);
    assert!(!out.exists());
    // Larger than the population: basic has 300 cases.
    let r = sample(
        &basic(),
        &out,
        &["--plan", "fixed", "--size", "301", "--seed", "1"],
    );
    r.assert_code(2);
    assert!(
        r.err()
            .contains("asampleof301case(s)(--size)islargerthanthepopulationof300"),
        "{}",
        r.stderr
    );
    assert!(!out.exists());
    // A Z1.4 lot larger than the population: HQ of basic, --lot-size 10000 -> L (200).
    let hq = cases("basic")
        .iter()
        .filter(|r| r["branch"] == "HQ")
        .count();
    assert!(hq < 200);
    let r = sample(
        &basic(),
        &out,
        &[
            "--plan",
            "z14",
            "--aql",
            "1.0",
            "--lot-size",
            "10000",
            "--branch",
            "HQ",
            "--seed",
            "1",
        ],
    );
    r.assert_code(2);
    assert!(
        r.err()
            .contains(&format!("islargerthanthepopulationof{hq}")),
        "{}",
        r.stderr
    );
    // A minimum the sample cannot hold: 5 branches x 5 > 20.
    let r = sample(
        &demo(),
        &out,
        &[
            "--plan",
            "fixed",
            "--size",
            "20",
            "--method",
            "stratified",
            "--by",
            "branch",
            "--min-per-stratum",
            "5",
            "--seed",
            "1",
        ],
    );
    r.assert_code(2);
    assert!(
        r.err().contains("needs25cases,morethanthesamplesize20"),
        "{}",
        r.stderr
    );
    // Options that do not fit.
    for (args, msg) in [
        (vec!["--plan", "z14"], "--planz14needs--aql"),
        (
            vec!["--plan", "z14", "--aql", "1.1"],
            "isnotacolumnofANSI/ASQZ1.4",
        ),
        (
            vec![
                "--plan",
                "attribute",
                "--tolerable",
                "0.05",
                "--expected",
                "0.05",
            ],
            "invalidexpected",
        ),
        (
            vec!["--plan", "fixed", "--size", "5", "--method", "stratified"],
            "needs--by",
        ),
        (
            vec!["--plan", "fixed", "--size", "5", "--by", "branch"],
            "--byappliesto--methodstratifiedonly",
        ),
        (
            vec![
                "--plan",
                "fixed",
                "--size",
                "5",
                "--method",
                "stratified",
                "--by",
                "operator",
            ],
            "operator:intake",
        ),
        (
            vec![
                "--plan",
                "fixed",
                "--size",
                "5",
                "--method",
                "stratified",
                "--by",
                "colour",
            ],
            "nosuchfield",
        ),
        (
            vec!["--plan", "fixed", "--size", "5", "--rule", "no.such_rule"],
            "unknownrule",
        ),
        (
            vec!["--plan", "fixed", "--size", "5", "--period", "2026-13"],
            "--period",
        ),
    ] {
        let mut all = args.clone();
        all.extend_from_slice(&["--seed", "1"]);
        let r = sample(&basic(), &out, &all);
        r.assert_code(2);
        assert!(r.err().contains(msg), "{args:?}: {}", r.stderr);
        assert!(!out.exists());
    }
}

#[test]
fn an_earlier_sample_is_not_overwritten_without_force() {
    let t = tempfile::tempdir().unwrap();
    let out = t.path().join("s");
    sample(
        &basic(),
        &out,
        &["--plan", "fixed", "--size", "10", "--seed", "1"],
    )
    .assert_code(0);
    let before = std::fs::read(out.join("sample.csv")).unwrap();
    let r = sample(
        &basic(),
        &out,
        &["--plan", "fixed", "--size", "10", "--seed", "2"],
    );
    r.assert_code(2);
    assert!(r.err().contains("alreadyexists"), "{}", r.stderr);
    assert_eq!(std::fs::read(out.join("sample.csv")).unwrap(), before);
    sample(
        &basic(),
        &out,
        &["--plan", "fixed", "--size", "10", "--seed", "2", "--force"],
    )
    .assert_code(0);
    assert_ne!(std::fs::read(out.join("sample.csv")).unwrap(), before);
    // No temporary files are left behind.
    let leftovers: Vec<_> = std::fs::read_dir(&out)
        .unwrap()
        .filter_map(Result::ok)
        .filter(|e| e.file_name().to_string_lossy().ends_with(".tmp"))
        .collect();
    assert!(leftovers.is_empty());
}

/// The workpaper `sample.xlsx` read back with calamine: the same rows and columns as
/// `sample.csv`, numbers where the CSV has `sample_no` and `error_point`, the verdict columns
/// empty for the auditor, and a case value that a spreadsheet would run as a formula kept as
/// text (no cell of the workbook is a formula).
#[test]
fn the_workpaper_xlsx_holds_the_sample_csv_as_cells_never_formulas() {
    use calamine::{Data, Reader, Xlsx, open_workbook};
    let tmp = tempfile::tempdir().unwrap();
    let data = tmp.path().join("data");
    std::fs::create_dir_all(&data).unwrap();
    for f in ["cases.csv", "operators.csv", "authority.csv"] {
        std::fs::copy(basic().join(f), data.join(f)).unwrap();
    }
    let cases = std::fs::read_to_string(data.join("cases.csv")).unwrap();
    let hostile = "=HYPERLINK(\"http://x\";\"y\")";
    let quoted = format!("\"{}\"", hostile.replace('"', "\"\""));
    std::fs::write(
        data.join("cases.csv"),
        cases.replacen(",P189380361,HQ,", &format!(",P189380361,{quoted},"), 1),
    )
    .unwrap();
    let out = tmp.path().join("s");
    sample(
        &data,
        &out,
        &[
            "--plan",
            "fixed",
            "--size",
            "12",
            "--method",
            "stratified",
            "--by",
            "branch",
            "--seed",
            "5",
        ],
    )
    .assert_code(0);
    let mut reader = csv::Reader::from_path(out.join("sample.csv")).unwrap();
    let header: Vec<String> = reader
        .headers()
        .unwrap()
        .iter()
        .map(str::to_owned)
        .collect();
    let csv_rows: Vec<Vec<String>> = reader
        .records()
        .map(|r| r.unwrap().iter().map(str::to_owned).collect())
        .collect();
    assert!(csv_rows.len() >= 12);
    let mut wb: Xlsx<_> = open_workbook(out.join("sample.xlsx")).expect("sample.xlsx opens");
    assert_eq!(wb.sheet_names()[0], "sample");
    let sheet = wb.worksheet_range("sample").unwrap();
    let rows: Vec<&[Data]> = sheet.rows().collect();
    let head: Vec<String> = rows[0].iter().map(ToString::to_string).collect();
    assert_eq!(head, header);
    assert_eq!(rows.len() - 1, csv_rows.len());
    for (x, c) in rows[1..].iter().zip(&csv_rows) {
        for (i, name) in header.iter().enumerate() {
            let want = &c[i];
            match &x[i] {
                Data::Float(f) => {
                    assert!(
                        matches!(name.as_str(), "sample_no" | "error_point"),
                        "{name}"
                    );
                    assert_eq!(f.to_string(), *want, "{name}");
                }
                Data::String(s) => assert_eq!(s, want, "{name}"),
                Data::Empty => assert!(want.is_empty(), "{name}: {want}"),
                other => panic!("{name}: unexpected cell {other:?}"),
            }
        }
    }
    let verdict = header.iter().position(|h| h == "verdict").unwrap();
    assert!(csv_rows.iter().all(|r| r[verdict].is_empty()));
    let branch = header.iter().position(|h| h == "branch");
    let stratum = header.iter().position(|h| h == "stratum");
    let cells: Vec<&Data> = rows[1..]
        .iter()
        .flat_map(|r| [branch, stratum].into_iter().flatten().map(move |i| &r[i]))
        .collect();
    assert!(
        cells.contains(&&Data::String(hostile.into())),
        "the formula-like branch is a text cell"
    );
    for name in wb.sheet_names() {
        let formulas = wb.worksheet_formula(&name).unwrap();
        assert!(
            formulas.used_cells().all(|(_, _, f)| f.is_empty()),
            "a formula in {name}"
        );
    }
}
