//! JSON Schemas of the four user-edited YAML files (`policyqc schema rules|thresholds|settings|
//! columns|calendar`), for editors: the YAML extension of VS Code (yaml-language-server) reads
//! the `# yaml-language-server: $schema=...` first line of a file and then completes keys,
//! lists enum values and shows each key's doc comment as it is typed.
//!
//! The loaders do not deserialize into serde structs: they walk a span-keeping YAML tree
//! ([`super::yaml`]) to report every problem at its line and column. So the schemas are
//! generated (schemars) from the **shape types** below, whose doc comments are the
//! descriptions, and from the loaders' own tables where the loaders are table-driven: the rule
//! kinds' keys ([`crate::rules::registry::KINDS`]), the settings ([`super::settings::SETTINGS`]),
//! the tables and fields of SCHEMA.md ([`crate::schema::Table`]), the checkpoints
//! ([`crate::schema::STAGES`]), the severities and metrics. `calendar.yaml` is the one file read
//! through a serde type ([`crate::calendar::CalendarSpec`]), which carries the derive itself.
//! Unit tests below check each shape's keys against the loader's key lists;
//! `tests/rules/schema.rs` checks that every default file validates and that bad files are
//! rejected by both.

use schemars::generate::SchemaSettings;
use schemars::{JsonSchema, Schema, SchemaGenerator, json_schema};
use serde_json::{Map, Value, json};

use super::settings::{SETTINGS, SettingType};
use crate::rules::Severity;
use crate::schema::{STAGES, Table};

/// The files that have a schema.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum SchemaName {
    /// A rule file of a rule pack (`rules/*.yaml` but `thresholds.yaml`).
    Rules,
    /// The alert thresholds of a rule pack (`rules/thresholds.yaml`).
    Thresholds,
    /// The insurer settings (`settings.yaml`).
    Settings,
    /// The column map (`columns.yaml`).
    Columns,
    /// The working calendar (`calendar.yaml`).
    Calendar,
}

impl SchemaName {
    /// Every schema, in the order of `schemas/`.
    #[cfg(test)]
    pub const ALL: [SchemaName; 5] = [
        SchemaName::Rules,
        SchemaName::Thresholds,
        SchemaName::Settings,
        SchemaName::Columns,
        SchemaName::Calendar,
    ];

    /// The schema as a JSON value.
    #[must_use]
    pub fn schema(self) -> Schema {
        let mut generator = generator();
        match self {
            SchemaName::Rules => generator.root_schema_for::<RuleFile>(),
            SchemaName::Thresholds => generator.root_schema_for::<ThresholdsFile>(),
            SchemaName::Settings => generator.root_schema_for::<SettingsFile>(),
            SchemaName::Columns => generator.root_schema_for::<ColumnsFile>(),
            SchemaName::Calendar => generator.root_schema_for::<crate::calendar::CalendarSpec>(),
        }
    }

    /// The schema as pretty JSON with a final newline: keys sorted (`serde_json`'s map), so the
    /// text is the same on every run.
    #[must_use]
    pub fn to_json(self) -> String {
        let mut text = serde_json::to_string_pretty(&self.schema().to_value())
            .expect("a schema is plain JSON");
        text.push('\n');
        text
    }
}

/// A type that exists for its schema: a unit struct `$ty` whose `JsonSchema` is the block,
/// stored under the definition name `$name` (what editors show as the type).
macro_rules! schema_type {
    ($(#[$doc:meta])* $ty:ident, $name:literal, |$generator:ident| $body:block) => {
        $(#[$doc])*
        pub struct $ty;

        impl JsonSchema for $ty {
            fn schema_name() -> std::borrow::Cow<'static, str> {
                $name.into()
            }
            #[allow(unused_variables)]
            fn json_schema($generator: &mut SchemaGenerator) -> Schema $body
        }
    };
}

/// The generator of every schema: JSON Schema draft-07, the newest draft yaml-language-server
/// (VS Code's YAML extension) reads; its 2019-09/2020-12 support was added and reverted.
/// schemars' draft-07 settings write `definitions`, and move a `$ref` with siblings (a key's
/// description beside its type's reference) into an `allOf`, since draft-07 ignores the
/// siblings of a `$ref`.
fn generator() -> SchemaGenerator {
    SchemaGenerator::new(SchemaSettings::draft07())
}

/// One `one` or a list of them.
fn one_or_list(one: &Schema) -> Schema {
    json_schema!({ "anyOf": [one, { "type": "array", "items": one }] })
}

/// A list of at least `min` `one`s.
fn list_of(one: &Schema, min: u32) -> Schema {
    json_schema!({ "type": "array", "items": one, "minItems": min })
}

/// `{"type": "string", "enum": [...]}` with a description.
fn string_enum<'a>(names: impl IntoIterator<Item = &'a str>, description: &str) -> Schema {
    let names: Vec<&str> = names.into_iter().collect();
    json_schema!({ "type": "string", "enum": names, "description": description })
}

schema_type! {
    /// A checkpoint (stage) name.
    Checkpoint, "Checkpoint", |generator| {
        string_enum(
            STAGES,
            "A checkpoint (stage): where the rule's error is found; DOMAIN.md lists the six stages.",
        )
    }
}

