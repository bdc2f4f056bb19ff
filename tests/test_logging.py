"""Logging from Rust through Python's logging module."""

import logging

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
