//! The background work the executor runs for the TUI: each a plain function of its inputs
//! that returns what the app is told (or sends it, for the long-lived recorder and player).

use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::mpsc::Sender;
use std::time::Duration;

use crate::audio::LoadOptions;
use crate::corpus::{Clip, ClipId, Corpus};
use crate::features::extract::{FeatureCache, extract_corpus};
use crate::features::inspect::{ClipAnalysis, clip_analysis};
use crate::features::{FeatureConfig, Preset};
use crate::ml::dataset::Dataset;
use crate::ml::experiment::Report;
use crate::ml::persist::SavedModel;
use crate::session::Classification;

use super::msg::{AppEvent, Classified, ClipKey, EnrolFor, ModelJob, PlayEvent, RecordEvent};

/// What the inspector shows of a corpus clip.
pub fn clip_view(clip: &Clip) -> Result<ClipAnalysis, String> {
    let audio = clip
        .load(&LoadOptions::default())
        .map_err(|e| e.to_string())?;
    Ok(clip_analysis(&audio, Some(clip.id)))
}

/// What the inspector shows of a corpus clip or of any WAV file (a file named like a RAVDESS
/// clip gets its fields).
pub fn key_view(
    key: &ClipKey,
    clip: Option<&Clip>,
    load: &LoadOptions,
) -> Result<ClipAnalysis, String> {
    match (key, clip) {
        (_, Some(c)) => clip_view(c),
        (ClipKey::File(path), None) => {
            let audio = crate::audio::load(path, load).map_err(|e| e.to_string())?;
            let id = ClipId::from_path(path).ok();
            Ok(clip_analysis(&audio, id))
        }
        (ClipKey::Corpus(id), None) => Err(format!("{id} is not in the corpus")),
    }
}

/// The preset's features of every clip (through the default cache) as a dataset.
pub fn corpus_dataset(
    corpus: &Corpus,
    preset: Preset,
    cancel: &crate::jobs::CancelToken,
    progress: &(dyn Fn(usize, usize) + Sync),
) -> Result<Dataset, String> {
    let table = corpus_table(corpus, preset, cancel, progress)?;
    Dataset::from_table(&table).map_err(|e| e.to_string())
}

/// A preset's features of a corpus through the default cache; failed clips are logged.
fn corpus_table(
    corpus: &Corpus,
    preset: Preset,
    cancel: &crate::jobs::CancelToken,
    progress: &(dyn Fn(usize, usize) + Sync),
) -> Result<crate::features::extract::FeatureTable, String> {
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
    Ok(table)
}

/// The dataset a run trains on: the corpus's own, or for a cross-corpus spec the open
/// corpus's and the test corpus's clips on the classes they share (the test corpus is
/// scanned here, in the background).
pub fn run_dataset(
    corpus: &Corpus,
    preset: Preset,
    spec: &crate::ml::experiment::ExperimentSpec,
    cancel: &crate::jobs::CancelToken,
    progress: &(dyn Fn(usize, usize) + Sync),
) -> Result<(Dataset, Option<crate::ml::cross::CrossCorpus>), String> {
    let Some(test_spec) = &spec.test_corpus else {
        return corpus_dataset(corpus, preset, cancel, progress).map(|ds| (ds, None));
    };
    let test = Corpus::open(test_spec, &crate::audio::LoadOptions::default())
        .map_err(|e| format!("cannot open the test corpus: {e}"))?;
    let train = corpus_table(corpus, preset, cancel, progress)?;
    let test = corpus_table(&test, preset, cancel, progress)?;
    let (table, cross) = crate::ml::cross::cross_corpus_table(&train, &test)?;
    let ds = Dataset::from_table(&table).map_err(|e| e.to_string())?;
    Ok((ds, Some(cross)))
}

/// What permutation importance reports as it goes: its features read, its folds being
/// refitted (called once, `(0, 0)`), then its shuffles.
pub struct ImportanceProgress<'a> {
    pub reading: &'a (dyn Fn(usize, usize) + Sync),
    pub refitting: &'a (dyn Fn(usize, usize) + Sync),
    pub shuffled: &'a (dyn Fn(usize, usize) + Sync),
}

/// Permutation importance of a finished run: its dataset rebuilt (from the cache) and its
/// folds refitted ([`crate::ml::importance`]).
pub fn importance(
    corpus: &Corpus,
    preset: Preset,
    report: &Report,
    progress: &ImportanceProgress,
) -> Result<crate::ml::importance::Importance, String> {
    let cancel = crate::jobs::CancelToken::new();
    let (ds, _) = run_dataset(corpus, preset, &report.spec, &cancel, progress.reading)?;
    (progress.refitting)(0, 0);
    crate::ml::importance::permutation_importance(
        &ds,
        report,
        crate::ml::importance::DEFAULT_REPEATS,
        &cancel,
        progress.shuffled,
    )
    .map_err(|e| e.to_string())
}

