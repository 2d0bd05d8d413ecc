//! The column map (`columns.yaml`): renames an insurer's columns to policyqc's field names,
//! declares custom fields, and gives date/time formats. Without a map, columns are expected
//! under the reference names of SCHEMA.md.
//!
//! ```yaml
//! formats:
//!   date: "%d/%m/%Y"                 # one format or a list, tried in order
//!   datetime: ["%d/%m/%Y %H:%M:%S", "%d/%m/%Y %H:%M"]
//! cases:
//!   case_id: CaseNo                  # our field: their column
//!   policy_no: "Policy Number"
//!   channel: { column: Channel, type: text }   # a custom field rules may use
//! operators:
//!   operator_id: StaffId
//! ```
//!
//! For an export as it comes out of an insurer's system (`policyqc init` drafts all of it):
//!
//! ```yaml
//! encoding: big5          # utf-8 (default), big5, gb18030 (gbk); a UTF-8 BOM is always skipped
//! header_row: 3           # the line of the header; the lines above it (a title) are skipped
//! delimiter: ";"          # one character (default ,); "\t" for a tab
//! files:
//!   cases: 保全清單.csv     # a table's file in the data folder, when not <table>.csv
//! formats:
//!   date: "%Y/%m/%d"
//!   true: [是]             # words read as true / false, besides true/yes/Y/1 and false/no/N/0
//!   false: [否]
//!   thousands: ","         # money: the thousands separator, removed before reading (1,234.50)
//! cases:
//!   change_type:
//!     column: 保全項目
//!     values:              # their value: ours; a value not listed is read as it is
//!       地址變更: address_change
//! ```

use std::collections::BTreeMap;

use super::diagnostics::{Diagnostics, Problem, SourceFile, suggest};
use super::reader::FieldCatalog;
use super::yaml::{self, Node, Value};
use crate::schema::{FieldType, Table};

/// How one field is found in a file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Mapping {
    /// Our field name.
    pub field: String,
    /// Their column name.
    pub column: String,
    /// The field's type.
    pub ty: FieldType,
    /// Whether it is a custom field (not in SCHEMA.md).
    pub custom: bool,
    /// Where in `columns.yaml` the mapping was written (`None` for defaults).
    pub line: Option<u32>,
    /// Where in `columns.yaml` the column's name stands (`None` for defaults), to point at it.
    pub span: Option<crate::config::yaml::Span>,
    /// The value map: (their value, ours), applied to the text before it is parsed.
    pub values: Vec<(String, String)>,
}

/// The column map.
#[derive(Debug, Clone)]
pub struct ColumnMap {
    /// Explicit mappings per table.
    tables: BTreeMap<Table, Vec<Mapping>>,
    /// Date formats (chrono strftime), tried in order.
    pub date_formats: Vec<String>,
    /// Timestamp formats, tried in order.
    pub datetime_formats: Vec<String>,
    /// The map's file name, for messages.
    pub file: Option<String>,
    /// The map's text, for diagnostics that point into it after loading (`None`: defaults).
    pub source: Option<SourceFile>,
    /// The encoding of the CSV files (`None`: UTF-8).
    pub encoding: Option<&'static encoding_rs::Encoding>,
    /// The 1-based line of a CSV file's header.
    pub header_row: usize,
    /// The CSV field delimiter.
    pub delimiter: u8,
    /// File names of tables in the data folder, when not `<table>.csv`.
    pub files: BTreeMap<Table, String>,
    /// Extra words read as true.
    pub true_words: Vec<String>,
    /// Extra words read as false.
    pub false_words: Vec<String>,
    /// The money thousands separator, removed before reading.
    pub thousands: Option<String>,
    /// The office time zone timestamps with a UTC offset are converted to (the
    /// `office_time_zone` setting, set by the run; `None`: UTC). See `input::time_zone`.
    pub office_time_zone: Option<chrono_tz::Tz>,
}

impl Default for ColumnMap {
    fn default() -> Self {
        Self {
            tables: BTreeMap::new(),
            date_formats: vec![String::from("%Y-%m-%d")],
            datetime_formats: vec![
                String::from("%Y-%m-%d %H:%M:%S"),
                String::from("%Y-%m-%d %H:%M"),
            ],
            file: None,
            source: None,
            encoding: None,
            header_row: 1,
            delimiter: b',',
            files: BTreeMap::new(),
            true_words: Vec::new(),
            false_words: Vec::new(),
            thousands: None,
            office_time_zone: None,
        }
    }
}

