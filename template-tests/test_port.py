"""Dependabot updates the root's rendered files; `nox -s port` carries its changes into
template/ so that the root is again the template rendered. Here on a copy of the repository,
with the kinds of change Dependabot makes."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest
from oxwheel_dev import golden, paths, port, render

CHECKOUT = re.compile(r"actions/checkout@[0-9a-f]{40} # v[\d.]+")
NEWER_CHECKOUT = "actions/checkout@" + "0123456789abcdef" * 2 + "01234567 # v99.0.0"


@pytest.fixture
def copy(tmp_path: Path) -> Path:
    """The repository's files, without its history or build output."""
    for name in golden.project_files(paths.ROOT):
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(paths.ROOT / name, tmp_path / name)
    return tmp_path


def bump_crate(lockfile: Path, crate: str) -> tuple[str, str]:
    """Dependabot's kind of Cargo.lock change: a crate's version and checksum."""
    text = lockfile.read_text()
    entry = re.search(rf'name = "{crate}"\nversion = "([^"]+)"\n(.*\n)checksum = "(\w+)"', text)
    assert entry is not None, crate
    old = entry.group(0)
    new = old.replace(entry.group(1), entry.group(1) + "9").replace(entry.group(3), "f" * 64)
    lockfile.write_text(text.replace(old, new))
    return old, new


def rendered_equal(copy: Path, tmp_path_factory: pytest.TempPathFactory) -> list[str]:
    answers = golden.root_answers(copy)
    parent = tmp_path_factory.mktemp("rendered")
    rendered = render.render(parent, answers["project-name"], answers, copy / "template").path
    return golden.differences(rendered, copy)


def test_dependabot_updates_are_ported_into_the_template(
    copy: Path, tmp_path_factory: pytest.TempPathFactory
) -> None:
    for workflow in ("ci.yml", "wheels.yml"):
        path = copy / ".github" / "workflows" / workflow
        path.write_text(CHECKOUT.sub(NEWER_CHECKOUT, path.read_text()))
    manifest = copy / "Cargo.toml"
    manifest.write_text(manifest.read_text().replace('version = "0.30.1"', 'version = "0.30.9"'))
    pyproject = copy / "pyproject.toml"
    pyproject.write_text(pyproject.read_text().replace("maturin>=1.16,<2", "maturin>=1.17,<2"))
    shared_old, shared_new = bump_crate(copy / "Cargo.lock", "memchr")
    showcase_only_old, showcase_only_new = bump_crate(copy / "Cargo.lock", "serde_json")
    assert rendered_equal(copy, tmp_path_factory) != []  # what golden reports on such a PR

    ported = port.port(tmp_path_factory.mktemp("port"), copy)

    assert "ported into template/.github/workflows/ci.yml" in ported
    assert 'version = "0.30.9"' in (copy / "template" / "Cargo.toml").read_text()
    assert "maturin>=1.17,<2" in (copy / "template" / "pyproject.toml").read_text()
    assert rendered_equal(copy, tmp_path_factory) == []
    template = copy / "template"
    assert NEWER_CHECKOUT in (template / ".github" / "workflows" / "wheels.yml").read_text()
    showcase_lock = (template / "Cargo.showcase.lock").read_text()
    core_lock = (template / "Cargo.lock").read_text()
    assert shared_new in showcase_lock
    assert shared_new in core_lock
    assert showcase_only_new in showcase_lock
    assert showcase_only_old not in core_lock
    assert showcase_only_new not in core_lock
    assert shared_old not in core_lock


def test_a_change_the_template_cannot_take_is_refused_and_nothing_written(
    copy: Path, tmp_path_factory: pytest.TempPathFactory
) -> None:
    before = {name: (copy / "template" / name).read_text() for name in ("Cargo.toml",)}
    (copy / "made-up.txt").write_text("a file only the root has\n")
    (copy / "Cargo.toml").write_text((copy / "Cargo.toml").read_text() + "# hand edit\n")
    with pytest.raises(port.Unplaced, match=r"made-up\.txt"):
        port.port(tmp_path_factory.mktemp("port"), copy)
    assert {name: (copy / "template" / name).read_text() for name in before} == before
