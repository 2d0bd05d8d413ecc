//! CSV writer: UTF-8, header, `\n`, rates with 6 decimals.

use std::path::Path;

use polars::prelude::*;

use super::{TableWriter, create};

/// CSV.
pub struct Csv;

impl TableWriter for Csv {
    fn extension(&self) -> &'static str {
        "csv"
    }
    fn write(&self, df: &mut DataFrame, path: &Path) -> PolarsResult<()> {
        CsvWriter::new(create(path)?)
            .include_header(true)
            .with_float_precision(Some(6))
            .finish(df)
    }
}
