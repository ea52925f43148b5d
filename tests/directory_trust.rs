//! What makes the directory trustworthy to a visitor, on the real directory (shipped and grown,
//! see `common::real`): sector groups that count what is inside them, honest counts of hosts,
//! sources, dates and a licence.

mod common;
use std::collections::{BTreeMap, BTreeSet};

use common::html::{element, elements, rows};
use common::real::{RealSite, on_shipped_and_grown};
use common::{TestSite, feidi, text_of};

/// `sectors.yaml` as written: id → parent id.
fn sector_parents(real: &RealSite) -> BTreeMap<String, Option<String>> {
    let text = std::fs::read_to_string(real.root().join("content/terms/sectors.yaml")).unwrap();
    let items: Vec<serde_yaml::Value> = serde_yaml::from_str(&text).unwrap();
    let by_name: BTreeMap<String, String> = items
        .iter()
        .flat_map(|i| {
            let id = i["id"].as_str().unwrap().to_string();
            let mut names = vec![id.clone(), i["name"].as_str().unwrap().to_string()];
            names.extend(i["aliases"].as_sequence().into_iter().flatten().filter_map(|a| a.as_str()).map(String::from));
            names.into_iter().map(move |n| (n, id.clone()))
        })
        .collect();
    items
        .iter()
        .map(|i| {
            let parent = i["parent"].as_str().map(|p| by_name[p].clone());
            (i["id"].as_str().unwrap().to_string(), parent)
        })
        .collect()
}

/// The sectors inside `id` (itself included), from the file.
fn inside(parents: &BTreeMap<String, Option<String>>, id: &str) -> BTreeSet<String> {
    parents
        .keys()
        .filter(|s| {
            let mut cur = Some((*s).clone());
            let mut steps = 0;
            while let Some(c) = cur {
                if c == id {
                    return true;
                }
                steps += 1;
                cur = if steps > 20 { None } else { parents[&c].clone() };
            }
            false
        })
        .cloned()
        .collect()
}

/// The `data-slug`s of a page's rows.
fn slugs(html: &str) -> BTreeSet<String> {
    html.match_indices("data-slug=\"")
        .map(|(i, m)| {
            let rest = &html[i + m.len()..];
            rest[..rest.find('"').unwrap()].to_string()
        })
        .collect()
}

/// A group's page lists the enclaves of every sector inside it, and `sectors/` shows each
/// group's count over them.
fn a_sector_group_lists_the_enclaves_of_the_sectors_inside_it(real: &RealSite) {
    let parents = sector_parents(real);
    let groups: Vec<&String> = parents.keys().filter(|s| parents.values().any(|p| p.as_ref() == Some(*s))).collect();
    assert!(groups.len() >= 3, "the shipped sectors are grouped: {groups:?}");
    let list = real.page("sectors/index.html");
    for g in groups {
        let within = inside(&parents, g);
        let want: BTreeSet<String> = real
            .site
            .enclaves
            .iter()
            .filter(|e| e.sectors.iter().flatten().any(|s| within.contains(&s.id)))
            .map(|e| e.slug.clone())
            .collect();
        if want.is_empty() {
            continue;
        }
        let page = real.page(&format!("sectors/{g}/index.html"));
        assert_eq!(slugs(&page), want, "sectors/{g}/ lists the enclaves of {within:?}");
        let row = rows(element(&list, "<tbody"))
            .into_iter()
            .find(|r| {
                r[0].trim_start_matches('└')
                    .trim()
                    .starts_with(&real.site.sectors.iter().find(|s| &s.id == g).unwrap().name)
            })
            .unwrap();
        assert!(row.contains(&want.len().to_string()), "sectors/ counts {} for {g}: {row:?}", want.len());
        if parents[g.as_str()].is_none() {
            // The home page's chips count by group too.
            let home = real.page("index.html");
            let chip = home.split(&format!("href=\"sectors/{g}/\">")).nth(1).expect("a chip for the group");
            let n = text_of(element(chip, "<span class=\"count num\""));
            assert_eq!(n, want.len().to_string(), "the home page's chip for {g}");
        }
    }
    // 生物医药 as a group holds 健康医疗, 生命健康 and 医药食品: the article's four related sectors.
    let bio = inside(&parents, "biomedicine");
    for s in ["healthcare", "life-health", "pharma-food"] {
        assert!(bio.contains(s), "{s} is inside 生物医药: {bio:?}");
    }
}

