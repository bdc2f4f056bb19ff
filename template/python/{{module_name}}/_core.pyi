# Type stubs for the Rust extension module {{module_name}}._core.
{%- if patterns == "none" %}

from typing import Final
{%- elsif python_min == "3.11" %}

from typing import Final, final

# collections.abc.Buffer is new in Python 3.12.
from typing_extensions import Buffer
{%- else %}

from collections.abc import Buffer
from typing import Final, final
{%- endif %}

__all__ = ["__version__"]
__version__: Final[str]
{%- if patterns == "none" %}

# Pattern: greeting (src/greeting.rs)
__all__ += ["greet"]

def greet(name: str) -> str: ...
{%- else %}

# Pattern: logging (src/logging.rs)
__all__ += ["log_different_levels", "log_example", "log_from_threads"]

def log_example() -> None: ...
def log_different_levels() -> None: ...
def log_from_threads(threads: int) -> None: ...

# Pattern: errors (src/errors.rs)
__all__ += ["NumberTooSmallError", "greater_than_2"]
# Named after the package, so it stays out of the sorted list above.
__all__ += ["{{error_base}}"]

class {{error_base}}(Exception): ...
class NumberTooSmallError({{error_base}}, ValueError): ...

def greater_than_2(number: int) -> int: ...

# Pattern: counter (src/counter.rs)
__all__ += ["Counter", "Reset"]

# Counter.has_count releases the GIL for inputs of at least this many bytes, and copies buffers
# other than bytes in chunks of this length.
_DETACH_THRESHOLD: Final[int]

@final
class Reset:
    NewlinesReset: Final[Reset]
    SpacesReset: Final[Reset]
    NoReset: Final[Reset]
    def __eq__(self, value: object, /) -> bool: ...
    def __hash__(self) -> int: ...

@final
class Counter:
    def __new__(cls, what: str, min_number: int, reset: Reset = ...) -> Counter: ...
    @property
    def what(self) -> str: ...
    @property
    def min_number(self) -> int: ...
    @property
    def reset(self) -> Reset: ...
    def has_count(self, data: str | Buffer) -> bool: ...
    def __eq__(self, value: object, /) -> bool: ...
    def __hash__(self) -> int: ...
{%- endif %}
{%- if patterns == "showcase" %}

# Pattern: showcase (src/showcase.rs)
__all__ += [
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

def add(a: int, b: int) -> int: ...
def multiply(a: int, b: int) -> int: ...
def get_fibonacci(number: int) -> int: ...
def list_sum(values: list[int]) -> int: ...
def dict_printer(dict: dict[str, str]) -> None: ...
def word_printer(word: str, n: int, reverse: bool, uppercase: bool) -> None: ...
def human_says_hi(human_json: str) -> None: ...
def greet_and_update(name: str, numbers: list[int]) -> None: ...
def double_in_place(buffer: Buffer) -> None: ...

@final
class RustStruct:
    data: str
    vector: list[int]
    def __new__(cls, data: str, vector: list[int]) -> RustStruct: ...
    def printer(self) -> None: ...
    def extend_vector(self, values: list[int]) -> None: ...
{%- endif %}
