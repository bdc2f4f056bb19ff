//! Scratch directories: where oxwheel clones, renders and keeps backups, removed when done or
//! when Ctrl-C ends the process.

use std::fs;
use std::path::{Path, PathBuf};

use crate::error::Error;
use crate::interrupt;

/// A directory removed with everything in it when dropped, or when Ctrl-C ends the process.
pub struct Scratch(PathBuf);

impl Scratch {
    /// A new, empty directory inside `parent`.
    pub fn new(parent: &Path, purpose: &str) -> Result<Self, Error> {
        let nanos = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map(|elapsed| elapsed.as_nanos())
            .unwrap_or_default();
        // Absolute, since git runs in other directories with paths inside this one.
        let parent = fs::canonicalize(parent).map_err(Error::io("use", parent))?;
        let path = parent.join(format!(".oxwheel-{purpose}-{}-{nanos}", std::process::id()));
        interrupt::register(&path);
        fs::create_dir_all(&path).map_err(Error::io("create", &path))?;
        Ok(Self(path))
    }

    pub fn path(&self) -> &Path {
        &self.0
    }

    /// A new directory `name` inside the scratch directory.
    pub fn child(&self, name: &str) -> Result<PathBuf, Error> {
        let path = self.0.join(name);
        fs::create_dir_all(&path).map_err(Error::io("create", &path))?;
        Ok(path)
    }
}

impl Drop for Scratch {
    fn drop(&mut self) {
        let _ = fs::remove_dir_all(&self.0);
        interrupt::unregister(&self.0);
    }
}
