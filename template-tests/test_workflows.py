"""The GitHub workflows of the root and of every option combination: lint-clean, pinned, least
privilege, free of stored credentials, and publishing only what was built and tested.

Run by `python3 noxfile.py -s workflows`, which installs zizmor, actionlint and check-jsonschema.
"""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
import tomllib
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
import yaml
from oxwheel_dev import golden, paths, render, tables

SHA_PIN = re.compile(r"[\w.-]+/[\w./-]+@[0-9a-f]{40}")


VARIANTS = [variant.name for variant in tables.variants()]


@pytest.fixture(scope="session", params=["root", *VARIANTS])
def project(request: pytest.FixtureRequest, variant_project: Callable[[str], Path]) -> Path:
    return paths.ROOT if request.param == "root" else variant_project(request.param)


@pytest.fixture(scope="session", params=VARIANTS)
def generated(request: pytest.FixtureRequest, variant_project: Callable[[str], Path]) -> Path:
    """A generated project only: the root's README is the repository's own."""
    return variant_project(request.param)


def workflow_files(project: Path) -> list[Path]:
    files = sorted((project / ".github" / "workflows").glob("*.yml"))
    assert files, f"no workflows in {project}"
    return files


def load(path: Path) -> dict[str, Any]:
    workflow: dict[str, Any] = yaml.safe_load(path.read_text())
    return workflow


def run_tool(*command: str, cwd: Path) -> None:
    if shutil.which(command[0]) is None:
        pytest.fail(f"{command[0]} is not installed: run python3 noxfile.py -s workflows")
    result = subprocess.run(command, cwd=cwd, capture_output=True, text=True, check=False)
    assert result.returncode == 0, result.stdout + result.stderr


def test_zizmor_pedantic_finds_nothing(project: Path) -> None:
    run_tool("zizmor", "--offline", "--pedantic", ".github", cwd=project)


def test_actionlint_finds_nothing(project: Path) -> None:
    run_tool("actionlint", *map(str, workflow_files(project)), cwd=project)


def test_schemas(project: Path) -> None:
    check = ("check-jsonschema", "--builtin-schema")
    run_tool(*check, "vendor.github-workflows", *map(str, workflow_files(project)), cwd=project)
    run_tool(*check, "vendor.dependabot", str(project / ".github" / "dependabot.yml"), cwd=project)


def test_github_expressions_survive_rendering(project: Path) -> None:
    for path in workflow_files(project):
        text = path.read_text()
        assert "${{" in text, path
        assert "{%" not in text, path
        assert re.search(r"(?<!\$)\{\{", text) is None, f"{path}: Liquid left unrendered"


def test_every_action_is_pinned_to_a_commit_with_its_version(project: Path) -> None:
    for path in workflow_files(project):
        text = path.read_text()
        jobs = load(path)["jobs"].values()
        used = [job["uses"] for job in jobs if "uses" in job]
        used += [step["uses"] for job in jobs for step in job.get("steps", []) if "uses" in step]
        for action in used:
            if action.startswith("./"):
                continue  # a workflow of the same repository, at the same commit
            assert SHA_PIN.fullmatch(action), f"{path}: {action} is not pinned to a commit"
            comment = rf"uses: {re.escape(action)} # v\d+\.\d+\.\d+$"
            assert re.search(comment, text, re.MULTILINE), f"{path}: {action} lacks # vX.Y.Z"


def test_no_permissions_by_default(project: Path) -> None:
    for path in workflow_files(project):
        workflow = load(path)
        assert workflow["permissions"] == {}, path
        for name, job in workflow["jobs"].items():
            assert "permissions" in job, f"{path}: job {name} must grant what it needs"


def test_checkouts_keep_no_credentials(project: Path) -> None:
    for path in workflow_files(project):
        for job in load(path)["jobs"].values():
            for step in job.get("steps", []):
                if step.get("uses", "").startswith("actions/checkout@"):
                    assert step["with"]["persist-credentials"] is False, path


