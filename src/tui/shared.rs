//! What every pane may read: the corpus, the session's experiments, what plays, the jobs.
//! The app owns it and changes it; panes get it read-only and ask for changes as effects.

use crate::corpus::{ClipId, Corpus, CorpusSpec};

use super::jobs::Jobs;
use super::msg::Playing;
use super::runs::Run;

#[derive(Debug, Clone)]
pub struct Shared {
    /// The corpus asked for (what a session records).
    pub spec: CorpusSpec,
    /// The corpus open now: kept when opening another one fails.
    pub corpus: Option<Corpus>,
    /// Why the last corpus could not be opened.
    pub corpus_error: Option<String>,
    pub runs: Vec<Run>,
    pub playing: Option<Playing>,
    pub jobs: Jobs,
}

impl Shared {
    pub fn new(spec: CorpusSpec) -> Shared {
        Shared {
            spec,
            corpus: None,
            corpus_error: None,
            runs: Vec::new(),
            playing: None,
            jobs: Jobs::default(),
        }
    }

    pub fn run(&self, id: u32) -> Option<&Run> {
        self.runs.iter().find(|r| r.id == id)
    }

    /// The neutral (or calm) take of a corpus clip.
    pub fn counterpart(&self, id: &ClipId) -> Option<ClipId> {
        self.corpus.as_ref()?.counterpart(id)
    }

    /// The playback position when `key` plays.
    pub fn playing_at(&self, key: &super::msg::ClipKey) -> Option<f64> {
        self.playing
            .as_ref()
            .filter(|p| &p.key == key)
            .map(|p| p.seconds)
    }
}
