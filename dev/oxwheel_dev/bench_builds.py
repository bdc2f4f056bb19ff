"""The builds `nox -s bench` measures, and `nox -s time_to_green`."""

from __future__ import annotations

import re
import shutil
import subprocess
import time
from pathlib import Path
from typing import TYPE_CHECKING

from . import render, report
from .interpreters import WORK, build_env, fresh, venv_python

if TYPE_CHECKING:
    import nox

BENCH = WORK / "bench"
CTYPES_CRATE = render.ROOT / "dev" / "ctypes-add"


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
    answers = render.root_answers()
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
    wheel, measure_with = release_venv(session, render.ROOT, fresh(BENCH / "root"), python)
    session.log(f"release wheel {wheel.name}: {wheel.stat().st_size:,} bytes")
    command = [measure_with, "benchmarks/measure.py", f"--wheel={wheel}"]
    for name, threshold in {"always": "0", "never": "usize::MAX"}.items():
        project = detach_variant(name, threshold)
        command.append(f"--detach={name}={release_venv(session, project, BENCH / name, python)[1]}")
    return [*command, f"--ctypes={ctypes_library(session)}"]


def time_to_green(session: nox.Session, versions: list[str]) -> None:
    """Seconds from cargo generate to tox passing on `versions`, cold and after a one-line
    change; recorded in benchmarks/results.*"""
    work = fresh(BENCH / "time-to-green")
    envs = ",".join(versions)
    env = {**build_env(), "CARGO_TARGET_DIR": str(work / "cargo-target")}

    def tox_run(step: str) -> list[str]:
        """Runs tox; returns the step, its time, and tox's own split: setup (the wheel build,
        the environments) and the test commands, summed over the environments."""
        started = time.perf_counter()
        output = str(session.run("tox", "run", "-e", envs, env=env, silent=True))
        seconds = time.perf_counter() - started
        split = re.findall(r"OK \([\d.]+=setup\[([\d.]+)\]\+cmd\[([\d.]+)\] seconds\)", output)
        setup, tests = (sum(float(pair[index]) for pair in split) for index in (0, 1))
        return [step, f"{seconds:.0f} s", f"{setup:.0f} s", f"{tests:.0f} s"]

    start = time.perf_counter()
    project = render.render(work, "green", {}).path
    generate = ["cargo generate (default answers)", f"{time.perf_counter() - start:.1f} s", "", ""]
    with session.chdir(project):
        cold = tox_run(f"cold: tox run -e {envs}")
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
    table = {"title": "Time to green", "note": note, "rows": rows}
    table["columns"] = ["step", "time", "setup", "tests"]
    report.record(
        "time_to_green",
        {
            "title": "nox -s time_to_green: a new project to passing tests",
            "machine": report.machine("CPython " + ", ".join(versions)),
            "tables": [table],
            "data": {"rows": rows},
        },
    )
