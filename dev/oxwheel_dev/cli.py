"""The oxwheel command as the template's tests run it: the binary `nox -s update` builds (named
in OXWHEEL, and the one built with its test hooks in OXWHEEL_TEST_HOOKS), git, and projects made
from an older template revision to update."""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

from . import paths, render

# "Template tests: keep the Case alias for mypy...", the last commit before the template
# supported CPython 3.15 (4615a9a added it).
BEFORE_3_15 = "23b501b"
# The last revision whose projects answered `showcase = true/false` rather than `patterns`.
BEFORE_PATTERNS = "011b33d"
IDENTITY = ["-c", "user.name=Dev", "-c", "user.email=dev@example.com"]


def binary(hooks: bool = False) -> str:
    variable = "OXWHEEL_TEST_HOOKS" if hooks else "OXWHEEL"
    found = os.environ.get(variable)
    if not found:
        raise RuntimeError(f"{variable} names no oxwheel binary: run python3 noxfile.py -s update")
    return found


def environment() -> dict[str, str]:
    return {**render.without_cargo_generate_settings(), "NO_COLOR": "1"}


def oxwheel(
    *arguments: str, cwd: Path, hooks: bool = False, env: dict[str, str] | None = None
) -> subprocess.CompletedProcess[str]:
    command = [binary(hooks), *arguments]
    environment_ = {**environment(), **(env or {})}
    return subprocess.run(
        command, cwd=cwd, env=environment_, capture_output=True, text=True, check=False
    )


def git(*arguments: str, cwd: Path) -> str:
    result = subprocess.run(
        ["git", *IDENTITY, *arguments], cwd=cwd, capture_output=True, text=True, check=False
    )
    if result.returncode != 0:
        raise RuntimeError(f"git {' '.join(arguments)}: {result.stderr}")
    return result.stdout


def commit(project: Path, message: str) -> None:
    git("add", "--all", cwd=project)
    git("commit", "--quiet", "--message", message, cwd=project)


def old_project(parent: Path, name: str, revision: str = BEFORE_3_15) -> Path:
    """A project `oxwheel new` made from the template at `revision` (with its first commit)."""
    made = oxwheel("new", name, "--template", str(paths.ROOT), "--revision", revision, cwd=parent)
    if made.returncode != 0:
        raise RuntimeError(f"oxwheel new: {made.stderr}")
    project = parent / name
    if not (project / ".git").exists():  # made by an oxwheel from before `new` made one
        git("init", "--quiet", cwd=project)
        commit(project, "generated")
    return project


def snapshot(tree: Path) -> dict[str, tuple[str, int, bytes | str]]:
    """Every entry below `tree` (.git aside): its kind, mode, and bytes or link target."""
    found: dict[str, tuple[str, int, bytes | str]] = {}
    for directory, folders, files in os.walk(tree):  # symbolic links are not followed
        folders[:] = [name for name in folders if name != ".git" or Path(directory) != tree]
        for name in [*folders, *files]:
            path = Path(directory) / name
            relative = path.relative_to(tree).as_posix()
            mode = path.lstat().st_mode
            if path.is_symlink():
                found[relative] = ("link", mode, os.readlink(path))
            elif path.is_file():
                found[relative] = ("file", mode, path.read_bytes())
            else:
                found[relative] = ("other", mode, b"")
    return found
