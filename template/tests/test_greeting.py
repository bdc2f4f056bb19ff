"""The starting function, from Python: replace these with your own tests."""

import pytest

from {{module_name}} import greet


@pytest.mark.parametrize("name", ["Ferris", "Zoë", "世界"])
def test_greet_names_the_one_it_greets(name: str) -> None:
    assert greet(name) == f"Hello, {name}!"


def test_an_empty_name_is_a_value_error() -> None:
    with pytest.raises(ValueError, match="must not be empty"):
        greet("")


def test_a_name_must_be_text() -> None:
    with pytest.raises(TypeError):
        greet(42)  # type: ignore[arg-type]
