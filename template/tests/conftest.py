"""What the tests share: how many cases the property tests try, the reference algorithm for
Counter, and readable ids for the (function, arguments, outcome) cases of the bad-input tests."""

import os
import reprlib
from collections.abc import Callable, Iterable

import pytest
from hypothesis import settings

from {{module_name}} import Reset

# "dev", the default, keeps `pytest` fast while you work; "ci" tries 10,000 cases across the
# property tests and is chosen wherever the CI variable is set (GitHub Actions, tox's envs there,
# cibuildwheel's test step). HYPOTHESIS_PROFILE picks one by name.
settings.register_profile("dev", max_examples=200, deadline=None)
settings.register_profile("ci", max_examples=10_000, deadline=None, print_blob=True)
PROFILE = os.environ.get("HYPOTHESIS_PROFILE") or ("ci" if os.environ.get("CI") else "dev")
settings.load_profile(PROFILE)

Reference = Callable[[Iterable[str], str, int, Reset], bool]
RESET_CHARACTERS = {Reset.NewlinesReset: "\n", Reset.SpacesReset: " ", Reset.NoReset: None}


def reference_algorithm(data: Iterable[str], what: str, min_number: int, reset: Reset) -> bool:
    """The algorithm one character at a time: reset, then count, then compare."""
    count = 0
    for char in data:
        if char == RESET_CHARACTERS[reset]:
            count = 0
        if char == what:
            count += 1
        if count >= min_number:
            return True
    return min_number == 0


@pytest.fixture(scope="session")
def reference() -> Reference:
    """What Counter(what, min_number, reset).has_count(data) must return."""
    return reference_algorithm


def pytest_make_parametrize_id(config: pytest.Config, val: object, argname: str) -> str | None:
    """`greater_than_2-(None,)-TypeError` rather than `function3-args3-error3`."""
    if argname == "args" and isinstance(val, tuple):
        return f"({', '.join(map(reprlib.repr, val))})"
    if argname == "function" and callable(val):
        return getattr(val, "__qualname__", None)
    return None
