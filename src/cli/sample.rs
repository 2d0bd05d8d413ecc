//! `policyqc sample`.

use super::args::{AllocationArg, MethodArg, PlanArg, SampleArgs};
use super::{EXIT_OK, report_run_error};
use crate::check::{CheckOptions, run_check};
use crate::sampling::plans::{Plan, Rate};
use crate::sampling::population::{Filters, WeightBy};
use crate::sampling::select::{Allocation, Method};
use crate::sampling::{SampleError, SampleOptions, Seed};

fn usage(msg: impl Into<String>) -> SampleError {
    SampleError::Usage(msg.into())
}

fn rate(name: &str, text: &str) -> Result<Rate, SampleError> {
    Rate::parse(text).ok_or_else(|| {
        usage(format!(
            "--{name} `{text}` is not a rate: write a fraction (0.05) or a percentage (5%) with at most 6 decimals"
        ))
    })
}

/// The plan, method and filters of the arguments.
pub fn options(a: &SampleArgs) -> Result<SampleOptions, SampleError> {
    let only = |given: bool, flag: &str, plan: &str| {
        if given {
            Err(usage(format!("{flag} applies to --plan {plan} only")))
        } else {
            Ok(())
        }
    };
    let confidence = match &a.confidence {
        Some(c) => rate("confidence", c)?,
        None => Rate::from_bp(9500),
    };
    let plan = match a.plan {
        PlanArg::Z14 => {
            only(a.tolerable.is_some(), "--tolerable", "attribute")?;
            only(a.expected.is_some(), "--expected", "attribute")?;
            only(a.size.is_some(), "--size", "fixed")?;
            let aql = a
                .aql
                .as_deref()
                .ok_or_else(|| usage("--plan z14 needs --aql (e.g. --aql 1.0)"))?;
            Plan::z14(&a.level, aql).map_err(|e| usage(e.to_string()))?
        }
        PlanArg::Attribute => {
            only(a.aql.is_some(), "--aql", "z14")?;
            only(a.lot_size.is_some(), "--lot-size", "z14")?;
            only(a.size.is_some(), "--size", "fixed")?;
            let tolerable = a.tolerable.as_deref().ok_or_else(|| {
                usage("--plan attribute needs --tolerable (e.g. --tolerable 0.05)")
            })?;
            let tolerable = rate("tolerable", tolerable)?;
            let expected = match &a.expected {
                Some(e) => rate("expected", e)?,
                None => Rate::from_ppm(0),
            };
            Plan::attribute(confidence.as_f64(), tolerable.as_f64(), expected.as_f64())
                .map_err(|e| usage(e.to_string()))?
        }
        PlanArg::Fixed => {
            only(a.aql.is_some(), "--aql", "z14")?;
            only(a.lot_size.is_some(), "--lot-size", "z14")?;
            only(a.tolerable.is_some(), "--tolerable", "attribute")?;
            only(a.expected.is_some(), "--expected", "attribute")?;
            let size = a
                .size
                .ok_or_else(|| usage("--plan fixed needs --size (e.g. --size 50)"))?;
            if size == 0 {
                return Err(usage("--size must be at least 1"));
            }
            Plan::Fixed { size }
        }
    };
    if !confidence.ppm().gt(&0) || confidence.ppm() >= 1_000_000 {
        return Err(usage("--confidence must be strictly between 0 and 1"));
    }
    let method = match a.method {
        MethodArg::Random => Method::Random,
        MethodArg::Stratified => Method::Stratified {
            allocation: match a.allocation {
                AllocationArg::Proportional => Allocation::Proportional,
                AllocationArg::Equal => Allocation::Equal,
            },
            min_per_stratum: a.min_per_stratum,
        },
        MethodArg::FlaggedFirst => Method::FlaggedFirst,
        MethodArg::RiskWeighted => Method::RiskWeighted,
    };
    if a.by.is_empty() == matches!(method, Method::Stratified { .. }) {
        return Err(usage(if a.by.is_empty() {
            "--method stratified needs --by (e.g. --by branch or --by operator:entry,change_type)"
        } else {
            "--by applies to --method stratified only"
        }));
    }
    let weight = match &a.weight {
        Some(w) if matches!(method, Method::RiskWeighted) => {
            Some(WeightBy::parse(w).map_err(|e| usage(format!("--weight {e}")))?)
        }
        Some(_) => return Err(usage("--weight applies to --method risk-weighted only")),
        None => None,
    };
    let (from, to) = match &a.period {
        Some(p) => {
            let (f, t) = Filters::parse_period(p).map_err(|e| usage(format!("--period: {e}")))?;
            (Some(f), Some(t))
        }
        None => (None, None),
    };
    Ok(SampleOptions {
        filters: Filters {
            from,
            to,
            checkpoints: a.checkpoint.clone(),
            rules: a.rule.clone(),
            severities: a.severity.clone(),
            operators: a.operator.clone(),
            branches: a.branch.clone(),
            change_types: a.change_type.clone(),
        },
        strata_by: a.by.clone(),
        method,
        weight,
        plan,
        lot_size: a.lot_size,
        confidence,
    })
}

