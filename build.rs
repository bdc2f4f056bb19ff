//! The unit tests embed Python, so `cargo test` binaries link libpython; an rpath to the
//! directory pyo3 found it in lets them start without `LD_LIBRARY_PATH`. Wheels are unaffected:
//! maturin builds the extension module without linking libpython, and then this adds nothing.

fn main() {
    pyo3_build_config::add_libpython_rpath_link_args();
}
