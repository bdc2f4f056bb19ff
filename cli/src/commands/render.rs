//! `oxwheel render`: a template folder rendered with the given answers and no questions, for
//! tools (and for `new`, `update` and `adopt`, which run it in a process of its own).

use std::path::Path;
use std::process::ExitCode;

use crate::error::Error;
use crate::renderer;

/// The project's path on standard output, or the refusal with its status.
pub fn run(
    template: &Path,
    name: &str,
    defines: &[String],
    destination: &Path,
) -> Result<ExitCode, Error> {
    match renderer::generate(template, name, defines, destination) {
        Ok(project) => {
            say!("{}", project.display());
            Ok(ExitCode::SUCCESS)
        }
        Err(error) if error.is_refusal() => {
            eprintln!("oxwheel: {error}");
            Ok(ExitCode::from(renderer::REFUSED))
        }
        Err(error) => Err(error),
    }
}
