"""The builds `nox -s bench` measures, and `nox -s time_to_green`."""

from __future__ import annotations

import re
import shutil
import subprocess
import time
from pathlib import Path
from typing import TYPE_CHECKING

from . import daily_loop, golden, paths, render, report
from .interpreters import build_env, fresh, venv_python
from .paths import WORK

if TYPE_CHECKING:
    import nox

BENCH = WORK / "bench"
CTYPES_CRATE = paths.ROOT / "dev" / "ctypes-add"


def release_venv(session: nox.Session, project: Path, work: Path, python: str) -> tuple[Path, str]:
    """Builds `project`'s release wheel (abi3, LTO, stripped) and installs it into a new venv in
    `work`: returns the wheel and the venv's python."""
    wheels = fresh(work / "wheels")
    build = ["maturin", "build", "--release", "--locked", "--interpreter", python]
    build += ["--out", str(wheels), "--manifest-path", str(project / "Cargo.toml")]
    session.run(*build, env=build_env(), silent=True)
    (wheel,) = wheels.glob("*.whl")
    subprocess.run([python, "-m", "venv", "--clear", work / "venv"], check=True)
    venv = str(venv_python(work / "venv"))
    session.run(venv, "-m", "pip", "install", "--quiet", str(wheel), external=True)
    return wheel, venv


def detach_variant(name: str, threshold: str) -> Path:
    """The root's project whose has_count releases the GIL from `threshold` bytes on."""
    answers = golden.root_answers()
    project = render.render(fresh(BENCH / name), answers["project-name"], answers).path
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


def ctypes_library(session: nox.Session) -> Path:
    """dev/ctypes-add built as a C library, outside the checkout."""
    crate = BENCH / "ctypes-add"
    shutil.rmtree(crate, ignore_errors=True)
    shutil.copytree(CTYPES_CRATE, crate)
    build = ["cargo", "build", "--release", "--locked", "--quiet"]
    build += ["--manifest-path", str(crate / "Cargo.toml")]
    session.run(*build, env={"CARGO_TARGET_DIR": str(crate / "target")}, external=True)
    return crate / "target" / "release" / "libctypes_add.so"


def measure_command(session: nox.Session, python: str) -> list[str]:
    """Builds what benchmarks/measure.py compares, on `python`; returns the command that runs it:
    the root's release wheel, two variants that always and never release the GIL, and the
    ctypes library."""
    wheel, measure_with = release_venv(session, paths.ROOT, fresh(BENCH / "root"), python)
    session.log(f"release wheel {wheel.name}: {wheel.stat().st_size:,} bytes")
    command = [measure_with, "benchmarks/measure.py", f"--wheel={wheel}"]
    for name, threshold in {"always": "0", "never": "usize::MAX"}.items():
        project = detach_variant(name, threshold)
        command.append(f"--detach={name}={release_venv(session, project, BENCH / name, python)[1]}")
    return [*command, f"--ctypes={ctypes_library(session)}"]


# The developer's loop on a new project, and the most each step may take on a 2-core machine.
GREEN_TARGETS = {
    "cold: cargo generate, then the README's pip commands to pytest passing": 60.0,
    "pytest, the default run on the debug build": 8.0,
    "warm: one line of Rust changed, maturin develop, pytest": 10.0,
}
# The same default run on the root's project, whose showcase adds the slowest tests.
ROOT_TESTS = "pytest, the default run on the root's debug build (patterns = showcase)"
ROOT_TESTS_TARGET = 8.0
TOX_TARGET = 150.0


def root_pytest(work: Path, cargo_target: Path) -> float:
    """Seconds of the default `pytest -q` on a debug build of the root's project (the template
    rendered with its answers), made with that project's README's pip commands."""
    answers = golden.root_answers()
    project = render.render(work, answers["project-name"], answers).path
    pip = daily_loop.develop_blocks(project)["pip"]
    daily_loop.run(pip, project, cargo_target)
    activate = pip[0].split("&&")[-1].strip()
    return daily_loop.run([activate, "pytest -q"], project, cargo_target).seconds


def time_to_green(session: nox.Session, versions: list[str]) -> None:
    """Seconds from cargo generate to green the way a developer works (the README's Develop
    commands, a debug build), after a one-line change, and for tox on `versions` plus lint;
    each against its target, recorded in benchmarks/results.*"""
    work = fresh(BENCH / "time-to-green")
    started = time.perf_counter()
    project = render.render(work, "green", {}).path
    pip = daily_loop.develop_blocks(project)["pip"]
    target = work / "cargo-target"
    daily_loop.run(pip, project, target)
    cold = time.perf_counter() - started
    activate = pip[0].split("&&")[-1].strip()
    tests = daily_loop.run([activate, "pytest -q"], project, target).seconds
    changed = project / "src" / "counter.rs"
    changed.write_text(changed.read_text() + "// one more line\n")
    warm = daily_loop.run([activate, "maturin develop --quiet", "pytest -q"], project, target)
    timed = dict(zip(GREEN_TARGETS, (cold, tests, warm.seconds), strict=True))
    timed[ROOT_TESTS] = root_pytest(work, target)
    tox_project = render.render(work, "green-tox", {}).path
    environments = ",".join([*versions, "lint"])
    tox_command = f"tox run -e {environments}"
    timed[f"cold: {tox_command} in a new project"] = daily_loop.run(
        [f"{Path(str(session.bin)) / tox_command}"], tox_project, work / "tox-target"
    ).seconds
    targets = {**GREEN_TARGETS, ROOT_TESTS: ROOT_TESTS_TARGET}
    targets[f"cold: {tox_command} in a new project"] = TOX_TARGET
    rows = [
        {
            "target": f"{step} ≤ {targets[step]:.0f} s",
            "measured": f"{seconds:.1f} s",
            "result": "PASS" if seconds <= targets[step] else "MISS",
            "why": "",
        }
        for step, seconds in timed.items()
    ]
    for row in rows:
        session.log(" | ".join(row[key] for key in ("target", "measured", "result")))
    note = (
        "Cold: a new project with the default answers and an empty CARGO_TARGET_DIR; crates "
        "and Python packages come from Cargo's and pip's caches, as on any machine that has "
        "built a project before. The pip steps are the README's Develop commands as written "
        "(a venv, pip upgraded, the dev group, maturin develop, pytest). pytest runs the "
        "default, quick hypothesis profile. The root's project is built and tested the same "
        "way, after the new project and in its CARGO_TARGET_DIR. tox builds the release wheel "
        "once (abi3) and runs lint: rustfmt, clippy, ruff, mypy and stubtest."
    )
    report.record(
        "time_to_green",
        {
            "title": "nox -s time_to_green: a new project to passing tests",
            "machine": report.machine("CPython " + ", ".join(versions)),
            "tables": [],
            "notes": [note],
            "targets": rows,
            "data": {step: round(seconds, 2) for step, seconds in timed.items()},
        },
    )
