//! Stage 3: the files pages load, built before any page is rendered: the theme's static files
//! (CSS and JS with a content hash in their names), the search index ([`search`]) and the side-by-
//! side comparison's data ([`compare_data`]). Pages name these files by their hashed names, which
//! [`Assets::names`] hands to the renderer.

pub mod compare_data;
pub mod order;
pub mod search;

use std::collections::BTreeMap;

use crate::diagnostics::Diagnostic;
use crate::hash::fingerprint;
use crate::model::Site;
use crate::output::OutputFile;
use crate::theme::Theme;

/// The key under which templates find the comparison data in `assets`.
pub const COMPARE_KEY: &str = "compare-data.js";

/// Asset file names by the key templates use (`style.css` → `style.<hash>.css`).
pub type Names = BTreeMap<String, String>;

/// The built assets.
#[derive(Debug, Default)]
pub struct Assets {
    /// File names by key.
    pub names: Names,
    /// The files.
    pub files: Vec<OutputFile>,
}

/// The theme's static files: CSS and JS get a content hash in their name so hosts can cache
/// them for ever; other files keep theirs.
pub fn statics(theme: &Theme) -> Assets {
    let mut out = Assets::default();
    for (path, bytes) in theme.statics() {
        let name = static_name(&path, bytes);
        out.names.insert(path, name.clone());
        out.files.push(OutputFile { path: name, bytes: bytes.to_vec() });
    }
    out
}

/// The names [`statics`] gives the theme's static files, without copying them: what the dev
/// server needs to render an edited page at once.
pub fn static_names(theme: &Theme) -> Names {
    theme.statics().into_iter().map(|(path, bytes)| (path.clone(), static_name(&path, bytes))).collect()
}

fn static_name(path: &str, bytes: &[u8]) -> String {
    match path.rsplit_once('.') {
        Some((stem, ext)) if ext == "css" || ext == "js" => format!("{stem}.{}.{ext}", fingerprint(bytes)),
        _ => path.to_string(),
    }
}

/// Every asset of the site: the static files, the search index and the comparison data. An
/// error names a theme file (its interface texts) that the comparison data needs.
pub fn build(site: &Site, theme: &Theme) -> Result<Assets, Diagnostic> {
    let texts = theme.texts(&site.config.language)?;
    let mut out = statics(theme);
    // The comparison data does not wait for the search index: the index's serial steps leave a
    // core free.
    let (search, compare) = rayon::join(|| search::build(site), || compare_data::script(site, &texts));
    out.names.insert(search::ASSET_KEY.to_string(), search.core_path.clone());
    out.files.extend(search.files);
    let mut chunk_files = Vec::with_capacity(compare.chunks.len());
    for (i, js) in compare.chunks.iter().enumerate() {
        let path = format!("compare/data-{i}.{}.js", fingerprint(js.as_bytes()));
        chunk_files.push(path.clone());
        out.files.push(OutputFile::text(path, js.clone()));
    }
    let entry = compare.entry(&chunk_files);
    let compare_path = format!("compare-data.{}.js", fingerprint(entry.as_bytes()));
    out.names.insert(COMPARE_KEY.to_string(), compare_path.clone());
    out.files.push(OutputFile::text(compare_path, entry));
    Ok(out)
}
