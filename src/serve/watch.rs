//! File events from `content/` and `themes/`, gathered into one batch per save.
//!
//! Editors save in several steps: write a temporary file and rename it over the old one (with
//! a backup file on the way), or truncate and write. Each step is an event; a batch ends when no
//! event came for [`QUIET`], so that the rebuild reads the finished file once. Events on files
//! that are never content (swap, backup and temporary files) and mere reads are dropped here: a
//! rebuild reads files too, and must not trigger itself.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::sync::mpsc::{Receiver, RecvTimeoutError, channel};
use std::time::{Duration, Instant};

use notify::event::{AccessKind, AccessMode, ModifyKind, RenameMode};
use notify::{Event, EventKind, RecommendedWatcher, RecursiveMode, Watcher as _};

use super::Shared;
use crate::load::is_ignored;

/// A batch ends after this long without events.
pub const QUIET: Duration = Duration::from_millis(30);
/// ... or this long when the last event finished a save (a written file closed, a file renamed
/// into place, a file removed): what comes after that is rarely part of the same save.
pub const SETTLE: Duration = Duration::from_millis(5);
/// ... or after this long in all, so that a steady stream of events still gets rebuilt.
pub const MAX_WAIT: Duration = Duration::from_millis(300);

/// What changed since the last batch.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct Batch {
    /// Files and folders that changed (created, written, renamed or removed).
    pub paths: BTreeSet<PathBuf>,
    /// Events were lost or a watched folder itself changed: read everything again.
    pub rescan: bool,
}

enum Message {
    /// Paths, and whether the event finished a save.
    Paths(Vec<PathBuf>, bool),
    Rescan,
}

/// Watches a site's `content/` and `themes/`.
pub struct Watcher {
    root: PathBuf,
    inner: RecommendedWatcher,
    rx: Receiver<Message>,
}

impl Watcher {
    /// Starts watching `root`'s `content/` and `themes/` (and `root` itself, for those two
    /// folders appearing or going). Every relevant event stops the background render that runs
    /// then, at once, so that the rebuild of the new change starts on free cores.
    pub fn new(root: &Path, shared: Arc<Shared>) -> notify::Result<Self> {
        let (tx, rx) = channel();
        let root_owned = root.to_path_buf();
        let inner = notify::recommended_watcher(move |res: notify::Result<Event>| {
            let message = match res {
                Ok(event) => match relevant(&root_owned, &event) {
                    Some(m) => m,
                    None => return,
                },
                Err(_) => Message::Rescan,
            };
            shared.cancel_background();
            let _ = tx.send(message);
        })?;
        let mut w = Watcher { root: root.to_path_buf(), inner, rx };
        w.inner.watch(root, RecursiveMode::NonRecursive)?;
        w.rewatch();
        Ok(w)
    }

    /// Watches `content/` and `themes/` again (they may have been created or replaced).
    pub fn rewatch(&mut self) {
        for dir in ["content", "themes"] {
            let path = self.root.join(dir);
            if path.is_dir() {
                let _ = self.inner.unwatch(&path);
                let _ = self.inner.watch(&path, RecursiveMode::Recursive);
            }
        }
    }

    /// Waits for the next change and returns it with everything that follows within [`QUIET`].
    /// `None` when watching stopped.
    pub fn next_batch(&self) -> Option<Batch> {
        let mut batch = Batch::default();
        // Adds a message; tells how long to wait for the next one.
        let add = |batch: &mut Batch, m: Message| match m {
            Message::Paths(p, settled) => {
                batch.paths.extend(p);
                if settled { SETTLE } else { QUIET }
            }
            Message::Rescan => {
                batch.rescan = true;
                QUIET
            }
        };
        let mut quiet = add(&mut batch, self.rx.recv().ok()?);
        let start = Instant::now();
        loop {
            let left = MAX_WAIT.saturating_sub(start.elapsed());
            if left.is_zero() {
                return Some(batch);
            }
            match self.rx.recv_timeout(quiet.min(left)) {
                Ok(m) => quiet = add(&mut batch, m),
                Err(RecvTimeoutError::Timeout) => return Some(batch),
                Err(RecvTimeoutError::Disconnected) => return Some(batch),
            }
        }
    }
}

/// The part of an event a rebuild needs, or `None` for events that change nothing.
fn relevant(root: &Path, event: &Event) -> Option<Message> {
    if event.need_rescan() {
        return Some(Message::Rescan);
    }
    let settled = match event.kind {
        // Opening and reading change nothing; closing a file written to ends a save.
        EventKind::Access(AccessKind::Close(AccessMode::Write)) => true,
        EventKind::Access(_) => return None,
        EventKind::Modify(ModifyKind::Name(RenameMode::To | RenameMode::Both)) | EventKind::Remove(_) => true,
        _ => false,
    };
    let mut paths = Vec::new();
    for p in &event.paths {
        let name = p.file_name().map(|n| n.to_string_lossy()).unwrap_or_default();
        if is_ignored(&name) {
            continue;
        }
        let rel = p.strip_prefix(root).unwrap_or(p);
        let top = rel.components().next().map(|c| c.as_os_str().to_string_lossy().into_owned());
        match top.as_deref() {
            // The watched folders themselves appearing, going or being replaced.
            Some("content" | "themes") if rel.components().count() == 1 => return Some(Message::Rescan),
            Some("content" | "themes") => paths.push(p.clone()),
            // Other files beside content/ (public/, target/ ...) are not the site's input.
            _ => {}
        }
    }
    (!paths.is_empty()).then_some(Message::Paths(paths, settled))
}

#[cfg(test)]
mod tests {
    use super::*;
    use notify::event::CreateKind;

    fn ev(kind: EventKind, paths: &[&str]) -> Event {
        let mut e = Event::new(kind);
        for p in paths {
            e = e.add_path(PathBuf::from(p));
        }
        e
    }

    fn paths(m: Option<Message>) -> Vec<String> {
        match m {
            Some(Message::Paths(p, _)) => p.iter().map(|p| p.display().to_string()).collect(),
            Some(Message::Rescan) => vec!["RESCAN".into()],
            None => vec![],
        }
    }

    #[test]
    fn reads_and_editor_files_are_dropped() {
        let root = Path::new("/s");
        let open = EventKind::Access(AccessKind::Open(AccessMode::Any));
        assert!(relevant(root, &ev(open, &["/s/content/enclaves/a.md"])).is_none());
        let create = EventKind::Create(CreateKind::File);
        for junk in ["/s/content/enclaves/.a.md.swp", "/s/content/enclaves/a.md~", "/s/content/enclaves/#a.md#"] {
            assert!(relevant(root, &ev(create, &[junk])).is_none(), "{junk}");
        }
        assert!(relevant(root, &ev(create, &["/s/public/x.html"])).is_none());
    }

    #[test]
    fn saves_renames_and_folders() {
        let root = Path::new("/s");
        let close = EventKind::Access(AccessKind::Close(AccessMode::Write));
        assert_eq!(paths(relevant(root, &ev(close, &["/s/content/enclaves/a.md"]))), ["/s/content/enclaves/a.md"]);
        let rename = EventKind::Modify(ModifyKind::Name(RenameMode::Both));
        assert_eq!(
            paths(relevant(root, &ev(rename, &["/s/content/enclaves/.a.md.tmp", "/s/content/enclaves/a.md"]))),
            ["/s/content/enclaves/a.md"]
        );
        let create = EventKind::Create(CreateKind::Folder);
        assert_eq!(paths(relevant(root, &ev(create, &["/s/content"]))), ["RESCAN"]);
    }
}
