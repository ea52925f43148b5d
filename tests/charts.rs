//! Comparison and charts. On a fixture made for it (`tests/fixtures/flows/`), the numbers behind
//! every chart and sentence are checked against counts made by hand from its files. On the real
//! directory, shipped and grown (see `common::real`), the same numbers are recounted from the
//! entries, so that the checks hold however many entries there are. Then well-formed, titled
//! SVG, and the side-by-side comparison in a real browser.

mod common;
use std::collections::BTreeMap;

use common::browser::Browser;
use common::html::{element, elements, group_titles, svgs, text};
use common::http::serve;
use common::real::RealSite;
use common::{TestSite, build_real, read_built as read, repo, text_of};

use feidi::model::{Enclave, Site};
use feidi::render::rollup::{city_pairs, coords, host_totals, matrix, model_shares};

/// The flows fixture, resolved.
fn flows_site() -> Site {
    feidi::pipeline::run(&repo().join("tests/fixtures/flows"), &Default::default()).expect("the fixture builds").site
}

/// The count in `m` for home `home` and host `host` (ids).
fn cell(m: &feidi::render::rollup::Matrix, home: &str, host: &str) -> usize {
    let r = m.homes.iter().position(|x| x.id == home).unwrap_or_else(|| panic!("no row {home}"));
    let c = m.hosts.iter().position(|x| x.id == host).unwrap_or_else(|| panic!("no column {host}"));
    m.cells[r][c]
}

// Hand count from tests/fixtures/flows/content/enclaves (11 files):
// - Wuxi → Shenzhen: a (Huishan district → Nanshan district), b (Jiangyin's zone, inside a
//   county of Wuxi), c (Wuxi itself) = 3; Wuxi → Shanghai: d (Jiangyin → Zhangjiang) = 1.
// - Shanghai hosts one each from Jiaxing (e, via Jiashan), Ningbo (f, via Cixi), Suzhou (g) and
//   Xuancheng (h), and d: 5. Shenzhen hosts a, b, c and Luoyang's i: 4.
// - j (Ningbo) and k (Luoyang) sit in the placeholder "bases", which has no coordinates.
#[test]
fn home_host_matrix_matches_the_hand_count() {
    let site = flows_site();
    let all: Vec<&Enclave> = site.enclaves.iter().collect();
    assert_eq!(all.len(), 11);
    let m = matrix(&all, false);
    assert_eq!(cell(&m, "wuxi", "shenzhen"), 3);
    assert_eq!(cell(&m, "wuxi", "shanghai"), 1);
    assert_eq!(cell(&m, "luoyang", "shenzhen"), 1);
    for home in ["jiaxing", "ningbo", "suzhou", "xuancheng"] {
        assert_eq!(cell(&m, home, "shanghai"), 1, "{home} → Shanghai");
        assert_eq!(cell(&m, home, "shenzhen"), 0, "{home} → Shenzhen");
    }
    for home in ["ningbo", "luoyang"] {
        assert_eq!(cell(&m, home, "bases"), 1, "{home}'s workstation");
    }
    let col = |id: &str| m.col_totals[m.hosts.iter().position(|x| x.id == id).unwrap()];
    assert_eq!((col("shanghai"), col("shenzhen"), col("bases")), (5, 4, 2));
    let ids = |v: &[feidi::model::Ref]| v.iter().map(|r| r.id.clone()).collect::<Vec<_>>();
    assert_eq!(ids(&m.hosts), ["shanghai", "shenzhen", "bases"], "most enclaves first");
    assert_eq!(ids(&m.homes), ["wuxi", "luoyang", "ningbo", "jiaxing", "suzhou", "xuancheng"], "then by id");
    assert_eq!(m.row_totals, [4, 2, 2, 1, 1, 1]);
    assert_eq!(m.max, 3);
    let pairs = city_pairs(&all);
    assert_eq!(pairs.len(), 9, "9 distinct home–host city pairs");
    assert_eq!((pairs[0].home.id.as_str(), pairs[0].host.id.as_str(), pairs[0].count), ("wuxi", "shenzhen", 3));

    // Province level: Jiangsu (Wuxi, Suzhou) sends 3 to Guangdong and 2 to Shanghai; Zhejiang
    // (Jiaxing, Ningbo) 2 to Shanghai and 1 to the bases; Anhui 1; Henan 1 to Guangdong.
    let p = matrix(&all, true);
    assert_eq!(cell(&p, "jiangsu", "guangdong"), 3);
    assert_eq!(cell(&p, "jiangsu", "shanghai"), 2);
    assert_eq!(cell(&p, "zhejiang", "shanghai"), 2);
    assert_eq!(cell(&p, "zhejiang", "bases"), 1);
    assert_eq!(cell(&p, "anhui", "shanghai"), 1);
    assert_eq!(cell(&p, "henan", "guangdong"), 1);
}

