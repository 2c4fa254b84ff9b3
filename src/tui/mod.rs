//! The terminal UI: a thin shell over the library, in the Elm style — terminal events become
//! [`app::Action`]s, [`app::App::update`] changes the state and asks for background work
//! ([`app::Command`]), [`ui::draw`] renders the state. Background results come back on a
//! channel as [`app::AppEvent`]s; the draw never waits on I/O or DSP.

pub mod app;
pub mod heatmap;
pub mod keys;
pub mod panes;
pub mod theme;
pub mod ui;

use std::sync::Arc;
use std::sync::mpsc::{Receiver, Sender, channel};
use std::time::Duration;

use anyhow::Result;
use ratatui::crossterm::event::{self, DisableMouseCapture, EnableMouseCapture};
use ratatui::crossterm::execute;

use crate::audio::LoadOptions;
use crate::corpus::{Clip, Corpus, CorpusSpec};
use crate::features::analysis::analyse;
use crate::features::{FeatureConfig, Preset, summarise};
use app::{Action, App, AppEvent, ClipView, Command};
use theme::{ColorMode, Theme};

/// Computes what the inspector shows of a clip.
pub fn clip_view(clip: &Clip) -> Result<ClipView, String> {
    let audio = clip
        .load(&LoadOptions::default())
        .map_err(|e| e.to_string())?;
    let cfg = FeatureConfig::preset(Preset::ClassicContrast);
    let a = analyse(&audio, &cfg);
    let n = audio.samples.len().max(1);
    let slices = 512usize;
    let envelope = (0..slices)
        .map(|s| {
            let (lo, hi) = (
                s * n / slices,
                ((s + 1) * n / slices).max(s * n / slices + 1).min(n),
            );
            audio.samples[lo.min(n - 1)..hi]
                .iter()
                .fold((0f32, 0f32), |(a, b), &v| (a.min(v), b.max(v)))
        })
        .collect();
    let sr = f64::from(audio.sample_rate);
    // Speech's harmonics and formants live below 5 kHz; the axis says so.
    let max_hz = (sr / 2.0).min(5000.0);
    let bins = ((max_hz / (sr / 2.0)) * (a.magnitude.n_bins - 1) as f64) as usize + 1;
    let mut spec_db = Vec::with_capacity(a.n_frames * bins);
    for t in 0..a.n_frames {
        spec_db.extend(
            a.magnitude.frame(t)[..bins]
                .iter()
                .map(|&m| 20.0 * m.max(1e-10).log10()),
        );
    }
    let names = cfg.names();
    let values = summarise(&audio, &cfg);
    Ok(ClipView {
        id: clip.id,
        sample_rate: audio.sample_rate,
        duration: audio.duration(),
        envelope,
        n_frames: a.n_frames,
        spec_db,
        spec_bins: bins,
        spec_max_hz: max_hz,
        mel_db: a.mel_db.clone(),
        n_mels: a.n_mels,
        mfcc: a.mfcc.clone(),
        n_mfcc: a.n_mfcc,
        chroma: a.chroma.iter().flatten().copied().collect(),
        f0: a.pyin.f0.clone(),
        features: names.into_iter().zip(values).collect(),
    })
}

/// Runs a command in the background; its result comes back on `tx`.
fn spawn(cmd: Command, tx: &Sender<AppEvent>, load: &LoadOptions) {
    let tx = tx.clone();
    let load = load.clone();
    match cmd {
        Command::OpenCorpus(spec) => {
            std::thread::spawn(move || {
                let r = Corpus::open(&spec, &load).map_err(|e| e.to_string());
                let _ = tx.send(AppEvent::CorpusOpened(r));
            });
        }
        Command::SaveSession(path, session) => {
            std::thread::spawn(move || {
                let r = session
                    .save(&path)
                    .map(|()| path)
                    .map_err(|e| e.to_string());
                let _ = tx.send(AppEvent::Saved(r));
            });
        }
        Command::FeatureStats(corpus) => {
            std::thread::spawn(move || {
                let cfg = FeatureConfig::preset(Preset::ClassicContrast);
                let cache = crate::features::extract::FeatureCache::new(
                    crate::features::extract::FeatureCache::default_dir(),
                );
                let r = crate::features::extract::extract_corpus(
                    &corpus,
                    &cfg,
                    Some(&cache),
                    &crate::jobs::CancelToken::new(),
                    &|_, _| {},
                )
                .map_err(|e| e.to_string())
                .map(|t| {
                    let rows: Vec<_> = t
                        .rows
                        .iter()
                        .map(|r| (r.id.emotion, r.values.clone()))
                        .collect();
                    Arc::new(app::FeatureStats::from_rows(t.names.clone(), &rows))
                });
                let _ = tx.send(AppEvent::Stats(r));
            });
        }
        Command::Analyse(clip) => {
            rayon::spawn(move || {
                let r = clip_view(&clip).map(Arc::new);
                let _ = tx.send(AppEvent::Analysed(clip.id, r));
            });
        }
    }
}

