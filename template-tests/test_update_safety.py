"""`oxwheel update` and `oxwheel new` in people's repositories: symbolic links to shared folders,
failures and Ctrl-C halfway, ignored FIFOs and loops, CRLF checkouts, parent repositories, plain
cargo-generate projects. Each writes only inside the project, all or nothing.

Run by `python3 noxfile.py -s update`, which builds the command (OXWHEEL) and the same command
with its test hooks (OXWHEEL_TEST_HOOKS), which pause or fail at named points.
"""

from __future__ import annotations

import os
import signal
import subprocess
from pathlib import Path

import pytest
from oxwheel_dev import cli, paths, render

MARKER = "<<<<<<< this project"


@pytest.fixture
def project(tmp_path: Path) -> Path:
    """A project made from the template before CPython 3.15 support: an update changes a lot."""
    return cli.old_project(tmp_path, "safe-project")


def scratch_dirs(*places: Path) -> list[Path]:
    return [path for place in places for path in place.glob(".oxwheel-*")]


def test_nothing_outside_the_project_is_written_through_symbolic_links(
    tmp_path: Path, project: Path
) -> None:
    shared = tmp_path / "shared"
    (project / ".github").rename(shared)
    (project / ".github").symlink_to(shared)
    readme = tmp_path / "README-shared.md"
    (project / "README.md").rename(readme)
    readme.chmod(0o600)
    (project / "README.md").symlink_to(readme)
    cli.commit(project, "shared workflows and README")
    before = cli.snapshot(tmp_path / "shared"), readme.read_bytes(), readme.stat().st_mode
    updated = cli.oxwheel("update", cwd=project)
    assert updated.returncode == 1, updated.stdout + updated.stderr
    assert "README.md (a symbolic link in the project" in updated.stdout
    after = cli.snapshot(tmp_path / "shared"), readme.read_bytes(), readme.stat().st_mode
    assert after == before
    assert (project / "README.md").is_symlink()
    assert (project / ".github").is_symlink()


@pytest.mark.parametrize("point", ["apply:1", "apply:5", "wrote:oxwheel-answers.toml"])
def test_a_failure_while_applying_leaves_the_project_as_it_was(project: Path, point: str) -> None:
    (project / "tox.toml").chmod(0o600)
    (project / "docs-link").symlink_to("README.md")
    cli.commit(project, "a private tox.toml and a link")
    before = cli.snapshot(project)
    failed = cli.oxwheel("update", cwd=project, hooks=True, env={"OXWHEEL_TEST_FAIL": point})
    assert failed.returncode == 2, failed.stdout + failed.stderr
    assert f"a failure injected at {point}" in failed.stderr
    assert cli.snapshot(project) == before
    assert cli.git("status", "--porcelain", cwd=project) == ""


