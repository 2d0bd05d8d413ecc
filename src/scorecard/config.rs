//! The scorecard config (`config/scorecard.yaml`, built into the binary; `--config FILE`
//! replaces it): weights, bands, auto-fail conditions, rewards and penalties, minimum volume,
//! trend and training settings. Read with the located YAML tree, so that every problem is
//! reported at once with its `file:line:column`.

use crate::config::diagnostics::{Diagnostics, Problem, SourceFile, suggest};
use crate::config::reader::{FieldCatalog, MapReader};
use crate::config::yaml::{self, Node, Span, Value};

/// The default config, as shipped in `config/scorecard.yaml`.
pub const DEFAULT_CONFIG: &str = include_str!("../../config/scorecard.yaml");

/// The metrics an auto-fail condition may test (columns of `scorecard.csv`).
pub const AUTO_FAIL_METRICS: [&str; 8] = [
    "findings_critical",
    "findings_major",
    "findings_minor",
    "errors",
    "errors_per_100_cases",
    "misses",
    "catch_rate",
    "rework_caused",
];

/// A band of scores.
#[derive(Debug, Clone, PartialEq)]
pub struct Band {
    /// Its name (`A`).
    pub name: String,
    /// The lowest score in it.
    pub min_score: f64,
}

/// When an auto-fail condition holds.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Test {
    /// metric >= value.
    AtLeast(f64),
    /// metric < value.
    Below(f64),
}

/// A condition that caps the band.
#[derive(Debug, Clone, PartialEq)]
pub struct AutoFail {
    /// Shown in `auto_fail`.
    pub name: String,
    /// A column of [`AUTO_FAIL_METRICS`].
    pub metric: String,
    /// The test.
    pub test: Test,
    /// Index into the bands of the best band allowed.
    pub cap_band: usize,
    /// Whether it also gives a penalty.
    pub penalty: bool,
}

/// The component weights and their parameters.
#[derive(Debug, Clone, PartialEq)]
pub struct Components {
    /// Weight of quality.
    pub quality_weight: f64,
    /// Points lost per weighted error per 100 cases.
    pub quality_points: f64,
    /// Weight of checking (catch rate).
    pub checking_weight: f64,
    /// Weight of rework.
    pub rework_weight: f64,
    /// Points lost per rework per 100 cases.
    pub rework_points: f64,
    /// Weight of volume.
    pub volume_weight: f64,
}

/// The whole config.
#[derive(Debug, Clone, PartialEq)]
pub struct ScorecardConfig {
    /// Cases handled below which an operator is not scored.
    pub minimum_volume: u64,
    /// Weights of critical, major, minor.
    pub severity_weights: [f64; 3],
    /// Components.
    pub components: Components,
    /// Bands, best first.
    pub bands: Vec<Band>,
    /// Auto-fail conditions.
    pub auto_fail: Vec<AutoFail>,
    /// Reward at or above this score.
    pub reward_min_score: f64,
    /// Penalty below this score.
    pub penalty_below_score: f64,
    /// `steady` trend within this many points.
    pub steady_within: f64,
    /// Pareto share for training hints.
    pub pareto_share: f64,
    /// Operators listed per training hint.
    pub max_operators: usize,
    /// SHA-256 of the config text.
    pub hash: String,
    /// Where it came from (a file name or `built-in`).
    pub origin: String,
}

impl ScorecardConfig {
    /// The built-in config.
    pub fn builtin() -> Result<Self, Diagnostics> {
        read(&SourceFile::new(
            "config/scorecard.yaml (built-in)",
            DEFAULT_CONFIG,
        ))
        .map(|mut c| {
            c.origin = String::from("built-in");
            c
        })
    }
}

const TOP_KEYS: &[&str] = &[
    "minimum_volume",
    "severity_weights",
    "components",
    "bands",
    "auto_fail",
    "rewards",
    "penalties",
    "trend",
    "training",
];

/// Reads a scorecard config; every problem is in the diagnostics.
pub fn read(file: &SourceFile) -> Result<ScorecardConfig, Diagnostics> {
    let mut diags = Diagnostics::default();
    let root = match yaml::parse(&file.text, &file.name) {
        Ok(n) => n,
        Err(report) => {
            // The YAML parser's report shows the text but not always the file's name.
            diags
                .syntax
                .push(report.wrap_err(format!("{}: not valid YAML", file.name)));
            return Err(diags);
        }
    };
    let config = read_root(&root, file, &mut diags);
    match config {
        Some(c) if !diags.has_errors() => Ok(c),
        _ => {
            if !diags.has_errors() {
                diags.push(Problem::error(
                    "scorecard::invalid",
                    file,
                    root.span,
                    "the scorecard config is incomplete",
                ));
            }
            Err(diags)
        }
    }
}

