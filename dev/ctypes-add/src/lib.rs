//! ctypes cannot raise OverflowError, so this add wraps on overflow instead.

/// `a + b`, wrapping on overflow.
#[unsafe(no_mangle)]
pub extern "C" fn add(a: i64, b: i64) -> i64 {
    a.wrapping_add(b)
}
