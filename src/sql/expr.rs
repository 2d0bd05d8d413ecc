//! A polars expression written as SQL.
//!
//! Every structured rule compiles to a [`Check`](crate::engine::compile::Check) of polars
//! expressions; the SQL backend writes those same expressions as SQL, so that the SQL and
//! the native engine cannot drift apart rule kind by rule kind. Only the expression nodes
//! the rule kinds produce are written; any other node is an [`Untranslatable`] error naming
//! it, never a guess. Booleans follow SQL's three-valued logic, which is polars' Kleene
//! logic; `fill_null` is `COALESCE`; integer division truncates as Rust's does.

use std::fmt::Write as _;

use polars::prelude::*;

/// The SQL engine a script is written for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Dialect {
    /// `DuckDB` (one machine).
    #[value(name = "duckdb")]
    DuckDb,
    /// Spark SQL (a cluster).
    Spark,
    /// Trino (where the data lives).
    Trino,
}

impl Dialect {
    /// The name on the command line.
    #[must_use]
    pub fn name(self) -> &'static str {
        match self {
            Dialect::DuckDb => "duckdb",
            Dialect::Spark => "spark",
            Dialect::Trino => "trino",
        }
    }
}

/// An expression node the SQL backend does not write.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("no SQL for the polars expression {node}")]
pub struct Untranslatable {
    /// The node, as polars prints it (shortened).
    pub node: String,
}

fn untranslatable(e: &Expr) -> Untranslatable {
    let mut node = format!("{e}");
    if node.len() > 120 && std::env::var_os("POLICYQC_SQL_DEBUG").is_none() {
        let cut = (0..=120)
            .rev()
            .find(|&i| node.is_char_boundary(i))
            .unwrap_or(0);
        node.truncate(cut);
        node.push('…');
    }
    Untranslatable { node }
}

/// A SQL identifier, quoted.
#[must_use]
pub fn ident(name: &str, dialect: Dialect) -> String {
    match dialect {
        Dialect::Spark => format!("`{}`", name.replace('`', "``")),
        Dialect::DuckDb | Dialect::Trino => format!("\"{}\"", name.replace('"', "\"\"")),
    }
}

/// A SQL text literal.
#[must_use]
pub fn text(s: &str, dialect: Dialect) -> String {
    match dialect {
        // Spark reads backslash escapes inside string literals.
        Dialect::Spark => format!("'{}'", s.replace('\\', "\\\\").replace('\'', "\\'")),
        Dialect::DuckDb | Dialect::Trino => format!("'{}'", s.replace('\'', "''")),
    }
}

/// The type of a column of the relation the SQL reads (as the native frame has it).
pub type ColumnTypes<'a> = &'a dyn Fn(&str) -> Option<DataType>;

/// A view of the script: its name and its `SELECT`.
pub type View = (String, String);

/// Writes polars expressions as SQL for one dialect, over a relation whose columns have the
/// types `types` gives. A literal series (a lookup table: the working clock's days, the
/// roster's ids) becomes a table of its own, `(i, v)` with `i` from 0, declared by
/// [`Writer::tables`]; `gather` and `replace_strict` on it become scalar subqueries.
pub struct Writer<'a> {
    /// The dialect.
    pub dialect: Dialect,
    types: ColumnTypes<'a>,
    tables: std::cell::RefCell<Vec<Series>>,
    /// While recording: every written expression of at least [`HOIST_LEN`] bytes.
    recorded: std::cell::RefCell<Option<Vec<String>>>,
}

/// Expressions shorter than this are not worth a column of their own.
const HOIST_LEN: usize = 300;

impl<'a> Writer<'a> {
    /// A writer for `dialect` over columns of `types`.
    #[must_use]
    pub fn new(dialect: Dialect, types: ColumnTypes<'a>) -> Self {
        Self {
            dialect,
            types,
            tables: std::cell::RefCell::new(Vec::new()),
            recorded: std::cell::RefCell::new(None),
        }
    }

    /// The name of the table holding `s` (registered on first use; equal series share one).
    fn table(&self, s: &Series) -> String {
        let mut tables = self.tables.borrow_mut();
        let k = if let Some(k) = tables
            .iter()
            .position(|t| t.equals_missing(s) && t.name() == s.name())
        {
            k
        } else {
            tables.push(s.clone());
            tables.len() - 1
        };
        format!("__lookup_{k}")
    }