impl JsonSchema for Severity {
    fn schema_name() -> std::borrow::Cow<'static, str> {
        "Severity".into()
    }
    fn json_schema(_: &mut SchemaGenerator) -> Schema {
        string_enum(
            Severity::ALL.map(Severity::name),
            "How serious a finding is: critical, major or minor.",
        )
    }
}

/// The settings a `{ setting: NAME }` may name at one key: those whose type's values that
/// key reads. The loader puts the setting's value in the reference's place and reads it as if
/// written there, so a reference is right when the value fits; the schema, which does not
/// know the settings file, offers the settings whose type always fits (no setting is a field
/// name, so field keys take none).
pub trait SettingKinds {
    /// The name of the reference's definition (`SettingRef_<NAME>`).
    const NAME: &'static str;
    /// The types of the settings it may name.
    const TYPES: &'static [SettingType];
}

/// `regex:`: a regular-expression setting.
pub struct RegexSettings;
impl SettingKinds for RegexSettings {
    const NAME: &'static str = "regex";
    const TYPES: &'static [SettingType] = &[SettingType::Regex];
}

/// Lists of values (`values:`, a `when:` value): a change-type list.
pub struct ListSettings;
impl SettingKinds for ListSettings {
    const NAME: &'static str = "list";
    const TYPES: &'static [SettingType] = &[SettingType::ChangeTypes];
}

/// A `when:` value (or list of values): a change-type list, an amount or a count.
pub struct WhenSettings;
impl SettingKinds for WhenSettings {
    const NAME: &'static str = "when";
    const TYPES: &'static [SettingType] = &[
        SettingType::ChangeTypes,
        SettingType::Money,
        SettingType::Count,
    ];
}

/// Constants compared with a number or an amount: an amount or a count.
pub struct AmountSettings;
impl SettingKinds for AmountSettings {
    const NAME: &'static str = "amount";
    const TYPES: &'static [SettingType] = &[SettingType::Money, SettingType::Count];
}

/// `duration` limits: calendar or working time.
pub struct DurationSettings;
impl SettingKinds for DurationSettings {
    const NAME: &'static str = "duration";
    const TYPES: &'static [SettingType] = &[SettingType::Duration, SettingType::WorkingDuration];
}

/// `cycle_time` limits: working time only (a calendar duration such as the default `30 days`
/// is rejected there).
pub struct WorkingSettings;
impl SettingKinds for WorkingSettings {
    const NAME: &'static str = "working_duration";
    const TYPES: &'static [SettingType] = &[SettingType::WorkingDuration];
}

/// `{ setting: NAME }` in a rule: the value is the insurer's setting of that name, one of `K`.
pub struct SettingRef<K>(std::marker::PhantomData<K>);

impl<K: SettingKinds> JsonSchema for SettingRef<K> {
    fn schema_name() -> std::borrow::Cow<'static, str> {
        format!("SettingRef_{}", K::NAME).into()
    }
    fn json_schema(_: &mut SchemaGenerator) -> Schema {
        let names: Vec<&str> = SETTINGS
            .iter()
            .filter(|s| K::TYPES.contains(&s.ty))
            .map(|s| s.name)
            .collect();
        json_schema!({
            "type": "object",
            "description": "`{ setting: NAME }`: the value of the insurer setting NAME (settings.yaml; `policyqc rules --settings` lists them).",
            "properties": { "setting": { "type": "string", "enum": names } },
            "required": ["setting"],
            "additionalProperties": false,
        })
    }
}

/// A value, or `{ setting: NAME }` naming a setting of `K` that stands for it.
pub struct OrSetting<T, K>(std::marker::PhantomData<(T, K)>);

impl<T: JsonSchema, K: SettingKinds> JsonSchema for OrSetting<T, K> {
    fn schema_name() -> std::borrow::Cow<'static, str> {
        format!("OrSetting_{}_{}", T::schema_name(), K::NAME).into()
    }
    fn inline_schema() -> bool {
        true
    }
    fn json_schema(generator: &mut SchemaGenerator) -> Schema {
        let value = generator.subschema_for::<T>();
        let setting = generator.subschema_for::<SettingRef<K>>();
        let mut schema = json_schema!({ "anyOf": [value, setting] });
        // The description of the key (its doc comment) goes beside the `anyOf`.
        if let Some(d) = value.get("description").cloned() {
            schema.insert("description".into(), d);
        }
        schema
    }
}

schema_type! {
    /// A field name: one of SCHEMA.md's cases fields or a custom field of columns.yaml.
    FieldName, "FieldName", |generator| {
        let mut known: Vec<&str> = Table::Cases.fields().iter().map(|f| f.name).collect();
        known.sort_unstable();
        json_schema!({
            "type": "string",
            "description": "A field of the cases table (SCHEMA.md) or a custom field of columns.yaml.",
            "examples": known,
        })
    }
}

schema_type! {
    /// One field name or a list of them.
    FieldNames, "FieldNames", |generator| {
        one_or_list(&generator.subschema_for::<FieldName>())
    }
}

schema_type! {
    /// At least two field names.
    TwoOrMoreFields, "TwoOrMoreFields", |generator| {
        list_of(&generator.subschema_for::<FieldName>(), 2)
    }
}

