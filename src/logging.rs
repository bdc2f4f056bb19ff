//! Logging through Python's `logging` module with `pyo3-log`.
//!
//! Records go to the Python logger named after the Rust module path, `oxwheel_patterns.logging`,
//! a child of `oxwheel_patterns`, so ordinary `logging` configuration controls them.

use log::{LevelFilter, debug, error, info, warn};
use pyo3::exceptions::{PyRuntimeError, PyValueError};
use pyo3::prelude::*;
use pyo3_log::{Caching, Logger};

/// Upper bound for `log_from_threads`, so a typo cannot spawn thousands of threads.
const MAX_LOGGING_THREADS: usize = 64;

/// A record from Rust.
#[pyfunction]
fn log_example() {
    info!("A log message from {}!", "Rust");
}

/// One record at each of ERROR, WARNING, INFO and DEBUG, in that order.
#[pyfunction]
fn log_different_levels() {
    error!("logging an error");
    warn!("logging a warning");
    info!("logging an info message");
    debug!("logging a debug message");
}

/// Logs one INFO record from each of `threads` Rust threads while the caller waits.
///
/// Each record needs the GIL; waiting for the threads while holding it would deadlock, so the
/// caller detaches from the interpreter while it joins them.
#[pyfunction]
fn log_from_threads(py: Python<'_>, threads: usize) -> PyResult<()> {
    if threads > MAX_LOGGING_THREADS {
        return Err(PyValueError::new_err(format!(
            "threads must be at most {MAX_LOGGING_THREADS}, got {threads}"
        )));
    }
    let (started, all_joined) = py.detach(|| {
        // Builder::spawn reports a thread the system cannot start (no memory for its stack, a
        // process limit) as an error; std::thread::spawn would panic.
        let mut workers = Vec::with_capacity(threads);
        let mut refused = None;
        for index in 0..threads {
            let spawned = std::thread::Builder::new()
                .name(format!("log-{index}"))
                .spawn(move || info!("hello from Rust thread {index}"));
            match spawned {
                Ok(worker) => workers.push(worker),
                Err(error) => {
                    refused = Some(error);
                    break;
                }
            }
        }
        let started = workers.len();
        let all_joined = workers
            .into_iter()
            .map(std::thread::JoinHandle::join)
            .all(|outcome| outcome.is_ok());
        (refused.map(|error| (started, error)), all_joined)
    });
    if let Some((count, error)) = started {
        return Err(PyRuntimeError::new_err(format!(
            "could start only {count} of {threads} logging threads: {error}"
        )));
    }
    if all_joined {
        Ok(())
    } else {
        Err(PyRuntimeError::new_err("a logging thread panicked"))
    }
}

pub fn register(module: &Bound<'_, PyModule>) -> PyResult<()> {
    // `Caching::Loggers` keeps the Python logger objects but asks Python for the effective level
    // on every record, so a level changed after the first call is honoured on the next one.
    let logger = Logger::new(module.py(), Caching::Loggers)?.filter(LevelFilter::Trace);
    // `install` fails only when this library already routes `log` records (the module was
    // initialised before in this process); they reach Python either way.
    if logger.install().is_err() {
        log::debug!("pyo3-log was already installed");
    }
    module.add_function(wrap_pyfunction!(log_example, module)?)?;
    module.add_function(wrap_pyfunction!(log_different_levels, module)?)?;
    module.add_function(wrap_pyfunction!(log_from_threads, module)?)?;
    Ok(())
}
