//! The fixture month against the scorecard worked out by hand in fixtures/scorecard/README.md.

use std::io::Read;

use calamine::{Data, Reader, Xlsx, open_workbook};

use crate::util::{Run, close, fixture, fixture_config, scorecard};

fn october() -> Run {
    let cfg = fixture_config();
    let r = scorecard(&fixture(), "2026-10", &["--config", cfg.to_str().unwrap()]);
    r.assert_code(0);
    r
}

/// operator, team, cases, critical, major, minor, errors/100, score, band, outcome, rank.
type Row = (
    &'static str,
    &'static str,
    u32,
    u32,
    u32,
    u32,
    &'static str,
    &'static str,
    &'static str,
    &'static str,
    &'static str,
);

#[test]
fn scorecard_rows_match_the_hand_computation() {
    let r = october();
    let t = r.table("scorecard.csv");
    // The issue's required columns, in order, within the header.
    for c in [
        "operator",
        "team",
        "cases_handled",
        "findings_critical",
        "findings_major",
        "findings_minor",
        "errors_per_100_cases",
        "cases_checked",
        "catches",
        "misses",
        "catch_rate",
        "score",
        "rank",
    ] {
        assert!(t.header.iter().any(|h| h == c), "missing column {c}");
    }
    // README "Cases handled" and "Scores".
    let want: [Row; 12] = [
        (
            "A01", "Alpha", 14, 0, 1, 0, "7.14", "87.76", "B", "none", "1",
        ),
        ("A04", "Alpha", 9, 0, 0, 0, "0", "82", "C", "none", "2"),
        (
            "A05", "Alpha", 9, 0, 1, 0, "11.11", "80.95", "B", "none", "3",
        ),
        ("A02", "Alpha", 8, 0, 1, 0, "12.5", "75", "B", "none", "4"),
        (
            "A03", "Alpha", 9, 1, 0, 1, "22.22", "39.68", "D", "penalty", "5",
        ),
        ("A06", "Alpha", 0, 0, 0, 0, "", "", "", "not rated", ""),
        ("B02", "Beta", 7, 0, 0, 0, "0", "100", "A", "reward", "1"),
        ("B04", "Beta", 6, 0, 0, 0, "0", "100", "A", "reward", "1"),
        (
            "B01", "Beta", 16, 0, 0, 1, "6.25", "94.64", "A", "none", "3",
        ),
        (
            "B05", "Beta", 6, 0, 1, 0, "16.67", "71.43", "C", "none", "4",
        ),
        (
            "B03", "Beta", 6, 1, 0, 1, "33.33", "14.29", "D", "penalty", "5",
        ),
        ("Q01", "QC", 0, 0, 0, 0, "", "", "", "not rated", ""),
    ];
    assert_eq!(
        t.column("operator"),
        want.iter().map(|w| w.0.to_owned()).collect::<Vec<_>>(),
        "rows sorted by team, rank, operator; X99 (left in September) not listed"
    );
    let num_eq = |got: &str, want: &str, what: &str| {
        if want.is_empty() {
            assert_eq!(got, "", "{what}");
        } else {
            close(got.parse().unwrap(), want.parse().unwrap(), what);
        }
    };
    for (op, team, n, c, maj, min, per100, score, band, outcome, rank) in want {
        let row = t.row("operator", op);
        assert_eq!(row["team"], team, "{op} team");
        assert_eq!(row["cases_handled"], n.to_string(), "{op} cases_handled");
        assert_eq!(row["findings_critical"], c.to_string(), "{op} critical");
        assert_eq!(row["findings_major"], maj.to_string(), "{op} major");
        assert_eq!(row["findings_minor"], min.to_string(), "{op} minor");
        num_eq(
            &row["errors_per_100_cases"],
            per100,
            &format!("{op} errors_per_100_cases"),
        );
        num_eq(&row["score"], score, &format!("{op} score"));
        assert_eq!(row["band"], band, "{op} band");
        assert_eq!(row["outcome"], outcome, "{op} outcome");
        assert_eq!(row["rank"], rank, "{op} rank");
        assert_eq!(
            row["trend"],
            if score.is_empty() { "" } else { "new" },
            "{op} trend"
        );
    }
    // Per-stage split (README "Cases handled").
    assert_eq!(t.get("operator", "A01", "cases_intake"), "8");
    assert_eq!(t.get("operator", "A01", "cases_printing"), "6");
    assert_eq!(t.get("operator", "B01", "cases_intake"), "7");
    assert_eq!(t.get("operator", "B01", "cases_printing"), "9");
    // Auto-fail conditions.
    assert_eq!(
        t.get("operator", "A04", "auto_fail"),
        "checker missed most errors"
    );
    assert_eq!(t.get("operator", "A03", "auto_fail"), "critical error");
    assert_eq!(t.get("operator", "B01", "auto_fail"), "");
}

