//! `oxwheel render`: a template folder rendered with the given answers and no questions, for
//! tools (and for `new`, `update` and `adopt`, which run it in a process of its own).

use std::path::Path;
use std::process::ExitCode;

use crate::error::Error;
use crate::json::{self, Json};
use crate::renderer;

pub struct Options<'a> {
    pub template: &'a Path,
    pub name: &'a str,
    pub defines: &'a [String],
    pub destination: &'a Path,
    /// One JSON object on standard output: {"outcome": "rendered", "path"} or the refusal.
    pub json: bool,
}

/// The project's path on standard output, or the refusal with its status.
pub fn run(options: &Options<'_>) -> Result<ExitCode, Error> {
    let rendered = renderer::generate(
        options.template,
        options.name,
        options.defines,
        options.destination,
    );
    match rendered {
        Ok(project) if options.json => {
            let path = Json::text(project.to_string_lossy());
            let outcome = ("outcome".to_string(), Json::text("rendered"));
            say!(
                "{}",
                Json::Object(vec![outcome, ("path".into(), path)]).render()
            );
            Ok(ExitCode::SUCCESS)
        }
        Ok(project) => {
            say!("{}", project.display());
            Ok(ExitCode::SUCCESS)
        }
        Err(error) => json::refused_exit(error, options.json),
    }
}
