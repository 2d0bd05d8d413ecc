//! The history: an embedded `SQLite` store (one file, no server) of every run, so that months
//! can be compared.
//!
//! - **Where**: `policyqc-history.sqlite` in the current folder by default (`--history PATH`
//!   elsewhere). [`History::open`] creates the file and brings its schema up to date.
//! - **Schema**: versioned by the `schema_migrations` table (`version, name`), one row per
//!   applied migration of [`migrations::MIGRATIONS`]. A file written by a newer policyqc (more
//!   migrations than this build knows) or by a diverging build (a migration of the same number
//!   with another name) is refused rather than guessed at.
//! - **Runs**: every run is one row of `runs` (its id, kind, period, when, the SHA-256 of its
//!   inputs, rule set and config, a few counts) plus rows in the tables of its kind that
//!   reference it. [`History::replace_run`] writes all of it in **one transaction** that first
//!   deletes the run of the same kind and period: re-running a period replaces it, and a run
//!   that fails or is killed part-way leaves the store exactly as it was (`SQLite`'s rollback
//!   journal undoes an interrupted transaction the next time the file is opened).
//! - **Determinism**: the run id is a hash of the run's content, and the time recorded is the
//!   office-local clock or, when the `SOURCE_DATE_EPOCH` environment variable is set (the
//!   reproducible-builds convention), that instant; two runs of the same month on the same
//!   inputs then leave identical histories ([`History::dump`] compares them).

pub(crate) mod migrations;
pub mod scorecard;

use std::fmt::Write as _;
use std::path::{Path, PathBuf};

use polars::prelude::*;
use rusqlite::types::Value as SqlValue;
use rusqlite::{Connection, params};

pub use migrations::MIGRATIONS;

/// The history file used when none is given.
pub const DEFAULT_PATH: &str = "policyqc-history.sqlite";

/// How long a run waits for another process's write to the same history before giving up.
pub const BUSY_TIMEOUT: std::time::Duration = std::time::Duration::from_secs(30);

/// Why the history could not be read or written. Nothing is half-written in any case.
#[derive(Debug, thiserror::Error, miette::Diagnostic)]
pub enum HistoryError {
    /// `SQLite` failed (cannot open or create the file, not a database, disk full, ...).
    #[error("history {path}: {source}")]
    #[diagnostic(
        code(history::sqlite),
        help("the history is a SQLite file; give another one with --history PATH")
    )]
    Sqlite {
        /// The history file.
        path: String,
        /// What `SQLite` said.
        source: rusqlite::Error,
    },
    /// The file was written by a newer policyqc.
    #[error(
        "history {path} has schema version {found}; this policyqc knows versions up to {known}"
    )]
    #[diagnostic(
        code(history::newer),
        help("use the policyqc that wrote it (or a newer one), or another --history file")
    )]
    Newer {
        /// The history file.
        path: String,
        /// Its version.
        found: u32,
        /// The highest version this build knows.
        known: u32,
    },
    /// A migration of the same number but another name was applied: another build's schema.
    #[error(
        "history {path}: migration {version} is `{found}` in the file but `{expected}` in this policyqc"
    )]
    #[diagnostic(
        code(history::diverged),
        help("the file was written by a different build of policyqc; use another --history file")
    )]
    Diverged {
        /// The history file.
        path: String,
        /// The migration number.
        version: u32,
        /// Its name in the file.
        found: String,
        /// Its name in this build.
        expected: String,
    },
    /// A `SQLite` database of another program: it has tables but no policyqc schema.
    #[error(
        "history {path} is a SQLite database of another program (tables {tables}, no schema_migrations): it is left as it was"
    )]
    #[diagnostic(
        code(history::foreign),
        help("give policyqc its own file with --history PATH")
    )]
    Foreign {
        /// The history file.
        path: String,
        /// Its tables, comma-separated.
        tables: String,
    },
    /// A write was stopped on purpose (the hook of [`History::replace_run_with`] said so).
    #[error("history write stopped after {table} row {row}: {reason}")]
    #[diagnostic(code(history::stopped))]
    Stopped {
        /// The table of the last insert.
        table: String,
        /// Rows of that table inserted so far.
        row: usize,
        /// Why.
        reason: String,
    },
    /// A frame could not be read.
    #[error("history: {0}")]
    #[diagnostic(code(history::polars))]
    Polars(#[from] PolarsError),
}

