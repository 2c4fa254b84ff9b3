//! The fuzz targets' bodies (`fuzz/fuzz_targets/*.rs` call these under libFuzzer), kept in the
//! library so the stable test suite replays the committed seed corpus through the same code
//! (`tests/fuzz_corpus.rs`). Each must answer for any input: never panic, hang or abort.

use std::path::Path;

use crate::audio::LoadOptions;

/// The WAV decoder: a clip whose samples are all finite, or an error.
pub fn wav(data: &[u8]) {
    let opts = LoadOptions {
        max_seconds: 30.0,
        ..LoadOptions::default()
    };
    if let Ok(a) = crate::audio::wav::decode(data, &opts) {
        assert!(a.samples.iter().all(|v| v.is_finite()));
    }
}

/// The file-name parsers of every corpus: no panic, and a parsed name's canonical file name
/// parses back to the same id.
pub fn ravdess_name(data: &[u8]) {
    if let Ok(s) = std::str::from_utf8(data)
        && let Ok(id) = crate::corpus::ClipId::parse(s)
    {
        assert_eq!(
            crate::corpus::ClipId::parse(&id.file_name()),
            Ok(id),
            "{s:?}"
        );
    }
}

/// The saved-model loader after reading: RON parse, then validation.
pub fn model(data: &[u8]) {
    if let Ok(s) = std::str::from_utf8(data) {
        let _ = crate::ml::persist::SavedModel::parse(s, Path::new("fuzz.ron"));
    }
}

/// The session loader after reading: RON parse, then validation.
pub fn session(data: &[u8]) {
    if let Ok(s) = std::str::from_utf8(data) {
        let _ = crate::session::Session::parse(s, Path::new("fuzz.ron"));
    }
}
