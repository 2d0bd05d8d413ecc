//! Reading a data folder (SCHEMA.md): `cases` and the optional `tasks`, `operators`,
//! `authority` and `findings` tables, CSV or Parquet, through the column map.
//!
//! Every file is read as text first, renamed to our field names, then each field is parsed
//! into its type by one polars expression. A value that does not parse becomes empty *and* a
//! [`DataIssue`] naming the file, row, column and value; nothing is dropped. Rows are numbered
//! as a spreadsheet shows them: in a CSV file the header is row 1, the first case row 2; in
//! a Parquet file the first row is 1.

pub mod reference;
pub mod tasks;

use std::io::Cursor;
use std::path::{Path, PathBuf};

use polars::prelude::*;

use crate::config::columns::{ColumnMap, Mapping};
use crate::schema::{FieldType, Table};

/// Name of the row-number column added to every table.
pub const ROW: &str = "__row";

/// A value that could not be read, or a row-level problem such as a duplicate case id.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct DataIssue {
    /// The file.
    pub file: String,
    /// Spreadsheet row number (see the module docs).
    pub row: u64,
    /// The table.
    pub table: String,
    /// The case, when known.
    pub case_id: String,
    /// Our field name.
    pub field: String,
    /// Their column name.
    pub column: String,
    /// The raw value.
    pub value: String,
    /// What is wrong.
    pub problem: String,
}

/// Data findings as the `data_findings` table every command writes:
/// `file, row, table, case_id, field, column, value, problem`.
pub fn data_issues_table(issues: &[DataIssue]) -> PolarsResult<DataFrame> {
    df!(
        "file" => issues.iter().map(|x| x.file.clone()).collect::<Vec<_>>(),
        "row" => issues.iter().map(|x| x.row).collect::<Vec<_>>(),
        "table" => issues.iter().map(|x| x.table.clone()).collect::<Vec<_>>(),
        "case_id" => issues.iter().map(|x| x.case_id.clone()).collect::<Vec<_>>(),
        "field" => issues.iter().map(|x| x.field.clone()).collect::<Vec<_>>(),
        "column" => issues.iter().map(|x| x.column.clone()).collect::<Vec<_>>(),
        "value" => issues.iter().map(|x| x.value.clone()).collect::<Vec<_>>(),
        "problem" => issues.iter().map(|x| x.problem.clone()).collect::<Vec<_>>(),
    )
}

impl DataIssue {
    /// One line: `file row N, column `c`: `value` problem`.
    #[must_use]
    pub fn describe(&self) -> String {
        format!(
            "{} row {}, column `{}`: `{}` {}",
            self.file, self.row, self.column, self.value, self.problem
        )
    }
}

/// An error that stops reading.
#[derive(Debug, thiserror::Error, miette::Diagnostic)]
pub enum InputError {
    /// A file could not be opened or read.
    #[error("cannot read {path}: {source}")]
    #[diagnostic(code(input::io))]
    Io {
        /// The file.
        path: String,
        /// Why.
        source: std::io::Error,
    },
    /// No `cases` file.
    #[error("no cases file in {dir}: expected cases.csv or cases.parquet")]
    #[diagnostic(
        code(input::no_cases),
        help("give the data folder of SCHEMA.md, or the file itself with --cases FILE")
    )]
    NoCases {
        /// The folder.
        dir: String,
    },
    /// A file is not UTF-8.
    #[error("{path} is not UTF-8 text: row {row}, byte {column} of that line is not valid UTF-8")]
    #[diagnostic(
        code(input::encoding),
        help("re-export the file as UTF-8 (in Excel: Save As > CSV UTF-8)")
    )]
    NotUtf8 {
        /// The file.
        path: String,
        /// Line number.
        row: usize,
        /// Byte in the line (1-based).
        column: usize,
    },
    /// Columns the run needs are missing.
    #[error("{path} lacks {} column(s) the run needs:\n{}", missing.len(), missing.join("\n"))]
    #[diagnostic(
        code(input::missing_column),
        help(
            "map the insurer's column names to policyqc's fields in columns.yaml (see README), or use a rule set that does not need them"
        )
    )]
    MissingColumns {
        /// The file.
        path: String,
        /// One line per missing column.
        missing: Vec<String>,
    },
    /// The CSV or Parquet reader failed.
    #[error("cannot parse {path}: {message}")]
    #[diagnostic(code(input::parse))]
    Parse {
        /// The file.
        path: String,
        /// The reader's message.
        message: String,
    },
    /// `--strict` and bad values were found.
    #[error(
        "{count} data finding(s) (values that could not be read, empty or duplicate case ids) and --strict is set; first: {first}"
    )]
    #[diagnostic(
        code(input::strict),
        help("run without --strict to have them reported in data_findings.csv and the run go on")
    )]
    Strict {
        /// How many.
        count: usize,
        /// The first, described.
        first: String,
    },
}

