//! One policy-change case: its fields (the `cases` table of SCHEMA.md), how a clean case is
//! built, its timeline through the six stages, and the case as it stands at the export moment.
//!
//! # A clean case
//! A clean case breaks no rule of the default pack. It is built as the `fixtures/basic` builder
//! (`tests/fixtures_basic/model.rs`) builds one (whose clean cases and injections were proven against the engine), with waits
//! and handling times per task:
//!
//! - received on a working day in office hours; intake registers it minutes later; review,
//!   entry, double-check, binding and printing follow, each task waiting in a queue
//!   (assigned -> started) and then handled (started -> completed), handling times scaled by
//!   the operator's speed; every timestamp inside working hours;
//! - a customer query (7% of cases) is raised during review and answered 0.5-6 working days
//!   later; review resumes after the answer;
//! - sum increases and reinstatements are referred to underwriting, the four payouts to
//!   finance, for 0.3-3 working days, between review and the end of entry;
//! - the system reports are reviewed within 2 calendar days of the (first) entry, the notice
//!   printed within 2 calendar days of binding;
//! - application 0-20 days before receipt; effective date 0-14 days after receipt, kept
//!   between the application date and 60 days after it;
//! - six distinct operators of one team of the branch, each with the stage's role; the entry
//!   clerk and the checker hold the authority level the matrix requires;
//! - money in integer cents: premium differences that fit each change type, payouts from
//!   type-specific amount bands, `premium_charged == premium_expected`, benefits paid in full
//!   on the day of the double-check, before their due date.
//!
//! # Rework
//! When the checker catches an error (see [`super::errors`]), the first double-check ends
//! with outcome `returned`, entry is done again and a second double-check approves it.
//! `entered_at` and `checked_at` are then the second entry's and the approval's completion.
//!
//! # The export moment (cut-off)
//! Data is exported at the end of the period's last working day. A case is shown as it stood
//! then ([`truncate`]): stages not finished are empty with their operators; before entry the
//! keyed fields are empty; before the double-check no benefit is paid; before binding no seal
//! is applied and no notice printed. A case returned by the checker and not yet re-entered
//! shows entry as not done: the checker's return voids the wrong keying.

use chrono::{Datelike, Duration, NaiveDate, NaiveDateTime};
use rand::RngExt;
use rand_chacha::ChaCha8Rng;

use super::calendar::{WorkClock, skewed, triangular};
use super::roster::{self, CHANGE_TYPES, NON_FINANCIAL, PAYOUTS, Role, Roster, UNDERWRITING};
use crate::schema::FieldType;

macro_rules! fields {
    ($($v:ident = $name:literal : $ty:ident),* $(,)?) => {
        /// A field of the `cases` table, in SCHEMA.md's column order.
        #[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
        #[allow(missing_docs)]
        pub enum F { $($v),* }

        impl F {
            /// Every field, in column order.
            pub const ALL: &'static [F] = &[$(F::$v),*];

            /// The column name.
            #[must_use]
            pub fn name(self) -> &'static str {
                match self { $(F::$v => $name),* }
            }

            /// The field's type.
            #[must_use]
            pub fn ty(self) -> FieldType {
                match self { $(F::$v => FieldType::$ty),* }
            }
        }
    };
}

