"""Runs cargo fmt or clippy in each Cargo workspace that holds one of the given Rust files.

    python .github/cargo_workspaces.py fmt|clippy FILE...

pre-commit passes the Rust files a commit changes, so that every workspace of the repository
is checked where it changed, not only the package's: fuzz/, a binding crate beside the main
workspace, a tool with a workspace of its own. clippy runs with --locked where the workspace
commits its Cargo.lock. Files inside a cargo-generate template (below a cargo-generate.toml)
are left out: they are Rust only once rendered. Standard library only.
"""

import shutil
import subprocess
import sys
from pathlib import Path

COMMANDS = {
    "fmt": ["fmt", "--all", "--check"],
    "clippy": ["clippy", "--workspace", "--all-targets"],
}


def in_template(folder: Path, top: Path) -> bool:
    """Whether `folder` lies in a cargo-generate template inside the repository at `top`."""
    inside = [folder, *(parent for parent in folder.parents if parent.is_relative_to(top))]
    return any((parent / "cargo-generate.toml").is_file() for parent in inside)


def workspace(folder: Path) -> Path:
    """The manifest of the workspace whose package holds `folder`, as cargo finds it."""
    located = subprocess.run(
        ["cargo", "locate-project", "--workspace", "--message-format", "plain"],
        cwd=folder,
        capture_output=True,
        text=True,
        check=False,
    )
    if located.returncode != 0:
        sys.exit(f"{folder}: no Cargo package holds it: {located.stderr.strip()}")
    return Path(located.stdout.strip())


def committed(path: Path) -> bool:
    listed = ["git", "ls-files", "--error-unmatch", path.name]
    return subprocess.run(listed, cwd=path.parent, capture_output=True, check=False).returncode == 0


def command(mode: str, manifest: Path) -> list[str]:
    run = ["cargo", *COMMANDS[mode], "--manifest-path", str(manifest)]
    if mode == "clippy":
        locked = ["--locked"] if committed(manifest.with_name("Cargo.lock")) else []
        run += [*locked, "--", "-D", "warnings"]
    return run


def shown(manifest: Path, top: Path) -> str:
    """The manifest's path from the repository's top, or as it is when the workspace holding a
    repository's package lies above the repository."""
    return manifest.relative_to(top).as_posix() if manifest.is_relative_to(top) else str(manifest)


def main(mode: str, files: list[str]) -> int:
    if shutil.which("cargo") is None:
        sys.exit(f"cargo {mode}: cargo is not on PATH (install Rust with rustup)")
    top = Path.cwd().resolve()
    folders = {(top / name).resolve().parent for name in files}
    manifests = sorted({workspace(folder) for folder in folders if not in_template(folder, top)})
    failed = []
    for manifest in manifests:
        print(f"{mode}: {shown(manifest, top)}", flush=True)
        if subprocess.run(command(mode, manifest), check=False).returncode != 0:
            failed.append(shown(manifest, top))
    if failed:
        print(f"cargo {mode} failed in: {', '.join(failed)}", file=sys.stderr)
    return 1 if failed else 0


if __name__ == "__main__":
    if len(sys.argv) < 2 or sys.argv[1] not in COMMANDS:
        sys.exit(f"usage: python {sys.argv[0]} {'|'.join(COMMANDS)} FILE...")
    sys.exit(main(sys.argv[1], sys.argv[2:]))
