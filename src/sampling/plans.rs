//! Sample sizes from published sampling plans.
//!
//! Auditors re-inspect a sample of policy-change cases. The size of that sample must come from a
//! recognised plan, so this module offers three, behind one entry point,
//! [`Plan::size_for`]:
//!
//! | plan | source | gives |
//! | --- | --- | --- |
//! | [`Plan::Z14`] | ANSI/ASQ Z1.4 (identical to ISO 2859-1 and MIL-STD-105E), Table I and Table II-A | sample size, acceptance number `Ac`, rejection number `Re` |
//! | [`Plan::Attribute`] | AICPA Audit Guide *Audit Sampling*, Tables A-1 and A-2 (attribute sampling for tests of controls, exact binomial) | sample size and the number of deviations the sample may contain |
//! | [`Plan::Fixed`] | a size the auditor chose | that size, capped at the population |
//!
//! Every plan returns a [`PlanResult`]. A population of zero is an error
//! ([`PlanError::EmptyPopulation`]): there is nothing to sample.
//!
//! # Exact arithmetic
//!
//! Counts are never computed as float products. AQLs are held as exact integers in thousandths
//! of a percent ([`Aql::thousandths`]: AQL 0.065 is 65, AQL 1.0 is 1000) and the rates of the
//! attribute plan as integer parts per million ([`Rate::ppm`]: 3.5 % is 35 000). The expected
//! number of deviations `ceil(n × rate)` is then `(n × ppm + 999 999) / 1 000 000` in integers,
//! so 400 × 3.5 % is exactly 14 (the float `400.0 * 0.035` is 14.000000000000002, whose ceiling
//! would be 15). Floats appear only in the probabilities of the binomial distribution.
//!
//! # Z1.4 in short
//!
//! 1. Table I maps the lot size and the inspection level to a *sample size code letter*.
//! 2. Table II-A (single sampling, normal inspection) maps the code letter and the AQL to a cell
//!    holding `Ac Re`, or an arrow. `↓` means "use the first sampling plan below the arrow",
//!    `↑` "use the first sampling plan above the arrow"; when an arrow is followed, the sample
//!    size **and** `Ac`/`Re` of the row reached apply. [`PlanResult::code_letter`] keeps the
//!    letter of Table I, [`PlanResult::code_letter_used`] the letter of the row whose plan applies.
//! 3. Note to Table II-A: "If sample size equals, or exceeds, lot or batch size, do 100 percent
//!    inspection." The sample size is then the lot size, [`PlanResult::inspect_all`] is set and
//!    `Ac`/`Re` are still reported as the plan gives them.

use std::fmt;
use std::str::FromStr;

use serde::Serialize;

// ================================================================================================
// Errors
// ================================================================================================

/// Why no sample size could be given.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PlanError {
    /// The population (lot) has no items: nothing to sample.
    EmptyPopulation,
    /// The AQL is not one of the 26 columns of Z1.4 Table II-A; the message lists them.
    InvalidAql {
        /// The value as given.
        given: String,
    },
    /// The inspection level is not one of `S-1`..`S-4`, `I`, `II`, `III`.
    InvalidLevel {
        /// The value as given.
        given: String,
    },
    /// A numeric parameter is out of range or malformed; `name` is the parameter
    /// (`confidence`, `tolerable`, `expected`, `size`, `sample size`, `deviations`).
    InvalidParameter {
        /// Name of the bad parameter.
        name: &'static str,
        /// What is wrong with it.
        reason: String,
    },
    /// The attribute plan would need more than [`MAX_ATTRIBUTE_SAMPLE`] items (the expected
    /// deviation rate is too close to the tolerable rate) and the population is larger still.
    SampleTooLarge {
        /// The largest sample size that was searched.
        limit: u64,
    },
}

impl fmt::Display for PlanError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            PlanError::EmptyPopulation => {
                write!(f, "nothing to sample: the population is empty (0 items)")
            }
            PlanError::InvalidAql { given } => {
                write!(
                    f,
                    "AQL `{given}` is not a column of ANSI/ASQ Z1.4 Table II-A; valid AQLs are: "
                )?;
                for (i, label) in AQL_LABELS.iter().enumerate() {
                    if i > 0 {
                        f.write_str(", ")?;
                    }
                    f.write_str(label)?;
                }
                Ok(())
            }
            PlanError::InvalidLevel { given } => write!(
                f,
                "inspection level `{given}` is not one of S-1, S-2, S-3, S-4, I, II, III"
            ),
            PlanError::InvalidParameter { name, reason } => write!(f, "invalid {name}: {reason}"),
            PlanError::SampleTooLarge { limit } => write!(
                f,
                "the attribute plan needs more than {limit} items: the expected deviation rate \
                 is too close to the tolerable rate"
            ),
        }
    }
}

impl std::error::Error for PlanError {}

fn invalid(name: &'static str, reason: impl Into<String>) -> PlanError {
    PlanError::InvalidParameter {
        name,
        reason: reason.into(),
    }
}

// ================================================================================================
// Common plan and result types
// ================================================================================================

/// A sampling plan; [`Plan::size_for`] turns it into a sample size for a population.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Plan {
    /// ANSI/ASQ Z1.4 (= ISO 2859-1 = MIL-STD-105E) single sampling, normal inspection:
    /// Table I (code letter) then Table II-A (sample size, `Ac`, `Re`). See [`z14_plan`].
    Z14 {
        /// General (`I`, `II`, `III`) or special (`S-1`..`S-4`) inspection level; `II` is the
        /// standard's default.
        level: InspectionLevel,
        /// Acceptance quality limit, one of the columns of Table II-A.
        aql: Aql,
    },
    /// AICPA attribute sampling for tests of controls (exact binomial, Tables A-1/A-2 of the
    /// Audit Guide *Audit Sampling*). See [`attribute_sample_size`].
    Attribute {
        /// Confidence level (1 − risk of overreliance), e.g. 0.95; in (0, 1).
        confidence: Rate,
        /// Tolerable deviation rate, e.g. 0.05; in (0, 1).
        tolerable: Rate,
        /// Expected population deviation rate, e.g. 0.01; in \[0, tolerable).
        expected: Rate,
    },
    /// A sample of a size chosen by the auditor (at least 1), capped at the population.
    Fixed {
        /// Requested sample size, at least 1.
        size: u64,
    },
}

/// What a plan gives for one population.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct PlanResult {
    /// `"z14"`, `"attribute"` or `"fixed"`.
    pub plan: &'static str,
    /// Number of items in the population (the lot).
    pub population: u64,
    /// Z1.4 only: the sample size code letter of Table I.
    pub code_letter: Option<char>,
    /// Z1.4 only: the letter of the Table II-A row whose plan applies, after following arrows.
    pub code_letter_used: Option<char>,
    /// Number of items to inspect (never more than the population).
    pub sample_size: u64,
    /// Largest number of nonconforming items (Z1.4) or deviations (attribute) with which the
    /// population is accepted / the control relied on. `None` for fixed-size samples.
    pub accept: Option<u32>,
    /// Smallest number of nonconforming items or deviations that rejects (always `accept + 1`
    /// for single sampling). `None` for fixed-size samples.
    pub reject: Option<u32>,
    /// The whole population is inspected: the plan's sample size is at least the population
    /// (Z1.4 "do 100 percent inspection"), or a fixed size was capped at the population.
    pub inspect_all: bool,
}

impl Plan {
    /// A Z1.4 plan from text, e.g. `Plan::z14("II", "1.0")`.
    ///
    /// # Errors
    ///
    /// [`PlanError::InvalidLevel`] or [`PlanError::InvalidAql`] (which lists the valid AQLs).
    pub fn z14(level: &str, aql: &str) -> Result<Plan, PlanError> {
        Ok(Plan::Z14 {
            level: level.parse()?,
            aql: aql.parse()?,
        })
    }

    /// An attribute plan from fractions, e.g. `Plan::attribute(0.95, 0.05, 0.01)`; each value must
    /// be a whole number of parts per million (see [`Rate::from_f64`]). Ranges are checked here
    /// and again by [`Plan::size_for`].
    ///
    /// # Errors
    ///
    /// [`PlanError::InvalidParameter`] naming `confidence`, `tolerable` or `expected`.
    pub fn attribute(confidence: f64, tolerable: f64, expected: f64) -> Result<Plan, PlanError> {
        let confidence = rate_param("confidence", confidence)?;
        let tolerable = rate_param("tolerable", tolerable)?;
        let expected = rate_param("expected", expected)?;
        validate_attribute(confidence, tolerable, expected)?;
        Ok(Plan::Attribute {
            confidence,
            tolerable,
            expected,
        })
    }

    /// The sample size (and acceptance criteria) this plan gives for a population of
    /// `population` items.
    ///
    /// * [`Plan::Z14`] is [`z14_plan`].
    /// * [`Plan::Attribute`] is [`attribute_sample_size`], then capped at the population (the
    ///   AICPA tables assume a large population; when the plan's size reaches the population the
    ///   whole population is inspected and `inspect_all` is set). If no sample smaller than
    ///   [`MAX_ATTRIBUTE_SAMPLE`] meets the criteria and the population is no larger than that, the
    ///   whole population is inspected with no acceptance number.
    /// * [`Plan::Fixed`] is `min(size, population)`, `inspect_all` when capped (or equal).
    ///
    /// # Errors
    ///
    /// [`PlanError::EmptyPopulation`] for a population of 0; [`PlanError::InvalidParameter`] for
    /// an attribute plan out of range or a fixed size of 0; [`PlanError::SampleTooLarge`] as
    /// described above.
    pub fn size_for(&self, population: u64) -> Result<PlanResult, PlanError> {
        if population == 0 {
            return Err(PlanError::EmptyPopulation);
        }
        match *self {
            Plan::Z14 { level, aql } => z14_plan(population, level, aql),
            Plan::Attribute {
                confidence,
                tolerable,
                expected,
            } => match attribute_sample_size(confidence, tolerable, expected) {
                Ok(found) => {
                    let inspect_all = found.sample_size >= population;
                    Ok(PlanResult {
                        plan: "attribute",
                        population,
                        code_letter: None,
                        code_letter_used: None,
                        sample_size: found.sample_size.min(population),
                        accept: Some(found.allowable_deviations),
                        reject: Some(found.allowable_deviations + 1),
                        inspect_all,
                    })
                }
                Err(PlanError::SampleTooLarge { .. }) if population <= MAX_ATTRIBUTE_SAMPLE => {
                    Ok(PlanResult {
                        plan: "attribute",
                        population,
                        code_letter: None,
                        code_letter_used: None,
                        sample_size: population,
                        accept: None,
                        reject: None,
                        inspect_all: true,
                    })
                }
                Err(e) => Err(e),
            },
            Plan::Fixed { size } => {
                if size == 0 {
                    return Err(invalid("size", "a fixed sample needs at least 1 item"));
                }
                Ok(PlanResult {
                    plan: "fixed",
                    population,
                    code_letter: None,
                    code_letter_used: None,
                    sample_size: size.min(population),
                    accept: None,
                    reject: None,
                    inspect_all: size >= population,
                })
            }
        }
    }
}

