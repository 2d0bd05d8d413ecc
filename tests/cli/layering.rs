//! The module layering of `src/`: no two source files may import each other.
//!
//! A two-file circle (A uses B, B uses A) means neither can be read, tested or moved alone.
//! This reads the sources (not the compiler's view), resolves every `crate::…` and `super::…`
//! path to the file that defines it, and fails on any pair of files that reach each other,
//! apart from a parent module and its own children (a `mod.rs` declares its children, and
//! they use its items through `super`).

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

/// Module path (`["engine", "findings"]`) of every `.rs` file under `src/`, keyed by path.
fn modules(src: &Path) -> BTreeMap<Vec<String>, String> {
    let mut out = BTreeMap::new();
    let mut stack = vec![src.to_path_buf()];
    while let Some(dir) = stack.pop() {
        for entry in std::fs::read_dir(&dir).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                stack.push(path);
                continue;
            }
            if path.extension().is_none_or(|e| e != "rs") {
                continue;
            }
            let rel = path.strip_prefix(src).unwrap();
            let mut parts: Vec<String> = rel
                .iter()
                .map(|p| p.to_string_lossy().trim_end_matches(".rs").to_string())
                .collect();
            if parts
                .last()
                .is_some_and(|l| l == "mod" || l == "lib" || l == "main")
            {
                parts.pop();
            }
            out.insert(parts, std::fs::read_to_string(&path).unwrap());
        }
    }
    out
}

/// The text of `source` with comments and string literals blanked, so a path inside a doc
/// comment or a message does not count as an import.
fn code_only(source: &str) -> String {
    source
        .lines()
        .map(|line| {
            let t = line.trim_start();
            if t.starts_with("//") {
                return String::new();
            }
            let mut out = String::new();
            let mut in_str = false;
            let mut prev = ' ';
            for c in line.chars() {
                if c == '"' && prev != '\\' {
                    in_str = !in_str;
                } else if !in_str {
                    out.push(c);
                }
                prev = c;
            }
            out
        })
        .collect::<Vec<_>>()
        .join("\n")
}

/// The path segments following each `crate::` / `super::` in `code`, resolved against the
/// module `here` (`super` climbs one level per occurrence).
fn references(here: &[String], is_dir_module: bool, code: &str) -> Vec<Vec<String>> {
    let ident = |c: char| c.is_alphanumeric() || c == '_';
    let mut found = Vec::new();
    let bytes: Vec<char> = code.chars().collect();
    let text: String = bytes.iter().collect();
    for start in ["crate::", "super::"] {
        let mut from = 0;
        while let Some(pos) = text[from..].find(start) {
            let at = from + pos;
            from = at + start.len();
            if at > 0
                && text[..at]
                    .chars()
                    .last()
                    .is_some_and(|c| ident(c) || c == ':')
            {
                continue;
            }
            let mut base: Vec<String> = if start == "crate::" {
                Vec::new()
            } else {
                // `super` in a.rs is the parent of `a`; in a/mod.rs it is also the parent.
                let mut b = here.to_vec();
                let _ = is_dir_module;
                b.pop();
                b
            };
            let mut rest = &text[from..];
            loop {
                let seg: String = rest.chars().take_while(|&c| ident(c)).collect();
                if seg.is_empty() {
                    break;
                }
                rest = &rest[seg.len()..];
                if seg == "super" {
                    base.pop();
                } else {
                    base.push(seg);
                }
                if let Some(r) = rest.strip_prefix("::") {
                    rest = r;
                } else {
                    break;
                }
            }
            found.push(base);
        }
    }
    found
}

/// The longest prefix of `path` that is a module file.
fn owner<'a>(
    modules: &'a BTreeMap<Vec<String>, String>,
    path: &[String],
) -> Option<&'a Vec<String>> {
    (1..=path.len())
        .rev()
        .find_map(|n| modules.get_key_value(&path[..n]).map(|(k, _)| k))
}

#[test]
fn no_two_source_files_import_each_other() {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let modules = modules(&src);
    assert!(modules.len() > 50, "found only {} modules", modules.len());
    let mut edges: BTreeSet<(Vec<String>, Vec<String>)> = BTreeSet::new();
    for (here, source) in &modules {
        for path in references(here, false, &code_only(source)) {
            if let Some(target) = owner(&modules, &path)
                && target != here
            {
                edges.insert((here.clone(), target.clone()));
            }
        }
    }
    let nested = |a: &[String], b: &[String]| a.starts_with(b) || b.starts_with(a);
    let circles: Vec<String> = edges
        .iter()
        .filter(|(a, b)| a < b && !nested(a, b) && edges.contains(&(b.clone(), a.clone())))
        .map(|(a, b)| format!("{} <-> {}", a.join("::"), b.join("::")))
        .collect();
    assert!(
        circles.is_empty(),
        "these source files import each other (move the shared piece into its own module):\n{}",
        circles.join("\n")
    );
}

/// The three circles issue 21 broke, named so a regression says which one came back.
#[test]
fn the_broken_circles_stay_broken() {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let read = |p: &str| code_only(&std::fs::read_to_string(src.join(p)).unwrap());
    for file in ["scorecard/mod.rs", "scorecard/pages.rs"] {
        if src.join(file).exists() {
            assert!(
                !read(file).contains("scorecard_xlsx"),
                "{file} calls the XLSX writer: writers depend on results, never the reverse"
            );
        }
    }
    assert!(
        !read("config/reader.rs").contains("crate::rules"),
        "config/reader.rs imports from rules"
    );
    assert!(
        !read("engine/findings.rs").contains("evaluate::"),
        "engine/findings.rs imports from engine/evaluate.rs"
    );
}
