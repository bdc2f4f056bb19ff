"""The longer checks behind the nox sessions of the same names."""

from __future__ import annotations

import tarfile
from pathlib import Path
from typing import TYPE_CHECKING

from . import crossbuild, render, system, tables
from .interpreters import (
    QUICK_PROPERTY_TESTS,
    WORK,
    build_env,
    fresh,
    local_cpythons,
    python_for,
    venv_python,
)
from .package_index import local_index

if TYPE_CHECKING:
    import nox

PROGRAMS = render.ROOT / "dev" / "programs"


def installed(session: nox.Session, version: str) -> str:
    """The local CPython `version`, or the session fails saying which one is missing."""
    return python_for(version) or session.error(f"no CPython {version} on this machine")


def run_suite(session: nox.Session, python: str, project: Path, *wheels: Path) -> None:
    """A new venv in WORK for `python` with `wheels`, then `project`'s tests (quick properties)."""
    test_venv = fresh(WORK / "venvs" / f"{project.name}-{Path(python).parent.parent.name}")
    session.run(python, "-m", "venv", str(test_venv), external=True)
    python = str(venv_python(test_venv))
    pip = [python, "-m", "pip", "install", "--quiet", *map(str, wheels), "pytest", "hypothesis"]
    session.run(*pip, external=True)
    with session.chdir(project):
        pytest = ["-m", "pytest", "-q", "-p", "no:cacheprovider", "tests"]
        session.run(python, *pytest, env=QUICK_PROPERTY_TESTS, external=True)


def matrix_variant(session: nox.Session, name: str) -> None:
    """Renders one option combination, runs its cargo test and ruff, builds it (debug) and runs
    its pytest suite on its lowest CPython."""
    variant = tables.variant(name)
    project = render.render(fresh(WORK / "matrix" / name), f"mx-{name}", variant.answers).path
    python = installed(session, variant.python_min)
    builder = crossbuild.wheel_builder(session)
    env = {**build_env(), "PYO3_PYTHON": python}
    with session.chdir(project):
        session.run("cargo", "test", "--locked", "--quiet", external=True, env=env)
        session.run(str(builder / "ruff"), "check", "python", "tests", external=True)
    wheels = fresh(WORK / "matrix" / f"{name}-wheels")
    build = [str(builder / "maturin"), "build", "--locked", "--profile", "dev"]
    build += ["--interpreter", python, "--out", str(wheels)]
    build += ["--manifest-path", str(project / "Cargo.toml")]
    session.run(*build, env=env, silent=True, external=True)
    run_suite(session, python, project, *wheels.glob("*.whl"))


def qemu_suite(session: nox.Session, wheels: Path) -> None:
    """The root's tests against its manylinux aarch64 wheel, on Debian bookworm's arm64
    python3 under QEMU user emulation."""
    system.apt_install(session, "qemu-aarch64-static", "qemu-user-static")
    debian = system.debian_root(session, "arm64", "bookworm", "python3")
    (aarch64,) = (p for p in tables.cross_built() if p.wheel == "manylinux_aarch64")
    wheel = crossbuild.build_wheels(session, render.ROOT, wheels, [aarch64])[aarch64.name]
    site = fresh(WORK / "qemu-site")
    session.log(f"installing {wheel.name}, pytest and hypothesis for Debian's arm64 python3")
    pip = ["python", "-m", "pip", "install", "--quiet", "--target", str(site)]
    pip += ["--platform", aarch64.tag, "--python-version", render.root_answers()["python_min"]]
    session.run(*pip, "--only-binary=:all:", str(wheel), "pytest", "hypothesis")
    python = ["qemu-aarch64-static", "-L", str(debian), str(debian / "usr" / "bin" / "python3")]
    env = {"PYTHONPATH": str(site), "PYTHONDONTWRITEBYTECODE": "1", **QUICK_PROPERTY_TESTS}
    where = "import platform, sys, oxwheel_patterns._core as core; "
    where += "print(platform.machine(), 'CPython', sys.version.split()[0], core.__file__)"
    session.run(*python, "-c", where, env=env, external=True)
    with session.chdir(render.ROOT):
        pytest = ["-m", "pytest", "-q", "-p", "no:cacheprovider", "tests"]
        session.run(*python, *pytest, env=env, external=True)


