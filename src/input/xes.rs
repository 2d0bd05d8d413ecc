//! XES event logs (IEEE 1849: the XML that process-mining tools, `pm4py` among them, export)
//! read as the `events` table, plain (`.xes`) or gzip-compressed (`.xes.gz`).
//!
//! ```xml
//! <log xes.version="1.0">
//!   <trace>
//!     <string key="concept:name" value="C01"/>
//!     <event>
//!       <string key="concept:name" value="intake"/>
//!       <string key="org:resource" value="OP01"/>
//!       <date key="time:timestamp" value="2026-10-05T09:00:00.000+08:00"/>
//!       <string key="lifecycle:transition" value="complete"/>
//!     </event>
//!   </trace>
//! </log>
//! ```
//!
//! A log becomes the frame a CSV event log with one column per attribute key would give: one
//! row per event in file order, every value as its text (a `<date>`, `<int>`, `<float>`,
//! `<boolean>` or `<id>` keeps the text of its `value`; a timestamp reaches the table's
//! parser as written, milliseconds and offset included), an attribute an event lacks empty.
//! A trace's attributes are given to each of its events prefixed `case:`, as `pm4py` does:
//! the trace's `concept:name` is the case id, `case:concept:name`. The rest of the read
//! (renaming, parsing, data findings) is the CSV one. An event's row is its position in the
//! file (the first event is row 1); [`XesLog::lines`] keeps the line of each `<event>`.
//!
//! Without an `events:` entry in `columns.yaml` a field is read from its standard XES key
//! ([`XES_COLUMNS`]): `case_id` from `case:concept:name`, `activity` from `concept:name`,
//! `timestamp` from `time:timestamp`, `resource` from `org:resource`, `lifecycle` from
//! `lifecycle:transition` (`outcome` keeps its own name: XES has no standard key for it).
//!
//! Log-level attributes, `<global>`, `<extension>` and `<classifier>` declarations and the
//! children of nested, `<list>` and `<container>` attributes are skipped. A file that is
//! not XML, is cut short or has no `<log>` stops the read at its line and column; so does a
//! trace without `concept:name` (its events could not be told to a case).

use std::borrow::Cow;
use std::collections::HashMap;
use std::io::Read;
use std::path::{Path, PathBuf};

use polars::prelude::*;
use quick_xml::XmlVersion;
use quick_xml::events::{BytesStart, Event};

use super::InputError;
use crate::config::columns::ColumnMap;
use crate::schema::Table;

/// The `events` fields read from standard XES keys when `columns.yaml` does not map them.
pub const XES_COLUMNS: [(&str, &str); 5] = [
    ("case_id", "case:concept:name"),
    ("activity", "concept:name"),
    ("timestamp", "time:timestamp"),
    ("resource", "org:resource"),
    ("lifecycle", "lifecycle:transition"),
];

/// The attribute elements whose `value` is kept.
const VALUE_ELEMENTS: [&str; 6] = ["string", "date", "int", "float", "boolean", "id"];

/// Whether a file is an XES log, by its name: `.xes` or `.xes.gz` (any case).
#[must_use]
pub fn is_xes(path: &Path) -> bool {
    let has = |p: &Path, ext: &str| p.extension().is_some_and(|e| e.eq_ignore_ascii_case(ext));
    has(path, "xes")
        || (has(path, "gz") && path.file_stem().is_some_and(|s| has(Path::new(s), "xes")))
}

/// A data folder's `events.xes` or, failing that, `events.xes.gz`.
#[must_use]
pub fn find_in(dir: &Path) -> Option<PathBuf> {
    ["events.xes", "events.xes.gz"]
        .iter()
        .map(|f| dir.join(f))
        .find(|p| p.is_file())
}

/// The column map to read `table` from `path` with: for an XES events file, `map` with the
/// standard keys ([`XES_COLUMNS`]) for the fields it does not map; otherwise `map` itself.
#[must_use]
pub fn map_for<'a>(path: &Path, table: Table, map: &'a ColumnMap) -> Cow<'a, ColumnMap> {
    if table == Table::Events && is_xes(path) {
        Cow::Owned(map.with_default_columns(Table::Events, &XES_COLUMNS))
    } else {
        Cow::Borrowed(map)
    }
}