fn bad(r: &mut MapReader<'_, '_>, span: Span, msg: impl Into<String>) {
    r.error("scorecard::bad-value", span, msg);
}

fn mapping<'a>(r: &mut MapReader<'a, '_>, key: &str, what: &str) -> Option<&'a Node> {
    let node = r.require(key, what)?;
    if node.as_map().is_none() {
        let found = node.type_name();
        bad(
            r,
            node.span,
            format!("`{key}` must be a mapping, found {found}"),
        );
        return None;
    }
    Some(node)
}

fn number_of(node: &Node) -> Option<f64> {
    match node.value {
        Value::Int(i) => Some(i as f64),
        Value::Float(f) if f.is_finite() => Some(f),
        _ => None,
    }
}

/// A required number within `lo..=hi`.
fn number(r: &mut MapReader<'_, '_>, key: &str, what: &str, lo: f64, hi: f64) -> Option<f64> {
    let node = r.require(key, what)?;
    match number_of(node) {
        Some(v) if (lo..=hi).contains(&v) => Some(v),
        Some(v) => {
            bad(
                r,
                node.span,
                format!("`{key}` is {v}; it must be between {lo} and {hi}"),
            );
            None
        }
        None => {
            let found = node.type_name();
            bad(
                r,
                node.span,
                format!("`{key}` must be a number, found {found}"),
            );
            None
        }
    }
}

fn read_root(root: &Node, file: &SourceFile, diags: &mut Diagnostics) -> Option<ScorecardConfig> {
    let catalog = FieldCatalog::new(Vec::new());
    if root.as_map().is_none() {
        diags.push(Problem::error(
            "scorecard::wrong-type",
            file,
            root.span,
            format!(
                "a scorecard config must be a mapping with keys {}, found {}",
                TOP_KEYS.join(", "),
                root.type_name()
            ),
        ));
        return None;
    }
    let mut r = MapReader::new(root, file, diags, &catalog);
    let minimum_volume = {
        let node = r.require(
            "minimum_volume",
            "cases handled below which an operator is not scored",
        );
        node.and_then(|n| match n.value {
            Value::Int(i) if i >= 0 => Some(i as u64),
            _ => {
                bad(
                    &mut r,
                    n.span,
                    "`minimum_volume` must be a whole number, 0 or more",
                );
                None
            }
        })
    };
    let severity_weights = mapping(
        &mut r,
        "severity_weights",
        "weights of critical, major and minor errors",
    )
    .and_then(|n| {
        let mut s = MapReader::new(n, file, r.diags, &catalog);
        let c = number(
            &mut s,
            "critical",
            "the weight of a critical error",
            0.0,
            1e6,
        );
        let m = number(&mut s, "major", "the weight of a major error", 0.0, 1e6);
        let n2 = number(&mut s, "minor", "the weight of a minor error", 0.0, 1e6);
        s.finish(&["critical", "major", "minor"], "severity_weights");
        Some([c?, m?, n2?])
    });
    let components = mapping(&mut r, "components", "quality, checking, rework and volume")
        .and_then(|n| read_components(n, file, r.diags, &catalog));
    let bands = read_bands(&mut r);
    // Read even when the bands are invalid, so that every problem is reported at once.
    let auto_fail = r
        .require(
            "auto_fail",
            "conditions that cap the band (may be an empty list: [])",
        )
        .and_then(|node| read_auto_fail(node, file, r.diags, &catalog, bands.as_deref()));
    let reward_min_score = mapping(&mut r, "rewards", "`min_score`: the score a reward needs")
        .and_then(|n| {
            let mut s = MapReader::new(n, file, r.diags, &catalog);
            let v = number(&mut s, "min_score", "the score a reward needs", 0.0, 100.0);
            s.finish(&["min_score"], "rewards");
            v
        });
    let penalty_below_score = mapping(
        &mut r,
        "penalties",
        "`below_score`: scores below it get a penalty",
    )
    .and_then(|n| {
        let mut s = MapReader::new(n, file, r.diags, &catalog);
        let v = number(
            &mut s,
            "below_score",
            "scores below it get a penalty",
            0.0,
            100.0,
        );
        s.finish(&["below_score"], "penalties");
        v
    });
    let steady_within = mapping(&mut r, "trend", "`steady_within`: points").and_then(|n| {
        let mut s = MapReader::new(n, file, r.diags, &catalog);
        let v = number(
            &mut s,
            "steady_within",
            "a score change smaller than this is steady",
            0.0,
            100.0,
        );
        s.finish(&["steady_within"], "trend");
        v
    });
    let training =
        mapping(&mut r, "training", "`pareto_share` and `max_operators`").and_then(|n| {
            let mut s = MapReader::new(n, file, r.diags, &catalog);
            let share = number(
                &mut s,
                "pareto_share",
                "the share of errors the listed error points make up",
                0.01,
                1.0,
            );
            let max_ops = s
                .require("max_operators", "operators listed per error point")
                .and_then(|m| match m.value {
                    Value::Int(i) if i >= 1 => Some(i as usize),
                    _ => {
                        bad(
                            &mut s,
                            m.span,
                            "`max_operators` must be a whole number, 1 or more",
                        );
                        None
                    }
                });
            s.finish(&["pareto_share", "max_operators"], "training");
            Some((share?, max_ops?))
        });
    r.finish(TOP_KEYS, "the scorecard config");
    let (pareto_share, max_operators) = training?;
    Some(ScorecardConfig {
        minimum_volume: minimum_volume?,
        severity_weights: severity_weights?,
        components: components?,
        bands: bands?,
        auto_fail: auto_fail?,
        reward_min_score: reward_min_score?,
        penalty_below_score: penalty_below_score?,
        steady_within: steady_within?,
        pareto_share,
        max_operators,
        hash: {
            let mut h = crate::hash::Hasher::new();
            h.update(file.text.as_bytes());
            h.hex()
        },
        origin: file.name.clone(),
    })
}

