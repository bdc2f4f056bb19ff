//! What `oxwheel adopt` reads from an existing maturin/PyO3 project: the answers that fit the
//! template's pipeline to it (names, layout, CPythons, abi3, how its tests run), the workflows
//! that publish releases, and the reason to refuse a project it cannot adopt. Pure: the files
//! come through `Files`, so every rule has a test.

use toml::{Table, Value};

use crate::error::Error;
use crate::values::Values;

/// The project's files, by `/`-separated path from its root: their text, or None.
pub trait Files {
    fn text(&self, path: &str) -> Option<String>;
    fn exists(&self, path: &str) -> bool {
        self.text(path).is_some()
    }
    fn is_folder(&self, path: &str) -> bool;
    /// The names of the folders inside the folder `path`.
    fn folders(&self, path: &str) -> Vec<String>;
    /// Whether git tracks the file `path` (a Cargo.lock on disk but ignored is not committed).
    fn committed(&self, path: &str) -> bool;
    /// The names of the files in `.github/workflows`.
    fn workflows(&self) -> Vec<String>;
    /// The URL of the git remote `origin`, if any.
    fn origin(&self) -> Option<String>;
}

/// What the survey found.
#[derive(Debug, PartialEq)]
pub struct Survey {
    /// Answers read from the project, in the template's keys.
    pub values: Values,
    /// Workflows that upload releases to an index (path from the project's root).
    pub publishers: Vec<String>,
    /// What the person should know about what was not read, a sentence each.
    pub notes: Vec<String>,
}

/// A project built by setuptools-rust, or by no maturin at all, is refused: adopt brings the
/// pipeline of maturin projects, and a half-adopted project would build neither way. The
/// package is the repository's root, or the one member of a uv workspace that maturin builds.
pub fn survey(files: &dyn Files) -> Result<Survey, Error> {
    let root =
        parsed(files, "pyproject.toml")?.ok_or_else(|| refusal("it has no pyproject.toml"))?;
    let folder = package_folder(files, &root)?;
    let package = Within {
        files,
        folder: &folder,
    };
    let pyproject = match folder.as_str() {
        "." => root,
        _ => parsed(&package, "pyproject.toml")?.unwrap_or_default(),
    };
    refuse_other_backends(&package, &pyproject)?;
    let mut notes = Vec::new();
    let maturin = maturin_settings(&package, &pyproject, &mut notes)?;
    let manifest = text_at(&maturin.settings, &["manifest-path"]).unwrap_or("Cargo.toml");
    let cargo = parsed(&package, manifest)?
        .ok_or_else(|| refusal(&format!("its Cargo manifest {manifest} is missing")))?;
    let mut survey = Survey {
        values: Values::new(),
        publishers: publishers(files),
        notes,
    };
    let name = text_at(&pyproject, &["project", "name"])
        .ok_or_else(|| refusal("pyproject.toml names no [project] name"))?;
    survey.values.set("project-name", &normalized(name));
    survey.values.set("package_dir", &folder);
    names(&mut survey, &package, &maturin.settings, &cargo);
    pythons(&mut survey, &pyproject, &maturin.settings, &cargo);
    tests(&mut survey, &package, &pyproject);
    metadata(&mut survey, files, &pyproject, &cargo);
    survey.values.set("cargo_manifest", manifest);
    let lockfiles = ["Cargo.lock".to_string(), beside(manifest, "Cargo.lock")];
    let locked =
        files.committed("Cargo.lock") || lockfiles.iter().any(|lock| package.committed(lock));
    survey.values.set("cargo_lock", &locked.to_string());
    survey.values.set("patterns", "none");
    survey.values.set("adopted", "true");
    Ok(survey)
}

