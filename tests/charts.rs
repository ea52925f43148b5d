//! Comparison and charts: the numbers behind the charts for the real directory,
//! checked against counts made by hand from `content/enclaves/*.md`; well-formed, titled SVG;
//! and the side-by-side comparison in a real browser.

mod common;
use common::browser::Browser;
use common::http::serve;
use common::{TestSite, build_real, read_built as read, repo, text_of};

use feidi::model::{Enclave, Site};
use feidi::render::rollup::{city_pairs, host_totals, matrix, model_shares};

fn real_site() -> Site {
    feidi::pipeline::run(&repo(), &Default::default()).expect("the real directory builds").site
}

/// The count in `m` for home `home` and host `host` (ids).
fn cell(m: &feidi::render::rollup::Matrix, home: &str, host: &str) -> usize {
    let r = m.homes.iter().position(|x| x.id == home).unwrap_or_else(|| panic!("no row {home}"));
    let c = m.hosts.iter().position(|x| x.id == host).unwrap_or_else(|| panic!("no column {host}"));
    m.cells[r][c]
}

// Hand count from content/enclaves (20 files):
// - Wuxi (its districts, counties and zones) → Shenzhen: huishan, jiangyin-hi-tech-zone-shenzhen,
//   liangxi, wuxi-hi-tech-zone, wuxi-shenzhen-hk, xishan-shenzhen, yixing = 7;
//   Wuxi → Shanghai: jiangyin-hi-tech-zone-zhangjiang, xishan-shanghai = 2.
// - Shanghai hosts one each from Ningbo (Cixi), Jiaxing (Jiashan), Lishui, Suzhou (Taicang) and
//   Xuancheng; Shenzhen one from Luoyang.
// - Five TusStar workstations (Anji/Huzhou, Fushun, Kuitun/Ili, Yichang, Zaozhuang) sit in the
//   "one of Beijing, Shanghai, Shenzhen" placeholder, which has no coordinates.
#[test]
fn home_host_matrix_matches_the_hand_count() {
    let site = real_site();
    let all: Vec<&Enclave> = site.enclaves.iter().collect();
    assert_eq!(all.len(), 20);
    let m = matrix(&all, false);
    assert_eq!(cell(&m, "wuxi", "shenzhen"), 7);
    assert_eq!(cell(&m, "wuxi", "shanghai"), 2);
    assert_eq!(cell(&m, "luoyang", "shenzhen"), 1);
    for home in ["ningbo", "jiaxing", "lishui", "suzhou", "xuancheng"] {
        assert_eq!(cell(&m, home, "shanghai"), 1, "{home} → Shanghai");
        assert_eq!(cell(&m, home, "shenzhen"), 0, "{home} → Shenzhen");
    }
    for home in ["huzhou", "fushun", "ili", "yichang", "zaozhuang"] {
        assert_eq!(cell(&m, home, "tusstar-base-cities"), 1, "{home}'s workstation");
    }
    let col = |id: &str| m.col_totals[m.hosts.iter().position(|x| x.id == id).unwrap()];
    assert_eq!((col("shenzhen"), col("shanghai"), col("tusstar-base-cities")), (8, 7, 5));
    assert_eq!(m.row_totals[m.homes.iter().position(|x| x.id == "wuxi").unwrap()], 9);
    assert_eq!(m.max, 7);
    assert_eq!(city_pairs(&all).len(), 13, "13 distinct home–host city pairs");

    // Province level: Jiangsu (Wuxi, Suzhou) sends 7 to Guangdong and 3 to Shanghai; Zhejiang
    // (Ningbo, Jiaxing, Lishui) 3 to Shanghai; Anhui 1; Henan 1 to Guangdong.
    let p = matrix(&all, true);
    assert_eq!(cell(&p, "jiangsu", "guangdong"), 7);
    assert_eq!(cell(&p, "jiangsu", "shanghai"), 3);
    assert_eq!(cell(&p, "zhejiang", "shanghai"), 3);
    assert_eq!(cell(&p, "anhui", "shanghai"), 1);
    assert_eq!(cell(&p, "henan", "guangdong"), 1);
}

