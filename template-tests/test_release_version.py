"""The release check every generated project runs before uploading (.github/release_version.py),
on the root's rendering of it: a tag must name the version of every file, else nothing goes."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from oxwheel_dev import render

SCRIPT = render.ROOT / ".github" / "release_version.py"
FILES = ["demo-0.2.0-cp311-abi3-manylinux_2_28_x86_64.whl", "demo-0.2.0.tar.gz"]


def check(tag: str, directory: Path) -> subprocess.CompletedProcess[str]:
    command = [sys.executable, str(SCRIPT), tag, str(directory)]
    return subprocess.run(command, capture_output=True, text=True, check=False)


@pytest.fixture
def dist(tmp_path: Path) -> Path:
    for name in FILES:
        (tmp_path / name).write_bytes(b"")
    return tmp_path


def test_a_matching_tag_passes(dist: Path) -> None:
    result = check("v0.2.0", dist)
    assert result.returncode == 0, result.stderr
    assert "matches all 2 files" in result.stdout


@pytest.mark.parametrize("tag", ["v0.1.0", "v0.2.1", "v0.2"])
def test_a_forgotten_bump_is_refused_naming_each_file(dist: Path, tag: str) -> None:
    result = check(tag, dist)
    assert result.returncode == 1
    for name in FILES:
        assert f"error: {name} is version 0.2.0, but the release tag {tag} says" in result.stderr
    assert "Nothing was uploaded" in result.stderr


def test_a_tag_without_v_is_refused(dist: Path) -> None:
    result = check("0.2.0", dist)
    assert result.returncode == 1
    assert "does not start with 'v'" in result.stderr


def test_an_empty_directory_is_refused(tmp_path: Path) -> None:
    result = check("v0.2.0", tmp_path)
    assert result.returncode == 1
    assert "holds no wheel and no sdist" in result.stderr


def test_one_stray_file_of_another_version_is_enough(dist: Path) -> None:
    (dist / "demo-0.1.9-cp311-abi3-win_amd64.whl").write_bytes(b"")
    result = check("v0.2.0", dist)
    assert result.returncode == 1
    assert result.stderr.count("error:") == 1
