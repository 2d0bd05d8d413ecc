//! The command line: `policyqc check`, `validate`, `rules`, `generate`, `cycle`, `status`,
//! `scorecard`, `sample` and `verdicts`.
//! Exit codes: 0 clean, 1 a threshold was breached, 2 usage, rule or input error.
//!
//! The binary is [`main`]; [`command`] is its clap definition (for completions, a man page
//! or tests of the conventions).

pub(crate) mod args;
pub(crate) mod check;
pub(crate) mod cycle;
pub(crate) mod explain;
pub(crate) mod generate;
pub(crate) mod init;
pub(crate) mod report;
pub(crate) mod rules;
pub(crate) mod sample;
pub(crate) mod scorecard;
pub(crate) mod sql;
pub(crate) mod status;
pub(crate) mod validate;
pub(crate) mod verdicts;

use std::ffi::OsString;
use std::io::IsTerminal;
use std::path::{Path, PathBuf};
use std::sync::OnceLock;
use std::sync::atomic::{AtomicBool, Ordering};

use clap::{CommandFactory, FromArgMatches, ValueEnum};

use crate::output::OutputDir;

pub(crate) use args::{Cli, ColorWhen, Command};

/// The command line's clap definition: every subcommand, option and help text.
#[must_use]
pub fn command() -> clap::Command {
    Cli::command()
}

/// The global `--quiet`, set once at start-up.
static QUIET: AtomicBool = AtomicBool::new(false);

/// The global `--lang`, set once at start-up (`None`: not given).
static LANG: OnceLock<Option<crate::lang::Lang>> = OnceLock::new();

/// The language of the pages, workbooks and console summaries: `--lang`, else the `lang`
/// setting of the settings file at `settings` (none: the defaults), else English. A bad
/// `lang:` value is reported with its place in the file, as any bad setting.
pub(crate) fn lang(settings: Option<&Path>) -> miette::Result<crate::lang::Lang> {
    if let Some(Some(l)) = LANG.get() {
        return Ok(*l);
    }
    Ok(crate::check::load_settings(settings)
        .map_err(report_run_error)?
        .lang())
}

/// Whether `--quiet` was given: print nothing but errors and machine output.
pub(crate) fn quiet() -> bool {
    QUIET.load(Ordering::Relaxed)
}

/// The `--color` choice in `argv`, read before parsing so that clap's own help and errors
/// are coloured by it too (the last one wins, as clap does; `--` ends the options).
fn color_in(argv: &[OsString]) -> ColorWhen {
    let mut when = ColorWhen::Auto;
    let mut rest = argv.iter().skip(1).filter_map(|a| a.to_str());
    while let Some(a) = rest.next() {
        let value = match a {
            "--" => break,
            "--color" => rest.next(),
            _ => a.strip_prefix("--color="),
        };
        if let Some(w) = value.and_then(|v| ColorWhen::from_str(v, false).ok()) {
            when = w;
        }
    }
    when
}

/// Sets clap's colouring and miette's report handler from `--color` and `NO_COLOR`.
fn color_choice(when: ColorWhen) -> clap::ColorChoice {
    let no_color = std::env::var_os("NO_COLOR");
    let stderr = when.enabled(std::io::stderr().is_terminal(), no_color.as_deref());
    let _ = miette::set_hook(Box::new(move |_| {
        Box::new(miette::MietteHandlerOpts::new().color(stderr).build())
    }));
    match when {
        ColorWhen::Always => clap::ColorChoice::Always,
        ColorWhen::Never => clap::ColorChoice::Never,
        ColorWhen::Auto if no_color.is_some_and(|v| !v.is_empty()) => clap::ColorChoice::Never,
        ColorWhen::Auto => clap::ColorChoice::Auto,
    }
}

/// Parses `argv` with clap coloured as `--color`/`NO_COLOR` say.
fn parse(argv: Vec<OsString>) -> Result<Cli, clap::Error> {
    let mut cmd = Cli::command().color(color_choice(color_in(&argv)));
    let mut matches = cmd.try_get_matches_from_mut(argv)?;
    Cli::from_arg_matches_mut(&mut matches).map_err(|e| e.format(&mut cmd))
}