    /// The SQL type of a lookup series and each of its values as a typed literal.
    fn literals(&self, s: &Series) -> Result<(&'static str, Vec<String>), Untranslatable> {
        let d = self.dialect;
        let ty = sql_type(s.dtype(), d).ok_or_else(|| Untranslatable {
            node: format!("a lookup series of type {}", s.dtype()),
        })?;
        let values = (0..s.len())
            .map(|i| {
                let v = s.get(i).map_err(|e| Untranslatable {
                    node: e.to_string(),
                })?;
                let v = scalar(&v, s.dtype(), d).ok_or_else(|| Untranslatable {
                    node: format!("the value {v} of a lookup series"),
                })?;
                Ok(format!("CAST({v} AS {ty})"))
            })
            .collect::<Result<_, Untranslatable>>()?;
        Ok((ty, values))
    }

    /// `s` as an array literal (Spark: a lookup by position is then `element_at`, which
    /// Spark evaluates per row without the join a scalar subquery becomes).
    fn array(&self, s: &Series) -> Result<String, Untranslatable> {
        Ok(format!("array({})", self.literals(s)?.1.join(", ")))
    }

    /// `s` as a list expression read once per query, not per row: for Spark an array
    /// literal, for `DuckDB` the list of its lookup view (see `tables`).
    fn list(&self, s: &Series) -> Result<String, Untranslatable> {
        if self.dialect == Dialect::DuckDb {
            Ok(format!("(SELECT l FROM {})", self.table(s)))
        } else {
            self.array(s)
        }
    }

    /// The lookup tables the written expressions use, as views (name, `SELECT`): rows
    /// `(i, v)`, or for `DuckDB` one row whose list `l` holds the values in order.
    pub fn tables(&self) -> Result<Vec<View>, Untranslatable> {
        self.tables
            .borrow()
            .iter()
            .enumerate()
            .map(|(k, s)| {
                let (ty, values) = self.literals(s)?;
                if self.dialect == Dialect::DuckDb {
                    // One row, one list (1-based), read by `Gather` above.
                    let body = format!("SELECT CAST([{}] AS {ty}[]) AS l", values.join(", "));
                    return Ok((format!("__lookup_{k}"), body));
                }
                let rows: Vec<String> = values
                    .iter()
                    .enumerate()
                    .map(|(i, v)| format!("({i}, {v})"))
                    .collect();
                let body = if rows.is_empty() {
                    format!("SELECT CAST(NULL AS BIGINT) AS i, CAST(NULL AS {ty}) AS v WHERE FALSE")
                } else {
                    format!("SELECT * FROM (VALUES {}) AS t(i, v)", rows.join(", "))
                };
                Ok((format!("__lookup_{k}"), body))
            })
            .collect()
    }

    /// Writes `e` as a SQL expression.
    pub fn sql(&self, e: &Expr) -> Result<String, Untranslatable> {
        let out = self.node(e)?;
        if let Some(nodes) = self.recorded.borrow_mut().as_mut()
            && out.len() >= HOIST_LEN
        {
            nodes.push(out.clone());
        }
        Ok(out)
    }

    /// Starts recording the large expressions [`Writer::sql`] writes, for [`Writer::hoisted`].
    pub fn record(&self) {
        *self.recorded.borrow_mut() = Some(Vec::new());
    }

    /// The large expressions written since [`Writer::record`] that occur in `status` and
    /// at least twice over `status` and `columns`, the longest first, none inside another:
    /// each is then computed once, as a column of a subquery, instead of at every use.
    /// Stops recording.
    pub fn hoisted(&self, status: &str, columns: &[String]) -> Vec<String> {
        let Some(mut nodes) = self.recorded.borrow_mut().take() else {
            return Vec::new();
        };
        nodes.sort_by(|a, b| b.len().cmp(&a.len()).then_with(|| a.cmp(b)));
        nodes.dedup();
        let mut picked: Vec<String> = Vec::new();
        for n in nodes {
            if !status.contains(n.as_str()) || picked.iter().any(|p| p.contains(n.as_str())) {
                continue;
            }
            let uses = status.matches(n.as_str()).count()
                + columns
                    .iter()
                    .map(|c| c.matches(n.as_str()).count())
                    .sum::<usize>();
            if uses >= 2 {
                picked.push(n);
            }
        }
        picked
    }

