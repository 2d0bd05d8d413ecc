//! Working time for the generator: the office calendar of the generated period, placing
//! timestamps inside working hours, and the pattern of arrivals over days and hours.
//!
//! Every timestamp the generator writes is an instant inside the working hours of a working
//! day (an interval's end, e.g. 12:00:00 or 17:30:00, counts as inside). Durations between
//! stages are drawn in **working seconds** and laid out with
//! [`Calendar::add_working_hours`], so a wait that starts on Friday afternoon resumes on
//! Monday morning and skips holidays, as in the office.
//!
//! Randomness here and everywhere in the generator uses only operations whose result IEEE 754
//! fixes to the bit (`+ - * /`, `sqrt`, comparisons), never `ln`/`exp`/`powf`, whose last bit
//! depends on the platform's maths library: the same seed gives the same files on any machine.

use chrono::{Datelike, Duration, NaiveDate, NaiveDateTime, NaiveTime, Weekday};
use rand::RngExt;
use rand_chacha::ChaCha8Rng;

use crate::calendar::{Calendar, CalendarSpec};

/// The fixed-date public holidays of the default calendar, as (month, day).
pub const DEFAULT_HOLIDAYS: [(u32, u32); 6] =
    [(1, 1), (5, 1), (10, 1), (10, 2), (12, 25), (12, 26)];

/// The default calendar for a period: the office of SCHEMA.md's example (Monday-Friday,
/// 09:00-12:00 and 13:00-17:30) with the holidays of [`DEFAULT_HOLIDAYS`] in every year from
/// `first` to `last`, and one make-up working day a year, the second Saturday on or after
/// 1 October (for 2026: holidays 2026-10-01 and 2026-10-02, make-up day Saturday 2026-10-10,
/// exactly SCHEMA.md's example).
#[must_use]
pub fn default_spec(first: NaiveDate, last: NaiveDate) -> CalendarSpec {
    let mut holidays = Vec::new();
    let mut extra = Vec::new();
    for year in first.year()..=last.year() {
        for (m, d) in DEFAULT_HOLIDAYS {
            if let Some(date) = NaiveDate::from_ymd_opt(year, m, d) {
                holidays.push(date.to_string());
            }
        }
        let oct1 = NaiveDate::from_ymd_opt(year, 10, 1).expect("1 October exists");
        let to_sat =
            (7 + Weekday::Sat.num_days_from_monday() - oct1.weekday().num_days_from_monday()) % 7;
        let second_sat = oct1 + Duration::days(i64::from(to_sat) + 7);
        extra.push(second_sat.to_string());
    }
    CalendarSpec {
        holidays,
        extra_working_days: extra,
        ..CalendarSpec::default()
    }
}

/// `calendar.yaml` text for a spec, in the layout of SCHEMA.md.
#[must_use]
pub fn spec_yaml(spec: &CalendarSpec, comment: &str) -> String {
    let list = |v: &[String]| v.join(", ");
    let hours: Vec<String> = spec
        .working_hours
        .iter()
        .map(|[a, b]| format!("[\"{a}\", \"{b}\"]"))
        .collect();
    format!(
        "# {comment}\nworking_days: [{}]\nworking_hours: [{}]\nholidays: [{}]\nextra_working_days: [{}]\n",
        list(&spec.working_days),
        hours.join(", "),
        list(&spec.holidays),
        list(&spec.extra_working_days),
    )
}

/// The calendar with the helpers the generator needs.
#[derive(Debug, Clone)]
pub struct WorkClock {
    /// The validated calendar.
    pub cal: Calendar,
    /// Working seconds in a working day.
    pub day_seconds: i64,
}

impl WorkClock {
    /// Wraps a calendar.
    #[must_use]
    pub fn new(cal: Calendar) -> Self {
        let day_seconds = i64::from(cal.minutes_per_day()) * 60;
        Self { cal, day_seconds }
    }

    /// `ts` moved forward by `secs` working seconds (`secs >= 0`). From outside working time
    /// the walk starts at the next working instant; a positive move never ends in a break
    /// (it stops at an interval's end rather than the next one's start).
    #[must_use]
    pub fn after(&self, ts: NaiveDateTime, secs: i64) -> NaiveDateTime {
        if secs <= 0 {
            return self.first_working_instant(ts);
        }
        self.cal.add_working_hours(ts, secs as f64 / 3600.0)
    }

    /// `ts` itself when it lies in working time, else the next working interval's start.
    #[must_use]
    pub fn first_working_instant(&self, ts: NaiveDateTime) -> NaiveDateTime {
        let mut day = ts.date();
        let mut from = ts.time();
        loop {
            if self.cal.is_working_day(day) {
                for &(a, b) in self.cal.intervals() {
                    let end = minutes_time(b);
                    if from <= end {
                        let start = minutes_time(a);
                        return day.and_time(from.max(start));
                    }
                }
            }
            day = day.succ_opt().expect("date in range");
            from = NaiveTime::MIN;
        }
    }

