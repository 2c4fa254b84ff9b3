//! The corpora emoscope reads, told apart by their file names, and the names of the four
//! that are not RAVDESS (RAVDESS's own are in [`super::ravdess`]).
//!
//! | corpus | name | fields |
//! |---|---|---|
//! | EmoDB (Berlin) | `03a01Fa.wav` | speaker, text (`a01`…`b10`), emotion letter, version |
//! | CREMA-D | `1001_DFA_ANG_XX.wav` | actor, sentence, emotion, level (`LO MD HI XX`) |
//! | TESS | `OAF_back_angry.wav` | speaker (`OAF`, `YAF`), word, emotion |
//! | SAVEE | `DC_a01.wav` | speaker (`DC JE JK KL`), emotion (`a d f h n sa su`), sentence number |
//!
//! SAVEE's original release keeps the speaker in the folder (`AudioData/DC/a01.wav`);
//! [`clip_name`] gives such a file its Kaggle-style name `DC_a01.wav`.
//!
//! Every corpus's emotions map onto the shared [`Emotion`] vocabulary; a corpus's own label
//! stays available through [`CorpusFormat::native_label`].

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Serialize};

use super::id::{ClipId, NameError};
use super::labels::{Emotion, Intensity, Modality, Statement, TextCode, VocalChannel};
use super::speakers::{self, Actor};

/// A corpus layout: how its files are named and which labels it has.
#[derive(
    Debug, Clone, Copy, Default, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize,
)]
pub enum CorpusFormat {
    /// RAVDESS speech (`03-01-…`).
    #[default]
    #[serde(rename = "ravdess")]
    Ravdess,
    /// RAVDESS song (`03-02-…`): the same actors singing, six emotions.
    #[serde(rename = "ravdess-song")]
    RavdessSong,
    /// Berlin Database of Emotional Speech (German; 10 speakers, 7 emotions).
    #[serde(rename = "emodb")]
    EmoDb,
    /// Crowd-sourced Emotional Multimodal Actors Dataset (91 actors, 6 emotions).
    #[serde(rename = "crema-d")]
    CremaD,
    /// Toronto Emotional Speech Set (2 speakers, 7 emotions, 200 words each).
    #[serde(rename = "tess")]
    Tess,
    /// Surrey Audio-Visual Expressed Emotion (4 male speakers, 7 emotions).
    #[serde(rename = "savee")]
    Savee,
}

/// Whose speakers a corpus has (RAVDESS speech and song share theirs).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum SpeakerSet {
    Ravdess,
    EmoDb,
    Savee,
    Tess,
    CremaD,
}

const EMODB_LETTERS: [(char, Emotion); 7] = [
    ('W', Emotion::Angry),
    ('L', Emotion::Boredom),
    ('E', Emotion::Disgust),
    ('A', Emotion::Fearful),
    ('F', Emotion::Happy),
    ('T', Emotion::Sad),
    ('N', Emotion::Neutral),
];

const CREMA_D_CODES: [(&str, Emotion); 6] = [
    ("ANG", Emotion::Angry),
    ("DIS", Emotion::Disgust),
    ("FEA", Emotion::Fearful),
    ("HAP", Emotion::Happy),
    ("NEU", Emotion::Neutral),
    ("SAD", Emotion::Sad),
];

const CREMA_D_LEVELS: [(&str, Intensity); 4] = [
    ("LO", Intensity::Low),
    ("MD", Intensity::Medium),
    ("HI", Intensity::High),
    ("XX", Intensity::Unspecified),
];

const TESS_WORDS: [(&str, Emotion); 7] = [
    ("angry", Emotion::Angry),
    ("disgust", Emotion::Disgust),
    ("fear", Emotion::Fearful),
    ("happy", Emotion::Happy),
    ("neutral", Emotion::Neutral),
    ("ps", Emotion::Surprised),
    ("sad", Emotion::Sad),
];

const SAVEE_CODES: [(&str, Emotion); 7] = [
    ("a", Emotion::Angry),
    ("d", Emotion::Disgust),
    ("f", Emotion::Fearful),
    ("h", Emotion::Happy),
    ("n", Emotion::Neutral),
    ("sa", Emotion::Sad),
    ("su", Emotion::Surprised),
];

