//! Insurer settings (`settings.yaml`): the conventions of one insurer that the QC standard
//! refers to by name, kept out of the rule pack.
//!
//! The rule pack is the QC standard of the department (DOMAIN.md); a policy-number format, the
//! change types one insurer refers to underwriting, its payout limits, time limits, office time
//! zone and calendar file are that insurer's settings. A rule names a setting where it would
//! write a value, `{ setting: NAME }`:
//!
//! ```yaml
//! - id: intake.policy_no_format
//!   kind: pattern
//!   field: policy_no
//!   regex: { setting: policy_no_format }
//! ```
//!
//! and the data folder's `settings.yaml` (or `--settings FILE`) gives the value:
//!
//! ```yaml
//! policy_no_format: "^P[0-9]{9}$"
//! referral:
//!   underwriting: [sum_increase, reinstatement]
//! time_limits:
//!   review: 5 working days
//! office_time_zone: Asia/Taipei
//! ```
//!
//! Groups (`referral:`, `time_limits:`) may be written nested or as dotted names
//! (`time_limits.review: 5 working days`). Every setting is listed in [`SETTINGS`] with its
//! type and default; a setting with no default that the file does not set is **unset**, and
//! the rules that use it are not evaluated (never "every case wrong"). Writing `~` unsets a
//! setting that has a default. An unknown name is an error with its `file:line:column` and a
//! did-you-mean; each value's type is checked where it is used (`rules::load`), labelled in
//! this file.

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::path::{Path, PathBuf};

use super::diagnostics::{Diagnostics, Problem, SourceFile, suggest};
use super::yaml::{self, Node, Value};

/// The kind of value a setting holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SettingType {
    /// A regular expression (Rust `regex` syntax).
    Regex,
    /// A list of change types (text).
    ChangeTypes,
    /// An amount with at most two decimals.
    Money,
    /// A limit in calendar or working time: `30 days`, `36 hours`, `2 working days`.
    Duration,
    /// A limit in working time: `2 working hours`, `6 working days`.
    WorkingDuration,
    /// An IANA time-zone name, e.g. `Asia/Taipei`.
    TimeZone,
    /// A file, relative to the settings file.
    File,
    /// A whole number, 1 or more.
    Count,
    /// A language of the pages, workbooks and console summaries: `en`, `zh-Hant`, `zh-Hans`.
    Language,
}

impl SettingType {
    /// How the type is written in docs and messages.
    #[must_use]
    pub fn describe(self) -> &'static str {
        match self {
            Self::Regex => "a regular expression",
            Self::ChangeTypes => "a list of change types",
            Self::Money => "an amount (at most two decimals)",
            Self::Duration => "a duration (`30 days`, `36 hours`, `2 working days`)",
            Self::WorkingDuration => {
                "a working-time duration (`2 working hours`, `6 working days`)"
            }
            Self::TimeZone => "an IANA time-zone name (`Asia/Taipei`)",
            Self::File => "a file name, relative to the settings file",
            Self::Count => "a whole number, 1 or more",
            Self::Language => "a language: `en`, `zh-Hant` or `zh-Hans`",
        }
    }
}

/// One setting: its dotted name, type, default (YAML text; `None` = unset unless given) and
/// meaning.
#[derive(Debug, Clone, Copy)]
pub struct SettingDef {
    /// The dotted name, e.g. `time_limits.review`.
    pub name: &'static str,
    /// Its type.
    pub ty: SettingType,
    /// The default as YAML text, or `None` (unset until the insurer sets it).
    pub default: Option<&'static str>,
    /// What it means.
    pub doc: &'static str,
}

const fn def(
    name: &'static str,
    ty: SettingType,
    default: Option<&'static str>,
    doc: &'static str,
) -> SettingDef {
    SettingDef {
        name,
        ty,
        default,
        doc,
    }
}

use SettingType::{
    ChangeTypes, Count, Duration, File, Language, Money, Regex, TimeZone, WorkingDuration,
};

