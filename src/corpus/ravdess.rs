//! RAVDESS file names: `MM-VV-EE-II-SS-RR-AA.wav`, seven two-digit fields.
//!
//! | field | codes |
//! |---|---|
//! | modality | 01 full-AV, 02 video-only, 03 audio-only |
//! | vocal channel | 01 speech, 02 song |
//! | emotion | 01 neutral, 02 calm, 03 happy, 04 sad, 05 angry, 06 fearful, 07 disgust, 08 surprised |
//! | intensity | 01 normal, 02 strong (neutral has no strong intensity) |
//! | statement | 01 "Kids are talking by the door", 02 "Dogs are sitting by the door" |
//! | repetition | 01, 02 |
//! | actor | 01–24; odd = male, even = female |
//!
//! Livingstone & Russo (2018), PLoS ONE 13(5): e0196391.

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Serialize};
use thiserror::Error;

/// Defines a field enum with its two-digit RAVDESS code and display name.
macro_rules! coded_enum {
    ($(#[$meta:meta])* $name:ident { $($variant:ident = $code:literal, $label:literal;)+ }) => {
        $(#[$meta])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
        #[serde(rename_all = "lowercase")]
        pub enum $name { $($variant),+ }

        impl $name {
            /// Every value, in code order.
            pub const ALL: &'static [$name] = &[$($name::$variant),+];

            /// The two-digit code used in file names.
            pub fn code(self) -> u8 {
                match self { $($name::$variant => $code),+ }
            }

            /// The value for a code, if the code is defined.
            pub fn from_code(code: u8) -> Option<Self> {
                match code { $($code => Some($name::$variant),)+ _ => None }
            }

            /// A lowercase human-readable name.
            pub fn name(self) -> &'static str {
                match self { $($name::$variant => $label),+ }
            }
        }

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.pad(self.name())
            }
        }

        impl FromStr for $name {
            type Err = String;
            fn from_str(s: &str) -> Result<Self, String> {
                let lower = s.trim().to_ascii_lowercase();
                if let Ok(code) = lower.parse::<u8>() {
                    if let Some(v) = Self::from_code(code) {
                        return Ok(v);
                    }
                }
                Self::ALL
                    .iter()
                    .copied()
                    .find(|v| v.name() == lower)
                    .ok_or_else(|| {
                        let names: Vec<&str> = Self::ALL.iter().map(|v| v.name()).collect();
                        format!("unknown {} '{}' (expected one of: {})", stringify!($name).to_lowercase(), s, names.join(", "))
                    })
            }
        }
    };
}

coded_enum!(
    /// Recording modality.
    Modality {
        FullAv = 1, "full-av";
        VideoOnly = 2, "video-only";
        AudioOnly = 3, "audio-only";
    }
);

coded_enum!(
    /// Speech or song.
    VocalChannel {
        Speech = 1, "speech";
        Song = 2, "song";
    }
);

coded_enum!(
    /// The eight RAVDESS emotions.
    Emotion {
        Neutral = 1, "neutral";
        Calm = 2, "calm";
        Happy = 3, "happy";
        Sad = 4, "sad";
        Angry = 5, "angry";
        Fearful = 6, "fearful";
        Disgust = 7, "disgust";
        Surprised = 8, "surprised";
    }
);

coded_enum!(
    /// Emotional intensity.
    Intensity {
        Normal = 1, "normal";
        Strong = 2, "strong";
    }
);

coded_enum!(
    /// The two lexically matched sentences.
    Statement {
        Kids = 1, "kids";
        Dogs = 2, "dogs";
    }
);

coded_enum!(
    /// Actor sex, derived from the actor number (odd = male, even = female).
    Sex {
        Male = 1, "male";
        Female = 2, "female";
    }
);

impl Statement {
    /// The sentence as spoken.
    pub fn text(self) -> &'static str {
        match self {
            Statement::Kids => "Kids are talking by the door",
            Statement::Dogs => "Dogs are sitting by the door",
        }
    }
}

impl Emotion {
    /// A short three-letter label for narrow table columns.
    pub fn short(self) -> &'static str {
        match self {
            Emotion::Neutral => "neu",
            Emotion::Calm => "cal",
            Emotion::Happy => "hap",
            Emotion::Sad => "sad",
            Emotion::Angry => "ang",
            Emotion::Fearful => "fea",
            Emotion::Disgust => "dis",
            Emotion::Surprised => "sur",
        }
    }

    /// Zero-based class index (code − 1), the label used by classifiers.
    pub fn index(self) -> usize {
        usize::from(self.code() - 1)
    }
}

/// An actor number, 1–24 in RAVDESS.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(try_from = "u8", into = "u8")]
pub struct Actor(u8);

impl Actor {
    /// Highest actor number in the corpus.
    pub const MAX: u8 = 24;

