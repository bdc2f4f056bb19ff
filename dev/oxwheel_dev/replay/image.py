"""A stand-in for GitHub's Linux x86_64 runner image (Ubuntu 24.04), built on a Debian sid root.

A job there sees the image's tools, its system `python3` (3.12) and what the job's own steps
install, and no other CPython. The stand-in gives each job exactly that: a root of its own
(Debian sid, made once with debootstrap), entered with chroot and `env -i`; a directory of links
to the few tools the steps need, not /usr/bin; the host's Rust toolchain mounted read-only,
with a `rustup` that answers `toolchain install` and `default` from it and installs nothing;
each CPython from pyenv where it is installed (mounted read-only), else from Debian sid, reached
only through the fresh virtual environment that the job's setup-python step makes.
"""

from __future__ import annotations

import fcntl
import os
import shutil
import subprocess
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from ..interpreters import PYENV_VERSIONS, python_for
from ..system import unmount_all

RUSTUP_HOME = Path.home() / ".rustup"
HOST_CARGO_BIN = Path.home() / ".cargo" / "bin"
# Inside the root: where the host's rustup proxies are mounted, and the image's tool links.
CARGO_PROXIES = Path("/opt/host-cargo-bin")
TOOLS = Path("/opt/replay/tools")
RUST_TOOLS = ("cargo", "rustc", "rustdoc", "rustfmt", "cargo-fmt", "cargo-clippy", "clippy-driver")
# What the steps call besides Python and Rust, and what maturin, pip and rustc call.
SYSTEM_TOOLS = (
    "bash",
    "sh",
    "env",
    "cat",
    "cp",
    "mv",
    "rm",
    "mkdir",
    "ls",
    "tar",
    "gzip",
    "grep",
    "sed",
    "paste",
    "tr",
    "head",
    "tail",
    "uname",
    "git",
    "cc",
    "gcc",
    "ld",
    "ar",
    "strip",
)
# This machine reaches the package registries through a certificate authority of its own, which
# the host's bundle holds (copied into the root); the variables point the tools at it, as the
# host's do. A GitHub runner trusts the public authorities without them.
CA_BUNDLE = "/etc/ssl/certs/ca-certificates.crt"
CA_VARIABLES = (
    "SSL_CERT_FILE",
    "PIP_CERT",
    "REQUESTS_CA_BUNDLE",
    "CURL_CA_BUNDLE",
    "GIT_SSL_CAINFO",
)
# What the runner itself sets for every job (a fixed subset of GitHub's list).
RUNNER_VARIABLES = {
    "CI": "true",
    "GITHUB_ACTIONS": "true",
    "RUNNER_OS": "Linux",
    "RUNNER_ARCH": "X64",
    "LANG": "C.UTF-8",
}
SYSTEM_PYTHON = "3.12"  # the python3 of the Ubuntu 24.04 image

RUSTUP_SHIM = """#!/bin/bash
# The runner's `rustup toolchain install NAME [--profile P] [--component A,B] [--no-self-update]`
# and `rustup default NAME`, answered by the toolchain already here: nothing is installed, and
# a toolchain or component that is missing is an error.
set -euo pipefail
real=%(real)s
installed() { "$real" toolchain list | grep -q "^$1-"; }
case "${1:-} ${2:-}" in
  "toolchain install")
    name=$3; shift 3
    installed "$name" || { echo "rustup (replay): no $name toolchain here" >&2; exit 1; }
    while [ $# -gt 0 ]; do
      case "$1" in
        --component) for part in ${2//,/ }; do
            "$real" component list --installed --toolchain "$name" | grep -q "^$part-" \\
              || { echo "rustup (replay): $name has no $part here" >&2; exit 1; }
          done; shift 2 ;;
        --profile) shift 2 ;;
        --no-self-update) shift ;;
        *) echo "rustup (replay): not modelled: $1" >&2; exit 1 ;;
      esac
    done
    echo "rustup (replay): $name is here: $("$real" run "$name" rustc --version)" ;;
  "default "*) installed "$2" || { echo "rustup (replay): no $2 toolchain here" >&2; exit 1; }
    echo "rustup (replay): default $2" ;;
  *) echo "rustup (replay): not modelled: rustup $*" >&2; exit 1 ;;
esac
"""