/// The `runs` row of a run.
#[derive(Debug, Clone, PartialEq)]
pub struct RunRecord {
    /// Unique id (a hash of the run's content, so reruns of the same inputs keep it).
    pub run_id: String,
    /// What kind of run (`scorecard`, ...).
    pub kind: String,
    /// The period covered (`YYYY-MM` for a month).
    pub period: String,
    /// First instant of the period, `YYYY-MM-DD HH:MM:SS`.
    pub period_start: String,
    /// First instant after the period.
    pub period_end: String,
    /// When the run was made (office-local, see [`recorded_at`]).
    pub recorded_at: String,
    /// `policyqc x.y.z`.
    pub tool_version: String,
    /// SHA-256 of the inputs.
    pub input_sha256: String,
    /// SHA-256 of the rule set.
    pub rules_sha256: String,
    /// SHA-256 of the run's config.
    pub config_sha256: String,
    /// Cases read.
    pub cases_read: u64,
    /// Errors placed in the period.
    pub errors: u64,
    /// Operators scored.
    pub operators: u64,
}

/// Rows for one table of a run: the frame's columns are the table's columns (same names),
/// `constants` are columns with one value for every row (e.g. `run_id`).
pub struct TableRows<'a> {
    /// The SQL table.
    pub table: &'a str,
    /// Constant columns.
    pub constants: Vec<(&'a str, SqlValue)>,
    /// The rows.
    pub frame: &'a DataFrame,
}

/// Where a write has got to, passed to the hook of [`History::replace_run_with`] after every
/// insert.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Step<'a> {
    /// The table just written to (`runs` first).
    pub table: &'a str,
    /// Rows of that table inserted so far (1-based).
    pub row: usize,
}

/// The embedded store.
pub struct History {
    conn: Connection,
    path: String,
}

impl std::fmt::Debug for History {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("History")
            .field("path", &self.path)
            .finish_non_exhaustive()
    }
}

/// The time to record for a run: `SOURCE_DATE_EPOCH` (seconds since 1970-01-01 00:00 UTC, read
/// as office-local wall time without any zone arithmetic) when set, else the local clock.
#[must_use]
pub fn recorded_at() -> String {
    let fixed = std::env::var("SOURCE_DATE_EPOCH")
        .ok()
        .and_then(|s| s.trim().parse::<i64>().ok())
        .and_then(|s| chrono::DateTime::from_timestamp(s, 0))
        .map(|t| t.naive_utc());
    fixed
        .unwrap_or_else(|| chrono::Local::now().naive_local())
        .format("%Y-%m-%d %H:%M:%S")
        .to_string()
}

impl History {
    /// Opens (creating if needed) the history file and applies pending migrations.
    pub fn open(path: &Path) -> Result<Self, HistoryError> {
        let name = path.display().to_string();
        let conn = Connection::open(path).map_err(|source| HistoryError::Sqlite {
            path: name.clone(),
            source,
        })?;
        Self::setup(conn, name)
    }

    /// An in-memory history (tests, dry runs).
    pub fn open_in_memory() -> Result<Self, HistoryError> {
        let conn = Connection::open_in_memory().map_err(|source| HistoryError::Sqlite {
            path: String::from(":memory:"),
            source,
        })?;
        Self::setup(conn, String::from(":memory:"))
    }

    fn setup(conn: Connection, path: String) -> Result<Self, HistoryError> {
        let mut h = Self { conn, path };
        // Another process writing the same history (two scorecard runs at once): wait for its
        // transaction rather than fail at once.
        let r = h.conn.busy_timeout(BUSY_TIMEOUT);
        h.sql(r)?;
        let r = h.conn.execute_batch("PRAGMA foreign_keys = ON;");
        h.sql(r)?;
        h.refuse_foreign()?;
        h.migrate()?;
        Ok(h)
    }

    /// Refuses a database that has tables but not ours, before anything is written to it.
    fn refuse_foreign(&self) -> Result<(), HistoryError> {
        let tables: rusqlite::Result<Vec<String>> = self
            .conn
            .prepare("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name")
            .and_then(|mut stmt| stmt.query_map([], |r| r.get(0))?.collect());
        let tables = self.sql(tables)?;
        if !tables.is_empty() && !tables.iter().any(|t| t == "schema_migrations") {
            return Err(HistoryError::Foreign {
                path: self.path.clone(),
                tables: tables.join(", "),
            });
        }
        Ok(())
    }

    /// The file (or `:memory:`).
    #[must_use]
    pub fn path(&self) -> &str {
        &self.path
    }

    /// The underlying connection, for queries of other modules.
    #[must_use]
    pub fn connection(&self) -> &Connection {
        &self.conn
    }