def test_no_stored_credentials(project: Path) -> None:
    """No secret or password; the only token is the job's own, in jobs that write to the
    repository (attaching files to a release, pushing a ported update, opening an issue)."""
    for path in workflow_files(project):
        text = path.read_text().replace("id-token", "")  # the OIDC permission is not a stored one
        text = text.replace("GH_TOKEN: ${{ github.token }}", "")
        assert re.search(r"secret|token|password", text, re.IGNORECASE) is None, path
    for path in workflow_files(project):
        for name, job in load(path)["jobs"].items():
            if "github.token" in str(job):
                assert "write" in job["permissions"].values(), f"{path}: {name}"


def test_every_workflow_cancels_superseded_pull_request_runs(project: Path) -> None:
    for path in workflow_files(project):
        concurrency = load(path)["concurrency"]
        assert "github.event.pull_request.number" in concurrency["group"], path
        assert "pull_request" in concurrency["cancel-in-progress"], path


def uploading_jobs(jobs: dict[str, Any]) -> set[str]:
    return {
        name
        for name, job in jobs.items()
        if job["permissions"] and job["permissions"].get("id-token") == "write"
    }


def needed(jobs: dict[str, Any], name: str) -> set[str]:
    """Every job `name` waits for, directly or through others."""
    direct = jobs[name].get("needs", [])
    direct = [direct] if isinstance(direct, str) else direct
    return set(direct).union(*(needed(jobs, job) for job in direct))


def test_uploads_need_every_build_and_test_job(project: Path) -> None:
    uploads = 0
    for path in workflow_files(project):
        jobs = load(path)["jobs"]
        uploading = uploading_jobs(jobs)
        after = {name for name in jobs if needed(jobs, name) & uploading}
        for name in uploading:
            missing = set(jobs) - uploading - after - needed(jobs, name)
            assert not missing, f"{path}: {name} must wait for {missing}"
            assert "github.event_name == 'release'" in jobs[name]["if"], path
        uploads += len(uploading)
    assert uploads == 2  # PyPI, and the optional staging index


def wheels_jobs(project: Path) -> dict[str, Any]:
    jobs: dict[str, Any] = load(project / ".github" / "workflows" / "wheels.yml")["jobs"]
    return jobs


def steps_using(job: dict[str, Any], action: str) -> list[dict[str, Any]]:
    return [step for step in job.get("steps", []) if step.get("uses", "").startswith(action + "@")]


def test_every_job_has_a_timeout(project: Path) -> None:
    """Each job that runs steps stops in time (a reusable workflow's jobs carry their own)."""
    for path in workflow_files(project):
        for name, job in load(path)["jobs"].items():
            if "steps" in job:
                assert 0 < job["timeout-minutes"] <= 60, f"{path}: {name}"


def test_the_wheels_gate_needs_every_wheel_and_the_sdist(project: Path) -> None:
    jobs = wheels_jobs(project)
    gate = jobs["all-wheels"]
    assert gate["if"] == "always()"
    assert set(gate["needs"]) == {"wheels", "sdist"}
    assert gate["name"] == "all wheels passed"


def test_nothing_is_uploaded_before_the_tag_matches_the_version(project: Path) -> None:
    jobs = wheels_jobs(project)
    check = jobs["release-version"]
    (step,) = (step for step in check["steps"] if "release_version.py" in step.get("run", ""))
    assert step["run"] == 'python3 .github/release_version.py "$TAG" dist'
    assert step["env"]["TAG"] == "${{ github.event.release.tag_name }}"
    assert (project / ".github" / "release_version.py").is_file()
    for name in uploading_jobs(jobs):
        assert "release-version" in jobs[name]["needs"], name


def test_uploads_can_be_rerun_and_stop_on_a_rebuilt_file(project: Path) -> None:
    """skip-existing on PyPI and the staging index, after index_check.py made sure that every
    file the index holds under a name is the same bytes."""
    jobs = wheels_jobs(project)
    for name in ("publish", "staging"):
        (upload,) = steps_using(jobs[name], "pypa/gh-action-pypi-publish")
        assert upload["with"]["skip-existing"] is True
        runs = [step.get("run", "") for step in steps(jobs[name])]
        check = next(index for index, run in enumerate(runs) if "index_check.py" in run)
        assert check < steps(jobs[name]).index(upload), name
    assert (project / ".github" / "index_check.py").is_file()


