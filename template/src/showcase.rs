//! Showcase: the conversions of the seed posts done safely. Integers are checked (overflow is
//! an `OverflowError`, never a wrapped value), bad input is an exception rather than a panic,
//! and everything printed goes through Python's `sys.stdout`.

use std::borrow::Cow;
use std::fmt;

use pyo3::buffer::PyUntypedBuffer;
use pyo3::exceptions::{PyIndexError, PyOverflowError, PyRuntimeError, PyTypeError, PyValueError};
use pyo3::prelude::*;
use pyo3::types::{PyDict, PyIterator, PyList, PySequence, PyString};
use serde::Deserialize;
use serde::de::value::{MapAccessDeserializer, SeqAccessDeserializer};
use serde::de::{self, Deserializer, MapAccess, SeqAccess, Unexpected, Visitor};

use crate::limits::{self, Interruptible, out_of_memory};

/// A Python `str` of `text`, or `MemoryError` where Python has no room for it. PyO3's
/// `PyString::new`, behind every conversion of a `&str` or `String` to Python (a returned
/// `String`, a `#[pyo3(get)]` field, an argument of `call_method1`), panics instead.
fn python_str<'py>(py: Python<'py>, text: &str) -> PyResult<Bound<'py, PyString>> {
    PyString::from_bytes(py, text.as_bytes())
}

/// A copy of `text`, or `MemoryError` where it does not fit: `to_owned`, and PyO3's
/// extraction of a `String` argument, abort the process instead.
fn copied(text: &str) -> PyResult<String> {
    let mut copy = String::new();
    copy.try_reserve_exact(text.len())
        .map_err(|_| out_of_memory("a copy of the text"))?;
    copy.push_str(text);
    Ok(copy)
}

/// Writes `line` and a newline to `sys.stdout`, so redirections and captures see it. Two
/// writes rather than a copy of `line` with the newline, which could be more than memory holds.
fn print_line(py: Python<'_>, line: &str) -> PyResult<()> {
    print_str(&python_str(py, line)?)
}

/// `print_line` for a line that is a Python `str` already.
fn print_str(line: &Bound<'_, PyString>) -> PyResult<()> {
    let stdout = line.py().import("sys")?.getattr("stdout")?;
    stdout.call_method1("write", (line,))?;
    stdout.call_method1("write", ("\n",))?;
    Ok(())
}

fn overflow(operation: &str) -> PyErr {
    PyOverflowError::new_err(format!("{operation} overflows a 64-bit signed integer"))
}

/// The items of `values`, a sequence other than `str`, one at a time. PyO3's own `Vec<T>`
/// extraction reserves `len()` items up front and aborts the process when that much memory
/// cannot be had, so a huge or lying `len()` would kill the interpreter; iterating trusts none.
fn sequence_items<'py>(values: &Bound<'py, PyAny>, name: &str) -> PyResult<Bound<'py, PyIterator>> {
    if values.is_instance_of::<PyString>() {
        return Err(PyTypeError::new_err(format!(
            "{name} must be a sequence of ints, not str"
        )));
    }
    values.cast::<PySequence>()?.try_iter()
}

/// The sum of the ints `items` yields, checked for overflow, with no storage at all.
fn checked_sum(items: Bound<'_, PyIterator>, what: &str) -> PyResult<i64> {
    let mut total = 0i64;
    let mut interruptible = Interruptible::new(items.py());
    for item in items {
        interruptible.step()?;
        let item = item?;
        total = total
            .checked_add(item.extract::<i64>()?)
            .ok_or_else(|| overflow(what))?;
    }
    Ok(total)
}

/// The ints 0 to 255 of the sequence `values`. The memory `len()` asks for is reserved
/// fallibly (MemoryError, never an abort), and the vector grows as items arrive, so a `len()`
/// that says too little costs nothing either; an error `len()` raises propagates.
fn byte_values(values: &Bound<'_, PyAny>, name: &str) -> PyResult<Vec<u8>> {
    let items = sequence_items(values, name)?;
    let expected = values.len()?;
    let mut bytes = Vec::new();
    bytes
        .try_reserve_exact(expected)
        .map_err(|_| out_of_memory(&format!("{expected} items")))?;
    let mut interruptible = Interruptible::new(values.py());
    for (index, item) in items.enumerate() {
        interruptible.step()?;
        bytes
            .try_reserve(1)
            .map_err(|_| out_of_memory(&format!("{} items", index + 1)))?;
        bytes.push(item?.extract::<u8>()?);
    }
    Ok(bytes)
}

