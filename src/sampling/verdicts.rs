//! Verdicts: reading the auditor's filled-in workpaper, checking it against the sample's
//! manifest, and evaluating the sample once verdicts are stored.
//!
//! # Verdicts
//!
//! | verdict | on a row | means |
//! | --- | --- | --- |
//! | `confirmed` | with a `rule_id` | the finding is a real error |
//! | `false_positive` | with a `rule_id` | the rule fired but there is no error |
//! | `new_error` | without a rule | an error the rules missed; `new_error_point` (1-14) required |
//! | `no_error` | without a rule, on a case without findings | inspected, nothing wrong |
//!
//! Case and separators are forgiven (`False positive` is `false_positive`); anything else is an
//! error. A row with an empty verdict is not judged yet. Once any row of a case is judged,
//! every finding of the case must be judged too: a case is judged whole or not at all.
//!
//! # Evaluation
//!
//! A judged case is a **deviation** when it has a confirmed finding or a new error. Over the
//! judged cases: the sample deviation rate, its upper limit at the plan's confidence (exact
//! binomial, AICPA evaluation tables), and the plan's decision: Z1.4 accepts the lot when the
//! deviations are at most `Ac` and rejects it at `Re`; the attribute plan supports reliance on
//! the control when they are at most the allowable number (equivalently, the upper limit is at
//! most the tolerable rate). Per rule, its **precision**: confirmed / judged findings.

use std::collections::{BTreeMap, BTreeSet};
use std::fmt::Write as _;
use std::path::Path;

use serde::Serialize;

use super::manifest::Manifest;
use super::plans::upper_deviation_limit;
use crate::schema::{ERROR_POINTS, STAGES};

/// A verdict.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Verdict {
    /// The finding is a real error.
    Confirmed,
    /// The rule fired but there is no error.
    FalsePositive,
    /// An error the rules missed.
    NewError,
    /// Inspected, nothing wrong (cases without findings).
    NoError,
}

impl Verdict {
    /// All verdicts.
    pub const ALL: [Verdict; 4] = [
        Verdict::Confirmed,
        Verdict::FalsePositive,
        Verdict::NewError,
        Verdict::NoError,
    ];

    /// The name written in files.
    #[must_use]
    pub fn name(self) -> &'static str {
        match self {
            Verdict::Confirmed => "confirmed",
            Verdict::FalsePositive => "false_positive",
            Verdict::NewError => "new_error",
            Verdict::NoError => "no_error",
        }
    }

    /// Parses a name, forgiving case, spaces and hyphens.
    #[must_use]
    pub fn parse(text: &str) -> Option<Verdict> {
        let norm: String = text
            .trim()
            .chars()
            .map(|c| match c {
                ' ' | '-' => '_',
                c => c.to_ascii_lowercase(),
            })
            .collect();
        Self::ALL.into_iter().find(|v| v.name() == norm)
    }
}

/// One verdict, as read and stored.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct VerdictRow {
    /// The row of the file (header = row 1).
    pub row: u64,
    /// The case.
    pub case_id: String,
    /// The finding's rule (empty for `new_error` and `no_error`).
    pub rule_id: String,
    /// The verdict.
    pub verdict: Verdict,
    /// `new_error`: the error point.
    pub error_point: Option<u8>,
    /// `new_error`: the stage (given, or the error point's origin stage).
    pub stage: String,
    /// `new_error`: the severity, if given.
    pub severity: String,
    /// Who judged.
    pub auditor: String,
    /// When (as `YYYY-MM-DD HH:MM:SS`), if given.
    pub judged_at: String,
    /// Remarks.
    pub note: String,
}

impl VerdictRow {
    /// What makes two verdicts the same one: the finding's rule, the new error's point and
    /// stage, or `no_error`.
    #[must_use]
    pub fn key(&self) -> String {
        match self.verdict {
            Verdict::Confirmed | Verdict::FalsePositive => format!("rule:{}", self.rule_id),
            Verdict::NewError => {
                format!("new_error:{}:{}", self.error_point.unwrap_or(0), self.stage)
            }
            Verdict::NoError => "no_error".into(),
        }
    }
}

