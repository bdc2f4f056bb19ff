//! `oxwheel check`: whether the template has moved past the revision a project records.

use std::path::Path;
use std::process::ExitCode;

use crate::answers::{self, Answers};
use crate::error::Error;
use crate::git;
use crate::template::short;

/// Exit 0 when the template's HEAD is the recorded revision (a pending update's, if any),
/// 1 when it has moved, with one line either way.
pub fn run(project: &Path) -> Result<ExitCode, Error> {
    let answers = Answers::read(project)?;
    let recorded = answers
        .pending
        .as_ref()
        .map_or(answers.revision.clone(), |pending| pending.revision.clone());
    if recorded.is_empty() {
        return Err(Error::new(format!(
            "{} records no template revision: run `oxwheel update --from REV` once, naming the \
             revision the project was generated from",
            answers::FILE
        )));
    }
    let remote = git::git(project, &["ls-remote", &answers.source, "HEAD"])?;
    let newest = remote
        .split_whitespace()
        .next()
        .unwrap_or_default()
        .to_string();
    if newest.is_empty() {
        return Err(Error::new(format!(
            "{} names no HEAD revision",
            answers.source
        )));
    }
    if newest == recorded {
        say!("up to date with {} at {}", answers.source, short(&newest));
        Ok(ExitCode::SUCCESS)
    } else {
        say!(
            "the template has moved from {} to {}: run `oxwheel update`",
            short(&recorded),
            short(&newest)
        );
        Ok(ExitCode::from(1))
    }
}
