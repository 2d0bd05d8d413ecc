//! Reading `calendar.yaml` (SCHEMA.md, section "calendar") into a [`Calendar`], reporting
//! *every* problem with its line and column.
//!
//! ```yaml
//! working_days: [mon, tue, wed, thu, fri]
//! working_hours: [["09:00", "12:00"], ["13:00", "17:30"]]   # one or more intervals a day
//! holidays: [2026-10-01, 2026-10-02]                         # days off that would be working days
//! extra_working_days: [2026-10-10]                           # make-up days worked on a weekend
//! ```
//!
//! Every key is optional and defaults to the office standard ([`CalendarSpec::default`]); an
//! empty file is the default calendar. The values are checked here, item by item, so that a
//! file with three mistakes gets three located diagnostics; the definitions (what a working day
//! is, how working time is counted) are those of [`crate::calendar`], which validates the
//! result once more.

use std::collections::BTreeMap;
use std::path::Path;

use chrono::NaiveDate;

use super::{Calendar, CalendarSpec, parse_hh_mm, parse_weekday};
use crate::config::diagnostics::{Diagnostics, Problem, SourceFile, suggest};
use crate::config::yaml::{self, Node, Span, Value};

/// The keys of `calendar.yaml`.
pub const KEYS: [&str; 4] = [
    "working_days",
    "working_hours",
    "holidays",
    "extra_working_days",
];

/// Reads a calendar file. An empty file is the default calendar.
pub fn read(file: &SourceFile) -> Result<Calendar, Diagnostics> {
    let mut diags = Diagnostics::default();
    let root = match yaml::parse(&file.text, &file.name) {
        Ok(root) => root,
        Err(report) => {
            diags.syntax.push(report);
            return Err(diags);
        }
    };
    let mut spec = CalendarSpec::default();
    let entries = match &root.value {
        Value::Null => return Ok(Calendar::default()),
        Value::Map(entries) => entries,
        _ => {
            diags.push(
                Problem::error(
                    "calendar::wrong-type",
                    file,
                    root.span,
                    format!(
                        "calendar.yaml must be a mapping of {}, found {}",
                        KEYS.join(", "),
                        root.type_name()
                    ),
                )
                .help("see the calendar section of SCHEMA.md"),
            );
            return Err(diags);
        }
    };
    let mut holidays: Vec<(NaiveDate, Span)> = Vec::new();
    for (key, value) in entries {
        let name = key.as_scalar_string().unwrap_or_default();
        match name.as_str() {
            "working_days" => {
                if let Some(days) = read_weekdays(value, file, &mut diags) {
                    spec.working_days = days;
                }
            }
            "working_hours" => {
                if let Some(hours) = read_hours(value, file, &mut diags) {
                    spec.working_hours = hours;
                }
            }
            "holidays" => {
                let (dates, ok) = read_dates(value, "holidays", file, &mut diags);
                if ok {
                    spec.holidays = dates.iter().map(|(d, _)| d.to_string()).collect();
                }
                holidays = dates;
            }
            "extra_working_days" => {
                let (dates, ok) = read_dates(value, "extra_working_days", file, &mut diags);
                if ok {
                    spec.extra_working_days = dates.iter().map(|(d, _)| d.to_string()).collect();
                }
                {
                    for (date, span) in &dates {
                        if let Some((_, first)) = holidays.iter().find(|(h, _)| h == date) {
                            diags.push(
                                Problem::error(
                                    "calendar::holiday-and-extra-day",
                                    file,
                                    *span,
                                    format!(
                                        "{date} is listed both in holidays and in extra_working_days"
                                    ),
                                )
                                .label("listed as an extra working day here")
                                .also(*first, "and as a holiday here")
                                .help("a date is either a day off or a make-up working day"),
                            );
                        }
                    }
                }
            }
            other => {
                let hint = suggest(other, KEYS).map_or_else(
                    || format!("keys: {}", KEYS.join(", ")),
                    |s| format!("did you mean `{s}`?"),
                );
                diags.push(
                    Problem::error(
                        "calendar::unknown-key",
                        file,
                        key.span,
                        format!("unknown key `{other}` in calendar.yaml"),
                    )
                    .label("not a calendar key")
                    .help(hint),
                );
            }
        }
    }
    // `holidays` may come after `extra_working_days`: check the pair once both are known.
    if entries
        .iter()
        .position(|(k, _)| k.as_str() == Some("holidays"))
        > entries
            .iter()
            .position(|(k, _)| k.as_str() == Some("extra_working_days"))
        && let Some(extra) = root.get("extra_working_days")
    {
        for item in extra.as_seq().unwrap_or_default() {
            let Some(date) = item.as_scalar_string().and_then(|t| parse_date(&t)) else {
                continue;
            };
            if let Some((_, first)) = holidays.iter().find(|(h, _)| *h == date) {
                diags.push(
                    Problem::error(
                        "calendar::holiday-and-extra-day",
                        file,
                        item.span,
                        format!("{date} is listed both in holidays and in extra_working_days"),
                    )
                    .label("listed as an extra working day here")
                    .also(*first, "and as a holiday here")
                    .help("a date is either a day off or a make-up working day"),
                );
            }
        }
    }
    if diags.has_errors() {
        return Err(diags);
    }
    // Every rule of crate::calendar was checked above with a location; this is the final word.
    Calendar::from_spec(&spec).map_err(|e| {
        diags.push(Problem::error(
            "calendar::invalid",
            file,
            root.span,
            e.to_string(),
        ));
        diags
    })
}

