//! `policyqc explain`: one rule (or the rules of one error point) in words: what it checks,
//! which cases it applies to, who answers for it, the settings it uses, where it is defined,
//! and a passing and a failing case.
//!
//! The examples are real cases, not made up: a month is generated with `policyqc generate`
//! (2,000 cases, a fixed seed, an error rate of 5% so that most rules fail somewhere), checked
//! with the rule set, and the first case that passes the rule and the first that fails it are
//! shown with the fields the rule reads. A rule that no generated case fails (the stage time
//! limits, for one) says so.

use std::path::{Path, PathBuf};

use chrono::NaiveDate;
use polars::prelude::*;

use crate::check::{CheckOptions, RunError, run_check};
use crate::engine::evaluate::status_column;
use crate::input::{DataSources, column_str};
use crate::rules::kinds::Kind;
use crate::rules::kinds::compare::Rhs;
use crate::rules::{Condition, Literal, Rule, RuleSet};
use crate::schema::ERROR_POINTS;

/// Cases of the generated month the examples come from.
pub const EXAMPLE_CASES: u64 = 2000;
/// Its seed.
pub const EXAMPLE_SEED: u64 = 20_261_001;
/// Its error rate.
pub const EXAMPLE_ERROR_RATE: f64 = 0.05;

/// One case of an example: its id and the rule's fields with their values.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct ExampleCase {
    /// The case id.
    pub case_id: String,
    /// (field, value as text; empty when empty), in the rule's field order.
    pub values: Vec<(String, String)>,
    /// For a failing case: the finding's expected, actual and message.
    pub finding: Option<(String, String, String)>,
}

/// A rule, in words.
#[derive(Debug, Clone, serde::Serialize)]
pub struct Explanation {
    /// Rule id.
    pub id: String,
    /// Title.
    pub title: String,
    /// Checkpoint.
    pub checkpoint: String,
    /// Error point number.
    pub error_point: u8,
    /// The error point's definition (DOMAIN.md).
    pub error_point_definition: String,
    /// Severity.
    pub severity: String,
    /// The operator field that answers for a finding.
    pub responsible: String,
    /// The kind.
    pub kind: String,
    /// Which cases it applies to, in words.
    pub applies_to: String,
    /// What it checks, in words.
    pub condition: String,
    /// The settings it uses, with the value of this run (`None`: unset, not evaluated).
    pub settings: Vec<(String, Option<String>)>,
    /// `file:line` of its `id`.
    pub source: String,
    /// Whether the examples were looked for (not with `--no-examples`).
    pub examples_drawn: bool,
    /// The rule needs a setting this run leaves unset: its examples use the generated
    /// month's own settings.
    pub examples_use_generated_settings: bool,
    /// A case that passes, from the generated month.
    pub passing: Option<ExampleCase>,
    /// A case that fails, from the generated month.
    pub failing: Option<ExampleCase>,
}

/// What was asked for cannot be explained.
#[derive(Debug, thiserror::Error, miette::Diagnostic)]
pub enum ExplainError {
    /// No rule has that id.
    #[error("no rule `{id}` in {origin}")]
    #[diagnostic(code(explain::unknown_rule), help("{hint}"))]
    UnknownRule {
        /// What was asked.
        id: String,
        /// The rule set.
        origin: String,
        /// The nearest ids, or how to list them.
        hint: String,
    },
    /// An error point outside 1-14, or one no rule detects.
    #[error("{what}")]
    #[diagnostic(
        code(explain::unknown_error_point),
        help("error points are EP1 to EP14: `policyqc rules` lists each rule's")
    )]
    UnknownErrorPoint {
        /// The problem.
        what: String,
    },
    /// Generating or checking the example month failed.
    #[error(transparent)]
    #[diagnostic(transparent)]
    Run(#[from] RunError),
}

/// `EP5`, `ep5` or `5` as an error point number.
#[must_use]
pub fn error_point_of(query: &str) -> Option<u8> {
    let q = query.trim();
    let digits = q
        .strip_prefix("EP")
        .or_else(|| q.strip_prefix("ep"))
        .unwrap_or(q);
    digits.parse::<u8>().ok()
}

