//! `duration`: the time between two dates or timestamps must be within a limit, in calendar
//! days, elapsed hours or minutes, or working days and hours of the data folder's calendar.
//!
//! This file also holds what every time-limit rule shares ([`TimeLimit`]): how the time
//! between two fields is measured in each unit, with or without customer and referral wait,
//! up to a field or up to an as-of instant (for the ages of open cases in the status report).

use chrono::NaiveDateTime;
use polars::prelude::*;

use super::{Kind, KindInfo};
use crate::config::reader::{MapReader, parse_cents};
use crate::config::yaml::Node;
use crate::engine::compile::{Check, CompileCtx, value_expr};
use crate::engine::working_time::{WorkingClock, emax, emin, span_len};
use crate::schema::FieldType;

/// The unit of a duration limit.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Unit {
    /// Calendar days: the difference of the two dates, times of day ignored.
    Days,
    /// Elapsed hours.
    Hours,
    /// Elapsed minutes.
    Minutes,
    /// Working days of the calendar (a part of a day counts as its share of the day's hours).
    WorkingDays,
    /// Working hours of the calendar.
    WorkingHours,
}

impl Unit {
    /// The unit as written after the number.
    #[must_use]
    pub fn name(self) -> &'static str {
        match self {
            Unit::Days => "days",
            Unit::Hours => "hours",
            Unit::Minutes => "minutes",
            Unit::WorkingDays => "working days",
            Unit::WorkingHours => "working hours",
        }
    }

    /// Whether the unit counts working time (needs the calendar).
    #[must_use]
    pub fn is_working(self) -> bool {
        matches!(self, Unit::WorkingDays | Unit::WorkingHours)
    }
}

/// A limit such as `30 days`, `36 hours` or `2 working days`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Limit {
    /// Days for [`Unit::Days`]; milliseconds for hours and minutes; seconds for working
    /// hours; hundredths of a working day for working days (a working day's length is the
    /// calendar's).
    pub amount: i64,
    /// The unit.
    pub unit: Unit,
    /// The amount as written, in hundredths of the unit (for display).
    pub written: i64,
}

impl Limit {
    /// Parses `N days`, `N hours`, `N minutes`, `N working days` or `N working hours` (all but
    /// calendar days may have two decimals).
    pub fn parse(text: &str) -> Result<Self, String> {
        let parts: Vec<&str> = text.split_whitespace().collect();
        let (num, unit) = match parts.as_slice() {
            [num, unit] => (*num, (*unit).to_owned()),
            [num, "working", unit] => (*num, format!("working {unit}")),
            _ => {
                return Err(format!(
                    "`{text}` is not a duration: write e.g. `30 days`, `36 hours`, `90 minutes`, `2 working days` or `12 working hours`"
                ));
            }
        };
        let hundredths = parse_cents(num).filter(|v| *v >= 0).ok_or_else(|| {
            format!("`{num}` is not a non-negative number with at most two decimals")
        })?;
        let unit = match unit.as_str() {
            "day" | "days" => Unit::Days,
            "hour" | "hours" => Unit::Hours,
            "minute" | "minutes" => Unit::Minutes,
            "working day" | "working days" => Unit::WorkingDays,
            "working hour" | "working hours" => Unit::WorkingHours,
            other => {
                return Err(format!(
                    "unknown unit `{other}`: use days, hours, minutes, working days or working hours"
                ));
            }
        };
        let amount = match unit {
            Unit::Days if hundredths % 100 != 0 => {
                return Err(String::from(
                    "days are whole calendar days (working days may have decimals)",
                ));
            }
            Unit::Days => hundredths / 100,
            Unit::Hours => hundredths * 36_000,
            Unit::Minutes => hundredths * 600,
            Unit::WorkingHours => hundredths * 36,
            Unit::WorkingDays => hundredths,
        };
        Ok(Self {
            amount,
            unit,
            written: hundredths,
        })
    }

