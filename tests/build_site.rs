//! Building the fixture site: the pages a visitor sees, their links, roll-ups, open data and
//! determinism.

mod common;
use common::html::{element, elements, fact, table_rows, text};
use common::{TestSite, broken_links, feidi, snapshot, text_of};

fn built() -> TestSite {
    let site = TestSite::fixture("basic");
    site.build_ok();
    site
}

#[test]
fn writes_every_required_path() {
    let site = built();
    for path in [
        "enclaves/alpha/index.html",
        "enclaves/beta/index.html",
        "enclaves/gamma/index.html",
        "operators/cmsk/index.html",
        "operators/semi/index.html",
        "places/shanghai/index.html",
        "places/minhang/index.html",
        "places/wuxi/index.html",
        "places/huishan/index.html",
        "places/yrd/index.html",
        "places/shenzhen/index.html",
        "sectors/index.html",
        "sectors/new-materials/index.html",
        "sectors/ai/index.html",
        "models/index.html",
        "models/commissioned/index.html",
        "models/self_operated/index.html",
        "pages/about/index.html",
    ]
    .iter()
    .chain(common::SITE_FILES)
    {
        assert!(site.public().join(path).is_file(), "missing public/{path}");
    }
    // Terms and places with nothing to show get no page.
    assert!(!site.public().join("sectors/unused/index.html").exists());
    assert!(!site.public().join("models/co_built/index.html").exists());
}

#[test]
fn every_internal_link_resolves() {
    let site = built();
    let broken = broken_links(&site.public(), "/");
    assert!(broken.is_empty(), "broken links:\n{}", broken.join("\n"));
}

#[test]
fn links_work_under_a_base_url_path_prefix() {
    let site = TestSite::fixture("basic");
    let run = site.build(&["--base-url", "https://example.org/feidi/"]);
    assert!(run.ok(), "{}", run.stderr);
    let broken = broken_links(&site.public(), "/feidi/");
    assert!(broken.is_empty(), "broken links:\n{}", broken.join("\n"));
    assert!(site.page("sitemap.xml").contains("<loc>https://example.org/feidi/enclaves/alpha/</loc>"));
    assert!(
        site.page("enclaves/alpha/index.html").contains("https://example.org/feidi/enclaves/alpha/"),
        "canonical link uses the prefix"
    );
    // No page links to the host's root, which would leave the prefix.
    for (rel, bytes) in site.snapshot() {
        if rel.ends_with(".html") {
            let html = String::from_utf8(bytes).unwrap();
            for l in common::links(&html) {
                assert!(!l.starts_with('/') || l.starts_with("/feidi/"), "{rel} links to {l}");
            }
        }
    }
}

#[test]
fn enclave_page_shows_every_field() {
    let site = built();
    let html = site.page("enclaves/alpha/index.html");
    assert_eq!(text(&html, "<h1"), "阿尔法创新中心");
    assert_eq!(text(&html, "<p class=\"alt-name\""), "Alpha Innovation Centre");
    assert_eq!(text(&html, "<p class=\"eyebrow\""), "创新中心");
    for (label, value) in [
        ("飞出地", "惠山区 · 无锡市 · 江苏省"),
        ("设立主体", "惠山区政府"),
        ("飞入地", "闵行区 · 上海市"),
        ("地址", "测试路 1 号"),
        ("类型", "创新中心"),
        ("运营模式", "委托运营"),
        ("运营机构", "招商蛇口 合作运营"),
        ("产业方向", "新材料"),
        ("建筑面积", "2,200 平方米"),
        ("工位", "199"),
        ("独立办公室", "18"),
        ("启用时间", "2021-06"),
        ("状态", "运营中"),
        ("最近更新", "2023-03-01"),
    ] {
        assert_eq!(fact(&html, label).as_deref(), Some(value), "the fact sheet's {label}");
    }
    let outcomes = element(&html, "<section class=\"entry-section\" aria-labelledby=\"h-outcomes\"");
    let stats: Vec<String> = elements(outcomes, "<div class=\"stat\"").into_iter().map(text_of).collect();
    assert_eq!(stats, ["引进项目 10", "项目总投资 1 亿元", "引进企业 2", "回流落地率 50%"]);
    let operators = element(&html, "<section class=\"entry-section\" aria-labelledby=\"h-operators\"");
    assert_eq!(common::html::rows(element(operators, "<tbody")), [["招商蛇口", "产业地产商", "合作运营"]]);
    let companies = &html[html.find("<h3>引进的企业</h3>").expect("the companies")..];
    assert_eq!(text(companies, "<ul"), "测试公司");
    let sources = elements(element(&html, "<ol class=\"sources\""), "<li");
    assert_eq!(sources.len(), 1);
    assert_eq!(text_of(sources[0]), "测试来源 （ 2022-01-05 ） 阅读原文", "title, date and a link");
    assert_eq!(common::links(sources[0]), ["https://example.com/a"]);
    for href in [
        "../../operators/cmsk/",
        "../../sectors/new-materials/",
        "../../models/commissioned/",
        "../../places/huishan/",
        "../../places/wuxi/",
        "../../places/minhang/",
        "https://example.com/a",
    ] {
        assert!(html.contains(&format!("href=\"{href}\"")), "enclave page lacks a link to {href}");
    }
    // The Markdown body is rendered, its internal link resolved.
    assert!(html.contains("<strong>描述</strong>"));
    assert!(html.contains("href=\"../../enclaves/beta/\""));
}

