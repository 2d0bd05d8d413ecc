//! Configuration files: the spanned YAML tree, diagnostics, the column map, thresholds.

pub mod columns;
pub mod diagnostics;
pub mod reader;
pub mod thresholds;
pub mod yaml;
