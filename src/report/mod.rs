//! Output writers. Every table the run produces goes through [`TableWriter`]; adding a
//! format touches one file. The terminal summary is in [`console`]; the HTML pages people
//! look at are in [`html`].

pub mod console;
pub mod csv;
pub mod cycle_console;
pub mod html;
pub mod jsonl;
pub mod parquet;
pub mod scorecard_console;
pub mod scorecard_xlsx;

use std::path::{Path, PathBuf};

use polars::prelude::*;

/// Writes a named table into an output folder in one format.
pub trait TableWriter {
    /// The file extension.
    fn extension(&self) -> &'static str;
    /// Writes `df` to `path`.
    fn write(&self, df: &mut DataFrame, path: &Path) -> PolarsResult<()>;
}

/// An output format chosen with `--format`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Format {
    /// Comma-separated values (always written).
    Csv,
    /// Apache Parquet.
    Parquet,
    /// One JSON object per line.
    Jsonl,
}

impl Format {
    /// The writer for the format.
    #[must_use]
    pub fn writer(self) -> Box<dyn TableWriter> {
        match self {
            Format::Csv => Box::new(csv::Csv),
            Format::Parquet => Box::new(parquet::Parquet),
            Format::Jsonl => Box::new(jsonl::Jsonl),
        }
    }
}

/// Writes `df` as `<dir>/<name>.<ext>` in every format; returns the paths written.
pub fn write_table(
    dir: &Path,
    name: &str,
    df: &mut DataFrame,
    formats: &[Format],
) -> PolarsResult<Vec<PathBuf>> {
    std::fs::create_dir_all(dir)
        .map_err(|e| polars_err!(ComputeError: "cannot create {}: {e}", dir.display()))?;
    let mut out = Vec::new();
    for f in formats {
        let w = f.writer();
        let path = dir.join(format!("{name}.{}", w.extension()));
        w.write(df, &path)?;
        out.push(path);
    }
    Ok(out)
}

/// Creates (truncating) a file for a writer.
pub(crate) fn create(path: &Path) -> PolarsResult<std::fs::File> {
    std::fs::File::create(path)
        .map_err(|e| polars_err!(ComputeError: "cannot write {}: {e}", path.display()))
}
