//! One vectorized pass: every structured rule's status column is computed by a single
//! polars `select` over all cases; `expr` rules are evaluated by rhai in parallel first and
//! join the same frame as ready-made status columns.

use polars::prelude::*;

use super::compile::{Check, CompileCtx, display_expr, status_expr, when_expr};
use super::findings;
use super::script;
pub use super::status::status_column;
use super::working_time::WorkingClock;
use crate::input::ROW;
use crate::rules::{Kind, Rule, RuleSet};

/// The result of evaluating a rule set.
#[derive(Debug, Clone)]
pub struct Evaluation {
    /// The cases with one status column per rule ([`status_column`]).
    pub frame: DataFrame,
    /// One row per failing case and rule (see [`findings`]).
    pub findings: DataFrame,
}

/// Why evaluation stopped.
#[derive(Debug, thiserror::Error, miette::Diagnostic)]
pub enum EngineError {
    /// An `expr` rule failed on a case (not by returning false).
    #[error("rule `{rule}` ({source_loc}) failed on case {case} (row {row}): {message}")]
    #[diagnostic(
        code(engine::expr),
        help("fix the rule's expression; scripts may run at most 100,000 operations per case")
    )]
    Script {
        /// Rule id.
        rule: String,
        /// Rule <file:line>.
        source_loc: String,
        /// The case.
        case: String,
        /// Its row.
        row: u64,
        /// What rhai said.
        message: String,
    },
    /// A rule needs a reference file the data folder lacks.
    #[error("rule `{rule}` ({source_loc}) needs the {table} file, and the data folder has none")]
    #[diagnostic(
        code(engine::missing_table),
        help(
            "add {table}.csv to the data folder (SCHEMA.md), give it with --{table} FILE, or use a rule set without this rule"
        )
    )]
    MissingTable {
        /// Rule id.
        rule: String,
        /// Rule <file:line>.
        source_loc: String,
        /// The table.
        table: &'static str,
    },
    /// polars failed.
    #[error("evaluation failed: {0}")]
    #[diagnostic(code(engine::polars))]
    Polars(#[from] PolarsError),
}

/// Evaluates every rule on every case of `cases`.
pub fn evaluate(
    rules: &RuleSet,
    cases: &DataFrame,
    ctx: &CompileCtx<'_>,
) -> Result<Evaluation, EngineError> {
    evaluate_with(rules, cases, ctx, |_| Ok(())).map(|(evaluation, ())| evaluation)
}

