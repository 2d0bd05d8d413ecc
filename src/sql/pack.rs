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
use crate::config::columns::ColumnMap;
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
    /// The engine's own cases table (`db.schema.cases`) instead of the folder's cases file,
    /// which then stands for the table: its columns (and, from Parquet, their types) are the
    /// table's.
    pub cases_table: Option<String>,
    /// Leave out, with a comment, the rules the script cannot evaluate as written (outside the
    /// dialect, or needing a setting that is not set) instead of refusing.
    pub skip: bool,
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
    let unset: Vec<String> = not_evaluated
        .iter()
        .filter(|n| n.needs.iter().any(|x| matches!(x, needs::Need::Setting(_))))
        .map(|n| format!("  - {} ({}): {}", n.rule_id, n.rule_source, n.needs_text()))
        .collect();
    if !unset.is_empty() && !opts.skip {
        return Err(SqlError::MissingSettings(unset));
    }
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
            w.record();
            let mut status = w.sql(&status)?;
            let mut columns = columns
                .iter()
                .map(|e| w.sql(e))
                .collect::<Result<Vec<_>, super::expr::Untranslatable>>()?;
            // An expression the status and the finding's text share (a working-time
            // duration, an authority rule's required level) is computed once per case, as a
            // column of a subquery, not at each use: the engines plan and evaluate it once.
            let shared = w.hoisted(&status, &columns);
            let mut from = String::from("cases");
            if !shared.is_empty() {
                let mut defs = Vec::new();
                for (k, e) in shared.iter().enumerate() {
                    let name = ident(&format!("__shared_{k}"), d);
                    status = status.replace(e.as_str(), &name);
                    for c in &mut columns {
                        *c = c.replace(e.as_str(), &name);
                    }
                    defs.push(format!("{e} AS {name}"));
                }
                from = format!("(SELECT *, {} FROM cases) AS r", defs.join(", "));
            }
            let columns = columns
                .iter()
                .zip(crate::engine::findings::COLUMNS)
                .map(|(c, name)| format!("{c} AS {}", ident(name, d)))
                .collect::<Vec<_>>();
            Ok((status, columns, from))
        });
        match written {
            Ok((status, columns, from)) => selects.push(format!(
                "SELECT {} FROM {from} WHERE ({status}) IS TRUE",
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
    let source = cases_source(opts, &cases_path, &file, &cases.file, &map)?;
    if opts.cases_table.is_some() {
        table_has_mapped_columns(&source, &cases.file, &cases.absent, &map)?;
    }
    let reader = typing::cases(&source, &cases.absent, &map, d)?;
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
    sql.push_str(&reader.prelude);
    let mut views = reader.views;
    views.extend(lookups);
    // The typed cases once, as a table: every rule's query reads them.
    views.push((
        String::from("cases"),
        format!("SELECT *{clocks} FROM {}", typing::TYPED),
    ));
    // Trino has no temporary views: each query carries them as its `WITH` clause.
    let with = match d {
        Dialect::Trino => format!(
            "WITH {}\n",
            views
                .iter()
                .map(|(name, body)| format!("{name} AS ({body})"))
                .collect::<Vec<_>>()
                .join(",\n")
        ),
        Dialect::DuckDb | Dialect::Spark => {
            for (name, body) in &views {
                let create = match (d, name.as_str()) {
                    // The file read once (every use of a view over read_csv reads it
                    // again: data_findings has a query per typed field), then the typed
                    // cases once.
                    (Dialect::DuckDb, "__raw" | "cases") => {
                        format!("CREATE TEMPORARY TABLE {name} AS")
                    }
                    // Spark too: the raw rows (and their row numbers, a window over the
                    // whole file) once, not again for each data_findings query.
                    (Dialect::Spark, "__raw" | "cases") => {
                        format!("DROP VIEW IF EXISTS {name};\nCACHE TABLE {name} AS")
                    }
                    (Dialect::Spark, _) => format!("CREATE OR REPLACE TEMPORARY VIEW {name} AS"),
                    _ => format!("CREATE TEMPORARY VIEW {name} AS"),
                };
                let _ = writeln!(sql, "{create} {body};");
            }
            String::new()
        }
    };
    let _ = writeln!(
        sql,
        "{with}SELECT * FROM data_findings ORDER BY {}, {};",
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
            "{with}{}\nORDER BY {}, {}, {};",
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

/// Where the script reads the cases: the named table, or the folder's file (CSV as text,
/// Parquet with its columns' types).
fn cases_source(
    opts: &SqlOptions,
    path: &Path,
    file: &str,
    label: &str,
    map: &ColumnMap,
) -> Result<typing::Source, SqlError> {
    let parquet = path.extension().is_some_and(|e| e == "parquet");
    if !parquet && path.extension().is_some_and(|e| e != "csv") {
        return Err(SqlError::Input(format!(
            "{file}: the SQL reads a CSV or Parquet cases file (an event log alone is not read in SQL yet)"
        )));
    }
    let types = if parquet {
        let arrow = std::fs::File::open(path)
            .map_err(PolarsError::from)
            .and_then(|f| ParquetReader::new(f).schema())?;
        Schema::from_arrow_schema(&arrow)
            .iter()
            .map(|(name, t)| (name.to_string(), t.clone()))
            .collect()
    } else {
        Vec::new()
    };
    let file_first_row = if parquet {
        1
    } else {
        map.header_row as u64 + 1
    };
    Ok(match &opts.cases_table {
        Some(table) => typing::Source {
            relation: typing::Relation::Table(table.clone()),
            types,
            label: table.clone(),
            first_row: 1,
        },
        None => typing::Source {
            relation: if parquet {
                typing::Relation::Parquet(file.to_owned())
            } else {
                typing::Relation::Csv(file.to_owned())
            },
            types,
            label: label.to_owned(),
            first_row: file_first_row,
        },
    })
}

/// A table named by `--table` must have every column `columns.yaml` maps (as the folder's
/// sample of it shows them): a located error for each one it lacks, before any SQL.
fn table_has_mapped_columns(
    source: &typing::Source,
    sample: &str,
    absent: &[(String, String)],
    map: &ColumnMap,
) -> Result<(), SqlError> {
    use crate::config::diagnostics::{Diagnostics, Problem};
    let Some(source_file) = map.source.as_ref() else {
        return Ok(());
    };
    let mapped: Vec<(crate::config::columns::Mapping, crate::config::yaml::Span)> = map
        .mappings(Table::Cases)
        .into_iter()
        .filter(|m| absent.iter().any(|(f, _)| *f == m.field))
        .filter_map(|m| m.span.map(|span| (m, span)))
        .collect();
    if mapped.is_empty() {
        return Ok(());
    }
    let mut diags = Diagnostics::default();
    for (m, span) in mapped {
        let table = match &source.relation {
            typing::Relation::Table(t) => t.as_str(),
            _ => "the table",
        };
        diags.push(
            Problem::error(
                "sql::table-column",
                source_file,
                span,
                format!(
                    "`{table}` has no column `{}` (mapped to cases.{} here; the table's columns are those of {})",
                    m.column, m.field, sample
                ),
            )
            .label("not a column of the table")
            .help("map the field to a column the table has, or export a fresh sample of the table into the data folder"),
        );
    }
    Err(SqlError::Run(crate::check::RunError::Config(diags)))
}