schema_type! {
    /// A constant: text, a number, an amount, a date (`YYYY-MM-DD`) or a boolean.
    Scalar, "Scalar", |generator| {
        json_schema!({
            "type": ["string", "integer", "number", "boolean"],
            "description": "A constant of the field's type: text, a number, an amount, a date (YYYY-MM-DD) or true/false.",
        })
    }
}

schema_type! {
    /// One constant or a list of them.
    Scalars, "Scalars", |generator| {
        one_or_list(&generator.subschema_for::<Scalar>())
    }
}

schema_type! {
    /// A non-empty list of constants.
    ScalarList, "ScalarList", |generator| {
        list_of(&generator.subschema_for::<Scalar>(), 1)
    }
}

/// The pattern of a limit as `duration::Limit::parse` reads it: a number with at most two
/// decimals (whole for calendar days) and a unit, split by blanks; `working_only` keeps the
/// working-time units (`cycle_time`, working-duration settings).
fn limit_pattern(working_only: bool) -> String {
    let num = r"(?:[0-9]+(?:\.[0-9]{0,2})?|\.[0-9]{1,2})";
    let whole = r"(?:[0-9]+(?:\.0{0,2})?|\.0{1,2})";
    let working = format!(r"{num}\s+working\s+(?:days?|hours?)");
    if working_only {
        format!(r"^\s*{working}\s*$")
    } else {
        format!(r"^\s*(?:{working}|{num}\s+(?:hours?|minutes?)|{whole}\s+days?)\s*$")
    }
}

schema_type! {
    /// A time limit: `30 days`, `36 hours`, `90 minutes`, `2 working days`, `12 working hours`.
    LimitText, "Limit", |generator| {
        json_schema!({
            "type": "string",
            "pattern": limit_pattern(false),
            "description": "A time limit: `30 days`, `36 hours`, `90 minutes`, `2 working days` or `12 working hours` (all but days may have two decimals).",
            "examples": ["30 days", "36 hours", "90 minutes", "2 working days", "12 working hours"],
        })
    }
}

schema_type! {
    /// A limit in working time: `5 working days`, `12 working hours`.
    WorkingLimitText, "WorkingLimit", |generator| {
        json_schema!({
            "type": "string",
            "pattern": limit_pattern(true),
            "description": "A limit in working time (the calendar's working hours): `5 working days` or `12 working hours`, up to two decimals.",
            "examples": ["5 working days", "12 working hours", "1.5 working days"],
        })
    }
}

schema_type! {
    /// `fail` or `skip`.
    Missing, "Missing", |generator| {
        string_enum(
            ["fail", "skip"],
            "What an empty value does: `skip` (default) passes the case, `fail` makes it a finding.",
        )
    }
}

schema_type! {
    /// A weekday as `calendar.yaml` writes it.
    WeekdayName, "Weekday", |generator| {
        // The reader ignores case: the lower-case names for editors to offer, and a pattern
        // matching them in any case (JSON Schema patterns have no case-insensitive flag).
        let names: Vec<&str> = crate::calendar::WEEKDAY_NAMES
            .iter()
            .flat_map(|(short, long, _)| [*short, *long])
            .collect();
        let any_case: Vec<String> = names
            .iter()
            .map(|n| {
                n.chars().fold(String::new(), |mut out, c| {
                    out.extend(['[', c, c.to_ascii_uppercase(), ']']);
                    out
                })
            })
            .collect();
        json_schema!({
            "description": "A weekday: mon … sun or the full English name, in any case.",
            "anyOf": [
                { "type": "string", "enum": names },
                { "type": "string", "pattern": format!("^\\s*(?:{})\\s*$", any_case.join("|")) },
            ],
        })
    }
}

schema_type! {
    /// A time of day `"HH:MM"`, up to `"24:00"`.
    HhMm, "HhMm", |generator| {
        json_schema!({
            "type": "string",
            "pattern": "^\\s*([01]?[0-9]|2[0-3]):[0-5][0-9]\\s*$|^\\s*24:00\\s*$",
            "description": "A time of day, \"HH:MM\" on the 24-hour clock (\"24:00\" may end the day).",
        })
    }
}

schema_type! {
    /// A date `YYYY-MM-DD`.
    IsoDate, "Date", |generator| {
        json_schema!({
            "type": "string",
            "pattern": "^\\s*[0-9]{4}-[0-9]{1,2}-[0-9]{1,2}\\s*$",
            "description": "A date, YYYY-MM-DD.",
        })
    }
}

/// The shape types' `Option<T>` keys may be left out, but not written `~`: the loaders read a
/// null as a value of the wrong type (``"`title` must be a string, found null"``). schemars
/// makes an `Option<T>` key `anyOf: [T, null]` (or `type: [T, "null"]`); this transform, on
/// every shape struct, keeps `T` only.
fn absent_not_null(schema: &mut Schema) {
    let Some(Value::Object(props)) = schema.get_mut("properties") else {
        return;
    };
    for prop in props.values_mut() {
        let Value::Object(prop) = prop else { continue };
        if let Some(Value::Array(types)) = prop.get_mut("type") {
            types.retain(|t| t != "null");
            if types.len() == 1 {
                let only = types.pop().expect("one type");
                prop.insert("type".into(), only);
            }
        }
        let Some(Value::Array(alternatives)) = prop.get("anyOf") else {
            continue;
        };
        let null = json!({ "type": "null" });
        if alternatives.len() == 2 && alternatives.contains(&null) {
            let kept = alternatives
                .iter()
                .find(|a| **a != null)
                .cloned()
                .expect("one alternative is not null");
            prop.remove("anyOf");
            if let Value::Object(kept) = kept {
                for (k, v) in kept {
                    prop.entry(k).or_insert(v);
                }
            }
        }
    }
}

