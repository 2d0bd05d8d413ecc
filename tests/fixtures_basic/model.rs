//! The reference format's case, the October 2026 working calendar, the roster and the clean
//! case: everything the planted errors (`specs.rs`) start from.

use std::collections::{BTreeMap, HashSet};

use chrono::{Datelike, Duration, NaiveDate, NaiveDateTime, NaiveTime, Timelike};

use policyqc::generate::cases::{
    APP_LAG_WEIGHTS, Buckets, F, PREMIUM_BUCKETS, fmt_money, payout_buckets,
};
pub use policyqc::generate::roster::{AUTHORITY, required_level};
use policyqc::generate::roster::{
    CHANGE_TYPES, FIRST_NAMES, LAST_NAMES, NON_FINANCIAL, PAYOUTS, TEAM_TEMPLATE, UNDERWRITING,
};

use crate::pyrandom::PyRandom;

pub type Date = NaiveDate;
pub type Stamp = NaiveDateTime;

pub fn date(y: i32, m: u32, d: u32) -> Date {
    NaiveDate::from_ymd_opt(y, m, d).expect("a valid date")
}

pub fn at(d: Date, h: u32, m: u32) -> Stamp {
    d.and_time(NaiveTime::from_hms_opt(h, m, 0).expect("a valid time"))
}

pub fn days(n: i64) -> Duration {
    Duration::days(n)
}

// ---- the reference format ------------------------------------------------------------------

/// The change types of the reference format, with their weights in a month, documents required
/// and seal, the payouts, the authority matrix and the operator names and posts: the same
/// tables as `policyqc generate` (which ports this builder's clean case).
pub fn is_payout(ctype: &str) -> bool {
    PAYOUTS.contains(&ctype)
}

pub fn is_underwriting(ctype: &str) -> bool {
    UNDERWRITING.contains(&ctype)
}

fn change_type(ctype: &str) -> (&'static str, u32, i64, bool) {
    *CHANGE_TYPES
        .iter()
        .find(|t| t.0 == ctype)
        .expect("a change type of the reference format")
}

/// One case row; `None` is an empty cell.
#[allow(
    clippy::struct_field_names,
    reason = "the fields are the reference format's columns"
)]
#[derive(Clone, Default)]
pub struct Case {
    pub case_id: String,
    pub policy_no: String,
    pub branch: &'static str,
    pub change_type: &'static str,
    pub application_date: Option<Date>,
    pub received_at: Stamp,
    pub registered_at: Option<Stamp>,
    pub reviewed_at: Option<Stamp>,
    pub entered_at: Option<Stamp>,
    pub checked_at: Option<Stamp>,
    pub bound_at: Option<Stamp>,
    pub printed_at: Option<Stamp>,
    pub effective_date: Option<Date>,
    pub intake_operator: Option<String>,
    pub reviewer: Option<String>,
    pub entry_operator: Option<String>,
    pub checker: Option<String>,
    pub binder: Option<String>,
    pub printer: Option<String>,
    pub amount: Option<i64>,
    pub premium_before: Option<i64>,
    pub premium_after: Option<i64>,
    pub premium_charged: Option<i64>,
    pub premium_expected: Option<i64>,
    pub docs_required: i64,
    pub docs_received: i64,
    pub query_opened_at: Option<Stamp>,
    pub query_closed_at: Option<Stamp>,
    pub referral_dept: Option<&'static str>,
    pub referred_at: Option<Stamp>,
    pub referral_returned_at: Option<Stamp>,
    pub seal_required: bool,
    pub seal_applied: Option<bool>,
    pub benefit_due_date: Option<Date>,
    pub benefit_paid_date: Option<Date>,
    pub benefit_expected: Option<i64>,
    pub benefit_paid: Option<i64>,
    pub reports_reviewed_at: Option<Stamp>,
    pub notice_printed: Option<bool>,
}

/// The columns of `cases.csv`, in the reference format's order.
pub fn case_fields() -> Vec<&'static str> {
    F::ALL.iter().map(|f| f.name()).collect()
}

/// Cents as `-1234.05`.
pub fn money(c: i64) -> String {
    let mut out = String::new();
    fmt_money(&mut out, c);
    out
}

/// Python's `datetime.strftime("%Y-%m-%d %H:%M:%S")`.
pub fn stamp(t: Stamp) -> String {
    t.format("%Y-%m-%d %H:%M:%S").to_string()
}

