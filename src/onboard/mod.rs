//! `policyqc init`: drafts `columns.yaml` from an insurer's export as it comes, so that the
//! next `policyqc check` reads it with no hand edit.
//!
//! From the export itself: the encoding (BOM, UTF-8, else Big5 / GB18030 by detection), the
//! delimiter, the header line (a title above it is skipped), each column's field (header
//! synonyms in English, Traditional and Simplified Chinese, [`synonyms`], checked against what
//! the values are, [`sniff`]), the date and timestamp formats, the yes/no words, a thousands
//! separator, and for the coded columns (change type, referral department) a value map to the
//! reference vocabulary, with the codes it cannot place marked `TODO`. Every mapping is
//! commented with its evidence and two sample values.

pub mod sniff;
pub mod synonyms;

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::path::{Path, PathBuf};

use sniff::{ColumnShape, Shape};
use synonyms::{CASE_FIELDS, CHANGE_TYPES, REFERRAL_DEPTS, lookup};

use crate::schema::{FieldType, Table};

/// Rows sampled per column.
pub const SAMPLE_ROWS: usize = 2_000;

/// Why `init` stopped (exit 2).
#[derive(Debug, thiserror::Error, miette::Diagnostic)]
pub enum InitError {
    /// The export could not be read.
    #[error("cannot read {path}: {message}")]
    #[diagnostic(code(init::io))]
    Io {
        /// The file or folder.
        path: String,
        /// Why.
        message: String,
    },
    /// No export file in the folder, or several and none named cases.
    #[error("{message}")]
    #[diagnostic(
        code(init::no_export),
        help("give the export file itself: `policyqc init FOLDER/export.csv`")
    )]
    NoExport {
        /// What was found.
        message: String,
    },
    /// A `columns.yaml` is already there.
    #[error("{path} exists; policyqc init does not overwrite it")]
    #[diagnostic(
        code(init::exists),
        help("pass --force to replace it (your edits in it are lost), or remove it")
    )]
    Exists {
        /// The file.
        path: String,
    },
    /// The export has no data rows, or no column is the case id.
    #[error("{path}: {message}")]
    #[diagnostic(code(init::unusable))]
    Unusable {
        /// The file.
        path: String,
        /// What is missing.
        message: String,
        /// The draft, for the user to finish by hand.
        draft: String,
    },
}

/// One column of the export and what `init` made of it.
#[derive(Debug, Clone)]
pub struct Column {
    /// The header.
    pub header: String,
    /// The field it maps to, if any.
    pub field: Option<&'static str>,
    /// Its shape.
    pub shape: ColumnShape,
    /// Two sample values.
    pub samples: Vec<String>,
    /// Why it was not mapped, or which other column competed for its field.
    pub note: Option<String>,
}

