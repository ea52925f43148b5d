//! `.feidi-manifest`: the list of files feidi wrote into an output folder.
//!
//! It is written last into a staging folder, so its presence also marks a staged site as
//! complete. A folder with a manifest is a previous feidi output, which the next build may
//! replace as long as it holds nothing the manifest does not list.

use std::collections::BTreeSet;
use std::fs;
use std::io;
use std::path::Path;

/// The manifest's file name inside an output folder.
pub const NAME: &str = ".feidi-manifest";

/// The first line, naming the format.
const HEADER: &str = "# feidi output manifest v1";

/// The manifest's text for `paths` (relative, `/`-separated, without control characters).
pub fn render(paths: &BTreeSet<String>) -> String {
    let mut out = String::with_capacity(paths.iter().map(|p| p.len() + 1).sum::<usize>() + 200);
    out.push_str(HEADER);
    out.push('\n');
    out.push_str(
        "# The files `feidi build` wrote here. feidi replaces this folder only while it holds nothing else.\n",
    );
    for p in paths {
        out.push_str(p);
        out.push('\n');
    }
    out
}

/// Reads the manifest of `dir`: `Ok(None)` when there is none (or it is not feidi's), else the
/// listed paths.
pub fn read(dir: &Path) -> io::Result<Option<BTreeSet<String>>> {
    let path = dir.join(NAME);
    let meta = match fs::symlink_metadata(&path) {
        Ok(m) => m,
        Err(e) if e.kind() == io::ErrorKind::NotFound => return Ok(None),
        Err(e) => return Err(e),
    };
    if !meta.is_file() {
        return Ok(None);
    }
    let text = fs::read_to_string(&path)?;
    let mut lines = text.lines();
    if lines.next() != Some(HEADER) {
        return Ok(None);
    }
    Ok(Some(lines.filter(|l| !l.starts_with('#') && !l.is_empty()).map(str::to_string).collect()))
}

/// True when `dir` holds a manifest of feidi's (a staged folder that was written to its end).
pub fn is_complete(dir: &Path) -> bool {
    matches!(read(dir), Ok(Some(_)))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trips_and_ignores_other_files() {
        let dir = tempfile::tempdir().unwrap();
        assert_eq!(read(dir.path()).unwrap(), None);
        let paths: BTreeSet<String> = ["index.html", "a/b.css"].iter().map(|s| s.to_string()).collect();
        fs::write(dir.path().join(NAME), render(&paths)).unwrap();
        assert_eq!(read(dir.path()).unwrap(), Some(paths));
        fs::write(dir.path().join(NAME), "someone else's file\nindex.html\n").unwrap();
        assert_eq!(read(dir.path()).unwrap(), None, "a file of that name without the header is not feidi's");
    }
}
