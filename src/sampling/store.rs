//! Where verdicts are kept: an `SQLite` file (`policyqc-history.sqlite` by default, the history
//! file the scorecard also uses), behind the small [`VerdictStore`] trait.
//!
//! The sampling tables are part of the history's schema: migration
//! `0002_sampling_samples_and_verdicts` of [`crate::history::migrations::MIGRATIONS`], applied
//! by [`History::open`] like every other. Every import runs in one transaction: it is stored
//! whole or not at all.
//!
//! | table | one row per |
//! | --- | --- |
//! | `sampling_samples` | sample (its manifest, as JSON) |
//! | `sampling_sample_cases` | selected case of a sample |
//! | `sampling_imports` | imported verdict file |
//! | `sampling_verdicts` | verdict: a finding judged, a new error, or a case found clean |

use std::path::Path;

use rusqlite::{Connection, OptionalExtension, params};

use crate::history::History;

use super::manifest::Manifest;
use super::verdicts::{Verdict, VerdictBatch, VerdictRow};

/// The default history file.
pub const DEFAULT_HISTORY: &str = crate::history::DEFAULT_PATH;

/// Why the store failed (nothing of the import was kept).
#[derive(Debug, thiserror::Error, miette::Diagnostic)]
pub enum StoreError {
    /// `SQLite` failed.
    #[error("history {path}: {message}")]
    #[diagnostic(code(verdicts::store))]
    Sqlite {
        /// The file.
        path: String,
        /// What `SQLite` said.
        message: String,
    },
    /// Cases of the file already have stored verdicts.
    #[error(
        "{count} case(s) of sample {sample_id} already have verdicts in {path} (first: {first}); nothing was imported"
    )]
    #[diagnostic(
        code(verdicts::duplicate),
        help("a case is judged once; to replace earlier verdicts of these cases give --replace")
    )]
    AlreadyJudged {
        /// The history file.
        path: String,
        /// The sample.
        sample_id: String,
        /// How many cases.
        count: usize,
        /// The first, with the file it came from.
        first: String,
    },
    /// Writing the outputs failed before the commit; the import was rolled back.
    #[error("{0}; the import was rolled back")]
    #[diagnostic(code(verdicts::output))]
    Output(String),
}

/// What an import did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ImportOutcome {
    /// Verdicts stored.
    pub stored: usize,
    /// Cases whose earlier verdicts were replaced.
    pub replaced_cases: usize,
    /// Every verdict of the sample after the import.
    pub all: Vec<VerdictRow>,
}

/// A store of samples and verdicts.
pub trait VerdictStore {
    /// Stores a batch in one transaction. Before committing, `finish` gets every verdict of the
    /// sample after the import (to evaluate and write outputs); if it fails, nothing is kept.
    fn import(
        &mut self,
        manifest: &Manifest,
        batch: &VerdictBatch,
        replace: bool,
        finish: &mut dyn FnMut(&[VerdictRow]) -> Result<(), String>,
    ) -> Result<ImportOutcome, StoreError>;
}

/// The `SQLite` store.
pub struct SqliteStore {
    history: History,
    path: String,
}

impl SqliteStore {
    /// Opens (creating if needed) the history file and applies pending migrations.
    pub fn open(path: &Path) -> Result<SqliteStore, StoreError> {
        let name = path.display().to_string();
        let mut history = History::open(path).map_err(|e| StoreError::Sqlite {
            path: name.clone(),
            message: e.to_string(),
        })?;
        history
            .connection_mut()
            .busy_timeout(std::time::Duration::from_secs(10))
            .map_err(|e| StoreError::Sqlite {
                path: name.clone(),
                message: e.to_string(),
            })?;
        Ok(SqliteStore {
            history,
            path: name,
        })
    }
}

fn now() -> String {
    chrono::Local::now().format("%Y-%m-%d %H:%M:%S").to_string()
}

fn read_verdicts(conn: &Connection, sample_id: &str) -> rusqlite::Result<Vec<VerdictRow>> {
    let mut stmt = conn.prepare(
        "SELECT case_id, rule_id, verdict, error_point, stage, severity, auditor, judged_at, note, file_row
         FROM sampling_verdicts WHERE sample_id = ?1 ORDER BY case_id, verdict_key",
    )?;
    let rows = stmt.query_map([sample_id], |r| {
        let verdict: String = r.get(2)?;
        Ok(VerdictRow {
            case_id: r.get(0)?,
            rule_id: r.get(1)?,
            verdict: Verdict::parse(&verdict).unwrap_or(Verdict::NoError),
            error_point: r.get::<_, Option<u8>>(3)?,
            stage: r.get(4)?,
            severity: r.get(5)?,
            auditor: r.get(6)?,
            judged_at: r.get(7)?,
            note: r.get(8)?,
            row: r.get::<_, i64>(9)? as u64,
        })
    })?;
    rows.collect()
}

