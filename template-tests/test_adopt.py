"""`oxwheel adopt` on projects shaped like the ones people have (template-tests/fixtures/):
`maturin new --bindings pyo3` with the CI.yml that publishes on tags, `maturin new --mixed` as a
uv workspace's member, and a package at the root over a Cargo workspace with its own ci.yml.
Adopting adds the pipeline and touches none of their code, tests or docs; every key of their
pyproject.toml and Cargo.toml keeps its value; a user's edit survives a later update; a
setuptools-rust project is refused and left as it was; each one's own tests pass through the
adopted tox, against the wheel it builds. The replayed CI jobs of one of them run in the replay
session (checks.replay_workflows).

Run by `python3 noxfile.py -s update`, which builds the command and names it in OXWHEEL.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import tomllib
import zipfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import yaml
from oxwheel_dev import cli, fixtures, golden, paths
from oxwheel_dev.interpreters import build_env, local_cpythons, python_for

# What adopting may write at the repository's root: the pipeline, never code, tests or docs
# (and in the package's folder, pyproject.toml and tox.toml).
PIPELINE = (
    ".github/",
    "deny.toml",
    ".pre-commit-config.yaml",
    "CHANGELOG.md",
    "oxwheel-answers.toml",
)
DEPENDABOT = ".github/dependabot.yml"
# What the survey must read from each (the traits each project carries).
EXPECTED = {
    "pyo3-sum": {
        "extension": "pyo3_sum",
        "python_source": "",
        "abi3": "false",
        "cargo_lock": "false",
        "test_deps": "requirements:tests/requirements.txt",
        "test_command": "python -m unittest discover -s tests",
        "publish": "false",
    },
    "mixed-rs": {
        "project-name": "mixed-dist",
        "package_dir": "packages/mixed",
        "extension": "mixed_pkg._native",
        "python_source": "python",
        "abi3": "true",
        "python_min": "3.11",
        "test_deps": "extra:test pip:hypothesis>=6",
        "test_command": "pytest tests",
        "cargo_lock": "true",
    },
    "rootpkg": {
        "extension": "rootpkg._ext",
        "python_source": ".",
        "cargo_manifest": "crates/rootpkg-py/Cargo.toml",
        "test_deps": "group:dev",
        "test_command": "pytest tests",
        "publish": "true",
    },
    "src-layout": {
        "cargo_manifest": "rust/Cargo.toml",
        "python_source": "src",
        "module_name": "src_layout",
        "extension": "src_layout.src_layout",
        "abi3": "true",
        "abi3t_feature": "true",
        "tests_dir": "src/tests",
        "test_deps": "requirements:requirements-test.txt",
        "test_command": "pytest src/tests",
        "license": "BSD-3-Clause",
        "description": 'Sums and means in Rust, laid out as "maturin new --mixed --src" does: '
        "the crate in rust/, the package and its tests under src/, benchmarks apart",
    },
    "bindings-sub": {
        "package_dir": "bindings/python",
        "python_source": "python",
        "extension": "subpkg._sub",
        "abi3": "true",
        "python_min": "3.11",
        "test_deps": "requirements:dev-requirements.txt",
        "test_command": "python -m unittest discover -s tests -t .",
        "license": "Apache 2.0",
        "cargo_lock": "true",
    },
    "rootmix": {
        "python_source": ".",
        "extension": "rootmix.rootmix",
        "abi3": "false",
        "test_deps": "pip:hypothesis pip:pytest",
        "test_command": "pytest --import-mode=append tests",
        "license": "MPL-2.0",
        "cargo_lock": "false",
    },
}
# How many tests each project's own command runs: the adopted tox must run as many.
TESTS_RUN = {
    "pyo3-sum": 4,
    "mixed-rs": 3,
    "rootpkg": 4,
    "src-layout": 3,
    "bindings-sub": 3,
    "rootmix": 3,
}


def adopt(project: Path, repository: Path, *options: str) -> str:
    done = cli.oxwheel("adopt", "--template", str(repository), *options, cwd=project)
    assert done.returncode == 0, done.stdout + done.stderr
    return done.stdout


def changed(project: Path) -> list[str]:
    """Paths git sees changed, added or removed since the last commit."""
    listed = cli.git("status", "--porcelain", "--untracked-files=all", cwd=project)
    return sorted(line[3:] for line in listed.splitlines())


def manifests(project: Path) -> list[Path]:
    return sorted(
        path
        for path in [*project.rglob("pyproject.toml"), *project.rglob("Cargo.toml")]
        if ".git" not in path.parts
    )


def flat(table: dict[str, Any], prefix: str = "") -> Iterator[tuple[str, Any]]:
    for key, value in table.items():
        if isinstance(value, dict):
            yield from flat(value, f"{prefix}{key}.")
        else:
            yield f"{prefix}{key}", value


@pytest.fixture(scope="module", params=fixtures.ADOPTABLE)
def adopted(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory, repository: Path
) -> tuple[Path, dict[str, tuple[str, int, bytes | str]], str]:
    """The project as its author has it, adopted (not committed), with its files from before
    and what adopt printed."""
    project = fixtures.load(request.param, tmp_path_factory.mktemp("adopt"))
    before = cli.snapshot(project)
    said = adopt(project, repository)
    return project, before, said


def in_package(project: Path, name: str) -> str:
    package = tomllib.loads((project / "oxwheel-answers.toml").read_text())["values"]
    folder = package.get("package_dir", ".")
    return name if folder == "." else f"{folder}/{name}"


def test_adopting_writes_the_pipeline_only(adopted: tuple[Path, Any, str]) -> None:
    project, before, _ = adopted
    touched = changed(project)
    pyproject, tox = in_package(project, "pyproject.toml"), in_package(project, "tox.toml")
    assert tox in touched
    assert any(path.startswith(".github/workflows/oxwheel-") for path in touched)
    for path in touched:
        assert path in (pyproject, tox) or path.startswith(PIPELINE), path
        # The project's own files: pyproject.toml takes keys, dependabot.yml entries.
        assert path in (pyproject, DEPENDABOT) or path not in before, f"{path} was the project's"


def test_every_key_of_pyproject_and_cargo_keeps_its_value(adopted: tuple[Path, Any, str]) -> None:
    project, before, _ = adopted
    for manifest in manifests(project):
        relative = manifest.relative_to(project).as_posix()
        old = dict(flat(tomllib.loads(before[relative][2].decode())))
        new = dict(flat(tomllib.loads(manifest.read_text())))
        assert {key: new.get(key) for key in old} == old, relative
    pyproject = project / in_package(project, "pyproject.toml")
    assert "tool.cibuildwheel.build" in dict(flat(tomllib.loads(pyproject.read_text())))


def test_the_survey_reads_each_trait(adopted: tuple[Path, Any, str]) -> None:
    project, _, _ = adopted
    recorded = tomllib.loads((project / "oxwheel-answers.toml").read_text())
    assert recorded["template"]["revision"] != ""
    values = recorded["values"]
    assert values["adopted"] == "true"
    for key, value in EXPECTED[project.name].items():
        assert values[key] == value, key


def test_the_adopted_tox_runs_the_projects_own_tests(adopted: tuple[Path, Any, str]) -> None:
    """`tox -c tox.toml run -e 3.X` as the adopted README says, on the oldest CPython of its
    env_list installed here: every test of the project passes against the wheel tox builds
    (rootpkg's and rootmix's source folders have no extension, so a test that imported them
    would fail), and that wheel holds the compiled module where the record says it is."""
    project, _, _ = adopted
    folder = project / in_package(project, ".")
    envs = tomllib.loads((folder / "tox.toml").read_text())["env_list"]
    env = next(env for env in envs if env in local_cpythons())
    command = ["tox", "-c", "tox.toml", "run", "-e", env]
    # tox passes maturin's arguments to its wheel build: a dev build tests the same code sooner,
    # as the generated pipeline's CI builds with a faster profile.
    fast = {"MATURIN_PEP517_ARGS": "--profile dev"}
    environment = os.environ | build_env() | fast
    done = subprocess.run(command, cwd=folder, env=environment, capture_output=True, text=True)
    output = done.stdout + done.stderr
    assert done.returncode == 0, output
    counts = re.findall(r"(?:Ran (\d+) tests?)|(?:(\d+) passed)", output)
    assert sum(int(ran or passed) for ran, passed in counts) == TESTS_RUN[project.name], output
    (wheel,) = {path.name: path for path in (folder / ".tox").rglob("*.whl")}.values()
    assert compiled_module(wheel) == recorded_extension(project)


def compiled_module(wheel: Path) -> str:
    """The import path of the one compiled module in `wheel`."""
    with zipfile.ZipFile(wheel) as archive:
        (path,) = [name for name in archive.namelist() if name.endswith((".so", ".pyd"))]
    folder, _, file = path.rpartition("/")
    return ".".join([*folder.split("/"), file.split(".")[0]] if folder else [file.split(".")[0]])


def recorded_extension(project: Path) -> str:
    """Where the record says maturin puts the compiled module: its import path, or inside the
    package of that name that maturin makes for a pure-Rust project."""
    values = tomllib.loads((project / "oxwheel-answers.toml").read_text())["values"]
    extension: str = values["extension"]
    return extension if values["python_source"] else f"{extension}.{extension}"


def test_a_projects_dependabot_entries_stay_and_the_templates_others_are_added(
    tmp_path: Path, repository: Path
) -> None:
    """Dependabot refuses two entries for one ecosystem, directory and branch: rootpkg's
    github-actions and cargo entries stay as they are, the template adds pip, and adopting
    exits 0 (no conflict to resolve)."""
    project = fixtures.load("rootpkg", tmp_path)
    before = cli.snapshot(project)
    said = adopt(project, repository)
    own = before[DEPENDABOT][2]
    assert isinstance(own, bytes)
    text = (project / DEPENDABOT).read_bytes()
    assert text.startswith(own)
    updates = yaml.safe_load(text)["updates"]
    covered = [
        (entry["package-ecosystem"], directory)
        for entry in updates
        for directory in entry.get("directories", [entry.get("directory")])
    ]
    assert len(covered) == len(set(covered)), covered
    assert [entry["package-ecosystem"] for entry in updates] == ["github-actions", "cargo", "pip"]
    assert "added pip; the project's own kept for github-actions, cargo" in said


def test_a_workflow_that_publishes_keeps_publishing_alone(adopted: tuple[Path, Any, str]) -> None:
    """maturin's CI.yml uploads on tags: the template's wheels workflow then publishes nothing,
    so a release never has two publishers."""
    project, _, said = adopted
    wheels = (project / ".github/workflows/oxwheel-wheels.yml").read_text()
    publishes = "gh-action-pypi-publish" in wheels
    if project.name == "pyo3-sum":
        assert (project / ".github/workflows/CI.yml").is_file()
        assert not publishes
        assert "CI.yml publishes releases" in said
    else:
        assert publishes


def test_a_fixture_brings_only_what_git_tracks(tmp_path: Path) -> None:
    """A cargo run in a fixture's folder (the pre-commit hooks run one) leaves a Cargo.lock;
    pyo3-sum stands for a project that commits none, and must stay one."""
    folder = tmp_path / "fixtures"
    source = paths.FIXTURES / "pyo3-sum"
    for name in golden.git_files(source, "--cached"):
        (folder / "pyo3-sum" / name).parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(source / name, folder / "pyo3-sum" / name)
    subprocess.run(["git", "init", "--quiet", str(folder)], check=True)
    subprocess.run(["git", "-C", str(folder), "add", "--all"], check=True)
    (folder / "pyo3-sum" / "Cargo.lock").write_text("# left by a build\n")
    project = fixtures.load("pyo3-sum", tmp_path / "loaded", folder)
    assert (project / "Cargo.toml").is_file()
    assert not (project / "Cargo.lock").exists()


def test_replace_ci_removes_the_other_publisher(tmp_path: Path, repository: Path) -> None:
    project = fixtures.load("pyo3-sum", tmp_path)
    said = adopt(project, repository, "--replace-ci")
    assert not (project / ".github/workflows/CI.yml").exists()
    wheels = (project / ".github/workflows/oxwheel-wheels.yml").read_text()
    assert "gh-action-pypi-publish" in wheels
    assert "removed: .github/workflows/CI.yml" in said


def test_a_dry_run_writes_nothing_and_prints_the_answers_as_recorded(
    tmp_path: Path, repository: Path
) -> None:
    """...the project's own license (not one of the three a new project chooses from), not the
    template's default."""
    project = fixtures.load("src-layout", tmp_path)
    before = cli.snapshot(project)
    said = adopt(project, repository, "--dry-run")
    assert "added: " in said
    assert 'license = "BSD-3-Clause"' in said
    assert 'extension = "src_layout.src_layout"' in said
    assert cli.snapshot(project) == before


