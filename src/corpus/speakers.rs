//! Speakers of every corpus emoscope reads, with their sex as each corpus documents it.
//!
//! A speaker is one number, unique across corpora, so speaker folds and per-speaker
//! normalisation never merge two corpora's speakers:
//!
//! | corpus | speakers | numbers | sex |
//! |---|---|---|---|
//! | RAVDESS | actors 01–24 | 1–24 | odd male, even female |
//! | EmoDB | 03, 08–16 | 103, 108–116 | Burkhardt et al. (2005), speaker table |
//! | SAVEE | DC, JE, JK, KL | 201–204 | all male |
//! | TESS | OAF, YAF | 301–302 | both female |
//! | CREMA-D | 1001–1091 | 1001–1091 | `VideoDemographics.csv` of the corpus |

use std::fmt;

use serde::{Deserialize, Serialize};

use super::format::SpeakerSet;
use super::labels::Sex;

/// EmoDB's speakers and their sex (Burkhardt et al. 2005, "A database of German emotional
/// speech", Interspeech; the corpus's speaker table).
const EMODB: [(u16, Sex); 10] = [
    (3, Sex::Male),
    (8, Sex::Female),
    (9, Sex::Female),
    (10, Sex::Male),
    (11, Sex::Male),
    (12, Sex::Male),
    (13, Sex::Female),
    (14, Sex::Female),
    (15, Sex::Male),
    (16, Sex::Female),
];

/// SAVEE's four male speakers, in their code order.
pub const SAVEE: [&str; 4] = ["DC", "JE", "JK", "KL"];

/// TESS's two female speakers: the older and the younger actress.
pub const TESS: [&str; 2] = ["OAF", "YAF"];

/// The sex of CREMA-D actors 1001–1091, in order (`M`/`F`), from the `Sex` column of the
/// corpus's `VideoDemographics.csv` (CREMA-D, Cao et al. 2014; Open Database License).
const CREMA_D_SEX: &str =
    "MFFFMFFFFFMFFMMMMFMFFMMFFMMFFFMMMMMMFMMMMMFMMFFMFMMFFFFFMFMFFMFMMMMMMMMFFFFFMFFMMFMFMMMMFMF";

/// A speaker, unique across the corpora emoscope reads (see the module table).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(try_from = "u16", into = "u16")]
pub struct Actor(u16);

impl Actor {
    /// Highest actor number in RAVDESS.
    pub const MAX: u8 = 24;

    /// A speaker from its number, if some corpus has it.
    pub fn new(number: u16) -> Option<Self> {
        let a = Actor(number);
        a.set().is_some().then_some(a)
    }

    /// A RAVDESS actor, 1–24.
    pub fn ravdess(number: u8) -> Option<Self> {
        (1..=Self::MAX)
            .contains(&number)
            .then_some(Actor(u16::from(number)))
    }

    /// All 24 RAVDESS actors in order.
    pub fn ravdess_actors() -> impl Iterator<Item = Actor> {
        (1..=u16::from(Self::MAX)).map(Actor)
    }

    /// A speaker by its number within its corpus (EmoDB 3, SAVEE 1–4, TESS 1–2, …).
    pub fn in_set(set: SpeakerSet, local: u16) -> Option<Self> {
        let number = match set {
            SpeakerSet::Ravdess => local,
            SpeakerSet::EmoDb => 100 + local,
            SpeakerSet::Savee => 200 + local,
            SpeakerSet::Tess => 300 + local,
            SpeakerSet::CremaD => local,
        };
        Actor::new(number).filter(|a| a.set() == Some(set))
    }

    /// Every speaker of a corpus, in order.
    pub fn of_set(set: SpeakerSet) -> Vec<Actor> {
        (0..=1091).filter_map(|n| Actor::in_set(set, n)).collect()
    }

    /// The number, unique across corpora.
    pub fn number(self) -> u16 {
        self.0
    }

    /// The number within its corpus (RAVDESS 12, EmoDB 3, SAVEE 1–4, TESS 1–2, CREMA-D 1001).
    pub fn local(self) -> u16 {
        match self.set() {
            Some(SpeakerSet::EmoDb) => self.0 - 100,
            Some(SpeakerSet::Savee) => self.0 - 200,
            Some(SpeakerSet::Tess) => self.0 - 300,
            _ => self.0,
        }
    }