// ================================================================================================
// Exact decimals
// ================================================================================================

/// Parses a plain non-negative decimal (`"1"`, `"0.065"`, `"12.50"`) into an integer scaled by
/// `10^scale`, exactly. Digits beyond `scale` decimals must be zeros. Returns `None` for anything
/// else (signs, exponents, empty parts, overflow).
fn parse_scaled(text: &str, scale: u32) -> Option<u64> {
    let (int_part, frac_part) = match text.split_once('.') {
        Some((i, f)) => (i, f),
        None => (text, ""),
    };
    if int_part.is_empty() && frac_part.is_empty() {
        return None;
    }
    if !int_part.bytes().all(|b| b.is_ascii_digit())
        || !frac_part.bytes().all(|b| b.is_ascii_digit())
    {
        return None;
    }
    let mut value: u64 = 0;
    for b in int_part.bytes() {
        value = value.checked_mul(10)?.checked_add(u64::from(b - b'0'))?;
    }
    let mut frac = frac_part.bytes();
    for _ in 0..scale {
        let digit = frac.next().map_or(0, |b| u64::from(b - b'0'));
        value = value.checked_mul(10)?.checked_add(digit)?;
    }
    // Anything left must be zeros: 0.0650 is 0.065, 0.0651 is not representable.
    if frac.any(|b| b != b'0') {
        return None;
    }
    Some(value)
}

/// A proportion held exactly as integer parts per million (ppm): 0.035 = 3.5 % = 35 000 ppm.
///
/// Used for the confidence level and the deviation rates of [`Plan::Attribute`], so that counts
/// such as `ceil(n × rate)` are computed in integers.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Rate {
    ppm: u32,
}

/// One whole, in parts per million.
const PPM: u32 = 1_000_000;

/// A whole-numbered float already checked to lie in 0..=1e6 (so the cast is exact).
#[allow(clippy::cast_possible_truncation, clippy::cast_sign_loss)]
fn whole_f64_to_u32(whole: f64) -> u32 {
    debug_assert!(whole.fract() == 0.0 && (0.0..=1e6).contains(&whole));
    whole as u32
}

impl Rate {
    /// The rate `ppm / 1 000 000`.
    #[must_use]
    pub const fn from_ppm(ppm: u32) -> Rate {
        Rate { ppm }
    }

    /// The rate `percent / 100` given in hundredths of a percent (basis points): `from_bp(350)`
    /// is 3.5 %.
    #[must_use]
    pub const fn from_bp(bp: u32) -> Rate {
        Rate { ppm: bp * 100 }
    }

    /// The rate in parts per million.
    #[must_use]
    pub const fn ppm(self) -> u32 {
        self.ppm
    }

    /// The rate as a fraction (for probabilities only; never for counts).
    #[must_use]
    pub fn as_f64(self) -> f64 {
        f64::from(self.ppm) / 1e6
    }

    /// Converts a fraction such as `0.035` to ppm, rounding away the binary representation error
    /// (`0.035` is stored as 0.03500000000000000333…). Returns `None` when the value is not finite,
    /// is negative or above 1, or is not within 1e-6 ppm of a whole number of ppm (e.g. `1.0/3.0`).
    #[must_use]
    pub fn from_f64(fraction: f64) -> Option<Rate> {
        if !fraction.is_finite() || !(0.0..=1.0).contains(&fraction) {
            return None;
        }
        let scaled = fraction * 1e6;
        let rounded = scaled.round();
        if (scaled - rounded).abs() > 1e-6 {
            return None;
        }
        Some(Rate {
            ppm: whole_f64_to_u32(rounded),
        })
    }

    /// Parses `"0.035"` (a fraction) or `"3.5%"` (a percentage) exactly. Returns `None` for
    /// malformed text, values above 1 (100 %) or more precision than 1 ppm.
    #[must_use]
    pub fn parse(text: &str) -> Option<Rate> {
        let text = text.trim();
        let ppm = match text.strip_suffix('%') {
            Some(percent) => parse_scaled(percent.trim(), 4)?,
            None => parse_scaled(text, 6)?,
        };
        if ppm > u64::from(PPM) {
            return None;
        }
        Some(Rate {
            ppm: u32::try_from(ppm).ok()?,
        })
    }
}

impl fmt::Display for Rate {
    /// Shortest exact percentage: `3.5%`, `0.25%`, `95%`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let whole = self.ppm / 10_000;
        let frac = self.ppm % 10_000;
        if frac == 0 {
            write!(f, "{whole}%")
        } else {
            let digits = format!("{frac:04}");
            write!(f, "{whole}.{}%", digits.trim_end_matches('0'))
        }
    }
}

fn rate_param(name: &'static str, value: f64) -> Result<Rate, PlanError> {
    Rate::from_f64(value).ok_or_else(|| {
        invalid(
            name,
            format!("{value} is not a fraction in [0, 1] with at most 6 decimals"),
        )
    })
}

// ================================================================================================
// ANSI/ASQ Z1.4: inspection levels and Table I
// ================================================================================================

/// Inspection level of Z1.4 Table I: special levels `S-1`..`S-4` (small samples, for costly or
/// destructive inspection) and general levels `I`, `II` (the default), `III`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
pub enum InspectionLevel {
    /// Special inspection level S-1.
    #[serde(rename = "S-1")]
    S1,
    /// Special inspection level S-2.
    #[serde(rename = "S-2")]
    S2,
    /// Special inspection level S-3.
    #[serde(rename = "S-3")]
    S3,
    /// Special inspection level S-4.
    #[serde(rename = "S-4")]
    S4,
    /// General inspection level I (reduced discrimination).
    I,
    /// General inspection level II (the standard's default).
    II,
    /// General inspection level III (greater discrimination).
    III,
}

impl InspectionLevel {
    /// All levels in the column order of Table I.
    pub const ALL: [InspectionLevel; 7] = [
        InspectionLevel::S1,
        InspectionLevel::S2,
        InspectionLevel::S3,
        InspectionLevel::S4,
        InspectionLevel::I,
        InspectionLevel::II,
        InspectionLevel::III,
    ];

    /// The label printed in Table I.
    #[must_use]
    pub const fn label(self) -> &'static str {
        match self {
            InspectionLevel::S1 => "S-1",
            InspectionLevel::S2 => "S-2",
            InspectionLevel::S3 => "S-3",
            InspectionLevel::S4 => "S-4",
            InspectionLevel::I => "I",
            InspectionLevel::II => "II",
            InspectionLevel::III => "III",
        }
    }

    /// This level's column of Table I: one code letter per lot-size band, in the order of
    /// [`LOT_SIZE_BANDS`].
    const fn table_i_column(self) -> &'static [u8; 15] {
        // ANSI/ASQ Z1.4-2008 Table I "Sample size code letters" (= MIL-STD-105E Table I), read
        // down each column. Bands: 2-8, 9-15, 16-25, 26-50, 51-90, 91-150, 151-280, 281-500,
        // 501-1200, 1201-3200, 3201-10000, 10001-35000, 35001-150000, 150001-500000, 500001+.
        match self {
            InspectionLevel::S1 => b"AAAABBBBCCCCDDD",
            InspectionLevel::S2 => b"AAABBBCCCDDDEEE",
            InspectionLevel::S3 => b"AABBCCDDEEFFGGH",
            InspectionLevel::S4 => b"AABCCDEEFGGHJJK",
            InspectionLevel::I => b"AABCCDEFGHJKLMN",
            InspectionLevel::II => b"ABCDEFGHJKLMNPQ",
            InspectionLevel::III => b"BCDEFGHJKLMNPQR",
        }
    }
}

impl fmt::Display for InspectionLevel {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.label())
    }
}

impl FromStr for InspectionLevel {
    type Err = PlanError;

    /// Accepts the labels of Table I, case-insensitively, with or without the hyphen
    /// (`"II"`, `"ii"`, `"S-3"`, `"s3"`).
    fn from_str(text: &str) -> Result<Self, Self::Err> {
        let normal: String = text
            .trim()
            .chars()
            .filter(|c| *c != '-')
            .map(|c| c.to_ascii_uppercase())
            .collect();
        match normal.as_str() {
            "S1" => Ok(InspectionLevel::S1),
            "S2" => Ok(InspectionLevel::S2),
            "S3" => Ok(InspectionLevel::S3),
            "S4" => Ok(InspectionLevel::S4),
            "I" => Ok(InspectionLevel::I),
            "II" => Ok(InspectionLevel::II),
            "III" => Ok(InspectionLevel::III),
            _ => Err(PlanError::InvalidLevel {
                given: text.to_owned(),
            }),
        }
    }
}

/// Lot-size bands of Z1.4 Table I as inclusive `(low, high)`; the last band is "500 001 and over".
pub const LOT_SIZE_BANDS: [(u64, u64); 15] = [
    (2, 8),
    (9, 15),
    (16, 25),
    (26, 50),
    (51, 90),
    (91, 150),
    (151, 280),
    (281, 500),
    (501, 1_200),
    (1_201, 3_200),
    (3_201, 10_000),
    (10_001, 35_000),
    (35_001, 150_000),
    (150_001, 500_000),
    (500_001, u64::MAX),
];

/// Sample size code letter of Z1.4 Table I for a lot size and inspection level.
///
/// Table I starts at lots of 2; a lot of 1 is read in the first band (2 to 8), and any plan for
/// it inspects the single item.
///
/// # Errors
///
/// [`PlanError::EmptyPopulation`] for a lot of 0.
pub fn code_letter(lot_size: u64, level: InspectionLevel) -> Result<char, PlanError> {
    if lot_size == 0 {
        return Err(PlanError::EmptyPopulation);
    }
    let band = LOT_SIZE_BANDS
        .iter()
        .position(|&(_, high)| lot_size <= high)
        .unwrap_or(14);
    Ok(char::from(level.table_i_column()[band]))
}

// ================================================================================================
// ANSI/ASQ Z1.4: AQLs and Table II-A
// ================================================================================================

/// The AQL columns of Table II-A, as printed.
const AQL_LABELS: [&str; 26] = [
    "0.010", "0.015", "0.025", "0.040", "0.065", "0.10", "0.15", "0.25", "0.40", "0.65", "1.0",
    "1.5", "2.5", "4.0", "6.5", "10", "15", "25", "40", "65", "100", "150", "250", "400", "650",
    "1000",
];

