//! Comparisons computed from the site for pages: city and province roll-ups, matrices, shares.
//!
//! These are pure functions of the [`Site`], shared by the home, place, term and compare pages.

use std::collections::BTreeMap;

use serde::Serialize;

use super::facts::Link;
use crate::i18n::Texts;
use crate::model::{Enclave, Num, Ref, Site, localize};
use crate::urls;

/// One enclave as a table row shows it: plain texts and links in the interface language, so
/// that a table is laid out without a template lookup per cell (rows are the bulk of every list
/// page).
#[derive(Debug, Clone, Serialize)]
pub struct Row {
    /// Slug.
    pub slug: String,
    /// Floor area, formatted (`2,200`); `Some("0")` for a reported zero.
    pub area: Option<String>,
    /// Opening date.
    pub opened: Option<String>,
    /// Kind text.
    pub kind: Option<String>,
    /// `zh-CN` when the kind is the Chinese one on a page in another language.
    pub kind_lang: Option<&'static str>,
    /// Status.
    pub status: crate::model::Status,
    /// Role of the operator whose page lists this row.
    pub role: Option<String>,
    /// `zh-CN` when the role is the Chinese one on a page in another language.
    pub role_lang: Option<&'static str>,
    /// The names and links a table shows.
    pub shown: Shown,
}

/// A row's names and links.
#[derive(Debug, Clone, Serialize)]
pub struct Shown {
    /// The enclave's name.
    pub label: String,
    /// `zh-CN` when the name is the Chinese one on a page in another language.
    pub label_lang: Option<&'static str>,
    /// Its status when it is not simply operating.
    pub status_label: Option<String>,
    /// The home place.
    pub home: Link,
    /// The home's city, when the home is inside one.
    pub home_city: Option<Link>,
    /// The host place.
    pub host: Link,
    /// The host's city, when the host is inside one.
    pub host_city: Option<Link>,
    /// Sectors; `None`: not reported.
    pub sectors: Option<Vec<Link>>,
    /// Model; `None`: not reported.
    pub model: Option<Link>,
    /// Operators.
    pub operators: Vec<Link>,
}

/// The table row for an enclave on a site in `tx`'s language.
pub fn row(site: &Site, e: &Enclave, tx: &Texts) -> Row {
    let lang = tx.lang.as_str();
    // Table cells take the short English name where the vocabulary gives one.
    let english = lang == "en";
    let place = |r: &Ref| {
        let p = site.place(&r.id);
        let mut link = Link::to(r, p.filter(|p| p.has_page).map(|p| urls::place(&p.id)), lang);
        if english && let Some(short) = p.and_then(|p| p.short_en.as_ref()) {
            link.name = short.clone();
        }
        link
    };
    let term = |r: &Ref, url: String, list: &[crate::model::Term]| {
        let mut link = Link::to(r, Some(url), lang);
        if english && let Some(short) = list.iter().find(|t| t.id == r.id).and_then(|t| t.short_en.as_ref()) {
            link.name = short.clone();
        }
        link
    };
    let label = localize(&e.name, e.name_en.as_deref(), lang);
    let kind = e.kind.as_deref().map(|k| localize(k, e.kind_en.as_deref(), lang));
    let shown = Shown {
        label: label.text.to_string(),
        label_lang: label.lang,
        status_label: (e.status != crate::model::Status::Active).then(|| crate::format::status(e.status, tx)),
        home: place(&e.home),
        home_city: (e.home.id != e.home_city.id).then(|| place(&e.home_city)),
        host: place(&e.host),
        host_city: (e.host.id != e.host_city.id).then(|| place(&e.host_city)),
        sectors: e.sectors.as_ref().map(|l| l.iter().map(|s| term(s, urls::sector(&s.id), &site.sectors)).collect()),
        model: e.model.as_ref().map(|m| term(m, urls::model(&m.id), &site.models)),
        operators: e.operators.iter().map(|o| term(&o.operator, urls::operator(&o.operator.id), &[])).collect(),
    };
    Row {
        slug: e.slug.clone(),
        area: e.area_m2.map(|n| crate::format::group_digits(n.0)),
        opened: e.opened.clone(),
        kind: kind.as_ref().map(|k| k.text.to_string()),
        kind_lang: kind.and_then(|k| k.lang),
        status: e.status,
        role: None,
        role_lang: None,
        shown,
    }
}

/// A place's name as a table cell or a short list shows it: on an English page its short
/// English name (`short_en`) where the vocabulary gives one.
pub fn short_place_name(site: &Site, r: &Ref, lang: &str) -> String {
    match site.place(&r.id).and_then(|p| p.short_en.as_ref()) {
        Some(short) if lang == "en" => short.clone(),
        _ => crate::format::name(r, lang),
    }
}

/// A place (or term) with a count, for ranked lists.
#[derive(Debug, Clone, Serialize)]
pub struct Count {
    /// What is counted.
    pub item: Ref,
    /// How many enclaves.
    pub count: usize,
    /// Share of the total, 0..1.
    pub share: f64,
}

