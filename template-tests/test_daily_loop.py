"""A generated project as its developer lives in it: the README's Develop commands work as
written, uv rebuilds after a Rust change, a pattern goes the way the README says, and nothing of
this repository leaks into it."""

import re
import shutil
from pathlib import Path

import pytest
from oxwheel_dev import daily_loop, render, tables

# Not the oldest release, so that .python-version, not chance, picks the interpreter.
PYTHON_MIN = tables.cpython()[1]
MESSAGE = "number is less than or equal to 2"
SHOW_ERROR = (
    'uv run python -c "import loop_project as m\ntry: m.greater_than_2(1)\n'
    'except m.NumberTooSmallError as error: print(error)"'
)


def generate(parent: Path, **answers: str) -> Path:
    return render.render(parent, "loop-project", {"python_min": PYTHON_MIN, **answers}).path


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


# Names that belong to this repository, not to a generated project.
INTERNAL = re.compile(
    r"\bnox\b|noxfile|benchmarks/|template-tests|oxwheel_dev|oxwheel-patterns|\btalk'?s?\b|\bblog'?s?\b"
)


@pytest.mark.parametrize("patterns", ["none", "core", "showcase"])
def test_nothing_of_this_repository_leaks(tmp_path: Path, patterns: str) -> None:
    """...and every file keeps the project's .editorconfig: a final newline, and no trailing
    white space outside Markdown."""
    project = generate(tmp_path, patterns=patterns)
    leaks, untidy = [], []
    for path in sorted(project.rglob("*")):
        if path.is_file():
            text = path.read_text(encoding="utf-8")
            where = path.relative_to(project)
            if text and not text.endswith("\n"):
                untidy.append(f"{where}: no final newline")
            for number, line in enumerate(text.splitlines(), 1):
                if INTERNAL.search(line):
                    leaks.append(f"{where}:{number}: {line.strip()}")
                if path.suffix != ".md" and line != line.rstrip():
                    untidy.append(f"{where}:{number}: trailing white space")
    assert leaks == []
    assert untidy == []


def remove_pattern(project: Path, pattern: str) -> None:
    """What the README's "Make it yours" says to do, read from its table of each pattern's files."""
    readme = (project / "README.md").read_text(encoding="utf-8")
    (row,) = [line for line in readme.splitlines() if line.startswith(f"| {pattern} |")]
    for listed in re.findall(r"`([^`]+)`", row):
        for path in project.glob(listed.rstrip("/")):
            shutil.rmtree(path) if path.is_dir() else path.unlink()
    lib = project / "src" / "lib.rs"
    lines = lib.read_text().splitlines(keepends=True)
    lib.write_text("".join(line for line in lines if line.strip() != f"{pattern},"))
    stub = next(project.glob("python/*/_core.pyi"))
    for shared in (stub, project / "benches" / "bench_patterns.py"):
        kept, inside = [], False
        for line in shared.read_text().splitlines(keepends=True):
            if line.startswith(("# Pattern:", "# End of the patterns.")):
                inside = line.startswith(f"# Pattern: {pattern} (")
            if not inside:
                kept.append(line)
        shared.write_text("".join(kept))


def drop_crate(project: Path, crate: str) -> None:
    """Step 4 of "Make it yours": the crate's line and its profile section leave Cargo.toml."""
    manifest = project / "Cargo.toml"
    sections = re.split(r"(?m)^(?=\[)", manifest.read_text())
    kept = [part for part in sections if not part.startswith(f"[profile.release.package.{crate}]")]
    text = "".join(kept)
    manifest.write_text(re.sub(rf"(?m)^{re.escape(crate)} = .*\n", "", text))


def test_every_pattern_goes_as_the_readme_says(tmp_path: Path) -> None:
    """The default project with each of its patterns removed step by step: tox and lint pass,
    cargo builds without a warning, and `tox -e bench` says there is nothing to measure."""
    project = generate(tmp_path)
    for pattern in ("counter", "errors", "logging"):
        remove_pattern(project, pattern)
    assert not list(project.glob("tests/test_counter*.py"))
    drop_crate(project, "memchr")
    commands = [
        "cargo update --workspace --quiet",
        "cargo fmt",
        "ruff check --fix --quiet python tests benches",
        "ruff format --quiet python tests benches",
        f"PYO3_PYTHON=$(command -v python{PYTHON_MIN}) cargo build --locked 2>&1 | tee cargo.log",
        f"tox run -e {PYTHON_MIN},lint,bench",
        f".tox/{PYTHON_MIN}/bin/python -c 'import loop_project as m; print(sorted(m.__all__))'",
    ]
    output = daily_loop.run(commands, project, tmp_path / "cargo-target").output
    assert "warning" not in (project / "cargo.log").read_text()
    assert "No pattern to measure" in output
    assert output.splitlines()[-1] == "['__version__']"