/// The AQL columns of Table II-A in thousandths of a percent (exact integers).
const AQL_THOUSANDTHS: [u32; 26] = [
    10, 15, 25, 40, 65, 100, 150, 250, 400, 650, 1_000, 1_500, 2_500, 4_000, 6_500, 10_000, 15_000,
    25_000, 40_000, 65_000, 100_000, 150_000, 250_000, 400_000, 650_000, 1_000_000,
];

/// An acceptance quality limit (AQL): one of the 26 columns of Z1.4 Table II-A, from 0.010 to
/// 1000 (percent nonconforming up to 10, nonconformities per hundred units above).
///
/// Held as the column index; the value is exact ([`Aql::thousandths`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Aql(usize);

impl Aql {
    /// The column for a value in thousandths of a percent (`1000` is AQL 1.0), if it is one.
    #[must_use]
    pub fn from_thousandths(thousandths: u32) -> Option<Aql> {
        AQL_THOUSANDTHS
            .iter()
            .position(|&v| v == thousandths)
            .map(Aql)
    }

    /// The column for a percentage given as a float (`1.0`, `0.65`), if it is one. The float is
    /// rounded to thousandths of a percent first, so `0.65` matches despite its binary error.
    ///
    /// # Errors
    ///
    /// [`PlanError::InvalidAql`] (listing the valid AQLs) for any other value.
    pub fn from_percent(percent: f64) -> Result<Aql, PlanError> {
        let err = || PlanError::InvalidAql {
            given: percent.to_string(),
        };
        if !percent.is_finite() || percent <= 0.0 || percent > 1000.0 {
            return Err(err());
        }
        let scaled = percent * 1000.0;
        let rounded = scaled.round();
        if (scaled - rounded).abs() > 1e-6 {
            return Err(err());
        }
        Aql::from_thousandths(whole_f64_to_u32(rounded)).ok_or_else(err)
    }

    /// The AQL in thousandths of a percent (exact).
    #[must_use]
    pub fn thousandths(self) -> u32 {
        AQL_THOUSANDTHS[self.0]
    }

    /// The column heading as printed in Table II-A (`"0.065"`, `"1.0"`, `"10"`).
    #[must_use]
    pub fn label(self) -> &'static str {
        AQL_LABELS[self.0]
    }

    /// Column index in Table II-A (0 for 0.010 … 25 for 1000).
    #[must_use]
    pub fn column(self) -> usize {
        self.0
    }

    /// All 26 AQLs of Table II-A in column order.
    #[must_use]
    pub fn all() -> [Aql; 26] {
        std::array::from_fn(Aql)
    }
}

impl fmt::Display for Aql {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.label())
    }
}

impl FromStr for Aql {
    type Err = PlanError;

    /// Parses an exact decimal percentage such as `"1.0"`, `"1"`, `"0.65"`, `"0.1"` or `"2.5%"`.
    /// Anything that is not a column of Table II-A is an error listing the valid values.
    fn from_str(text: &str) -> Result<Self, Self::Err> {
        let trimmed = text.trim();
        let number = trimmed.strip_suffix('%').map_or(trimmed, str::trim);
        parse_scaled(number, 3)
            .and_then(|v| u32::try_from(v).ok())
            .and_then(Aql::from_thousandths)
            .ok_or_else(|| PlanError::InvalidAql {
                given: text.to_owned(),
            })
    }
}

/// Code letters of Table II-A, top to bottom (no I, O, S).
pub const CODE_LETTERS: [char; 16] = [
    'A', 'B', 'C', 'D', 'E', 'F', 'G', 'H', 'J', 'K', 'L', 'M', 'N', 'P', 'Q', 'R',
];

/// Sample size of each code letter (Table II-A, "Sample size" column), same order as
/// [`CODE_LETTERS`].
pub const SAMPLE_SIZES: [u64; 16] = [
    2, 3, 5, 8, 13, 20, 32, 50, 80, 125, 200, 315, 500, 800, 1250, 2000,
];

/// One cell of Table II-A.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TableCell {
    /// Acceptance and rejection numbers.
    Plan {
        /// Acceptance number `Ac`.
        accept: u32,
        /// Rejection number `Re`.
        reject: u32,
    },
    /// `↓`: use the first sampling plan below the arrow.
    UseBelow,
    /// `↑`: use the first sampling plan above the arrow.
    UseAbove,
}

/// `Ac` of the numbered cells after the first `0 1` of a column, one row further down each.
const AC_AFTER_ZERO: [u32; 8] = [1, 2, 3, 5, 7, 10, 14, 21];

/// Index of a code letter in [`CODE_LETTERS`].
fn letter_index(letter: char) -> Option<usize> {
    CODE_LETTERS
        .iter()
        .position(|&c| c == letter.to_ascii_uppercase())
}

/// The raw cell of Z1.4 Table II-A (single sampling plans for normal inspection, master table)
/// for a code letter and AQL, before following arrows. `None` for a letter not in the table.
///
/// # Encoding
///
/// The published table is diagonal: moving one row down (sample size × ~1.6) has the same effect
/// as moving one AQL column right (AQL × ~1.6), so a cell depends on `d = row + column`
/// (row 0 = A … 15 = R, column 0 = AQL 0.010 … 25 = AQL 1000):
///
/// | `d` | cell |
/// | --- | --- |
/// | 0–13 | `↓` |
/// | 14 | `0 1` |
/// | 15 | `↑` |
/// | 16 | `↓` |
/// | 17–24 | `1 2`, `2 3`, `3 4`, `5 6`, `7 8`, `10 11`, `14 15`, `21 22` |
/// | 25 | `30 31` in rows A–E, else `↑` |
/// | 26 | `44 45` in rows A–E, else `↑` |
/// | 27+ | `↑` |
///
/// so that each column reads, top to bottom, `↓ … ↓, 0 1, ↑, ↓, 1 2, 2 3, 3 4, 5 6, 7 8, 10 11,
/// 14 15, 21 22, ↑ … ↑` (AQL 6.5: A `0 1`, B `↑`, C `↓`, D `1 2`, E `2 3` … L `21 22`, M–R `↑`).
/// The `30 31` and `44 45` cells exist only in the top-right corner (rows A–E, AQL 100–1000);
/// below them the table shows `↑` (row F at AQL 100 uses row E's `21 22`).
///
/// Two corner cells cannot point where the diagonal would: row A at AQL 10 (`d` = 15) has no
/// row above, so its arrow points down (through B's `↓` to C: n = 5, `1 2`), and row R at AQL
/// 0.015 (`d` = 16) has no row below, so its arrow points up (through Q's `↑` to P: n = 800,
/// `0 1`). Those two resolved plans are the ones the published table gives.
///
/// All 416 cells, after following arrows, were checked against an independent transcription of
/// the published table (sample size and `Ac` of every letter × AQL).
#[must_use]
pub fn table_ii_a_cell(letter: char, aql: Aql) -> Option<TableCell> {
    letter_index(letter).map(|row| cell_at(row, aql.column()))
}

/// Cell at `row` (0 = A … 15 = R) and `column` (0 = AQL 0.010 … 25 = AQL 1000) of Table II-A;
/// the encoding is documented on [`table_ii_a_cell`].
fn cell_at(row: usize, column: usize) -> TableCell {
    // Corner cells (see above).
    if row == 0 && column == 15 {
        return TableCell::UseBelow;
    }
    if row == 15 && column == 1 {
        return TableCell::UseAbove;
    }
    let plan = |accept: u32| TableCell::Plan {
        accept,
        reject: accept + 1,
    };
    match row + column {
        0..=13 | 16 => TableCell::UseBelow,
        14 => plan(0),
        d @ 17..=24 => plan(AC_AFTER_ZERO[d - 17]),
        25 if row <= 4 => plan(30),
        26 if row <= 4 => plan(44),
        // 15, 25 and 26 below row E, 27 and more.
        _ => TableCell::UseAbove,
    }
}

/// A resolved plan of Table II-A.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct SingleSamplingPlan {
    /// Code letter the lookup started from.
    pub code_letter: char,
    /// Code letter of the row whose plan applies (after following arrows).
    pub code_letter_used: char,
    /// Sample size of that row.
    pub sample_size: u64,
    /// Acceptance number `Ac`.
    pub accept: u32,
    /// Rejection number `Re`.
    pub reject: u32,
}

/// Follows Table II-A from a code letter and AQL to a plan: on `↓` move down, on `↑` move up
/// (same column) until a cell with numbers; that row's sample size and `Ac`/`Re` apply.
/// `None` for a letter not in the table.
#[must_use]
pub fn single_sampling_plan(letter: char, aql: Aql) -> Option<SingleSamplingPlan> {
    letter_index(letter).map(|start| resolve_row(start, aql))
}

/// Follows the arrows of Table II-A from row `start` (0 = A). Every column has a numbered cell,
/// row A has no `↑` and row R no `↓` (see [`table_ii_a_cell`]; checked for all 416 cells by the
/// tests), so the walk stays in the table and ends.
fn resolve_row(start: usize, aql: Aql) -> SingleSamplingPlan {
    let mut row = start;
    loop {
        match cell_at(row, aql.column()) {
            TableCell::Plan { accept, reject } => {
                return SingleSamplingPlan {
                    code_letter: CODE_LETTERS[start],
                    code_letter_used: CODE_LETTERS[row],
                    sample_size: SAMPLE_SIZES[row],
                    accept,
                    reject,
                };
            }
            TableCell::UseBelow => row += 1,
            TableCell::UseAbove => row -= 1,
        }
    }
}

/// ANSI/ASQ Z1.4 single sampling, normal inspection, for a lot.
///
/// Table I gives the code letter for `lot_size` and `level`; Table II-A, following arrows, gives
/// the sample size and `Ac`/`Re`. When the sample size equals or exceeds the lot size, every item
/// is inspected (note to Table II-A: "If sample size equals, or exceeds, lot or batch size, do
/// 100 percent inspection"): the sample size becomes the lot size, `inspect_all` is set and
/// `Ac`/`Re` are those of the plan.
///
/// Example: lot of 1000 at level II → letter J (Table I, band 501–1200); AQL 1.0 → n = 80,
/// Ac 2, Re 3.
///
/// # Errors
///
/// [`PlanError::EmptyPopulation`] for a lot of 0.
pub fn z14_plan(lot_size: u64, level: InspectionLevel, aql: Aql) -> Result<PlanResult, PlanError> {
    let letter = code_letter(lot_size, level)?;
    let plan = resolve_row(letter_index(letter).unwrap_or(0), aql);
    let inspect_all = plan.sample_size >= lot_size;
    Ok(PlanResult {
        plan: "z14",
        population: lot_size,
        code_letter: Some(plan.code_letter),
        code_letter_used: Some(plan.code_letter_used),
        sample_size: plan.sample_size.min(lot_size),
        accept: Some(plan.accept),
        reject: Some(plan.reject),
        inspect_all,
    })
}

