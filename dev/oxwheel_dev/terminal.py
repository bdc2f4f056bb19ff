"""A person at a terminal: a program's prompts answered one at a time through a pseudo-terminal
(pexpect), as they appear, with Ctrl-C where the person gives up.

The prompts are the template's own: the project name that check-project-name.rhai asks for,
and each placeholder of cargo-generate.toml, matched by its prompt text.
"""

from __future__ import annotations

import io
import os
import re
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

import pexpect

from .paths import TEMPLATE

NAME_PROMPT = "Project name"
# Where a prompt ends and the cursor waits, after its text and the default it shows (which
# holds no colon and space).
PROMPT_END = r": "
# Colours and cursor movements, left out of the transcript.
_ESCAPES = re.compile(r"\x1b\[[0-9;?]*[A-Za-z]")


def prompts(template: Path = TEMPLATE) -> dict[str, str]:
    """{answer: the text of its prompt}, in the order they are asked."""
    config = tomllib.loads((template / "cargo-generate.toml").read_text())
    asked = {"project-name": NAME_PROMPT}
    asked |= {key: str(entry["prompt"]) for key, entry in config["placeholders"].items()}
    return asked


@dataclass
class Session:
    status: int | None  # the exit status, None when a signal ended the program
    transcript: str  # what the terminal showed, without escape sequences
    asked: list[str]  # the answers asked for, in order (a refused one twice)


def answer(
    command: list[str],
    cwd: Path,
    answers: Mapping[str, str | list[str]],
    *,
    interrupt_at: str = "",
    env: dict[str, str] | None = None,
    timeout: float = 120,
) -> Session:
    """Runs `command` in a terminal and answers each prompt as it appears: the value `answers`
    gives for it, one after another when a list is given (a refused answer, then a good one),
    else the default (Enter). Sends Ctrl-C at the prompt of `interrupt_at` instead."""
    if env is None:  # cargo-generate's own settings would answer questions for the person
        env = {
            key: value for key, value in os.environ.items() if not key.startswith("CARGO_GENERATE")
        }
    known = prompts()
    keys = list(known)
    patterns = [re.escape(known[key]) for key in keys]
    child = pexpect.spawn(
        command[0],
        command[1:],
        cwd=str(cwd),
        env=env,
        dimensions=(50, 200),
        encoding="utf-8",
        timeout=timeout,
    )
    child.logfile_read = shown = io.StringIO()
    asked: list[str] = []
    pending = {
        key: list(value) if isinstance(value, list) else [value] for key, value in answers.items()
    }
    while (index := child.expect([*patterns, pexpect.EOF])) < len(keys):
        key = keys[index]
        asked.append(key)
        child.expect(PROMPT_END)
        if key == interrupt_at:
            child.sendcontrol("c")
            child.expect(pexpect.EOF)
            break
        values = pending.get(key, [])
        child.sendline(values.pop(0) if values else "")
        # The prompt is drawn again with the answer given (that is not a new question), or the
        # refusal is shown before the question comes again.
        child.expect([re.escape(known[key]) + r"[^\n]*\n", r"is refused: [^\n]*\n"])
    child.close()
    return Session(child.exitstatus, _ESCAPES.sub("", shown.getvalue()), asked)
