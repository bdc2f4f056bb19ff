//! The Counter pattern: does a character appear at least `min_number` times in some segment of
//! the data, where segments end at newlines, at spaces, or never?
//!
//! Per character: reset first, then count, then compare. The scan works on the
//! UTF-8 bytes of a `str` (or the bytes of a bytes-like object): `memchr` finds segments, a
//! counting loop that the compiler vectorises counts inside them, and the scan stops as soon as
//! the answer is known. Nothing is allocated.

use memchr::{memchr, memchr2};
use pyo3::buffer::PyBuffer;
use pyo3::exceptions::{PyOverflowError, PyTypeError, PyValueError};
use pyo3::prelude::*;
use pyo3::types::{PyBytes, PyString, PyTuple, PyType};

/// Inputs at least this long are scanned with the GIL released, so other threads run meanwhile.
/// Measured with builds that never and always release it: releasing and re-taking the GIL costs about 100 ns a call, 75% of a 4 KiB scan, 21% of a
/// 32 KiB one and 2% of a 256 KiB one, while a shorter scan holds the GIL for 5 µs at most on the
/// fastest text (ASCII at about 50 GB/s from cache), far less than the 5 ms switch interval.
pub const DETACH_THRESHOLD: usize = 256 * 1024;

/// Counts are kept in `u8` lanes, which the compiler turns into SIMD compares and adds, for one
/// block of positions at a time, and the total is checked after each block, so an early hit ends
/// the scan within a block. At most 255 (the most a `u8` can count), and a multiple of the 64
/// bytes the vectorised loop takes per step: with 255, the last 63 positions of every block went
/// through the scalar remainder loop and the count ran at half the speed.
const COUNT_BLOCK: usize = 192;
const _: () = assert!(COUNT_BLOCK <= 255);

/// What resets the count.
#[pyclass(eq, hash, frozen, from_py_object, module = "{{module_name}}")]
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Reset {
    #[pyo3(name = "NewlinesReset")]
    Newlines,
    #[pyo3(name = "SpacesReset")]
    Spaces,
    #[pyo3(name = "NoReset")]
    Never,
}

impl Reset {
    /// The byte that ends a segment, if any (always ASCII, so it never occurs inside the UTF-8
    /// encoding of another character).
    fn byte(self) -> Option<u8> {
        match self {
            Reset::Newlines => Some(b'\n'),
            Reset::Spaces => Some(b' '),
            Reset::Never => None,
        }
    }

    fn python_name(self) -> &'static str {
        match self {
            Reset::Newlines => "NewlinesReset",
            Reset::Spaces => "SpacesReset",
            Reset::Never => "NoReset",
        }
    }
}

#[pymethods]
impl Reset {
    /// Pickles a member as `getattr(Reset, name)`, so unpickling returns that member.
    fn __reduce__<'py>(
        &self,
        py: Python<'py>,
    ) -> PyResult<(Bound<'py, PyAny>, Bound<'py, PyTuple>)> {
        let getattr = py.import("builtins")?.getattr("getattr")?;
        let arguments = (py.get_type::<Reset>(), self.python_name()).into_pyobject(py)?;
        Ok((getattr, arguments))
    }
}

/// True when some segment of `haystack` holds `what` at least `min_number` times.
///
/// `what` is the UTF-8 encoding of one character (one byte when `haystack` is raw bytes).
/// `haystack` is UTF-8, raw bytes, or UTF-8 with surrogates encoded as three bytes: in each case
/// an occurrence of `what` starts at a byte equal to `what[0]` and no encoded character contains
/// the encoding of another.
pub fn has_count_in(haystack: &[u8], what: &[u8], min_number: u64, reset: Reset) -> bool {
    if min_number == 0 {
        return true;
    }
    let Some(&lead) = what.first() else {
        return false;
    };
    match reset.byte() {
        // Counting the reset character itself: each one resets to zero, then counts one.
        Some(reset_byte) if what == [reset_byte] => {
            min_number == 1 && memchr(reset_byte, haystack).is_some()
        }
        // Jump to the next `what` or reset byte; from a `what`, count the rest of its segment in
        // bulk. Segments without `what` cost one search, long ones are counted at SIMD speed.
        Some(reset_byte) if min_number > 1 => {
            let mut position = 0;
            while let Some(found) = memchr2(lead, reset_byte, &haystack[position..]) {
                let start = position + found;
                let rest = &haystack[start..];
                let Some(length) = memchr(reset_byte, rest) else {
                    return reaches(rest, what, min_number);
                };
                if reaches(&rest[..length], what, min_number) {
                    return true;
                }
                position = start + length + 1;
            }
            false
        }
        // No reset, or a single occurrence, which is in some segment wherever it is.
        _ => reaches(haystack, what, min_number),
    }
}