def test_a_setuptools_rust_project_is_refused_and_left_as_it_was(
    tmp_path: Path, repository: Path
) -> None:
    project = fixtures.load("legacy-ext", tmp_path)
    before = cli.snapshot(project)
    done = cli.oxwheel("adopt", "--template", str(repository), cwd=project)
    assert done.returncode == 2
    assert "setuptools-rust builds this project" in done.stderr
    assert cli.snapshot(project) == before


def test_adopting_twice_is_refused(tmp_path: Path, repository: Path) -> None:
    project = fixtures.load("pyo3-sum", tmp_path)
    adopt(project, repository)
    cli.commit(project, "adopted")
    done = cli.oxwheel("adopt", "--template", str(repository), cwd=project)
    assert done.returncode == 2
    assert "oxwheel update" in done.stderr


def later_template(repository: Path, parent: Path) -> Path:
    """A clone of the template's repository with one more commit, which changes the tox.toml
    every adopted project received."""
    clone = parent / "template-later"
    cli.git("clone", "--quiet", str(repository), str(clone), cwd=parent)
    tox = clone / "template" / "tox.toml"
    old = 'description = "run the tests against the installed wheel on {base_python}"'
    new = 'description = "the project\'s tests against the installed wheel on {base_python}"'
    text = tox.read_text()
    assert old in text
    tox.write_text(text.replace(old, new))
    cli.commit(clone, "A later template: tox's test envs described anew")
    return clone


