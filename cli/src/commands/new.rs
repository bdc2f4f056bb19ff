//! `oxwheel new`: the questions asked and checked, the template rendered into a scratch
//! directory beside the destination, a git repository with a first commit made there, and the
//! finished project moved into place in one rename: a refusal, an error or Ctrl-C leaves nothing.

use std::fs;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use crate::answers::{self, Answers};
use crate::error::Error;
use crate::rules::Rules;
use crate::scratch::Scratch;
use crate::template::{Template, absolute_source, short};
use crate::values::Values;
use crate::{ask, git, hooks, renderer};

pub struct Options<'a> {
    pub name: Option<&'a str>,
    pub defines: &'a Values,
    pub source: &'a str,
    pub revision: Option<&'a str>,
    pub directory: &'a Path,
    pub git: bool,
}

pub fn run(options: &Options<'_>) -> Result<ExitCode, Error> {
    let source = absolute_source(options.source);
    fs::create_dir_all(options.directory).map_err(Error::io("create", options.directory))?;
    // In the destination's directory, so that the finished project moves into place at once.
    let scratch = Scratch::new(options.directory, "new")?;
    let (template, rules) = Template::at(&source, options.revision, &scratch)?;
    if let Some(key) = options
        .defines
        .keys()
        .find(|key| rules.layout.contains(key))
    {
        return Err(Error::new(format!(
            "--define {key}: a layout answer, which `oxwheel adopt` reads from an existing project"
        )));
    }
    let answers = ask::answers(&rules, options.name, options.defines)?;
    hooks::at("render")?;
    let project = renderer::render(&template.folder, &answers, &scratch.child("project")?)?;
    // A template from before it recorded its answers: the answers given.
    let mut recorded = match project.join(answers::FILE).is_file() {
        true => Answers::read(&project)?,
        false => Answers {
            source: String::new(),
            revision: String::new(),
            pending: None,
            values: answers.clone(),
        },
    };
    recorded.source = source.clone();
    recorded.revision = template.commit.clone();
    recorded.write(&project)?;
    if options.git {
        hooks::at("commit")?;
        let (name, email) = identity(&rules, &answers)?;
        git::first_commit(&project, &name, &email)?;
    }
    hooks::at("move")?;
    let destination = into_place(&project, options.directory)?;
    say!(
        "created {} from {source} at {}",
        destination.display(),
        short(&template.commit)
    );
    Ok(ExitCode::SUCCESS)
}

fn into_place(project: &Path, directory: &Path) -> Result<PathBuf, Error> {
    let name = project
        .file_name()
        .ok_or_else(|| Error::new("the project has no name"))?;
    let destination = directory.join(name);
    if destination.exists() {
        return Err(Error::new(format!(
            "{} exists already; nothing was changed",
            destination.display()
        )));
    }
    fs::rename(project, &destination).map_err(Error::io("move the project to", &destination))?;
    Ok(destination)
}

/// Who signs the first commit where git has no identity configured: the author answer, split
/// by the template's rules (a template whose rules do not split it: the answer is the name).
/// git takes no empty email, so an author without one signs as unknown@localhost.
fn identity(rules: &Rules, answers: &Values) -> Result<(String, String), Error> {
    let author = answers.get("author").unwrap_or_default();
    let (name, email) = rules
        .author_parts(author)?
        .unwrap_or_else(|| (author.to_string(), String::new()));
    let email = if email.is_empty() {
        "unknown@localhost".to_string()
    } else {
        email
    };
    Ok((name, email))
}