/// `sectors/` lists most used first among siblings, children right under their group, and has
/// no column that says nothing.
fn the_sector_list_is_sorted_by_count_without_empty_columns(real: &RealSite) {
    let list = real.page("sectors/index.html");
    let body = element(&list, "<tbody");
    let trs = elements(body, "<tr");
    let depth = |tr: &str| -> usize {
        let k = tr.find("depth-").map(|i| &tr[i + 6..i + 7]).unwrap_or("0");
        k.parse().unwrap()
    };
    let count = |tr: &str| -> usize { text_of(element(tr, "<td class=\"n\"")).parse().unwrap() };
    // Siblings (same depth, same group) never rise in count.
    let mut last_at: Vec<Option<usize>> = vec![None; 8];
    for tr in &trs {
        let d = depth(tr);
        let n = count(tr);
        if let Some(prev) = last_at[d] {
            assert!(prev >= n, "rows at depth {d} sorted by count: {prev} before {n}");
        }
        last_at[d] = Some(n);
        for deeper in last_at.iter_mut().skip(d + 1) {
            *deeper = None;
        }
        if d > 0 {
            assert!(n <= last_at[d - 1].unwrap(), "a sector counts no more than its group");
        }
    }
    let table = rows(body);
    let width = table[0].len();
    for c in 1..width {
        assert!(
            table.iter().any(|r| r.get(c).is_some_and(|x| x != "–" && !x.is_empty())),
            "column {c} of sectors/ says something in some row"
        );
    }
}

/// A `parent` that names the sector itself, an unknown sector or a cycle stops the build with
/// the line; a file without `parent` builds as before.
#[test]
fn a_bad_sector_parent_is_an_error_at_its_line() {
    let site = TestSite::real_copy();
    site.edit("content/terms/sectors.yaml", "  aliases: [新材料产业]\n", "  aliases: [新材料产业]\n  parent: 新材科\n");
    let run = feidi(&["check", "--root", site.root().to_str().unwrap()]);
    assert_eq!(run.code, 2, "{}", run.stderr);
    assert!(run.stderr.contains("unknown sector `新材科`"), "{}", run.stderr);
    assert!(run.stderr.contains("content/terms/sectors.yaml:"), "{}", run.stderr);

    site.edit("content/terms/sectors.yaml", "  parent: 新材科\n", "  parent: biomedicine\n");
    site.edit("content/terms/sectors.yaml", "  name: 生物产业\n", "  name: 生物产业\n  parent: healthcare\n");
    let run = feidi(&["check", "--root", site.root().to_str().unwrap()]);
    assert_eq!(run.code, 2, "{}", run.stderr);
    assert!(run.stderr.contains("sectors form a `parent` cycle"), "{}", run.stderr);
}

/// The places (ids) of the links in `html` to place pages.
fn place_links(html: &str) -> BTreeSet<String> {
    html.match_indices("places/")
        .filter_map(|(i, _)| {
            let rest = &html[i + 7..];
            let end = rest.find('/')?;
            let id = &rest[..end];
            (!id.is_empty() && id.chars().all(|c| c.is_ascii_alphanumeric() || c == '-')).then(|| id.to_string())
        })
        .collect()
}

