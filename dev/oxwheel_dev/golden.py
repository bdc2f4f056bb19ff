"""The root as the template rendered with the root's answers: which of its files the template
renders, the root's answers, rendering the root anew, and comparing it with a rendering."""

from __future__ import annotations

import filecmp
import shutil
import subprocess
import tomllib
from pathlib import Path

from . import tables
from .paths import ANSWERS, ROOT
from .render import render

# Files of this repository that the template does not render, each with the reason.
ROOT_ONLY = {
    "README.md": "the repository's README (the template renders the generated project's own)",
    "CONTRIBUTING.md": "the guide to working on this repository",
    "noxfile.py": "orchestrates this repository",
    "cli/": "the oxwheel command: new projects and template updates (its own Cargo workspace)",
    "template/": "the template itself",
    "template-tests/": "the template's own tests, and the existing projects they adopt",
    "dev/": "this repository's tooling (the oxwheel_dev package, the programs sessions run)",
    ".ci/": "the command CI runs",
    ".github/workflows/template.yml": "runs this repository's template checks on GitHub",
    ".github/workflows/port.yml": "ports Dependabot's updates of the root into template/",
    "benchmarks/": "the root's benchmark (nox -s bench, time_to_green) and its committed results",
}


def is_root_only(relative: str) -> bool:
    return any(
        relative == entry or (entry.endswith("/") and relative.startswith(entry))
        for entry in ROOT_ONLY
    )


def root_answers(root: Path = ROOT) -> dict[str, str]:
    values = tomllib.loads((root / ANSWERS.name).read_text())["values"]
    return {
        key: str(value).lower() if isinstance(value, bool) else str(value)
        for key, value in values.items()
    }


def root_wheel_kinds() -> list[tables.WheelKind]:
    """The wheels the root ships per platform."""
    return tables.wheel_kinds(root_answers())


def distribution_name(project: Path) -> str:
    """The project's name on PyPI, from its pyproject.toml."""
    return str(tomllib.loads((project / "pyproject.toml").read_text())["project"]["name"])


def git_files(directory: Path, *which: str) -> set[str]:
    """The files `git ls-files` lists in the checkout at `directory`, with options `which`."""
    listed = subprocess.run(
        ["git", "-C", str(directory), "ls-files", "-z", *which],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    return {name for name in listed.split("\0") if name}


def project_files(directory: Path) -> set[str]:
    """Files of a checkout (tracked, or untracked and not ignored), or of a plain directory."""
    inside_git = subprocess.run(
        ["git", "-C", str(directory), "rev-parse", "--show-toplevel"],
        capture_output=True,
        text=True,
        check=False,
    )
    if inside_git.returncode == 0 and Path(inside_git.stdout.strip()) == directory.resolve():
        listed = git_files(directory, "--cached", "--others", "--exclude-standard")
        return {name for name in listed if (directory / name).is_file()}
    # Forward slashes, as git lists them, also on Windows.
    return {
        path.relative_to(directory).as_posix() for path in directory.rglob("*") if path.is_file()
    }


def differences(rendered: Path, root: Path = ROOT) -> list[str]:
    """How the root differs from a rendering of the template with the root's answers."""
    ours = {name for name in project_files(root) if not is_root_only(name)}
    theirs = {name for name in project_files(rendered) if not is_root_only(name)}
    found = [f"only in the root: {name}" for name in sorted(ours - theirs)]
    found += [f"missing from the root: {name}" for name in sorted(theirs - ours)]
    found += [
        f"differs: {name}"
        for name in sorted(ours & theirs)
        if not filecmp.cmp(root / name, rendered / name, shallow=False)
    ]
    return found


def render_root(work: Path) -> list[str]:
    """Renders the template with the root's answers into `work`, then copies every rendered
    file over the root and removes the root's files the template no longer renders. Returns
    what it did, a line each."""
    answers = root_answers()
    rendered = render(work, answers["project-name"], answers).path
    stale = {name for name in project_files(ROOT) if not is_root_only(name)}
    done = []
    for name in sorted(project_files(rendered)):
        if is_root_only(name):
            continue
        target = ROOT / name
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(rendered / name, target)
        stale.discard(name)
    # Only files git holds are removed, so that no work is lost; others are named.
    committed = git_files(ROOT, "--cached")
    for name in sorted(stale):
        if name in committed:
            done.append(f"removing {name}: the template no longer renders it")
            (ROOT / name).unlink()
        else:
            done.append(f"leaving {name}: not rendered, not in git, not in ROOT_ONLY")
    return [*done, f"rendered {rendered} over {ROOT}"]


def copy_root(destination: Path) -> Path:
    """The root's project files (not the root-only ones) copied into `destination`, with the
    fuzz workspace starting from the root's Cargo.lock: the dependency versions wheels ship."""
    for name in project_files(ROOT):
        if not is_root_only(name):
            (destination / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(ROOT / name, destination / name)
    shutil.copy2(ROOT / "Cargo.lock", destination / "fuzz" / "Cargo.lock")
    return destination
