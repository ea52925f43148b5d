//! Short sentences generated from the data ("Shanghai hosts 7 listed enclaves from 6 home cities;
//! 7 of them come from the Yangtze River Delta"). Never written by hand: each is an interface
//! text with placeholders (see the `insight_*` keys in the theme's i18n tables) filled with
//! numbers computed here.

use crate::model::{Enclave, Place, Qualifier, Ref, Reported, Site};

use super::rollup::{Count, ModelShares, Pair, Totals, count_by, cross_province};
use crate::i18n::Texts;

pub use crate::format::name;

/// A share as a whole percentage: `0.35` → `35%`.
pub fn pct(n: usize, total: usize) -> String {
    if total == 0 { "0%".into() } else { format!("{}%", (n as f64 * 100.0 / total as f64).round()) }
}

/// "7 enclaves" / "1 enclave".
fn enclaves_n(tx: &Texts, n: usize) -> String {
    tx.t_n("n_enclaves", n, &[])
}

fn distinct(enclaves: &[&Enclave], key: impl Fn(&Enclave) -> &str) -> usize {
    enclaves.iter().map(|e| key(e)).collect::<std::collections::BTreeSet<_>>().len()
}

/// The whole directory (or a subset) in one or two sentences.
pub fn overview(tx: &Texts, site: &Site, enclaves: &[&Enclave]) -> Vec<String> {
    overview_of(tx, site, enclaves, None)
}

/// The enclaves whose host is no city (a region, or a placeholder for one of several cities),
/// by host: counted apart from the host cities, and said so.
fn not_in_a_city<'e>(site: &Site, enclaves: &[&'e Enclave]) -> (Vec<&'e Enclave>, Vec<Count>) {
    let (cities, others): (Vec<&Enclave>, Vec<&Enclave>) =
        enclaves.iter().copied().partition(|e| site.is_city(&e.host_city.id));
    (cities, count_by(&others, |e| vec![e.host_city.clone()]))
}

/// "5 more are known only to sit at ...": the sentence for [`not_in_a_city`]'s hosts.
/// `more`: other enclaves were counted in cities before it.
fn elsewhere_sentence(tx: &Texts, others: &[Count], more: bool) -> Option<String> {
    let n: usize = others.iter().map(|c| c.count).sum();
    let key = if more { "insight_hosts_not_cities" } else { "insight_hosts_no_city" };
    (n > 0).then(|| {
        let places: Vec<String> = others.iter().map(|c| name(&c.item, &tx.lang)).collect();
        tx.t_n(key, n, &[("places", &places.join(&tx.t("list_sep", &[])))])
    })
}

/// Like [`overview`], for the enclaves of one sector or model (`term`, its name).
pub fn overview_of(tx: &Texts, site: &Site, enclaves: &[&Enclave], term: Option<&str>) -> Vec<String> {
    let n = enclaves.len();
    if n == 0 {
        return Vec::new();
    }
    let (in_cities, others) = not_in_a_city(site, enclaves);
    let homes = tx.t_n("n_home_cities", distinct(enclaves, |e| &e.home_city.id), &[]);
    let hosts = tx.t_n("n_host_cities", distinct(&in_cities, |e| &e.host_city.id), &[]);
    let (key, term) = match term {
        Some(t) => ("insight_term", t),
        None => ("insight_overview", ""),
    };
    let mut out =
        vec![tx.t(key, &[("enclaves", &enclaves_n(tx, n)), ("homes", &homes), ("hosts", &hosts), ("term", term)])];
    out.extend(elsewhere_sentence(tx, &others, true));
    let by_host = count_by(&in_cities, |e| vec![e.host_city.clone()]);
    if by_host.len() > 1 {
        let top = &by_host[0];
        out.push(tx.t(
            "insight_top_host",
            &[
                ("place", &name(&top.item, &tx.lang)),
                ("enclaves", &enclaves_n(tx, top.count)),
                ("pct", &pct(top.count, n)),
            ],
        ));
    }
    out
}

