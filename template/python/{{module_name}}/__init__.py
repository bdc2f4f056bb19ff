"""{{description}}

This package re-exports the patterns implemented in Rust in the extension module
``{{module_name}}._core``.
"""

from . import _core
from ._core import (
    Counter,
    NumberTooSmallError,
    Reset,
{%- if showcase == "true" %}
    RustStruct,
{%- endif %}
    __version__,
{%- if showcase == "true" %}
    add,
    dict_printer,
    double_in_place,
    get_fibonacci,
{%- endif %}
    greater_than_2,
{%- if showcase == "true" %}
    greet_and_update,
    human_says_hi,
    list_sum,
{%- endif %}
    log_different_levels,
    log_example,
    log_from_threads,
{%- if showcase == "true" %}
    multiply,
    word_printer,
{%- endif %}
)

__all__ = [
    "Counter",
    "NumberTooSmallError",
    "Reset",
{%- if showcase == "true" %}
    "RustStruct",
{%- endif %}
    "__version__",
{%- if showcase == "true" %}
    "add",
    "dict_printer",
    "double_in_place",
    "get_fibonacci",
{%- endif %}
    "greater_than_2",
{%- if showcase == "true" %}
    "greet_and_update",
    "human_says_hi",
    "list_sum",
{%- endif %}
    "log_different_levels",
    "log_example",
    "log_from_threads",
{%- if showcase == "true" %}
    "multiply",
    "word_printer",
{%- endif %}
]

# The base exception is named after the package, so it stays out of the sorted lists above.
{{error_base}} = _core.{{error_base}}
__all__ += ["{{error_base}}"]
