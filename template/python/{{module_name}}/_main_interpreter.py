"""Imported first by the package: raises ImportError in any interpreter but the main one.

The extension module keeps state once per process (its exception classes, pyo3-log's
``logging`` objects), and PyO3 refuses a second interpreter only when it initialises the
module there: a legacy subinterpreter (one that shares the GIL) gets the main interpreter's
module without that, and on CPython 3.13, merely importing it there broke logging in the main
interpreter once the subinterpreter was destroyed. So the check runs before ``_core`` is
touched. CPython names its interpreter module ``_interpreters`` from 3.13 on and
``_xxsubinterpreters`` before; an interpreter without either runs no subinterpreters from
Python.
"""

import importlib


def _require_main_interpreter() -> None:
    for name in ("_interpreters", "_xxsubinterpreters"):
        try:
            interpreters = importlib.import_module(name)
        except ImportError:
            continue
        if interpreters.get_current() != interpreters.get_main():
            raise ImportError(
                f"{__package__} can be imported only in the main interpreter, not in a "
                "subinterpreter"
            )
        return


_require_main_interpreter()
