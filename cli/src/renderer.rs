//! The one renderer: cargo-generate, linked as a library, run by `oxwheel render` in a process of
//! its own (with no user configuration and no CARGO_GENERATE_* variable, its output kept out of
//! the person's terminal), and the files a rendering gives the project.

use std::collections::BTreeMap;
use std::fs;
use std::panic::{AssertUnwindSafe, catch_unwind};
use std::path::{Path, PathBuf};
use std::process::Command;

use cargo_generate::{GenerateArgs, TemplatePath, Vcs};

use crate::error::{Error, REFUSED};
use crate::files::{self, Entry};
use crate::rules::{self, PROJECT_NAME, Rules};
use crate::scratch::Scratch;
use crate::validate;
use crate::values::Values;

/// Renders `template` into `parent/<project-name>` with `values` (project-name among them) by
/// running `oxwheel render`; returns the project's directory. A refusal of the template's
/// hooks is an Error::refused naming the rule.
pub fn render(template: &Path, values: &Values, parent: &Path) -> Result<PathBuf, Error> {
    let name = values
        .get(PROJECT_NAME)
        .ok_or_else(|| Error::new("no project-name among the answers"))?;
    let me = std::env::current_exe().map_err(|error| Error::new(format!("where am I? {error}")))?;
    let mut command = Command::new(me);
    command.arg("render").arg("--template").arg(template);
    command
        .arg("--destination")
        .arg(parent)
        // --name=VALUE: a name such as -rf is the name, not options.
        .arg(format!("--name={name}"));
    for (key, value) in values.iter().filter(|(key, _)| *key != PROJECT_NAME) {
        command.arg(format!("--define={key}={value}"));
    }
    for (variable, _) in std::env::vars_os() {
        if variable.to_string_lossy().starts_with("CARGO_GENERATE") {
            command.env_remove(variable);
        }
    }
    command.env("NO_COLOR", "1").env("RUST_BACKTRACE", "0");
    let output = command
        .stdin(std::process::Stdio::null())
        .output()
        .map_err(|error| Error::new(format!("cannot run oxwheel render: {error}")))?;
    let said = String::from_utf8_lossy(&output.stderr);
    let said = said.trim().trim_start_matches("oxwheel: ");
    match output.status.code() {
        // The project's path is the last line; cargo-generate's hooks print before it.
        Some(0) => Ok(PathBuf::from(
            String::from_utf8_lossy(&output.stdout)
                .lines()
                .last()
                .unwrap_or_default(),
        )),
        Some(code) if code == i32::from(REFUSED) => Err(Error::refused(
            said.trim_start_matches("refused, nothing was created: "),
        )),
        _ => Err(Error::new(said.to_string())),
    }
}

/// cargo-generate itself, in this process: renders the template folder `template` into
/// `destination/<name>`, then checks that every TOML and YAML file it wrote parses.
pub fn generate(
    template: &Path,
    name: &str,
    defines: &[String],
    destination: &Path,
) -> Result<PathBuf, Error> {
    if let Some((variable, _)) = std::env::vars().find(|(key, _)| key.starts_with("CARGO_GENERATE"))
    {
        return Err(Error::new(format!(
            "{variable} is set: oxwheel renders from its own answers only, so unset it"
        )));
    }
    check_answers(template, name, defines)?;
    let target = destination.join(rules::project_name_as_rendered(name));
    if target.exists() {
        return Err(Error::new(format!(
            "{} exists already; nothing was changed",
            target.display()
        )));
    }
    let scratch = Scratch::new(&std::env::temp_dir(), "config")?;
    // No user configuration: an empty one, so that renders are reproducible.
    let config = scratch.path().join("cargo-generate.toml");
    fs::write(&config, "").map_err(Error::io("write", &config))?;
    let args = GenerateArgs {
        template_path: TemplatePath {
            path: Some(template.to_string_lossy().to_string()),
            ..TemplatePath::default()
        },
        name: Some(name.to_string()),
        silent: true,
        config: Some(config),
        vcs: Some(Vcs::None),
        define: defines.to_vec(),
        destination: Some(destination.to_path_buf()),
        no_workspace: true,
        ..GenerateArgs::default()
    };
    // cargo-generate makes the project's directory before it checks the answers: whatever a
    // failed render made in the destination goes.
    let existed = entries(destination)?;
    let rendered =
        run_cargo_generate(args).and_then(|project| validate::parsed(&project).map(|()| project));
    if rendered.is_err() {
        for made in entries(destination)?.difference(&existed) {
            let _ = fs::remove_dir_all(made);
        }
    }
    rendered
}

fn entries(directory: &Path) -> Result<std::collections::BTreeSet<PathBuf>, Error> {
    let listed = fs::read_dir(directory).map_err(Error::io("list", directory))?;
    Ok(listed
        .filter_map(Result::ok)
        .map(|entry| entry.path())
        .collect())
}

