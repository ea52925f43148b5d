//! The open data, described: `data/schema.json`, a JSON Schema (draft 2020-12) of
//! `data/enclaves.json` (its root) and `data/operators.json` (`#/$defs/operators`), and
//! `data/datapackage.json`, a Frictionless Data Package naming the three files, with a Table
//! Schema of the CSV's columns.
//!
//! Both are made from the [field table](crate::field_table), which the data files are written
//! from too (see [`super::data`]): a field added there is described here at once, and a test
//! checks the descriptions against the files. The format is versioned by [`FORMAT_VERSION`],
//! in both files as `format_version`: version 1 keeps these fields and their meaning, and a
//! change that could break a reader comes with a new version.

use serde_json::{Map, Value, json};

use super::data::csv_columns;
use crate::field_table::{FIELDS, Field, Kind, Section, Unit};
use crate::model::Site;

/// The version of the open-data format the schema and the data package describe.
pub const FORMAT_VERSION: u32 = 2;

/// The dialect of JSON Schema written.
const DRAFT: &str = "https://json-schema.org/draft/2020-12/schema";

/// A date as the content format writes it: `YYYY`, `YYYY-MM` or `YYYY-MM-DD`.
const DATE_PATTERN: &str = "^[0-9]{4}(-[0-9]{2}(-[0-9]{2})?)?$";

/// What a number of `unit` counts, for descriptions.
fn unit_text(unit: Unit) -> &'static str {
    match unit {
        Unit::SquareMetres => "square metres",
        Unit::Mu => "mu (亩; 1 mu = 666.67 m²)",
        Unit::Count => "a count",
        Unit::Yuan => "yuan (CNY)",
        Unit::Share => "a share between 0 and 1",
    }
}

/// A field's description: what it holds, how it is written and when it is missing.
fn description(f: &Field) -> String {
    let what = match f.kind {
        Kind::Place => "a place (`{id, name, name_en}` in JSON; id and name columns in the CSV)".to_string(),
        Kind::Term(vocab) => {
            format!("a term of the {vocab} vocabulary (`{{id, name, name_en}}`; id and name columns in the CSV)")
        }
        Kind::Terms(vocab) => format!("terms of the {vocab} vocabulary (names joined with `; ` in the CSV)"),
        Kind::Operators => "operators with their roles (names joined with `; ` in the CSV)".into(),
        Kind::Number(unit) => format!("a number: {}", unit_text(unit)),
        Kind::Date => "a date, `YYYY`, `YYYY-MM` or `YYYY-MM-DD`".into(),
        Kind::Text => "free text".into(),
        Kind::Texts => "free texts (joined with `; ` in the CSV)".into(),
        Kind::Status => "`active`, `planned` or `closed`".into(),
        Kind::Sources => "sources `{title, title_en, publisher, url, date}` (`publisher` only when given; titles joined with `; ` in the CSV)".into(),
    };
    let section = if f.section == Section::Outcomes { " Reported results sit under `outcomes` in JSON." } else { "" };
    format!("`{}`: {what}; empty (null) when the sources do not say.{section}", f.key)
}

fn reference() -> Value {
    json!({ "$ref": "#/$defs/ref" })
}

fn nullable(schema: Value) -> Value {
    json!({ "anyOf": [schema, { "type": "null" }] })
}

/// The JSON Schema of one field's value in `enclaves.json`.
fn json_type(f: &Field) -> Value {
    let mut s = match f.kind {
        Kind::Place => reference(),
        Kind::Term(_) => nullable(reference()),
        Kind::Terms(_) => json!({ "type": ["array", "null"], "items": reference() }),
        Kind::Operators => json!({ "type": "array", "items": {
            "type": "object",
            "properties": {
                "operator": reference(),
                "role": { "type": ["string", "null"] },
                "role_en": { "type": ["string", "null"] },
            },
            "required": ["operator", "role", "role_en"],
            "additionalProperties": false,
        }}),
        Kind::Number(unit) => {
            let mut n = json!({ "type": ["number", "null"], "minimum": 0 });
            if unit == Unit::Share {
                n["maximum"] = json!(1);
            }
            n
        }
        Kind::Date => json!({ "type": ["string", "null"], "pattern": DATE_PATTERN }),
        Kind::Text => json!({ "type": ["string", "null"] }),
        Kind::Texts => json!({ "type": "array", "items": { "type": "string" } }),
        Kind::Status => json!({ "enum": ["active", "planned", "closed"] }),
        Kind::Sources => json!({ "type": "array", "items": { "$ref": "#/$defs/source" }, "minItems": 1 }),
    };
    if let Value::Object(m) = &mut s {
        m.insert("description".into(), json!(description(f)));
    }
    s
}