/// The rules `query` names: one rule id, or every rule of an error point (`EP5`).
pub fn select<'r>(set: &'r RuleSet, query: &str) -> Result<Vec<&'r Rule>, ExplainError> {
    if let Some(ep) = error_point_of(query) {
        if !(1..=14).contains(&ep) {
            return Err(ExplainError::UnknownErrorPoint {
                what: format!("there is no error point {ep}: the seed defines 1 to 14"),
            });
        }
        let rules: Vec<&Rule> = set.rules.iter().filter(|r| r.error_point == ep).collect();
        if rules.is_empty() {
            return Err(ExplainError::UnknownErrorPoint {
                what: format!("no rule of {} detects error point {ep}", set.origin),
            });
        }
        return Ok(rules);
    }
    if let Some(r) = set.rules.iter().find(|r| r.id == query) {
        return Ok(vec![r]);
    }
    let hint = crate::config::diagnostics::suggest(query, set.rules.iter().map(|r| r.id.as_str()))
        .map_or_else(
            || String::from("`policyqc rules` lists every rule id"),
            |s| format!("did you mean {s}?"),
        );
    Err(ExplainError::UnknownRule {
        id: query.to_owned(),
        origin: set.origin.clone(),
        hint,
    })
}

fn list(items: &[String]) -> String {
    match items {
        [] => String::new(),
        [one] => one.clone(),
        [init @ .., last] => format!("{} and {last}", init.join(", ")),
    }
}

fn literals(values: &[Literal]) -> String {
    let v: Vec<String> = values.iter().map(Literal::display).collect();
    match v.as_slice() {
        [one] => one.clone(),
        _ => format!("one of {}", list(&v)),
    }
}

fn quoted(fields: &[String]) -> String {
    list(&fields.iter().map(|f| format!("`{f}`")).collect::<Vec<_>>())
}

/// Which cases the rule applies to, in words.
#[must_use]
pub fn applies_to(rule: &Rule) -> String {
    if rule.when.is_empty() {
        return String::from("every case");
    }
    let parts: Vec<String> = rule
        .when
        .iter()
        .map(|c| match c {
            Condition::OneOf { field, values, .. } => format!("`{field}` is {}", literals(values)),
            Condition::Present(f) => format!("{} filled in", quoted(f)),
            Condition::Absent(f) => format!("{} empty", quoted(f)),
        })
        .collect();
    format!("cases where {}", parts.join(", and "))
}

fn missing(fails: bool) -> &'static str {
    if fails {
        "; an empty value fails"
    } else {
        "; an empty value is not judged"
    }
}

/// What the rule checks, in words.
#[must_use]
pub fn condition(rule: &Rule) -> String {
    match &rule.kind {
        Kind::Required(p) => format!("{} must not be empty", quoted(&p.fields)),
        Kind::Allowed(p) => format!(
            "`{}` must be {}{}",
            p.field,
            literals(&p.values),
            missing(p.missing_fails)
        ),
        Kind::Range(p) => {
            let bound = bounds(
                p.min.as_ref().map(Literal::display),
                p.max.as_ref().map(Literal::display),
                " (inclusive)",
            );
            format!("`{}` must be {bound}{}", p.field, missing(p.missing_fails))
        }
        Kind::Pattern(p) => format!(
            "`{}` must match the regular expression `{}`{}",
            p.field,
            p.regex,
            missing(p.missing_fails)
        ),
        Kind::Compare(p) => {
            let rhs = match &p.rhs {
                Rhs::Field(f, _) => format!("`{f}`"),
                Rhs::Value(v) => v.display(),
            };
            let tolerance = if p.tolerance > 0 {
                format!(" (to within {})", crate::rules::format_cents(p.tolerance))
            } else if p.ty == crate::schema::FieldType::Money {
                String::from(" (exactly, to the cent)")
            } else {
                String::new()
            };
            format!(
                "`{}` {} {rhs} must hold{tolerance}{}",
                p.field,
                p.op.symbol(),
                missing(p.missing_fails)
            )
        }
        Kind::DateOrder(p) => format!(
            "{} must be in this order ({}); a pair with an empty side is not judged",
            quoted(&p.fields),
            if p.strict {
                "each strictly after the one before"
            } else {
                "each at or after the one before"
            }
        ),
        Kind::Duration(p) => limits(&p.from, &p.to, p.min.as_ref(), p.max.as_ref(), ""),
        Kind::CycleTime(p) => {
            let mut waits = Vec::new();
            if p.exclude_customer_wait {
                waits.push(String::from("the customer's wait (open query)"));
            }
            if p.exclude_referral_wait {
                waits.push(String::from("the referral wait (underwriting, finance)"));
            }
            let net = if waits.is_empty() {
                String::new()
            } else {
                format!(", net of {}", list(&waits))
            };
            limits(&p.from, &p.to, p.min.as_ref(), p.max.as_ref(), &net)
        }
        Kind::FourEyes(p) => format!(
            "{} must name different people (four-eyes principle)",
            quoted(&p.fields)
        ),
        Kind::Authority(p) => {
            let mut s = format!("`{}` must be on the roster", p.operator);
            if let Some(role) = &p.role {
                s.push_str(", hold the role `");
                s.push_str(role);
                s.push('`');
            }
            if let Some(amount) = &p.amount {
                s.push_str(
                    ", and have the authority level the matrix requires for the change type and `",
                );
                s.push_str(amount);
                s.push('`');
            }
            s
        }
        Kind::Expr(p) => format!("the expression `{}` must be true", p.source.trim()),
    }
}

