//! The one error type: a sentence for the person, and whether an answer was refused.

use std::fmt;
use std::path::Path;

#[derive(Debug)]
pub struct Error {
    message: String,
    refused: bool,
}

impl Error {
    pub fn new(message: impl Into<String>) -> Self {
        Self {
            message: message.into(),
            refused: false,
        }
    }

    /// An answer was refused: the message names the rule it breaks.
    pub fn refused(message: impl Into<String>) -> Self {
        Self {
            message: format!("refused, nothing was created: {}", message.into()),
            refused: true,
        }
    }

    pub fn is_refusal(&self) -> bool {
        self.refused
    }

    /// "cannot VERB PATH: ERROR", for an I/O error on `path`.
    pub fn io(verb: &str, path: &Path) -> impl FnOnce(std::io::Error) -> Self {
        let message = format!("cannot {verb} {}", path.display());
        move |error| Self::new(format!("{message}: {error}"))
    }
}

impl fmt::Display for Error {
    fn fmt(&self, formatter: &mut fmt::Formatter<'_>) -> fmt::Result {
        formatter.write_str(&self.message)
    }
}