/// Reads the calendar of a data folder: `None` (no `calendar.yaml`) is the default calendar.
pub fn load(path: Option<&Path>) -> Result<Calendar, CalendarLoadError> {
    let Some(path) = path else {
        return Ok(Calendar::default());
    };
    let text =
        crate::config::read_capped_to_string(path).map_err(|source| CalendarLoadError::Io {
            path: path.display().to_string(),
            source,
        })?;
    read(&SourceFile::new(path.display().to_string(), text)).map_err(CalendarLoadError::Invalid)
}

/// Why a calendar file could not be loaded.
#[derive(Debug)]
pub enum CalendarLoadError {
    /// The file could not be read.
    Io {
        /// The file.
        path: String,
        /// Why.
        source: std::io::Error,
    },
    /// The file has problems; every one is listed.
    Invalid(Diagnostics),
}

/// The sequence items of `node`, or a problem when it is not a list.
fn items<'a>(
    node: &'a Node,
    key: &str,
    example: &str,
    file: &SourceFile,
    diags: &mut Diagnostics,
) -> Option<&'a [Node]> {
    if let Some(items) = node.as_seq() {
        return Some(items);
    }
    diags.push(
        Problem::error(
            "calendar::wrong-type",
            file,
            node.span,
            format!("`{key}` must be a list, found {}", node.type_name()),
        )
        .help(format!("e.g. `{key}: {example}`")),
    );
    None
}

