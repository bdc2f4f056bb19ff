"""Builders for small existing PyO3 projects that tests of `oxwheel adopt` start from.

Each builder writes one project, from the strings in this module, into a new directory
under the given parent, makes it a git repository with one commit on `main`, and returns
its path.  The projects differ in the traits `adopt` has to read from an existing tree:
where the maturin settings live, whether the Rust side is a workspace, where the Python
package sits, which test runner the project uses, and whether a Cargo.lock is committed.

`BUILDERS` names the three that build, which the test of adopt and the replay take; the
fourth, a setuptools-rust project, is there to be refused.
"""

from __future__ import annotations

import subprocess
from collections.abc import Callable
from pathlib import Path

from . import tables

PYO3 = "0.30.1"


def write(root: Path, files: dict[str, str]) -> None:
    """Write each relative path in `files` under `root`, creating directories."""
    for relative, text in files.items():
        path = root / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")


def _run(root: Path, *command: str) -> None:
    subprocess.run(command, cwd=root, check=True, capture_output=True, text=True)


def _commit(root: Path) -> None:
    """Make `root` a git repository holding everything in it as one commit on `main`."""
    _run(root, "git", "init", "--quiet", "--initial-branch", "main")
    _run(root, "git", "add", "--all")
    _run(
        root,
        *("git", "-c", "user.name=test", "-c", "user.email=test@localhost"),
        *("-c", "commit.gpgsign=false", "commit", "--quiet", "-m", "Initial commit"),
    )


def _lock(root: Path) -> None:
    """Write a Cargo.lock for the project (or workspace) at `root`."""
    _run(root, "cargo", "generate-lockfile")


# --- shared pieces ------------------------------------------------------------------------

_BUILD_SYSTEM = """\
[build-system]
requires = ["maturin>=1.16,<2"]
build-backend = "maturin"
"""

_CLASSIFIERS = """\
classifiers = [
    "Programming Language :: Rust",
    "Programming Language :: Python :: Implementation :: CPython",
    "Programming Language :: Python :: Implementation :: PyPy",
]
"""

_SHORT_GITIGNORE = """\
/target
__pycache__/
*.py[cod]
*.so
*.egg-info/
.venv/
build/
dist/
"""

# --- 1. pyo3-sum: what `maturin new --bindings pyo3` lays down -----------------------------

_SUM_CARGO = f"""\
[package]
name = "pyo3-sum"
version = "0.1.0"
edition = "2021"

# See more keys and their definitions at https://doc.rust-lang.org/cargo/reference/manifest.html
[lib]
name = "pyo3_sum"
crate-type = ["cdylib"]

[dependencies]
pyo3 = "{PYO3}"
"""

_SUM_PYPROJECT = f"""\
{_BUILD_SYSTEM}
[project]
name = "pyo3-sum"
requires-python = ">=3.13"
{_CLASSIFIERS}dynamic = ["version"]

[tool.maturin]
features = ["pyo3/extension-module"]
"""

_SUM_LIB = """\
use pyo3::prelude::*;

/// Formats the sum of two numbers as string.
#[pyfunction]
fn sum_as_string(a: usize, b: usize) -> PyResult<String> {
    Ok((a + b).to_string())
}

/// A Python module implemented in Rust.
#[pymodule]
fn pyo3_sum(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add_function(wrap_pyfunction!(sum_as_string, m)?)?;
    Ok(())
}
"""

_SUM_GITIGNORE = """\
/target

# Byte-compiled / optimized / DLL files
__pycache__/
.pytest_cache/
*.py[cod]

# C extensions
*.so

# Distribution / packaging
.Python
.venv/
env/
bin/
build/
develop-eggs/
dist/
eggs/
lib/
lib64/
parts/
sdist/
var/
include/
man/
venv/
*.egg-info/
.installed.cfg
*.egg

# Installer logs
pip-log.txt
pip-delete-this-directory.txt
pip-selfcheck.json

# Unit test / coverage reports
htmlcov/
.tox/
.coverage
.cache
nosetests.xml
coverage.xml

# Editors and OS files
.idea/
.vscode/
.DS_Store

# Pyenv
.python-version
"""

_SUM_TOOLCHAIN = """\
[toolchain]
channel = "stable"
components = ["rustfmt", "clippy"]
profile = "minimal"
"""

