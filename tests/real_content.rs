//! The real directory in `content/`: every entry has its page and cites a source, every link
//! resolves, the roll-ups and reported-versus-listed counts follow the entries, and the facts of
//! the source article (its enclaves, their places and figures, the counts it reports) reach the
//! pages exactly.
//!
//! No check counts today's entries: each runs on the shipped directory (`shipped::…`) and on a
//! grown copy (`grown::…`) with two entries added by `feidi new enclave` (see
//! `common::real::grown`), and must pass on both.

mod common;
use std::collections::BTreeSet;

use common::html::{element, fact, table_rows, text};
use common::real::{ARTICLE, NEWCOMER, NEWCOMER_2, REPORTED, RealSite, SEEDS, fold_brackets, is_seed};
use common::{SITE_FILES, broken_links, text_of};
use feidi::model::{Direction, Qualifier};

common::real::on_shipped_and_grown!(
    entries_have_pages_sources_and_open_data,
    links_resolve,
    the_articles_enclaves_are_listed_with_their_places,
    roll_ups_follow_the_place_tree,
    reported_counts_are_the_articles_and_listed_counts_follow_the_entries,
    the_articles_figures_reach_the_pages_exactly,
    the_reported_counts_reach_the_place_pages_exactly,
    the_footer_counts_what_is_listed,
);

fn entries_have_pages_sources_and_open_data(r: &RealSite) {
    let site = &r.site;
    for e in &site.enclaves {
        assert!(r.public().join(format!("enclaves/{}/index.html", e.slug)).is_file(), "page for {}", e.slug);
        assert!(
            !e.sources.is_empty() && e.sources.iter().all(|s| !s.title.trim().is_empty()),
            "{} cites a source with a title",
            e.slug
        );
        if is_seed(&e.slug) {
            assert!(e.sources.iter().any(|s| s.title == ARTICLE), "{}, named by the article, cites it", e.slug);
        }
        // The page cites each source: its title, linked when it has an address.
        let page = r.page(&format!("enclaves/{}/index.html", e.slug));
        let items = common::html::elements(element(&page, "<ol class=\"sources\""), "<li");
        assert_eq!(items.len(), e.sources.len(), "{}: one item per source", e.slug);
        for (li, s) in items.iter().zip(&e.sources) {
            if let Some(url) = &s.url {
                assert_eq!(common::links(li).first(), Some(url), "{}: the source is linked", e.slug);
            }
            let title = text(li, "<cite");
            assert_eq!(title, s.title, "{}: the page cites its source", e.slug);
        }
    }
    for o in &site.operators {
        assert!(r.public().join(format!("operators/{}/index.html", o.slug)).is_file(), "page for {}", o.slug);
    }
    for p in SITE_FILES {
        assert!(r.public().join(p).is_file(), "missing public/{p}");
    }
    // Open data: every enclave once, in slug order, in the JSON and the CSV.
    let slugs: Vec<&str> = site.enclaves.iter().map(|e| e.slug.as_str()).collect();
    let json: serde_json::Value = serde_json::from_str(&r.page("data/enclaves.json")).unwrap();
    let in_json: Vec<&str> = json.as_array().unwrap().iter().map(|e| e["slug"].as_str().unwrap()).collect();
    assert_eq!(in_json, slugs);
    let csv = r.page("data/enclaves.csv");
    let in_csv: Vec<&str> = csv.trim_end().split("\r\n").skip(1).map(|l| l.split(',').next().unwrap()).collect();
    assert_eq!(in_csv, slugs);
    let ops: serde_json::Value = serde_json::from_str(&r.page("data/operators.json")).unwrap();
    assert_eq!(ops.as_array().unwrap().len(), site.operators.len());
    let sitemap = r.page("sitemap.xml");
    for s in &slugs {
        assert!(sitemap.contains(&format!("/enclaves/{s}/</loc>")), "sitemap lists {s}");
    }
    if r.is_grown() {
        for s in [NEWCOMER, NEWCOMER_2] {
            assert!(slugs.contains(&s), "the grown copy lists {s}");
        }
    }
}

fn links_resolve(r: &RealSite) {
    let broken = broken_links(&r.public(), "/");
    assert!(broken.is_empty(), "broken links:\n{}", broken.join("\n"));
}

fn the_articles_enclaves_are_listed_with_their_places(r: &RealSite) {
    let mut wrong = Vec::new();
    for s in SEEDS {
        let e = r.enclave(s.slug);
        if fold_brackets(&e.name) != fold_brackets(s.name) {
            wrong.push(format!("{}: named {:?}, the article says {:?}", s.slug, e.name, s.name));
        }
        if !s.home_city.is_empty() && e.home_city.id != s.home_city {
            wrong.push(format!("{}: set up by {}, the article says {}", s.slug, e.home_city.id, s.home_city));
        }
        if let Some(host) = s.host_city
            && e.host_city.id != host
        {
            wrong.push(format!("{}: hosted in {}, the article says {host}", s.slug, e.host_city.id));
        }
        if let Some(model) = s.model
            && e.model.as_ref().map(|m| m.id.as_str()) != Some(model)
        {
            wrong.push(format!("{}: model {:?}, the article says {model}", s.slug, e.model.as_ref().map(|m| &m.id)));
        }
        if !s.sectors.is_empty() {
            let got: BTreeSet<&str> = e.sectors.iter().flatten().map(|x| x.name.as_str()).collect();
            let want: BTreeSet<&str> = s.sectors.iter().copied().collect();
            if got != want {
                wrong.push(format!("{}: sectors {got:?}, the article says {want:?}", s.slug));
            }
        }
    }
    assert!(wrong.is_empty(), "{}", wrong.join("\n"));
}

