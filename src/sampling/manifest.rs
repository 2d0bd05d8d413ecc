//! The manifest: everything needed to show, years later, what was sampled and how, and to
//! draw the same sample again: the data file and population hashes, the rule-set hash, the
//! filters, the plan with every parameter and its figures, the method with every parameter,
//! the seed, the tool version and each selected case with its stratum, reason and findings.
//!
//! Written as `manifest.json` (read back by `policyqc verdicts import`) and `manifest.md` (for
//! people). Both are deterministic: no clock time; the `sample_id` is a hash of the rest.

use std::collections::BTreeMap;
use std::fmt::Write as _;

use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

use super::plans::{Plan, PlanResult};
use super::population::{Filters, Population, WeightBy};
use super::select::{Method, Selection};
use super::{SampleError, SampleOptions, Seed, describe_filters};
use crate::check::CheckResult;

/// The rule used for random keys, recorded verbatim.
pub const KEY_RULE: &str = "key = first 8 bytes, big-endian, of SHA-256(\"<seed>:<case_id>\"); random choices take the smallest keys (ties: smaller case id)";

/// The manifest of one sample.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Manifest {
    /// Hash of everything below (first 16 hex digits of SHA-256): names this sample.
    pub sample_id: String,
    /// `policyqc <version>`.
    pub tool: String,
    /// The data read.
    pub data: DataFacts,
    /// The rule set.
    pub rules: RuleFacts,
    /// The filters.
    pub filters: Filters,
    /// The filters in words.
    pub filters_text: String,
    /// The population after the filters.
    pub population: PopulationFacts,
    /// The plan and its figures.
    pub plan: PlanFacts,
    /// The selection method.
    pub method: MethodFacts,
    /// The seed.
    pub seed: u64,
    /// `given` (--seed) or `drawn` (from the operating system).
    pub seed_source: String,
    /// Per stratum: population and cases allocated.
    pub strata: Vec<StratumFacts>,
    /// The selected cases, in selection order.
    pub selected: Vec<SelectedCase>,
    /// Things a reader of the sample must know.
    pub notes: Vec<String>,
}

/// The data read.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DataFacts {
    /// The cases file as given.
    pub cases_file: String,
    /// SHA-256 of its bytes (what `sha256sum` prints).
    pub cases_file_sha256: String,
    /// Rows read.
    pub cases_read: u64,
    /// Values that could not be read (see `policyqc check`'s `data_findings.csv`).
    pub data_findings: u64,
    /// The rules' findings file the sample used instead of evaluating the rules
    /// (`--rule-findings`), as given.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub rule_findings_file: Option<String>,
    /// SHA-256 of its bytes.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub rule_findings_sha256: Option<String>,
}

/// The rule set.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RuleFacts {
    /// Where it came from.
    pub origin: String,
    /// `RuleSet::hash`.
    pub sha256: String,
    /// Number of rules.
    pub count: usize,
}

/// The population after the filters.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PopulationFacts {
    /// Cases.
    pub size: u64,
    /// SHA-256 of every field of every case, in case id order (independent of row order).
    pub sha256: String,
    /// Cases with at least one in-scope finding.
    pub flagged: u64,
}

/// The plan's parameters and figures.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PlanFacts {
    /// `z14`, `attribute` or `fixed`.
    pub plan: String,
    /// Z1.4 inspection level.
    pub level: Option<String>,
    /// Z1.4 AQL as printed in Table II-A.
    pub aql: Option<String>,
    /// The lot size the plan was read for (the population, or `--lot-size`).
    pub lot_size: u64,
    /// Attribute: tolerable deviation rate.
    pub tolerable: Option<String>,
    /// Attribute: tolerable deviation rate in parts per million.
    pub tolerable_ppm: Option<u32>,
    /// Attribute: expected deviation rate.
    pub expected: Option<String>,
    /// Fixed: the size asked.
    pub size: Option<u64>,
    /// Confidence of the evaluation's upper deviation limit.
    pub confidence: String,
    /// The same in parts per million.
    pub confidence_ppm: u32,
    /// Z1.4: code letter of Table I.
    pub code_letter: Option<String>,
    /// Z1.4: letter whose plan applies after following arrows.
    pub code_letter_used: Option<String>,
    /// Cases to inspect.
    pub sample_size: u64,
    /// Acceptance number.
    pub accept: Option<u32>,
    /// Rejection number.
    pub reject: Option<u32>,
    /// Every case of the lot is inspected.
    pub inspect_all: bool,
}

