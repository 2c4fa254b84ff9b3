//! emoscope: a terminal workbench for speech emotion recognition on the RAVDESS corpus.
//!
//! The library is the whole pipeline, with no terminal types in it:
//! [`corpus`] (names, scanning, the synthetic corpus) → [`audio`] (WAV in, mono, resampling).
//! The binary's CLI (and later the TUI) are thin shells over it. See `ARCHITECTURE.md`.

pub mod audio;
pub mod autosave;
pub mod cli;
pub mod corpus;
pub mod features;
pub mod fuzzing;
pub mod jobs;
pub mod ml;
pub mod session;
pub mod tui;
pub mod util;
