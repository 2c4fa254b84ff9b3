//! Cross-corpus evaluation: train on all of one corpus, test on all of another, on the
//! emotions the two share.

use serde::{Deserialize, Serialize};

use crate::corpus::{CorpusFormat, Emotion};
use crate::features::extract::FeatureTable;

/// What a cross-corpus evaluation used: the corpora and the classes.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CrossCorpus {
    pub train: CorpusFormat,
    pub test: CorpusFormat,
    /// The emotions both corpora have: the classes trained and scored.
    pub classes: Vec<Emotion>,
    /// Emotions only the training corpus has (its clips of them are left out).
    pub train_only: Vec<Emotion>,
    /// Emotions only the test corpus has (left out).
    pub test_only: Vec<Emotion>,
}

impl CrossCorpus {
    /// "classes: angry, happy …; left out: calm, surprised (RAVDESS only), boredom (EmoDB only)".
    pub fn describe(&self) -> String {
        let mut text = format!(
            "trained on {}, tested on {}; classes both have: {}",
            self.train,
            self.test,
            names(&self.classes)
        );
        if !self.train_only.is_empty() {
            text.push_str(&format!(
                "; left out {} ({} only)",
                names(&self.train_only),
                self.train
            ));
        }
        if !self.test_only.is_empty() {
            text.push_str(&format!(
                "; left out {} ({} only)",
                names(&self.test_only),
                self.test
            ));
        }
        text
    }

    /// For narrow panels: "RAVDESS → EmoDB · 6 classes · left out calm, surprised | boredom".
    pub fn short(&self) -> String {
        let mut text = format!(
            "{} → {} · {} classes",
            self.train,
            self.test,
            self.classes.len()
        );
        if !self.train_only.is_empty() || !self.test_only.is_empty() {
            text.push_str(&format!(
                " · left out {} | {}",
                names(&self.train_only),
                names(&self.test_only)
            ));
        }
        text
    }
}

/// "angry, sad, neutral".
fn names(v: &[Emotion]) -> String {
    v.iter().map(|e| e.name()).collect::<Vec<_>>().join(", ")
}

/// The format most rows of a table have.
fn main_format(t: &FeatureTable) -> Option<CorpusFormat> {
    let mut n: std::collections::BTreeMap<CorpusFormat, usize> = Default::default();
    for r in &t.rows {
        *n.entry(r.id.format()).or_default() += 1;
    }
    n.into_iter().max_by_key(|(_, c)| *c).map(|(f, _)| f)
}

/// One table of the training corpus's and the test corpus's rows, restricted to the
/// emotions both have, for [`crate::ml::protocol::Protocol::CrossCorpus`].
pub fn cross_corpus_table(
    train: &FeatureTable,
    test: &FeatureTable,
) -> Result<(FeatureTable, CrossCorpus), String> {
    if train.names != test.names {
        return Err("the two corpora's features differ (extract both with one preset)".into());
    }
    let (Some(a), Some(b)) = (main_format(train), main_format(test)) else {
        return Err("one of the corpora has no clips".into());
    };
    if a == b {
        return Err(format!(
            "both corpora are {a}: cross-corpus evaluation needs two different corpora"
        ));
    }
    let emotions = |t: &FeatureTable| {
        let mut e: Vec<Emotion> = t.rows.iter().map(|r| r.id.emotion).collect();
        e.sort();
        e.dedup();
        e
    };
    let (ea, eb) = (emotions(train), emotions(test));
    let classes: Vec<Emotion> = ea.iter().copied().filter(|e| eb.contains(e)).collect();
    if classes.len() < 2 {
        return Err(format!(
            "{a} and {b} share {} emotion(s); classification needs two",
            classes.len()
        ));
    }
    let info = CrossCorpus {
        train: a,
        test: b,
        train_only: ea
            .iter()
            .copied()
            .filter(|e| !classes.contains(e))
            .collect(),
        test_only: eb
            .iter()
            .copied()
            .filter(|e| !classes.contains(e))
            .collect(),
        classes,
    };
    let keep = |t: &FeatureTable, format: CorpusFormat| {
        t.rows
            .iter()
            .filter(|r| r.id.format() == format && info.classes.contains(&r.id.emotion))
            .cloned()
            .collect::<Vec<_>>()
    };
    let mut rows = keep(train, a);
    rows.extend(keep(test, b));
    let mut failures = train.failures.clone();
    failures.extend(test.failures.iter().cloned());
    let table = FeatureTable {
        config: train.config.clone(),
        names: train.names.clone(),
        rows,
        failures,
        cache_hits: train.cache_hits + test.cache_hits,
    };
    Ok((table, info))
}
