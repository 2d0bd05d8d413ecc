//! The reference field catalogue (`../shared/SCHEMA.md`): every table policyqc reads, its
//! fields and their types.
//!
//! These are *our* field names. An insurer's export is renamed to them by the column map
//! ([`crate::config::columns`]); no other module names an input column.
//!
//! In memory, after reading, every field has one polars type chosen by its [`FieldType`]:
//! text is `String`, integers `Int64`, **money is `Int64` cents** (so money is compared
//! exactly), booleans `Boolean`, dates `Date`, timestamps `Datetime(ms)` in local office time.

use std::fmt;

/// The type of a field, which decides how its text is parsed and how rules may use it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum FieldType {
    /// Free text: ids, names, codes.
    Text,
    /// A whole number.
    Integer,
    /// An amount with at most two decimals, held as integer cents.
    Money,
    /// `true` / `false`.
    Bool,
    /// A calendar date, `YYYY-MM-DD` by default.
    Date,
    /// A local office timestamp, `YYYY-MM-DD HH:MM:SS` by default.
    DateTime,
}

impl FieldType {
    /// The name used in YAML (`columns.yaml` custom fields) and in messages.
    #[must_use]
    pub fn name(self) -> &'static str {
        match self {
            Self::Text => "text",
            Self::Integer => "integer",
            Self::Money => "money",
            Self::Bool => "bool",
            Self::Date => "date",
            Self::DateTime => "datetime",
        }
    }

    /// Every type name `columns.yaml` reads, aliases included (the JSON Schema lists them).
    pub const NAMES: [(&'static str, FieldType); 11] = [
        ("text", Self::Text),
        ("string", Self::Text),
        ("integer", Self::Integer),
        ("int", Self::Integer),
        ("money", Self::Money),
        ("decimal", Self::Money),
        ("bool", Self::Bool),
        ("boolean", Self::Bool),
        ("date", Self::Date),
        ("datetime", Self::DateTime),
        ("timestamp", Self::DateTime),
    ];

    /// Parses a type name as written in YAML.
    #[must_use]
    pub fn from_name(name: &str) -> Option<Self> {
        Self::NAMES
            .iter()
            .find(|(n, _)| *n == name)
            .map(|(_, t)| *t)
    }

    /// Dates and timestamps: ordered in time, usable in `date_order` and `duration` rules.
    #[must_use]
    pub fn is_temporal(self) -> bool {
        matches!(self, Self::Date | Self::DateTime)
    }

    /// Integers and money: usable in numeric comparisons and ranges.
    #[must_use]
    pub fn is_numeric(self) -> bool {
        matches!(self, Self::Integer | Self::Money)
    }

    /// Whether values of the two types can be compared with `<`, `==`, ...
    #[must_use]
    pub fn comparable_with(self, other: Self) -> bool {
        self == other
            || (self.is_temporal() && other.is_temporal())
            || (self.is_numeric() && other.is_numeric())
    }
}

impl fmt::Display for FieldType {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// One field of a table.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct FieldDef {
    /// Our name for the field.
    pub name: &'static str,
    /// Its type.
    pub ty: FieldType,
    /// Whether every file of this table must have it.
    pub required: bool,
    /// What it means (shown by `policyqc validate` suggestions and the docs).
    pub doc: &'static str,
}

const fn field(name: &'static str, ty: FieldType, doc: &'static str) -> FieldDef {
    FieldDef {
        name,
        ty,
        required: false,
        doc,
    }
}

const fn key(name: &'static str, ty: FieldType, doc: &'static str) -> FieldDef {
    FieldDef {
        name,
        ty,
        required: true,
        doc,
    }
}

use FieldType::{Bool, Date, DateTime, Integer, Money, Text};

/// The tables of a data folder.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Table {
    /// One row per policy-change case.
    Cases,
    /// The system's task list.
    Tasks,
    /// The operator roster.
    Operators,
    /// The authority matrix.
    Authority,
    /// Findings recorded by people (QC sheet, spot checks, audits).
    Findings,
    /// A process-mining event log: the task list as one row per event.
    Events,
}

impl Table {
    /// All tables, in the order they are read.
    pub const ALL: [Table; 6] = [
        Table::Cases,
        Table::Tasks,
        Table::Operators,
        Table::Authority,
        Table::Findings,
        Table::Events,
    ];