@dataclass(frozen=True)
class Image:
    """The sid root, with what the replay mounted into it."""

    root: Path

    def inside(self, path: Path) -> Path:
        """`path` (a path in the root, seen from the host) as the job sees it."""
        return Path("/") / path.relative_to(self.root)

    def host(self, path: Path) -> Path:
        """A path as the job sees it, seen from the host."""
        return self.root / path.relative_to("/")

    def interpreter(self, version: str) -> Path | None:
        """CPython `version` as the job sees it: pyenv's, else Debian sid's."""
        found = python_for(version)
        if found and Path(found).is_relative_to(PYENV_VERSIONS):
            return Path(found)
        sid = Path(f"/usr/bin/python{version}")
        return sid if self.host(sid).exists() else None

    def missing(self, version: str) -> str:
        """Why setup-python's `version` cannot be had here, "" when it can."""
        if version.endswith("t"):
            return f"free-threaded CPython {version}: no build of it can be had on this machine"
        if version.startswith("pypy"):
            return f"PyPy ({version}): not on this machine"
        if self.interpreter(version) is None:
            return f"CPython {version}: not on this machine"
        return ""

    def variables(self) -> dict[str, str]:
        """The environment every job starts from."""
        path = [str(TOOLS)]
        return {
            **RUNNER_VARIABLES,
            **{name: CA_BUNDLE for name in CA_VARIABLES},
            "PATH": os.pathsep.join(path),
            "RUSTUP_HOME": str(RUSTUP_HOME),
        }

    def run(
        self, command: list[str], env: Mapping[str, str], cwd: Path, log: Path, timeout: float
    ) -> int:
        """`command` in the root, with exactly `env`, in the directory `cwd` (as the job sees
        it); its output goes to `log`. Returns the exit status (124 after `timeout` seconds)."""
        chroot = ["chroot", str(self.root), "/usr/bin/env", "-i", "-C", str(cwd)]
        chroot += [f"{key}={value}" for key, value in env.items()]
        with log.open("ab") as output:
            try:
                return subprocess.run(
                    [*chroot, *command],
                    stdout=output,
                    stderr=subprocess.STDOUT,
                    stdin=subprocess.DEVNULL,
                    timeout=timeout,
                    check=False,
                ).returncode
            except subprocess.TimeoutExpired:
                return 124


@contextmanager
def mounted(root: Path) -> Iterator[Image]:
    """The host's Rust toolchain and pyenv CPythons mounted read-only into `root` (so that no
    job can change them), and /proc; all unmounted on the way out."""
    with (root / ".replay-lock").open("w") as lock:
        # One replay at a time: each job uses the root's /home/runner.
        fcntl.flock(lock, fcntl.LOCK_EX)
        yield from _mounted(root)


def _mounted(root: Path) -> Iterator[Image]:
    unmount_all(root)
    binds = {
        RUSTUP_HOME: RUSTUP_HOME,
        HOST_CARGO_BIN: CARGO_PROXIES,
        PYENV_VERSIONS: PYENV_VERSIONS,
    }
    try:
        for source, inside in binds.items():
            point = root / inside.relative_to("/")
            point.mkdir(parents=True, exist_ok=True)
            subprocess.run(["mount", "--bind", "-o", "ro", str(source), str(point)], check=True)
        subprocess.run(["mount", "-t", "proc", "proc", str(root / "proc")], check=True)
        image = Image(root)
        _install_tools(image)
        yield image
    finally:
        unmount_all(root)


def _install_tools(image: Image) -> None:
    """The image's tools: links to the root's own programs, the host's Rust proxies, a rustup
    that installs nothing, and the system python3 (a venv without pip: on Ubuntu 24.04, pip
    may not install into the system Python)."""
    tools = image.host(TOOLS)
    shutil.rmtree(tools.parent, ignore_errors=True)
    tools.mkdir(parents=True)
    for name in SYSTEM_TOOLS:
        found = shutil.which(
            name, path=os.pathsep.join(str(image.host(Path(d))) for d in ("/usr/bin", "/bin"))
        )
        if found is None:
            raise FileNotFoundError(f"the sid root has no {name}")
        (tools / name).symlink_to(image.inside(Path(found)))
    for name in RUST_TOOLS:
        (tools / name).symlink_to(CARGO_PROXIES / name)
    shim = tools / "rustup"
    shim.write_text(RUSTUP_SHIM % {"real": CARGO_PROXIES / "rustup"})
    shim.chmod(0o755)
    system = image.interpreter(SYSTEM_PYTHON)
    if system is None:
        raise FileNotFoundError(f"no CPython {SYSTEM_PYTHON} for the image's python3")
    venv = TOOLS.parent / "system-python"
    image.run(
        [str(system), "-m", "venv", "--without-pip", str(venv)],
        {},
        Path("/"),
        tools.parent / "setup.log",
        timeout=120,
    )
    for name in ("python3", f"python{SYSTEM_PYTHON}"):
        (tools / name).symlink_to(venv / "bin" / "python3")
