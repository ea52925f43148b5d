//! Stage 2: turns loaded documents into the resolved [`Site`].
//!
//! Resolution checks every field, resolves every reference (by id, name, English name or alias),
//! follows place parents for roll-ups, and links entries both ways (an operator knows its
//! enclaves). All problems of all files are collected before giving up.

mod english;
pub mod entries;
pub mod fields;
pub mod links;
pub mod places;
pub mod refs;
pub mod vocab;

use std::collections::{BTreeMap, HashMap, HashSet};

use crate::diagnostics::{Diagnostic, Diagnostics};
use crate::load::{Doc, Seg, Sources};
use crate::model::{Direction, Enclave, EnclaveRole, Operator, OperatorRole, Place, Ref, Reported, Site, Term};
use refs::{RefTable, Target};

/// Options that change how content resolves.
#[derive(Debug, Clone, Default)]
pub struct Options {
    /// Overrides `base_url` from `site.yaml`.
    pub base_url: Option<String>,
    /// The interface languages `language` may name: those of the theme that is loaded. `None`
    /// accepts any (when no theme is at hand).
    pub languages: Option<Vec<String>>,
}

/// Resolves `sources` into a site. Returns `None` when any error was found (all of them are in
/// `diags`); warnings do not stop resolution.
pub fn resolve(sources: &Sources, opts: &Options, diags: &mut Diagnostics) -> Option<Site> {
    resolve_cached(sources, opts, diags, None)
}

/// [`resolve`], reusing the enclaves of an earlier run from `cache` where their files and
/// everything they refer to are unchanged. Give the site back with [`Cache::reclaim`] before
/// the next run so that its enclaves are reused rather than resolved again.
///
/// The steps, in order: the site settings; the vocabularies and operators every reference
/// resolves against ([`TableInputs`] → [`Vocabularies`]); the enclaves (from the cache where
/// their inputs are unchanged); the pages; the links back from operators to their enclaves;
/// places with their roll-ups; terms with their users; and the `@/` links in bodies.
pub fn resolve_cached(
    sources: &Sources,
    opts: &Options,
    diags: &mut Diagnostics,
    mut cache: Option<&mut Cache>,
) -> Option<Site> {
    let start_errors = diags.error_count();
    let config = site_config(sources, opts, diags);
    let inputs = TableInputs::of(sources);
    let vocab = Vocabularies::read(&inputs, diags);
    let (op_table, raw_ops, mut operators) = read_operators(&inputs, &vocab, diags);
    let levels: Vec<Option<crate::model::Level>> = vocab.raw_places.iter().map(|p| p.level).collect();
    // Every enclave at a place shares that place's roll-up.
    let rollups: Vec<std::sync::Arc<[String]>> = (0..vocab.places.targets.len())
        .map(|i| {
            let set = vocab.hierarchy.rollup.get(i).map_or(&[][..], Vec::as_slice);
            set.iter().map(|&p| vocab.places.targets[p].id.clone()).collect()
        })
        .collect();
    let tables = Tables {
        places: &vocab.places,
        rollups: &rollups,
        levels: &levels,
        hierarchy: &vocab.hierarchy,
        sectors: &vocab.sectors,
        models: &vocab.models,
        operators: &op_table,
    };
    if let Some(c) = cache.as_deref_mut() {
        // Keyed by exactly what the tables were built from, so that the two cannot drift.
        c.begin(inputs.key(), sources);
    }
    let enclaves = resolve_enclaves(sources, &tables, cache.as_deref_mut(), diags);
    let pages = read_pages(sources, diags);
    link_operators(&mut operators, &enclaves, &raw_ops, diags);
    for doc in sources.operators.iter().chain(&sources.pages) {
        check_body_placeholder(doc, diags);
    }
    if let Some(doc) = sources.places.as_ref() {
        warn_missing_coordinates(doc, &vocab.raw_places, &enclaves, diags);
    }
    let place_list = build_places(
        &vocab.places,
        &vocab.raw_places,
        &vocab.hierarchy,
        &enclaves,
        &operators,
        sources.places.as_ref(),
        diags,
    );
    let (sectors, models, operator_kinds) = terms(&vocab, &enclaves, &operators);
    let place_index = place_list.iter().enumerate().map(|(i, p)| (p.id.clone(), i)).collect();
    let site =
        Site { config, places: place_list, sectors, models, operator_kinds, enclaves, operators, pages, place_index };
    check_links(sources, &site, diags, cache.as_deref_mut());
    english::warn(
        sources,
        &site,
        [
            (&sources.places, "place", vocab.raw_places.iter().map(|p| &p.item).collect()),
            (&sources.sectors, "sector", vocab.sector_items.iter().collect()),
            (&sources.models, "model", vocab.model_items.iter().collect()),
            (&sources.operator_kinds, "operator kind", vocab.kind_items.iter().collect()),
        ],
        diags,
    );
    if diags.error_count() > start_errors {
        // Keep the enclaves for the run after the fix.
        if let Some(c) = cache {
            c.reclaim(site);
        }
        return None;
    }
    Some(site)
}

