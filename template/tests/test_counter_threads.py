"""Counter under threads: shared instances, the GIL released during long scans, free threading."""

import os
import subprocess
import sys
import sysconfig
import threading

import pytest

from {{module_name}} import Counter, Reset

MIB = 1024 * 1024


def test_eight_threads_share_one_counter() -> None:
    counter = Counter("x", 1000, Reset.NewlinesReset)
    line = "x" * 999 + "\n"
    lines = 4 * MIB // len(line)
    # 4 MiB each, scanned without the GIL: no line of 1000 x's, or one k/8 of the way in.
    texts = [(line * lines, False)]
    for k in range(8):
        before = lines * k // 8
        texts.append((line * before + "x" + line * (lines - before), True))
    inputs: list[tuple[str | bytes, bool]] = [*texts]
    inputs += [(text.encode(), expected) for text, expected in texts]
    start = threading.Barrier(8)
    wrong: list[tuple[int, int]] = []

    def work(first: int) -> None:
        start.wait()
        # Each thread goes through every input, starting at a different one.
        for step in range(len(inputs)):
            data, expected = inputs[(first + step) % len(inputs)]
            if counter.has_count(data) is not expected:
                wrong.append((first, step))

    threads = [threading.Thread(target=work, args=(first,)) for first in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert wrong == []


def test_other_threads_run_during_a_long_scan() -> None:
    # A whole-input scan of 256 MiB that stops at every byte: a long call.
    data = b"a" * (256 * MIB)
    counter = Counter("a", 2**64 - 1, Reset.NewlinesReset)
    go = threading.Event()
    ticks = 0

    def tick() -> None:
        nonlocal ticks
        go.wait()
        for _ in range(1000):
            ticks += 1

    # Python switches threads only every switch interval, or when a thread releases the GIL. With
    # a 60-second interval the ticker can run during a scan only if has_count releases the GIL.
    interval = sys.getswitchinterval()
    sys.setswitchinterval(60)
    try:
        ticker = threading.Thread(target=tick)
        ticker.start()
        go.set()
        # A busy machine may not schedule the ticker during the first scan: allow a few.
        for _ in range(10):
            assert counter.has_count(data) is False
            progress = ticks
            if progress:
                break
    finally:
        sys.setswitchinterval(interval)
    ticker.join()
    assert progress > 0


@pytest.mark.skipif(
    not sysconfig.get_config_var("Py_GIL_DISABLED"), reason="needs a free-threaded CPython"
)
def test_importing_keeps_the_gil_disabled() -> None:
    # PYTHON_GIL would override what the module declares.
    env = {key: value for key, value in os.environ.items() if key != "PYTHON_GIL"}
    code = "import sys, {{module_name}}; print(sys._is_gil_enabled())"
    result = subprocess.run(
        [sys.executable, "-W", "error", "-c", code], env=env, capture_output=True, text=True
    )
    assert (result.returncode, result.stdout.strip()) == (0, "False"), result.stderr