def test_every_file_gets_build_provenance_and_goes_on_the_release(project: Path) -> None:
    jobs = wheels_jobs(project)
    publish = jobs["publish"]
    (attest,) = steps_using(publish, "actions/attest")
    assert attest["with"]["subject-path"] == "dist/*"
    assert attest["if"] == "${{ !github.event.repository.private }}"
    assert publish["permissions"]["attestations"] == "write"
    steps = [step.get("uses", "").split("@")[0] for step in publish["steps"]]
    assert steps.index("actions/attest") < steps.index("pypa/gh-action-pypi-publish")
    release = jobs["github-release"]
    assert release["needs"] == ["publish"]
    assert release["steps"][-1]["run"] == "python3 .github/release_files.py dist"


def test_ci_runs_cargo_deny_with_the_advisories(project: Path) -> None:
    jobs = load(project / ".github" / "workflows" / "ci.yml")["jobs"]
    (deny,) = steps_using(jobs["deny"], "EmbarkStudios/cargo-deny-action")
    assert set(deny["with"]["command-arguments"].split()) == {
        "advisories",
        "bans",
        "licenses",
        "sources",
    }
    assert (project / "deny.toml").is_file()


def test_the_gate_job_needs_every_other_ci_job(project: Path) -> None:
    jobs = load(project / ".github" / "workflows" / "ci.yml")["jobs"]
    gate = jobs["all-green"]
    assert gate["if"] == "always()"
    assert set(gate["needs"]) == set(jobs) - {"all-green"}


CACHES = ("Swatinem/rust-cache@", "actions/cache@")
DEFAULT_BRANCH_ONLY = (
    "${{ github.ref == format('refs/heads/{0}', github.event.repository.default_branch) }}"
)


def steps(job: dict[str, Any]) -> list[dict[str, Any]]:
    found: list[dict[str, Any]] = job.get("steps", [])
    return found


def test_caches_only_where_nothing_is_published_and_saved_only_on_the_default_branch(
    project: Path,
) -> None:
    cached = []
    for path in workflow_files(project):
        for name, job in load(path)["jobs"].items():
            for step in steps(job):
                if step.get("uses", "").startswith(CACHES):
                    cached.append((path.name, name))
                    assert step["with"]["save-if"] == DEFAULT_BRANCH_ONLY, (path.name, name)
    # The test jobs of ci.yml; never the wheels workflow, which builds what is published.
    assert cached
    assert {workflow for workflow, _ in cached} == {"ci.yml"}


def test_ci_tests_builds_of_the_fast_profile_and_the_wheels_workflow_the_release_ones(
    project: Path,
) -> None:
    profile = tomllib.loads((project / "Cargo.toml").read_text())["profile"]["ci"]
    assert profile["inherits"] == "release"
    assert profile["lto"] is False
    jobs = load(project / ".github" / "workflows" / "ci.yml")["jobs"]
    for name in ("lint", "tox"):
        (run,) = [step for step in steps(jobs[name]) if step.get("name", "").startswith("tox")]
        assert run["env"]["MATURIN_PEP517_ARGS"] == "--profile ci", name
    tox = tomllib.loads((project / "tox.toml").read_text())
    assert "MATURIN_PEP517_ARGS" in tox["env_pkg_base"]["pass_env"]
    wheels = (project / ".github" / "workflows" / "wheels.yml").read_text()
    assert "MATURIN_PEP517_ARGS" not in wheels
    assert "MATURIN_PEP517_ARGS" not in (project / "pyproject.toml").read_text()


