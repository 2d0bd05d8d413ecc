//! `compare`: a field against another field or a constant.

use polars::prelude::*;

use super::{Kind, KindInfo, read_missing};
use crate::config::reader::{MapReader, money_cents};
use crate::config::yaml::Value;
use crate::engine::compile::{Check, CompileCtx, display_expr, literal_expr, value_expr};
use crate::rules::{Literal, format_cents};
use crate::schema::FieldType;

/// A comparison operator.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Op {
    /// `==`
    Eq,
    /// `!=`
    Ne,
    /// `<`
    Lt,
    /// `<=`
    Le,
    /// `>`
    Gt,
    /// `>=`
    Ge,
}

impl Op {
    pub(crate) const ALL: [(Op, &'static str); 6] = [
        (Op::Eq, "=="),
        (Op::Ne, "!="),
        (Op::Lt, "<"),
        (Op::Le, "<="),
        (Op::Gt, ">"),
        (Op::Ge, ">="),
    ];

    /// The operator as written.
    #[must_use]
    pub fn symbol(self) -> &'static str {
        Self::ALL
            .iter()
            .find(|(o, _)| *o == self)
            .map_or("", |(_, s)| s)
    }

    fn parse(s: &str) -> Option<Self> {
        Self::ALL.iter().find(|(_, sym)| *sym == s).map(|(o, _)| *o)
    }
}

/// The right-hand side of a comparison.
#[derive(Debug, Clone)]
pub enum Rhs {
    /// Another field, with its type.
    Field(String, FieldType),
    /// A constant.
    Value(Literal),
}

/// Parameters of a `compare` rule.
#[derive(Debug, Clone)]
pub struct Params {
    /// The left-hand field.
    pub field: String,
    /// Its type.
    pub ty: FieldType,
    /// The operator.
    pub op: Op,
    /// The right-hand side.
    pub rhs: Rhs,
    /// Tolerance in the field's unit (cents for money); 0 when not given.
    pub tolerance: i64,
    /// Whether an empty side fails.
    pub missing_fails: bool,
}

/// Registry entry.
pub const INFO: KindInfo = KindInfo {
    name: "compare",
    keys: &["field", "op", "to", "value", "tolerance", "missing"],
    summary: "a field against another field (`to`) or a constant (`value`)",
    doc: r#"Parameters: `field`; `op`: one of `==`, `!=`, `<`, `<=`, `>`, `>=`; either `to` (another
field of a comparable type) or `value` (a constant of the field's type); `tolerance`
(integer and money fields only; money in currency units, exact to the cent, default 0);
`missing`: `skip` (default: the rule applies only when both sides are present) or `fail`.

Types: integers with integers, money with money (compared as integer cents, never as
floats), dates and timestamps with each other (a date counts as 00:00 of its day), text
with text, booleans with `==`/`!=`. The tolerance widens the passing zone: `==` passes when
|a - b| <= tolerance, `<=` when a <= b + tolerance, `>=` when a >= b - tolerance, `!=` when
|a - b| > tolerance. Expected: the operator and the other side's value; actual: the value.

```yaml
- id: entry.premium_miscomputed
  title: Premium collected or refunded differs from the system calculation
  checkpoint: entry
  error_point: 5
  severity: critical
  responsible: entry_operator
  kind: compare
  field: premium_charged
  op: "=="
  to: premium_expected
  tolerance: 0.00
  message: "premium booked {premium_charged}, the calculator says {premium_expected}"
```"#,
    read,
};

