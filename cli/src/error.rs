//! The one error type: a sentence for the person, and whether an answer was refused.

use std::fmt;
use std::path::Path;

/// The exit status of `oxwheel render` and `oxwheel rules` when the template's rules refused an
/// answer.
pub const REFUSED: u8 = 3;

#[derive(Debug)]
pub struct Error {
    message: String,
    /// The refusal as the template's rules word it, when an answer was refused.
    refusal: Option<String>,
}

/// A refused answer's parts: the rules word a refusal `<answer> "<value>" is refused: <rule>`.
#[derive(Debug, PartialEq)]
pub struct Refusal<'a> {
    /// The refusal as the rules word it.
    pub message: &'a str,
    /// The answer refused, and the rule it breaks, where the message says them.
    pub key: Option<&'a str>,
    pub rule: Option<&'a str>,
}

impl Error {
    pub fn new(message: impl Into<String>) -> Self {
        Self {
            message: message.into(),
            refusal: None,
        }
    }

    /// An answer was refused: the message names the rule it breaks.
    pub fn refused(message: impl Into<String>) -> Self {
        let refusal = message.into();
        Self {
            message: format!("refused, nothing was created: {refusal}"),
            refusal: Some(refusal),
        }
    }

    /// The refusal, when an answer was refused.
    pub fn refusal(&self) -> Option<Refusal<'_>> {
        let message = self.refusal.as_deref()?;
        let key = message
            .split_once(" \"")
            .map(|(key, _)| key)
            .filter(|key| !key.is_empty() && !key.contains(char::is_whitespace));
        // The last one: a refused value may hold the words itself, a rule does not.
        let rule = message
            .rsplit_once(" is refused: ")
            .map(|(_, rule)| rule)
            .filter(|_| key.is_some());
        Some(Refusal {
            message,
            key: key.filter(|_| rule.is_some()),
            rule,
        })
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_refusal_names_its_answer_and_rule() {
        let error = Error::refused("module_name \"json\" is refused: it must not shadow json");
        let expected = Refusal {
            message: "module_name \"json\" is refused: it must not shadow json",
            key: Some("module_name"),
            rule: Some("it must not shadow json"),
        };
        assert_eq!(error.refusal(), Some(expected));
        assert!(
            error
                .to_string()
                .starts_with("refused, nothing was created: ")
        );
    }

    #[test]
    fn a_value_that_mimics_a_refusal_does_not_become_the_rule() {
        let error = Error::refused("description \"x is refused: y\" is refused: plain text");
        let refusal = error.refusal();
        assert_eq!(refusal.as_ref().and_then(|r| r.rule), Some("plain text"));
        assert_eq!(refusal.and_then(|r| r.key), Some("description"));
    }

    #[test]
    fn a_refusal_in_other_words_has_no_key_or_rule_and_an_error_is_no_refusal() {
        let error = Error::refused("nothing was ported: made-up.txt");
        let refusal = error.refusal();
        assert_eq!(
            refusal.as_ref().map(|r| (r.key, r.rule)),
            Some((None, None))
        );
        assert!(Error::new("cannot read x").refusal().is_none());
    }
}
