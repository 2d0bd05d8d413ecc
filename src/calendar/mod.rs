//! The working calendar: which days are worked, during which hours, and how much working time
//! lies between two instants.
//!
//! Cycle times and SLAs are measured in **working time**, not wall-clock time: a case received on
//! Friday at 17:00 and registered on Monday at 09:30 has waited one hour of working time, not
//! 64½ hours. This module defines that measure. It is configured by `calendar.yaml`
//! (`../shared/SCHEMA.md`, section "calendar"):
//!
//! ```yaml
//! working_days: [mon, tue, wed, thu, fri]
//! working_hours: [["09:00", "12:00"], ["13:00", "17:30"]]   # one or more intervals a day
//! holidays: [2026-10-01, 2026-10-02]                         # days off that would be working days
//! extra_working_days: [2026-10-10]                           # make-up days worked on a weekend
//! ```
//!
//! # Definitions
//!
//! - A **working day** is a date whose weekday is listed in `working_days` and which is not a
//!   holiday, or a date listed in `extra_working_days` (a make-up day, worked with the same hours).
//!   A holiday that falls on a non-working weekday, or an extra working day that falls on a
//!   working weekday, changes nothing.
//! - **Working time** is the time inside the `working_hours` intervals of working days. Every
//!   working day has the same intervals. Times are office-local; there is no time-zone or
//!   daylight-saving arithmetic, and an interval cannot span midnight (`"24:00"` may end one).
//! - A duration in **working hours** counts only working time: with the default hours
//!   (09:00–12:00 and 13:00–17:30, 7.5 h a day), Monday 11:00 → Monday 14:00 is 2.0 working hours
//!   (11–12 and 13–14; the lunch break does not count), and Friday 17:00 → Monday 09:30 is 1.0.
//! - A duration in **working days** counts each working day as 1 whatever its hours, and a part of
//!   a working day as the fraction of that day's working time elapsed: Monday 09:00 → next
//!   Monday 09:00 is 5.0 working days; Monday 09:00 → Monday 13:45 is 3.75 h / 7.5 h = 0.5.
//!
//! # The working clock
//!
//! Both measures are differences of a **clock** that only runs during working time:
//! [`Calendar::working_seconds_at`] (and [`Calendar::working_minutes_at`]) counts the working time
//! from the **epoch, 2000-01-01 00:00** (a Saturday) to an instant; instants before the epoch
//! give negative values. Outside working time the clock stands still, so an instant in the lunch
//! break, in the evening, on a weekend or on a holiday reads the value at the end of the last
//! preceding working interval. The working time between `a` and `b` is `clock(b) - clock(a)`:
//! zero when no working time lies between them, negative when `b` is before `a`.
//! [`Calendar::working_days_at`] is the same clock counted in working days.
//!
//! The clock is computed arithmetically (whole weeks plus a correction for holidays and extra
//! days, found by binary search), so every call is `O(log h)` for `h` holidays and extra days,
//! for any date chrono can represent (tests cover 1990–2100).
//!
//! # Vectorized use
//!
//! For millions of rows, the engine computes the clock in polars from a [`DayTable`]
//! ([`Calendar::day_table`]) and [`Calendar::intervals`] with a join on the date and time-of-day
//! arithmetic; see [`DayTable`] for the formula.
//!
//! # Example
//!
//! ```
//! use chrono::{NaiveDate, NaiveDateTime};
//! use policyqc::calendar::{Calendar, CalendarSpec};
//!
//! let spec = CalendarSpec {
//!     holidays: vec!["2026-10-01".into(), "2026-10-02".into()],
//!     extra_working_days: vec!["2026-10-10".into()],
//!     ..CalendarSpec::default()
//! };
//! let cal = Calendar::from_spec(&spec).unwrap();
//! let at = |s: &str| NaiveDateTime::parse_from_str(s, "%Y-%m-%d %H:%M").unwrap();
//!
//! // Monday 11:00 -> 14:00: 11-12 and 13-14, the lunch break does not count.
//! assert_eq!(cal.working_hours_between(at("2026-09-28 11:00"), at("2026-09-28 14:00")), 2.0);
//! // Wednesday 17:00 -> Monday 09:30: 30 min + (Thu, Fri holidays, weekend) + 30 min.
//! assert_eq!(cal.working_hours_between(at("2026-09-30 17:00"), at("2026-10-05 09:30")), 1.0);
//! // A week of working days, Monday 09:00 -> Monday 09:00, with no holidays in it.
//! assert_eq!(cal.working_days_between(at("2026-09-21 09:00"), at("2026-09-28 09:00")), 5.0);
//! // The working day after Wednesday 30 September is Monday 5 October.
//! let wed = NaiveDate::from_ymd_opt(2026, 9, 30).unwrap();
//! assert_eq!(cal.add_working_days(wed, 1), NaiveDate::from_ymd_opt(2026, 10, 5).unwrap());
//! ```
//!
//! The model is here; [`load`] reads `calendar.yaml` into it with located diagnostics.

pub(crate) mod load;

use std::collections::BTreeSet;

use chrono::{Datelike, Duration, NaiveDate, NaiveDateTime, NaiveTime, Timelike, Weekday};
use serde::{Deserialize, Serialize};

/// The epoch of the working clock, as days from the common era (`0001-01-01` is day 1):
/// `2000-01-01`, a Saturday.
const EPOCH_DAYS_FROM_CE: i64 = 730_120;
/// The weekday of the epoch, as days from Monday (Saturday).
const EPOCH_WEEKDAY_FROM_MONDAY: usize = 5;

pub(crate) const WEEKDAY_NAMES: [(&str, &str, Weekday); 7] = [
    ("mon", "monday", Weekday::Mon),
    ("tue", "tuesday", Weekday::Tue),
    ("wed", "wednesday", Weekday::Wed),
    ("thu", "thursday", Weekday::Thu),
    ("fri", "friday", Weekday::Fri),
    ("sat", "saturday", Weekday::Sat),
    ("sun", "sunday", Weekday::Sun),
];

/// `calendar.yaml` as written: names and strings, not yet checked. Every field is optional and
/// defaults to the office standard (Monday–Friday, 09:00–12:00 and 13:00–17:30, no holidays, no
/// extra working days). Turn it into a [`Calendar`] with [`Calendar::from_spec`].
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(default, deny_unknown_fields)]
#[schemars(title = "calendar.yaml")]
pub struct CalendarSpec {
    /// Working weekdays: `mon` … `sun` or the full English names, any case.
    #[schemars(with = "Vec<crate::config::json_schema::WeekdayName>")]
    pub working_days: Vec<String>,
    /// Working intervals of a working day, `[start, end]` as `"HH:MM"` (24-hour clock; `"24:00"`
    /// may end the last one), sorted and non-overlapping. Intervals may touch.
    #[schemars(with = "Vec<[crate::config::json_schema::HhMm; 2]>")]
    pub working_hours: Vec<[String; 2]>,
    /// Dates (`YYYY-MM-DD`) that are not worked although their weekday is.
    #[schemars(with = "Vec<crate::config::json_schema::IsoDate>")]
    pub holidays: Vec<String>,
    /// Dates (`YYYY-MM-DD`) worked although their weekday is not, with the same hours.
    #[schemars(with = "Vec<crate::config::json_schema::IsoDate>")]
    pub extra_working_days: Vec<String>,
}

impl Default for CalendarSpec {
    fn default() -> Self {
        Self {
            working_days: ["mon", "tue", "wed", "thu", "fri"]
                .map(String::from)
                .to_vec(),
            working_hours: vec![
                ["09:00".into(), "12:00".into()],
                ["13:00".into(), "17:30".into()],
            ],
            holidays: Vec::new(),
            extra_working_days: Vec::new(),
        }
    }
}

