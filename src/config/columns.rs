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
                    })
            })
            .collect();
        out.extend(explicit.into_iter().filter(|m| m.custom));
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
            _ => format!("no `{table}.{field}` entry in {file}, so the reference name is used"),
        }
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
        .chain(["formats"])
        .collect();
    for (key, value) in entries {
        let name = key.as_scalar_string().unwrap_or_default();
        if name == "formats" {
            read_formats(value, file, &mut diags, &mut map);
            continue;
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
                if k != "column" && k != "type" {
                    diags.push(Problem::error(
                        "columns::unknown-key",
                        file,
                        value.span,
                        format!("unknown key `{k}` (use `column` and `type`)"),
                    ));
                }
            }
            Some(Mapping {
                field,
                column: column.to_owned(),
                ty,
                custom: reference.is_none(),
                line,
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
                    .help("formats: date, datetime"),
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
