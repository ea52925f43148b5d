//! The command-line commands: thin shells around [`crate::pipeline`].

pub mod build;
pub mod check;
pub mod new;
pub mod serve;
