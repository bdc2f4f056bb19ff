"""Hostile input: out of memory, buffers that misbehave, logging handlers that raise or block,
daemon threads at exit, subinterpreters. None of it may abort the interpreter, hang, or turn
into SystemError. Whatever could crash runs in a child interpreter with a timeout."""

import ctypes
import logging
import subprocess
import sys
from collections.abc import Callable, Iterator

import pytest

import oxwheel_patterns
from oxwheel_patterns import (
    Counter,
    Reset,
    log_different_levels,
    log_example,
    log_from_threads,
)

PACKAGE = "oxwheel_patterns"
CHILD_TIMEOUT = 30


def run_child(script: str) -> subprocess.CompletedProcess[str]:
    """Runs `script` in a child interpreter; skips where none can start (user-mode emulation
    without binfmt, as under qemu-aarch64 -L, cannot exec)."""
    try:
        return subprocess.run(
            [sys.executable, "-c", script],
            capture_output=True,
            text=True,
            timeout=CHILD_TIMEOUT,
            check=False,
        )
    except OSError as error:
        pytest.skip(f"this interpreter cannot start a child interpreter: {error}")


def linux_only() -> pytest.MarkDecorator:
    return pytest.mark.skipif(
        sys.platform != "linux", reason="sets RLIMIT_AS, which Linux enforces (not macOS)"
    )


# --- buffers ---------------------------------------------------------------------------------

# Half a scan chunk past two chunks, so segments and counts straddle chunk boundaries.
LONG = oxwheel_patterns._core._DETACH_THRESHOLD * 5 // 2
RESET_BYTES = {Reset.NewlinesReset: b"\n", Reset.SpacesReset: b" ", Reset.NoReset: b"\n"}


