//! Stage 3a: renders the [`Site`] into HTML pages with the theme's Tera templates.
//!
//! Each page gets a small context of its own (never the whole site), built here from the model;
//! templates only lay it out. Interface text comes from the theme's translation tables through
//! `t(key=...)`, so templates hold no language.

pub mod charts;
pub mod facts;
pub mod figures;
pub mod filters;
pub mod insights;
pub mod meta;
pub mod partial;
pub mod rollup;
pub mod table_rows;
#[cfg(test)]
mod template_names;
mod turns;
pub mod views;

use std::collections::{BTreeMap, HashMap};

use rayon::prelude::*;
use tera::{Context, Tera};

use crate::assets;
use crate::diagnostics::{Diagnostic, Diagnostics};
use crate::model::{Enclave, Level, Ref, Site, Term, localize};
use crate::output::OutputFile;
use crate::theme::Theme;
use crate::urls;
use crate::{i18n, markdown};
use rollup::{Row, count_by, host_totals, matrix, model_shares, row};
use views::*;

use crate::field_table::{FIELDS, Field, Section};

/// Why rendering stopped.
#[derive(Debug)]
pub enum Failure {
    /// Templates failed, on these pages (every one is reported).
    Templates(Diagnostics),
    /// A page could not be written.
    Output(crate::output::OutputError),
}

/// Where rendered pages go, from any number of threads at once.
pub type Sink<'s> = &'s (dyn Fn(OutputFile) -> Result<(), crate::output::OutputError> + Sync);

/// Renders every page in `lang` (one of the site's languages) on every core, naming the assets
/// in `assets`, and hands each page to `sink` as soon as it is rendered: the site is never held
/// in memory whole. Returns how many pages were written. Pages do not depend on one another, so
/// the files are the same whatever the order and the number of threads.
pub fn render_into(
    site: &Site,
    theme: &Theme,
    assets: &assets::Names,
    lang: &str,
    sink: Sink,
) -> Result<usize, Failure> {
    let r = Renderer::new(site, theme, assets, lang).map_err(|d| Failure::Templates(Diagnostics(vec![d])))?;
    render_jobs(&r, theme, jobs(site), sink, None)
}

/// A language's pages, rendered in two turns (see [`turns`]): the pages that name only the
/// theme's own files are done; the rest wait for the generated assets.
pub struct Turns<'a> {
    r: Renderer<'a>,
    theme: &'a Theme,
    late: Vec<Job<'a>>,
    written: usize,
}

/// The first turn of [`render_into`]: renders the pages of `lang` that need no generated asset,
/// naming the theme's files `statics` ([`assets::static_names`]), while the generated assets
/// are made elsewhere. [`Turns::finish`] renders the rest.
pub fn first_turn<'a>(
    site: &'a Site,
    theme: &'a Theme,
    statics: &assets::Names,
    lang: &'a str,
    sink: Sink,
) -> Result<Turns<'a>, Failure> {
    let r = Renderer::new(site, theme, statics, lang).map_err(|d| Failure::Templates(Diagnostics(vec![d])))?;
    let early = turns::early_templates(theme, statics);
    let (now, mut late): (Vec<Job>, Vec<Job>) = jobs(site).into_iter().partition(|j| early.contains(j.template));
    let deferred = std::sync::Mutex::new(Vec::new());
    let written = render_jobs(&r, theme, now, sink, Some(&deferred))?;
    late.extend(deferred.into_inner().unwrap_or_else(|e| e.into_inner()));
    Ok(Turns { r, theme, late, written })
}

impl Turns<'_> {
    /// Renders the pages left, naming every asset in `assets`. Returns how many pages the two
    /// turns wrote.
    pub fn finish(mut self, assets: &assets::Names, sink: Sink) -> Result<usize, Failure> {
        self.r.assets = assets::names_for(assets, &self.r.site.config, self.r.lang);
        // The header and footer see the assets: made again with every name.
        self.r.frames.lock().unwrap_or_else(|e| e.into_inner()).clear();
        let late = std::mem::take(&mut self.late);
        Ok(self.written + render_jobs(&self.r, self.theme, late, sink, None)?)
    }
}

/// Renders `jobs` on every core into `sink`. With `defer`, a page whose template fails is put
/// there to be tried again later rather than reported.
fn render_jobs<'a>(
    r: &Renderer<'a>,
    theme: &Theme,
    jobs: Vec<Job<'a>>,
    sink: Sink,
    defer: Option<&std::sync::Mutex<Vec<Job<'a>>>>,
) -> Result<usize, Failure> {
    let errors = std::sync::Mutex::new(Diagnostics::new());
    let written = std::sync::atomic::AtomicUsize::new(0);
    let output: std::sync::Mutex<Option<crate::output::OutputError>> = std::sync::Mutex::new(None);
    let stop = std::sync::atomic::AtomicBool::new(false);
    jobs.into_par_iter().for_each(|job| {
        if stop.load(std::sync::atomic::Ordering::Relaxed) {
            return;
        }
        match r.job(&job) {
            Ok(html) => {
                // After a template error nothing more is written: the build fails anyway.
                if errors.lock().is_ok_and(|e| !e.is_empty()) {
                    return;
                }
                match sink(OutputFile { path: format!("{}{}", r.prefix, job.file()), bytes: html }) {
                    Ok(()) => {
                        written.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
                    }
                    Err(e) => {
                        stop.store(true, std::sync::atomic::Ordering::Relaxed);
                        if let Ok(mut o) = output.lock() {
                            o.get_or_insert(e);
                        }
                    }
                }
            }
            Err(e) => match defer {
                Some(later) => later.lock().unwrap_or_else(|e| e.into_inner()).push(job),
                None => {
                    if let Ok(mut d) = errors.lock() {
                        push_once(&mut d, template_error(theme, job.template, &job.path, &e));
                    }
                }
            },
        }
    });
    let errors = errors.into_inner().unwrap_or_else(|e| e.into_inner());
    if !errors.is_empty() {
        return Err(Failure::Templates(errors));
    }
    if let Some(e) = output.into_inner().unwrap_or_else(|e| e.into_inner()) {
        return Err(Failure::Output(e));
    }
    Ok(written.into_inner())
}

/// Room made for a page before it is rendered: most pages are 10–40 KB.
const PAGE_CAPACITY: usize = 32 * 1024;

/// What one page is about.
#[derive(Clone, Copy)]
enum Subject<'a> {
    Home,
    EnclaveList,
    OperatorList,
    PlaceList,
    TermList(&'static str, &'a [Term]),
    Compare,
    Enclave(&'a Enclave),
    Operator(&'a crate::model::Operator),
    Place(&'a crate::model::Place),
    Term(&'static str, &'a Term),
    Page(&'a crate::model::Page),
    NotFound,
}

/// One page to render: where it goes, with which template, about what; and which page of its
/// subject's list it shows.
struct Job<'a> {
    path: String,
    template: &'static str,
    subject: Subject<'a>,
    paging: Option<Paging>,
}

/// The page of a long list a page shows.
#[derive(Debug, Clone)]
struct Paging {
    /// The first page's path; later pages are `<base>page/<n>/`.
    base: String,
    /// This page, from 1.
    current: usize,
    /// How many pages the list has.
    total: usize,
}

impl Paging {
    /// The rows of `list` on this page, `size` to a page.
    fn is_first(&self) -> bool {
        self.current == 1
    }
}

/// The rows of `list` on `paging`'s page (all of them when the page is not paged).
fn page_of<'l, T>(paging: Option<&Paging>, list: &'l [T], size: usize) -> &'l [T] {
    &list[page_range(paging, list.len(), size)]
}

