//! The Counter pattern: does a character appear at least `min_number` times in some segment of
//! the data, where segments end at newlines, at spaces, or never?
//!
//! Per character: reset first, then count, then compare. The scan works on the
//! UTF-8 bytes of a `str` (or the bytes of a bytes-like object): `memchr` finds segments, a
//! counting loop that the compiler vectorises counts inside them, and the scan stops as soon as
//! the answer is known. `str` and `bytes` are scanned in place; other buffers, which their
//! owner may change meanwhile, are copied and scanned a chunk at a time.

use memchr::{memchr, memchr2, memrchr};
use pyo3::buffer::PyUntypedBuffer;
use pyo3::exceptions::{PyOverflowError, PyTypeError, PyValueError};
use pyo3::prelude::*;
use pyo3::sync::critical_section::with_critical_section;
use pyo3::types::{PyBytes, PyMemoryView, PyString, PyTuple, PyType};

/// Inputs at least this long are scanned with the GIL released, so other threads run meanwhile;
/// buffers other than `bytes` are copied and scanned in chunks of this length.
/// Measured with builds that never and always release it: releasing and re-taking the GIL costs
/// about 100 ns a call, 75% of a 4 KiB scan, 21% of a
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
// Not an immutable type: PyO3 makes those on the stable ABI only from Python 3.14 on, so
// `Reset.SpacesReset = Reset.NewlinesReset` is possible here (the README says so).
#[pyclass(eq, hash, frozen, from_py_object, module = "oxwheel_patterns")]
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
#[pyclass(eq, hash, frozen, module = "oxwheel_patterns")]
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
    /// `data` is a `str` (counted in code points) or a bytes-like object of bytes (counted in
    /// bytes, `what` must then be ASCII). `str` and `bytes` are immutable and scanned in place;
    /// any other buffer may change while it is read, so it is copied a chunk at a time.
    fn has_count(&self, data: &Bound<'_, PyAny>) -> PyResult<bool> {
        let py = data.py();
        let mut encoded = [0; 4];
        let what = self.what.encode_utf8(&mut encoded).as_bytes();

        if let Ok(text) = data.cast::<PyString>() {
            return match text.to_str() {
                Ok(text) => Ok(self.scan(py, text.as_bytes(), what)),
                // Lone surrogates have no UTF-8 form. Encoded with "surrogatepass" they become
                // three-byte sequences that no valid character's encoding matches, so the scan
                // of those bytes still gives the exact answer. `str.encode` itself: a subclass
                // may override `encode`.
                Err(_) => {
                    let escaped = py
                        .get_type::<PyString>()
                        .call_method1("encode", (text, "utf-8", "surrogatepass"))?;
                    Ok(self.scan(py, escaped.cast::<PyBytes>()?.as_bytes(), what))
                }
            };
        }

        if let Ok(bytes) = data.cast::<PyBytes>() {
            self.require_ascii_target()?;
            return Ok(self.scan(py, bytes.as_bytes(), what));
        }
        let buffer = byte_buffer(data)?;
        self.require_ascii_target()?;
        self.scan_in_chunks(data, &buffer, what[0])
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

    /// Scans the buffer of `data`, which its owner may change meanwhile: each chunk is copied
    /// while attached to the interpreter and, on free-threaded CPython, inside a critical section
    /// on `data` (what a `bytearray`'s own methods hold while they change it), then scanned
    /// detached when it is long enough. Memory stays at one chunk whatever the input (a copy of
    /// the whole buffer would double it, and could fail), and Ctrl-C is answered between chunks.
    fn scan_in_chunks(
        &self,
        data: &Bound<'_, PyAny>,
        buffer: &PyUntypedBuffer,
        what: u8,
    ) -> PyResult<bool> {
        let py = data.py();
        let mut state = ChunkedScan {
            what,
            min_number: self.min_number,
            reset: self.reset,
            count: 0,
        };
        if state.min_number == 0 {
            return Ok(true);
        }
        let length = buffer.len_bytes();
        let mut chunk = vec![0; length.min(DETACH_THRESHOLD)];
        let mut start = 0;
        while start < length {
            let end = length.min(start + chunk.len());
            let chunk = &mut chunk[..end - start];
            with_critical_section(data, || copy_out(py, buffer, start, chunk));
            let reached = if chunk.len() >= DETACH_THRESHOLD {
                py.detach(|| state.feed(chunk))
            } else {
                state.feed(chunk)
            };
            if reached {
                return Ok(true);
            }
            start = end;
            if start < length {
                py.check_signals()?;
            }
        }
        Ok(false)
    }
}

