//! Warnings about content without its English form, given when the site is built in English:
//! an English page falls back to the Chinese text (marked `lang="zh-CN"`), which an editor
//! should know about before a reader sees it.

use crate::diagnostics::Diagnostics;
use crate::load::{Doc, Seg, Sources};
use crate::model::{Enclave, Site};

use super::vocab;

/// The language whose fallbacks are reported.
const ENGLISH: &str = "en";

/// One warning per entry, vocabulary item or page that lacks an English form of something a
/// page shows, naming every such field, when `site` is built in English.
pub(super) fn warn(
    sources: &Sources,
    site: &Site,
    items: [(&Option<Doc>, &str, Vec<&vocab::Item>); 4],
    diags: &mut Diagnostics,
) {
    if !site.config.languages.iter().any(|l| l == ENGLISH) {
        return;
    }
    let top: Vec<Seg> = Vec::new();
    // Entries know their file by path; one table finds each file's document.
    let docs: std::collections::HashMap<String, &Doc> = [&sources.enclaves, &sources.operators, &sources.pages]
        .into_iter()
        .flatten()
        .map(|d| (d.path.display().to_string(), d))
        .collect();
    let doc_of = |path: &str| docs.get(path).copied();
    for e in &site.enclaves {
        let missing = enclave_gaps(e);
        if let Some(doc) = doc_of(&e.source_path) {
            push(doc, &top, "enclave", &e.slug, &missing, diags);
        }
    }
    for o in &site.operators {
        let mut missing = Vec::new();
        need(&mut missing, true, o.name_en.is_some(), "name_en");
        need(&mut missing, !o.body.trim().is_empty(), o.body_en.is_some(), "## English");
        need(&mut missing, true, o.sources.iter().all(|s| s.title_en.is_some()), "sources: title_en");
        if let Some(doc) = doc_of(&o.source_path) {
            push(doc, &top, "operator", &o.slug, &missing, diags);
        }
    }
    for p in &site.pages {
        let mut missing = Vec::new();
        need(&mut missing, true, p.title_en.is_some(), "title_en");
        need(&mut missing, !p.body.trim().is_empty(), p.body_en.is_some(), "## English");
        if let Some(doc) = doc_of(&p.source_path) {
            push(doc, &top, "page", &p.slug, &missing, diags);
        }
    }
    for (doc, what, list) in items {
        let Some(doc) = doc else { continue };
        for it in list {
            let mut missing = Vec::new();
            need(&mut missing, true, it.target.name_en.is_some(), "name_en");
            need(&mut missing, it.description.is_some(), it.description_en.is_some(), "description_en");
            push(doc, &it.path, what, &it.target.id, &missing, diags);
        }
    }
}

/// The English forms `e` lacks of what it gives.
fn enclave_gaps(e: &Enclave) -> Vec<&'static str> {
    let mut missing = Vec::new();
    need(&mut missing, true, e.name_en.is_some(), "name_en");
    need(&mut missing, e.sponsor.is_some(), e.sponsor_en.is_some(), "sponsor_en");
    need(&mut missing, e.address.is_some(), e.address_en.is_some(), "address_en");
    need(&mut missing, e.kind.is_some(), e.kind_en.is_some(), "kind_en");
    need(
        &mut missing,
        e.operators.iter().any(|o| o.role.is_some()),
        e.operators.iter().all(|o| o.role.is_none() || o.role_en.is_some()),
        "operators: role_en",
    );
    need(&mut missing, !e.notable_companies.is_empty(), !e.notable_companies_en.is_empty(), "notable_companies_en");
    need(&mut missing, !e.partners.is_empty(), !e.partners_en.is_empty(), "partners_en");
    need(&mut missing, true, e.sources.iter().all(|s| s.title_en.is_some()), "sources: title_en");
    need(&mut missing, !e.body.trim().is_empty(), e.body_en.is_some(), "## English");
    missing
}

fn need(missing: &mut Vec<&'static str>, given: bool, english: bool, what: &'static str) {
    if given && !english {
        missing.push(what);
    }
}

fn push(doc: &Doc, path: &[Seg], what: &str, id: &str, missing: &[&str], diags: &mut Diagnostics) {
    if missing.is_empty() {
        return;
    }
    let list = missing.iter().map(|m| format!("`{m}`")).collect::<Vec<_>>().join(", ");
    diags.push(
        doc.warning_at(path, format!("{what} `{id}` has no English for {list}: the English site shows the Chinese text"))
            .with_help("add the English forms (a `## English` line in the body starts the English description), or build in one language only"),
    );
}
