//! Stage 3b: machine-readable output: open data and its description (a JSON Schema and a
//! Frictionless data package), sitemap, robots.txt and the Atom feed.

pub mod data;
pub mod feeds;
pub mod schema;

use crate::model::Site;
use crate::output::OutputFile;

/// Every non-HTML file derived from the site.
pub fn files(site: &Site) -> Vec<OutputFile> {
    vec![
        OutputFile::text("data/enclaves.json", data::enclaves_json(site)),
        OutputFile::text("data/enclaves.csv", data::enclaves_csv(site)),
        OutputFile::text("data/operators.json", data::operators_json(site)),
        OutputFile::text("data/schema.json", schema::json_schema(site)),
        OutputFile::text("data/datapackage.json", schema::datapackage(site)),
        OutputFile::text("sitemap.xml", feeds::sitemap(site)),
        OutputFile::text("robots.txt", feeds::robots(site)),
        OutputFile::text("atom.xml", feeds::atom(site)),
    ]
}
