//! The theme: Tera templates, static files and interface translations.
//!
//! A site uses `themes/default/` under its root when present (so a publisher can restyle it),
//! and otherwise the default theme built into the binary.

use std::collections::BTreeMap;
use std::fs;
use std::path::Path;

use crate::diagnostics::{Diagnostic, Diagnostics, display_path};
use crate::i18n::Table;

include!(concat!(env!("OUT_DIR"), "/theme_files.rs"));

/// A loaded theme.
#[derive(Debug, Clone, Default)]
pub struct Theme {
    /// Files by path inside the theme (`templates/base.html`, `static/style.css` ...).
    pub files: BTreeMap<String, Vec<u8>>,
    /// Where it came from, for messages.
    pub origin: String,
}

impl Theme {
    /// The built-in default theme.
    pub fn builtin() -> Theme {
        Theme {
            files: DEFAULT_THEME.iter().map(|(p, b)| (p.to_string(), b.to_vec())).collect(),
            origin: "themes/default (built in)".into(),
        }
    }

    /// Loads `<root>/themes/default` if it exists, else the built-in theme.
    pub fn load(root: &Path, diags: &mut Diagnostics) -> Theme {
        let dir = root.join("themes").join("default");
        if !dir.is_dir() {
            return Theme::builtin();
        }
        let mut files = BTreeMap::new();
        for entry in walkdir::WalkDir::new(&dir).sort_by_file_name() {
            match entry {
                Ok(e) if e.file_type().is_file() => {
                    let rel = e.path().strip_prefix(&dir).unwrap_or(e.path()).to_string_lossy().replace('\\', "/");
                    if rel.split('/').any(|p| p.starts_with('.') || p.ends_with('~')) {
                        continue;
                    }
                    match fs::read(e.path()) {
                        Ok(b) => {
                            files.insert(rel, b);
                        }
                        Err(err) => diags.push(Diagnostic::error(
                            display_path(root, e.path()),
                            0,
                            0,
                            format!("cannot read theme file: {err}"),
                        )),
                    }
                }
                Ok(_) => {}
                Err(err) => {
                    diags.push(Diagnostic::error(display_path(root, &dir), 0, 0, format!("cannot read theme: {err}")))
                }
            }
        }
        Theme { files, origin: display_path(root, &dir).display().to_string() }
    }

    /// Templates: (name relative to `templates/`, source).
    pub fn templates(&self) -> Vec<(String, String)> {
        self.under("templates/").map(|(p, b)| (p, String::from_utf8_lossy(b).into_owned())).collect()
    }

    /// Static files copied to the output: (path relative to `static/`, bytes).
    pub fn statics(&self) -> Vec<(String, &[u8])> {
        self.under("static/").map(|(p, b)| (p, b.as_slice())).collect()
    }

    /// The interface languages the theme has texts for (`i18n/<lang>.yaml`), sorted.
    pub fn languages(&self) -> Vec<String> {
        self.under("i18n/").filter_map(|(p, _)| p.strip_suffix(".yaml").map(str::to_string)).collect()
    }

    /// The translation table for `lang`, or an error naming the missing file.
    pub fn i18n(&self, lang: &str) -> Result<Table, Diagnostic> {
        let path = format!("i18n/{lang}.yaml");
        let file = format!("{}/{path}", self.origin);
        let bytes = self
            .files
            .get(&path)
            .ok_or_else(|| Diagnostic::error(&file, 0, 0, format!("the theme has no interface texts for `{lang}`")))?;
        serde_yaml::from_slice::<Table>(bytes).map_err(|e| {
            let line = e.location().map_or(0, |l| l.line());
            Diagnostic::error(&file, line, 0, format!("invalid translation table: {e}"))
        })
    }

    /// The interface texts for sentences and labels written in Rust (charts, generated
    /// sentences, the comparison data). A site's own theme that predates a text falls back to the
    /// built-in table for it.
    pub fn texts(&self, lang: &str) -> Result<crate::i18n::Texts, Diagnostic> {
        let table = self.i18n(lang)?;
        let mut all = Theme::builtin().i18n(lang).unwrap_or_default();
        all.extend(table);
        Ok(crate::i18n::Texts::new(all, lang))
    }

    fn under<'a>(&'a self, prefix: &'a str) -> impl Iterator<Item = (String, &'a Vec<u8>)> + 'a {
        self.files.iter().filter_map(move |(p, b)| p.strip_prefix(prefix).map(|rest| (rest.to_string(), b)))
    }
}
