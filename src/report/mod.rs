//! Output writers. Every table the run produces goes through [`TableWriter`]; adding a
//! format touches one file. The terminal summary is in [`console`]; the HTML pages people
//! look at are in [`html`].

pub(crate) mod cells;
pub(crate) mod console;
pub(crate) mod csv;
pub(crate) mod cycle_console;
pub(crate) mod html;
pub(crate) mod jsonl;
pub(crate) mod parquet;
pub(crate) mod scorecard_console;
pub(crate) mod scorecard_xlsx;
pub(crate) mod weekly;
pub(crate) mod weekly_xlsx;

use std::path::{Path, PathBuf};

use polars::prelude::*;

pub use cells::Cells;

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

/// Writes `df` as `<dir>/<name>.<ext>` in every format; returns the paths written. CSV and
/// JSONL text cells are neutralised unless `cells` is [`Cells::Raw`] ([`cells`]).
pub fn write_table(
    dir: &Path,
    name: &str,
    df: &mut DataFrame,
    formats: &[Format],
    cells: Cells,
) -> PolarsResult<Vec<PathBuf>> {
    std::fs::create_dir_all(dir)
        .map_err(|e| polars_err!(ComputeError: "cannot create {}: {e}", dir.display()))?;
    let mut safe = match cells {
        Cells::Safe if formats.iter().any(|f| *f != Format::Parquet) => {
            Some(cells::neutralise_frame(df)?)
        }
        _ => None,
    };
    let mut out = Vec::new();
    for f in formats {
        let w = f.writer();
        let path = dir.join(format!("{name}.{}", w.extension()));
        match (&mut safe, f) {
            (Some(safe), Format::Csv | Format::Jsonl) => w.write(safe, &path)?,
            _ => w.write(df, &path)?,
        }
        out.push(path);
    }
    Ok(out)
}

/// Creates (truncating) a file for a writer.
pub(crate) fn create(path: &Path) -> PolarsResult<std::fs::File> {
    std::fs::File::create(path)
        .map_err(|e| polars_err!(ComputeError: "cannot write {}: {e}", path.display()))
}

/// The formats to write: those asked for, with CSV first when it is not among them (CSV is
/// always written).
#[must_use]
pub fn with_csv(formats: &[Format]) -> Vec<Format> {
    let mut formats = formats.to_vec();
    if !formats.contains(&Format::Csv) {
        formats.insert(0, Format::Csv);
    }
    formats
}