/// Why a [`CalendarSpec`] is not a valid calendar. Each message names the offending value.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum CalendarError {
    /// A `working_days` entry that is not a weekday name.
    #[error("unknown weekday {0:?} in working_days (expected mon, tue, wed, thu, fri, sat or sun)")]
    UnknownWeekday(String),
    /// The same weekday listed twice in `working_days`.
    #[error("weekday {0:?} is listed more than once in working_days")]
    DuplicateWeekday(String),
    /// `working_days` is empty.
    #[error("working_days is empty: a calendar needs at least one working weekday")]
    NoWorkingDays,
    /// `working_hours` is empty.
    #[error("working_hours is empty: a calendar needs at least one working interval")]
    NoWorkingHours,
    /// A time that is not `HH:MM`.
    #[error("invalid time {0:?} in working_hours (expected HH:MM, 00:00 to 24:00)")]
    BadTime(String),
    /// An interval that ends at or before its start.
    #[error("working interval {start}-{end} ends at or before its start")]
    EmptyInterval {
        /// The interval's start as written.
        start: String,
        /// The interval's end as written.
        end: String,
    },
    /// Two intervals that overlap.
    #[error("working intervals {first} and {second} overlap")]
    OverlappingIntervals {
        /// The earlier interval, `HH:MM-HH:MM`.
        first: String,
        /// The later interval, `HH:MM-HH:MM`.
        second: String,
    },
    /// An interval listed after one that starts later.
    #[error("working interval {second} is listed after {first}: intervals must be in time order")]
    UnsortedIntervals {
        /// The interval listed first, `HH:MM-HH:MM`.
        first: String,
        /// The interval listed after it, `HH:MM-HH:MM`.
        second: String,
    },
    /// A date that is not `YYYY-MM-DD`.
    #[error("invalid date {value:?} in {field} (expected YYYY-MM-DD)")]
    BadDate {
        /// `holidays` or `extra_working_days`.
        field: &'static str,
        /// The date as written.
        value: String,
    },
    /// A date listed both as a holiday and as an extra working day.
    #[error("{0} is listed both in holidays and in extra_working_days")]
    HolidayAndExtraDay(NaiveDate),
}

/// A validated working calendar; see the [module documentation](self) for the definitions.
///
/// Build it with [`Calendar::from_spec`] or deserialize it directly from `calendar.yaml` (it
/// deserializes as a [`CalendarSpec`] and is then validated). [`Calendar::default`] is the office
/// standard: Monday–Friday, 09:00–12:00 and 13:00–17:30, no holidays.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(try_from = "CalendarSpec")]
pub struct Calendar {
    /// Working weekdays, indexed by days from Monday.
    weekdays: [bool; 7],
    /// Working intervals as (start, end) minutes of the day, sorted, non-overlapping.
    intervals: Vec<(u32, u32)>,
    /// Working seconds in a working day.
    day_seconds: i64,
    /// `week_prefix[r]`: working weekdays among the first `r` days of a week that starts on the
    /// epoch's weekday (Saturday); `week_prefix[7]` is the working weekdays in a week.
    week_prefix: [i64; 8],
    /// Sorted holidays, as written (deduplicated).
    holidays: Vec<NaiveDate>,
    /// Sorted extra working days, as written (deduplicated).
    extra_working_days: Vec<NaiveDate>,
    /// The holidays and extra days that change something, as (day index, -1 or +1), sorted.
    adjustments: Vec<(i64, i64)>,
    /// `adjustment_sums[i]`: the net change to the working days between the epoch and the day of
    /// `adjustments[i]` (exclusive) = the sum of the deltas of `adjustments[..i]` minus the sum
    /// of those before the epoch.
    adjustment_sums: Vec<i64>,
}

impl Default for Calendar {
    fn default() -> Self {
        Self::from_spec(&CalendarSpec::default()).expect("the default calendar is valid")
    }
}

impl TryFrom<CalendarSpec> for Calendar {
    type Error = CalendarError;

    fn try_from(spec: CalendarSpec) -> Result<Self, Self::Error> {
        Self::from_spec(&spec)
    }
}

/// A per-date table of the working clock, for computing it as a join in a data frame.
///
/// Row `i` describes `date[i]`: `minutes_before[i]` is the working clock in minutes at 00:00 of
/// that date ([`Calendar::working_minutes_at`]), `days_before[i]` the number of working days
/// since the epoch before that date (a whole number; negative before 2000-01-01), and
/// `is_working[i]` whether it is a working day.
///
/// With the calendar's [`intervals`](Calendar::intervals) `(start_k, end_k)` in minutes of the
/// day and `m` = the time of day of an instant `t` in minutes since midnight (fractional minutes
/// allowed), the clock at `t` is
///
/// ```text
/// elapsed(m)  = Σ_k clamp(m - start_k, 0, end_k - start_k)          // working minutes of the day by m
/// minutes(t)  = minutes_before[date(t)] + (is_working[date(t)] ? elapsed(m) : 0)
/// days(t)     = days_before[date(t)]    + (is_working[date(t)] ? elapsed(m) / minutes_per_day : 0)
/// ```
///
/// where `minutes_per_day` = [`Calendar::minutes_per_day`] = `Σ_k (end_k - start_k)`. With `m` in
/// whole minutes (seconds truncated) `minutes(t)` equals [`Calendar::working_minutes_at`]; with
/// `m` in seconds / 60 it equals [`Calendar::working_seconds_at`] / 60. Working time between two
/// instants is the difference of their clocks.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct DayTable {
    /// Every date of the requested range, ascending.
    pub date: Vec<NaiveDate>,
    /// Working clock at 00:00 of the date, in minutes since the epoch.
    pub minutes_before: Vec<i64>,
    /// Working days since the epoch before the date.
    pub days_before: Vec<f64>,
    /// Whether the date is a working day.
    pub is_working: Vec<bool>,
}

impl DayTable {
    /// Number of dates.
    #[must_use]
    pub fn len(&self) -> usize {
        self.date.len()
    }

    /// Whether the table has no dates.
    #[must_use]
    pub fn is_empty(&self) -> bool {
        self.date.is_empty()
    }
}

impl Calendar {
    /// Validates a spec: weekday names, `HH:MM` times, intervals that are non-empty, sorted and
    /// non-overlapping, `YYYY-MM-DD` dates, and no date both a holiday and an extra working day.
    /// Duplicate dates are accepted (and counted once).
    ///
    /// # Errors
    /// A [`CalendarError`] naming the first offending value.
    pub fn from_spec(spec: &CalendarSpec) -> Result<Self, CalendarError> {
        let mut weekdays = [false; 7];
        for name in &spec.working_days {
            let weekday = parse_weekday(name)?;
            let slot = &mut weekdays[weekday.num_days_from_monday() as usize];
            if *slot {
                return Err(CalendarError::DuplicateWeekday(name.clone()));
            }
            *slot = true;
        }
        if !weekdays.contains(&true) {
            return Err(CalendarError::NoWorkingDays);
        }

        if spec.working_hours.is_empty() {
            return Err(CalendarError::NoWorkingHours);
        }
        let mut intervals: Vec<(u32, u32)> = Vec::with_capacity(spec.working_hours.len());
        for [start_text, end_text] in &spec.working_hours {
            let start = parse_hh_mm(start_text)?;
            let end = parse_hh_mm(end_text)?;
            if end <= start {
                return Err(CalendarError::EmptyInterval {
                    start: start_text.clone(),
                    end: end_text.clone(),
                });
            }
            if let Some(&(prev_start, prev_end)) = intervals.last() {
                let first = format_interval(prev_start, prev_end);
                let second = format_interval(start, end);
                if start < prev_start {
                    return Err(CalendarError::UnsortedIntervals { first, second });
                }
                if start < prev_end {
                    return Err(CalendarError::OverlappingIntervals { first, second });
                }
            }
            intervals.push((start, end));
        }
        let day_seconds = intervals
            .iter()
            .map(|&(start, end)| i64::from(end - start) * 60)
            .sum();

        let holidays = parse_dates("holidays", &spec.holidays)?;
        let extra_working_days = parse_dates("extra_working_days", &spec.extra_working_days)?;
        if let Some(&both) = holidays.intersection(&extra_working_days).next() {
            return Err(CalendarError::HolidayAndExtraDay(both));
        }

        let mut week_prefix = [0i64; 8];
        for r in 0..7 {
            let weekday = (EPOCH_WEEKDAY_FROM_MONDAY + r) % 7;
            week_prefix[r + 1] = week_prefix[r] + i64::from(weekdays[weekday]);
        }

        let on_working_weekday =
            |date: &NaiveDate| weekdays[date.weekday().num_days_from_monday() as usize];
        let mut adjustments: Vec<(i64, i64)> = holidays
            .iter()
            .filter(|date| on_working_weekday(date))
            .map(|&date| (day_index(date), -1))
            .chain(
                extra_working_days
                    .iter()
                    .filter(|date| !on_working_weekday(date))
                    .map(|&date| (day_index(date), 1)),
            )
            .collect();
        adjustments.sort_unstable();
        // Anchored at the epoch: the adjustments before 2000-01-01 count negatively for the days
        // before it, and not at all for the days after it.
        let before_epoch: i64 = adjustments
            .iter()
            .take_while(|&&(day, _)| day < 0)
            .map(|&(_, delta)| delta)
            .sum();
        let mut adjustment_sums = Vec::with_capacity(adjustments.len() + 1);
        let mut sum = -before_epoch;
        adjustment_sums.push(sum);
        for &(_, delta) in &adjustments {
            sum += delta;
            adjustment_sums.push(sum);
        }

        Ok(Self {
            weekdays,
            intervals,
            day_seconds,
            week_prefix,
            holidays: holidays.into_iter().collect(),
            extra_working_days: extra_working_days.into_iter().collect(),
            adjustments,
            adjustment_sums,
        })
    }

