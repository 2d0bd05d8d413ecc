//! The baseline: the default pack's structured rules written by hand as one polars query,
//! the way an analyst fluent in polars would write them. Same input (text CSV parsed into
//! types), same semantics (rules/README.md), same output (the failing case/rule pairs,
//! written as CSV). The engine's time divided by this one is the engine/baseline ratio.
//! The `expr` rule (rhai) is left out here and timed on its own. The three working-time
//! limits (`cycle_time`) count working seconds with a day table built here from the data
//! folder's `calendar.yaml` (only the file's reading is policyqc's).

#![allow(
    clippy::similar_names,
    clippy::unnecessary_sort_by,
    clippy::map_unwrap_or
)] // bench code: short names mirror the rule fields

use std::path::Path;

use polars::prelude::*;

fn text_csv(path: &Path) -> PolarsResult<DataFrame> {
    CsvReadOptions::default()
        .with_has_header(true)
        .with_infer_schema_length(Some(0))
        .try_into_reader_with_file_path(Some(path.into()))?
        .finish()
}

fn date(c: &str) -> Expr {
    col(c)
        .str()
        .to_date(StrptimeOptions {
            format: Some("%Y-%m-%d".into()),
            strict: false,
            exact: true,
            cache: true,
        })
        .alias(c)
}
fn ts(c: &str) -> Expr {
    col(c)
        .str()
        .to_datetime(
            Some(TimeUnit::Milliseconds),
            None,
            StrptimeOptions {
                format: Some("%Y-%m-%d %H:%M:%S".into()),
                strict: false,
                exact: true,
                cache: false,
            },
            lit("raise"),
        )
        .alias(c)
}
fn cents(c: &str) -> Expr {
    (col(c).cast(DataType::Float64) * lit(100.0))
        .round(0, RoundMode::HalfToEven)
        .cast(DataType::Int64)
        .alias(c)
}
fn int(c: &str) -> Expr {
    col(c).cast(DataType::Int64).alias(c)
}
fn boolean(c: &str) -> Expr {
    col(c).eq(lit("true")).alias(c)
}
fn ms(c: &str) -> Expr {
    col(c).cast(DataType::Int64)
}
fn date_ms(c: &str) -> Expr {
    col(c).cast(DataType::Int32).cast(DataType::Int64) * lit(86_400_000_i64)
}
fn day(c: &str) -> Expr {
    col(c).cast(DataType::Date).cast(DataType::Int32)
}
fn is(c: &str, values: &[&str]) -> Expr {
    values
        .iter()
        .map(|v| col(c).eq(lit(*v)))
        .reduce(Expr::or)
        .unwrap()
}

const MS_PER_DAY: i64 = 86_400_000;

/// Working seconds since 2000-01-01 at each instant: working seconds before the day (a
/// cumulative sum over a day table, looked up by day number) plus the seconds of the day's
/// working intervals elapsed.
struct WorkClock {
    first_day: i64,
    before: Series,
    working: Series,
    intervals: Vec<(i64, i64)>,
    day_seconds: i64,
}

impl WorkClock {
    fn new(dir: &Path) -> PolarsResult<Self> {
        let calendar = policyqc::check::load_calendar(Some(&dir.join("calendar.yaml")))
            .map_err(|e| polars_err!(ComputeError: "calendar.yaml: {e}"))?;
        let intervals: Vec<(i64, i64)> = calendar
            .intervals()
            .iter()
            .map(|&(s, e)| (i64::from(s) * 60, i64::from(e - s) * 60))
            .collect();
        let day_seconds: i64 = intervals.iter().map(|(_, l)| l).sum();
        let first = chrono::NaiveDate::from_ymd_opt(2000, 1, 1).expect("date");
        let last = chrono::NaiveDate::from_ymd_opt(2100, 1, 1).expect("date");
        let (mut before, mut working, mut sum) = (Vec::new(), Vec::new(), 0_i64);
        for day in first.iter_days().take_while(|d| *d <= last) {
            let w = calendar.is_working_day(day);
            before.push(sum);
            working.push(w);
            sum += if w { day_seconds } else { 0 };
        }
        Ok(Self {
            first_day: (first - chrono::NaiveDate::from_ymd_opt(1970, 1, 1).expect("date"))
                .num_days(),
            before: Series::new("before".into(), before),
            working: Series::new("working".into(), working),
            intervals,
            day_seconds,
        })
    }

