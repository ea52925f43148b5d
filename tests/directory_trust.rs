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

on_shipped_and_grown!(
    a_sector_group_lists_the_enclaves_of_the_sectors_inside_it,
    the_sector_list_is_sorted_by_count_without_empty_columns,
);

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
