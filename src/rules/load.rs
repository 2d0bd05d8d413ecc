//! Loading a rule set: every YAML file of a rule directory (or the embedded default pack),
//! parsed and validated in full before any data is read. All problems are collected.

use std::collections::{BTreeSet, HashMap};
use std::path::Path;

use super::registry::{self, COMMON_KEYS};
use super::{Rule, RuleSource, Severity, message_placeholders, read_when};
use crate::config::diagnostics::{Diagnostics, Problem, SourceFile, suggest};
use crate::config::reader::{FieldCatalog, MapReader};
use crate::config::settings::{self, SettingType, SettingValue, Settings};
use crate::config::thresholds::{self, Threshold};
use crate::config::yaml::{self, Node, Value};
use crate::schema::{FieldType, STAGES};

/// The default rule pack, compiled into the binary so that `policyqc check` works anywhere.
pub const EMBEDDED_PACK: &[(&str, &str)] = &[
    ("rules/intake.yaml", include_str!("../../rules/intake.yaml")),
    ("rules/review.yaml", include_str!("../../rules/review.yaml")),
    ("rules/entry.yaml", include_str!("../../rules/entry.yaml")),
    (
        "rules/double_check.yaml",
        include_str!("../../rules/double_check.yaml"),
    ),
    (
        "rules/binding.yaml",
        include_str!("../../rules/binding.yaml"),
    ),
    (
        "rules/printing.yaml",
        include_str!("../../rules/printing.yaml"),
    ),
    (
        "rules/controls.yaml",
        include_str!("../../rules/controls.yaml"),
    ),
    (
        "rules/thresholds.yaml",
        include_str!("../../rules/thresholds.yaml"),
    ),
];

/// The name of the thresholds file in a rule directory.
pub const THRESHOLDS_FILE: &str = "thresholds.yaml";

/// A validated rule set.
#[derive(Debug, Clone)]
pub struct RuleSet {
    /// The rules, in file order then source order.
    pub rules: Vec<Rule>,
    /// The alert thresholds.
    pub thresholds: Vec<Threshold>,
    /// A hash of all rule files (names and contents), recorded with results.
    pub hash: String,
    /// Where the rules came from (a directory, or `embedded default pack`).
    pub origin: String,
}

/// Loads the embedded default pack, with the insurer `settings` its rules refer to.
pub fn load_embedded(catalog: &FieldCatalog, settings: &Settings) -> Result<RuleSet, Diagnostics> {
    let files: Vec<SourceFile> = EMBEDDED_PACK
        .iter()
        .map(|(name, text)| SourceFile::new(*name, *text))
        .collect();
    load_sources(&files, catalog, settings, "embedded default pack")
}

/// Loads every `*.yaml`/`*.yml` file of `dir` (sorted by name); `thresholds.yaml` holds the
/// alert thresholds, every other file holds rules.
pub fn load_rule_dir(
    dir: &Path,
    catalog: &FieldCatalog,
    settings: &Settings,
) -> Result<RuleSet, Diagnostics> {
    let mut diags = Diagnostics::default();
    let entries = match std::fs::read_dir(dir) {
        Ok(e) => e,
        Err(e) => {
            diags.syntax.push(miette::miette!(
                code = "rules::io",
                "cannot read the rule directory {}: {e}",
                dir.display()
            ));
            return Err(diags);
        }
    };
    let mut paths: Vec<_> = entries
        .filter_map(Result::ok)
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|x| x == "yaml" || x == "yml"))
        .collect();
    paths.sort();
    let mut files = Vec::new();
    for path in paths {
        match crate::config::read_capped(&path).map(String::from_utf8) {
            Ok(Ok(text)) => files.push(SourceFile::new(path.display().to_string(), text)),
            Ok(Err(_)) => diags.syntax.push(miette::miette!(
                code = "rules::encoding",
                "{} is not UTF-8 text",
                path.display()
            )),
            Err(e) => diags.syntax.push(miette::miette!(
                code = "rules::io",
                "cannot read {}: {e}",
                path.display()
            )),
        }
    }
    if files.iter().all(|f| f.name.ends_with(THRESHOLDS_FILE)) && diags.syntax.is_empty() {
        diags.syntax.push(miette::miette!(
            code = "rules::empty",
            help = "a rule directory holds one YAML file per checkpoint, like the default pack in rules/",
            "no rule files (*.yaml) in {}",
            dir.display()
        ));
    }
    if diags.has_errors() {
        return Err(diags);
    }
    load_sources(&files, catalog, settings, &dir.display().to_string())
}

