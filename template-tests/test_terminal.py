"""Generating a project the way people do: `cargo generate` in a terminal, each question
answered as it is asked (a pseudo-terminal driven by pexpect, dev/oxwheel_dev/terminal.py),
wrong answers and Ctrl-C included, and the generated README's first commands run as written.

Run by `python3 noxfile.py -s terminal`."""

from __future__ import annotations

import subprocess
import tomllib
from pathlib import Path

from oxwheel_dev import daily_loop, paths, render, terminal
from oxwheel_dev.interpreters import venv_python

PROJECT_RULE = "a project name must be a valid PyPI name that is also a Cargo package name"
MODULE_RULE = "an import name must not shadow the standard-library module of that name"


def cargo_generate(*arguments: str) -> list[str]:
    return [str(render.ensure_cargo_generate()), "generate", *arguments]


def from_checkout() -> list[str]:
    return cargo_generate("--path", str(paths.TEMPLATE))


def recorded(project: Path) -> dict[str, str]:
    values: dict[str, str] = tomllib.loads((project / "oxwheel-answers.toml").read_text())["values"]
    return values


def test_the_defaults_make_a_project_whose_readme_commands_work(tmp_path: Path) -> None:
    """Name typed, every other question answered with Enter; then the generated README's
    Develop block (pip), its Install line and its Use example, as written."""
    session = terminal.answer(from_checkout(), tmp_path, {"project-name": "term-default"})
    assert session.status == 0, session.transcript
    assert session.asked == list(terminal.prompts())
    project = tmp_path / "term-default"
    assert recorded(project)["patterns"] == "core"
    develop = daily_loop.develop_blocks(project)["pip"]
    output = daily_loop.run(develop, project, tmp_path / "cargo-target").output
    assert " passed" in output.splitlines()[-1], output
    readme = project / "README.md"
    (install,) = daily_loop.readme_blocks(readme, "Install")
    (example,) = daily_loop.readme_blocks(readme, "Use", "python")
    wheelhouse = tmp_path / "wheelhouse"
    user = tmp_path / "user"
    commands = [
        ". .venv/bin/activate",
        f"maturin build --profile dev --out {wheelhouse}",
        f"python -m venv {user}",
        f". {user}/bin/activate",
        # pip install NAME as written, served from the wheel just built instead of PyPI.
        f"PIP_NO_INDEX=1 PIP_FIND_LINKS={wheelhouse} {install[0]}",
    ]
    daily_loop.run(commands, project, tmp_path / "cargo-target")
    check = [str(venv_python(user)), str(paths.PROGRAMS / "readme_example.py")]
    shown = subprocess.run(check, input="\n".join(example), capture_output=True, text=True)
    assert shown.returncode == 0, shown.stdout + shown.stderr
    assert shown.stdout.count("ok: ") == sum("# " in line for line in example)


def test_other_answers_shape_the_project(tmp_path: Path) -> None:
    answers = {
        "project-name": "term-custom",
        "module_name": "custom_core",
        "license": "MIT",
        "python_min": "3.12",
        "abi3": "false",
        "patterns": "showcase",
    }
    session = terminal.answer(from_checkout(), tmp_path, answers)
    assert session.status == 0, session.transcript
    project = tmp_path / "term-custom"
    values = recorded(project)
    assert {key: values[key] for key in answers} == answers
    assert not (project / "LICENSE-APACHE").exists()
    assert (project / "src" / "showcase.rs").is_file()
    assert (project / "python" / "custom_core" / "__init__.py").is_file()


def test_a_refused_name_is_asked_again_and_a_refused_answer_names_its_rule(
    tmp_path: Path,
) -> None:
    answers: dict[str, str | list[str]] = {"project-name": ["9lives", "term-wrong"]}
    answers["module_name"] = "json"
    session = terminal.answer(from_checkout(), tmp_path, answers)
    assert session.asked[:2] == ["project-name", "project-name"]
    assert f'project-name "9lives" is refused: {PROJECT_RULE}' in session.transcript
    # cargo-generate asks the other questions after it made the project's directory and checks
    # them after the last one: it cannot ask again, and the empty directory stays (README).
    assert session.status == 1
    assert f'module_name "json" is refused: {MODULE_RULE}' in session.transcript
    assert [path.name for path in tmp_path.iterdir()] == ["term-wrong"]
    assert list((tmp_path / "term-wrong").iterdir()) == []


