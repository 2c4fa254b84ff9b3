//! The terminal UI: a thin shell over the library, in the Elm style — terminal events become
//! [`app::Action`]s, [`app::App::update`] changes the state and asks for background work
//! ([`app::Command`]), [`ui::draw`] renders the state. Background results come back on a
//! channel as [`app::AppEvent`]s; the draw never waits on I/O or DSP.

pub mod abort;
pub mod app;
pub mod confusion;
pub mod experiments;
pub mod heatmap;
pub mod keys;
pub mod panes;
pub mod theme;
pub mod ui;

use std::collections::HashMap;
use std::sync::Arc;
use std::sync::mpsc::{Receiver, Sender, channel};
use std::time::Duration;

use anyhow::Result;
use ratatui::crossterm::event::{self, DisableMouseCapture, EnableMouseCapture};
use ratatui::crossterm::execute;

use crate::audio::LoadOptions;
use crate::corpus::{Clip, Corpus, CorpusSpec};
use crate::features::analysis::analyse;
use crate::features::extract::{FeatureCache, extract_corpus};
use crate::features::{FeatureConfig, Preset, summarise};
use crate::ml::experiment::{JobEvent, Report};
use crate::ml::persist::SavedModel;
use crate::session::Classification;
use app::{Action, App, AppEvent, ClipKey, ClipView, Command, ModelJob};
use experiments::{Classified, RunEvent};
use theme::{ColorMode, Theme};

/// Computes what the inspector shows of a corpus clip.
pub fn clip_view(clip: &Clip) -> Result<ClipView, String> {
    let audio = clip
        .load(&LoadOptions::default())
        .map_err(|e| e.to_string())?;
    Ok(view_of(ClipKey::Corpus(clip.id), Some(clip.id), &audio))
}

/// Computes what the inspector shows of a corpus clip or of any WAV file.
pub fn key_view(
    key: &ClipKey,
    clip: Option<&Clip>,
    load: &LoadOptions,
) -> Result<ClipView, String> {
    match (key, clip) {
        (_, Some(c)) => clip_view(c),
        (ClipKey::File(path), None) => {
            let audio = crate::audio::load(path, load).map_err(|e| e.to_string())?;
            let id = path
                .file_stem()
                .and_then(|s| crate::corpus::RavdessId::parse(&s.to_string_lossy()).ok());
            Ok(view_of(key.clone(), id, &audio))
        }
        (ClipKey::Corpus(id), None) => Err(format!("{id} is not in the corpus")),
    }
}

fn view_of(
    key: ClipKey,
    id: Option<crate::corpus::RavdessId>,
    audio: &crate::audio::Audio,
) -> ClipView {
    let cfg = FeatureConfig::preset(Preset::ClassicContrast);
    let a = analyse(audio, &cfg);
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
    let values = summarise(audio, &cfg);
    ClipView {
        key,
        id,
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
    }
}

/// The preset's features of every clip (through the default cache) as a dataset.
fn corpus_dataset(
    corpus: &Corpus,
    preset: Preset,
    cancel: &crate::jobs::CancelToken,
    progress: &(dyn Fn(usize, usize) + Sync),
) -> Result<crate::ml::dataset::Dataset, String> {
    let cache = FeatureCache::new(FeatureCache::default_dir());
    let table = extract_corpus(
        corpus,
        &FeatureConfig::preset(preset),
        Some(&cache),
        cancel,
        progress,
    )
    .map_err(|e| e.to_string())?;
    for (loc, err) in &table.failures {
        log::warn!("skipped {loc}: {err}");
    }
    crate::ml::dataset::Dataset::from_table(&table).map_err(|e| e.to_string())
}

/// Fits a finished experiment's final model on every clip of the corpus.
fn fit_final(corpus: &Corpus, preset: Preset, report: &Report) -> Result<SavedModel, String> {
    let ds = corpus_dataset(corpus, preset, &crate::jobs::CancelToken::new(), &|_, _| {})?;
    crate::ml::persist::train_final(
        &ds,
        &report.spec,
        &FeatureConfig::preset(preset),
        report,
        corpus,
    )
    .map_err(|e| e.to_string())
}

