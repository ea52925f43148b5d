//! Incremental rebuilds for `feidi serve`.
//!
//! A [`Session`] keeps what the last build read: the parsed documents of every file, what
//! loading reported about each, the theme, and the resolved enclaves (in a [`resolve::Cache`]).
//! After a save it reads again only the files that changed, resolves the site (reusing every
//! enclave whose file and references are unchanged), and then works in two steps:
//!
//! 1. the pages of the edited entries are rendered (reusing the generated assets of the last
//!    complete build) and served at once, and open pages are told to reload: at 10,000
//!    enclaves this takes well under a tenth of a second;
//! 2. a background [`Job`] renders the rest of the site, skipping every page whose inputs are
//!    unchanged ([`crate::render::partial`]), rebuilds the data files and the generated assets,
//!    serves what changed and drops what is gone. A newer save cancels it: its pages are then
//!    checked again by the next job. When the save changed nothing but enclaves' descriptions
//!    and the served site is complete, no other page can have changed (no page shows another
//!    enclave's description): the job then skips even building their views, and the pages
//!    that name a generated asset that changed (the search index) get the new file name in
//!    their last bytes, without being rendered again.
//!
//! The served files always come from complete, successful builds of some state of the files
//! (step 1 of the newest and step 2 of the same or an older one); a build with errors changes no
//! served file, it only shows its errors.

use std::collections::{BTreeMap, HashSet};
use std::path::{Component, Path, PathBuf};
use std::sync::Arc;
use std::sync::atomic::Ordering;
use std::sync::mpsc::{Sender, channel};
use std::time::Instant;

use super::watch::Batch;
use super::{Shared, lock};
use crate::diagnostics::{Diagnostic, Diagnostics, display_path};
use crate::load::{self, Doc, Sources};
use crate::model::Site;
use crate::output::OutputFile;
use crate::render::partial::{PageStamp, Selection, render_pages};
use crate::theme::Theme;
use crate::{assets, index, resolve, urls};

/// The background part of a rebuild.
#[derive(Clone)]
pub struct Job {
    epoch: u64,
    site: Arc<Site>,
    theme: Arc<Theme>,
    root: PathBuf,
    started: Instant,
    first: bool,
    /// The pages of the edited entries, when nothing else on any other page can have changed
    /// (see [`Session::text_only`]): every other page is then rendered again only if an
    /// asset it names changed, without building its view.
    text_only: Option<Arc<HashSet<String>>>,
}

/// A kind of entry file.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Section {
    Enclaves,
    Operators,
    Pages,
}

impl Section {
    fn page(self, slug: &str) -> String {
        match self {
            Section::Enclaves => urls::enclave(slug),
            Section::Operators => urls::operator(slug),
            Section::Pages => urls::page(slug),
        }
    }
}

/// What a batch of file events means for the build.
#[derive(Debug, Default)]
struct Changes {
    entries: Vec<(Section, PathBuf)>,
    yaml: Vec<PathBuf>,
    theme: bool,
    rescan: bool,
}

impl Changes {
    fn is_empty(&self) -> bool {
        self.entries.is_empty() && self.yaml.is_empty() && !self.theme && !self.rescan
    }
}

/// An entry file read again.
enum Reread {
    /// It is there and parses: its slug, and whether it was read before with the same front
    /// matter and no message (only its body may have changed).
    Present(String, bool),
    /// It was part of the site and is gone (deleted, renamed, or now unreadable): its slug.
    Gone(String),
    /// It was not part of the site and still is not.
    Absent,
}

/// What the dev server keeps between rebuilds.
pub struct Session {
    root: PathBuf,
    opts: resolve::Options,
    shared: Arc<Shared>,
    sources: Sources,
    /// What loading reported, by file as shown, so that reading a file again replaces exactly
    /// its messages.
    load_diags: BTreeMap<PathBuf, Vec<Diagnostic>>,
    theme: Arc<Theme>,
    theme_diags: Vec<Diagnostic>,
    cache: resolve::Cache,
    /// The last background job, to resume when a batch turns out to change nothing but
    /// cancelled it.
    last: Option<Job>,
    /// Read everything again on the next change (a rebuild stopped half-way).
    stale: bool,
}