def test_a_name_given_on_the_command_line_is_not_asked(tmp_path: Path) -> None:
    session = terminal.answer([*from_checkout(), "--name", "term-named"], tmp_path, {})
    assert session.status == 0, session.transcript
    assert session.asked == list(terminal.prompts())[1:]
    assert recorded(tmp_path / "term-named")["project-name"] == "term-named"


def test_ctrl_c_at_the_first_question_leaves_nothing(tmp_path: Path) -> None:
    session = terminal.answer(from_checkout(), tmp_path, {}, interrupt_at="project-name")
    assert session.status != 0
    assert list(tmp_path.iterdir()) == []


def test_without_a_terminal_it_says_what_to_do_instead_of_waiting(tmp_path: Path) -> None:
    result = subprocess.run(
        from_checkout(),
        cwd=tmp_path,
        stdin=subprocess.DEVNULL,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert result.returncode != 0
    assert "no project name: give one with --name" in result.stderr
    assert list(tmp_path.iterdir()) == []


def test_the_git_form_asks_the_same_questions(tmp_path: Path, repository: Path) -> None:
    command = cargo_generate("--git", str(repository), "template")
    session = terminal.answer(command, tmp_path, {"project-name": "term-git"})
    assert session.status == 0, session.transcript
    assert session.asked == list(terminal.prompts())
    assert recorded(tmp_path / "term-git")["project-name"] == "term-git"


def oxwheel_new(repository: Path, *arguments: str) -> list[str]:
    return [str(render.ensure_oxwheel()), "new", *arguments, "--template", str(repository)]


def test_oxwheel_new_asks_checks_each_answer_at_its_prompt_and_builds(
    tmp_path: Path, repository: Path
) -> None:
    answers: dict[str, str | list[str]] = {"project-name": "ox-asked"}
    answers["module_name"] = ["json", "ox_asked_core"]
    session = terminal.answer(oxwheel_new(repository), tmp_path, answers)
    assert session.status == 0, session.transcript
    assert session.asked[:3] == ["project-name", "module_name", "module_name"]
    assert f'module_name "json" is refused: {MODULE_RULE}' in session.transcript
    project = tmp_path / "ox-asked"
    assert recorded(project)["module_name"] == "ox_asked_core"
    assert (
        subprocess.run(
            ["git", "-C", str(project), "status", "--porcelain"], capture_output=True, text=True
        ).stdout
        == ""
    )
    develop = daily_loop.develop_blocks(project)["pip"]
    output = daily_loop.run(develop, project, tmp_path / "cargo-target").output
    assert " passed" in output.splitlines()[-1], output


def test_oxwheel_new_interrupted_at_a_question_leaves_nothing(
    tmp_path: Path, repository: Path
) -> None:
    session = terminal.answer(
        oxwheel_new(repository),
        tmp_path,
        {"project-name": "ox-stopped"},
        interrupt_at="description",
    )
    assert session.status == 130, session.transcript
    assert list(tmp_path.iterdir()) == []


def test_oxwheel_new_without_a_terminal_takes_the_defaults(
    tmp_path: Path, repository: Path
) -> None:
    # The older spelling of the answer, as scripts written before `patterns` give it.
    command = oxwheel_new(repository, "ox-quiet", "--define", "showcase=true")
    result = subprocess.run(
        command,
        cwd=tmp_path,
        stdin=subprocess.DEVNULL,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    assert recorded(tmp_path / "ox-quiet")["patterns"] == "showcase"
    nameless = subprocess.run(
        oxwheel_new(repository),
        cwd=tmp_path,
        stdin=subprocess.DEVNULL,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert nameless.returncode == 2
    assert "no project name: give one (oxwheel new NAME)" in nameless.stderr
