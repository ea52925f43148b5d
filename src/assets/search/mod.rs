//! The search index: built here at build time, queried in the browser by
//! `themes/default/static/search.js`, with no server.
//!
//! Two stages, so that a visitor downloads little before the first result:
//!
//! - `search/index.<hash>.js`, loaded with the list page: every enclave's names, its places
//!   (as indexes into a place table that carries each place's names, aliases and roll-up),
//!   sectors, operators, model, status and short texts (kind, sponsor, address, partners,
//!   companies); the facet value lists; and the pinyin readings of the characters in names.
//!   Matching names, places, sectors and operators needs nothing else.
//! - `search/body-<n>.<hash>.js`, shards of an inverted index of the Markdown bodies (Chinese
//!   bigrams and Latin words → enclaves). The browser loads only the shards a query's keys hash
//!   to, and only after it has shown the results from the first stage.
//!
//! The first stage is one object. Records are lists (to stay small), read by the names the
//! index gives their fields, so that the browser never depends on positions:
//!
//! - `v`: the [`FORMAT`] of the files; search.js refuses any other;
//! - `fields`: per kind of record (`entries`, `places`, `terms`, `operators`), the names of its
//!   fields in record order (`ENTRY_FIELDS` and the others below);
//! - `statuses`: the status names (`active`, `planned`, `closed`), indexed by the status codes
//!   of entries (the browser labels a status `status_<name>`);
//! - `entries`: per enclave, in slug order: `slug`, `name`, `en` (English name or ""), `home` and
//!   `host` (places), `sectors`, `model` (-1: not reported), `ops` (operators), `status`, `kind`,
//!   `texts` (sponsor, address, partners…, companies…); places, sectors, models and operators are
//!   indexes into the tables below;
//! - `places`: `id`, `name`, `en`, `aliases`, `level`, `rollup`, `city`, `prov` for every place
//!   an enclave rolls up to (the roll-up lists the place, its ancestors and their regions);
//! - `sectors`, `models`, `opkinds`: term records `id`, `name`, `en`, `aliases`; `operators`:
//!   the same plus `kind`, the index of the operator kind;
//! - `facets`: per facet, its values as `[index, depth]` in display order;
//! - `py`: pinyin reading → the characters that have it;
//! - `shards`: the body shard file names; a key lives in shard `hash(key) % shards.length`
//!   ([`text::hash`] of [`text::shard_key`]).
//!
//! A body shard is `{"g": {bigram: postings}, "w": {word: postings}}`; postings are enclave
//! indexes, the first one then gaps, with `-k` for a run of `k` consecutive indexes.
//!
//! Both are JavaScript files that assign to a global rather than JSON, so that a `<script>` tag
//! loads them from `file://` as well as over HTTP (browsers block `fetch` on `file://`).
//! Every file name carries a hash of its content; every map is ordered, so two builds give the
//! same bytes.

pub mod pinyin;
pub mod text;

use std::collections::{BTreeMap, BTreeSet};

use serde_json::{Value, json};

use crate::escape::script_json;
use crate::hash::fingerprint;
use crate::model::{Level, Site, Status};
use crate::output::OutputFile;

/// The key under which templates find the first-stage file in `assets`.
pub const ASSET_KEY: &str = "search-index.js";

/// The global variable the first-stage file assigns.
pub const GLOBAL: &str = "feidiSearchIndex";

/// The global map the body shards add themselves to, by shard number.
pub const SHARD_GLOBAL: &str = "feidiSearchShards";

/// Roughly how many bytes of postings one body shard should hold: small enough that a query's
/// two or three shards stay a few kilobytes gzipped, large enough not to make hundreds of files.
const SHARD_TARGET_BYTES: usize = 48 * 1024;

/// The most body shards a site gets.
const MAX_SHARDS: usize = 256;

/// The built index.
#[derive(Debug)]
pub struct SearchIndex {
    /// Path of the first-stage file under `public/` (`search/index.<hash>.js`).
    pub core_path: String,
    /// Every file: the first stage and the body shards.
    pub files: Vec<OutputFile>,
}

