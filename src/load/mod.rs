//! Stage 1: reads the content folder into parsed YAML documents.
//!
//! Loading walks `content/`, checks file names, splits front matter from Markdown bodies and
//! parses YAML, keeping enough position information for later stages to point at the exact
//! line of a problem. It knows nothing about what fields mean; that is [`crate::resolve`]'s job.

pub mod frontmatter;
pub mod locate;

use std::fs;
use std::path::{Path, PathBuf};

use serde_yaml::Value;

use crate::diagnostics::{Diagnostic, Diagnostics, display_path};
pub use locate::{Locator, Pos, Seg};

/// One parsed YAML document (a front matter block or a whole `.yaml` file).
#[derive(Debug, Clone)]
pub struct Doc {
    /// Path shown to the user, relative to the site root.
    pub path: PathBuf,
    /// The file stem for entry files; empty for `.yaml` files.
    pub slug: String,
    /// The parsed YAML of a whole-file document (vocabularies, `site.yaml`), and of an entry's
    /// front matter in a folder of up to [`KEEP_PARSED_UP_TO`] entries. In a larger folder an
    /// entry's front matter is parsed when it is read, to report its syntax errors, and again by
    /// [`Doc::yaml`] when it is resolved: a parsed mapping takes twice the memory of its text,
    /// and a large directory holds every entry at once until it is resolved.
    yaml: Option<Value>,
    /// Where the front matter is in `text` (the whole text for `.yaml` files).
    yaml_range: (usize, usize),
    /// 1-based line of the first YAML line in the file.
    pub yaml_line: usize,
    /// 1-based line of the first body line.
    pub body_line: usize,
    /// The file's text, once: the body and the lines shown under errors are views of it, so a
    /// large directory is not held in memory two or three times over.
    text: String,
    /// Where the Markdown body starts in `text` (its end for `.yaml` files).
    body_start: usize,
    /// A number unique to this reading of the file (every load gives a new one), so that a
    /// rebuild can tell a document it has already resolved from one read again since.
    pub stamp: u64,
    locator: Locator,
}

/// The next [`Doc::stamp`]; starts at 1 so that 0 never names a document.
static NEXT_STAMP: std::sync::atomic::AtomicU64 = std::sync::atomic::AtomicU64::new(1);

fn next_stamp() -> u64 {
    NEXT_STAMP.fetch_add(1, std::sync::atomic::Ordering::Relaxed)
}

impl Doc {
    /// The parsed YAML: a mapping for entries (an empty front matter is an empty mapping), a
    /// sequence for vocabularies.
    pub fn yaml(&self) -> std::borrow::Cow<'_, Value> {
        match &self.yaml {
            Some(v) => std::borrow::Cow::Borrowed(v),
            // It parsed when the file was read, so it parses the same now.
            None => std::borrow::Cow::Owned(
                match serde_yaml::from_str::<Value>(&self.text[self.yaml_range.0..self.yaml_range.1]) {
                    Ok(v @ Value::Mapping(_)) => v,
                    _ => Value::Mapping(Default::default()),
                },
            ),
        }
    }

    /// The Markdown body (empty for `.yaml` files).
    pub fn body(&self) -> &str {
        &self.text[self.body_start..]
    }

    /// Everything before the body: the front matter with its `---` lines (the whole text for
    /// `.yaml` files). Two readings of a file with the same front matter resolve alike but for
    /// their bodies.
    pub fn front_matter(&self) -> &str {
        &self.text[..self.body_start]
    }

    /// The file's line `i`, counted from 0, for showing it under a message.
    pub fn line(&self, i: usize) -> Option<&str> {
        self.text.lines().nth(i)
    }

    /// Where `path` is in the file: (line, column of its value), both 1-based in the file.
    pub fn pos(&self, path: &[Seg]) -> (usize, usize) {
        match self.locator.locate(path) {
            Some(p) => (self.yaml_line + p.line - 1, p.value_col),
            None => (self.yaml_line.saturating_sub(1).max(1), 0),
        }
    }

    /// Where the key at `path` is (its name rather than its value).
    pub fn key_pos(&self, path: &[Seg]) -> (usize, usize) {
        match self.locator.locate(path) {
            Some(p) => (self.yaml_line + p.line - 1, p.key_col),
            None => (self.yaml_line.saturating_sub(1).max(1), 0),
        }
    }

    /// An error located at the value of `path`, with the offending line attached.
    pub fn error_at(&self, path: &[Seg], message: impl Into<String>) -> Diagnostic {
        let (line, col) = self.pos(path);
        self.attach(Diagnostic::error(&self.path, line, col, message))
    }

    /// An error located at the key of `path`.
    pub fn error_at_key(&self, path: &[Seg], message: impl Into<String>) -> Diagnostic {
        let (line, col) = self.key_pos(path);
        self.attach(Diagnostic::error(&self.path, line, col, message))
    }

    /// A warning located at the value of `path`.
    pub fn warning_at(&self, path: &[Seg], message: impl Into<String>) -> Diagnostic {
        let (line, col) = self.pos(path);
        self.attach(Diagnostic::warning(&self.path, line, col, message))
    }

    fn attach(&self, d: Diagnostic) -> Diagnostic {
        match self.line(d.line.wrapping_sub(1)) {
            Some(text) if d.line > 0 => d.with_snippet(text),
            _ => d,
        }
    }
}

