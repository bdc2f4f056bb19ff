"""What the tests share: how many cases the property tests try, readable ids for the
(function, arguments, outcome) cases of the bad-input tests, and a child interpreter for what
could crash."""

import os
import reprlib
import subprocess
import sys
from collections.abc import Callable

import pytest
from hypothesis import settings

# "dev", the default, keeps `pytest` fast while you work; "ci" tries 10,000 cases across the
# property tests and is chosen wherever the CI variable is set (GitHub Actions, tox's envs there,
# cibuildwheel's test step). HYPOTHESIS_PROFILE picks one by name.
settings.register_profile("dev", max_examples=200, deadline=None)
settings.register_profile("ci", max_examples=10_000, deadline=None, print_blob=True)
PROFILE = os.environ.get("HYPOTHESIS_PROFILE") or ("ci" if os.environ.get("CI") else "dev")
settings.load_profile(PROFILE)


def pytest_make_parametrize_id(config: pytest.Config, val: object, argname: str) -> str | None:
    """`greater_than_2-(None,)-TypeError` rather than `function3-args3-error3`."""
    if argname == "args" and isinstance(val, tuple):
        return f"({', '.join(map(reprlib.repr, val))})"
    if argname == "function" and callable(val):
        return getattr(val, "__qualname__", None)
    return None


ChildInterpreter = Callable[[str], subprocess.CompletedProcess[str]]


@pytest.fixture(scope="session")
def child_interpreter() -> ChildInterpreter:
    """Runs a script in a child interpreter with a timeout, so that an abort or a hang fails
    one test; skips where no child can start (user-mode emulation without binfmt, as under
    qemu-aarch64 -L, cannot exec)."""

    def run(script: str) -> subprocess.CompletedProcess[str]:
        try:
            return subprocess.run(
                [sys.executable, "-c", script],
                capture_output=True,
                text=True,
                timeout=30,
                check=False,
            )
        except OSError as error:
            pytest.skip(f"this interpreter cannot start a child interpreter: {error}")

    return run


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption("--slow", action="store_true", help="also run the tests marked slow")


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """Skips the tests marked slow, saying so, unless --slow is given or the CI variable is set:
    tox's test envs and cibuildwheel's test command pass --slow, GitHub Actions sets CI (the
    wheels workflow's own test steps)."""
    if config.getoption("--slow") or os.environ.get("CI"):
        return
    skip = pytest.mark.skip(reason="slow: `pytest --slow` runs it, as tox and CI do")
    for item in items:
        if item.get_closest_marker("slow"):
            item.add_marker(skip)