    fn node(&self, e: &Expr) -> Result<String, Untranslatable> {
        let d = self.dialect;
        let go = |x: &Expr| self.sql(x);
        Ok(match e {
            Expr::Alias(inner, _) | Expr::KeepName(inner) => go(inner)?,
            Expr::Column(name) => ident(name, d),
            Expr::Literal(v) => literal(v, d).ok_or_else(|| untranslatable(e))?,
            Expr::BinaryExpr { left, op, right } => {
                let (l, r) = (go(left)?, go(right)?);
                let float = |x: &Expr| {
                    matches!(
                        input_type(x, self.types),
                        Some(DataType::Float64 | DataType::Float32)
                    )
                };
                // Division of floats is plain division.
                if *op == Operator::RustDivide && (float(left) || float(right)) {
                    format!("({l} / {r})")
                } else {
                    binary(&l, *op, &r, d).ok_or_else(|| untranslatable(e))?
                }
            }
            Expr::Ternary {
                predicate,
                truthy,
                falsy,
            } => format!(
                "(CASE WHEN {} THEN {} ELSE {} END)",
                go(predicate)?,
                go(truthy)?,
                go(falsy)?
            ),
            Expr::Cast { expr, dtype, .. } => {
                let DataTypeExpr::Literal(to) = dtype else {
                    return Err(untranslatable(e));
                };
                let inner = go(expr)?;
                let from = input_type(expr, self.types);
                cast(&inner, from.as_ref(), to, d).ok_or_else(|| untranslatable(e))?
            }
            // `series.gather(index)`: the series' value at the index (null outside it).
            Expr::Gather { expr, idx, .. } => {
                let Expr::Literal(LiteralValue::Series(s)) = expr.as_ref() else {
                    return Err(untranslatable(e));
                };
                if d == Dialect::Spark {
                    // 1-based; a negative position would count from the end.
                    let i = go(idx)?;
                    format!(
                        "(CASE WHEN {i} >= 0 THEN element_at({}, CAST({i} AS INT) + 1) END)",
                        self.array(s)?
                    )
                } else if d == Dialect::DuckDb {
                    // A list, where `WHERE i = row's index` became a join per use that held
                    // every row in memory (out of memory at 5M cases).
                    let at = go(idx)?;
                    format!("(CASE WHEN {at} >= 0 THEN {}[{at} + 1] END)", self.list(s)?)
                } else {
                    let t = self.table(s);
                    format!("(SELECT MAX(v) FROM {t} WHERE i = {})", go(idx)?)
                }
            }
            Expr::Function { input, function } => self.function(e, input, function)?,
            _ => return Err(untranslatable(e)),
        })
    }
}

/// Writes `e` as SQL with no lookup tables (an expression that needs one is untranslatable).
#[cfg(test)]
pub fn to_sql(e: &Expr, d: Dialect, types: ColumnTypes<'_>) -> Result<String, Untranslatable> {
    let w = Writer::new(d, types);
    let out = w.sql(e)?;
    if w.tables.borrow().is_empty() {
        Ok(out)
    } else {
        Err(untranslatable(e))
    }
}

