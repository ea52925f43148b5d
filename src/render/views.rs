//! The typed contract between Rust and the theme: one view per kind of page, plus the frame every
//! page shares. Templates read exactly these fields (a test checks every name a template reads
//! against them), so a renamed or mistyped field fails the test suite instead of silently
//! taking a template's `else` branch.
//!
//! Views borrow from the [`Site`](crate::model::Site) where they can, and carry what templates
//! should not work out: figures already formatted, names already in the interface language,
//! links already made (see [`super::facts`]).

use std::collections::BTreeMap;

use serde::Serialize;

use super::charts::Figure;
use super::facts::{Fact, Link};
use super::rollup::{Count, Matrix, ModelShares, Row, Totals};
use crate::model::{Enclave, Operator, Page, Place, Ref, Reported, SiteConfig, Term};

/// What every page gets, whatever it shows.
#[derive(Debug, Serialize)]
pub struct Frame<'a> {
    /// The site's settings and totals.
    pub site: SiteView<'a>,
    /// The interface language (`zh-CN`, `en`).
    pub lang: &'a str,
    /// Ids of the places that have a page, for linking place names; filled only for a theme
    /// whose templates read it (the default theme uses the test `is linked`).
    pub linked_places: BTreeMap<&'a str, bool>,
}

/// The site as every page sees it.
#[derive(Debug, Serialize)]
pub struct SiteView<'a> {
    /// Title.
    pub title: &'a str,
    /// English title.
    pub title_en: Option<&'a str>,
    /// Description.
    pub description: Option<&'a str>,
    /// Description in English.
    pub description_en: Option<&'a str>,
    /// Absolute base URL.
    pub base_url: &'a str,
    /// The interface language of the pages.
    pub language: &'a str,
    /// The editor's free map from `site.yaml`.
    pub extra: &'a serde_json::Value,
    /// The free pages, for the menu.
    pub menu: Vec<MenuItem<'a>>,
    /// Totals shown in the header and on the home page.
    pub counts: SiteCounts,
    /// The licence of the text and data.
    pub license: Option<&'a crate::model::License>,
}

impl<'a> SiteView<'a> {
    /// The view of `config` for the pages in `lang`.
    pub fn new(config: &'a SiteConfig, lang: &'a str, menu: Vec<MenuItem<'a>>, counts: SiteCounts) -> Self {
        SiteView {
            title: &config.title,
            title_en: config.title_en.as_deref(),
            description: config.description.as_deref(),
            description_en: config.description_en.as_deref(),
            base_url: &config.base_url,
            language: lang,
            extra: &config.extra,
            menu,
            counts,
            license: config.license.as_ref(),
        }
    }
}

/// A free page in the menu.
#[derive(Debug, Serialize)]
pub struct MenuItem<'a> {
    /// Slug.
    pub slug: &'a str,
    /// Title.
    pub title: &'a str,
    /// English title.
    pub title_en: Option<&'a str>,
    /// Its page, relative to the site root.
    pub url: String,
}

/// Totals of the whole directory.
#[derive(Debug, Serialize)]
pub struct SiteCounts {
    /// Enclaves.
    pub enclaves: usize,
    /// Operators.
    pub operators: usize,
    /// Distinct home cities.
    pub home_cities: usize,
    /// Distinct host cities (places of level `city`).
    pub host_cities: usize,
    /// Enclaves whose host is known only as a region, a province or a placeholder such as
    /// "one of TusStar's bases", not as a city: counted apart.
    pub hosts_not_cities: usize,
    /// Sectors in use.
    pub sectors: usize,
}