fn read(r: &mut MapReader<'_, '_>) -> Option<Kind> {
    let field = r.req_field("field", "the field on the left of the comparison");
    let op = r.req_string("op", "one of ==, !=, <, <=, >, >=");
    let rhs = r.one_of(
        "to",
        "value",
        "the field (`to`) or constant (`value`) to compare with",
    );
    let tol = r.get("tolerance");
    let missing_fails = read_missing(r);
    let (field, ty, fspan) = field?;
    let op = match op {
        Some((s, span)) => {
            if let Some(op) = Op::parse(&s) {
                Some(op)
            } else {
                r.error("rules::bad-value", span, format!("unknown operator `{s}`"))
                    .help = Some(String::from(
                    "use one of ==, !=, <, <=, >, >= (quote it in YAML: op: \"<=\")",
                ));
                None
            }
        }
        None => None,
    };
    let (is_field, node) = rhs?;
    let rhs = if is_field {
        let (other, oty, ospan) = r.field_name(node, "to")?;
        if !ty.comparable_with(oty) {
            let msg = format!("cannot compare `{field}` ({ty}) with `{other}` ({oty})");
            let file = r.file().clone();
            r.diags.push(
                crate::config::diagnostics::Problem::error(
                    "rules::type-mismatch",
                    &file,
                    ospan,
                    msg,
                )
                .label(format!("{oty}"))
                .also(fspan, format!("{ty}")),
            );
            return None;
        }
        Rhs::Field(other, oty)
    } else {
        match Literal::read(node, ty) {
            Ok(v) => Rhs::Value(v),
            Err(e) => {
                r.error(
                    "rules::bad-value",
                    node.span,
                    format!("`value` for `{field}` ({ty}): {e}"),
                );
                return None;
            }
        }
    };
    let op = op?;
    if matches!(ty, FieldType::Bool) && !matches!(op, Op::Eq | Op::Ne) {
        r.error(
            "rules::bad-value",
            fspan,
            format!("booleans can only be compared with == or !=; `{field}` is bool"),
        );
        return None;
    }
    let tolerance = match tol {
        None => 0,
        Some(node) => {
            let t = match ty {
                FieldType::Money => money_cents(node),
                FieldType::Integer => match node.value {
                    Value::Int(i) => Some(i),
                    _ => None,
                },
                _ => {
                    r.error(
                        "rules::bad-value",
                        node.span,
                        format!(
                            "`tolerance` applies to integer and money fields; `{field}` is {ty}"
                        ),
                    );
                    return None;
                }
            };
            match t {
                Some(t) if t >= 0 => t,
                _ => {
                    r.error("rules::bad-value", node.span, format!("`tolerance` must be a non-negative {ty} amount (money: at most two decimals)"));
                    return None;
                }
            }
        }
    };
    Some(Kind::Compare(Params {
        field,
        ty,
        op,
        rhs,
        tolerance,
        missing_fails,
    }))
}

impl Params {
    /// The fields read.
    #[must_use]
    pub fn fields(&self) -> Vec<String> {
        match &self.rhs {
            Rhs::Field(f, _) => vec![self.field.clone(), f.clone()],
            Rhs::Value(_) => vec![self.field.clone()],
        }
    }

    pub(crate) fn compile(&self, _ctx: &CompileCtx<'_>) -> Check {
        let a = value_expr(&self.field, self.ty);
        let (b, b_present, b_text) = match &self.rhs {
            Rhs::Field(f, t) => (
                value_expr(f, *t),
                col(f.as_str()).is_not_null(),
                display_expr(f, *t),
            ),
            Rhs::Value(v) => (literal_expr(v), lit(true), lit(v.display())),
        };
        let tol = lit(self.tolerance);
        let pass = if self.tolerance == 0 {
            match self.op {
                Op::Eq => a.eq(b),
                Op::Ne => a.neq(b),
                Op::Lt => a.lt(b),
                Op::Le => a.lt_eq(b),
                Op::Gt => a.gt(b),
                Op::Ge => a.gt_eq(b),
            }
        } else {
            match self.op {
                Op::Eq => (a - b).abs().lt_eq(tol),
                Op::Ne => (a - b).abs().gt(tol),
                Op::Lt => a.lt(b + tol),
                Op::Le => a.lt_eq(b + tol),
                Op::Gt => a.gt(b - tol),
                Op::Ge => a.gt_eq(b - tol),
            }
        };
        let both = col(self.field.as_str()).is_not_null().and(b_present);
        let mut expected = vec![lit(format!("{} ", self.op.symbol())), b_text];
        if self.tolerance != 0 {
            let t = if self.ty == FieldType::Money {
                format_cents(self.tolerance)
            } else {
                self.tolerance.to_string()
            };
            expected.push(lit(format!(" (tolerance {t})")));
        }
        Check {
            applies: if self.missing_fails {
                lit(true)
            } else {
                both.clone()
            },
            fails: both.not().or(pass.not()),
            expected: concat_str(expected, "", false),
            actual: display_expr(&self.field, self.ty),
            field: self.field.clone(),
        }
    }
}
