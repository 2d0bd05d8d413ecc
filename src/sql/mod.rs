//! The rule pack as SQL (issue 18, in progress): the same checks the native engine
//! evaluates, written for `DuckDB`, Spark SQL or Trino.
//!
//! The approach: every structured rule already compiles to a
//! [`Check`](crate::engine::compile::Check) of polars expressions; [`expr`] writes those
//! expressions as SQL, node by node, so the SQL cannot drift from the native engine rule
//! kind by rule kind. Written so far: 31 of the default pack's 37 rules' status, expected
//! and actual expressions. Still to do: the working clock and authority lookups as joins
//! with calendar, roster and matrix tables, the rhai subset, typing the raw input in SQL
//! with the column map, the `policyqc sql` command and the `DuckDB`/Spark differential tests.
//! Nothing here is reachable from the CLI yet.

pub mod expr;

#[cfg(test)]
mod differential;
