//! Saved SVMs, compactly: the support vectors (dense rows of the training matrix) as one
//! base64 block of little-endian `f64`, instead of RON's `(index: 7, value: 0.123…)` per
//! value — about 6× smaller and exact. Files written before (support vectors as nodes) still
//! read. Either way the model goes through libsvm-rs's own validation on load.

use base64::Engine;
use base64::engine::general_purpose::STANDARD;
use libsvm_rs::{SvmModel, SvmNode, SvmParameter};
use serde::{Deserialize, Deserializer, Serialize, Serializer};

/// The support vectors: packed (`d` values per vector) or as libsvm nodes (older files).
#[derive(Serialize, Deserialize)]
#[serde(untagged)]
enum Sv {
    Packed(String),
    Nodes(Vec<Vec<SvmNode>>),
}

/// [`SvmModel`]'s fields, with the support vectors packed when they are dense.
#[derive(Serialize, Deserialize)]
struct Packed {
    param: SvmParameter,
    nr_class: usize,
    /// Values per packed support vector (0 with nodes).
    #[serde(default)]
    d: usize,
    sv: Sv,
    sv_coef: Vec<Vec<f64>>,
    rho: Vec<f64>,
    prob_a: Vec<f64>,
    prob_b: Vec<f64>,
    prob_density_marks: Vec<f64>,
    sv_indices: Vec<usize>,
    label: Vec<i32>,
    n_sv: Vec<usize>,
}

/// The support vectors as one block, if every one holds indices 1..=d in order.
fn pack(sv: &[Vec<SvmNode>]) -> Option<(usize, String)> {
    let d = sv.first()?.len();
    let dense = sv
        .iter()
        .all(|r| r.len() == d && r.iter().enumerate().all(|(i, n)| n.index == i as i32 + 1));
    if !dense || d == 0 {
        return None;
    }
    let mut bytes = Vec::with_capacity(sv.len() * d * 8);
    for n in sv.iter().flatten() {
        bytes.extend_from_slice(&n.value.to_le_bytes());
    }
    Some((d, STANDARD.encode(bytes)))
}

fn unpack(text: &str, d: usize) -> Result<Vec<Vec<SvmNode>>, String> {
    let bytes = STANDARD
        .decode(text)
        .map_err(|e| format!("sv: not base64 ({e})"))?;
    if d == 0 || bytes.len() % (8 * d) != 0 {
        return Err(format!(
            "sv: {} bytes are not whole vectors of d = {d} values",
            bytes.len()
        ));
    }
    Ok(bytes
        .chunks_exact(8 * d)
        .map(|row| {
            row.chunks_exact(8)
                .enumerate()
                .map(|(i, b)| SvmNode {
                    index: i as i32 + 1,
                    value: f64::from_le_bytes(b.try_into().unwrap_or([0; 8])),
                })
                .collect()
        })
        .collect())
}

pub fn serialize<S: Serializer>(m: &SvmModel, s: S) -> Result<S::Ok, S::Error> {
    let (d, sv) = match pack(&m.sv) {
        Some((d, text)) => (d, Sv::Packed(text)),
        None => (0, Sv::Nodes(m.sv.clone())),
    };
    Packed {
        param: m.param.clone(),
        nr_class: m.nr_class,
        d,
        sv,
        sv_coef: m.sv_coef.clone(),
        rho: m.rho.clone(),
        prob_a: m.prob_a.clone(),
        prob_b: m.prob_b.clone(),
        prob_density_marks: m.prob_density_marks.clone(),
        sv_indices: m.sv_indices.clone(),
        label: m.label.clone(),
        n_sv: m.n_sv.clone(),
    }
    .serialize(s)
}

pub fn deserialize<'de, D: Deserializer<'de>>(de: D) -> Result<SvmModel, D::Error> {
    use serde::de::Error;
    let p = Packed::deserialize(de)?;
    let sv = match p.sv {
        Sv::Packed(text) => unpack(&text, p.d).map_err(D::Error::custom)?,
        Sv::Nodes(nodes) => nodes,
    };
    // libsvm-rs checks a model's consistency only in its own Deserialize: go through it.
    let raw = serde_json::json!({
        "param": p.param,
        "nr_class": p.nr_class,
        "sv": sv,
        "sv_coef": p.sv_coef,
        "rho": p.rho,
        "prob_a": p.prob_a,
        "prob_b": p.prob_b,
        "prob_density_marks": p.prob_density_marks,
        "sv_indices": p.sv_indices,
        "label": p.label,
        "n_sv": p.n_sv,
    });
    SvmModel::deserialize(raw).map_err(D::Error::custom)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ml::models::{FitOptions, Model, ModelSpec, fit_with};

    #[derive(Serialize, Deserialize)]
    struct Wrap(#[serde(with = "super")] SvmModel);

    fn fitted() -> (SvmModel, Vec<f64>) {
        let d = 6;
        let x: Vec<f64> = (0..60 * d)
            .map(|i| ((i * 7919) % 1000) as f64 / 137.0 - 3.0 + (i / d % 3) as f64)
            .collect();
        let y: Vec<usize> = (0..60).map(|i| i % 3).collect();
        let spec = crate::ml::grid::build_grid("svm", &["c=1".to_string()]).unwrap();
        let opts = FitOptions {
            calibrate: true,
            seed: 1,
        };
        match fit_with(&spec[0], &x, &y, d, 3, opts).unwrap() {
            Model::Svm { model, .. } => (model, x),
            _ => unreachable!("an SVM spec fits an SVM"),
        }
    }

    fn predictions(m: SvmModel, x: &[f64]) -> Vec<(usize, Vec<f64>)> {
        let model = Model::Svm {
            model: m,
            n_classes: 3,
        };
        model.predict(x, 6).unwrap()
    }

    #[test]
    fn packed_support_vectors_read_back_exactly_and_old_files_still_read() {
        let _ = ModelSpec::Majority;
        let (m, x) = fitted();
        let want = predictions(m.clone(), &x);
        let packed = ron::to_string(&Wrap(m.clone())).unwrap();
        let nodes = ron::to_string(&m).unwrap();
        assert!(!packed.contains("index:"), "support vectors are packed");
        assert!(
            packed.len() * 2 < nodes.len(),
            "packed {} bytes vs nodes {}",
            packed.len(),
            nodes.len()
        );
        let back: Wrap = ron::from_str(&packed).unwrap();
        assert_eq!(back.0.sv, m.sv, "bit-exact");
        assert_eq!(predictions(back.0, &x), want);
        // A file written before packing (libsvm-rs's own serialisation) still reads.
        // (as Model::Svm wrote it then: the model's own struct inside the variant).
        let old: Model = ron::from_str(&format!("Svm(model:{nodes},n_classes:3)")).unwrap();
        assert_eq!(old.predict(&x, 6).unwrap(), want);
        let new = ron::to_string(&Model::Svm {
            model: m.clone(),
            n_classes: 3,
        })
        .unwrap();
        assert!(new.contains("d:6"), "{}", &new[..200.min(new.len())]);
        // Damage is refused by name, and libsvm-rs's consistency check still runs.
        let cut = packed.replacen("sv:\"", "sv:\"AAAA", 1);
        let err = ron::from_str::<Wrap>(&cut).err().unwrap().to_string();
        assert!(err.contains("sv:"), "{err}");
        let wrong = packed.replacen("nr_class:3", "nr_class:4", 1);
        assert!(ron::from_str::<Wrap>(&wrong).is_err());
    }
}
