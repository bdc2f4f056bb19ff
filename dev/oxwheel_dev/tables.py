"""The tables every list comes from, as the template's own rules read them.

- template/supported.rhai: the CPython releases and the wheel platforms of generated projects,
  and template/validate-answers.rhai: what they mean for a set of answers. This module asks
  `oxwheel rules --json` (render.rules) for both instead of reading or deriving them again.
- dev/variants.toml: the option combinations the checks render and build.
"""

from __future__ import annotations

import json
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass
from functools import cache
from typing import Any

from . import render
from .paths import SUPPORTED, VARIANTS


def supported() -> dict[str, Any]:
    """The constants of supported.rhai: {name: value}."""
    constants: dict[str, Any] = render.rules({})["supported"]
    return constants


def derived(answers: Mapping[str, str]) -> dict[str, Any]:
    """Every value validate-answers.rhai derives for `answers` (the defaults for the others)."""
    values: dict[str, Any] = render.rules(answers)["derived"]
    return values


def _strings(name: str) -> list[str]:
    value = supported()[name]
    if not isinstance(value, list) or not all(isinstance(item, str) for item in value):
        raise TypeError(f"{SUPPORTED}: {name} must be a list of strings")
    return value


def cpython() -> list[str]:
    """Every supported CPython release, oldest first ("3.11", ...)."""
    return _strings("CPYTHON")


def free_threaded() -> list[str]:
    """The releases whose free-threaded build is supported ("3.14", ...)."""
    return _strings("FREE_THREADED")


def pypy() -> str:
    return str(supported()["PYPY"])


def abi3t() -> str:
    """The first release with a stable ABI for free-threaded builds (PEP 803)."""
    return str(supported()["ABI3T"])


def release_key(version: str) -> tuple[int, ...]:
    return tuple(map(int, version.split(".")))


@dataclass(frozen=True)
class WheelKind:
    """One wheel a project ships per platform (a row of the derived wheel_kinds)."""

    interpreter: str  # the interpreter maturin builds it for: python3.N, or python3.Nt
    tags: str  # the python and ABI tags of its file name (cp3N-abi3, cp3N-cp3Nt, ...)

    @property
    def free_threaded(self) -> bool:
        return self.interpreter.endswith("t")


def wheel_kinds(answers: Mapping[str, str]) -> list[WheelKind]:
    """The wheels a project with `answers` ships on each platform, as the rules derive them."""
    return [WheelKind(*row) for row in derived(answers)["wheel_kinds"]]


def no_pypy() -> list[str]:
    return _strings("NO_PYPY")


def nodot(version: str) -> str:
    return version.replace(".", "")


# The CPU architecture a platform row's arch names, as a binary's header states it.
_MACHINES = {
    "x86_64": "x86_64",
    "AMD64": "x86_64",
    "aarch64": "aarch64",
    "arm64": "aarch64",
    "ARM64": "aarch64",
}


@dataclass(frozen=True)
class Platform:
    """One kind of wheel shipped (a row of PLATFORMS in supported.rhai)."""

    platform: str  # cibuildwheel's --platform: linux, macos, windows
    arch: str  # cibuildwheel's --archs value on that platform
    runner: str  # the GitHub runner that builds and tests it natively
    public_only: bool  # GitHub offers the runner to public repositories only
    wheel: str  # the identifier's platform part: cp311-<wheel>
    cross_target: str  # the Rust target that cross-builds it locally, "" when none can

    @property
    def name(self) -> str:
        return self.wheel

    @property
    def tag(self) -> str:
        """The platform tag of the wheel's file name (manylinux_2_28_x86_64, win_amd64, ...)."""
        family, arch = self.wheel.split("_", 1)
        policies = supported()["WHEEL_POLICIES"]
        assert isinstance(policies, dict)
        return f"{policies[family]}_{arch}" if family in policies else self.wheel

    @property
    def machine(self) -> str:
        """The architecture the extension binary's header must name."""
        return _MACHINES[self.arch]

    @property
    def maturin_options(self) -> tuple[str, ...]:
        """How maturin cross-links it: zig for Linux (at the policy's glibc or musl) and macOS
        (no SDK needed); Debian's mingw-w64 for Windows, with no option."""
        family = self.wheel.split("_", 1)[0]
        if family in ("manylinux", "musllinux"):
            return ("--zig", "--compatibility", self.tag.removesuffix(f"_{self.wheel_arch}"))
        return ("--zig",) if family == "macosx" else ()

    @property
    def wheel_arch(self) -> str:
        return self.wheel.split("_", 1)[1]

    @property
    def auditwheel_policy(self) -> str | None:
        """The policy `auditwheel show` must report (Linux only)."""
        return self.tag if self.platform == "linux" else None