/// The format of the index files. The browser refuses an index of another format rather than
/// misread it; any change to what the files hold or how they are laid out bumps it.
pub const FORMAT: u32 = 2;

/// The fields of an enclave record, in the order the record lists them.
const ENTRY_FIELDS: &[&str] =
    &["slug", "name", "en", "home", "host", "sectors", "model", "ops", "status", "kind", "texts"];
/// The fields of a place record.
const PLACE_FIELDS: &[&str] = &["id", "name", "en", "aliases", "level", "rollup", "city", "prov"];
/// The fields of a sector, model or operator kind record.
const TERM_FIELDS: &[&str] = &["id", "name", "en", "aliases"];
/// The fields of an operator record.
const OPERATOR_FIELDS: &[&str] = &["id", "name", "en", "aliases", "kind"];

/// The statuses, by the code records give them.
const STATUSES: [Status; 3] = [Status::Active, Status::Planned, Status::Closed];

/// A record of the kind whose fields are `fields`: its values, named, in field order. Written as
/// a list (the names are in the index once, under `fields`, not in every record).
fn record(fields: &[&str], values: Vec<(&str, Value)>) -> Value {
    debug_assert_eq!(fields, values.iter().map(|(name, _)| *name).collect::<Vec<_>>(), "fields out of order");
    Value::Array(values.into_iter().map(|(_, v)| v).collect())
}