    /// An actor from its number, if it is 1–24.
    pub fn new(number: u8) -> Option<Self> {
        (1..=Self::MAX).contains(&number).then_some(Actor(number))
    }

    /// All 24 actors in order.
    pub fn all() -> impl Iterator<Item = Actor> {
        (1..=Self::MAX).map(Actor)
    }

    /// The actor number.
    pub fn number(self) -> u8 {
        self.0
    }

    /// Sex from actor parity: odd actors are male, even are female.
    pub fn sex(self) -> Sex {
        if self.0 % 2 == 1 {
            Sex::Male
        } else {
            Sex::Female
        }
    }
}

impl TryFrom<u8> for Actor {
    type Error = String;
    fn try_from(n: u8) -> Result<Self, String> {
        Actor::new(n).ok_or_else(|| format!("actor {n} is outside 1-{}", Actor::MAX))
    }
}

impl From<Actor> for u8 {
    fn from(a: Actor) -> u8 {
        a.0
    }
}

impl fmt::Display for Actor {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:02}", self.0)
    }
}

/// The seven decoded fields of a RAVDESS file name.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub struct RavdessId {
    pub modality: Modality,
    pub channel: VocalChannel,
    pub emotion: Emotion,
    pub intensity: Intensity,
    pub statement: Statement,
    /// 1 or 2.
    pub repetition: u8,
    pub actor: Actor,
}

/// Why a file name is not a RAVDESS name.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum NameError {
    #[error("expected 7 two-digit fields like 03-01-05-01-02-01-12, found {0} field(s)")]
    FieldCount(usize),
    #[error("field {field} '{value}' is not a two-digit number")]
    NotANumber { field: &'static str, value: String },
    #[error("{field} code {code:02} is out of range ({allowed})")]
    OutOfRange {
        field: &'static str,
        code: u8,
        allowed: &'static str,
    },
    #[error("neutral has no strong intensity (intensity 02 with emotion 01)")]
    StrongNeutral,
}

const FIELD_NAMES: [&str; 7] = [
    "modality",
    "vocal channel",
    "emotion",
    "intensity",
    "statement",
    "repetition",
    "actor",
];

impl RavdessId {
    /// Sex of the actor.
    pub fn sex(&self) -> Sex {
        self.actor.sex()
    }

    /// Parses a file stem (`03-01-05-01-02-01-12`) or file name (`….wav`, any case).
    pub fn parse(name: &str) -> Result<Self, NameError> {
        let stem = name
            .strip_suffix(".wav")
            .or_else(|| name.strip_suffix(".WAV"))
            .or_else(|| name.strip_suffix(".Wav"))
            .unwrap_or(name);
        let parts: Vec<&str> = stem.split('-').collect();
        if parts.len() != 7 {
            return Err(NameError::FieldCount(parts.len()));
        }
        let mut codes = [0u8; 7];
        for (i, part) in parts.iter().enumerate() {
            if part.len() != 2 || !part.bytes().all(|b| b.is_ascii_digit()) {
                return Err(NameError::NotANumber {
                    field: FIELD_NAMES[i],
                    value: (*part).to_string(),
                });
            }
            // Two ASCII digits always parse into a u8.
            codes[i] = (part.as_bytes()[0] - b'0') * 10 + (part.as_bytes()[1] - b'0');
        }
        fn field<T>(
            code: u8,
            field: &'static str,
            allowed: &'static str,
            f: impl Fn(u8) -> Option<T>,
        ) -> Result<T, NameError> {
            f(code).ok_or(NameError::OutOfRange {
                field,
                code,
                allowed,
            })
        }
        let id = RavdessId {
            modality: field(codes[0], "modality", "01-03", Modality::from_code)?,
            channel: field(codes[1], "vocal channel", "01-02", VocalChannel::from_code)?,
            emotion: field(codes[2], "emotion", "01-08", Emotion::from_code)?,
            intensity: field(codes[3], "intensity", "01-02", Intensity::from_code)?,
            statement: field(codes[4], "statement", "01-02", Statement::from_code)?,
            repetition: field(codes[5], "repetition", "01-02", |c| {
                (1..=2).contains(&c).then_some(c)
            })?,
            actor: field(codes[6], "actor", "01-24", Actor::new)?,
        };
        if id.emotion == Emotion::Neutral && id.intensity == Intensity::Strong {
            return Err(NameError::StrongNeutral);
        }
        Ok(id)
    }

    /// The file stem, e.g. `03-01-05-01-02-01-12`.
    pub fn stem(&self) -> String {
        format!(
            "{:02}-{:02}-{:02}-{:02}-{:02}-{:02}-{:02}",
            self.modality.code(),
            self.channel.code(),
            self.emotion.code(),
            self.intensity.code(),
            self.statement.code(),
            self.repetition,
            self.actor.number()
        )
    }

