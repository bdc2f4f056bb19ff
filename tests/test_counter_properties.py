"""Counter.has_count against a pure-Python reference: chosen cases, then random inputs
(hypothesis).

The cases of the hypothesis profile (tests/conftest.py) are shared out: text, text with lone
surrogates, bytes-like objects, and inputs long enough to be scanned without the GIL, the last
few since each one is long.
"""

from collections.abc import Iterable

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from oxwheel_patterns import Counter, Reset
from oxwheel_patterns._core import _DETACH_THRESHOLD


def examples(share: float) -> int:
    """`share` of the cases the loaded hypothesis profile tries."""
    profile = settings.default
    assert profile is not None, "tests/conftest.py loads a profile"
    return max(1, round(profile.max_examples * share))


RESET_CHARACTERS = {Reset.NewlinesReset: "\n", Reset.SpacesReset: " ", Reset.NoReset: None}


def reference_algorithm(data: Iterable[str], what: str, min_number: int, reset: Reset) -> bool:
    """The algorithm one character at a time: reset, then count, then compare."""
    count = 0
    for char in data:
        if char == RESET_CHARACTERS[reset]:
            count = 0
        if char == what:
            count += 1
        if count >= min_number:
            return True
    return min_number == 0


ALL_RESETS = [Reset.NewlinesReset, Reset.SpacesReset, Reset.NoReset]


@pytest.mark.parametrize("reset", ALL_RESETS)
@pytest.mark.parametrize(
    "data",
    ["", "a", "aa a\na", "a a a", "a\na\na", " \n \n", "bbb", "a" * 10 + "\n" + "a" * 2],
)
@pytest.mark.parametrize("what", ["a", " ", "\n", "b"])
@pytest.mark.parametrize("min_number", [0, 1, 2, 3, 10])
def test_matches_the_reference(data: str, what: str, min_number: int, reset: Reset) -> None:
    expected = reference_algorithm(data, what, min_number, reset)
    counter = Counter(what, min_number, reset)
    assert counter.has_count(data) is expected
    assert counter.has_count(data.encode()) is expected


@pytest.mark.parametrize("reset", ALL_RESETS)
@pytest.mark.parametrize("what", ["a", "é", "€", "😀"])
def test_segments_longer_than_a_counting_block(what: str, reset: Reset) -> None:
    # Counts are gathered 192 positions at a time: lines of 700 characters span several blocks.
    lines = ("b" + what * 349 + "\n") * 3 + " " + what * 10
    for min_number in [1, 10, 349, 350, 1057, 1058]:
        expected = reference_algorithm(lines, what, min_number, reset)
        assert Counter(what, min_number, reset).has_count(lines) is expected


resets = st.sampled_from(ALL_RESETS)
# Small counts decide most cases; 2**64 - 1, the largest, is never reached.
min_numbers = st.sampled_from([0, 1, 2, 3, 4, 5, 6, 2**64 - 1])
ASCII = [" ", "\n", "a", "\x00", "\x7f"]
# Any character but a lone surrogate (Counter refuses those as targets), often a reset character
# or one whose UTF-8 form shares a lead byte with another ("α", "β") or takes 4 bytes.
NEAR_MISSES = ["é", "α", "β", "€", "😀", "😁"]
characters = st.sampled_from(ASCII + NEAR_MISSES) | st.characters(codec="utf-8")
# "\ud83d\ude00" is two lone surrogates in a str, not "😀": each counts as itself.
surrogates = st.characters(min_codepoint=0xD800, max_codepoint=0xDFFF) | st.just("\ud83d\ude00")


@st.composite
def cases(
    draw: st.DrawFn,
    targets: st.SearchStrategy[str],
    others: st.SearchStrategy[str],
    min_size: int = 0,
) -> tuple[str, str]:
    """A target and a text in which the target and the reset characters are frequent."""
    what = draw(targets)
    alphabet = st.just(what) | st.sampled_from([" ", "\n"]) | others
    # st.text would merge the alphabet into one uniform range of code points.
    return what, "".join(draw(st.lists(alphabet, min_size=min_size, max_size=40)))


@settings(max_examples=examples(0.45))
@given(cases(characters, characters), min_numbers, resets)
def test_text(case: tuple[str, str], min_number: int, reset: Reset) -> None:
    what, text = case
    expected = reference_algorithm(text, what, min_number, reset)
    assert Counter(what, min_number, reset).has_count(text) is expected


@settings(max_examples=examples(0.2))
@given(cases(characters, characters | surrogates), min_numbers, resets)
def test_text_with_lone_surrogates(case: tuple[str, str], min_number: int, reset: Reset) -> None:
    what, text = case
    expected = reference_algorithm(text, what, min_number, reset)
    assert Counter(what, min_number, reset).has_count(text) is expected


def bytes_like(raw: bytes, kind: str) -> bytes | bytearray | memoryview:
    if kind == "bytes":
        return raw
    if kind == "bytearray":
        return bytearray(raw)
    if kind == "memoryview":
        return memoryview(raw)
    # Every other byte of a buffer twice as long: a non-contiguous view.
    doubled = bytearray(b"\xff" * 2 * len(raw))
    doubled[::2] = raw
    return memoryview(doubled)[::2]


# Bytes are counted one by one, whatever their UTF-8 meaning ("\xc3\xa9" is "é").
latin_1 = st.sampled_from(["\xc3", "\xa9"]) | st.characters(codec="latin-1")


@settings(max_examples=examples(0.3))
@given(
    cases(st.sampled_from(ASCII), latin_1),
    min_numbers,
    resets,
    st.sampled_from(["bytes", "bytearray", "memoryview", "strided memoryview"]),
)
def test_bytes_like(case: tuple[str, str], min_number: int, reset: Reset, kind: str) -> None:
    what, text = case
    raw = text.encode("latin-1")
    expected = reference_algorithm(map(chr, raw), what, min_number, reset)
    assert Counter(what, min_number, reset).has_count(bytes_like(raw, kind)) is expected


@settings(max_examples=examples(0.05))
@given(cases(characters, characters, min_size=1), st.integers(0, 40), st.integers(0, 3000), resets)
def test_inputs_scanned_without_the_gil(
    case: tuple[str, str], cut: int, min_number: int, reset: Reset
) -> None:
    # A segment repeated past the threshold, the last time cut short: counts reach thousands.
    what, segment = case
    text = segment * (_DETACH_THRESHOLD // len(segment) + 1) + segment[:cut]
    expected = reference_algorithm(text, what, min_number, reset)
    assert Counter(what, min_number, reset).has_count(text) is expected
