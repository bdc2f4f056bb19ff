//! What every pattern uses against inputs of any size: a loop whose length follows its input
//! lets Python handle Ctrl-C at a fixed interval, and text is built in memory reserved
//! fallibly, so that running out raises `MemoryError` where Rust's own allocation would abort
//! the process.

use std::fmt::{self, Write};

use pyo3::exceptions::PyMemoryError;
use pyo3::prelude::*;

/// How many steps a loop takes between two checks for Ctrl-C (and other signals): each check
/// costs a few nanoseconds, 65,536 steps take well under a millisecond of Rust work.
pub const SIGNAL_CHECK_INTERVAL: usize = 1 << 16;

/// A loop proportional to its input calls `step` once per item.
pub struct Interruptible<'py> {
    py: Python<'py>,
    steps: usize,
}

impl<'py> Interruptible<'py> {
    pub fn new(py: Python<'py>) -> Self {
        Self { py, steps: 0 }
    }

    /// Raises what a signal handler raised (`KeyboardInterrupt` for Ctrl-C), checking every
    /// `SIGNAL_CHECK_INTERVAL` steps.
    pub fn step(&mut self) -> PyResult<()> {
        if self.steps % SIGNAL_CHECK_INTERVAL == 0 {
            self.py.check_signals()?;
        }
        self.steps += 1;
        Ok(())
    }
}

pub fn out_of_memory(what: &str) -> PyErr {
    PyMemoryError::new_err(format!("no memory for {what}"))
}

/// A `String` that reserves before it grows, and fails instead of aborting.
struct FallibleText(String);

impl Write for FallibleText {
    fn write_str(&mut self, text: &str) -> fmt::Result {
        self.0.try_reserve(text.len()).map_err(|_| fmt::Error)?;
        self.0.push_str(text);
        Ok(())
    }
}

/// `format!` that raises `MemoryError` where the text does not fit in memory.
pub fn format(arguments: fmt::Arguments<'_>) -> PyResult<String> {
    let mut text = FallibleText(String::new());
    text.write_fmt(arguments)
        .map_err(|_| out_of_memory("the text"))?;
    Ok(text.0)
}

/// The characters `chars` collected into a `String`, with `MemoryError` where they do not fit.
pub fn collect(chars: impl Iterator<Item = char>) -> PyResult<String> {
    let mut text = FallibleText(String::new());
    for character in chars {
        text.write_char(character)
            .map_err(|_| out_of_memory("the text"))?;
    }
    Ok(text.0)
}
