//! rules/README.md must carry the current kind reference, as `policyqc rules --kinds` prints it.

use crate::support::policyqc;

#[test]
fn rules_readme_contains_the_kind_reference_verbatim() {
    let out = policyqc()
        .args(["rules", "--kinds"])
        .output()
        .expect("run policyqc");
    assert!(out.status.success());
    let reference = String::from_utf8(out.stdout).expect("UTF-8");
    assert!(reference.contains("### expr"), "{reference}");
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/rules/README.md");
    let readme = std::fs::read_to_string(path).expect("rules/README.md exists");
    assert!(
        readme.contains(&reference),
        "rules/README.md is stale: replace its kind reference with the output of \
         `policyqc rules --kinds`"
    );
}
