//! Audit sampling. So far: sample sizes from published plans ([`plans`]); selection,
//! manifests and verdicts come with the sampling issue.

pub mod plans;
