//! Internal links in Markdown bodies: each must name an existing page. Checked are the `@/`
//! links (`@/enclaves/<slug>.md`) and plain links into a section of entries (`/enclaves/<slug>/`,
//! `../enclaves/<slug>/`), which editors also write.

use std::collections::HashSet;

use pulldown_cmark::{Event, Parser, Tag};

use crate::diagnostics::{Diagnostic, Diagnostics, closest, did_you_mean};
use crate::load::Doc;
use crate::urls::internal_target;

/// Every page an internal link may point at, as `section/slug/` paths.
pub type Targets = HashSet<String>;

/// Sections whose pages are entries or terms: a plain link into one of them names a page.
const SECTIONS: &[&str] = &["enclaves", "operators", "places", "sectors", "models", "pages"];

/// Reports each internal link in `doc`'s body whose target is not in `targets`.
pub fn check(doc: &Doc, targets: &Targets, diags: &mut Diagnostics) {
    for (event, range) in Parser::new(doc.body()).into_offset_iter() {
        let Event::Start(Tag::Link { dest_url, .. } | Tag::Image { dest_url, .. }) = event else { continue };
        let (path, at) = match internal_target(&dest_url) {
            Some(target) => (target.split('#').next().unwrap_or("").to_string(), true),
            None => match plain_target(&dest_url) {
                Some(path) => (path, false),
                None => continue,
            },
        };
        if targets.contains(&path) {
            continue;
        }
        let before = &doc.body()[..range.start];
        let line = doc.body_line + before.matches('\n').count();
        let col = before.rsplit('\n').next().unwrap_or("").chars().count() + 1;
        let help = if at {
            let wanted = format!("@/{}.md", path.trim_end_matches('/'));
            let known: Vec<String> = targets.iter().map(|t| format!("@/{}.md", t.trim_end_matches('/'))).collect();
            did_you_mean(&closest(&wanted, known.iter().map(String::as_str), 3))
        } else {
            // Suggest the `@/` form: it works from a page at any depth, a relative link does not.
            let known: Vec<&str> = targets.iter().map(String::as_str).collect();
            closest(&path, known, 1).first().map(|t| {
                format!("did you mean `{t}`? write it `@/{}.md` to link from any page", t.trim_end_matches('/'))
            })
        };
        let mut d =
            Diagnostic::error(&doc.path, line, col, format!("link to `{dest_url}`, which is no page of this site"))
                .with_help_opt(help.or_else(|| {
                    Some(
                    "write `@/enclaves/<slug>.md`, `@/operators/<slug>.md`, `@/pages/<slug>.md`, or `@/places/<id>.md`"
                        .into(),
                )
                }));
        if let Some(text) = doc.line(line - 1) {
            d = d.with_snippet(text);
        }
        diags.push(d);
    }
}

/// The page a plain link names when it points into a section of entries (`/enclaves/a/`,
/// `../enclaves/a/`, `../../places/x/index.html` all name `enclaves/a/` or `places/x/`); `None`
/// for links elsewhere (other sites, section indexes, data files, anchors).
fn plain_target(url: &str) -> Option<String> {
    let url = url.trim();
    let first_sep = url.find(['/', '?', '#']).unwrap_or(url.len());
    if url.starts_with("//") || url[..first_sep].contains(':') {
        return None;
    }
    let mut rest = url.split(['?', '#']).next().unwrap_or("");
    while let Some(r) = rest.strip_prefix("../").or_else(|| rest.strip_prefix("./")).or_else(|| rest.strip_prefix('/'))
    {
        rest = r;
    }
    let rest = rest.strip_suffix("index.html").unwrap_or(rest);
    let (section, slug) = rest.split_once('/')?;
    let slug = slug.trim_end_matches('/');
    if !SECTIONS.contains(&section) || slug.is_empty() {
        return None;
    }
    Some(format!("{section}/{slug}/"))
}

#[cfg(test)]
mod tests {
    use super::plain_target;

    #[test]
    fn plain_links_into_sections_name_pages() {
        assert_eq!(plain_target("/enclaves/a/").as_deref(), Some("enclaves/a/"));
        assert_eq!(plain_target("../enclaves/a").as_deref(), Some("enclaves/a/"));
        assert_eq!(plain_target("../../places/x/index.html#top").as_deref(), Some("places/x/"));
        assert_eq!(plain_target("enclaves/a/b/").as_deref(), Some("enclaves/a/b/"));
    }

    #[test]
    fn other_links_are_left_alone() {
        for url in [
            "https://example.org/enclaves/a/",
            "//cdn.org/enclaves/a/",
            "/enclaves/",
            "../data/enclaves.csv",
            "#x",
            "mailto:a@b.c",
        ] {
            assert_eq!(plain_target(url), None, "{url}");
        }
    }
}
