//! The working clock as polars expressions: working time for millions of timestamps in one
//! vectorized pass.
//!
//! [`crate::calendar`] defines the working clock (working seconds since 2000-01-01 00:00, flat
//! outside working time) and computes it for one instant. [`WorkingClock`] computes it for a
//! whole column, from the calendar's [`DayTable`](crate::calendar::DayTable) over the dates the
//! data spans and its working intervals, following the formula documented there:
//!
//! ```text
//! clock(t) = days_before[date(t)] × day_seconds
//!          + (is_working[date(t)] ? Σ_k clamp(seconds_of_day(t) − start_k, 0, end_k − start_k) : 0)
//! ```
//!
//! `date(t)` indexes the table directly (`gather` on the day number minus the table's first
//! day), so there is no join and no per-row Rust code: a handful of integer expressions per
//! timestamp. Results are exact integers of seconds (sub-second parts ignored, as in
//! [`Calendar::working_seconds_at`]); working hours are differences divided by 3600, working
//! days differences divided by [`WorkingClock::day_seconds`].
//!
//! Timestamps are `Datetime(ms)` of local office time (how [`crate::input`] reads them); dates
//! are `Date` and read as their midnight. Instants outside the table's range give null, so a
//! clock is built over the range of the data it will see ([`WorkingClock::covering`]).

use chrono::{Datelike, Duration, NaiveDate};
use polars::prelude::*;

use crate::calendar::Calendar;
use crate::schema::FieldType;

const MS_PER_DAY: i64 = 86_400_000;
const SECONDS_PER_DAY: i64 = 86_400;
/// The prefix of the precomputed clock columns ([`WorkingClock::precompute`]).
const CLOCK_COLUMN_PREFIX: &str = "__wc_";
/// Days from 1970-01-01 (polars' day 0) to 0001-01-01's day count used by chrono.
const UNIX_EPOCH_DAYS_FROM_CE: i64 = 719_163;

/// The working clock of a calendar over a range of dates, as polars expressions.
#[derive(Debug, Clone)]
pub struct WorkingClock {
    calendar: Calendar,
    /// First date of the table.
    first: NaiveDate,
    /// Its day number since 1970-01-01.
    first_day: i64,
    /// Dates in the table.
    len: usize,
    /// Working seconds before each date, since the clock's epoch (Int64), with an empty
    /// entry first and last that stand for every date before and after the range.
    seconds_before: Series,
    /// Whether each date is a working day (Boolean), with the same two extra entries.
    is_working: Series,
    /// Working seconds in a working day.
    day_seconds: i64,
    /// Working intervals as (start, length) in seconds since midnight.
    intervals: Vec<(i64, i64)>,
    /// Fields whose clock is already a column of the frame ([`Self::precompute`]).
    precomputed: Vec<String>,
}

impl WorkingClock {
    /// A clock for instants on the dates `from..=to` (the two are swapped if reversed).
    #[must_use]
    pub fn new(calendar: Calendar, from: NaiveDate, to: NaiveDate) -> Self {
        let (from, to) = if to < from { (to, from) } else { (from, to) };
        let table = calendar.day_table(from, to);
        let minutes_per_day = i64::from(calendar.minutes_per_day());
        let seconds_before: Vec<Option<i64>> = std::iter::once(None)
            .chain(table.minutes_before.iter().map(|m| Some(m * 60)))
            .chain(std::iter::once(None))
            .collect();
        let is_working: Vec<bool> = std::iter::once(false)
            .chain(table.is_working.iter().copied())
            .chain(std::iter::once(false))
            .collect();
        let intervals = calendar
            .intervals()
            .iter()
            .map(|&(s, e)| (i64::from(s) * 60, i64::from(e - s) * 60))
            .collect();
        Self {
            first: from,
            first_day: i64::from(from.num_days_from_ce()) - UNIX_EPOCH_DAYS_FROM_CE,
            len: table.len(),
            seconds_before: Series::new("seconds_before".into(), seconds_before),
            is_working: Series::new("is_working".into(), is_working),
            day_seconds: minutes_per_day * 60,
            intervals,
            calendar,
            precomputed: Vec::new(),
        }
    }

    /// The column holding the clock of a field, once [`Self::precompute`]d.
    #[must_use]
    pub fn column_name(field: &str) -> String {
        format!("{CLOCK_COLUMN_PREFIX}{field}")
    }

