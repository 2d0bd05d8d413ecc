//! People's findings (the `findings` file: the QC sheet, spot checks, finished-product checks,
//! audits): validated row by row before they are merged with the rules' findings.
//!
//! A row is **accepted** when its case is in the cases file, its error point is 1-14, its
//! severity is critical, major or minor, its source is `double_check`, `spot_check`,
//! `finished_product_check` or `audit`, its stage (when given) is one of the six, `found_by`
//! (when given) is on the operator roster, and the case names an operator for the stage, to
//! whom the error is attributed. An empty stage is the error point's origin stage
//! ([`crate::schema::ERROR_POINTS`]), except for points 10 and 13, which happen at any stage
//! and must name it. Every other row is **left out and reported**, one data finding per
//! problem, with its file, row, column and value. Severity, source and stage are compared in
//! lower case with surrounding spaces ignored.

use polars::prelude::*;

use crate::config::columns::ColumnMap;
use crate::input::{DataIssue, ROW, TableData, column_str, column_u64};
use crate::schema::{ERROR_POINTS, SEVERITIES, STAGES, Table};

/// The sources of people's findings.
pub const SOURCES: [&str; 4] = [
    "double_check",
    "spot_check",
    "finished_product_check",
    "audit",
];

/// The validated findings.
#[derive(Debug, Clone)]
pub struct PeopleFindings {
    /// Accepted rows: `case_row, case_id, stage, operator, error_point, severity, source,
    /// found_by, found_at, source_row`.
    pub accepted: DataFrame,
    /// One per problem of a rejected row (and unreadable optional values of accepted rows).
    pub issues: Vec<DataIssue>,
    /// Rows read.
    pub rows_read: u64,
    /// Rows left out.
    pub rows_rejected: u64,
}

type Msg = Box<dyn Fn(&str) -> String>;

