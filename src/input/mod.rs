//! Reading a data folder (SCHEMA.md): `cases` and the optional `tasks`, `operators`,
//! `authority` and `findings` tables, CSV or Parquet, through the column map (the `events`
//! table may also be an XES log: [`xes`]).
//!
//! Every file is read as text first, renamed to our field names, then each field is parsed
//! into its type by polars expressions: a value is read as it is with the field's first
//! format; failing that, trimmed (blank is empty) and with each accepted format in turn
//! (the second step runs only on fields where the first left a value unread, so a clean
//! file pays for one parse per value). A value that does not parse becomes empty *and* a
//! [`DataIssue`] naming the file, row, column and value; nothing is dropped. Rows are numbered
//! as a spreadsheet shows them: in a CSV file the header is row 1, the first case row 2; in
//! a Parquet file the first row is 1.

pub(crate) mod reference;
pub(crate) mod tasks;
pub(crate) mod time_zone;
pub(crate) mod xes;

use std::path::{Path, PathBuf};

use polars::prelude::*;
use rayon::prelude::*;

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
    /// A file is not in its encoding (UTF-8 unless `columns.yaml` declares another).
    #[error(
        "{path} is not {encoding} text: row {row}, byte {column} of that line is not valid {encoding}"
    )]
    #[diagnostic(code(input::encoding), help("{suggestion}"))]
    NotUtf8 {
        /// The file.
        path: String,
        /// The encoding it was read in.
        encoding: String,
        /// Line number.
        row: usize,
        /// Byte in the line (1-based).
        column: usize,
        /// What to do: the `encoding:` line the bytes fit, or re-export.
        suggestion: String,
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
    /// A cell or header name is longer than [`MAX_FIELD_BYTES`] (a file with no line breaks,
    /// a runaway quote, or not a table at all).
    #[error(
        "{path}: {place} is {bytes} bytes long, more than the {max} bytes a value may be (is it a table? a quote left open, or no line breaks?)"
    )]
    #[diagnostic(
        code(input::field_too_large),
        help("export the table again as CSV with one case per line")
    )]
    FieldTooLarge {
        /// The file.
        path: String,
        /// "the header" or "column X, row N".
        place: String,
        /// Its length.
        bytes: usize,
        /// The limit.
        max: usize,
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
    /// Fields whose column is not in the file (read as empty), with the column's name: rules
    /// that need them are not evaluated (`rules::needs`).
    pub absent: Vec<(String, String)>,
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
    /// settings.yaml (the insurer settings, `config::settings`).
    pub settings: Option<PathBuf>,
}

impl DataSources {
    /// Finds the files of a data folder: `<table>.csv` or `<table>.parquet` (including
    /// `events`, an event log, which may also be `events.xes` or `events.xes.gz`), `columns.yaml`,
    /// `calendar.yaml`, `settings.yaml`.
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
            events: find("events").or_else(|| xes::find_in(dir)),
            columns: file("columns.yaml"),
            calendar: file("calendar.yaml"),
            settings: file("settings.yaml"),
        }
    }

    /// Every path the sources name (the folder and each file), for the output folder's check
    /// that no input is inside it.
    #[must_use]
    pub fn paths(&self) -> Vec<PathBuf> {
        [
            &self.dir,
            &self.cases,
            &self.tasks,
            &self.operators,
            &self.authority,
            &self.findings,
            &self.events,
            &self.columns,
            &self.calendar,
            &self.settings,
        ]
        .into_iter()
        .flatten()
        .cloned()
        .collect()
    }

    /// The sources with the column map's `files:` applied: a table the folder has no
    /// `<table>.csv` for is read from the file the map names (a file given by an option or
    /// found under its own name is kept).
    #[must_use]
    pub fn with_files(&self, map: &ColumnMap) -> Self {
        let mut out = self.clone();
        let Some(dir) = self.dir.as_deref() else {
            return out;
        };
        for (table, file) in &map.files {
            let slot = match table {
                Table::Cases => &mut out.cases,
                Table::Tasks => &mut out.tasks,
                Table::Operators => &mut out.operators,
                Table::Authority => &mut out.authority,
                Table::Findings => &mut out.findings,
                Table::Events => &mut out.events,
            };
            if slot.is_none() {
                *slot = Some(dir.join(file));
            }
        }
        out
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
    read_table_fields(path, table, map, needed, None)
}

/// [`read_table`], reading only the key and `only`'s fields when given: the other columns
/// are neither parsed nor checked, and the frame has no column for them. The file must still
/// have every required column.
///
/// The steps, each its own function: `read_file` (the file's columns, only those needed),
/// `check_columns` (the required ones are there), `rename` (their columns to our field
/// names, value maps applied, the row number and key kept), `parse_fields` (each field to
/// its type: a fast parse, then every fallback for the fields it left unread, offsets to
/// office time), `unreadable_values` (a data finding per value that stayed unread).
pub fn read_table_fields(
    path: &Path,
    table: Table,
    map: &ColumnMap,
    needed: &[String],
    only: Option<&[String]>,
) -> Result<TableData, InputError> {
    let mut phases = crate::timing::Phases::new();
    let map: &ColumnMap = &xes::map_for(path, table, map);
    let all = map.mappings(table);
    let key = table.fields()[0].name;
    let file = read_file(path, map, &all, key, only)?;
    phases.done("  file read");
    type_file(file, table, map, all, needed, only, &mut phases)
}

/// A frame a library user holds (reference field names) as a typed table, through the same
/// steps as a file after [`read_file`]: every column kept, row 1 is the frame's first row.
/// `name` names the frame in issues and errors.
pub(crate) fn typed_frame(
    frame: DataFrame,
    name: String,
    table: Table,
    map: &ColumnMap,
) -> Result<TableData, InputError> {
    let mut phases = crate::timing::Phases::new();
    let present = frame
        .get_column_names()
        .iter()
        .map(std::string::ToString::to_string)
        .collect();
    let file = RawFile {
        name,
        frame,
        present,
        first_row: 1,
    };
    type_file(
        file,
        table,
        map,
        map.mappings(table),
        &[],
        None,
        &mut phases,
    )
}