def test_the_readme_counts_the_jobs_the_workflows_run(generated: Path) -> None:
    project = generated
    readme = (project / "README.md").read_text()
    counted = re.search(r"runs `ci.yml`: (\d+) jobs, of which (\d+) run tox", readme)
    wheels = re.search(r"adds `wheels.yml`: (\d+) wheel jobs", readme)
    assert counted
    assert wheels
    ci = load(project / ".github" / "workflows" / "ci.yml")["jobs"]
    tox_jobs = len(ci["tox"]["strategy"]["matrix"]["include"])
    assert (int(counted[1]), int(counted[2])) == (len(ci) - 1 + tox_jobs, tox_jobs)
    builds = re.search(
        r"tox jobs of a push build (\d+) wheels, where a job per\s+CPython built (\d+)", readme
    )
    assert builds
    rows = ci["tox"]["strategy"]["matrix"]["include"]
    pyo3 = tomllib.loads((project / "Cargo.toml").read_text())["dependencies"]["pyo3"]
    abi3 = any(feature.startswith("abi3") for feature in pyo3.get("features", []))
    envs = sum(len(row["python"]) for row in rows)
    assert (int(builds[1]), int(builds[2])) == (len(rows) if abi3 else envs, envs)
    matrix = load(project / ".github" / "workflows" / "wheels.yml")["jobs"]["wheels"]["strategy"]
    assert int(wheels[1]) == len(matrix["matrix"]["include"])


def test_pre_commit_runs_the_fast_checks_with_the_dev_groups_tools(project: Path) -> None:
    """Each hook runs a tool the dev dependency group installs (or cargo), so the hooks and
    `tox -e lint` use the same versions."""
    config = yaml.safe_load((project / ".pre-commit-config.yaml").read_text())
    hooks = {hook["id"]: hook for repo in config["repos"] for hook in repo["hooks"]}
    assert {"ruff-check", "ruff-format", "zizmor", "rustfmt", "clippy"} <= set(hooks)
    assert all(repo["repo"] == "local" for repo in config["repos"])
    groups = tomllib.loads((project / "pyproject.toml").read_text())["dependency-groups"]
    installed = {str(item).split(">")[0] for group in groups.values() for item in group}
    for hook in hooks.values():
        tool, *arguments = hook["entry"].split()
        if tool == "python":  # a script of the project's own, which runs cargo
            assert "cargo" in (project / arguments[0]).read_text(), hook["id"]
        else:
            assert tool == "cargo" or tool in installed, hook["id"]


def crate(folder: Path, name: str, source: str, *, workspace: bool = False) -> Path:
    """A library crate in `folder` whose lib.rs is `source`; returns the lib.rs."""
    manifest = f'[package]\nname = "{name}"\nversion = "0.1.0"\nedition = "2021"\n'
    (folder / "src").mkdir(parents=True)
    (folder / "Cargo.toml").write_text(manifest + ("\n[workspace]\n" if workspace else ""))
    (folder / "src" / "lib.rs").write_text(source)
    return folder / "src" / "lib.rs"


def test_the_rust_hooks_reach_every_cargo_workspace(tmp_path: Path) -> None:
    """The rustfmt and clippy hooks run cargo in each workspace that holds a changed Rust file:
    a crate with a workspace of its own beside the package is checked too (a misformatted
    line there fails the hook), and a cargo-generate template's files are left out."""
    script = [sys.executable, str(paths.ROOT / ".github" / "cargo_workspaces.py"), "fmt"]
    package = crate(tmp_path, "package", "pub fn one() -> u8 {\n    1\n}\n")
    tool = crate(tmp_path / "tools" / "helper", "helper", "pub fn two() {}\n", workspace=True)
    template = crate(tmp_path / "template", "{{project-name}}", "{% if x %}{% endif %}\n")
    (tmp_path / "template" / "cargo-generate.toml").write_text("[template]\n")
    files = [str(path.relative_to(tmp_path)) for path in (package, tool, template)]

    def hook() -> subprocess.CompletedProcess[str]:
        command = [*script, *files]
        return subprocess.run(command, cwd=tmp_path, capture_output=True, text=True, check=False)

    done = hook()
    assert done.returncode == 0, done.stdout + done.stderr
    assert done.stdout.splitlines() == ["fmt: Cargo.toml", "fmt: tools/helper/Cargo.toml"]
    tool.write_text("pub fn two(  ) {}\n")
    done = hook()
    assert done.returncode == 1
    assert "cargo fmt failed in: tools/helper/Cargo.toml" in done.stderr