impl Session {
    /// A session for the site in `root` (canonical); nothing is read yet.
    pub fn new(root: PathBuf, opts: resolve::Options, shared: Arc<Shared>) -> Session {
        Session {
            root,
            opts,
            shared,
            sources: Sources::default(),
            load_diags: BTreeMap::new(),
            theme: Arc::new(Theme::default()),
            theme_diags: Vec::new(),
            cache: resolve::Cache::new(),
            last: None,
            stale: false,
        }
    }

    /// Forgets what was read, after a rebuild stopped half-way: the next change reads
    /// everything again.
    pub fn invalidate(&mut self) {
        self.stale = true;
        self.cache = resolve::Cache::new();
        self.last = None;
        self.shared.state().busy = false;
    }

    /// Reads and resolves everything. Returns the job that renders the whole site, or `None`
    /// when the site has errors (then shown).
    pub fn initial(&mut self) -> Option<Job> {
        let started = Instant::now();
        let epoch = self.begin();
        self.reload_all();
        self.resolve_and_render(epoch, &[], &[], started, true, None)
    }

    /// Rebuilds after `batch`. Returns the background job to run next, if any.
    pub fn apply(&mut self, batch: &Batch) -> Option<Job> {
        let started = Instant::now();
        let mut changes = self.classify(batch);
        changes.rescan |= std::mem::take(&mut self.stale);
        if changes.is_empty() {
            // Nothing the site is built from changed, but the event may have stopped the
            // background render of the last change: let it finish.
            return self.last.clone().filter(|_| self.shared.state().busy);
        }
        // Whether the served site is the complete build of the last job's site, so that this
        // change can be measured against it.
        let base = self.last.as_ref().filter(|j| self.shared.state().settled == j.epoch).map(|j| j.site.clone());
        let epoch = self.begin();
        let mut first: Vec<String> = Vec::new();
        let mut gone: Vec<String> = Vec::new();
        let mut edited: Vec<String> = Vec::new();
        // Enclaves read again with the same front matter: only their descriptions changed.
        let mut bodies: Vec<String> = Vec::new();
        let entries_only = !changes.rescan && changes.yaml.is_empty() && !changes.theme;
        if changes.rescan {
            self.reload_all();
        } else {
            for (section, path) in &changes.entries {
                match self.reread_entry(*section, path) {
                    Reread::Present(slug, same) => {
                        first.push(section.page(&slug));
                        if *section == Section::Enclaves {
                            if same {
                                bodies.push(slug.clone());
                            }
                            edited.push(slug);
                        }
                    }
                    Reread::Gone(slug) => gone.push(urls::file_of(&section.page(&slug))),
                    Reread::Absent => {}
                }
            }
            for path in &changes.yaml {
                self.reread_yaml(path);
            }
            if changes.theme {
                let mut d = Diagnostics::new();
                self.theme = Arc::new(Theme::load(&self.root, &mut d));
                self.theme_diags = d.0;
            }
        }
        // Nothing but descriptions changed since the last site was resolved: the edited pages
        // are served from that site first, before the whole site is resolved again (which
        // takes seconds at 100,000 enclaves), then made again from the new site with the rest.
        if entries_only && gone.is_empty() && !bodies.is_empty() && bodies.len() == changes.entries.len() {
            let last = self.last.as_ref().map(|j| j.site.clone());
            if let Some(last) = last
                && self.serve_bodies(&last, &bodies, started)
            {
                first.clear();
            }
        }
        // Only enclaves' descriptions changed, measured against the served site?
        let text_only = match base {
            Some(base) if entries_only && gone.is_empty() && edited.len() == changes.entries.len() => {
                Some((base, edited))
            }
            _ => None,
        };
        self.resolve_and_render(epoch, &first, &gone, started, false, text_only)
    }

    /// Whether each enclave of `edited` differs from its namesake in `base` in its description
    /// only. Then no page but its own changes: other pages show an enclave's fields, never
    /// its description (only the search index, the feeds and the data files hold it, and
    /// those are made again anyway).
    fn text_only(base: &Site, site: &Site, edited: &[String]) -> bool {
        let without_body = |e: &crate::model::Enclave| {
            let mut v = serde_json::to_value(e).ok()?;
            let o = v.as_object_mut()?;
            o.remove("body");
            o.remove("body_en");
            Some(v)
        };
        base.enclaves.len() == site.enclaves.len()
            && edited.iter().all(|slug| match (base.enclave(slug), site.enclave(slug)) {
                (Some(old), Some(new)) => without_body(old).is_some_and(|o| Some(o) == without_body(new)),
                _ => false,
            })
    }

