//! The template at a revision: its repository cloned into a scratch directory, a revision
//! named as a commit, the `template/` folder checked out as it was at that commit, and its
//! rules loaded from there.

use std::fs;
use std::path::PathBuf;

use crate::error::Error;
use crate::rules::Rules;
use crate::scratch::Scratch;
use crate::{git, hooks};

/// A clone of the template's repository in a scratch directory.
pub struct Repository {
    path: PathBuf,
}

/// The template's folder as it was at one commit.
pub struct Template {
    pub folder: PathBuf,
    pub commit: String,
}

impl Repository {
    /// Clones `source` (a git URL or a local path) into `scratch`.
    pub fn clone(source: &str, scratch: &Scratch) -> Result<Self, Error> {
        hooks::at("clone")?;
        let path = scratch.path().join("repository");
        git::git(
            scratch.path(),
            &["clone", "--quiet", source, &path.to_string_lossy()],
        )?;
        Ok(Self { path })
    }

    /// The commit `revision` (a commit, tag or branch) names.
    pub fn commit(&self, revision: &str) -> Result<String, Error> {
        git::commit(&self.path, revision)
    }

    /// The repository's `template/` folder at `commit`, checked out into `scratch/name`.
    pub fn checkout(&self, commit: &str, scratch: &Scratch, name: &str) -> Result<Template, Error> {
        let into = scratch.path().join(name);
        let target = into.to_string_lossy().to_string();
        git::git(
            &self.path,
            &["worktree", "add", "--quiet", "--detach", &target, commit],
        )?;
        Ok(Template {
            folder: into.join("template"),
            commit: commit.to_string(),
        })
    }
}

impl Template {
    /// The template of `source` at `revision` (default: its default branch), with its rules.
    pub fn at(
        source: &str,
        revision: Option<&str>,
        scratch: &Scratch,
    ) -> Result<(Self, Rules), Error> {
        let repository = Repository::clone(source, scratch)?;
        let commit = repository.commit(revision.unwrap_or("HEAD"))?;
        let template = repository.checkout(&commit, scratch, "template")?;
        let rules = template.rules()?;
        Ok((template, rules))
    }

    pub fn rules(&self) -> Result<Rules, Error> {
        Rules::load(&self.folder)
    }
}

/// A local path as an absolute one, so the recorded source works from anywhere; URLs as given.
pub fn absolute_source(source: &str) -> String {
    fs::canonicalize(source).map_or_else(
        |_| source.to_string(),
        |path| path.to_string_lossy().to_string(),
    )
}

/// A revision as people read it: its first twelve characters.
pub fn short(revision: &str) -> &str {
    revision.get(..12).unwrap_or(revision)
}
