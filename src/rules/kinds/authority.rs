//! `authority`: the operator must be on the roster, hold the stage's role, and have the
//! authority level the authority matrix requires for the change type and amount.

use polars::prelude::*;

use super::{Kind, KindInfo};
use crate::config::reader::MapReader;
use crate::engine::compile::{Check, CompileCtx, display_expr};
use crate::schema::{FieldType, STAGES};

/// Parameters of an `authority` rule.
#[derive(Debug, Clone)]
pub struct Params {
    /// The operator field.
    pub operator: String,
    /// The money field compared with the authority bands (none: no level check).
    pub amount: Option<String>,
    /// The role (stage) the operator must hold (none: no role check).
    pub role: Option<String>,
}

/// Registry entry.
pub const INFO: KindInfo = KindInfo {
    name: "authority",
    keys: &["operator", "amount", "role"],
    summary: "the operator is on the roster, holds the role, and has the authority level for the amount",
    doc: r#"Parameters: `operator`, the operator field; `role` (optional), a stage name the operator
must hold in the roster's `roles`; `amount` (optional), a money field compared with the
authority matrix. Needs the data folder's `operators` file, and `authority` when `amount` is
given. Applies when the operator field is present. Fails when the operator is not on the
roster, lacks the role, or has an `authority_level` below the `min_authority_level` of the
first band of the case's change type (bands in ascending `up_to_amount`; an empty
`up_to_amount` has no upper limit) that covers the amount. An amount above every band of
its change type fails (no one may approve it); a change type with no bands, or an empty
amount, has no level requirement.

```yaml
- id: controls.entry_authority
  title: Change keyed beyond the servicing clerk's authority
  checkpoint: entry
  error_point: 4
  severity: critical
  responsible: entry_operator
  kind: authority
  operator: entry_operator
  amount: amount
  role: entry
  message: "{actual}; required: {expected}"
```"#,
    read,
};

fn read(r: &mut MapReader<'_, '_>) -> Option<Kind> {
    let operator = r.req_field("operator", "the operator field whose authority is checked");
    let amount = r.get("amount");
    let role = r.opt_string("role");
    let (operator, oty, ospan) = operator?;
    let mut ok = true;
    if oty != FieldType::Text {
        r.error(
            "rules::wrong-type",
            ospan,
            format!("`{operator}` is {oty}; `operator` must be an operator (text) field"),
        );
        ok = false;
    }
    let amount = match amount {
        None => None,
        Some(node) => {
            let (name, ty, span) = r.field_name(node, "amount")?;
            if ty != FieldType::Money {
                r.error(
                    "rules::wrong-type",
                    span,
                    format!("`{name}` is {ty}; `amount` must be a money field"),
                );
                ok = false;
            }
            Some(name)
        }
    };
    if let Some((role, span)) = &role
        && !STAGES.contains(&role.as_str())
    {
        let hint = crate::config::diagnostics::suggest(role, STAGES).map_or_else(
            || format!("roles are stage names: {}", STAGES.join(", ")),
            |s| format!("did you mean `{s}`?"),
        );
        r.error("rules::bad-value", *span, format!("unknown role `{role}`"))
            .help = Some(hint);
        ok = false;
    }
    ok.then(|| {
        Kind::Authority(Params {
            operator,
            amount,
            role: role.map(|r| r.0),
        })
    })
}

impl Params {
    /// The fields read.
    #[must_use]
    pub fn fields(&self) -> Vec<String> {
        let mut f = vec![self.operator.clone()];
        if let Some(a) = &self.amount {
            f.push(a.clone());
            f.push(String::from("change_type"));
        }
        f
    }

