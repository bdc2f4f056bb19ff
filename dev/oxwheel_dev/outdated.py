"""Every pin of the root (the template rendered) and of the oxwheel command, against the newest
release its registry serves: GitHub for actions and pre-commit hooks, PyPI for Python packages,
crates.io's sparse index for crates. A registry that does not answer is reported, never fatal:
this is a maintainer's report, not a check."""

from __future__ import annotations

import json
import re
import tomllib
import urllib.error
import urllib.request
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

import yaml
from packaging.requirements import Requirement
from packaging.specifiers import SpecifierSet
from packaging.utils import canonicalize_name
from packaging.version import InvalidVersion, Version


@dataclass(frozen=True)
class Registries:
    github: str = "https://api.github.com"
    pypi: str = "https://pypi.org"
    crates: str = "https://index.crates.io"


@dataclass(frozen=True)
class Pin:
    kind: str  # "action", "hook", "python" or "crate"
    name: str
    # As written: a tag, or a requirement (`==4.3.5`, `>=1.16,<2`, `0.4.35`, `=0.23.14`).
    pinned: str
    where: str  # the file that holds it, relative to the root


class NoRelease(Exception):
    """The registry answered, and lists no release to compare with."""


@dataclass(frozen=True)
class Row:
    pin: Pin
    newest: str | None
    status: str


VERSION = re.compile(r"\d+(?:\.\d+)*")
NAME = re.compile(r"^[A-Za-z0-9._-]+\s*(?:\[[^\]]*\])?")
USES = re.compile(r"^([\w.-]+/[\w.-]+)(?:/[^@]*)?@[0-9a-f]{40}\s*#\s*(\S+)")


def action_pins(root: Path) -> Iterator[Pin]:
    for workflow in sorted((root / ".github" / "workflows").glob("*.yml")):
        for line in workflow.read_text().splitlines():
            uses = line.strip().removeprefix("- ").removeprefix("uses:").strip()
            if line.strip().startswith(("uses:", "- uses:")) and (match := USES.match(uses)):
                yield Pin("action", match[1], match[2], str(workflow.relative_to(root)))


def hook_pins(root: Path) -> Iterator[Pin]:
    config = root / ".pre-commit-config.yaml"
    for repo in yaml.safe_load(config.read_text()).get("repos", []):
        url = str(repo.get("repo", ""))
        if url.startswith("https://github.com/") and "rev" in repo:
            name = url.removeprefix("https://github.com/").removesuffix(".git")
            yield Pin("hook", name, str(repo["rev"]), config.name)


def requirement_pins(lines: list[str], where: str) -> Iterator[Pin]:
    """The requirements that name a version (`maturin>=1.16,<2`, `cibuildwheel==4.3.5`)."""
    for line in lines:
        text = line.split("#", 1)[0].strip()
        if text and not text.startswith("-"):
            requirement = Requirement(text)
            if requirement.specifier:
                written = NAME.sub("", text.split(";", 1)[0]).strip()  # as written, in its order
                yield Pin("python", canonicalize_name(requirement.name), written, where)


def python_pins(root: Path) -> Iterator[Pin]:
    pyproject = tomllib.loads((root / "pyproject.toml").read_text())
    requirements = list(pyproject["build-system"]["requires"])
    for group in pyproject.get("dependency-groups", {}).values():
        requirements += [entry for entry in group if isinstance(entry, str)]
    yield from requirement_pins(requirements, "pyproject.toml")
    for source in sorted((root / ".github" / "requirements").glob("*.in")):
        yield from requirement_pins(source.read_text().splitlines(), str(source.relative_to(root)))


def crate_pins(root: Path, manifest: str) -> Iterator[Pin]:
    cargo = tomllib.loads((root / manifest).read_text())
    for table in ("dependencies", "dev-dependencies", "build-dependencies"):
        for name, spec in cargo.get(table, {}).items():
            detailed = spec if isinstance(spec, dict) else {"version": spec}
            if "version" in detailed:  # a path or git dependency has no registry version
                crate = detailed.get("package", name)  # a dependency renamed in the manifest
                yield Pin("crate", crate, detailed["version"].strip(), manifest)


def all_pins(root: Path) -> list[Pin]:
    manifests = ["Cargo.toml", "cli/Cargo.toml"]
    pins = [*action_pins(root), *hook_pins(root), *python_pins(root)]
    pins += [pin for manifest in manifests for pin in crate_pins(root, manifest)]
    unique = {(pin.kind, pin.name, pin.pinned): pin for pin in pins}
    return sorted(unique.values(), key=lambda pin: (pin.kind, pin.name, pin.where))


def _get(url: str) -> bytes:
    request = urllib.request.Request(url, headers={"User-Agent": "oxwheel-outdated"})
    with urllib.request.urlopen(request, timeout=15) as response:
        return bytes(response.read())


def sparse_path(crate: str) -> str:
    """Where crates.io's sparse index keeps a crate's versions (by the length of its name)."""
    name = crate.lower()
    if len(name) <= 2:
        return f"{len(name)}/{name}"
    if len(name) == 3:
        return f"3/{name[0]}/{name}"
    return f"{name[:2]}/{name[2:4]}/{name}"


