//! Property tests (proptest): rule loading under random mutations, cases files of random
//! bytes, working-time arithmetic against a naive minute count, sample sizes monotone in
//! population and confidence, and scorecard counts that add up from operators to teams to the
//! department (README "Guarantees"). Each property runs 48 to 256 cases and
//! the whole binary takes a few seconds.

use std::path::PathBuf;

use chrono::{Duration, NaiveDate, NaiveDateTime};
use policyqc::calendar::{Calendar, CalendarSpec};
use policyqc::check::{CheckOptions, load_rules, load_settings, run_check};
use policyqc::config::columns::ColumnMap;
use policyqc::input::DataSources;
use policyqc::sampling::plans::Plan;
use proptest::prelude::*;

fn repo() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// The default rule files: (name, text).
fn pack() -> Vec<(String, String)> {
    let mut files: Vec<(String, String)> = std::fs::read_dir(repo().join("rules"))
        .expect("rules/")
        .map(|e| e.expect("entry").path())
        .filter(|p| p.extension().is_some_and(|x| x == "yaml"))
        .map(|p| {
            (
                p.file_name().expect("name").to_string_lossy().into_owned(),
                std::fs::read_to_string(&p).expect("read"),
            )
        })
        .collect();
    files.sort();
    files
}

/// A mutation of a text: what to do at a relative position.
#[derive(Debug, Clone)]
enum Mutation {
    Delete { at: f64, len: usize },
    Insert { at: f64, text: String },
    DuplicateLine { at: f64 },
    SwapLines { a: f64, b: f64 },
    Truncate { at: f64 },
}

fn mutation() -> impl Strategy<Value = Mutation> {
    let at = 0.0..1.0f64;
    prop_oneof![
        (at.clone(), 1..40usize).prop_map(|(at, len)| Mutation::Delete { at, len }),
        (
            at.clone(),
            prop::sample::select(vec![
                ":",
                "- ",
                "  ",
                "\n",
                "{",
                "[",
                "\"",
                "'",
                "&a ",
                "*a",
                "!!int ",
                "~",
                "\t",
                "#",
                "kind: ",
                "id: x\n",
                "\u{0}",
                "é",
                "9999999999999999999999",
            ])
        )
            .prop_map(|(at, t)| Mutation::Insert {
                at,
                text: t.to_owned()
            }),
        at.clone().prop_map(|at| Mutation::DuplicateLine { at }),
        (at.clone(), at.clone()).prop_map(|(a, b)| Mutation::SwapLines { a, b }),
        at.prop_map(|at| Mutation::Truncate { at }),
    ]
}

/// A char boundary near `at` (a fraction of the text).
fn boundary(text: &str, at: f64) -> usize {
    let mut i = ((text.len() as f64) * at) as usize;
    while !text.is_char_boundary(i) {
        i -= 1;
    }
    i
}