/// An XES log as a table.
#[derive(Debug, Clone)]
pub struct XesLog {
    /// One text column per attribute key (trace attributes prefixed `case:`), one row per
    /// event in file order; no columns at all for a log without events (as an empty CSV).
    pub events: DataFrame,
    /// The line of each event's `<event>` tag, in row order.
    #[cfg_attr(not(test), allow(dead_code))] // read by the tests only, so far
    pub lines: Vec<u64>,
}

/// Reads an XES file (`.gz`: gzip-compressed), naming it `name` in errors.
pub fn read_log(path: &Path, name: &str) -> Result<XesLog, InputError> {
    let io = |source| InputError::Io {
        path: name.to_owned(),
        source,
    };
    let mut bytes = std::fs::read(path).map_err(io)?;
    let gz = path
        .extension()
        .is_some_and(|e| e.eq_ignore_ascii_case("gz"));
    if gz {
        let mut text = Vec::new();
        flate2::read::MultiGzDecoder::new(bytes.as_slice())
            .read_to_end(&mut text)
            .map_err(|e| InputError::Parse {
                path: name.to_owned(),
                message: format!("not a readable gzip file ({e})"),
            })?;
        bytes = text;
    }
    parse_log(&bytes, name)
}

/// The raw `events` frame of an XES file, for `read_table`.
pub(crate) fn read_events(path: &Path, name: &str) -> Result<DataFrame, InputError> {
    read_log(path, name).map(|log| log.events)
}

/// What an open element is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Scope {
    Log,
    Trace,
    Event,
    /// Anything else: its content is skipped.
    Skipped,
}

/// One open element: what it is, its name and the line of its start tag.
struct Open {
    scope: Scope,
    name: String,
    line: u64,
}

/// Line numbers of byte offsets, counted forward from the last one asked (offsets come in
/// file order; an earlier one is counted from the start).
struct Lines<'a> {
    bytes: &'a [u8],
    at: usize,
    line: u64,
}

impl<'a> Lines<'a> {
    fn new(bytes: &'a [u8]) -> Self {
        Self {
            bytes,
            at: 0,
            line: 1,
        }
    }

    fn line(&mut self, offset: usize) -> u64 {
        let offset = offset.min(self.bytes.len());
        if offset < self.at {
            self.at = 0;
            self.line = 1;
        }
        self.line += super::bytecount_newlines(&self.bytes[self.at..offset]) as u64;
        self.at = offset;
        self.line
    }

    /// `line L, column C` of a byte offset (the column in bytes, 1-based).
    fn place(&mut self, offset: usize) -> String {
        let offset = offset.min(self.bytes.len());
        let line = self.line(offset);
        let start = self.bytes[..offset]
            .iter()
            .rposition(|b| *b == b'\n')
            .map_or(0, |p| p + 1);
        format!("line {line}, column {}", offset - start + 1)
    }
}

/// The columns being built: one per attribute key, in order of first appearance.
#[derive(Default)]
struct Columns {
    names: Vec<String>,
    values: Vec<Vec<Option<String>>>,
    index: HashMap<String, usize>,
    rows: usize,
}

impl Columns {
    /// Adds one event's row from its attributes (a key given twice: the last value).
    fn push<'k>(&mut self, attributes: impl IntoIterator<Item = (&'k str, &'k str)>) {
        for (key, value) in attributes {
            let k = if let Some(k) = self.index.get(key) {
                *k
            } else {
                self.index.insert(key.to_owned(), self.names.len());
                self.names.push(key.to_owned());
                self.values.push(vec![None; self.rows]);
                self.names.len() - 1
            };
            let column = &mut self.values[k];
            if column.len() > self.rows {
                column[self.rows] = Some(value.to_owned());
            } else {
                column.push(Some(value.to_owned()));
            }
        }
        for column in &mut self.values {
            if column.len() == self.rows {
                column.push(None);
            }
        }
        self.rows += 1;
    }

    fn finish(self) -> PolarsResult<DataFrame> {
        if self.rows == 0 {
            return Ok(DataFrame::empty());
        }
        let columns = self
            .names
            .into_iter()
            .zip(self.values)
            .map(|(name, values)| Column::new(name.into(), values))
            .collect();
        DataFrame::new(self.rows, columns)
    }
}

/// The trace being read: its attributes and its events' (line, attributes).
#[derive(Default)]
struct Trace {
    attributes: Vec<(String, String)>,
    events: Vec<(u64, Vec<(String, String)>)>,
}

