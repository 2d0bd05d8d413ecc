//! The rules' findings computed elsewhere (`--rule-findings FILE` of `scorecard` and
//! `sample`): the `findings.csv` or `findings.parquet` of an earlier `check`, or the result of
//! the `policyqc sql` script on `DuckDB`, Spark or Trino (`examples/spark/`), used instead of
//! evaluating the rules again.
//!
//! Such a file is trusted only as far as it agrees with the run: it has the columns of
//! `findings.csv`; each row names a rule of the pack being used, at the same `file:line`
//! (findings of another version of the pack are refused, since the sample's manifest and the
//! scorecard record this pack's hash), and a case of the cases file at its row, with its case
//! id. Anything else is an error naming the file, its row and the column.
//!
//! The cases then carry each rule's status as failed where the file has a finding and passed
//! elsewhere: which cases a rule did not apply to is not in a findings file, so the rule and
//! case rates of such a run count every case as judged (neither `scorecard` nor `sample`
//! shows them).

use std::collections::HashMap;
use std::path::Path;

use polars::prelude::*;

use crate::engine::findings::COLUMNS;
use crate::engine::status::status_column;
use crate::input::{ROW, column_str, column_u64};
use crate::rules::RuleSet;

/// Why a findings file cannot stand for the rules' findings.
#[derive(Debug, thiserror::Error, miette::Diagnostic)]
pub enum RuleFindingsError {
    /// The file cannot be read.
    #[error("cannot read the rule findings {path}: {message}")]
    #[diagnostic(code(input::rule_findings))]
    Read {
        /// The file.
        path: String,
        /// Why.
        message: String,
    },
    /// A column of `findings.csv` is missing.
    #[error("{path} has no column `{column}`: rule findings have the columns of findings.csv ({})", COLUMNS.join(", "))]
    #[diagnostic(
        code(input::rule_findings_column),
        help(
            "give the findings.csv|parquet of `policyqc check`, or the last result of the `policyqc sql` script"
        )
    )]
    Column {
        /// The file.
        path: String,
        /// The missing column.
        column: String,
    },
    /// A row does not agree with the rule pack or the cases.
    #[error("{path}, row {row}, column `{column}`: {message}")]
    #[diagnostic(
        code(input::rule_findings_row),
        help(
            "the findings must come from the same cases and the same rule pack (`policyqc rules` lists it; its hash is in every manifest)"
        )
    )]
    Row {
        /// The file.
        path: String,
        /// The row as a spreadsheet shows it (a CSV's header is row 1).
        row: u64,
        /// The column.
        column: String,
        /// What is wrong.
        message: String,
    },
}

fn read_error(path: &Path, e: impl std::fmt::Display) -> RuleFindingsError {
    RuleFindingsError::Read {
        path: path.display().to_string(),
        message: e.to_string(),
    }
}

/// A findings file read and checked against the run.
#[derive(Debug)]
pub struct RuleFindings {
    /// The findings, in the shape (and order) of the engine's.
    pub findings: DataFrame,
    /// Per rule of the pack (by its index), the rows of the cases it failed.
    failed: Vec<Vec<u64>>,
}