fields! {
    CaseId = "case_id": Text,
    PolicyNo = "policy_no": Text,
    Branch = "branch": Text,
    ChangeType = "change_type": Text,
    ApplicationDate = "application_date": Date,
    ReceivedAt = "received_at": DateTime,
    RegisteredAt = "registered_at": DateTime,
    ReviewedAt = "reviewed_at": DateTime,
    EnteredAt = "entered_at": DateTime,
    CheckedAt = "checked_at": DateTime,
    BoundAt = "bound_at": DateTime,
    PrintedAt = "printed_at": DateTime,
    EffectiveDate = "effective_date": Date,
    IntakeOperator = "intake_operator": Text,
    Reviewer = "reviewer": Text,
    EntryOperator = "entry_operator": Text,
    Checker = "checker": Text,
    Binder = "binder": Text,
    Printer = "printer": Text,
    Amount = "amount": Money,
    PremiumBefore = "premium_before": Money,
    PremiumAfter = "premium_after": Money,
    PremiumCharged = "premium_charged": Money,
    PremiumExpected = "premium_expected": Money,
    DocsRequired = "docs_required": Integer,
    DocsReceived = "docs_received": Integer,
    QueryOpenedAt = "query_opened_at": DateTime,
    QueryClosedAt = "query_closed_at": DateTime,
    ReferralDept = "referral_dept": Text,
    ReferredAt = "referred_at": DateTime,
    ReferralReturnedAt = "referral_returned_at": DateTime,
    SealRequired = "seal_required": Bool,
    SealApplied = "seal_applied": Bool,
    BenefitDueDate = "benefit_due_date": Date,
    BenefitPaidDate = "benefit_paid_date": Date,
    BenefitExpected = "benefit_expected": Money,
    BenefitPaid = "benefit_paid": Money,
    ReportsReviewedAt = "reports_reviewed_at": DateTime,
    NoticePrinted = "notice_printed": Bool,
}

/// A field's value. Money is integer cents; operators are indices into the roster.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub enum Val {
    /// Empty.
    #[default]
    Null,
    /// Text owned by the case (policy number, case id).
    Text(String),
    /// Text from a fixed list (branch, change type, department).
    Sym(&'static str),
    /// An operator: index into [`Roster::ops`].
    Op(u16),
    /// A whole number.
    Int(i64),
    /// Money in cents.
    Money(i64),
    /// A boolean.
    Bool(bool),
    /// A date.
    Date(NaiveDate),
    /// A timestamp.
    Dt(NaiveDateTime),
}

/// One case: a value per [`F`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Case {
    v: Vec<Val>,
}

impl Default for Case {
    fn default() -> Self {
        Self {
            v: vec![Val::Null; F::ALL.len()],
        }
    }
}

impl Case {
    /// A field's value.
    #[must_use]
    pub fn get(&self, f: F) -> &Val {
        &self.v[f as usize]
    }

    /// Sets a field.
    pub fn set(&mut self, f: F, v: Val) {
        self.v[f as usize] = v;
    }

    /// Empties a field.
    pub fn clear(&mut self, f: F) {
        self.v[f as usize] = Val::Null;
    }

    /// Whether a field is present.
    #[must_use]
    pub fn has(&self, f: F) -> bool {
        !matches!(self.get(f), Val::Null)
    }

    /// A timestamp field.
    #[must_use]
    pub fn dt(&self, f: F) -> Option<NaiveDateTime> {
        match self.get(f) {
            Val::Dt(t) => Some(*t),
            _ => None,
        }
    }

    /// A date field.
    #[must_use]
    pub fn date(&self, f: F) -> Option<NaiveDate> {
        match self.get(f) {
            Val::Date(d) => Some(*d),
            _ => None,
        }
    }

    /// A money field in cents.
    #[must_use]
    pub fn money(&self, f: F) -> Option<i64> {
        match self.get(f) {
            Val::Money(c) => Some(*c),
            _ => None,
        }
    }

    /// An integer field.
    #[must_use]
    pub fn int(&self, f: F) -> Option<i64> {
        match self.get(f) {
            Val::Int(i) => Some(*i),
            _ => None,
        }
    }

    /// A boolean field.
    #[must_use]
    pub fn bool(&self, f: F) -> Option<bool> {
        match self.get(f) {
            Val::Bool(b) => Some(*b),
            _ => None,
        }
    }

    /// An operator field (roster index).
    #[must_use]
    pub fn op(&self, f: F) -> Option<usize> {
        match self.get(f) {
            Val::Op(i) => Some(usize::from(*i)),
            _ => None,
        }
    }

    /// A text field.
    #[must_use]
    pub fn text(&self, f: F) -> Option<&str> {
        match self.get(f) {
            Val::Text(s) => Some(s),
            Val::Sym(s) => Some(s),
            _ => None,
        }
    }

    /// The change type.
    #[must_use]
    pub fn change_type(&self) -> &str {
        self.text(F::ChangeType).unwrap_or_default()
    }

