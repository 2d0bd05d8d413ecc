//! The registry of rule kinds: one plain table. Adding a kind = a file in `kinds/` and a line here.

use std::fmt::Write;

use super::kinds::{
    KindInfo, allowed, authority, compare, cycle_time, date_order, duration, expr, four_eyes,
    pattern, range, required,
};

/// Every rule kind, in the order the docs list them.
pub const KINDS: &[KindInfo] = &[
    required::INFO,
    allowed::INFO,
    range::INFO,
    pattern::INFO,
    compare::INFO,
    date_order::INFO,
    duration::INFO,
    cycle_time::INFO,
    four_eyes::INFO,
    authority::INFO,
    expr::INFO,
];

/// Keys every rule has, whatever its kind.
pub const COMMON_KEYS: &[&str] = &[
    "id",
    "title",
    "checkpoint",
    "error_point",
    "severity",
    "responsible",
    "when",
    "kind",
    "message",
    "description",
];

/// Looks a kind up by name.
#[must_use]
pub fn find(name: &str) -> Option<&'static KindInfo> {
    KINDS.iter().find(|k| k.name == name)
}

/// The kinds' reference as Markdown: the generated part of `rules/README.md`.
#[must_use]
pub fn kinds_markdown() -> String {
    let mut out = String::from("| kind | checks |\n|---|---|\n");
    for k in KINDS {
        let _ = writeln!(out, "| [`{}`](#{}) | {} |", k.name, k.name, k.summary);
    }
    for k in KINDS {
        let _ = write!(
            out,
            "
### {}

{}.

{}
",
            k.name,
            capitalise(k.summary),
            k.doc
        );
    }
    out
}

fn capitalise(s: &str) -> String {
    let mut c = s.chars();
    c.next()
        .map(|f| f.to_uppercase().collect::<String>() + c.as_str())
        .unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn kind_names_are_unique() {
        let mut names: Vec<_> = KINDS.iter().map(|k| k.name).collect();
        names.sort_unstable();
        names.dedup();
        assert_eq!(names.len(), KINDS.len());
    }

    #[test]
    fn kind_keys_do_not_shadow_common_keys() {
        for k in KINDS {
            for key in k.keys {
                assert!(
                    !COMMON_KEYS.contains(key),
                    "{} redefines the common key {key}",
                    k.name
                );
            }
        }
    }

    #[test]
    fn every_kind_documents_an_example_rule_of_its_own_kind() {
        for k in KINDS {
            assert!(
                k.doc.contains(&format!("kind: {}", k.name)),
                "{} has no example",
                k.name
            );
        }
    }
}