/// A table read into memory with its typed columns and the problems found.
#[derive(Debug, Clone)]
pub struct TableData {
    /// The typed frame: one column per field (our names) plus [`ROW`].
    pub df: DataFrame,
    /// Values that could not be read and row problems.
    pub issues: Vec<DataIssue>,
    /// The file it came from.
    pub file: String,
}

/// Where a data folder's files are.
#[derive(Debug, Clone, Default)]
pub struct DataSources {
    /// The folder, if one was given.
    pub dir: Option<PathBuf>,
    /// cases file.
    pub cases: Option<PathBuf>,
    /// tasks file.
    pub tasks: Option<PathBuf>,
    /// operators file.
    pub operators: Option<PathBuf>,
    /// authority file.
    pub authority: Option<PathBuf>,
    /// people's findings file.
    pub findings: Option<PathBuf>,
    /// An event log (the task list as one row per event), used when there is no tasks file.
    pub events: Option<PathBuf>,
    /// columns.yaml.
    pub columns: Option<PathBuf>,
    /// calendar.yaml.
    pub calendar: Option<PathBuf>,
}

impl DataSources {
    /// Finds the files of a data folder: `<table>.csv` or `<table>.parquet` (including
    /// `events`, an event log), `columns.yaml`,
    /// `calendar.yaml`.
    #[must_use]
    pub fn from_folder(dir: &Path) -> Self {
        let find = |stem: &str| {
            ["csv", "parquet"]
                .iter()
                .map(|ext| dir.join(format!("{stem}.{ext}")))
                .find(|p| p.is_file())
        };
        let file = |name: &str| Some(dir.join(name)).filter(|p| p.is_file());
        Self {
            dir: Some(dir.to_path_buf()),
            cases: find("cases"),
            tasks: find("tasks"),
            operators: find("operators"),
            authority: find("authority"),
            findings: find("findings"),
            events: find("events"),
            columns: file("columns.yaml"),
            calendar: file("calendar.yaml"),
        }
    }

    /// The file of a table.
    #[must_use]
    pub fn path(&self, table: Table) -> Option<&Path> {
        match table {
            Table::Cases => self.cases.as_deref(),
            Table::Tasks => self.tasks.as_deref(),
            Table::Operators => self.operators.as_deref(),
            Table::Authority => self.authority.as_deref(),
            Table::Findings => self.findings.as_deref(),
            Table::Events => self.events.as_deref(),
        }
    }
}

