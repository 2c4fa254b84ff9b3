#![no_main]
//! Structure-aware: the committed model seeds (`fuzz/corpus/model/*.ron`) edited field by
//! field (`emoscope::fuzzing::edits`), then loaded and, when valid, used to classify.
use std::path::Path;
use std::sync::OnceLock;

use libfuzzer_sys::fuzz_target;

static SEEDS: OnceLock<Vec<String>> = OnceLock::new();

fuzz_target!(|data: &[u8]| {
    let seeds = SEEDS.get_or_init(|| {
        emoscope::fuzzing::ron_seeds(&Path::new(env!("CARGO_MANIFEST_DIR")).join("corpus/model"))
    });
    emoscope::fuzzing::model_fields(seeds, data);
});
