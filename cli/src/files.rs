//! Files as oxwheel reads and writes them: their bytes and executable bit, their line endings,
//! and every file below a folder by its `/`-separated path.

use std::collections::BTreeMap;
use std::fs;
use std::path::Path;

use crate::error::Error;

#[derive(Clone, Debug, PartialEq)]
pub struct Entry {
    pub bytes: Vec<u8>,
    pub executable: bool,
}

impl Entry {
    /// The regular file at `path`.
    pub fn read(path: &Path) -> Result<Self, Error> {
        let bytes = fs::read(path).map_err(Error::io("read", path))?;
        Ok(Self {
            bytes,
            executable: is_executable(path),
        })
    }

    pub fn is_binary(&self) -> bool {
        self.bytes.contains(&0)
    }

    /// The same file with its line breaks written as `\r\n` (`crlf`) or `\n`.
    pub fn with_line_ends(&self, crlf: bool) -> Self {
        let lf = lf_only(&self.bytes);
        let bytes = if crlf { crlf_from_lf(&lf) } else { lf };
        Self {
            bytes,
            executable: self.executable,
        }
    }

    /// A text whose every line break is `\r\n` (a checkout with core.autocrlf, say).
    pub fn uses_crlf(&self) -> bool {
        let breaks = self.bytes.iter().filter(|byte| **byte == b'\n').count();
        let crlf = self.bytes.windows(2).filter(|pair| pair == b"\r\n").count();
        !self.is_binary() && crlf > 0 && crlf == breaks
    }
}

fn lf_only(bytes: &[u8]) -> Vec<u8> {
    let mut out = Vec::with_capacity(bytes.len());
    for (index, byte) in bytes.iter().enumerate() {
        if !(*byte == b'\r' && bytes.get(index + 1) == Some(&b'\n')) {
            out.push(*byte);
        }
    }
    out
}

fn crlf_from_lf(bytes: &[u8]) -> Vec<u8> {
    let mut out = Vec::with_capacity(bytes.len() + bytes.len() / 16);
    for byte in bytes {
        if *byte == b'\n' {
            out.push(b'\r');
        }
        out.push(*byte);
    }
    out
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

/// Every file below `root` (`.git` aside), by its `/`-separated relative path.
/// Symbolic links are not followed; a rendering holds none.
pub fn below(root: &Path) -> Result<BTreeMap<String, Entry>, Error> {
    let mut found = BTreeMap::new();
    let mut pending = vec![root.to_path_buf()];
    while let Some(directory) = pending.pop() {
        for entry in fs::read_dir(&directory).map_err(Error::io("list", &directory))? {
            let entry = entry.map_err(Error::io("list", &directory))?;
            let path = entry.path();
            let kind = entry.file_type().map_err(Error::io("inspect", &path))?;
            if entry.file_name() == ".git" {
                continue;
            }
            if kind.is_dir() {
                pending.push(path);
            } else if kind.is_file() {
                found.insert(relative(root, &path)?, Entry::read(&path)?);
            }
        }
    }
    Ok(found)
}

fn relative(root: &Path, path: &Path) -> Result<String, Error> {
    let relative = path
        .strip_prefix(root)
        .map_err(|error| Error::new(error.to_string()))?;
    let parts: Vec<_> = relative
        .components()
        .map(|part| part.as_os_str().to_string_lossy().to_string())
        .collect();
    Ok(parts.join("/"))
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

    #[test]
    fn line_ends_convert_both_ways_and_crlf_is_every_break() {
        let crlf = text("a\r\nb\r\n");
        assert!(crlf.uses_crlf());
        assert!(!text("a\r\nb\n").uses_crlf());
        assert_eq!(crlf.with_line_ends(false), text("a\nb\n"));
        assert_eq!(text("a\nb\n").with_line_ends(true), crlf);
    }
}
