//! Diagnostics for config and rule files: every problem with its file, line, column, a
//! source snippet (miette), a code and a help line; collected so that all are reported at once.

use std::fmt;
use std::sync::Arc;

use miette::{Diagnostic, LabeledSpan, NamedSource, Severity, SourceCode};

use super::yaml::Span;

/// A config or rule file held in memory, shared by all diagnostics that point into it.
#[derive(Debug, Clone)]
pub struct SourceFile {
    /// The name shown to the user (e.g. `rules/entry.yaml`).
    pub name: String,
    /// The text.
    pub text: Arc<String>,
}

impl SourceFile {
    /// Wraps a file's text.
    #[must_use]
    pub fn new(name: impl Into<String>, text: impl Into<String>) -> Self {
        Self {
            name: name.into(),
            text: Arc::new(text.into()),
        }
    }
}

/// One problem in a config or rule file.
#[derive(Debug, Clone)]
pub struct Problem {
    /// A stable code, e.g. `rules::unknown-key`.
    pub code: &'static str,
    /// What is wrong.
    pub message: String,
    /// The file.
    pub file: SourceFile,
    /// The main location and its label, then any other places involved.
    pub labels: Vec<(Span, String)>,
    /// How to fix it.
    pub help: Option<String>,
    /// Error (stops the run) or warning.
    pub severity: Severity,
    /// The file's text under its name, so that miette shows `[file:line:col]` above the
    /// snippet. (miette prefers a diagnostic's own `source_code` to one attached with
    /// `Report::with_source_code`, so the name must come from here.)
    source: NamedSource<Arc<String>>,
}

impl Problem {
    /// A new error at `span`.
    #[must_use]
    pub fn error(
        code: &'static str,
        file: &SourceFile,
        span: Span,
        message: impl Into<String>,
    ) -> Self {
        let message = message.into();
        Self {
            code,
            labels: vec![(span, String::from("here"))],
            message,
            file: file.clone(),
            help: None,
            severity: Severity::Error,
            source: NamedSource::new(file.name.clone(), file.text.clone()),
        }
    }

    /// Sets the main label's text.
    #[must_use]
    pub fn label(mut self, text: impl Into<String>) -> Self {
        if let Some(first) = self.labels.first_mut() {
            first.1 = text.into();
        }
        self
    }

    /// Adds a label at another place (e.g. the first definition of a duplicate id).
    #[must_use]
    pub fn also(mut self, span: Span, text: impl Into<String>) -> Self {
        self.labels.push((span, text.into()));
        self
    }

    /// Adds a help line.
    #[must_use]
    pub fn help(mut self, help: impl Into<String>) -> Self {
        self.help = Some(help.into());
        self
    }

    /// Makes it a warning.
    #[must_use]
    pub fn warning(mut self) -> Self {
        self.severity = Severity::Warning;
        self
    }

    /// The order problems are listed in: file, then line and column of the main location.
    fn sort_key(&self) -> (&str, u32, u32) {
        let span = self.labels[0].0;
        (self.file.name.as_str(), span.line, span.column)
    }

    /// `file:line:column`, for one-line listings and tests.
    #[must_use]
    pub fn location(&self) -> String {
        let span = self.labels.first().map(|l| l.0).unwrap_or_default();
        format!("{}:{}:{}", self.file.name, span.line, span.column)
    }
}

impl fmt::Display for Problem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for Problem {}

impl Diagnostic for Problem {
    fn code<'a>(&'a self) -> Option<Box<dyn fmt::Display + 'a>> {
        Some(Box::new(self.code))
    }
    fn severity(&self) -> Option<Severity> {
        Some(self.severity)
    }
    fn help<'a>(&'a self) -> Option<Box<dyn fmt::Display + 'a>> {
        self.help
            .as_ref()
            .map(|h| Box::new(h) as Box<dyn fmt::Display>)
    }
    fn source_code(&self) -> Option<&dyn SourceCode> {
        Some(&self.source as &dyn SourceCode)
    }
    fn labels(&self) -> Option<Box<dyn Iterator<Item = LabeledSpan> + '_>> {
        Some(Box::new(self.labels.iter().enumerate().map(
            |(i, (span, text))| {
                let label = LabeledSpan::new_with_span(Some(text.clone()), span.source_span());
                if i == 0 {
                    LabeledSpan::new_primary_with_span(
                        label.label().map(str::to_owned),
                        span.source_span(),
                    )
                } else {
                    label
                }
            },
        )))
    }
}