    /// Serves the pages of the enclaves `slugs`, whose files were read again with the same front
    /// matter, rendered from `last` (the last resolved site) with their new descriptions. True
    /// when they were served; false when they cannot be made that way (then the normal
    /// rebuild serves them).
    fn serve_bodies(&mut self, last: &Site, slugs: &[String], started: Instant) -> bool {
        let mut replaced = Vec::with_capacity(slugs.len());
        for slug in slugs {
            let (Some(old), Some(doc)) = (last.enclave(slug), self.sources.enclaves.iter().find(|d| d.slug == *slug))
            else {
                return false;
            };
            let (body, body_en) = crate::model::split_body(doc.body());
            replaced.push(crate::model::Enclave { body, body_en, ..old.clone() });
        }
        let names = self.step_one_names(last);
        let pages: Vec<String> = slugs.iter().map(|s| urls::enclave(s)).collect();
        let only = |p: &str| pages.iter().any(|f| f == p);
        let sel = Selection { only: Some(&only), replaced: &replaced, ..Selection::default() };
        let Ok(rendered) = render_pages(last, &self.theme, &names, &sel) else { return false };
        {
            let mut state = self.shared.state();
            let mut stamps = lock(&self.shared.stamps);
            let mut files = Vec::new();
            for (file, stamp) in rendered.pages {
                stamps.insert(file.path.clone(), stamp);
                files.push(file);
            }
            state.publish(files);
        }
        self.shared.notify();
        outln!("Updated {} in {}", pages.join(", "), took(started));
        true
    }

    /// The asset names the pages served before the background job see: the generated assets of
    /// the last complete build (the background job brings new ones) and the theme's static
    /// files as they are now.
    fn step_one_names(&self, site: &Site) -> assets::Names {
        let mut names = assets::static_names(&self.theme);
        match lock(&self.shared.asset_names).clone() {
            Some(last) => {
                for (key, name) in last {
                    names.entry(key).or_insert(name);
                }
            }
            None => {
                if let Ok(built) = assets::build(site, &self.theme) {
                    names = built.names;
                }
            }
        }
        names
    }

    /// Starts a rebuild: newer than anything running in the background, which stops.
    fn begin(&mut self) -> u64 {
        let epoch = {
            let mut s = self.shared.state();
            s.epoch += 1;
            s.busy = true;
            s.epoch
        };
        self.shared.cancel_background();
        epoch
    }

    fn resolve_and_render(
        &mut self,
        epoch: u64,
        first: &[String],
        gone: &[String],
        started: Instant,
        initial: bool,
        text_only: Option<(Arc<Site>, Vec<String>)>,
    ) -> Option<Job> {
        let mut diags = Diagnostics(self.load_diags.values().flatten().chain(&self.theme_diags).cloned().collect());
        let opts = resolve::Options { languages: Some(self.theme.languages()), ..self.opts.clone() };
        let site = resolve::resolve_cached(&self.sources, &opts, &mut diags, Some(&mut self.cache));
        let site = match site {
            Some(site) if !diags.has_errors() => site,
            Some(site) => {
                self.cache.reclaim(site);
                self.fail(&diags);
                return None;
            }
            None => {
                self.fail(&diags);
                return None;
            }
        };
        let warnings = diags.warning_count();
        if !first.is_empty() || !gone.is_empty() {
            let names = self.step_one_names(&site);
            let only = |p: &str| first.iter().any(|f| f == p);
            let sel = Selection { only: Some(&only), ..Selection::default() };
            let rendered = if first.is_empty() { None } else { Some(render_pages(&site, &self.theme, &names, &sel)) };
            if let Some(Err(errors)) = &rendered {
                self.cache.reclaim(site);
                self.fail(errors);
                return None;
            }
            let root = self.root.clone();
            let mut state = self.shared.state();
            let mut stamps = lock(&self.shared.stamps);
            if let Some(Ok(r)) = rendered {
                let mut files = Vec::new();
                for (file, stamp) in r.pages {
                    stamps.insert(file.path.clone(), stamp);
                    files.push(file);
                }
                state.publish(files);
            }
            // A page that is gone is gone in every language.
            let gone_all: Vec<String> = site
                .config
                .languages
                .iter()
                .flat_map(|l| {
                    let prefix = urls::lang_prefix(&site.config, l);
                    gone.iter().map(move |g| format!("{prefix}{g}"))
                })
                .collect();
            for g in &gone_all {
                stamps.remove(g);
            }
            state.remove(&gone_all);
            state.set_errors(None, &root);
            state.warnings = warnings;
            drop(stamps);
            drop(state);
            self.shared.notify();
            let what: Vec<&str> = first.iter().chain(gone).map(String::as_str).collect();
            outln!("Updated {} in {}", what.join(", "), took(started));
        } else if !initial {
            let root = self.root.clone();
            let mut state = self.shared.state();
            state.set_errors(None, &root);
            state.warnings = warnings;
            drop(state);
            self.shared.notify();
        } else {
            self.shared.state().warnings = warnings;
        }
        // The background render gets a copy of the site, so that this one can give its
        // enclaves back to the cache for the next rebuild right away.
        let text_only = text_only
            .filter(|(base, edited)| Session::text_only(base, &site, edited))
            .map(|_| Arc::new(first.iter().cloned().collect::<HashSet<String>>()));
        let job = Job {
            epoch,
            site: Arc::new(site.clone()),
            theme: self.theme.clone(),
            root: self.root.clone(),
            started,
            first: initial,
            text_only,
        };
        self.cache.reclaim(site);
        self.last = Some(job.clone());
        Some(job)
    }

