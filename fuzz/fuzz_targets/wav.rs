#![no_main]
//! The WAV decoder on arbitrary bytes: a clip with finite samples, or an error.
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    emoscope::fuzzing::wav(data);
});