/// Reads one table. `needed` are fields whose columns must exist (beyond the table's key
/// fields); other reference fields missing from the file are added as empty columns.
pub fn read_table(
    path: &Path,
    table: Table,
    map: &ColumnMap,
    needed: &[String],
) -> Result<TableData, InputError> {
    let mut phases = crate::timing::Phases::new();
    let name = path.display().to_string();
    let is_parquet = path.extension().is_some_and(|e| e == "parquet");
    let raw = if is_parquet {
        read_parquet(path, &name)?
    } else {
        read_csv(path, &name)?
    };
    phases.done("  file read");
    let first_row: u64 = if is_parquet { 1 } else { 2 };
    let mappings = map.mappings(table);

    let present: Vec<String> = raw
        .get_column_names()
        .iter()
        .map(std::string::ToString::to_string)
        .collect();
    let mut missing = Vec::new();
    for m in &mappings {
        let required =
            table.field(&m.field).is_some_and(|f| f.required) || needed.contains(&m.field);
        if required && !present.contains(&m.column) {
            missing.push(format!(
                "  - column `{}` for field `{}` ({})",
                m.column,
                m.field,
                map.map_entry(table, &m.field)
            ));
        }
    }
    if !missing.is_empty() && raw.height() + raw.width() > 0 {
        return Err(InputError::MissingColumns {
            path: name,
            missing,
        });
    }

    let key = table.fields()[0].name;
    let key_column = mappings
        .iter()
        .find(|m| m.field == key)
        .map(|m| m.column.clone())
        .unwrap_or_default();
    let mut raw_cols = vec![col(ROW)];
    for m in &mappings {
        let source = if present.contains(&m.column) {
            col(m.column.as_str())
        } else {
            lit(NULL).cast(DataType::String)
        };
        raw_cols.push(source.alias(format!("__raw_{}", m.field).as_str()));
    }
    let key_raw = if present.contains(&key_column) {
        col(key_column.as_str()).cast(DataType::String)
    } else {
        lit(NULL).cast(DataType::String)
    };
    let err = |e: PolarsError| InputError::Parse {
        path: name.clone(),
        message: e.to_string(),
    };
    let base = raw
        .lazy()
        .with_row_index(ROW, Some(first_row as IdxSize))
        .with_column(col(ROW).cast(DataType::UInt64))
        .select(
            raw_cols
                .into_iter()
                .chain([key_raw.alias("__key")])
                .collect::<Vec<_>>(),
        )
        .collect()
        .map_err(err)?;
    // Parse every field once, with the cheapest parser the column's shape allows.
    let plain = plain_timestamp_columns(&base, &mappings).map_err(err)?;
    let schema = base.schema();
    let typed: Vec<Expr> = mappings
        .iter()
        .map(|m| {
            let rawname = format!("__raw_{}", m.field);
            let raw = col(rawname.as_str());
            match schema.get(rawname.as_str()) {
                Some(DataType::String) | None => {
                    parse_expr(raw, m.ty, map, plain.contains(&m.field))
                }
                Some(dt) => convert_expr(raw, dt, m.ty, map),
            }
            .alias(m.field.as_str())
        })
        .collect();
    phases.done("  renamed");
    let wide = base.lazy().with_columns(typed).collect().map_err(err)?;
    phases.done("  parsed");
    // A value is bad when there was text and the parse gave nothing; count per field in one
    // pass, then list the rows only of fields that have any.
    let bad_expr = |m: &Mapping| {
        col(format!("__raw_{}", m.field).as_str())
            .is_not_null()
            .and(col(m.field.as_str()).is_null())
    };
    let checked: Vec<&Mapping> = mappings
        .iter()
        .filter(|m| m.ty != FieldType::Text)
        .collect();
    let counts = wide
        .clone()
        .lazy()
        .select(
            checked
                .iter()
                .map(|m| {
                    bad_expr(m)
                        .cast(DataType::UInt64)
                        .sum()
                        .alias(m.field.as_str())
                })
                .collect::<Vec<_>>(),
        )
        .collect()
        .map_err(err)?;
    let mut issues = Vec::new();
    for m in checked {
        if column_u64(&counts, &m.field).first().copied().unwrap_or(0) == 0 {
            continue;
        }
        let rawname = format!("__raw_{}", m.field);
        let rows = wide
            .clone()
            .lazy()
            .filter(bad_expr(m))
            .select([col(ROW), col("__key"), col(rawname.as_str())])
            .collect()
            .map_err(err)?;
        let what = expected_text(m, map);
        for (row, (case, value)) in column_u64(&rows, ROW).into_iter().zip(
            column_str(&rows, "__key")
                .into_iter()
                .zip(column_str(&rows, &rawname)),
        ) {
            issues.push(DataIssue {
                file: name.clone(),
                row,
                table: table.name().to_owned(),
                case_id: case.unwrap_or_default(),
                field: m.field.clone(),
                column: m.column.clone(),
                value: value.unwrap_or_default(),
                problem: format!("not {what}; read as empty"),
            });
        }
    }
    let keep: Vec<Expr> = std::iter::once(col(ROW))
        .chain(mappings.iter().map(|m| col(m.field.as_str())))
        .collect();
    let df = wide
        .lazy()
        .select(keep)
        .collect()
        .map_err(|e| InputError::Parse {
            path: name.clone(),
            message: e.to_string(),
        })?;
    Ok(TableData {
        df,
        issues,
        file: name,
    })
}