def test_linux_x86_64_runs_every_tox_environment(project: Path) -> None:
    """Each tox env the project can run is a CI job; the other platforms run a subset."""
    tox = tomllib.loads((project / "tox.toml").read_text())
    python_min = tomllib.loads((project / "pyproject.toml").read_text())["project"]
    minimum = tuple(map(int, python_min["requires-python"].removeprefix(">=").split(".")))

    def supported(env: str) -> bool:
        version = env.removeprefix("pypy").removesuffix("t")
        return tuple(map(int, version.split("."))) >= minimum

    runnable = {env for env in tox["env_list"] if env != "lint" and supported(env)}
    matrix = load(project / ".github" / "workflows" / "ci.yml")["jobs"]["tox"]["strategy"]
    rows = matrix["matrix"]["include"]
    pythons = {(row["runner"], python) for row in rows for python in row["python"]}
    first_runner = tables.platforms()[0].runner
    assert {python for runner, python in pythons if runner == first_runner} == runnable
    assert {python for _, python in pythons} <= runnable


def test_private_repositories_can_leave_out_the_arm64_runners(
    tmp_path_factory: pytest.TempPathFactory,
) -> None:
    """arm64_runners = false: no runner that GitHub offers free to public repositories only,
    and the workflows stay clean."""
    parent = tmp_path_factory.mktemp("private")
    project = render.render(parent, "private", {"arm64_runners": "false"}).path
    public_only = {row.runner for row in tables.platforms() if row.public_only}
    assert public_only
    for path in workflow_files(project):
        assert not any(runner in path.read_text() for runner in public_only), path
    test_zizmor_pedantic_finds_nothing(project)
    test_actionlint_finds_nothing(project)
    test_schemas(project)
    test_linux_x86_64_runs_every_tox_environment(project)


def test_the_template_check_runs_the_recorded_oxwheel_without_write_access(project: Path) -> None:
    """The job that builds and runs oxwheel installs the revision the project records and may
    write nothing; the job that may open an issue runs nothing but GitHub's CLI."""
    jobs = load(project / ".github" / "workflows" / "template-updates.yml")["jobs"]
    runs = {
        name: " ".join(step.get("run", "") for step in steps(job)) for name, job in jobs.items()
    }
    (builder,) = [name for name, text in runs.items() if "cargo install" in text]
    assert '--rev "$revision"' in runs[builder]
    assert set(jobs[builder]["permissions"].values()) == {"read"}
    for name in jobs:
        if name != builder:
            assert "cargo" not in runs[name], name
            assert "oxwheel check" not in runs[name], name


def runs_in_a_merge_queue(workflow: dict[Any, Any]) -> bool:
    return "merge_group" in workflow[True]  # YAML reads the key `on` as True


def test_the_gated_workflows_run_in_a_merge_queue(project: Path) -> None:
    for name in ("ci.yml", "wheels.yml"):
        assert runs_in_a_merge_queue(load(project / ".github" / "workflows" / name)), name


def test_the_merge_queue_rule_finds_a_workflow_without_the_trigger() -> None:
    assert not runs_in_a_merge_queue({True: {"push": None, "pull_request": None}})


def cache_keyed_per_row(job: dict[str, Any]) -> bool:
    caches = steps_using(job, "Swatinem/rust-cache")
    return bool(caches) and all(
        "matrix." in cache.get("with", {}).get("key", "") for cache in caches
    )


def test_each_tox_row_keeps_a_cache_of_its_own(project: Path) -> None:
    assert cache_keyed_per_row(load(project / ".github" / "workflows" / "ci.yml")["jobs"]["tox"])


def test_the_cache_rule_finds_rows_that_share_a_key() -> None:
    shared = {"steps": [{"uses": "Swatinem/rust-cache@0123 # v2", "with": {"save-if": "x"}}]}
    assert not cache_keyed_per_row(shared)


