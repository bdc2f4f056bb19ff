//! How an existing project runs its tests, read from what it uses itself: the runner (pytest
//! when its configuration, its tests, its tox.ini, noxfile, Makefile, justfile or CI name it),
//! the folder, and the lists that install what the tests import, each import checked against
//! them.

use std::collections::BTreeSet;

use toml::Table;

use super::layout::Resolved;
use super::tree::{Files, Within, normalized, strings, value_at};

/// What the survey read about the tests, in the template's answers.
#[derive(Debug, PartialEq)]
pub struct Testing {
    pub tests_dir: String,
    /// Space-separated `group:NAME`, `extra:NAME`, `requirements:PATH`, `pip:REQUIREMENT`, or
    /// `none`.
    pub test_deps: String,
    pub test_command: String,
    pub notes: Vec<String>,
}

/// The names under which projects list their tests' dependencies, most specific first.
const LIST_NAMES: [&str; 4] = ["test", "tests", "testing", "dev"];

/// Distributions whose import name is another (the import name first).
const IMPORTED_AS: [(&str, &str); 9] = [
    ("yaml", "pyyaml"),
    ("pil", "pillow"),
    ("attr", "attrs"),
    ("dateutil", "python-dateutil"),
    ("sklearn", "scikit-learn"),
    ("cv2", "opencv-python"),
    ("bs4", "beautifulsoup4"),
    ("_pytest", "pytest"),
    ("typing-extensions", "typing-extensions"),
];

/// pytest options in a project's `addopts` that a plugin adds.
const PLUGIN_OPTIONS: [(&str, &str); 5] = [
    ("--cov", "pytest-cov"),
    ("--benchmark", "pytest-benchmark"),
    ("--timeout", "pytest-timeout"),
    ("-n ", "pytest-xdist"),
    ("--doctest-glob", "pytest"),
];

/// The standard library's modules, one a line: `sys.stdlib_module_names` of the CPythons the
/// template supports (template-tests/test_adopt.py holds it to every one found).
/// The files besides pyproject.toml that say how a project runs its tests.
const RUNNER_FILES: [&str; 5] = ["tox.ini", "noxfile.py", "Makefile", "justfile", "Justfile"];

const STDLIB: &str = include_str!("stdlib.txt");

/// One place the project lists packages: the answer items that install it, and the
/// distributions it names.
struct Source {
    items: Vec<String>,
    names: BTreeSet<String>,
}

pub fn read(
    package: &Within,
    root: &dyn Files,
    pyproject: &Table,
    workspace: Option<&Table>,
    resolved: &Resolved,
) -> Testing {
    let mut notes = Vec::new();
    let folder = tests_folder(package, pyproject, resolved).unwrap_or_else(|| {
        notes.push(
            "no tests/ or test/ folder: the pipeline runs `tests`; name yours with --define \
             tests_dir=... and test_command=..."
                .to_string(),
        );
        "tests".to_string()
    });
    let tests = python_files(package, &folder, 4);
    let config = pytest_config(package, pyproject);
    let sources = sources(package, pyproject, workspace, &folder);
    let listed = sources.iter().any(|source| source.names.contains("pytest"));
    let chosen_by_project = listed || uses_pytest(package, root, pyproject, &tests, &config);
    let package_tests = package.exists(&format!("{folder}/__init__.py"));
    // unittest puts the top-level folder first on sys.path: with the package's source there
    // too, the tests would import it instead of the wheel. pytest appends it instead.
    // Tests inside the package are installed with it: pytest imports them from the wheel.
    let inside = inside_the_package(&folder, resolved);
    let shadowed = package_tests && resolved.python_source == "." || inside.is_some();
    let pytest = chosen_by_project || shadowed;
    let mut needed = imported(package, &folder, &tests, resolved);
    needed.retain(|name| !runtime_names(pyproject).contains(name));
    if pytest {
        needed.insert("pytest".to_string());
        needed.extend(plugins(&config));
    }
    let (mut items, missing) = chosen(&sources, &needed);
    if missing.contains("pytest") {
        items.push("pip:pytest".to_string());
        let why = if chosen_by_project {
            ""
        } else {
            " (unittest would import the source folder, not the wheel)"
        };
        notes.push(format!(
            "the tests run with pytest, which nothing the project lists installs: test_deps \
             adds pip:pytest{why}"
        ));
    }
    notes.extend(unlisted_note(&missing, &items));
    Testing {
        test_command: match inside {
            Some(dotted) => format!("pytest --pyargs {dotted}"),
            None => command(pytest, package_tests, &folder, &config),
        },
        tests_dir: folder,
        test_deps: if items.is_empty() {
            "none".to_string()
        } else {
            items.join(" ")
        },
        notes,
    }
}

