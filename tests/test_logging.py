"""Logging from Rust through Python's logging module."""

import logging
import subprocess
import sys

import pytest

import oxwheel_patterns

LOGGER = "oxwheel_patterns"


def records(caplog: pytest.LogCaptureFixture) -> list[tuple[str, str]]:
    return [(record.levelname, record.getMessage()) for record in caplog.records]


def test_log_example(caplog: pytest.LogCaptureFixture) -> None:
    with caplog.at_level(logging.DEBUG, logger=LOGGER):
        oxwheel_patterns.log_example()
    assert records(caplog) == [("INFO", "A log message from Rust!")]
    assert all(
        record.name == LOGGER or record.name.startswith(LOGGER + ".") for record in caplog.records
    )


def test_log_different_levels(caplog: pytest.LogCaptureFixture) -> None:
    with caplog.at_level(logging.DEBUG, logger=LOGGER):
        oxwheel_patterns.log_different_levels()
    assert records(caplog) == [
        ("ERROR", "logging an error"),
        ("WARNING", "logging a warning"),
        ("INFO", "logging an info message"),
        ("DEBUG", "logging a debug message"),
    ]


def test_level_changes_after_the_first_call_are_honoured(
    caplog: pytest.LogCaptureFixture,
) -> None:
    with caplog.at_level(logging.DEBUG, logger=LOGGER):
        oxwheel_patterns.log_different_levels()
    assert len(caplog.records) == 4
    caplog.clear()
    with caplog.at_level(logging.WARNING, logger=LOGGER):
        oxwheel_patterns.log_different_levels()
    assert records(caplog) == [("ERROR", "logging an error"), ("WARNING", "logging a warning")]
    caplog.clear()
    with caplog.at_level(logging.DEBUG, logger=LOGGER):
        oxwheel_patterns.log_different_levels()
    assert len(caplog.records) == 4


def test_a_disabled_logger_gets_nothing(caplog: pytest.LogCaptureFixture) -> None:
    with caplog.at_level(logging.CRITICAL, logger=LOGGER):
        oxwheel_patterns.log_example()
    assert records(caplog) == []


def test_logging_from_rust_threads_does_not_deadlock(caplog: pytest.LogCaptureFixture) -> None:
    with caplog.at_level(logging.INFO, logger=LOGGER):
        oxwheel_patterns.log_from_threads(4)
    assert sorted(message for _, message in records(caplog)) == [
        f"hello from Rust thread {index}" for index in range(4)
    ]


def test_thread_count_is_bounded() -> None:
    with pytest.raises(ValueError, match="at most"):
        oxwheel_patterns.log_from_threads(10_000)
    with pytest.raises(OverflowError):
        oxwheel_patterns.log_from_threads(-1)


# Run in a child process: the address-space limit leaves room for the interpreter and a few
# thread stacks, not for 64 of them.
SPAWN_UNDER_A_LIMIT = """
import resource
import oxwheel_patterns
size = next(line for line in open("/proc/self/status") if line.startswith("VmSize:"))
limit = (int(size.split()[1]) + 24 * 1024) * 1024
resource.setrlimit(resource.RLIMIT_AS, (limit, resource.RLIM_INFINITY))
try:
    oxwheel_patterns.log_from_threads(64)
except RuntimeError as error:
    print("RuntimeError:", error)
"""


def can_start_a_child_interpreter() -> bool:
    """False under user-mode emulation without binfmt (qemu-aarch64 -L), which cannot exec."""
    try:
        subprocess.run([sys.executable, "-c", "pass"], check=True, timeout=60)
    except OSError:
        return False
    return True


@pytest.mark.skipif(sys.platform != "linux", reason="sets RLIMIT_AS, which Linux enforces")
def test_a_thread_the_system_cannot_start_is_a_runtime_error() -> None:
    if not can_start_a_child_interpreter():
        pytest.skip("this interpreter cannot start a child interpreter (user-mode emulation)")
    child = subprocess.run(
        [sys.executable, "-c", SPAWN_UNDER_A_LIMIT],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert child.returncode == 0, child.stderr
    assert "RuntimeError: could start only" in child.stdout
    assert "of 64 logging threads" in child.stdout