/// Where one page is: what every page adds to the frame.
#[derive(Debug, Serialize)]
pub struct Location<'a> {
    /// The way up to the root of the page's language (`../../`), or that root's absolute path
    /// on the 404 page.
    pub root: &'a str,
    /// The way up to the site root, where the files every language shares are (the open
    /// data): `root` itself in the first language, `root` and `../` in the others.
    pub site_root: &'a str,
    /// The same page in every language of the site, this one included.
    pub alternates: Vec<Alternate<'a>>,
    /// The page's path (`enclaves/a/`).
    pub path: &'a str,
    /// The page's absolute URL.
    pub canonical: String,
    /// Asset file names by the key templates use (`style.css` → `style.<hash>.css`).
    pub assets: &'a BTreeMap<String, String>,
    /// Where the page stands in its list's pages, for a page of a long list.
    pub pager: Option<Pager>,
    /// Its meta description and Open Graph tags.
    pub meta: super::meta::PageMeta,
    /// The site header, rendered from `header.html` (with [`FrameContext`]).
    pub header: &'a str,
    /// The site footer, rendered from `footer.html` (with [`FrameContext`]).
    pub footer: &'a str,
}

/// The page at the same path in one language of the site.
#[derive(Debug, Serialize)]
pub struct Alternate<'a> {
    /// The language (`zh-CN`, `en`), as `hreflang` names it.
    pub lang: &'a str,
    /// The language's name in itself (`中文`, `English`), for the language switch.
    pub label: &'a str,
    /// The page's absolute URL in that language.
    pub href: String,
    /// The way to it from this page.
    pub link: String,
    /// True for this page's own language.
    pub current: bool,
}

/// What the site header (`header.html`) and footer (`footer.html`) see. It is the same on all
/// the pages of one folder of the site (all enclave pages, say), so each is rendered once per
/// distinct context and placed on every page that has it.
#[derive(Debug, Serialize)]
pub struct FrameContext<'a> {
    /// The site's settings and totals.
    pub site: &'a SiteView<'a>,
    /// The interface language.
    pub lang: &'a str,
    /// The way up to the root of the page's language.
    pub root: &'a str,
    /// The way up to the site root (see [`Location::site_root`]).
    pub site_root: &'a str,
    /// The page's path on the home page, on a section's first page (`enclaves/`), on a free
    /// page and on the 404 page; empty on the others.
    pub here: &'a str,
    /// The first folder of the page's path (`enclaves/`); empty on the home and 404 pages.
    pub section: &'a str,
    /// Asset file names by the key templates use.
    pub assets: &'a BTreeMap<String, String>,
}

/// Links between the pages of a long list.
#[derive(Debug, Serialize)]
pub struct Pager {
    /// This page, from 1.
    pub current: usize,
    /// How many pages there are.
    pub total: usize,
    /// The page before, from the site root.
    pub prev: Option<String>,
    /// The page after.
    pub next: Option<String>,
    /// The first and last pages and those near this one, in order.
    pub links: Vec<PageLink>,
}

/// A numbered link in a [`Pager`].
#[derive(Debug, Serialize)]
pub struct PageLink {
    /// The page's number.
    pub number: usize,
    /// Its path from the site root.
    pub url: String,
    /// True for the page showing.
    pub current: bool,
    /// True when pages were left out before this one.
    pub gap: bool,
}

impl Pager {
    /// The pager of page `current` of `total` for the list starting at `base`.
    pub fn new(base: &str, current: usize, total: usize) -> Pager {
        let url = |n: usize| crate::urls::paged(base, n);
        let near = |n: usize| n == 1 || n == total || n.abs_diff(current) <= 2;
        let mut links = Vec::new();
        let mut last = 0;
        for n in (1..=total).filter(|&n| near(n)) {
            links.push(PageLink { number: n, url: url(n), current: n == current, gap: n > last + 1 });
            last = n;
        }
        Pager {
            current,
            total,
            prev: (current > 1).then(|| url(current - 1)),
            next: (current < total).then(|| url(current + 1)),
            links,
        }
    }
}

/// A reported count with its place.
#[derive(Debug, Serialize)]
pub struct ReportedRow<'a> {
    /// The place the figure is about.
    pub place: Ref,
    /// The figure.
    pub reported: &'a Reported,
}

