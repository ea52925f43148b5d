//! The search index: built here at build time, queried in the browser by
//! `themes/default/static/search.js`, with no server.
//!
//! A visitor downloads little before the first result, whatever the size of the directory:
//!
//! - `search/index.<hash>.js`, the entry, loaded with the list page: the format, the field
//!   names, the small tables (places, sectors, models, operator kinds), the facet values with
//!   their counts over the whole directory, the pinyin readings, and the hashes of every other
//!   file. Nothing in it grows with the number of enclaves except those hashes.
//! - `search/k-<n>.<hash>.js`, key shards: search keys → posting lists of record ids, one list
//!   per tier ([`NAME`], [`SHORT`], [`BODY`], [`WIDE`]). A key lives in shard
//!   `hash(shard_key(key)) % shards` ([`text::hash`], [`text::shard_key`]); a query loads the
//!   shards of its keys only.
//! - `search/r-<n>.<hash>.js`, record chunks: what a result row shows (the enclave table's
//!   columns, operators as slug and name), `size` records per chunk by id; loaded for the rows
//!   shown.
//! - `search/o-0.<hash>.js`, the operators (the one table that grows with the directory): loaded
//!   after the first results, to offer operators' pages above them and to sort by operator.
//! - `search/f-<n>.<hash>.js`, facet columns: per record its home, host, sectors, model,
//!   operator kinds and status, and what the results sort by (its rank in name order, its
//!   operators, area and opening date), `size` records per chunk; loaded after the first
//!   results, to count facet values over every hit (and before them when a facet is ticked or
//!   the results are sorted by a column).
//!
//! Record ids are positions in slug order. The keys ([`text::Keys`] on folded text):
//!
//! - a Chinese character bigram (names: also single characters), as written;
//! - a Latin word: its prefixes of 1 to [`PREFIX`] letters (in bodies from 2), each with every
//!   record whose word starts so, and the whole word when it is longer; a query word of more
//!   than [`PREFIX`] letters scans the words of its shard (all words sharing their first
//!   [`PREFIX`] letters share a shard);
//! - pinyin of enclave names, `~` then readings: `~wu` for a character read `wu`, and for two
//!   consecutive characters `~wu xi`, `~wu x`, `~w xi`, `~w x` (a reading or its initial on
//!   either side), for every reading of a heteronym;
//! - the keys of what an enclave links to, [`term_index`]: the places it is at or inside (home or
//!   host, with everything they roll up to), its sectors with the groups above them, its model
//!   and its operators, as if their names were the enclave's short fields (provinces and regions
//!   in a tier of their own, [`WIDE`]). A term's keys carry the records of the term, merged into
//!   the key's lists as the shards are written, so a query needs no table of terms.
//!
//! A shard is `{key: "name.short.body.wide"}`: the posting lists of the tiers, empty ones left
//! empty and trailing ones dropped, each in the [`encode::postings`] encoding. A value longer
//! than [`LONG_LIST`] characters is `"@<n>"` instead, and `search/l-<n>.<hash>.js` holds it, so
//! that a query for another key of the shard does not download it; the entry lists these keys,
//! so that a query needing one asks for its file at once.
//!
//! Every file is a JavaScript file that assigns to a global rather than JSON, so that a
//! `<script>` tag loads it from `file://` as well as over HTTP (browsers block `fetch` on
//! `file://`). Every file name carries a hash of its content; every map is ordered and the
//! parallel steps collect in order, so two builds give the same bytes.
//!
//! Setting the environment variable `FEIDI_SEARCH_TINY_SHARDS=1` makes every shard and chunk as
//! small as it gets (a few keys, two records), so that the tests can search across many files
//! with a small site.

pub mod encode;
mod keys;
pub mod pinyin;
pub mod text;

use std::collections::{BTreeMap, BTreeSet};

use rayon::prelude::*;
use serde_json::{Value, json};

use crate::escape::script_json;
use crate::hash::fingerprint;
use crate::model::{Level, Site, Status, localize};
use crate::output::OutputFile;
use keys::{Key, enclave_keys, term_index};

