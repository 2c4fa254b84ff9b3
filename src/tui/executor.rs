//! Runs the app's [`Command`]s in the background (threads, or the rayon pool for analyses);
//! results come back on a channel as [`AppEvent`]s. Keeps what stops running work: the cancel
//! tokens of experiments, the stop flags of the recorder and the player.

use std::collections::HashMap;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::mpsc::Sender;

use crate::audio::LoadOptions;
use crate::corpus::Corpus;
use crate::features::Preset;
use crate::features::extract::FeatureCache;
use crate::features::stats::FeatureStats;
use crate::jobs::CancelToken;
use crate::ml::experiment::{ExperimentSpec, JobEvent};

use super::msg::{AppEvent, Command, JobId, RunEvent};
use super::{paths, work};

pub struct Executor {
    tx: Sender<AppEvent>,
    load: LoadOptions,
    runs: HashMap<u32, CancelToken>,
    /// Stops the recording in progress.
    recording: Option<Arc<AtomicBool>>,
    /// Stops the clip playing.
    playing: Option<Arc<AtomicBool>>,
}

/// Runs `f` on its own thread and sends what it returns.
fn spawn_send(tx: Sender<AppEvent>, f: impl FnOnce() -> AppEvent + Send + 'static) {
    std::thread::spawn(move || {
        let _ = tx.send(f());
    });
}

/// Permutation importance of a finished run, its progress reported as it goes.
fn importance(tx: Sender<AppEvent>, c: Command) {
    let Command::Importance {
        run,
        corpus,
        preset,
        report,
    } = c
    else {
        return;
    };
    let id = JobId::Importance(run);
    let reading = throttled_progress(tx.clone(), id.clone(), READING);
    let refitting = throttled_progress(tx.clone(), id.clone(), "refitting every fold");
    let shuffled = throttled_progress(tx.clone(), id, "shuffled");
    spawn_send(tx, move || {
        let progress = work::ImportanceProgress {
            reading: &reading,
            refitting: &refitting,
            shuffled: &shuffled,
        };
        AppEvent::Importance(run, work::importance(&corpus, preset, &report, &progress))
    });
}

/// The stage of a job that reads a corpus's features (from the cache, or extracted).
const READING: &str = "reading features";

/// A progress callback that reports a job's stage (done, total) to the app at most every
/// 100 ms (and its last unit always), so a job of thousands of units does not flood the loop.
fn throttled_progress(
    tx: Sender<AppEvent>,
    id: JobId,
    stage: &'static str,
) -> impl Fn(usize, usize) + Sync + Send + 'static {
    let last = std::sync::Mutex::new(None::<std::time::Instant>);
    move |done, total| {
        let mut last = last.lock().unwrap_or_else(|e| e.into_inner());
        let due = last.is_none_or(|t| t.elapsed() >= std::time::Duration::from_millis(100));
        if due || done == total {
            *last = Some(std::time::Instant::now());
            let p = super::msg::Progress { stage, done, total };
            let _ = tx.send(AppEvent::JobProgress(id.clone(), p));
        }
    }
}

