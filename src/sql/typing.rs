//! The cases file read and typed in SQL as `check`'s reader types it (`input::parse_fields`):
//! every column read as text, a column's value map applied, the text trimmed (empty is
//! empty), then per field type: whole numbers, money as integer cents (at most two decimals,
//! the map's thousands separator removed first), the yes/no words (SCHEMA.md's and the
//! map's), dates and timestamps in the map's formats tried in order (a timestamp's `T`
//! separator and its fraction of a second to the millisecond, a UTC offset converted to UTC).
//! A value that stays unread becomes empty and a row of `data_findings`, with the reader's
//! message ("not a date (%Y-%m-%d); read as empty").
//!
//! Written for `DuckDB` and Spark SQL; `check`'s reader is the reference, and `tests/sql`
//! runs this SQL on the fixtures against it.

use polars::prelude::DataType;
use std::fmt::Write as _;

use super::error::SqlError;
use super::expr::{Dialect, View, ident, text};
use crate::config::columns::{ColumnMap, Mapping};
use crate::input::time_zone::{OFFSET_END, OFFSET_PARTS};
use crate::input::{BOOL_WORDS, MONEY_TEXT, ROW, expected_text};
use crate::schema::{FieldType, Table};

/// The view of the typed cases (our field names and [`ROW`]).
pub const TYPED: &str = "__typed";

/// The text type of a dialect.
#[must_use]
pub fn text_type(d: Dialect) -> &'static str {
    super::expr::sql_type(&DataType::String, d).unwrap_or("VARCHAR")
}

/// Where the script reads the cases from.
#[derive(Debug, Clone)]
pub enum Relation {
    /// A CSV file (every column read as text), as the script names it.
    Csv(String),
    /// A Parquet file, as the script names it.
    Parquet(String),
    /// An existing table of the engine (`db.schema.cases`, `--table`).
    Table(String),
}

/// The cases' source: where they are read from, the types of its columns, and what
/// `data_findings` calls it.
#[derive(Debug, Clone)]
pub struct Source {
    /// The relation.
    pub relation: Relation,
    /// The type of each column that is not text (a Parquet file's or a typed table's
    /// columns, from the file or the folder's sample of the table); a column not listed
    /// here is text.
    pub types: Vec<(String, DataType)>,
    /// The `file` column of `data_findings` (as `check` writes it).
    pub label: String,
    /// The row number of the first case (a CSV file's header is a row; a Parquet file's or
    /// table's first case is row 1).
    pub first_row: u64,
}

impl Source {
    fn type_of(&self, column: &str) -> Option<&DataType> {
        self.types
            .iter()
            .find(|(c, _)| c == column)
            .map(|(_, t)| t)
            .filter(|t| !matches!(t, DataType::String))
    }
}

/// The statements that read and type the cases.
pub struct Typed {
    /// Statements before the views (Spark's view of the file).
    pub prelude: String,
    /// The raw cases, the typed view ([`TYPED`]) and `data_findings`, in order.
    pub views: Vec<View>,
}

/// `e` trimmed of white space, empty as NULL.
fn trimmed(e: &str, d: Dialect) -> String {
    // Rust's `str::trim` (the reader's): Unicode White_Space, which is `\s` with the
    // vertical tab, NEL and the separators (the ideographic space U+3000 of CJK exports).
    let ws = text(r"^[\s\x0B\x{85}\p{Z}]+|[\s\x0B\x{85}\p{Z}]+$", d);
    match d {
        Dialect::DuckDb => format!("NULLIF(regexp_replace({e}, {ws}, '', 'g'), '')"),
        Dialect::Spark | Dialect::Trino => format!("NULLIF(regexp_replace({e}, {ws}, ''), '')"),
    }
}

/// Whether `x` holds a match of the regular expression `pattern` (a SQL text).
fn matches(x: &str, pattern: &str, d: Dialect) -> String {
    match d {
        Dialect::DuckDb => format!("regexp_matches({x}, {pattern})"),
        Dialect::Spark => format!("({x} RLIKE {pattern})"),
        Dialect::Trino => format!("regexp_like({x}, {pattern})"),
    }
}

