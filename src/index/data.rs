//! Open data: every enclave and operator as JSON and CSV, for researchers and other tools.

use serde_json::{Map, Value, json};

use crate::model::{Enclave, Num, Operator, Ref, Site};
use crate::urls;

fn r(x: &Ref) -> Value {
    json!({ "id": x.id, "name": x.name })
}

fn num(n: Option<Num>) -> Value {
    n.map_or(Value::Null, |n| serde_json::to_value(n).unwrap_or(Value::Null))
}

/// One enclave as an open-data record: the content fields under their content-format names,
/// references as `{id, name}`, plus `slug` and `url`.
pub fn enclave_record(site: &Site, e: &Enclave) -> Value {
    let mut m = Map::new();
    m.insert("slug".into(), json!(e.slug));
    m.insert("name".into(), json!(e.name));
    m.insert("name_en".into(), json!(e.name_en));
    m.insert("home".into(), r(&e.home));
    m.insert("sponsor".into(), json!(e.sponsor));
    m.insert("host".into(), r(&e.host));
    m.insert("address".into(), json!(e.address));
    m.insert("kind".into(), json!(e.kind));
    m.insert("model".into(), e.model.as_ref().map_or(Value::Null, r));
    m.insert(
        "operators".into(),
        Value::Array(e.operators.iter().map(|o| json!({ "operator": r(&o.operator), "role": o.role })).collect()),
    );
    m.insert("sectors".into(), e.sectors.as_ref().map_or(Value::Null, |s| Value::Array(s.iter().map(r).collect())));
    m.insert("area_m2".into(), num(e.area_m2));
    m.insert("land_mu".into(), num(e.land_mu));
    m.insert("workstations".into(), num(e.workstations));
    m.insert("offices".into(), num(e.offices));
    m.insert("opened".into(), json!(e.opened));
    m.insert("status".into(), json!(e.status));
    m.insert(
        "outcomes".into(),
        e.outcomes.as_ref().map_or(Value::Null, |o| {
            json!({ "projects": num(o.projects), "investment_cny": num(o.investment_cny), "companies": num(o.companies), "landing_rate": num(o.landing_rate) })
        }),
    );
    m.insert("notable_companies".into(), json!(e.notable_companies));
    m.insert("partners".into(), json!(e.partners));
    m.insert("sources".into(), json!(e.sources));
    m.insert("updated".into(), json!(e.updated));
    m.insert("extra".into(), e.extra.clone());
    m.insert("url".into(), json!(format!("{}{}", site.config.base_url, urls::enclave(&e.slug))));
    Value::Object(m)
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
        "enclaves": o.enclaves.iter().map(|x| json!({ "enclave": r(&x.enclave), "role": x.role })).collect::<Vec<_>>(),
        "extra": o.extra,
        "url": format!("{}{}", site.config.base_url, urls::operator(&o.slug)),
    })
}

/// `data/enclaves.json`.
pub fn enclaves_json(site: &Site) -> String {
    let v: Vec<Value> = site.enclaves.iter().map(|e| enclave_record(site, e)).collect();
    serde_json::to_string_pretty(&v).unwrap_or_else(|_| "[]".into()) + "\n"
}

/// `data/operators.json`.
pub fn operators_json(site: &Site) -> String {
    let v: Vec<Value> = site.operators.iter().map(|o| operator_record(site, o)).collect();
    serde_json::to_string_pretty(&v).unwrap_or_else(|_| "[]".into()) + "\n"
}

/// The CSV columns, in order.
pub const CSV_COLUMNS: &[&str] = &[
    "slug",
    "name",
    "name_en",
    "home",
    "home_name",
    "sponsor",
    "host",
    "host_name",
    "address",
    "kind",
    "model",
    "model_name",
    "operators",
    "sectors",
    "area_m2",
    "land_mu",
    "workstations",
    "offices",
    "opened",
    "status",
    "projects",
    "investment_cny",
    "companies",
    "landing_rate",
    "notable_companies",
    "partners",
    "sources",
    "updated",
    "url",
];

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
    let n = |x: Option<Num>| {
        x.map(|v| serde_json::to_value(v).map(|j| j.to_string()).unwrap_or_default()).unwrap_or_default()
    };
    let mut out = String::from("\u{feff}");
    out.push_str(&CSV_COLUMNS.join(","));
    out.push_str("\r\n");
    for e in &site.enclaves {
        let o = e.outcomes.clone().unwrap_or_default();
        let fields: Vec<String> = vec![
            e.slug.clone(),
            e.name.clone(),
            e.name_en.clone().unwrap_or_default(),
            e.home.id.clone(),
            e.home.name.clone(),
            e.sponsor.clone().unwrap_or_default(),
            e.host.id.clone(),
            e.host.name.clone(),
            e.address.clone().unwrap_or_default(),
            e.kind.clone().unwrap_or_default(),
            e.model.as_ref().map(|m| m.id.clone()).unwrap_or_default(),
            e.model.as_ref().map(|m| m.name.clone()).unwrap_or_default(),
            e.operators.iter().map(|x| x.operator.name.clone()).collect::<Vec<_>>().join("; "),
            e.sectors.iter().flatten().map(|x| x.name.clone()).collect::<Vec<_>>().join("; "),
            n(e.area_m2),
            n(e.land_mu),
            n(e.workstations),
            n(e.offices),
            e.opened.clone().unwrap_or_default(),
            serde_json::to_value(e.status).ok().and_then(|v| v.as_str().map(str::to_string)).unwrap_or_default(),
            n(o.projects),
            n(o.investment_cny),
            n(o.companies),
            n(o.landing_rate),
            e.notable_companies.join("; "),
            e.partners.join("; "),
            e.sources.iter().map(|s| s.title.clone()).collect::<Vec<_>>().join("; "),
            e.updated.clone().unwrap_or_default(),
            format!("{}{}", site.config.base_url, urls::enclave(&e.slug)),
        ];
        out.push_str(&fields.iter().map(|f| csv_field(f)).collect::<Vec<_>>().join(","));
        out.push_str("\r\n");
    }
    out
}

#[cfg(test)]
mod tests {
    use super::csv_field;

    #[test]
    fn csv_quotes_and_defuses_formulas() {
        assert_eq!(csv_field("a,b"), "\"a,b\"");
        assert_eq!(csv_field("say \"hi\""), "\"say \"\"hi\"\"\"");
        assert_eq!(csv_field("=HYPERLINK(1)"), "'=HYPERLINK(1)");
        assert_eq!(csv_field("-5"), "-5");
    }
}