/// "." when the root's pyproject.toml names a build backend; else the member of its uv
/// workspace (`[tool.uv.workspace] members`, a folder or `folder/*`) that maturin builds.
fn package_folder(files: &dyn Files, root: &Table) -> Result<String, Error> {
    let members = strings(value_at(root, &["tool", "uv", "workspace", "members"]));
    if value_at(root, &["build-system", "build-backend"]).is_some() || members.is_empty() {
        return Ok(".".to_string());
    }
    let mut folders = Vec::new();
    let excluded = strings(value_at(root, &["tool", "uv", "workspace", "exclude"]));
    for member in members.iter().map(|member| member.trim_start_matches("./")) {
        if member == "*" {
            folders.extend(files.folders("."));
            continue;
        }
        match member.strip_suffix("/*") {
            Some(parent) => folders.extend(
                files
                    .folders(parent)
                    .iter()
                    .map(|name| format!("{parent}/{name}")),
            ),
            None => folders.push(member.trim_end_matches('/').to_string()),
        }
    }
    let maturin: Vec<String> = folders
        .into_iter()
        .filter(|folder| {
            !excluded
                .iter()
                .any(|out| out.trim_start_matches("./") == folder)
        })
        .filter(|folder| {
            let pyproject = parsed(files, &format!("{folder}/pyproject.toml"))
                .ok()
                .flatten();
            pyproject.is_some_and(|table| {
                text_at(&table, &["build-system", "build-backend"]) == Some("maturin")
            })
        })
        .collect();
    match maturin.as_slice() {
        [one] => Ok(one.clone()),
        [] => Err(refusal("no member of its uv workspace is built by maturin")),
        several => Err(Error::new(format!(
            "oxwheel adopt takes one maturin package, and this uv workspace has {}: {}; nothing \
             was changed",
            several.len(),
            several.join(", ")
        ))),
    }
}

/// The files of the package's folder, by paths from it.
struct Within<'a> {
    files: &'a dyn Files,
    folder: &'a str,
}

impl Within<'_> {
    fn path(&self, path: &str) -> String {
        match self.folder {
            "." => path.to_string(),
            folder => format!("{folder}/{path}"),
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

fn refusal(why: &str) -> Error {
    Error::new(format!(
        "oxwheel adopt takes maturin projects only, and {why}; nothing was changed"
    ))
}

fn parsed(files: &dyn Files, path: &str) -> Result<Option<Table>, Error> {
    files
        .text(path)
        .map(|text| {
            text.parse::<Table>()
                .map_err(|error| Error::new(format!("{path} is not valid TOML: {error}")))
        })
        .transpose()
}

fn text_at<'a>(table: &'a Table, keys: &[&str]) -> Option<&'a str> {
    value_at(table, keys).and_then(Value::as_str)
}

fn value_at<'a>(table: &'a Table, keys: &[&str]) -> Option<&'a Value> {
    let (last, parents) = keys.split_last()?;
    let mut current = table;
    for key in parents {
        current = current.get(*key)?.as_table()?;
    }
    current.get(*last)
}

fn strings(value: Option<&Value>) -> Vec<String> {
    value
        .and_then(Value::as_array)
        .map(|items| {
            let texts = items.iter().filter_map(Value::as_str);
            texts.map(str::to_string).collect()
        })
        .unwrap_or_default()
}

/// setuptools-rust (setup.py, [tool.setuptools-rust] or its build requirement) or any backend
/// but maturin.
fn refuse_other_backends(files: &dyn Files, pyproject: &Table) -> Result<(), Error> {
    let requires = strings(value_at(pyproject, &["build-system", "requires"]));
    let setuptools_rust = value_at(pyproject, &["tool", "setuptools-rust"]).is_some()
        || requires
            .iter()
            .any(|requirement| requirement.starts_with("setuptools-rust"))
        || files
            .text("setup.py")
            .is_some_and(|setup| setup.contains("setuptools_rust"));
    if setuptools_rust {
        return Err(refusal(
            "setuptools-rust builds this project (setup.py or [tool.setuptools-rust]): move it \
             to maturin first",
        ));
    }
    match text_at(pyproject, &["build-system", "build-backend"]) {
        Some("maturin") => Ok(()),
        Some(other) => Err(refusal(&format!("its build backend is {other}"))),
        None => Err(refusal("pyproject.toml names no build backend")),
    }
}

struct Maturin {
    settings: Table,
}

