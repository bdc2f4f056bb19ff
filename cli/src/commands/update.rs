//! `oxwheel update`: plan the whole merge of the template's changes in a scratch directory, then
//! apply it as one transaction (apply.rs), then report. A merge with conflicts is recorded as
//! pending in the answers file; the next update finishes it once they are resolved, and
//! `--abort` puts back what it wrote.

use std::collections::BTreeMap;
use std::path::Path;
use std::process::ExitCode;

use crate::answers::{self, Answers, Pending};
use crate::error::Error;
use crate::files::Entry;
use crate::merge::{self, Outcome};
use crate::plan::{self, Change, Step};
use crate::project::{self, Disk};
use crate::scratch::Scratch;
use crate::template::{Repository, absolute_source, short};
use crate::values::{Layer, Layers, Values};
use crate::{apply, git, hooks, renderer, survey};

/// The label of the project's side in conflict markers, which finishing looks for.
pub const OURS: &str = "this project";
const KEPT: &str = "kept (the template removed it, you had changed it)";

pub struct Options<'a> {
    pub to: Option<&'a str>,
    pub from: Option<&'a str>,
    pub template: Option<&'a str>,
    pub defines: &'a Values,
    pub dry_run: bool,
}

pub fn run(project: &Path, options: &Options<'_>) -> Result<ExitCode, Error> {
    let answers = starting_point(project, options)?;
    refuse_a_second_publisher(project, &answers, options.defines)?;
    let scratch = Scratch::new(&std::env::temp_dir(), "update")?;
    let repository = Repository::clone(&answers.source, &scratch)?;
    let base = repository.commit(&answers.revision)?;
    let target = repository.commit(options.to.unwrap_or("HEAD"))?;
    if target == base && options.defines.is_empty() {
        say!("up to date with {} at {}", answers.source, short(&target));
        return Ok(ExitCode::SUCCESS);
    }
    let renders = render_both(
        &repository,
        &base,
        &target,
        &answers,
        options.defines,
        &scratch,
    )?;
    hooks::at("plan")?;
    let labels = [
        OURS.to_string(),
        format!("template {}", short(&base)),
        format!("template {}", short(&target)),
    ];
    let merging = scratch.child("merge")?;
    let merge_text = merge::git_merge_file(&merging, [&labels[0], &labels[1], &labels[2]]);
    let changes = plan::plan(project, &renders.before, &renders.after, &merge_text)?;
    let started_from = git::git(project, &["rev-parse", "HEAD"])?;
    let recorded = record(&renders.answers, &changes, &base, &target, started_from);
    report(&changes);
    if options.dry_run {
        say!("a dry run: nothing was written");
        return Ok(ExitCode::SUCCESS);
    }
    let mut steps: Vec<(String, Step)> = changes
        .iter()
        .filter_map(|change| change.step.clone().map(|step| (change.path.clone(), step)))
        .collect();
    steps.push((
        answers::FILE.to_string(),
        Step::Write(text_entry(recorded.render())),
    ));
    apply::apply(project, &steps, &scratch.child("backup")?)?;
    conclude(&recorded, &base, &target)
}

/// The recorded answers once the tree is clean and a pending update finished, with the
/// revision and source the options name.
fn starting_point(project: &Path, options: &Options<'_>) -> Result<Answers, Error> {
    let mut answers = Answers::read(project)?;
    project::require_clean(project, "the merge")?;
    if answers.pending.is_some() {
        if options.dry_run {
            return Err(Error::new(
                "an update is pending: finish it (resolve, commit, update) or undo it (--abort) first",
            ));
        }
        answers = finish(project, answers)?;
    }
    if let Some(from) = options.from {
        answers.revision = from.to_string();
    }
    if let Some(template) = options.template {
        answers.source = absolute_source(template);
    }
    if answers.revision.is_empty() {
        return Err(Error::new(format!(
            "{} records no template revision (a project made with plain cargo-generate): name \
             the one it was generated from with `oxwheel update --from REV` (a tag or commit)",
            answers::FILE
        )));
    }
    Ok(answers)
}