/// The indexes of a list of `len` rows on `paging`'s page.
fn page_range(paging: Option<&Paging>, len: usize, size: usize) -> std::ops::Range<usize> {
    match paging {
        None => 0..len,
        Some(p) => {
            let start = ((p.current - 1) * size).min(len);
            start..(start + size).min(len)
        }
    }
}

/// True on the first page of a list, and on pages that are not paged: what only the first page
/// shows (charts, facets, summaries) is computed only for it.
fn first_page(paging: Option<&Paging>) -> bool {
    paging.is_none_or(Paging::is_first)
}

impl Job<'_> {
    fn file(&self) -> String {
        if matches!(self.subject, Subject::NotFound) { self.path.clone() } else { urls::file_of(&self.path) }
    }
}

/// Every page of the site, in a fixed order. A subject with a long list gets one page per
/// `page_size` rows: its first at its own path, the others at `<path>page/<n>/`.
fn jobs<'a>(site: &'a Site) -> Vec<Job<'a>> {
    let size = site.config.page_size.max(1);
    let pages = |n: usize| n.div_ceil(size).max(1);
    let mut out: Vec<Job<'a>> = Vec::new();
    let mut add = |path: String, template: &'static str, subject: Subject<'a>, total: Option<usize>| match total {
        None => out.push(Job { path, template, subject, paging: None }),
        Some(total) => {
            for current in 1..=total {
                let paging = Paging { base: path.clone(), current, total };
                out.push(Job { path: urls::paged(&path, current), template, subject, paging: Some(paging) });
            }
        }
    };
    add(urls::HOME.into(), "index.html", Subject::Home, None);
    add(urls::ENCLAVES.into(), "enclaves.html", Subject::EnclaveList, Some(pages(site.enclaves.len())));
    add(urls::OPERATORS.into(), "operators.html", Subject::OperatorList, Some(pages(site.operators.len())));
    add(urls::PLACES.into(), "places.html", Subject::PlaceList, None);
    add(urls::SECTORS.into(), "terms.html", Subject::TermList("sectors", &site.sectors), None);
    add(urls::MODELS.into(), "terms.html", Subject::TermList("models", &site.models), None);
    add(urls::COMPARE.into(), "compare.html", Subject::Compare, Some(pages(site.enclaves.len())));
    for e in &site.enclaves {
        add(urls::enclave(&e.slug), "enclave.html", Subject::Enclave(e), None);
    }
    for o in &site.operators {
        add(urls::operator(&o.slug), "operator.html", Subject::Operator(o), Some(pages(o.enclaves.len())));
    }
    for p in site.places.iter().filter(|p| p.has_page) {
        let total = pages(p.sends.len()).max(pages(p.hosts.len()));
        add(urls::place(&p.id), "place.html", Subject::Place(p), Some(total));
    }
    for t in site.sectors.iter().filter(|t| !t.used_by.is_empty()) {
        add(urls::sector(&t.id), "term.html", Subject::Term("sectors", t), Some(pages(t.used_by.len())));
    }
    for t in site.models.iter().filter(|t| !t.used_by.is_empty()) {
        add(urls::model(&t.id), "term.html", Subject::Term("models", t), Some(pages(t.used_by.len())));
    }
    for p in &site.pages {
        add(urls::page(&p.slug), "page.html", Subject::Page(p), None);
    }
    add("404.html".into(), "404.html", Subject::NotFound, None);
    out
}

/// Adds `diag` unless the same message for the same file is there already (an error of a part
/// placed on many pages comes from each of them).
fn push_once(diags: &mut Diagnostics, diag: Diagnostic) {
    if !diags.0.iter().any(|d| d.file == diag.file && d.message == diag.message) {
        diags.push(diag);
    }
}

/// A Tera error with its causes: Tera nests the useful one.
fn error_chain(e: &tera::Error) -> String {
    let mut msg = e.to_string();
    let mut src = std::error::Error::source(e);
    while let Some(s) = src {
        msg.push_str(": ");
        msg.push_str(&s.to_string());
        src = s.source();
    }
    msg
}

fn template_error(theme: &Theme, template: &str, path: &str, e: &tera::Error) -> Diagnostic {
    let msg = error_chain(e);
    // A part placed in the page (a row, an item, the header or footer) names its own template.
    let part = ["enclave_row.html", "enclave_item.html", "header.html", "footer.html"]
        .into_iter()
        .find(|t| msg.starts_with(&format!("in {t}: ")));
    let (template, msg) = match part {
        // Not the page's fault: the same message for every page, reported once.
        Some(t) => (t, msg[format!("in {t}: ").len()..].to_string()),
        None => (template, format!("rendering `{path}` failed: {msg}")),
    };
    Diagnostic::error(format!("{}/templates/{template}", theme.origin), 0, 0, msg)
        .with_help("fix the template, or remove your themes/default to use the built-in theme")
}

/// The last theme's templates, parsed. Parsing takes some 15 ms, and `feidi serve` renders
/// after every save; a clone is much cheaper.
static PARSED: std::sync::Mutex<Option<(u64, Tera)>> = std::sync::Mutex::new(None);

fn parse_templates(theme: &Theme) -> Result<Tera, Diagnostic> {
    use std::hash::{Hash, Hasher};
    let templates = theme.templates();
    let mut h = std::collections::hash_map::DefaultHasher::new();
    templates.hash(&mut h);
    let key = h.finish();
    if let Ok(parsed) = PARSED.lock()
        && let Some((k, tera)) = parsed.as_ref()
        && *k == key
    {
        return Ok(tera.clone());
    }
    let mut tera = Tera::default();
    tera.add_raw_templates(templates.iter().map(|(n, s)| (n.as_str(), s.as_str()))).map_err(|e| {
        let mut msg = e.to_string();
        if let Some(s) = std::error::Error::source(&e) {
            msg = format!("{msg}: {s}");
        }
        Diagnostic::error(format!("{}/templates", theme.origin), 0, 0, format!("invalid template: {msg}"))
    })?;
    if let Ok(mut parsed) = PARSED.lock() {
        *parsed = Some((key, tera.clone()));
    }
    Ok(tera)
}

/// A page's root, `here` and `section` (see [`FrameContext`]).
type FrameKey = (String, String, String);

