"""Carrying changes made to the root's rendered files (Dependabot's: action pins, crate and
Python requirements, Cargo.lock) back into the template files they were rendered from."""

from __future__ import annotations

import difflib
from pathlib import Path

from .golden import differences, root_answers
from .paths import ROOT
from .render import render


class Unplaced(Exception):
    """A change to the root has no place in the template; nothing was ported."""


# The template keeps one lockfile per option set; the hook renames the one that fits.
LOCKFILES = {"core": "Cargo.lock", "showcase": "Cargo.showcase.lock", "none": "Cargo.none.lock"}


def template_sources(rendered_name: str, answers: dict[str, str]) -> list[str]:
    """The template files a root file is rendered from: the first is its own source; for the
    lockfile, the other option sets' lockfiles follow, to take the same crate updates."""
    if rendered_name == "Cargo.lock":
        own = LOCKFILES[answers["patterns"]]
        return [own, *(name for name in LOCKFILES.values() if name != own)]
    return [rendered_name.replace(f"python/{answers['module_name']}/", "python/{{module_name}}/")]


def carry(
    template_text: str, base: str, changed: str, *, skip_unplaced: bool = False
) -> str | None:
    """`template_text` with each change from `base` to `changed` made to it, or None when one
    cannot be placed (unless `skip_unplaced`, which leaves it out). A changed block is placed
    where its old lines stand in the template after the same lines that stand before it in
    `base` (none to three, as many as it takes to find exactly one place), so lines next to
    Liquid in the template take changes too."""
    old_lines, new_lines = base.splitlines(keepends=True), changed.splitlines(keepends=True)
    matcher = difflib.SequenceMatcher(a=old_lines, b=new_lines, autojunk=False)
    text = template_text
    done = set()
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        old_block, new_block = "".join(old_lines[i1:i2]), "".join(new_lines[j1:j2])
        if tag == "equal" or (old_block, new_block) in done:
            continue
        for before in range(min(i1, 3) + 1):
            anchor = "".join(old_lines[i1 - before : i1])
            if (anchor + old_block) and text.count(anchor + old_block) == 1:
                text = text.replace(anchor + old_block, anchor + new_block)
                break
        else:
            # The same lines changed the same way wherever they stand (an action pinned in
            # every job): change them everywhere the template has them.
            everywhere = old_block and changed.count(old_block) == 0
            if everywhere and text.count(old_block) == base.count(old_block):
                text = text.replace(old_block, new_block)
                done.add((old_block, new_block))
            elif not skip_unplaced:
                return None
    return text


def port(work: Path, root: Path = ROOT) -> list[str]:
    """Carries into `root`/template the changes made to the root's rendered files since they
    were rendered (what Dependabot does: action pins, crate and Python requirements,
    Cargo.lock): each change between the fresh rendering and the root's file is made to the
    template file it came from. Writes nothing unless every change finds its place; returns
    what it ported, or raises Unplaced naming what it could not place."""
    answers = root_answers(root)
    template = root / "template"
    rendered = render(work, answers["project-name"], answers, template).path
    ported: dict[str, str] = {}
    refused = []
    for line in differences(rendered, root):
        kind, name = line.split(": ", 1)
        if kind != "differs":
            refused.append(f"{name}: {kind}, which only the template can change")
            continue
        base, changed = (rendered / name).read_text(), (root / name).read_text()
        own, *others = template_sources(name, answers)
        text = carry((template / own).read_text(), base, changed)
        if text is None:
            refused.append(f"{name}: a change has no place in template/{own}")
            continue
        ported[own] = text
        # The other option set's lockfile takes the updates of the crates it locks too.
        for other in others:
            ported[other] = (
                carry((template / other).read_text(), base, changed, skip_unplaced=True) or ""
            )
    if refused:
        raise Unplaced("\n".join(["nothing was ported:", *refused]))
    written = []
    for source, text in ported.items():
        if text != (template / source).read_text():
            (template / source).write_text(text)
            written.append(f"ported into template/{source}")
    return written