    /// Whether a column is one of [`Self::precompute`]'s clock columns.
    #[must_use]
    pub fn is_clock_column(name: &str) -> bool {
        name.starts_with(CLOCK_COLUMN_PREFIX)
    }

    /// A clock whose [`field_seconds`](Self::field_seconds) of `fields` reads a column
    /// instead of computing the clock again, and the expressions computing those columns
    /// (to add to the frame first). Rules that take the larger or smaller of several
    /// clocks repeat them; computed once, each costs one pass.
    #[must_use]
    pub fn precompute(&self, fields: &[(String, FieldType)]) -> (Self, Vec<Expr>) {
        let mut clock = self.clone();
        let mut exprs = Vec::new();
        for (field, ty) in fields {
            if clock.precomputed.contains(field) {
                continue;
            }
            exprs.push(
                self.field_seconds(field, *ty)
                    .alias(Self::column_name(field).as_str()),
            );
            clock.precomputed.push(field.clone());
        }
        (clock, exprs)
    }

    /// A clock covering every date and timestamp column of `frames` and the `extra` dates
    /// (e.g. an as-of date), with a day of margin on each side. With no dates at all it
    /// covers 2000-01-01 only.
    pub fn covering(
        calendar: Calendar,
        frames: &[&DataFrame],
        extra: &[NaiveDate],
    ) -> PolarsResult<Self> {
        let mut low: Option<i64> = None;
        let mut high: Option<i64> = None;
        let mut see = |d: i64| {
            low = Some(low.map_or(d, |l| l.min(d)));
            high = Some(high.map_or(d, |h| h.max(d)));
        };
        for df in frames {
            let mut exprs = Vec::new();
            for (name, dtype) in df.schema().iter() {
                if matches!(dtype, DataType::Date | DataType::Datetime(_, _)) {
                    // The day number is monotone: the day of the extreme is the extreme day
                    // (one min and max per column, then two divisions).
                    let c = col(name.clone());
                    exprs.push(
                        day_number(c.clone().min(), dtype).alias(format!("lo{}", exprs.len())),
                    );
                    exprs.push(day_number(c.max(), dtype).alias(format!("hi{}", exprs.len())));
                }
            }
            if exprs.is_empty() {
                continue;
            }
            let row = (*df).clone().lazy().select(exprs).collect()?;
            for c in row.columns() {
                if let Ok(Some(v)) = c.get(0).map(|v| v.extract::<i64>()) {
                    see(v);
                }
            }
        }
        for d in extra {
            see(i64::from(d.num_days_from_ce()) - UNIX_EPOCH_DAYS_FROM_CE);
        }
        let date = |n: i64| {
            i32::try_from(n + UNIX_EPOCH_DAYS_FROM_CE)
                .ok()
                .and_then(NaiveDate::from_num_days_from_ce_opt)
                .unwrap_or(NaiveDate::MIN)
        };
        let default = i64::from(
            NaiveDate::from_ymd_opt(2000, 1, 1)
                .expect("date")
                .num_days_from_ce(),
        ) - UNIX_EPOCH_DAYS_FROM_CE;
        let from = date(low.unwrap_or(default) - 1);
        let to = date(high.unwrap_or(default) + 1);
        Ok(Self::new(calendar, from, to))
    }

    /// The calendar.
    #[must_use]
    pub fn calendar(&self) -> &Calendar {
        &self.calendar
    }

    /// Working seconds in a working day (27,000 for the default 7.5 hours).
    #[must_use]
    pub fn day_seconds(&self) -> i64 {
        self.day_seconds
    }

    /// The dates the clock covers.
    #[must_use]
    pub fn range(&self) -> (NaiveDate, NaiveDate) {
        (self.first, self.first + Duration::days(self.len as i64 - 1))
    }

    /// The working clock (Int64 seconds since 2000-01-01 00:00) at the instants of `t`, a
    /// `Datetime` or `Date` expression of type `ty`: null where `t` is null or outside the
    /// clock's range.
    pub fn seconds(&self, t: Expr, ty: FieldType) -> Expr {
        let ms = match ty {
            FieldType::Date => t.cast(DataType::Int32).cast(DataType::Int64) * lit(MS_PER_DAY),
            _ => t.cast(DataType::Int64),
        };
        self.seconds_from_ms(ms)
    }