    /// The clock of a timestamp column (null where it is null).
    fn of(&self, c: &str) -> Expr {
        let ms = col(c).cast(DataType::Int64);
        let day = ms.clone().floor_div(lit(MS_PER_DAY));
        let second = (ms - day.clone() * lit(MS_PER_DAY)).floor_div(lit(1000_i64));
        let index = (day - lit(self.first_day)).cast(IDX_DTYPE);
        let elapsed = self
            .intervals
            .iter()
            .map(|&(start, len)| (second.clone() - lit(start)).clip(lit(0_i64), lit(len)))
            .reduce(|a, b| a + b)
            .unwrap_or(lit(0_i64));
        lit(self.before.clone()).gather(index.clone(), false)
            + when(lit(self.working.clone()).gather(index, false))
                .then(elapsed)
                .otherwise(lit(0_i64))
    }
}

/// The clock column of a timestamp field (computed once per field, see `run`).
fn k(c: &str) -> Expr {
    col(format!("k_{c}").as_str())
}

/// A wait (`open` to `close`) within `start..stop` in working seconds: its part inside the
/// span, running to `stop` while not closed; its low and high ends, and its length (0 with
/// no `open`).
fn wait(open: &str, close: &str, start: &Expr, stop: &Expr) -> (Expr, Expr, Expr) {
    let lo = polars::lazy::dsl::max_horizontal([k(open), start.clone()]).expect("max");
    let hi = polars::lazy::dsl::min_horizontal([k(close).fill_null(stop.clone()), stop.clone()])
        .expect("min");
    let len = when(col(open).is_null())
        .then(lit(0_i64))
        .otherwise((hi.clone() - lo.clone()).clip_min(lit(0_i64)));
    (lo, hi, len)
}

/// Net working seconds from `from` to `to`, less the customer wait and, with `referral`, the
/// referral wait (their overlap counted once).
fn net(from: &str, to: &str, referral: bool) -> Expr {
    let (start, stop) = (k(from), k(to));
    let (qlo, qhi, customer) = wait("query_opened_at", "query_closed_at", &start, &stop);
    let gross = stop.clone() - start.clone();
    if !referral {
        return gross - customer;
    }
    let (rlo, rhi, referral) = wait("referred_at", "referral_returned_at", &start, &stop);
    let overlap = when(
        col("query_opened_at")
            .is_not_null()
            .and(col("referred_at").is_not_null()),
    )
    .then(
        (polars::lazy::dsl::min_horizontal([qhi, rhi]).expect("min")
            - polars::lazy::dsl::max_horizontal([qlo, rlo]).expect("max"))
        .clip_min(lit(0_i64)),
    )
    .otherwise(lit(0_i64));
    gross - customer - referral + overlap
}

