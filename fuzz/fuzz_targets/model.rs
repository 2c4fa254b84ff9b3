#![no_main]
//! The saved-model loader (parse + validation) on arbitrary text.
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    emoscope::fuzzing::model(data);
});
