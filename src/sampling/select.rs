//! Selecting the sample: simple random, stratified (proportional or equal allocation with a
//! minimum per stratum), flagged first (by severity, then random) and risk-weighted
//! (probability proportional to size, the auditor's monetary-unit selection).
//!
//! # Why the selection is reproducible anywhere
//!
//! Every case gets a *random key* that depends only on the seed and its own case id:
//!
//! ```text
//! key(seed, case_id) = first 8 bytes, big-endian, of SHA-256("<seed in decimal>:<case_id>")
//! ```
//!
//! Random choices are "the cases with the smallest keys" (ties, which SHA-256 makes
//! astronomically unlikely, go to the smaller case id). So the sample does not depend on the
//! order of the rows in the input file, on the thread count or on the machine, and anyone can
//! recompute it with any SHA-256 tool (`tests/sampling/reference.py` does, in Python). A case's
//! key does not change when other cases join or leave the population (these are *permanent
//! random numbers* in survey-sampling terms).
//!
//! The one draw that is not per case, the random start of the systematic PPS selection, comes
//! from a `ChaCha20` generator ([`rand_chacha::ChaCha20Rng`], value-stable by design) seeded with
//! `SHA-256("<seed>:pps-start")`: its first `u64` (`u`) gives the start `⌊u × W / 2^64⌋`.
//!
//! Sizes and allocations use integer arithmetic only.

use std::collections::BTreeMap;
use std::fmt;

use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha20Rng;
use sha2::{Digest, Sha256};

use crate::rules::Severity;

/// One case of the population, as selection needs it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Unit {
    /// The case.
    pub case_id: String,
    /// Its stratum (for stratified selection; `all` otherwise).
    pub stratum: String,
    /// Its most severe in-scope finding, `None` when it has none.
    pub flag: Option<Severity>,
    /// Its size for risk-weighted selection (amount in cents or severity score); 0 = cannot be
    /// drawn by PPS.
    pub weight: u64,
}

/// How strata share the sample.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Allocation {
    /// In proportion to stratum size (largest remainder), never below the minimum.
    Proportional,
    /// The same number in each stratum (a stratum smaller than its share is taken whole).
    Equal,
}

impl Allocation {
    /// The CLI and manifest name.
    #[must_use]
    pub fn name(self) -> &'static str {
        match self {
            Allocation::Proportional => "proportional",
            Allocation::Equal => "equal",
        }
    }
}

/// A selection method.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Method {
    /// Simple random sampling without replacement: the `n` smallest keys.
    Random,
    /// Stratified random sampling.
    Stratified {
        /// How strata share the sample.
        allocation: Allocation,
        /// Least number of cases per stratum (a smaller stratum is taken whole).
        min_per_stratum: u64,
    },
    /// Flagged cases first (critical, then major, then minor; by key within a severity), then
    /// random cases without findings.
    FlaggedFirst,
    /// Probability proportional to [`Unit::weight`]: cases whose weight reaches the sampling
    /// interval are taken with certainty, the rest by systematic selection over the key order.
    RiskWeighted,
}

impl Method {
    /// The CLI and manifest name.
    #[must_use]
    pub fn name(&self) -> &'static str {
        match self {
            Method::Random => "random",
            Method::Stratified { .. } => "stratified",
            Method::FlaggedFirst => "flagged-first",
            Method::RiskWeighted => "risk-weighted",
        }
    }
}

/// Why a case is in the sample.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Reason {
    /// Drawn at random (simple random, stratified, or the random part of flagged first).
    Random,
    /// A flagged case taken first, with its most severe finding.
    Flagged(Severity),
    /// PPS: weight at least the sampling interval, taken with certainty.
    Certainty,
    /// PPS: drawn by systematic selection with this inclusion probability.
    Pps {
        /// Inclusion probability in millionths (`n' × weight / W`, rounded down).
        probability_ppm: u64,
    },
}

