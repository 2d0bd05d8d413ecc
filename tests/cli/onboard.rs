//! Onboarding an insurer's export as it comes: `policyqc init` then `policyqc check`, with no
//! hand edit, on exports this test writes itself from a generated month (not the generator's
//! format): Chinese headers, a title line above them, slashed dates, 是/否, change types and
//! referral departments as Chinese names, amounts with thousands separators, cases only (no
//! roster, no authority matrix), in UTF-8 with a BOM and in Big5. The expected findings are
//! the generator's labels (`labels.csv`, `caught_at_double_check = false`), not the program's
//! output.

use std::collections::BTreeSet;
use std::path::Path;

use assert_cmd::Command;

use crate::util::{Table, check};

/// Our field -> the export's header (Traditional; some Simplified, spaced or English
/// variants in the UTF-8 export, as mixed exports have).
const HEADERS: &[(&str, &str, &str)] = &[
    ("case_id", "案件編號", "案件编号"),
    ("policy_no", "保單號碼", "保单号码"),
    ("branch", "分公司", "分公司"),
    ("change_type", "保全項目", "保全项目"),
    ("application_date", "申請日期", "申请日期"),
    ("received_at", "受理時間", "受理时间"),
    ("registered_at", "登記時間", "Registered At"),
    ("reviewed_at", "審核時間", "审核时间"),
    ("entered_at", "錄入時間", "录入时间"),
    ("checked_at", "複核時間", "复核时间"),
    ("bound_at", "裝訂時間", "装订时间"),
    ("printed_at", "列印時間", "打印时间"),
    ("effective_date", "生效日", "生效日期"),
    ("intake_operator", "受理人", "受理人"),
    ("reviewer", "審核人", "审核人"),
    ("entry_operator", "錄入人", "录入人"),
    ("checker", "複核人", "复核人"),
    ("binder", "裝訂人", "装订人"),
    ("printer", "列印人", "打印人"),
    ("amount", "金額", "金额"),
    ("premium_before", "原保費", "变更前保费"),
    ("premium_after", "新保費", "变更后保费"),
    ("premium_charged", "收退保費", "收退保费"),
    ("premium_expected", "系統計算保費", "试算保费"),
    ("docs_required", "應備文件數", "应备文件数"),
    ("docs_received", "實收文件數", "实收文件数"),
    ("query_opened_at", "照會發出時間", "照会发出时间"),
    ("query_closed_at", "照會回覆時間", "照会回复时间"),
    ("referral_dept", "會辦單位", "会办单位"),
    ("referred_at", "會辦時間", "会办时间"),
    ("referral_returned_at", "會辦回覆時間", "会办回复时间"),
    ("seal_required", "需蓋章", "需盖章"),
    ("seal_applied", "已蓋章", "已盖章"),
    ("benefit_due_date", "給付到期日", "给付到期日"),
    ("benefit_paid_date", "給付日", "给付日"),
    ("benefit_expected", "應給付金額", "应给付金额"),
    ("benefit_paid", "實付金額", "实付金额"),
    ("reports_reviewed_at", "報表檢視時間", "报表检视时间"),
    ("notice_printed", "通知書已列印", "通知书已列印"),
];

const CHANGE_TYPES: &[(&str, &str)] = &[
    ("address_change", "地址變更"),
    ("beneficiary_change", "受益人變更"),
    ("sum_increase", "增加保額"),
    ("sum_decrease", "減少保額"),
    ("payment_mode_change", "繳費方式變更"),
    ("reinstatement", "復效"),
    ("policy_loan", "保單借款"),
    ("partial_withdrawal", "部分提領"),
    ("surrender", "解約"),
    ("maturity_payment", "滿期金給付"),
];

fn policyqc() -> Command {
    let mut c = Command::cargo_bin("policyqc").expect("binary");
    c.env("NO_COLOR", "1");
    c
}

/// `1234567.50` -> `1,234,567.50`.
fn grouped(v: &str) -> String {
    let (sign, v) = v.strip_prefix('-').map_or(("", v), |r| ("-", r));
    let (int, frac) = v.split_once('.').unwrap_or((v, ""));
    let mut out = String::new();
    for (i, c) in int.chars().enumerate() {
        if i > 0 && (int.len() - i) % 3 == 0 {
            out.push(',');
        }
        out.push(c);
    }
    if frac.is_empty() {
        format!("{sign}{out}")
    } else {
        format!("{sign}{out}.{frac}")
    }
}