fn binary(l: &str, op: Operator, r: &str, d: Dialect) -> Option<String> {
    let sym = match op {
        Operator::Eq => "=",
        Operator::NotEq => "<>",
        Operator::Lt => "<",
        Operator::LtEq => "<=",
        Operator::Gt => ">",
        Operator::GtEq => ">=",
        Operator::Plus => "+",
        Operator::Minus => "-",
        Operator::Multiply => "*",
        Operator::And | Operator::LogicalAnd => "AND",
        Operator::Or | Operator::LogicalOr => "OR",
        Operator::EqValidity => "IS NOT DISTINCT FROM",
        Operator::NotEqValidity => "IS DISTINCT FROM",
        // Rust's integer division truncates toward zero, which SQL engines' integer
        // division operators do not all agree on: written as TRUNC of the exact quotient.
        Operator::RustDivide => {
            return Some(match d {
                Dialect::DuckDb => format!("CAST(TRUNC(({l}) / ({r})) AS BIGINT)"),
                // Spark's TRUNC is for dates; a DOUBLE cast to BIGINT truncates toward zero.
                Dialect::Spark => format!("CAST(CAST({l} AS DOUBLE) / ({r}) AS BIGINT)"),
                Dialect::Trino => format!("CAST(TRUNC(CAST({l} AS DOUBLE) / ({r})) AS BIGINT)"),
            });
        }
        // Rust's `%` keeps the dividend's sign, as SQL's does.
        Operator::Modulus => "%",
        Operator::TrueDivide => {
            return Some(format!("(CAST({l} AS DOUBLE) / ({r}))"));
        }
        Operator::FloorDivide => {
            return Some(format!(
                "CAST(FLOOR(CAST({l} AS DOUBLE) / ({r})) AS BIGINT)"
            ));
        }
        Operator::Xor => return None,
    };
    Some(format!("({l} {sym} {r})"))
}

fn literal(v: &LiteralValue, d: Dialect) -> Option<String> {
    if let LiteralValue::Series(_) | LiteralValue::Range(_) = v {
        return None;
    }
    let any = v.to_any_value()?;
    scalar(&any, &v.get_datatype(), d)
}

fn scalar(v: &AnyValue<'_>, dtype: &DataType, d: Dialect) -> Option<String> {
    Some(match v {
        AnyValue::Null => match dtype {
            DataType::Null => String::from("NULL"),
            other => format!("CAST(NULL AS {})", sql_type(other, d)?),
        },
        AnyValue::Boolean(b) => String::from(if *b { "TRUE" } else { "FALSE" }),
        AnyValue::String(s) => text(s, d),
        AnyValue::StringOwned(s) => text(s, d),
        AnyValue::Int8(i) => i.to_string(),
        AnyValue::Int16(i) => i.to_string(),
        AnyValue::Int32(i) => i.to_string(),
        AnyValue::Int64(i) => format!("CAST({i} AS BIGINT)"),
        AnyValue::UInt8(i) => i.to_string(),
        AnyValue::UInt16(i) => i.to_string(),
        AnyValue::UInt32(i) => i.to_string(),
        AnyValue::UInt64(i) => format!("CAST({i} AS BIGINT)"),
        AnyValue::Float64(x) if x.is_finite() => format!("CAST({x:?} AS DOUBLE)"),
        _ => return None,
    })
}

pub(crate) fn sql_type(t: &DataType, d: Dialect) -> Option<&'static str> {
    Some(match t {
        DataType::Boolean => "BOOLEAN",
        DataType::String => match d {
            Dialect::Spark => "STRING",
            Dialect::DuckDb | Dialect::Trino => "VARCHAR",
        },
        DataType::Int8 | DataType::Int16 | DataType::Int32 | DataType::UInt8 | DataType::UInt16 => {
            "INTEGER"
        }
        DataType::Int64 | DataType::UInt32 | DataType::UInt64 => "BIGINT",
        DataType::Float64 | DataType::Float32 => "DOUBLE",
        DataType::Date => "DATE",
        DataType::Datetime(..) => "TIMESTAMP",
        _ => return None,
    })
}

/// The type of an expression, where the writer needs it (casts of temporal columns).
fn input_type(e: &Expr, types: ColumnTypes<'_>) -> Option<DataType> {
    match e {
        Expr::Column(name) => types(name),
        Expr::Alias(inner, _) | Expr::KeepName(inner) => input_type(inner, types),
        Expr::Cast {
            dtype: DataTypeExpr::Literal(to),
            ..
        } => Some(to.clone()),
        Expr::Literal(v) => Some(v.get_datatype()),
        _ => None,
    }
}

