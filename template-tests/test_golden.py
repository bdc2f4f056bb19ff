"""The repository root is the template rendered with the root's answers."""

from pathlib import Path

from oxwheel_dev import golden, paths, render


def test_root_equals_the_rendered_template(tmp_path: Path) -> None:
    answers = golden.root_answers()
    rendered = render.render(tmp_path, answers["project-name"], answers).path
    assert golden.differences(rendered) == []


def test_root_only_files_exist() -> None:
    for entry in golden.ROOT_ONLY:
        assert (paths.ROOT / entry).exists(), f"{entry} is listed as root-only but missing"


def test_a_hand_edit_is_caught(tmp_path: Path) -> None:
    answers = golden.root_answers()
    rendered = render.render(tmp_path, answers["project-name"], answers).path
    edited = rendered / "src" / "lib.rs"
    edited.write_text(edited.read_text() + "\n// edited by hand\n")
    assert golden.differences(rendered) == ["differs: src/lib.rs"]