    /// How the limit is shown: `30 days`, `1.5 hours`, `2 working days`.
    #[must_use]
    pub fn display(&self) -> String {
        let whole = self.written / 100;
        let frac = self.written % 100;
        let num = if frac == 0 {
            whole.to_string()
        } else {
            format!("{whole}.{frac:02}")
                .trim_end_matches('0')
                .to_owned()
        };
        let unit = self.unit.name();
        // `1 day`, `1 working hour`: the singular for exactly one.
        let unit = if self.written == 100 {
            unit.strip_suffix('s').unwrap_or(unit)
        } else {
            unit
        };
        format!("{num} {unit}")
    }

    /// The limit in working seconds (working units only): hours exactly, working days as
    /// hundredths × the calendar's day length / 100 (a fraction of a second is dropped).
    #[must_use]
    pub fn working_seconds(&self, clock: &WorkingClock) -> Option<i64> {
        match self.unit {
            Unit::WorkingHours => Some(self.amount),
            Unit::WorkingDays => Some(self.amount * clock.day_seconds() / 100),
            _ => None,
        }
    }

    /// `measured` (in the base of the unit, see [`TimeLimit::measure`]) is above the limit.
    fn above(&self, measured: Expr, clock: Option<&WorkingClock>) -> Expr {
        match (self.unit, clock) {
            // 100 × seconds > hundredths × day length: exact integers.
            (Unit::WorkingDays, Some(c)) => {
                (measured * lit(100_i64)).gt(lit(self.amount * c.day_seconds()))
            }
            _ => measured.gt(lit(self.amount)),
        }
    }

    /// `measured` is below the limit.
    fn below(&self, measured: Expr, clock: Option<&WorkingClock>) -> Expr {
        match (self.unit, clock) {
            (Unit::WorkingDays, Some(c)) => {
                (measured * lit(100_i64)).lt(lit(self.amount * c.day_seconds()))
            }
            _ => measured.lt(lit(self.amount)),
        }
    }
}

/// Parameters of a `duration` rule.
#[derive(Debug, Clone)]
pub struct Params {
    /// Start field.
    pub from: String,
    /// Its type.
    pub from_ty: FieldType,
    /// End field.
    pub to: String,
    /// Its type.
    pub to_ty: FieldType,
    /// Longest allowed duration.
    pub max: Option<Limit>,
    /// Shortest allowed duration.
    pub min: Option<Limit>,
}

/// Registry entry.
pub const INFO: KindInfo = KindInfo {
    name: "duration",
    keys: &["from", "to", "max", "min"],
    summary: "the time from one date/timestamp to another must be within a limit",
    doc: r#"Parameters: `from` and `to`, date or datetime fields; `max` and/or `min`, written
`N days`, `N hours`, `N minutes`, `N working days` or `N working hours` (all but calendar days
may have two decimals). Applies when both fields are present. `days` are calendar days: the
difference between the two *dates*, times of day ignored (received Monday 17:00, registered
Wednesday 09:00 = 2 days). Hours and minutes are elapsed time. Working days and hours count
only the working time of the data folder's `calendar.yaml` (the office standard,
Monday-Friday 09:00-12:00 and 13:00-17:30, when there is none): received Friday 17:00,
registered Monday 09:30 = 1 working hour; a working day is one day's working hours, so half
a day's hours is 0.5 working days. A `to` before `from` gives a negative duration, which
only a `min` catches (use `date_order` for ordering). Actual: the duration; expected: the
limit.

```yaml
- id: printing.notice_late
  title: Notice printed more than 2 days after binding
  checkpoint: printing
  error_point: 11
  severity: minor
  responsible: printer
  kind: duration
  from: bound_at
  to: printed_at
  max: 2 days
  message: "notice printed {actual} after binding; the limit is {expected}"
```"#,
    read,
};

