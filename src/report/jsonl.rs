//! JSON Lines writer: one object per row.

use std::path::Path;

use polars::prelude::*;

use super::{TableWriter, create};

/// JSON Lines.
pub struct Jsonl;

impl TableWriter for Jsonl {
    fn extension(&self) -> &'static str {
        "jsonl"
    }
    fn write(&self, df: &mut DataFrame, path: &Path) -> PolarsResult<()> {
        JsonWriter::new(create(path)?)
            .with_json_format(JsonFormat::JsonLines)
            .finish(df)
    }
}
