//! A clip's identity and labels, read from its file name, for every corpus emoscope reads.

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Serialize};
use thiserror::Error;

use super::format::{self, CorpusFormat};
use super::labels::{Emotion, Intensity, Modality, Sex, Statement, VocalChannel};
use super::speakers::Actor;

/// The labels of one clip. Fields RAVDESS has and other corpora lack take a fixed value
/// there: modality audio-only, channel speech, intensity unspecified (CREMA-D has levels),
/// repetition 1 (EmoDB's version letter a, b, … is 1, 2, …).
///
/// Ordered by field, so a RAVDESS corpus sorts as its file names do.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub struct ClipId {
    pub modality: Modality,
    pub channel: VocalChannel,
    pub emotion: Emotion,
    pub intensity: Intensity,
    pub statement: Statement,
    /// RAVDESS 1 or 2; EmoDB's version; otherwise 1.
    pub repetition: u8,
    pub actor: Actor,
}

/// Why a file name is not a name of a corpus emoscope reads.
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
    #[error("{format} {field} '{value}' is not one of: {allowed}")]
    Field {
        format: &'static str,
        field: &'static str,
        value: String,
        allowed: &'static str,
    },
    #[error("{format} names look like {example}")]
    Shape {
        format: &'static str,
        example: &'static str,
    },
    #[error("a {found} name where {wanted} names were asked for")]
    OtherFormat {
        found: &'static str,
        wanted: &'static str,
    },
    #[error(
        "not a name of a corpus emoscope reads (RAVDESS 03-01-05-01-02-01-12, EmoDB 03a01Fa, \
         CREMA-D 1001_DFA_ANG_XX, TESS OAF_back_angry, SAVEE DC_a01)"
    )]
    Unrecognised,
}

impl ClipId {
    /// Parses a file name (or stem) of any corpus emoscope reads, telling the corpus by the
    /// name's shape; the error names what is wrong for that corpus.
    pub fn parse(name: &str) -> Result<Self, NameError> {
        CorpusFormat::guess(name)
            .ok_or(NameError::Unrecognised)?
            .parse(name)
    }

    /// Parses the name of the file at `path` ([`format::clip_name`]: its file name, or
    /// SAVEE's `DC/a01.wav` as `DC_a01.wav`).
    pub fn from_path(path: &std::path::Path) -> Result<Self, NameError> {
        ClipId::parse(&format::clip_name(path))
    }

    /// The corpus this clip belongs to.
    pub fn format(&self) -> CorpusFormat {
        match self.actor.set() {
            Some(format::SpeakerSet::EmoDb) => CorpusFormat::EmoDb,
            Some(format::SpeakerSet::CremaD) => CorpusFormat::CremaD,
            Some(format::SpeakerSet::Tess) => CorpusFormat::Tess,
            Some(format::SpeakerSet::Savee) => CorpusFormat::Savee,
            _ => match self.channel {
                VocalChannel::Song => CorpusFormat::RavdessSong,
                VocalChannel::Speech => CorpusFormat::Ravdess,
            },
        }
    }

    /// Sex of the speaker.
    pub fn sex(&self) -> Sex {
        self.actor.sex()
    }

    /// The corpus's own emotion label (EmoDB `W`, CREMA-D `ANG`, RAVDESS `angry`).
    pub fn native_label(&self) -> String {
        self.format()
            .native_label(self.emotion)
            .unwrap_or_else(|| self.emotion.name().to_string())
    }

    /// The file stem as the corpus writes it, e.g. `03-01-05-01-02-01-12` or `03a01Fa`.
    pub fn stem(&self) -> String {
        format::stem(self)
    }

    /// The file name, e.g. `03-01-05-01-02-01-12.wav`.
    pub fn file_name(&self) -> String {
        format!("{}.wav", self.stem())
    }

    /// A one-line human description:
    /// `angry (normal), "Dogs are sitting by the door", rep 1, actor 12 (female)`.
    pub fn describe(&self) -> String {
        let format = self.format();
        let what = match self.statement.text() {
            Some(t) => format!("\"{t}\""),
            None => format!("\"{}\"", self.statement),
        };
        match format {
            CorpusFormat::Ravdess | CorpusFormat::RavdessSong => format!(
                "{} ({}), {what}, rep {}, actor {} ({}){}",
                self.emotion,
                self.intensity,
                self.repetition,
                self.actor,
                self.sex(),
                if format == CorpusFormat::RavdessSong {
                    ", song"
                } else {
                    ""
                }
            ),
            _ => {
                let level = if self.intensity == Intensity::Unspecified {
                    String::new()
                } else {
                    format!(" ({})", self.intensity)
                };
                format!(
                    "{}{level} [{} {}], {what}, speaker {} ({})",
                    self.emotion,
                    format.title(),
                    self.native_label(),
                    self.actor,
                    self.sex()
                )
            }
        }
    }
}

impl fmt::Display for ClipId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.stem())
    }
}