/// Step 1: `site.yaml`, with a warning when there is none.
fn site_config(sources: &Sources, opts: &Options, diags: &mut Diagnostics) -> crate::model::SiteConfig {
    let config = entries::read_site(sources.site.as_ref(), opts, diags);
    if sources.site.is_none() && !sources.broken.contains("site") {
        diags.push(
            Diagnostic::warning(
                "content/site.yaml",
                0,
                0,
                format!("no site settings file: building with the default title and base_url `{}`", config.base_url),
            )
            .with_help("create content/site.yaml with `title:` and `base_url:` (the address the site is published at)"),
        );
    }
    config
}

/// Every file the reference tables are built from. [`Vocabularies::read`] and
/// [`read_operators`] read nothing else, and [`TableInputs::key`] hashes all of it: a file
/// added here is in the cache key by construction.
struct TableInputs<'s> {
    places: Option<&'s Doc>,
    sectors: Option<&'s Doc>,
    models: Option<&'s Doc>,
    operator_kinds: Option<&'s Doc>,
    operators: &'s [Doc],
    /// Files that are there but unreadable: references into them are not reported.
    broken: &'s std::collections::BTreeSet<String>,
}

impl<'s> TableInputs<'s> {
    fn of(sources: &'s Sources) -> Self {
        TableInputs {
            places: sources.places.as_ref(),
            sectors: sources.sectors.as_ref(),
            models: sources.models.as_ref(),
            operator_kinds: sources.operator_kinds.as_ref(),
            operators: &sources.operators,
            broken: &sources.broken,
        }
    }

    /// A key for all of it: every document's reading stamp, and which files are broken.
    fn key(&self) -> u64 {
        use std::hash::{Hash, Hasher};
        let TableInputs { places, sectors, models, operator_kinds, operators, broken } = self;
        let mut h = std::collections::hash_map::DefaultHasher::new();
        for doc in [places, sectors, models, operator_kinds] {
            doc.map_or(0, |d| d.stamp).hash(&mut h);
        }
        for d in operators.iter() {
            d.stamp.hash(&mut h);
        }
        broken.hash(&mut h);
        h.finish()
    }
}

/// Step 2: the vocabularies, as reference tables and items.
struct Vocabularies {
    places: RefTable,
    raw_places: Vec<vocab::RawPlace>,
    hierarchy: places::Hierarchy,
    sectors: RefTable,
    sector_items: Vec<vocab::Item>,
    /// Each sector's broader sectors, nearest first (indices into `sector_items`).
    sector_ancestors: Vec<Vec<usize>>,
    models: RefTable,
    model_items: Vec<vocab::Item>,
    kinds: RefTable,
    kind_items: Vec<vocab::Item>,
}

impl Vocabularies {
    fn read(inputs: &TableInputs, diags: &mut Diagnostics) -> Self {
        let (mut places, raw_places) = vocab::read_places(inputs.places, diags);
        let (mut sectors, sector_items) = vocab::read_terms(inputs.sectors, "sector", "sectors.yaml", diags);
        let (mut models, model_items) = vocab::read_terms(inputs.models, "operating model", "models.yaml", diags);
        let (mut kinds, kind_items) =
            vocab::read_terms(inputs.operator_kinds, "operator kind", "operator-kinds.yaml", diags);
        for (table, file) in [
            (&mut places, "places"),
            (&mut sectors, "sectors"),
            (&mut models, "models"),
            (&mut kinds, "operator-kinds"),
        ] {
            table.broken = inputs.broken.contains(file);
        }
        let hierarchy = places::build(inputs.places, &places, &raw_places, diags);
        let sector_ancestors = sector_groups(inputs.sectors, &sectors, &sector_items, diags);
        Vocabularies {
            places,
            raw_places,
            hierarchy,
            sectors,
            sector_items,
            sector_ancestors,
            models,
            model_items,
            kinds,
            kind_items,
        }
    }
}

