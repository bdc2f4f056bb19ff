//! Where a maturin project's parts are, resolved as maturin resolves them: the package's folder
//! in the repository, the binding crate's manifest, the folder of the Python source, the
//! module's import path and where a mixed project's extension lands, and PyO3's stable-ABI
//! features as cargo unifies them.

use toml::Table;

use super::tree::{Files, Within, parsed, refusal, strings, text_at, value_at};
use crate::error::Error;

/// Folders a search for the package never enters: build outputs, environments, VCS data.
const NOT_SEARCHED: [&str; 8] = [
    "target",
    "node_modules",
    "venv",
    "build",
    "dist",
    "site-packages",
    "__pycache__",
    "tests",
];

/// How deep below the repository's root the package is looked for.
const SEARCH_DEPTH: usize = 3;

/// The folder of the package's pyproject.toml: the one named (`--define package_dir`), the
/// root when its pyproject.toml names a build backend, the member of its uv workspace that
/// maturin builds, or else the one maturin package found in the folders below the root (a
/// binding crate's `bindings/python`, a Cargo workspace's member).
pub fn package_folder(files: &dyn Files, named: Option<&str>) -> Result<String, Error> {
    if let Some(folder) = named {
        let folder = folder.trim_start_matches("./").trim_end_matches('/');
        let folder = if folder.is_empty() { "." } else { folder };
        return match built_by_maturin(files, &in_folder(folder, "pyproject.toml")) {
            Some(_) => Ok(folder.to_string()),
            None => Err(refusal(&format!(
                "--define package_dir={folder} names no folder with a pyproject.toml that maturin builds"
            ))),
        };
    }
    let root = parsed(files, "pyproject.toml")?;
    let members = root
        .as_ref()
        .map(|root| strings(value_at(root, &["tool", "uv", "workspace", "members"])))
        .unwrap_or_default();
    let backend = root
        .as_ref()
        .is_some_and(|root| value_at(root, &["build-system", "build-backend"]).is_some());
    if backend {
        return Ok(".".to_string());
    }
    if let (Some(root), false) = (&root, members.is_empty()) {
        return one_of(
            workspace_members(files, root, &members),
            "uv workspace's members",
        );
    }
    let found = searched(files, ".", SEARCH_DEPTH);
    match (found.is_empty(), &root) {
        // maturin builds a crate from its Cargo.toml alone: survey::cargo_only decides.
        (true, None) if files.exists("Cargo.toml") => Ok(".".to_string()),
        (true, None) => Err(refusal("it has no pyproject.toml")),
        (true, Some(_)) => Err(refusal("pyproject.toml names no build backend")),
        (false, _) => one_of(found, "folders"),
    }
}

fn one_of(folders: Vec<String>, among: &str) -> Result<String, Error> {
    match folders.as_slice() {
        [one] => Ok(one.clone()),
        [] => Err(refusal(&format!("none of its {among} is built by maturin"))),
        several => Err(Error::new(format!(
            "oxwheel adopt takes one maturin package, and these {among} hold {}: {}; name one \
             with --define package_dir=FOLDER; nothing was changed",
            several.len(),
            several.join(", ")
        ))),
    }
}

fn in_folder(folder: &str, name: &str) -> String {
    match folder {
        "." => name.to_string(),
        folder => format!("{folder}/{name}"),
    }
}

/// The pyproject.toml at `path` when its build backend is maturin.
fn built_by_maturin(files: &dyn Files, path: &str) -> Option<Table> {
    let table = parsed(files, path).ok().flatten()?;
    (text_at(&table, &["build-system", "build-backend"]) == Some("maturin")).then_some(table)
}

/// The folders below `folder` (to `depth` levels) whose pyproject.toml maturin builds.
fn searched(files: &dyn Files, folder: &str, depth: usize) -> Vec<String> {
    let mut found = Vec::new();
    if depth == 0 {
        return found;
    }
    for name in files.folders(folder) {
        if name.starts_with('.') || NOT_SEARCHED.contains(&name.as_str()) {
            continue;
        }
        let child = in_folder(folder, &name);
        if built_by_maturin(files, &in_folder(&child, "pyproject.toml")).is_some() {
            found.push(child);
        } else {
            found.extend(searched(files, &child, depth - 1));
        }
    }
    found
}