/// True when `haystack` holds `what` at least `min_number` times.
fn reaches(haystack: &[u8], what: &[u8], min_number: u64) -> bool {
    // Too short to hold `min_number` encodings (usize -> u64 never truncates on the 32- and
    // 64-bit targets Rust supports for Python).
    if (haystack.len() as u64) < min_number.saturating_mul(what.len() as u64) {
        return false;
    }
    // Positions where an encoding can start.
    let starts = haystack.len() + 1 - what.len();
    let mut count = 0;
    let mut start = 0;
    while start < starts {
        let positions = (starts - start).min(COUNT_BLOCK);
        let found = count_block(&haystack[start..], what, positions);
        count += u64::from(found);
        if count >= min_number {
            return true;
        }
        start += positions;
        // After a block without `what`, jump to the next byte that may start it: memchr crosses
        // text where `what` is rare as fast as str.find does, faster than counting every byte.
        if found == 0 {
            match memchr(what[0], &haystack[start..]) {
                Some(offset) => start += offset,
                None => return false,
            }
        }
    }
    false
}

/// Occurrences of `what` (1 to 4 bytes) starting in the first `positions` (at most 255) bytes of
/// `haystack`, which holds at least `positions + what.len() - 1` bytes.
fn count_block(haystack: &[u8], what: &[u8], positions: usize) -> u8 {
    let matches = |count: u8, matched: bool| count + u8::from(matched);
    if let [byte] = *what {
        return haystack[..positions]
            .iter()
            .fold(0, |count, &b| matches(count, b == byte));
    }
    // Compare each position with the four bytes at offsets 0, 1, 2, 3 of a 4-byte `what`; a
    // shorter one repeats its last byte, so one loop serves every length.
    let last = what.len() - 1;
    let offsets = [0, 1, 2.min(last), 3.min(last)];
    let [a, b, c, d] = offsets.map(|offset| &haystack[offset..offset + positions]);
    let [wa, wb, wc, wd] = offsets.map(|offset| what[offset]);
    a.iter()
        .zip(b)
        .zip(c)
        .zip(d)
        .fold(0, |count, (((&a, &b), &c), &d)| {
            matches(count, (a == wa) & (b == wb) & (c == wc) & (d == wd))
        })
}

/// Does a character appear at least `min_number` times in some segment of the data?
///
/// Immutable, so one instance can be shared by any number of threads.
#[pyclass(eq, hash, frozen, module = "{{module_name}}")]
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct Counter {
    what: char,
    min_number: u64,
    reset: Reset,
}

#[pymethods]
impl Counter {
    #[new]
    #[pyo3(signature = (what, min_number, reset = Reset::Never))]
    fn new(what: &str, min_number: &Bound<'_, PyAny>, reset: Reset) -> PyResult<Self> {
        let mut chars = what.chars();
        let (Some(what), None) = (chars.next(), chars.next()) else {
            return Err(PyValueError::new_err(format!(
                "what must be exactly one character, got {} characters",
                what.chars().count()
            )));
        };
        Ok(Counter {
            what,
            min_number: min_number_from(min_number)?,
            reset,
        })
    }

    #[getter]
    fn what(&self) -> char {
        self.what
    }

    #[getter]
    fn min_number(&self) -> u64 {
        self.min_number
    }

    #[getter]
    fn reset(&self) -> Reset {
        self.reset
    }

    fn __repr__(&self, py: Python<'_>) -> PyResult<String> {
        let what = PyString::new(py, self.what.encode_utf8(&mut [0; 4])).repr()?;
        Ok(format!(
            "Counter({what}, {}, Reset.{})",
            self.min_number,
            self.reset.python_name()
        ))
    }

    fn __reduce__<'py>(slf: &Bound<'py, Self>) -> (Bound<'py, PyType>, (char, u64, Reset)) {
        let counter = slf.get();
        (
            slf.get_type(),
            (counter.what, counter.min_number, counter.reset),
        )
    }

    /// True when some segment of `data` contains `what` at least `min_number` times.
    ///
    /// `data` is a `str` (counted in code points) or a bytes-like object (counted in bytes,
    /// `what` must then be ASCII). `str` and `bytes` are scanned in place; other buffers are
    /// copied once first, because their owner may change them while the scan runs without the
    /// GIL.
    fn has_count(&self, data: &Bound<'_, PyAny>) -> PyResult<bool> {
        let py = data.py();
        let mut encoded = [0; 4];
        let what = self.what.encode_utf8(&mut encoded).as_bytes();

        if let Ok(text) = data.cast::<PyString>() {
            return match text.to_str() {
                Ok(text) => Ok(self.scan(py, text.as_bytes(), what)),
                // Lone surrogates have no UTF-8 form. Encoded with "surrogatepass" they become
                // three-byte sequences that no valid character's encoding matches, so the scan
                // of those bytes still gives the exact answer.
                Err(_) => {
                    let escaped = text.call_method1("encode", ("utf-8", "surrogatepass"))?;
                    Ok(self.scan(py, escaped.cast::<PyBytes>()?.as_bytes(), what))
                }
            };
        }

        // `bytes` is immutable and read in place; any other buffer is exported once and copied.
        if let Ok(bytes) = data.cast::<PyBytes>() {
            self.require_ascii_target()?;
            return Ok(self.scan(py, bytes.as_bytes(), what));
        }
        let buffer = PyBuffer::<u8>::get(data).map_err(|_| {
            let type_name = data
                .get_type()
                .name()
                .map_or_else(|_| "this type".to_owned(), |name| name.to_string());
            PyTypeError::new_err(format!(
                "has_count() expects str or a bytes-like object of bytes, not {type_name}"
            ))
        })?;
        self.require_ascii_target()?;
        let snapshot = buffer.to_vec(py)?;
        Ok(self.scan(py, &snapshot, what))
    }
}

