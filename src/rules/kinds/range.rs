//! `range`: a number, amount or date must lie between bounds (inclusive).

use polars::prelude::*;

use super::{Kind, KindInfo, read_missing};
use crate::config::reader::MapReader;
use crate::engine::compile::{Check, CompileCtx, display_expr, literal_expr, value_expr};
use crate::rules::Literal;
use crate::schema::FieldType;

/// Parameters of a `range` rule.
#[derive(Debug, Clone)]
pub struct Params {
    /// The field.
    pub field: String,
    /// Its type.
    pub ty: FieldType,
    /// Lowest allowed value.
    pub min: Option<Literal>,
    /// Highest allowed value.
    pub max: Option<Literal>,
    /// Whether an empty value fails.
    pub missing_fails: bool,
}

/// Registry entry.
pub const INFO: KindInfo = KindInfo {
    name: "range",
    keys: &["field", "min", "max", "missing"],
    summary: "a number, amount or date must lie between bounds (inclusive)",
    doc: r#"Parameters: `field` (integer, money, date or datetime); `min` and/or `max`, constants of
the field's type (money exact to the cent); `missing`: `skip` (default) or `fail`. Bounds
are inclusive. Actual: the value.

```yaml
- id: entry.amount_out_of_range
  title: Payout amount outside the plausible range
  checkpoint: entry
  error_point: 4
  severity: major
  responsible: entry_operator
  kind: range
  field: amount
  min: 0.01
  max: 5000000.00
  message: "payout amount {actual} is outside {expected}"
```"#,
    read,
};

fn read(r: &mut MapReader<'_, '_>) -> Option<Kind> {
    let field = r.req_field("field", "the field whose value is checked");
    let min_node = r.get("min");
    let max_node = r.get("max");
    let missing_fails = read_missing(r);
    let (field, ty, span) = field?;
    if ty == FieldType::Text || ty == FieldType::Bool {
        r.error(
            "rules::wrong-type",
            span,
            format!("`range` needs a number, amount or date; `{field}` is {ty}"),
        );
        return None;
    }
    if min_node.is_none() && max_node.is_none() {
        let span = r.span();
        r.error(
            "rules::missing-key",
            span,
            "a `range` rule needs `min`, `max` or both",
        );
        return None;
    }
    let mut bound =
        |node: Option<&crate::config::yaml::Node>, key: &str| -> Result<Option<Literal>, ()> {
            let Some(node) = node else { return Ok(None) };
            Literal::read(node, ty).map(Some).map_err(|e| {
                r.error(
                    "rules::bad-value",
                    node.span,
                    format!("`{key}` of `{field}` ({ty}): {e}"),
                );
            })
        };
    let min = bound(min_node, "min");
    let max = bound(max_node, "max");
    let (Ok(min), Ok(max)) = (min, max) else {
        return None;
    };
    Some(Kind::Range(Params {
        field,
        ty,
        min,
        max,
        missing_fails,
    }))
}

impl Params {
    pub(crate) fn compile(&self, _ctx: &CompileCtx<'_>) -> Check {
        let v = value_expr(&self.field, self.ty);
        let mut outside = lit(false);
        if let Some(min) = &self.min {
            outside = outside.or(v.clone().lt(literal_expr(min)));
        }
        if let Some(max) = &self.max {
            outside = outside.or(v.clone().gt(literal_expr(max)));
        }
        let expected = match (&self.min, &self.max) {
            (Some(a), Some(b)) => format!("between {} and {}", a.display(), b.display()),
            (Some(a), None) => format!(">= {}", a.display()),
            (None, Some(b)) => format!("<= {}", b.display()),
            (None, None) => String::new(),
        };
        let present = col(self.field.as_str()).is_not_null();
        Check {
            applies: if self.missing_fails {
                lit(true)
            } else {
                present.clone()
            },
            fails: present.not().or(outside),
            expected: lit(expected),
            actual: display_expr(&self.field, self.ty),
            field: self.field.clone(),
        }
    }
}
