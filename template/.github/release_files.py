"""Attaches the released files to the GitHub release, once PyPI holds them.

    python .github/release_files.py DIRECTORY

Reads TAG, REPOSITORY, GH_TOKEN and GITHUB_API_URL (which GitHub sets) from the environment.
The release is marked pre-release exactly when its version is a PEP 440 pre-release (0.2.0rc1).
A file the release already holds with the same SHA-256 is skipped (a re-run), one with other
bytes stops everything before any upload (never clobbered: PyPI keeps the first bytes). An
immutable release takes no files once published: then the files stay on PyPI alone, with their
attestations, and a notice says so instead of failing the run. Standard library only.
"""

import hashlib
import json
import os
import re
import sys
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path
from typing import Any

# PEP 440 pre-releases and development releases: 0.2.0a1, 0.2.0b2, 0.2.0rc1, 0.2.0.dev3.
PRE_RELEASE = re.compile(r"\d(?:(?:a|b|rc)\d+|\.dev\d+)$")


def call(method: str, url: str, body: bytes | None, kind: str, accept: str) -> bytes:
    request = urllib.request.Request(url, data=body, method=method)
    request.add_header("Authorization", f"Bearer {os.environ['GH_TOKEN']}")
    request.add_header("Accept", accept)
    request.add_header("Content-Type", kind)
    with urllib.request.urlopen(request, timeout=120) as response:
        return bytes(response.read())


def api(
    method: str, url: str, body: bytes | None = None, kind: str = "application/json"
) -> dict[str, Any]:
    text = call(method, url, body, kind, "application/vnd.github+json").decode()
    answer: dict[str, Any] = json.loads(text) if text else {}
    return answer


def asset_digest(asset: dict[str, Any]) -> str:
    """The SHA-256 of a file the release holds: GitHub's `digest` where it gives one, else
    that of the bytes downloaded; an upload that never finished has none."""
    if asset.get("state", "uploaded") != "uploaded":
        return "unfinished"
    if asset.get("digest"):
        return str(asset["digest"])
    data = call("GET", asset["url"], None, "application/json", "application/octet-stream")
    return "sha256:" + hashlib.sha256(data).hexdigest()


def notice(text: str) -> None:
    print(f"::notice title=GitHub release::{text}")


def digest(path: Path) -> str:
    return "sha256:" + hashlib.sha256(path.read_bytes()).hexdigest()


def main() -> int:
    directory, tag = Path(sys.argv[1]), os.environ["TAG"]
    base = os.environ.get("GITHUB_API_URL", "https://api.github.com").rstrip("/")
    release = api(
        "GET", f"{base}/repos/{os.environ['REPOSITORY']}/releases/tags/{urllib.parse.quote(tag)}"
    )
    pre_release = bool(PRE_RELEASE.search(tag))
    immutable = bool(release.get("immutable"))
    if release["prerelease"] != pre_release and not immutable:
        api("PATCH", release["url"], json.dumps({"prerelease": pre_release}).encode())
        print(f"{tag}: marked {'a pre-release' if pre_release else 'a release'}")
    if immutable:
        notice(f"{tag} is an immutable release: it takes no files once published; they are on PyPI")
        return 0
    attached = {asset["name"]: asset for asset in release.get("assets", [])}
    files = sorted(path for path in directory.iterdir() if path.is_file())
    differ = [
        path.name
        for path in files
        if path.name in attached and asset_digest(attached[path.name]) != digest(path)
    ]
    if differ:
        print(f"error: the release holds other bytes under {', '.join(differ)}", file=sys.stderr)
        print("Nothing was attached: release them as a new version.", file=sys.stderr)
        return 1
    upload = release["upload_url"].split("{", 1)[0]
    for path in files:
        if path.name in attached:
            print(f"{path.name}: attached already")
            continue
        name = urllib.parse.quote(path.name, safe="")
        try:
            api("POST", f"{upload}?name={name}", path.read_bytes(), "application/octet-stream")
        except urllib.error.HTTPError as error:
            # 422 is also GitHub's answer to a name taken meanwhile: only immutability is a notice.
            if error.code == 422 and api("GET", release["url"]).get("immutable"):
                notice(f"{tag} took no more files (GitHub answered 422: immutable once published)")
                return 0
            raise
        print(f"{path.name}: attached")
    return 0


if __name__ == "__main__":
    sys.exit(main())
