#![no_main]
//! The session loader (parse + validation) on arbitrary text.
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    emoscope::fuzzing::session(data);
});
