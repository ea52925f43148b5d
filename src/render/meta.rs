//! What a page says about itself to search engines and link previews: the meta description and
//! Open Graph tags of every page ([`PageMeta`], in the frame as `meta`), and schema.org JSON-LD
//! on enclave and operator pages ([`enclave_json_ld`], [`operator_json_ld`], in their views as
//! `json_ld`).
//!
//! Everything comes from the content: a description is the first sentence of the entry's
//! description (its first paragraph as plain text), cut to [`DESCRIPTION_CHARS`]; templates
//! escape it like any text. JSON-LD is written by [`crate::escape::script_json`], which writes
//! `<`, `>` and `&` as `\u003c`, `\u003e` and `\u0026`, so no name or description can close the
//! `<script>` element it sits in; it is still JSON, and means the same to a reader.

use serde::Serialize;
use serde_json::{Map, Value, json};

use super::views::View;
use super::{Job, Renderer, Subject};
use crate::model::{Enclave, EnclaveRole, Operator, Site, Source};
use crate::urls;

/// The longest description, in characters: what search engines show of one.
pub const DESCRIPTION_CHARS: usize = 160;

/// The meta and Open Graph tags of one page.
#[derive(Debug, Serialize)]
pub struct PageMeta {
    /// `og:title`: the page's own title, in the interface language, without the site's name.
    pub title: String,
    /// `<meta name="description">` and `og:description`.
    pub description: String,
    /// `og:type`: `article` for an enclave, an operator or a free page, else `website`.
    pub og_type: &'static str,
    /// `og:url`: the page's absolute address (from `base_url`); none on the 404 page, which is
    /// served at any address.
    pub url: Option<String>,
    /// `og:site_name`, in the interface language.
    pub site_name: String,
    /// `og:locale`: the interface language as `language_TERRITORY` (`zh_CN`, `en_US`).
    pub locale: String,
}

/// `og:locale` for an interface language: `zh-CN` → `zh_CN`; a bare `en` or `zh` gets the
/// territory Open Graph expects (`en_US`, `zh_CN`).
pub fn og_locale(lang: &str) -> String {
    match lang {
        "en" => "en_US".into(),
        "zh" => "zh_CN".into(),
        other => other.replace('-', "_"),
    }
}

/// Closing quotes and brackets that belong to the sentence they follow (`……。”`).
const CLOSERS: &[char] = &['”', '’', '」', '』', '）', ')', '"', '\'', '》'];

/// The first sentence of `text` (white space folded), cut to `max` characters with `…`. A
/// sentence ends at `。`, `！` or `？`, or at `.`, `!` or `?` before a space or the end, with the
/// closing quotes that follow.
pub fn first_sentence(text: &str, max: usize) -> String {
    let text = text.split_whitespace().collect::<Vec<_>>().join(" ");
    let chars: Vec<char> = text.chars().collect();
    let mut end = chars.len();
    for (i, &c) in chars.iter().enumerate() {
        let mut after = i + 1;
        while chars.get(after).is_some_and(|c| CLOSERS.contains(c)) {
            after += 1;
        }
        let ends = match c {
            '。' | '！' | '？' => true,
            '.' | '!' | '?' => chars.get(after).is_none_or(|n| n.is_whitespace()),
            _ => false,
        };
        if ends {
            end = after;
            break;
        }
    }
    if end > max {
        let cut: String = chars[..max].iter().collect();
        format!("{}…", cut.trim_end())
    } else {
        chars[..end].iter().collect()
    }
}

/// The description of an enclave: the first sentence of its description (`summary`, the first
/// paragraph as plain text), else its names.
pub fn enclave_description(e: &Enclave, summary: &str) -> String {
    match first_sentence(summary, DESCRIPTION_CHARS) {
        s if !s.is_empty() => s,
        _ => match &e.name_en {
            Some(en) => format!("{} ({en})", e.name),
            None => e.name.clone(),
        },
    }
}