/// Everything read from `content/`, not yet interpreted.
#[derive(Debug, Default, Clone)]
pub struct Sources {
    /// The site root (the folder holding `content/`).
    pub root: PathBuf,
    /// `content/site.yaml`, if present.
    pub site: Option<Doc>,
    /// `terms/places.yaml` and friends, by vocabulary name (`places`, `sectors`, `models`,
    /// `operator-kinds`); a missing file is absent.
    pub places: Option<Doc>,
    /// `terms/sectors.yaml`.
    pub sectors: Option<Doc>,
    /// `terms/models.yaml`.
    pub models: Option<Doc>,
    /// `terms/operator-kinds.yaml`.
    pub operator_kinds: Option<Doc>,
    /// `enclaves/*.md`, sorted by path.
    pub enclaves: Vec<Doc>,
    /// `operators/*.md`, sorted by path.
    pub operators: Vec<Doc>,
    /// `pages/*.md`, sorted by path.
    pub pages: Vec<Doc>,
    /// Files that are there but could not be read (`site`, and the vocabularies `places`,
    /// `sectors`, `models`, `operator-kinds`): their own error says why, and references into them are not checked,
    /// so that one broken file does not bury its error under one follow-on error per entry.
    pub broken: std::collections::BTreeSet<String>,
}

/// Reads the content folder under `root`. Problems are pushed to `diags`; files with problems
/// are left out of the result so that later stages see only parsed documents.
pub fn load(root: &Path, diags: &mut Diagnostics) -> Sources {
    let content = root.join("content");
    let mut sources = Sources { root: root.to_path_buf(), ..Sources::default() };
    if !content.is_dir() {
        diags.push(
            Diagnostic::error(display_path(root, &content), 0, 0, "no content folder here")
                .with_help("run feidi in the site's folder (the one holding `content/`) or pass `--root DIR`"),
        );
        return sources;
    }
    if is_link(&content, root, diags) {
        return sources;
    }
    sources.site = read_yaml_file(root, &content.join("site.yaml"), diags);
    if sources.site.is_none() && fs::symlink_metadata(content.join("site.yaml")).is_ok() {
        sources.broken.insert("site".to_string());
    }
    let terms = content.join("terms");
    if !is_link(&terms, root, diags) {
        for (name, slot) in [
            ("places", &mut sources.places),
            ("sectors", &mut sources.sectors),
            ("models", &mut sources.models),
            ("operator-kinds", &mut sources.operator_kinds),
        ] {
            let path = terms.join(format!("{name}.yaml"));
            if fs::symlink_metadata(&path).is_ok_and(|m| m.file_type().is_symlink()) {
                // Every entry refers into the vocabularies: building without one would drop
                // them all, so a linked vocabulary stops the build.
                diags.push(
                    Diagnostic::error(display_path(root, &path), 0, 0, "symbolic link not read")
                        .with_help("feidi does not follow links in `content/`, so that it never reads a file from outside the site folder: put the file itself here"),
                );
                sources.broken.insert(name.to_string());
                continue;
            }
            *slot = read_yaml_file(root, &path, diags);
            if slot.is_none() && fs::symlink_metadata(&path).is_ok() {
                sources.broken.insert(name.to_string());
            }
        }
    }
    sources.enclaves = read_entries(root, &content.join("enclaves"), diags);
    sources.operators = read_entries(root, &content.join("operators"), diags);
    sources.pages = read_entries(root, &content.join("pages"), diags);
    sources
}

