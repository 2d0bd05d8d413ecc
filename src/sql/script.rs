//! The documented subset of `expr` rules as a polars expression, which [`super::expr`] then
//! writes as SQL: literals, fields, comparisons, `!`, `&&`, `||`, `+ - *`, `if/else`,
//! `days_between` and `hours_between`. Anything else (a variable assignment, a loop, another
//! function, `/`) is [`Untranslatable`], with the reason.
//!
//! Values are typed as the script sees them: text, whole numbers, money as exact decimals
//! (here integer cents, so a money literal or a whole number compared with money is scaled
//! by 100), booleans, and dates and timestamps as their text (`2026-10-05 09:30:00`), so
//! comparing them compares text, as rhai does.

use polars::prelude::*;
use rhai::{Expr as R, Stmt};

use super::expr::Untranslatable;
use crate::config::reader::FieldCatalog;
use crate::engine::compile::display_expr;
use crate::schema::FieldType;

/// What a translated value is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Ty {
    Text,
    Int,
    /// Integer cents.
    Money,
    Bool,
    /// Hours as a float (`hours_between`).
    Hours,
}

fn no(reason: impl Into<String>) -> Untranslatable {
    Untranslatable {
        node: reason.into(),
    }
}

/// The expression `source` as a polars boolean expression over the cases' typed columns.
pub fn translate(source: &str, catalog: &FieldCatalog) -> Result<Expr, Untranslatable> {
    let mut scope = rhai::Scope::new();
    for name in catalog.names() {
        scope.push_dynamic(name.to_owned(), rhai::Dynamic::UNIT);
    }
    let ast = crate::engine::script::engine()
        .compile_with_scope(&scope, source)
        .map_err(|e| no(e.to_string()))?;
    let [stmt] = ast.statements() else {
        return Err(no("an expression of more than one statement"));
    };
    let (e, ty) = stmt_expr(stmt, catalog)?;
    if ty != Ty::Bool {
        return Err(no("an expression that is not true or false"));
    }
    Ok(e)
}

fn stmt_expr(s: &Stmt, c: &FieldCatalog) -> Result<(Expr, Ty), Untranslatable> {
    match s {
        Stmt::Expr(e) => expr(e, c),
        Stmt::If(flow, _) => {
            let (cond, ct) = expr(&flow.expr, c)?;
            if ct != Ty::Bool {
                return Err(no("an `if` whose condition is not true or false"));
            }
            let (a, at) = block(flow.body.statements(), c)?;
            let (b, bt) = block(flow.branch.statements(), c)?;
            if at != bt {
                return Err(no("an `if` whose branches give different types"));
            }
            Ok((when(cond).then(a).otherwise(b), at))
        }
        Stmt::Block(b) => block(b.statements(), c),
        // rhai keeps a lone call (an operator too) as a statement of its own.
        Stmt::FnCall(f, _) => call(f.name.as_str(), &f.args, c),
        _ => Err(no("a statement other than an expression or `if/else`")),
    }
}

fn block(stmts: &[Stmt], c: &FieldCatalog) -> Result<(Expr, Ty), Untranslatable> {
    match stmts {
        [one] => stmt_expr(one, c),
        [] => Err(no("an empty block (an `if` without `else`)")),
        _ => Err(no("a block of more than one statement")),
    }
}

fn expr(e: &R, c: &FieldCatalog) -> Result<(Expr, Ty), Untranslatable> {
    Ok(match e {
        R::BoolConstant(b, _) => (lit(*b), Ty::Bool),
        R::IntegerConstant(i, _) => (lit(*i), Ty::Int),
        R::StringConstant(s, _) => (lit(s.as_str()), Ty::Text),
        R::DynamicConstant(d, _) => {
            let Some(x) = d.clone().try_cast::<rust_decimal::Decimal>() else {
                return Err(no("a constant other than text, a number or a decimal"));
            };
            let cents = x * rust_decimal::Decimal::from(100);
            if !cents.fract().is_zero() {
                return Err(no(format!("the decimal {x}, finer than a cent")));
            }
            let cents: i64 = cents.try_into().map_err(|_| no("a decimal out of range"))?;
            (lit(cents), Ty::Money)
        }
        R::Variable(v, _, _) => {
            let name = v.1.as_str();
            let ty = c
                .get(name)
                .ok_or_else(|| no(format!("the variable `{name}`, not a field")))?;
            match ty {
                FieldType::Text => (col(name), Ty::Text),
                FieldType::Integer => (col(name), Ty::Int),
                FieldType::Money => (col(name), Ty::Money),
                FieldType::Bool => (col(name), Ty::Bool),
                FieldType::Date | FieldType::DateTime => (display_expr(name, ty), Ty::Text),
            }
        }
        R::Stmt(b) => block(b.statements(), c)?,
        R::And(items, _) | R::Or(items, _) => {
            let and = matches!(e, R::And(..));
            let mut out: Option<Expr> = None;
            for item in items.iter() {
                let (x, t) = expr(item, c)?;
                if t != Ty::Bool {
                    return Err(no("`&&` or `||` over a value that is not true or false"));
                }
                out = Some(match out {
                    None => x,
                    Some(acc) if and => acc.and(x),
                    Some(acc) => acc.or(x),
                });
            }
            (out.ok_or_else(|| no("an empty `&&`"))?, Ty::Bool)
        }
        R::FnCall(f, _) => call(f.name.as_str(), &f.args, c)?,
        _ => return Err(no("an expression outside the documented subset")),
    })
}