/// Sectors' `parent`s, resolved and walked up as places' are: each sector's broader sectors,
/// nearest first.
fn sector_groups(
    doc: Option<&Doc>,
    table: &RefTable,
    items: &[vocab::Item],
    diags: &mut Diagnostics,
) -> Vec<Vec<usize>> {
    let Some(doc) = doc else { return vec![Vec::new(); items.len()] };
    let parent: Vec<Option<usize>> = items
        .iter()
        .enumerate()
        .map(|(i, it)| {
            let p = it.parent.as_ref()?;
            let j = table.resolve(doc, &p.path, &p.text, diags)?;
            if j == i {
                diags.push(
                    doc.error_at(&p.path, format!("sector `{}` names itself as its parent", it.target.id))
                        .with_help("remove `parent` or name the broader sector this one belongs to"),
                );
                return None;
            }
            Some(j)
        })
        .collect();
    let ids: Vec<&str> = items.iter().map(|it| it.target.id.as_str()).collect();
    let paths: Vec<Option<&[crate::load::Seg]>> =
        items.iter().map(|it| it.parent.as_ref().map(|l| l.path.as_slice())).collect();
    let cycle = places::Cycle {
        message: "sectors form a `parent` cycle",
        help: "a sector's parent is the broader sector it belongs to; remove or correct one of these `parent` fields",
    };
    places::ancestors(doc, &parent, &ids, &paths, &cycle, diags)
}

/// Step 3: the operators (enclaves refer to them), with the table that finds them by name.
fn read_operators<'s>(
    inputs: &TableInputs<'s>,
    vocab: &Vocabularies,
    diags: &mut Diagnostics,
) -> (RefTable, Vec<entries::RawOperator<'s>>, Vec<Operator>) {
    let raw_ops: Vec<_> = inputs.operators.iter().filter_map(|d| entries::read_operator(d, diags)).collect();
    let mut op_table = RefTable::new("operator", "content/operators/");
    for op in &raw_ops {
        let clashes =
            op_table.add(Target::new(op.doc.slug.clone(), op.name.clone(), op.name_en.clone(), op.aliases.clone()));
        for (key, other) in clashes {
            diags.push(
                op.doc
                    .error_at(
                        &[Seg::Key("name".into())],
                        format!("`{key}` is already the name, id or alias of operator `{other}`"),
                    )
                    .with_help("operator names and aliases must be unique, or references to them would be ambiguous"),
            );
        }
    }
    let operators = raw_ops
        .iter()
        .map(|op| {
            let kind = op
                .kind
                .as_ref()
                .and_then(|k| vocab.kinds.resolve(op.doc, &k.path, &k.text, diags))
                .map(|i| vocab.kinds.targets[i].to_ref());
            let hq = op
                .hq
                .as_ref()
                .and_then(|h| vocab.places.resolve(op.doc, &h.path, &h.text, diags))
                .map(|i| vocab.places.targets[i].to_ref());
            let operator = Operator {
                slug: op.doc.slug.clone(),
                name: op.name.clone(),
                name_en: op.name_en.clone(),
                aliases: op.aliases.clone(),
                kind: kind.unwrap_or_else(Ref::none),
                hq,
                website: op.website.clone(),
                sources: op.sources.clone(),
                extra: op.extra.clone(),
                body: String::new(),
                body_en: None,
                enclaves: Vec::new(),
                source_path: op.doc.path.display().to_string(),
            };
            let (body, body_en) = crate::model::split_body(op.doc.body());
            Operator { body, body_en, ..operator }
        })
        .collect();
    (op_table, raw_ops, operators)
}

/// Step 4: the enclaves, sorted by slug; unchanged ones come from the cache.
fn resolve_enclaves(
    sources: &Sources,
    tables: &Tables,
    mut cache: Option<&mut Cache>,
    diags: &mut Diagnostics,
) -> Vec<Enclave> {
    use rayon::prelude::*;
    let mut enclaves: Vec<Enclave> = Vec::with_capacity(sources.enclaves.len());
    let hits: Vec<_> = sources.enclaves.iter().map(|doc| cache.as_deref_mut().and_then(|c| c.hit(doc))).collect();
    // Each enclave is resolved on its own against the shared tables: on every core, then
    // taken in file order with its messages, so that the result is the same on any number.
    let fresh: Vec<Option<(Option<Enclave>, Diagnostics)>> = sources
        .enclaves
        .par_iter()
        .zip(hits.par_iter())
        .map(|(doc, hit)| {
            hit.is_none().then(|| {
                let mut local = Diagnostics::new();
                (resolve_enclave(doc, tables, &mut local), local)
            })
        })
        .collect();
    for ((doc, hit), fresh) in sources.enclaves.iter().zip(hits).zip(fresh) {
        if let Some((enclave, cached)) = hit {
            diags.0.extend(cached);
            enclaves.extend(enclave);
        } else if let Some((enclave, local)) = fresh {
            if let Some(c) = cache.as_deref_mut() {
                c.store(doc, enclave.is_some(), &local);
            }
            diags.extend(local);
            enclaves.extend(enclave);
        }
    }
    enclaves.sort_by(|a, b| a.slug.cmp(&b.slug));
    enclaves
}

