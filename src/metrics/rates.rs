//! Case, rule and operator rates (definitions in the module above).

use polars::prelude::*;

use super::{rate, stage_of};
use crate::engine::evaluate::status_column;
use crate::rules::{Rule, Severity};
use crate::schema::STAGES;

/// Case-level counts.
#[derive(Debug, Clone, PartialEq)]
pub struct CaseRates {
    /// Cases checked (= cases read).
    pub cases: u64,
    /// Cases with at least one finding.
    pub with_findings: u64,
    /// Per checkpoint: cases with a finding of that checkpoint, in stage order.
    pub by_checkpoint: Vec<(String, u64)>,
    /// Per severity: cases with a finding of that severity.
    pub by_severity: Vec<(Severity, u64)>,
}

impl CaseRates {
    /// Cases with at least one finding / cases checked.
    #[must_use]
    pub fn defect_rate(&self) -> f64 {
        rate(self.with_findings, self.cases)
    }
}

fn any_failed<'a>(rules: impl Iterator<Item = (usize, &'a Rule)>) -> Expr {
    rules
        .map(|(i, _)| col(status_column(i).as_str()).fill_null(lit(false)))
        .reduce(Expr::or)
        .unwrap_or(lit(false))
}

fn count_true(df: &DataFrame, name: &str) -> u64 {
    df.column(name)
        .ok()
        .and_then(|c| c.as_materialized_series().sum::<u64>().ok())
        .unwrap_or(0)
}

/// Counts cases with findings, overall, per checkpoint and per severity: one pass.
pub fn case_rates(frame: &DataFrame, rules: &[Rule]) -> PolarsResult<CaseRates> {
    let indexed = || rules.iter().enumerate();
    let mut exprs = vec![any_failed(indexed()).alias("all")];
    for cp in STAGES {
        exprs.push(
            any_failed(indexed().filter(|(_, r)| r.checkpoint == cp))
                .alias(format!("cp_{cp}").as_str()),
        );
    }
    for sev in Severity::ALL {
        exprs.push(
            any_failed(indexed().filter(|(_, r)| r.severity == sev))
                .alias(format!("sev_{}", sev.name()).as_str()),
        );
    }
    // Several of these sums can be the same expression (e.g. a pack whose rules are all
    // minor intake rules); polars 0.55's common-subexpression elimination then builds a
    // length-1 column and panics, so it is off for this aggregation.
    let flags = frame
        .clone()
        .lazy()
        .with_comm_subexpr_elim(false)
        .select(
            exprs
                .into_iter()
                .map(polars::prelude::Expr::sum)
                .collect::<Vec<_>>(),
        )
        .collect()?;
    Ok(CaseRates {
        cases: frame.height() as u64,
        with_findings: count_true(&flags, "all"),
        by_checkpoint: STAGES
            .iter()
            .map(|cp| ((*cp).to_owned(), count_true(&flags, &format!("cp_{cp}"))))
            .collect(),
        by_severity: Severity::ALL
            .iter()
            .map(|s| (*s, count_true(&flags, &format!("sev_{}", s.name()))))
            .collect(),
    })
}

/// One rule's counts.
#[derive(Debug, Clone, PartialEq)]
pub struct RuleRate {
    /// Index in the rule set.
    pub index: usize,
    /// Cases the rule applies to.
    pub applicable: u64,
    /// Cases failing it.
    pub failed: u64,
}

impl RuleRate {
    /// failed / applicable.
    #[must_use]
    pub fn error_rate(&self) -> f64 {
        rate(self.failed, self.applicable)
    }
}

/// Applicable and failed counts of every rule, in one pass.
pub fn rule_rates(frame: &DataFrame, rules: &[Rule]) -> PolarsResult<Vec<RuleRate>> {
    let mut exprs = Vec::new();
    for i in 0..rules.len() {
        let c = col(status_column(i).as_str());
        exprs.push(
            c.clone()
                .count()
                .cast(DataType::UInt64)
                .alias(format!("a{i}").as_str()),
        );
        exprs.push(
            c.cast(DataType::UInt64)
                .sum()
                .alias(format!("f{i}").as_str()),
        );
    }
    if exprs.is_empty() {
        return Ok(Vec::new());
    }
    let row = frame.clone().lazy().select(exprs).collect()?;
    let get = |name: String| {
        row.column(&name)
            .ok()
            .and_then(|c| c.get(0).ok())
            .and_then(|v| v.extract::<u64>())
            .unwrap_or(0)
    };
    Ok((0..rules.len())
        .map(|i| RuleRate {
            index: i,
            applicable: get(format!("a{i}")),
            failed: get(format!("f{i}")),
        })
        .collect())
}

/// One operator's counts at one stage.
#[derive(Debug, Clone, PartialEq)]
pub struct OperatorRate {
    /// The stage (from the responsible field).
    pub stage: String,
    /// The operator.
    pub operator: String,
    /// Cases whose stage operator field names the operator.
    pub cases_worked: u64,
    /// Findings attributed to the operator at this stage.
    pub findings: u64,
    /// Cases with at least one such finding.
    pub cases_with_findings: u64,
}

