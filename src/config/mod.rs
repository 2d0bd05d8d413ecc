//! Configuration files: the spanned YAML tree, diagnostics, the column map, the working
//! calendar, insurer settings, thresholds.

pub mod calendar;
pub mod columns;
pub mod diagnostics;
pub mod reader;
pub mod settings;
pub mod thresholds;
pub mod yaml;
