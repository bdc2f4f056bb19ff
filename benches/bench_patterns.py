"""Rust against Python for the patterns of the installed package.

    tox -e bench                              # builds the release wheel, then runs this
    python benches/bench_patterns.py --size 64

Each time is the median of 7 repeats (timeit, in loops of at least 0.2 s); a speed-up is the
Python time divided by the Rust time on the same input. Standard library only.
"""

from __future__ import annotations

import argparse
import operator
import random
import statistics
import timeit
from collections.abc import Callable
from dataclasses import dataclass

from oxwheel_patterns import (
    Counter,
    Reset,
    add,
    get_fibonacci,
    list_sum,
)

MIB = 1024 * 1024
REPEAT = 7


@dataclass
class Row:
    case: str
    rust: float
    idiom: str
    python: float

    @property
    def speedup(self) -> float:
        return self.python / self.rust


def median_seconds(
    code: Callable[[], object] | str, namespace: dict[str, object] | None = None
) -> float:
    """Median seconds per run of `code`: a callable, or a statement run in `namespace`."""
    timer = timeit.Timer(code, globals=namespace)
    number, _ = timer.autorange()
    return statistics.median(timer.repeat(REPEAT, number)) / number


def per_call(statement: str, namespace: dict[str, object]) -> float:
    """Median seconds per run of a cheap statement, without the cost of timeit's loop."""
    return median_seconds(statement, namespace) - median_seconds("pass")


def duration(seconds: float) -> str:
    for unit, scale in (("s", 1.0), ("ms", 1e-3), ("µs", 1e-6)):
        if seconds >= scale:
            return f"{seconds / scale:.3g} {unit}"
    return f"{seconds * 1e9:.3g} ns"


def print_table(rows: list[Row]) -> None:
    width = max(len(row.case) for row in rows)
    print(f"{'case':<{width}}  {'Rust':>9}  {'Python idiom':<18} {'Python':>9}  speed-up")
    for row in rows:
        print(
            f"{row.case:<{width}}  {duration(row.rust):>9}  {row.idiom:<18} "
            f"{duration(row.python):>9}  {row.speedup:8.1f}x"
        )


# Each pattern's benchmark: a function of the size of the texts to scan that returns its rows.
PATTERNS: list[Callable[[int], list[Row]]] = []


def benchmark(rows: Callable[[int], list[Row]]) -> Callable[[int], list[Row]]:
    PATTERNS.append(rows)
    return rows


# Pattern: counter (src/counter.rs)
# The Greek small letters, alpha to omega.
GREEK = "".join(map(chr, range(0x3B1, 0x3CA)))


