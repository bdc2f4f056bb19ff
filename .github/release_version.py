"""Refuses to publish files whose version is not the one the release tag names.

    python .github/release_version.py TAG DIRECTORY

wheels.yml runs it before any upload: for a tag `v1.2.3`, every wheel and sdist in DIRECTORY
must be version 1.2.3 (the version in Cargo.toml, as Python spells it), or nothing is uploaded.
Standard library only.
"""

import sys
from pathlib import Path


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


def main() -> int:
    tag, directory = sys.argv[1], Path(sys.argv[2])
    found = problems(tag, directory)
    for problem in found:
        print(f"error: {problem}", file=sys.stderr)
    if found:
        print(
            "Nothing was uploaded. Set the version in Cargo.toml, commit, and publish a release "
            "whose tag names it; or re-tag this release.",
            file=sys.stderr,
        )
        return 1
    print(f"the release tag {tag} matches all {len(versions(directory))} files")
    return 0


if __name__ == "__main__":
    sys.exit(main())
