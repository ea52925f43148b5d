//! The resolved site: plain, immutable data handed to the renderers.
//!
//! Every reference in here is already checked and resolved, every roll-up already counted, so
//! renderers only read. Lists are in a fixed order (entries by slug, terms in file order) so that
//! output is deterministic.

use std::collections::BTreeMap;

use serde::Serialize;

/// A resolved reference to a term, place or entry: what templates and open data show. Its
/// fields are read through [`RefData`]. Every reference to one target shares one allocation: a
/// directory of 100,000 enclaves holds about a million references to a few hundred places and
/// terms, and a copy each would be a quarter of the resolved site's memory.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Ref(std::sync::Arc<RefData>);

/// What a [`Ref`] names.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct RefData {
    /// The target's id (or slug).
    pub id: String,
    /// The target's Chinese name.
    pub name: String,
    /// The target's English name, if any.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub name_en: Option<String>,
}

impl Ref {
    /// A reference of its own (not shared with others to the same target until cloned).
    pub fn new(id: impl Into<String>, name: impl Into<String>, name_en: Option<String>) -> Ref {
        Ref(std::sync::Arc::new(RefData { id: id.into(), name: name.into(), name_en }))
    }

    /// The reference for "none" (an empty id and name), where a list needs a slot for it.
    pub fn none() -> Ref {
        Ref::new(String::new(), String::new(), None)
    }

    /// Whether `self` and `other` are one allocation rather than two equal copies.
    pub fn shares_with(&self, other: &Ref) -> bool {
        std::sync::Arc::ptr_eq(&self.0, &other.0)
    }
}

impl std::ops::Deref for Ref {
    type Target = RefData;
    fn deref(&self) -> &RefData {
        &self.0
    }
}

/// Changing a shared reference changes a copy of it only.
impl std::ops::DerefMut for Ref {
    fn deref_mut(&mut self) -> &mut RefData {
        std::sync::Arc::make_mut(&mut self.0)
    }
}

impl Serialize for Ref {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        self.0.serialize(s)
    }
}

/// A number from the content, kept as an integer when it is one so that output shows `17000`
/// rather than `17000.0`.
#[derive(Debug, Clone, Copy, PartialEq, PartialOrd)]
pub struct Num(pub f64);

impl Serialize for Num {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        if self.0.fract() == 0.0 && self.0.abs() < 9.0e15 {
            s.serialize_i64(self.0 as i64)
        } else {
            s.serialize_f64(self.0)
        }
    }
}

/// Site settings from `site.yaml`.
#[derive(Debug, Clone, Serialize)]
pub struct SiteConfig {
    /// Site title (Chinese).
    pub title: String,
    /// English title.
    pub title_en: Option<String>,
    /// One-sentence description, used in meta tags and feeds.
    pub description: Option<String>,
    /// The description in English.
    pub description_en: Option<String>,
    /// Absolute base URL, always ending in `/`.
    pub base_url: String,
    /// The path part of `base_url`, always starting and ending in `/` (`/` or `/feidi/`).
    pub base_path: String,
    /// The first interface language, built at the site root (`zh-CN` or `en`).
    pub language: String,
    /// Every language the site is built in, the first at the root and each other one under
    /// `/<lang>/`; at least one, the first being [`SiteConfig::language`].
    pub languages: Vec<String>,
    /// Free map passed to templates.
    pub extra: serde_json::Value,
    /// Rows per page of every list that grows with the directory (the enclave list, operator,
    /// place and term pages, the comparison's picker).
    pub page_size: usize,
    /// The licence of the directory's text and data, shown in the footer and written into the
    /// data package.
    pub license: Option<License>,
}

/// A licence, as `site.yaml` names it.
#[derive(Debug, Clone, Serialize)]
pub struct License {
    /// Its name or SPDX identifier (`CC-BY-4.0`).
    pub name: String,
    /// Where its text is.
    pub url: Option<String>,
}

