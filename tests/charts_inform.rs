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
        // Each language names the categories in its own words: labels are told apart per
        // language (a site in two languages has its English pages under `en/`).
        let lang = if rel.starts_with("en/") { "en: " } else { "" };
        for (label, look) in found {
            let label = format!("{lang}{label}");
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
    let mut looks: BTreeMap<(bool, &str), &str> = BTreeMap::new();
    for (label, (look, _)) in &seen {
        if let Some(other) = looks.insert((label.starts_with("en: "), look), label) {
            panic!("{label:?} and {other:?} look alike: {look}");
        }
    }
    for m in real.site.models.iter().filter(|m| !m.used_by.is_empty()) {
        assert!(seen.contains_key(&m.name), "{} has a legend entry: {seen:?}", m.name);
    }
}

/// Measures, in the browser, every chart visible on the page: per SVG, the overlapping label
/// pairs, the labels an arc or arrowhead runs through, the cities without a label, and the
/// smallest label as drawn on screen (px).
const MEASURE: &str = r#"(() => {
  const out = [];
  const meet = (a, b, m) => a.x + m < b.x + b.width && b.x + m < a.x + a.width && a.y + m < b.y + b.height && b.y + m < a.y + a.height;
  for (const svg of document.querySelectorAll('svg.chart')) {
    const box = svg.getBoundingClientRect();
    if (box.width === 0) continue;
    const scale = box.width / svg.viewBox.baseVal.width;
    const texts = Array.from(svg.querySelectorAll('text')).filter(t => !t.classList.contains('halo') && t.textContent.trim() !== '');
    const boxes = texts.map(t => ({ t: t.textContent, b: t.getBBox(), c: t.getAttribute('class') || '', g: t.closest('.inset') ? 1 : 0 }));
    const overlaps = [];
    for (let i = 0; i < boxes.length; i++) for (let j = i + 1; j < boxes.length; j++) {
      if (boxes[i].g === boxes[j].g && meet(boxes[i].b, boxes[j].b, 0.5)) overlaps.push(boxes[i].t + ' / ' + boxes[j].t);
    }
    const crossed = [];
    const labels = boxes.filter(x => x.c.includes('city-lbl') || x.c.includes('ref-lbl'));
    for (const p of svg.querySelectorAll('.flow path')) {
      const inInset = p.closest('.inset') ? 1 : 0;
      const half = (parseFloat(p.getAttribute('stroke-width')) || 0) / 2;
      const len = p.getTotalLength();
      for (let s = 0; s <= len; s += 1.5) {
        const q = p.getPointAtLength(s);
        for (const l of labels) {
          if (l.g !== inInset) continue;
          const b = l.b;
          if (q.x + half > b.x + 0.5 && q.x - half < b.x + b.width - 0.5 && q.y + half > b.y + 0.5 && q.y - half < b.y + b.height - 0.5) {
            crossed.push(l.t + ' ← ' + p.parentNode.querySelector('title').textContent);
          }
        }
      }
    }
    // A city in the magnified inset may be labelled there only; it needs a label somewhere.
    const unlabelled = [];
    const names = Array.from(svg.querySelectorAll('text.city-lbl')).map(t => t.textContent);
    for (const c of svg.querySelectorAll('.cities circle')) {
      const name = c.querySelector('title').textContent.split(':')[0];
      if (!names.some(n => n === name || n.startsWith(name + ' '))) unlabelled.push(name);
    }
    // Every flow shows a stretch of arc, not only its arrowhead.
    for (const a of svg.querySelectorAll('.flow path.arc')) {
      if (a.getTotalLength() * scale < 8) crossed.push('arc too short: ' + a.parentNode.querySelector('title').textContent);
    }
    const sizes = texts.filter(t => t.closest('.labels') || t.closest('.legend')).map(t => parseFloat(getComputedStyle(t).fontSize) * scale);
    out.push({ id: svg.id, overlaps: [...new Set(overlaps)], crossed: [...new Set(crossed)], unlabelled: [...new Set(unlabelled)], smallest: sizes.length ? Math.min(...sizes) : 99, map: svg.classList.contains('chart-map') });
  }
  return out;
})()"#;

/// The pages with charts: the comparison and every place, sector and model page.
fn chart_pages(real: &RealSite) -> Vec<String> {
    let mut out = vec!["compare/".to_string()];
    for (rel, html) in pages(&real.public()) {
        let dir = rel.trim_end_matches("index.html");
        let section = dir.split('/').next().unwrap_or("");
        if ["places", "sectors", "models"].contains(&section) && dir.matches('/').count() == 2 && html.contains("<svg")
        {
            out.push(dir.to_string());
        }
    }
    out
}