/// A rule file: an optional default checkpoint and the list of rules.
#[derive(JsonSchema)]
#[schemars(deny_unknown_fields, transform = absent_not_null)]
#[allow(dead_code)]
struct RuleFile {
    /// The checkpoint of every rule of the file that does not name its own.
    checkpoint: Option<Checkpoint>,
    /// The rules, each with its id, title, checkpoint, error point, severity, responsible
    /// operator, condition (`when`), kind and the kind's parameters.
    rules: Vec<Rule>,
}

/// The keys every rule has, whatever its kind.
#[derive(JsonSchema)]
#[schemars(transform = absent_not_null)]
#[allow(dead_code)]
struct CommonKeys {
    /// A unique rule id without spaces, conventionally `<checkpoint>.<what>`, e.g.
    /// `entry.premium_sign_wrong`.
    id: String,
    /// A one-line title: a text, or its translations on one line,
    /// `{en: ..., zh-Hant: ..., zh-Hans: ...}` (`en` required).
    title: Title,
    /// The checkpoint (stage) the rule belongs to; defaults to the file's `checkpoint:`.
    checkpoint: Option<Checkpoint>,
    /// The error point 1-14 of DOMAIN.md a finding counts against.
    #[schemars(range(min = 1, max = 14))]
    error_point: u8,
    /// critical, major or minor.
    severity: Severity,
    /// The operator field (text) a finding is attributed to, e.g. `entry_operator`.
    responsible: FieldName,
    /// When the rule applies: `present`/`absent` list fields that must be filled / empty; any
    /// other key is a field with the value (or list of values) it must have.
    when: Option<When>,
    /// The finding's message; `{actual}`, `{expected}` and `{field}` placeholders are filled in.
    message: String,
    /// A longer explanation for the rule reference.
    description: Option<String>,
}

schema_type! {
    /// A rule's `title:`: a text (English) or a map of languages with `en` (`--lang`).
    Title, "Title", |generator| {
        let langs: Map<String, Value> = crate::lang::Lang::ALL
            .iter()
            .map(|l| (l.code().to_owned(), json!({ "type": "string" })))
            .collect();
        json_schema!({
            "description": "A one-line title, or `{en: ..., zh-Hant: ..., zh-Hans: ...}` (`en` required; the pages show the title in their language).",
            "anyOf": [
                { "type": "string" },
                {
                    "type": "object",
                    "properties": langs,
                    "required": ["en"],
                    "additionalProperties": false,
                }
            ]
        })
    }
}

schema_type! {
    /// The `when:` mapping of a rule.
    When, "When", |generator| {
        let fields = generator.subschema_for::<FieldNames>();
        let values = generator.subschema_for::<OrSetting<Scalars, WhenSettings>>();
        json_schema!({
            "type": "object",
            "description": "When the rule applies: `present: [fields]` filled, `absent: [fields]` empty, `<field>: value or [values]` one of the values.",
            "properties": { "present": fields, "absent": fields },
            "additionalProperties": values,
        })
    }
}

/// Parameters of `required`.
#[derive(JsonSchema)]
#[schemars(transform = absent_not_null)]
#[allow(dead_code)]
struct RequiredParams {
    /// The field (or list of fields) that must not be empty.
    field: Option<FieldNames>,
    /// The fields that must not be empty.
    fields: Option<FieldNames>,
}

/// Parameters of `allowed`.
#[derive(JsonSchema)]
#[schemars(transform = absent_not_null)]
#[allow(dead_code)]
struct AllowedParams {
    /// The field whose value is checked.
    field: FieldName,
    /// The allowed values (a non-empty list).
    values: OrSetting<ScalarList, ListSettings>,
    /// `fail` or `skip` (default) an empty value.
    missing: Option<Missing>,
}

/// Parameters of `range`.
#[derive(JsonSchema)]
#[schemars(transform = absent_not_null)]
#[allow(dead_code)]
struct RangeParams {
    /// The field (number, amount or date) whose value is checked.
    field: FieldName,
    /// The smallest allowed value.
    min: Option<OrSetting<Scalar, AmountSettings>>,
    /// The largest allowed value.
    max: Option<OrSetting<Scalar, AmountSettings>>,
    /// `fail` or `skip` (default) an empty value.
    missing: Option<Missing>,
}

/// Parameters of `pattern`.
#[derive(JsonSchema)]
#[schemars(transform = absent_not_null)]
#[allow(dead_code)]
struct PatternParams {
    /// The text field to match.
    field: FieldName,
    /// The regular expression (Rust `regex` syntax) the value must match.
    regex: OrSetting<String, RegexSettings>,
    /// `fail` or `skip` (default) an empty value.
    missing: Option<Missing>,
}

