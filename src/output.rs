//! Stage 4: writes the rendered site to disk, all or nothing.
//!
//! Files are written into a fresh folder beside the target and swapped in with renames only when
//! every file is written, so a failed build (or a crash half-way) never leaves a half-written
//! `public/`, and a server reading the old folder sees either the old or the new site.

use std::fs;
use std::io;
use std::path::{Path, PathBuf};

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

/// Replaces `out_dir` with exactly `files`. On error the previous folder is left as it was.
pub fn write_site(out_dir: &Path, files: &[OutputFile]) -> io::Result<()> {
    let parent = match out_dir.parent() {
        Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
        _ => PathBuf::from("."),
    };
    fs::create_dir_all(&parent)?;
    let name = out_dir.file_name().map(|n| n.to_string_lossy().to_string()).unwrap_or_else(|| "public".into());
    let staging = parent.join(format!(".{name}.new-{}", std::process::id()));
    let retired = parent.join(format!(".{name}.old-{}", std::process::id()));
    let _ = fs::remove_dir_all(&staging);
    let result = (|| {
        for f in files {
            let path = safe_join(&staging, &f.path)?;
            if let Some(dir) = path.parent() {
                fs::create_dir_all(dir)?;
            }
            fs::write(&path, &f.bytes)?;
        }
        Ok(())
    })();
    if let Err(e) = result {
        let _ = fs::remove_dir_all(&staging);
        return Err(e);
    }
    let had_old = out_dir.exists();
    if had_old {
        let _ = fs::remove_dir_all(&retired);
        if let Err(e) = fs::rename(out_dir, &retired) {
            let _ = fs::remove_dir_all(&staging);
            return Err(e);
        }
    }
    if let Err(e) = fs::rename(&staging, out_dir) {
        // Put the old site back before reporting.
        if had_old {
            let _ = fs::rename(&retired, out_dir);
        }
        let _ = fs::remove_dir_all(&staging);
        return Err(e);
    }
    if had_old {
        let _ = fs::remove_dir_all(&retired);
    }
    Ok(())
}

/// Joins a relative output path, refusing anything that would leave the folder.
fn safe_join(base: &Path, rel: &str) -> io::Result<PathBuf> {
    let mut out = base.to_path_buf();
    for part in rel.split('/') {
        if part.is_empty() || part == "." || part == ".." || part.contains('\\') {
            return Err(io::Error::new(
                io::ErrorKind::InvalidInput,
                format!("refusing to write outside the output folder: {rel}"),
            ));
        }
        out.push(part);
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn replaces_the_folder_whole() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("public");
        write_site(&out, &[OutputFile::text("a/index.html", "one"), OutputFile::text("stale.txt", "x")]).unwrap();
        write_site(&out, &[OutputFile::text("a/index.html", "two")]).unwrap();
        assert_eq!(fs::read_to_string(out.join("a/index.html")).unwrap(), "two");
        assert!(!out.join("stale.txt").exists());
        let leftovers: Vec<_> = fs::read_dir(dir.path()).unwrap().collect();
        assert_eq!(leftovers.len(), 1, "no staging folders left behind");
    }

    #[test]
    fn refuses_paths_that_escape() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("public");
        write_site(&out, &[OutputFile::text("keep.txt", "old")]).unwrap();
        assert!(write_site(&out, &[OutputFile::text("../evil.txt", "x")]).is_err());
        assert_eq!(fs::read_to_string(out.join("keep.txt")).unwrap(), "old");
        assert!(!dir.path().join("evil.txt").exists());
    }
}