/// What `init` found and wrote.
#[derive(Debug, Clone)]
pub struct Draft {
    /// The export read.
    pub export: PathBuf,
    /// Where `columns.yaml` goes.
    pub target: PathBuf,
    /// The YAML text.
    pub yaml: String,
    /// The encoding found (`UTF-8`, `UTF-8 with BOM`, `Big5`, ...).
    pub encoding: String,
    /// `CRLF` or `LF`.
    pub line_endings: &'static str,
    /// The 1-based header line.
    pub header_row: usize,
    /// Data rows in the export.
    pub rows: usize,
    /// Every column.
    pub columns: Vec<Column>,
    /// Fields the default rule pack reads that no column maps to.
    pub unmapped_fields: Vec<&'static str>,
    /// Coded values left for the user (field, their value, cases).
    pub todo_values: Vec<(&'static str, String, usize)>,
}

/// Finds the export of `path` (a file, or the cases file of a folder).
pub fn export_file(path: &Path) -> Result<PathBuf, InitError> {
    if path.is_file() {
        return Ok(path.to_path_buf());
    }
    let entries = std::fs::read_dir(path).map_err(|e| InitError::Io {
        path: path.display().to_string(),
        message: e.to_string(),
    })?;
    let mut files: Vec<PathBuf> = entries
        .filter_map(Result::ok)
        .map(|e| e.path())
        .filter(|p| {
            p.is_file()
                && p.extension()
                    .is_some_and(|x| x.eq_ignore_ascii_case("csv") || x.eq_ignore_ascii_case("txt"))
        })
        .collect();
    files.sort();
    if let Some(cases) = files
        .iter()
        .find(|p| p.file_stem().is_some_and(|s| s == "cases"))
    {
        return Ok(cases.clone());
    }
    match files.as_slice() {
        [one] => Ok(one.clone()),
        [] => Err(InitError::NoExport {
            message: format!("no CSV or TXT export in {}", path.display()),
        }),
        many => Err(InitError::NoExport {
            message: format!(
                "{} holds {} exports and none is named cases.csv: {}",
                path.display(),
                many.len(),
                many.iter()
                    .filter_map(|p| p.file_name().map(|n| n.to_string_lossy().into_owned()))
                    .collect::<Vec<_>>()
                    .join(", ")
            ),
        }),
    }
}

/// Drafts `columns.yaml` for `path` (not written; see [`write`]).
pub fn draft(path: &Path) -> Result<Draft, InitError> {
    let export = export_file(path)?;
    let name = export.display().to_string();
    let bytes = std::fs::read(&export).map_err(|e| InitError::Io {
        path: name.clone(),
        message: e.to_string(),
    })?;
    let encoding = sniff::encoding(&bytes);
    let bom = bytes.starts_with(b"\xEF\xBB\xBF");
    let text: String = match encoding {
        None => String::from_utf8_lossy(bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(&bytes))
            .into_owned(),
        Some(e) => e.decode_without_bom_handling(&bytes).0.into_owned(),
    };
    let line_endings = if text.contains("\r\n") { "CRLF" } else { "LF" };
    let first: Vec<&str> = text.lines().take(20).collect();
    let delimiter = sniff::delimiter(&first);
    let known = |c: &str| lookup(CASE_FIELDS, c).is_some();
    let header_index = sniff::header_line(&first, delimiter, &known);
    // The records from the header on (quoted fields may hold line breaks: the CSV reader
    // splits them, not `lines`).
    let from_header: String = text.split_inclusive('\n').skip(header_index).collect();
    let mut reader = csv::ReaderBuilder::new()
        .delimiter(delimiter)
        .flexible(true)
        .from_reader(from_header.as_bytes());
    let headers: Vec<String> = reader
        .headers()
        .map(|h| h.iter().map(|c| c.trim().to_owned()).collect())
        .unwrap_or_default();
    let mut samples: Vec<Vec<String>> = vec![Vec::new(); headers.len()];
    let mut rows = 0;
    for record in reader.records().filter_map(Result::ok) {
        rows += 1;
        if rows <= SAMPLE_ROWS {
            for (i, v) in record.iter().enumerate().take(headers.len()) {
                samples[i].push(v.to_owned());
            }
        }
    }
    let mut columns: Vec<Column> = headers
        .iter()
        .zip(&samples)
        .map(|(h, vals)| {
            let refs: Vec<&str> = vals.iter().map(String::as_str).collect();
            let shape = sniff::shape(&refs);
            let mut shown: Vec<String> = Vec::new();
            for v in vals.iter().map(|v| v.trim()).filter(|v| !v.is_empty()) {
                if !shown.iter().any(|s| s == v) {
                    shown.push(v.to_owned());
                }
                if shown.len() == 2 {
                    break;
                }
            }
            let field = lookup(CASE_FIELDS, h);
            let mut note = None;
            let field = field.filter(|f| {
                let ty = Table::Cases.field(f).map_or(FieldType::Text, |d| d.ty);
                let ok = fits(ty, &shape.shape);
                if !ok {
                    note = Some(format!(
                        "the header reads as `{f}` ({ty}), but the values are {}",
                        describe(&shape.shape)
                    ));
                }
                ok
            });
            Column {
                header: h.clone(),
                field,
                shape,
                samples: shown,
                note,
            }
        })
        .collect();
    resolve_conflicts(&mut columns);
    let target = export
        .parent()
        .map_or_else(|| PathBuf::from("columns.yaml"), |p| p.join("columns.yaml"));
    let header_row = header_index + 1;
    let mut draft = Draft {
        export: export.clone(),
        target,
        yaml: String::new(),
        encoding: match encoding {
            None if bom => String::from("UTF-8 with BOM"),
            None => String::from("UTF-8"),
            Some(e) => e.name().to_owned(),
        },
        line_endings,
        header_row,
        rows,
        columns,
        unmapped_fields: Vec::new(),
        todo_values: Vec::new(),
    };
    draft.unmapped_fields = pack_fields()
        .into_iter()
        .filter(|f| !draft.columns.iter().any(|c| c.field == Some(*f)))
        .collect();
    draft.yaml = render(&mut draft, encoding, delimiter, &samples);
    if rows == 0 {
        return Err(InitError::Unusable {
            path: name,
            message: String::from("the export has a header but no data rows to learn from"),
            draft: draft.yaml,
        });
    }
    if !draft.columns.iter().any(|c| c.field == Some("case_id")) {
        return Err(InitError::Unusable {
            path: name,
            message: format!(
                "no column is the case id (headers: {}); add `case_id: <the column>` under `cases:` by hand",
                headers.join(", ")
            ),
            draft: draft.yaml,
        });
    }
    Ok(draft)
}

/// Writes the draft; an existing `columns.yaml` only with `force`.
pub fn write(draft: &Draft, force: bool) -> Result<(), InitError> {
    if draft.target.exists() && !force {
        return Err(InitError::Exists {
            path: draft.target.display().to_string(),
        });
    }
    std::fs::write(&draft.target, &draft.yaml).map_err(|e| InitError::Io {
        path: draft.target.display().to_string(),
        message: e.to_string(),
    })
}

/// The case fields the default pack reads.
fn pack_fields() -> Vec<&'static str> {
    let map = crate::config::columns::ColumnMap::default();
    let Ok(set) = crate::rules::load_embedded(
        &map.catalog(),
        &crate::config::settings::Settings::default(),
    ) else {
        return Vec::new();
    };
    let used: Vec<String> = set
        .rules
        .iter()
        .flat_map(crate::rules::Rule::fields)
        .collect();
    Table::Cases
        .fields()
        .iter()
        .map(|f| f.name)
        .filter(|f| used.iter().any(|u| u == f))
        .collect()
}

