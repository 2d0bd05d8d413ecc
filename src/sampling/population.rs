//! The population a sample is drawn from: the checked cases after the filters, each with its
//! stratum, its in-scope findings and its weight, sorted by case id.
//!
//! # Filters
//!
//! | filter | keeps |
//! | --- | --- |
//! | period | cases whose `received_at` date lies in the period (both ends included) |
//! | checkpoint | cases that reached the checkpoint (its finish time is set); only findings at it count |
//! | operator | cases the operator worked at any stage (at the filtered checkpoints, when given) |
//! | branch, change type | cases with that value |
//! | rule, severity | cases with at least one finding of the rule / severity; only such findings count |
//!
//! The findings that count (*in-scope findings*) decide which cases are flagged, their
//! severity scores and what the workpaper lists.

use std::collections::BTreeMap;

use chrono::NaiveDate;
use polars::prelude::*;

use super::select::Unit;
use super::{SampleError, polars_err};
use crate::check::CheckResult;
use crate::hash::Hasher;
use crate::rules::Severity;
use crate::schema::{STAGE_FINISHED_FIELDS, STAGE_OPERATOR_FIELDS, STAGES};

/// Which cases may be sampled.
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Filters {
    /// Cases received from this date (inclusive).
    pub from: Option<NaiveDate>,
    /// Cases received up to this date (inclusive).
    pub to: Option<NaiveDate>,
    /// Checkpoints (stages).
    pub checkpoints: Vec<String>,
    /// Rule ids.
    pub rules: Vec<String>,
    /// Severities (`critical`, `major`, `minor`).
    pub severities: Vec<String>,
    /// Operator ids.
    pub operators: Vec<String>,
    /// Branches.
    pub branches: Vec<String>,
    /// Change types.
    pub change_types: Vec<String>,
}

impl Filters {
    /// Parses a period: `2026-10` (a month), `2026-W41` (an ISO week, Monday to Sunday),
    /// `2026-10-05` (a day) or `2026-10-01..2026-10-15`.
    pub fn parse_period(text: &str) -> Result<(NaiveDate, NaiveDate), String> {
        if let Some((y, w)) = text.split_once("-W") {
            let bad = || format!("`{text}` is not an ISO week YYYY-Www (weeks 01 to 52 or 53)");
            let (y, w) = (
                y.parse::<i32>().map_err(|_| bad())?,
                w.parse::<u32>().map_err(|_| bad())?,
            );
            let first = NaiveDate::from_isoywd_opt(y, w, chrono::Weekday::Mon).ok_or_else(bad)?;
            let last = NaiveDate::from_isoywd_opt(y, w, chrono::Weekday::Sun).ok_or_else(bad)?;
            return Ok((first, last));
        }
        let day = |s: &str| {
            NaiveDate::parse_from_str(s.trim(), "%Y-%m-%d")
                .map_err(|_| format!("`{s}` is not a date YYYY-MM-DD"))
        };
        if let Some((a, b)) = text.split_once("..") {
            let (a, b) = (day(a)?, day(b)?);
            if b < a {
                return Err(format!("the period {text} ends before it starts"));
            }
            return Ok((a, b));
        }
        if text.len() == 7 {
            let first = NaiveDate::parse_from_str(&format!("{text}-01"), "%Y-%m-%d")
                .map_err(|_| format!("`{text}` is not a month YYYY-MM"))?;
            let next = first
                .checked_add_months(chrono::Months::new(1))
                .ok_or_else(|| format!("`{text}` is out of range"))?;
            return Ok((first, next.pred_opt().unwrap_or(first)));
        }
        let d = day(text)?;
        Ok((d, d))
    }
}

/// What a case weighs in risk-weighted selection.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "snake_case", tag = "by")]
pub enum WeightBy {
    /// `|amount|` in cents; an empty amount weighs 0.
    Amount,
    /// The weight of the case's most severe in-scope finding, or `none` without findings.
    Severity {
        /// Weight of a critical finding.
        critical: u64,
        /// Weight of a major finding.
        major: u64,
        /// Weight of a minor finding.
        minor: u64,
        /// Weight of a case without findings.
        none: u64,
    },
}

