//! `fixtures/basic`, the hand-made test fixture, written by Rust: about 300 cases, mostly clean,
//! at least two planted errors for every rule of the default pack, cases sitting exactly on a
//! rule's limit (which must pass) and open cases. `expected_findings.csv` is the exact set of
//! findings the default rule pack must produce on it.
//!
//! The expected findings are *designed*, not computed by the engine: every planted error is
//! built so that exactly the listed rule(s) fire, every other case so that none fires. The
//! builder was ported from the Python script that wrote the folder first, with `CPython`'s
//! `random.Random` (`pyrandom.rs`) so the same seed gives the same files, byte for byte.
//!
//! The test fails when a committed file differs from what the builder writes. Rewrite the
//! folder (after changing the builder) with
//! `POLICYQC_REFRESH_FIXTURES=1 cargo nextest run --test fixtures_basic`.

mod model;
mod pyrandom;
mod specs;

use std::collections::BTreeMap;
use std::fmt::Write as _;

use model::{AUTHORITY, Build, Case, Ctx, Date, date, days, is_working_day, money};
use pyrandom::PyRandom;
use specs::{Kind, SPECS, Spec};

const SEED: u64 = 20_261_001;
const TOTAL: usize = 300;

/// Rule id -> (error point, severity), as in `rules/*.yaml`.
const RULES: [(&str, u32, &str); 34] = [
    ("intake.application_date_missing", 1, "major"),
    ("intake.application_after_receipt", 1, "major"),
    ("intake.application_too_old", 1, "major"),
    ("intake.policy_no_format", 10, "minor"),
    ("review.query_not_closed", 2, "major"),
    ("review.finished_before_query_closed", 2, "major"),
    ("review.query_closed_before_opened", 2, "minor"),
    ("review.sum_increase_premium_not_raised", 3, "major"),
    ("review.sum_decrease_premium_not_lowered", 3, "major"),
    ("review.non_financial_premium_changed", 3, "major"),
    ("entry.underwriting_referral_missing", 4, "major"),
    ("entry.finance_referral_missing", 4, "major"),
    ("entry.amount_out_of_range", 4, "major"),
    ("entry.premium_miscomputed", 5, "critical"),
    ("entry.premium_sign_wrong", 5, "critical"),
    ("entry.effective_date_missing", 6, "major"),
    ("entry.effective_before_application", 6, "major"),
    ("entry.effective_date_too_late", 6, "minor"),
    ("entry.reports_not_reviewed", 14, "minor"),
    ("entry.reports_reviewed_late", 14, "minor"),
    ("double_check.four_eyes_entry", 7, "critical"),
    ("double_check.four_eyes_review", 7, "major"),
    ("double_check.checked_before_entry", 7, "major"),
    ("binding.bound_without_check", 8, "critical"),
    ("binding.bound_before_check", 8, "major"),
    ("printing.notice_not_printed", 11, "major"),
    ("printing.notice_late", 11, "minor"),
    ("controls.entry_authority", 4, "critical"),
    ("controls.checker_authority", 7, "critical"),
    ("controls.documents_missing", 10, "major"),
    ("controls.seal_missing", 13, "major"),
    ("controls.benefit_paid_late", 12, "critical"),
    ("controls.benefit_not_paid", 12, "critical"),
    ("controls.benefit_amount_wrong", 12, "critical"),
];

fn error_point(rule: &str) -> u32 {
    RULES
        .iter()
        .find(|r| r.0 == rule)
        .map(|r| r.1)
        .expect("a rule of the default pack")
}

