//! Custom exceptions: a Rust error type that converts into the package's Python exceptions.
//!
//! `OxwheelPatternsError` is the base of every error the package raises; `NumberTooSmallError` also
//! derives from `ValueError`, so callers that catch `ValueError` keep working. Both classes live
//! in the `oxwheel_patterns` namespace, so they pickle and print like ordinary Python classes.
//!
//! Which error to raise, in every pattern:
//! - the caller passed the wrong type: `TypeError`, and a value the type allows but the function
//!   does not (an empty string, a negative count): `ValueError`; a number too large for its Rust
//!   type: `OverflowError`. These built-ins say what Python programmers expect, with
//!   `PyTypeError::new_err(...)` and its siblings, and a message that names the argument and the
//!   value it got;
//! - the domain rule of this package failed (here, a number that must be greater than 2): a
//!   variant of [`Error`], raised as a subclass of `OxwheelPatternsError`, so callers can catch every
//!   error of the package at once; derive it from a built-in as well when one fits;
//! - Python code called from Rust raised: pass its `PyErr` on unchanged (`?`, or
//!   [`Error::Python`]), never replace it;
//! - a bug: never a panic on the normal path. A panic reaches Python as `PanicException`, a
//!   `BaseException` that `except Exception` does not catch.

use pyo3::exceptions::PyException;
use pyo3::prelude::*;
use pyo3::sync::PyOnceLock;
use pyo3::types::{PyDict, PyInt, PyTuple, PyType};

/// Errors raised by this crate's functions.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    #[error("Error from Rust: number is less than or equal to 2")]
    NumberTooSmall,
    /// A Python error met on the way (a failed comparison, say), passed through unchanged.
    #[error(transparent)]
    Python(#[from] PyErr),
}

impl From<Error> for PyErr {
    fn from(error: Error) -> PyErr {
        match error {
            Error::Python(error) => error,
            Error::NumberTooSmall => Python::attach(|py| match number_too_small_error(py) {
                Ok(class) => PyErr::from_type(class.clone(), error.to_string()),
                Err(lookup_failure) => lookup_failure,
            }),
        }
    }
}

static BASE_ERROR: PyOnceLock<Py<PyType>> = PyOnceLock::new();
static NUMBER_TOO_SMALL_ERROR: PyOnceLock<Py<PyType>> = PyOnceLock::new();

fn base_error(py: Python<'_>) -> PyResult<&Bound<'_, PyType>> {
    let class = BASE_ERROR.get_or_try_init(py, || {
        new_exception_class(
            py,
            "OxwheelPatternsError",
            PyTuple::new(py, [py.get_type::<PyException>()])?,
            "Base class of the errors raised by oxwheel_patterns.",
        )
    })?;
    Ok(class.bind(py))
}

fn number_too_small_error(py: Python<'_>) -> PyResult<&Bound<'_, PyType>> {
    let class = NUMBER_TOO_SMALL_ERROR.get_or_try_init(py, || {
        let bases = PyTuple::new(
            py,
            [
                base_error(py)?.clone(),
                py.get_type::<pyo3::exceptions::PyValueError>(),
            ],
        )?;
        new_exception_class(
            py,
            "NumberTooSmallError",
            bases,
            "Raised when a number is not greater than the required minimum.",
        )
    })?;
    Ok(class.bind(py))
}

/// Creates `class <name>(*bases)` in the `oxwheel_patterns` namespace. `create_exception!` takes a
/// single base, and this hierarchy needs two.
fn new_exception_class(
    py: Python<'_>,
    name: &str,
    bases: Bound<'_, PyTuple>,
    doc: &str,
) -> PyResult<Py<PyType>> {
    let namespace = PyDict::new(py);
    namespace.set_item("__module__", "oxwheel_patterns")?;
    namespace.set_item("__doc__", doc)?;
    let class = py.get_type::<PyType>().call1((name, bases, namespace))?;
    Ok(class.cast_into::<PyType>()?.unbind())
}

/// Returns `number` when it is greater than 2, else raises `NumberTooSmallError`.
#[pyfunction]
fn greater_than_2(number: Bound<'_, PyInt>) -> Result<Bound<'_, PyInt>, Error> {
    if number.gt(2)? {
        Ok(number)
    } else {
        Err(Error::NumberTooSmall)
    }
}

pub fn register(module: &Bound<'_, PyModule>) -> PyResult<()> {
    let py = module.py();
    module.add("OxwheelPatternsError", base_error(py)?)?;
    module.add("NumberTooSmallError", number_too_small_error(py)?)?;
    module.add_function(wrap_pyfunction!(greater_than_2, module)?)?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use pyo3::panic::PanicException;
    use pyo3::prelude::*;
    use pyo3::types::PyDict;

    #[pyfunction]
    fn panics() {
        panic!("a bug in Rust code");
    }

    const CALL_AND_CATCH: &std::ffi::CStr = c"
try:
    panics()
except BaseException as error:
    caught = error
";

    /// A panic in Rust code called from Python is raised as `PanicException`, which Python code
    /// can catch, and the interpreter keeps running (the release profile keeps
    /// `panic = "unwind"` for this). It is caught in Python: fetched into Rust as a `PyErr`, PyO3
    /// would resume the panic.
    #[test]
    fn a_panic_becomes_a_python_exception() {
        Python::initialize();
        Python::attach(|py| {
            let globals = PyDict::new(py);
            globals
                .set_item("panics", wrap_pyfunction!(panics, py).unwrap())
                .unwrap();
            py.run(CALL_AND_CATCH, Some(&globals), None).unwrap();
            let caught = globals.get_item("caught").unwrap().unwrap();
            assert!(caught.is_instance_of::<PanicException>());
            assert_eq!(caught.to_string(), "a bug in Rust code");
        });
    }
}
