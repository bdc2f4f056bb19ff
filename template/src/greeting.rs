//! The one function a new project starts with: replace it with yours. A pattern is a Rust file
//! with a `register` function and a line in `patterns!` in `src/lib.rs`; declare each function
//! in `python/{{module_name}}/_core.pyi` too, where `tests/test_exports.py` checks it.

use pyo3::prelude::*;

/// A greeting for `name`, which must not be empty.
#[pyfunction]
fn greet(name: &str) -> PyResult<String> {
    if name.is_empty() {
        return Err(pyo3::exceptions::PyValueError::new_err("name must not be empty"));
    }
    Ok(format!("Hello, {name}!"))
}

pub fn register(module: &Bound<'_, PyModule>) -> PyResult<()> {
    module.add_function(wrap_pyfunction!(greet, module)?)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn greets_by_name() {
        assert_eq!(greet("Ferris").ok().as_deref(), Some("Hello, Ferris!"));
    }
}
