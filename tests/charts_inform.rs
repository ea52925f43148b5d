//! Charts a visitor can trust at a glance, read from the built pages of the real directory
//! (shipped and grown, see `common::real`): a category keeps its colour and pattern on every
//! page, and no two labels of a chart overlap.

mod common;
use std::collections::BTreeMap;
use std::path::Path;

use common::html::svgs;
use common::real::{RealSite, on_shipped_and_grown};

/// Every built HTML page: (path relative to the output, its text).
fn pages(public: &Path) -> Vec<(String, String)> {
    let mut out = Vec::new();
    for entry in walkdir::WalkDir::new(public).sort_by_file_name() {
        let entry = entry.unwrap();
        if entry.path().extension().is_some_and(|x| x == "html") {
            let rel = entry.path().strip_prefix(public).unwrap().to_string_lossy().replace('\\', "/");
            out.push((rel, std::fs::read_to_string(entry.path()).unwrap()));
        }
    }
    out
}

/// What a series looks like: its colour class and the shape of its pattern.
fn look_of_pattern(p: roxmltree::Node) -> String {
    let bg = p
        .children()
        .find(|c| c.attribute("class").is_some_and(|k| k.contains("pat-bg")))
        .and_then(|c| c.attribute("class"))
        .unwrap_or("");
    let colour = bg.split_whitespace().find(|k| *k != "pat-bg").unwrap_or("").to_string();
    if colour == "nr" {
        return "not-reported".into();
    }
    let colour = colour.trim_start_matches('s').to_string();
    let shape = match p.children().filter(|c| c.is_element()).nth(1) {
        None => "0",
        Some(c) if c.tag_name().name() == "circle" => "2",
        Some(c) if c.attribute("d").is_some_and(|d| d.contains('H')) => "3",
        Some(_) => "1",
    };
    format!("colour {colour}, pattern {shape}")
}

/// The (label, look) of every legend entry of the stacked charts in an SVG.
fn svg_legend(svg: &str) -> Vec<(String, String)> {
    let doc = roxmltree::Document::parse(svg).unwrap_or_else(|e| panic!("SVG is XML: {e}\n{svg}"));
    let patterns: BTreeMap<&str, String> = doc
        .descendants()
        .filter(|n| n.has_tag_name("pattern"))
        .filter_map(|n| Some((n.attribute("id")?, look_of_pattern(n))))
        .collect();
    let mut out = Vec::new();
    for g in doc.descendants().filter(|n| n.attribute("class") == Some("legend")) {
        let items: Vec<roxmltree::Node> = g.children().filter(|c| c.is_element()).collect();
        for pair in items.chunks(2) {
            let [swatch, label] = pair else { continue };
            let Some(id) = swatch.attribute("fill").and_then(|f| f.strip_prefix("url(#")?.strip_suffix(')')) else {
                continue;
            };
            if let Some(look) = patterns.get(id) {
                out.push((label.text().unwrap_or("").to_string(), look.clone()));
            }
        }
    }
    out
}

/// The (label, look) of every HTML legend entry (`<span class="swatch seg-N pat-M">` then the
/// model's name).
fn html_legend(html: &str) -> Vec<(String, String)> {
    let mut out = Vec::new();
    for (i, _) in html.match_indices("<span class=\"swatch ") {
        let rest = &html[i + "<span class=\"swatch ".len()..];
        let classes = &rest[..rest.find('"').unwrap()];
        let after = &rest[rest.find("</span>").unwrap() + 7..];
        let label = common::text_of(&after[..after.find(" <span class=\"num count\">").unwrap_or(after.len())]);
        let look = if classes.contains("seg-nr") {
            "not-reported".to_string()
        } else {
            let get = |prefix: &str| {
                classes.split_whitespace().find_map(|k| k.strip_prefix(prefix)).unwrap_or("?").to_string()
            };
            format!("colour {}, pattern {}", get("seg-"), get("pat-"))
        };
        out.push((label.trim().to_string(), look));
    }
    out
}

/// An operating model (or "not reported") looks the same in every chart and bar of every page,
/// whichever models the page's enclaves happen to use.
fn a_category_keeps_its_colour_and_pattern_on_every_page(real: &RealSite) {
    let mut seen: BTreeMap<String, (String, String)> = BTreeMap::new();
    let mut count = 0;
    for (rel, html) in pages(&real.public()) {
        let mut found = html_legend(&html);
        for svg in svgs(&html).into_iter().filter(|s| s.contains("chart-stack")) {
            found.extend(svg_legend(svg));
        }
        for (label, look) in found {
            count += 1;
            match seen.get(&label) {
                Some((first, page)) => {
                    assert_eq!(&look, first, "{label:?} looks like {first} on {page} but like {look} on {rel}")
                }
                None => {
                    seen.insert(label, (look, rel.clone()));
                }
            }
        }
    }
    assert!(count > 10, "legends were found ({count})");
    // Every model of the directory is drawn somewhere, and no two models share a look.
    let mut looks: BTreeMap<&str, &str> = BTreeMap::new();
    for (label, (look, _)) in &seen {
        if let Some(other) = looks.insert(look, label) {
            panic!("{label:?} and {other:?} look alike: {look}");
        }
    }
    for m in real.site.models.iter().filter(|m| !m.used_by.is_empty()) {
        assert!(seen.contains_key(&m.name), "{} has a legend entry: {seen:?}", m.name);
    }
}

on_shipped_and_grown!(a_category_keeps_its_colour_and_pattern_on_every_page);
