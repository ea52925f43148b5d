//! Entry files: enclaves, operators, free pages, and `site.yaml`.

use super::fields::{Fields, Gaps, Located, NOT_REPORTED};
use crate::diagnostics::{Diagnostic, Diagnostics};
use crate::load::{Doc, Seg};
use crate::model::{Num, Outcomes, Page, SiteConfig, Source, Status};

/// An enclave as read, with references still as written.
#[derive(Debug, Clone)]
pub struct RawEnclave<'a> {
    /// The file.
    pub doc: &'a Doc,
    /// Chinese name.
    pub name: String,
    /// English name.
    pub name_en: Option<String>,
    /// Home place reference.
    pub home: Located,
    /// Sponsor text.
    pub sponsor: Option<String>,
    /// Sponsor in English.
    pub sponsor_en: Option<String>,
    /// Host place reference.
    pub host: Located,
    /// Address.
    pub address: Option<String>,
    /// Address in English.
    pub address_en: Option<String>,
    /// Kind text.
    pub kind: Option<String>,
    /// Kind in English.
    pub kind_en: Option<String>,
    /// Model reference.
    pub model: Option<Located>,
    /// Operator references with roles (Chinese, English).
    pub operators: Vec<(Located, Option<String>, Option<String>)>,
    /// Sector references; `None` when not reported.
    pub sectors: Option<Vec<Located>>,
    /// Floor area.
    pub area_m2: Option<Num>,
    /// Land area.
    pub land_mu: Option<Num>,
    /// Workstations.
    pub workstations: Option<Num>,
    /// Offices.
    pub offices: Option<Num>,
    /// Opening date.
    pub opened: Option<String>,
    /// Status.
    pub status: Status,
    /// Outcomes.
    pub outcomes: Option<Outcomes>,
    /// Notable companies.
    pub notable_companies: Vec<String>,
    /// Their English names.
    pub notable_companies_en: Vec<String>,
    /// Partners.
    pub partners: Vec<String>,
    /// Their English names.
    pub partners_en: Vec<String>,
    /// Sources.
    pub sources: Vec<Source>,
    /// Last update.
    pub updated: Option<String>,
    /// Free map.
    pub extra: serde_json::Value,
    /// Fields no source gives, acknowledged by the editor (`not_reported`).
    pub gaps: Gaps,
}

/// Every field an enclave may have.
pub const ENCLAVE_KEYS: &[&str] = &[
    "name",
    "name_en",
    "home",
    "sponsor",
    "sponsor_en",
    "host",
    "address",
    "address_en",
    "kind",
    "kind_en",
    "model",
    "operators",
    "sectors",
    "area_m2",
    "land_mu",
    "workstations",
    "offices",
    "opened",
    "status",
    "outcomes",
    "notable_companies",
    "notable_companies_en",
    "partners",
    "partners_en",
    "sources",
    "updated",
    "extra",
    NOT_REPORTED,
];
/// The fields an enclave's `not_reported` may name: every optional fact (the results under
/// `outcomes` one by one or all together).
pub const ENCLAVE_GAPS: &[&str] = &[
    "sponsor",
    "address",
    "kind",
    "model",
    "operators",
    "sectors",
    "area_m2",
    "land_mu",
    "workstations",
    "offices",
    "opened",
    "outcomes",
    "projects",
    "investment_cny",
    "companies",
    "landing_rate",
    "notable_companies",
    "partners",
];
/// Every field an operator may have.
pub const OPERATOR_KEYS: &[&str] =
    &["name", "name_en", "aliases", "kind", "hq", "website", "sources", "extra", NOT_REPORTED];
/// The fields an operator's `not_reported` may name; `enclaves`: no source names an enclave it
/// runs or partners, so no enclave file names it.
pub const OPERATOR_GAPS: &[&str] = &["enclaves", "hq", "website"];
/// Every field a free page may have.
pub const PAGE_KEYS: &[&str] = &["title", "title_en", "weight"];
/// Every field `site.yaml` may have.
pub const SITE_KEYS: &[&str] = &[
    "title",
    "title_en",
    "description",
    "description_en",
    "base_url",
    "language",
    "languages",
    "page_size",
    "license",
    "extra",
];
const LICENSE_KEYS: &[&str] = &["name", "url"];
const OUTCOME_KEYS: &[&str] = &["projects", "investment_cny", "companies", "landing_rate"];
const OPERATOR_ROLE_KEYS: &[&str] = &["operator", "role", "role_en"];