/// Where sessions autosave when no `--session` file is given (or it could not be read).
pub const AUTOSAVE: &str = "sessions/autosave.ron";

/// The app to start with, and where it autosaves: a readable `--session` file restores it
/// and is saved back to; a new path starts a session there; an unreadable or corrupt one is
/// reported, left untouched, and the app starts fresh, autosaving to [`AUTOSAVE`].
pub fn initial_app(
    spec: CorpusSpec,
    session: Option<&std::path::Path>,
) -> (App, Vec<Command>, std::path::PathBuf) {
    // A --session file that does not exist yet is a new session saved there.
    if let Some(p) = session.filter(|p| !p.exists()) {
        let (app, cmds) = App::new(spec);
        return (app, cmds, p.to_path_buf());
    }
    match session.map(|p| (p, crate::session::Session::load(p))) {
        Some((p, Ok(s))) => {
            let (app, cmds) = App::from_session(&s);
            (app, cmds, p.to_path_buf())
        }
        Some((_, Err(e))) => {
            log::error!("{e}");
            let (mut app, cmds) = App::new(spec);
            app.notice = Some(format!("{e} — starting fresh"));
            (app, cmds, AUTOSAVE.into())
        }
        None => {
            let (app, cmds) = App::new(spec);
            (app, cmds, AUTOSAVE.into())
        }
    }
}

/// Starts the TUI on `spec` (or a saved session); returns when the user quits. The terminal
/// is restored on quit, on error and on panic (ratatui's panic hook restores it before the
/// message prints). The session autosaves on change and on quit.
pub fn run(spec: CorpusSpec, load: LoadOptions, session: Option<std::path::PathBuf>) -> Result<()> {
    libsvm_rs::set_quiet(true);
    let _ = tui_logger::init_logger(log::LevelFilter::Debug);
    tui_logger::set_default_level(log::LevelFilter::Info);
    let theme = Theme::new(ColorMode::detect());
    let mut terminal = ratatui::try_init()?;
    let _ = execute!(std::io::stdout(), EnableMouseCapture);
    // ratatui's hook leaves raw mode and the alternate screen; mouse capture is ours to undo,
    // before that hook restores the rest and the panic message prints.
    let restore = std::panic::take_hook();
    std::panic::set_hook(Box::new(move |info| {
        let _ = execute!(std::io::stdout(), DisableMouseCapture);
        restore(info);
    }));
    let result = event_loop(&mut terminal, spec, session.as_deref(), &load, theme);
    let _ = execute!(std::io::stdout(), DisableMouseCapture);
    ratatui::restore();
    result
}

fn event_loop(
    terminal: &mut ratatui::DefaultTerminal,
    spec: CorpusSpec,
    session: Option<&std::path::Path>,
    load: &LoadOptions,
    theme: Theme,
) -> Result<()> {
    let (tx, rx): (Sender<AppEvent>, Receiver<AppEvent>) = channel();
    let (mut app, cmds, autosave) = initial_app(spec, session);
    for c in cmds {
        spawn(c, &tx, load);
    }
    let mut saved = app.session();
    while !app.should_quit {
        let mut drawn = ui::Drawn::default();
        terminal.draw(|f| drawn = ui::draw(f, &app, &theme))?;
        app.tab_spans = drawn.tabs;
        app.pane_area = drawn.pane;
        let mut actions = Vec::new();
        if event::poll(Duration::from_millis(50))? {
            let ev = event::read()?;
            actions.extend(keys::action_for(&app, &ev));
        }
        while let Ok(e) = rx.try_recv() {
            actions.push(Action::Event(e));
        }
        for a in actions {
            for c in app.update(a) {
                spawn(c, &tx, load);
            }
        }
        // Autosave whenever what a session records has changed.
        let now = app.session();
        if now != saved {
            // Quietly, off the UI thread: the status line is for what the user asked.
            let (path, session) = (autosave.clone(), now.clone());
            std::thread::spawn(move || {
                if let Err(e) = session.save(&path) {
                    log::warn!("autosave: {e}");
                }
            });
            saved = now;
        }
    }
    // And once more on quit, waiting for it.
    if let Err(e) = app.session().save(&autosave) {
        log::error!("{e}");
    }
    Ok(())
}
