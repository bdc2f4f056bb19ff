"""Every answer either is refused with its rule or makes a working project: real names and
descriptions (apostrophes, dashes, accents, Chinese) render into a project whose manifests parse
and whose own lint passes, and random text, printable or not, in each free-text answer does the
one or the other (hypothesis, a fixed seed, a bounded number of examples).

Run by `python3 noxfile.py -s answers`, which installs hypothesis and ruff."""

# ruff: noqa: RUF001  (the real answers hold typographic apostrophes, dashes and commas)
from __future__ import annotations

import subprocess
import tempfile
import tomllib
from pathlib import Path

import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st
from oxwheel_dev import render

REAL_ANSWERS = [
    ("description", "Bob’s fast tools"),
    ("description", "Fast parsing – in Rust"),
    ("description", "Café"),
    ("description", "快速的文本扫描工具，" * 4 + "用Rust编写"),  # 45 characters, 90 columns
    ("author", "José Müller <jose@example.com>"),
    ("author", "Zoë O’Brien"),
    ("module_name", "google_cloud_bigquery_storage_v1"),  # the longest import name taken: 32
]


def working(project: Path) -> None:
    """The manifests and workflows parse, and the project's own ruff settings pass."""
    for name in ("Cargo.toml", "pyproject.toml", "tox.toml", "oxwheel-answers.toml"):
        tomllib.loads((project / name).read_text(encoding="utf-8"))
    for workflow in (project / ".github" / "workflows").glob("*.yml"):
        yaml.safe_load(workflow.read_text(encoding="utf-8"))
    for check in (["check"], ["format", "--check"]):
        result = subprocess.run(
            ["ruff", *check, "python", "tests", "benches"],
            cwd=project,
            capture_output=True,
            text=True,
            check=False,
        )
        assert result.returncode == 0, result.stdout + result.stderr


@pytest.mark.parametrize(("key", "value"), REAL_ANSWERS)
def test_real_names_and_descriptions_make_a_lint_clean_project(
    tmp_path: Path, key: str, value: str
) -> None:
    project = render.render(tmp_path, "real-answers", {key: value}).path
    recorded = tomllib.loads((project / "oxwheel-answers.toml").read_text(encoding="utf-8"))
    assert recorded["values"][key] == value
    working(project)


# Any text argv can carry (no NUL, no lone surrogates), printable or not.
TEXT = st.text(st.characters(exclude_categories=["Cs"], exclude_characters="\x00"), max_size=60)


@pytest.mark.parametrize("key", ["description", "author", "github_owner", "module_name"])
@settings(max_examples=15, derandomize=True, deadline=None)
@given(value=TEXT)
def test_any_text_is_refused_by_its_rule_or_makes_a_working_project(key: str, value: str) -> None:
    with tempfile.TemporaryDirectory() as parent:
        refusal = ""
        try:
            project = render.render(Path(parent), "any-answer", {key: value}).path
        except render.RenderRefused as refused:
            refusal = str(refused)
        if refusal:
            assert refusal.startswith(f'{key} "'), refusal
            assert " is refused: " in refusal
            assert list(Path(parent).iterdir()) == []
        else:
            working(project)