    /// [`seconds`](Self::seconds) of a field.
    pub fn field_seconds(&self, field: &str, ty: FieldType) -> Expr {
        if self.precomputed.iter().any(|f| f == field) {
            return col(Self::column_name(field).as_str());
        }
        self.seconds(col(field), ty)
    }

    /// The clock at one instant, as a literal (computed by the scalar calendar).
    pub fn seconds_at(&self, at: chrono::NaiveDateTime) -> Expr {
        lit(self.calendar.working_seconds_at(at))
    }

    /// The clock at instants given as Int64 milliseconds since 1970-01-01 00:00 local time.
    pub fn seconds_from_ms(&self, ms: Expr) -> Expr {
        let seconds = ms.floor_div(lit(1000_i64));
        let day = seconds.clone().floor_div(lit(SECONDS_PER_DAY));
        let second_of_day = seconds - day.clone() * lit(SECONDS_PER_DAY);
        // The tables' first and last entries (empty) stand for the days outside the range, so
        // the clock is null there without a range test.
        let index = (day - lit(self.first_day - 1))
            .clip(lit(0_i64), lit(self.len as i64 + 1))
            .cast(IDX_DTYPE);
        let before = lit(self.seconds_before.clone()).gather(index.clone(), false);
        let working = lit(self.is_working.clone()).gather(index, false);
        let elapsed = self
            .intervals
            .iter()
            .map(|&(start, length)| {
                (second_of_day.clone() - lit(start)).clip(lit(0_i64), lit(length))
            })
            .reduce(|a, b| a + b)
            .unwrap_or(lit(0_i64));
        before + when(working).then(elapsed).otherwise(lit(0_i64))
    }
}

/// Day number since 1970-01-01 of a `Date` or `Datetime` column (floor for times).
fn day_number(e: Expr, dtype: &DataType) -> Expr {
    match dtype {
        DataType::Date => e.cast(DataType::Int32).cast(DataType::Int64),
        _ => e.cast(DataType::Int64).floor_div(lit(MS_PER_DAY)),
    }
}

/// The larger of two expressions (null if either is null).
pub fn emax(a: Expr, b: Expr) -> Expr {
    when(a.clone().gt_eq(b.clone()))
        .then(a.clone())
        .when(a.is_not_null().and(b.clone().is_not_null()))
        .then(b)
        .otherwise(lit(NULL))
}

/// The smaller of two expressions (null if either is null).
pub fn emin(a: Expr, b: Expr) -> Expr {
    when(a.clone().lt_eq(b.clone()))
        .then(a.clone())
        .when(a.is_not_null().and(b.clone().is_not_null()))
        .then(b)
        .otherwise(lit(NULL))
}

/// The length of `[lo, hi]`, 0 when empty or reversed (null if either end is null).
pub fn span_len(lo: Expr, hi: Expr) -> Expr {
    (hi - lo).clip_min(lit(0_i64))
}

/// Working time to hours (Float64).
pub fn hours(seconds: Expr) -> Expr {
    seconds.cast(DataType::Float64) / lit(3600.0)
}

#[cfg(test)]
mod tests {
    use chrono::{NaiveDateTime, Timelike};

    use super::*;
    use crate::calendar::CalendarSpec;

    /// The October 2026 calendar of SCHEMA.md and fixtures/demo: default hours (09:00-12:00,
    /// 13:00-17:30 = 7.5 h), holidays Thu 10-01 and Fri 10-02, make-up Saturday 10-10.
    fn october() -> Calendar {
        Calendar::from_spec(&CalendarSpec {
            holidays: vec!["2026-10-01".into(), "2026-10-02".into()],
            extra_working_days: vec!["2026-10-10".into()],
            ..CalendarSpec::default()
        })
        .unwrap()
    }

    fn at(s: &str) -> NaiveDateTime {
        NaiveDateTime::parse_from_str(s, "%Y-%m-%d %H:%M:%S")
            .or_else(|_| NaiveDateTime::parse_from_str(s, "%Y-%m-%d %H:%M"))
            .unwrap()
    }

    fn ms(t: NaiveDateTime) -> i64 {
        t.and_utc().timestamp_millis()
    }

    /// A frame with one `Datetime(ms)` column `t` of these milliseconds (None: empty).
    fn instants_frame(values: Vec<Option<i64>>) -> DataFrame {
        df!("t" => values)
            .unwrap()
            .lazy()
            .with_column(col("t").cast(DataType::Datetime(TimeUnit::Milliseconds, None)))
            .collect()
            .unwrap()
    }