schema_type! {
    /// A comparison operator.
    CompareOp, "CompareOp", |generator| {
        string_enum(
            crate::rules::kinds::compare::Op::ALL.map(|(_, symbol)| symbol),
            "The comparison: ==, !=, <, <=, >, >= (quote it in YAML: op: \"<=\").",
        )
    }
}

/// Parameters of `compare`.
#[derive(JsonSchema)]
#[schemars(transform = absent_not_null)]
#[allow(dead_code)]
struct CompareParams {
    /// The field on the left of the comparison.
    field: FieldName,
    /// The comparison.
    op: CompareOp,
    /// The field on the right (or `value`).
    to: Option<FieldName>,
    /// The constant on the right (or `to`).
    value: Option<OrSetting<Scalar, AmountSettings>>,
    /// How far the two sides may differ and still be equal (numbers, amounts, days).
    tolerance: Option<OrSetting<Scalar, AmountSettings>>,
    /// `fail` or `skip` (default) an empty value.
    missing: Option<Missing>,
}

/// Parameters of `date_order`.
#[derive(JsonSchema)]
#[schemars(transform = absent_not_null)]
#[allow(dead_code)]
struct DateOrderParams {
    /// The date or datetime fields, earliest first (at least two).
    fields: TwoOrMoreFields,
    /// Whether equal dates break the order (default false).
    strict: Option<bool>,
}

/// Parameters of `duration`.
#[derive(JsonSchema)]
#[schemars(transform = absent_not_null)]
#[allow(dead_code)]
struct DurationParams {
    /// The date or datetime the duration starts at.
    from: FieldName,
    /// The date or datetime the duration ends at.
    to: FieldName,
    /// The longest allowed duration.
    max: Option<OrSetting<LimitText, DurationSettings>>,
    /// The shortest allowed duration.
    min: Option<OrSetting<LimitText, DurationSettings>>,
}

schema_type! {
    /// A wait that `cycle_time` can exclude.
    Wait, "Wait", |generator| {
        string_enum(
            crate::rules::kinds::cycle_time::WAITS,
            "A wait not counted as the department's time: the customer's (open query) or another department's (referral).",
        )
    }
}

schema_type! {
    /// One wait or a list of them.
    Waits, "Waits", |generator| {
        one_or_list(&generator.subschema_for::<Wait>())
    }
}

/// Parameters of `cycle_time`.
#[derive(JsonSchema)]
#[schemars(transform = absent_not_null)]
#[allow(dead_code)]
struct CycleTimeParams {
    /// The date or datetime the cycle starts at.
    from: FieldName,
    /// The date or datetime the cycle ends at.
    to: FieldName,
    /// The longest allowed working time (`5 working days`, `12 working hours`).
    max: Option<OrSetting<WorkingLimitText, WorkingSettings>>,
    /// The shortest allowed working time.
    min: Option<OrSetting<WorkingLimitText, WorkingSettings>>,
    /// The waits not counted: `customer_wait`, `referral_wait`.
    exclude: Option<Waits>,
}

/// Parameters of `four_eyes`.
#[derive(JsonSchema)]
#[schemars(transform = absent_not_null)]
#[allow(dead_code)]
struct FourEyesParams {
    /// The operator fields that must all differ (at least two).
    fields: TwoOrMoreFields,
}

/// Parameters of `authority`.
#[derive(JsonSchema)]
#[schemars(transform = absent_not_null)]
#[allow(dead_code)]
struct AuthorityParams {
    /// The operator field whose authority is checked.
    operator: FieldName,
    /// The money field the authority matrix limits.
    amount: Option<FieldName>,
    /// The role (a stage name) the operator acts in.
    role: Option<Checkpoint>,
}

/// Parameters of `expr`.
#[derive(JsonSchema)]
#[schemars(transform = absent_not_null)]
#[allow(dead_code)]
struct ExprParams {
    /// The rhai expression that must be true; its variables are the case's fields.
    expr: String,
    /// The field shown as the finding's actual value.
    field: Option<FieldName>,
}

/// The parameters' schema of each kind, by name: the registry's order.
fn kind_params(generator: &mut SchemaGenerator, kind: &str) -> Schema {
    match kind {
        "required" => generator.root_schema_for::<RequiredParams>(),
        "allowed" => generator.root_schema_for::<AllowedParams>(),
        "range" => generator.root_schema_for::<RangeParams>(),
        "pattern" => generator.root_schema_for::<PatternParams>(),
        "compare" => generator.root_schema_for::<CompareParams>(),
        "date_order" => generator.root_schema_for::<DateOrderParams>(),
        "duration" => generator.root_schema_for::<DurationParams>(),
        "cycle_time" => generator.root_schema_for::<CycleTimeParams>(),
        "four_eyes" => generator.root_schema_for::<FourEyesParams>(),
        "authority" => generator.root_schema_for::<AuthorityParams>(),
        "expr" => generator.root_schema_for::<ExprParams>(),
        other => panic!("no parameter schema for the rule kind `{other}`"),
    }
}

/// Keys of a kind of which the loader wants exactly one (`oneOf`: `r.one_of(a, b)`) or at
/// least one (`anyOf`: "a `range` rule needs `min`, `max` or both"), which a struct's
/// `required` cannot say.
fn kind_alternatives(kind: &str) -> Option<(&'static str, [&'static str; 2])> {
    match kind {
        "required" => Some(("oneOf", ["field", "fields"])),
        "compare" => Some(("oneOf", ["to", "value"])),
        "range" | "duration" | "cycle_time" => Some(("anyOf", ["min", "max"])),
        _ => None,
    }
}