/// What a place hosts: how many, from how many home cities, how many from its own region.
pub fn hosts(tx: &Texts, site: &Site, place: &Place, hosted: &[&Enclave]) -> Vec<String> {
    if hosted.is_empty() {
        return Vec::new();
    }
    let pname = name(&place.to_ref(), &tx.lang);
    let homes = tx.t_n("n_home_cities", distinct(hosted, |e| &e.home_city.id), &[]);
    let mut out = vec![
        tx.t("insight_host", &[("place", &pname), ("enclaves", &enclaves_n(tx, hosted.len())), ("homes", &homes)]),
    ];
    // The region the place itself lies in (a region page counts its own members).
    let region =
        place.regions.first().cloned().or_else(|| (place.level == crate::model::Level::Region).then(|| place.to_ref()));
    if let Some(r) = region.filter(|r| site.place(&r.id).is_some()) {
        let k = hosted.iter().filter(|e| e.home_rollup.contains(&r.id)).count();
        let key = if k == 0 { "insight_host_region_none" } else { "insight_host_region" };
        out.push(tx.t_n(key, k, &[("region", &name(&r, &tx.lang))]));
    }
    out
}

/// What a place sends: how many, to how many host cities, and where most go.
pub fn sends(tx: &Texts, site: &Site, place: &Place, sent: &[&Enclave]) -> Vec<String> {
    if sent.is_empty() {
        return Vec::new();
    }
    let pname = name(&place.to_ref(), &tx.lang);
    let (in_cities, others) = not_in_a_city(site, sent);
    let mut out = Vec::new();
    if !in_cities.is_empty() {
        let hosts = tx.t_n("n_host_cities", distinct(&in_cities, |e| &e.host_city.id), &[]);
        out.push(tx.t(
            "insight_home",
            &[("place", &pname), ("enclaves", &enclaves_n(tx, in_cities.len())), ("hosts", &hosts)],
        ));
    }
    out.extend(elsewhere_sentence(tx, &others, !in_cities.is_empty()));
    let by_host = count_by(&in_cities, |e| vec![e.host_city.clone()]);
    // Name a leader only when there is one.
    if by_host.len() > 1 && by_host[0].count > by_host[1].count {
        let top = &by_host[0];
        out.push(tx.t("insight_home_top", &[("place", &name(&top.item, &tx.lang)), ("n", &top.count.to_string())]));
    }
    out
}

/// The flow map: the largest flow, the number of pairs, what could not be placed.
pub fn flows(tx: &Texts, pairs: &[Pair], mapped: usize, unmapped: &[Count]) -> Vec<String> {
    let mut out = Vec::new();
    if let Some(top) = pairs.first() {
        out.push(tx.t(
            "insight_flow_top",
            &[
                ("from", &name(&top.home, &tx.lang)),
                ("to", &name(&top.host, &tx.lang)),
                ("enclaves", &enclaves_n(tx, top.count)),
                ("pct", &pct(top.count, mapped.max(1))),
            ],
        ));
    }
    let n: usize = unmapped.iter().map(|c| c.count).sum();
    if n > 0 {
        let sep = tx.t("list_sep", &[]);
        let places: Vec<String> = unmapped.iter().map(|c| name(&c.item, &tx.lang)).collect();
        out.push(tx.t_n("insight_unmapped", n, &[("places", &places.join(&sep))]));
    }
    out
}

/// The home × host matrix: pairs, the busiest pair, how many cross a province border.
pub fn matrix(tx: &Texts, enclaves: &[&Enclave], pairs: &[Pair]) -> Vec<String> {
    let mut out = Vec::new();
    if enclaves.is_empty() {
        return out;
    }
    out.push(tx.t(
        "insight_matrix",
        &[
            ("pairs", &tx.t_n("n_pairs", pairs.len(), &[])),
            ("cross", &cross_province(enclaves).to_string()),
            ("n", &enclaves.len().to_string()),
        ],
    ));
    if let Some(top) = pairs.first() {
        out.push(tx.t(
            "insight_matrix_top",
            &[
                ("from", &name(&top.home, &tx.lang)),
                ("to", &name(&top.host, &tx.lang)),
                ("enclaves", &enclaves_n(tx, top.count)),
            ],
        ));
    }
    out
}

