//! The planted errors, the edge cases (a value exactly on a rule's limit, which passes) and the
//! open cases, in the order the builder defines them: each with the rules it fires, the case it
//! needs built, the test that the built case fits, and the change with its description.

use std::collections::HashSet;
use std::sync::LazyLock;

use crate::model::{
    Build, Case, Ctx, Operator, Roster, Skip, Stamp, add_work, at, before_half_past_four, days,
    first_working_day_from, gap, is_payout, is_underwriting, is_working_day, iso, money,
    next_working_day, office_time, required_level, same_day_after, stamp, work_between,
};
use chrono::Datelike;

#[derive(Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    Clean,
    Inject,
    Edge,
    Open,
}

pub type Need = fn(&Case, &Roster) -> bool;
pub type Apply = fn(&mut Case, &mut Ctx) -> Result<String, Skip>;

pub struct Spec {
    pub name: &'static str,
    pub rules: &'static [&'static str],
    pub kind: Kind,
    pub build: Build,
    pub need: Need,
    pub apply: Apply,
}

// ---- the tests a built case must pass ------------------------------------------------------

fn any(_: &Case, _: &Roster) -> bool {
    true
}
fn bound(c: &Case, _: &Roster) -> bool {
    c.bound_at.is_some()
}
fn entered(c: &Case, _: &Roster) -> bool {
    c.entered_at.is_some()
}
fn checked(c: &Case, _: &Roster) -> bool {
    c.checked_at.is_some() && c.checker.is_some()
}
fn has_closed_query(c: &Case, _: &Roster) -> bool {
    c.query_opened_at.is_some() && c.query_closed_at.is_some() && c.reviewed_at.is_some()
}
fn premium_keyed(c: &Case, _: &Roster) -> bool {
    c.premium_after.is_some() && c.premium_before.is_some()
}
fn payout_amount_keyed(c: &Case, _: &Roster) -> bool {
    is_payout(c.change_type) && c.amount.is_some()
}
fn keyed(c: &Case, _: &Roster) -> bool {
    c.entered_at.is_some() && c.premium_charged.is_some()
}
fn has_eff_app(c: &Case, _: &Roster) -> bool {
    c.effective_date.is_some() && c.application_date.is_some()
}
fn paid(c: &Case, _: &Roster) -> bool {
    c.benefit_paid_date.is_some() && c.benefit_due_date.is_some()
}
fn paid_amount(c: &Case, _: &Roster) -> bool {
    c.benefit_paid.is_some() && c.benefit_expected.is_some()
}
fn sealed_bound(c: &Case, _: &Roster) -> bool {
    c.bound_at.is_some() && c.seal_required
}
fn level_at_least(c: &Case, level: i64) -> bool {
    required_level(c.change_type, c.amount).unwrap_or(0) >= level
}
fn friday_then_monday(ts: Option<Stamp>) -> bool {
    ts.is_some_and(|ts| {
        ts.weekday().num_days_from_monday() == 4
            && next_working_day(ts.date()) == ts.date() + days(3)
    })
}
fn two_days_later_ok(ts: Option<Stamp>) -> bool {
    ts.is_some_and(|ts| before_half_past_four(ts) && is_working_day(ts.date() + days(2)))
}

fn d(t: Option<Stamp>) -> String {
    stamp(t.expect("a timestamp to describe"))
}

fn cents(c: Option<i64>) -> String {
    money(c.expect("an amount to describe"))
}

fn get(c: Option<i64>) -> i64 {
    c.expect("a value the need test made sure of")
}

// ---- shared changes ------------------------------------------------------------------------

fn app_after(c: &mut Case, ctx: &mut Ctx, k: i64) -> String {
    let app = c.received_at.date() + days(k);
    c.application_date = Some(app);
    if c.effective_date.is_some_and(|e| e < app) {
        c.effective_date = Some(app + days(ctx.rng.randint(0, 7)));
    }
    format!(
        "application_date {} is {k} day(s) after the documents were received ({})",
        iso(app),
        stamp(c.received_at)
    )
}

fn app_old(c: &mut Case, ctx: &mut Ctx, k: i64) -> String {
    let rec = c.received_at.date();
    let app = rec - days(k);
    c.application_date = Some(app);
    if c.effective_date.is_some_and(|e| e > app + days(60)) {
        c.effective_date = Some(app + days(60 - ctx.rng.randint(0, 5)));
    }
    format!(
        "application signed {}, {k} days before receipt on {} (limit 30)",
        iso(app),
        iso(rec)
    )
}

fn review_before_close(c: &mut Case, seconds: i64) -> String {
    let qc = add_work(c.reviewed_at.expect("reviewed"), seconds);
    c.query_closed_at = Some(qc);
    format!(
        "review finished {}, the customer answered the query {}",
        d(c.reviewed_at),
        stamp(qc)
    )
}

fn eff_late(c: &mut Case, k: i64) -> String {
    let app = c.application_date.expect("an application date");
    let eff = app + days(k);
    c.effective_date = Some(eff);
    format!(
        "effective date {} is {k} days after the application {} (limit 60)",
        iso(eff),
        iso(app)
    )
}

fn reports_late(c: &mut Case, ctx: &mut Ctx, min_days: i64) -> String {
    let ent = c.entered_at.expect("entered");
    let day = first_working_day_from(ent.date() + days(min_days));
    let rep = office_time(&mut ctx.rng, day);
    c.reports_reviewed_at = Some(rep);
    format!(
        "entered {}, reports reviewed {}: {} calendar days (limit 2)",
        stamp(ent),
        stamp(rep),
        (rep.date() - ent.date()).num_days()
    )
}

fn notice_late(c: &mut Case, ctx: &mut Ctx, min_days: i64) -> String {
    let b = c.bound_at.expect("bound");
    let day = first_working_day_from(b.date() + days(min_days));
    let p = office_time(&mut ctx.rng, day);
    c.printed_at = Some(p);
    format!(
        "bound {}, notice printed {}: {} calendar days (limit 2)",
        stamp(b),
        stamp(p),
        (p.date() - b.date()).num_days()
    )
}