#[test]
fn missing_facts_read_as_not_reported() {
    let site = built();
    let table: std::collections::BTreeMap<String, String> =
        serde_yaml::from_str(&std::fs::read_to_string(common::repo().join("themes/default/i18n/zh-CN.yaml")).unwrap())
            .unwrap();
    let not_reported = &table["not_reported"];
    let html = site.page("enclaves/gamma/index.html");
    for label in ["运营模式", "产业方向", "建筑面积", "启用时间"] {
        assert_eq!(fact(&html, label).as_ref(), Some(not_reported), "gamma's {label}");
    }
}

#[test]
fn place_pages_roll_up_their_children() {
    let site = built();
    let links_to = |page: &str, slug: &str| site.page(page).contains(&format!("enclaves/{slug}/\""));
    // Shanghai hosts alpha (in Minhang) and gamma (in Hongqiao), not beta (Shenzhen).
    assert!(links_to("places/shanghai/index.html", "alpha"));
    assert!(links_to("places/shanghai/index.html", "gamma"));
    assert!(!links_to("places/shanghai/index.html", "beta"));
    // Wuxi sends alpha (from Huishan, inside Wuxi) and beta.
    assert!(links_to("places/wuxi/index.html", "alpha"));
    assert!(links_to("places/wuxi/index.html", "beta"));
    assert!(!links_to("places/wuxi/index.html", "gamma"));
    // The Yangtze River Delta sends all three (via Jiangsu and Zhejiang) and hosts two.
    for slug in ["alpha", "beta", "gamma"] {
        assert!(links_to("places/yrd/index.html", slug));
    }
    let built = feidi::pipeline::run(site.root(), &Default::default()).unwrap();
    let yrd = built.site.place("yrd").unwrap();
    assert_eq!(yrd.sends, ["alpha", "beta", "gamma"]);
    assert_eq!(yrd.hosts, ["alpha", "gamma"]);
    assert_eq!(built.site.place("jiangsu").unwrap().sends, ["alpha", "beta"]);
    assert_eq!(built.site.place("shenzhen").unwrap().hosts, ["beta"]);
    assert!(built.site.place("guangdong").unwrap().hosts == ["beta"]);
    assert!(built.site.place("gba").unwrap().hosts == ["beta"]);
}

#[test]
fn reported_counts_sit_beside_listed_counts() {
    let site = built();
    let built = feidi::pipeline::run(site.root(), &Default::default()).unwrap();
    let wuxi = built.site.place("wuxi").unwrap();
    assert_eq!(wuxi.reported.len(), 1);
    assert_eq!((wuxi.reported[0].count, wuxi.reported[0].listed()), (3, 1));
    assert_eq!(wuxi.reported[0].listed_slugs, ["beta"]);
    let shenzhen = built.site.place("shenzhen").unwrap();
    assert_eq!((shenzhen.reported[0].count, shenzhen.reported[0].listed()), (10, 1));
    let rows = table_rows(&site.page("places/wuxi/index.html"), "无锡市：来源报道的飞地数量与名录已收录数量");
    assert_eq!(rows, [["深圳市 设立（飞出）", "3", "1", "已收录 1 个，来源报道 3 个", "测试报道"]]);
}

