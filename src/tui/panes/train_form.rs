//! The Train pane's experiment form: its fields, how ←/→ change them, and the experiment
//! they describe (the same defaults as the CLI's `train`: [`ExperimentSpec::default`]).

use std::path::{Path, PathBuf};

use crate::features::Preset;
use crate::ml::experiment::ExperimentSpec;
use crate::ml::grid::{FAMILIES, build_search, suggested_grid};
use crate::ml::protocol::Protocol;
use crate::session::TrainFormState;

/// Protocols the form cycles through (any other can be typed).
pub const PROTOCOLS: [&str; 4] = [
    crate::ml::protocol::DEFAULT_PROTOCOL,
    "loso",
    "random:0.2",
    "kfold:5",
];

/// The fields of the Train form, top to bottom.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FormField {
    Preset,
    Model,
    Grid,
    Select,
    Protocol,
    TestCorpus,
    Smote,
    SpeakerNorm,
    Enrol,
    Seed,
    Start,
}

impl FormField {
    pub const ALL: [FormField; 11] = [
        FormField::Preset,
        FormField::Model,
        FormField::Grid,
        FormField::Select,
        FormField::Protocol,
        FormField::TestCorpus,
        FormField::Smote,
        FormField::SpeakerNorm,
        FormField::Enrol,
        FormField::Seed,
        FormField::Start,
    ];
}

/// Where the model-export prompt's answer saves: a bare name goes into `models/` (`.ron`
/// added), a relative path must stay inside `models/`, an absolute path is taken as typed.
/// Refuses `..` and relative paths elsewhere (the prompt created folders anywhere it was
/// told).
pub fn model_export_path(text: &str) -> Result<PathBuf, String> {
    let t = text.trim();
    if t.is_empty() {
        return Err("no file name given: nothing saved".into());
    }
    let mut p = PathBuf::from(t);
    if p.extension().is_none() {
        p.set_extension("ron");
    }
    if p.is_absolute() {
        return Ok(p);
    }
    if p.components()
        .any(|c| !matches!(c, std::path::Component::Normal(_)))
    {
        return Err(format!(
            "'{t}': a model name may not leave models/ (use an absolute path to save elsewhere)"
        ));
    }
    if p.starts_with("models") {
        Ok(p)
    } else if p.components().count() == 1 {
        Ok(Path::new("models").join(p))
    } else {
        Err(format!(
            "'{t}': relative names are saved under models/ (give models/{t}, or an absolute path)"
        ))
    }
}

/// The enrolment sizes ←/→ steps through (`None` = every clip of the speaker).
pub const ENROL_CHOICES: [Option<usize>; 5] = [None, Some(6), Some(12), Some(24), Some(36)];

/// Parses the Select field: empty = every feature, else `K` or `K1,K2,…` (searched).
pub fn parse_select(text: &str) -> Result<Vec<usize>, String> {
    text.split(',')
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .map(|s| match s.parse::<usize>() {
            Ok(k) if k > 0 => Ok(k),
            _ => Err(format!(
                "'{s}' is not a number of features (a whole number ≥ 1)"
            )),
        })
        .collect()
}

/// The experiment form of the Train pane.
#[derive(Debug, Clone, PartialEq)]
pub struct TrainForm {
    pub preset: Preset,
    pub family: &'static str,
    /// Space-separated `key=v1,v2` settings, e.g. `c=0.1,1,10 gamma=scale`.
    pub grid: String,
    pub protocol: String,
    pub smote: bool,
    pub speaker_norm: bool,
    /// Features kept by in-fold ANOVA-F selection: "" (all), "2000" or "500,2000".
    pub select: String,
    /// With speaker norm: test speakers normalised from this many of their clips.
    pub enrol: Option<usize>,
    pub seed: u64,
    /// Cross-corpus: a corpus folder to test on ("" = the protocol's own folds).
    pub test_corpus: String,
    pub field: usize,
}

impl Default for TrainForm {
    fn default() -> Self {
        TrainForm {
            preset: Preset::Classic,
            family: crate::ml::grid::DEFAULT_FAMILY,
            grid: suggested_grid(crate::ml::grid::DEFAULT_FAMILY).into(),
            protocol: PROTOCOLS[0].into(),
            smote: false,
            speaker_norm: false,
            select: String::new(),
            enrol: None,
            seed: 0,
            test_corpus: String::new(),
            field: 0,
        }
    }
}

impl TrainForm {
    /// The experiment the form describes, or what is wrong with it.
    pub fn spec(&self) -> Result<ExperimentSpec, String> {
        let settings: Vec<String> = self.grid.split_whitespace().map(String::from).collect();
        let (grid, mut select) = build_search(self.family, &settings)?;
        let field = parse_select(&self.select)?;
        if !field.is_empty() {
            if !select.is_empty() {
                return Err(
                    "the number of features is set twice: in the grid (select=…) and in \
                     the select field"
                        .into(),
                );
            }
            select = field;
        }
        if self.enrol.is_some() && !self.speaker_norm {
            return Err("enrolment normalises test speakers: turn spk norm on".into());
        }
        let mut protocol: Protocol = self.protocol.parse().map_err(|e| format!("{e}"))?;
        let test_corpus = match self.test_corpus.trim() {
            "" => None,
            path => {
                // Names only (no audio is read): quick enough for a key press.
                let format = crate::corpus::detect_format(Path::new(path))?;
                protocol = Protocol::CrossCorpus { test: format };
                Some(crate::corpus::CorpusSpec::Directory {
                    path: path.into(),
                    format: Some(format),
                })
            }
        };
        Ok(ExperimentSpec {
            grid,
            protocol,
            smote_k: self.smote.then_some(5),
            // Cross-corpus runs z-normalise each speaker on both sides.
            speaker_norm: self.speaker_norm || test_corpus.is_some(),
            inner_folds: 3,
            seed: self.seed,
            select,
            enrol: self.enrol,
            test_corpus,
        })
    }