/// Casts in the engine's domain: dates to days since 1970 (`Int32`), timestamps to
/// milliseconds since 1970-01-01 00:00 (`Int64`, local time as read), timestamps to dates,
/// numbers to text.
fn cast(inner: &str, from: Option<&DataType>, to: &DataType, d: Dialect) -> Option<String> {
    if from == Some(to) {
        return Some(inner.to_owned());
    }
    match (from, to) {
        (Some(DataType::Date), DataType::Int32 | DataType::Int64) => {
            return Some(match d {
                Dialect::DuckDb | Dialect::Trino => {
                    format!("CAST(date_diff('day', DATE '1970-01-01', {inner}) AS BIGINT)")
                }
                Dialect::Spark => format!("CAST(datediff({inner}, DATE '1970-01-01') AS BIGINT)"),
            });
        }
        (Some(DataType::Datetime(..)), DataType::Int64) => {
            return Some(match d {
                Dialect::DuckDb => format!("epoch_ms({inner})"),
                Dialect::Spark => format!("unix_millis({inner})"),
                Dialect::Trino => format!("CAST(to_unixtime({inner}) * 1000 AS BIGINT)"),
            });
        }
        (Some(DataType::Datetime(..)), DataType::Date) => {
            return Some(format!("CAST({inner} AS DATE)"));
        }
        (Some(DataType::Date | DataType::Datetime(..)), _) | (None, DataType::Date) => {
            return None;
        }
        _ => {}
    }
    Some(match to {
        DataType::String => format!("CAST({inner} AS {})", sql_type(to, d)?),
        // A date's day number or a timestamp's milliseconds: the callers cast temporal
        // columns to integers only in `value_expr`, and a date column's values are DATEs.
        DataType::Int32 => format!("CAST({inner} AS INTEGER)"),
        DataType::Int64 | DataType::UInt32 | DataType::UInt64 => {
            format!("CAST({inner} AS BIGINT)")
        }
        DataType::Boolean => format!("CAST({inner} AS BOOLEAN)"),
        DataType::Float64 => format!("CAST({inner} AS DOUBLE)"),
        _ => return None,
    })
}