fn read_components(
    node: &Node,
    file: &SourceFile,
    diags: &mut Diagnostics,
    catalog: &FieldCatalog,
) -> Option<Components> {
    let mut reader = MapReader::new(node, file, diags, catalog);
    let span = reader.span();
    let part =
        |outer: &mut MapReader<'_, '_>, key: &str, what: &str, extra: Option<(&str, &str)>| {
            let n = mapping(outer, key, what)?;
            let mut s = MapReader::new(n, file, outer.diags, catalog);
            let w = number(
                &mut s,
                "weight",
                "the component's weight (0 turns it off)",
                0.0,
                1e6,
            );
            let param = match extra {
                Some((k, what)) => number(&mut s, k, what, 0.0, 1e6),
                None => Some(0.0),
            };
            let mut known = vec!["weight"];
            if let Some((k, _)) = extra {
                known.push(k);
            }
            s.finish(&known, &format!("components.{key}"));
            Some((w?, param?))
        };
    let quality = part(
        &mut reader,
        "quality",
        "weight and points_per_weighted_error_per_100_cases",
        Some((
            "points_per_weighted_error_per_100_cases",
            "points lost per weighted error per 100 cases handled",
        )),
    );
    let checking = part(&mut reader, "checking", "weight", None);
    let rework = part(
        &mut reader,
        "rework",
        "weight and points_per_rework_per_100_cases",
        Some((
            "points_per_rework_per_100_cases",
            "points lost per rework caused per 100 cases handled",
        )),
    );
    let volume = part(&mut reader, "volume", "weight", None);
    reader.finish(&["quality", "checking", "rework", "volume"], "components");
    let (q, c, w, v) = (quality?, checking?, rework?, volume?);
    if q.0 + c.0 + w.0 + v.0 <= 0.0 {
        diags.push(Problem::error(
            "scorecard::bad-value",
            file,
            span,
            "every component has weight 0: nothing would be scored",
        ));
        return None;
    }
    Some(Components {
        quality_weight: q.0,
        quality_points: q.1,
        checking_weight: c.0,
        rework_weight: w.0,
        rework_points: w.1,
        volume_weight: v.0,
    })
}

fn read_bands(r: &mut MapReader<'_, '_>) -> Option<Vec<Band>> {
    let file = r.file();
    let node = r.require(
        "bands",
        "score bands, best first: - { name: A, min_score: 90 }",
    )?;
    let Some(items) = node.as_seq().filter(|s| !s.is_empty()) else {
        bad(
            r,
            node.span,
            "`bands` must be a non-empty list of { name, min_score }",
        );
        return None;
    };
    let catalog = FieldCatalog::new(Vec::new());
    let mut out: Vec<(Band, Span)> = Vec::new();
    let mut ok = true;
    for item in items {
        if item.as_map().is_none() {
            bad(r, item.span, "a band must be a mapping { name, min_score }");
            ok = false;
            continue;
        }
        let mut s = MapReader::new(item, file, r.diags, &catalog);
        let name = s.req_string("name", "the band's name");
        let min = number(
            &mut s,
            "min_score",
            "the lowest score in the band",
            0.0,
            100.0,
        );
        s.finish(&["name", "min_score"], "a band");
        match (name, min) {
            (Some((name, span)), Some(min_score)) => {
                if let Some((first, at)) = out.iter().find(|(b, _)| b.name == name) {
                    let p = Problem::error(
                        "scorecard::duplicate-band",
                        file,
                        span,
                        format!("band `{}` is defined twice", first.name),
                    )
                    .also(*at, "first defined here");
                    r.diags.push(p);
                }
                if let Some((prev, _)) = out.last()
                    && min_score >= prev.min_score
                {
                    bad(
                        r,
                        item.span,
                        format!(
                            "band `{name}` (min_score {min_score}) must have a lower min_score than the band before it (`{}`, {}): bands go best first",
                            prev.name, prev.min_score
                        ),
                    );
                }
                out.push((Band { name, min_score }, item.span));
            }
            _ => ok = false,
        }
    }
    if ok
        && let Some((last, span)) = out.last()
        && last.min_score != 0.0
    {
        bad(
            r,
            *span,
            format!(
                "the last band (`{}`) must have min_score 0, so that every score has a band",
                last.name
            ),
        );
    }
    // Problems of order are recorded above and stop the run; the names are still returned so
    // that `cap_band` can be checked in the same pass.
    ok.then(|| out.into_iter().map(|(b, _)| b).collect())
}