/// Exit code: nothing breached.
pub const EXIT_OK: i32 = 0;
/// Exit code: a threshold was breached.
pub const EXIT_BREACH: i32 = 1;
/// Exit code: usage, rule or input error.
pub const EXIT_ERROR: i32 = 2;

/// The binary: sets the process up (allocator threads, SIGPIPE), parses the arguments,
/// runs the command, returns the exit code.
#[must_use]
pub fn main() -> i32 {
    crate::alloc::default_sigpipe();
    crate::alloc::configure();
    crate::output::install_signal_handlers();
    let cli = match parse(std::env::args_os().collect()) {
        Ok(c) => c,
        Err(e) => {
            let _ = e.print();
            return if e.use_stderr() { EXIT_ERROR } else { EXIT_OK };
        }
    };
    QUIET.store(cli.quiet, Ordering::Relaxed);
    let _ = LANG.set(cli.lang);
    crate::timing::set_verbose(cli.verbose);
    let result = match cli.command {
        Command::Check(a) => check::run(&a),
        Command::Init(a) => init::run(&a),
        Command::Validate(a) => validate::run(&a),
        Command::Rules(a) => rules::run(&a),
        Command::Explain(a) => explain::run(&a),
        Command::Sql(a) => sql::run(&a),
        Command::Completions(a) => {
            let mut cmd = <args::Cli as clap::CommandFactory>::command();
            clap_complete::generate(a.shell, &mut cmd, "policyqc", &mut std::io::stdout());
            Ok(EXIT_OK)
        }
        Command::Man => man(),
        Command::Schema(a) => {
            print!("{}", a.name.to_json());
            Ok(EXIT_OK)
        }
        Command::Cycle(a) => cycle::run(&a),
        Command::Status(a) => status::run(&a),
        Command::Scorecard(a) => scorecard::run(&a),
        Command::Report(args::ReportCommand::Weekly(a)) => report::weekly(&a),
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

/// `policyqc man`: the manual page of the command and every subcommand, in one roff page.
fn man() -> miette::Result<i32> {
    let cmd = <args::Cli as clap::CommandFactory>::command();
    let mut out = std::io::stdout().lock();
    let page = clap_mangen::Man::new(cmd.clone());
    page.render(&mut out).map_err(|e| miette::miette!("{e}"))?;
    for sub in cmd.get_subcommands() {
        clap_mangen::Man::new(sub.clone())
            .title(format!("policyqc-{}", sub.get_name()))
            .render(&mut out)
            .map_err(|e| miette::miette!("{e}"))?;
    }
    Ok(EXIT_OK)
}

/// Starts a command's output folder (see [`crate::output`]): before any work, so that an
/// `--out` that may not be replaced stops the run at once. `inputs` are the paths the run
/// reads (the data folder, files, `--rules`).
pub(crate) fn begin_output(out: &Path, inputs: &[PathBuf]) -> miette::Result<OutputDir> {
    OutputDir::begin(out, inputs).map_err(miette::Report::new)
}

/// Writes the outputs into the temporary folder with `write`, then puts it in place; on an
/// error nothing at `--out` changes.
pub(crate) fn finish_output<T, E: std::fmt::Display>(
    staged: OutputDir,
    write: impl FnOnce(&Path) -> Result<T, E>,
) -> miette::Result<T> {
    let value = write(staged.path()).map_err(|e| {
        miette::miette!(
            code = "output::write",
            "{}; nothing was written to {}",
            e.to_string().replace(
                &staged.path().display().to_string(),
                &staged.out().display().to_string()
            ),
            staged.out().display()
        )
    })?;
    staged.commit()?;
    Ok(value)
}

/// The console line naming the output folder and the files written into it.
pub(crate) fn written_to(lang: crate::lang::Lang, out: &Path, files: &str) -> String {
    lang.f("written to {}/ ({})", &[&out.display(), &files])
}

/// The inputs of a run: the data sources and the rule folder.
pub(crate) fn inputs(sources: &crate::input::DataSources, rules: Option<&PathBuf>) -> Vec<PathBuf> {
    let mut paths = sources.paths();
    paths.extend(rules.cloned());
    paths
}