fn stop(flag: &mut Option<Arc<AtomicBool>>) {
    if let Some(s) = flag.take() {
        s.store(true, Ordering::Relaxed);
    }
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
            Command::OpenCorpus(spec) => spawn_send(tx, move || {
                AppEvent::CorpusOpened(Corpus::open(&spec, &load).map_err(|e| e.to_string()))
            }),
            Command::SaveSession(path, session) => spawn_send(tx, move || {
                AppEvent::Saved(
                    session
                        .save(&path)
                        .map(|()| path)
                        .map_err(|e| e.to_string()),
                )
            }),
            Command::FeatureStats(corpus) => spawn_send(tx, move || {
                let cache = FeatureCache::new(FeatureCache::default_dir());
                let r = FeatureStats::of_corpus(&corpus, Some(&cache), &CancelToken::new());
                AppEvent::Stats(r.map(Arc::new))
            }),
            Command::Analyse(key, clip) => rayon::spawn(move || {
                let r = work::key_view(&key, clip.as_ref(), &load).map(Arc::new);
                let _ = tx.send(AppEvent::Analysed(key, r));
            }),
            Command::Train {
                run,
                corpus,
                preset,
                spec,
            } => self.train(run, corpus, preset, spec),
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
            } => spawn_send(tx.clone(), move || {
                let reading = throttled_progress(tx, JobId::SaveModel, READING);
                let r = work::fit_final(&corpus, preset, &report, &reading)
                    .and_then(|m| m.save(&path).map_err(|e| e.to_string()).map(|()| path));
                AppEvent::ModelSaved(r)
            }),
            Command::Classify {
                path,
                recording,
                model,
                label,
                profile,
            } => spawn_send(tx.clone(), move || {
                let reading = throttled_progress(tx, JobId::Classify, READING);
                AppEvent::Classified(work::classify_file(
                    &path,
                    recording,
                    model,
                    label,
                    profile.as_deref(),
                    &load,
                    &reading,
                ))
            }),
            c @ Command::Importance { .. } => importance(tx, c),
            Command::ExportRun(report, stem) => spawn_send(tx, move || {
                AppEvent::Exported(work::export_run(&report, &stem))
            }),
            Command::Enrol { name, files, model } => spawn_send(tx, move || {
                AppEvent::Enrolled(work::enrol(&name, &files, model))
            }),
            other => self.run_quick(other),
        }
    }

    /// Commands that start a device thread or answer at once.
    fn run_quick(&mut self, cmd: Command) {
        let tx = self.tx.clone();
        let load = self.load.clone();
        match cmd {
            Command::StartRecording => {
                let flag = Arc::new(AtomicBool::new(false));
                self.recording = Some(flag.clone());
                std::thread::spawn(move || work::record(&tx, &flag));
            }
            Command::StopRecording => stop(&mut self.recording),
            Command::Play(key, clip) => {
                stop(&mut self.playing);
                let flag = Arc::new(AtomicBool::new(false));
                self.playing = Some(flag.clone());
                std::thread::spawn(move || work::play(&tx, key, clip, &flag, &load));
            }
            Command::StopPlayback => stop(&mut self.playing),
            Command::ListProfiles => {
                let list =
                    crate::ml::profile::SpeakerProfile::list(std::path::Path::new("profiles"));
                let _ = tx.send(AppEvent::Profiles(list));
            }
            Command::ListModels => {
                let files = paths::list_models();
                let _ = tx.send(AppEvent::Models(files.clone()));
                // Each file's description: read in full (validated), so off the UI thread.
                std::thread::spawn(move || {
                    for f in files {
                        let info = crate::ml::persist::SavedModel::describe_file(&f);
                        if tx.send(AppEvent::ModelInfo(f, info)).is_err() {
                            break;
                        }
                    }
                });
            }
            Command::ListDir(dir) => {
                let dir = dir.canonicalize().unwrap_or(dir);
                let r = paths::list_dir(&dir);
                let _ = tx.send(AppEvent::Dir(dir, r));
            }
            Command::Complete(text) => {
                let (text, matches) = paths::complete_path(&text);
                let _ = tx.send(AppEvent::Completed(text, matches));
            }
            _ => {}
        }
    }

    /// Extracts the preset's features (cached) and runs the experiment on its own thread,
    /// reporting extraction progress and the experiment's events.
    fn train(&mut self, run: u32, corpus: Corpus, preset: Preset, spec: ExperimentSpec) {
        let token = CancelToken::new();
        self.runs.insert(run, token.clone());
        let tx = self.tx.clone();
        std::thread::spawn(move || {
            let step = (corpus.clips.len() / 50).max(1);
            // `Sender` is `Sync`: the rayon workers send through it directly.
            let progress = |done: usize, total: usize| {
                if done.is_multiple_of(step) || done == total {
                    let _ = tx.send(AppEvent::Run(run, RunEvent::Extracting { done, total }));
                }
            };
            let events = |e: JobEvent| {
                let _ = tx.send(AppEvent::Run(run, RunEvent::Job(e)));
            };
            let t0 = std::time::Instant::now();
            match work::run_dataset(&corpus, preset, &spec, &token, &progress) {
                Ok((ds, cross)) => {
                    // The report says how long extraction took and on which corpus.
                    let extracted = t0.elapsed().as_secs_f64();
                    let name = match &spec.test_corpus {
                        Some(t) => format!("{} → {t}", corpus.spec),
                        None => corpus.spec.to_string(),
                    };
                    let events = |mut e: JobEvent| {
                        if let JobEvent::Finished(r) = &mut e {
                            r.extract_seconds = extracted;
                            r.corpus = name.clone();
                            r.cross_corpus = cross.clone();
                        }
                        events(e)
                    };
                    let _ = crate::ml::experiment::run(&ds, &spec, &token, &events);
                }
                Err(_) if token.is_cancelled() => events(JobEvent::Cancelled),
                Err(e) => events(JobEvent::Failed(e)),
            }
        });
    }
}
