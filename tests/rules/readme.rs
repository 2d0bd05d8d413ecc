//! rules/README.md's generated parts must be the current output of the commands that make
//! them. Each part sits between `<!-- BEGIN GENERATED: policyqc ARGS -->` and
//! `<!-- END GENERATED -->`; this test runs `policyqc ARGS` for every such part and fails when
//! the text between the markers differs.
//!
//! Refresh them with
//! `POLICYQC_REFRESH_README=1 cargo nextest run --test rules -E 'test(readme)'`
//! (rewrites the parts in place, then passes).

use crate::support::policyqc;

const BEGIN: &str = "<!-- BEGIN GENERATED: policyqc ";
const END: &str = "<!-- END GENERATED -->";

/// Every generated part of `readme`: (the command's arguments, byte range of the part).
fn parts(readme: &str) -> Vec<(Vec<String>, std::ops::Range<usize>)> {
    let mut out = Vec::new();
    let mut from = 0;
    while let Some(pos) = readme[from..].find(BEGIN) {
        let args_at = from + pos + BEGIN.len();
        let line_end = args_at + readme[args_at..].find('\n').expect("marker line ends");
        let args = readme[args_at..line_end]
            .trim_end()
            .strip_suffix("-->")
            .expect("BEGIN marker ends with -->");
        let body = line_end + 1;
        let end = body + readme[body..].find(END).expect("every BEGIN has an END");
        out.push((
            args.split_whitespace().map(str::to_string).collect(),
            body..end,
        ));
        from = end + END.len();
    }
    out
}

#[test]
fn rules_readme_generated_parts_are_current() {
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/rules/README.md");
    let readme = std::fs::read_to_string(path).expect("rules/README.md exists");
    let parts = parts(&readme);
    let commands: Vec<String> = parts.iter().map(|(a, _)| a.join(" ")).collect();
    assert_eq!(commands, ["rules --settings", "rules --kinds"]);
    let refresh = std::env::var_os("POLICYQC_REFRESH_README").is_some();
    let mut fresh = readme.clone();
    let mut stale = Vec::new();
    // Back to front, so earlier ranges stay valid while later parts are replaced.
    for (args, range) in parts.iter().rev() {
        let out = policyqc().args(args).output().expect("run policyqc");
        assert!(out.status.success(), "policyqc {}", args.join(" "));
        let text = String::from_utf8(out.stdout).expect("UTF-8");
        assert!(text.lines().count() > 3, "{text}");
        if readme[range.clone()] != text {
            stale.push(args.join(" "));
            fresh.replace_range(range.clone(), &text);
        }
    }
    if refresh && !stale.is_empty() {
        std::fs::write(path, &fresh).expect("write rules/README.md");
        return;
    }
    assert!(
        stale.is_empty(),
        "rules/README.md is stale for `policyqc {}`; refresh it with \
         `POLICYQC_REFRESH_README=1 cargo nextest run --test rules -E 'test(readme)'`",
        stale.join("`, `policyqc ")
    );
}

#[test]
fn a_changed_part_is_found() {
    let readme = format!("a\n{BEGIN}rules --kinds -->\nold\n{END}\nb\n{BEGIN}x y -->\n{END}\n");
    let p = parts(&readme);
    assert_eq!(p.len(), 2);
    assert_eq!(p[0].0, ["rules", "--kinds"]);
    assert_eq!(&readme[p[0].1.clone()], "old\n");
    assert_eq!(p[1].0, ["x", "y"]);
    assert_eq!(&readme[p[1].1.clone()], "");
}