/// Rows per list page when `site.yaml` does not say.
pub const DEFAULT_PAGE_SIZE: usize = 100;

/// A place's level in the administrative hierarchy.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Level {
    /// A multi-province region such as the Yangtze River Delta.
    Region,
    /// A province or autonomous region.
    Province,
    /// A prefecture-level or province-level city.
    City,
    /// A county or county-level city.
    County,
    /// A city district.
    District,
    /// A development zone, park or business district.
    Zone,
}

impl Level {
    /// All levels, in the order used by the content format.
    pub const ALL: [(&'static str, Level); 6] = [
        ("region", Level::Region),
        ("province", Level::Province),
        ("city", Level::City),
        ("county", Level::County),
        ("district", Level::District),
        ("zone", Level::Zone),
    ];

    /// The level's name as written in content.
    pub fn as_str(self) -> &'static str {
        Level::ALL.iter().find(|(_, l)| *l == self).map(|(s, _)| *s).unwrap_or("zone")
    }
}

/// Which way a reported count goes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Direction {
    /// Enclaves this place set up elsewhere.
    Out,
    /// Enclaves others set up here.
    In,
}

/// How exact a reported count is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Qualifier {
    /// The count as given.
    Exactly,
    /// More than the count.
    MoreThan,
    /// Roughly the count.
    About,
}

/// A count a source reports, next to what the directory lists.
#[derive(Debug, Clone, Serialize)]
pub struct Reported {
    /// Out (sent) or in (hosted).
    pub direction: Direction,
    /// The other side, if the source names one.
    pub r#where: Option<Ref>,
    /// The reported number.
    pub count: u64,
    /// Exactly, more than or about.
    pub qualifier: Qualifier,
    /// Where the figure comes from.
    pub source: Option<String>,
    /// Slugs of the enclaves the directory lists for the same direction and counterpart.
    pub listed_slugs: Vec<String>,
}

impl Reported {
    /// How many enclaves the directory lists for the same direction and counterpart.
    pub fn listed(&self) -> usize {
        self.listed_slugs.len()
    }
}

/// A place: region, province, city, county, district or zone.
#[derive(Debug, Clone, Serialize)]
pub struct Place {
    /// Id (slug).
    pub id: String,
    /// Chinese name.
    pub name: String,
    /// English name.
    pub name_en: Option<String>,
    /// Other names that references may use.
    pub aliases: Vec<String>,
    /// Free text.
    pub description: Option<String>,
    /// Free text in English.
    pub description_en: Option<String>,
    /// A short English name, for table cells (the full one is on its own page).
    pub short_en: Option<String>,
    /// Administrative level.
    pub level: Level,
    /// The enclosing place.
    pub parent: Option<Ref>,
    /// Enclosing places from the nearest up (parent, grandparent, ...).
    pub ancestors: Vec<Ref>,
    /// Regions this place belongs to, its own and those of its ancestors.
    pub regions: Vec<Ref>,
    /// Places whose parent is this one.
    pub children: Vec<Ref>,
    /// Latitude in decimal degrees.
    pub lat: Option<f64>,
    /// Longitude in decimal degrees.
    pub lon: Option<f64>,
    /// Reported counts with what the directory lists against them.
    pub reported: Vec<Reported>,
    /// Slugs of enclaves set up by this place or any place inside it, sorted, each once.
    pub sends: Vec<String>,
    /// Slugs of enclaves hosted in this place or any place inside it, sorted, each once.
    pub hosts: Vec<String>,
    /// Slugs of operators headquartered here or inside.
    pub operators: Vec<String>,
    /// Whether the place gets a page of its own.
    pub has_page: bool,
}

impl Place {
    /// A reference to this place (its own allocation: enclaves share theirs from resolve).
    pub fn to_ref(&self) -> Ref {
        Ref::new(self.id.clone(), self.name.clone(), self.name_en.clone())
    }
}

