#![no_main]
//! Structure-aware: the committed session seeds (`fuzz/corpus/session/*.ron`) edited field by
//! field (`emoscope::fuzzing::edits`), then loaded, restored into the TUI and drawn.
use std::path::Path;
use std::sync::OnceLock;

use libfuzzer_sys::fuzz_target;

static SEEDS: OnceLock<Vec<String>> = OnceLock::new();

fuzz_target!(|data: &[u8]| {
    let seeds = SEEDS.get_or_init(|| {
        emoscope::fuzzing::ron_seeds(&Path::new(env!("CARGO_MANIFEST_DIR")).join("corpus/session"))
    });
    emoscope::fuzzing::session_fields(seeds, data);
});