/// Classifies one WAV file with a model; returns the result and the fitted model if one
/// had to be fitted.
fn classify_file(
    path: &std::path::Path,
    recording: bool,
    job: ModelJob,
    label: String,
    profile: Option<&std::path::Path>,
    load: &LoadOptions,
) -> Classified {
    let mut fitted = None;
    let model: Result<Arc<SavedModel>, String> = match job {
        ModelJob::File(p) => SavedModel::load(&p)
            .map(Arc::new)
            .map_err(|e| e.to_string()),
        ModelJob::Fitted(_, m) => Ok(m),
        ModelJob::Fit {
            run,
            corpus,
            preset,
            report,
        } => fit_final(&corpus, preset, &report).map(|m| {
            let m = Arc::new(m);
            fitted = Some((run, m.clone()));
            m
        }),
    };
    let result = model.and_then(|m| {
        let profile = profile
            .map(crate::ml::profile::SpeakerProfile::load)
            .transpose()
            .map_err(|e| e.to_string())?;
        let norm = profile.as_ref().map_or(
            crate::ml::persist::SpeakerNorm::None,
            crate::ml::persist::SpeakerNorm::Profile,
        );
        let named = |e: &dyn std::fmt::Display| format!("{}: {e}", path.display());
        let (emotion, probs) = if recording {
            // A raw recording at the device's rate: resampled and trimmed like `emoscope record`.
            let raw = crate::audio::load(
                path,
                &LoadOptions {
                    max_seconds: load.max_seconds,
                    target_rate: None,
                },
            )
            .map_err(|e| e.to_string())?;
            let (e, p, _) = m.classify_recording(&raw, norm).map_err(|e| named(&e))?;
            (e, p)
        } else {
            let opts = LoadOptions {
                max_seconds: load.max_seconds,
                ..m.load_options()
            };
            let audio =
                crate::audio::load_for_classification(path, &opts).map_err(|e| e.to_string())?;
            m.classify(std::slice::from_ref(&audio), norm)
                .map_err(|e| named(&e))?
                .into_iter()
                .next()
                .ok_or_else(|| format!("{}: no prediction", path.display()))?
        };
        Ok(Classification {
            file: path.to_path_buf(),
            model: label,
            emotion,
            probabilities: m.classes.iter().copied().zip(probs).collect(),
            normalisation: norm.describe(m.speaker_norm),
        })
    });
    Classified { result, fitted }
}

/// Records from the default input until `stop`, reporting the level; keeps the raw
/// recording under `recordings/`. Runs on its own thread (cpal streams stay where opened).
fn record(tx: &Sender<AppEvent>, stop: &std::sync::atomic::AtomicBool) {
    use crate::tui::app::RecordEvent;
    let mut mic = match crate::audio::device::open_mic(None) {
        Ok(m) => m,
        Err(e) => {
            let _ = tx.send(AppEvent::Recording(RecordEvent::Failed(e.to_string())));
            return;
        }
    };
    let info = mic.info().clone();
    let _ = tx.send(AppEvent::Recording(RecordEvent::Started(format!(
        "{} · {} Hz · {}",
        info.device, info.rate, info.format
    ))));
    let mut lost = None;
    let mut tick = 0u64;
    while !stop.load(std::sync::atomic::Ordering::Relaxed) {
        // Drain every 10 ms (the ring holds `RING_SECONDS`); report the level every 50 ms.
        std::thread::sleep(Duration::from_millis(10));
        tick += 1;
        match mic.poll() {
            Ok(seconds) if seconds >= crate::audio::mic::MAX_RECORDING_SECONDS => {
                lost = Some(format!(
                    "stopped at the {:.0} s limit",
                    crate::audio::mic::MAX_RECORDING_SECONDS
                ));
                break;
            }
            Ok(_) if !tick.is_multiple_of(5) => {}
            Ok(seconds) => {
                let _ = tx.send(AppEvent::Recording(RecordEvent::Level {
                    seconds,
                    peak: mic.level(),
                }));
            }
            Err(e) => {
                lost = Some(e.to_string());
                break;
            }
        }
    }
    let raw = mic.stop();
    let path =
        std::path::Path::new("recordings").join(format!("rec-{}.wav", crate::util::utc_stamp()));
    let saved = crate::audio::write_wav_pcm16(&path, &raw.samples, raw.sample_rate)
        .map_err(|e| e.to_string())
        .map(|()| path);
    let _ = tx.send(AppEvent::Recording(RecordEvent::Stopped { saved, lost }));
}