/// A vocabulary term: sector, operating model or operator kind.
#[derive(Debug, Clone, Serialize)]
pub struct Term {
    /// Id (slug).
    pub id: String,
    /// Chinese name.
    pub name: String,
    /// English name.
    pub name_en: Option<String>,
    /// Other names.
    pub aliases: Vec<String>,
    /// Free text.
    pub description: Option<String>,
    /// Free text in English.
    pub description_en: Option<String>,
    /// A short English name, for table cells (the full one is on its own page).
    pub short_en: Option<String>,
    /// Slugs of the enclaves (sectors, models) or operators (operator kinds) using the term,
    /// sorted, each once; a sector's include those of every sector inside it.
    pub used_by: Vec<String>,
    /// The broader sector this one belongs to (sectors only).
    pub parent: Option<Ref>,
    /// The sectors whose parent this one is, in file order.
    pub children: Vec<Ref>,
}

impl Term {
    /// A reference to this term.
    pub fn to_ref(&self) -> Ref {
        Ref::new(self.id.clone(), self.name.clone(), self.name_en.clone())
    }
}

/// Whether an enclave operates.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Status {
    /// Operating (the default).
    Active,
    /// Announced, not yet open.
    Planned,
    /// No longer operating.
    Closed,
}

/// A source citation.
#[derive(Debug, Clone, Serialize)]
pub struct Source {
    /// Title of the article or document, as published.
    pub title: String,
    /// Who published it (a newspaper, an agency, a government office); left out of the open
    /// data when not given, so that files written before it existed read the same.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub publisher: Option<String>,
    /// The title in English (a translation; the page still cites the original).
    pub title_en: Option<String>,
    /// Where to read it.
    pub url: Option<String>,
    /// When it was published (`YYYY`, `YYYY-MM` or `YYYY-MM-DD`).
    pub date: Option<String>,
}

/// An operator's part in an enclave.
#[derive(Debug, Clone, Serialize)]
pub struct OperatorRole {
    /// The operator.
    pub operator: Ref,
    /// What it does there, as the editor wrote it.
    pub role: Option<String>,
    /// The role in English.
    pub role_en: Option<String>,
}

/// Reported results of an enclave.
#[derive(Debug, Clone, Default, Serialize)]
pub struct Outcomes {
    /// Projects brought in.
    pub projects: Option<Num>,
    /// Investment in yuan.
    pub investment_cny: Option<Num>,
    /// Companies brought home.
    pub companies: Option<Num>,
    /// Share of incubated companies that landed at home, 0..1.
    pub landing_rate: Option<Num>,
}