def platforms() -> list[Platform]:
    rows = supported()["PLATFORMS"]
    assert isinstance(rows, list)
    return [Platform(**row) for row in rows]


def cross_built() -> list[Platform]:
    """The platforms whose wheels one Linux machine cross-builds."""
    return [platform for platform in platforms() if platform.cross_target]


def macos_deployment_target() -> str:
    """MACOSX_DEPLOYMENT_TARGET, as the rules derive it from the macOS policy (11.0)."""
    return str(derived({})["macos_deployment_target"])


@dataclass(frozen=True)
class Variant:
    """One option combination of the checks."""

    patterns: str
    abi3: str
    python_min: str

    @property
    def name(self) -> str:
        abi = "abi3" if self.abi3 == "true" else "versioned"
        return f"{self.patterns}-{abi}-py{nodot(self.python_min)}"

    @property
    def answers(self) -> dict[str, str]:
        return {"patterns": self.patterns, "abi3": self.abi3, "python_min": self.python_min}


def _release(value: str) -> str:
    """A python_min of variants.toml: a release, or "lowest" / "newest" of the CPython table."""
    releases = cpython()
    resolved = {"lowest": releases[0], "newest": releases[-1]}.get(value, value)
    if resolved not in releases:
        raise ValueError(f"{VARIANTS}: python_min {value!r} is not in {SUPPORTED.name}")
    return resolved


@cache
def variants() -> tuple[Variant, ...]:
    axes = tomllib.loads(VARIANTS.read_text())["axes"]
    return tuple(
        Variant(patterns, abi3, _release(python_min))
        for patterns in axes["patterns"]
        for abi3 in axes["abi3"]
        for python_min in axes["python_min"]
    )


def replay_variants() -> dict[str, dict[str, str]]:
    """The projects `replay` generates, by name, with their answers."""
    replayed: dict[str, dict[str, str]] = tomllib.loads(VARIANTS.read_text())["replay"]
    return replayed


def adopted_variants() -> dict[str, dict[str, str]]:
    """The answers of the layouts `oxwheel adopt` fits the pipeline to, by name."""
    adopted: dict[str, dict[str, str]] = tomllib.loads(VARIANTS.read_text())["adopted"]
    return adopted


def replayed(variant: Variant) -> bool:
    """Whether `replay` generates a project with the answers of `variant` (the others at their
    defaults, python_min's as the rules fill it in)."""
    rules = render.rules({})
    defaults = {key: rules["answers"][key] for key in variant.answers}
    defaults["python_min"] = rules["derived"]["python_min"]
    return any(defaults | answers == variant.answers for answers in replay_variants().values())


def variant(name: str) -> Variant:
    (found,) = (candidate for candidate in variants() if candidate.name == name)
    return found


def template_check_jobs() -> list[dict[str, str]]:
    """The jobs of .github/workflows/template.yml: the first runner of each platform, each
    running the template's checks, the option matrix included."""
    first: dict[str, str] = {}
    for row in platforms():
        first.setdefault(row.platform, row.runner)
    return [
        {"runner": runner, "sessions": "golden lists answers matrix"} for runner in first.values()
    ]


def github_outputs() -> str:
    """template.yml's plan: the jobs as JSON, and the CPythons the matrix needs, a line each
    (as actions/setup-python takes them)."""
    pythons = sorted({variant.python_min for variant in variants()}, key=cpython().index)
    lines = [f"jobs={json.dumps(template_check_jobs())}", "pythons<<END", *pythons, "END"]
    return "\n".join(lines) + "\n"


if __name__ == "__main__":
    print(github_outputs(), end="")
