//! A generated folder is realistic and self-consistent. The calendar is read here from
//! `calendar.yaml` by a few lines of text parsing, independently of the program.

use std::collections::{BTreeMap, BTreeSet};

use chrono::{Datelike, NaiveDate, NaiveDateTime, NaiveTime, Weekday};

use crate::generate;
use crate::util::Table;

struct Cal {
    hours: Vec<(NaiveTime, NaiveTime)>,
    holidays: BTreeSet<NaiveDate>,
    extra: BTreeSet<NaiveDate>,
}

impl Cal {
    fn read(path: &std::path::Path) -> Self {
        let text = std::fs::read_to_string(path).expect("calendar.yaml");
        let list = |key: &str| -> Vec<String> {
            let line = text
                .lines()
                .find(|l| l.starts_with(key))
                .unwrap_or_else(|| panic!("{key}"));
            line[line.find('[').expect("[") + 1..line.rfind(']').expect("]")]
                .split(',')
                .map(|s| s.trim().trim_matches(['"', '[', ']', ' ']).to_owned())
                .filter(|s| !s.is_empty())
                .collect()
        };
        let dates = |key| {
            list(key)
                .iter()
                .map(|s| NaiveDate::parse_from_str(s, "%Y-%m-%d").expect("date"))
                .collect()
        };
        let t = |s: &str| NaiveTime::parse_from_str(s, "%H:%M").expect("time");
        let h = list("working_hours:");
        assert_eq!(list("working_days:"), ["mon", "tue", "wed", "thu", "fri"]);
        Self {
            hours: h.chunks(2).map(|p| (t(&p[0]), t(&p[1]))).collect(),
            holidays: dates("holidays:"),
            extra: dates("extra_working_days:"),
        }
    }

    fn working_day(&self, d: NaiveDate) -> bool {
        self.extra.contains(&d)
            || (d.weekday().num_days_from_monday() < 5 && !self.holidays.contains(&d))
    }

    fn in_hours(&self, t: NaiveDateTime) -> bool {
        self.working_day(t.date())
            && self
                .hours
                .iter()
                .any(|(a, b)| *a <= t.time() && t.time() <= *b)
    }
}

fn ts(s: &str) -> Option<NaiveDateTime> {
    (!s.is_empty())
        .then(|| NaiveDateTime::parse_from_str(s, "%Y-%m-%d %H:%M:%S").expect("timestamp"))
}

#[test]
fn timestamps_lie_in_working_hours_and_arrivals_follow_the_calendar() {
    let g = generate(&[
        "--cases",
        "3000",
        "--seed",
        "21",
        "--start",
        "2026-10-01",
        "--days",
        "31",
    ]);
    let cal = Cal::read(&g.dir.join("calendar.yaml"));
    // SCHEMA.md's example calendar.
    let d = |s| NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap();
    assert!(cal.holidays.contains(&d("2026-10-01")) && cal.holidays.contains(&d("2026-10-02")));
    assert_eq!(cal.extra, BTreeSet::from([d("2026-10-10")]));
    let cases = Table::read(&g.dir.join("cases.csv"));
    let tasks = Table::read(&g.dir.join("tasks.csv"));
    for (t, name) in [(&cases, "cases"), (&tasks, "tasks")] {
        for (i, h) in t.header.iter().enumerate() {
            if h.ends_with("_at") {
                for r in &t.rows {
                    if let Some(x) = ts(&r[i]) {
                        assert!(
                            cal.in_hours(x),
                            "{name}.{h} = {x} of {} is outside working time",
                            r[0]
                        );
                    }
                }
            }
        }
    }
    let mut per_day: BTreeMap<NaiveDate, usize> = BTreeMap::new();
    for r in &cases.rows {
        *per_day
            .entry(ts(&r[cases.col("received_at")]).expect("received").date())
            .or_default() += 1;
    }
    // October 2026 has 21 working days (22 weekdays - 2 holidays + Saturday the 10th).
    assert_eq!(per_day.len(), 21);
    assert!(per_day.contains_key(&d("2026-10-10")) && !per_day.contains_key(&d("2026-10-01")));
    let mean = |wd: Weekday| {
        let v: Vec<usize> = per_day
            .iter()
            .filter(|(k, _)| k.weekday() == wd)
            .map(|(_, v)| *v)
            .collect();
        v.iter().sum::<usize>() as f64 / v.len() as f64
    };
    assert!(
        mean(Weekday::Mon) > mean(Weekday::Fri),
        "Mondays are busier than Fridays"
    );
    assert!(
        per_day[&d("2026-10-10")] as f64 <= mean(Weekday::Fri),
        "the make-up Saturday is quieter"
    );
}

