"""The oxwheel command as this repository's tooling runs it: built from this checkout's cli/,
and the render protocol (`oxwheel render`, its exit status and its refusal message); plus the
pinned plain cargo-generate."""

from __future__ import annotations

import os
import subprocess
from dataclasses import dataclass
from pathlib import Path

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
    "without_cargo_generate_settings",
]

# The exit status of `oxwheel render` for a refused answer.
REFUSED = 3


class RenderRefused(Exception):
    """The template's rules refused an answer; nothing was left behind."""


@dataclass
class Rendered:
    path: Path
    log: str


def ensure_oxwheel() -> Path:
    """The oxwheel command built from this checkout's cli/ (release, locked); cargo only
    rebuilds what changed, and the first build (cargo-generate's crates) takes a few minutes."""
    manifest = ROOT / "cli" / "Cargo.toml"
    build = ["cargo", "build", "--release", "--locked", "--quiet", "--manifest-path", str(manifest)]
    subprocess.run(build, check=True, env={**os.environ, "CARGO_TARGET_DIR": str(CLI_TARGET)})
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


def render(parent: Path, name: str, values: dict[str, str], template: Path = TEMPLATE) -> Rendered:
    """Renders the template into `parent/name` with `oxwheel render`; a refused answer raises
    RenderRefused with the rule it breaks, and leaves nothing in `parent`."""
    parent.mkdir(parents=True, exist_ok=True)
    command = [str(ensure_oxwheel()), "render", "--template", str(template)]
    # --name=VALUE: a name such as -rf is the name, not options.
    command += ["--destination", str(parent), f"--name={name}"]
    for key, value in values.items():
        if key != "project-name":
            command.append(f"--define={key}={value}")
    result = subprocess.run(
        command,
        capture_output=True,
        text=True,
        env={**without_cargo_generate_settings(), "NO_COLOR": "1"},
        stdin=subprocess.DEVNULL,
        check=False,
    )
    said = result.stderr.strip().removeprefix("oxwheel: ")
    if result.returncode == REFUSED:
        raise RenderRefused(said.removeprefix("refused, nothing was created: "))
    if result.returncode != 0:
        raise RuntimeError(f"oxwheel render failed: {said}")
    # cargo-generate may have renamed the project ("My Project" -> "my-project").
    return Rendered(Path(result.stdout.strip().splitlines()[-1]), result.stdout)