/// Validates the `findings` table. `case_index` is `case_id, case_row` (one row per case id),
/// `work` the long stage frame of [`super::activity::stage_work`], `roster` the operator ids.
pub fn validate(
    t: &TableData,
    map: &ColumnMap,
    case_index: &DataFrame,
    work: LazyFrame,
    roster: &[String],
) -> PolarsResult<PeopleFindings> {
    let column_of = |field: &str| {
        map.mappings(Table::Findings)
            .into_iter()
            .find(|m| m.field == field)
            .map_or_else(|| field.to_owned(), |m| m.column)
    };
    let norm = |c: &str| col(c).str().strip_chars(lit(NULL)).str().to_lowercase();
    let origin = super::cases(
        ERROR_POINTS
            .iter()
            .filter(|(n, _, _)| *n != 10 && *n != 13)
            .map(|(n, _, st)| (col("error_point").eq(lit(i64::from(*n))), lit(*st)))
            .collect(),
        lit(NULL).cast(DataType::String),
    );
    let roster_s = Series::new("r".into(), roster.to_vec());
    let index = case_index.clone().lazy();
    let ops = work.select([
        col("case_row").alias("w_row"),
        col("stage").alias("w_stage"),
        col("operator"),
    ]);
    let frame =
        t.df.clone()
            .lazy()
            .with_columns([
                norm("severity").alias("sev_n"),
                norm("source").alias("src_n"),
                norm("stage").alias("stage_n"),
            ])
            .with_column(coalesce(&[col("stage_n"), origin]).alias("stage_r"))
            .join(
                index,
                [col("case_id")],
                [col("case_id")],
                super::left_ordered(),
            )
            .join(
                ops,
                [col("case_row"), col("stage_r")],
                [col("w_row"), col("w_stage")],
                super::left_ordered(),
            )
            .collect()?;

    // Each check: (field, rows that fail it, message from the value).
    let unreadable_ep: Vec<u64> = t
        .issues
        .iter()
        .filter(|i| i.field == "error_point")
        .map(|i| i.row)
        .collect();
    let unreadable = Series::new("u".into(), unreadable_ep.clone());
    let stages = Series::new("s".into(), STAGES.to_vec());
    let sevs = Series::new("v".into(), SEVERITIES.to_vec());
    let srcs = Series::new("o".into(), SOURCES.to_vec());
    let checks: Vec<(&str, Expr, Msg)> = vec![
        (
            "case_id",
            col("case_id").is_null(),
            Box::new(|_| String::from("case_id is empty; the row is left out")),
        ),
        (
            "case_id",
            col("case_id").is_not_null().and(col("case_row").is_null()),
            Box::new(|v| format!("case `{v}` is not in the cases file; the row is left out")),
        ),
        (
            "error_point",
            col("error_point").is_null().and(
                col(ROW)
                    .is_in(lit(unreadable.clone()).implode(false), false)
                    .not(),
            ),
            Box::new(|_| String::from("error_point is empty; the row is left out")),
        ),
        (
            "error_point",
            col("error_point")
                .lt(lit(1_i64))
                .or(col("error_point").gt(lit(14_i64)))
                .fill_null(lit(false)),
            Box::new(|v| {
                format!(
                    "error point {v} is not one of the fourteen error points (1-14); the row is left out"
                )
            }),
        ),
        (
            "severity",
            col("sev_n")
                .is_in(lit(sevs).implode(false), false)
                .fill_null(lit(false))
                .not(),
            Box::new(|v| {
                format!("severity `{v}` is not critical, major or minor; the row is left out")
            }),
        ),
        (
            "source",
            col("src_n")
                .is_in(lit(srcs).implode(false), false)
                .fill_null(lit(false))
                .not(),
            Box::new(|v| {
                format!(
                    "source `{v}` is not one of {}; the row is left out",
                    SOURCES.join(", ")
                )
            }),
        ),
        (
            "stage",
            col("stage_n").is_not_null().and(
                col("stage_n")
                    .is_in(lit(stages).implode(false), false)
                    .not(),
            ),
            Box::new(|v| {
                format!(
                    "stage `{v}` is not one of {}; the row is left out",
                    STAGES.join(", ")
                )
            }),
        ),
        (
            "stage",
            col("stage_n")
                .is_null()
                .and(col("error_point").is_in(
                    lit(Series::new("a".into(), [10_i64, 13])).implode(false),
                    false,
                ))
                .fill_null(lit(false)),
            Box::new(|_| {
                String::from(
                    "stage is empty, and this error point (10 or 13) can happen at any stage: name the stage; the row is left out",
                )
            }),
        ),
        (
            "found_by",
            col("found_by").is_not_null().and(
                col("found_by")
                    .is_in(lit(roster_s).implode(false), false)
                    .not(),
            ),
            Box::new(|v| {
                format!("found_by `{v}` is not on the operator roster; the row is left out")
            }),
        ),
        (
            "stage",
            col("case_row")
                .is_not_null()
                .and(col("stage_r").is_in(
                    lit(Series::new("s".into(), STAGES.to_vec())).implode(false),
                    false,
                ))
                .and(col("operator").is_null())
                .fill_null(lit(false)),
            Box::new(|_| {
                String::from(
                    "the case names no operator for this stage, so the error cannot be attributed; the row is left out",
                )
            }),
        ),
    ];
    let mut issues = Vec::new();
    let mut bad_any = lit(false);
    for (field, fails, _) in &checks {
        let _ = field;
        bad_any = bad_any.or(fails.clone().fill_null(lit(false)));
    }
    bad_any = bad_any.or(col(ROW).is_in(lit(unreadable).implode(false), false));
    for (field, fails, msg) in &checks {
        let value_col = match *field {
            "stage" => "stage_r",
            other => other,
        };
        let rows = frame
            .clone()
            .lazy()
            .filter(fails.clone().fill_null(lit(false)))
            .select([
                col(ROW),
                col("case_id"),
                col(value_col).cast(DataType::String).alias("value"),
                col(*field).cast(DataType::String).alias("raw"),
            ])
            .collect()?;
        let values = column_str(&rows, "value");
        let raw_values = column_str(&rows, "raw");
        let ids = column_str(&rows, "case_id");
        for (i, row) in column_u64(&rows, ROW).into_iter().enumerate() {
            let v = values[i].clone().unwrap_or_default();
            issues.push(DataIssue {
                file: t.file.clone(),
                row,
                table: String::from("findings"),
                case_id: ids[i].clone().unwrap_or_default(),
                field: (*field).to_owned(),
                column: column_of(field),
                value: raw_values[i].clone().unwrap_or_default(),
                problem: msg(&v),
            });
        }
    }
    for i in &t.issues {
        let mut i = i.clone();
        if i.field == "error_point" {
            i.problem =
                String::from("error_point is not a whole number from 1 to 14; the row is left out");
        }
        issues.push(i);
    }
    issues.sort();
    issues.dedup();
    let accepted = frame
        .clone()
        .lazy()
        .filter(bad_any.clone().not())
        .select([
            col("case_row"),
            col("case_id"),
            col("stage_r").alias("stage"),
            col("operator"),
            col("error_point"),
            col("sev_n").alias("severity"),
            col("src_n").alias("source"),
            col("found_by"),
            col("found_at"),
            col(ROW).alias("source_row"),
        ])
        .collect()?;
    let rows_read = frame.height() as u64;
    let rows_rejected = rows_read - accepted.height() as u64;
    Ok(PeopleFindings {
        accepted,
        issues,
        rows_read,
        rows_rejected,
    })
}

/// The accepted-findings frame with no rows (when the data folder has no `findings` file).
pub fn validate_empty() -> PolarsResult<DataFrame> {
    let dt = DataType::Datetime(TimeUnit::Milliseconds, None);
    let cols = [
        ("case_row", DataType::UInt64),
        ("case_id", DataType::String),
        ("stage", DataType::String),
        ("operator", DataType::String),
        ("error_point", DataType::Int64),
        ("severity", DataType::String),
        ("source", DataType::String),
        ("found_by", DataType::String),
        ("found_at", dt),
        ("source_row", DataType::UInt64),
    ];
    DataFrame::new_infer_height(
        cols.into_iter()
            .map(|(n, t)| Column::new_empty(n.into(), &t))
            .collect(),
    )
}