impl Reason {
    /// True when the case was drawn at random with a known probability (not targeted).
    #[must_use]
    pub fn is_random(self) -> bool {
        !matches!(self, Reason::Flagged(_))
    }
}

impl fmt::Display for Reason {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Reason::Random => f.write_str("random"),
            Reason::Flagged(s) => write!(f, "flagged: {}", s.name()),
            Reason::Certainty => f.write_str("pps: certainty (weight >= interval)"),
            Reason::Pps { probability_ppm } => {
                write!(
                    f,
                    "pps: p = {}.{:06}",
                    probability_ppm / 1_000_000,
                    probability_ppm % 1_000_000
                )
            }
        }
    }
}

/// One selected case.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Selected {
    /// 1-based position in the selection order.
    pub sample_no: u64,
    /// The case.
    pub case_id: String,
    /// Its stratum.
    pub stratum: String,
    /// Why it is in the sample.
    pub reason: Reason,
    /// Its random key.
    pub key: u64,
}

/// A stratum's share of the sample.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StratumAllocation {
    /// Stratum name.
    pub stratum: String,
    /// Cases in the stratum.
    pub population: u64,
    /// Cases allocated to it.
    pub allocated: u64,
}

/// The outcome of a selection.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Selection {
    /// The selected cases in selection order.
    pub selected: Vec<Selected>,
    /// Per stratum (stratified: the allocation; flagged first: the severity classes;
    /// otherwise one stratum `all`).
    pub strata: Vec<StratumAllocation>,
    /// PPS only: the total weight of the population and the number of cases of weight 0
    /// (which PPS cannot draw).
    pub pps: Option<PpsFacts>,
}

/// Figures of a PPS selection, recorded in the manifest.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PpsFacts {
    /// Sum of all weights.
    pub total_weight: u128,
    /// Cases with weight 0 (never drawn).
    pub zero_weight: u64,
    /// Cases taken with certainty.
    pub certainty: u64,
    /// Weight left for the systematic part.
    pub systematic_weight: u128,
    /// The random start in `[0, systematic_weight)` (in the scaled space, see [`select`]).
    pub start: u128,
}

/// Why a selection is impossible.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum SelectError {
    /// Nothing to select from.
    #[error("nothing to sample: the population is empty (0 cases)")]
    EmptyPopulation,
    /// More cases asked than there are.
    #[error("a sample of {asked} cases was asked from a population of {population}")]
    LargerThanPopulation {
        /// Requested size.
        asked: u64,
        /// Population size.
        population: u64,
    },
    /// The minimum per stratum needs more cases than the sample has.
    #[error(
        "a minimum of {min} case(s) in each of the {strata} strata needs {needed} cases, more than the sample size {size}"
    )]
    MinimumTooLarge {
        /// The minimum per stratum.
        min: u64,
        /// Number of strata.
        strata: usize,
        /// Cases the minimum needs (`sum of min(min, stratum size)`).
        needed: u64,
        /// The sample size.
        size: u64,
    },
    /// PPS cannot draw more cases than have a positive weight.
    #[error(
        "risk-weighted selection can draw only the {positive} case(s) with a positive weight, and {asked} were asked"
    )]
    NotEnoughWeight {
        /// Cases with weight > 0.
        positive: u64,
        /// Requested size.
        asked: u64,
    },
}

/// The random key of a case (see the module docs).
#[must_use]
pub fn key(seed: u64, case_id: &str) -> u64 {
    let digest = Sha256::digest(format!("{seed}:{case_id}").as_bytes());
    let mut first = [0_u8; 8];
    first.copy_from_slice(&digest[..8]);
    u64::from_be_bytes(first)
}

/// The first `u64` of the `ChaCha20` stream seeded with `SHA-256("<seed>:<purpose>")`.
#[must_use]
pub fn stream_u64(seed: u64, purpose: &str) -> u64 {
    let digest = Sha256::digest(format!("{seed}:{purpose}").as_bytes());
    let mut rng = ChaCha20Rng::from_seed(digest.into());
    rng.next_u64()
}