/// [tool.maturin], where maturin 1 reads its settings; Cargo.toml's [package.metadata.maturin],
/// which maturin 1 no longer reads, is left as it is and noted.
fn maturin_settings(
    files: &dyn Files,
    pyproject: &Table,
    notes: &mut Vec<String>,
) -> Result<Maturin, Error> {
    let cargo = parsed(files, "Cargo.toml")?.unwrap_or_default();
    if value_at(&cargo, &["package", "metadata", "maturin"]).is_some() {
        notes.push(
            "Cargo.toml's [package.metadata.maturin] is left as it is, and not read: maturin 1 \
             takes its settings from [tool.maturin] in pyproject.toml only"
                .to_string(),
        );
    }
    let settings = value_at(pyproject, &["tool", "maturin"]).and_then(Value::as_table);
    Ok(Maturin {
        settings: settings.cloned().unwrap_or_default(),
    })
}

/// The compiled module's import path (module-name, else the Cargo lib name), the package that
/// holds it and where that package's folder is.
fn names(survey: &mut Survey, files: &dyn Files, maturin: &Table, cargo: &Table) {
    let crate_name = text_at(cargo, &["package", "name"]).unwrap_or_default();
    let lib = text_at(cargo, &["lib", "name"])
        .map_or_else(|| crate_name.replace('-', "_"), str::to_string);
    let extension = text_at(maturin, &["module-name"]).map_or(lib, str::to_string);
    let (package, nested) = match extension.split_once('.') {
        Some((package, _)) => (package.to_string(), true),
        None => (extension.clone(), false),
    };
    let source = match text_at(maturin, &["python-source"]) {
        Some(folder) => folder.trim_end_matches('/').to_string(),
        None if nested || files.exists(&format!("{package}/__init__.py")) => ".".to_string(),
        None => String::new(),
    };
    survey.values.set("module_name", &package);
    survey.values.set("extension", &extension);
    survey.values.set("python_source", &source);
}

/// The lowest CPython (requires-python), and abi3 from PyO3's features in Cargo.toml or
/// maturin's.
fn pythons(survey: &mut Survey, pyproject: &Table, maturin: &Table, cargo: &Table) {
    let mut features = strings(value_at(cargo, &["dependencies", "pyo3", "features"]));
    let from_maturin = strings(maturin.get("features"));
    features.extend(
        from_maturin
            .iter()
            .filter_map(|feature| feature.strip_prefix("pyo3/").map(str::to_string)),
    );
    let abi3 = features
        .iter()
        .any(|feature| feature.starts_with("abi3") && feature != "abi3t");
    survey.values.set("abi3", &abi3.to_string());
    survey.values.set(
        "abi3t_feature",
        &features
            .iter()
            .any(|feature| feature == "abi3t")
            .to_string(),
    );
    let requires = text_at(pyproject, &["project", "requires-python"]).unwrap_or_default();
    if let Some(lowest) = lowest_python(requires) {
        survey.values.set("python_min", &lowest);
    }
}

/// The lowest `major.minor` a requires-python specifier admits, from its lower bounds
/// (`>=3.12`, `>3.12`, `~=3.12.1`, `==3.12.*`); None when it sets none.
fn lowest_python(specifier: &str) -> Option<String> {
    let bounds = specifier.split(',').filter_map(|clause| {
        let clause = clause.trim();
        let version = [">=", "~=", "==", ">"]
            .iter()
            .find_map(|operator| clause.strip_prefix(operator))?;
        let mut parts = version
            .trim()
            .split('.')
            .map(|part| part.trim_end_matches(".*"));
        let major: u32 = parts.next()?.parse().ok()?;
        let minor: u32 = parts
            .next()
            .and_then(|minor| minor.parse().ok())
            .unwrap_or(0);
        Some((major, minor))
    });
    bounds
        .max()
        .map(|(major, minor)| format!("{major}.{minor}"))
}