/// Step 5: the free pages, by weight, then slug.
fn read_pages(sources: &Sources, diags: &mut Diagnostics) -> Vec<crate::model::Page> {
    let mut pages: Vec<_> = sources.pages.iter().filter_map(|d| entries::read_page(d, diags)).collect();
    pages.sort_by(|a, b| (a.weight, &a.slug).cmp(&(b.weight, &b.slug)));
    pages
}

/// Step 6: operators learn their enclaves. An operator no enclave names is warned about, unless
/// its file says `not_reported: [enclaves]`; one that says so while an enclave names it is an
/// error.
fn link_operators(
    operators: &mut [Operator],
    enclaves: &[Enclave],
    raw_ops: &[entries::RawOperator],
    diags: &mut Diagnostics,
) {
    let op_index: BTreeMap<String, usize> = operators.iter().enumerate().map(|(i, o)| (o.slug.clone(), i)).collect();
    // The first enclave (by slug) that names each operator, for the message about a wrong
    // acknowledgement.
    let mut first: HashMap<&str, &Enclave> = HashMap::new();
    for e in enclaves {
        for r in &e.operators {
            if let Some(&i) = op_index.get(&r.operator.id) {
                operators[i].enclaves.push(EnclaveRole {
                    enclave: e.to_ref(),
                    role: r.role.clone(),
                    role_en: r.role_en.clone(),
                });
                first.entry(r.operator.id.as_str()).or_insert(e);
            }
        }
    }
    operators.sort_by(|a, b| a.slug.cmp(&b.slug));
    for op in raw_ops {
        let slug = op.doc.slug.as_str();
        match (first.get(slug), op.gaps.get("enclaves")) {
            (None, None) => diags.push(
                op.doc
                    .warning_at(&[Seg::Key("name".into())], format!("operator `{slug}` is named by no enclave"))
                    .with_help(
                        "list it under `operators:` in the enclaves it runs; if no source names one, write `not_reported: [enclaves]`; or delete the file",
                    ),
            ),
            (Some(e), Some(item)) => diags.push(
                op.doc
                    .error_at(
                        &item.path,
                        format!(
                            "`enclaves` is marked not reported, but enclave `{}` ({}) names this operator",
                            e.slug, e.source_path
                        ),
                    )
                    .with_help("remove `enclaves` from `not_reported`: the operator's page lists the enclaves that name it"),
            ),
            _ => {}
        }
    }
}

/// Step 8: sectors, models and operator kinds, each knowing who uses it.
fn terms(vocab: &Vocabularies, enclaves: &[Enclave], operators: &[Operator]) -> (Vec<Term>, Vec<Term>, Vec<Term>) {
    let term = |items: &[vocab::Item], used: &mut dyn FnMut(&str) -> Vec<String>| -> Vec<Term> {
        items
            .iter()
            .map(|it| Term {
                id: it.target.id.clone(),
                name: it.target.name.clone(),
                name_en: it.target.name_en.clone(),
                aliases: it.target.aliases.clone(),
                description: it.description.clone(),
                description_en: it.description_en.clone(),
                short_en: it.short_en.clone(),
                used_by: used(&it.target.id),
                parent: None,
                children: Vec::new(),
            })
            .collect()
    };
    // One pass over the enclaves rather than one per term: this runs on every rebuild.
    let mut sector_users: HashMap<&str, Vec<String>> = HashMap::new();
    let mut model_users: HashMap<&str, Vec<String>> = HashMap::new();
    let sector_index: HashMap<&str, usize> =
        vocab.sector_items.iter().enumerate().map(|(i, it)| (it.target.id.as_str(), i)).collect();
    for e in enclaves {
        // A sector counts its own enclaves and those of every sector inside it, as a place
        // counts those of the places inside it.
        let mut rolled: Vec<&str> = Vec::new();
        for s in e.sectors.iter().flatten() {
            rolled.push(s.id.as_str());
            if let Some(&i) = sector_index.get(s.id.as_str()) {
                rolled.extend(vocab.sector_ancestors[i].iter().map(|&a| vocab.sector_items[a].target.id.as_str()));
            }
        }
        rolled.sort_unstable();
        rolled.dedup();
        for s in rolled {
            sector_users.entry(s).or_default().push(e.slug.clone());
        }
        if let Some(m) = &e.model {
            model_users.entry(m.id.as_str()).or_default().push(e.slug.clone());
        }
    }
    let mut sectors = term(&vocab.sector_items, &mut |id| sector_users.remove(id).unwrap_or_default());
    let sector_ref = |i: usize| vocab.sector_items[i].target.to_ref();
    for (i, ancestors) in vocab.sector_ancestors.iter().enumerate() {
        if let Some(&p) = ancestors.first() {
            sectors[i].parent = Some(sector_ref(p));
            sectors[p].children.push(sector_ref(i));
        }
    }
    let models = term(&vocab.model_items, &mut |id| model_users.remove(id).unwrap_or_default());
    let kinds = term(&vocab.kind_items, &mut |id| {
        operators.iter().filter(|o| o.kind.id == id).map(|o| o.slug.clone()).collect()
    });
    (sectors, models, kinds)
}

