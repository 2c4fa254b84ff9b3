//! Shared test helpers.
#![allow(dead_code)]

use std::path::PathBuf;

/// The real RAVDESS fixtures (`../shared/fixtures/ravdess`), or `None` with a printed reason.
///
/// With `EMOSCOPE_REQUIRE_FIXTURES=1` (set in `.ci/run`) a missing fixture folder fails the
/// test instead of skipping it.
pub fn fixtures() -> Option<PathBuf> {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../shared/fixtures/ravdess");
    if dir.join("Actor_01").is_dir() {
        return Some(dir);
    }
    let required = std::env::var("EMOSCOPE_REQUIRE_FIXTURES").is_ok_and(|v| v == "1");
    assert!(
        !required,
        "EMOSCOPE_REQUIRE_FIXTURES=1 but the RAVDESS fixtures are missing at {}",
        dir.display()
    );
    eprintln!(
        "SKIPPED: RAVDESS fixtures not found at {} (set EMOSCOPE_REQUIRE_FIXTURES=1 to fail instead)",
        dir.display()
    );
    None
}

/// A small corpus of synthetic clips written as WAV files under `dir`: `actors` × `emotions`
/// (all takes of each), opened as a directory corpus.
pub fn synthetic_on_disk(
    dir: &std::path::Path,
    actors: &[u8],
    emotions: &[emoscope::corpus::Emotion],
) -> emoscope::corpus::Corpus {
    emoscope::cli::write_synthetic(dir, 5, actors, emotions, None).unwrap();
    emoscope::corpus::Corpus::open(
        &emoscope::corpus::CorpusSpec::Directory {
            path: dir.to_path_buf(),
        },
        &emoscope::audio::LoadOptions::default(),
    )
    .unwrap()
}
