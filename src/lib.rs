//! The `oxwheel_patterns._core` extension module. Each pattern lives in its own file and adds
//! itself to the module; the Python package `oxwheel_patterns` re-exports the public names.

use pyo3::prelude::*;

mod counter;
mod errors;
mod logging;
mod showcase;

#[cfg(fuzzing)]
pub use counter::talk_algorithm;
pub use counter::{Reset, has_count_in};

// Nothing here depends on the GIL for safety, so free-threaded CPython may run it in parallel.
#[pymodule(gil_used = false)]
#[pyo3(name = "_core")]
fn core_module(module: &Bound<'_, PyModule>) -> PyResult<()> {
    module.add("__version__", env!("CARGO_PKG_VERSION"))?;
    logging::register(module)?;
    errors::register(module)?;
    counter::register(module)?;
    showcase::register(module)?;
    Ok(())
}
