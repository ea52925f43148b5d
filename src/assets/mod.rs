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
use crate::urls;

/// The key under which templates find the comparison data in `assets`.
pub const COMPARE_KEY: &str = "compare-data.js";

/// How the comparison data's files are named (under a language's folder for a second
/// language): the entry `compare-data.<hash>.js` and its chunks `compare/data-<i>.<hash>.js`.
const COMPARE_ENTRY: &str = "compare-data.";
const COMPARE_CHUNK: &str = "compare/data-";

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
///
/// The search index and the comparison data are made for each language of the site: those of
/// a language other than the first go under its folder (`en/search/...`), named in [`Names`]
/// with that folder in front of their key and path (`en/search-index.js` →
/// `en/search/index.<hash>.js`); [`names_for`] gives a language's pages their own.
pub fn build(site: &Site, theme: &Theme) -> Result<Assets, Diagnostic> {
    build_with(site, theme, true)
}

/// [`build`], or with `compare` false everything but the comparison data (for the dev server,
/// after an edit that cannot have changed it: it keeps the files it serves).
pub fn build_with(site: &Site, theme: &Theme, compare: bool) -> Result<Assets, Diagnostic> {
    let mut out = statics(theme);
    for lang in &site.config.languages {
        let texts = theme.texts(lang)?;
        let prefix = urls::lang_prefix(&site.config, lang);
        if !compare {
            let search = search::build(site, lang);
            out.names.insert(format!("{prefix}{}", search::ASSET_KEY), format!("{prefix}{}", search.core_path));
            out.files.extend(search.files.into_iter().map(|f| OutputFile { path: format!("{prefix}{}", f.path), ..f }));
            continue;
        }
        // The comparison data does not wait for the search index: the index's serial steps
        // leave a core free.
        let (search, compare) = rayon::join(|| search::build(site, lang), || compare_data::script(site, &texts));
        out.names.insert(format!("{prefix}{}", search::ASSET_KEY), format!("{prefix}{}", search.core_path));
        out.files.extend(search.files.into_iter().map(|f| OutputFile { path: format!("{prefix}{}", f.path), ..f }));
        let mut chunk_files = Vec::with_capacity(compare.chunks.len());
        for (i, js) in compare.chunks.iter().enumerate() {
            let path = format!("{COMPARE_CHUNK}{i}.{}.js", fingerprint(js.as_bytes()));
            out.files.push(OutputFile::text(format!("{prefix}{path}"), js.clone()));
            chunk_files.push(path);
        }
        let entry = compare.entry(&chunk_files);
        let compare_path = format!("{COMPARE_ENTRY}{}.js", fingerprint(entry.as_bytes()));
        out.names.insert(format!("{prefix}{COMPARE_KEY}"), format!("{prefix}{compare_path}"));
        out.files.push(OutputFile::text(format!("{prefix}{compare_path}"), entry));
    }
    Ok(out)
}

/// Whether `path` (under a language's folder or not) is a file of the comparison data: its
/// entry file or one of its chunks.
pub fn is_compare_file(path: &str) -> bool {
    let file = path.rsplit('/').next().unwrap_or(path);
    path.ends_with(".js") && (file.starts_with(COMPARE_ENTRY) || path.contains(COMPARE_CHUNK))
}

/// The asset names as the pages in `lang` see them, relative to their language's root: that
/// language's own search index and comparison data, and the files every language shares (the
/// theme's CSS and scripts) one folder up for a language under its own folder.
pub fn names_for(names: &Names, config: &crate::model::SiteConfig, lang: &str) -> Names {
    let own = urls::lang_prefix(config, lang);
    let up = urls::root_from(&own);
    let prefixes: Vec<String> =
        config.languages.iter().map(|l| urls::lang_prefix(config, l)).filter(|p| !p.is_empty()).collect();
    let mut out = Names::new();
    for (k, v) in names {
        if !prefixes.iter().any(|p| k.starts_with(p.as_str())) {
            out.insert(k.clone(), format!("{up}{v}"));
        }
    }
    if !own.is_empty() {
        for (k, v) in names {
            if let (Some(k), Some(v)) = (k.strip_prefix(own.as_str()), v.strip_prefix(own.as_str())) {
                out.insert(k.to_string(), v.to_string());
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_comparison_data_files_are_told_apart_from_pages_and_other_assets() {
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/basic");
        let mut d = crate::diagnostics::Diagnostics::new();
        let sources = crate::load::load(&root, &mut d);
        let site = crate::resolve::resolve(&sources, &Default::default(), &mut d).expect("the fixture resolves");
        let built = build(&site, &Theme::builtin()).unwrap();
        let compare: Vec<&str> = built.files.iter().map(|f| f.path.as_str()).filter(|p| is_compare_file(p)).collect();
        assert!(compare.iter().any(|p| p.starts_with("compare-data.")), "{compare:?}");
        assert!(compare.iter().any(|p| p.starts_with("compare/data-")), "{compare:?}");
        for p in ["compare/index.html", "compare/page/2/index.html", "search/core.1.js", "data/enclaves.json"] {
            assert!(!is_compare_file(p), "{p}");
        }
        assert!(is_compare_file("en/compare/data-0.ab12.js") && is_compare_file("en/compare-data.ab12.js"));
    }
}
