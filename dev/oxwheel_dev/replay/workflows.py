"""The jobs a push and a release run, read from a project's workflow files: each matrix row,
each step, and whether the replay can run it on this machine, or why not."""

from __future__ import annotations

import itertools
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from .. import tables
from .expressions import Lenient, Unmodelled, interpolate


def runner_reason(label: str) -> str:
    """Why the runner `label` is not replayed, "" when it is: the replay stands in for GitHub's
    Linux x86_64 image (image.py), a row of the platform table."""
    rows = [row for row in tables.platforms() if row.runner == label]
    if not rows:
        return f"the runner {label!r} is not in the platform table"
    if (rows[0].platform, rows[0].machine) == ("linux", "x86_64"):
        return ""
    return f"a {rows[0].platform} {rows[0].machine} runner; this machine is Linux x86_64"


DEFAULT_BRANCH = "main"


@dataclass(frozen=True)
class Event:
    """What starts the workflows: a push to the default branch, or a published release."""

    name: str  # "push", "release" or "workflow_dispatch"
    tag: str = ""  # the release's tag
    # The repository's variables (`vars.NAME`), as (name, value) pairs; unset ones read as "".
    variables: tuple[tuple[str, str], ...] = ()

    def github(self, workflow: str, repository: str) -> dict[str, Any]:
        """The `github` context, as far as the model goes."""
        event: dict[str, Any] = {"repository": {"default_branch": DEFAULT_BRANCH, "private": False}}
        if self.name == "release":
            event["release"] = {"tag_name": self.tag}
        ref = f"refs/tags/{self.tag}" if self.name == "release" else f"refs/heads/{DEFAULT_BRANCH}"
        return {
            "event_name": self.name,
            "ref": ref,
            "workflow": workflow,
            "repository": repository,
            "event": event,
        }


@dataclass(frozen=True)
class Step:
    index: int
    spec: Mapping[str, Any]

    @property
    def action(self) -> str:
        """The action's name without its pin ("actions/checkout"), or "" for a `run:` step."""
        return str(self.spec.get("uses", "")).split("@")[0]

    def title(self, context: Mapping[str, Any]) -> str:
        if "name" in self.spec:
            return interpolate(str(self.spec["name"]), context)
        return self.action or str(self.spec["run"]).splitlines()[0]


@dataclass
class Job:
    """One job as GitHub runs it: a job of a workflow file, with one row of its matrix."""

    workflow: str
    job_id: str
    spec: Mapping[str, Any]
    matrix: Mapping[str, Any]
    workflow_env: Mapping[str, Any]
    repository: str
    needs_results: dict[str, str] = field(default_factory=dict)

    def context(self, event: Event, **more: Any) -> dict[str, Any]:
        needs = {name: {"result": result} for name, result in self.needs_results.items()}
        return {
            "github": event.github(Path(self.workflow).stem, self.repository),
            "matrix": self.matrix,
            "runner": {"os": "Linux", "arch": "X64"},
            "vars": Lenient(event.variables),
            "needs": needs,
            "steps": {},
            **more,
        }

    @property
    def needs(self) -> list[str]:
        needs = self.spec.get("needs", [])
        return [needs] if isinstance(needs, str) else list(needs)

    def title(self, event: Event) -> str:
        return interpolate(str(self.spec.get("name", self.job_id)), self.context(event))

    def runs_on(self) -> str:
        return interpolate(str(self.spec.get("runs-on", "")), {"matrix": self.matrix})

    def steps(self) -> list[Step]:
        return [Step(index, spec) for index, spec in enumerate(self.spec.get("steps", []))]


def load(path: Path) -> dict[str, Any]:
    loaded: dict[Any, Any] = yaml.safe_load(path.read_text())
    # YAML 1.1 reads the key `on` as true.
    loaded["on"] = loaded.pop(True, loaded.get("on"))
    workflow: dict[str, Any] = loaded
    return workflow


def triggers(workflow: Mapping[str, Any]) -> set[str]:
    on = workflow["on"]
    return {on} if isinstance(on, str) else set(on)


def matrix_rows(job: Mapping[str, Any]) -> list[dict[str, Any]]:
    """The rows of a job's matrix: the product of its axes, or its `include` list."""
    matrix = job.get("strategy", {}).get("matrix")
    if matrix is None:
        return [{}]
    if not isinstance(matrix, Mapping) or "exclude" in matrix:
        raise Unmodelled(f"a matrix other than axes or an include list: {matrix!r}")
    axes = {key: values for key, values in matrix.items() if key != "include"}
    if axes and "include" in matrix:
        raise Unmodelled("a matrix with both axes and include")
    if "include" in matrix:
        if not isinstance(matrix["include"], list):
            raise Unmodelled(f"a matrix made by an expression: {matrix['include']!r}")
        return [dict(row) for row in matrix["include"]]
    return [dict(zip(axes, values, strict=True)) for values in itertools.product(*axes.values())]


def jobs(project: Path, repository: str) -> Iterator[Job]:
    """Every job of every workflow of `project`, one per matrix row, in file order."""
    for path in sorted((project / ".github" / "workflows").glob("*.yml")):
        yield from workflow_jobs(path, repository)


def workflow_jobs(path: Path, repository: str) -> Iterator[Job]:
    """Every job of the workflow file `path`, one per matrix row."""
    workflow = load(path)
    for job_id, spec in workflow["jobs"].items():
        for row in matrix_rows(spec):
            yield Job(path.name, job_id, spec, row, workflow.get("env", {}), repository)
