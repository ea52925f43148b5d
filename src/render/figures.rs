//! Figures for pages: takes a set of enclaves (the whole directory, or a place's, sector's or
//! model's), computes the numbers with [`super::rollup`], draws them with [`super::charts`] and
//! words them with [`super::insights`]. Each figure comes with its numbers as a table, so a
//! screen reader (or a reader who prefers numbers) gets everything the picture shows.

use std::collections::BTreeMap;

use crate::model::{Enclave, Ref, Reported, Site};

use super::charts::bars::{Bar, BarChart, Series, StackChart, StackRow, hbars, stacked};
use super::charts::flowmap::{Flow, FlowMap, MapLegend, MapPoint, NARROW, WIDE, flow_map};
use super::charts::{DataRow, DataTable, Figure, Panel};
use super::insights::{self, name};
use super::rollup::{Count, city_pairs, coords, count_by, host_totals, model_shares};
use crate::format::{group_digits, yuan};
use crate::i18n::Texts;
use crate::urls;

/// How many bars a ranked chart shows; the table under it has every row.
const MAX_BARS: usize = 12;
/// How many cities get a panel in small multiples.
const MAX_PANELS: usize = 6;
/// How many host cities get a stacked bar of their own.
const MAX_STACKS: usize = 10;

/// The fewest city pairs a flow map draws: one enclave, or one pair, is a sentence and a small
/// table, not a map.
pub const MIN_FLOWS: usize = 2;
/// The fewest categories with enclaves (a "not reported" share counts as one) that a 100%
/// stacked bar shows: one category is a sentence.
pub const MIN_SHARES: usize = 2;
/// The fewest bars a bar chart (or a panel of one) draws: one bar is a sentence and a table.
pub const MIN_BARS: usize = 2;

/// Whether a ranked chart of these values says more than its table: at least [`MIN_BARS`]
/// bars, and not all of one length (four bars of "1" are a list).
pub fn ranks(values: &[usize]) -> bool {
    values.len() >= MIN_BARS && values.iter().max() != values.iter().min()
}

/// The most flows a map draws: the largest ones, since pairs come largest first.
pub const MAX_FLOWS: usize = 60;
/// The most city pairs a map's table lists; the rest are summed in one row.
pub const MAX_TABLE_PAIRS: usize = 100;

/// What figures need from the renderer: the site and the interface texts.
pub struct Figures<'a> {
    /// The site.
    pub site: &'a Site,
    /// Interface texts.
    pub tx: &'a Texts,
}

