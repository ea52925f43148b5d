//! Content that tries to harm the terminal, the pages or the build: control characters, values of
//! megabytes, links to files outside the site, and readers that go away. Messages stay short,
//! escaped and located; nothing outside the site folder is read or printed.

mod common;

use std::io::Read;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use common::{Run, TestSite, feidi};

const ALPHA: &str = "content/enclaves/alpha.md";

/// Runs feidi on `site` and returns the run, failing the test if it takes longer than a minute
/// (a hang guard, not a speed target).
fn run_bounded(args: &[&str]) -> Run {
    let start = Instant::now();
    let run = feidi(args);
    assert!(start.elapsed() < Duration::from_secs(60), "feidi {args:?} took {:?}", start.elapsed());
    run
}

fn check(site: &TestSite, format: &str) -> Run {
    run_bounded(&["check", "--root", site.root().to_str().unwrap(), "--format", format])
}

fn check_json(site: &TestSite) -> String {
    check(site, "json").stdout
}

fn build(site: &TestSite) -> Run {
    run_bounded(&["build", "--root", site.root().to_str().unwrap()])
}

/// No byte that drives a terminal (C0 but tab and newline, DEL, or C1 as UTF-8).
fn assert_terminal_safe(text: &str) {
    for c in text.chars() {
        let bad = (c.is_control() && c != '\n' && c != '\t') || ('\u{202a}'..='\u{202e}').contains(&c);
        assert!(!bad, "raw control character U+{:04X} reached the terminal:\n{text:?}", c as u32);
    }
}

#[test]
fn control_characters_in_values_are_escaped_in_messages() {
    let site = TestSite::fixture("basic");
    // YAML escapes: the file itself is plain text, the value holds ESC, BEL and a bidi override.
    site.edit(ALPHA, "host: 闵行区", "host: \"\\e[2J\\e]0;pwned\\a\\u202e闵行\"");
    let run = build(&site);
    assert_eq!(run.code, 1);
    assert_terminal_safe(&run.stderr);
    assert!(run.stderr.contains("\\u{1b}[2J"), "ESC is shown escaped:\n{}", run.stderr);
    assert!(run.stderr.contains("\\u{7}"), "BEL is shown escaped:\n{}", run.stderr);
    let json = check(&site, "json");
    assert_terminal_safe(&json.stdout);
    let report: serde_json::Value = serde_json::from_str(&json.stdout).unwrap();
    let message = report["diagnostics"][0]["message"].as_str().unwrap();
    assert!(message.contains('\u{1b}'), "JSON keeps the value exactly (escaped by JSON): {message:?}");
}

#[test]
fn nul_and_other_control_bytes_are_errors_at_their_line() {
    let site = TestSite::fixture("basic");
    site.build_ok();
    let before = site.snapshot();
    let text = site.read(ALPHA);
    let body_line = text.lines().position(|l| l.starts_with("---")).unwrap();
    let lines: Vec<&str> = text.lines().collect();
    let target = lines.len() - 1;
    let mut edited: Vec<String> = lines.iter().map(|l| l.to_string()).collect();
    edited[target] = format!("正文\u{0}藏了一个空字符{}", edited[target]);
    edited[2] = format!("{}\u{1b}[31m", edited[2]);
    site.write(ALPHA, &(edited.join("\n") + "\n"));
    let run = build(&site);
    assert_eq!(run.code, 1, "{}", run.stderr);
    assert_terminal_safe(&run.stderr);
    assert!(body_line < target);
    assert!(
        run.stderr.contains(&format!("{ALPHA}:{}:3 ", target + 1))
            || run.stderr.contains(&format!("{ALPHA}:{}:3\n", target + 1)),
        "the NUL is located at its line and column:\n{}",
        run.stderr
    );
    assert!(run.stderr.contains("control character U+0000"), "{}", run.stderr);
    assert!(run.stderr.contains("control character U+001B"), "{}", run.stderr);
    assert!(run.stderr.contains(&format!("{ALPHA}:3:")), "{}", run.stderr);
    assert_eq!(site.snapshot(), before, "nothing reaches the pages or the CSV");
}

#[test]
fn huge_values_give_short_messages_quickly() {
    let site = TestSite::fixture("basic");
    let huge = "飞".repeat(3_500_000); // about 10 MB of UTF-8
    site.edit(ALPHA, "host: 闵行区", &format!("host: {huge}"));
    let run = build(&site);
    assert_eq!(run.code, 1);
    assert!(run.stderr.contains("unknown place"), "{}", &run.stderr[..run.stderr.len().min(2000)]);
    assert!(run.stderr.len() < 4_000, "stderr is {} bytes", run.stderr.len());
    let json = check(&site, "json");
    assert!(json.stdout.len() < 4_000, "the JSON report is {} bytes", json.stdout.len());
    serde_json::from_str::<serde_json::Value>(&json.stdout).unwrap();
}

#[test]
fn a_yaml_error_on_a_huge_line_prints_one_short_line() {
    let site = TestSite::fixture("basic");
    let huge = "x".repeat(10_000_000);
    site.edit(ALPHA, "sponsor: 惠山区政府", &format!("sponsor: {huge}: x"));
    let run = build(&site);
    assert_eq!(run.code, 1);
    assert!(run.stderr.contains("invalid YAML"), "{}", &run.stderr[..run.stderr.len().min(2000)]);
    assert!(run.stderr.len() < 4_000, "stderr is {} bytes", run.stderr.len());
    assert!(run.stderr.contains('…'), "the cut is marked");
}