fn expected_text(m: &Mapping, map: &ColumnMap) -> String {
    match m.ty {
        FieldType::Text => String::from("text"),
        FieldType::Integer => String::from("a whole number"),
        FieldType::Money => String::from("an amount with at most two decimals (e.g. 1234.50)"),
        FieldType::Bool => String::from("true or false"),
        FieldType::Date => format!("a date ({})", map.date_formats.join(" or ")),
        FieldType::DateTime => format!("a timestamp ({})", map.datetime_formats.join(" or ")),
    }
}

/// Converts an already typed column (Parquet) to a field type; values that do not convert
/// become empty and are reported like unparseable text.
fn convert_expr(c: Expr, from: &DataType, ty: FieldType, map: &ColumnMap) -> Expr {
    match (ty, from) {
        (FieldType::Money, DataType::Float32 | DataType::Float64) => (c.cast(DataType::Float64)
            * lit(100.0))
        .round(0, RoundMode::HalfToEven)
        .cast(DataType::Int64),
        (FieldType::Money, dt) if dt.is_integer() => c.cast(DataType::Int64) * lit(100_i64),
        (FieldType::Integer, dt) if dt.is_integer() => c.cast(DataType::Int64),
        (FieldType::Bool, DataType::Boolean) => c,
        (FieldType::Date, DataType::Date | DataType::Datetime(_, _)) => c.cast(DataType::Date),
        (FieldType::DateTime, DataType::Date | DataType::Datetime(_, _)) => {
            c.cast(DataType::Datetime(TimeUnit::Milliseconds, None))
        }
        (FieldType::Text, _) => c.cast(DataType::String),
        // Anything else is read through its text form, like CSV.
        _ => parse_expr(c.cast(DataType::String), ty, map, false),
    }
}

/// The reference timestamp format.
const REFERENCE_DATETIME: &str = "%Y-%m-%d %H:%M:%S";

/// Timestamp fields whose every value has exactly the reference shape
/// (`YYYY-MM-DD HH:MM:SS`: 19 bytes, no `T`), found in one cheap pass over the lengths;
/// they are parsed with one `strptime` instead of trying every accepted variant.
fn plain_timestamp_columns(base: &DataFrame, mappings: &[Mapping]) -> PolarsResult<Vec<String>> {
    let schema = base.schema();
    let temporal: Vec<&Mapping> = mappings
        .iter()
        .filter(|m| m.ty == FieldType::DateTime)
        .filter(|m| {
            matches!(
                schema.get(format!("__raw_{}", m.field).as_str()),
                Some(DataType::String)
            )
        })
        .collect();
    if temporal.is_empty() {
        return Ok(Vec::new());
    }
    let mut exprs = Vec::new();
    for m in &temporal {
        let raw = col(format!("__raw_{}", m.field).as_str());
        let len = raw.clone().str().len_bytes();
        exprs.push(len.clone().min().alias(format!("min_{}", m.field).as_str()));
        exprs.push(len.max().alias(format!("max_{}", m.field).as_str()));
        exprs.push(
            raw.str()
                .contains_literal(lit("T"))
                .any(true)
                .alias(format!("t_{}", m.field).as_str()),
        );
    }
    let row = base.clone().lazy().select(exprs).collect()?;
    let get = |name: String| {
        row.column(&name)
            .ok()
            .and_then(|c| c.get(0).ok())
            .map(|v| v.to_string())
    };
    Ok(temporal
        .into_iter()
        .filter(|m| {
            let (min, max, t) = (
                get(format!("min_{}", m.field)),
                get(format!("max_{}", m.field)),
                get(format!("t_{}", m.field)),
            );
            let all_19 = min.as_deref().is_none_or(|v| v == "19" || v == "null")
                && max.as_deref().is_none_or(|v| v == "19" || v == "null");
            all_19 && t.as_deref() != Some("true")
        })
        .map(|m| m.field.clone())
        .collect())
}