fn load_sources(
    files: &[SourceFile],
    catalog: &FieldCatalog,
    settings: &Settings,
    origin: &str,
) -> Result<RuleSet, Diagnostics> {
    let mut diags = Diagnostics::default();
    let mut rules = Vec::new();
    let mut thresholds = Vec::new();
    let mut hasher = crate::hash::Hasher::new();
    // Settings values are checked in their own file first; a rule using a bad one is not
    // reported again (`SettingsCtx::bad`).
    settings::check_values(settings, &check_setting_value, &mut diags);
    let bad: BTreeSet<String> = settings
        .written_names()
        .filter(|n| {
            settings.written(n).is_some_and(|(_, v)| {
                !matches!(v.value, Value::Null)
                    && settings::find(n).is_some_and(|d| check_setting_value(d.ty, v).is_err())
            })
        })
        .map(str::to_owned)
        .collect();
    let sctx = SettingsCtx {
        settings,
        bad: &bad,
    };
    for file in files {
        hasher.update(file.name.rsplit('/').next().unwrap_or_default().as_bytes());
        hasher.update(file.text.as_bytes());
        let root = match yaml::parse(&file.text, &file.name) {
            Ok(root) => root,
            Err(report) => {
                diags.syntax.push(report);
                continue;
            }
        };
        if file.name.ends_with(THRESHOLDS_FILE) {
            thresholds.extend(thresholds::read(&root, file, &mut diags));
        } else {
            read_rule_file(&root, file, catalog, &sctx, &mut diags, &mut rules);
        }
    }
    // The settings file decides findings as much as the rules do: it is part of the hash.
    if let Some((name, text)) = settings.text_for_hash() {
        hasher.update(name.as_bytes());
        hasher.update(text.as_bytes());
    }
    check_duplicate_ids(&rules, files, &mut diags);
    if diags.has_errors() {
        return Err(diags);
    }
    Ok(RuleSet {
        rules,
        thresholds,
        hash: hasher.hex(),
        origin: origin.to_owned(),
    })
}

fn read_rule_file(
    root: &Node,
    file: &SourceFile,
    catalog: &FieldCatalog,
    sctx: &SettingsCtx<'_>,
    diags: &mut Diagnostics,
    out: &mut Vec<Rule>,
) {
    if matches!(root.value, Value::Null) {
        diags.push(
            Problem::error("rules::empty", file, root.span, "the rule file is empty").warning(),
        );
        return;
    }
    if root.as_map().is_none() {
        diags.push(Problem::error(
            "rules::wrong-type",
            file,
            root.span,
            "a rule file must be a mapping with `rules:` (and an optional `checkpoint:`)",
        ));
        return;
    }
    let mut top = MapReader::new(root, file, diags, catalog);
    let default_checkpoint = top.opt_string("checkpoint");
    let rules_node = top.require("rules", "the list of rules");
    top.finish(&["checkpoint", "rules"], "a rule file");
    if let Some((cp, span)) = &default_checkpoint {
        check_checkpoint(cp, *span, file, diags);
    }
    let Some(rules_node) = rules_node else { return };
    let Some(items) = rules_node.as_seq() else {
        let found = rules_node.type_name();
        diags.push(Problem::error(
            "rules::wrong-type",
            file,
            rules_node.span,
            format!("`rules` must be a list of rules, found {found}"),
        ));
        return;
    };
    for item in items {
        if item.as_map().is_none() {
            let found = item.type_name();
            diags.push(Problem::error(
                "rules::wrong-type",
                file,
                item.span,
                format!("a rule must be a mapping, found {found}"),
            ));
            continue;
        }
        if let Some(rule) = read_rule(
            item,
            file,
            catalog,
            sctx,
            diags,
            default_checkpoint.as_ref().map(|c| c.0.as_str()),
        ) {
            out.push(rule);
        }
    }
}

fn check_checkpoint(
    cp: &str,
    span: yaml::Span,
    file: &SourceFile,
    diags: &mut Diagnostics,
) -> bool {
    if STAGES.contains(&cp) {
        return true;
    }
    let hint = suggest(cp, STAGES).map_or_else(
        || format!("checkpoints: {}", STAGES.join(", ")),
        |s| format!("did you mean `{s}`?"),
    );
    diags.push(
        Problem::error(
            "rules::unknown-checkpoint",
            file,
            span,
            format!("unknown checkpoint `{cp}`"),
        )
        .help(hint),
    );
    false
}

