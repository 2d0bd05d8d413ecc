//! The cases file read and typed in SQL as `check`'s reader types it (`input::parse_fields`):
//! every column read as text, a column's value map applied, the text trimmed (empty is
//! empty), then per field type: whole numbers, money as integer cents (at most two decimals,
//! the map's thousands separator removed first), the yes/no words (SCHEMA.md's and the
//! map's), dates and timestamps in the map's formats tried in order (a timestamp's `T`
//! separator and its fraction of a second to the millisecond, a UTC offset converted to UTC).
//! A value that stays unread becomes empty and a row of `data_findings`, with the reader's
//! message ("not a date (%Y-%m-%d); read as empty").
//!
//! Written for `DuckDB` so far; `check`'s reader is the reference, and the differential test
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
    match d {
        Dialect::Spark => "STRING",
        Dialect::DuckDb | Dialect::Trino => "VARCHAR",
    }
}

/// The statements that read and type the cases.
pub struct Typed {
    /// `CREATE` statements: the raw file, the typed view, `data_findings`.
    pub statements: String,
}

/// The file's column names (its header line), as `check` finds them.
fn header(path: &Path, map: &ColumnMap) -> Result<Vec<String>, SqlError> {
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(false)
        .delimiter(map.delimiter)
        .flexible(true)
        .from_path(path)
        .map_err(|e| SqlError::Input(format!("{}: {e}", path.display())))?;
    let row = reader
        .records()
        .nth(map.header_row.saturating_sub(1))
        .transpose()
        .map_err(|e| SqlError::Input(format!("{}: {e}", path.display())))?
        .ok_or_else(|| SqlError::Input(format!("{}: no header line", path.display())))?;
    Ok(row
        .iter()
        .map(|c| c.trim_start_matches('\u{feff}').to_owned())
        .collect())
}

/// `e` trimmed of white space, empty as NULL.
fn trimmed(e: &str) -> String {
    format!(r"NULLIF(regexp_replace({e}, '^\s+|\s+$', '', 'g'), '')")
}

/// The typed value of a trimmed text `t`.
fn typed(t: &str, m: &Mapping, map: &ColumnMap, d: Dialect) -> String {
    let lit_list = |words: &[&str]| {
        words
            .iter()
            .map(|w| text(w, d))
            .collect::<Vec<_>>()
            .join(", ")
    };
    match m.ty {
        FieldType::Text => t.to_owned(),
        FieldType::Integer => format!(
            "(CASE WHEN regexp_matches({t}, '^[+-]?[0-9]+$') THEN TRY_CAST({t} AS BIGINT) END)"
        ),
        FieldType::Money => {
            let m = match &map.thousands {
                Some(sep) => format!("replace({t}, {}, '')", text(sep, d)),
                None => t.to_owned(),
            };
            format!(
                "(CASE WHEN regexp_matches({m}, {}) THEN CAST(round_even(CAST({m} AS DOUBLE) * 100, 0) AS BIGINT) END)",
                text(MONEY_TEXT, d)
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
                .map(|f| format!("CAST(TRY_STRPTIME({t}, {}) AS DATE)", text(f, d)))
                .collect();
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
                        format!(
                            "(TRY_STRPTIME({normal}, {}) + to_milliseconds({fraction}))",
                            text(f, d)
                        )
                    } else {
                        format!("TRY_STRPTIME({t}, {})", text(f, d))
                    }
                })
                .collect();
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
                "(CASE WHEN regexp_matches({t}, {}) THEN {local} - to_milliseconds({offset}) ELSE {local} END)",
                text(OFFSET_END, d)
            )
        }
    }
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
/// `data_findings` (whose `file` column says `label`, as `check`'s does).
///
/// # Errors
/// A dialect other than `DuckDB`, an encoding other than UTF-8, the `office_time_zone`
/// setting (offsets converted to a zone with daylight saving are not written in SQL yet),
/// or a file whose header cannot be read.
pub fn cases(
    path: &Path,
    file: &str,
    label: &str,
    map: &ColumnMap,
    d: Dialect,
) -> Result<Typed, SqlError> {
    if d != Dialect::DuckDb {
        return Err(SqlError::Input(format!(
            "reading and typing the cases file is written for DuckDB only so far, not {}",
            d.name()
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
    let present = header(path, map)?;
    let mappings = map.mappings(Table::Cases);
    let raw = |m: &Mapping| -> Option<String> {
        present.contains(&m.column).then(|| {
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
    let _ = writeln!(
        s,
        "CREATE TEMPORARY VIEW __raw AS SELECT *, CAST(row_number() OVER () AS BIGINT) + {} AS {} FROM read_csv({}, header = true, all_varchar = true, delim = {}, quote = '\"', escape = '\"', skip = {});",
        map.header_row,
        ident(ROW, d),
        text(file, d),
        text(&char::from(map.delimiter).to_string(), d),
        map.header_row.saturating_sub(1),
    );
    let columns: Vec<String> = mappings
        .iter()
        .map(|m| {
            let value = match raw(m) {
                Some(r) => format!(
                    "CAST({} AS {})",
                    typed(&trimmed(&r), m, map, d),
                    field_type(m.ty, d)
                ),
                None => format!("CAST(NULL AS {})", field_type(m.ty, d)),
            };
            format!("{value} AS {}", ident(&m.field, d))
        })
        .collect();
    let _ = writeln!(
        s,
        "CREATE TEMPORARY VIEW {TYPED} AS SELECT {}, {} FROM __raw;",
        columns.join(", "),
        ident(ROW, d)
    );
    // Every value the reader leaves unread: the raw value is there, the typed one is not.
    let key = mappings
        .iter()
        .find(|m| m.field == "case_id")
        .filter(|m| present.contains(&m.column))
        .map_or_else(
            || format!("CAST(NULL AS {})", text_type(d)),
            |m| ident(&m.column, d),
        );
    let unread: Vec<String> = mappings
        .iter()
        .filter(|m| m.ty != FieldType::Text)
        .filter_map(|m| {
            let r = raw(m)?;
            let t = typed(&trimmed(&r), m, map, d);
            Some(format!(
                "SELECT {file} AS file, {row} AS row, 'cases' AS \"table\", COALESCE({key}, '') AS case_id, {field} AS field, {column} AS \"column\", {r} AS value, {problem} AS problem FROM __raw WHERE {r} IS NOT NULL AND ({t}) IS NULL",
                file = text(label, d),
                row = ident(ROW, d),
                field = text(&m.field, d),
                column = text(&m.column, d),
                problem = text(&format!("not {}; read as empty", expected_text(m, map)), d),
            ))
        })
        .collect();
    let body = if unread.is_empty() {
        String::from(
            "SELECT CAST(NULL AS VARCHAR) AS file, CAST(NULL AS BIGINT) AS row, CAST(NULL AS VARCHAR) AS \"table\", CAST(NULL AS VARCHAR) AS case_id, CAST(NULL AS VARCHAR) AS field, CAST(NULL AS VARCHAR) AS \"column\", CAST(NULL AS VARCHAR) AS value, CAST(NULL AS VARCHAR) AS problem WHERE FALSE",
        )
    } else {
        unread.join("\nUNION ALL\n")
    };
    let _ = writeln!(s, "CREATE TEMPORARY VIEW data_findings AS\n{body};");
    Ok(Typed { statements: s })
}