/// The selection method's parameters.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct MethodFacts {
    /// `random`, `stratified`, `flagged-first`, `risk-weighted`.
    pub name: String,
    /// Stratified: `proportional` or `equal`.
    pub allocation: Option<String>,
    /// Stratified: least cases per stratum.
    pub min_per_stratum: Option<u64>,
    /// Stratified: the keys.
    pub strata_by: Vec<String>,
    /// Risk-weighted: the weights.
    pub weight: Option<WeightBy>,
    /// How random keys are made.
    pub random_key: String,
    /// Risk-weighted: the figures of the systematic selection.
    pub pps: Option<PpsRecord>,
}

/// PPS figures (big integers as text).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PpsRecord {
    /// Sum of the weights.
    pub total_weight: String,
    /// Cases of weight 0 (never drawn).
    pub zero_weight_cases: u64,
    /// Cases taken with certainty.
    pub certainty_cases: u64,
    /// Weight left for the systematic part.
    pub systematic_weight: String,
    /// The random start (scaled, see `select`).
    pub start: String,
    /// How the start was drawn.
    pub start_rule: String,
}

/// One stratum.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct StratumFacts {
    /// Name.
    pub stratum: String,
    /// Cases in it.
    pub population: u64,
    /// Cases drawn from it.
    pub allocated: u64,
}

/// One selected case.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SelectedCase {
    /// Position in the selection order.
    pub sample_no: u64,
    /// The case.
    pub case_id: String,
    /// Its stratum.
    pub stratum: String,
    /// Why it was selected.
    pub reason: String,
    /// Drawn at random (not targeted for its findings).
    pub random: bool,
    /// Its random key (16 hex digits).
    pub key: String,
    /// Its in-scope findings.
    pub findings: Vec<FindingRef>,
}

/// A finding of a selected case.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FindingRef {
    /// The rule.
    pub rule_id: String,
    /// Its checkpoint.
    pub checkpoint: String,
    /// Its error point.
    pub error_point: i64,
    /// Its severity.
    pub severity: String,
}

fn sha256_file(path: &str) -> Result<String, SampleError> {
    let bytes = std::fs::read(path)
        .map_err(|e| SampleError::Data(format!("cannot read {path} to hash it: {e}")))?;
    Ok(hex(&Sha256::digest(&bytes)))
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().fold(String::new(), |mut s, b| {
        let _ = write!(s, "{b:02x}");
        s
    })
}

/// The in-scope findings of each case.
pub(crate) fn findings_by_case(pop: &Population) -> BTreeMap<String, Vec<FindingRef>> {
    let f = &pop.findings;
    let ids = crate::input::column_str(f, "case_id");
    let rules = crate::input::column_str(f, "rule_id");
    let cps = crate::input::column_str(f, "checkpoint");
    let sev = crate::input::column_str(f, "severity");
    let eps: Vec<i64> = f
        .column("error_point")
        .ok()
        .and_then(|c| c.cast(&polars::prelude::DataType::Int64).ok())
        .and_then(|c| {
            c.i64()
                .ok()
                .map(|a| a.iter().map(|v| v.unwrap_or(0)).collect())
        })
        .unwrap_or_default();
    let mut out: BTreeMap<String, Vec<FindingRef>> = BTreeMap::new();
    for i in 0..f.height() {
        out.entry(ids[i].clone().unwrap_or_default())
            .or_default()
            .push(FindingRef {
                rule_id: rules[i].clone().unwrap_or_default(),
                checkpoint: cps[i].clone().unwrap_or_default(),
                error_point: eps.get(i).copied().unwrap_or(0),
                severity: sev[i].clone().unwrap_or_default(),
            });
    }
    out
}