    /// The corpus whose speaker this is.
    pub fn set(self) -> Option<SpeakerSet> {
        match self.0 {
            1..=24 => Some(SpeakerSet::Ravdess),
            103 | 108..=116 => Some(SpeakerSet::EmoDb),
            201..=204 => Some(SpeakerSet::Savee),
            301..=302 => Some(SpeakerSet::Tess),
            1001..=1091 => Some(SpeakerSet::CremaD),
            _ => None,
        }
    }

    /// The speaker's sex, as its corpus documents it.
    pub fn sex(self) -> Sex {
        let female = |b: bool| if b { Sex::Female } else { Sex::Male };
        match self.set() {
            Some(SpeakerSet::Ravdess) | None => female(self.0.is_multiple_of(2)),
            Some(SpeakerSet::EmoDb) => EMODB
                .iter()
                .find(|(n, _)| *n == self.local())
                .map_or(Sex::Male, |(_, s)| *s),
            Some(SpeakerSet::Savee) => Sex::Male,
            Some(SpeakerSet::Tess) => Sex::Female,
            Some(SpeakerSet::CremaD) => {
                let i = usize::from(self.0 - 1001);
                female(CREMA_D_SEX.as_bytes().get(i) == Some(&b'F'))
            }
        }
    }

    /// How the corpus writes the speaker: `12`, `03` (EmoDB), `DC`, `OAF`, `1001`.
    pub fn label(self) -> String {
        let local = usize::from(self.local());
        match self.set() {
            Some(SpeakerSet::Savee) => SAVEE[local - 1].to_string(),
            Some(SpeakerSet::Tess) => TESS[local - 1].to_string(),
            _ => format!("{:02}", self.local()),
        }
    }
}

/// EmoDB's speaker numbers, for parsing.
pub(super) fn emodb_speaker(n: u16) -> Option<Actor> {
    EMODB.iter().any(|(x, _)| *x == n).then_some(Actor(100 + n))
}

impl TryFrom<u16> for Actor {
    type Error = String;
    fn try_from(n: u16) -> Result<Self, String> {
        Actor::new(n).ok_or_else(|| {
            format!(
                "speaker {n} is not a speaker of any corpus (RAVDESS 1-24, EmoDB 103-116, \
                 SAVEE 201-204, TESS 301-302, CREMA-D 1001-1091)"
            )
        })
    }
}

impl From<Actor> for u16 {
    fn from(a: Actor) -> u16 {
        a.0
    }
}

impl fmt::Display for Actor {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.pad(&self.label())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn speakers_and_sexes_follow_each_corpus() {
        assert_eq!(Actor::ravdess(12).map(Actor::sex), Some(Sex::Female));
        assert_eq!(Actor::ravdess(25), None);
        let emodb = Actor::of_set(SpeakerSet::EmoDb);
        assert_eq!(emodb.len(), 10);
        let females: Vec<String> = emodb
            .iter()
            .filter(|a| a.sex() == Sex::Female)
            .map(|a| a.label())
            .collect();
        assert_eq!(females, ["08", "09", "13", "14", "16"]);
        let crema = Actor::of_set(SpeakerSet::CremaD);
        assert_eq!(crema.len(), 91);
        assert_eq!(CREMA_D_SEX.len(), 91);
        // The demographics table: 48 male and 43 female actors; 1001 male, 1002 female.
        assert_eq!(crema.iter().filter(|a| a.sex() == Sex::Male).count(), 48);
        assert_eq!(crema[0].sex(), Sex::Male);
        assert_eq!(crema[1].sex(), Sex::Female);
        assert_eq!(crema[90].label(), "1091");
        let savee: Vec<String> = Actor::of_set(SpeakerSet::Savee)
            .iter()
            .map(|a| a.label())
            .collect();
        assert_eq!(savee, SAVEE);
        assert!(
            Actor::of_set(SpeakerSet::Tess)
                .iter()
                .all(|a| a.sex() == Sex::Female)
        );
        assert_eq!(Actor::new(100), None);
        assert_eq!(Actor::new(25), None);
        assert_eq!(Actor::in_set(SpeakerSet::EmoDb, 4), None);
    }
}