/// True (with a warning) when `path` is a symbolic link. Links in `content/` are never
/// followed, in `build`, `check` and `serve` alike, so that nothing from outside the site folder
/// is published or printed.
pub fn is_link(path: &Path, root: &Path, diags: &mut Diagnostics) -> bool {
    let link = fs::symlink_metadata(path).is_ok_and(|m| m.file_type().is_symlink());
    if link {
        diags.push(
            Diagnostic::warning(display_path(root, path), 0, 0, "symbolic link not read")
                .with_help("feidi does not follow links in `content/`, so that it never publishes a file from outside the site folder: put the file itself here"),
        );
    }
    link
}

/// True when `stem` is a valid slug: lower-case ASCII letters, digits and `-`.
pub fn is_slug(stem: &str) -> bool {
    !stem.is_empty()
        && stem.bytes().all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
        && !stem.starts_with('-')
        && !stem.ends_with('-')
}

/// Suggests a slug for an invalid stem: lower-cased, other characters turned into `-`.
pub fn suggest_slug(stem: &str) -> String {
    let mut out = String::new();
    for c in stem.chars() {
        if c.is_ascii_alphanumeric() {
            out.push(c.to_ascii_lowercase());
        } else if !out.ends_with('-') {
            out.push('-');
        }
    }
    out.trim_matches('-').to_string()
}

/// True for file names that are never content: editors' temporary, swap and backup files.
pub fn is_ignored(name: &str) -> bool {
    name.starts_with('.')
        || name.starts_with('#')
        || name.ends_with('~')
        || name.ends_with(".swp")
        || name.ends_with(".tmp")
}

fn read_entries(root: &Path, dir: &Path, diags: &mut Diagnostics) -> Vec<Doc> {
    if is_link(dir, root, diags) || !dir.is_dir() {
        return Vec::new();
    }
    let mut paths: Vec<PathBuf> = Vec::new();
    for entry in walkdir::WalkDir::new(dir).min_depth(1).max_depth(1).sort_by_file_name() {
        let entry = match entry {
            Ok(e) => e,
            Err(e) => {
                diags.push(Diagnostic::error(display_path(root, dir), 0, 0, format!("cannot read folder: {e}")));
                continue;
            }
        };
        let name = entry.file_name().to_string_lossy().to_string();
        if is_ignored(&name) {
            continue;
        }
        let ext = entry.path().extension().and_then(|e| e.to_str()).unwrap_or("").to_string();
        if entry.file_type().is_symlink() {
            if ext.eq_ignore_ascii_case("md") || ext.eq_ignore_ascii_case("markdown") {
                is_link(entry.path(), root, diags);
            }
            continue;
        }
        if !entry.file_type().is_file() {
            continue;
        }
        if ext != "md" {
            if ext.eq_ignore_ascii_case("md") || ext.eq_ignore_ascii_case("markdown") {
                let stem = entry.path().file_stem().map(|s| s.to_string_lossy().into_owned()).unwrap_or_default();
                diags.push(
                    Diagnostic::warning(
                        display_path(root, entry.path()),
                        0,
                        0,
                        format!("not read: `.{ext}` is not `.md`"),
                    )
                    .with_help(format!("rename it to `{stem}.md`: entries are read from `.md` files only")),
                );
            }
            continue;
        }
        paths.push(entry.into_path());
    }
    // Reading and parsing are independent per file: done on every core, kept in file order,
    // with each file's problems reported in that order too.
    let keep = paths.len() <= KEEP_PARSED_UP_TO;
    use rayon::prelude::*;
    let read: Vec<(Option<Doc>, Diagnostics)> = paths
        .par_iter()
        .map(|path| {
            let mut own = Diagnostics::new();
            (read_entry_with(root, path, &mut own, keep), own)
        })
        .collect();
    let mut docs = Vec::with_capacity(read.len());
    for (doc, own) in read {
        diags.extend(own);
        docs.extend(doc);
    }
    docs
}