struct Renderer<'a> {
    site: &'a Site,
    /// The language of the pages.
    lang: &'a str,
    /// Their folder from the site root (`""`, `en/`: see [`urls::lang_prefix`]).
    prefix: String,
    /// Every language of the site: (code, folder, name in itself).
    languages: Vec<(&'a str, String, String)>,
    tera: Tera,
    /// What every page shares; serialized once into `base_context`.
    frame: Frame<'a>,
    base_context: Context,
    /// The asset names as this language's pages see them ([`assets::names_for`]).
    assets: assets::Names,
    /// Enclaves by home city id and by host city id (indexes into `site.enclaves`), so that an
    /// enclave page finds its neighbours without scanning the whole directory.
    by_home_city: BTreeMap<String, Vec<usize>>,
    by_host_city: BTreeMap<String, Vec<usize>>,
    /// Every enclave (indexes into `site.enclaves`) in name order: the enclave list's order.
    by_name: std::sync::OnceLock<Vec<usize>>,
    /// Interface texts for sentences and chart labels written in Rust.
    texts: i18n::Texts,
    /// The enclave fields shown: [`FIELDS`], or another table in tests.
    fields: &'a [Field],
    /// Each enclave's row of the enclave tables, rendered once.
    table_rows: table_rows::RowCache,
    /// Each enclave's item of the short lists of related enclaves, rendered once.
    list_items: table_rows::RowCache,
    /// The first error of `enclave_row.html`, `enclave_item.html`, `header.html` or
    /// `footer.html`: a page whose parts could not be made fails.
    part_error: std::sync::OnceLock<String>,
    /// The site header and footer by (root, here, section): see [`FrameContext`].
    frames: std::sync::Mutex<HashMap<FrameKey, std::sync::Arc<(String, String)>>>,
}

/// How many related enclaves an enclave page lists per group.
const RELATED_MAX: usize = 12;

impl<'a> Renderer<'a> {
    /// A renderer for `site` with `theme`, naming the assets in `assets` (built by
    /// [`crate::assets`] beforehand).
    fn new(site: &'a Site, theme: &Theme, assets: &assets::Names, lang: &'a str) -> Result<Self, Diagnostic> {
        let mut tera = parse_templates(theme)?;
        tera.autoescape_on(vec![".html"]);
        tera.set_escape_fn(crate::escape::html);
        let table = theme.i18n(lang)?;
        let texts = theme.texts(lang)?;
        tera.register_function("t", i18n::Translate::new(table, lang));
        let mut languages = Vec::new();
        for l in &site.config.languages {
            let label = theme.texts(l)?.t("language_name", &[]);
            languages.push((l.as_str(), urls::lang_prefix(&site.config, l), label));
        }
        tera.register_filter("num", filters::num_filter);
        tera.register_filter("yuan", filters::yuan_filter);
        tera.register_filter("pct", filters::pct_filter);
        let with_page: rustc_hash::FxHashSet<String> =
            site.places.iter().filter(|p| p.has_page).map(|p| p.id.clone()).collect();
        // `{% if p.id is linked %}`: a place has a page of its own. A test, not a map in every
        // page's context, which Tera would copy into each page and each macro call.
        tera.register_tester("linked", move |id: Option<&tera::Value>, _: &[tera::Value]| {
            Ok(id.and_then(tera::Value::as_str).is_some_and(|id| with_page.contains(id)))
        });
        // The map itself is kept for a theme whose templates still read it.
        let linked_places: BTreeMap<&str, bool> = if theme.templates().iter().any(|(_, t)| t.contains("linked_places"))
        {
            site.places.iter().filter(|p| p.has_page).map(|p| (p.id.as_str(), true)).collect()
        } else {
            BTreeMap::new()
        };
        let hosts: Vec<String> =
            site.enclaves.iter().filter(|e| site.is_city(&e.host_city.id)).map(|e| e.host_city.id.clone()).collect();
        let homes: Vec<String> = site.enclaves.iter().map(|e| e.home_city.id.clone()).collect();
        let distinct = |v: &[String]| v.iter().collect::<std::collections::BTreeSet<_>>().len();
        let menu = site
            .pages
            .iter()
            .map(|p| MenuItem {
                slug: &p.slug,
                title: &p.title,
                title_en: p.title_en.as_deref(),
                url: urls::page(&p.slug),
            })
            .collect();
        let counts = SiteCounts {
            enclaves: site.enclaves.len(),
            operators: site.operators.len(),
            home_cities: distinct(&homes),
            host_cities: distinct(&hosts),
            hosts_not_cities: site.enclaves.len() - hosts.len(),
            sectors: site.sectors.iter().filter(|t| !t.used_by.is_empty()).count(),
        };
        let frame = Frame { site: SiteView::new(&site.config, lang, menu, counts), lang, linked_places };
        let base_context = Context::from_serialize(&frame).map_err(|e| {
            Diagnostic::error(format!("{}/templates", theme.origin), 0, 0, format!("cannot prepare the pages: {e}"))
        })?;
        let mut by_home_city: BTreeMap<String, Vec<usize>> = BTreeMap::new();
        let mut by_host_city: BTreeMap<String, Vec<usize>> = BTreeMap::new();
        for (i, e) in site.enclaves.iter().enumerate() {
            by_home_city.entry(e.home_city.id.clone()).or_default().push(i);
            by_host_city.entry(e.host_city.id.clone()).or_default().push(i);
        }
        Ok(Renderer {
            site,
            lang,
            prefix: urls::lang_prefix(&site.config, lang),
            languages,
            tera,
            frame,
            base_context,
            assets: assets::names_for(assets, &site.config, lang),
            by_home_city,
            by_host_city,
            by_name: std::sync::OnceLock::new(),
            texts,
            fields: FIELDS,
            table_rows: table_rows::RowCache::new(site.enclaves.len()),
            list_items: table_rows::RowCache::new(site.enclaves.len()),
            part_error: std::sync::OnceLock::new(),
            frames: std::sync::Mutex::new(HashMap::new()),
        })
    }

    fn job(&self, job: &Job<'a>) -> tera::Result<Vec<u8>> {
        let (root, view) = self.context(job);
        self.page_with_root(job, &root, &view)
    }

    /// What sets one page apart from the others: its own view and its way up to the site root.
    /// With its path, its template and the frame all pages share, it determines the page.
    fn context(&self, job: &Job<'a>) -> (String, View<'a>) {
        let path = job.path.as_str();
        let pg = job.paging.as_ref();
        let root = urls::root_from(path);
        let view = match &job.subject {
            Subject::Home => View::Home(self.home(&root)),
            Subject::EnclaveList => View::EnclaveList(self.enclave_list(pg, &root)),
            Subject::OperatorList => View::OperatorList(self.operator_list(pg)),
            Subject::PlaceList => View::PlaceList(self.place_list()),
            Subject::TermList(kind, terms) => View::TermList(self.term_list(kind, terms)),
            Subject::Compare => View::Compare(Box::new(self.compare(pg))),
            Subject::Enclave(e) => View::Enclave(Box::new(self.enclave(e, path))),
            Subject::Operator(o) => View::Operator(self.operator(o, path, pg, &root)),
            Subject::Place(p) => View::Place(Box::new(self.place(p, pg, &root))),
            Subject::Term(kind, t) => View::Term(self.term(kind, t, pg, &root)),
            Subject::Page(p) => {
                let body = localize(&p.body, p.body_en.as_deref(), self.lang);
                View::Page(PageView { page: p, body_html: markdown::to_html(body.text, &root), body_lang: body.lang })
            }
            // The 404 page is served at any depth, so its links start from the base path.
            Subject::NotFound => {
                return (format!("{}{}", self.site.config.base_path, self.prefix), View::NotFound(NotFoundView {}));
            }
        };
        (root, view)
    }

