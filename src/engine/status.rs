//! The name of a rule's status column, shared by evaluation (which writes the columns) and
//! findings (which reads them), so neither module has to import the other.

/// The status column of rule `i`: null = not applicable, false = passed, true = failed.
#[must_use]
pub fn status_column(i: usize) -> String {
    format!("__r{i}")
}
