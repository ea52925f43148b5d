//! One build, several languages: `site.yaml`'s `languages` builds the first at the site root and
//! each other one under `/<lang>/`. Every page has its counterpart in every language, linked
//! both ways (`hreflang` alternates, the language switch, the sitemap); each language has its
//! own feed and search index; English pages read as English, and where an entry lacks its
//! English form the Chinese text stands in, marked `lang="zh-CN"`, and `check` says so.

mod common;
use std::collections::BTreeSet;
use std::path::Path;

use common::browser::Browser;
use common::http::serve;
use common::real::{RealSite, on_shipped_and_grown};
use common::{TestSite, feidi};

/// Every HTML page of a built site, as paths relative to its folder.
fn pages(public: &Path) -> BTreeSet<String> {
    common::snapshot(public).into_keys().filter(|p| p.ends_with(".html")).collect()
}

/// The page path (`enclaves/a/`) of an output file (`enclaves/a/index.html`).
fn page_path(file: &str) -> &str {
    file.strip_suffix("index.html").unwrap_or(file)
}

/// `(hreflang, href)` of every `<link rel="alternate" hreflang>` of a page.
fn alternates(html: &str) -> Vec<(String, String)> {
    let mut out = Vec::new();
    for tag in html.split("<link ").skip(1) {
        let tag = &tag[..tag.find('>').unwrap_or(tag.len())];
        let attr = |name: &str| {
            let key = format!("{name}=\"");
            tag.find(&key).map(|i| {
                let rest = &tag[i + key.len()..];
                rest[..rest.find('"').unwrap()].to_string()
            })
        };
        if attr("rel").as_deref() == Some("alternate")
            && let (Some(lang), Some(href)) = (attr("hreflang"), attr("href"))
        {
            out.push((lang, href));
        }
    }
    out
}

/// Resolves a relative link from the page at `file` to a path inside the site, `..` climbed.
fn resolve(file: &str, link: &str) -> String {
    let mut parts: Vec<&str> = file.split('/').collect();
    parts.pop();
    for seg in link.split('/') {
        match seg {
            ".." => {
                parts.pop();
            }
            "." | "" => {}
            s => parts.push(s),
        }
    }
    let mut out = parts.join("/");
    if link.ends_with('/') || link.is_empty() {
        if !out.is_empty() {
            out.push('/');
        }
        out.push_str("index.html");
    }
    out
}