/// Reads `max`/`min` limits; `working_only` restricts them to working units.
pub(crate) fn read_limits(
    r: &mut MapReader<'_, '_>,
    kind: &str,
    working_only: bool,
) -> Option<(Option<Limit>, Option<Limit>)> {
    let max = r.get("max");
    let min = r.get("min");
    if max.is_none() && min.is_none() {
        let span = r.span();
        let example = if working_only {
            "`max: 5 working days`"
        } else {
            "`max: 2 days`"
        };
        r.error(
            "rules::missing-key",
            span,
            format!("a `{kind}` rule needs `max`, `min` or both (e.g. {example})"),
        );
        return None;
    }
    let mut limit = |node: Option<&Node>, key: &str| -> Result<Option<Limit>, ()> {
        let Some(node) = node else { return Ok(None) };
        let Some(text) = node.as_scalar_string() else {
            r.error(
                "rules::wrong-type",
                node.span,
                format!("`{key}` must be a duration such as `2 days`"),
            );
            return Err(());
        };
        let parsed = Limit::parse(&text).map_err(|e| {
            r.error("rules::bad-value", node.span, format!("`{key}`: {e}"));
        })?;
        if working_only && !parsed.unit.is_working() {
            r.error(
                "rules::bad-value",
                node.span,
                format!(
                    "`{key}`: a `{kind}` limit is working time, `{text}` is not; write e.g. `5 working days` or `12 working hours`"
                ),
            );
            return Err(());
        }
        Ok(Some(parsed))
    };
    let max = limit(max, "max");
    let min = limit(min, "min");
    match (max, min) {
        (Ok(max), Ok(min)) => Some((max, min)),
        _ => None,
    }
}

/// Reads `from` and `to`, which must be date or datetime fields.
pub(crate) fn read_span_fields(
    r: &mut MapReader<'_, '_>,
    kind: &str,
) -> Option<((String, FieldType), (String, FieldType))> {
    let from = r.req_field("from", "the date or datetime the duration starts at");
    let to = r.req_field("to", "the date or datetime the duration ends at");
    let (from, from_ty, fspan) = from?;
    let (to, to_ty, tspan) = to?;
    let mut ok = true;
    for (name, ty, span) in [(&from, from_ty, fspan), (&to, to_ty, tspan)] {
        if !ty.is_temporal() {
            r.error(
                "rules::wrong-type",
                span,
                format!("`{name}` is {ty}; `{kind}` takes date and datetime fields"),
            );
            ok = false;
        }
    }
    ok.then_some(((from, from_ty), (to, to_ty)))
}

fn read(r: &mut MapReader<'_, '_>) -> Option<Kind> {
    let fields = read_span_fields(r, "duration");
    let limits = read_limits(r, "duration", false);
    let ((from, from_ty), (to, to_ty)) = fields?;
    let (max, min) = limits?;
    Some(Kind::Duration(Params {
        from,
        from_ty,
        to,
        to_ty,
        max,
        min,
    }))
}

fn day_number(field: Expr, ty: FieldType) -> Expr {
    let date = if ty == FieldType::DateTime {
        field.cast(DataType::Date)
    } else {
        field
    };
    date.cast(DataType::Int32).cast(DataType::Int64)
}

/// Where a measured time ends: at the rule's `to` field, or at a fixed instant (the as-of
/// time of a status report, for cases that have not reached `to` yet).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum End {
    /// The rule's `to` field.
    Field,
    /// A fixed instant.
    At(NaiveDateTime),
}

/// What every time-limit rule (`duration`, `cycle_time`) shares: the two fields, the limits,
/// and which waits are left out of the measured time.
#[derive(Debug, Clone, Copy)]
pub struct TimeLimit<'a> {
    /// Start field.
    pub from: &'a str,
    /// Its type.
    pub from_ty: FieldType,
    /// End field.
    pub to: &'a str,
    /// Its type.
    pub to_ty: FieldType,
    /// Longest allowed duration.
    pub max: Option<Limit>,
    /// Shortest allowed duration.
    pub min: Option<Limit>,
    /// Leave out the time a customer query was open (`query_opened_at` to `query_closed_at`).
    pub exclude_customer_wait: bool,
    /// Leave out the time at underwriting or finance (`referred_at` to `referral_returned_at`).
    pub exclude_referral_wait: bool,
}

