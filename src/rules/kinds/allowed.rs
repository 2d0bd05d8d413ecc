//! `allowed`: the field's value must be one of a list.

use polars::prelude::*;

use super::{Kind, KindInfo, read_missing};
use crate::config::reader::MapReader;
use crate::config::yaml::Value;
use crate::engine::compile::{Check, CompileCtx, display_expr, one_of};
use crate::rules::Literal;
use crate::schema::FieldType;

/// Parameters of an `allowed` rule.
#[derive(Debug, Clone)]
pub struct Params {
    /// The field.
    pub field: String,
    /// Its type.
    pub ty: FieldType,
    /// The allowed values.
    pub values: Vec<Literal>,
    /// Whether an empty value fails (`missing: fail`) or is skipped (default).
    pub missing_fails: bool,
}

/// Registry entry.
pub const INFO: KindInfo = KindInfo {
    name: "allowed",
    keys: &["field", "values", "missing"],
    summary: "a field's value must be one of a list",
    doc: r#"Parameters: `field`; `values`, a list of constants of the field's type; `missing`:
`skip` (default: an empty value is not judged) or `fail` (an empty value fails). Actual: the
value.

```yaml
- id: entry.finance_referral_missing
  title: Payout was not referred to finance
  checkpoint: entry
  error_point: 4
  severity: major
  responsible: entry_operator
  when: { change_type: [surrender, partial_withdrawal, policy_loan, maturity_payment] }
  kind: allowed
  field: referral_dept
  values: [finance]
  missing: fail
  message: "a {change_type} must be referred to finance; referral: {actual}"
```"#,
    read,
};

fn read(r: &mut MapReader<'_, '_>) -> Option<Kind> {
    let field = r.req_field("field", "the field whose value is checked");
    let values_node = r.require("values", "the list of allowed values");
    let missing_fails = read_missing(r);
    let (field, ty, _) = field?;
    let node = values_node?;
    let Value::Seq(items) = &node.value else {
        let found = node.type_name();
        r.error(
            "rules::wrong-type",
            node.span,
            format!("`values` must be a list, found {found}"),
        );
        return None;
    };
    if items.is_empty() {
        r.error(
            "rules::bad-value",
            node.span,
            "`values` is empty: nothing would be allowed",
        );
        return None;
    }
    let values = r.literals(node, ty, &format!("`values` of `{field}` ({ty})"))?;
    Some(Kind::Allowed(Params {
        field,
        ty,
        values,
        missing_fails,
    }))
}

impl Params {
    pub(crate) fn compile(&self, _ctx: &CompileCtx<'_>) -> Check {
        let present = col(self.field.as_str()).is_not_null();
        let listed = self
            .values
            .iter()
            .map(Literal::display)
            .collect::<Vec<_>>()
            .join(", ");
        Check {
            applies: if self.missing_fails {
                lit(true)
            } else {
                present.clone()
            },
            fails: present
                .not()
                .or(one_of(&self.field, self.ty, &self.values).not()),
            expected: lit(format!("one of: {listed}")),
            actual: display_expr(&self.field, self.ty),
            field: self.field.clone(),
        }
    }
}
