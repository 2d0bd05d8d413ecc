//! Computes a month's scorecard per operator from a check of frames held in memory and the
//! operator roster: `cargo run --example scorecard`.
//!
//! Ana keyed two sum changes in October 2026 and ben one; ana's second (a decrease that
//! collected a premium) is an error of point 5, so ana has 1 error in 2 cases handled.

use polars::prelude::*;
use policyqc::{Month, MonthTables, RulePack, Scorecard, Settings};

/// The month's cases: entry finished in October 2026.
pub fn cases() -> PolarsResult<DataFrame> {
    df!(
        "case_id" => ["C1", "C2", "C3"],
        "change_type" => ["sum_increase", "sum_decrease", "sum_decrease"],
        "entry_operator" => ["ana", "ben", "ana"],
        "entered_at" => ["2026-10-05 10:00", "2026-10-06 11:30", "2026-10-07 14:15"],
        "premium_charged" => [250.0, -80.0, 120.0],
    )
}

/// The operator roster: who is in which team.
pub fn roster() -> PolarsResult<DataFrame> {
    df!(
        "operator_id" => ["ana", "ben"],
        "name" => ["Ana Lim", "Ben Ong"],
        "team" => ["servicing", "servicing"],
    )
}

/// The October 2026 scorecard of [`cases`] and [`roster`], with the built-in pack.
pub fn scorecard() -> Result<Scorecard, Box<dyn std::error::Error>> {
    let pack = RulePack::builtin(&Settings::defaults())?;
    let checked = pack.check(&cases()?)?;
    let roster = roster()?;
    let month: Month = "2026-10".parse()?;
    let tables = MonthTables {
        operators: &roster,
        findings: None,
        tasks: None,
    };
    Ok(pack.scorecard(&checked, month, &tables)?)
}

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let card = scorecard()?;
    let operators = card.operators().select([
        "operator",
        "team",
        "cases_handled",
        "errors",
        "errors_per_100_cases",
        "score",
        "band",
        "rank",
    ])?;
    println!("{operators}");
    println!(
        "{}",
        card.errors()
            .select(["case_id", "error_point", "operator", "rule_ids"])?
    );
    Ok(())
}
