//! The real directory in `content/`: it builds, every entry has its page, and the figures the
//! source article gives reach the pages.

mod common;
use common::{broken_links, build_real, read_built as read, repo, text_of};

const ARTICLE: &str = "打造离岸创新中心：十八线小城用科创飞地实现招商逆袭";

#[test]
fn every_entry_has_its_page_and_links_resolve() {
    let (_dir, out) = build_real();
    let site = feidi::pipeline::run(&repo(), &Default::default()).unwrap().site;
    assert!(site.enclaves.len() >= 13, "at least the 13 enclaves the article describes");
    for e in &site.enclaves {
        assert!(out.join(format!("enclaves/{}/index.html", e.slug)).is_file(), "page for {}", e.slug);
        assert!(e.sources.iter().any(|s| s.title == ARTICLE), "{} cites the article", e.slug);
    }
    for o in &site.operators {
        assert!(out.join(format!("operators/{}/index.html", o.slug)).is_file(), "page for {}", o.slug);
    }
    for p in common::SITE_FILES {
        assert!(out.join(p).is_file(), "missing public/{p}");
    }
    let broken = broken_links(&out, "/");
    assert!(broken.is_empty(), "broken links:\n{}", broken.join("\n"));
}

#[test]
fn the_thirteen_described_enclaves_are_listed() {
    let site = feidi::pipeline::run(&repo(), &Default::default()).unwrap().site;
    let names: Vec<&str> = site.enclaves.iter().map(|e| e.name.as_str()).collect();
    for wanted in [
        "嘉善",
        "慈溪",
        "锡山（上海）",
        "太仓",
        "宣城",
        "深港协同",
        "惠山",
        "无锡高新区",
        "锡山（深圳）",
        "江阴高新区（深圳）",
        "宜兴",
        "梁溪",
        "丽水",
    ] {
        assert!(names.iter().any(|n| n.contains(wanted)), "no enclave named like {wanted}: {names:?}");
    }
    // Shanghai hosts the five Yangtze-delta centres and Lishui's (and Jiangyin's Zhangjiang one).
    let shanghai = site.place("shanghai").unwrap();
    assert_eq!(shanghai.hosts.len(), 7, "{:?}", shanghai.hosts);
    // Wuxi's seven Shenzhen enclaves from the article's table.
    let shenzhen_from_wuxi = site
        .enclaves
        .iter()
        .filter(|e| e.home_rollup.iter().any(|p| p == "wuxi") && e.host_rollup.iter().any(|p| p == "shenzhen"))
        .count();
    assert_eq!(shenzhen_from_wuxi, 7);
}

#[test]
fn reported_counts_match_the_article() {
    let site = feidi::pipeline::run(&repo(), &Default::default()).unwrap().site;
    let wuxi = site.place("wuxi").unwrap();
    let by_where = |w: &str| wuxi.reported.iter().find(|r| r.r#where.as_ref().is_some_and(|x| x.id == w)).unwrap();
    assert_eq!((by_where("shanghai").count, by_where("shanghai").listed()), (9, 2));
    assert_eq!((by_where("beijing").count, by_where("beijing").listed()), (9, 0));
    assert_eq!((by_where("greater-bay-area").count, by_where("greater-bay-area").listed()), (13, 7));
    assert_eq!((by_where("shenzhen").count, by_where("shenzhen").listed()), (9, 7));
    let hangzhou = site.place("hangzhou").unwrap();
    assert_eq!(hangzhou.reported[0].count, 35);
    assert_eq!(hangzhou.reported[0].qualifier, feidi::model::Qualifier::MoreThan);
}

#[test]
fn the_article_figures_reach_the_pages() {
    let (_dir, out) = build_real();
    let huishan = text_of(&read(&out, "enclaves/huishan-shenzhen-innovation-center/index.html"));
    for figure in ["2,200", "199", "18"] {
        assert!(huishan.contains(figure), "Huishan page shows {figure}");
    }
    let lishui = text_of(&read(&out, "enclaves/lishui-etdz-shanghai-enclave/index.html"));
    for figure in ["21,000", "18", "112", "269 亿元", "天境生物", "迈威生物"] {
        assert!(lishui.contains(figure), "Lishui page shows {figure}");
    }
    assert!(text_of(&read(&out, "enclaves/jiashan-shanghai-innovation-center/index.html")).contains("17,000"));
    assert!(text_of(&read(&out, "enclaves/xuancheng-shanghai-innovation-center/index.html")).contains("10,920"));
    let wuxi = text_of(&read(&out, "places/wuxi/index.html"));
    assert!(wuxi.contains('9') && wuxi.contains('7') && wuxi.contains("13"), "listed vs reported on Wuxi's page");
}