/// What the tests import that no list installs, with the answer that would add it.
fn unlisted_note(missing: &BTreeSet<String>, items: &[String]) -> Option<String> {
    let names: Vec<&str> = missing
        .iter()
        .map(String::as_str)
        .filter(|name| *name != "pytest")
        .collect();
    let added: Vec<String> = names.iter().map(|name| format!("pip:{name}")).collect();
    (!names.is_empty()).then(|| {
        format!(
            "the tests import {}, which nothing the project lists installs: if they need them, \
             --define \"test_deps={}\"",
            names.join(", "),
            [items, added.as_slice()].concat().join(" ")
        )
    })
}

fn command(pytest: bool, package_tests: bool, folder: &str, config: &str) -> String {
    match (pytest, package_tests) {
        // A test package's folder goes last on sys.path, after the installed wheel.
        (true, true) if !config.contains("import-mode") => {
            format!("pytest --import-mode=append {folder}")
        }
        (true, _) => format!("pytest {folder}"),
        // Relative imports inside a test package need its parent as the top-level folder.
        (false, true) => format!("python -m unittest discover -s {folder} -t ."),
        (false, false) => format!("python -m unittest discover -s {folder}"),
    }
}

/// pytest's `testpaths`, else `tests` or `test` beside pyproject.toml, else the same names in
/// the Python source folder or in the package itself (maturin's src layout keeps `src/tests`).
fn tests_folder(package: &Within, pyproject: &Table, resolved: &Resolved) -> Option<String> {
    let options = value_at(pyproject, &["tool", "pytest", "ini_options", "testpaths"]);
    let mut candidates = strings(options);
    candidates.extend(options.and_then(toml::Value::as_str).map(str::to_string));
    candidates.extend(["tests".to_string(), "test".to_string()]);
    let source = resolved.python_source.as_str();
    if !["", "."].contains(&source) {
        candidates.extend([format!("{source}/tests"), format!("{source}/test")]);
    }
    let inside = match source {
        "" | "." => resolved.package.clone(),
        source => format!("{source}/{}", resolved.package),
    };
    candidates.extend([format!("{inside}/tests"), format!("{inside}/test")]);
    let named = candidates
        .into_iter()
        .map(|path| {
            path.trim_start_matches("./")
                .trim_end_matches('/')
                .to_string()
        })
        // A tests/ of Rust integration tests is no Python tests folder.
        .find(|path| !path.is_empty() && has_test_modules(package, path));
    named.or_else(|| test_folder_by_its_files(package))
}

fn is_test_module(path: &str) -> bool {
    let name = path.rsplit('/').next().unwrap_or(path);
    name.ends_with(".py") && (name.starts_with("test_") || name.ends_with("_test.py"))
}

fn has_test_modules(package: &Within, folder: &str) -> bool {
    python_files(package, folder, 3)
        .iter()
        .any(|(path, _)| is_test_module(path))
}

/// The dotted module path of a tests folder inside the Python package, which the wheel
/// installs with it (`pkg/tests` under python-source is `pkg.tests`); None for one outside.
fn inside_the_package(folder: &str, resolved: &Resolved) -> Option<String> {
    let within = match resolved.python_source.as_str() {
        "" => return None,
        "." => folder,
        source => folder.strip_prefix(source)?.strip_prefix('/')?,
    };
    let first = within.split('/').next()?;
    (first == resolved.package).then(|| within.replace('/', "."))
}

