//! The languages of the human-facing output: `--lang en|zh-Hant|zh-Hans` (default: the
//! `lang` setting, else English). Pages, workbooks and console summaries take their labels
//! from one table, `src/lang.tsv`: one line per label, the English text (the key the code
//! writes) then its Traditional Chinese (Taiwan usage) and Simplified Chinese forms, separated
//! by tabs. Machine output (CSV, Parquet, JSONL, JSON: ids, column names, codes) never
//! changes with the language.
//!
//! The code writes labels in English, `lang.t("Findings")`; a label with figures has `{}`
//! where they go, `lang.f("{} of {} rules evaluated", &[&n, &total])`. A label missing from
//! the table is a programming error: debug builds (the tests) stop on it, release builds
//! show the English text.

use std::collections::HashMap;
use std::fmt::Display;
use std::sync::OnceLock;

/// A language of the human-facing output.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Hash, clap::ValueEnum)]
pub enum Lang {
    /// English.
    #[default]
    #[value(name = "en")]
    En,
    /// Traditional Chinese (Taiwan usage).
    #[value(name = "zh-Hant")]
    ZhHant,
    /// Simplified Chinese.
    #[value(name = "zh-Hans")]
    ZhHans,
}

/// The label table: English, Traditional, Simplified, tab-separated.
const TABLE: &str = include_str!("lang.tsv");

/// The table by English text.
fn table() -> &'static HashMap<&'static str, [&'static str; 2]> {
    static MAP: OnceLock<HashMap<&'static str, [&'static str; 2]>> = OnceLock::new();
    MAP.get_or_init(|| {
        entries()
            .map(|(_, en, hant, hans)| (en, [hant, hans]))
            .collect()
    })
}

/// The table's entries with their line numbers: (line, en, zh-Hant, zh-Hans). Blank lines and
/// lines starting with `#` are skipped; a line without three fields gives empty ones (the
/// unit test reports it).
fn entries() -> impl Iterator<Item = (usize, &'static str, &'static str, &'static str)> {
    TABLE
        .lines()
        .enumerate()
        .filter(|(_, l)| !l.trim().is_empty() && !l.starts_with('#'))
        .map(|(i, l)| {
            let mut f = l.split('\t');
            let mut next = || f.next().unwrap_or("");
            (i + 1, next(), next(), next())
        })
}

impl Lang {
    /// Every language, in the order of `--help`.
    pub const ALL: [Lang; 3] = [Lang::En, Lang::ZhHant, Lang::ZhHans];

    /// The BCP 47 tag (`en`, `zh-Hant`, `zh-Hans`), as `--lang`, the `lang` setting and
    /// `<html lang>` write it.
    #[must_use]
    pub fn code(self) -> &'static str {
        match self {
            Lang::En => "en",
            Lang::ZhHant => "zh-Hant",
            Lang::ZhHans => "zh-Hans",
        }
    }

    /// The language of a tag (exact spelling).
    #[must_use]
    pub fn from_code(code: &str) -> Option<Lang> {
        Lang::ALL.into_iter().find(|l| l.code() == code)
    }

    /// The label `en` in this language.
    ///
    /// # Panics
    /// In debug builds, when `en` is not in `src/lang.tsv` (every label the code writes must
    /// be; the tests render every page in every language).
    #[must_use]
    pub fn t(self, en: &'static str) -> &'static str {
        let column = match self {
            Lang::En => return en,
            Lang::ZhHant => 0,
            Lang::ZhHans => 1,
        };
        if let Some(texts) = table().get(en) {
            texts[column]
        } else {
            debug_assert!(false, "no translation of {en:?} in src/lang.tsv");
            en
        }
    }

    /// A text that may have a translation (a checkpoint, a severity, a column name, an
    /// error point's definition): its translation in this language when the table has one,
    /// else the text itself (a checkpoint of the insurer's own, say).
    #[must_use]
    pub fn tr(self, text: &str) -> &str {
        let column = match self {
            Lang::En => return text,
            Lang::ZhHant => 0,
            Lang::ZhHans => 1,
        };
        table().get(text).map_or(text, |texts| texts[column])
    }

    /// The label `en` in this language with its `{}` filled, in order, by `args`.
    #[must_use]
    pub fn f(self, en: &'static str, args: &[&dyn Display]) -> String {
        fill(self.t(en), args)
    }
}