#[test]
fn operator_and_term_pages_list_their_enclaves() {
    let site = built();
    let op = site.page("operators/cmsk/index.html");
    assert!(op.contains("enclaves/alpha/\"") && !op.contains("enclaves/beta/\""));
    let rows = table_rows(&op, "该机构参与的 1 个飞地及其角色");
    assert_eq!(rows.len(), 1);
    assert_eq!(
        rows[0][..2],
        ["阿尔法创新中心 创新中心", "合作运营"],
        "the enclave, then the role (the comparison button is added by compare.js)"
    );
    let sector = site.page("sectors/ai/index.html");
    assert!(sector.contains("enclaves/beta/\"") && !sector.contains("enclaves/alpha/\""));
    let model = site.page("models/commissioned/index.html");
    assert!(model.contains("enclaves/alpha/\"") && !model.contains("enclaves/gamma/\""));
}

#[test]
fn enclave_list_is_a_full_table_with_slugs() {
    let site = built();
    let html = site.page("enclaves/index.html");
    let table = element(&html, "<table class=\"data enclaves-table\" id=\"enclave-table\"");
    assert_eq!(text(table, "<caption"), "全部 3 个飞地");
    let slugs: Vec<&str> = elements(table, "<tr data-slug=\"")
        .into_iter()
        .map(|tr| tr["<tr data-slug=\"".len()..].split('"').next().unwrap())
        .collect();
    assert_eq!(slugs, ["alpha", "beta", "gamma"], "one row per enclave, in slug order");
}

#[test]
fn editor_text_is_escaped() {
    let site = TestSite::fixture("basic");
    site.edit("content/enclaves/gamma.md", "name: 伽马飞地", "name: \"<script>alert('n')</script>伽马\"");
    site.edit(
        "content/enclaves/gamma.md",
        "伽马飞地没有报告运营模式。",
        "<script>alert('b')</script> <img src=x onerror=alert(1)> [x](javascript:alert(1))",
    );
    site.edit(
        "content/enclaves/gamma.md",
        "host: hongqiao",
        "host: hongqiao\naddress: \"\\\" onmouseover=\\\"alert(1)\"",
    );
    site.edit(
        "content/enclaves/gamma.md",
        "  - title: 测试来源",
        "  - title: 测试来源\n    url: 'https://a.org/\" onmouseover=\"x'",
    );
    site.build_ok();
    for (rel, bytes) in site.snapshot() {
        // Open data holds the text as written (it is data, not markup); pages and feeds escape it.
        if rel.starts_with("data/") {
            continue;
        }
        let text = String::from_utf8_lossy(&bytes);
        assert!(!text.contains("<script>alert"), "{rel} has a raw script");
        assert!(!text.contains("<img src=x"), "{rel} has raw HTML");
        assert!(!text.contains("\" onmouseover"), "{rel} has an attribute break-out");
        assert!(!text.to_lowercase().contains("href=\"javascript:"), "{rel} has a javascript: link");
    }
    assert!(site.page("enclaves/gamma/index.html").contains("&lt;script&gt;"));
    let data: serde_json::Value = serde_json::from_str(&site.page("data/enclaves.json")).unwrap();
    assert_eq!(data[2]["name"], "<script>alert('n')</script>伽马", "open data keeps the text exactly");
}