/// The steps after reading: required columns, renaming, parsing, unreadable values.
fn type_file(
    file: RawFile,
    table: Table,
    map: &ColumnMap,
    all: Vec<Mapping>,
    needed: &[String],
    only: Option<&[String]>,
    phases: &mut crate::timing::Phases,
) -> Result<TableData, InputError> {
    let key = table.fields()[0].name;
    let absent = check_columns(&file, table, map, &all, needed)?;
    let mut mappings = all;
    if let Some(only) = only {
        mappings.retain(|m| m.field == key || only.contains(&m.field));
    }
    let name = file.name.clone();
    let err = |e: PolarsError| InputError::Parse {
        path: name.clone(),
        message: e.to_string(),
    };
    let base = rename(file, &mappings, key).map_err(err)?;
    phases.done("  renamed");
    let parsed = parse_fields(base, &mappings, map, &name, table, phases).map_err(err)?;
    let mut issues = parsed.offset_issues;
    issues
        .extend(unreadable_values(&parsed.wide, &parsed.suspects, map, &name, table).map_err(err)?);
    let keep: Vec<Expr> = std::iter::once(col(ROW))
        .chain(mappings.iter().map(|m| col(m.field.as_str())))
        .collect();
    let df = parsed.wide.lazy().select(keep).collect().map_err(err)?;
    phases.done("  listed");
    Ok(TableData {
        df,
        issues,
        file: name,
        absent,
    })
}

/// A table's file as read: its columns as they are, before any renaming.
struct RawFile {
    /// The path as shown in messages.
    name: String,
    /// The columns read (only the needed ones when the header could be read first).
    frame: DataFrame,
    /// Every column the file has.
    present: Vec<String>,
    /// The row number of the first record, as a spreadsheet shows it.
    first_row: u64,
}

/// Reads the file (CSV, Parquet or XES); with `only`, only the columns of the key and those
/// fields, when the header or schema can be read first.
fn read_file(
    path: &Path,
    map: &ColumnMap,
    mappings: &[Mapping],
    key: &str,
    only: Option<&[String]>,
) -> Result<RawFile, InputError> {
    let name = path.display().to_string();
    let is_parquet = path.extension().is_some_and(|e| e == "parquet");
    let is_xes = xes::is_xes(path);
    // The file's columns, from its header (or Parquet schema), to pick the ones to read.
    let header = only.filter(|_| !is_xes).and_then(|_| {
        if is_parquet {
            parquet_columns(path)
        } else if map.plain_csv() {
            csv_header(path)
        } else {
            None
        }
    });
    let projection: Option<Vec<String>> = only.zip(header.as_ref()).map(|(only, header)| {
        header
            .iter()
            .filter(|c| {
                mappings
                    .iter()
                    .any(|m| &m.column == *c && (m.field == key || only.contains(&m.field)))
            })
            .cloned()
            .collect()
    });
    let frame = if is_parquet {
        read_parquet(path, &name, projection.as_deref())?
    } else if is_xes {
        xes::read_events(path, &name)?
    } else {
        read_csv(path, &name, projection.as_deref(), map)?
    };
    check_field_sizes(&frame, &name, map.header_row as u64 + 1)?;
    // Rows as a spreadsheet shows them: the header is row `header_row`.
    let first_row: u64 = if is_parquet || is_xes {
        1
    } else {
        map.header_row as u64 + 1
    };
    let present: Vec<String> = header.unwrap_or_else(|| {
        frame
            .get_column_names()
            .iter()
            .map(std::string::ToString::to_string)
            .collect()
    });
    Ok(RawFile {
        name,
        frame,
        present,
        first_row,
    })
}

/// Fails when a required column (the table's required fields and `needed`) is missing from a
/// file that has any content; returns the (field, column) pairs the file does not have.
fn check_columns(
    file: &RawFile,
    table: Table,
    map: &ColumnMap,
    mappings: &[Mapping],
    needed: &[String],
) -> Result<Vec<(String, String)>, InputError> {
    let mut missing = Vec::new();
    let mut absent = Vec::new();
    for m in mappings {
        if file.present.contains(&m.column) {
            continue;
        }
        absent.push((m.field.clone(), m.column.clone()));
        if table.field(&m.field).is_some_and(|f| f.required) || needed.contains(&m.field) {
            missing.push(format!(
                "  - column `{}` for field `{}` ({})",
                m.column,
                m.field,
                map.map_entry(table, &m.field)
            ));
        }
    }
    if !missing.is_empty() && file.frame.height() + file.frame.width() > 0 {
        return Err(InputError::MissingColumns {
            path: file.name.clone(),
            missing,
        });
    }
    Ok(absent)
}

/// Their columns under our raw field names (`raw_name`), value maps applied, a column the
/// file lacks as empty text; with the row number (`ROW`) and the key's text (`__key`).
fn rename(file: RawFile, mappings: &[Mapping], key: &str) -> PolarsResult<DataFrame> {
    let present = &file.present;
    let key_column = mappings
        .iter()
        .find(|m| m.field == key)
        .map(|m| m.column.clone())
        .unwrap_or_default();
    let mut raw_cols = vec![col(ROW)];
    for m in mappings {
        let source = if present.contains(&m.column) {
            value_map(col(m.column.as_str()), &m.values)
        } else {
            lit(NULL).cast(DataType::String)
        };
        raw_cols.push(source.alias(raw_name(&m.field).as_str()));
    }
    let key_raw = if present.contains(&key_column) {
        col(key_column.as_str()).cast(DataType::String)
    } else {
        lit(NULL).cast(DataType::String)
    };
    let mut base = file
        .frame
        .lazy()
        .with_row_index(ROW, Some(file.first_row as IdxSize))
        .with_column(col(ROW).cast(DataType::UInt64))
        .select(
            raw_cols
                .into_iter()
                .chain([key_raw.alias("__key")])
                .collect::<Vec<_>>(),
        )
        .collect()?;
    align_chunks(&mut base)?;
    Ok(base)
}

/// The fields parsed to their types, beside their raw text.
struct Parsed<'m> {
    /// Raw and typed columns.
    wide: DataFrame,
    /// The typed fields that may hold unread values: typed (Parquet) columns, and text that
    /// the fast parse left unread.
    suspects: Vec<&'m Mapping>,
    /// Data findings of the conversion of UTC offsets to office time.
    offset_issues: Vec<DataIssue>,
}

