//! Typed reading of a YAML mapping node, recording a located [`Problem`] for every key that is
//! missing, ill-typed or unknown, so that a whole file is checked in one pass.

use super::diagnostics::{Diagnostics, Problem, SourceFile, suggest};
use super::yaml::{Node, Span, Value};
use crate::schema::FieldType;

/// The fields rules may name, with their types: the `cases` table of the schema plus any
/// custom fields declared in the column map.
#[derive(Debug, Clone)]
pub struct FieldCatalog {
    fields: Vec<(String, FieldType)>,
}

impl FieldCatalog {
    /// Builds a catalogue from (name, type) pairs.
    #[must_use]
    pub fn new(fields: Vec<(String, FieldType)>) -> Self {
        Self { fields }
    }

    /// The type of a field, if known.
    #[must_use]
    pub fn get(&self, name: &str) -> Option<FieldType> {
        self.fields.iter().find(|(n, _)| n == name).map(|(_, t)| *t)
    }

    /// All field names.
    pub fn names(&self) -> impl Iterator<Item = &str> {
        self.fields.iter().map(|(n, _)| n.as_str())
    }

    /// All fields with their types.
    #[must_use]
    pub fn fields(&self) -> &[(String, FieldType)] {
        &self.fields
    }
}

/// Reads the keys of one mapping, remembering which were used.
pub struct MapReader<'a, 'd> {
    node: &'a Node,
    file: &'a SourceFile,
    used: Vec<bool>,
    /// Where problems go.
    pub diags: &'d mut Diagnostics,
    /// The fields rules may name.
    pub catalog: &'a FieldCatalog,
}

impl<'a, 'd> MapReader<'a, 'd> {
    /// Starts reading `node`, which must be a mapping (checked by the caller).
    pub fn new(
        node: &'a Node,
        file: &'a SourceFile,
        diags: &'d mut Diagnostics,
        catalog: &'a FieldCatalog,
    ) -> Self {
        let n = node.as_map().map_or(0, <[_]>::len);
        Self {
            node,
            file,
            used: vec![false; n],
            diags,
            catalog,
        }
    }

    /// The mapping's own span.
    #[must_use]
    pub fn span(&self) -> Span {
        self.node.span
    }