/// Runs the baseline over a data folder; returns the number of failing (case, rule) pairs.
pub fn run(dir: &Path, out: &Path) -> PolarsResult<usize> {
    let clock = WorkClock::new(dir)?;
    let cases = text_csv(&dir.join("cases.csv"))?;
    let roster = text_csv(&dir.join("operators.csv"))?.lazy().select([
        col("operator_id"),
        col("authority_level").cast(DataType::Int64),
        concat_str([lit(";"), col("roles"), lit(";")], "", false).alias("roles"),
    ]);
    let bands = text_csv(&dir.join("authority.csv"))?;
    let types: Vec<Option<String>> = bands
        .column("change_type")?
        .str()?
        .iter()
        .map(|v| v.map(str::to_owned))
        .collect();
    let up: Vec<Option<i64>> = bands
        .column("up_to_amount")?
        .cast(&DataType::Float64)?
        .f64()?
        .iter()
        .map(|v| v.map(|x| (x * 100.0).round() as i64))
        .collect();
    let lv: Vec<Option<i64>> = bands
        .column("min_authority_level")?
        .cast(&DataType::Int64)?
        .i64()?
        .iter()
        .collect();
    let mut arms: Vec<(String, Option<i64>, i64)> = (0..types.len())
        .map(|i| (types[i].clone().unwrap(), up[i], lv[i].unwrap()))
        .collect();
    arms.sort_by(|a, b| (a.0.clone(), a.1.is_none(), a.1).cmp(&(b.0.clone(), b.1.is_none(), b.1)));
    let mut required = lit(NULL).cast(DataType::Int64);
    let mut last_type: Option<String> = None;
    for (t, u, l) in arms.iter().rev() {
        if last_type.as_deref() != Some(t) {
            required = when(
                col("change_type")
                    .eq(lit(t.as_str()))
                    .and(col("amount").is_not_null()),
            )
            .then(lit(i64::MAX))
            .otherwise(required);
            last_type = Some(t.clone());
        }
        let cond = col("change_type")
            .eq(lit(t.as_str()))
            .and(col("amount").is_not_null());
        let cond = match u {
            Some(u) => cond.and(col("amount").lt_eq(lit(*u))),
            None => cond,
        };
        required = when(cond).then(lit(*l)).otherwise(required);
    }
    let datetimes = [
        "received_at",
        "registered_at",
        "reviewed_at",
        "entered_at",
        "checked_at",
        "bound_at",
        "printed_at",
        "query_opened_at",
        "query_closed_at",
        "referred_at",
        "referral_returned_at",
        "reports_reviewed_at",
    ];
    let dates = [
        "application_date",
        "effective_date",
        "benefit_due_date",
        "benefit_paid_date",
    ];
    let money = [
        "amount",
        "premium_before",
        "premium_after",
        "premium_charged",
        "premium_expected",
        "benefit_expected",
        "benefit_paid",
    ];
    let mut parse: Vec<Expr> = datetimes.iter().map(|c| ts(c)).collect();
    parse.extend(dates.iter().map(|c| date(c)));
    parse.extend(money.iter().map(|c| cents(c)));
    parse.extend(["docs_required", "docs_received"].iter().map(|c| int(c)));
    parse.extend(
        ["seal_required", "seal_applied", "notice_printed"]
            .iter()
            .map(|c| boolean(c)),
    );
    let payouts = [
        "surrender",
        "partial_withdrawal",
        "policy_loan",
        "maturity_payment",
    ];
    let rules: Vec<(&str, Expr)> = vec![
        (
            "intake.registration_late",
            (k("registered_at") - k("received_at")).gt(lit(2 * 3600_i64)),
        ),
        (
            "review.review_late",
            net("registered_at", "reviewed_at", false).gt(lit(6 * clock.day_seconds)),
        ),
        (
            "entry.entry_late",
            net("reviewed_at", "entered_at", true).gt(lit(4 * clock.day_seconds)),
        ),
        (
            "intake.application_date_missing",
            col("application_date").is_null(),
        ),
        (
            "intake.application_after_receipt",
            date_ms("application_date").gt(ms("received_at")),
        ),
        (
            "intake.application_too_old",
            (day("received_at") - day("application_date")).gt(lit(30)),
        ),
        (
            "intake.policy_no_format",
            col("policy_no")
                .str()
                .contains(lit("^P[0-9]{9}$"), true)
                .not(),
        ),
        (
            "review.query_not_closed",
            col("query_opened_at")
                .is_not_null()
                .and(col("reviewed_at").is_not_null())
                .and(col("query_closed_at").is_null()),
        ),
        (
            "review.finished_before_query_closed",
            ms("reviewed_at").lt(ms("query_closed_at")),
        ),
        (
            "review.query_closed_before_opened",
            ms("query_opened_at").gt(ms("query_closed_at")),
        ),
        (
            "review.sum_increase_premium_not_raised",
            col("change_type")
                .eq(lit("sum_increase"))
                .and(col("premium_after").gt(col("premium_before")).not()),
        ),
        (
            "review.sum_decrease_premium_not_lowered",
            col("change_type")
                .eq(lit("sum_decrease"))
                .and(col("premium_after").lt(col("premium_before")).not()),
        ),
        (
            "review.non_financial_premium_changed",
            is("change_type", &["address_change", "beneficiary_change"])
                .and(col("premium_after").neq(col("premium_before"))),
        ),
        (
            "entry.underwriting_referral_missing",
            is("change_type", &["sum_increase", "reinstatement"])
                .and(col("entered_at").is_not_null())
                .and(
                    col("referral_dept")
                        .eq(lit("underwriting"))
                        .fill_null(lit(false))
                        .not(),
                ),
        ),
        (
            "entry.finance_referral_missing",
            is("change_type", &payouts)
                .and(col("entered_at").is_not_null())
                .and(
                    col("referral_dept")
                        .eq(lit("finance"))
                        .fill_null(lit(false))
                        .not(),
                ),
        ),
        (
            "entry.amount_out_of_range",
            is("change_type", &payouts).and(
                col("amount")
                    .lt(lit(1_i64))
                    .or(col("amount").gt(lit(500_000_000_i64))),
            ),
        ),
        (
            "entry.premium_miscomputed",
            col("premium_charged").neq(col("premium_expected")),
        ),
        (
            "entry.effective_date_missing",
            col("entered_at")
                .is_not_null()
                .and(col("effective_date").is_null()),
        ),
        (
            "entry.effective_before_application",
            col("effective_date").lt(col("application_date")),
        ),
        (
            "entry.effective_date_too_late",
            (day("effective_date") - day("application_date")).gt(lit(60)),
        ),
        (
            "entry.reports_not_reviewed",
            col("entered_at")
                .is_not_null()
                .and(col("reports_reviewed_at").is_null()),
        ),
        (
            "entry.reports_reviewed_late",
            (day("reports_reviewed_at") - day("entered_at")).gt(lit(2)),
        ),
        (
            "double_check.four_eyes_entry",
            col("entry_operator").eq(col("checker")),
        ),
        (
            "double_check.four_eyes_review",
            col("reviewer").eq(col("checker")),
        ),
        (
            "double_check.checked_before_entry",
            ms("entered_at").gt(ms("checked_at")),
        ),
        (
            "binding.bound_without_check",
            col("bound_at")
                .is_not_null()
                .and(col("checked_at").is_null()),
        ),
        (
            "binding.bound_before_check",
            ms("checked_at").gt(ms("bound_at")),
        ),
        (
            "printing.notice_not_printed",
            col("bound_at")
                .is_not_null()
                .and(col("notice_printed").fill_null(lit(false)).not()),
        ),
        (
            "printing.notice_late",
            (day("printed_at") - day("bound_at")).gt(lit(2)),
        ),
        (
            "controls.entry_authority",
            col("entry_operator").is_not_null().and(
                col("e_level")
                    .is_null()
                    .or(col("e_roles").str().contains_literal(lit(";entry;")).not())
                    .or(col("e_level").lt(col("required")).fill_null(lit(false))),
            ),
        ),
        (
            "controls.checker_authority",
            col("checker").is_not_null().and(
                col("c_level")
                    .is_null()
                    .or(col("c_roles")
                        .str()
                        .contains_literal(lit(";double_check;"))
                        .not())
                    .or(col("c_level").lt(col("required")).fill_null(lit(false))),
            ),
        ),
        (
            "controls.documents_missing",
            col("docs_received").lt(col("docs_required")),
        ),
        (
            "controls.seal_missing",
            col("seal_required")
                .eq(lit(true))
                .and(col("bound_at").is_not_null())
                .and(col("seal_applied").fill_null(lit(false)).not()),
        ),
        (
            "controls.benefit_paid_late",
            col("benefit_paid_date").gt(col("benefit_due_date")),
        ),
        (
            "controls.benefit_not_paid",
            col("benefit_due_date")
                .is_not_null()
                .and(col("bound_at").is_not_null())
                .and(col("benefit_paid_date").is_null()),
        ),
        (
            "controls.benefit_amount_wrong",
            col("benefit_paid").neq(col("benefit_expected")),
        ),
    ];
    let join = |lf: LazyFrame, on: &str, prefix: &str| {
        let r = roster.clone().select([
            col("operator_id"),
            col("authority_level").alias(format!("{prefix}_level").as_str()),
            col("roles").alias(format!("{prefix}_roles").as_str()),
        ]);
        lf.join(r, [col(on)], [col("operator_id")], {
            let mut args = JoinArgs::new(JoinType::Left);
            args.maintain_order = MaintainOrderJoin::Left;
            args
        })
    };
    let clocks: Vec<Expr> = [
        "received_at",
        "registered_at",
        "reviewed_at",
        "entered_at",
        "query_opened_at",
        "query_closed_at",
        "referred_at",
        "referral_returned_at",
    ]
    .iter()
    .map(|c| clock.of(c).alias(format!("k_{c}").as_str()))
    .collect();
    let typed = cases.lazy().with_columns(parse).with_columns(clocks);
    let typed = join(join(typed, "entry_operator", "e"), "checker", "c")
        .with_column(required.alias("required"));
    let flagged = typed
        .with_columns(
            rules
                .iter()
                .enumerate()
                .map(|(i, (_, e))| {
                    e.clone()
                        .fill_null(lit(false))
                        .alias(format!("f{i}").as_str())
                })
                .collect::<Vec<_>>(),
        )
        .collect()?;
    let parts: Vec<LazyFrame> = rules
        .iter()
        .enumerate()
        .map(|(i, (id, _))| {
            flagged
                .clone()
                .lazy()
                .filter(col(format!("f{i}").as_str()))
                .select([col("case_id"), lit(*id).alias("rule_id")])
        })
        .collect();
    let mut pairs = concat(parts, UnionArgs::default())?
        .sort(["case_id", "rule_id"], SortMultipleOptions::default())
        .collect()?;
    CsvWriter::new(std::fs::File::create(out)?).finish(&mut pairs)?;
    Ok(pairs.height())
}