/// Step 9: internal links in bodies, now that every page is known.
fn check_links(sources: &Sources, site: &Site, diags: &mut Diagnostics, cache: Option<&mut Cache>) {
    use rayon::prelude::*;
    use std::hash::{Hash, Hasher};
    // Every link has a `]`; a rebuild skips parsing the (many) bodies without one.
    let linking: Vec<&Doc> = sources
        .enclaves
        .iter()
        .chain(&sources.operators)
        .chain(&sources.pages)
        .filter(|d| d.body().contains(']'))
        .collect();
    // With a vocabulary file broken, entries referring into it were left out: links to them
    // would only repeat that file's error.
    if linking.is_empty() || !sources.broken.is_empty() {
        return;
    }
    let pages = crate::urls::all_pages(site);
    // What a body's links are checked against: a file's earlier findings stand while it and
    // this stay the same (a rebuild while serving parses only the bodies that changed).
    let mut h = rustc_hash::FxHasher::default();
    pages.hash(&mut h);
    let targets_key = h.finish();
    let targets: links::Targets = pages.into_iter().collect();
    let earlier = cache.as_ref().map(|c| &c.links);
    let found: Vec<(&Doc, Vec<Diagnostic>, bool)> = linking
        .par_iter()
        .map(|&doc| match earlier.and_then(|m| m.get(&doc.path)) {
            Some((stamp, key, d)) if *stamp == doc.stamp && *key == targets_key => (doc, d.clone(), false),
            _ => {
                let mut d = Diagnostics::new();
                links::check(doc, &targets, &mut d);
                (doc, d.0, true)
            }
        })
        .collect();
    let mut links = cache.map(|c| &mut c.links);
    if let Some(m) = links.as_deref_mut() {
        let live: HashSet<&std::path::Path> = linking.iter().map(|d| d.path.as_path()).collect();
        m.retain(|path, _| live.contains(path.as_path()));
    }
    for (doc, d, fresh) in found {
        if fresh && let Some(m) = links.as_deref_mut() {
            m.insert(doc.path.clone(), (doc.stamp, targets_key, d.clone()));
        }
        diags.0.extend(d);
    }
}

/// What an enclave's references resolve against.
struct Tables<'a> {
    places: &'a RefTable,
    /// Each place's roll-up (itself and every place it lies in), by place index.
    rollups: &'a [std::sync::Arc<[String]>],
    levels: &'a [Option<crate::model::Level>],
    hierarchy: &'a places::Hierarchy,
    sectors: &'a RefTable,
    models: &'a RefTable,
    operators: &'a RefTable,
}

