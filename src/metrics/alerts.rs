//! Threshold alerts: the configured thresholds checked against the run's rates.

use super::rate;
use super::rates::{CaseRates, OperatorRate, RuleRate};
use crate::config::thresholds::{Metric, Threshold};
use crate::rules::Rule;

/// A breached threshold.
#[derive(Debug, Clone, PartialEq)]
pub struct Alert {
    /// The threshold's name.
    pub threshold: String,
    /// The metric.
    pub metric: &'static str,
    /// What breached it (`all cases`, a rule id, `entry OP012`).
    pub subject: String,
    /// The measured rate.
    pub value: f64,
    /// The limit.
    pub max: f64,
    /// Cases behind the rate.
    pub cases: u64,
}

/// Every breach, in threshold order then subject order.
#[must_use]
pub fn check_thresholds(
    thresholds: &[Threshold],
    frame_cases: &CaseRates,
    case_counts: &dyn Fn(&Threshold) -> u64,
    rules: &[Rule],
    rule_rates: &[RuleRate],
    operators: &[OperatorRate],
) -> Vec<Alert> {
    let mut out = Vec::new();
    for t in thresholds {
        let mut push = |subject: String, value: f64, cases: u64| {
            if cases >= t.min_cases && value > t.max {
                out.push(Alert {
                    threshold: t.name.clone(),
                    metric: t.metric.name(),
                    subject,
                    value,
                    max: t.max,
                    cases,
                });
            }
        };
        match t.metric {
            Metric::CaseDefectRate => {
                let n = case_counts(t);
                push(
                    String::from("all cases"),
                    rate(n, frame_cases.cases),
                    frame_cases.cases,
                );
            }
            Metric::RuleErrorRate => {
                for rr in rule_rates {
                    let rule = &rules[rr.index];
                    let selected = t.rule.as_ref().is_none_or(|id| *id == rule.id)
                        && t.severity.is_none_or(|s| s == rule.severity)
                        && t.checkpoint.as_ref().is_none_or(|c| *c == rule.checkpoint);
                    if selected {
                        push(rule.id.clone(), rr.error_rate(), rr.applicable);
                    }
                }
            }
            Metric::OperatorErrorRate => {
                for o in operators {
                    if t.checkpoint.as_ref().is_none_or(|c| *c == o.stage) {
                        push(
                            format!("{} {}", o.stage, o.operator),
                            o.error_rate(),
                            o.cases_worked,
                        );
                    }
                }
            }
        }
    }
    out
}