/// The home page.
#[derive(Debug, Serialize)]
pub struct HomeView<'a> {
    /// Host cities by count.
    pub top_hosts: Vec<Count>,
    /// Hosts known only as a region or placeholder, not as a city, by count.
    pub other_hosts: Vec<Count>,
    /// The host cities the introduction names: the busiest ones, from the data.
    pub lede_hosts: String,
    /// Home cities by count.
    pub top_homes: Vec<Count>,
    /// Host regions by count.
    pub regions: Vec<Count>,
    /// Operating models.
    pub models: ModelShares,
    /// Sectors by count.
    pub sectors: Vec<Count>,
    /// Every reported count.
    pub reported: Vec<ReportedRow<'a>>,
    /// A sample of entries.
    pub latest: Vec<TableRow>,
}

/// Counts for the no-JavaScript filter strip.
#[derive(Debug, Serialize)]
pub struct Facets {
    /// Host cities.
    pub host: Vec<Count>,
    /// Home cities.
    pub home: Vec<Count>,
    /// Sectors.
    pub sector: Vec<Count>,
    /// Models.
    pub model: Vec<Count>,
}

/// The enclave list.
#[derive(Debug, Serialize)]
pub struct EnclaveListView {
    /// The enclaves on this page.
    pub rows: Vec<TableRow>,
    /// Enclaves in all.
    pub count: usize,
    /// Facet counts over the whole directory (first page only).
    pub facets: Option<Facets>,
}

/// An operator of an enclave, with its kind.
#[derive(Debug, Serialize)]
pub struct EnclaveOperator<'a> {
    /// The operator.
    pub operator: &'a Ref,
    /// Its role, in the page's language where the file gives it.
    pub role: Option<&'a str>,
    /// `zh-CN` when the role is the Chinese one on a page in another language.
    pub role_lang: Option<&'static str>,
    /// Its kind.
    pub kind: Option<Ref>,
}

/// An enclave's page.
#[derive(Debug, Serialize)]
pub struct EnclaveView<'a> {
    /// Its kind in the page's language, where given.
    pub kind: Option<crate::model::Localized<'a>>,
    /// The enclave (its name, kind and status head the page).
    pub enclave: &'a Enclave,
    /// The description as HTML.
    pub body_html: String,
    /// `zh-CN` when the description is the Chinese one on a page in another language.
    pub body_lang: Option<&'static str>,
    /// The description's first words, for the meta description.
    pub summary: String,
    /// schema.org JSON-LD about the enclave, safe to place in a `<script>` element as it is.
    pub json_ld: String,
    /// The home place and those enclosing it.
    pub home_chain: Vec<Link>,
    /// The host place and those enclosing it.
    pub host_chain: Vec<Link>,
    /// The fact sheet, in field-table order.
    pub facts: Vec<Fact<'a>>,
    /// Reported results that are given.
    pub outcomes: Vec<Fact<'a>>,
    /// Companies and partners named.
    pub network: Vec<Fact<'a>>,
    /// The operators table.
    pub operators: Vec<EnclaveOperator<'a>>,
    /// Other enclaves from the same home city (at most a dozen).
    pub same_home: Vec<TableRow>,
    /// Other enclaves in the same host city.
    pub same_host: Vec<TableRow>,
    /// How many other enclaves share the home city.
    pub same_home_total: usize,
    /// How many other enclaves share the host city.
    pub same_host_total: usize,
}

/// An enclave's row of an enclave table, rendered from the theme's `enclave_row.html` (with
/// the context [`RowContext`] describes), or its item in a short list of related enclaves,
/// rendered from `enclave_item.html` (with [`ItemContext`]): tables and lists only place them.
#[derive(Debug, Serialize)]
pub struct TableRow {
    /// Slug.
    pub slug: String,
    /// The whole `<tr>` (or `<li>`) element.
    pub html: String,
}