/// `a + b` on 64-bit signed integers.
#[pyfunction]
fn add(a: i64, b: i64) -> PyResult<i64> {
    a.checked_add(b).ok_or_else(|| overflow("add"))
}

/// `a * b` on 64-bit signed integers.
#[pyfunction]
fn multiply(a: i64, b: i64) -> PyResult<i64> {
    a.checked_mul(b).ok_or_else(|| overflow("multiply"))
}

/// The Fibonacci number F(number): F(1) = F(2) = 1 and F(n) = F(n - 1) + F(n - 2), and 0 for
/// number <= 0. None where it does not fit in 128 bits (from F(187) on), which the loop finds
/// within 187 steps whatever `number` is.
pub fn fibonacci(number: i64) -> Option<u128> {
    if number <= 0 {
        return Some(0);
    }
    let (mut previous, mut current) = (0u128, 1u128);
    for _ in 1..number {
        (previous, current) = (current, previous.checked_add(current)?);
    }
    Some(current)
}

#[pyfunction]
fn get_fibonacci(number: i64) -> PyResult<u128> {
    fibonacci(number).ok_or_else(|| {
        PyOverflowError::new_err(format!("get_fibonacci({number}) does not fit in 128 bits"))
    })
}

/// The sum of a sequence of 64-bit signed integers.
#[pyfunction]
fn list_sum(values: &Bound<'_, PyAny>) -> PyResult<i64> {
    checked_sum(sequence_items(values, "values")?, "list_sum")
}

/// Prints `key value` for every item, in the dict's order. Keys and values must be `str`.
#[pyfunction]
/// Every item is checked before anything is printed, and each line is made as it is printed,
/// so that a huge dict needs memory for one line at a time.
fn dict_printer(dict: &Bound<'_, PyDict>) -> PyResult<()> {
    let mut interruptible = Interruptible::new(dict.py());
    for (key, value) in dict.iter() {
        interruptible.step()?;
        if !(key.is_instance_of::<PyString>() && value.is_instance_of::<PyString>()) {
            return Err(PyTypeError::new_err(format!(
                "dict_printer() needs str keys and values, got {}: {}",
                key.get_type().name()?,
                value.get_type().name()?
            )));
        }
    }
    for (key, value) in dict.iter() {
        interruptible.step()?;
        let (key, value) = (key.cast_into::<PyString>()?, value.cast_into::<PyString>()?);
        let line = limits::format(format_args!("{} {}", key.to_str()?, value.to_str()?))?;
        print_line(dict.py(), &line)?;
    }
    Ok(())
}

/// Prints `word` `n` times (nothing for n <= 0), reversed and/or upper-cased on request.
#[pyfunction]
fn word_printer(
    py: Python<'_>,
    word: &str,
    n: i64,
    reverse: bool,
    uppercase: bool,
) -> PyResult<()> {
    let mut word = Cow::Borrowed(word);
    if reverse {
        word = Cow::Owned(limits::collect(word.chars().rev())?);
    }
    if uppercase {
        word = Cow::Owned(limits::collect(word.chars().flat_map(char::to_uppercase))?);
    }
    let mut interruptible = Interruptible::new(py);
    for _ in 0..n {
        interruptible.step()?;
        print_line(py, &word)?;
    }
    Ok(())
}

/// A Rust struct with fields Python can read and write.
///
/// The methods that run Python code (printing, iterating a sequence) borrow the struct only in
/// between: that code may change the struct, from this thread or another, and would otherwise
/// meet a borrow held across it.
#[pyclass(module = "{{module_name}}")]
pub struct RustStruct {
    data: String,
    /// Every item is an int from 0 to 255.
    vector: Vec<u8>,
}

/// A borrow refused because another thread holds a conflicting one at this very moment.
fn in_use(error: impl std::fmt::Display) -> PyErr {
    PyRuntimeError::new_err(format!(
        "RustStruct is in use by another thread ({error}); retry once that call returns"
    ))
}

#[pymethods]
impl RustStruct {
    #[new]
    fn new(data: &str, vector: &Bound<'_, PyAny>) -> PyResult<Self> {
        let vector = byte_values(vector, "vector")?;
        Ok(RustStruct {
            data: copied(data)?,
            vector,
        })
    }

    #[getter]
    fn data<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyString>> {
        python_str(py, &self.data)
    }

    #[setter]
    fn set_data(slf: &Bound<'_, Self>, data: &str) -> PyResult<()> {
        let data = copied(data)?;
        slf.try_borrow_mut().map_err(in_use)?.data = data;
        Ok(())
    }

