//! `policyqc sql`: the rule pack and a data folder as one SQL script.
//!
//! The script reads the insurer's cases file as it is (every column as text), types it in
//! SQL with the column map ([`super::typing`]: names, value maps, date and timestamp formats,
//! yes/no words, the thousands separator), lists the values it could not read
//! (`data_findings`), adds the working clocks of the time-limit rules, and ends with one
//! query whose rows are the findings, with the columns and order of `findings.csv`.
//!
//! What the script embeds rather than reads: the working calendar over the data's dates
//! (one row per day with its worked time, the clock's day table), the roster's and the
//! authority matrix's lookups (as small `VALUES` tables). The data folder is read once here
//! for them and for which columns the file has (a rule whose columns are absent is not
//! evaluated, as in `check`, and the script says so in a comment).

use std::fmt::Write as _;
use std::path::{Path, PathBuf};

use polars::prelude::*;

use super::error::SqlError;
use super::expr::{Dialect, Writer, ident};
use super::typing;
use crate::check::{calendar_path, load_calendar, load_column_map, load_rules, load_settings};
use crate::engine::compile::CompileCtx;
use crate::engine::working_time::WorkingClock;
use crate::input::reference::{AuthorityMatrix, Roster};
use crate::input::{DataSources, read_table};
use crate::rules::needs;
use crate::schema::Table;

/// What to write.
#[derive(Debug, Clone)]
pub struct SqlOptions {
    /// The data folder's files.
    pub sources: DataSources,
    /// A rule folder instead of the default pack.
    pub rules_dir: Option<PathBuf>,
    /// The SQL dialect.
    pub dialect: Dialect,
    /// Where the engine finds the data folder's files (`s3://bucket/qc/2026-10`, a folder of
    /// the cluster); `None`: the script names them relative to the data folder.
    pub files_at: Option<String>,
}

/// A rule the dialect cannot express, and why.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Untranslated {
    /// The rule.
    pub rule_id: String,
    /// Its `file:line`.
    pub rule_source: String,
    /// The construct the writer could not express.
    pub reason: String,
}

/// The script and what it leaves out.
#[derive(Debug, Clone)]
pub struct SqlScript {
    /// The SQL text.
    pub sql: String,
    /// Rules evaluated by the script.
    pub rules: usize,
    /// Rules the dialect cannot express (not in the script).
    pub untranslated: Vec<Untranslated>,
    /// Rules not evaluated for want of a column, table or setting (as `check` says).
    pub not_evaluated: Vec<needs::NotEvaluated>,
}

/// The file name of `path` relative to `dir` when it is inside it (the script is run from
/// the data folder), else the path as given.
fn script_path(path: &Path, dir: Option<&Path>) -> String {
    dir.and_then(|d| path.strip_prefix(d).ok())
        .unwrap_or(path)
        .display()
        .to_string()
}