fn read_rule(
    item: &Node,
    file: &SourceFile,
    catalog: &FieldCatalog,
    sctx: &SettingsCtx<'_>,
    diags: &mut Diagnostics,
    default_cp: Option<&str>,
) -> Option<Rule> {
    let mut uses = SettingUses::default();
    let item = &substitute(item, sctx, file, diags, &mut uses);
    let mut r = MapReader::new(item, file, diags, catalog);
    let id = r.req_string("id", "a unique rule id such as `entry.premium_miscomputed`");
    let title = r.req_string("title", "a one-line title");
    let message = r.req_string("message", "the finding's message");
    let checkpoint = match r.opt_string("checkpoint") {
        Some((cp, span)) => check_checkpoint(&cp, span, file, r.diags).then_some(cp),
        None => {
            if let Some(cp) = default_cp {
                Some(cp.to_owned())
            } else {
                let span = r.span();
                r.error(
                    "rules::missing-key",
                    span,
                    "missing `checkpoint` (the rule's file sets none)",
                )
                .help = Some(format!("checkpoints: {}", STAGES.join(", ")));
                None
            }
        }
    };
    let error_point = r
        .require("error_point", "the error point 1-14 (DOMAIN.md)")
        .and_then(|n| match n.value {
            Value::Int(i) if (1..=14).contains(&i) => Some(i as u8),
            _ => {
                let shown = n
                    .as_scalar_string()
                    .unwrap_or_else(|| n.type_name().to_owned());
                r.error(
                    "rules::bad-error-point",
                    n.span,
                    format!("error point `{shown}` is not one of 1-14"),
                )
                .help = Some(String::from(
                    "the fourteen error points are listed in DOMAIN.md and rules/README.md",
                ));
                None
            }
        });
    let severity = r
        .req_string("severity", "critical, major or minor")
        .and_then(|(s, span)| {
            let v = Severity::from_name(&s);
            if v.is_none() {
                let hint = suggest(&s, Severity::ALL.map(Severity::name)).map_or_else(
                    || String::from("use critical, major or minor"),
                    |x| format!("did you mean `{x}`?"),
                );
                r.error(
                    "rules::bad-severity",
                    span,
                    format!("unknown severity `{s}`"),
                )
                .help = Some(hint);
            }
            v
        });
    let responsible = r
        .require(
            "responsible",
            "the operator field a finding is attributed to",
        )
        .and_then(|n| {
            let (name, ty, span) = r.field_name(n, "responsible")?;
            if ty != FieldType::Text {
                r.error(
                    "rules::wrong-type",
                    span,
                    format!("`responsible` must name an operator (text) field; `{name}` is {ty}"),
                );
                return None;
            }
            Some(name)
        });
    let when = r
        .get("when")
        .map(|n| read_when(&mut r, n))
        .unwrap_or_default();
    let _description = r.opt_string("description");
    let kind_name = r.req_string("kind", "the rule kind");
    let mut known: Vec<&str> = COMMON_KEYS.to_vec();
    let kind = kind_name.and_then(|(name, span)| {
        if let Some(info) = registry::find(&name) {
            known.extend(info.keys);
            (info.read)(&mut r)
        } else {
            let names = registry::KINDS.iter().map(|k| k.name);
            let hint = suggest(&name, names.clone()).map_or_else(
                || format!("kinds: {}", names.collect::<Vec<_>>().join(", ")),
                |s| format!("did you mean `{s}`?"),
            );
            r.error(
                "rules::unknown-kind",
                span,
                format!("unknown rule kind `{name}`"),
            )
            .help = Some(hint);
            // Do not report the kind's parameters as unknown keys: `finish` reports every
            // key not read, so mark them read.
            for key in registry::KINDS.iter().flat_map(|k| k.keys.iter().copied()) {
                r.get(key);
            }
            known.extend(registry::KINDS.iter().flat_map(|k| k.keys.iter().copied()));
            None
        }
    });
    if let Some((text, span)) = &message {
        for p in message_placeholders(text) {
            if p != "actual" && p != "expected" && catalog.get(&p).is_none() {
                let hint = suggest(&p, catalog.names().chain(["actual", "expected"])).map_or_else(
                    || String::from("placeholders are {actual}, {expected} and field names"),
                    |s| format!("did you mean `{{{s}}}`?"),
                );
                r.error(
                    "rules::bad-placeholder",
                    *span,
                    format!("unknown placeholder `{{{p}}}` in the message"),
                )
                .help = Some(hint);
            }
        }
    }
    let context = id
        .as_ref()
        .map_or_else(|| String::from("a rule"), |(id, _)| format!("rule `{id}`"));
    r.finish(&known, &context);
    let (id, id_span) = id?;
    if id.is_empty() || id.contains(char::is_whitespace) {
        diags.push(Problem::error(
            "rules::bad-id",
            file,
            id_span,
            format!("rule id `{id}` must be non-empty and contain no spaces"),
        ));
        return None;
    }
    Some(Rule {
        source: RuleSource {
            file: file.name.clone(),
            line: id_span.line,
        },
        span: id_span,
        id,
        title: title?.0,
        checkpoint: checkpoint?,
        error_point: error_point?,
        severity: severity?,
        responsible: responsible?,
        when,
        kind: kind?,
        message: message?.0,
        settings: uses.used,
        unset_settings: uses.unset,
    })
}

