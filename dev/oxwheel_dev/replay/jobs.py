"""Running a replayed job: its `run:` steps as written, in the image, with the workflow's, the
job's and the step's `env:`, and the modelled actions; GITHUB_OUTPUT, GITHUB_ENV and
GITHUB_PATH read back after each step, as the runner does."""

from __future__ import annotations

import re
import shutil
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .actions import Action, Workspace
from .expressions import condition, interpolate, text
from .plan import decide_step, stand_in
from .workflows import Event, Job, Step

RUNNER_HOME = Path("/home/runner")
TOOLCACHE = Path("/opt/hostedtoolcache")
# How tox and pip say that they build a wheel of the package.
WHEEL_BUILD = re.compile(r"^\S+: build_wheel> |Building wheel for .*: started$", re.MULTILINE)
# GitHub's `shell: bash`.
BASH = ["bash", "--noprofile", "--norc", "-eo", "pipefail"]


@dataclass
class StepResult:
    title: str
    outcome: str  # "success", "failure", "skipped", or "not replayed"
    why: str = ""
    seconds: float = 0.0


@dataclass
class JobResult:
    job: Job
    event: Event
    title: str
    outcome: str  # "success", "failure", or "not replayed"
    why: str = ""
    seconds: float = 0.0
    log: Path | None = None
    steps: list[StepResult] = field(default_factory=list)

    @property
    def builds(self) -> int:
        """The package's wheel builds in the job's log: tox's and pip's."""
        if self.log is None or not self.log.exists():
            return 0
        return len(WHEEL_BUILD.findall(self.log.read_text(errors="replace")))


def _file_values(path: Path) -> dict[str, str]:
    """The `name=value` and `name<<DELIMITER` lines a step wrote to a GITHUB_* file."""
    values: dict[str, str] = {}
    lines = iter(path.read_text().splitlines() if path.exists() else [])
    for line in lines:
        heredoc = re.fullmatch(r"([^=<]+)<<(.+)", line)
        if heredoc:
            body = []
            for inner in lines:
                if inner == heredoc[2]:
                    break
                body.append(inner)
            values[heredoc[1]] = "\n".join(body)
        elif "=" in line:
            name, value = line.split("=", 1)
            values[name] = value
    return values


def _evaluated(values: dict[str, Any] | None, context: dict[str, Any]) -> dict[str, str]:
    return {key: interpolate(text(value), context) for key, value in (values or {}).items()}


def _prepare(job: Job, event: Event, workspace: Workspace) -> dict[str, Any]:
    """The job's directories made afresh, its environment set; returns its context."""
    for directory in (workspace.home, workspace.image.host(TOOLCACHE)):
        shutil.rmtree(directory, ignore_errors=True)
    workspace.temp.mkdir(parents=True)
    inside = workspace.image.inside
    context = job.context(event, steps=workspace.outputs, env={})
    workspace.env.update(
        {
            "HOME": str(RUNNER_HOME),
            "CARGO_HOME": str(RUNNER_HOME / ".cargo"),
            "GITHUB_WORKSPACE": str(inside(workspace.workspace)),
            "GITHUB_EVENT_NAME": event.name,
            "GITHUB_REF": context["github"]["ref"],
            "GITHUB_JOB": job.job_id,
            "RUNNER_TEMP": str(inside(workspace.temp)),
        }
    )
    workspace.env.update(_evaluated(dict(job.workflow_env), context))
    workspace.env.update(_evaluated(job.spec.get("env"), context))
    context["env"] = dict(workspace.env)
    return context


def _working_directory(spec: dict[str, Any], workspace: Workspace) -> Path:
    """Where a `run:` step runs: its `working-directory` inside the workspace, else the
    workspace (the runner's home before checkout made it)."""
    if not workspace.workspace.exists():
        return RUNNER_HOME
    folder = workspace.workspace / str(spec.get("working-directory", "."))
    return workspace.image.inside(folder)


def run_step(
    index: int,
    spec: dict[str, Any],
    workspace: Workspace,
    context: dict[str, Any],
    actions: dict[str, Action],
    log: Path,
    deadline: float,
) -> str:
    """One replayed step; returns "success" or "failure"."""
    files = {
        name: workspace.temp / f"{name.lower()}-{index}"
        for name in ("GITHUB_OUTPUT", "GITHUB_ENV", "GITHUB_PATH")
    }
    stood_in = stand_in(Step(index, spec))
    if "run" not in spec or stood_in:
        inputs = _evaluated(spec.get("with"), context)
        action = stood_in or str(spec["uses"]).split("@")[0]
        try:
            outputs = actions[action](workspace, inputs, log)
        except (OSError, RuntimeError) as error:
            with log.open("a") as output:
                output.write(f"{action}: {error}\n")
            return "failure"
    else:
        script = workspace.temp / f"step-{index}.sh"
        script.write_text(str(spec["run"]))
        env = workspace.environment(_evaluated(spec.get("env"), context))
        env.update({name: str(workspace.image.inside(path)) for name, path in files.items()})
        with log.open("a") as output:
            output.write(f"\n$ {spec['run']}\n")
        status = workspace.image.run(
            [*BASH, str(workspace.image.inside(script))],
            env,
            _working_directory(spec, workspace),
            log,
            max(1.0, deadline - time.monotonic()),
        )
        if status != 0:
            return "failure"
        outputs = _file_values(files["GITHUB_OUTPUT"])
        workspace.env.update(_file_values(files["GITHUB_ENV"]))
        path_file = files["GITHUB_PATH"]
        added = path_file.read_text().splitlines() if path_file.exists() else []
        workspace.path[:0] = list(reversed(added))
    if "id" in spec:
        workspace.outputs[str(spec["id"])] = {"outputs": outputs}
    return "success"


def run_job(
    job: Job, event: Event, workspace: Workspace, actions: dict[str, Action], log: Path
) -> JobResult:
    """The job's steps in order, as the runner runs them: after a failure only the steps whose
    `if:` asks for it; the job's time limit holds."""
    started = time.monotonic()
    deadline = started + 60 * float(job.spec.get("timeout-minutes", 360))
    context = _prepare(job, event, workspace)
    result = JobResult(job, event, job.title(event), "success", log=log)
    for step in job.steps():
        context["job-status"] = result.outcome
        context["env"] = dict(workspace.env)
        title = step.title(context)
        verdict = decide_step(step)
        if not condition(step.spec.get("if"), context):
            result.steps.append(StepResult(title, "skipped", f"if: {step.spec.get('if')}"))
            continue
        if not verdict.replayed:
            result.steps.append(StepResult(title, "not replayed", verdict.why))
            continue
        step_started = time.monotonic()
        outcome = run_step(step.index, dict(step.spec), workspace, context, actions, log, deadline)
        seconds = time.monotonic() - step_started
        result.steps.append(StepResult(title, outcome, verdict.why, seconds))
        if outcome == "failure":
            result.outcome = "failure"
    result.seconds = time.monotonic() - started
    return result
