//! Open data: every enclave and operator as JSON and CSV, for researchers and other tools.

use serde_json::{Map, Value, json};

use crate::field_table::{self, FIELDS, Field, Kind, Section, has_outcomes};
use crate::model::{Enclave, Num, Operator, Ref, Site};
use crate::urls;

fn r(x: &Ref) -> Value {
    json!({ "id": x.id, "name": x.name, "name_en": x.name_en })
}

fn num(n: Option<Num>) -> Value {
    n.map_or(Value::Null, |n| serde_json::to_value(n).unwrap_or(Value::Null))
}

/// One enclave as an open-data record: the fields of the [field table](crate::field_table)
/// under their content-format names (reported results under `outcomes`), references as
/// `{id, name, name_en}`, plus `slug`, `name`, `name_en`, `extra` and `url`.
pub fn enclave_record(site: &Site, e: &Enclave) -> Value {
    enclave_record_with(site, e, FIELDS)
}

/// [`enclave_record`] over the given field table.
pub fn enclave_record_with(site: &Site, e: &Enclave, fields: &[Field]) -> Value {
    let mut m = Map::new();
    m.insert("slug".into(), json!(e.slug));
    m.insert("name".into(), json!(e.name));
    m.insert("name_en".into(), json!(e.name_en));
    let mut outcomes = Map::new();
    for f in fields {
        let v = json_value(f.kind, (f.get)(e));
        if f.section == Section::Outcomes {
            outcomes.insert(f.key.into(), v);
        } else {
            m.insert(f.key.into(), v);
        }
    }
    if !outcomes.is_empty() {
        m.insert("outcomes".into(), if has_outcomes(e) { Value::Object(outcomes) } else { Value::Null });
    }
    m.insert("extra".into(), e.extra.clone());
    m.insert("url".into(), json!(format!("{}{}", site.config.base_url, urls::enclave(&e.slug))));
    Value::Object(m)
}

/// A field's value in the JSON. Lists of operators and of texts are `[]` when empty, every other
/// field not given is `null`.
fn json_value(kind: Kind, v: Option<field_table::Value>) -> Value {
    use field_table::Value as V;
    match v {
        None => match kind {
            Kind::Operators | Kind::Texts => json!([]),
            _ => Value::Null,
        },
        Some(V::Place { place, .. }) => r(place),
        Some(V::Term(t)) => r(t),
        Some(V::Terms(list)) => Value::Array(list.iter().map(r).collect()),
        Some(V::Operators(list)) => Value::Array(
            list.iter().map(|o| json!({ "operator": r(&o.operator), "role": o.role, "role_en": o.role_en })).collect(),
        ),
        Some(V::Number(n)) => num(Some(n)),
        Some(V::Date(s) | V::Text(s)) => json!(s),
        Some(V::Texts(list)) => json!(list),
        Some(V::Status(s)) => json!(s),
        Some(V::Sources(list)) => json!(list),
    }
}

/// One operator as an open-data record.
pub fn operator_record(site: &Site, o: &Operator) -> Value {
    json!({
        "slug": o.slug,
        "name": o.name,
        "name_en": o.name_en,
        "aliases": o.aliases,
        "kind": r(&o.kind),
        "hq": o.hq.as_ref().map_or(Value::Null, r),
        "website": o.website,
        "sources": o.sources,
        "enclaves": o.enclaves.iter().map(|x| json!({ "enclave": r(&x.enclave), "role": x.role, "role_en": x.role_en })).collect::<Vec<_>>(),
        "extra": o.extra,
        "url": format!("{}{}", site.config.base_url, urls::operator(&o.slug)),
    })
}

/// `data/enclaves.json`.
pub fn enclaves_json(site: &Site) -> String {
    pretty_array(site.enclaves.iter().map(|e| enclave_record(site, e)))
}

/// `data/operators.json`.
pub fn operators_json(site: &Site) -> String {
    pretty_array(site.operators.iter().map(|o| operator_record(site, o)))
}

/// The records as one pretty-printed JSON array, as `serde_json::to_string_pretty` writes it,
/// made one record at a time: the records of a large directory as JSON values would take many
/// times the memory of the text.
fn pretty_array(records: impl Iterator<Item = Value>) -> String {
    let mut out = String::from("[");
    let mut empty = true;
    for r in records {
        out.push_str(if empty { "\n" } else { ",\n" });
        empty = false;
        // JSON escapes line breaks inside strings, so every line break here is layout.
        let text = serde_json::to_string_pretty(&r).unwrap_or_else(|_| "null".into());
        for (i, line) in text.split('\n').enumerate() {
            if i > 0 {
                out.push('\n');
            }
            out.push_str("  ");
            out.push_str(line);
        }
    }
    out.push_str(if empty { "]\n" } else { "\n]\n" });
    out
}

