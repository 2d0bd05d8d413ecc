//! `expr`: a free-form condition in rhai over the case's fields, for what the structured kinds
//! cannot say. Evaluated per case by [`crate::engine::script`], in parallel and sandboxed.

use super::{Kind, KindInfo};
use crate::config::reader::MapReader;
use crate::engine::script;

/// Parameters of an `expr` rule.
#[derive(Debug, Clone)]
pub struct Params {
    /// The expression as written.
    pub source: String,
    /// The fields the expression names, in catalogue order.
    pub fields: Vec<String>,
    /// The field the finding is about (optional; defaults to the named fields).
    pub field: Option<String>,
}

/// Registry entry.
pub const INFO: KindInfo = KindInfo {
    name: "expr",
    keys: &["expr", "field"],
    summary: "a rhai expression over the case's fields that must be true",
    doc: r#"Parameters: `expr`, a [rhai](https://rhai.rs) expression that must evaluate to `true` for a
case to pass; `field` (optional), the field a finding is about. Fields are variables: text
as strings, integers as integers, money as exact decimals (`premium_charged >= 0`,
`amount > 1000.50`), booleans, dates as `"YYYY-MM-DD"` strings and timestamps as
`"YYYY-MM-DD HH:MM:SS"` strings (they compare correctly as strings). Helper functions:
`days_between(a, b)` (calendar days from date/timestamp `a` to `b`) and
`hours_between(a, b)`. The rule applies only to cases where every field the expression
names is present (use a `required` rule to catch empty fields). Scripts are sandboxed: no
file, network or process access, no `import` or `eval`, and at most 100,000 operations per
case; a script that exceeds the limit stops the run with an error naming the rule and case.
An unknown variable is a validation error. Actual: the named fields and their values.

```yaml
- id: entry.premium_sign_wrong
  title: Premium collected on a decrease or refunded on an increase
  checkpoint: entry
  error_point: 5
  severity: critical
  responsible: entry_operator
  when: { change_type: [sum_increase, sum_decrease] }
  kind: expr
  field: premium_charged
  expr: |
    if change_type == "sum_increase" { premium_charged >= 0 } else { premium_charged <= 0 }
  message: "a {change_type} booked a premium of {premium_charged}"
```"#,
    read,
};

fn read(r: &mut MapReader<'_, '_>) -> Option<Kind> {
    let source = r.req_string("expr", "the rhai expression that must be true");
    let field = r.get("field");
    let field = match field {
        Some(node) => Some(r.field_name(node, "field")?.0),
        None => None,
    };
    let (source, span) = source?;
    match script::compile(&source, r.catalog) {
        Ok(fields) => Some(Kind::Expr(Params {
            source,
            fields,
            field,
        })),
        Err(e) => {
            r.error(
                "rules::bad-expr",
                span,
                format!("rhai error in `expr`: {e}"),
            )
            .help = Some(String::from(
                "variables are the case's fields (SCHEMA.md and the column map's custom fields)",
            ));
            None
        }
    }
}
