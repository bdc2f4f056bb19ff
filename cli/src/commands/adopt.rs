//! `oxwheel adopt`: the template's pipeline brought into an existing maturin/PyO3 project. The
//! survey reads the answers from the project; the template renders only its pipeline for that
//! layout; pyproject.toml takes the new keys one by one (the project's values kept), the other
//! files are added where the project has none and merged three ways with an empty base where it
//! has; everything is written as one transaction, with the answers that `oxwheel update` needs.

use std::collections::BTreeMap;
use std::path::Path;
use std::process::ExitCode;

use crate::answers::{self, Answers};
use crate::error::Error;
use crate::files::Entry;
use crate::merge::{self, Outcome};
use crate::plan::{self, Change, Ours, Step};
use crate::project::{self, Disk};
use crate::rules::{PROJECT_NAME, Rules};
use crate::scratch::Scratch;
use crate::survey::{self, Survey};
use crate::template::{Template, absolute_source, short};
use crate::values::{Layer, Layers, Values};
use crate::{apply, ask, dependabot, git, renderer, toml_merge};

pub struct Options<'a> {
    pub defines: &'a Values,
    pub source: &'a str,
    pub revision: Option<&'a str>,
    pub dry_run: bool,
    /// Remove the workflows that publish releases, so that the template's publishes instead.
    pub replace_ci: bool,
}

/// Dependabot's configuration, which takes one entry per ecosystem, directory and branch.
const DEPENDABOT: &str = ".github/dependabot.yml";

/// Answers adopt decides itself: what it renders, and who publishes.
const DECIDED: [&str; 3] = ["adopted", "patterns", "publish"];

pub fn run(project: &Path, options: &Options<'_>) -> Result<ExitCode, Error> {
    refuse_to_start(project, options)?;
    let source = absolute_source(options.source);
    let scratch = Scratch::new(&std::env::temp_dir(), "adopt")?;
    let (template, rules) = Template::at(&source, options.revision, &scratch)?;
    let commit = template.commit.clone();
    if rules.layout.is_empty() {
        return Err(Error::new(format!(
            "the template at {} predates oxwheel adopt: name a newer --revision",
            short(&commit)
        )));
    }
    // A layout answer given is judged before the survey reads the folders it names.
    let adopted: Values = [("adopted", "true".to_string())].into_iter().collect();
    for (key, value) in options.defines.iter() {
        if let Some(refusal) = rules.refusal(key, value, &adopted)? {
            return Err(Error::refused(refusal));
        }
    }
    let found = survey::survey(&Disk(project), options.defines.get("package_dir"))?;
    let values = fitted_answers(&rules, &found, options)?;
    let rendered = renderer::render(&template.folder, &values, &scratch.child("pipeline")?)?;
    let mut files = renderer::project_files(&rendered, &values)?;
    let recorded = files
        .remove(answers::FILE)
        .ok_or_else(|| Error::new("the template rendered no answers file"))?;
    let mut recorded = Answers::parse(&String::from_utf8_lossy(&recorded.bytes))?;
    recorded.source = source.clone();
    recorded.revision = commit.clone();
    let pyproject = renderer::in_package(&values, "pyproject.toml");
    let adoption = plan_adoption(project, files, &pyproject, &found, options, &scratch)?;
    report(&found, &recorded.values, &adoption, options.replace_ci);
    report_ignored(project, &adoption)?;
    if options.dry_run {
        say!("a dry run: nothing was written");
        return Ok(ExitCode::SUCCESS);
    }
    let mut steps = adoption.steps();
    steps.push((
        answers::FILE.to_string(),
        Step::Write(Entry {
            bytes: recorded.render().into_bytes(),
            executable: false,
        }),
    ));
    apply::apply(project, &steps, &scratch.child("backup")?)?;
    conclude(&adoption, &source, &commit)
}

