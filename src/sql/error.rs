//! Why `policyqc sql` wrote no script.

use polars::prelude::PolarsError;

use crate::check::RunError;
use crate::input::InputError;

/// Why no script could be written.
#[derive(Debug, thiserror::Error, miette::Diagnostic)]
pub enum SqlError {
    /// The rules, settings, column map or data could not be read.
    #[error(transparent)]
    #[diagnostic(transparent)]
    Run(#[from] RunError),
    /// The data folder has no cases file (an event log alone is not supported here yet).
    #[error("no cases file: `policyqc sql` reads the cases table (cases.csv)")]
    #[diagnostic(
        code("sql::no-cases"),
        help("give a data folder with a cases.csv, or the file itself")
    )]
    NoCases,
    /// Rules that need a setting the settings file does not set.
    #[error("{} rule(s) need a setting that is not set:\n{}", .0.len(), .0.join("\n"))]
    #[diagnostic(
        code("sql::setting"),
        help(
            "set it in the data folder's settings.yaml (rules/README.md lists the settings), or --skip-untranslatable to leave these rules out with a comment"
        )
    )]
    MissingSettings(Vec<String>),
    /// Something of the input the dialect cannot read as `check` does.
    #[error("{0}")]
    #[diagnostic(code("sql::input"))]
    Input(String),
}

impl From<InputError> for SqlError {
    fn from(e: InputError) -> Self {
        SqlError::Run(e.into())
    }
}

impl From<PolarsError> for SqlError {
    fn from(e: PolarsError) -> Self {
        SqlError::Input(e.to_string())
    }
}
