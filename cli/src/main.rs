//! oxwheel: new projects from the oxwheel template, and the template's later changes merged into
//! them. cargo-generate renders; the template and its answers hooks keep every rule.

mod answers;
mod git;
mod merge;
mod render;

use std::collections::BTreeSet;
use std::fmt;
use std::fs;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use clap::{Parser, Subcommand};

use answers::Answers;
use merge::Outcome;
use render::Scratch;

const DEFAULT_SOURCE: &str = "https://github.com/oxwheel/oxwheel";
/// The label of the project's side in conflict markers, which `update` looks for.
const OURS: &str = "this project";
const KEPT: &str = "kept (the template removed it, you had changed it)";

/// Make PyO3 extension projects from the oxwheel template, and keep them up to date with it.
///
/// A project records its template's source, revision and answers in oxwheel-answers.toml.
/// Exit status: 0 done, 1 conflicts to resolve or (check) a newer template, 2 an error.
#[derive(Parser)]
#[command(version)]
struct Cli {
    #[command(subcommand)]
    command: Commands,
}

#[derive(Subcommand)]
enum Commands {
    /// Render the template into ./NAME; nothing is left behind if an answer is refused.
    New {
        /// The project's name on PyPI and crates.io (cargo-generate turns it into kebab case).
        name: String,
        /// An answer, for example --define showcase=true; the others take their defaults.
        #[arg(short, long = "define", value_name = "KEY=VALUE")]
        defines: Vec<String>,
        /// The template's git repository: a URL or a local path (a mirror, a fork).
        #[arg(long, env = "OXWHEEL_TEMPLATE", default_value = DEFAULT_SOURCE)]
        template: String,
        /// A commit, tag or branch of that repository (default: its default branch).
        #[arg(long)]
        revision: Option<String>,
        /// Where to create the project.
        #[arg(long, default_value = ".")]
        directory: PathBuf,
    },
    /// Merge the template's changes since the recorded revision into this project.
    ///
    /// Files you never changed follow the template, your lines survive, and lines both changed
    /// get conflict markers: resolve them, commit, and run update again to finish.
    Update {
        /// The revision to update to (default: the template's default branch).
        #[arg(long)]
        to: Option<String>,
        /// An answer to change, or to give an option the template added since.
        #[arg(short, long = "define", value_name = "KEY=VALUE")]
        defines: Vec<String>,
        /// The project (default: the current directory).
        #[arg(long, default_value = ".")]
        project: PathBuf,
    },
    /// Exit 1, with one line, when the template has moved past the recorded revision.
    Check {
        /// The project (default: the current directory).
        #[arg(long, default_value = ".")]
        project: PathBuf,
    },
}

#[derive(Debug)]
pub struct Error {
    message: String,
}

impl Error {
    pub fn new(message: String) -> Self {
        Self { message }
    }

    /// The answers hook refused an answer: its message names the rule.
    pub fn refused(message: String) -> Self {
        Self {
            message: format!("refused, nothing was created: {message}"),
        }
    }
}

impl fmt::Display for Error {
    fn fmt(&self, formatter: &mut fmt::Formatter<'_>) -> fmt::Result {
        formatter.write_str(&self.message)
    }
}

fn main() -> ExitCode {
    let result = match Cli::parse().command {
        Commands::New {
            name,
            defines,
            template,
            revision,
            directory,
        } => new(&name, &defines, &template, revision.as_deref(), &directory),
        Commands::Update {
            to,
            defines,
            project,
        } => update(&project, to.as_deref(), &defines),
        Commands::Check { project } => check(&project),
    };
    match result {
        Ok(code) => code,
        Err(error) => {
            eprintln!("oxwheel: {error}");
            ExitCode::from(2)
        }
    }
}

fn parse_defines(defines: &[String]) -> Result<Vec<(String, String)>, Error> {
    defines
        .iter()
        .map(|define| {
            define
                .split_once('=')
                .map(|(key, value)| (key.trim().to_string(), value.to_string()))
                .filter(|(key, _)| !key.is_empty())
                .ok_or_else(|| Error::new(format!("--define {define}: write it as KEY=VALUE")))
        })
        .collect()
}

/// A local path as an absolute one, so the recorded source works from anywhere; URLs as given.
fn absolute_source(source: &str) -> String {
    fs::canonicalize(source).map_or_else(
        |_| source.to_string(),
        |path| path.to_string_lossy().to_string(),
    )
}

fn short(revision: &str) -> &str {
    revision.get(..12).unwrap_or(revision)
}

