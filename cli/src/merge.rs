//! The three-way merge of one file: what the template rendered before (`base`), what it renders
//! now (`new`), and what the project holds (`ours`). Each is absent when the file does not exist.

use std::fs;
use std::path::Path;
use std::process::Command;

use crate::error::Error;
use crate::files::Entry;

/// What to do with one file, and what the summary calls it.
#[derive(Debug, PartialEq)]
pub enum Outcome {
    /// Nothing to do: the template did not change it, or the project already has the change.
    Unchanged,
    /// A file the template added.
    Added(Entry),
    /// The project had the old rendering: it takes the new one.
    Updated(Entry),
    /// Both changed it, in different places: the project keeps its lines and gains the template's.
    Merged(Entry),
    /// The template removed a file the project had not changed.
    Removed,
    /// The template removed a file the project changed: it stays.
    KeptChanged,
    /// Both changed the same lines, or a file only one side can merge: the reason, and the text
    /// with conflict markers when there is one to write.
    Conflict(&'static str, Option<Entry>),
}

/// The merged text, and whether it has conflict markers.
pub type Merged = Result<(Vec<u8>, bool), Error>;
/// A text merge of three versions: ours, base and new.
pub type TextMerge<'a> = dyn Fn(&[u8], &[u8], &[u8]) -> Merged + 'a;

pub fn decide(
    base: Option<&Entry>,
    new: Option<&Entry>,
    ours: Option<&Entry>,
    merge_text: &TextMerge<'_>,
) -> Result<Outcome, Error> {
    Ok(match (base, new, ours) {
        (_, None, None) => Outcome::Unchanged,
        (None, Some(new), None) => Outcome::Added(new.clone()),
        (Some(base), Some(new), _) if base == new => Outcome::Unchanged,
        (_, Some(new), Some(ours)) if ours == new => Outcome::Unchanged,
        (Some(base), None, Some(ours)) if ours == base => Outcome::Removed,
        (Some(_), None, Some(_)) => Outcome::KeptChanged,
        (None, None, Some(_)) => Outcome::Unchanged,
        (Some(_), Some(_), None) => {
            Outcome::Conflict("deleted here, changed by the template", None)
        }
        (Some(base), Some(new), Some(ours)) if ours == base => Outcome::Updated(new.clone()),
        (base, Some(new), Some(ours)) => {
            // The executable bit follows the template where the project kept the old one.
            let executable = match base {
                Some(base)
                    if base.executable != new.executable && ours.executable == base.executable =>
                {
                    new.executable
                }
                _ => ours.executable,
            };
            let base_bytes = base.map(|base| base.bytes.as_slice()).unwrap_or_default();
            if base.is_some_and(|base| base.bytes == new.bytes) {
                Outcome::Merged(Entry {
                    bytes: ours.bytes.clone(),
                    executable,
                })
            } else if ours.is_binary() || new.is_binary() || base.is_some_and(Entry::is_binary) {
                Outcome::Conflict("a binary file changed here and in the template", None)
            } else {
                let (bytes, conflicted) = merge_text(&ours.bytes, base_bytes, &new.bytes)?;
                let entry = Entry { bytes, executable };
                if !conflicted {
                    Outcome::Merged(entry)
                } else if base.is_some() {
                    Outcome::Conflict("changed here and in the template", Some(entry))
                } else {
                    Outcome::Conflict("added here and by the template", Some(entry))
                }
            }
        }
    })
}

/// `git merge-file`: the project's version, with the template's change from `base` to `new`
/// merged in; conflicting lines are marked as git marks them.
pub fn git_merge_file<'a>(
    scratch: &'a Path,
    labels: [&'a str; 3],
) -> impl Fn(&[u8], &[u8], &[u8]) -> Merged + 'a {
    move |ours: &[u8], base: &[u8], new: &[u8]| {
        let paths = ["ours", "base", "new"].map(|name| scratch.join(name));
        for (path, bytes) in paths.iter().zip([ours, base, new]) {
            fs::write(path, bytes)
                .map_err(|error| Error::new(format!("cannot write {}: {error}", path.display())))?;
        }
        let output = Command::new("git")
            .arg("merge-file")
            .arg("--stdout")
            .args(labels.iter().flat_map(|label| ["-L", label]))
            .args(&paths)
            .output()
            .map_err(|error| Error::new(format!("cannot run git merge-file: {error}")))?;
        match output.status.code() {
            Some(0) => Ok((output.stdout, false)),
            Some(code) if (1..=127).contains(&code) => Ok((output.stdout, true)),
            _ => Err(Error::new(format!(
                "git merge-file failed: {}",
                String::from_utf8_lossy(&output.stderr).trim()
            ))),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn text(content: &str) -> Entry {
        Entry {
            bytes: content.as_bytes().to_vec(),
            executable: false,
        }
    }

    fn never(_: &[u8], _: &[u8], _: &[u8]) -> Merged {
        Err(Error::new("no text merge expected".to_string()))
    }

    fn real(
        ours: Option<&Entry>,
        base: Option<&Entry>,
        new: Option<&Entry>,
    ) -> Result<Outcome, Error> {
        let name = format!(
            "oxwheel-merge-test-{}-{:?}",
            std::process::id(),
            std::thread::current().id()
        );
        let scratch = std::env::temp_dir().join(name.replace(['(', ')'], ""));
        fs::create_dir_all(&scratch).map_err(|error| Error::new(error.to_string()))?;
        let merge = git_merge_file(
            &scratch,
            ["this project", "template before", "template now"],
        );
        let outcome = decide(base, new, ours, &merge);
        let _ = fs::remove_dir_all(&scratch);
        outcome
    }

    #[test]
    fn a_file_the_project_never_touched_follows_the_template() -> Result<(), Error> {
        let (base, new) = (text("a\n"), text("b\n"));
        assert_eq!(
            decide(Some(&base), Some(&new), Some(&base), &never)?,
            Outcome::Updated(new)
        );
        Ok(())
    }

    #[test]
    fn a_file_the_template_did_not_change_is_left_alone() -> Result<(), Error> {
        let (base, ours) = (text("a\n"), text("mine\n"));
        assert_eq!(
            decide(Some(&base), Some(&base), Some(&ours), &never)?,
            Outcome::Unchanged
        );
        Ok(())
    }

    #[test]
    fn the_projects_lines_survive_next_to_the_templates() -> Result<(), Error> {
        let base = text("one\ntwo\nthree\nfour\nfive\n");
        let ours = text("one\ntwo (mine)\nthree\nfour\nfive\n");
        let new = text("one\ntwo\nthree\nfour\nfive (template)\n");
        let merged = text("one\ntwo (mine)\nthree\nfour\nfive (template)\n");
        assert_eq!(
            real(Some(&ours), Some(&base), Some(&new))?,
            Outcome::Merged(merged)
        );
        Ok(())
    }

    #[test]
    fn the_same_line_changed_on_both_sides_is_a_conflict_with_markers() -> Result<(), Error> {
        let (base, ours, new) = (text("x = 1\n"), text("x = 2\n"), text("x = 3\n"));
        match real(Some(&ours), Some(&base), Some(&new))? {
            Outcome::Conflict(_, Some(entry)) => {
                let marked = String::from_utf8_lossy(&entry.bytes).to_string();
                assert!(marked.contains("<<<<<<< this project\nx = 2\n"), "{marked}");
                assert!(marked.contains("x = 3\n>>>>>>> template now"), "{marked}");
            }
            other => return Err(Error::new(format!("expected a conflict, got {other:?}"))),
        }
        Ok(())
    }

    #[test]
    fn a_removed_file_goes_only_if_the_project_had_not_changed_it() -> Result<(), Error> {
        let (base, ours) = (text("a\n"), text("mine\n"));
        assert_eq!(
            decide(Some(&base), None, Some(&base), &never)?,
            Outcome::Removed
        );
        assert_eq!(
            decide(Some(&base), None, Some(&ours), &never)?,
            Outcome::KeptChanged
        );
        assert_eq!(decide(Some(&base), None, None, &never)?, Outcome::Unchanged);
        Ok(())
    }

    #[test]
    fn a_new_template_file_is_added_unless_the_project_has_its_own() -> Result<(), Error> {
        let new = text("new\n");
        assert_eq!(
            decide(None, Some(&new), None, &never)?,
            Outcome::Added(new.clone())
        );
        assert_eq!(
            decide(None, Some(&new), Some(&new), &never)?,
            Outcome::Unchanged
        );
        let outcome = real(Some(&text("mine\n")), None, Some(&new))?;
        let expected = "added here and by the template";
        assert!(
            matches!(outcome, Outcome::Conflict(why, Some(_)) if why == expected),
            "{outcome:?}"
        );
        Ok(())
    }

    #[test]
    fn a_file_deleted_here_but_changed_by_the_template_is_a_conflict() -> Result<(), Error> {
        let outcome = decide(Some(&text("a\n")), Some(&text("b\n")), None, &never)?;
        assert_eq!(
            outcome,
            Outcome::Conflict("deleted here, changed by the template", None)
        );
        Ok(())
    }

    #[test]
    fn binary_files_changed_on_both_sides_are_conflicts() -> Result<(), Error> {
        let binary = |byte: u8| Entry {
            bytes: vec![0, byte],
            executable: false,
        };
        let outcome = decide(Some(&binary(1)), Some(&binary(2)), Some(&binary(3)), &never)?;
        assert!(matches!(outcome, Outcome::Conflict(_, None)), "{outcome:?}");
        let updated = decide(Some(&binary(1)), Some(&binary(2)), Some(&binary(1)), &never)?;
        assert_eq!(updated, Outcome::Updated(binary(2)));
        Ok(())
    }

    #[test]
    fn the_executable_bit_follows_the_template_where_the_project_kept_it() -> Result<(), Error> {
        let base = text("#!/bin/sh\n");
        let new = Entry {
            executable: true,
            ..base.clone()
        };
        let ours = text("#!/bin/sh\necho mine\n");
        let expected = Entry {
            executable: true,
            ..ours.clone()
        };
        assert_eq!(
            decide(Some(&base), Some(&new), Some(&ours), &never)?,
            Outcome::Merged(expected)
        );
        Ok(())
    }
}
