//! Stage 2: turns loaded documents into the resolved [`Site`].
//!
//! Resolution checks every field, resolves every reference (by id, name, English name or alias),
//! follows place parents for roll-ups, and links entries both ways (an operator knows its
//! enclaves). All problems of all files are collected before giving up.

pub mod entries;
pub mod fields;
pub mod links;
pub mod places;
pub mod refs;
pub mod vocab;

use std::collections::BTreeMap;

use crate::diagnostics::Diagnostics;
use crate::load::{Doc, Seg, Sources};
use crate::model::{Direction, Enclave, EnclaveRole, Operator, OperatorRole, Place, Ref, Reported, Site, Term};
use refs::{RefTable, Target};

/// Options that change how content resolves.
#[derive(Debug, Clone, Default)]
pub struct Options {
    /// Overrides `base_url` from `site.yaml`.
    pub base_url: Option<String>,
}

/// Resolves `sources` into a site. Returns `None` when any error was found (all of them are in
/// `diags`); warnings do not stop resolution.
pub fn resolve(sources: &Sources, opts: &Options, diags: &mut Diagnostics) -> Option<Site> {
    let start_errors = diags.error_count();
    let config = entries::read_site(sources.site.as_ref(), opts.base_url.as_deref(), diags);
    let (place_table, raw_places) = vocab::read_places(sources.places.as_ref(), diags);
    let (sector_table, sector_items) = vocab::read_terms(sources.sectors.as_ref(), "sector", "sectors.yaml", diags);
    let (model_table, model_items) =
        vocab::read_terms(sources.models.as_ref(), "operating model", "models.yaml", diags);
    let (kind_table, kind_items) =
        vocab::read_terms(sources.operator_kinds.as_ref(), "operator kind", "operator-kinds.yaml", diags);
    let hierarchy = places::build(sources.places.as_ref(), &place_table, &raw_places, diags);

    // Operators first: enclaves refer to them.
    let raw_ops: Vec<_> = sources.operators.iter().filter_map(|d| entries::read_operator(d, diags)).collect();
    let mut op_table = RefTable::new("operator", "content/operators/");
    for op in &raw_ops {
        let clashes = op_table.add(Target {
            id: op.doc.slug.clone(),
            name: op.name.clone(),
            name_en: op.name_en.clone(),
            aliases: op.aliases.clone(),
        });
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
    let mut operators: Vec<Operator> = raw_ops
        .iter()
        .map(|op| {
            let kind = op
                .kind
                .as_ref()
                .and_then(|k| kind_table.resolve(op.doc, &k.path, &k.text, diags))
                .map(|i| kind_table.targets[i].to_ref());
            let hq = op
                .hq
                .as_ref()
                .and_then(|h| place_table.resolve(op.doc, &h.path, &h.text, diags))
                .map(|i| place_table.targets[i].to_ref());
            Operator {
                slug: op.doc.slug.clone(),
                name: op.name.clone(),
                name_en: op.name_en.clone(),
                aliases: op.aliases.clone(),
                kind: kind.unwrap_or(Ref { id: String::new(), name: String::new(), name_en: None }),
                hq,
                website: op.website.clone(),
                sources: op.sources.clone(),
                extra: op.extra.clone(),
                body: op.doc.body.clone(),
                enclaves: Vec::new(),
                source_path: op.doc.path.display().to_string(),
            }
        })
        .collect();

    let mut enclaves: Vec<Enclave> = Vec::new();
    for doc in &sources.enclaves {
        let Some(raw) = entries::read_enclave(doc, diags) else { continue };
        let place = |l: &fields::Located, diags: &mut Diagnostics| place_table.resolve(doc, &l.path, &l.text, diags);
        let home = place(&raw.home, diags);
        let host = place(&raw.host, diags);
        let model = raw
            .model
            .as_ref()
            .and_then(|m| model_table.resolve(doc, &m.path, &m.text, diags))
            .map(|i| model_table.targets[i].to_ref());
        let sectors = raw.sectors.as_ref().map(|list| {
            let mut out: Vec<Ref> = Vec::new();
            for s in list {
                if let Some(i) = sector_table.resolve(doc, &s.path, &s.text, diags) {
                    let r = sector_table.targets[i].to_ref();
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
            .filter_map(|(l, role)| {
                op_table
                    .resolve(doc, &l.path, &l.text, diags)
                    .map(|i| OperatorRole { operator: op_table.targets[i].to_ref(), role: role.clone() })
            })
            .collect();
        warn_not_reported(doc, raw.model.is_none(), raw.sectors.is_none(), diags);
        let (Some(home), Some(host)) = (home, host) else { continue };
        let levels: Vec<Option<crate::model::Level>> = raw_places.iter().map(|p| p.level).collect();
        use crate::model::Level::{City, Province};
        let up = |p: usize, wanted: &[crate::model::Level]| {
            place_table.targets[hierarchy.up_to(p, &levels, wanted)].to_ref()
        };
        let ids = |set: &[usize]| set.iter().map(|&i| place_table.targets[i].id.clone()).collect::<Vec<_>>();
        enclaves.push(Enclave {
            slug: doc.slug.clone(),
            name: raw.name,
            name_en: raw.name_en,
            home: place_table.targets[home].to_ref(),
            sponsor: raw.sponsor,
            host: place_table.targets[host].to_ref(),
            address: raw.address,
            kind: raw.kind,
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
            partners: raw.partners,
            sources: raw.sources,
            updated: raw.updated,
            extra: raw.extra,
            body: doc.body.clone(),
            source_path: doc.path.display().to_string(),
            home_rollup: ids(hierarchy.rollup.get(home).map_or(&[][..], Vec::as_slice)),
            host_rollup: ids(hierarchy.rollup.get(host).map_or(&[][..], Vec::as_slice)),
            home_city: up(home, &[City, Province]),
            home_province: up(home, &[Province, City]),
            host_city: up(host, &[City, Province]),
            host_province: up(host, &[Province, City]),
        });
    }
    enclaves.sort_by(|a, b| a.slug.cmp(&b.slug));

    let mut pages: Vec<_> = sources.pages.iter().filter_map(|d| entries::read_page(d, diags)).collect();
    pages.sort_by(|a, b| (a.weight, &a.slug).cmp(&(b.weight, &b.slug)));

    // Reverse links: operators know their enclaves.
    let op_index: BTreeMap<String, usize> = operators.iter().enumerate().map(|(i, o)| (o.slug.clone(), i)).collect();
    for e in &enclaves {
        for r in &e.operators {
            if let Some(&i) = op_index.get(&r.operator.id) {
                operators[i].enclaves.push(EnclaveRole { enclave: enclave_ref(e), role: r.role.clone() });
            }
        }
    }
    operators.sort_by(|a, b| a.slug.cmp(&b.slug));

    let place_list =
        build_places(&place_table, &raw_places, &hierarchy, &enclaves, &operators, sources.places.as_ref(), diags);
    let term = |items: &[vocab::Item], used: &dyn Fn(&str) -> Vec<String>| -> Vec<Term> {
        items
            .iter()
            .map(|it| Term {
                id: it.target.id.clone(),
                name: it.target.name.clone(),
                name_en: it.target.name_en.clone(),
                aliases: it.target.aliases.clone(),
                description: it.description.clone(),
                used_by: used(&it.target.id),
            })
            .collect()
    };
    let sectors = term(&sector_items, &|id| {
        enclaves.iter().filter(|e| e.sectors.iter().flatten().any(|s| s.id == id)).map(|e| e.slug.clone()).collect()
    });
    let models = term(&model_items, &|id| {
        enclaves.iter().filter(|e| e.model.as_ref().is_some_and(|m| m.id == id)).map(|e| e.slug.clone()).collect()
    });
    let operator_kinds =
        term(&kind_items, &|id| operators.iter().filter(|o| o.kind.id == id).map(|o| o.slug.clone()).collect());

    let place_index = place_list.iter().enumerate().map(|(i, p)| (p.id.clone(), i)).collect();
    let site =
        Site { config, places: place_list, sectors, models, operator_kinds, enclaves, operators, pages, place_index };
    // Internal links in bodies, now that every page is known.
    let targets: links::Targets = crate::urls::all_pages(&site);
    for doc in sources.enclaves.iter().chain(&sources.operators).chain(&sources.pages) {
        links::check(doc, &targets, diags);
    }
    if diags.error_count() > start_errors {
        return None;
    }
    Some(site)
}

/// The reference to an enclave as operators and places show it.
pub fn enclave_ref(e: &Enclave) -> Ref {
    Ref { id: e.slug.clone(), name: e.name.clone(), name_en: e.name_en.clone() }
}

fn warn_not_reported(doc: &Doc, no_model: bool, no_sectors: bool, diags: &mut Diagnostics) {
    let at = doc.yaml_line.saturating_sub(1).max(1);
    for (missing, key) in [(no_model, "model"), (no_sectors, "sectors")] {
        if missing {
            let mut d = crate::diagnostics::Diagnostic::warning(
                &doc.path,
                at,
                1,
                format!("no `{key}`: the site shows \"not reported\""),
            )
            .with_help(format!("add `{key}` when a source gives it"));
            d.snippet = doc.lines.get(at - 1).cloned();
            diags.push(d);
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
    let idx_of: BTreeMap<&str, usize> = table.targets.iter().enumerate().map(|(i, t)| (t.id.as_str(), i)).collect();
    let mut sends: Vec<Vec<String>> = vec![Vec::new(); raw.len()];
    let mut hosts: Vec<Vec<String>> = vec![Vec::new(); raw.len()];
    for e in enclaves {
        for id in &e.home_rollup {
            sends[idx_of[id.as_str()]].push(e.slug.clone());
        }
        for id in &e.host_rollup {
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
                listed: listed_slugs.len(),
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
    out
}
