//! `--lang en|zh-Hant|zh-Hans` and the `lang` setting: every page, workbook and console
//! summary in the chosen language, machine output byte-identical across languages, and the
//! bad values (flag, setting, a rule's title map) reported as usage or located errors.
//!
//! The Chinese strings asserted here are the translations chosen in `src/lang.tsv` (the
//! default pack's rule titles in `rules/*.yaml`): a label that lost its translation, or a
//! page that stopped routing a label through the table, fails these.

use std::collections::BTreeMap;
use std::path::Path;

use assert_cmd::Command;

use super::util::{Run, check, copy_fixture, fixture, repo, run_out, squash};

/// Runs `policyqc ARGS... --out <tmp>/out`.
fn policyqc(args: &[&str]) -> Run {
    let args: Vec<&std::ffi::OsStr> = args.iter().map(std::ffi::OsStr::new).collect();
    run_out(&args)
}

/// Every file of an output folder but the pages and workbooks, by name: the machine output.
fn machine_files(run: &Run) -> BTreeMap<String, Vec<u8>> {
    std::fs::read_dir(&run.out)
        .expect("out folder")
        .map(|e| e.expect("entry").path())
        .filter(|p| {
            !matches!(
                p.extension().and_then(|e| e.to_str()),
                Some("html" | "xlsx")
            )
        })
        .map(|p| {
            let name = p.file_name().unwrap().to_string_lossy().into_owned();
            (name, std::fs::read(&p).expect("read"))
        })
        .collect()
}

fn page(run: &Run, name: &str) -> String {
    std::fs::read_to_string(run.file(name)).unwrap_or_else(|e| panic!("{name}: {e}"))
}

/// The text of `<div class="value">` of the headline figure `name` (`data-figure`).
fn figure(html: &str, name: &str) -> String {
    let at = html
        .find(&format!("data-figure=\"{name}\""))
        .unwrap_or_else(|| panic!("no figure {name}"));
    let rest = &html[at..];
    let v = rest.find("class=\"value\">").expect("value") + "class=\"value\">".len();
    rest[v..v + rest[v..].find('<').expect("end")].to_owned()
}

#[test]
fn the_nightly_page_and_summary_speak_traditional_and_simplified_chinese_with_the_same_figures() {
    let demo = fixture("demo");
    let english = check(&demo, &[]);
    let traditional = check(&demo, &["--lang", "zh-Hant"]);
    let simplified = check(&demo, &["--lang", "zh-Hans"]);
    for r in [&english, &traditional, &simplified] {
        r.assert_code(0);
    }
    let (english_html, traditional_html, simplified_html) = (
        page(&english, "report.html"),
        page(&traditional, "report.html"),
        page(&simplified, "report.html"),
    );
    assert!(english_html.contains("<html lang=\"en\">"));
    assert!(traditional_html.contains("<html lang=\"zh-Hant\">"));
    assert!(simplified_html.contains("<html lang=\"zh-Hans\">"));
    // Headings, a headline label, a checkpoint and a severity, in each script.
    for want in [
        "今晚數據",
        "缺失明細",
        "讀入案件",
        "有缺失的規則",
        "複核",
        "嚴重",
    ] {
        assert!(traditional_html.contains(want), "zh-Hant page lacks {want}");
    }
    for want in [
        "今晚数据",
        "问题明细",
        "读入案件",
        "有问题的规则",
        "复核",
        "严重",
    ] {
        assert!(simplified_html.contains(want), "zh-Hans page lacks {want}");
    }
    assert!(!traditional_html.contains("Tonight's figures"));
    // controls.seal_missing fails cases on the demo; its title in the rule file's map.
    assert!(english_html.contains("Required company seal not applied"));
    assert!(traditional_html.contains("未加蓋應用的公司印章"));
    assert!(simplified_html.contains("未加盖应用的公司印章"));
    // The same figures in every language.
    for f in [
        "cases_read",
        "cases_with_findings",
        "case_defect_rate",
        "alerts",
    ] {
        assert_eq!(
            figure(&english_html, f),
            figure(&traditional_html, f),
            "{f}"
        );
        assert_eq!(figure(&english_html, f), figure(&simplified_html, f), "{f}");
    }
    assert_eq!(figure(&english_html, "cases_read"), "2,000");
    // The console summary.
    assert!(
        english.stdout.contains("cases read              2000"),
        "{}",
        english.stdout
    );
    assert!(
        traditional.stdout.contains("讀入案件                2000"),
        "{}",
        traditional.stdout
    );
    assert!(
        simplified.stdout.contains("读入案件                2000"),
        "{}",
        simplified.stdout
    );
    assert!(
        traditional.stdout.contains("已寫入"),
        "{}",
        traditional.stdout
    );
}

