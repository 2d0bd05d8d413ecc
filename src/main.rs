//! The `policyqc` binary: parse, run, exit code (see `policyqc --help`).

fn main() {
    std::process::exit(policyqc::cli::main());
}