    /// A list of ints (PyO3 would turn a `Vec<u8>` into `bytes`), grown an item at a time:
    /// `PyList::new` makes the whole list at once and panics where Python has no room for it.
    #[getter]
    fn vector<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyList>> {
        let list = PyList::empty(py);
        for &item in &self.vector {
            list.append(item)?;
        }
        Ok(list)
    }

    #[setter]
    fn set_vector(slf: &Bound<'_, Self>, vector: &Bound<'_, PyAny>) -> PyResult<()> {
        let vector = byte_values(vector, "vector")?;
        slf.try_borrow_mut().map_err(in_use)?.vector = vector;
        Ok(())
    }

    /// Prints `data`, then every item of `vector` on its own line. A change made while it
    /// prints (by `sys.stdout` itself, or another thread) shows in the lines not printed yet.
    fn printer(slf: &Bound<'_, Self>) -> PyResult<()> {
        let py = slf.py();
        let data = python_str(py, &slf.try_borrow().map_err(in_use)?.data)?;
        print_str(&data)?;
        let mut interruptible = Interruptible::new(py);
        for index in 0.. {
            interruptible.step()?;
            let item = slf.try_borrow().map_err(in_use)?.vector.get(index).copied();
            let Some(item) = item else { break };
            print_line(py, &item.to_string())?;
        }
        Ok(())
    }

    fn extend_vector(slf: &Bound<'_, Self>, values: &Bound<'_, PyAny>) -> PyResult<()> {
        let values = byte_values(values, "values")?;
        let mut this = slf.try_borrow_mut().map_err(in_use)?;
        let length = this.vector.len();
        this.vector
            .try_reserve(values.len())
            .map_err(|_| out_of_memory(&format!("{} items", length + values.len())))?;
        this.vector.extend(values);
        Ok(())
    }

    fn __repr__<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyString>> {
        let repr = limits::format(format_args!(
            "RustStruct(data={:?}, vector={:?})",
            self.data, self.vector
        ))?;
        python_str(py, &repr)
    }
}

#[derive(Debug, Deserialize)]
struct Human<'a> {
    /// Borrowed from the JSON text unless it holds escapes.
    #[serde(borrow)]
    name: Cow<'a, str>,
    #[serde(deserialize_with = "any_age")]
    age: u8,
}

// serde_json's message for a string of the wrong type quotes the string whole, in memory
// allocated infallibly: a string as large as memory allows would abort the process, and any
// other would make the error as long as the input. The visitors below take a value of any type
// (`deserialize_any`) and name a string by its type alone.
const A_STRING: Unexpected<'static> = Unexpected::Other("string");

/// An age from 0 to 255.
struct Age;

impl Visitor<'_> for Age {
    type Value = u8;

    fn expecting(&self, formatter: &mut fmt::Formatter<'_>) -> fmt::Result {
        formatter.write_str("an age from 0 to 255")
    }

    fn visit_u64<E: de::Error>(self, age: u64) -> Result<u8, E> {
        u8::try_from(age).map_err(|_| E::invalid_value(Unexpected::Unsigned(age), &self))
    }

    fn visit_i64<E: de::Error>(self, age: i64) -> Result<u8, E> {
        u8::try_from(age).map_err(|_| E::invalid_value(Unexpected::Signed(age), &self))
    }

    fn visit_str<E: de::Error>(self, _: &str) -> Result<u8, E> {
        Err(E::invalid_type(A_STRING, &self))
    }
}

fn any_age<'de, D: Deserializer<'de>>(deserializer: D) -> Result<u8, D::Error> {
    deserializer.deserialize_any(Age)
}

/// A `Human` from an object, or from an array as serde reads any struct.
struct AnyHuman;

impl<'de> Visitor<'de> for AnyHuman {
    type Value = Human<'de>;

    fn expecting(&self, formatter: &mut fmt::Formatter<'_>) -> fmt::Result {
        formatter.write_str("an object with a name and an age")
    }

    fn visit_map<A: MapAccess<'de>>(self, fields: A) -> Result<Human<'de>, A::Error> {
        Human::deserialize(MapAccessDeserializer::new(fields))
    }

    fn visit_seq<A: SeqAccess<'de>>(self, fields: A) -> Result<Human<'de>, A::Error> {
        Human::deserialize(SeqAccessDeserializer::new(fields))
    }

    fn visit_str<E: de::Error>(self, _: &str) -> Result<Human<'de>, E> {
        Err(E::invalid_type(A_STRING, &self))
    }
}

/// `serde_json::from_str`, through `AnyHuman`.
fn parse_human(json: &str) -> serde_json::Result<Human<'_>> {
    let mut deserializer = serde_json::Deserializer::from_str(json);
    let human = (&mut deserializer).deserialize_any(AnyHuman)?;
    deserializer.end()?;
    Ok(human)
}