#[test]
fn the_task_list_agrees_with_the_cases_and_rework_with_the_labels() {
    let g = generate(&[
        "--cases",
        "3000",
        "--seed",
        "22",
        "--start",
        "2026-10-01",
        "--days",
        "31",
        "--error-rate",
        "0.02",
    ]);
    let cases = Table::read(&g.dir.join("cases.csv"));
    let tasks = Table::read(&g.dir.join("tasks.csv"));
    let labels = crate::labels(&g.dir);
    let flagged: BTreeSet<&str> = labels.rows.iter().map(|r| r[0].as_str()).collect();
    let caught: BTreeSet<&str> = labels
        .rows
        .iter()
        .filter(|r| r[labels.col("caught_at_double_check")] == "true")
        .map(|r| r[0].as_str())
        .collect();
    let mut by_case: BTreeMap<&str, Vec<&Vec<String>>> = BTreeMap::new();
    for r in &tasks.rows {
        by_case.entry(r[0].as_str()).or_default().push(r);
    }
    let col = |n| tasks.col(n);
    let returned: BTreeSet<&str> = tasks
        .rows
        .iter()
        .filter(|r| r[col("outcome")] == "returned")
        .map(|r| r[0].as_str())
        .collect();
    // Rework happens exactly on the cases where the checker caught an error by the export.
    assert_eq!(returned, caught);
    assert!(!caught.is_empty());
    for r in tasks
        .rows
        .iter()
        .filter(|r| r[col("outcome")] == "returned")
    {
        assert_eq!(r[col("stage")], "double_check");
    }
    let mut checked_clean = 0;
    for c in cases.records() {
        let id = c["case_id"].as_str();
        let list = by_case
            .get(id)
            .unwrap_or_else(|| panic!("{id} has no task"));
        assert_eq!(list[0][col("stage")], "intake", "{id}");
        for t in list {
            let (a, s, e) = (
                ts(&t[col("assigned_at")]),
                ts(&t[col("started_at")]),
                ts(&t[col("completed_at")]),
            );
            assert_eq!(
                e.is_some(),
                !t[col("outcome")].is_empty(),
                "{id}: outcome iff completed"
            );
            if flagged.contains(id) {
                continue;
            }
            let a = a.expect("assigned");
            assert!(
                s.is_none_or(|s| a <= s)
                    && e.is_none_or(|e| s.expect("started when completed") <= e),
                "{id}: {t:?}"
            );
        }
        if flagged.contains(id) {
            continue;
        }
        checked_clean += 1;
        // The last completed task of each stage is the case's stage timestamp, by its operator.
        for (stage, at, op) in [
            ("intake", "registered_at", "intake_operator"),
            ("review", "reviewed_at", "reviewer"),
            ("entry", "entered_at", "entry_operator"),
            ("double_check", "checked_at", "checker"),
            ("binding", "bound_at", "binder"),
            ("printing", "printed_at", "printer"),
        ] {
            let done: Vec<_> = list
                .iter()
                .filter(|t| t[col("stage")] == stage && t[col("outcome")] == "done")
                .collect();
            match ts(&c[at]) {
                Some(x) => {
                    let final_task = done
                        .last()
                        .unwrap_or_else(|| panic!("{id}: no done {stage} task"));
                    assert_eq!(
                        ts(&final_task[col("completed_at")]),
                        Some(x),
                        "{id} {stage}"
                    );
                    if stage != "intake" {
                        assert_eq!(final_task[col("operator")], c[op], "{id} {stage}");
                    }
                }
                // Open: the stage's task is absent or still in progress.
                None if stage != "intake" => {
                    assert!(done.is_empty(), "{id}: {stage} done but {at} empty");
                }
                None => {}
            }
        }
        for t in list.iter().filter(|t| t[col("stage")] == "referral") {
            assert_eq!(t[col("operator")], c["referral_dept"], "{id}");
        }
    }
    // Error rate 0.02 (4x the default): most cases are still clean.
    assert!(checked_clean > 2000, "{checked_clean}");
}

