"""What the template's rules derive (`oxwheel rules --json`, which the tooling reads) is what each
rendered project does: the root and every variant of dev/variants.toml, each rendered once for
the session (conftest.py's variant_project, shared with test_workflows.py).

Run by `python3 noxfile.py -s workflows`, which installs the cibuildwheel that wheels.yml
installs.
"""

from __future__ import annotations

import tomllib
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
import yaml
from oxwheel_dev import golden, identifiers, paths, tables

NAMES = ["root", *(variant.name for variant in tables.variants())]


@pytest.fixture(scope="session", params=NAMES)
def case(
    request: pytest.FixtureRequest, variant_project: Callable[[str], Path]
) -> tuple[Path, dict[str, Any]]:
    """A project and what the rules derive for its answers."""
    if request.param == "root":
        return paths.ROOT, tables.derived(golden.root_answers())
    return variant_project(request.param), tables.derived(tables.variant(request.param).answers)


def matrix(project: Path, workflow: str, job: str) -> list[dict[str, Any]]:
    loaded = yaml.safe_load((project / ".github" / "workflows" / workflow).read_text())
    include: list[dict[str, Any]] = loaded["jobs"][job]["strategy"]["matrix"]["include"]
    return include


@pytest.mark.parametrize("platform", identifiers.archs())
def test_cibuildwheel_selects_the_derived_builds(
    case: tuple[Path, dict[str, Any]], platform: str
) -> None:
    """Each identifier of cibw_build on each wheel platform of the table, PyPy's where PyPy
    publishes an interpreter, and nothing else."""
    project, derived = case
    wheels = [row.wheel for row in tables.platforms() if row.platform == platform]
    expected = {
        f"{build}-{wheel}"
        for build in derived["cibw_build"]
        for wheel in wheels
        if not (build.startswith("pp") and wheel in tables.no_pypy())
    }
    assert sorted(identifiers.selected(project, platform)) == sorted(expected)


def test_tox_lists_the_derived_envs_and_ci_runs_each(case: tuple[Path, dict[str, Any]]) -> None:
    project, derived = case
    env_list = tomllib.loads((project / "tox.toml").read_text())["env_list"]
    pypy = [f"pypy{derived['pypy']}"] if derived["pypy"] else []
    free_threaded = [f"{version}t" for version in derived["free_threaded"]]
    assert env_list == [*derived["python_versions"], *free_threaded, *pypy, "lint"]
    ran = {env for _, envs in derived["tox_rows"] for env in envs}
    assert ran == set(env_list) - {"lint"}


def test_the_workflow_matrices_are_the_derived_rows(case: tuple[Path, dict[str, Any]]) -> None:
    project, derived = case
    tox = [{"runner": runner, "python": envs} for runner, envs in derived["tox_rows"]]
    assert matrix(project, "ci.yml", "tox") == tox
    assert len(tox) == int(derived["tox_jobs"])
    wheels = [{"platform": name, "runner": runner} for name, runner in derived["wheel_jobs"]]
    assert matrix(project, "wheels.yml", "wheels") == wheels
    assert [job["runner"] for job in wheels] == derived["runners"]


def test_the_metadata_has_the_derived_versions_and_author(
    case: tuple[Path, dict[str, Any]],
) -> None:
    project, derived = case
    metadata = tomllib.loads((project / "pyproject.toml").read_text())["project"]
    assert metadata["requires-python"] == f">={derived['python_versions'][0]}"
    prefix = "Programming Language :: Python :: 3."
    releases = [
        item.rsplit(" ", 1)[1] for item in metadata["classifiers"] if item.startswith(prefix)
    ]
    assert releases == derived["python_versions"]
    author = {"name": derived["author_name"], "email": derived["author_email"]}
    assert metadata["authors"] == [{key: value for key, value in author.items() if value}]