fn paid_late(c: &mut Case, k: i64) -> String {
    let due = c.benefit_due_date.expect("a due date");
    let p = due + days(k);
    c.benefit_paid_date = Some(p);
    format!("benefit due {}, paid {} ({k} days late)", iso(due), iso(p))
}

fn premium_unchanged(c: &mut Case, change: &str) -> String {
    c.premium_after = c.premium_before;
    format!(
        "sum {change} keyed with the premium unchanged at {}",
        cents(c.premium_before)
    )
}

/// The premium after the change moved the wrong way by 5-30%.
fn premium_moved(c: &mut Case, ctx: &mut Ctx, change: &str, direction: &str) -> String {
    let before = get(c.premium_before);
    let delta = before * ctx.rng.randint(5, 30) / 100;
    let after = if direction == "lower" {
        before - delta
    } else {
        before + delta
    };
    c.premium_after = Some(after);
    format!(
        "sum {change} keyed with a {direction} premium: {} -> {}",
        money(before),
        money(after)
    )
}

fn no_referral(c: &mut Case) {
    c.referral_dept = None;
    c.referred_at = None;
    c.referral_returned_at = None;
}

/// The premium booked (and calculated) with the opposite sign.
fn flip_premium(c: &mut Case) -> String {
    c.premium_charged = c.premium_charged.map(|p| -p);
    c.premium_expected = c.premium_charged;
    cents(c.premium_charged)
}

/// No notice printed; `printed` is what `notice_printed` says.
fn no_notice(c: &mut Case, printed: Option<bool>) {
    c.notice_printed = printed;
    c.printed_at = None;
    c.printer = None;
}

/// The case's operators except those in `keep` (who may be replaced by the chosen one).
fn others(c: &Case, keep: &[&Option<String>]) -> HashSet<String> {
    let mut ops = c.ops();
    for id in keep.iter().copied().flatten() {
        ops.remove(id);
    }
    ops
}

fn authority_level(c: &mut Case, ctx: &mut Ctx, checker: bool) -> Result<String, Skip> {
    let (role, label) = if checker {
        ("double_check", "checker")
    } else {
        ("entry", "entry operator")
    };
    let req = match required_level(c.change_type, c.amount) {
        Some(req) if req >= 2 => req,
        _ => return Err(Skip),
    };
    let i = ctx.find_op(c, |op| op.has(role) && op.level < req, None)?;
    let op = &ctx.roster.ops[i];
    *if checker {
        &mut c.checker
    } else {
        &mut c.entry_operator
    } = Some(op.id.clone());
    Ok(format!(
        "{} of {} needs level {req}; {label} {} holds level {}",
        c.change_type,
        cents(c.amount),
        op.id,
        op.level
    ))
}

fn authority_role(c: &mut Case, ctx: &mut Ctx, checker: bool) -> Result<String, Skip> {
    let (role, label) = if checker {
        ("double_check", "checker")
    } else {
        ("entry", "entry operator")
    };
    let i = ctx.find_op(c, |op| !op.has(role), None)?;
    let op = &ctx.roster.ops[i];
    *if checker {
        &mut c.checker
    } else {
        &mut c.entry_operator
    } = Some(op.id.clone());
    Ok(format!(
        "{label} {} (roles {}) does not hold the {role} role",
        op.id,
        op.roles.join(";")
    ))
}

fn roles_are(op: &Operator, roles: &[&str]) -> bool {
    op.roles.len() == roles.len() && roles.iter().all(|r| op.has(r))
}

// ---- the table -----------------------------------------------------------------------------

const fn ctypes(ctypes: &'static [&'static str]) -> Build {
    Build {
        ctypes: Some(ctypes),
        ..Build::NONE
    }
}
const fn amount(ctype: &'static [&'static str], cents: i64) -> Build {
    Build {
        ctypes: Some(ctype),
        amount: Some(cents),
        ..Build::NONE
    }
}
const QUERY: Build = Build {
    query: Some(true),
    ..Build::NONE
};
const fn stage(stage: &'static str) -> Build {
    Build {
        stage: Some(stage),
        ..Build::NONE
    }
}
const fn staged(stage: &'static str, ctypes: &'static [&'static str]) -> Build {
    Build {
        stage: Some(stage),
        ctypes: Some(ctypes),
        ..Build::NONE
    }
}

fn spec(
    kind: Kind,
    name: &'static str,
    rules: &'static [&'static str],
    build: Build,
    need: Need,
    apply: Apply,
) -> Spec {
    Spec {
        name,
        rules,
        kind,
        build,
        need,
        apply,
    }
}

/// Every spec, in the order the builder defines them (the edge cases are built in this order).
pub static SPECS: LazyLock<Vec<Spec>> = LazyLock::new(specs);