/// An adopted project's wheels.yml publishes only while no other workflow does (as adopt
/// decided): `--define publish=true` beside a workflow that uploads is refused.
fn refuse_a_second_publisher(
    project: &Path,
    answers: &Answers,
    defines: &Values,
) -> Result<(), Error> {
    let given = Layers::new()
        .with(Layer::Recorded, answers.values.clone())
        .with(Layer::Defined, defines.clone());
    let is_true = |key: &str| given.get(key) == Some("true");
    let others = survey::publishers(&Disk(project));
    if is_true("adopted") && is_true("publish") && !others.is_empty() {
        return Err(Error::new(format!(
            "{} publishes releases: with publish=true the template's wheels workflow would be a \
             second publisher; remove that workflow first",
            others.join(", ")
        )));
    }
    Ok(())
}

struct Renders {
    before: BTreeMap<String, Entry>,
    after: BTreeMap<String, Entry>,
    /// The answers the newer template recorded (its new options with their defaults).
    answers: Answers,
}

/// The template at `base` with the recorded answers and at `target` with them and `defines`,
/// each rendered into the scratch directory; the answers file left out of both.
fn render_both(
    repository: &Repository,
    base: &str,
    target: &str,
    answers: &Answers,
    defines: &Values,
    scratch: &Scratch,
) -> Result<Renders, Error> {
    let old_template = repository.checkout(base, scratch, "before")?;
    let new_template = repository.checkout(target, scratch, "after")?;
    let rules = new_template.rules()?;
    rules.check_keys(defines.keys())?;
    let mut new_answers = answers.clone();
    // Answers an older template recorded, as the newer one asks them (showcase -> patterns).
    new_answers.values = Layers::new()
        .with(Layer::Recorded, rules.migrate(&answers.values)?)
        .with(Layer::Defined, defines.clone())
        .merged();
    hooks::at("render-before")?;
    let old_project = renderer::render(
        &old_template.folder,
        &answers.values,
        &scratch.child("old")?,
    )?;
    hooks::at("render-after")?;
    let new_project = renderer::render(
        &new_template.folder,
        &new_answers.values,
        &scratch.child("new")?,
    )?;
    let mut before = renderer::project_files(&old_project, &answers.values)?;
    let mut after = renderer::project_files(&new_project, &new_answers.values)?;
    before.remove(answers::FILE);
    let mut recorded = match after.remove(answers::FILE) {
        Some(entry) => Answers::parse(&String::from_utf8_lossy(&entry.bytes))?,
        None => new_answers,
    };
    recorded.source = answers.source.clone();
    Ok(Renders {
        before,
        after,
        answers: recorded,
    })
}

/// The answers file after the update: the new revision, or the old one with the update pending.
fn record(
    answers: &Answers,
    changes: &[Change],
    base: &str,
    target: &str,
    started_from: String,
) -> Answers {
    let conflicts: Vec<String> = changes
        .iter()
        .filter(|change| matches!(change.outcome, Outcome::Conflict(..)))
        .map(|change| change.path.clone())
        .collect();
    let mut recorded = answers.clone();
    if conflicts.is_empty() {
        recorded.revision = target.to_string();
        recorded.pending = None;
    } else {
        recorded.revision = base.to_string();
        let written = changes.iter().filter(|change| change.step.is_some());
        recorded.pending = Some(Pending {
            revision: target.to_string(),
            started_from,
            conflicts,
            written: written.map(|change| change.path.clone()).collect(),
        });
    }
    recorded
}