_SUM_TEST = """\
import unittest

from hypothesis import given
from hypothesis import strategies as st
from pyo3_sum import sum_as_string


class SumAsStringTest(unittest.TestCase):
    def test_adds_small_numbers(self) -> None:
        assert sum_as_string(1, 2) == "3"

    @given(st.integers(0, 2**31), st.integers(0, 2**31))
    def test_adds_as_python_does(self, a: int, b: int) -> None:
        assert sum_as_string(a, b) == str(a + b)

    def test_zero(self) -> None:
        assert sum_as_string(0, 0) == "0"

    def test_negative_is_rejected(self) -> None:
        try:
            sum_as_string(-1, 1)
        except OverflowError:
            return
        self.fail("a negative argument should raise OverflowError")


if __name__ == "__main__":
    unittest.main()
"""

_WHEEL_STEPS = """\
    steps:
      - uses: actions/checkout@v4
      - uses: actions/setup-python@v5
        with:
          python-version: "3.12"
      - name: Build wheels
        uses: PyO3/maturin-action@v1
        with:
          target: ${{ matrix.target }}
          args: --release --out dist --find-interpreter
"""


def _wheel_job(name: str, runner: str, targets: str, extra: str = "") -> str:
    """One build job of the CI workflow: a target matrix, a maturin build, an upload."""
    return (
        f"  {name}:\n"
        f"    runs-on: {runner}\n"
        "    strategy:\n"
        "      matrix:\n"
        f"        target: [{targets}]\n"
        f"{_WHEEL_STEPS}{extra}"
        "      - name: Upload wheels\n"
        "        uses: actions/upload-artifact@v4\n"
        "        with:\n"
        f"          name: wheels-{name}-${{{{ matrix.target }}}}\n"
        "          path: dist\n"
        "\n"
    )


_CI_HEAD = """\
# Builds wheels for every platform on each push; publishes them to PyPI on a tag.
name: CI

on:
  push:
    branches:
      - main
      - master
    tags:
      - '*'
  pull_request:
  workflow_dispatch:

permissions:
  contents: read

jobs:
"""

_CI_TAIL = """\
  sdist:
    runs-on: ubuntu-latest
    steps:
      - uses: actions/checkout@v4
      - name: Build sdist
        uses: PyO3/maturin-action@v1
        with:
          command: sdist
          args: --out dist
      - name: Upload sdist
        uses: actions/upload-artifact@v4
        with:
          name: wheels-sdist
          path: dist

  release:
    name: Release
    runs-on: ubuntu-latest
    if: ${{ startsWith(github.ref, 'refs/tags/') || github.event_name == 'workflow_dispatch' }}
    needs: [linux, musllinux, windows, macos, sdist]
    steps:
      - uses: actions/download-artifact@v4
      - name: Publish to PyPI
        uses: PyO3/maturin-action@v1
        env:
          MATURIN_PYPI_TOKEN: ${{ secrets.PYPI_API_TOKEN }}
        with:
          command: upload
          args: --non-interactive --skip-existing wheels-*/*
"""

_MANYLINUX = "          manylinux: auto\n"
_MUSLLINUX = "          manylinux: musllinux_1_2\n"


def _sum_ci() -> str:
    """A workflow shaped like `maturin generate-ci github`: four build jobs, sdist, release."""
    return (
        _CI_HEAD
        + _wheel_job("linux", "ubuntu-latest", "x86_64, aarch64", _MANYLINUX)
        + _wheel_job("musllinux", "ubuntu-latest", "x86_64, aarch64", _MUSLLINUX)
        + _wheel_job("windows", "windows-latest", "x64")
        + _wheel_job("macos", "macos-latest", "x86_64, aarch64")
        + _CI_TAIL
    )


def maturin_new(parent: Path) -> Path:
    """Build `pyo3-sum`, the shape `maturin new --bindings pyo3` gives.

    Traits: a single pure-Rust crate (no Python source), version-specific pyo3 (no abi3),
    `[tool.maturin] features = ["pyo3/extension-module"]`, version taken from Cargo.toml,
    requires-python >=3.13, no Cargo.lock committed, a rust-toolchain.toml, tests written
    for unittest whose dependency (hypothesis) is in tests/requirements.txt, and a
    generated-looking CI.yml that publishes to PyPI on a tag.
    """
    root = parent / "pyo3-sum"
    files = {
        "Cargo.toml": _SUM_CARGO,
        "pyproject.toml": _SUM_PYPROJECT,
        "src/lib.rs": _SUM_LIB,
        ".gitignore": _SUM_GITIGNORE,
        "rust-toolchain.toml": _SUM_TOOLCHAIN,
        "tests/test_sum.py": _SUM_TEST,
        # The tests' dependencies, in a requirements file.
        "tests/requirements.txt": "hypothesis>=6.100\n",
        ".github/workflows/CI.yml": _sum_ci(),
    }
    write(root, files)
    _commit(root)
    return root


