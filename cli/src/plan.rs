//! The whole of an update, decided before anything is written: for every file either side of
//! the template renders, what happens to the project's file (merge::decide), refused where the
//! project holds a symbolic link or a folder in the way, merged on normalised line endings and
//! written back in the project's own, and held back when a merged TOML or YAML file would not
//! parse.

use std::collections::{BTreeMap, BTreeSet};
use std::fs;
use std::path::{Component, Path};

use crate::error::Error;
use crate::files::Entry;
use crate::merge::{self, Outcome, TextMerge};
use crate::validate;

/// What to write at a path.
#[derive(Clone, Debug, PartialEq)]
pub enum Step {
    Write(Entry),
    Remove,
}

/// One file's outcome, and the step that makes it (None: nothing to write).
#[derive(Debug)]
pub struct Change {
    pub path: String,
    pub outcome: Outcome,
    pub step: Option<Step>,
}

/// Each conflict among `changes`, as "path (why)"; `unwritable` keeps only those with no text
/// to write (a symbolic link or a folder in the way, a merge that would not parse).
pub fn conflicts(changes: &[Change], unwritable: bool) -> Vec<String> {
    let listed = changes.iter().filter_map(|change| match change.outcome {
        Outcome::Conflict(why, ref text) if !unwritable || text.is_none() => {
            Some(format!("{} ({why})", change.path))
        }
        _ => None,
    });
    listed.collect()
}