impl TimeLimit<'_> {
    /// The unit results are shown in: the first limit's.
    #[must_use]
    pub fn unit(&self) -> Unit {
        self.max.or(self.min).map_or(Unit::Days, |l| l.unit)
    }

    /// Whether the limit is on processing time: between two timestamps (a limit from or to a
    /// date, such as an application date, is a plausibility check). These are the limits the
    /// cycle-time SLA and the status report's stuck cases use.
    #[must_use]
    pub fn is_processing_limit(&self) -> bool {
        self.from_ty == FieldType::DateTime && self.to_ty == FieldType::DateTime
    }

    /// Whether the rule needs the working calendar.
    #[must_use]
    pub fn needs_calendar(&self) -> bool {
        self.max.is_some_and(|l| l.unit.is_working())
            || self.min.is_some_and(|l| l.unit.is_working())
    }

    /// The temporal fields whose working clock the rule reads (empty when it measures no
    /// working time): `from`, `to`, and the fields of the waits it leaves out.
    #[must_use]
    pub fn clock_fields(&self) -> Vec<(String, FieldType)> {
        if !self.needs_calendar() {
            return Vec::new();
        }
        let mut out = vec![
            (self.from.to_owned(), self.from_ty),
            (self.to.to_owned(), self.to_ty),
        ];
        let waits = [
            (
                self.exclude_customer_wait,
                ["query_opened_at", "query_closed_at"],
            ),
            (
                self.exclude_referral_wait,
                ["referred_at", "referral_returned_at"],
            ),
        ];
        for (on, fields) in waits {
            if on {
                out.extend(fields.map(|f| (f.to_owned(), FieldType::DateTime)));
            }
        }
        out
    }

    /// The `to` value as an expression: the field, or the as-of instant.
    fn end_value(&self, end: End) -> Expr {
        match end {
            End::Field => value_expr(self.to, self.to_ty),
            End::At(t) => lit(t.and_utc().timestamp_millis()),
        }
    }

    /// The working clock at the end.
    fn end_clock(&self, clock: &WorkingClock, end: End) -> Expr {
        match end {
            End::Field => clock.field_seconds(self.to, self.to_ty),
            End::At(t) => clock.seconds_at(t),
        }
    }

    /// The time from `from` to the end in the base of `unit`: calendar days (Int64), or
    /// milliseconds (hours, minutes), or working seconds net of the excluded waits (working
    /// units).
    pub fn measure(
        &self,
        unit: Unit,
        clock: Option<&WorkingClock>,
        end: End,
    ) -> PolarsResult<Expr> {
        Ok(match unit {
            Unit::Days => {
                let to = match end {
                    End::Field => day_number(col(self.to), self.to_ty),
                    End::At(t) => lit((t.date()
                        - chrono::NaiveDate::from_ymd_opt(1970, 1, 1).expect("date"))
                    .num_days()),
                };
                to - day_number(col(self.from), self.from_ty)
            }
            Unit::Hours | Unit::Minutes => {
                self.end_value(end) - value_expr(self.from, self.from_ty)
            }
            Unit::WorkingDays | Unit::WorkingHours => {
                let clock = clock.ok_or_else(
                    || polars_err!(ComputeError: "a working-time limit needs the working calendar"),
                )?;
                self.net_working_seconds(clock, end)
            }
        })
    }

    /// Working seconds from `from` to the end, less the excluded waits (each wait clipped to
    /// the span; where the two waits overlap, the overlap is left out once).
    pub fn net_working_seconds(&self, clock: &WorkingClock, end: End) -> Expr {
        let start = clock.field_seconds(self.from, self.from_ty);
        let stop = self.end_clock(clock, end);
        let gross = stop.clone() - start.clone();
        let as_of = match end {
            End::Field => None,
            End::At(t) => Some(t),
        };
        let w = waits(clock, &start, &stop, as_of);
        let excluded = match (self.exclude_customer_wait, self.exclude_referral_wait) {
            (false, false) => return gross,
            (true, false) => w.customer,
            (false, true) => w.referral,
            (true, true) => w.customer + w.referral - w.overlap,
        };
        gross - excluded
    }

    /// True where the measured time is above `max` or below `min`.
    pub fn fails(&self, clock: Option<&WorkingClock>, end: End) -> PolarsResult<Expr> {
        let mut fails = lit(false);
        if let Some(max) = self.max {
            fails = fails.or(max.above(self.measure(max.unit, clock, end)?, clock));
        }
        if let Some(min) = self.min {
            fails = fails.or(min.below(self.measure(min.unit, clock, end)?, clock));
        }
        Ok(fails)
    }

    /// True where the measured time is above `max` (false when there is none).
    pub fn exceeds_max(&self, clock: Option<&WorkingClock>, end: End) -> PolarsResult<Expr> {
        match self.max {
            Some(max) => Ok(max.above(self.measure(max.unit, clock, end)?, clock)),
            None => Ok(lit(false)),
        }
    }

    /// The measured time as text in the display unit, e.g. `3.25 working days`.
    pub fn actual(&self, clock: Option<&WorkingClock>, end: End) -> PolarsResult<Expr> {
        let unit = self.unit();
        let measured = self.measure(unit, clock, end)?;
        let number = match unit {
            Unit::Days => measured.cast(DataType::String),
            Unit::Hours => rounded(measured.cast(DataType::Float64) / lit(3_600_000.0)),
            Unit::Minutes => rounded(measured.cast(DataType::Float64) / lit(60_000.0)),
            Unit::WorkingHours => rounded(measured.cast(DataType::Float64) / lit(3600.0)),
            Unit::WorkingDays => {
                let day = clock.map_or(1, WorkingClock::day_seconds) as f64;
                rounded(measured.cast(DataType::Float64) / lit(day))
            }
        };
        Ok(concat_str([number, lit(unit.name())], " ", false))
    }

    /// The limits as text: `<= 2 working days`, `between 1 and 2 days`.
    #[must_use]
    pub fn expected(&self) -> String {
        match (self.min, self.max) {
            (Some(a), Some(b)) => format!("between {} and {}", a.display(), b.display()),
            (None, Some(b)) => format!("<= {}", b.display()),
            (Some(a), None) => format!(">= {}", a.display()),
            (None, None) => String::new(),
        }
    }

    /// The rule's check over the cases frame.
    pub fn check(&self, ctx: &CompileCtx<'_>) -> PolarsResult<Check> {
        Ok(Check {
            applies: col(self.from).is_not_null().and(col(self.to).is_not_null()),
            fails: self.fails(ctx.clock, End::Field)?,
            expected: lit(self.expected()),
            actual: self.actual(ctx.clock, End::Field)?,
            field: format!("{} -> {}", self.from, self.to),
        })
    }
}