/// Python's `date.isoformat()`.
pub fn iso(d: Date) -> String {
    d.format("%Y-%m-%d").to_string()
}

impl Case {
    /// The cells in `case_fields()` order.
    pub fn row(&self) -> Vec<String> {
        fn opt<T>(v: Option<T>, f: impl Fn(T) -> String) -> String {
            v.map_or_else(String::new, f)
        }
        let text = |v: &Option<String>| v.clone().unwrap_or_default();
        let flag = |b: bool| if b { "true" } else { "false" }.to_owned();
        vec![
            self.case_id.clone(),
            self.policy_no.clone(),
            self.branch.to_owned(),
            self.change_type.to_owned(),
            opt(self.application_date, iso),
            stamp(self.received_at),
            opt(self.registered_at, stamp),
            opt(self.reviewed_at, stamp),
            opt(self.entered_at, stamp),
            opt(self.checked_at, stamp),
            opt(self.bound_at, stamp),
            opt(self.printed_at, stamp),
            opt(self.effective_date, iso),
            text(&self.intake_operator),
            text(&self.reviewer),
            text(&self.entry_operator),
            text(&self.checker),
            text(&self.binder),
            text(&self.printer),
            opt(self.amount, money),
            opt(self.premium_before, money),
            opt(self.premium_after, money),
            opt(self.premium_charged, money),
            opt(self.premium_expected, money),
            self.docs_required.to_string(),
            self.docs_received.to_string(),
            opt(self.query_opened_at, stamp),
            opt(self.query_closed_at, stamp),
            opt(self.referral_dept, str::to_owned),
            opt(self.referred_at, stamp),
            opt(self.referral_returned_at, stamp),
            flag(self.seal_required),
            opt(self.seal_applied, flag),
            opt(self.benefit_due_date, iso),
            opt(self.benefit_paid_date, iso),
            opt(self.benefit_expected, money),
            opt(self.benefit_paid, money),
            opt(self.reports_reviewed_at, stamp),
            opt(self.notice_printed, flag),
        ]
    }

    /// The operators working the case.
    pub fn ops(&self) -> HashSet<String> {
        [
            &self.intake_operator,
            &self.reviewer,
            &self.entry_operator,
            &self.checker,
            &self.binder,
            &self.printer,
        ]
        .into_iter()
        .flatten()
        .cloned()
        .collect()
    }
}

// ---- working calendar: October 2026 ----------------------------------------------------------

/// Working seconds in a day (09:00-12:00, 13:00-17:30).
const DAY_SECONDS: i64 = 7 * 3600 + 30 * 60;
const INTERVALS: [((u32, u32), (u32, u32)); 2] = [((9, 0), (12, 0)), ((13, 0), (17, 30))];

/// Mon-Fri except the Oct 1-2 holidays, plus the make-up Saturday Oct 10.
pub fn is_working_day(d: Date) -> bool {
    d == date(2026, 10, 10)
        || (d.weekday().num_days_from_monday() < 5
            && d != date(2026, 10, 1)
            && d != date(2026, 10, 2))
}

pub fn next_working_day(d: Date) -> Date {
    first_working_day_from(d + days(1))
}

pub fn first_working_day_from(mut d: Date) -> Date {
    while !is_working_day(d) {
        d += days(1);
    }
    d
}

/// `ts` moved forward by `seconds` of working time.
pub fn add_work(mut ts: Stamp, mut seconds: i64) -> Stamp {
    loop {
        let d = ts.date();
        if is_working_day(d) {
            for ((h0, m0), (h1, m1)) in INTERVALS {
                let (start, end) = (at(d, h0, m0), at(d, h1, m1));
                if ts < end {
                    let cur = ts.max(start);
                    let avail = (end - cur).num_seconds();
                    if seconds <= avail {
                        return cur + Duration::seconds(seconds);
                    }
                    seconds -= avail;
                    ts = end;
                }
            }
        }
        ts = at(d + days(1), 0, 0);
    }
}

/// Working seconds between `a` and `b` (0 when `b <= a`).
pub fn work_between(from: Stamp, to: Stamp) -> i64 {
    let (mut total, mut day) = (0, from.date());
    while day <= to.date() {
        if is_working_day(day) {
            for ((h0, m0), (h1, m1)) in INTERVALS {
                let start = from.max(at(day, h0, m0));
                let end = to.min(at(day, h1, m1));
                if end > start {
                    total += (end - start).num_seconds();
                }
            }
        }
        day += days(1);
    }
    total
}

