//! Accessibility of the real directory (`content/`) in headless Chromium: axe-core
//! (`scripts/test` installs it into `.tools/`) runs on the home page, the enclave list, an
//! enclave, a place, an operator, the comparison (empty and with two enclaves chosen by URL)
//! and the 404 page, at a desktop and at a phone width, and must report no serious or critical
//! violation.
//!
//! Each page is checked once its scripts have done their work (the search index loaded, a
//! query's results drawn, the comparison drawn), so that what they add to the page is checked
//! too. A run in which axe passed no rule at all counts as a failure: it did not run.

mod common;
use common::browser::Browser;
use common::http::serve;
use common::real::{SEEDS, shipped};
use serde_json::Value;

const TIMEOUT: u64 = 30_000;

/// The enclave, place and operator whose pages are checked: an article's enclave with a model,
/// sectors and operators, the city with the most enclaves, and the operator of many.
const ENCLAVE: &str = "xishan-shanghai-offshore-innovation-center";
const PLACE: &str = "wuxi";
const OPERATOR: &str = "tusstar";

/// axe-core's browser build, or a panic that says how to get it.
fn axe_source() -> String {
    let path = common::repo().join(".tools/node_modules/axe-core/axe.min.js");
    std::fs::read_to_string(&path).unwrap_or_else(|e| {
        panic!("{} is missing ({e}): run scripts/test, which installs axe-core into .tools/", path.display())
    })
}

/// The pages checked, with a condition (JavaScript) that holds once the page's scripts are done.
fn pages() -> Vec<(String, &'static str)> {
    let two = format!("{},{}", SEEDS[0].slug, SEEDS[2].slug);
    let searched = "(() => { const s = document.getElementById('search'); return !s || s.dataset.state === 'done' || s.dataset.state === 'idle'; })()";
    vec![
        (String::new(), searched),
        ("enclaves/".into(), searched),
        // Results and facets drawn by the search script.
        (
            "enclaves/?q=%E6%97%A0%E9%94%A1".into(),
            "document.getElementById('search').dataset.state === 'done' && document.getElementById('search').dataset.rendered === '无锡'",
        ),
        (format!("enclaves/{ENCLAVE}/"), "!document.querySelector('.entry-actions button[data-compare][hidden]')"),
        (format!("places/{PLACE}/"), searched),
        (format!("operators/{OPERATOR}/"), searched),
        ("compare/".into(), "true"),
        (format!("compare/?e={two}"), "document.querySelectorAll('#side-table thead th').length === 3"),
        ("404.html".into(), searched),
    ]
}

/// Runs axe on the open page and returns its serious and critical violations.
fn violations(b: &mut Browser, axe: &str) -> Vec<Value> {
    if b.eval("typeof window.axe") != "object" {
        // Evaluated as a script of its own; its value (whatever it is) is not wanted.
        b.eval(&format!("{axe};\nundefined"));
    }
    let found = b.eval(
        "axe.run(document, { resultTypes: ['violations'] }).then(r => r.passes.length === 0
            ? [{ id: 'axe-ran-no-rule', impact: 'critical', help: 'axe passed no rule: it did not run', nodes: [] }]
            : r.violations.filter(v => v.impact === 'serious' || v.impact === 'critical')
            .map(v => ({ id: v.id, impact: v.impact, help: v.help, url: v.helpUrl, count: v.nodes.length,
                nodes: v.nodes.slice(0, 4).map(n => ({ target: n.target.join(' '), html: n.html.slice(0, 240),
                    why: (n.failureSummary || '').slice(0, 300) })) })))",
    );
    found.as_array().cloned().unwrap_or_default()
}

/// A violation as a developer needs it to fix it.
fn describe(page: &str, width: u32, scheme: &str, v: &Value) -> String {
    let mut out = format!(
        "{page} at {width}px, {scheme}: {} ({}) — {} [{} element(s)] {}\n",
        v["id"].as_str().unwrap_or("?"),
        v["impact"].as_str().unwrap_or("?"),
        v["help"].as_str().unwrap_or(""),
        v["count"],
        v["url"].as_str().unwrap_or(""),
    );
    for n in v["nodes"].as_array().into_iter().flatten() {
        out.push_str(&format!(
            "    at {}\n      {}\n",
            n["target"].as_str().unwrap_or(""),
            n["html"].as_str().unwrap_or("")
        ));
        for line in n["why"].as_str().unwrap_or("").lines() {
            out.push_str(&format!("      | {line}\n"));
        }
    }
    out
}

/// Every page at `width` pixels, in the light or the dark colour scheme: axe reports no serious
/// or critical violation.
fn check_at(width: u32, height: u32, dark: bool) {
    let axe = axe_source();
    let r = shipped();
    let server = serve(&r.public(), "/");
    let mut b = Browser::launch(width, height);
    let scheme = if dark { "dark" } else { "light" };
    b.call(
        "Emulation.setEmulatedMedia",
        serde_json::json!({ "features": [{ "name": "prefers-color-scheme", "value": scheme }] }),
    );
    let mut failures = Vec::new();
    for (page, ready) in pages() {
        b.goto(&format!("{}{page}", server.base_url));
        b.wait_for(ready, TIMEOUT);
        let matches = b.eval("matchMedia('(prefers-color-scheme: dark)').matches");
        assert_eq!(matches, dark, "{page}: the page sees the {scheme} colour scheme");
        let shown = if page.is_empty() { "index.html" } else { page.as_str() };
        for v in violations(&mut b, &axe) {
            failures.push(describe(shown, width, scheme, &v));
        }
    }
    assert!(failures.is_empty(), "axe found serious or critical violations:\n{}", failures.join("\n"));
}

#[test]
fn no_serious_violation_at_desktop_width() {
    check_at(1280, 900, false);
}

#[test]
fn no_serious_violation_at_phone_width() {
    check_at(390, 844, false);
}

#[test]
fn no_serious_violation_in_the_dark_colour_scheme() {
    check_at(1280, 900, true);
}
