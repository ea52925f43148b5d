//! `feidi serve`: the editors' loop.
//!
//! The dev server builds the site into memory and serves it over HTTP; it watches `content/`
//! and `themes/`, rebuilds on every save and tells open pages to reload. The pieces:
//!
//! - [`http`]: a small HTTP/1.1 server on `std::net`, a thread per connection, serving only the
//!   files of the last good build, from memory: a URL can name nothing else.
//! - [`watch`]: file events from `notify`, filtered and gathered into one batch per save.
//! - [`rebuild`]: incremental rebuilds. An edited entry's page is re-rendered and served first;
//!   the rest of the site (lists, place, term and operator pages, data files) follows in the
//!   background, where only pages whose inputs changed are rendered again.
//! - [`reload`]: the script injected into served HTML (never into `feidi build` output), the
//!   event stream that tells it to reload, and the error overlay.
//!
//! Nothing is written to disk, so stopping the server (Ctrl-C) leaves nothing behind.

// The server's terminal is for the editor to read, and it may go away while the server runs
// (`feidi serve | head -3`, a closed terminal): `println!` would then panic, in the rebuild
// thread after every save. These go through [`crate::term`], which ignores a closed output, so
// the site keeps being served and rebuilt.

/// Like `println!`, through [`crate::term`]: a closed standard output is ignored.
macro_rules! outln {
    ($($arg:tt)*) => {
        $crate::term::out_line(&format!($($arg)*))
    };
}

/// Like `eprintln!`, through [`crate::term`]: a closed standard error is ignored.
macro_rules! errln {
    ($($arg:tt)*) => {
        $crate::term::err_line(&format!($($arg)*))
    };
}

/// Like `eprint!`, through [`crate::term`]: a closed standard error is ignored.
macro_rules! err {
    ($($arg:tt)*) => {
        $crate::term::err(&format!($($arg)*))
    };
}

pub mod http;
pub mod rebuild;
pub mod reload;
pub mod watch;

use std::collections::{BTreeMap, HashMap};
use std::net::{IpAddr, TcpListener};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Condvar, Mutex, MutexGuard};
use std::time::Duration;

use crate::diagnostics::Diagnostics;
use crate::output::OutputFile;
use crate::render::partial::Stamps;

/// Options of `feidi serve`.
#[derive(Debug, Clone)]
pub struct Options {
    /// The site folder (holding `content/`).
    pub root: PathBuf,
    /// Address to listen on; loopback unless the editor asks otherwise.
    pub bind: IpAddr,
    /// Port; 0 picks a free one (the address is printed).
    pub port: u16,
    /// Try to open the site in a browser.
    pub open: bool,
}

/// One file as served.
#[derive(Debug, Clone)]
pub struct Served {
    /// Contents.
    pub bytes: Arc<Vec<u8>>,
    /// The generation in which the contents last changed (from 1): a page that was served with
    /// one version and now has another must reload.
    pub version: u64,
}

/// The errors of the last build, ready to send.
#[derive(Debug)]
pub struct ErrorReport {
    /// Number of errors.
    pub count: usize,
    /// The event payload: `{"text": <compiler-style text>, "report": <check's JSON report>}`.
    pub json: String,
}

/// What the server shows: the files of the last good build and the outcome of the last one.
#[derive(Debug, Default)]
pub struct State {
    /// Files by path under the site root (`enclaves/a/index.html`).
    pub files: HashMap<String, Served>,
    /// True once a build succeeded.
    pub has_site: bool,
    /// Errors of the last build; `None` when it succeeded.
    pub errors: Option<Arc<ErrorReport>>,
    /// Changes whenever `errors` does.
    pub errors_version: u64,
    /// Changes whenever anything here does; event streams wait on it.
    pub generation: u64,
    /// The rebuild the served files belong to; a background render of an older one may not
    /// publish (it would bring back pages of an older site).
    pub epoch: u64,
    /// Warnings of the last successful build.
    pub warnings: usize,
    /// True while a rebuild or its background part runs.
    pub busy: bool,
    /// The rebuild whose background part last finished every page: the served site is then
    /// exactly the build of that rebuild's files (0: none yet).
    pub settled: u64,
}