/// Builds the index files.
pub fn build(site: &Site) -> SearchIndex {
    // Places that some enclave rolls up to, in file order; each with the roll-up, city and
    // province the model computed for it (the same for every enclave at that place).
    let mut place_info: BTreeMap<&str, (&[String], &str, &str)> = BTreeMap::new();
    for e in &site.enclaves {
        place_info.entry(&e.home.id).or_insert((&e.home_rollup, &e.home_city.id, &e.home_province.id));
        place_info.entry(&e.host.id).or_insert((&e.host_rollup, &e.host_city.id, &e.host_province.id));
    }
    let mut used: BTreeSet<&str> = BTreeSet::new();
    for (id, (rollup, city, prov)) in &place_info {
        used.insert(id);
        used.extend(rollup.iter().map(String::as_str));
        used.insert(city);
        used.insert(prov);
    }
    let places: Vec<&crate::model::Place> = site.places.iter().filter(|p| used.contains(p.id.as_str())).collect();
    let place_idx: BTreeMap<&str, usize> = places.iter().enumerate().map(|(i, p)| (p.id.as_str(), i)).collect();
    let pi = |id: &str| place_idx.get(id).copied().unwrap_or(0);
    let place_recs: Vec<Value> = places
        .iter()
        .map(|p| {
            // A place no enclave sits at directly (a province, a region) rolls up through the
            // model's ancestors and regions.
            let (rollup, city, prov): (Vec<usize>, usize, usize) = match place_info.get(p.id.as_str()) {
                Some((r, c, pr)) => (r.iter().map(|x| pi(x)).collect(), pi(c), pi(pr)),
                None => {
                    let mut r = vec![pi(&p.id)];
                    r.extend(p.ancestors.iter().chain(&p.regions).filter_map(|x| place_idx.get(x.id.as_str())));
                    (
                        r,
                        pi(up(site, p, &[Level::City, Level::Province])),
                        pi(up(site, p, &[Level::Province, Level::City])),
                    )
                }
            };
            record(
                PLACE_FIELDS,
                vec![
                    ("id", json!(p.id)),
                    ("name", json!(p.name)),
                    ("en", json!(p.name_en.as_deref().unwrap_or(""))),
                    ("aliases", json!(p.aliases)),
                    ("level", json!(p.level.as_str())),
                    ("rollup", json!(rollup)),
                    ("city", json!(city)),
                    ("prov", json!(prov)),
                ],
            )
        })
        .collect();

    let term_recs = |terms: &'_ [crate::model::Term]| -> Vec<Value> {
        terms
            .iter()
            .map(|t| {
                record(
                    TERM_FIELDS,
                    vec![
                        ("id", json!(t.id)),
                        ("name", json!(t.name)),
                        ("en", json!(t.name_en.as_deref().unwrap_or(""))),
                        ("aliases", json!(t.aliases)),
                    ],
                )
            })
            .collect()
    };
    let idx_of = |terms: &[crate::model::Term]| -> BTreeMap<String, usize> {
        terms.iter().enumerate().map(|(i, t)| (t.id.clone(), i)).collect()
    };
    let sector_idx = idx_of(&site.sectors);
    let model_idx = idx_of(&site.models);
    let kind_idx = idx_of(&site.operator_kinds);
    let op_idx: BTreeMap<&str, usize> = site.operators.iter().enumerate().map(|(i, o)| (o.slug.as_str(), i)).collect();
    let operators: Vec<Value> = site
        .operators
        .iter()
        .map(|o| {
            record(
                OPERATOR_FIELDS,
                vec![
                    ("id", json!(o.slug)),
                    ("name", json!(o.name)),
                    ("en", json!(o.name_en.as_deref().unwrap_or(""))),
                    ("aliases", json!(o.aliases)),
                    ("kind", json!(kind_idx.get(&o.kind.id).copied().unwrap_or(0))),
                ],
            )
        })
        .collect();

    let entries: Vec<Value> = site
        .enclaves
        .iter()
        .map(|e| {
            // Short texts searched with places and sectors (the kind is also shown).
            let mut texts: Vec<&str> = Vec::new();
            texts.extend(e.sponsor.as_deref());
            texts.extend(e.address.as_deref());
            texts.extend(e.partners.iter().map(String::as_str));
            texts.extend(e.notable_companies.iter().map(String::as_str));
            let sectors: Vec<usize> =
                e.sectors.iter().flatten().filter_map(|s| sector_idx.get(&s.id).copied()).collect();
            let ops: Vec<usize> =
                e.operators.iter().filter_map(|o| op_idx.get(o.operator.id.as_str()).copied()).collect();
            let model: i64 = e.model.as_ref().and_then(|m| model_idx.get(&m.id)).map_or(-1, |&i| i as i64);
            record(
                ENTRY_FIELDS,
                vec![
                    ("slug", json!(e.slug)),
                    ("name", json!(e.name)),
                    ("en", json!(e.name_en.as_deref().unwrap_or(""))),
                    ("home", json!(pi(&e.home.id))),
                    ("host", json!(pi(&e.host.id))),
                    ("sectors", json!(sectors)),
                    ("model", json!(model)),
                    ("ops", json!(ops)),
                    ("status", json!(status_code(e.status))),
                    ("kind", json!(e.kind.as_deref().unwrap_or(""))),
                    ("texts", json!(texts)),
                ],
            )
        })
        .collect();

    // Characters whose pinyin the browser may need: those of the names of enclaves, places,
    // sectors, models and operators (aliases are matched as written, not in pinyin).
    let mut chars: BTreeSet<char> = BTreeSet::new();
    let mut add_chars = |s: &str| chars.extend(text::fold(s).chars().chain(s.chars()).filter(|c| !c.is_ascii()));
    for e in &site.enclaves {
        add_chars(&e.name);
    }
    for p in &places {
        add_chars(&p.name);
    }
    for t in site.sectors.iter().chain(&site.models) {
        add_chars(&t.name);
    }
    for o in &site.operators {
        add_chars(&o.name);
    }
    let py = pinyin::table(&chars);

    let facets = facets(site, &places, &place_idx);
    let (shard_files, shard_names) = body_shards(site);

    let core = json!({
        "v": FORMAT,
        "fields": {
            "entries": ENTRY_FIELDS,
            "places": PLACE_FIELDS,
            "terms": TERM_FIELDS,
            "operators": OPERATOR_FIELDS,
        },
        "statuses": STATUSES,
        "places": place_recs,
        "sectors": term_recs(&site.sectors),
        "models": term_recs(&site.models),
        "opkinds": term_recs(&site.operator_kinds),
        "operators": operators,
        "entries": entries,
        "facets": facets,
        "py": py,
        "shards": shard_names,
    });
    let js = format!("window.{GLOBAL}={};\n", script_json(&core));
    let core_path = format!("search/index.{}.js", fingerprint(js.as_bytes()));
    let mut files = vec![OutputFile::text(core_path.clone(), js)];
    files.extend(shard_files);
    SearchIndex { core_path, files }
}