    /// Copies into `target` every field where `after` differs from `self` (what a mutation of
    /// the exported case changed, carried over to the full timeline).
    pub fn carry_changes(&self, after: &Case, target: &mut Case) {
        for (i, (a, b)) in self.v.iter().zip(&after.v).enumerate() {
            if a != b {
                target.v[i] = b.clone();
            }
        }
    }
}

/// Money in cents as written: `-12.05`.
pub fn fmt_money(out: &mut String, cents: i64) {
    use std::fmt::Write as _;
    let sign = if cents < 0 { "-" } else { "" };
    let c = cents.unsigned_abs();
    let _ = write!(out, "{sign}{}.{:02}", c / 100, c % 100);
}

/// When each task started (the natural times of the timeline; the task list clamps them to
/// the task's assigned and completed times).
#[derive(Debug, Clone, Default)]
pub struct Starts {
    /// Intake.
    pub intake: Option<NaiveDateTime>,
    /// Review (before the query, if any).
    pub review1: Option<NaiveDateTime>,
    /// Review after the customer's answer.
    pub review2: Option<NaiveDateTime>,
    /// Entry (before the referral, if any).
    pub entry1: Option<NaiveDateTime>,
    /// The other department picks the referral up.
    pub referral: Option<NaiveDateTime>,
    /// Entry after the referral returned.
    pub entry2: Option<NaiveDateTime>,
    /// The approving double-check.
    pub check: Option<NaiveDateTime>,
    /// Binding.
    pub bind: Option<NaiveDateTime>,
    /// Printing.
    pub print: Option<NaiveDateTime>,
}

/// A return at double-check and the second entry.
#[derive(Debug, Clone, Copy)]
pub struct Rework {
    /// The first entry's completion.
    pub ent1: NaiveDateTime,
    /// The first double-check started.
    pub check1_started: NaiveDateTime,
    /// The checker returned the case to entry.
    pub returned: NaiveDateTime,
    /// The second entry started.
    pub reentry_started: NaiveDateTime,
}

/// What the case table does not hold but the task list needs.
#[derive(Debug, Clone, Default)]
pub struct Process {
    /// The team that worked the case.
    pub team: usize,
    /// Task start times.
    pub starts: Starts,
    /// The return at double-check, when the checker caught an error.
    pub rework: Option<Rework>,
    /// When the approving double-check completed in the timeline (binding's assignment).
    pub check_done: Option<NaiveDateTime>,
    /// Whether the case has a customer query (drawn once).
    pub query: bool,
}

/// Durations (working seconds) and fractions drawn once per case, so that the timeline with
/// and without rework agrees up to the first double-check.
#[derive(Debug, Clone)]
pub struct Draws {
    intake_wait: i64,
    intake_h: i64,
    review_wait: i64,
    review_h: i64,
    review_h1: i64,
    query_delay: i64,
    review_wait2: i64,
    review_h2: i64,
    entry_wait: i64,
    entry_h_ref: i64,
    dept_wait: i64,
    dept_delay: i64,
    entry_wait2: i64,
    entry_h: i64,
    check_wait: i64,
    check_h: i64,
    return_h: i64,
    reentry_wait: i64,
    reentry_h: i64,
    check_wait2: i64,
    check_h2: i64,
    bind_wait: i64,
    bind_h: i64,
    print_wait: i64,
    print_h: i64,
    reports_after: i64,
    u_reports: f64,
    u_print: f64,
    due_days: i64,
    due_extra: i64,
}

/// Everything a case generator reads.
#[derive(Debug)]
pub struct Ctx<'a> {
    /// Working time.
    pub clock: &'a WorkClock,
    /// The department.
    pub roster: &'a Roster,
    /// The export moment.
    pub cutoff: NaiveDateTime,
}

const MIN: i64 = 60;
const HOUR: i64 = 3600;

/// `lo..=hi` minutes plus random seconds (as the `fixtures/basic` builder's `gap`).
pub fn gap(rng: &mut ChaCha8Rng, lo_min: i64, hi_min: i64) -> i64 {
    rng.random_range(lo_min..=hi_min) * MIN + rng.random_range(0..=59_i64)
}

fn scaled(secs: f64, speed: f64) -> i64 {
    (secs * speed).round() as i64
}