/// One enclave (科创飞地).
#[derive(Debug, Clone, Serialize)]
pub struct Enclave {
    /// File stem: id and URL.
    pub slug: String,
    /// Chinese name.
    pub name: String,
    /// English name.
    pub name_en: Option<String>,
    /// The place that set it up (飞出地).
    pub home: Ref,
    /// The body that set it up.
    pub sponsor: Option<String>,
    /// The sponsor in English.
    pub sponsor_en: Option<String>,
    /// Where it sits (飞入地).
    pub host: Ref,
    /// Street address.
    pub address: Option<String>,
    /// The address in English.
    pub address_en: Option<String>,
    /// Kind of facility, as written (离岸孵化器 ...).
    pub kind: Option<String>,
    /// The kind in English.
    pub kind_en: Option<String>,
    /// Operating model; `None` means not reported.
    pub model: Option<Ref>,
    /// Operators and partners with their roles.
    pub operators: Vec<OperatorRole>,
    /// Sectors; `None` means not reported.
    pub sectors: Option<Vec<Ref>>,
    /// Floor area in m².
    pub area_m2: Option<Num>,
    /// Land area in mu.
    pub land_mu: Option<Num>,
    /// Workstations.
    pub workstations: Option<Num>,
    /// Separate offices.
    pub offices: Option<Num>,
    /// Opening date.
    pub opened: Option<String>,
    /// Operating status.
    pub status: Status,
    /// Reported results.
    pub outcomes: Option<Outcomes>,
    /// Companies named as brought in.
    pub notable_companies: Vec<String>,
    /// Their names in English, one for each (empty when not given).
    pub notable_companies_en: Vec<String>,
    /// Partner organisations named as text.
    pub partners: Vec<String>,
    /// Their names in English, one for each (empty when not given).
    pub partners_en: Vec<String>,
    /// Sources, at least one.
    pub sources: Vec<Source>,
    /// Last editorial update.
    pub updated: Option<String>,
    /// Free map for templates.
    pub extra: serde_json::Value,
    /// The Markdown description (the part before `## English`).
    pub body: String,
    /// The English description: what follows a `## English` line of the body.
    pub body_en: Option<String>,
    /// The content file, relative to the site root.
    pub source_path: String,
    /// Places the home rolls up to (itself, its ancestors and regions), ids.
    pub home_rollup: std::sync::Arc<[String]>,
    /// The home's city (itself or its nearest city ancestor; a province or region when there
    /// is none), for city-level comparisons.
    pub home_city: Ref,
    /// The home's province (a municipality is its own province).
    pub home_province: Ref,
    /// The host's city.
    pub host_city: Ref,
    /// The host's province.
    pub host_province: Ref,
    /// Places the host rolls up to, ids.
    pub host_rollup: std::sync::Arc<[String]>,
}

impl Enclave {
    /// The reference to this enclave as operators, places and comparisons show it.
    pub fn to_ref(&self) -> Ref {
        Ref::new(self.slug.clone(), self.name.clone(), self.name_en.clone())
    }
}

/// An operator or partner organisation.
#[derive(Debug, Clone, Serialize)]
pub struct Operator {
    /// File stem.
    pub slug: String,
    /// Chinese name.
    pub name: String,
    /// English name.
    pub name_en: Option<String>,
    /// Other names.
    pub aliases: Vec<String>,
    /// Operator kind.
    pub kind: Ref,
    /// Headquarters.
    pub hq: Option<Ref>,
    /// Web site.
    pub website: Option<String>,
    /// Sources.
    pub sources: Vec<Source>,
    /// Free map.
    pub extra: serde_json::Value,
    /// Markdown description (the part before `## English`).
    pub body: String,
    /// The English description.
    pub body_en: Option<String>,
    /// Enclaves that name this operator, with its role in each.
    pub enclaves: Vec<EnclaveRole>,
    /// The content file, relative to the site root.
    pub source_path: String,
}

/// An enclave as seen from one of its operators.
#[derive(Debug, Clone, Serialize)]
pub struct EnclaveRole {
    /// The enclave.
    pub enclave: Ref,
    /// The operator's role there.
    pub role: Option<String>,
    /// The role in English.
    pub role_en: Option<String>,
}

/// A free page (about, methodology ...).
#[derive(Debug, Clone, Serialize)]
pub struct Page {
    /// File stem.
    pub slug: String,
    /// Title.
    pub title: String,
    /// English title.
    pub title_en: Option<String>,
    /// Menu order (lower first).
    pub weight: i64,
    /// Markdown body (the part before `## English`).
    pub body: String,
    /// The English body.
    pub body_en: Option<String>,
    /// The content file, relative to the site root.
    pub source_path: String,
}

/// The whole resolved site.
#[derive(Debug, Clone, Serialize)]
pub struct Site {
    /// Settings.
    pub config: SiteConfig,
    /// Places in file order.
    pub places: Vec<Place>,
    /// Sectors in file order.
    pub sectors: Vec<Term>,
    /// Operating models in file order.
    pub models: Vec<Term>,
    /// Operator kinds in file order.
    pub operator_kinds: Vec<Term>,
    /// Enclaves by slug.
    pub enclaves: Vec<Enclave>,
    /// Operators by slug.
    pub operators: Vec<Operator>,
    /// Free pages by weight, then slug.
    pub pages: Vec<Page>,
    /// Index of `places` by id.
    #[serde(skip)]
    pub place_index: BTreeMap<String, usize>,
}