/// Parses every field with its fast parser (the value as it is, the first format); only
/// fields where that leaves a value unread are parsed again with every fallback (see
/// `parse_expr`); timestamps with a UTC offset are converted to office time.
fn parse_fields<'m>(
    base: DataFrame,
    mappings: &'m [Mapping],
    map: &ColumnMap,
    name: &str,
    table: Table,
    phases: &mut crate::timing::Phases,
) -> PolarsResult<Parsed<'m>> {
    let schema = base.schema().clone();
    let raw = |m: &Mapping| col(raw_name(&m.field).as_str());
    // The source column is text (CSV, or a text column of a Parquet file), not typed.
    let from_text = |m: &Mapping| {
        matches!(
            schema.get(raw_name(&m.field).as_str()),
            Some(DataType::String) | None
        )
    };
    let typed: Vec<Expr> = mappings
        .iter()
        .map(|m| {
            match schema.get(raw_name(&m.field).as_str()) {
                Some(DataType::String) | None => fast_parse_expr(raw(m), m.ty, map),
                Some(dt) => convert_expr(raw(m), dt, m.ty, map),
            }
            .alias(m.field.as_str())
        })
        .collect();
    let mut wide = base.lazy().with_columns(typed).collect()?;
    align_chunks(&mut wide)?;
    phases.done("  parsed");
    // A text value needs the second step when it is blank or has spaces around it
    // (`needs_trimming`); any other value when the fast parse left it unread.
    let parsed: Vec<&Mapping> = mappings.iter().filter(|m| from_text(m)).collect();
    let (texts, values): (Vec<&Mapping>, Vec<&Mapping>) =
        parsed.iter().partition(|m| m.ty == FieldType::Text);
    let mut retry: Vec<&Mapping> = texts
        .par_iter()
        .filter(|m| wide.column(&raw_name(&m.field)).is_ok_and(needs_trimming))
        .copied()
        .collect();
    retry.extend(
        values
            .iter()
            .zip(counts_per_field(&wide, &values, &unread)?)
            .filter(|(_, n)| *n > 0)
            .map(|(m, _)| *m),
    );
    phases.done("  checked");
    if !retry.is_empty() {
        wide = wide
            .lazy()
            .with_columns(
                retry
                    .iter()
                    .map(|m| {
                        let careful = parse_expr(raw(m), m.ty, map);
                        if m.ty == FieldType::Text {
                            careful
                        } else {
                            coalesce(&[col(m.field.as_str()), careful])
                        }
                        .alias(m.field.as_str())
                    })
                    .collect::<Vec<_>>(),
            )
            .collect()?;
        align_chunks(&mut wide)?;
    }
    let offsets = offset_fields(&wide, mappings, &from_text)?;
    let offset_issues = if offsets.is_empty() {
        Vec::new()
    } else {
        to_office_time(&mut wide, &offsets, map, name, table)?
    };
    let suspects: Vec<&Mapping> = mappings
        .iter()
        .filter(|m| {
            m.ty != FieldType::Text && (!from_text(m) || retry.iter().any(|r| r.field == m.field))
        })
        .collect();
    phases.done("  fallbacks");
    Ok(Parsed {
        wide,
        suspects,
        offset_issues,
    })
}

/// A value is unread when there was text and the parse gave nothing.
fn unread(m: &Mapping) -> Expr {
    col(raw_name(&m.field).as_str())
        .is_not_null()
        .and(col(m.field.as_str()).is_null())
}