/// What `enclave_item.html` sees.
#[derive(Debug, Serialize)]
pub struct ItemContext<'a> {
    /// The enclave, as a short list shows it.
    pub r: &'a MiniRow,
    /// The way up to the site root.
    pub root: &'a str,
    /// The interface language.
    pub lang: &'a str,
}

/// What `enclave_row.html` sees.
#[derive(Debug, Serialize)]
pub struct RowContext<'a> {
    /// The enclave, as a table shows it.
    pub r: &'a Row,
    /// The way up to the site root.
    pub root: &'a str,
    /// The interface language.
    pub lang: &'a str,
    /// Whether the table has the operator-role column (`r.role`).
    pub role: bool,
}

/// A related enclave in a short list: only what the list shows (every enclave page has two
/// such lists, so they are kept lean).
#[derive(Debug, Serialize)]
pub struct MiniRow {
    /// Slug.
    pub slug: String,
    /// Name in the interface language.
    pub label: String,
    /// `zh-CN` when the name is the Chinese one on a page in another language.
    pub label_lang: Option<&'static str>,
    /// Status.
    pub status: crate::model::Status,
    /// The status when it is not simply operating.
    pub status_label: Option<String>,
    /// The home place's name.
    pub home: String,
    /// The host place's name.
    pub host: String,
}

/// An operator on the operator list.
#[derive(Debug, Serialize)]
pub struct OperatorItem<'a> {
    /// Slug.
    pub slug: &'a str,
    /// Name.
    pub name: &'a str,
    /// English name.
    pub name_en: Option<&'a str>,
    /// Headquarters.
    pub hq: Option<&'a Ref>,
    /// How many enclaves it takes part in.
    pub count: usize,
    /// The description's first words.
    pub summary: String,
    /// `zh-CN` when the summary is the Chinese one on a page in another language.
    pub summary_lang: Option<&'static str>,
}

/// Operators of one kind.
#[derive(Debug, Serialize)]
pub struct OperatorGroup<'a> {
    /// The kind.
    pub kind: &'a Term,
    /// Its operators.
    pub operators: Vec<OperatorItem<'a>>,
}

/// The operator list.
#[derive(Debug, Serialize)]
pub struct OperatorListView<'a> {
    /// The operators on this page, by kind.
    pub groups: Vec<OperatorGroup<'a>>,
    /// Operators in all.
    pub count: usize,
}

/// An operator's page.
#[derive(Debug, Serialize)]
pub struct OperatorView<'a> {
    /// The operator.
    pub operator: &'a Operator,
    /// The description as HTML.
    pub body_html: String,
    /// `zh-CN` when the description is the Chinese one on a page in another language.
    pub body_lang: Option<&'static str>,
    /// The description's first words.
    pub summary: String,
    /// schema.org JSON-LD about the operator (first page only), safe to place in a `<script>`
    /// element as it is.
    pub json_ld: Option<String>,
    /// Its enclaves on this page, with its role in each.
    pub rows: Vec<TableRow>,
    /// Its enclaves in all.
    pub count: usize,
}

/// A place on the place list.
#[derive(Debug, Serialize)]
pub struct PlaceItem<'a> {
    /// Id.
    pub id: &'a str,
    /// Name.
    pub name: &'a str,
    /// English name.
    pub name_en: Option<&'a str>,
    /// The enclosing place.
    pub parent: Option<&'a Ref>,
    /// Enclaves it sends.
    pub sends: usize,
    /// Enclaves it hosts.
    pub hosts: usize,
}

/// Places of one level.
#[derive(Debug, Serialize)]
pub struct PlaceGroup<'a> {
    /// The level's name (`city` ...).
    pub level: &'a str,
    /// Its places.
    pub places: Vec<PlaceItem<'a>>,
}

/// The place list.
#[derive(Debug, Serialize)]
pub struct PlaceListView<'a> {
    /// Places by level.
    pub groups: Vec<PlaceGroup<'a>>,
}

/// A place inside another, with its counts.
#[derive(Debug, Serialize)]
pub struct ChildPlace {
    /// The place.
    pub place: Ref,
    /// Enclaves it sends.
    pub sends: usize,
    /// Enclaves it hosts.
    pub hosts: usize,
}