/// A folder beside pyproject.toml whose name says tests (`py_tests`, `tests-py`) and which
/// holds test modules: the one the project's own commands name, else the first.
fn test_folder_by_its_files(package: &Within) -> Option<String> {
    let folders: Vec<String> = package
        .folders(".")
        .into_iter()
        .filter(|name| name.to_lowercase().contains("test"))
        .filter(|name| package.files(name).iter().any(|file| is_test_module(file)))
        .collect();
    let commands = runner_texts(package);
    let named = folders.iter().find(|folder| {
        let word = |text: &String| text.split_whitespace().any(|word| word == folder.as_str());
        commands.iter().any(word)
    });
    named.or(folders.first()).cloned()
}

/// The files in which a project says how it runs its tests: tox.ini, noxfile, Makefile,
/// justfile, its workflows.
fn runner_texts(files: &dyn Files) -> Vec<String> {
    let workflows = files
        .workflows()
        .into_iter()
        .map(|name| format!(".github/workflows/{name}"));
    RUNNER_FILES
        .iter()
        .map(|name| name.to_string())
        .chain(workflows)
        .filter_map(|path| files.text(&path))
        .collect()
}

/// The `.py` files below `folder`, to `depth` levels, with their text.
fn python_files(files: &dyn Files, folder: &str, depth: usize) -> Vec<(String, String)> {
    let mut found: Vec<(String, String)> = files
        .files(folder)
        .into_iter()
        .filter(|name| name.ends_with(".py"))
        .filter_map(|name| {
            let path = format!("{folder}/{name}");
            files.text(&path).map(|text| (path, text))
        })
        .collect();
    if depth > 1 {
        for child in files.folders(folder) {
            if !child.starts_with('.') && child != "__pycache__" {
                found.extend(python_files(files, &format!("{folder}/{child}"), depth - 1));
            }
        }
    }
    found
}

/// The project's pytest settings as text: pyproject.toml's, pytest.ini's, setup.cfg's or
/// tox.ini's section.
fn pytest_config(package: &Within, pyproject: &Table) -> String {
    let mut config = value_at(pyproject, &["tool", "pytest"])
        .map(ToString::to_string)
        .unwrap_or_default();
    for (file, section) in [
        ("pytest.ini", "[pytest]"),
        ("setup.cfg", "[tool:pytest]"),
        ("tox.ini", "[pytest]"),
    ] {
        if let Some(text) = package.text(file) {
            config += &ini_section(&text, section);
        }
    }
    config
}

/// The lines of an INI file's `section`, heading included ("" when it has none).
fn ini_section(text: &str, section: &str) -> String {
    let mut inside = false;
    let mut lines = String::new();
    for line in text.lines() {
        if line.trim_start().starts_with('[') {
            inside = line.trim() == section;
        }
        if inside {
            lines += line;
            lines.push('\n');
        }
    }
    lines
}

fn uses_pytest(
    package: &Within,
    root: &dyn Files,
    pyproject: &Table,
    tests: &[(String, String)],
    config: &str,
) -> bool {
    let configured = !config.is_empty() || value_at(pyproject, &["tool", "pytest"]).is_some();
    let conftest = ["conftest.py"].iter().any(|name| package.exists(name))
        || tests.iter().any(|(path, _)| path.ends_with("/conftest.py"));
    let imports = tests.iter().any(|(_, text)| {
        text.lines()
            .map(str::trim_start)
            .any(|line| line.starts_with("import pytest") || line.starts_with("from pytest"))
    });
    let mentioned = |files: &dyn Files| {
        let texts = runner_texts(files);
        texts.iter().any(|text| text.contains("pytest"))
    };
    configured || conftest || imports || mentioned(package) || mentioned(root)
}

/// pytest plugins the configured options need.
fn plugins(config: &str) -> Vec<String> {
    PLUGIN_OPTIONS
        .iter()
        .filter(|(option, _)| config.contains(option))
        .map(|(_, plugin)| plugin.to_string())
        .collect()
}