    /// The page, or an error when its template, or one of the parts placed in it (rows,
    /// items, header, footer), could not be rendered.
    fn page_with_root(&self, job: &Job, root: &str, view: &View) -> tera::Result<Vec<u8>> {
        // Written straight into bytes: `Tera::render` would check the whole page is UTF-8
        // again (text it wrote itself from strings), and grow its buffer from 2 KB.
        let mut html = Vec::with_capacity(PAGE_CAPACITY);
        self.tera.render_to(job.template, &self.page_context(job, root, view)?, &mut html)?;
        match self.part_error.get() {
            Some(e) => Err(tera::Error::msg(e.clone())),
            None => Ok(html),
        }
    }

    /// Everything a page's template sees: the frame, where the page is, and its own view.
    fn page_context(&self, job: &Job, root: &str, view: &View) -> tera::Result<Context> {
        let path = job.path.as_str();
        let mut c = self.base_context.clone();
        let not_found = path == "404.html";
        let base_url = &self.site.config.base_url;
        let shown = if not_found { "" } else { path };
        let canonical = format!("{base_url}{}{shown}", self.prefix);
        let pager = job.paging.as_ref().map(|p| Pager::new(&p.base, p.current, p.total));
        let meta = meta::page(self, job, view, &canonical);
        let site_root = self.site_root(root);
        let frame = self.frame_html(root, path);
        let (header, footer) = (frame.0.as_str(), frame.1.as_str());
        let alternates = if self.languages.len() < 2 {
            Vec::new()
        } else {
            self.languages
                .iter()
                .map(|(code, prefix, label)| Alternate {
                    lang: code,
                    label,
                    href: format!("{base_url}{prefix}{shown}"),
                    link: if not_found {
                        format!("{}{prefix}", self.site.config.base_path)
                    } else {
                        format!("{site_root}{prefix}{path}")
                    },
                    current: *code == self.lang,
                })
                .collect()
        };
        c.extend(Context::from_serialize(Location {
            root,
            site_root: &site_root,
            alternates,
            path,
            canonical,
            assets: &self.assets,
            pager,
            meta,
            header,
            footer,
        })?);
        c.extend(Context::from_serialize(view)?);
        Ok(c)
    }

    /// The way from a page whose language root is `root` up to the site root.
    fn site_root(&self, root: &str) -> String {
        if self.prefix.is_empty() {
            return root.to_string();
        }
        match root.strip_suffix(&self.prefix) {
            // The 404 page's root is absolute: its language's folder under the base path.
            Some(base) if root.starts_with('/') => base.to_string(),
            _ => format!("{root}{}", urls::root_from(&self.prefix)),
        }
    }

    /// Enclave indices in name order, computed when a page first needs them (sorting by
    /// pinyin takes a while, and the page of an edited entry never does).
    fn by_name(&self) -> &[usize] {
        self.by_name.get_or_init(|| assets::order::by_name(self.site))
    }