fn apply(text: &str, m: &Mutation) -> String {
    let mut lines: Vec<&str> = text.lines().collect();
    let line = |at: f64, n: usize| ((n as f64) * at) as usize % n.max(1);
    match m {
        Mutation::Delete { at, len } => {
            let i = boundary(text, *at);
            let j = boundary(text, ((i + len) as f64 / text.len() as f64).min(1.0)).max(i);
            format!("{}{}", &text[..i], &text[j..])
        }
        Mutation::Insert { at, text: t } => {
            let i = boundary(text, *at);
            format!("{}{t}{}", &text[..i], &text[i..])
        }
        Mutation::DuplicateLine { at } => {
            let i = line(*at, lines.len());
            let l = lines[i];
            lines.insert(i, l);
            lines.join("\n")
        }
        Mutation::SwapLines { a, b } => {
            let (i, j) = (line(*a, lines.len()), line(*b, lines.len()));
            lines.swap(i, j);
            lines.join("\n")
        }
        Mutation::Truncate { at } => text[..boundary(text, *at)].to_owned(),
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 48, ..ProptestConfig::default() })]

    /// A mutated default pack loads, or is refused with at least one diagnostic that names a
    /// rule file; never a panic.
    #[test]
    fn mutated_rule_files_load_or_give_a_located_error(
        file in 0..8usize,
        mutations in prop::collection::vec(mutation(), 1..4),
    ) {
        let pack = pack();
        let dir = tempfile::tempdir().expect("tempdir");
        let (name, _) = &pack[file % pack.len()];
        for (n, text) in &pack {
            let text = if n == name {
                mutations.iter().fold(text.clone(), |t, m| apply(&t, m))
            } else {
                text.clone()
            };
            std::fs::write(dir.path().join(n), text).expect("write");
        }
        let settings = load_settings(None).expect("default settings");
        match load_rules(Some(dir.path()), &ColumnMap::default(), &settings) {
            Ok(_) => {}
            Err(policyqc::check::RunError::Config(d)) => {
                prop_assert!(d.error_count() > 0);
                let reports: Vec<String> = d.into_reports().iter().map(|r| format!("{r:?}")).collect();
                prop_assert!(
                    reports.iter().any(|r| r.contains(".yaml")),
                    "no report names a rule file: {reports:?}"
                );
            }
            Err(other) => prop_assert!(false, "not a config error: {other}"),
        }
    }

    /// A cases file of random bytes (with or without a valid header first) is read or refused
    /// with an error naming it; never a panic.
    #[test]
    fn cases_files_of_random_bytes_never_panic(
        header in any::<bool>(),
        bytes in prop::collection::vec(any::<u8>(), 0..400),
    ) {
        let dir = tempfile::tempdir().expect("tempdir");
        let mut body = if header { b"case_id,premium_charged,received_at\n".to_vec() } else { Vec::new() };
        body.extend_from_slice(&bytes);
        std::fs::write(dir.path().join("cases.csv"), &body).expect("write");
        let opts = CheckOptions {
            sources: DataSources::from_folder(dir.path()),
            rules_dir: None,
            strict: false,
            rule_findings: None,
        };
        if let Err(e) = run_check(&opts) {
            let text = format!("{e}");
            let named = text.contains("cases.csv") || matches!(e, policyqc::check::RunError::Config(_));
            prop_assert!(named, "{text}");
        }
    }
}

/// The office calendar with a holiday on Wednesday 7 October 2026 and Saturday 10 October
/// worked.
fn calendar() -> Calendar {
    Calendar::from_spec(&CalendarSpec {
        holidays: vec!["2026-10-07".into()],
        extra_working_days: vec!["2026-10-10".into()],
        ..CalendarSpec::default()
    })
    .expect("calendar")
}

/// An instant in October 2026, to the minute.
fn instant() -> impl Strategy<Value = NaiveDateTime> {
    (0..31 * 24 * 60i64).prop_map(|m| {
        NaiveDate::from_ymd_opt(2026, 10, 1)
            .expect("date")
            .and_hms_opt(0, 0, 0)
            .expect("midnight")
            + Duration::minutes(m)
    })
}

