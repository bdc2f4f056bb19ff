//! The project's files as the survey reads them, and the TOML in them.

use toml::{Table, Value};

use crate::error::Error;

/// The project's files, by `/`-separated path from its root: their text, or None.
pub trait Files {
    fn text(&self, path: &str) -> Option<String>;
    fn exists(&self, path: &str) -> bool {
        self.text(path).is_some()
    }
    fn is_folder(&self, path: &str) -> bool;
    /// The names of the folders inside the folder `path`.
    fn folders(&self, path: &str) -> Vec<String>;
    /// The names of the files inside the folder `path`.
    fn files(&self, path: &str) -> Vec<String>;
    /// Whether git tracks the file `path` (a Cargo.lock on disk but ignored is not committed).
    fn committed(&self, path: &str) -> bool;
    /// The names of the files in `.github/workflows`.
    fn workflows(&self) -> Vec<String>;
    /// The URL of the git remote `origin`, if any.
    fn origin(&self) -> Option<String>;
}

/// The files of the package's folder, by paths from it.
pub struct Within<'a> {
    pub files: &'a dyn Files,
    pub folder: &'a str,
}

impl Within<'_> {
    pub fn path(&self, path: &str) -> String {
        match (self.folder, path) {
            (".", path) => path.to_string(),
            (folder, ".") => folder.to_string(),
            (folder, path) => format!("{folder}/{path}"),
        }
    }
}

impl Files for Within<'_> {
    fn text(&self, path: &str) -> Option<String> {
        self.files.text(&self.path(path))
    }
    fn is_folder(&self, path: &str) -> bool {
        self.files.is_folder(&self.path(path))
    }
    fn folders(&self, path: &str) -> Vec<String> {
        self.files.folders(&self.path(path))
    }
    fn files(&self, path: &str) -> Vec<String> {
        self.files.files(&self.path(path))
    }
    fn committed(&self, path: &str) -> bool {
        self.files.committed(&self.path(path))
    }
    fn workflows(&self) -> Vec<String> {
        self.files.workflows()
    }
    fn origin(&self) -> Option<String> {
        self.files.origin()
    }
}

pub fn refusal(why: &str) -> Error {
    Error::new(format!(
        "oxwheel adopt takes maturin projects only, and {why}; nothing was changed"
    ))
}

pub fn parsed(files: &dyn Files, path: &str) -> Result<Option<Table>, Error> {
    files
        .text(path)
        .map(|text| {
            text.parse::<Table>()
                .map_err(|error| Error::new(format!("{path} is not valid TOML: {error}")))
        })
        .transpose()
}

pub fn text_at<'a>(table: &'a Table, keys: &[&str]) -> Option<&'a str> {
    value_at(table, keys).and_then(Value::as_str)
}

pub fn value_at<'a>(table: &'a Table, keys: &[&str]) -> Option<&'a Value> {
    let (last, parents) = keys.split_last()?;
    let mut current = table;
    for key in parents {
        current = current.get(*key)?.as_table()?;
    }
    current.get(*last)
}

pub fn strings(value: Option<&Value>) -> Vec<String> {
    value
        .and_then(Value::as_array)
        .map(|items| {
            let texts = items.iter().filter_map(Value::as_str);
            texts.map(str::to_string).collect()
        })
        .unwrap_or_default()
}

/// A distribution name as PEP 503 compares them (`MixedDist` is `mixeddist`, `a_b` is `a-b`):
/// the name the workflows install, which cargo-generate's kebab case then leaves as it is.
pub fn normalized(name: &str) -> String {
    let lower = name.to_lowercase();
    let parts = lower.split(['-', '_', '.']).filter(|part| !part.is_empty());
    parts.collect::<Vec<_>>().join("-")
}
