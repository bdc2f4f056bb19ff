//! The unit tests embed Python, so `cargo test` binaries link libpython; an rpath to the
//! directory pyo3 found it in lets them start without `LD_LIBRARY_PATH`. Wheels are unaffected:
//! maturin builds the extension module without linking libpython, and then this adds nothing.
//! A CPython older than the package supports is refused here rather than tested against.

use pyo3_build_config::PythonVersion;

/// requires-python in pyproject.toml.
const PYTHON_MIN: PythonVersion = PythonVersion {
    major: 3,
    minor: 11,
};

fn main() {
    let found = pyo3_build_config::get().version();
    if found < PYTHON_MIN {
        println!(
            "cargo::error=PyO3 found CPython {found} (PYO3_PYTHON, else the first python3 on PATH); \
             this package supports {PYTHON_MIN} and newer: set PYO3_PYTHON to one of those"
        );
    }
    pyo3_build_config::add_libpython_rpath_link_args();
}