impl Draws {
    fn new(rng: &mut ChaCha8Rng, day: i64, speed: impl Fn(Role) -> f64) -> Self {
        let wait = |rng: &mut ChaCha8Rng, max_h: f64| {
            (skewed(rng, 0.0, max_h) * HOUR as f64).round() as i64
        };
        let handle = |rng: &mut ChaCha8Rng, lo_min: f64, hi_min: f64, role: Role| {
            scaled(
                triangular(rng, lo_min, lo_min + (hi_min - lo_min) * 0.3, hi_min) * 60.0,
                speed(role),
            )
            .max(MIN)
        };
        let days = |rng: &mut ChaCha8Rng, lo: f64, mode: f64, hi: f64| {
            (triangular(rng, lo, mode, hi) * day as f64).round() as i64
        };
        Self {
            intake_wait: (skewed(rng, 0.0, 10.0) * 60.0).round() as i64,
            intake_h: handle(rng, 5.0, 40.0, Role::Intake),
            review_wait: wait(rng, 6.0),
            review_h: handle(rng, 15.0, 120.0, Role::Review),
            review_h1: handle(rng, 10.0, 60.0, Role::Review),
            query_delay: days(rng, 0.5, 1.5, 6.0),
            review_wait2: wait(rng, 3.0),
            review_h2: handle(rng, 10.0, 60.0, Role::Review),
            entry_wait: wait(rng, 7.5),
            entry_h_ref: handle(rng, 15.0, 60.0, Role::Entry),
            dept_wait: wait(rng, 4.0),
            dept_delay: days(rng, 0.3, 1.0, 3.0),
            entry_wait2: wait(rng, 4.0),
            entry_h: handle(rng, 30.0, 240.0, Role::Entry),
            check_wait: wait(rng, 6.0),
            check_h: handle(rng, 10.0, 90.0, Role::DoubleCheck),
            return_h: handle(rng, 10.0, 60.0, Role::DoubleCheck),
            reentry_wait: wait(rng, 4.0),
            reentry_h: handle(rng, 20.0, 120.0, Role::Entry),
            check_wait2: wait(rng, 3.0),
            check_h2: handle(rng, 10.0, 45.0, Role::DoubleCheck),
            bind_wait: wait(rng, 7.5),
            bind_h: handle(rng, 15.0, 120.0, Role::Binding),
            print_wait: wait(rng, 4.0),
            print_h: handle(rng, 5.0, 30.0, Role::Printing),
            reports_after: gap(rng, 5, 480),
            u_reports: rng.random(),
            u_print: rng.random(),
            due_days: rng.random_range(7..=14_i64),
            due_extra: rng.random_range(0..=3_i64),
        }
    }
}

/// Amount bands `(lo, hi)` in whole units with weights.
pub type Buckets = &'static [((i64, i64), u32)];

/// A clean case's premium before the change (shared with the `fixtures/basic` builder).
pub const PREMIUM_BUCKETS: Buckets = &[
    ((20, 100), 30),
    ((100, 500), 45),
    ((500, 2000), 20),
    ((2000, 8000), 5),
];

/// A payout's amount by change type (shared with the `fixtures/basic` builder).
#[must_use]
pub fn payout_buckets(change_type: &str) -> Buckets {
    match change_type {
        "surrender" => &[
            ((1000, 20000), 30),
            ((20000, 50000), 30),
            ((50000, 200_000), 30),
            ((200_000, 1_500_000), 10),
        ],
        "partial_withdrawal" => &[
            ((500, 10000), 35),
            ((10000, 30000), 35),
            ((30000, 100_000), 22),
            ((100_000, 400_000), 8),
        ],
        "policy_loan" => &[
            ((500, 5000), 30),
            ((5000, 20000), 35),
            ((20000, 100_000), 27),
            ((100_000, 800_000), 8),
        ],
        _ => &[
            ((5000, 50000), 35),
            ((50000, 100_000), 30),
            ((100_000, 500_000), 28),
            ((500_000, 2_000_000), 7),
        ],
    }
}