# --- 2. mixed-rs: `maturin new --mixed` with every name different ---------------------------

_MIXED_CARGO = f"""\
[package]
name = "mixed-rs"
version = "0.2.0"
edition = "2021"
license = "MIT"
readme = "README.md"

[lib]
name = "mixed_lib"
crate-type = ["cdylib"]

[dependencies]
pyo3 = {{ version = "{PYO3}", features = ["abi3-py311"] }}

[lints.rust]
unexpected_cfgs = {{ level = "warn", check-cfg = ["cfg(mixed_flag)"] }}

[package.metadata.maturin]
python-source = "python"
module-name = "mixed_pkg._native"
"""

_MIXED_PYPROJECT = f"""\
{_BUILD_SYSTEM}
[project]
name = "mixed-dist"
requires-python = ">=3.11"
{_CLASSIFIERS}dynamic = ["version", "license", "readme"]

[project.optional-dependencies]
test = ["pytest>=8"]

[tool.pytest.ini_options]
testpaths = ["tests"]

# maturin >= 0.15 ignores [package.metadata.maturin] in Cargo.toml: these are the settings
# it reads.  Cargo.toml still carries the old table, as projects from that time often do.
[tool.maturin]
python-source = "python"
module-name = "mixed_pkg._native"
"""

_MIXED_README = """\
# mixed-dist

A Rust extension (`mixed_pkg._native`) with a small Python package around it.

    pip install mixed-dist
"""

_MIXED_CARGO_CONFIG = """\
[build]
rustflags = ["--cfg", "mixed_flag"]
"""

_MIXED_LIB = """\
use pyo3::prelude::*;

/// Doubles an integer.
#[pyfunction]
fn double(x: i64) -> i64 {
    x * 2
}

/// Whether the crate was compiled with `--cfg mixed_flag` (set in .cargo/config.toml).
#[pyfunction]
fn flagged() -> bool {
    cfg!(mixed_flag)
}

/// The native half of `mixed_pkg`.
#[pymodule]
#[pyo3(name = "_native")]
fn native(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add_function(wrap_pyfunction!(double, m)?)?;
    m.add_function(wrap_pyfunction!(flagged, m)?)?;
    Ok(())
}
"""

_MIXED_INIT = """\
from ._native import double, flagged

__all__ = ["double", "flagged", "quadruple"]


def quadruple(x: int) -> int:
    return double(double(x))
"""

_MIXED_STUB = """\
def double(x: int) -> int: ...
def flagged() -> bool: ...
"""

# No `import pytest`: whether isort counts `mixed_pkg` (under python/) as first-party
# depends on the linter's settings, and the import block must sort the same either way.
_MIXED_TEST = """\
import mixed_pkg
from mixed_pkg import _native


def test_double() -> None:
    assert [mixed_pkg.double(x) for x in (0, 3, -4)] == [0, 6, -8]


def test_quadruple_is_pure_python() -> None:
    assert mixed_pkg.quadruple(5) == 20


def test_built_with_cargo_config_flag() -> None:
    assert _native.flagged() is True
"""


def maturin_mixed(parent: Path) -> Path:
    """Build `mixed-rs`, the shape `maturin new --mixed` gives, with every name different.

    Traits: Cargo package `mixed-rs`, lib `mixed_lib`, module `mixed_pkg._native`,
    distribution `mixed-dist`; maturin settings in both Cargo.toml's stale
    `[package.metadata.maturin]` (which maturin >= 0.15 ignores without a word) and
    pyproject.toml's `[tool.maturin]` (which it reads); Python source under python/ with
    py.typed and a `_native.pyi` stub; abi3-py311; version, license and readme
    dynamic (from Cargo.toml); test deps as the `test` extra; pytest with testpaths;
    a `.cargo/config.toml` rustflag (`--cfg mixed_flag`) declared in `[lints.rust]`;
    a committed Cargo.lock. The package is the member `packages/mixed` of a uv workspace,
    whose root pyproject.toml has no build system.
    """
    root = parent / "mixed-rs"
    package = {
        "Cargo.toml": _MIXED_CARGO,
        "pyproject.toml": _MIXED_PYPROJECT,
        "README.md": _MIXED_README,
        ".cargo/config.toml": _MIXED_CARGO_CONFIG,
        "src/lib.rs": _MIXED_LIB,
        "python/mixed_pkg/__init__.py": _MIXED_INIT,
        "python/mixed_pkg/_native.pyi": _MIXED_STUB,
        "python/mixed_pkg/py.typed": "",
        "tests/test_mixed.py": _MIXED_TEST,
    }
    write(root, {".gitignore": _SHORT_GITIGNORE, "pyproject.toml": _UV_WORKSPACE})
    write(root / "packages" / "mixed", package)
    _lock(root / "packages" / "mixed")
    _commit(root)
    return root


