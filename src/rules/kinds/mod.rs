//! The rule kinds: one file per kind, each with its parameters, how it reads them from YAML,
//! how it compiles to a polars expression, and its user documentation ([`KindInfo::doc`]).

pub mod allowed;
pub mod authority;
pub mod compare;
pub mod cycle_time;
pub mod date_order;
pub mod duration;
pub mod expr;
pub mod four_eyes;
pub mod pattern;
pub mod range;
pub mod required;

use polars::prelude::PolarsResult;

use crate::config::reader::MapReader;
use crate::engine::compile::{Check, CompileCtx};

/// What the registry knows about a kind.
#[derive(Debug, Clone, Copy)]
pub struct KindInfo {
    /// The `kind:` value.
    pub name: &'static str,
    /// Its parameter keys.
    pub keys: &'static [&'static str],
    /// One line: what it checks.
    pub summary: &'static str,
    /// Markdown: parameters and an example rule (rendered into `rules/README.md`).
    pub doc: &'static str,
    /// Reads the parameters of a rule of this kind, reporting problems.
    pub read: fn(&mut MapReader<'_, '_>) -> Option<Kind>,
}

/// A rule's kind with its parameters.
#[derive(Debug, Clone)]
pub enum Kind {
    /// Field(s) not empty.
    Required(required::Params),
    /// Value in a list.
    Allowed(allowed::Params),
    /// Value between bounds.
    Range(range::Params),
    /// Text matches a regex.
    Pattern(pattern::Params),
    /// Field against field or constant.
    Compare(compare::Params),
    /// Dates in order.
    DateOrder(date_order::Params),
    /// Time between two fields within a limit.
    Duration(duration::Params),
    /// Working time between two fields, net of waits, within a limit.
    CycleTime(cycle_time::Params),
    /// Operators differ.
    FourEyes(four_eyes::Params),
    /// Operator's authority.
    Authority(authority::Params),
    /// Free-form rhai expression.
    Expr(expr::Params),
}

impl Kind {
    /// The fields the kind reads.
    #[must_use]
    pub fn fields(&self) -> Vec<String> {
        match self {
            Kind::Required(p) => p.fields.clone(),
            Kind::Allowed(p) => vec![p.field.clone()],
            Kind::Range(p) => vec![p.field.clone()],
            Kind::Pattern(p) => vec![p.field.clone()],
            Kind::Compare(p) => p.fields(),
            Kind::DateOrder(p) => p.fields.clone(),
            Kind::Duration(p) => vec![p.from.clone(), p.to.clone()],
            Kind::CycleTime(p) => p.fields(),
            Kind::FourEyes(p) => p.fields.clone(),
            Kind::Authority(p) => p.fields(),
            Kind::Expr(p) => p.fields.clone(),
        }
    }

    /// The temporal fields whose working clock the kind reads (see
    /// [`duration::TimeLimit::clock_fields`]); the evaluator computes each once.
    #[must_use]
    pub fn clock_fields(&self) -> Vec<(String, crate::schema::FieldType)> {
        self.time_limit()
            .map(|l| l.clock_fields())
            .unwrap_or_default()
    }

    /// The kind's name.
    #[must_use]
    pub fn name(&self) -> &'static str {
        match self {
            Kind::Required(_) => required::INFO.name,
            Kind::Allowed(_) => allowed::INFO.name,
            Kind::Range(_) => range::INFO.name,
            Kind::Pattern(_) => pattern::INFO.name,
            Kind::Compare(_) => compare::INFO.name,
            Kind::DateOrder(_) => date_order::INFO.name,
            Kind::Duration(_) => duration::INFO.name,
            Kind::CycleTime(_) => cycle_time::INFO.name,
            Kind::FourEyes(_) => four_eyes::INFO.name,
            Kind::Authority(_) => authority::INFO.name,
            Kind::Expr(_) => expr::INFO.name,
        }
    }

    /// Compiles a structured kind to a polars check. `expr` rules are evaluated by rhai
    /// instead (see [`crate::engine::script`]) and return `None` here.
    pub fn compile(&self, ctx: &CompileCtx<'_>) -> PolarsResult<Option<Check>> {
        Ok(Some(match self {
            Kind::Required(p) => p.compile(ctx),
            Kind::Allowed(p) => p.compile(ctx),
            Kind::Range(p) => p.compile(ctx),
            Kind::Pattern(p) => p.compile(ctx),
            Kind::Compare(p) => p.compile(ctx),
            Kind::DateOrder(p) => p.compile(ctx),
            Kind::Duration(p) => p.compile(ctx)?,
            Kind::CycleTime(p) => p.compile(ctx)?,
            Kind::FourEyes(p) => p.compile(ctx),
            Kind::Authority(p) => p.compile(ctx)?,
            Kind::Expr(_) => return Ok(None),
        }))
    }
}

impl Kind {
    /// The rule's time limit, for the time-limit kinds (`duration`, `cycle_time`): what the
    /// cycle-time summaries count as SLA compliance and the status report ages open cases by.
    #[must_use]
    pub fn time_limit(&self) -> Option<duration::TimeLimit<'_>> {
        match self {
            Kind::Duration(p) => Some(p.time_limit()),
            Kind::CycleTime(p) => Some(p.time_limit()),
            _ => None,
        }
    }
}

/// Reads the optional `missing: fail | skip` parameter (default skip).
pub(crate) fn read_missing(r: &mut MapReader<'_, '_>) -> bool {
    let Some((value, span)) = r.opt_string("missing") else {
        return false;
    };
    match value.as_str() {
        "fail" => true,
        "skip" => false,
        other => {
            r.error(
                "rules::bad-value",
                span,
                format!("`missing` must be `fail` or `skip`, found `{other}`"),
            );
            false
        }
    }
}
