"""The showcase patterns: conversions, structs, JSON, lists and buffers."""

import array
import contextlib
import functools
import io

import pytest

from {{module_name}} import (
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


@functools.cache
def reference_fibonacci(number: int) -> int:
    """The Fibonacci number F(number), written apart from get_fibonacci's loop: F(n) rounded
    from Binet's formula while floats hold it exactly, then the recurrence; 0 below 1."""
    if number < 1:
        return 0
    golden = (1 + 5**0.5) / 2
    if number <= 60:
        return round(golden**number / 5**0.5)
    return reference_fibonacci(number - 1) + reference_fibonacci(number - 2)


@pytest.mark.parametrize(("a", "b"), [(2, 3), (-4, 9), (I64_MAX, 0), (I64_MIN, 0)])
def test_add_and_multiply(a: int, b: int) -> None:
    assert add(a, b) == a + b
    assert multiply(a, b) == a * b


@pytest.mark.parametrize(
    ("function", "a", "b"),
    [(add, I64_MAX, 1), (add, I64_MIN, -1), (multiply, I64_MAX, 2), (multiply, I64_MIN, -1)],
)
def test_overflow_is_an_error(function: object, a: int, b: int) -> None:
    with pytest.raises(OverflowError):
        function(a, b)  # type: ignore[operator]


@pytest.mark.parametrize("function", [add, multiply])
def test_integers_only(function: object) -> None:
    with pytest.raises(TypeError):
        function(1.0, 2)  # type: ignore[operator]
    with pytest.raises(OverflowError):
        function(2**64, 1)  # type: ignore[operator]


def test_fibonacci_matches_the_reference_while_it_fits_in_128_bits() -> None:
    for number in range(-3, 187):
        assert get_fibonacci(number) == reference_fibonacci(number), number
    assert reference_fibonacci(186) < 2**128 <= reference_fibonacci(187)
    assert get_fibonacci(150) == reference_fibonacci(150)


@pytest.mark.parametrize("number", [187, 500, 2**62])
def test_fibonacci_beyond_128_bits_overflows(number: int) -> None:
    with pytest.raises(OverflowError):
        get_fibonacci(number)


def test_list_sum() -> None:
    assert list_sum([]) == 0
    assert list_sum([10, 10, 10, 10, 10]) == 50
    assert list_sum(list(range(3000))) == sum(range(3000))
    with pytest.raises(OverflowError):
        list_sum([I64_MAX, 1])
    with pytest.raises(TypeError):
        list_sum([1, 2.0])  # type: ignore[list-item]
    with pytest.raises(TypeError):
        list_sum("123")  # type: ignore[arg-type]


def test_dict_printer_prints_in_order(capsys: pytest.CaptureFixture[str]) -> None:
    dict_printer({"key 2": "value 2", "key 1": "value 1"})
    assert capsys.readouterr().out == "key 2 value 2\nkey 1 value 1\n"


@pytest.mark.parametrize("bad", [{"a": 1}, {1: "a"}, {"a": None}])
def test_dict_printer_needs_str(
    bad: dict[object, object], capsys: pytest.CaptureFixture[str]
) -> None:
    with pytest.raises(TypeError):
        dict_printer(bad)  # type: ignore[arg-type]
    assert capsys.readouterr().out == ""


@pytest.mark.parametrize(
    ("args", "expected"),
    [
        (("hello", 3, False, True), "HELLO\n" * 3),
        (("eyb", 2, True, False), "bye\n" * 2),
        (("straße", 1, True, True), "ESSARTS\n"),
        (("word", 0, False, False), ""),
        (("word", -2, False, False), ""),
    ],
)
def test_word_printer(
    args: tuple[str, int, bool, bool], expected: str, capsys: pytest.CaptureFixture[str]
) -> None:
    word_printer(*args)
    assert capsys.readouterr().out == expected


def test_output_follows_sys_stdout() -> None:
    buffer = io.StringIO()
    with contextlib.redirect_stdout(buffer):
        word_printer("hi", 2, False, False)
    assert buffer.getvalue() == "hi\nhi\n"


def test_rust_struct(capsys: pytest.CaptureFixture[str]) -> None:
    rust_struct = RustStruct(data="some data", vector=[255, 255, 255])
    rust_struct.extend_vector([1, 1])
    assert rust_struct.vector == [255, 255, 255, 1, 1]
    rust_struct.printer()
    assert capsys.readouterr().out == "some data\n255\n255\n255\n1\n1\n"
    rust_struct.data = "some other data"
    rust_struct.vector = [0]
    assert (rust_struct.data, rust_struct.vector) == ("some other data", [0])
    assert repr(rust_struct) == 'RustStruct(data="some other data", vector=[0])'


@pytest.mark.parametrize("bad", [[256], [-1], [2**70]])
def test_rust_struct_vector_holds_bytes(bad: list[int]) -> None:
    with pytest.raises((OverflowError, ValueError)):
        RustStruct("x", bad)
    rust_struct = RustStruct("x", [1])
    with pytest.raises((OverflowError, ValueError)):
        rust_struct.vector = bad
    with pytest.raises((OverflowError, ValueError)):
        rust_struct.extend_vector(bad)
    assert rust_struct.vector == [1]


def test_rust_struct_types() -> None:
    with pytest.raises(TypeError):
        RustStruct(1, [])  # type: ignore[arg-type]
    rust_struct = RustStruct("x", [])
    with pytest.raises(TypeError):
        rust_struct.data = 3  # type: ignore[assignment]


def test_human_says_hi(capsys: pytest.CaptureFixture[str]) -> None:
    human_says_hi('{"name": "Jan", "age": 6}')
    out = capsys.readouterr().out
    assert 'name: "Jan"' in out
    assert out.endswith(" Jan is 6 years old.\n")


@pytest.mark.parametrize(
    ("bad", "serde_words"),
    [
        ("{", "EOF"),
        ('{"name": "Jan"}', "missing field `age`"),
        ('{"name": "Jan", "age": 256}', "invalid value"),
        ('{"name": 5, "age": 6}', "invalid type"),
        ("[]", "invalid length"),
        ('"Jan"', "invalid type"),
    ],
)
def test_human_says_hi_refuses_bad_json(
    bad: str, serde_words: str, capsys: pytest.CaptureFixture[str]
) -> None:
    with pytest.raises(ValueError, match=serde_words):
        human_says_hi(bad)
    assert capsys.readouterr().out == ""


def test_greet_and_update(capsys: pytest.CaptureFixture[str]) -> None:
    numbers = [1, 2, 3, 4, 5]
    greet_and_update("World", numbers)
    assert capsys.readouterr().out == "Hello, World!\nSum of numbers: 15\n"
    assert numbers == [6, 2, 3, 4, 5]


def test_greet_and_update_refusals(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(IndexError):
        greet_and_update("World", [])
    numbers: list[object] = [1, "two"]
    with pytest.raises(TypeError):
        greet_and_update("World", numbers)  # type: ignore[arg-type]
    assert numbers == [1, "two"]
    assert capsys.readouterr().out == ""


def test_double_in_place() -> None:
    values = array.array("q", [1, -2, 3, I64_MAX // 2])
    view = memoryview(values)
    double_in_place(values)
    assert values.tolist() == [2, -4, 6, (I64_MAX // 2) * 2]
    double_in_place(view[1:3])
    assert values.tolist() == [2, -8, 12, (I64_MAX // 2) * 2]
    double_in_place(array.array("q"))


def test_double_in_place_overflow_changes_nothing() -> None:
    values = array.array("q", [1, 2, I64_MAX])
    with pytest.raises(OverflowError):
        double_in_place(values)
    assert values.tolist() == [1, 2, I64_MAX]


@pytest.mark.parametrize(
    "bad",
    [
        memoryview(array.array("q", [1])).toreadonly(),
        b"\x00" * 8,
        array.array("i", [1]),
        [1, 2],
        memoryview(array.array("q", [1, 2, 3, 4]))[::2],
    ],
)
def test_double_in_place_refusals(bad: object) -> None:
    with pytest.raises((TypeError, BufferError)):
        double_in_place(bad)  # type: ignore[arg-type]