#[test]
fn checker_columns_and_rework() {
    let r = october();
    let t = r.table("scorecard.csv");
    // A04: checked 9, catches C03 and C06, misses C02, C04, C08.
    assert_eq!(t.get("operator", "A04", "cases_checked"), "9");
    assert_eq!(t.get("operator", "A04", "catches"), "2");
    assert_eq!(t.get("operator", "A04", "misses"), "3");
    close(
        t.num("operator", "A04", "catch_rate"),
        0.4,
        "A04 catch rate",
    );
    // B04: checked 6, catch C12, C10's miss is November's.
    assert_eq!(t.get("operator", "B04", "cases_checked"), "6");
    assert_eq!(t.get("operator", "B04", "catches"), "1");
    assert_eq!(t.get("operator", "B04", "misses"), "0");
    close(
        t.num("operator", "B04", "catch_rate"),
        1.0,
        "B04 catch rate",
    );
    for op in [
        "A01", "A02", "A03", "A05", "A06", "B01", "B02", "B03", "B05", "Q01",
    ] {
        for c in ["cases_checked", "catches", "misses", "catch_rate"] {
            assert_eq!(t.get("operator", op, c), "", "{op} {c} must be empty");
        }
    }
    // Rework: C03 returned to review (A02), C06 to entry (A03).
    for (op, n) in [
        ("A02", "1"),
        ("A03", "1"),
        ("A01", "0"),
        ("A04", "0"),
        ("B01", "0"),
    ] {
        assert_eq!(t.get("operator", op, "rework_caused"), n, "{op} rework");
    }
}

#[test]
fn handling_times_in_working_hours() {
    let r = october();
    let t = r.table("scorecard.csv");
    // README "Handling time": (tasks, mean, p90).
    for (op, tasks, mean, p90) in [
        ("A01", "14", 0.64, 0.85),
        ("A02", "9", 0.5, 0.5),
        ("A03", "11", 0.61, 1.0),
        ("A04", "11", 0.48, 0.5),
        ("A05", "9", 0.5, 0.5),
        ("B01", "16", 0.56, 0.5),
        ("B02", "7", 0.57, 0.7),
        ("B03", "6", 0.5, 0.5),
    ] {
        assert_eq!(
            t.get("operator", op, "tasks_completed"),
            tasks,
            "{op} tasks"
        );
        close(
            t.num("operator", op, "handling_mean_hours"),
            mean,
            &format!("{op} mean"),
        );
        close(
            t.num("operator", op, "handling_p90_hours"),
            p90,
            &format!("{op} p90"),
        );
    }
    assert_eq!(t.get("operator", "A06", "handling_mean_hours"), "");
}