impl Writer<'_> {
    fn function(
        &self,
        e: &Expr,
        input: &[Expr],
        f: &FunctionExpr,
    ) -> Result<String, Untranslatable> {
        let d = self.dialect;
        // Arguments are written when used: a lookup series is a table, not an expression.
        let arg = |i: usize| {
            input
                .get(i)
                .ok_or_else(|| untranslatable(e))
                .and_then(|x| self.sql(x))
        };
        Ok(match f {
            FunctionExpr::Boolean(b) => match b {
                BooleanFunction::Not => format!("(NOT {})", arg(0)?),
                BooleanFunction::IsNull => format!("({} IS NULL)", arg(0)?),
                BooleanFunction::IsNotNull => format!("({} IS NOT NULL)", arg(0)?),
                _ => return Err(untranslatable(e)),
            },
            FunctionExpr::FillNull => format!("COALESCE({}, {})", arg(0)?, arg(1)?),
            FunctionExpr::Abs => format!("ABS({})", arg(0)?),
            FunctionExpr::StringExpr(StringFunction::ConcatHorizontal {
                delimiter,
                ignore_nulls: false,
            }) => {
                // NULL if any part is NULL, as polars' concat_str without ignore_nulls.
                let sep = format!(" || {} || ", text(delimiter, d));
                let sep = if delimiter.is_empty() {
                    " || "
                } else {
                    sep.as_str()
                };
                let mut out = String::from("(");
                for (i, x) in input.iter().enumerate() {
                    if i > 0 {
                        out.push_str(sep);
                    }
                    let _ = write!(out, "{}", self.sql(x)?);
                }
                out.push(')');
                out
            }
            FunctionExpr::TemporalExpr(TemporalFunction::ToString(format)) => {
                temporal_text(&arg(0)?, format, d).ok_or_else(|| untranslatable(e))?
            }
            FunctionExpr::StringExpr(StringFunction::Contains {
                literal: false,
                strict: true,
            }) => {
                let pattern = input.get(1).and_then(|p| match p {
                    Expr::Literal(v) => v.extract_str().map(str::to_owned),
                    _ => None,
                });
                let Some(pattern) = pattern else {
                    return Err(untranslatable(e));
                };
                let p = text(&pattern, d);
                match d {
                    Dialect::DuckDb => format!("regexp_matches({}, {p})", arg(0)?),
                    Dialect::Spark => format!("({} RLIKE {p})", arg(0)?),
                    Dialect::Trino => format!("regexp_like({}, {p})", arg(0)?),
                }
            }
            FunctionExpr::Round { decimals, mode } => {
                let x = arg(0)?;
                match (mode, d) {
                    (RoundMode::HalfAwayFromZero, _) => format!("ROUND({x}, {decimals})"),
                    (RoundMode::HalfToEven, Dialect::DuckDb) => {
                        format!("round_even({x}, {decimals})")
                    }
                    (RoundMode::HalfToEven, Dialect::Spark) => format!("bround({x}, {decimals})"),
                    // Trino rounds halves away from zero: a tie is sent to the even neighbour
                    // by rounding half of it (k + 0.5 -> k when k is even, k + 1 when odd).
                    (RoundMode::HalfToEven, Dialect::Trino) => {
                        let scale = format!("CAST(1e{decimals} AS DOUBLE)");
                        let scaled = format!("(CAST({x} AS DOUBLE) * {scale})");
                        format!(
                            "(CASE WHEN ABS({scaled} - TRUNCATE({scaled})) = 0.5 THEN 2 * ROUND({scaled} / 2) / {scale} ELSE ROUND({x}, {decimals}) END)"
                        )
                    }
                    _ => return Err(untranslatable(e)),
                }
            }
            FunctionExpr::Clip {
                has_min: true,
                has_max: false,
            } => {
                let x = arg(0)?;
                format!(
                    "(CASE WHEN {x} IS NULL THEN NULL ELSE GREATEST({x}, {}) END)",
                    arg(1)?
                )
            }
            FunctionExpr::Clip {
                has_min: false,
                has_max: true,
            } => {
                let x = arg(0)?;
                format!(
                    "(CASE WHEN {x} IS NULL THEN NULL ELSE LEAST({x}, {}) END)",
                    arg(1)?
                )
            }
            // Null stays null (SQL's GREATEST/LEAST skip nulls in some engines).
            FunctionExpr::Clip {
                has_min: true,
                has_max: true,
            } => {
                let x = arg(0)?;
                format!(
                    "(CASE WHEN {x} IS NULL THEN NULL ELSE LEAST(GREATEST({x}, {}), {}) END)",
                    arg(1)?,
                    arg(2)?
                )
            }
            // `x.replace_strict(old, new, default)`: the `new` at the position of `x` in `old`,
            // else the default; null stays null.
            FunctionExpr::ReplaceStrict { .. } => {
                let series = |k: usize| match input.get(k) {
                    Some(Expr::Literal(LiteralValue::Series(s))) => Some(s.clone()),
                    _ => None,
                };
                let (Some(old), Some(new)) = (series(1), series(2)) else {
                    return Err(untranslatable(e));
                };
                let default = arg(3).unwrap_or_else(|_| String::from("NULL"));
                let x = arg(0)?;
                let found = if d == Dialect::Spark {
                    format!(
                        "element_at(map_from_arrays({}, {}), {x})",
                        self.array(&old)?,
                        self.array(&new)?
                    )
                } else if d == Dialect::DuckDb {
                    // Both lists read once (see `Gather`); no subquery per row.
                    let (to, from) = (self.list(&old)?, self.list(&new)?);
                    format!("{from}[list_position({to}, {x})]")
                } else {
                    let (to, from) = (self.table(&old), self.table(&new));
                    format!(
                        "(SELECT MAX(n.v) FROM {to} o JOIN {from} n ON o.i = n.i WHERE o.v = {x})"
                    )
                };
                format!("(CASE WHEN {x} IS NULL THEN NULL ELSE COALESCE({found}, {default}) END)")
            }
            _ => return Err(untranslatable(e)),
        })
    }
}

