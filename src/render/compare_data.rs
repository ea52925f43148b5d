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
use crate::model::{Enclave, Num, Ref, Site, Status};

use super::filters::{group_digits, yuan};
use super::i18n::Texts;
use super::insights::name;

/// The fields, in the order the comparison table shows them, with the interface text that
/// labels each row; the script's values follow the same order.
pub const FIELDS: &[(&str, &str)] = &[
    ("home", "home_place"),
    ("host", "host_place"),
    ("kind", "field_kind"),
    ("model", "field_model"),
    ("operators", "field_operators"),
    ("sectors", "field_sectors"),
    ("area", "field_area"),
    ("land", "field_land"),
    ("workstations", "field_workstations"),
    ("offices", "field_offices"),
    ("opened", "field_opened"),
    ("status", "field_status"),
    ("projects", "field_projects"),
    ("investment", "field_investment"),
    ("companies", "field_companies"),
    ("landing_rate", "field_landing_rate"),
    ("sources", "section_sources"),
];

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

fn place(r: &Ref, city: &Ref, lang: &str) -> String {
    if r.id == city.id { name(r, lang) } else { format!("{} · {}", name(r, lang), name(city, lang)) }
}

fn values(e: &Enclave, tx: &Texts, s: &mut Strings) -> Vec<Value> {
    let lang = tx.lang.as_str();
    let mut one = |text: Option<String>| text.map_or(Value::None, |t| Value::One(s.id(&t)));
    let num = |n: Option<Num>| n.map(|n| group_digits(n.0));
    let o = e.outcomes.clone().unwrap_or_default();
    let status = match e.status {
        Status::Active => "status_active",
        Status::Planned => "status_planned",
        Status::Closed => "status_closed",
    };
    let scalars = [
        Some(place(&e.home, &e.home_city, lang)),
        Some(place(&e.host, &e.host_city, lang)),
        e.kind.clone(),
        e.model.as_ref().map(|m| name(m, lang)),
    ];
    let mut v: Vec<Value> = scalars.into_iter().map(&mut one).collect();
    let ops: Vec<usize> = e
        .operators
        .iter()
        .map(|r| {
            let n = name(&r.operator, lang);
            let text = match &r.role {
                Some(role) => tx.t("operator_role", &[("name", &n), ("role", role)]),
                None => n,
            };
            s.id(&text)
        })
        .collect();
    v.push(if ops.is_empty() { Value::None } else { Value::Many(ops) });
    v.push(match &e.sectors {
        Some(list) => Value::Many(list.iter().map(|x| s.id(&name(x, lang))).collect()),
        None => Value::None,
    });
    let rest = [
        num(e.area_m2).map(|n| tx.t("unit_m2", &[("n", &n)])),
        num(e.land_mu).map(|n| tx.t("unit_mu", &[("n", &n)])),
        num(e.workstations),
        num(e.offices),
        e.opened.clone(),
        Some(tx.t(status, &[])),
        num(o.projects),
        o.investment_cny.map(|n| yuan(n.0, lang)),
        num(o.companies),
        o.landing_rate.map(|n| format!("{}%", group_digits((n.0 * 1000.0).round() / 10.0))),
    ];
    for text in rest {
        v.push(text.map_or(Value::None, |t| Value::One(s.id(&t))));
    }
    v.push(Value::Sources(
        e.sources
            .iter()
            .map(|src| {
                [Some(s.id(&src.title)), src.url.as_deref().map(|u| s.id(u)), src.date.as_deref().map(|d| s.id(d))]
            })
            .collect(),
    ));
    v
}

/// The script text: `window.FEIDI_COMPARE={...};`.
pub fn script(site: &Site, tx: &Texts) -> String {
    let mut strings = Strings::default();
    let mut entries = String::new();
    for (i, e) in site.enclaves.iter().enumerate() {
        if i > 0 {
            entries.push(',');
        }
        js_string(&e.slug, &mut entries);
        entries.push_str(":[");
        let name_id =
            strings.id(&name(&Ref { id: e.slug.clone(), name: e.name.clone(), name_en: e.name_en.clone() }, &tx.lang));
        entries.push_str(&name_id.to_string());
        for v in values(e, tx, &mut strings) {
            entries.push(',');
            write_value(&v, &mut entries);
        }
        entries.push(']');
    }
    let mut out = String::with_capacity(entries.len() + strings.list.iter().map(|s| s.len() + 3).sum::<usize>() + 256);
    out.push_str("window.FEIDI_COMPARE={\"f\":[\"name\"");
    for (f, _) in FIELDS {
        out.push(',');
        js_string(f, &mut out);
    }
    out.push_str("],\"s\":[");
    for (i, s) in strings.list.iter().enumerate() {
        if i > 0 {
            out.push(',');
        }
        js_string(s, &mut out);
    }
    out.push_str("],\"e\":{");
    out.push_str(&entries);
    out.push_str("}};\n");
    out
}