impl Counter {
    /// Bytes are counted byte by byte, so only an ASCII `what` has a meaning there.
    fn require_ascii_target(&self) -> PyResult<()> {
        if self.what.is_ascii() {
            Ok(())
        } else {
            Err(PyValueError::new_err(format!(
                "cannot count the non-ASCII character {:?} in bytes: pass a str",
                self.what
            )))
        }
    }

    fn scan(&self, py: Python<'_>, haystack: &[u8], what: &[u8]) -> bool {
        let scan = || has_count_in(haystack, what, self.min_number, self.reset);
        if haystack.len() >= DETACH_THRESHOLD {
            py.detach(scan)
        } else {
            scan()
        }
    }
}

/// `min_number` is any Python int from 0 to 2**64 - 1.
fn min_number_from(value: &Bound<'_, PyAny>) -> PyResult<u64> {
    match value.extract::<u64>() {
        Ok(number) => Ok(number),
        Err(error) if error.is_instance_of::<PyOverflowError>(value.py()) => {
            if value.lt(0)? {
                Err(PyValueError::new_err(format!(
                    "min_number must be >= 0, got {value}"
                )))
            } else {
                Err(PyOverflowError::new_err(format!(
                    "min_number must be below 2**64, got {value}"
                )))
            }
        }
        Err(error) => Err(error),
    }
}

pub fn register(module: &Bound<'_, PyModule>) -> PyResult<()> {
    module.add_class::<Reset>()?;
    module.add_class::<Counter>()?;
    // For the tests and benchmarks, which must not restate it; setattr keeps it out of __all__.
    module.setattr("_DETACH_THRESHOLD", DETACH_THRESHOLD)?;
    Ok(())
}

