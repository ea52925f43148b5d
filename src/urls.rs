//! Where every page lives under `public/`: the one place that knows the URL scheme.
//!
//! Paths here are relative to the site root and end in `/` for pages (served as
//! `<path>index.html`). Renderers prefix them with the relative way up from the current page, so
//! the built site works under any `base_url` path and on any static host.

use crate::model::Site;

/// The home page.
pub const HOME: &str = "";
/// The full enclave list.
pub const ENCLAVES: &str = "enclaves/";
/// The operator list.
pub const OPERATORS: &str = "operators/";
/// The place index.
pub const PLACES: &str = "places/";
/// The sector index.
pub const SECTORS: &str = "sectors/";
/// The operating-model index.
pub const MODELS: &str = "models/";
/// The comparison page.
pub const COMPARE: &str = "compare/";

/// An enclave's page.
pub fn enclave(slug: &str) -> String {
    format!("enclaves/{slug}/")
}

/// An operator's page.
pub fn operator(slug: &str) -> String {
    format!("operators/{slug}/")
}

/// A place's page.
pub fn place(id: &str) -> String {
    format!("places/{id}/")
}

/// A sector's page.
pub fn sector(id: &str) -> String {
    format!("sectors/{id}/")
}

/// An operating model's page.
pub fn model(id: &str) -> String {
    format!("models/{id}/")
}

/// A free page.
pub fn page(slug: &str) -> String {
    format!("pages/{slug}/")
}

/// Page `n` (from 1) of the list that starts at `base`: `base` itself, then `<base>page/<n>/`.
pub fn paged(base: &str, n: usize) -> String {
    if n <= 1 { base.to_string() } else { format!("{base}page/{n}/") }
}

/// The folder of the pages in `lang`, from the site root: `""` for the site's first language,
/// `<lang>/` for the others.
pub fn lang_prefix(config: &crate::model::SiteConfig, lang: &str) -> String {
    if config.languages.first().is_none_or(|l| l == lang) { String::new() } else { format!("{lang}/") }
}

/// The file a page path is written to.
pub fn file_of(path: &str) -> String {
    format!("{path}index.html")
}

/// The relative way from a page at `path` up to the site root (`""`, `"../"`, `"../../"` ...).
pub fn root_from(path: &str) -> String {
    "../".repeat(path.matches('/').count())
}

/// Every page of the site, in a fixed order: what the renderer writes and the sitemap lists.
pub fn all_pages(site: &Site) -> Vec<String> {
    let mut out = vec![
        HOME.to_string(),
        ENCLAVES.to_string(),
        OPERATORS.to_string(),
        PLACES.to_string(),
        SECTORS.to_string(),
        MODELS.to_string(),
        COMPARE.to_string(),
    ];
    out.extend(site.enclaves.iter().map(|e| enclave(&e.slug)));
    out.extend(site.operators.iter().map(|o| operator(&o.slug)));
    out.extend(site.places.iter().filter(|p| p.has_page).map(|p| place(&p.id)));
    out.extend(site.sectors.iter().filter(|t| !t.used_by.is_empty()).map(|t| sector(&t.id)));
    out.extend(site.models.iter().filter(|t| !t.used_by.is_empty()).map(|t| model(&t.id)));
    out.extend(site.pages.iter().map(|p| page(&p.slug)));
    out
}

/// The target of an internal link as editors write it in Markdown, `@/section/slug.md` (with an
/// optional `#anchor`), as a path from the site root.
pub fn internal_target(url: &str) -> Option<String> {
    let rest = url.strip_prefix("@/")?;
    let (path, anchor) = match rest.find('#') {
        Some(i) => (&rest[..i], &rest[i..]),
        None => (rest, ""),
    };
    let path = path.strip_suffix(".md").unwrap_or(path);
    Some(format!("{}/{anchor}", path.trim_end_matches('/')))
}

/// How the site header sees the page at `path` (see `FrameContext`): `here`, its path when it
/// is the home page, a section's first page, a free page or the 404 page (else empty), and
/// `section`, the first folder of its path.
pub fn frame_of(path: &str) -> (&str, &str) {
    let section = path.find('/').map_or("", |i| &path[..=i]);
    let here = if path.matches('/').count() <= 1 || path.starts_with("pages/") { path } else { "" };
    (here, section)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_header_sees_sections_and_their_own_pages() {
        assert_eq!(frame_of(""), ("", ""));
        assert_eq!(frame_of("enclaves/"), ("enclaves/", "enclaves/"));
        assert_eq!(frame_of("enclaves/a/"), ("", "enclaves/"));
        assert_eq!(frame_of("enclaves/page/2/"), ("", "enclaves/"));
        assert_eq!(frame_of("pages/about/"), ("pages/about/", "pages/"));
        assert_eq!(frame_of("404.html"), ("404.html", ""));
    }

    #[test]
    fn root_climbs_one_level_per_folder() {
        assert_eq!(root_from(HOME), "");
        assert_eq!(root_from(ENCLAVES), "../");
        assert_eq!(root_from(&enclave("a")), "../../");
    }
}