    /// The working intervals of a working day, as (start, end) minutes since midnight, sorted and
    /// non-overlapping: the default is `[(540, 720), (780, 1050)]`.
    #[must_use]
    pub fn intervals(&self) -> &[(u32, u32)] {
        &self.intervals
    }

    /// Working minutes in a working day (450 for the default hours).
    #[must_use]
    pub fn minutes_per_day(&self) -> u32 {
        self.intervals.iter().map(|&(start, end)| end - start).sum()
    }

    /// The working weekdays, Monday first.
    #[must_use]
    pub fn working_weekdays(&self) -> Vec<Weekday> {
        WEEKDAY_NAMES
            .iter()
            .map(|&(_, _, weekday)| weekday)
            .filter(|weekday| self.weekdays[weekday.num_days_from_monday() as usize])
            .collect()
    }

    /// The holidays, sorted (including any that fall on non-working weekdays).
    #[must_use]
    pub fn holidays(&self) -> &[NaiveDate] {
        &self.holidays
    }

    /// The extra working days, sorted (including any that fall on working weekdays).
    #[must_use]
    pub fn extra_working_days(&self) -> &[NaiveDate] {
        &self.extra_working_days
    }

    /// Whether `date` is a working day: a working weekday that is not a holiday, or an extra
    /// working day.
    #[must_use]
    pub fn is_working_day(&self, date: NaiveDate) -> bool {
        self.is_working_index(day_index(date))
    }

    /// Working seconds of a working day elapsed by `time` of day: 0 before the first interval,
    /// [`minutes_per_day`](Self::minutes_per_day) × 60 after the last. Sub-second parts are
    /// ignored.
    #[must_use]
    pub fn working_seconds_of_day(&self, time: NaiveTime) -> i64 {
        self.elapsed_seconds(i64::from(time.num_seconds_from_midnight()))
    }

    /// The working clock in seconds: working time from the epoch (2000-01-01 00:00) to `at`,
    /// negative before the epoch, flat outside working time. Sub-second parts are ignored.
    #[must_use]
    pub fn working_seconds_at(&self, at: NaiveDateTime) -> i64 {
        let day = day_index(at.date());
        let before = self.working_days_before(day) * self.day_seconds;
        if self.is_working_index(day) {
            before + self.working_seconds_of_day(at.time())
        } else {
            before
        }
    }

    /// The working clock in whole minutes: [`working_seconds_at`](Self::working_seconds_at)
    /// divided by 60, rounded down (so seconds are truncated).
    #[must_use]
    pub fn working_minutes_at(&self, at: NaiveDateTime) -> i64 {
        self.working_seconds_at(at).div_euclid(60)
    }

    /// The working clock in working days: whole working days from the epoch to the date of `at`,
    /// plus the fraction of that date's working time elapsed at `at` if it is a working day.
    #[must_use]
    pub fn working_days_at(&self, at: NaiveDateTime) -> f64 {
        let day = day_index(at.date());
        let before = exact_f64(self.working_days_before(day));
        if self.is_working_index(day) {
            before + exact_f64(self.working_seconds_of_day(at.time())) / exact_f64(self.day_seconds)
        } else {
            before
        }
    }

    /// Working minutes from `from` to `to` (seconds of each instant truncated); negative if `to`
    /// is before `from`.
    #[must_use]
    pub fn working_minutes_between(&self, from: NaiveDateTime, to: NaiveDateTime) -> i64 {
        self.working_minutes_at(to) - self.working_minutes_at(from)
    }

    /// Working hours from `from` to `to`, to the second; negative if `to` is before `from`.
    #[must_use]
    pub fn working_hours_between(&self, from: NaiveDateTime, to: NaiveDateTime) -> f64 {
        exact_f64(self.working_seconds_at(to) - self.working_seconds_at(from)) / 3600.0
    }

    /// Working days from `from` to `to`; negative if `to` is before `from`.
    #[must_use]
    pub fn working_days_between(&self, from: NaiveDateTime, to: NaiveDateTime) -> f64 {
        self.working_days_at(to) - self.working_days_at(from)
    }

    /// The `n`-th working day after `date` (`n > 0`), or the `|n|`-th working day before it
    /// (`n < 0`). `date` itself never counts for `n ≠ 0`, whether or not it is a working day;
    /// `n = 0` gives `date` if it is a working day, else the next working day.
    ///
    /// # Panics
    /// If the result is outside the dates chrono can represent.
    #[must_use]
    pub fn add_working_days(&self, date: NaiveDate, n: i64) -> NaiveDate {
        let day = day_index(date);
        let ordinal = match n {
            1.. => self.working_days_before(day + 1) + n - 1,
            0 => self.working_days_before(day),
            _ => self.working_days_before(day) + n,
        };
        date_of_index(self.working_day_with_ordinal(ordinal))
    }

    /// The instant reached by walking `hours` of working time from `start`: forwards for positive
    /// `hours`, backwards for negative ones, to the second. The walk stops as soon as the time is
    /// used up, so the result is never in the gap after it: 3 hours from Monday 09:00 is Monday
    /// 12:00 (not 13:00), and −1 hour from Monday 14:00 is Monday 13:00 (not 12:00). From a
    /// non-working instant, the walk starts at the next (forwards) or previous (backwards)
    /// working time. `hours = 0` gives `start`.
    ///
    /// # Panics
    /// If `hours` is not finite, or the result is outside the dates chrono can represent.
    #[must_use]
    pub fn add_working_hours(&self, start: NaiveDateTime, hours: f64) -> NaiveDateTime {
        assert!(
            hours.is_finite(),
            "add_working_hours: hours must be finite, got {hours}"
        );
        // A finite f64 casts saturating; anything beyond chrono's range panics below anyway.
        #[allow(clippy::cast_possible_truncation)]
        let delta = (hours * 3600.0).round() as i64;
        if delta == 0 {
            return start;
        }
        let target = self.working_seconds_at(start) + delta;
        // The working day (by ordinal since the epoch) where the walk stops, and the working
        // seconds of that day used by then.
        let (ordinal, used) = if delta > 0 {
            // Stop at the earliest instant with this clock value: `used` in (0, day_seconds].
            let ordinal = (target - 1).div_euclid(self.day_seconds);
            (ordinal, target - ordinal * self.day_seconds)
        } else {
            // Stop at the latest instant with this clock value: `used` in [0, day_seconds).
            let ordinal = target.div_euclid(self.day_seconds);
            (ordinal, target - ordinal * self.day_seconds)
        };
        let mut seconds_of_day = 0;
        let mut before = 0;
        for &(start_min, end_min) in &self.intervals {
            let length = i64::from(end_min - start_min) * 60;
            let stops_here = if delta > 0 {
                used <= before + length
            } else {
                used < before + length
            };
            if stops_here {
                seconds_of_day = i64::from(start_min) * 60 + (used - before);
                break;
            }
            before += length;
        }
        let date = date_of_index(self.working_day_with_ordinal(ordinal));
        date.and_time(NaiveTime::MIN) + Duration::seconds(seconds_of_day)
    }

    /// The working clock per date for `from..=to` (empty if `to < from`); see [`DayTable`] for
    /// how to compute the clock from it. Building it is `O(days + log h)`.
    #[must_use]
    pub fn day_table(&self, from: NaiveDate, to: NaiveDate) -> DayTable {
        let (first, last) = (day_index(from), day_index(to));
        let capacity = usize::try_from(last - first + 1).unwrap_or(0);
        let mut table = DayTable {
            date: Vec::with_capacity(capacity),
            minutes_before: Vec::with_capacity(capacity),
            days_before: Vec::with_capacity(capacity),
            is_working: Vec::with_capacity(capacity),
        };
        let minutes_per_day = i64::from(self.minutes_per_day());
        let mut days_before = self.working_days_before(first);
        for (date, day) in from.iter_days().zip(first..=last) {
            let working = self.is_working_index(day);
            table.date.push(date);
            table.minutes_before.push(days_before * minutes_per_day);
            table.days_before.push(exact_f64(days_before));
            table.is_working.push(working);
            days_before += i64::from(working);
        }
        table
    }

