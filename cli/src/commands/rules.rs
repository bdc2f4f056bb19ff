//! `oxwheel rules`: what the template's own rules derive for a set of answers, for tools that
//! would otherwise derive it again (every version list, build identifier and job the files use).

use std::path::Path;
use std::process::ExitCode;

use crate::derivation::{self, Derived};
use crate::error::Error;
use crate::json::{self, Json};
use crate::values::Values;

pub struct Options<'a> {
    pub template: &'a Path,
    pub name: &'a str,
    pub defines: &'a Values,
    pub json: bool,
}

/// One JSON object ({"answers", "derived", "supported"}) with --json, else a line per derived
/// value; a refused answer exits with REFUSED.
pub fn run(options: &Options<'_>) -> Result<ExitCode, Error> {
    match derivation::derive(options.template, options.name, options.defines) {
        Ok(derived) if options.json => {
            say!("{}", as_json(&derived).render());
            Ok(ExitCode::SUCCESS)
        }
        Ok(derived) => {
            for (key, value) in &derived.derived {
                say!("{key} = {}", Json::from_rhai(value).render());
            }
            Ok(ExitCode::SUCCESS)
        }
        Err(error) => json::refused_exit(error, options.json),
    }
}

fn as_json(derived: &Derived) -> Json {
    let answers = derived
        .answers
        .iter()
        .map(|(key, value)| (key.to_string(), Json::text(value)))
        .collect();
    let map = |map: &rhai::Map| {
        let entries = map
            .iter()
            .map(|(key, value)| (key.to_string(), Json::from_rhai(value)));
        Json::Object(entries.collect())
    };
    Json::Object(vec![
        ("answers".into(), Json::Object(answers)),
        ("derived".into(), map(&derived.derived)),
        ("supported".into(), map(&derived.supported)),
    ])
}
