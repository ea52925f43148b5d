//! Every built page is valid HTML5 and the stylesheet valid CSS, by the Nu HTML checker
//! (`scripts/test` installs it into `.tools/`): the fixture, and the real directory shipped and
//! grown (see `common::real`).

mod common;
use std::process::Command;

use common::real::RealSite;
use common::{TestSite, repo};

fn check_with_vnu(dir: &std::path::Path) {
    let jar = repo().join(".tools/node_modules/vnu-jar/build/dist/vnu.jar");
    assert!(jar.is_file(), "the Nu HTML checker is missing: run scripts/test, which installs it");
    // Java's own temporary files go to a test folder too; no performance data file in /tmp.
    let tmp = common::tempdir();
    let out = Command::new("java")
        .arg("-XX:-UsePerfData")
        .arg(format!("-Djava.io.tmpdir={}", tmp.path().display()))
        .arg("-jar")
        .arg(&jar)
        .args(["--errors-only", "--also-check-css", "--format", "gnu", "--skip-non-html"])
        .arg(dir)
        .env("TMPDIR", tmp.path())
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

common::real::on_shipped_and_grown!(real_directory_pages_are_valid_html);

fn real_directory_pages_are_valid_html(r: &RealSite) {
    check_with_vnu(&r.public());
}
