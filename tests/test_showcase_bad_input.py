"""The showcase functions with wrong types, bad values and edge sizes.

Printing functions write to sys.stdout, which pytest captures.
"""

import array
import contextlib
import io
from collections.abc import Callable, Sequence

import pytest

from oxwheel_patterns import (
    RustStruct,
    add,
    dict_printer,
    double_in_place,
    get_fibonacci,
    greet_and_update,
    human_says_hi,
    list_sum,
    multiply,
    word_printer,
)

I64_MAX = 2**63 - 1
I64_MIN = -(2**63)
# Large enough to leave every small-size path, small enough to print quickly.
HUGE = 100_000
rust_struct = RustStruct("x", [1])


def int64s(*values: int) -> "array.array[int]":  # subscriptable at run time from 3.12
    return array.array("q", values)


# (function, arguments, the exception raised or the value returned); conftest.py names them.
Case = tuple[Callable[..., object], tuple[object, ...], object]

WRONG_TYPES: list[Case] = [
    (add, (1,), TypeError),
    (add, (1.0, 2), TypeError),
    (add, (1, "2"), TypeError),
    (multiply, (None, 2), TypeError),
    (multiply, (1, 2, 3), TypeError),
    (get_fibonacci, (1.5,), TypeError),
    (get_fibonacci, ("10",), TypeError),
    (list_sum, (None,), TypeError),
    (list_sum, ("123",), TypeError),
    (list_sum, ({1, 2},), TypeError),
    (list_sum, (iter([1]),), TypeError),
    (list_sum, ([1, 2.0],), TypeError),
    (dict_printer, ([("a", "b")],), TypeError),
    (dict_printer, ({"a": 1},), TypeError),
    (dict_printer, ({1: "a"},), TypeError),
    (word_printer, ("word", 1, False), TypeError),
    (word_printer, (b"word", 1, False, False), TypeError),
    (word_printer, ("word", 1.0, False, False), TypeError),
    (word_printer, ("word", 1, 0, False), TypeError),
    (word_printer, ("word", 1, False, None), TypeError),
    (RustStruct, (1, []), TypeError),
    (RustStruct, ("x", None), TypeError),
    (RustStruct, ("x", "ab"), TypeError),
    (RustStruct, ("x", [1.0]), TypeError),
    (rust_struct.extend_vector, ("ab",), TypeError),
    (rust_struct.printer, (1,), TypeError),
    (human_says_hi, (b"{}",), TypeError),
    (human_says_hi, (None,), TypeError),
    (greet_and_update, ("x", (1,)), TypeError),
    (greet_and_update, ("x", None), TypeError),
    (greet_and_update, (1, [1]), TypeError),
    (greet_and_update, ("x", ["1"]), TypeError),
    (double_in_place, (None,), TypeError),
    (double_in_place, ([1, 2],), TypeError),
    (double_in_place, ("ab",), TypeError),
    (double_in_place, (memoryview(int64s(1)).toreadonly(),), TypeError),
    (double_in_place, (memoryview(int64s(1, 2, 3))[::2],), TypeError),
    (double_in_place, (bytearray(8),), BufferError),
    (double_in_place, (array.array("i", [1, 2]),), BufferError),
    (double_in_place, (array.array("Q", [1]),), BufferError),
    (double_in_place, (memoryview(bytearray(17))[1:].cast("q"),), BufferError),
]

BAD_VALUES: list[Case] = [
    (add, (I64_MAX, 1), OverflowError),
    (add, (I64_MIN, -1), OverflowError),
    (add, (2**63, 0), OverflowError),
    (multiply, (I64_MIN, -1), OverflowError),
    (multiply, (2**100, 0), OverflowError),
    (get_fibonacci, (187,), OverflowError),
    (get_fibonacci, (I64_MAX,), OverflowError),
    (get_fibonacci, (2**63,), OverflowError),
    (list_sum, ([I64_MAX, 1],), OverflowError),
    (list_sum, ([2**63],), OverflowError),
    (dict_printer, ({"\ud800": "x"},), ValueError),
    (word_printer, ("\ud800", 1, False, False), ValueError),
    (word_printer, ("word", 2**63, False, False), OverflowError),
    (RustStruct, ("\ud800", []), ValueError),
    (RustStruct, ("x", [256]), OverflowError),
    (RustStruct, ("x", [-1]), OverflowError),
    (rust_struct.extend_vector, ([2**70],), OverflowError),
    (human_says_hi, ("",), ValueError),
    (human_says_hi, ("{",), ValueError),
    (human_says_hi, ("\ud800",), ValueError),
    (human_says_hi, ('{"name": "Jan", "age": -1}',), ValueError),
    (human_says_hi, ('{"name": "Jan", "age": 6, "extra": ' + "[" * HUGE,), ValueError),
    (greet_and_update, ("x", []), IndexError),
    (greet_and_update, ("\ud800", [1]), ValueError),
    (greet_and_update, ("x", [I64_MAX, 1]), OverflowError),
    (double_in_place, (int64s(1, I64_MAX),), OverflowError),
    (double_in_place, (int64s(I64_MIN),), OverflowError),
]


