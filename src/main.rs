//! The `policyqc` binary: parse, run, exit code (see `policyqc --help`).

/// mimalloc keeps and reuses freed memory: polars' large column buffers would otherwise be
/// fresh pages from the kernel each time (see Cargo.toml).
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() {
    std::process::exit(policyqc::cli::main());
}
