//! Saved models: the whole fitted pipeline — feature configuration, scaler, per-speaker
//! normalisation policy, classifier, label set, provenance and cross-validated scores — as
//! RON in `models/`. Loading it back classifies new clips with exactly the extraction the
//! model was trained with.

use std::path::Path;

use serde::{Deserialize, Serialize};
use thiserror::Error;

use super::dataset::Dataset;
use super::experiment::{ExperimentSpec, Report};
use super::metrics::Scores;
use super::models::{self, Model, ModelSpec};
use super::scale::{StandardScaler, normalise_per_group};
use super::smote::smote;
use crate::audio::{Audio, LoadOptions};
use crate::corpus::{Corpus, Emotion};
use crate::features::{FeatureConfig, summarise};
use crate::util::derive_seed;

mod check;
pub use check::MAX_FEATURES;
use check::check_model;

/// Where a per-speaker-normalised model gets the speaker's statistics.
#[derive(Debug, Clone, Copy)]
pub enum SpeakerNorm<'a> {
    /// No statistics (fine for models without per-speaker normalisation).
    None,
    /// From the clips being classified, all one speaker's.
    SameSpeaker,
    /// From an enrolled speaker profile.
    Profile(&'a super::profile::SpeakerProfile),
}

impl SpeakerNorm<'_> {
    /// What a prediction says was applied: "none", "these clips", or "profile NAME".
    pub fn describe(&self, model_uses_it: bool) -> String {
        match (model_uses_it, self) {
            (false, _) | (true, SpeakerNorm::None) => "none".into(),
            (true, SpeakerNorm::SameSpeaker) => "these clips' own statistics".into(),
            (true, SpeakerNorm::Profile(p)) => format!("profile {}", p.name),
        }
    }
}

/// The saved-model format version this build writes and reads.
pub const FORMAT: u32 = 1;

/// Where a model came from.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Provenance {
    pub corpus: String,
    pub clips: usize,
    pub protocol: String,
    pub seed: u64,
    /// Pooled cross-validated scores of the experiment that chose this model.
    pub cv_scores: Scores,
    pub emoscope_version: String,
    /// When the model was fitted, UTC (`2026-12-02 23:30`; empty in older files).
    #[serde(default)]
    pub saved: String,
}

/// A trained pipeline.
#[derive(Debug, Serialize, Deserialize)]
pub struct SavedModel {
    pub format: u32,
    pub features: FeatureConfig,
    pub speaker_norm: bool,
    pub smote_k: Option<usize>,
    /// Columns kept by univariate selection before scaling (None = all).
    #[serde(default)]
    pub selection: Option<super::select::Selection>,
    pub scaler: StandardScaler,
    pub classes: Vec<Emotion>,
    pub spec: ModelSpec,
    pub model: Model,
    pub provenance: Provenance,
}

#[derive(Debug, Error)]
pub enum PersistError {
    #[error("{path}: cannot read: {why}", path = .0.display(), why = .1)]
    Read(std::path::PathBuf, String),
    #[error("{path}: not a valid emoscope model (corrupt or truncated?): {why}", path = .0.display(), why = .1)]
    Parse(std::path::PathBuf, String),
    #[error("{path}: model format {v} is not supported by this build (reads format {FORMAT})", path = .0.display(), v = .1)]
    Format(std::path::PathBuf, u32),
    #[error("{path}: cannot write: {why}", path = .0.display(), why = .1)]
    Write(std::path::PathBuf, String),
    #[error("{0}")]
    Train(String),
    #[error(
        "the model normalises per speaker: give a speaker profile (emoscope enrol, then --profile NAME) or several clips of one speaker (--same-speaker)"
    )]
    NeedsSpeakerClips,
    #[error("{0}")]
    Profile(String),
    #[error(
        "the recording is silent: nothing rose above the noise floor (is the microphone muted?)"
    )]
    Silent,
    #[error("{0}")]
    Audio(#[from] crate::audio::AudioError),
    #[error("the clip's features have {got} values, the model expects {want}")]
    Dimension { got: usize, want: usize },
    #[error(
        "the model gave no valid probability for this clip: its file holds numbers out of \
         range (a scaler or classifier value too large or too small)"
    )]
    OutOfRange,
}

/// The (selection, model) pair the final model is fitted with: [`Report::most_chosen`], or
/// the grid's first without folds.
fn most_chosen(
    spec: &ExperimentSpec,
    report: &Report,
) -> Result<(Option<usize>, ModelSpec), PersistError> {
    report
        .most_chosen()
        .map(|(select, model)| (select, model.clone()))
        .or_else(|| {
            spec.grid
                .first()
                .map(|g| (spec.select.first().copied(), g.clone()))
        })
        .ok_or_else(|| PersistError::Train("empty grid".into()))
}