/// The buffer of `data` when it holds bytes: items of one byte in the `B` or `c` format (with
/// any byte-order prefix, as ctypes writes them). An error raised by the exporter (a
/// `__buffer__` method, a released memoryview) propagates unchanged.
fn byte_buffer(data: &Bound<'_, PyAny>) -> PyResult<PyUntypedBuffer> {
    let refuse = |detail: String| {
        let type_name = data
            .get_type()
            .name()
            .map_or_else(|_| "this type".to_owned(), |name| name.to_string());
        PyTypeError::new_err(format!(
            "has_count() expects str or a bytes-like object of bytes, not {type_name}{detail}"
        ))
    };
    // SAFETY: `data` is a valid object, and PyObject_CheckBuffer only reads its type.
    if unsafe { pyo3::ffi::PyObject_CheckBuffer(data.as_ptr()) } == 0 {
        return Err(refuse(String::new()));
    }
    // Through a memoryview, which fills in the strides that some exporters (ctypes) leave out
    // and PyO3 requires; a zero-dimensional one (`ctypes.c_char(b"a")`) becomes the one
    // dimension of its bytes, as bytes() reads it, since PyO3 wants a shape.
    let mut view = PyMemoryView::from(data)?.into_any();
    if view.getattr("ndim")?.extract::<usize>()? == 0 {
        let format: String = view.getattr("format")?.extract()?;
        let item = format.trim_start_matches(['@', '=', '<', '>', '!']);
        if view.getattr("itemsize")?.extract::<usize>()? != 1 || !matches!(item, "B" | "c") {
            return Err(refuse(format!(" with items of format {format:?}")));
        }
        view = view.call_method1("cast", ("B",))?;
    }
    let buffer = PyUntypedBuffer::get(&view)?;
    let format = buffer.format().to_bytes();
    let item = match format.first() {
        Some(b'@' | b'=' | b'<' | b'>' | b'!') => &format[1..],
        _ => format,
    };
    if buffer.item_size() == 1 && matches!(item, b"B" | b"c") {
        Ok(buffer)
    } else {
        Err(refuse(format!(
            " with items of format {:?}",
            String::from_utf8_lossy(format)
        )))
    }
}

/// Copies the bytes `start..start + target.len()` of `buffer`, in C order, into `target`. The
/// export keeps the memory alive and its size fixed; the `Python` token says the caller is
/// attached, as CPython's own readers of a buffer are.
fn copy_out(_py: Python<'_>, buffer: &PyUntypedBuffer, start: usize, target: &mut [u8]) {
    if buffer.is_c_contiguous() {
        // SAFETY: a C-contiguous buffer is `len_bytes()` bytes from `buf_ptr()`, the export keeps
        // them alive, and `start + target.len() <= len_bytes()`.
        unsafe {
            std::ptr::copy_nonoverlapping(
                buffer.buf_ptr().cast::<u8>().add(start),
                target.as_mut_ptr(),
                target.len(),
            );
        }
        return;
    }
    // Strided (a memoryview slice with a step) or indirect: one item at a time, its index in
    // each dimension found from its position in C order.
    let mut indices = vec![0; buffer.dimensions()];
    for (offset, byte) in target.iter_mut().enumerate() {
        let mut position = start + offset;
        for (index, &extent) in indices.iter_mut().zip(buffer.shape()).rev() {
            *index = position % extent;
            position /= extent;
        }
        // SAFETY: every index is below its dimension's extent, so get_ptr gives the address of
        // one item of the buffer, which the export keeps alive.
        *byte = unsafe { *buffer.get_ptr(&indices).cast::<u8>() };
    }
}

/// The algorithm over bytes that arrive in chunks: the count of the segment that is
/// still open carries from one chunk to the next.
struct ChunkedScan {
    what: u8,
    min_number: u64,
    reset: Reset,
    count: u64,
}

impl ChunkedScan {
    /// True once some segment reached `min_number` (at least 1).
    fn feed(&mut self, chunk: &[u8]) -> bool {
        let Some(reset_byte) = self.reset.byte() else {
            return self.count_into_open_segment(chunk);
        };
        let Some(first_reset) = memchr(reset_byte, chunk) else {
            return self.count_into_open_segment(chunk);
        };
        if self.count_into_open_segment(&chunk[..first_reset]) {
            return true;
        }
        // The segments that start in this chunk, each from its reset byte.
        let from_first_reset = &chunk[first_reset..];
        if has_count_in(from_first_reset, &[self.what], self.min_number, self.reset) {
            return true;
        }
        let last_reset = memrchr(reset_byte, from_first_reset).unwrap_or(0);
        self.count = count_up_to(&from_first_reset[last_reset..], self.what, self.min_number);
        false
    }

    fn count_into_open_segment(&mut self, bytes: &[u8]) -> bool {
        self.count += count_up_to(bytes, self.what, self.min_number - self.count);
        self.count >= self.min_number
    }
}

/// Occurrences of `byte` in `haystack`, counted a block at a time until `limit` is reached.
fn count_up_to(haystack: &[u8], byte: u8, limit: u64) -> u64 {
    let mut count = 0;
    for block in haystack.chunks(COUNT_BLOCK) {
        count += u64::from(count_block(block, &[byte], block.len()));
        if count >= limit {
            break;
        }
    }
    count
}

/// `min_number` is any Python int from 0 to 2**64 - 1, or an object whose `__index__` gives one.
fn min_number_from(value: &Bound<'_, PyAny>) -> PyResult<u64> {
    match value.extract::<u64>() {
        Ok(number) => Ok(number),
        Err(error) if error.is_instance_of::<PyOverflowError>(value.py()) => {
            // The int `__index__` gave, compared and shown instead of the object that gave it.
            let number = value
                .py()
                .import("operator")?
                .call_method1("index", (value,))?;
            let shown = shown_int(&number)?;
            if number.lt(0)? {
                Err(PyValueError::new_err(format!(
                    "min_number must be >= 0, got {shown}"
                )))
            } else {
                Err(PyOverflowError::new_err(format!(
                    "min_number must be below 2**64, got {shown}"
                )))
            }
        }
        Err(error) => Err(error),
    }
}

/// An int's digits, or its sign and size when it has more digits than `str()` converts.
fn shown_int(number: &Bound<'_, PyAny>) -> PyResult<String> {
    match number.str() {
        Ok(digits) => Ok(digits.to_string()),
        Err(_) => {
            let bits = number.call_method0("bit_length")?;
            let sign = if number.lt(0)? { "a negative" } else { "an" };
            Ok(format!("{sign} int of {bits} bits"))
        }
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