/// The polars expression that parses text into a field type (empty on failure). `plain`:
/// every value of this timestamp column has the reference shape (see
/// [`plain_timestamp_columns`]).
fn parse_expr(s: Expr, ty: FieldType, map: &ColumnMap, plain: bool) -> Expr {
    let s = s.str().strip_chars(lit(NULL));
    let s = when(s.clone().eq(lit("")))
        .then(lit(NULL).cast(DataType::String))
        .otherwise(s);
    match ty {
        FieldType::Text => s,
        FieldType::Integer => s.cast(DataType::Int64),
        FieldType::Money => {
            // Exact: the text is checked to be a decimal with at most two places and at most
            // 13 integer digits; then round(value * 100) is exactly its cents (an f64 holds
            // every such value to far better than half a cent).
            let valid = s
                .clone()
                .str()
                .contains(lit(r"^-?[0-9]{1,13}(\.[0-9]{1,2})?$"), true);
            when(valid)
                .then(
                    (s.cast(DataType::Float64) * lit(100.0))
                        .round(0, RoundMode::HalfToEven)
                        .cast(DataType::Int64),
                )
                .otherwise(lit(NULL).cast(DataType::Int64))
        }
        FieldType::Bool => {
            let words = [
                "true", "TRUE", "True", "yes", "YES", "Yes", "Y", "y", "1", "false", "FALSE",
                "False", "no", "NO", "No", "N", "n", "0",
            ];
            let values: Vec<bool> = (0..words.len()).map(|i| i < 9).collect();
            s.replace_strict(
                lit(Series::new("words".into(), words)),
                lit(Series::new("values".into(), values)),
                Some(lit(NULL).cast(DataType::Boolean)),
                Some(DataType::Boolean),
            )
        }
        FieldType::Date => coalesce(
            &map.date_formats
                .iter()
                .map(|f| {
                    s.clone().str().to_date(StrptimeOptions {
                        format: Some(f.into()),
                        strict: false,
                        exact: true,
                        cache: true,
                    })
                })
                .collect::<Vec<_>>(),
        ),
        FieldType::DateTime => {
            let parse = |e: Expr, f: &str| {
                let opts = StrptimeOptions {
                    format: Some(f.into()),
                    strict: false,
                    exact: true,
                    cache: false,
                };
                e.str()
                    .to_datetime(Some(TimeUnit::Milliseconds), None, opts, lit("raise"))
            };
            if plain && map.datetime_formats.iter().any(|f| f == REFERENCE_DATETIME) {
                return parse(s, REFERENCE_DATETIME);
            }
            // `2026-10-05T09:30:00+08:00` -> `2026-10-05 09:30:00`: times are office-local, so
            // a `T` separator is read as a space and an offset is dropped (reference formats).
            let normal =
                s.clone()
                    .str()
                    .slice(lit(0), lit(19))
                    .str()
                    .replace_all(lit("T"), lit(" "), true);
            let tries: Vec<Expr> = map
                .datetime_formats
                .iter()
                .map(|f| {
                    if f.starts_with("%Y-%m-%d") {
                        parse(normal.clone(), f)
                    } else {
                        parse(s.clone(), f)
                    }
                })
                .collect();
            coalesce(&tries)
        }
    }
}

