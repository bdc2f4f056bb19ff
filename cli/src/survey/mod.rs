//! What `oxwheel adopt` reads from an existing maturin/PyO3 project: the answers that fit the
//! template's pipeline to it (names, layout, CPythons, abi3, how its tests run), the workflows
//! that publish releases, and the reason to refuse a project it cannot adopt. Pure: the files
//! come through `Files`, so every rule has a test. The layout is resolved as maturin resolves
//! it (layout.rs); the tests are run as the project runs them (testing.rs).

mod layout;
mod testing;
mod tree;

use toml::{Table, Value};

pub use tree::Files;
use tree::{Within, normalized, parsed, refusal, strings, text_at, value_at};

use crate::error::Error;
use crate::values::Values;

/// What the survey found.
#[derive(Debug, PartialEq)]
pub struct Survey {
    /// Answers read from the project, in the template's keys.
    pub values: Values,
    /// Workflows that upload releases to an index (path from the project's root).
    pub publishers: Vec<String>,
    /// What the person should know about what was not read, a sentence each.
    pub notes: Vec<String>,
    /// The pyproject.toml a crate without one gets, for maturin to build it as it does now.
    pub added_pyproject: Option<String>,
}

/// A project built by setuptools-rust, or by no maturin at all, is refused: adopt brings the
/// pipeline of maturin projects, and a half-adopted project would build neither way. The
/// package is the one `package_dir` names, else found (layout::package_folder).
pub fn survey(files: &dyn Files, package_dir: Option<&str>) -> Result<Survey, Error> {
    let root = parsed(files, "pyproject.toml")?.unwrap_or_default();
    refuse_setuptools_rust(files, &root)?;
    let folder = layout::package_folder(files, package_dir)?;
    let package = Within {
        files,
        folder: &folder,
    };
    let mut notes = Vec::new();
    let (pyproject, added_pyproject) = package_pyproject(&package, &mut notes)?;
    let maturin = maturin_settings(&package, &pyproject, &mut notes)?;
    let resolved = layout::resolve(&package, &pyproject, &maturin)?;
    let mut survey = Survey {
        values: Values::new(),
        publishers: publishers(files),
        notes,
        added_pyproject,
    };
    let name = text_at(&pyproject, &["project", "name"])
        .ok_or_else(|| refusal("pyproject.toml names no [project] name"))?;
    survey.values.set("project-name", &normalized(name));
    survey.values.set("package_dir", &folder);
    record_layout(&mut survey.values, &resolved);
    let manifest = package.path(&resolved.manifest);
    pythons(
        &mut survey,
        files,
        &manifest,
        &pyproject,
        &maturin,
        &resolved.cargo,
    );
    let workspace = match folder.as_str() {
        "." => None,
        _ => parsed(files, "pyproject.toml")?,
    };
    let tests = testing::read(&package, files, &pyproject, workspace.as_ref(), &resolved);
    survey.values.set("tests_dir", &tests.tests_dir);
    survey.values.set("test_deps", &tests.test_deps);
    survey.values.set("test_command", &tests.test_command);
    survey.notes.extend(tests.notes);
    metadata(&mut survey, files, &pyproject, &resolved.cargo);
    let lockfiles = [
        "Cargo.lock".to_string(),
        beside(&resolved.manifest, "Cargo.lock"),
    ];
    let locked =
        files.committed("Cargo.lock") || lockfiles.iter().any(|lock| package.committed(lock));
    survey.values.set("cargo_lock", &locked.to_string());
    survey.values.set("patterns", "none");
    survey.values.set("adopted", "true");
    Ok(survey)
}

/// Where maturin finds the parts: the crate, the Python source, the compiled module.
fn record_layout(values: &mut Values, resolved: &layout::Resolved) {
    values.set("module_name", &resolved.package);
    values.set("extension", &resolved.extension);
    values.set("python_source", &resolved.python_source);
    values.set("cargo_manifest", &resolved.manifest);
}

