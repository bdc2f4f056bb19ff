"""`nox -s outdated` against a stand-in of the three registries it asks (GitHub's releases API,
PyPI's JSON API, crates.io's sparse index), served from a directory on the loopback interface:
every pin current except the one release made newer, and an unreachable registry reported
without failing. Run by `python3 noxfile.py -s pins`."""

from __future__ import annotations

import json
import socket
import subprocess
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from functools import partial
from http.server import SimpleHTTPRequestHandler
from pathlib import Path

import pytest
from oxwheel_dev import outdated, paths
from oxwheel_dev.package_index import serving

NEWER = ("python", "cibuildwheel")


def exact(pinned: str) -> str:
    """The release a pin names, at three places (`>=4.30` is met by 4.30.0, `v7.0.1` by v7.0.1)."""
    written = outdated.VERSION.search(pinned)
    assert written, pinned
    version = written[0] + ".0" * max(0, 2 - written[0].count("."))
    return "v" + version if pinned.startswith("v") else version


def bumped(version: str) -> str:
    parts = version.split(".")
    return ".".join([*parts[:-1], str(int(parts[-1]) + 1)])


def write(path: Path, text: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text)


def stand_in(directory: Path) -> None:
    """Each pin's registry entry at the pinned version; cibuildwheel one release further; a
    crate's newer version yanked and a newer pre-release, which are no releases."""
    for pin in outdated.all_pins(paths.ROOT):
        version = exact(pin.pinned)
        if (pin.kind, pin.name) == NEWER:
            version = bumped(version)
        if pin.kind in ("action", "hook"):
            write(
                directory / "repos" / pin.name / "releases" / "latest",
                json.dumps({"tag_name": version}),
            )
        elif pin.kind == "python":
            write(
                directory / "pypi" / pin.name / "json", json.dumps({"info": {"version": version}})
            )
        else:
            lines: list[dict[str, object]] = [{"vers": version}]
            lines.append({"vers": bumped(version), "yanked": True})
            lines.append({"vers": f"{bumped(version)}-rc.1", "yanked": False})
            text = "\n".join(json.dumps({"name": pin.name, **line}) for line in lines)
            write(directory / "crates" / outdated.sparse_path(pin.name), text + "\n")


class QuietFiles(SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: object) -> None:
        pass


@contextmanager
def serve(directory: Path) -> Iterator[str]:
    """`directory`'s files over HTTP on the loopback interface; yields the base URL."""
    with serving(partial(QuietFiles, directory=str(directory))) as url:
        yield url


@pytest.fixture(scope="module")
def registry(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    directory = tmp_path_factory.mktemp("registry")
    stand_in(directory)
    with serve(directory) as url:
        yield url


def closed_port() -> str:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return f"http://127.0.0.1:{probe.getsockname()[1]}"


def test_every_kind_of_pin_is_listed() -> None:
    kinds = {pin.kind for pin in outdated.all_pins(paths.ROOT)}
    names = {pin.name for pin in outdated.all_pins(paths.ROOT)}
    assert {"action", "python", "crate"} <= kinds
    assert {"actions/checkout", "cibuildwheel", "maturin", "pyo3", "cargo-generate"} <= names


def test_the_one_newer_release_is_the_one_behind(registry: str) -> None:
    rows = outdated.check(paths.ROOT, outdated.Registries(registry, registry, f"{registry}/crates"))
    behind = [(r.pin.kind, r.pin.name, r.newest) for r in rows if r.status != "current"]
    cibuildwheel = next(r for r in rows if (r.pin.kind, r.pin.name) == NEWER)
    assert behind == [(*NEWER, bumped(exact(cibuildwheel.pin.pinned)))]


def test_an_unreachable_registry_is_reported_and_the_rest_still_checked(registry: str) -> None:
    command = [sys.executable, "-m", "oxwheel_dev.outdated", "--root", str(paths.ROOT)]
    command += ["--github", closed_port(), "--pypi", registry, "--crates", f"{registry}/crates"]
    result = subprocess.run(command, capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    actions = [line for line in lines if line.startswith("action ")]
    assert actions
    assert all("unreachable" in line for line in actions)
    assert any(
        line.startswith("python ") and "cibuildwheel" in line and " behind " in line
        for line in lines
    )
    assert "not checked (registry unreachable)" in lines[-1]


@pytest.mark.parametrize(
    ("requirement", "newest", "admitted"),
    [
        ("0.4.35", "0.4.36", True),  # caret: the same leftmost non-zero part
        ("0.4.35", "0.5.0", False),
        ("0.0.3", "0.0.4", False),
        ("1.25", "1.27.0", True),
        ("1.25", "2.0.0", False),
        ("~1.1", "1.1.8", True),
        ("~1.1", "1.2.0", False),
        ("=0.23.14", "0.23.15", False),
    ],
)
def test_cargo_requirements_admit_as_cargo_does(
    requirement: str, newest: str, admitted: bool
) -> None:
    assert outdated.cargo_admits(requirement, newest) is admitted


def test_semver_pre_releases_and_yanked_versions_are_not_the_newest(tmp_path: Path) -> None:
    """`1.1.0-1` is a semver pre-release, though PEP 440 would read it as a post-release."""
    lines = [{"vers": "1.0.0"}, {"vers": "1.1.0-1"}, {"vers": "1.0.1", "yanked": True}]
    lines.append({"vers": "1.0.2+build.7"})
    write(tmp_path / "crates" / "de" / "mo" / "demo", "\n".join(json.dumps(line) for line in lines))
    with serve(tmp_path) as base:
        registries = outdated.Registries(base, base, f"{base}/crates")
        assert outdated.newest_crate(registries, "demo") == "1.0.2+build.7"