/// EmoDB's ten texts and CREMA-D's twelve sentences, by code.
const SENTENCES: [(&str, &str); 22] = [
    ("a01", "Der Lappen liegt auf dem Eisschrank."),
    ("a02", "Das will sie am Mittwoch abgeben."),
    ("a04", "Heute abend könnte ich es ihm sagen."),
    (
        "a05",
        "Das schwarze Stück Papier befindet sich da oben neben dem Holzstück.",
    ),
    ("a07", "In sieben Stunden wird es soweit sein."),
    (
        "b01",
        "Was sind denn das für Tüten, die da unter dem Tisch stehen?",
    ),
    (
        "b02",
        "Sie haben es gerade hochgetragen und jetzt gehen sie wieder runter.",
    ),
    (
        "b03",
        "An den Wochenenden bin ich jetzt immer nach Hause gefahren und habe Agnes besucht.",
    ),
    (
        "b09",
        "Ich will das eben wegbringen und dann mit Karl was trinken gehen.",
    ),
    (
        "b10",
        "Die wird auf dem Platz sein, wo wir sie immer hinlegen.",
    ),
    ("IEO", "It's eleven o'clock."),
    ("TIE", "That is exactly what happened."),
    ("IOM", "I'm on my way to the meeting."),
    ("IWW", "I wonder what this is about."),
    ("TAI", "The airplane is almost full."),
    ("MTI", "Maybe tomorrow it will be cold."),
    ("IWL", "I would like a new alarm clock."),
    ("ITH", "I think I have a doctor's appointment."),
    ("DFA", "Don't forget a jacket."),
    ("ITS", "I think I've seen this before."),
    ("TSI", "The surface is slick."),
    ("WSI", "We'll stop in a couple of minutes."),
];

/// The sentence a text code stands for (EmoDB and CREMA-D), if known.
pub fn sentence_text(code: &str) -> Option<&'static str> {
    SENTENCES.iter().find(|(c, _)| *c == code).map(|(_, t)| *t)
}

/// The codes EmoDB and CREMA-D use for their sentences, in table order.
pub fn sentence_codes(format: CorpusFormat) -> Vec<&'static str> {
    let emodb = |c: &&str| c.starts_with('a') || c.starts_with('b');
    SENTENCES
        .iter()
        .map(|(c, _)| *c)
        .filter(|c| match format {
            CorpusFormat::EmoDb => emodb(c),
            CorpusFormat::CremaD => !emodb(c),
            _ => false,
        })
        .collect()
}

impl CorpusFormat {
    /// Whether this is RAVDESS speech (the default, left out of saved specs).
    pub fn is_ravdess(&self) -> bool {
        *self == CorpusFormat::Ravdess
    }

    pub const ALL: [CorpusFormat; 6] = [
        CorpusFormat::Ravdess,
        CorpusFormat::RavdessSong,
        CorpusFormat::EmoDb,
        CorpusFormat::CremaD,
        CorpusFormat::Tess,
        CorpusFormat::Savee,
    ];

