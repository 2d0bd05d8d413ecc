//! Alert thresholds (`thresholds.yaml` in the rule directory): when any is breached,
//! `policyqc check` exits with code 1.

use super::diagnostics::{Diagnostics, SourceFile, suggest};
use super::reader::{FieldCatalog, MapReader};
use super::yaml::{Node, Value};
use crate::rules::Severity;
use crate::schema::STAGES;

/// What a threshold measures.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[allow(clippy::enum_variant_names)] // the metric names of thresholds.yaml: all rates
pub enum Metric {
    /// Cases with at least one (matching) finding / cases checked.
    CaseDefectRate,
    /// For each rule: failures / cases the rule applies to.
    RuleErrorRate,
    /// For each operator and stage: findings attributed / cases worked at that stage.
    OperatorErrorRate,
}

impl Metric {
    pub(crate) const NAMES: [(&'static str, Metric); 3] = [
        ("case_defect_rate", Metric::CaseDefectRate),
        ("rule_error_rate", Metric::RuleErrorRate),
        ("operator_error_rate", Metric::OperatorErrorRate),
    ];

    /// Its YAML name.
    #[must_use]
    pub fn name(self) -> &'static str {
        Self::NAMES
            .iter()
            .find(|(_, m)| *m == self)
            .map_or("", |(n, _)| n)
    }
}

/// One threshold.
#[derive(Debug, Clone, PartialEq)]
pub struct Threshold {
    /// Shown in alerts.
    pub name: String,
    /// What is measured.
    pub metric: Metric,
    /// Only findings of this severity count.
    pub severity: Option<Severity>,
    /// Only findings of this checkpoint count.
    pub checkpoint: Option<String>,
    /// Only this rule (`rule_error_rate`).
    pub rule: Option<String>,
    /// The highest acceptable rate (0-1).
    pub max: f64,
    /// Rates over fewer cases than this are not judged.
    pub min_cases: u64,
}

pub(crate) const KEYS: &[&str] = &[
    "name",
    "metric",
    "severity",
    "checkpoint",
    "rule",
    "max",
    "min_cases",
];

/// Reads `thresholds.yaml`.
pub fn read(root: &Node, file: &SourceFile, diags: &mut Diagnostics) -> Vec<Threshold> {
    let catalog = FieldCatalog::new(Vec::new());
    let mut out = Vec::new();
    if matches!(root.value, Value::Null) {
        return out;
    }
    let mut top = MapReader::new(root, file, diags, &catalog);
    let list = top.get("thresholds");
    top.finish(&["thresholds"], "thresholds.yaml");
    let Some(list) = list else { return out };
    let Some(items) = list.as_seq() else {
        diags.push(super::diagnostics::Problem::error(
            "thresholds::wrong-type",
            file,
            list.span,
            "`thresholds` must be a list",
        ));
        return out;
    };
    for item in items {
        if item.as_map().is_none() {
            diags.push(super::diagnostics::Problem::error(
                "thresholds::wrong-type",
                file,
                item.span,
                "a threshold must be a mapping",
            ));
            continue;
        }
        let mut r = MapReader::new(item, file, diags, &catalog);
        let metric = r
            .req_string(
                "metric",
                "case_defect_rate, rule_error_rate or operator_error_rate",
            )
            .and_then(|(m, span)| {
                let found = Metric::NAMES.iter().find(|(n, _)| *n == m).map(|(_, v)| *v);
                if found.is_none() {
                    let hint = suggest(&m, Metric::NAMES.iter().map(|(n, _)| *n))
                        .map_or_else(String::new, |s| format!("did you mean `{s}`?"));
                    r.error(
                        "thresholds::bad-value",
                        span,
                        format!("unknown metric `{m}`"),
                    )
                    .help = Some(hint);
                }
                found
            });
        let name = r.opt_string("name").map(|n| n.0);
        let severity = r.opt_string("severity").and_then(|(s, span)| {
            let v = Severity::from_name(&s);
            if v.is_none() {
                r.error(
                    "thresholds::bad-value",
                    span,
                    format!("unknown severity `{s}`: use critical, major or minor"),
                );
            }
            v
        });
        let checkpoint = r.opt_string("checkpoint").and_then(|(s, span)| {
            if STAGES.contains(&s.as_str()) {
                Some(s)
            } else {
                r.error(
                    "thresholds::bad-value",
                    span,
                    format!("unknown checkpoint `{s}`: use {}", STAGES.join(", ")),
                );
                None
            }
        });
        let rule = r.opt_string("rule").map(|s| s.0);
        let max = r
            .require(
                "max",
                "the highest acceptable rate, a fraction such as 0.02",
            )
            .and_then(|n| match n.value {
                Value::Float(f) if (0.0..=1.0).contains(&f) => Some(f),
                Value::Int(i) if i == 0 || i == 1 => Some(i as f64),
                _ => {
                    r.error(
                        "thresholds::bad-value",
                        n.span,
                        "`max` must be a rate between 0 and 1 (0.02 = 2%)",
                    );
                    None
                }
            });
        let min_cases = r.get("min_cases").map_or(Some(0), |n| match n.value {
            Value::Int(i) if i >= 0 => Some(i as u64),
            _ => {
                r.error(
                    "thresholds::bad-value",
                    n.span,
                    "`min_cases` must be a whole number",
                );
                None
            }
        });
        r.finish(KEYS, "a threshold");
        if let (Some(metric), Some(max), Some(min_cases)) = (metric, max, min_cases) {
            let name = name.unwrap_or_else(|| metric.name().to_owned());
            out.push(Threshold {
                name,
                metric,
                severity,
                checkpoint,
                rule,
                max,
                min_cases,
            });
        }
    }
    out
}