    /// The underlying connection, mutable: for other modules' own transactions on their
    /// tables (the audit sampler's samples and verdicts).
    pub fn connection_mut(&mut self) -> &mut Connection {
        &mut self.conn
    }

    fn sql<T>(&self, r: rusqlite::Result<T>) -> Result<T, HistoryError> {
        r.map_err(|source| HistoryError::Sqlite {
            path: self.path.clone(),
            source,
        })
    }

    /// The applied migrations, `(version, name)`, in order.
    pub fn applied(&self) -> Result<Vec<(u32, String)>, HistoryError> {
        let mut stmt = self.sql(
            self.conn
                .prepare("SELECT version, name FROM schema_migrations ORDER BY version"),
        )?;
        let rows = stmt.query_map([], |r| Ok((r.get::<_, u32>(0)?, r.get::<_, String>(1)?)));
        let rows = self.sql(rows)?;
        let mut out = Vec::new();
        for row in rows {
            out.push(self.sql(row)?);
        }
        Ok(out)
    }

    /// The schema version: the number of applied migrations.
    pub fn schema_version(&self) -> Result<u32, HistoryError> {
        Ok(self.applied()?.last().map_or(0, |(v, _)| *v))
    }

    /// Checks the applied migrations and applies the missing ones, all in one transaction
    /// that takes the write lock first: of two processes opening a new history at once, the
    /// second waits, then finds the migrations applied.
    fn migrate(&mut self) -> Result<(), HistoryError> {
        let path = self.path.clone();
        let wrap = |source| HistoryError::Sqlite {
            path: path.clone(),
            source,
        };
        let tx = self
            .conn
            .transaction_with_behavior(rusqlite::TransactionBehavior::Immediate)
            .map_err(wrap)?;
        tx.execute_batch(
            "CREATE TABLE IF NOT EXISTS schema_migrations (
                 version INTEGER PRIMARY KEY,
                 name    TEXT NOT NULL
             );",
        )
        .map_err(wrap)?;
        let applied: Vec<(u32, String)> = tx
            .prepare("SELECT version, name FROM schema_migrations ORDER BY version")
            .and_then(|mut stmt| {
                stmt.query_map([], |r| Ok((r.get::<_, u32>(0)?, r.get::<_, String>(1)?)))?
                    .collect()
            })
            .map_err(wrap)?;
        let known = MIGRATIONS.len() as u32;
        if let Some((found, _)) = applied.last()
            && *found > known
        {
            return Err(HistoryError::Newer {
                path: self.path.clone(),
                found: *found,
                known,
            });
        }
        for (version, name) in &applied {
            let expected = (*version as usize)
                .checked_sub(1)
                .and_then(|i| MIGRATIONS.get(i))
                .map_or("(none)", |m| m.0);
            if name != expected {
                return Err(HistoryError::Diverged {
                    path: self.path.clone(),
                    version: *version,
                    found: name.clone(),
                    expected: expected.to_owned(),
                });
            }
        }
        for (i, (name, sql)) in MIGRATIONS.iter().enumerate().skip(applied.len()) {
            tx.execute_batch(sql).map_err(wrap)?;
            tx.execute(
                "INSERT INTO schema_migrations (version, name) VALUES (?1, ?2)",
                params![i as u32 + 1, name],
            )
            .map_err(wrap)?;
        }
        tx.commit().map_err(wrap)?;
        Ok(())
    }

    /// Writes a run in one transaction, replacing the run of the same kind and period.
    pub fn replace_run(
        &mut self,
        run: &RunRecord,
        tables: &[TableRows<'_>],
    ) -> Result<(), HistoryError> {
        self.replace_run_with(run, tables, &mut |_| Ok(()))
    }

    /// [`replace_run`](Self::replace_run), calling `hook` after every insert; an error from
    /// the hook abandons the transaction (nothing is written). Used to report progress and,
    /// in tests, to interrupt a write part-way.
    pub fn replace_run_with(
        &mut self,
        run: &RunRecord,
        tables: &[TableRows<'_>],
        hook: &mut dyn FnMut(Step<'_>) -> Result<(), HistoryError>,
    ) -> Result<(), HistoryError> {
        let path = self.path.clone();
        let wrap = |source| HistoryError::Sqlite {
            path: path.clone(),
            source,
        };
        // Dropping the transaction without commit (an early return or a panic) rolls it back.
        let tx = self.conn.transaction().map_err(wrap)?;
        tx.execute(
            "DELETE FROM runs WHERE kind = ?1 AND period = ?2",
            params![run.kind, run.period],
        )
        .map_err(wrap)?;
        tx.execute(
            "INSERT INTO runs (run_id, kind, period, period_start, period_end, recorded_at,
                 tool_version, input_sha256, rules_sha256, config_sha256, cases_read, errors,
                 operators)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13)",
            params![
                run.run_id,
                run.kind,
                run.period,
                run.period_start,
                run.period_end,
                run.recorded_at,
                run.tool_version,
                run.input_sha256,
                run.rules_sha256,
                run.config_sha256,
                run.cases_read as i64,
                run.errors as i64,
                run.operators as i64,
            ],
        )
        .map_err(wrap)?;
        hook(Step {
            table: "runs",
            row: 1,
        })?;
        for t in tables {
            let columns: Vec<String> = t
                .constants
                .iter()
                .map(|(c, _)| (*c).to_owned())
                .chain(t.frame.get_column_names().iter().map(ToString::to_string))
                .collect();
            let sql = format!(
                "INSERT INTO {} ({}) VALUES ({})",
                t.table,
                columns.join(", "),
                (1..=columns.len())
                    .map(|i| format!("?{i}"))
                    .collect::<Vec<_>>()
                    .join(", ")
            );
            let mut stmt = tx.prepare(&sql).map_err(wrap)?;
            let cols = t.frame.columns();
            for row in 0..t.frame.height() {
                let mut values: Vec<SqlValue> =
                    t.constants.iter().map(|(_, v)| v.clone()).collect();
                for c in cols {
                    values.push(sql_value(&c.get(row)?));
                }
                stmt.execute(rusqlite::params_from_iter(values))
                    .map_err(wrap)?;
                hook(Step {
                    table: t.table,
                    row: row + 1,
                })?;
            }
        }
        tx.commit().map_err(wrap)
    }

    /// Every table (by name) and every row (sorted), as text: two histories with the same
    /// dump hold the same data.
    pub fn dump(&self) -> Result<String, HistoryError> {
        let mut out = String::new();
        let tables: Vec<String> = {
            let mut stmt = self
                .sql(self.conn.prepare(
                    "SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name",
                ))?;
            let rows = self.sql(stmt.query_map([], |r| r.get::<_, String>(0)))?;
            let mut v = Vec::new();
            for r in rows {
                v.push(self.sql(r)?);
            }
            v
        };
        for table in tables {
            let _ = writeln!(out, "== {table}");
            let mut stmt = self.sql(self.conn.prepare(&format!("SELECT * FROM {table}")))?;
            let n = stmt.column_count();
            let rows = self.sql(stmt.query_map([], |r| {
                (0..n)
                    .map(|i| r.get::<_, SqlValue>(i).map(|v| format!("{v:?}")))
                    .collect::<rusqlite::Result<Vec<_>>>()
            }))?;
            let mut lines = Vec::new();
            for r in rows {
                lines.push(self.sql(r)?.join(" | "));
            }
            lines.sort();
            for l in lines {
                let _ = writeln!(out, "{l}");
            }
        }
        Ok(out)
    }
}

