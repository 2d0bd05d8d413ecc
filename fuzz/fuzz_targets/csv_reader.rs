//! Any bytes as cases.csv through the whole check: a result or an error, never a panic.
#![no_main]

use libfuzzer_sys::fuzz_target;
use policyqc::check::{CheckOptions, run_check};
use policyqc::input::DataSources;

fuzz_target!(|data: &[u8]| {
    let dir = tempfile::tempdir().expect("tempdir");
    std::fs::write(dir.path().join("cases.csv"), data).expect("write");
    let _ = run_check(&CheckOptions {
        sources: DataSources::from_folder(dir.path()),
        rules_dir: None,
        strict: false,
    });
});