    /// The file being read.
    #[must_use]
    pub fn file(&self) -> &'a SourceFile {
        self.file
    }

    /// Records a problem at `span`.
    pub fn error(
        &mut self,
        code: &'static str,
        span: Span,
        message: impl Into<String>,
    ) -> &mut Problem {
        self.diags
            .push(Problem::error(code, self.file, span, message));
        self.diags.problems.last_mut().expect("just pushed")
    }

    /// The value of `key`, marking it used.
    pub fn get(&mut self, key: &str) -> Option<&'a Node> {
        let entries = self.node.as_map()?;
        let i = entries.iter().position(|(k, _)| k.as_str() == Some(key))?;
        self.used[i] = true;
        Some(&entries[i].1)
    }

    /// Whether `key` is present (without marking it used).
    #[must_use]
    pub fn has(&self, key: &str) -> bool {
        self.node.get(key).is_some()
    }

    /// The value of a required key, or a problem at the mapping.
    pub fn require(&mut self, key: &str, what: &str) -> Option<&'a Node> {
        let node = self.get(key);
        if node.is_none() {
            let span = self.span();
            self.error(
                "rules::missing-key",
                span,
                format!("missing `{key}`: {what}"),
            )
            .labels[0]
                .1 = format!("this mapping needs `{key}`");
        }
        node
    }

    /// Reads a string value.
    pub fn string(&mut self, node: &Node, key: &str) -> Option<String> {
        if let Value::Str(s) = &node.value {
            Some(s.clone())
        } else {
            let found = node.type_name();
            self.error(
                "rules::wrong-type",
                node.span,
                format!("`{key}` must be a string, found {found}"),
            );
            None
        }
    }

    /// Reads a required string key.
    pub fn req_string(&mut self, key: &str, what: &str) -> Option<(String, Span)> {
        let node = self.require(key, what)?;
        self.string(node, key).map(|s| (s, node.span))
    }

    /// Reads an optional string key.
    pub fn opt_string(&mut self, key: &str) -> Option<(String, Span)> {
        let node = self.get(key)?;
        self.string(node, key).map(|s| (s, node.span))
    }

    /// Reads a field name and checks it against the catalogue (with a suggestion).
    pub fn field_name(&mut self, node: &Node, key: &str) -> Option<(String, FieldType, Span)> {
        let name = self.string(node, key)?;
        if let Some(ty) = self.catalog.get(&name) {
            return Some((name, ty, node.span));
        }
        let catalog = self.catalog;
        let hint = match suggest(&name, catalog.names()) {
            Some(s) => format!(
                "did you mean `{s}`? Fields are those of the cases table (SCHEMA.md) and the custom fields of columns.yaml"
            ),
            None => String::from(
                "fields are those of the cases table (SCHEMA.md) and the custom fields of columns.yaml",
            ),
        };
        self.diags.push(
            Problem::error(
                "rules::unknown-field",
                self.file,
                node.span,
                format!("unknown field `{name}`"),
            )
            .label("not a field of the cases table or the column map")
            .help(hint),
        );
        None
    }

    /// Reads a required key naming a field.
    pub fn req_field(&mut self, key: &str, what: &str) -> Option<(String, FieldType, Span)> {
        let node = self.require(key, what)?;
        self.field_name(node, key)
    }

    /// Reads a list of field names (a single name is accepted as a one-item list).
    pub fn field_list(&mut self, node: &Node, key: &str) -> Option<Vec<(String, FieldType, Span)>> {
        match &node.value {
            Value::Seq(items) => {
                let mut out = Vec::new();
                let mut ok = true;
                for item in items {
                    match self.field_name(item, key) {
                        Some(f) => out.push(f),
                        None => ok = false,
                    }
                }
                ok.then_some(out)
            }
            Value::Str(_) => self.field_name(node, key).map(|f| vec![f]),
            _ => {
                let found = node.type_name();
                self.error(
                    "rules::wrong-type",
                    node.span,
                    format!("`{key}` must be a list of field names, found {found}"),
                );
                None
            }
        }
    }

    /// Exactly one of two alternative keys (e.g. `to` or `value`): returns which one was
    /// given (true = `a`) and its node, or records a problem.
    pub fn one_of(&mut self, a: &str, b: &str, what: &str) -> Option<(bool, &'a Node)> {
        match (self.get(a), self.get(b)) {
            (Some(node), None) => Some((true, node)),
            (None, Some(node)) => Some((false, node)),
            (Some(node), Some(_)) => {
                self.error(
                    "rules::conflict",
                    node.span,
                    format!("give `{a}` or `{b}`, not both"),
                );
                None
            }
            (None, None) => {
                let span = self.span();
                self.error(
                    "rules::missing-key",
                    span,
                    format!("missing `{a}` (or `{b}`): {what}"),
                );
                None
            }
        }
    }

    /// Reads an optional boolean key.
    pub fn opt_bool(&mut self, key: &str) -> Option<bool> {
        let node = self.get(key)?;
        if let Value::Bool(b) = node.value {
            Some(b)
        } else {
            let found = node.type_name();
            self.error(
                "rules::wrong-type",
                node.span,
                format!("`{key}` must be true or false, found {found}"),
            );
            None
        }
    }

    /// Reports every key of the mapping that was not read, suggesting the nearest of `known`.
    pub fn finish(self, known: &[&str], context: &str) {
        let Some(entries) = self.node.as_map() else {
            return;
        };
        for ((k, _), used) in entries.iter().zip(&self.used) {
            if *used {
                continue;
            }
            let name = k.as_scalar_string().unwrap_or_default();
            let mut p = Problem::error(
                "rules::unknown-key",
                self.file,
                k.span,
                format!("unknown key `{name}` in {context}"),
            )
            .label("not a known key");
            p = match suggest(&name, known.iter().copied()) {
                Some(s) => p.help(format!("did you mean `{s}`?")),
                None => p.help(format!("known keys: {}", known.join(", "))),
            };
            self.diags.push(p);
        }
    }
}

/// Parses a money amount written in YAML (a number or a string with at most two decimals)
/// into integer cents, exactly.
#[must_use]
pub fn money_cents(node: &Node) -> Option<i64> {
    match &node.value {
        Value::Int(i) => i.checked_mul(100),
        Value::Float(_) | Value::Str(_) => parse_cents(&node.as_scalar_string()?),
        _ => None,
    }
}

/// Parses `-123.45` / `10` / `0.5` into cents; more than two decimals is `None`.
#[must_use]
pub fn parse_cents(text: &str) -> Option<i64> {
    let t = text.trim();
    let (neg, t) = t.strip_prefix('-').map_or((false, t), |r| (true, r));
    let (int, frac) = t.split_once('.').unwrap_or((t, ""));
    if int.is_empty() && frac.is_empty()
        || !int.chars().all(|c| c.is_ascii_digit())
        || !frac.chars().all(|c| c.is_ascii_digit())
        || frac.len() > 2
    {
        return None;
    }
    let whole: i64 = if int.is_empty() { 0 } else { int.parse().ok()? };
    let cents: i64 = match frac.len() {
        0 => 0,
        1 => frac.parse::<i64>().ok()? * 10,
        _ => frac.parse().ok()?,
    };
    let v = whole.checked_mul(100)?.checked_add(cents)?;
    Some(if neg { -v } else { v })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cents_are_exact() {
        assert_eq!(parse_cents("0.01"), Some(1));
        assert_eq!(parse_cents("123.45"), Some(12345));
        assert_eq!(parse_cents("-0.5"), Some(-50));
        assert_eq!(parse_cents("5000000.00"), Some(500_000_000));
        assert_eq!(parse_cents("10"), Some(1000));
        assert_eq!(parse_cents("1.005"), None);
        assert_eq!(parse_cents("abc"), None);
        assert_eq!(parse_cents(""), None);
        assert_eq!(parse_cents("."), None);
    }
}