/// No two labels of a chart overlap, no arc runs through a map's label, every arc shows at
/// least 8 px of its line, every city on a map is labelled, and on a phone no map label is
/// drawn smaller than about 10.5 px.
fn chart_labels_never_collide_and_stay_readable(real: &RealSite) {
    let server = common::http::serve(&real.public(), "/");
    let mut problems = Vec::new();
    for (width, height) in [(1280, 1000), (390, 844)] {
        let mut b = common::browser::Browser::launch(width, height);
        for page in chart_pages(real) {
            b.goto(&format!("{}{page}", server.base_url));
            let found: Vec<serde_json::Value> = serde_json::from_value(b.eval(MEASURE)).unwrap();
            for svg in found {
                let id = svg["id"].as_str().unwrap_or("?");
                for key in ["overlaps", "crossed", "unlabelled"] {
                    for what in svg[key].as_array().unwrap() {
                        problems.push(format!("{page} at {width} px, {id}: {key} {what}"));
                    }
                }
                let smallest = svg["smallest"].as_f64().unwrap();
                if width < 500 && svg["map"] == true && smallest < 10.5 {
                    problems.push(format!("{page} at {width} px, {id}: a map label is {smallest:.1} px"));
                }
            }
        }
    }
    assert!(problems.is_empty(), "{} problems:\n{}", problems.len(), problems.join("\n"));
}

/// The SVG charts of a page with their ids.
fn charts_of(html: &str) -> Vec<(String, String)> {
    svgs(html)
        .into_iter()
        .filter(|s| s.contains("class=\"chart"))
        .map(|s| {
            let doc = roxmltree::Document::parse(s).unwrap();
            (doc.root_element().attribute("id").unwrap_or("").to_string(), s.to_string())
        })
        .collect()
}

/// Below the thresholds of the README a chart gives way to a sentence or a small table: no map
/// of one flow, no 100% bar of one category, no bar chart of one bar or of bars all one
/// length, and on a sector's or model's page with a single enclave no chart and no tiles.
fn charts_appear_only_above_their_thresholds(real: &RealSite) {
    let mut seen = 0;
    for (rel, html) in pages(&real.public()) {
        for (id, svg) in charts_of(&html) {
            seen += 1;
            let doc = roxmltree::Document::parse(&svg).unwrap();
            let class = doc.root_element().attribute("class").unwrap_or("");
            let in_main = |n: &roxmltree::Node| !n.ancestors().any(|a| a.attribute("class") == Some("inset"));
            if class.contains("chart-map") {
                let flows = doc.descendants().filter(|n| n.attribute("class") == Some("flow") && in_main(n)).count();
                assert!(flows >= 2, "{rel} {id}: a map of {flows} flow(s)");
            } else if class.contains("chart-stack") {
                let first = doc.descendants().find(|n| n.attribute("class") == Some("row")).unwrap();
                let segments =
                    first.children().filter(|c| c.attribute("class").is_some_and(|k| k.contains("seg-box"))).count();
                assert!(segments >= 2, "{rel} {id}: a 100% bar of {segments} category");
            } else if class.contains("chart-bars") {
                let rows: Vec<String> = doc
                    .descendants()
                    .filter(|n| n.attribute("class") == Some("row"))
                    .map(|r| {
                        r.descendants()
                            .filter(|t| t.attribute("class") == Some("val"))
                            .filter_map(|t| t.text())
                            .collect()
                    })
                    .collect();
                assert!(rows.len() >= 2, "{rel} {id}: a bar chart of {} bar", rows.len());
                if id.starts_with("fig-sectors") {
                    assert!(rows.iter().any(|r| r != &rows[0]), "{rel} {id}: bars all of one length {rows:?}");
                }
            }
        }
    }
    assert!(seen > 10, "charts were drawn ({seen})");
    for t in real.site.sectors.iter().chain(&real.site.models).filter(|t| t.used_by.len() == 1) {
        let kind = if real.site.sectors.iter().any(|s| s.id == t.id) { "sectors" } else { "models" };
        let html = real.page(&format!("{kind}/{}/index.html", t.id));
        assert!(charts_of(&html).is_empty(), "{kind}/{}/ has one enclave and no chart", t.id);
        assert!(!html.contains("class=\"stats stats-small\""), "{kind}/{}/ has one enclave and no tiles", t.id);
        assert!(html.contains("class=\"insight"), "{kind}/{}/ says in a sentence what it holds", t.id);
    }
}

on_shipped_and_grown!(
    a_category_keeps_its_colour_and_pattern_on_every_page,
    chart_labels_never_collide_and_stay_readable,
    charts_appear_only_above_their_thresholds,
);
