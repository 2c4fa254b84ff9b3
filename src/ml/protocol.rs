//! Evaluation protocols: which rows train and which test. The only place that splits.

use std::fmt;
use std::str::FromStr;

use rand::SeedableRng;
use rand::seq::SliceRandom;
use rand_chacha::ChaCha8Rng;
use serde::{Deserialize, Serialize};
use thiserror::Error;

use super::dataset::Dataset;
use crate::corpus::{CorpusFormat, Sex};

/// The protocol both shells start from: speaker-independent actor 5-fold.
pub const DEFAULT_PROTOCOL: &str = "actor-kfold:5";

/// A train/test protocol.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Protocol {
    /// Stratified random hold-out of this fraction (speakers shared: speaker-dependent).
    Random { test_fraction: f64, seed: u64 },
    /// Stratified k-fold over clips (speakers shared: speaker-dependent).
    StratifiedKFold { k: usize, seed: u64 },
    /// k folds of whole actors, each fold balanced by sex (speaker-independent).
    ActorKFold { k: usize },
    /// Leave one speaker out: one fold per actor (speaker-independent).
    Loso,
    /// Train on every actor but these, test on these (speaker-independent).
    Holdout { test_actors: Vec<u16> },
    /// Explicit folds: each a set of test actors, trained on everyone else (for comparison
    /// with published fold assignments).
    Folds { test_actors: Vec<Vec<u16>> },
    /// Cross-corpus: train on every clip of the other corpus, test on every clip of this
    /// one (speaker-independent: corpora share no speakers).
    CrossCorpus { test: CorpusFormat },
}

/// One train/test split, as row indices.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Fold {
    pub train: Vec<usize>,
    pub test: Vec<usize>,
}

#[derive(Debug, Clone, PartialEq, Error)]
pub enum ProtocolError {
    #[error("{0} needs at least {1} actors, the data has {2}")]
    TooFewActors(String, usize, usize),
    #[error("hold-out actors {0:?} are not in the data")]
    NoTestActors(Vec<u16>),
    #[error("hold-out leaves no training actors")]
    NoTrainActors,
    #[error("fold {0} (test actors {1:?}) has no clips in the data")]
    EmptyFold(usize, Vec<u16>),
    #[error("bad protocol '{0}': {1}")]
    Parse(String, String),
    #[error("{0}: {1}")]
    Parameter(String, String),
    #[error(
        "cross-corpus evaluation needs clips of {0} to test on and of another corpus to train on"
    )]
    CrossCorpus(CorpusFormat),
}

impl Protocol {
    /// Bounds the data does not decide (checked for specs read back from a session; the
    /// parser refuses the same): stratified k-fold k at least 2, a random split's test
    /// fraction strictly between 0 and 1.
    pub fn check(&self) -> Result<(), ProtocolError> {
        match self.out_of_bounds() {
            Some(why) => Err(ProtocolError::Parameter(self.to_string(), why.into())),
            None => Ok(()),
        }
    }

    /// Which bound of [`Protocol::check`] is broken, if one is (the parser says the same).
    fn out_of_bounds(&self) -> Option<&'static str> {
        match self {
            Protocol::StratifiedKFold { k, .. } if *k < 2 => Some("at least 2 folds"),
            Protocol::Random { test_fraction, .. }
                if !(*test_fraction > 0.0 && *test_fraction < 1.0) =>
            {
                Some("the test fraction must be between 0 and 1")
            }
            _ => None,
        }
    }

    /// Whether no speaker appears on both sides of a split.
    pub fn speaker_independent(&self) -> bool {
        !matches!(
            self,
            Protocol::Random { .. } | Protocol::StratifiedKFold { .. }
        )
    }

    /// The folds of this protocol over `ds`.
    pub fn folds(&self, ds: &Dataset) -> Result<Vec<Fold>, ProtocolError> {
        let n = ds.len();
        let mut actors: Vec<u16> = ds.ids.iter().map(|i| i.actor.number()).collect();
        actors.sort_unstable();
        actors.dedup();
        let by_fold = |fold_of_actor: &dyn Fn(u16) -> usize, k: usize| -> Vec<Fold> {
            (0..k)
                .map(|f| {
                    let (test, train): (Vec<usize>, Vec<usize>) =
                        (0..n).partition(|&i| fold_of_actor(ds.actor(i).number()) == f);
                    Fold { train, test }
                })
                .collect()
        };
        match self {
            Protocol::Loso => {
                if actors.len() < 2 {
                    return Err(ProtocolError::TooFewActors(
                        self.to_string(),
                        2,
                        actors.len(),
                    ));
                }
                let pos = |a: u16| actors.iter().position(|&x| x == a).unwrap_or(0);
                Ok(by_fold(&pos, actors.len()))
            }
            Protocol::ActorKFold { k } => {
                if *k < 2 || actors.len() < *k {
                    return Err(ProtocolError::TooFewActors(
                        self.to_string(),
                        (*k).max(2),
                        actors.len(),
                    ));
                }
                let assign = sex_balanced_folds(&actors, *k);
                let fold = |a: u16| assign.iter().find(|(x, _)| *x == a).map_or(0, |(_, f)| *f);
                Ok(by_fold(&fold, *k))
            }
            Protocol::Holdout { test_actors } => {
                let (test, train): (Vec<usize>, Vec<usize>) =
                    (0..n).partition(|&i| test_actors.contains(&ds.actor(i).local()));
                if test.is_empty() {
                    return Err(ProtocolError::NoTestActors(test_actors.clone()));
                }
                if train.is_empty() {
                    return Err(ProtocolError::NoTrainActors);
                }
                Ok(vec![Fold { train, test }])
            }
            Protocol::Folds { test_actors } => explicit_folds(ds, test_actors),
            Protocol::Random {
                test_fraction,
                seed,
            } => Ok(vec![stratified_split(ds, *test_fraction, *seed)]),
            Protocol::StratifiedKFold { k, seed } => {
                if *k > n {
                    return Err(ProtocolError::Parameter(
                        self.to_string(),
                        format!("more folds than the {n} clips"),
                    ));
                }
                Ok(stratified_folds(ds, *k, *seed))
            }
            Protocol::CrossCorpus { test: corpus } => {
                let (test, train): (Vec<usize>, Vec<usize>) =
                    (0..n).partition(|&i| ds.ids[i].format() == *corpus);
                if test.is_empty() || train.is_empty() {
                    return Err(ProtocolError::CrossCorpus(*corpus));
                }
                Ok(vec![Fold { train, test }])
            }
        }
    }
}

