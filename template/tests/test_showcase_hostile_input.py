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
import {{module_name}} as package
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
# 64 MiB: any larger allocation fails, as it would where memory runs out.
UNDER_A_LIMIT = """
import resource, sys
import {{module_name}} as package
SETUP
size = next(line for line in open("/proc/self/status") if line.startswith("VmSize:"))
limit = (int(size.split()[1]) + 64 * 1024) * 1024
resource.setrlimit(resource.RLIMIT_AS, (limit, resource.RLIM_INFINITY))
try:
    CALL
except MemoryError as error:
    print("MemoryError:", error, file=sys.__stdout__)
else:
    print("no error", file=sys.__stdout__)
"""

TOO_LARGE = {
    "repr": ("struct = package.RustStruct('x', b'\\x01' * 40_000_000)", "repr(struct)"),
    "word_printer": (
        "import io, sys; sys.stdout = io.StringIO(); word = 'x' * 200_000_000",
        "package.word_printer(word, 1, True, False)",
    ),
    "human_says_hi": (
        "text = '{\"name\": \"' + 'x' * 150_000_000 + '\", \"age\": 7}'",
        "package.human_says_hi(text)",
    ),
    "dict_printer": (
        "import io, sys; sys.stdout = io.StringIO(); value = 'v' * 100_000_000\n"
        "entries = {'a': value, 'b': value + 'b', 'c': value + 'c'}",
        "package.dict_printer(entries)",
    ),
}


@pytest.mark.skipif(sys.platform != "linux", reason="sets RLIMIT_AS, which Linux enforces")
@pytest.mark.parametrize(("setup", "call"), TOO_LARGE.values(), ids=TOO_LARGE.keys())
def test_text_larger_than_memory_is_a_memory_error(
    child_interpreter: ChildInterpreter, setup: str, call: str
) -> None:
    child = child_interpreter(UNDER_A_LIMIT.replace("SETUP", setup).replace("CALL", call))
    assert child.returncode == 0, child.stderr[-2000:]
    assert "MemoryError" in child.stdout