/// `template` with each `{}` replaced by the next of `args` (a `{}` beyond them stays).
fn fill(template: &str, args: &[&dyn Display]) -> String {
    use std::fmt::Write as _;
    let mut out = String::with_capacity(template.len() + 16 * args.len());
    let mut args = args.iter();
    let mut rest = template;
    while let Some(at) = rest.find("{}") {
        out.push_str(&rest[..at]);
        match args.next() {
            Some(a) => {
                let _ = write!(out, "{a}");
            }
            None => out.push_str("{}"),
        }
        rest = &rest[at + 2..];
    }
    out.push_str(rest);
    out
}

impl std::fmt::Display for Lang {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.code())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::BTreeSet;

    #[test]
    fn every_label_has_three_non_empty_texts_and_no_label_is_there_twice() {
        let mut seen = BTreeSet::new();
        let mut count = 0;
        for (line, en, hant, hans) in entries() {
            count += 1;
            assert!(
                !en.is_empty() && !hant.is_empty() && !hans.is_empty(),
                "src/lang.tsv:{line}: a label needs three tab-separated texts"
            );
            assert!(
                seen.insert(en),
                "src/lang.tsv:{line}: {en:?} is there twice"
            );
            for (name, text) in [("zh-Hant", hant), ("zh-Hans", hans)] {
                assert_eq!(
                    en.matches("{}").count(),
                    text.matches("{}").count(),
                    "src/lang.tsv:{line}: the {name} text of {en:?} has another number of {{}}"
                );
            }
        }
        assert!(count > 100, "only {count} labels");
    }

    /// Every literal the code hands to `t` or `f` (`.t("...")`) is in the table: the
    /// sources are scanned, so a new label without a translation fails here, not on a page.
    #[test]
    fn every_label_the_code_writes_is_in_the_table() {
        let re = regex::Regex::new(r#"\.(?:t|f)\(\s*"((?:[^"\\]|\\.)*)""#).unwrap();
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
        let mut missing = Vec::new();
        let mut files = vec![root.clone()];
        while let Some(p) = files.pop() {
            if p.is_dir() {
                files.extend(std::fs::read_dir(&p).unwrap().map(|e| e.unwrap().path()));
                continue;
            }
            if p.extension().is_none_or(|e| e != "rs") || p.ends_with("lang.rs") {
                continue;
            }
            let text = std::fs::read_to_string(&p).unwrap();
            for c in re.captures_iter(&text) {
                let label = &c[1];
                let label = label.replace("\\\"", "\"").replace("\\n", "\n");
                if !table().contains_key(label.as_str()) {
                    missing.push(format!("{}: {label:?}", p.display()));
                }
            }
        }
        assert!(
            missing.is_empty(),
            "labels without a translation in src/lang.tsv:\n{}",
            missing.join("\n")
        );
    }

    #[test]
    fn labels_are_looked_up_and_filled() {
        let first = entries().next().unwrap();
        assert_eq!(Lang::En.t(first.1), first.1);
        assert_eq!(Lang::ZhHant.t(first.1), first.2);
        assert_eq!(Lang::ZhHans.t(first.1), first.3);
        assert_eq!(fill("{} of {}", &[&3, &"x"]), "3 of x");
        assert_eq!(fill("{} and {}", &[&1]), "1 and {}");
        assert_eq!(fill("none", &[&1]), "none");
    }

    #[test]
    fn codes_round_trip() {
        for l in Lang::ALL {
            assert_eq!(Lang::from_code(l.code()), Some(l));
            let v = <Lang as clap::ValueEnum>::to_possible_value(&l).unwrap();
            assert_eq!(v.get_name(), l.code());
        }
        assert_eq!(Lang::from_code("zh-hant"), None);
        assert_eq!(Lang::from_code("fr"), None);
    }
}
