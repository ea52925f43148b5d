//! The data behind the side-by-side comparison (`compare/?e=a,b,c`): every enclave's comparable
//! fields, already formatted in the interface language, as a small script that sets
//! `window.FEIDI_COMPARE`. A script (not a JSON file fetched at run time) so that the page also
//! works when opened from disk.
//!
//! To stay compact at 10,000 enclaves every text is stored once in a string table and fields
//! point into it: `{"f": [field names], "s": [texts], "e": {slug: [value per field]}}`, where a
//! value is a string index, `null` (not reported), a list of indexes, or for sources a list of
//! `[title, url, date]` indexes.

use std::collections::HashMap;

use crate::escape::script_json;
use crate::field_table::{self, FIELDS, Field};
use crate::model::{Enclave, Site};

use crate::format::{self, name};
use crate::i18n::Texts;

/// The fields the comparison shows: those of the field table marked for it, in its order. The
/// script's values follow the same order.
pub fn fields(all: &[Field]) -> Vec<Field> {
    all.iter().filter(|f| f.compare).copied().collect()
}

/// A JSON string literal safe to place anywhere (see [`crate::escape`]).
fn js_string(s: &str, out: &mut String) {
    out.push_str(&script_json(s));
}

/// Texts stored once each, in order of first use.
#[derive(Default)]
struct Strings {
    list: Vec<String>,
    index: HashMap<String, usize>,
}

impl Strings {
    fn id(&mut self, s: &str) -> usize {
        if let Some(&i) = self.index.get(s) {
            return i;
        }
        self.list.push(s.to_string());
        self.index.insert(s.to_string(), self.list.len() - 1);
        self.list.len() - 1
    }
}

enum Value {
    None,
    One(usize),
    Many(Vec<usize>),
    Sources(Vec<[Option<usize>; 3]>),
}

fn write_value(v: &Value, out: &mut String) {
    let opt = |o: &Option<usize>| o.map_or("null".to_string(), |i| i.to_string());
    match v {
        Value::None => out.push_str("null"),
        Value::One(i) => out.push_str(&i.to_string()),
        Value::Many(list) => {
            out.push('[');
            out.push_str(&list.iter().map(|i| i.to_string()).collect::<Vec<_>>().join(","));
            out.push(']');
        }
        Value::Sources(list) => {
            out.push('[');
            let items: Vec<String> =
                list.iter().map(|[a, b, c]| format!("[{},{},{}]", opt(a), opt(b), opt(c))).collect();
            out.push_str(&items.join(","));
            out.push(']');
        }
    }
}

fn values(e: &Enclave, fields: &[Field], tx: &Texts, s: &mut Strings) -> Vec<Value> {
    use field_table::Value as V;
    let lang = tx.lang.as_str();
    fields
        .iter()
        .map(|f| match field_table::value_in(f, e, lang).0 {
            None => Value::None,
            Some(V::Terms(list)) => Value::Many(list.iter().map(|x| s.id(&name(x, lang))).collect()),
            Some(V::Operators(list)) => Value::Many(
                list.iter()
                    .map(|r| {
                        let n = name(&r.operator, lang);
                        let role =
                            r.role.as_deref().map(|x| crate::model::localize(x, r.role_en.as_deref(), lang).text);
                        let text = match role {
                            Some(role) => tx.t("operator_role", &[("name", &n), ("role", role)]),
                            None => n,
                        };
                        s.id(&text)
                    })
                    .collect(),
            ),
            Some(V::Texts(list)) => Value::Many(list.iter().map(|x| s.id(x)).collect()),
            Some(V::Sources(list)) => Value::Sources(
                list.iter()
                    .map(|src| {
                        [
                            Some(s.id(&src.title)),
                            src.url.as_deref().map(|u| s.id(u)),
                            src.date.as_deref().map(|d| s.id(d)),
                        ]
                    })
                    .collect(),
            ),
            Some(v) => format::text(v, f.kind, tx).map_or(Value::None, |t| Value::One(s.id(&t))),
        })
        .collect()
}

/// How many enclaves one chunk holds, about: the comparison downloads the chunks of the chosen
/// enclaves only, a few kilobytes each, however large the directory.
pub const CHUNK_ENCLAVES: usize = 200;

/// The global the chunks add themselves to, by number.
pub const CHUNK_GLOBAL: &str = "FEIDI_COMPARE_CHUNKS";

/// The chunk an enclave's data is in: FNV-1a of its slug's bytes, modulo the chunk count
/// (`compare.js` computes the same).
pub fn chunk_of(slug: &str, chunks: usize) -> usize {
    let mut h: u32 = 0x811c9dc5;
    for b in slug.bytes() {
        h ^= u32::from(b);
        h = h.wrapping_mul(0x01000193);
    }
    (h as usize) % chunks.max(1)
}

/// The comparison's data: the field names, and one script per chunk of enclaves that adds
/// `{"s": [texts], "e": {slug: [value per field]}}` to `window.FEIDI_COMPARE_CHUNKS`.
pub struct Script {
    /// The field names, `name` first.
    pub fields: Vec<String>,
    /// Each chunk's script text, by chunk number.
    pub chunks: Vec<String>,
}

impl Script {
    /// The small entry script that sets `window.FEIDI_COMPARE`: format, field names and each
    /// chunk's file (relative to the site root), by chunk number.
    pub fn entry(&self, chunk_files: &[String]) -> String {
        #[derive(serde::Serialize)]
        struct Entry<'a> {
            v: u32,
            f: &'a [String],
            chunks: &'a [String],
        }
        format!("window.FEIDI_COMPARE={};\n", script_json(&Entry { v: 2, f: &self.fields, chunks: chunk_files }))
    }
}

/// The comparison data of every enclave.
pub fn script(site: &Site, tx: &Texts) -> Script {
    script_with(site, &fields(FIELDS), tx)
}

/// [`script`] for the given comparison fields.
pub fn script_with(site: &Site, fields: &[Field], tx: &Texts) -> Script {
    let n = site.enclaves.len().div_ceil(CHUNK_ENCLAVES).max(1);
    let mut members: Vec<Vec<&Enclave>> = vec![Vec::new(); n];
    for e in &site.enclaves {
        members[chunk_of(&e.slug, n)].push(e);
    }
    let chunks = members
        .iter()
        .enumerate()
        .map(|(i, list)| {
            let mut strings = Strings::default();
            let mut entries = String::new();
            for (k, e) in list.iter().enumerate() {
                if k > 0 {
                    entries.push(',');
                }
                js_string(&e.slug, &mut entries);
                entries.push_str(":[");
                let label = name(&e.to_ref(), &tx.lang);
                entries.push_str(&strings.id(&label).to_string());
                for v in values(e, fields, tx, &mut strings) {
                    entries.push(',');
                    write_value(&v, &mut entries);
                }
                entries.push(']');
            }
            let mut out =
                String::with_capacity(entries.len() + strings.list.iter().map(|s| s.len() + 3).sum::<usize>() + 96);
            out.push_str(&format!("(window.{CHUNK_GLOBAL}=window.{CHUNK_GLOBAL}||{{}})[{i}]={{\"s\":["));
            for (k, s) in strings.list.iter().enumerate() {
                if k > 0 {
                    out.push(',');
                }
                js_string(s, &mut out);
            }
            out.push_str("],\"e\":{");
            out.push_str(&entries);
            out.push_str("}};\n");
            out
        })
        .collect();
    let mut names = vec!["name".to_string()];
    names.extend(fields.iter().map(|f| f.key.to_string()));
    Script { fields: names, chunks }
}