fn read_auto_fail(
    node: &Node,
    file: &SourceFile,
    diags: &mut Diagnostics,
    catalog: &FieldCatalog,
    bands: Option<&[Band]>,
) -> Option<Vec<AutoFail>> {
    let Some(items) = node.as_seq() else {
        diags.push(Problem::error(
            "scorecard::wrong-type",
            file,
            node.span,
            format!("`auto_fail` must be a list, found {}", node.type_name()),
        ));
        return None;
    };
    let mut out = Vec::new();
    let mut ok = true;
    for item in items {
        if item.as_map().is_none() {
            diags.push(Problem::error(
                "scorecard::wrong-type",
                file,
                item.span,
                "an auto-fail condition must be a mapping { name, metric, at_least | below, cap_band }",
            ));
            ok = false;
            continue;
        }
        let mut s = MapReader::new(item, file, diags, catalog);
        let name = s.req_string("name", "shown in the auto_fail column");
        let metric = s
            .req_string("metric", "the scorecard column tested")
            .and_then(|(m, span)| {
                if AUTO_FAIL_METRICS.contains(&m.as_str()) {
                    Some(m)
                } else {
                    let help = suggest(&m, AUTO_FAIL_METRICS).map_or_else(
                        || format!("metrics: {}", AUTO_FAIL_METRICS.join(", ")),
                        |x| format!("did you mean `{x}`?"),
                    );
                    let p = Problem::error(
                        "scorecard::unknown-metric",
                        file,
                        span,
                        format!("unknown metric `{m}`"),
                    )
                    .help(help);
                    s.diags.push(p);
                    None
                }
            });
        let at_least = s
            .has("at_least")
            .then(|| number(&mut s, "at_least", "", -1e12, 1e12));
        let below = s
            .has("below")
            .then(|| number(&mut s, "below", "", -1e12, 1e12));
        let test = match (at_least, below) {
            (Some(Some(v)), None) => Some(Test::AtLeast(v)),
            (None, Some(Some(v))) => Some(Test::Below(v)),
            (Some(_), Some(_)) => {
                let span = s.span();
                bad(&mut s, span, "give either `at_least` or `below`, not both");
                None
            }
            (None, None) => {
                let span = s.span();
                bad(
                    &mut s,
                    span,
                    "missing the test: `at_least: N` (metric >= N) or `below: N` (metric < N)",
                );
                None
            }
            _ => None,
        };
        let cap = s
            .req_string("cap_band", "the best band allowed when the condition holds")
            .and_then(|(b, span)| {
                let bands = bands?;
                let found = bands.iter().position(|x| x.name == b);
                if found.is_none() {
                    let names: Vec<&str> = bands.iter().map(|x| x.name.as_str()).collect();
                    bad(
                        &mut s,
                        span,
                        format!("unknown band `{b}`: bands are {}", names.join(", ")),
                    );
                }
                found
            });
        let penalty = s.opt_bool("penalty").unwrap_or(false);
        s.finish(
            &["name", "metric", "at_least", "below", "cap_band", "penalty"],
            "an auto-fail condition",
        );
        match (name, metric, test, cap) {
            (Some((name, _)), Some(metric), Some(test), Some(cap_band)) => out.push(AutoFail {
                name,
                metric,
                test,
                cap_band,
                penalty,
            }),
            _ => ok = false,
        }
    }
    ok.then_some(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_builtin_config_reads() {
        let c = ScorecardConfig::builtin().expect("built-in config is valid");
        assert_eq!(c.minimum_volume, 20);
        assert_eq!(c.bands.len(), 4);
        assert_eq!(c.auto_fail[0].cap_band, 2);
        assert!(
            c.severity_weights
                .iter()
                .zip([5.0, 2.0, 1.0])
                .all(|(a, b)| (a - b).abs() < 1e-12)
        );
    }
}