impl ColumnMap {
    /// Every field of `table` with the column it is read from: reference fields (renamed or
    /// not) then custom fields.
    #[must_use]
    pub fn mappings(&self, table: Table) -> Vec<Mapping> {
        let explicit = self.tables.get(&table).cloned().unwrap_or_default();
        let mut out: Vec<Mapping> = table
            .fields()
            .iter()
            .map(|f| {
                explicit
                    .iter()
                    .find(|m| m.field == f.name)
                    .cloned()
                    .unwrap_or(Mapping {
                        field: f.name.to_owned(),
                        column: f.name.to_owned(),
                        ty: f.ty,
                        custom: false,
                        line: None,
                        span: None,
                        values: Vec::new(),
                    })
            })
            .collect();
        out.extend(explicit.into_iter().filter(|m| m.custom));
        out
    }

    /// The map with `defaults` (field, column) for the reference fields of `table` that
    /// `columns.yaml` does not map: the standard names of a file format (an XES event log's
    /// keys). An entry written in `columns.yaml` wins.
    #[must_use]
    pub fn with_default_columns(&self, table: Table, defaults: &[(&str, &str)]) -> Self {
        let mut out = self.clone();
        let list = out.tables.entry(table).or_default();
        for (field, column) in defaults {
            let Some(f) = table.field(field) else {
                continue;
            };
            if !list.iter().any(|m| m.field == *field) {
                list.push(Mapping {
                    field: (*field).to_owned(),
                    column: (*column).to_owned(),
                    ty: f.ty,
                    custom: false,
                    line: None,
                    span: None,
                    values: Vec::new(),
                });
            }
        }
        out
    }

    /// Where a field's column name comes from, for error messages.
    #[must_use]
    pub fn map_entry(&self, table: Table, field: &str) -> String {
        let file = self.file.as_deref().unwrap_or("columns.yaml");
        match self
            .tables
            .get(&table)
            .and_then(|v| v.iter().find(|m| m.field == field))
        {
            Some(Mapping {
                line: Some(line), ..
            }) => format!("{file}:{line}: {table}.{field}"),
            Some(Mapping { column, .. }) => format!(
                "no `{table}.{field}` entry in {file}, so the file format's own name `{column}` is used"
            ),
            _ => format!("no `{table}.{field}` entry in {file}, so the reference name is used"),
        }
    }

    /// Whether CSV files are read as they are (UTF-8, header on the first line, commas): the
    /// reader's fast path, with no pass over the file before polars.
    #[must_use]
    pub fn plain_csv(&self) -> bool {
        self.encoding.is_none_or(|e| e == encoding_rs::UTF_8)
            && self.header_row == 1
            && self.delimiter == b','
    }

    /// The fields rules may name: the cases table's reference and custom fields.
    #[must_use]
    pub fn catalog(&self) -> FieldCatalog {
        FieldCatalog::new(
            self.mappings(Table::Cases)
                .into_iter()
                .map(|m| (m.field, m.ty))
                .collect(),
        )
    }
}

/// Reads a column map, reporting every problem.
pub fn read(file: &SourceFile) -> Result<ColumnMap, Diagnostics> {
    let mut diags = Diagnostics::default();
    let root = match yaml::parse(&file.text, &file.name) {
        Ok(r) => r,
        Err(report) => {
            diags.syntax.push(report);
            return Err(diags);
        }
    };
    let mut map = ColumnMap {
        file: Some(file.name.clone()),
        source: Some(file.clone()),
        ..ColumnMap::default()
    };
    let Some(entries) = root.as_map() else {
        if !matches!(root.value, Value::Null) {
            diags.push(Problem::error(
                "columns::wrong-type",
                file,
                root.span,
                "columns.yaml must be a mapping of tables",
            ));
        }
        return if diags.has_errors() {
            Err(diags)
        } else {
            Ok(map)
        };
    };
    let sections: Vec<&str> = Table::ALL
        .iter()
        .map(|t| t.name())
        .chain(["formats", "encoding", "header_row", "delimiter", "files"])
        .collect();
    for (key, value) in entries {
        let name = key.as_scalar_string().unwrap_or_default();
        match name.as_str() {
            "formats" => {
                read_formats(value, file, &mut diags, &mut map);
                continue;
            }
            "encoding" | "header_row" | "delimiter" | "files" => {
                read_file_key(&name, value, file, &mut diags, &mut map);
                continue;
            }
            _ => {}
        }
        let Some(table) = Table::from_name(&name) else {
            let hint = suggest(&name, sections.iter().copied()).map_or_else(
                || format!("sections: {}", sections.join(", ")),
                |s| format!("did you mean `{s}`?"),
            );
            diags.push(
                Problem::error(
                    "columns::unknown-key",
                    file,
                    key.span,
                    format!("unknown section `{name}`"),
                )
                .help(hint),
            );
            continue;
        };
        let Some(fields) = value.as_map() else {
            diags.push(Problem::error(
                "columns::wrong-type",
                file,
                value.span,
                format!("`{name}` must map field names to column names"),
            ));
            continue;
        };
        let mut list = Vec::new();
        for (fkey, fval) in fields {
            if let Some(m) = read_mapping(table, fkey, fval, file, &mut diags) {
                list.push(m);
            }
        }
        map.tables.insert(table, list);
    }
    if diags.has_errors() {
        Err(diags)
    } else {
        Ok(map)
    }
}