/// The export text of a generated cases.csv, with `simplified` headers or Traditional ones.
fn export_text(cases: &Table, simplified: bool) -> String {
    let mut w = csv::WriterBuilder::new().from_writer(Vec::new());
    w.write_record(cases.header.iter().map(|h| {
        let (_, t, s) = HEADERS
            .iter()
            .find(|(f, _, _)| f == h)
            .expect("a header for every field");
        if simplified { *s } else { *t }
    }))
    .expect("header");
    for row in &cases.rows {
        let out: Vec<String> = cases
            .header
            .iter()
            .zip(row)
            .map(|(field, v)| {
                if v.is_empty() {
                    return String::new();
                }
                match field.as_str() {
                    f if f.ends_with("_at") || f.ends_with("_date") => v.replace('-', "/"),
                    "change_type" => CHANGE_TYPES
                        .iter()
                        .find(|(ours, _)| ours == v)
                        .map_or_else(|| v.clone(), |(_, theirs)| (*theirs).to_owned()),
                    "referral_dept" => match v.as_str() {
                        "underwriting" => String::from("核保"),
                        "finance" => String::from("財務"),
                        other => other.to_owned(),
                    },
                    "seal_required" | "seal_applied" | "notice_printed" => {
                        String::from(if v == "true" { "是" } else { "否" })
                    }
                    "amount" | "benefit_expected" | "benefit_paid" => grouped(v),
                    _ => v.clone(),
                }
            })
            .collect();
        w.write_record(&out).expect("row");
    }
    let body = String::from_utf8(w.into_inner().expect("csv")).expect("utf-8");
    format!("保全作業清單 2026年10月,,\n{body}")
}

/// Generates a month, writes its cases as an export in a new folder (alone) with `encode`,
/// runs init and check there, and checks the findings against the labels.
fn onboard(encode: &dyn Fn(&str) -> Vec<u8>, simplified: bool, file: &str) {
    let month = tempfile::tempdir().expect("tempdir");
    let out = policyqc()
        .args([
            "generate",
            "--cases",
            "3000",
            "--seed",
            "20261204",
            "--start",
            "2026-10-01",
            "--days",
            "31",
            "--out",
        ])
        .arg(month.path())
        .output()
        .expect("generate");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let cases = Table::read(&month.path().join("cases.csv"));
    let export = tempfile::tempdir().expect("tempdir");
    let path = export.path().join(file);
    std::fs::write(&path, encode(&export_text(&cases, simplified))).expect("export");

    let init = policyqc().arg("init").arg(&path).output().expect("init");
    let stdout = String::from_utf8_lossy(&init.stdout);
    assert!(
        init.status.success(),
        "{stdout}{}",
        String::from_utf8_lossy(&init.stderr)
    );
    assert!(stdout.contains("39 of 39 columns mapped"), "{stdout}");
    // The drafted map is read back by the loader without a problem.
    let validate = policyqc()
        .args(["validate", "--columns"])
        .arg(export.path().join("columns.yaml"))
        .output()
        .expect("validate");
    assert!(
        validate.status.success(),
        "{}",
        String::from_utf8_lossy(&validate.stderr)
    );

    let run = check(&path, &[]);
    assert!(
        run.code == 0 || run.code == 1,
        "{}\n{}",
        run.stdout,
        run.stderr
    );
    assert_eq!(run.summary_u64("cases_read"), cases.rows.len() as u64);
    assert_eq!(
        run.summary_u64("cases_accounted_for"),
        cases.rows.len() as u64
    );
    assert_eq!(run.summary_u64("data_findings"), 0, "{}", run.stdout);
    let not_evaluated: BTreeSet<String> = run.summary()["rules_not_evaluated"]
        .as_array()
        .expect("list")
        .iter()
        .map(|n| n["rule_id"].as_str().expect("id").to_owned())
        .collect();
    // Cases only and no settings: the two authority rules and the policy-number format.
    assert_eq!(
        not_evaluated,
        [
            "controls.checker_authority",
            "controls.entry_authority",
            "intake.policy_no_format"
        ]
        .map(String::from)
        .into()
    );
    let labels = Table::read(&month.path().join("labels.csv"));
    let planted: BTreeSet<(String, String)> = labels
        .records()
        .into_iter()
        .filter(|r| {
            r["caught_at_double_check"] == "false" && !not_evaluated.contains(&r["rule_id"])
        })
        .map(|r| (r["case_id"].clone(), r["rule_id"].clone()))
        .collect();
    let found = run.finding_pairs();
    let hits = planted.intersection(&found).count();
    let recall = hits as f64 / planted.len() as f64;
    assert!(
        planted.len() > 50,
        "a month of 3,000 cases plants errors: {}",
        planted.len()
    );
    assert!(
        recall >= 0.9,
        "recall {recall}: {hits} of {}",
        planted.len()
    );
    let labelled: BTreeSet<String> = labels
        .records()
        .into_iter()
        .map(|r| r["case_id"].clone())
        .collect();
    let clean = cases.rows.len() - labelled.len();
    let clean_flagged = found
        .iter()
        .map(|(c, _)| c)
        .collect::<BTreeSet<_>>()
        .into_iter()
        .filter(|c| !labelled.contains(*c))
        .count();
    eprintln!(
        "{file}: found {hits} of {} planted errors; {clean_flagged} of {clean} clean cases flagged",
        planted.len()
    );
    assert!(
        (clean_flagged as f64) <= 0.01 * clean as f64,
        "{clean_flagged} of {clean} clean cases flagged"
    );
}