def test_finishing_reads_only_the_files_in_conflict(project: Path) -> None:
    tox = project / "tox.toml"
    text = tox.read_text()
    tox.write_text(text.replace('"HYPOTHESIS_PROFILE"]', '"HYPOTHESIS_PROFILE", "MY_VAR"]', 1))
    (project / ".gitignore").write_text((project / ".gitignore").read_text() + "build.log\nfifo\n")
    (project / "again").symlink_to(".")
    cli.commit(project, "MY_VAR, ignored files, a loop")
    (project / "build.log").write_text(f"{MARKER}\nfrom an old merge\n")
    os.mkfifo(project / "fifo")
    stopped = cli.oxwheel("update", cwd=project)
    assert stopped.returncode == 1, stopped.stdout + stopped.stderr
    text = tox.read_text()
    start, end = text.index(MARKER), text.index(">>>>>>> template")
    tox.write_text(
        text[:start]
        + text[text.index("=======\n", start) + 8 : end]
        + text[text.index("\n", end) + 1 :]
    )
    cli.commit(project, "resolved")
    # A read of the FIFO would wait for a writer forever; the timeout would end the test.
    finished = subprocess.run(
        [cli.binary(), "update"],
        cwd=project,
        env=cli.environment(),
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert finished.returncode == 0, finished.stdout + finished.stderr
    assert "the conflicts are resolved" in finished.stdout


def test_a_crlf_checkout_merges_line_by_line_and_stays_crlf(project: Path) -> None:
    cli.git("config", "core.autocrlf", "true", cwd=project)
    for path in project.iterdir():
        if path.name != ".git":
            cli.git("rm", "--quiet", "-r", "--cached", path.name, cwd=project)
    cli.git("reset", "--quiet", "--hard", cwd=project)
    readme = project / "README.md"
    assert b"\r\n" in readme.read_bytes()
    readme.write_bytes(readme.read_bytes().replace(b"It was generated", b"It was made"))
    cli.commit(project, "our words")
    updated = cli.oxwheel("update", cwd=project)
    assert updated.returncode == 0, updated.stdout + updated.stderr
    data = readme.read_bytes()
    assert b"It was made" in data
    assert data.count(b"\n") == data.count(b"\r\n")
    assert MARKER.encode() not in data
    tox = (project / "tox.toml").read_bytes()
    assert tox.count(b"\n") == tox.count(b"\r\n")


def test_unknown_keys_are_refused_naming_the_nearest(tmp_path: Path, project: Path) -> None:
    new = cli.oxwheel(
        "new", "x", "--template", str(paths.ROOT), "--define", "pattern=none", cwd=tmp_path
    )
    assert new.returncode == 2
    assert (
        "--define pattern: the template asks no such question; did you mean patterns?" in new.stderr
    )
    assert not (tmp_path / "x").exists()
    update = cli.oxwheel("update", "--define", "abi_3=false", cwd=project)
    assert update.returncode == 2
    assert "did you mean abi3?" in update.stderr
    assert cli.git("status", "--porcelain", cwd=project) == ""


def test_a_project_its_parent_repository_ignores_is_refused(tmp_path: Path) -> None:
    parent = tmp_path / "dotfiles"
    parent.mkdir()
    cli.git("init", "--quiet", cwd=parent)
    (parent / ".gitignore").write_text("ignored-project/\n")
    made = cli.oxwheel(
        "new",
        "ignored-project",
        "--template",
        str(paths.ROOT),
        "--revision",
        cli.BEFORE_3_15,
        "--no-git",
        cwd=parent,
    )
    assert made.returncode == 0, made.stderr
    cli.commit(parent, "dotfiles")
    refused = cli.oxwheel("update", cwd=parent / "ignored-project")
    assert refused.returncode == 2
    assert "untracked or ignored in its git repository" in refused.stderr


def test_a_project_inside_a_monorepo_updates(tmp_path: Path) -> None:
    monorepo = tmp_path / "monorepo"
    monorepo.mkdir()
    cli.git("init", "--quiet", cwd=monorepo)
    made = cli.oxwheel(
        "new",
        "member",
        "--template",
        str(paths.ROOT),
        "--revision",
        cli.BEFORE_3_15,
        "--no-git",
        cwd=monorepo,
    )
    assert made.returncode == 0, made.stderr
    cli.commit(monorepo, "a member")
    updated = cli.oxwheel("update", cwd=monorepo / "member")
    assert updated.returncode == 0, updated.stdout + updated.stderr
    assert not (monorepo / "member" / ".git").exists()


def test_dry_run_shows_the_update_and_abort_undoes_a_stopped_one(project: Path) -> None:
    before = cli.snapshot(project)
    dry = cli.oxwheel("update", "--dry-run", cwd=project)
    assert dry.returncode == 0
    assert "changed: " in dry.stdout
    assert "a dry run: nothing was written" in dry.stdout
    assert cli.snapshot(project) == before
    tox = project / "tox.toml"
    tox.write_text(
        tox.read_text().replace('"HYPOTHESIS_PROFILE"]', '"HYPOTHESIS_PROFILE", "MY_VAR"]', 1)
    )
    cli.commit(project, "MY_VAR")
    before = cli.snapshot(project)
    assert cli.oxwheel("update", cwd=project).returncode == 1
    aborted = cli.oxwheel("update", "--abort", cwd=project)
    assert aborted.returncode == 0, aborted.stderr
    assert cli.snapshot(project) == before


def test_a_plain_cargo_generate_project_starts_tracking_with_from(tmp_path: Path) -> None:
    revision = cli.git("rev-parse", "2254a97", cwd=paths.ROOT).strip()  # before oxwheel asked
    worktree = tmp_path / "template-then"
    cli.git("worktree", "add", "--quiet", "--detach", str(worktree), revision, cwd=paths.ROOT)
    try:
        command = [
            str(render.ensure_cargo_generate()),
            "generate",
            "--path",
            str(worktree / "template"),
        ]
        command += ["--name", "plain", "--silent", "--destination", str(tmp_path)]
        subprocess.run(command, check=True, capture_output=True, env=cli.environment())
    finally:
        cli.git("worktree", "remove", "--force", str(worktree), cwd=paths.ROOT)
    project = tmp_path / "plain"
    cli.commit(project, "generated")
    checked = cli.oxwheel("check", cwd=project)
    assert checked.returncode == 2
    assert "oxwheel update --from REV" in checked.stderr
    source = ["--template", str(paths.ROOT)]
    updated = cli.oxwheel("update", "--from", revision, *source, cwd=project)
    assert updated.returncode in (0, 1), updated.stdout + updated.stderr
    head = cli.git("rev-parse", "HEAD", cwd=paths.ROOT).strip()
    recorded = (project / "oxwheel-answers.toml").read_text()
    assert head in recorded or f'pending = "{head}"' in recorded


NEW_POINTS = ["clone", "render", "commit", "move"]
UPDATE_POINTS = [
    "clone",
    "render-before",
    "render-after",
    "plan",
    "apply:2",
    "wrote:oxwheel-answers.toml",
]


def interrupted_at(point: str, command: list[str], cwd: Path, temp: Path) -> int:
    """Runs the command with its test hooks until it pauses at `point`, then sends SIGINT."""
    env = {**cli.environment(), "OXWHEEL_TEST_PAUSE": point, "TMPDIR": str(temp)}
    with subprocess.Popen(command, cwd=cwd, env=env, stderr=subprocess.PIPE, text=True) as process:
        assert process.stderr is not None
        line = process.stderr.readline()
        assert f"paused at {point}" in line, line + process.stderr.read()
        process.send_signal(signal.SIGINT)
        return process.wait(timeout=60)


@pytest.mark.parametrize("point", NEW_POINTS)
def test_ctrl_c_during_new_leaves_nothing(tmp_path: Path, point: str) -> None:
    parent, temp = tmp_path / "projects", tmp_path / "temp"
    parent.mkdir()
    temp.mkdir()
    command = [cli.binary(hooks=True), "new", "stopped", "--template", str(paths.ROOT)]
    assert interrupted_at(point, command, parent, temp) == 130
    assert list(parent.iterdir()) == []
    assert list(temp.iterdir()) == []


@pytest.mark.parametrize("point", UPDATE_POINTS)
def test_ctrl_c_during_update_leaves_the_project_as_it_was(
    tmp_path: Path, project: Path, point: str
) -> None:
    temp = tmp_path / "temp"
    temp.mkdir()
    before = cli.snapshot(project)
    command = [cli.binary(hooks=True), "update"]
    assert interrupted_at(point, command, project, temp) == 130
    assert cli.snapshot(project) == before
    assert list(temp.iterdir()) == []
    assert scratch_dirs(project, project.parent) == []


def test_an_answer_that_would_break_a_manifest_is_refused_before_anything_is_written(
    project: Path,
) -> None:
    before = cli.snapshot(project)
    refused = cli.oxwheel("update", "--define", "description=Fast\vtools", cwd=project)
    assert refused.returncode == 2
    assert 'description "Fast\vtools" is refused: it must be non-empty plain text' in refused.stderr
    assert cli.snapshot(project) == before