fn read_mapping(
    table: Table,
    key: &Node,
    value: &Node,
    file: &SourceFile,
    diags: &mut Diagnostics,
) -> Option<Mapping> {
    let field = key.as_scalar_string().unwrap_or_default();
    let reference = table.field(&field);
    let line = Some(key.span.line);
    match (&value.value, reference) {
        (Value::Str(column), Some(f)) => Some(Mapping {
            field,
            column: column.clone(),
            ty: f.ty,
            custom: false,
            line,
            span: Some(value.span),
            values: Vec::new(),
        }),
        (Value::Str(_), None) => {
            let hint = suggest(&field, table.fields().iter().map(|f| f.name)).map_or_else(
                || String::from("a custom field needs a type: `my_field: { column: Their Column, type: text }`"),
                |s| format!("did you mean `{s}`? A custom field needs a type: `{{ column: ..., type: text }}`"),
            );
            diags.push(
                Problem::error(
                    "columns::unknown-field",
                    file,
                    key.span,
                    format!("`{field}` is not a field of {table}"),
                )
                .help(hint),
            );
            None
        }
        (Value::Map(_), _) => {
            let column = value.get("column").and_then(Node::as_str);
            let ty = value.get("type").and_then(Node::as_str);
            let Some(column) = column else {
                diags.push(Problem::error(
                    "columns::missing-key",
                    file,
                    value.span,
                    format!("`{field}` needs `column:`"),
                ));
                return None;
            };
            let ty = match (ty, reference) {
                (Some(t), _) => {
                    if let Some(t) = FieldType::from_name(t) {
                        t
                    } else {
                        let span = value.get("type").map_or(value.span, |n| n.span);
                        diags.push(
                            Problem::error(
                                "columns::bad-type",
                                file,
                                span,
                                format!("unknown type `{t}`"),
                            )
                            .help("types: text, integer, money, bool, date, datetime"),
                        );
                        return None;
                    }
                }
                (None, Some(f)) => f.ty,
                (None, None) => {
                    diags.push(
                        Problem::error(
                            "columns::missing-key",
                            file,
                            value.span,
                            format!("custom field `{field}` needs `type:`"),
                        )
                        .help("types: text, integer, money, bool, date, datetime"),
                    );
                    return None;
                }
            };
            for (k, _) in value.as_map().unwrap_or_default() {
                let k = k.as_scalar_string().unwrap_or_default();
                if k != "column" && k != "type" && k != "values" {
                    diags.push(Problem::error(
                        "columns::unknown-key",
                        file,
                        value.span,
                        format!("unknown key `{k}` (use `column`, `type` and `values`)"),
                    ));
                }
            }
            let values = value
                .get("values")
                .map(|v| read_values(&field, v, file, diags))
                .unwrap_or_default();
            Some(Mapping {
                field,
                column: column.to_owned(),
                ty,
                custom: reference.is_none(),
                line,
                span: value.get("column").map(|n| n.span),
                values,
            })
        }
        _ => {
            diags.push(Problem::error(
                "columns::wrong-type",
                file,
                value.span,
                format!("`{field}` must be a column name or `{{ column: ..., type: ... }}`"),
            ));
            None
        }
    }
}

