//! The engine: compile rules to polars expressions, evaluate them over all cases in one pass
//! (rhai for `expr` rules), and gather the findings.

pub(crate) mod compile;
pub(crate) mod evaluate;
pub(crate) mod findings;
pub mod script;
pub(crate) mod status;
pub(crate) mod working_time;

pub use evaluate::{EngineError, Evaluation, evaluate, evaluate_with};