def lines_of(alphabet: str, size: int, seed: int = 1) -> str:
    """`size` characters of 80-character lines (79 drawn from `alphabet`, then a newline)."""
    rng = random.Random(seed)
    pool = ["".join(rng.choices(alphabet, k=79)) + "\n" for _ in range(997)]
    return "".join(pool * (size // (80 * len(pool)) + 1))[:size]


def english_like(size: int) -> str:
    """Lines of lowercase words without "x"."""
    return lines_of("abcdefghijklmnopqrstuvwyz      ", size)


def find_loop(text: str, what: str, min_number: int) -> bool:
    """`min_number` occurrences, found one str.find (memchr in CPython) at a time."""
    position = -1
    for _ in range(min_number):
        position = text.find(what, position + 1)
        if position < 0:
            return False
    return True


def split_count(text: str, what: str, min_number: int, separator: str) -> bool:
    """The fastest pure-Python idiom for a reset: split into segments, count in each."""
    return any(segment.count(what) >= min_number for segment in text.split(separator))


@benchmark
def counter_rows(size: int) -> list[Row]:
    """Counter.has_count against the Python idioms on `size`-character texts."""
    text = english_like(size - 1) + "x"
    dense = text.count("e")
    early = text[:500] + "x" + text[501:-1] + "."
    # Each line has a few "e"; one line at the end has more than any other.
    most = max(line.count("e") for line in text.split("\n")) + 1
    lines = text[: size - 81] + "\n" + "e" * most + "a" * (79 - most) + "\n"
    greek = lines_of(GREEK + "     ", size // 2 - 1) + "."
    omega = GREEK[-1]
    omegas = greek.count(omega)
    one_x, all_e, dot = Counter("x", 1), Counter("e", dense), Counter(".", 1)
    by_line, all_omegas = Counter("e", most, Reset.NewlinesReset), Counter(omega, omegas)
    full_scan = median_seconds(lambda: one_x.has_count(text))
    return [
        Row(
            "NoReset, full scan: 1 x, at the end",
            full_scan,
            "str.find",
            median_seconds(lambda: find_loop(text, "x", 1)),
        ),
        Row(
            "NoReset, full scan: 1 x, at the end",
            full_scan,
            "str.count",
            median_seconds(lambda: text.count("x") >= 1),
        ),
        Row(
            f"NoReset, full scan: all {dense:,} e",
            median_seconds(lambda: all_e.has_count(text)),
            "str.count",
            median_seconds(lambda: text.count("e") >= dense),
        ),
        Row(
            "NewlinesReset, 80-character lines",
            median_seconds(lambda: by_line.has_count(lines)),
            "split + count",
            median_seconds(lambda: split_count(lines, "e", most, "\n")),
        ),
        Row(
            "early exit: x in the first KiB",
            median_seconds(lambda: one_x.has_count(early)),
            "str.count",
            median_seconds(lambda: early.count("x") >= 1),
        ),
        Row(
            "Greek text, ASCII target at the end",
            median_seconds(lambda: dot.has_count(greek)),
            "str.count",
            median_seconds(lambda: greek.count(".") >= 1),
        ),
        Row(
            f"Greek text, all {omegas:,} {omega}",
            median_seconds(lambda: all_omegas.has_count(greek)),
            "str.count",
            median_seconds(lambda: greek.count(omega) >= omegas),
        ),
    ]


# Pattern: showcase (src/showcase.rs)
def python_sum(values: list[int]) -> int:
    """A plain Python loop."""
    total = 0
    for value in values:
        total += value
    return total


def python_fibonacci(number: int) -> int:
    """The same numbers in a Python loop."""
    if number == 1:
        return 1
    elif number == 2:
        return 2
    total = 0
    last = 0
    current = 1
    for _ in range(1, number):
        total = last + current
        last = current
        current = total
    return total


def python_add(a: int, b: int) -> int:
    return a + b


@benchmark
def showcase_rows(size: int) -> list[Row]:
    """Per-call costs, whatever the text size: conversions in and out dominate small functions."""
    names: dict[str, object] = {
        "add": add,
        "operator_add": operator.add,
        "python_add": python_add,
        "list_sum": list_sum,
        "python_sum": python_sum,
        "get_fibonacci": get_fibonacci,
        "python_fibonacci": python_fibonacci,
        "values": list(range(1, 3001)),
    }
    rust_add = per_call("add(1, 2)", names)
    rust_sum = per_call("list_sum(values)", names)
    return [
        Row("add(1, 2)", rust_add, "operator.add", per_call("operator_add(1, 2)", names)),
        Row("add(1, 2)", rust_add, "def: return a + b", per_call("python_add(1, 2)", names)),
        Row("list_sum of 3,000 ints", rust_sum, "for loop", per_call("python_sum(values)", names)),
        Row("list_sum of 3,000 ints", rust_sum, "sum", per_call("sum(values)", names)),
        Row(
            "get_fibonacci(150)",
            per_call("get_fibonacci(150)", names),
            "a Python loop",
            per_call("python_fibonacci(150)", names),
        ),
    ]


# End of the patterns.
def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--size", type=int, default=8, help="MiB of text to scan (default 8)")
    size = parser.parse_args().size * MIB
    measured = [row for pattern in PATTERNS for row in pattern(size)]
    if not measured:
        print("No pattern to measure: add one to PATTERNS, or delete benches/ (see the README).")
        return
    print_table(measured)


if __name__ == "__main__":
    main()