/// A project that records the template already, one with uncommitted changes, one that is not
/// its repository's root (GitHub reads workflows there only), and answers adopt decides.
fn refuse_to_start(project: &Path, options: &Options<'_>) -> Result<(), Error> {
    if project.join(answers::FILE).exists() {
        return Err(Error::new(format!(
            "{} exists: this project follows the template already; take its changes with \
             `oxwheel update`",
            answers::FILE
        )));
    }
    if let Some(key) = options.defines.keys().find(|key| DECIDED.contains(key)) {
        return Err(Error::new(format!(
            "--define {key}: adopt decides it (the pipeline only, no examples, and wheels.yml \
             publishes only where no other workflow does; --replace-ci changes that)"
        )));
    }
    let root = git::git(project, &["rev-parse", "--show-toplevel"])?;
    let here = std::fs::canonicalize(project).map_err(Error::io("use", project))?;
    let top = std::fs::canonicalize(&root).map_err(Error::io("use", Path::new(&root)))?;
    if top != here {
        let folder = here.strip_prefix(&top).unwrap_or(&here);
        let folder = folder.to_string_lossy().replace('\\', "/");
        return Err(Error::new(format!(
            "run oxwheel adopt at the repository's root ({root}), where GitHub reads the \
             workflows: there, `oxwheel adopt --define package_dir={folder}` adopts the package \
             in this folder"
        )));
    }
    project::require_clean(project, "adopting")
}

/// The survey's answers, the person's --define over them, each question the survey could not
/// answer asked (or its default taken), and every answer checked by the template's rules.
fn fitted_answers(rules: &Rules, found: &Survey, options: &Options<'_>) -> Result<Values, Error> {
    // wheels.yml publishes where no other workflow does, or where --replace-ci removes those.
    let publish = found.publishers.is_empty() || options.replace_ci;
    let decided: Values = [("publish", publish.to_string())].into_iter().collect();
    let given = Layers::new()
        .with(Layer::Default, rules.layout.clone())
        .with(Layer::Surveyed, within_the_rules(rules, &found.values)?)
        .with(Layer::Defined, options.defines.clone())
        .with(Layer::Decided, decided);
    let merged = given.merged();
    rules.check_keys(merged.keys())?;
    let name = given.get(PROJECT_NAME).unwrap_or_default();
    // `adopted` goes along for the rules that read it (an adopted project's metadata).
    let questions = merged.without(|key| key != "adopted" && rules.layout.contains(key));
    let mut values = ask::answers(rules, Some(name), &questions)?;
    for key in rules.layout.keys() {
        let value = given.get(key).unwrap_or_default();
        if let Some(refusal) = rules.refusal(key, value, &values)? {
            return Err(Error::refused(refusal));
        }
        values.set(key, value);
    }
    Ok(values)
}

/// The survey's answers without the metadata the template's rules would refuse (a license or
/// a description the pipeline does not use; a requires-python older than the template
/// supports, which then tests and builds from the oldest it does), each dropped with a word.
fn within_the_rules(rules: &Rules, values: &Values) -> Result<Values, Error> {
    let named = values.without(|key| key != PROJECT_NAME && key != "adopted");
    let mut kept = Values::new();
    for (key, value) in values.iter() {
        match (key, rules.refusal(key, value, &named)?) {
            ("python_min", Some(_)) => kept.set(key, &oldest_from(rules, value)?),
            ("license" | "description", Some(refusal)) => {
                say!(
                    "{refusal}: the template's default is recorded (the pipeline does not use it)"
                );
            }
            _ => kept.set(key, value),
        }
    }
    Ok(kept)
}

/// The oldest CPython the template supports from `lowest` on: requires-python may admit older
/// ones, never newer.
fn oldest_from(rules: &Rules, lowest: &str) -> Result<String, Error> {
    let (major, minor) = lowest.split_once('.').unwrap_or((lowest, "0"));
    let minor: u32 = minor.parse().unwrap_or(0);
    for later in minor..minor + 30 {
        let candidate = format!("{major}.{later}");
        if rules
            .refusal("python_min", &candidate, &Values::new())?
            .is_none()
        {
            say!(
                "requires-python admits {lowest}: the pipeline builds and tests from {candidate}, the oldest the template supports"
            );
            return Ok(candidate);
        }
    }
    Err(Error::new(format!(
        "requires-python starts at {lowest}, newer than every CPython the template supports; \
         nothing was changed"
    )))
}