/// Parses `{"name": str, "age": 0-255}` into a Rust struct and prints a greeting from it.
/// Invalid JSON or the wrong shape raises `ValueError` with serde_json's message: what is wrong
/// and where, quoting no input.
#[pyfunction]
fn human_says_hi(py: Python<'_>, human_json: &str) -> PyResult<()> {
    // serde_json allocates infallibly, so first make sure that the most it can hold at once
    // fits: a string with escapes is copied into a scratch buffer that grows by doubling (the
    // old and the new buffer at once, up to three times the string), and the name out of it.
    let mut room = Vec::<u8>::new();
    room.try_reserve_exact(human_json.len().saturating_mul(4))
        .map_err(|_| out_of_memory("the parsed JSON"))?;
    drop(room);
    let human = parse_human(human_json)
        .map_err(|error| PyValueError::new_err(format!("invalid human JSON: {error}")))?;
    let shown = limits::format(format_args!("Now we can work with the struct:\n {human:#?}."))?;
    print_line(py, &shown)?;
    let greeting = limits::format(format_args!(" {} is {} years old.", human.name, human.age))?;
    print_line(py, &greeting)
}

/// Prints a greeting and the sum of `numbers`, then sets `numbers[0] = 6` in the caller's list.
#[pyfunction]
fn greet_and_update(name: &str, numbers: &Bound<'_, PyList>) -> PyResult<()> {
    if numbers.is_empty() {
        return Err(PyIndexError::new_err(
            "greet_and_update() needs a non-empty list",
        ));
    }
    let sum = checked_sum(numbers.try_iter()?, "the sum of numbers")?;
    let py = numbers.py();
    print_line(py, &limits::format(format_args!("Hello, {name}!"))?)?;
    print_line(py, &format!("Sum of numbers: {sum}"))?;
    numbers.set_item(0, 6)
}

/// Doubles every element of a writable, C-contiguous int64 buffer in place, without copying.
/// On overflow nothing is changed and `OverflowError` is raised.
#[pyfunction]
fn double_in_place(buffer: &Bound<'_, PyAny>) -> PyResult<()> {
    let untyped = PyUntypedBuffer::get(buffer)?;
    if untyped.readonly() {
        return Err(PyTypeError::new_err(
            "double_in_place() needs a writable buffer",
        ));
    }
    // An empty buffer may have a dangling, unaligned pointer that the typed view refuses.
    if untyped.len_bytes() == 0 {
        return Ok(());
    }
    let buffer = untyped.into_typed::<i64>()?;
    let Some(elements) = buffer.as_slice_ptr() else {
        return Err(PyTypeError::new_err(
            "double_in_place() needs a C-contiguous buffer",
        ));
    };
    // SAFETY: the buffer is exported writable, C-contiguous, with i64 items (checked by
    // `into_typed`), and stays exported while `buffer` lives. No Python code runs while the
    // slice exists, so nothing else in this interpreter touches the memory meanwhile.
    let elements = unsafe { &mut *elements.as_ptr() };
    if elements.iter().any(|value| value.checked_mul(2).is_none()) {
        return Err(overflow("doubling an element"));
    }
    for value in elements.iter_mut() {
        *value *= 2;
    }
    Ok(())
}

pub fn register(module: &Bound<'_, PyModule>) -> PyResult<()> {
    module.add_function(wrap_pyfunction!(add, module)?)?;
    module.add_function(wrap_pyfunction!(multiply, module)?)?;
    module.add_function(wrap_pyfunction!(get_fibonacci, module)?)?;
    module.add_function(wrap_pyfunction!(list_sum, module)?)?;
    module.add_function(wrap_pyfunction!(dict_printer, module)?)?;
    module.add_function(wrap_pyfunction!(word_printer, module)?)?;
    module.add_function(wrap_pyfunction!(human_says_hi, module)?)?;
    module.add_function(wrap_pyfunction!(greet_and_update, module)?)?;
    module.add_function(wrap_pyfunction!(double_in_place, module)?)?;
    module.add_class::<RustStruct>()?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::fibonacci;

    #[test]
    fn fibonacci_matches_its_definition() {
        let firsts: Vec<_> = (-1..=7).map(fibonacci).collect();
        let expected = [0, 0, 1, 1, 2, 3, 5, 8, 13].map(Some);
        assert_eq!(firsts, expected);
    }

    #[test]
    fn fibonacci_stops_at_128_bits() {
        assert_eq!(
            fibonacci(186),
            Some(332_825_110_087_067_562_321_196_029_789_634_457_848)
        );
        assert_eq!(fibonacci(187), None);
    }
}