/// The CSV columns, in order: the enclave's id and names, the columns of every field of the
/// field table, and its URL.
pub fn csv_columns(fields: &[Field]) -> Vec<String> {
    let mut cols: Vec<String> = ["slug", "name", "name_en"].iter().map(|s| s.to_string()).collect();
    cols.extend(fields.iter().flat_map(Field::csv_columns));
    cols.push("url".into());
    cols
}

/// A field's CSV cells (one per [`Field::csv_columns`]): references as id and name, lists joined
/// with `; `, numbers as written, empty when not given.
fn csv_cells(kind: Kind, v: Option<field_table::Value>) -> Vec<String> {
    use field_table::Value as V;
    let join = |it: &mut dyn Iterator<Item = &str>| it.collect::<Vec<_>>().join("; ");
    match v {
        None => match kind {
            Kind::Place | Kind::Term(_) => vec![String::new(), String::new()],
            _ => vec![String::new()],
        },
        Some(V::Place { place: t, .. } | V::Term(t)) => vec![t.id.clone(), t.name.clone()],
        Some(V::Terms(list)) => vec![join(&mut list.iter().map(|x| x.name.as_str()))],
        Some(V::Operators(list)) => vec![join(&mut list.iter().map(|x| x.operator.name.as_str()))],
        Some(V::Number(n)) => vec![serde_json::to_value(n).map(|j| j.to_string()).unwrap_or_default()],
        Some(V::Date(s) | V::Text(s)) => vec![s.to_string()],
        Some(V::Texts(list)) => vec![list.join("; ")],
        Some(V::Status(s)) => {
            vec![serde_json::to_value(s).ok().and_then(|v| v.as_str().map(str::to_string)).unwrap_or_default()]
        }
        Some(V::Sources(list)) => vec![join(&mut list.iter().map(|x| x.title.as_str()))],
    }
}

/// Quotes one CSV field (RFC 4180). A leading `=`, `+`, `-` or `@` is prefixed with `'` so that a
/// spreadsheet never runs an editor's text as a formula.
pub fn csv_field(s: &str) -> String {
    let s =
        if s.starts_with(['=', '+', '-', '@']) && s.parse::<f64>().is_err() { format!("'{s}") } else { s.to_string() };
    if s.contains([',', '"', '\n', '\r']) { format!("\"{}\"", s.replace('"', "\"\"")) } else { s }
}

/// `data/enclaves.csv`: one row per enclave; lists joined with `; `. Starts with a UTF-8 byte
/// order mark so that spreadsheet programs read the Chinese text correctly.
pub fn enclaves_csv(site: &Site) -> String {
    enclaves_csv_with(site, FIELDS)
}

/// [`enclaves_csv`] over the given field table.
pub fn enclaves_csv_with(site: &Site, fields: &[Field]) -> String {
    let mut out = String::from("\u{feff}");
    out.push_str(&csv_columns(fields).join(","));
    out.push_str("\r\n");
    for e in &site.enclaves {
        let mut cells: Vec<String> = vec![e.slug.clone(), e.name.clone(), e.name_en.clone().unwrap_or_default()];
        for f in fields {
            cells.extend(csv_cells(f.kind, (f.get)(e)));
        }
        cells.push(format!("{}{}", site.config.base_url, urls::enclave(&e.slug)));
        out.push_str(&cells.iter().map(|f| csv_field(f)).collect::<Vec<_>>().join(","));
        out.push_str("\r\n");
    }
    out
}

#[cfg(test)]
mod tests {
    use super::{csv_field, pretty_array};

    #[test]
    fn csv_quotes_and_defuses_formulas() {
        assert_eq!(csv_field("a,b"), "\"a,b\"");
        assert_eq!(csv_field("say \"hi\""), "\"say \"\"hi\"\"\"");
        assert_eq!(csv_field("=HYPERLINK(1)"), "'=HYPERLINK(1)");
        assert_eq!(csv_field("-5"), "-5");
    }

    #[test]
    fn records_are_written_as_serde_json_writes_the_whole_array() {
        let records = [
            serde_json::json!({"slug": "a", "names": ["无锡", "line\nbreak"], "empty": [], "none": {}, "n": 1.5}),
            serde_json::json!({"slug": "b", "nested": {"x": [1, {"y": null}]}}),
        ];
        for n in 0..=records.len() {
            let want = serde_json::to_string_pretty(&records[..n]).unwrap() + "\n";
            assert_eq!(pretty_array(records[..n].iter().cloned()), want, "{n} records");
        }
    }
}
