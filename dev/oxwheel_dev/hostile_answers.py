"""Hostile answers and the exact message of the rule each one breaks: the answers session
refuses them through cargo-generate, the update session through `oxwheel new`."""

from __future__ import annotations

from . import tables

IDENTIFIER = (
    "an import name must be a lowercase Python identifier: a-z, 0-9 and '_', not starting with "
    "a digit"
)
PRIVATE = (
    "an import name must not start with '_': such names are private or reserved, as __init__ "
    "and __main__ are"
)
KEYWORD = "an import name must not be a Python keyword"
STDLIB = "an import name must not shadow the standard-library module of that name"
CRATE = "an import name must not be the name of a crate the project depends on"
LENGTH = (
    "an import name must be at most 32 characters: the generated code's lines must fit ruff's "
    "line length"
)
DEVICE = (
    "an import name must not be a device name Windows reserves (con, prn, aux, nul, com1-9, "
    "lpt1-9): its folder could not exist there"
)
MODULE_RULES = {
    "con": DEVICE,
    "nul": DEVICE,
    "json": STDLIB,
    "test": STDLIB,
    "logging": STDLIB,
    "typing": STDLIB,
    "asyncio": STDLIB,
    "pyo3": CRATE,
    "std": CRATE,
    "core": CRATE,
    "serde_json": CRATE,
    "class": KEYWORD,
    "import": KEYWORD,
    "__init__": PRIVATE,
    "__main__": PRIVATE,
    "_core": PRIVATE,
    "MyModule": IDENTIFIER,
    "1module": IDENTIFIER,
    "my-module": IDENTIFIER,
    "my module": IDENTIFIER,
    "modülé": IDENTIFIER,
    "a.b": IDENTIFIER,
    "google_cloud_bigquery_storage_v1beta": LENGTH,
    "number_too_small": "its base exception NumberTooSmallError would clash with the subclass "
    "of that name",
}

# cargo-generate first turns a project name into kebab case ("My Project" -> "my-project");
# these stay invalid after that.
PROJECT_RULE = (
    "a project name must be a valid PyPI name that is also a Cargo package name: letters, "
    "digits, '-' or '_', starting with a letter and ending with a letter or digit"
)
PROJECT_NAMES = ["9lives", "2024", "naïve", "école", "日本"]
DEVICE_PROJECT_RULE = (
    "a project name must not be a device name Windows reserves (CON, PRN, AUX, NUL, COM1-9, "
    "LPT1-9): the project's folder could not exist there"
)
DEVICE_PROJECT_NAMES = ["CON", "aux", "Lpt1"]


def next_release(version: str, step: int) -> str:
    """The CPython release `step` minor versions from `version`."""
    major, minor = version.split(".")
    return f"{major}.{int(minor) + step}"


# Just outside the supported range at both ends.
TOO_OLD = next_release(tables.cpython()[0], -1)
TOO_NEW = next_release(tables.cpython()[-1], +1)
RELEASES = f"choose one of: {', '.join(tables.cpython())}"
FLAG = "choose one of: true, false"
PLAIN_TEXT = (
    "it must be non-empty plain text without quotes, backslashes, template tags or control "
    "characters such as line breaks"
)
AUTHOR = "write it as 'Name <email>' or 'Name'"
WIDTH = "it must be at most 90 columns wide (a Chinese, Japanese or Korean character takes two)"
SPACE = "it must not start or end with white space"
GITHUB = (
    "a GitHub user or organisation name: up to 39 letters, digits or single '-', not at either end"
)

OPTION_RULES = {
    ("python_min", TOO_OLD): RELEASES,
    ("python_min", TOO_NEW): RELEASES,
    ("python_min", "latest"): RELEASES,
    ("python_min", "3.011"): RELEASES,
    ("license", "GPL-3.0"): "choose one of: MIT OR Apache-2.0, MIT, Apache-2.0",
    ("license", "mit"): "choose one of: MIT OR Apache-2.0, MIT, Apache-2.0",
    ("abi3", "maybe"): FLAG,
    ("patterns", "all of them"): "choose one of: none, core, showcase",
    ("arm64_runners", "no"): FLAG,
    ("github_owner", "-bad-"): GITHUB,
    ("github_owner", "double--dash"): GITHUB,
    ("github_owner", "a" * 40): GITHUB,
    ("description", 'quote " inside'): PLAIN_TEXT,
    ("description", ""): PLAIN_TEXT,
    ("description", "{{ project-name }}"): PLAIN_TEXT,
    ("description", "x" * 91): WIDTH,
    ("description", "快" * 46): WIDTH,
    ("description", "Fast tools "): SPACE,
    ("author", " Bob"): SPACE,
    ("author", "back\\slash"): PLAIN_TEXT,
    ("description", "Fast\vtools"): PLAIN_TEXT,
    ("description", "Escape \x1b[31m"): PLAIN_TEXT,
    ("author", "Del\x7f Name"): PLAIN_TEXT,
    ("author", "Start\x01 Name"): PLAIN_TEXT,
    ("author", "Name <not-an-email>"): AUTHOR,
}