/// `[tool.uv.workspace] members` (a folder, `folder/*` or `*`) less its `exclude`, keeping
/// those maturin builds.
fn workspace_members(files: &dyn Files, root: &Table, members: &[String]) -> Vec<String> {
    let mut folders = Vec::new();
    for member in members.iter().map(|member| member.trim_start_matches("./")) {
        match member.strip_suffix('*') {
            Some(parent) => {
                let parent = parent.trim_end_matches('/');
                let parent = if parent.is_empty() { "." } else { parent };
                let names = files.folders(parent);
                folders.extend(names.iter().map(|name| in_folder(parent, name)));
            }
            None => folders.push(member.trim_end_matches('/').to_string()),
        }
    }
    let excluded = strings(value_at(root, &["tool", "uv", "workspace", "exclude"]));
    folders
        .into_iter()
        .filter(|folder| {
            !excluded
                .iter()
                .any(|out| out.trim_start_matches("./") == folder)
        })
        .filter(|folder| built_by_maturin(files, &in_folder(folder, "pyproject.toml")).is_some())
        .collect()
}

/// The project as maturin builds it.
#[derive(Debug)]
pub struct Resolved {
    /// The binding crate's manifest, from the package's folder.
    pub manifest: String,
    pub cargo: Table,
    /// The folder that holds the Python package ("." beside pyproject.toml), "" for none.
    pub python_source: String,
    /// The top-level package the wheel installs.
    pub package: String,
    /// The compiled module's import path.
    pub extension: String,
}

/// maturin's resolution: `manifest-path`, else `rust/Cargo.toml` for a src layout, else
/// Cargo.toml; `python-source`, else `src` for a src layout, else the package's folder; the
/// module name from `module-name`, `[lib] name`, `[project] name` or `[package] name`; a mixed
/// project when the folder of its first part exists, the extension inside it (`pkg` alone
/// lands at `pkg.pkg`).
pub fn resolve(package: &Within, pyproject: &Table, maturin: &Table) -> Result<Resolved, Error> {
    let src_layout = src_layout(package, pyproject, maturin);
    let manifest = match text_at(maturin, &["manifest-path"]) {
        Some(path) => path.trim_start_matches("./").to_string(),
        None if src_layout => "rust/Cargo.toml".to_string(),
        None => "Cargo.toml".to_string(),
    };
    let cargo = parsed(package, &manifest)?.ok_or_else(|| match manifest.as_str() {
        "Cargo.toml" => refusal(
            "it has no Cargo.toml beside pyproject.toml, nor a rust/Cargo.toml with its Python \
             package under src/",
        ),
        other => refusal(&format!("its Cargo manifest {other} is missing")),
    })?;
    let root = match text_at(maturin, &["python-source"]) {
        Some(folder) => folder.trim_start_matches("./").trim_end_matches('/'),
        None if src_layout => "src",
        None => "",
    };
    let root = if root.is_empty() { "." } else { root };
    let module = module_name(pyproject, maturin, &cargo)?;
    let parts: Vec<&str> = module.split('.').collect();
    let first = in_folder(root, parts[0]);
    let crate_folder = !package.exists(&format!("{first}/__init__.py"))
        && package.exists(&format!("{first}/Cargo.toml"));
    let mixed = package.is_folder(&first) && !crate_folder;
    let (python_source, package_name, extension) = match (mixed, parts.as_slice()) {
        (true, [single]) => (
            root.to_string(),
            single.to_string(),
            format!("{single}.{single}"),
        ),
        (true, _) => (root.to_string(), parts[0].to_string(), module.clone()),
        (false, _) if value_at(maturin, &["python-source"]).is_some() => {
            return Err(refusal(&format!(
                "maturin finds no folder {first} for its module {module} under python-source"
            )));
        }
        (false, _) => {
            let last = parts[parts.len() - 1].to_string();
            (String::new(), last.clone(), last)
        }
    };
    Ok(Resolved {
        manifest,
        cargo,
        python_source,
        package: package_name,
        extension,
    })
}

/// maturin's src layout: `rust/Cargo.toml` beside pyproject.toml (no manifest-path), with
/// python-source set or `src/<name>/__init__.py` for the project's name or a python-packages
/// entry.
fn src_layout(package: &Within, pyproject: &Table, maturin: &Table) -> bool {
    if !package.exists("rust/Cargo.toml") {
        return false;
    }
    if maturin.contains_key("python-source") && !maturin.contains_key("manifest-path") {
        return true;
    }
    let name = text_at(pyproject, &["project", "name"]).map(|name| name.replace('-', "_"));
    let listed = strings(maturin.get("python-packages"));
    name.into_iter()
        .chain(listed)
        .any(|folder| package.exists(&format!("src/{folder}/__init__.py")))
}

