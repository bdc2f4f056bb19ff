"""Release day rehearsed against stand-ins: GitHub's releases API as a small local server that,
as GitHub does, refuses (422) a file for an immutable release once it is published; a local
package index holding a file of the same name as a rebuilt wheel; and the wheels workflow's
conditions evaluated for a rehearsal (workflow_dispatch), which must never reach PyPI.

Run by `python3 noxfile.py -s release`, which installs pypiserver."""

from __future__ import annotations

import hashlib
import json
import os
import subprocess
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler
from pathlib import Path
from typing import Any, ClassVar
from urllib.parse import parse_qs, urlparse

import pytest
from oxwheel_dev import paths
from oxwheel_dev.package_index import local_index, serving
from oxwheel_dev.replay.plan import decide_job
from oxwheel_dev.replay.workflows import Event, load, workflow_jobs

GITHUB = paths.ROOT / ".github"
FILES = ["demo-0.2.0rc1-cp311-abi3-manylinux_2_28_x86_64.whl", "demo-0.2.0rc1.tar.gz"]


class Releases(BaseHTTPRequestHandler):
    """GET a release by tag, PATCH it, POST a file to it; `state` is the one release."""

    state: ClassVar[dict[str, Any]] = {}

    def reply(self, status: int, body: object) -> None:
        data = json.dumps(body).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def do_GET(self) -> None:
        if self.path.startswith("/asset/"):  # a file's bytes, as GitHub serves an asset's url
            data = self.state["asset_bytes"][self.path.removeprefix("/asset/")]
            self.send_response(200)
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)
            return
        release = self.state
        base = f"http://127.0.0.1:{self.server.server_port}"  # type: ignore[attr-defined]
        self.reply(200, {
            **{key: release[key] for key in ("prerelease", "immutable", "assets")},
            "url": f"{base}/release",
            "upload_url": f"{base}/upload{{?name,label}}",
        })  # fmt: skip

    def do_PATCH(self) -> None:
        body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
        self.state["patched"].append(body)
        self.state.update(body)
        self.reply(200, {})

    def do_POST(self) -> None:
        data = self.rfile.read(int(self.headers["Content-Length"]))
        if self.state.get("turns_immutable"):  # published as immutable since it was read
            self.state["immutable"] = True
        if self.state["immutable"]:
            self.reply(422, {"message": "Cannot upload assets to an immutable release."})
            return
        if self.state.get("name_taken"):
            self.reply(422, {"errors": [{"code": "already_exists", "field": "name"}]})
            return
        name = parse_qs(urlparse(self.path).query)["name"][0]
        digest = "sha256:" + hashlib.sha256(data).hexdigest()
        self.state["assets"].append({"name": name, "digest": digest})
        self.reply(201, {})

    def log_message(self, *args: object) -> None:
        pass


@contextmanager
def github(**release: Any) -> Iterator[str]:
    Releases.state = {
        "prerelease": False,
        "immutable": False,
        "assets": [],
        "patched": [],
        **release,
    }
    with serving(Releases) as url:
        yield url


def attach(api: str, tag: str, dist: Path) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "GITHUB_API_URL": api, "GH_TOKEN": "unused", "TAG": tag}
    env["REPOSITORY"] = "owner/demo"
    command = [sys.executable, str(GITHUB / "release_files.py"), str(dist)]
    return subprocess.run(command, env=env, capture_output=True, text=True, check=False)


@pytest.fixture
def dist(tmp_path: Path) -> Path:
    for name in FILES:
        (tmp_path / name).write_bytes(name.encode())
    return tmp_path


def test_an_immutable_release_is_left_with_a_notice_not_a_red_run(dist: Path) -> None:
    with github(immutable=True, prerelease=True) as api:
        result = attach(api, "v0.2.0rc1", dist)
        assert result.returncode == 0, result.stderr
        assert "::notice" in result.stdout
        assert "immutable release" in result.stdout
        assert Releases.state["assets"] == []


def test_an_upload_github_refuses_after_publishing_is_a_notice(dist: Path) -> None:
    """GitHub answers 422 to a file for a release that became immutable after it was read."""
    with github(prerelease=True, turns_immutable=True) as api:
        result = attach(api, "v0.2.0rc1", dist)
        assert result.returncode == 0, result.stderr
        assert "answered 422" in result.stdout


def test_a_422_for_a_release_that_takes_files_fails_the_job(dist: Path) -> None:
    """422 is also the answer to a name taken meanwhile: that is no immutable release."""
    with github(prerelease=True, name_taken=True) as api:
        result = attach(api, "v0.2.0rc1", dist)
        assert result.returncode != 0
        assert "::notice" not in result.stdout
        assert "422" in result.stderr