/// Plays a clip on the default output, reporting the position until it ends or `stop`.
fn play(
    tx: &Sender<AppEvent>,
    key: ClipKey,
    clip: Option<Clip>,
    stop: &std::sync::atomic::AtomicBool,
    load: &LoadOptions,
) {
    use crate::tui::app::PlayEvent;
    let audio = match (&key, &clip) {
        (_, Some(c)) => c.load(load).map_err(|e| e.to_string()),
        (ClipKey::File(p), None) => crate::audio::load(p, load).map_err(|e| e.to_string()),
        (ClipKey::Corpus(id), None) => Err(format!("{id} is not in the corpus")),
    };
    let player = audio.and_then(|a| crate::audio::device::play(&a).map_err(|e| e.to_string()));
    let player = match player {
        Ok(p) => p,
        Err(e) => {
            let _ = tx.send(AppEvent::Playback(key, PlayEvent::Failed(e)));
            return;
        }
    };
    let duration = player.duration();
    while !stop.load(std::sync::atomic::Ordering::Relaxed) && !player.finished() {
        let _ = tx.send(AppEvent::Playback(
            key.clone(),
            PlayEvent::At {
                seconds: player.seconds(),
                duration,
            },
        ));
        std::thread::sleep(Duration::from_millis(40));
    }
    let _ = tx.send(AppEvent::Playback(key, PlayEvent::Stopped));
}

/// A speaker profile from the given files, for the features of `model`.
fn enrol(
    name: &str,
    files: &[std::path::PathBuf],
    model: crate::tui::app::EnrolFor,
) -> Result<std::path::PathBuf, String> {
    use crate::tui::app::EnrolFor;
    let features = match model {
        EnrolFor::Preset(p) => FeatureConfig::preset(p),
        EnrolFor::Model(path) => SavedModel::load(&path).map_err(|e| e.to_string())?.features,
    };
    let rate = features.sample_rate.unwrap_or(48_000);
    let clips = files
        .iter()
        .map(|f| {
            let a = crate::audio::load(
                f,
                &LoadOptions {
                    target_rate: Some(rate),
                    ..LoadOptions::default()
                },
            )
            .map_err(|e| e.to_string())?;
            // Recordings are trimmed as they are when classified.
            let a = crate::audio::mic::prepare(&a, Some(rate))
                .map_err(|e| format!("{}: {e}", f.display()))?;
            Ok((f.display().to_string(), a))
        })
        .collect::<Result<Vec<_>, String>>()?;
    let p = crate::ml::profile::SpeakerProfile::enrol(name, &features, &clips)
        .map_err(|e| e.to_string())?;
    let path = crate::ml::profile::SpeakerProfile::path_for(name);
    p.save(&path).map_err(|e| e.to_string())?;
    Ok(path)
}

/// Sub-folders (as `name/`, with `../` first) and WAV files of `dir`, sorted.
pub fn list_dir(dir: &std::path::Path) -> Result<Vec<String>, String> {
    let mut dirs = Vec::new();
    let mut wavs = Vec::new();
    for e in std::fs::read_dir(dir).map_err(|e| e.to_string())?.flatten() {
        let name = e.file_name().to_string_lossy().to_string();
        if name.starts_with('.') {
            continue;
        }
        if e.path().is_dir() {
            dirs.push(format!("{name}/"));
        } else if name.to_ascii_lowercase().ends_with(".wav") {
            wavs.push(name);
        }
    }
    dirs.sort();
    wavs.sort();
    let mut v = vec!["../".to_string()];
    v.extend(dirs);
    v.extend(wavs);
    Ok(v)
}