/// The description of an operator: the first sentence of its description, else its name.
pub fn operator_description(o: &Operator, summary: &str) -> String {
    match first_sentence(summary, DESCRIPTION_CHARS) {
        s if !s.is_empty() => s,
        _ => o.name.clone(),
    }
}

/// The meta tags of the page `job`, whose own view is `view`, at `canonical`.
pub(super) fn page(r: &Renderer, job: &Job, view: &View, canonical: &str) -> PageMeta {
    let site = r.site;
    let lang = r.lang;
    let tx = &r.texts;
    let site_name = match (&site.config.title_en, lang) {
        (Some(en), "en") => en.clone(),
        _ => site.config.title.clone(),
    };
    let site_description = || {
        site.config
            .description
            .as_deref()
            .map(|d| if lang == "en" { site.config.description_en.as_deref().unwrap_or(d) } else { d })
            .map(|d| first_sentence(d, DESCRIPTION_CHARS))
            .filter(|d| !d.is_empty())
            .unwrap_or_else(|| site_name.clone())
    };
    let named = |name: &str, name_en: Option<&str>| match (name_en, lang) {
        (Some(en), "en") => en.to_string(),
        _ => name.to_string(),
    };
    let (title, description, og_type) = match (&job.subject, view) {
        (Subject::Home, _) => (site_name.clone(), site_description(), "website"),
        (Subject::Enclave(e), View::Enclave(v)) => {
            (named(&e.name, e.name_en.as_deref()), enclave_description(e, &v.summary), "article")
        }
        (Subject::Operator(o), View::Operator(v)) => {
            (named(&o.name, o.name_en.as_deref()), operator_description(o, &v.summary), "article")
        }
        (Subject::Place(p), _) => {
            let name = named(&p.name, p.name_en.as_deref());
            let (sends, hosts) = (p.sends.len().to_string(), p.hosts.len().to_string());
            let text = tx.t("place_meta", &[("place", &name), ("sends", &sends), ("hosts", &hosts)]);
            (name, first_sentence(&text, DESCRIPTION_CHARS), "website")
        }
        (Subject::Term(_, t), _) => {
            let text = t.description.as_deref().map(|d| {
                first_sentence(crate::model::localize(d, t.description_en.as_deref(), lang).text, DESCRIPTION_CHARS)
            });
            (named(&t.name, t.name_en.as_deref()), text.filter(|d| !d.is_empty()).unwrap_or(t.name.clone()), "website")
        }
        (Subject::Page(p), _) => {
            let title = named(&p.title, p.title_en.as_deref());
            let body = crate::model::localize(&p.body, p.body_en.as_deref(), lang).text;
            let text = first_sentence(&crate::markdown::summary(body, DESCRIPTION_CHARS), DESCRIPTION_CHARS);
            let description = if text.is_empty() { title.clone() } else { text };
            (title, description, "article")
        }
        (subject, _) => {
            let key = match subject {
                Subject::EnclaveList => "enclaves_title".to_string(),
                Subject::OperatorList => "operators_title".into(),
                Subject::PlaceList => "places_title".into(),
                Subject::TermList(kind, _) => format!("{kind}_title"),
                Subject::Compare => "compare_title".into(),
                _ => "not_found_title".into(),
            };
            (tx.t(&key, &[]), site_description(), "website")
        }
    };
    let title = match &job.paging {
        Some(p) if p.current > 1 => format!("{title} · {}", tx.t("pager_page", &[("n", &p.current.to_string())])),
        _ => title,
    };
    let url = (!matches!(job.subject, Subject::NotFound)).then(|| canonical.to_string());
    PageMeta { title, description, og_type, url, site_name, locale: og_locale(lang) }
}

/// A source as a schema.org `CreativeWork`.
fn source(s: &Source) -> Value {
    let mut m = Map::new();
    m.insert("@type".into(), json!("CreativeWork"));
    m.insert("name".into(), json!(s.title));
    if let Some(p) = &s.publisher {
        m.insert("publisher".into(), json!({ "@type": "Organization", "name": p }));
    }
    if let Some(u) = &s.url {
        m.insert("url".into(), json!(u));
    }
    if let Some(d) = &s.date {
        m.insert("datePublished".into(), json!(d));
    }
    Value::Object(m)
}

