//! The rhai runtime for `expr` rules: a sandboxed engine, the conversion of a case's fields
//! to rhai values, and the parallel evaluation over all applicable cases.
//!
//! Sandbox: the engine has no file, network or process functions (rhai has none unless
//! registered, and `no_module` removes `import`); `eval` is disabled; `print`/`debug` go
//! nowhere; each evaluation may run at most [`MAX_OPERATIONS`] operations, so an endless
//! loop stops with an error naming the rule and the case.

use chrono::{NaiveDate, NaiveDateTime};
use polars::prelude::*;
use rayon::prelude::*;
use rhai::{Dynamic, Engine, Scope};
use rust_decimal::Decimal;

use crate::config::reader::FieldCatalog;
use crate::schema::FieldType;

/// Operation limit for one evaluation of one rule on one case.
pub const MAX_OPERATIONS: u64 = 100_000;

/// The sandboxed engine.
#[must_use]
pub fn engine() -> Engine {
    let mut e = Engine::new();
    e.set_max_operations(MAX_OPERATIONS)
        .set_max_call_levels(32)
        .set_max_expr_depths(64, 32)
        .set_max_string_size(10_000)
        .set_max_array_size(10_000)
        .set_max_map_size(1_000)
        .set_strict_variables(true);
    e.disable_symbol("eval");
    e.on_print(|_| {});
    e.on_debug(|_, _, _| {});
    e.register_fn(
        "days_between",
        |a: &str, b: &str| -> Result<i64, Box<rhai::EvalAltResult>> {
            Ok((parse_day(b)? - parse_day(a)?).num_days())
        },
    );
    e.register_fn(
        "hours_between",
        |a: &str, b: &str| -> Result<f64, Box<rhai::EvalAltResult>> {
            Ok((parse_instant(b)? - parse_instant(a)?).num_seconds() as f64 / 3600.0)
        },
    );
    e
}

fn parse_instant(s: &str) -> Result<NaiveDateTime, Box<rhai::EvalAltResult>> {
    NaiveDateTime::parse_from_str(s, "%Y-%m-%d %H:%M:%S")
        .or_else(|_| {
            NaiveDate::parse_from_str(s, "%Y-%m-%d")
                .map(|d| d.and_hms_opt(0, 0, 0).expect("midnight"))
        })
        .map_err(|_| format!("`{s}` is not a date or timestamp").into())
}

fn parse_day(s: &str) -> Result<NaiveDate, Box<rhai::EvalAltResult>> {
    parse_instant(s).map(|t| t.date())
}

/// Compiles an expression; returns it with the catalogue fields it names.
pub fn compile(source: &str, catalog: &FieldCatalog) -> Result<(rhai::AST, Vec<String>), String> {
    let mut scope = Scope::new();
    for name in catalog.names() {
        scope.push_dynamic(name.to_owned(), Dynamic::UNIT);
    }
    let ast = engine()
        .compile_with_scope(&scope, source)
        .map_err(|e| e.to_string())?;
    let idents: std::collections::HashSet<&str> = source
        .split(|c: char| !(c.is_ascii_alphanumeric() || c == '_'))
        .filter(|w| !w.is_empty())
        .collect();
    let fields = catalog
        .names()
        .filter(|n| idents.contains(n))
        .map(str::to_owned)
        .collect();
    Ok((ast, fields))
}

/// One column, ready to give any row's value as a rhai value: values are converted only for
/// the rows a rule is evaluated on, inside the parallel loop (converting whole columns
/// first, one text copy per case, took longer than the scripts).
enum Values {
    /// Text; dates and timestamps as their text (`2026-10-05`, `2026-10-05 09:30:00`).
    Text(StringChunked),
    Integer(Int64Chunked),
    /// Integer cents, given to scripts as exact decimals.
    Money(Int64Chunked),
    Bool(BooleanChunked),
}