/// The planted errors: the specs applied to one case, and the build overrides.
fn injections() -> Vec<(&'static [&'static str], Build)> {
    const fn types(ctypes: &'static [&'static str]) -> Build {
        Build {
            ctypes: Some(ctypes),
            ..Build::NONE
        }
    }
    let none = Build::NONE;
    vec![
        (&["app_missing"], types(&["address_change"])),
        (&["app_missing"], types(&["surrender"])),
        (&["app_after_receipt_1"], none),
        (&["app_after_receipt_n"], none),
        (&["app_too_old_31"], none),
        (&["app_too_old_n"], none),
        (&["policy_bad_short"], none),
        (&["policy_bad_lower"], none),
        (&["policy_bad_long"], none),
        (&["policy_bad_dash"], none),
        (&["query_not_closed"], types(&["address_change"])),
        (&["query_not_closed"], types(&["sum_increase"])),
        (&["review_before_close_hours"], none),
        (&["review_before_close_days"], none),
        (&["query_closed_before_opened"], none),
        (&["query_closed_before_opened"], none),
        (&["si_premium_equal"], none),
        (&["si_premium_lower"], none),
        (&["sd_premium_equal"], none),
        (&["sd_premium_higher"], none),
        (&["nonfin_premium_up"], none),
        (&["nonfin_premium_cent"], none),
        (&["uw_none"], none),
        (&["uw_wrong_dept"], none),
        (&["fin_none"], none),
        (&["fin_wrong_dept"], none),
        (&["fin_none"], types(&["maturity_payment"])),
        (&["amount_zero"], none),
        (&["amount_negative"], none),
        (&["amount_over"], none),
        (&["premium_cent"], none),
        (&["premium_refund_off"], none),
        (&["premium_mode"], none),
        (&["sign_inc"], none),
        (&["sign_dec"], none),
        (&["eff_missing"], none),
        (&["eff_missing"], types(&["policy_loan"])),
        (&["eff_before_app_1"], none),
        (&["eff_before_app_n"], none),
        (&["eff_late_61"], none),
        (&["eff_late_n"], none),
        (&["reports_missing"], none),
        (&["reports_missing"], none),
        (&["reports_late_3"], none),
        (&["reports_late_weekend"], none),
        (&["four_eyes_entry"], types(&["address_change"])),
        (
            &["four_eyes_entry"],
            Build {
                amount: Some(15_000_000),
                ..types(&["surrender"])
            },
        ),
        (&["four_eyes_review"], types(&["beneficiary_change"])),
        (
            &["four_eyes_review"],
            Build {
                amount: Some(800_000),
                ..types(&["policy_loan"])
            },
        ),
        (&["checked_before_entry"], none),
        (&["checked_before_entry"], none),
        (&["bound_no_check"], none),
        (&["bound_no_check"], types(&["maturity_payment"])),
        (&["bound_before_check"], none),
        (&["bound_before_check"], none),
        (&["notice_false"], none),
        (&["notice_empty"], none),
        (&["notice_late"], none),
        (&["notice_late_n"], none),
        (&["entry_level"], none),
        (&["entry_edge"], none),
        (&["entry_level_si"], none),
        (&["entry_role"], none),
        (&["entry_unknown"], none),
        (&["checker_level"], none),
        (&["checker_role"], none),
        (&["checker_unknown"], none),
        (&["docs_short"], types(&["beneficiary_change"])),
        (&["docs_none"], none),
        (&["seal_false"], none),
        (&["seal_empty"], none),
        (&["paid_late_1"], none),
        (&["paid_late_n"], none),
        (&["not_paid"], none),
        (&["not_paid"], types(&["maturity_payment"])),
        (&["paid_cent_short"], none),
        (&["paid_over"], none),
        // one change that unavoidably fires two rules
        (&["loan_over_all_bands"], none),
        (&["one_person"], types(&["sum_decrease"])),
        // two independent errors on one case
        (&["policy_bad_short", "docs_short"], types(&["surrender"])),
        (&["premium_cent", "reports_late_n"], none),
        (
            &["seal_false", "notice_late"],
            types(&["beneficiary_change"]),
        ),
    ]
}

/// The open cases: (spec, how many).
const OPEN: [(&str, usize); 9] = [
    ("open_received", 3),
    ("open_registered", 2),
    ("open_query", 3),
    ("open_reviewed", 2),
    ("open_uw_pending", 2),
    ("open_fin_pending", 3),
    ("open_entered", 2),
    ("open_checked_payout", 2),
    ("open_checked", 1),
];

const BRANCHES: [(&str, u32); 3] = [("HQ", 50), ("North", 25), ("South", 25)];