/// Reads one enclave file; `None` when a required field is missing or malformed.
pub fn read_enclave<'a>(doc: &'a Doc, diags: &mut Diagnostics) -> Option<RawEnclave<'a>> {
    let yaml = doc.yaml();
    let f = Fields::new(doc, &yaml, Vec::new(), ENCLAVE_KEYS, "enclave", diags);
    let name = f.text("name", true, diags);
    let home = f.reference("home", true, diags);
    let host = f.reference("host", true, diags);
    let sectors = f.text_list("sectors", diags);
    if let Some(list) = &sectors
        && list.is_empty()
    {
        diags.push(
                doc.error_at(&f.path_of("sectors"), "`sectors` is an empty list")
                    .with_help("list at least one sector, or leave the field out if the source does not say (the site then shows \"not reported\")"),
            );
    }
    let status = match f.text("status", false, diags).as_deref() {
        None | Some("active") => Status::Active,
        Some("planned") => Status::Planned,
        Some("closed") => Status::Closed,
        Some(other) => {
            diags.push(
                doc.error_at(&f.path_of("status"), format!("unknown status `{other}`"))
                    .with_help("use `active`, `planned` or `closed`"),
            );
            Status::Active
        }
    };
    let mut operators = Vec::new();
    for (v, p) in f.map_list("operators", diags).unwrap_or_default() {
        // `- 招商蛇口` (a bare reference) is accepted as an operator without a role.
        if let serde_yaml::Value::String(s) = v {
            if !f.placeholder(&p, "operator", v, diags) {
                operators.push((Located { text: s.trim().to_string(), path: p }, None, None));
            }
            continue;
        }
        let o = Fields::new(doc, v, p, OPERATOR_ROLE_KEYS, "operator entry", diags);
        if !o.ok() {
            continue;
        }
        let op = o.reference("operator", true, diags);
        let role = o.text("role", false, diags);
        let role_en = o.text("role_en", false, diags);
        o.finish(diags);
        if let Some(op) = op {
            operators.push((op, role, role_en));
        }
    }
    let outcomes = f.raw("outcomes").and_then(|v| {
        let o = Fields::new(doc, v, f.path_of("outcomes"), OUTCOME_KEYS, "outcomes map", diags);
        if !o.ok() {
            return None;
        }
        let rate = o.number("landing_rate", diags);
        if let Some(r) = rate
            && r.0 > 1.0
        {
            diags.push(
                doc.error_at(
                    &o.path_of("landing_rate"),
                    format!("`landing_rate` must be between 0 and 1, found {}", r.0),
                )
                .with_help(format!("write a share, e.g. `landing_rate: {}` for {}%", r.0 / 100.0, r.0)),
            );
        }
        let out = Outcomes {
            projects: o.number("projects", diags),
            investment_cny: o.number("investment_cny", diags),
            companies: o.number("companies", diags),
            landing_rate: rate.filter(|r| r.0 <= 1.0),
        };
        o.finish(diags);
        Some(out)
    });
    let sources = f.sources("sources", diags);
    match &sources {
        None if f.raw("sources").is_none() => {
            diags.push(missing_at_top(doc, "sources", "\n  - title: 文章标题\n    url: https://..."))
        }
        // Items that are there but unreadable have errors of their own.
        Some(list) if list.is_empty() && f.raw("sources").and_then(|v| v.as_sequence()).is_some_and(Vec::is_empty) => {
            diags.push(
                doc.error_at(&f.path_of("sources"), "`sources` must list at least one source")
                    .with_help("add `- title: ...` with the article or document the facts come from"),
            )
        }
        _ => {}
    }
    let raw = RawEnclave {
        doc,
        name: name.clone().unwrap_or_default(),
        name_en: f.text("name_en", false, diags),
        home: home.clone().unwrap_or(Located { text: String::new(), path: Vec::new() }),
        sponsor: f.text("sponsor", false, diags),
        sponsor_en: f.text("sponsor_en", false, diags),
        host: host.clone().unwrap_or(Located { text: String::new(), path: Vec::new() }),
        address: f.text("address", false, diags),
        address_en: f.text("address_en", false, diags),
        kind: f.text("kind", false, diags),
        kind_en: f.text("kind_en", false, diags),
        model: f.reference("model", false, diags),
        operators,
        sectors,
        area_m2: f.number("area_m2", diags),
        land_mu: f.number("land_mu", diags),
        workstations: f.number("workstations", diags),
        offices: f.number("offices", diags),
        opened: f.date("opened", false, diags),
        status,
        outcomes,
        notable_companies: texts(&f, "notable_companies", diags),
        notable_companies_en: english_list(&f, "notable_companies", diags),
        partners: texts(&f, "partners", diags),
        partners_en: english_list(&f, "partners", diags),
        sources: sources.unwrap_or_default(),
        updated: f.date("updated", true, diags),
        extra: f.extra("extra", diags),
        gaps: f.gaps(ENCLAVE_GAPS, &|key| given_in_enclave(&f, key), diags),
    };
    f.finish(diags);
    (name.is_some() && home.is_some() && host.is_some()).then_some(raw)
}