#[test]
fn team_and_department_rollups() {
    let r = october();
    let t = r.table("scorecard_teams.csv");
    assert_eq!(t.column("team"), ["Alpha", "Beta", "QC", "(department)"]);
    // README "Roll-ups".
    let want = [
        (
            "Alpha",
            "6",
            "5",
            "49",
            "1",
            "3",
            "1",
            10.20,
            "2",
            "9",
            "2",
            "3",
            Some(0.4),
            Some(73.08),
            "0",
            "1",
        ),
        (
            "Beta",
            "5",
            "5",
            "41",
            "1",
            "1",
            "2",
            9.76,
            "0",
            "6",
            "1",
            "0",
            Some(1.0),
            Some(76.07),
            "2",
            "1",
        ),
        (
            "(department)",
            "12",
            "10",
            "90",
            "2",
            "4",
            "3",
            10.0,
            "2",
            "15",
            "3",
            "3",
            Some(0.5),
            Some(74.58),
            "2",
            "2",
        ),
    ];
    for (
        team,
        ops,
        rated,
        cases,
        c,
        maj,
        min,
        per100,
        rework,
        checked,
        catches,
        misses,
        rate,
        mean,
        rewards,
        penalties,
    ) in want
    {
        let g = |c: &str| t.get("team", team, c);
        assert_eq!(g("operators"), ops, "{team} operators");
        assert_eq!(g("operators_rated"), rated, "{team} rated");
        assert_eq!(g("cases_handled"), cases, "{team} cases");
        assert_eq!(g("findings_critical"), c, "{team} critical");
        assert_eq!(g("findings_major"), maj, "{team} major");
        assert_eq!(g("findings_minor"), min, "{team} minor");
        close(t.num("team", team, "errors_per_100_cases"), per100, team);
        assert_eq!(g("rework_caused"), rework, "{team} rework");
        assert_eq!(g("cases_checked"), checked, "{team} checked");
        assert_eq!(g("catches"), catches, "{team} catches");
        assert_eq!(g("misses"), misses, "{team} misses");
        close(t.num("team", team, "catch_rate"), rate.unwrap(), team);
        close(t.num("team", team, "mean_score"), mean.unwrap(), team);
        assert_eq!(g("rewards"), rewards, "{team} rewards");
        assert_eq!(g("penalties"), penalties, "{team} penalties");
    }
    assert_eq!(t.get("team", "QC", "mean_score"), "");
    assert_eq!(t.get("team", "(department)", "level"), "department");
}

#[test]
fn training_hints_follow_the_pareto_cut() {
    let r = october();
    let t = r.table("training_hints.csv");
    let rows: Vec<(String, String, String, String, String)> = t
        .rows
        .iter()
        .map(|x| {
            (
                x["team"].clone(),
                x["error_point"].clone(),
                x["errors"].clone(),
                x["focus"].clone(),
                x["top_operators"].clone(),
            )
        })
        .collect();
    let s = |a: &str, b: &str, c: &str, d: &str, e: &str| {
        (
            a.to_owned(),
            b.to_owned(),
            c.to_owned(),
            d.to_owned(),
            e.to_owned(),
        )
    };
    // README "Training hints": Alpha EP7 (A04's 3 misses) and EP1 are the focus; Beta EP4, EP11.
    assert_eq!(
        rows,
        vec![
            s("Alpha", "7", "3", "true", "A04 (3)"),
            s("Alpha", "1", "1", "true", "A01 (1)"),
            s("Alpha", "3", "1", "false", "A02 (1)"),
            s("Alpha", "5", "1", "false", "A03 (1)"),
            s("Alpha", "6", "1", "false", "A03 (1)"),
            s("Alpha", "9", "1", "false", "A05 (1)"),
            s("Beta", "4", "1", "true", "B03 (1)"),
            s("Beta", "11", "1", "true", "B01 (1)"),
            s("Beta", "13", "1", "false", "B05 (1)"),
            s("Beta", "14", "1", "false", "B03 (1)"),
        ]
    );
    close(t.num("error_point", "7", "share"), 0.375, "EP7 share");
}

