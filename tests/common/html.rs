//! Pieces of built pages, so that a test compares one element's text exactly instead of looking
//! for a short number anywhere on a page (where "18" also matches a footer and "3" a map's
//! "30°N").
#![allow(dead_code)]

use super::text_of;

/// The name of the tag `open` starts (`<section id="x"` → `section`).
fn tag_name(open: &str) -> &str {
    let rest = open.strip_prefix('<').unwrap_or_else(|| panic!("{open:?} is not an opening tag"));
    let end = rest.find(|c: char| c.is_whitespace() || c == '>' || c == '/').unwrap_or(rest.len());
    &rest[..end]
}

/// The first element that starts with `open` (for example `<section id="reported"`), from its
/// opening tag to its matching closing tag, nested elements of the same name counted; `None` when
/// there is none.
pub fn find_element<'a>(html: &'a str, open: &str) -> Option<&'a str> {
    let start = html.find(open)?;
    let name = tag_name(open);
    let (opening, closing) = (format!("<{name}"), format!("</{name}>"));
    let mut depth = 0usize;
    let mut at = start;
    loop {
        let next_open = html[at..].find(&opening).map(|i| i + at).filter(|&i| {
            let after = html[i + opening.len()..].chars().next();
            after.is_some_and(|c| c.is_whitespace() || c == '>' || c == '/')
        });
        let next_close = html[at..].find(&closing).map(|i| i + at)?;
        match next_open {
            Some(o) if o < next_close => {
                depth += 1;
                at = o + opening.len();
            }
            _ => {
                depth -= 1;
                at = next_close + closing.len();
                if depth == 0 {
                    return Some(&html[start..at]);
                }
            }
        }
    }
}

/// Like [`find_element`], panicking with the page's start when there is no such element.
pub fn element<'a>(html: &'a str, open: &str) -> &'a str {
    find_element(html, open).unwrap_or_else(|| panic!("no element {open:?} in the page"))
}

/// Every element that starts with `open`, in page order.
pub fn elements<'a>(html: &'a str, open: &str) -> Vec<&'a str> {
    let mut out = Vec::new();
    let mut rest = html;
    while let Some(e) = find_element(rest, open) {
        let offset = rest.find(open).unwrap() + e.len();
        out.push(e);
        rest = &rest[offset..];
    }
    out
}

/// The text a reader sees in the first element that starts with `open`.
pub fn text(html: &str, open: &str) -> String {
    text_of(element(html, open))
}

/// The value of an enclave page's fact sheet for `label` (`<dt>label</dt><dd>…</dd>`), as text;
/// `None` when the sheet has no such row.
pub fn fact(html: &str, label: &str) -> Option<String> {
    let sheet = find_element(html, "<aside class=\"factsheet\"")?;
    let at = sheet.find(&format!("<dt>{label}</dt>"))?;
    Some(text_of(element(&sheet[at..], "<dd")))
}

/// The rows (`tr`) in `html` (a table or a part of one), each as the texts of its cells (`th`
/// and `td`).
pub fn rows(html: &str) -> Vec<Vec<String>> {
    elements(html, "<tr")
        .into_iter()
        .map(|tr| {
            let mut cells = Vec::new();
            let mut rest = tr;
            loop {
                let th = rest.find("<th");
                let td = rest.find("<td");
                let (at, open) = match (th, td) {
                    (Some(a), Some(b)) if a < b => (a, "<th"),
                    (Some(a), None) => (a, "<th"),
                    (_, Some(b)) => (b, "<td"),
                    (None, None) => break,
                };
                let cell = element(&rest[at..], open);
                cells.push(text_of(cell));
                rest = &rest[at + cell.len()..];
            }
            cells
        })
        .collect()
}

/// The body rows of the table with the caption `caption` (in the page's language).
pub fn table_rows(html: &str, caption: &str) -> Vec<Vec<String>> {
    let table = elements(html, "<table")
        .into_iter()
        .find(|t| find_element(t, "<caption").is_some_and(|c| text_of(c) == caption))
        .unwrap_or_else(|| panic!("no table captioned {caption:?}"));
    let body = element(table, "<tbody");
    rows(body)
}

/// Every `<svg>…</svg>` of a page.
pub fn svgs(html: &str) -> Vec<&str> {
    elements(html, "<svg")
}

/// The `<title>` texts of the `<g class="…">` groups of an SVG with that class (the tooltips of
/// a chart's rows, flows or cities).
pub fn group_titles(svg: &str, class: &str) -> Vec<String> {
    elements(svg, &format!("<g class=\"{class}\">"))
        .into_iter()
        .filter_map(|g| find_element(g, "<title").map(text_of))
        .collect()
}