fn fresh(scratch: &Path, name: &str) -> Result<PathBuf, Error> {
    let path = scratch.join(name);
    fs::create_dir_all(&path)
        .map_err(|error| Error::new(format!("cannot create {}: {error}", path.display())))?;
    Ok(path)
}

/// The answers the template recorded in the project; for templates from before they did, the
/// given answers and the defaults in the template's cargo-generate.toml.
fn recorded_answers(
    project: &Path,
    template: &Path,
    given: &[(String, String)],
) -> Result<Answers, Error> {
    if project.join(answers::FILE).is_file() {
        return Answers::read(project);
    }
    let config = fs::read_to_string(template.join("cargo-generate.toml")).map_err(|error| {
        Error::new(format!(
            "cannot read the template's cargo-generate.toml: {error}"
        ))
    })?;
    let table: toml::Table = config
        .parse()
        .map_err(|error| Error::new(format!("the template's cargo-generate.toml: {error}")))?;
    let mut answers = Answers {
        source: String::new(),
        revision: String::new(),
        pending: None,
        values: Vec::new(),
    };
    answers.set("project-name", "");
    if let Some(placeholders) = table.get("placeholders").and_then(toml::Value::as_table) {
        for (key, placeholder) in placeholders {
            let default = match placeholder.get("default") {
                Some(toml::Value::String(text)) => text.clone(),
                Some(toml::Value::Boolean(flag)) => flag.to_string(),
                _ => String::new(),
            };
            answers.set(key, &default);
        }
    }
    for (key, value) in given {
        answers.set(key, value);
    }
    Ok(answers)
}

fn new(
    name: &str,
    defines: &[String],
    source: &str,
    revision: Option<&str>,
    directory: &Path,
) -> Result<ExitCode, Error> {
    let mut given = vec![("project-name".to_string(), name.to_string())];
    given.extend(parse_defines(defines)?);
    let source = absolute_source(source);
    fs::create_dir_all(directory)
        .map_err(|error| Error::new(format!("cannot create {}: {error}", directory.display())))?;
    // In the destination's directory, so that the finished project moves into place at once.
    let scratch = Scratch::new(directory, "new")?;
    let repository = render::clone(&source, scratch.path())?;
    let commit = git::commit(&repository, revision.unwrap_or("HEAD"))?;
    let template = render::template_at(&repository, &commit, scratch.path(), "template")?;
    let project = render::render(&template, &given, &fresh(scratch.path(), "project")?)?;
    let mut answers = recorded_answers(&project, &template, &given)?;
    answers.source = source.clone();
    answers.revision = commit.clone();
    answers.write(&project)?;
    let file_name = project
        .file_name()
        .ok_or_else(|| Error::new("the project has no name".to_string()))?;
    let destination = directory.join(file_name);
    if destination.exists() {
        return Err(Error::new(format!(
            "{} exists already; nothing was changed",
            destination.display()
        )));
    }
    fs::rename(&project, &destination).map_err(|error| {
        Error::new(format!(
            "cannot move the project to {}: {error}",
            destination.display()
        ))
    })?;
    println!(
        "created {} from {source} at {}",
        destination.display(),
        short(&commit)
    );
    Ok(ExitCode::SUCCESS)
}

/// Files that still hold this tool's conflict markers.
fn unresolved(project: &Path) -> Result<Vec<String>, Error> {
    let marker = format!("<<<<<<< {OURS}");
    Ok(render::files(project)?
        .into_iter()
        .filter(|(_, entry)| {
            String::from_utf8_lossy(&entry.bytes)
                .lines()
                .any(|line| line.starts_with(&marker))
        })
        .map(|(path, _)| path)
        .collect())
}

