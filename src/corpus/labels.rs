//! The labels a clip carries, shared by every corpus: emotion, intensity, statement, sex,
//! modality and vocal channel. Each corpus's own codes are read in [`super::format`] and
//! [`super::ravdess`].

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Serialize};

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
    /// The shared emotion vocabulary: RAVDESS's eight (codes 1–8, as in its file names) and
    /// EmoDB's boredom. Every corpus's labels map onto these; [`crate::corpus::CorpusFormat::native_label`]
    /// gives a corpus's own name for each.
    Emotion {
        Neutral = 1, "neutral";
        Calm = 2, "calm";
        Happy = 3, "happy";
        Sad = 4, "sad";
        Angry = 5, "angry";
        Fearful = 6, "fearful";
        Disgust = 7, "disgust";
        Surprised = 8, "surprised";
        Boredom = 9, "boredom";
    }
);

coded_enum!(
    /// Emotional intensity: RAVDESS's normal and strong (codes 1–2, as in its file names),
    /// CREMA-D's low, medium, high and unspecified levels; corpora without levels use
    /// `Unspecified`.
    Intensity {
        Normal = 1, "normal";
        Strong = 2, "strong";
        Low = 3, "low";
        Medium = 4, "medium";
        High = 5, "high";
        Unspecified = 6, "unspecified";
    }
);

coded_enum!(
    /// Actor sex, derived from the actor number (odd = male, even = female).
    Sex {
        Male = 1, "male";
        Female = 2, "female";
    }
);

impl Emotion {
    /// The eight emotions of RAVDESS speech, in code order.
    pub const RAVDESS: &'static [Emotion] = &[
        Emotion::Neutral,
        Emotion::Calm,
        Emotion::Happy,
        Emotion::Sad,
        Emotion::Angry,
        Emotion::Fearful,
        Emotion::Disgust,
        Emotion::Surprised,
    ];

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
            Emotion::Boredom => "bor",
        }
    }

    /// Zero-based index (code − 1) into per-emotion arrays of length `Emotion::ALL.len()`.
    pub fn index(self) -> usize {
        usize::from(self.code() - 1)
    }
}

impl Intensity {
    /// RAVDESS's two intensities.
    pub const RAVDESS: &'static [Intensity] = &[Intensity::Normal, Intensity::Strong];
}

/// A short text code of another corpus's sentence or word: EmoDB `a01`, CREMA-D `DFA`, a
/// TESS word, a SAVEE sentence `a01`. ASCII letters and digits, at most 12; stored inline so
/// clip ids stay `Copy`. Ordered as the text.
#[derive(Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct TextCode([u8; TextCode::MAX]);

impl TextCode {
    /// The longest code (TESS's longest word has 7 letters).
    pub const MAX: usize = 12;

    /// A code from text, if it is 1–12 ASCII letters or digits.
    pub fn new(text: &str) -> Option<TextCode> {
        let ok = (1..=Self::MAX).contains(&text.len())
            && text.bytes().all(|b| b.is_ascii_alphanumeric());
        ok.then(|| {
            let mut bytes = [0u8; Self::MAX];
            bytes[..text.len()].copy_from_slice(text.as_bytes());
            TextCode(bytes)
        })
    }

    pub fn as_str(&self) -> &str {
        let len = self.0.iter().position(|&b| b == 0).unwrap_or(Self::MAX);
        // Only ASCII bytes are ever stored.
        std::str::from_utf8(&self.0[..len]).unwrap_or("")
    }
}

impl fmt::Debug for TextCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:?}", self.as_str())
    }
}

impl fmt::Display for TextCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.pad(self.as_str())
    }
}

impl Serialize for TextCode {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self.as_str())
    }
}

impl<'de> Deserialize<'de> for TextCode {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let s = String::deserialize(d)?;
        TextCode::new(&s).ok_or_else(|| {
            serde::de::Error::custom(format!(
                "text code '{}' is not 1-{} ASCII letters or digits",
                s.escape_debug(),
                TextCode::MAX
            ))
        })
    }
}

/// What was said: one of RAVDESS's two lexically matched sentences, or another corpus's text
/// code.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Statement {
    /// RAVDESS 01: "Kids are talking by the door".
    Kids,
    /// RAVDESS 02: "Dogs are sitting by the door".
    Dogs,
    /// Another corpus's sentence or word.
    Text(TextCode),
}

impl Statement {
    /// RAVDESS's two statements, in code order.
    pub const RAVDESS: &'static [Statement] = &[Statement::Kids, Statement::Dogs];

    /// The RAVDESS code (1, 2), if this is a RAVDESS statement.
    pub fn ravdess_code(self) -> Option<u8> {
        match self {
            Statement::Kids => Some(1),
            Statement::Dogs => Some(2),
            Statement::Text(_) => None,
        }
    }

    /// A RAVDESS statement from its code.
    pub fn from_ravdess_code(code: u8) -> Option<Statement> {
        match code {
            1 => Some(Statement::Kids),
            2 => Some(Statement::Dogs),
            _ => None,
        }
    }

    /// A short name: `kids`, `dogs`, or the text code.
    pub fn name(&self) -> &str {
        match self {
            Statement::Kids => "kids",
            Statement::Dogs => "dogs",
            Statement::Text(code) => code.as_str(),
        }
    }

    /// The sentence as spoken, where known (RAVDESS's, EmoDB's and CREMA-D's sentences).
    pub fn text(&self) -> Option<&'static str> {
        match self {
            Statement::Kids => Some("Kids are talking by the door"),
            Statement::Dogs => Some("Dogs are sitting by the door"),
            Statement::Text(code) => super::format::sentence_text(code.as_str()),
        }
    }
}

impl fmt::Display for Statement {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.pad(self.name())
    }
}

impl FromStr for Statement {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, String> {
        let lower = s.trim().to_ascii_lowercase();
        match lower.as_str() {
            "kids" | "01" | "1" => Ok(Statement::Kids),
            "dogs" | "02" | "2" => Ok(Statement::Dogs),
            _ => TextCode::new(s.trim())
                .map(Statement::Text)
                .ok_or_else(|| format!("unknown statement '{s}' (kids, dogs, or a text code)")),
        }
    }
}
