"""CPython releases this machine lacks, from Debian's unstable suite, run in a chroot.

Debian sid ships every supported release that is not installed here (its python3.X packages),
but built against a newer glibc than the host's: the interpreters run inside a minimal sid root
made once with debootstrap and kept in ~/.cache/oxwheel. Running a chroot needs root, as
debootstrap does.
"""

from __future__ import annotations

import shutil
import subprocess
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING

from . import golden, paths, system, tables
from .interpreters import QUICK_PROPERTY_TESTS, fresh

if TYPE_CHECKING:
    import nox

SUITE = "sid"
# Only the host's bundle holds the chain the package registries present.
CA_BUNDLE = Path("/etc/ssl/certs/ca-certificates.crt")


# What the runner replay's jobs build with (gcc links Rust's output; git for the steps).
BUILD_PACKAGES = ("gcc", "libc6-dev", "git")


def sid_root(session: nox.Session, versions: list[str]) -> Path:
    """The sid root holding python3.X and its venv module for each of `versions`, and the
    build tools (one root for every session, so that none makes it again for another)."""
    packages = [
        name for version in versions for name in (f"python{version}", f"python{version}-venv")
    ]
    root = system.debian_root(session, "amd64", SUITE, *packages, *BUILD_PACKAGES)
    (root / CA_BUNDLE.relative_to("/")).parent.mkdir(parents=True, exist_ok=True)
    shutil.copy2(CA_BUNDLE, root / CA_BUNDLE.relative_to("/"))
    shutil.copy2("/etc/resolv.conf", root / "etc" / "resolv.conf")
    return root


def run_suite(session: nox.Session, root: Path, version: str, project: Path, wheels: Path) -> None:
    """`project`'s tests on the root's CPython `version` in a new venv, with the wheel pip picks
    from the directory `wheels`; says which wheel that was."""
    work = fresh(root / "tmp" / "oxwheel" / version)
    shutil.copytree(wheels, work / "wheels")
    shutil.copytree(project / "tests", work / "tests")
    shutil.copy2(project / "pyproject.toml", work / "pyproject.toml")
    shutil.copy2(paths.PROGRAMS / "installed_wheel.py", work / "installed_wheel.py")
    inside = Path("/") / work.relative_to(root)
    chroot = ["chroot", str(root)]
    python = str(inside / "venv" / "bin" / "python")
    session.run(
        *chroot, f"/usr/bin/python{version}", "-m", "venv", str(inside / "venv"), external=True
    )
    # --isolated: no PIP_* setting of the host (find-links, for one) applies inside the root.
    pip = [python, "-m", "pip", "install", "--quiet", "--isolated", "--cert", str(CA_BUNDLE)]
    session.run(*chroot, *pip, "pytest", "hypothesis", external=True)
    name = golden.distribution_name(project)
    session.run(
        *chroot, *pip, "--no-index", "--find-links", str(inside / "wheels"), name, external=True
    )
    session.run(*chroot, python, str(inside / "installed_wheel.py"), name, external=True)
    pytest = [python, "-m", "pytest", "-q", "-p", "no:cacheprovider", "--rootdir", str(inside)]
    env = {**QUICK_PROPERTY_TESTS, "PYTHONDONTWRITEBYTECODE": "1"}
    with mounted_proc(root):
        session.run(*chroot, *pytest, str(inside / "tests"), env=env, external=True)


@contextmanager
def mounted_proc(root: Path) -> Iterator[None]:
    """/proc inside the root while the tests run (some read /proc/self), unmounted after."""
    subprocess.run(["mount", "-t", "proc", "proc", str(root / "proc")], check=True)
    try:
        yield
    finally:
        subprocess.run(["umount", str(root / "proc")], check=True)


def missing_here(installed: list[str]) -> list[str]:
    """The supported releases that are not installed on this machine."""
    return [version for version in tables.cpython() if version not in installed]
