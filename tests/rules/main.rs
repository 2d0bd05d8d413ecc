//! Integration tests of the rule kinds and of rule validation, driving the `policyqc` binary.
//!
//! One test binary (modules below) because every test binary links polars, which is slow.
//! - `kinds`: each rule kind on a small data folder, asserting which cases fail which rules,
//!   which are not applicable, and what the findings say;
//! - `validation`: every validation error, located (`[file:line:col]` and the source line);
//! - `limits`: billion laughs, deep nesting, oversized configs and fields, rhai limits;
//! - `readme`: rules/README.md carries the current `policyqc rules --kinds` output;
//! - `schema`: schemas/ is `policyqc schema`'s output, and the schemas and loaders agree.

mod kinds;
mod limits;
mod readme;
mod schema;
mod settings;
mod support;
mod validation;
