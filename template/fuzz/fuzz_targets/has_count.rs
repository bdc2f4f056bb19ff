//! `has_count_in` against the reference algorithm, one character at a time, on any input: as text
//! (when it is UTF-8) and as raw bytes. The target is the input's first character (first byte,
//! made ASCII, for bytes), so it always occurs.

#![no_main]

use libfuzzer_sys::fuzz_target;
use {{module_name}}::counter::{Reset, has_count_in, reference_algorithm};

fuzz_target!(|input: (u8, u8, &[u8])| {
    let (reset, min_number, data) = input;
    let reset = [Reset::Newlines, Reset::Spaces, Reset::Never][usize::from(reset % 3)];
    // 0 to 254, and 255 for the largest count, which no input reaches.
    let min_number = match min_number {
        u8::MAX => u64::MAX,
        small => u64::from(small),
    };
    let Some(&first) = data.first() else {
        return;
    };
    if let Ok(text) = std::str::from_utf8(data)
        && let Some(what) = text.chars().next()
    {
        let expected = reference_algorithm(text.chars(), what, min_number, reset);
        let encoded = what.encode_utf8(&mut [0; 4]).as_bytes().to_vec();
        assert_eq!(has_count_in(data, &encoded, min_number, reset), expected);
    }
    // Bytes are counted with an ASCII target, as the Python API requires.
    let byte = first & 0x7f;
    let expected = reference_algorithm(
        data.iter().map(|&b| char::from(b)),
        char::from(byte),
        min_number,
        reset,
    );
    assert_eq!(has_count_in(data, &[byte], min_number, reset), expected);
});
