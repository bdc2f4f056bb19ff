"""cibuildwheel selects exactly the wheels the [tool.cibuildwheel] configuration means.

`--print-build-identifiers` lists every identifier the configuration selects, each of which is
built or, with abi3, reuses an earlier compatible wheel and only runs the tests. Which of the two
happens is decided at build time by cibuildwheel's find_compatible_wheel, which these tests call
on the wheels the project makes. Run by `python3 noxfile.py -s build_identifiers`.
"""

from __future__ import annotations

import platform as host
import re
import subprocess
import tomllib
from pathlib import Path, PurePath

import pytest
from cibuildwheel.util.packaging import find_compatible_wheel
from oxwheel_dev import render as template
from oxwheel_dev import tables

# What --archs names for each cibuildwheel platform: every architecture of the table's rows.
ARCHS = {
    platform.platform: ",".join(
        sorted({row.arch for row in tables.platforms() if row.platform == platform.platform})
    )
    for platform in tables.platforms()
}
CPYTHONS = [f"cp{tables.nodot(version)}" for version in tables.cpython()]
FREE_THREADED = [f"cp{tables.nodot(version)}t" for version in tables.free_threaded()]
PYPY = f"pp{tables.nodot(tables.pypy())}"
LOWEST = tables.cpython()[0]


@pytest.fixture(scope="module")
def no_abi3_project(tmp_path_factory: pytest.TempPathFactory) -> Path:
    parent = tmp_path_factory.mktemp("identifiers")
    return template.render(parent, "no-abi3", {"abi3": "false", "python_min": LOWEST}).path


def selected(project: Path, platform: str) -> list[str]:
    """The identifiers the configuration selects, in build order.

    cibuildwheel leaves out, with a note, those this machine's architecture could not build
    (PyPy for macOS arm64 on x86_64); they are selected all the same.
    """
    command = ["cibuildwheel", "--print-build-identifiers", "--platform", platform]
    result = subprocess.run(
        [*command, "--archs", ARCHS[platform], str(project)],
        capture_output=True,
        text=True,
        check=True,
    )
    unbuildable_here = re.findall(r"Note: (\S+) was selected, but can't be built", result.stderr)
    return result.stdout.split() + unbuildable_here


def wheel_for(identifier: str, abi3_minimum: str | None) -> PurePath:
    """The name of the wheel the project makes for `identifier` (the version does not matter)."""
    python, platform = identifier.split("-", 1)
    (row,) = (row for row in tables.platforms() if row.wheel == platform)
    if abi3_minimum and python.startswith("cp") and not python.endswith("t"):
        tags = f"{abi3_minimum}-abi3"
    else:
        # A version-specific ABI; its exact spelling does not matter, as only abi3 (and
        # pure-Python) wheels are ever reused.
        tags = f"{python.removesuffix('t')}-{python}"
    return PurePath(f"project-0.1.0-{tags}-{row.tag}.whl")


def built_and_reused(identifiers: list[str], abi3_minimum: str | None) -> tuple[set[str], set[str]]:
    built: list[PurePath] = []
    reused = set()
    for identifier in identifiers:
        if find_compatible_wheel(built, identifier):
            reused.add(identifier)
        else:
            built.append(wheel_for(identifier, abi3_minimum))
    return set(identifiers) - reused, reused


def abi3_minimum(project: Path) -> str | None:
    """cp3X when the project builds abi3 wheels (pyo3's abi3-py3X feature), else None."""
    pyo3 = tomllib.loads((project / "Cargo.toml").read_text())["dependencies"]["pyo3"]
    features = [feature for feature in pyo3.get("features", []) if feature.startswith("abi3-py")]
    return "cp" + features[0].removeprefix("abi3-py") if features else None


def on(platform: str, *pythons: str) -> set[str]:
    wheels = [row.wheel for row in tables.platforms() if row.platform == platform]
    return {f"{python}-{wheel}" for python in pythons for wheel in wheels}


@pytest.mark.parametrize("platform", ARCHS)
def test_abi3_builds_one_wheel_and_a_free_threaded_one_per_platform(platform: str) -> None:
    identifiers = selected(template.ROOT, platform)
    assert sorted(identifiers) == sorted(on(platform, *CPYTHONS, *FREE_THREADED))
    built, reused = built_and_reused(identifiers, abi3_minimum(template.ROOT))
    assert built == on(platform, CPYTHONS[0], *FREE_THREADED)
    # Each later CPython tests the lowest one's abi3 wheel instead of building its own.
    assert reused == on(platform, *CPYTHONS[1:])


@pytest.mark.parametrize("platform", ARCHS)
def test_without_abi3_every_version_and_pypy_get_a_wheel(
    no_abi3_project: Path, platform: str
) -> None:
    identifiers = selected(no_abi3_project, platform)
    pypy = on(platform, PYPY) - {f"{PYPY}-{wheel}" for wheel in tables.no_pypy()}
    expected = on(platform, *CPYTHONS, *FREE_THREADED) | pypy
    assert sorted(identifiers) == sorted(expected)
    assert abi3_minimum(no_abi3_project) is None
    assert built_and_reused(identifiers, None) == (expected, set())


def test_each_runner_builds_only_its_own_architecture() -> None:
    """archs = native: no i686 next to x86_64, nothing under emulation."""
    machine = {"amd64": "x86_64", "arm64": "aarch64"}.get(host.machine().lower(), host.machine())
    result = subprocess.run(
        ["cibuildwheel", "--print-build-identifiers", "--platform", "linux", str(template.ROOT)],
        capture_output=True,
        text=True,
        check=True,
    )
    assert {identifier.split("_", 1)[1] for identifier in result.stdout.split()} == {machine}