/// `, accept 0, reject 1` for a plan with acceptance numbers, else nothing.
fn accept_reject(lang: crate::lang::Lang, accept: Option<u32>, reject: Option<u32>) -> String {
    match (accept, reject) {
        (Some(ac), Some(re)) => lang.f(", accept {}, reject {}", &[&ac, &re]),
        _ => String::new(),
    }
}

/// Runs `sample`; returns the exit code.
pub fn run(a: &SampleArgs) -> miette::Result<i32> {
    let opts = options(a)?;
    let sources = super::check::data_sources(&a.data, "sample")?;
    let lang = super::lang(sources.settings.as_deref())?;
    let check = run_check(&CheckOptions {
        sources,
        rules_dir: a.rules.clone(),
        strict: a.strict,
        rule_findings: a.rule_findings.clone(),
    })
    .map_err(report_run_error)?;
    if a.dry_run {
        let (pop, plan) = crate::sampling::plan(&check, &opts)?;
        if a.json {
            // Exactly these six keys, in this order (issue 7, point 2).
            #[derive(serde::Serialize)]
            struct DryRun {
                plan: &'static str,
                population: u64,
                code_letter: Option<String>,
                sample_size: u64,
                accept: Option<u32>,
                reject: Option<u32>,
            }
            let json = serde_json::to_string(&DryRun {
                plan: plan.plan,
                population: plan.population,
                code_letter: plan.code_letter.map(String::from),
                sample_size: plan.sample_size,
                accept: plan.accept,
                reject: plan.reject,
            })
            .map_err(|e| SampleError::Output(e.to_string()))?;
            println!("{json}");
        } else {
            println!(
                "{}{}{}{}",
                lang.f(
                    "plan {}: lot of {} case(s) ({} after the filters: {}), sample size {}",
                    &[
                        &plan.plan,
                        &plan.population,
                        &pop.size(),
                        &crate::sampling::describe_filters(&opts.filters),
                        &plan.sample_size
                    ]
                ),
                plan.code_letter.map_or(String::new(), |c| lang.f(
                    ", code letter {} (plan of {})",
                    &[&c, &plan.code_letter_used.unwrap_or(c)]
                )),
                accept_reject(lang, plan.accept, plan.reject),
                if plan.inspect_all {
                    lang.t(", every case inspected")
                } else {
                    ""
                }
            );
            println!("{}", lang.t("dry run: nothing selected, nothing written"));
        }
        return Ok(EXIT_OK);
    }
    let seed = match a.seed {
        Some(value) => Seed {
            value,
            drawn: false,
        },
        None => Seed::from_os()?,
    };
    if seed.drawn {
        // Printed even with --quiet: without it the sample cannot be drawn again by hand.
        eprintln!(
            "seed {} drawn from the operating system (recorded in manifest.json; --seed {} draws this sample again)",
            seed.value, seed.value
        );
    }
    let sample = crate::sampling::draw(&check, &opts, seed)?;
    let page = crate::report::html::audit::bytes(&sample.manifest, None, lang);
    let written = sample.write(&a.out, a.force, vec![("audit.html".to_owned(), page)])?;
    if !super::quiet() {
        let m = &sample.manifest;
        println!(
            "{}",
            lang.f(
                "sample {}: {} of {} case(s) ({} flagged), plan {} (sample size {}{}), method {}, seed {}",
                &[
                    &m.sample_id,
                    &m.selected.len(),
                    &m.population.size,
                    &m.population.flagged,
                    &m.plan.plan,
                    &m.plan.sample_size,
                    &accept_reject(lang, m.plan.accept, m.plan.reject),
                    &m.method.name,
                    &m.seed
                ]
            )
        );
        for st in m
            .strata
            .iter()
            .filter(|s| s.allocated > 0 || m.strata.len() <= 12)
        {
            println!(
                "  {:<40} {}",
                st.stratum,
                lang.f(
                    "{} of {}",
                    &[
                        &format!("{:>6}", st.allocated),
                        &format!("{:>6}", st.population)
                    ]
                )
            );
        }
        for n in &m.notes {
            println!("{}", lang.f("note: {}", &[n]));
        }
        let names: Vec<String> = written
            .iter()
            .filter_map(|p| p.file_name().map(|f| f.to_string_lossy().into_owned()))
            .collect();
        println!("{}", super::written_to(lang, &a.out, &names.join(", ")));
    }
    Ok(EXIT_OK)
}
