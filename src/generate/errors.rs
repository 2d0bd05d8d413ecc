//! Planted errors and their labels.
//!
//! Each **mutation** turns a clean case into one with exactly one error that exactly one rule
//! of the default pack detects: the injections of `tests/fixtures_basic/specs.rs` (proven against
//! the engine on `fixtures/basic`), plus authority breaches made by the case's own operators
//! (an amount raised into a band above the clerk's or checker's level) and four-eyes breaches
//! where the checker also keyed or reviewed the change. Every error point the default rules
//! can detect is covered: 1-8 and 10-14 (9, binding clauses wrong, is invisible in the data).
//!
//! # Who makes an error, how often
//! For each case and error point, in stage order (intake, review, entry, double-check,
//! binding, printing), the operator responsible for that point (the rule's `responsible`
//! field) makes an error with probability `rate(point) x propensity(operator)`, when the case
//! offers an opportunity (a mutation of that point applies: benefit errors need a payout,
//! query errors a query, ...). Which mutation is drawn by weight among those that apply.
//!
//! # Caught at double-check
//! An error made before the double-check (intake, review, entry) whose value the checker can
//! see and undo (a wrong date, amount, premium, a missing document...) is caught with
//! probability `catch_rate x catch_skill(checker)` (at most 0.95). A caught error is
//! corrected: the case returns to entry (a `returned` double-check task, a second entry and
//! a second double-check) and **the case data never shows it**. Timing errors (reports
//! reviewed late, benefits paid late), authority breaches and errors made at or after the
//! double-check are never caught. An error counts as caught only when the return happened
//! before the export; until then it is in the data and labelled not caught.
//!
//! # Several errors on one case
//! Two mutations may share a case only when no rule reads a field written by one and a field
//! written or read by the other, and neither writes what the other reads: then each rule
//! sees the fields of at most one mutation and fires exactly as with that mutation alone.
//! [`RULE_FIELDS`] lists the fields each default rule reads; a test compares it with the
//! rule pack.
//!
//! # Labels
//! `labels.csv`: one row per planted error: `case_id, error_point, stage, operator,
//! caught_at_double_check, rule_id, mutation`. `rule_id` is the rule the mutation is built
//! to trip (from this catalogue, not from the engine), `stage` its checkpoint, `operator`
//! the operator who made the error. `policyqc check` with the default rules must find
//! exactly the labels with `caught_at_double_check = false`.

use std::sync::OnceLock;

use chrono::{Datelike, Duration, NaiveDateTime, Weekday};
use rand::RngExt;
use rand_chacha::ChaCha8Rng;

use super::cases::{Case, Ctx, F, Val, gap, weighted};
use super::roster::{self, NON_FINANCIAL, PAYOUTS, Role, UNDERWRITING};

/// The error points the default rules detect (all but 9), in the order errors are drawn:
/// by stage, so that every catch is decided before the double-check's own errors.
pub const POINTS: [u8; 13] = [1, 10, 2, 3, 4, 5, 6, 12, 14, 7, 8, 13, 11];

/// Relative frequency of each error point (index = point) at `--error-rate 1`: queries are
/// error-prone, premium and benefit computations too.
pub const POINT_FACTORS: [f64; 15] = [
    0.0, 1.0, 8.0, 1.0, 1.0, 2.0, 1.0, 1.0, 0.6, 0.0, 1.5, 1.0, 2.0, 1.0, 1.5,
];

/// What a mutation could not do on this case (try another, or plant nothing).
#[derive(Debug, Clone, Copy)]
pub struct Skip;

/// What a mutation sees.
pub struct Env<'a> {
    /// The generator's context.
    pub ctx: &'a Ctx<'a>,
    /// Whether the case was returned at double-check (it has a second entry).
    pub rework: bool,
}

