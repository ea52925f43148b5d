//! Putting a staged site in place, and putting right what an interrupted build left.
//!
//! The staging and retired folders have fixed names, so that the next build finds whatever a
//! killed one left:
//!
//! - **rename** (the usual case): the new site is written to `.<name>.feidi-new` beside the
//!   output folder; then the old folder is renamed to `.<name>.feidi-old`, the new one renamed
//!   into place, and the old one removed. A reader sees the old site or the new one, never a
//!   mix. Killed between the two renames, the output folder is missing: the next build restores
//!   it from whichever of the two is complete (the staged site, else the old one) before it
//!   starts.
//! - **in place**, when the output folder is a mount point (it cannot be renamed): the new site
//!   is staged in `.feidi-new` inside the folder, then moved in entry by entry (each top-level
//!   file or folder of the old site moves to `.feidi-old` just before its replacement moves in),
//!   and the manifest moves last. Each entry swaps atomically; the site as a whole does not.
//!   Killed half-way, the next build finishes the move before it starts.
//!
//! A staged folder is complete when it holds its manifest, which is written last. Builds of the
//! same output take a lock on the folder that holds it (released by the system when a build
//! dies), so two never interleave: the second waits.

use std::collections::BTreeSet;
use std::fs::{self, File};
use std::io;
use std::path::{Path, PathBuf};

use super::{OutputError, manifest};

/// How a site is put in place.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Mode {
    /// Two renames beside the output folder.
    Rename,
    /// Entry by entry inside the output folder, which cannot be renamed (a mount point).
    InPlace,
}

/// Staging inside the output folder, in place mode.
const IN_PLACE_NEW: &str = ".feidi-new";
/// Retired entries inside the output folder, in place mode.
const IN_PLACE_OLD: &str = ".feidi-old";

/// A locked output folder and the names of its staging and retired folders.
#[derive(Debug)]
pub struct Swap {
    target: PathBuf,
    mode: Mode,
    staging: PathBuf,
    retired: PathBuf,
    notes: Vec<String>,
    /// Held for as long as the build runs; the system releases it when the process ends.
    _lock: File,
}

impl Swap {
    /// Locks `target` (waiting for another build of it) and puts right what an interrupted
    /// build left. `shown` is the folder as the user named it.
    pub fn lock(target: &Path, shown: &Path) -> Result<Swap, OutputError> {
        let parent = target.parent().unwrap_or(Path::new("/")).to_path_buf();
        fs::create_dir_all(&parent).map_err(|e| OutputError::io("create the folder", &parent, &e))?;
        let lock = File::open(&parent).map_err(|e| OutputError::io("open", &parent, &e))?;
        match lock.try_lock() {
            Ok(()) => {}
            Err(fs::TryLockError::WouldBlock) => {
                crate::term::err(&format!(
                    "Waiting for another feidi build writing {} to finish ...\n",
                    crate::diagnostics::sanitize(&shown.display().to_string())
                ));
                lock.lock().map_err(|e| OutputError::io("lock", &parent, &e))?;
            }
            Err(fs::TryLockError::Error(e)) => return Err(OutputError::io("lock", &parent, &e)),
        }
        let name = target.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_else(|| "public".into());
        let mode = if is_mount_point(target, &parent) || std::env::var_os("FEIDI_TEST_IN_PLACE").is_some() {
            Mode::InPlace
        } else {
            Mode::Rename
        };
        let (staging, retired) = match mode {
            Mode::Rename => (parent.join(format!(".{name}.feidi-new")), parent.join(format!(".{name}.feidi-old"))),
            Mode::InPlace => (target.join(IN_PLACE_NEW), target.join(IN_PLACE_OLD)),
        };
        if mode == Mode::InPlace {
            fs::create_dir_all(target).map_err(|e| OutputError::io("create the folder", target, &e))?;
        }
        let mut swap = Swap { target: target.to_path_buf(), mode, staging, retired, notes: Vec::new(), _lock: lock };
        swap.recover(&parent, &name)?;
        Ok(swap)
    }

    /// How this output is swapped.
    pub fn mode(&self) -> Mode {
        self.mode
    }

