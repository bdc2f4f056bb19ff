"""Every CPython version list and every runner label lives in one table.

The tables are template/supported.rhai (releases, platforms) and dev/variants.toml (the option
combinations). Everything else derives its lists: the template's files from the answers hook,
this repository's tooling from oxwheel_dev.tables. The root's rendered files are outputs of the
template (test_golden.py), and the benchmark results are records of what was measured.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from oxwheel_dev import golden, paths, tables

TABLES = {"template/supported.rhai", "dev/variants.toml"}
RECORDS = {"benchmarks/results.json", "benchmarks/results.md"}
# A CPython release as a literal (3.N, 3.Nt, cp3N, py3N, pp3N for N from 10 to 19), not part of
# a longer version (3.N.2) or number.
RELEASE = re.compile(r"(?<![\w.])(?:3\.1\d|(?:cp|py|pp)31\d)(?![\d]|\.\d)")


def scanned_files() -> list[str]:
    """This repository's files that must not hold a list: all but the tables, the rendered
    root files and the records."""
    return sorted(
        name
        for name in golden.project_files(paths.ROOT)
        if golden.is_root_only(name) and name not in TABLES | RECORDS
    )


def version_lists(text: str) -> list[str]:
    """Lines that name two or more different CPython releases."""
    return [
        line.strip()
        for line in text.splitlines()
        if len({match.group().rstrip("t") for match in RELEASE.finditer(line)}) >= 2
    ]


def runner_labels(text: str) -> list[str]:
    runners = {platform.runner for platform in tables.platforms()}
    return sorted(
        runner
        for runner in runners
        if re.search(rf"(?<![\w.-]){re.escape(runner)}(?![\w.-])", text)
    )


@pytest.mark.parametrize("name", scanned_files())
def test_no_version_list_outside_the_tables(name: str) -> None:
    text = (paths.ROOT / name).read_text(errors="replace")
    assert version_lists(text) == [], f"{name} lists CPython releases: use the tables"


@pytest.mark.parametrize("name", scanned_files())
def test_no_runner_label_outside_the_tables(name: str) -> None:
    text = (paths.ROOT / name).read_text(errors="replace")
    assert runner_labels(text) == [], f"{name} names runners: use the tables"


OLDEST, NEWEST = tables.cpython()[0], tables.cpython()[-1]


@pytest.mark.parametrize(
    "stray",
    [
        f'python-version: ["{OLDEST}", "{NEWEST}"]',
        f"CPYTHONS = ['cp{tables.nodot(OLDEST)}', 'cp{tables.nodot(NEWEST)}']",
        f"envs = {OLDEST},{NEWEST}t",
    ],
)
def test_a_stray_version_list_is_found(stray: str) -> None:
    assert version_lists(f"ok = 1\n{stray}\n") == [stray]


@pytest.mark.parametrize(
    "harmless",
    [
        f"requires-python >= {OLDEST}",
        f'version = "{NEWEST}.0"',
        f"{OLDEST}.7 and {NEWEST}.1 measured",
    ],
)
def test_single_releases_and_patch_versions_are_not_lists(harmless: str) -> None:
    assert version_lists(harmless) == []


def test_a_stray_runner_label_is_found() -> None:
    label = tables.platforms()[0].runner
    assert runner_labels(f"runs-on: {label}\n") == [label]


def test_the_scan_covers_the_tooling_and_the_template() -> None:
    names = scanned_files()
    for expected in ("noxfile.py", "README.md", "template/tox.toml", "dev/oxwheel_dev/tables.py"):
        assert expected in names
    assert not TABLES & set(names)


def test_the_tables_hold_what_the_tooling_reads() -> None:
    releases = tables.cpython()
    assert releases == sorted(releases, key=lambda version: tuple(map(int, version.split("."))))
    assert set(tables.free_threaded()) <= set(releases)
    assert tables.pypy() in releases
    assert tables.abi3t() in releases
    assert {variant.python_min for variant in tables.variants()} <= set(releases)
    assert {row.wheel for row in tables.platforms()} >= set(tables.no_pypy())
    assert all(Path(row.tag).name == row.tag for row in tables.platforms())
