//! The baseline: the default pack's structured rules written by hand as one polars query,
//! the way an analyst fluent in polars would write them. Same input (text CSV parsed into
//! types), same semantics (rules/README.md), same output (the failing case/rule pairs,
//! written as CSV). The engine's time divided by this one is the engine/baseline ratio.
//! The `expr` rule (rhai) is left out here and timed on its own.

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

/// Runs the baseline over a data folder; returns the number of failing (case, rule) pairs.
pub fn run(dir: &Path, out: &Path) -> PolarsResult<usize> {
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
    let typed = cases.lazy().with_columns(parse);
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
