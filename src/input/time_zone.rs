//! Timestamps with a UTC offset (`2010-12-30T11:02:00.000+01:00`, `2026-10-05T01:30:00Z`),
//! as event logs and system exports write them, converted to office time.
//!
//! A timestamp field holds local office time. A value with an offset is the instant it names:
//! it is converted to the office time zone (the `office_time_zone` setting, an IANA name read
//! with the tz database of chrono-tz; unset, UTC), daylight-saving changes included, never
//! read at the wall time of its own offset. A value without one is office-local as it is. One
//! column mixing both is a data finding for each value without an offset (it is still read,
//! as office-local): the export does not say which zone those are in.
//!
//! The conversion is one polars expression per column: the offset is parsed from the text,
//! and the office zone's offset at each instant is a chain of `when` over the zone's
//! transitions inside the column's range (found with chrono-tz, a few a year).

use chrono::{DateTime, Offset, TimeZone};
use chrono_tz::Tz;
use polars::prelude::*;

/// The end of a timestamp that carries an offset: a time, then `Z` or `+hh:mm` / `+hhmm` /
/// `+hh`. (A date alone never matches: `2026-10-05` does not end in an offset.)
pub(crate) const OFFSET_END: &str =
    r"[T ]\d{2}:\d{2}(?::\d{2}(?:[.,]\d+)?)?\s*(?:Z|z|[+-]\d{2}(?::?\d{2})?)$";

/// The offset part of the text, for extraction: sign, hours, minutes (or `Z`).
pub(crate) const OFFSET_PARTS: &str = r"(?:(Z|z)|([+-])(\d{2}):?(\d{2})?)$";

/// Whether the (trimmed) text ends in a UTC offset.
pub fn has_offset(text: Expr) -> Expr {
    text.str()
        .contains(lit(OFFSET_END), true)
        .fill_null(lit(false))
}

/// The offset of the text in milliseconds east of UTC (`Z`: 0); null without one.
pub fn offset_ms(text: &Expr) -> Expr {
    let part = |g: usize| text.clone().str().extract(lit(OFFSET_PARTS), g);
    let hours = part(3).cast(DataType::Int64);
    let minutes = part(4).cast(DataType::Int64).fill_null(lit(0_i64));
    let sign = when(part(2).eq(lit("-")))
        .then(lit(-1_i64))
        .otherwise(lit(1_i64));
    when(has_offset(text.clone()).not())
        .then(lit(NULL).cast(DataType::Int64))
        .when(part(1).is_not_null())
        .then(lit(0_i64))
        .otherwise(sign * (hours * lit(3_600_000_i64) + minutes * lit(60_000_i64)))
}

/// The milliseconds of a timestamp's fraction of a second (`.5` -> 500, `.123456` -> 123), 0
/// without one.
pub fn fraction_ms(text: Expr) -> Expr {
    let digits = text
        .str()
        .extract(lit(r"\d{2}:\d{2}:\d{2}[.,](\d{1,9})"), 1)
        .str()
        .slice(lit(0), lit(3));
    let scale = when(digits.clone().str().len_chars().eq(lit(1_u32)))
        .then(lit(100_i64))
        .when(digits.clone().str().len_chars().eq(lit(2_u32)))
        .then(lit(10_i64))
        .otherwise(lit(1_i64));
    (digits.cast(DataType::Int64) * scale).fill_null(lit(0_i64))
}

