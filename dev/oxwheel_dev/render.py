"""Rendering the template with cargo-generate, and comparing the root with a rendering."""

from __future__ import annotations

import difflib
import filecmp
import os
import shutil
import subprocess
import tomllib
from dataclasses import dataclass
from pathlib import Path

from . import tables

ROOT = Path(__file__).resolve().parent.parent.parent
TEMPLATE = ROOT / "template"
ANSWERS = ROOT / "oxwheel-answers.toml"
# The programs the sessions run (demo, smoke test, ...).
PROGRAMS = ROOT / "dev" / "programs"
CACHE = Path.home() / ".cache" / "oxwheel"
EXE = ".exe" if os.name == "nt" else ""
# The oxwheel command renders everything here (cli/, cargo-generate linked as a library); its
# build outputs live outside any checkout and are shared with cargo-generate's own build.
CLI_TARGET = CACHE / "cli-target"
OXWHEEL = CLI_TARGET / "release" / f"oxwheel{EXE}"
# Plain cargo-generate, for the witnesses of what people run without oxwheel: 0.23.14 is the
# newest release that builds with `--locked` on stable Rust 1.95.
CARGO_GENERATE_VERSION = "0.23.14"
CARGO_GENERATE_HOME = CACHE / f"cargo-generate-{CARGO_GENERATE_VERSION}"
CARGO_GENERATE = CARGO_GENERATE_HOME / "bin" / f"cargo-generate{EXE}"