/// An operator based in a place.
#[derive(Debug, Serialize)]
pub struct PlaceOperator<'a> {
    /// Slug.
    pub slug: &'a str,
    /// Name.
    pub name: &'a str,
    /// English name.
    pub name_en: Option<&'a str>,
    /// Kind.
    pub kind: &'a Ref,
}

/// Charts of a place.
#[derive(Debug, Serialize)]
pub struct PlaceCharts {
    /// Generated sentences.
    pub summary: Vec<String>,
    /// The charts that inform.
    pub figures: Vec<Figure>,
    /// Reported against listed counts.
    pub reported: Option<Figure>,
}

/// A place's page.
#[derive(Debug, Serialize)]
pub struct PlaceView<'a> {
    /// The place.
    pub place: &'a Place,
    /// The enclosing places, outermost first.
    pub chain: Vec<&'a Ref>,
    /// Enclaves it sends, on this page.
    pub sent_rows: Vec<TableRow>,
    /// Enclaves it sends, in all.
    pub sent_count: usize,
    /// Enclaves it hosts, on this page.
    pub hosted_rows: Vec<TableRow>,
    /// Enclaves it hosts, in all.
    pub hosted_count: usize,
    /// Counts other places' sources report of enclaves set up in this place or by it (the
    /// other side of their `reported`), with what the directory lists.
    pub reported_here: Vec<ReportedRow<'a>>,
    /// Summaries and charts over all its enclaves (first page only).
    #[serde(flatten)]
    pub summary: Option<PlaceSummary<'a>>,
}

/// What a place's first page shows beside its lists.
#[derive(Debug, Serialize)]
pub struct PlaceSummary<'a> {
    /// Where the enclaves it sends are, by host city.
    pub sent_by_host: Vec<Count>,
    /// Where the enclaves it hosts come from, by home city.
    pub hosted_by_home: Vec<Count>,
    /// Places inside it that have a page.
    pub children: Vec<ChildPlace>,
    /// Operators based there.
    pub operators: Vec<PlaceOperator<'a>>,
    /// Its charts.
    pub charts: PlaceCharts,
}

/// A term with its count.
#[derive(Debug, Serialize)]
pub struct TermItem<'a> {
    /// The term.
    pub term: &'a Term,
    /// How many enclaves use it (a sector: with those of the sectors inside it).
    pub count: usize,
    /// How deep it sits under broader sectors: 0 for a top-level term.
    pub depth: usize,
}

/// The sector or model list.
#[derive(Debug, Serialize)]
pub struct TermListView<'a> {
    /// `sectors` or `models`.
    pub kind: &'a str,
    /// Every term: most used first, each sector followed by the sectors inside it.
    pub terms: Vec<TermItem<'a>>,
    /// Whether any term has a description (else the column is left out).
    pub described: bool,
    /// Enclaves in all.
    pub total: usize,
    /// Enclaves that report none.
    pub not_reported: usize,
}

/// Charts of a term.
#[derive(Debug, Serialize)]
pub struct TermCharts {
    /// Generated sentences.
    pub summary: Vec<String>,
    /// The charts that inform.
    pub figures: Vec<Figure>,
}

/// A sector's or model's page.
#[derive(Debug, Serialize)]
pub struct TermView<'a> {
    /// `sectors` or `models`.
    pub kind: &'a str,
    /// The term.
    pub term: &'a Term,
    /// Its enclaves on this page.
    pub rows: Vec<TableRow>,
    /// Its enclaves in all.
    pub count: usize,
    /// Enclaves in all.
    pub total: usize,
    /// Summaries and charts over all its enclaves (first page only).
    #[serde(flatten)]
    pub summary: Option<TermSummary>,
}