@pytest.mark.parametrize("name", ["rootpkg", "mixed-rs", "src-layout", "bindings-sub"])
def test_a_user_edit_survives_an_update(tmp_path: Path, repository: Path, name: str) -> None:
    """...also in the package's folder of a uv workspace, where its tox.toml is."""
    project = fixtures.load(name, tmp_path)
    adopt(project, repository)
    cli.commit(project, "Adopt the oxwheel pipeline")
    tox = project / in_package(project, "tox.toml")
    mine = '\n[env.docs]\ndescription = "my own env"\ncommands = [["python", "-c", "print(1)"]]\n'
    tox.write_text(tox.read_text() + mine)
    cli.commit(project, "My docs env")
    later = later_template(repository, tmp_path)
    done = cli.oxwheel("update", "--template", str(later), cwd=project)
    assert done.returncode == 0, done.stdout + done.stderr
    text = tox.read_text()
    assert mine in text
    assert "the project's tests against the installed wheel" in text
    assert tomllib.loads(text)["env"]["docs"]["description"] == "my own env"
    assert changed(project) == sorted(["oxwheel-answers.toml", in_package(project, "tox.toml")])


@pytest.mark.parametrize(
    ("define", "rule"),
    [
        ("test_command=pytest; rm -rf ~", "test_command"),
        ("test_command=make test", "starts with python or pytest"),
        ("tests_dir=../elsewhere", "a relative path inside the project"),
        ("package_dir=/etc", "a relative path inside the project"),
        ("extension=pkg..core", "a dotted Python import path"),
        ("test_deps=pip:pytest;rm", "group:NAME, extra:NAME"),
        ("cargo_lock=maybe", "choose one of: true, false"),
    ],
)
def test_a_refused_layout_answer_changes_nothing(
    tmp_path: Path, repository: Path, define: str, rule: str
) -> None:
    project = fixtures.load("pyo3-sum", tmp_path)
    before = cli.snapshot(project)
    done = cli.oxwheel("adopt", "--template", str(repository), "--define", define, cwd=project)
    assert done.returncode == 2
    assert "is refused" in done.stderr
    assert rule in done.stderr
    assert cli.snapshot(project) == before