#[test]
fn a_theme_that_names_the_search_index_on_every_page_gets_its_final_name() {
    // Most pages are rendered while the search index is made, knowing only the theme's own
    // file names; a page that names a generated file waits for it. A theme whose enclave page
    // and footer name the search index (by key, and by looping over every asset) must get the
    // index's real name on every page, as the list page has it.
    let site = TestSite::fixture("basic");
    site.own_theme();
    site.edit(
        "themes/default/templates/enclave.html",
        "{% block main %}",
        r#"{% block main %}<p id="named">{{ assets["search-index.js"] }}</p>"#,
    );
    site.edit(
        "themes/default/templates/footer.html",
        "<footer",
        r#"<p id="all">{% for k, v in assets %}{% if k == "search-index.js" %}{{ v }}{% endif %}{% endfor %}</p><footer"#,
    );
    site.build_ok();
    let list = site.page("enclaves/index.html");
    let at = list.find("data-index=\"../").expect("the list names the search index") + "data-index=\"../".len();
    let index = &list[at..at + list[at..].find('"').unwrap()];
    assert!(index.starts_with("search/") && index.ends_with(".js"), "{index}");
    let enclave = site.page("enclaves/alpha/index.html");
    assert_eq!(text(&enclave, "<p id=\"named\""), index);
    for page in ["enclaves/alpha/index.html", "places/shanghai/index.html", "index.html"] {
        assert_eq!(text(&site.page(page), "<p id=\"all\""), index, "{page}");
    }
}

#[test]
fn a_theme_that_reads_linked_places_still_builds_the_same_site() {
    // Themes written before the test `is linked` read the map `linked_places`: they still get
    // it, and the same pages come out.
    let plain = built().snapshot();
    let site = TestSite::fixture("basic");
    site.own_theme();
    let rel = "themes/default/templates/enclave.html";
    let text = site.read(rel);
    assert!(text.contains("{% if c.id is linked %}"));
    site.write(rel, &text.replace("{% if c.id is linked %}", "{% if c.id in linked_places %}"));
    site.build_ok();
    assert!(site.snapshot() == plain, "the same pages as with the built-in theme");
}

#[test]
fn two_builds_are_byte_identical() {
    let site = built();
    let first = site.snapshot();
    let other = common::tempdir();
    let run = feidi(&[
        "build",
        "--root",
        site.root().to_str().unwrap(),
        "--output",
        other.path().join("out").to_str().unwrap(),
    ]);
    assert!(run.ok(), "{}", run.stderr);
    assert!(first == snapshot(&other.path().join("out")), "builds differ");
}

#[test]
fn builds_are_byte_identical_whatever_the_thread_count() {
    let site = TestSite::fixture("basic");
    // Small pages, so that many pages are written at once.
    site.edit("content/site.yaml", "language: zh-CN", "language: zh-CN\npage_size: 1");
    let snaps: Vec<_> = ["1", "2", "7"].into_iter().map(|t| site.build_on_threads(t)).collect();
    assert!(snaps[0].len() > 30);
    assert!(snaps[0] == snaps[1] && snaps[1] == snaps[2], "the output depends on the thread count");
}

#[test]
fn open_data_resolves_references() {
    let site = built();
    let enclaves: serde_json::Value = serde_json::from_str(&site.page("data/enclaves.json")).unwrap();
    let list = enclaves.as_array().unwrap();
    assert_eq!(list.len(), 3);
    let alpha = &list[0];
    assert_eq!(alpha["slug"], "alpha");
    assert_eq!(alpha["home"], serde_json::json!({"id": "huishan", "name": "惠山区", "name_en": "Huishan"}));
    assert_eq!(
        alpha["model"],
        serde_json::json!({"id": "commissioned", "name": "委托运营", "name_en": "Commissioned"})
    );
    assert_eq!(
        alpha["sectors"][0],
        serde_json::json!({"id": "new-materials", "name": "新材料", "name_en": "New Materials"})
    );
    assert_eq!(
        alpha["operators"][0]["operator"],
        serde_json::json!({"id": "cmsk", "name": "招商蛇口", "name_en": "China Merchants Shekou"})
    );
    assert_eq!(alpha["area_m2"], 2200);
    assert_eq!(alpha["outcomes"]["landing_rate"], 0.5);
    assert_eq!(alpha["url"], "https://example.org/enclaves/alpha/");
    assert!(list[2]["model"].is_null(), "gamma's model is not reported");

    let csv = site.page("data/enclaves.csv");
    let lines: Vec<&str> = csv.trim_end().split("\r\n").collect();
    assert_eq!(lines.len(), 4, "header and one row per enclave");
    assert!(lines[0].trim_start_matches('\u{feff}').starts_with("slug,name,name_en,home"));
    assert!(lines[1].starts_with("alpha,阿尔法创新中心,Alpha Innovation Centre,huishan,惠山区"));

    let ops: serde_json::Value = serde_json::from_str(&site.page("data/operators.json")).unwrap();
    assert_eq!(ops[0]["slug"], "cmsk");
    assert_eq!(ops[0]["enclaves"][0]["enclave"]["id"], "alpha");
}