#[test]
fn a_chinese_export_in_utf8_with_a_bom_goes_through_init_then_check() {
    onboard(
        &|t: &str| [b"\xEF\xBB\xBF".as_slice(), t.as_bytes()].concat(),
        true,
        "保全清單_202610.csv",
    );
}

#[test]
fn a_chinese_export_in_big5_goes_through_init_then_check() {
    onboard(
        &|t: &str| {
            let (bytes, _, unmappable) = encoding_rs::BIG5.encode(t);
            assert!(!unmappable);
            bytes.into_owned()
        },
        false,
        "export.csv",
    );
}

fn init(path: &Path, extra: &[&str]) -> (i32, String, String) {
    let out = policyqc()
        .arg("init")
        .arg(path)
        .args(extra)
        .output()
        .expect("init");
    (
        out.status.code().expect("code"),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

#[test]
fn init_never_overwrites_without_force_and_says_what_it_cannot_use() {
    let dir = tempfile::tempdir().expect("tempdir");
    // No export at all; an empty file; a header without rows.
    let (code, _, err) = init(dir.path(), &[]);
    assert_eq!(code, 2, "{err}");
    assert!(err.contains("no CSV or TXT export"), "{err}");
    std::fs::write(dir.path().join("cases.csv"), "").expect("write");
    let (code, _, err) = init(dir.path(), &[]);
    assert_eq!(code, 2, "{err}");
    assert!(err.contains("no data rows"), "{err}");
    std::fs::write(dir.path().join("cases.csv"), "案件編號,保單號碼\n").expect("write");
    let (code, _, err) = init(dir.path(), &[]);
    assert_eq!(code, 2, "{err}");
    assert!(err.contains("no data rows"), "{err}");
    // No case id column: said, nothing written.
    std::fs::write(dir.path().join("cases.csv"), "保單號碼,備註\nP1,x\n").expect("write");
    let (code, _, err) = init(dir.path(), &[]);
    assert_eq!(code, 2, "{err}");
    assert!(err.contains("no column is the case id"), "{err}");
    assert!(!dir.path().join("columns.yaml").exists());
    // Two columns that could be the case id: the better one (every value present) is used,
    // both are listed; the map is written once, and kept without --force.
    std::fs::write(
        dir.path().join("cases.csv"),
        "案件編號,Case No,保單號碼\nC1,,P1\nC2,X2,P2\n",
    )
    .expect("write");
    let (code, out, err) = init(dir.path(), &[]);
    assert_eq!(code, 0, "{err}");
    assert!(
        out.contains("`案件編號` and `Case No` could each be `case_id`"),
        "{out}"
    );
    let yaml = std::fs::read_to_string(dir.path().join("columns.yaml")).expect("columns.yaml");
    assert!(yaml.contains("case_id: \"案件編號\""), "{yaml}");
    assert!(
        yaml.contains("\"Case No\": `案件編號` and `Case No` could each be `case_id`"),
        "{yaml}"
    );
    std::fs::write(dir.path().join("columns.yaml"), "# mine\n").expect("write");
    let (code, _, err) = init(dir.path(), &[]);
    assert_eq!(code, 2, "{err}");
    assert!(err.contains("does not overwrite"), "{err}");
    assert_eq!(
        std::fs::read_to_string(dir.path().join("columns.yaml")).expect("kept"),
        "# mine\n"
    );
    let (code, _, err) = init(dir.path(), &["--force"]);
    assert_eq!(code, 0, "{err}");
    assert_ne!(
        std::fs::read_to_string(dir.path().join("columns.yaml")).expect("new"),
        "# mine\n"
    );
    // A header whose values contradict it (a timestamp column called 金額) is not mapped.
    std::fs::write(
        dir.path().join("cases.csv"),
        "案件編號,金額,未知欄位\nC1,2026/10/05 09:00,x\nC2,2026/10/06 10:00,y\n",
    )
    .expect("write");
    let (code, out, err) = init(dir.path(), &["--force"]);
    assert_eq!(code, 0, "{err}");
    assert!(
        out.contains("the header reads as `amount` (money), but the values are timestamps"),
        "{out}"
    );
    assert!(out.contains("1 of 3 columns mapped"), "{out}");
}

#[test]
fn a_big5_export_without_an_encoding_line_stops_naming_the_row_and_the_line_to_add() {
    let dir = tempfile::tempdir().expect("tempdir");
    let (bytes, _, _) = encoding_rs::BIG5.encode("case_id,branch\nC1,台北分公司\nC2,高雄分公司\n");
    std::fs::write(dir.path().join("cases.csv"), &bytes).expect("write");
    let run = check(dir.path(), &[]);
    run.assert_code(2);
    let err = run.stderr_squashed();
    assert!(err.contains("isnotUTF-8text:row2"), "{}", run.stderr);
    assert!(
        err.contains("add`encoding:big5`tocolumns.yaml"),
        "{}",
        run.stderr
    );
    // Declared as UTF-8: the same.
    std::fs::write(dir.path().join("columns.yaml"), "encoding: utf-8\n").expect("write");
    let run = check(dir.path(), &[]);
    run.assert_code(2);
    assert!(
        run.stderr_squashed().contains("add`encoding:big5`"),
        "{}",
        run.stderr
    );
    // Declared as Big5: read.
    std::fs::write(dir.path().join("columns.yaml"), "encoding: big5\n").expect("write");
    let run = check(dir.path(), &[]);
    assert!(run.code == 0 || run.code == 1, "{}", run.stderr);
    assert_eq!(run.summary_u64("cases_read"), 2);
}

/// The hand-made Big5 export of `fixtures/export_tw` (README.md there), as a new user runs it:
/// init on the folder, validate the draft, check; the findings are the fixture's
/// `expected_findings.csv`, written by hand from the planted rows.
#[test]
fn the_hand_made_big5_export_goes_through_init_then_check() {
    let dir = tempfile::tempdir().expect("tempdir");
    let name = "保全受理明細_20261009.csv";
    std::fs::copy(
        crate::util::fixture("export_tw").join("export").join(name),
        dir.path().join(name),
    )
    .expect("copy the export");
    let (code, out, err) = init(dir.path(), &[]);
    assert_eq!(code, 0, "{out}{err}");
    assert!(out.contains("26 of 26 columns mapped"), "{out}");
    assert!(
        out.contains("Big5, CRLF line endings; header on line 2"),
        "{out}"
    );
    let yaml = std::fs::read_to_string(dir.path().join("columns.yaml")).expect("columns.yaml");
    for line in [
        "encoding: big5",
        "header_row: 2",
        "true: [\"是\"]",
        "thousands: \",\"",
        "\"保單借款\": policy_loan",
        "\"核保部\": underwriting",
        // Every notice printed: one word of the pair is enough.
        "notice_printed: \"通知書已列印\"",
    ] {
        assert!(yaml.contains(line), "{line} missing from\n{yaml}");
    }
    let validate = policyqc()
        .args(["validate", "--columns"])
        .arg(dir.path().join("columns.yaml"))
        .output()
        .expect("validate");
    assert!(validate.status.success(), "{validate:?}");

    let run = check(dir.path(), &[]);
    run.assert_code(1);
    assert_eq!(run.summary_u64("cases_read"), 10);
    assert_eq!(run.summary_u64("cases_accounted_for"), 10);
    assert_eq!(run.summary_u64("rules_evaluated"), 22);
    assert_eq!(
        run.finding_pairs(),
        crate::util::expected_pairs("export_tw")
    );
    assert!(run.table("data_findings.csv").rows.is_empty());
    // The policy-number rule is listed as not evaluated, not run against a format of ours.
    assert!(
        run.stdout
            .contains("setting policy_no_format unset: intake.policy_no_format"),
        "{}",
        run.stdout
    );
}