    /// The name used on the command line and in sessions: `ravdess`, `emodb`, `crema-d` …
    pub fn name(self) -> &'static str {
        match self {
            CorpusFormat::Ravdess => "ravdess",
            CorpusFormat::RavdessSong => "ravdess-song",
            CorpusFormat::EmoDb => "emodb",
            CorpusFormat::CremaD => "crema-d",
            CorpusFormat::Tess => "tess",
            CorpusFormat::Savee => "savee",
        }
    }

    /// The corpus's name as its authors write it.
    pub fn title(self) -> &'static str {
        match self {
            CorpusFormat::Ravdess => "RAVDESS",
            CorpusFormat::RavdessSong => "RAVDESS song",
            CorpusFormat::EmoDb => "EmoDB",
            CorpusFormat::CremaD => "CREMA-D",
            CorpusFormat::Tess => "TESS",
            CorpusFormat::Savee => "SAVEE",
        }
    }

    /// One file name in this layout.
    pub fn example(self) -> &'static str {
        match self {
            CorpusFormat::Ravdess => "03-01-05-01-02-01-12.wav",
            CorpusFormat::RavdessSong => "03-02-05-01-02-01-12.wav",
            CorpusFormat::EmoDb => "03a01Fa.wav",
            CorpusFormat::CremaD => "1001_DFA_ANG_XX.wav",
            CorpusFormat::Tess => "OAF_back_angry.wav",
            CorpusFormat::Savee => "DC_a01.wav",
        }
    }

    /// The sample rate the corpus is distributed at: RAVDESS 48 kHz, EmoDB and CREMA-D
    /// 16 kHz, TESS 24 414 Hz, SAVEE 44.1 kHz (circulating copies may differ; every rate is
    /// read). The synthesiser writes each scheme's files at this rate.
    pub fn native_rate(self) -> u32 {
        match self {
            CorpusFormat::Ravdess | CorpusFormat::RavdessSong => 48_000,
            CorpusFormat::EmoDb | CorpusFormat::CremaD => 16_000,
            CorpusFormat::Tess => 24_414,
            CorpusFormat::Savee => 44_100,
        }
    }

    /// Whose speakers this corpus has.
    pub fn speakers(self) -> SpeakerSet {
        match self {
            CorpusFormat::Ravdess | CorpusFormat::RavdessSong => SpeakerSet::Ravdess,
            CorpusFormat::EmoDb => SpeakerSet::EmoDb,
            CorpusFormat::CremaD => SpeakerSet::CremaD,
            CorpusFormat::Tess => SpeakerSet::Tess,
            CorpusFormat::Savee => SpeakerSet::Savee,
        }
    }

    /// The emotions this corpus has, in the shared vocabulary's code order.
    pub fn emotions(self) -> Vec<Emotion> {
        let mut e: Vec<Emotion> = match self {
            CorpusFormat::Ravdess => Emotion::RAVDESS.to_vec(),
            CorpusFormat::RavdessSong => Emotion::RAVDESS[..6].to_vec(),
            CorpusFormat::EmoDb => EMODB_LETTERS.iter().map(|(_, e)| *e).collect(),
            CorpusFormat::CremaD => CREMA_D_CODES.iter().map(|(_, e)| *e).collect(),
            CorpusFormat::Tess => TESS_WORDS.iter().map(|(_, e)| *e).collect(),
            CorpusFormat::Savee => SAVEE_CODES.iter().map(|(_, e)| *e).collect(),
        };
        e.sort();
        e
    }

    /// The corpus's own label for a shared emotion (EmoDB `W`, CREMA-D `ANG`, TESS `ps` …);
    /// RAVDESS's labels are the shared names. `None` if the corpus lacks the emotion.
    pub fn native_label(self, emotion: Emotion) -> Option<String> {
        let find = |table: &[(&str, Emotion)]| {
            table
                .iter()
                .find(|(_, e)| *e == emotion)
                .map(|(c, _)| (*c).to_string())
        };
        match self {
            CorpusFormat::Ravdess | CorpusFormat::RavdessSong => self
                .emotions()
                .contains(&emotion)
                .then(|| emotion.name().to_string()),
            CorpusFormat::EmoDb => EMODB_LETTERS
                .iter()
                .find(|(_, e)| *e == emotion)
                .map(|(c, _)| c.to_string()),
            CorpusFormat::CremaD => find(&CREMA_D_CODES),
            CorpusFormat::Tess => find(&TESS_WORDS),
            CorpusFormat::Savee => find(&SAVEE_CODES),
        }
    }

    /// Parses a file name (with or without `.wav`) as this corpus names its files.
    pub fn parse(self, name: &str) -> Result<ClipId, NameError> {
        let stem = strip_wav(name);
        match self {
            CorpusFormat::Ravdess | CorpusFormat::RavdessSong => {
                let id = super::ravdess::parse(stem)?;
                if id.format() == self {
                    Ok(id)
                } else {
                    Err(NameError::OtherFormat {
                        found: id.format().title(),
                        wanted: self.title(),
                    })
                }
            }
            CorpusFormat::EmoDb => parse_emodb(stem),
            CorpusFormat::CremaD => parse_crema_d(stem),
            CorpusFormat::Tess => parse_tess(stem),
            CorpusFormat::Savee => parse_savee(stem),
        }
    }

    /// The format a file name looks like, by its shape alone (fields are not checked).
    pub fn guess(name: &str) -> Option<CorpusFormat> {
        let stem = strip_wav(name);
        let b = stem.as_bytes();
        let digits = |r: std::ops::Range<usize>| {
            b.get(r)
                .is_some_and(|s| !s.is_empty() && s.iter().all(u8::is_ascii_digit))
        };
        let prefix = |p: &str| {
            stem.get(..p.len())
                .is_some_and(|s| s.eq_ignore_ascii_case(p))
        };
        if stem.contains('-') {
            Some(if stem.split('-').nth(1) == Some("02") {
                CorpusFormat::RavdessSong
            } else {
                CorpusFormat::Ravdess
            })
        } else if digits(0..4) && b.get(4) == Some(&b'_') {
            Some(CorpusFormat::CremaD)
        } else if speakers::TESS.iter().any(|s| prefix(&format!("{s}_"))) {
            Some(CorpusFormat::Tess)
        } else if speakers::SAVEE.iter().any(|s| prefix(&format!("{s}_"))) {
            Some(CorpusFormat::Savee)
        } else if b.len() == 7 && digits(0..2) {
            Some(CorpusFormat::EmoDb)
        } else {
            None
        }
    }
}

impl fmt::Display for CorpusFormat {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.pad(self.title())
    }
}

