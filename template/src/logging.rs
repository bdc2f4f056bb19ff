//! Logging through Python's `logging` module with `pyo3-log`.
//!
//! Records go to the Python logger named after the Rust module path, `{{module_name}}.logging`,
//! a child of `{{module_name}}`, so ordinary `logging` configuration controls them.

use std::sync::mpsc::{self, RecvTimeoutError};
use std::time::Duration;

use log::{LevelFilter, debug, error, info, warn};
use pyo3::exceptions::{PyRuntimeError, PyValueError};
use pyo3::prelude::*;
use pyo3_log::{Caching, Logger};

/// Upper bound for `log_from_threads`, so a typo cannot spawn thousands of threads.
const MAX_LOGGING_THREADS: usize = 64;

/// How long `log_from_threads` waits for its threads before it checks for signals (Ctrl-C).
const SIGNAL_CHECK_PERIOD: Duration = Duration::from_millis(50);

/// Raises what a logging handler or filter raised while the last record was emitted.
///
/// `log` macros cannot return an error, so pyo3-log leaves it set as the current exception;
/// returned from a function as is, Python would turn it into a `SystemError`.
fn raise_from_logging(py: Python<'_>) -> PyResult<()> {
    PyErr::take(py).map_or(Ok(()), Err)
}

/// A record from Rust.
#[pyfunction]
fn log_example(py: Python<'_>) -> PyResult<()> {
    info!("A log message from {}!", "Rust");
    raise_from_logging(py)
}

/// One record at each of ERROR, WARNING, INFO and DEBUG, in that order; the first error a
/// handler raises stops there.
#[pyfunction]
fn log_different_levels(py: Python<'_>) -> PyResult<()> {
    error!("logging an error");
    raise_from_logging(py)?;
    warn!("logging a warning");
    raise_from_logging(py)?;
    info!("logging an info message");
    raise_from_logging(py)?;
    debug!("logging a debug message");
    raise_from_logging(py)
}

/// Logs one INFO record from each of `threads` Rust threads while the caller waits, and raises
/// the first error a handler raised in any of them.
///
/// Each record needs the GIL, so the caller detaches from the interpreter while it waits, and
/// wakes up regularly to answer Ctrl-C: a handler blocked for good (its lock held by the
/// caller, say) must not hang the caller for good too. The threads of an interrupted call end
/// once their handler lets them.
#[pyfunction]
fn log_from_threads(py: Python<'_>, threads: usize) -> PyResult<()> {
    if threads > MAX_LOGGING_THREADS {
        return Err(PyValueError::new_err(format!(
            "threads must be at most {MAX_LOGGING_THREADS}, got {threads}"
        )));
    }
    let (report, reports) = mpsc::channel();
    let mut started = 0;
    let mut refused = None;
    for index in 0..threads {
        let report = report.clone();
        // Builder::spawn reports a thread the system cannot start (no memory for its stack, a
        // process limit) as an error; std::thread::spawn would panic.
        let spawned = std::thread::Builder::new()
            .name(format!("log-{index}"))
            .spawn(move || {
                // Attached around the record, so that the error pyo3-log leaves set is still
                // there to take.
                let raised = Python::attach(|py| {
                    info!("hello from Rust thread {index}");
                    PyErr::take(py)
                });
                // The caller may have stopped listening (Ctrl-C): nothing is left to tell then.
                let _ = report.send(raised);
            });
        match spawned {
            // Not joined: the channel says when each thread is done.
            Ok(_) => started += 1,
            Err(error) => {
                refused = Some(error);
                break;
            }
        }
    }
    drop(report);
    let mut first_error = None;
    let mut reported = 0;
    let mut reports = reports;
    loop {
        // The receiver moves to the detached closure and back: it is Send but not Sync.
        let received;
        (reports, received) = py.detach(move || {
            let received = reports.recv_timeout(SIGNAL_CHECK_PERIOD);
            (reports, received)
        });
        match received {
            Ok(raised) => {
                reported += 1;
                first_error = first_error.or(raised);
            }
            Err(RecvTimeoutError::Timeout) => py.check_signals()?,
            // Every thread has dropped its sender: all have ended.
            Err(RecvTimeoutError::Disconnected) => break,
        }
    }
    if let Some(error) = refused {
        return Err(PyRuntimeError::new_err(format!(
            "could start only {started} of {threads} logging threads: {error}"
        )));
    }
    if let Some(error) = first_error {
        return Err(error);
    }
    if reported == started {
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
