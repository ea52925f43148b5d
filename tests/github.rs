//! Publishing from GitHub: `feidi check --format github` annotations, exactly, and the ready
//! workflow in `.github/workflows/site.yml`, which must run commands that exist.

mod common;
use common::{TestSite, repo};
use std::process::Command;

const ALPHA: &str = "content/enclaves/alpha.md";
const BETA: &str = "content/enclaves/beta.md";

/// The fixture with two errors in entries, two invalid file names (one with `%` and `,`) and the
/// fixture's own warnings.
fn broken_site() -> TestSite {
    let site = TestSite::fixture("basic");
    site.edit(BETA, "sectors: [AI]", "sectors: [AJ]");
    site.edit(ALPHA, "host: 闵行区", "host: 闵行X区");
    site.write("content/enclaves/Bad_Name.md", "---\nname: x\n---\n");
    site.write("content/enclaves/100%,x.md", "---\nname: x\n---\n");
    site
}

/// Runs `feidi check --format github` with `GITHUB_WORKSPACE` set to `workspace` (or unset).
fn check_github(site: &TestSite, workspace: Option<&std::path::Path>) -> (i32, String, String) {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_feidi"));
    cmd.args(["check", "--root", site.root().to_str().unwrap(), "--format", "github"]);
    match workspace {
        Some(w) => cmd.env("GITHUB_WORKSPACE", w),
        None => cmd.env_remove("GITHUB_WORKSPACE"),
    };
    let out = cmd.output().unwrap();
    (out.status.code().unwrap(), String::from_utf8(out.stdout).unwrap(), String::from_utf8(out.stderr).unwrap())
}

const EXPECTED: &str = "\
::error file=content/enclaves/100%25%2Cx.md::invalid file name `100%25,x`%0A= help: rename it to `100-x.md`: a file name is the entry's id and URL, so it may hold only lower-case ASCII letters, digits and `-`
::error file=content/enclaves/Bad_Name.md::invalid file name `Bad_Name`%0A= help: rename it to `bad-name.md`: a file name is the entry's id and URL, so it may hold only lower-case ASCII letters, digits and `-`
::error file=content/enclaves/alpha.md,line=6,col=7::unknown place `闵行X区`%0A= help: did you mean `闵行区`? (places are defined in content/terms/places.yaml)
::warning file=content/enclaves/beta.md,line=1,col=1::no `opened`: the site shows \"not reported\"%0A= help: add `opened` when a source gives it
::error file=content/enclaves/beta.md,line=9,col=11::unknown sector `AJ`%0A= help: did you mean `AI` (人工智能)? (sectors are defined in content/terms/sectors.yaml)
::warning file=content/enclaves/beta.md,line=11,col=5::source `测试来源` has no `url` or `date`%0A= help: add `url:` and `date:` when you have them, so that readers can check the source
::warning file=content/enclaves/gamma.md,line=1,col=1::no `model`: the site shows \"not reported\"%0A= help: add `model` when a source gives it
::warning file=content/enclaves/gamma.md,line=1,col=1::no `opened`: the site shows \"not reported\"%0A= help: add `opened` when a source gives it
::warning file=content/enclaves/gamma.md,line=1,col=1::no `sectors`: the site shows \"not reported\"%0A= help: add `sectors` when a source gives it
::warning file=content/enclaves/gamma.md,line=6,col=5::source `测试来源` has no `url` or `date`%0A= help: add `url:` and `date:` when you have them, so that readers can check the source
::warning file=content/operators/cmsk.md,line=2,col=7::operator `cmsk` is named by no enclave%0A= help: list it under `operators:` in the enclaves it runs, or delete the file if it runs none
";

#[test]
fn check_format_github_prints_one_annotation_per_problem_exactly() {
    let site = broken_site();
    let (code, stdout, stderr) = check_github(&site, None);
    assert_eq!(code, 2, "errors exit 2 as in the other formats");
    assert_eq!(stdout, EXPECTED);
    assert_eq!(stderr, "4 errors, 7 warnings.\n");
}

#[test]
fn annotation_paths_are_relative_to_the_repository_in_github_actions() {
    let site = broken_site();
    // The site folder as a subfolder of the checked-out repository.
    let workspace = site.root().parent().unwrap();
    let folder = site.root().file_name().unwrap().to_str().unwrap();
    let (code, stdout, _) = check_github(&site, Some(workspace));
    assert_eq!(code, 2);
    let prefixed = EXPECTED.replace("::error file=", &format!("::error file={folder}/"));
    let prefixed = prefixed.replace("::warning file=", &format!("::warning file={folder}/"));
    assert_eq!(stdout, prefixed);
    // The site at the repository's root: paths as they are.
    let (_, stdout, _) = check_github(&site, Some(site.root()));
    assert_eq!(stdout, EXPECTED);
}

#[test]
fn the_human_format_is_unchanged_by_the_github_one() {
    let site = broken_site();
    let run = common::feidi(&["check", "--root", site.root().to_str().unwrap()]);
    assert_eq!(run.code, 2);
    assert_eq!(run.stdout, "4 errors, 7 warnings.\n");
    assert!(
        run.stderr.starts_with("error: invalid file name `100%,x`\n  --> content/enclaves/100%,x.md\n"),
        "{}",
        run.stderr
    );
    assert!(!run.stderr.contains("::error"), "{}", run.stderr);
}

#[test]
fn a_clean_site_prints_no_annotation() {
    let site = TestSite::fixture("basic");
    let (code, stdout, stderr) = check_github(&site, None);
    assert_eq!(code, 0);
    assert!(stdout.lines().all(|l| l.starts_with("::warning file=content/")), "{stdout}");
    assert_eq!(stderr, "No errors, 6 warnings.\n");
}