#[test]
fn model_shares_match_the_hand_count() {
    let site = flows_site();
    let all: Vec<&Enclave> = site.enclaves.iter().collect();
    let s = model_shares(&site, &all);
    let ids: Vec<&str> = s.models.iter().map(|m| m.id.as_str()).collect();
    // Models in file order, then "not reported".
    assert_eq!(ids, ["self_operated", "commissioned", "co_built", ""]);
    // Self-operated: c; commissioned: a, b, i; co-built: d, h; e, f, g, j, k do not say.
    assert_eq!(s.overall, [1, 3, 2, 5]);
    let rows: Vec<(&str, Vec<usize>)> = s.rows.iter().map(|(c, v)| (c.id.as_str(), v.clone())).collect();
    assert_eq!(rows, [("shanghai", vec![0, 0, 2, 3]), ("shenzhen", vec![1, 3, 0, 0]), ("bases", vec![0, 0, 0, 2])]);
}

#[test]
fn listed_vs_reported_and_totals_match_the_hand_count() {
    let site = flows_site();
    let wuxi = site.place("wuxi").unwrap();
    let got: Vec<(&str, u64, &[String])> = wuxi
        .reported
        .iter()
        .map(|r| (r.r#where.as_ref().map_or("", |w| w.id.as_str()), r.count, r.listed_slugs.as_slice()))
        .collect();
    let slugs = |v: &[&str]| v.iter().map(|s| s.to_string()).collect::<Vec<_>>();
    assert_eq!(
        got,
        [
            ("shenzhen", 5, &slugs(&["a-huishan-shenzhen", "b-jiangyin-shenzhen", "c-wuxi-shenzhen"])[..]),
            ("shanghai", 2, &slugs(&["d-jiangyin-zhangjiang"])[..]),
        ]
    );
    let hangzhou = site.place("hangzhou").unwrap();
    assert_eq!((hangzhou.reported[0].count, hangzhou.reported[0].listed()), (10, 0));

    // Shanghai: d's 1,000 m² and e's 5,000 m²; g's 10 projects and 1 billion yuan. Shenzhen: a's
    // 2,000 m² and 100 workstations.
    let all: Vec<&Enclave> = site.enclaves.iter().collect();
    let totals = host_totals(&all);
    let order: Vec<&str> = totals.iter().map(|t| t.place.id.as_str()).collect();
    assert_eq!(order, ["shanghai", "shenzhen", "bases"]);
    let sh = &totals[0];
    assert_eq!((sh.enclaves, sh.area_m2, sh.area_n, sh.workstations_n), (5, 6_000.0, 2, 0));
    assert_eq!((sh.projects, sh.projects_n, sh.investment_cny, sh.investment_n), (10.0, 1, 1_000_000_000.0, 1));
    let sz = &totals[1];
    assert_eq!((sz.enclaves, sz.area_m2, sz.area_n, sz.workstations, sz.workstations_n), (4, 2_000.0, 1, 100.0, 1));
    let bases = &totals[2];
    assert_eq!((bases.enclaves, bases.area_n, bases.projects_n), (2, 0, 0));
}

/// The insight sentences (`<p class="insight…">`) of a page, in order.
fn insights(html: &str) -> Vec<String> {
    elements(html, "<p class=\"insight").into_iter().map(text_of).collect()
}

#[test]
fn pages_show_the_counted_figures_and_insights() {
    let site = TestSite::fixture("flows");
    site.build_ok();
    let compare = insights(&site.page("compare/index.html"));
    for s in [
        // The placeholder "bases" is no city: counted apart, and said so.
        "名录收录 11 个飞地，由 6 个飞出地城市设在 2 个飞入地城市。\
         另有 2 个飞地只知道设在京沪（测试基地），没有说明具体城市，不计为飞入地城市。上海市承接最多：5 个飞地（45%）。",
        "最大的流向是无锡市 → 深圳市：3 个飞地，占地图上的 33%。2 个飞地没有画在图上：京沪（测试基地）没有坐标。",
        "共 9 对飞出地—飞入地城市；11 个飞地中有 11 个设在本省（直辖市）以外。最多的是无锡市 → 深圳市，3 个飞地。",
        "报道最多的运营模式是“委托运营”：11 个飞地中有 3 个（27%）。5 个未报道运营模式。\
         在上海市，“共建”最多，5 个中有 2 个。在深圳市，“委托运营”最多，4 个中有 3 个。",
        "11 个飞地中有 3 个报道了面积；合计最大的是上海市：6,000 平方米。报道投资合计最多的是上海市：10 亿元（1 个报告）。",
        "无锡市在深圳市设立的飞地，来源报道：5 个，名录收录：3 个。无锡市在上海市设立的飞地，来源报道：2 个，名录收录：1 个。\
         杭州市承接的飞地，来源报道：超过 10 个，名录收录：0 个。",
    ] {
        assert!(compare.iter().any(|x| x == s), "the compare page lacks {s:?} in {compare:#?}");
    }
    let shanghai = insights(&site.page("places/shanghai/index.html"));
    assert_eq!(
        shanghai[0],
        "上海市承接了名录中的 5 个飞地，来自 5 个飞出地城市。其中 5 个来自长三角。\
         无锡市在上海市设立的飞地，来源报道：2 个，名录收录：1 个。",
        "with what Wuxi's sources report of its Shanghai enclaves"
    );
    let wuxi_html = site.page("places/wuxi/index.html");
    let wuxi = insights(&wuxi_html);
    assert_eq!(wuxi[0], "无锡市在 2 个飞入地城市设立了名录中的 4 个飞地。其中深圳市最多，3 个。");
    assert!(wuxi.iter().any(|x| x == "最大的流向是无锡市 → 深圳市：3 个飞地，占地图上的 75%。"), "{wuxi:#?}");
    // The bullet chart of listed against reported prints both numbers on each row.
    let bullet = svgs(&wuxi_html).into_iter().find(|s| s.contains("收录数与报道数")).expect("a bullet chart");
    assert_eq!(group_titles(bullet, "row"), ["→ 深圳市: 3 / 5", "→ 上海市: 1 / 2"]);
}

/// Checks every SVG of `html` (page `page`): well-formed, `role="img"` with a non-empty
/// `<title>` and a `<desc>` it is labelled by, no id used twice in the page. Returns the titles.
fn check_svgs(page: &str, html: &str) -> Vec<String> {
    let mut ids = std::collections::BTreeSet::new();
    let mut titles = Vec::new();
    for svg in svgs(html) {
        let doc = roxmltree::Document::parse(svg).unwrap_or_else(|e| panic!("{page}: SVG is not well-formed: {e}"));
        let root = doc.root_element();
        assert_eq!(root.tag_name().name(), "svg");
        assert_eq!(root.attribute("role"), Some("img"), "{page}");
        let title = root.children().find(|n| n.has_tag_name("title")).expect("a <title>");
        let desc = root.children().find(|n| n.has_tag_name("desc")).expect("a <desc>");
        let text = title.text().unwrap_or_default();
        assert!(!text.is_empty(), "{page}: empty title");
        titles.push(text.to_string());
        let labelled: Vec<&str> = root.attribute("aria-labelledby").unwrap().split(' ').collect();
        assert_eq!(labelled, [title.attribute("id").unwrap(), desc.attribute("id").unwrap()], "{page}");
        for n in doc.descendants().filter_map(|n| n.attribute("id")) {
            assert!(ids.insert(n.to_string()), "{page}: id {n} used twice");
        }
    }
    titles
}

/// The pages with charts every directory like the real one has, the fewest charts each shows
/// and titles among them.
const CHART_PAGES: &[(&str, usize, &[&str])] = &[
    ("compare/index.html", 6, &["飞地流向", "运营模式", "收录数与报道数"]),
    ("places/shanghai/index.html", 3, &["上海市的飞地流向", "运营模式构成"]),
    ("places/wuxi/index.html", 4, &["无锡市的飞地流向", "收录数与报道数"]),
    ("sectors/new-materials/index.html", 1, &["飞地的流向"]),
    // Every commissioned enclave of the article goes from Wuxi to Shenzhen: one pair, a sentence
    // and a table rather than a map (see the thresholds in the README).
    ("models/commissioned/index.html", 0, &[]),
];

fn check_chart_pages(public: &std::path::Path) {
    for (page, min, want) in CHART_PAGES {
        let titles = check_svgs(page, &read(public, page));
        assert!(titles.len() >= *min, "{page}: {} charts", titles.len());
        for t in *want {
            assert!(titles.iter().any(|x| x.contains(t)), "{page}: no chart titled like {t:?} in {titles:?}");
        }
    }
}

#[test]
fn svg_is_well_formed_titled_and_labelled() {
    let site = TestSite::fixture("flows");
    site.build_ok();
    check_chart_pages(&site.public());
}

/// The flow map of a page (its wide version) split at the magnified inset: (main map, inset).
fn flow_map(html: &str) -> (&str, Option<&str>) {
    let map = svgs(html).into_iter().find(|s| s.contains("chart-map")).expect("a flow map");
    match map.find("<g class=\"inset\">") {
        Some(i) => (&map[..i], Some(&map[i..])),
        None => (map, None),
    }
}

#[test]
fn flow_map_draws_one_arc_per_city_pair() {
    let site = TestSite::fixture("flows");
    site.build_ok();
    let html = site.page("compare/index.html");
    // 9 pairs, 2 of them to the placeholder without coordinates: 7 arcs on the main map (the
    // magnified inset repeats some), plus the legend's sample.
    let (main, inset) = flow_map(&html);
    let inset = inset.expect("the crowded Yangtze River Delta gets an inset");
    let mut flows = group_titles(element(main, "<g class=\"flows\">"), "flow");
    flows.sort();
    let mut want = [
        "无锡市 → 深圳市: 3",
        "无锡市 → 上海市: 1",
        "嘉兴市 → 上海市: 1",
        "宁波市 → 上海市: 1",
        "苏州市 → 上海市: 1",
        "宣城市 → 上海市: 1",
        "洛阳市 → 深圳市: 1",
    ];
    want.sort();
    assert_eq!(flows, want, "one flow per pair with both cities placed");
    assert_eq!(main.matches("class=\"arc\"").count(), 7);
    let repeated = inset.matches("class=\"arc\"").count() - 1;
    assert!(repeated >= 3, "the inset repeats the flows inside the delta: {repeated}");
    let circles: Vec<String> =
        elements(element(main, "<g class=\"cities\">"), "<circle").into_iter().map(|c| text(c, "<title")).collect();
    for c in ["深圳市: ↓4", "上海市: ↓5", "无锡市: ↑4", "洛阳市: ↑1"] {
        assert!(circles.iter().any(|x| x == c), "{c} in {circles:?}");
    }
    // A city the inset magnifies (Shanghai, in the delta) is labelled there rather than on the
    // crowded main map.
    let labels: Vec<String> =
        elements(main, "<text").into_iter().chain(elements(inset, "<text")).map(text_of).collect();
    for l in ["深圳市 4", "上海市 5"] {
        assert!(labels.iter().any(|x| x == l), "host city labelled with its count: {l} in {labels:?}");
    }
}

// The real directory: the same numbers recounted from its entries, however many there are.
common::real::on_shipped_and_grown!(
    matrix_shares_and_totals_recount_the_entries,
    every_chart_is_well_formed_titled_and_labelled,
    the_sentences_say_what_the_entries_count,
    the_flow_map_draws_each_pair_whose_cities_are_placed,
);

fn matrix_shares_and_totals_recount_the_entries(r: &RealSite) {
    let site = &r.site;
    let all: Vec<&Enclave> = site.enclaves.iter().collect();
    for province in [false, true] {
        let ends = |e: &Enclave| {
            if province {
                (e.home_province.id.clone(), e.host_province.id.clone())
            } else {
                (e.home_city.id.clone(), e.host_city.id.clone())
            }
        };
        let mut count: BTreeMap<(String, String), usize> = BTreeMap::new();
        for e in &all {
            *count.entry(ends(e)).or_default() += 1;
        }
        let m = matrix(&all, province);
        let mut seen = 0;
        for (i, home) in m.homes.iter().enumerate() {
            for (j, host) in m.hosts.iter().enumerate() {
                let want = count.get(&(home.id.clone(), host.id.clone())).copied().unwrap_or(0);
                assert_eq!(m.cells[i][j], want, "{} → {} (province level: {province})", home.id, host.id);
                seen += want;
            }
            assert_eq!(m.row_totals[i], m.cells[i].iter().sum::<usize>());
        }
        assert_eq!(seen, all.len(), "every enclave in one cell");
        for j in 0..m.hosts.len() {
            assert_eq!(m.col_totals[j], m.cells.iter().map(|row| row[j]).sum::<usize>());
        }
        assert_eq!(m.max, count.values().copied().max().unwrap());
        if !province {
            let pairs = city_pairs(&all);
            let got: BTreeMap<(String, String), usize> =
                pairs.iter().map(|p| ((p.home.id.clone(), p.host.id.clone()), p.count)).collect();
            assert_eq!(got, count, "one pair per home and host city");
            assert!(pairs.windows(2).all(|w| w[0].count >= w[1].count), "largest first");
        }
    }

    let s = model_shares(site, &all);
    let model_of = |e: &Enclave| e.model.as_ref().map_or(String::new(), |m| m.id.clone());
    let used: Vec<String> =
        site.models.iter().map(|m| m.id.clone()).filter(|id| all.iter().any(|e| model_of(e) == *id)).collect();
    let ids: Vec<String> = s.models.iter().map(|m| m.id.clone()).collect();
    assert_eq!(ids, [used, vec![String::new()]].concat(), "models in use in file order, then not reported");
    for (i, id) in ids.iter().enumerate() {
        assert_eq!(s.overall[i], all.iter().filter(|e| model_of(e) == *id).count(), "model {id:?}");
        for (city, counts) in &s.rows {
            let want = all.iter().filter(|e| e.host_city.id == city.id && model_of(e) == *id).count();
            assert_eq!(counts[i], want, "model {id:?} in {}", city.id);
        }
    }

    for t in host_totals(&all) {
        let here: Vec<&&Enclave> = all.iter().filter(|e| e.host_city.id == t.place.id).collect();
        let sum = |f: &dyn Fn(&Enclave) -> Option<f64>| -> (f64, usize) {
            let v: Vec<f64> = here.iter().filter_map(|e| f(e)).collect();
            (v.iter().sum(), v.len())
        };
        let outcome = |e: &Enclave, f: fn(&feidi::model::Outcomes) -> Option<feidi::model::Num>| {
            e.outcomes.as_ref().and_then(f).map(|n| n.0)
        };
        assert_eq!(t.enclaves, here.len(), "{}", t.place.id);
        assert_eq!((t.area_m2, t.area_n), sum(&|e| e.area_m2.map(|n| n.0)), "{}: area", t.place.id);
        assert_eq!((t.workstations, t.workstations_n), sum(&|e| e.workstations.map(|n| n.0)), "{}", t.place.id);
        assert_eq!((t.projects, t.projects_n), sum(&|e| outcome(e, |o| o.projects)), "{}", t.place.id);
        assert_eq!((t.investment_cny, t.investment_n), sum(&|e| outcome(e, |o| o.investment_cny)), "{}", t.place.id);
    }
}

fn every_chart_is_well_formed_titled_and_labelled(r: &RealSite) {
    let mut pages = 0;
    for (rel, bytes) in common::snapshot(&r.public()) {
        if rel.ends_with(".html") && bytes.windows(4).any(|w| w == b"<svg") {
            check_svgs(&rel, &String::from_utf8(bytes).unwrap());
            pages += 1;
        }
    }
    assert!(pages >= CHART_PAGES.len());
    check_chart_pages(&r.public());
}

/// "{n} 个飞地" and the like: the Chinese interface's counts.
fn distinct(enclaves: &[&Enclave], key: impl Fn(&Enclave) -> &str) -> usize {
    enclaves.iter().map(|e| key(e)).collect::<std::collections::BTreeSet<_>>().len()
}

fn the_sentences_say_what_the_entries_count(r: &RealSite) {
    let site = &r.site;
    let all: Vec<&Enclave> = site.enclaves.iter().collect();
    let compare = insights(&r.page("compare/index.html"));
    // Only places of level city count as host cities; the others are named apart.
    let in_cities: Vec<&Enclave> = all.iter().copied().filter(|e| site.is_city(&e.host_city.id)).collect();
    let lead = format!(
        "名录收录 {} 个飞地，由 {} 个飞出地城市设在 {} 个飞入地城市。",
        all.len(),
        distinct(&all, |e| &e.home_city.id),
        distinct(&in_cities, |e| &e.host_city.id)
    );
    if in_cities.len() < all.len() {
        let apart = format!("另有 {} 个飞地只知道设在", all.len() - in_cities.len());
        assert!(compare[0].contains(&apart), "{:?} counts the others apart: {apart:?}", compare[0]);
    }
    assert!(compare[0].starts_with(&lead), "{:?} starts with {lead:?}", compare[0]);
    let top = &city_pairs(&all)[0];
    let flows = compare.iter().find(|s| s.starts_with("最大的流向是")).expect("the flow map's sentence");
    let top_says = format!("最大的流向是{} → {}：{} 个飞地", top.home.name, top.host.name, top.count);
    assert!(flows.starts_with(&top_says), "{flows:?} starts with {top_says:?}");
    let unplaced = all
        .iter()
        .filter(|e| coords(site, &e.home_city.id).is_none() || coords(site, &e.host_city.id).is_none())
        .count();
    if unplaced > 0 {
        assert!(flows.contains(&format!("{unplaced} 个飞地没有画在图上")), "{flows}");
    }
    let wuxi = site.place("wuxi").unwrap();
    for rep in &wuxi.reported {
        let s = format!(
            "无锡市在{}设立的飞地，来源报道：{} 个，名录收录：{} 个。",
            rep.r#where.as_ref().unwrap().name,
            rep.count,
            rep.listed()
        );
        assert!(compare.iter().any(|x| x.contains(&s)), "the compare page says {s:?}");
    }

    let of =
        |id: &str| -> Vec<&Enclave> { all.iter().copied().filter(|e| e.host_rollup.iter().any(|x| x == id)).collect() };
    let hosted = of("shanghai");
    let yrd = hosted.iter().filter(|e| e.home_rollup.iter().any(|x| x == "yangtze-river-delta")).count();
    let shanghai = insights(&r.page("places/shanghai/index.html"));
    let lead = format!(
        "上海市承接了名录中的 {} 个飞地，来自 {} 个飞出地城市。其中 {yrd} 个来自长三角。",
        hosted.len(),
        distinct(&hosted, |e| &e.home_city.id)
    );
    assert!(shanghai[0].starts_with(&lead), "{:?} starts with {lead:?}", shanghai[0]);
    // What Wuxi's sources report of its Shanghai enclaves is said on Shanghai's page too.
    let wuxi_place = site.place("wuxi").unwrap();
    for rep in wuxi_place.reported.iter().filter(|x| x.r#where.as_ref().is_some_and(|w| w.id == "shanghai")) {
        let s = format!("无锡市在上海市设立的飞地，来源报道：{} 个，名录收录：{} 个。", rep.count, rep.listed());
        assert!(shanghai[0].contains(&s), "{:?} says {s:?}", shanghai[0]);
    }
    let sent: Vec<&Enclave> = all.iter().copied().filter(|e| e.home_rollup.iter().any(|x| x == "wuxi")).collect();
    let mut by_host: BTreeMap<&str, (usize, &str)> = BTreeMap::new();
    for e in &sent {
        by_host.entry(&e.host_city.id).or_insert((0, &e.host_city.name)).0 += 1;
    }
    let mut ranked: Vec<(usize, &str)> = by_host.into_values().collect();
    ranked.sort_by_key(|x| std::cmp::Reverse(x.0));
    let mut want = format!("无锡市在 {} 个飞入地城市设立了名录中的 {} 个飞地。", ranked.len(), sent.len());
    if ranked.len() > 1 && ranked[0].0 > ranked[1].0 {
        want += &format!("其中{}最多，{} 个。", ranked[0].1, ranked[0].0);
    }
    assert_eq!(insights(&r.page("places/wuxi/index.html"))[0], want);
}

fn the_flow_map_draws_each_pair_whose_cities_are_placed(r: &RealSite) {
    let site = &r.site;
    let all: Vec<&Enclave> = site.enclaves.iter().collect();
    let placed: Vec<_> = city_pairs(&all)
        .into_iter()
        .filter(|p| coords(site, &p.home.id).is_some() && coords(site, &p.host.id).is_some())
        .take(feidi::render::figures::MAX_FLOWS)
        .collect();
    let html = r.page("compare/index.html");
    let (main, _) = flow_map(&html);
    let mut want: Vec<String> =
        placed.iter().map(|p| format!("{} → {}: {}", p.home.name, p.host.name, p.count)).collect();
    let mut flows = group_titles(element(main, "<g class=\"flows\">"), "flow");
    want.sort();
    flows.sort();
    assert_eq!(flows, want, "one flow per placed pair");
    assert_eq!(main.matches("class=\"arc\"").count(), want.len());
    // Each city on the map says how many it hosts and sends.
    let mut ends: BTreeMap<&str, (usize, usize)> = BTreeMap::new();
    for p in &placed {
        ends.entry(&p.host.name).or_default().0 += p.count;
        ends.entry(&p.home.name).or_default().1 += p.count;
    }
    let mut want: Vec<String> = ends
        .iter()
        .map(|(name, &(h, s))| match (h, s) {
            (h, 0) => format!("{name}: ↓{h}"),
            (0, s) => format!("{name}: ↑{s}"),
            (h, s) => format!("{name}: ↓{h} ↑{s}"),
        })
        .collect();
    let mut got: Vec<String> =
        elements(element(main, "<g class=\"cities\">"), "<circle").into_iter().map(|c| text(c, "<title")).collect();
    want.sort();
    got.sort();
    assert_eq!(got, want);
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
fn comparison_marks_real_differences_apart_from_gaps_and_picks_by_name() {
    let site = TestSite::fixture("basic");
    site.edit("content/enclaves/alpha.md", "area_m2: 2200", "area_m2: 2200\nland_mu: 3");
    site.build_ok();
    let server = serve(&site.public(), "/");
    let mut b = Browser::launch(1280, 900);
    b.goto(&format!("{}compare/?e=alpha,beta", server.base_url));
    b.wait_for("document.querySelectorAll('#side-table thead th').length === 3", 20_000);
    let marks = |b: &mut Browser, field: &str| -> (bool, bool, bool) {
        let v = b.eval(&format!(
            "(() => {{ const tr = document.querySelector('#side-table tr[data-field=\"{field}\"]'); return [!tr.querySelector('.diff-mark').hidden, !tr.querySelector('.partial-mark').hidden, !tr.hidden]; }})()"
        ));
        serde_json::from_value::<(bool, bool, bool)>(v).unwrap()
    };
    // 工位 199 against nothing reported: not a difference, a gap.
    assert_eq!(marks(&mut b, "workstations"), (false, true, true), "workstations: only some report");
    // Two reported models that are not the same: a difference.
    assert_eq!(marks(&mut b, "model"), (true, false, true), "model differs");
    assert_eq!(marks(&mut b, "status"), (false, false, true), "status: the same");
    // Land in 平方米 beside floor space, the 亩 as reported alongside.
    let land = b.eval("document.querySelector('#side-table tr[data-field=\"land_mu\"] td').textContent");
    assert_eq!(land, "2,000 平方米（3 亩）");
    // A field neither reports is left out of the table and named below it.
    b.goto(&format!("{}compare/?e=beta,gamma", server.base_url));
    b.wait_for("document.querySelectorAll('#side-table thead th').length === 3", 20_000);
    let silent: Vec<String> = serde_json::from_value(b.eval(
        "Array.from(document.querySelectorAll('#side-table tbody tr')).filter(tr => tr.hidden).map(tr => tr.cells[0].firstChild.textContent.trim())",
    ))
    .unwrap();
    assert!(!silent.is_empty(), "beta and gamma leave some fields unreported");
    let note = b.eval("document.getElementById('side-silent').textContent");
    for label in &silent {
        assert!(note.as_str().unwrap().contains(label.as_str()), "{label} in {note}");
    }

    // The picker is at the top: type a name, add the enclave, and its column appears.
    b.goto(&format!("{}compare/?e=alpha,beta", server.base_url));
    b.wait_for("document.querySelectorAll('#side-table thead th').length === 3", 20_000);
    let top = b.eval(
        "document.getElementById('compare-picker').getBoundingClientRect().bottom <= document.getElementById('side-wrap').getBoundingClientRect().top",
    );
    assert_eq!(top, true, "the picker comes before the table");
    b.focus("#q");
    b.type_text("伽马");
    b.wait_for(
        "(() => { const x = document.querySelector('#search-results li[data-slug=gamma] button[data-compare=gamma]'); return x && !x.hidden; })()",
        20_000,
    );
    b.click("#search-results li[data-slug=gamma] button[data-compare=gamma]");
    b.wait_for("document.querySelectorAll('#side-table thead th').length === 4", 20_000);
    b.wait_for("location.search === '?e=alpha,beta,gamma'", 10_000);

    // On a phone, three enclaves fit side by side without a sideways swipe.
    b.set_viewport(390, 844);
    let fits = b.eval(
        "(() => { const w = document.getElementById('side-wrap'); return w.scrollWidth <= w.clientWidth + 1; })()",
    );
    assert_eq!(fits, true, "three columns fit at 390 px");
    let columns = b.eval(
        "(() => { const tr = document.querySelector('#side-table tr[data-field=model]'); return Array.from(tr.querySelectorAll('td')).map(td => Math.round(td.getBoundingClientRect().top)); })()",
    );
    let tops: Vec<i64> = serde_json::from_value(columns).unwrap();
    assert!(tops.windows(2).all(|w| w[0] == w[1]), "the values of a field side by side: {tops:?}");
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
