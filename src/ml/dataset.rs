//! A labelled feature matrix: rows are clips, labels are emotions, groups are actors.

use serde::{Deserialize, Serialize};
use thiserror::Error;

use crate::corpus::{Actor, ClipId, Emotion, Sex};
use crate::features::extract::FeatureTable;

/// Dense row-major features with labels, speaker groups and clip ids.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Dataset {
    pub names: Vec<String>,
    /// `n_rows × n_features`, row-major.
    pub x: Vec<f64>,
    pub n_features: usize,
    /// Class index per row (into `classes`).
    pub y: Vec<usize>,
    /// The emotions present, in code order; class `k` is `classes[k]`.
    pub classes: Vec<Emotion>,
    pub ids: Vec<ClipId>,
}

/// The rows `idx` of row-major `x` (`d` columns), in that order.
pub fn gather_rows(x: &[f64], d: usize, idx: &[usize]) -> Vec<f64> {
    let mut out = Vec::with_capacity(idx.len() * d);
    for &i in idx {
        out.extend_from_slice(&x[i * d..(i + 1) * d]);
    }
    out
}

/// Why a dataset cannot be used.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum DatasetError {
    #[error("the training set is empty")]
    Empty,
    #[error("only one class ({0}) present; classification needs at least two")]
    OneClass(Emotion),
    #[error("feature {0} is not finite in row {1}")]
    NonFinite(String, usize),
}

impl Dataset {
    /// Builds a dataset from extracted features (all emotions present become classes).
    pub fn from_table(t: &FeatureTable) -> Result<Dataset, DatasetError> {
        if t.rows.is_empty() {
            return Err(DatasetError::Empty);
        }
        let mut classes: Vec<Emotion> = t.rows.iter().map(|r| r.id.emotion).collect();
        classes.sort();
        classes.dedup();
        if classes.len() < 2 {
            return Err(DatasetError::OneClass(classes[0]));
        }
        let n_features = t.names.len();
        let mut x = Vec::with_capacity(t.rows.len() * n_features);
        for (i, r) in t.rows.iter().enumerate() {
            for (k, &v) in r.values.iter().enumerate() {
                if !v.is_finite() {
                    return Err(DatasetError::NonFinite(t.names[k].clone(), i));
                }
                x.push(f64::from(v));
            }
        }
        let y = t
            .rows
            .iter()
            .map(|r| classes.iter().position(|&c| c == r.id.emotion).unwrap_or(0))
            .collect();
        Ok(Dataset {
            names: t.names.clone(),
            x,
            n_features,
            y,
            classes,
            ids: t.rows.iter().map(|r| r.id).collect(),
        })
    }

    pub fn len(&self) -> usize {
        self.y.len()
    }

    pub fn is_empty(&self) -> bool {
        self.y.is_empty()
    }

    pub fn row(&self, i: usize) -> &[f64] {
        &self.x[i * self.n_features..(i + 1) * self.n_features]
    }

    pub fn actor(&self, i: usize) -> Actor {
        self.ids[i].actor
    }

    pub fn sex(&self, i: usize) -> Sex {
        self.ids[i].sex()
    }

    /// The rows at `idx`, as a new matrix (row-major).
    pub fn rows(&self, idx: &[usize]) -> Vec<f64> {
        let mut out = Vec::with_capacity(idx.len() * self.n_features);
        for &i in idx {
            out.extend_from_slice(self.row(i));
        }
        out
    }

    pub fn labels(&self, idx: &[usize]) -> Vec<usize> {
        idx.iter().map(|&i| self.y[i]).collect()
    }

    pub fn n_classes(&self) -> usize {
        self.classes.len()
    }
}