/// Whether values of `shape` can be read as a field of type `ty`.
fn fits(ty: FieldType, shape: &Shape) -> bool {
    match (ty, shape) {
        (_, Shape::Empty)
        | (FieldType::Text, _)
        | (FieldType::DateTime, Shape::DateTime(_))
        | (FieldType::Date, Shape::Date(_))
        | (FieldType::Money, Shape::Money(_) | Shape::Integer)
        | (FieldType::Integer, Shape::Integer)
        | (FieldType::Bool, Shape::YesNo(_, _)) => true,
        (FieldType::Integer, Shape::YesNo(t, f)) => {
            t.chars().all(|c| c.is_ascii_digit()) && f.chars().all(|c| c.is_ascii_digit())
        }
        _ => false,
    }
}

fn describe(shape: &Shape) -> String {
    match shape {
        Shape::DateTime(f) => format!("timestamps ({f})"),
        Shape::Date(f) => format!("dates ({f})"),
        Shape::Money(_) => String::from("amounts"),
        Shape::Integer => String::from("whole numbers"),
        Shape::YesNo(t, f) => format!("a yes/no pair ({t}/{f})"),
        Shape::Text => String::from("text"),
        Shape::Empty => String::from("empty"),
    }
}

/// Two columns for one field: the one whose values fit better keeps it (then the first); the
/// other is unmapped, and both say so.
fn resolve_conflicts(columns: &mut [Column]) {
    let mut by_field: BTreeMap<&'static str, Vec<usize>> = BTreeMap::new();
    for (i, c) in columns.iter().enumerate() {
        if let Some(f) = c.field {
            by_field.entry(f).or_default().push(i);
        }
    }
    for (field, idx) in by_field {
        if idx.len() < 2 {
            continue;
        }
        let keep = *idx
            .iter()
            .max_by(|a, b| {
                let (a, b) = (&columns[**a], &columns[**b]);
                (a.shape.share, a.shape.values)
                    .partial_cmp(&(b.shape.share, b.shape.values))
                    .unwrap_or(std::cmp::Ordering::Equal)
                    .then(std::cmp::Ordering::Greater)
            })
            .unwrap_or(&idx[0]);
        let names: Vec<String> = idx
            .iter()
            .map(|i| format!("`{}`", columns[*i].header))
            .collect();
        for i in idx {
            if i == keep {
                columns[i].note = Some(format!(
                    "{} could each be `{field}`: this one is used; change it here to use the other",
                    names.join(" and ")
                ));
            } else {
                columns[i].field = None;
                columns[i].note = Some(format!(
                    "{} could each be `{field}`: `{}` is used",
                    names.join(" and "),
                    columns[keep].header
                ));
            }
        }
    }
}