/// `between A and B`, `at least A`, `at most B` (`any value` without bounds).
fn bounds(min: Option<String>, max: Option<String>, between_note: &str) -> String {
    match (min, max) {
        (Some(a), Some(b)) => format!("between {a} and {b}{between_note}"),
        (Some(a), None) => format!("at least {a}"),
        (None, Some(b)) => format!("at most {b}"),
        (None, None) => String::from("any value"),
    }
}

fn limits(
    from: &str,
    to: &str,
    min: Option<&crate::rules::kinds::duration::Limit>,
    max: Option<&crate::rules::kinds::duration::Limit>,
    net: &str,
) -> String {
    let bound = bounds(
        min.map(crate::rules::kinds::duration::Limit::display),
        max.map(crate::rules::kinds::duration::Limit::display),
        "",
    );
    format!(
        "the time from `{from}` to `{to}`{net} must be {bound}; a case with either empty is not judged"
    )
}

/// The explanation of `rule` without examples (see [`with_examples`]).
#[must_use]
pub fn explain(rule: &Rule, settings: &crate::config::settings::Settings) -> Explanation {
    let definition = ERROR_POINTS
        .iter()
        .find(|e| e.0 == rule.error_point)
        .map_or_else(String::new, |e| e.1.to_owned());
    Explanation {
        id: rule.id.clone(),
        title: rule.title.clone(),
        checkpoint: rule.checkpoint.clone(),
        error_point: rule.error_point,
        error_point_definition: definition,
        severity: rule.severity.name().to_owned(),
        responsible: rule.responsible.clone(),
        kind: rule.kind.name().to_owned(),
        applies_to: applies_to(rule),
        condition: if rule.unset_settings.is_empty() {
            condition(rule)
        } else {
            format!(
                "not evaluated in this run: {} unset (set it in settings.yaml); the kind checks that {}",
                quoted(&rule.unset_settings),
                crate::rules::registry::KINDS
                    .iter()
                    .find(|k| k.name == rule.kind.name())
                    .map_or("", |k| k.summary)
            )
        },
        examples_drawn: false,
        examples_use_generated_settings: !rule.unset_settings.is_empty(),
        settings: rule
            .settings
            .iter()
            .map(|s| (s.clone(), settings.text(s)))
            .collect(),
        source: rule.source.to_string(),
        passing: None,
        failing: None,
    }
}

/// A temporary folder, removed when dropped.
struct TempFolder(PathBuf);