/// Picks an index by integer weights.
pub fn weighted(rng: &mut ChaCha8Rng, weights: impl Iterator<Item = u32> + Clone) -> usize {
    let total: u32 = weights.clone().sum();
    let mut x = rng.random_range(0..total);
    for (i, w) in weights.enumerate() {
        if x < w {
            return i;
        }
        x -= w;
    }
    unreachable!("x < total")
}

fn bucket_cents(rng: &mut ChaCha8Rng, buckets: Buckets) -> i64 {
    let i = weighted(rng, buckets.iter().map(|b| b.1));
    let (lo, hi) = buckets[i].0;
    rng.random_range(lo * 100..=hi * 100)
}

/// `(premium_before, premium_after, premium_charged, amount)` in cents for a clean case.
fn premiums(rng: &mut ChaCha8Rng, change_type: &str) -> (i64, i64, i64, i64) {
    let before = bucket_cents(rng, PREMIUM_BUCKETS);
    match change_type {
        t if NON_FINANCIAL.contains(&t) => (before, before, 0, 0),
        "sum_increase" => {
            let after = before + before * rng.random_range(10..=100_i64) / 100;
            let charged =
                (after - before) * [1, 1, 2, 3, 6, 12][rng.random_range(0..6_u32) as usize];
            (before, after, charged, charged)
        }
        "sum_decrease" => {
            let after = before - before * rng.random_range(10..=60_i64) / 100;
            let charged = -(before - after) * [1, 2, 3, 6][rng.random_range(0..4_u32) as usize];
            (before, after, charged, -charged)
        }
        "payment_mode_change" => {
            let after =
                before * [9, 26, 51, 196, 388, 1164][rng.random_range(0..6_u32) as usize] / 100;
            let charged = if rng.random::<f64>() < 0.6 {
                0
            } else {
                rng.random_range(-5000..=15000_i64)
            };
            (before, after, charged, charged.abs())
        }
        "reinstatement" => {
            let charged = before * rng.random_range(1..=6_i64) + rng.random_range(0..=before / 10);
            (before, before, charged, charged)
        }
        t => {
            let amount = bucket_cents(rng, payout_buckets(t));
            let after = if matches!(t, "surrender" | "maturity_payment") {
                0
            } else {
                before
            };
            (before, after, 0, amount)
        }
    }
}

/// Weights of the application's age at receipt, 0..=20 days (as the `fixtures/basic` builder).
pub const APP_LAG_WEIGHTS: [u32; 21] = [
    14, 14, 12, 10, 9, 8, 7, 6, 5, 4, 4, 3, 3, 2, 2, 2, 1, 1, 1, 1, 1,
];

/// The six operators of a clean case: distinct members of the team holding each stage's role,
/// the entry clerk and checker with the level the amount requires. `None` when the team has
/// nobody with that authority.
fn pick_ops(rng: &mut ChaCha8Rng, roster: &Roster, team: usize, required: i64) -> Option<[u16; 6]> {
    let order = [
        Role::Entry,
        Role::DoubleCheck,
        Role::Review,
        Role::Intake,
        Role::Binding,
        Role::Printing,
    ];
    let mut chosen = [0u16; 6];
    let mut pool: Vec<usize> = Vec::with_capacity(10);
    for (slot, role) in order.iter().enumerate() {
        pool.clear();
        pool.extend(roster.teams[team].members.iter().copied().filter(|&i| {
            let op = &roster.ops[i];
            op.has(*role)
                && !chosen[..slot].contains(&(i as u16))
                && (!matches!(role, Role::Entry | Role::DoubleCheck) || op.level >= required)
        }));
        if pool.is_empty() {
            return None;
        }
        chosen[slot] = pool[rng.random_range(0..pool.len() as u32) as usize] as u16;
    }
    // Column order: intake, review, entry, check, binding, printing.
    Some([
        chosen[3], chosen[2], chosen[0], chosen[1], chosen[4], chosen[5],
    ])
}

/// The operator fields in stage order.
pub const OP_FIELDS: [F; 6] = [
    F::IntakeOperator,
    F::Reviewer,
    F::EntryOperator,
    F::Checker,
    F::Binder,
    F::Printer,
];