@pytest.mark.parametrize("reset", [Reset.NewlinesReset, Reset.SpacesReset, Reset.NoReset])
def test_buffers_scanned_in_chunks_agree_with_bytes(reset: Reset) -> None:
    # Three segments, the last longer than two chunks.
    lengths = (1, 50, LONG // 2)
    data = RESET_BYTES[reset].join(b"ab" * length for length in lengths)
    checks = [("a", count) for count in (1, 51, LONG // 2, LONG // 2 + 1, sum(lengths))]
    checks += [(RESET_BYTES[reset].decode(), count) for count in (1, 2, 3)]
    for what, min_number in checks:
        counter = Counter(what, min_number, reset)
        expected = counter.has_count(data)
        assert counter.has_count(bytearray(data)) is expected, (what, min_number)
        assert counter.has_count(memoryview(b"x" + data)[1:]) is expected, (what, min_number)


def test_strided_buffers_longer_than_a_chunk() -> None:
    doubled = bytearray(b"a-" * LONG)
    assert Counter("a", LONG).has_count(memoryview(doubled)[::2])
    assert not Counter("a", LONG + 1).has_count(memoryview(doubled)[::2])


def test_ctypes_arrays_of_bytes_are_bytes_like() -> None:
    for item in (ctypes.c_char, ctypes.c_ubyte):
        assert Counter("a", 2).has_count((item * 4).from_buffer_copy(b"a-a-"))


def test_a_released_memoryview_is_a_value_error() -> None:
    view = memoryview(b"a")
    view.release()
    with pytest.raises(ValueError, match="released memoryview"):
        Counter("a", 1).has_count(view)


@pytest.mark.skipif(sys.version_info < (3, 12), reason="__buffer__ in Python is new in 3.12")
@pytest.mark.parametrize("raised", [KeyboardInterrupt, MemoryError, ZeroDivisionError])
def test_an_error_raised_by_the_exporter_propagates(raised: type[BaseException]) -> None:
    class Exporter:
        def __buffer__(self, flags: int) -> memoryview:
            raise raised("from __buffer__")

    with pytest.raises(raised, match="from __buffer__"):
        Counter("a", 1).has_count(Exporter())


def test_a_str_subclass_cannot_change_the_encoding_of_lone_surrogates() -> None:
    class Lying(str):
        def encode(self, encoding: str = "utf-8", errors: str = "strict") -> bytes:
            return b"aaaa"

    assert not Counter("a", 2).has_count(Lying("a\ud800"))
    assert Counter("a", 2).has_count(Lying("a\ud800a"))


# A bytearray far larger than the memory left: a copy of it could not be had (and PyO3's
# copy would abort), while a scan a chunk at a time needs no more than one chunk.
SCAN_UNDER_A_LIMIT = """
import resource
import oxwheel_patterns
data = bytearray(24 * 1024 * 1024)
data[-1:] = b"a"
size = next(line for line in open("/proc/self/status") if line.startswith("VmSize:"))
limit = (int(size.split()[1]) + 8 * 1024) * 1024
resource.setrlimit(resource.RLIMIT_AS, (limit, resource.RLIM_INFINITY))
try:
    bytes(len(data))
except MemoryError:
    print("no room for a copy")
print(oxwheel_patterns.Counter("a", 1).has_count(data))
"""


@linux_only()
def test_a_buffer_larger_than_the_memory_left_is_scanned() -> None:
    child = run_child(SCAN_UNDER_A_LIMIT)
    assert child.returncode == 0, child.stderr
    assert child.stdout.split("\n") == ["no room for a copy", "True", ""]


# --- Counter arguments -----------------------------------------------------------------------


class Index:
    def __init__(self, value: int) -> None:
        self.value = value

    def __index__(self) -> int:
        return self.value


@pytest.mark.parametrize(
    ("min_number", "error", "message"),
    [
        (Index(-1), ValueError, "min_number must be >= 0, got -1$"),
        (
            Index(2**64),
            OverflowError,
            "min_number must be below 2\\*\\*64, got 18446744073709551616$",
        ),
        (-(10**5000), ValueError, "min_number must be >= 0, got a negative int of 16610 bits$"),
        (10**5000, OverflowError, "min_number must be below 2\\*\\*64, got an int of 16610 bits$"),
    ],
    ids=["index -1", "index 2**64", "-10**5000", "10**5000"],
)
def test_min_number_errors_name_the_value(
    min_number: object, error: type[Exception], message: str
) -> None:
    with pytest.raises(error, match=message):
        Counter("a", min_number)  # type: ignore[arg-type]


def test_an_index_within_range_is_accepted() -> None:
    assert Counter("a", Index(3)).min_number == 3  # type: ignore[arg-type]


def test_reset_members_can_be_rebound_on_the_stable_abi() -> None:
    """A limit of PyO3: immutable types on the stable ABI only from Python 3.14 on."""
    original = Reset.SpacesReset
    try:
        Reset.SpacesReset = Reset.NewlinesReset  # type: ignore[misc]
        assert Reset.SpacesReset is Reset.NewlinesReset
    finally:
        Reset.SpacesReset = original  # type: ignore[misc]


# --- logging ---------------------------------------------------------------------------------


class Raises(logging.Filter):
    def __init__(self, error: BaseException) -> None:
        super().__init__()
        self.error = error

    def filter(self, record: logging.LogRecord) -> bool:
        raise self.error


@pytest.fixture
def handler() -> Iterator[logging.Handler]:
    """A handler on the package's logger, at INFO, removed afterwards."""
    logger = logging.getLogger(PACKAGE)
    # Not a NullHandler, which ignores its filters.
    handler = logging.Handler()
    handler.emit = lambda record: None  # type: ignore[method-assign]
    level = logger.level
    logger.addHandler(handler)
    logger.setLevel(logging.INFO)
    yield handler
    logger.removeHandler(handler)
    logger.setLevel(level)


@pytest.mark.parametrize(
    "log",
    [log_example, log_different_levels, lambda: log_from_threads(3)],
    ids=["one", "four", "threads"],
)
@pytest.mark.parametrize(
    "error", [ZeroDivisionError("in a filter"), KeyboardInterrupt("in a filter")]
)
def test_an_error_raised_by_a_handler_propagates(
    handler: logging.Handler, log: Callable[[], None], error: BaseException
) -> None:
    handler.addFilter(Raises(error))
    with pytest.raises(type(error), match="in a filter"):
        log()


# Python frames of the handler between Rust calls: a low recursion limit keeps the C stack of
# a debug build small.
REENTRANT_HANDLER = """
import logging, sys
import oxwheel_patterns
class Reenters(logging.Handler):
    def emit(self, record):
        oxwheel_patterns.log_example()
logger = logging.getLogger("oxwheel_patterns")
logger.addHandler(Reenters())
logger.setLevel(logging.INFO)
sys.setrecursionlimit(200)
try:
    oxwheel_patterns.log_example()
except RecursionError:
    print("RecursionError")
"""


def test_a_reentrant_handler_is_a_recursion_error() -> None:
    child = run_child(REENTRANT_HANDLER)
    assert child.returncode == 0, child.stderr
    assert child.stdout == "RecursionError\n"


# The caller holds the lock of the handler that its threads need: the wait answers Ctrl-C.
# Once released, the threads log their records. The child then ends with os._exit: before
# 3.14, a thread still finishing its record during finalization would be ended with
# pthread_exit, which aborts in Rust frames (see the daemon threads below).
BLOCKED_HANDLER = """
import _thread, logging, os, threading
import oxwheel_patterns
class Collects(logging.Handler):
    def __init__(self):
        super().__init__()
        self.messages = []
        self.both = threading.Event()
    def emit(self, record):
        self.messages.append(record.getMessage())
        if len(self.messages) == 2:
            self.both.set()
handler = Collects()
logger = logging.getLogger("oxwheel_patterns")
logger.addHandler(handler)
logger.setLevel(logging.INFO)
handler.acquire()
threading.Timer(0.1, _thread.interrupt_main).start()
try:
    oxwheel_patterns.log_from_threads(2)
except KeyboardInterrupt:
    print("KeyboardInterrupt")
handler.release()
print(handler.both.wait(10), sorted(handler.messages), flush=True)
os._exit(0)
"""


def test_waiting_for_blocked_logging_threads_answers_ctrl_c() -> None:
    child = run_child(BLOCKED_HANDLER)
    assert child.returncode == 0, child.stderr
    assert child.stdout.split("\n") == [
        "KeyboardInterrupt",
        "True ['hello from Rust thread 0', 'hello from Rust thread 1']",
        "",
    ]


# Daemon threads log through a handler whose write releases the GIL while the main thread
# exits. Before 3.14, CPython ends a thread that takes the GIL during finalization with
# pthread_exit, whose unwinding aborts when it reaches Rust frames (python/cpython#87135); from
# 3.14 on such a thread waits until the process ends.
DAEMON_THREADS_AT_EXIT = """
import logging, sys, threading, time
import oxwheel_patterns
logging.basicConfig(level=logging.INFO, stream=sys.stderr)
def log_forever():
    while True:
        oxwheel_patterns.log_example()
for _ in range(4):
    threading.Thread(target=log_forever, daemon=True).start()
time.sleep(0.05)
"""


@pytest.mark.skipif(
    sys.version_info < (3, 14),
    reason="CPython before 3.14 ends threads that take the GIL at exit with pthread_exit, "
    "which aborts in Rust frames (python/cpython#87135)",
)
def test_daemon_threads_logging_at_exit() -> None:
    for _ in range(3):
        child = run_child(DAEMON_THREADS_AT_EXIT)
        assert child.returncode == 0, child.stderr[-2000:]


# --- subinterpreters -------------------------------------------------------------------------

LEGACY_SUBINTERPRETER = """
import logging, sys
import oxwheel_patterns
try:
    import _interpreters as interpreters
    subinterpreter = interpreters.create(interpreters.new_config("legacy"))
    run = interpreters.exec
except ImportError:
    import _xxsubinterpreters as interpreters
    # 3.12 makes an isolated one by default; 3.11 knows no other than legacy ones.
    create = interpreters.create
    subinterpreter = create(isolated=False) if sys.version_info >= (3, 12) else create()
    run = interpreters.run_string
run(subinterpreter, '''
try:
    import oxwheel_patterns
except ImportError as error:
    print("ImportError:", error)
''')
logging.basicConfig(level=logging.INFO, format="%(message)s")
oxwheel_patterns.log_example()
interpreters.destroy(subinterpreter)
oxwheel_patterns.log_example()
logging.getLogger("plain").info("plain logging")
print(issubclass(oxwheel_patterns.NumberTooSmallError, ValueError))
"""


def test_a_legacy_subinterpreter_cannot_import_the_module() -> None:
    child = run_child(LEGACY_SUBINTERPRETER)
    if "No module named '_xxsubinterpreters'" in child.stderr:
        pytest.skip("this CPython has no low-level subinterpreter module")
    assert child.returncode == 0, child.stderr
    assert child.stdout.split("\n") == [
        f"ImportError: {PACKAGE} can be imported only in the main interpreter, not in a "
        "subinterpreter",
        "True",
        "",
    ]
    assert child.stderr.split("\n") == [
        "A log message from Rust!",
        "A log message from Rust!",
        "plain logging",
        "",
    ]
