//! A finished experiment as files for other tools: the pooled confusion matrix and every
//! clip's prediction with its class probabilities, as CSV (the csv crate quotes per RFC 4180).
//! Both shells write the same files: `emoscope train --export-confusion/--export-predictions`
//! and `X` in the TUI's Train pane.

use super::experiment::{Facet, Report};

/// The pooled confusion matrix: a header of predicted classes, one row per true class.
pub fn confusion_csv(r: &Report) -> Result<String, String> {
    let mut w = csv::Writer::from_writer(Vec::new());
    let mut head = vec!["true\\predicted".to_string()];
    head.extend(r.classes.iter().map(|e| e.name().to_string()));
    w.write_record(&head).map_err(|e| e.to_string())?;
    for (t, e) in r.classes.iter().enumerate() {
        let mut row = vec![e.name().to_string()];
        row.extend((0..r.classes.len()).map(|p| r.pooled.get(t, p).to_string()));
        w.write_record(&row).map_err(|e| e.to_string())?;
    }
    finish(w)
}

/// One row per evaluated clip: its RAVDESS name, actor, sex, true and predicted emotion,
/// fold, and the probability of each class (empty when the report no longer holds them, as
/// in a restored session).
pub fn predictions_csv(r: &Report) -> Result<String, String> {
    let mut w = csv::Writer::from_writer(Vec::new());
    let mut head: Vec<String> = ["clip", "actor", "sex", "emotion", "predicted", "fold"]
        .map(String::from)
        .to_vec();
    head.extend(r.classes.iter().map(|e| format!("p_{}", e.name())));
    w.write_record(&head).map_err(|e| e.to_string())?;
    for f in &r.folds {
        for (k, (&row, &pred)) in f.test_rows.iter().zip(&f.predictions).enumerate() {
            let Some(id) = r.ids.get(row) else {
                continue;
            };
            let name = |c: usize| r.classes.get(c).map_or("?", |e| e.name()).to_string();
            let mut rec = vec![
                id.stem(),
                format!("{:02}", id.actor.number()),
                id.sex().to_string(),
                id.emotion.name().to_string(),
                name(pred),
                (f.fold + 1).to_string(),
            ];
            match f.probabilities.get(k) {
                Some(p) => rec.extend(p.iter().map(|v| format!("{v:.6}"))),
                None => rec.extend(r.classes.iter().map(|_| String::new())),
            }
            w.write_record(&rec).map_err(|e| e.to_string())?;
        }
    }
    finish(w)
}

fn finish(w: csv::Writer<Vec<u8>>) -> Result<String, String> {
    let bytes = w.into_inner().map_err(|e| e.to_string())?;
    String::from_utf8(bytes).map_err(|e| e.to_string())
}

/// One group of a breakdown, for the JSON report.
#[derive(serde::Serialize)]
struct Group {
    group: String,
    clips: usize,
    accuracy: f64,
    uar: f64,
}

/// The report as `--json` prints it: the report itself, then the chance levels and the
/// breakdowns by actor, intensity and statement (by sex is in the report).
#[derive(serde::Serialize)]
struct JsonReport<'a> {
    #[serde(flatten)]
    report: &'a Report,
    chance_uar: f64,
    majority_accuracy: f64,
    by_actor: Vec<Group>,
    by_intensity: Vec<Group>,
    by_statement: Vec<Group>,
}

impl JsonReport<'_> {
    fn of(report: &Report) -> JsonReport<'_> {
        let groups = |f: Facet| {
            report
                .breakdown(f)
                .into_iter()
                .map(|(group, s, clips)| Group {
                    group,
                    clips,
                    accuracy: s.accuracy,
                    uar: s.uar,
                })
                .collect()
        };
        JsonReport {
            report,
            chance_uar: report.chance_uar(),
            majority_accuracy: report.majority_accuracy(),
            by_actor: groups(Facet::Actor),
            by_intensity: groups(Facet::Intensity),
            by_statement: groups(Facet::Statement),
        }
    }
}

/// The report as `emoscope train --json` prints it (and the TUI exports it): the report, the
/// chance levels, and the breakdowns by actor, intensity and statement.
pub fn report_json(r: &Report) -> Result<String, String> {
    serde_json::to_string_pretty(&JsonReport::of(r))
        .map(|s| s + "\n")
        .map_err(|e| e.to_string())
}