/// Builds a clean case received at `received` (full timeline, no rework, not cut off) with the
/// durations it was laid out with.
pub fn build_clean(
    rng: &mut ChaCha8Rng,
    ctx: &Ctx<'_>,
    received: NaiveDateTime,
    case_id: String,
) -> (Case, Process, Draws) {
    let roster = ctx.roster;
    let b = weighted(rng, roster::BRANCHES.iter().map(|b| b.1));
    let teams = &roster.branch_teams[b];
    let team = teams[rng.random_range(0..teams.len() as u32) as usize];
    let t = weighted(rng, CHANGE_TYPES.iter().map(|t| t.1));
    let (change_type, _, docs, seal) = CHANGE_TYPES[t];
    let query = rng.random::<f64>() < 0.07;

    let (mut before, mut after, mut charged, mut amount);
    let ops = loop {
        (before, after, charged, amount) = premiums(rng, change_type);
        let required = roster::required_level(change_type, Some(amount)).unwrap_or(i64::MAX);
        if let Some(ops) = pick_ops(rng, roster, team, required) {
            break ops;
        }
    };
    let mut c = Case::default();
    c.set(F::CaseId, Val::Text(case_id));
    c.set(
        F::PolicyNo,
        Val::Text(format!(
            "P{}",
            rng.random_range(100_000_000..1_000_000_000_u64)
        )),
    );
    c.set(F::Branch, Val::Sym(roster::BRANCHES[b].0));
    c.set(F::ChangeType, Val::Sym(change_type));
    let app =
        received.date() - Duration::days(weighted(rng, APP_LAG_WEIGHTS.iter().copied()) as i64);
    c.set(F::ApplicationDate, Val::Date(app));
    c.set(F::ReceivedAt, Val::Dt(received));
    for (f, op) in OP_FIELDS.iter().zip(ops) {
        c.set(*f, Val::Op(op));
    }
    c.set(F::Amount, Val::Money(amount));
    c.set(F::PremiumBefore, Val::Money(before));
    c.set(F::PremiumAfter, Val::Money(after));
    c.set(F::PremiumCharged, Val::Money(charged));
    c.set(F::PremiumExpected, Val::Money(charged));
    let eff = received.date() + Duration::days(rng.random_range(0..=14_i64));
    c.set(
        F::EffectiveDate,
        Val::Date(eff.max(app).min(app + Duration::days(60))),
    );
    let required_docs = docs + i64::from(rng.random::<f64>() < 0.2);
    c.set(F::DocsRequired, Val::Int(required_docs));
    c.set(F::DocsReceived, Val::Int(required_docs));
    c.set(F::SealRequired, Val::Bool(seal));
    c.set(F::SealApplied, Val::Bool(seal));
    if PAYOUTS.contains(&change_type) {
        c.set(F::BenefitExpected, Val::Money(amount));
        c.set(F::BenefitPaid, Val::Money(amount));
    }
    let speed_of = |role: Role| {
        let f = match role {
            Role::Intake => F::IntakeOperator,
            Role::Review => F::Reviewer,
            Role::Entry => F::EntryOperator,
            Role::DoubleCheck => F::Checker,
            Role::Binding => F::Binder,
            Role::Printing => F::Printer,
        };
        c.op(f).map_or(1.0, |i| roster.ops[i].speed)
    };
    let draws = Draws::new(rng, ctx.clock.day_seconds, speed_of);
    let mut p = Process {
        team,
        query,
        ..Process::default()
    };
    compose(&mut c, &mut p, &draws, ctx.clock, false);
    (c, p, draws)
}