/// The verdicts of one file, checked against the manifest.
#[derive(Debug, Clone)]
pub struct VerdictBatch {
    /// The file.
    pub file: String,
    /// Its SHA-256.
    pub file_sha256: String,
    /// The verdicts, in file order.
    pub rows: Vec<VerdictRow>,
    /// The cases judged.
    pub cases: BTreeSet<String>,
}

/// Why a verdict file was refused (nothing was stored).
#[derive(Debug, thiserror::Error, miette::Diagnostic)]
pub enum VerdictError {
    /// The file could not be read.
    #[error("{0}")]
    #[diagnostic(code(verdicts::read))]
    Read(String),
    /// The file has problems; all are listed.
    #[error("{file}: {} problem(s); nothing was imported:\n{}", problems.len(), list(problems))]
    #[diagnostic(
        code(verdicts::invalid),
        help(
            "verdicts are confirmed or false_positive on a finding row, no_error or new_error (with new_error_point 1-14) on a row without a rule; fix the rows and import again"
        )
    )]
    Invalid {
        /// The file.
        file: String,
        /// One line per problem.
        problems: Vec<String>,
    },
}

fn list(problems: &[String]) -> String {
    let mut s = String::new();
    for p in problems.iter().take(30) {
        let _ = writeln!(s, "  - {p}");
    }
    if problems.len() > 30 {
        let _ = writeln!(s, "  ... and {} more", problems.len() - 30);
    }
    s.trim_end().to_owned()
}

fn normalise_time(text: &str) -> Option<String> {
    let t = text.trim();
    if let Ok(d) = chrono::NaiveDate::parse_from_str(t, "%Y-%m-%d") {
        return Some(format!("{d} 00:00:00"));
    }
    for f in ["%Y-%m-%d %H:%M:%S", "%Y-%m-%dT%H:%M:%S", "%Y-%m-%d %H:%M"] {
        if let Ok(d) = chrono::NaiveDateTime::parse_from_str(t, f) {
            return Some(d.format("%Y-%m-%d %H:%M:%S").to_string());
        }
    }
    None
}

