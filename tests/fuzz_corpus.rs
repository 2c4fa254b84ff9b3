//! Replays the committed fuzz seed corpus (`fuzz/corpus/TARGET/*`) through the same target
//! bodies libFuzzer drives (`emoscope::fuzzing`), on stable Rust, every test run: each input
//! must be answered without a panic. (The long runs are `cargo +nightly fuzz run TARGET`; see
//! RELIABILITY.md for their executions.)

use std::path::Path;

fn replay(target: &str, body: impl Fn(&[u8])) -> usize {
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
    let models = seeds("model");
    assert!(
        replay("model_fields", |d| emoscope::fuzzing::model_fields(
            &models, d
        )) >= 16
    );
    let sessions = seeds("session");
    assert!(
        replay("session_fields", |d| emoscope::fuzzing::session_fields(
            &sessions, d
        )) >= 3
    );
}

fn seeds(target: &str) -> Vec<String> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("fuzz/corpus")
        .join(target);
    let s = emoscope::fuzzing::ron_seeds(&dir);
    assert!(s.len() >= 3, "{} has {} seeds", dir.display(), s.len());
    s
}

proptest::proptest! {
    // A fixed seed: the same cases every run; PROPTEST_CASES raises the count by hand.
    #![proptest_config(proptest::prelude::ProptestConfig {
        cases: std::env::var("PROPTEST_CASES").ok().and_then(|c| c.parse().ok()).unwrap_or(300),
        rng_seed: proptest::test_runner::RngSeed::Fixed(1_188_976),
        failure_persistence: None,
        ..proptest::prelude::ProptestConfig::default()
    })]

    /// The structure-aware model target in small: any few edits of any seed model either
    /// are refused on load or give a model that classifies into its classes.
    #[test]
    fn edited_models_load_or_are_refused_and_classify_sanely(
        data in proptest::collection::vec(proptest::prelude::any::<u8>(), 1..26)
    ) {
        static SEEDS: std::sync::OnceLock<Vec<String>> = std::sync::OnceLock::new();
        emoscope::fuzzing::model_fields(SEEDS.get_or_init(|| seeds("model")), &data);
    }

    /// The same for sessions, each that loads restored into the TUI and drawn.
    #[test]
    fn edited_sessions_load_or_are_refused_and_draw(
        data in proptest::collection::vec(proptest::prelude::any::<u8>(), 1..26)
    ) {
        static SEEDS: std::sync::OnceLock<Vec<String>> = std::sync::OnceLock::new();
        emoscope::fuzzing::session_fields(SEEDS.get_or_init(|| seeds("session")), &data);
    }
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

/// Writes the `small-*` seeds (`fuzz/corpus/model/`, `fuzz/corpus/session/`): a model of every
/// family, with and without per-speaker normalisation and selection, and a session with one
/// finished k-NN run — from 32 synthetic clips (2 actors × happy/sad), prosody preset, compact
/// RON (timings differ from run to run). Small valid inputs let the fuzzer reach validation instead of spending its mutations
/// on a 40 KB file's syntax. Run by hand after a format change:
/// `cargo test --test fuzz_corpus -- --ignored write_small_seeds`.
#[test]
#[ignore = "writes the committed fuzz seeds; run by hand"]
fn write_small_seeds() {
    use emoscope::corpus::Emotion;
    use emoscope::features::extract::{CancelToken, extract_corpus};
    use emoscope::features::{FeatureConfig, Preset};
    use emoscope::ml::experiment::ExperimentSpec;
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("c");
    emoscope::cli::write_synthetic(&dir, 5, &[1, 2], &[Emotion::Happy, Emotion::Sad], None)
        .unwrap();
    let corpus = emoscope::corpus::Corpus::open(
        &emoscope::corpus::CorpusSpec::directory(dir),
        &emoscope::audio::LoadOptions::default(),
    )
    .unwrap();
    let out = Path::new(env!("CARGO_MANIFEST_DIR")).join("fuzz/corpus");
    let cfg = FeatureConfig::preset(Preset::Prosody);
    let table = extract_corpus(&corpus, &cfg, None, &CancelToken::new(), &|_, _| {}).unwrap();
    let ds = emoscope::ml::dataset::Dataset::from_table(&table).unwrap();
    let mut session = emoscope::session::Session {
        corpus: emoscope::corpus::CorpusSpec::directory("/tmp/sy"),
        ..Default::default()
    };
    for (i, family) in emoscope::ml::grid::FAMILIES.iter().enumerate() {
        for norm in [false, true] {
            let small_forest = ["trees=4".to_string(), "depth=4".to_string()];
            let settings: &[String] = if *family == "rf" { &small_forest } else { &[] };
            let spec = ExperimentSpec {
                grid: emoscope::ml::grid::build_grid(family, settings).unwrap(),
                protocol: emoscope::ml::protocol::Protocol::Loso,
                speaker_norm: norm,
                select: if norm { vec![8] } else { Vec::new() },
                ..Default::default()
            };
            let report =
                emoscope::ml::experiment::run(&ds, &spec, &CancelToken::new(), &|_| {}).unwrap();
            let m = emoscope::ml::persist::train_final(&ds, &spec, &cfg, &report, &corpus).unwrap();
            let name = format!("small-{family}{}.ron", if norm { "-norm" } else { "" });
            // The temporary folder's name would change at every run.
            let text = ron::to_string(&m)
                .unwrap()
                .replace(&tmp.path().display().to_string(), "/tmp/sy");
            assert!(emoscope::ml::persist::SavedModel::parse(&text, Path::new(&name)).is_ok());
            std::fs::write(out.join("model").join(name), text).unwrap();
            if !norm && *family == "knn" {
                session
                    .experiments
                    .push(emoscope::session::ExperimentRecord {
                        id: i as u32 + 1,
                        preset: Preset::Prosody,
                        spec,
                        outcome: emoscope::session::Outcome::Finished(Box::new(report)),
                    });
            }
        }
    }
    let text = ron::to_string(&session).unwrap();
    assert!(emoscope::session::Session::parse(&text, Path::new("small-knn-run.ron")).is_ok());
    std::fs::write(out.join("session/small-knn-run.ron"), text).unwrap();
}
