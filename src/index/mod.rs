//! Stage 3b: machine-readable output: open data and its description (a JSON Schema and a
//! Frictionless data package), sitemap, robots.txt and the Atom feed.

pub mod data;
pub mod feeds;
pub mod schema;

use crate::model::Site;
use crate::output::OutputFile;

/// Makes one file of the site's open data or feeds.
pub type Maker = fn(&Site) -> String;

/// Every non-HTML file derived from the site, as its path and the function that makes it, so
/// that a build makes them one at a time, beside the pages, each handed on as it is made.
pub fn makers() -> Vec<(&'static str, Maker)> {
    vec![
        ("data/enclaves.json", data::enclaves_json),
        ("data/enclaves.csv", data::enclaves_csv),
        ("data/operators.json", data::operators_json),
        ("data/schema.json", schema::json_schema),
        ("data/datapackage.json", schema::datapackage),
        ("sitemap.xml", feeds::sitemap),
        ("robots.txt", feeds::robots),
    ]
}

/// The Atom feed of each language: its path (`atom.xml`, `en/atom.xml`) and its language.
pub fn feeds(site: &Site) -> Vec<(String, &str)> {
    site.config
        .languages
        .iter()
        .map(|l| (format!("{}atom.xml", crate::urls::lang_prefix(&site.config, l)), l.as_str()))
        .collect()
}

/// Every non-HTML file derived from the site.
pub fn files(site: &Site) -> Vec<OutputFile> {
    files_with(site, true)
}

/// [`files`], or with `all` false only the feeds: the only data files that hold enclaves'
/// descriptions (for the dev server, after an edit of descriptions only).
pub fn files_with(site: &Site, all: bool) -> Vec<OutputFile> {
    if !all {
        return feeds(site).into_iter().map(|(path, lang)| OutputFile::text(path, feeds::atom(site, lang))).collect();
    }
    use rayon::prelude::*;
    let mut out: Vec<OutputFile> =
        makers().into_par_iter().map(|(path, make)| OutputFile::text(path, make(site))).collect();
    out.extend(feeds(site).into_iter().map(|(path, lang)| OutputFile::text(path, feeds::atom(site, lang))));
    out
}
