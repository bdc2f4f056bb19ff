//! Ctrl-C. Outside a transaction the scratch directories are removed and the process ends at
//! once (nothing of the user's has been touched yet); inside one, the interruption is noted and
//! the transaction rolls back before the process ends.

use std::fs;
use std::path::{Path, PathBuf};
use std::sync::Mutex;
use std::sync::atomic::{AtomicBool, Ordering};

use crate::error::Error;

static SCRATCH: Mutex<Vec<PathBuf>> = Mutex::new(Vec::new());
static IN_TRANSACTION: AtomicBool = AtomicBool::new(false);
static INTERRUPTED: AtomicBool = AtomicBool::new(false);
/// The exit status of a process that SIGINT ended.
pub const STATUS: u8 = 130;

pub fn install() -> Result<(), Error> {
    ctrlc::set_handler(|| {
        if IN_TRANSACTION.load(Ordering::SeqCst) {
            INTERRUPTED.store(true, Ordering::SeqCst);
            return;
        }
        stop();
    })
    .map_err(|error| Error::new(format!("cannot install the Ctrl-C handler: {error}")))
}

fn remove_scratch() {
    let paths = SCRATCH
        .lock()
        .map(|paths| paths.clone())
        .unwrap_or_default();
    for path in paths {
        let _ = fs::remove_dir_all(path);
    }
}

/// Ends the process as Ctrl-C does outside a transaction: nothing of the person's was touched.
pub fn stop() -> ! {
    remove_scratch();
    eprintln!("oxwheel: interrupted; nothing was changed");
    std::process::exit(i32::from(STATUS))
}

/// A directory to remove if the process is interrupted.
pub fn register(path: &Path) {
    if let Ok(mut paths) = SCRATCH.lock() {
        paths.push(path.to_path_buf());
    }
}

pub fn unregister(path: &Path) {
    if let Ok(mut paths) = SCRATCH.lock() {
        paths.retain(|known| known != path);
    }
}

pub fn interrupted() -> bool {
    INTERRUPTED.load(Ordering::SeqCst)
}

/// While it lives, Ctrl-C is noted instead of ending the process (see `interrupted`).
pub struct Transaction;

impl Transaction {
    pub fn begin() -> Self {
        IN_TRANSACTION.store(true, Ordering::SeqCst);
        Self
    }

    /// An error if Ctrl-C came during the transaction: the caller rolls back.
    pub fn check(&self) -> Result<(), Error> {
        if interrupted() {
            return Err(Error::new("interrupted"));
        }
        Ok(())
    }
}

impl Drop for Transaction {
    fn drop(&mut self) {
        IN_TRANSACTION.store(false, Ordering::SeqCst);
        if INTERRUPTED.load(Ordering::SeqCst) {
            remove_scratch();
            eprintln!("oxwheel: interrupted; the project is as it was");
            std::process::exit(i32::from(STATUS));
        }
    }
}
