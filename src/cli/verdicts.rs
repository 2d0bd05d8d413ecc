//! `policyqc verdicts import`.

use std::path::PathBuf;

use super::args::{VerdictsArgs, VerdictsCommand, VerdictsImportArgs};
use super::{EXIT_BREACH, EXIT_OK};
use crate::sampling::Staged;
use crate::sampling::manifest::Manifest;
use crate::sampling::store::{SqliteStore, VerdictStore};
use crate::sampling::verdicts::{self, Evaluation};

/// Runs `verdicts`; returns the exit code.
pub fn run(a: &VerdictsArgs) -> miette::Result<i32> {
    match &a.command {
        VerdictsCommand::Import(i) => import(i),
    }
}

fn import(a: &VerdictsImportArgs) -> miette::Result<i32> {
    let folder = a
        .file
        .parent()
        .map_or_else(|| PathBuf::from("."), std::path::Path::to_path_buf);
    let folder = if folder.as_os_str().is_empty() {
        PathBuf::from(".")
    } else {
        folder
    };
    let manifest_path = a
        .manifest
        .clone()
        .unwrap_or_else(|| folder.join("manifest.json"));
    let manifest = Manifest::read(&manifest_path).map_err(|e| {
        miette::miette!(
            code = "verdicts::manifest",
            help = "give the sample's manifest with --manifest FILE (policyqc sample writes it beside sample.csv)",
            "{e}"
        )
    })?;
    let batch = verdicts::read(&a.file, &manifest)?;
    // The language: --lang, else the settings beside the sample's cases file.
    let settings = std::path::Path::new(&manifest.data.cases_file).with_file_name("settings.yaml");
    let lang = super::lang(Some(settings.as_path()).filter(|p| p.is_file()))?;
    let out = a.out.clone().unwrap_or(folder);
    let mut store = SqliteStore::open(&a.history)?;
    let mut staged: Option<Staged> = None;
    let mut evaluation: Option<Evaluation> = None;
    let outcome = store.import(&manifest, &batch, a.replace, &mut |all| {
        let ev = verdicts::evaluate(&manifest, all);
        let json = serde_json::to_vec_pretty(&ev).map_err(|e| e.to_string())?;
        let files = vec![
            (
                "findings.csv".to_owned(),
                verdicts::people_findings_csv(all),
            ),
            (
                "evaluation.json".to_owned(),
                [json, b"\n".to_vec()].concat(),
            ),
            ("evaluation.md".to_owned(), ev.to_markdown().into_bytes()),
            ("rule_precision.csv".to_owned(), ev.rule_precision_csv()),
            (
                "audit.html".to_owned(),
                crate::report::html::audit::bytes(&manifest, Some((all, &ev)), lang),
            ),
        ];
        staged = Some(Staged::write(&out, files)?);
        evaluation = Some(ev);
        Ok(())
    })?;
    // The verdicts are committed: put the outputs in place.
    let written = staged
        .take()
        .map(Staged::commit)
        .transpose()
        .map_err(|e| miette::miette!(code = "verdicts::output", "verdicts stored, but {e}"))?
        .unwrap_or_default();
    let ev = evaluation.expect("finish ran before the commit");
    if !super::quiet() {
        println!(
            "{}{}",
            lang.f(
                "{} verdict(s) from {} stored in {} for sample {}",
                &[
                    &outcome.stored,
                    &batch.file,
                    &a.history.display(),
                    &manifest.sample_id
                ]
            ),
            if outcome.replaced_cases > 0 {
                lang.f(" ({} case(s) replaced)", &[&outcome.replaced_cases])
            } else {
                String::new()
            }
        );
        print!("{}", ev.to_markdown());
        let names: Vec<String> = written
            .iter()
            .filter_map(|p| p.file_name().map(|f| f.to_string_lossy().into_owned()))
            .collect();
        println!("\n{}", super::written_to(lang, &out, &names.join(", ")));
    }
    Ok(
        if matches!(ev.decision.as_str(), "reject" | "do_not_rely") {
            EXIT_BREACH
        } else {
            EXIT_OK
        },
    )
}