/// Counted minute by minute, from the calendar's description alone: a minute is worked when
/// its day is a working day and it starts inside a working interval.
fn naive_minutes(cal: &Calendar, from: NaiveDateTime, to: NaiveDateTime) -> i64 {
    let mut t = from;
    let mut n = 0;
    while t < to {
        let minute = u32::try_from(
            t.time()
                .signed_duration_since(chrono::NaiveTime::MIN)
                .num_minutes(),
        )
        .expect("minute of day");
        if cal.is_working_day(t.date())
            && cal
                .intervals()
                .iter()
                .any(|&(s, e)| s <= minute && minute < e)
        {
            n += 1;
        }
        t += Duration::minutes(1);
    }
    n
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 256, ..ProptestConfig::default() })]

    #[test]
    fn working_time_is_additive_and_never_negative(a in instant(), b in instant(), c in instant()) {
        let cal = calendar();
        let mut v = [a, b, c];
        v.sort();
        let [a, b, c] = v;
        let ab = cal.working_minutes_between(a, b);
        let bc = cal.working_minutes_between(b, c);
        prop_assert!(ab >= 0 && bc >= 0);
        prop_assert_eq!(cal.working_minutes_between(a, c), ab + bc);
        prop_assert_eq!(cal.working_minutes_between(b, a), -ab);
    }

    #[test]
    fn working_time_agrees_with_a_minute_by_minute_count(a in instant(), hours in 0..80i64, extra in 0..60i64) {
        let cal = calendar();
        let b = a + Duration::minutes(hours * 60 + extra);
        prop_assert_eq!(cal.working_minutes_between(a, b), naive_minutes(&cal, a, b));
    }

    #[test]
    fn no_working_time_on_a_day_off(day in prop::sample::select(vec![3u32, 4, 7, 11, 17, 18, 24, 25, 31]), m1 in 0..1440i64, m2 in 0..1440i64) {
        // Saturdays and Sundays of October 2026 except the worked 10th, and the holiday.
        let cal = calendar();
        let d = NaiveDate::from_ymd_opt(2026, 10, day).expect("date");
        prop_assert!(!cal.is_working_day(d));
        let midnight = d.and_hms_opt(0, 0, 0).expect("midnight");
        let (lo, hi) = (m1.min(m2), m1.max(m2));
        prop_assert_eq!(
            cal.working_minutes_between(midnight + Duration::minutes(lo), midnight + Duration::minutes(hi)),
            0
        );
    }

    #[test]
    fn z14_sample_sizes_grow_with_the_population(
        level in prop::sample::select(vec!["I", "II", "III"]),
        aql in prop::sample::select(vec!["0.65", "1.0", "2.5", "4.0"]),
        n1 in 1..600_000u64,
        n2 in 1..600_000u64,
    ) {
        let plan = Plan::z14(level, aql).expect("plan");
        let (lo, hi) = (n1.min(n2), n1.max(n2));
        let a = plan.size_for(lo).expect("size").sample_size;
        let b = plan.size_for(hi).expect("size").sample_size;
        prop_assert!(a <= b, "{level} {aql}: {lo} -> {a}, {hi} -> {b}");
        prop_assert!(a <= lo);
    }

    #[test]
    fn attribute_sample_sizes_grow_with_confidence_and_population(
        c1 in 50..99u32,
        c2 in 50..99u32,
        tolerable in 3..15u32,
        n1 in 1..50_000u64,
        n2 in 1..50_000u64,
    ) {
        let t = f64::from(tolerable) / 100.0;
        let (clo, chi) = (f64::from(c1.min(c2)) / 100.0, f64::from(c1.max(c2)) / 100.0);
        let (lo, hi) = (n1.min(n2), n1.max(n2));
        let size = |c: f64, n: u64| Plan::attribute(c, t, 0.01).expect("plan").size_for(n).expect("size").sample_size;
        prop_assert!(size(clo, hi) <= size(chi, hi), "confidence {clo} vs {chi}");
        prop_assert!(size(chi, lo) <= size(chi, hi), "population {lo} vs {hi}");
    }
}

/// The scorecard fixture month (`fixtures/scorecard`) copied to a temporary folder, with the
/// roster's teams replaced by `teams` (one per roster row, in file order) and the people's
/// findings kept only where `keep` says so.
fn scorecard_folder(teams: &[&str], keep: &[bool]) -> tempfile::TempDir {
    let src = repo().join("fixtures/scorecard");
    let dir = tempfile::tempdir().expect("tempdir");
    for entry in std::fs::read_dir(&src).expect("fixtures/scorecard") {
        let p = entry.expect("entry").path();
        if p.is_file() {
            std::fs::copy(&p, dir.path().join(p.file_name().expect("name"))).expect("copy");
        }
    }
    let roster = std::fs::read_to_string(src.join("operators.csv")).expect("roster");
    let mut lines = roster.lines();
    let mut out = format!("{}\n", lines.next().expect("header"));
    for (i, line) in lines.enumerate() {
        let mut cells: Vec<&str> = line.split(',').collect();
        cells[2] = teams[i % teams.len()];
        out.push_str(&cells.join(","));
        out.push('\n');
    }
    std::fs::write(dir.path().join("operators.csv"), out).expect("roster");
    let people = std::fs::read_to_string(src.join("findings.csv")).expect("findings");
    let mut lines = people.lines();
    let mut out = format!("{}\n", lines.next().expect("header"));
    for (i, line) in lines.enumerate() {
        if keep[i % keep.len()] {
            out.push_str(line);
            out.push('\n');
        }
    }
    std::fs::write(dir.path().join("findings.csv"), out).expect("findings");
    dir
}

