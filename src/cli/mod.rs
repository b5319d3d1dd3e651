//! The command-line edge: argument parsing and one function per command. Library errors
//! get their context here and nowhere else.

pub mod args;
pub mod batch;
pub mod commands;
pub mod engine;
pub mod messages;
pub mod stdout;