def test_dependabot_watches_every_requirements_directory(project: Path) -> None:
    config = load(project / ".github" / "dependabot.yml")
    (pip,) = [entry for entry in config["updates"] if entry["package-ecosystem"] == "pip"]
    watched = set(pip.get("directories", [pip.get("directory")]))
    holding = {
        "/" + path.parent.relative_to(project).as_posix()
        for path in project.rglob("requirements/*.txt")
        if not golden.is_root_only(path.relative_to(project).as_posix())
        and not {"target", ".nox"} & set(path.relative_to(project).parts)
    }
    assert holding
    assert holding <= watched


# Installs or downloads without a pinned hash or commit: code fetched at run time.
FETCHED = re.compile(
    r"pip install(?!.*--require-hashes)|cargo install(?!.*--rev )|\bcurl\b|\bwget\b|uv tool"
    r"|noxfile\.py|\bnox\b"  # nox installs itself and its sessions' tools from PyPI
)
WRITES = {"contents", "actions", "issues", "pull-requests", "packages", "deployments", "statuses"}


def fetched_code_in_writing_jobs(workflow: dict[str, Any]) -> list[str]:
    """The jobs that hold a write permission (id-token aside) and run code fetched at run
    time, which could use the permission."""
    found = []
    for name, job in workflow["jobs"].items():
        granted = job.get("permissions") or {}
        writes = {scope for scope, level in granted.items() if level == "write"} & WRITES
        runs = " ".join(step.get("run", "") for step in steps(job))
        fetched = FETCHED.search(runs)
        if writes and fetched:
            found.append(f"{name}: {sorted(writes)} and {fetched[0]!r}")
    return found


def test_no_job_with_a_write_permission_runs_code_fetched_at_run_time(project: Path) -> None:
    for path in workflow_files(project):
        assert fetched_code_in_writing_jobs(load(path)) == [], path


@pytest.mark.parametrize(
    "run",
    [
        "python -m pip install nox",
        "cargo install --git https://x.example/y y",
        "curl -sSL x | sh",
        "python3 noxfile.py -s port",
    ],
)
def test_the_fetched_code_rule_finds_a_workflow_that_breaks_it(run: str) -> None:
    broken = {"jobs": {"push": {"permissions": {"contents": "write"}, "steps": [{"run": run}]}}}
    assert fetched_code_in_writing_jobs(broken) != []
    reading = {"jobs": {"push": {"permissions": {"contents": "read"}, "steps": [{"run": run}]}}}
    assert fetched_code_in_writing_jobs(reading) == []


HARDENING = [
    test_zizmor_pedantic_finds_nothing,
    test_actionlint_finds_nothing,
    test_schemas,
    test_github_expressions_survive_rendering,
    test_every_action_is_pinned_to_a_commit_with_its_version,
    test_no_permissions_by_default,
    test_checkouts_keep_no_credentials,
    test_no_stored_credentials,
    test_every_workflow_cancels_superseded_pull_request_runs,
    test_every_job_has_a_timeout,
    test_no_job_with_a_write_permission_runs_code_fetched_at_run_time,
]


@pytest.fixture(scope="session", params=sorted(tables.adopted_variants()))
def adopted(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The pipeline `oxwheel adopt` renders for one layout (dev/variants.toml [adopted])."""
    answers = tables.adopted_variants()[request.param]
    return render.render(tmp_path_factory.mktemp("adopted"), request.param, answers).path


@pytest.mark.parametrize("rule", HARDENING, ids=lambda rule: rule.__name__.removeprefix("test_"))
def test_an_adopted_pipeline_keeps_the_hardening_rules(
    adopted: Path, rule: Callable[[Path], None]
) -> None:
    rule(adopted)


def test_an_adopted_pipeline_publishes_only_where_nothing_else_does(adopted: Path) -> None:
    answers = tomllib.loads((adopted / "oxwheel-answers.toml").read_text())["values"]
    wheels: dict[Any, Any] = load(adopted / ".github" / "workflows" / "oxwheel-wheels.yml")
    publishing = {"staging", "publish", "github-release"} & set(wheels["jobs"])
    if answers["publish"] == "true":
        test_uploads_need_every_build_and_test_job(adopted)
        assert publishing
    else:
        assert not publishing
        assert "release" not in wheels[True]  # YAML reads the key `on` as True
