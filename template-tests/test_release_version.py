"""The release check every generated project runs before uploading (.github/release_version.py),
on the root's rendering of it: a tag must name the version of every file, else nothing goes."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from oxwheel_dev import paths

SCRIPT = paths.ROOT / ".github" / "release_version.py"
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


@pytest.mark.parametrize(
    ("cargo", "python"),
    [("0.2.0-rc.1", "0.2.0rc1"), ("1.0.0-alpha.2", "1.0.0a2"), ("3.1.4", "3.1.4")],
)
def test_a_pre_release_is_tagged_as_python_spells_it(
    tmp_path: Path, cargo: str, python: str
) -> None:
    (tmp_path / f"demo-{python}-cp311-abi3-win_amd64.whl").write_bytes(b"")
    assert check(f"v{python}", tmp_path).returncode == 0
    if cargo != python:
        refused = check(f"v{cargo}", tmp_path)
        assert refused.returncode == 1
        assert "as Python spells it: v0.2.0rc1" in refused.stderr


def test_a_rehearsal_checks_the_files_against_cargo_toml(tmp_path: Path) -> None:
    dist = tmp_path / "dist"
    dist.mkdir()
    (dist / "demo-0.2.0rc1-cp311-abi3-win_amd64.whl").write_bytes(b"")
    (tmp_path / "Cargo.toml").write_text('[package]\nname = "demo"\nversion = "0.2.0-rc.1"\n')
    command = [sys.executable, str(SCRIPT), "", "dist"]
    result = subprocess.run(command, cwd=tmp_path, capture_output=True, text=True, check=False)
    assert result.returncode == 0, result.stderr
    assert "a rehearsal" in result.stdout
    (tmp_path / "Cargo.toml").write_text('[package]\nname = "demo"\nversion = "0.2.1"\n')
    result = subprocess.run(command, cwd=tmp_path, capture_output=True, text=True, check=False)
    assert result.returncode == 1


@pytest.mark.parametrize(
    ("cargo", "python"),
    [("0.2.0-beta.2", "0.2.0b2"), ("1.0.0-rc", "1.0.0rc0"), ("1.0.0-dev.3", "1.0.0.dev3")],
)
def test_a_rehearsal_spells_cargo_pre_releases_as_maturin_does(
    tmp_path: Path, cargo: str, python: str
) -> None:
    dist = tmp_path / "dist"
    dist.mkdir()
    (dist / f"demo-{python}-cp311-abi3-win_amd64.whl").write_bytes(b"")
    (tmp_path / "Cargo.toml").write_text(f'[package]\nname = "demo"\nversion = "{cargo}"\n')
    command = [sys.executable, str(SCRIPT), "", "dist"]
    result = subprocess.run(command, cwd=tmp_path, capture_output=True, text=True, check=False)
    assert result.returncode == 0, result.stderr
    assert f"the tag v{python} would say" in result.stdout


def test_a_rehearsal_takes_a_static_version_or_the_manifest_of_the_package(tmp_path: Path) -> None:
    """An adopted project's version: pyproject.toml's where it sets one, else its binding
    crate's, in the package's folder (a uv workspace's member, a Cargo workspace's crate)."""
    dist = tmp_path / "dist"
    dist.mkdir()
    (dist / "demo-0.3.0-cp312-cp312-win_amd64.whl").write_bytes(b"")
    package = tmp_path / "packages" / "demo"
    (package / "crates" / "py").mkdir(parents=True)
    (package / "pyproject.toml").write_text('[project]\nname = "demo"\ndynamic = ["version"]\n')
    manifest = package / "crates" / "py" / "Cargo.toml"
    manifest.write_text('[package]\nname = "demo-py"\nversion = "0.3.0"\n')
    command = [sys.executable, str(SCRIPT), "", "dist", "packages/demo", "crates/py/Cargo.toml"]
    result = subprocess.run(command, cwd=tmp_path, capture_output=True, text=True, check=False)
    assert result.returncode == 0, result.stderr
    assert "crates/py/Cargo.toml's version" in result.stdout
    (package / "pyproject.toml").write_text('[project]\nname = "demo"\nversion = "0.4.0"\n')
    result = subprocess.run(command, cwd=tmp_path, capture_output=True, text=True, check=False)
    assert result.returncode == 1
    assert "pyproject.toml's version" in result.stdout
