//! Rules: the parsed, validated form of the YAML rule pack, and the rule kinds.
//!
//! A rule file is one checkpoint's rules (or the cross-cutting controls):
//!
//! ```yaml
//! checkpoint: intake            # default checkpoint of the file's rules
//! rules:
//!   - id: intake.application_after_receipt
//!     title: Application signed after the documents were received
//!     error_point: 1            # 1-14, DOMAIN.md
//!     severity: major           # critical | major | minor
//!     responsible: intake_operator
//!     when: { change_type: [surrender, policy_loan] }   # optional
//!     kind: compare             # one of the kinds in `kinds/`, with its parameters
//!     field: application_date
//!     op: "<="
//!     to: received_at
//!     message: "application dated {application_date}, received {received_at}"
//! ```

pub(crate) mod kinds;
pub(crate) mod load;
pub(crate) mod needs;
pub(crate) mod registry;

use chrono::{NaiveDate, NaiveDateTime};

use crate::config::reader::{MapReader, money_cents};
use crate::config::yaml::{Node, Span, Value};
use crate::schema::FieldType;

pub use kinds::Kind;
pub use load::{EMBEDDED_PACK, RuleSet, load_embedded, load_rule_dir};

/// How serious a finding is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Severity {
    /// Money, authority or four-eyes breaches.
    Critical,
    /// A procedural error a customer may notice.
    Major,
    /// A lapse with little effect.
    Minor,
}

impl Severity {
    /// All severities, most severe first.
    pub const ALL: [Severity; 3] = [Severity::Critical, Severity::Major, Severity::Minor];

    /// The YAML and output name.
    #[must_use]
    pub fn name(self) -> &'static str {
        match self {
            Severity::Critical => "critical",
            Severity::Major => "major",
            Severity::Minor => "minor",
        }
    }

    /// Parses a name.
    #[must_use]
    pub fn from_name(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|v| v.name() == s)
    }
}

/// Where a rule was defined: shown in every finding as `file:line`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RuleSource {
    /// The rule file, as the user named it (e.g. `rules/entry.yaml`).
    pub file: String,
    /// The line of the rule's `id`.
    pub line: u32,
}

impl std::fmt::Display for RuleSource {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}:{}", self.file, self.line)
    }
}

/// A typed constant from a rule (a `value`, an allowed value, a range bound).
#[derive(Debug, Clone, PartialEq)]
pub enum Literal {
    /// Text.
    Text(String),
    /// Whole number.
    Int(i64),
    /// Money, in cents.
    Money(i64),
    /// Boolean.
    Bool(bool),
    /// Date.
    Date(NaiveDate),
    /// Timestamp.
    DateTime(NaiveDateTime),
}

impl Literal {
    /// Reads a constant of type `ty` from a YAML node.
    pub fn read(node: &Node, ty: FieldType) -> Result<Self, String> {
        let text = node.as_scalar_string();
        let bad = || {
            format!(
                "expected {} value, found {}",
                article(ty),
                node.as_scalar_string()
                    .map_or_else(|| node.type_name().to_owned(), |s| format!("`{s}`"))
            )
        };
        match ty {
            FieldType::Text => text.map(Literal::Text).ok_or_else(bad),
            FieldType::Integer => match node.value {
                Value::Int(i) => Ok(Literal::Int(i)),
                _ => Err(bad()),
            },
            FieldType::Money => money_cents(node)
                .map(Literal::Money)
                .ok_or_else(|| format!("{} (money has at most two decimals)", bad())),
            FieldType::Bool => match node.value {
                Value::Bool(b) => Ok(Literal::Bool(b)),
                _ => Err(bad()),
            },
            FieldType::Date => text
                .and_then(|s| NaiveDate::parse_from_str(&s, "%Y-%m-%d").ok())
                .map(Literal::Date)
                .ok_or_else(|| format!("{} (dates are YYYY-MM-DD)", bad())),
            FieldType::DateTime => text
                .and_then(|s| {
                    NaiveDateTime::parse_from_str(&s, "%Y-%m-%d %H:%M:%S")
                        .or_else(|_| NaiveDateTime::parse_from_str(&s, "%Y-%m-%dT%H:%M:%S"))
                        .ok()
                })
                .map(Literal::DateTime)
                .ok_or_else(|| format!("{} (timestamps are YYYY-MM-DD HH:MM:SS)", bad())),
        }
    }

    /// How the value is written in expected/actual columns.
    #[must_use]
    pub fn display(&self) -> String {
        match self {
            Literal::Text(s) => s.clone(),
            Literal::Int(i) => i.to_string(),
            Literal::Money(c) => format_cents(*c),
            Literal::Bool(b) => b.to_string(),
            Literal::Date(d) => d.format("%Y-%m-%d").to_string(),
            Literal::DateTime(d) => d.format("%Y-%m-%d %H:%M:%S").to_string(),
        }
    }
}

/// Writes cents as a decimal amount with two places: `-1234` -> `-12.34`.
#[must_use]
pub fn format_cents(cents: i64) -> String {
    let sign = if cents < 0 { "-" } else { "" };
    let abs = cents.unsigned_abs();
    format!("{sign}{}.{:02}", abs / 100, abs % 100)
}

fn article(ty: FieldType) -> String {
    match ty {
        FieldType::Integer => String::from("an integer"),
        other => format!("a {other}"),
    }
}