#[test]
fn the_months_errors_with_their_sources() {
    let r = october();
    let t = r.table("scorecard_errors.csv");
    let got: Vec<(String, String, String, String)> = t
        .rows
        .iter()
        .map(|x| {
            (
                x["case_id"][9..].to_owned(),
                x["error_point"].clone(),
                x["sources"].clone(),
                x["checker_outcome"].clone(),
            )
        })
        .collect();
    let s = |a: &str, b: &str, c: &str, d: &str| {
        (a.to_owned(), b.to_owned(), c.to_owned(), d.to_owned())
    };
    // README "Errors in October" and the case table: C09 (September) and C10 (November) absent.
    assert_eq!(
        got,
        vec![
            s("02", "5", "rule; finished_product_check", "miss"),
            s("03", "3", "double_check", "catch"),
            s("04", "6", "rule", "miss"),
            s("05", "11", "rule", ""),
            s("07", "9", "spot_check", ""),
            s("08", "1", "rule; audit", "miss"),
            s("12", "4", "double_check", "catch"),
            s("13", "14", "rule", ""),
            s("15", "13", "audit", ""),
        ]
    );
    assert_eq!(t.get("case_id", "C2026100005", "operator"), "B01");
    assert_eq!(t.get("case_id", "C2026100005", "team"), "Beta");
    assert_eq!(
        t.get("case_id", "C2026100008", "stage"),
        "intake",
        "empty stage = EP1's origin"
    );
    assert_eq!(
        t.get("case_id", "C2026100002", "rule_ids"),
        "entry.premium_miscomputed"
    );
    let json: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(r.file("scorecard.json")).unwrap()).unwrap();
    assert_eq!(json["errors_in_month"], 9);
    assert_eq!(json["unattributed_errors"], 0);
    assert_eq!(json["people_findings_rows"], 6);
    assert_eq!(json["people_findings_left_out"], 0);
    assert_eq!(json["operators"].as_array().unwrap().len(), 12);
    assert_eq!(json["month"], "2026-10");
}

#[test]
fn outputs_are_byte_identical_across_runs_and_thread_counts() {
    let cfg = fixture_config();
    let args = ["--config", cfg.to_str().unwrap(), "--no-history"];
    let a =
        crate::util::scorecard_env(&fixture(), "2026-10", &args, &[("POLARS_MAX_THREADS", "1")]);
    let b =
        crate::util::scorecard_env(&fixture(), "2026-10", &args, &[("POLARS_MAX_THREADS", "4")]);
    a.assert_code(0);
    b.assert_code(0);
    for f in [
        "scorecard.csv",
        "scorecard.json",
        "scorecard.xlsx",
        "scorecard_teams.csv",
        "training_hints.csv",
        "scorecard_errors.csv",
        "data_findings.csv",
    ] {
        assert_eq!(
            std::fs::read(a.file(f)).unwrap(),
            std::fs::read(b.file(f)).unwrap(),
            "{f} differs between runs"
        );
    }
    assert!(a.stdout.contains("team Alpha") && a.stdout.contains("team Beta"));
    assert!(a.stdout.contains("A04") && a.stdout.contains("training hints"));
}

fn sheet_xml(path: &std::path::Path, sheet_no: usize) -> String {
    let f = std::fs::File::open(path).unwrap();
    let mut z = zip::ZipArchive::new(f).unwrap();
    let mut s = String::new();
    z.by_name(&format!("xl/worksheets/sheet{sheet_no}.xml"))
        .unwrap()
        .read_to_string(&mut s)
        .unwrap();
    s
}