/// One enclave file's fields checked and its references resolved. Everything it reports goes to
/// `diags`; `None` when it cannot become an enclave (errors were reported).
fn resolve_enclave(doc: &Doc, t: &Tables, diags: &mut Diagnostics) -> Option<Enclave> {
    check_body_placeholder(doc, diags);
    let raw = entries::read_enclave(doc, diags)?;
    let place = |l: &fields::Located, diags: &mut Diagnostics| t.places.resolve(doc, &l.path, &l.text, diags);
    let home = place(&raw.home, diags);
    let host = place(&raw.host, diags);
    let model = raw
        .model
        .as_ref()
        .and_then(|m| t.models.resolve(doc, &m.path, &m.text, diags))
        .map(|i| t.models.targets[i].to_ref());
    let sectors = raw.sectors.as_ref().map(|list| {
        let mut out: Vec<Ref> = Vec::new();
        for s in list {
            if let Some(i) = t.sectors.resolve(doc, &s.path, &s.text, diags) {
                let r = t.sectors.targets[i].to_ref();
                if out.contains(&r) {
                    diags.push(
                        doc.error_at(&s.path, format!("sector `{}` is listed twice", s.text))
                            .with_help("remove the repeated line"),
                    );
                } else {
                    out.push(r);
                }
            }
        }
        out
    });
    let ops: Vec<OperatorRole> = raw
        .operators
        .iter()
        .filter_map(|(l, role, role_en)| {
            t.operators.resolve(doc, &l.path, &l.text, diags).map(|i| OperatorRole {
                operator: t.operators.targets[i].to_ref(),
                role: role.clone(),
                role_en: role_en.clone(),
            })
        })
        .collect();
    warn_not_reported(
        doc,
        &[(raw.model.is_none(), "model"), (raw.sectors.is_none(), "sectors"), (raw.opened.is_none(), "opened")],
        &raw.gaps,
        diags,
    );
    let (Some(home), Some(host)) = (home, host) else { return None };
    use crate::model::Level::{City, Province};
    let up =
        |p: usize, wanted: &[crate::model::Level]| t.places.targets[t.hierarchy.up_to(p, t.levels, wanted)].to_ref();
    let rollup = |p: usize| t.rollups.get(p).cloned().unwrap_or_else(|| std::sync::Arc::from(Vec::new()));
    let (body, body_en) = crate::model::split_body(doc.body());
    Some(Enclave {
        slug: doc.slug.clone(),
        name: raw.name,
        name_en: raw.name_en,
        home: t.places.targets[home].to_ref(),
        sponsor: raw.sponsor,
        sponsor_en: raw.sponsor_en,
        host: t.places.targets[host].to_ref(),
        address: raw.address,
        address_en: raw.address_en,
        kind: raw.kind,
        kind_en: raw.kind_en,
        model,
        operators: ops,
        sectors,
        area_m2: raw.area_m2,
        land_mu: raw.land_mu,
        workstations: raw.workstations,
        offices: raw.offices,
        opened: raw.opened,
        status: raw.status,
        outcomes: raw.outcomes,
        notable_companies: raw.notable_companies,
        notable_companies_en: raw.notable_companies_en,
        partners: raw.partners,
        partners_en: raw.partners_en,
        sources: raw.sources,
        updated: raw.updated,
        extra: raw.extra,
        body,
        body_en,
        source_path: doc.path.display().to_string(),
        home_rollup: rollup(home),
        host_rollup: rollup(host),
        home_city: up(home, &[City, Province]),
        home_province: up(home, &[Province, City]),
        host_city: up(host, &[City, Province]),
        host_province: up(host, &[Province, City]),
    })
}

/// Per-file results of resolving enclaves, kept between runs of [`resolve_cached`].
///
/// Resolving 10,000 enclaves takes about 0.1 s, nearly all of it checking and resolving each
/// file's fields. A rebuild after one edit reuses the result of every file not read again since
/// (same [`Doc::stamp`]) as long as the files they refer into (places, sectors, models,
/// operators) are unchanged too, and so redoes one file instead of all of them. The enclaves
/// themselves move between the cache and the site rather than being copied.
#[derive(Debug, Default)]
pub struct Cache {
    key: u64,
    /// By slug (the file stem): unique among enclave files, and cheaper to hash than a path.
    entries: HashMap<String, Cached>,
    /// What checking the links of a body found, by file: with the file's stamp and a hash of
    /// the pages links may name.
    links: HashMap<std::path::PathBuf, (u64, u64, Vec<Diagnostic>)>,
}

#[derive(Debug)]
struct Cached {
    stamp: u64,
    /// Whether the file gave an enclave.
    gave: bool,
    /// The enclave, while no site holds it.
    enclave: Option<Enclave>,
    /// What resolving the file reported.
    diags: Vec<Diagnostic>,
}

impl Cache {
    /// An empty cache.
    pub fn new() -> Self {
        Self::default()
    }

    /// Takes back the enclaves of a site made with this cache, for the next run to reuse.
    pub fn reclaim(&mut self, site: Site) {
        for e in site.enclaves {
            if let Some(c) = self.entries.get_mut(&e.slug) {
                c.enclave = Some(e);
            }
        }
    }

    /// Forgets everything when the tables changed, and files no longer there.
    fn begin(&mut self, key: u64, sources: &Sources) {
        if key != self.key {
            self.entries.clear();
            self.key = key;
        }
        if self.entries.len() > sources.enclaves.len() {
            let live: HashSet<&str> = sources.enclaves.iter().map(|d| d.slug.as_str()).collect();
            self.entries.retain(|slug, _| live.contains(slug.as_str()));
        }
    }

    /// The earlier result for `doc`, if it is still valid: the enclave (when the file gave one)
    /// and what was reported.
    fn hit(&mut self, doc: &Doc) -> Option<(Option<Enclave>, Vec<Diagnostic>)> {
        let c = self.entries.get_mut(&doc.slug)?;
        if c.stamp != doc.stamp || (c.gave && c.enclave.is_none()) {
            return None;
        }
        Some((c.enclave.take(), c.diags.clone()))
    }