/// Where an enclave file gives `key`, one of [`ENCLAVE_GAPS`]: the results are inside
/// `outcomes`.
fn given_in_enclave(f: &Fields, key: &str) -> Option<Vec<Seg>> {
    if !OUTCOME_KEYS.contains(&key) {
        return f.given(key);
    }
    f.raw("outcomes")?.get(key).filter(|v| !v.is_null())?;
    let mut path = f.path_of("outcomes");
    path.push(Seg::Key(key.to_string()));
    Some(path)
}

/// An operator as read.
#[derive(Debug, Clone)]
pub struct RawOperator<'a> {
    /// The file.
    pub doc: &'a Doc,
    /// Chinese name.
    pub name: String,
    /// English name.
    pub name_en: Option<String>,
    /// Other names.
    pub aliases: Vec<String>,
    /// Kind reference.
    pub kind: Option<Located>,
    /// Headquarters reference.
    pub hq: Option<Located>,
    /// Web site.
    pub website: Option<String>,
    /// Sources.
    pub sources: Vec<Source>,
    /// Free map.
    pub extra: serde_json::Value,
    /// Fields no source gives, acknowledged by the editor (`not_reported`).
    pub gaps: Gaps,
}

/// Reads one operator file.
pub fn read_operator<'a>(doc: &'a Doc, diags: &mut Diagnostics) -> Option<RawOperator<'a>> {
    let yaml = doc.yaml();
    let f = Fields::new(doc, &yaml, Vec::new(), OPERATOR_KEYS, "operator", diags);
    let name = f.text("name", true, diags);
    let kind = f.reference("kind", true, diags);
    let website = f.text("website", false, diags);
    if let Some(w) = &website
        && !(w.starts_with("http://") || w.starts_with("https://"))
    {
        diags.push(
            doc.error_at(&f.path_of("website"), format!("`website` must start with http:// or https://, found `{w}`")),
        );
    }
    let raw = RawOperator {
        doc,
        name: name.clone().unwrap_or_default(),
        name_en: f.text("name_en", false, diags),
        aliases: texts(&f, "aliases", diags),
        kind,
        hq: f.reference("hq", false, diags),
        website,
        sources: f.sources("sources", diags).unwrap_or_default(),
        extra: f.extra("extra", diags),
        // Whether an enclave names it is known once every enclave is read.
        gaps: f.gaps(OPERATOR_GAPS, &|key| if key == "enclaves" { None } else { f.given(key) }, diags),
    };
    f.finish(diags);
    name.is_some().then_some(raw)
}

