#![no_main]
//! A session that loads, restored into the TUI and every pane drawn at two sizes.
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    emoscope::fuzzing::session_tui(data);
});