#[test]
fn feeds_and_host_files() {
    let site = built();
    let sitemap = site.page("sitemap.xml");
    assert!(sitemap.contains("<loc>https://example.org/enclaves/gamma/</loc>"));
    assert!(sitemap.contains("<loc>https://example.org/places/yrd/</loc>"));
    assert!(site.page("robots.txt").contains("Sitemap: https://example.org/sitemap.xml"));
    let atom = site.page("atom.xml");
    assert_eq!(atom.matches("<entry>").count(), 3);
    assert!(atom.contains("<updated>2023-03-01T00:00:00Z</updated>"));
}

#[test]
fn cli_reports_a_summary_and_warnings() {
    let site = TestSite::fixture("basic");
    let run = site.build_ok();
    assert!(run.stdout.starts_with("Built 3 enclaves, 2 operators:"), "{}", run.stdout);
    // gamma has no model, sectors or opened date, beta no opened date, and both cite a source
    // without url or date.
    assert!(run.stdout.ends_with(", 6 warnings (run `feidi check` to see them)\n"), "{}", run.stdout);
    let v = feidi(&["--version"]);
    assert!(v.ok());
    assert_eq!(v.stdout, format!("feidi {}\n", env!("CARGO_PKG_VERSION")));
    let h = feidi(&["--help"]);
    assert!(h.ok());
    let commands: Vec<&str> = h
        .stdout
        .lines()
        .skip_while(|l| *l != "Commands:")
        .skip(1)
        .take_while(|l| !l.is_empty())
        .map(|l| l.split_whitespace().next().unwrap())
        .collect();
    assert_eq!(commands, ["build", "check", "serve", "new", "help"]);
    let bad = feidi(&["build", "--root", "/nonexistent-feidi-site"]);
    assert_ne!(bad.code, 0);
    assert!(bad.stderr.contains("no content folder here"), "{}", bad.stderr);
}

#[test]
fn stale_files_are_removed_on_rebuild() {
    let site = built();
    assert!(site.public().join("enclaves/gamma/index.html").exists());
    std::fs::remove_file(site.path("content/enclaves/gamma.md")).unwrap();
    site.build_ok();
    assert!(!site.public().join("enclaves/gamma/index.html").exists(), "a deleted entry's page disappears");
}

#[test]
fn english_interface_from_the_translation_table() {
    let site = TestSite::fixture("basic");
    site.edit("content/site.yaml", "language: zh-CN", "language: en");
    site.build_ok();
    let table: std::collections::BTreeMap<String, String> =
        serde_yaml::from_str(&std::fs::read_to_string(common::repo().join("themes/default/i18n/en.yaml")).unwrap())
            .unwrap();
    let html = site.page("enclaves/gamma/index.html");
    assert!(html.contains("<html lang=\"en\""));
    assert!(html.contains(table["not_reported"].as_str()));
}

#[test]
fn translation_tables_have_the_same_keys() {
    let read = |lang: &str| -> std::collections::BTreeMap<String, String> {
        serde_yaml::from_str(
            &std::fs::read_to_string(common::repo().join(format!("themes/default/i18n/{lang}.yaml"))).unwrap(),
        )
        .unwrap()
    };
    let zh: Vec<String> = read("zh-CN").into_keys().collect();
    let en: Vec<String> = read("en").into_keys().collect();
    assert_eq!(zh, en);
}

