"""Release wheels for every platform of the table, cross-built on one Linux machine."""

from __future__ import annotations

import shutil
import sys
import time
import tomllib
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import TYPE_CHECKING

from . import tables, targets
from .interpreters import build_env, fresh, venv_python
from .paths import CARGO_TARGET, WORK
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


def binding_crate(project: Path) -> tuple[Path, list[str]]:
    """The manifest of the crate maturin builds, and --locked where the project commits its
    Cargo.lock: an adopted project records where its package and crate are (the layout
    answers), a generated one has both at its root."""
    answers = tomllib.loads((project / "oxwheel-answers.toml").read_text())["values"]
    package = project / answers.get("package_dir", ".")
    locked = ["--locked"] if answers.get("cargo_lock", "true") == "true" else []
    return package / answers.get("cargo_manifest", "Cargo.toml"), locked


def build_wheels(
    session: nox.Session,
    project: Path,
    out: Path,
    platforms: list[tables.Platform] | None = None,
    kinds: list[tables.WheelKind] | None = None,
) -> list[Path]:
    """Cross-build the release wheels of `project` into `out`: for each platform (default: every
    one of the table that builds here), each kind of wheel (default: what maturin builds
    without an interpreter, the abi3 wheel for the lowest release).

    zig links the Linux wheels against the glibc and musl versions of the table's policies and
    the macOS ones without an SDK; Debian's mingw-w64 links the Windows one, a stand-in for the
    MSVC build that cibuildwheel makes. maturin knows each target's interpreter configuration,
    so no interpreter of the target is needed. Each kind of wheel keeps a cargo target directory
    of its own (PyO3 compiles differently for each ABI), so a wheel whose sources did not change
    costs only its packaging, and two kinds can build at once.
    """
    platforms = tables.cross_built() if platforms is None else platforms
    builder = wheel_builder(session)
    triples = sorted({platform.cross_target for platform in platforms})
    session.run("rustup", "target", "add", *triples, external=True, silent=True)
    if any(triple.endswith("windows-gnu") for triple in triples):
        apt_install(session, "x86_64-w64-mingw32-gcc", "gcc-mingw-w64-x86-64")
    env = {
        **build_env(),
        "CARGO_ZIGBUILD_PYTHON_PATH": str(builder / "python"),
        "MACOSX_DEPLOYMENT_TARGET": tables.macos_deployment_target(),
    }
    out.mkdir(parents=True, exist_ok=True)
    options: list[tables.WheelKind | None] = [*kinds] if kinds else [None]
    manifest, locked = binding_crate(project)

    def build(platform: tables.Platform, kind: tables.WheelKind | None) -> Path:
        started = time.monotonic()
        name = kind.tags if kind else "default"
        scratch = fresh(WORK / "wheel-build" / f"{platform.name}-{name}")
        command = [str(builder / "maturin"), "build", "--release", *locked]
        command += ["--target", platform.cross_target, *platform.maturin_options]
        command += ["--manifest-path", str(manifest), "--out", str(scratch)]
        command += ["--interpreter", kind.interpreter] if kind else []
        target_dir = targets.claimed(CARGO_TARGET / name, manifest)
        session.run(*command, env={**env, **target_dir}, silent=True, external=True)
        (wheel,) = scratch.glob("*.whl")
        session.log(f"{platform.name}: {wheel.name} in {time.monotonic() - started:.0f} s")
        return Path(shutil.move(wheel, out / wheel.name))

    # Two at a time: the link step of a fat-LTO build uses one core.
    with ThreadPoolExecutor(max_workers=2) as pool:
        jobs = [pool.submit(build, platform, kind) for platform in platforms for kind in options]
        return [job.result() for job in jobs]