# The repository's root: a uv workspace, no build system; the package is its member.
_UV_WORKSPACE = """\
[project]
name = "mixed-workspace"
version = "0"
requires-python = ">=3.11"

[tool.uv.workspace]
members = ["packages/*"]
"""


# --- 3. rootpkg: package at the repository root, binding crate in a workspace ---------------

_ROOT_WORKSPACE = """\
[workspace]
members = ["crates/rootpkg-core", "crates/rootpkg-py"]
resolver = "2"
"""

_ROOT_CORE_CARGO = """\
[package]
name = "rootpkg-core"
version = "0.3.0"
edition = "2021"
license = "MIT"
"""

_ROOT_CORE_LIB = """\
//! Plain Rust statistics, with no Python in sight.

/// The arithmetic mean of `values`, or `None` when there are none.
pub fn mean(values: &[f64]) -> Option<f64> {
    if values.is_empty() {
        return None;
    }
    Some(values.iter().sum::<f64>() / values.len() as f64)
}

#[cfg(test)]
mod tests {
    use super::mean;

    #[test]
    fn mean_of_values() {
        assert_eq!(mean(&[1.0, 2.0, 3.0, 4.0]), Some(2.5));
    }

    #[test]
    fn mean_of_nothing() {
        assert_eq!(mean(&[]), None);
    }
}
"""

_ROOT_PY_CARGO = f"""\
[package]
name = "rootpkg-py"
version = "0.3.0"
edition = "2021"
license = "MIT"

[lib]
name = "rootpkg_ext"
crate-type = ["cdylib"]

[dependencies]
pyo3 = "{PYO3}"
rootpkg-core = {{ path = "../rootpkg-core" }}
"""

_ROOT_PY_LIB = """\
use pyo3::prelude::*;

/// The arithmetic mean of a list of floats, or None for an empty list.
#[pyfunction]
fn mean(values: Vec<f64>) -> Option<f64> {
    rootpkg_core::mean(&values)
}

/// Python bindings for rootpkg-core.
#[pymodule]
fn _ext(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add_function(wrap_pyfunction!(mean, m)?)?;
    Ok(())
}
"""

_ROOT_PYPROJECT = """\
[build-system]
requires = ["maturin>=1.16,<2"]
build-backend = "maturin"

[project]
name = "rootpkg"
version = "0.3.0"
description = "Statistics in Rust, with the Python package at the repository root."
requires-python = ">=3.14"
license = "MIT"

[dependency-groups]
dev = ["pytest>=8.3"]

[tool.maturin]
manifest-path = "crates/rootpkg-py/Cargo.toml"
python-source = "."
module-name = "rootpkg._ext"
"""

_ROOT_INIT = """\
from ._ext import mean

__all__ = ["mean", "spread"]


def spread(values: list[float]) -> float:
    if not values:
        raise ValueError("spread of an empty list")
    return max(values) - min(values)
"""

_ROOT_STUB = """\
def mean(values: list[float]) -> float | None: ...
"""

_ROOT_TEST = """\
import pytest

import rootpkg


def test_mean() -> None:
    assert rootpkg.mean([1.0, 2.0, 6.0]) == pytest.approx(3.0)


def test_mean_of_nothing() -> None:
    assert rootpkg.mean([]) is None


def test_spread() -> None:
    assert rootpkg.spread([4.0, -1.0, 2.5]) == 5.0


def test_spread_of_nothing() -> None:
    with pytest.raises(ValueError, match="empty"):
        rootpkg.spread([])
"""

_ROOT_CI = """\
name: ci

on:
  push:
    branches: [main]
  pull_request:

permissions:
  contents: read

jobs:
  test:
    runs-on: {runner}
    steps:
      - uses: actions/checkout@3d3c42e5aac5ba805825da76410c181273ba90b1 # v7.0.1
        with:
          persist-credentials: false
      - uses: actions/setup-python@5fda3b95a4ea91299a34e894583c3862153e4b97 # v7.0.0
        with:
          python-version: "3.14"
      - run: >-
          rustup toolchain install stable --profile minimal --no-self-update
          && rustup default stable
      - run: |
          python -m pip install --upgrade pip
          python -m pip install . --group dev
          python -P -m pytest
"""