/// A value map, `their value: ours`. A value sent to two different values is an error at
/// both places.
fn read_values(
    field: &str,
    node: &Node,
    file: &SourceFile,
    diags: &mut Diagnostics,
) -> Vec<(String, String)> {
    let Some(entries) = node.as_map() else {
        diags.push(
            Problem::error(
                "columns::wrong-type",
                file,
                node.span,
                format!("`{field}.values` must map their values to ours"),
            )
            .help("e.g. `values: { 地址變更: address_change }`"),
        );
        return Vec::new();
    };
    let mut out: Vec<(String, String)> = Vec::new();
    let mut first: BTreeMap<String, &Node> = BTreeMap::new();
    for (k, v) in entries {
        let (Some(theirs), Some(ours)) = (k.as_scalar_string(), v.as_scalar_string()) else {
            diags.push(Problem::error(
                "columns::wrong-type",
                file,
                v.span,
                format!("`{field}.values`: each entry maps one value to one value"),
            ));
            continue;
        };
        if let Some(prev) = first.get(&theirs) {
            let earlier = out
                .iter()
                .find(|(t, _)| *t == theirs)
                .map(|(_, o)| o.clone())
                .unwrap_or_default();
            if earlier != ours {
                diags.push(
                    Problem::error(
                        "columns::conflicting-value",
                        file,
                        k.span,
                        format!("`{theirs}` is mapped to `{ours}` here and to `{earlier}` above"),
                    )
                    .also(prev.span, "first mapped here")
                    .help(
                        "a value of the export must stand for one reference value: keep one line",
                    ),
                );
            }
            continue;
        }
        first.insert(theirs.clone(), k);
        out.push((theirs, ours));
    }
    out
}

/// `encoding`, `header_row`, `delimiter` and `files`: how the folder's CSV files are written.
fn read_file_key(
    key: &str,
    value: &Node,
    file: &SourceFile,
    diags: &mut Diagnostics,
    map: &mut ColumnMap,
) {
    let bad = |diags: &mut Diagnostics, message: String, help: &str| {
        diags.push(
            Problem::error("columns::bad-value", file, value.span, message).help(help.to_owned()),
        );
    };
    match key {
        "encoding" => {
            let name = value.as_scalar_string().unwrap_or_default();
            match encoding_rs::Encoding::for_label(name.trim().as_bytes()) {
                Some(e) => map.encoding = Some(e),
                None => bad(
                    diags,
                    format!("unknown encoding `{name}`"),
                    "encodings: utf-8, big5, gb18030 (gbk), or any WHATWG label",
                ),
            }
        }
        "header_row" => match value.value {
            Value::Int(n) if n >= 1 => map.header_row = n as usize,
            _ => bad(
                diags,
                format!(
                    "`header_row` must be a line number (1 or more), found {}",
                    value.type_name()
                ),
                "the 1-based line of the header; the lines above it are skipped",
            ),
        },
        "delimiter" => {
            let text = value.as_scalar_string().unwrap_or_default();
            let text = if text == "\\t" {
                String::from("\t")
            } else {
                text
            };
            if text.len() == 1 && text.is_ascii() {
                map.delimiter = text.as_bytes()[0];
            } else {
                bad(
                    diags,
                    format!("`delimiter` must be one character, found `{text}`"),
                    "e.g. `delimiter: \";\"` or `delimiter: \"\\t\"` for a tab",
                );
            }
        }
        _ => {
            let Some(entries) = value.as_map() else {
                bad(
                    diags,
                    String::from("`files` must map tables to file names"),
                    "e.g. `files: { cases: export.csv }`",
                );
                return;
            };
            for (k, v) in entries {
                let name = k.as_scalar_string().unwrap_or_default();
                match (Table::from_name(&name), v.as_scalar_string()) {
                    (Some(t), Some(f)) => {
                        map.files.insert(t, f);
                    }
                    _ => diags.push(
                        Problem::error(
                            "columns::bad-value",
                            file,
                            k.span,
                            format!("`files.{name}` must name a table's file"),
                        )
                        .help("tables: cases, tasks, operators, authority, findings, events"),
                    ),
                }
            }
        }
    }
}

