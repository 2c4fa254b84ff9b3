//! Sessions: the state worth coming back to — which corpus, where the user was, every
//! experiment with its report, and the classification history — as
//! versioned RON under `sessions/`. Fields default when missing, so older files still load;
//! saves are atomic, so a failed save never destroys the previous file.

use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};
use thiserror::Error;

use crate::corpus::{ClipId, CorpusSpec, Emotion};
use crate::features::Preset;
use crate::ml::experiment::{ExperimentSpec, Report};

/// The session format this build writes.
pub const VERSION: u32 = 1;

/// Where the user was in the interface (plain data: no UI types).
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(default)]
pub struct UiState {
    /// Pane title, e.g. "Corpus", "Inspect".
    pub pane: String,
    /// Row (actor position) and column (emotion index) of the corpus grid.
    pub actor: usize,
    pub emotion: usize,
    /// Whether the clip list has the focus, and its selected row.
    pub in_clips: bool,
    pub clip_index: usize,
    pub filter_sex: Option<crate::corpus::Sex>,
    pub filter_intensity: Option<crate::corpus::Intensity>,
    pub filter_statement: Option<crate::corpus::Statement>,
    pub filter_repetition: Option<u8>,
    pub filter_channel: Option<crate::corpus::VocalChannel>,
    pub filter_text: String,
    pub inspected: Option<ClipId>,
    /// A file outside the corpus being inspected (a classified WAV), instead of `inspected`.
    pub inspected_file: Option<PathBuf>,
    /// Inspector view title, e.g. "spectrogram".
    pub view: String,
    pub side_by_side: bool,
    /// Train pane: the form's last settings.
    pub train_form: Option<TrainFormState>,
    /// Classify pane: the chosen model (a file in models/ or "experiment #N").
    pub classify_model: Option<String>,
    /// Classify pane: the chosen speaker profile.
    #[serde(default)]
    pub classify_profile: Option<PathBuf>,
    /// Compare pane: the picked runs (ids, at most two), the sort column title and order.
    #[serde(default)]
    pub compare_picked: Vec<u32>,
    #[serde(default)]
    pub compare_sort: String,
    #[serde(default)]
    pub compare_descending: bool,
    /// Train pane: row percentages instead of counts in the matrix.
    #[serde(default)]
    pub train_normalised: bool,
}

/// The Train pane's form, as plain data.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct TrainFormState {
    pub preset: Preset,
    pub family: String,
    pub grid: String,
    pub protocol: String,
    pub smote: bool,
    pub speaker_norm: bool,
    /// Features kept by in-fold selection ("" = all).
    #[serde(default)]
    pub select: String,
    /// Enrolment clips per test speaker (`None` = all).
    #[serde(default)]
    pub enrol: Option<usize>,
    pub seed: u64,
    /// The cross-corpus test corpus folder ("" = none).
    #[serde(default)]
    pub test_corpus: String,
}

/// How an experiment ended (or that it had not, when the session was saved).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub enum Outcome {
    /// Still running when the session was saved; restored as `Interrupted`.
    Running,
    Interrupted,
    Cancelled,
    Failed(String),
    Finished(Box<Report>),
}

/// One experiment of the session: what was asked and what came of it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ExperimentRecord {
    /// Numbered from 1 in the order they were started.
    pub id: u32,
    pub preset: Preset,
    pub spec: ExperimentSpec,
    pub outcome: Outcome,
}

impl ExperimentRecord {
    /// The finished report, if any.
    pub fn report(&self) -> Option<&Report> {
        match &self.outcome {
            Outcome::Finished(r) => Some(r),
            _ => None,
        }
    }

    /// A short label: "#3 svm · classic · actor-kfold:5".
    pub fn label(&self) -> String {
        let family = self.spec.grid.first().map_or("?", |m| m.family());
        format!(
            "#{} {family} · {} · {}",
            self.id, self.preset, self.spec.protocol
        )
    }
}

/// One classified file: which model said what.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Classification {
    pub file: PathBuf,
    /// The model's file, or "experiment #N" for a finished experiment of the session.
    pub model: String,
    pub emotion: Emotion,
    /// Probability of each class, in the model's class order.
    pub probabilities: Vec<(Emotion, f64)>,
    /// Which per-speaker normalisation was applied ("none", or a speaker profile's name).
    pub normalisation: String,
}

/// A saved session.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct Session {
    pub version: u32,
    pub corpus: CorpusSpec,
    pub ui: UiState,
    /// Every experiment of the session, finished or not.
    pub experiments: Vec<ExperimentRecord>,
    /// Classified files, oldest first.
    pub history: Vec<Classification>,
}

