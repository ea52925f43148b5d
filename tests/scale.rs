//! A directory of a thousand enclaves: every list is split into pages a visitor can load, every
//! page of a list is reachable from its first, every enclave appears exactly once across a
//! list's pages, and no page grows with the directory. Not timed: speed lives in
//! `scripts/bench-build`.

mod common;

use std::collections::{BTreeMap, BTreeSet};

use common::TestSite;

const N: usize = 1000;
const PAGE_SIZE: usize = 50;

/// The basic fixture with `N` generated enclaves added, spread over its places, sectors and
/// models, and a small page size.
fn thousand() -> TestSite {
    let site = TestSite::fixture("basic");
    site.edit("content/site.yaml", "language: zh-CN", &format!("language: zh-CN\npage_size: {PAGE_SIZE}"));
    let homes = ["huishan", "wuxi", "jiashan", "jiangsu"];
    let hosts = ["minhang", "hongqiao", "shenzhen", "shanghai"];
    let sectors = ["ai", "new-materials"];
    let models = ["self_operated", "commissioned", "co_built"];
    for i in 0..N {
        let text = format!(
            "---\nname: 生成飞地{i:04}\nhome: {}\nhost: {}\nmodel: {}\nsectors: [{}]\narea_m2: {}\nsources:\n  - title: 生成来源\n---\n\n第 {i} 个生成的飞地，用来检验分页。\n",
            homes[i % homes.len()],
            hosts[(i / 3) % hosts.len()],
            models[i % models.len()],
            sectors[i % sectors.len()],
            1000 + i,
        );
        site.write(&format!("content/enclaves/gen-{i:04}.md"), &text);
    }
    site
}

/// Hrefs of the pager links and the enclave rows on a page, resolved from the site root.
fn page_links(html: &str, page: &str) -> (Vec<String>, Vec<String>) {
    let dir: Vec<&str> = page.trim_end_matches("index.html").split('/').filter(|s| !s.is_empty()).collect();
    let resolve = |href: &str| -> String {
        let mut parts: Vec<&str> = dir.clone();
        for seg in href.split('/') {
            match seg {
                ".." => {
                    parts.pop();
                }
                "" | "." => {}
                s => parts.push(s),
            }
        }
        parts.join("/") + "/"
    };
    let mut pager = Vec::new();
    if let Some(start) = html.find("<nav class=\"pager\"") {
        let nav = &html[start..start + html[start..].find("</nav>").unwrap()];
        pager = common::links(nav).iter().map(|h| resolve(h)).collect();
    }
    let slugs = html.match_indices("<tr data-slug=\"").map(|(i, m)| {
        let rest = &html[i + m.len()..];
        rest[..rest.find('"').unwrap()].to_string()
    });
    (pager, slugs.collect())
}

/// Follows the pager from `first` (a page path like `enclaves/`): every page of the list, each
/// reached once, with the rows it lists.
fn crawl(site: &TestSite, first: &str) -> BTreeMap<String, Vec<String>> {
    let mut seen: BTreeMap<String, Vec<String>> = BTreeMap::new();
    let mut todo = vec![first.to_string()];
    while let Some(p) = todo.pop() {
        if seen.contains_key(&p) {
            continue;
        }
        let html = site.page(&format!("{p}index.html"));
        let (pager, rows) = page_links(&html, &format!("{p}index.html"));
        for link in pager {
            assert!(link.starts_with(first), "{p}: a pager link leaves the list: {link}");
            todo.push(link);
        }
        seen.insert(p, rows);
    }
    seen
}

