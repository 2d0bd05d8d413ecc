//! `required`: the field (or every one of the fields) must not be empty.

use polars::prelude::*;

use super::{Kind, KindInfo};
use crate::config::reader::MapReader;
use crate::engine::compile::{Check, CompileCtx};

/// Parameters of a `required` rule.
#[derive(Debug, Clone)]
pub struct Params {
    /// The fields that must be present.
    pub fields: Vec<String>,
}

/// Registry entry.
pub const INFO: KindInfo = KindInfo {
    name: "required",
    keys: &["field", "fields"],
    summary: "a field (or each of several fields) must not be empty",
    doc: r#"Parameters: `field` (one field) or `fields` (a list). Fails when any of them is
empty. Applies to every case selected by `when`. Actual: the empty fields.

```yaml
- id: entry.effective_date_missing
  title: Endorsement has no effective date
  checkpoint: entry
  error_point: 6
  severity: major
  responsible: entry_operator
  when: { present: [entered_at] }
  kind: required
  field: effective_date
  message: "the endorsement was keyed without an effective date"
```"#,
    read,
};

fn read(r: &mut MapReader<'_, '_>) -> Option<Kind> {
    let (_, node) = r.one_of(
        "field",
        "fields",
        "the field (or list of fields) that must not be empty",
    )?;
    let fields = r.field_list(node, "fields")?;
    Some(Kind::Required(Params {
        fields: fields.into_iter().map(|f| f.0).collect(),
    }))
}

impl Params {
    pub(crate) fn compile(&self, _ctx: &CompileCtx<'_>) -> Check {
        let fails = self
            .fields
            .iter()
            .map(|f| col(f.as_str()).is_null())
            .reduce(Expr::or)
            .unwrap_or(lit(false));
        let missing: Vec<Expr> = self
            .fields
            .iter()
            .map(|f| {
                when(col(f.as_str()).is_null())
                    .then(lit(f.as_str()))
                    .otherwise(lit(NULL).cast(DataType::String))
            })
            .collect();
        Check {
            applies: lit(true),
            fails,
            expected: lit("present"),
            actual: if self.fields.len() == 1 {
                lit("empty")
            } else {
                concat_str([concat_str(&missing, ", ", true), lit("empty")], " ", true)
            },
            field: self.fields.join(", "),
        }
    }
}