/// The settings of a load and the names whose written value is of the wrong type.
struct SettingsCtx<'a> {
    settings: &'a Settings,
    bad: &'a BTreeSet<String>,
}

/// The settings one rule refers to.
#[derive(Default)]
struct SettingUses {
    used: Vec<String>,
    unset: Vec<String>,
}

/// The rule with every `{ setting: NAME }` replaced by the setting's value. The value takes
/// the reference's place (so a problem with it in this rule is labelled at the reference);
/// an unset setting, or one whose value is already reported as bad in the settings file,
/// becomes a placeholder of its type, so that the rest of the rule is still checked and the
/// rule is marked not evaluated.
fn substitute(
    node: &Node,
    sctx: &SettingsCtx<'_>,
    file: &SourceFile,
    diags: &mut Diagnostics,
    uses: &mut SettingUses,
) -> Node {
    let value = match &node.value {
        Value::Map(entries) => {
            if let [(k, v)] = entries.as_slice()
                && k.as_str() == Some("setting")
            {
                return resolve_setting(node, v, sctx, file, diags, uses);
            }
            Value::Map(
                entries
                    .iter()
                    .map(|(k, v)| (k.clone(), substitute(v, sctx, file, diags, uses)))
                    .collect(),
            )
        }
        Value::Seq(items) => Value::Seq(
            items
                .iter()
                .map(|v| substitute(v, sctx, file, diags, uses))
                .collect(),
        ),
        other => other.clone(),
    };
    Node {
        value,
        span: node.span,
    }
}

fn resolve_setting(
    reference: &Node,
    name_node: &Node,
    sctx: &SettingsCtx<'_>,
    file: &SourceFile,
    diags: &mut Diagnostics,
    uses: &mut SettingUses,
) -> Node {
    let name = name_node.as_scalar_string().unwrap_or_default();
    let Some(def) = settings::find(&name) else {
        let help = suggest(&name, settings::SETTINGS.iter().map(|s| s.name)).map_or_else(
            || String::from("rules/README.md lists every setting"),
            |s| format!("did you mean `{s}`?"),
        );
        diags.push(
            Problem::error(
                "rules::unknown-setting",
                file,
                name_node.span,
                format!("unknown setting `{name}`"),
            )
            .help(help),
        );
        return reference.clone();
    };
    if !uses.used.contains(&name) {
        uses.used.push(name.clone());
    }
    let value = match sctx.settings.get(&name) {
        SettingValue::Set(_) if sctx.bad.contains(&name) => None,
        SettingValue::Set(v) | SettingValue::Default(v) => Some(v),
        SettingValue::Unset => None,
    };
    let value = value.unwrap_or_else(|| {
        if !uses.unset.contains(&name) {
            uses.unset.push(name.clone());
        }
        placeholder(def.ty)
    });
    with_span(&value, reference.span)
}

/// A value of the type that every rule reading a setting of that type accepts.
fn placeholder(ty: SettingType) -> Node {
    let text = |s: &str| Node {
        value: Value::Str(s.to_owned()),
        span: yaml::Span::default(),
    };
    match ty {
        SettingType::Regex => text(".*"),
        SettingType::ChangeTypes => Node {
            value: Value::Seq(vec![text("(setting unset)")]),
            span: yaml::Span::default(),
        },
        SettingType::Money => text("0.00"),
        SettingType::Duration => text("1 days"),
        SettingType::WorkingDuration => text("1 working hours"),
        SettingType::TimeZone | SettingType::File => text(""),
        SettingType::Count => Node {
            value: Value::Int(1),
            span: yaml::Span::default(),
        },
    }
}

fn with_span(node: &Node, span: yaml::Span) -> Node {
    let value = match &node.value {
        Value::Map(entries) => Value::Map(
            entries
                .iter()
                .map(|(k, v)| (with_span(k, span), with_span(v, span)))
                .collect(),
        ),
        Value::Seq(items) => Value::Seq(items.iter().map(|v| with_span(v, span)).collect()),
        other => other.clone(),
    };
    Node { value, span }
}

