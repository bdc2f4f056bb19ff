//! The git commands the tool runs, with errors that say what failed.

use std::path::Path;
use std::process::Command;

use crate::Error;

/// Runs `git ARGS` in `directory`; returns its standard output without the final line break.
pub fn git(directory: &Path, args: &[&str]) -> Result<String, Error> {
    if !directory.is_dir() {
        return Err(Error::new(format!(
            "{} is not a directory",
            directory.display()
        )));
    }
    let output = Command::new("git")
        .args(args)
        .current_dir(directory)
        .output()
        .map_err(|error| {
            Error::new(format!(
                "cannot run git ({error}): install it (https://git-scm.com/downloads) and put it on PATH"
            ))
        })?;
    if !output.status.success() {
        return Err(Error::new(format!(
            "git {} failed: {}",
            args.join(" "),
            String::from_utf8_lossy(&output.stderr).trim()
        )));
    }
    Ok(String::from_utf8_lossy(&output.stdout)
        .trim_end()
        .to_string())
}

/// The commit `revision` names in the repository at `directory`.
pub fn commit(directory: &Path, revision: &str) -> Result<String, Error> {
    git(
        directory,
        &["rev-parse", "--verify", &format!("{revision}^{{commit}}")],
    )
}

/// Paths with uncommitted changes (tracked or not ignored) in the work tree at `directory`.
pub fn uncommitted(directory: &Path) -> Result<Vec<String>, Error> {
    let status = git(
        directory,
        &["status", "--porcelain", "--untracked-files=all"],
    )?;
    Ok(status
        .lines()
        .map(|line| line.get(3..).unwrap_or(line).to_string())
        .collect())
}
