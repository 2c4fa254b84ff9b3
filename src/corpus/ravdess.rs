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

use super::id::{ClipId, NameError};
use super::labels::{Emotion, Intensity, Modality, Statement, VocalChannel};
use super::speakers::Actor;

const FIELD_NAMES: [&str; 7] = [
    "modality",
    "vocal channel",
    "emotion",
    "intensity",
    "statement",
    "repetition",
    "actor",
];

/// Parses a RAVDESS file stem (`03-01-05-01-02-01-12`).
pub(super) fn parse(stem: &str) -> Result<ClipId, NameError> {
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
    let id = ClipId {
        modality: field(codes[0], "modality", "01-03", Modality::from_code)?,
        channel: field(codes[1], "vocal channel", "01-02", VocalChannel::from_code)?,
        emotion: field(codes[2], "emotion", "01-08", |c| {
            Emotion::from_code(c).filter(|e| Emotion::RAVDESS.contains(e))
        })?,
        intensity: field(codes[3], "intensity", "01-02", |c| {
            Intensity::from_code(c).filter(|i| Intensity::RAVDESS.contains(i))
        })?,
        statement: field(codes[4], "statement", "01-02", Statement::from_ravdess_code)?,
        repetition: field(codes[5], "repetition", "01-02", |c| {
            (1..=2).contains(&c).then_some(c)
        })?,
        actor: field(codes[6], "actor", "01-24", Actor::ravdess)?,
    };
    if id.emotion == Emotion::Neutral && id.intensity == Intensity::Strong {
        return Err(NameError::StrongNeutral);
    }
    Ok(id)
}

/// The RAVDESS file stem, e.g. `03-01-05-01-02-01-12`.
pub(super) fn stem(id: &ClipId) -> String {
    format!(
        "{:02}-{:02}-{:02}-{:02}-{:02}-{:02}-{:02}",
        id.modality.code(),
        id.channel.code(),
        id.emotion.code(),
        id.intensity.code(),
        id.statement.ravdess_code().unwrap_or(0),
        id.repetition,
        id.actor.local()
    )
}

/// Every audio-only clip of one RAVDESS channel in name order: 24 actors × 60 = 1440 for
/// speech; song has the first six emotions (24 × 44 = 1056; the released set lacks some).
pub fn all_clips(channel: VocalChannel) -> Vec<ClipId> {
    let emotions = match channel {
        VocalChannel::Speech => Emotion::RAVDESS,
        VocalChannel::Song => &Emotion::RAVDESS[..6],
    };
    let mut ids = Vec::with_capacity(1440);
    for actor in Actor::ravdess_actors() {
        for &emotion in emotions {
            for &intensity in Intensity::RAVDESS {
                if emotion == Emotion::Neutral && intensity == Intensity::Strong {
                    continue;
                }
                for &statement in Statement::RAVDESS {
                    for repetition in 1..=2 {
                        ids.push(ClipId {
                            modality: Modality::AudioOnly,
                            channel,
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

/// Every audio-only speech clip of the full corpus, in name order: 24 actors × 60 = 1440.
pub fn speech_corpus() -> Vec<ClipId> {
    all_clips(VocalChannel::Speech)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::corpus::labels::Sex;

    #[test]
    fn parses_the_readme_example() {
        let id = ClipId::parse("03-01-06-01-02-01-12.wav").unwrap();
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
        let id = ClipId::parse("03-02-03-02-01-02-07.WAV").unwrap();
        assert_eq!(id.channel, VocalChannel::Song);
        assert_eq!(id.sex(), Sex::Male);
    }

    #[test]
    fn rejects_bad_names_with_reasons() {
        assert_eq!(
            ClipId::parse("03-01-09-01-01-01-25.wav"),
            Err(NameError::OutOfRange {
                field: "emotion",
                code: 9,
                allowed: "01-08"
            })
        );
        assert!(matches!(
            ClipId::parse("03-01-01-01-01-01-25"),
            Err(NameError::OutOfRange {
                field: "actor",
                code: 25,
                ..
            })
        ));
        assert!(matches!(
            ClipId::parse("03-01-01-01-01-01-00"),
            Err(NameError::OutOfRange {
                field: "actor",
                code: 0,
                ..
            })
        ));
        assert_eq!(ClipId::parse("recording.wav"), Err(NameError::Unrecognised));
        assert_eq!(ClipId::parse("03-01-01"), Err(NameError::FieldCount(3)));
        assert!(matches!(
            ClipId::parse("03-01-0a-01-01-01-02"),
            Err(NameError::NotANumber {
                field: "emotion",
                ..
            })
        ));
        assert_eq!(
            ClipId::parse("03-01-01-02-01-01-02"),
            Err(NameError::StrongNeutral)
        );
        assert!(matches!(
            ClipId::parse("03-01-01-01-01-03-02"),
            Err(NameError::OutOfRange {
                field: "repetition",
                ..
            })
        ));
    }

    #[test]
    fn every_corpus_id_round_trips() {
        let ids = speech_corpus();
        assert_eq!(ids.len(), 1440);
        for id in &ids {
            assert_eq!(ClipId::parse(&id.file_name()).as_ref(), Ok(id));
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