/// Reads one free page.
pub fn read_page(doc: &Doc, diags: &mut Diagnostics) -> Option<Page> {
    let yaml = doc.yaml();
    let f = Fields::new(doc, &yaml, Vec::new(), PAGE_KEYS, "page", diags);
    let title = f.text("title", true, diags);
    let page = Page {
        slug: doc.slug.clone(),
        title: title.clone().unwrap_or_default(),
        title_en: f.text("title_en", false, diags),
        weight: f.integer("weight", diags).unwrap_or(0),
        body: String::new(),
        body_en: None,
        source_path: doc.path.display().to_string(),
    };
    let (body, body_en) = crate::model::split_body(doc.body());
    let page = Page { body, body_en, ..page };
    f.finish(diags);
    title.map(|_| page)
}

/// Reads `site.yaml`, or the defaults when it is absent. `base_url` given on the command line
/// wins over the file.
pub fn read_site(doc: Option<&Doc>, opts: &super::Options, diags: &mut Diagnostics) -> SiteConfig {
    let base_url_override = opts.base_url.as_deref();
    let mut cfg = SiteConfig {
        title: "科创飞地名录".into(),
        title_en: None,
        description: None,
        base_url: "/".into(),
        base_path: "/".into(),
        language: "zh-CN".into(),
        languages: Vec::new(),
        description_en: None,
        extra: serde_json::Value::Object(Default::default()),
        page_size: crate::model::DEFAULT_PAGE_SIZE,
        license: None,
    };
    let mut base_url_path: Vec<Seg> = Vec::new();
    let mut base_doc = None;
    if let Some(doc) = doc {
        let yaml = doc.yaml();
        let f = Fields::new(doc, &yaml, Vec::new(), SITE_KEYS, "site settings file", diags);
        if f.ok() {
            if let Some(t) = f.text("title", false, diags) {
                cfg.title = t;
            }
            cfg.title_en = f.text("title_en", false, diags);
            cfg.description = f.text("description", false, diags);
            cfg.description_en = f.text("description_en", false, diags);
            if let Some(b) = f.text("base_url", false, diags) {
                cfg.base_url = b;
                base_url_path = f.path_of("base_url");
                base_doc = Some(doc);
            }
            let supported = |l: &str| opts.languages.as_ref().is_none_or(|list| list.iter().any(|x| x == l));
            let unsupported = |l: &str, at: Vec<Seg>| {
                doc.error_at(&at, format!("unsupported interface language `{l}`")).with_help(format!(
                    "use one of the theme's languages: {}",
                    opts.languages.as_deref().unwrap_or_default().join(", ")
                ))
            };
            if let Some(l) = f.text("language", false, diags) {
                if supported(&l) {
                    cfg.language = l;
                } else {
                    diags.push(unsupported(&l, f.path_of("language")));
                }
            }
            if let Some(list) = f.text_list("languages", diags) {
                let mut langs: Vec<String> = Vec::new();
                for l in list {
                    if !supported(&l.text) {
                        diags.push(unsupported(&l.text, l.path));
                    } else if langs.contains(&l.text) {
                        diags.push(
                            doc.error_at(&l.path, format!("`{}` is listed twice in `languages`", l.text))
                                .with_help("name each language once; the first is built at the site root"),
                        );
                    } else {
                        langs.push(l.text);
                    }
                }
                if f.raw("language").is_some() {
                    diags.push(
                        doc.error_at(&f.path_of("language"), "`language` and `languages` are both given").with_help(
                            "keep `languages` (its first language is built at the site root) and remove `language`",
                        ),
                    );
                }
                if let Some(first) = langs.first() {
                    cfg.language = first.clone();
                    cfg.languages = langs;
                }
            }
            if let Some(n) = f.integer("page_size", diags) {
                if (1..=10_000).contains(&n) {
                    cfg.page_size = n as usize;
                } else {
                    diags.push(
                        doc.error_at(
                            &f.path_of("page_size"),
                            format!("`page_size` must be between 1 and 10000, found {n}"),
                        )
                        .with_help("the number of rows on each page of a long list; 100 when left out"),
                    );
                }
            }
            if let Some(v) = f.raw("license") {
                let l = Fields::new(doc, v, f.path_of("license"), LICENSE_KEYS, "licence", diags);
                if l.ok() {
                    let name = l.text("name", true, diags);
                    let url = l.text("url", false, diags);
                    if let Some(u) = url.as_deref().filter(|u| !(u.starts_with("http://") || u.starts_with("https://")))
                    {
                        diags.push(
                            doc.error_at(&l.path_of("url"), format!("licence url must start with http:// or https://, found `{u}`"))
                                .with_help("give the address of the licence's text, e.g. `https://creativecommons.org/licenses/by/4.0/`"),
                        );
                    }
                    l.finish(diags);
                    cfg.license = name.map(|name| crate::model::License { name, url });
                }
            }
            cfg.extra = f.extra("extra", diags);
            f.finish(diags);
        }
    }
    if let Some(b) = base_url_override {
        cfg.base_url = b.to_string();
        base_doc = None;
    }
    if cfg.languages.is_empty() {
        cfg.languages = vec![cfg.language.clone()];
    }
    match parse_base_url(&cfg.base_url) {
        Some((url, path)) => {
            cfg.base_url = url;
            cfg.base_path = path;
        }
        None => {
            let msg = format!(
                "`base_url` must be an absolute http(s) URL such as `https://example.org/feidi/`, found `{}`",
                cfg.base_url
            );
            match base_doc {
                Some(doc) => diags.push(doc.error_at(&base_url_path, msg)),
                None if base_url_override.is_some() => diags.push(Diagnostic::error("--base-url", 0, 0, msg)),
                None => {
                    // No base_url anywhere: links stay relative, so the site still works anywhere;
                    // only the absolute links in the sitemap and feed use this placeholder.
                    cfg.base_url = "http://localhost/".into();
                    cfg.base_path = "/".into();
                }
            }
        }
    }
    cfg
}

