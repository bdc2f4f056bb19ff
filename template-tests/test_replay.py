"""The runner replay (dev/oxwheel_dev/replay): its model of GitHub's expressions and actions,
its decision table, and its plan held to the workflow files of every option combination."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from oxwheel_dev import render, tables
from oxwheel_dev.replay import plan, planned, table, unreplayed
from oxwheel_dev.replay.expressions import Lenient, Unmodelled, condition, evaluate, interpolate
from oxwheel_dev.replay.workflows import Event, Job, Step, load, matrix_rows

LINUX = tables.platforms()[0].runner
FIRST, SECOND = tables.cpython()[:2]
CONTEXT: dict[str, Any] = {
    "matrix": {"python": [FIRST, SECOND], "runner": LINUX},
    "github": {"ref": "refs/heads/main", "event": {"repository": {"default_branch": "main"}}},
    "needs": {"lint": {"result": "success"}, "tox": {"result": "failure"}},
    "vars": Lenient(),
    "runner": {"os": "Linux"},
}


def test_setup_python_gets_one_version_a_line() -> None:
    assert evaluate("join(matrix.python, fromJSON('\"\\n\"'))", CONTEXT) == f"{FIRST}\n{SECOND}"


def test_the_default_branch_is_found_with_format() -> None:
    source = "github.ref == format('refs/heads/{0}', github.event.repository.default_branch)"
    assert evaluate(source, CONTEXT) is True


def test_needs_star_lists_every_result() -> None:
    assert evaluate("join(needs.*.result, ' ')", CONTEXT) == "success failure"


def test_an_unset_variable_reads_as_empty() -> None:
    assert evaluate("vars.STAGING_INDEX_URL != ''", CONTEXT) is False


def test_an_if_without_a_status_function_needs_success() -> None:
    assert condition("runner.os == 'Linux'", {**CONTEXT, "job-status": "failure"}) is False
    assert condition("always()", {**CONTEXT, "job-status": "failure"}) is True
    assert condition("${{ runner.os != 'Linux' }}", CONTEXT) is False


def test_interpolation_writes_values_as_github_does() -> None:
    text = "tox -e ${{ join(matrix.python, ',') }} on ${{ matrix.runner }}: ${{ true }}"
    assert interpolate(text, CONTEXT) == f"tox -e {FIRST},{SECOND} on {LINUX}: true"


@pytest.mark.parametrize(
    "source", ["github.sha", "hashFiles('Cargo.lock')", "matrix.python[0] > 2", "secrets.TOKEN"]
)
def test_anything_outside_the_model_stops_the_replay(source: str) -> None:
    with pytest.raises(Unmodelled):
        evaluate(source, CONTEXT)


def job(spec: dict[str, Any], matrix: dict[str, Any] | None = None) -> Job:
    return Job("ci.yml", "tox", spec, matrix or {}, {}, "project")


PUSH = Event("push")
ON_PUSH = {"on": {"push": None}}


def nothing_missing(version: str) -> str:
    return ""


def test_a_job_of_another_event_does_not_run() -> None:
    assert (
        plan.decide_job(job({"runs-on": LINUX}), PUSH, {"on": ["release"]}, nothing_missing) is None
    )


def test_a_job_whose_if_is_false_does_not_run() -> None:
    spec = {"runs-on": LINUX, "if": "github.event_name == 'release'"}
    assert plan.decide_job(job(spec), PUSH, ON_PUSH, nothing_missing) is None


def test_a_reusable_workflow_is_replayed_as_itself() -> None:
    verdict = plan.decide_job(
        job({"uses": "./.github/workflows/ci.yml"}), PUSH, ON_PUSH, nothing_missing
    )
    assert verdict == plan.Verdict(
        False, "calls ./.github/workflows/ci.yml, which is replayed as a workflow itself"
    )


OTHER_RUNNERS = [*sorted({row.runner for row in tables.platforms()} - {LINUX}), "elsewhere"]


@pytest.mark.parametrize("runner", OTHER_RUNNERS)
def test_other_runners_are_not_replayed(runner: str) -> None:
    verdict = plan.decide_job(job({"runs-on": runner}), PUSH, ON_PUSH, nothing_missing)
    assert verdict is not None
    assert not verdict.replayed


def test_a_row_asking_for_a_missing_interpreter_is_not_replayed_and_says_which() -> None:
    setup = {"uses": "actions/setup-python@0", "with": {"python-version": "${{ matrix.python }}"}}
    spec = {"runs-on": LINUX, "steps": [setup]}
    free_threaded = f"{tables.free_threaded()[0]}t"
    missing = {free_threaded: "none here"}
    verdict = plan.decide_job(
        job(spec, {"python": free_threaded}), PUSH, ON_PUSH, lambda v: missing.get(v, "")
    )
    assert verdict == plan.Verdict(False, "none here")


def test_setup_python_inputs_outside_the_model_stop_the_replay() -> None:
    setup = {"uses": "actions/setup-python@0", "with": {"python-version": FIRST, "cache": "pip"}}
    with pytest.raises(Unmodelled):
        plan.decide_job(job({"runs-on": LINUX, "steps": [setup]}), PUSH, ON_PUSH, nothing_missing)


def test_steps_run_modelled_or_say_why_not() -> None:
    assert plan.decide_step(Step(0, {"run": "tox"})) == plan.REPLAY
    assert plan.decide_step(Step(0, {"uses": "actions/checkout@0"})).replayed
    assert not plan.decide_step(Step(0, {"uses": "actions/attest@0"})).replayed
    with pytest.raises(Unmodelled):
        plan.decide_step(Step(0, {"uses": "someone/else@0"}))


def test_matrix_rows_come_from_include_or_from_axes() -> None:
    assert matrix_rows({"strategy": {"matrix": {"include": [{"a": 1}, {"a": 2}]}}}) == [
        {"a": 1},
        {"a": 2},
    ]
    assert matrix_rows({"strategy": {"matrix": {"a": [1, 2], "b": [3]}}}) == [
        {"a": 1, "b": 3},
        {"a": 2, "b": 3},
    ]
    assert matrix_rows({}) == [{}]
    with pytest.raises(Unmodelled):
        matrix_rows({"strategy": {"matrix": {"a": [1], "exclude": [{"a": 1}]}}})


def test_a_step_calling_github_s_cli_is_not_replayed() -> None:
    step = Step(0, {"run": 'echo start\ngh release upload "$TAG" dist/*'})
    assert plan.decide_step(step) == plan.Verdict(False, "calls GitHub's API (gh)")
    assert plan.decide_step(Step(0, {"run": "echo high"})).replayed


def test_a_job_left_with_its_preparation_only_is_not_replayed() -> None:
    steps = [
        {"uses": "actions/download-artifact@0"},
        {"uses": "actions/attest@0"},
        {"uses": "pypa/gh-action-pypi-publish@0"},
    ]
    verdict = plan.decide_job(
        job({"runs-on": LINUX, "steps": steps}), PUSH, ON_PUSH, nothing_missing
    )
    assert verdict is not None
    assert not verdict.replayed
    assert "needs GitHub's attestation service" in verdict.why


def missing_here(version: str) -> str:
    """As on this machine: no free-threaded build, no PyPy."""
    return "not here" if version.endswith("t") or version.startswith("pypy") else ""


@pytest.fixture(scope="module", params=sorted(tables.replay_variants()))
def project(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Path:
    answers = tables.replay_variants()[request.param]
    return render.render(tmp_path_factory.mktemp("plan"), request.param, answers).path


EVENTS = [Event("push"), Event("release", "v0.1.0")]


def test_the_plan_lists_every_job_row_of_every_workflow_once(project: Path) -> None:
    listed = [
        (job.workflow, job.job_id, repr(job.matrix))
        for _, job, _ in planned(project, EVENTS, missing_here)
    ]
    expected = []
    for path in sorted((project / ".github" / "workflows").glob("*.yml")):
        for job_id, spec in load(path)["jobs"].items():
            expected += [(path.name, job_id, repr(row)) for row in matrix_rows(spec)]
    assert sorted(listed) == sorted(expected)


def test_every_linux_x86_64_tox_row_with_gil_enabled_cpython_is_replayed(project: Path) -> None:
    """Free-threaded CPython and PyPy are not on this machine: their rows say so."""
    runner = tables.platforms()[0].runner
    for _, job, verdict in planned(project, EVENTS, missing_here):
        if job.job_id != "tox":
            continue
        pythons = job.matrix["python"]
        elsewhere = any(python.endswith("t") or python.startswith("pypy") for python in pythons)
        expected = job.matrix["runner"] == runner and not elsewhere
        assert verdict.replayed == expected, (job.matrix, verdict)
        if elsewhere and job.matrix["runner"] == runner:
            assert verdict.why == "not here"


def test_jobs_are_ordered_after_the_jobs_they_need(project: Path) -> None:
    """...among the rows an event runs (the others are listed last)."""
    rows = list(planned(project, EVENTS, missing_here))
    never = {
        (job.workflow, job.job_id) for _, job, verdict in rows if "runs neither" in verdict.why
    }
    order = [(job.workflow, job.job_id) for _, job, _ in rows]
    for position, (workflow, job_id) in enumerate(order):
        spec = load(project / ".github" / "workflows" / workflow)["jobs"][job_id]
        needs = spec.get("needs", [])
        for need in [needs] if isinstance(needs, str) else needs:
            if (workflow, job_id) not in never and (workflow, need) not in never:
                assert (workflow, need) in order[:position], (job_id, need)


def test_the_table_names_every_job_row_and_step(project: Path) -> None:
    rows = list(planned(project, EVENTS, missing_here))
    results = [
        unreplayed(job, event, job.title(event), verdict.why) for event, job, verdict in rows
    ]
    lines = table(results).splitlines()[2:]
    assert len(lines) == len(rows)
    for line, (event, job, _) in zip(lines, rows, strict=True):
        assert f"| {job.workflow} | {job.title(event)} |" in line
        for step in job.steps():
            assert step.title(job.context(event)) in line


def test_a_step_runs_in_its_working_directory_unless_an_expression_makes_it() -> None:
    """An adopted uv workspace member runs tox in its folder; an expression there is outside
    the model and stops the replay rather than running the step elsewhere."""
    step = Step(0, {"run": "tox run -e lint", "working-directory": "packages/mixed"})
    assert plan.decide_step(step).replayed
    with pytest.raises(Unmodelled):
        plan.decide_step(Step(0, {"run": "tox", "working-directory": "${{ matrix.folder }}"}))
