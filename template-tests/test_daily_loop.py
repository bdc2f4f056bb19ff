"""A generated project as its developer lives in it: the README's Develop commands work as
written, uv rebuilds after a Rust change, and nothing of this repository leaks into it."""

import re
from pathlib import Path

import pytest
from oxwheel_dev import daily_loop, tables
from oxwheel_dev import render as template

# Not the oldest release, so that .python-version, not chance, picks the interpreter.
PYTHON_MIN = tables.cpython()[1]
MESSAGE = "number is less than or equal to 2"
SHOW_ERROR = (
    'uv run python -c "import loop_project as m\ntry: m.greater_than_2(1)\n'
    'except m.NumberTooSmallError as error: print(error)"'
)


def generate(parent: Path, **answers: str) -> Path:
    return template.render(parent, "loop-project", {"python_min": PYTHON_MIN, **answers}).path


def test_uv_sees_a_rust_change(tmp_path: Path) -> None:
    project = generate(tmp_path)
    assert (project / ".python-version").read_text().strip() == PYTHON_MIN
    target = tmp_path / "cargo-target"
    uv = daily_loop.develop_blocks(project)["uv"]
    assert [line.split("#")[0].strip() for line in uv] == ["uv sync", "uv run pytest"]
    daily_loop.run(uv, project, target)
    assert MESSAGE in daily_loop.run([SHOW_ERROR], project, target).output
    errors = project / "src" / "errors.rs"
    errors.write_text(errors.read_text().replace(MESSAGE, "the number must be above 2"))
    assert "the number must be above 2" in daily_loop.run([SHOW_ERROR], project, target).output
    version = "uv run python -c 'import sys; print(*sys.version_info[:2], sep=\".\")'"
    assert daily_loop.run([version], project, target).output.splitlines()[-1] == PYTHON_MIN


def test_the_pip_path_works_on_the_pip_cpython_bundles(tmp_path: Path) -> None:
    project = generate(tmp_path, abi3="false")
    pip = daily_loop.develop_blocks(project)["pip"]
    assert pip[0].startswith(f"python{PYTHON_MIN} -m venv .venv")
    output = daily_loop.run(pip, project, tmp_path / "cargo-target").output
    assert re.search(r"\d+ passed", output), output


# Names that belong to this repository, not to a generated project.
INTERNAL = re.compile(
    r"\bnox\b|noxfile|benchmarks/|template-tests|oxwheel_dev|oxwheel-patterns|\btalk'?s?\b|\bblog'?s?\b"
)


@pytest.mark.parametrize("showcase", ["false", "true"])
def test_nothing_of_this_repository_leaks(tmp_path: Path, showcase: str) -> None:
    project = generate(tmp_path, showcase=showcase)
    leaks = []
    for path in sorted(project.rglob("*")):
        if path.is_file():
            for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
                if INTERNAL.search(line):
                    leaks.append(f"{path.relative_to(project)}:{number}: {line.strip()}")
    assert leaks == []