    /// Shows a failed build: in the terminal and, through the event streams, over open pages.
    fn fail(&mut self, diags: &Diagnostics) {
        let mut errors = diags.errors();
        errors.sort();
        let has_site = self.shared.state().has_site;
        err!("{errors}");
        let n = errors.error_count();
        let plural = if n == 1 { "" } else { "s" };
        let still = if has_site { "Still serving the last good site." } else { "Nothing to serve yet." };
        errln!("Build failed: {n} error{plural}. {still}");
        {
            let mut s = self.shared.state();
            s.set_errors(Some(&errors), &self.root);
            s.busy = false;
        }
        self.shared.notify();
        self.last = None;
    }

    /// Sorts a batch's paths into what they mean for the build.
    fn classify(&self, batch: &Batch) -> Changes {
        let mut changes = Changes { rescan: batch.rescan, ..Changes::default() };
        for path in &batch.paths {
            let rel = path.strip_prefix(&self.root).unwrap_or(path);
            let parts: Vec<String> = rel
                .components()
                .filter_map(|c| match c {
                    Component::Normal(s) => Some(s.to_string_lossy().into_owned()),
                    _ => None,
                })
                .collect();
            let parts: Vec<&str> = parts.iter().map(String::as_str).collect();
            match parts.as_slice() {
                ["themes", ..] => changes.theme = true,
                ["content", "site.yaml"] | ["content", "terms", _] if path.extension().is_some_and(|e| e == "yaml") => {
                    changes.yaml.push(path.clone());
                }
                ["content", dir, file] => {
                    let section = match *dir {
                        "enclaves" => Section::Enclaves,
                        "operators" => Section::Operators,
                        "pages" => Section::Pages,
                        _ => continue,
                    };
                    if file.ends_with(".md") && !load::is_ignored(file) {
                        changes.entries.push((section, path.clone()));
                    }
                }
                // A content folder itself created, removed or renamed.
                ["content", "enclaves" | "operators" | "pages" | "terms"] => changes.rescan = true,
                _ => {}
            }
        }
        changes
    }

    fn reload_all(&mut self) {
        let mut d = Diagnostics::new();
        self.sources = load::load(&self.root, &mut d);
        self.load_diags.clear();
        for diag in d.0 {
            self.load_diags.entry(diag.file.clone()).or_default().push(diag);
        }
        let mut d = Diagnostics::new();
        self.theme = Arc::new(Theme::load(&self.root, &mut d));
        self.theme_diags = d.0;
    }