/// One condition of a rule's `when`: all must hold for the rule to apply to a case.
#[derive(Debug, Clone, PartialEq)]
pub enum Condition {
    /// `field: value` or `field: [a, b]`: the field equals one of the values.
    OneOf {
        /// The field.
        field: String,
        /// Its type.
        ty: FieldType,
        /// Allowed values.
        values: Vec<Literal>,
    },
    /// `present: [fields]`: all are non-empty.
    Present(Vec<String>),
    /// `absent: [fields]`: all are empty.
    Absent(Vec<String>),
}

/// A validated rule.
#[derive(Debug, Clone)]
pub struct Rule {
    /// Unique id, e.g. `entry.premium_miscomputed`.
    pub id: String,
    /// One-line title (English: the text of the findings tables and every machine output).
    pub title: String,
    /// The title in other languages (`title: {en: ..., zh-Hant: ..., zh-Hans: ...}`), for the
    /// pages and summaries; see [`Rule::title_in`].
    pub titles: Vec<(crate::lang::Lang, String)>,
    /// The checkpoint (stage) the rule checks.
    pub checkpoint: String,
    /// Error point 1-14.
    pub error_point: u8,
    /// Severity of its findings.
    pub severity: Severity,
    /// The `cases` operator field a finding is attributed to.
    pub responsible: String,
    /// Which cases the rule applies to (all when empty).
    pub when: Vec<Condition>,
    /// What it checks.
    pub kind: Kind,
    /// The finding's message template (`{actual}`, `{expected}`, `{field_name}`).
    pub message: String,
    /// Where it was defined.
    pub source: RuleSource,
    /// The span of the `id` value (for diagnostics about the rule as a whole).
    pub span: Span,
    /// The insurer settings the rule uses (`{ setting: NAME }`), in source order.
    pub settings: Vec<String>,
    /// Those of them that are unset for this run: the rule is not evaluated.
    pub unset_settings: Vec<String>,
}

impl Rule {
    /// The title in `lang`: its translation in the rule file, else the English title.
    #[must_use]
    pub fn title_in(&self, lang: crate::lang::Lang) -> &str {
        self.titles
            .iter()
            .find(|(l, _)| *l == lang)
            .map_or(self.title.as_str(), |(_, t)| t.as_str())
    }

    /// The fields the rule reads (for the input's required columns).
    #[must_use]
    pub fn fields(&self) -> Vec<String> {
        let mut out = vec![self.responsible.clone()];
        for c in &self.when {
            match c {
                Condition::OneOf { field, .. } => out.push(field.clone()),
                Condition::Present(f) | Condition::Absent(f) => out.extend(f.iter().cloned()),
            }
        }
        out.extend(self.kind.fields());
        out.extend(
            message_placeholders(&self.message)
                .into_iter()
                .filter(|p| p != "actual" && p != "expected"),
        );
        out.sort();
        out.dedup();
        out
    }
}

/// The `{name}` placeholders of a message template, in order.
#[must_use]
pub fn message_placeholders(template: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut rest = template;
    while let Some(start) = rest.find('{') {
        let after = &rest[start + 1..];
        let Some(end) = after.find('}') else { break };
        out.push(after[..end].to_owned());
        rest = &after[end + 1..];
    }
    out
}

/// Reads a `when` mapping.
pub(crate) fn read_when(r: &mut MapReader<'_, '_>, node: &Node) -> Vec<Condition> {
    let Some(entries) = node.as_map() else {
        let found = node.type_name();
        r.error(
            "rules::wrong-type",
            node.span,
            format!("`when` must be a mapping of conditions, found {found}"),
        )
        .help = Some(String::from(
            "e.g. `when: { change_type: [surrender, policy_loan], present: [bound_at] }`",
        ));
        return Vec::new();
    };
    let mut out = Vec::new();
    for (key, value) in entries {
        let Some(name) = key.as_str() else { continue };
        match name {
            "present" | "absent" => {
                if let Some(fields) = r.field_list(value, name) {
                    let names = fields.into_iter().map(|f| f.0).collect();
                    out.push(if name == "present" {
                        Condition::Present(names)
                    } else {
                        Condition::Absent(names)
                    });
                }
            }
            _ => {
                let Some((field, ty, _)) = r.field_name(key, "when") else {
                    continue;
                };
                let Some(values) = r.literals(value, ty, &format!("`when: {field}`")) else {
                    continue;
                };
                out.push(Condition::OneOf { field, ty, values });
            }
        }
    }
    out
}

/// Literal lists are read here, not in `config::reader`, so the reader (a YAML helper) does not
/// depend on the rule model.
impl MapReader<'_, '_> {
    /// Reads a constant or a list of constants of type `ty` (`what` names them in messages);
    /// `None` if any is invalid (each is reported).
    pub fn literals(&mut self, node: &Node, ty: FieldType, what: &str) -> Option<Vec<Literal>> {
        let items: Vec<&Node> = match &node.value {
            Value::Seq(items) => items.iter().collect(),
            _ => vec![node],
        };
        let mut values = Vec::with_capacity(items.len());
        for item in &items {
            match Literal::read(item, ty) {
                Ok(v) => values.push(v),
                Err(e) => {
                    self.error("rules::bad-value", item.span, format!("{what}: {e}"));
                }
            }
        }
        (values.len() == items.len()).then_some(values)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cents_format_with_two_places() {
        assert_eq!(format_cents(0), "0.00");
        assert_eq!(format_cents(5), "0.05");
        assert_eq!(format_cents(-1234), "-12.34");
        assert_eq!(format_cents(500_000_000), "5000000.00");
    }

    #[test]
    fn placeholders_are_found_in_order() {
        assert_eq!(
            message_placeholders("a {actual} b {x_y} {expected}"),
            vec!["actual", "x_y", "expected"]
        );
        assert!(message_placeholders("no braces").is_empty());
    }
}