    /// The clock column `c` of a result, every value present.
    fn clock_values(out: &DataFrame) -> Vec<i64> {
        out.column("c")
            .unwrap()
            .i64()
            .unwrap()
            .iter()
            .map(Option::unwrap)
            .collect()
    }

    /// A frame of (from, to) timestamps as Datetime(ms), with the working hours and days
    /// between them computed by the vectorized clock.
    fn between(cal: &Calendar, pairs: &[(&str, &str)]) -> (Vec<f64>, Vec<f64>) {
        let from: Vec<i64> = pairs.iter().map(|p| ms(at(p.0))).collect();
        let to: Vec<i64> = pairs.iter().map(|p| ms(at(p.1))).collect();
        let dt = DataType::Datetime(TimeUnit::Milliseconds, None);
        let df = df!("from" => from, "to" => to)
            .unwrap()
            .lazy()
            .with_columns([col("from").cast(dt.clone()), col("to").cast(dt)])
            .collect()
            .unwrap();
        let clock = WorkingClock::covering(cal.clone(), &[&df], &[]).unwrap();
        let diff = clock.field_seconds("to", FieldType::DateTime)
            - clock.field_seconds("from", FieldType::DateTime);
        let out = df
            .lazy()
            .select([
                hours(diff.clone()).alias("h"),
                (diff.cast(DataType::Float64) / lit(clock.day_seconds() as f64)).alias("d"),
            ])
            .collect()
            .unwrap();
        let get = |n: &str| -> Vec<f64> {
            out.column(n)
                .unwrap()
                .f64()
                .unwrap()
                .iter()
                .map(Option::unwrap)
                .collect()
        };
        (get("h"), get("d"))
    }

    #[test]
    fn hand_computed_working_hours_across_lunch_nights_weekends_holidays_and_make_up_days() {
        let cases: &[(&str, &str, f64, &str)] = &[
            // Mon 11:00 -> 14:00: 11-12 and 13-14, the lunch hour does not count.
            ("2026-09-28 11:00", "2026-09-28 14:00", 2.0, "lunch"),
            // Fri 17:00 -> Mon 09:30: 17:00-17:30 + weekend 0 + 09:00-09:30.
            (
                "2026-09-25 17:00",
                "2026-09-28 09:30",
                1.0,
                "night and weekend",
            ),
            // Wed 17:00 -> Mon 09:30: 0.5 + Thu/Fri holidays 0 + weekend 0 + 0.5.
            ("2026-09-30 17:00", "2026-10-05 09:30", 1.0, "holidays"),
            // Fri 16:30 -> Mon 10:00: 1 (16:30-17:30) + 7.5 (make-up Sat 10-10) + 0 (Sun) + 1.
            (
                "2026-10-09 16:30",
                "2026-10-12 10:00",
                9.5,
                "make-up Saturday",
            ),
            // Tue 07:00 -> 08:30: both before opening.
            (
                "2026-10-06 07:00",
                "2026-10-06 08:30",
                0.0,
                "before opening",
            ),
            // Tue 19:00 -> Wed 08:00: closed all night.
            ("2026-10-06 19:00", "2026-10-07 08:00", 0.0, "overnight"),
            // Tue 12:15 (lunch) -> 13:15: only 13:00-13:15.
            ("2026-10-06 12:15", "2026-10-06 13:15", 0.25, "from lunch"),
            // Sun 10:00 -> Mon 10:00: only Mon 09:00-10:00.
            ("2026-10-04 10:00", "2026-10-05 10:00", 1.0, "from a Sunday"),
            // Thu 10:00 -> Fri 15:00, both holidays.
            (
                "2026-10-01 10:00",
                "2026-10-02 15:00",
                0.0,
                "within holidays",
            ),
            // Sat 10-03 (not a make-up day) 10:00 -> Sat 10-10 (make-up) 10:00:
            // Mon-Fri 10-05..10-09 = 5 x 7.5 = 37.5, Sat 10-10 09:00-10:00 = 1.
            (
                "2026-10-03 10:00",
                "2026-10-10 10:00",
                38.5,
                "plain vs make-up Saturday",
            ),
            // 30 seconds inside working time.
            (
                "2026-09-28 09:00:30",
                "2026-09-28 09:01:00",
                30.0 / 3600.0,
                "seconds",
            ),
            // Reversed: negative.
            ("2026-09-28 14:00", "2026-09-28 11:00", -2.0, "reversed"),
            // 17:30 is the end of the day: 17:30 -> 09:00 next day is nothing.
            (
                "2026-10-06 17:30",
                "2026-10-07 09:00",
                0.0,
                "closing to opening",
            ),
        ];
        let pairs: Vec<(&str, &str)> = cases.iter().map(|c| (c.0, c.1)).collect();
        let (got, _) = between(&october(), &pairs);
        for (case, h) in cases.iter().zip(got) {
            assert!(
                (h - case.2).abs() < 1e-12,
                "{}: {h} (want {})",
                case.3,
                case.2
            );
        }
    }