/// Reads a verdict file (the workpaper CSV, filled in) and checks it against the manifest.
/// Every problem is collected; any problem refuses the whole file.
pub fn read(path: &Path, manifest: &Manifest) -> Result<VerdictBatch, VerdictError> {
    let file = path.display().to_string();
    let bytes =
        std::fs::read(path).map_err(|e| VerdictError::Read(format!("cannot read {file}: {e}")))?;
    let file_sha256 = {
        use sha2::{Digest, Sha256};
        Sha256::digest(&bytes)
            .iter()
            .fold(String::new(), |mut s, b| {
                let _ = write!(s, "{b:02x}");
                s
            })
    };
    if path
        .extension()
        .is_some_and(|e| e.eq_ignore_ascii_case("xlsx"))
    {
        return Err(VerdictError::Read(format!(
            "{file} is an Excel file: save the `sample` sheet as CSV (UTF-8) and import that"
        )));
    }
    let text = String::from_utf8(bytes.clone()).map_err(|_| {
        VerdictError::Read(format!("{file} is not UTF-8 text: save it as CSV UTF-8"))
    })?;
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(true)
        .flexible(false)
        .from_reader(text.trim_start_matches('\u{feff}').as_bytes());
    let header: Vec<String> = reader
        .headers()
        .map_err(|e| VerdictError::Read(format!("{file}: {e}")))?
        .iter()
        .map(|h| h.trim().to_owned())
        .collect();
    let idx = |name: &str| header.iter().position(|h| h == name);
    let missing: Vec<&str> = ["case_id", "rule_id", "verdict"]
        .into_iter()
        .filter(|c| idx(c).is_none())
        .collect();
    if !missing.is_empty() {
        return Err(VerdictError::Invalid {
            file,
            problems: vec![format!(
                "the header lacks column(s) {}: import the workpaper sample.csv with its verdicts filled in",
                missing.join(", ")
            )],
        });
    }
    let findings: BTreeMap<&str, BTreeSet<&str>> = manifest
        .selected
        .iter()
        .map(|s| {
            (
                s.case_id.as_str(),
                s.findings.iter().map(|f| f.rule_id.as_str()).collect(),
            )
        })
        .collect();
    let mut problems = Vec::new();
    let mut rows = Vec::new();
    let mut seen: BTreeMap<(String, String), u64> = BTreeMap::new();
    for (i, rec) in reader.records().enumerate() {
        let row = i as u64 + 2;
        let rec = match rec {
            Ok(r) => r,
            Err(e) => {
                problems.push(format!("row {row}: {e}"));
                continue;
            }
        };
        let get = |name: &str| {
            idx(name)
                .and_then(|c| rec.get(c))
                .map_or("", str::trim)
                .to_owned()
        };
        if rec.iter().all(|v| v.trim().is_empty()) {
            continue;
        }
        let sample_id = get("sample_id");
        if !sample_id.is_empty() && sample_id != manifest.sample_id {
            problems.push(format!(
                "row {row}, column sample_id: `{sample_id}` is another sample than the manifest's {}",
                manifest.sample_id
            ));
            continue;
        }
        let case_id = get("case_id");
        let Some(case_findings) = findings.get(case_id.as_str()) else {
            problems.push(format!(
                "row {row}, column case_id: case `{case_id}` is not in sample {}",
                manifest.sample_id
            ));
            continue;
        };
        let rule_id = get("rule_id");
        let raw = get("verdict");
        let ep_text = get("new_error_point");
        if raw.is_empty() {
            if !ep_text.is_empty() {
                problems.push(format!(
                    "row {row}: new_error_point is set but the verdict is empty (write new_error)"
                ));
            }
            continue;
        }
        let Some(verdict) = Verdict::parse(&raw) else {
            problems.push(format!(
                "row {row}, column verdict: `{raw}` is not a verdict; use confirmed, false_positive, no_error or new_error"
            ));
            continue;
        };
        let mut error_point = None;
        let mut stage = String::new();
        let mut severity = String::new();
        match verdict {
            Verdict::Confirmed | Verdict::FalsePositive => {
                if rule_id.is_empty() {
                    problems.push(format!(
                        "row {row}: `{}` needs a finding, and the row has no rule_id (use new_error or no_error on a row without a rule)",
                        verdict.name()
                    ));
                    continue;
                }
                if !case_findings.contains(rule_id.as_str()) {
                    problems.push(format!(
                        "row {row}, column rule_id: rule `{rule_id}` did not flag case {case_id} in this sample"
                    ));
                    continue;
                }
            }
            Verdict::NewError | Verdict::NoError => {
                if !rule_id.is_empty() {
                    problems.push(format!(
                        "row {row}: `{}` on a finding row (rule {rule_id}); judge a finding confirmed or false_positive, and record a new error on a row of its own with the rule columns empty",
                        verdict.name()
                    ));
                    continue;
                }
            }
        }
        if verdict == Verdict::NewError {
            match ep_text.parse::<u8>() {
                Ok(p) if (1..=14).contains(&p) => error_point = Some(p),
                _ => {
                    problems.push(format!(
                        "row {row}, column new_error_point: `{ep_text}` is not an error point 1-14 (a new_error needs one)"
                    ));
                    continue;
                }
            }
            stage = get("new_error_stage");
            if stage.is_empty() {
                ERROR_POINTS
                    .iter()
                    .find(|e| Some(e.0) == error_point)
                    .map_or("", |e| e.2)
                    .clone_into(&mut stage);
            } else if !STAGES.contains(&stage.as_str()) {
                problems.push(format!(
                    "row {row}, column new_error_stage: `{stage}` is not a stage ({})",
                    STAGES.join(", ")
                ));
                continue;
            }
            severity = get("new_error_severity");
            if !severity.is_empty() && crate::rules::Severity::from_name(&severity).is_none() {
                problems.push(format!(
                    "row {row}, column new_error_severity: `{severity}` is not critical, major or minor"
                ));
                continue;
            }
        } else if !ep_text.is_empty() {
            problems.push(format!(
                "row {row}: new_error_point is only for a new_error, and the verdict is {}",
                verdict.name()
            ));
            continue;
        }
        let judged_raw = get("judged_at");
        let judged_at = if judged_raw.is_empty() {
            String::new()
        } else if let Some(t) = normalise_time(&judged_raw) {
            t
        } else {
            problems.push(format!(
                "row {row}, column judged_at: `{judged_raw}` is not a date (YYYY-MM-DD) or timestamp (YYYY-MM-DD HH:MM:SS)"
            ));
            continue;
        };
        let v = VerdictRow {
            row,
            case_id,
            rule_id,
            verdict,
            error_point,
            stage,
            severity,
            auditor: get("auditor"),
            judged_at,
            note: get("note"),
        };
        if let Some(first) = seen.insert((v.case_id.clone(), v.key()), row) {
            problems.push(format!(
                "row {row}: duplicate verdict for case {} ({}), already given on row {first}",
                v.case_id,
                v.key()
            ));
            continue;
        }
        rows.push(v);
    }
    // A case is judged whole: every finding judged; no_error only alone and without findings.
    let mut by_case: BTreeMap<&str, Vec<&VerdictRow>> = BTreeMap::new();
    for r in &rows {
        by_case.entry(r.case_id.as_str()).or_default().push(r);
    }
    for (case, vs) in &by_case {
        let judged: BTreeSet<&str> = vs
            .iter()
            .filter(|v| !v.rule_id.is_empty())
            .map(|v| v.rule_id.as_str())
            .collect();
        let all = &findings[case];
        let unjudged: Vec<&&str> = all.iter().filter(|r| !judged.contains(**r)).collect();
        if !unjudged.is_empty() {
            problems.push(format!(
                "case {case} is judged in part: finding(s) {} have no verdict; judge every finding of a case, or none",
                unjudged.iter().map(|s| format!("`{s}`")).collect::<Vec<_>>().join(", ")
            ));
        }
        if let Some(no) = vs.iter().find(|v| v.verdict == Verdict::NoError) {
            if !all.is_empty() {
                problems.push(format!(
                    "row {}: no_error on case {case}, which has findings; judge each finding confirmed or false_positive",
                    no.row
                ));
            } else if vs.len() > 1 {
                problems.push(format!(
                    "row {}: no_error on case {case} contradicts its other verdict(s)",
                    no.row
                ));
            }
        }
    }
    if rows.is_empty() && problems.is_empty() {
        problems.push("no verdicts: the verdict column is empty on every row".into());
    }
    if !problems.is_empty() {
        return Err(VerdictError::Invalid { file, problems });
    }
    let cases = rows.iter().map(|r| r.case_id.clone()).collect();
    Ok(VerdictBatch {
        file,
        file_sha256,
        rows,
        cases,
    })
}