    /// Working days from the epoch to day `day` (exclusive); negative for days before the epoch.
    fn working_days_before(&self, day: i64) -> i64 {
        let weeks = day.div_euclid(7);
        let rest = usize::try_from(day.rem_euclid(7)).expect("0..7");
        let adjustment = self.adjustment_sums[self.adjustments.partition_point(|&(d, _)| d < day)];
        weeks * self.week_prefix[7] + self.week_prefix[rest] + adjustment
    }

    fn is_working_index(&self, day: i64) -> bool {
        match self.adjustments.binary_search_by_key(&day, |&(d, _)| d) {
            Ok(i) => self.adjustments[i].1 > 0,
            Err(_) => self.weekdays[weekday_of_index(day)],
        }
    }

    /// Working seconds of a working day elapsed by `seconds` since midnight.
    fn elapsed_seconds(&self, seconds: i64) -> i64 {
        self.intervals
            .iter()
            .map(|&(start, end)| {
                let (start, end) = (i64::from(start) * 60, i64::from(end) * 60);
                (seconds - start).clamp(0, end - start)
            })
            .sum()
    }

    /// The day index of the working day with 0-based `ordinal` counted from the epoch (the first
    /// working day on or after 2000-01-01 has ordinal 0, the last one before it -1): the
    /// smallest day `y` with `working_days_before(y + 1) > ordinal`.
    fn working_day_with_ordinal(&self, ordinal: i64) -> i64 {
        let reached = |day: i64| self.working_days_before(day + 1) > ordinal;
        // Start from the day the weekly pattern alone would give, then widen exponentially to
        // bracket the answer: reached(low) is false, reached(high) is true.
        let guess = ordinal.div_euclid(self.week_prefix[7]) * 7;
        let mut step = 8;
        let mut low = guess - step;
        while reached(low) {
            step *= 2;
            low -= step;
        }
        let mut high = guess + step;
        while !reached(high) {
            step *= 2;
            high += step;
        }
        while high - low > 1 {
            let mid = low + (high - low) / 2;
            if reached(mid) {
                high = mid;
            } else {
                low = mid;
            }
        }
        high
    }
}

/// Working-day counts and working seconds stay far below 2^53, so they convert exactly.
#[allow(clippy::cast_precision_loss)]
fn exact_f64(value: i64) -> f64 {
    value as f64
}

/// The weekday of day `day` since the epoch, as days from Monday.
fn weekday_of_index(day: i64) -> usize {
    (usize::try_from(day.rem_euclid(7)).expect("0..7") + EPOCH_WEEKDAY_FROM_MONDAY) % 7
}

/// Days from the epoch (2000-01-01) to `date`.
fn day_index(date: NaiveDate) -> i64 {
    i64::from(date.num_days_from_ce()) - EPOCH_DAYS_FROM_CE
}

fn date_of_index(day: i64) -> NaiveDate {
    i32::try_from(day + EPOCH_DAYS_FROM_CE)
        .ok()
        .and_then(NaiveDate::from_num_days_from_ce_opt)
        .expect("working-calendar date outside the range chrono can represent")
}

/// A weekday name as `working_days` accepts it: `mon` … `sun` or the full English name, any case.
///
/// # Errors
/// [`CalendarError::UnknownWeekday`].
pub fn parse_weekday(name: &str) -> Result<Weekday, CalendarError> {
    let lower = name.trim().to_ascii_lowercase();
    WEEKDAY_NAMES
        .iter()
        .find(|&&(short, long, _)| lower == short || lower == long)
        .map(|&(_, _, weekday)| weekday)
        .ok_or_else(|| CalendarError::UnknownWeekday(name.to_owned()))
}

/// `"HH:MM"` (hour of one or two digits) to minutes since midnight, up to `"24:00"`.
///
/// # Errors
/// [`CalendarError::BadTime`].
pub fn parse_hh_mm(text: &str) -> Result<u32, CalendarError> {
    let bad = || CalendarError::BadTime(text.to_owned());
    let (hours, minutes) = text.trim().split_once(':').ok_or_else(bad)?;
    let all_digits = |s: &str| !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit());
    if !all_digits(hours) || hours.len() > 2 || !all_digits(minutes) || minutes.len() != 2 {
        return Err(bad());
    }
    let hours: u32 = hours.parse().map_err(|_| bad())?;
    let minutes: u32 = minutes.parse().map_err(|_| bad())?;
    let total = hours * 60 + minutes;
    if minutes >= 60 || total > 24 * 60 {
        return Err(bad());
    }
    Ok(total)
}

fn format_interval(start: u32, end: u32) -> String {
    format!(
        "{:02}:{:02}-{:02}:{:02}",
        start / 60,
        start % 60,
        end / 60,
        end % 60
    )
}