/// Everything found while reading config and rule files.
#[derive(Debug, Default)]
pub struct Diagnostics {
    /// Problems located in a file.
    pub problems: Vec<Problem>,
    /// YAML syntax errors (rendered by serde-saphyr's miette integration).
    pub syntax: Vec<miette::Report>,
}

impl Diagnostics {
    /// Records a problem.
    pub fn push(&mut self, problem: Problem) {
        self.problems.push(problem);
    }

    /// Whether any problem is an error (warnings do not stop a run).
    #[must_use]
    pub fn has_errors(&self) -> bool {
        !self.syntax.is_empty() || self.problems.iter().any(|p| p.severity == Severity::Error)
    }

    /// Number of errors.
    #[must_use]
    pub fn error_count(&self) -> usize {
        self.syntax.len()
            + self
                .problems
                .iter()
                .filter(|p| p.severity == Severity::Error)
                .count()
    }

    /// Every diagnostic as JSON objects (`severity, code, message, file, line, column, help`),
    /// syntax errors first (their text as the message), then problems in file order: the
    /// `--format json` form of `validate`.
    #[must_use]
    pub fn to_json(&self) -> Vec<serde_json::Value> {
        let mut out: Vec<serde_json::Value> = self
            .syntax
            .iter()
            .map(|r| {
                serde_json::json!({
                    "severity": "error",
                    "code": r.code().map(|c| c.to_string()),
                    "message": r.to_string(),
                    "file": serde_json::Value::Null,
                    "line": serde_json::Value::Null,
                    "column": serde_json::Value::Null,
                    "help": r.help().map(|h| h.to_string()),
                })
            })
            .collect();
        let mut problems: Vec<&Problem> = self.problems.iter().collect();
        problems.sort_by_key(|p| p.sort_key());
        out.extend(problems.into_iter().map(|p| {
            let span = p.labels.first().map(|l| l.0).unwrap_or_default();
            serde_json::json!({
                "severity": if p.severity == Severity::Error { "error" } else { "warning" },
                "code": p.code,
                "message": p.message,
                "file": p.file.name,
                "line": span.line,
                "column": span.column,
                "help": p.help,
            })
        }));
        out
    }

    /// Every diagnostic as a miette report, syntax errors first, then problems in file order.
    #[must_use]
    pub fn into_reports(self) -> Vec<miette::Report> {
        let mut problems = self.problems;
        problems.sort_by(|a, b| a.sort_key().cmp(&b.sort_key()));
        let mut reports = self.syntax;
        reports.extend(problems.into_iter().map(miette::Report::new));
        reports
    }
}

/// The candidate closest to `word` by edit distance, when close enough to be a likely typo.
#[must_use]
pub fn suggest<'a>(word: &str, candidates: impl IntoIterator<Item = &'a str>) -> Option<&'a str> {
    let limit = (word.len() / 3).max(2);
    candidates
        .into_iter()
        .map(|c| (edit_distance(word, c), c))
        .filter(|(d, _)| *d <= limit)
        .min_by_key(|(d, c)| (*d, *c))
        .map(|(_, c)| c)
}

/// Levenshtein distance over chars.
#[must_use]
pub fn edit_distance(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut prev: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.chars().enumerate() {
        let mut cur = vec![i + 1; b.len() + 1];
        for (j, cb) in b.iter().enumerate() {
            let cost = usize::from(ca != *cb);
            cur[j + 1] = (prev[j] + cost).min(prev[j + 1] + 1).min(cur[j] + 1);
        }
        prev = cur;
    }
    prev[b.len()]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn edit_distance_counts_single_edits() {
        assert_eq!(edit_distance("kitten", "sitting"), 3);
        assert_eq!(edit_distance("field", "field"), 0);
        assert_eq!(edit_distance("feild", "field"), 2);
        assert_eq!(edit_distance("", "abc"), 3);
    }

    #[test]
    fn suggest_picks_the_nearest_close_candidate() {
        let keys = ["field", "fields", "message", "severity"];
        assert_eq!(suggest("feild", keys), Some("field"));
        assert_eq!(suggest("severty", keys), Some("severity"));
        assert_eq!(suggest("completely_different", keys), None);
    }
}