fn update(project: &Path, to: Option<&str>, defines: &[String]) -> Result<ExitCode, Error> {
    let mut answers = Answers::read(project)?;
    let uncommitted = git::uncommitted(project).map_err(|error| {
        Error::new(format!(
            "{error}\noxwheel update merges only into a git work tree, to keep your changes safe"
        ))
    })?;
    if !uncommitted.is_empty() {
        return Err(Error::new(format!(
            "commit or stash your changes first, so that the merge cannot lose them: {}",
            uncommitted.join(", ")
        )));
    }
    if let Some(pending) = answers.pending.clone() {
        let left = unresolved(project)?;
        if !left.is_empty() {
            return Err(Error::new(format!(
                "resolve the conflicts first: {}",
                left.join(", ")
            )));
        }
        answers.revision = pending;
        answers.pending = None;
        answers.write(project)?;
        println!(
            "finished the update to {}: the conflicts are resolved",
            short(&answers.revision)
        );
    }
    if answers.revision.is_empty() {
        return Err(Error::new(format!(
            "{} records no revision to update from",
            answers::FILE
        )));
    }
    let overrides = parse_defines(defines)?;
    let scratch = Scratch::new(&std::env::temp_dir(), "update")?;
    let repository = render::clone(&answers.source, scratch.path())?;
    let target = git::commit(&repository, to.unwrap_or("HEAD"))?;
    if target == answers.revision {
        println!("up to date with {} at {}", answers.source, short(&target));
        return Ok(ExitCode::SUCCESS);
    }
    let old_template =
        render::template_at(&repository, &answers.revision, scratch.path(), "before")?;
    let new_template = render::template_at(&repository, &target, scratch.path(), "after")?;
    let mut new_answers = answers.clone();
    for (key, value) in &overrides {
        new_answers.set(key, value);
    }
    let old_project = render::render(
        &old_template,
        &answers.values,
        &fresh(scratch.path(), "old")?,
    )?;
    let new_project = render::render(
        &new_template,
        &new_answers.values,
        &fresh(scratch.path(), "new")?,
    )?;
    let mut before = render::files(&old_project)?;
    let mut after = render::files(&new_project)?;
    before.remove(answers::FILE);
    let rendered_answers = after.remove(answers::FILE);

    let labels = [
        OURS.to_string(),
        format!("template {}", short(&answers.revision)),
        format!("template {}", short(&target)),
    ];
    let merge_scratch = fresh(scratch.path(), "merge")?;
    let merge_text = merge::git_merge_file(&merge_scratch, [&labels[0], &labels[1], &labels[2]]);
    let mut done: Vec<(&str, String)> = Vec::new();
    let mut conflicts = Vec::new();
    let paths: BTreeSet<&String> = before.keys().chain(after.keys()).collect();
    for path in paths {
        let file = project.join(path);
        let ours = render::read(&file)?;
        match merge::decide(
            before.get(path),
            after.get(path),
            ours.as_ref(),
            &merge_text,
        )? {
            Outcome::Unchanged => {}
            Outcome::Added(entry) => {
                render::write(&file, &entry)?;
                done.push(("added", path.clone()));
            }
            Outcome::Updated(entry) => {
                render::write(&file, &entry)?;
                done.push(("changed", path.clone()));
            }
            Outcome::Merged(entry) => {
                render::write(&file, &entry)?;
                done.push(("merged with your changes", path.clone()));
            }
            Outcome::Removed => {
                fs::remove_file(&file).map_err(|error| {
                    Error::new(format!("cannot remove {}: {error}", file.display()))
                })?;
                done.push(("removed", path.clone()));
            }
            Outcome::KeptChanged => done.push((KEPT, path.clone())),
            Outcome::Conflict(why, entry) => {
                if let Some(entry) = entry {
                    render::write(&file, &entry)?;
                }
                conflicts.push(format!("{path} ({why})"));
            }
        }
    }
    for kind in [
        "added",
        "changed",
        "merged with your changes",
        "removed",
        KEPT,
    ] {
        let listed: Vec<&str> = done
            .iter()
            .filter(|(what, _)| *what == kind)
            .map(|(_, path)| path.as_str())
            .collect();
        if !listed.is_empty() {
            println!("{kind}: {}", listed.join(", "));
        }
    }
    // The newer template's answers file holds its options' defaults too.
    let mut updated = match rendered_answers {
        Some(entry) => Answers::parse(&String::from_utf8_lossy(&entry.bytes))?,
        None => new_answers,
    };
    updated.source = answers.source.clone();
    if conflicts.is_empty() {
        updated.revision = target.clone();
        updated.pending = None;
        updated.write(project)?;
        println!(
            "updated from {} to {}",
            short(&answers.revision),
            short(&target)
        );
        Ok(ExitCode::SUCCESS)
    } else {
        updated.revision = answers.revision.clone();
        updated.pending = Some(target.clone());
        updated.write(project)?;
        println!("conflicts: {}", conflicts.join(", "));
        println!(
            "resolve them (between <<<<<<< {OURS} and >>>>>>>), commit, and run `oxwheel update` again to finish"
        );
        Ok(ExitCode::from(1))
    }
}

fn check(project: &Path) -> Result<ExitCode, Error> {
    let answers = Answers::read(project)?;
    let recorded = answers
        .pending
        .clone()
        .unwrap_or_else(|| answers.revision.clone());
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
        println!("up to date with {} at {}", answers.source, short(&newest));
        Ok(ExitCode::SUCCESS)
    } else {
        println!(
            "the template has moved from {} to {}: run `oxwheel update`",
            short(&recorded),
            short(&newest)
        );
        Ok(ExitCode::from(1))
    }
}
