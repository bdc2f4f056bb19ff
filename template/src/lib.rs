//! The `{{module_name}}._core` extension module. Each pattern lives in its own file and adds
//! itself to the module; the Python package `{{module_name}}` re-exports the public names.

use pyo3::prelude::*;

// Not a pattern: what every pattern uses against inputs of any size.
pub mod limits;

/// Declares each pattern's module (`src/<name>.rs`) and adds its names to `_core` in that order.
macro_rules! patterns {
    ($($pattern:ident),* $(,)?) => {
        $(pub mod $pattern;)*

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
{%- if showcase == "true" %}
    showcase,
{%- endif %}
}

// Nothing here depends on the GIL for safety, so free-threaded CPython may run it in parallel.
#[pymodule(gil_used = false)]
#[pyo3(name = "_core")]
fn core_module(module: &Bound<'_, PyModule>) -> PyResult<()> {
    module.add("__version__", env!("CARGO_PKG_VERSION"))?;
    register_patterns(module)
}