fn properties(schema: &Schema) -> Map<String, Value> {
    schema
        .get("properties")
        .and_then(Value::as_object)
        .cloned()
        .unwrap_or_default()
}

fn required(schema: &Schema) -> Vec<Value> {
    schema
        .get("required")
        .and_then(Value::as_array)
        .cloned()
        .unwrap_or_default()
}

schema_type! {
    /// A rule: the common keys, `kind:` and that kind's parameters, and no other key. One
    /// alternative per kind of the registry, told apart by `kind:`.
    Rule, "Rule", |generator| {
        // The parameter structs are generated with this generator, so their definitions join the
        // root's; their own root-level keys (`$schema`, `title`) are dropped by taking only
        // `properties` and `required`.
        let common = generator.root_schema_for::<CommonKeys>();
        let mut one_of = Vec::new();
        for info in crate::rules::registry::KINDS {
            let params = kind_params(generator, info.name);
            let mut props = properties(&common);
            props.insert(
                "kind".into(),
                json!({ "const": info.name, "description": format!("`{}`: {}.", info.name, info.summary) }),
            );
            props.extend(properties(&params));
            let mut req = required(&common);
            req.push(Value::String("kind".into()));
            req.extend(required(&params));
            let mut alternative = json!({
                "type": "object",
                "title": info.name,
                "description": info.summary,
                "properties": props,
                "required": req,
                "additionalProperties": false,
            });
            if let Some((keyword, keys)) = kind_alternatives(info.name) {
                let each: Vec<Value> = keys.iter().map(|k| json!({ "required": [k] })).collect();
                alternative[keyword] = Value::Array(each);
            }
            one_of.push(alternative);
    }
    let kinds: Vec<&str> = crate::rules::registry::KINDS
        .iter()
        .map(|k| k.name)
        .collect();
    json_schema!({
        "type": "object",
        "description": "A rule: id, title, checkpoint, error_point, severity, responsible, message, optional when and description, and `kind:` with that kind's parameters.",
        "properties": { "kind": { "type": "string", "enum": kinds, "description": "The rule kind (rules/README.md lists each with its parameters)." } },
        "required": ["kind"],
        "oneOf": one_of,
    })
    }
}

/// `thresholds.yaml`: the alert thresholds of a rule pack (an empty file has none).
#[derive(JsonSchema)]
#[schemars(deny_unknown_fields, transform = absent_not_null)]
#[schemars(extend("type" = ["object", "null"]))]
#[allow(dead_code)]
struct ThresholdsFile {
    /// The thresholds: when any is breached, `policyqc check` exits with code 1.
    thresholds: Option<Vec<ThresholdShape>>,
}

schema_type! {
    /// What a threshold measures.
    MetricName, "Metric", |generator| {
        string_enum(
            super::thresholds::Metric::NAMES.iter().map(|(n, _)| *n),
            "case_defect_rate: cases with a finding / cases checked; rule_error_rate: per rule, failures / cases it applies to; operator_error_rate: per operator and stage, findings / cases worked.",
        )
    }
}

/// One alert threshold.
#[derive(JsonSchema)]
#[schemars(deny_unknown_fields, transform = absent_not_null)]
#[allow(dead_code)]
struct ThresholdShape {
    /// Shown in alerts.
    name: Option<String>,
    /// What is measured.
    metric: MetricName,
    /// Only findings of this severity count.
    severity: Option<Severity>,
    /// Only findings of this checkpoint count.
    checkpoint: Option<Checkpoint>,
    /// Only this rule (`rule_error_rate`).
    rule: Option<String>,
    /// The highest acceptable rate, a fraction between 0 and 1 (0.02 = 2%).
    #[schemars(range(min = 0.0, max = 1.0))]
    max: f64,
    /// Rates over fewer cases than this are not judged (default 0).
    #[schemars(range(min = 0))]
    min_cases: Option<u64>,
}

/// `settings.yaml`: every setting of [`SETTINGS`], nested (`time_limits: { review: ... }`) or
/// dotted (`time_limits.review: ...`); `~` unsets one.
pub struct SettingsFile;

fn setting_value(ty: SettingType) -> Value {
    let value = match ty {
        SettingType::ChangeTypes => json!({
            "anyOf": [
                { "type": "string" },
                { "type": "array", "items": { "type": "string" }, "minItems": 1 }
            ]
        }),
        // `reader::parse_cents`: at most two decimals (a number's decimals are not checked).
        SettingType::Money => json!({
            "anyOf": [
                { "type": "number" },
                { "type": "string", "pattern": r"^\s*-?(?:[0-9]+(?:\.[0-9]{0,2})?|\.[0-9]{1,2})\s*$" }
            ]
        }),
        SettingType::Duration => json!({ "type": "string", "pattern": limit_pattern(false) }),
        SettingType::WorkingDuration => {
            json!({ "type": "string", "pattern": limit_pattern(true) })
        }
        SettingType::Regex | SettingType::TimeZone | SettingType::File => {
            json!({ "type": "string" })
        }
        SettingType::Count => json!({ "type": "integer", "minimum": 1 }),
        SettingType::Language => json!({
            "type": "string",
            "enum": crate::lang::Lang::ALL.map(crate::lang::Lang::code),
        }),
    };
    json!({ "anyOf": [value, { "type": "null" }] })
}