fn parse_dates(
    field: &'static str,
    texts: &[String],
) -> Result<BTreeSet<NaiveDate>, CalendarError> {
    texts
        .iter()
        .map(|text| {
            NaiveDate::parse_from_str(text.trim(), "%Y-%m-%d").map_err(|_| CalendarError::BadDate {
                field,
                value: text.clone(),
            })
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The test calendar: default hours (09:00-12:00, 13:00-17:30 = 7.5 h = 450 min a day),
    /// holidays Thu 2026-10-01 and Fri 2026-10-02, make-up Saturday 2026-10-10.
    ///
    /// ```text
    /// Mon 09-21 … Fri 09-25, Sat 26, Sun 27 | Mon 09-28, Tue 29, Wed 30, Thu 10-01 (hol),
    /// Fri 10-02 (hol), Sat 03, Sun 04 | Mon 10-05 … Fri 10-09, Sat 10 (worked), Sun 11 | Mon 12
    /// ```
    fn cal() -> Calendar {
        Calendar::from_spec(&CalendarSpec {
            holidays: vec!["2026-10-01".into(), "2026-10-02".into()],
            extra_working_days: vec!["2026-10-10".into()],
            ..CalendarSpec::default()
        })
        .unwrap()
    }

    fn at(text: &str) -> NaiveDateTime {
        NaiveDateTime::parse_from_str(text, "%Y-%m-%d %H:%M")
            .or_else(|_| NaiveDateTime::parse_from_str(text, "%Y-%m-%d %H:%M:%S"))
            .unwrap()
    }

    fn date(text: &str) -> NaiveDate {
        NaiveDate::parse_from_str(text, "%Y-%m-%d").unwrap()
    }

    /// Float results compared with a tolerance: they are sums of fractions of a day.
    #[track_caller]
    fn assert_near(actual: f64, expected: f64) {
        assert!((actual - expected).abs() < 1e-9, "{actual} != {expected}");
    }

    fn minutes(from: &str, to: &str) -> i64 {
        cal().working_minutes_between(at(from), at(to))
    }

    fn spec_error(spec: &CalendarSpec) -> String {
        Calendar::from_spec(spec).unwrap_err().to_string()
    }

    fn hours(intervals: &[[&str; 2]]) -> CalendarSpec {
        CalendarSpec {
            working_hours: intervals
                .iter()
                .map(|pair| pair.map(String::from))
                .collect(),
            ..CalendarSpec::default()
        }
    }

    // ---- the fixture itself -------------------------------------------------------------

    #[test]
    fn fixture_weekdays_are_as_assumed() {
        assert_eq!(date("2026-10-01").weekday(), Weekday::Thu);
        assert_eq!(date("2026-10-10").weekday(), Weekday::Sat);
        assert_eq!(date("2000-01-01").weekday(), Weekday::Sat);
        assert_eq!(day_index(date("2000-01-01")), 0);
        assert_eq!(day_index(date("1999-12-31")), -1);
    }

    #[test]
    fn is_working_day_follows_weekdays_holidays_and_extra_days() {
        let cal = cal();
        assert!(cal.is_working_day(date("2026-09-30"))); // Wed
        assert!(!cal.is_working_day(date("2026-10-01"))); // Thu, holiday
        assert!(!cal.is_working_day(date("2026-10-02"))); // Fri, holiday
        assert!(!cal.is_working_day(date("2026-10-03"))); // Sat
        assert!(!cal.is_working_day(date("2026-10-04"))); // Sun
        assert!(cal.is_working_day(date("2026-10-05"))); // Mon
        assert!(cal.is_working_day(date("2026-10-10"))); // Sat, make-up day
        assert!(!cal.is_working_day(date("2026-10-11"))); // Sun
    }

    // ---- working minutes / hours --------------------------------------------------------

    #[test]
    fn within_one_interval() {
        // Mon 09:30 -> 11:00 = 90 min = 1.5 h
        assert_eq!(minutes("2026-09-21 09:30", "2026-09-21 11:00"), 90);
        assert_near(
            cal().working_hours_between(at("2026-09-21 09:30"), at("2026-09-21 11:00")),
            1.5,
        );
    }

    #[test]
    fn across_the_lunch_break() {
        // Mon 11:00 -> 14:00 = 60 (11-12) + 60 (13-14) = 120 min = 2.0 h
        assert_eq!(minutes("2026-09-21 11:00", "2026-09-21 14:00"), 120);
        assert_near(
            cal().working_hours_between(at("2026-09-21 11:00"), at("2026-09-21 14:00")),
            2.0,
        );
    }

    #[test]
    fn a_full_day() {
        // Mon 09:00 -> 17:30 = 180 + 270 = 450 min = 7.5 h
        assert_eq!(minutes("2026-09-21 09:00", "2026-09-21 17:30"), 450);
    }

    #[test]
    fn across_a_night() {
        // Tue 16:00 -> Wed 10:00 = 90 (16:00-17:30) + 60 (09:00-10:00) = 150 min = 2.5 h
        assert_eq!(minutes("2026-09-22 16:00", "2026-09-23 10:00"), 150);
        assert_near(
            cal().working_hours_between(at("2026-09-22 16:00"), at("2026-09-23 10:00")),
            2.5,
        );
    }

    #[test]
    fn across_a_weekend() {
        // Fri 16:30 -> Mon 10:00 = 60 (16:30-17:30) + 0 (Sat, Sun) + 60 (09:00-10:00) = 120 min
        assert_eq!(minutes("2026-09-25 16:30", "2026-09-28 10:00"), 120);
    }

    #[test]
    fn across_the_holidays() {
        // Wed 09-30 17:00 -> Mon 10-05 09:30 = 30 + 0 (Thu, Fri holidays; Sat, Sun) + 30 = 60 min
        assert_eq!(minutes("2026-09-30 17:00", "2026-10-05 09:30"), 60);
        assert_near(
            cal().working_hours_between(at("2026-09-30 17:00"), at("2026-10-05 09:30")),
            1.0,
        );
    }

    #[test]
    fn a_whole_holiday_week() {
        // Mon 09-28 09:00 -> Mon 10-05 09:00 = 3 working days (Mon, Tue, Wed) x 450 = 1350 min
        assert_eq!(minutes("2026-09-28 09:00", "2026-10-05 09:00"), 1350);
    }

    #[test]
    fn including_the_make_up_saturday() {
        // Fri 10-09 17:00 -> Mon 10-12 09:30 = 30 + 450 (Sat 10-10 worked) + 0 (Sun) + 30 = 510 min
        assert_eq!(minutes("2026-10-09 17:00", "2026-10-12 09:30"), 510);
        assert_near(
            cal().working_hours_between(at("2026-10-09 17:00"), at("2026-10-12 09:30")),
            8.5,
        );
        // Within the make-up Saturday, across its lunch: 11:00 -> 13:30 = 60 + 30 = 90 min
        assert_eq!(minutes("2026-10-10 11:00", "2026-10-10 13:30"), 90);
    }

    #[test]
    fn the_normal_saturday_before_the_holiday_is_not_worked() {
        // Sat 10-03 10:00 -> Sat 10-03 15:00 = 0 (not a working day)
        assert_eq!(minutes("2026-10-03 10:00", "2026-10-03 15:00"), 0);
    }

    #[test]
    fn start_before_opening() {
        // Mon 07:45 -> 10:15 = 0 (07:45-09:00) + 75 (09:00-10:15) = 75 min
        assert_eq!(minutes("2026-09-21 07:45", "2026-09-21 10:15"), 75);
    }

    #[test]
    fn start_or_end_during_lunch() {
        // Mon 12:30 -> 14:00 = 0 (12:30-13:00) + 60 = 60 min
        assert_eq!(minutes("2026-09-21 12:30", "2026-09-21 14:00"), 60);
        // Mon 11:00 -> 12:45 = 60 (11-12) + 0 = 60 min
        assert_eq!(minutes("2026-09-21 11:00", "2026-09-21 12:45"), 60);
        // Mon 12:10 -> 12:50 = 0, both in the break
        assert_eq!(minutes("2026-09-21 12:10", "2026-09-21 12:50"), 0);
    }

    #[test]
    fn start_after_closing() {
        // Mon 19:00 -> Tue 09:45 = 0 (evening) + 45 min
        assert_eq!(minutes("2026-09-21 19:00", "2026-09-22 09:45"), 45);
        // Mon 16:00 -> Mon 23:00 = 90 (16:00-17:30) + 0
        assert_eq!(minutes("2026-09-21 16:00", "2026-09-21 23:00"), 90);
    }

    #[test]
    fn start_or_end_on_a_sunday() {
        // Sun 09-27 15:00 -> Mon 10:00 = 60 min
        assert_eq!(minutes("2026-09-27 15:00", "2026-09-28 10:00"), 60);
        // Fri 09-25 17:00 -> Sun 09-27 12:00 = 30 min (17:00-17:30)
        assert_eq!(minutes("2026-09-25 17:00", "2026-09-27 12:00"), 30);
    }

    #[test]
    fn start_or_end_on_a_holiday() {
        // Thu 10-01 (holiday) 10:00 -> Mon 10-05 10:00 = 60 min
        assert_eq!(minutes("2026-10-01 10:00", "2026-10-05 10:00"), 60);
        // Wed 09-30 16:00 -> Fri 10-02 (holiday) 11:00 = 90 min (16:00-17:30)
        assert_eq!(minutes("2026-09-30 16:00", "2026-10-02 11:00"), 90);
        // Thu 10-01 09:00 -> Fri 10-02 17:00 = 0, both holidays
        assert_eq!(minutes("2026-10-01 09:00", "2026-10-02 17:00"), 0);
    }

    #[test]
    fn zero_length() {
        assert_eq!(minutes("2026-09-21 10:00", "2026-09-21 10:00"), 0);
        assert_near(
            cal().working_hours_between(at("2026-09-21 10:00"), at("2026-09-21 10:00")),
            0.0,
        );
        assert_near(
            cal().working_days_between(at("2026-09-21 10:00"), at("2026-09-21 10:00")),
            0.0,
        );
    }

    #[test]
    fn reversed_interval_is_negative() {
        // Mon 14:00 -> Mon 11:00 = -(60 + 60) = -120 min = -2.0 h
        assert_eq!(minutes("2026-09-21 14:00", "2026-09-21 11:00"), -120);
        assert_near(
            cal().working_hours_between(at("2026-09-21 14:00"), at("2026-09-21 11:00")),
            -2.0,
        );
        // Mon 10-05 09:30 -> Wed 09-30 17:00 = -(30 + 30) = -60 min
        assert_eq!(minutes("2026-10-05 09:30", "2026-09-30 17:00"), -60);
    }

    #[test]
    fn clock_is_flat_outside_working_time() {
        let cal = cal();
        // 12:00, 12:30, 12:59 all read the clock at the end of the morning interval.
        let noon = cal.working_minutes_at(at("2026-09-21 12:00"));
        assert_eq!(cal.working_minutes_at(at("2026-09-21 12:30")), noon);
        assert_eq!(cal.working_minutes_at(at("2026-09-21 12:59")), noon);
        // Fri 17:30 = Sat 10:00 = Sun 23:59 = Mon 09:00
        let friday = cal.working_minutes_at(at("2026-09-25 17:30"));
        assert_eq!(cal.working_minutes_at(at("2026-09-26 10:00")), friday);
        assert_eq!(cal.working_minutes_at(at("2026-09-27 23:59")), friday);
        assert_eq!(cal.working_minutes_at(at("2026-09-28 09:00")), friday);
    }

    #[test]
    fn clock_values_around_the_epoch() {
        let cal = Calendar::default();
        // 2000-01-01 is a Saturday: the clock is 0 all weekend.
        assert_eq!(cal.working_minutes_at(at("2000-01-01 00:00")), 0);
        assert_eq!(cal.working_minutes_at(at("2000-01-02 15:00")), 0);
        // Mon 2000-01-03 10:00 = 60 min; 14:00 = 180 + 60 = 240 min
        assert_eq!(cal.working_minutes_at(at("2000-01-03 10:00")), 60);
        assert_eq!(cal.working_minutes_at(at("2000-01-03 14:00")), 240);
        // Tue 2000-01-04 09:00 = one full day = 450 min; = 1.0 working day
        assert_eq!(cal.working_minutes_at(at("2000-01-04 09:00")), 450);
        assert_near(cal.working_days_at(at("2000-01-04 09:00")), 1.0);
        // Before the epoch: Fri 1999-12-31 17:30 = 0, 17:00 = -30, 00:00 = -450 (= -1.0 day)
        assert_eq!(cal.working_minutes_at(at("1999-12-31 17:30")), 0);
        assert_eq!(cal.working_minutes_at(at("1999-12-31 17:00")), -30);
        assert_eq!(cal.working_minutes_at(at("1999-12-31 00:00")), -450);
        assert_near(cal.working_days_at(at("1999-12-31 00:00")), -1.0);
        // Mon 1999-12-27 00:00 = -5 days = -2250 min
        assert_eq!(cal.working_minutes_at(at("1999-12-27 00:00")), -2250);
    }

    #[test]
    fn holidays_before_the_epoch_do_not_move_the_clock_after_it() {
        let cal = Calendar::from_spec(&CalendarSpec {
            holidays: vec!["1999-12-31".into()], // a Friday
            ..CalendarSpec::default()
        })
        .unwrap();
        // Fri 1999-12-31 is off: nothing between its 00:00 and the epoch; Thu 12-30 00:00 = -450
        assert_eq!(cal.working_minutes_at(at("1999-12-31 00:00")), 0);
        assert_eq!(cal.working_minutes_at(at("1999-12-30 00:00")), -450);
        assert_eq!(cal.working_minutes_at(at("1999-12-30 17:00")), -30);
        // After the epoch nothing changes: Mon 2000-01-03 10:00 = 60
        assert_eq!(cal.working_minutes_at(at("2000-01-03 10:00")), 60);
        // Thu 1999-12-30 17:00 -> Mon 2000-01-03 10:00 = 30 + 0 (Fri off, weekend) + 60 = 90
        assert_eq!(
            cal.working_minutes_between(at("1999-12-30 17:00"), at("2000-01-03 10:00")),
            90
        );
    }

    #[test]
    fn clock_far_from_the_epoch() {
        let cal = Calendar::default();
        // Mon 1990-01-01 09:00 -> Mon 1990-01-08 09:00 = 5 days = 2250 min
        assert_eq!(
            cal.working_minutes_between(at("1990-01-01 09:00"), at("1990-01-08 09:00")),
            2250
        );
        // Fri 2100-12-31 17:00 -> 17:30 = 30 min
        assert_eq!(
            cal.working_minutes_between(at("2100-12-31 17:00"), at("2100-12-31 17:30")),
            30
        );
        // The year 2000 has 260 weekdays (52 weeks + Sat 01-01 + Sun 12-31, 366 days):
        // 2000-01-01 -> 2001-01-01 = 260 working days.
        assert_near(
            cal.working_days_between(at("2000-01-01 00:00"), at("2001-01-01 00:00")),
            260.0,
        );
    }

    #[test]
    fn seconds_are_counted_by_the_seconds_clock_and_truncated_by_the_minutes_clock() {
        let cal = cal();
        // Mon 09:00:30 -> 09:01:15 = 45 s = 0.0125 h; minutes: 1 - 0 = 1
        let (from, to) = (at("2026-09-21 09:00:30"), at("2026-09-21 09:01:15"));
        assert_eq!(
            cal.working_seconds_at(to) - cal.working_seconds_at(from),
            45
        );
        assert_near(cal.working_hours_between(from, to), 0.0125);
        assert_eq!(cal.working_minutes_between(from, to), 1);
        assert_eq!(
            cal.working_seconds_of_day(NaiveTime::from_hms_opt(13, 0, 30).unwrap()),
            10_830
        );
    }

    // ---- working days -------------------------------------------------------------------

    #[test]
    fn working_days_across_a_week() {
        // Mon 09-21 09:00 -> Mon 09-28 09:00 = 5.0 (Mon..Fri)
        assert_near(
            cal().working_days_between(at("2026-09-21 09:00"), at("2026-09-28 09:00")),
            5.0,
        );
    }

    #[test]
    fn working_days_across_the_holiday_week_and_the_make_up_week() {
        // Mon 09-28 09:00 -> Mon 10-05 09:00 = 3.0 (Mon, Tue, Wed; Thu, Fri are holidays)
        assert_near(
            cal().working_days_between(at("2026-09-28 09:00"), at("2026-10-05 09:00")),
            3.0,
        );
        // Mon 10-05 09:00 -> Mon 10-12 09:00 = 6.0 (Mon..Fri + make-up Sat)
        assert_near(
            cal().working_days_between(at("2026-10-05 09:00"), at("2026-10-12 09:00")),
            6.0,
        );
    }

    #[test]
    fn fractional_working_days() {
        let cal = cal();
        // Mon 09:00 -> 13:45 = (180 + 45) / 450 = 0.5
        assert_near(
            cal.working_days_between(at("2026-09-21 09:00"), at("2026-09-21 13:45")),
            0.5,
        );
        // Mon 13:45 -> Tue 13:45 = (225 + 225) / 450 = 1.0
        assert_near(
            cal.working_days_between(at("2026-09-21 13:45"), at("2026-09-22 13:45")),
            1.0,
        );
        // Mon 17:30 -> Tue 09:00 = 0.0 (night)
        assert_near(
            cal.working_days_between(at("2026-09-21 17:30"), at("2026-09-22 09:00")),
            0.0,
        );
        // Wed 09-30 15:15 -> Mon 10-05 10:30 = 135/450 + 90/450 = 225/450 = 0.5
        assert_near(
            cal.working_days_between(at("2026-09-30 15:15"), at("2026-10-05 10:30")),
            0.5,
        );
        // Reversed: Tue 13:45 -> Mon 09:00 = -(1.0 + 0.5) = -1.5
        assert_near(
            cal.working_days_between(at("2026-09-22 13:45"), at("2026-09-21 09:00")),
            -1.5,
        );
    }

    #[test]
    fn add_working_days_over_the_holiday_week() {
        let cal = cal();
        // Wed 09-30 +1: Thu, Fri holidays, Sat, Sun -> Mon 10-05
        assert_eq!(
            cal.add_working_days(date("2026-09-30"), 1),
            date("2026-10-05")
        );
        // Tue 09-29 +3: Wed 30 (1), Mon 10-05 (2), Tue 10-06 (3)
        assert_eq!(
            cal.add_working_days(date("2026-09-29"), 3),
            date("2026-10-06")
        );
        // From the holiday Thu 10-01 +1 -> Mon 10-05
        assert_eq!(
            cal.add_working_days(date("2026-10-01"), 1),
            date("2026-10-05")
        );
        // Fri 10-09 +1 -> make-up Sat 10-10; +2 -> Mon 10-12
        assert_eq!(
            cal.add_working_days(date("2026-10-09"), 1),
            date("2026-10-10")
        );
        assert_eq!(
            cal.add_working_days(date("2026-10-09"), 2),
            date("2026-10-12")
        );
        // Mon 09-28 +10: Tue 29, Wed 30, Mon 5, Tue 6, Wed 7, Thu 8, Fri 9, Sat 10, Mon 12, Tue 13
        assert_eq!(
            cal.add_working_days(date("2026-09-28"), 10),
            date("2026-10-13")
        );
    }

    #[test]
    fn add_working_days_backwards_and_zero() {
        let cal = cal();
        // Mon 10-05 -1 -> Wed 09-30; -2 -> Tue 09-29
        assert_eq!(
            cal.add_working_days(date("2026-10-05"), -1),
            date("2026-09-30")
        );
        assert_eq!(
            cal.add_working_days(date("2026-10-05"), -2),
            date("2026-09-29")
        );
        // Mon 10-12 -1 -> make-up Sat 10-10
        assert_eq!(
            cal.add_working_days(date("2026-10-12"), -1),
            date("2026-10-10")
        );
        // Sun 10-04 -1 -> Wed 09-30
        assert_eq!(
            cal.add_working_days(date("2026-10-04"), -1),
            date("2026-09-30")
        );
        // 0 on a working day: the day itself; on a holiday: the next working day
        assert_eq!(
            cal.add_working_days(date("2026-09-29"), 0),
            date("2026-09-29")
        );
        assert_eq!(
            cal.add_working_days(date("2026-10-01"), 0),
            date("2026-10-05")
        );
        // Across the epoch: Fri 1999-12-31 +1 -> Mon 2000-01-03; and back
        assert_eq!(
            cal.add_working_days(date("1999-12-31"), 1),
            date("2000-01-03")
        );
        assert_eq!(
            cal.add_working_days(date("2000-01-03"), -1),
            date("1999-12-31")
        );
    }

    #[test]
    fn add_working_hours_forwards() {
        let cal = cal();
        // Wed 09-30 16:00 + 2 h: 1.5 h to 17:30, then Thu/Fri holidays, weekend, 0.5 h on Mon 10-05
        assert_eq!(
            cal.add_working_hours(at("2026-09-30 16:00"), 2.0),
            at("2026-10-05 09:30")
        );
        // Mon 10:00 + 2 h stops at 12:00 (not 13:00); + 2.5 h -> 13:30
        assert_eq!(
            cal.add_working_hours(at("2026-09-21 10:00"), 2.0),
            at("2026-09-21 12:00")
        );
        assert_eq!(
            cal.add_working_hours(at("2026-09-21 10:00"), 2.5),
            at("2026-09-21 13:30")
        );
        // From lunch 12:30 + 0.5 h -> 13:30; from Sunday 10:00 + 1 h -> Mon 10:00
        assert_eq!(
            cal.add_working_hours(at("2026-09-21 12:30"), 0.5),
            at("2026-09-21 13:30")
        );
        assert_eq!(
            cal.add_working_hours(at("2026-09-27 10:00"), 1.0),
            at("2026-09-28 10:00")
        );
        // Fri 10-09 17:00 + 8.5 h = 0.5 + 7.5 (make-up Sat) + 0.5 -> Mon 10-12 09:30
        assert_eq!(
            cal.add_working_hours(at("2026-10-09 17:00"), 8.5),
            at("2026-10-12 09:30")
        );
        // Mon 09:00 + 7.5 h ends the day at 17:30
        assert_eq!(
            cal.add_working_hours(at("2026-09-21 09:00"), 7.5),
            at("2026-09-21 17:30")
        );
    }

    #[test]
    fn add_working_hours_backwards_and_zero() {
        let cal = cal();
        // Mon 14:00 - 1 h stops at 13:00 (not 12:00)
        assert_eq!(
            cal.add_working_hours(at("2026-09-21 14:00"), -1.0),
            at("2026-09-21 13:00")
        );
        // Mon 10-05 09:30 - 1 h: 0.5 h back to 09:00, then Wed 09-30 17:30 - 0.5 h -> 17:00
        assert_eq!(
            cal.add_working_hours(at("2026-10-05 09:30"), -1.0),
            at("2026-09-30 17:00")
        );
        // Tue 09:30 - 0.5 h stops at Tue 09:00
        assert_eq!(
            cal.add_working_hours(at("2026-09-22 09:30"), -0.5),
            at("2026-09-22 09:00")
        );
        // Zero from lunch: unchanged
        assert_eq!(
            cal.add_working_hours(at("2026-09-21 12:30"), 0.0),
            at("2026-09-21 12:30")
        );
    }

    // ---- vectorization ------------------------------------------------------------------

    #[test]
    fn intervals_and_minutes_per_day() {
        let cal = Calendar::default();
        // 09:00 = 540, 12:00 = 720, 13:00 = 780, 17:30 = 1050; 180 + 270 = 450
        assert_eq!(cal.intervals(), &[(540, 720), (780, 1050)]);
        assert_eq!(cal.minutes_per_day(), 450);
    }

    #[test]
    fn day_table_over_the_holiday_fortnight() {
        let cal = cal();
        let table = cal.day_table(date("2026-09-28"), date("2026-10-12"));
        assert_eq!(table.len(), 15);
        assert_eq!(table.date[0], date("2026-09-28"));
        assert_eq!(table.date[14], date("2026-10-12"));
        // Mon Tue Wed Thu* Fri* Sat Sun | Mon..Fri Sat(worked) Sun | Mon
        assert_eq!(
            table.is_working,
            [
                true, true, true, false, false, false, false, //
                true, true, true, true, true, true, false, //
                true,
            ]
        );
        // Relative to Mon 09-28: 0,1,2,3,3,3,3 | 3,4,5,6,7,8,9 | 9 working days before
        let base = table.days_before[0];
        let relative: Vec<f64> = table.days_before.iter().map(|d| d - base).collect();
        assert_eq!(
            relative,
            [0., 1., 2., 3., 3., 3., 3., 3., 4., 5., 6., 7., 8., 9., 9.]
        );
        // minutes_before is days_before x 450; Mon 10-12 - Mon 09-28 = 9 x 450 = 4050
        assert_eq!(table.minutes_before[14] - table.minutes_before[0], 4050);
        assert_eq!(
            table.minutes_before[0],
            cal.working_minutes_at(at("2026-09-28 00:00"))
        );
        assert!(
            cal.day_table(date("2026-10-12"), date("2026-09-28"))
                .is_empty()
        );
    }

    /// The documented formula, written out by hand from the day table and the intervals, agrees
    /// with the clock on every 7th minute of a month around the holidays.
    #[test]
    fn day_table_formula_agrees_with_the_clock() {
        let cal = cal();
        let table = cal.day_table(date("2026-09-15"), date("2026-10-20"));
        let per_day = f64::from(cal.minutes_per_day());
        let mut checked = 0;
        for row in 0..table.len() {
            for minute_of_day in (0..1440).step_by(7) {
                let elapsed: i64 = cal
                    .intervals()
                    .iter()
                    .map(|&(s, e)| (minute_of_day - i64::from(s)).clamp(0, i64::from(e - s)))
                    .sum();
                let working = table.is_working[row];
                let minutes = table.minutes_before[row] + if working { elapsed } else { 0 };
                let days = table.days_before[row]
                    + if working {
                        exact_f64(elapsed) / per_day
                    } else {
                        0.0
                    };

                let instant =
                    table.date[row].and_time(NaiveTime::MIN) + Duration::minutes(minute_of_day);
                assert_eq!(minutes, cal.working_minutes_at(instant), "at {instant}");
                assert!(
                    (days - cal.working_days_at(instant)).abs() < 1e-9,
                    "at {instant}"
                );
                // With seconds: 30 s later, in seconds / 60.
                let later = instant + Duration::seconds(30);
                let tod = exact_f64(minute_of_day) + 0.5;
                let elapsed: f64 = cal
                    .intervals()
                    .iter()
                    .map(|&(s, e)| (tod - f64::from(s)).clamp(0.0, f64::from(e - s)))
                    .sum();
                let minutes =
                    exact_f64(table.minutes_before[row]) + if working { elapsed } else { 0.0 };
                assert!((minutes - exact_f64(cal.working_seconds_at(later)) / 60.0).abs() < 1e-9);
                checked += 1;
            }
        }
        assert_eq!(checked, 36 * 206); // 36 dates x ceil(1440 / 7) instants
    }

    /// The arithmetic clock agrees with a naive day-by-day count from 1990 to 2100, with
    /// holidays and extra days on both sides of the epoch.
    #[test]
    fn arithmetic_agrees_with_a_day_by_day_count_from_1990_to_2100() {
        let cal = Calendar::from_spec(&CalendarSpec {
            working_days: vec![
                "Mon".into(),
                "tuesday".into(),
                "wed".into(),
                "thu".into(),
                "sat".into(),
            ],
            holidays: [
                "1990-01-01",
                "1995-05-01",
                "1999-12-28",
                "2000-01-01",
                "2000-01-04",
                "2026-10-01",
                "2100-12-30",
            ]
            .map(String::from)
            .to_vec(),
            extra_working_days: [
                "1991-03-08",
                "1999-12-31",
                "2000-01-02",
                "2050-06-03",
                "2100-12-31",
            ]
            .map(String::from)
            .to_vec(),
            ..CalendarSpec::default()
        })
        .unwrap();
        let holidays: BTreeSet<NaiveDate> = cal.holidays().iter().copied().collect();
        let extra: BTreeSet<NaiveDate> = cal.extra_working_days().iter().copied().collect();
        let naive_working = |d: NaiveDate| {
            extra.contains(&d)
                || (!holidays.contains(&d) && !matches!(d.weekday(), Weekday::Fri | Weekday::Sun))
        };
        let (first, last) = (date("1990-01-01"), date("2100-12-31"));
        let table = cal.day_table(first, last);
        // Count working days before the epoch, walking backwards from 2000-01-01.
        let mut count = 0;
        let mut d = date("2000-01-01");
        while d > first {
            d = d.pred_opt().unwrap();
            count -= i64::from(naive_working(d));
        }
        for (row, d) in first.iter_days().take_while(|d| *d <= last).enumerate() {
            assert_eq!(table.date[row], d);
            assert_eq!(table.is_working[row], naive_working(d), "{d}");
            assert_near(table.days_before[row], exact_f64(count));
            assert_eq!(cal.is_working_day(d), naive_working(d), "{d}");
            if naive_working(d) && d > first {
                // The working day before d, found by the clock, is the naive previous one.
                let mut p = d.pred_opt().unwrap();
                while !naive_working(p) {
                    p = p.pred_opt().unwrap();
                }
                assert_eq!(cal.add_working_days(d, -1), p, "{d}");
            }
            count += i64::from(naive_working(d));
        }
        assert_eq!(table.len(), 40542); // 1990..=2100: 111 years x 365 + 27 leap days (1992, 1996, ..., 2096)
    }

    #[test]
    fn custom_calendar_six_days_and_a_24_hour_end() {
        let cal = Calendar::from_spec(&CalendarSpec {
            working_days: ["mon", "tue", "wed", "thu", "fri", "sat"]
                .map(String::from)
                .to_vec(),
            working_hours: vec![["8:00".into(), "24:00".into()]],
            ..CalendarSpec::default()
        })
        .unwrap();
        assert_eq!(cal.intervals(), &[(480, 1440)]);
        // Sat 2026-09-26 23:00 -> Mon 09-28 09:00 = 60 (23-24) + 0 (Sun) + 60 (08-09) = 120
        assert_eq!(
            cal.working_minutes_between(at("2026-09-26 23:00"), at("2026-09-28 09:00")),
            120
        );
        // Sat 23:00 + 1 h ends the day: Sun 00:00
        assert_eq!(
            cal.add_working_hours(at("2026-09-26 23:00"), 1.0),
            at("2026-09-27 00:00")
        );
        // Sat 10-03 is worked here: Fri 10-02 +1 -> Sat 10-03
        assert_eq!(
            cal.add_working_days(date("2026-10-02"), 1),
            date("2026-10-03")
        );
        assert_eq!(
            cal.working_weekdays(),
            [
                Weekday::Mon,
                Weekday::Tue,
                Weekday::Wed,
                Weekday::Thu,
                Weekday::Fri,
                Weekday::Sat
            ]
        );
    }

    #[test]
    fn holiday_on_a_weekend_and_extra_day_on_a_weekday_change_nothing() {
        let plain = Calendar::default();
        let odd = Calendar::from_spec(&CalendarSpec {
            holidays: vec!["2026-10-03".into()],           // a Saturday
            extra_working_days: vec!["2026-10-05".into()], // a Monday
            ..CalendarSpec::default()
        })
        .unwrap();
        for instant in ["2026-10-03 10:00", "2026-10-05 10:00", "2026-10-06 10:00"] {
            assert_eq!(
                odd.working_minutes_at(at(instant)),
                plain.working_minutes_at(at(instant))
            );
        }
        assert!(odd.is_working_day(date("2026-10-05")));
        assert!(!odd.is_working_day(date("2026-10-03")));
    }

    // ---- spec and validation ------------------------------------------------------------

    #[test]
    fn default_spec_and_default_calendar() {
        let spec = CalendarSpec::default();
        assert_eq!(spec.working_days, ["mon", "tue", "wed", "thu", "fri"]);
        assert_eq!(spec.working_hours, [["09:00", "12:00"], ["13:00", "17:30"]]);
        assert!(spec.holidays.is_empty() && spec.extra_working_days.is_empty());
        let cal = Calendar::default();
        assert_eq!(cal, Calendar::from_spec(&spec).unwrap());
        assert_eq!(
            cal.working_weekdays(),
            [
                Weekday::Mon,
                Weekday::Tue,
                Weekday::Wed,
                Weekday::Thu,
                Weekday::Fri
            ]
        );
        assert!(cal.holidays().is_empty());
    }

    #[test]
    fn duplicate_dates_count_once() {
        let cal = Calendar::from_spec(&CalendarSpec {
            holidays: vec!["2026-10-01".into(), "2026-10-01".into()],
            ..CalendarSpec::default()
        })
        .unwrap();
        assert_eq!(cal.holidays(), &[date("2026-10-01")]);
        // Wed 09-30 09:00 -> Mon 10-05 09:00 = Wed + Fri = 2 days = 900 min
        assert_eq!(
            cal.working_minutes_between(at("2026-09-30 09:00"), at("2026-10-05 09:00")),
            900
        );
    }

    #[test]
    fn rejects_an_unknown_or_duplicate_weekday() {
        let message = spec_error(&CalendarSpec {
            working_days: vec!["mon".into(), "funday".into()],
            ..CalendarSpec::default()
        });
        assert!(message.contains("\"funday\""), "{message}");
        let message = spec_error(&CalendarSpec {
            working_days: vec!["mon".into(), "tue".into(), "Tuesday".into()],
            ..CalendarSpec::default()
        });
        assert!(
            message.contains("\"Tuesday\"") && message.contains("more than once"),
            "{message}"
        );
        assert_eq!(
            Calendar::from_spec(&CalendarSpec {
                working_days: vec![],
                ..CalendarSpec::default()
            }),
            Err(CalendarError::NoWorkingDays)
        );
    }

    #[test]
    fn rejects_a_bad_time() {
        for bad in [
            "9h00", "25:00", "12:60", "24:01", "12:5", "", "ab:cd", "-1:00", "123:00",
        ] {
            let message = spec_error(&hours(&[[bad, "17:00"]]));
            assert!(message.contains(&format!("{bad:?}")), "{bad}: {message}");
        }
        let message = spec_error(&hours(&[["09:00", "17:3O"]])); // letter O
        assert!(message.contains("\"17:3O\""), "{message}");
    }

    #[test]
    fn rejects_an_interval_that_ends_at_or_before_its_start() {
        let message = spec_error(&hours(&[["12:00", "09:00"]]));
        assert!(message.contains("12:00-09:00"), "{message}");
        let message = spec_error(&hours(&[["09:00", "09:00"]]));
        assert!(message.contains("09:00-09:00"), "{message}");
    }

    #[test]
    fn rejects_overlapping_or_unsorted_intervals() {
        let message = spec_error(&hours(&[["09:00", "12:30"], ["12:00", "17:00"]]));
        assert!(
            message.contains("09:00-12:30") && message.contains("12:00-17:00"),
            "{message}"
        );
        assert!(message.contains("overlap"), "{message}");
        let message = spec_error(&hours(&[["13:00", "17:30"], ["09:00", "12:00"]]));
        assert!(
            message.contains("13:00-17:30") && message.contains("09:00-12:00"),
            "{message}"
        );
        assert!(message.contains("order"), "{message}");
        // Touching intervals are fine: 09:00-12:00, 12:00-13:00 = 240 min
        let cal = Calendar::from_spec(&hours(&[["09:00", "12:00"], ["12:00", "13:00"]])).unwrap();
        assert_eq!(cal.minutes_per_day(), 240);
        assert_eq!(
            Calendar::from_spec(&hours(&[])),
            Err(CalendarError::NoWorkingHours)
        );
    }

    #[test]
    fn rejects_a_bad_date() {
        let message = spec_error(&CalendarSpec {
            holidays: vec!["2026-13-01".into()],
            ..CalendarSpec::default()
        });
        assert!(
            message.contains("\"2026-13-01\"") && message.contains("holidays"),
            "{message}"
        );
        let message = spec_error(&CalendarSpec {
            extra_working_days: vec!["10/10/2026".into()],
            ..CalendarSpec::default()
        });
        assert!(
            message.contains("\"10/10/2026\"") && message.contains("extra_working_days"),
            "{message}"
        );
    }

    #[test]
    fn rejects_a_date_both_holiday_and_extra_day() {
        let result = Calendar::from_spec(&CalendarSpec {
            holidays: vec!["2026-10-01".into(), "2026-10-10".into()],
            extra_working_days: vec!["2026-10-10".into()],
            ..CalendarSpec::default()
        });
        assert_eq!(
            result,
            Err(CalendarError::HolidayAndExtraDay(date("2026-10-10")))
        );
        assert!(result.unwrap_err().to_string().contains("2026-10-10"));
    }
}
