//! `feidi serve`: builds into memory, serves over HTTP, rebuilds and reloads on every save.

pub use crate::serve::Options as ServeArgs;

/// Runs the dev server (see [`crate::serve`]). Returns only when it cannot start, with exit
/// code 1; Ctrl-C ends it.
pub fn run(args: &ServeArgs) -> i32 {
    crate::serve::run(args)
}
