"""What the replay does with each job and step: a decision table, one rule a function, each with
a test of its own (template-tests/test_replay.py)."""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from .expressions import Unmodelled, condition, interpolate
from .workflows import Event, Job, Step, runner_reason, triggers


@dataclass(frozen=True)
class Verdict:
    """Replayed (`why` says how, for a modelled action) or not, and why not."""

    replayed: bool
    why: str = ""


REPLAY = Verdict(True)

# The actions the workflows use. Modelled: the replay does what the action does (actions.py).
# Otherwise the step is not replayed, for the reason given; any other action stops the replay.
MODELLED = {
    "actions/checkout": "a clone of the project's repository",
    "actions/setup-python": "a fresh virtual environment of each CPython asked for",
    "actions/upload-artifact": "copied to the replay's artifact store",
    "actions/download-artifact": "copied from the replay's artifact store",
}
# Commands the replay stands in for, by the command a `run:` step runs: the stand-in (an action
# of the same name in actions.py, given by the session) does what the command leaves behind.
STAND_INS = {
    "cibuildwheel": (
        re.compile(r"python -m cibuildwheel\b"),
        "stand-in: wheelhouse/ gets this platform's wheels cross-built with maturin and zig "
        "(cibuildwheel builds Linux wheels in Docker containers, which cannot run here)",
    ),
}
# Actions that only prepare a job: a job with nothing else replayed does nothing here.
PREPARING = {"actions/checkout", "actions/setup-python", "actions/download-artifact"}
NOT_REPLAYED = {
    "Swatinem/rust-cache": "a cache kept by GitHub: the replayed job builds from nothing, as a "
    "first push does",
    "EmbarkStudios/cargo-deny-action": "a Docker action; `nox -s deny` runs cargo-deny offline",
    "actions/attest": "needs GitHub's attestation service",
    "pypa/gh-action-pypi-publish": "uploads with GitHub's OIDC identity",
}


def decide_job(
    job: Job, event: Event, workflow: Mapping[str, Any], interpreter: Callable[[str], str]
) -> Verdict | None:
    """Whether `job` runs on `event` (None: it does not) and, if so, whether it is replayed.
    `interpreter(version)` says why a CPython asked for cannot be had here, "" when it can."""
    if event.name not in triggers(workflow):
        return None
    if not condition(job.spec.get("if"), job.context(event)):
        return None
    if "uses" in job.spec:
        return Verdict(False, f"calls {job.spec['uses']}, which is replayed as a workflow itself")
    elsewhere = runner_reason(job.runs_on())
    if elsewhere:
        return Verdict(False, elsewhere)
    for version in requested_pythons(job, event):
        missing = interpreter(version)
        if missing:
            return Verdict(False, missing)
    return _does_something(job)


def _does_something(job: Job) -> Verdict:
    """A job is replayed when a step that does its work is: not when every such step needs
    GitHub (publishing, cargo-deny's Docker action), with only the preparation left."""
    verdicts = [(step, decide_step(step)) for step in job.steps()]
    working = [(step, verdict) for step, verdict in verdicts if step.action not in PREPARING]
    if any(verdict.replayed for _, verdict in working):
        return REPLAY
    reasons = sorted({verdict.why for _, verdict in working})
    return Verdict(False, "nothing it does can run here: " + "; ".join(reasons))


def requested_pythons(job: Job, event: Event) -> list[str]:
    """The versions the job's setup-python steps ask for, one a line in `python-version`."""
    versions = []
    for step in job.steps():
        if step.action == "actions/setup-python":
            unknown = set(step.spec.get("with", {})) - {"python-version", "allow-prereleases"}
            if unknown:
                raise Unmodelled(f"actions/setup-python with {sorted(unknown)}")
            asked = interpolate(str(step.spec["with"]["python-version"]), job.context(event))
            versions += [line.strip() for line in asked.splitlines() if line.strip()]
    return versions


# A command of GitHub's own CLI at the start of a line or after a shell operator.
GITHUB_CLI = re.compile(r"(^|[;&|(]\s*|\$\()gh\s", re.MULTILINE)


def stand_in(step: Step) -> str:
    """The name of the stand-in for the command a `run:` step runs, "" for none."""
    run = str(step.spec.get("run", ""))
    return next((name for name, (command, _) in STAND_INS.items() if command.search(run)), "")


def decide_step(step: Step) -> Verdict:
    """A `run:` step is replayed as written, unless it talks to GitHub (its CLI, or the job's
    token) or a stand-in does its work; an action as MODELLED or NOT_REPLAYED say."""
    if "run" in step.spec:
        if "${{" in str(step.spec.get("working-directory", "")):
            raise Unmodelled("a working-directory made by an expression")
        if GITHUB_CLI.search(str(step.spec["run"])):
            return Verdict(False, "calls GitHub's API (gh)")
        if "github.token" in str(step.spec.get("env", {})):
            return Verdict(False, "talks to GitHub's API with the job's token")
        if name := stand_in(step):
            return Verdict(True, STAND_INS[name][1])
        return REPLAY
    if step.action in MODELLED:
        return Verdict(True, MODELLED[step.action])
    if step.action in NOT_REPLAYED:
        return Verdict(False, NOT_REPLAYED[step.action])
    raise Unmodelled(f"the action {step.action}")