// ================================================================================================
// AICPA attribute sampling (exact binomial)
// ================================================================================================

/// The largest sample the attribute plan searches. Beyond it the plan is
/// [`PlanError::SampleTooLarge`] (unless the population is smaller: then it is inspected whole).
pub const MAX_ATTRIBUTE_SAMPLE: u64 = 1_000_000;

/// An attribute sampling plan for a test of controls.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct AttributePlan {
    /// Sample size `n`.
    pub sample_size: u64,
    /// Expected number of deviations in the sample, `ceil(n × expected rate)`: the figure in
    /// parentheses in AICPA Tables A-1/A-2.
    pub expected_deviations: u64,
    /// Largest number of deviations `a` with which the sample still supports reliance: the
    /// largest `a` with `P(X ≤ a | n, tolerable) ≤ 1 − confidence`, i.e. whose upper deviation
    /// limit at `n` is at most the tolerable rate. At least `expected_deviations`.
    pub allowable_deviations: u32,
}

/// `ceil(n × rate)` in exact integer arithmetic (no float product).
#[must_use]
pub fn expected_deviations(n: u64, rate: Rate) -> u64 {
    let product = u128::from(n) * u128::from(rate.ppm());
    // ceil(product / 1e6); at most n, so it fits in u64.
    u64::try_from(product.div_ceil(u128::from(PPM))).unwrap_or(u64::MAX)
}

fn validate_attribute(confidence: Rate, tolerable: Rate, expected: Rate) -> Result<(), PlanError> {
    if confidence.ppm() == 0 || confidence.ppm() >= PPM {
        return Err(invalid(
            "confidence",
            format!("{confidence} is not strictly between 0 and 1"),
        ));
    }
    if tolerable.ppm() == 0 || tolerable.ppm() >= PPM {
        return Err(invalid(
            "tolerable",
            format!("{tolerable} is not strictly between 0 and 1"),
        ));
    }
    if expected >= tolerable {
        return Err(invalid(
            "expected",
            format!("{expected} is not below the tolerable deviation rate {tolerable}"),
        ));
    }
    Ok(())
}

/// Converts a count to f64 for probability work (exact below 2^53, far above any sample here).
#[allow(clippy::cast_precision_loss)]
fn count_f64(n: u64) -> f64 {
    n as f64
}

/// `ln(e^a + e^b)` without overflow.
fn log_add(a: f64, b: f64) -> f64 {
    let (hi, lo) = if a >= b { (a, b) } else { (b, a) };
    if lo == f64::NEG_INFINITY {
        return hi;
    }
    hi + (lo - hi).exp().ln_1p()
}

/// `ln P(X ≤ k)` for `X ~ Binomial(n, p)`, exact up to float rounding.
///
/// Sums the terms `C(n, i) p^i (1 − p)^(n − i)` in log space (`ln` of the first term is
/// `n · ln(1 − p)`, each next term multiplies by `(n − i)/(i + 1) · p/(1 − p)`), with a running
/// log-sum-exp, so that nothing underflows for large `n`.
fn binomial_cdf_ln(k: u64, n: u64, p: f64) -> f64 {
    if k >= n || p <= 0.0 {
        return 0.0;
    }
    if p >= 1.0 {
        return f64::NEG_INFINITY;
    }
    let ln_q = (-p).ln_1p();
    let ln_odds = p.ln() - ln_q;
    let mut term = count_f64(n) * ln_q;
    let mut total = term;
    for i in 0..k {
        term += (count_f64(n - i) / count_f64(i + 1)).ln() + ln_odds;
        total = log_add(total, term);
    }
    total.min(0.0)
}

/// `P(X ≤ k)` for `X ~ Binomial(n, p)`: the exact binomial cumulative distribution, computed in
/// log space (no underflow for large `n`). `p` is clamped to \[0, 1\].
#[must_use]
pub fn binomial_cdf(k: u64, n: u64, p: f64) -> f64 {
    binomial_cdf_ln(k, n, p.clamp(0.0, 1.0)).exp()
}

/// Upper deviation limit: the population deviation rate `p` such that
/// `P(X ≤ deviations | n, p) = 1 − confidence`, for `X ~ Binomial(n, p)`.
///
/// This is what AICPA Tables A-3 (95 %) and A-4 (90 %) of the Audit Guide *Audit Sampling* tabulate
/// ("Statistical sampling results evaluation table for tests of controls — upper limits"),
/// printed as a percentage rounded **up** to one decimal: n = 100 with 1 deviation at 95 % is
/// 4.656 %, printed 4.7. Found by bisection to within 1e-10. If `deviations ≥ n` the limit is 1.
///
/// # Errors
///
/// [`PlanError::InvalidParameter`] for `n` = 0 (`sample size`) or a confidence not strictly
/// between 0 and 1 (`confidence`).
pub fn upper_deviation_limit(n: u64, deviations: u64, confidence: f64) -> Result<f64, PlanError> {
    if n == 0 {
        return Err(invalid("sample size", "must be at least 1"));
    }
    if !(confidence > 0.0 && confidence < 1.0) {
        return Err(invalid(
            "confidence",
            format!("{confidence} is not strictly between 0 and 1"),
        ));
    }
    if deviations >= n {
        return Ok(1.0);
    }
    let alpha = 1.0 - confidence;
    // P(X ≤ d | n, p) falls from 1 (p = 0) to 0 (p = 1).
    let (mut lo, mut hi) = (0.0_f64, 1.0_f64);
    while hi - lo > 1e-10 {
        let mid = f64::midpoint(lo, hi);
        if binomial_cdf(deviations, n, mid) > alpha {
            lo = mid;
        } else {
            hi = mid;
        }
    }
    Ok(f64::midpoint(lo, hi))
}

/// AICPA attribute sampling for tests of controls: the sample size for a confidence level
/// (1 − risk of overreliance), a tolerable deviation rate `T` and an expected population
/// deviation rate `E`.
///
/// # Definition
///
/// With `k(n) = ceil(n × E)` (the expected number of deviations in a sample of `n`, in exact
/// integer arithmetic), the sample size is the **smallest** `n ≥ 1` with
///
/// ```text
/// P(X ≤ k(n) | n, T) ≤ 1 − confidence,      X ~ Binomial(n, T)
/// ```
///
/// i.e. the smallest sample whose upper deviation limit with `k(n)` deviations found is at most
/// `T`. This reproduces AICPA Tables A-1 (5 % risk of overreliance, i.e. 95 % confidence) and
/// A-2 (10 % risk, 90 % confidence), "Statistical sample sizes for tests of controls", sizes and
/// the expected number of deviations printed in parentheses: 95 %, T = 5 %, E = 0 → 59 (0);
/// E = 1 % → 93 (1); 90 %, T = 5 %, E = 0 → 45 (0). (The tables print `*` instead of sizes they
/// consider too large to be cost-effective; this function returns the size.) The ceiling matters:
/// for any `E > 0` a sample is planned to absorb at least one deviation (row 0.25 % of Table A-1
/// gives 93 (1), not 59 (0), at T = 5 %).
///
/// [`AttributePlan::allowable_deviations`] is then the largest `a` with
/// `P(X ≤ a | n, T) ≤ 1 − confidence` at that `n` (the deviations the sample may show while still
/// supporting reliance); it is at least `k(n)`.
///
/// The tables assume a large population; [`Plan::size_for`] caps the size at the population.
///
/// # Errors
///
/// [`PlanError::InvalidParameter`] naming `confidence` or `tolerable` when not strictly between 0
/// and 1, or `expected` when not below `tolerable`; [`PlanError::SampleTooLarge`] when no
/// `n ≤` [`MAX_ATTRIBUTE_SAMPLE`] qualifies.
pub fn attribute_sample_size(
    confidence: Rate,
    tolerable: Rate,
    expected: Rate,
) -> Result<AttributePlan, PlanError> {
    validate_attribute(confidence, tolerable, expected)?;
    let alpha = f64::from(PPM - confidence.ppm()) / 1e6;
    let ln_alpha = alpha.ln();
    let t = tolerable.as_f64();
    let ln_q = (-t).ln_1p();
    let ln_odds = t.ln() - ln_q;

    // Walk n = 1, 2, … keeping ln P(X = k | n, T) and ln P(X ≤ k | n, T) for k = k(n), each
    // updated in O(1):
    //   P(X_{n+1} ≤ k) = P(X_n ≤ k) − T · P(X_n = k)
    //   P(X_{n+1} = k) = P(X_n = k) · (n + 1)/(n + 1 − k) · (1 − T)
    //   P(X_n = k + 1) = P(X_n = k) · (n − k)/(k + 1) · T/(1 − T)
    //   P(X_n ≤ k + 1) = P(X_n ≤ k) + P(X_n = k + 1)
    // k(n) = ceil(n E) rises by at most 1 per step because E < 1. A candidate, or a near miss
    // within the drift of the updates, is confirmed with the direct sum of `binomial_cdf_ln`,
    // so the answer does not depend on accumulated rounding.
    let (mut n, mut k) = (0_u64, 0_u64);
    let (mut ln_pmf, mut ln_cdf) = (0.0_f64, 0.0_f64); // X_0 = 0 surely
    while n < MAX_ATTRIBUTE_SAMPLE {
        ln_cdf += (-t * (ln_pmf - ln_cdf).exp()).ln_1p();
        ln_pmf += (count_f64(n + 1) / count_f64(n + 1 - k)).ln() + ln_q;
        n += 1;
        let k_next = expected_deviations(n, expected);
        while k < k_next {
            ln_pmf += (count_f64(n - k) / count_f64(k + 1)).ln() + ln_odds;
            k += 1;
            ln_cdf = log_add(ln_cdf, ln_pmf);
        }
        if ln_cdf <= ln_alpha + 1e-7 && binomial_cdf_ln(k, n, t) <= ln_alpha {
            let mut allowable = k;
            while allowable + 1 < n && binomial_cdf_ln(allowable + 1, n, t) <= ln_alpha {
                allowable += 1;
            }
            return Ok(AttributePlan {
                sample_size: n,
                expected_deviations: k,
                allowable_deviations: u32::try_from(allowable).unwrap_or(u32::MAX),
            });
        }
    }
    Err(PlanError::SampleTooLarge {
        limit: MAX_ATTRIBUTE_SAMPLE,
    })
}

// ================================================================================================
// Tests
// ================================================================================================

#[cfg(test)]
mod tests {
    use super::*;

    fn aql(text: &str) -> Aql {
        text.parse().unwrap()
    }

    fn cell(letter: char, aql_text: &str) -> TableCell {
        table_ii_a_cell(letter, aql(aql_text)).unwrap()
    }

    fn ac_re(accept: u32, reject: u32) -> TableCell {
        TableCell::Plan { accept, reject }
    }