/// Completes a typed path as far as it is unambiguous (a folder gets its `/`).
pub fn complete_path(text: &str) -> String {
    let (dir, prefix) = match text.rfind('/') {
        Some(i) => (&text[..=i], &text[i + 1..]),
        None => ("", text),
    };
    let read_from = if dir.is_empty() { "." } else { dir };
    let Ok(entries) = std::fs::read_dir(read_from) else {
        return text.to_string();
    };
    let mut matches: Vec<(String, bool)> = entries
        .flatten()
        .map(|e| {
            (
                e.file_name().to_string_lossy().to_string(),
                e.path().is_dir(),
            )
        })
        .filter(|(n, _)| n.starts_with(prefix) && (prefix.starts_with('.') || !n.starts_with('.')))
        .collect();
    matches.sort();
    match matches.as_slice() {
        [] => text.to_string(),
        [(name, is_dir)] => format!("{dir}{name}{}", if *is_dir { "/" } else { "" }),
        many => {
            let first = &many[0].0;
            let common = many.iter().fold(first.len(), |n, (m, _)| {
                first
                    .chars()
                    .zip(m.chars())
                    .take_while(|(a, b)| a == b)
                    .count()
                    .min(n)
            });
            format!("{dir}{}", first.chars().take(common).collect::<String>())
        }
    }
}

/// The `.ron` files in `models/`, sorted.
pub fn list_models() -> Vec<std::path::PathBuf> {
    crate::util::ron_files_in(std::path::Path::new("models"))
}

/// Runs commands in the background; results come back on `tx`. Keeps the cancel tokens of
/// running experiments.
pub struct Executor {
    tx: Sender<AppEvent>,
    load: LoadOptions,
    runs: HashMap<u32, crate::jobs::CancelToken>,
    /// Stops the recording in progress.
    recording: Option<Arc<std::sync::atomic::AtomicBool>>,
    /// Stops the clip playing.
    playing: Option<Arc<std::sync::atomic::AtomicBool>>,
}

impl Executor {
    pub fn new(tx: Sender<AppEvent>, load: LoadOptions) -> Executor {
        Executor {
            tx,
            load,
            runs: HashMap::new(),
            recording: None,
            playing: None,
        }
    }