impl Figures<'_> {
    fn lang(&self) -> &str {
        &self.tx.lang
    }

    fn n(&self, r: &Ref) -> String {
        name(r, self.lang())
    }

    fn t(&self, key: &str) -> String {
        self.tx.t(key, &[])
    }

    /// The page of a place, if it has one.
    fn place_href(&self, id: &str) -> Option<String> {
        self.site.place(id).filter(|p| p.has_page).map(|p| urls::place(&p.id))
    }

    /// The flow map of `enclaves`, with the subject place (if any) emphasised.
    pub fn flow_map(&self, id: &str, title: String, enclaves: &[&Enclave], subject: Option<&str>) -> Option<Figure> {
        if enclaves.is_empty() {
            return None;
        }
        let site = self.site;
        let pairs = city_pairs(enclaves);
        let mut points: Vec<MapPoint> = Vec::new();
        let mut index: BTreeMap<String, usize> = BTreeMap::new();
        let mut flows = Vec::new();
        let mut unmapped: BTreeMap<String, Count> = BTreeMap::new();
        let mut mapped = 0;
        let related = |city: &str| -> bool {
            let Some(s) = subject else { return false };
            if s == city {
                return true;
            }
            let inside = |a: &str, b: &str| {
                site.place(a).is_some_and(|p| p.ancestors.iter().chain(&p.regions).any(|x| x.id == b))
            };
            inside(city, s) || inside(s, city)
        };
        let mut point = |r: &Ref, (lat, lon): (f64, f64), points: &mut Vec<MapPoint>| -> usize {
            if let Some(&i) = index.get(&r.id) {
                return i;
            }
            points.push(MapPoint {
                label: name(r, &self.tx.lang),
                lat,
                lon,
                hosted: 0,
                sent: 0,
                emphasis: related(&r.id),
            });
            index.insert(r.id.clone(), points.len() - 1);
            points.len() - 1
        };
        let mut hidden = 0;
        for p in &pairs {
            // A city joins the map only with a flow to draw: both ends need coordinates.
            match (coords(site, &p.home.id), coords(site, &p.host.id)) {
                // Pairs come largest first; past the largest few a map is only ink.
                (Some(_), Some(_)) if flows.len() >= MAX_FLOWS => {
                    mapped += p.count;
                    hidden += 1;
                }
                (Some(a), Some(b)) => {
                    let from = point(&p.home, a, &mut points);
                    let to = point(&p.host, b, &mut points);
                    points[from].sent += p.count;
                    points[to].hosted += p.count;
                    mapped += p.count;
                    flows.push(Flow { from, to, count: p.count });
                }
                (a, _) => {
                    let missing = if a.is_none() { &p.home } else { &p.host };
                    unmapped
                        .entry(missing.id.clone())
                        .or_insert(Count { item: missing.clone(), count: 0, share: 0.0 })
                        .count += p.count;
                }
            }
        }
        let unmapped: Vec<Count> = unmapped.into_values().collect();
        if flows.is_empty() {
            // Nothing has coordinates at both ends: no map, rather than an empty one.
            return None;
        }
        let summary = insights::flows(self.tx, &pairs, mapped, &unmapped);
        let map = |width: f64, suffix: &str| {
            flow_map(&FlowMap {
                id: format!("{id}-svg{suffix}"),
                title: title.clone(),
                desc: summary.join(" "),
                points: points.clone(),
                flows: flows.clone(),
                legend: MapLegend {
                    host: self.t("map_host"),
                    home: self.t("map_home"),
                    flow: self.t("map_flow"),
                    reference: self.t("map_reference"),
                    inset: self.t("map_inset"),
                },
                lang: self.lang().to_string(),
                width,
            })
        };
        // Below the threshold the sentence and the table say it all.
        let panels = if flows.len() >= MIN_FLOWS {
            vec![
                Panel { title: None, svg: map(WIDE, ""), screen: "wide" },
                Panel { title: None, svg: map(NARROW, "-s"), screen: "narrow" },
            ]
        } else {
            Vec::new()
        };
        let mut rows: Vec<DataRow> = pairs
            .iter()
            .take(MAX_TABLE_PAIRS)
            .map(|p| DataRow {
                label: self.n(&p.home),
                href: self.place_href(&p.home.id),
                cells: vec![self.n(&p.host), p.count.to_string()],
            })
            .collect();
        if pairs.len() > MAX_TABLE_PAIRS {
            let rest = &pairs[MAX_TABLE_PAIRS..];
            let n = rest.len().to_string();
            rows.push(DataRow {
                label: self.tx.t("other_pairs", &[("n", &n)]),
                href: None,
                cells: vec![String::new(), rest.iter().map(|p| p.count).sum::<usize>().to_string()],
            });
        }
        let table = DataTable {
            caption: self.tx.t("map_table_caption", &[("title", &title)]),
            head: vec![self.t("col_home_city"), self.t("col_host_city"), self.t("col_enclaves")],
            num_from: 2,
            rows,
        };
        let mut note = self.t("map_note");
        if panels.is_empty() {
            note = String::new();
        }
        if hidden > 0 {
            let (shown, hidden) = (MAX_FLOWS.to_string(), hidden.to_string());
            note = format!("{note} {}", self.tx.t("map_flows_more", &[("shown", &shown), ("n", &hidden)]));
        }
        let note = (!note.is_empty()).then_some(note);
        Some(Figure { id: id.into(), title, summary, panels, table: Some(table), note })
    }

    /// Operating-model shares overall and, with `per_host`, per host city.
    pub fn models(
        &self,
        id: &str,
        title: String,
        enclaves: &[&Enclave],
        per_host: bool,
        with_table: bool,
    ) -> Option<Figure> {
        if enclaves.is_empty() {
            return None;
        }
        let shares = model_shares(self.site, enclaves);
        let series: Vec<Series> = shares
            .models
            .iter()
            .zip(&shares.slots)
            .map(|(m, &slot)| Series { label: if slot.is_none() { self.t("not_reported") } else { self.n(m) }, slot })
            .collect();
        let mut rows = vec![StackRow { label: self.t("all_listed"), counts: shares.overall.clone() }];
        let per_host = per_host && shares.rows.len() > 1;
        if per_host {
            rows.extend(
                shares
                    .rows
                    .iter()
                    .take(MAX_STACKS)
                    .map(|(c, counts)| StackRow { label: self.n(c), counts: counts.clone() }),
            );
        }
        let summary = insights::models(self.tx, &shares, if per_host { 2 } else { 0 });
        let svg = stacked(&StackChart {
            id: format!("{id}-svg"),
            title: title.clone(),
            desc: summary.join(" "),
            series: series.clone(),
            rows,
        });
        let table = with_table.then(|| {
            let mut head = vec![self.t("col_host_city")];
            head.extend(series.iter().map(|s| s.label.clone()));
            head.push(self.t("total"));
            let row = |label: String, href: Option<String>, counts: &[usize]| {
                let mut cells: Vec<String> = counts.iter().map(|c| c.to_string()).collect();
                cells.push(counts.iter().sum::<usize>().to_string());
                DataRow { label, href, cells }
            };
            let mut rows = vec![row(self.t("all_listed"), None, &shares.overall)];
            if per_host {
                rows.extend(shares.rows.iter().map(|(c, counts)| row(self.n(c), self.place_href(&c.id), counts)));
            }
            DataTable { caption: title.clone(), head, rows, num_from: 1 }
        });
        let note = (per_host && shares.rows.len() > MAX_STACKS)
            .then(|| self.tx.t("chart_more_in_table", &[("n", &MAX_STACKS.to_string())]));
        let shares_shown = shares.overall.iter().filter(|&&n| n > 0).count();
        let panels = if shares_shown >= MIN_SHARES { vec![Panel::plain(svg)] } else { Vec::new() };
        Some(Figure { id: id.into(), title, summary, panels, table, note })
    }

    /// How many enclaves name each sector.
    pub fn sectors(&self, id: &str, title: String, enclaves: &[&Enclave]) -> Option<Figure> {
        let reporting: Vec<&Enclave> = enclaves.iter().copied().filter(|e| e.sectors.is_some()).collect();
        if reporting.is_empty() {
            return None;
        }
        let counts = count_by(&reporting, |e| e.sectors.clone().unwrap_or_default());
        let summary = insights::sectors(self.tx, enclaves);
        let svg = hbars(&BarChart {
            id: format!("{id}-svg"),
            title: title.clone(),
            desc: summary.join(" "),
            bars: counts
                .iter()
                .take(MAX_BARS)
                .map(|c| Bar {
                    label: self.n(&c.item),
                    value: c.count as f64,
                    value_text: c.count.to_string(),
                    target: None,
                    missing: false,
                })
                .collect(),
            legend: None,
        });
        let table = DataTable {
            caption: title.clone(),
            head: vec![self.t("col_sectors"), self.t("col_enclaves")],
            num_from: 1,
            rows: counts
                .iter()
                .map(|c| DataRow {
                    label: self.n(&c.item),
                    href: Some(urls::sector(&c.item.id)),
                    cells: vec![c.count.to_string()],
                })
                .collect(),
        };
        let informs = ranks(&counts.iter().map(|c| c.count).collect::<Vec<_>>());
        let note = (informs && counts.len() > MAX_BARS)
            .then(|| self.tx.t("chart_more_in_table", &[("n", &MAX_BARS.to_string())]));
        let panels = if informs { vec![Panel::plain(svg)] } else { Vec::new() };
        Some(Figure { id: id.into(), title, summary, panels, table: Some(table), note })
    }

    /// Small multiples: the sectors named in each host (or home) city, one panel per city.
    pub fn sectors_by_city(&self, id: &str, title: String, enclaves: &[&Enclave], by_host: bool) -> Option<Figure> {
        let city = |e: &Enclave| if by_host { e.host_city.clone() } else { e.home_city.clone() };
        let reporting: Vec<&Enclave> = enclaves.iter().copied().filter(|e| e.sectors.is_some()).collect();
        let cities = count_by(&reporting, |e| vec![city(e)]);
        if cities.is_empty() {
            return None;
        }
        let panels: Vec<(Ref, Vec<Count>)> = cities
            .iter()
            .map(|c| {
                let here: Vec<&Enclave> = reporting.iter().copied().filter(|e| city(e).id == c.item.id).collect();
                (c.item.clone(), count_by(&here, |e| e.sectors.clone().unwrap_or_default()))
            })
            .collect();
        let summary = insights::sectors_by_city(self.tx, &panels, 3);
        let svgs = panels
            .iter()
            .take(MAX_PANELS)
            .enumerate()
            .filter(|(_, (_, counts))| ranks(&counts.iter().map(|x| x.count).collect::<Vec<_>>()))
            .map(|(i, (c, counts))| {
                let n: usize = cities[i].count;
                let panel_title = self.tx.t_n("chart_panel_title", n, &[("place", &self.n(c))]);
                let svg = hbars(&BarChart {
                    id: format!("{id}-{}", i + 1),
                    title: panel_title.clone(),
                    desc: counts
                        .iter()
                        .map(|x| format!("{} {}", self.n(&x.item), x.count))
                        .collect::<Vec<_>>()
                        .join(&self.t("list_sep")),
                    bars: counts
                        .iter()
                        .take(8)
                        .map(|x| Bar {
                            label: self.n(&x.item),
                            value: x.count as f64,
                            value_text: x.count.to_string(),
                            target: None,
                            missing: false,
                        })
                        .collect(),
                    legend: None,
                });
                Panel { title: Some(panel_title), svg, screen: "" }
            })
            .collect();
        let note =
            (panels.len() > MAX_PANELS).then(|| self.tx.t("chart_more_in_table", &[("n", &MAX_PANELS.to_string())]));
        Some(Figure { id: id.into(), title, summary, panels: svgs, table: None, note })
    }

    /// Listed against reported counts, as a bullet chart.
    pub fn reported(&self, id: &str, title: String, items: &[(Ref, &Reported)], with_table: bool) -> Option<Figure> {
        if items.is_empty() {
            return None;
        }
        let anywhere = self.t("anywhere");
        // On a place's own page every row is about that place: name only the other side.
        let one_place = items.iter().all(|(p, _)| p.id == items[0].0.id);
        let label = |place: &Ref, r: &Reported| {
            let other = r.r#where.as_ref().map(|w| self.n(w)).unwrap_or_else(|| anywhere.clone());
            let this = if one_place { String::new() } else { format!("{} ", self.n(place)) };
            match r.direction {
                crate::model::Direction::Out => format!("{this}→ {other}"),
                crate::model::Direction::In => {
                    format!("{other} → {}", if one_place { String::new() } else { self.n(place) })
                        .trim_end()
                        .to_string()
                }
            }
        };
        let summary = insights::reported(self.tx, items, 4);
        let svg = hbars(&BarChart {
            id: format!("{id}-svg"),
            title: title.clone(),
            desc: summary.join(" "),
            bars: items
                .iter()
                .map(|(p, r)| Bar {
                    label: label(p, r),
                    value: r.listed() as f64,
                    value_text: format!("{} / {}", r.listed(), insights::qualified(self.tx, r)),
                    target: Some(r.count as f64),
                    missing: false,
                })
                .collect(),
            legend: Some((self.t("chart_listed"), self.t("chart_reported"))),
        });
        let table = with_table.then(|| DataTable {
            caption: title.clone(),
            head: vec![self.t("col_counterpart"), self.t("col_reported"), self.t("col_listed")],
            num_from: 1,
            rows: items
                .iter()
                .map(|(p, r)| DataRow {
                    label: label(p, r),
                    href: None,
                    cells: vec![insights::qualified(self.tx, r), r.listed().to_string()],
                })
                .collect(),
        });
        let panels = if items.len() >= MIN_BARS { vec![Panel::plain(svg)] } else { Vec::new() };
        Some(Figure { id: id.into(), title, summary, panels, table, note: None })
    }

    /// Reported size per host city: area, workstations, projects, investment, one panel each.
    pub fn totals(&self, id: &str, title: String, enclaves: &[&Enclave], with_table: bool) -> Option<Figure> {
        let totals = host_totals(enclaves);
        if totals.iter().all(|t| t.area_n + t.workstations_n + t.projects_n + t.investment_n == 0) {
            return None;
        }
        let lang = self.lang().to_string();
        let nr = self.t("not_reported");
        type Metric<'m> = (&'m str, fn(&crate::render::rollup::Totals) -> (f64, usize), bool);
        let metrics: [Metric; 4] = [
            ("col_area_sum", |t| (t.area_m2, t.area_n), false),
            ("col_workstations_sum", |t| (t.workstations, t.workstations_n), false),
            ("col_projects_sum", |t| (t.projects, t.projects_n), false),
            ("col_investment_sum", |t| (t.investment_cny, t.investment_n), true),
        ];
        let fmt = |v: f64, money: bool| if money { yuan(v, &lang) } else { group_digits(v) };
        let mut svgs = Vec::new();
        for (i, (key, get, money)) in metrics.iter().enumerate() {
            // A panel compares cities: it needs at least two that report the figure.
            if totals.iter().filter(|t| get(t).1 > 0).count() < MIN_BARS {
                continue;
            }
            let bars: Vec<Bar> = totals
                .iter()
                .take(MAX_BARS)
                .map(|t| {
                    let (v, n) = get(t);
                    let text = if n == 0 { nr.clone() } else { format!("{} ({n}/{})", fmt(v, *money), t.enclaves) };
                    Bar { label: self.n(&t.place), value: v, value_text: text, target: None, missing: n == 0 }
                })
                .collect();
            let panel_title = self.t(key);
            let svg = hbars(&BarChart {
                id: format!("{id}-{}", i + 1),
                title: panel_title.clone(),
                desc: bars
                    .iter()
                    .map(|b| format!("{} {}", b.label, b.value_text))
                    .collect::<Vec<_>>()
                    .join(&self.t("list_sep")),
                bars,
                legend: None,
            });
            svgs.push(Panel { title: Some(panel_title), svg, screen: "" });
        }
        let summary = insights::totals(self.tx, &totals);
        let cell = |v: f64, n: usize, total: usize, money: bool| {
            if n == 0 {
                nr.clone()
            } else {
                format!(
                    "{} ({})",
                    fmt(v, money),
                    self.tx.t("n_of_total_report", &[("n", &n.to_string()), ("total", &total.to_string())])
                )
            }
        };
        let table = with_table.then(|| DataTable {
            caption: title.clone(),
            head: vec![
                self.t("col_host_city"),
                self.t("col_enclaves"),
                self.t("col_area_sum"),
                self.t("col_workstations_sum"),
                self.t("col_projects_sum"),
                self.t("col_investment_sum"),
            ],
            num_from: 1,
            rows: totals
                .iter()
                .map(|t| DataRow {
                    label: self.n(&t.place),
                    href: self.place_href(&t.place.id),
                    cells: vec![
                        t.enclaves.to_string(),
                        cell(t.area_m2, t.area_n, t.enclaves, false),
                        cell(t.workstations, t.workstations_n, t.enclaves, false),
                        cell(t.projects, t.projects_n, t.enclaves, false),
                        cell(t.investment_cny, t.investment_n, t.enclaves, true),
                    ],
                })
                .collect(),
        });
        let note = Some(self.t("chart_totals_note"));
        Some(Figure { id: id.into(), title, summary, panels: svgs, table, note })
    }
}
