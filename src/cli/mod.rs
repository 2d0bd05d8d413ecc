//! The command line: `policyqc check`, `validate`, `rules`, `generate`, `cycle`, `status`,
//! `scorecard`, `sample` and `verdicts`.
//! Exit codes: 0 clean, 1 a threshold was breached, 2 usage, rule or input error.

pub mod args;
pub mod check;
pub mod cycle;
pub mod generate;
pub mod init;
pub mod rules;
pub mod sample;
pub mod scorecard;
pub mod status;
pub mod validate;
pub mod verdicts;

use clap::Parser;

pub use args::{Cli, Command};

/// Exit code: nothing breached.
pub const EXIT_OK: i32 = 0;
/// Exit code: a threshold was breached.
pub const EXIT_BREACH: i32 = 1;
/// Exit code: usage, rule or input error.
pub const EXIT_ERROR: i32 = 2;

/// Parses the arguments, runs the command, returns the exit code.
#[must_use]
pub fn main() -> i32 {
    let cli = match Cli::try_parse() {
        Ok(c) => c,
        Err(e) => {
            let _ = e.print();
            return if e.use_stderr() { EXIT_ERROR } else { EXIT_OK };
        }
    };
    let result = match cli.command {
        Command::Check(a) => check::run(&a),
        Command::Init(a) => init::run(&a),
        Command::Validate(a) => validate::run(&a),
        Command::Rules(a) => rules::run(&a),
        Command::Cycle(a) => cycle::run(&a),
        Command::Status(a) => status::run(&a),
        Command::Scorecard(a) => scorecard::run(&a),
        Command::Generate(a) => generate::run(&a),
        Command::Sample(a) => sample::run(&a),
        Command::Verdicts(a) => verdicts::run(&a),
    };
    match result {
        Ok(code) => code,
        Err(report) => {
            eprintln!("{report:?}");
            EXIT_ERROR
        }
    }
}

/// Prints every diagnostic of an invalid rule set or config and returns the summary report.
pub(crate) fn report_run_error(e: crate::check::RunError) -> miette::Report {
    match e {
        crate::check::RunError::Config(d) => {
            let n = d.error_count();
            for r in d.into_reports() {
                eprintln!("{r:?}");
            }
            miette::miette!(
                code = "policyqc::invalid",
                "{n} problem(s) found; nothing was run"
            )
        }
        other => miette::Report::new(other),
    }
}