/// Everything adopting changes, decided before anything is written.
struct Adoption {
    /// The pipeline's files other than pyproject.toml, as update plans them (an empty base).
    changes: Vec<Change>,
    /// The package's pyproject.toml: its path, and its text with the new keys and what was
    /// added and kept.
    pyproject_path: String,
    pyproject: toml_merge::Merged,
    pyproject_before: String,
    /// Publishing workflows removed at the person's choice.
    removed: Vec<String>,
    /// Files of the project merged with the template's by entry, with what that added.
    merged_by_entry: Vec<(String, dependabot::Merged)>,
}

impl Adoption {
    fn steps(&self) -> Vec<(String, Step)> {
        let mut steps: Vec<(String, Step)> = self
            .changes
            .iter()
            .filter_map(|change| change.step.clone().map(|step| (change.path.clone(), step)))
            .collect();
        if self.pyproject.text != self.pyproject_before {
            let entry = Entry {
                bytes: self.pyproject.text.clone().into_bytes(),
                executable: false,
            };
            steps.push((self.pyproject_path.clone(), Step::Write(entry)));
        }
        for path in &self.removed {
            steps.push((path.clone(), Step::Remove));
        }
        steps
    }

    fn conflicts(&self) -> Vec<String> {
        plan::conflicts(&self.changes, false)
    }
}

fn plan_adoption(
    project: &Path,
    mut files: BTreeMap<String, Entry>,
    pyproject_path: &str,
    found: &Survey,
    options: &Options<'_>,
    scratch: &Scratch,
) -> Result<Adoption, Error> {
    let template_pyproject = files
        .remove(pyproject_path)
        .map(|entry| String::from_utf8_lossy(&entry.bytes).to_string())
        .unwrap_or_default();
    let pyproject_before = match plan::ours(project, pyproject_path)? {
        Ours::File(entry) => String::from_utf8(entry.bytes).map_err(|_| {
            Error::new(format!("{pyproject_path} is not UTF-8, which TOML must be"))
        })?,
        Ours::Absent => match &found.added_pyproject {
            Some(text) => text.clone(),
            None => return Err(Error::new(format!("{pyproject_path} is gone"))),
        },
        Ours::Blocked(why) => return Err(Error::new(format!("{pyproject_path}: {why}"))),
    };
    let pyproject = toml_merge::merge(&pyproject_before, &template_pyproject)?;
    let labels = ["this project", "(nothing)", "the template"];
    let merging = scratch.child("merge")?;
    let merge_text = merge::git_merge_file(&merging, labels);
    let mut base = BTreeMap::new();
    let mut merged_by_entry = Vec::new();
    if let Some((ours, merged)) = merge_by_entry(project, &files)? {
        let entry = Entry {
            bytes: merged.text.clone().into_bytes(),
            executable: ours.executable,
        };
        base.insert(DEPENDABOT.to_string(), ours);
        files.insert(DEPENDABOT.to_string(), entry);
        merged_by_entry.push((DEPENDABOT.to_string(), merged));
    }
    let changes = plan::plan(project, &base, &files, &merge_text)?;
    // A path adopt cannot write (a symbolic link, a folder in the way): half a pipeline would
    // be recorded as a whole one, so nothing is written.
    let blocked = plan::conflicts(&changes, true);
    if !blocked.is_empty() {
        return Err(Error::new(format!(
            "nothing was written: oxwheel adopt cannot write {}",
            blocked.join(", ")
        )));
    }
    let removed = if options.replace_ci {
        found.publishers.clone()
    } else {
        Vec::new()
    };
    Ok(Adoption {
        changes,
        merged_by_entry,
        pyproject_path: pyproject_path.to_string(),
        pyproject,
        pyproject_before,
        removed,
    })
}