/// An object schema with exactly `props`, all required.
fn closed_object(props: Map<String, Value>) -> Value {
    let required: Vec<&String> = props.keys().collect();
    json!({ "type": "object", "properties": props, "required": required, "additionalProperties": false })
}

/// The schema of one enclave record, over `fields`.
fn enclave_schema(fields: &[Field]) -> Value {
    let mut props = Map::new();
    props.insert("slug".into(), json!({ "type": "string", "pattern": "^[a-z0-9-]+$", "description": "The enclave's id: its file name and URL." }));
    props.insert("name".into(), json!({ "type": "string", "description": "Chinese name." }));
    props.insert("name_en".into(), json!({ "type": ["string", "null"], "description": "English name." }));
    let mut outcomes = Map::new();
    for f in fields {
        if f.section == Section::Outcomes {
            outcomes.insert(f.key.into(), json_type(f));
        } else {
            props.insert(f.key.into(), json_type(f));
        }
    }
    if !outcomes.is_empty() {
        let mut o = closed_object(outcomes);
        o["type"] = json!(["object", "null"]);
        o["description"] = json!("Reported results; null when the sources report none.");
        props.insert("outcomes".into(), o);
    }
    props.insert("extra".into(), json!({ "type": "object", "description": "The editor's free fields (`extra`)." }));
    props.insert("url".into(), json!({ "type": "string", "format": "uri", "description": "The enclave's page." }));
    closed_object(props)
}

/// The schema of one operator record (`data/operators.json`).
fn operator_schema() -> Value {
    let mut props = Map::new();
    let text = |d: &str| json!({ "type": "string", "description": d });
    props.insert(
        "slug".into(),
        json!({ "type": "string", "pattern": "^[a-z0-9-]+$", "description": "The operator's id." }),
    );
    props.insert("name".into(), text("Chinese name."));
    props.insert("name_en".into(), json!({ "type": ["string", "null"], "description": "English name." }));
    props.insert(
        "aliases".into(),
        json!({ "type": "array", "items": { "type": "string" }, "description": "Other names." }),
    );
    props.insert("kind".into(), json!({ "$ref": "#/$defs/ref", "description": "Kind of operator." }));
    props.insert("hq".into(), json!({ "anyOf": [reference(), { "type": "null" }], "description": "Headquarters." }));
    props.insert("website".into(), json!({ "type": ["string", "null"], "format": "uri", "description": "Web site." }));
    props.insert("sources".into(), json!({ "type": "array", "items": { "$ref": "#/$defs/source" } }));
    props.insert(
        "enclaves".into(),
        json!({ "type": "array", "description": "The enclaves naming it, with its role in each.", "items": {
            "type": "object",
            "properties": {
                "enclave": reference(),
                "role": { "type": ["string", "null"] },
                "role_en": { "type": ["string", "null"] },
            },
            "required": ["enclave", "role", "role_en"],
            "additionalProperties": false,
        }}),
    );
    props.insert("extra".into(), json!({ "type": "object", "description": "The editor's free fields (`extra`)." }));
    props.insert("url".into(), json!({ "type": "string", "format": "uri", "description": "The operator's page." }));
    closed_object(props)
}