/// Counts enclaves by a key, most first, then by name for a stable order.
pub fn count_by(enclaves: &[&Enclave], key: impl Fn(&Enclave) -> Vec<Ref>) -> Vec<Count> {
    let mut map: BTreeMap<String, (Ref, usize)> = BTreeMap::new();
    for e in enclaves {
        for r in key(e) {
            map.entry(r.id.clone()).or_insert((r, 0)).1 += 1;
        }
    }
    let total = enclaves.len().max(1) as f64;
    let mut out: Vec<Count> =
        map.into_values().map(|(item, count)| Count { share: count as f64 / total, item, count }).collect();
    out.sort_by(|a, b| b.count.cmp(&a.count).then_with(|| a.item.id.cmp(&b.item.id)));
    out
}

/// A home × host matrix of enclave counts.
#[derive(Debug, Clone, Serialize)]
pub struct Matrix {
    /// Row heads (home places).
    pub homes: Vec<Ref>,
    /// Column heads (host places).
    pub hosts: Vec<Ref>,
    /// `cells[row][col]`.
    pub cells: Vec<Vec<usize>>,
    /// Per row.
    pub row_totals: Vec<usize>,
    /// Per column.
    pub col_totals: Vec<usize>,
    /// The largest cell, for shading.
    pub max: usize,
    /// Ids of the columns that are no city (a region, or a placeholder for one of several
    /// cities): they come last and are labelled as what they are.
    pub not_cities: Vec<String>,
}

impl Matrix {
    /// Moves the columns for which `is_city` is false to the end, in their order, and names
    /// them in `not_cities`.
    pub fn cities_first(mut self, is_city: impl Fn(&str) -> bool) -> Matrix {
        let mut order: Vec<usize> = (0..self.hosts.len()).filter(|&c| is_city(&self.hosts[c].id)).collect();
        let others: Vec<usize> = (0..self.hosts.len()).filter(|&c| !is_city(&self.hosts[c].id)).collect();
        self.not_cities = others.iter().map(|&c| self.hosts[c].id.clone()).collect();
        order.extend(others);
        self.hosts = order.iter().map(|&c| self.hosts[c].clone()).collect();
        self.col_totals = order.iter().map(|&c| self.col_totals[c]).collect();
        for row in &mut self.cells {
            *row = order.iter().map(|&c| row[c]).collect();
        }
        self
    }
}

/// Builds the home × host matrix at city level (`province == false`) or province level.
pub fn matrix(enclaves: &[&Enclave], province: bool) -> Matrix {
    let pairs: Vec<(Ref, Ref)> = enclaves
        .iter()
        .map(|e| {
            if province {
                (e.home_province.clone(), e.host_province.clone())
            } else {
                (e.home_city.clone(), e.host_city.clone())
            }
        })
        .collect();
    let homes = ordered(pairs.iter().map(|p| p.0.clone()));
    let hosts = ordered(pairs.iter().map(|p| p.1.clone()));
    let mut cells = vec![vec![0; hosts.len()]; homes.len()];
    for (h, t) in &pairs {
        let r = homes.iter().position(|x| x.id == h.id).expect("row exists");
        let c = hosts.iter().position(|x| x.id == t.id).expect("column exists");
        cells[r][c] += 1;
    }
    let row_totals: Vec<usize> = cells.iter().map(|r| r.iter().sum()).collect();
    let col_totals: Vec<usize> = (0..hosts.len()).map(|c| cells.iter().map(|r| r[c]).sum()).collect();
    let max = cells.iter().flatten().copied().max().unwrap_or(0);
    Matrix { homes, hosts, cells, row_totals, col_totals, max, not_cities: Vec::new() }
}

/// Distinct refs, most frequent first, then by id.
fn ordered(refs: impl Iterator<Item = Ref>) -> Vec<Ref> {
    let mut counts: BTreeMap<String, (Ref, usize)> = BTreeMap::new();
    for r in refs {
        counts.entry(r.id.clone()).or_insert((r, 0)).1 += 1;
    }
    let mut v: Vec<(Ref, usize)> = counts.into_values().collect();
    v.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.id.cmp(&b.0.id)));
    v.into_iter().map(|(r, _)| r).collect()
}

/// Totals of the reported figures of enclaves hosted in one city.
#[derive(Debug, Clone, Serialize)]
pub struct Totals {
    /// The host city.
    pub place: Ref,
    /// Enclaves listed.
    pub enclaves: usize,
    /// Sum of floor areas, and how many enclaves report one.
    pub area_m2: f64,
    /// Enclaves with an area.
    pub area_n: usize,
    /// Sum of workstations.
    pub workstations: f64,
    /// Enclaves with workstations.
    pub workstations_n: usize,
    /// Sum of projects.
    pub projects: f64,
    /// Enclaves with projects.
    pub projects_n: usize,
    /// Sum of investment.
    pub investment_cny: f64,
    /// Enclaves with investment.
    pub investment_n: usize,
}