/// A data finding for every value of `suspects` that stayed unread ("not a date; read as
/// empty"), with its file, row, key and column.
fn unreadable_values(
    wide: &DataFrame,
    suspects: &[&Mapping],
    map: &ColumnMap,
    name: &str,
    table: Table,
) -> PolarsResult<Vec<DataIssue>> {
    let mut issues = Vec::new();
    let counts = counts_per_field(wide, suspects, &unread)?;
    for (m, n) in suspects.iter().zip(counts) {
        if n == 0 {
            continue;
        }
        let rawname = raw_name(&m.field);
        let rows = wide
            .clone()
            .lazy()
            .filter(unread(m))
            .select([col(ROW), col("__key"), col(rawname.as_str())])
            .collect()?;
        let what = expected_text(m, map);
        for (row, (case, value)) in column_u64(&rows, ROW).into_iter().zip(
            column_str(&rows, "__key")
                .into_iter()
                .zip(column_str(&rows, &rawname)),
        ) {
            issues.push(DataIssue {
                file: name.to_owned(),
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
    Ok(issues)
}

/// The timestamp fields read from text in which some value carries a UTC offset.
fn offset_fields<'m>(
    wide: &DataFrame,
    mappings: &'m [Mapping],
    from_text: &dyn Fn(&Mapping) -> bool,
) -> PolarsResult<Vec<&'m Mapping>> {
    let candidates: Vec<&Mapping> = mappings
        .iter()
        .filter(|m| {
            m.ty == FieldType::DateTime && from_text(m) && wide.column(&raw_name(&m.field)).is_ok()
        })
        .collect();
    if candidates.is_empty() {
        return Ok(Vec::new());
    }
    let counts = counts_per_field(wide, &candidates, &|m| {
        time_zone::has_offset(
            col(raw_name(&m.field).as_str())
                .str()
                .strip_chars(lit(NULL)),
        )
    })?;
    Ok(candidates
        .into_iter()
        .zip(counts)
        .filter(|(_, n)| *n > 0)
        .map(|(m, _)| m)
        .collect())
}

/// How many rows of `df` have `flag` true, for each of `fields`, in one pass.
fn counts_per_field(
    df: &DataFrame,
    fields: &[&Mapping],
    flag: &dyn Fn(&Mapping) -> Expr,
) -> PolarsResult<Vec<u64>> {
    if fields.is_empty() {
        return Ok(Vec::new());
    }
    let counts = df
        .clone()
        .lazy()
        .select(
            fields
                .iter()
                .map(|m| flag(m).cast(DataType::UInt64).sum().alias(m.field.as_str()))
                .collect::<Vec<_>>(),
        )
        .collect()?;
    Ok(fields
        .iter()
        .map(|m| column_u64(&counts, &m.field).first().copied().unwrap_or(0))
        .collect())
}

/// Converts the values with a UTC offset of `fields` to office time (`time_zone`), in place,
/// and lists each value without an offset in those columns (a mix: read as office-local).
fn to_office_time(
    wide: &mut DataFrame,
    fields: &[&Mapping],
    map: &ColumnMap,
    file: &str,
    table: Table,
) -> PolarsResult<Vec<DataIssue>> {
    let dt = DataType::Datetime(TimeUnit::Milliseconds, None);
    let raw = |m: &Mapping| {
        col(raw_name(&m.field).as_str())
            .str()
            .strip_chars(lit(NULL))
    };
    let utc =
        |m: &Mapping| col(m.field.as_str()).cast(DataType::Int64) - time_zone::offset_ms(&raw(m));
    // The instants' range, for the zone's transitions.
    let range = wide
        .clone()
        .lazy()
        .select(
            fields
                .iter()
                .flat_map(|m| {
                    [
                        utc(m).min().alias(format!("{}_min", m.field)),
                        utc(m).max().alias(format!("{}_max", m.field)),
                    ]
                })
                .collect::<Vec<_>>(),
        )
        .collect()?;
    let bound = |name: String, pick: fn(i64, i64) -> i64| {
        fields
            .iter()
            .filter_map(|m| {
                range
                    .column(&name.replace("{}", &m.field))
                    .ok()
                    .and_then(|c| c.get(0).ok())
                    .and_then(|v| v.extract::<i64>())
            })
            .reduce(pick)
    };
    let (from, to) = (
        bound(String::from("{}_min"), i64::min).unwrap_or(0),
        bound(String::from("{}_max"), i64::max).unwrap_or(0),
    );
    let (first, changes) = match map.office_time_zone {
        Some(tz) => time_zone::transitions(tz, from, to),
        None => (0, Vec::new()),
    };
    let mut issues = Vec::new();
    for m in fields {
        let naive = wide
            .clone()
            .lazy()
            .filter(
                raw(m)
                    .neq(lit(""))
                    .and(time_zone::has_offset(raw(m)).not())
                    .and(col(m.field.as_str()).is_not_null()),
            )
            .select([col(ROW), col("__key"), raw(m).alias("__value")])
            .collect()?;
        for (row, (case, value)) in column_u64(&naive, ROW).into_iter().zip(
            column_str(&naive, "__key")
                .into_iter()
                .zip(column_str(&naive, "__value")),
        ) {
            issues.push(DataIssue {
                file: file.to_owned(),
                row,
                table: table.name().to_owned(),
                case_id: case.unwrap_or_default(),
                field: m.field.clone(),
                column: m.column.clone(),
                value: value.unwrap_or_default(),
                problem: String::from(
                    "no UTC offset, where other values of the column have one: read as office time",
                ),
            });
        }
    }
    *wide = std::mem::take(wide)
        .lazy()
        .with_columns(
            fields
                .iter()
                .map(|m| {
                    when(time_zone::has_offset(raw(m)))
                        .then(time_zone::to_office(utc(m), first, &changes).cast(dt.clone()))
                        .otherwise(col(m.field.as_str()))
                        .alias(m.field.as_str())
                })
                .collect::<Vec<_>>(),
        )
        .collect()?;
    align_chunks(wide)?;
    Ok(issues)
}

/// A column with its value map applied (their value -> ours; other values as they are).
fn value_map(c: Expr, values: &[(String, String)]) -> Expr {
    if values.is_empty() {
        return c;
    }
    let theirs: Vec<&str> = values.iter().map(|(t, _)| t.as_str()).collect();
    let ours: Vec<&str> = values.iter().map(|(_, o)| o.as_str()).collect();
    c.cast(DataType::String).replace(
        lit(Series::new("theirs".into(), theirs)),
        lit(Series::new("ours".into(), ours)),
    )
}

/// Chunks shorter than this on average (a Parquet file of many small row groups: the
/// generator writes one a day, 354 of about 2,800 rows at 1M cases) and a table is made one
/// chunk instead: every step over small chunks pays per chunk (`check` from that file spent
/// 0.9-1.0 s on its statuses and 1.5 s on findings and rates; in one chunk 0.7 s and 0.45 s,
/// for 0.17 s of copying). The CSV reader's chunks are about 30,000 rows; copying those
/// (raw text) into one chunk made `check` slower and took 450 MB more.
const MIN_CHUNK_ROWS: usize = 10_000;

/// Gives every column of `df` the chunk layout of its most-chunked column, by slicing the
/// others (no copy). A file is read in chunks, but a column made over the whole frame at once
/// (the row numbers, a parsed flag, an `expr` rule's result) has one: polars copies every
/// column of a frame whose chunks are not aligned into one chunk before a filter or a
/// group-by, which at 1M cases cost about 0.4 s per affected step (mostly fresh memory).
/// Small chunks are merged instead (`MIN_CHUNK_ROWS`).
pub fn align_chunks(df: &mut DataFrame) -> PolarsResult<()> {
    let layout = |c: &Column| -> Vec<usize> {
        c.as_materialized_series()
            .chunk_lengths()
            .collect::<Vec<usize>>()
    };
    let Some(reference) = df.columns().iter().map(layout).max_by_key(Vec::len) else {
        return Ok(());
    };
    if reference.len() > 1 && df.height() / reference.len() < MIN_CHUNK_ROWS {
        df.rechunk_mut_par();
        return Ok(());
    }
    if df.columns().iter().all(|c| layout(c) == reference) {
        return Ok(());
    }
    let height = df.height();
    let columns = df
        .columns()
        .iter()
        .map(|c| {
            if layout(c) == reference {
                return Ok(c.clone());
            }
            let whole = c.as_materialized_series().rechunk();
            let mut parts = reference.iter().scan(0_usize, |offset, &len| {
                let part = whole.slice(*offset as i64, len);
                *offset += len;
                Some(part)
            });
            let mut out = parts.next().unwrap_or_else(|| whole.clone());
            for part in parts {
                out.append(&part)?;
            }
            Ok(out.into_column())
        })
        .collect::<PolarsResult<Vec<Column>>>()?;
    *df = DataFrame::new(height, columns)?;
    Ok(())
}

/// Whether any value of a text column is blank or has white space at either end: what the
/// fallback parser trims (`str::trim`, as polars' `strip_chars` does). This looks at each
/// value's two ends only; comparing with `strip_chars` copied every value of every text
/// field (0.3 s of the read at 1M cases).
fn needs_trimming(column: &Column) -> bool {
    column.str().is_ok_and(|values| {
        values
            .iter()
            .flatten()
            .any(|v| v.is_empty() || v.trim().len() != v.len())
    })
}

/// The column holding a field's value as read, before parsing.
fn raw_name(field: &str) -> String {
    format!("__raw_{field}")
}

pub(crate) fn expected_text(m: &Mapping, map: &ColumnMap) -> String {
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
        _ => parse_expr(c.cast(DataType::String), ty, map),
    }
}

/// The regex a money text must match: at most 13 integer digits and two decimals.
pub(crate) const MONEY_TEXT: &str = r"^-?[0-9]{1,13}(\.[0-9]{1,2})?$";

/// Integer cents of a money text already checked against [`MONEY_TEXT`]: round(value * 100)
/// is exactly its cents (an f64 holds every such value to far better than half a cent).
fn money_cents(s: Expr) -> Expr {
    when(s.clone().str().contains(lit(MONEY_TEXT), true))
        .then(
            (s.cast(DataType::Float64) * lit(100.0))
                .round(0, RoundMode::HalfToEven)
                .cast(DataType::Int64),
        )
        .otherwise(lit(NULL).cast(DataType::Int64))
}

/// The words read as booleans (the first nine are true).
pub(crate) const BOOL_WORDS: [&str; 18] = [
    "true", "TRUE", "True", "yes", "YES", "Yes", "Y", "y", "1", "false", "FALSE", "False", "no",
    "NO", "No", "N", "n", "0",
];

fn bool_expr(s: Expr, map: &ColumnMap) -> Expr {
    let mut words: Vec<&str> = BOOL_WORDS[..9].to_vec();
    words.extend(map.true_words.iter().map(String::as_str));
    let trues = words.len();
    words.extend(&BOOL_WORDS[9..]);
    words.extend(map.false_words.iter().map(String::as_str));
    let mut seen = std::collections::HashSet::new();
    let (words, values): (Vec<&str>, Vec<bool>) = words
        .into_iter()
        .enumerate()
        .filter(|(_, w)| seen.insert(*w))
        .map(|(i, w)| (w, i < trues))
        .unzip();
    s.replace_strict(
        lit(Series::new("words".into(), words)),
        lit(Series::new("values".into(), values)),
        Some(lit(NULL).cast(DataType::Boolean)),
        Some(DataType::Boolean),
    )
}

fn datetime_expr(e: Expr, format: &str) -> Expr {
    let opts = StrptimeOptions {
        format: Some(format.into()),
        strict: false,
        exact: true,
        cache: false,
    };
    e.str()
        .to_datetime(Some(TimeUnit::Milliseconds), None, opts, lit("raise"))
}

fn date_expr(e: Expr, format: &str) -> Expr {
    e.str().to_date(StrptimeOptions {
        format: Some(format.into()),
        strict: false,
        exact: true,
        cache: true,
    })
}

/// Money text without the map's thousands separator (`1,234.50` -> `1234.50`).
fn without_thousands(s: Expr, map: &ColumnMap) -> Expr {
    match &map.thousands {
        Some(sep) => s.str().replace_all(lit(sep.clone()), lit(""), true),
        None => s,
    }
}

/// The fast parser of a field: the text as it is (text fields untrimmed), with the first date
/// or timestamp format.
/// A value it reads is read the same by [`parse_expr`]'s fallbacks' definition: a field is
/// `coalesce(fast, parse_expr)`, and the fallbacks run only on fields where the fast parser
/// left a value unread (one cheap pass instead of trimming and trying every format on every
/// value of a clean file).
fn fast_parse_expr(s: Expr, ty: FieldType, map: &ColumnMap) -> Expr {
    match ty {
        FieldType::Text => s,
        FieldType::Integer => s.cast(DataType::Int64),
        FieldType::Money => money_cents(without_thousands(s, map)),
        FieldType::Bool => bool_expr(s, map),
        FieldType::Date => match map.date_formats.first() {
            Some(f) => date_expr(s, f),
            None => lit(NULL).cast(DataType::Date),
        },
        FieldType::DateTime => match map.datetime_formats.first() {
            Some(f) => datetime_expr(s, f),
            None => lit(NULL).cast(DataType::Datetime(TimeUnit::Milliseconds, None)),
        },
    }
}

/// The fallback parser of a field (empty on failure): the text trimmed (empty is empty),
/// then every accepted format in turn.
fn parse_expr(s: Expr, ty: FieldType, map: &ColumnMap) -> Expr {
    let s = s.str().strip_chars(lit(NULL));
    let s = when(s.clone().eq(lit("")))
        .then(lit(NULL).cast(DataType::String))
        .otherwise(s);
    match ty {
        FieldType::Text => s,
        FieldType::Integer => s.cast(DataType::Int64),
        FieldType::Money => money_cents(without_thousands(s, map)),
        FieldType::Bool => bool_expr(s, map),
        FieldType::Date => coalesce(
            &map.date_formats
                .iter()
                .map(|f| date_expr(s.clone(), f))
                .collect::<Vec<_>>(),
        ),
        FieldType::DateTime => {
            // `2026-10-05T09:30:00+08:00` -> `2026-10-05 09:30:00`: a `T` separator is read as
            // a space, and the wall time of the value's own offset is read here.
            let normal =
                s.clone()
                    .str()
                    .slice(lit(0), lit(19))
                    .str()
                    .replace_all(lit("T"), lit(" "), true);
            // The fraction of a second (`.000` of XES logs) is kept to the millisecond; the
            // offset is applied afterwards (`time_zone`).
            let fraction = time_zone::fraction_ms(s.clone());
            let tries: Vec<Expr> = map
                .datetime_formats
                .iter()
                .map(|f| {
                    if f.starts_with("%Y-%m-%d") {
                        (datetime_expr(normal.clone(), f).cast(DataType::Int64) + fraction.clone())
                            .cast(DataType::Datetime(TimeUnit::Milliseconds, None))
                    } else {
                        datetime_expr(s.clone(), f)
                    }
                })
                .collect();
            coalesce(&tries)
        }
    }
}

/// A CSV file's column names, from its first record; `None` when it has none or cannot be
/// read (the full read then says why).
fn csv_header(path: &Path) -> Option<Vec<String>> {
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(true)
        .from_path(path)
        .ok()?;
    let header = reader.headers().ok()?;
    (!header.is_empty()).then(|| header.iter().map(str::to_owned).collect())
}

/// The error for a file whose bytes are not valid in `encoding` from byte `at` on: the row and
/// the byte of that line, and the `encoding:` line the bytes do fit when the detector finds one.
fn not_in_encoding(
    name: &str,
    bytes: &[u8],
    at: usize,
    encoding: &'static encoding_rs::Encoding,
) -> InputError {
    let good = &bytes[..at];
    let row = bytecount_newlines(good) + 1;
    let column = good.len() - good.iter().rposition(|b| *b == b'\n').map_or(0, |p| p + 1) + 1;
    let mut detector = chardetng::EncodingDetector::new(chardetng::Iso2022JpDetection::Deny);
    detector.feed(bytes, true);
    let guess = detector.guess(None, chardetng::Utf8Detection::Allow);
    let fits = guess != encoding
        && guess
            .decode_without_bom_handling_and_without_replacement(bytes)
            .is_some();
    let suggestion = if fits {
        format!(
            "the file reads as {} text: add `encoding: {}` to columns.yaml (or re-export it as UTF-8)",
            guess.name(),
            guess.name().to_lowercase()
        )
    } else {
        String::from(
            "declare the file's encoding in columns.yaml (`encoding: big5`, `encoding: gb18030`), or re-export it as UTF-8 (in Excel: Save As > CSV UTF-8)",
        )
    };
    InputError::NotUtf8 {
        path: name.to_owned(),
        encoding: encoding.name().to_owned(),
        row,
        column,
        suggestion,
    }
}

/// Reads a CSV file written as `columns.yaml` declares it (an encoding, a header below the
/// first line, another delimiter): decoded to UTF-8 in memory, then read by polars.
fn read_csv_as_declared(
    path: &Path,
    name: &str,
    columns: Option<&[String]>,
    map: &ColumnMap,
) -> Result<DataFrame, InputError> {
    let bytes = std::fs::read(path).map_err(|source| InputError::Io {
        path: name.to_owned(),
        source,
    })?;
    let encoding = map.encoding.unwrap_or(encoding_rs::UTF_8);
    let text: Vec<u8> = if encoding == encoding_rs::UTF_8 {
        let body = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(&bytes);
        if let Err(e) = std::str::from_utf8(body) {
            let at = e.valid_up_to() + (bytes.len() - body.len());
            return Err(not_in_encoding(name, &bytes, at, encoding));
        }
        body.to_vec()
    } else {
        let (decoded, had_errors) = encoding.decode_without_bom_handling(&bytes);
        if had_errors {
            // The first byte that does not decode: where the replacement character stands.
            let before = decoded.find('\u{FFFD}').unwrap_or(0);
            let prefix = &decoded[..before];
            let row = prefix.matches('\n').count() + 1;
            let column = prefix.len() - prefix.rfind('\n').map_or(0, |p| p + 1) + 1;
            return Err(InputError::NotUtf8 {
                path: name.to_owned(),
                encoding: encoding.name().to_owned(),
                row,
                column,
                suggestion: String::from(
                    "check the `encoding:` line of columns.yaml against the export (policyqc init detects it)",
                ),
            });
        }
        decoded.into_owned().into_bytes()
    };
    if text.iter().all(u8::is_ascii_whitespace) {
        return Ok(DataFrame::empty());
    }
    CsvReadOptions::default()
        .with_has_header(true)
        .with_infer_schema_length(Some(0))
        .with_skip_rows(map.header_row - 1)
        .with_columns(projected(columns))
        .with_parse_options(CsvParseOptions::default().with_separator(map.delimiter))
        .into_reader_with_file_handle(std::io::Cursor::new(text))
        .finish()
        .map_err(|e| InputError::Parse {
            path: name.to_owned(),
            message: e.to_string(),
        })
}

/// The longest value (or header name) a table may hold: 1 MiB. Nothing in a case is near it;
/// a longer one means the file is not read as the table it should be.
pub const MAX_FIELD_BYTES: usize = 1 << 20;

/// Refuses a table with a value or header longer than [`MAX_FIELD_BYTES`], naming the column
/// and the row (`first_row` is the row of the first record).
fn check_field_sizes(df: &DataFrame, name: &str, first_row: u64) -> Result<(), InputError> {
    let too_large = |place: String, bytes: usize| InputError::FieldTooLarge {
        path: name.to_owned(),
        place,
        bytes,
        max: MAX_FIELD_BYTES,
    };
    for c in df.columns() {
        if c.name().len() > MAX_FIELD_BYTES {
            return Err(too_large("the header".to_owned(), c.name().len()));
        }
        let Ok(ca) = c.str() else { continue };
        let mut before = 0u64;
        for arr in ca.downcast_iter() {
            // The length of each value is in its view: no text is touched.
            if let Some((i, view)) = arr
                .views()
                .iter()
                .enumerate()
                .find(|(_, v)| v.length as usize > MAX_FIELD_BYTES)
            {
                return Err(too_large(
                    format!("column {}, row {}", c.name(), first_row + before + i as u64),
                    view.length as usize,
                ));
            }
            before += arr.len() as u64;
        }
    }
    Ok(())
}

/// A Parquet file's column names, from its schema.
fn parquet_columns(path: &Path) -> Option<Vec<String>> {
    let file = std::fs::File::open(path).ok()?;
    let schema = ParquetReader::new(file).schema().ok()?;
    Some(schema.iter_names().map(ToString::to_string).collect())
}

/// The columns to read, as polars takes them.
fn projected(columns: Option<&[String]>) -> Option<Arc<[PlSmallStr]>> {
    columns.map(|c| c.iter().map(|n| PlSmallStr::from(n.as_str())).collect())
}

fn read_csv(
    path: &Path,
    name: &str,
    columns: Option<&[String]>,
    map: &ColumnMap,
) -> Result<DataFrame, InputError> {
    if !map.plain_csv() {
        return read_csv_as_declared(path, name, columns, map);
    }
    // polars maps the file and checks the text itself (cheaper than reading it into memory
    // first: measured 0.6-0.9 s against 0.8-1.4 s for 1M cases); only when it cannot read
    // the file is it read again here to say why (not UTF-8: which row and byte; blank: no
    // cases).
    let read = CsvReadOptions::default()
        .with_has_header(true)
        .with_infer_schema_length(Some(0))
        .with_columns(projected(columns))
        .try_into_reader_with_file_path(Some(path.to_path_buf()))
        .and_then(CsvReader::finish);
    let message = match read {
        Ok(df) => return Ok(df),
        Err(e) => e.to_string(),
    };
    let bytes = std::fs::read(path).map_err(|source| InputError::Io {
        path: name.to_owned(),
        source,
    })?;
    if let Err(e) = std::str::from_utf8(&bytes) {
        return Err(not_in_encoding(
            name,
            &bytes,
            e.valid_up_to(),
            encoding_rs::UTF_8,
        ));
    }
    if bytes.iter().all(u8::is_ascii_whitespace) {
        return Ok(DataFrame::empty());
    }
    Err(InputError::Parse {
        path: name.to_owned(),
        message,
    })
}

fn read_parquet(
    path: &Path,
    name: &str,
    columns: Option<&[String]>,
) -> Result<DataFrame, InputError> {
    let file = std::fs::File::open(path).map_err(|source| InputError::Io {
        path: name.to_owned(),
        source,
    })?;
    // Typed Parquet columns are kept as they are and converted to the field's type
    // (`convert_expr`); text columns are parsed exactly like CSV.
    ParquetReader::new(file)
        .with_columns(columns.map(<[String]>::to_vec))
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
    // Exports usually list cases in id order: ids that strictly increase down the file
    // are all present and distinct, which one comparison pass shows (no hashing).
    let increasing = cases
        .df
        .clone()
        .lazy()
        .select([col("case_id")
            .gt(col("case_id").shift(lit(1)))
            .fill_null(lit(true))
            .all(true)
            .and(col("case_id").null_count().eq(lit(0)))
            .alias("ok")])
        .collect()
        .ok()
        .and_then(|df| df.column("ok").ok()?.bool().ok()?.get(0));
    if increasing == Some(true) {
        return Vec::new();
    }
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

#[cfg(test)]
mod tests {
    use super::*;

    /// The table's bad values as (row, field, value), sorted.
    fn bad_values(t: &TableData) -> Vec<(u64, &str, &str)> {
        let mut bad: Vec<(u64, &str, &str)> = t
            .issues
            .iter()
            .map(|i| (i.row, i.field.as_str(), i.value.as_str()))
            .collect();
        bad.sort_unstable();
        bad
    }

    fn read(csv: &str) -> TableData {
        let dir = tempfile::tempdir().expect("tempdir");
        let path = dir.path().join("cases.csv");
        std::fs::write(&path, csv).expect("write");
        read_table(&path, Table::Cases, &ColumnMap::default(), &[]).expect("read")
    }

    /// Three columns of 37,000 rows: text in chunks of 10,000, 15,000 and 12,000 rows (as a
    /// CSV is read), numbers in one chunk, flags in two. All end up cut like the text, with
    /// the same values in the same order.
    #[test]
    fn align_chunks_cuts_every_column_like_the_most_chunked_one() {
        let lengths = [10_000_usize, 15_000, 12_000];
        let texts: Vec<String> = (0..37_000).map(|i| format!("t{i}")).collect();
        let mut text = Series::new("t".into(), &texts[..10_000]);
        text.append(&Series::new("t".into(), &texts[10_000..25_000]))
            .unwrap();
        text.append(&Series::new("t".into(), &texts[25_000..]))
            .unwrap();
        let numbers: Vec<i64> = (0..37_000).collect();
        let flags: Vec<Option<bool>> = (0..37_000)
            .map(|i| (i % 3 != 2).then_some(i % 3 == 0))
            .collect();
        let mut flag = Series::new("b".into(), &flags[..20_000]);
        flag.append(&Series::new("b".into(), &flags[20_000..]))
            .unwrap();
        let mut df = DataFrame::new(
            37_000,
            vec![
                text.into(),
                Series::new("n".into(), &numbers).into(),
                flag.into(),
            ],
        )
        .unwrap();
        align_chunks(&mut df).unwrap();
        for c in df.columns() {
            let got: Vec<usize> = c.as_materialized_series().chunk_lengths().collect();
            assert_eq!(got, lengths, "{}", c.name());
        }
        let got_texts: Vec<String> = column_str(&df, "t").into_iter().flatten().collect();
        assert_eq!(got_texts, texts);
        let n: Vec<Option<i64>> = df.column("n").unwrap().i64().unwrap().iter().collect();
        assert_eq!(n, numbers.into_iter().map(Some).collect::<Vec<_>>());
        let b: Vec<Option<bool>> = df.column("b").unwrap().bool().unwrap().iter().collect();
        assert_eq!(b, flags);
        // polars sees the frame as aligned: nothing left to copy before a filter.
        assert!(!df.should_rechunk());
    }

    /// Chunks of 2, 3 and 1 rows (below `MIN_CHUNK_ROWS`) are merged: one chunk per column.
    #[test]
    fn align_chunks_merges_small_chunks_into_one() {
        let mut text = Series::new("t".into(), ["a", "b"]);
        text.append(&Series::new("t".into(), ["c", "d", "e"]))
            .unwrap();
        text.append(&Series::new("t".into(), ["f"])).unwrap();
        let number = Series::new("n".into(), [1_i64, 2, 3, 4, 5, 6]);
        let mut df = DataFrame::new(6, vec![text.into(), number.into()]).unwrap();
        align_chunks(&mut df).unwrap();
        for c in df.columns() {
            assert_eq!(c.as_materialized_series().n_chunks(), 1, "{}", c.name());
        }
        assert_eq!(
            column_str(&df, "t"),
            ["a", "b", "c", "d", "e", "f"].map(|v| Some(v.to_owned()))
        );
    }

    fn ms(s: &str) -> i64 {
        chrono::NaiveDateTime::parse_from_str(s, "%Y-%m-%d %H:%M:%S")
            .expect("timestamp")
            .and_utc()
            .timestamp_millis()
    }

    /// In one file, values the fast parser reads (row 2), values only the fallbacks read
    /// (spaces, a timestamp without seconds or with a `T` and an offset: rows 3-4) and values
    /// nobody reads (rows 4-5) sit in the same columns: each is read as the module docs say,
    /// and only the unreadable ones are data findings.
    #[test]
    fn fast_and_fallback_values_in_one_column_are_each_read_and_only_bad_ones_reported() {
        let t = read(concat!(
            "case_id,received_at,application_date,amount,seal_required,docs_required,branch\n",
            "C1,2026-10-05 09:00:13,2026-10-01,1234.50,true,3,HQ\n",
            "C2, 2026-10-05 09:30 ,2026-10-02, 12.5,yes, 4, North \n",
            "C3,2026-10-05T10:00:00+08:00,,12.345,maybe,x,\n",
            "C4,yesterday,2026-13-45,-0.5,N,,HQ\n",
        ));
        let df = &t.df;
        // A column's values as numbers (dates as days, timestamps as milliseconds).
        let numbers = |name: &str| -> Vec<Option<i64>> {
            df.column(name)
                .unwrap()
                .cast(&DataType::Int64)
                .unwrap()
                .i64()
                .unwrap()
                .iter()
                .collect()
        };
        let dt = numbers("received_at");
        assert_eq!(
            dt,
            [
                Some(ms("2026-10-05 09:00:13")),
                Some(ms("2026-10-05 09:30:00")), // trimmed, second format (no seconds)
                // `T` read as a space; the offset converted (no office zone set: to UTC).
                Some(ms("2026-10-05 02:00:00")),
                None, // `yesterday`
            ]
        );
        let amount: Vec<Option<i64>> = df.column("amount").unwrap().i64().unwrap().iter().collect();
        // 1234.50 = 123,450 cents; ` 12.5` trimmed = 1,250; 12.345 has three decimals; -0.5.
        assert_eq!(amount, [Some(123_450), Some(1_250), None, Some(-50)]);
        let seal: Vec<Option<bool>> = df
            .column("seal_required")
            .unwrap()
            .bool()
            .unwrap()
            .iter()
            .collect();
        assert_eq!(seal, [Some(true), Some(true), None, Some(false)]);
        let docs = numbers("docs_required");
        assert_eq!(docs, [Some(3), Some(4), None, None]);
        assert_eq!(
            column_str(df, "branch"),
            [
                Some("HQ".into()),
                Some("North".into()),
                None,
                Some("HQ".into())
            ]
        );
        let dates = numbers("application_date");
        // 2026-10-01 is day 20,727 since 1970-01-01; the empty value is empty, not bad.
        assert_eq!(dates, [Some(20_727), Some(20_728), None, None]);
        let bad = bad_values(&t);
        assert_eq!(
            bad,
            [
                // Read, and listed: the column mixes values with and without an offset.
                (2, "received_at", "2026-10-05 09:00:13"),
                (3, "received_at", "2026-10-05 09:30"),
                (4, "amount", "12.345"),
                (4, "docs_required", "x"),
                (4, "seal_required", "maybe"),
                (5, "application_date", "2026-13-45"),
                (5, "received_at", "yesterday"),
            ]
        );
    }

    /// Text fields are trimmed of any white space `str::trim` knows (tabs, no-break and
    /// ideographic spaces too), a value of only spaces is empty; a clean column is kept as it
    /// is, and one bad value anywhere in a column is found.
    #[test]
    fn text_with_white_space_at_either_end_is_trimmed() {
        let t = read(concat!(
            "case_id,branch,reviewer,policy_no\n",
            "C1,HQ,\tbranch,P123456789\n",
            "C2,HQ,post\u{a0},P123456790\n",
            "C3,HQ,\u{3000}email,   \n",
        ));
        assert_eq!(
            column_str(&t.df, "branch"),
            vec![Some(String::from("HQ")); 3]
        );
        assert_eq!(
            column_str(&t.df, "reviewer"),
            [
                Some("branch".into()),
                Some("post".into()),
                Some("email".into())
            ]
        );
        assert_eq!(
            column_str(&t.df, "policy_no"),
            [Some("P123456789".into()), Some("P123456790".into()), None]
        );
        assert!(t.issues.is_empty(), "trimming is not a data finding");
        let column = |values: &[Option<&str>]| Column::new("t".into(), values);
        assert!(!needs_trimming(&column(&[Some("HQ"), None, Some("a b")])));
        for bad in [" HQ", "HQ ", "", "\tHQ", "HQ\u{a0}", "\u{2003}HQ"] {
            assert!(
                needs_trimming(&column(&[Some("HQ"), None, Some(bad)])),
                "{bad:?}"
            );
        }
    }

    /// Reads `bytes` as cases.csv with the column map `columns`.
    fn read_with(bytes: &[u8], columns: &str) -> Result<TableData, InputError> {
        let dir = tempfile::tempdir().expect("tempdir");
        let path = dir.path().join("cases.csv");
        std::fs::write(&path, bytes).expect("write");
        let map = crate::config::columns::read(&crate::config::diagnostics::SourceFile::new(
            "columns.yaml",
            columns,
        ))
        .expect("column map");
        read_table(&path, Table::Cases, &map, &[])
    }

    /// A Big5 export with a title line above its header, Chinese headers, slashed dates, 是/否,
    /// coded change types and money with thousands separators: read as declared, with rows
    /// numbered as the spreadsheet shows them (header on line 2, first case on line 3).
    #[test]
    fn an_export_in_big5_with_a_title_line_is_read_as_columns_yaml_declares() {
        let text = "保全作業清單 2026/10\n案件編號,保全項目,需蓋章,金額,受理時間\nC1,地址變更,是,\"1,234.50\",2026/10/05 09:12\nC2,解約,否,12.5,2026/10/06 14:03\nC3,特殊件,也許,1.234,2026/10/07\n";
        let (big5, _, unmappable) = encoding_rs::BIG5.encode(text);
        assert!(!unmappable);
        let columns = "encoding: big5\nheader_row: 2\nformats:\n  datetime: \"%Y/%m/%d %H:%M\"\n  true: [是]\n  false: [否]\n  thousands: \",\"\ncases:\n  case_id: 案件編號\n  change_type:\n    column: 保全項目\n    values:\n      地址變更: address_change\n      解約: surrender\n  seal_required: 需蓋章\n  amount: 金額\n  received_at: 受理時間\n";
        let t = read_with(&big5, columns).expect("read");
        assert_eq!(
            column_str(&t.df, "change_type"),
            [
                Some("address_change".into()),
                Some("surrender".into()),
                Some("特殊件".into())
            ]
        );
        let seal: Vec<Option<bool>> =
            t.df.column("seal_required")
                .unwrap()
                .bool()
                .unwrap()
                .iter()
                .collect();
        assert_eq!(seal, [Some(true), Some(false), None]);
        let amount: Vec<Option<i64>> =
            t.df.column("amount")
                .unwrap()
                .i64()
                .unwrap()
                .iter()
                .collect();
        assert_eq!(amount, [Some(123_450), Some(1_250), None]);
        let rows = column_u64(&t.df, ROW);
        assert_eq!(rows, [3, 4, 5]);
        let bad = bad_values(&t);
        // 1.234 is three decimals once the separator is gone; 2026/10/07 has no time.
        assert_eq!(
            bad,
            [
                (5, "amount", "1.234"),
                (5, "received_at", "2026/10/07"),
                (5, "seal_required", "也許")
            ]
        );
    }

    /// Bytes that are not UTF-8 with no `encoding:` (or `encoding: utf-8`) stop the read with
    /// the row and the `encoding:` line they fit; a BOM never reaches the header.
    #[test]
    fn big5_read_as_utf8_names_the_row_and_suggests_the_encoding_line() {
        let text = "case_id,branch\nC1,台北\nC2,高雄分公司\n";
        let (big5, _, _) = encoding_rs::BIG5.encode(text);
        for columns in ["", "encoding: utf-8\n"] {
            let err = read_with(&big5, columns).expect_err("not UTF-8");
            let InputError::NotUtf8 {
                row, suggestion, ..
            } = &err
            else {
                panic!("{err}")
            };
            assert_eq!(*row, 2, "{err}");
            assert!(suggestion.contains("`encoding: big5`"), "{suggestion}");
        }
        let bom = [
            b"\xEF\xBB\xBF".as_slice(),
            "case_id,branch\nC1,台北\n".as_bytes(),
        ]
        .concat();
        for columns in ["", "encoding: utf-8\nheader_row: 1\ndelimiter: \",\"\n"] {
            let t = read_with(&bom, columns).expect("UTF-8 with a BOM");
            assert_eq!(
                column_str(&t.df, "case_id"),
                [Some("C1".into())],
                "{columns}"
            );
            assert_eq!(column_str(&t.df, "branch"), [Some("台北".into())]);
        }
    }

    #[test]
    fn case_ids_in_order_or_not_are_checked_for_duplicates_and_blanks() {
        let map = ColumnMap::default();
        let issues = |csv: &str| -> Vec<(u64, String)> {
            case_id_issues(&read(csv), &map)
                .into_iter()
                .map(|i| (i.row, i.case_id))
                .collect()
        };
        // Strictly increasing ids: nothing to report.
        assert!(issues("case_id\nC1\nC2\nC3\n").is_empty());
        // In order but repeated (rows 3 and 4), and out of order with a repeat (rows 2, 4).
        assert_eq!(
            issues("case_id\nC1\nC2\nC2\nC3\n"),
            [(3, "C2".into()), (4, "C2".into())]
        );
        assert_eq!(
            issues("case_id\nC2\nC1\nC2\n"),
            [(2, "C2".into()), (4, "C2".into())]
        );
        // A blank id in an otherwise increasing file (row 3).
        assert_eq!(
            issues("case_id,branch\nC1,HQ\n,HQ\nC3,HQ\n"),
            [(3, String::new())]
        );
    }
}