impl Drop for TempFolder {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

/// Fills in a passing and a failing case of each explanation from a generated month checked
/// with the rule set of `rules_dir` (`None`: the default pack).
pub fn with_examples(
    explanations: &mut [Explanation],
    rules_dir: Option<&Path>,
) -> Result<(), ExplainError> {
    let dir = TempFolder(std::env::temp_dir().join(format!(
        "policyqc-explain-{}-{}",
        std::process::id(),
        EXAMPLE_SEED
    )));
    let _ = std::fs::remove_dir_all(&dir.0);
    let start = NaiveDate::from_ymd_opt(2026, 10, 1).expect("a date");
    let mut opts = crate::generate::GenerateOptions::new(
        EXAMPLE_CASES,
        EXAMPLE_SEED,
        start,
        31,
        dir.0.clone(),
    );
    opts.error_rate = EXAMPLE_ERROR_RATE;
    crate::generate::generate(&opts, &|_| {}).map_err(|e| {
        RunError::Input(crate::input::InputError::Parse {
            path: dir.0.display().to_string(),
            message: format!("generating the example month: {e}"),
        })
    })?;
    let result = run_check(&CheckOptions {
        sources: DataSources::from_folder(&dir.0),
        rules_dir: rules_dir.map(Path::to_path_buf),
        strict: false,
        rule_findings: None,
    })?;
    let frame = &result.evaluation.frame;
    let cases = column_str(frame, "case_id");
    for e in explanations.iter_mut() {
        let Some((i, rule)) = result
            .rules
            .rules
            .iter()
            .enumerate()
            .find(|(_, r)| r.id == e.id)
        else {
            continue;
        };
        let Ok(status) = frame
            .column(&status_column(i))
            .and_then(|c| c.bool().cloned())
        else {
            continue;
        };
        let mut fields = vec![rule.responsible.clone()];
        for f in rule.fields() {
            if !fields.contains(&f) {
                fields.push(f);
            }
        }
        let example = |row: usize, failing: bool| -> ExampleCase {
            let case_id = cases[row].clone().unwrap_or_default();
            let values = fields
                .iter()
                .filter_map(|f| Some((f.clone(), value_text(frame, f, row)?)))
                .collect();
            let finding = failing
                .then(|| finding_of(&result.evaluation.findings, &case_id, &e.id))
                .flatten();
            ExampleCase {
                case_id,
                values,
                finding,
            }
        };
        let first = |want: bool| status.iter().position(|s| s == Some(want));
        e.examples_drawn = true;
        e.passing = first(false).map(|r| example(r, false));
        e.failing = first(true).map(|r| example(r, true));
    }
    Ok(())
}

/// A field's value in row `row` as the outputs write it (money `1234.50`, timestamps
/// `YYYY-MM-DD HH:MM:SS`); empty when empty, `None` when the frame has no such column.
fn value_text(frame: &DataFrame, field: &str, row: usize) -> Option<String> {
    let c = frame.column(field).ok()?;
    let money = crate::schema::Table::Cases
        .field(field)
        .is_some_and(|f| f.ty == crate::schema::FieldType::Money);
    let value = c.get(row).ok()?;
    if value.is_null() {
        return Some(String::new());
    }
    Some(match c.dtype() {
        DataType::Datetime(_, _) => value
            .extract::<i64>()
            .and_then(chrono::DateTime::from_timestamp_millis)
            .map(|d| d.naive_utc().format("%Y-%m-%d %H:%M:%S").to_string())
            .unwrap_or_default(),
        DataType::Int64 if money => value
            .extract::<i64>()
            .map(crate::rules::format_cents)
            .unwrap_or_default(),
        _ => value.str_value().into_owned(),
    })
}

/// The expected, actual and message of the finding of `case` and `rule`.
fn finding_of(findings: &DataFrame, case: &str, rule: &str) -> Option<(String, String, String)> {
    let hit = findings
        .clone()
        .lazy()
        .filter(
            col("case_id")
                .eq(lit(case))
                .and(col("rule_id").eq(lit(rule))),
        )
        .collect()
        .ok()?;
    let get = |c: &str| {
        column_str(&hit, c)
            .first()
            .cloned()
            .flatten()
            .unwrap_or_default()
    };
    (hit.height() > 0).then(|| (get("expected"), get("actual"), get("message")))
}

/// The explanation as the console shows it.
#[must_use]
pub fn text(e: &Explanation) -> String {
    use std::fmt::Write as _;
    let mut s = String::new();
    let _ = writeln!(s, "{}  {}", e.id, e.title);
    let _ = writeln!(s, "  checkpoint      {}", e.checkpoint);
    let _ = writeln!(
        s,
        "  error point     EP{}: {}",
        e.error_point, e.error_point_definition
    );
    let _ = writeln!(s, "  severity        {}", e.severity);
    let _ = writeln!(
        s,
        "  responsible     {} (the operator a finding is attributed to)",
        e.responsible
    );
    let _ = writeln!(s, "  kind            {}", e.kind);
    let _ = writeln!(s, "  applies to      {}", e.applies_to);
    let _ = writeln!(s, "  checks          {}", e.condition);
    if e.settings.is_empty() {
        let _ = writeln!(s, "  settings        none");
    }
    for (name, value) in &e.settings {
        let _ = writeln!(
            s,
            "  setting         {name} = {}",
            value
                .as_deref()
                .unwrap_or("(unset: the rule is not evaluated)")
        );
    }
    let _ = writeln!(s, "  defined at      {}", e.source);
    if !e.examples_drawn {
        let _ = writeln!(s, "  examples        not drawn (--no-examples)");
        return s;
    }
    if e.examples_use_generated_settings {
        let _ = writeln!(
            s,
            "  examples        with the generated month's own settings.yaml (this run leaves the rule's setting unset)"
        );
    }
    for (label, ex) in [("passes", &e.passing), ("fails", &e.failing)] {
        match ex {
            Some(c) => {
                let values: Vec<String> = c
                    .values
                    .iter()
                    .map(|(f, v)| format!("{f}={}", if v.is_empty() { "(empty)" } else { v }))
                    .collect();
                let _ = writeln!(
                    s,
                    "  example {label:<7} case {}: {}",
                    c.case_id,
                    values.join(", ")
                );
                if let Some((expected, actual, message)) = &c.finding {
                    let _ = writeln!(
                        s,
                        "                  expected {expected}; actual {actual}: \"{message}\""
                    );
                }
            }
            None => {
                let _ = writeln!(
                    s,
                    "  example {label:<7} none in a generated month of {EXAMPLE_CASES} cases (error rate {}%)",
                    EXAMPLE_ERROR_RATE * 100.0
                );
            }
        }
    }
    s
}