struct Entry {
    case: Case,
    kind: Kind,
    notes: Vec<(&'static Spec, String)>,
    seq: usize,
}

/// A random case built as the specs ask that fits them all, with their changes applied.
fn make_special(
    ctx: &mut Ctx,
    specs: &[&'static Spec],
    days: &[Date],
    over: Build,
) -> (Case, Vec<(&'static Spec, String)>) {
    let build = specs
        .iter()
        .fold(Build::NONE, |b, s| b.update(s.build))
        .update(over);
    'attempt: for _ in 0..3000 {
        let Ok(c) = ctx.random_case(days, &BRANCHES, &build) else {
            continue;
        };
        if !specs.iter().all(|s| (s.need)(&c, &ctx.roster)) {
            continue;
        }
        let mut c2 = c.clone();
        let mut notes = Vec::new();
        for s in specs {
            match (s.apply)(&mut c2, ctx) {
                Ok(desc) => notes.push((*s, desc)),
                Err(_) => continue 'attempt,
            }
        }
        return (c2, notes);
    }
    let names: Vec<_> = specs.iter().map(|s| s.name).collect();
    panic!("cannot build {names:?}");
}

/// Python's `csv.writer` (`QUOTE_MINIMAL`, `\n` line ends).
fn csv(header: &[&str], rows: impl IntoIterator<Item = Vec<String>>) -> String {
    fn line(out: &mut String, cells: impl IntoIterator<Item = impl AsRef<str>>) {
        for (i, cell) in cells.into_iter().enumerate() {
            let cell = cell.as_ref();
            if i > 0 {
                out.push(',');
            }
            if cell.contains([',', '"', '\n', '\r']) {
                let _ = write!(out, "\"{}\"", cell.replace('"', "\"\""));
            } else {
                out.push_str(cell);
            }
        }
        out.push('\n');
    }
    let mut out = String::new();
    line(&mut out, header);
    for row in rows {
        line(&mut out, row);
    }
    out
}

/// Every file of `fixtures/basic` the builder writes: (name, content).
fn make_basic() -> Vec<(&'static str, String)> {
    let mut rng = PyRandom::new(SEED);
    let roster = model::make_roster(
        &mut rng,
        &["HQ", "Regional"],
        &[
            ("Supervisors", "review;entry;double_check", 3, None),
            ("Regional", "intake", 1, Some(date(2026, 6, 30))),
        ],
    );
    let team_for_branch = BTreeMap::from([
        ("HQ", vec!["HQ"]),
        ("North", vec!["Regional"]),
        ("South", vec!["Regional"]),
    ]);
    let mut ctx = Ctx {
        rng,
        roster,
        team_for_branch,
    };
    let mut month = Vec::new();
    let mut day = date(2026, 10, 5);
    while day <= date(2026, 10, 23) {
        if is_working_day(day) {
            month.push(day);
        }
        day += days(1);
    }
    let all: &'static [Spec] = &SPECS;
    let find = |name: &str| all.iter().find(|s| s.name == name).expect("a defined spec");

    let mut entries: Vec<Entry> = Vec::new();
    let push = |entries: &mut Vec<Entry>, (case, notes), kind| {
        let seq = entries.len();
        entries.push(Entry {
            case,
            kind,
            notes,
            seq,
        });
    };
    for (names, over) in injections() {
        let chosen: Vec<&Spec> = names.iter().map(|n| find(n)).collect();
        let built = make_special(&mut ctx, &chosen, &month, over);
        push(&mut entries, built, Kind::Inject);
    }
    for s in all.iter().filter(|s| s.kind == Kind::Edge) {
        let built = make_special(&mut ctx, &[s], &month, Build::NONE);
        push(&mut entries, built, Kind::Edge);
    }
    for (name, k) in OPEN {
        for _ in 0..k {
            let built = make_special(&mut ctx, &[find(name)], &month, Build::NONE);
            push(&mut entries, built, Kind::Open);
        }
    }
    while entries.len() < TOTAL {
        if let Ok(c) = ctx.random_case(&month, &BRANCHES, &Build::NONE) {
            push(&mut entries, (c, Vec::new()), Kind::Clean);
        }
    }
    entries.sort_by_key(|e| (e.case.received_at, e.seq));
    for (i, e) in entries.iter_mut().enumerate() {
        e.case.case_id = format!("C202610{:04}", i + 1);
    }

    // (case_id, rule, description), sorted by case and rule
    let mut manifest: Vec<(String, &str, String)> = Vec::new();
    for e in &entries {
        for (s, desc) in &e.notes {
            for rule in s.rules {
                manifest.push((e.case.case_id.clone(), rule, desc.clone()));
            }
        }
    }
    manifest.sort_by(|a, b| (&a.0, a.1).cmp(&(&b.0, b.1)));

    let authority = AUTHORITY.iter().flat_map(|(ctype, bands)| {
        bands.iter().map(move |(up_to, level)| {
            vec![
                (*ctype).to_owned(),
                up_to.map_or_else(String::new, money),
                level.to_string(),
            ]
        })
    });
    vec![
        (
            "cases.csv",
            csv(&model::case_fields(), entries.iter().map(|e| e.case.row())),
        ),
        (
            "operators.csv",
            csv(
                &[
                    "operator_id",
                    "name",
                    "team",
                    "roles",
                    "authority_level",
                    "active_from",
                    "active_to",
                ],
                ctx.roster.rows(),
            ),
        ),
        (
            "authority.csv",
            csv(
                &["change_type", "up_to_amount", "min_authority_level"],
                authority,
            ),
        ),
        (
            "manifest.csv",
            csv(
                &["case_id", "error_point", "rule_id", "description"],
                manifest.iter().map(|(cid, rule, desc)| {
                    vec![
                        cid.clone(),
                        error_point(rule).to_string(),
                        (*rule).to_owned(),
                        desc.clone(),
                    ]
                }),
            ),
        ),
        (
            "expected_findings.csv",
            csv(
                &["case_id", "rule_id"],
                manifest
                    .iter()
                    .map(|(cid, rule, _)| vec![cid.clone(), (*rule).to_owned()]),
            ),
        ),
        (
            "README.md",
            readme(&entries, &manifest, ctx.roster.ops.len()),
        ),
    ]
}

fn readme(entries: &[Entry], manifest: &[(String, &str, String)], operators: usize) -> String {
    let n = entries.len();
    let count = |k: Kind| entries.iter().filter(|e| e.kind == k).count();
    let bound = entries.iter().filter(|e| e.case.bound_at.is_some()).count();
    let types: Vec<&str> = AUTHORITY.iter().map(|a| a.0).collect();
    let mut out = format!(
        "# fixtures/basic: the hand-made test fixture

A small data folder in the reference format (`../../shared/SCHEMA.md`, here `cases.csv`, \
`operators.csv`, `authority.csv`) whose findings under the default rule pack (`rules/*.yaml`) \
are known exactly. Integration tests run the engine on it and compare with \
`expected_findings.csv`.

| file | content |
|---|---|
| `cases.csv` | {n} cases received 2026-10-05 .. 2026-10-23 at HQ, North and South |
| `operators.csv` | {operators} operators: teams HQ and Regional (10 each, same role/level \
template), a supervisor with review;entry;double_check, one leaver |
| `authority.csv` | the authority matrix: bands for {types}; other change types have no level \
requirement |
| `manifest.csv` | one row per planted error: case_id, error_point, rule_id, description \
({m} rows) |
| `expected_findings.csv` | `case_id,rule_id`, sorted: the exact findings the default rule pack \
must produce, no more, no less (same pairs as the manifest) |

## What is in it

- {clean} clean cases (no rule fires),
- {inject} cases with planted errors ({m} expected findings),
- {edge} edge cases: a value exactly on a rule's limit, which passes,
- {open} open cases (not yet bound), which fire nothing.
- {bound} of the {n} cases are bound.
",
        types = types.join(", "),
        m = manifest.len(),
        clean = count(Kind::Clean),
        inject = count(Kind::Inject),
        edge = count(Kind::Edge),
        open = count(Kind::Open),
    );
    out.push_str(README_BUILT);
    for (rule, ep, severity) in RULES {
        let ids: Vec<&str> = manifest
            .iter()
            .filter(|m| m.1 == rule)
            .map(|m| m.0.as_str())
            .collect();
        let _ = writeln!(out, "| `{rule}` | {ep} | {severity} | {} |", ids.join(", "));
    }
    let table = |out: &mut String, kind: Kind| {
        let mut rows: Vec<&Entry> = entries.iter().filter(|e| e.kind == kind).collect();
        rows.sort_by(|a, b| a.case.case_id.cmp(&b.case.case_id));
        for e in rows {
            let _ = writeln!(out, "| {} | {} |", e.case.case_id, e.notes[0].1);
        }
    };
    out.push_str(
        "\n## Edge cases (must NOT fire)\n\n| case | what sits on the limit |\n|---|---|\n",
    );
    table(&mut out, Kind::Edge);
    out.push_str(README_OPEN);
    table(&mut out, Kind::Open);
    out.push_str(README_END);
    out
}

const README_BUILT: &str = "
## How a clean case is built

- received on a working day in office hours (09:00-12:00, 13:00-17:30; Oct 1-2 are holidays, \
Saturday Oct 10 a make-up working day); every later stage a few working minutes to days later, \
so `received_at <= registered_at <= reviewed_at <= entered_at <= checked_at <= bound_at`, \
`printed_at` and `reports_reviewed_at` within 2 calendar days of `bound_at` / `entered_at`;
- `application_date` 0-20 days before receipt; `effective_date` between the application date \
and 60 days after it;
- `docs_received == docs_required`;
- sum_increase and reinstatement are referred to `underwriting`, the four payouts (surrender, \
partial_withdrawal, policy_loan, maturity_payment) to `finance`, with `referred_at` / \
`referral_returned_at` between review and entry; other types have no referral;
- premium_after > premium_before for sum_increase (premium collected > 0), < for sum_decrease \
(refund < 0), == for address_change and beneficiary_change; `premium_charged == \
premium_expected` to the cent;
- payouts: amount 0.01..5,000,000.00, `benefit_expected == benefit_paid == amount`, \
`benefit_paid_date` (the day of the double-check) <= `benefit_due_date`; non-payouts leave the \
benefit fields empty;
- `seal_required` true for every type except address_change and payment_mode_change, \
`seal_applied` equal to it; `notice_printed` true;
- six distinct operators from the branch's team, each holding the stage's role; the entry \
operator and the checker have the authority level the matrix requires for the change type and \
amount;
- a query (8% of cases) is opened after registration and closed before review ends.

## Planted errors

Each planted error is designed so that exactly the listed rule fires. Where one change \
unavoidably fires two rules both are listed (a policy loan above every authority band fails the \
entry operator's and the checker's authority; one person reviewing, keying and checking breaks \
both four-eyes rules). Three cases carry two independent errors. `manifest.csv` explains each \
one.

| rule | error point | severity | cases |
|---|---|---|---|
";

const README_OPEN: &str = "
## Open cases (must NOT fire)

Not yet bound: the timestamps of stages not reached are empty, as are their operators, the \
effective date, premium after/charged/expected and the report review (before entry), the benefit \
payment (before the double-check), `printed_at` (notice_printed false) and `seal_applied` \
(false). Rules that need those fields do not apply.

| case | state |
|---|---|
";

const README_END: &str = "
## Semantics the expected results rely on

- `N days` in a duration rule is the calendar-date difference, times of day ignored: entry at \
16:00 and review at 17:00 two days later (49 hours) passes; Friday entry and Monday review (3 \
calendar days, under one working day) fails.
- a date compared with a timestamp is midnight of that day (application dated the day of \
receipt passes `application_after_receipt`).
- `allowed` with `missing: fail`: an empty `notice_printed` / `seal_applied` fails.
- `authority`: an operator id not in `operators.csv` fails; a band's `up_to_amount` is \
inclusive; an amount above every band (policy_loan > 1,000,000.00) fails for everybody. The \
roster's `active_from`/`active_to` are not checked (no case uses the leaver).
- `compare` / `date_order` skip a case when either side is empty.

## Thresholds

This folder is dense with errors on purpose: its case defect rate and critical case rate breach \
`rules/thresholds.yaml`, so `policyqc check` on it exits 1 (use `fixtures/demo` for a run that \
stays inside the thresholds). No rule with 50+ applicable cases fails more than 10% of them here \
either.

## Regenerate

```sh
POLICYQC_REFRESH_FIXTURES=1 cargo nextest run --test fixtures_basic   # rewrites fixtures/basic
python3 fixtures/check_expected.py     # independent re-computation from rules/*.yaml
```

The builder (`tests/fixtures_basic/`) is deterministic (fixed seed, no clock): the files are \
byte-identical on every run, and `cargo nextest run --test fixtures_basic` fails when a \
committed file is not what it writes. Do not edit the files by hand; change the builder and \
regenerate.
";

#[test]
fn basic_fixture_is_what_the_builder_writes() {
    let folder = concat!(env!("CARGO_MANIFEST_DIR"), "/fixtures/basic");
    let refresh = std::env::var_os("POLICYQC_REFRESH_FIXTURES").is_some();
    let mut stale = Vec::new();
    for (name, text) in make_basic() {
        let path = format!("{folder}/{name}");
        let committed = std::fs::read_to_string(&path).unwrap_or_default();
        if committed == text {
            continue;
        }
        if refresh {
            std::fs::write(&path, &text).expect("write the fixture file");
            continue;
        }
        let line = committed
            .lines()
            .zip(text.lines())
            .position(|(a, b)| a != b)
            .unwrap_or_else(|| committed.lines().count().min(text.lines().count()));
        stale.push(format!(
            "{name}: first difference at line {}\n  committed: {:?}\n  built:     {:?}",
            line + 1,
            committed.lines().nth(line).unwrap_or("<end of file>"),
            text.lines().nth(line).unwrap_or("<end of file>"),
        ));
    }
    assert!(
        stale.is_empty(),
        "fixtures/basic is not what the builder writes (rewrite it with \
         POLICYQC_REFRESH_FIXTURES=1 cargo nextest run --test fixtures_basic):\n{}",
        stale.join("\n")
    );
}

#[test]
fn the_builder_is_deterministic() {
    assert!(make_basic() == make_basic());
}