#[test]
fn the_department_looks_like_a_servicing_department() {
    let g = generate(&[
        "--cases",
        "3000",
        "--seed",
        "23",
        "--start",
        "2026-10-01",
        "--days",
        "31",
    ]);
    let ops = Table::read(&g.dir.join("operators.csv"));
    assert_eq!(
        ops.header,
        [
            "operator_id",
            "name",
            "team",
            "roles",
            "authority_level",
            "active_from",
            "active_to"
        ]
    );
    // About 200 operators: 20 teams of 10, plus 200/50 = 4 leavers.
    assert_eq!(ops.rows.len(), 204);
    let teams: BTreeSet<&str> = ops.rows.iter().map(|r| r[2].as_str()).collect();
    assert_eq!(teams.len(), 20);
    let branches: BTreeSet<&str> = teams.iter().map(|t| t.split('-').next().unwrap()).collect();
    assert_eq!(
        branches,
        BTreeSet::from(["East", "HQ", "North", "South", "West"])
    );
    let cases = Table::read(&g.dir.join("cases.csv"));
    let n = cases.rows.len() as f64;
    let count = |f: &str, pred: &dyn Fn(&str) -> bool| {
        cases.rows.iter().filter(|r| pred(&r[cases.col(f)])).count() as f64
    };
    // Open at the export, queries (7% drawn; some not yet raised), referrals (the underwriting
    // and payout types: 7+5+13+9+9+5 = 48% of the mix, fewer once open cases are cut).
    assert!((0.05..0.30).contains(&(count("bound_at", &|v| v.is_empty()) / n)));
    assert!((0.04..0.10).contains(&(count("query_opened_at", &|v| !v.is_empty()) / n)));
    assert!((0.35..0.50).contains(&(count("referral_dept", &|v| !v.is_empty()) / n)));
    let mut mix: BTreeMap<&str, usize> = BTreeMap::new();
    for r in &cases.rows {
        *mix.entry(r[cases.col("change_type")].as_str()).or_default() += 1;
    }
    assert_eq!(mix.len(), 10);
    assert_eq!(
        mix.iter().max_by_key(|(_, v)| **v).map(|(k, _)| *k),
        Some("address_change")
    );
    // Leavers get no work.
    let leavers: BTreeSet<&str> = ops
        .rows
        .iter()
        .filter(|r| !r[6].is_empty())
        .map(|r| r[0].as_str())
        .collect();
    assert_eq!(leavers.len(), 4);
    for r in &cases.rows {
        for f in [
            "intake_operator",
            "reviewer",
            "entry_operator",
            "checker",
            "binder",
            "printer",
        ] {
            assert!(
                !leavers.contains(r[cases.col(f)].as_str()),
                "{} worked by a leaver",
                r[0]
            );
        }
    }
}

#[test]
fn worse_operators_make_more_errors_than_better_ones() {
    let g = generate(&[
        "--cases",
        "20000",
        "--seed",
        "24",
        "--start",
        "2026-10-01",
        "--days",
        "31",
        "--error-rate",
        "0.02",
    ]);
    let prof = Table::read(&g.dir.join("operator_profiles.csv"));
    let profile: BTreeMap<&str, &str> = prof
        .rows
        .iter()
        .map(|r| (r[0].as_str(), r[2].as_str()))
        .collect();
    let cases = Table::read(&g.dir.join("cases.csv"));
    // Case-stages worked per profile (each operator field of each case), errors per profile.
    let mut worked: BTreeMap<&str, f64> = BTreeMap::new();
    for r in &cases.rows {
        for f in [
            "intake_operator",
            "reviewer",
            "entry_operator",
            "checker",
            "binder",
            "printer",
        ] {
            if let Some(p) = profile.get(r[cases.col(f)].as_str()) {
                *worked.entry(p).or_default() += 1.0;
            }
        }
    }
    let labels = crate::labels(&g.dir);
    let mut errors: BTreeMap<&str, f64> = BTreeMap::new();
    for r in &labels.rows {
        *errors
            .entry(profile[r[labels.col("operator")].as_str()])
            .or_default() += 1.0;
    }
    let rate = |p: &str| errors.get(p).copied().unwrap_or(0.0) / worked[p];
    println!(
        "errors per case-stage: worse {:.4}, typical {:.4}, better {:.4}",
        rate("worse"),
        rate("typical"),
        rate("better")
    );
    // Planted: worse 3-5x, better 0.2-0.3x the typical propensity (roster docs).
    assert!(rate("worse") > 2.0 * rate("typical"));
    assert!(rate("typical") > 2.0 * rate("better"));
}
