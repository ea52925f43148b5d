//! Every built page is valid HTML5 and the stylesheet valid CSS, by the Nu HTML checker
//! (`scripts/test` installs it into `.tools/`).

mod common;
use std::process::Command;

use common::{TestSite, feidi, repo};

fn check_with_vnu(dir: &std::path::Path) {
    let jar = repo().join(".tools/node_modules/vnu-jar/build/dist/vnu.jar");
    assert!(jar.is_file(), "the Nu HTML checker is missing: run scripts/test, which installs it");
    let out = Command::new("java")
        .arg("-jar")
        .arg(&jar)
        .args(["--errors-only", "--also-check-css", "--format", "gnu", "--skip-non-html"])
        .arg(dir)
        .output()
        .expect("java runs (scripts/test installs it)");
    let report = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success() && report.trim().is_empty(), "HTML errors:\n{report}");
}

#[test]
fn fixture_pages_are_valid_html() {
    let site = TestSite::fixture("basic");
    site.build_ok();
    check_with_vnu(&site.public());
}

#[test]
fn real_directory_pages_are_valid_html() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("public");
    let run = feidi(&["build", "--root", repo().to_str().unwrap(), "--output", out.to_str().unwrap()]);
    assert!(run.ok(), "{}", run.stderr);
    check_with_vnu(&out);
}
