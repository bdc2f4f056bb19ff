//! The `oxwheel_patterns._core` extension module. Each pattern lives in its own file and adds
//! itself to the module; the Python package `oxwheel_patterns` re-exports the public names.

use pyo3::prelude::*;

// Not a pattern: what every pattern uses against inputs of any size.
pub mod limits;

/// Declares each pattern's module (`src/<name>.rs`) and adds its names to `_core` in that order.
macro_rules! patterns {
    ($($pattern:ident),* $(,)?) => {
        $(pub mod $pattern;)*

        // Unused once every pattern is gone: the module then holds __version__ alone.
        #[allow(unused_variables)]
        fn register_patterns(module: &Bound<'_, PyModule>) -> PyResult<()> {
            $($pattern::register(module)?;)*
            Ok(())
        }
    };
}

// One line per pattern: removing a pattern starts here (see "Make it yours" in the README).
patterns! {
    logging,
    errors,
    counter,
    showcase,
}

// Nothing here depends on the GIL for safety, so free-threaded CPython may run it in parallel.
#[pymodule(gil_used = false)]
#[pyo3(name = "_core")]
fn core_module(module: &Bound<'_, PyModule>) -> PyResult<()> {
    require_main_interpreter()?;
    module.add("__version__", env!("CARGO_PKG_VERSION"))?;
    register_patterns(module)
}

/// The module keeps state once per process (its exception classes, pyo3-log's `logging`
/// objects): it refuses to initialise in any interpreter but the main one (whose ID is 0),
/// first thing, so that a subinterpreter, isolated or legacy, importing the package or loading
/// `_core` by its path, gets an ImportError and touches nothing. (PyO3 0.30 refuses a second
/// interpreter only where it builds the module, and gave a legacy one the main interpreter's.)
fn require_main_interpreter() -> PyResult<()> {
    // SAFETY: module initialisation runs attached to the interpreter being initialised, so
    // PyInterpreterState_Get returns it (it aborts only when no interpreter is current).
    let id = unsafe { pyo3::ffi::PyInterpreterState_GetID(pyo3::ffi::PyInterpreterState_Get()) };
    if id != 0 {
        return Err(pyo3::exceptions::PyImportError::new_err(
            "oxwheel_patterns can be imported only in the main interpreter, not in a subinterpreter",
        ));
    }
    Ok(())
}