/// The distributions the tests import, by their normalized names: not the standard library's,
/// not the project's own packages, not the test folder's own modules.
fn imported(
    package: &Within,
    folder: &str,
    tests: &[(String, String)],
    resolved: &Resolved,
) -> BTreeSet<String> {
    let stdlib: BTreeSet<&str> = STDLIB.lines().collect();
    let mut local: BTreeSet<String> = tests
        .iter()
        .flat_map(|(path, _)| {
            path.trim_end_matches(".py")
                .split('/')
                .map(str::to_string)
                .collect::<Vec<_>>()
        })
        .collect();
    local.insert(resolved.package.clone());
    local.insert("conftest".to_string());
    let source = match resolved.python_source.as_str() {
        "" => ".".to_string(),
        other => other.to_string(),
    };
    local.extend(package.folders(&source));
    local.extend(
        package
            .files(&source)
            .iter()
            .map(|name| name.trim_end_matches(".py").to_string()),
    );
    local.extend(folder.split('/').map(str::to_string));
    tests
        .iter()
        .flat_map(|(_, text)| top_level_imports(text))
        .filter(|name| !stdlib.contains(name.as_str()) && !local.contains(name))
        .map(|name| distribution_of(&name))
        .collect()
}

/// The first part of each module an `import` or `from ... import` line names (relative
/// imports left out).
fn top_level_imports(text: &str) -> Vec<String> {
    let mut names = Vec::new();
    for line in text.lines().map(str::trim_start) {
        let modules = if let Some(rest) = line.strip_prefix("import ") {
            rest.split('#')
                .next()
                .unwrap_or_default()
                .split(',')
                .map(str::trim)
                .collect::<Vec<_>>()
        } else if let Some(rest) = line.strip_prefix("from ") {
            vec![rest.split_whitespace().next().unwrap_or_default()]
        } else {
            continue;
        };
        for module in modules {
            let first = module.split_whitespace().next().unwrap_or_default();
            let first = first.split('.').next().unwrap_or_default();
            let identifier = !first.is_empty()
                && first.chars().all(|c| c.is_ascii_alphanumeric() || c == '_')
                && !first.starts_with(|c: char| c.is_ascii_digit());
            if identifier {
                names.push(first.to_string());
            }
        }
    }
    names
}

fn distribution_of(import: &str) -> String {
    let name = normalized(import);
    IMPORTED_AS
        .iter()
        .find(|(imported, _)| *imported == name)
        .map_or(name, |(_, distribution)| distribution.to_string())
}

/// The distribution a requirement names (`pytest>=8 ; python_version < "3.12"` is pytest).
fn requirement_name(requirement: &str) -> Option<String> {
    let name: String = requirement
        .trim()
        .chars()
        .take_while(|c| c.is_ascii_alphanumeric() || "-_.".contains(*c))
        .collect();
    (!name.is_empty()).then(|| normalized(&name))
}

fn runtime_names(pyproject: &Table) -> BTreeSet<String> {
    strings(value_at(pyproject, &["project", "dependencies"]))
        .iter()
        .filter_map(|requirement| requirement_name(requirement))
        .collect()
}

/// A requirement as the answer's `pip:` item takes it: no spaces, no environment marker (the
/// tests' environment installs it either way); None for one it cannot hold (a URL, quotes).
fn pip_item(requirement: &str) -> Option<String> {
    let bare: String = requirement.split(';').next()?.split_whitespace().collect();
    let allowed = |c: char| c.is_ascii_alphanumeric() || "-_.[],<>=!~*".contains(c);
    (requirement_name(&bare).is_some() && bare.chars().all(allowed)).then(|| format!("pip:{bare}"))
}