    /// What recovery did.
    pub fn notes(&self) -> &[String] {
        &self.notes
    }

    /// Where the new site is staged.
    pub fn staging_dir(&self) -> PathBuf {
        self.staging.clone()
    }

    fn recover(&mut self, parent: &Path, name: &str) -> Result<(), OutputError> {
        match self.mode {
            Mode::Rename => {
                self.remove_old_style_leftovers(parent, name)?;
                if !exists(&self.target) {
                    if manifest::is_complete(&self.staging) {
                        rename(&self.staging, &self.target)?;
                        self.note(format!(
                            "restored {} from a build that was stopped after it finished writing",
                            self.target.display()
                        ));
                    } else if manifest::is_complete(&self.retired) {
                        rename(&self.retired, &self.target)?;
                        self.note(format!(
                            "restored the previous site into {}, which a stopped build had moved aside",
                            self.target.display()
                        ));
                    }
                }
            }
            Mode::InPlace => {
                if manifest::is_complete(&self.staging) {
                    roll_forward(&self.target, &self.staging, &self.retired)?;
                    self.note(format!(
                        "finished putting in place the site a stopped build left in {}",
                        self.target.display()
                    ));
                }
            }
        }
        for (dir, what) in [(self.staging.clone(), "unfinished build"), (self.retired.clone(), "previous site")] {
            if exists(&dir) {
                remove_all(&dir)?;
                self.note(format!("removed the {what} a stopped build left in {}", dir.display()));
            }
        }
        Ok(())
    }

    /// Older versions staged into `.<name>.new-<pid>` and `.<name>.old-<pid>`; a killed build
    /// left them for good. They are feidi's by name.
    fn remove_old_style_leftovers(&mut self, parent: &Path, name: &str) -> Result<(), OutputError> {
        let Ok(entries) = fs::read_dir(parent) else { return Ok(()) };
        let mut found: Vec<PathBuf> = Vec::new();
        for entry in entries.flatten() {
            let file = entry.file_name().to_string_lossy().into_owned();
            let rest = file.strip_prefix(&format!(".{name}.")).unwrap_or("");
            let pid = rest.strip_prefix("new-").or_else(|| rest.strip_prefix("old-"));
            if pid.is_some_and(|p| !p.is_empty() && p.bytes().all(|b| b.is_ascii_digit()))
                && entry.file_type().is_ok_and(|t| t.is_dir())
            {
                found.push(entry.path());
            }
        }
        found.sort();
        for dir in found {
            remove_all(&dir)?;
            self.note(format!("removed {}, left by a stopped build", dir.display()));
        }
        Ok(())
    }

    fn note(&mut self, text: String) {
        self.notes.push(text);
    }

    /// Puts the complete staged site in place of the old one.
    pub fn publish(self) -> Result<(), OutputError> {
        match self.mode {
            Mode::InPlace => {
                roll_forward(&self.target, &self.staging, &self.retired)?;
                test_pause("published");
                remove_all(&self.retired).map_err(|e| left_behind(&self.retired, e))?;
                Ok(())
            }
            Mode::Rename => {
                let had_old = exists(&self.target);
                if had_old && let Err(e) = fs::rename(&self.target, &self.retired) {
                    let _ = fs::remove_dir_all(&self.staging);
                    let help = if e.raw_os_error() == Some(16) {
                        "the folder is in use or a mount point; nothing was changed"
                    } else {
                        "check the permissions of the folder that holds it; nothing was changed"
                    };
                    return Err(OutputError::new(format!("cannot move {} aside: {e}", self.target.display()), help));
                }
                test_pause("retired");
                if let Err(e) = fs::rename(&self.staging, &self.target) {
                    if had_old {
                        let _ = fs::rename(&self.retired, &self.target);
                    }
                    let _ = fs::remove_dir_all(&self.staging);
                    return Err(OutputError::io("put the new site in place at", &self.target, &e));
                }
                test_pause("published");
                if had_old {
                    remove_all(&self.retired).map_err(|e| left_behind(&self.retired, e))?;
                }
                Ok(())
            }
        }
    }
}