impl WeightBy {
    /// The default severity scores: critical 10, major 5, minor 2, none 1.
    #[must_use]
    pub fn default_severity() -> Self {
        WeightBy::Severity {
            critical: 10,
            major: 5,
            minor: 2,
            none: 1,
        }
    }

    /// Parses `amount`, `severity` or `severity:critical=10,major=5,minor=2,none=1` (missing
    /// names keep their defaults).
    pub fn parse(text: &str) -> Result<Self, String> {
        match text.split_once(':') {
            None if text == "amount" => Ok(WeightBy::Amount),
            None if text == "severity" => Ok(Self::default_severity()),
            Some(("severity", list)) => {
                let mut w = [10_u64, 5, 2, 1];
                for part in list.split(',') {
                    let (name, value) = part
                        .split_once('=')
                        .ok_or_else(|| format!("`{part}`: write name=weight"))?;
                    let v: u64 = value
                        .trim()
                        .parse()
                        .map_err(|_| format!("`{value}` is not a whole number"))?;
                    let slot = match name.trim() {
                        "critical" => 0,
                        "major" => 1,
                        "minor" => 2,
                        "none" => 3,
                        other => {
                            return Err(format!(
                                "`{other}`: severity weights are critical, major, minor, none"
                            ));
                        }
                    };
                    w[slot] = v;
                }
                Ok(WeightBy::Severity {
                    critical: w[0],
                    major: w[1],
                    minor: w[2],
                    none: w[3],
                })
            }
            _ => Err(format!(
                "`{text}`: weight by `amount`, `severity` or `severity:critical=10,major=5,minor=2,none=1`"
            )),
        }
    }
}

/// The population, ready for selection.
#[derive(Debug, Clone)]
pub struct Population {
    /// The cases after filters, sorted by case id, with `__stratum` and `__weight` added.
    pub frame: DataFrame,
    /// The in-scope findings of those cases (the findings table's columns), sorted by case and rule.
    pub findings: DataFrame,
    /// One unit per case, in case id order.
    pub units: Vec<Unit>,
    /// SHA-256 of the population's cases: every field of every case, in case id order.
    pub hash: String,
    /// Cases before the filters.
    pub cases_before_filters: u64,
}

impl Population {
    /// Number of cases.
    #[must_use]
    pub fn size(&self) -> u64 {
        self.units.len() as u64
    }

    /// Cases with at least one in-scope finding.
    #[must_use]
    pub fn flagged(&self) -> u64 {
        self.units.iter().filter(|u| u.flag.is_some()).count() as u64
    }
}

/// Resolves a stratification key to an expression and a label: `stage` (where the case stands:
/// the first stage not finished, or `done`), `operator:STAGE` (who worked that stage), or any
/// case field (`branch`, `change_type`, `entry_operator`, a custom field...).
fn stratum_expr(key: &str, frame: &DataFrame) -> Result<Expr, SampleError> {
    if key == "stage" {
        let mut e = lit("done");
        for (stage, field) in STAGES.iter().zip(STAGE_FINISHED_FIELDS).rev() {
            require_column(frame, field, "stratify by stage")?;
            e = when(col(field).is_null()).then(lit(*stage)).otherwise(e);
        }
        return Ok(e);
    }
    let field = if let Some(stage) = key.strip_prefix("operator:") {
        let i = STAGES.iter().position(|s| *s == stage).ok_or_else(|| {
            SampleError::Usage(format!(
                "`{key}`: the stage must be one of {}",
                STAGES.join(", ")
            ))
        })?;
        STAGE_OPERATOR_FIELDS[i]
    } else if key == "operator" {
        return Err(SampleError::Usage(format!(
            "`--by operator` needs the stage whose operator defines the strata: {}",
            STAGES
                .iter()
                .map(|s| format!("operator:{s}"))
                .collect::<Vec<_>>()
                .join(", ")
        )));
    } else {
        key
    };
    require_column(frame, field, "stratify")?;
    Ok(col(field).cast(DataType::String).fill_null(lit("(empty)")))
}

