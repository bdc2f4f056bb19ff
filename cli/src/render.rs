//! The template at a revision, rendered by cargo-generate into a scratch directory.

use std::collections::BTreeMap;
use std::fs;
use std::path::{Path, PathBuf};
use std::process::Command;

use crate::merge::Entry;
use crate::{Error, git};

/// A directory removed with everything in it when dropped.
pub struct Scratch(PathBuf);

impl Scratch {
    /// A new, empty directory inside `parent`.
    pub fn new(parent: &Path, purpose: &str) -> Result<Self, Error> {
        let nanos = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map(|elapsed| elapsed.as_nanos())
            .unwrap_or_default();
        // Absolute, since git runs in other directories with paths inside this one.
        let parent = fs::canonicalize(parent)
            .map_err(|error| Error::new(format!("cannot use {}: {error}", parent.display())))?;
        let path = parent.join(format!(".oxwheel-{purpose}-{}-{nanos}", std::process::id()));
        fs::create_dir_all(&path)
            .map_err(|error| Error::new(format!("cannot create {}: {error}", path.display())))?;
        Ok(Self(path))
    }

    pub fn path(&self) -> &Path {
        &self.0
    }
}

impl Drop for Scratch {
    fn drop(&mut self) {
        let _ = fs::remove_dir_all(&self.0);
    }
}

/// A clone of the template's repository (a git URL or a local path), with its default branch.
pub fn clone(source: &str, scratch: &Path) -> Result<PathBuf, Error> {
    let into = scratch.join("repository");
    let target = into.to_string_lossy().to_string();
    git::git(scratch, &["clone", "--quiet", source, &target])?;
    Ok(into)
}

/// The repository's `template/` folder as it was at `revision`.
pub fn template_at(
    repository: &Path,
    revision: &str,
    scratch: &Path,
    name: &str,
) -> Result<PathBuf, Error> {
    let into = scratch.join(name);
    let target = into.to_string_lossy().to_string();
    git::git(
        repository,
        &["worktree", "add", "--quiet", "--detach", &target, revision],
    )?;
    Ok(into.join("template"))
}

/// Renders `template` into `parent/<project-name>` with `values` (project-name among them),
/// returning the project's directory. A refusal of the answers hook becomes the error's message.
pub fn render(
    template: &Path,
    values: &[(String, String)],
    parent: &Path,
) -> Result<PathBuf, Error> {
    let name = values
        .iter()
        .find(|(key, _)| key == "project-name")
        .map(|(_, value)| value.clone())
        .ok_or_else(|| Error::new("no project-name among the answers".to_string()))?;
    let mut command = Command::new("cargo-generate");
    command
        .arg("generate")
        .arg("--path")
        .arg(template)
        .arg("--name")
        .arg(&name);
    command
        .arg("--destination")
        .arg(parent)
        .args(["--vcs", "none", "--silent"]);
    for (key, value) in values.iter().filter(|(key, _)| key != "project-name") {
        command.arg("--define").arg(format!("{key}={value}"));
    }
    command.env("RUST_BACKTRACE", "0").env("NO_COLOR", "1");
    command.stdin(std::process::Stdio::null());
    let output = command.output().map_err(|error| {
        Error::new(format!(
            "cannot run cargo-generate ({error}): install it with `cargo install cargo-generate --locked`"
        ))
    })?;
    if !output.status.success() {
        let log = String::from_utf8_lossy(&output.stderr).to_string()
            + &String::from_utf8_lossy(&output.stdout);
        return Err(Error::refused(refusal(&log)));
    }
    let mut created = fs::read_dir(parent)
        .map_err(|error| Error::new(format!("cannot list {}: {error}", parent.display())))?
        .filter_map(Result::ok)
        .map(|entry| entry.path())
        .filter(|path| path.is_dir());
    match (created.next(), created.next()) {
        (Some(project), None) => Ok(project),
        _ => Err(Error::new(format!(
            "cargo-generate left no single project in {}",
            parent.display()
        ))),
    }
}

/// The answers hook's refusal (`<answer> "<value>" is refused: <rule>`), else cargo-generate's
/// own error lines.
pub fn refusal(log: &str) -> String {
    for line in log.lines() {
        if let Some(start) = line.find(" is refused: ") {
            let from = line[..start].rfind(": ").map_or(0, |colon| colon + 2);
            let end = line
                .find(" @ '")
                .or_else(|| line.find(" (line "))
                .unwrap_or(line.len());
            if from < end {
                return line[from..end].trim().to_string();
            }
        }
    }
    log.lines()
        .map(str::trim)
        .filter(|line| !line.is_empty() && !line.starts_with('🔧'))
        .collect::<Vec<_>>()
        .join("\n")
}

/// Every file below `root` (`.git` aside), by its `/`-separated relative path.
pub fn files(root: &Path) -> Result<BTreeMap<String, Entry>, Error> {
    let mut found = BTreeMap::new();
    let mut pending = vec![root.to_path_buf()];
    while let Some(directory) = pending.pop() {
        let entries = fs::read_dir(&directory)
            .map_err(|error| Error::new(format!("cannot list {}: {error}", directory.display())))?;
        for entry in entries.filter_map(Result::ok) {
            let path = entry.path();
            if entry.file_name() == ".git" {
                continue;
            }
            if path.is_dir() {
                pending.push(path);
            } else if let Some(file) = read(&path)? {
                let relative = path
                    .strip_prefix(root)
                    .map_err(|error| Error::new(error.to_string()))?;
                let parts: Vec<_> = relative
                    .components()
                    .map(|part| part.as_os_str().to_string_lossy().to_string())
                    .collect();
                found.insert(parts.join("/"), file);
            }
        }
    }
    Ok(found)
}

/// The file at `path`, or None when there is none.
pub fn read(path: &Path) -> Result<Option<Entry>, Error> {
    if !path.is_file() {
        return Ok(None);
    }
    let bytes = fs::read(path)
        .map_err(|error| Error::new(format!("cannot read {}: {error}", path.display())))?;
    Ok(Some(Entry {
        bytes,
        executable: is_executable(path),
    }))
}

#[cfg(unix)]
fn is_executable(path: &Path) -> bool {
    use std::os::unix::fs::PermissionsExt;
    fs::metadata(path).is_ok_and(|metadata| metadata.permissions().mode() & 0o111 != 0)
}

#[cfg(not(unix))]
fn is_executable(_: &Path) -> bool {
    false
}

/// Writes `entry` to `path`, with its executable bit where the system has one.
pub fn write(path: &Path, entry: &Entry) -> Result<(), Error> {
    if let Some(parent) = path.parent() {
        fs::create_dir_all(parent)
            .map_err(|error| Error::new(format!("cannot create {}: {error}", parent.display())))?;
    }
    fs::write(path, &entry.bytes)
        .map_err(|error| Error::new(format!("cannot write {}: {error}", path.display())))?;
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = if entry.executable { 0o755 } else { 0o644 };
        fs::set_permissions(path, fs::Permissions::from_mode(mode)).map_err(|error| {
            Error::new(format!(
                "cannot set the mode of {}: {error}",
                path.display()
            ))
        })?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_refusal_is_the_rule_alone() {
        let log = "Error: Failed executing script\n    Runtime error: module_name \"json\" is refused: \
                   an import name must not shadow it @ 'rules' (line 6, position 5)\n";
        let expected = "module_name \"json\" is refused: an import name must not shadow it";
        assert_eq!(refusal(log), expected);
    }

    #[test]
    fn other_errors_keep_their_lines() {
        assert_eq!(refusal("🔧 progress\nError: Sorry\n"), "Error: Sorry");
    }
}
