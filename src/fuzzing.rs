//! The fuzz targets' bodies (`fuzz/fuzz_targets/*.rs` call these under libFuzzer), kept in the
//! library so the stable test suite replays the committed seed corpus through the same code
//! (`tests/fuzz_corpus.rs`). Each must answer for any input: never panic, hang or abort.

use std::path::Path;

use crate::audio::LoadOptions;
use crate::features::FeatureConfig;

pub mod edits;

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

/// The seeds a structure-aware target edits: every `.ron` file in `dir`
/// (`fuzz/corpus/model`, `fuzz/corpus/session`), in name order, so an input means the same
/// edits of the same file in the fuzzer and in the replay test. Unreadable files are skipped.
pub fn ron_seeds(dir: &Path) -> Vec<String> {
    crate::util::ron_files_in(dir)
        .iter()
        .filter_map(|p| std::fs::read_to_string(p).ok())
        .collect()
}

/// Structure-aware: a seed model (`seeds[data[0] % len]`) edited by the rest of `data`
/// ([`edits::edited`]: hostile values, copies, deletions at field level), then loaded. A
/// model that loads must classify two short clips (as one speaker's, so a normalised model
/// runs too) into one of its classes, with a finite probability in [0, 1] for each class.
pub fn model_fields(seeds: &[String], data: &[u8]) {
    let Some(text) = edited_seed(seeds, data) else {
        return;
    };
    let Ok(m) = crate::ml::persist::SavedModel::parse(&text, Path::new("fuzz.ron")) else {
        return;
    };
    // The clips' features depend only on the extraction settings, which most edits leave
    // alone: computed once per setting (the extraction dominated each input's time).
    thread_local! {
        static FEATURES: std::cell::RefCell<Option<(FeatureConfig, Vec<Vec<f64>>)>> =
            const { std::cell::RefCell::new(None) };
    }
    let features = FEATURES.with_borrow_mut(|cache| match cache {
        Some((cfg, f)) if *cfg == m.features => f.clone(),
        _ => {
            let clips = [two_tone_clip(220.0), two_tone_clip(330.0)];
            let f: Vec<Vec<f64>> = clips.iter().map(|a| m.features_of(a)).collect();
            *cache = Some((m.features.clone(), f.clone()));
            f
        }
    });
    let sameness = crate::ml::persist::SpeakerNorm::SameSpeaker;
    if let Ok(pred) = m.classify_features(&features, sameness) {
        for (emotion, p) in pred {
            assert!(m.classes.contains(&emotion), "{emotion:?} is not a class");
            assert_eq!(p.len(), m.classes.len(), "one probability per class");
            assert!(p.iter().all(|v| (0.0..=1.0 + 1e-9).contains(v)), "{p:?}");
        }
    }
}

/// A quarter-second, 16 kHz clip: a tone and its fifth, with a little noise-like ripple.
fn two_tone_clip(f0: f32) -> crate::audio::Audio {
    let rate = 16_000u32;
    let samples = (0..rate / 4)
        .map(|i| {
            let t = i as f32 / rate as f32;
            let tau = std::f32::consts::TAU;
            0.4 * (tau * f0 * t).sin()
                + 0.2 * (tau * 1.5 * f0 * t).sin()
                + 0.01 * ((i * 7919 % 101) as f32 / 50.0 - 1.0)
        })
        .collect();
    crate::audio::Audio {
        samples,
        sample_rate: rate,
        source_rate: rate,
        source_channels: 1,
        encoding: crate::audio::SampleEncoding::Synthetic,
    }
}

/// Structure-aware: a seed session edited as in [`model_fields`], then loaded, restored into
/// the TUI and drawn ([`session_tui`]).
pub fn session_fields(seeds: &[String], data: &[u8]) {
    if let Some(text) = edited_seed(seeds, data) {
        session_tui(text.as_bytes());
    }
}

/// The seed `data[0]` picks (modulo their count), edited by the rest of `data`
/// ([`edits::edited`]); `None` without seeds or data.
fn edited_seed(seeds: &[String], data: &[u8]) -> Option<String> {
    let (&first, rest) = data.split_first()?;
    let seed = seeds.get(usize::from(first) % seeds.len().max(1))?;
    Some(edits::edited(seed, rest))
}

/// The session loader after reading: RON parse, then validation.
pub fn session(data: &[u8]) {
    if let Ok(s) = std::str::from_utf8(data) {
        let _ = crate::session::Session::parse(s, Path::new("fuzz.ron"));
    }
}

/// A session that loads, restored into the TUI as `--session` would, and every pane drawn at
/// 80×24 and 160×48 (on the synthetic corpus when the session names the default one): what
/// a session file can make the TUI do without a key pressed.
pub fn session_tui(data: &[u8]) {
    use crate::tui::{app::App, msg::AppEvent, msg::Pane, theme, ui};
    use ratatui::{Terminal, backend::TestBackend};
    static CORPUS: std::sync::OnceLock<crate::corpus::Corpus> = std::sync::OnceLock::new();
    let Ok(s) = std::str::from_utf8(data) else {
        return;
    };
    let Ok(session) = crate::session::Session::parse(s, Path::new("fuzz.ron")) else {
        return;
    };
    let (mut app, _) = App::from_session(&session);
    if session.corpus == crate::corpus::CorpusSpec::default() {
        let corpus = CORPUS.get_or_init(crate::corpus::Corpus::synthetic).clone();
        app.event(AppEvent::CorpusOpened(Ok(corpus)));
    }
    let theme = theme::Theme::new(theme::ColorMode::Mono);
    for pane in Pane::ALL {
        app.pane = pane;
        for (w, h) in [(80, 24), (160, 48)] {
            let Ok(mut t) = Terminal::new(TestBackend::new(w, h));
            let _ = t.draw(|f| {
                ui::draw(f, &app, &theme);
            });
        }
    }
}