#[test]
fn links_in_content_are_never_followed() {
    let site = TestSite::fixture("basic");
    let outside = common::tempdir();
    let secret = common::outside_entry(outside.path());
    std::os::unix::fs::symlink(&secret, site.path("content/enclaves/leak.md")).unwrap();
    std::fs::remove_file(site.path("content/site.yaml")).unwrap();
    std::os::unix::fs::symlink("/etc/passwd", site.path("content/site.yaml")).unwrap();
    let run = build(&site);
    assert!(run.ok(), "{}", run.stderr);
    let check = check(&site, "human");
    let json = check_json(&site);
    // Each link is one warning of its own; the build counts them with the others.
    let report: serde_json::Value = serde_json::from_str(&json).unwrap();
    let links: Vec<(&str, &str)> = report["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|d| d["message"].as_str().unwrap().contains("symbolic link"))
        .map(|d| (d["file"].as_str().unwrap(), d["message"].as_str().unwrap()))
        .collect();
    assert_eq!(
        links.iter().map(|l| l.0).collect::<Vec<_>>(),
        ["content/enclaves/leak.md", "content/site.yaml"],
        "{report:#}"
    );
    assert_eq!(links[0].1, "symbolic link not read");
    let warnings = report["warnings"].as_u64().unwrap();
    assert!(
        run.stdout.trim_end().ends_with(&format!(", {warnings} warnings (run `feidi check` to see them)")),
        "{}",
        run.stdout
    );
    for out in [&check.stderr, &json] {
        assert!(out.contains("content/enclaves/leak.md") && out.contains("symbolic link not read"), "{out}");
        assert!(out.contains("content/site.yaml"), "{out}");
        assert!(!out.contains("root:") && !out.contains("TOP-SECRET"), "nothing from outside is printed:\n{out}");
    }
    assert!(!site.public().join("enclaves/leak").exists());
    let all: Vec<u8> = site.snapshot().into_values().flatten().collect();
    assert!(!String::from_utf8_lossy(&all).contains("TOP-SECRET"), "nothing from outside is published");
}

#[test]
fn a_broken_places_file_is_reported_first_and_alone() {
    let site = TestSite::fixture("basic");
    let places = site.read("content/terms/places.yaml");
    site.write("content/terms/places.yaml", &format!("{places}\n  - id: [broken\n"));
    let run = build(&site);
    assert_eq!(run.code, 1);
    let first = run.stderr.lines().next().unwrap_or("");
    let second = run.stderr.lines().nth(1).unwrap_or("");
    assert!(first.contains("invalid YAML") && second.contains("content/terms/places.yaml"), "{}", run.stderr);
    assert!(!run.stderr.contains("unknown place"), "no follow-on errors:\n{}", run.stderr);
}

#[test]
fn a_missing_site_file_and_misnamed_entries_are_warned_about() {
    let site = TestSite::fixture("basic");
    std::fs::remove_file(site.path("content/site.yaml")).unwrap();
    let beta = site.read("content/enclaves/beta.md");
    site.write("content/enclaves/delta.MD", &beta);
    site.write("content/enclaves/epsilon.markdown", &beta);
    let run = check(&site, "human");
    assert!(
        run.stderr.contains("content/site.yaml")
            && run.stderr.contains("no site settings file: building with the default title and base_url `"),
        "{}",
        run.stderr
    );
    assert!(
        run.stderr.contains("content/enclaves/delta.MD") && run.stderr.contains("rename it to `delta.md`"),
        "{}",
        run.stderr
    );
    assert!(run.stderr.contains("content/enclaves/epsilon.markdown"), "{}", run.stderr);
}

/// Runs feidi with its stdout already closed by the reader, and returns (exit code, stderr).
fn with_closed_stdout(args: &[&str]) -> (Option<i32>, String) {
    let mut child = Command::new(env!("CARGO_BIN_EXE_feidi"))
        .args(args)
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    drop(child.stdout.take());
    let mut err = String::new();
    child.stderr.take().unwrap().read_to_string(&mut err).unwrap();
    (child.wait().unwrap().code(), err)
}

#[test]
fn a_closed_pipe_ends_quietly() {
    let site = TestSite::fixture("basic");
    let root = site.root().to_str().unwrap();
    let (code, err) = with_closed_stdout(&["check", "--root", root, "--format", "json"]);
    assert_eq!(code, Some(0), "{err}");
    assert!(!err.contains("panicked"), "{err}");
    let (code, err) = with_closed_stdout(&["build", "--root", root]);
    assert_eq!(code, Some(0), "{err}");
    assert!(!err.contains("panicked"), "{err}");
    assert!(site.public().join("index.html").is_file(), "the build itself completed");
    // `head -c 10` reads a little, then goes away.
    let mut child = Command::new(env!("CARGO_BIN_EXE_feidi"))
        .args(["check", "--root", root, "--format", "json"])
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut ten = [0u8; 10];
    child.stdout.as_mut().unwrap().read_exact(&mut ten).unwrap();
    drop(child.stdout.take());
    let mut err = String::new();
    child.stderr.take().unwrap().read_to_string(&mut err).unwrap();
    assert_ne!(child.wait().unwrap().code(), Some(101), "{err}");
    assert!(!err.contains("panicked"), "{err}");
}
