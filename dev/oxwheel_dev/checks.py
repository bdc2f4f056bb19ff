"""The longer checks behind the nox sessions of the same names."""

from __future__ import annotations

import os
import shutil
import subprocess
import tomllib
from pathlib import Path
from typing import TYPE_CHECKING

from . import (
    crossbuild,
    debian_pythons,
    fixtures,
    golden,
    paths,
    render,
    replay,
    system,
    tables,
    targets,
    wheel_checks,
)
from .interpreters import (
    QUICK_PROPERTY_TESTS,
    build_env,
    fresh,
    local_cpythons,
    python_for,
    venv_python,
)
from .package_index import local_index
from .paths import FUZZ_TARGET, WORK
from .replay.actions import Action, Workspace

if TYPE_CHECKING:
    import nox


# This repository's own Python. The fixtures in template-tests are other people's projects:
# ruff reads them (with their fixtures/ruff.toml), mypy does not, for what they import exists
# only once they are built.
OWN_PYTHON = ["noxfile.py", "dev", "template-tests", "benchmarks"]


def lint(session: nox.Session) -> None:
    """ruff and mypy --strict on this repository's Python, then rustfmt and clippy on cli/."""
    session.run("ruff", "check", *OWN_PYTHON)
    session.run("ruff", "format", "--check", *OWN_PYTHON)
    # The benchmarks import the root's package (its stub) and benches/ as sources.
    sources = os.pathsep.join(str(paths.ROOT / folder) for folder in ("python", "benches"))
    mypy = ["mypy", "--strict", "--exclude", "^template-tests/fixtures/", *OWN_PYTHON]
    session.run(*mypy, env={"MYPYPATH": sources})
    manifest = ["--manifest-path", str(paths.ROOT / "cli" / "Cargo.toml")]
    session.run("cargo", "fmt", "--check", *manifest, external=True)
    # The update session's command in its target directory: whichever runs second finds it done.
    clippy = ["cargo", "clippy", "--release", "--locked", *manifest, "--all-targets"]
    target = targets.claimed(paths.CLI_TARGET, paths.ROOT / "cli" / "Cargo.toml")
    session.run(*clippy, "--", "-D", "warnings", external=True, env=target)


def installed(session: nox.Session, version: str) -> str:
    """The local CPython `version`, or the session fails saying which one is missing."""
    return python_for(version) or session.error(f"no CPython {version} on this machine")


def run_suite(session: nox.Session, python: str, project: Path, wheels: Path) -> None:
    """A new venv in WORK for `python`, with the wheel pip picks for it from the directory
    `wheels`; says which wheel that was, then runs `project`'s tests (quick properties)."""
    test_venv = fresh(WORK / "venvs" / f"{project.name}-{Path(python).parent.parent.name}")
    session.run(python, "-m", "venv", str(test_venv), external=True)
    python = str(venv_python(test_venv))
    pip = [python, "-m", "pip", "install", "--quiet"]
    session.run(*pip, "pytest", "hypothesis", external=True)
    name = golden.distribution_name(project)
    session.run(*pip, "--no-index", "--find-links", str(wheels), name, external=True)
    session.run(python, str(paths.PROGRAMS / "installed_wheel.py"), name, external=True)
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
    run_suite(session, python, project, wheels)


def demo(session: nox.Session) -> None:
    """Generates a project with the default answers, cross-builds its release wheels for every
    platform that builds here, installs the one for this machine, uses it, and shows the
    wheels made."""
    work = fresh(WORK / "demo")
    project = render.render(work, "oxwheel-demo", {}).path
    session.log(f"generated {project} with the default answers")
    wheels = fresh(work / "wheels")
    kinds = tables.wheel_kinds({})
    crossbuild.build_wheels(session, project, wheels, kinds=kinds)
    # pip picks the wheel that fits this machine.
    session.install("--no-index", "--find-links", str(wheels), "oxwheel-demo")
    session.run("python", str(paths.PROGRAMS / "demo.py"), "oxwheel_demo")
    session.log("made:")
    for line in wheel_checks.table(sorted(wheels.glob("*.whl"))).splitlines():
        session.log(line)