/// Every setting, in the order `rules/README.md` lists them.
pub const SETTINGS: &[SettingDef] = &[
    def(
        "policy_no_format",
        Regex,
        None,
        "the insurer's policy-number format; unset, the format rule is not evaluated",
    ),
    def(
        "referral.underwriting",
        ChangeTypes,
        Some("[sum_increase, reinstatement]"),
        "change types that must be referred to underwriting",
    ),
    def(
        "referral.finance",
        ChangeTypes,
        Some("[surrender, partial_withdrawal, policy_loan, maturity_payment]"),
        "change types that must be referred to finance (payouts)",
    ),
    def(
        "payout.change_types",
        ChangeTypes,
        Some("[surrender, partial_withdrawal, policy_loan, maturity_payment]"),
        "change types that pay money out, whose amount must be plausible",
    ),
    def(
        "payout.min_amount",
        Money,
        Some("0.01"),
        "the smallest plausible payout",
    ),
    def(
        "payout.max_amount",
        Money,
        Some("5000000.00"),
        "the largest plausible payout",
    ),
    def(
        "time_limits.application_age",
        Duration,
        Some("30 days"),
        "longest time from the application's signature to receipt of the documents",
    ),
    def(
        "time_limits.registration",
        WorkingDuration,
        Some("2 working hours"),
        "receipt of the documents to registration",
    ),
    def(
        "time_limits.review",
        WorkingDuration,
        Some("6 working days"),
        "registration to the end of review, customer wait excluded",
    ),
    def(
        "time_limits.entry",
        WorkingDuration,
        Some("4 working days"),
        "review to the end of entry, customer and referral waits excluded",
    ),
    def(
        "time_limits.reports_review",
        Duration,
        Some("2 days"),
        "entry to the review of the system's auto-process and valuation reports",
    ),
    def(
        "time_limits.effective_date",
        Duration,
        Some("60 days"),
        "latest endorsement effective date after the application date",
    ),
    def(
        "time_limits.notice_printing",
        Duration,
        Some("2 days"),
        "binding to the printing of the change notice",
    ),
    def(
        "office_time_zone",
        TimeZone,
        None,
        "the office's time zone (IANA tz database): timestamps with a UTC offset (`+02:00`, `Z`) are converted to it, daylight saving included; timestamps without one are office time; unset, offsets are converted to UTC",
    ),
    def(
        "calendar",
        File,
        None,
        "the working calendar file (calendar.yaml format); unset, the data folder's calendar.yaml, else the office standard",
    ),
    def(
        "weekly.spread_min_operators",
        Count,
        Some("2"),
        "weekly QC analysis: an error point is spread across a team (whole-team training) when at least this many of the team's operators made it in the week; fewer, each gets individual training",
    ),
    def(
        "weekly.common_min_operators",
        Count,
        Some("3"),
        "weekly QC analysis: an error point is a problem common to many (explained to the whole department at roll-call) when at least this many operators made it in the week",
    ),
    def(
        "weekly.top_causes",
        Count,
        Some("5"),
        "weekly QC analysis: how many rules and operators the main causes list",
    ),
    def(
        "lang",
        Language,
        Some("en"),
        "the language of the pages (report.html, ...), workbooks and console summaries: `en`, `zh-Hant` (Traditional Chinese, Taiwan usage) or `zh-Hans` (Simplified); `--lang` overrides it; machine output (CSV, JSON, Parquet) is the same in every language",
    ),
];

/// The settings reference of `rules/README.md` (`policyqc rules --settings`): every setting
/// with its type, default and meaning, as a Markdown table.
#[must_use]
pub fn settings_markdown() -> String {
    let mut out = String::from("| setting | type | default | meaning |\n|---|---|---|---|\n");
    for s in SETTINGS {
        let default = s
            .default
            .map_or_else(|| String::from("unset"), |d| format!("`{d}`"));
        let _ = writeln!(
            out,
            "| `{}` | {} | {} | {} |",
            s.name,
            s.ty.describe().replace('`', ""),
            default,
            s.doc
        );
    }
    out
}

/// Looks a setting up by its dotted name.
#[must_use]
pub fn find(name: &str) -> Option<&'static SettingDef> {
    SETTINGS.iter().find(|s| s.name == name)
}

