"""{{description}}

The patterns are implemented in Rust (``{{module_name}}._core``); this package re-exports them.
"""

from ._core import (
    Counter,
    NumberTooSmallError,
    {{error_base}},
    Reset,
    __version__,
    greater_than_2,
    log_different_levels,
    log_example,
    log_from_threads,
{%- if showcase == "true" %}
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
{%- endif %}
)

__all__ = [
    "Counter",
    "NumberTooSmallError",
    "{{error_base}}",
    "Reset",
    "__version__",
    "greater_than_2",
    "log_different_levels",
    "log_example",
    "log_from_threads",
{%- if showcase == "true" %}
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
{%- endif %}
]