/// What a term's first page shows beside its list.
#[derive(Debug, Serialize)]
pub struct TermSummary {
    /// Its enclaves by host city.
    pub by_host: Vec<Count>,
    /// Its enclaves by home city.
    pub by_home: Vec<Count>,
    /// Its charts.
    pub charts: TermCharts,
}

/// Sectors (rows) by host or home city (columns).
#[derive(Debug, Serialize)]
pub struct SectorTable {
    /// The cities.
    pub cities: Vec<Ref>,
    /// Each sector with its count per city.
    pub rows: Vec<(Ref, Vec<usize>)>,
    /// The largest count.
    pub max: usize,
    /// How many less frequent cities are summed in a last column (0: none).
    pub others: usize,
}

/// A row of the side-by-side comparison.
#[derive(Debug, Serialize)]
pub struct CompareField {
    /// The field's key, which the comparison data names too.
    pub id: &'static str,
    /// Its label in the interface language.
    pub label: String,
}

/// Charts of the compare page.
#[derive(Debug, Serialize)]
pub struct CompareCharts {
    /// Sentences about the whole directory.
    pub overview: Vec<String>,
    /// The flow map.
    pub flows: Option<Figure>,
    /// Sentences about the home × host matrix.
    pub matrix: Vec<String>,
    /// Operating models.
    pub models: Option<Figure>,
    /// Sectors by host city.
    pub sectors_host: Option<Figure>,
    /// Sectors by home city.
    pub sectors_home: Option<Figure>,
    /// Totals per host city.
    pub totals: Option<Figure>,
    /// Reported against listed counts.
    pub reported: Option<Figure>,
}

/// The compare page.
#[derive(Debug, Serialize)]
pub struct CompareView<'a> {
    /// The enclaves to choose from on this page.
    pub rows: Vec<Row>,
    /// Enclaves in all.
    pub count: usize,
    /// The side-by-side rows.
    pub compare_fields: Vec<CompareField>,
    /// Matrices, shares and charts over the whole directory (first page only).
    #[serde(flatten)]
    pub summary: Option<CompareSummary<'a>>,
}

/// What the compare page's first page shows.
#[derive(Debug, Serialize)]
pub struct CompareSummary<'a> {
    /// Home city × host city.
    pub matrix_city: Matrix,
    /// Home province × host province.
    pub matrix_province: Matrix,
    /// Operating models.
    pub models: ModelShares,
    /// Sectors by host city.
    pub sectors_by_host: SectorTable,
    /// Sectors by home city.
    pub sectors_by_home: SectorTable,
    /// Totals per host city.
    pub totals: Vec<Totals>,
    /// Every reported count.
    pub reported: Vec<ReportedRow<'a>>,
    /// Charts and sentences.
    pub charts: CompareCharts,
}

/// A free page.
#[derive(Debug, Serialize)]
pub struct PageView<'a> {
    /// The page.
    pub page: &'a Page,
    /// Its body as HTML.
    pub body_html: String,
    /// `zh-CN` when the description is the Chinese one on a page in another language.
    pub body_lang: Option<&'static str>,
}

/// The 404 page: nothing beyond the frame.
#[derive(Debug, Serialize)]
pub struct NotFoundView {}

/// Any page's own view.
#[derive(Debug, Serialize)]
#[serde(untagged)]
pub enum View<'a> {
    /// The home page.
    Home(HomeView<'a>),
    /// The enclave list.
    EnclaveList(EnclaveListView),
    /// An enclave.
    Enclave(Box<EnclaveView<'a>>),
    /// The operator list.
    OperatorList(OperatorListView<'a>),
    /// An operator.
    Operator(OperatorView<'a>),
    /// The place list.
    PlaceList(PlaceListView<'a>),
    /// A place.
    Place(Box<PlaceView<'a>>),
    /// The sector or model list.
    TermList(TermListView<'a>),
    /// A sector or model.
    Term(TermView<'a>),
    /// The compare page.
    Compare(Box<CompareView<'a>>),
    /// A free page.
    Page(PageView<'a>),
    /// The 404 page.
    NotFound(NotFoundView),
}
