//! What `emoscope scan` reports about a corpus: counts per actor and emotion, durations,
//! formats, problems. Serialisable for `--json`.

use std::collections::BTreeMap;
use std::fmt::{self, Write as _};

use serde::{Deserialize, Serialize};

use super::{Actor, Corpus, Emotion, Sex, VocalChannel};

/// One actor's row of the actor × emotion table.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ActorRow {
    /// The speaker as the corpus writes it (`12`, `03`, `1001`, `DC`, `OAF`).
    pub actor: String,
    pub sex: Sex,
    /// Clip counts per emotion, in the order of [`CorpusSummary::emotions`].
    pub counts: Vec<usize>,
    pub total: usize,
}

/// Duration statistics in seconds.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Durations {
    pub total: f64,
    pub min: f64,
    pub median: f64,
    pub max: f64,
}

/// A corpus in numbers.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CorpusSummary {
    pub corpus: String,
    /// The corpus's format (the one most clips have): `ravdess`, `emodb` …
    pub format: String,
    /// The emotions present (shared vocabulary, code order), with the corpus's own labels.
    pub emotions: Vec<Emotion>,
    pub native_labels: Vec<String>,
    pub clips: usize,
    pub speech_clips: usize,
    pub song_clips: usize,
    pub actors: Vec<ActorRow>,
    /// Clip counts per emotion, in the order of `emotions`.
    pub emotion_totals: Vec<usize>,
    pub durations: Durations,
    /// Clips per native sample rate (Hz).
    pub sample_rates: BTreeMap<u32, usize>,
    /// Clips per channel count in the source files.
    pub channels: BTreeMap<u16, usize>,
    /// Clips per sample encoding ("PCM 16-bit", …).
    pub encodings: BTreeMap<String, usize>,
    /// One line per problem: `path: reason (skipped|kept)`.
    pub problems: Vec<String>,
    /// Files that are not corpus audio (README, CSV, .DS_Store …).
    pub ignored: usize,
}

impl CorpusSummary {
    pub fn of(corpus: &Corpus) -> Self {
        let emotions = corpus.emotions();
        let column = |e: Emotion| emotions.iter().position(|&x| x == e).unwrap_or(0);
        let mut rows: BTreeMap<Actor, ActorRow> = BTreeMap::new();
        let mut emotion_totals = vec![0usize; emotions.len()];
        let mut sample_rates = BTreeMap::new();
        let mut channels = BTreeMap::new();
        let mut encodings = BTreeMap::new();
        let mut durations: Vec<f64> = Vec::with_capacity(corpus.clips.len());
        let mut song = 0;
        for c in &corpus.clips {
            let row = rows.entry(c.id.actor).or_insert_with(|| ActorRow {
                actor: c.id.actor.label(),
                sex: c.id.sex(),
                counts: vec![0; emotions.len()],
                total: 0,
            });
            row.counts[column(c.id.emotion)] += 1;
            row.total += 1;
            emotion_totals[column(c.id.emotion)] += 1;
            *sample_rates.entry(c.sample_rate).or_insert(0) += 1;
            *channels.entry(c.channels).or_insert(0) += 1;
            *encodings.entry(c.encoding.to_string()).or_insert(0) += 1;
            durations.push(c.duration);
            if c.id.channel == VocalChannel::Song {
                song += 1;
            }
        }
        durations.sort_by(f64::total_cmp);
        let durations = if durations.is_empty() {
            Durations::default()
        } else {
            let n = durations.len();
            let median = if n % 2 == 1 {
                durations[n / 2]
            } else {
                0.5 * (durations[n / 2 - 1] + durations[n / 2])
            };
            Durations {
                total: durations.iter().sum(),
                min: durations[0],
                median,
                max: durations[n - 1],
            }
        };
        let format = corpus
            .formats()
            .first()
            .map_or(super::CorpusFormat::default(), |(f, _)| *f);
        CorpusSummary {
            corpus: corpus.spec.to_string(),
            format: format.name().to_string(),
            native_labels: emotions
                .iter()
                .map(|&e| {
                    format
                        .native_label(e)
                        .unwrap_or_else(|| e.name().to_string())
                })
                .collect(),
            emotions,
            clips: corpus.clips.len(),
            speech_clips: corpus.clips.len() - song,
            song_clips: song,
            actors: rows.into_values().collect(),
            emotion_totals,
            durations,
            sample_rates,
            channels,
            encodings,
            problems: corpus.problems.iter().map(|p| p.to_string()).collect(),
            ignored: corpus.ignored.len(),
        }
    }

    /// Whether every clip is present once: 24 actors × 60 speech clips.
    pub fn is_complete_speech_set(&self) -> bool {
        self.speech_clips == 1440 && self.actors.len() == 24
    }
}

fn fmt_map<K: fmt::Display>(m: &BTreeMap<K, usize>, unit: &str) -> String {
    m.iter()
        .map(|(k, n)| format!("{k}{unit} × {n}"))
        .collect::<Vec<_>>()
        .join(", ")
}

impl fmt::Display for CorpusSummary {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        writeln!(f, "corpus: {}", self.corpus)?;
        if self.format != "ravdess" {
            let title = self
                .format
                .parse::<super::CorpusFormat>()
                .map_or(self.format.clone(), |c| c.title().to_string());
            let labels: Vec<String> = self
                .emotions
                .iter()
                .zip(&self.native_labels)
                .map(|(e, n)| format!("{e}={n}"))
                .collect();
            writeln!(f, "format: {title} (its labels: {})", labels.join(", "))?;
        }
        write!(
            f,
            "{} clips ({} speech, {} song), {} actors",
            self.clips,
            self.speech_clips,
            self.song_clips,
            self.actors.len()
        )?;
        writeln!(f)?;
        let mut header = String::from("actor sex ");
        for e in &self.emotions {
            let _ = write!(header, " {:>4}", e.short());
        }
        header.push_str("  total");
        writeln!(f, "{header}")?;
        for r in &self.actors {
            let sex = match r.sex {
                Sex::Male => "M",
                Sex::Female => "F",
            };
            let mut line = format!("{:>5} {sex:>3} ", r.actor);
            for c in &r.counts {
                let _ = write!(line, " {c:>4}");
            }
            let _ = write!(line, "  {:>5}", r.total);
            writeln!(f, "{line}")?;
        }
        let mut line = String::from("total      ");
        for c in &self.emotion_totals {
            let _ = write!(line, " {c:>4}");
        }
        let _ = write!(line, "  {:>5}", self.clips);
        writeln!(f, "{line}")?;
        let d = &self.durations;
        writeln!(
            f,
            "duration: {:.1} min total; per clip min {:.2} s, median {:.2} s, max {:.2} s",
            d.total / 60.0,
            d.min,
            d.median,
            d.max
        )?;
        writeln!(f, "sample rates: {}", fmt_map(&self.sample_rates, " Hz"))?;
        writeln!(f, "channels: {}", fmt_map(&self.channels, " ch"))?;
        writeln!(f, "encodings: {}", fmt_map(&self.encodings, ""))?;
        if self.ignored > 0 {
            writeln!(f, "ignored {} non-audio file(s)", self.ignored)?;
        }
        if self.problems.is_empty() {
            writeln!(f, "problems: none")?;
        } else {
            writeln!(f, "problems ({}):", self.problems.len())?;
            for p in &self.problems {
                writeln!(f, "  {p}")?;
            }
        }
        Ok(())
    }
}