def test_who_publishes_is_adopts_to_decide(tmp_path: Path, repository: Path) -> None:
    """--define publish=true beside maturin's CI.yml would make two publishers: refused, by
    adopt and by a later update."""
    project = fixtures.load("pyo3-sum", tmp_path)
    done = cli.oxwheel("adopt", "--template", str(repository), "-d", "publish=true", cwd=project)
    assert done.returncode == 2
    assert "adopt decides it" in done.stderr
    adopt(project, repository)
    cli.commit(project, "Adopt the oxwheel pipeline")
    done = cli.oxwheel("update", "--template", str(repository), "-d", "publish=true", cwd=project)
    assert done.returncode == 2
    assert ".github/workflows/CI.yml publishes releases" in done.stderr


def test_the_survey_knows_every_standard_library_module() -> None:
    """An import of the standard library is no dependency to install or report."""
    listed = set((paths.ROOT / "cli/src/survey/stdlib.txt").read_text().split())
    for version in local_cpythons():
        python = python_for(version)
        assert python is not None
        names = [python, "-c", "import sys; print(*sys.stdlib_module_names)"]
        found = subprocess.run(names, check=True, capture_output=True, text=True).stdout
        assert set(found.split()) <= listed, version


def test_files_the_projects_gitignore_hides_are_named(tmp_path: Path, repository: Path) -> None:
    """An allow-list .gitignore (`/*`, then what the project keeps) would keep the pipeline out
    of every commit: adopt writes it, and says which files need `git add --force`."""
    project = fixtures.load("pyo3-sum", tmp_path)
    kept = ["/*", "!/.gitignore", "!/Cargo.toml", "!/pyproject.toml", "!/src/", "!/tests/"]
    (project / ".gitignore").write_text("\n".join([*kept, "!/.github/"]) + "\n")
    cli.commit(project, "Only what the project names is committed")
    said = adopt(project, repository)
    hidden = said.split("the project's .gitignore hides ", 1)[1].split(":", 1)[0].split(", ")
    assert "tox.toml" in hidden
    assert "deny.toml" in hidden
    assert ".github/workflows/oxwheel-ci.yml" not in hidden
    assert "git add --force" in said