/// The tests' folder, where their dependencies are listed, and what runs them.
fn tests(survey: &mut Survey, files: &dyn Files, pyproject: &Table) {
    let found = ["tests", "test"]
        .into_iter()
        .find(|folder| files.is_folder(folder));
    let folder = found.unwrap_or("tests");
    if found.is_none() {
        survey.notes.push(
            "no tests/ or test/ folder: the pipeline runs `tests`; name yours with --define \
             tests_dir=... and test_command=..."
                .to_string(),
        );
    }
    let groups = value_at(pyproject, &["dependency-groups"]).and_then(Value::as_table);
    let extras =
        value_at(pyproject, &["project", "optional-dependencies"]).and_then(Value::as_table);
    let named = |table: Option<&Table>| {
        ["test", "tests", "dev"]
            .into_iter()
            .find(|name| table.is_some_and(|table| table.contains_key(*name)))
    };
    let requirements = [
        format!("{folder}/requirements.txt"),
        "requirements-test.txt".to_string(),
        "test-requirements.txt".to_string(),
        "requirements-dev.txt".to_string(),
    ];
    let (deps, listed) = if let Some(group) = named(groups) {
        (
            format!("group:{group}"),
            format!("{:?}", groups.and_then(|table| table.get(group))),
        )
    } else if let Some(extra) = named(extras) {
        (
            format!("extra:{extra}"),
            format!("{:?}", extras.and_then(|table| table.get(extra))),
        )
    } else if let Some(file) = requirements.iter().find(|file| files.exists(file)) {
        (
            format!("requirements:{file}"),
            files.text(file).unwrap_or_default(),
        )
    } else {
        ("none".to_string(), String::new())
    };
    let command = if listed.contains("pytest") {
        "pytest".to_string()
    } else {
        format!("python -m unittest discover -s {folder}")
    };
    survey.values.set("tests_dir", folder);
    survey.values.set("test_deps", &deps);
    survey.values.set("test_command", &command);
}

/// The license and description where the template's rules take them, the GitHub owner from the
/// remote, and whether a changelog exists.
fn metadata(survey: &mut Survey, files: &dyn Files, pyproject: &Table, cargo: &Table) {
    let license = text_at(pyproject, &["project", "license"])
        .or_else(|| text_at(pyproject, &["project", "license", "text"]))
        .or_else(|| text_at(cargo, &["package", "license"]));
    if let Some(license) = license {
        survey.values.set("license", license);
    }
    let description = text_at(pyproject, &["project", "description"])
        .or_else(|| text_at(cargo, &["package", "description"]));
    if let Some(description) = description {
        survey.values.set("description", description);
    }
    if let Some(owner) = files.origin().as_deref().and_then(github_owner) {
        survey.values.set("github_owner", &owner);
    }
    let changelogs = [
        "CHANGELOG.md",
        "CHANGELOG.rst",
        "CHANGELOG",
        "CHANGES.md",
        "HISTORY.md",
        "NEWS.md",
    ];
    let has_changelog = changelogs.iter().any(|name| files.exists(name));
    survey
        .values
        .set("changelog", &(!has_changelog).to_string());
}

fn github_owner(url: &str) -> Option<String> {
    let rest = url
        .strip_prefix("https://github.com/")
        .or_else(|| url.strip_prefix("git@github.com:"))
        .or_else(|| url.strip_prefix("ssh://git@github.com/"))?;
    let owner = rest.split('/').next()?;
    (!owner.is_empty()).then(|| owner.to_string())
}

/// Workflows that upload to a package index, other than the template's own (oxwheel-*.yml):
/// two publishers would race for every release. Quotes are dropped before the commands are
/// looked for, so that `command: "upload"` is found as `command: upload` is.
pub fn publishers(files: &dyn Files) -> Vec<String> {
    let uploads = [
        "gh-action-pypi-publish",
        "maturin upload",
        "maturin publish",
        "command: upload",
        "command: publish",
        "twine upload",
        "uv publish",
        "pdm publish",
        "hatch publish",
        "poetry publish",
        "flit publish",
    ];
    files
        .workflows()
        .into_iter()
        .filter(|name| !name.starts_with("oxwheel-"))
        .map(|name| format!(".github/workflows/{name}"))
        .filter(|path| {
            let text = files
                .text(path)
                .unwrap_or_default()
                .replace(['"', '\''], "");
            uploads.iter().any(|upload| text.contains(upload))
        })
        .collect()
}

/// A distribution name as PEP 503 compares them (`MixedDist` is `mixeddist`, `a_b` is `a-b`):
/// the name the workflows install, which cargo-generate's kebab case then leaves as it is.
fn normalized(name: &str) -> String {
    let lower = name.to_lowercase();
    let parts = lower.split(['-', '_', '.']).filter(|part| !part.is_empty());
    parts.collect::<Vec<_>>().join("-")
}