fn require_column(frame: &DataFrame, field: &str, what: &str) -> Result<(), SampleError> {
    if frame.column(field).is_ok() && !field.starts_with("__") {
        Ok(())
    } else {
        Err(SampleError::Usage(format!(
            "cannot {what} by `{field}`: the cases have no such field (use stage, operator:STAGE, branch, change_type or another field of the cases file)"
        )))
    }
}

fn any_eq(e: &Expr, values: &[String]) -> Expr {
    values
        .iter()
        .map(|v| e.clone().eq(lit(v.clone())))
        .reduce(Expr::or)
        .unwrap_or(lit(false))
        .fill_null(lit(false))
}

/// Builds the population of a check under the filters.
pub fn build(
    check: &CheckResult,
    filters: &Filters,
    strata_by: &[String],
    weight: Option<&WeightBy>,
) -> Result<Population, SampleError> {
    let frame = &check.evaluation.frame;
    for c in &filters.checkpoints {
        if !STAGES.contains(&c.as_str()) {
            return Err(SampleError::Usage(format!(
                "unknown checkpoint `{c}`: use {}",
                STAGES.join(", ")
            )));
        }
    }
    for r in &filters.rules {
        if !check.rules.rules.iter().any(|x| &x.id == r) {
            return Err(SampleError::Usage(format!(
                "unknown rule `{r}`: `policyqc rules` lists the rule ids"
            )));
        }
    }
    for s in &filters.severities {
        if Severity::from_name(s).is_none() {
            return Err(SampleError::Usage(format!(
                "unknown severity `{s}`: use critical, major, minor"
            )));
        }
    }

    // Case filters.
    let mut keep = lit(true);
    if filters.from.is_some() || filters.to.is_some() {
        require_column(frame, "received_at", "filter the period")?;
        let day = col("received_at").dt().date();
        if let Some(f) = filters.from {
            keep = keep.and(day.clone().gt_eq(lit(f)).fill_null(lit(false)));
        }
        if let Some(t) = filters.to {
            keep = keep.and(day.lt_eq(lit(t)).fill_null(lit(false)));
        }
    }
    let stage_index = |c: &String| STAGES.iter().position(|s| s == c).unwrap_or(0);
    for c in &filters.checkpoints {
        require_column(
            frame,
            STAGE_FINISHED_FIELDS[stage_index(c)],
            "filter by checkpoint",
        )?;
    }
    if !filters.checkpoints.is_empty() {
        keep = keep.and(
            filters
                .checkpoints
                .iter()
                .map(|c| col(STAGE_FINISHED_FIELDS[stage_index(c)]).is_not_null())
                .reduce(Expr::or)
                .unwrap_or(lit(true)),
        );
    }
    if !filters.operators.is_empty() {
        let fields: Vec<&str> = if filters.checkpoints.is_empty() {
            STAGE_OPERATOR_FIELDS.to_vec()
        } else {
            filters
                .checkpoints
                .iter()
                .map(|c| STAGE_OPERATOR_FIELDS[stage_index(c)])
                .collect()
        };
        let mut any = lit(false);
        for f in fields {
            require_column(frame, f, "filter by operator")?;
            any = any.or(any_eq(&col(f), &filters.operators));
        }
        keep = keep.and(any);
    }
    if !filters.branches.is_empty() {
        require_column(frame, "branch", "filter by branch")?;
        keep = keep.and(any_eq(&col("branch"), &filters.branches));
    }
    if !filters.change_types.is_empty() {
        require_column(frame, "change_type", "filter by change type")?;
        keep = keep.and(any_eq(&col("change_type"), &filters.change_types));
    }

    // In-scope findings.
    let mut scope = lit(true);
    if !filters.checkpoints.is_empty() {
        scope = scope.and(any_eq(&col("checkpoint"), &filters.checkpoints));
    }
    if !filters.rules.is_empty() {
        scope = scope.and(any_eq(&col("rule_id"), &filters.rules));
    }
    if !filters.severities.is_empty() {
        scope = scope.and(any_eq(&col("severity"), &filters.severities));
    }
    let findings = check.evaluation.findings.clone().lazy().filter(scope);
    let rank = when(col("severity").eq(lit("critical")))
        .then(lit(0_i64))
        .when(col("severity").eq(lit("major")))
        .then(lit(1_i64))
        .otherwise(lit(2_i64));
    let flags = findings
        .clone()
        .group_by([col("case_id")])
        .agg([rank.min().alias("__flag")]);

    let stratum = if strata_by.is_empty() {
        lit("all")
    } else {
        let parts = strata_by
            .iter()
            .map(|k| stratum_expr(k, frame))
            .collect::<Result<Vec<_>, _>>()?;
        concat_str(parts, " / ", false)
    };
    let mut cases = frame
        .clone()
        .lazy()
        .filter(keep)
        .join(
            flags,
            [col("case_id")],
            [col("case_id")],
            JoinArgs::new(JoinType::Left),
        )
        .with_column(stratum.alias("__stratum"));
    if filters.rules.len() + filters.severities.len() > 0 {
        cases = cases.filter(col("__flag").is_not_null());
    }
    let weight_expr = match weight {
        None => lit(0_u64),
        Some(WeightBy::Amount) => {
            require_column(frame, "amount", "weight")?;
            col("amount")
                .abs()
                .fill_null(lit(0_i64))
                .cast(DataType::UInt64)
        }
        Some(WeightBy::Severity {
            critical,
            major,
            minor,
            none,
        }) => when(col("__flag").eq(lit(0_i64)))
            .then(lit(*critical))
            .when(col("__flag").eq(lit(1_i64)))
            .then(lit(*major))
            .when(col("__flag").eq(lit(2_i64)))
            .then(lit(*minor))
            .otherwise(lit(*none))
            .cast(DataType::UInt64),
    };
    let cases = cases
        .with_column(weight_expr.alias("__weight"))
        .sort(["case_id"], SortMultipleOptions::default())
        .collect()
        .map_err(polars_err)?;

    let ids = crate::input::column_str(&cases, "case_id");
    // A sample names cases by id: an empty or repeated id would make it ambiguous.
    let mut seen: BTreeMap<&str, usize> = BTreeMap::new();
    for (i, id) in ids.iter().enumerate() {
        let Some(id) = id.as_deref().filter(|s| !s.is_empty()) else {
            return Err(SampleError::Data(format!(
                "a case in {} has an empty case id (row {}): a sample names cases by id",
                check.cases_file,
                crate::input::column_u64(&cases, crate::input::ROW)
                    .get(i)
                    .copied()
                    .unwrap_or(0)
            )));
        };
        if seen.insert(id, i).is_some() {
            return Err(SampleError::Data(format!(
                "case id `{id}` appears more than once in {}: a sample names cases by id, so ids must be unique (see data_findings.csv of `policyqc check`)",
                check.cases_file
            )));
        }
    }
    let strata = crate::input::column_str(&cases, "__stratum");
    let weights = crate::input::column_u64(&cases, "__weight");
    let flag_col = cases
        .column("__flag")
        .map_err(polars_err)?
        .cast(&DataType::Int64)
        .map_err(polars_err)?;
    let flag_vals: Vec<Option<i64>> = flag_col.i64().map_err(polars_err)?.iter().collect();
    let units = ids
        .into_iter()
        .zip(strata)
        .zip(weights)
        .zip(flag_vals)
        .map(|(((id, s), w), f)| Unit {
            case_id: id.unwrap_or_default(),
            stratum: s.unwrap_or_default(),
            flag: f.and_then(|r| Severity::ALL.get(r as usize).copied()),
            weight: w,
        })
        .collect();
    let findings = findings
        .join(
            cases.clone().lazy().select([col("case_id")]),
            [col("case_id")],
            [col("case_id")],
            JoinArgs::new(JoinType::Semi),
        )
        .sort(
            ["case_id", "rule_id", "row"],
            SortMultipleOptions::default().with_maintain_order(true),
        )
        .collect()
        .map_err(polars_err)?;
    let hash = population_hash(&cases)?;
    Ok(Population {
        frame: cases,
        findings,
        units,
        hash,
        cases_before_filters: frame.height() as u64,
    })
}

