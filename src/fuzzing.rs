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