/// A random moment inside the office hours of working day `d`.
pub fn office_time(rng: &mut PyRandom, d: Date) -> Stamp {
    assert!(is_working_day(d), "{d} is not a working day");
    add_work(at(d, 0, 0), rng.randint(0, DAY_SECONDS - 1))
}

/// A random working moment at or after `ts` on the same day.
pub fn same_day_after(rng: &mut PyRandom, ts: Stamp) -> Stamp {
    let rem = work_between(ts, at(ts.date(), 17, 30));
    if rem > 0 {
        add_work(ts, rng.randint(0, rem))
    } else {
        ts
    }
}

/// Some working time after `ts`, never more than 2 calendar days later.
fn within_two_days(rng: &mut PyRandom, ts: Stamp, lo_min: i64, hi_min: i64) -> Stamp {
    let cand = add_work(ts, rng.randint(lo_min * 60, hi_min * 60));
    if (cand.date() - ts.date()).num_days() > 2 {
        same_day_after(rng, ts)
    } else {
        cand
    }
}

/// A working-time gap in seconds: `lo..=hi` minutes plus random seconds.
pub fn gap(rng: &mut PyRandom, lo_min: i64, hi_min: i64) -> i64 {
    let minutes = rng.randint(lo_min, hi_min);
    minutes * 60 + rng.randint(0, 59)
}

pub fn before_half_past_four(ts: Stamp) -> bool {
    ts.num_seconds_from_midnight() < 16 * 3600 + 30 * 60
}

// ---- money ---------------------------------------------------------------------------------

/// A bucket of whole units by weight, then a uniform amount in cents inside it.
fn bucket_cents(rng: &mut PyRandom, buckets: Buckets) -> i64 {
    let ranges: Vec<(i64, i64)> = buckets.iter().map(|b| b.0).collect();
    let weights: Vec<u32> = buckets.iter().map(|b| b.1).collect();
    let (lo, hi) = *rng.choices(&ranges, &weights);
    rng.randint(lo * 100, hi * 100)
}

/// `(premium_before, premium_after, premium_charged, amount)` in cents for a clean case.
fn premiums(rng: &mut PyRandom, ctype: &str) -> (i64, i64, i64, i64) {
    let before = bucket_cents(rng, PREMIUM_BUCKETS);
    if NON_FINANCIAL.contains(&ctype) {
        return (before, before, 0, 0);
    }
    match ctype {
        "sum_increase" => {
            let after = before + before * rng.randint(10, 100) / 100;
            let charged = (after - before) * rng.choice(&[1, 1, 2, 3, 6, 12]);
            (before, after, charged, charged)
        }
        "sum_decrease" => {
            let after = before - before * rng.randint(10, 60) / 100;
            let charged = -(before - after) * rng.choice(&[1, 2, 3, 6]);
            (before, after, charged, -charged)
        }
        "payment_mode_change" => {
            let after = before * rng.choice(&[9, 26, 51, 196, 388, 1164]) / 100;
            let charged = if rng.random() < 0.6 {
                0
            } else {
                rng.randint(-5000, 15000)
            };
            (before, after, charged, charged.abs())
        }
        "reinstatement" => {
            let charged = before * rng.randint(1, 6) + rng.randint(0, before / 10);
            (before, before, charged, charged)
        }
        _ => {
            // payouts: no premium moves; surrender and maturity end the premium.
            let amount = bucket_cents(rng, payout_buckets(ctype));
            let after = if matches!(ctype, "surrender" | "maturity_payment") {
                0
            } else {
                before
            };
            (before, after, 0, amount)
        }
    }
}

// ---- operators -----------------------------------------------------------------------------

pub struct Operator {
    pub id: String,
    pub name: String,
    pub team: &'static str,
    pub roles: Vec<&'static str>,
    pub level: i64,
    pub active_from: Date,
    pub active_to: Option<Date>,
}

impl Operator {
    pub fn has(&self, role: &str) -> bool {
        self.roles.contains(&role)
    }
}

/// The operators in roster order; a team's members in the same order.
pub struct Roster {
    pub ops: Vec<Operator>,
}

impl Roster {
    pub fn get(&self, id: Option<&str>) -> Option<&Operator> {
        id.and_then(|id| self.ops.iter().find(|op| op.id == id))
    }