    fn reread_entry(&mut self, section: Section, path: &Path) -> Reread {
        let shown = display_path(&self.root, path);
        self.load_diags.remove(&shown);
        let mut d = Diagnostics::new();
        let doc = if path.is_file() { load::read_entry(&self.root, path, &mut d) } else { None };
        let clean = d.is_empty();
        if !d.is_empty() {
            self.load_diags.insert(shown.clone(), d.0);
        }
        let list: &mut Vec<Doc> = match section {
            Section::Enclaves => &mut self.sources.enclaves,
            Section::Operators => &mut self.sources.operators,
            Section::Pages => &mut self.sources.pages,
        };
        match (list.binary_search_by(|d| d.path.cmp(&shown)), doc) {
            (Ok(i), Some(doc)) => {
                let slug = doc.slug.clone();
                let same = clean && list[i].front_matter() == doc.front_matter() && list[i].slug == slug;
                list[i] = doc;
                Reread::Present(slug, same)
            }
            (Err(i), Some(doc)) => {
                let slug = doc.slug.clone();
                list.insert(i, doc);
                Reread::Present(slug, false)
            }
            (Ok(i), None) => Reread::Gone(list.remove(i).slug),
            (Err(_), None) => Reread::Absent,
        }
    }

    fn reread_yaml(&mut self, path: &Path) {
        let shown = display_path(&self.root, path);
        self.load_diags.remove(&shown);
        let mut d = Diagnostics::new();
        let doc = load::read_yaml_file(&self.root, path, &mut d);
        if !d.is_empty() {
            self.load_diags.insert(shown.clone(), d.0);
        }
        let (name, slot) = match shown.to_string_lossy().replace('\\', "/").as_str() {
            "content/site.yaml" => ("site", &mut self.sources.site),
            "content/terms/places.yaml" => ("places", &mut self.sources.places),
            "content/terms/sectors.yaml" => ("sectors", &mut self.sources.sectors),
            "content/terms/models.yaml" => ("models", &mut self.sources.models),
            "content/terms/operator-kinds.yaml" => ("operator-kinds", &mut self.sources.operator_kinds),
            // Other YAML files in terms/ are not read by the build.
            _ => return,
        };
        // As in a full load: a file that is there but unreadable is broken, not absent.
        if doc.is_none() && std::fs::symlink_metadata(path).is_ok() {
            self.sources.broken.insert(name.to_string());
        } else {
            self.sources.broken.remove(name);
        }
        *slot = doc;
    }
}

