"""Release wheels for every platform of the table, cross-built on one Linux machine."""

from __future__ import annotations

import shutil
import sys
import time
from pathlib import Path
from typing import TYPE_CHECKING

from . import tables
from .interpreters import WORK, build_env, fresh, venv_python
from .system import apt_install

if TYPE_CHECKING:
    import nox


def wheel_builder(session: nox.Session) -> Path:
    """maturin and zig in one venv that every session shares: maturin's zig linker wrappers
    name the maturin and Python they were made with, and cargo rebuilds every crate when the
    linker changes, so building from each session's own venv would compile everything again.
    Returns the venv's scripts directory."""
    builder = WORK / "wheel-builder"
    python = venv_python(builder)
    if not python.exists():
        session.run(sys.executable, "-m", "venv", str(builder), external=True)
    install = [str(python), "-m", "pip", "install", "--quiet"]
    session.run(*install, "maturin>=1.16,<2", "ziglang", "ruff", external=True)
    return python.parent


def build_wheels(
    session: nox.Session,
    project: Path,
    out: Path,
    platforms: list[tables.Platform] | None = None,
) -> dict[str, Path]:
    """Cross-build the release wheels of `project` into `out`: {platform name: wheel}.

    zig links the Linux wheels against the glibc and musl versions of the table's policies and
    the macOS ones without an SDK; Debian's mingw-w64 links the Windows one, a stand-in for the
    MSVC build that cibuildwheel makes. All share one cargo target directory, so a wheel whose
    sources did not change costs only its packaging.
    """
    platforms = tables.cross_built() if platforms is None else platforms
    builder = wheel_builder(session)
    targets = sorted({platform.cross_target for platform in platforms})
    session.run("rustup", "target", "add", *targets, external=True, silent=True)
    if any(target.endswith("windows-gnu") for target in targets):
        apt_install(session, "x86_64-w64-mingw32-gcc", "gcc-mingw-w64-x86-64")
    env = {
        **build_env(),
        "CARGO_ZIGBUILD_PYTHON_PATH": str(builder / "python"),
        "MACOSX_DEPLOYMENT_TARGET": tables.macos_deployment_target(),
    }
    out.mkdir(parents=True, exist_ok=True)
    built = {}
    for platform in platforms:
        started = time.monotonic()
        scratch = fresh(WORK / "wheel-build")
        build = [str(builder / "maturin"), "build", "--release", "--locked"]
        build += ["--target", platform.cross_target]
        build += ["--manifest-path", str(project / "Cargo.toml"), "--out", str(scratch)]
        session.run(*build, *platform.maturin_options, env=env, silent=True, external=True)
        (wheel,) = scratch.glob("*.whl")
        built[platform.name] = Path(shutil.move(wheel, out / wheel.name))
        session.log(f"{platform.name}: {wheel.name} in {time.monotonic() - started:.0f} s")
    return built