impl JsonSchema for SettingsFile {
    fn schema_name() -> std::borrow::Cow<'static, str> {
        "Settings".into()
    }
    fn json_schema(_: &mut SchemaGenerator) -> Schema {
        let mut props = Map::new();
        let mut groups: Map<String, Value> = Map::new();
        for s in SETTINGS {
            let mut value = setting_value(s.ty);
            let default = s
                .default
                .map_or_else(|| String::from("unset"), |d| format!("`{d}`"));
            value["description"] = Value::String(format!(
                "{}: {} (default {default}; `~` unsets it).",
                capitalise(s.doc),
                s.ty.describe()
            ));
            if let Some((group, key)) = s.name.split_once('.') {
                let entry = groups.entry(group).or_insert_with(|| {
                    json!({
                        "type": "object",
                        "description": format!("The `{group}.*` settings."),
                        "properties": {},
                        "additionalProperties": false,
                    })
                });
                entry["properties"][key] = value.clone();
            }
            props.insert(s.name.to_owned(), value);
        }
        props.extend(groups);
        json_schema!({
            "type": ["object", "null"],
            "description": "Insurer settings: the conventions of one insurer that the rule pack refers to by name (`{ setting: NAME }`). Groups may be written nested or as dotted names.",
            "properties": props,
            "additionalProperties": false,
        })
    }
}

fn capitalise(s: &str) -> String {
    let mut c = s.chars();
    c.next()
        .map(|f| f.to_uppercase().collect::<String>() + c.as_str())
        .unwrap_or_default()
}

schema_type! {
    /// The type of a field in `columns.yaml`: every name [`FieldType::from_name`] reads.
    ///
    /// [`FieldType::from_name`]: crate::schema::FieldType::from_name
    FieldTypeName, "FieldType", |generator| {
        string_enum(
            crate::schema::FieldType::NAMES.iter().map(|(n, _)| *n),
            "The field's type: text, integer, money, bool, date or datetime (string, int, decimal, boolean and timestamp are the same).",
        )
    }
}

/// A YAML scalar as `as_scalar_string` reads it: text, a number or a boolean.
const SCALAR_TYPES: [&str; 4] = ["string", "integer", "number", "boolean"];

schema_type! {
    /// `values:` of a column: their value to ours.
    ValueMap, "ValueMap", |generator| {
        json_schema!({
            "type": "object",
            "description": "Their value: ours, applied before the text is parsed; a value not listed is read as it is.",
            "additionalProperties": { "type": SCALAR_TYPES },
        })
    }
}

/// `{ column, type, values }`: a column with its type and value map; `type` is required for a
/// custom field, optional for a field of SCHEMA.md.
fn column_object(generator: &mut SchemaGenerator, custom: bool) -> Value {
    let ty = generator.subschema_for::<FieldTypeName>();
    let values = generator.subschema_for::<ValueMap>();
    let required: &[&str] = if custom {
        &["column", "type"]
    } else {
        &["column"]
    };
    json!({
        "type": "object",
        "properties": {
            "column": { "type": "string", "description": "Their column name." },
            "type": ty,
            "values": values,
        },
        "required": required,
        "additionalProperties": false,
    })
}

schema_type! {
    /// A field of SCHEMA.md in `columns.yaml`: their column, or `{ column, type, values }`.
    ColumnMapping, "ColumnMapping", |generator| {
        let object = column_object(generator, false);
        json_schema!({ "anyOf": [{ "type": "string", "description": "Their column name." }, object] })
    }
}

schema_type! {
    /// A custom field in `columns.yaml`: `{ column, type, values }`.
    CustomField, "CustomField", |generator| {
        let mut schema: Schema = column_object(generator, true)
            .try_into()
            .expect("an object");
        schema.insert(
            "description".into(),
            "A custom field rules may use: its column and type.".into(),
        );
        schema
    }
}

/// One scalar or a non-empty list of them (the lists of `formats:`).
fn one_or_more(description: &str) -> Value {
    json!({
        "description": description,
        "anyOf": [
            { "type": "string" },
            { "type": "array", "items": { "type": SCALAR_TYPES }, "minItems": 1 }
        ]
    })
}

/// A `{ "description": ..., "$ref": ... }` pointing at `T`'s definition.
fn described<T: JsonSchema>(generator: &mut SchemaGenerator, description: String) -> Value {
    let mut schema = generator.subschema_for::<T>().to_value();
    schema["description"] = Value::String(description);
    schema
}