    #[test]
    fn hand_computed_working_days() {
        let (_, days) = between(
            &october(),
            &[
                // Mon 09-28 -> Mon 10-05: Mon, Tue, Wed worked, Thu/Fri holidays = 3.
                ("2026-09-28 09:00", "2026-10-05 09:00"),
                // Mon 10-05 -> Mon 10-12: Mon-Fri + make-up Sat = 6.
                ("2026-10-05 09:00", "2026-10-12 09:00"),
                // Mon 09:00 -> 13:45: 3 + 0.75 of 7.5 hours = 0.5 day.
                ("2026-10-05 09:00", "2026-10-05 13:45"),
                // Fri 17:30 -> Mon 09:00: nothing.
                ("2026-10-09 17:30", "2026-10-10 09:00"),
            ],
        );
        assert_eq!(days, [3.0, 6.0, 0.5, 0.0]);
    }

    #[test]
    fn dates_read_as_their_midnight() {
        let d = |s: &str| NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap();
        let days: Vec<i32> = ["2026-10-05", "2026-10-12", "2026-09-28"]
            .iter()
            .map(|s| (d(s) - d("1970-01-01")).num_days() as i32)
            .collect();
        let df = df!("d" => days)
            .unwrap()
            .lazy()
            .with_column(col("d").cast(DataType::Date))
            .collect()
            .unwrap();
        let clock = WorkingClock::covering(october(), &[&df], &[]).unwrap();
        let out = df
            .lazy()
            .select([clock.field_seconds("d", FieldType::Date).alias("c")])
            .collect()
            .unwrap();
        let c = clock_values(&out);
        // 10-05 -> 10-12: 6 working days x 27,000 s; 09-28 -> 10-05: 3 working days.
        assert_eq!(c[1] - c[0], 6 * 27_000);
        assert_eq!(c[0] - c[2], 3 * 27_000);
    }

    /// The vectorized clock equals the scalar one on every 7th minute (plus 13 seconds, so that
    /// seconds are exercised) of three weeks around the holidays and the make-up day, and in a
    /// second calendar with three intervals, Saturdays and a 24:00 end.
    #[test]
    fn vectorized_clock_agrees_with_the_scalar_calendar() {
        let three_shifts = Calendar::from_spec(&CalendarSpec {
            working_days: ["mon", "tue", "wed", "thu", "fri", "sat"]
                .map(String::from)
                .to_vec(),
            working_hours: vec![
                ["06:30".into(), "11:00".into()],
                ["11:00".into(), "14:15".into()],
                ["20:00".into(), "24:00".into()],
            ],
            holidays: vec!["2026-10-03".into()],
            extra_working_days: vec!["2026-10-11".into()],
        })
        .unwrap();
        for cal in [october(), three_shifts] {
            let start = at("2026-09-24 00:00:13");
            let instants: Vec<NaiveDateTime> = (0..(21 * 24 * 60 / 7))
                .map(|i| start + Duration::minutes(7 * i))
                .collect();
            let df = instants_frame(instants.iter().map(|t| Some(ms(*t))).collect());
            let clock = WorkingClock::covering(cal.clone(), &[&df], &[]).unwrap();
            let out = df
                .lazy()
                .select([clock.field_seconds("t", FieldType::DateTime).alias("c")])
                .collect()
                .unwrap();
            let got = clock_values(&out);
            assert_eq!(got.len(), 4320);
            for (t, c) in instants.iter().zip(got) {
                assert_eq!(c, cal.working_seconds_at(*t), "at {t} ({}s)", t.second());
            }
        }
    }