    /// The file name, e.g. `03-01-05-01-02-01-12.wav`.
    pub fn file_name(&self) -> String {
        format!("{}.wav", self.stem())
    }

    /// A one-line human description: `angry (normal), "Dogs are sitting by the door", rep 1, actor 12 (female)`.
    pub fn describe(&self) -> String {
        format!(
            "{} ({}), \"{}\", rep {}, actor {} ({}){}",
            self.emotion,
            self.intensity,
            self.statement.text(),
            self.repetition,
            self.actor,
            self.sex(),
            match self.channel {
                VocalChannel::Speech => "",
                VocalChannel::Song => ", song",
            }
        )
    }

    /// Every audio-only speech clip of the full corpus, in name order: 24 actors × 60 = 1440.
    pub fn speech_corpus() -> Vec<RavdessId> {
        let mut ids = Vec::with_capacity(1440);
        for actor in Actor::all() {
            for &emotion in Emotion::ALL {
                for &intensity in Intensity::ALL {
                    if emotion == Emotion::Neutral && intensity == Intensity::Strong {
                        continue;
                    }
                    for &statement in Statement::ALL {
                        for repetition in 1..=2 {
                            ids.push(RavdessId {
                                modality: Modality::AudioOnly,
                                channel: VocalChannel::Speech,
                                emotion,
                                intensity,
                                statement,
                                repetition,
                                actor,
                            });
                        }
                    }
                }
            }
        }
        ids
    }
}

impl fmt::Display for RavdessId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.stem())
    }
}

impl FromStr for RavdessId {
    type Err = NameError;
    fn from_str(s: &str) -> Result<Self, NameError> {
        RavdessId::parse(s)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_the_readme_example() {
        let id = RavdessId::parse("03-01-06-01-02-01-12.wav").unwrap();
        assert_eq!(id.modality, Modality::AudioOnly);
        assert_eq!(id.channel, VocalChannel::Speech);
        assert_eq!(id.emotion, Emotion::Fearful);
        assert_eq!(id.intensity, Intensity::Normal);
        assert_eq!(id.statement, Statement::Dogs);
        assert_eq!(id.repetition, 1);
        assert_eq!(id.actor.number(), 12);
        assert_eq!(id.sex(), Sex::Female);
        assert_eq!(id.file_name(), "03-01-06-01-02-01-12.wav");
    }

    #[test]
    fn song_and_case_insensitive_extension() {
        let id = RavdessId::parse("03-02-03-02-01-02-07.WAV").unwrap();
        assert_eq!(id.channel, VocalChannel::Song);
        assert_eq!(id.sex(), Sex::Male);
    }

    #[test]
    fn rejects_bad_names_with_reasons() {
        assert_eq!(
            RavdessId::parse("03-01-09-01-01-01-25.wav"),
            Err(NameError::OutOfRange {
                field: "emotion",
                code: 9,
                allowed: "01-08"
            })
        );
        assert!(matches!(
            RavdessId::parse("03-01-01-01-01-01-25"),
            Err(NameError::OutOfRange {
                field: "actor",
                code: 25,
                ..
            })
        ));
        assert!(matches!(
            RavdessId::parse("03-01-01-01-01-01-00"),
            Err(NameError::OutOfRange {
                field: "actor",
                code: 0,
                ..
            })
        ));
        assert_eq!(
            RavdessId::parse("recording.wav"),
            Err(NameError::FieldCount(1))
        );
        assert!(matches!(
            RavdessId::parse("03-01-0a-01-01-01-02"),
            Err(NameError::NotANumber {
                field: "emotion",
                ..
            })
        ));
        assert_eq!(
            RavdessId::parse("03-01-01-02-01-01-02"),
            Err(NameError::StrongNeutral)
        );
        assert!(matches!(
            RavdessId::parse("03-01-01-01-01-03-02"),
            Err(NameError::OutOfRange {
                field: "repetition",
                ..
            })
        ));
    }

    #[test]
    fn every_corpus_id_round_trips() {
        let ids = RavdessId::speech_corpus();
        assert_eq!(ids.len(), 1440);
        for id in &ids {
            assert_eq!(RavdessId::parse(&id.file_name()).as_ref(), Ok(id));
        }
        let neutral = ids.iter().filter(|i| i.emotion == Emotion::Neutral).count();
        assert_eq!(neutral, 96);
        let angry = ids.iter().filter(|i| i.emotion == Emotion::Angry).count();
        assert_eq!(angry, 192);
    }

    #[test]
    fn enums_parse_from_names_and_codes() {
        assert_eq!("angry".parse::<Emotion>(), Ok(Emotion::Angry));
        assert_eq!("05".parse::<Emotion>(), Ok(Emotion::Angry));
        assert_eq!("8".parse::<Emotion>(), Ok(Emotion::Surprised));
        assert!("furious".parse::<Emotion>().is_err());
        assert_eq!(Emotion::Surprised.index(), 7);
    }
}