/// Fits the final model on every clip with the experiment's pipeline. With a grid, the
/// hyperparameters chosen most often across the outer folds are used (first in grid order on
/// ties).
pub fn train_final(
    ds: &Dataset,
    spec: &ExperimentSpec,
    features: &FeatureConfig,
    report: &Report,
    corpus: &Corpus,
) -> Result<SavedModel, PersistError> {
    let (select, chosen) = most_chosen(spec, report)?;
    let d = ds.n_features;
    let mut x = ds.x.clone();
    if spec.speaker_norm {
        let groups: Vec<u16> = ds.ids.iter().map(|i| i.actor.number()).collect();
        normalise_per_group(&mut x, d, &groups);
    }
    let mut y = ds.y.clone();
    let selection = select.map(|k| super::select::Selection::k_best(&x, &y, d, ds.n_classes(), k));
    let (x_sel, d) = match &selection {
        Some(sel) => (sel.apply(&x), sel.len()),
        None => (x, d),
    };
    let mut x = x_sel;
    let scaler = StandardScaler::fit(&x, d);
    scaler.transform(&mut x);
    if let Some(k) = spec.smote_k {
        let name = |c: usize| ds.classes.get(c).map_or(c.to_string(), |e| e.to_string());
        (x, y) = smote(&x, &y, d, k, derive_seed(spec.seed, 7), &name)
            .map_err(|e| PersistError::Train(e.to_string()))?;
    }
    let opts = models::FitOptions {
        calibrate: true,
        seed: derive_seed(spec.seed, 13),
    };
    let model = models::fit_with(
        &chosen.with_seed(derive_seed(spec.seed, 11)),
        &x,
        &y,
        d,
        ds.n_classes(),
        opts,
    )
    .map_err(|e| PersistError::Train(e.to_string()))?;
    Ok(SavedModel {
        format: FORMAT,
        features: features.clone(),
        speaker_norm: spec.speaker_norm,
        smote_k: spec.smote_k,
        selection,
        scaler,
        classes: ds.classes.clone(),
        spec: chosen,
        model,
        provenance: Provenance {
            corpus: corpus.spec.to_string(),
            clips: ds.len(),
            protocol: spec.protocol.to_string(),
            seed: spec.seed,
            cv_scores: report.scores.clone(),
            emoscope_version: env!("CARGO_PKG_VERSION").to_string(),
            saved: crate::util::utc_minute(),
        },
    })
}

impl SavedModel {
    /// Writes the model as RON, atomically (a failed save leaves any previous file intact).
    pub fn save(&self, path: &Path) -> Result<(), PersistError> {
        crate::util::write_ron_atomic(path, self).map_err(|e| PersistError::Write(path.into(), e))
    }

    /// Reads a model; every failure names the file.
    pub fn load(path: &Path) -> Result<SavedModel, PersistError> {
        let text = crate::util::read_text_bounded(path, crate::util::MAX_MODEL_BYTES)
            .map_err(|e| PersistError::Read(path.into(), e))?;
        Self::parse(&text, path)
    }

    /// Parses and validates a model's text (errors name `path`): what [`Self::load`] does
    /// after reading, and what the `model` fuzz target drives.
    pub fn parse(text: &str, path: &Path) -> Result<SavedModel, PersistError> {
        let text = text.to_string();
        #[derive(Deserialize)]
        struct Header {
            format: u32,
        }
        // Check the version first, so a newer file says so rather than failing to parse.
        if let Ok(h) = crate::util::ron_options().from_str::<Header>(&text)
            && h.format != FORMAT
        {
            return Err(PersistError::Format(path.into(), h.format));
        }
        let m: SavedModel = crate::util::ron_options()
            .from_str(&text)
            .map_err(|e| PersistError::Parse(path.into(), e.to_string()))?;
        if m.format != FORMAT {
            return Err(PersistError::Format(path.into(), m.format));
        }
        m.check_shapes()
            .map_err(|why| PersistError::Parse(path.into(), why))?;
        Ok(m)
    }

    /// Everything `classify` reads, checked once on load: the extraction settings, the
    /// scaler, the selection and the classifier, consistent with each other (what would
    /// otherwise index out of range, loop or ask for absurd memory). Names the field.
    fn check_shapes(&self) -> Result<(), String> {
        self.features.validate()?;
        self.scaler.validate(MAX_FEATURES)?;
        let d = self.scaler.mean.len();
        if self.classes.is_empty() {
            return Err("classes: none".into());
        }
        if let Some(sel) = &self.selection {
            if sel.n_input > MAX_FEATURES {
                return Err(format!(
                    "selection.n_input: {} features (at most {MAX_FEATURES})",
                    sel.n_input
                ));
            }
            if sel.keep.len() != d {
                return Err(format!(
                    "selection: keeps {} columns, the scaler has {d}",
                    sel.keep.len()
                ));
            }
            if let Some(j) = sel.keep.iter().find(|&&j| j >= sel.n_input) {
                return Err(format!(
                    "selection: column {j} is outside the {} input features",
                    sel.n_input
                ));
            }
        }
        check_model(&self.model, d, self.classes.len())
    }