/// A date or timestamp as text, for the two formats the engine writes.
fn temporal_text(arg: &str, format: &str, d: Dialect) -> Option<String> {
    let spark = match format {
        "%Y-%m-%d" => "yyyy-MM-dd",
        "%Y-%m-%d %H:%M:%S" => "yyyy-MM-dd HH:mm:ss",
        _ => return None,
    };
    Some(match d {
        Dialect::DuckDb => format!("strftime({arg}, {})", text(format, d)),
        Dialect::Spark => format!("date_format({arg}, '{spark}')"),
        Dialect::Trino => format!(
            "date_format({arg}, {})",
            text(&format.replace("%M", "%i").replace("%S", "%s"), d)
        ),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn writes_the_nodes_rules_use() {
        let d = Dialect::DuckDb;
        let e = when(col("a").gt(lit(1_i64)).and(col("b").is_null()))
            .then(lit("x"))
            .otherwise(col("c").fill_null(lit("y")));
        assert_eq!(
            to_sql(&e, d, &|_| None).unwrap(),
            "(CASE WHEN ((\"a\" > 1) AND (\"b\" IS NULL)) THEN 'x' ELSE COALESCE(\"c\", 'y') END)"
        );
        assert_eq!(text("it's", d), "'it''s'");
        assert_eq!(ident("we\"ird", d), "\"we\"\"ird\"");
        assert_eq!(ident("a`b", Dialect::Spark), "`a``b`");
    }

    #[test]
    fn an_unknown_node_is_named() {
        let e = col("a").sort(SortOptions::default());
        let err = to_sql(&e, Dialect::DuckDb, &|_| None).unwrap_err();
        assert!(err.node.contains("sort"), "{}", err.node);
    }
}

#[cfg(test)]
mod pack {
    //! How much of the default pack's compiled checks the writer covers, on `fixtures/demo`.
    use std::path::Path;

    use super::Dialect;
    use crate::check::{calendar_path, load_calendar, load_column_map, load_rules, load_settings};
    use crate::engine::compile::CompileCtx;
    use crate::engine::working_time::WorkingClock;
    use crate::input::reference::{AuthorityMatrix, Roster};
    use crate::input::{DataSources, read_table};
    use crate::schema::Table;

    #[test]
    fn default_pack_coverage() {
        let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures/demo");
        let map = load_column_map(None).unwrap();
        let sources = DataSources::from_folder(&root).with_files(&map);
        let settings = load_settings(sources.settings.as_deref()).unwrap();
        let rules = load_rules(None, &map, &settings).unwrap();
        let calendar = load_calendar(calendar_path(&sources, &settings).as_deref()).unwrap();
        let cases = read_table(sources.cases.as_deref().unwrap(), Table::Cases, &map, &[]).unwrap();
        let roster = Roster::from_table(
            &read_table(
                sources.operators.as_deref().unwrap(),
                Table::Operators,
                &map,
                &[],
            )
            .unwrap(),
        )
        .unwrap();
        let authority = AuthorityMatrix::from_table(
            &read_table(
                sources.authority.as_deref().unwrap(),
                Table::Authority,
                &map,
                &[],
            )
            .unwrap(),
        )
        .unwrap();
        let clock = WorkingClock::covering(calendar, &[&cases.df], &[]).unwrap();
        let catalog = map.catalog();
        let ctx = CompileCtx {
            catalog: &catalog,
            authority: Some(&authority),
            roster: Some(&roster),
            clock: Some(&clock),
        };
        let schema = cases.df.schema().clone();
        let types = |c: &str| schema.get(c).cloned();
        let w = super::Writer::new(Dialect::DuckDb, &types);
        let mut untranslated = Vec::new();
        for rule in &rules.rules {
            let (status, check) = match super::super::rule_exprs(rule, &ctx) {
                Ok(x) => x,
                Err(u) => {
                    eprintln!("{}: {}", rule.id, u.node);
                    untranslated.push(format!("{} ({})", rule.id, rule.kind.name()));
                    continue;
                }
            };
            let parts = [
                ("status", status),
                ("expected", check.expected.clone()),
                ("actual", check.actual.clone()),
            ];
            let bad: Vec<String> = parts
                .iter()
                .filter_map(|(n, e)| w.sql(e).err().map(|u| format!("{n}: {}", u.node)))
                .collect();
            if !bad.is_empty() {
                eprintln!("{} ({}): {}", rule.id, rule.kind.name(), bad.join(" | "));
                untranslated.push(format!("{} ({})", rule.id, rule.kind.name()));
            }
        }
        assert!(untranslated.is_empty(), "{untranslated:?}");
        assert_eq!(rules.rules.len(), 37);
    }
}