def root_wheels(session: nox.Session, wheels: Path) -> None:
    """Cross-builds the root's release wheels into `wheels` (every kind it ships, for every
    platform that builds here) and checks each one with wheel_checks."""
    kinds = golden.root_wheel_kinds()
    crossbuild.build_wheels(session, paths.ROOT, fresh(wheels), kinds=kinds)
    tags = [argument for kind in kinds for argument in ("--tag", kind.tags)]
    session.run("python", "-m", "oxwheel_dev.wheel_checks", str(wheels), *tags)


def fuzz(session: nox.Session, seconds: str) -> None:
    """cargo fuzz on stable Rust: the has_count target for `seconds` on a copy of the root,
    built against the root's Cargo.lock, with its corpus kept between runs."""
    project = golden.copy_root(fresh(WORK / "fuzz" / "project"))
    corpus = WORK / "fuzz" / "corpus"
    corpus.mkdir(exist_ok=True)
    env = {
        **build_env(),
        "PATH": system.cargo_tool(session, "cargo-fuzz", "0.13.2"),
        # cargo fuzz passes nightly flags (-Zsanitizer=address); stable 1.95 accepts them so.
        "RUSTC_BOOTSTRAP": "1",
        # The fuzz crate and the package it tests, each built from this checkout's copy.
        **targets.claimed(FUZZ_TARGET, project / "Cargo.toml"),
        **targets.claimed(FUZZ_TARGET, project / "fuzz" / "Cargo.toml"),
        "PYO3_PYTHON": installed(session, golden.root_answers()["python_min"]),
    }
    with session.chdir(project):
        run = ["cargo", "fuzz", "run", "has_count", str(corpus), "--", f"-max_total_time={seconds}"]
        session.run(*run, external=True, env=env)


def qemu_suite(session: nox.Session, wheels: Path) -> None:
    """The root's tests against its manylinux aarch64 wheel, on Debian bookworm's arm64
    python3 under QEMU user emulation."""
    system.apt_install(session, "qemu-aarch64-static", "qemu-user-static")
    debian = system.debian_root(session, "arm64", "bookworm", "python3")
    (aarch64,) = (p for p in tables.cross_built() if p.wheel == "manylinux_aarch64")
    abi3 = golden.root_wheel_kinds()[:1]  # Debian bookworm's python3 is the root's lowest CPython
    (wheel,) = crossbuild.build_wheels(session, paths.ROOT, wheels, [aarch64], abi3)
    site = fresh(WORK / "qemu-site")
    session.log(f"installing {wheel.name}, pytest and hypothesis for Debian's arm64 python3")
    pip = ["python", "-m", "pip", "install", "--quiet", "--target", str(site)]
    pip += ["--platform", aarch64.tag, "--python-version", golden.root_answers()["python_min"]]
    session.run(*pip, "--only-binary=:all:", str(wheel), "pytest", "hypothesis")
    python = ["qemu-aarch64-static", "-L", str(debian), str(debian / "usr" / "bin" / "python3")]
    env = {"PYTHONPATH": str(site), "PYTHONDONTWRITEBYTECODE": "1", **QUICK_PROPERTY_TESTS}
    where = "import platform, sys, oxwheel_patterns._core as core; "
    where += "print(platform.machine(), 'CPython', sys.version.split()[0], core.__file__)"
    session.run(*python, "-c", where, env=env, external=True)
    with session.chdir(paths.ROOT):
        pytest = ["-m", "pytest", "-q", "-p", "no:cacheprovider", "tests"]
        session.run(*python, *pytest, env=env, external=True)