/// Renders the rest of the site for `job` and serves what changed; see the module docs.
pub fn complete(job: Job, shared: &Shared, pool: Option<&rayon::ThreadPool>) {
    let cancel = shared.new_background();
    if shared.state().epoch != job.epoch {
        return;
    }
    let mut known = lock(&shared.stamps).clone();
    let edited = job.text_only.clone();
    let unchanged = move |p: &str| edited.as_ref().is_some_and(|e| !e.contains(p));
    // Pages brought up to new asset names without rendering them (see below).
    let mut renamed: Vec<(OutputFile, PageStamp)> = Vec::new();
    let last_names = if job.text_only.is_some() { lock(&shared.asset_names).clone() } else { None };
    let reused = last_names.is_some();
    let mut run = || {
        // The data files do not depend on the assets: made beside them. After an edit of
        // descriptions only, the comparison data and the data files other than the feeds hold
        // nothing that changed: the served ones stay (they are of the same site but for the
        // descriptions), and the search index has both cores.
        let all = last_names.is_none();
        let (built, data) =
            rayon::join(|| assets::build_with(&job.site, &job.theme, all), || index::files_with(&job.site, all));
        let mut built = match built {
            Ok(a) => a,
            Err(d) => return (Err(Diagnostics(vec![d])), None, None),
        };
        for (key, name) in last_names.iter().flatten() {
            built.names.entry(key.clone()).or_insert_with(|| name.clone());
        }
        if let Some(edited) = &job.text_only {
            // After a description-only edit every other page has the view it had: one that
            // names a changed asset (a new search index) only needs the new file name.
            let config = &job.site.config;
            let edited_files: HashSet<String> = config
                .languages
                .iter()
                .flat_map(|l| {
                    edited.iter().map(move |p| format!("{}{}", urls::lang_prefix(config, l), urls::file_of(p)))
                })
                .collect();
            let served = shared.state().files.clone();
            for (file, stamp) in known.iter_mut().filter(|(f, _)| !edited_files.contains(*f)) {
                let Some(old) = served.get(file) else { continue };
                if let Some((html, new)) = stamp.renamed(&old.bytes, &built.names) {
                    renamed.push((OutputFile { path: file.clone(), bytes: html }, new.clone()));
                    *stamp = new;
                }
            }
        }
        let sel = Selection {
            known: Some(&known),
            cancel: Some(&cancel),
            unchanged: job.text_only.is_some().then_some(&unchanged),
            ..Selection::default()
        };
        let rendered = render_pages(&job.site, &job.theme, &built.names, &sel);
        // Data files of a run a newer change stopped are not served: they may be newer than
        // some pages it did not get to.
        let data = match &rendered {
            Ok(r) if !r.cancelled && !cancel.load(Ordering::Relaxed) => Some(data),
            _ => None,
        };
        (rendered, data, Some(built))
    };
    let (rendered, data, built) = match pool {
        Some(p) => p.install(run),
        None => run(),
    };
    let mut state = shared.state();
    if state.epoch != job.epoch {
        // A newer rebuild started: these pages may be older than what it served.
        return;
    }
    let rendered = match rendered {
        Ok(r) => r,
        Err(mut errors) => {
            errors.sort();
            state.set_errors(Some(&errors), &job.root);
            state.busy = false;
            drop(state);
            shared.notify();
            err!("{errors}");
            errln!("Build failed: {} errors in the theme's templates.", errors.error_count());
            return;
        }
    };
    let mut stamps = lock(&shared.stamps);
    let pages: Vec<_> = rendered
        .pages
        .into_iter()
        .chain(renamed)
        .map(|(file, stamp)| {
            stamps.insert(file.path.clone(), stamp);
            file
        })
        .collect();
    let page_count = pages.len();

    // Assets go with the pages even when cancelled: a page rendered here may name a new search
    // index. Old assets stay until a complete run, as pages rendered earlier may name them.
    let built = built.unwrap_or_default();
    let asset_paths: Vec<String> = built.files.iter().map(|f| f.path.clone()).collect();
    let mut changed = state.publish(built.files) + state.publish(pages);
    let warnings = state.warnings;
    if let Some(data) = data {
        let mut keep: HashSet<String> = rendered.page_files.into_iter().collect();
        keep.extend(asset_paths);
        keep.extend(data.iter().map(|f| f.path.clone()));
        if reused {
            // What was not made again is kept (see above).
            keep.extend(state.files.keys().filter(|k| assets::is_compare_file(k)).cloned());
            keep.extend(index::makers().into_iter().map(|(path, _)| path.to_string()));
        }
        changed += state.publish(data);
        let stale: Vec<String> = state.files.keys().filter(|k| !keep.contains(*k)).cloned().collect();
        changed += state.remove(&stale);
        stamps.retain(|k, _| keep.contains(k));
        *lock(&shared.asset_names) = Some(built.names);
        state.has_site = true;
        state.set_errors(None, &job.root);
        state.busy = false;
        state.settled = job.epoch;
    }
    drop(stamps);
    drop(state);
    shared.notify();
    let took = took(job.started);
    if job.first {
        let note = match warnings {
            0 => String::new(),
            1 => ", 1 warning (run `feidi check` to see it)".to_string(),
            n => format!(", {n} warnings (run `feidi check` to see them)"),
        };
        outln!(
            "Built {} enclaves, {} operators: {page_count} pages in {took}{note}",
            job.site.enclaves.len(),
            job.site.operators.len()
        );
    } else if changed > 0 {
        outln!("Updated the rest of the site ({changed} files) in {took}");
    }
}

/// `42 ms` or `3.7 s`.
fn took(since: Instant) -> String {
    let d = since.elapsed();
    if d.as_millis() < 1000 { format!("{} ms", d.as_millis()) } else { format!("{:.1} s", d.as_secs_f64()) }
}

/// Starts the thread that runs background jobs, newest first: a job still queued when a newer
/// one arrives is skipped.
pub fn spawn_background(shared: Arc<Shared>, pool: Option<rayon::ThreadPool>) -> Sender<Job> {
    let (tx, rx) = channel::<Job>();
    let spawned = std::thread::Builder::new().name("feidi-background".into()).spawn(move || {
        while let Ok(mut job) = rx.recv() {
            while let Ok(newer) = rx.try_recv() {
                job = newer;
            }
            let done = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| complete(job, &shared, pool.as_ref())));
            if done.is_err() {
                errln!("error: updating the rest of the site failed unexpectedly; save again to retry");
            }
        }
    });
    if spawned.is_err() {
        errln!("warning: cannot start the background renderer; only edited pages will update");
    }
    tx
}