    pub fn team(&self, team: &str) -> impl Iterator<Item = &Operator> {
        self.ops.iter().filter(move |op| op.team == team)
    }

    pub fn level_of(&self, id: Option<&str>) -> i64 {
        self.get(id).map_or(-1, |op| op.level)
    }

    pub fn rows(&self) -> Vec<Vec<String>> {
        self.ops
            .iter()
            .map(|op| {
                vec![
                    op.id.clone(),
                    op.name.clone(),
                    op.team.to_owned(),
                    op.roles.join(";"),
                    op.level.to_string(),
                    iso(op.active_from),
                    op.active_to.map_or_else(String::new, iso),
                ]
            })
            .collect()
    }
}

/// `teams` of the template, then the `extra` `(team, roles, level, active_to)` members.
pub fn make_roster(
    rng: &mut PyRandom,
    teams: &[&'static str],
    extra: &[(&'static str, &'static str, i64, Option<Date>)],
) -> Roster {
    let mut names: Vec<String> = FIRST_NAMES
        .iter()
        .flat_map(|f| LAST_NAMES.iter().map(move |l| format!("{f} {l}")))
        .collect();
    rng.shuffle(&mut names);
    let members = teams
        .iter()
        .flat_map(|&team| {
            TEAM_TEMPLATE
                .iter()
                .map(move |&(roles, level)| (team, roles, level, None))
        })
        .chain(extra.iter().copied());
    let mut ops = Vec::new();
    for (n, (team, roles, level, active_to)) in members.enumerate() {
        let start = date(2018, 1, 1) + days(rng.randint(0, 8 * 365));
        ops.push(Operator {
            id: format!("OP{:03}", n + 1),
            name: names[n].clone(),
            team,
            roles: roles.split(';').collect(),
            level,
            active_from: start,
            active_to,
        });
    }
    Roster { ops }
}

/// The requested case cannot be built with these random draws (retry).
pub struct Infeasible;

/// An injection does not fit this case (try another).
pub struct Skip;

pub struct Ctx {
    pub rng: PyRandom,
    pub roster: Roster,
    /// branch -> the teams that work it
    pub team_for_branch: BTreeMap<&'static str, Vec<&'static str>>,
}

/// Overrides of a random case (`random_case`'s keyword arguments); `None` = the default.
#[derive(Clone, Copy, Default)]
pub struct Build {
    pub ctypes: Option<&'static [&'static str]>,
    pub query: Option<bool>,
    pub amount: Option<i64>,
    pub entry_level: Option<i64>,
    pub checker_level: Option<i64>,
    pub min_level: Option<i64>,
    pub stage: Option<&'static str>,
}

impl Build {
    pub const NONE: Build = Build {
        ctypes: None,
        query: None,
        amount: None,
        entry_level: None,
        checker_level: None,
        min_level: None,
        stage: None,
    };

    /// `self` updated with the keys `over` sets (Python's `dict.update`).
    pub fn update(self, over: Build) -> Build {
        Build {
            ctypes: over.ctypes.or(self.ctypes),
            query: over.query.or(self.query),
            amount: over.amount.or(self.amount),
            entry_level: over.entry_level.or(self.entry_level),
            checker_level: over.checker_level.or(self.checker_level),
            min_level: over.min_level.or(self.min_level),
            stage: over.stage.or(self.stage),
        }
    }
}

impl Ctx {
    /// An operator of the case's team (else any team) matching `pred`, not in `exclude`
    /// (default: the case's operators).
    pub fn find_op(
        &mut self,
        c: &Case,
        pred: impl Fn(&Operator) -> bool,
        exclude: Option<HashSet<String>>,
    ) -> Result<usize, Skip> {
        let exclude = exclude.unwrap_or_else(|| c.ops());
        let team = self
            .roster
            .get(c.intake_operator.as_deref())
            .expect("the intake operator is on the roster")
            .team;
        let fits = |op: &Operator| !exclude.contains(&op.id) && op.active_to.is_none() && pred(op);
        for in_team in [true, false] {
            let cands: Vec<usize> = (0..self.roster.ops.len())
                .filter(|&i| {
                    let op = &self.roster.ops[i];
                    (!in_team || op.team == team) && fits(op)
                })
                .collect();
            if !cands.is_empty() {
                return Ok(*self.rng.choice(&cands));
            }
        }
        Err(Skip)
    }