/// The key under which templates find the entry file in `assets`.
pub const ASSET_KEY: &str = "search-index.js";

/// The global variable the entry file assigns.
pub const GLOBAL: &str = "feidiSearchIndex";

/// The global maps the key shards, record chunks and facet column chunks add themselves to,
/// by number.
pub const KEYS_GLOBAL: &str = "feidiSearchKeys";
pub const RECORDS_GLOBAL: &str = "feidiSearchRecords";
pub const COLUMNS_GLOBAL: &str = "feidiSearchColumns";
/// The global map the files of long posting lists add themselves to, by number.
pub const LISTS_GLOBAL: &str = "feidiSearchLists";
/// The global map the operators file adds itself to.
pub const OPERATORS_GLOBAL: &str = "feidiSearchOperators";

/// The tiers of the posting lists, by what a key was found in: an enclave's names (with their
/// pinyin and single characters);
pub const NAME: u8 = 0;
/// its short fields (kind, sponsor, address, partners, notable companies) and the places (below
/// province), sectors, model and operators it links to;
pub const SHORT: u8 = 1;
/// its body;
pub const BODY: u8 = 2;
/// the provinces and regions it is inside. A query word scores best in names, then short
/// fields, then wide places, then the body.
pub const WIDE: u8 = 3;

/// The longest Latin prefix with a key of its own.
pub const PREFIX: usize = 3;

/// Roughly how many bytes one key shard should hold: a query needs one shard per key, so
/// shards stay a few kilobytes gzipped; the count is a power of two.
const SHARD_TARGET_BYTES: usize = 16 * 1024;

/// A key's posting lists longer than this (in characters) get a file of their own.
const LONG_LIST: usize = 8 * 1024;

/// The most key shards a site gets.
const MAX_SHARDS: usize = 4096;

/// Records per facet column chunk.
const COLUMN_CHUNK: usize = 16 * 1024;

/// The built index.
#[derive(Debug)]
pub struct SearchIndex {
    /// Path of the entry file under `public/` (`search/index.<hash>.js`).
    pub core_path: String,
    /// Every file: the entry, the key shards, the record and column chunks.
    pub files: Vec<OutputFile>,
}

/// The format of the index files. The browser refuses an index of another format rather than
/// misread it; any change to what the files hold or how they are laid out bumps it.
pub const FORMAT: u32 = 5;

/// The fields of a record (what a result row shows), in the order the record lists them.
const RECORD_FIELDS: &[&str] =
    &["slug", "name", "en", "home", "host", "sectors", "status", "kind", "model", "operators", "area", "opened"];
/// The facet columns, in the order a column chunk's varints give them for each record: `home`,
/// `host`, `model` (+1; 0 for none), `status` and `order` (the rank in name order, as
/// [`super::order::by_name`] lists the enclave list) one number each, `sectors`, `opkinds` and
/// `operators` a count then that many numbers; `area` (whole square metres + 1) and `opened`
/// (`YYYYMMDD` with zeros for what the date leaves out, + 1), 0 when not reported.
const COLUMN_FIELDS: &[&str] =
    &["home", "host", "sectors", "model", "opkinds", "status", "order", "operators", "area", "opened"];
/// The fields of a place record.
const PLACE_FIELDS: &[&str] = &["id", "name", "en", "aliases", "level", "rollup", "city", "prov", "page"];
/// The fields of a sector, model or operator kind record.
const TERM_FIELDS: &[&str] = &["id", "name", "en", "aliases"];
/// The fields of an operator record.
const OPERATOR_FIELDS: &[&str] = &["id", "name", "en", "aliases", "kind"];

/// The statuses, by the code records give them.
const STATUSES: [Status; 3] = [Status::Active, Status::Planned, Status::Closed];

/// The facets, in the order the browser shows them.
const FACETS: [&str; 7] = ["host", "home", "region", "sector", "model", "opkind", "status"];

/// How finely the files are cut.
#[derive(Debug, Clone, Copy)]
struct Sizes {
    shard_bytes: usize,
    max_shards: usize,
    long_list: usize,
    records: usize,
    columns: usize,
}

