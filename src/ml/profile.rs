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

    /// `profiles/NAME.ron`.
    pub fn path_for(name: &str) -> PathBuf {
        crate::util::ron_path_in("profiles", name, "-_", "speaker")
    }

    pub fn save(&self, path: &Path) -> Result<(), ProfileError> {
        crate::util::write_ron_atomic(path, self).map_err(|e| ProfileError::Write(path.into(), e))
    }

    pub fn load(path: &Path) -> Result<SpeakerProfile, ProfileError> {
        let text = std::fs::read_to_string(path)
            .map_err(|e| ProfileError::Read(path.into(), e.to_string()))?;
        ron::from_str(&text).map_err(|e| ProfileError::Parse(path.into(), e.to_string()))
    }

    /// The `.ron` files in `profiles/`, sorted.
    pub fn list(dir: &Path) -> Vec<PathBuf> {
        crate::util::ron_files_in(dir)
    }
}