impl FromStr for CorpusFormat {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, String> {
        let lower = s.trim().to_ascii_lowercase().replace('_', "-");
        CorpusFormat::ALL
            .into_iter()
            .find(|f| f.name() == lower || f.title().to_ascii_lowercase() == lower)
            .ok_or_else(|| {
                let names: Vec<&str> = CorpusFormat::ALL.iter().map(|f| f.name()).collect();
                format!("unknown corpus format '{s}' (one of: {})", names.join(", "))
            })
    }
}

/// A name without its `.wav` extension (any case).
/// The name a clip's file is known by: its file name, except in SAVEE's original layout
/// (`AudioData/DC/a01.wav`, the speaker in the folder), where it is `DC_a01.wav`.
pub fn clip_name(path: &std::path::Path) -> String {
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let folder = path
        .parent()
        .and_then(std::path::Path::file_name)
        .map(|f| f.to_string_lossy());
    match folder {
        Some(f) if speakers::SAVEE.contains(&f.as_ref()) && is_savee_code(strip_wav(&name)) => {
            format!("{f}_{name}")
        }
        _ => name,
    }
}

/// `a01`, `sa15`: a SAVEE name without its speaker (one or two letters, two digits).
fn is_savee_code(stem: &str) -> bool {
    let b = stem.as_bytes();
    let letters = b.iter().take_while(|c| c.is_ascii_lowercase()).count();
    (1..=2).contains(&letters)
        && b.len() == letters + 2
        && b[letters..].iter().all(u8::is_ascii_digit)
}

pub(super) fn strip_wav(name: &str) -> &str {
    match name.len().checked_sub(4) {
        Some(i) if name.is_char_boundary(i) && name[i..].eq_ignore_ascii_case(".wav") => &name[..i],
        _ => name,
    }
}

/// A clip id of a corpus without RAVDESS's modality, channel or repetitions.
fn speech_id(
    actor: Actor,
    emotion: Emotion,
    intensity: Intensity,
    text: &str,
    repetition: u8,
) -> Result<ClipId, NameError> {
    let code = TextCode::new(text).ok_or_else(|| NameError::Field {
        format: "",
        field: "text",
        value: text.to_string(),
        allowed: "1-12 letters or digits",
    })?;
    Ok(ClipId {
        modality: Modality::AudioOnly,
        channel: VocalChannel::Speech,
        emotion,
        intensity,
        statement: Statement::Text(code),
        repetition,
        actor,
    })
}

fn field_error(
    format: CorpusFormat,
    field: &'static str,
    value: &str,
    allowed: &'static str,
) -> NameError {
    NameError::Field {
        format: format.title(),
        field,
        value: value.to_string(),
        allowed,
    }
}

/// `03a01Fa`: speaker, text, emotion letter, version letter.
fn parse_emodb(stem: &str) -> Result<ClipId, NameError> {
    let f = CorpusFormat::EmoDb;
    if stem.len() != 7 || !stem.is_ascii() {
        return Err(NameError::Shape {
            format: f.title(),
            example: f.example(),
        });
    }
    let (spk, text, letter, version) = (&stem[..2], &stem[2..5], &stem[5..6], &stem[6..7]);
    let actor = spk
        .parse::<u16>()
        .ok()
        .and_then(speakers::emodb_speaker)
        .ok_or_else(|| field_error(f, "speaker", spk, "03, 08-16"))?;
    if sentence_text(text).is_none() || !(text.starts_with('a') || text.starts_with('b')) {
        return Err(field_error(
            f,
            "text",
            text,
            "a01 a02 a04 a05 a07 b01 b02 b03 b09 b10",
        ));
    }
    let emotion = EMODB_LETTERS
        .iter()
        .find(|(c, _)| letter.starts_with(*c))
        .map(|(_, e)| *e)
        .ok_or_else(|| field_error(f, "emotion", letter, "W L E A F T N"))?;
    let v = version.as_bytes()[0];
    if !v.is_ascii_lowercase() {
        return Err(field_error(f, "version", version, "a-z"));
    }
    speech_id(actor, emotion, Intensity::Unspecified, text, v - b'a' + 1)
}

