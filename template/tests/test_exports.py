"""Every name the Rust module adds reaches users: in the package, its `__all__` and the stub.

A `#[pyfunction]` registered in Rust but left out of the stub, `_core.pyi`, would be invisible
to type checkers; one in the stub but not registered would fail at import time.
"""

import ast
from collections.abc import Iterable
from pathlib import Path

import {{module_name}}
from {{module_name}} import _core


def public(names: Iterable[str]) -> set[str]:
    return {name for name in names if not name.startswith("_")}


def stub_names() -> set[str]:
    """The names the stub declares at its top level (`__all__` aside)."""
    stub = ast.parse(Path(_core.__file__).with_name("_core.pyi").read_text(encoding="utf-8"))
    declared: set[str] = set()
    for node in stub.body:
        if isinstance(node, ast.ClassDef | ast.FunctionDef):
            declared.add(node.name)
        elif isinstance(node, ast.AnnAssign) and isinstance(node.target, ast.Name):
            declared.add(node.target.id)
    return public(declared)


def test_the_package_exports_every_public_name_of_the_module() -> None:
    assert public(vars(_core)) == public(_core.__all__)
    assert set({{module_name}}.__all__) == set(_core.__all__)
    for name in {{module_name}}.__all__:
        assert getattr({{module_name}}, name) is getattr(_core, name)


def test_the_stub_declares_exactly_the_public_names() -> None:
    assert stub_names() == public(_core.__all__)