/// What adopting records and changes, as it will be written (a dry run prints the same).
/// The project's own dependabot.yml with the template's entries it does not cover, and the
/// project's file as it is: the plan merges from that base, so it writes the merged text as
/// an update.
fn merge_by_entry(
    project: &Path,
    files: &BTreeMap<String, Entry>,
) -> Result<Option<(Entry, dependabot::Merged)>, Error> {
    let (Ours::File(ours), Some(theirs)) =
        (plan::ours(project, DEPENDABOT)?, files.get(DEPENDABOT))
    else {
        return Ok(None);
    };
    let ours_text = String::from_utf8_lossy(&ours.bytes).to_string();
    let theirs_text = String::from_utf8_lossy(&theirs.bytes).to_string();
    Ok(dependabot::merge(&ours_text, &theirs_text).map(|merged| (ours, merged)))
}

fn report(found: &Survey, recorded: &Values, adoption: &Adoption, replace_ci: bool) {
    say!("the answers recorded in {}:", answers::FILE);
    for (key, value) in recorded.iter() {
        say!("  {key} = {value:?}");
    }
    let added: Vec<&str> = adoption
        .changes
        .iter()
        .filter(|change| matches!(change.outcome, Outcome::Added(_)))
        .map(|change| change.path.as_str())
        .collect();
    if !added.is_empty() {
        say!("added: {}", added.join(", "));
    }
    if !adoption.pyproject.added.is_empty() {
        say!(
            "added to pyproject.toml: {}",
            adoption.pyproject.added.join(", ")
        );
    }
    for kept in &adoption.pyproject.conflicts {
        say!(
            "kept in {}: {} = {} (the template sets {})",
            adoption.pyproject_path,
            kept.key,
            kept.ours,
            kept.template
        );
    }
    for note in &found.notes {
        say!("{note}");
    }
    for publisher in &found.publishers {
        if replace_ci {
            say!("removed: {publisher} (it publishes releases; wheels.yml does now)");
        } else {
            say!(
                "{publisher} publishes releases: it stays the publisher and the template's wheels \
                 workflow publishes nothing (--replace-ci removes it and lets the template's publish)"
            );
        }
    }
    for (path, merged) in &adoption.merged_by_entry {
        say!(
            "merged into {path} by entry: added {}; the project's own kept for {}",
            listed(&merged.added),
            listed(&merged.kept)
        );
    }
    let conflicts = adoption.conflicts();
    if !conflicts.is_empty() {
        say!("conflicts: {}", conflicts.join(", "));
    }
}

fn listed(items: &[String]) -> String {
    if items.is_empty() {
        "none".to_string()
    } else {
        items.join(", ")
    }
}

/// Files adopting writes that the project's .gitignore hides: they would never be committed,
/// and the workflows that need them would fail.
fn report_ignored(project: &Path, adoption: &Adoption) -> Result<(), Error> {
    let written: Vec<String> = adoption.steps().into_iter().map(|(path, _)| path).collect();
    let paths: Vec<&str> = written.iter().map(String::as_str).collect();
    let hidden = git::ignored(project, &paths)?;
    if !hidden.is_empty() {
        say!(
            "the project's .gitignore hides {}: add them with `git add --force` (or let \
             .gitignore allow them), or the workflows that need them fail",
            hidden.join(", ")
        );
    }
    Ok(())
}

fn conclude(adoption: &Adoption, source: &str, commit: &str) -> Result<ExitCode, Error> {
    say!(
        "adopted the pipeline of {source} at {}: review with `git diff`, commit, and take later \
         changes with `oxwheel update`",
        short(commit)
    );
    if adoption.conflicts().is_empty() {
        Ok(ExitCode::SUCCESS)
    } else {
        say!("resolve the conflicts (between <<<<<<< this project and >>>>>>>) before you commit");
        Ok(ExitCode::from(1))
    }
}