    fn all(&self) -> Vec<&'a Enclave> {
        self.site.enclaves.iter().collect()
    }

    fn home(&self, root: &str) -> HomeView<'a> {
        let all = self.all();
        let site = self.site;
        let (top_hosts, other_hosts): (Vec<rollup::Count>, Vec<rollup::Count>) =
            count_by(&all, |e| vec![e.host_city.clone()]).into_iter().partition(|c| site.is_city(&c.item.id));
        let sep = self.t("list_sep", &[]);
        let lede_hosts =
            top_hosts.iter().take(4).map(|c| insights::name(&c.item, &self.texts.lang)).collect::<Vec<_>>().join(&sep);
        HomeView {
            top_hosts: self.short(top_hosts),
            other_hosts: self.short(other_hosts),
            lede_hosts,
            top_homes: self.short(count_by(&all, |e| vec![e.home_city.clone()])),
            regions: self.short(self.region_counts(&all)),
            models: model_shares(site, &all),
            // By group: a sector inside a group counts for the group, as on `sectors/`.
            sectors: count_by(&all, |e| {
                site.sectors_rolled_up(e)
                    .into_iter()
                    .filter(|r| site.sectors.iter().any(|t| t.id == r.id && t.parent.is_none()))
                    .collect()
            }),
            reported: self.reported_rows(),
            latest: self.most_complete(6).into_iter().map(|i| self.table_row(i, root)).collect(),
        }
    }

    /// The indices of the `n` enclaves that give the most fields (ties by slug): the home
    /// page's sample shows what an entry can hold, not the first files by name.
    fn most_complete(&self, n: usize) -> Vec<usize> {
        let given = |e: &Enclave| {
            self.fields
                .iter()
                .filter(|f| match (f.get)(e) {
                    None => false,
                    Some(crate::field_table::Value::Terms(v)) => !v.is_empty(),
                    Some(crate::field_table::Value::Operators(v)) => !v.is_empty(),
                    Some(crate::field_table::Value::Texts(v)) => !v.is_empty(),
                    Some(_) => true,
                })
                .count()
        };
        let mut order: Vec<(usize, usize)> =
            self.site.enclaves.iter().enumerate().map(|(i, e)| (given(e), i)).collect();
        // Slugs are sorted, so the index breaks ties by slug.
        order.sort_by_key(|&(k, i)| (std::cmp::Reverse(k), i));
        order.into_iter().take(n).map(|(_, i)| i).collect()
    }

    /// Ranked places as a compact list shows them: on an English page under their short English
    /// names where the vocabulary gives one.
    fn short(&self, mut counts: Vec<rollup::Count>) -> Vec<rollup::Count> {
        if self.lang == "en" {
            for c in &mut counts {
                if let Some(short) = self.site.place(&c.item.id).and_then(|p| p.short_en.clone()) {
                    c.item.name_en = Some(short);
                }
            }
        }
        counts
    }

    fn region_counts(&self, all: &[&Enclave]) -> Vec<rollup::Count> {
        let site = self.site;
        let is_region = |id: &str| site.place(id).is_some_and(|p| p.level == Level::Region);
        // A region counts the enclaves of the cities inside it; a host that is itself a region
        // level placeholder ("one of TusStar's bases") is no city region and is named apart.
        count_by(all, |e| {
            e.host_rollup
                .iter()
                .filter(|id| is_region(id) && (site.is_city(&e.host_city.id) || **id != e.host_city.id))
                .filter_map(|id| site.place(id))
                .map(crate::model::Place::to_ref)
                .collect()
        })
    }

    fn reported_rows(&self) -> Vec<ReportedRow<'a>> {
        let mut out = Vec::new();
        for p in &self.site.places {
            for r in &p.reported {
                out.push(ReportedRow { place: p.to_ref(), reported: r });
            }
        }
        out
    }

    /// The table row of `e`.
    fn row(&self, e: &Enclave) -> Row {
        row(self.site, e, &self.texts)
    }

    /// The rows of `slugs` (sorted, each once), in that order, for a page whose root is `root`.
    fn rows(&self, slugs: &[String], root: &str) -> Vec<TableRow> {
        slugs.iter().filter_map(|s| self.site.enclave_index(s)).map(|i| self.table_row(i, root)).collect()
    }

    /// Enclave `i`'s row of the enclave tables, for a page whose root is `root`.
    fn table_row(&self, i: usize, root: &str) -> TableRow {
        let e = &self.site.enclaves[i];
        let html = self.table_rows.get(i, root, |mark| self.render_row(&self.row(e), mark, false));
        self.checked_row(e, html)
    }

    fn checked_row(&self, e: &Enclave, html: Result<String, String>) -> TableRow {
        let html = html.unwrap_or_else(|m| {
            let _ = self.part_error.set(m);
            String::new()
        });
        TableRow { slug: e.slug.clone(), html }
    }

    /// `row` rendered with the theme's `enclave_row.html`; `role`: with the operator-role cell.
    fn render_row(&self, row: &Row, root: &str, role: bool) -> Result<String, String> {
        let view = RowContext { r: row, root, lang: self.lang, role };
        let c = Context::from_serialize(view).map_err(|e| error_chain(&e))?;
        self.tera.render("enclave_row.html", &c).map_err(|e| format!("in enclave_row.html: {}", error_chain(&e)))
    }

    /// The site header and footer for a page at `path` whose root is `root`, rendered the first
    /// time a page with their context asks.
    fn frame_html(&self, root: &str, path: &str) -> std::sync::Arc<(String, String)> {
        let (here, section) = urls::frame_of(path);
        let key = (root.to_string(), here.to_string(), section.to_string());
        if let Some(f) = self.frames.lock().unwrap_or_else(|e| e.into_inner()).get(&key) {
            return f.clone();
        }
        let site_root = self.site_root(root);
        let view = FrameContext {
            site: &self.frame.site,
            lang: self.frame.lang,
            root,
            site_root: &site_root,
            here,
            section,
            assets: &self.assets,
        };
        let render = |name: &str| -> String {
            let made = Context::from_serialize(&view)
                .and_then(|c| self.tera.render(name, &c))
                .map_err(|e| format!("in {name}: {}", error_chain(&e)));
            made.unwrap_or_else(|m| {
                let _ = self.part_error.set(m);
                String::new()
            })
        };
        let made = std::sync::Arc::new((render("header.html"), render("footer.html")));
        self.frames.lock().unwrap_or_else(|e| e.into_inner()).entry(key).or_insert(made).clone()
    }

    /// Enclave `i`'s item of the short lists of related enclaves, for a page whose root is
    /// `root`.
    fn list_item(&self, i: usize, root: &str) -> TableRow {
        let e = &self.site.enclaves[i];
        let html = self.list_items.get(i, root, |mark| {
            let item = self.mini_row(e);
            let view = ItemContext { r: &item, root: mark, lang: self.lang };
            let c = Context::from_serialize(view).map_err(|e| error_chain(&e))?;
            self.tera.render("enclave_item.html", &c).map_err(|e| format!("in enclave_item.html: {}", error_chain(&e)))
        });
        self.checked_row(e, html)
    }

    /// `e` as a short list shows it.
    fn mini_row(&self, e: &Enclave) -> MiniRow {
        let lang = self.lang;
        MiniRow {
            slug: e.slug.clone(),
            label: crate::format::name(&Ref::new(String::new(), e.name.clone(), e.name_en.clone()), lang),
            label_lang: localize(&e.name, e.name_en.as_deref(), lang).lang,
            status: e.status,
            status_label: (e.status != crate::model::Status::Active)
                .then(|| crate::format::status(e.status, &self.texts)),
            home: rollup::short_place_name(self.site, &e.home, lang),
            host: rollup::short_place_name(self.site, &e.host, lang),
        }
    }

    fn size(&self) -> usize {
        self.site.config.page_size.max(1)
    }

    fn enclave_list(&self, pg: Option<&Paging>, root: &str) -> EnclaveListView {
        let site = self.site;
        let facets = first_page(pg).then(|| {
            let all = self.all();
            Facets {
                host: self.short(count_by(&all, |e| vec![e.host_city.clone()])),
                home: self.short(count_by(&all, |e| vec![e.home_city.clone()])),
                sector: count_by(&all, |e| site.sectors_rolled_up(e)),
                model: count_by(&all, |e| e.model.clone().into_iter().collect()),
            }
        });
        EnclaveListView {
            rows: page_range(pg, site.enclaves.len(), self.size())
                .map(|i| self.table_row(self.by_name()[i], root))
                .collect(),
            count: site.enclaves.len(),
            facets,
        }
    }

    fn enclave(&self, e: &'a Enclave, path: &str) -> EnclaveView<'a> {
        let site = self.site;
        let lang = self.lang;
        let operators = e
            .operators
            .iter()
            .map(|o| EnclaveOperator {
                operator: &o.operator,
                role: o.role.as_deref().map(|r| localize(r, o.role_en.as_deref(), lang).text),
                role_lang: o.role.as_deref().and_then(|r| localize(r, o.role_en.as_deref(), lang).lang),
                kind: site.operator(&o.operator.id).map(|x| x.kind.clone()),
            })
            .collect();
        let root = urls::root_from(path);
        let related = |group: Option<&Vec<usize>>| -> Vec<TableRow> {
            group
                .into_iter()
                .flatten()
                .filter(|&&i| site.enclaves[i].slug != e.slug)
                .take(RELATED_MAX)
                .map(|&i| self.list_item(i, &root))
                .collect()
        };
        let fields = self.fields;
        let body = localize(&e.body, e.body_en.as_deref(), lang);
        let summary = markdown::summary(body.text, 160);
        let json_ld = meta::enclave_json_ld(site, e, &meta::enclave_description(e, &summary), lang);
        EnclaveView {
            kind: e.kind.as_deref().map(|k| localize(k, e.kind_en.as_deref(), lang)),
            enclave: e,
            body_html: markdown::to_html(body.text, &root),
            body_lang: body.lang,
            summary,
            json_ld,
            home_chain: facts::chain(site, &e.home.id, lang),
            host_chain: facts::chain(site, &e.host.id, lang),
            facts: facts::facts(site, e, fields, Section::Facts, &self.texts),
            outcomes: facts::facts(site, e, fields, Section::Outcomes, &self.texts),
            network: facts::facts(site, e, fields, Section::Network, &self.texts),
            operators,
            same_home: related(self.by_home_city.get(&e.home_city.id)),
            same_host: related(self.by_host_city.get(&e.host_city.id)),
            same_home_total: self.by_home_city.get(&e.home_city.id).map_or(0, |v| v.len() - 1),
            same_host_total: self.by_host_city.get(&e.host_city.id).map_or(0, |v| v.len() - 1),
        }
    }

    fn operator_list(&self, pg: Option<&Paging>) -> OperatorListView<'a> {
        let site = self.site;
        // Every operator once, grouped by kind; a page takes its share of them in that order.
        let all: Vec<(&'a Term, &'a crate::model::Operator)> = site
            .operator_kinds
            .iter()
            .flat_map(|k| k.used_by.iter().filter_map(|s| site.operator(s)).map(move |o| (k, o)))
            .collect();
        let mut groups: Vec<OperatorGroup<'a>> = Vec::new();
        for &(k, o) in page_of(pg, &all, self.size()) {
            let item = OperatorItem {
                slug: &o.slug,
                name: &o.name,
                name_en: o.name_en.as_deref(),
                hq: o.hq.as_ref(),
                count: o.enclaves.len(),
                summary: markdown::summary(localize(&o.body, o.body_en.as_deref(), self.lang).text, 90),
                summary_lang: localize(&o.body, o.body_en.as_deref(), self.lang).lang,
            };
            match groups.last_mut() {
                Some(g) if g.kind.id == k.id => g.operators.push(item),
                _ => groups.push(OperatorGroup { kind: k, operators: vec![item] }),
            }
        }
        OperatorListView { groups, count: all.len() }
    }

    fn operator(&self, o: &'a crate::model::Operator, path: &str, pg: Option<&Paging>, root: &str) -> OperatorView<'a> {
        let site = self.site;
        let listed = page_of(pg, &o.enclaves, self.size());
        // With the operator's role in each row, these rows are this table's own.
        let rows: Vec<TableRow> = listed
            .iter()
            .filter_map(|r| site.enclave(&r.enclave.id).map(|e| (r, e)))
            .map(|(r, e)| {
                let role = r.role.as_deref().map(|x| localize(x, r.role_en.as_deref(), self.lang));
                let row = Row {
                    role: role.as_ref().map(|x| x.text.to_string()),
                    role_lang: role.and_then(|x| x.lang),
                    ..self.row(e)
                };
                self.checked_row(e, self.render_row(&row, root, true))
            })
            .collect();
        let body = localize(&o.body, o.body_en.as_deref(), self.lang);
        let summary = markdown::summary(body.text, 160);
        let json_ld =
            first_page(pg).then(|| meta::operator_json_ld(site, o, listed, &meta::operator_description(o, &summary)));
        OperatorView {
            operator: o,
            body_html: markdown::to_html(body.text, &urls::root_from(path)),
            body_lang: body.lang,
            summary,
            json_ld,
            rows,
            count: o.enclaves.len(),
        }
    }

    fn place_list(&self) -> PlaceListView<'a> {
        let site = self.site;
        let groups = Level::ALL
            .iter()
            .filter_map(|(name, level)| {
                let places: Vec<PlaceItem<'a>> = site
                    .places
                    .iter()
                    .filter(|p| p.has_page && p.level == *level)
                    .map(|p| PlaceItem {
                        id: &p.id,
                        name: &p.name,
                        name_en: p.name_en.as_deref(),
                        parent: p.parent.as_ref(),
                        sends: p.sends.len(),
                        hosts: p.hosts.len(),
                    })
                    .collect();
                (!places.is_empty()).then_some(PlaceGroup { level: name, places })
            })
            .collect();
        PlaceListView { groups }
    }

    fn place(&self, p: &'a crate::model::Place, pg: Option<&Paging>, root: &str) -> PlaceView<'a> {
        let size = self.size();
        // `sends` and `hosts` are sorted by slug, without repeats: only this page's rows are made.
        let reported_here = self.reported_about(p);
        PlaceView {
            place: p,
            reported_here,
            chain: p.ancestors.iter().rev().collect(),
            sent_count: p.sends.len(),
            hosted_count: p.hosts.len(),
            sent_rows: self.rows(page_of(pg, &p.sends, size), root),
            hosted_rows: self.rows(page_of(pg, &p.hosts, size), root),
            summary: first_page(pg).then(|| self.place_summary(p)),
        }
    }

    /// The counts other places' sources report with `p` as the other side, or a place inside
    /// `p` (京津冀 holds 北京市): the other side of their `reported`.
    fn reported_about(&self, p: &crate::model::Place) -> Vec<ReportedRow<'a>> {
        let site = self.site;
        site.places
            .iter()
            .filter(|q| q.id != p.id)
            .flat_map(|q| q.reported.iter().map(move |r| (q, r)))
            .filter(|(_, r)| {
                r.r#where
                    .as_ref()
                    .and_then(|w| site.place(&w.id))
                    .is_some_and(|w| w.id == p.id || w.ancestors.iter().chain(&w.regions).any(|a| a.id == p.id))
            })
            .map(|(q, r)| ReportedRow { place: q.to_ref(), reported: r })
            .collect()
    }

    fn place_summary(&self, p: &'a crate::model::Place) -> PlaceSummary<'a> {
        let site = self.site;
        let sent: Vec<&Enclave> = p.sends.iter().filter_map(|s| site.enclave(s)).collect();
        let hosted: Vec<&Enclave> = p.hosts.iter().filter_map(|s| site.enclave(s)).collect();
        let children = p
            .children
            .iter()
            .filter_map(|c| site.place(&c.id))
            .filter(|c| c.has_page)
            .map(|c| ChildPlace { place: c.to_ref(), sends: c.sends.len(), hosts: c.hosts.len() })
            .collect();
        let operators = p
            .operators
            .iter()
            .filter_map(|s| site.operator(s))
            .map(|o| PlaceOperator { slug: &o.slug, name: &o.name, name_en: o.name_en.as_deref(), kind: &o.kind })
            .collect();
        PlaceSummary {
            sent_by_host: self.short(count_by(&sent, |e| vec![e.host_city.clone()])),
            hosted_by_home: self.short(count_by(&hosted, |e| vec![e.home_city.clone()])),
            children,
            operators,
            charts: self.place_charts(p, &sent, &hosted),
        }
    }

    fn term_list(&self, kind: &'a str, terms: &'a [Term]) -> TermListView<'a> {
        // Most used first (ties in file order), each sector's narrower sectors right after it.
        let mut items = Vec::new();
        fn add<'t>(terms: &'t [Term], parent: Option<&str>, depth: usize, out: &mut Vec<TermItem<'t>>) {
            let mut level: Vec<&Term> =
                terms.iter().filter(|t| t.parent.as_ref().map(|p| p.id.as_str()) == parent).collect();
            level.sort_by_key(|t| std::cmp::Reverse(t.used_by.len()));
            for t in level {
                out.push(TermItem { term: t, count: t.used_by.len(), depth });
                // A cycle is an error already reported; depth bounds the walk all the same.
                if depth < 8 {
                    add(terms, Some(&t.id), depth + 1, out);
                }
            }
        }
        add(terms, None, 0, &mut items);
        let described = terms.iter().any(|t| t.description.is_some());
        let not_reported = self
            .site
            .enclaves
            .iter()
            .filter(|e| if kind == "sectors" { e.sectors.is_none() } else { e.model.is_none() })
            .count();
        TermListView { kind, terms: items, described, total: self.site.enclaves.len(), not_reported }
    }

    fn term(&self, kind: &'a str, t: &'a Term, pg: Option<&Paging>, root: &str) -> TermView<'a> {
        let site = self.site;
        let summary = first_page(pg).then(|| {
            let list: Vec<&Enclave> = t.used_by.iter().filter_map(|s| site.enclave(s)).collect();
            TermSummary {
                by_host: self.short(count_by(&list, |e| vec![e.host_city.clone()])),
                by_home: self.short(count_by(&list, |e| vec![e.home_city.clone()])),
                charts: self.term_charts(kind, t, &list),
            }
        });
        TermView {
            kind,
            term: t,
            count: t.used_by.len(),
            // `used_by` is sorted by slug, without repeats: only this page's rows are made.
            rows: self.rows(page_of(pg, &t.used_by, self.size()), root),
            total: site.enclaves.len(),
            summary,
        }
    }

    fn compare(&self, pg: Option<&Paging>) -> CompareView<'a> {
        let site = self.site;
        CompareView {
            rows: page_range(pg, site.enclaves.len(), self.size())
                .map(|i| self.row(&site.enclaves[self.by_name()[i]]))
                .collect(),
            count: site.enclaves.len(),
            compare_fields: assets::compare_data::fields(self.fields)
                .iter()
                .map(|f| CompareField { id: f.key, label: self.texts.t(f.label, &[]) })
                .collect(),
            summary: first_page(pg).then(|| self.compare_summary()),
        }
    }

    fn compare_summary(&self) -> CompareSummary<'a> {
        let site = self.site;
        let all = self.all();
        CompareSummary {
            // The columns of places that are no city (a placeholder for one of several cities)
            // come last, labelled as such.
            matrix_city: matrix(&all, false).cities_first(|id| site.is_city(id)),
            // A municipality is its own province; a region or a placeholder is neither.
            matrix_province: matrix(&all, true)
                .cities_first(|id| site.place(id).is_some_and(|p| matches!(p.level, Level::Province | Level::City))),
            models: model_shares(site, &all),
            sectors_by_host: sector_table(site, &all, true),
            sectors_by_home: sector_table(site, &all, false),
            totals: host_totals(&all),
            reported: self.reported_rows(),
            charts: self.compare_charts(&all),
        }
    }

    fn figures(&self) -> figures::Figures<'_> {
        figures::Figures { site: self.site, tx: &self.texts }
    }

    fn t(&self, key: &str, args: &[(&str, &str)]) -> String {
        self.texts.t(key, args)
    }

    /// The compare page's charts and generated sentences.
    fn compare_charts(&self, all: &[&Enclave]) -> CompareCharts {
        let f = self.figures();
        let tx = &self.texts;
        let reported: Vec<(Ref, &crate::model::Reported)> =
            self.site.places.iter().flat_map(|p| p.reported.iter().map(move |r| (p.to_ref(), r))).collect();
        CompareCharts {
            overview: insights::overview(tx, self.site, all),
            flows: f.flow_map("fig-flows", self.t("chart_flows_title", &[]), all, None),
            matrix: insights::matrix(tx, all, &rollup::city_pairs(all)),
            models: f.models("fig-models", self.t("compare_models", &[]), all, true, false),
            sectors_host: f.sectors_by_city("fig-sectors-host", self.t("compare_sectors_host", &[]), all, true),
            sectors_home: f.sectors_by_city("fig-sectors-home", self.t("compare_sectors_home", &[]), all, false),
            totals: f.totals("fig-totals", self.t("compare_totals", &[]), all, false),
            reported: f.reported("fig-reported", self.t("chart_reported_title", &[]), &reported, false),
        }
    }

    /// Charts filtered to one place: its flows, models, sectors, size and reported counts.
    fn place_charts(&self, p: &crate::model::Place, sent: &[&Enclave], hosted: &[&Enclave]) -> PlaceCharts {
        let f = self.figures();
        let tx = &self.texts;
        let pname = insights::name(&p.to_ref(), &tx.lang);
        let mut both: Vec<&Enclave> = sent.iter().chain(hosted).copied().collect();
        both.sort_by(|a, b| a.slug.cmp(&b.slug));
        both.dedup_by(|a, b| a.slug == b.slug);
        let reported: Vec<(Ref, &crate::model::Reported)> = p.reported.iter().map(|r| (p.to_ref(), r)).collect();
        let mut summary = insights::hosts(tx, self.site, p, hosted);
        summary.extend(insights::sends(tx, self.site, p, sent));
        let about: Vec<(Ref, &crate::model::Reported)> =
            self.reported_about(p).into_iter().map(|r| (r.place, r.reported)).collect();
        summary.extend(insights::reported(tx, &about, 4));
        let figures: Vec<charts::Figure> = [
            f.flow_map("fig-flows", self.t("chart_flows_place", &[("place", &pname)]), &both, Some(&p.id)),
            f.models("fig-models", self.t("chart_models_title", &[]), &both, true, true),
            f.sectors("fig-sectors", self.t("chart_sectors_title", &[]), &both),
            f.totals("fig-totals", self.t("chart_totals_title", &[]), &both, true),
        ]
        .into_iter()
        .flatten()
        .collect();
        PlaceCharts {
            summary,
            figures,
            reported: f.reported("fig-reported", self.t("chart_reported_title", &[]), &reported, false),
        }
    }

    /// Charts filtered to one sector or model.
    fn term_charts(&self, kind: &str, t: &Term, list: &[&Enclave]) -> TermCharts {
        let f = self.figures();
        let tname = insights::name(&t.to_ref(), &self.texts.lang);
        let mix = if kind == "sectors" {
            f.models("fig-models", self.t("chart_models_title", &[]), list, true, true)
        } else {
            f.sectors("fig-sectors", self.t("chart_sectors_title", &[]), list)
        };
        let figures: Vec<charts::Figure> = [
            f.flow_map("fig-flows", self.t("chart_flows_term", &[("term", &tname)]), list, None),
            mix,
            f.totals("fig-totals", self.t("chart_totals_title", &[]), list, true),
        ]
        .into_iter()
        .flatten()
        .collect();
        TermCharts { summary: insights::overview_of(&self.texts, self.site, list, Some(&tname)), figures }
    }
}