/// The places an enclave's end rolls up to, followed from the place tree by hand: the place, its
/// parents up to the top, and the regions of each.
fn roll_up(r: &RealSite, id: &str) -> BTreeSet<String> {
    let mut out = BTreeSet::new();
    let mut at = Some(id.to_string());
    while let Some(p) = at {
        let place = r.site.place(&p).unwrap_or_else(|| panic!("no place {p}"));
        assert!(out.insert(p.clone()), "a cycle through {p}");
        for region in &place.regions {
            out.insert(region.id.clone());
        }
        at = place.parent.as_ref().map(|x| x.id.clone());
    }
    out
}

fn roll_ups_follow_the_place_tree(r: &RealSite) {
    let site = &r.site;
    for e in &site.enclaves {
        let home: BTreeSet<String> = e.home_rollup.iter().cloned().collect();
        let host: BTreeSet<String> = e.host_rollup.iter().cloned().collect();
        assert_eq!(home, roll_up(r, &e.home.id), "{}'s home", e.slug);
        assert_eq!(host, roll_up(r, &e.host.id), "{}'s host", e.slug);
    }
    // Every place sends and hosts exactly the enclaves that roll up to it.
    for p in &site.places {
        let sends = r.slugs_where(|e| e.home_rollup.contains(&p.id));
        let hosts = r.slugs_where(|e| e.host_rollup.contains(&p.id));
        assert_eq!(p.sends, sends, "{} sends", p.id);
        assert_eq!(p.hosts, hosts, "{} hosts", p.id);
        let page = r.public().join(format!("places/{}/index.html", p.id));
        assert_eq!(page.is_file(), p.has_page, "places/{}/ exists exactly when the place has something to show", p.id);
    }
    // The article's enclaves are counted where it puts them.
    for s in SEEDS {
        let e = r.enclave(s.slug);
        if !s.home_city.is_empty() {
            assert!(r.site.place(s.home_city).unwrap().sends.contains(&e.slug), "{} sends {}", s.home_city, s.slug);
        }
        if let Some(host) = s.host_city {
            assert!(r.site.place(host).unwrap().hosts.contains(&e.slug), "{host} hosts {}", s.slug);
        }
    }
}

