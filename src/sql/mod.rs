//! The rule pack as SQL (issue 18, in progress): the same checks the native engine
//! evaluates, written for `DuckDB`, Spark SQL or Trino.
//!
//! The approach: every structured rule already compiles to a
//! [`Check`](crate::engine::compile::Check) of polars expressions; [`expr`] writes those
//! expressions as SQL, node by node, so the SQL cannot drift from the native engine rule
//! kind by rule kind. Lookup tables the checks hold as literal series (the working clock's
//! day table built from the calendar, the roster's ids, levels and roles) become tables of
//! their own. Written so far: 36 of the default pack's 37 rules (all but the rhai `expr`
//! rule), proven equal to the native findings on `DuckDB` over the typed cases
//! (`differential`). Still to do: the rhai subset, typing the raw input in SQL with the
//! column map (and its data findings), the `policyqc sql` command, Spark and Trino runs.
//! Nothing here is reachable from the CLI yet.

pub mod expr;

#[cfg(test)]
mod differential;
