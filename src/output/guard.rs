//! Which folders a build may replace.
//!
//! An output folder is replaced only when it is missing, empty, or a previous feidi output
//! that holds nothing its [`manifest`](super::manifest) does not list. Whatever it holds, it is
//! never the site folder, a folder inside `content/` or `themes/`, a folder that contains the site
//! folder, the home folder or `/`; nor a regular file. All of this is checked before the build
//! starts, so a mistyped `--output` costs nothing.

use std::collections::BTreeSet;
use std::fs;
use std::io;
use std::path::{Component, Path, PathBuf};

use super::swap::Mode;
use super::{OutputError, manifest};

/// How many stray files a refusal names.
const NAMED: usize = 5;

/// The folder that will really be written: `out_dir` with every symbolic link resolved (a
/// symlinked `public` keeps its link and its target is replaced), absolute. The part that does
/// not exist yet is taken as written.
pub fn real_target(out_dir: &Path) -> Result<PathBuf, OutputError> {
    let abs = if out_dir.is_absolute() {
        out_dir.to_path_buf()
    } else {
        std::env::current_dir().map_err(|e| OutputError::io("read the current folder for", out_dir, &e))?.join(out_dir)
    };
    if fs::symlink_metadata(&abs).is_ok_and(|m| m.file_type().is_symlink()) && fs::metadata(&abs).is_err() {
        return Err(OutputError::new(
            format!("the output {} is a symbolic link to a folder that does not exist", out_dir.display()),
            "create the folder it points to, or remove the link and let feidi create the folder",
        ));
    }
    // Resolve the longest existing prefix; append the rest lexically.
    let mut existing = abs.clone();
    let mut rest: Vec<std::ffi::OsString> = Vec::new();
    loop {
        match fs::canonicalize(&existing) {
            Ok(real) => {
                let mut out = real;
                for part in rest.iter().rev() {
                    if part == ".." {
                        out.pop();
                    } else if part != "." {
                        out.push(part);
                    }
                }
                return Ok(out);
            }
            Err(_) => {
                let Some(name) = existing.file_name().map(|n| n.to_os_string()) else {
                    return Ok(normalize(&abs));
                };
                rest.push(name);
                if !existing.pop() {
                    return Ok(normalize(&abs));
                }
            }
        }
    }
}

/// Removes `.` and `..` segments without touching the disk.
fn normalize(p: &Path) -> PathBuf {
    let mut out = PathBuf::new();
    for c in p.components() {
        match c {
            Component::ParentDir => {
                out.pop();
            }
            Component::CurDir => {}
            other => out.push(other.as_os_str()),
        }
    }
    out
}

/// Refuses output folders that are, contain, or lie inside the site's sources, and the home
/// folder and `/`, whatever they hold.
pub fn check_location(target: &Path, site_root: &Path, shown: &Path) -> Result<(), OutputError> {
    let root = fs::canonicalize(site_root)
        .map_err(|e| OutputError::io("open the site folder", site_root, &e))
        .map(|r| real_or(&r))?;
    let refuse = |what: &str| {
        OutputError::new(
            format!("refusing to write the site into {}: {what}", shown.display()),
            "choose a new or empty folder for `--output` (the default is `public` inside the site folder); \
             feidi replaces a folder only when it is empty or holds a previous feidi build",
        )
    };
    if target.parent().is_none() {
        return Err(refuse("it is the root of the filesystem"));
    }
    if let Some(home) = std::env::var_os("HOME").filter(|h| !h.is_empty()).map(PathBuf::from)
        && fs::canonicalize(&home).is_ok_and(|h| h == target)
    {
        return Err(refuse("it is your home folder"));
    }
    if target == root {
        return Err(refuse("it is the site folder itself"));
    }
    if root.starts_with(target) {
        return Err(refuse("it contains the site folder"));
    }
    for source in ["content", "themes"] {
        let dir = real_or(&root.join(source));
        if target.starts_with(&dir) {
            let what = if target == dir {
                format!("it is the site's `{source}/`")
            } else {
                format!("it is inside `{source}/`")
            };
            return Err(refuse(&what));
        }
    }
    Ok(())
}

/// `p` with links resolved where it exists, as it is where it does not.
fn real_or(p: &Path) -> PathBuf {
    fs::canonicalize(p).unwrap_or_else(|_| p.to_path_buf())
}

