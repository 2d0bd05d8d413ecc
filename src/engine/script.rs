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

/// Compiles an expression to check it (rhai's message on failure); returns the catalogue
/// fields it names. The evaluation compiles it again, once per worker ([`evaluate`]).
pub fn compile(source: &str, catalog: &FieldCatalog) -> Result<Vec<String>, String> {
    let mut scope = Scope::new();
    for name in catalog.names() {
        scope.push_dynamic(name.to_owned(), Dynamic::UNIT);
    }
    engine()
        .compile_with_scope(&scope, source)
        .map_err(|e| e.to_string())?;
    let idents: std::collections::HashSet<&str> = source
        .split(|c: char| !(c.is_ascii_alphanumeric() || c == '_'))
        .filter(|w| !w.is_empty())
        .collect();
    Ok(catalog
        .names()
        .filter(|n| idents.contains(n))
        .map(str::to_owned)
        .collect())
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

    /// The value of a row (`None` = empty). Text values are looked up in, or added to,
    /// `texts`, so that a value repeated across cases (a change type, a branch) is one shared
    /// rhai string instead of an allocation per case.
    fn get<'a>(&'a self, row: usize, texts: &mut TextCache<'a>) -> Option<Dynamic> {
        match self {
            Values::Text(c) => c.get(row).map(|text| {
                if let Some(v) = texts.get(text) {
                    return v.clone();
                }
                let v = Dynamic::from(text.to_owned());
                if texts.len() < TEXT_CACHE {
                    texts.insert(text, v.clone());
                }
                v
            }),
            Values::Integer(c) => c.get(row).map(Dynamic::from_int),
            Values::Money(c) => c
                .get(row)
                .map(|cents| Dynamic::from_decimal(Decimal::new(cents, 2))),
            Values::Bool(c) => c.get(row).map(Dynamic::from_bool),
        }
    }
}

/// What one worker thread keeps between cases.
struct Worker<'a> {
    /// Its own copy of the expression (see [`evaluate`]), or why it did not compile.
    ast: Result<rhai::AST, String>,
    /// The fields as variables, in `columns` order; each case overwrites their values.
    scope: Scope<'a>,
    /// Per column, the text values made so far (see [`Values::get`]).
    texts: Vec<TextCache<'a>>,
}

/// Text values already made into rhai strings, by their text.
type TextCache<'a> = std::collections::HashMap<&'a str, Dynamic>;

/// A text column with more distinct values than this is cached only for its first ones
/// (case ids, names are all different; change types and branches are few).
const TEXT_CACHE: usize = 1024;

impl<'a> Worker<'a> {
    fn new(engine: &Engine, source: &str, columns: &'a [(String, Values)]) -> Self {
        let mut scope = Scope::new();
        for (name, _) in columns {
            scope.push_dynamic(name.as_str(), Dynamic::UNIT);
        }
        Worker {
            ast: engine
                .compile_with_scope(&scope, source)
                .map_err(|e| e.to_string()),
            scope,
            texts: columns
                .iter()
                .map(|_| std::collections::HashMap::new())
                .collect(),
        }
    }

    /// The expression on one case: `None` if a field is empty, else `Some(failed)`.
    fn run(
        &mut self,
        engine: &Engine,
        columns: &'a [(String, Values)],
        row: usize,
    ) -> Result<Option<bool>, ScriptError> {
        let ast = self.ast.as_ref().map_err(|e| ScriptError {
            row,
            message: e.clone(),
        })?;
        for ((name, values), texts) in columns.iter().zip(&mut self.texts) {
            // A field is empty: the rule does not apply.
            let Some(value) = values.get(row, texts) else {
                return Ok(None);
            };
            *self
                .scope
                .get_mut(name)
                .expect("each field is a variable of the worker's scope") = value;
        }
        // Variables the expression declares itself do not outlive the case.
        let result = engine.eval_ast_with_scope::<Dynamic>(&mut self.scope, ast);
        self.scope.rewind(columns.len());
        match result {
            Ok(v) => match v.as_bool() {
                Ok(pass) => Ok(Some(!pass)),
                Err(t) => Err(ScriptError {
                    row,
                    message: format!("the expression returned {t}, not true or false"),
                }),
            },
            Err(e) => Err(ScriptError {
                row,
                message: e.to_string(),
            }),
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

/// Evaluates the expression `source` on every row where `applies` is true and all `fields`
/// (the catalogue fields it names, from [`compile`]) are present.
/// Returns the status column: null = not applicable, true = failed (expression false).
///
/// Each worker thread compiles its own copy of the expression: an AST's string literals and
/// function library are reference-counted, so workers sharing one AST would all update the
/// same counters on every case (measured on 1M cases, 2 cores: about 15% more cases per
/// second with a copy per worker).
pub fn evaluate(
    df: &DataFrame,
    source: &str,
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
        .map_init(
            || Worker::new(&engine, source, &columns),
            |worker, c| {
                let mut out = Vec::with_capacity(chunk);
                for (row, &applies) in applies.iter().enumerate().skip(c * chunk).take(chunk) {
                    out.push(if applies {
                        worker.run(&engine, &columns, row)?
                    } else {
                        None
                    });
                }
                Ok(out)
            },
        )
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

#[cfg(test)]
mod tests {
    use super::*;

    /// `case_id` C0..C2999 twice over (6,000 cases, two chunks of the parallel loop), the
    /// premium empty on every tenth case.
    fn cases() -> DataFrame {
        let ids: Vec<String> = (0..6000).map(|i| format!("C{}", i % 3000)).collect();
        let premium: Vec<Option<i64>> = (0..6000).map(|i| (i % 10 != 9).then_some(100)).collect();
        df!("case_id" => ids, "premium_charged" => premium).expect("frame")
    }

    fn run(source: &str) -> Vec<Option<bool>> {
        let catalog = crate::config::columns::ColumnMap::default().catalog();
        let fields = compile(source, &catalog).expect("compiles");
        let df = cases();
        let all = BooleanChunked::full("all".into(), true, df.height());
        evaluate(&df, source, &fields, &catalog, &all)
            .expect("evaluates")
            .iter()
            .collect()
    }

    #[test]
    fn text_values_are_right_past_the_cache_limit() {
        // 3,000 distinct ids: more than TEXT_CACHE, so a worker meets both cached and
        // uncached values. C7 fails on rows 7 and 3007, C1500 on rows 1500 and 4500.
        let status = run(r#"case_id != "C7" && case_id != "C1500" && premium_charged > 0"#);
        let failed: Vec<usize> = (0..status.len())
            .filter(|&i| status[i] == Some(true))
            .collect();
        assert_eq!(failed, [7, 1500, 3007, 4500]);
        // Empty premium: not applicable, on every tenth case.
        let empty = status.iter().filter(|s| s.is_none()).count();
        assert_eq!(empty, 600);
        assert!(status.iter().skip(9).step_by(10).all(Option::is_none));
    }

    #[test]
    fn variables_a_script_declares_do_not_outlive_the_case() {
        // Were `seen` kept in the worker's scope, every case after a worker's first would fail.
        let status = run("let before = is_def_var(\"seen\"); let seen = case_id; !before");
        assert_eq!(status.iter().filter(|s| **s == Some(false)).count(), 6000);
    }

    #[test]
    fn a_field_a_script_assigns_is_reset_for_the_next_case() {
        // The script overwrites its variable; the next case must still see its own value.
        let status = run(r#"let mine = case_id; case_id = "X"; mine != "X""#);
        assert_eq!(status.iter().filter(|s| **s == Some(false)).count(), 6000);
    }
}