/// The working seconds a case waited on the customer and on another department within a span
/// (see [`waits`]).
#[derive(Debug, Clone)]
pub struct Waits {
    /// An open customer query (`query_opened_at` to `query_closed_at`) within the span.
    pub customer: Expr,
    /// Time at underwriting or finance (`referred_at` to `referral_returned_at`) within the span.
    pub referral: Expr,
    /// The part of the span where both waits ran (so that `customer + referral - overlap` is
    /// the waited time counted once).
    pub overlap: Expr,
}

/// The waits of each case within the span from `start` to `stop` (working-clock seconds, see
/// [`WorkingClock`]). A wait counts only where it lies inside the span; a wait that is not
/// closed (or, with `as_of`, closed only after it) runs to `stop`; a case without
/// `query_opened_at` (`referred_at`) has no customer (referral) wait. Every value is >= 0.
#[must_use]
pub fn waits(
    clock: &WorkingClock,
    start: &Expr,
    stop: &Expr,
    as_of: Option<NaiveDateTime>,
) -> Waits {
    let clip = |open: &str, close: &str| -> (Expr, Expr, Expr) {
        let lo = emax(
            clock.field_seconds(open, FieldType::DateTime),
            start.clone(),
        );
        let closed = match as_of {
            None => clock.field_seconds(close, FieldType::DateTime),
            Some(t) => when(
                col(close)
                    .cast(DataType::Int64)
                    .lt_eq(lit(t.and_utc().timestamp_millis())),
            )
            .then(clock.field_seconds(close, FieldType::DateTime))
            .otherwise(lit(NULL).cast(DataType::Int64)),
        };
        let hi = emin(closed.fill_null(stop.clone()), stop.clone());
        let len = when(col(open).is_not_null())
            .then(span_len(lo.clone(), hi.clone()))
            .otherwise(lit(0_i64));
        (lo, hi, len)
    };
    let (qlo, qhi, customer) = clip("query_opened_at", "query_closed_at");
    let (rlo, rhi, referral) = clip("referred_at", "referral_returned_at");
    let both = col("query_opened_at")
        .is_not_null()
        .and(col("referred_at").is_not_null());
    let overlap = when(both)
        .then(span_len(emax(qlo, rlo), emin(qhi, rhi)))
        .otherwise(lit(0_i64));
    Waits {
        customer: customer.fill_null(lit(0_i64)),
        referral: referral.fill_null(lit(0_i64)),
        overlap: overlap.fill_null(lit(0_i64)),
    }
}

