//! Vocabulary files: places, sectors, models and operator kinds.

use serde_yaml::Value;

use super::fields::{Fields, Located, NOT_REPORTED, describe};
use super::refs::{RefTable, Target};
use crate::diagnostics::{Diagnostics, closest, did_you_mean};
use crate::load::{Doc, Seg, is_slug};
use crate::model::{Direction, Level, Qualifier};

/// A vocabulary item as read, before references between items are resolved.
#[derive(Debug, Clone)]
pub struct Item {
    /// The names it answers to.
    pub target: Target,
    /// Free text.
    pub description: Option<String>,
    /// The broader term it belongs to (sectors only), resolved later.
    pub parent: Option<Located>,
    /// Free text in English.
    pub description_en: Option<String>,
    /// A short English name for table cells.
    pub short_en: Option<String>,
    /// Path of the item in its file.
    pub path: Vec<Seg>,
}

/// A place item as read.
#[derive(Debug, Clone)]
pub struct RawPlace {
    /// Common fields.
    pub item: Item,
    /// Level; `None` when invalid (already reported).
    pub level: Option<Level>,
    /// Parent reference.
    pub parent: Option<Located>,
    /// Region references.
    pub regions: Vec<Located>,
    /// Latitude.
    pub lat: Option<f64>,
    /// Longitude.
    pub lon: Option<f64>,
    /// Reported counts.
    pub reported: Vec<RawReported>,
    /// True when the file says `not_reported: [lat, lon]`: the place has no position of its
    /// own, on purpose.
    pub unplaced: bool,
}

/// A reported count as read.
#[derive(Debug, Clone)]
pub struct RawReported {
    /// Out or in.
    pub direction: Direction,
    /// The counterpart place.
    pub r#where: Option<Located>,
    /// The count.
    pub count: u64,
    /// How exact.
    pub qualifier: Qualifier,
    /// Source text.
    pub source: Option<String>,
}

const TERM_KEYS: &[&str] = &["id", "name", "name_en", "short_en", "aliases", "description", "description_en"];
/// Sectors may name a broader sector they belong to.
const SECTOR_KEYS: &[&str] =
    &["id", "name", "name_en", "short_en", "aliases", "description", "description_en", "parent"];
const PLACE_KEYS: &[&str] = &[
    "id",
    "name",
    "name_en",
    "short_en",
    "aliases",
    "description",
    "description_en",
    "level",
    "parent",
    "regions",
    "lat",
    "lon",
    "reported",
    NOT_REPORTED,
];
const REPORTED_KEYS: &[&str] = &["direction", "where", "count", "qualifier", "source"];

/// Reads a vocabulary file's items into a reference table, reporting duplicate ids and names.
/// `sectors.yaml` (and only it) may give an item a `parent`.
pub fn read_terms(doc: Option<&Doc>, what: &'static str, file: &str, diags: &mut Diagnostics) -> (RefTable, Vec<Item>) {
    let mut table = RefTable::new(what, format!("content/terms/{file}"));
    let mut items = Vec::new();
    let with_parent = file == "sectors.yaml";
    let keys = if with_parent { SECTOR_KEYS } else { TERM_KEYS };
    for_each_item(doc, diags, |doc, value, path, diags| {
        let f = Fields::new(doc, value, path.clone(), keys, what, diags);
        if !f.ok() {
            return;
        }
        let parent = if with_parent { f.reference("parent", false, diags) } else { None };
        if let Some(mut item) = read_item(&f, &mut table, diags) {
            item.parent = parent;
            items.push(item);
        }
        f.finish(diags);
    });
    (table, items)
}

/// Reads `places.yaml`: the items and their raw links, resolved later.
pub fn read_places(doc: Option<&Doc>, diags: &mut Diagnostics) -> (RefTable, Vec<RawPlace>) {
    let mut table = RefTable::new("place", "content/terms/places.yaml");
    let mut places = Vec::new();
    for_each_item(doc, diags, |doc, value, path, diags| {
        let f = Fields::new(doc, value, path.clone(), PLACE_KEYS, "place", diags);
        if !f.ok() {
            return;
        }
        let item = read_item(&f, &mut table, diags);
        let level = f.text("level", true, diags).and_then(|l| {
            let found = Level::ALL.iter().find(|(s, _)| *s == l).map(|(_, lv)| *lv);
            if found.is_none() {
                let names: Vec<&str> = Level::ALL.iter().map(|(s, _)| *s).collect();
                let help = did_you_mean(&closest(&l, names.iter().copied(), 1))
                    .unwrap_or_else(|| format!("use one of: {}", names.join(", ")));
                diags.push(doc.error_at(&f.path_of("level"), format!("unknown place level `{l}`")).with_help(help));
            }
            found
        });
        let parent = f.reference("parent", false, diags);
        let regions = f.text_list("regions", diags).unwrap_or_default();
        let lat = coordinate(&f, "lat", 90.0, diags);
        let lon = coordinate(&f, "lon", 180.0, diags);
        if lat.is_some() != lon.is_some() {
            diags.push(
                doc.error_at(&path, "a place needs both `lat` and `lon`, or neither")
                    .with_help("add the missing coordinate in decimal degrees"),
            );
        }
        let reported = read_reported(&f, diags);
        let gaps = f.gaps(&["lat", "lon"], &|k| f.given(k), diags);
        let unplaced = match (gaps.get("lat"), gaps.get("lon")) {
            (Some(_), Some(_)) => true,
            (None, None) => false,
            (Some(one), None) | (None, Some(one)) => {
                // Given coordinates were reported by `gaps`: this is a list naming only one.
                if lat.is_none() && lon.is_none() {
                    diags.push(
                        doc.error_at(&one.path, format!("`not_reported` names `{}` alone", one.text))
                            .with_help("a place has both coordinates or neither: write `not_reported: [lat, lon]`"),
                    );
                }
                false
            }
        };
        f.finish(diags);
        if let Some(item) = item {
            places.push(RawPlace { item, level, parent, regions, lat, lon, reported, unplaced });
        }
    });
    (table, places)
}