fn conclude(recorded: &Answers, base: &str, target: &str) -> Result<ExitCode, Error> {
    match &recorded.pending {
        None => {
            say!("updated from {} to {}", short(base), short(target));
            Ok(ExitCode::SUCCESS)
        }
        Some(_) => {
            say!(
                "resolve them (between <<<<<<< {OURS} and >>>>>>>), commit, and run `oxwheel update` \
                 again to finish, or `oxwheel update --abort` to undo the update"
            );
            Ok(ExitCode::from(1))
        }
    }
}

/// What the plan does, a line per kind, and the conflicts with their reasons.
fn report(changes: &[Change]) {
    for kind in [
        "added",
        "changed",
        "merged with your changes",
        "removed",
        KEPT,
    ] {
        let listed: Vec<&str> = changes
            .iter()
            .filter(|change| label(&change.outcome) == Some(kind))
            .map(|change| change.path.as_str())
            .collect();
        if !listed.is_empty() {
            say!("{kind}: {}", listed.join(", "));
        }
    }
    let conflicts = plan::conflicts(changes, false);
    if !conflicts.is_empty() {
        say!("conflicts: {}", conflicts.join(", "));
    }
}

fn label(outcome: &Outcome) -> Option<&'static str> {
    match outcome {
        Outcome::Added(_) => Some("added"),
        Outcome::Updated(_) => Some("changed"),
        Outcome::Merged(_) => Some("merged with your changes"),
        Outcome::Removed => Some("removed"),
        Outcome::KeptChanged => Some(KEPT),
        Outcome::Unchanged | Outcome::Conflict(..) => None,
    }
}

/// A pending update whose conflicts are resolved becomes complete; reads only its conflicted
/// files.
fn finish(project: &Path, mut answers: Answers) -> Result<Answers, Error> {
    let Some(pending) = answers.pending.take() else {
        return Ok(answers);
    };
    let marker = format!("<<<<<<< {OURS}");
    let left: Vec<&String> = pending
        .conflicts
        .iter()
        .filter(|path| match plan::ours(project, path) {
            Ok(plan::Ours::File(entry)) => String::from_utf8_lossy(&entry.bytes)
                .lines()
                .any(|line| line.starts_with(&marker)),
            _ => false,
        })
        .collect();
    if !left.is_empty() {
        let listed: Vec<&str> = left.iter().map(|path| path.as_str()).collect();
        return Err(Error::new(format!(
            "resolve the conflicts first: {} (or undo the update: oxwheel update --abort)",
            listed.join(", ")
        )));
    }
    answers.revision = pending.revision;
    answers.write(project)?;
    say!(
        "finished the update to {}: the conflicts are resolved",
        short(&answers.revision)
    );
    Ok(answers)
}

/// Puts back every file a pending update wrote, as it was in the commit the update started
/// from, and the answers file with it.
pub fn abort(project: &Path) -> Result<ExitCode, Error> {
    let answers = Answers::read(project)?;
    let Some(pending) = answers.pending else {
        return Err(Error::new(
            "no update is pending: there is nothing to abort",
        ));
    };
    let scratch = Scratch::new(&std::env::temp_dir(), "abort")?;
    let mut steps = Vec::new();
    for path in pending.written.iter().chain([&answers::FILE.to_string()]) {
        let step = match git::show(project, &pending.started_from, path)? {
            Some(bytes) => Step::Write(Entry {
                bytes,
                executable: is_executable(project, path),
            }),
            None => Step::Remove,
        };
        if step != Step::Remove || project.join(path).is_file() {
            steps.push((path.clone(), step));
        }
    }
    apply::apply(project, &steps, &scratch.child("backup")?)?;
    say!(
        "the update to {} is undone: {} files are as they were",
        short(&pending.revision),
        steps.len()
    );
    Ok(ExitCode::SUCCESS)
}

fn is_executable(project: &Path, path: &str) -> bool {
    matches!(plan::ours(project, path), Ok(plan::Ours::File(entry)) if entry.executable)
}

fn text_entry(text: String) -> Entry {
    Entry {
        bytes: text.into_bytes(),
        executable: false,
    }
}