#[test]
fn machine_output_is_byte_identical_in_every_language() {
    let demo = fixture("demo");
    let en = check(&demo, &["--format", "jsonl"]);
    let files = machine_files(&en);
    assert!(files.contains_key("findings.csv") && files.contains_key("summary.json"));
    assert!(files.contains_key("findings.jsonl"));
    for lang in ["zh-Hant", "zh-Hans"] {
        let other = check(&demo, &["--format", "jsonl", "--lang", lang]);
        other.assert_code(0);
        let theirs = machine_files(&other);
        assert_eq!(
            files.keys().collect::<Vec<_>>(),
            theirs.keys().collect::<Vec<_>>()
        );
        for (name, bytes) in &files {
            assert!(theirs[name] == *bytes, "{name} differs with --lang {lang}");
        }
    }
}

#[test]
fn the_other_pages_workbooks_and_summaries_are_written_in_the_language() {
    let demo = fixture("demo");
    let cycle_rules = repo().join("fixtures/cycle/rules");
    let weekly = policyqc(&[
        "report",
        "weekly",
        demo.to_str().unwrap(),
        "--week",
        "2026-10",
        "--lang",
        "zh-Hant",
    ]);
    weekly.assert_code(0);
    let html = page(&weekly, "weekly.html");
    assert!(html.contains("<html lang=\"zh-Hant\">"));
    for want in [
        "每週品質分析",
        "教育訓練計畫",
        "全組訓練",
        "個別訓練",
        "本期",
    ] {
        assert!(html.contains(want), "weekly.html lacks {want}");
    }
    assert!(weekly.stdout.contains("受理 2000 件"), "{}", weekly.stdout);
    // Sheet names stay English; header cells are translated.
    let mut wb: calamine::Xlsx<_> =
        calamine::open_workbook(weekly.file("weekly.xlsx")).expect("weekly.xlsx");
    let weeks = calamine::Reader::worksheet_range(&mut wb, "Weeks").expect("sheet Weeks");
    assert_eq!(
        weeks.get_value((0, 0)).map(ToString::to_string).as_deref(),
        Some("週次")
    );

    let cycle = policyqc(&[
        "cycle",
        demo.to_str().unwrap(),
        "--rules",
        cycle_rules.to_str().unwrap(),
        "--lang",
        "zh-Hans",
    ]);
    cycle.assert_code(0);
    let html = page(&cycle, "cycle.html");
    assert!(html.contains("<html lang=\"zh-Hans\">"));
    for want in ["处理周期概况", "各环节时限达成（SLA）", "未结案件"] {
        assert!(html.contains(want), "cycle.html lacks {want}");
    }
    assert!(cycle.stdout.contains("保全项目"), "{}", cycle.stdout);

    let history = tempfile::tempdir().expect("tempdir");
    let db = history.path().join("history.sqlite");
    let sc = policyqc(&[
        "scorecard",
        demo.to_str().unwrap(),
        "--month",
        "2026-10",
        "--history",
        db.to_str().unwrap(),
        "--lang",
        "zh-Hant",
    ]);
    sc.assert_code(0);
    let html = page(&sc, "scorecard.html");
    assert!(html.contains("<html lang=\"zh-Hant\">"));
    for want in ["作業人員排名", "複核人員：檢出與漏檢", "使用的權重"] {
        assert!(html.contains(want), "scorecard.html lacks {want}");
    }
    assert!(
        sc.stdout.contains("policyqc 績效評分 2026-10"),
        "{}",
        sc.stdout
    );

    let basic = fixture("basic");
    let sample = policyqc(&[
        "sample",
        basic.to_str().unwrap(),
        "--plan",
        "z14",
        "--level",
        "I",
        "--aql",
        "6.5",
        "--seed",
        "11",
        "--lang",
        "zh-Hans",
    ]);
    sample.assert_code(0);
    let html = page(&sample, "audit.html");
    assert!(html.contains("<html lang=\"zh-Hans\">"));
    for want in ["抽样概况", "样本量", "种子 11"] {
        assert!(html.contains(want), "audit.html lacks {want}");
    }
    assert!(sample.stdout.contains("抽样 "), "{}", sample.stdout);
}

