//! One file per pane.

pub mod corpus;
pub mod help;
pub mod inspect;
pub mod log;
