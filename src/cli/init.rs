//! `policyqc init`.

use super::EXIT_OK;
use super::args::InitArgs;
use crate::onboard::{self, InitError};

/// Runs `init`; returns the exit code (2 via the error when nothing was written).
pub fn run(a: &InitArgs) -> miette::Result<i32> {
    let draft = match onboard::draft(&a.path) {
        Ok(d) => d,
        Err(InitError::Unusable {
            path,
            message,
            draft,
        }) => {
            eprintln!("{draft}");
            return Err(InitError::Unusable {
                path,
                message,
                draft: String::new(),
            }
            .into());
        }
        Err(e) => return Err(e.into()),
    };
    if a.dry_run {
        print!("{}", draft.yaml);
        return Ok(EXIT_OK);
    }
    onboard::write(&draft, a.force)?;
    if super::quiet() {
        return Ok(EXIT_OK);
    }
    print!("{}", onboard::report(&draft));
    let data = a.path.display();
    println!(
        "\nwrote {}\nnext:\n  policyqc validate --columns {}\n  policyqc check {data}",
        draft.target.display(),
        draft.target.display()
    );
    Ok(EXIT_OK)
}