    /// (letter used, n, Ac, Re) after following arrows.
    fn resolved(letter: char, aql_text: &str) -> (char, u64, u32, u32) {
        let p = single_sampling_plan(letter, aql(aql_text)).unwrap();
        assert_eq!(p.code_letter, letter);
        (p.code_letter_used, p.sample_size, p.accept, p.reject)
    }

    fn z14(lot: u64, level: &str, aql_text: &str) -> PlanResult {
        Plan::z14(level, aql_text).unwrap().size_for(lot).unwrap()
    }

    fn attr(confidence: f64, tolerable: f64, expected: f64) -> (u64, u64) {
        let found = attribute_sample_size(
            Rate::from_f64(confidence).unwrap(),
            Rate::from_f64(tolerable).unwrap(),
            Rate::from_f64(expected).unwrap(),
        )
        .unwrap();
        (found.sample_size, found.expected_deviations)
    }

    /// UDL as printed in AICPA Tables A-3/A-4: percent, rounded up to one decimal.
    fn udl_table(n: u64, d: u64, confidence: f64) -> f64 {
        let p = upper_deviation_limit(n, d, confidence).unwrap();
        (p * 1000.0).ceil() / 10.0
    }

    // ----- Z1.4 Table I -------------------------------------------------------------------------

    #[test]
    fn table_i_level_ii_worked_examples() {
        // Table I, row 501-1200, column II: J.
        assert_eq!(code_letter(1000, InspectionLevel::II), Ok('J'));
        // Row 281-500, column II: H.
        assert_eq!(code_letter(500, InspectionLevel::II), Ok('H'));
        // Row 3201-10000, column II: L.
        assert_eq!(code_letter(5000, InspectionLevel::II), Ok('L'));
        // Row 91-150, column I: D.
        assert_eq!(code_letter(100, InspectionLevel::I), Ok('D'));
    }

    #[test]
    fn table_i_band_edges_level_ii() {
        // Column II of Table I: 2-8 A, 9-15 B, 16-25 C, ..., 150001-500000 P, 500001+ Q.
        #[rustfmt::skip]
        let edges = [
            (2, 'A'), (8, 'A'), (9, 'B'), (15, 'B'), (16, 'C'), (25, 'C'), (26, 'D'), (50, 'D'),
            (51, 'E'), (90, 'E'), (91, 'F'), (150, 'F'), (151, 'G'), (280, 'G'), (281, 'H'),
            (500, 'H'), (501, 'J'), (1200, 'J'), (1201, 'K'), (3200, 'K'), (3201, 'L'),
            (10_000, 'L'), (10_001, 'M'), (35_000, 'M'), (35_001, 'N'), (150_000, 'N'),
            (150_001, 'P'), (500_000, 'P'), (500_001, 'Q'), (u64::MAX, 'Q'),
        ];
        for (lot, letter) in edges {
            assert_eq!(
                code_letter(lot, InspectionLevel::II),
                Ok(letter),
                "lot {lot}"
            );
        }
    }

    #[test]
    fn table_i_levels_i_and_iii_extremes() {
        // Row 2-8: I A, III B. Row 500001 and over: I N, III R.
        assert_eq!(code_letter(5, InspectionLevel::I), Ok('A'));
        assert_eq!(code_letter(5, InspectionLevel::III), Ok('B'));
        assert_eq!(code_letter(600_000, InspectionLevel::I), Ok('N'));
        assert_eq!(code_letter(600_000, InspectionLevel::III), Ok('R'));
        // Row 1201-3200: I H, III L.
        assert_eq!(code_letter(2000, InspectionLevel::I), Ok('H'));
        assert_eq!(code_letter(2000, InspectionLevel::III), Ok('L'));
    }

    #[test]
    fn table_i_special_levels() {
        // Row 500001 and over: S-1 D, S-2 E, S-3 H, S-4 K.
        assert_eq!(code_letter(1_000_000, InspectionLevel::S1), Ok('D'));
        assert_eq!(code_letter(1_000_000, InspectionLevel::S2), Ok('E'));
        assert_eq!(code_letter(1_000_000, InspectionLevel::S3), Ok('H'));
        assert_eq!(code_letter(1_000_000, InspectionLevel::S4), Ok('K'));
        // Row 1201-3200: S-1 C, S-2 D, S-3 E, S-4 G.
        assert_eq!(code_letter(3000, InspectionLevel::S1), Ok('C'));
        assert_eq!(code_letter(3000, InspectionLevel::S2), Ok('D'));
        assert_eq!(code_letter(3000, InspectionLevel::S3), Ok('E'));
        assert_eq!(code_letter(3000, InspectionLevel::S4), Ok('G'));
        // Row 26-50: S-1 A, S-2 B, S-3 B, S-4 C.
        assert_eq!(code_letter(40, InspectionLevel::S1), Ok('A'));
        assert_eq!(code_letter(40, InspectionLevel::S2), Ok('B'));
        assert_eq!(code_letter(40, InspectionLevel::S3), Ok('B'));
        assert_eq!(code_letter(40, InspectionLevel::S4), Ok('C'));
    }

    #[test]
    fn inspection_level_parsing() {
        assert_eq!("II".parse(), Ok(InspectionLevel::II));
        assert_eq!(" iii ".parse(), Ok(InspectionLevel::III));
        assert_eq!("S-3".parse(), Ok(InspectionLevel::S3));
        assert_eq!("s4".parse(), Ok(InspectionLevel::S4));
        for level in InspectionLevel::ALL {
            assert_eq!(level.to_string().parse(), Ok(level));
        }
        let err = "IV".parse::<InspectionLevel>().unwrap_err();
        assert_eq!(err, PlanError::InvalidLevel { given: "IV".into() });
        assert!(err.to_string().contains("S-1, S-2, S-3, S-4, I, II, III"));
    }

    // ----- Z1.4 AQL values ----------------------------------------------------------------------

    #[test]
    fn aql_parsing_is_exact() {
        assert_eq!(aql("1.0"), aql("1"));
        assert_eq!(aql("1.00"), aql("1"));
        assert_eq!(aql("2.5%"), aql("2.5"));
        assert_eq!(aql("0.1"), aql("0.10"));
        assert_eq!(aql("0.065").thousandths(), 65);
        assert_eq!(aql("1000").thousandths(), 1_000_000);
        assert_eq!(aql("0.65").label(), "0.65");
        assert_eq!(Aql::from_percent(0.65), Ok(aql("0.65")));
        assert_eq!(Aql::from_percent(0.1), Ok(aql("0.10")));
        assert_eq!(Aql::all().len(), 26);
        for a in Aql::all() {
            assert_eq!(a.label().parse(), Ok(a));
        }
    }

    #[test]
    fn invalid_aql_lists_the_valid_values() {
        for bad in ["0.5", "2", "3.0", "0.0651", "", "-1", "1e0", "abc", "1500"] {
            let err = bad.parse::<Aql>().unwrap_err();
            assert_eq!(err, PlanError::InvalidAql { given: bad.into() });
        }
        let message = "0.5".parse::<Aql>().unwrap_err().to_string();
        assert!(message.contains("`0.5`"), "{message}");
        assert!(message.contains("0.010, 0.015, 0.025, 0.040, 0.065, 0.10, 0.15, 0.25, 0.40, 0.65, 1.0, 1.5, 2.5, 4.0, 6.5, 10, 15, 25, 40, 65, 100, 150, 250, 400, 650, 1000"), "{message}");
        assert!(Aql::from_percent(0.5).is_err());
        assert!(Aql::from_percent(f64::NAN).is_err());
        assert!(Plan::z14("II", "0.3").is_err());
    }

    // ----- Z1.4 Table II-A: raw cells -----------------------------------------------------------

    #[test]
    fn table_ii_a_numbered_cells_from_brief() {
        // Table II-A, row J (n = 80), column 1.0: Ac 2 Re 3.
        assert_eq!(cell('J', "1.0"), ac_re(2, 3));
        // Row K (125), column 1.0: 3 4.
        assert_eq!(cell('K', "1.0"), ac_re(3, 4));
        // Row G (32), column 2.5: 2 3.
        assert_eq!(cell('G', "2.5"), ac_re(2, 3));
        // Row L (200), column 0.65: 3 4.
        assert_eq!(cell('L', "0.65"), ac_re(3, 4));
        // Row A (2), column 6.5: 0 1.
        assert_eq!(cell('A', "6.5"), ac_re(0, 1));
        // Row H (50), column 0.25: 0 1 -- a numbered cell, not an arrow (the 0 1 of column 0.25
        // is in row H; J below it is the up arrow, K the down arrow, L 1 2).
        assert_eq!(cell('H', "0.25"), ac_re(0, 1));
        assert_eq!(cell('J', "0.25"), TableCell::UseAbove);
        assert_eq!(cell('K', "0.25"), TableCell::UseBelow);
        assert_eq!(cell('L', "0.25"), ac_re(1, 2));
    }

    #[test]
    fn table_ii_a_column_6_5_top_to_bottom() {
        // Column 6.5 of Table II-A: A 0 1, B up, C down, D 1 2, E 2 3, F 3 4, G 5 6, H 7 8,
        // J 10 11, K 14 15, L 21 22, M..R up.
        let (up, down) = (TableCell::UseAbove, TableCell::UseBelow);
        #[rustfmt::skip]
        let expected = [
            ac_re(0, 1), up, down, ac_re(1, 2), ac_re(2, 3), ac_re(3, 4), ac_re(5, 6), ac_re(7, 8),
            ac_re(10, 11), ac_re(14, 15), ac_re(21, 22), up, up, up, up, up,
        ];
        for (letter, want) in CODE_LETTERS.iter().zip(expected) {
            assert_eq!(cell(*letter, "6.5"), want, "row {letter}");
        }
    }

    #[test]
    fn table_ii_a_row_k_left_to_right() {
        // Row K (n = 125): 0.010-0.065 down, 0.10 0 1, 0.15 up, 0.25 down, 0.40 1 2, 0.65 2 3,
        // 1.0 3 4, 1.5 5 6, 2.5 7 8, 4.0 10 11, 6.5 14 15, 10 21 22, 15 and above up.
        let (up, down) = (TableCell::UseAbove, TableCell::UseBelow);
        #[rustfmt::skip]
        let expected = [
            down, down, down, down, down, ac_re(0, 1), up, down, ac_re(1, 2), ac_re(2, 3),
            ac_re(3, 4), ac_re(5, 6), ac_re(7, 8), ac_re(10, 11), ac_re(14, 15), ac_re(21, 22),
        ];
        for (a, want) in Aql::all().iter().zip(expected) {
            assert_eq!(table_ii_a_cell('K', *a), Some(want), "AQL {a}");
        }
        for a in &Aql::all()[16..] {
            assert_eq!(
                table_ii_a_cell('K', *a),
                Some(TableCell::UseAbove),
                "AQL {a}"
            );
        }
    }

