"""Refuses to publish files whose version is not the one the release tag names.

    python .github/release_version.py TAG DIRECTORY [PACKAGE [MANIFEST]]

wheels.yml runs it before any upload: for a tag `v1.2.3`, every wheel and sdist in DIRECTORY
must be version 1.2.3 (the version in Cargo.toml, as Python spells it), or nothing is uploaded.
A pre-release is tagged as Python spells it (`v0.2.0rc1` for Cargo's `0.2.0-rc.1`). An empty
TAG (a rehearsal, which has no tag) checks the files against the version maturin gives them:
the package's pyproject.toml `version` where it sets one, else its Cargo manifest's (PACKAGE,
the package's folder, defaults to the current one; MANIFEST, relative to it, to Cargo.toml).
Standard library only.
"""

import re
import sys
import tomllib
from pathlib import Path

# Cargo's pre-release suffixes as PEP 440 writes them (as maturin does): -alpha.1 -> a1,
# -beta.2 -> b2, -rc.1 -> rc1, -rc -> rc0, -dev.3 -> .dev3.
CARGO_PRE_RELEASE = re.compile(r"-(alpha|beta|rc|dev)(?:\.?(\d+))?$")
PEP_440 = {"alpha": "a", "beta": "b", "rc": "rc", "dev": ".dev"}


def python_version(cargo_version: str) -> str:
    """A Cargo version as PEP 440 writes it."""
    return CARGO_PRE_RELEASE.sub(lambda match: PEP_440[match[1]] + (match[2] or "0"), cargo_version)


def versions(directory: Path) -> dict[str, str]:
    """{file name: version} for the wheels and sdists in `directory`."""
    found = {}
    for path in sorted(directory.iterdir()):
        if path.name.endswith(".whl"):
            found[path.name] = path.name.split("-")[1]
        elif path.name.endswith(".tar.gz"):
            found[path.name] = path.name.removesuffix(".tar.gz").rsplit("-", 1)[1]
    return found


def problems(tag: str, directory: Path) -> list[str]:
    if not tag.startswith("v"):
        return [f"the release tag {tag!r} does not start with 'v': tag releases as v<version>"]
    found = versions(directory)
    if not found:
        return [f"{directory} holds no wheel and no sdist"]
    wanted = tag.removeprefix("v")
    return [
        f"{name} is version {version}, but the release tag {tag} says {wanted}"
        for name, version in found.items()
        if version != wanted
    ]


def source_version(package: Path, manifest: str) -> tuple[str, str]:
    """The version maturin builds, and the file it comes from."""
    path = package / "pyproject.toml"
    pyproject = tomllib.loads(path.read_text(encoding="utf-8")) if path.is_file() else {}
    if "version" in pyproject.get("project", {}):
        return pyproject["project"]["version"], str(package / "pyproject.toml")
    cargo = tomllib.loads((package / manifest).read_text(encoding="utf-8"))
    return python_version(cargo["package"]["version"]), str(package / manifest)


def main() -> int:
    tag, directory = sys.argv[1], Path(sys.argv[2])
    package, manifest = Path(*sys.argv[3:4]), (sys.argv[4:5] or ["Cargo.toml"])[0]
    if not tag:
        version, source = source_version(package, manifest)
        tag = "v" + version
        print(f"a rehearsal: the files must be {source}'s version, as the tag {tag} would say")
    found = problems(tag, directory)
    for problem in found:
        print(f"error: {problem}", file=sys.stderr)
    if found:
        print(
            "Nothing was uploaded. Set the version in Cargo.toml, commit, and publish a release "
            "whose tag names it (a pre-release as Python spells it: v0.2.0rc1); or re-tag this "
            "release.",
            file=sys.stderr,
        )
        return 1
    print(f"the release tag {tag} matches all {len(versions(directory))} files")
    return 0


if __name__ == "__main__":
    sys.exit(main())
