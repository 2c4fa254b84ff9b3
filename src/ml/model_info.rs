//! What a saved model is, in one line (the Classify pane's model list, `emoscope models`).

use std::path::Path;

use super::persist::SavedModel;

impl SavedModel {
    /// One line on what the model is: family, preset, normalisation, the protocol and score
    /// that chose it, the corpus size and when it was saved.
    pub fn describe(&self) -> String {
        let p = &self.provenance;
        let norm = if self.speaker_norm {
            "speaker z-norm"
        } else {
            "no speaker norm"
        };
        let saved = if p.saved.is_empty() {
            String::new()
        } else {
            format!(" · saved {}", p.saved)
        };
        format!(
            "{} · {} · {norm} · {} UAR {:.3} · {} clips{saved}",
            self.spec.family(),
            self.features.preset,
            p.protocol,
            p.cv_scores.uar,
            p.clips
        )
    }

    /// [`Self::describe`] of a model file, with its size; or why it cannot be read.
    pub fn describe_file(path: &Path) -> String {
        let size = std::fs::metadata(path).map_or(0, |m| m.len());
        let mb = size as f64 / 1e6;
        match SavedModel::load(path) {
            Ok(m) => format!("{} · {mb:.1} MB", m.describe()),
            Err(e) => format!("unreadable ({mb:.1} MB): {e}"),
        }
    }
}
