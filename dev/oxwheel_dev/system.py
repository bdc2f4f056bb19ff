"""Debian packages for the sessions that need them, and foreign Debian roots made with
debootstrap, kept in ~/.cache/oxwheel."""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path
from typing import TYPE_CHECKING

from .interpreters import fresh, interpreter_path
from .paths import CACHE

if TYPE_CHECKING:
    import nox


def apt_install(session: nox.Session, command: str, *packages: str) -> None:
    """Install Debian packages unless `command` is already there (CI machines start bare)."""
    if shutil.which(command):
        return
    env = {"DEBIAN_FRONTEND": "noninteractive"}
    session.run("apt-get", "update", "-qq", external=True, env=env)
    install = ["apt-get", "install", "-y", "-qq", "--no-install-recommends", *packages]
    session.run(*install, external=True, env=env)


def debian_root(session: nox.Session, arch: str, suite: str, *include: str) -> Path:
    """A minimal Debian `suite` root for `arch` holding `include`, made once and cached.

    For this machine's own architecture debootstrap makes a complete root, to chroot into. For
    another one `debootstrap --foreign` only downloads, and unpacking every downloaded package
    is enough to run its programs under `qemu-<arch>-static -L ROOT`: no chroot, no binfmt, no
    second stage.
    """
    root = CACHE / f"debian-{suite}-{arch}"
    wanted = " ".join(include)
    if (root / ".complete").exists() and (root / ".complete").read_text() == wanted:
        return root
    apt_install(session, "debootstrap", "debootstrap")
    partial = fresh(root.with_name(root.name + ".partial"))
    native = subprocess.run(
        ["dpkg", "--print-architecture"], capture_output=True, text=True, check=True
    ).stdout.strip()
    debootstrap = ["debootstrap", f"--arch={arch}", "--variant=minbase"]
    debootstrap += [] if arch == native else ["--foreign"]
    session.run(*debootstrap, f"--include={','.join(include)}", suite, str(partial), external=True)
    if arch != native:
        packages = sorted((partial / "var" / "cache" / "apt" / "archives").glob("*.deb"))
        session.log(f"unpacking {len(packages)} {arch} packages into {partial}")
        for package in packages:
            subprocess.run(["dpkg", "-x", package, partial], check=True)
    (partial / ".complete").write_text(wanted)
    # Renamed only when complete, so an interrupted run starts over instead of reusing it.
    unmount_all(root)
    shutil.rmtree(root, ignore_errors=True)
    partial.rename(root)
    return root


def _mounts_below(root: Path) -> list[Path]:
    """The mount points inside `root`, deepest first."""
    points = []
    for line in Path("/proc/self/mountinfo").read_text().splitlines():
        point = Path(line.split()[4].replace("\\040", " "))
        if point.is_relative_to(root) and point != root:
            points.append(point)
    return sorted(points, key=lambda point: len(point.parts), reverse=True)


def unmount_all(root: Path) -> None:
    """Unmount whatever an earlier, interrupted replay left mounted in `root`."""
    for point in _mounts_below(root.resolve()):
        subprocess.run(["umount", "--lazy", str(point)], check=True)


def cargo_tool(session: nox.Session, crate: str, version: str) -> str:
    """PATH with `crate`, built once with `cargo install --locked` into ~/.cache/oxwheel."""
    home = CACHE / f"{crate}-{version}"
    if not (home / "bin" / crate).exists():
        session.log(f"building {crate} {version} into {home} (once)")
        install = ["cargo", "install", "--locked", f"{crate}@{version}", "--root", str(home)]
        session.run(*install, external=True)
    return os.pathsep.join([str(home / "bin"), interpreter_path()])
