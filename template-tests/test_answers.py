"""Hostile answers are refused before anything is written, naming the rule that failed."""

from pathlib import Path

import pytest
from oxwheel_dev import render as template
from oxwheel_dev import tables

MODULE_RULES = {
    "json": "standard-library",
    "test": "standard-library",
    "logging": "standard-library",
    "typing": "standard-library",
    "asyncio": "standard-library",
    "pyo3": "crate the project depends on",
    "std": "crate the project depends on",
    "core": "crate the project depends on",
    "serde_json": "crate the project depends on",
    "class": "Python keyword",
    "import": "Python keyword",
    "MyModule": "lowercase Python identifier",
    "1module": "lowercase Python identifier",
    "my-module": "lowercase Python identifier",
    "my module": "lowercase Python identifier",
    "modülé": "lowercase Python identifier",
    "a.b": "lowercase Python identifier",
}

# cargo-generate first turns a project name into kebab case ("My Project" -> "my-project");
# these stay invalid after that.
PROJECT_RULES = {
    "9lives": "valid PyPI name",
    "2024": "valid PyPI name",
    "naïve": "valid PyPI name",
    "école": "valid PyPI name",
    "日本": "valid PyPI name",
}


def next_release(version: str, step: int) -> str:
    """The CPython release `step` minor versions from `version`."""
    major, minor = version.split(".")
    return f"{major}.{int(minor) + step}"


# Just outside the supported range at both ends.
TOO_OLD = next_release(tables.cpython()[0], -1)
TOO_NEW = next_release(tables.cpython()[-1], +1)

OPTION_RULES = {
    ("python_min", TOO_OLD): "python_min",
    ("python_min", TOO_NEW): "python_min",
    ("python_min", "latest"): "python_min",
    ("license", "GPL-3.0"): "license",
    ("abi3", "maybe"): "abi3",
    ("showcase", "yes please"): "showcase",
    ("arm64_runners", "no"): "arm64_runners",
    ("github_owner", "-bad-"): "GitHub",
    ("description", 'quote " inside'): "plain text",
    ("author", "Name <not-an-email>"): "Name <email>",
    ("description", "x" * 91): "at most 90 characters",
    ("python_min", "3.011"): "python_min",
    ("license", "mit"): "license",
    ("github_owner", "double--dash"): "GitHub",
    ("github_owner", "a" * 40): "GitHub",
    ("description", ""): "plain text",
    ("description", "two\nlines"): "description",  # refused by cargo-generate itself
    ("description", "{{ project-name }}"): "plain text",
    ("author", "back\\slash"): "plain text",
}


def refused(tmp_path: Path, name: str, values: dict[str, str]) -> str:
    before = set(tmp_path.iterdir())
    with pytest.raises(template.RenderRefused) as refusal:
        template.render(tmp_path, name, values)
    assert set(tmp_path.iterdir()) == before, "a refused answer left something behind"
    return str(refusal.value)


@pytest.mark.parametrize(("module_name", "rule"), MODULE_RULES.items())
def test_module_names_are_refused(tmp_path: Path, module_name: str, rule: str) -> None:
    message = refused(tmp_path, "fine-project", {"module_name": module_name})
    assert rule in message
    assert module_name in message


@pytest.mark.parametrize(("project_name", "rule"), PROJECT_RULES.items())
def test_project_names_are_refused(tmp_path: Path, project_name: str, rule: str) -> None:
    message = refused(tmp_path, project_name, {})
    assert rule in message


@pytest.mark.parametrize(("option", "rule"), OPTION_RULES.items())
def test_option_values_are_refused(tmp_path: Path, option: tuple[str, str], rule: str) -> None:
    key, value = option
    message = refused(tmp_path, "fine-project", {key: value})
    assert rule in message


def test_project_names_are_normalised_to_kebab_case(tmp_path: Path) -> None:
    project = template.render(tmp_path, "My Project", {}).path
    assert project.name == "my-project"
    assert 'name = "my-project"' in (project / "pyproject.toml").read_text()
    assert (project / "python" / "my_project").is_dir()


def test_the_module_name_defaults_to_the_project_name(tmp_path: Path) -> None:
    project = template.render(tmp_path, "my-fine-project", {}).path
    assert (project / "python" / "my_fine_project" / "__init__.py").is_file()
    assert (
        "MyFineProjectError" in (project / "python" / "my_fine_project" / "_core.pyi").read_text()
    )


def test_a_derived_module_name_is_checked_too(tmp_path: Path) -> None:
    message = refused(tmp_path, "typing", {})
    assert "standard-library" in message


def test_an_existing_directory_is_left_alone(tmp_path: Path) -> None:
    existing = tmp_path / "taken"
    existing.mkdir()
    (existing / "keep.txt").write_text("mine")
    with pytest.raises(template.RenderRefused):
        template.render(tmp_path, "taken", {})
    assert (existing / "keep.txt").read_text() == "mine"


@pytest.mark.parametrize("python_min", [TOO_OLD, TOO_NEW])
def test_a_refused_python_min_lists_every_supported_release(
    tmp_path: Path, python_min: str
) -> None:
    message = refused(tmp_path, "fine-project", {"python_min": python_min})
    assert f"choose one of {', '.join(tables.cpython())}" in message


def test_python_min_defaults_to_the_oldest_supported_release(tmp_path: Path) -> None:
    project = template.render(tmp_path, "oldest", {}).path
    requires = f'requires-python = ">={tables.cpython()[0]}"'
    assert requires in (project / "pyproject.toml").read_text()
