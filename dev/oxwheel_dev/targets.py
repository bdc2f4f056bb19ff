"""Cargo target directories shared by every checkout of this repository (paths.CLI_TARGET,
paths.CARGO_TARGET, paths.FUZZ_TARGET): the dependencies compile once for all of them.

Cargo decides that a path package is fresh by comparing its sources' modification times with
its last build, and names the build by the package, not by its folder. A checkout whose files
are older than another checkout's last build there would get that build: the other checkout's
code, with the other folder compiled into its tests. So each package remembers which folder
built it last, and is cleaned (its own artifacts only) when another one builds it."""

from __future__ import annotations

import os
import subprocess
import tomllib
from pathlib import Path


def claimed(target: Path, manifest: Path) -> dict[str, str]:
    """The environment that builds the package of `manifest` into `target`, after removing
    what another folder's package of the same name left there."""
    name = tomllib.loads(manifest.read_text())["package"]["name"]
    owner = target / ".built-from" / name
    folder = str(manifest.resolve().parent)
    if not owner.is_file() or owner.read_text() != folder:
        clean = ["cargo", "clean", "--quiet", "--package", name]
        clean += ["--manifest-path", str(manifest), "--target-dir", str(target)]
        subprocess.run(clean, check=True, env={**os.environ, "CARGO_TARGET_DIR": str(target)})
        owner.parent.mkdir(parents=True, exist_ok=True)
        owner.write_text(folder)
    return {"CARGO_TARGET_DIR": str(target)}
