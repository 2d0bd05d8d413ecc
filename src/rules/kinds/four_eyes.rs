//! `four_eyes`: two (or more) operator fields must name different people.

use polars::prelude::*;

use super::{Kind, KindInfo};
use crate::config::reader::MapReader;
use crate::engine::compile::{Check, CompileCtx};
use crate::schema::FieldType;

/// Parameters of a `four_eyes` rule.
#[derive(Debug, Clone)]
pub struct Params {
    /// The operator fields that must differ.
    pub fields: Vec<String>,
}

/// Registry entry.
pub const INFO: KindInfo = KindInfo {
    name: "four_eyes",
    keys: &["fields"],
    summary: "operator fields must name different people (four-eyes principle)",
    doc: r#"Parameters: `fields`, two or more text fields naming operators. Applies when all are
present; fails when any two are the same operator. Actual: the fields that coincide and the
operator.

```yaml
- id: double_check.four_eyes_entry
  title: Change checked by the operator who keyed it
  checkpoint: double_check
  error_point: 7
  severity: critical
  responsible: checker
  kind: four_eyes
  fields: [entry_operator, checker]
  message: "the same operator keyed and checked the change: {actual}"
```"#,
    read,
};

fn read(r: &mut MapReader<'_, '_>) -> Option<Kind> {
    let node = r.require("fields", "the operator fields that must differ")?;
    let fields = r.field_list(node, "fields")?;
    if fields.len() < 2 {
        r.error(
            "rules::bad-value",
            node.span,
            "`four_eyes` needs at least two fields",
        );
        return None;
    }
    let mut ok = true;
    for (name, ty, span) in &fields {
        if *ty != FieldType::Text {
            r.error(
                "rules::wrong-type",
                *span,
                format!("`{name}` is {ty}; `four_eyes` compares operator (text) fields"),
            );
            ok = false;
        }
    }
    ok.then(|| {
        Kind::FourEyes(Params {
            fields: fields.into_iter().map(|f| f.0).collect(),
        })
    })
}

impl Params {
    pub(crate) fn compile(&self, _ctx: &CompileCtx<'_>) -> Check {
        let mut pairs = Vec::new();
        for i in 0..self.fields.len() {
            for j in i + 1..self.fields.len() {
                let (a, b) = (&self.fields[i], &self.fields[j]);
                pairs.push((
                    col(a.as_str()).eq(col(b.as_str())).fill_null(lit(false)),
                    a,
                    b,
                ));
            }
        }
        let fails = pairs
            .iter()
            .map(|p| p.0.clone())
            .reduce(Expr::or)
            .unwrap_or(lit(false));
        let mut actual = lit("");
        for (same, a, b) in pairs.iter().rev() {
            actual = when(same.clone())
                .then(concat_str(
                    [lit(format!("{a} = {b} =")), col(a.as_str())],
                    " ",
                    false,
                ))
                .otherwise(actual);
        }
        Check {
            applies: self
                .fields
                .iter()
                .map(|f| col(f.as_str()).is_not_null())
                .reduce(Expr::and)
                .unwrap_or(lit(true)),
            fails,
            expected: lit(format!("different operators in {}", self.fields.join(", "))),
            actual,
            field: self.fields.join(", "),
        }
    }
}