@pytest.mark.parametrize("same", [True, False])
def test_a_file_attached_without_a_digest_is_compared_by_its_bytes(dist: Path, same: bool) -> None:
    with github() as api:
        held = FILES[0].encode() if same else b"older bytes"
        asset = {"name": FILES[0], "digest": None, "url": f"{api}/asset/0", "state": "uploaded"}
        Releases.state.update(assets=[asset], asset_bytes={"0": held})
        result = attach(api, "v0.2.0rc1", dist)
        assert result.returncode == (0 if same else 1), result.stderr
        assert len(Releases.state["assets"]) == (2 if same else 1)


def test_a_development_release_is_marked_pre_release(dist: Path) -> None:
    with github() as api:
        assert attach(api, "v0.2.0.dev3", dist).returncode == 0
        assert Releases.state["patched"] == [{"prerelease": True}]


def test_a_pre_release_is_marked_and_its_files_attached_once(dist: Path) -> None:
    with github() as api:
        assert attach(api, "v0.2.0rc1", dist).returncode == 0
        assert Releases.state["patched"] == [{"prerelease": True}]
        assert sorted(asset["name"] for asset in Releases.state["assets"]) == sorted(FILES)
        again = attach(api, "v0.2.0rc1", dist)
        assert again.returncode == 0
        assert again.stdout.count("attached already") == 2
        assert len(Releases.state["assets"]) == 2


def test_a_rebuilt_file_stops_before_anything_is_attached(dist: Path) -> None:
    with github() as api:
        Releases.state["assets"] = [{"name": FILES[0], "digest": "sha256:" + "0" * 64}]
        result = attach(api, "v0.2.0rc1", dist)
        assert result.returncode == 1
        assert "Nothing was attached" in result.stderr
        assert len(Releases.state["assets"]) == 1


def step_output(dist: Path) -> Path:
    return dist.with_name(dist.name + ".github_output")


def index_check(url: str, dist: Path, *options: str) -> subprocess.CompletedProcess[str]:
    command = [sys.executable, str(GITHUB / "index_check.py"), *options, url, str(dist)]
    env = {**os.environ, "GITHUB_OUTPUT": str(step_output(dist))}
    return subprocess.run(command, capture_output=True, text=True, check=False, env=env)


def test_a_re_run_whose_rebuilt_wheel_differs_stops_before_uploading(
    tmp_path: Path, dist: Path
) -> None:
    packages = tmp_path / "index"
    packages.mkdir()
    (packages / FILES[0]).write_bytes(FILES[0].encode())  # the first attempt uploaded this
    server = Path(sys.executable).parent / "pypi-server"
    with local_index(server, packages, tmp_path / "index.log") as url:
        same = index_check(url, dist)
        assert same.returncode == 0, same.stderr
        assert f"{FILES[0]}: the index holds these very bytes" in same.stdout
        (dist / FILES[0]).write_bytes(b"rebuilt with another day's compiler")
        rebuilt = index_check(url, dist)
        assert rebuilt.returncode == 1
        assert f"error: {FILES[0]}: the index holds other bytes" in rebuilt.stderr
        assert "Nothing was uploaded" in rebuilt.stderr
        assert sorted(path.name for path in packages.iterdir()) == [FILES[0]]
        # On the staging index the same difference is an earlier rehearsal's upload: the
        # staging upload is skipped with a notice and the release goes on.
        staged = index_check(url, dist, "--staging")
        assert staged.returncode == 0, staged.stderr
        assert "::notice" in staged.stdout
        assert step_output(dist).read_text() == "upload=false\n"


def test_a_project_the_index_does_not_know_is_all_new(tmp_path: Path, dist: Path) -> None:
    packages = tmp_path / "index"
    packages.mkdir()
    server = Path(sys.executable).parent / "pypi-server"
    with local_index(server, packages, tmp_path / "index.log") as url:
        result = index_check(url, dist)
        assert result.returncode == 0, result.stderr
        assert "0 files there already" in result.stdout


def test_a_rehearsal_goes_to_the_staging_index_and_never_to_pypi() -> None:
    workflow = load(GITHUB / "workflows" / "wheels.yml")
    staging = (("STAGING_INDEX_URL", "https://test.pypi.org/legacy/"),)
    rehearsal = Event("workflow_dispatch", variables=staging)
    release = Event("release", tag="v0.2.0", variables=staging)
    runs = {
        event.name: {
            job.job_id
            for job in workflow_jobs(GITHUB / "workflows" / "wheels.yml", "owner/demo")
            if decide_job(job, event, workflow, lambda version: "") is not None
        }
        for event in (rehearsal, release)
    }
    assert {"tests", "release-version", "staging"} <= runs["workflow_dispatch"]
    assert not {"publish", "github-release"} & runs["workflow_dispatch"]
    assert {"staging", "publish", "github-release"} <= runs["release"]
