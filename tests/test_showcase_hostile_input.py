"""The showcase under hostile input: every loop whose length follows its input answers Ctrl-C,
and text too large for memory raises MemoryError instead of aborting the interpreter. What
could hang or crash runs in a child interpreter with a timeout (conftest.py)."""

import subprocess
import sys
from collections.abc import Callable

import pytest

# conftest.py's child_interpreter fixture.
ChildInterpreter = Callable[[str], subprocess.CompletedProcess[str]]

# The child prints to an io.StringIO, whose write is C code: no Python code runs between two
# lines to deliver Ctrl-C, only the loop's own checks can. A timer signal plays the person:
# 50 ms into the call, once the loop has started, its handler raises KeyboardInterrupt as
# Python's handler of Ctrl-C does. A loop that never checks runs on to its end, or to the
# child's timeout.
INTERRUPT_A_LOOP = """
import io, signal, sys, time
import oxwheel_patterns as package
SETUP
sys.stdout = io.StringIO()


def ctrl_c(signum, frame):
    raise KeyboardInterrupt


signal.signal(signal.SIGALRM, ctrl_c)
pressed = time.monotonic() + 0.05
signal.setitimer(signal.ITIMER_REAL, 0.05)
try:
    CALL
except KeyboardInterrupt:
    print(f"interrupted {time.monotonic() - pressed:.3f} s after Ctrl-C", file=sys.__stdout__)
"""

LOOPS = {
    "word_printer": ("", "package.word_printer('x', 10**15, False, False)"),
    "printer": ("struct = package.RustStruct('x', bytes(30_000_000))", "struct.printer()"),
    "dict_printer": (
        "entries = {str(key): 'v' for key in range(6_000_000)}",
        "package.dict_printer(entries)",
    ),
}


@pytest.mark.skipif(sys.platform == "win32", reason="uses signal.setitimer, which Windows lacks")
@pytest.mark.parametrize(("setup", "call"), LOOPS.values(), ids=LOOPS.keys())
def test_long_loops_answer_ctrl_c(
    child_interpreter: ChildInterpreter, setup: str, call: str
) -> None:
    child = child_interpreter(INTERRUPT_A_LOOP.replace("SETUP", setup).replace("CALL", call))
    assert child.returncode == 0, child.stderr
    assert child.stdout.startswith("interrupted "), child.stdout
    # A generous bound: the loops check every 65,536 steps, a few milliseconds apart.
    assert float(child.stdout.split()[1]) < 2, child.stdout


# The inputs are made first, then the address space is limited to what the process uses plus
# HEADROOM bytes: any larger allocation fails, as it would where memory runs out. The call's
# MemoryError is left uncaught, so the child ends as Python does on any uncaught exception:
# its traceback on stderr, exit status 1. A panic, an abort or a hang ends otherwise.
UNDER_A_LIMIT = """
import io, resource, sys
import oxwheel_patterns as package
sys.stdout = io.StringIO()
text = "x" * TEXT
SETUP
size = next(line for line in open("/proc/self/status") if line.startswith("VmSize:"))
limit = int(size.split()[1]) * 1024 + HEADROOM
resource.setrlimit(resource.RLIMIT_AS, (limit, resource.RLIM_INFINITY))
CALL
"""

# Every call below makes a text of about TEXT bytes from `text` (or, for `vector`, a list of
# TEXT bytes of pointers). Just under 8 MiB, so that a string doubling its capacity as it grows
# ends at 8 MiB. Everything the setup makes stays referenced: memory freed before the limit
# is set could be reused without growing the address space.
TEXT = 8_000_000
# Half the text: the text itself cannot be made, in Rust or, where Rust only borrows the
# input, in Python.
NO_ROOM = TEXT // 2
# One and a half times: Rust's text fits, a Python str copied from it does not.
NO_ROOM_FOR_A_COPY = TEXT * 3 // 2

STRUCT = "struct = package.RustStruct(text, [])"
# `repr` writes about 3 bytes ("1, ") per item.
ITEMS = "items = b'\\x01' * (TEXT // 3); struct = package.RustStruct('', items)"
JSON = "human = '{\"name\": \"' + text + '\", \"age\": 7}'"

# id: (setup, call, headroom)
TOO_LARGE = {
    "repr": (ITEMS, "repr(struct)", NO_ROOM),
    "repr-copied": (ITEMS, "repr(struct)", NO_ROOM_FOR_A_COPY),
    "dict_printer": ("entries = {'a': text}", "package.dict_printer(entries)", NO_ROOM),
    "dict_printer-copied": (
        "entries = {'a': text}",
        "package.dict_printer(entries)",
        NO_ROOM_FOR_A_COPY,
    ),
    "word_printer": ("", "package.word_printer(text, 1, False, False)", NO_ROOM),
    "word_printer-reversed": ("", "package.word_printer(text, 1, True, False)", NO_ROOM),
    "word_printer-reversed-copied": (
        "",
        "package.word_printer(text, 1, True, False)",
        NO_ROOM_FOR_A_COPY,
    ),
    "human_says_hi": (JSON, "package.human_says_hi(human)", NO_ROOM),
    "greet_and_update": ("", "package.greet_and_update(text, [1])", NO_ROOM),
    "greet_and_update-copied": ("", "package.greet_and_update(text, [1])", NO_ROOM_FOR_A_COPY),
    "RustStruct": ("", "package.RustStruct(text, [])", NO_ROOM),
    "data-set": ("struct = package.RustStruct('', [])", "struct.data = text", NO_ROOM),
    "data-get": (STRUCT, "struct.data", NO_ROOM),
    "printer": (STRUCT, "struct.printer()", NO_ROOM),
    "vector": (
        "items = bytes(TEXT // 8); struct = package.RustStruct('', items)",
        "struct.vector",
        NO_ROOM,
    ),
}


@pytest.mark.skipif(sys.platform != "linux", reason="sets RLIMIT_AS, which Linux enforces")
@pytest.mark.parametrize(("setup", "call", "headroom"), TOO_LARGE.values(), ids=TOO_LARGE.keys())
def test_text_larger_than_memory_is_a_memory_error(
    child_interpreter: ChildInterpreter, setup: str, call: str, headroom: int
) -> None:
    script = UNDER_A_LIMIT.replace("SETUP", setup).replace("CALL", call)
    child = child_interpreter(script.replace("HEADROOM", str(headroom)).replace("TEXT", str(TEXT)))
    assert "panicked" not in child.stderr, child.stderr[-2000:]
    assert child.returncode == 1, child.stderr[-2000:]
    assert child.stderr.splitlines()[-1].startswith("MemoryError"), child.stderr[-2000:]
