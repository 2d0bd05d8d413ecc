//! `cycle_time`: working time between two stages, optionally net of the time the case waited
//! on the customer (an open query) or on another department (a referral), within a limit.

use polars::prelude::*;

use super::duration::{Limit, TimeLimit, read_limits, read_span_fields};
use super::{Kind, KindInfo};
use crate::config::diagnostics::suggest;
use crate::config::reader::MapReader;
use crate::config::yaml::Value;
use crate::engine::compile::{Check, CompileCtx};
use crate::schema::FieldType;

/// The waits a `cycle_time` rule may leave out.
pub const WAITS: [&str; 2] = ["customer_wait", "referral_wait"];

/// Parameters of a `cycle_time` rule.
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
    /// Longest allowed working time.
    pub max: Option<Limit>,
    /// Shortest allowed working time.
    pub min: Option<Limit>,
    /// Leave out the time a customer query was open.
    pub exclude_customer_wait: bool,
    /// Leave out the time at underwriting or finance.
    pub exclude_referral_wait: bool,
}

/// Registry entry.
pub const INFO: KindInfo = KindInfo {
    name: "cycle_time",
    keys: &["from", "to", "max", "min", "exclude"],
    summary: "the working time from one stage to another, net of customer and referral wait, must be within a limit",
    doc: r#"Parameters: `from` and `to`, date or datetime fields (a stage's start and end, or
`received_at` and `bound_at` for the whole cycle); `max` and/or `min` in working time,
`N working days` or `N working hours`, counted with the data folder's `calendar.yaml` (the
office standard when there is none; see `duration` for the units); `exclude`, a list of the
waits left out of the measured time: `customer_wait` (an open query, `query_opened_at` to
`query_closed_at`) and `referral_wait` (time at underwriting or finance, `referred_at` to
`referral_returned_at`). A wait counts only where it lies between `from` and `to`; a wait
not yet closed runs to `to`; where the two waits overlap, the overlap is left out once.
Applies when `from` and `to` are present. The status report (`policyqc status`) uses the
same rules for open cases, measured up to the end of the report's day, to list stuck
cases. Actual: the net working time; expected: the limit.

```yaml
- id: entry.entry_late
  title: Entry finished more than 4 working days after review, waits excluded
  checkpoint: entry
  error_point: 4
  severity: minor
  responsible: entry_operator
  kind: cycle_time
  from: reviewed_at
  to: entered_at
  max: 4 working days
  exclude: [customer_wait, referral_wait]
  message: "entry took {actual} after review, waits excluded; the limit is {expected}"
```"#,
    read,
};

fn read(r: &mut MapReader<'_, '_>) -> Option<Kind> {
    let fields = read_span_fields(r, "cycle_time");
    let limits = read_limits(r, "cycle_time", true);
    let mut exclude = Some((false, false));
    if let Some(node) = r.get("exclude") {
        let items: Vec<&crate::config::yaml::Node> = match &node.value {
            Value::Seq(items) => items.iter().collect(),
            Value::Str(_) => vec![node],
            _ => {
                r.error(
                    "rules::wrong-type",
                    node.span,
                    format!(
                        "`exclude` must be a list of waits ({}), found {}",
                        WAITS.join(", "),
                        node.type_name()
                    ),
                );
                Vec::new()
            }
        };
        let (mut customer, mut referral) = (false, false);
        for item in items {
            match item.as_str() {
                Some("customer_wait") => customer = true,
                Some("referral_wait") => referral = true,
                other => {
                    let shown = other.map_or_else(|| item.type_name().to_owned(), str::to_owned);
                    let hint = other.and_then(|o| suggest(o, WAITS)).map_or_else(
                        || format!("waits: {}", WAITS.join(", ")),
                        |s| format!("did you mean `{s}`?"),
                    );
                    r.error(
                        "rules::bad-value",
                        item.span,
                        format!("unknown wait `{shown}` in `exclude`"),
                    )
                    .help = Some(hint);
                    exclude = None;
                }
            }
        }
        exclude = exclude.map(|_| (customer, referral));
    }
    let ((from, from_ty), (to, to_ty)) = fields?;
    let (max, min) = limits?;
    let (exclude_customer_wait, exclude_referral_wait) = exclude?;
    Some(Kind::CycleTime(Params {
        from,
        from_ty,
        to,
        to_ty,
        max,
        min,
        exclude_customer_wait,
        exclude_referral_wait,
    }))
}

impl Params {
    /// The rule as a [`TimeLimit`].
    #[must_use]
    pub fn time_limit(&self) -> TimeLimit<'_> {
        TimeLimit {
            from: &self.from,
            from_ty: self.from_ty,
            to: &self.to,
            to_ty: self.to_ty,
            max: self.max,
            min: self.min,
            exclude_customer_wait: self.exclude_customer_wait,
            exclude_referral_wait: self.exclude_referral_wait,
        }
    }

    /// The fields the rule reads: `from`, `to` and the fields of the excluded waits.
    #[must_use]
    pub fn fields(&self) -> Vec<String> {
        let mut out = vec![self.from.clone(), self.to.clone()];
        if self.exclude_customer_wait {
            out.extend(["query_opened_at".into(), "query_closed_at".into()]);
        }
        if self.exclude_referral_wait {
            out.extend(["referred_at".into(), "referral_returned_at".into()]);
        }
        out
    }

    pub(crate) fn compile(&self, ctx: &CompileCtx<'_>) -> PolarsResult<Check> {
        let limit = self.time_limit();
        let mut check = limit.check(ctx)?;
        let waits: Vec<&str> = [
            (self.exclude_customer_wait, "customer wait"),
            (self.exclude_referral_wait, "referral wait"),
        ]
        .iter()
        .filter(|(on, _)| *on)
        .map(|(_, name)| *name)
        .collect();
        if !waits.is_empty() {
            check.actual = concat_str(
                [check.actual, lit(format!("net of {}", waits.join(" and ")))],
                " ",
                false,
            );
        }
        Ok(check)
    }
}