fn reported_counts_are_the_articles_and_listed_counts_follow_the_entries(r: &RealSite) {
    for &(place, direction, counterpart, count, more_than) in REPORTED {
        let p = r.site.place(place).unwrap();
        let rep = p
            .reported
            .iter()
            .find(|x| x.direction == direction && x.r#where.as_ref().map(|w| w.id.as_str()) == counterpart)
            .unwrap_or_else(|| panic!("{place} reports no count for {counterpart:?}"));
        assert_eq!(rep.count, count, "{place} → {counterpart:?}: the article's count");
        let qualifier = if more_than { Qualifier::MoreThan } else { Qualifier::Exactly };
        assert_eq!(rep.qualifier, qualifier, "{place} → {counterpart:?}");
        assert_eq!(rep.source.as_deref(), Some(ARTICLE));
        // Listed: every enclave of that direction and counterpart, whatever their number.
        let listed = r.slugs_where(|e| {
            let (mine, theirs) = match direction {
                Direction::Out => (&e.home_rollup, &e.host_rollup),
                Direction::In => (&e.host_rollup, &e.home_rollup),
            };
            mine.iter().any(|x| x == place) && counterpart.is_none_or(|c| theirs.iter().any(|x| x == c))
        });
        assert_eq!(rep.listed_slugs, listed, "{place} → {counterpart:?}: listed");
    }
    // Among them, the article's own: Wuxi's seven in Shenzhen (the Greater Bay Area) and two in
    // Shanghai.
    let wuxi = r.site.place("wuxi").unwrap();
    for (to, city) in [("shenzhen", "shenzhen"), ("greater-bay-area", "shenzhen"), ("shanghai", "shanghai")] {
        let rep = wuxi.reported.iter().find(|x| x.r#where.as_ref().is_some_and(|w| w.id == to)).unwrap();
        for s in SEEDS.iter().filter(|s| s.home_city == "wuxi" && s.host_city == Some(city)) {
            assert!(rep.listed_slugs.iter().any(|x| x == s.slug), "wuxi → {to} lists {}", s.slug);
        }
    }
}

fn the_articles_figures_reach_the_pages_exactly(r: &RealSite) {
    let page = |slug: &str| r.page(&format!("enclaves/{slug}/index.html"));
    let facts = |slug: &str, want: &[(&str, &str)]| {
        let html = page(slug);
        for (label, value) in want {
            assert_eq!(fact(&html, label).as_deref(), Some(*value), "{slug}: {label}");
        }
    };
    facts("huishan-shenzhen-innovation-center", &[("建筑面积", "2,200 平方米"), ("工位", "199"), ("独立办公室", "18")]);
    facts("lishui-etdz-shanghai-enclave", &[("建筑面积", "21,000 平方米"), ("占地面积", "12,000 平方米（18 亩）")]);
    facts("jiashan-shanghai-innovation-center", &[("建筑面积", "17,000 平方米")]);
    facts("xuancheng-shanghai-innovation-center", &[("建筑面积", "10,920 平方米")]);

    // Lishui's outcomes and the companies it brought in.
    let lishui = page("lishui-etdz-shanghai-enclave");
    let outcomes = element(&lishui, "<section class=\"entry-section\" aria-labelledby=\"h-outcomes\"");
    let stats: Vec<String> = common::html::elements(outcomes, "<div class=\"stat\"").into_iter().map(text_of).collect();
    assert_eq!(stats, ["引进项目 112", "项目总投资 269 亿元", "引进企业 6"]);
    let after = &lishui[lishui.find("<h3>引进的企业</h3>").expect("a list of companies")..];
    assert_eq!(
        common::html::elements(element(after, "<ul"), "<li").into_iter().map(text_of).collect::<Vec<_>>(),
        ["天境生物", "泽璟制药", "德琪医药", "迈威生物"]
    );

    // The same figures in the open data.
    let json: serde_json::Value = serde_json::from_str(&r.page("data/enclaves.json")).unwrap();
    let rec = |slug: &str| json.as_array().unwrap().iter().find(|e| e["slug"] == slug).unwrap().clone();
    let huishan = rec("huishan-shenzhen-innovation-center");
    assert_eq!(
        (&huishan["area_m2"], &huishan["workstations"], &huishan["offices"]),
        (&2200.into(), &199.into(), &18.into())
    );
    let lishui = rec("lishui-etdz-shanghai-enclave");
    assert_eq!(
        lishui["outcomes"],
        serde_json::json!({"projects": 112, "investment_cny": 26_900_000_000u64, "companies": 6, "landing_rate": null})
    );
}

fn the_reported_counts_reach_the_place_pages_exactly(r: &RealSite) {
    // Wuxi's table: one row per reported count, with what is listed against it.
    let wuxi = r.site.place("wuxi").unwrap();
    let html = r.page("places/wuxi/index.html");
    let rows = table_rows(&html, "无锡市：来源报道的飞地数量与名录已收录数量");
    let want: Vec<Vec<String>> = wuxi
        .reported
        .iter()
        .map(|rep| {
            let w = rep.r#where.as_ref().unwrap();
            let n = rep.listed();
            vec![
                format!("{} 设立（飞出）", w.name),
                rep.count.to_string(),
                n.to_string(),
                format!("已收录 {n} 个，来源报道 {} 个", rep.count),
                ARTICLE.to_string(),
            ]
        })
        .collect();
    assert_eq!(rows, want);
    let counts: Vec<(&str, &str)> = rows.iter().map(|r| (r[0].as_str(), r[1].as_str())).collect();
    assert_eq!(
        counts,
        [
            ("上海市 设立（飞出）", "9"),
            ("北京市 设立（飞出）", "9"),
            ("粤港澳大湾区 设立（飞出）", "13"),
            ("深圳市 设立（飞出）", "9")
        ],
        "the article's counts, in its order"
    );
    let sentences = text(element(&html, "<div class=\"figure\" id=\"fig-reported\""), "<p class=\"insight\"");
    let want: String = wuxi
        .reported
        .iter()
        .map(|rep| {
            format!(
                "无锡市在{}设立的飞地，来源报道：{} 个，名录收录：{} 个。",
                rep.r#where.as_ref().unwrap().name,
                rep.count,
                rep.listed()
            )
        })
        .collect();
    assert_eq!(sentences, want);

    // Hangzhou: "more than 35" hosted, from anywhere.
    let hangzhou = r.site.place("hangzhou").unwrap();
    let listed = hangzhou.reported[0].listed();
    let rows = table_rows(&r.page("places/hangzhou/index.html"), "杭州市：来源报道的飞地数量与名录已收录数量");
    assert_eq!(
        rows,
        [vec![
            "各地合计 承接（飞入）".to_string(),
            "超过 35".into(),
            listed.to_string(),
            format!("已收录 {listed} 个，来源报道 35 个"),
            ARTICLE.into(),
        ]]
    );
}

fn the_footer_counts_what_is_listed(r: &RealSite) {
    let want = format!("收录 {} 个飞地、{} 家运营机构。", r.site.enclaves.len(), r.site.operators.len());
    for page in ["index.html", "enclaves/index.html", "enclaves/lishui-etdz-shanghai-enclave/index.html"] {
        let html = r.page(page);
        let footer = element(&html, "<footer class=\"site-footer\"");
        assert_eq!(text(footer, "<p class=\"muted\""), want, "{page}");
    }
}
