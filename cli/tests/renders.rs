//! The command as `cargo test` builds it (a debug build unless --release) renders: `oxwheel new`
//! from this repository's template, and `oxwheel update` of a project made from an older
//! revision of it to the newest. cargo-generate runs the template's hooks with Rhai's default
//! limits, which a debug build of Rhai makes smaller; the hooks must fit in either build.

use std::fs;
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};

/// A revision whose template has the rules in rules.rhai and no layout answers yet.
const OLDER: &str = "8c4fdcc";

/// A directory for one test, removed when the test ends.
struct Scratch(PathBuf);

impl Scratch {
    fn new(name: &str) -> Result<Self, String> {
        let path =
            std::env::temp_dir().join(format!("oxwheel-renders-{name}-{}", std::process::id()));
        let _ = fs::remove_dir_all(&path);
        fs::create_dir_all(&path).map_err(|error| format!("{}: {error}", path.display()))?;
        Ok(Self(path))
    }
}

impl Drop for Scratch {
    fn drop(&mut self) {
        let _ = fs::remove_dir_all(&self.0);
    }
}

/// The repository that holds cli/ and template/: what `--template` names.
fn repository() -> Result<PathBuf, String> {
    let here = Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
    fs::canonicalize(&here).map_err(|error| format!("{}: {error}", here.display()))
}

fn oxwheel(arguments: &[&str], directory: &Path) -> Result<Output, String> {
    let mut command = Command::new(env!("CARGO_BIN_EXE_oxwheel"));
    command.args(arguments).current_dir(directory);
    for (variable, _) in std::env::vars_os() {
        if variable.to_string_lossy().starts_with("CARGO_GENERATE") {
            command.env_remove(variable);
        }
    }
    command
        .env_remove("OXWHEEL_TEMPLATE")
        .env("NO_COLOR", "1")
        .stdin(Stdio::null())
        .output()
        .map_err(|error| format!("cannot run oxwheel: {error}"))
}

/// `output` succeeded, or an error with what it said.
fn succeeded(output: &Output, what: &str) -> Result<String, String> {
    let said = String::from_utf8_lossy(&output.stdout).to_string();
    if output.status.success() {
        return Ok(said);
    }
    Err(format!(
        "{what} exited with {:?}:\n{said}\n{}",
        output.status.code(),
        String::from_utf8_lossy(&output.stderr)
    ))
}

fn recorded_revision(project: &Path) -> Result<String, String> {
    let path = project.join("oxwheel-answers.toml");
    let text = fs::read_to_string(&path).map_err(|error| format!("{}: {error}", path.display()))?;
    let line = text.lines().find(|line| line.starts_with("revision = "));
    Ok(line
        .map(|line| line.trim_start_matches("revision = ").trim_matches('"'))
        .unwrap_or_default()
        .to_string())
}

fn head(repository: &Path) -> Result<String, String> {
    let output = Command::new("git")
        .args(["rev-parse", "HEAD"])
        .current_dir(repository)
        .output()
        .map_err(|error| format!("cannot run git: {error}"))?;
    Ok(String::from_utf8_lossy(&output.stdout).trim().to_string())
}

#[test]
fn new_renders_the_template_with_the_defaults() -> Result<(), String> {
    let scratch = Scratch::new("new")?;
    let template = repository()?.to_string_lossy().to_string();
    let made = oxwheel(
        &["new", "fresh-project", "--template", &template],
        &scratch.0,
    )?;
    succeeded(&made, "oxwheel new")?;
    let project = scratch.0.join("fresh-project");
    assert!(project.join("src").join("lib.rs").is_file());
    assert!(project.join("python").join("fresh_project").is_dir());
    assert_eq!(recorded_revision(&project)?, head(&repository()?)?);
    Ok(())
}

#[test]
fn update_takes_a_project_from_an_older_revision_to_the_newest() -> Result<(), String> {
    let scratch = Scratch::new("update")?;
    let repository = repository()?;
    let template = repository.to_string_lossy().to_string();
    let arguments = [
        "new",
        "older-project",
        "--template",
        &template,
        "--revision",
        OLDER,
    ];
    succeeded(&oxwheel(&arguments, &scratch.0)?, "oxwheel new --revision")?;
    let project = scratch.0.join("older-project");
    let project_option = project.to_string_lossy().to_string();
    let updated = oxwheel(&["update", "--project", &project_option], &scratch.0)?;
    let said = succeeded(&updated, "oxwheel update")?;
    assert!(said.contains("updated from "), "{said}");
    assert_eq!(recorded_revision(&project)?, head(&repository)?);
    Ok(())
}

#[test]
fn render_with_json_prints_the_path_or_the_refusal_with_its_rule() -> Result<(), String> {
    let scratch = Scratch::new("render-json")?;
    let template = repository()?.join("template").to_string_lossy().to_string();
    let destination = scratch.0.to_string_lossy().to_string();
    let render = [
        "render",
        "--template",
        &template,
        "--destination",
        &destination,
        "--json",
    ];
    let made = oxwheel(&[&render[..], &["--name=made"]].concat(), &scratch.0)?;
    let said = succeeded(&made, "oxwheel render --json")?;
    let path = scratch.0.join("made").to_string_lossy().to_string();
    assert_eq!(
        said.trim(),
        format!(r#"{{"outcome": "rendered", "path": "{path}"}}"#)
    );
    let refused = oxwheel(
        &[&render[..], &["--name=other", "--define=module_name=json"]].concat(),
        &scratch.0,
    )?;
    assert_eq!(refused.status.code(), Some(3));
    let said = String::from_utf8_lossy(&refused.stdout);
    let rule = "an import name must not shadow the standard-library module of that name";
    let expected = format!(
        r#"{{"outcome": "refused", "key": "module_name", "rule": "{rule}", "message": "module_name \"json\" is refused: {rule}"}}"#
    );
    assert_eq!(said.trim(), expected);
    assert!(!scratch.0.join("other").exists());
    Ok(())
}

#[test]
fn rules_with_json_prints_the_answers_what_they_derive_and_what_is_supported() -> Result<(), String>
{
    let template = repository()?.join("template").to_string_lossy().to_string();
    let rules = [
        "rules",
        "--template",
        &template,
        "--json",
        "--define=abi3=false",
    ];
    let said = succeeded(&oxwheel(&rules, &repository()?)?, "oxwheel rules --json")?;
    let said = said.trim();
    assert!(
        said.starts_with(r#"{"answers": {"project-name": "example", "#),
        "{said}"
    );
    assert!(said.contains(r#""abi3": "false""#), "{said}");
    assert!(said.contains(r#", "derived": {"#), "{said}");
    assert!(said.contains(r#""abi3_wheel": "false""#), "{said}");
    assert!(said.contains(r#", "supported": {"#), "{said}");
    assert!(said.contains(r#""PLATFORMS": [{"#), "{said}");
    let refused = oxwheel(
        &["rules", "--template", &template, "--json", "-d", "abi3=yes"],
        &repository()?,
    )?;
    assert_eq!(refused.status.code(), Some(3));
    assert!(
        String::from_utf8_lossy(&refused.stdout)
            .starts_with(r#"{"outcome": "refused", "key": "abi3", "#)
    );
    Ok(())
}