impl Values {
    fn of(df: &DataFrame, name: &str, ty: FieldType) -> PolarsResult<Self> {
        let s = df.column(name)?.as_materialized_series().rechunk();
        Ok(match ty {
            FieldType::Text => Values::Text(s.str()?.clone()),
            FieldType::Integer => Values::Integer(s.i64()?.clone()),
            FieldType::Money => Values::Money(s.i64()?.clone()),
            FieldType::Bool => Values::Bool(s.bool()?.clone()),
            FieldType::Date => Values::Text(s.cast(&DataType::String)?.str()?.clone()),
            FieldType::DateTime => Values::Text(
                s.datetime()?
                    .to_string("%Y-%m-%d %H:%M:%S")?
                    .rechunk()
                    .into_owned(),
            ),
        })
    }

    /// The value of a row (`None` = empty).
    fn get(&self, row: usize) -> Option<Dynamic> {
        match self {
            Values::Text(c) => c.get(row).map(|v| Dynamic::from(v.to_owned())),
            Values::Integer(c) => c.get(row).map(Dynamic::from_int),
            Values::Money(c) => c
                .get(row)
                .map(|cents| Dynamic::from_decimal(Decimal::new(cents, 2))),
            Values::Bool(c) => c.get(row).map(Dynamic::from_bool),
        }
    }
}

/// A script that failed on a case (other than returning false).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ScriptError {
    /// Row index of the case.
    pub row: usize,
    /// What rhai said.
    pub message: String,
}

/// Evaluates `ast` on every row where `applies` is true and all `fields` are present.
/// Returns the status column: null = not applicable, true = failed (expression false).
pub fn evaluate(
    df: &DataFrame,
    ast: &rhai::AST,
    fields: &[String],
    catalog: &FieldCatalog,
    applies: &BooleanChunked,
) -> Result<BooleanChunked, ScriptError> {
    let columns: Vec<(String, Values)> = fields
        .iter()
        .map(|f| {
            let ty = catalog.get(f).unwrap_or(FieldType::Text);
            Values::of(df, f, ty)
                .map(|v| (f.clone(), v))
                .map_err(|e| ScriptError {
                    row: 0,
                    message: e.to_string(),
                })
        })
        .collect::<Result<_, _>>()?;
    let applies: Vec<bool> = applies.iter().map(|v| v.unwrap_or(false)).collect();
    let engine = engine();
    let n = df.height();
    let chunk = 4096;
    let results: Vec<Result<Vec<Option<bool>>, ScriptError>> = (0..n.div_ceil(chunk))
        .into_par_iter()
        .map(|c| {
            let mut scope = Scope::new();
            let mut out = Vec::with_capacity(chunk);
            let mut values = Vec::with_capacity(columns.len());
            for (row, &applies) in applies.iter().enumerate().skip(c * chunk).take(chunk) {
                values.clear();
                if applies {
                    values.extend(columns.iter().map_while(|(_, v)| v.get(row)));
                }
                // Not applicable, or a field is empty.
                if values.len() < columns.len() || !applies {
                    out.push(None);
                    continue;
                }
                scope.clear();
                for ((name, _), value) in columns.iter().zip(values.drain(..)) {
                    scope.push_dynamic(name.as_str(), value);
                }
                match engine.eval_ast_with_scope::<Dynamic>(&mut scope, ast) {
                    Ok(v) => match v.as_bool() {
                        Ok(pass) => out.push(Some(!pass)),
                        Err(t) => {
                            return Err(ScriptError {
                                row,
                                message: format!("the expression returned {t}, not true or false"),
                            });
                        }
                    },
                    Err(e) => {
                        return Err(ScriptError {
                            row,
                            message: e.to_string(),
                        });
                    }
                }
            }
            Ok(out)
        })
        .collect();
    let mut status = Vec::with_capacity(n);
    for r in results {
        status.extend(r?);
    }
    Ok(BooleanChunked::from_iter_options(
        "status".into(),
        status.into_iter(),
    ))
}
