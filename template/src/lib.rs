//! The `{{module_name}}._core` extension module. Each pattern lives in its own file and adds
//! itself to the module; the Python package `{{module_name}}` re-exports the public names.

use pyo3::prelude::*;

mod counter;
mod errors;
mod logging;
{%- if showcase == "true" %}
mod showcase;
{%- endif %}

#[cfg(fuzzing)]
pub use counter::talk_algorithm;
pub use counter::{Reset, has_count_in};

/// Raises ImportError in any interpreter but the main one. The package's `__init__` calls it
/// before it uses `_core`.
///
/// PyO3 refuses a second interpreter only when it initialises the module there; a legacy
/// subinterpreter (one that shares the GIL) is handed a copy of the main interpreter's module
/// without that, and would share state that belongs to one interpreter: the exception classes
/// and pyo3-log's `logging` objects. Destroying it then breaks the main interpreter.
#[pyfunction]
fn _require_main_interpreter() -> PyResult<()> {
    // SAFETY: called from Python, so this thread is attached to an interpreter.
    let id = unsafe { pyo3::ffi::PyInterpreterState_GetID(pyo3::ffi::PyInterpreterState_Get()) };
    // The main interpreter's ID is 0.
    if id == 0 {
        Ok(())
    } else {
        Err(pyo3::exceptions::PyImportError::new_err(
            "{{module_name}} can be imported only in the main interpreter, not in a subinterpreter",
        ))
    }
}

// Nothing here depends on the GIL for safety, so free-threaded CPython may run it in parallel.
#[pymodule(gil_used = false)]
#[pyo3(name = "_core")]
fn core_module(module: &Bound<'_, PyModule>) -> PyResult<()> {
    module.add("__version__", env!("CARGO_PKG_VERSION"))?;
    // setattr keeps it out of __all__.
    module.setattr(
        "_require_main_interpreter",
        wrap_pyfunction!(_require_main_interpreter, module)?,
    )?;
    logging::register(module)?;
    errors::register(module)?;
    counter::register(module)?;
{%- if showcase == "true" %}
    showcase::register(module)?;
{%- endif %}
    Ok(())
}