fn beside(path: &str, name: &str) -> String {
    match path.rsplit_once('/') {
        Some((folder, _)) => format!("{folder}/{name}"),
        None => name.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeMap;

    use super::*;

    struct Fake {
        files: BTreeMap<&'static str, &'static str>,
        origin: Option<&'static str>,
    }

    impl Files for Fake {
        fn text(&self, path: &str) -> Option<String> {
            self.files.get(path).map(|text| text.to_string())
        }
        fn is_folder(&self, path: &str) -> bool {
            let prefix = format!("{path}/");
            self.files.keys().any(|file| file.starts_with(&prefix))
        }
        fn folders(&self, path: &str) -> Vec<String> {
            let prefix = format!("{path}/");
            let mut names: Vec<String> = self
                .files
                .keys()
                .filter_map(|file| file.strip_prefix(&prefix)?.split_once('/'))
                .map(|(name, _)| name.to_string())
                .collect();
            names.dedup();
            names
        }
        fn committed(&self, path: &str) -> bool {
            self.exists(path)
        }
        fn workflows(&self) -> Vec<String> {
            let names = self
                .files
                .keys()
                .filter_map(|file| file.strip_prefix(".github/workflows/"));
            names.map(str::to_string).collect()
        }
        fn origin(&self) -> Option<String> {
            self.origin.map(str::to_string)
        }
    }

    fn project(files: &[(&'static str, &'static str)]) -> Fake {
        Fake {
            files: files.iter().copied().collect(),
            origin: None,
        }
    }

    fn value<'a>(survey: &'a Survey, key: &str) -> Option<&'a str> {
        survey.values.get(key)
    }

    const PYO3_SUM: &str = "[package]\nname = \"pyo3-sum\"\n[lib]\nname = \"pyo3_sum\"\n[dependencies]\npyo3 = \"0.30.1\"\n";

    fn refused(files: &[(&'static str, &'static str)], why: &str) -> Result<(), Error> {
        match survey(&project(files)) {
            Err(error) if error.to_string().contains(why) => Ok(()),
            Err(error) => Err(Error::new(format!("refused for another reason: {error}"))),
            Ok(found) => Err(Error::new(format!("adopted: {found:?}"))),
        }
    }

    #[test]
    fn a_setuptools_rust_project_is_refused() -> Result<(), Error> {
        let setup = "from setuptools_rust import RustExtension\n";
        let pyproject = "[build-system]\nrequires = [\"setuptools\", \"setuptools-rust\"]\n";
        refused(
            &[("pyproject.toml", pyproject), ("setup.py", setup)],
            "setuptools-rust",
        )?;
        refused(
            &[("pyproject.toml", "[tool.setuptools-rust]\n")],
            "setuptools-rust",
        )
    }

    #[test]
    fn another_backend_or_none_is_refused() -> Result<(), Error> {
        let hatch = "[build-system]\nbuild-backend = \"hatchling.build\"\n";
        refused(&[("pyproject.toml", hatch)], "hatchling.build")?;
        refused(
            &[("pyproject.toml", "[tool.uv.workspace]\nmembers = [\"a\"]\n")],
            "no member of its uv workspace",
        )?;
        refused(
            &[("pyproject.toml", "[project]\nname = \"x\"\n")],
            "names no build backend",
        )?;
        refused(&[("Cargo.toml", PYO3_SUM)], "no pyproject.toml")
    }

    #[test]
    fn a_pure_rust_module_has_no_python_folder_and_its_lib_name_is_its_import_name()
    -> Result<(), Error> {
        let pyproject = "[build-system]\nbuild-backend = \"maturin\"\n[project]\nname = \"pyo3-sum\"\nrequires-python = \">=3.8\"\n";
        let found = survey(&project(&[
            ("pyproject.toml", pyproject),
            ("Cargo.toml", PYO3_SUM),
        ]))?;
        assert_eq!(value(&found, "module_name"), Some("pyo3_sum"));
        assert_eq!(value(&found, "extension"), Some("pyo3_sum"));
        assert_eq!(value(&found, "python_source"), Some(""));
        assert_eq!(value(&found, "python_min"), Some("3.8"));
        assert_eq!(value(&found, "abi3"), Some("false"));
        assert_eq!(value(&found, "cargo_lock"), Some("false"));
        Ok(())
    }

    #[test]
    fn settings_in_cargo_metadata_are_noted_and_not_read() -> Result<(), Error> {
        let cargo = "[package]\nname = \"mixed-rs\"\n[lib]\nname = \"mixed_lib\"\n[package.metadata.maturin]\nname = \"mixed_pkg._native\"\n";
        let pyproject =
            "[build-system]\nbuild-backend = \"maturin\"\n[project]\nname = \"mixed-dist\"\n";
        let found = survey(&project(&[
            ("pyproject.toml", pyproject),
            ("Cargo.toml", cargo),
        ]))?;
        assert_eq!(value(&found, "extension"), Some("mixed_lib"));
        assert!(found.notes[0].contains("[package.metadata.maturin]"));
        Ok(())
    }

    #[test]
    fn a_module_unlike_the_crate_and_lib_in_a_python_folder() -> Result<(), Error> {
        let cargo = "[package]\nname = \"mixed-rs\"\n[lib]\nname = \"mixed_lib\"\n[dependencies]\npyo3 = { version = \"0.30.1\", features = [\"abi3-py311\"] }\n";
        let pyproject = "[build-system]\nbuild-backend = \"maturin\"\n[project]\nname = \"mixed-dist\"\nrequires-python = \">= 3.11.2, <4\"\n[project.optional-dependencies]\ntest = [\"pytest>=8\"]\n[tool.maturin]\npython-source = \"python\"\nmodule-name = \"mixed_pkg._native\"\n";
        let found = survey(&project(&[
            ("pyproject.toml", pyproject),
            ("Cargo.toml", cargo),
            ("Cargo.lock", ""),
        ]))?;
        assert_eq!(value(&found, "module_name"), Some("mixed_pkg"));
        assert_eq!(value(&found, "extension"), Some("mixed_pkg._native"));
        assert_eq!(value(&found, "python_source"), Some("python"));
        assert_eq!(value(&found, "python_min"), Some("3.11"));
        assert_eq!(value(&found, "abi3"), Some("true"));
        assert_eq!(value(&found, "abi3t_feature"), Some("false"));
        assert_eq!(value(&found, "test_deps"), Some("extra:test"));
        assert_eq!(value(&found, "test_command"), Some("pytest"));
        assert_eq!(value(&found, "cargo_lock"), Some("true"));
        Ok(())
    }

    #[test]
    fn a_workspace_member_is_read_through_manifest_path() -> Result<(), Error> {
        let pyproject = "[build-system]\nbuild-backend = \"maturin\"\n[project]\nname = \"rootpkg\"\n[dependency-groups]\ndev = [\"pytest>=8.3\"]\n[tool.maturin]\nmanifest-path = \"crates/py/Cargo.toml\"\npython-source = \".\"\nmodule-name = \"rootpkg._ext\"\nfeatures = [\"pyo3/abi3-py312\", \"pyo3/abi3t\"]\n";
        let member = "[package]\nname = \"rootpkg-py\"\n[dependencies]\npyo3 = \"0.30.1\"\n";
        let files = [
            ("pyproject.toml", pyproject),
            ("Cargo.toml", "[workspace]\nmembers = [\"crates/py\"]\n"),
            ("crates/py/Cargo.toml", member),
            ("Cargo.lock", ""),
            ("rootpkg/__init__.py", ""),
        ];
        let found = survey(&project(&files))?;
        assert_eq!(
            value(&found, "cargo_manifest"),
            Some("crates/py/Cargo.toml")
        );
        assert_eq!(value(&found, "python_source"), Some("."));
        assert_eq!(value(&found, "abi3"), Some("true"));
        assert_eq!(value(&found, "abi3t_feature"), Some("true"));
        assert_eq!(value(&found, "test_deps"), Some("group:dev"));
        assert_eq!(value(&found, "cargo_lock"), Some("true"));
        Ok(())
    }

    #[test]
    fn requires_python_gives_its_lowest_release() {
        assert_eq!(lowest_python(">=3.12"), Some("3.12".to_string()));
        assert_eq!(lowest_python(">= 3.11.2, <4"), Some("3.11".to_string()));
        assert_eq!(lowest_python("~=3.13"), Some("3.13".to_string()));
        assert_eq!(lowest_python("==3.13.*"), Some("3.13".to_string()));
        assert_eq!(lowest_python("<4,>3.12"), Some("3.12".to_string()));
        assert_eq!(lowest_python("<3.14"), None);
        assert_eq!(lowest_python(""), None);
    }

    #[test]
    fn the_distribution_name_is_the_one_pip_installs() {
        assert_eq!(normalized("MixedDist"), "mixeddist");
        assert_eq!(normalized("Py_O3..Sum"), "py-o3-sum");
        assert_eq!(normalized("pyo3-sum"), "pyo3-sum");
    }

    #[test]
    fn a_uv_workspace_adopts_its_one_maturin_member() -> Result<(), Error> {
        let root =
            "[project]\nname = \"workspace\"\n[tool.uv.workspace]\nmembers = [\"packages/*\"]\n";
        let member = "[build-system]\nbuild-backend = \"maturin\"\n[project]\nname = \"mixed-dist\"\n[dependency-groups]\ntest = [\"pytest\"]\n";
        let other =
            "[build-system]\nbuild-backend = \"hatchling.build\"\n[project]\nname = \"helper\"\n";
        let files = [
            ("pyproject.toml", root),
            ("packages/mixed/pyproject.toml", member),
            ("packages/mixed/Cargo.toml", PYO3_SUM),
            ("packages/mixed/tests/test_mixed.py", ""),
            ("packages/helper/pyproject.toml", other),
            ("Cargo.lock", ""),
        ];
        let found = survey(&project(&files))?;
        assert_eq!(value(&found, "package_dir"), Some("packages/mixed"));
        assert_eq!(value(&found, "project-name"), Some("mixed-dist"));
        assert_eq!(value(&found, "test_deps"), Some("group:test"));
        assert_eq!(value(&found, "cargo_lock"), Some("true"));
        let two = [
            ("pyproject.toml", root),
            ("packages/a/pyproject.toml", member),
            ("packages/b/pyproject.toml", member),
        ];
        refused(&two, "this uv workspace has 2")
    }

    #[test]
    fn tests_without_pytest_run_with_unittest_and_a_requirements_file() -> Result<(), Error> {
        let pyproject =
            "[build-system]\nbuild-backend = \"maturin\"\n[project]\nname = \"pyo3-sum\"\n";
        let files = [
            ("pyproject.toml", pyproject),
            ("Cargo.toml", PYO3_SUM),
            ("test/test_sum.py", "import unittest\n"),
            ("requirements-test.txt", "hypothesis\n"),
        ];
        let found = survey(&project(&files))?;
        assert_eq!(value(&found, "tests_dir"), Some("test"));
        assert_eq!(
            value(&found, "test_deps"),
            Some("requirements:requirements-test.txt")
        );
        assert_eq!(
            value(&found, "test_command"),
            Some("python -m unittest discover -s test")
        );
        Ok(())
    }

    #[test]
    fn a_workflow_that_uploads_is_a_publisher() -> Result<(), Error> {
        let pyproject =
            "[build-system]\nbuild-backend = \"maturin\"\n[project]\nname = \"pyo3-sum\"\n";
        let ci = "jobs:\n  release:\n    steps:\n      - uses: PyO3/maturin-action@v1\n        with:\n          command: \"upload\"\n";
        let files = [
            ("pyproject.toml", pyproject),
            ("Cargo.toml", PYO3_SUM),
            (".github/workflows/CI.yml", ci),
            (".github/workflows/docs.yml", "jobs: {}\n"),
            ("CHANGES.md", "# 0.1\n"),
        ];
        let mut fake = project(&files);
        fake.origin = Some("git@github.com:someone/pyo3-sum.git");
        let found = survey(&fake)?;
        assert_eq!(found.publishers, [".github/workflows/CI.yml"]);
        assert_eq!(value(&found, "github_owner"), Some("someone"));
        assert_eq!(value(&found, "changelog"), Some("false"));
        Ok(())
    }
}