// ================================================================================================
// Evaluation
// ================================================================================================

/// Deviation figures over a set of judged cases.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Figures {
    /// Cases judged.
    pub judged: u64,
    /// Judged cases with a confirmed finding or a new error.
    pub deviations: u64,
    /// deviations / judged.
    pub deviation_rate: Option<f64>,
    /// Upper deviation limit at the confidence (exact binomial).
    pub upper_deviation_limit: Option<f64>,
}

/// One rule's precision.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct RulePrecision {
    /// The rule.
    pub rule_id: String,
    /// Findings confirmed.
    pub confirmed: u64,
    /// Findings judged false positive.
    pub false_positive: u64,
    /// Findings judged.
    pub judged: u64,
    /// confirmed / judged.
    pub precision: f64,
}

/// The evaluation of a sample from its stored verdicts.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Evaluation {
    /// The sample.
    pub sample_id: String,
    /// `z14`, `attribute` or `fixed`.
    pub plan: String,
    /// Cases in the sample.
    pub sample_size: u64,
    /// Confidence of the upper limits.
    pub confidence: String,
    /// Over every judged case.
    pub sample: Figures,
    /// Over the judged cases drawn at random, when some cases were targeted (flagged first).
    pub random_part: Option<Figures>,
    /// Acceptance number of the plan.
    pub accept: Option<u32>,
    /// Rejection number of the plan.
    pub reject: Option<u32>,
    /// Attribute: tolerable deviation rate.
    pub tolerable: Option<String>,
    /// `accept`/`reject` (Z1.4), `rely`/`do_not_rely` (attribute), `pending` (not all judged
    /// and not yet decided), `none` (fixed plan).
    pub decision: String,
    /// The decision in words.
    pub decision_text: String,
    /// Per stratum: (stratum, judged, deviations).
    pub strata: Vec<(String, u64, u64)>,
    /// Per rule, weakest first.
    pub rules: Vec<RulePrecision>,
    /// New errors per error point: (error point, count).
    pub new_errors: Vec<(u8, u64)>,
    /// Sampled cases without a verdict yet.
    pub not_judged: Vec<String>,
}

