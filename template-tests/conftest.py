"""Fixtures shared by the template's tests."""

from __future__ import annotations

import shutil
import subprocess
from collections.abc import Callable
from pathlib import Path

import pytest
from oxwheel_dev import golden, paths, render, tables

# Existing projects, which the tests copy and adopt: their own tests are not this suite's.
collect_ignore = ["fixtures"]


@pytest.fixture(scope="session")
def repository(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """This checkout's files (tracked, or new and not ignored) as a git repository of one
    commit: what GitHub would serve once they are pushed, for the `--git` forms."""
    clone = tmp_path_factory.mktemp("github") / "oxwheel"
    for name in sorted(golden.git_files(paths.ROOT, "--cached", "--others", "--exclude-standard")):
        source = paths.ROOT / name
        if source.is_file():
            (clone / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(source, clone / name)
    git = ["git", "-C", str(clone)]
    identity = ["-c", "user.name=test", "-c", "user.email=test@localhost"]
    subprocess.run([*git, "init", "--quiet", "--initial-branch", "main"], check=True)
    subprocess.run([*git, "add", "--all"], check=True)
    subprocess.run([*git, *identity, "commit", "--quiet", "--message", "pushed"], check=True)
    return clone


@pytest.fixture(scope="session")
def variant_project(tmp_path_factory: pytest.TempPathFactory) -> Callable[[str], Path]:
    """The project of a variant of dev/variants.toml by its name, rendered once for every test
    of the session that reads it."""
    rendered: dict[str, Path] = {}

    def project(name: str) -> Path:
        if name not in rendered:
            parent = tmp_path_factory.mktemp("variants")
            rendered[name] = render.render(parent, name, tables.variant(name).answers).path
        return rendered[name]

    return project