def package_at_root(parent: Path) -> Path:
    """Build `rootpkg`: the Python package beside pyproject.toml, the crate in a workspace.

    Traits: package `rootpkg/` at the repository root (`python-source = "."`), extension
    `rootpkg._ext`; a Cargo workspace (pure-Rust `rootpkg-core` plus binding crate
    `rootpkg-py`, lib `rootpkg_ext`) reached through `manifest-path`; version-specific
    pyo3; a static version 0.3.0 and SPDX license in pyproject.toml; test deps as a
    `dev` dependency group; a committed Cargo.lock; its own test-only ci.yml with
    SHA-pinned actions and no publishing.  Its tests run as `python -P -m pytest`: with a
    plain `python -m`, the source `rootpkg/` (no `_ext` in it) shadows the installed one.
    """
    root = parent / "rootpkg"
    files = {
        "Cargo.toml": _ROOT_WORKSPACE,
        "crates/rootpkg-core/Cargo.toml": _ROOT_CORE_CARGO,
        "crates/rootpkg-core/src/lib.rs": _ROOT_CORE_LIB,
        "crates/rootpkg-py/Cargo.toml": _ROOT_PY_CARGO,
        "crates/rootpkg-py/src/lib.rs": _ROOT_PY_LIB,
        "pyproject.toml": _ROOT_PYPROJECT,
        "rootpkg/__init__.py": _ROOT_INIT,
        "rootpkg/_ext.pyi": _ROOT_STUB,
        "rootpkg/py.typed": "",
        "tests/test_rootpkg.py": _ROOT_TEST,
        ".gitignore": _SHORT_GITIGNORE,
        # On the first runner of the platform table, which the replay stands in for.
        ".github/workflows/ci.yml": _ROOT_CI.replace("{runner}", tables.platforms()[0].runner),
    }
    write(root, files)
    _lock(root)
    _commit(root)
    return root


# --- 4. legacy-ext: setuptools-rust ---------------------------------------------------------

_LEGACY_SETUP = """\
from setuptools import setup
from setuptools_rust import Binding, RustExtension

setup(
    rust_extensions=[RustExtension("legacy_ext._lib", binding=Binding.PyO3)],
    packages=["legacy_ext"],
    zip_safe=False,
)
"""

_LEGACY_PYPROJECT = """\
[build-system]
requires = ["setuptools", "setuptools-rust"]
build-backend = "setuptools.build_meta"

[project]
name = "legacy-ext"
version = "0.4.0"
requires-python = ">=3.9"
"""

_LEGACY_CARGO = f"""\
[package]
name = "legacy-ext"
version = "0.4.0"
edition = "2021"

[lib]
name = "legacy_ext"
crate-type = ["cdylib"]

[dependencies]
pyo3 = {{ version = "{PYO3}", features = ["extension-module"] }}
"""

_LEGACY_LIB = """\
use pyo3::prelude::*;

/// Greets someone by name.
#[pyfunction]
fn greet(name: &str) -> String {
    format!("Hello, {name}!")
}

/// The compiled half of `legacy_ext`.
#[pymodule]
fn _lib(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add_function(wrap_pyfunction!(greet, m)?)?;
    Ok(())
}
"""

_LEGACY_INIT = """\
from legacy_ext._lib import greet

__all__ = ["greet"]
"""


def setuptools_rust(parent: Path) -> Path:
    """Build `legacy-ext`, a setuptools-rust project (it is never built by the tests).

    Traits: setup.py with `RustExtension("legacy_ext._lib", binding=Binding.PyO3)`,
    setuptools build backend, static version, pyo3 with the `extension-module` feature,
    no Cargo.lock, no tests and no CI.
    """
    root = parent / "legacy-ext"
    files = {
        "setup.py": _LEGACY_SETUP,
        "pyproject.toml": _LEGACY_PYPROJECT,
        "Cargo.toml": _LEGACY_CARGO,
        "src/lib.rs": _LEGACY_LIB,
        "legacy_ext/__init__.py": _LEGACY_INIT,
        ".gitignore": _SHORT_GITIGNORE,
    }
    write(root, files)
    _commit(root)
    return root


# The projects that build, by their folder's name: the test of adopt and the replay take each.
BUILDERS: dict[str, Callable[[Path], Path]] = {
    "pyo3-sum": maturin_new,
    "mixed-rs": maturin_mixed,
    "rootpkg": package_at_root,
}