fn figures(judged: u64, deviations: u64, confidence: f64) -> Figures {
    Figures {
        judged,
        deviations,
        deviation_rate: (judged > 0).then(|| deviations as f64 / judged as f64),
        upper_deviation_limit: if judged > 0 {
            upper_deviation_limit(judged, deviations, confidence).ok()
        } else {
            None
        },
    }
}

/// Evaluates a sample from all its stored verdicts.
#[must_use]
pub fn evaluate(manifest: &Manifest, verdicts: &[VerdictRow]) -> Evaluation {
    let confidence = f64::from(manifest.plan.confidence_ppm) / 1e6;
    let mut by_case: BTreeMap<&str, Vec<&VerdictRow>> = BTreeMap::new();
    for v in verdicts {
        by_case.entry(v.case_id.as_str()).or_default().push(v);
    }
    let deviates = |vs: &Vec<&VerdictRow>| {
        vs.iter()
            .any(|v| matches!(v.verdict, Verdict::Confirmed | Verdict::NewError))
    };
    let (mut judged, mut dev, mut r_judged, mut r_dev) = (0, 0, 0, 0);
    let mut strata: BTreeMap<String, (u64, u64)> = BTreeMap::new();
    let mut not_judged = Vec::new();
    for s in &manifest.selected {
        let e = strata.entry(s.stratum.clone()).or_default();
        match by_case.get(s.case_id.as_str()) {
            Some(vs) => {
                let d = u64::from(deviates(vs));
                judged += 1;
                dev += d;
                e.0 += 1;
                e.1 += d;
                if s.random {
                    r_judged += 1;
                    r_dev += d;
                }
            }
            None => not_judged.push(s.case_id.clone()),
        }
    }
    let targeted = manifest.selected.iter().any(|s| !s.random);
    let n = manifest.plan.sample_size;
    let complete = judged == n;
    let p = &manifest.plan;
    let (decision, text) = match p.plan.as_str() {
        "z14" => {
            let (ac, re) = (
                u64::from(p.accept.unwrap_or(0)),
                u64::from(p.reject.unwrap_or(1)),
            );
            if dev >= re {
                (
                    "reject",
                    format!("reject the lot: {dev} nonconforming case(s) reach Re = {re}"),
                )
            } else if complete {
                (
                    "accept",
                    format!("accept the lot: {dev} nonconforming case(s), at most Ac = {ac}"),
                )
            } else {
                (
                    "pending",
                    format!(
                        "pending: {judged} of {n} cases judged, {dev} nonconforming so far (Ac = {ac}, Re = {re})"
                    ),
                )
            }
        }
        "attribute" => match p.accept {
            Some(a) if dev > u64::from(a) => (
                "do_not_rely",
                format!(
                    "do not rely on the control: {dev} deviation(s), more than the {a} the plan allows at tolerable rate {}",
                    p.tolerable.clone().unwrap_or_default()
                ),
            ),
            Some(a) if complete => (
                "rely",
                format!(
                    "the control can be relied on: {dev} deviation(s), at most the {a} the plan allows at tolerable rate {}",
                    p.tolerable.clone().unwrap_or_default()
                ),
            ),
            Some(a) => (
                "pending",
                format!(
                    "pending: {judged} of {n} cases judged, {dev} deviation(s) so far (allowed: {a})"
                ),
            ),
            None if complete => {
                let udl = figures(judged, dev, confidence)
                    .upper_deviation_limit
                    .unwrap_or(1.0);
                let tol = f64::from(p.tolerable_ppm.unwrap_or(0)) / 1e6;
                if udl <= tol {
                    (
                        "rely",
                        format!(
                            "the control can be relied on: upper deviation limit {:.2}% at most the tolerable {:.2}%",
                            udl * 100.0,
                            tol * 100.0
                        ),
                    )
                } else {
                    (
                        "do_not_rely",
                        format!(
                            "do not rely on the control: upper deviation limit {:.2}% above the tolerable {:.2}%",
                            udl * 100.0,
                            tol * 100.0
                        ),
                    )
                }
            }
            None => ("pending", format!("pending: {judged} of {n} cases judged")),
        },
        _ => (
            "none",
            "a fixed-size sample has no decision rule: read the rate and its upper limit".into(),
        ),
    };
    let mut rules: BTreeMap<&str, (u64, u64)> = BTreeMap::new();
    let mut new_errors: BTreeMap<u8, u64> = BTreeMap::new();
    for v in verdicts {
        match v.verdict {
            Verdict::Confirmed => rules.entry(v.rule_id.as_str()).or_default().0 += 1,
            Verdict::FalsePositive => rules.entry(v.rule_id.as_str()).or_default().1 += 1,
            Verdict::NewError => *new_errors.entry(v.error_point.unwrap_or(0)).or_default() += 1,
            Verdict::NoError => {}
        }
    }
    let mut rules: Vec<RulePrecision> = rules
        .into_iter()
        .map(|(r, (c, f))| RulePrecision {
            rule_id: r.to_owned(),
            confirmed: c,
            false_positive: f,
            judged: c + f,
            precision: c as f64 / (c + f) as f64,
        })
        .collect();
    rules.sort_by(|a, b| {
        a.precision
            .total_cmp(&b.precision)
            .then(b.judged.cmp(&a.judged))
            .then(a.rule_id.cmp(&b.rule_id))
    });
    Evaluation {
        sample_id: manifest.sample_id.clone(),
        plan: p.plan.clone(),
        sample_size: n,
        confidence: p.confidence.clone(),
        sample: figures(judged, dev, confidence),
        random_part: targeted.then(|| figures(r_judged, r_dev, confidence)),
        accept: p.accept,
        reject: p.reject,
        tolerable: p.tolerable.clone(),
        decision: decision.to_owned(),
        decision_text: text,
        strata: strata.into_iter().map(|(s, (j, d))| (s, j, d)).collect(),
        rules,
        new_errors: new_errors.into_iter().collect(),
        not_judged,
    }
}