#[test]
fn a_reported_zero_shows_as_zero_everywhere() {
    let site = TestSite::fixture("basic");
    site.edit("content/enclaves/alpha.md", "area_m2: 2200", "area_m2: 0");
    site.edit("content/enclaves/alpha.md", "workstations: 199", "workstations: 0");
    site.build_ok();
    let page = site.page("enclaves/alpha/index.html");
    assert_eq!(fact(&page, "建筑面积").as_deref(), Some("0 平方米"), "the fact sheet shows the zero area");
    assert_eq!(fact(&page, "工位").as_deref(), Some("0"), "the fact sheet shows the zero workstations");
    let list = site.page("enclaves/index.html");
    let row = &list[list.find("data-slug=\"alpha\"").unwrap()..];
    let row = &row[..row.find("</tr>").unwrap()];
    assert!(row.contains("<td class=\"n\">0</td>"), "the table shows 0, not \"not reported\": {row}");
    let data = common::compare_data(&site.public());
    let fields: Vec<&str> = data["f"].as_array().unwrap().iter().map(|f| f.as_str().unwrap()).collect();
    let alpha = data["e"]["alpha"].as_array().unwrap();
    let at = |key: &str| alpha[fields.iter().position(|f| *f == key).unwrap()].clone();
    assert_eq!(at("area_m2"), "0 平方米");
    assert_eq!(at("workstations"), "0");
    let json: serde_json::Value = serde_json::from_str(&site.page("data/enclaves.json")).unwrap();
    let rec = json.as_array().unwrap().iter().find(|r| r["slug"] == "alpha").unwrap();
    assert_eq!(rec["area_m2"], 0);
    assert_eq!(rec["workstations"], 0);
    let csv = site.page("data/enclaves.csv");
    let header: Vec<&str> = csv.trim_start_matches('\u{feff}').lines().next().unwrap().split(',').collect();
    let line: Vec<&str> = csv.lines().find(|l| l.starts_with("alpha,")).unwrap().split(',').collect();
    let col = |name: &str| line[header.iter().position(|h| *h == name).unwrap()];
    assert_eq!((col("area_m2"), col("workstations")), ("0", "0"));
}

/// The site navigation of a page: each link's `href` with its `aria-current`, if any.
fn nav_of(html: &str) -> Vec<(String, String)> {
    let start = html.find("<nav class=\"site-nav\"").expect("a site navigation");
    let nav = &html[start..start + html[start..].find("</nav>").unwrap()];
    nav.split("<a href=\"")
        .skip(1)
        .map(|a| {
            let href = a[..a.find('"').unwrap()].to_string();
            let current = a
                .split_once("aria-current=\"")
                .filter(|(before, _)| !before.contains('>'))
                .map(|(_, rest)| rest[..rest.find('"').unwrap()].to_string())
                .unwrap_or_default();
            (href, current)
        })
        .collect()
}

#[test]
fn the_header_marks_where_each_page_is() {
    // The header is rendered once per folder and placed on every page of it: each page must
    // still get its own marks.
    let site = TestSite::fixture("basic");
    site.edit("content/site.yaml", "title:", "page_size: 1\ntitle:");
    site.build_ok();
    let current = |page: &str| -> Vec<(String, String)> {
        nav_of(&site.page(page)).into_iter().filter(|(_, c)| !c.is_empty()).collect()
    };
    let pair = |h: &str, c: &str| vec![(h.to_string(), c.to_string())];
    assert_eq!(current("index.html"), []);
    let brand = |page: &str| {
        let html = site.page(page);
        let at = html.find("<a class=\"brand\"").expect("a brand link");
        html[at..at + html[at..].find('>').unwrap() + 1].to_string()
    };
    assert_eq!(brand("index.html"), "<a class=\"brand\" href=\"\" aria-current=\"page\">");
    assert_eq!(brand("enclaves/alpha/index.html"), "<a class=\"brand\" href=\"../../\">");
    assert_eq!(current("enclaves/index.html"), pair("../enclaves/", "page"));
    assert_eq!(current("enclaves/page/2/index.html"), pair("../../../enclaves/", "true"));
    assert_eq!(current("enclaves/alpha/index.html"), pair("../../enclaves/", "true"));
    assert_eq!(current("places/index.html"), pair("../places/", "page"));
    assert_eq!(current("pages/about/index.html"), pair("../../pages/about/", "page"));
}