/// A YAML double-quoted scalar.
fn q(s: &str) -> String {
    let mut out = String::from("\"");
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\t' => out.push_str("\\t"),
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

fn render(
    draft: &mut Draft,
    encoding: Option<&'static encoding_rs::Encoding>,
    delimiter: u8,
    samples: &[Vec<String>],
) -> String {
    let mut y = String::new();
    let file_name = draft
        .export
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let _ = writeln!(
        y,
        "# columns.yaml drafted by `policyqc init` from {file_name} ({} rows, {}, {} line endings).\n# Check the mappings marked TODO; `policyqc validate --columns` reads this file back.\n# Editors: `policyqc schema columns` prints its JSON Schema (README \"Editor support\").",
        draft.rows, draft.encoding, draft.line_endings
    );
    if let Some(e) = encoding {
        let _ = writeln!(y, "encoding: {}", e.name().to_lowercase());
    }
    if draft.header_row > 1 {
        let _ = writeln!(
            y,
            "header_row: {}          # the lines above the header are skipped",
            draft.header_row
        );
    }
    if delimiter != b',' {
        let d = if delimiter == b'\t' {
            String::from("\\t")
        } else {
            (delimiter as char).to_string()
        };
        let _ = writeln!(y, "delimiter: {}", q(&d));
    }
    let stem = draft.export.file_stem().is_some_and(|s| s == "cases");
    if !stem {
        let _ = writeln!(y, "files:\n  cases: {}", q(&file_name));
    }
    // Formats: every date / timestamp format found, most columns first.
    let mut dates: BTreeMap<&str, usize> = BTreeMap::new();
    let mut times: BTreeMap<&str, usize> = BTreeMap::new();
    let mut trues: Vec<String> = Vec::new();
    let mut falses: Vec<String> = Vec::new();
    let mut thousands = false;
    let builtin_true = ["true", "TRUE", "True", "yes", "YES", "Yes", "Y", "y", "1"];
    let builtin_false = ["false", "FALSE", "False", "no", "NO", "No", "N", "n", "0"];
    for c in draft.columns.iter().filter(|c| c.field.is_some()) {
        let ty = Table::Cases
            .field(c.field.unwrap_or_default())
            .map_or(FieldType::Text, |d| d.ty);
        match (&c.shape.shape, ty) {
            (Shape::Date(f), FieldType::Date) => *dates.entry(f).or_default() += 1,
            (Shape::DateTime(f), FieldType::DateTime) => *times.entry(f).or_default() += 1,
            (Shape::Money(true), FieldType::Money) => thousands = true,
            (Shape::YesNo(t, f), FieldType::Bool) => {
                if !builtin_true.contains(&t.as_str()) && !trues.contains(t) {
                    trues.push(t.clone());
                }
                if !builtin_false.contains(&f.as_str()) && !falses.contains(f) && !f.is_empty() {
                    falses.push(f.clone());
                }
            }
            _ => {}
        }
    }
    let ordered = |m: &BTreeMap<&str, usize>| {
        let mut v: Vec<(&str, usize)> = m.iter().map(|(k, n)| (*k, *n)).collect();
        v.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(b.0)));
        v.into_iter()
            .map(|(k, _)| q(k))
            .collect::<Vec<_>>()
            .join(", ")
    };
    let plain_dates = dates.is_empty() || (dates.len() == 1 && dates.contains_key("%Y-%m-%d"));
    let plain_times = times.is_empty()
        || times
            .keys()
            .all(|k| ["%Y-%m-%d %H:%M:%S", "%Y-%m-%d %H:%M"].contains(k));
    if !(plain_dates && plain_times && trues.is_empty() && falses.is_empty() && !thousands) {
        let _ = writeln!(y, "formats:");
        if !plain_dates {
            let _ = writeln!(y, "  date: [{}]", ordered(&dates));
        }
        if !plain_times {
            let _ = writeln!(y, "  datetime: [{}]", ordered(&times));
        }
        if !trues.is_empty() {
            let _ = writeln!(
                y,
                "  true: [{}]",
                trues.iter().map(|t| q(t)).collect::<Vec<_>>().join(", ")
            );
        }
        if !falses.is_empty() {
            let _ = writeln!(
                y,
                "  false: [{}]",
                falses.iter().map(|t| q(t)).collect::<Vec<_>>().join(", ")
            );
        }
        if thousands {
            let _ = writeln!(
                y,
                "  thousands: \",\"        # amounts are written 1,234.50"
            );
        }
    }
    let _ = writeln!(y, "cases:");
    let mut todo = Vec::new();
    for (i, c) in draft.columns.iter().enumerate() {
        let evidence = format!(
            "{}, {:.0}% of {} sampled values are {}: {}",
            if c.field.is_some() {
                "header synonym"
            } else {
                "not mapped"
            },
            c.shape.share * 100.0,
            c.shape.values,
            describe(&c.shape.shape),
            c.samples.join(", ")
        );
        let Some(field) = c.field else {
            let why = c
                .note
                .as_deref()
                .unwrap_or("no reference field has this header");
            let _ = writeln!(y, "  # {}: {why} ({evidence})", q(&c.header));
            continue;
        };
        let _ = writeln!(y, "  # {evidence}");
        if let Some(note) = &c.note {
            let _ = writeln!(y, "  # TODO: {note}");
        }
        let table = match field {
            "change_type" => Some(CHANGE_TYPES),
            "referral_dept" => Some(REFERRAL_DEPTS),
            _ => None,
        };
        let Some(table) = table else {
            let _ = writeln!(y, "  {field}: {}", q(&c.header));
            continue;
        };
        let mut counts: BTreeMap<String, usize> = BTreeMap::new();
        for v in &samples[i] {
            let v = v.trim();
            if !v.is_empty() {
                *counts.entry(v.to_owned()).or_default() += 1;
            }
        }
        let mut mapped = Vec::new();
        let mut left = Vec::new();
        for (value, n) in counts {
            if table.iter().any(|(ours, _)| *ours == value) {
                continue;
            }
            match lookup(table, &value) {
                Some(ours) => mapped.push((value, ours)),
                None => left.push((value, n)),
            }
        }
        let _ = writeln!(y, "  {field}:\n    column: {}", q(&c.header));
        if !mapped.is_empty() || !left.is_empty() {
            let _ = writeln!(y, "    values:");
        }
        for (theirs, ours) in &mapped {
            let _ = writeln!(y, "      {}: {ours}", q(theirs));
        }
        for (theirs, n) in &left {
            let _ = writeln!(
                y,
                "      # TODO {}: ?   ({n} sampled cases; not a reference value: map it, or leave it to be read as it is)",
                q(theirs)
            );
            todo.push((field, theirs.clone(), *n));
        }
    }
    draft.todo_values = todo;
    y
}

