"""Refuses an upload that would leave a package index and this release disagreeing.

    python .github/index_check.py [--staging] INDEX DIRECTORY

For each wheel and sdist in DIRECTORY the index may hold no file of that name (it is uploaded)
or one with the very same bytes (the upload skips it): that is how "Re-run failed jobs"
completes a release that stopped halfway. A file of that name with other bytes (a re-run that
rebuilt it with another day's compiler) stops everything before anything is uploaded: an
index never replaces a file, so the release would be half old, half new. INDEX is the index's
upload URL (https://upload.pypi.org/legacy/, https://test.pypi.org/legacy/) or its simple
index URL. It reads the simple API: PEP 691 JSON where the index serves it, as PyPI does, else
PEP 503 HTML, whose links carry each file's hash. With --staging, other bytes on the staging
index (left there by a rehearsal of the same version) skip the staging upload with a notice,
through the step output `upload=false`, instead of stopping the release. Standard library only.
"""

import hashlib
import json
import os
import re
import sys
import urllib.error
import urllib.parse
import urllib.request
from html.parser import HTMLParser
from pathlib import Path

ACCEPT = "application/vnd.pypi.simple.v1+json, text/html;q=0.1"


def simple_url(index: str) -> str:
    """The simple index of an upload URL: PyPI's, TestPyPI's, or INDEX/simple/."""
    index = index.rstrip("/") + "/"
    if index == "https://upload.pypi.org/legacy/":
        return "https://pypi.org/simple/"
    if index.endswith("/simple/"):
        return index
    if index.endswith("/legacy/"):
        return index.removesuffix("legacy/") + "simple/"
    return index + "simple/"


def project_of(directory: Path) -> str:
    """The normalised project name of the files (PEP 503)."""
    names = {path.name.split("-")[0] for path in directory.iterdir() if path.name.endswith(".whl")}
    names |= {
        path.name.removesuffix(".tar.gz").rsplit("-", 1)[0]
        for path in directory.iterdir()
        if path.name.endswith(".tar.gz")
    }
    normalised = {re.sub(r"[-_.]+", "-", name).lower() for name in names}
    if len(normalised) != 1:
        raise SystemExit(f"error: {directory} holds files of {sorted(names) or 'no'} projects")
    return normalised.pop()


def best_hash(hashes: dict[str, str]) -> tuple[str, str]:
    """(algorithm, digest): SHA-256 where the index gives it, else another it names."""
    for algorithm in ("sha256", *sorted(hashes)):
        if algorithm in hashes and algorithm in hashlib.algorithms_available:
            return algorithm, hashes[algorithm]
    return "", ""


class _Links(HTMLParser):
    """The files of a PEP 503 page: {file name: (algorithm, digest)}."""

    def __init__(self) -> None:
        super().__init__()
        self.files: dict[str, tuple[str, str]] = {}

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        href = dict(attrs).get("href") or ""
        if tag == "a" and href:
            path, _, fragment = href.partition("#")
            algorithm, _, digest = fragment.partition("=")
            name = urllib.parse.unquote(path.rsplit("/", 1)[-1])
            self.files[name] = best_hash({algorithm: digest} if digest else {})


def held(index: str, project: str) -> dict[str, tuple[str, str]]:
    """{file name: (algorithm, digest)} of what the index holds of `project` ({} for none)."""
    request = urllib.request.Request(f"{simple_url(index)}{project}/", headers={"Accept": ACCEPT})
    try:
        with urllib.request.urlopen(request, timeout=60) as response:
            kind = response.headers.get("Content-Type", "")
            body = response.read().decode()
    except urllib.error.HTTPError as error:
        if error.code == 404:
            return {}
        raise
    if "json" in kind:
        files = json.loads(body)["files"]
        return {file["filename"]: best_hash(file["hashes"]) for file in files}
    links = _Links()
    links.feed(body)
    return links.files


def compare(there: dict[str, tuple[str, str]], directory: Path) -> tuple[list[str], list[str]]:
    """(the same, the different) among the files the index holds under these names; one it
    lists without a hash it can check counts as different."""
    same: list[str] = []
    differ: list[str] = []
    for path in sorted(directory.iterdir()):
        if path.name in there:
            algorithm, digest = there[path.name]
            ours = hashlib.new(algorithm, path.read_bytes()).hexdigest() if algorithm else None
            (same if ours == digest else differ).append(path.name)
    return same, differ


def main() -> int:
    staging = sys.argv[1] == "--staging"
    index, directory = sys.argv[1 + staging], Path(sys.argv[2 + staging])
    same, differ = compare(held(index, project_of(directory)), directory)
    for name in same:
        print(f"{name}: the index holds these very bytes; the upload skips it")
    if differ and staging:
        # A rehearsal uploaded this version with other bytes: staging has done its part before.
        print(
            f"::notice title=Staging::{index} holds other bytes under {', '.join(differ)} "
            "(an earlier rehearsal of this version): the staging upload is skipped"
        )
        with open(os.environ.get("GITHUB_OUTPUT", os.devnull), "a", encoding="utf-8") as output:
            output.write("upload=false\n")
        return 0
    if differ:
        for name in differ:
            print(f"error: {name}: the index holds other bytes under this name", file=sys.stderr)
        print(
            "Nothing was uploaded: an index never replaces a file. These were rebuilt since the "
            "first attempt; release them as a new version (bump Cargo.toml, tag again).",
            file=sys.stderr,
        )
        return 1
    print(f"{index}: {len(same)} files there already, the others are new")
    return 0


if __name__ == "__main__":
    sys.exit(main())
