//! `feidi build --precompress`: a `.gz` and a `.br` beside every text file, each decompressing
//! to exactly its original, the same bytes on every build, listed in the manifest so that the
//! next build replaces them.

mod common;
use common::{TestSite, snapshot};
use std::collections::BTreeMap;
use std::io::Read;

const TEXT: &[&str] = &["html", "css", "js", "json", "xml", "csv", "svg", "txt"];

fn is_text(path: &str) -> bool {
    path.rsplit_once('.').is_some_and(|(_, ext)| TEXT.contains(&ext))
}

fn gunzip(bytes: &[u8]) -> Vec<u8> {
    let mut out = Vec::new();
    flate2::read::GzDecoder::new(bytes).read_to_end(&mut out).unwrap();
    out
}

fn unbrotli(bytes: &[u8]) -> Vec<u8> {
    let mut out = Vec::new();
    brotli::Decompressor::new(bytes, 4096).read_to_end(&mut out).unwrap();
    out
}

fn precompressed() -> TestSite {
    let site = TestSite::fixture("basic");
    let run = site.build(&["--precompress"]);
    assert!(run.ok(), "{}", run.stderr);
    site
}

#[test]
fn every_text_file_has_a_gz_and_a_br_that_decompress_to_it_exactly() {
    let site = precompressed();
    let snap = site.snapshot();
    let originals: BTreeMap<&String, &Vec<u8>> = snap
        .iter()
        .filter(|(p, _)| !p.ends_with(".gz") && !p.ends_with(".br") && p.as_str() != ".feidi-manifest")
        .collect();
    let mut kinds = std::collections::BTreeSet::new();
    for (path, bytes) in &originals {
        if !is_text(path) {
            continue;
        }
        kinds.insert(path.rsplit_once('.').unwrap().1);
        let gz = snap.get(&format!("{path}.gz")).unwrap_or_else(|| panic!("no {path}.gz"));
        let br = snap.get(&format!("{path}.br")).unwrap_or_else(|| panic!("no {path}.br"));
        assert_eq!(&gunzip(gz), *bytes, "{path}.gz");
        assert_eq!(&unbrotli(br), *bytes, "{path}.br");
        // No name and no time in the gzip header.
        assert_eq!(&gz[3..8], &[0, 0, 0, 0, 0], "{path}.gz: flags and time");
    }
    for kind in ["html", "css", "js", "json", "xml", "csv", "txt"] {
        assert!(kinds.contains(kind), "the fixture has no .{kind} file to try: {kinds:?}");
    }
    // Every compressed file belongs to a text file, and none is compressed twice.
    for path in snap.keys().filter(|p| p.ends_with(".gz") || p.ends_with(".br")) {
        let original = &path[..path.len() - 3];
        assert!(originals.contains_key(&original.to_string()) && is_text(original), "{path} has no text original");
    }
    assert!(!snap.keys().any(|p| p.ends_with(".gz.gz") || p.ends_with(".br.gz") || p.ends_with(".gz.br")));
}

#[test]
fn the_manifest_lists_the_compressed_files() {
    let site = precompressed();
    let manifest = site.page(".feidi-manifest");
    let listed: std::collections::BTreeSet<&str> = manifest.lines().filter(|l| !l.starts_with('#')).collect();
    let files: std::collections::BTreeSet<String> =
        site.snapshot().into_keys().filter(|p| p != ".feidi-manifest").collect();
    assert_eq!(listed, files.iter().map(String::as_str).collect(), "the manifest lists exactly what was written");
    assert!(listed.contains("index.html.gz") && listed.contains("index.html.br"));
}

#[test]
fn two_builds_are_byte_identical() {
    let site = precompressed();
    let first = site.snapshot();
    let run = site.build(&["--precompress"]);
    assert!(run.ok(), "a precompressed output is feidi's own and may be replaced:\n{}", run.stderr);
    assert!(first == site.snapshot(), "the same folder, built again");
    let other = site.path("other");
    let run = site.build(&["--precompress", "--output", other.to_str().unwrap()]);
    assert!(run.ok(), "{}", run.stderr);
    assert!(first == snapshot(&other), "another folder, the same bytes");
}

#[test]
fn a_build_without_the_flag_replaces_the_compressed_files() {
    let site = precompressed();
    site.build_ok();
    let snap = site.snapshot();
    assert!(snap.contains_key("index.html"));
    assert!(!snap.keys().any(|p| p.ends_with(".gz") || p.ends_with(".br")), "stale copies left behind");
    // And back: the flag again after a plain build.
    let run = site.build(&["--precompress"]);
    assert!(run.ok(), "{}", run.stderr);
    assert!(site.public().join("enclaves/alpha/index.html.br").is_file());
}
