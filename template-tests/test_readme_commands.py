"""The root README's "Generate a project" commands, run as written, a block at a time in a new
directory: the GitHub URL stands for a repository of this checkout (conftest.py), a command
that asks questions is answered in a terminal with the defaults, and `cargo install` installs
into a scratch root (the pinned cargo-generate already built there, as on a machine that ran
the first command before)."""

from __future__ import annotations

import os
import shutil
import tomllib
from pathlib import Path

import pytest
from oxwheel_dev import daily_loop, paths, terminal

GITHUB = "https://github.com/oxwheel/oxwheel"
README = paths.ROOT / "README.md"


def blocks(readme: Path = README) -> list[list[str]]:
    found = daily_loop.readme_blocks(readme, "Generate a project")
    assert found, f"{readme}: no commands under 'Generate a project'"
    return found


def environment(tmp_path: Path, repository: Path) -> dict[str, str]:
    root = tmp_path / "cargo-root"
    shutil.copytree(paths.CARGO_GENERATE_HOME, root)
    return {
        **{key: value for key, value in os.environ.items() if not key.startswith("CARGO_GEN")},
        "CARGO_INSTALL_ROOT": str(root),
        "PATH": os.pathsep.join([str(root / "bin"), os.environ["PATH"]]),
        # The `oxwheel` command's template when none is named: this checkout's repository.
        "OXWHEEL_TEMPLATE": str(repository),
        # The build outputs of every other build of the oxwheel command and of cargo-generate.
        "CARGO_TARGET_DIR": str(paths.CLI_TARGET),
    }


def run_block(block: list[str], directory: Path, env: dict[str, str], repository: Path) -> None:
    for number, line in enumerate(block):
        command = line.replace(GITHUB, repository.as_uri())
        if "cargo generate" in command and "--silent" not in command:
            answers = {"project-name": f"asked-{number}"}
            session = terminal.answer(["bash", "-c", command], directory, answers, env=env)
            assert session.status == 0, f"{line}\n{session.transcript}"
        else:
            daily_loop.run_as_written([command], directory, env)


def test_the_generate_commands_work_as_written(tmp_path: Path, repository: Path) -> None:
    env = environment(tmp_path, repository)
    made = []
    for index, block in enumerate(blocks()):
        directory = tmp_path / f"block-{index}"
        directory.mkdir()
        run_block(block, directory, env, repository)
        made += [path for path in directory.iterdir() if (path / "Cargo.toml").exists()]
    answers = [tomllib.loads((path / "oxwheel-answers.toml").read_text()) for path in made]
    makers = ("cargo generate ", "oxwheel new ")
    assert len(made) == sum(line.startswith(makers) for block in blocks() for line in block)
    assert all(
        answer["values"]["project-name"] == path.name
        for answer, path in zip(answers, made, strict=True)
    )


def test_a_broken_command_in_the_readme_fails_the_test(tmp_path: Path, repository: Path) -> None:
    """The same run on a copy of the README whose generate command was mistyped."""
    broken = tmp_path / "README.md"
    broken.write_text(README.read_text().replace("--name my-ext", "--nmae my-ext"))
    env = environment(tmp_path, repository)
    (block,) = [block for block in blocks(broken) if any("--nmae" in line for line in block)]
    with pytest.raises(RuntimeError, match="--nmae"):
        run_block(block, tmp_path, env, repository)