/// The nearest of `p` and its ancestors at the first of `wanted` levels found, as the model
/// computes an enclave's city and province (`p` itself when none is).
fn up<'a>(site: &'a Site, p: &'a crate::model::Place, wanted: &[Level]) -> &'a str {
    let chain: Vec<&crate::model::Place> =
        std::iter::once(p).chain(p.ancestors.iter().filter_map(|a| site.place(&a.id))).collect();
    wanted.iter().find_map(|w| chain.iter().find(|x| x.level == *w)).map_or(&p.id, |x| &x.id)
}

/// The facet value lists, each value as `[index, depth]`, most used first (then in file order);
/// the host and home facets list provinces with their cities indented below them.
fn facets(site: &Site, places: &[&crate::model::Place], place_idx: &BTreeMap<&str, usize>) -> Value {
    let pi = |id: &str| place_idx.get(id).copied().unwrap_or(0);
    let ranked = |counts: BTreeMap<usize, usize>| -> Vec<usize> {
        let mut v: Vec<(usize, usize)> = counts.into_iter().collect();
        v.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
        v.into_iter().map(|(i, _)| i).collect()
    };
    let tree = |home: bool| -> Vec<[usize; 2]> {
        let mut prov_counts: BTreeMap<usize, usize> = BTreeMap::new();
        let mut city_counts: BTreeMap<usize, usize> = BTreeMap::new();
        let mut province_of: BTreeMap<usize, usize> = BTreeMap::new();
        for e in &site.enclaves {
            let (city, prov) =
                if home { (&e.home_city.id, &e.home_province.id) } else { (&e.host_city.id, &e.host_province.id) };
            *prov_counts.entry(pi(prov)).or_default() += 1;
            if city != prov {
                *city_counts.entry(pi(city)).or_default() += 1;
                province_of.insert(pi(city), pi(prov));
            }
        }
        let cities = ranked(city_counts);
        let mut out = Vec::new();
        for p in ranked(prov_counts) {
            out.push([p, 0]);
            out.extend(cities.iter().filter(|c| province_of.get(c) == Some(&p)).map(|&c| [c, 1]));
        }
        out
    };
    let flat = |v: Vec<usize>| -> Vec<[usize; 2]> { v.into_iter().map(|i| [i, 0]).collect() };
    let mut regions: BTreeMap<usize, usize> = BTreeMap::new();
    for e in &site.enclaves {
        let set: BTreeSet<usize> = e
            .home_rollup
            .iter()
            .chain(&e.host_rollup)
            .map(|id| pi(id))
            .filter(|&i| places[i].level == Level::Region)
            .collect();
        for r in set {
            *regions.entry(r).or_default() += 1;
        }
    }
    let count_terms = |terms: &[crate::model::Term]| -> Vec<usize> {
        ranked(
            terms
                .iter()
                .enumerate()
                .filter(|(_, t)| !t.used_by.is_empty())
                .map(|(i, t)| (i, t.used_by.len()))
                .collect(),
        )
    };
    let mut kinds: BTreeMap<usize, usize> = BTreeMap::new();
    let kind_idx: BTreeMap<&str, usize> =
        site.operator_kinds.iter().enumerate().map(|(i, k)| (k.id.as_str(), i)).collect();
    for e in &site.enclaves {
        let set: BTreeSet<usize> = e
            .operators
            .iter()
            .filter_map(|o| site.operator(&o.operator.id))
            .filter_map(|o| kind_idx.get(o.kind.id.as_str()).copied())
            .collect();
        for k in set {
            *kinds.entry(k).or_default() += 1;
        }
    }
    let mut statuses: BTreeMap<usize, usize> = BTreeMap::new();
    for e in &site.enclaves {
        *statuses.entry(status_code(e.status)).or_default() += 1;
    }
    json!({
        "host": tree(false),
        "home": tree(true),
        "region": flat(ranked(regions)),
        "sector": flat(count_terms(&site.sectors)),
        "model": flat(count_terms(&site.models)),
        "opkind": flat(ranked(kinds)),
        "status": flat(statuses.into_keys().collect()),
    })
}