fn read_weekdays(node: &Node, file: &SourceFile, diags: &mut Diagnostics) -> Option<Vec<String>> {
    let list = items(
        node,
        "working_days",
        "[mon, tue, wed, thu, fri]",
        file,
        diags,
    )?;
    if list.is_empty() {
        diags.push(
            Problem::error(
                "calendar::no-working-days",
                file,
                node.span,
                "working_days is empty: a calendar needs at least one working weekday",
            )
            .help("e.g. `working_days: [mon, tue, wed, thu, fri]`"),
        );
        return None;
    }
    let mut seen: BTreeMap<u32, Span> = BTreeMap::new();
    let mut out = Vec::new();
    let mut ok = true;
    for item in list {
        let Some(text) = item.as_str() else {
            diags.push(Problem::error(
                "calendar::wrong-type",
                file,
                item.span,
                format!(
                    "a weekday must be a name such as `mon`, found {}",
                    item.type_name()
                ),
            ));
            ok = false;
            continue;
        };
        if let Ok(day) = parse_weekday(text) {
            if let Some(first) = seen.get(&day.num_days_from_monday()) {
                diags.push(
                    Problem::error(
                        "calendar::duplicate-weekday",
                        file,
                        item.span,
                        format!("weekday `{text}` is listed more than once in working_days"),
                    )
                    .label("listed again here")
                    .also(*first, "first listed here"),
                );
                ok = false;
            } else {
                seen.insert(day.num_days_from_monday(), item.span);
            }
            out.push(text.to_owned());
        } else {
            let names = ["mon", "tue", "wed", "thu", "fri", "sat", "sun"];
            let hint = suggest(&text.to_ascii_lowercase(), names).map_or_else(
                || String::from("weekdays: mon, tue, wed, thu, fri, sat, sun (or full names)"),
                |s| format!("did you mean `{s}`?"),
            );
            diags.push(
                Problem::error(
                    "calendar::unknown-weekday",
                    file,
                    item.span,
                    format!("unknown weekday `{text}` in working_days"),
                )
                .help(hint),
            );
            ok = false;
        }
    }
    ok.then_some(out)
}

