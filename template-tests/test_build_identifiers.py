"""cibuildwheel selects exactly the wheels the [tool.cibuildwheel] configuration means.

`--print-build-identifiers` lists every identifier the configuration selects, each of which is
built or, with abi3, reuses an earlier compatible wheel and only runs the tests. Which of the two
happens is decided at build time by cibuildwheel's find_compatible_wheel, which these tests call
on the wheels the project makes. Run by `python3 noxfile.py -s build_identifiers`.
"""

from __future__ import annotations

import platform as host
import subprocess
import tomllib
from pathlib import Path, PurePath

import pytest
from cibuildwheel.util.packaging import find_compatible_wheel
from oxwheel_dev import identifiers, paths, render, tables
from oxwheel_dev.identifiers import selected

ARCHS = identifiers.archs()
CPYTHONS = [f"cp{tables.nodot(version)}" for version in tables.cpython()]
FREE_THREADED = [f"cp{tables.nodot(version)}t" for version in tables.free_threaded()]
PYPY = f"pp{tables.nodot(tables.pypy())}"
LOWEST = tables.cpython()[0]


@pytest.fixture(scope="module")
def no_abi3_project(tmp_path_factory: pytest.TempPathFactory) -> Path:
    parent = tmp_path_factory.mktemp("identifiers")
    return render.render(parent, "no-abi3", {"abi3": "false", "python_min": LOWEST}).path


def wheel_for(identifier: str, abi3_minimum: str | None) -> PurePath:
    """The name of the wheel the project makes for `identifier` (the version does not matter)."""
    python, platform = identifier.split("-", 1)
    (row,) = (row for row in tables.platforms() if row.wheel == platform)
    version = f"{python[2]}.{python[3:].removesuffix('t')}"
    if not abi3_minimum or not python.startswith("cp"):
        # A version-specific ABI; its exact spelling does not matter, as only stable-ABI (and
        # pure-Python) wheels are ever reused.
        tags = f"{python.removesuffix('t')}-{python}"
    elif tables.release_key(version) >= tables.release_key(tables.abi3t()):
        tags = f"cp{tables.nodot(tables.abi3t())}-abi3.abi3t"
    elif python.endswith("t"):
        tags = f"{python.removesuffix('t')}-{python}"
    else:
        tags = f"{abi3_minimum}-abi3"
    return PurePath(f"project-0.1.0-{tags}-{row.tag}.whl")


def builds(identifiers: list[str], abi3_minimum: str | None) -> dict[str, tuple[str, bool]]:
    """{identifier: (the wheel it tests, whether it built that wheel or reused an earlier one)}."""
    built: list[PurePath] = []
    wheels = {}
    for identifier in identifiers:
        reused = find_compatible_wheel(built, identifier)
        if reused is None:
            built.append(wheel_for(identifier, abi3_minimum))
        wheels[identifier] = ((reused or built[-1]).name, reused is None)
    return wheels


def built_and_reused(identifiers: list[str], abi3_minimum: str | None) -> tuple[set[str], set[str]]:
    wheels = builds(identifiers, abi3_minimum)
    built = {identifier for identifier, (_, new) in wheels.items() if new}
    return built, set(identifiers) - built


def abi3_minimum(project: Path) -> str | None:
    """cp3X when the project builds abi3 wheels (pyo3's abi3-py3X feature), else None."""
    pyo3 = tomllib.loads((project / "Cargo.toml").read_text())["dependencies"]["pyo3"]
    features = [feature for feature in pyo3.get("features", []) if feature.startswith("abi3-py")]
    return "cp" + features[0].removeprefix("abi3-py") if features else None


def on(platform: str, *pythons: str) -> set[str]:
    wheels = [row.wheel for row in tables.platforms() if row.platform == platform]
    return {f"{python}-{wheel}" for python in pythons for wheel in wheels}


@pytest.mark.parametrize("platform", ARCHS)
def test_abi3_builds_one_wheel_per_abi_per_platform(platform: str) -> None:
    """The lowest release builds the abi3 wheel and every later GIL-enabled one tests it; each
    free-threaded release before abi3t builds a version-specific wheel; the first free-threaded
    abi3t release builds the abi3t wheel."""
    identifiers = selected(paths.ROOT, platform)
    assert sorted(identifiers) == sorted(on(platform, *CPYTHONS, *FREE_THREADED))
    minimum = abi3_minimum(paths.ROOT)
    built, reused = built_and_reused(identifiers, minimum)
    assert built == on(platform, CPYTHONS[0], *FREE_THREADED)
    assert reused == on(platform, *CPYTHONS[1:])
    abi3t = f"cp{tables.nodot(tables.abi3t())}t"
    wheels = builds(identifiers, minimum)
    for identifier in on(platform, abi3t):
        assert "-abi3.abi3t-" in wheels[identifier][0]


@pytest.mark.parametrize("platform", ARCHS)
def test_no_identifier_reuses_the_abi3t_wheel(platform: str) -> None:
    """cibuildwheel's find_compatible_wheel reuses only abi3 wheels for GIL-enabled CPython and
    skips an abi3t tag, so GIL-enabled abi3t releases test the older abi3 wheel; wheels.yml
    tests the abi3t wheel on them in a step of its own, as pip prefers it there."""
    minimum = abi3_minimum(paths.ROOT)
    wheels = builds(selected(paths.ROOT, platform), minimum)
    first_abi3t = f"cp{tables.nodot(tables.abi3t())}"
    for identifier in on(platform, first_abi3t):
        lowest = f"{CPYTHONS[0]}-{identifier.split('-', 1)[1]}"
        assert wheels[identifier] == (wheel_for(lowest, minimum).name, False)
    assert "-abi3.abi3t-" not in " ".join(
        wheel
        for identifier, (wheel, _) in wheels.items()
        if not identifier.split("-")[0].endswith("t")
    )
    wheels_yml = (paths.ROOT / ".github" / "workflows" / "wheels.yml").read_text()
    assert f"Test the abi3t wheel on GIL-enabled CPython {tables.abi3t()}" in wheels_yml


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
        ["cibuildwheel", "--print-build-identifiers", "--platform", "linux", str(paths.ROOT)],
        capture_output=True,
        text=True,
        check=True,
    )
    assert {identifier.split("_", 1)[1] for identifier in result.stdout.split()} == {machine}
