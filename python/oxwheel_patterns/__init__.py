"""The oxwheel patterns: Counter, logging, custom exceptions and conversions in Rust

This package re-exports the patterns implemented in Rust in the extension module
``oxwheel_patterns._core``.
"""

from . import _core
from ._core import (
    Counter,
    NumberTooSmallError,
    Reset,
    RustStruct,
    __version__,
    add,
    dict_printer,
    double_in_place,
    get_fibonacci,
    greater_than_2,
    greet_and_update,
    human_says_hi,
    list_sum,
    log_different_levels,
    log_example,
    log_from_threads,
    multiply,
    word_printer,
)

__all__ = [
    "Counter",
    "NumberTooSmallError",
    "Reset",
    "RustStruct",
    "__version__",
    "add",
    "dict_printer",
    "double_in_place",
    "get_fibonacci",
    "greater_than_2",
    "greet_and_update",
    "human_says_hi",
    "list_sum",
    "log_different_levels",
    "log_example",
    "log_from_threads",
    "multiply",
    "word_printer",
]

# The base exception is named after the package, so it stays out of the sorted lists above.
OxwheelPatternsError = _core.OxwheelPatternsError
__all__ += ["OxwheelPatternsError"]