impl Sizes {
    fn for_site(n: usize) -> Sizes {
        if std::env::var_os("FEIDI_SEARCH_TINY_SHARDS").is_some_and(|v| v == "1") {
            return Sizes { shard_bytes: 1, max_shards: 16, long_list: 8, records: 2, columns: 2 };
        }
        // Small chunks, so that the rows a query shows need little, but not more than about
        // a thousand of them (their hashes are in the entry).
        let records = (n / 1024).next_power_of_two().clamp(64, 1024);
        Sizes {
            shard_bytes: SHARD_TARGET_BYTES,
            max_shards: MAX_SHARDS,
            long_list: LONG_LIST,
            records,
            columns: COLUMN_CHUNK,
        }
    }
}

/// A record of the kind whose fields are `fields`: its values, named, in field order. Written as
/// a list (the names are in the index once, under `fields`, not in every record).
fn record(fields: &[&str], values: Vec<(&str, Value)>) -> Value {
    debug_assert_eq!(fields, values.iter().map(|(name, _)| *name).collect::<Vec<_>>(), "fields out of order");
    Value::Array(values.into_iter().map(|(_, v)| v).collect())
}

/// Builds the index files for the pages in `lang`: records show the enclave's kind in that
/// language; the keys find an enclave by its text in every language the content gives.
pub fn build(site: &Site, lang: &str) -> SearchIndex {
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
                    ("en", json!(english_place(p, lang).0)),
                    ("aliases", json!(english_place(p, lang).1)),
                    ("level", json!(p.level.as_str())),
                    ("rollup", json!(rollup)),
                    ("city", json!(city)),
                    ("prov", json!(prov)),
                    ("page", json!(u8::from(p.has_page))),
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

    let sizes = Sizes::for_site(site.enclaves.len());
    // A sector and the broader sectors it belongs to: a search or facet for a group finds the
    // enclaves of every sector inside it, as one for a province finds those of its cities.
    let sector_up: Vec<Vec<usize>> = (0..site.sectors.len())
        .map(|i| {
            let mut chain = vec![i];
            let mut cur = i;
            while let Some(p) = site.sectors[cur].parent.as_ref().and_then(|p| sector_idx.get(&p.id).copied()) {
                if chain.contains(&p) {
                    break;
                }
                chain.push(p);
                cur = p;
            }
            chain
        })
        .collect();
    let sector_direct = |e: &crate::model::Enclave| -> Vec<usize> {
        e.sectors.iter().flatten().filter_map(|s| sector_idx.get(&s.id).copied()).collect()
    };
    let sector_of = |e: &crate::model::Enclave| -> Vec<usize> {
        let mut out: Vec<usize> = Vec::new();
        for s in e.sectors.iter().flatten().filter_map(|s| sector_idx.get(&s.id)) {
            for &x in &sector_up[*s] {
                if !out.contains(&x) {
                    out.push(x);
                }
            }
        }
        out
    };
    let ops_of = |e: &crate::model::Enclave| -> Vec<usize> {
        e.operators.iter().filter_map(|o| op_idx.get(o.operator.id.as_str()).copied()).collect()
    };
    let op_kinds: Vec<usize> = site.operators.iter().map(|o| kind_idx.get(&o.kind.id).copied().unwrap_or(0)).collect();
    let model_of =
        |e: &crate::model::Enclave| -> Option<usize> { e.model.as_ref().and_then(|m| model_idx.get(&m.id)).copied() };

    // Records (what a result row shows) and facet columns, by id.
    let records: Vec<Value> = site
        .enclaves
        .iter()
        .map(|e| {
            record(
                RECORD_FIELDS,
                vec![
                    ("slug", json!(e.slug)),
                    ("name", json!(e.name)),
                    ("en", json!(e.name_en.as_deref().unwrap_or(""))),
                    ("home", json!(pi(&e.home.id))),
                    ("host", json!(pi(&e.host.id))),
                    // What a row shows: the sectors as written, not the groups they roll up to.
                    ("sectors", json!(sector_direct(e))),
                    ("status", json!(status_code(e.status))),
                    ("kind", json!(e.kind.as_deref().map_or("", |k| localize(k, e.kind_en.as_deref(), lang).text))),
                    ("model", json!(model_of(e).map_or(-1, |m| m as i64))),
                    // Slug and name, so that a row shows its operators before their table loads.
                    (
                        "operators",
                        Value::Array(
                            ops_of(e)
                                .into_iter()
                                .map(|i| &site.operators[i])
                                .map(|o| json!([o.slug, localize(&o.name, o.name_en.as_deref(), lang).text]))
                                .collect(),
                        ),
                    ),
                    ("area", json!(e.area_m2.map_or(String::new(), |n| crate::format::group_digits(n.0)))),
                    ("opened", json!(e.opened.as_deref().unwrap_or(""))),
                ],
            )
        })
        .collect();
    // Per enclave, the values it has in each facet (in FACETS order), as the browser derives
    // them from the columns: the counts over the whole directory come from these.
    let mut totals: Vec<BTreeMap<usize, usize>> = vec![BTreeMap::new(); FACETS.len()];
    let mut rank = vec![0u32; site.enclaves.len()];
    for (r, &i) in super::order::by_name(site).iter().enumerate() {
        rank[i] = r as u32;
    }
    let mut columns: Vec<String> = Vec::new();
    for (c, chunk) in site.enclaves.chunks(sizes.columns).enumerate() {
        let mut col = String::new();
        for (j, e) in chunk.iter().enumerate() {
            let (home, host) = (pi(&e.home.id), pi(&e.host.id));
            let sectors = sector_of(e);
            let model = model_of(e);
            let mut kinds: Vec<usize> = Vec::new();
            for o in ops_of(e) {
                if !kinds.contains(&op_kinds[o]) {
                    kinds.push(op_kinds[o]);
                }
            }
            let status = status_code(e.status);
            encode::varint(&mut col, home as u32);
            encode::varint(&mut col, host as u32);
            encode::varint(&mut col, sectors.len() as u32);
            sectors.iter().for_each(|&s| encode::varint(&mut col, s as u32));
            encode::varint(&mut col, model.map_or(0, |m| m as u32 + 1));
            encode::varint(&mut col, kinds.len() as u32);
            kinds.iter().for_each(|&k| encode::varint(&mut col, k as u32));
            encode::varint(&mut col, status as u32);
            encode::varint(&mut col, rank[c * sizes.columns + j]);
            let ops = ops_of(e);
            encode::varint(&mut col, ops.len() as u32);
            ops.iter().for_each(|&o| encode::varint(&mut col, o as u32));
            encode::varint(&mut col, e.area_m2.map_or(0, |n| n.0.clamp(0.0, 4e9) as u32 + 1));
            encode::varint(&mut col, e.opened.as_deref().map_or(0, |d| date_number(d) + 1));

            let city_prov = |city: &str, prov: &str| -> Vec<usize> {
                if pi(city) == pi(prov) { vec![pi(city)] } else { vec![pi(city), pi(prov)] }
            };
            let mut regions: Vec<usize> = Vec::new();
            for p in e.home_rollup.iter().chain(e.host_rollup.iter()).map(|id| pi(id)) {
                if places[p].level == Level::Region && !regions.contains(&p) {
                    regions.push(p);
                }
            }
            let values: [Vec<usize>; 7] = [
                city_prov(&e.host_city.id, &e.host_province.id),
                city_prov(&e.home_city.id, &e.home_province.id),
                regions,
                sectors,
                model.into_iter().collect(),
                kinds,
                vec![status],
            ];
            for (f, vs) in values.iter().enumerate() {
                for &v in vs {
                    *totals[f].entry(v).or_default() += 1;
                }
            }
        }
        columns.push(col);
    }

    // Readings of every character of the names read in pinyin (enclaves' and terms', folded as
    // the browser folds them), computed once.
    let mut name_chars: BTreeSet<char> = BTreeSet::new();
    let mut add_name =
        |s: &str| name_chars.extend(text::fold(s).chars().filter(|&c| text::class(c) == text::Class::Word));
    for e in &site.enclaves {
        add_name(&e.name);
    }
    for name in places.iter().map(|p| &p.name).chain(site.sectors.iter().chain(&site.models).map(|t| &t.name)) {
        add_name(name);
    }
    for o in &site.operators {
        add_name(&o.name);
    }
    let readings: BTreeMap<char, Vec<String>> = name_chars.iter().map(|&c| (c, pinyin::readings(c))).collect();
    let all_readings: BTreeSet<&str> = readings.values().flatten().map(String::as_str).collect();

    // The inverted index, built a slice of enclaves at a time (in parallel, collected in order),
    // so that the keys of one slice at most are held at once.
    // Keys are short and there are millions of lookups: a fast hash rather than a keyed one
    // (nothing here comes from outside the build).
    // The index is split by key into parts, each filled by its own thread, in enclave order.
    const PARTS: usize = 8;
    let part_of = |k: &Key| -> usize {
        let h = match k {
            Key::Pair(a, b) => u32::from(*a).wrapping_mul(31).wrapping_add(u32::from(*b)),
            Key::Text(t) => text::hash(t),
        };
        h as usize % PARTS
    };
    let mut index: Vec<rustc_hash::FxHashMap<Key, [Vec<u32>; 3]>> =
        (0..PARTS).map(|_| rustc_hash::FxHashMap::default()).collect();
    // The terms, numbered together (places, sectors, models, operators), each with its records.
    let (n_places, n_sectors, n_models) = (places.len(), site.sectors.len(), site.models.len());
    let mut term_records: Vec<Vec<u32>> = vec![Vec::new(); n_places + n_sectors + n_models + site.operators.len()];
    let mut next = 0u32;
    for slice in site.enclaves.chunks(512) {
        let keys: Vec<Linked> = slice
            .par_iter()
            .map(|e| {
                let mut out: Vec<(Key, u8)> = Vec::new();
                enclave_keys(e, &readings, &mut out);
                let mut terms: BTreeSet<usize> = BTreeSet::new();
                terms.extend(e.home_rollup.iter().chain(e.host_rollup.iter()).map(|id| pi(id)));
                terms.extend(sector_of(e).into_iter().map(|s| n_places + s));
                terms.extend(model_of(e).map(|m| n_places + n_sectors + m));
                terms.extend(ops_of(e).into_iter().map(|o| n_places + n_sectors + n_models + o));
                // Bigrams (most of the keys) sort as numbers; the few others as text.
                let (mut pairs, mut texts): (Vec<u64>, Vec<(Key, u8)>) = (Vec::with_capacity(out.len()), Vec::new());
                for (k, tier) in out {
                    match k {
                        Key::Pair(a, b) => pairs.push((u64::from(a) << 23) | (u64::from(b) << 2) | u64::from(tier)),
                        text => texts.push((text, tier)),
                    }
                }
                pairs.sort_unstable();
                pairs.dedup();
                texts.sort_unstable();
                texts.dedup();
                let unpack = |p: u64| {
                    let c = |v: u64| char::from_u32((v & 0x1f_ffff) as u32).unwrap_or('\u{fffd}');
                    (Key::Pair(c(p >> 23), c(p >> 2)), (p & 3) as u8)
                };
                texts.extend(pairs.into_iter().map(unpack));
                (texts, terms.into_iter().collect())
            })
            .collect();
        // Each enclave's keys, by part: part p gets (enclave, its keys in part p) in order.
        let mut parts: Vec<Vec<Posted>> = (0..PARTS).map(|_| Vec::new()).collect();
        for (j, (set, terms)) in keys.into_iter().enumerate() {
            let id = next + j as u32;
            for t in terms {
                term_records[t].push(id);
            }
            let mut by_part: Vec<Vec<(Key, u8)>> = (0..PARTS).map(|_| Vec::new()).collect();
            for (k, tier) in set {
                by_part[part_of(&k)].push((k, tier));
            }
            for (p, ks) in by_part.into_iter().enumerate() {
                if !ks.is_empty() {
                    parts[p].push((id, ks));
                }
            }
        }
        next += slice.len() as u32;
        index.par_iter_mut().zip(parts.into_par_iter()).for_each(|(map, part)| {
            for (id, ks) in part {
                for (k, tier) in ks {
                    map.entry(k).or_default()[usize::from(tier)].push(id);
                }
            }
        });
    }
    // The keys of the terms, each with the terms it finds and in which tier; a key no enclave
    // text has gets an entry of its own.
    let by_term_key = term_index(site, &places, lang, &readings);
    for k in by_term_key.keys() {
        index[part_of(k)].entry(k.clone()).or_default();
    }
    let mut encoded: Vec<(String, String)> = index
        .into_par_iter()
        .flat_map(|part| part.into_par_iter())
        .map(|(k, [name, short, body])| {
            // The records of the terms this key finds, merged into its tiers.
            let (short, wide) = match by_term_key.get(&k) {
                None => (short, Vec::new()),
                Some(terms) => {
                    let mut wide = Vec::new();
                    let mut short = short;
                    for &(t, tier) in terms {
                        (if tier == WIDE { &mut wide } else { &mut short }).extend_from_slice(&term_records[t]);
                    }
                    for list in [&mut short, &mut wide] {
                        list.sort_unstable();
                        list.dedup();
                    }
                    (short, wide)
                }
            };
            let k = k.into_string();
            let mut parts: Vec<String> = [name, short, body, wide].iter().map(|l| encode::postings(l)).collect();
            while parts.last().is_some_and(String::is_empty) {
                parts.pop();
            }
            (k, parts.join("."))
        })
        .collect();
    encoded.par_sort_unstable();
    // A long value goes to a file of its own, its key's value in the shard naming that file
    // (`@<n>`), so that a query for another key of the same shard does not download it.
    // The entry lists those keys, so that the browser asks for a long list without waiting for
    // its shard.
    let mut long_lists: Vec<String> = Vec::new();
    let mut long_keys: Vec<String> = Vec::new();
    for (k, v) in encoded.iter_mut() {
        if v.len() > sizes.long_list {
            long_lists.push(std::mem::replace(v, format!("@{}", long_lists.len())));
            long_keys.push(k.clone());
        }
    }
    let size: usize = encoded.iter().map(|(k, v)| k.len() + v.len() + 6).sum();
    let n_shards =
        size.div_ceil(sizes.shard_bytes).clamp(1, sizes.max_shards).next_power_of_two().min(sizes.max_shards);
    // `encoded` is sorted, so each shard's keys arrive in order and its map is built in bulk.
    let mut sorted: Vec<Vec<(String, String)>> = (0..n_shards).map(|_| Vec::new()).collect();
    for (k, v) in encoded {
        let s = text::hash(text::shard_key(&k)) as usize % n_shards;
        sorted[s].push((k, v));
    }
    let shards: Vec<BTreeMap<String, String>> = sorted.into_par_iter().map(BTreeMap::from_iter).collect();

    // Each file is written out and hashed on its own, on every core, kept in order.
    let emit = |prefix: &str, global: &str, i: usize, body: String| -> (OutputFile, String) {
        let js = format!("(window.{global}=window.{global}||{{}})[{i}]={body};\n");
        let hash = fingerprint(js.as_bytes());
        (OutputFile::text(format!("search/{prefix}-{i}.{hash}.js"), js), hash)
    };
    let mut files = Vec::new();
    let mut keep = |made: Vec<(OutputFile, String)>| -> Vec<String> {
        made.into_iter()
            .map(|(f, hash)| {
                files.push(f);
                hash
            })
            .collect()
    };
    let key_files =
        // Each shard is dropped once written out, so that the keys are not held twice.
        keep(shards.into_par_iter().enumerate().map(|(i, s)| emit("k", KEYS_GLOBAL, i, script_json(&s))).collect());
    let list_files = keep(
        long_lists.into_par_iter().enumerate().map(|(i, l)| emit("l", LISTS_GLOBAL, i, script_json(&l))).collect(),
    );
    let record_files = keep(
        records
            .par_chunks(sizes.records)
            .enumerate()
            .map(|(i, c)| emit("r", RECORDS_GLOBAL, i, script_json(c)))
            .collect(),
    );
    let column_files =
        keep(columns.par_iter().enumerate().map(|(i, c)| emit("f", COLUMNS_GLOBAL, i, script_json(c))).collect());
    let operator_files = keep(vec![emit("o", OPERATORS_GLOBAL, 0, script_json(&operators))]);

    // The browser reads the same names in pinyin: places, sectors, models and operators to offer
    // them and to check a term's reading (aliases are matched as written, not in pinyin), and
    // enclave names to check what their pinyin keys found.
    let py = pinyin::table(&name_chars);

    let mut facets = facets(site, &places, &place_idx);
    for (f, key) in FACETS.iter().enumerate() {
        if let Some(Value::Array(values)) = facets.get_mut(*key) {
            for v in values {
                let idx = v[0].as_u64().unwrap_or(0) as usize;
                if let Value::Array(a) = v {
                    a.push(json!(totals[f].get(&idx).copied().unwrap_or(0)));
                }
            }
        }
    }

    let core = json!({
        "v": FORMAT,
        "fields": {
            "records": RECORD_FIELDS,
            "columns": COLUMN_FIELDS,
            "places": PLACE_FIELDS,
            "terms": TERM_FIELDS,
            "operators": OPERATOR_FIELDS,
        },
        "statuses": STATUSES,
        "count": site.enclaves.len(),
        "places": place_recs,
        "sectors": term_recs(&site.sectors),
        "models": term_recs(&site.models),
        "opkinds": term_recs(&site.operator_kinds),
        "operators": operator_files,
        "facets": facets,
        "py": py,
        "readings": all_readings,
        "prefix": PREFIX,
        "keys": key_files,
        "lists": { "keys": long_keys, "files": list_files },
        "records": { "size": sizes.records, "files": record_files },
        "columns": { "size": sizes.columns, "files": column_files },
    });
    let js = format!("window.{GLOBAL}={};\n", script_json(&core));
    let core_path = format!("search/index.{}.js", fingerprint(js.as_bytes()));
    files.insert(0, OutputFile::text(core_path.clone(), js));
    SearchIndex { core_path, files }
}

