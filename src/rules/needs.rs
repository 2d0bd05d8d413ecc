//! Partial data runs: which rules can be evaluated on the tables, columns and settings a run
//! has. A rule that needs an absent table (the roster, the authority matrix), a column the
//! cases file lacks, or an unset insurer setting is **not evaluated**: it is left out of the
//! findings, the QC sheet and every rate, and listed with what it needs, so that a folder with
//! only a cases table still runs the rest of the pack.

use std::collections::BTreeMap;
use std::fmt;

use super::{Kind, Rule, RuleSet};

/// Something a rule needs that the run lacks.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Need {
    /// A reference table (`operators`, `authority`).
    Table(&'static str),
    /// A field whose column the cases file does not have, and that column's name (the
    /// field's own name, or the one `columns.yaml` maps it to).
    Column {
        /// Our field.
        field: String,
        /// Their column.
        column: String,
    },
    /// An insurer setting that is unset.
    Setting(String),
}

impl fmt::Display for Need {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Need::Table(t) => write!(f, "no {t} table"),
            Need::Column { field, column } if field == column => write!(f, "no {field} column"),
            Need::Column { field, column } => write!(f, "no `{column}` column (field {field})"),
            Need::Setting(s) => write!(f, "setting {s} unset"),
        }
    }
}

/// A rule left out of a run, and why.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NotEvaluated {
    /// The rule.
    pub rule_id: String,
    /// Its `file:line`.
    pub rule_source: String,
    /// What it needs that the run lacks (at least one).
    pub needs: Vec<Need>,
}

impl NotEvaluated {
    /// The needs as one text: `no operators table; no authority table`.
    #[must_use]
    pub fn needs_text(&self) -> String {
        self.needs
            .iter()
            .map(ToString::to_string)
            .collect::<Vec<_>>()
            .join("; ")
    }
}

/// What a run has.
#[derive(Debug, Clone, Default)]
pub struct Available<'a> {
    /// Case fields whose column is not in the cases file, with that column's name.
    pub absent_fields: &'a [(String, String)],
    /// Whether there is a roster (`operators`).
    pub roster: bool,
    /// Whether there is an authority matrix.
    pub authority: bool,
}

/// What `rule` needs that `available` lacks (empty: it can be evaluated).
#[must_use]
pub fn missing(rule: &Rule, available: &Available<'_>) -> Vec<Need> {
    let mut needs = Vec::new();
    if let Kind::Authority(p) = &rule.kind {
        if !available.roster {
            needs.push(Need::Table("operators"));
        }
        if p.amount.is_some() && !available.authority {
            needs.push(Need::Table("authority"));
        }
    }
    for field in rule.fields() {
        if let Some((_, column)) = available.absent_fields.iter().find(|(f, _)| *f == field) {
            needs.push(Need::Column {
                field,
                column: column.clone(),
            });
        }
    }
    needs.extend(rule.unset_settings.iter().cloned().map(Need::Setting));
    needs
}

/// Splits a rule set into the rules that can be evaluated (same order, same hash and
/// thresholds) and the ones that cannot.
#[must_use]
pub fn split(rules: &RuleSet, available: &Available<'_>) -> (RuleSet, Vec<NotEvaluated>) {
    let mut kept = Vec::new();
    let mut left = Vec::new();
    for rule in &rules.rules {
        let needs = missing(rule, available);
        if needs.is_empty() {
            kept.push(rule.clone());
        } else {
            left.push(NotEvaluated {
                rule_id: rule.id.clone(),
                rule_source: rule.source.to_string(),
                needs,
            });
        }
    }
    (
        RuleSet {
            rules: kept,
            ..rules.clone()
        },
        left,
    )
}

/// One console line per missing input (the rules that lack exactly the same inputs together),
/// most rules first:
/// `2 rules not evaluated: no operators table; no authority table: controls.entry_authority, ...`.
#[must_use]
pub fn grouped_lines(not_evaluated: &[NotEvaluated]) -> Vec<String> {
    let mut groups: BTreeMap<&[Need], Vec<&str>> = BTreeMap::new();
    for n in not_evaluated {
        groups.entry(&n.needs).or_default().push(&n.rule_id);
    }
    let mut groups: Vec<(&[Need], Vec<&str>)> = groups.into_iter().collect();
    groups.sort_by(|a, b| b.1.len().cmp(&a.1.len()).then_with(|| a.0.cmp(b.0)));
    groups
        .into_iter()
        .map(|(needs, ids)| {
            let n = ids.len();
            let noun = if n == 1 { "rule" } else { "rules" };
            let needs: Vec<String> = needs.iter().map(ToString::to_string).collect();
            format!(
                "{n} {noun} not evaluated: {}: {}",
                needs.join("; "),
                ids.join(", ")
            )
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ne(id: &str, needs: Vec<Need>) -> NotEvaluated {
        NotEvaluated {
            rule_id: id.to_owned(),
            rule_source: String::from("rules/x.yaml:1"),
            needs,
        }
    }

    #[test]
    fn lines_group_by_missing_input_largest_group_first() {
        let lines = grouped_lines(&[
            ne("a.one", vec![Need::Table("operators")]),
            ne(
                "a.two",
                vec![Need::Table("operators"), Need::Table("authority")],
            ),
            ne(
                "b.fmt",
                vec![Need::Setting(String::from("policy_no_format"))],
            ),
            ne(
                "a.three",
                vec![Need::Table("operators"), Need::Table("authority")],
            ),
        ]);
        assert_eq!(
            lines,
            [
                "2 rules not evaluated: no operators table; no authority table: a.two, a.three",
                "1 rule not evaluated: no operators table: a.one",
                "1 rule not evaluated: setting policy_no_format unset: b.fmt",
            ]
        );
    }
}
