"""Where things are: this repository's files, its work files, and the one-time builds kept in
~/.cache/oxwheel for every checkout of it."""

from __future__ import annotations

import os
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent.parent
TEMPLATE = ROOT / "template"
ANSWERS = ROOT / "oxwheel-answers.toml"
# The tables: the CPython releases and wheel platforms, and the option combinations.
SUPPORTED = TEMPLATE / "supported.rhai"
VARIANTS = ROOT / "dev" / "variants.toml"
# The programs the sessions run (demo, smoke test, ...).
PROGRAMS = ROOT / "dev" / "programs"
# The existing projects the tests of `oxwheel adopt` and the replay start from.
FIXTURES = ROOT / "template-tests" / "fixtures"
# wheels.yml installs cibuildwheel from this file, every file pinned by its hash.
CIBUILDWHEEL = TEMPLATE / ".github" / "requirements" / "cibuildwheel.txt"

# The sessions' work files.
WORK = ROOT / "target" / "oxwheel"

# OXWHEEL_CACHE moves it (a second cache lets two checkouts run their checks at once).
CACHE = Path(os.environ.get("OXWHEEL_CACHE") or Path.home() / ".cache" / "oxwheel")
# The cargo target directory the sessions' builds of generated projects and of the root share
# (cross-built wheels, the option matrix): kept with the one-time builds, so that a new checkout
# compiles only the projects' own crates, not every dependency of every kind of wheel again.
CARGO_TARGET = CACHE / "cargo-target"
# The fuzz target's builds (sanitizer flags of their own, so a directory of their own).
FUZZ_TARGET = CACHE / "fuzz-target"
EXE = ".exe" if os.name == "nt" else ""
# The oxwheel command renders everything here (cli/, cargo-generate linked as a library); its
# build outputs live outside any checkout and are shared with cargo-generate's own build.
CLI_TARGET = CACHE / "cli-target"
OXWHEEL = CLI_TARGET / "release" / f"oxwheel{EXE}"
# Plain cargo-generate, for the witnesses of what people run without oxwheel: 0.23.14 is the
# newest release that builds with `--locked` on stable Rust 1.95.
CARGO_GENERATE_VERSION = "0.23.14"
CARGO_GENERATE_HOME = CACHE / f"cargo-generate-{CARGO_GENERATE_VERSION}"
CARGO_GENERATE = CARGO_GENERATE_HOME / "bin" / f"cargo-generate{EXE}"