/// An enclave's id with some of its keys and their tiers.
type Posted = (u32, Vec<(Key, u8)>);

/// An enclave's keys with their tiers, and the terms it links to (by their numbers).
type Linked = (Vec<(Key, u8)>, Vec<usize>);

/// A place's English name as results and facets of the index for `lang` show it, and its
/// aliases: on an English index the short name (`short_en`) where there is one, the full English
/// name then joining the aliases so that it still finds the place.
pub(super) fn english_place<'p>(p: &'p crate::model::Place, lang: &str) -> (&'p str, Vec<&'p str>) {
    let full = p.name_en.as_deref().unwrap_or("");
    let mut aliases: Vec<&str> = p.aliases.iter().map(String::as_str).collect();
    match p.short_en.as_deref() {
        Some(short) if lang == "en" => {
            aliases.push(full);
            (short, aliases)
        }
        _ => (full, aliases),
    }
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
            .chain(e.host_rollup.iter())
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

/// A date as written (`YYYY`, `YYYY-MM`, `YYYY-MM-DD`) as the number `YYYYMMDD`, with zeros
/// for the parts it leaves out, so that `2019` sorts before `2019-05`; 0 for what does not read
/// as a date.
fn date_number(d: &str) -> u32 {
    let mut parts = d.trim().splitn(3, '-').map(|p| p.parse::<u32>().ok());
    let year = parts.next().flatten().filter(|y| *y < 10_000);
    let month = parts.next().flatten().unwrap_or(0).min(12);
    let day = parts.next().flatten().unwrap_or(0).min(31);
    year.map_or(0, |y| y * 10_000 + month * 100 + day)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_sort_as_numbers_with_missing_parts_first() {
        assert_eq!(date_number("2019"), 20190000);
        assert_eq!(date_number("2019-05"), 20190500);
        assert_eq!(date_number("2019-05-12"), 20190512);
        assert!(date_number("2019") < date_number("2019-01") && date_number("2019-12-31") < date_number("2020"));
        assert_eq!(date_number("soon"), 0);
    }
}
