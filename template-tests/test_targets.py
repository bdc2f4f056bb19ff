"""A target directory shared by two checkouts builds each one's own code (dev/oxwheel_dev/
targets.py), even when one checkout's files are older than the other's last build there."""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

from oxwheel_dev import targets


def crate(folder: Path, says: str) -> Path:
    (folder / "src").mkdir(parents=True)
    (folder / "Cargo.toml").write_text(
        '[package]\nname = "says"\nversion = "0.1.0"\nedition = "2021"\n'
    )
    (folder / "src" / "main.rs").write_text(f'fn main() {{ print!("{says}"); }}\n')
    return folder / "Cargo.toml"


def built_and_run(manifest: Path, target: Path) -> str:
    env = {**os.environ, **targets.claimed(target, manifest)}
    build = ["cargo", "build", "--quiet", "--manifest-path", str(manifest)]
    subprocess.run(build, check=True, env=env)
    return subprocess.run(
        [str(target / "debug" / "says")], check=True, capture_output=True, text=True
    ).stdout


def test_an_older_checkout_gets_its_own_build(tmp_path: Path) -> None:
    target = tmp_path / "shared-target"
    older = crate(tmp_path / "older", "older checkout")
    for path in (older, older.parent / "src" / "main.rs"):
        os.utime(path, (1_000_000_000, 1_000_000_000))
    newer = crate(tmp_path / "newer", "newer checkout")
    assert built_and_run(newer, target) == "newer checkout"
    # Without the claim, cargo finds the newer checkout's build fresh for the older files.
    assert built_and_run(older, target) == "older checkout"
    assert built_and_run(newer, target) == "newer checkout"