impl Site {
    /// The place with this id.
    pub fn place(&self, id: &str) -> Option<&Place> {
        self.place_index.get(id).map(|&i| &self.places[i])
    }

    /// The enclave with this slug.
    pub fn enclave(&self, slug: &str) -> Option<&Enclave> {
        self.enclaves.binary_search_by(|e| e.slug.as_str().cmp(slug)).ok().map(|i| &self.enclaves[i])
    }

    /// The index in `enclaves` of the enclave with this slug.
    pub fn enclave_index(&self, slug: &str) -> Option<usize> {
        self.enclaves.binary_search_by(|e| e.slug.as_str().cmp(slug)).ok()
    }

    /// The operator with this slug.
    pub fn operator(&self, slug: &str) -> Option<&Operator> {
        self.operators.binary_search_by(|o| o.slug.as_str().cmp(slug)).ok().map(|i| &self.operators[i])
    }

    /// The sectors `e` names and the broader sectors they belong to, each once, in that order:
    /// what a sector group counts.
    pub fn sectors_rolled_up(&self, e: &Enclave) -> Vec<Ref> {
        let mut out: Vec<Ref> = Vec::new();
        for s in e.sectors.iter().flatten() {
            let mut cur = Some(s.clone());
            while let Some(r) = cur {
                if out.iter().any(|x| x.id == r.id) {
                    break;
                }
                cur = self.sectors.iter().find(|t| t.id == r.id).and_then(|t| t.parent.clone());
                out.push(r);
            }
        }
        out
    }

    /// Whether the place with this id is a city (a place of level `city`): a region, a
    /// province or a placeholder such as "one of TusStar's bases" is not, and is never counted
    /// as one.
    pub fn is_city(&self, id: &str) -> bool {
        self.place(id).is_some_and(|p| p.level == Level::City)
    }

    /// Places by id, for lookups in loops.
    pub fn places_by_id(&self) -> BTreeMap<&str, &Place> {
        self.places.iter().map(|p| (p.id.as_str(), p)).collect()
    }
}

/// The line of a Markdown body that starts its English part.
pub const ENGLISH_MARK: &str = "## English";

/// A body split at its first line reading [`ENGLISH_MARK`]: the Chinese part before it and the
/// English part after it (`None` when there is no such line, or nothing follows it).
pub fn split_body(body: &str) -> (String, Option<String>) {
    let mut offset = 0;
    for line in body.split_inclusive('\n') {
        if line.trim_end() == ENGLISH_MARK {
            let en = body[offset + line.len()..].trim();
            return (body[..offset].trim_end().to_string() + "\n", (!en.is_empty()).then(|| en.to_string() + "\n"));
        }
        offset += line.len();
    }
    (body.to_string(), None)
}

/// A text in the language of a page: the English form on a page in English when there is one,
/// else the Chinese text, marked as such (`lang`) on a page that is not Chinese.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Localized<'a> {
    /// The text.
    pub text: &'a str,
    /// `zh-CN` when the text is Chinese on a page in another language (a fallback), else `None`.
    pub lang: Option<&'static str>,
}

/// The language the content is written in: names, fields without `_en`, bodies.
pub const CONTENT_LANG: &str = "zh-CN";

/// `zh` or its English form `en`, for a page in `lang` (see [`Localized`]).
pub fn localize<'a>(zh: &'a str, en: Option<&'a str>, lang: &str) -> Localized<'a> {
    if lang == CONTENT_LANG || lang.starts_with("zh") {
        return Localized { text: zh, lang: None };
    }
    match en {
        Some(en) => Localized { text: en, lang: None },
        None => Localized { text: zh, lang: Some(CONTENT_LANG) },
    }
}