def _release(text: str) -> Version | None:
    try:
        version = Version(text.lstrip("v"))
    except InvalidVersion:
        return None
    return None if version.is_prerelease else version


def newest_crate(registries: Registries, crate: str) -> str:
    """The highest release no one yanked; the index lists one JSON object per version."""
    lines = _get(f"{registries.crates}/{sparse_path(crate)}").decode().splitlines()
    entries = [json.loads(line) for line in lines if line.strip()]
    # A "-" starts a semver pre-release (PEP 440 would read `1.0.0-1` as a post-release).
    releases = [
        (version, entry["vers"])
        for entry in entries
        if not entry.get("yanked")
        and "-" not in entry["vers"].split("+", 1)[0]
        and (version := _release(entry["vers"])) is not None
    ]
    if not releases:
        raise NoRelease(f"{crate} has no release that is not yanked")
    return str(max(releases)[1])


def newest_python(registries: Registries, package: str) -> str:
    return str(json.loads(_get(f"{registries.pypi}/pypi/{package}/json"))["info"]["version"])


def newest_github(registries: Registries, repository: str) -> str:
    return str(
        json.loads(_get(f"{registries.github}/repos/{repository}/releases/latest"))["tag_name"]
    )


def is_behind(pinned: str, newest: str) -> bool:
    """Whether the newest release is past the version written in the pin, at its own
    precision: `1.16` is current while the newest is 1.16.x; `0.4.35` is behind 0.4.36."""
    written = VERSION.search(pinned)
    have, latest = _release(written[0] if written else pinned), _release(newest)
    if have is None or latest is None:
        return pinned.lstrip("v") != newest.lstrip("v")
    return latest.release[: len(have.release)] > have.release


def cargo_admits(requirement: str, newest: str) -> bool:
    """Whether a Cargo requirement lets `newest` in: `=x.y.z` exact, `~x.y` the same minor
    release, otherwise caret (the same leftmost non-zero part); other forms are not read."""
    have, latest = _release(requirement.lstrip("=^~ ")), _release(newest)
    if requirement.startswith("=") or have is None or latest is None or latest < have:
        return False
    parts = have.release
    if requirement.startswith("~"):
        return latest.release[: min(len(parts), 2)] == parts[:2]
    leading = next((index for index, part in enumerate(parts) if part), len(parts) - 1)
    return latest.release[: leading + 1] == parts[: leading + 1]


def admits(pin: Pin, newest: str) -> bool:
    """Whether the pin is a range the newest release falls in (it is then used already)."""
    if pin.kind == "python":
        return not pin.pinned.startswith("==") and SpecifierSet(pin.pinned).contains(newest)
    return pin.kind == "crate" and cargo_admits(pin.pinned, newest)


def status(pin: Pin, newest: str) -> str:
    if not is_behind(pin.pinned, newest):
        return "current"
    return "admitted" if admits(pin, newest) else "behind"


def row(pin: Pin, newest: Callable[[Pin], str]) -> Row:
    try:
        latest = newest(pin)
    except NoRelease as missing:
        return Row(pin, None, f"no release: {missing}")
    except (OSError, ValueError, KeyError) as error:
        reason = error.reason if isinstance(error, urllib.error.URLError) else error
        return Row(pin, None, f"unreachable: {reason}")
    return Row(pin, latest, status(pin, latest))


def check(root: Path, registries: Registries) -> list[Row]:
    lookups: dict[str, Callable[[Pin], str]] = {
        "action": lambda pin: newest_github(registries, pin.name),
        "hook": lambda pin: newest_github(registries, pin.name),
        "python": lambda pin: newest_python(registries, pin.name),
        "crate": lambda pin: newest_crate(registries, pin.name),
    }
    pins = all_pins(root)
    with ThreadPoolExecutor(max_workers=8) as pool:
        return list(pool.map(lambda pin: row(pin, lookups[pin.kind]), pins))


def table(rows: list[Row]) -> list[str]:
    header = ("kind", "name", "pinned", "newest", "status", "where")
    cells = [header] + [
        (r.pin.kind, r.pin.name, r.pin.pinned, r.newest or "-", r.status, r.pin.where) for r in rows
    ]
    widths = [max(len(line[column]) for line in cells) for column in range(len(header))]
    return [
        "  ".join(cell.ljust(width) for cell, width in zip(line, widths, strict=True)).rstrip()
        for line in cells
    ]


def main(argv: list[str] | None = None) -> int:
    import argparse

    parser = argparse.ArgumentParser(description=__doc__)
    for field in ("github", "pypi", "crates"):
        parser.add_argument(f"--{field}", default=getattr(Registries, field), help="base URL")
    parser.add_argument("--root", type=Path, default=Path.cwd())
    options = parser.parse_args(argv)
    registries = Registries(options.github, options.pypi, options.crates)
    rows = check(options.root, registries)
    print("\n".join(table(rows)))
    count = {
        word: sum(r.status.startswith(word) for r in rows) for word in ("behind", "unreachable")
    }
    print(
        f"{len(rows)} pins: {count['behind']} behind, {count['unreachable']} not checked"
        " (registry unreachable); 'admitted' = a range that already lets the newest in"
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
