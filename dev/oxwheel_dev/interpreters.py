"""Where the sessions find CPython interpreters, and the environment their builds share."""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

from . import tables
from .paths import CARGO_TARGET

PYENV_VERSIONS = Path.home() / ".pyenv" / "versions"
WINDOWS = os.name == "nt"

# The hypothesis profile of the generated tests (tests/conftest.py) where the suite runs many
# times (the option matrix, other interpreters) or under emulation: the quick one a developer
# gets by default. The replayed CI jobs run the full one, as generated projects' CI does. CI is
# set as there, so that the tests marked slow run too (the showcase's hostile-input cases).
QUICK_PROPERTY_TESTS = {"HYPOTHESIS_PROFILE": "dev", "CI": "1"}


def venv_python(directory: Path) -> Path:
    """The interpreter of the virtual environment in `directory`."""
    return directory / ("Scripts/python.exe" if WINDOWS else "bin/python")


def _pyenv_pythons(version: str) -> list[Path]:
    return sorted(PYENV_VERSIONS.glob(f"{version}.*/bin/python"))


def python_for(version: str) -> str | None:
    """The newest installed CPython `version` (e.g. "3.13"): pyenv's, then python3.13 on PATH,
    then the Windows launcher's."""
    found = _pyenv_pythons(version)
    if found:
        return str(found[-1])
    on_path = shutil.which(f"python{version}")
    if on_path or not WINDOWS or shutil.which("py") is None:
        return on_path
    launcher = subprocess.run(
        ["py", f"-{version}", "-c", "import sys; print(sys.executable)"],
        capture_output=True,
        text=True,
        check=False,
    )
    return launcher.stdout.strip() if launcher.returncode == 0 else None


def local_cpythons() -> list[str]:
    """The supported CPython releases installed here, oldest first."""
    return [version for version in tables.cpython() if python_for(version)]


def interpreter_path() -> str:
    """PATH with every installed CPython's directory first, so tox finds python3.X."""
    found = (python_for(version) for version in tables.cpython())
    directories = sorted({str(Path(python).parent) for python in found if python})
    return os.pathsep.join([*directories, os.environ.get("PATH", "")])


def build_env() -> dict[str, str]:
    """What every build shares: the interpreters, no downloaded Pythons, one cargo target."""
    return {
        "PATH": interpreter_path(),
        "UV_PYTHON_DOWNLOADS": "never",
        "CARGO_TARGET_DIR": str(CARGO_TARGET),
    }


def fresh(path: Path) -> Path:
    """An empty directory at `path`."""
    shutil.rmtree(path, ignore_errors=True)
    path.mkdir(parents=True)
    return path