/// [`evaluate`], and `alongside` run on the cases with their status columns while the
/// findings are gathered (the metrics: the findings are a few small queries that leave a core
/// idle).
pub fn evaluate_with<T: Send>(
    rules: &RuleSet,
    cases: &DataFrame,
    ctx: &CompileCtx<'_>,
    alongside: impl FnOnce(&DataFrame) -> PolarsResult<T> + Send,
) -> Result<(Evaluation, T), EngineError> {
    check_reference_tables(&rules.rules, ctx)?;
    let mut phases = crate::timing::Phases::new();
    let mut frame = cases.clone();

    // `expr` rules: rhai, per case, in parallel; their statuses join the frame first.
    let script_rules: Vec<(usize, &Rule, &crate::rules::kinds::expr::Params)> = rules
        .rules
        .iter()
        .enumerate()
        .filter_map(|(i, r)| match &r.kind {
            Kind::Expr(p) => Some((i, r, p)),
            _ => None,
        })
        .collect();
    if !script_rules.is_empty() {
        // `with_columns`, not `select`: a rule without `when` is the literal `true`, which
        // must be broadcast to one value per case (a `select` of literals has one row).
        let whens = frame
            .clone()
            .lazy()
            .with_columns(
                script_rules
                    .iter()
                    .map(|(i, r, _)| when_expr(&r.when).alias(format!("__when{i}").as_str()))
                    .collect::<Vec<_>>(),
            )
            .collect()?;
        for (i, rule, p) in &script_rules {
            let applies = whens.column(&format!("__when{i}"))?.bool()?.clone();
            let status = script::evaluate(&frame, &p.source, &p.fields, ctx.catalog, &applies)
                .map_err(|e| {
                    let case = crate::input::column_str(&frame, "case_id")
                        .get(e.row)
                        .cloned()
                        .flatten()
                        .unwrap_or_default();
                    let row = crate::input::column_u64(&frame, ROW)
                        .get(e.row)
                        .copied()
                        .unwrap_or_default();
                    EngineError::Script {
                        rule: rule.id.clone(),
                        source_loc: rule.source.to_string(),
                        case,
                        row,
                        message: e.message,
                    }
                })?;
            frame.with_column(
                status
                    .with_name(format!("__script{i}").into())
                    .into_series()
                    .into(),
            )?;
        }
    }

    // Each `expr` result is one chunk; cut it like the cases' columns (`align_chunks`).
    crate::input::align_chunks(&mut frame)?;
    phases.done("  expr rules");
    // The working clock of every field a working-time rule reads, once, as columns.
    let clock_fields: Vec<(String, crate::schema::FieldType)> = rules
        .rules
        .iter()
        .flat_map(|r| r.kind.clock_fields())
        .collect();
    let (clock, clock_columns) = match ctx.clock {
        Some(c) if !clock_fields.is_empty() => {
            let (c, exprs) = c.precompute(&clock_fields);
            (Some(c), exprs)
        }
        _ => (None, Vec::new()),
    };
    let ctx = &CompileCtx {
        catalog: ctx.catalog,
        authority: ctx.authority,
        roster: ctx.roster,
        clock: clock.as_ref().or(ctx.clock),
    };
    // All rules' status columns in one select.
    let mut statuses = Vec::with_capacity(rules.rules.len());
    let mut checks = Vec::with_capacity(rules.rules.len());
    for (i, rule) in rules.rules.iter().enumerate() {
        let check = if let Some(check) = rule.kind.compile(ctx)? {
            statuses.push(status_expr(rule, &check).alias(status_column(i).as_str()));
            check
        } else {
            statuses.push(col(format!("__script{i}").as_str()).alias(status_column(i).as_str()));
            script_check(rule, ctx)
        };
        checks.push(check);
    }
    let frame = frame
        .lazy()
        .with_columns(clock_columns)
        .with_columns(statuses)
        .collect()?;
    phases.done("  statuses");
    let (findings, other) = rayon::join(
        || findings::gather(&frame, &rules.rules, &checks, ctx),
        || alongside(&frame),
    );
    let (findings, other) = (findings?, other?);
    phases.done("  findings and metrics");
    let clock_names: Vec<String> = frame
        .get_column_names()
        .iter()
        .filter(|c| WorkingClock::is_clock_column(c))
        .map(ToString::to_string)
        .collect();
    let frame = frame.drop_many(clock_names);
    Ok((Evaluation { frame, findings }, other))
}

/// The display side of an `expr` rule: actual = the named fields with their values.
pub(crate) fn script_check(rule: &Rule, ctx: &CompileCtx<'_>) -> Check {
    let Kind::Expr(p) = &rule.kind else {
        unreachable!("script_check is for expr rules")
    };
    let parts: Vec<Expr> = p
        .fields
        .iter()
        .map(|f| {
            concat_str(
                [lit(format!("{f}=")), display_expr(f, ctx.ty(f))],
                "",
                false,
            )
        })
        .collect();
    Check {
        applies: lit(true),
        fails: lit(true),
        expected: lit(p.source.trim().to_owned()),
        actual: if parts.is_empty() {
            lit("false")
        } else {
            concat_str(parts, ", ", false)
        },
        field: p.field.clone().unwrap_or_else(|| p.fields.join(", ")),
    }
}

fn check_reference_tables(rules: &[Rule], ctx: &CompileCtx<'_>) -> Result<(), EngineError> {
    for rule in rules {
        if let Kind::Authority(p) = &rule.kind {
            let missing = if ctx.roster.is_none() {
                Some("operators")
            } else if p.amount.is_some() && ctx.authority.is_none() {
                Some("authority")
            } else {
                None
            };
            if let Some(table) = missing {
                return Err(EngineError::MissingTable {
                    rule: rule.id.clone(),
                    source_loc: rule.source.to_string(),
                    table,
                });
            }
        }
    }
    Ok(())
}