def sdist_offline(session: nox.Session) -> None:
    """The sdist carries the repository's Cargo.lock, builds into a wheel with the network off
    (cargo offline, pip without an index), and that wheel passes the sdist's own tests."""
    work = fresh(WORK / "sdist")
    manifest = ["--manifest-path", str(render.ROOT / "Cargo.toml")]
    session.run("maturin", "sdist", *manifest, "--out", str(work))
    (archive,) = work.glob("*.tar.gz")
    with tarfile.open(archive) as tar:
        tar.extractall(work / "unpacked", filter="data")
    (source,) = (work / "unpacked").iterdir()
    if (source / "Cargo.lock").read_bytes() != (render.ROOT / "Cargo.lock").read_bytes():
        session.error("the sdist's Cargo.lock differs from the repository's Cargo.lock")
    session.log("the sdist's Cargo.lock equals the repository's")
    # Fetch the crates the sdist's own Cargo.lock names while the network is on.
    fetch = ["cargo", "fetch", "--locked", "--manifest-path", str(source / "Cargo.toml")]
    session.run(*fetch, external=True)
    offline = {**build_env(), "CARGO_NET_OFFLINE": "true", "MATURIN_PEP517_ARGS": "--locked"}
    pip_wheel = ["python", "-m", "pip", "wheel", "--no-index", "--no-build-isolation", "--no-deps"]
    session.run(*pip_wheel, "--wheel-dir", str(work / "wheel"), str(source), env=offline)
    python = installed(session, render.root_answers()["python_min"])
    run_suite(session, python, source, *(work / "wheel").glob("*.whl"))


def release_rehearsal(session: nox.Session, wheels: Path) -> None:
    """Uploads the root's wheels and sdist with twine to a local pypiserver (the release
    workflow's upload minus OIDC), then installs from it on every local CPython and runs a
    smoke test."""
    built = crossbuild.build_wheels(session, render.ROOT, wheels)
    dist = fresh(WORK / "release")
    sdist = [str(crossbuild.wheel_builder(session) / "maturin"), "sdist", "--out", str(dist)]
    session.run(*sdist, "--manifest-path", str(render.ROOT / "Cargo.toml"), external=True)
    artefacts = sorted([*built.values(), *dist.glob("*.tar.gz")])
    packages = fresh(dist / "index")
    server = Path(session.bin) / "pypi-server"
    with local_index(server, packages, dist / "index.log") as url:
        session.log(f"pypiserver on {url} without authentication, log: {dist / 'index.log'}")
        upload = ["twine", "upload", "--non-interactive", "--repository-url", url]
        session.run(*upload, "--username", "oxwheel", "--password", "unused", *map(str, artefacts))
        held = sorted(path.name for path in packages.iterdir())
        if held != sorted(path.name for path in artefacts):
            session.error(f"the index holds {held}, not the {len(artefacts)} uploaded files")
        session.log(f"the index holds all {len(held)} release files")
        for version in local_cpythons():
            session.log(f"CPython {version}: a fresh venv installs oxwheel-patterns from the index")
            venv_dir = fresh(dist / "venvs" / version)
            session.run(installed(session, version), "-m", "venv", str(venv_dir), external=True)
            python = str(venv_python(venv_dir))
            pip = [python, "-m", "pip", "install", "--quiet", "--no-cache-dir", "--isolated"]
            # --isolated: no PIP_FIND_LINKS or user configuration can supply the package instead.
            pip += ["--index-url", f"{url}simple/", "--only-binary", ":all:", "oxwheel-patterns"]
            session.run(*pip, external=True)
            session.run(python, str(PROGRAMS / "smoke.py"), "oxwheel_patterns", external=True)
