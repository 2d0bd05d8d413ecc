//! Checks a frame of cases held in memory with the built-in rule pack and prints the
//! findings and the rates: `cargo run --example check_frame`.
//!
//! Three sum changes; the third is a sum decrease that collected a premium of 120 instead
//! of refunding one, which the pack's `entry.premium_sign_wrong` finds (error point 5).

use polars::prelude::*;
use policyqc::{Checked, RulePack, Settings};

/// The cases, as a program would hold them (reference field names; dates as text are parsed
/// as `policyqc check` parses a CSV file).
pub fn cases() -> PolarsResult<DataFrame> {
    df!(
        "case_id" => ["C1", "C2", "C3"],
        "change_type" => ["sum_increase", "sum_decrease", "sum_decrease"],
        "entry_operator" => ["ana", "ben", "ana"],
        "entered_at" => ["2026-10-05 10:00", "2026-10-06 11:30", "2026-10-07 14:15"],
        "premium_charged" => [250.0, -80.0, 120.0],
    )
}

/// The check of [`cases`] with the built-in pack and default settings.
pub fn check() -> Result<Checked, Box<dyn std::error::Error>> {
    let pack = RulePack::builtin(&Settings::defaults())?;
    Ok(pack.check(&cases()?)?)
}

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let checked = check()?;
    let findings =
        checked
            .findings()
            .select(["case_id", "rule_id", "error_point", "severity", "message"])?;
    println!("{findings}");
    let rates = checked.rates();
    println!(
        "{} cases checked, {} with findings, defect rate {:.1}%",
        rates.cases_checked,
        rates.cases_with_findings,
        rates.defect_rate * 100.0
    );
    for (checkpoint, cases) in &rates.by_checkpoint {
        println!("  {checkpoint}: {cases} case(s) with findings");
    }
    println!(
        "{} rule(s) not evaluated on these columns",
        checked.not_evaluated().len()
    );
    Ok(())
}