impl FromStr for ClipId {
    type Err = NameError;
    fn from_str(s: &str) -> Result<Self, NameError> {
        ClipId::parse(s)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ok(name: &str) -> ClipId {
        match ClipId::parse(name) {
            Ok(id) => id,
            Err(e) => panic!("{name}: {e}"),
        }
    }

    /// A name, its corpus, shared emotion, own label, speaker as written, sex.
    const CASES: [(&str, CorpusFormat, Emotion, &str, &str, Sex); 9] = [
        (
            "03a01Fa.wav",
            CorpusFormat::EmoDb,
            Emotion::Happy,
            "F",
            "03",
            Sex::Male,
        ),
        (
            "16b10Lc.wav",
            CorpusFormat::EmoDb,
            Emotion::Boredom,
            "L",
            "16",
            Sex::Female,
        ),
        (
            "1001_DFA_ANG_XX.wav",
            CorpusFormat::CremaD,
            Emotion::Angry,
            "ANG",
            "1001",
            Sex::Male,
        ),
        (
            "1002_IEO_HAP_HI.wav",
            CorpusFormat::CremaD,
            Emotion::Happy,
            "HAP",
            "1002",
            Sex::Female,
        ),
        (
            "OAF_back_angry.wav",
            CorpusFormat::Tess,
            Emotion::Angry,
            "angry",
            "OAF",
            Sex::Female,
        ),
        (
            "YAF_youth_ps.wav",
            CorpusFormat::Tess,
            Emotion::Surprised,
            "ps",
            "YAF",
            Sex::Female,
        ),
        (
            "DC_a01.wav",
            CorpusFormat::Savee,
            Emotion::Angry,
            "a",
            "DC",
            Sex::Male,
        ),
        (
            "KL_sa15.wav",
            CorpusFormat::Savee,
            Emotion::Sad,
            "sa",
            "KL",
            Sex::Male,
        ),
        (
            "03-02-03-01-01-02-07.wav",
            CorpusFormat::RavdessSong,
            Emotion::Happy,
            "happy",
            "07",
            Sex::Male,
        ),
    ];

    #[test]
    fn each_corpus_name_parses_maps_and_round_trips() {
        for (name, format, emotion, native, speaker, sex) in CASES {
            let id = ok(name);
            assert_eq!(id.format(), format, "{name}");
            assert_eq!(id.emotion, emotion, "{name}");
            assert_eq!(id.native_label(), native, "{name}");
            assert_eq!(id.actor.label(), speaker, "{name}");
            assert_eq!(id.sex(), sex, "{name}");
            assert_eq!(id.file_name(), name, "{name} round trip");
            assert_eq!(format.parse(name), Ok(id));
        }
        let crema = ok("1002_IEO_HAP_HI");
        assert_eq!(crema.intensity, Intensity::High);
        assert_eq!(crema.statement.text(), Some("It's eleven o'clock."));
        assert_eq!(ok("03a01Fb").repetition, 2);
        assert!(ok("03a01Fa").describe().contains("[EmoDB F]"));
    }

    #[test]
    fn bad_names_say_what_is_wrong_for_their_corpus() {
        let err = |n: &str| ClipId::parse(n).map(|_| ()).unwrap_err().to_string();
        assert_eq!(
            err("04a01Fa.wav"),
            "EmoDB speaker '04' is not one of: 03, 08-16"
        );
        assert!(err("03a03Fa").contains("EmoDB text 'a03'"));
        assert!(err("03a01Xa").contains("EmoDB emotion 'X'"));
        assert!(err("1092_DFA_ANG_XX").contains("CREMA-D actor '1092'"));
        assert!(err("1001_DFA_ANG_ZZ").contains("CREMA-D level 'ZZ'"));
        assert!(err("1001_DFA_CAL_XX").contains("CREMA-D emotion 'CAL'"));
        assert_eq!(
            err("1001_DFA_ANG"),
            "CREMA-D names look like 1001_DFA_ANG_XX.wav"
        );
        assert!(err("OAF_back_bored").contains("TESS emotion 'bored'"));
        assert!(err("DC_x01").contains("SAVEE emotion 'x'"));
        assert!(err("DC_a31").contains("SAVEE sentence '31'"));
        assert!(err("recording.wav").starts_with("not a name of a corpus"));
        assert_eq!(
            CorpusFormat::Ravdess.parse("03-02-03-01-01-02-07"),
            Err(NameError::OtherFormat {
                found: "RAVDESS song",
                wanted: "RAVDESS"
            })
        );
        assert!(CorpusFormat::EmoDb.parse("DC_a01").is_err());
    }

    #[test]
    fn formats_parse_from_their_names() {
        for f in CorpusFormat::ALL {
            assert_eq!(f.name().parse::<CorpusFormat>(), Ok(f));
            assert!(f.parse(f.example()).is_ok(), "{f}");
            assert!(!f.emotions().is_empty());
        }
        assert_eq!("EmoDB".parse(), Ok(CorpusFormat::EmoDb));
        assert!("berlin".parse::<CorpusFormat>().is_err());
        assert_eq!(CorpusFormat::EmoDb.emotions().len(), 7);
        assert!(CorpusFormat::EmoDb.emotions().contains(&Emotion::Boredom));
        assert_eq!(CorpusFormat::RavdessSong.emotions().len(), 6);
    }
}