    /// Starts a command's work and returns at once.
    pub fn run(&mut self, cmd: Command) {
        let tx = self.tx.clone();
        let load = self.load.clone();
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
                    let cache = FeatureCache::new(FeatureCache::default_dir());
                    let r = extract_corpus(
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
            Command::Analyse(key, clip) => {
                rayon::spawn(move || {
                    let r = key_view(&key, clip.as_ref(), &load).map(Arc::new);
                    let _ = tx.send(AppEvent::Analysed(key, r));
                });
            }
            Command::Train {
                run,
                corpus,
                preset,
                spec,
            } => {
                let token = crate::jobs::CancelToken::new();
                self.runs.insert(run, token.clone());
                std::thread::spawn(move || {
                    let send = |e: RunEvent| {
                        let _ = tx.send(AppEvent::Run(run, e));
                    };
                    let step = (corpus.clips.len() / 50).max(1);
                    let progress = |done: usize, total: usize| {
                        if done.is_multiple_of(step) || done == total {
                            send(RunEvent::Extracting { done, total });
                        }
                    };
                    let tx = std::sync::Mutex::new(tx.clone());
                    let events = |e: JobEvent| {
                        let _ = tx
                            .lock()
                            .unwrap_or_else(|p| p.into_inner())
                            .send(AppEvent::Run(run, RunEvent::Job(e)));
                    };
                    match corpus_dataset(&corpus, preset, &token, &progress) {
                        Ok(ds) => {
                            let _ = crate::ml::experiment::run(&ds, &spec, &token, &events);
                        }
                        Err(_) if token.is_cancelled() => events(JobEvent::Cancelled),
                        Err(e) => events(JobEvent::Failed(e)),
                    }
                });
            }
            Command::Cancel(run) => {
                if let Some(t) = self.runs.get(&run) {
                    t.cancel();
                }
            }
            Command::SaveModel {
                path,
                corpus,
                preset,
                report,
            } => {
                std::thread::spawn(move || {
                    let r = fit_final(&corpus, preset, &report).and_then(|m| {
                        m.save(&path).map_err(|e| e.to_string())?;
                        Ok(path)
                    });
                    let _ = tx.send(AppEvent::ModelSaved(r));
                });
            }
            Command::Classify {
                path,
                recording,
                model,
                label,
                profile,
            } => {
                std::thread::spawn(move || {
                    let c =
                        classify_file(&path, recording, model, label, profile.as_deref(), &load);
                    let _ = tx.send(AppEvent::Classified(c));
                });
            }
            Command::StartRecording => {
                let stop = Arc::new(std::sync::atomic::AtomicBool::new(false));
                self.recording = Some(stop.clone());
                std::thread::spawn(move || record(&tx, &stop));
            }
            Command::StopRecording => {
                if let Some(stop) = self.recording.take() {
                    stop.store(true, std::sync::atomic::Ordering::Relaxed);
                }
            }
            Command::Play(key, clip) => {
                if let Some(stop) = self.playing.take() {
                    stop.store(true, std::sync::atomic::Ordering::Relaxed);
                }
                let stop = Arc::new(std::sync::atomic::AtomicBool::new(false));
                self.playing = Some(stop.clone());
                std::thread::spawn(move || play(&tx, key, clip, &stop, &load));
            }
            Command::StopPlayback => {
                if let Some(stop) = self.playing.take() {
                    stop.store(true, std::sync::atomic::Ordering::Relaxed);
                }
            }
            Command::ListProfiles => {
                let list =
                    crate::ml::profile::SpeakerProfile::list(std::path::Path::new("profiles"));
                let _ = tx.send(AppEvent::Profiles(list));
            }
            Command::Enrol { name, files, model } => {
                std::thread::spawn(move || {
                    let r = enrol(&name, &files, model);
                    let _ = tx.send(AppEvent::Enrolled(r));
                });
            }
            Command::ListModels => {
                let _ = tx.send(AppEvent::Models(list_models()));
            }
            Command::ListDir(dir) => {
                let dir = dir.canonicalize().unwrap_or(dir);
                let r = list_dir(&dir);
                let _ = tx.send(AppEvent::Dir(dir, r));
            }
            Command::Complete(text) => {
                let _ = tx.send(AppEvent::Completed(complete_path(&text)));
            }
        }
    }
}

/// Where sessions autosave when no `--session` file is given (or it could not be read).
pub const AUTOSAVE: &str = "sessions/autosave.ron";

