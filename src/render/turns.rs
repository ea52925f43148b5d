//! Rendering a language's pages in two turns, so that most of them need not wait for the
//! generated assets.
//!
//! The search index and the comparison data take a second or more to make at 10,000 enclaves,
//! and a page that names one of them (`assets["search-index.js"]`) must wait for its file name,
//! which carries a hash of its content. Most pages (enclaves, places, sectors, operators) name
//! only the theme's own files, whose names are known at once: those are rendered in the first
//! turn, beside the making of the generated assets, and the rest in the second.
//!
//! Which pages may go first is read from the templates: a template may if it, and every
//! template it extends, includes or imports, reads `assets` only as `assets["<a theme file>"]`.
//! The parts placed on every page (header, footer, rows, items) must pass too, or every page
//! waits. A page that fails in the first turn is tried again in the second, with every name,
//! and only a failure there is reported: the pages are the same whichever turn made them.

use std::collections::{BTreeMap, BTreeSet, HashSet};

use crate::assets::Names;
use crate::theme::Theme;

/// The parts rendered once and placed on pages (see [`super::Renderer`]).
const PARTS: [&str; 4] = ["header.html", "footer.html", "enclave_row.html", "enclave_item.html"];

/// The page templates that can be rendered knowing only the theme's own asset names
/// `statics`; none when a part placed on every page cannot.
pub fn early_templates(theme: &Theme, statics: &Names) -> HashSet<String> {
    let sources: BTreeMap<String, String> =
        theme.templates().into_iter().map(|(name, text)| (name, strip_comments(&text))).collect();
    let fine =
        |name: &str| closure(&sources, name).iter().all(|t| sources.get(*t).is_none_or(|s| static_only(s, statics)));
    if !PARTS.iter().all(|p| fine(p)) {
        return HashSet::new();
    }
    sources.keys().filter(|name| fine(name)).cloned().collect()
}

/// `name` and every template it extends, includes or imports, at any depth.
fn closure<'s>(sources: &'s BTreeMap<String, String>, name: &'s str) -> BTreeSet<&'s str> {
    let mut seen = BTreeSet::new();
    let mut todo = vec![name];
    while let Some(t) = todo.pop() {
        if !seen.insert(t) {
            continue;
        }
        if let Some(text) = sources.get(t) {
            todo.extend(referenced(text).into_iter().filter_map(|r| sources.get_key_value(r).map(|(k, _)| k.as_str())));
        }
    }
    seen
}

/// The template names a template's tags name: `{% extends "x" %}`, `{% include "x" %}`,
/// `{% import "x" as m %}`.
fn referenced(text: &str) -> Vec<&str> {
    let mut out = Vec::new();
    for tag in text.split("{%").skip(1) {
        let tag = tag.trim_start_matches('-').trim_start();
        let Some(rest) = ["extends", "include", "import"].iter().find_map(|k| tag.strip_prefix(k)) else { continue };
        let rest = rest.trim_start();
        let Some(q) = rest.chars().next().filter(|c| *c == '"' || *c == '\'') else { continue };
        if let Some(end) = rest[1..].find(q) {
            out.push(&rest[1..1 + end]);
        }
    }
    out
}

/// True when every use of the variable `assets` in `text` is `assets["k"]` (or `['k']`) with
/// `k` one of `statics`: iterating over it, or a key made at render time, could meet a
/// generated asset.
fn static_only(text: &str, statics: &Names) -> bool {
    let word = |c: char| c.is_alphanumeric() || c == '_';
    let mut from = 0;
    while let Some(at) = text[from..].find("assets") {
        let start = from + at;
        let end = start + "assets".len();
        from = end;
        if text[..start].chars().next_back().is_some_and(|c| word(c) || c == '.')
            || text[end..].chars().next().is_some_and(word)
        {
            continue;
        }
        let rest = text[end..].trim_start();
        let Some(inner) = rest.strip_prefix('[') else { return false };
        let inner = inner.trim_start();
        let Some(q) = inner.chars().next().filter(|c| *c == '"' || *c == '\'') else { return false };
        let Some(close) = inner[1..].find(q) else { return false };
        if !statics.contains_key(&inner[1..1 + close]) {
            return false;
        }
    }
    true
}

/// The text without its `{# ... #}` comments, which may name anything.
fn strip_comments(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(open) = rest.find("{#") {
        out.push_str(&rest[..open]);
        match rest[open..].find("#}") {
            Some(close) => rest = &rest[open + close + 2..],
            None => return out,
        }
    }
    out.push_str(rest);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn statics() -> Names {
        [("style.css", "style.1.css"), ("compare.js", "compare.2.js")]
            .into_iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect()
    }

    #[test]
    fn only_theme_files_read_by_name_let_a_template_go_first() {
        let s = statics();
        assert!(static_only(r#"<link href="{{ root }}{{ assets["style.css"] }}">"#, &s));
        assert!(static_only(r#"{{ assets[ 'compare.js' ] }} {{ my_assets }} {{ x.assets }}"#, &s));
        assert!(!static_only(r#"{{ assets["search-index.js"] }}"#, &s), "a generated asset");
        assert!(!static_only(r#"{% for k, v in assets %}{{ v }}{% endfor %}"#, &s), "all of them");
        assert!(!static_only(r#"{{ assets[key] }}"#, &s), "a key made at render time");
        assert!(static_only(&strip_comments(r#"{# sees `assets` #}{{ assets["style.css"] }}"#), &s));
    }

    #[test]
    fn a_template_waits_when_anything_it_pulls_in_names_a_generated_asset() {
        let text = r#"{% extends "base.html" %}{%- import 'macros.html' as m %}{% include "form.html" %}"#;
        assert_eq!(referenced(text), vec!["base.html", "macros.html", "form.html"]);
        let sources: BTreeMap<String, String> = [
            ("page.html", r#"{% extends "base.html" %}"#),
            ("list.html", r#"{% extends "base.html" %}{% include "form.html" %}"#),
            ("form.html", r#"<div data-index="{{ assets["search-index.js"] }}">"#),
            ("base.html", r#"{{ assets["style.css"] }}"#),
        ]
        .into_iter()
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .collect();
        let s = statics();
        let fine = |n: &str| closure(&sources, n).iter().all(|t| static_only(&sources[*t], &s));
        assert!(fine("page.html"));
        assert!(!fine("list.html"));
    }

    #[test]
    fn in_the_default_theme_the_enclave_pages_go_first_and_the_list_waits() {
        let theme = Theme::builtin();
        let early = early_templates(&theme, &crate::assets::static_names(&theme));
        for t in ["enclave.html", "place.html", "term.html", "operator.html"] {
            assert!(early.contains(t), "{t}");
        }
        for t in ["enclaves.html", "index.html", "compare.html"] {
            assert!(!early.contains(t), "{t}");
        }
    }
}
