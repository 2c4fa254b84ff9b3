#![no_main]
//! The RAVDESS file-name parser on arbitrary text.
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    emoscope::fuzzing::ravdess_name(data);
});
