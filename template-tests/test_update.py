"""`oxwheel update` on a project generated before CPython 3.15 support: it takes the template's
changes since, keeps the user's, marks a real conflict, and finishes once that is resolved;
`oxwheel new` refuses every hostile answer and leaves nothing; `oxwheel check` tells.

Run by `python3 noxfile.py -s update`, which builds the command and names it in OXWHEEL.
"""

from __future__ import annotations

import json
import subprocess
import tomllib
from pathlib import Path

import pytest
from oxwheel_dev import cli, paths, tables
from oxwheel_dev.hostile_answers import (
    DEVICE_PROJECT_NAMES,
    DEVICE_PROJECT_RULE,
    MODULE_RULES,
    OPTION_RULES,
    PROJECT_NAMES,
    PROJECT_RULE,
)

NEWEST = tables.cpython()[-1]
MARKER = "<<<<<<< this project"


def oxwheel(*arguments: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    return cli.oxwheel(*arguments, cwd=cwd)


def old_project(parent: Path, name: str) -> Path:
    """A project `oxwheel new` made from the template before 3.15, as its first commit."""
    project = cli.old_project(parent, name)
    assert git("rev-list", "--count", "HEAD", cwd=project).strip() == "1"
    assert git("status", "--porcelain", cwd=project) == ""
    return project


def git(*arguments: str, cwd: Path) -> str:
    return cli.git(*arguments, cwd=cwd)


def run(*command: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(command, cwd=cwd, capture_output=True, text=True, check=False)


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text()
    assert old in text, f"{path}: {old!r} not found"
    path.write_text(text.replace(old, new, 1))


def commit(project: Path, message: str) -> None:
    cli.commit(project, message)


def answers(project: Path) -> dict[str, dict[str, str]]:
    return tomllib.loads((project / "oxwheel-answers.toml").read_text())


def head() -> str:
    return git("rev-parse", "HEAD", cwd=paths.ROOT).strip()


USER_EDITS = {
    # A new Rust function, registered, declared in the stub, and tested.
    "src/errors.rs": (
        "    module.add_function(wrap_pyfunction!(greater_than_2, module)?)?;\n",
        "    module.add_function(wrap_pyfunction!(greater_than_2, module)?)?;\n"
        "    module.add_function(wrap_pyfunction!(triple, module)?)?;\n",
    ),
    "python/user_project/_core.pyi": (
        "    def __hash__(self) -> int: ...\n\n@final\nclass Counter:",
        '    def __hash__(self) -> int: ...\n\n__all__ += ["triple"]\n\n'
        "def triple(number: int) -> int: ...\n\n@final\nclass Counter:",
    ),
    "README.md": (
        "It was generated from the oxwheel template.",
        "It was generated from the oxwheel template, and triples numbers too.",
    ),
    "pyproject.toml": (
        'dynamic = ["version"]\n',
        'dynamic = ["version"]\ndependencies = ["packaging>=24"]\n',
    ),
    ".github/workflows/ci.yml": ("    branches: [main]\n", "    branches: [main, release]\n"),
}
TRIPLE = """
/// Three times `number`; OverflowError where that does not fit in 64 bits.
#[pyfunction]
fn triple(number: i64) -> PyResult<i64> {
    number
        .checked_mul(3)
        .ok_or_else(|| pyo3::exceptions::PyOverflowError::new_err("triple: too large"))
}
"""
TRIPLE_TEST = """from user_project import triple


def test_triple() -> None:
    assert triple(14) == 42
"""


def test_an_update_takes_the_templates_changes_and_keeps_every_user_edit(tmp_path: Path) -> None:
    project = old_project(tmp_path, "user-project")
    for relative, (old, new) in USER_EDITS.items():
        edit(project / relative, old, new)
    errors = project / "src" / "errors.rs"
    errors.write_text(errors.read_text() + TRIPLE)
    (project / "tests" / "test_triple.py").write_text(TRIPLE_TEST)
    commit(project, "triple, and the project's own choices")
    assert NEWEST not in (project / "tox.toml").read_text()
    assert oxwheel("check", cwd=project).returncode == 1

    updated = oxwheel("update", cwd=project)
    assert updated.returncode == 0, updated.stdout + updated.stderr
    assert "conflicts" not in updated.stdout
    # The newer template: the newest CPython in tox, cibuildwheel and the classifiers.
    assert f'"{NEWEST}"' in (project / "tox.toml").read_text()
    pyproject = (project / "pyproject.toml").read_text()
    assert f"Programming Language :: Python :: {NEWEST}" in pyproject
    assert f'"cp{NEWEST.replace(".", "")}t-*"' in pyproject
    assert (project / "CHANGELOG.md").is_file()  # a file the template added since
    # Every user edit survives.
    for relative, (_, new) in USER_EDITS.items():
        assert new in (project / relative).read_text(), relative
    assert TRIPLE in errors.read_text()
    assert (project / "tests" / "test_triple.py").read_text() == TRIPLE_TEST
    assert answers(project)["template"]["revision"] == head()
    assert oxwheel("check", cwd=project).returncode == 0
    # It builds, lints and passes its tests, the new one included.
    checked = run("tox", "run", "-e", f"{tables.cpython()[0]},lint", cwd=project)
    assert checked.returncode == 0, checked.stdout[-4000:]
    assert "test_triple.py ." in checked.stdout


def test_a_conflict_is_marked_in_its_file_and_the_next_update_finishes(tmp_path: Path) -> None:
    project = old_project(tmp_path, "conflict-project")
    tox = project / "tox.toml"
    # The template added CI to this line since; the user adds a variable of their own.
    edit(
        tox, '"PYTHON_GIL", "HYPOTHESIS_PROFILE"]', '"PYTHON_GIL", "HYPOTHESIS_PROFILE", "MY_VAR"]'
    )
    edit(project / "README.md", "It was generated", "It was made")
    commit(project, "MY_VAR for the tests")
    before = answers(project)["template"]["revision"]

    stopped = oxwheel("update", cwd=project)
    assert stopped.returncode == 1, stopped.stdout + stopped.stderr
    conflicts = [line for line in stopped.stdout.splitlines() if line.startswith("conflicts:")]
    assert conflicts == ["conflicts: tox.toml (changed here and in the template)"]
    marked = [
        path.relative_to(project).as_posix()
        for path in project.rglob("*")
        if path.is_file()
        and ".git" not in path.parts
        and MARKER in path.read_text(errors="replace")
    ]
    assert marked == ["tox.toml"]
    assert "It was made" in (project / "README.md").read_text()
    assert f"Programming Language :: Python :: {NEWEST}" in (project / "pyproject.toml").read_text()
    recorded = answers(project)["template"]
    assert (recorded["revision"], recorded["pending"]) == (before, head())
    # A project with unresolved conflicts is not updated further.
    commit(project, "the update, with a conflict")
    assert oxwheel("update", cwd=project).returncode == 2

    # Resolved: both variables.
    text = tox.read_text()
    start, end = text.index(MARKER), text.index(">>>>>>> template")
    variables = ["CARGO_*", "RUSTUP_*", "RUSTFLAGS", "PYTHON_GIL", "CI", "HYPOTHESIS_PROFILE"]
    resolved = f"pass_env = {json.dumps([*variables, 'MY_VAR'])}\n"
    tox.write_text(text[:start] + resolved + text[text.index("\n", end) + 1 :])
    commit(project, "MY_VAR and CI")
    finished = oxwheel("update", cwd=project)
    assert finished.returncode == 0, finished.stdout + finished.stderr
    assert git("status", "--porcelain", cwd=project).split() == ["M", "oxwheel-answers.toml"]
    assert answers(project)["template"] == {"source": str(paths.ROOT), "revision": head()}
    commit(project, "the update is complete")
    again = oxwheel("update", cwd=project)
    assert again.returncode == 0
    assert git("status", "--porcelain", cwd=project) == ""
    assert oxwheel("check", cwd=project).returncode == 0


HOSTILE = [
    *(
        ("fine-project", {"module_name": name}, f'module_name "{name}" is refused: {rule}')
        for name, rule in MODULE_RULES.items()
    ),
    *((name, {}, f'project-name "{name}" is refused: {PROJECT_RULE}') for name in PROJECT_NAMES),
    *(
        (name, {}, f'project-name "{name}" is refused: {DEVICE_PROJECT_RULE}')
        for name in DEVICE_PROJECT_NAMES
    ),
    *(
        ("fine-project", {key: value}, f'{key} "{value}" is refused: {rule}')
        for (key, value), rule in OPTION_RULES.items()
    ),
]


@pytest.mark.parametrize(("showcase", "patterns"), [("true", "showcase"), ("false", "core")])
def test_an_answer_recorded_before_patterns_keeps_what_the_project_has(
    tmp_path: Path, showcase: str, patterns: str
) -> None:
    """A project answered `showcase` before the template asked `patterns`: the update
    restates the answer and the project keeps every pattern it had."""
    new = ["new", "old-answers", "--template", str(paths.ROOT)]
    new += ["--revision", cli.BEFORE_PATTERNS, "--define", f"showcase={showcase}"]
    made = oxwheel(*new, cwd=tmp_path)
    assert made.returncode == 0, made.stderr
    project = tmp_path / "old-answers"
    had = sorted(path.name for path in (project / "src").glob("*.rs"))
    updated = oxwheel("update", cwd=project)
    assert updated.returncode == 0, updated.stdout + updated.stderr
    values = answers(project)["values"]
    assert values["patterns"] == patterns
    assert "showcase" not in values
    assert sorted(path.name for path in (project / "src").glob("*.rs")) == had
    assert ("showcase.rs" in had) == (showcase == "true")


@pytest.mark.parametrize(("name", "defines", "message"), HOSTILE)
def test_new_refuses_each_hostile_answer_and_leaves_nothing(
    tmp_path: Path, name: str, defines: dict[str, str], message: str
) -> None:
    pairs = [
        argument for key, value in defines.items() for argument in ("--define", f"{key}={value}")
    ]
    # After `--`, a name such as -rf is the name, not options.
    refused = oxwheel("new", "--template", str(paths.ROOT), *pairs, "--", name, cwd=tmp_path)
    assert refused.returncode == 2
    assert refused.stderr.strip() == f"oxwheel: refused, nothing was created: {message}"
    assert list(tmp_path.iterdir()) == []
