"""The existing projects that the tests of `oxwheel adopt` and the replay start from: real
trees in template-tests/fixtures/, one folder each, shaped like the projects people have (the
traits each carries are in template-tests/fixtures/README.md). A project is copied into a
scratch directory and made a git repository with one commit on `main`, as its author has it."""

from __future__ import annotations

import subprocess
from pathlib import Path

from . import tables
from .golden import git_files
from .paths import FIXTURES

# The projects that build, which the test of adopt adopts; legacy-ext (setuptools-rust) is
# there to be refused.
ADOPTABLE = ("mixed-rs", "pyo3-sum", "rootpkg", "src-layout", "bindings-sub", "rootmix")
# The one the replay adopts and runs the workflows of: a uv workspace's member, so the adopted
# workflows at the repository's root work in its folder. Every adoptable one runs its tests
# through the adopted tox in test_adopt.py.
REPLAYED = "mixed-rs"


def placeholders() -> dict[bytes, bytes]:
    """What a fixture names by a placeholder, so that the tables stay its one source: rootpkg's
    own CI runs on the runner the replay stands in for."""
    runner = tables.platforms()[0].runner
    return {b"{{linux_x86_64_runner}}": runner.encode()}


def load(name: str, parent: Path, folder: Path = FIXTURES) -> Path:
    """The fixture `name` (of `folder`) copied into `parent/name` and committed there; returns
    its path."""
    source, project = folder / name, parent / name
    filled = placeholders()
    # The files git tracks, and nothing else: a build, a test run or a pre-commit hook that ran
    # cargo in the folder leaves files there (a Cargo.lock in a project that commits none),
    # which would change the traits the project stands for. A new fixture is `git add`ed first.
    for relative in sorted(git_files(source, "--cached")):
        content = (source / relative).read_bytes()
        for placeholder, value in filled.items():
            content = content.replace(placeholder, value)
        (project / relative).parent.mkdir(parents=True, exist_ok=True)
        (project / relative).write_bytes(content)
    _commit(project)
    return project


def _commit(project: Path) -> None:
    identity = ["-c", "user.name=test", "-c", "user.email=test@localhost"]
    for command in (
        ["init", "--quiet", "--initial-branch", "main"],
        ["add", "--all"],
        [*identity, "-c", "commit.gpgsign=false", "commit", "--quiet", "-m", "Initial commit"],
    ):
        subprocess.run(["git", *command], cwd=project, check=True, capture_output=True)