@pytest.mark.parametrize(("function", "args", "error"), WRONG_TYPES + BAD_VALUES)
def test_bad_calls_raise(
    function: Callable[..., object],
    args: tuple[object, ...],
    error: type[Exception],
    capsys: pytest.CaptureFixture[str],
) -> None:
    with pytest.raises(error):
        function(*args)
    assert capsys.readouterr().out == ""


EDGE_SIZES: list[Case] = [
    (add, (I64_MAX, I64_MIN), -1),
    (multiply, (I64_MIN, 1), I64_MIN),
    (get_fibonacci, (I64_MIN,), 0),
    (get_fibonacci, (186,), 332_825_110_087_067_562_321_196_029_789_634_457_848),
    (list_sum, ([],), 0),
    (list_sum, ([I64_MIN],), I64_MIN),
    (list_sum, ([1] * HUGE,), HUGE),
    (list_sum, (range(HUGE),), HUGE * (HUGE - 1) // 2),
    (dict_printer, ({},), None),
    (word_printer, ("", 0, True, True), None),
    (RustStruct("", []).printer, (), None),
    (RustStruct("x", [0] * HUGE).extend_vector, ([255],), None),
    (human_says_hi, ('{"name": "", "age": 255}',), None),
    (greet_and_update, ("", [I64_MAX]), None),
    (greet_and_update, ("x", [1] * HUGE), None),
    (double_in_place, (int64s(),), None),
    (double_in_place, (int64s(I64_MAX // 2),), None),
]


@pytest.mark.parametrize(("function", "args", "expected"), EDGE_SIZES)
def test_edge_sizes(
    function: Callable[..., object], args: tuple[object, ...], expected: object
) -> None:
    assert function(*args) == expected


def test_huge_outputs(capsys: pytest.CaptureFixture[str]) -> None:
    word_printer("ab" * HUGE, 2, True, True)
    assert capsys.readouterr().out == ("BA" * HUGE + "\n") * 2
    dict_printer({str(key): "v" for key in range(HUGE)})
    assert capsys.readouterr().out.count(" v\n") == HUGE
    values = array.array("q", range(HUGE))
    double_in_place(values)
    assert values == array.array("q", range(0, 2 * HUGE, 2))


# Strings of the wrong type, which serde_json's own messages would quote whole.
QUOTING_JSON = {
    "age-a-string": '{"name": "Jan", "age": "' + "6" * HUGE + '"}',
    "human-a-string": '"' + "Jan" * HUGE + '"',
}


@pytest.mark.parametrize("json", QUOTING_JSON.values(), ids=QUOTING_JSON.keys())
def test_json_errors_quote_no_input(json: str) -> None:
    """The message says what was wrong and where, and its size does not follow the input's:
    where the input fills memory, a message quoting it could not be made."""
    with pytest.raises(ValueError, match=r"^invalid human JSON: invalid type: string, ") as error:
        human_says_hi(json)
    assert len(str(error.value)) < 200, str(error.value)[:200]


class LyingList(list[int]):
    """A list whose len() claims 2**62 items."""

    def __len__(self) -> int:
        return 2**62


class InterruptedLen(list[int]):
    def __len__(self) -> int:
        raise KeyboardInterrupt


def test_sums_trust_no_length() -> None:
    # No storage is reserved from len(): the items are summed as they come.
    assert list_sum(LyingList([1, 2, 3])) == 6
    assert list_sum(InterruptedLen([1, 2])) == 3


def test_greet_and_update_trusts_no_length(capsys: pytest.CaptureFixture[str]) -> None:
    numbers = LyingList([1, 2])
    greet_and_update("x", numbers)
    assert capsys.readouterr().out == "Hello, x!\nSum of numbers: 3\n"
    assert list.__getitem__(numbers, 0) == 6


@pytest.mark.parametrize("vector", [range(2**62), LyingList([1])])
def test_a_length_no_memory_holds_raises_memory_error(vector: Sequence[int]) -> None:
    """Reserved fallibly: MemoryError, where a plain Vec allocation would abort the process."""
    with pytest.raises(MemoryError):
        RustStruct("x", vector)  # type: ignore[arg-type]
    with pytest.raises(MemoryError):
        RustStruct("x", [1]).extend_vector(vector)  # type: ignore[arg-type]
    struct = RustStruct("x", [1])
    with pytest.raises(MemoryError):
        struct.vector = vector  # type: ignore[assignment]
    assert struct.vector == [1]


def test_an_error_raised_by_len_propagates() -> None:
    with pytest.raises(KeyboardInterrupt):
        RustStruct("x", InterruptedLen([1]))


def test_what_printer_prints_to_may_change_the_struct() -> None:
    """`printer` holds no borrow while `sys.stdout` runs, so a write that changes the struct
    works (it used to raise "Already borrowed") and the lines not printed yet show the change."""
    struct = RustStruct("x", [1, 2, 3])

    class Changes(io.StringIO):
        def write(self, text: str) -> int:
            if text == "1":
                struct.vector = [7, 8, 9]
            return super().write(text)

    output = Changes()
    with contextlib.redirect_stdout(output):
        struct.printer()
    assert output.getvalue() == "x\n1\n8\n9\n"
