"""The showcase under hostile input: every loop whose length follows its input answers Ctrl-C,
and text too large for memory raises MemoryError instead of aborting the interpreter. What
could hang or crash runs in a child interpreter with a timeout (conftest.py)."""

import subprocess
import sys
import sysconfig
from collections.abc import Callable

import pytest

# Seconds in all, a child interpreter per case: `pytest --slow` runs them, as tox and CI do.
pytestmark = pytest.mark.slow

# conftest.py's child_interpreter fixture.
ChildInterpreter = Callable[[str], subprocess.CompletedProcess[str]]

# The child prints to an io.StringIO, whose write is C code: no Python code runs between two
# lines to deliver Ctrl-C, only the loop's own checks can. A timer signal plays the person:
# 50 ms into the call, once the loop has started, its handler raises KeyboardInterrupt as
# Python's handler of Ctrl-C does. A loop that never checks prints every line, and Python runs
# the handler as the call returns, still inside the `try`: only the lines printed tell the two
# apart.
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
    seconds = time.monotonic() - pressed
    printed = sys.stdout.getvalue().count("\\n")
    print(f"interrupted {seconds:.3f} s after Ctrl-C, {printed} lines printed", file=sys.__stdout__)
"""

# Lines each loop prints uninterrupted: a release build prints one in half a microsecond or
# more, so 500,000 keep it printing for several times the 50 ms before Ctrl-C and the 65,536
# lines up to the next check, while the input is made in a fraction of a second.
LINES = 500_000
LOOPS = {
    "word_printer": ("", f"package.word_printer('x', {LINES}, False, False)"),
    "printer": (f"struct = package.RustStruct('x', bytes({LINES}))", "struct.printer()"),
    "dict_printer": (
        f"entries = dict.fromkeys(map(str, range({LINES})), 'v')",
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
    seconds, printed = child.stdout.split()[1], child.stdout.split()[5]
    assert int(printed) < LINES, child.stdout
    # A generous bound: the loops check every 65,536 steps, a few milliseconds apart.
    assert float(seconds) < 2, child.stdout


# The inputs are made first, then the address space is limited to what the process uses plus
# HEADROOM bytes: any larger allocation fails, as it would where memory runs out. The call's
# MemoryError is left uncaught, so the child ends as Python does on any uncaught exception:
# its traceback on stderr, exit status 1. A panic, an abort or a hang ends otherwise.
UNDER_A_LIMIT = """
import io, resource, sys
import {{module_name}} as package
sys.stdout = io.StringIO()
text = "x" * TEXT
SETUP
size = next(line for line in open("/proc/self/status") if line.startswith("VmSize:"))
limit = int(size.split()[1]) * 1024 + HEADROOM
resource.setrlimit(resource.RLIMIT_AS, (limit, resource.RLIM_INFINITY))
CALL
"""

# Every call below makes a text of TEXT bytes or more from `text` (or, for `vector`, a list of
# TEXT bytes of pointers): large beside what the interpreter itself may allocate meanwhile,
# quick to make. Everything the setup makes stays referenced: memory freed before the limit is
# set could be reused without growing the address space.
TEXT = 8_000_000
# Half the text: the call cannot make its text at all.
HALF = TEXT // 2
# Room for the text in Rust, but not for a Python str copied from it besides.
ONCE = TEXT * 3 // 2
# The same for a text that grew after its last large piece, doubling its capacity to 2 x TEXT.
ONCE_GROWN = TEXT * 5 // 2

# Where the call runs out of memory: making its text in Rust (the showcase's MemoryError, with
# what it could not make), or copying a text into a Python str (Python's own, bare MemoryError).
IN_RUST = "MemoryError: no memory for "
IN_PYTHON = "MemoryError"

STRUCT = "struct = package.RustStruct(text, [])"
JSON = """human = '{"name": "' + text + '", "age": 7}'"""
PRINT_DICT = ("entries = {'a': text}", "package.dict_printer(entries)")
GREET = ("", "package.greet_and_update(text, [1])")

# Python's copy meets the limit where large objects come from the C library's allocator, as in
# CPython with the GIL; free-threaded CPython's mimalloc takes them from address space it
# reserved before the limit was set.
PYTHON_COPY_IS_LIMITED = pytest.mark.skipif(
    sys.implementation.name != "cpython" or bool(sysconfig.get_config_var("Py_GIL_DISABLED")),
    reason="needs CPython with the GIL, whose large objects come from the C allocator",
)

# id: (setup, call, headroom, where it runs out)
TOO_LARGE = {
    "repr": (STRUCT, "repr(struct)", HALF, IN_RUST),
    "repr-copied": (STRUCT, "repr(struct)", ONCE_GROWN, IN_PYTHON),
    "dict_printer": (*PRINT_DICT, HALF, IN_RUST),
    "dict_printer-copied": (*PRINT_DICT, ONCE, IN_PYTHON),
    "word_printer": ("", "package.word_printer(text, 1, False, False)", HALF, IN_PYTHON),
    "word_printer-reversed": ("", "package.word_printer(text, 1, True, False)", HALF, IN_RUST),
    "human_says_hi": (JSON, "package.human_says_hi(human)", HALF, IN_RUST),
    "greet_and_update": (*GREET, HALF, IN_RUST),
    "greet_and_update-copied": (*GREET, ONCE_GROWN, IN_PYTHON),
    "RustStruct": ("", "package.RustStruct(text, [])", HALF, IN_RUST),
    "data-set": ("struct = package.RustStruct('', [])", "struct.data = text", HALF, IN_RUST),
    "data-get": (STRUCT, "struct.data", HALF, IN_PYTHON),
    "printer": (STRUCT, "struct.printer()", HALF, IN_PYTHON),
    "vector": (
        "items = bytes(TEXT // 8); struct = package.RustStruct('', items)",
        "struct.vector",
        HALF,
        IN_PYTHON,
    ),
}


@pytest.mark.skipif(sys.platform != "linux", reason="sets RLIMIT_AS, which Linux enforces")
@pytest.mark.parametrize(
    ("setup", "call", "headroom", "runs_out"),
    [
        pytest.param(*case, id=name, marks=[PYTHON_COPY_IS_LIMITED] if case[3] == IN_PYTHON else [])
        for name, case in TOO_LARGE.items()
    ],
)
def test_text_larger_than_memory_is_a_memory_error(
    child_interpreter: ChildInterpreter, setup: str, call: str, headroom: int, runs_out: str
) -> None:
    script = UNDER_A_LIMIT.replace("SETUP", setup).replace("CALL", call)
    child = child_interpreter(script.replace("HEADROOM", str(headroom)).replace("TEXT", str(TEXT)))
    assert "panicked" not in child.stderr, child.stderr[-2000:]
    assert child.returncode == 1, child.stderr[-2000:]
    last_line = child.stderr.splitlines()[-1]
    if runs_out == IN_RUST:
        assert last_line.startswith(IN_RUST), child.stderr[-2000:]
    else:
        assert last_line == IN_PYTHON, child.stderr[-2000:]


# JSON whose error serde_json would quote, or whose strings it copies: a string of TEXT bytes
# where the age, or the whole human, should be (its message would hold the text, twice TEXT as
# serde's String grows), and strings with escapes, which serde_json copies into a scratch buffer
# that grows by doubling. Short of room for the worst of that, the call raises the showcase's
# MemoryError before parsing; with room, the error quotes no input at all.
ESCAPED = "('x' * 999 + '\\\\n') * (TEXT // 1000)"
WRONG_TYPES = {
    "age-a-string": """human = '{"name": "a", "age": "' + text + '"}'""",
    "human-a-string": """human = '"' + text + '"'""",
    "age-escaped": """human = '{"name": "a", "age": "' + """ + ESCAPED + """ + '"}'""",
    "name-escaped": """human = '{"name": "' + """ + ESCAPED + """ + '"}'""",
    "key-escaped": """human = '{"' + """ + ESCAPED + """ + '": 1, "name": "a"}'""",
}
# id: (headroom, how the call ends)
ROOM = {
    "short-of-a-message": (ONCE, IN_RUST),
    "short-of-a-grown-message": (ONCE_GROWN, IN_RUST),
    "room-for-the-parse": (TEXT * 6, "ValueError: invalid human JSON: "),
}


@pytest.mark.skipif(sys.platform != "linux", reason="sets RLIMIT_AS, which Linux enforces")
@pytest.mark.parametrize(("headroom", "ends"), ROOM.values(), ids=ROOM.keys())
@pytest.mark.parametrize("setup", WRONG_TYPES.values(), ids=WRONG_TYPES.keys())
def test_large_json_ends_with_a_short_error(
    child_interpreter: ChildInterpreter, setup: str, headroom: int, ends: str
) -> None:
    script = UNDER_A_LIMIT.replace("SETUP", setup).replace("CALL", "package.human_says_hi(human)")
    child = child_interpreter(script.replace("HEADROOM", str(headroom)).replace("TEXT", str(TEXT)))
    assert "panicked" not in child.stderr, child.stderr[-2000:]
    assert child.returncode == 1, child.stderr[-2000:]
    last_line = child.stderr.splitlines()[-1]
    assert last_line.startswith(ends), last_line[:200]
    assert len(last_line) < 200, last_line[:200]