#[test]
fn the_workbook_opens_with_a_sheet_per_team() {
    let r = october();
    let path = r.file("scorecard.xlsx");
    let mut wb: Xlsx<_> = open_workbook(&path).expect("scorecard.xlsx opens");
    assert_eq!(
        wb.sheet_names(),
        ["Summary", "Alpha", "Beta", "QC", "Training", "Errors"]
    );
    let alpha = wb.worksheet_range("Alpha").unwrap();
    let header: Vec<String> = alpha
        .rows()
        .next()
        .unwrap()
        .iter()
        .map(ToString::to_string)
        .collect();
    let csv_header = r.table("scorecard.csv").header;
    assert_eq!(header, csv_header, "the team sheet has the CSV's columns");
    let col = |name: &str| header.iter().position(|h| h == name).unwrap();
    let rows: Vec<&[Data]> = alpha.rows().skip(1).collect();
    assert_eq!(rows.len(), 6, "six Alpha operators");
    assert_eq!(rows[0][col("operator")], Data::String("A01".into()));
    match &rows[0][col("score")] {
        Data::Float(x) => close(*x, 87.76, "A01 score in the workbook"),
        other => panic!("score is {other:?}"),
    }
    assert_eq!(rows[5][col("score")], Data::Empty, "A06 is not rated");
    let summary = wb.worksheet_range("Summary").unwrap();
    let text: Vec<String> = summary
        .rows()
        .flat_map(|r| r.iter().map(ToString::to_string))
        .collect();
    assert!(text.iter().any(|c| c == "(department)"));
    assert!(text[0].starts_with("Scorecard 2026-10"));
    // Frozen header row and first column, number formats, conditional colours (sheet 2 = Alpha).
    let xml = sheet_xml(&path, 2);
    assert!(
        xml.contains(r#"<pane xSplit="1" ySplit="1""#),
        "frozen panes"
    );
    assert!(
        xml.contains("<conditionalFormatting"),
        "conditional formats"
    );
    assert!(xml.contains("colorScale"), "score colour scale");
    assert!(xml.contains("<autoFilter"), "autofilter");
    let summary_xml = sheet_xml(&path, 1);
    assert!(
        summary_xml.contains(r#"ySplit="4""#),
        "summary frozen below its header"
    );
}

#[test]
fn team_filter_writes_one_team() {
    let cfg = fixture_config();
    let r = scorecard(
        &fixture(),
        "2026-10",
        &[
            "--config",
            cfg.to_str().unwrap(),
            "--team",
            "Beta",
            "--no-history",
        ],
    );
    r.assert_code(0);
    let t = r.table("scorecard.csv");
    assert_eq!(t.column("operator"), ["B02", "B04", "B01", "B05", "B03"]);
    assert_eq!(
        r.table("scorecard_teams.csv").column("team"),
        ["Beta", "(department)"]
    );
    assert!(
        r.table("training_hints.csv")
            .column("team")
            .iter()
            .all(|t| t == "Beta")
    );
    let mut wb: Xlsx<_> = open_workbook(r.file("scorecard.xlsx")).unwrap();
    assert_eq!(wb.sheet_names(), ["Summary", "Beta", "Training", "Errors"]);
    assert!(
        wb.worksheet_range("Errors").unwrap().rows().count() == 5,
        "header + 4 Beta errors"
    );
    assert!(!r.stdout.contains("team Alpha"));
}

#[test]
fn an_operator_name_starting_with_equals_is_literal_text_in_the_workbook() {
    let dir = crate::util::copy_fixture();
    let hostile = r#"=HYPERLINK("http://example.invalid","x")"#;
    // CSV-quoted: the name holds commas and quotes.
    crate::util::edit(
        dir.path(),
        "operators.csv",
        "Ada Lind",
        r#""=HYPERLINK(""http://example.invalid"",""x"")""#,
    );
    let cfg = fixture_config();
    let r = scorecard(dir.path(), "2026-10", &["--config", cfg.to_str().unwrap()]);
    r.assert_code(0);
    let mut wb: Xlsx<_> = open_workbook(r.file("scorecard.xlsx")).expect("scorecard.xlsx opens");
    let alpha = wb.worksheet_range("Alpha").unwrap();
    let found = alpha
        .rows()
        .flatten()
        .any(|c| matches!(c, Data::String(s) if s == hostile));
    assert!(found, "the name as a text cell");
    let formulas = wb.worksheet_formula("Alpha").unwrap();
    assert!(
        formulas.used_cells().all(|(_, _, f)| f.is_empty()),
        "no formula cell in the Alpha sheet"
    );
}