/// Selects `size` cases of `units` by `method` with `seed`.
///
/// The result does not depend on the order of `units`.
///
/// # Errors
///
/// [`SelectError`]: empty population, a size above the population, a minimum per stratum the
/// size cannot hold, PPS with too few positive weights.
pub fn select(
    units: &[Unit],
    size: u64,
    method: &Method,
    seed: u64,
) -> Result<Selection, SelectError> {
    let population = units.len() as u64;
    if population == 0 {
        return Err(SelectError::EmptyPopulation);
    }
    if size > population {
        return Err(SelectError::LargerThanPopulation {
            asked: size,
            population,
        });
    }
    // Key order: the order every random choice below is made in.
    let mut keyed: Vec<(u64, &Unit)> = units.iter().map(|u| (key(seed, &u.case_id), u)).collect();
    keyed.sort_by(|a, b| a.0.cmp(&b.0).then_with(|| a.1.case_id.cmp(&b.1.case_id)));

    let mut picks: Vec<(u64, &Unit, Reason)> = Vec::new();
    let mut strata = Vec::new();
    let mut pps = None;
    match method {
        Method::Random => {
            picks.extend(
                keyed
                    .iter()
                    .take(size as usize)
                    .map(|&(k, u)| (k, u, Reason::Random)),
            );
            strata.push(StratumAllocation {
                stratum: "all".into(),
                population,
                allocated: size,
            });
        }
        Method::Stratified {
            allocation,
            min_per_stratum,
        } => {
            let mut groups: BTreeMap<&str, Vec<(u64, &Unit)>> = BTreeMap::new();
            for &(k, u) in &keyed {
                groups.entry(u.stratum.as_str()).or_default().push((k, u));
            }
            let sizes: Vec<(String, u64)> = groups
                .iter()
                .map(|(s, v)| ((*s).to_owned(), v.len() as u64))
                .collect();
            let alloc = allocate(&sizes, size, *allocation, *min_per_stratum)?;
            for a in &alloc {
                let members = &groups[a.stratum.as_str()];
                picks.extend(
                    members
                        .iter()
                        .take(a.allocated as usize)
                        .map(|&(k, u)| (k, u, Reason::Random)),
                );
            }
            strata = alloc;
        }
        Method::FlaggedFirst => {
            let mut classes: Vec<(String, Vec<Pick<'_>>)> = Severity::ALL
                .iter()
                .map(|s| {
                    (
                        s.name().to_owned(),
                        keyed
                            .iter()
                            .filter(|(_, u)| u.flag == Some(*s))
                            .map(|&(k, u)| (k, u, Reason::Flagged(*s)))
                            .collect(),
                    )
                })
                .collect();
            classes.push((
                "unflagged".into(),
                keyed
                    .iter()
                    .filter(|(_, u)| u.flag.is_none())
                    .map(|&(k, u)| (k, u, Reason::Random))
                    .collect(),
            ));
            let mut left = size;
            for (name, members) in classes {
                let take = left.min(members.len() as u64);
                left -= take;
                strata.push(StratumAllocation {
                    stratum: name,
                    population: members.len() as u64,
                    allocated: take,
                });
                picks.extend(members.into_iter().take(take as usize));
            }
        }
        Method::RiskWeighted => {
            let (chosen, facts) = pps_select(&keyed, size, seed)?;
            picks = chosen;
            pps = Some(facts);
            strata.push(StratumAllocation {
                stratum: "all".into(),
                population,
                allocated: size,
            });
        }
    }
    let stratum_of = |u: &Unit, r: Reason| match method {
        Method::FlaggedFirst => match r {
            Reason::Flagged(s) => s.name().to_owned(),
            _ => "unflagged".to_owned(),
        },
        Method::Stratified { .. } => u.stratum.clone(),
        _ => "all".to_owned(),
    };
    let selected = picks
        .into_iter()
        .enumerate()
        .map(|(i, (k, u, reason))| Selected {
            sample_no: i as u64 + 1,
            case_id: u.case_id.clone(),
            stratum: stratum_of(u, reason),
            reason,
            key: k,
        })
        .collect();
    Ok(Selection {
        selected,
        strata,
        pps,
    })
}

/// Shares `size` among strata (name, population), names sorted.
///
/// * Proportional: each stratum's quota is `R × N_h / ΣN` over the strata not yet fixed, where
///   `R` is the sample left for them; a stratum whose quota is below `min(minimum, N_h)` is fixed
///   at that and the rest re-shared, until none is below; then quotas are rounded by largest
///   remainder (ties: larger stratum, then name).
/// * Equal: `R / k` each over the `k` strata not yet fixed; a stratum smaller than that is taken
///   whole and the rest re-shared; the remainder goes one each to the largest strata (ties: name).
///
/// # Errors
///
/// [`SelectError::MinimumTooLarge`] when `sum of min(minimum, N_h)` exceeds `size`.
pub fn allocate(
    strata: &[(String, u64)],
    size: u64,
    allocation: Allocation,
    minimum: u64,
) -> Result<Vec<StratumAllocation>, SelectError> {
    let floor_of = |n: u64| minimum.min(n);
    let needed: u64 = strata.iter().map(|(_, n)| floor_of(*n)).sum();
    if needed > size {
        return Err(SelectError::MinimumTooLarge {
            min: minimum,
            strata: strata.len(),
            needed,
            size,
        });
    }
    let mut fixed: Vec<Option<u64>> = vec![None; strata.len()];
    let mut out: Vec<u64> = vec![0; strata.len()];
    match allocation {
        Allocation::Proportional => loop {
            let free: Vec<usize> = (0..strata.len()).filter(|&i| fixed[i].is_none()).collect();
            let rest = size - fixed.iter().flatten().sum::<u64>();
            let total: u64 = free.iter().map(|&i| strata[i].1).sum();
            if free.is_empty() {
                break;
            }
            // quota_i = rest × N_i / total; below the floor when rest × N_i < floor × total.
            let below: Vec<usize> = free
                .iter()
                .copied()
                .filter(|&i| {
                    u128::from(rest) * u128::from(strata[i].1)
                        < u128::from(floor_of(strata[i].1)) * u128::from(total)
                })
                .collect();
            if below.is_empty() {
                let mut rema: Vec<(u128, u64, usize)> = Vec::new();
                let mut given = 0;
                for &i in &free {
                    let num = u128::from(rest) * u128::from(strata[i].1);
                    let q = (num / u128::from(total)) as u64;
                    out[i] = q;
                    given += q;
                    rema.push((num % u128::from(total), strata[i].1, i));
                }
                rema.sort_by(|a, b| {
                    b.0.cmp(&a.0)
                        .then(b.1.cmp(&a.1))
                        .then(strata[a.2].0.cmp(&strata[b.2].0))
                });
                for (_, _, i) in rema.into_iter().take((rest - given) as usize) {
                    out[i] += 1;
                }
                break;
            }
            for i in below {
                fixed[i] = Some(floor_of(strata[i].1));
            }
        },
        Allocation::Equal => loop {
            let free: Vec<usize> = (0..strata.len()).filter(|&i| fixed[i].is_none()).collect();
            if free.is_empty() {
                break;
            }
            let rest = size - fixed.iter().flatten().sum::<u64>();
            let share = rest / free.len() as u64;
            let small: Vec<usize> = free
                .iter()
                .copied()
                .filter(|&i| strata[i].1 <= share)
                .collect();
            if small.is_empty() {
                let mut order = free.clone();
                order.sort_by(|&a, &b| {
                    strata[b]
                        .1
                        .cmp(&strata[a].1)
                        .then(strata[a].0.cmp(&strata[b].0))
                });
                let extra = rest - share * free.len() as u64;
                for (pos, i) in order.into_iter().enumerate() {
                    out[i] = share + u64::from((pos as u64) < extra);
                }
                break;
            }
            for i in small {
                fixed[i] = Some(strata[i].1);
            }
        },
    }
    for (i, f) in fixed.iter().enumerate() {
        if let Some(v) = f {
            out[i] = *v;
        }
    }
    Ok(strata
        .iter()
        .zip(out)
        .map(|((s, n), a)| StratumAllocation {
            stratum: s.clone(),
            population: *n,
            allocated: a,
        })
        .collect())
}

type Pick<'a> = (u64, &'a Unit, Reason);