/// Inserts `value` under `key` unless it is null or an empty list.
fn put(m: &mut Map<String, Value>, key: &str, value: Value) {
    let empty = value.is_null() || value.as_array().is_some_and(Vec::is_empty);
    if !empty {
        m.insert(key.into(), value);
    }
}

/// The JSON-LD of an enclave's page: a schema.org `Organization` with its names, description,
/// page, address, location (the host place, with its coordinates when the place has them, inside
/// its city and province), founding date, founder (the sponsor), operators as
/// `parentOrganization` (with their pages), sectors as `knowsAbout` and sources as `subjectOf`;
/// names in `lang` where the content gives them (the other name as `alternateName`), links to
/// the pages in `lang`. Script-safe: see the module docs.
pub fn enclave_json_ld(site: &Site, e: &Enclave, description: &str, lang: &str) -> String {
    // The page's own language: its names, and links to the pages in that language.
    let english = !lang.starts_with("zh");
    let name = |r: &crate::model::Ref| -> String {
        match (&r.name_en, english) {
            (Some(en), true) => en.clone(),
            _ => r.name.clone(),
        }
    };
    let base = &format!("{}{}", site.config.base_url, urls::lang_prefix(&site.config, lang));
    let url = format!("{base}{}", urls::enclave(&e.slug));
    let place_url = |id: &str| site.place(id).filter(|p| p.has_page).map(|p| format!("{base}{}", urls::place(&p.id)));
    let mut address = Map::new();
    address.insert("@type".into(), json!("PostalAddress"));
    put(&mut address, "streetAddress", json!(e.address));
    address.insert("addressLocality".into(), json!(name(&e.host_city)));
    if e.host_province.id != e.host_city.id {
        address.insert("addressRegion".into(), json!(name(&e.host_province)));
    }
    address.insert("addressCountry".into(), json!("CN"));
    let mut location = Map::new();
    location.insert("@type".into(), json!("Place"));
    location.insert("name".into(), json!(name(&e.host)));
    put(&mut location, "url", json!(place_url(&e.host.id)));
    location.insert("address".into(), Value::Object(address.clone()));
    if let Some(p) = site.place(&e.host.id)
        && let (Some(lat), Some(lon)) = (p.lat, p.lon)
    {
        location.insert("geo".into(), json!({ "@type": "GeoCoordinates", "latitude": lat, "longitude": lon }));
    }
    if e.host.id != e.host_city.id {
        let mut city = Map::new();
        city.insert("@type".into(), json!("City"));
        city.insert("name".into(), json!(name(&e.host_city)));
        put(&mut city, "url", json!(place_url(&e.host_city.id)));
        location.insert("containedInPlace".into(), Value::Object(city));
    }
    let operators: Vec<Value> = e
        .operators
        .iter()
        .map(|o| {
            let mut m = Map::new();
            m.insert("@type".into(), json!("Organization"));
            m.insert("name".into(), json!(name(&o.operator)));
            let other = if english && o.operator.name_en.is_some() {
                Some(&o.operator.name)
            } else {
                o.operator.name_en.as_ref()
            };
            put(&mut m, "alternateName", json!(other));
            if site.operator(&o.operator.id).is_some() {
                m.insert("url".into(), json!(format!("{base}{}", urls::operator(&o.operator.id))));
            }
            Value::Object(m)
        })
        .collect();
    let mut m = Map::new();
    m.insert("@context".into(), json!("https://schema.org"));
    m.insert("@type".into(), json!("Organization"));
    m.insert("@id".into(), json!(format!("{url}#enclave")));
    let (own, other) = match (&e.name_en, english) {
        (Some(en), true) => (en, Some(&e.name)),
        _ => (&e.name, e.name_en.as_ref()),
    };
    m.insert("name".into(), json!(own));
    put(&mut m, "alternateName", json!(other));
    put(&mut m, "description", json!(description));
    m.insert("url".into(), json!(url));
    m.insert("address".into(), Value::Object(address));
    m.insert("location".into(), Value::Object(location));
    put(&mut m, "foundingDate", json!(e.opened));
    if let Some(s) = &e.sponsor {
        m.insert("founder".into(), json!({ "@type": "Organization", "name": s }));
    }
    put(&mut m, "parentOrganization", Value::Array(operators));
    let sectors: Vec<String> = e.sectors.iter().flatten().map(name).collect();
    put(&mut m, "knowsAbout", json!(sectors));
    put(&mut m, "subjectOf", Value::Array(e.sources.iter().map(source).collect()));
    crate::escape::script_json(&Value::Object(m))
}

