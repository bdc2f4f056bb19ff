"""Counter and Reset: the counting pattern, with the behaviour the package promises."""

import array
import copy
import pickle
import threading

import pytest

from {{module_name}} import Counter, Reset

ALL_RESETS = [Reset.NewlinesReset, Reset.SpacesReset, Reset.NoReset]


def test_readme_examples() -> None:
    counter = Counter("c", 3, Reset.NewlinesReset)
    assert counter.has_count("hello-c-c-c-goodbye") is True
    assert counter.has_count("hello-c-c-\nc-goodbye") is False
    assert Counter("c", 3).has_count("hello-c-c-\nc-goodbye") is True


def test_spaces_reset_counts_per_word() -> None:
    assert Counter("o", 2, Reset.SpacesReset).has_count("foo bar") is True
    assert Counter("o", 2, Reset.SpacesReset).has_count("fo ob") is False


@pytest.mark.parametrize("data", ["", "x", "\n\n", b"", bytearray(b"zz")])
def test_zero_is_reached_by_any_input(data: str | bytes | bytearray) -> None:
    assert Counter("a", 0, Reset.NewlinesReset).has_count(data) is True


def test_non_ascii_is_counted_in_code_points() -> None:
    text = "καλημέρα κόσμε α"
    assert Counter("α", 3).has_count(text) is True
    assert Counter("α", 3, Reset.SpacesReset).has_count(text) is False
    # 'β' shares its first UTF-8 byte with 'α': only whole characters count.
    assert Counter("α", 1).has_count("βββ") is False
    assert Counter("😀", 2).has_count("😀x😀") is True


@pytest.mark.parametrize(("what", "near_miss"), [("α", "β"), ("€", "₭"), ("😀", "😁")])
def test_characters_sharing_leading_bytes_are_not_counted(what: str, near_miss: str) -> None:
    # The UTF-8 forms share 1, 2 and 3 leading bytes: only whole characters count.
    text = "x" + (near_miss + what) * 300
    assert Counter(what, 300).has_count(text) is True
    assert Counter(what, 301).has_count(text) is False
    assert Counter(what, 1).has_count(near_miss * 1000) is False


def test_non_ascii_target_in_bytes_is_refused() -> None:
    with pytest.raises(ValueError, match="non-ASCII"):
        Counter("é", 1).has_count(b"caf\xc3\xa9")


@pytest.mark.parametrize(
    "data",
    [b"a-a-a", bytearray(b"a-a-a"), memoryview(b"a-a-a"), memoryview(bytearray(b"xa-a-a"))[1:]],
)
def test_bytes_like_inputs(data: bytes | bytearray | memoryview) -> None:
    assert Counter("a", 3).has_count(data) is True
    assert Counter("a", 4).has_count(data) is False


def test_non_contiguous_memoryview() -> None:
    data = memoryview(b"axaxax")[::2]
    assert Counter("a", 3).has_count(data) is True


@pytest.mark.parametrize("data", [None, 3, 1.5, ["a"], array.array("q", [1]), object()])
def test_other_inputs_raise_type_error(data: object) -> None:
    with pytest.raises(TypeError):
        Counter("a", 1).has_count(data)  # type: ignore[arg-type]


def test_lone_surrogates_are_counted() -> None:
    text = "a\ud800a\udfffa"
    assert Counter("a", 3).has_count(text) is True
    assert Counter("a", 4).has_count(text) is False
    assert Counter("\ufffd", 1).has_count(text) is False


def test_long_inputs_and_early_exit() -> None:
    size = 4 * 1024 * 1024
    assert Counter("x", 1).has_count("x" + "a" * size) is True
    assert Counter("x", 2).has_count("x" + "a" * size + "x") is True
    assert Counter("x", 3).has_count("x" + "a" * size + "x") is False
    lines = ("ab" * 39 + "\n") * (size // 80)
    assert Counter("a", 39, Reset.NewlinesReset).has_count(lines) is True
    assert Counter("a", 40, Reset.NewlinesReset).has_count(lines) is False


@pytest.mark.parametrize("what", ["", "ab", "\ud800"])
def test_what_must_be_one_character(what: str) -> None:
    with pytest.raises(ValueError, match="character"):
        Counter(what, 1)


@pytest.mark.parametrize("what", [None, 1, b"a"])
def test_what_must_be_a_str(what: object) -> None:
    with pytest.raises(TypeError):
        Counter(what, 1)  # type: ignore[arg-type]


def test_min_number_validation() -> None:
    with pytest.raises(ValueError, match=">= 0"):
        Counter("a", -1)
    with pytest.raises(TypeError):
        Counter("a", 1.0)  # type: ignore[arg-type]
    with pytest.raises(TypeError):
        Counter("a", "1")  # type: ignore[arg-type]
    with pytest.raises(OverflowError):
        Counter("a", 2**64)
    assert Counter("a", 2**64 - 1).min_number == 2**64 - 1


def test_reset_must_be_a_reset() -> None:
    with pytest.raises(TypeError):
        Counter("a", 1, "NoReset")  # type: ignore[arg-type]


def test_attributes_are_read_only() -> None:
    counter = Counter("a", 2, Reset.SpacesReset)
    assert (counter.what, counter.min_number, counter.reset) == ("a", 2, Reset.SpacesReset)
    with pytest.raises(AttributeError):
        counter.what = "b"  # type: ignore[misc]
    with pytest.raises(AttributeError):
        counter.min_number = 3  # type: ignore[misc]


def test_repr_equality_and_hash() -> None:
    counter = Counter("\n", 2, Reset.SpacesReset)
    assert repr(counter) == "Counter('\\n', 2, Reset.SpacesReset)"
    assert counter == Counter("\n", 2, Reset.SpacesReset)
    assert counter != Counter("\n", 3, Reset.SpacesReset)
    assert len({counter, Counter("\n", 2, Reset.SpacesReset)}) == 1
    assert repr(Reset.NoReset) == "Reset.NoReset"
    assert Reset.NoReset == Reset.NoReset
    assert Reset.NoReset != Reset.SpacesReset
    assert len(set(ALL_RESETS + ALL_RESETS)) == 3


@pytest.mark.parametrize("protocol", range(pickle.HIGHEST_PROTOCOL + 1))
def test_pickle_round_trip(protocol: int) -> None:
    counter = Counter("é", 5, Reset.NewlinesReset)
    restored = pickle.loads(pickle.dumps(counter, protocol))
    assert restored == counter
    assert restored.has_count("éééé\né") is False
    for reset in ALL_RESETS:
        assert pickle.loads(pickle.dumps(reset, protocol)) == reset
    assert copy.deepcopy(counter) == counter


def test_shared_by_threads() -> None:
    counter = Counter("x", 1000, Reset.NewlinesReset)
    hit = ("x" * 1000 + "\n") * 200
    miss = ("x" * 999 + "\n") * 200
    results: list[bool] = []
    lock = threading.Lock()

    def work(data: str) -> None:
        outcome = counter.has_count(data)
        with lock:
            results.append(outcome == (data is hit))

    threads = [threading.Thread(target=work, args=(hit if i % 2 else miss,)) for i in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert results == [True] * 8