/// SHA-256 over the population's case fields: for each field in name order (internal `__`
/// columns and the row number left out), its name then each value in case id order, nulls
/// marked by a byte no text can hold. Row order and file layout do not change it.
fn population_hash(cases: &DataFrame) -> Result<String, SampleError> {
    let mut names: Vec<String> = cases
        .get_column_names()
        .iter()
        .map(std::string::ToString::to_string)
        .filter(|n| !n.starts_with("__"))
        .collect();
    names.sort();
    let exprs: Vec<Expr> = names
        .iter()
        .map(|n| {
            let c = col(n.as_str());
            let dt = cases
                .column(n)
                .map_or(DataType::Null, |c| c.dtype().clone());
            match dt {
                DataType::Date => c.dt().strftime("%Y-%m-%d"),
                DataType::Datetime(_, _) => c.dt().strftime("%Y-%m-%d %H:%M:%S"),
                _ => c.cast(DataType::String),
            }
            .alias(n.as_str())
        })
        .collect();
    let text = cases
        .clone()
        .lazy()
        .select(exprs)
        .collect()
        .map_err(polars_err)?;
    let mut h = Hasher::new();
    h.update(format!("cases:{}", text.height()).as_bytes());
    for n in &names {
        h.update(n.as_bytes());
        for v in crate::input::column_str(&text, n) {
            match v {
                Some(s) => h.update(s.as_bytes()),
                None => h.update(&[0xff]),
            }
        }
    }
    Ok(h.hex())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn periods() {
        let d = |s: &str| NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap();
        assert_eq!(
            Filters::parse_period("2026-10").unwrap(),
            (d("2026-10-01"), d("2026-10-31"))
        );
        assert_eq!(
            Filters::parse_period("2024-02").unwrap(),
            (d("2024-02-01"), d("2024-02-29"))
        );
        assert_eq!(
            Filters::parse_period("2026-10-05").unwrap(),
            (d("2026-10-05"), d("2026-10-05"))
        );
        assert_eq!(
            Filters::parse_period("2026-10-01..2026-10-15").unwrap(),
            (d("2026-10-01"), d("2026-10-15"))
        );
        assert!(Filters::parse_period("2026-10-15..2026-10-01").is_err());
        assert!(Filters::parse_period("October").is_err());
        // ISO weeks: 2026-W41 is Monday 5 to Sunday 11 October; 2026 has 53 weeks, not 54.
        assert_eq!(
            Filters::parse_period("2026-W41").unwrap(),
            (d("2026-10-05"), d("2026-10-11"))
        );
        assert_eq!(
            Filters::parse_period("2026-W53").unwrap(),
            (d("2026-12-28"), d("2027-01-03"))
        );
        assert!(Filters::parse_period("2026-W54").is_err());
        assert!(Filters::parse_period("2025-W53").is_err());
        assert!(Filters::parse_period("2026-41").is_err());
    }

    #[test]
    fn weights() {
        assert_eq!(WeightBy::parse("amount"), Ok(WeightBy::Amount));
        assert_eq!(
            WeightBy::parse("severity:critical=20,none=0"),
            Ok(WeightBy::Severity {
                critical: 20,
                major: 5,
                minor: 2,
                none: 0
            })
        );
        assert!(WeightBy::parse("severity:urgent=3").is_err());
        assert!(WeightBy::parse("premium").is_err());
    }
}
