//! The scorecard config: the built-in default, errors with `file:line:column`, and a config
//! that changes the outcome.

use crate::util::{close, copy_fixture, fixture, fixture_config, scorecard};

#[test]
fn config_errors_are_all_reported_with_their_location() {
    let d = copy_fixture();
    let bad = "\
minimum_volume: -3
severity_weights: { critical: 5, major: 2, minor: 1 }
components:
  quality: { weight: 60, points_per_weighted_error_per_100_cases: 1 }
  checking: { weight: 30 }
  rework: { weight: 10, points_per_rework_per_100_cases: 2 }
  volume: { weight: 0 }
bands:
  - { name: A, min_score: 90 }
  - { name: B, min_score: 95 }
  - { name: D, min_score: 0 }
auto_fail:
  - { name: x, metric: findings_critcal, at_least: 1, cap_band: B }
  - { name: many misses, metric: misses, at_least: 1, cap_band: Z }
rewards: { min_score: 95 }
penalties: { below_score: 60 }
trend: { steady_within: 1.0 }
training: { pareto_share: 0.5, max_operators: 2, colour: red }
";
    let cfg = d.path().join("bad.yaml");
    std::fs::write(&cfg, bad).unwrap();
    let r = scorecard(
        &fixture(),
        "2026-10",
        &["--config", cfg.to_str().unwrap(), "--no-history"],
    );
    r.assert_code(2);
    let e = r.stderr_squashed();
    for want in [
        "`minimum_volume`mustbeawholenumber",
        "bad.yaml:1:17",
        "band`B`(min_score95)musthavealowermin_score",
        "bad.yaml:10:5",
        "unknownmetric`findings_critcal`",
        "didyoumean`findings_critical`?",
        "bad.yaml:13:24",
        "unknownband`Z`",
        "unknownkey`colour`",
        "5problem(s)found;nothingwasrun",
    ] {
        assert!(e.contains(want), "stderr lacks `{want}`:\n{}", r.stderr);
    }
    assert!(!r.out.join("scorecard.csv").exists());
}

#[test]
fn a_syntax_error_names_the_file() {
    let d = copy_fixture();
    let cfg = d.path().join("broken.yaml");
    std::fs::write(&cfg, "minimum_volume: [1, 2\nbands: {").unwrap();
    let r = scorecard(
        &fixture(),
        "2026-10",
        &["--config", cfg.to_str().unwrap(), "--no-history"],
    );
    r.assert_code(2);
    assert!(r.stderr_squashed().contains("broken.yaml"), "{}", r.stderr);
}

#[test]
fn the_critical_cap_bites_when_the_score_is_high() {
    // With 0.1 points per weighted error, A03 (C02 critical, C04 minor, rework 1 in 9 cases):
    // quality = 100 - 0.1 x 66.667 = 93.333, rework = 77.778,
    // score = (60 x 93.333 + 10 x 77.778) / 70 = 91.11: band A by score, capped to B by the
    // critical error; no reward (auto-fail), no penalty.
    let d = copy_fixture();
    let cfg = d.path().join("scorecard.yaml");
    let text = std::fs::read_to_string(fixture_config()).unwrap();
    std::fs::write(
        &cfg,
        text.replace(
            "points_per_weighted_error_per_100_cases: 1 }",
            "points_per_weighted_error_per_100_cases: 0.1 }",
        ),
    )
    .unwrap();
    let r = scorecard(
        &fixture(),
        "2026-10",
        &["--config", cfg.to_str().unwrap(), "--no-history"],
    );
    r.assert_code(0);
    let t = r.table("scorecard.csv");
    close(t.num("operator", "A03", "score"), 91.11, "A03 score");
    assert_eq!(t.get("operator", "A03", "band"), "B");
    assert_eq!(t.get("operator", "A03", "outcome"), "none");
}

#[test]
fn the_builtin_config_is_used_by_default() {
    // Built-in: minimum volume 20, so nobody in the fixture month is rated.
    let r = scorecard(&fixture(), "2026-10", &["--no-history"]);
    r.assert_code(0);
    let t = r.table("scorecard.csv");
    assert!(t.column("score").iter().all(String::is_empty));
    assert!(t.column("outcome").iter().all(|o| o == "not rated"));
    let json: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(r.file("scorecard.json")).unwrap()).unwrap();
    assert_eq!(json["config"], "built-in");
}