/// What a setting is for one run.
#[derive(Debug, Clone, PartialEq)]
pub enum SettingValue {
    /// Given in the settings file (the node keeps its place there).
    Set(Node),
    /// The built-in default (parsed from [`SettingDef::default`]).
    Default(Node),
    /// Neither set nor defaulted (or unset with `~`): rules using it are not evaluated.
    Unset,
}

/// The settings of a run: the values of the settings file over the defaults.
#[derive(Debug, Clone, Default)]
pub struct Settings {
    /// Values written in the file, by dotted name, with the key's node.
    values: BTreeMap<String, (Node, Node)>,
    /// The settings file, when there is one.
    pub file: Option<SourceFile>,
    /// The folder the file is in (for `File` settings).
    pub dir: Option<PathBuf>,
}

impl Settings {
    /// The value of a known setting.
    #[must_use]
    pub fn get(&self, name: &str) -> SettingValue {
        if let Some((_, v)) = self.values.get(name) {
            return if matches!(v.value, Value::Null) {
                SettingValue::Unset
            } else {
                SettingValue::Set(v.clone())
            };
        }
        match find(name).and_then(|d| d.default) {
            Some(text) => yaml::parse(text, "built-in default")
                .map_or(SettingValue::Unset, SettingValue::Default),
            None => SettingValue::Unset,
        }
    }

    /// The key and value nodes of a setting written in the file.
    #[must_use]
    pub fn written(&self, name: &str) -> Option<(&Node, &Node)> {
        self.values.get(name).map(|(k, v)| (k, v))
    }

    /// A count setting's value (set or default); `None` when unset or not a whole number.
    #[must_use]
    pub fn count(&self, name: &str) -> Option<u32> {
        match self.get(name) {
            SettingValue::Set(n) | SettingValue::Default(n) => match n.value {
                Value::Int(i) => u32::try_from(i).ok().filter(|&i| i >= 1),
                _ => None,
            },
            SettingValue::Unset => None,
        }
    }

    /// Every setting written in the file, by name.
    pub fn written_names(&self) -> impl Iterator<Item = &str> {
        self.values.keys().map(String::as_str)
    }

    /// A text setting's value (set or default), e.g. the time-zone name.
    #[must_use]
    pub fn text(&self, name: &str) -> Option<String> {
        match self.get(name) {
            SettingValue::Set(n) | SettingValue::Default(n) => n.as_scalar_string(),
            SettingValue::Unset => None,
        }
    }

    /// The language of the `lang` setting (English when it is not a known one: the loader
    /// has reported that already).
    #[must_use]
    pub fn lang(&self) -> crate::lang::Lang {
        self.text("lang")
            .and_then(|t| crate::lang::Lang::from_code(&t))
            .unwrap_or_default()
    }

    /// The calendar file named by `calendar`, resolved against the settings file's folder.
    #[must_use]
    pub fn calendar_file(&self) -> Option<PathBuf> {
        let name = self.text("calendar")?;
        let path = Path::new(&name);
        Some(match &self.dir {
            Some(dir) if path.is_relative() => dir.join(path),
            _ => path.to_path_buf(),
        })
    }

    /// The text of the file, for the rule-set hash (empty without a file).
    #[must_use]
    pub fn text_for_hash(&self) -> Option<(&str, &str)> {
        self.file.as_ref().map(|f| {
            (
                f.name.rsplit('/').next().unwrap_or_default(),
                f.text.as_str(),
            )
        })
    }
}

/// Reads a settings file: its structure and names (each value's type is checked where rules
/// use it, and by [`check_values`]). Every problem is reported.
#[cfg(test)]
pub fn read(file: &SourceFile, dir: Option<&Path>) -> Result<Settings, Diagnostics> {
    let (settings, diags) = read_partial(file, dir);
    match settings {
        Some(s) if !diags.has_errors() => Ok(s),
        _ => Err(diags),
    }
}