fn rounded(x: Expr) -> Expr {
    x.round(2, RoundMode::HalfToEven).cast(DataType::String)
}

impl Params {
    /// The rule as a [`TimeLimit`] (no waits excluded).
    #[must_use]
    pub fn time_limit(&self) -> TimeLimit<'_> {
        TimeLimit {
            from: &self.from,
            from_ty: self.from_ty,
            to: &self.to,
            to_ty: self.to_ty,
            max: self.max,
            min: self.min,
            exclude_customer_wait: false,
            exclude_referral_wait: false,
        }
    }

    pub(crate) fn compile(&self, ctx: &CompileCtx<'_>) -> PolarsResult<Check> {
        self.time_limit().check(ctx)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn limits_parse_into_exact_units() {
        assert_eq!(Limit::parse("30 days").unwrap().amount, 30);
        assert_eq!(Limit::parse("1 day").unwrap().amount, 1);
        assert_eq!(Limit::parse("36 hours").unwrap().amount, 36 * 3_600_000);
        assert_eq!(Limit::parse("1.5 hours").unwrap().amount, 5_400_000);
        assert_eq!(Limit::parse("90 minutes").unwrap().amount, 90 * 60_000);
        assert_eq!(Limit::parse("1.5 hours").unwrap().display(), "1.5 hours");
        assert_eq!(Limit::parse("2 days").unwrap().display(), "2 days");
    }

    #[test]
    fn working_limits_parse() {
        let l = Limit::parse("2 working days").unwrap();
        assert_eq!(
            (l.unit, l.amount, l.display().as_str()),
            (Unit::WorkingDays, 200, "2 working days")
        );
        let l = Limit::parse("1.5 working days").unwrap();
        assert_eq!((l.unit, l.amount), (Unit::WorkingDays, 150));
        let l = Limit::parse("1 working day").unwrap();
        assert_eq!(l.unit, Unit::WorkingDays);
        // 7.5 working hours = 27,000 working seconds
        let l = Limit::parse("7.5 working hours").unwrap();
        assert_eq!((l.unit, l.amount), (Unit::WorkingHours, 27_000));
        assert_eq!(l.display(), "7.5 working hours");
        let clock = WorkingClock::new(
            crate::calendar::Calendar::default(),
            chrono::NaiveDate::from_ymd_opt(2026, 10, 1).unwrap(),
            chrono::NaiveDate::from_ymd_opt(2026, 10, 2).unwrap(),
        );
        // 1.5 working days of 7.5 h = 11.25 h = 40,500 s
        assert_eq!(
            Limit::parse("1.5 working days")
                .unwrap()
                .working_seconds(&clock),
            Some(40_500)
        );
        assert_eq!(
            Limit::parse("2 days").unwrap().working_seconds(&clock),
            None
        );
    }

    #[test]
    fn bad_limits_are_explained() {
        assert!(Limit::parse("30").unwrap_err().contains("not a duration"));
        assert!(
            Limit::parse("3 weeks")
                .unwrap_err()
                .contains("unknown unit")
        );
        assert!(Limit::parse("1.5 days").unwrap_err().contains("whole"));
        assert!(Limit::parse("-2 days").is_err());
        assert!(
            Limit::parse("2 working weeks")
                .unwrap_err()
                .contains("working weeks")
        );
        assert!(
            Limit::parse("2 business days")
                .unwrap_err()
                .contains("not a duration")
        );
    }
}