/// Lays out the timeline of `c` from its receipt with the drawn durations, with or without a
/// return at double-check. Sets the stage timestamps, query, referral, reports review,
/// printing, benefit dates, and the process's start times.
pub fn compose(c: &mut Case, p: &mut Process, d: &Draws, clock: &WorkClock, rework: bool) {
    let at = |t: NaiveDateTime| Val::Dt(t);
    let received = c.dt(F::ReceivedAt).expect("received");
    let s = &mut p.starts;
    let intake = clock.after(received, d.intake_wait);
    let reg = clock.after(intake, d.intake_h);
    s.intake = Some(intake);
    let review1 = clock.after(reg, d.review_wait);
    s.review1 = Some(review1);
    let rev = if p.query {
        let qo = clock.after(review1, d.review_h1);
        let qc = clock.after(qo, d.query_delay);
        let review2 = clock.after(qc, d.review_wait2);
        s.review2 = Some(review2);
        c.set(F::QueryOpenedAt, at(qo));
        c.set(F::QueryClosedAt, at(qc));
        clock.after(review2, d.review_h2)
    } else {
        clock.after(review1, d.review_h)
    };
    let entry1 = clock.after(rev, d.entry_wait);
    s.entry1 = Some(entry1);
    let ct = c.change_type();
    let dept = if UNDERWRITING.contains(&ct) {
        Some("underwriting")
    } else if PAYOUTS.contains(&ct) {
        Some("finance")
    } else {
        None
    };
    let ent1 = if let Some(dept) = dept {
        let referred = clock.after(entry1, d.entry_h_ref);
        let picked = clock.after(referred, d.dept_wait);
        let returned = clock.after(picked, d.dept_delay);
        let entry2 = clock.after(returned, d.entry_wait2);
        s.referral = Some(picked);
        s.entry2 = Some(entry2);
        c.set(F::ReferralDept, Val::Sym(dept));
        c.set(F::ReferredAt, at(referred));
        c.set(F::ReferralReturnedAt, at(returned));
        clock.after(entry2, d.entry_h)
    } else {
        clock.after(entry1, d.entry_h)
    };
    let check1 = clock.after(ent1, d.check_wait);
    let (ent, check_start, chk) = if rework {
        let returned = clock.after(check1, d.return_h);
        let reentry = clock.after(returned, d.reentry_wait);
        let ent2 = clock.after(reentry, d.reentry_h);
        let start = clock.after(ent2, d.check_wait2);
        p.rework = Some(Rework {
            ent1,
            check1_started: check1,
            returned,
            reentry_started: reentry,
        });
        (ent2, start, clock.after(start, d.check_h2))
    } else {
        p.rework = None;
        (ent1, check1, clock.after(check1, d.check_h))
    };
    s.check = Some(check_start);
    p.check_done = Some(chk);
    let bind = clock.after(chk, d.bind_wait);
    let bound = clock.after(bind, d.bind_h);
    s.bind = Some(bind);
    let print = clock.after(bound, d.print_wait);
    let printed = within_two_days(clock, bound, d.print_wait + d.print_h, d.u_print);
    s.print = Some(print.min(printed));
    c.set(F::RegisteredAt, at(reg));
    c.set(F::ReviewedAt, at(rev));
    c.set(F::EnteredAt, at(ent));
    c.set(F::CheckedAt, at(chk));
    c.set(F::BoundAt, at(bound));
    c.set(F::PrintedAt, at(printed));
    c.set(F::NoticePrinted, Val::Bool(true));
    c.set(
        F::ReportsReviewedAt,
        at(within_two_days(clock, ent1, d.reports_after, d.u_reports)),
    );
    if PAYOUTS.contains(&c.change_type()) {
        let paid = chk.date();
        let mut due = received.date() + Duration::days(d.due_days);
        if due < paid {
            due = paid + Duration::days(d.due_extra);
        }
        c.set(F::BenefitDueDate, Val::Date(due));
        c.set(F::BenefitPaidDate, Val::Date(paid));
    }
}

/// `ts` + `secs` working seconds, or, when that lands more than two calendar days later, the
/// point at fraction `u` of what is left of `ts`'s working day.
fn within_two_days(clock: &WorkClock, ts: NaiveDateTime, secs: i64, u: f64) -> NaiveDateTime {
    let cand = clock.after(ts, secs);
    if (cand.date() - ts.date()).num_days() <= 2 {
        return cand;
    }
    let end = clock.end_of_day(ts.date());
    let rem = clock.between(ts, end);
    if rem <= 0 {
        return ts;
    }
    clock.after(ts, (rem as f64 * u).floor() as i64)
}