/// Parses XES text (see the module docs), naming the file `name` in errors.
pub fn parse_log(bytes: &[u8], name: &str) -> Result<XesLog, InputError> {
    let mut lines = Lines::new(bytes);
    let fail = |lines: &mut Lines, offset: u64, message: &str| InputError::Parse {
        path: name.to_owned(),
        message: format!("{}: {message}", lines.place(offset as usize)),
    };
    let mut reader = quick_xml::Reader::from_reader(bytes);
    let mut stack: Vec<Open> = Vec::new();
    let mut seen_log = false;
    let mut trace = Trace::default();
    let mut columns = Columns::default();
    let mut event_lines = Vec::new();
    loop {
        let at = reader.buffer_position();
        let event = match reader.read_event() {
            Ok(e) => e,
            Err(e) => {
                let message = format!("not well-formed XML: {e}");
                return Err(fail(&mut lines, reader.error_position(), &message));
            }
        };
        let (start, empty) = match &event {
            Event::Start(s) => (s, false),
            Event::Empty(s) => (s, true),
            Event::End(_) => {
                let Some(open) = stack.pop() else {
                    return Err(fail(&mut lines, at, "an end tag with no start tag"));
                };
                close(&open, &mut trace, &mut columns, &mut event_lines)
                    .map_err(|m| fail(&mut lines, at, &m))?;
                continue;
            }
            Event::Text(t) => {
                if stack.is_empty() && !t.trim().is_empty() {
                    return Err(fail(
                        &mut lines,
                        at,
                        "not an XES log: text outside the <log> element",
                    ));
                }
                continue;
            }
            Event::CData(_) | Event::GeneralRef(_) if stack.is_empty() => {
                return Err(fail(
                    &mut lines,
                    at,
                    "not an XES log: text outside the <log> element",
                ));
            }
            Event::Eof => break,
            _ => continue,
        };
        let line = lines.line(at as usize);
        let tag = start.name().as_ref().to_owned();
        let parent = stack.last().map(|o| o.scope);
        let scope = match (parent, tag.as_str()) {
            (None, "log") if !seen_log => {
                seen_log = true;
                Scope::Log
            }
            (None, _) => {
                let message = if seen_log {
                    format!("<{tag}> after the end of the <log> element")
                } else {
                    format!("not an XES log: the first element is <{tag}>, not <log>")
                };
                return Err(fail(&mut lines, at, &message));
            }
            (Some(Scope::Log), "trace") => Scope::Trace,
            (Some(Scope::Log), "event") => {
                return Err(fail(
                    &mut lines,
                    at,
                    "an <event> outside a <trace>: its case is unknown",
                ));
            }
            (Some(Scope::Trace), "event") => Scope::Event,
            (Some(s @ (Scope::Trace | Scope::Event)), _)
                if VALUE_ELEMENTS.contains(&tag.as_str()) =>
            {
                let (key, value) = key_value(start, &tag).map_err(|m| fail(&mut lines, at, &m))?;
                if s == Scope::Trace {
                    trace.attributes.push((key, value));
                } else if let Some((_, attributes)) = trace.events.last_mut() {
                    attributes.push((key, value));
                }
                Scope::Skipped
            }
            _ => Scope::Skipped,
        };
        if scope == Scope::Event {
            trace.events.push((line, Vec::new()));
        }
        let open = Open {
            scope,
            name: tag,
            line,
        };
        if empty {
            close(&open, &mut trace, &mut columns, &mut event_lines)
                .map_err(|m| fail(&mut lines, at, &m))?;
        } else {
            stack.push(open);
        }
    }
    let end = bytes.len() as u64;
    if let Some(open) = stack.last() {
        let message = format!(
            "the file ends inside <{}> (opened on line {}): cut short?",
            open.name, open.line
        );
        return Err(fail(&mut lines, end, &message));
    }
    if !seen_log {
        return Err(fail(&mut lines, end, "not an XES log: no <log> element"));
    }
    let events = columns.finish().map_err(|e| InputError::Parse {
        path: name.to_owned(),
        message: e.to_string(),
    })?;
    Ok(XesLog {
        events,
        lines: event_lines,
    })
}

