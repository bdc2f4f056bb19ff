"""Hostile answers are refused before anything is written, naming the rule that failed; the
sources of an adopted project's test dependencies land where the tests run."""

import re
import subprocess
import tomllib
from pathlib import Path
from typing import Any

import pytest
import yaml
from oxwheel_dev import paths, render, tables
from oxwheel_dev.hostile_answers import (
    DEVICE_PROJECT_NAMES,
    DEVICE_PROJECT_RULE,
    MODULE_RULES,
    OPTION_RULES,
    PLAIN_TEXT,
    PROJECT_NAMES,
    PROJECT_RULE,
    STDLIB,
)


def refused(tmp_path: Path, name: str, values: dict[str, str], key: str, rule: str) -> str:
    """The message of the refusal, which `oxwheel render --json` names by its key and rule."""
    before = set(tmp_path.iterdir())
    with pytest.raises(render.RenderRefused) as refusal:
        render.render(tmp_path, name, values)
    assert set(tmp_path.iterdir()) == before, "a refused answer left something behind"
    assert (refusal.value.key, refusal.value.rule) == (key, rule)
    return str(refusal.value)


@pytest.mark.parametrize(("module_name", "rule"), MODULE_RULES.items())
def test_module_names_are_refused(tmp_path: Path, module_name: str, rule: str) -> None:
    message = refused(tmp_path, "fine-project", {"module_name": module_name}, "module_name", rule)
    assert message == f'module_name "{module_name}" is refused: {rule}'


@pytest.mark.parametrize("project_name", DEVICE_PROJECT_NAMES)
def test_windows_device_names_are_refused(tmp_path: Path, project_name: str) -> None:
    message = refused(tmp_path, project_name, {}, "project-name", DEVICE_PROJECT_RULE)
    assert message == f'project-name "{project_name}" is refused: {DEVICE_PROJECT_RULE}'


@pytest.mark.parametrize("project_name", PROJECT_NAMES)
def test_project_names_are_refused(tmp_path: Path, project_name: str) -> None:
    message = refused(tmp_path, project_name, {}, "project-name", PROJECT_RULE)
    assert message == f'project-name "{project_name}" is refused: {PROJECT_RULE}'


def test_cargo_generate_itself_creates_nothing_for_a_refused_project_name(tmp_path: Path) -> None:
    # Without render()'s clean-up: the init hook refuses before the directory exists.
    command = [str(render.ensure_cargo_generate()), "generate", "--path", str(paths.TEMPLATE)]
    command += ["--name", "9lives", "--destination", str(tmp_path), "--silent", "--vcs", "none"]
    result = subprocess.run(command, capture_output=True, text=True, check=False)
    assert result.returncode != 0
    assert "is refused" in result.stderr + result.stdout
    assert list(tmp_path.iterdir()) == []


def test_cargo_generate_itself_refuses_the_older_showcase_answer(tmp_path: Path) -> None:
    """cargo-generate takes any --define: without this refusal, showcase=true would quietly
    make a project with the default patterns."""
    command = [str(render.ensure_cargo_generate()), "generate", "--path", str(paths.TEMPLATE)]
    command += ["--name", "old-answer", "--destination", str(tmp_path), "--silent"]
    command += ["--vcs", "none", "--define", "showcase=true"]
    result = subprocess.run(command, capture_output=True, text=True, check=False)
    assert result.returncode != 0
    assert 'showcase "true" is refused: this template asks patterns' in result.stderr
    assert not (tmp_path / "old-answer" / "src").exists()


@pytest.mark.parametrize(("option", "rule"), OPTION_RULES.items())
def test_option_values_are_refused(tmp_path: Path, option: tuple[str, str], rule: str) -> None:
    key, value = option
    message = refused(tmp_path, "fine-project", {key: value}, key, rule)
    assert message == f'{key} "{value}" is refused: {rule}'


def test_a_line_break_is_refused_by_its_rule(tmp_path: Path) -> None:
    message = refused(
        tmp_path, "fine-project", {"description": "two\nlines"}, "description", PLAIN_TEXT
    )
    assert message == f'description "two\nlines" is refused: {PLAIN_TEXT}'


