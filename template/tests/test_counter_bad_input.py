"""Counter and Reset with wrong types, bad values and edge sizes.

A bad call raises an ordinary exception. A Rust panic would surface as
pyo3_runtime.PanicException, a BaseException that none of the `pytest.raises` here catches, so
any panic fails the test that caused it.
"""

import array
from collections.abc import Callable

import pytest

from {{module_name}} import Counter, Reset

counter = Counter("a", 2, Reset.SpacesReset).has_count
non_ascii_counter = Counter("é", 1).has_count

# (function, arguments, the exception raised or the value returned); conftest.py names them.
Case = tuple[Callable[..., object], tuple[object, ...], object]

WRONG_TYPES: list[Case] = [
    (Counter, (), TypeError),
    (Counter, ("a",), TypeError),
    (Counter, ("a", 1, Reset.NoReset, 1), TypeError),
    (Counter, (None, 1), TypeError),
    (Counter, (97, 1), TypeError),
    (Counter, (b"a", 1), TypeError),
    (Counter, ("a", None), TypeError),
    (Counter, ("a", 1.0), TypeError),
    (Counter, ("a", "1"), TypeError),
    (Counter, ("a", 1, "NoReset"), TypeError),
    (Counter, ("a", 1, 2), TypeError),
    (Counter, ("a", 1, None), TypeError),
    (Reset, (), TypeError),
    (counter, (), TypeError),
    (counter, ("a", "a"), TypeError),
    (counter, (None,), TypeError),
    (counter, (97,), TypeError),
    (counter, (["a"],), TypeError),
    (counter, (range(97, 98),), TypeError),
    (counter, (array.array("q", [97]),), TypeError),
    (counter, (array.array("b", [97]),), TypeError),
    (counter, (memoryview(array.array("H", [97])),), TypeError),
]

BAD_VALUES: list[Case] = [
    (Counter, ("", 1), ValueError),
    (Counter, ("ab", 1), ValueError),
    (Counter, ("\ud800", 1), ValueError),
    (Counter, ("a", -1), ValueError),
    (Counter, ("a", -(2**100)), ValueError),
    (Counter, ("a", 2**64), OverflowError),
    (Counter, ("a", 2**100), OverflowError),
    (non_ascii_counter, (b"\xc3\xa9",), ValueError),
    (non_ascii_counter, (bytearray(b"\xc3\xa9"),), ValueError),
    (non_ascii_counter, (memoryview(b"\xc3\xa9"),), ValueError),
]


@pytest.mark.parametrize(("function", "args", "error"), WRONG_TYPES + BAD_VALUES)
def test_bad_calls_raise(
    function: Callable[..., object], args: tuple[object, ...], error: type[Exception]
) -> None:
    with pytest.raises(error):
        function(*args)


HUGE = 16 * 1024 * 1024

EDGE_SIZES: list[Case] = [
    (Counter("a", 0).has_count, ("",), True),
    (Counter("a", 1).has_count, ("",), False),
    (Counter("a", 1).has_count, (b"",), False),
    (Counter("a", 1).has_count, (memoryview(b""),), False),
    (Counter("a", 1).has_count, ("a",), True),
    (Counter("a", 2).has_count, ("a",), False),
    (Counter("a", 1).has_count, (bytearray(b"a"),), True),
    (Counter("\n", 1, Reset.NewlinesReset).has_count, ("\n",), True),
    (Counter("a", HUGE, Reset.SpacesReset).has_count, ("a" * HUGE,), True),
    (Counter("a", HUGE + 1).has_count, (b"a" * HUGE,), False),
    (Counter("a", 2**64 - 1).has_count, (bytearray(HUGE),), False),
]


@pytest.mark.parametrize(("function", "args", "expected"), EDGE_SIZES)
def test_edge_sizes(
    function: Callable[..., object], args: tuple[object, ...], expected: object
) -> None:
    assert function(*args) == expected
