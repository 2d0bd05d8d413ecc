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

use std::fmt::Write as _;
use std::path::Path;

use super::error::SqlError;
use super::expr::{Dialect, ident, text};
use crate::config::columns::{ColumnMap, Mapping};
use crate::input::time_zone::{OFFSET_END, OFFSET_PARTS};
use crate::input::{BOOL_WORDS, MONEY_TEXT, ROW, expected_text};
use crate::schema::{FieldType, Table};

/// The view of the typed cases (our field names and [`ROW`]).
pub const TYPED: &str = "__typed";

/// The text type of a dialect.
#[must_use]
pub fn text_type(d: Dialect) -> &'static str {
    super::expr::sql_type(&polars::prelude::DataType::String, d).unwrap_or("VARCHAR")
}

/// The statements that read and type the cases.
pub struct Typed {
    /// `CREATE` statements: the raw file, the typed view, `data_findings`.
    pub statements: String,
}

/// `e` trimmed of white space, empty as NULL.
fn trimmed(e: &str, d: Dialect) -> String {
    let ws = text(r"^\s+|\s+$", d);
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
        Dialect::Trino => return None,
    })
}

/// Timestamp `ts` plus `ms` milliseconds.
fn plus_ms(ts: &str, ms: &str, d: Dialect) -> String {
    match d {
        Dialect::DuckDb | Dialect::Trino => format!("({ts} + to_milliseconds({ms}))"),
        Dialect::Spark => format!("timestamp_millis(unix_millis({ts}) + ({ms}))"),
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
            let normal = format!("replace(left({t}, 19), 'T', ' ')");
            let digits = format!(
                r"left(NULLIF(regexp_extract({t}, '\d{{2}}:\d{{2}}:\d{{2}}[.,](\d{{1,9}})', 1), ''), 3)"
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
                "(CASE WHEN {z} <> '' THEN 0 ELSE (CASE WHEN {s} = '-' THEN -1 ELSE 1 END) * (CAST({h} AS BIGINT) * 3600000 + COALESCE(CAST(NULLIF({mi}, '') AS BIGINT), 0) * 60000) END)",
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

/// The statements reading `path` (named `file` in the script) into [`TYPED`] and
/// `data_findings` (whose `file` column says `label`, as `check`'s does); `absent` are the
/// fields whose column the file lacks, as the reader found them (read as empty).
///
/// # Errors
/// Trino (not written yet), a format or header row Spark cannot read, an encoding other than UTF-8, the `office_time_zone`
/// setting (offsets converted to a zone with daylight saving are not written in SQL yet),
/// or a cases file that is not CSV.
pub fn cases(
    path: &Path,
    file: &str,
    label: &str,
    absent: &[(String, String)],
    map: &ColumnMap,
    d: Dialect,
) -> Result<Typed, SqlError> {
    if d == Dialect::Trino {
        return Err(SqlError::Input(String::from(
            "trino: reading the cases file is not written yet (Trino reads tables, not files)",
        )));
    }
    if d == Dialect::Spark && map.header_row != 1 {
        return Err(SqlError::Input(String::from(
            "spark: a header below the first line (columns.yaml `header_row`) is not read in Spark SQL",
        )));
    }
    let unsupported = |f: &String| java_format(f).is_none();
    if d == Dialect::Spark
        && let Some(f) = map
            .date_formats
            .iter()
            .chain(&map.datetime_formats)
            .find(|f| unsupported(f))
    {
        return Err(SqlError::Input(format!(
            "spark: the format `{f}` has no Spark datetime pattern here (supported: %Y %y %m %d %H %M %S)"
        )));
    }
    if map.encoding.is_some_and(|e| e != encoding_rs::UTF_8) {
        return Err(SqlError::Input(format!(
            "{file} is not UTF-8 (columns.yaml `encoding:`): convert it to UTF-8 for the SQL engines"
        )));
    }
    if map.office_time_zone.is_some() {
        return Err(SqlError::Input(String::from(
            "the office_time_zone setting: converting timestamps to the office zone is not written in SQL yet",
        )));
    }
    if path.extension().is_some_and(|e| e != "csv") {
        return Err(SqlError::Input(format!(
            "{file}: only a CSV cases file is read in SQL so far"
        )));
    }
    let mappings = map.mappings(Table::Cases);
    // The columns the file has: the reader found the others absent.
    let present = |m: &Mapping| !absent.iter().any(|(field, _)| *field == m.field);
    let raw = |m: &Mapping| -> Option<String> {
        present(m).then(|| {
            let c = ident(&m.column, d);
            if m.values.is_empty() {
                c
            } else {
                let mut arms = String::new();
                for (theirs, ours) in &m.values {
                    let _ = write!(arms, " WHEN {} THEN {}", text(theirs, d), text(ours, d));
                }
                format!("(CASE {c}{arms} ELSE {c} END)")
            }
        })
    };
    let mut s = String::new();
    let delim = text(&char::from(map.delimiter).to_string(), d);
    match d {
        Dialect::Spark => {
            // Spark reads each column as text unless told to infer; the row number follows
            // the file's order (one file, read in order).
            let _ = writeln!(
                s,
                "CREATE OR REPLACE TEMPORARY VIEW __file USING csv OPTIONS (path {}, header 'true', sep {delim}, quote '\"', escape '\"', multiLine 'true');",
                text(file, d)
            );
            let _ = writeln!(
                s,
                "CREATE OR REPLACE TEMPORARY VIEW __raw AS SELECT *, CAST(row_number() OVER (ORDER BY monotonically_increasing_id()) AS BIGINT) + {} AS {} FROM __file;",
                map.header_row,
                ident(ROW, d)
            );
        }
        Dialect::DuckDb | Dialect::Trino => {
            let _ = writeln!(
                s,
                "CREATE TEMPORARY VIEW __raw AS SELECT *, CAST(row_number() OVER () AS BIGINT) + {} AS {} FROM read_csv({}, header = true, all_varchar = true, delim = {delim}, quote = '\"', escape = '\"', skip = {});",
                map.header_row,
                ident(ROW, d),
                text(file, d),
                map.header_row.saturating_sub(1),
            );
        }
    }
    let view = match d {
        Dialect::Spark => "CREATE OR REPLACE TEMPORARY VIEW",
        Dialect::DuckDb | Dialect::Trino => "CREATE TEMPORARY VIEW",
    };
    let no_format = |m: &Mapping| {
        SqlError::Input(format!(
            "{}: a format of `{}` has no {} equivalent",
            m.field,
            m.column,
            d.name()
        ))
    };
    let columns: Vec<String> = mappings
        .iter()
        .map(|m| {
            let value = match raw(m) {
                Some(r) => format!(
                    "CAST({} AS {})",
                    typed(&trimmed(&r, d), m, map, d).ok_or_else(|| no_format(m))?,
                    field_type(m.ty, d)
                ),
                None => format!("CAST(NULL AS {})", field_type(m.ty, d)),
            };
            Ok(format!("{value} AS {}", ident(&m.field, d)))
        })
        .collect::<Result<_, SqlError>>()?;
    let _ = writeln!(
        s,
        "{view} {TYPED} AS SELECT {}, {} FROM __raw;",
        columns.join(", "),
        ident(ROW, d)
    );
    // Every value the reader leaves unread: the raw value is there, the typed one is not.
    let key = mappings
        .iter()
        .find(|m| m.field == "case_id" && present(m))
        .map_or_else(
            || format!("CAST(NULL AS {})", text_type(d)),
            |m| ident(&m.column, d),
        );
    let unread: Vec<String> = mappings
        .iter()
        .filter(|m| m.ty != FieldType::Text)
        .filter_map(|m| {
            let r = raw(m)?;
            let t = typed(&trimmed(&r, d), m, map, d)?;
            Some(format!(
                "SELECT {file} AS file, {row} AS row, 'cases' AS {table}, COALESCE({key}, '') AS case_id, {field} AS field, {column} AS {column_name}, {r} AS value, {problem} AS problem FROM __raw WHERE {r} IS NOT NULL AND ({t}) IS NULL",
                file = text(label, d),
                table = ident("table", d),
                column_name = ident("column", d),
                row = ident(ROW, d),
                field = text(&m.field, d),
                column = text(&m.column, d),
                problem = text(&format!("not {}; read as empty", expected_text(m, map)), d),
            ))
        })
        .collect();
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
    let _ = writeln!(s, "{view} data_findings AS\n{body};");
    Ok(Typed { statements: s })
}