    /// Working seconds from `a` to `b` (negative when `b` is before `a`).
    #[must_use]
    pub fn between(&self, a: NaiveDateTime, b: NaiveDateTime) -> i64 {
        self.cal.working_seconds_at(b) - self.cal.working_seconds_at(a)
    }

    /// The instant `secs` working seconds (`0 <= secs <= day_seconds`) into working day `day`.
    #[must_use]
    pub fn office_time(&self, day: NaiveDate, secs: i64) -> NaiveDateTime {
        debug_assert!(self.cal.is_working_day(day), "{day} is not a working day");
        let mut left = secs.clamp(0, self.day_seconds);
        let intervals = self.cal.intervals();
        for (i, &(a, b)) in intervals.iter().enumerate() {
            let len = i64::from(b - a) * 60;
            if left <= len || i + 1 == intervals.len() {
                let s = i64::from(a) * 60 + left.min(len);
                return day.and_time(seconds_time(s));
            }
            left -= len;
        }
        unreachable!("a calendar has at least one interval")
    }

    /// The end of working day `day`'s last interval.
    #[must_use]
    pub fn end_of_day(&self, day: NaiveDate) -> NaiveDateTime {
        let &(_, b) = self.cal.intervals().last().expect("an interval");
        day.and_time(minutes_time(b))
    }

    /// A uniformly drawn working instant between `a` and `b` (inclusive); `a` when `b <= a`.
    pub fn uniform_between(
        &self,
        rng: &mut ChaCha8Rng,
        a: NaiveDateTime,
        b: NaiveDateTime,
    ) -> NaiveDateTime {
        let span = self.between(a, b);
        if span <= 0 {
            return a;
        }
        self.after(a, rng.random_range(0..=span))
    }

    /// The first working day on or after `day`.
    #[must_use]
    pub fn working_day_from(&self, mut day: NaiveDate) -> NaiveDate {
        while !self.cal.is_working_day(day) {
            day = day.succ_opt().expect("date in range");
        }
        day
    }

    /// The working days of `[first, last]`.
    #[must_use]
    pub fn working_days(&self, first: NaiveDate, last: NaiveDate) -> Vec<NaiveDate> {
        first
            .iter_days()
            .take_while(|d| *d <= last)
            .filter(|d| self.cal.is_working_day(*d))
            .collect()
    }
}

fn minutes_time(m: u32) -> NaiveTime {
    if m >= 24 * 60 {
        // "24:00" ends a day: the last representable second of it.
        return NaiveTime::from_hms_opt(23, 59, 59).expect("valid");
    }
    NaiveTime::from_hms_opt(m / 60, m % 60, 0).expect("valid")
}

fn seconds_time(s: i64) -> NaiveTime {
    let s = s.clamp(0, 24 * 3600 - 1) as u32;
    NaiveTime::from_num_seconds_from_midnight_opt(s, 0).expect("valid")
}

/// Relative weight of a working day's arrivals: Monday brings the weekend's post, Friday is
/// quieter, a make-up Saturday is half staffed, the day after a holiday catches up.
#[must_use]
pub fn day_weight(clock: &WorkClock, day: NaiveDate) -> f64 {
    let base = match day.weekday() {
        Weekday::Mon => 1.25,
        Weekday::Tue => 1.05,
        Weekday::Wed => 1.0,
        Weekday::Thu => 0.95,
        Weekday::Fri => 0.85,
        _ => 0.55,
    };
    let prev = day.pred_opt().expect("date in range");
    let after_holiday = clock.cal.holidays().contains(&prev);
    if after_holiday { base * 1.3 } else { base }
}

/// Splits `n` cases over `days` in proportion to [`day_weight`] times a random factor in
/// [0.9, 1.1) (largest remainder; ties to the earlier day): exactly `n` in total.
pub fn daily_counts(
    clock: &WorkClock,
    days: &[NaiveDate],
    n: u64,
    rng: &mut ChaCha8Rng,
) -> Vec<u64> {
    let w: Vec<f64> = days
        .iter()
        .map(|d| day_weight(clock, *d) * (0.9 + 0.2 * rng.random::<f64>()))
        .collect();
    let total: f64 = w.iter().sum();
    let exact: Vec<f64> = w.iter().map(|x| x / total * n as f64).collect();
    let mut counts: Vec<u64> = exact.iter().map(|x| x.floor() as u64).collect();
    let mut left = n - counts.iter().sum::<u64>();
    let mut order: Vec<usize> = (0..days.len()).collect();
    order.sort_by(|&a, &b| {
        let fa = exact[a] - exact[a].floor();
        let fb = exact[b] - exact[b].floor();
        fb.total_cmp(&fa).then(a.cmp(&b))
    });
    for i in order {
        if left == 0 {
            break;
        }
        counts[i] += 1;
        left -= 1;
    }
    counts
}