/// Systematic PPS over the key order with certainty selection (see [`Method::RiskWeighted`]).
///
/// Scaled by the remaining sample `n'` so that everything is an integer: unit `i` covers
/// `[C(i-1) × n', C(i) × n')` where `C` is the running weight, and the points are
/// `s + k × W` for `k` in `0..n'`, with `W` the remaining weight and `s` the random start in
/// `[0, W)`. A unit below the interval (`w × n' < W`) covers at most one point, so exactly `n'`
/// units are drawn, each with probability `w × n' / W`.
fn pps_select<'a>(
    keyed: &[(u64, &'a Unit)],
    size: u64,
    seed: u64,
) -> Result<(Vec<Pick<'a>>, PpsFacts), SelectError> {
    let positive: Vec<(u64, &Unit)> = keyed
        .iter()
        .copied()
        .filter(|(_, u)| u.weight > 0)
        .collect();
    let zero_weight = (keyed.len() - positive.len()) as u64;
    if size > positive.len() as u64 {
        return Err(SelectError::NotEnoughWeight {
            positive: positive.len() as u64,
            asked: size,
        });
    }
    let total_weight: u128 = positive.iter().map(|(_, u)| u128::from(u.weight)).sum();
    let mut picks: Vec<Pick<'a>> = Vec::new();
    let mut taken = vec![false; positive.len()];
    let mut left = size;
    let mut weight = total_weight;
    // Certainty: any unit with w × n' >= W, repeated as n' and W shrink. Taken in key order.
    loop {
        if left == 0 {
            break;
        }
        let big: Vec<usize> = (0..positive.len())
            .filter(|&i| !taken[i] && u128::from(positive[i].1.weight) * u128::from(left) >= weight)
            .collect();
        if big.is_empty() {
            break;
        }
        for i in big {
            taken[i] = true;
            picks.push((positive[i].0, positive[i].1, Reason::Certainty));
            left -= 1;
            weight -= u128::from(positive[i].1.weight);
        }
    }
    let certainty = picks.len() as u64;
    let mut start = 0;
    if left > 0 {
        // left > 0 and every remaining unit is below the interval, so weight > 0.
        let u = stream_u64(seed, "pps-start");
        start = (u128::from(u) * weight) >> 64;
        let n = u128::from(left);
        // Points below x: #{k in 0..n : s + kW < x} = clamp(ceil((x - s) / W), 0, n).
        let below = |x: u128| -> u128 {
            if x <= start {
                0
            } else {
                (x - start).div_ceil(weight).min(n)
            }
        };
        let mut run: u128 = 0;
        for (i, &(k, u)) in positive.iter().enumerate() {
            if taken[i] {
                continue;
            }
            let lo = run * n;
            run += u128::from(u.weight);
            let hi = run * n;
            if below(hi) > below(lo) {
                let p = u128::from(u.weight) * n * 1_000_000 / weight;
                picks.push((
                    k,
                    u,
                    Reason::Pps {
                        probability_ppm: p as u64,
                    },
                ));
            }
        }
    }
    debug_assert_eq!(picks.len() as u64, size);
    Ok((
        picks,
        PpsFacts {
            total_weight,
            zero_weight,
            certainty,
            systematic_weight: weight,
            start,
        },
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn unit(id: &str, stratum: &str, flag: Option<Severity>, weight: u64) -> Unit {
        Unit {
            case_id: id.into(),
            stratum: stratum.into(),
            flag,
            weight,
        }
    }

    fn units(n: usize) -> Vec<Unit> {
        (0..n)
            .map(|i| unit(&format!("C{i:04}"), "all", None, 1))
            .collect()
    }

    fn alloc(sizes: &[(&str, u64)], n: u64, a: Allocation, min: u64) -> Vec<u64> {
        let s: Vec<(String, u64)> = sizes.iter().map(|(k, v)| ((*k).to_owned(), *v)).collect();
        allocate(&s, n, a, min)
            .unwrap()
            .into_iter()
            .map(|x| x.allocated)
            .collect()
    }

    #[test]
    fn key_is_sha256_of_seed_colon_case_id() {
        // SHA-256("abc") = ba7816bf 8f01cfea ... (FIPS 180-2, appendix B.1). The key of seed 0
        // is not "abc", so check the construction through a value computed by hand with
        // Python: hashlib.sha256(b"42:C1").digest()[:8] read big-endian.
        let digest = Sha256::digest(b"42:C1");
        let want = u64::from_be_bytes(digest[..8].try_into().unwrap());
        assert_eq!(key(42, "C1"), want);
        assert_ne!(key(42, "C1"), key(43, "C1"));
        assert_ne!(key(42, "C1"), key(42, "C2"));
    }

    #[test]
    fn random_selection_is_order_independent_and_distinct() {
        let pop = units(200);
        let a = select(&pop, 30, &Method::Random, 7).unwrap();
        let mut rev = pop.clone();
        rev.reverse();
        let b = select(&rev, 30, &Method::Random, 7).unwrap();
        assert_eq!(a, b);
        let mut ids: Vec<&str> = a.selected.iter().map(|s| s.case_id.as_str()).collect();
        assert_eq!(ids.len(), 30);
        ids.sort_unstable();
        ids.dedup();
        assert_eq!(ids.len(), 30);
        // The 30 smallest keys, by an independent sort of the keys.
        let mut all: Vec<(u64, String)> = pop
            .iter()
            .map(|u| (key(7, &u.case_id), u.case_id.clone()))
            .collect();
        all.sort();
        let want: Vec<String> = all.into_iter().take(30).map(|x| x.1).collect();
        let got: Vec<String> = a.selected.iter().map(|s| s.case_id.clone()).collect();
        assert_eq!(got, want);
        // Another seed gives another sample.
        assert_ne!(
            select(&pop, 30, &Method::Random, 8).unwrap().selected,
            a.selected
        );
    }

    #[test]
    fn empty_and_oversized_requests_are_errors() {
        assert_eq!(
            select(&[], 1, &Method::Random, 1),
            Err(SelectError::EmptyPopulation)
        );
        assert_eq!(
            select(&units(5), 6, &Method::Random, 1),
            Err(SelectError::LargerThanPopulation {
                asked: 6,
                population: 5
            })
        );
    }

    #[test]
    fn proportional_allocation_by_hand() {
        // N = 50, 30, 20 (100), n = 10: quotas 5, 3, 2 exactly.
        assert_eq!(
            alloc(
                &[("a", 50), ("b", 30), ("c", 20)],
                10,
                Allocation::Proportional,
                0
            ),
            [5, 3, 2]
        );
        // N = 60, 25, 15 (100), n = 8: quotas 4.8, 2.0, 1.2 -> floors 4, 2, 1 (7), one more to
        // the largest remainder 0.8 (a) -> 5, 2, 1.
        assert_eq!(
            alloc(
                &[("a", 60), ("b", 25), ("c", 15)],
                8,
                Allocation::Proportional,
                0
            ),
            [5, 2, 1]
        );
        // N = 90, 8, 2 (100), n = 10, minimum 2: quotas 9, 0.8, 0.2; b and c are below 2 and
        // are fixed at 2; the rest 6 goes to a -> 6, 2, 2.
        assert_eq!(
            alloc(
                &[("a", 90), ("b", 8), ("c", 2)],
                10,
                Allocation::Proportional,
                2
            ),
            [6, 2, 2]
        );
        // A stratum smaller than the minimum is taken whole: N = 97, 1, 2, min 3, n = 10:
        // b fixed at 1, c at 2, a gets 7.
        assert_eq!(
            alloc(
                &[("a", 97), ("b", 1), ("c", 2)],
                10,
                Allocation::Proportional,
                3
            ),
            [7, 1, 2]
        );
        // Equal remainders: N = 10, 10, 10, n = 4: quotas 4/3 each, remainders equal and sizes
        // equal -> by name: a gets the extra one.
        assert_eq!(
            alloc(
                &[("a", 10), ("b", 10), ("c", 10)],
                4,
                Allocation::Proportional,
                0
            ),
            [2, 1, 1]
        );
    }

    #[test]
    fn equal_allocation_by_hand() {
        // n = 12 over 3 strata of 50, 30, 20: 4 each.
        assert_eq!(
            alloc(&[("a", 50), ("b", 30), ("c", 20)], 12, Allocation::Equal, 1),
            [4, 4, 4]
        );
        // n = 12 over 50, 30, 2: c (2 <= 4) taken whole; 10 left over 2 strata: 5, 5.
        assert_eq!(
            alloc(&[("a", 50), ("b", 30), ("c", 2)], 12, Allocation::Equal, 1),
            [5, 5, 2]
        );
        // n = 10 over 50, 30, 20: 3 each, the extra 1 to the largest (a).
        assert_eq!(
            alloc(&[("a", 50), ("b", 30), ("c", 20)], 10, Allocation::Equal, 1),
            [4, 3, 3]
        );
    }

    #[test]
    fn minimum_larger_than_the_sample_is_an_error() {
        let s: Vec<(String, u64)> = (0..5).map(|i| (format!("s{i}"), 10)).collect();
        assert_eq!(
            allocate(&s, 8, Allocation::Proportional, 2),
            Err(SelectError::MinimumTooLarge {
                min: 2,
                strata: 5,
                needed: 10,
                size: 8
            })
        );
    }

    #[test]
    fn stratified_selection_honours_the_allocation() {
        let mut pop = Vec::new();
        for (s, n) in [("a", 60), ("b", 25), ("c", 15)] {
            for i in 0..n {
                pop.push(unit(&format!("{s}{i:03}"), s, None, 1));
            }
        }
        let m = Method::Stratified {
            allocation: Allocation::Proportional,
            min_per_stratum: 2,
        };
        let sel = select(&pop, 8, &m, 99).unwrap();
        // 4.8, 2.0, 1.2 -> c below 2 fixed at 2; 6 left over 85: a 6×60/85 = 4.24, b 1.76
        // -> floors 4, 1, remainder to b (0.76 > 0.24) -> 4, 2, 2.
        let count = |s: &str| sel.selected.iter().filter(|x| x.stratum == s).count();
        assert_eq!((count("a"), count("b"), count("c")), (4, 2, 2));
        for x in &sel.selected {
            assert!(x.case_id.starts_with(&x.stratum));
        }
    }

    #[test]
    fn flagged_first_takes_critical_then_major_then_minor_then_random() {
        let mut pop = units(50);
        pop[3].flag = Some(Severity::Minor);
        pop[10].flag = Some(Severity::Critical);
        pop[20].flag = Some(Severity::Major);
        pop[30].flag = Some(Severity::Critical);
        let sel = select(&pop, 6, &Method::FlaggedFirst, 5).unwrap();
        let reasons: Vec<Reason> = sel.selected.iter().map(|s| s.reason).collect();
        assert_eq!(
            reasons,
            [
                Reason::Flagged(Severity::Critical),
                Reason::Flagged(Severity::Critical),
                Reason::Flagged(Severity::Major),
                Reason::Flagged(Severity::Minor),
                Reason::Random,
                Reason::Random
            ]
        );
        // Fewer slots than flagged cases: 3 slots -> the two critical and the major.
        let sel = select(&pop, 3, &Method::FlaggedFirst, 5).unwrap();
        let ids: Vec<&str> = sel.selected.iter().map(|s| s.case_id.as_str()).collect();
        assert!(ids.contains(&"C0010") && ids.contains(&"C0030") && ids.contains(&"C0020"));
        let alloc: Vec<(String, u64, u64)> = sel
            .strata
            .iter()
            .map(|s| (s.stratum.clone(), s.population, s.allocated))
            .collect();
        assert_eq!(
            alloc,
            [
                ("critical".into(), 2, 2),
                ("major".into(), 1, 1),
                ("minor".into(), 1, 0),
                ("unflagged".into(), 46, 0)
            ]
        );
    }

    #[test]
    fn pps_takes_big_items_with_certainty_and_exact_counts() {
        // Weights: one of 1000, ten of 10 (total 1100); n = 3. Interval 1100/3 = 366.7, so
        // the 1000 is a certainty; then n' = 2 over W = 100: interval 50, no certainty; two of
        // the ten small ones, each with p = 2 × 10 / 100 = 0.2.
        let mut pop: Vec<Unit> = (0..10)
            .map(|i| unit(&format!("S{i}"), "all", None, 10))
            .collect();
        pop.push(unit("BIG", "all", None, 1000));
        pop.push(unit("ZERO", "all", None, 0));
        let sel = select(&pop, 3, &Method::RiskWeighted, 11).unwrap();
        assert_eq!(sel.selected.len(), 3);
        assert_eq!(sel.selected[0].case_id, "BIG");
        assert_eq!(sel.selected[0].reason, Reason::Certainty);
        for s in &sel.selected[1..] {
            assert_eq!(
                s.reason,
                Reason::Pps {
                    probability_ppm: 200_000
                }
            );
        }
        let facts = sel.pps.unwrap();
        assert_eq!(
            (
                facts.total_weight,
                facts.zero_weight,
                facts.certainty,
                facts.systematic_weight
            ),
            (1100, 1, 1, 100)
        );
        assert!(facts.start < 100);
        assert!(sel.selected.iter().all(|s| s.case_id != "ZERO"));
        // Order independence.
        let mut rev = pop.clone();
        rev.reverse();
        assert_eq!(select(&rev, 3, &Method::RiskWeighted, 11).unwrap(), sel);
        // Only 11 positive weights.
        assert_eq!(
            select(&pop, 12, &Method::RiskWeighted, 11),
            Err(SelectError::NotEnoughWeight {
                positive: 11,
                asked: 12
            })
        );
    }

    #[test]
    fn pps_inclusion_frequencies_follow_the_weights() {
        // Over many seeds, a unit of weight 4 among weights 1..=4 (total 10) with n = 2 is
        // drawn with probability 2 × 4 / 10 = 0.8, a unit of weight 1 with 0.2.
        let pop: Vec<Unit> = (1..=4)
            .map(|w| unit(&format!("W{w}"), "all", None, w))
            .collect();
        let mut hits = [0_u32; 4];
        let runs = 4000;
        for seed in 0..runs {
            let sel = select(&pop, 2, &Method::RiskWeighted, seed).unwrap();
            for s in sel.selected {
                hits[s.case_id[1..].parse::<usize>().unwrap() - 1] += 1;
            }
        }
        for (i, h) in hits.iter().enumerate() {
            let p = f64::from(*h) / runs as f64;
            let want = 2.0 * (i as f64 + 1.0) / 10.0;
            // 4000 draws: standard error <= 0.008; allow 4 of them.
            assert!((p - want).abs() < 0.032, "weight {}: {p} vs {want}", i + 1);
        }
    }
}