# The layout answer test_deps (which `oxwheel adopt` reads from a project): its values land in
# TOML, YAML and shell lines, so nothing but the four forms passes.
TEST_DEPS_RULE = (
    "write none, or one or more items separated by single spaces, each group:NAME, extra:NAME, "
    "requirements:PATH or pip:REQUIREMENT (a PyPI name, then optionally [extras] and a version "
    "of letters, digits and <>=!~.*, such as pytest>=8,<9)"
)
RELATIVE_PATH = (
    "a relative path inside the project: letters, digits, '.', '-', '_' and '/', no '..' part"
)
TEST_DEPS = {
    "": TEST_DEPS_RULE,
    "pytest": TEST_DEPS_RULE,
    "tox:test": TEST_DEPS_RULE,
    "none group:test": TEST_DEPS_RULE,
    "group:test  extra:test": TEST_DEPS_RULE,
    "group:test ": TEST_DEPS_RULE,
    "group:te st": TEST_DEPS_RULE,
    "extra:test pip:": TEST_DEPS_RULE,
    "pip:pytest;rm": TEST_DEPS_RULE,
    'pip:"x"': TEST_DEPS_RULE,
    "pip:pytest$(id)": TEST_DEPS_RULE,
    "pip:pytest>=8 ; rm -rf ~": TEST_DEPS_RULE,
    "pip:pytest@https://example.com/pytest.whl": TEST_DEPS_RULE,
    "pip:>=8": TEST_DEPS_RULE,
    "pip:-rpytest": TEST_DEPS_RULE,
    "pip:numpy[dev": TEST_DEPS_RULE,
    "pip:numpy[]": TEST_DEPS_RULE,
    "pip:numpy[dev,]": TEST_DEPS_RULE,
    "pip:numpy[dev]2": TEST_DEPS_RULE,
    "pip:numpy>=2[dev]": TEST_DEPS_RULE,
    "group:test extra:-x": TEST_DEPS_RULE,
    "requirements:../secrets.txt": RELATIVE_PATH,
    "pip:pytest requirements:/etc/x.txt": RELATIVE_PATH,
}


@pytest.mark.parametrize(("value", "rule"), TEST_DEPS.items())
def test_test_deps_values_are_refused(tmp_path: Path, value: str, rule: str) -> None:
    message = refused(tmp_path, "fine-project", {"test_deps": value}, "test_deps", rule)
    assert message == f'test_deps "{value}" is refused: {rule}'


def adopted_pipeline(tmp_path: Path, test_deps: str) -> tuple[Path, dict[str, Any]]:
    """The pipeline `oxwheel adopt` renders for the uv workspace member with `test_deps`, and
    what the rules derive for it."""
    answers = tables.adopted_variants()["uv-member"] | {"test_deps": test_deps}
    project = render.render(tmp_path, "mixed-dist", answers).path
    return project, tables.derived(answers | {"project-name": "mixed-dist"})


def lines_of_test_steps(project: Path) -> list[str]:
    """The lines of the workflow steps that run the tests outside cibuildwheel."""
    wheels = yaml.safe_load((project / ".github" / "workflows" / "oxwheel-wheels.yml").read_text())
    steps = [step for job in wheels["jobs"].values() for step in job.get("steps", [])]
    runs = [step["run"] for step in steps if step.get("name", "").startswith("Test ")]
    assert runs, "no test step in oxwheel-wheels.yml"
    return [line.partition("  #")[0] for run in runs for line in run.splitlines()]