    fn store(&mut self, doc: &Doc, gave: bool, diags: &Diagnostics) {
        self.entries.insert(doc.slug.clone(), Cached { stamp: doc.stamp, gave, enclave: None, diags: diags.0.clone() });
    }
}

/// Reports a line of a Markdown body that still holds the `TODO:` text `feidi new` writes.
fn check_body_placeholder(doc: &Doc, diags: &mut Diagnostics) {
    for (i, line) in doc.body().lines().enumerate() {
        let text = line.trim_start();
        if fields::is_placeholder(text) {
            let col = line.chars().count() - text.chars().count() + 1;
            diags.push(
                Diagnostic::error(&doc.path, doc.body_line + i, col, "placeholder left in the description")
                    .with_snippet(line.to_string())
                    .with_help("replace the `TODO` line with a description in your own words"),
            );
        }
    }
}

/// Warns about each field that is `missing` and not acknowledged in `not_reported`.
fn warn_not_reported(doc: &Doc, missing: &[(bool, &str)], gaps: &fields::Gaps, diags: &mut Diagnostics) {
    let at = doc.yaml_line.saturating_sub(1).max(1);
    for &(missing, key) in missing {
        if missing && !gaps.has(key) {
            let mut d = crate::diagnostics::Diagnostic::warning(
                &doc.path,
                at,
                1,
                format!("no `{key}`: the site shows \"not reported\""),
            )
            .with_help(format!(
                "add `{key}` when a source gives it; if none does, write `not_reported: [{key}]` and this warning goes (the site still shows \"not reported\")"
            ));
            if let Some(text) = doc.line(at - 1) {
                d = d.with_snippet(text);
            }
            diags.push(d);
        }
    }
}

/// Warns about each place an enclave sits at or comes from (or the city of one) that has no
/// coordinates, which the map needs, unless `places.yaml` says `not_reported: [lat, lon]` for it.
fn warn_missing_coordinates(doc: &Doc, raw: &[vocab::RawPlace], enclaves: &[Enclave], diags: &mut Diagnostics) {
    // Few places lack coordinates: look for those only, rather than collect every place in use.
    let unplaced: HashSet<&str> = raw
        .iter()
        .filter(|p| (p.lat.is_none() || p.lon.is_none()) && !p.unplaced)
        .map(|p| p.item.target.id.as_str())
        .collect();
    if unplaced.is_empty() {
        return;
    }
    let mut used: HashSet<&str> = HashSet::new();
    for e in enclaves {
        for id in [&e.home.id, &e.host.id, &e.home_city.id, &e.host_city.id] {
            if unplaced.contains(id.as_str()) {
                used.insert(id.as_str());
            }
        }
    }
    for p in raw {
        if used.contains(p.item.target.id.as_str()) {
            diags.push(
                doc.warning_at(
                    &p.item.path,
                    format!("place `{}` has no coordinates, which the map needs", p.item.target.id),
                )
                .with_help("add `lat:` and `lon:` in decimal degrees, e.g. `lat: 31.23` and `lon: 121.47`; if the place has no position of its own (it stands for one of several cities), write `not_reported: [lat, lon]`"),
            );
        }
    }
}