/// The package's pyproject.toml, refused unless maturin builds it; or, for a crate maturin
/// builds without one, the one adopt adds (with its text).
fn package_pyproject(
    package: &Within,
    notes: &mut Vec<String>,
) -> Result<(Table, Option<String>), Error> {
    if let Some(pyproject) = parsed(package, "pyproject.toml")? {
        refuse_other_backends(package, &pyproject)?;
        return Ok((pyproject, None));
    }
    let (pyproject, text) = cargo_only(package)?;
    notes.push(
        "pyproject.toml is added: maturin builds the crate from Cargo.toml alone, but pip, tox \
         and cibuildwheel build through pyproject.toml"
            .to_string(),
    );
    Ok((pyproject, Some(text)))
}

/// A crate maturin builds without a pyproject.toml (a PyO3 cdylib): the pyproject.toml that
/// builds it the same way (maturin as the backend, the crate's name, its version from
/// Cargo.toml), as a table and as the text to write.
fn cargo_only(package: &Within) -> Result<(Table, String), Error> {
    let cargo = parsed(package, "Cargo.toml")?.unwrap_or_default();
    let types = strings(value_at(&cargo, &["lib", "crate-type"]));
    let binds = ["pyo3", "pyo3-ffi"]
        .iter()
        .any(|name| value_at(&cargo, &["dependencies", name]).is_some());
    let name = text_at(&cargo, &["package", "name"]);
    let Some(name) = name.filter(|_| binds && types.iter().any(|kind| kind == "cdylib")) else {
        return Err(refusal(
            "it has no pyproject.toml, and its Cargo.toml is no PyO3 cdylib that maturin builds",
        ));
    };
    let text = format!(
        "[build-system]\nrequires = [\"maturin>=1.16,<2\"]\nbuild-backend = \"maturin\"\n\n\
         [project]\nname = {}\ndynamic = [\"version\"]\n",
        Value::String(name.to_string())
    );
    let table = text
        .parse::<Table>()
        .map_err(|error| Error::new(format!("the pyproject.toml for {name}: {error}")))?;
    Ok((table, text))
}

/// setuptools-rust (setup.py, [tool.setuptools-rust] or its build requirement) or any backend
/// but maturin.
fn refuse_other_backends(files: &dyn Files, pyproject: &Table) -> Result<(), Error> {
    refuse_setuptools_rust(files, pyproject)?;
    match text_at(pyproject, &["build-system", "build-backend"]) {
        Some("maturin") => Ok(()),
        Some(other) => Err(refusal(&format!("its build backend is {other}"))),
        None => Err(refusal("pyproject.toml names no build backend")),
    }
}

fn refuse_setuptools_rust(files: &dyn Files, pyproject: &Table) -> Result<(), Error> {
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
    Ok(())
}

/// [tool.maturin], where maturin 1 reads its settings; Cargo.toml's [package.metadata.maturin],
/// which maturin 1 no longer reads, is left as it is and noted.
fn maturin_settings(
    files: &dyn Files,
    pyproject: &Table,
    notes: &mut Vec<String>,
) -> Result<Table, Error> {
    let cargo = parsed(files, "Cargo.toml")?.unwrap_or_default();
    if value_at(&cargo, &["package", "metadata", "maturin"]).is_some() {
        notes.push(
            "Cargo.toml's [package.metadata.maturin] is left as it is, and not read: maturin 1 \
             takes its settings from [tool.maturin] in pyproject.toml only"
                .to_string(),
        );
    }
    let settings = value_at(pyproject, &["tool", "maturin"]).and_then(Value::as_table);
    Ok(settings.cloned().unwrap_or_default())
}