/// A status as records write it: its place in [`STATUSES`], which the index lists by name (the
/// browser labels a status `status_<name>`).
fn status_code(s: Status) -> usize {
    STATUSES.iter().position(|&x| x == s).unwrap_or(0)
}

/// Encodes a sorted posting list: the first index, then gaps; a run of `k` consecutive indexes
/// after a posting is written `-k` (most lists at scale are long runs).
fn encode_postings(list: &[u32]) -> Vec<i64> {
    let mut out: Vec<i64> = Vec::new();
    let mut prev: Option<u32> = None;
    let mut run = 0i64;
    for &x in list {
        match prev {
            Some(p) if x == p + 1 => run += 1,
            _ => {
                if run > 0 {
                    out.push(-run);
                    run = 0;
                }
                out.push(i64::from(x) - prev.map_or(0, i64::from));
            }
        }
        prev = Some(x);
    }
    if run > 0 {
        out.push(-run);
    }
    out
}

/// Shard files of the body index and their names (relative to `search/`), by shard number.
fn body_shards(site: &Site) -> (Vec<OutputFile>, Vec<String>) {
    let mut grams: BTreeMap<String, Vec<u32>> = BTreeMap::new();
    let mut words: BTreeMap<String, Vec<u32>> = BTreeMap::new();
    for (i, e) in site.enclaves.iter().enumerate() {
        let mut keys = text::Keys::default();
        keys.add(&plain_text(&e.body));
        for g in keys.grams {
            grams.entry(g).or_default().push(i as u32);
        }
        // A query of one letter never looks in the body.
        for w in keys.words.into_iter().filter(|w| w.len() >= 2) {
            words.entry(w).or_default().push(i as u32);
        }
    }
    let grams: BTreeMap<String, Vec<i64>> = grams.into_iter().map(|(k, v)| (k, encode_postings(&v))).collect();
    let words: BTreeMap<String, Vec<i64>> = words.into_iter().map(|(k, v)| (k, encode_postings(&v))).collect();
    // Estimate the size to choose the number of shards (a power of two, at least one).
    let size: usize = grams.iter().chain(&words).map(|(k, v)| k.len() + 4 + v.len() * 3).sum();
    let n = size.div_ceil(SHARD_TARGET_BYTES).clamp(1, MAX_SHARDS).next_power_of_two().min(MAX_SHARDS);
    type Shard = (BTreeMap<String, Vec<i64>>, BTreeMap<String, Vec<i64>>);
    let mut shards: Vec<Shard> = vec![Default::default(); n];
    let shard_of = |k: &str| text::hash(text::shard_key(k)) as usize % n;
    for (k, v) in grams {
        shards[shard_of(&k)].0.insert(k, v);
    }
    for (k, v) in words {
        shards[shard_of(&k)].1.insert(k, v);
    }
    let mut files = Vec::new();
    let mut names = Vec::new();
    for (i, (g, w)) in shards.into_iter().enumerate() {
        let body = script_json(&json!({ "g": g, "w": w }));
        let js = format!("(window.{SHARD_GLOBAL}=window.{SHARD_GLOBAL}||{{}})[{i}]={body};\n");
        let name = format!("body-{i}.{}.js", fingerprint(js.as_bytes()));
        files.push(OutputFile::text(format!("search/{name}"), js));
        names.push(name);
    }
    (files, names)
}

/// The text of a Markdown body, without markup.
fn plain_text(md: &str) -> String {
    use pulldown_cmark::{Event, Parser};
    let mut out = String::new();
    for ev in Parser::new(md) {
        match ev {
            Event::Text(t) | Event::Code(t) => out.push_str(&t),
            _ => out.push(' '),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn postings_encode_runs() {
        assert_eq!(encode_postings(&[0, 1, 2, 3]), vec![0, -3]);
        assert_eq!(encode_postings(&[2, 5, 6, 9]), vec![2, 3, -1, 3]);
        assert_eq!(encode_postings(&[]), Vec::<i64>::new());
    }

    #[test]
    fn plain_text_drops_markup() {
        assert_eq!(plain_text("**无锡**[深圳](x)").replace(' ', ""), "无锡深圳");
    }
}