#[test]
fn an_unknown_language_is_a_usage_error_listing_the_three() {
    let run = check(&fixture("demo"), &["--lang", "fr"]);
    run.assert_code(2);
    for want in ["fr", "en", "zh-Hant", "zh-Hans"] {
        assert!(run.stderr.contains(want), "{}", run.stderr);
    }
    assert!(!run.out.exists(), "nothing is written on a usage error");
}

#[test]
fn the_lang_setting_is_the_default_and_the_flag_overrides_it() {
    let data = copy_fixture("demo");
    let settings = data.path().join("settings.yaml");
    let mut text = std::fs::read_to_string(&settings).expect("settings.yaml");
    text.push_str("lang: zh-Hans\n");
    std::fs::write(&settings, text).expect("write settings");
    let by_setting = check(data.path(), &[]);
    by_setting.assert_code(0);
    assert!(page(&by_setting, "report.html").contains("<html lang=\"zh-Hans\">"));
    assert!(
        by_setting.stdout.contains("读入案件"),
        "{}",
        by_setting.stdout
    );
    let by_flag = check(data.path(), &["--lang", "en"]);
    by_flag.assert_code(0);
    assert!(page(&by_flag, "report.html").contains("<html lang=\"en\">"));
    assert!(by_flag.stdout.contains("cases read"), "{}", by_flag.stdout);
}

#[test]
fn a_bad_lang_setting_is_reported_at_its_place_in_the_settings_file() {
    let data = copy_fixture("demo");
    let settings = data.path().join("settings.yaml");
    let text = std::fs::read_to_string(&settings).expect("settings.yaml");
    let line = text.lines().count() + 1;
    std::fs::write(&settings, format!("{text}lang: zh-hant\n")).expect("write settings");
    let run = check(data.path(), &[]);
    run.assert_code(2);
    let err = run.stderr_squashed();
    assert!(err.contains("settings::bad-value"), "{}", run.stderr);
    assert!(
        err.contains(&squash("`lang` must be a language")),
        "{}",
        run.stderr
    );
    assert!(
        err.contains(&squash("did you mean `zh-Hant`?")),
        "{}",
        run.stderr
    );
    assert!(
        err.contains(&format!("settings.yaml:{line}:7")),
        "{}",
        run.stderr
    );
}

/// A rule folder holding one rule whose `title:` line is `title`.
fn rule_folder(title: &str) -> tempfile::TempDir {
    let dir = tempfile::tempdir().expect("tempdir");
    std::fs::write(
        dir.path().join("intake.yaml"),
        format!(
            "checkpoint: intake\nrules:\n  - id: intake.date_missing\n    title: {title}\n    error_point: 1\n    severity: major\n    responsible: intake_operator\n    kind: required\n    field: application_date\n    message: application date missing\n"
        ),
    )
    .expect("write rule");
    dir
}

fn validate(rules: &Path) -> Run {
    let tmp = tempfile::tempdir().expect("tempdir");
    let output = Command::cargo_bin("policyqc")
        .expect("binary")
        .current_dir(repo())
        .env("NO_COLOR", "1")
        .arg("validate")
        .arg(rules)
        .output()
        .expect("run policyqc");
    Run::new(&output, tmp.path().join("out"), tmp)
}

#[test]
fn a_title_map_is_read_and_its_mistakes_are_located() {
    let good = rule_folder("{en: Date missing, zh-Hant: 未記錄申請日期, zh-Hans: 未记录申请日期}");
    validate(good.path()).assert_code(0);

    let unknown = rule_folder("{en: Date missing, zh-TW: 未記錄申請日期}");
    let run = validate(unknown.path());
    run.assert_code(2);
    let err = run.stderr_squashed();
    assert!(err.contains("rules::bad-title"), "{}", run.stderr);
    assert!(
        err.contains(&squash("`zh-TW` is not a language of `title`")),
        "{}",
        run.stderr
    );
    // Line 4, the key `zh-TW` after `    title: {en: Date missing, `.
    assert!(err.contains("intake.yaml:4:31"), "{}", run.stderr);

    let no_en = rule_folder("{zh-Hant: 未記錄申請日期}");
    let run = validate(no_en.path());
    run.assert_code(2);
    let err = run.stderr_squashed();
    assert!(
        err.contains(&squash("`title` has no English text (`en`)")),
        "{}",
        run.stderr
    );
    assert!(err.contains("intake.yaml:4:12"), "{}", run.stderr);

    let not_text = rule_folder("[Date missing]");
    let run = validate(not_text.path());
    run.assert_code(2);
    assert!(
        run.stderr_squashed()
            .contains(&squash("`title` must be a string or a map of languages")),
        "{}",
        run.stderr
    );
}