/// Where a fresh start keeps the last autosave (timestamped, the newest
/// [`crate::autosave::KEEP`]).
pub const HISTORY: &str = "sessions/history";

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
    // Before raw mode: what an abort (no panic hook runs) restores.
    abort::install();
    let mut terminal = ratatui::try_init()?;
    let _ = execute!(std::io::stdout(), EnableMouseCapture);
    // ratatui's hook leaves raw mode and the alternate screen; mouse capture is ours to undo,
    // before that hook restores the rest and the panic message prints.
    let restore = std::panic::take_hook();
    std::panic::set_hook(Box::new(move |info| {
        let _ = execute!(std::io::stdout(), DisableMouseCapture);
        crate::audio::quiet::restore();
        restore(info);
    }));
    // Anything written to stderr while the TUI runs (alsa-lib's complaints when a sound
    // device is missing) goes to the Log pane instead of over the screen.
    let quiet = crate::audio::quiet::StderrToLog::start();
    let result = event_loop(&mut terminal, spec, session.as_deref(), &load, theme);
    drop(quiet);
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
    let (mut app, cmds, wanted) = initial_app(spec, session);
    // Temporaries left by killed writes (of processes that are gone) are removed.
    for dir in ["sessions", HISTORY, "models", "profiles"] {
        let n = crate::util::remove_stale_temporaries(std::path::Path::new(dir));
        if n > 0 {
            log::info!("removed {n} temporary file(s) left in {dir}/ by killed writes");
        }
    }
    let (claim, note) = claim_autosave(&wanted, session);
    if let Some(note) = note {
        app.notice = Some(match app.notice.take() {
            Some(first) => format!("{first}; {note}"),
            None => note,
        });
    }
    let autosave = claim.path.clone();
    let saver = tx.clone();
    let mut exec = Executor::new(tx, load.clone());
    for c in cmds {
        exec.run(c);
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
        // Only an action can change what a session records; idle ticks skip building it (it
        // holds every finished experiment's report).
        let acted = !actions.is_empty();
        for a in actions {
            for c in app.update(a) {
                exec.run(c);
            }
        }
        if !acted {
            continue;
        }
        // Autosave whenever what a session records has changed.
        let now = app.session();
        if now != saved {
            // Quietly, off the UI thread: the status line is for what the user asked.
            let (path, session, saver) = (autosave.clone(), now.clone(), saver.clone());
            std::thread::spawn(move || {
                if let Err(e) = session.save(&path) {
                    log::warn!("autosave: {e}");
                    let _ = saver.send(AppEvent::AutosaveFailed(e.to_string()));
                }
            });
            saved = now;
        }
    }
    // And once more on quit, waiting for it. A failure is not silent: the session goes to the
    // temporary folder, and the error (with where it went) is printed once the terminal is
    // back, with a non-zero exit.
    let last = app.session();
    if let Err(e) = last.save(&autosave) {
        log::error!("{e}");
        return Err(match crate::autosave::rescue(&last) {
            Ok(p) => anyhow::anyhow!(
                "{e}\nthe session was written to {} instead (emoscope --session {} restores it)",
                p.display(),
                p.display()
            ),
            Err(e2) => anyhow::anyhow!(
                "{e}\nand it could not be written to the temporary folder either ({e2}): \
                 this session's unsaved experiments are lost"
            ),
        });
    }
    drop(claim);
    Ok(())
}

/// Claims the autosave file for this window and, on a fresh start, keeps the last autosave
/// in [`HISTORY`]. Returns the claim and what to tell the user, if anything.
fn claim_autosave(
    wanted: &std::path::Path,
    session: Option<&std::path::Path>,
) -> (crate::autosave::Claim, Option<String>) {
    let claim = crate::autosave::claim(wanted);
    if let Some(pid) = claim.held_by {
        let msg = format!(
            "another emoscope (pid {pid}) autosaves to {}: this window autosaves to {}",
            wanted.display(),
            claim.path.display()
        );
        log::warn!("{msg}");
        return (claim, Some(msg));
    }
    // A fresh start (not reopening the autosave itself) would write over the last autosave:
    // keep it first, when it holds anything.
    let fresh = claim.path.as_path() == std::path::Path::new(AUTOSAVE)
        && session.is_none_or(|p| p != std::path::Path::new(AUTOSAVE));
    if !fresh {
        return (claim, None);
    }
    match crate::autosave::archive(&claim.path, std::path::Path::new(HISTORY)) {
        Ok(Some(kept)) => {
            let msg = format!(
                "the last session is kept as {} (emoscope --session {} restores it)",
                kept.display(),
                kept.display()
            );
            log::info!("{msg}");
            (claim, Some(msg))
        }
        Ok(None) => (claim, None),
        Err(e) => {
            // Never write over a session that could not be kept: autosave beside it.
            drop(claim);
            let own =
                std::path::PathBuf::from(format!("sessions/autosave-{}.ron", std::process::id()));
            let msg = format!(
                "cannot keep the last autosave in {HISTORY} ({e}): it stays in {AUTOSAVE}, \
                 and this window autosaves to {}",
                own.display()
            );
            log::warn!("{msg}");
            (crate::autosave::claim(&own), Some(msg))
        }
    }
}
