//! The pipeline's shape, checked on the source: stages import one another one way only, leaf
//! modules import no stage, and the README's layout table names every module.

use std::collections::{BTreeMap, BTreeSet};
use std::fs;
use std::path::Path;

/// The stages in pipeline order; `render` and `index` run side by side.
const STAGES: &[(&str, u8)] = &[("load", 1), ("resolve", 2), ("assets", 3), ("render", 4), ("index", 4), ("output", 5)];

/// Modules that run the stages: they may use anything.
const SHELLS: &[&str] = &["pipeline", "commands", "serve", "main", "lib"];

fn repo() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

/// The top-level module a source file belongs to (`src/render/charts/svg.rs` → `render`).
fn top_module(rel: &Path) -> String {
    let first = rel.components().next().unwrap().as_os_str().to_string_lossy().into_owned();
    first.strip_suffix(".rs").unwrap_or(&first).to_string()
}

/// Every top-level module a file's code names as `crate::x`, including `use crate::{x, y}`.
fn imports(code: &str) -> BTreeSet<String> {
    let mut out = BTreeSet::new();
    let code: String = code.lines().filter(|l| !l.trim_start().starts_with("//")).collect::<Vec<_>>().join("\n");
    let mut rest = code.as_str();
    while let Some(i) = rest.find("crate::") {
        rest = &rest[i + "crate::".len()..];
        if let Some(group) = rest.strip_prefix('{') {
            let end = group.find('}').unwrap_or(group.len());
            for item in group[..end].split(',') {
                let name: String = item.trim().chars().take_while(|c| c.is_alphanumeric() || *c == '_').collect();
                if !name.is_empty() {
                    out.insert(name);
                }
            }
        } else {
            let name: String = rest.chars().take_while(|c| c.is_alphanumeric() || *c == '_').collect();
            if !name.is_empty() {
                out.insert(name);
            }
        }
    }
    out
}

/// For each top-level module, the top-level modules it imports (with the file that does).
fn graph() -> BTreeMap<String, BTreeMap<String, String>> {
    let src = repo().join("src");
    let mut g: BTreeMap<String, BTreeMap<String, String>> = BTreeMap::new();
    for entry in walkdir::WalkDir::new(&src).sort_by_file_name() {
        let entry = entry.unwrap();
        if entry.path().extension().is_none_or(|e| e != "rs") {
            continue;
        }
        let rel = entry.path().strip_prefix(&src).unwrap();
        let from = top_module(rel);
        let code = fs::read_to_string(entry.path()).unwrap();
        // Tests inside a module may reach across stages to check them together.
        let code = code.split("#[cfg(test)]").next().unwrap();
        for to in imports(code) {
            if to != from {
                g.entry(from.clone()).or_default().entry(to).or_insert_with(|| rel.display().to_string());
            }
        }
        g.entry(from).or_default();
    }
    g
}

fn stage(name: &str) -> Option<u8> {
    STAGES.iter().find(|(n, _)| *n == name).map(|(_, o)| *o)
}

#[test]
fn stages_import_one_way_and_leaves_import_no_stage() {
    let g = graph();
    let mut wrong = Vec::new();
    for (from, tos) in &g {
        if SHELLS.contains(&from.as_str()) {
            continue;
        }
        for (to, file) in tos {
            let ok = match (stage(from), stage(to)) {
                // The type of what is written belongs to output; every stage may produce it.
                (_, Some(5)) => true,
                (Some(a), Some(b)) => b < a,
                // A leaf uses no stage; a stage uses any leaf.
                (None, Some(_)) => false,
                (_, None) => !SHELLS.contains(&to.as_str()),
            };
            if !ok {
                wrong.push(format!("{from} imports {to} (in src/{file})"));
            }
        }
    }
    assert!(wrong.is_empty(), "imports against the pipeline's direction:\n{}", wrong.join("\n"));
    // And output itself, the last stage, uses no other stage at all.
    let output = &g["output"];
    assert!(output.keys().all(|m| stage(m).is_none()), "{output:?}");
}

#[test]
fn the_module_graph_outside_the_shells_has_no_cycle() {
    let g = graph();
    let nodes: Vec<&String> = g.keys().filter(|k| !SHELLS.contains(&k.as_str())).collect();
    // Depth-first search for a back edge.
    fn visit<'a>(
        n: &'a str,
        g: &'a BTreeMap<String, BTreeMap<String, String>>,
        state: &mut BTreeMap<&'a str, u8>,
        path: &mut Vec<&'a str>,
    ) -> Option<Vec<String>> {
        match state.get(n) {
            Some(1) => {
                let at = path.iter().position(|p| *p == n).unwrap();
                return Some(path[at..].iter().map(|s| s.to_string()).chain([n.to_string()]).collect());
            }
            Some(2) => return None,
            _ => {}
        }
        state.insert(n, 1);
        path.push(n);
        for to in g.get(n).into_iter().flat_map(|m| m.keys()) {
            if SHELLS.contains(&to.as_str()) {
                continue;
            }
            if let Some(c) = visit(to, g, state, path) {
                return Some(c);
            }
        }
        path.pop();
        state.insert(n, 2);
        None
    }
    let mut state = BTreeMap::new();
    for n in nodes {
        if let Some(cycle) = visit(n, &g, &mut state, &mut Vec::new()) {
            panic!("import cycle: {}", cycle.join(" → "));
        }
    }
}

#[test]
fn the_readme_layout_table_names_every_module() {
    let readme = fs::read_to_string(repo().join("README.md")).unwrap();
    let start = readme.find("## How the code is laid out").expect("the layout section");
    let section = &readme[start..];
    let section = &section[..section[3..].find("\n## ").map_or(section.len(), |i| i + 3)];
    let lib = fs::read_to_string(repo().join("src/lib.rs")).unwrap();
    let modules: Vec<&str> = lib.lines().filter_map(|l| l.strip_prefix("pub mod ")?.strip_suffix(';')).collect();
    assert!(modules.len() > 10, "{modules:?}");
    for m in modules {
        let dir = format!("`src/{m}/`");
        let file = format!("`src/{m}.rs`");
        assert!(section.contains(&dir) || section.contains(&file), "the layout table does not name {m}");
    }
    // And everything it names exists.
    let mut rest = section;
    while let Some(i) = rest.find("`src/") {
        let after = &rest[i + 1..];
        let end = after.find('`').unwrap();
        let path = &after[..end];
        assert!(repo().join(path).exists(), "the layout table names {path}, which does not exist");
        rest = &after[end..];
    }
}