/// Every list of the tests' dependencies the project has, in the order they are preferred:
/// its dependency groups, its extras, its uv workspace's groups, requirement files under the
/// common names, its tox.ini's deps.
fn sources(
    package: &Within,
    pyproject: &Table,
    workspace: Option<&Table>,
    folder: &str,
) -> Vec<Source> {
    let mut found = Vec::new();
    let groups = value_at(pyproject, &["dependency-groups"]).and_then(toml::Value::as_table);
    let extras =
        value_at(pyproject, &["project", "optional-dependencies"]).and_then(toml::Value::as_table);
    for name in LIST_NAMES {
        if let Some(group) = groups.filter(|groups| groups.contains_key(name)) {
            found.push(installed_as(
                format!("group:{name}"),
                &group_requirements(group, name, 0),
            ));
        }
    }
    for name in LIST_NAMES {
        if let Some(listed) = extras.and_then(|extras| extras.get(name)) {
            found.push(installed_as(
                format!("extra:{name}"),
                &strings(Some(listed)),
            ));
        }
    }
    let shared = workspace
        .and_then(|root| value_at(root, &["dependency-groups"]))
        .and_then(toml::Value::as_table);
    for name in LIST_NAMES {
        if let Some(group) = shared.filter(|groups| groups.contains_key(name)) {
            found.push(packages(&group_requirements(group, name, 0)));
        }
    }
    // uv's dev-dependencies from before dependency groups, the package's then the workspace's.
    for table in std::iter::once(pyproject).chain(workspace) {
        let listed = strings(value_at(table, &["tool", "uv", "dev-dependencies"]));
        if !listed.is_empty() {
            found.push(packages(&listed));
        }
    }
    for path in requirement_files(package, folder) {
        let names = requirement_file_names(package, &path, 0);
        found.push(Source {
            items: vec![format!("requirements:{path}")],
            names,
        });
    }
    if let Some(tox) = package.text("tox.ini") {
        found.extend(tox_source(package, &tox));
    }
    found
}

/// A list the answer installs by one item (a group, an extra), with the names it holds.
fn installed_as(item: String, requirements: &[String]) -> Source {
    Source {
        items: vec![item],
        names: requirements
            .iter()
            .filter_map(|r| requirement_name(r))
            .collect(),
    }
}

/// Requirements that only a list of packages can install (`pip:` items).
fn packages(requirements: &[String]) -> Source {
    Source {
        items: requirements.iter().filter_map(|r| pip_item(r)).collect(),
        names: requirements
            .iter()
            .filter_map(|r| requirement_name(r))
            .collect(),
    }
}

/// A dependency group's requirements, `{include-group = ...}` followed.
fn group_requirements(groups: &Table, name: &str, depth: usize) -> Vec<String> {
    let Some(entries) = groups.get(name).and_then(toml::Value::as_array) else {
        return Vec::new();
    };
    let mut requirements = Vec::new();
    for entry in entries {
        if let Some(requirement) = entry.as_str() {
            requirements.push(requirement.to_string());
        } else if let Some(included) = entry.get("include-group").and_then(toml::Value::as_str) {
            if depth < 8 {
                requirements.extend(group_requirements(groups, included, depth + 1));
            }
        }
    }
    requirements
}

/// Requirement files under the names projects give them: `dev-requirements.txt`,
/// `requirements-test.txt`, `tests/requirements.txt`, `requirements/test.txt`, ...
fn requirement_files(package: &Within, folder: &str) -> Vec<String> {
    let about_tests = |name: &str| ["test", "dev"].iter().any(|word| name.contains(word));
    let mut found: Vec<String> = package
        .files(folder)
        .into_iter()
        .filter(|name| name.starts_with("requirements") && name.ends_with(".txt"))
        .map(|name| format!("{folder}/{name}"))
        .collect();
    let beside = package.files(".").into_iter().filter(|name| {
        let lower = name.to_lowercase();
        lower.ends_with(".txt") && lower.contains("req") && about_tests(&lower)
    });
    let mut beside: Vec<String> = beside.collect();
    // Those about tests before those about development.
    beside.sort_by_key(|name| !name.to_lowercase().contains("test"));
    found.extend(beside);
    for folder in ["requirements", "reqs"] {
        let mut inside: Vec<String> = package
            .files(folder)
            .into_iter()
            .filter(|name| name.ends_with(".txt") && (about_tests(name) || name.starts_with("ci")))
            .map(|name| format!("{folder}/{name}"))
            .collect();
        inside.sort_by_key(|name| !name.contains("test"));
        found.extend(inside);
    }
    found
}