/// `data/schema.json` for the given field table.
pub fn json_schema_with(site: &Site, fields: &[Field]) -> Value {
    json!({
        "$schema": DRAFT,
        "$id": format!("{}data/schema.json", site.config.base_url),
        "title": format!("{}: open data", site.config.title),
        "description": "The schema of data/enclaves.json (this schema's root: every enclave) and \
            data/operators.json (#/$defs/operators: every operator). References to places and terms \
            are {id, name, name_en}; what the sources do not report is null (or an empty list).",
        "format_version": FORMAT_VERSION,
        "type": "array",
        "items": { "$ref": "#/$defs/enclave" },
        "$defs": {
            "ref": {
                "type": "object",
                "properties": {
                    "id": { "type": "string" },
                    "name": { "type": "string" },
                    "name_en": { "type": ["string", "null"] },
                },
                "required": ["id", "name", "name_en"],
                "additionalProperties": false,
                "description": "A place, term or entry: its id, Chinese name and English name (null when it has none).",
            },
            "source": {
                "type": "object",
                "properties": {
                    "title": { "type": "string" },
                    "publisher": { "type": "string", "description": "Who published it; absent when not given." },
                    "title_en": { "type": ["string", "null"], "description": "The title in English." },
                    "url": { "type": ["string", "null"], "format": "uri" },
                    "date": { "type": ["string", "null"], "pattern": DATE_PATTERN },
                },
                "required": ["title", "title_en", "url", "date"],
                "additionalProperties": false,
                "description": "Where facts come from.",
            },
            "enclave": enclave_schema(fields),
            "operator": operator_schema(),
            "operators": { "type": "array", "items": { "$ref": "#/$defs/operator" } },
        },
    })
}

/// `data/schema.json`.
pub fn json_schema(site: &Site) -> String {
    pretty(&json_schema_with(site, FIELDS))
}

/// The Table Schema field of one CSV column of `f` (`col` is one of [`Field::csv_columns`]).
fn csv_field(f: &Field, col: &str) -> Value {
    let name_column = col != f.key;
    let mut field = match f.kind {
        Kind::Number(unit) => {
            let mut c = json!({ "minimum": 0 });
            if unit == Unit::Share {
                c["maximum"] = json!(1);
            }
            json!({ "type": "number", "constraints": c })
        }
        Kind::Date => json!({ "type": "string", "constraints": { "pattern": DATE_PATTERN } }),
        Kind::Status => {
            json!({ "type": "string", "constraints": { "required": true, "enum": ["active", "planned", "closed"] } })
        }
        Kind::Place => json!({ "type": "string", "constraints": { "required": true } }),
        _ => json!({ "type": "string" }),
    };
    field["name"] = json!(col);
    let what = if name_column { format!("The name of `{}`.", f.key) } else { description(f) };
    field["description"] = json!(what);
    field
}

/// The Table Schema fields of `data/enclaves.csv`, one per column of [`csv_columns`], in order.
fn csv_fields(fields: &[Field]) -> Vec<Value> {
    let mut out = vec![
        json!({ "name": "slug", "type": "string", "description": "The enclave's id: its file name and URL.",
                "constraints": { "required": true, "unique": true } }),
        json!({ "name": "name", "type": "string", "description": "Chinese name.", "constraints": { "required": true } }),
        json!({ "name": "name_en", "type": "string", "description": "English name." }),
    ];
    for f in fields {
        out.extend(f.csv_columns().iter().map(|col| csv_field(f, col)));
    }
    out.push(json!({ "name": "url", "type": "string", "format": "uri", "description": "The enclave's page.",
                     "constraints": { "required": true } }));
    out
}

