"""The logging functions with wrong types, bad values and edge sizes.

A bad call raises an ordinary exception. A Rust panic would surface as
pyo3_runtime.PanicException, a BaseException that none of the `pytest.raises` here catches, so
any panic fails the test that caused it.
"""

from collections.abc import Callable

import pytest

from oxwheel_patterns import (
    log_different_levels,
    log_example,
    log_from_threads,
)

# (function, arguments, the exception raised or the value returned); conftest.py names them.
Case = tuple[Callable[..., object], tuple[object, ...], object]

WRONG_TYPES: list[Case] = [
    (log_example, (1,), TypeError),
    (log_different_levels, (1,), TypeError),
    (log_from_threads, (), TypeError),
    (log_from_threads, (None,), TypeError),
    (log_from_threads, (1.0,), TypeError),
    (log_from_threads, ("1",), TypeError),
]

BAD_VALUES: list[Case] = [
    (log_from_threads, (-1,), OverflowError),
    (log_from_threads, (2**64,), OverflowError),
    (log_from_threads, (65,), ValueError),
    (log_from_threads, (2**63,), ValueError),
]


@pytest.mark.parametrize(("function", "args", "error"), WRONG_TYPES + BAD_VALUES)
def test_bad_calls_raise(
    function: Callable[..., object], args: tuple[object, ...], error: type[Exception]
) -> None:
    with pytest.raises(error):
        function(*args)


EDGE_SIZES: list[Case] = [
    (log_from_threads, (0,), None),
    (log_from_threads, (64,), None),
]


@pytest.mark.parametrize(("function", "args", "expected"), EDGE_SIZES)
def test_edge_sizes(
    function: Callable[..., object], args: tuple[object, ...], expected: object
) -> None:
    assert function(*args) == expected
