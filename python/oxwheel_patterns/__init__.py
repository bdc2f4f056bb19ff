"""The oxwheel patterns: Counter, logging, custom exceptions and conversions in Rust

The patterns are implemented in Rust (``oxwheel_patterns._core``); this package re-exports them.
"""

from ._core import (
    Counter,
    NumberTooSmallError,
    OxwheelPatternsError,
    Reset,
    __version__,
    greater_than_2,
    log_different_levels,
    log_example,
    log_from_threads,
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

__all__ = [
    "Counter",
    "NumberTooSmallError",
    "OxwheelPatternsError",
    "Reset",
    "__version__",
    "greater_than_2",
    "log_different_levels",
    "log_example",
    "log_from_threads",
    "RustStruct",
    "add",
    "dict_printer",
    "double_in_place",
    "get_fibonacci",
    "greet_and_update",
    "human_says_hi",
    "list_sum",
    "multiply",
    "word_printer",
]