/// The zone's offset from UTC (milliseconds) at each transition between `from_ms` and
/// `to_ms` (UTC instants): the offset before the range, then `(instant, offset from it on)`.
#[must_use]
pub fn transitions(tz: Tz, from_ms: i64, to_ms: i64) -> (i64, Vec<(i64, i64)>) {
    let offset_at = |ms: i64| -> i64 {
        let utc = DateTime::from_timestamp_millis(ms).unwrap_or_default();
        i64::from(
            tz.offset_from_utc_datetime(&utc.naive_utc())
                .fix()
                .local_minus_utc(),
        ) * 1000
    };
    let hour = 3_600_000;
    let start = from_ms - 24 * hour;
    let end = to_ms + 24 * hour;
    let first = offset_at(start);
    let mut out = Vec::new();
    let mut current = first;
    let mut t = start;
    while t < end {
        let next = (t + hour).min(end);
        let o = offset_at(next);
        if o != current {
            // The change is in (t, next]: the first second with the new offset.
            let (mut lo, mut hi) = (t, next);
            while hi - lo > 1000 {
                let mid = lo + (hi - lo) / 2;
                if offset_at(mid) == current {
                    lo = mid;
                } else {
                    hi = mid;
                }
            }
            out.push((hi, o));
            current = o;
        }
        t = next;
    }
    (first, out)
}

/// Office-local milliseconds from UTC milliseconds, with the zone's transitions.
pub fn to_office(utc_ms: Expr, first: i64, changes: &[(i64, i64)]) -> Expr {
    let mut offset = lit(first);
    for (at, o) in changes {
        offset = when(utc_ms.clone().gt_eq(lit(*at)))
            .then(lit(*o))
            .otherwise(offset);
    }
    utc_ms + offset
}

#[cfg(test)]
mod tests {
    use super::*;

    fn eval(values: &[&str], e: impl Fn(Expr) -> Expr) -> Vec<Option<i64>> {
        let df = df!("t" => values).unwrap();
        let out = df
            .lazy()
            .select([e(col("t")).alias("x")])
            .collect()
            .unwrap();
        out.column("x")
            .unwrap()
            .cast(&DataType::Int64)
            .unwrap()
            .i64()
            .unwrap()
            .iter()
            .collect()
    }

    #[test]
    fn offsets_are_read_from_the_end_of_a_timestamp_only() {
        let v = [
            "2010-12-30T11:02:00.000+01:00",
            "2026-10-05T01:30:00Z",
            "2026-10-05 09:00:00-0530",
            "2026-10-05 09:00+08",
            "2026-10-05 09:00:00",
            "2026-10-05",
            "2026-10-05T09:00:00 +02:00",
        ];
        let h = 3_600_000;
        assert_eq!(
            eval(&v, |e| offset_ms(&e)),
            [
                Some(h),
                Some(0),
                Some(-(5 * h + h / 2)),
                Some(8 * h),
                None,
                None,
                Some(2 * h)
            ]
        );
        assert_eq!(
            eval(
                &[
                    "2026-10-05 09:00:00.5",
                    "2026-10-05 09:00:00.123456",
                    "09:00:00"
                ],
                fraction_ms
            ),
            [Some(500), Some(123), Some(0)]
        );
    }

    #[test]
    fn amsterdam_changes_offset_twice_a_year_at_one_utc() {
        // 2026: summer time from 29 March 01:00 UTC, winter time from 25 October 01:00 UTC
        // (EU rule: the last Sundays of March and October).
        let ms = |s: &str| {
            chrono::NaiveDateTime::parse_from_str(s, "%Y-%m-%d %H:%M:%S")
                .unwrap()
                .and_utc()
                .timestamp_millis()
        };
        let (first, changes) = transitions(
            chrono_tz::Europe::Amsterdam,
            ms("2026-01-10 00:00:00"),
            ms("2026-12-20 00:00:00"),
        );
        let h = 3_600_000;
        assert_eq!(first, h);
        assert_eq!(
            changes,
            [
                (ms("2026-03-29 01:00:00"), 2 * h),
                (ms("2026-10-25 01:00:00"), h)
            ]
        );
        // Taipei has had no change since 1979.
        let (first, changes) = transitions(
            chrono_tz::Asia::Taipei,
            ms("2020-01-01 00:00:00"),
            ms("2026-12-31 00:00:00"),
        );
        assert_eq!((first, changes.len()), (8 * h, 0));
    }
}
