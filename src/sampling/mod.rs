//! Audit sampling: sample sizes from published plans ([`plans`]), the population and its
//! strata ([`population`]), reproducible selection ([`select`]), the manifest ([`manifest`]),
//! the auditor's workpaper ([`workpaper`]), verdicts and their evaluation ([`verdicts`]) and
//! the verdict store ([`store`]).

pub mod plans;
pub mod select;