#[allow(
    clippy::unnecessary_wraps,
    reason = "every change has the same signature, some can skip"
)]
fn specs() -> Vec<Spec> {
    use Kind::{Edge, Inject, Open};
    let none = Build::NONE;
    vec![
        // ---- intake ----
        spec(
            Inject,
            "app_missing",
            &["intake.application_date_missing"],
            none,
            any,
            |c, _| {
                let old = c.application_date.take().expect("an application date");
                Ok(format!(
                    "application_date left empty at intake (the customer signed on {})",
                    iso(old)
                ))
            },
        ),
        spec(
            Inject,
            "app_after_receipt_1",
            &["intake.application_after_receipt"],
            none,
            any,
            |c, ctx| Ok(app_after(c, ctx, 1)),
        ),
        spec(
            Inject,
            "app_after_receipt_n",
            &["intake.application_after_receipt"],
            none,
            any,
            |c, ctx| {
                let k = ctx.rng.randint(3, 12);
                Ok(app_after(c, ctx, k))
            },
        ),
        spec(
            Inject,
            "app_too_old_31",
            &["intake.application_too_old"],
            none,
            any,
            |c, ctx| Ok(app_old(c, ctx, 31)),
        ),
        spec(
            Inject,
            "app_too_old_n",
            &["intake.application_too_old"],
            none,
            any,
            |c, ctx| {
                let k = ctx.rng.randint(35, 70);
                Ok(app_old(c, ctx, k))
            },
        ),
        spec(
            Inject,
            "policy_bad_short",
            &["intake.policy_no_format"],
            none,
            any,
            |c, _| {
                c.policy_no.pop();
                Ok(format!(
                    "policy number registered as {} (a digit dropped: 8 digits)",
                    c.policy_no
                ))
            },
        ),
        spec(
            Inject,
            "policy_bad_lower",
            &["intake.policy_no_format"],
            none,
            any,
            |c, _| {
                c.policy_no = format!("p{}", &c.policy_no[1..]);
                Ok(format!(
                    "policy number registered as {} (lower-case prefix)",
                    c.policy_no
                ))
            },
        ),
        spec(
            Inject,
            "policy_bad_long",
            &["intake.policy_no_format"],
            none,
            any,
            |c, ctx| {
                c.policy_no = format!("{}{}", c.policy_no, ctx.rng.randint(0, 9));
                Ok(format!(
                    "policy number registered as {} (10 digits)",
                    c.policy_no
                ))
            },
        ),
        spec(
            Inject,
            "policy_bad_dash",
            &["intake.policy_no_format"],
            none,
            any,
            |c, _| {
                c.policy_no = format!("P-{}", &c.policy_no[1..]);
                Ok(format!(
                    "policy number registered as {} (a dash after the P)",
                    c.policy_no
                ))
            },
        ),
        // ---- review ----
        spec(
            Inject,
            "query_not_closed",
            &["review.query_not_closed"],
            QUERY,
            has_closed_query,
            |c, _| {
                c.query_closed_at = None;
                Ok(format!(
                    "query opened {} never closed, yet the review was finished {}",
                    d(c.query_opened_at),
                    d(c.reviewed_at)
                ))
            },
        ),
        spec(
            Inject,
            "review_before_close_hours",
            &["review.finished_before_query_closed"],
            QUERY,
            has_closed_query,
            |c, ctx| {
                let seconds = gap(&mut ctx.rng, 30, 240);
                Ok(review_before_close(c, seconds))
            },
        ),
        spec(
            Inject,
            "review_before_close_days",
            &["review.finished_before_query_closed"],
            QUERY,
            has_closed_query,
            |c, ctx| {
                let seconds = gap(&mut ctx.rng, 450, 1400);
                Ok(review_before_close(c, seconds))
            },
        ),
        spec(
            Inject,
            "query_closed_before_opened",
            &["review.query_closed_before_opened"],
            QUERY,
            has_closed_query,
            |c, ctx| {
                let reg = c.registered_at.expect("registered");
                let span = work_between(reg, c.query_opened_at.expect("a query"));
                if span < 120 {
                    return Err(Skip);
                }
                let qc = add_work(reg, span * ctx.rng.randint(20, 80) / 100);
                c.query_closed_at = Some(qc);
                Ok(format!(
                    "query closed {}, before it was opened {}",
                    stamp(qc),
                    d(c.query_opened_at)
                ))
            },
        ),
        spec(
            Inject,
            "si_premium_equal",
            &["review.sum_increase_premium_not_raised"],
            ctypes(&["sum_increase"]),
            premium_keyed,
            |c, _| Ok(premium_unchanged(c, "increase")),
        ),
        spec(
            Inject,
            "si_premium_lower",
            &["review.sum_increase_premium_not_raised"],
            ctypes(&["sum_increase"]),
            premium_keyed,
            |c, ctx| Ok(premium_moved(c, ctx, "increase", "lower")),
        ),
        spec(
            Inject,
            "sd_premium_equal",
            &["review.sum_decrease_premium_not_lowered"],
            ctypes(&["sum_decrease"]),
            premium_keyed,
            |c, _| Ok(premium_unchanged(c, "decrease")),
        ),
        spec(
            Inject,
            "sd_premium_higher",
            &["review.sum_decrease_premium_not_lowered"],
            ctypes(&["sum_decrease"]),
            premium_keyed,
            |c, ctx| Ok(premium_moved(c, ctx, "decrease", "higher")),
        ),
        spec(
            Inject,
            "nonfin_premium_up",
            &["review.non_financial_premium_changed"],
            ctypes(&["address_change"]),
            premium_keyed,
            |c, ctx| {
                let before = get(c.premium_before);
                c.premium_after = Some(before + ctx.rng.randint(100, 5000));
                Ok(format!(
                    "{} keyed with a new premium: {} -> {}",
                    c.change_type,
                    money(before),
                    cents(c.premium_after)
                ))
            },
        ),
        spec(
            Inject,
            "nonfin_premium_cent",
            &["review.non_financial_premium_changed"],
            ctypes(&["beneficiary_change"]),
            premium_keyed,
            |c, _| {
                let before = get(c.premium_before);
                c.premium_after = Some(before - 1);
                Ok(format!(
                    "{} keyed with the premium one cent lower: {} -> {}",
                    c.change_type,
                    money(before),
                    cents(c.premium_after)
                ))
            },
        ),
        // ---- entry ----
        spec(
            Inject,
            "uw_none",
            &["entry.underwriting_referral_missing"],
            ctypes(&["sum_increase"]),
            |c, r| entered(c, r) && is_underwriting(c.change_type),
            |c, _| {
                no_referral(c);
                Ok(format!(
                    "{} keyed without any referral to underwriting",
                    c.change_type
                ))
            },
        ),
        spec(
            Inject,
            "uw_wrong_dept",
            &["entry.underwriting_referral_missing"],
            ctypes(&["reinstatement"]),
            |c, r| entered(c, r) && is_underwriting(c.change_type),
            |c, _| {
                c.referral_dept = Some("finance");
                Ok(format!(
                    "{} referred to finance instead of underwriting",
                    c.change_type
                ))
            },
        ),
        spec(
            Inject,
            "fin_none",
            &["entry.finance_referral_missing"],
            ctypes(&["surrender"]),
            |c, r| entered(c, r) && is_payout(c.change_type),
            |c, _| {
                no_referral(c);
                Ok(format!(
                    "{} paid out without a referral to finance",
                    c.change_type
                ))
            },
        ),
        spec(
            Inject,
            "fin_wrong_dept",
            &["entry.finance_referral_missing"],
            ctypes(&["policy_loan"]),
            |c, r| entered(c, r) && is_payout(c.change_type),
            |c, _| {
                c.referral_dept = Some("underwriting");
                Ok(format!(
                    "{} referred to underwriting instead of finance",
                    c.change_type
                ))
            },
        ),
        spec(
            Inject,
            "amount_zero",
            &["entry.amount_out_of_range"],
            ctypes(&["partial_withdrawal"]),
            payout_amount_keyed,
            |c, _| {
                let old = c.amount.replace(0);
                Ok(format!(
                    "payout amount keyed as 0.00 (the payout is {})",
                    cents(old)
                ))
            },
        ),
        spec(
            Inject,
            "amount_negative",
            &["entry.amount_out_of_range"],
            ctypes(&["policy_loan"]),
            payout_amount_keyed,
            |c, _| {
                c.amount = c.amount.map(|a| -a);
                Ok(format!(
                    "payout amount keyed with a minus sign: {}",
                    cents(c.amount)
                ))
            },
        ),
        spec(
            Inject,
            "amount_over",
            &["entry.amount_out_of_range"],
            Build {
                ctypes: Some(&["surrender"]),
                min_level: Some(3),
                ..Build::NONE
            },
            |c, r| payout_amount_keyed(c, r) && c.change_type != "policy_loan",
            |c, ctx| {
                let new = 500_000_001;
                let req = required_level(c.change_type, Some(new));
                for op in [&c.entry_operator, &c.checker] {
                    if op.is_some()
                        && req.is_none_or(|req| ctx.roster.level_of(op.as_deref()) < req)
                    {
                        return Err(Skip);
                    }
                }
                let old = c.amount.replace(new);
                Ok(format!(
                    "payout amount keyed as {}, above the 5,000,000.00 maximum (the payout is {}); \
                     operators are level 3 so authority passes",
                    money(new),
                    cents(old)
                ))
            },
        ),
        spec(
            Inject,
            "premium_cent",
            &["entry.premium_miscomputed"],
            ctypes(&["sum_increase"]),
            |c, r| keyed(c, r) && get(c.premium_charged) > 0,
            |c, _| {
                c.premium_expected = Some(get(c.premium_charged) + 1);
                Ok(format!(
                    "premium collected {}, the calculator says {} (one cent short)",
                    cents(c.premium_charged),
                    cents(c.premium_expected)
                ))
            },
        ),
        spec(
            Inject,
            "premium_refund_off",
            &["entry.premium_miscomputed"],
            ctypes(&["sum_decrease"]),
            |c, r| keyed(c, r) && get(c.premium_charged) < 0,
            |c, ctx| {
                c.premium_expected = Some(get(c.premium_charged) - ctx.rng.randint(100, 2000));
                Ok(format!(
                    "refund booked {}, the calculator says {}",
                    cents(c.premium_charged),
                    cents(c.premium_expected)
                ))
            },
        ),
        spec(
            Inject,
            "premium_mode",
            &["entry.premium_miscomputed"],
            ctypes(&["payment_mode_change"]),
            |c, r| keyed(c, r) && c.change_type == "payment_mode_change",
            |c, ctx| {
                c.premium_charged = Some(get(c.premium_expected) + ctx.rng.randint(500, 3000));
                Ok(format!(
                    "mode-change adjustment booked {}, the calculator says {}",
                    cents(c.premium_charged),
                    cents(c.premium_expected)
                ))
            },
        ),
        spec(
            Inject,
            "sign_inc",
            &["entry.premium_sign_wrong"],
            ctypes(&["sum_increase"]),
            |c, r| keyed(c, r) && c.change_type == "sum_increase" && get(c.premium_charged) > 0,
            |c, _| {
                let flipped = flip_premium(c);
                Ok(format!(
                    "sum increase booked as a refund of {flipped} (the calculator was run with \
                    the same sign, \
                 so the amounts agree)"
                ))
            },
        ),
        spec(
            Inject,
            "sign_dec",
            &["entry.premium_sign_wrong"],
            ctypes(&["sum_decrease"]),
            |c, r| keyed(c, r) && c.change_type == "sum_decrease" && get(c.premium_charged) < 0,
            |c, _| {
                let flipped = flip_premium(c);
                Ok(format!(
                    "sum decrease collected a premium of {flipped} instead of refunding it \
                    (calculator agrees \
                 with the booked sign)"
                ))
            },
        ),
        spec(
            Inject,
            "eff_missing",
            &["entry.effective_date_missing"],
            none,
            entered,
            |c, _| {
                c.effective_date = None;
                Ok("endorsement keyed without an effective date".to_owned())
            },
        ),
        spec(
            Inject,
            "eff_before_app_1",
            &["entry.effective_before_application"],
            none,
            has_eff_app,
            |c, _| {
                let app = c.application_date.expect("an application date");
                c.effective_date = Some(app - days(1));
                Ok(format!(
                    "effective date {}, one day before the application {}",
                    iso(app - days(1)),
                    iso(app)
                ))
            },
        ),
        spec(
            Inject,
            "eff_before_app_n",
            &["entry.effective_before_application"],
            none,
            has_eff_app,
            |c, ctx| {
                let k = ctx.rng.randint(5, 40);
                let app = c.application_date.expect("an application date");
                c.effective_date = Some(app - days(k));
                Ok(format!(
                    "effective date {}, {k} days before the application {}",
                    iso(app - days(k)),
                    iso(app)
                ))
            },
        ),
        spec(
            Inject,
            "eff_late_61",
            &["entry.effective_date_too_late"],
            none,
            has_eff_app,
            |c, _| Ok(eff_late(c, 61)),
        ),
        spec(
            Inject,
            "eff_late_n",
            &["entry.effective_date_too_late"],
            none,
            has_eff_app,
            |c, ctx| {
                let k = ctx.rng.randint(70, 120);
                Ok(eff_late(c, k))
            },
        ),
        spec(
            Inject,
            "reports_missing",
            &["entry.reports_not_reviewed"],
            none,
            entered,
            |c, _| {
                c.reports_reviewed_at = None;
                Ok(
                    "the auto-process and valuation reports were never reviewed after entry"
                        .to_owned(),
                )
            },
        ),
        spec(
            Inject,
            "reports_late_3",
            &["entry.reports_reviewed_late"],
            none,
            |c, r| entered(c, r) && c.reports_reviewed_at.is_some(),
            |c, ctx| Ok(reports_late(c, ctx, 3)),
        ),
        spec(
            Inject,
            "reports_late_n",
            &["entry.reports_reviewed_late"],
            none,
            |c, r| entered(c, r) && c.reports_reviewed_at.is_some(),
            |c, ctx| {
                let k = ctx.rng.randint(4, 8);
                Ok(reports_late(c, ctx, k))
            },
        ),
        spec(
            Inject,
            "reports_late_weekend",
            &["entry.reports_reviewed_late"],
            none,
            |c, r| entered(c, r) && friday_then_monday(c.entered_at),
            |c, ctx| {
                Ok(reports_late(c, ctx, 3)
                    + " -- entered on a Friday, reviewed first thing on Monday: under one \
                        working day, but 3 calendar days")
            },
        ),
        // ---- double-check ----
        spec(
            Inject,
            "four_eyes_entry",
            &["double_check.four_eyes_entry"],
            none,
            checked,
            |c, ctx| {
                let req = required_level(c.change_type, c.amount).ok_or(Skip)?;
                let exclude = others(c, &[&c.entry_operator, &c.checker]);
                let i = ctx.find_op(
                    c,
                    |op| roles_are(op, &["entry", "double_check"]) && op.level >= req,
                    Some(exclude),
                )?;
                let op = &ctx.roster.ops[i];
                c.entry_operator = Some(op.id.clone());
                c.checker = Some(op.id.clone());
                Ok(format!(
                    "{} (roles entry;double_check, level {}) keyed the change and double-checked \
                    it",
                    op.id, op.level
                ))
            },
        ),
        spec(
            Inject,
            "four_eyes_review",
            &["double_check.four_eyes_review"],
            none,
            checked,
            |c, ctx| {
                let req = required_level(c.change_type, c.amount).ok_or(Skip)?;
                let exclude = others(c, &[&c.reviewer, &c.checker]);
                let i = ctx.find_op(
                    c,
                    |op| {
                        op.has("review")
                            && op.has("double_check")
                            && !op.has("entry")
                            && op.level >= req
                    },
                    Some(exclude),
                )?;
                let op = &ctx.roster.ops[i];
                c.reviewer = Some(op.id.clone());
                c.checker = Some(op.id.clone());
                Ok(format!(
                    "{} (roles review;double_check) reviewed the change and double-checked it",
                    op.id
                ))
            },
        ),
        spec(
            Inject,
            "checked_before_entry",
            &["double_check.checked_before_entry"],
            none,
            checked,
            |c, ctx| {
                let lo = c
                    .reviewed_at
                    .into_iter()
                    .chain(c.referral_returned_at)
                    .max()
                    .expect("reviewed");
                let ent = c.entered_at.expect("entered");
                let span = work_between(lo, ent);
                if span < 600 {
                    return Err(Skip);
                }
                let chk = add_work(lo, span * ctx.rng.randint(20, 80) / 100);
                c.checked_at = Some(chk);
                if chk >= ent {
                    return Err(Skip);
                }
                Ok(format!(
                    "double-check signed off {}, before entry finished {}",
                    stamp(chk),
                    stamp(ent)
                ))
            },
        ),
        // ---- binding and printing ----
        spec(
            Inject,
            "bound_no_check",
            &["binding.bound_without_check"],
            none,
            bound,
            |c, _| {
                c.checked_at = None;
                c.checker = None;
                Ok(format!(
                    "bound {} with no double-check (checked_at and checker empty)",
                    d(c.bound_at)
                ))
            },
        ),
        spec(
            Inject,
            "bound_before_check",
            &["binding.bound_before_check"],
            none,
            bound,
            |c, ctx| {
                let seconds = gap(&mut ctx.rng, 20, 600);
                let chk = add_work(c.bound_at.expect("bound"), seconds);
                c.checked_at = Some(chk);
                Ok(format!(
                    "bound {}, double-check signed off later at {}",
                    d(c.bound_at),
                    stamp(chk)
                ))
            },
        ),
        spec(
            Inject,
            "notice_false",
            &["printing.notice_not_printed"],
            none,
            bound,
            |c, _| {
                no_notice(c, Some(false));
                Ok(
                    "bound case whose change notice was never printed (notice_printed false)"
                        .to_owned(),
                )
            },
        ),
        spec(
            Inject,
            "notice_empty",
            &["printing.notice_not_printed"],
            none,
            bound,
            |c, _| {
                no_notice(c, None);
                Ok(
                    "bound case with notice_printed left empty (a missing value fails this rule)"
                        .to_owned(),
                )
            },
        ),
        spec(
            Inject,
            "notice_late",
            &["printing.notice_late"],
            none,
            bound,
            |c, ctx| Ok(notice_late(c, ctx, 3)),
        ),
        spec(
            Inject,
            "notice_late_n",
            &["printing.notice_late"],
            none,
            bound,
            |c, ctx| {
                let k = ctx.rng.randint(4, 9);
                Ok(notice_late(c, ctx, k))
            },
        ),
        // ---- controls: authority ----
        spec(
            Inject,
            "entry_level",
            &["controls.entry_authority"],
            amount(&["surrender"], 12_000_000),
            |c, r| entered(c, r) && level_at_least(c, 2),
            |c, ctx| authority_level(c, ctx, false),
        ),
        spec(
            Inject,
            "entry_edge",
            &["controls.entry_authority"],
            amount(&["surrender"], 5_000_001),
            |c, r| entered(c, r) && level_at_least(c, 2),
            |c, ctx| Ok(authority_level(c, ctx, false)? + " (one cent above the 50,000.00 band)"),
        ),
        spec(
            Inject,
            "entry_level_si",
            &["controls.entry_authority"],
            amount(&["sum_increase"], 2_500_000),
            |c, r| entered(c, r) && level_at_least(c, 2),
            |c, ctx| authority_level(c, ctx, false),
        ),
        spec(
            Inject,
            "entry_role",
            &["controls.entry_authority"],
            none,
            entered,
            |c, ctx| authority_role(c, ctx, false),
        ),
        spec(
            Inject,
            "entry_unknown",
            &["controls.entry_authority"],
            none,
            entered,
            |c, _| {
                c.entry_operator = Some("OP999".to_owned());
                Ok("entry operator OP999 is not on the roster".to_owned())
            },
        ),
        spec(
            Inject,
            "checker_level",
            &["controls.checker_authority"],
            amount(&["maturity_payment"], 60_000_000),
            |c, r| checked(c, r) && level_at_least(c, 3),
            |c, ctx| authority_level(c, ctx, true),
        ),
        spec(
            Inject,
            "checker_role",
            &["controls.checker_authority"],
            none,
            checked,
            |c, ctx| authority_role(c, ctx, true),
        ),
        spec(
            Inject,
            "checker_unknown",
            &["controls.checker_authority"],
            none,
            checked,
            |c, _| {
                c.checker = Some("OP000".to_owned());
                Ok("checker OP000 is not on the roster".to_owned())
            },
        ),
        spec(
            Inject,
            "loan_over_all_bands",
            &["controls.checker_authority", "controls.entry_authority"],
            amount(&["policy_loan"], 90_000_000),
            |c, r| c.change_type == "policy_loan" && checked(c, r) && entered(c, r),
            |c, _| {
                let new = 120_000_000;
                c.amount = Some(new);
                if c.benefit_expected.is_some() {
                    c.benefit_expected = Some(new);
                }
                if c.benefit_paid.is_some() {
                    c.benefit_paid = Some(new);
                }
                Ok("policy loan of 1,200,000.00 is above the matrix's highest band (1,000,000.00): \
                    nobody may key or approve it, so both authority rules fire \
                    (operators are level 3)"
                    .to_owned())
            },
        ),
        spec(
            Inject,
            "one_person",
            &[
                "double_check.four_eyes_entry",
                "double_check.four_eyes_review",
            ],
            none,
            checked,
            |c, ctx| {
                let req = required_level(c.change_type, c.amount).unwrap_or(0);
                let exclude = others(c, &[&c.reviewer, &c.entry_operator, &c.checker]);
                let i = ctx.find_op(
                    c,
                    |op| {
                        op.has("review")
                            && op.has("entry")
                            && op.has("double_check")
                            && op.level >= req
                    },
                    Some(exclude),
                )?;
                let id = ctx.roster.ops[i].id.clone();
                c.reviewer = Some(id.clone());
                c.entry_operator = Some(id.clone());
                c.checker = Some(id.clone());
                Ok(format!(
                    "one person, {id}, reviewed, keyed and double-checked the change: both \
                    four-eyes rules fire"
                ))
            },
        ),
        // ---- controls: hand-over, seals, benefits ----
        spec(
            Inject,
            "docs_short",
            &["controls.documents_missing"],
            none,
            any,
            |c, ctx| {
                let k = ctx.rng.randint(1, c.docs_required);
                c.docs_received = c.docs_required - k;
                Ok(format!(
                    "{} of {} supporting documents handed over",
                    c.docs_received, c.docs_required
                ))
            },
        ),
        spec(
            Inject,
            "docs_none",
            &["controls.documents_missing"],
            none,
            any,
            |c, _| {
                c.docs_received = 0;
                Ok(format!(
                    "no supporting document handed over, {} required",
                    c.docs_required
                ))
            },
        ),
        spec(
            Inject,
            "seal_false",
            &["controls.seal_missing"],
            none,
            sealed_bound,
            |c, _| {
                c.seal_applied = Some(false);
                Ok(format!(
                    "{} endorsement needed the company seal; seal_applied false",
                    c.change_type
                ))
            },
        ),
        spec(
            Inject,
            "seal_empty",
            &["controls.seal_missing"],
            none,
            sealed_bound,
            |c, _| {
                c.seal_applied = None;
                Ok(format!(
                    "{} endorsement needed the company seal; seal_applied left empty",
                    c.change_type
                ))
            },
        ),
        spec(
            Inject,
            "paid_late_1",
            &["controls.benefit_paid_late"],
            ctypes(&["maturity_payment"]),
            paid,
            |c, _| Ok(paid_late(c, 1)),
        ),
        spec(
            Inject,
            "paid_late_n",
            &["controls.benefit_paid_late"],
            ctypes(&["surrender"]),
            paid,
            |c, ctx| {
                let k = ctx.rng.randint(2, 10);
                Ok(paid_late(c, k))
            },
        ),
        spec(
            Inject,
            "not_paid",
            &["controls.benefit_not_paid"],
            ctypes(&["surrender"]),
            |c, r| bound(c, r) && c.benefit_due_date.is_some(),
            |c, _| {
                c.benefit_paid_date = None;
                c.benefit_paid = None;
                Ok(format!(
                    "{} bound {}, benefit due {} never paid",
                    c.change_type,
                    d(c.bound_at),
                    iso(c.benefit_due_date.expect("a due date"))
                ))
            },
        ),
        spec(
            Inject,
            "paid_cent_short",
            &["controls.benefit_amount_wrong"],
            ctypes(&["partial_withdrawal"]),
            paid_amount,
            |c, _| {
                c.benefit_paid = Some(get(c.benefit_expected) - 1);
                Ok(format!(
                    "benefit paid {}, due {} (one cent short)",
                    cents(c.benefit_paid),
                    cents(c.benefit_expected)
                ))
            },
        ),
        spec(
            Inject,
            "paid_over",
            &["controls.benefit_amount_wrong"],
            ctypes(&["policy_loan"]),
            paid_amount,
            |c, _| {
                c.benefit_paid = Some(get(c.benefit_expected) + 100_000);
                Ok(format!(
                    "benefit paid {}, due {} (1,000.00 overpaid)",
                    cents(c.benefit_paid),
                    cents(c.benefit_expected)
                ))
            },
        ),
        // ---- edge cases: a value exactly on a rule's limit passes ----
        spec(Edge, "edge_app_30", &[], none, any, |c, _| {
            let app = c.received_at.date() - days(30);
            c.application_date = Some(app);
            if c.effective_date.is_some_and(|e| e > app + days(60)) {
                c.effective_date = Some(app + days(60));
            }
            Ok(format!(
                "intake.application_too_old: application signed exactly 30 days before receipt \
                ({} -> {}) passes",
                iso(app),
                stamp(c.received_at)
            ))
        }),
        spec(Edge, "edge_app_same_day", &[], none, any, |c, _| {
            c.application_date = Some(c.received_at.date());
            Ok(
                "intake.application_after_receipt: application dated the day of receipt \
                (date = midnight <= receipt time) passes"
                    .to_owned(),
            )
        }),
        spec(Edge, "edge_eff_eq_app", &[], none, has_eff_app, |c, _| {
            c.effective_date = c.application_date;
            Ok(
                "entry.effective_before_application: effective date equal to the application \
                passes"
                    .to_owned(),
            )
        }),
        spec(Edge, "edge_eff_60", &[], none, has_eff_app, |c, _| {
            c.effective_date = c.application_date.map(|a| a + days(60));
            Ok(
                "entry.effective_date_too_late: effective date exactly 60 days after the \
                application passes"
                    .to_owned(),
            )
        }),
        spec(
            Edge,
            "edge_reports_2d",
            &[],
            none,
            |c, _| two_days_later_ok(c.entered_at),
            |c, ctx| {
                let ent = c.entered_at.expect("entered");
                let rep = at(ent.date() + days(2), 17, 0)
                    + chrono::Duration::seconds(ctx.rng.randint(0, 1799));
                c.reports_reviewed_at = Some(rep);
                Ok(format!(
                    "entry.reports_reviewed_late: entered {}, reports reviewed {}: 2 calendar \
                    days (over 48 hours) passes",
                    stamp(ent),
                    stamp(rep)
                ))
            },
        ),
        spec(
            Edge,
            "edge_print_2d",
            &[],
            none,
            |c, r| bound(c, r) && two_days_later_ok(c.bound_at),
            |c, ctx| {
                let b = c.bound_at.expect("bound");
                let p = at(b.date() + days(2), 17, 0)
                    + chrono::Duration::seconds(ctx.rng.randint(0, 1799));
                c.printed_at = Some(p);
                Ok(format!(
                    "printing.notice_late: bound {}, printed {}: 2 calendar days (over 48 hours) \
                    passes",
                    stamp(b),
                    stamp(p)
                ))
            },
        ),
        spec(
            Edge,
            "edge_premium_cents",
            &[],
            amount(&["sum_increase"], 12345),
            keyed,
            |_, _| {
                Ok(
                    "entry.premium_miscomputed: premium_charged 123.45 equals premium_expected \
                    123.45 \
                to the cent (tolerance 0.00) passes"
                        .to_owned(),
                )
            },
        ),
        spec(
            Edge,
            "edge_sign_zero_inc",
            &[],
            amount(&["sum_increase"], 0),
            keyed,
            |_, _| {
                Ok(
                    "entry.premium_sign_wrong: sum increase with premium_charged 0.00 (>= 0) \
                    passes"
                        .to_owned(),
                )
            },
        ),
        spec(
            Edge,
            "edge_sign_zero_dec",
            &[],
            amount(&["sum_decrease"], 0),
            keyed,
            |_, _| {
                Ok(
                    "entry.premium_sign_wrong: sum decrease with premium_charged 0.00 (<= 0) \
                    passes"
                        .to_owned(),
                )
            },
        ),
        spec(
            Edge,
            "edge_amount_max",
            &[],
            amount(&["surrender"], 500_000_000),
            any,
            |_, _| {
                Ok(
                    "entry.amount_out_of_range: payout of exactly 5,000,000.00 (the max) passes; \
                level-3 operators, open-ended authority band"
                        .to_owned(),
                )
            },
        ),
        spec(
            Edge,
            "edge_amount_min",
            &[],
            amount(&["partial_withdrawal"], 1),
            any,
            |_, _| {
                Ok("entry.amount_out_of_range: payout of exactly 0.01 (the min) passes".to_owned())
            },
        ),
        spec(
            Edge,
            "edge_band_1",
            &[],
            Build {
                entry_level: Some(1),
                ..amount(&["surrender"], 5_000_000)
            },
            entered,
            |_, _| {
                Ok(
                    "controls.entry_authority: surrender of exactly 50,000.00 keyed by a level-1 \
                    clerk \
                    (band up_to 50000.00 is inclusive) passes"
                        .to_owned(),
                )
            },
        ),
        spec(
            Edge,
            "edge_band_2",
            &[],
            Build {
                entry_level: Some(2),
                checker_level: Some(2),
                ..amount(&["partial_withdrawal"], 10_000_000)
            },
            checked,
            |_, _| {
                Ok(
                    "controls.entry_authority / checker_authority: partial withdrawal of exactly \
                    100,000.00 keyed and checked at level 2 (band up_to 100000.00) passes"
                        .to_owned(),
                )
            },
        ),
        spec(
            Edge,
            "edge_loan_top",
            &[],
            amount(&["policy_loan"], 100_000_000),
            checked,
            |_, _| {
                Ok(
                    "controls.*_authority: policy loan of exactly 1,000,000.00, the top band's \
                    limit, \
                with level-3 operators passes"
                        .to_owned(),
                )
            },
        ),
        spec(
            Edge,
            "edge_open_band",
            &[],
            amount(&["maturity_payment"], 75_000_000),
            checked,
            |_, _| {
                Ok(
                    "controls.*_authority: maturity payment of 750,000.00 falls in the open-ended \
                    band \
                (empty up_to_amount), level-3 operators pass"
                        .to_owned(),
                )
            },
        ),
        spec(
            Edge,
            "edge_paid_on_due",
            &[],
            ctypes(&["surrender"]),
            paid,
            |c, _| {
                c.benefit_due_date = c.benefit_paid_date;
                Ok("controls.benefit_paid_late: benefit paid on its due date passes".to_owned())
            },
        ),
        spec(
            Edge,
            "edge_benefit_cents",
            &[],
            amount(&["maturity_payment"], 7_654_321),
            paid_amount,
            |_, _| {
                Ok(
                    "controls.benefit_amount_wrong: benefit_paid 76543.21 equals benefit_expected \
                    to \
                the cent passes"
                        .to_owned(),
                )
            },
        ),
        spec(Edge, "edge_docs_extra", &[], none, any, |c, _| {
            c.docs_received = c.docs_required + 1;
            Ok("controls.documents_missing: more documents than required passes".to_owned())
        }),
        spec(
            Edge,
            "edge_docs_equal",
            &[],
            ctypes(&["beneficiary_change"]),
            any,
            |c, _| {
                Ok(format!(
                    "controls.documents_missing: exactly the {} required documents passes",
                    c.docs_required
                ))
            },
        ),
        spec(Edge, "edge_check_eq_entry", &[], none, checked, |c, _| {
            c.checked_at = c.entered_at;
            Ok(
                "double_check.checked_before_entry: double-check signed off in the same second as \
                entry passes"
                    .to_owned(),
            )
        }),
        spec(
            Edge,
            "edge_bound_eq_check",
            &[],
            none,
            |c, r| bound(c, r) && checked(c, r),
            |c, ctx| {
                c.bound_at = c.checked_at;
                c.printed_at = Some(same_day_after(&mut ctx.rng, c.bound_at.expect("checked")));
                Ok(
                    "binding.bound_before_check: bound in the same second as the double-check \
                    passes"
                        .to_owned(),
                )
            },
        ),
        spec(
            Edge,
            "edge_review_eq_close",
            &[],
            QUERY,
            has_closed_query,
            |c, _| {
                c.query_closed_at = c.reviewed_at;
                Ok(
                    "review.finished_before_query_closed: review finished in the same second the \
                    query \
                was closed passes"
                        .to_owned(),
                )
            },
        ),
        spec(
            Edge,
            "edge_query_instant",
            &[],
            QUERY,
            has_closed_query,
            |c, _| {
                c.query_closed_at = c.query_opened_at;
                Ok(
                    "review.query_closed_before_opened: query closed in the second it was opened \
                    passes"
                        .to_owned(),
                )
            },
        ),
        spec(
            Edge,
            "edge_seal_not_required",
            &[],
            ctypes(&["address_change"]),
            bound,
            |c, _| {
                c.seal_required = false;
                c.seal_applied = Some(false);
                Ok(
                    "controls.seal_missing: no seal required, none applied, on a bound case passes"
                        .to_owned(),
                )
            },
        ),
        spec(
            Edge,
            "edge_seal_extra",
            &[],
            ctypes(&["payment_mode_change"]),
            bound,
            |c, _| {
                c.seal_required = false;
                c.seal_applied = Some(true);
                Ok("controls.seal_missing: seal applied although not required passes".to_owned())
            },
        ),
        spec(
            Edge,
            "edge_multi_role",
            &[],
            none,
            |c, r| {
                checked(c, r)
                    && roles_are(
                        r.get(c.entry_operator.as_deref())
                            .expect("the entry operator is on the roster"),
                        &["entry", "double_check"],
                    )
            },
            |c, _| {
                Ok(format!(
                    "double_check.four_eyes_entry: {} holds entry;double_check and keyed the \
                    change; \
                     a different checker ({}) passes",
                    c.entry_operator.as_deref().unwrap_or_default(),
                    c.checker.as_deref().unwrap_or_default()
                ))
            },
        ),
        spec(
            Edge,
            "edge_reports_same_second",
            &[],
            none,
            entered,
            |c, _| {
                c.reports_reviewed_at = c.entered_at;
                Ok(
                    "entry.reports_reviewed_late: reports reviewed in the same second as entry \
                    passes"
                        .to_owned(),
                )
            },
        ),
        spec(
            Edge,
            "edge_mode_refund",
            &[],
            ctypes(&["payment_mode_change"]),
            keyed,
            |c, ctx| {
                let refund = -ctx.rng.randint(100, 9000);
                c.premium_charged = Some(refund);
                c.premium_expected = Some(refund);
                c.amount = Some(-refund);
                Ok(
                    "entry.premium_sign_wrong: a refund on a payment_mode_change is outside the \
                    rule's \
                scope (only sum_increase/sum_decrease) and passes"
                        .to_owned(),
                )
            },
        ),
        // ---- open cases: not yet bound; later fields empty ----
        spec(
            Open,
            "open_received",
            &[],
            stage("received"),
            any,
            |_, _| Ok("just received: not registered, only the intake operator known".to_owned()),
        ),
        spec(
            Open,
            "open_registered",
            &[],
            stage("registered"),
            any,
            |_, _| Ok("registered, waiting for review".to_owned()),
        ),
        spec(
            Open,
            "open_query",
            &[],
            Build {
                query: Some(true),
                ..stage("query_open")
            },
            any,
            |_, _| {
                Ok("query to the customer still open, review not finished: \
                review.query_not_closed does not apply"
                    .to_owned())
            },
        ),
        spec(
            Open,
            "open_reviewed",
            &[],
            staged("reviewed", &["sum_increase"]),
            any,
            |_, _| {
                Ok(
                    "sum increase reviewed, not yet referred or keyed: no premium_after, no \
                    referral, \
                entry rules do not apply"
                        .to_owned(),
                )
            },
        ),
        spec(
            Open,
            "open_uw_pending",
            &[],
            staged("referred", &["sum_increase", "reinstatement"]),
            any,
            |_, _| Ok("waiting at underwriting (referred, not returned, not keyed)".to_owned()),
        ),
        spec(
            Open,
            "open_fin_pending",
            &[],
            staged("referred", &["surrender", "maturity_payment"]),
            any,
            |_, _| {
                Ok(
                    "payout waiting at finance: benefit due date set, nothing paid, not bound: \
                controls.benefit_not_paid does not apply"
                        .to_owned(),
                )
            },
        ),
        spec(Open, "open_entered", &[], stage("entered"), any, |_, _| {
            Ok("keyed and reports reviewed, waiting for double-check".to_owned())
        }),
        spec(
            Open,
            "open_checked_payout",
            &[],
            staged("checked", &["policy_loan", "partial_withdrawal"]),
            any,
            |_, _| {
                Ok(
                    "payout checked and paid, not yet bound: seal required but not yet applied, \
                    notice \
                not printed; seal and printing rules do not apply"
                        .to_owned(),
                )
            },
        ),
        spec(
            Open,
            "open_checked",
            &[],
            staged("checked", &["beneficiary_change"]),
            any,
            |_, _| {
                Ok(
                    "checked, waiting for binding: seal not yet applied, notice not printed"
                        .to_owned(),
                )
            },
        ),
    ]
}