schema_type! {
    /// `columns.yaml`: the column map.
    ColumnsFile, "Columns", |generator| {
        let mut props = Map::new();
        let mut files = Map::new();
        for table in Table::ALL {
            let mut fields = Map::new();
            for f in table.fields() {
                let description = format!(
                    "{} ({}): their column, or `{{ column, type, values }}`.",
                    capitalise(f.doc),
                    f.ty.name()
                );
                fields.insert(
                    f.name.to_owned(),
                    described::<ColumnMapping>(generator, description),
                );
            }
            props.insert(
                table.name().to_owned(),
                json!({
                    "type": "object",
                    "description": format!("The {} table: our field: their column. A field not in SCHEMA.md is a custom field, `{{ column: ..., type: ... }}`.", table.name()),
                    "properties": fields,
                    "additionalProperties": generator.subschema_for::<CustomField>(),
                }),
            );
            files.insert(
                table.name().to_owned(),
                json!({ "type": SCALAR_TYPES, "description": format!("The {} file in the data folder, when not {}.csv.", table.name(), table.name()) }),
            );
    }
    props.insert(
        "formats".into(),
        json!({
            "type": "object",
            "description": "How dates, timestamps, booleans and amounts are written.",
            "properties": {
                "date": one_or_more("The date format (chrono strftime), or a list tried in order."),
                "datetime": one_or_more("The timestamp format (chrono strftime), or a list tried in order."),
                "true": one_or_more("Words read as true, besides true/yes/Y/1."),
                "false": one_or_more("Words read as false, besides false/no/N/0."),
                "thousands": one_or_more("Money: the thousands separator, removed before reading (1,234.50); of a list, the first."),
            },
            "additionalProperties": false,
        }),
    );
    props.insert(
        "encoding".into(),
        json!({
            "type": SCALAR_TYPES,
            "description": "The files' encoding: utf-8 (default), big5, gb18030 (gbk), or any WHATWG label; a UTF-8 BOM is always skipped.",
            "examples": ["utf-8", "big5", "gb18030", "gbk"],
        }),
    );
    props.insert(
        "header_row".into(),
        json!({ "type": "integer", "minimum": 1, "description": "The line of the header; the lines above it (a title) are skipped." }),
    );
    props.insert(
        "delimiter".into(),
        json!({
            "description": "The column delimiter, one ASCII character (default `,`); \"\\t\" for a tab.",
            "anyOf": [
                { "type": "string", "pattern": "^([\\u0000-\\u007f]|\\\\t)$" },
                { "type": "integer", "minimum": 0, "maximum": 9 }
            ],
        }),
    );
    props.insert(
        "files".into(),
        json!({
            "type": "object",
            "description": "A table's file in the data folder, when not <table>.csv.",
            "properties": files,
            "additionalProperties": false,
        }),
    );
    json_schema!({
        "type": ["object", "null"],
        "description": "The column map: renames an insurer's columns to policyqc's field names (SCHEMA.md), declares custom fields and gives formats.",
        "properties": props,
        "additionalProperties": false,
    })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rules::registry::{COMMON_KEYS, KINDS};

    fn keys(schema: &Schema) -> Vec<String> {
        let mut k: Vec<String> = properties(schema).keys().cloned().collect();
        k.sort();
        k
    }

    fn sorted(list: &[&str]) -> Vec<String> {
        let mut k: Vec<String> = list.iter().map(|s| (*s).to_owned()).collect();
        k.sort();
        k
    }

    #[test]
    fn each_kind_has_exactly_the_registry_keys() {
        let mut generator = generator();
        for info in KINDS {
            let params = kind_params(&mut generator, info.name);
            assert_eq!(keys(&params), sorted(info.keys), "{}", info.name);
        }
    }

    #[test]
    fn common_keys_are_the_registry_common_keys() {
        let mut generator = generator();
        let mut common = keys(&generator.root_schema_for::<CommonKeys>());
        common.push("kind".into());
        common.sort();
        assert_eq!(common, sorted(COMMON_KEYS));
    }

    #[test]
    fn threshold_keys_are_the_reader_keys() {
        let mut generator = generator();
        let schema = generator.root_schema_for::<ThresholdShape>();
        assert_eq!(keys(&schema), sorted(super::super::thresholds::KEYS));
    }

    #[test]
    fn calendar_keys_are_the_reader_keys() {
        let schema = SchemaName::Calendar.schema();
        assert_eq!(keys(&schema), sorted(&crate::calendar::load::KEYS));
    }

    #[test]
    fn every_setting_has_its_dotted_and_nested_key() {
        let schema = SchemaName::Settings.schema();
        let props = properties(&schema);
        for s in SETTINGS {
            assert!(props.contains_key(s.name), "{}", s.name);
            if let Some((group, key)) = s.name.split_once('.') {
                assert!(props[group]["properties"].get(key).is_some(), "{}", s.name);
            }
        }
    }

    #[test]
    fn the_type_enum_lists_every_name_columns_reads() {
        use crate::schema::FieldType;
        let schema = SchemaName::Columns.schema().to_value();
        let listed: Vec<&str> = schema["definitions"]["FieldType"]["enum"]
            .as_array()
            .expect("enum")
            .iter()
            .map(|v| v.as_str().expect("text"))
            .collect();
        assert_eq!(listed.len(), 11);
        for name in &listed {
            assert!(FieldType::from_name(name).is_some(), "{name}");
        }
        // Each type's own name is among them, and a near miss is not.
        for ty in FieldType::NAMES.map(|(_, t)| t) {
            assert!(listed.contains(&ty.name()), "{ty:?}");
        }
        assert!(!listed.contains(&"txt"));
    }

    #[test]
    fn the_text_is_the_same_on_every_call() {
        for name in SchemaName::ALL {
            assert_eq!(name.to_json(), name.to_json());
        }
    }
}