fn read_formats(node: &Node, file: &SourceFile, diags: &mut Diagnostics, map: &mut ColumnMap) {
    let Some(entries) = node.as_map() else {
        diags.push(Problem::error(
            "columns::wrong-type",
            file,
            node.span,
            "`formats` must be a mapping with `date` and/or `datetime`",
        ));
        return;
    };
    for (k, v) in entries {
        let key = k.as_scalar_string().unwrap_or_default();
        let list: Vec<String> = match &v.value {
            Value::Str(s) => vec![s.clone()],
            Value::Seq(items) => items.iter().filter_map(Node::as_scalar_string).collect(),
            _ => Vec::new(),
        };
        if list.is_empty() {
            diags.push(Problem::error(
                "columns::wrong-type",
                file,
                v.span,
                format!("`formats.{key}` must be a format string or a list of them"),
            ));
            continue;
        }
        match key.as_str() {
            "true" => {
                map.true_words = list;
                continue;
            }
            "false" => {
                map.false_words = list;
                continue;
            }
            "thousands" => {
                map.thousands = list.into_iter().next();
                continue;
            }
            _ => {}
        }
        for f in &list {
            if chrono::format::StrftimeItems::new(f)
                .any(|i| matches!(i, chrono::format::Item::Error))
            {
                diags.push(
                    Problem::error(
                        "columns::bad-format",
                        file,
                        v.span,
                        format!("`{f}` is not a valid date/time format"),
                    )
                    .help("formats use chrono's strftime syntax, e.g. %d/%m/%Y %H:%M"),
                );
            }
        }
        match key.as_str() {
            "date" => map.date_formats = list,
            "datetime" => map.datetime_formats = list,
            other => {
                diags.push(
                    Problem::error(
                        "columns::unknown-key",
                        file,
                        k.span,
                        format!("unknown format `{other}`"),
                    )
                    .help("formats: date, datetime, true, false, thousands"),
                );
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(text: &str) -> Result<ColumnMap, Diagnostics> {
        read(&SourceFile::new("columns.yaml", text))
    }

    #[test]
    fn renames_and_custom_fields_are_read() {
        let map = parse("cases:\n  case_id: CaseNo\n  channel: { column: Channel, type: text }\nformats:\n  date: \"%d/%m/%Y\"\n").unwrap();
        let m = map.mappings(Table::Cases);
        assert_eq!(
            m.iter().find(|m| m.field == "case_id").unwrap().column,
            "CaseNo"
        );
        assert_eq!(
            m.iter().find(|m| m.field == "policy_no").unwrap().column,
            "policy_no"
        );
        let custom = m.iter().find(|m| m.field == "channel").unwrap();
        assert!(custom.custom);
        assert_eq!(custom.ty, FieldType::Text);
        assert_eq!(map.date_formats, vec!["%d/%m/%Y"]);
        assert_eq!(map.catalog().get("channel"), Some(FieldType::Text));
        assert!(
            map.map_entry(Table::Cases, "case_id")
                .contains("columns.yaml:2")
        );
    }

    /// One code sent to two values (`1` and `"1"` are the same text in the export) is an
    /// error at both places; the same value twice is not. The file keys are each checked.
    #[test]
    fn a_value_map_sending_one_code_to_two_values_is_located_at_both() {
        let err = parse("cases:\n  change_type:\n    column: T\n    values:\n      1: address_change\n      \"1\": surrender\n      2: surrender\nencoding: klingon\nheader_row: 0\ndelimiter: ab\n").unwrap_err();
        let found: Vec<(String, String)> = err
            .problems
            .iter()
            .map(|p| (p.location(), p.message.clone()))
            .collect();
        assert_eq!(found.len(), 4, "{found:?}");
        assert_eq!(found[0].0, "columns.yaml:6:7");
        assert_eq!(
            found[0].1,
            "`1` is mapped to `surrender` here and to `address_change` above"
        );
        assert_eq!(err.problems[0].labels[1].0.line, 5);
        assert!(
            found[1].1.contains("unknown encoding `klingon`"),
            "{found:?}"
        );
        assert!(found[2].1.contains("header_row"), "{found:?}");
        assert!(found[3].1.contains("one character"), "{found:?}");
        let ok = parse("cases:\n  change_type:\n    column: T\n    values: {1: surrender, \"1\": surrender}\nencoding: BIG5\nheader_row: 3\ndelimiter: \"\\t\"\nfiles:\n  cases: 匯出.csv\n").unwrap();
        assert_eq!(ok.encoding, Some(encoding_rs::BIG5));
        assert_eq!((ok.header_row, ok.delimiter), (3, b'\t'));
        assert_eq!(
            ok.files.get(&Table::Cases).map(String::as_str),
            Some("匯出.csv")
        );
        let m = ok.mappings(Table::Cases);
        let ct = m.iter().find(|m| m.field == "change_type").unwrap();
        assert_eq!(ct.values, [("1".to_owned(), "surrender".to_owned())]);
    }

    #[test]
    fn every_problem_is_reported_with_its_line() {
        let err = parse("cases:\n  polcy_no: X\n  extra: { column: E }\ntask:\n  stage: S\nformats:\n  date: 5\n").unwrap_err();
        let locs: Vec<String> = err.problems.iter().map(Problem::location).collect();
        assert_eq!(err.problems.len(), 4, "{locs:?}");
        assert!(locs.contains(&String::from("columns.yaml:2:3")), "{locs:?}");
        assert!(locs.contains(&String::from("columns.yaml:4:1")), "{locs:?}");
        let typo = err
            .problems
            .iter()
            .find(|p| p.message.contains("polcy_no"))
            .unwrap();
        assert_eq!(
            typo.help.as_deref(),
            Some(
                "did you mean `policy_no`? A custom field needs a type: `{ column: ..., type: text }`"
            )
        );
    }
}
