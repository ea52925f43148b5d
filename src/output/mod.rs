//! The last stage and the only writer: puts the built site in its output folder, all or nothing,
//! and never touches a folder that feidi did not write.
//!
//! - [`guard`]: which folders may be replaced at all (missing, empty, or a previous feidi
//!   output as its [`manifest`] lists it; never the site's own sources, their ancestors, the
//!   home folder or `/`).
//! - [`manifest`]: `.feidi-manifest`, the list of files feidi wrote into an output folder.
//! - [`staging`]: writes the new site beside the old one, from any number of threads.
//! - [`precompress`]: the `.gz` and `.br` copies of text files that `--precompress` adds.
//! - [`swap`]: the lock, the swap (two renames, or entry by entry on a mount point) and the
//!   recovery of whatever an interrupted build left.
//!
//! [`Output::claim`] runs before any work: it takes the lock (a second build of the same folder
//! waits), repairs what an interrupted build left and refuses a folder it may not replace, so
//! that a mistyped `--output` fails at once. [`Output::write`] then writes and swaps.

pub mod guard;
pub mod manifest;
pub mod precompress;
pub mod staging;
pub mod swap;

use std::fmt;
use std::path::Path;

use rayon::prelude::*;

pub use staging::Staging;

/// One file of the built site.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OutputFile {
    /// Path relative to the output folder, with `/` separators.
    pub path: String,
    /// Contents.
    pub bytes: Vec<u8>,
}

impl OutputFile {
    /// A file from text.
    pub fn text(path: impl Into<String>, text: impl Into<String>) -> Self {
        OutputFile { path: path.into(), bytes: text.into().into_bytes() }
    }
}

/// Why an output folder cannot be written, and what to do.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OutputError {
    /// What is wrong, naming the folder.
    pub message: String,
    /// What to do about it.
    pub help: String,
}

impl OutputError {
    pub(crate) fn new(message: impl Into<String>, help: impl Into<String>) -> Self {
        OutputError { message: message.into(), help: help.into() }
    }

    pub(crate) fn io(what: &str, path: &Path, e: &std::io::Error) -> Self {
        OutputError::new(
            format!("cannot {what} {}: {e}", path.display()),
            "check that the folder is writable and the disk has room; the previous site was left as it was",
        )
    }
}

impl fmt::Display for OutputError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        writeln!(f, "error: {}", crate::diagnostics::sanitize(&self.message))?;
        writeln!(f, "  = help: {}", crate::diagnostics::sanitize(&self.help))
    }
}

/// An output folder claimed for one build: checked, locked and repaired. Dropping it releases
/// the lock.
#[derive(Debug)]
pub struct Output {
    swap: swap::Swap,
}

impl Output {
    /// Claims `out_dir` for a build of the site in `site_root`: takes the lock (waiting for
    /// another build of the same folder, after saying so on stderr), restores or removes what an
    /// interrupted build left, and refuses a folder that feidi may not replace.
    pub fn claim(out_dir: &Path, site_root: &Path) -> Result<Output, OutputError> {
        let target = guard::real_target(out_dir)?;
        guard::check_location(&target, site_root, out_dir)?;
        let swap = swap::Swap::lock(&target, out_dir)?;
        guard::check_contents(&target, out_dir, swap.mode())?;
        Ok(Output { swap })
    }

    /// What the claim repaired (leftovers of an interrupted build), one line each.
    pub fn notes(&self) -> &[String] {
        self.swap.notes()
    }

    /// A fresh staging folder to write the new site into.
    pub fn stage(&self) -> Result<Staging, OutputError> {
        Staging::new(self.swap.staging_dir())
    }

    /// Writes `files` (in parallel) into a fresh staging folder and swaps it in; on an error the
    /// staging folder is dropped and the old site stays.
    pub fn write(self, files: &[OutputFile]) -> Result<(), OutputError> {
        let staging = self.stage()?;
        match files.par_iter().try_for_each(|f| staging.write(&f.path, &f.bytes)) {
            Ok(()) => self.commit(staging),
            Err(e) => {
                self.abandon(staging);
                Err(e)
            }
        }
    }

    /// Finishes `staging` (its manifest marks it complete) and puts it in place of the old
    /// site. On an error before the swap the old site is left as it was.
    pub fn commit(self, staging: Staging) -> Result<(), OutputError> {
        staging.finish()?;
        swap::test_pause("staged");
        self.swap.publish()
    }

    /// Drops a staging folder whose build failed; the old site stays as it was.
    pub fn abandon(self, staging: Staging) {
        let _ = std::fs::remove_dir_all(staging.dir());
    }
}

/// Replaces `out_dir` with exactly `files`, as `feidi build` does; for callers that do not need
/// to claim the folder before building. `site_root` is the site being built (its sources are
/// never replaced).
pub fn write_site(out_dir: &Path, site_root: &Path, files: &[OutputFile]) -> Result<(), OutputError> {
    Output::claim(out_dir, site_root)?.write(files)
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::fs;

    fn site() -> tempfile::TempDir {
        let dir = tempfile::tempdir().unwrap();
        fs::create_dir_all(dir.path().join("site/content")).unwrap();
        dir
    }

    #[test]
    fn replaces_the_folder_whole() {
        let dir = site();
        let root = dir.path().join("site");
        let out = root.join("public");
        write_site(&out, &root, &[OutputFile::text("a/index.html", "one"), OutputFile::text("stale.txt", "x")])
            .unwrap();
        write_site(&out, &root, &[OutputFile::text("a/index.html", "two")]).unwrap();
        assert_eq!(fs::read_to_string(out.join("a/index.html")).unwrap(), "two");
        assert!(!out.join("stale.txt").exists());
        let mut names: Vec<_> =
            fs::read_dir(&root).unwrap().map(|e| e.unwrap().file_name().to_string_lossy().into_owned()).collect();
        names.sort();
        assert_eq!(names, ["content", "public"], "no staging folders left behind");
    }

    #[test]
    fn refuses_paths_that_escape() {
        let dir = site();
        let root = dir.path().join("site");
        let out = root.join("public");
        write_site(&out, &root, &[OutputFile::text("keep.txt", "old")]).unwrap();
        for bad in ["../evil.txt", "a/../../evil.txt", "/abs.txt", "a\\b.txt", "a\nb.txt", ""] {
            assert!(write_site(&out, &root, &[OutputFile::text(bad, "x")]).is_err(), "{bad:?}");
        }
        assert_eq!(fs::read_to_string(out.join("keep.txt")).unwrap(), "old");
        assert!(!root.join("evil.txt").exists());
    }
}