def test_a_crate_without_pyproject_gets_one_that_builds_it_as_maturin_does(
    tmp_path: Path, repository: Path
) -> None:
    """maturin builds a PyO3 cdylib from Cargo.toml alone; pip, tox and cibuildwheel need a
    pyproject.toml, which adopt adds with maturin as its backend."""
    project = fixtures.load("pyo3-sum", tmp_path)
    (project / "pyproject.toml").unlink()
    cli.commit(project, "maturin reads Cargo.toml alone")
    said = adopt(project, repository)
    assert "pyproject.toml is added" in said
    pyproject = tomllib.loads((project / "pyproject.toml").read_text())
    assert pyproject["build-system"]["build-backend"] == "maturin"
    assert pyproject["project"]["name"] == "pyo3-sum"
    assert pyproject["project"]["dynamic"] == ["version"]
    assert "build" in pyproject["tool"]["cibuildwheel"]


def test_a_package_in_a_folder_is_adopted_from_the_root(tmp_path: Path, repository: Path) -> None:
    """GitHub reads workflows at the repository's root only: adopt in the folder says what to
    run there, and there it finds the package."""
    project = fixtures.load("pyo3-sum", tmp_path)
    nested = project / "libs"
    nested.mkdir()
    for name in ("pyproject.toml", "Cargo.toml", "src"):
        (project / name).rename(nested / name)
    cli.commit(project, "Move the package into libs/")
    done = cli.oxwheel("adopt", "--template", str(repository), cwd=nested)
    assert done.returncode == 2
    assert "at the repository's root" in done.stderr
    assert "oxwheel adopt --define package_dir=libs" in done.stderr
    assert cli.git("status", "--porcelain", cwd=project) == ""
    adopt(project, repository)
    values = tomllib.loads((project / "oxwheel-answers.toml").read_text())["values"]
    assert values["package_dir"] == "libs"