fn read_hours(node: &Node, file: &SourceFile, diags: &mut Diagnostics) -> Option<Vec<[String; 2]>> {
    let example = r#"[["09:00", "12:00"], ["13:00", "17:30"]]"#;
    let list = items(node, "working_hours", example, file, diags)?;
    if list.is_empty() {
        diags.push(
            Problem::error(
                "calendar::no-working-hours",
                file,
                node.span,
                "working_hours is empty: a calendar needs at least one working interval",
            )
            .help(format!("e.g. `working_hours: {example}`")),
        );
        return None;
    }
    let mut out = Vec::new();
    let mut ok = true;
    // The last valid interval, for the order and overlap checks.
    let mut previous: Option<(u32, u32, String, Span)> = None;
    for item in list {
        let pair = item.as_seq().filter(|p| p.len() == 2);
        let Some(pair) = pair else {
            diags.push(
                Problem::error(
                    "calendar::bad-interval",
                    file,
                    item.span,
                    "a working interval is a list of two times, `[start, end]`",
                )
                .help(r#"e.g. `["09:00", "12:00"]`; quote the times"#),
            );
            ok = false;
            continue;
        };
        let mut times = [0u32; 2];
        let mut texts: [String; 2] = Default::default();
        let mut good = true;
        for (i, t) in pair.iter().enumerate() {
            let text = t.as_scalar_string().unwrap_or_default();
            if let Ok(m) = parse_hh_mm(&text) {
                times[i] = m;
            } else {
                diags.push(
                    Problem::error(
                        "calendar::bad-time",
                        file,
                        t.span,
                        format!("`{text}` is not a time of day"),
                    )
                    .help(r#"times are "HH:MM" on the 24-hour clock, 00:00 to 24:00, quoted"#),
                );
                good = false;
            }
            texts[i] = text;
        }
        if !good {
            ok = false;
            continue;
        }
        let shown = format!("{}-{}", texts[0], texts[1]);
        if times[1] <= times[0] {
            diags.push(Problem::error(
                "calendar::empty-interval",
                file,
                item.span,
                format!("working interval {shown} ends at or before its start"),
            ));
            ok = false;
            continue;
        }
        if let Some((p_start, p_end, p_shown, p_span)) = &previous {
            if times[0] < *p_start {
                diags.push(
                    Problem::error(
                        "calendar::unsorted-intervals",
                        file,
                        item.span,
                        format!("working interval {shown} is listed after {p_shown}: intervals must be in time order"),
                    )
                    .also(*p_span, "the earlier-listed interval"),
                );
                ok = false;
            } else if times[0] < *p_end {
                diags.push(
                    Problem::error(
                        "calendar::overlapping-intervals",
                        file,
                        item.span,
                        format!("working intervals {p_shown} and {shown} overlap"),
                    )
                    .also(*p_span, "overlaps this one"),
                );
                ok = false;
            }
        }
        previous = Some((times[0], times[1], shown, item.span));
        out.push(texts);
    }
    ok.then_some(out)
}

fn parse_date(text: &str) -> Option<NaiveDate> {
    NaiveDate::parse_from_str(text.trim(), "%Y-%m-%d").ok()
}

/// The valid dates of a date list, and whether every item was valid.
fn read_dates(
    node: &Node,
    key: &str,
    file: &SourceFile,
    diags: &mut Diagnostics,
) -> (Vec<(NaiveDate, Span)>, bool) {
    if matches!(node.value, Value::Null) {
        return (Vec::new(), true);
    }
    let Some(list) = items(node, key, "[2026-10-01, 2026-10-02]", file, diags) else {
        return (Vec::new(), false);
    };
    let mut out = Vec::new();
    let mut ok = true;
    for item in list {
        let text = item.as_scalar_string().unwrap_or_default();
        if let Some(date) = parse_date(&text) {
            out.push((date, item.span));
        } else {
            diags.push(
                Problem::error(
                    "calendar::bad-date",
                    file,
                    item.span,
                    format!("`{text}` in {key} is not a date"),
                )
                .help("dates are YYYY-MM-DD, e.g. 2026-10-01"),
            );
            ok = false;
        }
    }
    (out, ok)
}

#[cfg(test)]
mod tests {
    use chrono::NaiveDateTime;

    use super::*;

    fn parse(text: &str) -> Result<Calendar, Diagnostics> {
        read(&SourceFile::new("calendar.yaml", text))
    }

    fn locations(d: &Diagnostics) -> Vec<String> {
        let mut l: Vec<String> = d.problems.iter().map(Problem::location).collect();
        l.sort();
        l
    }

    fn at(s: &str) -> NaiveDateTime {
        NaiveDateTime::parse_from_str(s, "%Y-%m-%d %H:%M").unwrap()
    }

    #[test]
    fn the_schema_example_reads_into_the_same_calendar_as_its_spec() {
        let cal = parse(
            "working_days: [mon, tue, wed, thu, fri]\n\
             working_hours: [[\"09:00\", \"12:00\"], [\"13:00\", \"17:30\"]]\n\
             holidays: [2026-10-01, 2026-10-02]\n\
             extra_working_days: [2026-10-10]\n",
        )
        .unwrap();
        let spec = CalendarSpec {
            holidays: vec!["2026-10-01".into(), "2026-10-02".into()],
            extra_working_days: vec!["2026-10-10".into()],
            ..CalendarSpec::default()
        };
        assert_eq!(cal, Calendar::from_spec(&spec).unwrap());
        // Wed 09-30 17:00 -> Mon 10-05 09:30: 0.5 h + Thu/Fri holidays + weekend + 0.5 h = 1 h
        assert!(
            (cal.working_hours_between(at("2026-09-30 17:00"), at("2026-10-05 09:30")) - 1.0).abs()
                < 1e-12
        );
    }

    #[test]
    fn an_empty_file_and_missing_keys_give_the_office_standard() {
        assert_eq!(parse("").unwrap(), Calendar::default());
        assert_eq!(parse("# nothing\n").unwrap(), Calendar::default());
        let cal = parse("holidays: [2026-10-01]\n").unwrap();
        assert_eq!(cal.intervals(), &[(540, 720), (780, 1050)]);
        assert!(!cal.is_working_day(NaiveDate::from_ymd_opt(2026, 10, 1).unwrap()));
        // `holidays:` with nothing after it is an empty list.
        assert!(parse("holidays:\n").unwrap().holidays().is_empty());
    }

    #[test]
    fn every_problem_is_reported_at_its_line_and_column() {
        let text = "\
working_days: [mon, tue, funday, tue]
working_hours: [[\"09:00\", \"12:00\"], [\"11:30\", \"25:00\"], [\"14:00\", \"13:00\"]]
holidays: [2026-10-01, 2026-13-01]
extra_working_days: [2026-10-01]
working_day: [sat]
";
        let err = parse(text).unwrap_err();
        assert_eq!(
            locations(&err),
            [
                "calendar.yaml:1:26", // funday
                "calendar.yaml:1:34", // tue again
                "calendar.yaml:2:47", // "25:00"
                "calendar.yaml:2:57", // ["14:00", "13:00"] ends before it starts
                "calendar.yaml:3:24", // 2026-13-01
                "calendar.yaml:4:22", // 2026-10-01 also a holiday
                "calendar.yaml:5:1",  // working_day
            ],
            "{:#?}",
            err.problems
        );
        let by_code = |code: &str| {
            err.problems
                .iter()
                .find(|p| p.code == code)
                .unwrap_or_else(|| panic!("no {code}"))
        };
        assert!(
            by_code("calendar::unknown-weekday")
                .message
                .contains("funday")
        );
        let dup = by_code("calendar::duplicate-weekday");
        assert_eq!(dup.labels.len(), 2, "points at both listings");
        assert_eq!(dup.labels[1].0.column, 21); // the first `tue`
        assert_eq!(
            by_code("calendar::unknown-key").help.as_deref(),
            Some("did you mean `working_days`?")
        );
        let both = by_code("calendar::holiday-and-extra-day");
        assert_eq!((both.labels[1].0.line, both.labels[1].0.column), (3, 12));
    }

    #[test]
    fn interval_order_and_overlap_are_located_at_the_later_interval() {
        let err =
            parse("working_hours: [[\"13:00\", \"17:00\"], [\"09:00\", \"12:00\"]]\n").unwrap_err();
        assert_eq!(locations(&err), ["calendar.yaml:1:37"]);
        assert!(err.problems[0].message.contains("time order"));
        let err = parse("working_hours:\n  - [\"09:00\", \"12:30\"]\n  - [\"12:00\", \"17:00\"]\n")
            .unwrap_err();
        assert_eq!(locations(&err), ["calendar.yaml:3:5"]);
        assert!(err.problems[0].message.contains("overlap"));
        assert_eq!(err.problems[0].labels[1].0.line, 2);
    }

    #[test]
    fn wrong_shapes_are_reported() {
        let err = parse("working_days: mon\n").unwrap_err();
        assert_eq!(err.problems[0].code, "calendar::wrong-type");
        let err = parse("working_days: []\nworking_hours: []\n").unwrap_err();
        let codes: Vec<&str> = err.problems.iter().map(|p| p.code).collect();
        assert_eq!(
            codes,
            ["calendar::no-working-days", "calendar::no-working-hours"]
        );
        let err = parse("working_hours: [[\"09:00\"]]\n").unwrap_err();
        assert_eq!(err.problems[0].code, "calendar::bad-interval");
        let err = parse("- mon\n").unwrap_err();
        assert_eq!(err.problems[0].code, "calendar::wrong-type");
        let err = parse("holidays: [2026-10-01\n").unwrap_err();
        assert_eq!(
            err.syntax.len(),
            1,
            "a YAML syntax error is reported by serde-saphyr"
        );
    }

    #[test]
    fn a_holiday_listed_after_its_extra_day_is_still_caught() {
        let err = parse("extra_working_days: [2026-10-10]\nholidays: [2026-10-10]\n").unwrap_err();
        assert_eq!(locations(&err), ["calendar.yaml:1:22"]);
    }

    #[test]
    fn diagnostics_render_with_a_snippet() {
        let err = parse("working_days: [mon, funday]\n").unwrap_err();
        let report = err.into_reports().remove(0);
        let text = format!("{report:?}");
        // The snippet shows the offending line; the binary's report also names
        // `calendar.yaml:1:21` (tested in tests/cycle).
        assert!(text.contains("unknown weekday `funday`"), "{text}");
        assert!(text.contains("1 │ working_days: [mon, funday]"), "{text}");
    }
}