/// Reads `path` (CSV or Parquet, every column as text), checks it against the `rules` being
/// used and the `cases` (their `case_id` and row number columns), and returns it in the shape
/// of the engine's findings, with the rows each rule failed.
///
/// # Errors
/// An unreadable file, a missing column, or a row naming a rule not in `rules` (or at
/// another `file:line`), a case not at that row of the cases, or a value that is not a
/// number where one is expected.
pub fn read(
    path: &Path,
    rules: &RuleSet,
    cases: &DataFrame,
) -> Result<RuleFindings, RuleFindingsError> {
    let name = path.display().to_string();
    let parquet = path.extension().is_some_and(|e| e == "parquet");
    let raw = if parquet {
        let file = std::fs::File::open(path).map_err(|e| read_error(path, e))?;
        ParquetReader::new(file)
            .finish()
            .map_err(|e| read_error(path, e))?
    } else {
        CsvReadOptions::default()
            .with_infer_schema_length(Some(0))
            .try_into_reader_with_file_path(Some(path.to_path_buf()))
            .and_then(CsvReader::finish)
            .map_err(|e| read_error(path, e))?
    };
    // Rows as a spreadsheet shows them.
    let first_row: u64 = if parquet { 1 } else { 2 };
    for c in COLUMNS {
        if raw.column(c).is_err() {
            return Err(RuleFindingsError::Column {
                path: name,
                column: c.to_owned(),
            });
        }
    }
    let text = |c: &str| -> Vec<Option<String>> { column_str(&raw, c) };
    let bad = |i: usize, column: &str, message: String| RuleFindingsError::Row {
        path: name.clone(),
        row: first_row + i as u64,
        column: column.to_owned(),
        message,
    };
    let number = |i: usize, column: &str, v: Option<&String>| -> Result<u64, RuleFindingsError> {
        v.and_then(|v| v.trim().parse::<u64>().ok()).ok_or_else(|| {
            bad(
                i,
                column,
                format!("`{}` is not a whole number", v.map_or("", |v| v)),
            )
        })
    };
    let pack: HashMap<&str, (usize, String)> = rules
        .rules
        .iter()
        .enumerate()
        .map(|(k, r)| (r.id.as_str(), (k, r.source.to_string())))
        .collect();
    let case_of_row: HashMap<u64, Option<String>> = column_u64(cases, ROW)
        .into_iter()
        .zip(column_str(cases, "case_id"))
        .collect();
    let (ids, sources, case_ids, rows, points) = (
        text("rule_id"),
        text("rule_source"),
        text("case_id"),
        text("row"),
        text("error_point"),
    );
    let mut row_numbers = Vec::with_capacity(ids.len());
    let mut error_points = Vec::with_capacity(ids.len());
    let mut failed: Vec<Vec<u64>> = vec![Vec::new(); rules.rules.len()];
    for i in 0..ids.len() {
        let id = ids[i].as_deref().unwrap_or_default();
        let Some((k, source)) = pack.get(id) else {
            return Err(bad(
                i,
                "rule_id",
                format!(
                    "`{id}` is not a rule of the pack being used (or it was not evaluated on these cases)"
                ),
            ));
        };
        let theirs = sources[i].as_deref().unwrap_or_default();
        if theirs != source {
            return Err(bad(
                i,
                "rule_source",
                format!(
                    "`{theirs}`, but the pack has `{id}` at {source}: the findings come from another version of the pack"
                ),
            ));
        }
        let row = number(i, "row", rows[i].as_ref())?;
        let case = case_ids[i].as_deref().unwrap_or_default();
        match case_of_row.get(&row) {
            Some(c) if c.as_deref().unwrap_or_default() == case => {}
            Some(c) => {
                return Err(bad(
                    i,
                    "case_id",
                    format!(
                        "`{case}`, but row {row} of the cases is case `{}`",
                        c.as_deref().unwrap_or_default()
                    ),
                ));
            }
            None => {
                return Err(bad(
                    i,
                    "row",
                    format!("the cases have no row {row} (case `{case}`)"),
                ));
            }
        }
        let point = number(i, "error_point", points[i].as_ref())?;
        row_numbers.push(row);
        failed[*k].push(row);
        error_points.push(i64::try_from(point).unwrap_or(i64::MAX));
    }
    let mut columns: Vec<Column> = Vec::with_capacity(COLUMNS.len());
    for c in COLUMNS {
        columns.push(match c {
            "row" => Column::new(c.into(), &row_numbers),
            "error_point" => Column::new(c.into(), &error_points),
            _ => Column::new(c.into(), text(c)),
        });
    }
    let findings = DataFrame::new_infer_height(columns)
        .and_then(|df| {
            df.lazy()
                .sort(
                    ["case_id", "rule_id", "row"],
                    SortMultipleOptions::default().with_maintain_order(true),
                )
                .collect()
        })
        .map_err(|e| read_error(path, e))?;
    Ok(RuleFindings { findings, failed })
}

/// The cases with one status column per rule: failed at the rows the findings name, passed
/// elsewhere.
///
/// # Errors
/// A polars error.
pub fn statuses(cases: &DataFrame, read: &RuleFindings) -> PolarsResult<DataFrame> {
    let exprs: Vec<Expr> = read
        .failed
        .iter()
        .enumerate()
        .map(|(k, rows)| {
            col(ROW)
                .is_in(
                    lit(Series::new("rows".into(), rows.as_slice())).implode(false),
                    false,
                )
                .alias(status_column(k).as_str())
        })
        .collect();
    cases.clone().lazy().with_columns(exprs).collect()
}