    #[test]
    fn table_ii_a_top_right_corner() {
        // Rows A-E, AQL 100-1000 (nonconformities per hundred units):
        // A: 100 5 6, 150 7 8, 250 10 11, 400 14 15, 650 21 22, 1000 30 31
        // B: 650 30 31, 1000 44 45; C: 400 30 31, 650 44 45, 1000 up;
        // E: 100 21 22, 150 30 31, 250 44 45, 400 up; F: 65 21 22, 100 up.
        assert_eq!(cell('A', "100"), ac_re(5, 6));
        assert_eq!(cell('A', "150"), ac_re(7, 8));
        assert_eq!(cell('A', "250"), ac_re(10, 11));
        assert_eq!(cell('A', "400"), ac_re(14, 15));
        assert_eq!(cell('A', "650"), ac_re(21, 22));
        assert_eq!(cell('A', "1000"), ac_re(30, 31));
        assert_eq!(cell('B', "650"), ac_re(30, 31));
        assert_eq!(cell('B', "1000"), ac_re(44, 45));
        assert_eq!(cell('C', "400"), ac_re(30, 31));
        assert_eq!(cell('C', "650"), ac_re(44, 45));
        assert_eq!(cell('C', "1000"), TableCell::UseAbove);
        assert_eq!(cell('E', "100"), ac_re(21, 22));
        assert_eq!(cell('E', "150"), ac_re(30, 31));
        assert_eq!(cell('E', "250"), ac_re(44, 45));
        assert_eq!(cell('E', "400"), TableCell::UseAbove);
        assert_eq!(cell('F', "65"), ac_re(21, 22));
        assert_eq!(cell('F', "100"), TableCell::UseAbove);
    }

    #[test]
    fn table_ii_a_corner_cells() {
        // Row A, AQL 10: down arrow (B below is a down arrow too, C has 1 2).
        assert_eq!(cell('A', "10"), TableCell::UseBelow);
        assert_eq!(cell('B', "10"), TableCell::UseBelow);
        assert_eq!(cell('C', "10"), ac_re(1, 2));
        // Row R, AQL 0.010 and 0.015: up arrows (Q 0.010 is 0 1; Q 0.015 up, P 0.015 0 1).
        assert_eq!(cell('R', "0.010"), TableCell::UseAbove);
        assert_eq!(cell('R', "0.015"), TableCell::UseAbove);
        assert_eq!(cell('Q', "0.010"), ac_re(0, 1));
        assert_eq!(cell('P', "0.015"), ac_re(0, 1));
        // Row R, AQL 0.025: 1 2 (Q 0.025 is a down arrow to it).
        assert_eq!(cell('Q', "0.025"), TableCell::UseBelow);
        assert_eq!(cell('R', "0.025"), ac_re(1, 2));
        assert_eq!(table_ii_a_cell('I', aql("1.0")), None);
    }

    /// Table II-A transcribed row by row (`v` = use first plan below, `^` = use first plan above,
    /// `a/r` = Ac/Re), columns 0.010 … 1000. Checks the diagonal encoding cell by cell.
    #[test]
    fn table_ii_a_full_transcription() {
        let rows = [
            "A v v v v v v v v v v v v v v 0/1 v v 1/2 2/3 3/4 5/6 7/8 10/11 14/15 21/22 30/31",
            "B v v v v v v v v v v v v v 0/1 ^ v 1/2 2/3 3/4 5/6 7/8 10/11 14/15 21/22 30/31 44/45",
            "C v v v v v v v v v v v v 0/1 ^ v 1/2 2/3 3/4 5/6 7/8 10/11 14/15 21/22 30/31 44/45 ^",
            "D v v v v v v v v v v v 0/1 ^ v 1/2 2/3 3/4 5/6 7/8 10/11 14/15 21/22 30/31 44/45 ^ ^",
            "E v v v v v v v v v v 0/1 ^ v 1/2 2/3 3/4 5/6 7/8 10/11 14/15 21/22 30/31 44/45 ^ ^ ^",
            "F v v v v v v v v v 0/1 ^ v 1/2 2/3 3/4 5/6 7/8 10/11 14/15 21/22 ^ ^ ^ ^ ^ ^",
            "G v v v v v v v v 0/1 ^ v 1/2 2/3 3/4 5/6 7/8 10/11 14/15 21/22 ^ ^ ^ ^ ^ ^ ^",
            "H v v v v v v v 0/1 ^ v 1/2 2/3 3/4 5/6 7/8 10/11 14/15 21/22 ^ ^ ^ ^ ^ ^ ^ ^",
            "J v v v v v v 0/1 ^ v 1/2 2/3 3/4 5/6 7/8 10/11 14/15 21/22 ^ ^ ^ ^ ^ ^ ^ ^ ^",
            "K v v v v v 0/1 ^ v 1/2 2/3 3/4 5/6 7/8 10/11 14/15 21/22 ^ ^ ^ ^ ^ ^ ^ ^ ^ ^",
            "L v v v v 0/1 ^ v 1/2 2/3 3/4 5/6 7/8 10/11 14/15 21/22 ^ ^ ^ ^ ^ ^ ^ ^ ^ ^ ^",
            "M v v v 0/1 ^ v 1/2 2/3 3/4 5/6 7/8 10/11 14/15 21/22 ^ ^ ^ ^ ^ ^ ^ ^ ^ ^ ^ ^",
            "N v v 0/1 ^ v 1/2 2/3 3/4 5/6 7/8 10/11 14/15 21/22 ^ ^ ^ ^ ^ ^ ^ ^ ^ ^ ^ ^ ^",
            "P v 0/1 ^ v 1/2 2/3 3/4 5/6 7/8 10/11 14/15 21/22 ^ ^ ^ ^ ^ ^ ^ ^ ^ ^ ^ ^ ^ ^",
            "Q 0/1 ^ v 1/2 2/3 3/4 5/6 7/8 10/11 14/15 21/22 ^ ^ ^ ^ ^ ^ ^ ^ ^ ^ ^ ^ ^ ^ ^",
            "R ^ ^ 1/2 2/3 3/4 5/6 7/8 10/11 14/15 21/22 ^ ^ ^ ^ ^ ^ ^ ^ ^ ^ ^ ^ ^ ^ ^ ^",
        ];
        for row in rows {
            let mut tokens = row.split(' ');
            let letter = tokens.next().unwrap().chars().next().unwrap();
            let cells: Vec<&str> = tokens.collect();
            assert_eq!(cells.len(), 26, "row {letter}");
            for (a, token) in Aql::all().iter().zip(cells) {
                let want = match token {
                    "v" => TableCell::UseBelow,
                    "^" => TableCell::UseAbove,
                    pair => {
                        let (ac, re) = pair.split_once('/').unwrap();
                        ac_re(ac.parse().unwrap(), re.parse().unwrap())
                    }
                };
                assert_eq!(
                    table_ii_a_cell(letter, *a),
                    Some(want),
                    "row {letter}, AQL {a}"
                );
            }
        }
    }

    #[test]
    fn every_cell_resolves_and_re_is_ac_plus_one() {
        for letter in CODE_LETTERS {
            for a in Aql::all() {
                let p = single_sampling_plan(letter, a).unwrap();
                assert_eq!(p.reject, p.accept + 1);
                assert!(matches!(
                    table_ii_a_cell(p.code_letter_used, a),
                    Some(TableCell::Plan { .. })
                ));
            }
        }
    }

    // ----- Z1.4 Table II-A: following arrows ----------------------------------------------------

    #[test]
    fn arrows_lead_to_the_right_row() {
        // B, 6.5: up arrow -> A: n 2, 0 1.
        assert_eq!(resolved('B', "6.5"), ('A', 2, 0, 1));
        // C, 6.5: down arrow -> D: n 8, 1 2.
        assert_eq!(resolved('C', "6.5"), ('D', 8, 1, 2));
        // E, 2.5: down arrow -> F: n 20, 1 2.
        assert_eq!(resolved('E', "2.5"), ('F', 20, 1, 2));
        // D, 2.5: up arrow -> C: n 5, 0 1.
        assert_eq!(resolved('D', "2.5"), ('C', 5, 0, 1));
        // A, 0.010: down arrows to Q: n 1250, 0 1.
        assert_eq!(resolved('A', "0.010"), ('Q', 1250, 0, 1));
        // R, 0.010: up arrow -> Q: n 1250, 0 1.
        assert_eq!(resolved('R', "0.010"), ('Q', 1250, 0, 1));
        // R, 0.015: up arrows (R, Q) -> P: n 800, 0 1.
        assert_eq!(resolved('R', "0.015"), ('P', 800, 0, 1));
        // A, 10: down arrows (A, B) -> C: n 5, 1 2.
        assert_eq!(resolved('A', "10"), ('C', 5, 1, 2));
        // A, 15: down arrow -> B: n 3, 1 2.
        assert_eq!(resolved('A', "15"), ('B', 3, 1, 2));
        // R, 1.0: up arrow -> Q: n 1250, 21 22.
        assert_eq!(resolved('R', "1.0"), ('Q', 1250, 21, 22));
        // R, 0.65: 21 22 with n 2000.
        assert_eq!(resolved('R', "0.65"), ('R', 2000, 21, 22));
        // F, 100: up arrow -> E: n 13, 21 22.
        assert_eq!(resolved('F', "100"), ('E', 13, 21, 22));
        // C, 1000: up arrow -> B: n 3, 44 45.
        assert_eq!(resolved('C', "1000"), ('B', 3, 44, 45));
        // K, 15: up arrow -> J: n 80, 21 22.
        assert_eq!(resolved('K', "15"), ('J', 80, 21, 22));
    }

    #[test]
    fn numbered_cells_across_the_table() {
        // (letter, AQL, n, Ac) of numbered cells of Table II-A; Re = Ac + 1.
        let cells = [
            ('N', "0.10", 500, 1),
            ('M', "1.5", 315, 10),
            ('K', "4.0", 125, 10),
            ('K', "6.5", 125, 14),
            ('L', "2.5", 200, 10),
            ('H', "4.0", 50, 5),
            ('F', "6.5", 20, 3),
            ('E', "6.5", 13, 2),
            ('P', "0.065", 800, 1),
            ('Q', "0.040", 1250, 1),
            ('K', "0.40", 125, 1),
            ('G', "10", 32, 7),
            ('D', "40", 8, 7),
            ('B', "25", 3, 2),
        ];
        for (letter, a, n, ac) in cells {
            assert_eq!(resolved(letter, a), (letter, n, ac, ac + 1), "{letter} {a}");
        }
    }

    // ----- Z1.4 full chains through Plan::size_for ----------------------------------------------