#[test]
fn model_shares_match_the_hand_count() {
    let site = real_site();
    let all: Vec<&Enclave> = site.enclaves.iter().collect();
    let s = model_shares(&site, &all);
    let ids: Vec<&str> = s.models.iter().map(|m| m.id.as_str()).collect();
    // Models in file order, then "not reported".
    assert_eq!(ids, ["self_operated", "commissioned", "co_built", ""]);
    // Commissioned: huishan, jiangyin-shenzhen, liangxi, wuxi-shenzhen-hk, xishan-shenzhen,
    // yixing; self-operated: wuxi-hi-tech-zone; co-built: xishan-shanghai, xuancheng; the other
    // eleven (luoyang among them) do not say.
    assert_eq!(s.overall, [1, 6, 2, 11]);
    let row = |id: &str| s.rows.iter().find(|(c, _)| c.id == id).map(|(_, v)| v.clone()).unwrap();
    assert_eq!(row("shenzhen"), [1, 6, 0, 1]);
    assert_eq!(row("shanghai"), [0, 0, 2, 5]);
    assert_eq!(row("tusstar-base-cities"), [0, 0, 0, 5]);
}

#[test]
fn listed_vs_reported_and_totals_match_the_hand_count() {
    let site = real_site();
    let wuxi = site.place("wuxi").unwrap();
    let got: Vec<(&str, u64, usize)> =
        wuxi.reported.iter().map(|r| (r.r#where.as_ref().map_or("", |w| w.id.as_str()), r.count, r.listed())).collect();
    assert_eq!(got, [("shanghai", 9, 2), ("beijing", 9, 0), ("greater-bay-area", 13, 7), ("shenzhen", 9, 7)]);
    let hangzhou = site.place("hangzhou").unwrap();
    assert_eq!((hangzhou.reported[0].count, hangzhou.reported[0].listed()), (35, 0));

    // Shanghai: Jiashan 17,000 + Lishui 21,000 + Xuancheng 10,920 m²; Lishui's 112 projects and
    // 26.9 billion yuan. Shenzhen: Huishan's 2,200 m² and 199 workstations.
    let all: Vec<&Enclave> = site.enclaves.iter().collect();
    let totals = host_totals(&all);
    let sh = totals.iter().find(|t| t.place.id == "shanghai").unwrap();
    assert_eq!((sh.enclaves, sh.area_m2, sh.area_n), (7, 48_920.0, 3));
    assert_eq!((sh.projects, sh.investment_cny), (112.0, 26_900_000_000.0));
    let sz = totals.iter().find(|t| t.place.id == "shenzhen").unwrap();
    assert_eq!((sz.enclaves, sz.area_m2, sz.workstations), (8, 2_200.0, 199.0));
}

#[test]
fn pages_show_the_counted_figures_and_insights() {
    let (_dir, out) = build_real();
    let compare = text_of(&read(&out, "compare/index.html"));
    for s in [
        "名录收录 20 个飞地，由 12 个飞出地城市设在 3 个飞入地城市。",
        "最大的流向是无锡市 → 深圳市：7 个飞地",
        "报道最多的运营模式是“委托专业机构运营”：20 个飞地中有 6 个（30%）。11 个未报道运营模式。",
        "无锡市在深圳市设立的飞地，来源报道：9 个，名录收录：7 个。",
        "5 个飞地没有画在图上",
    ] {
        assert!(compare.contains(s), "compare page lacks {s:?}");
    }
    let shanghai = text_of(&read(&out, "places/shanghai/index.html"));
    assert!(
        shanghai.contains("上海市承接了名录中的 7 个飞地，来自 6 个飞出地城市。其中 7 个来自长三角。"),
        "{shanghai}"
    );
    let wuxi = text_of(&read(&out, "places/wuxi/index.html"));
    assert!(wuxi.contains("无锡市在 2 个飞入地城市设立了名录中的 9 个飞地。其中深圳市最多，7 个。"), "{wuxi}");
    // The flow map's table on Wuxi's page and the bullet chart's printed values.
    assert!(wuxi.contains("7 / 9"), "listed of reported printed on the chart");
}

/// Every `<svg>…</svg>` in an HTML page.
fn svgs(html: &str) -> Vec<&str> {
    let mut out = Vec::new();
    let mut rest = html;
    while let Some(i) = rest.find("<svg") {
        let end = rest[i..].find("</svg>").expect("closed svg") + i + "</svg>".len();
        out.push(&rest[i..end]);
        rest = &rest[end..];
    }
    out
}

#[test]
fn svg_is_well_formed_titled_and_labelled() {
    let (_dir, out) = build_real();
    for (page, min, titles) in [
        ("compare/index.html", 6, &["飞地流向", "运营模式", "收录数与报道数"][..]),
        ("places/shanghai/index.html", 3, &["上海市的飞地流向", "运营模式构成"][..]),
        ("places/wuxi/index.html", 4, &["无锡市的飞地流向", "收录数与报道数"][..]),
        ("sectors/new-materials/index.html", 1, &["飞地的流向"][..]),
        ("models/commissioned/index.html", 1, &["飞地的流向"][..]),
    ] {
        let html = read(&out, page);
        let found = svgs(&html);
        assert!(found.len() >= min, "{page}: {} charts", found.len());
        let mut ids = std::collections::BTreeSet::new();
        let mut all_titles = Vec::new();
        for svg in &found {
            let doc = roxmltree::Document::parse(svg).unwrap_or_else(|e| panic!("{page}: SVG is not well-formed: {e}"));
            let root = doc.root_element();
            assert_eq!(root.tag_name().name(), "svg");
            assert_eq!(root.attribute("role"), Some("img"), "{page}");
            let title = root.children().find(|n| n.has_tag_name("title")).expect("a <title>");
            let desc = root.children().find(|n| n.has_tag_name("desc")).expect("a <desc>");
            let text = title.text().unwrap_or_default();
            assert!(!text.is_empty(), "{page}: empty title");
            all_titles.push(text.to_string());
            let labelled: Vec<&str> = root.attribute("aria-labelledby").unwrap().split(' ').collect();
            assert_eq!(labelled, [title.attribute("id").unwrap(), desc.attribute("id").unwrap()]);
            for n in doc.descendants().filter_map(|n| n.attribute("id")) {
                assert!(ids.insert(n.to_string()), "{page}: id {n} used twice");
            }
        }
        for t in titles {
            assert!(all_titles.iter().any(|x| x.contains(t)), "{page}: no chart titled like {t:?} in {all_titles:?}");
        }
    }
}

#[test]
fn flow_map_draws_one_arc_per_city_pair() {
    let (_dir, out) = build_real();
    let html = read(&out, "compare/index.html");
    let map = svgs(&html).into_iter().find(|s| s.contains("chart-map")).expect("a flow map");
    // 13 pairs, 5 of them to the placeholder without coordinates: 8 arcs on the main map (the
    // magnified inset repeats some), plus the legend's sample.
    let main = map.split("<g class=\"inset\">").next().unwrap();
    assert!(map.contains("<g class=\"inset\">"), "the crowded Yangtze River Delta gets an inset");
    assert_eq!(main.matches("class=\"arc\"").count(), 8);
    let inset = map.matches("class=\"arc\"").count() - main.matches("class=\"arc\"").count() - 1;
    assert!(inset >= 3, "the inset repeats the flows inside the delta: {inset}");
    assert!(map.contains("<title>无锡市 → 深圳市: 7</title>"));
    assert!(map.contains(">深圳市 8</text>") && map.contains(">上海市 7</text>"), "host cities labelled with counts");
}

#[test]
fn compare_data_is_compact_and_escaped() {
    let site = TestSite::fixture("basic");
    site.edit("content/enclaves/gamma.md", "name: 伽马飞地", "name: \"<script>alert('n')</script>伽马\"");
    site.build_ok();
    let file = site
        .snapshot()
        .into_keys()
        .find(|k| k.starts_with("compare-data.") && k.ends_with(".js"))
        .expect("a hashed compare-data script");
    let v = common::compare_data(&site.public());
    for chunk in v["chunks"].as_array().unwrap() {
        assert!(!site.page(chunk.as_str().unwrap()).contains("<script>"), "editor text is escaped in the script");
    }
    let gamma = &v["e"]["gamma"];
    assert_eq!(gamma[0], "<script>alert('n')</script>伽马");
    let model = v["f"].as_array().unwrap().iter().position(|f| f == "model").unwrap();
    assert!(gamma[model].is_null(), "gamma's model is not reported");
    assert!(site.page("compare/index.html").contains(&format!("../{file}")), "the page loads it");
}

#[test]
fn compare_shows_chosen_enclaves_side_by_side() {
    let site = TestSite::fixture("basic");
    site.build_ok();
    let server = serve(&site.public(), "/");
    let mut b = Browser::launch(1280, 900);
    b.goto(&format!("{}compare/?e=alpha,beta,gamma", server.base_url));
    b.wait_for("document.querySelectorAll('#side-table thead th').length === 4", 20_000);
    assert_eq!(b.slugs("#side-table thead th[data-slug]"), ["alpha", "beta", "gamma"]);
    // Models differ (commissioned, self-operated, not reported); all three are operating.
    let differs = |b: &mut Browser, field: &str| {
        b.eval(&format!(
            "document.querySelector('#side-table tr[data-field=\"{field}\"]').classList.contains('differs')"
        ))
    };
    assert_eq!(differs(&mut b, "model"), true);
    assert_eq!(differs(&mut b, "status"), false);
    let mark_shown = b.eval("!document.querySelector('#side-table tr[data-field=\"model\"] .diff-mark').hidden");
    assert_eq!(mark_shown, true, "a differing row is marked in text, not only in colour");
    let nr = b.eval("document.querySelector('#side-table tr[data-field=\"model\"] td:nth-child(4)').textContent");
    assert_eq!(nr, "未报道");

    // Removing a column updates the URL, which survives a reload.
    b.click("#side-table button[data-remove=\"beta\"]");
    b.wait_for("location.search === '?e=alpha,gamma'", 10_000);
    let url = b.url();
    b.goto(&url);
    b.wait_for("document.querySelectorAll('#side-table thead th').length === 3", 20_000);
    assert_eq!(b.slugs("#side-table thead th[data-slug]"), ["alpha", "gamma"]);

    // The no-JS form's ?e=a&e=b is read too.
    b.goto(&format!("{}compare/?e=beta&e=alpha", server.base_url));
    b.wait_for("document.querySelectorAll('#side-table thead th').length === 3", 20_000);
    assert_eq!(b.slugs("#side-table thead th[data-slug]"), ["beta", "alpha"]);
    let checked = b.eval("Array.from(document.querySelectorAll('#compare-form input:checked')).map(c => c.value)");
    assert_eq!(checked, serde_json::json!(["alpha", "beta"]), "the form shows the chosen set");
}

#[test]
fn add_to_comparison_from_lists_and_enclave_pages() {
    let site = TestSite::fixture("basic");
    site.build_ok();
    let server = serve(&site.public(), "/");
    let mut b = Browser::launch(1280, 900);
    b.goto(&format!("{}enclaves/", server.base_url));
    b.wait_for("document.querySelector('#enclave-table button[data-compare=\"gamma\"]') && !document.querySelector('#enclave-table button[data-compare=\"gamma\"]').hidden", 10_000);
    b.click("#enclave-table button[data-compare=\"gamma\"]");
    b.wait_for("document.querySelector('#enclave-table button[data-compare=\"gamma\"]').getAttribute('aria-pressed') === 'true'", 5_000);
    b.goto(&format!("{}enclaves/alpha/", server.base_url));
    b.wait_for("!document.querySelector('.entry-actions button[data-compare]').hidden", 10_000);
    b.click(".entry-actions button[data-compare]");
    let href = b.wait_for(
        "(() => { const a = document.querySelector('.site-nav a[href*=\"compare/\"]'); return a && a.getAttribute('href').includes('?e=') && a.getAttribute('href'); })()",
        5_000,
    );
    assert_eq!(href, "../../compare/?e=gamma,alpha");
    b.click(".site-nav a[href*=\"compare/\"]");
    b.wait_for("document.querySelectorAll('#side-table thead th').length === 3", 20_000);
    assert_eq!(b.slugs("#side-table thead th[data-slug]"), ["gamma", "alpha"]);
}

#[test]
fn matrix_switches_to_provinces_without_javascript() {
    let site = TestSite::fixture("basic");
    site.build_ok();
    let server = serve(&site.public(), "/");
    let mut b = Browser::launch(1280, 900);
    b.call("Emulation.setScriptExecutionDisabled", serde_json::json!({ "value": true }));
    b.goto(&format!("{}compare/", server.base_url));
    let shown =
        |b: &mut Browser, id: &str| b.eval(&format!("document.getElementById('{id}').getClientRects().length > 0"));
    assert_eq!(shown(&mut b, "matrix-city"), true);
    assert_eq!(shown(&mut b, "matrix-province"), false);
    b.click(".view-link-b");
    b.wait_for("location.hash === '#matrix-province'", 5_000);
    assert_eq!(shown(&mut b, "matrix-province"), true);
    assert_eq!(shown(&mut b, "matrix-city"), false);
    // Without JavaScript the charts are there all the same, and the page says what needs it.
    assert!(b.eval("document.querySelectorAll('svg.chart').length").as_u64().unwrap() >= 3);
    assert_eq!(b.eval("document.getElementById('side-wrap').hidden"), true);
}

/// Screenshots for a person to look at: `cargo test --test charts -- --ignored screenshots`
/// writes them to `target/screenshots/`. `FEIDI_SCREENSHOT_SITE=<public dir>` shoots an
/// already built site instead of the real directory (e.g. the 10,000-enclave synthetic one).
#[test]
#[ignore]
fn screenshots() {
    let (_dir, built) = build_real();
    let out = std::env::var_os("FEIDI_SCREENSHOT_SITE").map(std::path::PathBuf::from).unwrap_or(built);
    let server = serve(&out, "/");
    let shots = repo().join("target/screenshots");
    std::fs::create_dir_all(&shots).unwrap();
    for (w, h) in [(1280, 900), (360, 740)] {
        let mut b = Browser::launch(w, h);
        for (page, name) in [
            (
                "compare/?e=huishan-shenzhen-innovation-center,lishui-etdz-shanghai-enclave,xuancheng-shanghai-innovation-center",
                "compare",
            ),
            ("places/shanghai/", "shanghai"),
            ("places/wuxi/", "wuxi"),
            // After the compare page: the chosen set shows on the buttons and the nav link.
            ("enclaves/", "enclaves"),
            ("enclaves/lishui-etdz-shanghai-enclave/", "enclave"),
        ] {
            b.goto(&format!("{}{page}", server.base_url));
            b.wait_for("document.readyState === 'complete'", 10_000);
            // The top of the page, at most 14,000 px: a 10,000-row table is too tall to shoot.
            let height = b.eval("Math.min(document.documentElement.scrollHeight, 14000)").as_f64().unwrap();
            let r = b.call(
                "Page.captureScreenshot",
                serde_json::json!({ "format": "png", "captureBeyondViewport": true,
                    "clip": { "x": 0, "y": 0, "width": w, "height": height, "scale": 1 } }),
            );
            use base64::Engine;
            let png = base64::engine::general_purpose::STANDARD.decode(r["data"].as_str().unwrap()).unwrap();
            std::fs::write(shots.join(format!("{name}-{w}.png")), png).unwrap();
        }
        if w == 1280 {
            // Dark mode and print, where the charts take their colours from other rules.
            for (media, features) in [("screen", "dark"), ("print", "light")] {
                b.call(
                    "Emulation.setEmulatedMedia",
                    serde_json::json!({ "media": media, "features": [{ "name": "prefers-color-scheme", "value": features }] }),
                );
                b.goto(&format!("{}places/wuxi/", server.base_url));
                b.wait_for("document.readyState === 'complete'", 10_000);
                b.screenshot(&shots.join(format!("wuxi-{media}-{features}-{w}.png")));
            }
        }
    }
}