    /// The file stem in a data folder and the section name in `columns.yaml`.
    #[must_use]
    pub fn name(self) -> &'static str {
        match self {
            Table::Cases => "cases",
            Table::Tasks => "tasks",
            Table::Operators => "operators",
            Table::Authority => "authority",
            Table::Findings => "findings",
            Table::Events => "events",
        }
    }

    /// Parses a table name.
    #[must_use]
    pub fn from_name(name: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|t| t.name() == name)
    }

    /// The reference fields of the table.
    #[must_use]
    pub fn fields(self) -> &'static [FieldDef] {
        match self {
            Table::Cases => CASES,
            Table::Tasks => TASKS,
            Table::Operators => OPERATORS,
            Table::Authority => AUTHORITY,
            Table::Findings => FINDINGS,
            Table::Events => EVENTS,
        }
    }

    /// Looks a reference field up by name.
    #[must_use]
    pub fn field(self, name: &str) -> Option<&'static FieldDef> {
        self.fields().iter().find(|f| f.name == name)
    }
}

impl fmt::Display for Table {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// `cases`: one row per policy-change case.
pub const CASES: &[FieldDef] = &[
    key("case_id", Text, "the case (unique)"),
    field("policy_no", Text, "the policy changed"),
    field("branch", Text, "office that owns the case"),
    field(
        "change_type",
        Text,
        "address_change, beneficiary_change, sum_increase, ...",
    ),
    field(
        "application_date",
        Date,
        "date the customer signed the application",
    ),
    field(
        "received_at",
        DateTime,
        "intake received the documents: the cycle starts here",
    ),
    field(
        "registered_at",
        DateTime,
        "intake finished (case registered)",
    ),
    field("reviewed_at", DateTime, "review finished"),
    field("entered_at", DateTime, "entry finished"),
    field("checked_at", DateTime, "double-check finished"),
    field(
        "bound_at",
        DateTime,
        "binding finished: the cycle ends here",
    ),
    field("printed_at", DateTime, "notices printed"),
    field(
        "effective_date",
        Date,
        "effective date written on the endorsement",
    ),
    field("intake_operator", Text, "handover clerk who worked intake"),
    field("reviewer", Text, "entry clerk who worked review"),
    field("entry_operator", Text, "servicing clerk who worked entry"),
    field("checker", Text, "checker who worked double-check"),
    field("binder", Text, "binding clerk"),
    field("printer", Text, "operator who printed the notices"),
    field(
        "amount",
        Money,
        "money moved by the change, for authority limits",
    ),
    field("premium_before", Money, "modal premium before the change"),
    field("premium_after", Money, "modal premium after the change"),
    field(
        "premium_charged",
        Money,
        "premium collected (+) or refunded (-) as booked",
    ),
    field(
        "premium_expected",
        Money,
        "the same amount recomputed by the system's calculator",
    ),
    field("docs_required", Integer, "supporting documents required"),
    field(
        "docs_received",
        Integer,
        "supporting documents present at hand-over",
    ),
    field(
        "query_opened_at",
        DateTime,
        "a request for more information to the customer",
    ),
    field(
        "query_closed_at",
        DateTime,
        "the customer answered the query",
    ),
    field(
        "referral_dept",
        Text,
        "underwriting or finance, empty if none",
    ),
    field("referred_at", DateTime, "sent to the other department"),
    field(
        "referral_returned_at",
        DateTime,
        "back from the other department",
    ),
    field(
        "seal_required",
        Bool,
        "a company seal is required on the endorsement",
    ),
    field("seal_applied", Bool, "the seal was applied"),
    field("benefit_due_date", Date, "payout due date"),
    field("benefit_paid_date", Date, "payout date"),
    field("benefit_expected", Money, "payout due"),
    field("benefit_paid", Money, "payout made"),
    field(
        "reports_reviewed_at",
        DateTime,
        "entry clerk reviewed the system reports",
    ),
    field("notice_printed", Bool, "the change notice was printed"),
];

/// `tasks`: the system's task list.
pub const TASKS: &[FieldDef] = &[
    key("case_id", Text, "the case"),
    key(
        "stage",
        Text,
        "intake, review, entry, double_check, binding, printing, query, referral",
    ),
    field("operator", Text, "who held the task"),
    field("assigned_at", DateTime, "task assigned"),
    field("started_at", DateTime, "task started (may be missing)"),
    field("completed_at", DateTime, "task completed"),
    field("outcome", Text, "done, returned, queried, referred"),
];

/// `events`: the task list as a process-mining event log (one row per event), e.g. exported
/// from a workflow system as XES or CSV. Events of one case and activity are paired into
/// tasks by their lifecycle: `assign` (or `schedule`), `start`, `complete`; without a
/// lifecycle every event is a completed task.
pub const EVENTS: &[FieldDef] = &[
    key("case_id", Text, "the case (XES `case:concept:name`)"),
    key(
        "activity",
        Text,
        "the stage: intake, review, entry, double_check, binding, printing, query, referral (XES `concept:name`)",
    ),
    field("resource", Text, "who did it (XES `org:resource`)"),
    key("timestamp", DateTime, "when (XES `time:timestamp`)"),
    field(
        "lifecycle",
        Text,
        "assign, start or complete (XES `lifecycle:transition`); empty = complete",
    ),
    field(
        "outcome",
        Text,
        "on complete events: done, returned, queried, referred",
    ),
];

/// `operators`: the roster.
pub const OPERATORS: &[FieldDef] = &[
    key("operator_id", Text, "the operator"),
    field("name", Text, "full name"),
    field("team", Text, "team"),
    field("roles", Text, "`;`-separated stages the operator may work"),
    field(
        "authority_level",
        Integer,
        "authority level (higher may approve more)",
    ),
    field("active_from", Date, "first working day"),
    field("active_to", Date, "last working day, empty if still active"),
];

/// `authority`: the authority matrix, one row per band.
pub const AUTHORITY: &[FieldDef] = &[
    key("change_type", Text, "the change type"),
    field(
        "up_to_amount",
        Money,
        "upper end of the band (inclusive), empty for no limit",
    ),
    key(
        "min_authority_level",
        Integer,
        "lowest authority level allowed for the band",
    ),
];

/// `findings`: findings recorded by people.
pub const FINDINGS: &[FieldDef] = &[
    key("case_id", Text, "the case"),
    field("stage", Text, "the stage where the error was made"),
    key("error_point", Integer, "1-14"),
    field("severity", Text, "critical, major, minor"),
    field("found_by", Text, "who found it"),
    field("found_at", DateTime, "when"),
    field(
        "source",
        Text,
        "double_check, spot_check, finished_product_check, audit",
    ),
    field("note", Text, "free text"),
];

/// Task-list steps that are waits rather than stages: the time a customer query or a
/// referral to underwriting/finance was open.
pub const WAIT_STEPS: [&str; 2] = ["query", "referral"];

/// The six stages (checkpoints), in process order.
pub const STAGES: [&str; 6] = [
    "intake",
    "review",
    "entry",
    "double_check",
    "binding",
    "printing",
];

/// The operator field of `cases` that records who worked each stage, in [`STAGES`] order.
pub const STAGE_OPERATOR_FIELDS: [&str; 6] = [
    "intake_operator",
    "reviewer",
    "entry_operator",
    "checker",
    "binder",
    "printer",
];

/// The timestamp field of `cases` that records when each stage finished, in [`STAGES`] order.
pub const STAGE_FINISHED_FIELDS: [&str; 6] = [
    "registered_at",
    "reviewed_at",
    "entered_at",
    "checked_at",
    "bound_at",
    "printed_at",
];

/// Severities, most severe first.
pub const SEVERITIES: [&str; 3] = ["critical", "major", "minor"];

/// The fourteen error points of `DOMAIN.md`, as (number, short title, origin stage).
pub const ERROR_POINTS: [(u8, &str, &str); 14] = [
    (1, "intake missed an invalid application date", "intake"),
    (
        2,
        "review accepted a wrong application date, content or documents",
        "review",
    ),
    (3, "change content keyed wrongly (entry clerk)", "review"),
    (
        4,
        "content keyed wrongly or system operation wrong (servicing clerk)",
        "entry",
    ),
    (
        5,
        "premium collection/refund or fee adjustment computed wrongly",
        "entry",
    ),
    (
        6,
        "endorsement text wrong (effective date, premium annotation)",
        "entry",
    ),
    (
        7,
        "double-check failed to find and correct an error",
        "double_check",
    ),
    (8, "binding not done to standard", "binding"),
    (
        9,
        "binding wrong: clauses, customer copy or front page",
        "binding",
    ),
    (
        10,
        "hand-over formalities incomplete, documents missing",
        "intake",
    ),
    (
        11,
        "notices not printed on time or printed wrongly",
        "printing",
    ),
    (
        12,
        "policy benefits not paid on time or paid wrongly",
        "entry",
    ),
    (13, "seals not used or used wrongly", "binding"),
    (
        14,
        "system reports not reviewed and followed up in time",
        "entry",
    ),
];

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn field_names_are_unique_within_each_table() {
        for table in Table::ALL {
            let mut names: Vec<_> = table.fields().iter().map(|f| f.name).collect();
            names.sort_unstable();
            let before = names.len();
            names.dedup();
            assert_eq!(before, names.len(), "duplicate field in {table}");
        }
    }

    #[test]
    fn stage_fields_exist_in_cases() {
        for name in STAGE_OPERATOR_FIELDS.iter().chain(&STAGE_FINISHED_FIELDS) {
            assert!(
                Table::Cases.field(name).is_some(),
                "{name} missing from cases"
            );
        }
    }

    #[test]
    fn error_points_are_numbered_one_to_fourteen() {
        let numbers: Vec<u8> = ERROR_POINTS.iter().map(|e| e.0).collect();
        assert_eq!(numbers, (1..=14).collect::<Vec<u8>>());
    }
}