    pub fn state(&self) -> TrainFormState {
        TrainFormState {
            preset: self.preset,
            family: self.family.to_string(),
            grid: self.grid.clone(),
            protocol: self.protocol.clone(),
            smote: self.smote,
            speaker_norm: self.speaker_norm,
            select: self.select.clone(),
            enrol: self.enrol,
            seed: self.seed,
            test_corpus: self.test_corpus.clone(),
        }
    }

    pub fn from_state(s: &TrainFormState) -> TrainForm {
        TrainForm {
            preset: s.preset,
            family: FAMILIES
                .iter()
                .copied()
                .find(|f| *f == s.family)
                .unwrap_or("svm"),
            grid: s.grid.clone(),
            protocol: s.protocol.clone(),
            smote: s.smote,
            speaker_norm: s.speaker_norm,
            select: s.select.clone(),
            enrol: s.enrol,
            seed: s.seed,
            test_corpus: s.test_corpus.clone(),
            field: 0,
        }
    }

    pub fn current(&self) -> FormField {
        FormField::ALL[self.field.min(FormField::ALL.len() - 1)]
    }

    /// ← / → on the current field: cycle a choice, flip a switch, step the seed.
    pub fn step(&mut self, forward: bool) {
        let turn = |i: usize, n: usize| {
            if forward {
                (i + 1) % n
            } else {
                (i + n - 1) % n
            }
        };
        match self.current() {
            FormField::Preset => {
                let all = [
                    Preset::Classic,
                    Preset::ClassicContrast,
                    Preset::Prosody,
                    Preset::Full,
                    Preset::Large,
                ];
                let i = all.iter().position(|&p| p == self.preset).unwrap_or(0);
                self.preset = all[turn(i, all.len())];
            }
            FormField::Model => {
                let i = FAMILIES.iter().position(|&f| f == self.family).unwrap_or(0);
                self.family = FAMILIES[turn(i, FAMILIES.len())];
                self.grid = suggested_grid(self.family).into();
            }
            FormField::Protocol => {
                let i = PROTOCOLS
                    .iter()
                    .position(|&p| p == self.protocol)
                    .map_or(0, |i| turn(i, PROTOCOLS.len()));
                self.protocol = PROTOCOLS[i].into();
            }
            FormField::Smote => self.smote = !self.smote,
            FormField::SpeakerNorm => self.speaker_norm = !self.speaker_norm,
            FormField::Enrol => {
                let i = ENROL_CHOICES
                    .iter()
                    .position(|&e| e == self.enrol)
                    .map_or(0, |i| turn(i, ENROL_CHOICES.len()));
                self.enrol = ENROL_CHOICES[i];
                if self.enrol.is_some() {
                    self.speaker_norm = true;
                }
            }
            FormField::Seed => {
                self.seed = if forward {
                    self.seed.saturating_add(1)
                } else {
                    self.seed.saturating_sub(1)
                }
            }
            FormField::Grid | FormField::Select | FormField::TestCorpus | FormField::Start => {}
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn model_names_stay_in_models_unless_absolute() {
        let ok = |t: &str| model_export_path(t).unwrap();
        assert_eq!(ok("svm"), PathBuf::from("models/svm.ron"));
        assert_eq!(
            ok("models/svm-classic-run1.ron"),
            PathBuf::from("models/svm-classic-run1.ron")
        );
        assert_eq!(ok("models/mine/a"), PathBuf::from("models/mine/a.ron"));
        assert_eq!(ok("/tmp/x.ron"), PathBuf::from("/tmp/x.ron"));
        for bad in ["../x.ron", "models/../../x", "elsewhere/x.ron", "  ", "./x"] {
            assert!(model_export_path(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn the_default_form_is_the_default_experiment() {
        assert_eq!(
            TrainForm::default().spec().unwrap(),
            ExperimentSpec::default()
        );
    }

    #[test]
    fn the_form_carries_selection_and_enrolment_into_the_spec() {
        let mut form = TrainForm {
            select: "500, 2000".into(),
            ..TrainForm::default()
        };
        assert_eq!(form.spec().unwrap().select, vec![500, 2000]);
        assert_eq!(form.spec().unwrap().enrol, None);
        // Enrolment needs speaker normalisation; stepping to it turns that on.
        form.enrol = Some(12);
        assert!(form.spec().unwrap_err().contains("spk norm"));
        form.enrol = None;
        form.field = FormField::ALL
            .iter()
            .position(|f| *f == FormField::Enrol)
            .unwrap();
        form.step(true);
        assert_eq!(form.enrol, Some(6));
        assert!(form.speaker_norm);
        assert_eq!(form.spec().unwrap().enrol, Some(6));
        // Selection in the grid and in the field at once is refused; bad numbers too.
        form.grid = "c=1 select=100".into();
        assert!(form.spec().unwrap_err().contains("twice"));
        assert!(parse_select("0").is_err());
        assert!(parse_select("ten").is_err());
        assert_eq!(parse_select("").unwrap(), Vec::<usize>::new());
        // The session keeps both.
        let back = TrainForm::from_state(&form.state());
        assert_eq!((back.select, back.enrol), (form.select.clone(), form.enrol));
    }
}
