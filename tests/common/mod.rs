//! Shared helpers for the integration tests: fixture sites in temporary folders, running the
//! real `feidi` binary, and reading what it wrote.
#![allow(dead_code)]

pub mod browser;
pub mod html;
pub mod http;
pub mod real;

use std::collections::BTreeMap;
use std::fs;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};
use std::sync::{Arc, Mutex, Weak};

/// The fixed paths every built site has, whatever its content (the content format's table).
pub const SITE_FILES: &[&str] = &[
    "index.html",
    "enclaves/index.html",
    "operators/index.html",
    "places/index.html",
    "compare/index.html",
    "data/enclaves.json",
    "data/enclaves.csv",
    "data/operators.json",
    "sitemap.xml",
    "robots.txt",
    "atom.xml",
    "404.html",
];

/// A fresh temporary folder for a test, removed when dropped (on a panic too). Every test folder
/// lives in cargo's `target/tmp/` (`CARGO_TARGET_TMPDIR`), never in the system's `/tmp`, and its
/// name starts with `feidi-test-`: a run that was killed leaves its folders there, where they are
/// easy to find.
pub fn tempdir() -> tempfile::TempDir {
    let root = Path::new(env!("CARGO_TARGET_TMPDIR"));
    fs::create_dir_all(root).unwrap();
    tempfile::Builder::new().prefix("feidi-test-").tempdir_in(root).unwrap()
}

/// A value made once and shared by the tests that run at the same time, dropped (its folders
/// removed) when the last of them lets go of it; a later test makes it again. A `static` would
/// never be dropped and would leave its folders behind.
pub struct Shared<T>(Mutex<Weak<T>>);

impl<T> Shared<T> {
    pub const fn new() -> Shared<T> {
        Shared(Mutex::new(Weak::new()))
    }

    /// The shared value, made by `make` when no test holds it.
    pub fn get(&self, make: impl FnOnce() -> T) -> Arc<T> {
        let mut weak = self.0.lock().unwrap_or_else(|e| e.into_inner());
        if let Some(v) = weak.upgrade() {
            return v;
        }
        let v = Arc::new(make());
        *weak = Arc::downgrade(&v);
        v
    }
}

/// A copy of a fixture site in a temporary folder, safe to edit.
pub struct TestSite {
    pub dir: tempfile::TempDir,
}

pub fn copy_dir(from: &Path, to: &Path) {
    fs::create_dir_all(to).unwrap();
    for entry in fs::read_dir(from).unwrap() {
        let entry = entry.unwrap();
        let target = to.join(entry.file_name());
        if entry.file_type().unwrap().is_dir() {
            copy_dir(&entry.path(), &target);
        } else {
            fs::copy(entry.path(), &target).unwrap();
        }
    }
}

/// The repository root.
pub fn repo() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

impl TestSite {
    /// Copies `tests/fixtures/<name>` into a fresh temporary folder.
    pub fn fixture(name: &str) -> TestSite {
        let dir = tempdir();
        copy_dir(&repo().join("tests/fixtures").join(name), dir.path());
        TestSite { dir }
    }

    /// A copy of the real directory: this repository's `content/` and `themes/`.
    pub fn real_copy() -> TestSite {
        let dir = tempdir();
        for part in ["content", "themes"] {
            copy_dir(&repo().join(part), &dir.path().join(part));
        }
        TestSite { dir }
    }

    /// The site folder.
    pub fn root(&self) -> &Path {
        self.dir.path()
    }

    /// A path inside the site folder.
    pub fn path(&self, rel: &str) -> PathBuf {
        self.dir.path().join(rel)
    }

    /// Writes a file inside the site folder.
    pub fn write(&self, rel: &str, text: &str) {
        self.write_bytes(rel, text.as_bytes());
    }

    /// Writes raw bytes inside the site folder.
    pub fn write_bytes(&self, rel: &str, bytes: &[u8]) {
        let p = self.path(rel);
        fs::create_dir_all(p.parent().unwrap()).unwrap();
        fs::write(p, bytes).unwrap();
    }

    /// Reads a file inside the site folder.
    pub fn read(&self, rel: &str) -> String {
        fs::read_to_string(self.path(rel)).unwrap()
    }

    /// Replaces the first occurrence of `from` with `to` in a content file; panics if absent, so a
    /// test never passes by editing nothing.
    pub fn edit(&self, rel: &str, from: &str, to: &str) {
        let text = self.read(rel);
        assert!(text.contains(from), "{rel} does not contain {from:?}");
        self.write(rel, &text.replacen(from, to, 1));
    }