# Files of this repository that the template does not render, each with the reason.
ROOT_ONLY = {
    "README.md": "the repository's README (the template renders the generated project's own)",
    "noxfile.py": "orchestrates this repository",
    "cli/": "the oxwheel command: new projects and template updates (its own Cargo workspace)",
    "template/": "the template itself",
    "template-tests/": "the template's own tests",
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
    """The wheels the root ships per platform (it is an abi3 project)."""
    return tables.abi3_wheel_kinds(root_answers()["python_min"])


def distribution_name(project: Path) -> str:
    """The project's name on PyPI, from its pyproject.toml."""
    return str(tomllib.loads((project / "pyproject.toml").read_text())["project"]["name"])


# The exit status of `oxwheel render` for a refused answer.
REFUSED = 3


class RenderRefused(Exception):
    """The template's rules refused an answer; nothing was left behind."""


@dataclass
class Rendered:
    path: Path
    log: str


def ensure_oxwheel() -> Path:
    """The oxwheel command built from this checkout's cli/ (release, locked); cargo only
    rebuilds what changed, and the first build (cargo-generate's crates) takes a few minutes."""
    manifest = ROOT / "cli" / "Cargo.toml"
    build = ["cargo", "build", "--release", "--locked", "--quiet", "--manifest-path", str(manifest)]
    subprocess.run(build, check=True, env={**os.environ, "CARGO_TARGET_DIR": str(CLI_TARGET)})
    return OXWHEEL


def ensure_cargo_generate() -> Path:
    """The pinned cargo-generate, built once, for the plain cargo-generate witnesses."""
    if CARGO_GENERATE.exists():
        return CARGO_GENERATE
    print(
        f"building cargo-generate {CARGO_GENERATE_VERSION} into {CARGO_GENERATE_HOME}", flush=True
    )
    install = ["cargo", "install", f"cargo-generate@{CARGO_GENERATE_VERSION}", "--locked"]
    install += ["--root", str(CARGO_GENERATE_HOME)]
    # The same crates as oxwheel's: built once for both.
    subprocess.run(install, check=True, env={**os.environ, "CARGO_TARGET_DIR": str(CLI_TARGET)})
    return CARGO_GENERATE


def without_cargo_generate_settings() -> dict[str, str]:
    """This environment without CARGO_GENERATE_* variables, which would answer for the template."""
    return {key: value for key, value in os.environ.items() if not key.startswith("CARGO_GENERATE")}


def render(parent: Path, name: str, values: dict[str, str], template: Path = TEMPLATE) -> Rendered:
    """Renders the template into `parent/name` with `oxwheel render`; a refused answer raises
    RenderRefused with the rule it breaks, and leaves nothing in `parent`."""
    parent.mkdir(parents=True, exist_ok=True)
    command = [str(ensure_oxwheel()), "render", "--template", str(template)]
    # --name=VALUE: a name such as -rf is the name, not options.
    command += ["--destination", str(parent), f"--name={name}"]
    for key, value in values.items():
        if key != "project-name":
            command.append(f"--define={key}={value}")
    result = subprocess.run(
        command,
        capture_output=True,
        text=True,
        env={**without_cargo_generate_settings(), "NO_COLOR": "1"},
        stdin=subprocess.DEVNULL,
        check=False,
    )
    said = result.stderr.strip().removeprefix("oxwheel: ")
    if result.returncode == REFUSED:
        raise RenderRefused(said.removeprefix("refused, nothing was created: "))
    if result.returncode != 0:
        raise RuntimeError(f"oxwheel render failed: {said}")
    # cargo-generate may have renamed the project ("My Project" -> "my-project").
    return Rendered(Path(result.stdout.strip().splitlines()[-1]), result.stdout)


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


# wheels.yml installs cibuildwheel from this file, every file pinned by its hash.
CIBUILDWHEEL = TEMPLATE / ".github" / "requirements" / "cibuildwheel.txt"


# The template keeps one lockfile per option set; the hook renames the one that fits.
LOCKFILES = {"core": "Cargo.lock", "showcase": "Cargo.showcase.lock", "none": "Cargo.none.lock"}


def template_sources(rendered_name: str, answers: dict[str, str]) -> list[str]:
    """The template files a root file is rendered from: the first is its own source; for the
    lockfile, the other option sets' lockfiles follow, to take the same crate updates."""
    if rendered_name == "Cargo.lock":
        own = LOCKFILES[answers["patterns"]]
        return [own, *(name for name in LOCKFILES.values() if name != own)]
    return [rendered_name.replace(f"python/{answers['module_name']}/", "python/{{module_name}}/")]


def carry(
    template_text: str, base: str, changed: str, *, skip_unplaced: bool = False
) -> str | None:
    """`template_text` with each change from `base` to `changed` made to it, or None when one
    cannot be placed (unless `skip_unplaced`, which leaves it out). A changed block is placed
    where its old lines stand in the template after the same lines that stand before it in
    `base` (none to three, as many as it takes to find exactly one place), so lines next to
    Liquid in the template take changes too."""
    old_lines, new_lines = base.splitlines(keepends=True), changed.splitlines(keepends=True)
    matcher = difflib.SequenceMatcher(a=old_lines, b=new_lines, autojunk=False)
    text = template_text
    done = set()
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        old_block, new_block = "".join(old_lines[i1:i2]), "".join(new_lines[j1:j2])
        if tag == "equal" or (old_block, new_block) in done:
            continue
        for before in range(min(i1, 3) + 1):
            anchor = "".join(old_lines[i1 - before : i1])
            if (anchor + old_block) and text.count(anchor + old_block) == 1:
                text = text.replace(anchor + old_block, anchor + new_block)
                break
        else:
            # The same lines changed the same way wherever they stand (an action pinned in
            # every job): change them everywhere the template has them.
            everywhere = old_block and changed.count(old_block) == 0
            if everywhere and text.count(old_block) == base.count(old_block):
                text = text.replace(old_block, new_block)
                done.add((old_block, new_block))
            elif not skip_unplaced:
                return None
    return text


def port(work: Path, root: Path = ROOT) -> list[str]:
    """Carries into `root`/template the changes made to the root's rendered files since they
    were rendered (what Dependabot does: action pins, crate and Python requirements,
    Cargo.lock): each change between the fresh rendering and the root's file is made to the
    template file it came from. Writes nothing unless every change finds its place; returns
    what it ported, or raises RenderRefused naming what it could not place."""
    answers = root_answers(root)
    template = root / "template"
    rendered = render(work, answers["project-name"], answers, template).path
    ported: dict[str, str] = {}
    refused = []
    for line in differences(rendered, root):
        kind, name = line.split(": ", 1)
        if kind != "differs":
            refused.append(f"{name}: {kind}, which only the template can change")
            continue
        base, changed = (rendered / name).read_text(), (root / name).read_text()
        own, *others = template_sources(name, answers)
        text = carry((template / own).read_text(), base, changed)
        if text is None:
            refused.append(f"{name}: a change has no place in template/{own}")
            continue
        ported[own] = text
        # The other option set's lockfile takes the updates of the crates it locks too.
        for other in others:
            ported[other] = (
                carry((template / other).read_text(), base, changed, skip_unplaced=True) or ""
            )
    if refused:
        raise RenderRefused("\n".join(["nothing was ported:", *refused]))
    written = []
    for source, text in ported.items():
        if text != (template / source).read_text():
            (template / source).write_text(text)
            written.append(f"ported into template/{source}")
    return written