/// [`read`], keeping the settings that could be read beside the problems (so that the values'
/// types can be checked in the same pass and every problem reported at once).
pub fn read_partial(file: &SourceFile, dir: Option<&Path>) -> (Option<Settings>, Diagnostics) {
    let mut diags = Diagnostics::default();
    let root = match yaml::parse(&file.text, &file.name) {
        Ok(r) => r,
        Err(report) => {
            diags.syntax.push(report);
            return (None, diags);
        }
    };
    let mut settings = Settings {
        file: Some(file.clone()),
        dir: dir.map(Path::to_path_buf),
        ..Settings::default()
    };
    match &root.value {
        Value::Null => {}
        Value::Map(entries) => flatten(entries, "", file, &mut diags, &mut settings.values),
        _ => diags.push(
            Problem::error(
                "settings::wrong-type",
                file,
                root.span,
                format!(
                    "settings.yaml must be a mapping of setting names to values, found {}",
                    root.type_name()
                ),
            )
            .help("e.g. `policy_no_format: \"^P[0-9]{9}$\"` (rules/README.md lists every setting)"),
        ),
    }
    (Some(settings), diags)
}

/// The group prefixes of the dotted names (`referral`, `time_limits`, ...).
fn is_group(prefix: &str) -> bool {
    SETTINGS
        .iter()
        .any(|s| s.name.starts_with(prefix) && s.name[prefix.len()..].starts_with('.'))
}

fn flatten(
    entries: &[(Node, Node)],
    prefix: &str,
    file: &SourceFile,
    diags: &mut Diagnostics,
    out: &mut BTreeMap<String, (Node, Node)>,
) {
    for (key, value) in entries {
        let Some(k) = key.as_scalar_string() else {
            diags.push(Problem::error(
                "settings::wrong-type",
                file,
                key.span,
                "a setting name must be text",
            ));
            continue;
        };
        let name = if prefix.is_empty() {
            k.clone()
        } else {
            format!("{prefix}.{k}")
        };
        if find(&name).is_some() {
            if let Some((first, _)) = out.get(&name) {
                diags.push(
                    Problem::error(
                        "settings::duplicate",
                        file,
                        key.span,
                        format!("`{name}` is set twice"),
                    )
                    .also(first.span, "first set here"),
                );
                continue;
            }
            out.insert(name, (key.clone(), value.clone()));
        } else if is_group(&name) {
            if let Value::Map(inner) = &value.value {
                flatten(inner, &name, file, diags, out);
            } else {
                let members: Vec<&str> = SETTINGS
                    .iter()
                    .filter(|s| s.name.starts_with(&format!("{name}.")))
                    .map(|s| &s.name[name.len() + 1..])
                    .collect();
                diags.push(
                    Problem::error(
                        "settings::wrong-type",
                        file,
                        value.span,
                        format!(
                            "`{name}` is a group of settings, found {}",
                            value.type_name()
                        ),
                    )
                    .help(format!("write it as a mapping of {}", members.join(", "))),
                );
            }
        } else {
            let names = SETTINGS.iter().map(|s| s.name).chain(
                SETTINGS
                    .iter()
                    .filter_map(|s| s.name.split_once('.').map(|(g, _)| g)),
            );
            let help = suggest(&name, names).map_or_else(
                || {
                    format!(
                        "settings: {}",
                        SETTINGS
                            .iter()
                            .map(|s| s.name)
                            .collect::<Vec<_>>()
                            .join(", ")
                    )
                },
                |s| format!("did you mean `{s}`?"),
            );
            diags.push(
                Problem::error(
                    "settings::unknown",
                    file,
                    key.span,
                    format!("unknown setting `{name}`"),
                )
                .help(help),
            );
        }
    }
}

/// Checks the value of every setting written in the file against its type, labelled in the
/// settings file; `check` validates one value (`Err(message)` when it is wrong). Durations,
/// regular expressions and change-type lists are checked by the readers the rules use, so that
/// a setting accepts exactly what a rule would.
pub fn check_values(
    settings: &Settings,
    check: &dyn Fn(SettingType, &Node) -> Result<(), String>,
    diags: &mut Diagnostics,
) {
    let Some(file) = &settings.file else { return };
    for (name, (_, value)) in &settings.values {
        if matches!(value.value, Value::Null) {
            continue;
        }
        let Some(def) = find(name) else { continue };
        if let Err(message) =
            check_builtin(def.ty, value, settings).and_then(|()| check(def.ty, value))
        {
            diags.push(
                Problem::error(
                    "settings::bad-value",
                    file,
                    value.span,
                    format!("`{name}` must be {}: {message}", def.ty.describe()),
                )
                .help(def.doc),
            );
        }
    }
}

