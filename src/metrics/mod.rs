//! Metrics over an evaluation: the rates of the QC sheet, per rule and per operator, and the
//! threshold alerts.
//!
//! Definitions (tested in `rates.rs`):
//! - **case defect rate** = cases with at least one finding / cases checked (all cases read);
//!   by checkpoint or severity: cases with at least one finding of that checkpoint/severity.
//! - **rule error rate** = cases failing the rule / cases the rule applies to.
//! - **operator error rate** = findings attributed to the operator at a stage / cases the
//!   operator worked at that stage (cases whose stage operator field names them).

pub mod alerts;
pub mod cycle_times;
pub mod qc_sheet;
pub mod rates;
pub mod status;

pub use alerts::{Alert, check_thresholds};
pub use rates::{
    CaseRates, OperatorGroups, OperatorRate, RuleRate, case_rates, operator_groups,
    operator_rates_from, rule_rates_from,
};

/// A rate that is 0 when there is nothing to divide by.
#[must_use]
pub fn rate(part: u64, whole: u64) -> f64 {
    if whole == 0 {
        0.0
    } else {
        part as f64 / whole as f64
    }
}

/// The stage an operator field records (`entry_operator` -> `entry`); other fields name themselves.
#[must_use]
pub fn stage_of(field: &str) -> &str {
    crate::schema::STAGE_OPERATOR_FIELDS
        .iter()
        .position(|f| *f == field)
        .map_or(field, |i| crate::schema::STAGES[i])
}