    pub(crate) fn compile(&self, ctx: &CompileCtx<'_>) -> PolarsResult<Check> {
        let roster = ctx.roster.ok_or_else(
            || polars_err!(ComputeError: "the authority rule needs the operators file"),
        )?;
        let op = col(self.operator.as_str());
        let ids = Series::new("ids".into(), roster.ids.clone());
        let levels = Series::new("levels".into(), roster.levels.clone());
        let level = op.clone().replace_strict(
            lit(ids.clone()),
            lit(levels),
            Some(lit(NULL).cast(DataType::Int64)),
            Some(DataType::Int64),
        );
        // Per operator, looked up once: 0 not on the roster, 1 on it without the role, 2 on
        // it with the role (or any roster entry when the rule names no role).
        let holds: Vec<i32> = roster
            .roles
            .iter()
            .map(|r| match &self.role {
                Some(role) if !r.contains(&format!(";{role};")) => 1,
                _ => 2,
            })
            .collect();
        let held = op.clone().replace_strict(
            lit(ids),
            lit(Series::new("holds".into(), holds)),
            Some(lit(0_i32)),
            Some(DataType::Int32),
        );
        let known = held.clone().gt(lit(0_i32));
        let role_ok = held.clone().eq(lit(2_i32));
        let required = match (&self.amount, ctx.authority) {
            (Some(amount), Some(matrix)) => required_level(matrix, amount),
            (Some(_), None) => {
                return Err(
                    polars_err!(ComputeError: "the authority rule needs the authority file"),
                );
            }
            (None, _) => lit(NULL).cast(DataType::Int64),
        };
        // Each lookup appears once in `fails` (polars does not share a repeated lookup within
        // one expression: written with `known`, `role_ok` and `required.is_null()`, the rule
        // cost 0.17-0.24 s at 1M cases instead of about 0.06 s). `held != 2` is "not on the
        // roster or without the role"; no required level (null) passes.
        let level_ok = level
            .clone()
            .fill_null(lit(i64::MIN))
            .gt_eq(required.clone())
            .fill_null(lit(true));
        let fails = held.clone().neq(lit(2_i32)).or(level_ok.not());
        let role_text = self.role.clone().unwrap_or_default();
        let actual = when(known.clone().not())
            .then(concat_str(
                [op.clone(), lit("is not on the roster")],
                " ",
                false,
            ))
            .when(role_ok.clone().not())
            .then(concat_str(
                [
                    op.clone(),
                    lit(format!("does not hold the {role_text} role")),
                ],
                " ",
                false,
            ))
            .otherwise(concat_str(
                [
                    op,
                    lit("has authority level"),
                    level.cast(DataType::String).fill_null(lit("(none)")),
                ],
                " ",
                false,
            ));
        let amount_text = self
            .amount
            .as_deref()
            .map_or(lit(""), |a| display_expr(a, FieldType::Money));
        let rostered = if self.role.is_some() {
            format!("a rostered operator with the {role_text} role")
        } else {
            String::from("a rostered operator")
        };
        let expected = when(known.not().or(role_ok.not()))
            .then(lit(rostered))
            .when(required.clone().eq(lit(i64::MAX)))
            .then(concat_str(
                [
                    lit("no authority band covers"),
                    col("change_type"),
                    amount_text.clone(),
                ],
                " ",
                false,
            ))
            .otherwise(concat_str(
                [
                    lit("level >="),
                    required.cast(DataType::String),
                    lit("for"),
                    col("change_type"),
                    lit("of"),
                    amount_text,
                ],
                " ",
                false,
            ));
        Ok(Check {
            applies: col(self.operator.as_str()).is_not_null(),
            fails,
            expected,
            actual,
            field: self.operator.clone(),
        })
    }
}

/// The authority level the matrix requires for each case: the first band of the case's
/// change type that covers the amount; `i64::MAX` when none covers it; null when the change
/// type has no bands or the amount is empty.
fn required_level(matrix: &crate::input::reference::AuthorityMatrix, amount: &str) -> Expr {
    let ct = col("change_type");
    let amt = col(amount);
    // Per change type (one text comparison each), the first band that covers the amount.
    matrix
        .by_change_type()
        .collect::<Vec<_>>()
        .into_iter()
        .rev()
        .fold(
            lit(NULL).cast(DataType::Int64),
            |rest, (change_type, bands)| {
                let level =
                    bands
                        .iter()
                        .rev()
                        .fold(lit(i64::MAX), |above, band| match band.up_to {
                            Some(up_to) => when(amt.clone().lt_eq(lit(up_to)))
                                .then(lit(band.min_level))
                                .otherwise(above),
                            None => lit(band.min_level),
                        });
                when(
                    ct.clone()
                        .eq(lit(change_type.as_str()))
                        .and(amt.clone().is_not_null()),
                )
                .then(level)
                .otherwise(rest)
            },
        )
}