/// A chrono format as Spark's datetime pattern (the directives the column maps use).
fn java_format(f: &str) -> Option<String> {
    let mut out = String::new();
    let mut chars = f.chars();
    while let Some(c) = chars.next() {
        if c != '%' {
            if c.is_ascii_alphabetic() || c == '\'' {
                let _ = write!(out, "'{c}'");
            } else {
                out.push(c);
            }
            continue;
        }
        out.push_str(match chars.next()? {
            'Y' => "yyyy",
            'y' => "yy",
            'm' => "MM",
            'd' => "dd",
            'H' => "HH",
            'M' => "mm",
            'S' => "ss",
            '%' => "%",
            _ => return None,
        });
    }
    Some(out)
}

/// The timestamp of text `x` in chrono format `f` (NULL when it does not read).
fn strptime(x: &str, f: &str, d: Dialect) -> Option<String> {
    Some(match d {
        Dialect::DuckDb => format!("TRY_STRPTIME({x}, {})", text(f, d)),
        Dialect::Spark => format!("try_to_timestamp({x}, {})", text(&java_format(f)?, d)),
        Dialect::Trino => format!("try(date_parse({x}, {}))", text(&trino_format(f)?, d)),
    })
}

/// A chrono format as Trino's `date_parse` format (`MySQL`'s directives).
fn trino_format(f: &str) -> Option<String> {
    let mut out = String::new();
    let mut chars = f.chars();
    while let Some(c) = chars.next() {
        if c != '%' {
            out.push(c);
            continue;
        }
        out.push_str(match chars.next()? {
            'Y' => "%Y",
            'y' => "%y",
            'm' => "%m",
            'd' => "%d",
            'H' => "%H",
            'M' => "%i",
            'S' => "%s",
            '%' => "%%",
            _ => return None,
        });
    }
    Some(out)
}

/// Timestamp `ts` plus `ms` milliseconds.
fn plus_ms(ts: &str, ms: &str, d: Dialect) -> String {
    match d {
        Dialect::DuckDb => format!("({ts} + to_milliseconds({ms}))"),
        Dialect::Spark => format!("timestamp_millis(unix_millis({ts}) + ({ms}))"),
        Dialect::Trino => format!("date_add('millisecond', {ms}, {ts})"),
    }
}

/// The typed value of a trimmed text `t`; `None` when a format has no equivalent in the
/// dialect.
fn typed(t: &str, m: &Mapping, map: &ColumnMap, d: Dialect) -> Option<String> {
    let lit_list = |words: &[&str]| {
        words
            .iter()
            .map(|w| text(w, d))
            .collect::<Vec<_>>()
            .join(", ")
    };
    Some(match m.ty {
        FieldType::Text => t.to_owned(),
        FieldType::Integer => format!(
            "(CASE WHEN {} THEN CAST({t} AS BIGINT) END)",
            matches(t, "'^[+-]?[0-9]+$'", d)
        ),
        FieldType::Money => {
            let m = match &map.thousands {
                Some(sep) => format!("replace({t}, {}, '')", text(sep, d)),
                None => t.to_owned(),
            };
            let even = match d {
                Dialect::Spark => "bround",
                Dialect::DuckDb | Dialect::Trino => "round_even",
            };
            format!(
                "(CASE WHEN {} THEN CAST({even}(CAST({m} AS DOUBLE) * 100, 0) AS BIGINT) END)",
                matches(&m, &text(MONEY_TEXT, d), d)
            )
        }
        FieldType::Bool => {
            let mut trues: Vec<&str> = BOOL_WORDS[..9].to_vec();
            trues.extend(map.true_words.iter().map(String::as_str));
            let mut falses: Vec<&str> = BOOL_WORDS[9..].to_vec();
            falses.extend(map.false_words.iter().map(String::as_str));
            // A word in both lists is true (the reader's first match wins).
            falses.retain(|w| !trues.contains(w));
            format!(
                "(CASE WHEN {t} IN ({}) THEN TRUE WHEN {t} IN ({}) THEN FALSE END)",
                lit_list(&trues),
                lit_list(&falses)
            )
        }
        FieldType::Date => {
            let tries: Vec<String> = map
                .date_formats
                .iter()
                .map(|f| strptime(t, f, d).map(|p| format!("CAST({p} AS DATE)")))
                .collect::<Option<_>>()?;
            coalesce(&tries, "DATE")
        }
        FieldType::DateTime => {
            let normal = format!("replace(substr({t}, 1, 19), 'T', ' ')");
            let digits = format!(
                r"substr(NULLIF(regexp_extract({t}, '\d{{2}}:\d{{2}}:\d{{2}}[.,](\d{{1,9}})', 1), ''), 1, 3)"
            );
            let fraction = format!(
                "COALESCE(CAST({digits} AS BIGINT) * (CASE length({digits}) WHEN 1 THEN 100 WHEN 2 THEN 10 ELSE 1 END), 0)"
            );
            let tries: Vec<String> = map
                .datetime_formats
                .iter()
                .map(|f| {
                    if f.starts_with("%Y-%m-%d") {
                        Some(plus_ms(&strptime(&normal, f, d)?, &fraction, d))
                    } else {
                        strptime(t, f, d)
                    }
                })
                .collect::<Option<_>>()?;
            let local = coalesce(&tries, "TIMESTAMP");
            // A UTC offset: the instant in UTC (no office time zone is set, see `script`).
            let part = |g: usize| format!("regexp_extract({t}, {}, {g})", text(OFFSET_PARTS, d));
            let offset = format!(
                "(CASE WHEN COALESCE({z}, '') <> '' THEN 0 ELSE (CASE WHEN {s} = '-' THEN -1 ELSE 1 END) * (CAST({h} AS BIGINT) * 3600000 + COALESCE(CAST(NULLIF({mi}, '') AS BIGINT), 0) * 60000) END)",
                z = part(1),
                s = part(2),
                h = part(3),
                mi = part(4),
            );
            format!(
                "(CASE WHEN {} THEN {} ELSE {local} END)",
                matches(t, &text(OFFSET_END, d), d),
                plus_ms(&local, &format!("-{offset}"), d)
            )
        }
    })
}