def release_rehearsal(session: nox.Session, wheels: Path) -> None:
    """The release workflow's upload, minus OIDC, against a local pypiserver: a tag that does
    not name the built version is refused before anything is uploaded; an upload cut short is
    completed by a re-run with --skip-existing; then every local CPython installs the package
    from the index and runs a smoke test."""
    built = crossbuild.build_wheels(session, paths.ROOT, wheels, kinds=golden.root_wheel_kinds())
    dist = fresh(WORK / "release")
    sdist = [str(crossbuild.wheel_builder(session) / "maturin"), "sdist", "--out", str(dist)]
    session.run(*sdist, "--manifest-path", str(paths.ROOT / "Cargo.toml"), external=True)
    artefacts = sorted([*built, *dist.glob("*.tar.gz")])
    for artefact in built:
        shutil.copy2(artefact, dist / artefact.name)
    version = tomllib.loads((paths.ROOT / "Cargo.toml").read_text())["package"]["version"]
    check = ["python", str(paths.ROOT / ".github" / "release_version.py")]
    packages = fresh(WORK / "release-index")
    server = Path(session.bin) / "pypi-server"
    with local_index(server, packages, WORK / "release-index.log") as url:
        session.log(f"pypiserver on {url} without authentication")
        refused = session.run(*check, "v0.0.0", str(dist), success_codes=[1], silent=True)
        session.log(f"(a) the tag v0.0.0 is refused before any upload:\n{refused}")
        session.run(*check, f"v{version}", str(dist))
        upload = ["twine", "upload", "--non-interactive", "--repository-url", url]
        upload += ["--username", "oxwheel", "--password", "unused"]
        half = artefacts[: len(artefacts) // 2]
        session.run(*upload, *map(str, half))
        session.log(f"(b) an upload cut short after {len(half)} of {len(artefacts)} files, re-run:")
        session.run(*upload, "--skip-existing", *map(str, artefacts))
        held = sorted(path.name for path in packages.iterdir())
        if held != sorted(path.name for path in artefacts):
            session.error(f"the index holds {held}, not the {len(artefacts)} uploaded files")
        session.log(f"the index holds all {len(held)} release files, each once")
        for version in local_cpythons():
            session.log(f"CPython {version}: a fresh venv installs oxwheel-patterns from the index")
            venv_dir = fresh(dist / "venvs" / version)
            session.run(installed(session, version), "-m", "venv", str(venv_dir), external=True)
            python = str(venv_python(venv_dir))
            pip = [python, "-m", "pip", "install", "--quiet", "--no-cache-dir", "--isolated"]
            # --isolated: no PIP_FIND_LINKS or user configuration can supply the package instead.
            pip += ["--index-url", f"{url}simple/", "--only-binary", ":all:", "oxwheel-patterns"]
            session.run(*pip, external=True)
            session.run(python, str(paths.PROGRAMS / "smoke.py"), "oxwheel_patterns", external=True)


def every_cpython(session: nox.Session, wheels: Path) -> None:
    """The root's tests on every supported CPython, each with the wheel pip picks for it from
    the root's Linux x86_64 release wheels for GIL-enabled CPython (abi3, abi3t): the CPythons
    installed here, the others from Debian sid in a chroot."""
    (linux,) = (row for row in tables.cross_built() if row.wheel == "manylinux_x86_64")
    gil = [kind for kind in golden.root_wheel_kinds() if not kind.free_threaded]
    built = crossbuild.build_wheels(session, paths.ROOT, fresh(wheels), [linux], gil)
    local = local_cpythons()
    missing = debian_pythons.missing_here(local)
    root = debian_pythons.sid_root(session, missing) if missing else None
    for version in tables.cpython():
        session.log(f"CPython {version}: pip picks one of {[wheel.name for wheel in built]}")
        if version in local:
            run_suite(session, installed(session, version), paths.ROOT, wheels)
        elif root is not None:
            debian_pythons.run_suite(session, root, version, paths.ROOT, wheels)


def wheelhouse_stand_in(session: nox.Session, project: Path) -> Action:
    """What cibuildwheel leaves in wheelhouse/ on the Linux x86_64 runner, as far as the
    replayed steps use it: the manylinux wheels of the GIL-enabled kinds the project ships,
    cross-built with maturin and zig (once per project)."""
    answers = golden.root_answers(project)
    kinds = [kind for kind in tables.wheel_kinds(answers) if not kind.free_threaded]
    if answers["abi3"] != "true":
        kinds = kinds[:1]  # one version-specific wheel, for the lowest release, is enough
    (linux,) = (row for row in tables.cross_built() if row.wheel == "manylinux_x86_64")
    built: list[Path] = []

    def build(job: Workspace, inputs: dict[str, str], log: Path) -> dict[str, str]:
        if not built:
            out = fresh(WORK / "replay" / f"{project.name}-wheelhouse")
            built.extend(crossbuild.build_wheels(session, project, out, [linux], kinds))
        (job.workspace / "wheelhouse").mkdir(exist_ok=True)
        for wheel in built:
            shutil.copy2(wheel, job.workspace / "wheelhouse" / wheel.name)
        return {}

    return build


def replay_workflows(session: nox.Session, variants: dict[str, dict[str, str]]) -> None:
    """Generates a project per variant and replays its workflows for a push and a release; then
    adopts the fixture fixtures.REPLAYED and replays its workflows (its own and the adopted
    ones) for a push. Prints the table of every job, row and step; fails if
    a replayed job failed."""
    root = debian_pythons.sid_root(session, debian_pythons.missing_here(local_cpythons()))
    failures = []
    with replay.image.mounted(root) as image:
        for name, answers in variants.items():
            work = fresh(WORK / "replay" / name)
            project = render.render(work, f"replay-{name}", answers).path
            version = tomllib.loads((project / "Cargo.toml").read_text())["package"]["version"]
            events = [replay.Event("push"), replay.Event("release", f"v{version}")]
            failures += _replayed(session, image, project, work, events, str(answers or "defaults"))
        work = fresh(WORK / "replay" / f"adopted-{fixtures.REPLAYED}")
        project = adopted_project(fixtures.load(fixtures.REPLAYED, work))
        failures += _replayed(session, image, project, work, [replay.Event("push")], "adopted")
    if failures:
        session.error("replayed jobs failed:\n" + "\n".join(failures))


def adopted_project(project: Path) -> Path:
    """A project of template-tests/fixtures, adopted from this checkout's template and
    committed; maturin's CI.yml, which the replay cannot run, replaced as --replace-ci offers."""
    options = ["--replace-ci"] if (project / ".github/workflows/CI.yml").exists() else []
    command = [str(render.ensure_oxwheel()), "adopt", "--template", str(paths.ROOT), *options]
    subprocess.run(command, cwd=project, check=True, env=render.without_cargo_generate_settings())
    identity = ["-c", "user.name=replay", "-c", "user.email=replay@localhost"]
    subprocess.run(["git", "add", "--all"], cwd=project, check=True)
    commit = ["git", *identity, "commit", "--quiet", "--message", "Adopt the oxwheel pipeline"]
    subprocess.run(commit, cwd=project, check=True)
    return project


def _replayed(
    session: nox.Session,
    image: replay.image.Image,
    project: Path,
    work: Path,
    events: list[replay.Event],
    answers: str,
) -> list[str]:
    """Replays `project` for `events`; returns its failed jobs."""
    stand_ins = {"cibuildwheel": wheelhouse_stand_in(session, project)}
    results = replay.replay(project, image, work / "run", events, stand_ins)
    session.log(f"{project.name} ({answers}):\n{replay.table(results)}")
    session.log(f"{project.name}: {replay.summary(results)}")
    return [f"{project.name}: {r.title} (log: {r.log})" for r in replay.failed(results)]
