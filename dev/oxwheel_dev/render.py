"""The oxwheel command as this repository's tooling runs it: built from this checkout's cli/,
read through its JSON (`oxwheel render --json`, and `oxwheel rules --json` for what the
template's rules derive); plus the pinned plain cargo-generate."""

from __future__ import annotations

import json
import os
import subprocess
from collections.abc import Mapping
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

from . import targets
from .paths import (
    CACHE,
    CARGO_GENERATE,
    CARGO_GENERATE_HOME,
    CARGO_GENERATE_VERSION,
    CLI_TARGET,
    EXE,
    OXWHEEL,
    ROOT,
    TEMPLATE,
)

# With where the command's builds live, for the sessions that build it with other options.
__all__ = [
    "CACHE",
    "CLI_TARGET",
    "EXE",
    "OXWHEEL",
    "REFUSED",
    "RenderRefused",
    "Rendered",
    "ensure_cargo_generate",
    "ensure_oxwheel",
    "render",
    "rules",
    "without_cargo_generate_settings",
]

# The exit status of `oxwheel render` and `oxwheel rules` for a refused answer.
REFUSED = 3


class RenderRefused(Exception):
    """The template's rules refused an answer; nothing was left behind. Its text is the
    command's message; `key` names the answer (None when the refusal names none) and `rule`
    the rule it breaks."""

    def __init__(self, refusal: Mapping[str, Any]) -> None:
        super().__init__(str(refusal["message"]))
        self.key: str | None = refusal["key"]
        self.rule: str | None = refusal["rule"]


@dataclass
class Rendered:
    path: Path


def ensure_oxwheel() -> Path:
    """The oxwheel command built from this checkout's cli/ (release, locked); cargo only
    rebuilds what changed, and the first build (cargo-generate's crates) takes a few minutes."""
    manifest = ROOT / "cli" / "Cargo.toml"
    build = ["cargo", "build", "--release", "--locked", "--quiet", "--manifest-path", str(manifest)]
    subprocess.run(build, check=True, env={**os.environ, **targets.claimed(CLI_TARGET, manifest)})
    return OXWHEEL


def ensure_cargo_generate() -> Path:
    """The pinned cargo-generate, built once, for the plain cargo-generate witnesses."""
    if CARGO_GENERATE.exists():
        return CARGO_GENERATE
    print(
        f"building cargo-generate {CARGO_GENERATE_VERSION} into {CARGO_GENERATE_HOME}", flush=True
    )
    install = ["cargo", "install", f"cargo-generate@{CARGO_GENERATE_VERSION}", "--locked"]
    install += ["--root", str(CARGO_GENERATE_HOME)]
    # The same crates as oxwheel's: built once for both.
    subprocess.run(install, check=True, env={**os.environ, "CARGO_TARGET_DIR": str(CLI_TARGET)})
    return CARGO_GENERATE


def without_cargo_generate_settings() -> dict[str, str]:
    """This environment without CARGO_GENERATE_* variables, which would answer for the template."""
    return {key: value for key, value in os.environ.items() if not key.startswith("CARGO_GENERATE")}


def _run_json(command: list[str], what: str) -> dict[str, Any]:
    """The one JSON object an oxwheel command with --json prints; a refusal raises
    RenderRefused, any other failure RuntimeError with what the command said."""
    result = subprocess.run(
        command,
        capture_output=True,
        text=True,
        env={**without_cargo_generate_settings(), "NO_COLOR": "1"},
        stdin=subprocess.DEVNULL,
        check=False,
    )
    if result.returncode not in (0, REFUSED):
        raise RuntimeError(f"{what} failed: {result.stderr.strip()}")
    outcome: dict[str, Any] = json.loads(result.stdout)
    if outcome.get("outcome") == "refused":
        raise RenderRefused(outcome)
    return outcome


def _answer_options(name: str, values: Mapping[str, str], template: Path) -> list[str]:
    # --name=VALUE: a name such as -rf is the name, not options.
    options = ["--template", str(template), f"--name={name}"]
    options += [f"--define={key}={value}" for key, value in values.items() if key != "project-name"]
    return options


def render(parent: Path, name: str, values: dict[str, str], template: Path = TEMPLATE) -> Rendered:
    """Renders the template into `parent/name` with `oxwheel render`; a refused answer raises
    RenderRefused with the rule it breaks, and leaves nothing in `parent`."""
    parent.mkdir(parents=True, exist_ok=True)
    command = [str(ensure_oxwheel()), "render", *_answer_options(name, values, template)]
    outcome = _run_json([*command, "--destination", str(parent), "--json"], "oxwheel render")
    # cargo-generate may have renamed the project ("My Project" -> "my-project").
    return Rendered(Path(outcome["path"]))


def rules(values: Mapping[str, str], template: Path = TEMPLATE) -> dict[str, Any]:
    """What the template's rules derive for the answers `values` (`oxwheel rules --json`):
    {"answers", "derived", "supported"}; a refused answer raises RenderRefused. One run of the
    command per answer set and template."""
    return _rules(tuple(sorted(values.items())), template)


@cache
def _rules(values: tuple[tuple[str, str], ...], template: Path) -> dict[str, Any]:
    answers = dict(values)
    name = answers.get("project-name", "example")
    command = [str(ensure_oxwheel()), "rules", *_answer_options(name, answers, template), "--json"]
    return _run_json(command, "oxwheel rules")