    /// The six operators of a clean case: distinct people with the stage's role, the entry
    /// operator and the checker with enough authority.
    fn pick_ops(&mut self, c: &mut Case, team: &str, b: &Build) -> Result<(), Infeasible> {
        let req = required_level(c.change_type, c.amount).ok_or(Infeasible)?;
        let need = req.max(b.min_level.unwrap_or(0));
        let mut used: HashSet<String> = HashSet::new();
        let order = [
            ("entry", b.entry_level),
            ("double_check", b.checker_level),
            ("review", None),
            ("intake", None),
            ("binding", None),
            ("printing", None),
        ];
        for (role, exact) in order {
            let pool: Vec<&Operator> = self
                .roster
                .team(team)
                .filter(|op| op.has(role) && !used.contains(&op.id) && op.active_to.is_none())
                .filter(|op| {
                    if !matches!(role, "entry" | "double_check") {
                        return true;
                    }
                    match exact {
                        Some(exact) => op.level == exact && exact >= need,
                        None => op.level >= need,
                    }
                })
                .collect();
            if pool.is_empty() {
                return Err(Infeasible);
            }
            let id = self.rng.choice(&pool).id.clone();
            used.insert(id.clone());
            let field = match role {
                "entry" => &mut c.entry_operator,
                "double_check" => &mut c.checker,
                "review" => &mut c.reviewer,
                "intake" => &mut c.intake_operator,
                "binding" => &mut c.binder,
                _ => &mut c.printer,
            };
            *field = Some(id);
        }
        Ok(())
    }

    /// A complete (printed) clean case.
    fn build_case(
        &mut self,
        branch: &'static str,
        ctype: &'static str,
        received: Stamp,
        query: bool,
        b: &Build,
    ) -> Result<Case, Infeasible> {
        let teams = self.team_for_branch[branch].clone();
        let team = *self.rng.choice(&teams);
        let rng = &mut self.rng;
        let mut c = Case {
            policy_no: format!("P{}", rng.randrange(100_000_000, 1_000_000_000)),
            branch,
            change_type: ctype,
            received_at: received,
            ..Case::default()
        };
        let lags: Vec<i64> = (0..21).collect();
        let app = received.date() - days(*rng.choices(&lags, &APP_LAG_WEIGHTS));
        c.application_date = Some(app);

        let (before, after, mut charged, mut amt) = premiums(rng, ctype);
        if let Some(amount) = b.amount {
            amt = amount;
            if ctype == "sum_increase" {
                charged = amount;
            } else if ctype == "sum_decrease" {
                charged = -amount;
            }
        }
        c.premium_before = Some(before);
        c.premium_after = Some(after);
        c.premium_charged = Some(charged);
        c.premium_expected = Some(charged);
        c.amount = Some(amt);
        self.pick_ops(&mut c, team, b)?;

        let rng = &mut self.rng;
        let reg = add_work(received, gap(rng, 5, 60));
        let rev = if query {
            let qo = add_work(reg, gap(rng, 30, 300));
            let qc = add_work(qo, gap(rng, 240, 2700));
            c.query_opened_at = Some(qo);
            c.query_closed_at = Some(qc);
            add_work(qc, gap(rng, 20, 240))
        } else {
            add_work(reg, gap(rng, 30, 600))
        };
        let dept = if is_underwriting(ctype) {
            Some("underwriting")
        } else if is_payout(ctype) {
            Some("finance")
        } else {
            None
        };
        let ent = if dept.is_some() {
            let reff = add_work(rev, gap(rng, 15, 180));
            let ret = add_work(reff, gap(rng, 240, 1350));
            c.referral_dept = dept;
            c.referred_at = Some(reff);
            c.referral_returned_at = Some(ret);
            add_work(ret, gap(rng, 20, 300))
        } else {
            add_work(rev, gap(rng, 30, 600))
        };
        let chk = add_work(ent, gap(rng, 20, 480));
        let bnd = add_work(chk, gap(rng, 20, 600));
        c.registered_at = Some(reg);
        c.reviewed_at = Some(rev);
        c.entered_at = Some(ent);
        c.checked_at = Some(chk);
        c.bound_at = Some(bnd);
        c.reports_reviewed_at = Some(within_two_days(rng, ent, 5, 480));
        c.printed_at = Some(within_two_days(rng, bnd, 5, 600));
        c.notice_printed = Some(true);

        let eff = received.date() + days(rng.randint(0, 14));
        c.effective_date = Some(eff.max(app).min(app + days(60)));
        c.docs_required = change_type(ctype).2 + i64::from(rng.random() < 0.2);
        c.docs_received = c.docs_required;
        c.seal_required = change_type(ctype).3;
        c.seal_applied = Some(c.seal_required);
        if is_payout(ctype) {
            let paid = chk.date();
            let mut due = received.date() + days(rng.randint(7, 14));
            if due < paid {
                due = paid + days(rng.randint(0, 3));
            }
            c.benefit_due_date = Some(due);
            c.benefit_paid_date = Some(paid);
            c.benefit_expected = Some(amt);
            c.benefit_paid = Some(amt);
        }
        Ok(c)
    }

