"""The repository root is the template rendered with the root's answers."""

from pathlib import Path

from oxwheel_dev import render as template


def test_root_equals_the_rendered_template(tmp_path: Path) -> None:
    answers = template.root_answers()
    rendered = template.render(tmp_path, answers["project-name"], answers).path
    assert template.differences(rendered) == []


def test_root_only_files_exist() -> None:
    for entry in template.ROOT_ONLY:
        assert (template.ROOT / entry).exists(), f"{entry} is listed as root-only but missing"


def test_a_hand_edit_is_caught(tmp_path: Path) -> None:
    answers = template.root_answers()
    rendered = template.render(tmp_path, answers["project-name"], answers).path
    edited = rendered / "src" / "lib.rs"
    edited.write_text(edited.read_text() + "\n// edited by hand\n")
    assert template.differences(rendered) == ["differs: src/lib.rs"]