impl Default for Session {
    fn default() -> Self {
        Session {
            version: VERSION,
            corpus: CorpusSpec::default(),
            ui: UiState::default(),
            experiments: Vec::new(),
            history: Vec::new(),
        }
    }
}

#[derive(Debug, Error)]
pub enum SessionError {
    #[error("{path}: cannot read the session: {why}", path = .0.display(), why = .1)]
    Read(PathBuf, String),
    #[error("{path}: not a valid session file (left untouched): {why}", path = .0.display(), why = .1)]
    Parse(PathBuf, String),
    #[error("{path}: session version {v} is newer than this build reads ({VERSION})", path = .0.display(), v = .1)]
    Version(PathBuf, u32),
    #[error("{path}: cannot save the session: {why}", path = .0.display(), why = .1)]
    Write(PathBuf, String),
}

impl Session {
    pub fn load(path: &Path) -> Result<Session, SessionError> {
        let text = crate::util::read_text_bounded(path, crate::util::MAX_SESSION_BYTES)
            .map_err(|e| SessionError::Read(path.into(), e))?;
        Self::parse(&text, path)
    }

    /// Parses and validates a session's text (errors name `path`): what [`Self::load`] does
    /// after reading, and what the `session` fuzz target drives.
    pub fn parse(text: &str, path: &Path) -> Result<Session, SessionError> {
        let s: Session = crate::util::ron_options()
            .from_str(text)
            .map_err(|e| SessionError::Parse(path.into(), e.to_string()))?;
        if s.version > VERSION {
            return Err(SessionError::Version(path.into(), s.version));
        }
        s.validate()
            .map_err(|why| SessionError::Parse(path.into(), why))?;
        Ok(s)
    }

    /// Checks what the panes index with: every finished experiment's report
    /// ([`Report::validate`]) and every classification's probabilities.
    pub fn validate(&self) -> Result<(), String> {
        for (i, e) in self.experiments.iter().enumerate() {
            e.spec
                .validate()
                .map_err(|why| format!("experiments[{i}].spec.{why}"))?;
            if let Some(r) = e.report() {
                r.validate()
                    .map_err(|why| format!("experiments[{i}].report.{why}"))?;
            }
        }
        if self.ui.compare_picked.len() > 2 {
            return Err(format!(
                "ui.compare_picked: {} runs, at most 2 are compared",
                self.ui.compare_picked.len()
            ));
        }
        for (i, c) in self.history.iter().enumerate() {
            if c.probabilities.iter().any(|(_, p)| !p.is_finite()) {
                return Err(format!("history[{i}].probabilities: not finite numbers"));
            }
        }
        Ok(())
    }

    /// Saves atomically (temporary file + rename), creating the folder if needed.
    pub fn save(&self, path: &Path) -> Result<(), SessionError> {
        crate::util::write_ron_atomic(path, self).map_err(|e| SessionError::Write(path.into(), e))
    }

    /// `sessions/NAME.ron` for a user-given name (letters, digits, `-`, `_`, `.` kept).
    pub fn path_for_name(name: &str) -> PathBuf {
        crate::util::ron_path_in("sessions", name, "-_.", "session")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trip_missing_fields_and_bad_files() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("s.ron");
        let mut s = Session::default();
        s.ui.pane = "Inspect".into();
        s.ui.inspected = ClipId::parse("03-01-05-01-01-01-03").ok();
        s.save(&p).unwrap();
        assert_eq!(Session::load(&p).unwrap(), s);
        // An older file without ui fields still loads, with defaults.
        std::fs::write(&p, "(version: 1, corpus: synthetic(seed: 7))").unwrap();
        let old = Session::load(&p).unwrap();
        assert_eq!(old.corpus, CorpusSpec::synthetic(7));
        assert_eq!(old.ui, UiState::default());
        // A corrupt file is an error naming it and stays as it was.
        std::fs::write(&p, "(version: 1, corpus: ").unwrap();
        let err = Session::load(&p).unwrap_err().to_string();
        assert!(
            err.contains("s.ron") && err.contains("left untouched"),
            "{err}"
        );
        assert_eq!(
            std::fs::read_to_string(&p).unwrap(),
            "(version: 1, corpus: "
        );
        std::fs::write(&p, "(version: 9)").unwrap();
        assert!(
            Session::load(&p)
                .unwrap_err()
                .to_string()
                .contains("version 9")
        );
        assert_eq!(
            Session::path_for_name("my run/1"),
            Path::new("sessions/my_run_1.ron")
        );
    }
}
