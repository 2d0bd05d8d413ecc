//! Any bytes as a rule file beside the default pack: loads or gives diagnostics, never panics.
#![no_main]

use libfuzzer_sys::fuzz_target;
use policyqc::check::{load_rules, load_settings};
use policyqc::config::columns::ColumnMap;

fuzz_target!(|data: &[u8]| {
    let dir = tempfile::tempdir().expect("tempdir");
    for entry in std::fs::read_dir(concat!(env!("CARGO_MANIFEST_DIR"), "/../rules")).expect("rules/") {
        let p = entry.expect("entry").path();
        if p.extension().is_some_and(|x| x == "yaml") {
            std::fs::copy(&p, dir.path().join(p.file_name().expect("name"))).expect("copy");
        }
    }
    std::fs::write(dir.path().join("fuzzed.yaml"), data).expect("write");
    let settings = load_settings(None).expect("default settings");
    let _ = load_rules(Some(dir.path()), &ColumnMap::default(), &settings);
});