/// Refuses a target that is not a folder, or a folder holding anything feidi did not write, or
/// one whose old files the current user could not remove. Runs after any leftovers of an
/// interrupted build were put right.
pub fn check_contents(target: &Path, shown: &Path, mode: Mode) -> Result<(), OutputError> {
    let meta = match fs::symlink_metadata(target) {
        Ok(m) => m,
        Err(e) if e.kind() == io::ErrorKind::NotFound => return Ok(()),
        Err(e) => return Err(OutputError::io("read", shown, &e)),
    };
    if !meta.is_dir() {
        return Err(OutputError::new(
            format!("refusing to write the site into {}: it is a file, not a folder", shown.display()),
            "choose a folder for `--output`, or move the file away",
        ));
    }
    let listed = manifest::read(target).map_err(|e| OutputError::io("read the manifest of", shown, &e))?;
    let mut strays: Vec<String> = Vec::new();
    let mut count = 0usize;
    let mut dirs: Vec<PathBuf> = Vec::new();
    let walker = walkdir::WalkDir::new(target).min_depth(1).follow_links(false).sort_by_file_name();
    for entry in walker {
        let entry = entry
            .map_err(|e| OutputError::new(format!("cannot read {}: {e}", shown.display()), "check its permissions"))?;
        let rel = entry.path().strip_prefix(target).unwrap_or(entry.path());
        let rel = rel.to_string_lossy().replace('\\', "/");
        if entry.file_type().is_dir() {
            dirs.push(entry.into_path());
            continue;
        }
        if rel == manifest::NAME && listed.is_some() {
            continue;
        }
        let ours = listed.as_ref().is_some_and(|l: &BTreeSet<String>| l.contains(&rel));
        if !ours {
            count += 1;
            if strays.len() < NAMED {
                strays.push(rel);
            }
        }
    }
    if count > 0 {
        let names = strays.iter().map(|s| format!("`{s}`")).collect::<Vec<_>>().join(", ");
        let more = if count > strays.len() { format!(" and {} more", count - strays.len()) } else { String::new() };
        let what = if listed.is_some() {
            format!("it holds files that feidi did not write: {names}{more}")
        } else {
            format!("it is not empty and is not a feidi output (it holds {names}{more})")
        };
        return Err(OutputError::new(
            format!("refusing to replace {}: {what}", shown.display()),
            "move those files elsewhere, or choose a new or empty folder for `--output`; feidi never deletes \
             what it did not write",
        ));
    }
    dirs.push(target.to_path_buf());
    if mode == Mode::Rename
        && let Some(parent) = target.parent()
    {
        dirs.push(parent.to_path_buf());
    }
    if let Some(locked) = dirs.iter().find(|d| !writable(d)) {
        return Err(OutputError::new(
            format!("cannot replace {}: you may not change the folder {}", shown.display(), locked.display()),
            "run the build as the user who owns the old output, or remove it yourself; nothing was written",
        ));
    }
    Ok(())
}

/// True when the current user may create and remove entries in `dir`.
fn writable(dir: &Path) -> bool {
    #[cfg(unix)]
    {
        use std::os::unix::ffi::OsStrExt;
        let Ok(c) = std::ffi::CString::new(dir.as_os_str().as_bytes()) else { return false };
        // SAFETY: `c` is a valid NUL-terminated path; access only reads it.
        #[cfg(target_os = "linux")]
        return unsafe { libc::access(c.as_ptr(), libc::W_OK | libc::X_OK) == 0 };
        #[cfg(not(target_os = "linux"))]
        {
            let _ = c;
            true
        }
    }
    #[cfg(not(unix))]
    {
        let _ = dir;
        true
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn missing_parts_are_taken_as_written() {
        let dir = tempfile::tempdir().unwrap();
        let real = fs::canonicalize(dir.path()).unwrap();
        assert_eq!(real_target(&dir.path().join("a/b/../c")).unwrap(), real.join("a/c"));
        assert_eq!(real_target(&dir.path().join("x/..")).unwrap(), real);
    }

    #[test]
    fn sources_and_their_ancestors_are_refused() {
        let dir = tempfile::tempdir().unwrap();
        let root = fs::canonicalize(dir.path()).unwrap().join("site");
        fs::create_dir_all(root.join("content/enclaves")).unwrap();
        fs::create_dir_all(root.join("themes")).unwrap();
        for bad in [root.clone(), root.join("content"), root.join("content/enclaves"), root.join("themes/x")] {
            let t = real_target(&bad).unwrap();
            assert!(check_location(&t, &root, &bad).is_err(), "{}", bad.display());
        }
        let parent = root.parent().unwrap().to_path_buf();
        assert!(check_location(&parent, &root, &parent).is_err());
        assert!(check_location(Path::new("/"), &root, Path::new("/")).is_err());
        assert!(check_location(&root.join("public"), &root, Path::new("public")).is_ok());
        assert!(check_location(&parent.join("elsewhere"), &root, Path::new("elsewhere")).is_ok());
    }
}