/// Totals per host city, most enclaves first.
pub fn host_totals(enclaves: &[&Enclave]) -> Vec<Totals> {
    let mut map: BTreeMap<String, Totals> = BTreeMap::new();
    for e in enclaves {
        let city = e.host_city.clone();
        let t = map.entry(city.id.clone()).or_insert_with(|| Totals {
            place: city,
            enclaves: 0,
            area_m2: 0.0,
            area_n: 0,
            workstations: 0.0,
            workstations_n: 0,
            projects: 0.0,
            projects_n: 0,
            investment_cny: 0.0,
            investment_n: 0,
        });
        t.enclaves += 1;
        let add = |v: Option<Num>, sum: &mut f64, n: &mut usize| {
            if let Some(v) = v {
                *sum += v.0;
                *n += 1;
            }
        };
        add(e.area_m2, &mut t.area_m2, &mut t.area_n);
        add(e.workstations, &mut t.workstations, &mut t.workstations_n);
        let o = e.outcomes.clone().unwrap_or_default();
        add(o.projects, &mut t.projects, &mut t.projects_n);
        add(o.investment_cny, &mut t.investment_cny, &mut t.investment_n);
    }
    let mut v: Vec<Totals> = map.into_values().collect();
    v.sort_by(|a, b| b.enclaves.cmp(&a.enclaves).then_with(|| a.place.id.cmp(&b.place.id)));
    v
}

/// Enclaves per operating model (with "not reported" as id `""`) for each host city.
#[derive(Debug, Clone, Serialize)]
pub struct ModelShares {
    /// Column heads: the models in use, then not reported.
    pub models: Vec<Ref>,
    /// Per column, the model's position in `models.yaml` (`None` for not reported): what its
    /// colour and pattern follow, so that a model looks the same on every page whichever
    /// models the page's enclaves happen to use.
    pub slots: Vec<Option<usize>>,
    /// Overall counts per model.
    pub overall: Vec<usize>,
    /// Per host city: (city, counts per model).
    pub rows: Vec<(Ref, Vec<usize>)>,
}

/// Model shares overall and per host city.
pub fn model_shares(site: &Site, enclaves: &[&Enclave]) -> ModelShares {
    let mut models: Vec<Ref> = site
        .models
        .iter()
        .filter(|m| enclaves.iter().any(|e| e.model.as_ref().is_some_and(|x| x.id == m.id)))
        .map(|m| m.to_ref())
        .collect();
    models.push(Ref::none());
    let slots = models.iter().map(|m| site.models.iter().position(|x| !m.id.is_empty() && x.id == m.id)).collect();
    let col = |e: &Enclave| {
        models.iter().position(|m| m.id == e.model.as_ref().map_or("", |x| x.id.as_str())).unwrap_or(models.len() - 1)
    };
    let mut overall = vec![0; models.len()];
    let mut rows: Vec<(Ref, Vec<usize>)> = Vec::new();
    for e in enclaves {
        let c = col(e);
        overall[c] += 1;
        let city = e.host_city.clone();
        match rows.iter_mut().find(|(r, _)| r.id == city.id) {
            Some((_, counts)) => counts[c] += 1,
            None => {
                let mut counts = vec![0; models.len()];
                counts[c] = 1;
                rows.push((city, counts));
            }
        }
    }
    rows.sort_by(|a, b| b.1.iter().sum::<usize>().cmp(&a.1.iter().sum::<usize>()).then_with(|| a.0.id.cmp(&b.0.id)));
    ModelShares { models, slots, overall, rows }
}

/// Enclaves between one home city and one host city.
#[derive(Debug, Clone, Serialize)]
pub struct Pair {
    /// Home city.
    pub home: Ref,
    /// Host city.
    pub host: Ref,
    /// How many enclaves.
    pub count: usize,
}

/// Enclaves aggregated by (home city, host city), most first, then by ids: what the flow map
/// draws, one arc per pair however many enclaves there are.
pub fn city_pairs(enclaves: &[&Enclave]) -> Vec<Pair> {
    let mut map: BTreeMap<(&str, &str), Pair> = BTreeMap::new();
    for e in enclaves {
        map.entry((e.home_city.id.as_str(), e.host_city.id.as_str()))
            .or_insert_with(|| Pair { home: e.home_city.clone(), host: e.host_city.clone(), count: 0 })
            .count += 1;
    }
    let mut v: Vec<Pair> = map.into_values().collect();
    v.sort_by(|a, b| {
        b.count.cmp(&a.count).then_with(|| a.home.id.cmp(&b.home.id)).then_with(|| a.host.id.cmp(&b.host.id))
    });
    v
}

/// A place's coordinates, or its nearest ancestor's when it has none: (lat, lon).
pub fn coords(site: &Site, id: &str) -> Option<(f64, f64)> {
    let p = site.place(id)?;
    if let (Some(lat), Some(lon)) = (p.lat, p.lon) {
        return Some((lat, lon));
    }
    p.ancestors.iter().filter_map(|a| site.place(&a.id)).find_map(|a| Some((a.lat?, a.lon?)))
}

/// How many of `enclaves` were set up in a different province from their host's.
pub fn cross_province(enclaves: &[&Enclave]) -> usize {
    enclaves.iter().filter(|e| e.home_province.id != e.host_province.id).count()
}