fn read_csv(path: &Path, name: &str) -> Result<DataFrame, InputError> {
    let bytes = std::fs::read(path).map_err(|source| InputError::Io {
        path: name.to_owned(),
        source,
    })?;
    if let Err(e) = std::str::from_utf8(&bytes) {
        let good = &bytes[..e.valid_up_to()];
        let row = bytecount_newlines(good) + 1;
        let column = good.len() - good.iter().rposition(|b| *b == b'\n').map_or(0, |p| p + 1) + 1;
        return Err(InputError::NotUtf8 {
            path: name.to_owned(),
            row,
            column,
        });
    }
    if bytes.iter().all(u8::is_ascii_whitespace) {
        return Ok(DataFrame::empty());
    }
    CsvReadOptions::default()
        .with_has_header(true)
        .with_infer_schema_length(Some(0))
        .into_reader_with_file_handle(Cursor::new(bytes))
        .finish()
        .map_err(|e| InputError::Parse {
            path: name.to_owned(),
            message: e.to_string(),
        })
}

fn read_parquet(path: &Path, name: &str) -> Result<DataFrame, InputError> {
    let file = std::fs::File::open(path).map_err(|source| InputError::Io {
        path: name.to_owned(),
        source,
    })?;
    // Typed Parquet columns are kept as they are and converted to the field's type
    // (`convert_expr`); text columns are parsed exactly like CSV.
    ParquetReader::new(file)
        .finish()
        .map_err(|e| InputError::Parse {
            path: name.to_owned(),
            message: e.to_string(),
        })
}

/// A u64 column's values.
#[must_use]
pub fn column_u64(df: &DataFrame, name: &str) -> Vec<u64> {
    df.column(name)
        .and_then(|c| c.cast(&DataType::UInt64))
        .map(|c| {
            c.u64()
                .map(|ca| ca.iter().map(Option::unwrap_or_default).collect())
                .unwrap_or_default()
        })
        .unwrap_or_default()
}

/// A string column's values.
#[must_use]
pub fn column_str(df: &DataFrame, name: &str) -> Vec<Option<String>> {
    df.column(name)
        .and_then(|c| c.cast(&DataType::String))
        .map(|c| {
            c.str()
                .map(|ca| ca.iter().map(|v| v.map(str::to_owned)).collect())
                .unwrap_or_default()
        })
        .unwrap_or_default()
}

/// Problems of whole rows in `cases`: empty and duplicate case ids.
#[must_use]
pub fn case_id_issues(cases: &TableData, map: &ColumnMap) -> Vec<DataIssue> {
    let column = map
        .mappings(Table::Cases)
        .into_iter()
        .find(|m| m.field == "case_id")
        .map(|m| m.column)
        .unwrap_or_default();
    // Only the offending rows leave polars: empty ids and ids seen more than once.
    let suspects = cases
        .df
        .clone()
        .lazy()
        .select([col(ROW), col("case_id")])
        .filter(col("case_id").is_null().or(col("case_id").is_duplicated()))
        .collect()
        .unwrap_or_default();
    let rows = column_u64(&suspects, ROW);
    let ids = column_str(&suspects, "case_id");
    let mut seen: std::collections::BTreeMap<&str, Vec<u64>> = std::collections::BTreeMap::new();
    let mut issues = Vec::new();
    for (row, id) in rows.iter().zip(&ids) {
        match id {
            Some(id) => seen.entry(id.as_str()).or_default().push(*row),
            None => issues.push(DataIssue {
                file: cases.file.clone(),
                row: *row,
                table: String::from("cases"),
                case_id: String::new(),
                field: String::from("case_id"),
                column: column.clone(),
                value: String::new(),
                problem: String::from(
                    "case_id is empty; the row is checked but cannot be traced to a case",
                ),
            }),
        }
    }
    for (id, on) in seen {
        let list = on.iter().map(u64::to_string).collect::<Vec<_>>().join(", ");
        for row in &on {
            issues.push(DataIssue {
                file: cases.file.clone(),
                row: *row,
                table: String::from("cases"),
                case_id: id.to_owned(),
                field: String::from("case_id"),
                column: column.clone(),
                value: id.to_owned(),
                problem: format!("duplicate case_id (rows {list}); every row is checked"),
            });
        }
    }
    issues
}

/// Newlines in a byte slice (for the row of a non-UTF-8 byte).
fn bytecount_newlines(bytes: &[u8]) -> usize {
    bytes.split(|b| *b == b'\n').count() - 1
}