impl OperatorRate {
    /// findings / cases worked.
    #[must_use]
    pub fn error_rate(&self) -> f64 {
        rate(self.findings, self.cases_worked)
    }
}

/// The cases of one responsible field grouped by its operator and the change type: the
/// shared base of the operator rates and the QC sheet (one group-by per field serves both).
#[derive(Debug, Clone)]
pub struct OperatorGroups {
    /// The responsible field (an operator field such as `entry_operator`).
    pub field: String,
    /// Indices of the rules attributed to the field.
    pub rules: Vec<usize>,
    /// One row per (operator, change type), either possibly empty: `operator`,
    /// `change_type`, `cases`, `findings` (failures of the field's rules), `with` (cases
    /// failing any of them), and per rule `i` `c{i}` (cases it applied to) and `f{i}`
    /// (cases failing it).
    pub df: DataFrame,
}

/// [`OperatorGroups`] of every responsible field, in order of first use by the rules.
pub fn operator_groups(frame: &DataFrame, rules: &[Rule]) -> PolarsResult<Vec<OperatorGroups>> {
    let change_type = if frame
        .get_column_names()
        .iter()
        .any(|c| c.as_str() == "change_type")
    {
        col("change_type")
    } else {
        lit(NULL).cast(DataType::String)
    };
    let mut fields: Vec<&str> = Vec::new();
    for rule in rules {
        if !fields.contains(&rule.responsible.as_str()) {
            fields.push(rule.responsible.as_str());
        }
    }
    let mut out = Vec::new();
    for field in fields {
        let mine: Vec<usize> = rules
            .iter()
            .enumerate()
            .filter(|(_, r)| r.responsible == field)
            .map(|(i, _)| i)
            .collect();
        let findings = mine
            .iter()
            .map(|i| {
                col(status_column(*i).as_str())
                    .fill_null(lit(false))
                    .cast(DataType::UInt64)
            })
            .reduce(|a, b| a + b)
            .unwrap_or(lit(0_u64));
        let mut aggs = vec![
            len().cast(DataType::UInt64).alias("cases"),
            findings
                .clone()
                .sum()
                .cast(DataType::UInt64)
                .alias("findings"),
            findings
                .gt(lit(0_u64))
                .cast(DataType::UInt64)
                .sum()
                .alias("with"),
        ];
        for i in &mine {
            let s = col(status_column(*i).as_str());
            aggs.push(
                s.clone()
                    .count()
                    .cast(DataType::UInt64)
                    .alias(format!("c{i}").as_str()),
            );
            aggs.push(
                s.cast(DataType::UInt64)
                    .sum()
                    .alias(format!("f{i}").as_str()),
            );
        }
        let df = frame
            .clone()
            .lazy()
            .group_by([
                col(field).alias("operator"),
                change_type.clone().alias("change_type"),
            ])
            .agg(aggs)
            .collect()?;
        out.push(OperatorGroups {
            field: field.to_owned(),
            rules: mine,
            df,
        });
    }
    Ok(out)
}

/// Per stage and operator: cases worked and findings attributed. Sorted by stage order, then operator.
pub fn operator_rates(frame: &DataFrame, rules: &[Rule]) -> PolarsResult<Vec<OperatorRate>> {
    operator_rates_from(&operator_groups(frame, rules)?)
}

/// [`operator_rates`] from the groups already made.
pub fn operator_rates_from(groups: &[OperatorGroups]) -> PolarsResult<Vec<OperatorRate>> {
    let mut ordered: Vec<&OperatorGroups> = groups.iter().collect();
    ordered.sort_by_key(|g| {
        (
            STAGES
                .iter()
                .position(|s| *s == stage_of(&g.field))
                .unwrap_or(usize::MAX),
            g.field.clone(),
        )
    });
    let mut out = Vec::new();
    for g in ordered {
        let field = g.field.as_str();
        let grouped =
            g.df.clone()
                .lazy()
                .filter(col("operator").is_not_null())
                .group_by([col("operator")])
                .agg([col("cases").sum(), col("findings").sum(), col("with").sum()])
                .sort(["operator"], SortMultipleOptions::default())
                .collect()?;
        let ops = crate::input::column_str(&grouped, "operator");
        let cases = crate::input::column_u64(&grouped, "cases");
        let found = crate::input::column_u64(&grouped, "findings");
        let with = crate::input::column_u64(&grouped, "with");
        for i in 0..grouped.height() {
            out.push(OperatorRate {
                stage: stage_of(field).to_owned(),
                operator: ops[i].clone().unwrap_or_default(),
                cases_worked: cases[i],
                findings: found[i],
                cases_with_findings: with[i],
            });
        }
    }
    Ok(out)
}
