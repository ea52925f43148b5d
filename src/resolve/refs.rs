//! Reference lookup: an id, name, English name or alias finds exactly one target.

use std::collections::BTreeMap;

use crate::diagnostics::{Diagnostic, Diagnostics, closest};
use crate::load::{Doc, Seg};
use crate::model::Ref;

/// The names a target answers to.
#[derive(Debug, Clone)]
pub struct Target {
    /// Id or slug.
    pub id: String,
    /// Chinese name.
    pub name: String,
    /// English name.
    pub name_en: Option<String>,
    /// Other names.
    pub aliases: Vec<String>,
    /// The reference every enclave naming this target shares, made when first asked for.
    shared: std::sync::OnceLock<Ref>,
}

impl Target {
    /// A target answering to its id, names and aliases.
    pub fn new(id: String, name: String, name_en: Option<String>, aliases: Vec<String>) -> Target {
        Target { id, name, name_en, aliases, shared: std::sync::OnceLock::new() }
    }

    /// The resolved reference to this target: the same allocation every time.
    pub fn to_ref(&self) -> Ref {
        self.shared.get_or_init(|| Ref::new(self.id.clone(), self.name.clone(), self.name_en.clone())).clone()
    }

    fn keys(&self) -> Vec<&str> {
        let mut k = vec![self.id.as_str(), self.name.as_str()];
        if let Some(en) = &self.name_en {
            k.push(en);
        }
        k.extend(self.aliases.iter().map(String::as_str));
        k
    }
}

/// Finds targets of one kind (places, sectors, operators ...) by any of their names.
#[derive(Debug, Clone, Default)]
pub struct RefTable {
    /// What the targets are, in the singular ("place", "sector" ...).
    pub what: &'static str,
    /// Where the targets are defined, for hints.
    pub defined_in: String,
    /// The targets in definition order.
    pub targets: Vec<Target>,
    /// The file defining the targets could not be read: its own error explains, so a reference
    /// that finds nothing is not reported again.
    pub broken: bool,
    by_key: BTreeMap<String, Vec<usize>>,
}

/// Normalises a reference key: references match case-insensitively and ignore surrounding space.
pub fn norm(key: &str) -> String {
    key.trim().to_lowercase()
}

impl RefTable {
    /// An empty table.
    pub fn new(what: &'static str, defined_in: impl Into<String>) -> Self {
        RefTable { what, defined_in: defined_in.into(), ..Default::default() }
    }

    /// Adds a target. Returns the names it shares, letter for letter, with a target added
    /// before (the caller reports them at the right line). Names that differ only in case are
    /// allowed here; a reference that hits both is reported as ambiguous when resolved.
    pub fn add(&mut self, t: Target) -> Vec<(String, String)> {
        let idx = self.targets.len();
        let mut clashes = Vec::new();
        let mut seen: Vec<String> = Vec::new();
        for key in t.keys() {
            if let Some(other) = self.targets.iter().find(|o| o.keys().contains(&key)) {
                clashes.push((key.to_string(), other.id.clone()));
            }
            let k = norm(key);
            if seen.contains(&k) {
                continue;
            }
            seen.push(k.clone());
            self.by_key.entry(k).or_default().push(idx);
        }
        self.targets.push(t);
        clashes
    }

    /// The index of the target with this id.
    pub fn index_of_id(&self, id: &str) -> Option<usize> {
        self.targets.iter().position(|t| t.id == id)
    }

    /// Finds the target `text` names, or reports why none or several match.
    pub fn resolve(&self, doc: &Doc, path: &[Seg], text: &str, diags: &mut Diagnostics) -> Option<usize> {
        match self.by_key.get(&norm(text)).map(Vec::as_slice) {
            Some([one]) => Some(*one),
            // Ids are unique and canonical: an exact id wins over names that fold to the same text.
            Some(many) if many.iter().any(|&i| self.targets[i].id == text.trim()) => {
                many.iter().copied().find(|&i| self.targets[i].id == text.trim())
            }
            Some(many) if !many.is_empty() => {
                let names: Vec<String> =
                    many.iter().map(|&i| format!("`{}` ({})", self.targets[i].id, self.targets[i].name)).collect();
                diags.push(
                    doc.error_at(path, format!("`{text}` could mean several {}s: {}", self.what, names.join(", ")))
                        .with_help(format!("write the id of the {} you mean", self.what)),
                );
                None
            }
            _ => {
                if !self.broken {
                    diags.push(self.not_found(doc, path, text));
                }
                None
            }
        }
    }

    fn not_found(&self, doc: &Doc, path: &[Seg], text: &str) -> Diagnostic {
        let keyed: Vec<(&str, usize)> =
            self.targets.iter().enumerate().flat_map(|(i, t)| t.keys().into_iter().map(move |k| (k, i))).collect();
        // Best keys first; one suggestion per target, shown with its name when the key is not it.
        let mut shown: Vec<usize> = Vec::new();
        let mut labels: Vec<String> = Vec::new();
        for key in closest(text, keyed.iter().map(|(k, _)| *k), 12) {
            let Some(&(_, i)) = keyed.iter().find(|(k, _)| *k == key) else { continue };
            if shown.contains(&i) || shown.len() == 3 {
                continue;
            }
            shown.push(i);
            let name = &self.targets[i].name;
            labels.push(if key == name { format!("`{key}`") } else { format!("`{key}` ({name})") });
        }
        let hint = match labels.as_slice() {
            [] => format!(
                "add it to {} or use the id, name, English name or alias of an existing {}",
                self.defined_in, self.what
            ),
            [one] => format!("did you mean {one}? ({}s are defined in {})", self.what, self.defined_in),
            many => {
                format!("did you mean one of {}? ({}s are defined in {})", many.join(", "), self.what, self.defined_in)
            }
        };
        doc.error_at(path, format!("unknown {} `{text}`", self.what)).with_help(hint)
    }
}