/// A time of arrival as a fraction of the working day: a morning peak (60%, mode at 20% of
/// the day) and a smaller afternoon one (40%, mode at 65%), triangular shapes.
pub fn arrival_fraction(rng: &mut ChaCha8Rng) -> f64 {
    if rng.random::<f64>() < 0.6 {
        triangular(rng, 0.0, 0.2, 0.45)
    } else {
        triangular(rng, 0.45, 0.65, 1.0)
    }
}

/// A triangular draw on `[lo, hi]` with mode `mode` (inverse CDF; `sqrt` only).
pub fn triangular(rng: &mut ChaCha8Rng, lo: f64, mode: f64, hi: f64) -> f64 {
    let u: f64 = rng.random();
    let f = (mode - lo) / (hi - lo);
    if u < f {
        lo + (u * (hi - lo) * (mode - lo)).sqrt()
    } else {
        hi - ((1.0 - u) * (hi - lo) * (hi - mode)).sqrt()
    }
}

/// A right-skewed draw on `[lo, hi]` (most values near `lo`, a long tail): `lo + (hi-lo)·u²`.
pub fn skewed(rng: &mut ChaCha8Rng, lo: f64, hi: f64) -> f64 {
    let u: f64 = rng.random();
    lo + (hi - lo) * u * u
}

#[cfg(test)]
mod tests {
    use super::*;
    use rand::SeedableRng;

    fn at(s: &str) -> NaiveDateTime {
        NaiveDateTime::parse_from_str(s, "%Y-%m-%d %H:%M:%S").unwrap()
    }

    fn october() -> WorkClock {
        let d = |s: &str| NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap();
        WorkClock::new(
            Calendar::from_spec(&default_spec(d("2026-10-01"), d("2026-10-31"))).unwrap(),
        )
    }

    #[test]
    fn default_calendar_of_october_2026_is_schema_examples() {
        let d = |s: &str| NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap();
        let spec = default_spec(d("2026-10-01"), d("2026-10-31"));
        // SCHEMA.md: holidays 2026-10-01 and 2026-10-02, extra working day 2026-10-10.
        assert!(spec.holidays.contains(&"2026-10-01".to_owned()));
        assert!(spec.holidays.contains(&"2026-10-02".to_owned()));
        assert_eq!(spec.extra_working_days, ["2026-10-10"]);
        let clock = october();
        // October 2026: 22 weekdays, minus the two holidays, plus Saturday the 10th = 21.
        assert_eq!(
            clock.working_days(d("2026-10-01"), d("2026-10-31")).len(),
            21
        );
    }

    #[test]
    fn office_time_maps_working_seconds_into_the_intervals() {
        let c = october();
        let day = NaiveDate::from_ymd_opt(2026, 10, 5).unwrap();
        assert_eq!(c.office_time(day, 0), at("2026-10-05 09:00:00"));
        // 3 h = the whole morning: 12:00 (not 13:00).
        assert_eq!(c.office_time(day, 3 * 3600), at("2026-10-05 12:00:00"));
        assert_eq!(c.office_time(day, 3 * 3600 + 1), at("2026-10-05 13:00:01"));
        assert_eq!(c.office_time(day, 27_000), at("2026-10-05 17:30:00"));
    }

    #[test]
    fn after_skips_breaks_weekends_and_holidays() {
        let c = october();
        // Wed 30 Sep 17:00 + 1 h: 30 min, then Thu/Fri holidays and the weekend, 30 min Monday.
        assert_eq!(
            c.after(at("2026-09-30 17:00:00"), 3600),
            at("2026-10-05 09:30:00")
        );
        // From the lunch break, zero seconds: the afternoon's start.
        assert_eq!(
            c.after(at("2026-10-05 12:30:00"), 0),
            at("2026-10-05 13:00:00")
        );
        assert_eq!(
            c.between(at("2026-10-05 11:00:00"), at("2026-10-05 14:00:00")),
            7200
        );
    }

    #[test]
    fn daily_counts_add_up_and_follow_the_week() {
        let c = october();
        let d = |s: &str| NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap();
        let days = c.working_days(d("2026-10-01"), d("2026-10-31"));
        let mut rng = ChaCha8Rng::seed_from_u64(1);
        let counts = daily_counts(&c, &days, 100_000, &mut rng);
        assert_eq!(counts.iter().sum::<u64>(), 100_000);
        // Monday 12 Oct (weight 1.25 * [0.9,1.1)) gets more than Saturday 10 Oct (0.55 * ...).
        let idx = |s: &str| days.iter().position(|x| *x == d(s)).unwrap();
        assert!(counts[idx("2026-10-12")] > counts[idx("2026-10-10")] * 2);
    }
}