/// The JSON-LD of an operator's page: a schema.org `Organization` with its names, description,
/// page, web site (`sameAs`), headquarters (`location`), `enclaves` (those its page lists, so
/// that the page does not grow with the directory) as `subOrganization` with their pages, and
/// sources as `subjectOf`. Script-safe.
pub fn operator_json_ld(site: &Site, o: &Operator, enclaves: &[EnclaveRole], description: &str) -> String {
    let base = &site.config.base_url;
    let url = format!("{base}{}", urls::operator(&o.slug));
    let mut m = Map::new();
    m.insert("@context".into(), json!("https://schema.org"));
    m.insert("@type".into(), json!("Organization"));
    m.insert("@id".into(), json!(format!("{url}#organization")));
    m.insert("name".into(), json!(o.name));
    let alternate: Vec<&str> = o.name_en.iter().chain(&o.aliases).map(String::as_str).collect();
    put(&mut m, "alternateName", json!(alternate));
    put(&mut m, "description", json!(description));
    m.insert("url".into(), json!(url));
    put(&mut m, "sameAs", json!(o.website));
    if let Some(hq) = &o.hq {
        let mut place = Map::new();
        place.insert("@type".into(), json!("Place"));
        place.insert("name".into(), json!(hq.name));
        if site.place(&hq.id).is_some_and(|p| p.has_page) {
            place.insert("url".into(), json!(format!("{base}{}", urls::place(&hq.id))));
        }
        m.insert("location".into(), Value::Object(place));
    }
    let enclaves: Vec<Value> = enclaves
        .iter()
        .map(|x| {
            let mut e = Map::new();
            e.insert("@type".into(), json!("Organization"));
            e.insert("@id".into(), json!(format!("{base}{}#enclave", urls::enclave(&x.enclave.id))));
            e.insert("name".into(), json!(x.enclave.name));
            e.insert("url".into(), json!(format!("{base}{}", urls::enclave(&x.enclave.id))));
            Value::Object(e)
        })
        .collect();
    put(&mut m, "subOrganization", Value::Array(enclaves));
    put(&mut m, "subjectOf", Value::Array(o.sources.iter().map(source).collect()));
    crate::escape::script_json(&Value::Object(m))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_first_sentence_ends_at_chinese_or_latin_stops() {
        assert_eq!(first_sentence("阿尔法中心的描述。见贝塔。", 160), "阿尔法中心的描述。");
        assert_eq!(first_sentence("他说：“好！”然后走了。", 160), "他说：“好！”");
        assert_eq!(first_sentence("Version 2.5 opened. Then more.", 160), "Version 2.5 opened.");
        assert_eq!(first_sentence("  no\n stop  at all ", 160), "no stop at all");
        assert_eq!(first_sentence("一二三四五六。", 3), "一二三…");
        assert_eq!(first_sentence("", 3), "");
    }

    #[test]
    fn locales_have_a_territory() {
        assert_eq!(og_locale("zh-CN"), "zh_CN");
        assert_eq!(og_locale("en"), "en_US");
    }
}
