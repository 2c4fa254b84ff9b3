//! Classification: datasets, scaling, SMOTE, models, protocols, metrics, experiments.

pub mod cross;
pub mod dataset;
pub mod experiment;
pub mod export;
pub mod fit;
pub mod forest;
pub mod grid;
pub mod importance;
pub mod leaderboard;
pub mod logreg;
pub mod metrics;
mod model_info;
pub mod models;
mod packed_svm;
pub mod persist;
pub mod profile;
pub mod protocol;
pub mod report;
pub mod scale;
pub mod search;
pub mod select;
pub mod smote;