/// Prepares the full timeline for the export moment: a notice due after the cut-off of a case
/// bound before it is printed by then (at a random moment between binding and the cut-off).
pub fn settle_before_cutoff(
    c: &mut Case,
    p: &mut Process,
    clock: &WorkClock,
    cutoff: NaiveDateTime,
    rng: &mut ChaCha8Rng,
) {
    if let (Some(b), Some(pr)) = (c.dt(F::BoundAt), c.dt(F::PrintedAt))
        && b <= cutoff
        && pr > cutoff
    {
        let t = clock.uniform_between(rng, b, cutoff);
        c.set(F::PrintedAt, Val::Dt(t));
        if let Some(s) = p.starts.print.as_mut() {
            *s = (*s).min(t);
        }
    }
}

/// The case as exported at `cutoff` (see the module docs). `full` is the whole timeline.
pub fn truncate(
    full: &Case,
    p: &Process,
    clock: &WorkClock,
    cutoff: NaiveDateTime,
    rng: &mut ChaCha8Rng,
) -> Case {
    let mut c = full.clone();
    let is_payout = PAYOUTS.contains(&full.change_type());
    // Entry as the system shows it: returned and not yet re-entered = not entered.
    if let Some(rw) = p.rework
        && rw.returned > cutoff
    {
        c.set(F::EnteredAt, Val::Dt(rw.ent1));
    }
    let chain = [
        (F::RegisteredAt, None),
        (F::ReviewedAt, Some(F::Reviewer)),
        (F::EnteredAt, Some(F::EntryOperator)),
        (F::CheckedAt, Some(F::Checker)),
        (F::BoundAt, Some(F::Binder)),
    ];
    let mut gone = false;
    for (f, op) in chain {
        if gone || c.dt(f).is_none_or(|t| t > cutoff) {
            gone = true;
            c.clear(f);
            if let Some(op) = op {
                c.clear(op);
            }
        }
    }
    if c.dt(F::QueryOpenedAt).is_some_and(|t| t > cutoff) {
        c.clear(F::QueryOpenedAt);
        c.clear(F::QueryClosedAt);
    } else if c.dt(F::QueryClosedAt).is_some_and(|t| t > cutoff) {
        c.clear(F::QueryClosedAt);
    }
    if c.dt(F::ReferredAt).is_some_and(|t| t > cutoff) {
        c.clear(F::ReferredAt);
        c.clear(F::ReferralReturnedAt);
        c.clear(F::ReferralDept);
    } else if c.dt(F::ReferralReturnedAt).is_some_and(|t| t > cutoff) {
        c.clear(F::ReferralReturnedAt);
    }
    match c.dt(F::EnteredAt) {
        None => {
            for f in [
                F::EffectiveDate,
                F::ReportsReviewedAt,
                F::PremiumAfter,
                F::PremiumCharged,
                F::PremiumExpected,
            ] {
                c.clear(f);
            }
            if !is_payout {
                c.clear(F::Amount);
            }
        }
        Some(_) => {
            if let Some(r) = c.dt(F::ReportsReviewedAt)
                && r > cutoff
            {
                // Reviewed by the export: the first entry was within 2 days of it.
                let from = p
                    .rework
                    .map_or_else(|| c.dt(F::EnteredAt).expect("entered"), |rw| rw.ent1);
                c.set(
                    F::ReportsReviewedAt,
                    Val::Dt(clock.uniform_between(rng, from, cutoff)),
                );
            }
        }
    }
    if c.dt(F::CheckedAt).is_none() && is_payout {
        c.clear(F::BenefitPaidDate);
        c.clear(F::BenefitPaid);
    }
    if c.dt(F::BoundAt).is_none() {
        c.clear(F::PrintedAt);
        c.clear(F::Printer);
        c.set(F::NoticePrinted, Val::Bool(false));
        c.set(F::SealApplied, Val::Bool(false));
    }
    c
}

/// The cut-off of a period: the end of the last working day on or before `last`.
#[must_use]
pub fn cutoff_of(clock: &WorkClock, first: NaiveDate, last: NaiveDate) -> Option<NaiveDateTime> {
    let mut d = last;
    while d >= first {
        if clock.cal.is_working_day(d) {
            return Some(clock.end_of_day(d));
        }
        d = d.pred_opt()?;
    }
    None
}

/// `YYYYMM` of a date (the case-id prefix).
#[must_use]
pub fn id_prefix(d: NaiveDate) -> String {
    format!("{:04}{:02}", d.year(), d.month())
}
