//! Every TOML and YAML file of a rendering must parse: an answer that slips a character past
//! the rules into a manifest or a workflow is caught here, before anything is written.

use std::path::Path;

use crate::error::Error;
use crate::files;

/// An error naming each TOML or YAML file below `project` that does not parse.
pub fn parsed(project: &Path) -> Result<(), Error> {
    let mut broken = Vec::new();
    for (path, entry) in files::below(project)? {
        if let Err(why) = parses(&path, &entry.bytes) {
            // The parser's first line says where, its last one what.
            let lines: Vec<&str> = why
                .lines()
                .map(str::trim)
                .filter(|line| !line.is_empty())
                .collect();
            let (first, last) = (lines.first().unwrap_or(&""), lines.last().unwrap_or(&""));
            broken.push(format!("{path}: {first}: {last}"));
        }
    }
    if broken.is_empty() {
        return Ok(());
    }
    Err(Error::new(format!(
        "the rendering would hold files that do not parse, so nothing was written:\n  {}",
        broken.join("\n  ")
    )))
}

/// Whether the file `path` (by its name) holding `bytes` parses as what its name says.
pub fn parses(path: &str, bytes: &[u8]) -> Result<(), String> {
    let is = |suffix: &str| path.ends_with(suffix);
    if !(is(".toml") || is(".yml") || is(".yaml")) {
        return Ok(());
    }
    let text = std::str::from_utf8(bytes).map_err(|error| format!("not UTF-8: {error}"))?;
    if is(".toml") {
        text.parse::<toml::Table>()
            .map(|_| ())
            .map_err(|error| error.to_string())
    } else {
        yaml_rust2::YamlLoader::load_from_str(text)
            .map(|_| ())
            .map_err(|error| error.to_string())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_control_character_in_a_toml_string_does_not_parse() {
        assert!(parses("Cargo.toml", b"description = \"Fast\x0btools\"\n").is_err());
        assert!(parses("Cargo.toml", b"description = \"Fast tools\"\n").is_ok());
    }

    #[test]
    fn broken_yaml_does_not_parse_and_other_files_are_not_read() {
        assert!(parses(".github/workflows/ci.yml", b"on: [push\n").is_err());
        assert!(parses("README.md", b"\xff not even text").is_ok());
    }
}
