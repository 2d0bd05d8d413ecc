//! The engine: compile rules to polars expressions, evaluate them over all cases in one pass
//! (rhai for `expr` rules), and gather the findings.

pub mod compile;
pub mod evaluate;
pub mod findings;
pub mod script;
pub mod status;
pub mod working_time;

pub use evaluate::{EngineError, Evaluation, evaluate, evaluate_with};