impl Manifest {
    /// Builds the manifest of a selection.
    pub fn new(
        check: &CheckResult,
        opts: &SampleOptions,
        seed: Seed,
        pop: &Population,
        plan: &PlanResult,
        selection: &Selection,
    ) -> Result<Manifest, SampleError> {
        let confidence = match opts.plan {
            Plan::Attribute { confidence, .. } => confidence,
            _ => opts.confidence,
        };
        let mut plan_facts = PlanFacts {
            plan: plan.plan.to_owned(),
            level: None,
            aql: None,
            lot_size: plan.population,
            tolerable: None,
            tolerable_ppm: None,
            expected: None,
            size: None,
            confidence: confidence.to_string(),
            confidence_ppm: confidence.ppm(),
            code_letter: plan.code_letter.map(String::from),
            code_letter_used: plan.code_letter_used.map(String::from),
            sample_size: plan.sample_size,
            accept: plan.accept,
            reject: plan.reject,
            inspect_all: plan.inspect_all,
        };
        match opts.plan {
            Plan::Z14 { level, aql } => {
                plan_facts.level = Some(level.label().to_owned());
                plan_facts.aql = Some(aql.label().to_owned());
            }
            Plan::Attribute {
                tolerable,
                expected,
                ..
            } => {
                plan_facts.tolerable = Some(tolerable.to_string());
                plan_facts.tolerable_ppm = Some(tolerable.ppm());
                plan_facts.expected = Some(expected.to_string());
            }
            Plan::Fixed { size } => plan_facts.size = Some(size),
        }
        let (allocation, min_per_stratum) = match &opts.method {
            Method::Stratified {
                allocation,
                min_per_stratum,
            } => (Some(allocation.name().to_owned()), Some(*min_per_stratum)),
            _ => (None, None),
        };
        let method = MethodFacts {
            name: opts.method.name().to_owned(),
            allocation,
            min_per_stratum,
            strata_by: if matches!(opts.method, Method::Stratified { .. }) {
                opts.strata_by.clone()
            } else {
                Vec::new()
            },
            weight: matches!(opts.method, Method::RiskWeighted).then(|| {
                opts.weight
                    .clone()
                    .unwrap_or_else(WeightBy::default_severity)
            }),
            random_key: KEY_RULE.to_owned(),
            pps: selection.pps.map(|p| PpsRecord {
                total_weight: p.total_weight.to_string(),
                zero_weight_cases: p.zero_weight,
                certainty_cases: p.certainty,
                systematic_weight: p.systematic_weight.to_string(),
                start: p.start.to_string(),
                start_rule: "u = first u64 of ChaCha20 (rand_chacha) seeded with SHA-256(\"<seed>:pps-start\"); start = floor(u * systematic_weight / 2^64); units in key order cover [C(i-1)*n, C(i)*n); points start + k*systematic_weight, k = 0..n-1, n = cases left after certainty".into(),
            }),
        };
        let findings = findings_by_case(pop);
        let selected: Vec<SelectedCase> = selection
            .selected
            .iter()
            .map(|s| SelectedCase {
                sample_no: s.sample_no,
                case_id: s.case_id.clone(),
                stratum: s.stratum.clone(),
                reason: s.reason.to_string(),
                random: s.reason.is_random(),
                key: format!("{:016x}", s.key),
                findings: findings.get(&s.case_id).cloned().unwrap_or_default(),
            })
            .collect();
        let mut notes = Vec::new();
        let targeted = selected.iter().filter(|s| !s.random).count();
        if targeted > 0 {
            notes.push(format!(
                "{targeted} case(s) were chosen for their findings, not at random: the deviation rate over the whole sample overstates the population's; `verdicts import` also reports the random part alone"
            ));
        }
        if plan.inspect_all {
            notes.push(format!(
                "the plan's sample reaches the lot size: every one of the {} case(s) is inspected",
                plan.sample_size
            ));
        }
        if let Some(p) = selection.pps
            && p.zero_weight > 0
        {
            notes.push(format!(
                "{} case(s) weigh 0 and could not be drawn by PPS: test them separately",
                p.zero_weight
            ));
        }
        if !check.data_issues.is_empty() {
            notes.push(format!(
                "{} value(s) of the data could not be read (run `policyqc check` for data_findings.csv)",
                check.data_issues.len()
            ));
        }
        if matches!(
            opts.method,
            Method::Stratified {
                allocation: super::select::Allocation::Equal,
                ..
            }
        ) {
            notes.push("equal allocation: strata are sampled at different rates, so the overall sample rate is not a population estimate; read the per-stratum figures".into());
        }
        let mut m = Manifest {
            sample_id: String::new(),
            tool: format!("policyqc {}", env!("CARGO_PKG_VERSION")),
            data: DataFacts {
                cases_file: check.cases_file.clone(),
                cases_file_sha256: sha256_file(&check.cases_file)?,
                cases_read: check.cases_read,
                data_findings: check.data_issues.len() as u64,
                rule_findings_sha256: match &check.rule_findings_file {
                    Some(f) => Some(sha256_file(f)?),
                    None => None,
                },
                rule_findings_file: check.rule_findings_file.clone(),
            },
            rules: RuleFacts {
                origin: check.rules.origin.clone(),
                sha256: check.rules.hash.clone(),
                count: check.rules.rules.len(),
            },
            filters: opts.filters.clone(),
            filters_text: describe_filters(&opts.filters),
            population: PopulationFacts {
                size: pop.size(),
                sha256: pop.hash.clone(),
                flagged: pop.flagged(),
            },
            plan: plan_facts,
            method,
            seed: seed.value,
            seed_source: if seed.drawn { "drawn" } else { "given" }.into(),
            strata: selection
                .strata
                .iter()
                .map(|s| StratumFacts {
                    stratum: s.stratum.clone(),
                    population: s.population,
                    allocated: s.allocated,
                })
                .collect(),
            selected,
            notes,
        };
        m.sample_id = m.compute_id()?;
        Ok(m)
    }