type Need = fn(&Case, &Env<'_>) -> bool;
type Apply = fn(&mut Case, &mut ChaCha8Rng, &Env<'_>) -> Result<(), Skip>;

/// One way of planting an error.
pub struct Mutation {
    /// Name (the `mutation` column of labels.csv).
    pub name: &'static str,
    /// The rule it trips.
    pub rule: &'static str,
    /// The rule's error point.
    pub point: u8,
    /// The rule's checkpoint.
    pub stage: Role,
    /// The rule's responsible field: who made the error.
    pub operator: F,
    /// Whether a checker can catch and correct it.
    pub catchable: bool,
    /// Relative weight among the point's mutations.
    pub weight: u32,
    /// Fields it changes.
    pub writes: &'static [F],
    /// Fields it reads to compute the new values or decide whether it applies.
    pub reads: &'static [F],
    /// Whether it applies to a case.
    pub need: Need,
    /// Plants it.
    pub apply: Apply,
}

/// Rules of the default pack no mutation plants: the stage time limits (their error points,
/// 10, 2 and 4, are planted through other rules). Clean cases are generated inside these
/// limits, so they never fire on generated data; planting timeliness errors is future work.
#[cfg(test)]
pub const NOT_PLANTED: &[&str] = &[
    "intake.registration_late",
    "review.review_late",
    "entry.entry_late",
];

/// The fields each rule of the default pack reads (its `when` and its kind's fields).
pub const RULE_FIELDS: &[(&str, &[F])] = &[
    ("intake.application_date_missing", &[F::ApplicationDate]),
    (
        "intake.application_after_receipt",
        &[F::ApplicationDate, F::ReceivedAt],
    ),
    (
        "intake.application_too_old",
        &[F::ApplicationDate, F::ReceivedAt],
    ),
    ("intake.policy_no_format", &[F::PolicyNo]),
    (
        "intake.registration_late",
        &[F::ReceivedAt, F::RegisteredAt],
    ),
    (
        "review.review_late",
        &[
            F::RegisteredAt,
            F::ReviewedAt,
            F::QueryOpenedAt,
            F::QueryClosedAt,
        ],
    ),
    (
        "entry.entry_late",
        &[
            F::ReviewedAt,
            F::EnteredAt,
            F::QueryOpenedAt,
            F::QueryClosedAt,
            F::ReferredAt,
            F::ReferralReturnedAt,
        ],
    ),
    (
        "review.query_not_closed",
        &[F::QueryOpenedAt, F::ReviewedAt, F::QueryClosedAt],
    ),
    (
        "review.finished_before_query_closed",
        &[F::ReviewedAt, F::QueryClosedAt],
    ),
    (
        "review.query_closed_before_opened",
        &[F::QueryOpenedAt, F::QueryClosedAt],
    ),
    (
        "review.sum_increase_premium_not_raised",
        &[F::ChangeType, F::PremiumAfter, F::PremiumBefore],
    ),
    (
        "review.sum_decrease_premium_not_lowered",
        &[F::ChangeType, F::PremiumAfter, F::PremiumBefore],
    ),
    (
        "review.non_financial_premium_changed",
        &[F::ChangeType, F::PremiumAfter, F::PremiumBefore],
    ),
    (
        "entry.underwriting_referral_missing",
        &[F::ChangeType, F::EnteredAt, F::ReferralDept],
    ),
    (
        "entry.finance_referral_missing",
        &[F::ChangeType, F::EnteredAt, F::ReferralDept],
    ),
    ("entry.amount_out_of_range", &[F::ChangeType, F::Amount]),
    (
        "entry.premium_miscomputed",
        &[F::PremiumCharged, F::PremiumExpected],
    ),
    (
        "entry.premium_sign_wrong",
        &[F::ChangeType, F::PremiumCharged],
    ),
    (
        "entry.effective_date_missing",
        &[F::EnteredAt, F::EffectiveDate],
    ),
    (
        "entry.effective_before_application",
        &[F::EffectiveDate, F::ApplicationDate],
    ),
    (
        "entry.effective_date_too_late",
        &[F::ApplicationDate, F::EffectiveDate],
    ),
    (
        "entry.reports_not_reviewed",
        &[F::EnteredAt, F::ReportsReviewedAt],
    ),
    (
        "entry.reports_reviewed_late",
        &[F::EnteredAt, F::ReportsReviewedAt],
    ),
    (
        "double_check.four_eyes_entry",
        &[F::EntryOperator, F::Checker],
    ),
    ("double_check.four_eyes_review", &[F::Reviewer, F::Checker]),
    (
        "double_check.checked_before_entry",
        &[F::EnteredAt, F::CheckedAt],
    ),
    ("binding.bound_without_check", &[F::BoundAt, F::CheckedAt]),
    ("binding.bound_before_check", &[F::CheckedAt, F::BoundAt]),
    (
        "printing.notice_not_printed",
        &[F::BoundAt, F::NoticePrinted],
    ),
    ("printing.notice_late", &[F::BoundAt, F::PrintedAt]),
    (
        "controls.entry_authority",
        &[F::EntryOperator, F::Amount, F::ChangeType],
    ),
    (
        "controls.checker_authority",
        &[F::Checker, F::Amount, F::ChangeType],
    ),
    (
        "controls.documents_missing",
        &[F::DocsReceived, F::DocsRequired],
    ),
    (
        "controls.seal_missing",
        &[F::SealRequired, F::BoundAt, F::SealApplied],
    ),
    (
        "controls.benefit_paid_late",
        &[F::BenefitPaidDate, F::BenefitDueDate],
    ),
    (
        "controls.benefit_not_paid",
        &[F::BenefitDueDate, F::BoundAt, F::BenefitPaidDate],
    ),
    (
        "controls.benefit_amount_wrong",
        &[F::BenefitPaid, F::BenefitExpected],
    ),
];

// ---- helpers -----------------------------------------------------------------------------

fn before_cutoff(env: &Env<'_>, t: NaiveDateTime) -> Result<(), Skip> {
    if t > env.ctx.cutoff {
        Err(Skip)
    } else {
        Ok(())
    }
}

fn entered(c: &Case) -> bool {
    c.has(F::EnteredAt)
}

fn checked(c: &Case) -> bool {
    c.has(F::CheckedAt) && c.has(F::Checker)
}

fn bound(c: &Case) -> bool {
    c.has(F::BoundAt)
}

fn is(c: &Case, types: &[&str]) -> bool {
    types.contains(&c.change_type())
}

fn level(env: &Env<'_>, c: &Case, f: F) -> Option<i64> {
    c.op(f).map(|i| env.ctx.roster.ops[i].level)
}

fn dt(c: &Case, f: F) -> NaiveDateTime {
    c.dt(f).expect("checked by the mutation's need")
}

fn day(v: chrono::NaiveDate) -> Val {
    Val::Date(v)
}

fn money(c: i64) -> Val {
    Val::Money(c)
}

// ---- the catalogue -----------------------------------------------------------------------

macro_rules! mutation {
    ($name:literal, $rule:literal, $point:literal, $stage:ident, $op:ident, $catch:literal, $w:literal,
     writes: [$($wf:ident),*], reads: [$($rf:ident),*], need: $need:expr, apply: $apply:expr) => {
        Mutation {
            name: $name, rule: $rule, point: $point, stage: Role::$stage, operator: F::$op,
            catchable: $catch, weight: $w, writes: &[$(F::$wf),*], reads: &[$(F::$rf),*],
            need: $need, apply: $apply,
        }
    };
}

fn app_after(c: &mut Case, rng: &mut ChaCha8Rng, k: i64) {
    let app = dt(c, F::ReceivedAt).date() + Duration::days(k);
    c.set(F::ApplicationDate, day(app));
    if let Some(eff) = c.date(F::EffectiveDate)
        && eff < app
    {
        c.set(
            F::EffectiveDate,
            day(app + Duration::days(rng.random_range(0..=7_i64))),
        );
    }
}

fn app_old(c: &mut Case, rng: &mut ChaCha8Rng, k: i64) {
    let app = dt(c, F::ReceivedAt).date() - Duration::days(k);
    c.set(F::ApplicationDate, day(app));
    if let Some(eff) = c.date(F::EffectiveDate)
        && eff > app + Duration::days(60)
    {
        c.set(
            F::EffectiveDate,
            day(app + Duration::days(60 - rng.random_range(0..=5_i64))),
        );
    }
}

fn has_closed_query(c: &Case, _: &Env<'_>) -> bool {
    c.has(F::QueryOpenedAt) && c.has(F::QueryClosedAt) && c.has(F::ReviewedAt)
}

fn review_before_close(c: &mut Case, env: &Env<'_>, secs: i64) -> Result<(), Skip> {
    let qc = env.ctx.clock.after(dt(c, F::ReviewedAt), secs);
    before_cutoff(env, qc)?;
    c.set(F::QueryClosedAt, Val::Dt(qc));
    Ok(())
}

fn premium_keyed(c: &Case) -> bool {
    c.has(F::PremiumAfter) && c.has(F::PremiumBefore)
}

fn keyed(c: &Case) -> bool {
    entered(c) && c.has(F::PremiumCharged)
}

fn reports_late(
    c: &mut Case,
    rng: &mut ChaCha8Rng,
    env: &Env<'_>,
    min_days: i64,
) -> Result<(), Skip> {
    let clock = env.ctx.clock;
    let ent = dt(c, F::EnteredAt);
    let d = clock.working_day_from(ent.date() + Duration::days(min_days));
    let rep = clock.office_time(d, rng.random_range(0..clock.day_seconds));
    before_cutoff(env, rep)?;
    c.set(F::ReportsReviewedAt, Val::Dt(rep));
    Ok(())
}

fn notice_late(
    c: &mut Case,
    rng: &mut ChaCha8Rng,
    env: &Env<'_>,
    min_days: i64,
) -> Result<(), Skip> {
    let clock = env.ctx.clock;
    let b = dt(c, F::BoundAt);
    let d = clock.working_day_from(b.date() + Duration::days(min_days));
    let p = clock.office_time(d, rng.random_range(0..clock.day_seconds));
    before_cutoff(env, p)?;
    c.set(F::PrintedAt, Val::Dt(p));
    Ok(())
}

fn paid_late(c: &mut Case, env: &Env<'_>, k: i64) -> Result<(), Skip> {
    let due = c.date(F::BenefitDueDate).expect("need");
    let p = due + Duration::days(k);
    if p > env.ctx.cutoff.date() {
        return Err(Skip);
    }
    c.set(F::BenefitPaidDate, day(p));
    Ok(())
}

/// The band of `c`'s change type whose level is the lowest in `(above, up_to]`, as
/// `(lowest amount, highest amount)` in cents; open-ended bands are capped at three times
/// their floor and at 5,000,000.00 (the plausible-range rule's maximum).
fn band_above(c: &Case, above: i64, up_to: i64) -> Option<(i64, i64)> {
    let mut floor = 0;
    for &(up, lvl) in roster::bands(c.change_type()) {
        if lvl > above && lvl <= up_to {
            let lo = floor + 1;
            let hi = up.unwrap_or_else(|| (floor * 3).max(lo)).min(500_000_000);
            return (lo <= hi).then_some((lo, hi));
        }
        floor = up.unwrap_or(i64::MAX);
    }
    None
}

/// Sets the amount of a change and what a clean case keeps equal to it.
fn set_amount(c: &mut Case, amount: i64) {
    c.set(F::Amount, money(amount));
    if is(c, &PAYOUTS) {
        for f in [F::BenefitExpected, F::BenefitPaid] {
            if c.has(f) {
                c.set(f, money(amount));
            }
        }
    } else if c.change_type() == "sum_increase" {
        c.set(F::PremiumCharged, money(amount));
        c.set(F::PremiumExpected, money(amount));
    }
}

fn over_authority_need(c: &Case, env: &Env<'_>, actor: F, other: F) -> bool {
    let (Some(la), lo) = (level(env, c, actor), level(env, c, other)) else {
        return false;
    };
    c.has(F::Amount)
        && (c.change_type() != "sum_increase" || keyed(c))
        && band_above(c, la, lo.unwrap_or(i64::MAX)).is_some()
}

fn over_authority(
    c: &mut Case,
    rng: &mut ChaCha8Rng,
    env: &Env<'_>,
    actor: F,
    other: F,
) -> Result<(), Skip> {
    let la = level(env, c, actor).ok_or(Skip)?;
    let lo = level(env, c, other).unwrap_or(i64::MAX);
    let (a, b) = band_above(c, la, lo).ok_or(Skip)?;
    set_amount(c, rng.random_range(a..=b));
    Ok(())
}

/// Every mutation, grouped by error point.
pub static MUTATIONS: &[Mutation] = &[
    // ---- 1: intake missed an invalid application date ----
    mutation!("app_missing", "intake.application_date_missing", 1, Intake, IntakeOperator, true, 1,
        writes: [ApplicationDate], reads: [],
        need: |c, _| c.has(F::ApplicationDate),
        apply: |c, _, _| { c.clear(F::ApplicationDate); Ok(()) }),
    mutation!("app_after_receipt_1", "intake.application_after_receipt", 1, Intake, IntakeOperator, true, 1,
        writes: [ApplicationDate, EffectiveDate], reads: [ReceivedAt, EffectiveDate],
        need: |_, _| true,
        apply: |c, rng, _| { app_after(c, rng, 1); Ok(()) }),
    mutation!("app_after_receipt_n", "intake.application_after_receipt", 1, Intake, IntakeOperator, true, 1,
        writes: [ApplicationDate, EffectiveDate], reads: [ReceivedAt, EffectiveDate],
        need: |_, _| true,
        apply: |c, rng, _| { let k = rng.random_range(3..=12_i64); app_after(c, rng, k); Ok(()) }),
    mutation!("app_too_old_31", "intake.application_too_old", 1, Intake, IntakeOperator, true, 1,
        writes: [ApplicationDate, EffectiveDate], reads: [ReceivedAt, EffectiveDate],
        need: |_, _| true,
        apply: |c, rng, _| { app_old(c, rng, 31); Ok(()) }),
    mutation!("app_too_old_n", "intake.application_too_old", 1, Intake, IntakeOperator, true, 2,
        writes: [ApplicationDate, EffectiveDate], reads: [ReceivedAt, EffectiveDate],
        need: |_, _| true,
        apply: |c, rng, _| { let k = rng.random_range(35..=70_i64); app_old(c, rng, k); Ok(()) }),
    // ---- 10: hand-over incomplete ----
    mutation!("policy_bad_short", "intake.policy_no_format", 10, Intake, IntakeOperator, true, 1,
        writes: [PolicyNo], reads: [PolicyNo],
        need: |c, _| c.has(F::PolicyNo),
        apply: |c, _, _| { let p = c.text(F::PolicyNo).ok_or(Skip)?; let s = p[..p.len() - 1].to_owned(); c.set(F::PolicyNo, Val::Text(s)); Ok(()) }),
    mutation!("policy_bad_lower", "intake.policy_no_format", 10, Intake, IntakeOperator, true, 1,
        writes: [PolicyNo], reads: [PolicyNo],
        need: |c, _| c.has(F::PolicyNo),
        apply: |c, _, _| { let s = format!("p{}", &c.text(F::PolicyNo).ok_or(Skip)?[1..]); c.set(F::PolicyNo, Val::Text(s)); Ok(()) }),
    mutation!("policy_bad_long", "intake.policy_no_format", 10, Intake, IntakeOperator, true, 1,
        writes: [PolicyNo], reads: [PolicyNo],
        need: |c, _| c.has(F::PolicyNo),
        apply: |c, rng, _| { let s = format!("{}{}", c.text(F::PolicyNo).ok_or(Skip)?, rng.random_range(0..=9_u32)); c.set(F::PolicyNo, Val::Text(s)); Ok(()) }),
    mutation!("policy_bad_dash", "intake.policy_no_format", 10, Intake, IntakeOperator, true, 1,
        writes: [PolicyNo], reads: [PolicyNo],
        need: |c, _| c.has(F::PolicyNo),
        apply: |c, _, _| { let s = format!("P-{}", &c.text(F::PolicyNo).ok_or(Skip)?[1..]); c.set(F::PolicyNo, Val::Text(s)); Ok(()) }),
    mutation!("docs_short", "controls.documents_missing", 10, Intake, IntakeOperator, true, 3,
        writes: [DocsReceived], reads: [DocsRequired],
        need: |c, _| c.int(F::DocsRequired).is_some_and(|n| n >= 1),
        apply: |c, rng, _| { let req = c.int(F::DocsRequired).ok_or(Skip)?; let k = rng.random_range(1..=req); c.set(F::DocsReceived, Val::Int(req - k)); Ok(()) }),
    mutation!("docs_none", "controls.documents_missing", 10, Intake, IntakeOperator, true, 1,
        writes: [DocsReceived], reads: [DocsRequired],
        need: |c, _| c.int(F::DocsRequired).is_some_and(|n| n >= 1),
        apply: |c, _, _| { c.set(F::DocsReceived, Val::Int(0)); Ok(()) }),
    // ---- 2: review errors (queries) ----
    mutation!("query_not_closed", "review.query_not_closed", 2, Review, Reviewer, true, 2,
        writes: [QueryClosedAt], reads: [],
        need: has_closed_query,
        apply: |c, _, _| { c.clear(F::QueryClosedAt); Ok(()) }),
    mutation!("review_before_close_hours", "review.finished_before_query_closed", 2, Review, Reviewer, false, 1,
        writes: [QueryClosedAt], reads: [ReviewedAt],
        need: has_closed_query,
        apply: |c, rng, env| review_before_close(c, env, gap(rng, 30, 240))),
    mutation!("review_before_close_days", "review.finished_before_query_closed", 2, Review, Reviewer, false, 1,
        writes: [QueryClosedAt], reads: [ReviewedAt],
        need: has_closed_query,
        apply: |c, rng, env| review_before_close(c, env, gap(rng, 450, 1400))),
    mutation!("query_closed_before_opened", "review.query_closed_before_opened", 2, Review, Reviewer, true, 1,
    writes: [QueryClosedAt], reads: [RegisteredAt, QueryOpenedAt],
    need: |c, env| has_closed_query(c, env) && c.has(F::RegisteredAt),
    apply: |c, rng, env| {
        let clock = env.ctx.clock;
        let (reg, qo) = (dt(c, F::RegisteredAt), dt(c, F::QueryOpenedAt));
        let span = clock.between(reg, qo);
        if span < 120 { return Err(Skip); }
        let qc = clock.after(reg, span * rng.random_range(20..=80_i64) / 100);
        if qc >= qo { return Err(Skip); }
        c.set(F::QueryClosedAt, Val::Dt(qc));
        Ok(())
    }),
    // ---- 3: change content keyed wrongly (premium after the change) ----
    mutation!("si_premium_equal", "review.sum_increase_premium_not_raised", 3, Review, Reviewer, true, 1,
        writes: [PremiumAfter], reads: [PremiumBefore],
        need: |c, _| c.change_type() == "sum_increase" && premium_keyed(c),
        apply: |c, _, _| { let b = c.money(F::PremiumBefore).ok_or(Skip)?; c.set(F::PremiumAfter, money(b)); Ok(()) }),
    mutation!("si_premium_lower", "review.sum_increase_premium_not_raised", 3, Review, Reviewer, true, 1,
        writes: [PremiumAfter], reads: [PremiumBefore],
        need: |c, _| c.change_type() == "sum_increase" && premium_keyed(c),
        apply: |c, rng, _| { let b = c.money(F::PremiumBefore).ok_or(Skip)?; c.set(F::PremiumAfter, money(b - b * rng.random_range(5..=30_i64) / 100)); Ok(()) }),
    mutation!("sd_premium_equal", "review.sum_decrease_premium_not_lowered", 3, Review, Reviewer, true, 1,
        writes: [PremiumAfter], reads: [PremiumBefore],
        need: |c, _| c.change_type() == "sum_decrease" && premium_keyed(c),
        apply: |c, _, _| { let b = c.money(F::PremiumBefore).ok_or(Skip)?; c.set(F::PremiumAfter, money(b)); Ok(()) }),
    mutation!("sd_premium_higher", "review.sum_decrease_premium_not_lowered", 3, Review, Reviewer, true, 1,
        writes: [PremiumAfter], reads: [PremiumBefore],
        need: |c, _| c.change_type() == "sum_decrease" && premium_keyed(c),
        apply: |c, rng, _| { let b = c.money(F::PremiumBefore).ok_or(Skip)?; c.set(F::PremiumAfter, money(b + b * rng.random_range(5..=30_i64) / 100)); Ok(()) }),
    mutation!("nonfin_premium_up", "review.non_financial_premium_changed", 3, Review, Reviewer, true, 1,
        writes: [PremiumAfter], reads: [PremiumBefore],
        need: |c, _| is(c, &NON_FINANCIAL) && premium_keyed(c),
        apply: |c, rng, _| { let b = c.money(F::PremiumBefore).ok_or(Skip)?; c.set(F::PremiumAfter, money(b + rng.random_range(100..=5000_i64))); Ok(()) }),
    mutation!("nonfin_premium_cent", "review.non_financial_premium_changed", 3, Review, Reviewer, true, 1,
        writes: [PremiumAfter], reads: [PremiumBefore],
        need: |c, _| is(c, &NON_FINANCIAL) && premium_keyed(c),
        apply: |c, _, _| { let b = c.money(F::PremiumBefore).ok_or(Skip)?; c.set(F::PremiumAfter, money(b - 1)); Ok(()) }),
    // ---- 4: content keyed wrongly / system operation wrong (servicing clerk) ----
    mutation!("uw_none", "entry.underwriting_referral_missing", 4, Entry, EntryOperator, true, 1,
        writes: [ReferralDept, ReferredAt, ReferralReturnedAt], reads: [],
        need: |c, _| entered(c) && is(c, &UNDERWRITING) && c.has(F::ReferralDept),
        apply: |c, _, _| { for f in [F::ReferralDept, F::ReferredAt, F::ReferralReturnedAt] { c.clear(f); } Ok(()) }),
    mutation!("uw_wrong_dept", "entry.underwriting_referral_missing", 4, Entry, EntryOperator, true, 1,
        writes: [ReferralDept], reads: [],
        need: |c, _| entered(c) && is(c, &UNDERWRITING) && c.has(F::ReferralDept),
        apply: |c, _, _| { c.set(F::ReferralDept, Val::Sym("finance")); Ok(()) }),
    mutation!("fin_none", "entry.finance_referral_missing", 4, Entry, EntryOperator, true, 1,
        writes: [ReferralDept, ReferredAt, ReferralReturnedAt], reads: [],
        need: |c, _| entered(c) && is(c, &PAYOUTS) && c.has(F::ReferralDept),
        apply: |c, _, _| { for f in [F::ReferralDept, F::ReferredAt, F::ReferralReturnedAt] { c.clear(f); } Ok(()) }),
    mutation!("fin_wrong_dept", "entry.finance_referral_missing", 4, Entry, EntryOperator, true, 1,
        writes: [ReferralDept], reads: [],
        need: |c, _| entered(c) && is(c, &PAYOUTS) && c.has(F::ReferralDept),
        apply: |c, _, _| { c.set(F::ReferralDept, Val::Sym("underwriting")); Ok(()) }),
    mutation!("amount_zero", "entry.amount_out_of_range", 4, Entry, EntryOperator, true, 1,
        writes: [Amount], reads: [],
        need: |c, _| entered(c) && is(c, &PAYOUTS) && c.has(F::Amount),
        apply: |c, _, _| { c.set(F::Amount, money(0)); Ok(()) }),
    mutation!("amount_negative", "entry.amount_out_of_range", 4, Entry, EntryOperator, true, 1,
        writes: [Amount], reads: [Amount],
        need: |c, _| entered(c) && is(c, &PAYOUTS) && c.money(F::Amount).is_some_and(|a| a > 0),
        apply: |c, _, _| { let a = c.money(F::Amount).ok_or(Skip)?; c.set(F::Amount, money(-a)); Ok(()) }),
    mutation!("amount_over", "entry.amount_out_of_range", 4, Entry, EntryOperator, true, 1,
        writes: [Amount], reads: [EntryOperator, Checker],
        // Above 5,000,000.00 lies in the open-ended level-3 band: both operators must be level 3
        // so that only the range rule fires (a policy loan has no open band: excluded).
        need: |c, env| entered(c) && is(c, &["surrender", "partial_withdrawal", "maturity_payment"])
            && c.has(F::Amount) && level(env, c, F::EntryOperator) == Some(3)
            && level(env, c, F::Checker).is_none_or(|l| l == 3),
        apply: |c, rng, _| { c.set(F::Amount, money(500_000_001 + rng.random_range(0..=100_000_000_i64))); Ok(()) }),
    mutation!("entry_over_authority", "controls.entry_authority", 4, Entry, EntryOperator, false, 3,
        writes: [Amount, BenefitExpected, BenefitPaid, PremiumCharged, PremiumExpected], reads: [EntryOperator, Checker],
        need: |c, env| entered(c) && over_authority_need(c, env, F::EntryOperator, F::Checker),
        apply: |c, rng, env| over_authority(c, rng, env, F::EntryOperator, F::Checker)),
    // ---- 5: premium / refund / fee computed wrongly ----
    mutation!("premium_cent", "entry.premium_miscomputed", 5, Entry, EntryOperator, true, 2,
        writes: [PremiumExpected], reads: [PremiumCharged],
        need: |c, _| keyed(c) && c.money(F::PremiumCharged).is_some_and(|x| x > 0),
        apply: |c, _, _| { let x = c.money(F::PremiumCharged).ok_or(Skip)?; c.set(F::PremiumExpected, money(x + 1)); Ok(()) }),
    mutation!("premium_refund_off", "entry.premium_miscomputed", 5, Entry, EntryOperator, true, 2,
        writes: [PremiumExpected], reads: [PremiumCharged],
        need: |c, _| keyed(c) && c.money(F::PremiumCharged).is_some_and(|x| x < 0),
        apply: |c, rng, _| { let x = c.money(F::PremiumCharged).ok_or(Skip)?; c.set(F::PremiumExpected, money(x - rng.random_range(100..=2000_i64))); Ok(()) }),
    mutation!("premium_mode", "entry.premium_miscomputed", 5, Entry, EntryOperator, true, 2,
        writes: [PremiumCharged], reads: [PremiumExpected],
        need: |c, _| keyed(c) && c.change_type() == "payment_mode_change" && c.has(F::PremiumExpected),
        apply: |c, rng, _| { let x = c.money(F::PremiumExpected).ok_or(Skip)?; c.set(F::PremiumCharged, money(x + rng.random_range(500..=3000_i64))); Ok(()) }),
    mutation!("sign_inc", "entry.premium_sign_wrong", 5, Entry, EntryOperator, true, 1,
        writes: [PremiumCharged, PremiumExpected], reads: [PremiumCharged],
        need: |c, _| keyed(c) && c.change_type() == "sum_increase" && c.money(F::PremiumCharged).is_some_and(|x| x > 0),
        apply: |c, _, _| { let x = c.money(F::PremiumCharged).ok_or(Skip)?; c.set(F::PremiumCharged, money(-x)); c.set(F::PremiumExpected, money(-x)); Ok(()) }),
    mutation!("sign_dec", "entry.premium_sign_wrong", 5, Entry, EntryOperator, true, 1,
        writes: [PremiumCharged, PremiumExpected], reads: [PremiumCharged],
        need: |c, _| keyed(c) && c.change_type() == "sum_decrease" && c.money(F::PremiumCharged).is_some_and(|x| x < 0),
        apply: |c, _, _| { let x = c.money(F::PremiumCharged).ok_or(Skip)?; c.set(F::PremiumCharged, money(-x)); c.set(F::PremiumExpected, money(-x)); Ok(()) }),
    // ---- 6: endorsement text wrong ----
    mutation!("eff_missing", "entry.effective_date_missing", 6, Entry, EntryOperator, true, 1,
        writes: [EffectiveDate], reads: [],
        need: |c, _| entered(c) && c.has(F::EffectiveDate),
        apply: |c, _, _| { c.clear(F::EffectiveDate); Ok(()) }),
    mutation!("eff_before_app_1", "entry.effective_before_application", 6, Entry, EntryOperator, true, 1,
        writes: [EffectiveDate], reads: [ApplicationDate],
        need: |c, _| entered(c) && c.has(F::EffectiveDate) && c.has(F::ApplicationDate),
        apply: |c, _, _| { let a = c.date(F::ApplicationDate).ok_or(Skip)?; c.set(F::EffectiveDate, day(a - Duration::days(1))); Ok(()) }),
    mutation!("eff_before_app_n", "entry.effective_before_application", 6, Entry, EntryOperator, true, 1,
        writes: [EffectiveDate], reads: [ApplicationDate],
        need: |c, _| entered(c) && c.has(F::EffectiveDate) && c.has(F::ApplicationDate),
        apply: |c, rng, _| { let a = c.date(F::ApplicationDate).ok_or(Skip)?; c.set(F::EffectiveDate, day(a - Duration::days(rng.random_range(5..=40_i64)))); Ok(()) }),
    mutation!("eff_late_61", "entry.effective_date_too_late", 6, Entry, EntryOperator, true, 1,
        writes: [EffectiveDate], reads: [ApplicationDate],
        need: |c, _| entered(c) && c.has(F::EffectiveDate) && c.has(F::ApplicationDate),
        apply: |c, _, _| { let a = c.date(F::ApplicationDate).ok_or(Skip)?; c.set(F::EffectiveDate, day(a + Duration::days(61))); Ok(()) }),
    mutation!("eff_late_n", "entry.effective_date_too_late", 6, Entry, EntryOperator, true, 1,
        writes: [EffectiveDate], reads: [ApplicationDate],
        need: |c, _| entered(c) && c.has(F::EffectiveDate) && c.has(F::ApplicationDate),
        apply: |c, rng, _| { let a = c.date(F::ApplicationDate).ok_or(Skip)?; c.set(F::EffectiveDate, day(a + Duration::days(rng.random_range(70..=120_i64)))); Ok(()) }),
    // ---- 12: benefits not paid on time or paid wrongly ----
    mutation!("paid_late_1", "controls.benefit_paid_late", 12, Entry, EntryOperator, false, 1,
        writes: [BenefitPaidDate], reads: [BenefitDueDate],
        need: |c, _| c.has(F::BenefitPaidDate) && c.has(F::BenefitDueDate),
        apply: |c, _, env| paid_late(c, env, 1)),
    mutation!("paid_late_n", "controls.benefit_paid_late", 12, Entry, EntryOperator, false, 1,
        writes: [BenefitPaidDate], reads: [BenefitDueDate],
        need: |c, _| c.has(F::BenefitPaidDate) && c.has(F::BenefitDueDate),
        apply: |c, rng, env| paid_late(c, env, rng.random_range(2..=10_i64))),
    mutation!("not_paid", "controls.benefit_not_paid", 12, Entry, EntryOperator, false, 1,
        writes: [BenefitPaidDate, BenefitPaid], reads: [],
        need: |c, _| bound(c) && c.has(F::BenefitDueDate) && c.has(F::BenefitPaidDate),
        apply: |c, _, _| { c.clear(F::BenefitPaidDate); c.clear(F::BenefitPaid); Ok(()) }),
    mutation!("paid_cent_short", "controls.benefit_amount_wrong", 12, Entry, EntryOperator, true, 1,
        writes: [BenefitPaid], reads: [BenefitExpected],
        need: |c, _| c.has(F::BenefitPaid) && c.has(F::BenefitExpected),
        apply: |c, _, _| { let e = c.money(F::BenefitExpected).ok_or(Skip)?; c.set(F::BenefitPaid, money(e - 1)); Ok(()) }),
    mutation!("paid_over", "controls.benefit_amount_wrong", 12, Entry, EntryOperator, true, 1,
        writes: [BenefitPaid], reads: [BenefitExpected],
        need: |c, _| c.has(F::BenefitPaid) && c.has(F::BenefitExpected),
        apply: |c, _, _| { let e = c.money(F::BenefitExpected).ok_or(Skip)?; c.set(F::BenefitPaid, money(e + 100_000)); Ok(()) }),
    // ---- 14: system reports not reviewed in time ----
    mutation!("reports_missing", "entry.reports_not_reviewed", 14, Entry, EntryOperator, true, 2,
        writes: [ReportsReviewedAt], reads: [],
        need: |c, _| entered(c) && c.has(F::ReportsReviewedAt),
        apply: |c, _, _| { c.clear(F::ReportsReviewedAt); Ok(()) }),
    mutation!("reports_late_3", "entry.reports_reviewed_late", 14, Entry, EntryOperator, false, 2,
        writes: [ReportsReviewedAt], reads: [EnteredAt],
        need: |c, _| entered(c) && c.has(F::ReportsReviewedAt),
        apply: |c, rng, env| reports_late(c, rng, env, 3)),
    mutation!("reports_late_n", "entry.reports_reviewed_late", 14, Entry, EntryOperator, false, 1,
        writes: [ReportsReviewedAt], reads: [EnteredAt],
        need: |c, _| entered(c) && c.has(F::ReportsReviewedAt),
        apply: |c, rng, env| { let k = rng.random_range(4..=8_i64); reports_late(c, rng, env, k) }),
    mutation!("reports_late_weekend", "entry.reports_reviewed_late", 14, Entry, EntryOperator, false, 1,
        writes: [ReportsReviewedAt], reads: [EnteredAt],
        // Entered on a Friday, reviewed first thing on the next working day, a Monday: under
        // one working day but three calendar days.
        need: |c, env| c.has(F::ReportsReviewedAt) && c.dt(F::EnteredAt).is_some_and(|t| {
            t.weekday() == Weekday::Fri && env.ctx.clock.working_day_from(t.date() + Duration::days(1)) == t.date() + Duration::days(3)
        }),
        apply: |c, rng, env| reports_late(c, rng, env, 3)),
    // ---- 7: double-check failed ----
    mutation!("four_eyes_entry", "double_check.four_eyes_entry", 7, DoubleCheck, Checker, false, 2,
        writes: [EntryOperator], reads: [Checker],
        // Not on a reworked case: its caught errors name the clerk who keyed it first.
        need: |c, env| checked(c) && c.has(F::EntryOperator) && !env.rework
            && c.op(F::Checker).is_some_and(|i| env.ctx.roster.ops[i].has(Role::Entry)),
        apply: |c, _, _| { let k = c.get(F::Checker).clone(); c.set(F::EntryOperator, k); Ok(()) }),
    mutation!("four_eyes_review", "double_check.four_eyes_review", 7, DoubleCheck, Checker, false, 1,
        writes: [Reviewer], reads: [Checker],
        need: |c, env| checked(c) && c.has(F::Reviewer) && !env.rework
            && c.op(F::Checker).is_some_and(|i| env.ctx.roster.ops[i].has(Role::Review)),
        apply: |c, _, _| { let k = c.get(F::Checker).clone(); c.set(F::Reviewer, k); Ok(()) }),
    mutation!("checked_before_entry", "double_check.checked_before_entry", 7, DoubleCheck, Checker, false, 1,
    writes: [CheckedAt], reads: [ReviewedAt, ReferralReturnedAt, EnteredAt],
    need: |c, env| checked(c) && entered(c) && c.has(F::ReviewedAt) && !env.rework,
    apply: |c, rng, env| {
        let clock = env.ctx.clock;
        let lo = dt(c, F::ReviewedAt).max(c.dt(F::ReferralReturnedAt).unwrap_or(NaiveDateTime::MIN));
        let ent = dt(c, F::EnteredAt);
        let span = clock.between(lo, ent);
        if span < 600 { return Err(Skip); }
        let chk = clock.after(lo, span * rng.random_range(20..=80_i64) / 100);
        if chk >= ent { return Err(Skip); }
        c.set(F::CheckedAt, Val::Dt(chk));
        Ok(())
    }),
    mutation!("checker_over_authority", "controls.checker_authority", 7, DoubleCheck, Checker, false, 2,
        writes: [Amount, BenefitExpected, BenefitPaid, PremiumCharged, PremiumExpected], reads: [EntryOperator, Checker],
        need: |c, env| checked(c) && entered(c) && over_authority_need(c, env, F::Checker, F::EntryOperator),
        apply: |c, rng, env| over_authority(c, rng, env, F::Checker, F::EntryOperator)),
    // ---- 8: binding not done to standard ----
    mutation!("bound_no_check", "binding.bound_without_check", 8, Binding, Binder, false, 1,
        writes: [CheckedAt, Checker], reads: [],
        need: |c, env| bound(c) && checked(c) && !env.rework,
        apply: |c, _, _| { c.clear(F::CheckedAt); c.clear(F::Checker); Ok(()) }),
    mutation!("bound_before_check", "binding.bound_before_check", 8, Binding, Binder, false, 1,
    writes: [CheckedAt], reads: [BoundAt],
    need: |c, _| bound(c) && checked(c),
    apply: |c, rng, env| {
        let chk = env.ctx.clock.after(dt(c, F::BoundAt), gap(rng, 20, 600));
        before_cutoff(env, chk)?;
        c.set(F::CheckedAt, Val::Dt(chk));
        Ok(())
    }),
    // ---- 13: seals ----
    mutation!("seal_false", "controls.seal_missing", 13, Binding, Binder, false, 2,
        writes: [SealApplied], reads: [],
        need: |c, _| bound(c) && c.bool(F::SealRequired) == Some(true) && c.bool(F::SealApplied) == Some(true),
        apply: |c, _, _| { c.set(F::SealApplied, Val::Bool(false)); Ok(()) }),
    mutation!("seal_empty", "controls.seal_missing", 13, Binding, Binder, false, 1,
        writes: [SealApplied], reads: [],
        need: |c, _| bound(c) && c.bool(F::SealRequired) == Some(true) && c.bool(F::SealApplied) == Some(true),
        apply: |c, _, _| { c.clear(F::SealApplied); Ok(()) }),
    // ---- 11: notices ----
    mutation!("notice_false", "printing.notice_not_printed", 11, Printing, Printer, false, 2,
        writes: [NoticePrinted, PrintedAt], reads: [],
        need: |c, _| bound(c) && c.has(F::Printer) && c.bool(F::NoticePrinted) == Some(true),
        apply: |c, _, _| { c.set(F::NoticePrinted, Val::Bool(false)); c.clear(F::PrintedAt); Ok(()) }),
    mutation!("notice_empty", "printing.notice_not_printed", 11, Printing, Printer, false, 1,
        writes: [NoticePrinted, PrintedAt], reads: [],
        need: |c, _| bound(c) && c.has(F::Printer) && c.bool(F::NoticePrinted) == Some(true),
        apply: |c, _, _| { c.clear(F::NoticePrinted); c.clear(F::PrintedAt); Ok(()) }),
    mutation!("notice_late_3", "printing.notice_late", 11, Printing, Printer, false, 1,
        writes: [PrintedAt], reads: [BoundAt],
        need: |c, _| bound(c) && c.has(F::PrintedAt) && c.has(F::Printer),
        apply: |c, rng, env| notice_late(c, rng, env, 3)),
    mutation!("notice_late_n", "printing.notice_late", 11, Printing, Printer, false, 1,
        writes: [PrintedAt], reads: [BoundAt],
        need: |c, _| bound(c) && c.has(F::PrintedAt) && c.has(F::Printer),
        apply: |c, rng, env| { let k = rng.random_range(4..=9_i64); notice_late(c, rng, env, k) }),
];

/// The fields a rule reads.
#[must_use]
#[cfg(test)]
pub fn rule_fields(rule: &str) -> &'static [F] {
    RULE_FIELDS
        .iter()
        .find(|(r, _)| *r == rule)
        .map_or(&[], |(_, f)| f)
}

fn conflict(a: &Mutation, b: &Mutation) -> bool {
    let touches = |fields: &[F], set: &[F]| fields.iter().any(|f| set.contains(f));
    // Direct: one changes what the other reads or writes.
    if touches(a.writes, b.writes) || touches(a.writes, b.reads) || touches(b.writes, a.reads) {
        return true;
    }
    // Through a rule: a rule reads a field `a` writes and a field `b` writes or reads.
    RULE_FIELDS.iter().any(|(_, rf)| {
        (touches(rf, a.writes) && (touches(rf, b.writes) || touches(rf, b.reads)))
            || (touches(rf, b.writes) && (touches(rf, a.writes) || touches(rf, a.reads)))
    })
}

/// `CONFLICTS[i][j]`: mutations `i` and `j` may not share a case.
fn conflicts() -> &'static Vec<Vec<bool>> {
    static C: OnceLock<Vec<Vec<bool>>> = OnceLock::new();
    C.get_or_init(|| {
        MUTATIONS
            .iter()
            .map(|a| MUTATIONS.iter().map(|b| conflict(a, b)).collect())
            .collect()
    })
}

