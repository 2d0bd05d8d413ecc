//! `date_order`: dates and timestamps must follow each other in the listed order.

use polars::prelude::*;

use super::{Kind, KindInfo};
use crate::config::reader::MapReader;
use crate::engine::compile::{Check, CompileCtx, labelled, value_expr};
use crate::schema::FieldType;

/// Parameters of a `date_order` rule.
#[derive(Debug, Clone)]
pub struct Params {
    /// The fields, earliest first.
    pub fields: Vec<String>,
    /// Their types.
    pub types: Vec<FieldType>,
    /// Whether equal values fail (`strict: true`).
    pub strict: bool,
}

/// Registry entry.
pub const INFO: KindInfo = KindInfo {
    name: "date_order",
    keys: &["fields", "strict"],
    summary: "dates and timestamps must be in the listed order",
    doc: r#"Parameters: `fields`, two or more date or datetime fields, earliest first; `strict`
(default false: equal values pass). For every pair of listed fields that are both present,
the earlier one in the list must not be after the later one (a date counts as 00:00 of its
day). Empty fields are skipped, so an open case is judged on the stages it has reached.
Applies when at least two of the fields are present. Actual: the first pair out of order.

```yaml
- id: binding.bound_before_check
  title: Policy bound before the double-check finished
  checkpoint: binding
  error_point: 8
  severity: major
  responsible: binder
  kind: date_order
  fields: [checked_at, bound_at]
  message: "bound before the double-check finished: {actual}"
```"#,
    read,
};

fn read(r: &mut MapReader<'_, '_>) -> Option<Kind> {
    let fields_node = r.require("fields", "the date or datetime fields, earliest first");
    let strict = r.opt_bool("strict").unwrap_or(false);
    let node = fields_node?;
    let fields = r.field_list(node, "fields")?;
    if fields.len() < 2 {
        r.error(
            "rules::bad-value",
            node.span,
            "`date_order` needs at least two fields",
        );
        return None;
    }
    let mut ok = true;
    for (name, ty, span) in &fields {
        if !ty.is_temporal() {
            r.error(
                "rules::wrong-type",
                *span,
                format!("`{name}` is {ty}; `date_order` takes date and datetime fields"),
            );
            ok = false;
        }
    }
    ok.then(|| {
        Kind::DateOrder(Params {
            types: fields.iter().map(|f| f.1).collect(),
            fields: fields.into_iter().map(|f| f.0).collect(),
            strict,
        })
    })
}

impl Params {
    pub(crate) fn compile(&self, _ctx: &CompileCtx<'_>) -> Check {
        let n = self.fields.len();
        let present: Vec<Expr> = self
            .fields
            .iter()
            .map(|f| col(f.as_str()).is_not_null().cast(DataType::Int32))
            .collect();
        let count = present.into_iter().reduce(|a, b| a + b).unwrap_or(lit(0));
        let mut pairs = Vec::new();
        for i in 0..n {
            for j in i + 1..n {
                let (a, b) = (
                    value_expr(&self.fields[i], self.types[i]),
                    value_expr(&self.fields[j], self.types[j]),
                );
                let bad = if self.strict { a.gt_eq(b) } else { a.gt(b) };
                pairs.push((bad.fill_null(lit(false)), i, j));
            }
        }
        let fails = pairs
            .iter()
            .map(|p| p.0.clone())
            .reduce(Expr::or)
            .unwrap_or(lit(false));
        let word = if self.strict { "not before" } else { "after" };
        let mut actual: Option<Expr> = None;
        for (bad, i, j) in pairs.iter().rev() {
            let text = concat_str(
                [
                    labelled(&self.fields[*i], self.types[*i]),
                    lit(word),
                    labelled(&self.fields[*j], self.types[*j]),
                ],
                " ",
                false,
            );
            actual = Some(match actual {
                None => when(bad.clone()).then(text).otherwise(lit("")),
                Some(rest) => when(bad.clone()).then(text).otherwise(rest),
            });
        }
        let sep = if self.strict { " < " } else { " <= " };
        Check {
            applies: count.gt_eq(lit(2)),
            fails,
            expected: lit(self.fields.join(sep)),
            actual: actual.unwrap_or(lit("")),
            field: self.fields.join(sep),
        }
    }
}
