//! Place hierarchy: parents, regions, cycles and roll-ups.

use super::refs::RefTable;
use super::vocab::RawPlace;
use crate::diagnostics::Diagnostics;
use crate::load::{Doc, Seg};
use crate::model::Level;

/// Resolved links between places, by index into the place table.
#[derive(Debug, Clone, Default)]
pub struct Hierarchy {
    /// Parent of each place.
    pub parent: Vec<Option<usize>>,
    /// Regions each place names itself.
    pub regions: Vec<Vec<usize>>,
    /// Ancestors of each place, nearest first (empty for places in a cycle).
    pub ancestors: Vec<Vec<usize>>,
    /// Each place's roll-up set: itself, its ancestors, and the regions of all of them.
    pub rollup: Vec<Vec<usize>>,
}

/// Resolves parents and regions, reports cycles, and computes ancestors and roll-up sets.
pub fn build(doc: Option<&Doc>, table: &RefTable, places: &[RawPlace], diags: &mut Diagnostics) -> Hierarchy {
    let n = places.len();
    let mut h = Hierarchy { parent: vec![None; n], regions: vec![Vec::new(); n], ..Default::default() };
    let Some(doc) = doc else { return h };
    for (i, p) in places.iter().enumerate() {
        if let Some(parent) = &p.parent
            && let Some(j) = table.resolve(doc, &parent.path, &parent.text, diags)
        {
            if j == i {
                diags.push(
                    doc.error_at(&parent.path, format!("place `{}` names itself as its parent", p.item.target.id))
                        .with_help("remove `parent` or name the enclosing place"),
                );
            } else {
                h.parent[i] = Some(j);
            }
        }
        for r in &p.regions {
            if let Some(j) = table.resolve(doc, &r.path, &r.text, diags) {
                if places[j].level != Some(Level::Region) {
                    diags.push(
                        doc.error_at(
                            &r.path,
                            format!(
                                "`{}` is not a region (its level is `{}`)",
                                r.text,
                                places[j].level.map_or("unknown", Level::as_str)
                            ),
                        )
                        .with_help(
                            "`regions` lists places of level `region`; use `parent` for the enclosing province or city",
                        ),
                    );
                } else if !h.regions[i].contains(&j) {
                    h.regions[i].push(j);
                }
            }
        }
    }
    let ids: Vec<&str> = places.iter().map(|p| p.item.target.id.as_str()).collect();
    let paths: Vec<Option<&[Seg]>> = places.iter().map(|p| p.parent.as_ref().map(|l| l.path.as_slice())).collect();
    let cycle = Cycle {
        message: "places form a `parent` cycle",
        help: "a place's parent must enclose it; remove or correct one of these `parent` fields",
    };
    h.ancestors = ancestors(doc, &h.parent, &ids, &paths, &cycle, diags);
    h.rollup = (0..n)
        .map(|i| {
            let mut set = vec![i];
            set.extend(h.ancestors[i].iter().copied());
            let chain = set.clone();
            for c in chain {
                for &r in &h.regions[c] {
                    if !set.contains(&r) {
                        set.push(r);
                    }
                }
            }
            set
        })
        .collect();
    h
}

/// How a `parent` cycle is reported in one vocabulary.
pub struct Cycle {
    /// The message, before the cycle's members.
    pub message: &'static str,
    /// What to do.
    pub help: &'static str,
}

/// Each item's ancestors, nearest first, from its parent (an index into the same items): the
/// walk up shared by places and sectors. Each cycle is reported once, at the `parent` line of
/// its first member in file order, and its members get no ancestors.
pub fn ancestors(
    doc: &Doc,
    parent: &[Option<usize>],
    ids: &[&str],
    paths: &[Option<&[Seg]>],
    cycle_text: &Cycle,
    diags: &mut Diagnostics,
) -> Vec<Vec<usize>> {
    let n = parent.len();
    let mut in_cycle = vec![false; n];
    for start in 0..n {
        let mut chain = vec![start];
        let mut cur = start;
        while let Some(next) = parent[cur] {
            if let Some(pos) = chain.iter().position(|&c| c == next) {
                let cycle = &chain[pos..];
                if cycle.iter().all(|&c| !in_cycle[c]) {
                    let first = *cycle.iter().min().expect("cycle is not empty");
                    let names: Vec<&str> = cycle.iter().chain(std::iter::once(&cycle[0])).map(|&c| ids[c]).collect();
                    let path = paths[first].unwrap_or_default();
                    diags.push(
                        doc.error_at(path, format!("{}: {}", cycle_text.message, names.join(" → ")))
                            .with_help(cycle_text.help),
                    );
                }
                for &c in cycle {
                    in_cycle[c] = true;
                }
                break;
            }
            chain.push(next);
            cur = next;
        }
    }
    (0..n)
        .map(|i| {
            let mut out = Vec::new();
            let mut cur = i;
            while let Some(p) = parent[cur] {
                if in_cycle[p] || out.contains(&p) || p == i {
                    break;
                }
                out.push(p);
                cur = p;
            }
            out
        })
        .collect()
}

impl Hierarchy {
    /// The first of `place` and its ancestors whose level is the first of `wanted` found, trying
    /// each wanted level in turn; the place itself when none matches.
    pub fn up_to(&self, place: usize, levels: &[Option<Level>], wanted: &[Level]) -> usize {
        let chain: Vec<usize> =
            std::iter::once(place).chain(self.ancestors.get(place).into_iter().flatten().copied()).collect();
        for w in wanted {
            if let Some(&p) = chain.iter().find(|&&p| levels[p] == Some(*w)) {
                return p;
            }
        }
        place
    }
}