fn coalesce(tries: &[String], ty: &str) -> String {
    if tries.is_empty() {
        format!("CAST(NULL AS {ty})")
    } else {
        format!("COALESCE({})", tries.join(", "))
    }
}

/// The SQL type of a field's typed column.
fn field_type(ty: FieldType, d: Dialect) -> &'static str {
    match ty {
        FieldType::Text => text_type(d),
        FieldType::Integer | FieldType::Money => "BIGINT",
        FieldType::Bool => "BOOLEAN",
        FieldType::Date => "DATE",
        FieldType::DateTime => "TIMESTAMP",
    }
}

/// A typed (not text) column `c` of type `from` as a field of type `ty`, as the reader's
/// `convert_expr` converts it; `None`: the value is read through its text form.
fn converted(c: &str, from: &DataType, ty: FieldType, d: Dialect) -> Option<String> {
    Some(match (ty, from) {
        // Trino has no rounding half to even; a float of at most two decimals times 100 is
        // within far less than half a cent of its whole number, where both roundings agree.
        (FieldType::Money, DataType::Float32 | DataType::Float64) => {
            let round = match d {
                Dialect::DuckDb => "round_even",
                Dialect::Spark => "bround",
                Dialect::Trino => "round",
            };
            format!("CAST({round}(CAST({c} AS DOUBLE) * 100, 0) AS BIGINT)")
        }
        (FieldType::Money, t) if t.is_integer() => format!("(CAST({c} AS BIGINT) * 100)"),
        (FieldType::Integer, t) if t.is_integer() => format!("CAST({c} AS BIGINT)"),
        (FieldType::Bool, DataType::Boolean) => c.to_owned(),
        (FieldType::Date, DataType::Date | DataType::Datetime(..)) => {
            format!("CAST({c} AS DATE)")
        }
        // To the millisecond, as the reader keeps timestamps.
        (FieldType::DateTime, DataType::Date | DataType::Datetime(..)) => match d {
            Dialect::DuckDb => format!("date_trunc('millisecond', CAST({c} AS TIMESTAMP))"),
            Dialect::Spark => format!("timestamp_millis(unix_millis(CAST({c} AS TIMESTAMP)))"),
            Dialect::Trino => format!("CAST({c} AS TIMESTAMP(3))"),
        },
        (FieldType::Text, _) => format!("CAST({c} AS {})", text_type(d)),
        _ => return None,
    })
}