/// Up to this many entries in a folder, each entry's parsed front matter is kept for resolving
/// rather than parsed a second time (a tenth of a build's instructions at 10,000 enclaves
/// went to parsing YAML, half of it again); above it, only the text is kept, since a parsed
/// mapping takes about twice the memory of its text and a directory of 100,000 entries is
/// held whole until it is resolved.
const KEEP_PARSED_UP_TO: usize = 20_000;

/// Reads one entry file (`content/enclaves/<slug>.md` and the like): checks its name, splits
/// off the front matter and parses it. `None` when the file has a problem (reported in `diags`).
pub fn read_entry(root: &Path, path: &Path, diags: &mut Diagnostics) -> Option<Doc> {
    read_entry_with(root, path, diags, true)
}

/// [`read_entry`]; `keep`: the parsed front matter is kept (else parsed again when resolved).
fn read_entry_with(root: &Path, path: &Path, diags: &mut Diagnostics, keep: bool) -> Option<Doc> {
    let shown = display_path(root, path);
    if is_link(path, root, diags) {
        return None;
    }
    let stem = path.file_stem().and_then(|s| s.to_str()).unwrap_or("").to_string();
    if !is_slug(&stem) {
        let suggestion = suggest_slug(&stem);
        let help = if suggestion.is_empty() {
            "name the file with lower-case ASCII letters, digits and `-`, e.g. `wuxi-shenzhen-center.md`".to_string()
        } else {
            format!(
                "rename it to `{suggestion}.md`: a file name is the entry's id and URL, so it may hold only lower-case ASCII letters, digits and `-`"
            )
        };
        diags.push(Diagnostic::error(&shown, 0, 0, format!("invalid file name `{stem}`")).with_help(help));
        return None;
    }
    let text = read_text(root, path, diags)?;
    let lines: Vec<&str> = text.lines().collect();
    let split = match frontmatter::split(&text) {
        Ok(s) => s,
        Err(frontmatter::SplitError::Missing) => {
            diags.push(
                Diagnostic::error(&shown, 1, 1, "missing front matter")
                    .with_snippet(lines.first().copied().unwrap_or_default())
                    .with_help("start the file with a line `---`, then the YAML fields, then another `---` line, then the Markdown body"),
            );
            return None;
        }
        Err(frontmatter::SplitError::Unterminated(line)) => {
            diags.push(
                Diagnostic::error(&shown, line, 1, "front matter is not closed")
                    .with_snippet(lines.get(line - 1).copied().unwrap_or_default())
                    .with_help("add a line `---` after the last YAML field, before the Markdown body"),
            );
            return None;
        }
    };
    let yaml = parse_yaml(&shown, split.yaml, split.yaml_line, &lines, diags)?;
    match yaml {
        Value::Null | Value::Mapping(_) => {}
        _ => {
            diags.push(
                Diagnostic::error(&shown, split.yaml_line, 1, "front matter must be a map of `field: value` lines")
                    .with_snippet(lines.get(split.yaml_line - 1).copied().unwrap_or_default()),
            );
            return None;
        }
    }
    let locator = Locator::new(split.yaml);
    let (body_line, body_start) = (split.body_line, text.len() - split.body.len());
    let yaml_start = split.yaml.as_ptr() as usize - text.as_ptr() as usize;
    let yaml_range = (yaml_start, yaml_start + split.yaml.len());
    let yaml_line = split.yaml_line;
    let yaml = keep.then(|| match yaml {
        v @ Value::Mapping(_) => v,
        _ => Value::Mapping(Default::default()),
    });
    Some(Doc {
        path: shown,
        slug: stem,
        yaml,
        yaml_range,
        yaml_line,
        body_line,
        locator,
        text,
        body_start,
        stamp: next_stamp(),
    })
}