/// One fold per set of test actors, trained on everyone else.
fn explicit_folds(ds: &Dataset, test_actors: &[Vec<u16>]) -> Result<Vec<Fold>, ProtocolError> {
    let mut folds = Vec::new();
    for (f, set) in test_actors.iter().enumerate() {
        let (test, train): (Vec<usize>, Vec<usize>) =
            (0..ds.len()).partition(|&i| set.contains(&ds.actor(i).local()));
        if test.is_empty() {
            return Err(ProtocolError::EmptyFold(f + 1, set.clone()));
        }
        if train.is_empty() {
            return Err(ProtocolError::NoTrainActors);
        }
        folds.push(Fold { train, test });
    }
    Ok(folds)
}

/// Speaker numbers written as `1,2,5-8` (1-99, or CREMA-D's 1001-1091).
fn speaker_list(list: &str) -> Result<Vec<u16>, String> {
    let one = |a: &str| -> Result<u16, String> {
        a.trim()
            .parse::<u16>()
            .ok()
            .filter(|a| (1..=99).contains(a) || (1001..=1091).contains(a))
            .ok_or_else(|| format!("'{a}' is not a speaker number (1-99, CREMA-D 1001-1091)"))
    };
    let mut actors = Vec::new();
    for part in list.split(',').filter(|p| !p.is_empty()) {
        if let Some((a, b)) = part.split_once('-') {
            actors.extend(one(a)?..=one(b)?);
        } else {
            actors.push(one(part)?);
        }
    }
    Ok(actors)
}

/// Actors to `k` folds: males round-robin, then females continuing, so folds balance by sex.
fn sex_balanced_folds(actors: &[u16], k: usize) -> Vec<(u16, usize)> {
    let mut assign: Vec<(u16, usize)> = Vec::new();
    let mut next = 0usize;
    for sex in [Sex::Male, Sex::Female] {
        for &a in actors
            .iter()
            .filter(|&&a| crate::corpus::Actor::new(a).is_some_and(|x| x.sex() == sex))
        {
            assign.push((a, next % k));
            next += 1;
        }
    }
    assign
}

/// A random train/test split stratified by class (`test_fraction` of each class, seeded).
fn stratified_split(ds: &Dataset, test_fraction: f64, seed: u64) -> Fold {
    let n = ds.len();
    let mut rng = ChaCha8Rng::seed_from_u64(seed);
    let (mut train, mut test) = (Vec::new(), Vec::new());
    for c in 0..ds.n_classes() {
        let mut idx: Vec<usize> = (0..n).filter(|&i| ds.y[i] == c).collect();
        idx.shuffle(&mut rng);
        let n_test = ((idx.len() as f64) * test_fraction).round() as usize;
        test.extend_from_slice(&idx[..n_test.min(idx.len())]);
        train.extend_from_slice(&idx[n_test.min(idx.len())..]);
    }
    train.sort_unstable();
    test.sort_unstable();
    Fold { train, test }
}