/// The lowest CPython (requires-python, else PyO3's abi3-py3X), and the stable ABIs PyO3 is
/// built for.
fn pythons(
    survey: &mut Survey,
    files: &dyn Files,
    manifest: &str,
    pyproject: &Table,
    maturin: &Table,
    cargo: &Table,
) {
    let (abi3, abi3t, abi3_lowest) = layout::stable_abi(files, manifest, cargo, maturin);
    survey.values.set("abi3", &abi3.to_string());
    survey.values.set("abi3t_feature", &abi3t.to_string());
    let requires = text_at(pyproject, &["project", "requires-python"]).unwrap_or_default();
    if let Some(lowest) = lowest_python(requires).or(abi3_lowest) {
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
    // A summary is one line (core metadata's Summary): its line breaks as the spaces they show.
    if let Some(description) = description {
        let words: Vec<&str> = description.split_whitespace().collect();
        survey.values.set("description", &words.join(" "));
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
            let prefix = if path == "." {
                String::new()
            } else {
                format!("{path}/")
            };
            let mut names: Vec<String> = self
                .files
                .keys()
                .filter_map(|file| file.strip_prefix(&prefix)?.split_once('/'))
                .map(|(name, _)| name.to_string())
                .collect();
            names.dedup();
            names
        }
        fn files(&self, path: &str) -> Vec<String> {
            let prefix = if path == "." {
                String::new()
            } else {
                format!("{path}/")
            };
            let names = self
                .files
                .keys()
                .filter_map(|file| file.strip_prefix(&prefix));
            names
                .filter(|name| !name.contains('/'))
                .map(str::to_string)
                .collect()
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

    fn survey_of(files: &Fake) -> Result<Survey, Error> {
        survey(files, None)
    }

    fn value<'a>(survey: &'a Survey, key: &str) -> Option<&'a str> {
        survey.values.get(key)
    }

    const PYO3_SUM: &str = "[package]\nname = \"pyo3-sum\"\n[lib]\nname = \"pyo3_sum\"\n[dependencies]\npyo3 = \"0.30.1\"\n";

    fn refused(files: &[(&'static str, &'static str)], why: &str) -> Result<(), Error> {
        match survey(&project(files), None) {
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
            "none of its uv workspace's members is built by maturin",
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
        let found = survey_of(&project(&[
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
        let found = survey_of(&project(&[
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
        let found = survey_of(&project(&[
            ("pyproject.toml", pyproject),
            ("Cargo.toml", cargo),
            ("Cargo.lock", ""),
            ("python/mixed_pkg/__init__.py", ""),
        ]))?;
        assert_eq!(value(&found, "module_name"), Some("mixed_pkg"));
        assert_eq!(value(&found, "extension"), Some("mixed_pkg._native"));
        assert_eq!(value(&found, "python_source"), Some("python"));
        assert_eq!(value(&found, "python_min"), Some("3.11"));
        assert_eq!(value(&found, "abi3"), Some("true"));
        assert_eq!(value(&found, "abi3t_feature"), Some("false"));
        assert_eq!(value(&found, "test_deps"), Some("extra:test"));
        assert_eq!(value(&found, "test_command"), Some("pytest tests"));
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
        let found = survey(&project(&files), None)?;
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
        let found = survey(&project(&files), None)?;
        assert_eq!(value(&found, "package_dir"), Some("packages/mixed"));
        assert_eq!(value(&found, "project-name"), Some("mixed-dist"));
        assert_eq!(value(&found, "test_deps"), Some("group:test"));
        assert_eq!(value(&found, "cargo_lock"), Some("true"));
        let two = [
            ("pyproject.toml", root),
            ("packages/a/pyproject.toml", member),
            ("packages/b/pyproject.toml", member),
        ];
        refused(&two, "these uv workspace's members hold 2")
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
        let found = survey(&project(&files), None)?;
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
        let found = survey(&fake, None)?;
        assert_eq!(found.publishers, [".github/workflows/CI.yml"]);
        assert_eq!(value(&found, "github_owner"), Some("someone"));
        assert_eq!(value(&found, "changelog"), Some("false"));
        Ok(())
    }

    const MATURIN: &str =
        "[build-system]\nbuild-backend = \"maturin\"\n[project]\nname = \"src-pkg\"\n";

    #[test]
    fn maturins_src_layout_is_rust_beside_src() -> Result<(), Error> {
        let cargo = "[package]\nname = \"src-pkg\"\n[lib]\nname = \"src_pkg\"\n";
        let found = survey_of(&project(&[
            ("pyproject.toml", MATURIN),
            ("rust/Cargo.toml", cargo),
            ("src/src_pkg/__init__.py", "from .src_pkg import *\n"),
            ("src/tests/test_all.py", "import pytest\nimport src_pkg\n"),
        ]))?;
        assert_eq!(value(&found, "cargo_manifest"), Some("rust/Cargo.toml"));
        assert_eq!(value(&found, "python_source"), Some("src"));
        assert_eq!(value(&found, "extension"), Some("src_pkg.src_pkg"));
        assert_eq!(value(&found, "tests_dir"), Some("src/tests"));
        assert_eq!(value(&found, "test_command"), Some("pytest src/tests"));
        Ok(())
    }

    #[test]
    fn a_manifest_path_keeps_the_src_layouts_python_folder() -> Result<(), Error> {
        let pyproject = format!(
            "{MATURIN}[tool.maturin]\nmanifest-path = \"rust/py/Cargo.toml\"\nmodule-name = \"src_pkg._native\"\n"
        );
        let pyproject: &'static str = Box::leak(pyproject.into_boxed_str());
        let found = survey_of(&project(&[
            ("pyproject.toml", pyproject),
            ("rust/Cargo.toml", "[workspace]\nmembers = [\"py\"]\n"),
            ("rust/py/Cargo.toml", "[package]\nname = \"py\"\n"),
            ("src/src_pkg/__init__.py", ""),
        ]))?;
        assert_eq!(value(&found, "cargo_manifest"), Some("rust/py/Cargo.toml"));
        assert_eq!(value(&found, "python_source"), Some("src"));
        assert_eq!(value(&found, "extension"), Some("src_pkg._native"));
        Ok(())
    }

    #[test]
    fn a_mixed_module_without_a_dot_lands_inside_its_package() -> Result<(), Error> {
        let found = survey_of(&project(&[
            ("pyproject.toml", MATURIN),
            (
                "Cargo.toml",
                "[package]\nname = \"x\"\n[lib]\nname = \"mixed\"\n",
            ),
            ("mixed/__init__.py", "from .mixed import *\n"),
        ]))?;
        assert_eq!(value(&found, "python_source"), Some("."));
        assert_eq!(value(&found, "module_name"), Some("mixed"));
        assert_eq!(value(&found, "extension"), Some("mixed.mixed"));
        Ok(())
    }

    #[test]
    fn abi3t_is_not_abi3_and_workspace_features_are_inherited() -> Result<(), Error> {
        let only_abi3t = "[package]\nname = \"a\"\n[lib]\nname = \"a\"\n[dependencies]\npyo3 = { version = \"0.30\", features = [\"abi3t-py315\"] }\n";
        let found = survey_of(&project(&[
            ("pyproject.toml", MATURIN),
            ("Cargo.toml", only_abi3t),
        ]))?;
        assert_eq!(value(&found, "abi3"), Some("false"));
        assert_eq!(value(&found, "abi3t_feature"), Some("true"));
        let member = "[package]\nname = \"a\"\n[lib]\nname = \"a\"\n[dependencies]\npyo3 = { workspace = true, features = [\"abi3t\"] }\n";
        let workspace = "[workspace]\nmembers = [\"bindings/python\"]\n[workspace.dependencies]\npyo3 = { version = \"0.30\", features = [\"abi3-py310\"] }\n";
        let found = survey_of(&project(&[
            ("Cargo.toml", workspace),
            ("bindings/python/pyproject.toml", MATURIN),
            ("bindings/python/Cargo.toml", member),
        ]))?;
        assert_eq!(value(&found, "package_dir"), Some("bindings/python"));
        assert_eq!(value(&found, "abi3"), Some("true"));
        assert_eq!(value(&found, "abi3t_feature"), Some("true"));
        assert_eq!(value(&found, "python_min"), Some("3.10"));
        Ok(())
    }

    #[test]
    fn a_package_in_a_folder_is_found_or_named() -> Result<(), Error> {
        let files = [
            ("README.md", ""),
            ("a/pyproject.toml", MATURIN),
            ("a/Cargo.toml", PYO3_SUM),
            ("b/c/pyproject.toml", MATURIN),
            ("b/c/Cargo.toml", PYO3_SUM),
        ];
        refused(
            &files,
            "these folders hold 2: a, b/c; name one with --define package_dir",
        )?;
        let found = survey(&project(&files), Some("b/c"))?;
        assert_eq!(value(&found, "package_dir"), Some("b/c"));
        let named = survey(&project(&files), Some("nowhere")).map(|found| format!("{found:?}"));
        assert!(named.is_err_and(|error| {
            error
                .to_string()
                .contains("package_dir=nowhere names no folder")
        }));
        Ok(())
    }

    #[test]
    fn tests_that_import_pytest_run_with_it_and_install_it() -> Result<(), Error> {
        let pyproject = format!("{MATURIN}[project.optional-dependencies]\ndev = [\"nox\"]\n");
        let pyproject: &'static str = Box::leak(pyproject.into_boxed_str());
        let files = [
            ("pyproject.toml", pyproject),
            ("Cargo.toml", PYO3_SUM),
            (
                "tests/test_sum.py",
                "import pytest\nimport numpy as np\nfrom hypothesis import given\nfrom . import helpers\nimport os.path\n",
            ),
            (
                "dev-requirements.txt",
                "pytest>=8\n-r requirements/base.txt\n",
            ),
            ("requirements/base.txt", "hypothesis\n"),
            ("benchmarks/bench.py", "import pyperf\n"),
        ];
        let found = survey_of(&project(&files))?;
        assert_eq!(
            value(&found, "test_deps"),
            Some("requirements:dev-requirements.txt")
        );
        assert_eq!(value(&found, "test_command"), Some("pytest tests"));
        assert!(
            found
                .notes
                .iter()
                .any(|note| note.contains("the tests import numpy")),
            "{:?}",
            found.notes
        );
        let unlisted = [
            ("pyproject.toml", MATURIN),
            ("Cargo.toml", PYO3_SUM),
            ("tests/test_sum.py", "import pytest\n"),
        ];
        let found = survey_of(&project(&unlisted))?;
        assert_eq!(value(&found, "test_deps"), Some("pip:pytest"));
        Ok(())
    }

    #[test]
    fn tox_ini_deps_and_a_workspace_roots_groups_are_read() -> Result<(), Error> {
        let tox = "[tox]\nenv_list = py3\n[testenv]\ndeps =\n    pytest>=8 ; python_version<'4'\n    -r{toxinidir}/requirements-ci.txt\nextras = fast\ncommands = pytest\n";
        let files = [
            ("pyproject.toml", MATURIN),
            ("Cargo.toml", PYO3_SUM),
            ("tox.ini", tox),
            ("requirements-ci.txt", "hypothesis\n"),
            ("tests/test_a.py", "import hypothesis\n"),
        ];
        let found = survey_of(&project(&files))?;
        assert_eq!(
            value(&found, "test_deps"),
            Some("pip:pytest>=8 requirements:requirements-ci.txt extra:fast")
        );
        let root = "[tool.uv.workspace]\nmembers = [\"py\"]\n[dependency-groups]\ndev = [\"pytest>=8\", \"pytest-cov\"]\n";
        let files = [
            ("pyproject.toml", root),
            ("py/pyproject.toml", MATURIN),
            ("py/Cargo.toml", PYO3_SUM),
            ("py/tests/test_a.py", "import pytest\n"),
        ];
        let found = survey_of(&project(&files))?;
        assert_eq!(
            value(&found, "test_deps"),
            Some("pip:pytest>=8 pip:pytest-cov")
        );
        let legacy = format!("{MATURIN}[tool.uv]\ndev-dependencies = [\"pytest\", \"numpy>=2\"]\n");
        let legacy: &'static str = Box::leak(legacy.into_boxed_str());
        let files = [
            ("pyproject.toml", legacy),
            ("Cargo.toml", PYO3_SUM),
            ("tests/test_a.py", "import numpy\n"),
        ];
        let found = survey_of(&project(&files))?;
        assert_eq!(value(&found, "test_deps"), Some("pip:pytest pip:numpy>=2"));
        Ok(())
    }

    #[test]
    fn a_test_package_keeps_its_relative_imports_and_never_imports_the_source() -> Result<(), Error>
    {
        let files = [
            ("pyproject.toml", MATURIN),
            ("Cargo.toml", PYO3_SUM),
            ("tests/__init__.py", ""),
            (
                "tests/test_a.py",
                "import unittest\nfrom .helpers import x\n",
            ),
            ("tests/helpers.py", ""),
        ];
        let found = survey_of(&project(&files))?;
        assert_eq!(
            value(&found, "test_command"),
            Some("python -m unittest discover -s tests -t .")
        );
        let mut beside = files.to_vec();
        beside.push(("pyo3_sum/__init__.py", ""));
        let found = survey_of(&project(&beside))?;
        assert_eq!(
            value(&found, "test_command"),
            Some("pytest --import-mode=append tests")
        );
        assert_eq!(value(&found, "test_deps"), Some("pip:pytest"));
        Ok(())
    }

    #[test]
    fn a_pyo3_cdylib_without_pyproject_gets_the_one_maturin_would_read() -> Result<(), Error> {
        let cargo = "[package]\nname = \"bare-ext\"\n[lib]\nname = \"bare_ext\"\ncrate-type = [\"cdylib\"]\n[dependencies]\npyo3 = \"0.30.1\"\n";
        let found = survey_of(&project(&[("Cargo.toml", cargo)]))?;
        assert_eq!(value(&found, "project-name"), Some("bare-ext"));
        assert_eq!(value(&found, "extension"), Some("bare_ext"));
        let added = found.added_pyproject.unwrap_or_default();
        let table: Table = added
            .parse()
            .map_err(|error| Error::new(format!("{error}")))?;
        assert_eq!(
            text_at(&table, &["build-system", "build-backend"]),
            Some("maturin")
        );
        assert_eq!(text_at(&table, &["project", "name"]), Some("bare-ext"));
        Ok(())
    }

    #[test]
    fn a_tests_folder_under_another_name_is_found_by_its_test_modules() -> Result<(), Error> {
        let tox = "[testenv]\ncommands = python -m pytest tests-py {posargs:}\n";
        let files = [
            ("pyproject.toml", MATURIN),
            ("Cargo.toml", PYO3_SUM),
            ("a_test_data/readme.txt", ""),
            ("py_tests/test_bench.py", "import pytest\n"),
            ("tests-py/test_inlining.py", "import pytest\n"),
            ("tox.ini", tox),
        ];
        let found = survey_of(&project(&files))?;
        assert_eq!(value(&found, "tests_dir"), Some("tests-py"));
        let found = survey_of(&project(&files[..5]))?;
        assert_eq!(value(&found, "tests_dir"), Some("py_tests"));
        Ok(())
    }

    #[test]
    fn tests_inside_the_package_run_from_the_wheel_and_rust_tests_are_no_tests_folder()
    -> Result<(), Error> {
        let files = [
            ("pyproject.toml", MATURIN),
            (
                "Cargo.toml",
                "[package]\nname = \"x\"\n[lib]\nname = \"bed\"\n",
            ),
            ("bed/__init__.py", ""),
            ("bed/tests/__init__.py", ""),
            ("bed/tests/test_read.py", "import pytest\nimport bed\n"),
            ("tests/integration.rs", ""),
        ];
        let found = survey_of(&project(&files))?;
        assert_eq!(value(&found, "tests_dir"), Some("bed/tests"));
        assert_eq!(
            value(&found, "test_command"),
            Some("pytest --pyargs bed.tests")
        );
        Ok(())
    }
}