fn build_places(
    table: &RefTable,
    raw: &[vocab::RawPlace],
    h: &places::Hierarchy,
    enclaves: &[Enclave],
    operators: &[Operator],
    doc: Option<&Doc>,
    diags: &mut Diagnostics,
) -> Vec<Place> {
    let refs: Vec<Ref> = table.targets.iter().map(Target::to_ref).collect();
    let idx_of: HashMap<&str, usize> = table.targets.iter().enumerate().map(|(i, t)| (t.id.as_str(), i)).collect();
    let mut sends: Vec<Vec<String>> = vec![Vec::new(); raw.len()];
    let mut hosts: Vec<Vec<String>> = vec![Vec::new(); raw.len()];
    for e in enclaves {
        for id in e.home_rollup.iter() {
            sends[idx_of[id.as_str()]].push(e.slug.clone());
        }
        for id in e.host_rollup.iter() {
            hosts[idx_of[id.as_str()]].push(e.slug.clone());
        }
    }
    let mut ops: Vec<Vec<String>> = vec![Vec::new(); raw.len()];
    for o in operators {
        if let Some(hq) = &o.hq
            && let Some(&i) = idx_of.get(hq.id.as_str())
        {
            for &p in std::iter::once(&i).chain(h.ancestors[i].iter()) {
                ops[p].push(o.slug.clone());
            }
        }
    }
    let mut out: Vec<Place> = Vec::with_capacity(raw.len());
    for (i, p) in raw.iter().enumerate() {
        let mut reported = Vec::new();
        for r in &p.reported {
            let counterpart = match (&r.r#where, doc) {
                (Some(w), Some(doc)) => match table.resolve(doc, &w.path, &w.text, diags) {
                    Some(j) => Some(j),
                    None => continue,
                },
                _ => None,
            };
            let own = &refs[i].id;
            let listed_slugs: Vec<String> = enclaves
                .iter()
                .filter(|e| {
                    let (mine, theirs) = match r.direction {
                        Direction::Out => (&e.home_rollup, &e.host_rollup),
                        Direction::In => (&e.host_rollup, &e.home_rollup),
                    };
                    mine.contains(own) && counterpart.is_none_or(|j| theirs.contains(&refs[j].id))
                })
                .map(|e| e.slug.clone())
                .collect();
            reported.push(Reported {
                direction: r.direction,
                r#where: counterpart.map(|j| refs[j].clone()),
                count: r.count,
                qualifier: r.qualifier,
                source: r.source.clone(),
                listed_slugs,
            });
        }
        let has_page = !sends[i].is_empty() || !hosts[i].is_empty() || !reported.is_empty() || !ops[i].is_empty();
        let mut regions: Vec<Ref> = Vec::new();
        for &r in h.rollup.get(i).map_or(&[][..], Vec::as_slice) {
            if raw[r].level == Some(crate::model::Level::Region) && r != i {
                regions.push(refs[r].clone());
            }
        }
        out.push(Place {
            id: refs[i].id.clone(),
            name: refs[i].name.clone(),
            name_en: refs[i].name_en.clone(),
            aliases: p.item.target.aliases.clone(),
            description: p.item.description.clone(),
            description_en: p.item.description_en.clone(),
            short_en: p.item.short_en.clone(),
            level: p.level.unwrap_or(crate::model::Level::Zone),
            parent: h.parent.get(i).copied().flatten().map(|j| refs[j].clone()),
            ancestors: h.ancestors.get(i).map_or(Vec::new(), |a| a.iter().map(|&j| refs[j].clone()).collect()),
            regions,
            children: (0..raw.len())
                .filter(|&j| h.parent.get(j).copied().flatten() == Some(i))
                .map(|j| refs[j].clone())
                .collect(),
            lat: p.lat,
            lon: p.lon,
            reported,
            sends: std::mem::take(&mut sends[i]),
            hosts: std::mem::take(&mut hosts[i]),
            operators: std::mem::take(&mut ops[i]),
            has_page,
        });
    }
    // The place a reported count names, and the places that hold it, show that count too, so
    // they get a page even with nothing listed there ("sources report 9 from Wuxi; 0 listed").
    let named: Vec<usize> = out
        .iter()
        .flat_map(|p| p.reported.iter().filter_map(|r| r.r#where.as_ref()))
        .filter_map(|w| idx_of.get(w.id.as_str()).copied())
        .collect();
    for j in named {
        for &k in h.rollup.get(j).map_or(&[][..], Vec::as_slice) {
            out[k].has_page = true;
        }
    }
    out
}

#[cfg(test)]
mod table_key_tests {
    use super::*;

    #[test]
    fn the_cache_key_changes_with_every_file_the_tables_are_built_from() {
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/basic");
        let mut d = Diagnostics::new();
        let sources = crate::load::load(&root, &mut d);
        let base = TableInputs::of(&sources).key();
        assert_eq!(base, TableInputs::of(&sources).key(), "the same reading gives the same key");
        // Reading any one input again (as serve does after a save) gives a new key.
        let reread = |path: &str| crate::load::read_yaml_file(&root, &root.join(path), &mut Diagnostics::new());
        for (name, path) in [
            ("places", "content/terms/places.yaml"),
            ("sectors", "content/terms/sectors.yaml"),
            ("models", "content/terms/models.yaml"),
            ("operator-kinds", "content/terms/operator-kinds.yaml"),
        ] {
            let mut s = sources.clone();
            let doc = reread(path);
            match name {
                "places" => s.places = doc,
                "sectors" => s.sectors = doc,
                "models" => s.models = doc,
                _ => s.operator_kinds = doc,
            }
            assert_ne!(TableInputs::of(&s).key(), base, "{name}");
        }
        let mut s = sources.clone();
        let op = s.operators[0].path.clone();
        s.operators[0] = crate::load::read_entry(&root, &root.join(op), &mut Diagnostics::new()).unwrap();
        assert_ne!(TableInputs::of(&s).key(), base, "an operator");
        let mut s = sources.clone();
        s.broken.insert("places".into());
        assert_ne!(TableInputs::of(&s).key(), base, "a broken file");
    }
}
