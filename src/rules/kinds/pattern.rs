//! `pattern`: a text field must match a regular expression.

use polars::prelude::*;

use super::{Kind, KindInfo, read_missing};
use crate::config::reader::MapReader;
use crate::engine::compile::{Check, CompileCtx, display_expr};
use crate::schema::FieldType;

/// Parameters of a `pattern` rule.
#[derive(Debug, Clone)]
pub struct Params {
    /// The field.
    pub field: String,
    /// The regular expression (Rust `regex` syntax; search semantics, anchor with `^...$`).
    pub regex: String,
    /// Whether an empty value fails.
    pub missing_fails: bool,
}

/// Registry entry.
pub const INFO: KindInfo = KindInfo {
    name: "pattern",
    keys: &["field", "regex", "missing"],
    summary: "a text field must match a regular expression",
    doc: r#"Parameters: `field` (text); `regex` (Rust regex syntax, searched anywhere in the value:
anchor with `^...$` to match the whole value); `missing`: `skip` (default) or `fail`. An
invalid regex is reported by `policyqc validate` at its position. Actual: the value.

```yaml
- id: intake.policy_no_format
  title: Policy number not in the registry format
  checkpoint: intake
  error_point: 10
  severity: minor
  responsible: intake_operator
  kind: pattern
  field: policy_no
  regex: "^P[0-9]{9}$"
  message: "policy number {actual} is not a P followed by nine digits"
```"#,
    read,
};

fn read(r: &mut MapReader<'_, '_>) -> Option<Kind> {
    let field = r.req_field("field", "the text field to match");
    let regex = r.req_string("regex", "the regular expression the value must match");
    let missing_fails = read_missing(r);
    let (field, ty, span) = field?;
    let (regex, rspan) = regex?;
    if ty != FieldType::Text {
        r.error(
            "rules::wrong-type",
            span,
            format!("`pattern` needs a text field; `{field}` is {ty}"),
        );
        return None;
    }
    if let Err(e) = regex::Regex::new(&regex) {
        r.error(
            "rules::bad-regex",
            rspan,
            format!(
                "invalid regex: {}",
                e.to_string().lines().last().unwrap_or_default()
            ),
        )
        .help = Some(String::from(
            "regex syntax: https://docs.rs/regex/latest/regex/#syntax",
        ));
        return None;
    }
    Some(Kind::Pattern(Params {
        field,
        regex,
        missing_fails,
    }))
}

impl Params {
    pub(crate) fn compile(&self, _ctx: &CompileCtx<'_>) -> Check {
        let c = col(self.field.as_str());
        Check {
            applies: if self.missing_fails {
                lit(true)
            } else {
                c.clone().is_not_null()
            },
            fails: c
                .clone()
                .is_null()
                .or(c.str().contains(lit(self.regex.as_str()), true).not()),
            expected: lit(format!("matches {}", self.regex)),
            actual: display_expr(&self.field, FieldType::Text),
            field: self.field.clone(),
        }
    }
}