    /// Runs `feidi build --root <site>` with extra arguments.
    pub fn build(&self, extra: &[&str]) -> Run {
        let mut args = vec!["build", "--root", self.root().to_str().unwrap()];
        args.extend_from_slice(extra);
        feidi(&args)
    }

    /// Builds and panics with the output if the build fails.
    pub fn build_ok(&self) -> Run {
        let run = self.build(&[]);
        assert!(run.ok(), "build failed:\n{}", run.stderr);
        run
    }

    /// The output folder.
    pub fn public(&self) -> PathBuf {
        self.path("public")
    }

    /// Reads a built file.
    pub fn page(&self, rel: &str) -> String {
        fs::read_to_string(self.public().join(rel)).unwrap_or_else(|e| panic!("cannot read public/{rel}: {e}"))
    }

    /// Every file of the output with its bytes.
    pub fn snapshot(&self) -> BTreeMap<String, Vec<u8>> {
        snapshot(&self.public())
    }

    /// Every file a build of this site on `threads` threads writes, built into a folder of
    /// its own (removed afterwards).
    pub fn build_on_threads(&self, threads: &str) -> BTreeMap<String, Vec<u8>> {
        let out = tempdir();
        let public = out.path().join("public");
        let run = std::process::Command::new(env!("CARGO_BIN_EXE_feidi"))
            .args(["build", "--root", self.root().to_str().unwrap(), "--output", public.to_str().unwrap()])
            .env("RAYON_NUM_THREADS", threads)
            .output()
            .unwrap();
        assert!(run.status.success(), "{}", String::from_utf8_lossy(&run.stderr));
        snapshot(&public)
    }

    /// Copies the built-in theme into the site's own `themes/default/`, for a test to change.
    pub fn own_theme(&self) {
        copy_dir(&repo().join("themes/default"), &self.path("themes/default"));
    }
}

/// Every file below `dir` with its bytes.
pub fn snapshot(dir: &Path) -> BTreeMap<String, Vec<u8>> {
    let mut out = BTreeMap::new();
    if !dir.exists() {
        return out;
    }
    for e in walkdir::WalkDir::new(dir).sort_by_file_name() {
        let e = e.unwrap();
        if e.file_type().is_file() {
            let rel = e.path().strip_prefix(dir).unwrap().to_string_lossy().replace('\\', "/");
            out.insert(rel, fs::read(e.path()).unwrap());
        }
    }
    out
}

/// The result of running the binary.
pub struct Run {
    pub code: i32,
    pub stdout: String,
    pub stderr: String,
}

impl Run {
    /// True on exit code 0.
    pub fn ok(&self) -> bool {
        self.code == 0
    }
}

/// Runs the `feidi` binary.
pub fn feidi(args: &[&str]) -> Run {
    let out: Output = Command::new(env!("CARGO_BIN_EXE_feidi")).args(args).output().expect("feidi runs");
    Run {
        code: out.status.code().unwrap_or(-1),
        stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
    }
}

/// Values of `href` and `src` attributes in an HTML text, unescaped.
pub fn links(html: &str) -> Vec<String> {
    let mut out = Vec::new();
    for attr in ["href=\"", "src=\""] {
        let mut rest = html;
        while let Some(i) = rest.find(attr) {
            let after = &rest[i + attr.len()..];
            let end = after.find('"').unwrap_or(after.len());
            out.push(after[..end].replace("&amp;", "&").replace("&#x2F;", "/"));
            rest = &after[end..];
        }
    }
    out
}

/// Internal links of every HTML file in `public` that do not resolve to a file, as
/// `page -> target`. `base_path` is the path prefix that absolute links (on the 404 page) carry.
pub fn broken_links(public: &Path, base_path: &str) -> Vec<String> {
    let mut broken = Vec::new();
    for (rel, bytes) in snapshot(public) {
        if !rel.ends_with(".html") {
            continue;
        }
        let html = String::from_utf8(bytes).unwrap();
        let page_dir = Path::new(&rel).parent().unwrap_or(Path::new("")).to_path_buf();
        for link in links(&html) {
            if link.starts_with("http://")
                || link.starts_with("https://")
                || link.starts_with("mailto:")
                || link.starts_with('#')
                || link.starts_with("data:")
            {
                continue;
            }
            let target = link.split(['?', '#']).next().unwrap().to_string();
            if target.is_empty() {
                continue;
            }
            let resolved = if let Some(abs) = target.strip_prefix(base_path) {
                PathBuf::from(abs)
            } else if target.starts_with('/') {
                broken.push(format!("{rel} -> {link} (absolute link outside the base path)"));
                continue;
            } else {
                page_dir.join(&target)
            };
            let mut parts: Vec<String> = Vec::new();
            for c in resolved.components() {
                match c {
                    std::path::Component::ParentDir if parts.pop().is_none() => {
                        broken.push(format!("{rel} -> {link} (climbs out of the site)"));
                    }
                    std::path::Component::Normal(s) => parts.push(s.to_string_lossy().into_owned()),
                    _ => {}
                }
            }
            let mut file = public.join(parts.join("/"));
            if target.ends_with('/') || target.is_empty() || file.is_dir() {
                file = file.join("index.html");
            }
            if !file.is_file() {
                broken.push(format!("{rel} -> {link}"));
            }
        }
    }
    broken
}