/// Only cities count as host cities: the home page's tile and its "where they are" list hold
/// the cities that host an enclave (for the article's entries, 上海市 and 深圳市 only), and the
/// placeholder for "one of TusStar's bases" is counted apart, by name, with its enclaves.
fn only_cities_count_as_host_cities(real: &RealSite) {
    let site = &real.site;
    let hosts: BTreeSet<&str> =
        site.enclaves.iter().map(|e| e.host_city.id.as_str()).filter(|id| site.is_city(id)).collect();
    let article: BTreeSet<&str> = common::real::SEEDS.iter().filter_map(|s| s.host_city).collect();
    assert_eq!(article, BTreeSet::from(["shanghai", "shenzhen"]), "the article's host cities");
    for id in &article {
        assert!(hosts.contains(id), "{id} hosts an enclave");
    }
    let home = real.page("index.html");
    let tile = home.split("飞入地城市</dt>").nth(1).unwrap();
    let n: usize = text_of(element(tile, "<dd class=\"num\"")).parse().unwrap();
    assert_eq!(n, hosts.len(), "the tile counts {hosts:?}");
    let apart: Vec<&feidi::model::Enclave> = site.enclaves.iter().filter(|e| !site.is_city(&e.host_city.id)).collect();
    assert!(!apart.is_empty(), "the TusStar workstations sit at no one city");
    assert!(
        text_of(element(tile, "<dd class=\"stat-note\"")).contains(&apart.len().to_string()),
        "the tile says {} more have no city",
        apart.len()
    );
    let panel = element(&home, "<section class=\"panel\" aria-labelledby=\"h-hosts\"");
    let list = element(panel, "<ol class=\"bars\"");
    let listed: BTreeSet<String> = place_links(list);
    let want: BTreeSet<String> = hosts.iter().take(8).map(|s| s.to_string()).collect();
    assert_eq!(listed, want, "飞地设在哪里 lists the host cities only");
    let note = text_of(element(panel, "<p class=\"panel-note other-hosts\""));
    let placeholder = real.place_name("tusstar-base-cities");
    let at_it = apart.iter().filter(|e| e.host_city.id == "tusstar-base-cities").count();
    assert!(note.contains(&format!("{placeholder} {at_it}")), "{note:?} names the placeholder with {at_it}");
    let regions = element(&home, "<section class=\"panel\" aria-labelledby=\"h-regions\"");
    assert!(!place_links(regions).contains("tusstar-base-cities"), "the placeholder is no city region");
    // The comparison's matrix: the host cities' columns first, the others last and labelled.
    let compare = real.page("compare/index.html");
    let matrix = element(&compare, "<table class=\"data matrix\"");
    let heads: Vec<&str> = elements(element(matrix, "<thead"), "<th scope=\"col\"").into_iter().skip(1).collect();
    let total = heads.len() - 1;
    for (i, h) in heads[..total].iter().enumerate() {
        let city = i < hosts.len();
        assert_eq!(h.contains("不是一座城市"), !city, "column {i} of the matrix: {}", text_of(h));
    }
    assert!(text_of(heads[total - 1]).contains(&placeholder), "the placeholder's column comes last");
    // The introduction names host cities from the data, and only those.
    let lede = text_of(element(&home, "<p class=\"lede\""));
    for p in site.places.iter().filter(|p| p.level == feidi::model::Level::City) {
        if lede.contains(&p.name) {
            assert!(hosts.contains(p.id.as_str()), "the introduction names {} as a host, and it hosts none", p.name);
        }
    }
    assert!(lede.contains(&real.place_name("shanghai")) && lede.contains(&real.place_name("shenzhen")), "{lede}");
}

/// A count a source reports shows on both sides: on the page of the place that reports it and
/// on the page of the place it names (and of the places holding that one), with what the
/// directory lists.
fn reported_counts_show_on_both_sides(real: &RealSite) {
    let site = &real.site;
    let mut checked = 0;
    for p in &site.places {
        for r in &p.reported {
            let Some(w) = &r.r#where else { continue };
            let target = site.place(&w.id).unwrap();
            let sentence = match r.direction {
                feidi::model::Direction::Out => format!("{}在{}设立的飞地，来源报道：", p.name, w.name),
                feidi::model::Direction::In => format!("{}在{}设立的飞地，来源报道：", w.name, p.name),
            };
            let listed = format!("名录收录：{} 个。", r.listed());
            for page in std::iter::once(target).chain(target.regions.iter().filter_map(|x| site.place(&x.id))) {
                assert!(page.has_page, "{} has a page", page.id);
                let html = text_of(&real.page(&format!("places/{}/index.html", page.id)));
                let at = html.find(&sentence).unwrap_or_else(|| panic!("places/{}/ says {sentence:?}", page.id));
                assert!(html[at..].contains(&listed), "places/{}/: {sentence} ... {listed}", page.id);
                checked += 1;
            }
        }
    }
    assert!(checked >= 4, "{checked} reported counts checked");
    // Wuxi's nine in Beijing: Beijing's page says so although it lists none.
    let beijing = text_of(&real.page("places/beijing/index.html"));
    assert!(beijing.contains("无锡市在北京市设立的飞地，来源报道：9 个，名录收录：0 个。"), "{beijing}");
}