/// The `key` and `value` of an attribute element.
fn key_value(start: &BytesStart, tag: &str) -> Result<(String, String), String> {
    let get = |attribute: &str| -> Result<String, String> {
        let found = start
            .try_get_attribute(attribute)
            .map_err(|e| format!("<{tag}>: {e}"))?
            .ok_or_else(|| format!("<{tag}> without `{attribute}`"))?;
        found
            .normalized_value(XmlVersion::Implicit1_0)
            .map(Cow::into_owned)
            .map_err(|e| format!("<{tag}> `{attribute}`: {e}"))
    };
    Ok((get("key")?, get("value")?))
}

/// Closes an element: a trace gives its events' rows (an error if it has no case id).
fn close(
    open: &Open,
    trace: &mut Trace,
    columns: &mut Columns,
    event_lines: &mut Vec<u64>,
) -> Result<(), String> {
    if open.scope != Scope::Trace {
        return Ok(());
    }
    let done = std::mem::take(trace);
    if !done.attributes.iter().any(|(k, _)| k == "concept:name") {
        return Err(format!(
            "the trace opened on line {} has no `concept:name` (its case id)",
            open.line
        ));
    }
    let case: Vec<(String, &str)> = done
        .attributes
        .iter()
        .map(|(k, v)| (format!("case:{k}"), v.as_str()))
        .collect();
    for (line, attributes) in &done.events {
        columns.push(
            case.iter()
                .map(|(k, v)| (k.as_str(), *v))
                .chain(attributes.iter().map(|(k, v)| (k.as_str(), v.as_str()))),
        );
        event_lines.push(*line);
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::input::tasks::read_task_list;
    use crate::input::{DataSources, ROW, TableData, column_str, column_u64, read_table};

    /// Two traces: C1 (a trace attribute given after its events too) with two events, C2
    /// with one event carrying typed attributes; log-level, global and nested attributes
    /// that are not the events'. Line numbers are in the comments.
    const LOG: &str = r#"<?xml version="1.0" encoding="UTF-8"?>
<log xes.version="1.0" xmlns="http://www.xes-standard.org/">
  <global scope="trace"><string key="concept:name" value="__INVALID__"/></global>
  <string key="concept:name" value="the log"/>
  <trace>
    <string key="concept:name" value="C1"/>
    <event>
      <string key="concept:name" value="intake"/>
      <date key="time:timestamp" value="2010-12-30T11:02:00.000+01:00"/>
      <string key="org:resource" value="Anne &amp; Bo"/>
      <string key="lifecycle:transition" value="start"/>
    </event>
    <event><string key="concept:name" value="intake"/><date key="time:timestamp" value="2026-10-05T09:30:00.000Z"/>
      <string key="note" value="has children"><string key="inner" value="skipped"/></string>
      <list key="tags"><string key="tag" value="skipped too"/></list>
    </event>
    <string key="branch" value="HQ"/>
  </trace>
  <trace>
    <event>
      <string key="concept:name" value="review"/>
      <int key="cost" value="12"/><float key="share" value="0.5"/><boolean key="urgent" value="true"/>
      <date key="time:timestamp" value="2026-10-05T10:00:00"/>
    </event>
    <string key="concept:name" value="C2"/>
  </trace>
</log>
"#;

    fn texts(df: &DataFrame, column: &str) -> Vec<Option<String>> {
        assert!(df.column(column).is_ok(), "no column {column}: {df}");
        column_str(df, column)
    }

    fn some(values: &[&str]) -> Vec<Option<String>> {
        values.iter().map(|v| Some((*v).to_owned())).collect()
    }

    #[test]
    fn events_become_rows_with_their_trace_attributes_prefixed_case() {
        let log = parse_log(LOG.as_bytes(), "log.xes").expect("parse");
        let df = &log.events;
        assert_eq!(df.height(), 3);
        assert_eq!(texts(df, "case:concept:name"), some(&["C1", "C1", "C2"]));
        assert_eq!(
            texts(df, "case:branch"),
            [Some("HQ".into()), Some("HQ".into()), None]
        );
        assert_eq!(
            texts(df, "concept:name"),
            some(&["intake", "intake", "review"])
        );
        // Timestamps as written, offset and milliseconds included.
        assert_eq!(
            texts(df, "time:timestamp"),
            some(&[
                "2010-12-30T11:02:00.000+01:00",
                "2026-10-05T09:30:00.000Z",
                "2026-10-05T10:00:00"
            ])
        );
        assert_eq!(
            texts(df, "org:resource"),
            [Some("Anne & Bo".into()), None, None]
        );
        assert_eq!(
            texts(df, "lifecycle:transition"),
            [Some("start".into()), None, None]
        );
        assert_eq!(texts(df, "note"), [None, Some("has children".into()), None]);
        assert_eq!(texts(df, "cost"), [None, None, Some("12".into())]);
        assert_eq!(texts(df, "share"), [None, None, Some("0.5".into())]);
        assert_eq!(texts(df, "urgent"), [None, None, Some("true".into())]);
        // Nothing from the log's own attributes, the global or nested attributes.
        for absent in ["inner", "tag", "tags", "case:inner", "the log"] {
            assert!(df.column(absent).is_err(), "{absent}");
        }
        assert_eq!(df.width(), 10, "{:?}", df.get_column_names());
        // The <event> tags are on lines 7, 13 and 20 (line 1 is the `<?xml` declaration).
        assert_eq!(log.lines, [7, 13, 20]);
    }

    /// Writes `files` (name, bytes) into a fresh folder.
    fn folder(files: &[(&str, &[u8])]) -> tempfile::TempDir {
        let dir = tempfile::tempdir().expect("tempdir");
        for (name, bytes) in files {
            std::fs::write(dir.path().join(name), bytes).expect("write");
        }
        dir
    }

    fn read_events_table(path: &Path, map: &ColumnMap) -> TableData {
        read_table(path, Table::Events, map, &[]).expect("read")
    }

    #[test]
    fn the_standard_keys_are_the_events_fields_without_a_column_map() {
        let dir = folder(&[("events.xes", LOG.as_bytes())]);
        let path = dir.path().join("events.xes");
        let t = read_events_table(&path, &ColumnMap::default());
        // The third timestamp has no offset where the others have one: read, and listed.
        let listed: Vec<(u64, &str)> = t.issues.iter().map(|i| (i.row, i.field.as_str())).collect();
        assert_eq!(listed, [(3, "timestamp")], "{:?}", t.issues);
        assert!(t.issues[0].problem.contains("no UTC offset"));
        // Rows are the events' positions in the file.
        assert_eq!(column_u64(&t.df, ROW), [1, 2, 3]);
        assert_eq!(column_str(&t.df, "case_id"), some(&["C1", "C1", "C2"]));
        assert_eq!(
            column_str(&t.df, "activity"),
            some(&["intake", "intake", "review"])
        );
        assert_eq!(
            column_str(&t.df, "resource"),
            [Some("Anne & Bo".into()), None, None]
        );
        assert_eq!(
            column_str(&t.df, "lifecycle"),
            [Some("start".into()), None, None]
        );
        // A timestamp without an offset: 2026-10-05 10:00:00 read as such.
        let ts = t.df.column("timestamp").expect("timestamp");
        let ms = ts.cast(&DataType::Int64).expect("cast");
        let want = chrono::NaiveDate::from_ymd_opt(2026, 10, 5)
            .and_then(|d| d.and_hms_opt(10, 0, 0))
            .expect("date")
            .and_utc()
            .timestamp_millis();
        assert_eq!(ms.i64().expect("i64").get(2), Some(want));
        // With offsets and no office zone: UTC. 11:02+01:00 is 10:02; 09:30Z is 09:30.
        let utc = |d: u32, h: u32, m: u32, y: i32, mo: u32| {
            chrono::NaiveDate::from_ymd_opt(y, mo, d)
                .and_then(|d| d.and_hms_opt(h, m, 0))
                .expect("date")
                .and_utc()
                .timestamp_millis()
        };
        assert_eq!(
            ms.i64().expect("i64").get(0),
            Some(utc(30, 10, 2, 2010, 12))
        );
        assert_eq!(ms.i64().expect("i64").get(1), Some(utc(5, 9, 30, 2026, 10)));
        assert!(
            t.absent
                .iter()
                .any(|(f, c)| f == "outcome" && c == "outcome")
        );
    }

    #[test]
    fn an_events_entry_in_the_column_map_wins_over_the_standard_key() {
        let dir = folder(&[("events.xes", LOG.as_bytes())]);
        let map = crate::config::columns::read(&crate::config::diagnostics::SourceFile::new(
            "columns.yaml",
            "events:\n  resource: case:branch\n",
        ))
        .expect("column map");
        let t = read_events_table(&dir.path().join("events.xes"), &map);
        assert_eq!(
            column_str(&t.df, "resource"),
            [Some("HQ".into()), Some("HQ".into()), None]
        );
        // The other fields keep their standard keys.
        assert_eq!(column_str(&t.df, "case_id"), some(&["C1", "C1", "C2"]));
    }

    #[test]
    fn a_gzip_compressed_log_reads_like_the_plain_one() {
        use std::io::Write;
        let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
        gz.write_all(LOG.as_bytes()).expect("compress");
        let bytes = gz.finish().expect("compress");
        let dir = folder(&[("events.xes.gz", &bytes), ("events.xes", LOG.as_bytes())]);
        let gz = read_log(&dir.path().join("events.xes.gz"), "events.xes.gz").expect("gz");
        let plain = read_log(&dir.path().join("events.xes"), "events.xes").expect("plain");
        assert_eq!(gz.events, plain.events);
        assert_eq!(gz.lines, plain.lines);
        assert_eq!(gz.events.height(), 3);
        // Found in a data folder without events.xes, and not a gzip file: an error.
        std::fs::remove_file(dir.path().join("events.xes")).expect("remove");
        let found = DataSources::from_folder(dir.path()).events.expect("events");
        assert!(found.ends_with("events.xes.gz"));
        let dir = folder(&[("events.xes.gz", LOG.as_bytes())]);
        let err = read_log(&dir.path().join("events.xes.gz"), "events.xes.gz")
            .expect_err("not gzip")
            .to_string();
        assert!(
            err.contains("events.xes.gz") && err.contains("gzip"),
            "{err}"
        );
    }

    /// The error of parsing `text` as `bad.xes`.
    fn error(text: &str) -> String {
        parse_log(text.as_bytes(), "bad.xes")
            .expect_err("an error")
            .to_string()
    }

    /// Asserts that parsing `text` stops at `place` with an error naming the file and
    /// saying `what`.
    #[track_caller]
    fn assert_error_at(text: &str, place: &str, what: &str) {
        let e = error(text);
        assert!(
            e.contains("bad.xes") && e.contains(place) && e.contains(what),
            "{e}"
        );
    }

    #[test]
    fn a_file_that_is_not_xes_or_is_cut_short_is_an_error_at_its_line_and_column() {
        // A CSV file: its text starts at line 1, column 1.
        assert_error_at(
            "case_id,activity\nC1,intake\n",
            "line 1, column 1",
            "not an XES log",
        );
        // Cut inside the attribute tag opened on line 3, column 5 (after 4 spaces).
        let cut = "<log>\n  <trace>\n    <string key=\"concept:name\" val";
        assert_error_at(cut, "line 3, column 5", "not well-formed XML");
        // Cut after a whole tag: the file ends inside <trace> (line 2), at line 3, column 1.
        let cut = "<log>\n  <trace>\n";
        assert_error_at(cut, "line 3, column 1", "inside <trace> (opened on line 2)");
        // A mismatched end tag: `</evnt>` starts on line 2 at column 10.
        let bad = "<log><trace>\n  <event></evnt></trace></log>";
        assert_error_at(bad, "line 2, column 10", "</evnt>");
        // XML, but not a log.
        let html = "<?xml version=\"1.0\"?>\n<html><body/></html>\n";
        assert_error_at(html, "line 2, column 1", "<html>");
        // An event outside a trace, on line 2 column 3.
        let stray = "<log>\n  <event/>\n</log>\n";
        assert_error_at(stray, "line 2, column 3", "outside a <trace>");
    }

    #[test]
    fn a_trace_without_concept_name_is_an_error_naming_its_line() {
        let e = error(concat!(
            "<log>\n",
            "  <trace><string key=\"concept:name\" value=\"C1\"/></trace>\n",
            "  <trace>\n",
            "    <string key=\"org:group\" value=\"HQ\"/>\n",
            "    <event><string key=\"concept:name\" value=\"intake\"/></event>\n",
            "  </trace>\n",
            "</log>\n",
        ));
        assert!(e.contains("bad.xes"), "{e}");
        assert!(e.contains("trace opened on line 3"), "{e}");
        assert!(e.contains("concept:name"), "{e}");
    }

    /// Reads the task list of a folder whose event log is `file` with `bytes`.
    fn task_list(file: &str, bytes: &[u8]) -> crate::input::tasks::TaskList {
        let dir = folder(&[
            (file, bytes),
            (
                "cases.csv",
                b"case_id,received_at\nC1,2026-10-05 09:00:00\n",
            ),
        ]);
        let sources = DataSources::from_folder(dir.path());
        assert!(sources.events.as_deref().is_some_and(|p| p.ends_with(file)));
        let map = ColumnMap::default();
        let cases =
            read_table(&dir.path().join("cases.csv"), Table::Cases, &map, &[]).expect("cases");
        read_task_list(&sources, &map, Some(&cases)).expect("task list")
    }

    /// Data findings as (row, field, problem).
    fn findings(list: &crate::input::tasks::TaskList, shift: u64) -> Vec<(u64, String, String)> {
        list.issues
            .iter()
            .map(|i| (i.row - shift, i.field.clone(), i.problem.clone()))
            .collect()
    }

    #[test]
    fn an_event_without_timestamp_or_activity_is_treated_as_in_a_csv_log() {
        // Event 1 has no timestamp, event 2 no activity, event 3 is a plain completion.
        let xes = concat!(
            "<log><trace><string key=\"concept:name\" value=\"C1\"/>\n",
            "<event><string key=\"concept:name\" value=\"intake\"/></event>\n",
            "<event><date key=\"time:timestamp\" value=\"2026-10-05T09:30:00\"/></event>\n",
            "<event><string key=\"concept:name\" value=\"review\"/>",
            "<date key=\"time:timestamp\" value=\"2026-10-05T11:00:00\"/></event>\n",
            "</trace></log>\n",
        );
        let csv = concat!(
            "case_id,activity,timestamp\n",
            "C1,intake,\n",
            "C1,,2026-10-05T09:30:00\n",
            "C1,review,2026-10-05T11:00:00\n",
        );
        let from_xes = task_list("events.xes", xes.as_bytes());
        let from_csv = task_list("events.csv", csv.as_bytes());
        assert_eq!(from_xes.rows_read, 3);
        assert_eq!(from_csv.rows_read, 3);
        // The same findings, a CSV row being one more than the event's position (header).
        let want = vec![
            (
                1,
                String::from("timestamp"),
                String::from("no timestamp; the event is not paired into a task"),
            ),
            (
                2,
                String::from("activity"),
                String::from("no activity; the event is paired into a task with an empty stage"),
            ),
        ];
        assert_eq!(findings(&from_xes, 0), want);
        assert_eq!(findings(&from_csv, 1), want);
        assert_eq!(from_xes.issues[0].column, "time:timestamp");
        // Two tasks (the activity-less event and review), the same but for their rows.
        assert_eq!(from_xes.df.height(), 2);
        let rows = |l: &crate::input::tasks::TaskList| column_u64(&l.df, ROW);
        assert_eq!(rows(&from_xes), [2, 3]);
        assert_eq!(rows(&from_csv), [3, 4]);
        assert_eq!(
            from_xes.df.drop(ROW).expect("drop"),
            from_csv.df.drop(ROW).expect("drop")
        );
    }

    #[test]
    fn an_empty_log_is_read_like_an_empty_events_csv() {
        let csv = task_list("events.csv", b"");
        for xes in [
            "<log/>",
            "<?xml version=\"1.0\"?>\n<log xes.version=\"1.0\">\n</log>\n",
            "<log><trace><string key=\"concept:name\" value=\"C1\"/></trace></log>",
        ] {
            let list = task_list("events.xes", xes.as_bytes());
            assert_eq!(list.rows_read, 0, "{xes}");
            assert!(list.issues.is_empty(), "{xes}");
            assert_eq!(list.df, csv.df, "{xes}");
        }
        assert_eq!(csv.rows_read, 0);
        assert_eq!(csv.df.height(), 0);
    }

    #[test]
    fn xes_files_are_told_by_their_name() {
        for yes in ["events.xes", "log.XES", "a/b/events.xes.gz", "L.Xes.GZ"] {
            assert!(is_xes(Path::new(yes)), "{yes}");
        }
        for no in [
            "events.csv",
            "events.gz",
            "xes",
            "events.xes.csv",
            "events.parquet",
        ] {
            assert!(!is_xes(Path::new(no)), "{no}");
        }
    }
}