impl VerdictStore for SqliteStore {
    fn import(
        &mut self,
        manifest: &Manifest,
        batch: &VerdictBatch,
        replace: bool,
        finish: &mut dyn FnMut(&[VerdictRow]) -> Result<(), String>,
    ) -> Result<ImportOutcome, StoreError> {
        let path = self.path.clone();
        let sq = |e: rusqlite::Error| StoreError::Sqlite {
            path: path.clone(),
            message: e.to_string(),
        };
        let at = now();
        let tx = self.history.connection_mut().transaction().map_err(sq)?;
        let known: Option<String> = tx
            .query_row(
                "SELECT sample_id FROM sampling_samples WHERE sample_id = ?1",
                [&manifest.sample_id],
                |r| r.get(0),
            )
            .optional()
            .map_err(sq)?;
        if known.is_none() {
            let json =
                serde_json::to_string(manifest).map_err(|e| StoreError::Output(e.to_string()))?;
            tx.execute(
                "INSERT INTO sampling_samples (sample_id, tool, plan, method, sample_size, population, population_sha256, rules_sha256, seed, manifest_json, first_imported_at)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11)",
                params![
                    manifest.sample_id,
                    manifest.tool,
                    manifest.plan.plan,
                    manifest.method.name,
                    manifest.plan.sample_size as i64,
                    manifest.population.size as i64,
                    manifest.population.sha256,
                    manifest.rules.sha256,
                    manifest.seed.to_string(),
                    json,
                    at
                ],
            )
            .map_err(sq)?;
            let mut ins = tx
                .prepare(
                    "INSERT INTO sampling_sample_cases (sample_id, case_id, sample_no, stratum, reason) VALUES (?1, ?2, ?3, ?4, ?5)",
                )
                .map_err(sq)?;
            for s in &manifest.selected {
                ins.execute(params![
                    manifest.sample_id,
                    s.case_id,
                    s.sample_no as i64,
                    s.stratum,
                    s.reason
                ])
                .map_err(sq)?;
            }
        }
        // Cases of this file that are already judged.
        let mut judged: Vec<(String, String)> = Vec::new();
        {
            let mut q = tx
                .prepare(
                    "SELECT v.case_id, i.file FROM sampling_verdicts v JOIN sampling_imports i ON i.import_id = v.import_id
                     WHERE v.sample_id = ?1 AND v.case_id = ?2 LIMIT 1",
                )
                .map_err(sq)?;
            for case in &batch.cases {
                if let Some(hit) = q
                    .query_row(params![manifest.sample_id, case], |r| {
                        Ok((r.get::<_, String>(0)?, r.get::<_, String>(1)?))
                    })
                    .optional()
                    .map_err(sq)?
                {
                    judged.push(hit);
                }
            }
        }
        if !judged.is_empty() && !replace {
            return Err(StoreError::AlreadyJudged {
                path: path.clone(),
                sample_id: manifest.sample_id.clone(),
                count: judged.len(),
                first: format!("{} from {}", judged[0].0, judged[0].1),
            });
        }
        for (case, _) in &judged {
            tx.execute(
                "DELETE FROM sampling_verdicts WHERE sample_id = ?1 AND case_id = ?2",
                params![manifest.sample_id, case],
            )
            .map_err(sq)?;
        }
        tx.execute(
            "INSERT INTO sampling_imports (sample_id, file, file_sha256, verdicts, imported_at) VALUES (?1, ?2, ?3, ?4, ?5)",
            params![manifest.sample_id, batch.file, batch.file_sha256, batch.rows.len() as i64, at],
        )
        .map_err(sq)?;
        let import_id = tx.last_insert_rowid();
        {
            let mut ins = tx
                .prepare(
                    "INSERT INTO sampling_verdicts (sample_id, case_id, verdict_key, rule_id, verdict, error_point, stage, severity, auditor, judged_at, note, file_row, import_id)
                     VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13)",
                )
                .map_err(sq)?;
            for v in &batch.rows {
                ins.execute(params![
                    manifest.sample_id,
                    v.case_id,
                    v.key(),
                    v.rule_id,
                    v.verdict.name(),
                    v.error_point,
                    v.stage,
                    v.severity,
                    v.auditor,
                    v.judged_at,
                    v.note,
                    v.row as i64,
                    import_id
                ])
                .map_err(sq)?;
            }
        }
        let all = read_verdicts(&tx, &manifest.sample_id).map_err(sq)?;
        finish(&all).map_err(StoreError::Output)?;
        tx.commit().map_err(sq)?;
        Ok(ImportOutcome {
            stored: batch.rows.len(),
            replaced_cases: judged.len(),
            all,
        })
    }
}
