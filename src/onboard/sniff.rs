//! What the values of an export say: its encoding, delimiter and header line, and per column
//! whether the values are timestamps, dates, amounts, whole numbers or a yes/no pair, with
//! the format they are written in.

use chrono::{NaiveDate, NaiveDateTime};

use super::synonyms::{YES_NO, normalize};

/// Timestamp formats tried on a column (day-first before month-first: a day over 12 decides).
pub const DATETIME_FORMATS: &[&str] = &[
    "%Y-%m-%d %H:%M:%S",
    "%Y-%m-%d %H:%M",
    "%Y/%m/%d %H:%M:%S",
    "%Y/%m/%d %H:%M",
    "%Y-%m-%dT%H:%M:%S",
    "%Y.%m.%d %H:%M:%S",
    "%Y%m%d %H:%M:%S",
    "%d/%m/%Y %H:%M:%S",
    "%d/%m/%Y %H:%M",
    "%m/%d/%Y %H:%M:%S",
    "%m/%d/%Y %H:%M",
];

/// Date formats tried on a column.
pub const DATE_FORMATS: &[&str] = &[
    "%Y-%m-%d", "%Y/%m/%d", "%Y.%m.%d", "%Y%m%d", "%d/%m/%Y", "%m/%d/%Y", "%d.%m.%Y",
];

