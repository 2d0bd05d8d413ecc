//! The `policyqc` binary: parse, run, exit code (see `policyqc --help`).

/// mimalloc as the allocator: polars allocates column buffers from several threads at once.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() {
    std::process::exit(policyqc::cli::main());
}
