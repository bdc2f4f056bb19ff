"""A replay of a project's GitHub workflows on this machine: every job a push and a release run
on GitHub's Linux x86_64 runner, in a stand-in of that runner's image (image.py), read from the
workflow files themselves; every other job, row and step listed with the reason it is not
replayed.

    python -m oxwheel_dev.replay PROJECT   (as root: the image is entered with chroot)
"""

from __future__ import annotations

import subprocess
from collections.abc import Callable, Iterator
from pathlib import Path

from ..interpreters import fresh
from .actions import ACTIONS, Action, Workspace
from .image import Image
from .jobs import RUNNER_HOME, JobResult, StepResult, run_job
from .plan import Verdict, decide_job, decide_step
from .workflows import Event, Job, jobs, load, triggers

__all__ = ["Event", "JobResult", "planned", "replay", "summary", "table"]


def first_push(project: Path) -> Path:
    """The project as its first push: a git repository with every file committed (what
    .gitignore leaves out is not pushed), which checkout clones."""
    if not (project / ".git").exists():
        git = ["git", "-C", str(project)]
        subprocess.run([*git, "init", "--quiet", "--initial-branch", "main"], check=True)
        subprocess.run([*git, "add", "--all"], check=True)
        identity = ["-c", "user.name=replay", "-c", "user.email=replay@localhost"]
        commit = [*git, *identity, "commit", "--quiet", "--message", "first push"]
        subprocess.run(commit, check=True)
    return project


def planned(
    project: Path, events: list[Event], missing: Callable[[str], str]
) -> Iterator[tuple[Event, Job, Verdict]]:
    """Every job row once, with the first of `events` that runs it and whether it is replayed
    (`missing(version)` says why a CPython cannot be had here), in file and dependency order;
    then the rows no event runs."""
    workflows = {
        path.name: load(path) for path in (project / ".github" / "workflows").glob("*.yml")
    }
    seen: set[tuple[str, str, str]] = set()
    rows = list(jobs(project, repository=project.name))
    for event in events:
        for job in _by_needs(rows):
            verdict = decide_job(job, event, workflows[job.workflow], missing)
            if verdict is not None and _key(job) not in seen:
                seen.add(_key(job))  # a row that ran on an earlier event is not run again
                yield event, job, verdict
    for job in rows:
        if _key(job) not in seen:
            names = " or ".join(event.name for event in events)
            on = ", ".join(sorted(triggers(workflows[job.workflow])))
            why = f"runs neither on {names} (on: {on}"
            why += f"; if: {job.spec['if']})" if "if" in job.spec else ")"
            yield events[-1], job, Verdict(False, why)


def _key(job: Job) -> tuple[str, str, str]:
    return (job.workflow, job.job_id, repr(sorted(job.matrix.items())))


def _by_needs(rows: list[Job]) -> list[Job]:
    """Rows in file order, each after the jobs it needs."""
    ordered: list[Job] = []
    done: set[tuple[str, str]] = set()
    pending = list(rows)
    while pending:
        ready = [job for job in pending if all((job.workflow, need) in done for need in job.needs)]
        if not ready:
            raise ValueError(f"a cycle among {[job.job_id for job in pending]}")
        ordered += ready
        pending = [job for job in pending if job not in ready]
        done |= {(job.workflow, job.job_id) for job in ready}
    return ordered


def _needs_results(job: Job, results: list[JobResult]) -> dict[str, str]:
    """Each job `job` needs: failure if a replayed row failed, else success (rows not
    replayed count as passed; the table says which those are)."""
    found = {}
    for need in job.needs:
        rows = [r for r in results if r.job.workflow == job.workflow and r.job.job_id == need]
        found[need] = "failure" if any(r.outcome == "failure" for r in rows) else "success"
    return found


def replay(
    project: Path, image: Image, work: Path, events: list[Event], stand_ins: dict[str, Action]
) -> list[JobResult]:
    """Replays `project`'s workflows for `events` in order; returns every job row's result."""
    repository = first_push(project)
    artifacts = fresh(work / "artifacts")
    logs = fresh(work / "logs")
    results: list[JobResult] = []
    for event, job, verdict in planned(project, events, image.missing):
        job.needs_results = _needs_results(job, results)
        title = job.title(event)
        if not verdict.replayed:
            results.append(unreplayed(job, event, title, verdict.why))
            continue
        home = image.host(RUNNER_HOME)
        workspace = Workspace(
            image,
            home,
            home / "work" / project.name / project.name,
            home / "work" / "_temp",
            artifacts,
            repository,
            image.variables(),
        )
        log = logs / f"{len(results):02d}-{job.workflow}-{job.job_id}.log"
        print(f"replaying {job.workflow}: {title} ({event.name}), log in {log}", flush=True)
        results.append(run_job(job, event, workspace, {**ACTIONS, **stand_ins}, log))
    return results


def unreplayed(job: Job, event: Event, title: str, why: str) -> JobResult:
    """A job row listed with its steps; an action outside the model still stops the replay."""
    steps = [StepResult(step.title(job.context(event)), "not replayed") for step in job.steps()]
    for step in job.steps():
        decide_step(step)
    return JobResult(job, event, title, "not replayed", why, steps=steps)


def table(results: list[JobResult]) -> str:
    """Every job row and step: its outcome, or why it was not replayed, and the time taken. The
    steps of a job not replayed are named in one line."""
    lines = ["| workflow | job | event | step | outcome | seconds | why |", "|---" * 7 + "|"]
    for result in results:
        job = f"| {result.job.workflow} | {result.title} | {result.event.name} |"
        if result.outcome == "not replayed":
            steps = ", ".join(step.title for step in result.steps)
            lines.append(f"{job} {steps} | not replayed | | {result.why} |")
            continue
        lines.append(f"{job} | {result.outcome} | {result.seconds:.0f} | |")
        for step in result.steps:
            lines.append(
                f"| | | | {step.title} | {step.outcome} | {step.seconds:.0f} | {step.why} |"
            )
    return "\n".join(lines)


def summary(results: list[JobResult]) -> str:
    """What the replayed jobs cost: how many, their wheel builds and their minutes."""
    ran = [result for result in results if result.outcome != "not replayed"]
    builds = sum(result.builds for result in ran)
    minutes = sum(result.seconds for result in ran) / 60
    return f"{len(ran)} jobs replayed, {builds} wheel builds, {minutes:.1f} minutes of job time"


def failed(results: list[JobResult]) -> list[JobResult]:
    return [result for result in results if result.outcome == "failure"]


def elapsed(results: list[JobResult]) -> float:
    return sum(result.seconds for result in results)
