//! The project on disk: its files as the survey reads them, and the clean tree every command
//! that writes into it starts from.

use std::fs;
use std::path::Path;

use crate::error::Error;
use crate::git;
use crate::plan::{self, Ours};
use crate::survey::Files;

/// Refused unless every file below `project` is committed, so that `doing` (the merge,
/// adopting) cannot lose anything git could not give back.
pub fn require_clean(project: &Path, doing: &str) -> Result<(), Error> {
    let uncommitted = git::uncommitted(project)?;
    if !uncommitted.is_empty() {
        return Err(Error::new(format!(
            "commit or stash your changes first, so that {doing} cannot lose them: {}",
            uncommitted.join(", ")
        )));
    }
    Ok(())
}

/// The project on disk, for the survey.
pub struct Disk<'a>(pub &'a Path);

impl Files for Disk<'_> {
    fn text(&self, path: &str) -> Option<String> {
        match plan::ours(self.0, path) {
            Ok(Ours::File(entry)) => Some(String::from_utf8_lossy(&entry.bytes).to_string()),
            _ => None,
        }
    }

    fn is_folder(&self, path: &str) -> bool {
        fs::symlink_metadata(self.0.join(path)).is_ok_and(|metadata| metadata.is_dir())
    }

    fn folders(&self, path: &str) -> Vec<String> {
        listed(&self.0.join(path), true)
    }

    fn files(&self, path: &str) -> Vec<String> {
        listed(&self.0.join(path), false)
    }

    fn committed(&self, path: &str) -> bool {
        git::git(self.0, &["ls-files", "--error-unmatch", "--", path]).is_ok()
    }

    fn workflows(&self) -> Vec<String> {
        let Ok(listed) = fs::read_dir(self.0.join(".github").join("workflows")) else {
            return Vec::new();
        };
        let mut names: Vec<String> = listed
            .filter_map(Result::ok)
            .map(|entry| entry.file_name().to_string_lossy().to_string())
            .filter(|name| name.ends_with(".yml") || name.ends_with(".yaml"))
            .collect();
        names.sort();
        names
    }

    fn origin(&self) -> Option<String> {
        git::git(self.0, &["remote", "get-url", "origin"]).ok()
    }
}

/// The names of the folders (or of the files) in `folder`, sorted; symbolic links are neither.
fn listed(folder: &Path, folders: bool) -> Vec<String> {
    let Ok(listed) = fs::read_dir(folder) else {
        return Vec::new();
    };
    let mut names: Vec<String> = listed
        .filter_map(Result::ok)
        .filter(|entry| {
            entry.file_type().is_ok_and(|kind| {
                if folders {
                    kind.is_dir()
                } else {
                    kind.is_file()
                }
            })
        })
        .map(|entry| entry.file_name().to_string_lossy().to_string())
        .collect();
    names.sort();
    names
}