    /// Feature vectors of clips, with the model's own extraction settings.
    pub fn features_of(&self, audio: &Audio) -> Vec<f64> {
        summarise(audio, &self.features)
            .into_iter()
            .map(f64::from)
            .collect()
    }

    /// Classifies clips. A model trained with per-speaker normalisation needs the speaker's
    /// statistics: from the clips themselves (`SpeakerNorm::SameSpeaker`, all one speaker's)
    /// or from an enrolled profile. A model without it ignores the choice.
    pub fn classify(
        &self,
        clips: &[Audio],
        norm: SpeakerNorm<'_>,
    ) -> Result<Vec<(Emotion, Vec<f64>)>, PersistError> {
        let features: Vec<Vec<f64>> = clips.iter().map(|a| self.features_of(a)).collect();
        self.classify_features(&features, norm)
    }

    /// [`Self::classify`] from the clips' feature vectors ([`Self::features_of`]).
    pub fn classify_features(
        &self,
        features: &[Vec<f64>],
        norm: SpeakerNorm<'_>,
    ) -> Result<Vec<(Emotion, Vec<f64>)>, PersistError> {
        let d = self
            .selection
            .as_ref()
            .map_or(self.scaler.mean.len(), |s| s.n_input);
        let mut x = Vec::new();
        for v in features {
            if v.len() != d {
                return Err(PersistError::Dimension {
                    got: v.len(),
                    want: d,
                });
            }
            x.extend(v);
        }
        let n_clips = features.len();
        if self.speaker_norm {
            match norm {
                SpeakerNorm::None => return Err(PersistError::NeedsSpeakerClips),
                SpeakerNorm::SameSpeaker => normalise_per_group(&mut x, d, &vec![0; n_clips]),
                SpeakerNorm::Profile(p) => {
                    if p.features != self.features || p.scaler.mean.len() != d {
                        return Err(PersistError::Profile(
                            super::profile::ProfileError::Mismatch(
                                p.name.clone(),
                                self.features.preset.to_string(),
                            )
                            .to_string(),
                        ));
                    }
                    p.scaler.transform(&mut x);
                }
            }
        }
        let (mut x, d) = match &self.selection {
            Some(sel) => (sel.apply(&x), sel.len()),
            None => (x, d),
        };
        self.scaler.transform(&mut x);
        let pred = self
            .model
            .predict(&x, d)
            .map_err(|e| PersistError::Train(e.to_string()))?;
        // Each number was checked finite on load, but extremes can still overflow together
        // (a weight of 1e300 times a feature of 1e10): refuse rather than answer from NaN.
        if pred.iter().flat_map(|(_, p)| p).any(|v| !v.is_finite()) {
            return Err(PersistError::OutOfRange);
        }
        pred.into_iter()
            .map(|(c, p)| Ok((*self.classes.get(c).ok_or(PersistError::OutOfRange)?, p)))
            .collect()
    }

    /// The rate a live recording is resampled to: the model's analysis rate, or RAVDESS's
    /// 48 kHz when the model analyses files at their native rate (as the classic notebook
    /// vector does), since that is what its training clips had.
    pub fn recording_rate(&self) -> u32 {
        self.features.sample_rate.unwrap_or(48_000)
    }

    /// Classifies a raw recording: resampled to [`Self::recording_rate`], silence trimmed at
    /// both ends (`audio::mic::prepare`). Returns the emotion, the class probabilities and
    /// the prepared audio.
    pub fn classify_recording(
        &self,
        raw: &Audio,
        norm: SpeakerNorm<'_>,
    ) -> Result<(Emotion, Vec<f64>, Audio), PersistError> {
        let ready =
            crate::audio::mic::prepare(raw, Some(self.recording_rate())).map_err(|k| match k {
                crate::audio::AudioErrorKind::Empty => PersistError::Silent,
                k => PersistError::Audio(crate::audio::AudioError::new(Path::new("recording"), k)),
            })?;
        let (e, p) = self
            .classify(std::slice::from_ref(&ready), norm)?
            .into_iter()
            .next()
            .ok_or_else(|| PersistError::Train("no prediction".into()))?;
        Ok((e, p, ready))
    }

    /// Load options that give the audio the model's analysis rate.
    pub fn load_options(&self) -> LoadOptions {
        LoadOptions {
            target_rate: self.features.sample_rate,
            ..LoadOptions::default()
        }
    }
}
