//! Parquet writer.

use std::path::Path;

use polars::prelude::*;

use super::{TableWriter, create};

/// Parquet.
pub struct Parquet;

impl TableWriter for Parquet {
    fn extension(&self) -> &'static str {
        "parquet"
    }
    fn write(&self, df: &mut DataFrame, path: &Path) -> PolarsResult<()> {
        ParquetWriter::new(create(path)?).finish(df).map(|_| ())
    }
}