/// Wherever a place with a page is named as a region or an enclosing place, it is a link.
fn every_place_with_a_page_is_a_link(real: &RealSite) {
    let site = &real.site;
    for p in site.places.iter().filter(|p| p.has_page) {
        let html = real.page(&format!("places/{}/index.html", p.id));
        let head = element(&html, "<header class=\"page-head place-head\"");
        let links = place_links(head);
        for r in p.regions.iter().chain(p.parent.iter()) {
            if site.place(&r.id).is_some_and(|x| x.has_page) {
                assert!(links.contains(&r.id), "places/{}/ links {} ({})", p.id, r.name, r.id);
            }
        }
    }
    let beijing = real.page("places/beijing/index.html");
    assert!(
        place_links(element(&beijing, "<header class=\"page-head place-head\"")).contains("jing-jin-ji"),
        "京津冀 is a link"
    );
}

on_shipped_and_grown!(
    a_sector_group_lists_the_enclaves_of_the_sectors_inside_it,
    the_sector_list_is_sorted_by_count_without_empty_columns,
    only_cities_count_as_host_cities,
    reported_counts_show_on_both_sides,
    every_place_with_a_page_is_a_link,
    the_directory_shows_where_it_comes_from_and_when,
    no_zero_cards_no_placeholders,
);

/// How many fields an enclave of `data/enclaves.json` gives.
fn given(record: &serde_json::Value) -> usize {
    record
        .as_object()
        .unwrap()
        .values()
        .filter(|v| !(v.is_null() || v.as_array().is_some_and(Vec::is_empty) || v.as_str() == Some("")))
        .count()
}

/// The trust signals a visitor looks for: a licence in every footer and in the data package,
/// a favicon, a feed dated from the entries, each entry's last update, the home page's sample
/// of the most complete entries, and a methodology page written for readers.
fn the_directory_shows_where_it_comes_from_and_when(real: &RealSite) {
    let yaml: serde_yaml::Value =
        serde_yaml::from_str(&std::fs::read_to_string(real.root().join("content/site.yaml")).unwrap()).unwrap();
    let license = yaml["license"]["name"].as_str().expect("site.yaml names a licence");
    let url = yaml["license"]["url"].as_str().unwrap();
    for page in ["index.html", "enclaves/index.html", "places/wuxi/index.html", "404.html"] {
        let html = real.page(page);
        let footer = element(&html, "<footer class=\"site-footer\"");
        assert!(footer.contains(&format!(">{license}</a>")) && footer.contains("rel=\"license\""), "{page}: {footer}");
    }
    let package: serde_json::Value = serde_json::from_str(&real.page("data/datapackage.json")).unwrap();
    assert_eq!(package["licenses"][0]["name"], license);
    assert_eq!(package["licenses"][0]["path"], url);

    let ico = std::fs::read(real.public().join("favicon.ico")).expect("/favicon.ico exists");
    assert_eq!(&ico[..4], &[0, 0, 1, 0], "an ICO file");
    let svg = std::fs::read_to_string(real.public().join("favicon.svg")).unwrap();
    roxmltree::Document::parse(&svg).expect("the SVG favicon is well formed");
    assert!(real.page("index.html").contains("<link rel=\"icon\" href=\"favicon.svg\" type=\"image/svg+xml\">"));

    let atom = real.page("atom.xml");
    assert!(!atom.contains("1970"), "no invented dates in the feed");
    for e in &real.site.enclaves {
        let page = real.page(&format!("enclaves/{}/index.html", e.slug));
        if let Some(u) = &e.updated {
            assert!(atom.contains(&format!("<updated>{u}T00:00:00Z</updated>")), "the feed dates {} by {u}", e.slug);
            assert!(text_of(&page).contains(&format!("最近更新 {u}")), "enclaves/{}/ shows its last update", e.slug);
        } else {
            assert!(!text_of(&page).contains("最近更新"), "enclaves/{}/ invents no update date", e.slug);
        }
    }

    // The sample holds the entries that give the most fields.
    let data: Vec<serde_json::Value> = serde_json::from_str(&real.page("data/enclaves.json")).unwrap();
    let home = real.page("index.html");
    let sample = slugs(element(&home, "<section class=\"panel panel-wide\" aria-labelledby=\"h-latest\""));
    assert_eq!(sample.len(), 6.min(data.len()));
    let least_in = data.iter().filter(|r| sample.contains(r["slug"].as_str().unwrap())).map(given).min().unwrap();
    let most_out = data.iter().filter(|r| !sample.contains(r["slug"].as_str().unwrap())).map(given).max().unwrap_or(0);
    assert!(least_in >= most_out, "the sample's least complete entry gives {least_in} fields, another {most_out}");

    let method = text_of(element(&real.page("pages/methodology/index.html"), "<main"));
    for editor_word in ["content/", "slug", "YAML", ".md"] {
        assert!(!method.contains(editor_word), "the methodology page speaks to readers, not editors: {editor_word:?}");
    }
}