/// The project's side of one path.
#[derive(Debug, PartialEq)]
pub enum Ours {
    Absent,
    File(Entry),
    /// Something oxwheel will not write at or through: why.
    Blocked(&'static str),
}

/// Every change the update makes, in path order.
pub fn plan(
    project: &Path,
    before: &BTreeMap<String, Entry>,
    after: &BTreeMap<String, Entry>,
    merge_text: &TextMerge<'_>,
) -> Result<Vec<Change>, Error> {
    let paths: BTreeSet<&String> = before.keys().chain(after.keys()).collect();
    let mut changes = Vec::new();
    for path in paths {
        let (base, new) = (before.get(path), after.get(path));
        let outcome = match ours(project, path)? {
            Ours::Blocked(_) if base == new => Outcome::Unchanged,
            Ours::Blocked(why) => Outcome::Conflict(why, None),
            Ours::Absent => merge::decide(base, new, None, merge_text)?,
            Ours::File(file) => decide_in_style(path, base, new, &file, merge_text)?,
        };
        let step = step(&outcome);
        changes.push(Change {
            path: path.clone(),
            outcome,
            step,
        });
    }
    Ok(changes)
}

/// merge::decide on `\n` line ends, its result written back with the project's.
fn decide_in_style(
    path: &str,
    base: Option<&Entry>,
    new: Option<&Entry>,
    file: &Entry,
    merge_text: &TextMerge<'_>,
) -> Result<Outcome, Error> {
    let crlf = file.uses_crlf();
    let ours = file.with_line_ends(false);
    let styled = |entry: Entry| {
        if crlf {
            entry.with_line_ends(true)
        } else {
            entry
        }
    };
    Ok(match merge::decide(base, new, Some(&ours), merge_text)? {
        Outcome::Updated(entry) => Outcome::Updated(styled(entry)),
        Outcome::Merged(entry) => parsed_or_held(path, styled(entry)),
        Outcome::Conflict(why, Some(entry)) => Outcome::Conflict(why, Some(styled(entry))),
        other => other,
    })
}

fn parsed_or_held(path: &str, entry: Entry) -> Outcome {
    match validate::parses(path, &entry.bytes) {
        Ok(()) => Outcome::Merged(entry),
        Err(_) => Outcome::Conflict(
            "the merged file would not parse; it was left as it is",
            None,
        ),
    }
}

fn step(outcome: &Outcome) -> Option<Step> {
    match outcome {
        Outcome::Added(entry) | Outcome::Updated(entry) | Outcome::Merged(entry) => {
            Some(Step::Write(entry.clone()))
        }
        Outcome::Conflict(_, Some(entry)) => Some(Step::Write(entry.clone())),
        Outcome::Removed => Some(Step::Remove),
        _ => None,
    }
}

/// The project's file at `path` (a `/`-separated path the template renders), without following
/// a symbolic link anywhere on the way.
pub fn ours(project: &Path, path: &str) -> Result<Ours, Error> {
    let relative = Path::new(path);
    if relative
        .components()
        .any(|part| !matches!(part, Component::Normal(_)))
    {
        return Err(Error::new(format!(
            "the template renders an unsafe path: {path}"
        )));
    }
    let mut at = project.to_path_buf();
    let parts: Vec<_> = relative.components().collect();
    for (index, part) in parts.iter().enumerate() {
        at.push(part);
        let Ok(metadata) = fs::symlink_metadata(&at) else {
            return Ok(Ours::Absent);
        };
        let last = index + 1 == parts.len();
        if metadata.file_type().is_symlink() {
            return Ok(Ours::Blocked(
                "a symbolic link in the project; oxwheel writes nothing through it",
            ));
        }
        if !last && !metadata.is_dir() {
            return Ok(Ours::Blocked(
                "a file in the project where the template has a folder",
            ));
        }
        if last && metadata.is_dir() {
            return Ok(Ours::Blocked(
                "a folder in the project where the template has a file",
            ));
        }
    }
    Ok(Ours::File(Entry::read(&at)?))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn scratch(name: &str) -> Result<std::path::PathBuf, Error> {
        let path = std::env::temp_dir().join(format!("oxwheel-plan-{name}-{}", std::process::id()));
        let _ = fs::remove_dir_all(&path);
        fs::create_dir_all(&path).map_err(Error::io("create", &path))?;
        Ok(path)
    }

    fn text(content: &str) -> Entry {
        Entry {
            bytes: content.as_bytes().to_vec(),
            executable: false,
        }
    }

    fn never(_: &[u8], _: &[u8], _: &[u8]) -> merge::Merged {
        Err(Error::new("no text merge expected"))
    }

    #[test]
    fn a_file_where_the_template_has_a_folder_is_a_conflict() -> Result<(), Error> {
        let project = scratch("file-folder")?;
        fs::write(project.join("docs"), "mine").map_err(Error::io("write", &project))?;
        let after = BTreeMap::from([("docs/extra.md".to_string(), text("new\n"))]);
        let changes = plan(&project, &BTreeMap::new(), &after, &never)?;
        assert!(
            matches!(changes[0].outcome, Outcome::Conflict(why, None) if why.contains("folder"))
        );
        assert_eq!(changes[0].step, None);
        Ok(())
    }

    #[cfg(unix)]
    #[test]
    fn nothing_is_written_through_a_symbolic_link() -> Result<(), Error> {
        let project = scratch("symlink")?;
        let elsewhere = scratch("symlink-target")?;
        std::os::unix::fs::symlink(&elsewhere, project.join(".github"))
            .map_err(Error::io("link", &project))?;
        std::os::unix::fs::symlink(elsewhere.join("r"), project.join("README.md"))
            .map_err(Error::io("link", &project))?;
        for path in [".github/ci.yml", "README.md"] {
            assert!(
                matches!(ours(&project, path)?, Ours::Blocked(why) if why.contains("symbolic link"))
            );
        }
        Ok(())
    }

    #[test]
    fn a_crlf_file_merges_line_by_line_and_keeps_its_line_ends() -> Result<(), Error> {
        let project = scratch("crlf")?;
        fs::write(project.join("a.txt"), "one\r\ntwo\r\n").map_err(Error::io("write", &project))?;
        let before = BTreeMap::from([("a.txt".to_string(), text("one\ntwo\n"))]);
        let after = BTreeMap::from([("a.txt".to_string(), text("one\ntwo!\n"))]);
        let changes = plan(&project, &before, &after, &never)?;
        assert_eq!(changes[0].step, Some(Step::Write(text("one\r\ntwo!\r\n"))));
        Ok(())
    }
}
