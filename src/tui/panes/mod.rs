//! One file per pane.

pub mod classify;
pub mod compare;
pub mod corpus;
pub mod help;
pub mod inspect;
pub mod log;
pub mod train;