impl State {
    /// Puts `files` in place. A file whose bytes did not change keeps its version, so that pages
    /// showing it do not reload. Returns how many changed.
    pub fn publish(&mut self, files: Vec<OutputFile>) -> usize {
        let mut changed = 0;
        for f in files {
            if self.files.get(&f.path).is_some_and(|old| *old.bytes == f.bytes) {
                continue;
            }
            if changed == 0 {
                self.generation += 1;
            }
            changed += 1;
            self.files.insert(f.path, Served { bytes: Arc::new(f.bytes), version: self.generation });
        }
        changed
    }

    /// Removes files; returns how many were there.
    pub fn remove<'a>(&mut self, paths: impl IntoIterator<Item = &'a String>) -> usize {
        let removed = paths.into_iter().filter(|p| self.files.remove(p.as_str()).is_some()).count();
        if removed > 0 {
            self.generation += 1;
        }
        removed
    }

    /// Records the outcome of a build: its errors, or none.
    pub fn set_errors(&mut self, errors: Option<&Diagnostics>, root: &Path) {
        let report = errors.filter(|d| d.has_errors()).map(|d| {
            let errors = d.errors();
            let text = format!("{errors}");
            let json = format!(
                "{{\"text\":{},\"report\":{}}}",
                serde_json::to_string(&text).unwrap_or_default(),
                errors.json_report(root)
            );
            Arc::new(ErrorReport { count: errors.error_count(), json })
        });
        if report.is_none() && self.errors.is_none() {
            return;
        }
        self.errors = report;
        self.errors_version += 1;
        self.generation += 1;
    }
}

/// The state shared by the connection threads, the rebuild thread and the background renderer.
#[derive(Debug, Default)]
pub struct Shared {
    state: Mutex<State>,
    changed: Condvar,
    /// Set to stop the background render that runs now (a newer change came in).
    cancel: Mutex<Arc<AtomicBool>>,
    /// Stamps of the pages served, by file: what the next rebuild need not render again.
    pub stamps: Mutex<Stamps>,
    /// Asset names of the last complete render, reused by the quick first render of an edit.
    pub asset_names: Mutex<Option<BTreeMap<String, String>>>,
}

/// Locks a mutex even if a thread panicked while holding it: the data here stays consistent
/// between statements, and a dev server that stops serving over one bad request helps no one.
pub fn lock<T>(m: &Mutex<T>) -> MutexGuard<'_, T> {
    m.lock().unwrap_or_else(|e| e.into_inner())
}

impl Shared {
    /// The state, locked.
    pub fn state(&self) -> MutexGuard<'_, State> {
        lock(&self.state)
    }

    /// Wakes every thread waiting for a change.
    pub fn notify(&self) {
        self.changed.notify_all();
    }

    /// Waits until the generation differs from `seen`, or `timeout` passes.
    pub fn wait(&self, seen: u64, timeout: Duration) -> MutexGuard<'_, State> {
        let guard = self.state();
        match self.changed.wait_timeout_while(guard, timeout, |s| s.generation == seen) {
            Ok((g, _)) => g,
            Err(e) => e.into_inner().0,
        }
    }

    /// Stops the background render that runs now, if any.
    pub fn cancel_background(&self) {
        lock(&self.cancel).store(true, Ordering::Relaxed);
    }

    /// A fresh flag for a new background render, which [`Shared::cancel_background`] sets.
    pub fn new_background(&self) -> Arc<AtomicBool> {
        let flag = Arc::new(AtomicBool::new(false));
        *lock(&self.cancel) = flag.clone();
        flag
    }
}

