//! Test-only points where a test can pause the command (to send it SIGINT there) or make it
//! fail (the tests run as root, so permissions cannot make a write fail). Built only with the
//! `test-hooks` feature; the shipped command has none.

use crate::error::Error;

/// At the point `name`: pause when OXWHEEL_TEST_PAUSE names it, fail when OXWHEEL_TEST_FAIL does.
#[cfg(feature = "test-hooks")]
pub fn at(name: &str) -> Result<(), Error> {
    if std::env::var("OXWHEEL_TEST_PAUSE").is_ok_and(|point| point == name) {
        eprintln!("oxwheel-test: paused at {name}");
        // Until Ctrl-C: outside a transaction it ends the process; inside, it is an error here.
        while !crate::interrupt::interrupted() {
            std::thread::sleep(std::time::Duration::from_millis(20));
        }
        return Err(Error::new("interrupted"));
    }
    if std::env::var("OXWHEEL_TEST_FAIL").is_ok_and(|point| point == name) {
        return Err(Error::new(format!("a failure injected at {name}")));
    }
    Ok(())
}

#[cfg(not(feature = "test-hooks"))]
pub fn at(_name: &str) -> Result<(), Error> {
    Ok(())
}