/// Operating models: the most common reported one, how many do not say, and the leader in the
/// largest host cities.
pub fn models(tx: &Texts, shares: &ModelShares, per_city: usize) -> Vec<String> {
    let total: usize = shares.overall.iter().sum();
    let mut out = Vec::new();
    if total == 0 {
        return out;
    }
    let nr = *shares.overall.last().unwrap_or(&0);
    // Reported models by count, most first; a tie for first is said as a tie.
    let ranked = |counts: &[usize]| -> Vec<(&Ref, usize)> {
        let mut v: Vec<(&Ref, usize)> = shares
            .models
            .iter()
            .zip(counts)
            .filter(|(m, n)| !m.id.is_empty() && **n > 0)
            .map(|(m, n)| (m, *n))
            .collect();
        v.sort_by_key(|x| std::cmp::Reverse(x.1));
        v
    };
    let overall = ranked(&shares.overall);
    match overall.as_slice() {
        [] => out.push(tx.t_n("insight_models_none", total, &[])),
        [(m, n), rest @ ..] => {
            let args = [("n", n.to_string()), ("total", total.to_string()), ("pct", pct(*n, total))];
            let mut args: Vec<(&str, &str)> = args.iter().map(|(k, v)| (*k, v.as_str())).collect();
            let tied: Vec<String> = std::iter::once(*m)
                .chain(rest.iter().take_while(|(_, k)| k == n).map(|(m, _)| *m))
                .map(|m| tx.t("quoted", &[("x", &name(m, &tx.lang))]))
                .collect();
            let list = tied.join(&tx.t("list_sep", &[]));
            let single = name(m, &tx.lang);
            if total == 1 {
                out.push(tx.t("insight_models_single", &[("model", &single)]));
            } else if tied.len() == 1 {
                args.push(("model", &single));
                out.push(tx.t("insight_models", &args));
            } else {
                args.push(("list", &list));
                out.push(tx.t("insight_models_tie", &args));
            }
            if nr > 0 {
                out.push(tx.t_n("insight_models_nr", nr, &[]));
            }
        }
    }
    for (city, counts) in shares.rows.iter().take(per_city) {
        let t: usize = counts.iter().sum();
        let r = ranked(counts);
        // Only a clear leader is named.
        if let Some((m, n)) = r.first().filter(|(_, n)| r.get(1).is_none_or(|(_, k)| k < n)) {
            out.push(tx.t(
                "insight_models_city",
                &[
                    ("place", &name(city, &tx.lang)),
                    ("model", &name(m, &tx.lang)),
                    ("n", &n.to_string()),
                    ("total", &t.to_string()),
                ],
            ));
        }
    }
    out
}

/// Sectors: the most named one among the enclaves that report sectors, and how many do not.
pub fn sectors(tx: &Texts, enclaves: &[&Enclave]) -> Vec<String> {
    let reporting: Vec<&Enclave> = enclaves.iter().copied().filter(|e| e.sectors.is_some()).collect();
    let nr = enclaves.len() - reporting.len();
    let mut out = Vec::new();
    let counts = count_by(&reporting, |e| e.sectors.clone().unwrap_or_default());
    if let Some(top) = counts.first() {
        let total = reporting.len().to_string();
        let n = top.count.to_string();
        let tied: Vec<&Count> = counts.iter().take_while(|c| c.count == top.count).collect();
        if reporting.len() == 1 {
            out.push(tx.t("insight_sectors_one", &[("k", &counts.len().to_string())]));
        } else if tied.len() == 1 && top.count > 1 {
            out.push(
                tx.t("insight_sectors_top", &[("sector", &name(&top.item, &tx.lang)), ("n", &n), ("total", &total)]),
            );
        } else if tied.len() <= 3 && top.count > 1 {
            // A tie for first is named as a tie, never as one leader picked by alphabet.
            let list: Vec<String> = tied.iter().map(|c| tx.t("quoted", &[("x", &name(&c.item, &tx.lang))])).collect();
            out.push(tx.t(
                "insight_sectors_tie",
                &[("list", &list.join(&tx.t("list_sep", &[]))), ("n", &n), ("total", &total)],
            ));
        } else {
            out.push(tx.t("insight_sectors_flat", &[("k", &counts.len().to_string()), ("n", &n), ("total", &total)]));
        }
    }
    if nr > 0 {
        out.push(tx.t_n("insight_sectors_nr", nr, &[]));
    }
    out
}