/// `data/datapackage.json` for the given field table.
pub fn datapackage_with(site: &Site, fields: &[Field]) -> Value {
    let fields = csv_fields(fields);
    let mut package = json!({
        "profile": "data-package",
        "name": "feidi-enclaves",
        "title": site.config.title,
        "homepage": site.config.base_url,
        "format_version": FORMAT_VERSION,
        "resources": [
            {
                "name": "enclaves-csv",
                "path": "enclaves.csv",
                "profile": "tabular-data-resource",
                "title": "Enclaves (CSV)",
                "description": "One row per enclave. Lists are joined with `; `; a cell starting with `=`, `+`, `-` or `@` that is not a number is prefixed with `'`. The file starts with a UTF-8 byte order mark.",
                "format": "csv",
                "mediatype": "text/csv",
                "encoding": "utf-8",
                "dialect": { "delimiter": ",", "lineTerminator": "\r\n", "quoteChar": "\"", "doubleQuote": true, "header": true },
                "schema": { "fields": fields, "missingValues": [""], "primaryKey": ["slug"] },
            },
            {
                "name": "enclaves-json",
                "path": "enclaves.json",
                "profile": "data-resource",
                "title": "Enclaves (JSON)",
                "description": "Every enclave, with references as {id, name, name_en}.",
                "format": "json",
                "mediatype": "application/json",
                "encoding": "utf-8",
                "jsonSchema": "schema.json",
            },
            {
                "name": "operators-json",
                "path": "operators.json",
                "profile": "data-resource",
                "title": "Operators (JSON)",
                "description": "Every operator, with the enclaves naming it.",
                "format": "json",
                "mediatype": "application/json",
                "encoding": "utf-8",
                "jsonSchema": "schema.json#/$defs/operators",
            },
        ],
    });
    if let Some(d) = &site.config.description {
        package["description"] = json!(d);
    }
    if let Some(l) = &site.config.license {
        // Frictionless: `name` an identifier such as `CC-BY-4.0`, `path` the licence's text.
        let mut license = json!({ "name": l.name, "title": l.name });
        if let Some(u) = &l.url {
            license["path"] = json!(u);
        }
        package["licenses"] = json!([license]);
    }
    package
}

/// `data/datapackage.json`.
pub fn datapackage(site: &Site) -> String {
    pretty(&datapackage_with(site, FIELDS))
}

fn pretty(v: &Value) -> String {
    serde_json::to_string_pretty(v).unwrap_or_default() + "\n"
}

/// The CSV column names [`datapackage_with`] describes, for checking against [`csv_columns`].
pub fn described_columns(package: &Value) -> Vec<String> {
    package["resources"][0]["schema"]["fields"]
        .as_array()
        .map(|f| f.iter().filter_map(|x| x["name"].as_str().map(str::to_string)).collect())
        .unwrap_or_default()
}

/// True when the data package describes exactly the columns the CSV has, in order.
pub fn matches_csv(fields: &[Field], package: &Value) -> bool {
    described_columns(package) == csv_columns(fields)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::field_table::{Presence, Value as FieldValue};

    fn site() -> Site {
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/basic");
        let mut d = crate::diagnostics::Diagnostics::new();
        let sources = crate::load::load(&root, &mut d);
        crate::resolve::resolve(&sources, &Default::default(), &mut d).expect("the fixture resolves")
    }

    #[test]
    fn a_field_added_to_the_table_is_described_in_both() {
        let marker = Field {
            key: "test_marker",
            label: "field_kind",
            kind: Kind::Number(Unit::Share),
            section: Section::Facts,
            presence: Presence::WhenGiven,
            compare: false,
            get: |_| Some(FieldValue::Number(crate::model::Num(0.25))),
        };
        let mut fields = FIELDS.to_vec();
        fields.push(marker);
        let site = site();
        let schema = json_schema_with(&site, &fields);
        let prop = &schema["$defs"]["enclave"]["properties"]["test_marker"];
        assert_eq!(prop["maximum"], 1, "{schema:#}");
        assert!(schema["$defs"]["enclave"]["required"].as_array().unwrap().contains(&json!("test_marker")));
        let package = datapackage_with(&site, &fields);
        assert!(matches_csv(&fields, &package), "{:?}", described_columns(&package));
        assert!(!matches_csv(FIELDS, &package), "a package of another table does not match");
        let record = crate::index::data::enclave_record_with(&site, &site.enclaves[0], &fields);
        assert_eq!(record["test_marker"], 0.25);
    }

    #[test]
    fn every_field_of_the_table_is_described() {
        let site = site();
        let schema = json_schema_with(&site, FIELDS);
        let enclave = &schema["$defs"]["enclave"]["properties"];
        for f in FIELDS {
            let p = if f.section == Section::Outcomes {
                &enclave["outcomes"]["properties"][f.key]
            } else {
                &enclave[f.key]
            };
            assert!(p.is_object(), "`{}` is not in the schema", f.key);
        }
        assert!(matches_csv(FIELDS, &datapackage_with(&site, FIELDS)));
    }
}