/// The checks this module can make itself: time-zone names, files, money.
fn check_builtin(ty: SettingType, value: &Node, settings: &Settings) -> Result<(), String> {
    match ty {
        SettingType::TimeZone => {
            let name = value
                .as_str()
                .ok_or_else(|| format!("found {}", value.type_name()))?;
            if name.parse::<chrono_tz::Tz>().is_ok() {
                return Ok(());
            }
            let hint = suggest(name, chrono_tz::TZ_VARIANTS.iter().map(|t| t.name()))
                .map_or_else(String::new, |s| format!("; did you mean `{s}`?"));
            Err(format!("`{name}` is not an IANA time-zone name{hint}"))
        }
        SettingType::File => {
            let name = value
                .as_str()
                .ok_or_else(|| format!("found {}", value.type_name()))?;
            let path = Path::new(name);
            let full = match &settings.dir {
                Some(dir) if path.is_relative() => dir.join(path),
                _ => path.to_path_buf(),
            };
            if full.is_file() {
                Ok(())
            } else {
                Err(format!("{} does not exist", full.display()))
            }
        }
        SettingType::Money => super::reader::money_cents(value)
            .map(|_| ())
            .ok_or_else(|| {
                value.as_scalar_string().map_or_else(
                    || format!("found {}", value.type_name()),
                    |s| format!("`{s}` is not an amount with at most two decimals"),
                )
            }),
        SettingType::Count => match value.value {
            Value::Int(n) if n >= 1 => Ok(()),
            Value::Int(n) => Err(format!("`{n}` is less than 1")),
            _ => Err(value.as_scalar_string().map_or_else(
                || format!("found {}", value.type_name()),
                |s| format!("`{s}` is not a whole number"),
            )),
        },
        SettingType::Language => {
            let name = value
                .as_str()
                .ok_or_else(|| format!("found {}", value.type_name()))?;
            if crate::lang::Lang::from_code(name).is_some() {
                return Ok(());
            }
            let codes = crate::lang::Lang::ALL.map(crate::lang::Lang::code);
            let hint = suggest(name, codes.iter().copied())
                .map_or_else(String::new, |s| format!("; did you mean `{s}`?"));
            Err(format!("`{name}` is not one of {}{hint}", codes.join(", ")))
        }
        SettingType::Regex
        | SettingType::ChangeTypes
        | SettingType::Duration
        | SettingType::WorkingDuration => Ok(()),
    }
}

/// Loads the settings file at `path` (none: every setting at its default), checking every
/// value with `check` (see [`check_values`]) and reporting every problem at once.
pub fn load(
    path: Option<&Path>,
    check: &dyn Fn(SettingType, &Node) -> Result<(), String>,
) -> Result<Settings, LoadError> {
    let Some(path) = path else {
        return Ok(Settings::default());
    };
    let text = crate::config::read_capped_to_string(path).map_err(|source| LoadError::Io {
        path: path.display().to_string(),
        source,
    })?;
    from_source(
        &SourceFile::new(path.display().to_string(), text),
        path.parent(),
        check,
    )
    .map_err(LoadError::Invalid)
}

/// Reads and validates settings from a file's text (`dir`: the folder `File` settings are
/// relative to), every problem in the diagnostics.
pub(crate) fn from_source(
    file: &SourceFile,
    dir: Option<&Path>,
    check: &dyn Fn(SettingType, &Node) -> Result<(), String>,
) -> Result<Settings, Diagnostics> {
    let (settings, mut diags) = read_partial(file, dir);
    if let Some(s) = &settings {
        check_values(s, check, &mut diags);
    }
    match settings {
        Some(s) if !diags.has_errors() => Ok(s),
        _ => Err(diags),
    }
}

