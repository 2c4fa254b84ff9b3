//! Which clips the synthetic corpus has in each corpus's naming scheme, and the folders the
//! downloads put them in, so every format can be tested without shipping a corpus.

use std::path::PathBuf;

use crate::corpus::format::{CorpusFormat, sentence_codes};
use crate::corpus::{
    Actor, ClipId, Emotion, Intensity, Modality, Statement, TextCode, VocalChannel,
};

/// The first 20 of TESS's 200 words.
const TESS_WORDS: [&str; 20] = [
    "back", "bar", "base", "bath", "bean", "beg", "bite", "boat", "bone", "book", "bought", "burn",
    "cab", "calm", "came", "cause", "chain", "chair", "chalk", "chat",
];

/// The synthetic corpus's clips in a format, sorted:
///
/// | format | clips |
/// |---|---|
/// | RAVDESS | 24 actors × 60 = 1440 |
/// | RAVDESS song | 24 actors × 44 = 1056 |
/// | EmoDB | 10 speakers × 7 emotions × 5 texts (a01 … a07), version a = 350 |
/// | CREMA-D | 91 actors × 6 emotions × 2 sentences (IEO, DFA), level XX = 1092 |
/// | TESS | 2 speakers × 7 emotions × 20 words = 280 |
/// | SAVEE | 4 speakers × 7 emotions × 4 sentences = 112 |
pub fn clip_ids(format: CorpusFormat) -> Vec<ClipId> {
    let speakers = Actor::of_set(format.speakers());
    let texts: Vec<String> = match format {
        CorpusFormat::Ravdess => return crate::corpus::ravdess::all_clips(VocalChannel::Speech),
        CorpusFormat::RavdessSong => return crate::corpus::ravdess::all_clips(VocalChannel::Song),
        CorpusFormat::EmoDb => sentence_codes(format)[..5]
            .iter()
            .map(|s| s.to_string())
            .collect(),
        CorpusFormat::CremaD => ["IEO", "DFA"].map(String::from).to_vec(),
        CorpusFormat::Tess => TESS_WORDS.map(String::from).to_vec(),
        // SAVEE's text codes carry the emotion: filled in below.
        CorpusFormat::Savee => ["01", "02", "03", "04"].map(String::from).to_vec(),
    };
    let mut ids = Vec::new();
    for &actor in &speakers {
        for emotion in format.emotions() {
            for text in &texts {
                let text = match format {
                    CorpusFormat::Savee => {
                        format!("{}{text}", format.native_label(emotion).unwrap_or_default())
                    }
                    _ => text.clone(),
                };
                if let Some(code) = TextCode::new(&text) {
                    ids.push(speech_id(actor, emotion, code));
                }
            }
        }
    }
    ids.sort();
    ids
}

fn speech_id(actor: Actor, emotion: Emotion, code: TextCode) -> ClipId {
    ClipId {
        modality: Modality::AudioOnly,
        channel: VocalChannel::Speech,
        emotion,
        intensity: Intensity::Unspecified,
        statement: Statement::Text(code),
        repetition: 1,
        actor,
    }
}

/// The folder a clip sits in, relative to the corpus root, as the download lays it out:
/// `Actor_12/` (RAVDESS, Zenodo), `wav/` (EmoDB), `AudioWAV/` (CREMA-D), `OAF_angry/` (TESS,
/// Kaggle), `ALL/` (SAVEE, Kaggle).
pub fn folder(id: &ClipId) -> PathBuf {
    match id.format() {
        CorpusFormat::Ravdess | CorpusFormat::RavdessSong => format!("Actor_{}", id.actor).into(),
        CorpusFormat::EmoDb => "wav".into(),
        CorpusFormat::CremaD => "AudioWAV".into(),
        CorpusFormat::Tess => format!("{}_{}", id.actor, id.native_label()).into(),
        CorpusFormat::Savee => "ALL".into(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_layout_names_its_clips_so_they_parse_back() {
        let sizes = [1440, 1056, 350, 1092, 280, 112];
        for (format, n) in CorpusFormat::ALL.into_iter().zip(sizes) {
            let ids = clip_ids(format);
            assert_eq!(ids.len(), n, "{format}");
            for id in &ids {
                assert_eq!(ClipId::parse(&id.file_name()), Ok(*id), "{format}");
                assert_eq!(id.format(), format);
            }
            let mut emotions: Vec<Emotion> = ids.iter().map(|i| i.emotion).collect();
            emotions.sort();
            emotions.dedup();
            assert_eq!(emotions, format.emotions(), "{format}");
        }
    }
}