/// The error for a previous site that could not be removed after the new one went in.
fn left_behind(dir: &Path, e: OutputError) -> OutputError {
    OutputError::new(
        format!(
            "the new site is in place, but the previous one could not be removed from {}: {}",
            dir.display(),
            e.message
        ),
        "remove that folder yourself (the next build tries again)",
    )
}

/// Moves the staged site in, entry by entry (see the module docs). Safe to run again after it
/// was stopped at any point: an entry still in staging has not moved yet, and whatever else the
/// folder holds then is old.
fn roll_forward(target: &Path, staging: &Path, retired: &Path) -> Result<(), OutputError> {
    let listed =
        manifest::read(staging).map_err(|e| OutputError::io("read the manifest of", staging, &e))?.unwrap_or_default();
    let new_names: BTreeSet<String> = listed.iter().filter_map(|p| p.split('/').next()).map(str::to_string).collect();
    fs::create_dir_all(retired).map_err(|e| OutputError::io("create", retired, &e))?;
    // The old manifest goes first: from here on the folder is recognisably half-swapped.
    let old_manifest = target.join(manifest::NAME);
    if exists(&old_manifest) {
        rename(&old_manifest, &retired.join(manifest::NAME))?;
    }
    let half = new_names.len() / 2;
    for (i, name) in new_names.iter().enumerate() {
        if i == half {
            test_pause("swapping");
        }
        let new = staging.join(name);
        if !exists(&new) {
            continue;
        }
        let old = target.join(name);
        if exists(&old) {
            let aside = retired.join(name);
            if exists(&aside) {
                remove_all(&aside)?;
            }
            rename(&old, &aside)?;
        }
        rename(&new, &old)?;
    }
    let own = [IN_PLACE_NEW, IN_PLACE_OLD, manifest::NAME];
    let entries = fs::read_dir(target).map_err(|e| OutputError::io("read", target, &e))?;
    for entry in entries.flatten() {
        let name = entry.file_name().to_string_lossy().into_owned();
        if own.contains(&name.as_str()) || new_names.contains(&name) {
            continue;
        }
        let aside = retired.join(&name);
        if exists(&aside) {
            remove_all(&aside)?;
        }
        rename(&entry.path(), &aside)?;
    }
    rename(&staging.join(manifest::NAME), &old_manifest)?;
    remove_all(staging)
}

/// True when `dir` is a folder on another file system than `parent` (a mount point).
fn is_mount_point(dir: &Path, parent: &Path) -> bool {
    #[cfg(unix)]
    {
        use std::os::unix::fs::MetadataExt;
        match (fs::symlink_metadata(dir), fs::metadata(parent)) {
            (Ok(d), Ok(p)) => d.is_dir() && d.dev() != p.dev(),
            _ => false,
        }
    }
    #[cfg(not(unix))]
    {
        let _ = (dir, parent);
        false
    }
}

fn exists(p: &Path) -> bool {
    fs::symlink_metadata(p).is_ok()
}

fn rename(from: &Path, to: &Path) -> Result<(), OutputError> {
    fs::rename(from, to).map_err(|e| OutputError::io(&format!("move {} to", from.display()), to, &e))
}

fn remove_all(dir: &Path) -> Result<(), OutputError> {
    match fs::remove_dir_all(dir) {
        Ok(()) => Ok(()),
        Err(e) if e.kind() == io::ErrorKind::NotFound => Ok(()),
        Err(e) => Err(OutputError::io("remove", dir, &e)),
    }
}

/// For the crash-recovery tests: with `FEIDI_TEST_PAUSE_AT=<phase>` set, the build stops at that
/// phase of writing (`staging`, `retired`, `swapping`, `published`), says so on stderr and
/// sleeps, so that a test can kill it there.
pub fn test_pause(phase: &str) {
    if std::env::var("FEIDI_TEST_PAUSE_AT").is_ok_and(|p| p == phase) {
        crate::term::err(&format!("feidi: paused at {phase}\n"));
        std::thread::sleep(std::time::Duration::from_secs(300));
    }
}
