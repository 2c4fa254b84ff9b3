//! Per-feature statistics of a corpus, overall and per emotion: what z-scores in the
//! inspector's feature view are taken against.

use std::collections::HashMap;

use crate::corpus::{Corpus, Emotion};
use crate::jobs::CancelToken;

use super::extract::{FeatureCache, extract_corpus};
use super::{FeatureConfig, Preset};

/// Per-feature means and standard deviations over the corpus and per emotion.
#[derive(Debug, Clone, PartialEq)]
pub struct FeatureStats {
    pub names: Vec<String>,
    /// (mean, std) per feature over every clip.
    pub corpus: Vec<(f32, f32)>,
    /// (mean, std) per feature over the clips of each emotion.
    pub by_emotion: HashMap<Emotion, Vec<(f32, f32)>>,
}

/// (mean, std with ddof 0) of each of `width` columns over `rows`.
fn mean_std(rows: &[&Vec<f32>], width: usize) -> Vec<(f32, f32)> {
    let n = rows.len().max(1) as f64;
    (0..width)
        .map(|k| {
            let m = rows.iter().map(|r| f64::from(r[k])).sum::<f64>() / n;
            let v = rows
                .iter()
                .map(|r| (f64::from(r[k]) - m).powi(2))
                .sum::<f64>()
                / n;
            (m as f32, v.sqrt() as f32)
        })
        .collect()
}

impl FeatureStats {
    /// Means and standard deviations (ddof 0) of named rows tagged with emotions.
    pub fn from_rows(names: Vec<String>, rows: &[(Emotion, Vec<f32>)]) -> FeatureStats {
        let all: Vec<&Vec<f32>> = rows.iter().map(|r| &r.1).collect();
        let mut by_emotion = HashMap::new();
        for &e in Emotion::ALL {
            let of: Vec<&Vec<f32>> = rows.iter().filter(|r| r.0 == e).map(|r| &r.1).collect();
            if !of.is_empty() {
                by_emotion.insert(e, mean_std(&of, names.len()));
            }
        }
        FeatureStats {
            corpus: mean_std(&all, names.len()),
            by_emotion,
            names,
        }
    }

    /// The `classic+contrast` statistics of a corpus (the inspector's vector), extracted
    /// through `cache`.
    pub fn of_corpus(
        corpus: &Corpus,
        cache: Option<&FeatureCache>,
        cancel: &CancelToken,
    ) -> Result<FeatureStats, String> {
        let cfg = FeatureConfig::preset(Preset::ClassicContrast);
        let t =
            extract_corpus(corpus, &cfg, cache, cancel, &|_, _| {}).map_err(|e| e.to_string())?;
        let rows: Vec<_> = t
            .rows
            .iter()
            .map(|r| (r.id.emotion, r.values.clone()))
            .collect();
        Ok(FeatureStats::from_rows(t.names.clone(), &rows))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn statistics_are_numpy_mean_and_std() {
        let rows = vec![
            (Emotion::Angry, vec![1.0, 10.0]),
            (Emotion::Angry, vec![3.0, 10.0]),
            (Emotion::Sad, vec![5.0, 4.0]),
        ];
        let s = FeatureStats::from_rows(vec!["a".into(), "b".into()], &rows);
        assert_eq!(s.corpus[0].0, 3.0);
        assert!((s.corpus[0].1 - (8.0f32 / 3.0).sqrt()).abs() < 1e-6);
        assert_eq!(s.by_emotion[&Emotion::Angry], vec![(2.0, 1.0), (10.0, 0.0)]);
        assert!(!s.by_emotion.contains_key(&Emotion::Calm));
    }
}
