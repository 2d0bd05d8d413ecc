//! The history's schema as an append-only list of migrations.
//!
//! # Adding tables (for other modules)
//!
//! Append a `(name, sql)` pair to [`MIGRATIONS`]; never edit or reorder one that has been
//! released, because a history file records which migrations it has applied by number and
//! name and refuses to open when they differ. The number of a migration is its position in
//! the list, counted from 1; the name is `NNNN_what` with that number, for readers of the
//! `schema_migrations` table. The SQL may hold several statements; it runs inside the same
//! transaction as the bookkeeping row, so a migration applies wholly or not at all.
//!
//! Tables of a run reference `runs(run_id)` with `ON DELETE CASCADE` (foreign keys are on), so
//! replacing a run's period removes its rows everywhere. A module with its own kind of run
//! (the audit sampler's samples and verdicts, for instance) writes a `runs` row with its own
//! `kind` and hangs its tables off it the same way.

/// The migrations, in order: `(name, sql)`. Migration `i` (0-based) brings the schema to
/// version `i + 1`.
pub const MIGRATIONS: &[(&str, &str)] = &[
    (
        "0001_runs_and_scorecards",
        r"
CREATE TABLE runs (
    run_id        TEXT PRIMARY KEY,     -- a hash of kind, period, inputs, rules and config
    kind          TEXT NOT NULL,        -- 'scorecard', ...
    period        TEXT NOT NULL,        -- '2026-10' for a month
    period_start  TEXT NOT NULL,        -- first instant covered, 'YYYY-MM-DD HH:MM:SS'
    period_end    TEXT NOT NULL,        -- first instant after the period
    recorded_at   TEXT NOT NULL,        -- office-local time of the run (or SOURCE_DATE_EPOCH)
    tool_version  TEXT NOT NULL,
    input_sha256  TEXT NOT NULL,        -- every input file, names and bytes
    rules_sha256  TEXT NOT NULL,        -- the rule set
    config_sha256 TEXT NOT NULL,        -- the run's own config (scorecard.yaml)
    cases_read    INTEGER NOT NULL,
    errors        INTEGER NOT NULL,     -- errors placed in the period
    operators     INTEGER NOT NULL,     -- operators scored
    UNIQUE (kind, period)
);

-- The period's errors after attribution and merging (one per case and error point).
CREATE TABLE scorecard_errors (
    run_id          TEXT NOT NULL REFERENCES runs(run_id) ON DELETE CASCADE,
    case_id         TEXT NOT NULL,
    case_row        INTEGER NOT NULL,
    error_point     INTEGER NOT NULL,
    severity        TEXT NOT NULL,
    stage           TEXT NOT NULL,
    operator        TEXT,
    team            TEXT,
    sources         TEXT NOT NULL,
    rule_ids        TEXT,
    placed_at       TEXT,
    checker         TEXT,
    checker_outcome TEXT,
    PRIMARY KEY (run_id, case_row, error_point)
);

-- One row per operator and period: the scorecard.
CREATE TABLE scorecard_operators (
    run_id               TEXT NOT NULL REFERENCES runs(run_id) ON DELETE CASCADE,
    period               TEXT NOT NULL,
    operator             TEXT NOT NULL,
    name                 TEXT,
    team                 TEXT NOT NULL,
    cases_handled        INTEGER NOT NULL,
    findings_critical    INTEGER NOT NULL,
    findings_major       INTEGER NOT NULL,
    findings_minor       INTEGER NOT NULL,
    errors_per_100_cases REAL,
    rework_caused        INTEGER,
    cases_checked        INTEGER,
    catches              INTEGER,
    misses               INTEGER,
    catch_rate           REAL,
    handling_mean_hours  REAL,
    handling_p90_hours   REAL,
    score                REAL,
    band                 TEXT,
    outcome              TEXT,
    rank                 INTEGER,
    PRIMARY KEY (period, operator)
);
CREATE INDEX scorecard_operators_run ON scorecard_operators(run_id);
",
    ),
    (
        // The audit sampler's samples and verdicts (src/sampling/store.rs).
        "0002_sampling_samples_and_verdicts",
        r"
CREATE TABLE sampling_samples (
    sample_id          TEXT PRIMARY KEY,
    tool               TEXT NOT NULL,
    plan               TEXT NOT NULL,
    method             TEXT NOT NULL,
    sample_size        INTEGER NOT NULL,
    population         INTEGER NOT NULL,
    population_sha256  TEXT NOT NULL,
    rules_sha256       TEXT NOT NULL,
    seed               TEXT NOT NULL,
    manifest_json      TEXT NOT NULL,
    first_imported_at  TEXT NOT NULL
);
CREATE TABLE sampling_sample_cases (
    sample_id  TEXT NOT NULL REFERENCES sampling_samples(sample_id),
    case_id    TEXT NOT NULL,
    sample_no  INTEGER NOT NULL,
    stratum    TEXT NOT NULL,
    reason     TEXT NOT NULL,
    PRIMARY KEY (sample_id, case_id)
);
CREATE TABLE sampling_imports (
    import_id    INTEGER PRIMARY KEY AUTOINCREMENT,
    sample_id    TEXT NOT NULL REFERENCES sampling_samples(sample_id),
    file         TEXT NOT NULL,
    file_sha256  TEXT NOT NULL,
    verdicts     INTEGER NOT NULL,
    imported_at  TEXT NOT NULL
);
CREATE TABLE sampling_verdicts (
    sample_id    TEXT NOT NULL,
    case_id      TEXT NOT NULL,
    verdict_key  TEXT NOT NULL,
    rule_id      TEXT NOT NULL,
    verdict      TEXT NOT NULL CHECK (verdict IN ('confirmed', 'false_positive', 'new_error', 'no_error')),
    error_point  INTEGER CHECK (error_point BETWEEN 1 AND 14),
    stage        TEXT NOT NULL,
    severity     TEXT NOT NULL,
    auditor      TEXT NOT NULL,
    judged_at    TEXT NOT NULL,
    note         TEXT NOT NULL,
    file_row     INTEGER NOT NULL,
    import_id    INTEGER NOT NULL REFERENCES sampling_imports(import_id),
    PRIMARY KEY (sample_id, case_id, verdict_key),
    FOREIGN KEY (sample_id, case_id) REFERENCES sampling_sample_cases(sample_id, case_id)
);
",
    ),
];

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_are_numbered_in_order() {
        for (i, (name, _)) in MIGRATIONS.iter().enumerate() {
            let want = format!("{:04}_", i + 1);
            assert!(
                name.starts_with(&want),
                "migration {} is named {name}, expected the prefix {want}",
                i + 1
            );
        }
    }
}