/// Splits an absolute URL into its normalised form (ending in `/`) and its path.
pub fn parse_base_url(url: &str) -> Option<(String, String)> {
    let rest = url.strip_prefix("https://").or_else(|| url.strip_prefix("http://"))?;
    let (host, path) = match rest.find('/') {
        Some(i) => (&rest[..i], &rest[i..]),
        None => (rest, "/"),
    };
    // Characters that would need escaping in HTML or XML have no place in a base URL.
    if host.is_empty() || url.contains(char::is_whitespace) || url.contains(['?', '#', '"', '\'', '<', '>', '\\']) {
        return None;
    }
    let path = if path.ends_with('/') { path.to_string() } else { format!("{path}/") };
    let scheme = if url.starts_with("https://") { "https://" } else { "http://" };
    Some((format!("{scheme}{host}{path}"), path))
}

fn texts(f: &Fields, key: &str, diags: &mut Diagnostics) -> Vec<String> {
    f.text_list(key, diags).unwrap_or_default().into_iter().map(|l| l.text).collect()
}

/// The English names of the list `key` (`<key>_en`): one for each name of `key`, in the same
/// order, or an error at the English list saying how many it needs.
fn english_list(f: &Fields, key: &str, diags: &mut Diagnostics) -> Vec<String> {
    let en_key = format!("{key}_en");
    let en = texts(f, &en_key, diags);
    let zh = f.raw(key).and_then(|v| v.as_sequence()).map_or(0, Vec::len);
    if !en.is_empty() && en.len() != zh {
        diags.push(
            f.doc()
                .error_at(&f.path_of(&en_key), format!("`{en_key}` has {} names, `{key}` has {zh}", en.len()))
                .with_help(format!("give one English name for each name of `{key}`, in the same order")),
        );
        return Vec::new();
    }
    en
}

fn missing_at_top(doc: &Doc, key: &str, example: &str) -> Diagnostic {
    let line = doc.yaml_line.saturating_sub(1).max(1);
    let mut d = Diagnostic::error(&doc.path, line, 1, format!("missing required field `{key}`"))
        .with_help(format!("add `{key}:{example}`"));
    if let Some(text) = doc.line(line - 1) {
        d = d.with_snippet(text);
    }
    d
}