    /// The id: first 16 hex digits of SHA-256 of the JSON with an empty `sample_id`.
    pub fn compute_id(&self) -> Result<String, SampleError> {
        let mut copy = self.clone();
        copy.sample_id = String::new();
        let json = serde_json::to_vec(&copy).map_err(|e| SampleError::Output(e.to_string()))?;
        Ok(hex(&Sha256::digest(&json))[..16].to_owned())
    }

    /// `manifest.json` bytes (pretty, newline at the end).
    pub fn to_json_bytes(&self) -> Result<Vec<u8>, SampleError> {
        let mut v =
            serde_json::to_vec_pretty(self).map_err(|e| SampleError::Output(e.to_string()))?;
        v.push(b'\n');
        Ok(v)
    }

    /// Reads a `manifest.json` and checks its id.
    pub fn read(path: &std::path::Path) -> Result<Manifest, String> {
        let text = std::fs::read_to_string(path)
            .map_err(|e| format!("cannot read the sample manifest {}: {e}", path.display()))?;
        let m: Manifest = serde_json::from_str(&text)
            .map_err(|e| format!("{} is not a policyqc sample manifest: {e}", path.display()))?;
        let id = m.compute_id().map_err(|e| e.to_string())?;
        if id != m.sample_id {
            return Err(format!(
                "{} has been edited since it was written: its content hashes to {id}, not to its sample_id {}",
                path.display(),
                m.sample_id
            ));
        }
        Ok(m)
    }