/// Strips tags from HTML and folds white space, to assert on the text a reader sees.
pub fn text_of(html: &str) -> String {
    let mut out = String::new();
    let mut in_tag = false;
    for c in html.chars() {
        match c {
            '<' => in_tag = true,
            '>' => {
                in_tag = false;
                out.push(' ');
            }
            c if !in_tag => out.push(c),
            _ => {}
        }
    }
    out.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// Builds the real directory (`content/` of this repository) into a temporary folder; returns
/// the folder (keep it alive) and the output path.
pub fn build_real() -> (tempfile::TempDir, PathBuf) {
    let dir = tempdir();
    let out = dir.path().join("public");
    let run = feidi(&["build", "--root", repo().to_str().unwrap(), "--output", out.to_str().unwrap()]);
    assert!(run.ok(), "the real directory must build:\n{}", run.stderr);
    (dir, out)
}

/// Reads a file of a built site.
pub fn read_built(out: &Path, rel: &str) -> String {
    fs::read_to_string(out.join(rel)).unwrap_or_else(|e| panic!("public/{rel}: {e}"))
}

/// The side-by-side comparison's data of a built site, as one JSON value
/// `{"f": [fields], "e": {slug: [value per field, texts looked up]}}`: the entry script and every
/// chunk it names, read back.
pub fn compare_data(public: &Path) -> serde_json::Value {
    let snap = snapshot(public);
    let (_, entry) =
        snap.iter().find(|(k, _)| k.starts_with("compare-data.") && k.ends_with(".js")).expect("compare data");
    let entry = String::from_utf8(entry.clone()).unwrap();
    let json = entry.trim().strip_prefix("window.FEIDI_COMPARE=").unwrap().strip_suffix(';').unwrap();
    let entry: serde_json::Value = serde_json::from_str(json).unwrap();
    let mut all = serde_json::Map::new();
    for chunk in entry["chunks"].as_array().unwrap() {
        let js = String::from_utf8(snap[chunk.as_str().unwrap()].clone()).unwrap();
        let body = &js[js.find("]={").unwrap() + 2..js.trim_end().len() - 1];
        let c: serde_json::Value = serde_json::from_str(body).unwrap();
        let s = c["s"].as_array().unwrap();
        let text = |v: &serde_json::Value| -> serde_json::Value {
            match v {
                serde_json::Value::Number(n) => s[n.as_u64().unwrap() as usize].clone(),
                serde_json::Value::Array(list) => serde_json::Value::Array(
                    list.iter()
                        .map(|x| match x {
                            serde_json::Value::Array(parts) => serde_json::Value::Array(
                                parts
                                    .iter()
                                    .map(|p| p.as_u64().map_or(serde_json::Value::Null, |i| s[i as usize].clone()))
                                    .collect(),
                            ),
                            serde_json::Value::Number(n) => s[n.as_u64().unwrap() as usize].clone(),
                            other => other.clone(),
                        })
                        .collect(),
                ),
                other => other.clone(),
            }
        };
        for (slug, row) in c["e"].as_object().unwrap() {
            all.insert(slug.clone(), serde_json::Value::Array(row.as_array().unwrap().iter().map(text).collect()));
        }
    }
    serde_json::json!({ "f": entry["f"], "e": all, "chunks": entry["chunks"] })
}

/// Writes a valid enclave file outside any site (in `dir`), whose body is `TOP-SECRET-LINE`,
/// for tests that link to it from inside a site and check it never leaks.
pub fn outside_entry(dir: &Path) -> PathBuf {
    let secret = dir.join("secret.md");
    fs::write(
        &secret,
        "---\nname: 外部文件\nhome: huishan\nhost: 闵行区\nsources:\n  - title: x\n---\nTOP-SECRET-LINE\n",
    )
    .unwrap();
    secret
}