/// `1001_DFA_ANG_XX`: actor, sentence, emotion, level.
fn parse_crema_d(stem: &str) -> Result<ClipId, NameError> {
    let f = CorpusFormat::CremaD;
    let parts: Vec<&str> = stem.split('_').collect();
    let [actor, sentence, emotion, level] = parts[..] else {
        return Err(NameError::Shape {
            format: f.title(),
            example: f.example(),
        });
    };
    let actor = actor
        .parse::<u16>()
        .ok()
        .and_then(|n| Actor::in_set(SpeakerSet::CremaD, n))
        .ok_or_else(|| field_error(f, "actor", actor, "1001-1091"))?;
    if !sentence_codes(f).contains(&sentence) {
        return Err(field_error(
            f,
            "sentence",
            sentence,
            "IEO TIE IOM IWW TAI MTI IWL ITH DFA ITS TSI WSI",
        ));
    }
    let emotion = lookup(&CREMA_D_CODES, emotion)
        .ok_or_else(|| field_error(f, "emotion", emotion, "ANG DIS FEA HAP NEU SAD"))?;
    let intensity = lookup(&CREMA_D_LEVELS, level)
        .ok_or_else(|| field_error(f, "level", level, "LO MD HI XX"))?;
    speech_id(actor, emotion, intensity, sentence, 1)
}

/// `OAF_back_angry`: speaker, word, emotion.
fn parse_tess(stem: &str) -> Result<ClipId, NameError> {
    let f = CorpusFormat::Tess;
    let parts: Vec<&str> = stem.split('_').collect();
    let [speaker, word, emotion] = parts[..] else {
        return Err(NameError::Shape {
            format: f.title(),
            example: f.example(),
        });
    };
    let actor = local_speaker(&speakers::TESS, speaker, SpeakerSet::Tess)
        .ok_or_else(|| field_error(f, "speaker", speaker, "OAF YAF"))?;
    let emotion = lookup(&TESS_WORDS, &emotion.to_ascii_lowercase()).ok_or_else(|| {
        field_error(
            f,
            "emotion",
            emotion,
            "angry disgust fear happy neutral ps sad",
        )
    })?;
    let word = word.to_ascii_lowercase();
    if TextCode::new(&word).is_none() {
        return Err(field_error(f, "word", &word, "1-12 letters"));
    }
    speech_id(actor, emotion, Intensity::Unspecified, &word, 1)
}

/// `DC_a01`: speaker, emotion code, sentence number.
fn parse_savee(stem: &str) -> Result<ClipId, NameError> {
    let f = CorpusFormat::Savee;
    let Some((speaker, code)) = stem.split_once('_') else {
        return Err(NameError::Shape {
            format: f.title(),
            example: f.example(),
        });
    };
    let actor = local_speaker(&speakers::SAVEE, speaker, SpeakerSet::Savee)
        .ok_or_else(|| field_error(f, "speaker", speaker, "DC JE JK KL"))?;
    let split = code
        .find(|c: char| c.is_ascii_digit())
        .unwrap_or(code.len());
    let (letters, number) = code.split_at(split);
    let emotion = lookup(&SAVEE_CODES, letters)
        .ok_or_else(|| field_error(f, "emotion", letters, "a d f h n sa su"))?;
    let n: u8 = number
        .parse()
        .ok()
        .filter(|n| (1..=30).contains(n) && number.len() == 2)
        .ok_or_else(|| field_error(f, "sentence", number, "01-30"))?;
    speech_id(
        actor,
        emotion,
        Intensity::Unspecified,
        &format!("{letters}{n:02}"),
        1,
    )
}

fn lookup<T: Copy>(table: &[(&str, T)], code: &str) -> Option<T> {
    table.iter().find(|(c, _)| *c == code).map(|(_, v)| *v)
}

fn local_speaker(names: &[&str], name: &str, set: SpeakerSet) -> Option<Actor> {
    let i = names.iter().position(|n| n.eq_ignore_ascii_case(name))?;
    Actor::in_set(set, i as u16 + 1)
}

/// The file stem of a non-RAVDESS clip, as its corpus writes it.
pub(super) fn stem(id: &ClipId) -> String {
    let text = id.statement.name();
    let native = id
        .format()
        .native_label(id.emotion)
        .unwrap_or_else(|| id.emotion.short().to_string());
    match id.format() {
        CorpusFormat::EmoDb => {
            let version = char::from(b'a' + id.repetition.saturating_sub(1).min(25));
            format!("{}{text}{native}{version}", id.actor.label())
        }
        CorpusFormat::CremaD => {
            let level = CREMA_D_LEVELS
                .iter()
                .find(|(_, i)| *i == id.intensity)
                .map_or("XX", |(c, _)| *c);
            format!("{}_{text}_{native}_{level}", id.actor.label())
        }
        CorpusFormat::Tess => format!("{}_{text}_{native}", id.actor.label()),
        CorpusFormat::Savee => format!("{}_{text}", id.actor.label()),
        CorpusFormat::Ravdess | CorpusFormat::RavdessSong => super::ravdess::stem(id),
    }
}