/// The views reading `source` into [`TYPED`] and `data_findings`; `absent` are the fields
/// whose column the source lacks, as the reader found them (read as empty).
///
/// # Errors
/// A format or header row Spark cannot read, an encoding other than UTF-8, the
/// `office_time_zone` setting (offsets converted to a zone with daylight saving are not
/// written in SQL yet), or a file Trino cannot read (Trino reads tables).
pub fn cases(
    source: &Source,
    absent: &[(String, String)],
    map: &ColumnMap,
    d: Dialect,
) -> Result<Typed, SqlError> {
    let file_read = !matches!(source.relation, Relation::Table(_));
    if d == Dialect::Trino && file_read {
        return Err(SqlError::Input(String::from(
            "trino reads tables, not files: name the cases table with --table cases=catalog.schema.table",
        )));
    }
    if d == Dialect::Spark && map.header_row != 1 && matches!(source.relation, Relation::Csv(_)) {
        return Err(SqlError::Input(String::from(
            "spark: a header below the first line (columns.yaml `header_row`) is not read in Spark SQL",
        )));
    }
    let unsupported = |f: &String| match d {
        Dialect::Spark => java_format(f).is_none(),
        Dialect::Trino => trino_format(f).is_none(),
        Dialect::DuckDb => false,
    };
    if let Some(f) = map
        .date_formats
        .iter()
        .chain(&map.datetime_formats)
        .find(|f| unsupported(f))
    {
        return Err(SqlError::Input(format!(
            "{}: the format `{f}` has no datetime pattern here (supported: %Y %y %m %d %H %M %S)",
            d.name()
        )));
    }
    if map.encoding.is_some_and(|e| e != encoding_rs::UTF_8) {
        return Err(SqlError::Input(format!(
            "{} is not UTF-8 (columns.yaml `encoding:`): convert it to UTF-8 for the SQL engines",
            source.label
        )));
    }
    if map.office_time_zone.is_some() {
        return Err(SqlError::Input(String::from(
            "the office_time_zone setting: converting timestamps to the office zone is not written in SQL yet",
        )));
    }
    let mappings = map.mappings(Table::Cases);
    // The columns the source has: the reader found the others absent.
    let present = |m: &Mapping| !absent.iter().any(|(field, _)| *field == m.field);
    // A column's text (a typed column cast to text where a value map applies to it).
    let as_text = |m: &Mapping| {
        let c = ident(&m.column, d);
        if source.type_of(&m.column).is_some() {
            format!("CAST({c} AS {})", text_type(d))
        } else {
            c
        }
    };
    // The raw value of a present field: `(sql, typed)`, typed when it is a typed column
    // read as it is (no value map).
    let raw = |m: &Mapping| -> Option<(String, Option<&DataType>)> {
        present(m).then(|| {
            if m.values.is_empty() {
                let from = source.type_of(&m.column);
                let c = ident(&m.column, d);
                return (c, from);
            }
            let t = as_text(m);
            let mut arms = String::new();
            for (theirs, ours) in &m.values {
                let _ = write!(arms, " WHEN {} THEN {}", text(theirs, d), text(ours, d));
            }
            (format!("(CASE {t}{arms} ELSE {t} END)"), None)
        })
    };
    let no_format = |m: &Mapping| {
        SqlError::Input(format!(
            "{}: a format of `{}` has no {} equivalent",
            m.field,
            m.column,
            d.name()
        ))
    };
    // The typed value of a present field, and whether it can stay unread (the text path).
    let value =
        |m: &Mapping, r: &str, from: Option<&DataType>| -> Result<(String, bool), SqlError> {
            if let Some(t) = from.and_then(|t| converted(r, t, m.ty, d)) {
                return Ok((t, false));
            }
            let r = match from {
                Some(_) => format!("CAST({r} AS {})", text_type(d)),
                None => r.to_owned(),
            };
            Ok((
                typed(&trimmed(&r, d), m, map, d).ok_or_else(|| no_format(m))?,
                true,
            ))
        };
    let mut views: Vec<View> = Vec::new();
    let mut prelude = String::new();
    let row = ident(ROW, d);
    let offset = source.first_row.saturating_sub(1);
    let delim = text(&char::from(map.delimiter).to_string(), d);
    let raw_body = match (&source.relation, d) {
        (Relation::Csv(file), Dialect::Spark) => {
            // Spark reads each column as text unless told to infer; the row number follows
            // the file's order (one file, read in order).
            let _ = writeln!(
                prelude,
                "CREATE OR REPLACE TEMPORARY VIEW __file USING csv OPTIONS (path {}, header 'true', sep {delim}, quote '\"', escape '\"', multiLine 'true');",
                text(file, d)
            );
            format!(
                "SELECT *, CAST(row_number() OVER (ORDER BY monotonically_increasing_id()) AS BIGINT) + {offset} AS {row} FROM __file"
            )
        }
        (Relation::Parquet(file), Dialect::Spark) => {
            let _ = writeln!(
                prelude,
                "CREATE OR REPLACE TEMPORARY VIEW __file USING parquet OPTIONS (path {});",
                text(file, d)
            );
            format!(
                "SELECT *, CAST(row_number() OVER (ORDER BY monotonically_increasing_id()) AS BIGINT) + {offset} AS {row} FROM __file"
            )
        }
        (Relation::Table(t), Dialect::Spark) => format!(
            "SELECT *, CAST(row_number() OVER (ORDER BY monotonically_increasing_id()) AS BIGINT) + {offset} AS {row} FROM {t}"
        ),
        (Relation::Csv(file), _) => format!(
            "SELECT *, CAST(row_number() OVER () AS BIGINT) + {offset} AS {row} FROM read_csv({}, header = true, all_varchar = true, delim = {delim}, quote = '\"', escape = '\"', skip = {})",
            text(file, d),
            map.header_row.saturating_sub(1),
        ),
        // The file's own row numbers, whatever order the scan returns them in.
        (Relation::Parquet(file), _) => format!(
            "SELECT * EXCLUDE (file_row_number), file_row_number + {} AS {row} FROM read_parquet({}, file_row_number = true)",
            offset + 1,
            text(file, d)
        ),
        (Relation::Table(t), _) => {
            format!("SELECT *, CAST(row_number() OVER () AS BIGINT) + {offset} AS {row} FROM {t}")
        }
    };
    views.push((String::from("__raw"), raw_body));
    let mut unread: Vec<String> = Vec::new();
    let key = mappings
        .iter()
        .find(|m| m.field == "case_id" && present(m))
        .map_or_else(|| format!("CAST(NULL AS {})", text_type(d)), &as_text);
    let mut columns: Vec<String> = Vec::new();
    for m in &mappings {
        let v = match raw(m) {
            Some((r, from)) => {
                let (v, can_stay_unread) = value(m, &r, from)?;
                // Every value the reader leaves unread: the raw value is there, the typed
                // one is not.
                if can_stay_unread && m.ty != FieldType::Text {
                    let shown = match from {
                        Some(_) => format!("CAST({r} AS {})", text_type(d)),
                        None => r.clone(),
                    };
                    unread.push(format!(
                        "SELECT {file} AS file, {row} AS row, 'cases' AS {table}, COALESCE({key}, '') AS case_id, {field} AS field, {column} AS {column_name}, {shown} AS value, {problem} AS problem FROM __raw WHERE {r} IS NOT NULL AND ({v}) IS NULL",
                        file = text(&source.label, d),
                        table = ident("table", d),
                        column_name = ident("column", d),
                        field = text(&m.field, d),
                        column = text(&m.column, d),
                        problem =
                            text(&format!("not {}; read as empty", expected_text(m, map)), d),
                    ));
                }
                format!("CAST({v} AS {})", field_type(m.ty, d))
            }
            None => format!("CAST(NULL AS {})", field_type(m.ty, d)),
        };
        columns.push(format!("{v} AS {}", ident(&m.field, d)));
    }
    views.push((
        String::from(TYPED),
        format!("SELECT {}, {row} FROM __raw", columns.join(", ")),
    ));
    let body = if unread.is_empty() {
        let t = text_type(d);
        format!(
            "SELECT CAST(NULL AS {t}) AS file, CAST(NULL AS BIGINT) AS row, CAST(NULL AS {t}) AS {}, CAST(NULL AS {t}) AS case_id, CAST(NULL AS {t}) AS field, CAST(NULL AS {t}) AS {}, CAST(NULL AS {t}) AS value, CAST(NULL AS {t}) AS problem WHERE FALSE",
            ident("table", d),
            ident("column", d)
        )
    } else {
        unread.join("\nUNION ALL\n")
    };
    views.push((String::from("data_findings"), body));
    Ok(Typed { prelude, views })
}