fn module_name(pyproject: &Table, maturin: &Table, cargo: &Table) -> Result<String, Error> {
    let module = text_at(maturin, &["module-name"])
        .or_else(|| text_at(cargo, &["lib", "name"]))
        .or_else(|| text_at(pyproject, &["project", "name"]))
        .or_else(|| text_at(cargo, &["package", "name"]))
        .ok_or_else(|| refusal("neither pyproject.toml nor Cargo.toml names its module"))?;
    // maturin refuses a '-' in the name it gives the compiled module.
    if module
        .rsplit('.')
        .next()
        .is_some_and(|last| last.contains('-'))
    {
        return Err(refusal(&format!(
            "maturin cannot name a module {module}: set [tool.maturin] module-name"
        )));
    }
    Ok(module.to_string())
}

/// PyO3's stable-ABI features: `abi3`/`abi3-py3X` and `abi3t`/`abi3t-py3X`, from the binding
/// crate's pyo3 (or pyo3-ffi) dependency, the workspace's when it inherits (cargo unites the
/// two lists), its default crate features, and maturin's `features`. Returns (abi3, abi3t,
/// the lowest abi3-py3X release).
pub fn stable_abi(
    files: &dyn Files,
    manifest_path: &str,
    cargo: &Table,
    maturin: &Table,
) -> (bool, bool, Option<String>) {
    let mut features = Vec::new();
    for crate_name in ["pyo3", "pyo3-ffi"] {
        let dependency = value_at(cargo, &["dependencies", crate_name]);
        features.extend(strings(dependency.and_then(|table| table.get("features"))));
        let inherited = dependency
            .and_then(|table| table.get("workspace"))
            .and_then(toml::Value::as_bool)
            == Some(true);
        let workspace = inherited
            .then(|| workspace_root(files, manifest_path))
            .flatten();
        if let Some(workspace) = workspace {
            let shared = value_at(&workspace, &["workspace", "dependencies", crate_name]);
            features.extend(strings(shared.and_then(|table| table.get("features"))));
        }
    }
    let defaults = strings(value_at(cargo, &["features", "default"]));
    let enabled = defaults
        .iter()
        .flat_map(|feature| strings(value_at(cargo, &["features", feature])));
    let maturin_features = strings(maturin.get("features"));
    features.extend(enabled.chain(maturin_features).filter_map(|feature| {
        let (crate_name, feature) = feature.split_once('/')?;
        let pyo3 = ["pyo3", "pyo3-ffi"].contains(&crate_name.trim_end_matches('?'));
        pyo3.then(|| feature.to_string())
    }));
    let abi3 = features
        .iter()
        .any(|feature| feature == "abi3" || feature.starts_with("abi3-py"));
    let abi3t = features
        .iter()
        .any(|feature| feature == "abi3t" || feature.starts_with("abi3t-py"));
    let lowest = features
        .iter()
        .filter_map(|feature| feature.strip_prefix("abi3-py"))
        .filter_map(|digits| {
            let (major, minor) = digits.split_at_checked(1)?;
            Some((major.parse::<u32>().ok()?, minor.parse::<u32>().ok()?))
        })
        .min()
        .map(|(major, minor)| format!("{major}.{minor}"));
    (abi3, abi3t, lowest)
}

/// The Cargo.toml with a `[workspace]` table in the binding crate's folder or above it, within
/// the files adopt reads.
fn workspace_root(files: &dyn Files, manifest_path: &str) -> Option<Table> {
    let mut folder = manifest_path.rsplit_once('/').map(|(folder, _)| folder);
    loop {
        let path = folder.map_or("Cargo.toml".to_string(), |folder| {
            format!("{folder}/Cargo.toml")
        });
        let table = parsed(files, &path).ok().flatten();
        if let Some(table) = table.filter(|table| table.contains_key("workspace")) {
            return Some(table);
        }
        folder = match folder {
            None => return None,
            Some(inner) => inner.rsplit_once('/').map(|(parent, _)| parent),
        };
    }
}