    /// `manifest.md`: the same facts for people.
    #[must_use]
    pub fn to_markdown(&self) -> String {
        let mut s = String::new();
        let p = &self.plan;
        let _ = writeln!(s, "# Audit sample {}\n", self.sample_id);
        let _ = writeln!(
            s,
            "Drawn by {} with seed **{}** ({}). Drawing again with the same data, rules, filters, plan, method and seed selects the same cases.\n",
            self.tool, self.seed, self.seed_source
        );
        let _ = writeln!(s, "## Data and rules\n");
        let _ = writeln!(s, "| | |\n|---|---|");
        let _ = writeln!(s, "| cases file | `{}` |", self.data.cases_file);
        let _ = writeln!(
            s,
            "| cases file SHA-256 | `{}` |",
            self.data.cases_file_sha256
        );
        let _ = writeln!(s, "| cases read | {} |", self.data.cases_read);
        if let (Some(f), Some(h)) = (
            &self.data.rule_findings_file,
            &self.data.rule_findings_sha256,
        ) {
            let _ = writeln!(
                s,
                "| rules' findings read from (not evaluated here) | `{f}` |\n| its SHA-256 | `{h}` |"
            );
        }
        let _ = writeln!(
            s,
            "| values that could not be read | {} |",
            self.data.data_findings
        );
        let _ = writeln!(
            s,
            "| rules | {} ({} rules) |",
            self.rules.origin, self.rules.count
        );
        let _ = writeln!(s, "| rule-set SHA-256 | `{}` |", self.rules.sha256);
        let _ = writeln!(s, "| filters | {} |", self.filters_text);
        let _ = writeln!(
            s,
            "| population | {} cases ({} flagged) |",
            self.population.size, self.population.flagged
        );
        let _ = writeln!(s, "| population SHA-256 | `{}` |\n", self.population.sha256);
        let _ = writeln!(s, "## Plan\n");
        let _ = writeln!(s, "| | |\n|---|---|");
        let _ = writeln!(s, "| plan | {} |", p.plan);
        let opt = |x: &Option<String>| x.clone().unwrap_or_else(|| "-".into());
        match p.plan.as_str() {
            "z14" => {
                let _ = writeln!(
                    s,
                    "| standard | ANSI/ASQ Z1.4 (ISO 2859-1) single sampling, normal inspection |"
                );
                let _ = writeln!(s, "| inspection level | {} |", opt(&p.level));
                let _ = writeln!(s, "| AQL | {} |", opt(&p.aql));
                let _ = writeln!(s, "| lot size | {} |", p.lot_size);
                let _ = writeln!(s, "| code letter (Table I) | {} |", opt(&p.code_letter));
                let _ = writeln!(
                    s,
                    "| code letter used (Table II-A) | {} |",
                    opt(&p.code_letter_used)
                );
            }
            "attribute" => {
                let _ = writeln!(
                    s,
                    "| standard | AICPA attribute sampling for tests of controls (exact binomial) |"
                );
                let _ = writeln!(s, "| tolerable deviation rate | {} |", opt(&p.tolerable));
                let _ = writeln!(s, "| expected deviation rate | {} |", opt(&p.expected));
            }
            _ => {
                let _ = writeln!(s, "| size asked | {} |", p.size.unwrap_or(0));
            }
        }
        let _ = writeln!(s, "| confidence (evaluation) | {} |", p.confidence);
        let _ = writeln!(s, "| sample size | {} |", p.sample_size);
        let num = |x: Option<u32>| x.map_or_else(|| "-".to_owned(), |v| v.to_string());
        let _ = writeln!(s, "| accept (Ac) | {} |", num(p.accept));
        let _ = writeln!(s, "| reject (Re) | {} |", num(p.reject));
        let _ = writeln!(
            s,
            "| inspect every case | {} |\n",
            if p.inspect_all { "yes" } else { "no" }
        );
        let m = &self.method;
        let _ = writeln!(s, "## Method: {}\n", m.name);
        if let Some(a) = &m.allocation {
            let _ = writeln!(s, "- strata by: {}", m.strata_by.join(", "));
            let _ = writeln!(
                s,
                "- allocation: {a}, at least {} per stratum",
                m.min_per_stratum.unwrap_or(0)
            );
        }
        if let Some(w) = &m.weight {
            let _ = writeln!(
                s,
                "- weight: {}",
                serde_json::to_string(w).unwrap_or_default()
            );
        }
        if let Some(pps) = &m.pps {
            let _ = writeln!(
                s,
                "- total weight {}, {} case(s) of weight 0, {} certainty case(s), systematic weight {}, start {}",
                pps.total_weight,
                pps.zero_weight_cases,
                pps.certainty_cases,
                pps.systematic_weight,
                pps.start
            );
            let _ = writeln!(s, "- start: {}", pps.start_rule);
        }
        let _ = writeln!(s, "- random keys: {}\n", m.random_key);
        let _ = writeln!(s, "| stratum | population | selected |\n|---|---:|---:|");
        for st in &self.strata {
            let _ = writeln!(
                s,
                "| {} | {} | {} |",
                st.stratum, st.population, st.allocated
            );
        }
        if !self.notes.is_empty() {
            let _ = writeln!(s, "\n## Notes\n");
            for n in &self.notes {
                let _ = writeln!(s, "- {n}");
            }
        }
        let _ = writeln!(s, "\n## Selected cases\n");
        let _ = writeln!(
            s,
            "| # | case | stratum | reason | key | findings |\n|---:|---|---|---|---|---|"
        );
        for c in &self.selected {
            let f: Vec<String> = c
                .findings
                .iter()
                .map(|f| format!("{} ({})", f.rule_id, f.severity))
                .collect();
            let _ = writeln!(
                s,
                "| {} | {} | {} | {} | `{}` | {} |",
                c.sample_no,
                c.case_id,
                c.stratum,
                c.reason,
                c.key,
                if f.is_empty() {
                    "-".into()
                } else {
                    f.join(", ")
                }
            );
        }
        s
    }
}