/// The site's two languages in both trees: the same pages, each linking its counterpart, every
/// link of every page resolving.
fn both_trees_are_built_paired_and_every_link_resolves(r: &RealSite) {
    let public = r.public();
    let all = pages(&public);
    let zh: BTreeSet<&str> = all.iter().filter(|p| !p.starts_with("en/")).map(String::as_str).collect();
    let en: BTreeSet<&str> = all.iter().filter_map(|p| p.strip_prefix("en/")).collect();
    assert!(zh.contains("index.html") && zh.contains("enclaves/index.html"), "the Chinese tree is at the root");
    assert_eq!(zh, en, "every page has its English counterpart under en/, and no other");
    for e in &r.site.enclaves {
        assert!(en.contains(format!("enclaves/{}/index.html", e.slug).as_str()), "{} in English", e.slug);
    }
    let broken = common::broken_links(&public, &r.site.config.base_path);
    assert!(broken.is_empty(), "links that resolve to no file:\n{}", broken.join("\n"));

    let base = &r.site.config.base_url;
    for file in &zh {
        if *file == "404.html" {
            continue;
        }
        let path = page_path(file);
        let want = vec![
            ("zh-CN".to_string(), format!("{base}{path}")),
            ("x-default".to_string(), format!("{base}{path}")),
            ("en".to_string(), format!("{base}en/{path}")),
        ];
        for (tree, rel) in [("zh-CN", file.to_string()), ("en", format!("en/{file}"))] {
            let html = common::read_built(&public, &rel);
            assert_eq!(alternates(&html), want, "{rel}: its alternates name both languages");
            assert!(html.contains(&format!("<html lang=\"{tree}\">")), "{rel} is in {tree}");
            // The language switch leads to the same page in the other language.
            let switch = common::html::element(&html, "<nav class=\"lang-switch\"");
            let links = common::links(switch);
            assert_eq!(links.len(), 1, "{rel}: the switch links the one other language: {switch}");
            let other = if tree == "en" { file.to_string() } else { format!("en/{file}") };
            assert_eq!(resolve(&rel, &links[0]), other, "{rel}: the switch keeps the page");
        }
    }

    let sitemap = common::read_built(&public, "sitemap.xml");
    for file in &zh {
        if *file == "404.html" {
            continue;
        }
        let path = page_path(file);
        for loc in [format!("{base}{path}"), format!("{base}en/{path}")] {
            let entry = format!(
                "<url><loc>{loc}</loc><xhtml:link rel=\"alternate\" hreflang=\"zh-CN\" href=\"{base}{path}\"/><xhtml:link rel=\"alternate\" hreflang=\"en\" href=\"{base}en/{path}\"/></url>"
            );
            assert!(sitemap.contains(&entry), "the sitemap lists {loc} with its alternates");
        }
    }

    // A feed and a search index of each language's own.
    let feed = common::read_built(&public, "en/atom.xml");
    assert!(feed.contains("xml:lang=\"en\""), "the English feed is in English");
    assert!(feed.contains(&format!("<link rel=\"self\" href=\"{base}en/atom.xml\"/>")));
    for e in r.site.enclaves.iter().filter(|e| e.name_en.is_some()) {
        let title = format!("<title>{}</title>", feidi::escape::xml(e.name_en.as_deref().unwrap()));
        assert!(feed.contains(&title), "the English feed names {} in English", e.slug);
        assert!(common::read_built(&public, "atom.xml").contains(&format!("<title>{}</title>", e.name)));
    }
    let list = common::read_built(&public, "en/enclaves/index.html");
    let index = list.split("data-index=\"").nth(1).unwrap().split('"').next().unwrap();
    assert!(index.starts_with("../search/index."), "the English list loads the English index: {index}");
    assert!(public.join("en/search").is_dir() && public.join("search").is_dir());
    // The open data is one set for all languages, carrying both names.
    let data = common::read_built(&public, "data/enclaves.json");
    for e in r.site.enclaves.iter().filter(|e| e.name_en.is_some()) {
        assert!(data.contains(&serde_json::to_string(e.name_en.as_deref().unwrap()).unwrap()), "{}", e.slug);
    }
    assert!(!public.join("en/data").exists(), "the open data is not copied per language");
}

/// Characters of Chinese text (CJK ideographs and their punctuation).
fn is_chinese(c: char) -> bool {
    matches!(c, '\u{3000}'..='\u{303f}' | '\u{3400}'..='\u{4dbf}' | '\u{4e00}'..='\u{9fff}' | '\u{ff01}'..='\u{ff5e}')
}