    /// A precomputed clock reads the column it was given instead of computing again, and
    /// the column holds the same values the clock computes (checked against the scalar
    /// calendar on the hand-picked instants of the first test).
    #[test]
    fn precomputed_clock_columns_hold_the_clock_and_are_read_back() {
        let cal = october();
        let times = ["2026-09-28 11:00", "2026-10-09 16:30", "2026-10-10 10:00"];
        let df = instants_frame(times.iter().map(|t| Some(ms(at(t)))).collect());
        let clock = WorkingClock::covering(cal.clone(), &[&df], &[]).unwrap();
        let (pre, exprs) = clock.precompute(&[("t".into(), FieldType::DateTime)]);
        assert_eq!(exprs.len(), 1);
        assert_eq!(
            pre.field_seconds("t", FieldType::DateTime),
            col(WorkingClock::column_name("t").as_str())
        );
        let out = df
            .lazy()
            .with_columns(exprs)
            .select([pre.field_seconds("t", FieldType::DateTime).alias("c")])
            .collect()
            .unwrap();
        let got = clock_values(&out);
        let want: Vec<i64> = times
            .iter()
            .map(|t| cal.working_seconds_at(at(t)))
            .collect();
        assert_eq!(got, want);
    }

    #[test]
    fn nulls_and_instants_outside_the_range_give_null() {
        let clock = WorkingClock::new(
            october(),
            NaiveDate::from_ymd_opt(2026, 10, 1).unwrap(),
            NaiveDate::from_ymd_opt(2026, 10, 31).unwrap(),
        );
        let inside = ms(at("2026-10-05 10:00"));
        let before = ms(at("2026-09-30 10:00"));
        let after = ms(at("2026-11-01 00:00"));
        // The range's first and last days are inside; years away is outside too.
        let first = ms(at("2026-10-01 09:30"));
        let last = ms(at("2026-10-31 23:59"));
        let far = [ms(at("1990-01-02 10:00")), ms(at("2100-06-01 10:00"))];
        let df = instants_frame(vec![
            Some(inside),
            None,
            Some(before),
            Some(after),
            Some(first),
            Some(last),
            Some(far[0]),
            Some(far[1]),
        ]);
        let out = df
            .lazy()
            .select([clock.field_seconds("t", FieldType::DateTime).alias("c")])
            .collect()
            .unwrap();
        let c: Vec<Option<i64>> = out.column("c").unwrap().i64().unwrap().iter().collect();
        assert_eq!(
            c,
            [
                Some(october().working_seconds_at(at("2026-10-05 10:00"))),
                None,
                None,
                None,
                Some(october().working_seconds_at(at("2026-10-01 09:30"))),
                Some(october().working_seconds_at(at("2026-10-31 23:59"))),
                None,
                None,
            ]
        );
        assert_eq!(
            clock.range(),
            (
                NaiveDate::from_ymd_opt(2026, 10, 1).unwrap(),
                NaiveDate::from_ymd_opt(2026, 10, 31).unwrap()
            )
        );
    }

    #[test]
    fn covering_spans_every_temporal_column_and_the_extra_dates() {
        let df = df!(
            "a" => [ms(at("2026-10-05 10:00"))],
            "b" => [ms(at("2026-12-24 10:00"))],
        )
        .unwrap()
        .lazy()
        .with_columns([
            col("a").cast(DataType::Datetime(TimeUnit::Milliseconds, None)),
            col("b").cast(DataType::Datetime(TimeUnit::Milliseconds, None)),
        ])
        .collect()
        .unwrap();
        let d = |s: &str| NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap();
        let clock = WorkingClock::covering(october(), &[&df], &[d("2027-01-04")]).unwrap();
        assert_eq!(clock.range(), (d("2026-10-04"), d("2027-01-05")));
    }

    #[test]
    fn min_max_and_span_helpers_handle_nulls() {
        let df = df!("a" => [Some(1_i64), Some(5), None], "b" => [Some(3_i64), Some(2), Some(4)])
            .unwrap();
        let out = df
            .lazy()
            .select([
                emax(col("a"), col("b")).alias("max"),
                emin(col("a"), col("b")).alias("min"),
                span_len(col("a"), col("b")).alias("len"),
            ])
            .collect()
            .unwrap();
        let get = |n: &str| -> Vec<Option<i64>> {
            out.column(n).unwrap().i64().unwrap().iter().collect()
        };
        assert_eq!(get("max"), [Some(3), Some(5), None]);
        assert_eq!(get("min"), [Some(1), Some(2), None]);
        assert_eq!(get("len"), [Some(2), Some(0), None]);
    }
}
