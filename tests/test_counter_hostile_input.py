"""Counter under hostile input: buffers that misbehave or outgrow the memory left, arguments
whose __index__ lies, a Reset that would be rebound. Nothing may abort the interpreter; what
could runs in a child interpreter (conftest.py)."""

import ctypes
import subprocess
import sys
from collections.abc import Callable

import pytest

import oxwheel_patterns
from oxwheel_patterns import Counter, Reset

# conftest.py's child_interpreter fixture.
ChildInterpreter = Callable[[str], subprocess.CompletedProcess[str]]

LINUX_ONLY = pytest.mark.skipif(
    sys.platform != "linux", reason="sets RLIMIT_AS, which Linux enforces (not macOS)"
)


# --- buffers ---------------------------------------------------------------------------------

ZERO_DIMENSIONAL = {
    "c_char": lambda: ctypes.c_char(b"c"),
    "cast_to_no_shape": lambda: memoryview(b"c").cast("B", []),
}


@pytest.mark.parametrize("make", ZERO_DIMENSIONAL.values(), ids=ZERO_DIMENSIONAL.keys())
def test_a_zero_dimensional_buffer_is_its_one_byte(make: Callable[[], object]) -> None:
    data = make()
    assert bytes(data) == b"c"  # type: ignore[call-overload]
    assert Counter("c", 1).has_count(data) is True  # type: ignore[arg-type]
    assert Counter("c", 2).has_count(data) is False  # type: ignore[arg-type]


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


@LINUX_ONLY
def test_a_buffer_larger_than_the_memory_left_is_scanned(
    child_interpreter: ChildInterpreter,
) -> None:
    child = child_interpreter(SCAN_UNDER_A_LIMIT)
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