/// The visible text of `html` (and the attributes a reader meets: `aria-label`, `placeholder`,
/// `title`, `alt`) that holds Chinese outside the elements `exempt` accepts, given each
/// element's tag and attributes.
fn chinese_outside(html: &str, exempt: &dyn Fn(&str, &str) -> bool) -> Vec<String> {
    const VOID: &[&str] =
        &["area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "wbr"];
    let mut found = Vec::new();
    let mut stack: Vec<(String, bool)> = Vec::new();
    let mut rest = html;
    let check = |text: &str, stack: &[(String, bool)], found: &mut Vec<String>| {
        if text.chars().any(is_chinese) && !stack.iter().any(|(_, skip)| *skip) {
            found.push(text.trim().chars().take(60).collect());
        }
    };
    while let Some(i) = rest.find('<') {
        check(&rest[..i], &stack, &mut found);
        let end = rest[i..].find('>').map_or(rest.len(), |j| i + j);
        let tag = &rest[i + 1..end];
        rest = &rest[(end + 1).min(rest.len())..];
        if tag.starts_with('!') {
            continue;
        }
        if let Some(name) = tag.strip_prefix('/') {
            let name = name.trim();
            if let Some(k) = stack.iter().rposition(|(n, _)| n == name) {
                stack.truncate(k);
            }
            continue;
        }
        let name: String = tag.chars().take_while(|c| c.is_ascii_alphanumeric()).collect();
        let skip = matches!(name.as_str(), "script" | "style") || exempt(&name, tag);
        if !skip && !stack.iter().any(|(_, s)| *s) {
            for attr in ["aria-label=\"", "placeholder=\"", "title=\"", "alt=\""] {
                if let Some(k) = tag.find(attr) {
                    let v = &tag[k + attr.len()..];
                    check(&v[..v.find('"').unwrap_or(v.len())], &stack, &mut found);
                }
            }
        }
        if name == "script" || name == "style" {
            // Their content is not text; skip to the end tag.
            let close = format!("</{name}");
            let k = rest.find(&close).unwrap_or(rest.len());
            rest = &rest[k..];
        }
        if !VOID.contains(&name.as_str()) && !tag.ends_with('/') {
            stack.push((name, skip));
        }
    }
    check(rest, &stack, &mut found);
    found
}

/// What may hold Chinese on an English page whatever it lacks: an entry's own names (its
/// Chinese name under the English one, its aliases), the titles of its sources as published,
/// and the language switch's "中文".
fn names_and_titles(name: &str, tag: &str) -> bool {
    let class = tag.split("class=\"").nth(1).map_or("", |c| c.split('"').next().unwrap_or(""));
    name == "cite" || class.split(' ').any(|c| ["alt-name", "alias-list", "lang-switch"].contains(&c))
}

/// The English pages of enclaves, places and the enclave list.
fn english_pages(public: &Path) -> Vec<String> {
    pages(public).into_iter().filter(|p| p.starts_with("en/enclaves/") || p.starts_with("en/places/")).collect()
}

#[test]
fn english_pages_of_the_shipped_directory_hold_no_chinese_outside_names_and_source_titles() {
    let r = common::real::shipped();
    let public = r.public();
    assert!(english_pages(&public).len() > r.site.enclaves.len(), "enclave, place and list pages");
    // Every English page, the enclave, place and list pages among them.
    let list: Vec<String> = pages(&public).into_iter().filter(|p| p.starts_with("en/")).collect();
    let mut problems = Vec::new();
    for rel in &list {
        for text in chinese_outside(&common::read_built(&public, rel), &names_and_titles) {
            problems.push(format!("{rel}: {text}"));
        }
    }
    assert!(problems.is_empty(), "Chinese on English pages:\n{}", problems.join("\n"));
}

/// A fixture built in both languages, with one enclave given its English forms.
fn bilingual_fixture() -> TestSite {
    let site = TestSite::fixture("basic");
    site.edit("content/site.yaml", "language: zh-CN", "languages: [zh-CN, en]");
    site
}

#[test]
fn missing_english_falls_back_to_chinese_marked_as_such_and_check_warns() {
    let site = bilingual_fixture();
    let check = feidi(&["check", "--root", site.root().to_str().unwrap()]);
    assert_eq!(check.code, 0, "missing English is a warning, not an error:\n{}", check.stderr);
    assert!(
        check.stderr.contains("enclave `alpha` has no English for") && check.stderr.contains("`## English`"),
        "check names what an entry lacks:\n{}",
        check.stderr
    );
    site.build_ok();
    let public = site.public();
    let mut unmarked = Vec::new();
    let mut marked = 0;
    for rel in english_pages(&public) {
        let html = common::read_built(&public, &rel);
        let lang_zh = |name: &str, tag: &str| names_and_titles(name, tag) || tag.contains("lang=\"zh-CN\"");
        unmarked.extend(chinese_outside(&html, &lang_zh).into_iter().map(|t| format!("{rel}: {t}")));
        marked += html.matches(" lang=\"zh-CN\"").count();
    }
    assert!(unmarked.is_empty(), "Chinese on English pages without lang=\"zh-CN\":\n{}", unmarked.join("\n"));
    assert!(marked > 0, "the fixture lacks English, so its English pages mark Chinese text");
    // The description falls back as a whole, in an element that says it is Chinese.
    let alpha = site.page("en/enclaves/alpha/index.html");
    assert!(alpha.contains("<div class=\"prose\" lang=\"zh-CN\">"), "{}", common::html::element(&alpha, "<main"));
    // The Chinese pages mark nothing: their text is in their own language.
    let zh = site.page("enclaves/alpha/index.html");
    assert!(zh.contains("<div class=\"prose\">"), "the Chinese description is not marked");
}

#[test]
fn english_forms_replace_the_chinese_field_by_field() {
    let site = bilingual_fixture();
    let file = "content/enclaves/alpha.md";
    let text = site.read(file);
    let body_at = text[4..].find("\n---\n").unwrap() + 4;
    let (front, body) = text.split_at(body_at);
    let kind = front.lines().find(|l| l.starts_with("kind:")).expect("alpha has a kind");
    let front = front.replace(kind, &format!("{kind}\nkind_en: Test incubator"));
    site.write(
        file,
        &format!(
            "{front}{}\n## English\n\nAn English description of **alpha**, with [a link](@/enclaves/beta.md).\n",
            body.trim_end()
        ),
    );
    site.build_ok();
    let en = site.page("en/enclaves/alpha/index.html");
    let zh = site.page("enclaves/alpha/index.html");
    assert!(en.contains("An English description of <strong>alpha</strong>"), "the English page has the English part");
    assert!(en.contains("href=\"../../enclaves/beta/\""), "its links stay in the English tree");
    assert!(!zh.contains("An English description"), "the Chinese page shows only the part before `## English`");
    assert!(!zh.contains(">English</h2>"), "nor the marker line");
    assert!(common::html::fact(&en, "Kind").is_some_and(|k| k.contains("Test incubator")), "kind_en in Key facts");
    let list = site.page("en/enclaves/index.html");
    let row = common::html::element(&list, "<tr data-slug=\"alpha\"");
    assert!(row.contains("Test incubator") && !row.contains(kind.trim_start_matches("kind:").trim()));
}

#[test]
fn one_language_builds_as_before_and_wrong_lists_are_errors() {
    let site = TestSite::fixture("basic");
    site.build_ok();
    let public = site.public();
    assert!(!public.join("en").exists(), "a single `language:` builds no other tree");
    let home = site.page("index.html");
    assert!(alternates(&home).is_empty() && !home.contains("lang-switch"), "and no alternates or switch");
    assert!(!site.read("public/sitemap.xml").contains("xhtml"));

    site.edit("content/site.yaml", "language: zh-CN", "languages: [zh-CN, fr, zh-CN]");
    let run = site.build(&[]);
    assert_eq!(run.code, 1);
    assert!(run.stderr.contains("unsupported interface language `fr`"), "{}", run.stderr);
    assert!(run.stderr.contains("`zh-CN` is listed twice in `languages`"), "{}", run.stderr);
    assert!(run.stderr.contains("content/site.yaml:5:"), "each at its line: {}", run.stderr);

    // English first: English at the root, Chinese under /zh-CN/.
    site.edit("content/site.yaml", "languages: [zh-CN, fr, zh-CN]", "languages: [en, zh-CN]");
    site.build_ok();
    assert!(site.page("index.html").contains("<html lang=\"en\">"));
    assert!(site.page("zh-CN/index.html").contains("<html lang=\"zh-CN\">"));
    let broken = common::broken_links(&site.public(), "/");
    assert!(broken.is_empty(), "{}", broken.join("\n"));
}

on_shipped_and_grown!(both_trees_are_built_paired_and_every_link_resolves);

const TIMEOUT: u64 = 30_000;

/// Waits until the search shows complete results for what its box holds.
fn settle(b: &mut Browser) {
    b.settle_search(TIMEOUT);
}

/// Types `q` into the search box and returns the result slugs.
fn search(b: &mut Browser, q: &str) -> Vec<String> {
    b.type_query(q, TIMEOUT);
    b.slugs("#search-results [data-slug]")
}

#[test]
fn english_search_finds_english_names_in_any_case_pinyin_and_facets_with_english_labels() {
    let r = common::real::shipped();
    let server = serve(&r.public(), "/");
    let mut b = Browser::launch(1280, 900);
    b.goto(&format!("{}en/enclaves/", server.base_url));
    settle(&mut b);
    let huishan = "huishan-shenzhen-innovation-center";
    let taicang = "taicang-german-sme-incubation-center";
    let name = r.enclave(taicang).name_en.clone().unwrap();
    for q in [name.to_lowercase(), name.to_uppercase(), "German SME".into(), "gErMaN sMe".into()] {
        assert_eq!(search(&mut b, &q).first().map(String::as_str), Some(taicang), "`{q}` finds it first");
    }
    let first = b.eval("document.querySelector('#search-results a').textContent");
    assert_eq!(first, name.as_str(), "the result is named in English");
    // Pinyin of the Chinese names: 创新中心 is "Innovation Center" in English, never "chuangxin".
    let with_it = r.slugs_where(|e| e.name.contains("创新中心"));
    let mut got = search(&mut b, "chuangxin zhongxin");
    got.sort();
    assert_eq!(got, with_it, "pinyin finds the names that hold 创新中心");
    assert!(search(&mut b, "huishan").contains(&huishan.to_string()));
    // A facet: English labels, and ticking one narrows the results.
    search(&mut b, "wuxi");
    let legend = b.eval("document.querySelector('#search-facets legend').textContent");
    assert_eq!(legend, "Host");
    let sel = "#search-facets input[name='host'][value='shenzhen']";
    let label =
        b.eval(&format!("document.querySelector(\"{sel}\").closest('label').querySelector('.facet-name').textContent"));
    assert_eq!(label, "Shenzhen");
    b.click(sel);
    b.wait_for(&format!("document.querySelector(\"{sel}\").checked"), TIMEOUT);
    settle(&mut b);
    let mut got = b.slugs("#search-results [data-slug]");
    got.sort();
    let want =
        r.slugs_where(|e| e.home_rollup.iter().any(|p| p == "wuxi") && e.host_rollup.iter().any(|p| p == "shenzhen"));
    assert_eq!(got, want, "Wuxi's enclaves hosted in Shenzhen");
    // Places show their short English names; the full one still finds them.
    let short = b.eval("document.querySelector(\"#search-facets input[name='host'][value='tusstar-base-cities']\").closest('label').querySelector('.facet-name').textContent");
    assert_eq!(short, r.site.place("tusstar-base-cities").unwrap().short_en.as_deref().unwrap());
    let status = b.eval("document.getElementById('search-status').textContent");
    assert!(status.as_str().unwrap().contains("enclaves match"), "the status reads English: {status}");
    assert!(!status.as_str().unwrap().chars().any(is_chinese));
    let zone = r.site.place("wuxi-hi-tech-zone").unwrap();
    assert_ne!(zone.short_en, zone.name_en);
    let full = zone.name_en.clone().unwrap();
    let with_zone = r.slugs_where(|e| e.home_rollup.iter().any(|p| p == "wuxi-hi-tech-zone"));
    let mut got = search(&mut b, &full);
    got.sort();
    assert_eq!(got, with_zone, "`{full}` finds what is set up in the zone");
}

#[test]
fn two_languages_build_the_same_bytes_on_any_number_of_threads() {
    let site = bilingual_fixture();
    let build = |threads: &str| site.build_on_threads(threads);
    let one = build("1");
    assert!(one.keys().any(|p| p.starts_with("en/search/")), "the English tree has its index");
    assert!(one == build("4"), "the same files, byte for byte, on one thread and on four");
}