/// Error rates: per error point, the chance that an average operator makes that error on a
/// case that offers the opportunity; and the base chance that a checker catches one.
#[derive(Debug, Clone)]
pub struct Rates {
    /// Index = error point (0 and 9 unused).
    pub point: [f64; 15],
    /// Base catch probability.
    pub catch: f64,
}

impl Rates {
    /// `base` times [`POINT_FACTORS`].
    #[must_use]
    pub fn new(base: f64, catch: f64) -> Self {
        let mut point = [0.0; 15];
        for (p, f) in point.iter_mut().zip(POINT_FACTORS) {
            *p = (base * f).min(1.0);
        }
        Self { point, catch }
    }
}

/// An error decided for a case.
#[derive(Debug, Clone, Copy)]
pub struct Pick {
    /// Index into [`MUTATIONS`].
    pub m: usize,
    /// Whether the checker catches it.
    pub caught: bool,
}

/// Draws the errors of a case from its full, clean timeline (see the module docs).
pub fn choose(full: &Case, rng: &mut ChaCha8Rng, ctx: &Ctx<'_>, rates: &Rates) -> Vec<Pick> {
    let env = Env { ctx, rework: false };
    let conf = conflicts();
    let mut picks: Vec<Pick> = Vec::new();
    let mut cands: Vec<usize> = Vec::with_capacity(8);
    for point in POINTS {
        let rate = rates.point[usize::from(point)];
        if rate <= 0.0 {
            continue;
        }
        let who = point_operator(point);
        let Some(op) = full.op(who) else { continue };
        let p = (rate * ctx.roster.ops[op].propensity).min(1.0);
        if rng.random::<f64>() >= p {
            continue;
        }
        let any_caught = picks.iter().any(|k| k.caught);
        cands.clear();
        cands.extend((0..MUTATIONS.len()).filter(|&i| {
            let m = &MUTATIONS[i];
            m.point == point
                && (m.need)(
                    full,
                    &Env {
                        rework: any_caught,
                        ..env
                    },
                )
                && picks.iter().all(|k| !conf[k.m][i])
        }));
        if cands.is_empty() {
            continue;
        }
        let i = cands[weighted(rng, cands.iter().map(|&i| MUTATIONS[i].weight))];
        let m = &MUTATIONS[i];
        let caught = m.catchable && {
            let skill = full
                .op(F::Checker)
                .map_or(1.0, |k| ctx.roster.ops[k].catch_skill);
            rng.random::<f64>() < (rates.catch * skill).min(0.95)
        };
        picks.push(Pick { m: i, caught });
    }
    picks
}

