"""The oxwheel patterns: Counter, logging, custom exceptions and conversions in Rust

This package re-exports the names of its Rust extension module, ``_core``: PyO3 lists every
name the module adds in its ``__all__``, and the stub ``_core.pyi`` declares them.
"""

from ._core import *  # noqa: F403
from ._core import __all__ as __all__
