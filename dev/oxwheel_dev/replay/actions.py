"""What the modelled actions do in a replayed job (plan.MODELLED says which they are)."""

from __future__ import annotations

import fnmatch
import glob
import shutil
import subprocess
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .expressions import Unmodelled
from .image import Image


@dataclass
class Workspace:
    """A replayed job's state: its directories (as the host sees them), its environment and the
    steps' outputs."""

    image: Image
    home: Path
    workspace: Path
    temp: Path
    artifacts: Path  # shared by the jobs of one replay
    repository: Path  # the project's git repository, which checkout clones
    env: dict[str, str]
    path: list[str] = field(default_factory=list)  # what steps put before the image's PATH
    outputs: dict[str, dict[str, dict[str, str]]] = field(default_factory=dict)  # steps.ID.outputs

    def environment(self, step_env: dict[str, str]) -> dict[str, str]:
        env = {**self.env, **step_env}
        env["PATH"] = ":".join([*self.path, self.env["PATH"]])
        return env


# An action's implementation: (workspace, the step's evaluated `with:`, log) -> its outputs.
Action = Callable[[Workspace, dict[str, str], Path], dict[str, str]]


def checkout(job: Workspace, inputs: dict[str, str], log: Path) -> dict[str, str]:
    _known(inputs, {"persist-credentials"})
    shutil.rmtree(job.workspace, ignore_errors=True)
    clone = ["git", "clone", "--quiet", str(job.repository), str(job.workspace)]
    subprocess.run(clone, check=True, capture_output=True)
    return {}


def setup_python(job: Workspace, inputs: dict[str, str], log: Path) -> dict[str, str]:
    """A fresh venv per version asked for, each put on PATH; the last one is the default."""
    _known(inputs, {"python-version", "allow-prereleases"})
    versions = [line.strip() for line in inputs["python-version"].splitlines() if line.strip()]
    python = Path()
    for version in versions:
        interpreter = job.image.interpreter(version)
        if interpreter is None:
            raise Unmodelled(f"setup-python: no CPython {version} (the plan should have said)")
        venv = Path("/opt/hostedtoolcache/Python") / version / "x64"
        status = job.image.run([str(interpreter), "-m", "venv", str(venv)], {}, Path("/"), log, 300)
        if status != 0:
            raise RuntimeError(f"setup-python: a venv of CPython {version} failed, see {log}")
        job.path.insert(0, str(venv / "bin"))
        python = venv / "bin" / "python"
    return {"python-path": str(python), "python-version": versions[-1]}


def upload_artifact(job: Workspace, inputs: dict[str, str], log: Path) -> dict[str, str]:
    _known(inputs, {"name", "path", "if-no-files-found"})
    files = sorted(glob.glob(inputs["path"], root_dir=job.workspace))
    if not files and inputs.get("if-no-files-found", "warn") == "error":
        raise RuntimeError(f"upload-artifact: no files match {inputs['path']}")
    store = job.artifacts / inputs["name"]
    store.mkdir(parents=True, exist_ok=True)
    for name in files:
        shutil.copy2(job.workspace / name, store / Path(name).name)
    return {}


def download_artifact(job: Workspace, inputs: dict[str, str], log: Path) -> dict[str, str]:
    _known(inputs, {"pattern", "path", "merge-multiple"})
    if inputs.get("merge-multiple") != "true":
        raise Unmodelled("download-artifact without merge-multiple: true")
    target = job.workspace / inputs["path"]
    target.mkdir(parents=True, exist_ok=True)
    for store in sorted(job.artifacts.iterdir()):
        if fnmatch.fnmatch(store.name, inputs["pattern"]):
            for path in store.iterdir():
                shutil.copy2(path, target / path.name)
    return {}


def _known(inputs: dict[str, Any], modelled: set[str]) -> None:
    unknown = set(inputs) - modelled
    if unknown:
        raise Unmodelled(f"action inputs {sorted(unknown)}")


ACTIONS: dict[str, Action] = {
    "actions/checkout": checkout,
    "actions/setup-python": setup_python,
    "actions/upload-artifact": upload_artifact,
    "actions/download-artifact": download_artifact,
}
