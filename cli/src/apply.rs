//! Writing an update's changes as one transaction: each file's earlier state (its bytes and
//! mode, or its absence, and the folders made for it or emptied by its removal) is kept in a
//! scratch directory before it is written, and on any error or Ctrl-C every file is put back
//! as it was.

use std::fs;
use std::path::{Path, PathBuf};

use crate::error::Error;
use crate::files::Entry;
use crate::hooks;
use crate::interrupt::Transaction;
use crate::plan::Step;

/// The state of one path before the transaction wrote it.
enum Before {
    Absent,
    /// A copy of the file (copied with its permissions) in the scratch directory.
    File(PathBuf),
}

struct Journal {
    backups: PathBuf,
    entries: Vec<(PathBuf, Before)>,
    /// Folders a written file needed, and folders a removal left empty (then removed too).
    made: Vec<PathBuf>,
    emptied: Vec<PathBuf>,
}

/// Makes every step or none: the project as it was on an error or Ctrl-C, which is then
/// returned.
pub fn apply(project: &Path, steps: &[(String, Step)], backups: &Path) -> Result<(), Error> {
    let transaction = Transaction::begin();
    let mut journal = Journal {
        backups: backups.to_path_buf(),
        entries: Vec::new(),
        made: Vec::new(),
        emptied: Vec::new(),
    };
    for (index, (path, step)) in steps.iter().enumerate() {
        let target = project.join(path);
        let outcome = journal
            .keep(&target)
            .and_then(|()| perform(project, &target, step, &mut journal))
            .and_then(|()| hooks::at(&format!("apply:{}", index + 1)))
            .and_then(|()| hooks::at(&format!("wrote:{path}")))
            .and_then(|()| transaction.check());
        if let Err(error) = outcome {
            journal.roll_back()?;
            return Err(error);
        }
    }
    transaction
        .check()
        .or_else(|error| journal.roll_back().and(Err(error)))
}

impl Journal {
    fn keep(&mut self, target: &Path) -> Result<(), Error> {
        let before = if target.is_file() {
            let copy = self.backups.join(self.entries.len().to_string());
            fs::copy(target, &copy).map_err(Error::io("keep a copy of", target))?;
            Before::File(copy)
        } else {
            Before::Absent
        };
        self.entries.push((target.to_path_buf(), before));
        Ok(())
    }

    /// Every emptied folder made again and every kept file put back, every new file and folder
    /// removed, latest first.
    fn roll_back(&self) -> Result<(), Error> {
        for folder in self.emptied.iter().rev() {
            fs::create_dir_all(folder).map_err(Error::io("create", folder))?;
        }
        for (target, before) in self.entries.iter().rev() {
            match before {
                Before::File(copy) => {
                    fs::copy(copy, target).map_err(Error::io("restore", target))?;
                }
                Before::Absent if target.is_file() => {
                    fs::remove_file(target).map_err(Error::io("remove", target))?;
                }
                Before::Absent => {}
            }
        }
        for folder in self.made.iter().rev() {
            let _ = fs::remove_dir(folder);
        }
        Ok(())
    }
}

fn perform(project: &Path, target: &Path, step: &Step, journal: &mut Journal) -> Result<(), Error> {
    match step {
        Step::Remove => {
            fs::remove_file(target).map_err(Error::io("remove", target))?;
            remove_emptied_folders(project, target, &mut journal.emptied)
        }
        Step::Write(entry) => {
            if let Some(parent) = target.parent() {
                make_folders(parent, &mut journal.made)?;
            }
            write(target, entry)
        }
    }
}

/// The folders above a removed file that it leaves empty, up to the project, go with it: a
/// folder the template no longer has, or one a pending update made and its abort undoes.
fn remove_emptied_folders(
    project: &Path,
    removed: &Path,
    emptied: &mut Vec<PathBuf>,
) -> Result<(), Error> {
    for folder in removed
        .ancestors()
        .skip(1)
        .take_while(|folder| *folder != project && folder.starts_with(project))
    {
        let empty = fs::read_dir(folder)
            .map_err(Error::io("list", folder))?
            .next()
            .is_none();
        if !empty {
            break;
        }
        fs::remove_dir(folder).map_err(Error::io("remove", folder))?;
        emptied.push(folder.to_path_buf());
    }
    Ok(())
}

fn make_folders(folder: &Path, made: &mut Vec<PathBuf>) -> Result<(), Error> {
    let missing: Vec<&Path> = folder
        .ancestors()
        .take_while(|path| !path.exists())
        .collect();
    for path in missing.into_iter().rev() {
        fs::create_dir(path).map_err(Error::io("create", path))?;
        made.push(path.to_path_buf());
    }
    Ok(())
}

/// Writes `entry` beside `target`, then renames it over: a file is either old or new. An
/// existing file keeps its permissions but for the executable bits, which follow the entry.
fn write(target: &Path, entry: &Entry) -> Result<(), Error> {
    let name = target
        .file_name()
        .map(|name| name.to_string_lossy().to_string())
        .unwrap_or_default();
    let temporary = target.with_file_name(format!(".oxwheel-{name}.new"));
    fs::write(&temporary, &entry.bytes).map_err(Error::io("write", &temporary))?;
    set_mode(&temporary, fs::metadata(target).ok(), entry.executable)?;
    fs::rename(&temporary, target).map_err(Error::io("write", target))
}

#[cfg(unix)]
fn set_mode(path: &Path, before: Option<fs::Metadata>, executable: bool) -> Result<(), Error> {
    use std::os::unix::fs::PermissionsExt;
    let mode = before.map_or(0o644, |metadata| metadata.permissions().mode() & 0o7777);
    // Executable where readable: rw-r--r-- becomes rwxr-xr-x, rw------- becomes rwx------.
    let mode = if executable {
        mode | ((mode & 0o444) >> 2)
    } else {
        mode & !0o111
    };
    fs::set_permissions(path, fs::Permissions::from_mode(mode))
        .map_err(Error::io("set the mode of", path))
}

#[cfg(not(unix))]
fn set_mode(_: &Path, _: Option<fs::Metadata>, _: bool) -> Result<(), Error> {
    Ok(())
}
