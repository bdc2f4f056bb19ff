"""Logging under hostile handlers, daemon threads at exit and subinterpreters: errors reach the
caller unchanged, waits answer Ctrl-C, nothing aborts or turns into SystemError. What could
crash or hang runs in a child interpreter with a timeout (conftest.py)."""

import logging
import subprocess
import sys
from collections.abc import Callable, Iterator

import pytest

from oxwheel_patterns import log_different_levels, log_example, log_from_threads

# conftest.py's child_interpreter fixture.
ChildInterpreter = Callable[[str], subprocess.CompletedProcess[str]]
PACKAGE = "oxwheel_patterns"


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


def test_a_reentrant_handler_is_a_recursion_error(child_interpreter: ChildInterpreter) -> None:
    child = child_interpreter(REENTRANT_HANDLER)
    assert child.returncode == 0, child.stderr
    assert child.stdout == "RecursionError\n"


# The caller holds the lock of the handler that its threads need: the wait answers Ctrl-C.
# Once released, the threads log their records. The child then ends with os._exit: before
# 3.14, a thread still finishing its record during finalization would be ended with
# pthread_exit, which aborts in Rust frames (see the daemon threads below).
BLOCKED_HANDLER = """
import _thread, logging, os, signal, threading
# Python's own Ctrl-C handler, also where the parent ignores SIGINT (a background job).
signal.signal(signal.SIGINT, signal.default_int_handler)
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


def test_waiting_for_blocked_logging_threads_answers_ctrl_c(
    child_interpreter: ChildInterpreter,
) -> None:
    child = child_interpreter(BLOCKED_HANDLER)
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
def test_daemon_threads_logging_at_exit(child_interpreter: ChildInterpreter) -> None:
    for _ in range(3):
        child = child_interpreter(DAEMON_THREADS_AT_EXIT)
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
    # An isolated one is the default from 3.12 on; before, every one is a legacy one.
    create = interpreters.create
    subinterpreter = create(isolated=False) if sys.version_info >= (3, 12) else create()
    run = interpreters.run_string
run(subinterpreter, '''
try:
    import oxwheel_patterns
except ImportError as error:
    print("ImportError:", error)
''')
# The package bypassed: _core loaded by its path, as ExtensionFileLoader does.
bypass = '''
import importlib.machinery, importlib.util
name = "oxwheel_patterns._core"
loader = importlib.machinery.ExtensionFileLoader(name, PATH)
spec = importlib.util.spec_from_loader(name, loader)
try:
    loader.exec_module(importlib.util.module_from_spec(spec))
except ImportError as error:
    print("ImportError:", error)
'''
run(subinterpreter, bypass.replace("PATH", repr(oxwheel_patterns._core.__file__)))
logging.basicConfig(level=logging.INFO, format="%(message)s")
oxwheel_patterns.log_example()
interpreters.destroy(subinterpreter)
oxwheel_patterns.log_example()
logging.getLogger("plain").info("plain logging")
print(issubclass(oxwheel_patterns.NumberTooSmallError, ValueError))
"""


def test_a_legacy_subinterpreter_cannot_import_the_module(
    child_interpreter: ChildInterpreter,
) -> None:
    child = child_interpreter(LEGACY_SUBINTERPRETER)
    if "No module named '_xxsubinterpreters'" in child.stderr:
        pytest.skip("this CPython has no low-level subinterpreter module")
    assert child.returncode == 0, child.stderr
    refused = f"ImportError: {PACKAGE} can be imported only in the main interpreter, not in a "
    assert child.stdout.split("\n") == [f"{refused}subinterpreter"] * 2 + ["True", ""]
    assert child.stderr.split("\n") == [
        "A log message from Rust!",
        "A log message from Rust!",
        "plain logging",
        "",
    ]