/// Small things a visitor notices: operator cards never say "0 enclaves", no placeholder text
/// in the content, and a not-reported fact looks the same in every row of an entry.
fn no_zero_cards_no_placeholders(real: &RealSite) {
    let ops = text_of(&real.page("operators/index.html"));
    assert!(!ops.contains(" 0 个飞地") && !ops.contains("：0 个飞地"), "no card of 0 enclaves");
    for e in walkdir::WalkDir::new(real.root().join("content")) {
        let e = e.unwrap();
        if e.file_type().is_file() {
            let text = std::fs::read_to_string(e.path()).unwrap();
            assert!(!text.contains("待补充"), "{} leaves a placeholder", e.path().display());
        }
    }
    let css = std::fs::read_dir(real.public()).unwrap().filter_map(Result::ok).find(|f| {
        let n = f.file_name().to_string_lossy().to_string();
        n.starts_with("style.") && n.ends_with(".css")
    });
    let css = std::fs::read_to_string(css.unwrap().path()).unwrap();
    assert!(css.contains(".factsheet dd .nr { font-weight: 400; }"), "a number's 'not reported' is not bold");
}

/// A source's publisher, date and link show when given; the open data has `publisher` only then.
#[test]
fn sources_show_publisher_date_and_link() {
    let site = TestSite::real_copy();
    site.edit(
        "content/enclaves/huishan-shenzhen-innovation-center.md",
        "    not_reported: [url, date]\n",
        "    publisher: 测试日报\n    url: https://example.org/article\n    date: 2021-06-18\n",
    );
    site.build_ok();
    let page = site.page("enclaves/huishan-shenzhen-innovation-center/index.html");
    let sources = element(&page, "<ol class=\"sources\"");
    assert!(sources.contains("测试日报"), "{sources}");
    assert!(sources.contains("<time datetime=\"2021-06-18\">2021-06-18</time>"), "{sources}");
    assert!(
        sources.contains("href=\"https:&#x2F;&#x2F;example.org&#x2F;article\"")
            || sources.contains("href=\"https://example.org/article\""),
        "{sources}"
    );
    let other = element(&site.page("enclaves/cixi-shanghai-enclave/index.html"), "<ol class=\"sources\"").to_string();
    assert!(other.contains("（未提供链接）") && !other.contains("<a "), "{other}");
    let data: Vec<serde_json::Value> = serde_json::from_str(&site.page("data/enclaves.json")).unwrap();
    let with = data.iter().find(|r| r["slug"] == "huishan-shenzhen-innovation-center").unwrap();
    assert_eq!(with["sources"][0]["publisher"], "测试日报");
    let without = data.iter().find(|r| r["slug"] == "cixi-shanghai-enclave").unwrap();
    assert!(without["sources"][0].get("publisher").is_none(), "absent when not given");
}