/// The distributions a requirements file names, its `-r` includes followed.
fn requirement_file_names(package: &Within, path: &str, depth: usize) -> BTreeSet<String> {
    let mut names = BTreeSet::new();
    for line in package.text(path).unwrap_or_default().lines() {
        let line = line.split(" #").next().unwrap_or_default().trim();
        if let Some(included) = line
            .strip_prefix("-r")
            .or_else(|| line.strip_prefix("--requirement"))
        {
            let included = included.trim_start_matches('=').trim();
            let beside = path
                .rsplit_once('/')
                .map_or(included.to_string(), |(folder, _)| {
                    format!("{folder}/{included}")
                });
            if depth < 4 {
                names.extend(requirement_file_names(package, &beside, depth + 1));
            }
        } else if !line.starts_with(['#', '-']) {
            names.extend(requirement_name(line));
        }
    }
    names
}

/// tox.ini's `[testenv]` deps and extras, as answer items.
fn tox_source(package: &Within, tox: &str) -> Option<Source> {
    let section = ini_section(tox, "[testenv]");
    let mut items = Vec::new();
    let mut names = BTreeSet::new();
    for (key, values) in ini_values(&section) {
        for value in values {
            let value = value
                .replace("{toxinidir}/", "")
                .replace("{toxinidir}", ".");
            if key == "extras" {
                items.push(format!("extra:{value}"));
            } else if let Some(file) = value.strip_prefix("-r") {
                let file = file.trim();
                names.extend(requirement_file_names(package, file, 0));
                items.push(format!("requirements:{file}"));
            } else if let Some(extras) = value.strip_prefix(".[") {
                items.extend(
                    extras
                        .trim_end_matches(']')
                        .split(',')
                        .map(|extra| format!("extra:{}", extra.trim())),
                );
            } else if !value.starts_with(['-', '.', '{']) {
                names.extend(requirement_name(&value));
                items.extend(pip_item(&value));
            }
        }
    }
    (!items.is_empty()).then_some(Source { items, names })
}

/// The `deps` and `extras` keys of an INI section, each value a line (or a comma-separated
/// extra) of it.
fn ini_values(section: &str) -> Vec<(&'static str, Vec<String>)> {
    let mut found: Vec<(&'static str, Vec<String>)> = Vec::new();
    let mut current: Option<&'static str> = None;
    for line in section.lines() {
        let continued = line.starts_with([' ', '\t']) && current.is_some();
        let text = line.split('#').next().unwrap_or_default().trim();
        if continued {
            if let (Some(key), false) = (current, text.is_empty()) {
                found.push((key, vec![text.to_string()]));
            }
            continue;
        }
        current = None;
        let Some((key, value)) = text.split_once('=') else {
            continue;
        };
        let key = match key.trim() {
            "deps" => "deps",
            "extras" => "extras",
            _ => continue,
        };
        current = Some(key);
        let value = value.trim();
        if !value.is_empty() {
            let values = match key {
                "extras" => value
                    .split(',')
                    .map(|extra| extra.trim().to_string())
                    .collect(),
                _ => vec![value.to_string()],
            };
            found.push((key, values));
        }
    }
    found
}

/// The lists that install what is needed: the one that covers most of it (the first of
/// those that cover as much), then the next for what is left, ...; the first list when none
/// covers anything. Returns their items and what none of them covers.
fn chosen(sources: &[Source], needed: &BTreeSet<String>) -> (Vec<String>, BTreeSet<String>) {
    let mut missing = needed.clone();
    let mut taken: Vec<usize> = Vec::new();
    loop {
        let best = sources
            .iter()
            .enumerate()
            .filter(|(index, _)| !taken.contains(index))
            .map(|(index, source)| (source.names.intersection(&missing).count(), index))
            .max_by_key(|(count, index)| (*count, std::cmp::Reverse(*index)));
        match best {
            Some((count, index)) if count > 0 => {
                missing.retain(|name| !sources[index].names.contains(name));
                taken.push(index);
            }
            _ => break,
        }
    }
    if taken.is_empty() && !sources.is_empty() {
        taken.push(0);
    }
    taken.sort_unstable();
    let items = taken
        .iter()
        .flat_map(|index| sources[*index].items.clone())
        .collect();
    (items, missing)
}