/// Reads one whole-file YAML document (`site.yaml`, `terms/*.yaml`); `None` when the file is
/// absent or has a problem (reported in `diags`).
pub fn read_yaml_file(root: &Path, path: &Path, diags: &mut Diagnostics) -> Option<Doc> {
    if is_link(path, root, diags) || !path.is_file() {
        return None;
    }
    let shown = display_path(root, path);
    let text = read_text(root, path, diags)?;
    let lines: Vec<&str> = text.lines().collect();
    let yaml = parse_yaml(&shown, &text, 1, &lines, diags)?;
    let body_line = lines.len() + 1;
    let locator = Locator::new(&text);
    let body_start = text.len();
    Some(Doc {
        path: shown,
        slug: String::new(),
        yaml: Some(yaml),
        yaml_range: (0, body_start),
        yaml_line: 1,
        body_line,
        locator,
        text,
        body_start,
        stamp: next_stamp(),
    })
}

fn read_text(root: &Path, path: &Path, diags: &mut Diagnostics) -> Option<String> {
    let shown = display_path(root, path);
    let bytes = match fs::read(path) {
        Ok(b) => b,
        Err(e) => {
            diags.push(Diagnostic::error(&shown, 0, 0, format!("cannot read file: {e}")));
            return None;
        }
    };
    match String::from_utf8(bytes) {
        Ok(mut s) => {
            if s.starts_with('\u{feff}') {
                s.drain(..3);
            }
            if control_characters(&shown, &s, diags) {
                return None;
            }
            Some(s)
        }
        Err(e) => {
            let valid = e.utf8_error().valid_up_to();
            let bytes = e.as_bytes();
            let line = bytes[..valid].iter().filter(|b| **b == b'\n').count() + 1;
            let line_start = bytes[..valid].iter().rposition(|b| *b == b'\n').map_or(0, |p| p + 1);
            let col = String::from_utf8_lossy(&bytes[line_start..valid]).chars().count() + 1;
            diags.push(
                Diagnostic::error(&shown, line, col, "file is not valid UTF-8 text")
                    .with_help("save the file as UTF-8 (GBK and other legacy encodings are not read)"),
            );
            None
        }
    }
}

/// The most control-character errors reported for one file.
const CONTROL_ERRORS: usize = 10;

/// Reports every C0 control character but tab, LF and CR (NUL, ESC, BEL ...) at its own line
/// and column; true when there was one. Such a character is never meant, is invisible in an
/// editor, and would reach pages, the CSV and terminals.
fn control_characters(shown: &Path, text: &str, diags: &mut Diagnostics) -> bool {
    let mut found = 0;
    for (i, line) in text.split('\n').enumerate() {
        if !line.bytes().any(|b| b < 0x20 && b != b'\t' && b != b'\r') {
            continue;
        }
        for (col, c) in line.chars().enumerate() {
            if (c as u32) < 0x20 && c != '\t' && c != '\r' {
                found += 1;
                if found <= CONTROL_ERRORS {
                    diags.push(
                        Diagnostic::error(
                            shown,
                            i + 1,
                            col + 1,
                            format!("control character U+{:04X} in the text", c as u32),
                        )
                        .with_snippet(line.trim_end_matches('\r').to_string())
                        .with_help("delete it (it is invisible in most editors; retyping the line removes it)"),
                    );
                }
            }
        }
    }
    if found > CONTROL_ERRORS {
        diags.push(Diagnostic::error(
            shown,
            0,
            0,
            format!("{} more control characters in this file", found - CONTROL_ERRORS),
        ));
    }
    found > 0
}

fn parse_yaml(shown: &Path, text: &str, first_line: usize, lines: &[&str], diags: &mut Diagnostics) -> Option<Value> {
    match serde_yaml::from_str::<Value>(text) {
        Ok(v) => Some(v),
        Err(e) => {
            let (line, col) = e.location().map_or((first_line, 0), |l| (first_line + l.line() - 1, l.column()));
            // serde_yaml appends " at line X column Y" to its message; the location is shown
            // separately, in file terms rather than front-matter terms.
            let msg = e.to_string();
            let msg = msg.split(" at line ").next().unwrap_or(&msg).to_string();
            let mut d = Diagnostic::error(shown, line, col, format!("invalid YAML: {msg}"))
                .with_help("check the indentation and quoting on this line and the one before; a value containing `: ` or starting with a special character needs quotes");
            if let Some(text) = lines.get(line.wrapping_sub(1)) {
                d = d.with_snippet(*text);
            }
            diags.push(d);
            None
        }
    }
}
