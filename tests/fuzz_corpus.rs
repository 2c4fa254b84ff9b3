//! Replays the committed fuzz seed corpus (`fuzz/corpus/TARGET/*`) through the same target
//! bodies libFuzzer drives (`emoscope::fuzzing`), on stable Rust, every test run: each input
//! must be answered without a panic. (The long runs are `cargo +nightly fuzz run TARGET`; see
//! RELIABILITY.md for their executions.)

use std::path::Path;

fn replay(target: &str, body: fn(&[u8])) -> usize {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("fuzz/corpus")
        .join(target);
    let mut n = 0;
    for e in std::fs::read_dir(&dir).unwrap().flatten() {
        let bytes = std::fs::read(e.path()).unwrap();
        body(&bytes);
        n += 1;
    }
    n
}

#[test]
fn the_seed_corpus_replays_without_a_panic() {
    assert!(replay("wav", emoscope::fuzzing::wav) >= 5);
    assert!(replay("ravdess_name", emoscope::fuzzing::ravdess_name) >= 5);
    assert!(replay("model", emoscope::fuzzing::model) >= 2);
    assert!(replay("session", emoscope::fuzzing::session) >= 2);
    assert!(replay("session", emoscope::fuzzing::session_tui) >= 2);
}

#[test]
fn the_seed_models_and_sessions_are_valid() {
    // The seeds are real files: they must load, or the fuzzer starts from rejects only.
    for target in ["model", "session"] {
        let dir = Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("fuzz/corpus")
            .join(target);
        for e in std::fs::read_dir(&dir).unwrap().flatten() {
            let text = std::fs::read_to_string(e.path()).unwrap();
            let ok = if target == "model" {
                emoscope::ml::persist::SavedModel::parse(&text, &e.path()).is_ok()
            } else {
                emoscope::session::Session::parse(&text, &e.path()).is_ok()
            };
            assert!(ok, "{} does not load", e.path().display());
        }
    }
}