/// The operator field responsible for an error point's errors.
#[must_use]
pub fn point_operator(point: u8) -> F {
    MUTATIONS
        .iter()
        .find(|m| m.point == point)
        .map_or(F::EntryOperator, |m| m.operator)
}

/// One row of `labels.csv`.
#[derive(Debug, Clone)]
pub struct Label {
    /// Index into [`MUTATIONS`].
    pub m: usize,
    /// The operator who made the error (roster index).
    pub operator: usize,
    /// Caught and corrected at double-check (not in the case data).
    pub caught: bool,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_detectable_error_point_has_mutations_and_every_rule_is_covered() {
        for p in POINTS {
            assert!(MUTATIONS.iter().any(|m| m.point == p), "error point {p}");
        }
        assert!(!POINTS.contains(&9));
        for (rule, _) in RULE_FIELDS {
            if NOT_PLANTED.contains(rule) {
                continue;
            }
            assert!(
                MUTATIONS.iter().any(|m| m.rule == *rule),
                "{rule} has no mutation"
            );
        }
        // Names are unique; every mutation's rule is in the table; responsible fields agree
        // within an error point (labels attribute by point).
        let mut names: Vec<_> = MUTATIONS.iter().map(|m| m.name).collect();
        names.sort_unstable();
        names.dedup();
        assert_eq!(names.len(), MUTATIONS.len());
        for m in MUTATIONS {
            assert!(!rule_fields(m.rule).is_empty(), "{}", m.rule);
            assert_eq!(point_operator(m.point), m.operator, "{}", m.name);
        }
    }

