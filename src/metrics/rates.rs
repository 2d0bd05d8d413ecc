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

/// Applicable and failed counts of every rule, from the per-operator groups: every case is in
/// exactly one group of its rule's responsible field, so a rule's counts are its columns' sums
/// over those few thousand groups (instead of two more passes over every case per rule).
pub fn rule_rates_from(groups: &[OperatorGroups], rules: &[Rule]) -> PolarsResult<Vec<RuleRate>> {
    let mut out: Vec<RuleRate> = (0..rules.len())
        .map(|index| RuleRate {
            index,
            applicable: 0,
            failed: 0,
        })
        .collect();
    for g in groups {
        if g.rules.is_empty() {
            continue;
        }
        let sums =
            g.df.clone()
                .lazy()
                .select(
                    g.rules
                        .iter()
                        .flat_map(|i| [format!("c{i}"), format!("f{i}")])
                        .map(|c| col(c.as_str()).sum().cast(DataType::UInt64))
                        .collect::<Vec<_>>(),
                )
                .collect()?;
        for &i in &g.rules {
            let get = |name: String| {
                crate::input::column_u64(&sums, &name)
                    .first()
                    .copied()
                    .unwrap_or(0)
            };
            out[i].applicable = get(format!("c{i}"));
            out[i].failed = get(format!("f{i}"));
        }
    }
    Ok(out)
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
///
/// The change types are numbered (their distinct values, sorted; empty gets the last number)
/// and each field is grouped by its operator and that number: a group-by on two text columns
/// encodes both texts of every case first, which took most of the time. The counts over all
/// cases (cases, and per rule the cases it applied to) come from that group-by; the failure
/// counts from the same group-by over the few cases failing any rule.
pub fn operator_groups(frame: &DataFrame, rules: &[Rule]) -> PolarsResult<Vec<OperatorGroups>> {
    let has_type = frame
        .get_column_names()
        .iter()
        .any(|c| c.as_str() == "change_type");
    let mut fields: Vec<&str> = Vec::new();
    for rule in rules {
        if !fields.contains(&rule.responsible.as_str()) {
            fields.push(rule.responsible.as_str());
        }
    }
    if fields.is_empty() {
        return Ok(Vec::new());
    }
    let (types, type_code) = if has_type {
        let types = distinct_values(frame, "change_type")?;
        let code = code_expr("change_type", &types);
        (types, code)
    } else {
        let none = Series::new_empty("change_type".into(), &DataType::String);
        (none, lit(0_u32))
    };
    // The operators, the change type numbers and the statuses: all the group-bys read.
    let keyed = frame
        .clone()
        .lazy()
        .select(
            fields
                .iter()
                .map(|f| col(*f))
                .chain(std::iter::once(type_code.alias("__type")))
                .chain((0..rules.len()).map(|i| col(status_column(i).as_str())))
                .collect::<Vec<_>>(),
        )
        .collect()?;
    let failing = keyed
        .clone()
        .lazy()
        .filter(any_failed(rules.iter().enumerate()))
        .collect()?;
    let mut types_with_empty = types.clone();
    types_with_empty.append(&Series::full_null("".into(), 1, &DataType::String))?;
    let group = |field: &&str| -> PolarsResult<OperatorGroups> {
        let key = || [col(*field).alias("operator"), col("__type")];
        let mine: Vec<usize> = rules
            .iter()
            .enumerate()
            .filter(|(_, r)| r.responsible == *field)
            .map(|(i, _)| i)
            .collect();
        let mut dense = vec![len().cast(DataType::UInt64).alias("cases")];
        dense.extend(mine.iter().map(|i| {
            col(status_column(*i).as_str())
                .count()
                .cast(DataType::UInt64)
                .alias(format!("c{i}").as_str())
        }));
        let counts = keyed.clone().lazy().group_by(key()).agg(dense);
        let findings = mine
            .iter()
            .map(|i| {
                col(status_column(*i).as_str())
                    .fill_null(lit(false))
                    .cast(DataType::UInt64)
            })
            .reduce(|a, b| a + b)
            .unwrap_or(lit(0_u64));
        let mut sparse = vec![
            findings.clone().sum().alias("findings"),
            findings
                .gt(lit(0_u64))
                .cast(DataType::UInt64)
                .sum()
                .alias("with"),
        ];
        sparse.extend(mine.iter().map(|i| {
            col(status_column(*i).as_str())
                .cast(DataType::UInt64)
                .sum()
                .alias(format!("f{i}").as_str())
        }));
        let failures = failing.clone().lazy().group_by(key()).agg(sparse);
        let mut columns = vec![
            col("operator"),
            lit(types_with_empty.clone())
                .gather(col("__type").cast(IDX_DTYPE), false)
                .alias("change_type"),
            col("cases"),
            col("findings").fill_null(lit(0_u64)),
            col("with").fill_null(lit(0_u64)),
        ];
        for i in &mine {
            columns.push(col(format!("c{i}").as_str()));
            columns.push(col(format!("f{i}").as_str()).fill_null(lit(0_u64)));
        }
        let mut args = JoinArgs::new(JoinType::Left);
        args.nulls_equal = true;
        let df = counts
            .join(
                failures,
                [col("operator"), col("__type")],
                [col("operator"), col("__type")],
                args,
            )
            .select(columns)
            .collect()?;
        Ok(OperatorGroups {
            field: (*field).to_owned(),
            rules: mine,
            df,
        })
    };
    fields.iter().map(group).collect()
}

/// The distinct non-empty values of a text column, sorted.
fn distinct_values(frame: &DataFrame, column: &str) -> PolarsResult<Series> {
    let values = frame
        .clone()
        .lazy()
        .select([col(column).cast(DataType::String).unique().drop_nulls()])
        .sort([column], SortMultipleOptions::default())
        .collect()?;
    Ok(values.column(column)?.as_materialized_series().clone())
}

/// A text column's values as numbers: the position in `values` (which holds every value of
/// the column), empty as `values.len()`.
fn code_expr(column: &str, values: &Series) -> Expr {
    if values.is_empty() {
        return lit(0_u32);
    }
    let numbers = Series::new("n".into(), (0..values.len() as u32).collect::<Vec<_>>());
    col(column)
        .cast(DataType::String)
        .replace_strict(
            lit(values.clone()),
            lit(numbers),
            None,
            Some(DataType::UInt32),
        )
        .fill_null(lit(values.len() as u32))
}

/// Per stage and operator, from the groups: cases worked and findings attributed. Sorted by
/// stage order, then operator.
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
