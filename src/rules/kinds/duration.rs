//! `duration`: the time between two dates or timestamps must be within a limit.

use polars::prelude::*;

use super::{Kind, KindInfo};
use crate::config::reader::{MapReader, parse_cents};
use crate::config::yaml::Node;
use crate::engine::compile::{Check, CompileCtx, value_expr};
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
}

impl Unit {
    fn name(self) -> &'static str {
        match self {
            Unit::Days => "days",
            Unit::Hours => "hours",
            Unit::Minutes => "minutes",
        }
    }
}

/// A limit such as `30 days` or `36 hours`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Limit {
    /// Days for [`Unit::Days`]; milliseconds for hours and minutes.
    pub amount: i64,
    /// The unit.
    pub unit: Unit,
    /// The amount as written, in hundredths of the unit (for display).
    pub written: i64,
}

impl Limit {
    /// Parses `N days`, `N hours` or `N minutes` (hours and minutes may have two decimals).
    pub fn parse(text: &str) -> Result<Self, String> {
        let mut parts = text.split_whitespace();
        let (Some(num), Some(unit), None) = (parts.next(), parts.next(), parts.next()) else {
            return Err(format!(
                "`{text}` is not a duration: write e.g. `30 days`, `36 hours` or `90 minutes`"
            ));
        };
        let hundredths = parse_cents(num).filter(|v| *v >= 0).ok_or_else(|| {
            format!("`{num}` is not a non-negative number with at most two decimals")
        })?;
        let unit = match unit {
            "day" | "days" => Unit::Days,
            "hour" | "hours" => Unit::Hours,
            "minute" | "minutes" => Unit::Minutes,
            other => {
                return Err(format!(
                    "unknown unit `{other}`: use days, hours or minutes"
                ));
            }
        };
        let amount = match unit {
            Unit::Days if hundredths % 100 != 0 => {
                return Err(String::from("days are whole calendar days"));
            }
            Unit::Days => hundredths / 100,
            Unit::Hours => hundredths * 36_000,
            Unit::Minutes => hundredths * 600,
        };
        Ok(Self {
            amount,
            unit,
            written: hundredths,
        })
    }

    /// How the limit is shown: `30 days`, `1.5 hours`.
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
        format!("{num} {}", self.unit.name())
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
`N days`, `N hours` or `N minutes` (hours and minutes may have two decimals). Applies when
both fields are present. `days` are calendar days: the difference between the two *dates*,
times of day ignored (received Monday 17:00, registered Wednesday 09:00 = 2 days). Hours and
minutes are elapsed time. A `to` before `from` gives a negative duration, which only a `min`
catches (use `date_order` for ordering). Actual: the duration; expected: the limit.

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

fn read(r: &mut MapReader<'_, '_>) -> Option<Kind> {
    let from = r.req_field("from", "the date or datetime the duration starts at");
    let to = r.req_field("to", "the date or datetime the duration ends at");
    let max = r.get("max");
    let min = r.get("min");
    let (from, from_ty, fspan) = from?;
    let (to, to_ty, tspan) = to?;
    let mut ok = true;
    for (name, ty, span) in [(&from, from_ty, fspan), (&to, to_ty, tspan)] {
        if !ty.is_temporal() {
            r.error(
                "rules::wrong-type",
                span,
                format!("`{name}` is {ty}; `duration` takes date and datetime fields"),
            );
            ok = false;
        }
    }
    if max.is_none() && min.is_none() {
        let span = r.span();
        r.error(
            "rules::missing-key",
            span,
            "a `duration` rule needs `max`, `min` or both (e.g. `max: 2 days`)",
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
        Limit::parse(&text).map(Some).map_err(|e| {
            r.error("rules::bad-value", node.span, format!("`{key}`: {e}"));
        })
    };
    let max = limit(max, "max");
    let min = limit(min, "min");
    let (Ok(max), Ok(min)) = (max, min) else {
        return None;
    };
    ok.then_some(Kind::Duration(Params {
        from,
        from_ty,
        to,
        to_ty,
        max,
        min,
    }))
}

fn day_number(field: &str, ty: FieldType) -> Expr {
    let c = col(field);
    let date = if ty == FieldType::DateTime {
        c.cast(DataType::Date)
    } else {
        c
    };
    date.cast(DataType::Int32).cast(DataType::Int64)
}

impl Params {
    pub(crate) fn compile(&self, _ctx: &CompileCtx<'_>) -> Check {
        let unit = self.max.or(self.min).map_or(Unit::Days, |l| l.unit);
        let span = |u: Unit| match u {
            Unit::Days => day_number(&self.to, self.to_ty) - day_number(&self.from, self.from_ty),
            Unit::Hours | Unit::Minutes => {
                value_expr(&self.to, self.to_ty) - value_expr(&self.from, self.from_ty)
            }
        };
        let mut fails = lit(false);
        if let Some(max) = self.max {
            fails = fails.or(span(max.unit).gt(lit(max.amount)));
        }
        if let Some(min) = self.min {
            fails = fails.or(span(min.unit).lt(lit(min.amount)));
        }
        let actual = match unit {
            Unit::Days => concat_str(
                [span(Unit::Days).cast(DataType::String), lit("days")],
                " ",
                false,
            ),
            Unit::Hours => concat_str(
                [
                    (span(Unit::Hours).cast(DataType::Float64) / lit(3_600_000.0))
                        .round(2, RoundMode::HalfToEven)
                        .cast(DataType::String),
                    lit("hours"),
                ],
                " ",
                false,
            ),
            Unit::Minutes => concat_str(
                [
                    (span(Unit::Minutes).cast(DataType::Float64) / lit(60_000.0))
                        .round(2, RoundMode::HalfToEven)
                        .cast(DataType::String),
                    lit("minutes"),
                ],
                " ",
                false,
            ),
        };
        let expected = match (self.min, self.max) {
            (Some(a), Some(b)) => format!("between {} and {}", a.display(), b.display()),
            (None, Some(b)) => format!("<= {}", b.display()),
            (Some(a), None) => format!(">= {}", a.display()),
            (None, None) => String::new(),
        };
        Check {
            applies: col(self.from.as_str())
                .is_not_null()
                .and(col(self.to.as_str()).is_not_null()),
            fails,
            expected: lit(expected),
            actual,
            field: format!("{} -> {}", self.from, self.to),
        }
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
    fn bad_limits_are_explained() {
        assert!(Limit::parse("30").unwrap_err().contains("not a duration"));
        assert!(
            Limit::parse("3 weeks")
                .unwrap_err()
                .contains("unknown unit")
        );
        assert!(Limit::parse("1.5 days").unwrap_err().contains("whole"));
        assert!(Limit::parse("-2 days").is_err());
    }
}