/// Checks a setting's value with the readers the rules use (see `settings::check_values`).
pub fn check_setting_value(ty: SettingType, value: &Node) -> Result<(), String> {
    let found = || {
        value.as_scalar_string().map_or_else(
            || format!("found {}", value.type_name()),
            |s| format!("found `{s}`"),
        )
    };
    match ty {
        SettingType::Regex => {
            let text = value.as_str().ok_or_else(found)?;
            regex::Regex::new(text).map(|_| ()).map_err(|e| {
                format!(
                    "invalid regex: {}",
                    e.to_string().lines().last().unwrap_or_default()
                )
            })
        }
        SettingType::ChangeTypes => match &value.value {
            Value::Str(_) => Ok(()),
            Value::Seq(items)
                if !items.is_empty() && items.iter().all(|i| i.as_str().is_some()) =>
            {
                Ok(())
            }
            _ => Err(found()),
        },
        SettingType::Duration | SettingType::WorkingDuration => {
            let text = value.as_scalar_string().ok_or_else(found)?;
            let limit = super::kinds::duration::Limit::parse(&text)?;
            if ty == SettingType::WorkingDuration && !limit.unit.is_working() {
                return Err(format!("`{text}` is not working time"));
            }
            Ok(())
        }
        SettingType::Money | SettingType::TimeZone | SettingType::File | SettingType::Count => {
            Ok(())
        }
    }
}

fn check_duplicate_ids(rules: &[Rule], files: &[SourceFile], diags: &mut Diagnostics) {
    let mut first: HashMap<&str, &Rule> = HashMap::new();
    for rule in rules {
        if let Some(prev) = first.get(rule.id.as_str()) {
            let Some(file) = files.iter().find(|f| f.name == rule.source.file) else {
                continue;
            };
            let mut p = Problem::error(
                "rules::duplicate-id",
                file,
                rule.span,
                format!("duplicate rule id `{}`", rule.id),
            )
            .label("defined again here")
            .help(format!(
                "first defined at {}; rule ids must be unique across the rule set",
                prev.source
            ));
            if prev.source.file == rule.source.file {
                p = p.also(prev.span, "first defined here");
            }
            diags.push(p);
        } else {
            first.insert(&rule.id, rule);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::columns::ColumnMap;

    const README: &str = include_str!("../../rules/README.md");

    #[test]
    fn the_default_pack_is_valid() {
        let set = load_embedded(&ColumnMap::default().catalog(), &Settings::default())
            .expect("default pack validates");
        assert!(set.rules.len() >= 30);
        assert_eq!(set.thresholds.len(), 3);
    }

    #[test]
    fn rules_readme_kind_reference_is_not_stale() {
        let generated = registry::kinds_markdown();
        assert!(
            README.contains(&generated),
            "rules/README.md is stale: regenerate with `policyqc rules --kinds`"
        );
    }

    #[test]
    fn rules_readme_settings_reference_is_not_stale() {
        assert!(
            README.contains(&settings::settings_markdown()),
            "rules/README.md is stale: regenerate with `policyqc rules --settings`"
        );
    }

    #[test]
    fn rules_readme_error_point_table_lists_every_rule_of_the_pack() {
        let set = load_embedded(&ColumnMap::default().catalog(), &Settings::default())
            .expect("default pack validates");
        for rule in &set.rules {
            let row = README
                .lines()
                .find(|l| l.starts_with(&format!("| {} |", rule.error_point)))
                .unwrap_or_else(|| panic!("no row for error point {}", rule.error_point));
            assert!(
                row.contains(&format!("`{}`", rule.id)),
                "{} missing from the row of error point {}",
                rule.id,
                rule.error_point
            );
        }
    }

    #[test]
    fn embedded_pack_lists_every_file_of_the_rules_folder() {
        let mut on_disk: Vec<String> =
            std::fs::read_dir(concat!(env!("CARGO_MANIFEST_DIR"), "/rules"))
                .expect("rules folder")
                .filter_map(Result::ok)
                .map(|e| e.file_name().to_string_lossy().into_owned())
                .filter(|n| {
                    std::path::Path::new(n)
                        .extension()
                        .is_some_and(|e| e == "yaml")
                })
                .map(|n| format!("rules/{n}"))
                .collect();
        on_disk.sort();
        let mut embedded: Vec<String> =
            EMBEDDED_PACK.iter().map(|(n, _)| (*n).to_owned()).collect();
        embedded.sort();
        assert_eq!(on_disk, embedded);
    }
}