fn pct(x: Option<f64>) -> String {
    x.map_or_else(|| "-".into(), |v| format!("{:.2}%", v * 100.0))
}

impl Evaluation {
    /// `evaluation.md` and the terminal report.
    #[must_use]
    pub fn to_markdown(&self) -> String {
        let mut s = String::new();
        let _ = writeln!(s, "# Evaluation of sample {}\n", self.sample_id);
        let _ = writeln!(s, "**{}**\n", self.decision_text);
        let _ = writeln!(
            s,
            "| | cases judged | deviations | deviation rate | upper limit ({}) |\n|---|---:|---:|---:|---:|",
            self.confidence
        );
        let f = &self.sample;
        let _ = writeln!(
            s,
            "| sample ({} cases, plan {}) | {} | {} | {} | {} |",
            self.sample_size,
            self.plan,
            f.judged,
            f.deviations,
            pct(f.deviation_rate),
            pct(f.upper_deviation_limit)
        );
        if let Some(r) = &self.random_part {
            let _ = writeln!(
                s,
                "| random part only | {} | {} | {} | {} |",
                r.judged,
                r.deviations,
                pct(r.deviation_rate),
                pct(r.upper_deviation_limit)
            );
            let _ = writeln!(
                s,
                "\nSome cases were chosen for their findings: the whole-sample rate overstates the population's; the random part is the estimate."
            );
        }
        if !self.not_judged.is_empty() {
            let _ = writeln!(
                s,
                "\n{} case(s) not judged yet: {}",
                self.not_judged.len(),
                self.not_judged.join(", ")
            );
        }
        if self.strata.len() > 1 {
            let _ = writeln!(
                s,
                "\n## Per stratum\n\n| stratum | judged | deviations |\n|---|---:|---:|"
            );
            for (st, j, d) in &self.strata {
                let _ = writeln!(s, "| {st} | {j} | {d} |");
            }
        }
        let _ = writeln!(
            s,
            "\n## Rule precision (confirmed / judged), weakest first\n\n| rule | confirmed | false positive | judged | precision |\n|---|---:|---:|---:|---:|"
        );
        for r in &self.rules {
            let _ = writeln!(
                s,
                "| {} | {} | {} | {} | {:.2}% |",
                r.rule_id,
                r.confirmed,
                r.false_positive,
                r.judged,
                r.precision * 100.0
            );
        }
        if !self.new_errors.is_empty() {
            let _ = writeln!(
                s,
                "\n## New errors the rules missed\n\n| error point | cases |\n|---:|---:|"
            );
            for (p, n) in &self.new_errors {
                let _ = writeln!(s, "| {p} | {n} |");
            }
        }
        s
    }