    #[test]
    fn rule_fields_are_those_of_the_default_pack() {
        use crate::rules::Condition;
        let set = crate::check::load_rules(
            None,
            &crate::config::columns::ColumnMap::default(),
            &crate::config::settings::Settings::default(),
        )
        .expect("default pack");
        assert_eq!(set.rules.len(), RULE_FIELDS.len());
        for r in &set.rules {
            let mut want: Vec<String> = r.kind.fields();
            for c in &r.when {
                match c {
                    Condition::OneOf { field, .. } => want.push(field.clone()),
                    Condition::Present(f) | Condition::Absent(f) => want.extend(f.iter().cloned()),
                }
            }
            want.sort();
            want.dedup();
            let mut got: Vec<String> = rule_fields(&r.id)
                .iter()
                .map(|f| f.name().to_owned())
                .collect();
            got.sort();
            assert_eq!(got, want, "{}", r.id);
            // Labels carry the rule's error point, checkpoint and responsible operator.
            for m in MUTATIONS.iter().filter(|m| m.rule == r.id) {
                assert_eq!(u32::from(m.point), u32::from(r.error_point), "{}", m.name);
                assert_eq!(m.stage.name(), r.checkpoint, "{}", m.name);
                assert_eq!(m.operator.name(), r.responsible, "{}", m.name);
            }
        }
    }

    #[test]
    fn conflicts_follow_shared_rule_fields() {
        let by = |n: &str| MUTATIONS.iter().find(|m| m.name == n).unwrap();
        // Both write effective_date.
        assert!(conflict(by("app_after_receipt_1"), by("eff_missing")));
        // Application date and premiums: no rule reads both.
        assert!(!conflict(by("app_missing"), by("premium_cent")));
        // An authority breach on a sum increase rewrites premium_charged: it may not share a
        // case with a premium error.
        assert!(conflict(by("entry_over_authority"), by("premium_cent")));
        // Documents and seals are independent.
        assert!(!conflict(by("docs_short"), by("seal_false")));
        // A mutation always conflicts with itself.
        assert!(MUTATIONS.iter().all(|m| conflict(m, m)));
    }
}