/// The most city columns a sector table has; the others are summed in one column.
const SECTOR_TABLE_CITIES: usize = 24;

fn sector_table(site: &Site, all: &[&Enclave], by_host: bool) -> SectorTable {
    fn city(e: &Enclave, by_host: bool) -> &Ref {
        if by_host { &e.host_city } else { &e.home_city }
    }
    // Columns only for the cities of enclaves that report a sector: another city's column
    // would be zeros from top to bottom.
    let reporting: Vec<&Enclave> =
        all.iter().filter(|e| e.sectors.as_ref().is_some_and(|s| !s.is_empty())).copied().collect();
    let mut cities: Vec<Ref> =
        count_by(&reporting, |e| vec![city(e, by_host).clone()]).into_iter().map(|c| c.item).collect();
    let others = cities.len().saturating_sub(SECTOR_TABLE_CITIES);
    cities.truncate(SECTOR_TABLE_CITIES);
    let column: HashMap<&str, usize> = cities.iter().enumerate().map(|(i, c)| (c.id.as_str(), i)).collect();
    let width = cities.len() + usize::from(others > 0);
    let mut rows: Vec<(Ref, Vec<usize>)> = Vec::new();
    for s in site.sectors.iter().filter(|s| !s.used_by.is_empty()) {
        let mut counts = vec![0; width];
        for e in all.iter().filter(|e| e.sectors.iter().flatten().any(|x| x.id == s.id)) {
            // A city past the widest columns counts in the last one, "other cities".
            counts[column.get(city(e, by_host).id.as_str()).copied().unwrap_or(width - 1)] += 1;
        }
        rows.push((s.to_ref(), counts));
    }
    rows.sort_by(|a, b| b.1.iter().sum::<usize>().cmp(&a.1.iter().sum::<usize>()).then_with(|| a.0.id.cmp(&b.0.id)));
    let max = rows.iter().flat_map(|r| r.1.iter().copied()).max().unwrap_or(0);
    SectorTable { cities, rows, max, others }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::field_table::{Field, Kind, Presence, Value};

    /// The fixture site of the integration tests, resolved.
    fn fixture_site() -> Site {
        fixture("basic")
    }

    fn fixture(name: &str) -> Site {
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures").join(name);
        let mut d = Diagnostics::new();
        let sources = crate::load::load(&root, &mut d);
        let site = crate::resolve::resolve(&sources, &Default::default(), &mut d);
        site.unwrap_or_else(|| panic!("the fixture resolves: {d}"))
    }

    #[test]
    fn a_field_added_to_the_table_appears_on_the_page_in_the_comparison_and_the_data() {
        let marker = Field {
            key: "test_marker",
            label: "field_kind",
            kind: Kind::Text,
            section: Section::Facts,
            presence: Presence::Always,
            compare: true,
            get: |_| Some(Value::Text("MARKER-XYZ")),
        };
        let mut fields = FIELDS.to_vec();
        fields.push(marker);
        let site = fixture_site();
        let theme = Theme::builtin();
        let names = assets::build(&site, &theme).unwrap().names;
        let mut r = Renderer::new(&site, &theme, &names, "zh-CN").unwrap();
        r.fields = &fields;
        let e = &site.enclaves[0];
        let page = r.job(&Job {
            path: urls::enclave(&e.slug),
            template: "enclave.html",
            subject: Subject::Enclave(e),
            paging: None,
        });
        let page = String::from_utf8(page.unwrap()).unwrap();
        assert!(page.contains("<dd>MARKER-XYZ</dd>"), "the enclave page shows it");
        let paging = Some(Paging { base: urls::COMPARE.into(), current: 1, total: 1 });
        let compare =
            r.job(&Job { path: urls::COMPARE.into(), template: "compare.html", subject: Subject::Compare, paging });
        let compare = String::from_utf8(compare.unwrap()).unwrap();
        assert!(compare.contains("data-field=\"test_marker\""), "the comparison has a row for it");
        let data = assets::compare_data::script_with(&site, &assets::compare_data::fields(&fields), &r.texts);
        assert!(data.fields.iter().any(|f| f == "test_marker"), "the comparison data names it");
        assert!(data.chunks.concat().contains("MARKER-XYZ"), "and holds its values");
        let csv = crate::index::data::enclaves_csv_with(&site, &fields);
        let header = csv.lines().next().unwrap();
        assert!(header.ends_with(",updated,test_marker,url"), "the CSV has its column: {header}");
        assert!(csv.lines().nth(1).unwrap().contains(",MARKER-XYZ,"));
        let record = crate::index::data::enclave_record_with(&site, e, &fields);
        assert_eq!(record["test_marker"], "MARKER-XYZ", "the JSON has it");
    }

    #[test]
    fn every_field_has_a_label_in_every_shipped_language() {
        let theme = Theme::builtin();
        for lang in i18n::LANGUAGES {
            let table = theme.i18n(lang).unwrap();
            for f in FIELDS {
                assert!(table.contains_key(f.label), "{lang} has no label `{}` for `{}`", f.label, f.key);
            }
        }
    }

    #[test]
    fn every_name_a_template_reads_is_in_its_view() {
        let theme = Theme::builtin();
        // A name is wrong when no page rendered with the template has it: a later page of a
        // long list lacks what only the first shows, inside `{% if pager.current == 1 %}`.
        let mut seen: BTreeMap<&str, Vec<std::collections::BTreeSet<String>>> = BTreeMap::new();
        let mut problems = Vec::new();
        let cases = [("basic", 100, "zh-CN"), ("basic", 1, "zh-CN"), ("search", 100, "zh-CN"), ("search", 2, "en")];
        for (name, page_size, lang) in cases {
            let mut site = fixture(name);
            site.config.page_size = page_size;
            // Both languages, so that the alternates and the language switch are in the views.
            site.config.languages = vec!["zh-CN".into(), "en".into()];
            let names = assets::build(&site, &theme).unwrap().names;
            let r = Renderer::new(&site, &theme, &names, lang).unwrap();
            for job in jobs(&site) {
                let (root, view) = r.context(&job);
                let ctx = r.page_context(&job, &root, &view).unwrap().into_json();
                let mut checker = template_names::Checker::new(&r.tera);
                checker.check_page(job.template, &ctx);
                seen.entry(job.template).or_default().push(checker.problems.into_iter().collect());
            }
            let mut checker = template_names::Checker::new(&r.tera);
            checker.check_macros("macros.html");
            problems.extend(checker.problems);
            for e in &site.enclaves {
                let row = r.row(e);
                let ctx = serde_json::to_value(RowContext { r: &row, root: "", lang: "zh-CN", role: true }).unwrap();
                let mut checker = template_names::Checker::new(&r.tera);
                checker.check_page("enclave_row.html", &ctx);
                seen.entry("enclave_row.html").or_default().push(checker.problems.into_iter().collect());
                let item = r.mini_row(e);
                let ctx = serde_json::to_value(ItemContext { r: &item, root: "", lang: "zh-CN" }).unwrap();
                let mut checker = template_names::Checker::new(&r.tera);
                checker.check_page("enclave_item.html", &ctx);
                seen.entry("enclave_item.html").or_default().push(checker.problems.into_iter().collect());
            }
            for path in ["", "enclaves/", "enclaves/a/", "pages/about/", "404.html"] {
                let (here, section) = urls::frame_of(path);
                let view = FrameContext {
                    site: &r.frame.site,
                    lang: "zh-CN",
                    root: "",
                    site_root: "",
                    here,
                    section,
                    assets: &r.assets,
                };
                let ctx = serde_json::to_value(view).unwrap();
                for name in ["header.html", "footer.html"] {
                    let mut checker = template_names::Checker::new(&r.tera);
                    checker.check_page(name, &ctx);
                    seen.entry(name).or_default().push(checker.problems.into_iter().collect());
                }
            }
        }
        for sets in seen.values() {
            let mut common = sets[0].clone();
            for s in &sets[1..] {
                common.retain(|p| s.contains(p));
            }
            problems.extend(common);
        }
        problems.sort();
        problems.dedup();
        assert!(problems.is_empty(), "templates read names their views lack:\n{}", problems.join("\n"));
    }
}
