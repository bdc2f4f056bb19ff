"""Rendering the template with cargo-generate, and comparing the root with a rendering."""

from __future__ import annotations

import filecmp
import os
import re
import shutil
import subprocess
import tomllib
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent.parent
TEMPLATE = ROOT / "template"
ANSWERS = ROOT / "oxwheel-answers.toml"
CARGO_GENERATE_VERSION = "0.23.14"
# cargo-generate 0.23.14 is the newest release that builds with `--locked` on stable Rust 1.95;
# it is built once and kept here, outside any checkout.
CARGO_GENERATE_HOME = (
    Path.home() / ".cache" / "oxwheel" / f"cargo-generate-{CARGO_GENERATE_VERSION}"
)
CARGO_GENERATE = (
    CARGO_GENERATE_HOME / "bin" / ("cargo-generate.exe" if os.name == "nt" else "cargo-generate")
)

# Files of this repository that the template does not render, each with the reason.
ROOT_ONLY = {
    "README.md": "the repository's README (the template renders the generated project's own)",
    "noxfile.py": "orchestrates this repository",
    "oxwheel-answers.toml": "the answers that render the root",
    "template/": "the template itself",
    "template-tests/": "the template's own tests",
    "dev/": "this repository's tooling (the oxwheel_dev package, the programs sessions run)",
    ".ci/": "the command CI runs",
    ".github/workflows/template.yml": "runs this repository's template checks on GitHub",
    "benchmarks/": "the root's benchmark (nox -s bench, time_to_green) and its committed results",
}


def is_root_only(relative: str) -> bool:
    return any(
        relative == entry or (entry.endswith("/") and relative.startswith(entry))
        for entry in ROOT_ONLY
    )


def root_answers() -> dict[str, str]:
    values = tomllib.loads(ANSWERS.read_text())["values"]
    return {
        key: str(value).lower() if isinstance(value, bool) else str(value)
        for key, value in values.items()
    }


class RenderRefused(Exception):
    """cargo-generate refused the answers; nothing was left behind."""


@dataclass
class Rendered:
    path: Path
    log: str


def ensure_cargo_generate() -> Path:
    """Builds the pinned cargo-generate once (4-10 minutes on two cores) and reuses it."""
    if CARGO_GENERATE.exists():
        version = subprocess.run(
            [CARGO_GENERATE, "--version"], capture_output=True, text=True, check=False
        ).stdout
        if CARGO_GENERATE_VERSION in version:
            return CARGO_GENERATE
    print(
        f"building cargo-generate {CARGO_GENERATE_VERSION} into {CARGO_GENERATE_HOME} (once)",
        flush=True,
    )
    subprocess.run(
        [
            "cargo",
            "install",
            f"cargo-generate@{CARGO_GENERATE_VERSION}",
            "--locked",
            "--root",
            CARGO_GENERATE_HOME,
        ],
        check=True,
    )
    return CARGO_GENERATE


def render(parent: Path, name: str, values: dict[str, str]) -> Rendered:
    """Renders the template into `parent/name`.

    cargo-generate creates the project directory before it asks for or checks the answers, so a
    refused answer would leave an empty directory behind: remove it, and raise RenderRefused
    with cargo-generate's message.
    """
    existed = set(parent.iterdir()) if parent.exists() else set()
    parent.mkdir(parents=True, exist_ok=True)
    command = [
        str(ensure_cargo_generate()),
        "generate",
        "--path",
        str(TEMPLATE),
        "--name",
        name,
        "--destination",
        str(parent),
        "--vcs",
        "none",
        "--silent",
    ]
    for key, value in values.items():
        if key != "project-name":
            command += ["--define", f"{key}={value}"]
    environment = {**os.environ, "RUST_BACKTRACE": "0", "RUST_LIB_BACKTRACE": "0", "NO_COLOR": "1"}
    result = subprocess.run(
        command,
        capture_output=True,
        text=True,
        env=environment,
        stdin=subprocess.DEVNULL,
        check=False,
    )
    log = result.stdout + result.stderr
    created = set(parent.iterdir()) - existed
    if result.returncode != 0:
        for path in created:
            shutil.rmtree(path)
        raise RenderRefused(refusal_message(log))
    # cargo-generate may have renamed the project ("My Project" -> "my-project").
    (project,) = created
    return Rendered(project, log)


def refusal_message(log: str) -> str:
    """The lines of cargo-generate's output that say why, without the progress lines."""
    lines = [line.strip() for line in log.splitlines()]
    wanted = [
        line
        for line in lines
        if line and not line.startswith("🔧") and not line.startswith("Stack backtrace")
    ]
    return "\n".join(wanted)


def project_files(directory: Path) -> set[str]:
    """Files of a checkout (tracked, or untracked and not ignored), or of a plain directory."""
    inside_git = subprocess.run(
        ["git", "-C", str(directory), "rev-parse", "--show-toplevel"],
        capture_output=True,
        text=True,
        check=False,
    )
    if inside_git.returncode == 0 and Path(inside_git.stdout.strip()) == directory.resolve():
        listed = subprocess.run(
            [
                "git",
                "-C",
                str(directory),
                "ls-files",
                "-z",
                "--cached",
                "--others",
                "--exclude-standard",
            ],
            capture_output=True,
            text=True,
            check=True,
        ).stdout
        return {name for name in listed.split("\0") if name and (directory / name).is_file()}
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
    for name in sorted(stale):
        done.append(f"removing {name}: the template no longer renders it")
        (ROOT / name).unlink()
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


def cibuildwheel() -> str:
    """The cibuildwheel release the template's wheels.yml pins (e.g. "3.3.0")."""
    wheels_yml = (TEMPLATE / ".github" / "workflows" / "wheels.yml").read_text()
    pinned = re.search(r"pypa/cibuildwheel@[0-9a-f]{40} # v(\S+)", wheels_yml)
    if pinned is None:
        raise ValueError("the template's wheels.yml pins no cibuildwheel release")
    return pinned[1]