    #[test]
    fn z14_lot_1000_level_ii_aql_1_0() {
        // Table I: 501-1200 / II -> J. Table II-A: J (80), 1.0 -> 2 3.
        let r = z14(1000, "II", "1.0");
        assert_eq!(
            r,
            PlanResult {
                plan: "z14",
                population: 1000,
                code_letter: Some('J'),
                code_letter_used: Some('J'),
                sample_size: 80,
                accept: Some(2),
                reject: Some(3),
                inspect_all: false,
            }
        );
    }

    #[test]
    fn z14_lot_500_and_5000_level_ii() {
        // Table I: 281-500 / II -> H (50); Table II-A H, 2.5 -> 3 4.
        let r = z14(500, "II", "2.5");
        assert_eq!(
            (r.code_letter, r.sample_size, r.accept, r.reject),
            (Some('H'), 50, Some(3), Some(4))
        );
        // Table I: 3201-10000 / II -> L (200); Table II-A L, 0.65 -> 3 4.
        let r = z14(5000, "II", "0.65");
        assert_eq!(
            (r.code_letter, r.sample_size, r.accept, r.reject),
            (Some('L'), 200, Some(3), Some(4))
        );
    }

    #[test]
    fn z14_lot_100_level_i_follows_up_arrow() {
        // Table I: 91-150 / I -> D (8). Table II-A D, 2.5: up arrow -> C (5): 0 1.
        let r = z14(100, "I", "2.5");
        assert_eq!(r.code_letter, Some('D'));
        assert_eq!(r.code_letter_used, Some('C'));
        assert_eq!(
            (r.sample_size, r.accept, r.reject, r.inspect_all),
            (5, Some(0), Some(1), false)
        );
    }

    #[test]
    fn z14_down_arrow_to_a_sample_larger_than_the_lot_inspects_all() {
        // Lot 40, level II -> D (Table I 26-50). D, 0.65: down arrows to F (n 20, 0 1): 20 < 40.
        let r = z14(40, "II", "0.65");
        assert_eq!((r.code_letter, r.code_letter_used), (Some('D'), Some('F')));
        assert_eq!((r.sample_size, r.inspect_all), (20, false));
        // Lot 12, level II -> B. B, 0.65: down arrows to F (n 20) >= 12: inspect all 12, 0 1.
        let r = z14(12, "II", "0.65");
        assert_eq!((r.code_letter, r.code_letter_used), (Some('B'), Some('F')));
        assert_eq!(
            (r.sample_size, r.accept, r.reject, r.inspect_all),
            (12, Some(0), Some(1), true)
        );
        // Lot 8, level III -> B (n 3); B, 6.5 up to A (n 2): 2 < 8, sample 2.
        let r = z14(8, "III", "6.5");
        assert_eq!(
            (r.code_letter_used, r.sample_size, r.inspect_all),
            (Some('A'), 2, false)
        );
        // Lot 2, level II -> A (n 2 = lot): inspect all.
        let r = z14(2, "II", "6.5");
        assert_eq!((r.sample_size, r.inspect_all, r.accept), (2, true, Some(0)));
    }

    #[test]
    fn z14_lot_of_one_and_empty_lot() {
        // A lot of 1 is read in band 2-8 (II -> A); the single item is inspected.
        let r = z14(1, "II", "1.0");
        assert_eq!(
            (r.code_letter, r.sample_size, r.inspect_all),
            (Some('A'), 1, true)
        );
        assert_eq!(
            Plan::z14("II", "1.0").unwrap().size_for(0),
            Err(PlanError::EmptyPopulation)
        );
        assert_eq!(
            code_letter(0, InspectionLevel::II),
            Err(PlanError::EmptyPopulation)
        );
    }

    #[test]
    fn z14_special_level_chain() {
        // Lot 10000, S-4 -> G (Table I 3201-10000 / S-4). G (32), 1.5 -> 1 2.
        let r = z14(10_000, "S-4", "1.5");
        assert_eq!(
            (r.code_letter, r.sample_size, r.accept),
            (Some('G'), 32, Some(1))
        );
        // Lot 200000, level III -> Q (1250); Q, 0.10 -> 3 4.
        let r = z14(200_000, "III", "0.10");
        assert_eq!(
            (r.code_letter, r.sample_size, r.accept, r.reject),
            (Some('Q'), 1250, Some(3), Some(4))
        );
    }

    // ----- Attribute sampling: AICPA Tables A-1 (95 %) and A-2 (90 %) ------------------------

    #[test]
    fn aicpa_examples_from_brief() {
        // Table A-1 (5 % risk of overreliance), tolerable 5 %, expected 0.00 %: 59 (0).
        assert_eq!(attr(0.95, 0.05, 0.0), (59, 0));
        // Table A-1, tolerable 10 %, expected 0.00 %: 29 (0).
        assert_eq!(attr(0.95, 0.10, 0.0), (29, 0));
        // Table A-1, tolerable 5 %, expected 1.00 %: 93 (1).
        assert_eq!(attr(0.95, 0.05, 0.01), (93, 1));
        // Table A-2 (10 % risk), tolerable 5 %, expected 0.00 %: 45 (0).
        assert_eq!(attr(0.90, 0.05, 0.0), (45, 0));
        // Table A-1, tolerable 10 %, expected 2.00 %: 46 (1).
        assert_eq!(attr(0.95, 0.10, 0.02), (46, 1));
    }

    #[test]
    fn aicpa_table_a1_zero_expected_row() {
        // Table A-1, row 0.00 %, tolerable 2 3 4 5 6 7 8 9 10 15 20 %:
        // 149 99 74 59 49 42 36 32 29 19 14, all (0).
        let tolerable = [
            0.02, 0.03, 0.04, 0.05, 0.06, 0.07, 0.08, 0.09, 0.10, 0.15, 0.20,
        ];
        let sizes = [149, 99, 74, 59, 49, 42, 36, 32, 29, 19, 14];
        for (t, n) in tolerable.into_iter().zip(sizes) {
            assert_eq!(attr(0.95, t, 0.0), (n, 0), "tolerable {t}");
        }
    }

    #[test]
    fn aicpa_table_a2_zero_and_quarter_percent_rows() {
        // Table A-2, row 0.00 %: 114 76 57 45 38 32 28 25 22 15 11, all (0).
        // Row 0.25 %: 194 129 96 77 64 55 48 42 38 25 18, all (1).
        let tolerable = [
            0.02, 0.03, 0.04, 0.05, 0.06, 0.07, 0.08, 0.09, 0.10, 0.15, 0.20,
        ];
        let zero = [114, 76, 57, 45, 38, 32, 28, 25, 22, 15, 11];
        let quarter = [194, 129, 96, 77, 64, 55, 48, 42, 38, 25, 18];
        for ((t, n0), n1) in tolerable.into_iter().zip(zero).zip(quarter) {
            assert_eq!(attr(0.90, t, 0.0), (n0, 0), "tolerable {t}");
            assert_eq!(attr(0.90, t, 0.0025), (n1, 1), "tolerable {t}");
        }
    }

    #[test]
    fn aicpa_table_a1_cells_with_expected_deviations() {
        // (tolerable, expected, n, expected deviations) from Table A-1 (95 %).
        let cells = [
            (0.02, 0.0025, 236, 1), // row 0.25, col 2 %: 236 (1)
            (0.03, 0.0075, 208, 2), // row 0.75, col 3 %: 208 (2)
            (0.04, 0.01, 156, 2),   // row 1.00, col 4 %: 156 (2)
            (0.05, 0.0125, 124, 2), // row 1.25, col 5 %: 124 (2)
            (0.04, 0.015, 192, 3),  // row 1.50, col 4 %: 192 (3)
            (0.05, 0.0175, 153, 3), // row 1.75, col 5 %: 153 (3)
            (0.05, 0.02, 181, 4),   // row 2.00, col 5 %: 181 (4)
            (0.05, 0.0225, 208, 5), // row 2.25, col 5 %: 208 (5)
            (0.06, 0.025, 150, 4),  // row 2.50, col 6 %: 150 (4)
            (0.06, 0.03, 195, 6),   // row 3.00, col 6 %: 195 (6)
            (0.07, 0.0375, 185, 7), // row 3.75, col 7 %: 185 (7)
            (0.08, 0.04, 146, 6),   // row 4.00, col 8 %: 146 (6)
            (0.10, 0.0225, 61, 2),  // row 2.25, col 10 %: 61 (2)
            (0.10, 0.035, 76, 3),   // row 3.50, col 10 %: 76 (3)
            (0.10, 0.05, 116, 6),   // row 5.00, col 10 %: 116 (6)
            (0.10, 0.06, 179, 11),  // row 6.00, col 10 %: 179 (11)
            (0.15, 0.035, 40, 2),   // row 3.50, col 15 %: 40 (2)
            (0.15, 0.07, 68, 5),    // row 7.00, col 15 %: 68 (5)
            (0.20, 0.05, 30, 2),    // row 5.00, col 20 %: 30 (2)
            (0.20, 0.07, 37, 3),    // row 7.00, col 20 %: 37 (3)
        ];
        for (t, e, n, k) in cells {
            assert_eq!(attr(0.95, t, e), (n, k), "tolerable {t}, expected {e}");
        }
    }

    #[test]
    fn aicpa_table_a2_cells_with_expected_deviations() {
        // (tolerable, expected, n, expected deviations) from Table A-2 (90 %).
        let cells = [
            (0.02, 0.0075, 265, 2), // row 0.75, col 2 %: 265 (2)
            (0.03, 0.01, 176, 2),   // row 1.00, col 3 %: 176 (2)
            (0.04, 0.0125, 132, 2), // row 1.25, col 4 %: 132 (2)
            (0.05, 0.015, 105, 2),  // row 1.50, col 5 %: 105 (2)
            (0.06, 0.0175, 88, 2),  // row 1.75, col 6 %: 88 (2)
            (0.05, 0.02, 132, 3),   // row 2.00, col 5 %: 132 (3)
            (0.07, 0.03, 94, 3),    // row 3.00, col 7 %: 94 (3)
            (0.08, 0.04, 98, 4),    // row 4.00, col 8 %: 98 (4)
            (0.10, 0.05, 78, 4),    // row 5.00, col 10 %: 78 (4)
            (0.15, 0.05, 34, 2),    // row 5.00, col 15 %: 34 (2)
            (0.20, 0.07, 25, 2),    // row 7.00, col 20 %: 25 (2)
        ];
        for (t, e, n, k) in cells {
            assert_eq!(attr(0.90, t, e), (n, k), "tolerable {t}, expected {e}");
        }
    }

