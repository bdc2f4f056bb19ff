//! The git commands the tool runs, with errors that say what failed.

use std::path::Path;
use std::process::Command;

use crate::error::Error;

/// Runs `git ARGS` in `directory`; returns its standard output without the final line break.
pub fn git(directory: &Path, args: &[&str]) -> Result<String, Error> {
    let (succeeded, output, errors) = run(directory, args)?;
    if !succeeded {
        return Err(Error::new(format!(
            "git {} failed: {}",
            args.join(" "),
            errors.trim()
        )));
    }
    Ok(output.trim_end().to_string())
}

/// Which of `paths` (from `directory`) the repository's ignore rules hide from `git add`.
pub fn ignored(directory: &Path, paths: &[&str]) -> Result<Vec<String>, Error> {
    if paths.is_empty() {
        return Ok(Vec::new());
    }
    let args: Vec<&str> = ["check-ignore", "--"]
        .into_iter()
        .chain(paths.iter().copied())
        .collect();
    // Exit status 1: none is ignored; 0: those printed are.
    match run(directory, &args)? {
        (_, output, errors) if errors.trim().is_empty() => {
            Ok(output.lines().map(str::to_string).collect())
        }
        (_, _, errors) => Err(Error::new(format!(
            "git check-ignore failed: {}",
            errors.trim()
        ))),
    }
}

/// Whether `git ARGS` succeeded, with its standard output and error.
fn run(directory: &Path, args: &[&str]) -> Result<(bool, String, String), Error> {
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
    let text = |bytes: &[u8]| String::from_utf8_lossy(bytes).to_string();
    Ok((
        output.status.success(),
        text(&output.stdout),
        text(&output.stderr),
    ))
}

/// The commit `revision` names in the repository at `directory`.
pub fn commit(directory: &Path, revision: &str) -> Result<String, Error> {
    git(
        directory,
        &["rev-parse", "--verify", &format!("{revision}^{{commit}}")],
    )
}

/// Paths below `project` with uncommitted changes, tracked or new and not ignored. The project
/// may be a folder of a larger repository (a monorepo, a workspace member) when git tracks its
/// files there; an untracked or ignored project is refused, since git could not give back what
/// an update changed.
pub fn uncommitted(project: &Path) -> Result<Vec<String>, Error> {
    let why = "oxwheel update merges only into files git tracks, so that nothing can be lost";
    let (inside, _, _) = run(project, &["rev-parse", "--show-toplevel"])?;
    if !inside {
        return Err(Error::new(format!(
            "{} is not in a git work tree: {why}",
            project.display()
        )));
    }
    let (ignored, _, _) = run(project, &["check-ignore", "--quiet", "."])?;
    let tracked = git(project, &["ls-files", "--", "."])?;
    if ignored || tracked.is_empty() {
        return Err(Error::new(format!(
            "{} is untracked or ignored in its git repository: {why}",
            project.display()
        )));
    }
    let status = git(
        project,
        &["status", "--porcelain", "--untracked-files=all", "--", "."],
    )?;
    Ok(status
        .lines()
        .map(|line| line.get(3..).unwrap_or(line).to_string())
        .collect())
}

/// A new repository at `project` holding every file in one commit. Without a git identity on
/// this machine, the project's author answer signs it.
pub fn first_commit(project: &Path, name: &str, email: &str) -> Result<(), Error> {
    git(project, &["init", "--quiet"])?;
    git(project, &["add", "--all"])?;
    let configured = run(project, &["config", "user.email"])?.0;
    let mut args = vec![];
    let (user, mail) = (format!("user.name={name}"), format!("user.email={email}"));
    if !configured {
        args = vec!["-c", &user, "-c", &mail];
    }
    args.extend([
        "commit",
        "--quiet",
        "--message",
        "A new project from the oxwheel template",
    ]);
    git(project, &args).map(|_| ())
}

/// The file `path` (relative to `project`) at `commit`, or None where it did not exist.
pub fn show(project: &Path, commit: &str, path: &str) -> Result<Option<Vec<u8>>, Error> {
    let spec = format!("{commit}:./{path}");
    let output = Command::new("git")
        .args(["show", &spec])
        .current_dir(project)
        .output()
        .map_err(|error| Error::new(format!("cannot run git: {error}")))?;
    Ok(output.status.success().then_some(output.stdout))
}
