//! The staging folder: where a build writes its files before they replace the old site.
//!
//! Writes may come from many threads at once, in any order; each folder is created once, and the
//! manifest, written by [`Staging::finish`], lists every file in sorted order, so the result does
//! not depend on the order of the writes.
//!
//! With [`Staging::precompressed`], each text file is written with its `.gz` and `.br` beside it
//! (see [`super::precompress`]), made by the thread that writes the file.

use std::collections::{BTreeSet, HashSet};
use std::fs;
use std::path::{Path, PathBuf};
use std::sync::Mutex;

use super::{OutputError, manifest, precompress};

/// A staging folder being written.
#[derive(Debug)]
pub struct Staging {
    dir: PathBuf,
    /// Folders created so far (relative), so that each is created once.
    dirs: Mutex<HashSet<String>>,
    /// Files written so far (relative).
    written: Mutex<BTreeSet<String>>,
    /// Whether text files get a `.gz` and a `.br` beside them.
    precompress: bool,
}

impl Staging {
    /// Creates `dir` afresh; it must not exist (the lock holder removed any leftover).
    pub(crate) fn new(dir: PathBuf) -> Result<Staging, OutputError> {
        if let Err(e) = fs::create_dir(&dir) {
            return Err(OutputError::io("create the staging folder", &dir, &e));
        }
        Ok(Staging { dir, dirs: Mutex::new(HashSet::new()), written: Mutex::new(BTreeSet::new()), precompress: false })
    }

    /// This staging folder, writing a `.gz` and a `.br` beside every text file when `on`.
    pub fn precompressed(self, on: bool) -> Staging {
        Staging { precompress: on, ..self }
    }

    /// The folder being written.
    pub fn dir(&self) -> &Path {
        &self.dir
    }

    /// Writes one file at `rel` (a relative `/`-separated path of plain segments).
    pub fn write(&self, rel: &str, bytes: &[u8]) -> Result<(), OutputError> {
        let path = safe_join(&self.dir, rel)?;
        if let Some((folder, _)) = rel.rsplit_once('/') {
            self.ensure_dir(folder)?;
        }
        let compressed = self.precompress && precompress::is_text(rel);
        let names: Vec<String> = if compressed {
            vec![rel.to_string(), format!("{rel}.gz"), format!("{rel}.br")]
        } else {
            vec![rel.to_string()]
        };
        let count = {
            let mut written = lock(&self.written);
            if let Some(taken) = names.iter().find(|n| written.contains(n.as_str())) {
                return Err(OutputError::new(
                    format!("two files of the site would be written to `{taken}`"),
                    "rename one of them (a static file of the theme and a page may not share a path; \
                     with --precompress, `x.gz` and `x.br` are taken by the text file `x`)",
                ));
            }
            written.extend(names);
            written.len()
        };
        fs::write(&path, bytes).map_err(|e| OutputError::io("write", &path, &e))?;
        if compressed {
            let (gz, br) = precompress::both(bytes);
            for (ext, data) in [("gz", gz), ("br", br)] {
                let path = safe_join(&self.dir, &format!("{rel}.{ext}"))?;
                fs::write(&path, data).map_err(|e| OutputError::io("write", &path, &e))?;
            }
        }
        if count == 10 {
            // Part of the site is staged: where the crash-recovery tests stop a build.
            super::swap::test_pause("staging");
        }
        Ok(())
    }

    fn ensure_dir(&self, folder: &str) -> Result<(), OutputError> {
        if lock(&self.dirs).contains(folder) {
            return Ok(());
        }
        let path = self.dir.join(folder);
        fs::create_dir_all(&path).map_err(|e| OutputError::io("create the folder", &path, &e))?;
        let mut dirs = lock(&self.dirs);
        // Every ancestor exists now too.
        let mut f = folder;
        loop {
            dirs.insert(f.to_string());
            match f.rsplit_once('/') {
                Some((up, _)) => f = up,
                None => break,
            }
        }
        Ok(())
    }

    /// Writes the manifest, which marks the staged site complete.
    pub(crate) fn finish(self) -> Result<(), OutputError> {
        let written = self.written.into_inner().unwrap_or_else(|e| e.into_inner());
        let path = self.dir.join(manifest::NAME);
        fs::write(&path, manifest::render(&written)).map_err(|e| OutputError::io("write", &path, &e))
    }
}

/// Joins a relative output path, refusing anything that would leave the folder or that no
/// static host could serve (control characters, backslashes, empty segments).
fn safe_join(base: &Path, rel: &str) -> Result<PathBuf, OutputError> {
    let mut out = base.to_path_buf();
    for part in rel.split('/') {
        if part.is_empty() || part == "." || part == ".." || part.contains('\\') || part.chars().any(char::is_control) {
            return Err(OutputError::new(
                format!("refusing to write outside the output folder: {rel:?}"),
                "output paths are made of plain folder and file names",
            ));
        }
        out.push(part);
    }
    if rel == manifest::NAME {
        return Err(OutputError::new(
            format!("a file of the site would be written to `{rel}`, the name of feidi's own list of files"),
            "rename that file",
        ));
    }
    Ok(out)
}

/// Locks a mutex even if a writer thread panicked while holding it: the sets stay consistent
/// between statements.
fn lock<T>(m: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    m.lock().unwrap_or_else(|e| e.into_inner())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn precompressed_copies_take_their_names() {
        let dir = tempfile::tempdir().unwrap();
        let staging = Staging::new(dir.path().join("s")).unwrap().precompressed(true);
        staging.write("a/index.html", b"<p>x</p>").unwrap();
        staging.write("a/logo.png", b"\x89PNG").unwrap();
        for taken in ["a/index.html.gz", "a/index.html.br"] {
            let e = staging.write(taken, b"x").unwrap_err();
            assert!(e.message.contains(&format!("`{taken}`")), "{e:?}");
        }
        // The other way round: a file first, then the text file whose copy it would be.
        staging.write("b.txt.br", b"x").unwrap();
        let e = staging.write("b.txt", b"text").unwrap_err();
        assert!(e.message.contains("`b.txt.br`"), "{e:?}");
        assert!(!dir.path().join("s/b.txt").exists(), "nothing written for a refused file");
        let written = lock(&staging.written).clone();
        let expected = ["a/index.html", "a/index.html.br", "a/index.html.gz", "a/logo.png", "b.txt.br"];
        assert_eq!(written.iter().map(String::as_str).collect::<Vec<_>>(), expected);
        assert!(dir.path().join("s/a/index.html.gz").is_file() && !dir.path().join("s/a/logo.png.gz").exists());
    }
}
