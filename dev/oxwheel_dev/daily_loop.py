"""A generated project's daily loop, exactly as its README's Develop section writes it: the uv
path and the pip path. template-tests/test_daily_loop.py runs them; `nox -s time_to_green`
times them."""

from __future__ import annotations

import os
import re
import subprocess
import time
from dataclasses import dataclass
from pathlib import Path

from .interpreters import build_env

# What the caller's shell may hold that a developer's would not.
FOREIGN = ("VIRTUAL_ENV", "CI", "HYPOTHESIS_PROFILE", "PYO3_PYTHON", "CARGO_TARGET_DIR")


def readme_blocks(readme: Path, heading: str, language: str = "console") -> list[list[str]]:
    """The fenced blocks of `language` under the heading `heading` of a README (up to the next
    heading of any level), each as its lines."""
    text = readme.read_text(encoding="utf-8")
    marker = re.search(rf"^#+ {re.escape(heading)}\n", text, re.MULTILINE)
    if marker is None:
        raise ValueError(f"{readme} has no heading {heading!r}")
    section = re.split(r"^#+ ", text[marker.end() :], maxsplit=1, flags=re.MULTILINE)[0]
    found = re.findall(rf"```{language}\n(.*?)```", section, re.DOTALL)
    return [block.splitlines() for block in found]


def develop_blocks(project: Path) -> dict[str, list[str]]:
    """The console blocks of the README's Develop section, named "uv" and "pip" after the tool
    their first command runs (`uv sync`; `python3.X -m venv`, then pip)."""
    blocks = readme_blocks(project / "README.md", "Develop")
    return {"uv" if block[0].startswith("uv ") else "pip": block for block in blocks}


@dataclass
class Ran:
    seconds: float
    output: str


def run(commands: list[str], project: Path, cargo_target: Path) -> Ran:
    """Runs `commands` as one bash script in `project`, as a developer's shell would, with the
    CPythons installed here on PATH and no interpreter downloads; raises with the output if a
    command fails."""
    env = {key: value for key, value in os.environ.items() if key not in FOREIGN}
    env |= {**build_env(), "CARGO_TARGET_DIR": str(cargo_target)}
    return run_as_written(commands, project, env)


def run_as_written(commands: list[str], directory: Path, env: dict[str, str]) -> Ran:
    """`commands` as one bash script in `directory` with exactly `env`; raises with the output
    if a command fails."""
    script = "\n".join(["set -euo pipefail", *commands])
    started = time.perf_counter()
    result = subprocess.run(
        ["bash", "-c", script],
        cwd=directory,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        check=False,
    )
    seconds = time.perf_counter() - started
    if result.returncode != 0:
        raise RuntimeError(f"{script}\nfailed with exit code {result.returncode}:\n{result.stdout}")
    return Ran(seconds, result.stdout)