#[test]
fn a_thousand_enclaves_are_paginated_completely() {
    let site = thousand();
    let run = site.build_ok();
    let snap = site.snapshot();
    let total = N + 3;
    let list_pages = total.div_ceil(PAGE_SIZE);

    // Every enclave has its page; the list has exactly as many pages as it needs.
    let enclave_pages = snap.keys().filter(|k| k.starts_with("enclaves/") && k.ends_with("/index.html")).count();
    assert_eq!(enclave_pages, total + list_pages, "one page per enclave plus the list's pages");
    assert!(run.stdout.contains(&format!("Built {total} enclaves")), "{}", run.stdout);

    // The enclave list: every page reachable from the first, every enclave exactly once.
    for (first, expected) in [("enclaves/", total), ("compare/", total)] {
        let pages = crawl(&site, first);
        assert_eq!(pages.len(), list_pages, "{first}: {:?}", pages.keys().collect::<Vec<_>>());
        let all: Vec<&String> = pages.values().flatten().collect();
        let unique: BTreeSet<&String> = all.iter().copied().collect();
        assert_eq!(all.len(), expected, "{first}: every enclave listed once");
        assert_eq!(unique.len(), expected, "{first}: no enclave twice");
        for rows in pages.values() {
            assert!(rows.len() <= PAGE_SIZE);
        }
    }

    // A place's two lists and a term's list: complete across their pages.
    let hosted: BTreeSet<String> =
        (0..N).filter(|i| (i / 3) % 4 == 0).map(|i| format!("gen-{i:04}")).chain(["alpha".to_string()]).collect();
    let pages = crawl(&site, "places/minhang/");
    let listed: Vec<&String> = pages.values().flatten().filter(|s| s.starts_with("gen-") || *s == "alpha").collect();
    assert_eq!(listed.len(), hosted.len(), "every enclave hosted in 闵行区 once");
    assert_eq!(listed.into_iter().cloned().collect::<BTreeSet<_>>(), hosted);
    let ai = crawl(&site, "sectors/ai/");
    let listed: usize = ai.values().map(Vec::len).sum();
    let expected = (0..N).filter(|i| i % 2 == 0).count() + 1; // and the fixture's beta
    assert_eq!(listed, expected, "sectors/ai/ lists each of its enclaves once");

    // Charts and summaries stay on the first page, over the whole list.
    let first = site.page("places/minhang/index.html");
    let second = site.page("places/minhang/page/2/index.html");
    assert!(first.contains("id=\"charts\"") && !second.contains("id=\"charts\""));
    let stat = common::html::elements(&first, "<div class=\"stat\"")
        .into_iter()
        .map(common::text_of)
        .find(|s| s.starts_with("承接的飞地 "))
        .expect("the count of hosted enclaves");
    assert_eq!(stat, format!("承接的飞地 {}", hosted.len()), "the count covers every page");
    assert!(second.contains("rel=\"prev\""), "page 2 links back");

    // No page grows with the directory: the largest HTML page stays small.
    let (largest, size) = snap
        .iter()
        .filter(|(k, _)| k.ends_with(".html"))
        .map(|(k, v)| (k.clone(), v.len()))
        .max_by_key(|x| x.1)
        .unwrap();
    assert!(size < 400 * 1024, "{largest} is {size} bytes");
    // And every internal link still resolves.
    let broken = common::broken_links(&site.public(), "/");
    assert!(broken.is_empty(), "{broken:?}");

    // The comparison's data comes in chunks; every enclave is in exactly one.
    let data = common::compare_data(&site.public());
    let chunks = data["chunks"].as_array().unwrap();
    assert!(chunks.len() >= 5, "{} chunks", chunks.len());
    assert_eq!(data["e"].as_object().unwrap().len(), total);
    for c in chunks {
        let size = snap[c.as_str().unwrap()].len();
        assert!(size < 200 * 1024, "{c} is {size} bytes");
    }

    // In a browser, choosing two enclaves loads their chunks only, and shows them side by side.
    let server = common::http::serve(&site.public(), "/");
    let mut b = common::browser::Browser::launch(1280, 900);
    b.goto(&format!("{}compare/?e=gen-0001,gen-0500", server.base_url));
    b.wait_for("document.querySelectorAll('#side-table thead th[data-slug]').length === 2", 20_000);
    assert_eq!(b.slugs("#side-table thead th[data-slug]"), ["gen-0001", "gen-0500"]);
    let loaded = b.eval("document.querySelectorAll('script[src*=\"compare/data-\"]').length").as_u64().unwrap();
    assert!((1..=2).contains(&loaded), "{loaded} chunks loaded of {}", chunks.len());
    let area = b.eval("document.querySelector('#side-table tr[data-field=\"area_m2\"] td:nth-child(3)').textContent");
    assert_eq!(area, "1,500 平方米", "gen-0500's area, from its chunk");
}

/// What keeps a large directory small in memory: every enclave at one place holds the same
/// reference to it and the same roll-up, and every enclave of a sector or model the same
/// reference to that, rather than a copy each (about 260 MB at 100,000 enclaves). Enclaves at
/// different places never share.
#[test]
fn enclaves_at_one_place_share_its_reference_and_roll_up() {
    let site = thousand();
    let built = feidi::pipeline::run(site.root(), &Default::default()).expect("the site builds");
    let enclaves = &built.site.enclaves;
    assert!(enclaves.len() >= N, "{} enclaves", enclaves.len());
    let mut first_at: BTreeMap<&str, &feidi::model::Enclave> = BTreeMap::new();
    let mut checked = 0;
    for e in enclaves {
        let Some(other) = first_at.get(e.host.id.as_str()) else {
            first_at.insert(&e.host.id, e);
            continue;
        };
        assert!(e.host.shares_with(&other.host), "{} and {}: host {}", e.slug, other.slug, e.host.id);
        assert!(e.host_city.shares_with(&other.host_city), "{}: host city", e.slug);
        assert!(std::sync::Arc::ptr_eq(&e.host_rollup, &other.host_rollup), "{}: host roll-up", e.slug);
        if let (Some(a), Some(b)) = (&e.model, &other.model)
            && a.id == b.id
        {
            assert!(a.shares_with(b), "{}: model {}", e.slug, a.id);
        }
        checked += 1;
    }
    assert!(checked >= N - first_at.len(), "{checked} enclaves compared");
    let hosts: Vec<&&feidi::model::Enclave> = first_at.values().collect();
    for (i, a) in hosts.iter().enumerate() {
        for b in &hosts[i + 1..] {
            assert!(!a.host.shares_with(&b.host), "{} and {} share a reference", a.host.id, b.host.id);
        }
    }
}