/// Fits a finished experiment's final model on every clip of the corpus; `reading` hears
/// how far its features are read (from the cache, or extracted where it is cold).
pub fn fit_final(
    corpus: &Corpus,
    preset: Preset,
    report: &Report,
    reading: &(dyn Fn(usize, usize) + Sync),
) -> Result<SavedModel, String> {
    let ds = corpus_dataset(corpus, preset, &crate::jobs::CancelToken::new(), reading)?;
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
/// had to be fitted (`reading` hears how far that fit's features are read).
pub fn classify_file(
    path: &Path,
    recording: bool,
    job: ModelJob,
    label: String,
    profile: Option<&Path>,
    load: &LoadOptions,
    reading: &(dyn Fn(usize, usize) + Sync),
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
        } => fit_final(&corpus, preset, &report, reading).map(|m| {
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
        // The library's message names CLI flags; in the TUI the keys do the same.
        let named = |e: &crate::ml::persist::PersistError| match e {
            crate::ml::persist::PersistError::NeedsSpeakerClips => format!(
                "{}: the model normalises per speaker — choose a speaker profile (p), or \
                 enrol one from the history's clips (E)",
                path.display()
            ),
            e => format!("{}: {e}", path.display()),
        };
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
pub fn record(tx: &Sender<AppEvent>, stop: &AtomicBool) {
    let mic = match crate::audio::device::open_mic(None) {
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
    let done = |_| stop.load(Ordering::Relaxed);
    let mut level = |seconds, peak| {
        let _ = tx.send(AppEvent::Recording(RecordEvent::Level { seconds, peak }));
    };
    let (raw, lost) = mic.record_until(&done, &mut level);
    let path = Path::new("recordings").join(format!("rec-{}.wav", crate::util::utc_stamp()));
    let saved = crate::audio::write_wav_pcm16(&path, &raw.samples, raw.sample_rate)
        .map_err(|e| e.to_string())
        .map(|()| path);
    let _ = tx.send(AppEvent::Recording(RecordEvent::Stopped { saved, lost }));
}

/// Plays a clip on the default output, reporting the position until it ends or `stop`.
pub fn play(
    tx: &Sender<AppEvent>,
    key: ClipKey,
    clip: Option<Clip>,
    stop: &AtomicBool,
    load: &LoadOptions,
) {
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
    while !stop.load(Ordering::Relaxed) && !player.finished() {
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
pub fn enrol(name: &str, files: &[PathBuf], model: EnrolFor) -> Result<PathBuf, String> {
    let features = match model {
        EnrolFor::Preset(p) => FeatureConfig::preset(p),
        EnrolFor::Model(path) => SavedModel::load(&path).map_err(|e| e.to_string())?.features,
    };
    let p = crate::ml::profile::SpeakerProfile::enrol_files(
        name,
        &features,
        files,
        LoadOptions::default().max_seconds,
    )
    .map_err(|e| e.to_string())?;
    let path = crate::ml::profile::SpeakerProfile::path_for(name);
    p.save(&path).map_err(|e| e.to_string())?;
    Ok(path)
}

/// Writes a run's report (the CLI's `--json`), confusion matrix and per-clip predictions
/// (CSV) beside `stem`, each atomically; returns the files written.
pub fn export_run(report: &Report, stem: &Path) -> Result<Vec<PathBuf>, String> {
    use crate::ml::export::{confusion_csv, predictions_csv, report_json};
    let with = |suffix: &str| {
        let mut name = stem.as_os_str().to_owned();
        name.push(suffix);
        PathBuf::from(name)
    };
    let files = [
        (with(".json"), report_json(report)?),
        (with("-confusion.csv"), confusion_csv(report)?),
        (with("-predictions.csv"), predictions_csv(report)?),
    ];
    if let Some(dir) = stem.parent().filter(|d| !d.as_os_str().is_empty()) {
        std::fs::create_dir_all(dir).map_err(|e| format!("{}: {e}", crate::util::shown(dir)))?;
    }
    let mut written = Vec::new();
    for (path, text) in files {
        crate::util::write_atomic(&path, text.as_bytes())
            .map_err(|e| format!("{}: {e}", crate::util::shown(&path)))?;
        written.push(path);
    }
    Ok(written)
}