fn call(name: &str, args: &[R], c: &FieldCatalog) -> Result<(Expr, Ty), Untranslatable> {
    let typed: Vec<(Expr, Ty)> = args.iter().map(|a| expr(a, c)).collect::<Result<_, _>>()?;
    match (name, typed.as_slice()) {
        ("!", [(x, Ty::Bool)]) => Ok((x.clone().not(), Ty::Bool)),
        ("-", [(x, t @ (Ty::Int | Ty::Money))]) => Ok((lit(0_i64) - x.clone(), *t)),
        ("days_between" | "hours_between", [(a, Ty::Text), (b, Ty::Text)]) => {
            let at = instant(a, args.first(), c)?;
            let bt = instant(b, args.get(1), c)?;
            Ok(if name == "days_between" {
                // Whole days between the two dates (the times dropped).
                let day = |t: Expr| {
                    t.cast(DataType::Date)
                        .cast(DataType::Int32)
                        .cast(DataType::Int64)
                };
                (day(bt) - day(at), Ty::Int)
            } else {
                let ms = bt.cast(DataType::Int64) - at.cast(DataType::Int64);
                // Whole seconds, then hours, as the script computes them.
                let seconds = ms.floor_div(lit(1000_i64));
                (seconds.cast(DataType::Float64) / lit(3600.0), Ty::Hours)
            })
        }
        (op @ ("==" | "!=" | "<" | "<=" | ">" | ">="), [(a, at), (b, bt)]) => {
            let (a, b, _) = unify(a.clone(), *at, b.clone(), *bt)?;
            Ok((
                match op {
                    "==" => a.eq(b),
                    "!=" => a.neq(b),
                    "<" => a.lt(b),
                    "<=" => a.lt_eq(b),
                    ">" => a.gt(b),
                    _ => a.gt_eq(b),
                },
                Ty::Bool,
            ))
        }
        (op @ ("+" | "-"), [(a, at), (b, bt)]) => {
            let (a, b, t) = unify(a.clone(), *at, b.clone(), *bt)?;
            if !matches!(t, Ty::Int | Ty::Money) {
                return Err(no(format!("`{op}` on values that are not numbers")));
            }
            Ok((if op == "+" { a + b } else { a - b }, t))
        }
        ("*", [(a, Ty::Int), (b, Ty::Int)]) => Ok((a.clone() * b.clone(), Ty::Int)),
        ("*", [(a, Ty::Money), (b, Ty::Int)] | [(b, Ty::Int), (a, Ty::Money)]) => {
            Ok((a.clone() * b.clone(), Ty::Money))
        }
        _ => Err(no(format!(
            "the operator or function `{name}` on these values"
        ))),
    }
}

/// The field behind a date or timestamp argument, as its typed column.
fn instant(_text: &Expr, arg: Option<&R>, c: &FieldCatalog) -> Result<Expr, Untranslatable> {
    if let Some(R::Variable(v, _, _)) = arg {
        let name = v.1.as_str();
        return match c.get(name) {
            Some(FieldType::DateTime) => Ok(col(name)),
            Some(FieldType::Date) => {
                Ok(col(name).cast(DataType::Datetime(TimeUnit::Milliseconds, None)))
            }
            _ => Err(no(format!(
                "`{name}` given to a date function is not a date"
            ))),
        };
    }
    Err(no("a date function over something other than a date field"))
}

/// Both sides in one type: a whole number beside money is scaled to cents.
fn unify(a: Expr, at: Ty, b: Expr, bt: Ty) -> Result<(Expr, Expr, Ty), Untranslatable> {
    Ok(match (at, bt) {
        (x, y) if x == y => (a, b, x),
        (Ty::Money, Ty::Int) => (a, b * lit(100_i64), Ty::Money),
        (Ty::Int, Ty::Money) => (a * lit(100_i64), b, Ty::Money),
        (Ty::Hours, Ty::Int) => (a, b.cast(DataType::Float64), Ty::Hours),
        (Ty::Int, Ty::Hours) => (a.cast(DataType::Float64), b, Ty::Hours),
        _ => return Err(no("a comparison or sum of values of different types")),
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::columns::ColumnMap;

    fn catalog() -> FieldCatalog {
        ColumnMap::default().catalog()
    }

    #[test]
    fn money_literals_and_whole_numbers_become_cents() {
        let e = translate("premium_charged >= 12.50 && amount < 3", &catalog()).unwrap();
        let text = format!("{e}");
        assert!(text.contains("1250"), "{text}");
        assert!(text.contains("100"), "{text}");
    }

    #[test]
    fn outside_the_subset_is_refused_with_a_reason() {
        for (source, reason) in [
            ("let x = 1; x == 1", "more than one statement"),
            ("amount / 2 > 1", "`/`"),
            ("policy_no.len() > 3", "outside the documented subset"),
            ("amount", "not true or false"),
            ("if amount > 0 { true }", "without `else`"),
            ("change_type == 3", "different types"),
        ] {
            let err = translate(source, &catalog()).unwrap_err();
            assert!(err.node.contains(reason), "{source}: {}", err.node);
        }
    }
}