/// Why a settings file could not be loaded.
#[derive(Debug)]
pub enum LoadError {
    /// It could not be read.
    Io {
        /// The file.
        path: String,
        /// Why.
        source: std::io::Error,
    },
    /// It has problems (every one listed).
    Invalid(Diagnostics),
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(text: &str) -> Result<Settings, Diagnostics> {
        read(&SourceFile::new("settings.yaml", text), None)
    }

    #[test]
    fn setting_names_are_unique_and_defaults_parse() {
        for (i, s) in SETTINGS.iter().enumerate() {
            assert!(
                SETTINGS[i + 1..].iter().all(|t| t.name != s.name),
                "{} twice",
                s.name
            );
            if let Some(d) = s.default {
                assert!(yaml::parse(d, "default").is_ok(), "{}", s.name);
            }
        }
    }

    #[test]
    fn nested_and_dotted_names_are_the_same_setting_and_file_values_win() {
        let s = parse("referral:\n  underwriting: [sum_increase]\ntime_limits.review: 5 working days\npolicy_no_format: ~\n").unwrap();
        let SettingValue::Set(n) = s.get("referral.underwriting") else {
            panic!("set")
        };
        assert_eq!(n.as_seq().unwrap().len(), 1);
        assert_eq!(n.span.line, 2);
        assert!(matches!(s.get("time_limits.review"), SettingValue::Set(_)));
        // Not written: the default; no default: unset; `~`: unset.
        assert!(matches!(
            s.get("time_limits.entry"),
            SettingValue::Default(_)
        ));
        assert_eq!(s.get("office_time_zone"), SettingValue::Unset);
        assert_eq!(s.get("policy_no_format"), SettingValue::Unset);
    }

    #[test]
    fn unknown_names_and_misplaced_groups_are_located_with_a_suggestion() {
        // The same setting nested and dotted (a key written twice is a YAML syntax error).
        let err = parse("policy_no_fromat: x\nreferral: finance\ntime_limits:\n  reviw: 2 days\n  review: 2 working days\ntime_limits.review: 3 working days\n").unwrap_err();
        let found: Vec<(String, String, Option<String>)> = err
            .problems
            .iter()
            .map(|p| (p.location(), p.message.clone(), p.help.clone()))
            .collect();
        assert_eq!(found.len(), 4, "{found:?}");
        assert_eq!(found[0].0, "settings.yaml:1:1");
        assert_eq!(
            found[0].2.as_deref(),
            Some("did you mean `policy_no_format`?")
        );
        assert_eq!(found[1].0, "settings.yaml:2:11");
        assert!(found[1].1.contains("group"), "{found:?}");
        assert_eq!(found[2].0, "settings.yaml:4:3");
        assert_eq!(
            found[2].2.as_deref(),
            Some("did you mean `time_limits.review`?")
        );
        assert_eq!(found[3].0, "settings.yaml:6:1");
        assert_eq!(found[3].1, "`time_limits.review` is set twice");
        assert_eq!(
            err.problems[3].labels[1].0.line, 5,
            "labelled at the first too"
        );
    }

    #[test]
    fn time_zones_money_and_files_are_checked_here() {
        let s = parse("office_time_zone: Asia/Taipe\npayout:\n  max_amount: 12.345\ncalendar: no-such-calendar.yaml\n").unwrap();
        let mut diags = Diagnostics::default();
        check_values(&s, &|_, _| Ok(()), &mut diags);
        let found: Vec<(String, String)> = diags
            .problems
            .iter()
            .map(|p| (p.location(), p.message.clone()))
            .collect();
        assert_eq!(found.len(), 3, "{found:?}");
        // Sorted by name: calendar, office_time_zone, payout.max_amount.
        assert_eq!(found[0].0, "settings.yaml:4:11");
        assert!(
            found[1].1.contains("did you mean `Asia/Taipei`?"),
            "{found:?}"
        );
        assert_eq!(found[1].0, "settings.yaml:1:19");
        assert!(
            found[2].1.contains("`12.345` is not an amount"),
            "{found:?}"
        );
        let ok = parse("office_time_zone: Europe/Amsterdam\npayout:\n  max_amount: 100\n").unwrap();
        let mut diags = Diagnostics::default();
        check_values(&ok, &|_, _| Ok(()), &mut diags);
        assert!(diags.problems.is_empty());
    }
}