    /// A random case of the month, built as `b` asks, cut at its stage when it has one.
    pub fn random_case(
        &mut self,
        days: &[Date],
        branches: &[(&'static str, u32)],
        b: &Build,
    ) -> Result<Case, Infeasible> {
        let names: Vec<&'static str> = branches.iter().map(|b| b.0).collect();
        let weights: Vec<u32> = branches.iter().map(|b| b.1).collect();
        let branch = *self.rng.choices(&names, &weights);
        let ctype = if let Some(ctypes) = b.ctypes {
            *self.rng.choice(ctypes)
        } else {
            let names: Vec<&'static str> = CHANGE_TYPES.iter().map(|t| t.0).collect();
            let weights: Vec<u32> = CHANGE_TYPES.iter().map(|t| t.1).collect();
            *self.rng.choices(&names, &weights)
        };
        let query = match b.query {
            Some(q) => q,
            None => self.rng.random() < 0.08,
        };
        let day = *self.rng.choice(days);
        let received = office_time(&mut self.rng, day);
        let mut c = self.build_case(branch, ctype, received, query, b)?;
        if let Some(stage) = b.stage {
            let cut = match stage {
                "received" => Some(c.received_at),
                "registered" => c.registered_at,
                "query_open" => c.query_opened_at,
                "reviewed" => c.reviewed_at,
                "referred" => c.referred_at,
                "entered" => c.entered_at,
                "checked" => c.checked_at,
                other => panic!("unknown stage {other}"),
            };
            truncate(&mut c, cut.ok_or(Infeasible)?);
        }
        Ok(c)
    }
}

/// The case as it stood at `cutoff`: stages finished later are empty, with their operators
/// and the fields they produce.
fn truncate(c: &mut Case, cutoff: Stamp) {
    let mut gone = false;
    let chain: [(&mut Option<Stamp>, Option<&mut Option<String>>); 5] = [
        (&mut c.registered_at, None),
        (&mut c.reviewed_at, Some(&mut c.reviewer)),
        (&mut c.entered_at, Some(&mut c.entry_operator)),
        (&mut c.checked_at, Some(&mut c.checker)),
        (&mut c.bound_at, Some(&mut c.binder)),
    ];
    for (stage, op) in chain {
        if gone || stage.expect("a complete case") > cutoff {
            gone = true;
            *stage = None;
            if let Some(op) = op {
                *op = None;
            }
        }
    }
    let later = |t: Option<Stamp>| t.is_some_and(|t| t > cutoff);
    if later(c.query_opened_at) {
        c.query_opened_at = None;
        c.query_closed_at = None;
    } else if later(c.query_closed_at) {
        c.query_closed_at = None;
    }
    if later(c.referred_at) {
        c.referred_at = None;
        c.referral_returned_at = None;
        c.referral_dept = None;
    } else if later(c.referral_returned_at) {
        c.referral_returned_at = None;
    }
    if c.entered_at.is_none() {
        c.effective_date = None;
        c.reports_reviewed_at = None;
        c.premium_after = None;
        c.premium_charged = None;
        c.premium_expected = None;
        if !is_payout(c.change_type) {
            c.amount = None;
        }
    } else if later(c.reports_reviewed_at) {
        c.reports_reviewed_at = Some(cutoff);
    }
    if c.checked_at.is_none() && is_payout(c.change_type) {
        c.benefit_paid_date = None;
        c.benefit_paid = None;
    }
    if c.bound_at.is_none() {
        c.printed_at = None;
        c.printer = None;
        c.notice_printed = Some(false);
        c.seal_applied = Some(false);
    } else if later(c.printed_at) {
        c.printed_at = Some(cutoff);
    }
}