fn coordinate(f: &Fields, key: &str, limit: f64, diags: &mut Diagnostics) -> Option<f64> {
    let v = f.raw(key)?;
    match v.as_f64() {
        Some(x) if x.abs() <= limit => Some(x),
        Some(x) => {
            diags.push(
                f.doc()
                    .error_at(&f.path_of(key), format!("`{key}` must be between -{limit} and {limit}, found {x}"))
                    .with_help("write decimal degrees, e.g. `lat: 31.23`"),
            );
            None
        }
        None => {
            diags.push(
                f.doc()
                    .error_at(&f.path_of(key), format!("`{key}` must be a number, found {}", describe(v)))
                    .with_help("write decimal degrees, e.g. `lon: 121.47`"),
            );
            None
        }
    }
}

fn read_reported(f: &Fields, diags: &mut Diagnostics) -> Vec<RawReported> {
    let mut out = Vec::new();
    for (v, p) in f.map_list("reported", diags).unwrap_or_default() {
        let r = Fields::new(f.doc(), v, p, REPORTED_KEYS, "reported count", diags);
        if !r.ok() {
            continue;
        }
        let direction = r.text("direction", true, diags).and_then(|d| match d.as_str() {
            "out" => Some(Direction::Out),
            "in" => Some(Direction::In),
            _ => {
                diags.push(
                    r.doc()
                        .error_at(&r.path_of("direction"), format!("`direction` must be `out` or `in`, found `{d}`"))
                        .with_help("`out`: enclaves this place set up elsewhere; `in`: enclaves others set up here"),
                );
                None
            }
        });
        let qualifier = match r.text("qualifier", false, diags).as_deref() {
            None | Some("exactly") => Some(Qualifier::Exactly),
            Some("more_than") => Some(Qualifier::MoreThan),
            Some("about") => Some(Qualifier::About),
            Some(q) => {
                diags.push(
                    r.doc()
                        .error_at(&r.path_of("qualifier"), format!("unknown qualifier `{q}`"))
                        .with_help("use `exactly`, `more_than` or `about`"),
                );
                None
            }
        };
        let count = match r.raw("count") {
            None => {
                diags.push(
                    r.doc()
                        .error_at_key(&r.path_of("direction"), "missing required field `count` in this reported count")
                        .with_help("add `count: 9`"),
                );
                None
            }
            Some(v) => match v.as_u64() {
                Some(n) => Some(n),
                None => {
                    diags.push(r.doc().error_at(
                        &r.path_of("count"),
                        format!("`count` must be a whole number of at least 0, found {}", describe(v)),
                    ));
                    None
                }
            },
        };
        let r#where = r.reference("where", false, diags);
        let source = r.text("source", false, diags);
        r.finish(diags);
        if let (Some(direction), Some(qualifier), Some(count)) = (direction, qualifier, count) {
            out.push(RawReported { direction, r#where, count, qualifier, source });
        }
    }
    out
}

fn for_each_item(
    doc: Option<&Doc>,
    diags: &mut Diagnostics,
    mut each: impl FnMut(&Doc, &Value, Vec<Seg>, &mut Diagnostics),
) {
    let Some(doc) = doc else { return };
    match &*doc.yaml() {
        Value::Null => {}
        Value::Sequence(items) => {
            for (i, v) in items.iter().enumerate() {
                each(doc, v, vec![Seg::Index(i)], diags);
            }
        }
        other => diags.push(
            doc.error_at(&[], format!("a vocabulary file must be a list of items, found {}", describe(other)))
                .with_help("start each item with `- id: ...` at the beginning of a line"),
        ),
    }
}

fn read_item(f: &Fields, table: &mut RefTable, diags: &mut Diagnostics) -> Option<Item> {
    let doc = f.doc();
    let id = f.text("id", true, diags);
    let name = f.text("name", true, diags);
    let name_en = f.text("name_en", false, diags);
    let aliases: Vec<String> = f.text_list("aliases", diags).unwrap_or_default().into_iter().map(|l| l.text).collect();
    let description = f.text("description", false, diags);
    let description_en = f.text("description_en", false, diags);
    let short_en = f.text("short_en", false, diags);
    let (id, name) = (id?, name?);
    // Term ids may also use `_`: the content format's own models (`self_operated`) do.
    if !is_slug(&id.replace('_', "-")) {
        diags.push(
            doc.error_at(&f.path_of("id"), format!("invalid id `{id}`"))
                .with_help("an id may hold only lower-case ASCII letters, digits, `-` and `_`"),
        );
        return None;
    }
    if table.index_of_id(&id).is_some() {
        diags.push(
            doc.error_at(&f.path_of("id"), format!("duplicate id `{id}`: another {} already has it", table.what))
                .with_help("give each item its own id"),
        );
        return None;
    }
    let target = Target::new(id, name, name_en, aliases);
    for (key, other) in table.add(target.clone()) {
        diags.push(
            doc.error_at(&f.path_of("name"), format!("`{key}` is already a name or alias of {} `{other}`", table.what))
                .with_help("names and aliases must be unique within a vocabulary file, or references to them would be ambiguous"),
        );
    }
    Some(Item { target, description, description_en, short_en, parent: None, path: f.path().to_vec() })
}