/// Writes the script.
///
/// # Errors
/// A bad rule, settings or column file (located diagnostics), unreadable data, or input the
/// SQL cannot read as `check` does (an encoding other than UTF-8, a time zone).
pub fn script(opts: &SqlOptions) -> Result<SqlScript, SqlError> {
    let d = opts.dialect;
    let mut map = load_column_map(opts.sources.columns.as_deref())?;
    let sources = opts.sources.with_files(&map);
    let settings = load_settings(sources.settings.as_deref())?;
    map.office_time_zone = crate::check::office_time_zone(&settings);
    let all_rules = load_rules(opts.rules_dir.as_deref(), &map, &settings)?;
    let calendar = load_calendar(calendar_path(&sources, &settings).as_deref())?;
    let cases_path = sources.cases.clone().ok_or(SqlError::NoCases)?;
    let cases = read_table(&cases_path, Table::Cases, &map, &[])?;
    let roster = match sources.operators.as_deref() {
        Some(p) => Some(Roster::from_table(&read_table(
            p,
            Table::Operators,
            &map,
            &[],
        )?)?),
        None => None,
    };
    let authority = match sources.authority.as_deref() {
        Some(p) => Some(AuthorityMatrix::from_table(&read_table(
            p,
            Table::Authority,
            &map,
            &[],
        )?)?),
        None => None,
    };
    let (rules, not_evaluated) =
        crate::check::evaluable(&all_rules, &cases, roster.is_some(), authority.is_some());
    let catalog = map.catalog();
    let clock = WorkingClock::covering(calendar, &[&cases.df], &[])?;
    let clock_fields: Vec<_> = rules
        .rules
        .iter()
        .flat_map(|r| r.kind.clock_fields())
        .collect();
    let (clock, clock_columns) = clock.precompute(&clock_fields);
    let ctx = CompileCtx {
        catalog: &catalog,
        authority: authority.as_ref(),
        roster: roster.as_ref(),
        clock: Some(&clock),
    };
    let schema = cases.df.schema().clone();
    let types = |c: &str| schema.get(c).cloned();
    let w = Writer::new(d, &types);

    // The findings, rule by rule, over the typed cases.
    let mut selects = Vec::new();
    let mut untranslated = Vec::new();
    for rule in &rules.rules {
        let written = super::rule_exprs(rule, &ctx).and_then(|(status, check)| {
            let columns = crate::engine::findings::finding_exprs(rule, &check, &ctx);
            let status = w.sql(&status)?;
            let columns = columns
                .iter()
                .zip(crate::engine::findings::COLUMNS)
                .map(|(e, name)| Ok(format!("{} AS {}", w.sql(e)?, ident(name, d))))
                .collect::<Result<Vec<_>, super::expr::Untranslatable>>()?;
            Ok((status, columns))
        });
        match written {
            Ok((status, columns)) => selects.push(format!(
                "SELECT {} FROM cases WHERE ({status}) IS TRUE",
                columns.join(", ")
            )),
            Err(u) => untranslated.push(Untranslated {
                rule_id: rule.id.clone(),
                rule_source: rule.source.to_string(),
                reason: u.node,
            }),
        }
    }
    let clocks = clock_columns
        .iter()
        .map(|e| {
            let Expr::Alias(_, name) = e else {
                return Err(SqlError::Input(String::from("a clock column has no name")));
            };
            let sql = w
                .sql(e)
                .map_err(|u| SqlError::Input(format!("the working clock: {}", u.node)))?;
            Ok(format!(", {sql} AS {}", ident(name, d)))
        })
        .collect::<Result<Vec<_>, SqlError>>()?
        .concat();
    let lookups = w
        .tables()
        .map_err(|u| SqlError::Input(format!("a lookup table: {}", u.node)))?;

    let file = script_path(&cases_path, sources.dir.as_deref());
    let file = match &opts.files_at {
        Some(at) => format!("{}/{file}", at.trim_end_matches('/')),
        None => file,
    };
    let reader = typing::cases(&cases_path, &file, &cases.file, &cases.absent, &map, d)?;
    let mut sql = String::new();
    let _ = writeln!(
        sql,
        "-- policyqc sql ({}): the findings of {} rules ({}) over {file}.\n-- Run it from the data folder; its last statement's rows are findings.csv's.",
        d.name(),
        rules.rules.len(),
        rules.origin,
    );
    for u in &untranslated {
        let _ = writeln!(
            sql,
            "-- not translated: {} ({}): {}",
            u.rule_id, u.rule_source, u.reason
        );
    }
    for n in &not_evaluated {
        let _ = writeln!(
            sql,
            "-- not evaluated: {} ({}): {}",
            n.rule_id,
            n.rule_source,
            n.needs_text()
        );
    }
    match d {
        Dialect::DuckDb => sql.push_str("SET enable_progress_bar = false;\n"),
        // Timestamps are office wall time: no session zone may shift them, and a text that
        // does not read is NULL, not an error.
        Dialect::Spark => sql.push_str(
            "SET spark.sql.session.timeZone = UTC;\nSET spark.sql.ansi.enabled = false;\nSET spark.sql.legacy.timeParserPolicy = CORRECTED;\n",
        ),
        Dialect::Trino => {}
    }
    sql.push_str(&reader.statements);
    for t in lookups {
        sql.push_str(&t);
        sql.push('\n');
    }
    // The typed cases once, as a table: every rule's query reads them.
    let materialise = match d {
        Dialect::Spark => "DROP VIEW IF EXISTS cases;\nCACHE TABLE cases AS",
        Dialect::DuckDb | Dialect::Trino => "CREATE TEMPORARY TABLE cases AS",
    };
    let _ = writeln!(
        sql,
        "{materialise} SELECT *{clocks} FROM {};",
        typing::TYPED
    );
    let _ = writeln!(
        sql,
        "SELECT * FROM data_findings ORDER BY {}, {};",
        ident("row", d),
        ident("field", d)
    );
    if selects.is_empty() {
        let none = crate::engine::findings::COLUMNS
            .iter()
            .map(|c| {
                format!(
                    "CAST(NULL AS {}) AS {}",
                    if matches!(*c, "error_point" | "row") {
                        "BIGINT"
                    } else {
                        typing::text_type(d)
                    },
                    ident(c, d)
                )
            })
            .collect::<Vec<_>>()
            .join(", ");
        let _ = writeln!(sql, "SELECT {none} WHERE FALSE;");
    } else {
        let _ = writeln!(
            sql,
            "{}\nORDER BY {}, {}, {};",
            selects.join("\nUNION ALL\n"),
            ident("case_id", d),
            ident("rule_id", d),
            ident(ROW_OUT, d)
        );
    }
    Ok(SqlScript {
        sql,
        rules: rules.rules.len() - untranslated.len(),
        untranslated,
        not_evaluated,
    })
}

/// The findings' row-number column.
const ROW_OUT: &str = "row";
