//! `policyqc sql`.

use super::args::SqlArgs;
use super::{EXIT_ERROR, EXIT_OK};
use crate::sql::pack::{SqlOptions, script};

/// Runs `sql`; returns the exit code.
pub fn run(a: &SqlArgs) -> miette::Result<i32> {
    let sources = super::check::data_sources(&a.data, "sql")?;
    let s = script(&SqlOptions {
        sources,
        rules_dir: a.rules.clone(),
        dialect: a.dialect,
        files_at: a.files_at.clone(),
        cases_table: a.table.clone(),
        skip: a.skip_untranslatable,
    })
    .map_err(|e| match e {
        crate::sql::error::SqlError::Run(r) => super::report_run_error(r),
        other => miette::Report::new(other),
    })?;
    for u in &s.untranslated {
        eprintln!(
            "{}: {} ({}): {}",
            if a.skip_untranslatable {
                "left out"
            } else {
                "error"
            },
            u.rule_id,
            u.rule_source,
            u.reason
        );
    }
    if !s.untranslated.is_empty() && !a.skip_untranslatable {
        eprintln!(
            "{} rule(s) cannot be written for {}; nothing was printed (--skip-untranslatable leaves them out)",
            s.untranslated.len(),
            a.dialect.name()
        );
        return Ok(EXIT_ERROR);
    }
    print!("{}", s.sql);
    if !super::quiet() {
        eprintln!(
            "{} rules written for {}{}",
            s.rules,
            a.dialect.name(),
            if s.not_evaluated.is_empty() {
                String::new()
            } else {
                format!(
                    "; {} not evaluated (see the comments)",
                    s.not_evaluated.len()
                )
            }
        );
    }
    Ok(EXIT_OK)
}