    #[test]
    fn attribute_plan_through_size_for() {
        // Table A-1: 95 %, tolerable 5 %, expected 1 % -> 93 (1); with 93 items the upper limit
        // for 1 deviation is 4.99 % <= 5 % but for 2 it is 6.6 %, so accept 1, reject 2.
        let plan = Plan::attribute(0.95, 0.05, 0.01).unwrap();
        let r = plan.size_for(10_000).unwrap();
        assert_eq!(
            r,
            PlanResult {
                plan: "attribute",
                population: 10_000,
                code_letter: None,
                code_letter_used: None,
                sample_size: 93,
                accept: Some(1),
                reject: Some(2),
                inspect_all: false,
            }
        );
        // A population of 50 is smaller than the 59 of Table A-1 (5 %, 0 %): inspect all.
        let r = Plan::attribute(0.95, 0.05, 0.0)
            .unwrap()
            .size_for(50)
            .unwrap();
        assert_eq!(
            (r.sample_size, r.inspect_all, r.accept),
            (50, true, Some(0))
        );
        assert_eq!(
            Plan::attribute(0.95, 0.05, 0.0).unwrap().size_for(0),
            Err(PlanError::EmptyPopulation)
        );
    }

    #[test]
    fn attribute_allowable_deviations_follow_the_upper_limit() {
        let found =
            attribute_sample_size(Rate::from_bp(9500), Rate::from_bp(500), Rate::from_bp(100))
                .unwrap();
        assert_eq!(found.allowable_deviations, 1);
        let n = found.sample_size;
        assert!(upper_deviation_limit(n, 1, 0.95).unwrap() <= 0.05);
        assert!(upper_deviation_limit(n, 2, 0.95).unwrap() > 0.05);
    }

    #[test]
    fn attribute_parameter_validation_names_the_parameter() {
        let name = |r: Result<Plan, PlanError>| match r {
            Err(PlanError::InvalidParameter { name, .. }) => name,
            other => panic!("expected an invalid parameter, got {other:?}"),
        };
        assert_eq!(name(Plan::attribute(1.0, 0.05, 0.01)), "confidence");
        assert_eq!(name(Plan::attribute(0.0, 0.05, 0.01)), "confidence");
        assert_eq!(name(Plan::attribute(1.5, 0.05, 0.01)), "confidence");
        assert_eq!(name(Plan::attribute(0.95, 0.0, 0.0)), "tolerable");
        assert_eq!(name(Plan::attribute(0.95, 1.0, 0.0)), "tolerable");
        assert_eq!(name(Plan::attribute(0.95, 0.05, 0.05)), "expected");
        assert_eq!(name(Plan::attribute(0.95, 0.05, 0.06)), "expected");
        assert_eq!(name(Plan::attribute(0.95, 0.05, -0.01)), "expected");
        assert_eq!(name(Plan::attribute(0.95, 1.0 / 3.0, 0.0)), "tolerable");
        // Variants built directly are validated by size_for too.
        let direct = Plan::Attribute {
            confidence: Rate::from_bp(9500),
            tolerable: Rate::from_bp(500),
            expected: Rate::from_bp(500),
        };
        let err = direct.size_for(100).unwrap_err();
        assert!(
            err.to_string()
                .starts_with("invalid expected: 5% is not below"),
            "{err}"
        );
        assert_eq!(
            upper_deviation_limit(0, 0, 0.95),
            Err(invalid("sample size", "must be at least 1"))
        );
        assert!(matches!(
            upper_deviation_limit(10, 0, 1.0),
            Err(PlanError::InvalidParameter {
                name: "confidence",
                ..
            })
        ));
    }

    #[test]
    fn attribute_sample_too_large() {
        // 95 %, tolerable 5 %, expected 4.99 %: the plan would need ~13 million items.
        let plan = Plan::attribute(0.95, 0.05, 0.0499).unwrap();
        assert_eq!(
            plan.size_for(u64::MAX),
            Err(PlanError::SampleTooLarge {
                limit: MAX_ATTRIBUTE_SAMPLE
            })
        );
        // With a population below the search limit the whole population is inspected.
        let r = plan.size_for(5_000).unwrap();
        assert_eq!(
            (r.sample_size, r.inspect_all, r.accept, r.reject),
            (5_000, true, None, None)
        );
    }

    #[test]
    fn attribute_large_sample_does_not_underflow() {
        // 95 %, tolerable 2 %, expected 1.5 %: n = 2258 with 34 expected deviations (Table A-1
        // prints "*" there: too large to be cost-effective). (1 - 0.02)^2258 ~ 1.5e-20.
        assert_eq!(attr(0.95, 0.02, 0.015), (2258, 34));
        // 95 %, tolerable 1 %, expected 0.5 %: no underflow with n in the thousands.
        let (n, k) = attr(0.95, 0.01, 0.005);
        assert!(n > 1000 && k == expected_deviations(n, Rate::from_bp(50)));
    }

    // ----- Exact arithmetic ----------------------------------------------------------------------

    #[test]
    fn counts_are_exact_integer_products() {
        // 400 x 3.5 % is 14, although the float 400.0 * 0.035 is 14.000000000000002.
        assert_eq!(expected_deviations(400, Rate::from_f64(0.035).unwrap()), 14);
        // 100 x 7 % is 7 (float 100.0 * 0.07 = 7.000000000000001 would round up to 8).
        assert_eq!(expected_deviations(100, Rate::parse("0.07").unwrap()), 7);
        assert_eq!(expected_deviations(101, Rate::parse("7%").unwrap()), 8);
        assert_eq!(expected_deviations(59, Rate::from_ppm(2_500)), 1);
        assert_eq!(expected_deviations(0, Rate::from_ppm(2_500)), 0);
        assert_eq!(Rate::from_f64(0.035), Some(Rate::from_ppm(35_000)));
        assert_eq!(Rate::parse("3.5%"), Some(Rate::from_ppm(35_000)));
        assert_eq!(Rate::parse("0.0125"), Some(Rate::from_bp(125)));
        assert_eq!(Rate::parse("0.0000001"), None);
        assert_eq!(Rate::parse("1.5"), None);
        assert_eq!(Rate::from_bp(125).to_string(), "1.25%");
        assert_eq!(Rate::from_bp(9500).to_string(), "95%");
    }

    // ----- Binomial CDF and upper deviation limits (AICPA Tables A-3 / A-4) --------------------

    #[test]
    fn binomial_cdf_matches_exact_values() {
        // Closed forms.
        assert!((binomial_cdf(1, 2, 0.5) - 0.75).abs() < 1e-15);
        assert!((binomial_cdf(0, 59, 0.05) - 0.95_f64.powi(59)).abs() < 1e-15);
        assert!((binomial_cdf(3, 3, 0.3) - 1.0).abs() < 1e-15);
        // Exact rational sums (computed with arbitrary-precision fractions):
        // P(X <= 3 | 150, 0.05) = 0.0547698091308294...
        assert!((binomial_cdf(3, 150, 0.05) - 0.054_769_809_130_829_4).abs() < 1e-13);
        // P(X <= 50 | 1000, 0.05) = 0.5375290408014277...
        assert!((binomial_cdf(50, 1000, 0.05) - 0.537_529_040_801_427_7).abs() < 1e-12);
        // P(X <= 10 | 2000, 0.01) = 0.010522510740822038...
        assert!((binomial_cdf(10, 2000, 0.01) - 0.010_522_510_740_822_04).abs() < 1e-13);
    }

    #[test]
    fn upper_deviation_limits_against_aicpa_evaluation_tables() {
        // n 59, 0 deviations, 95 %: 1 - 0.05^(1/59) = 4.951 %.
        let p = upper_deviation_limit(59, 0, 0.95).unwrap();
        assert!((p - (1.0 - 0.05_f64.powf(1.0 / 59.0))).abs() < 1e-9);
        assert!((0.049..0.050).contains(&p));
        // Table A-3 (5 % risk of overreliance), printed rounded up to 0.1 %:
        // n 100: 0 -> 3.0, 1 -> 4.7, 2 -> 6.2; n 150: 3 -> 5.1, 6 -> 7.8; n 50: 0 -> 5.9;
        // n 20: 0 -> 14.0; n 25: 0 -> 11.3.
        assert!((udl_table(100, 0, 0.95) - 3.0).abs() < 1e-9);
        assert!((udl_table(100, 1, 0.95) - 4.7).abs() < 1e-9);
        assert!((udl_table(100, 2, 0.95) - 6.2).abs() < 1e-9);
        assert!((udl_table(150, 3, 0.95) - 5.1).abs() < 1e-9);
        assert!((udl_table(150, 6, 0.95) - 7.8).abs() < 1e-9);
        assert!((udl_table(50, 0, 0.95) - 5.9).abs() < 1e-9);
        assert!((udl_table(20, 0, 0.95) - 14.0).abs() < 1e-9);
        assert!((udl_table(25, 0, 0.95) - 11.3).abs() < 1e-9);
        // Table A-4 (10 % risk): n 100, 0 -> 2.3; n 50, 0 -> 4.6.
        assert!((udl_table(100, 0, 0.90) - 2.3).abs() < 1e-9);
        assert!((udl_table(50, 0, 0.90) - 4.6).abs() < 1e-9);
        // The limit solves P(X <= d | n, p) = 1 - confidence.
        let p = upper_deviation_limit(100, 1, 0.95).unwrap();
        assert!((binomial_cdf(1, 100, p) - 0.05).abs() < 1e-8);
        assert_eq!(upper_deviation_limit(5, 5, 0.95), Ok(1.0));
    }

    // ----- Fixed plans and common behaviour ------------------------------------------------------

    #[test]
    fn fixed_plan_is_capped_at_the_population() {
        let plan = Plan::Fixed { size: 50 };
        let r = plan.size_for(1000).unwrap();
        assert_eq!(
            r,
            PlanResult {
                plan: "fixed",
                population: 1000,
                code_letter: None,
                code_letter_used: None,
                sample_size: 50,
                accept: None,
                reject: None,
                inspect_all: false,
            }
        );
        let r = plan.size_for(30).unwrap();
        assert_eq!((r.sample_size, r.inspect_all), (30, true));
        let r = plan.size_for(50).unwrap();
        assert_eq!((r.sample_size, r.inspect_all), (50, true));
        assert!(matches!(
            Plan::Fixed { size: 0 }.size_for(10),
            Err(PlanError::InvalidParameter { name: "size", .. })
        ));
        assert_eq!(plan.size_for(0), Err(PlanError::EmptyPopulation));
        assert_eq!(
            PlanError::EmptyPopulation.to_string(),
            "nothing to sample: the population is empty (0 items)"
        );
    }

    #[test]
    fn plan_result_is_serializable() {
        fn assert_serialize<T: Serialize>(_: &T) {}
        let r = Plan::Fixed { size: 1 }.size_for(1).unwrap();
        assert_serialize(&r);
        assert_serialize(&single_sampling_plan('J', aql("1.0")).unwrap());
    }
}