/// The console report of a draft.
#[must_use]
pub fn report(d: &Draft) -> String {
    let mut s = String::new();
    let mapped = d.columns.iter().filter(|c| c.field.is_some()).count();
    let _ = writeln!(
        s,
        "policyqc init: {} ({} data rows; {}, {} line endings; header on line {})",
        d.export.display(),
        d.rows,
        d.encoding,
        d.line_endings,
        d.header_row
    );
    let _ = writeln!(s, "{mapped} of {} columns mapped:", d.columns.len());
    for c in &d.columns {
        match c.field {
            Some(f) => {
                let _ = writeln!(s, "  {:<28} -> {f}", c.header);
            }
            None => {
                let _ = writeln!(s, "  {:<28}    (not mapped)", c.header);
            }
        }
        if let Some(n) = &c.note {
            let _ = writeln!(s, "      {n}");
        }
    }
    if !d.unmapped_fields.is_empty() {
        let _ = writeln!(
            s,
            "\n{} field(s) the default rules read have no column: {}.\nTheir rules will not be evaluated; if the export has them under another name, add `field: <column>` under `cases:` in {}.",
            d.unmapped_fields.len(),
            d.unmapped_fields.join(", "),
            d.target.display()
        );
    }
    if !d.todo_values.is_empty() {
        let _ = writeln!(
            s,
            "\n{} code(s) to map by hand (marked TODO in the file):",
            d.todo_values.len()
        );
        for (f, v, n) in &d.todo_values {
            let _ = writeln!(s, "  {f}: {v} ({n} sampled cases)");
        }
    }
    s
}