/// Runs the dev server until the process is stopped. Returns an exit code only when it cannot
/// start.
pub fn run(opts: &Options) -> i32 {
    let root = match std::fs::canonicalize(&opts.root) {
        Ok(r) => r,
        Err(e) => {
            errln!("error: cannot open the site folder {}: {e}", opts.root.display());
            return 1;
        }
    };
    let listener = match TcpListener::bind((opts.bind, opts.port)) {
        Ok(l) => l,
        Err(e) => {
            errln!("error: cannot listen on {}:{}: {e}", opts.bind, opts.port);
            errln!("  = help: choose another port with `--port`, or `--port 0` for any free one");
            return 1;
        }
    };
    let addr = match listener.local_addr() {
        Ok(a) => a,
        Err(e) => {
            errln!("error: cannot read the server address: {e}");
            return 1;
        }
    };
    let url = format!("http://{addr}/");
    let shared = Arc::new(Shared::default());
    // Links in pages are relative; canonical links, the sitemap and the feed point here.
    let resolve_opts = crate::resolve::Options { base_url: Some(url.clone()), ..Default::default() };
    let mut session = rebuild::Session::new(root.clone(), resolve_opts, shared.clone());
    // Watch before the first build, so that a save during it is not missed.
    let watcher = match watch::Watcher::new(&root, shared.clone()) {
        Ok(w) => w,
        Err(e) => {
            errln!("error: cannot watch {} for changes: {e}", root.display());
            return 1;
        }
    };
    // The background render gets threads of its own, at a lower priority, so that the quick
    // render of the next edit (on rayon's global pool) is not queued behind it nor starved of
    // the cores: a large page already started cannot be stopped half-way.
    let pool = rayon::ThreadPoolBuilder::new()
        .thread_name(|i| format!("feidi-render-{i}"))
        .start_handler(|_| lower_priority())
        .build()
        .ok();
    if let Some(job) = session.initial() {
        rebuild::complete(job, &shared, pool.as_ref());
    }
    outln!("Serving {} at {url}", root.display());
    outln!("Watching content/ and themes/ for changes. Press Ctrl-C to stop.");
    if opts.open {
        open_browser(&url);
    }
    let background = rebuild::spawn_background(shared.clone(), pool);
    let spawned = std::thread::Builder::new().name("feidi-rebuild".into()).spawn(move || {
        let mut watcher = watcher;
        while let Some(batch) = watcher.next_batch() {
            if batch.rescan {
                watcher.rewatch();
            }
            // A bug in a rebuild must not end the loop: the next save gets a fresh try.
            let applied = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| session.apply(&batch)));
            match applied {
                Ok(Some(job)) => {
                    if background.send(job).is_err() {
                        break;
                    }
                }
                Ok(None) => {}
                Err(_) => {
                    errln!("error: the rebuild failed unexpectedly; save again to retry");
                    session.invalidate();
                }
            }
        }
    });
    if let Err(e) = spawned {
        errln!("error: cannot start the rebuild thread: {e}");
        return 1;
    }
    http::serve(listener, shared);
    0
}

/// Lowers the calling thread's scheduling priority (nice 10). On Linux `setpriority` with
/// `PRIO_PROCESS` and id 0 applies to the calling thread alone.
fn lower_priority() {
    #[cfg(target_os = "linux")]
    // SAFETY: setpriority takes plain integers and touches no memory of ours.
    unsafe {
        libc::setpriority(libc::PRIO_PROCESS, 0, 10);
    }
}

/// Asks the desktop to open `url`; failure is fine (a server, a container, no browser).
fn open_browser(url: &str) {
    let child = std::process::Command::new("xdg-open")
        .arg(url)
        .stdin(std::process::Stdio::null())
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .spawn();
    if let Ok(mut child) = child {
        // Reap it, so that no zombie is left while the server runs.
        std::thread::spawn(move || {
            let _ = child.wait();
        });
    }
}