/// A polars value as `SQLite` stores it: integers, reals, text; dates and times as text.
fn sql_value(v: &AnyValue<'_>) -> SqlValue {
    match v {
        AnyValue::Null => SqlValue::Null,
        AnyValue::Boolean(b) => SqlValue::Integer(i64::from(*b)),
        AnyValue::Int8(x) => SqlValue::Integer(i64::from(*x)),
        AnyValue::Int16(x) => SqlValue::Integer(i64::from(*x)),
        AnyValue::Int32(x) => SqlValue::Integer(i64::from(*x)),
        AnyValue::Int64(x) => SqlValue::Integer(*x),
        AnyValue::UInt8(x) => SqlValue::Integer(i64::from(*x)),
        AnyValue::UInt16(x) => SqlValue::Integer(i64::from(*x)),
        AnyValue::UInt32(x) => SqlValue::Integer(i64::from(*x)),
        AnyValue::UInt64(x) => SqlValue::Integer(*x as i64),
        AnyValue::Float32(x) => SqlValue::Real(f64::from(*x)),
        AnyValue::Float64(x) => SqlValue::Real(*x),
        AnyValue::String(s) => SqlValue::Text((*s).to_owned()),
        AnyValue::StringOwned(s) => SqlValue::Text(s.to_string()),
        other => SqlValue::Text(other.to_string()),
    }
}

/// The default history path in the current folder.
#[must_use]
pub fn default_path() -> PathBuf {
    PathBuf::from(DEFAULT_PATH)
}
