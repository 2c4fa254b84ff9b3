//! Speaker profiles: a new speaker's own feature statistics, recorded once, so a model that
//! normalises per speaker can classify that speaker's single clips (a recording comes from a
//! speaker the corpus never had). Stored as RON under `profiles/NAME.ron`.

use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};
use thiserror::Error;

use super::scale::StandardScaler;
use crate::audio::Audio;
use crate::features::{FeatureConfig, summarise};

/// The profile format this build writes and reads.
pub const FORMAT: u32 = 1;

/// Fewest clips a profile is made from: statistics of fewer say little about a voice.
pub const MIN_CLIPS: usize = 3;

/// One speaker's per-feature mean and standard deviation under one feature configuration.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SpeakerProfile {
    pub format: u32,
    pub name: String,
    pub features: FeatureConfig,
    /// Fitted on the speaker's clips, exactly as per-speaker normalisation does in training.
    pub scaler: StandardScaler,
    /// The clips it was made from.
    pub clips: Vec<String>,
}

#[derive(Debug, Error)]
pub enum ProfileError {
    #[error("a speaker profile needs at least {MIN_CLIPS} clips of the speaker (got {0})")]
    TooFewClips(usize),
    #[error("{path}: cannot enrol this clip: {why}", path = .0.display(), why = .1)]
    Clip(PathBuf, String),
    #[error("{path}: cannot read the profile: {why}", path = .0.display(), why = .1)]
    Read(PathBuf, String),
    #[error("{path}: not a valid speaker profile: {why}", path = .0.display(), why = .1)]
    Parse(PathBuf, String),
    #[error("{path}: cannot save the profile: {why}", path = .0.display(), why = .1)]
    Write(PathBuf, String),
    #[error(
        "profile '{0}' was made with other features than this model's ({1}); enrol the speaker again for this model"
    )]
    Mismatch(String, String),
}

impl SpeakerProfile {
    /// A profile of the speaker of `clips` (at least [`MIN_CLIPS`]) for `features`.
    pub fn enrol(
        name: &str,
        features: &FeatureConfig,
        clips: &[(String, Audio)],
    ) -> Result<SpeakerProfile, ProfileError> {
        if clips.len() < MIN_CLIPS {
            return Err(ProfileError::TooFewClips(clips.len()));
        }
        let d = features.names().len();
        let mut x = Vec::with_capacity(clips.len() * d);
        for (_, a) in clips {
            x.extend(summarise(a, features).into_iter().map(f64::from));
        }
        Ok(SpeakerProfile {
            format: FORMAT,
            name: name.to_string(),
            features: features.clone(),
            scaler: StandardScaler::fit(&x, d),
            clips: clips.iter().map(|c| c.0.clone()).collect(),
        })
    }

    /// A profile from WAV files of one speaker, the one enrolment path of both shells: each
    /// file is read at the features' rate (48 kHz for native-rate presets, as a recording is
    /// classified) and its silence trimmed to [`crate::audio::mic::TRIM_MARGIN_SECONDS`] on
    /// each side, exactly as a live recording is before classification — the statistics
    /// then describe what the model will be given.
    pub fn enrol_files(
        name: &str,
        features: &FeatureConfig,
        files: &[PathBuf],
        max_seconds: f64,
    ) -> Result<SpeakerProfile, ProfileError> {
        let rate = features.sample_rate.unwrap_or(48_000);
        let opts = crate::audio::LoadOptions {
            target_rate: Some(rate),
            max_seconds,
        };
        let clips = files
            .iter()
            .map(|f| {
                let audio = crate::audio::load(f, &opts)
                    .map_err(|e| ProfileError::Clip(f.clone(), e.kind.to_string()))?;
                let trimmed = crate::audio::mic::prepare(&audio, Some(rate))
                    .map_err(|k| ProfileError::Clip(f.clone(), k.to_string()))?;
                Ok((f.display().to_string(), trimmed))
            })
            .collect::<Result<Vec<_>, ProfileError>>()?;
        SpeakerProfile::enrol(name, features, &clips)
    }

    /// `profiles/NAME.ron`.
    pub fn path_for(name: &str) -> PathBuf {
        crate::util::ron_path_in("profiles", name, "-_", "speaker")
    }

    pub fn save(&self, path: &Path) -> Result<(), ProfileError> {
        crate::util::write_ron_atomic(path, self).map_err(|e| ProfileError::Write(path.into(), e))
    }

    /// Reads a profile and checks it as a model's parts are checked: its format, the
    /// extraction settings and the scaler ([`StandardScaler::validate`]). Errors name the
    /// file and the field.
    pub fn load(path: &Path) -> Result<SpeakerProfile, ProfileError> {
        let text = crate::util::read_text_bounded(path, crate::util::MAX_PROFILE_BYTES)
            .map_err(|e| ProfileError::Read(path.into(), e))?;
        let p: SpeakerProfile = crate::util::ron_options()
            .from_str(&text)
            .map_err(|e| ProfileError::Parse(path.into(), e.to_string()))?;
        let format = if p.format == FORMAT {
            Ok(())
        } else {
            Err(format!(
                "format: {} (this build reads profiles of format {FORMAT})",
                p.format
            ))
        };
        format
            .and_then(|()| p.features.validate())
            .and_then(|()| p.scaler.validate(super::persist::MAX_FEATURES))
            .map_err(|why| ProfileError::Parse(path.into(), why))?;
        Ok(p)
    }

    /// The `.ron` files in `profiles/`, sorted.
    pub fn list(dir: &Path) -> Vec<PathBuf> {
        crate::util::ron_files_in(dir)
    }
}