/// What a column's values are.
#[derive(Debug, Clone, PartialEq)]
pub enum Shape {
    /// Timestamps in this format.
    DateTime(&'static str),
    /// Dates in this format.
    Date(&'static str),
    /// Amounts; `true` when some are written with a `,` thousands separator.
    Money(bool),
    /// Whole numbers.
    Integer,
    /// Two values, the true word and the false word.
    YesNo(String, String),
    /// Anything else.
    Text,
    /// No value at all.
    Empty,
}

/// A column's shape and how many of its sampled values fit it.
#[derive(Debug, Clone, PartialEq)]
pub struct ColumnShape {
    /// The shape.
    pub shape: Shape,
    /// Values that fit / non-empty values sampled.
    pub share: f64,
    /// Non-empty values sampled.
    pub values: usize,
}

/// The encoding of an export's bytes: `None` for UTF-8 (with or without a BOM), else the
/// detected one (Big5, GBK/GB18030...).
#[must_use]
pub fn encoding(bytes: &[u8]) -> Option<&'static encoding_rs::Encoding> {
    if bytes.starts_with(b"\xEF\xBB\xBF") || std::str::from_utf8(bytes).is_ok() {
        return None;
    }
    let mut detector = chardetng::EncodingDetector::new(chardetng::Iso2022JpDetection::Deny);
    detector.feed(bytes, true);
    let guess = detector.guess(None, chardetng::Utf8Detection::Allow);
    // GBK is read as its superset GB18030.
    Some(if guess == encoding_rs::GBK {
        encoding_rs::GB18030
    } else {
        guess
    })
}

/// The delimiter that splits the first lines into the same number (more than one) of cells.
#[must_use]
pub fn delimiter(lines: &[&str]) -> u8 {
    let mut best = (b',', 0_usize);
    for d in [b',', b';', b'\t', b'|'] {
        let counts: Vec<usize> = lines
            .iter()
            .map(|l| split(l, d).len())
            .filter(|n| *n > 1)
            .collect();
        // The most common count, weighted by how many lines have it.
        let mut score = 0;
        for c in &counts {
            let same = counts.iter().filter(|x| *x == c).count();
            score = score.max(same * c);
        }
        if score > best.1 {
            best = (d, score);
        }
    }
    best.0
}

/// One line split into cells (quotes honoured).
#[must_use]
pub fn split(line: &str, delimiter: u8) -> Vec<String> {
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(false)
        .delimiter(delimiter)
        .flexible(true)
        .from_reader(line.as_bytes());
    reader
        .records()
        .next()
        .and_then(Result::ok)
        .map(|r| r.iter().map(str::to_owned).collect())
        .unwrap_or_default()
}

/// The 0-based index of the header among `lines`: the line whose cells match the most known
/// headers (`known` says whether a cell is one), the first line when none matches two.
#[must_use]
pub fn header_line(lines: &[&str], delimiter: u8, known: &dyn Fn(&str) -> bool) -> usize {
    let mut best = (0, 1_usize);
    for (i, l) in lines.iter().enumerate() {
        let hits = split(l, delimiter).iter().filter(|c| known(c)).count();
        if hits > best.1 {
            best = (i, hits);
        }
    }
    best.0
}

fn fits_datetime(v: &str, f: &str) -> bool {
    NaiveDateTime::parse_from_str(v, f).is_ok()
}

fn fits_date(v: &str, f: &str) -> bool {
    NaiveDate::parse_from_str(v, f).is_ok()
}

fn is_money(v: &str) -> (bool, bool) {
    let plain = regex_lite_money(v, false);
    let grouped = !plain && regex_lite_money(v, true);
    (plain || grouped, grouped)
}

/// `-1234.50`, or with `grouped` `-1,234.50` (groups of three after the first).
fn regex_lite_money(v: &str, grouped: bool) -> bool {
    let v = v.strip_prefix('-').unwrap_or(v);
    let (int, frac) = v.split_once('.').unwrap_or((v, ""));
    if frac.len() > 2 || !frac.chars().all(|c| c.is_ascii_digit()) || v.ends_with('.') {
        return false;
    }
    if grouped {
        let parts: Vec<&str> = int.split(',').collect();
        parts.len() > 1
            && (1..=3).contains(&parts[0].len())
            && parts[1..].iter().all(|p| p.len() == 3)
            && parts.iter().all(|p| p.chars().all(|c| c.is_ascii_digit()))
    } else {
        !int.is_empty() && int.len() <= 13 && int.chars().all(|c| c.is_ascii_digit())
    }
}

/// The true and false words of a column whose distinct values are `distinct`, if they are
/// one pair of [`YES_NO`] (both words, or one of them).
fn yes_no(distinct: &[&str]) -> Option<(String, String)> {
    let same = |a: &str, b: &str| normalize(a) == normalize(b);
    // The partner word in the case the file writes (y -> n, YES -> NO).
    let cased = |like: &str, word: &str| {
        if like.chars().any(char::is_uppercase) && !like.chars().any(char::is_lowercase) {
            word.to_uppercase()
        } else if like.chars().any(char::is_lowercase) && !like.chars().any(char::is_uppercase) {
            word.to_lowercase()
        } else {
            word.to_owned()
        }
    };
    YES_NO.iter().find_map(|(t, f)| {
        let yes = distinct.iter().find(|d| same(d, t));
        let no = distinct.iter().find(|d| same(d, f));
        let known = usize::from(yes.is_some()) + usize::from(no.is_some());
        (known > 0 && known == distinct.len()).then(|| match (yes, no) {
            (Some(y), Some(n)) => ((*y).to_owned(), (*n).to_owned()),
            (Some(y), None) => ((*y).to_owned(), cased(y, f)),
            (None, Some(n)) => (cased(n, t), (*n).to_owned()),
            (None, None) => unreachable!("known > 0"),
        })
    })
}

/// The shape of a column from its values (empty ones skipped).
#[must_use]
pub fn shape(values: &[&str]) -> ColumnShape {
    let values: Vec<&str> = values
        .iter()
        .map(|v| v.trim())
        .filter(|v| !v.is_empty())
        .collect();
    let n = values.len();
    if n == 0 {
        return ColumnShape {
            shape: Shape::Empty,
            share: 0.0,
            values: 0,
        };
    }
    let share = |ok: usize| ok as f64 / n as f64;
    let count = |f: &dyn Fn(&str) -> bool| values.iter().filter(|v| f(v)).count();
    let mut candidates: Vec<(Shape, f64)> = Vec::new();
    // A yes/no pair: at most two distinct words, known as true and false; a column that holds
    // only one of them (every seal applied) gets its partner.
    let mut distinct: Vec<&str> = values.clone();
    distinct.sort_unstable();
    distinct.dedup();
    if let Some((t, f)) = yes_no(&distinct) {
        candidates.push((Shape::YesNo(t, f), 1.0));
    }
    if let Some((f, ok)) = DATETIME_FORMATS
        .iter()
        .map(|f| (*f, count(&|v| fits_datetime(v, f))))
        .max_by_key(|(_, ok)| *ok)
        .filter(|(_, ok)| *ok > 0)
    {
        candidates.push((Shape::DateTime(f), share(ok)));
    }
    if let Some((f, ok)) = DATE_FORMATS
        .iter()
        .map(|f| (*f, count(&|v| fits_date(v, f))))
        .max_by_key(|(_, ok)| *ok)
        .filter(|(_, ok)| *ok > 0)
    {
        candidates.push((Shape::Date(f), share(ok)));
    }
    let ints = count(&|v| {
        v.strip_prefix('-')
            .unwrap_or(v)
            .chars()
            .all(|c| c.is_ascii_digit())
    });
    let money = count(&|v| is_money(v).0);
    let grouped = values.iter().any(|v| is_money(v).1);
    // Whole numbers that are all 8 digits could be dates (20261005): the date wins above.
    if ints > 0 {
        candidates.push((Shape::Integer, share(ints)));
    }
    if money > ints || grouped {
        candidates.push((Shape::Money(grouped), share(money)));
    }
    // The first candidate that fits at least 90% of the values, in the order above (yes/no,
    // timestamps, dates, whole numbers, amounts); else text.
    let best = candidates.into_iter().find(|(_, s)| *s >= 0.9);
    match best {
        Some((found, fit)) => ColumnShape {
            shape: found,
            share: fit,
            values: n,
        },
        None => ColumnShape {
            shape: Shape::Text,
            share: 1.0,
            values: n,
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn s(values: &[&str]) -> Shape {
        shape(values).shape
    }

    #[test]
    fn timestamps_dates_amounts_numbers_and_yes_no_are_told_apart() {
        assert_eq!(
            s(&["2026/10/05 09:12", "2026/10/06 14:03", ""]),
            Shape::DateTime("%Y/%m/%d %H:%M")
        );
        assert_eq!(
            s(&["2026/10/05 09:12:00"]),
            Shape::DateTime("%Y/%m/%d %H:%M:%S")
        );
        assert_eq!(s(&["2026-10-05", "2026-10-31"]), Shape::Date("%Y-%m-%d"));
        // Day first: 25 cannot be a month.
        assert_eq!(s(&["05/10/2026", "25/10/2026"]), Shape::Date("%d/%m/%Y"));
        assert_eq!(s(&["10/25/2026", "10/05/2026"]), Shape::Date("%m/%d/%Y"));
        assert_eq!(s(&["1,234.50", "12.00", "-3.5"]), Shape::Money(true));
        assert_eq!(s(&["1234.50", "12", "-3.5"]), Shape::Money(false));
        assert_eq!(s(&["3", "4", "12"]), Shape::Integer);
        assert_eq!(
            s(&["是", "否", "是"]),
            Shape::YesNo("是".into(), "否".into())
        );
        assert_eq!(s(&["Y", "N"]), Shape::YesNo("Y".into(), "N".into()));
        assert_eq!(s(&["有", "無"]), Shape::YesNo("有".into(), "無".into()));
        // One word of a pair: every seal applied, or none.
        assert_eq!(s(&["是", "是"]), Shape::YesNo("是".into(), "否".into()));
        assert_eq!(s(&["n", "n"]), Shape::YesNo("y".into(), "n".into()));
        assert_eq!(s(&["YES"]), Shape::YesNo("YES".into(), "NO".into()));
        // Words of two pairs are not one pair.
        assert_eq!(s(&["是", "N"]), Shape::Text);
        assert_eq!(s(&["地址變更", "解約"]), Shape::Text);
        assert_eq!(s(&["", " "]), Shape::Empty);
        // Nine in ten is enough; fewer is text.
        let mut v = vec!["2026-10-05"; 9];
        v.push("soon");
        assert_eq!(s(&v), Shape::Date("%Y-%m-%d"));
        v.push("later");
        assert_eq!(s(&v), Shape::Text);
    }

    #[test]
    fn delimiter_and_header_line_are_found() {
        let lines = [
            "保全清單 2026/10",
            "案件編號;保單號碼;受理時間",
            "C1;P1;2026/10/05 09:00",
            "C2;P2;2026/10/05 10:00",
        ];
        assert_eq!(delimiter(&lines), b';');
        let known = |c: &str| {
            super::super::synonyms::lookup(super::super::synonyms::CASE_FIELDS, c).is_some()
        };
        assert_eq!(header_line(&lines, b';', &known), 1);
        assert_eq!(delimiter(&["a,b,c", "1,2,3"]), b',');
        assert_eq!(delimiter(&["a\tb\tc", "1\t2\t3"]), b'\t');
    }

    #[test]
    fn encodings_are_detected() {
        assert_eq!(encoding("案件,保單".as_bytes()), None);
        assert_eq!(encoding(b"\xEF\xBB\xBFcase_id\n"), None);
        let text = "案件編號,保單號碼,受理時間,保全項目,錄入人,複核人\nC1,P1,2026/10/05,地址變更,王小明,陳大文\n".repeat(20);
        let (big5, _, _) = encoding_rs::BIG5.encode(&text);
        assert_eq!(encoding(&big5), Some(encoding_rs::BIG5));
        let simplified = "案件编号,保单号码,受理时间,保全项目,录入人,复核人\nC1,P1,2026/10/05,地址变更,王小明,陈大文\n".repeat(20);
        let (gbk, _, _) = encoding_rs::GB18030.encode(&simplified);
        assert_eq!(encoding(&gbk), Some(encoding_rs::GB18030));
    }
}
