"""cibuildwheel's build identifiers for a project, as `cibuildwheel --print-build-identifiers`
selects them from its configuration (the checks run the cibuildwheel that wheels.yml installs)."""

from __future__ import annotations

import re
import subprocess
from pathlib import Path

from . import tables


def archs() -> dict[str, str]:
    """What --archs names for each cibuildwheel platform: every architecture of the table's
    rows, so that one machine lists what every runner of that platform builds."""
    rows = tables.platforms()
    return {
        platform: ",".join(sorted({row.arch for row in rows if row.platform == platform}))
        for platform in dict.fromkeys(row.platform for row in rows)
    }


def selected(project: Path, platform: str) -> list[str]:
    """The identifiers the configuration selects on `platform`, in build order.

    cibuildwheel leaves out, with a note, those this machine's architecture could not build
    (PyPy for macOS arm64 on x86_64); they are selected all the same.
    """
    command = ["cibuildwheel", "--print-build-identifiers", "--platform", platform]
    result = subprocess.run(
        [*command, "--archs", archs()[platform], str(project)],
        capture_output=True,
        text=True,
        check=True,
    )
    unbuildable_here = re.findall(r"Note: (\S+) was selected, but can't be built", result.stderr)
    return result.stdout.split() + unbuildable_here