/// Sectors per city: the most named sector in each of the first `max` cities.
pub fn sectors_by_city(tx: &Texts, panels: &[(Ref, Vec<Count>)], max: usize) -> Vec<String> {
    let sep = tx.t("list_sep", &[]);
    let parts: Vec<String> = panels
        .iter()
        .take(max)
        // A city is named only when one sector clearly leads there (no tie for first).
        // and is named by more than one enclave.
        .filter(|(_, c)| !c.is_empty() && c[0].count > 1 && (c.len() == 1 || c[0].count > c[1].count))
        .filter_map(|(city, counts)| {
            counts.first().map(|top| {
                tx.t(
                    "insight_sectors_city",
                    &[
                        ("place", &name(city, &tx.lang)),
                        ("sector", &name(&top.item, &tx.lang)),
                        ("n", &top.count.to_string()),
                    ],
                )
            })
        })
        .collect();
    if parts.is_empty() { Vec::new() } else { vec![tx.t("insight_sectors_cities", &[("list", &parts.join(&sep))])] }
}

/// A reported count in words: "9", "more than 35", "about 10".
pub fn qualified(tx: &Texts, r: &Reported) -> String {
    let key = match r.qualifier {
        Qualifier::Exactly => "qualifier_exactly",
        Qualifier::MoreThan => "qualifier_more_than",
        Qualifier::About => "qualifier_about",
    };
    tx.t(key, &[("n", &r.count.to_string())])
}

/// Listed against reported, one sentence per reported count (the first `max`).
pub fn reported(tx: &Texts, items: &[(Ref, &Reported)], max: usize) -> Vec<String> {
    items
        .iter()
        .take(max)
        .map(|(place, r)| {
            let dir = match r.direction {
                crate::model::Direction::Out => "out",
                crate::model::Direction::In => "in",
            };
            let key = if r.r#where.is_some() {
                format!("insight_reported_{dir}_where")
            } else {
                format!("insight_reported_{dir}")
            };
            let wh = r.r#where.as_ref().map(|w| name(w, &tx.lang)).unwrap_or_default();
            tx.t(
                &key,
                &[
                    ("place", &name(place, &tx.lang)),
                    ("where", &wh),
                    ("reported", &qualified(tx, r)),
                    ("listed", &r.listed().to_string()),
                ],
            )
        })
        .collect()
}

/// Reported size: which host city reports the largest floor area and investment.
pub fn totals(tx: &Texts, totals: &[Totals]) -> Vec<String> {
    let mut out = Vec::new();
    let with = |f: fn(&Totals) -> (f64, usize)| {
        totals
            .iter()
            .filter(|t| f(t).1 > 0)
            .max_by(|a, b| f(a).0.total_cmp(&f(b).0).then_with(|| b.place.id.cmp(&a.place.id)))
    };
    let n_area: usize = totals.iter().map(|t| t.area_n).sum();
    let n_all: usize = totals.iter().map(|t| t.enclaves).sum();
    // With one city there is nothing to rank: say the sum instead.
    let one = if totals.len() == 1 { "_sum" } else { "" };
    if let Some(t) = with(|t| (t.area_m2, t.area_n)) {
        out.push(tx.t(
            &format!("insight_totals_area{one}"),
            &[
                ("n", &n_area.to_string()),
                ("total", &n_all.to_string()),
                ("place", &name(&t.place, &tx.lang)),
                ("area", &tx.t("unit_m2", &[("n", &crate::format::group_digits(t.area_m2))])),
            ],
        ));
    }
    if let Some(t) = with(|t| (t.investment_cny, t.investment_n)) {
        out.push(tx.t_n(
            &format!("insight_totals_investment{one}"),
            t.investment_n,
            &[("place", &name(&t.place, &tx.lang)), ("amount", &crate::format::yuan(t.investment_cny, &tx.lang))],
        ));
    }
    out
}