/// A column of a scorecard frame as integers (nulls as 0).
fn ints(df: &polars::prelude::DataFrame, name: &str) -> Vec<i64> {
    let s = df
        .column(name)
        .expect(name)
        .cast(&polars::prelude::DataType::Int64)
        .expect("int");
    s.i64()
        .expect("i64")
        .iter()
        .map(|v| v.unwrap_or(0))
        .collect()
}

fn strings(df: &polars::prelude::DataFrame, name: &str) -> Vec<Option<String>> {
    let s = df
        .column(name)
        .expect(name)
        .cast(&polars::prelude::DataType::String)
        .expect("str");
    s.str()
        .expect("str")
        .iter()
        .map(|v| v.map(str::to_owned))
        .collect()
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 24, ..ProptestConfig::default() })]

    /// Whatever the teams of the roster and whichever people's findings are filed, each
    /// team's counts are the sums of its operators' counts, the department's the sum of the
    /// teams', and every error of the month is charged to exactly one operator or counted as
    /// unattributed (summed here in plain Rust over the frames, not by the roll-up code).
    #[test]
    fn scorecard_operator_counts_sum_to_their_team(
        teams in prop::collection::vec(prop::sample::select(vec!["Alpha", "Beta", "QC", "營業一組"]), 13),
        keep in prop::collection::vec(any::<bool>(), 1..12),
    ) {
        use policyqc::config::diagnostics::SourceFile;
        use policyqc::scorecard::{ScorecardOptions, config, run_scorecard};
        let dir = scorecard_folder(&teams, &keep);
        let text = std::fs::read_to_string(dir.path().join("scorecard.yaml")).expect("config");
        let cfg = config::read(&SourceFile::new("scorecard.yaml", text)).expect("fixture config");
        let sc = run_scorecard(
            &ScorecardOptions {
                sources: DataSources::from_folder(dir.path()),
                rules_dir: None,
                config: cfg,
                month: "2026-10".parse().expect("month"),
                strict: false,
                rule_findings: None,
            },
            None,
        ).expect("scorecard");
        let counted = ["cases_handled", "findings_critical", "findings_major", "findings_minor",
            "errors", "cases_checked", "catches", "misses"];
        let op_team = strings(&sc.operators, "team");
        let level = strings(&sc.teams, "level");
        let team = strings(&sc.teams, "team");
        let ops_col = ints(&sc.teams, "operators");
        let mut dept_total = std::collections::BTreeMap::new();
        for metric in counted {
            let per_op = ints(&sc.operators, metric);
            let rolled = ints(&sc.teams, metric);
            for (row, t) in team.iter().enumerate() {
                let expected: i64 = if level[row].as_deref() == Some("department") {
                    per_op.iter().sum()
                } else {
                    per_op.iter().zip(&op_team).filter(|(_, ot)| *ot == t).map(|(v, _)| *v).sum()
                };
                prop_assert_eq!(rolled[row], expected, "{} of {:?}", metric, t);
            }
            dept_total.insert(metric, per_op.iter().sum::<i64>());
        }
        // Operators per team: the roster's operators of the team that the scorecard lists.
        for (row, t) in team.iter().enumerate() {
            if level[row].as_deref() == Some("team") {
                let n = op_team.iter().filter(|ot| *ot == t).count() as i64;
                prop_assert_eq!(ops_col[row], n, "operators of {:?}", t);
            }
        }
        // Every error of the month: charged to one operator, or unattributed.
        let charged = strings(&sc.errors, "operator");
        let attributed = charged.iter().filter(|o| o.is_some()).count() as i64;
        prop_assert_eq!(dept_total["errors"], attributed);
        prop_assert_eq!((charged.len() as i64) - attributed, sc.unattributed_errors as i64);
        let severities = dept_total["findings_critical"] + dept_total["findings_major"] + dept_total["findings_minor"];
        prop_assert_eq!(severities, attributed, "each charged error has one severity");
    }
}