/// `k` folds stratified by class (each class shuffled, seeded, dealt round-robin).
fn stratified_folds(ds: &Dataset, k: usize, seed: u64) -> Vec<Fold> {
    let n = ds.len();
    let mut rng = ChaCha8Rng::seed_from_u64(seed);
    let mut fold_of = vec![0usize; n];
    for c in 0..ds.n_classes() {
        let mut idx: Vec<usize> = (0..n).filter(|&i| ds.y[i] == c).collect();
        idx.shuffle(&mut rng);
        for (j, i) in idx.into_iter().enumerate() {
            fold_of[i] = j % k;
        }
    }
    (0..k)
        .map(|f| {
            let (test, train): (Vec<usize>, Vec<usize>) = (0..n).partition(|&i| fold_of[i] == f);
            Fold { train, test }
        })
        .collect()
}

impl fmt::Display for Protocol {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Protocol::Random { test_fraction, .. } => {
                write!(f, "random:{test_fraction} (speaker-dependent)")
            }
            Protocol::StratifiedKFold { k, .. } => write!(f, "kfold:{k} (speaker-dependent)"),
            Protocol::ActorKFold { k } => write!(f, "actor-kfold:{k}"),
            Protocol::Loso => f.write_str("loso"),
            Protocol::Holdout { test_actors } => {
                let a: Vec<String> = test_actors.iter().map(|a| a.to_string()).collect();
                write!(f, "holdout:{}", a.join(","))
            }
            Protocol::Folds { test_actors } => {
                let sets: Vec<String> = test_actors
                    .iter()
                    .map(|set| {
                        let a: Vec<String> = set.iter().map(|a| a.to_string()).collect();
                        a.join(",")
                    })
                    .collect();
                write!(f, "folds:{}", sets.join("/"))
            }
            Protocol::CrossCorpus { test } => write!(f, "cross-corpus:{}", test.name()),
        }
    }
}

impl FromStr for Protocol {
    type Err = ProtocolError;
    /// `actor-kfold:5`, `loso`, `random:0.2`, `kfold:5`, `holdout:21-24` or `holdout:3,7`,
    /// `folds:1,2/3,4/5,6` (test actors of each fold; every actor in at most one fold).
    /// Seeds default to 0; the experiment's seed replaces them.
    fn from_str(s: &str) -> Result<Self, ProtocolError> {
        let bad = |why: &str| ProtocolError::Parse(s.to_string(), why.to_string());
        let (kind, arg) = s.split_once(':').unwrap_or((s, ""));
        let int = |a: &str| {
            a.parse::<usize>()
                .map_err(|_| bad("expected a whole number"))
        };
        let actor_list = |list: &str| speaker_list(list).map_err(|why| bad(&why));
        let protocol = match kind {
            "loso" => Ok(Protocol::Loso),
            "cross-corpus" => Ok(Protocol::CrossCorpus {
                test: arg.parse().map_err(|e: String| bad(&e))?,
            }),
            "folds" => {
                let mut sets = Vec::new();
                for set in arg.split('/') {
                    let a = actor_list(set)?;
                    if a.is_empty() {
                        return Err(bad("every fold needs test actors, e.g. folds:1,2/3,4"));
                    }
                    if let Some(x) = a.iter().find(|x| sets.iter().flatten().any(|y| y == *x)) {
                        return Err(bad(&format!("actor {x} is in two folds")));
                    }
                    sets.push(a);
                }
                if sets.len() < 2 {
                    return Err(bad("give at least two folds, e.g. folds:1,2/3,4"));
                }
                Ok(Protocol::Folds { test_actors: sets })
            }
            "actor-kfold" => Ok(Protocol::ActorKFold {
                k: if arg.is_empty() { 5 } else { int(arg)? },
            }),
            "kfold" => Ok(Protocol::StratifiedKFold {
                k: if arg.is_empty() { 5 } else { int(arg)? },
                seed: 0,
            }),
            "random" => {
                let f: f64 = if arg.is_empty() {
                    0.2
                } else {
                    arg.parse().map_err(|_| bad("expected a fraction"))?
                };
                Ok(Protocol::Random {
                    test_fraction: f,
                    seed: 0,
                })
            }
            "holdout" => {
                let actors = actor_list(arg)?;
                if actors.is_empty() {
                    return Err(bad("name the test actors, e.g. holdout:21-24"));
                }
                Ok(Protocol::Holdout {
                    test_actors: actors,
                })
            }
            _ => Err(bad(
                "expected actor-kfold:K, loso, random:F, kfold:K, holdout:A-B or folds:A,B/C,D",
            )),
        }?;
        match protocol.out_of_bounds() {
            Some(why) => Err(bad(why)),
            None => Ok(protocol),
        }
    }
}

impl Protocol {
    /// The same protocol with its seed (where it has one) set.
    pub fn with_seed(self, seed: u64) -> Protocol {
        match self {
            Protocol::Random { test_fraction, .. } => Protocol::Random {
                test_fraction,
                seed,
            },
            Protocol::StratifiedKFold { k, .. } => Protocol::StratifiedKFold { k, seed },
            other => other,
        }
    }
}