/// The algorithm one character at a time: reset, then count, then compare. The reference
/// that the unit tests and the fuzz target (built with `--cfg fuzzing`) hold the fast paths to.
#[cfg(any(test, fuzzing))]
pub fn reference_algorithm(
    data: impl IntoIterator<Item = char>,
    what: char,
    min_number: u64,
    reset: Reset,
) -> bool {
    let reset = reset.byte().map(char::from);
    let mut count = 0;
    for c in data {
        if Some(c) == reset {
            count = 0;
        }
        if c == what {
            count += 1;
        }
        if count >= min_number {
            return true;
        }
    }
    min_number == 0
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn fast(data: &str, what: char, min_number: u64, reset: Reset) -> bool {
        has_count_in(
            data.as_bytes(),
            what.encode_utf8(&mut [0; 4]).as_bytes(),
            min_number,
            reset,
        )
    }

    #[test]
    fn readme_examples() {
        assert!(fast("hello-c-c-c-goodbye", 'c', 3, Reset::Newlines));
        assert!(!fast("hello-c-c-\nc-goodbye", 'c', 3, Reset::Newlines));
        assert!(fast("hello-c-c-\nc-goodbye", 'c', 3, Reset::Never));
        assert!(!fast("c c c", 'c', 2, Reset::Spaces));
    }

    #[test]
    fn zero_is_always_reached() {
        assert!(fast("", 'x', 0, Reset::Never));
        assert!(fast("", 'x', 0, Reset::Spaces));
    }

    #[test]
    fn counting_the_reset_character() {
        assert!(fast("a\nb", '\n', 1, Reset::Newlines));
        assert!(!fast("a\n\nb", '\n', 2, Reset::Newlines));
        assert!(fast("a\n\nb", '\n', 2, Reset::Never));
    }

    #[test]
    fn counts_across_block_boundaries() {
        let data = "x".repeat(COUNT_BLOCK * 3 + 7);
        assert!(fast(&data, 'x', (COUNT_BLOCK * 3 + 7) as u64, Reset::Never));
        assert!(!fast(
            &data,
            'x',
            (COUNT_BLOCK * 3 + 8) as u64,
            Reset::Never
        ));
    }

    #[test]
    fn multi_byte_characters_across_block_boundaries() {
        // One ASCII byte first, so that encodings straddle every block boundary.
        for what in ['α', '€', '😀'] {
            let data = format!("a{}", what.to_string().repeat(COUNT_BLOCK));
            let all = COUNT_BLOCK as u64;
            assert!(fast(&data, what, all, Reset::Never));
            assert!(!fast(&data, what, all + 1, Reset::Never));
            assert!(fast(&data, what, all, Reset::Newlines));
        }
    }

    #[test]
    fn segments_longer_than_a_block() {
        let line = format!("{}\n", "ab".repeat(COUNT_BLOCK));
        let data = line.repeat(3);
        let per_line = COUNT_BLOCK as u64;
        assert!(fast(&data, 'a', per_line, Reset::Newlines));
        assert!(!fast(&data, 'a', per_line + 1, Reset::Newlines));
        assert!(fast(&data, 'a', 3 * per_line, Reset::Never));
        assert!(fast(&data, 'a', 3 * per_line, Reset::Spaces));
    }

    #[test]
    fn segments_too_short_to_reach_are_skipped_correctly() {
        assert!(!fast("aa\naa\naa", 'a', 3, Reset::Newlines));
        assert!(fast("aa\naa\naaa", 'a', 3, Reset::Newlines));
        assert!(fast("αα αα ααα", 'α', 3, Reset::Spaces));
        assert!(!fast("αα αα αα", 'α', 3, Reset::Spaces));
    }

    #[test]
    fn non_ascii_characters_count_as_code_points() {
        assert!(fast("αβα γα", 'α', 3, Reset::Never));
        assert!(!fast("αβα γα", 'α', 3, Reset::Spaces));
        // 'β' and 'α' share their lead byte, '₭' and '€' two bytes, '😁' and '😀' three: only
        // whole characters count.
        assert!(!fast("ββ", 'α', 1, Reset::Never));
        assert!(!fast("₭₭", '€', 1, Reset::Never));
        assert!(!fast("😁😁", '😀', 1, Reset::Never));
    }

    fn any_reset() -> impl Strategy<Value = Reset> {
        prop_oneof![
            Just(Reset::Newlines),
            Just(Reset::Spaces),
            Just(Reset::Never)
        ]
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(4000))]

        #[test]
        fn matches_the_reference(
            data in "[ab \nαβ€₭😀😁]{0,64}",
            what in prop::sample::select(vec!['a', 'b', ' ', '\n', 'α', '€', '😀']),
            min_number in 0u64..6,
            reset in any_reset(),
        ) {
            prop_assert_eq!(fast(&data, what, min_number, reset), reference_algorithm(data.chars(), what, min_number, reset));
        }

        /// Inputs longer than several blocks, with counts that reach hundreds.
        #[test]
        fn long_inputs_match_the_reference(
            data in "[aα€₭😀😁 \n]{0,900}",
            what in prop::sample::select(vec!['a', 'α', '€', '😀']),
            min_number in 1u64..400,
            reset in any_reset(),
        ) {
            prop_assert_eq!(fast(&data, what, min_number, reset), reference_algorithm(data.chars(), what, min_number, reset));
        }

        /// Long stretches of near misses ('β' starts like 'α', '₭' like '€', '😁' like '😀')
        /// between the targets: blocks without `what` are crossed by memchr.
        #[test]
        fn sparse_inputs_match_the_reference(
            stretches in prop::collection::vec((0usize..500, prop::sample::select(vec!['a', 'α', '€', '😀', ' ', '\n'])), 0..8),
            filler in prop::sample::select(vec!['b', 'β', '₭', '😁']),
            what in prop::sample::select(vec!['a', 'α', '€', '😀']),
            min_number in 1u64..5,
            reset in any_reset(),
        ) {
            let data: String = stretches.iter().map(|&(length, c)| format!("{}{c}", filler.to_string().repeat(length))).collect();
            prop_assert_eq!(fast(&data, what, min_number, reset), reference_algorithm(data.chars(), what, min_number, reset));
        }

        #[test]
        fn raw_bytes_match_the_reference(
            data in prop::collection::vec(prop::sample::select(vec![b'a', b' ', b'\n', 0xff, 0xc3]), 0..64),
            what in prop::sample::select(vec![b'a', b' ', b'\n']),
            min_number in 0u64..6,
            reset in any_reset(),
        ) {
            let text: String = data.iter().map(|&b| char::from(b)).collect();
            prop_assert_eq!(
                has_count_in(&data, &[what], min_number, reset),
                reference_algorithm(text.chars(), char::from(what), min_number, reset)
            );
        }
    }
}
