"""greater_than_2 with wrong types, bad values and edge sizes.

A bad call raises an ordinary exception. A Rust panic would surface as
pyo3_runtime.PanicException, a BaseException that none of the `pytest.raises` here catches, so
any panic fails the test that caused it.
"""

from collections.abc import Callable

import pytest

from oxwheel_patterns import NumberTooSmallError, greater_than_2

# (function, arguments, the exception raised or the value returned); conftest.py names them.
Case = tuple[Callable[..., object], tuple[object, ...], object]

WRONG_TYPES: list[Case] = [
    (greater_than_2, (), TypeError),
    (greater_than_2, (3, 4), TypeError),
    (greater_than_2, (None,), TypeError),
    (greater_than_2, (3.0,), TypeError),
    (greater_than_2, ("3",), TypeError),
]

BAD_VALUES: list[Case] = [
    (greater_than_2, (2,), NumberTooSmallError),
    (greater_than_2, (True,), NumberTooSmallError),
    (greater_than_2, (-(2**100),), NumberTooSmallError),
]


@pytest.mark.parametrize(("function", "args", "error"), WRONG_TYPES + BAD_VALUES)
def test_bad_calls_raise(
    function: Callable[..., object], args: tuple[object, ...], error: type[Exception]
) -> None:
    with pytest.raises(error):
        function(*args)


EDGE_SIZES: list[Case] = [
    (greater_than_2, (3,), 3),
    (greater_than_2, (10**1000,), 10**1000),
]


@pytest.mark.parametrize(("function", "args", "expected"), EDGE_SIZES)
def test_edge_sizes(
    function: Callable[..., object], args: tuple[object, ...], expected: object
) -> None:
    assert function(*args) == expected