/// The template's rules on every answer given, before cargo-generate parses them: a value it
/// cannot even read (a line break) is refused by its rule too.
fn check_answers(template: &Path, name: &str, defines: &[String]) -> Result<(), Error> {
    let rules = Rules::load(template)?;
    let given = defines
        .iter()
        .map(|define| define.split_once('=').unwrap_or((define, "")));
    let answers: Vec<(&str, &str)> = std::iter::once((PROJECT_NAME, name)).chain(given).collect();
    rules.check_keys(answers.iter().map(|(key, _)| *key))?;
    // Each answer in the light of those before it, as the hooks check them, and of `adopted`,
    // which the hooks read first (an adopted project's metadata is its own).
    let mut before = Values::new();
    if let Some((key, adopted)) = answers.iter().find(|(key, _)| *key == "adopted") {
        before.set(key, adopted);
    }
    for (key, value) in answers {
        if let Some(refusal) = rules.refusal(key, value, &before)? {
            return Err(Error::refused(refusal));
        }
        before.set(key, value);
    }
    Ok(())
}

fn run_cargo_generate(args: GenerateArgs) -> Result<PathBuf, Error> {
    let quiet = std::panic::take_hook();
    std::panic::set_hook(Box::new(|_| {}));
    let outcome = catch_unwind(AssertUnwindSafe(|| cargo_generate::generate(args)));
    std::panic::set_hook(quiet);
    match outcome {
        Ok(Ok(project)) => Ok(project),
        Ok(Err(error)) => {
            let log = format!("{error:?}");
            match hook_refusal(&log) {
                Some(refusal) => Err(Error::refused(refusal)),
                None => Err(Error::new(format!(
                    "cargo-generate failed: {}",
                    cleaned(&log)
                ))),
            }
        }
        Err(panic) => {
            let why = panic
                .downcast_ref::<String>()
                .cloned()
                .or_else(|| panic.downcast_ref::<&str>().map(|text| text.to_string()))
                .unwrap_or_default();
            Err(Error::new(format!(
                "cargo-generate stopped unexpectedly: {why}"
            )))
        }
    }
}

/// The answers hook's refusal (`<answer> "<value>" is refused: <rule>`) in cargo-generate's
/// report of a failed script, without Rhai's position.
pub fn hook_refusal(log: &str) -> Option<String> {
    log.lines().find_map(|line| {
        let start = line.find(" is refused: ")?;
        let from = line[..start].rfind(": ").map_or(0, |colon| colon + 2);
        let end = line
            .find(" @ '")
            .or_else(|| line.find(" (line "))
            .unwrap_or(line.len());
        (from < end).then(|| line[from..end].trim().to_string())
    })
}

/// cargo-generate's error without its decorations and backtrace.
fn cleaned(log: &str) -> String {
    log.lines()
        .map(str::trim)
        .take_while(|line| !line.starts_with("Stack backtrace"))
        .filter(|line| !line.is_empty())
        .map(|line| line.trim_start_matches(|c: char| !c.is_ascii() || c == ' '))
        .collect::<Vec<_>>()
        .join(" ")
}

/// The files a rendering gives the project, by their path in it: an adopted project's
/// pyproject.toml and tox.toml belong in the folder of its package (`package_dir`, a uv
/// workspace's member, say), every other file at the repository's root.
pub fn project_files(rendered: &Path, values: &Values) -> Result<BTreeMap<String, Entry>, Error> {
    let mut found = files::below(rendered)?;
    for name in ["pyproject.toml", "tox.toml"] {
        let path = in_package(values, name);
        if path != name
            && let Some(entry) = found.remove(name)
        {
            found.insert(path, entry);
        }
    }
    Ok(found)
}

/// The path of the package's file `name`: in `package_dir` when the answers name one.
pub fn in_package(values: &Values, name: &str) -> String {
    let package = values.get("package_dir").unwrap_or(".");
    if package == "." {
        name.to_string()
    } else {
        format!("{package}/{name}")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_refusal_is_the_rule_alone() {
        let log = "Error: Failed executing script\n    Runtime error: module_name \"json\" is refused: \
                   an import name must not shadow it @ 'rules' (line 6, position 5)\n";
        let expected = "module_name \"json\" is refused: an import name must not shadow it";
        assert_eq!(hook_refusal(log).as_deref(), Some(expected));
    }

    #[test]
    fn other_errors_are_no_refusal_and_lose_their_decorations() {
        assert_eq!(hook_refusal("🔧 progress\nError: Sorry\n"), None);
        assert_eq!(cleaned("⛔   Sorry\nStack backtrace:\n 0: x"), "Sorry");
    }
}
