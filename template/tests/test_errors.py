"""The package's exceptions, raised from a Rust error type."""

import pickle

import pytest

import {{module_name}}
from {{module_name}} import NumberTooSmallError, greater_than_2

BaseError = {{module_name}}.{{error_base}}

MESSAGE = "Error from Rust: number is less than or equal to 2"


def test_hierarchy() -> None:
    assert issubclass(BaseError, Exception)
    assert issubclass(NumberTooSmallError, BaseError)
    assert issubclass(NumberTooSmallError, ValueError)


def test_classes_live_in_the_package() -> None:
    for error in (BaseError, NumberTooSmallError):
        assert error.__module__ == "{{module_name}}"
        assert getattr({{module_name}}, error.__name__) is error


@pytest.mark.parametrize("number", [3, 11, 2**100])
def test_numbers_above_two_are_returned(number: int) -> None:
    assert greater_than_2(number) == number


@pytest.mark.parametrize("number", [2, 1, 0, -11, -(2**100)])
def test_small_numbers_raise(number: int) -> None:
    with pytest.raises(NumberTooSmallError) as raised:
        greater_than_2(number)
    assert str(raised.value) == MESSAGE
    assert raised.value.args == (MESSAGE,)


def test_catchable_as_value_error_and_as_the_base() -> None:
    with pytest.raises(ValueError, match="less than or equal to 2"):
        greater_than_2(0)
    with pytest.raises(BaseError):
        greater_than_2(0)


@pytest.mark.parametrize("number", [2.5, "3", None])
def test_non_integers_raise_type_error(number: object) -> None:
    with pytest.raises(TypeError):
        greater_than_2(number)  # type: ignore[arg-type]


@pytest.mark.parametrize("protocol", range(pickle.HIGHEST_PROTOCOL + 1))
def test_pickle_round_trip(protocol: int) -> None:
    with pytest.raises(NumberTooSmallError) as raised:
        greater_than_2(1)
    restored = pickle.loads(pickle.dumps(raised.value, protocol))
    assert type(restored) is NumberTooSmallError
    assert str(restored) == MESSAGE