def test_every_source_of_test_deps_is_installed_where_the_tests_run(tmp_path: Path) -> None:
    """Several sources at once (two of each, in the order given): tox, cibuildwheel and the
    workflow's own test steps install them all."""
    deps = (
        "group:test pip:pytest>=8,<9 extra:test requirements:requirements-dev.txt group:lint "
        "pip:numpy[dev,io]>=2 extra:speed requirements:ci/extra.txt pip:hypothesis"
    )
    project, derived = adopted_pipeline(tmp_path, deps)
    groups, extras = ["test", "lint"], ["test", "speed"]
    requirements = ["requirements-dev.txt", "ci/extra.txt"]
    packages = ["pytest>=8,<9", "numpy[dev,io]>=2", "hypothesis"]
    assert (derived["test_groups"], derived["test_extras"]) == (groups, extras)
    assert (derived["test_requirements"], derived["test_packages"]) == (requirements, packages)
    tox = tomllib.loads((project / "tox.toml").read_text())["env_run_base"]
    assert (tox["dependency_groups"], tox["extras"]) == (groups, extras)
    assert tox["deps"] == ["-r requirements-dev.txt", "-r ci/extra.txt", *packages]
    cibuildwheel = tomllib.loads((project / "pyproject.toml").read_text())["tool"]["cibuildwheel"]
    assert (cibuildwheel["test-groups"], cibuildwheel["test-extras"]) == (groups, extras)
    assert cibuildwheel["test-requires"] == packages
    before = "python -m pip install -r {package}/requirements-dev.txt -r {package}/ci/extra.txt"
    assert cibuildwheel["before-test"] == before
    install = (
        "python -m pip install --group test --group lint --requirement requirements-dev.txt "
        '--requirement ci/extra.txt "mixed-dist[test,speed]" "pytest>=8,<9" '
        '"numpy[dev,io]>=2" "hypothesis"'
    )
    assert derived["install_test_deps"] == install
    steps = lines_of_test_steps(project)
    assert [line for line in steps if "requirements-dev.txt" in line] == [install]


def test_test_deps_none_installs_nothing(tmp_path: Path) -> None:
    project, derived = adopted_pipeline(tmp_path, "none")
    assert derived["install_test_deps"] == ""
    tox = tomllib.loads((project / "tox.toml").read_text())["env_run_base"]
    assert not {"dependency_groups", "extras", "deps"} & set(tox)
    cibuildwheel = tomllib.loads((project / "pyproject.toml").read_text())["tool"]["cibuildwheel"]
    assert not {"test-groups", "test-extras", "test-requires", "before-test"} & set(cibuildwheel)
    assert lines_of_test_steps(project) == [
        "python -m pip install sdist-wheel/*.whl",
        "cd packages/mixed",
        "python -m pytest",
    ]


def test_project_names_are_normalised_to_kebab_case(tmp_path: Path) -> None:
    project = render.render(tmp_path, "My Project", {}).path
    assert project.name == "my-project"
    assert 'name = "my-project"' in (project / "pyproject.toml").read_text()
    assert (project / "python" / "my_project").is_dir()


def test_the_module_name_defaults_to_the_project_name(tmp_path: Path) -> None:
    project = render.render(tmp_path, "my-fine-project", {}).path
    assert (project / "python" / "my_fine_project" / "__init__.py").is_file()
    assert (
        "MyFineProjectError" in (project / "python" / "my_fine_project" / "_core.pyi").read_text()
    )


def test_a_derived_module_name_is_checked_too(tmp_path: Path) -> None:
    message = refused(tmp_path, "typing", {}, "module_name", STDLIB)
    assert message == f'module_name "typing" is refused: {STDLIB}'


def test_an_existing_directory_is_left_alone(tmp_path: Path) -> None:
    existing = tmp_path / "taken"
    existing.mkdir()
    (existing / "keep.txt").write_text("mine")
    with pytest.raises(RuntimeError, match="taken exists already; nothing was changed"):
        render.render(tmp_path, "taken", {})
    assert (existing / "keep.txt").read_text() == "mine"


def test_python_min_defaults_to_the_oldest_supported_release(tmp_path: Path) -> None:
    project = render.render(tmp_path, "oldest", {}).path
    requires = f'requires-python = ">={tables.cpython()[0]}"'
    assert requires in (project / "pyproject.toml").read_text()


def test_the_answers_hook_checks_every_question() -> None:
    """validate-answers.rhai applies rules.rhai to each placeholder of cargo-generate.toml."""
    hook = (paths.TEMPLATE / "validate-answers.rhai").read_text()
    listed = re.search(r"for key in \[(.*?)\] \{\n    rules::check", hook, re.DOTALL)
    assert listed, "validate-answers.rhai: no loop over the answers found"
    config = tomllib.loads((paths.TEMPLATE / "cargo-generate.toml").read_text())
    assert re.findall(r'"([^"]+)"', listed[1]) == list(config["placeholders"])


def test_a_name_that_looks_like_an_option_is_a_name(tmp_path: Path) -> None:
    """`-rf` reaches the rules as a name (and becomes `rf` in kebab case), never cargo-generate's
    or oxwheel's options."""
    assert render.render(tmp_path, "-rf", {}).path.name == "rf"