    /// `rule_precision.csv`.
    #[must_use]
    pub fn rule_precision_csv(&self) -> Vec<u8> {
        let mut s = String::from("rule_id,confirmed,false_positive,judged,precision\n");
        for r in &self.rules {
            let _ = writeln!(
                s,
                "{},{},{},{},{:.6}",
                csv_field(&r.rule_id),
                r.confirmed,
                r.false_positive,
                r.judged,
                r.precision
            );
        }
        s.into_bytes()
    }
}

fn csv_field(s: &str) -> String {
    if s.contains([',', '"', '\n', '\r']) {
        format!("\"{}\"", s.replace('"', "\"\""))
    } else {
        s.to_owned()
    }
}

/// The new errors as people's findings (SCHEMA.md `findings`: `case_id, stage, error_point,
/// severity, found_by, found_at, source, note`, source `audit`), sorted by case, error point
/// and stage, so `check` and the scorecard can read them with the other findings.
#[must_use]
pub fn people_findings_csv(verdicts: &[VerdictRow]) -> Vec<u8> {
    let mut rows: Vec<&VerdictRow> = verdicts
        .iter()
        .filter(|v| v.verdict == Verdict::NewError)
        .collect();
    rows.sort_by(|a, b| {
        (a.case_id.as_str(), a.error_point, a.stage.as_str()).cmp(&(
            b.case_id.as_str(),
            b.error_point,
            b.stage.as_str(),
        ))
    });
    let mut w = csv::WriterBuilder::new()
        .terminator(csv::Terminator::Any(b'\n'))
        .from_writer(Vec::new());
    let _ = w.write_record([
        "case_id",
        "stage",
        "error_point",
        "severity",
        "found_by",
        "found_at",
        "source",
        "note",
    ]);
    for v in rows {
        let ep = v.error_point.map(|p| p.to_string()).unwrap_or_default();
        let _ = w.write_record([
            v.case_id.as_str(),
            v.stage.as_str(),
            ep.as_str(),
            v.severity.as_str(),
            v.auditor.as_str(),
            v.judged_at.as_str(),
            "audit",
            v.note.as_str(),
        ]);
    }
    w.into_inner().unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn verdict_names_are_forgiving_but_closed() {
        assert_eq!(
            Verdict::parse("False positive"),
            Some(Verdict::FalsePositive)
        );
        assert_eq!(Verdict::parse(" CONFIRMED "), Some(Verdict::Confirmed));
        assert_eq!(Verdict::parse("new-error"), Some(Verdict::NewError));
        assert_eq!(Verdict::parse("ok"), None);
        assert_eq!(Verdict::parse("maybe"), None);
    }

    #[test]
    fn judged_at_accepts_dates_and_timestamps() {
        assert_eq!(
            normalise_time("2026-11-02").as_deref(),
            Some("2026-11-02 00:00:00")
        );
        assert_eq!(
            normalise_time("2026-11-02 14:05").as_deref(),
            Some("2026-11-02 14:05:00")
        );
        assert_eq!(normalise_time("02/11/2026"), None);
    }
}
