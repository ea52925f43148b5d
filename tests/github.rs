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
::warning file=content/enclaves/beta.md,line=1,col=1::no `opened`: the site shows \"not reported\"%0A= help: add `opened` when a source gives it; if none does, write `not_reported: [opened]` and this warning goes (the site still shows \"not reported\")
::error file=content/enclaves/beta.md,line=9,col=11::unknown sector `AJ`%0A= help: did you mean `AI` (人工智能)? (sectors are defined in content/terms/sectors.yaml)
::warning file=content/enclaves/beta.md,line=11,col=5::source `测试来源` has no `url` or `date`%0A= help: add `url:` and `date:` when you have them, so that readers can check the source; if the source has none, write `not_reported: [url, date]` under its title
::warning file=content/enclaves/gamma.md,line=1,col=1::no `model`: the site shows \"not reported\"%0A= help: add `model` when a source gives it; if none does, write `not_reported: [model]` and this warning goes (the site still shows \"not reported\")
::warning file=content/enclaves/gamma.md,line=1,col=1::no `opened`: the site shows \"not reported\"%0A= help: add `opened` when a source gives it; if none does, write `not_reported: [opened]` and this warning goes (the site still shows \"not reported\")
::warning file=content/enclaves/gamma.md,line=1,col=1::no `sectors`: the site shows \"not reported\"%0A= help: add `sectors` when a source gives it; if none does, write `not_reported: [sectors]` and this warning goes (the site still shows \"not reported\")
::warning file=content/enclaves/gamma.md,line=6,col=5::source `测试来源` has no `url` or `date`%0A= help: add `url:` and `date:` when you have them, so that readers can check the source; if the source has none, write `not_reported: [url, date]` under its title
::warning file=content/operators/cmsk.md,line=2,col=7::operator `cmsk` is named by no enclave%0A= help: list it under `operators:` in the enclaves it runs; if no source names one, write `not_reported: [enclaves]`; or delete the file
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

/// The workflow file, parsed.
fn workflow() -> serde_yaml::Value {
    let text = std::fs::read_to_string(repo().join(".github/workflows/site.yml")).unwrap();
    serde_yaml::from_str(&text).unwrap()
}

/// The words of a one-line shell command, with double and single quotes taken off.
fn words(line: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut word = String::new();
    let mut quote = None;
    let mut started = false;
    for c in line.chars() {
        match (quote, c) {
            (None, '"' | '\'') => {
                quote = Some(c);
                started = true;
            }
            (Some(q), c) if c == q => quote = None,
            (None, c) if c.is_whitespace() => {
                if started {
                    out.push(std::mem::take(&mut word));
                    started = false;
                }
            }
            (_, c) => {
                word.push(c);
                started = true;
            }
        }
    }
    assert!(quote.is_none(), "unclosed quote in {line:?}");
    if started {
        out.push(word);
    }
    out
}

/// The steps of a job.
fn steps<'a>(wf: &'a serde_yaml::Value, job: &str) -> &'a Vec<serde_yaml::Value> {
    wf["jobs"][job]["steps"].as_sequence().unwrap_or_else(|| panic!("job `{job}` has no steps"))
}

/// The `feidi` command lines of a job's `run` steps, as words.
fn feidi_runs(wf: &serde_yaml::Value, job: &str) -> Vec<Vec<String>> {
    steps(wf, job)
        .iter()
        .filter_map(|s| s["run"].as_str())
        .flat_map(|run| run.lines().map(words).collect::<Vec<_>>())
        .filter(|w| w.first().is_some_and(|c| c == "./target/release/feidi"))
        .collect()
}

/// The value after `flag` in `words`.
fn flag<'a>(words: &'a [String], flag: &str) -> Option<&'a str> {
    words.iter().position(|w| w == flag).map(|i| words[i + 1].as_str())
}

/// The step of a job that uses `action` (`actions/deploy-pages`), at any version.
fn uses<'a>(wf: &'a serde_yaml::Value, job: &str, action: &str) -> &'a serde_yaml::Value {
    steps(wf, job)
        .iter()
        .find(|s| s["uses"].as_str().is_some_and(|u| u.split('@').next() == Some(action)))
        .unwrap_or_else(|| panic!("job `{job}` does not use {action}"))
}

#[test]
fn the_workflow_checks_pull_requests_and_builds_and_deploys_main() {
    let wf = workflow();
    // YAML 1.2: `on` is a key, not `true`.
    let on = &wf["on"];
    assert!(on.get("pull_request").is_some(), "{on:?}");
    let branches = on["push"]["branches"].as_sequence().unwrap();
    assert!(branches.iter().any(|b| b == "main"), "{branches:?}");
    assert_eq!(wf["permissions"]["contents"], "read", "read-only unless a job needs more");
    let jobs = wf["jobs"].as_mapping().unwrap();
    for job in ["check", "build", "deploy"] {
        assert!(jobs.contains_key(job), "no `{job}` job");
    }
    assert_eq!(wf["jobs"]["check"]["if"], "github.event_name == 'pull_request'");
    assert_eq!(wf["jobs"]["build"]["if"], "github.event_name != 'pull_request'");

    // check: annotations on the pull request.
    let check = feidi_runs(&wf, "check");
    assert_eq!(check.len(), 1, "{check:?}");
    assert_eq!(check[0][1], "check");
    assert_eq!(flag(&check[0], "--format"), Some("github"));

    // build: the Pages address as base_url, the output folder uploaded.
    let build = feidi_runs(&wf, "build");
    assert_eq!(build.len(), 1, "{build:?}");
    assert_eq!(build[0][1], "build");
    let pages = uses(&wf, "build", "actions/configure-pages");
    let id = pages["id"].as_str().unwrap();
    assert_eq!(flag(&build[0], "--base-url"), Some(format!("${{{{ steps.{id}.outputs.base_url }}}}/").as_str()));
    let upload = uses(&wf, "build", "actions/upload-pages-artifact");
    assert_eq!(upload["with"]["path"].as_str(), flag(&build[0], "--output"), "the built folder is uploaded");

    // deploy: after build, with the permissions Pages needs, into the github-pages environment.
    let deploy = &wf["jobs"]["deploy"];
    assert_eq!(deploy["needs"], "build");
    assert_eq!(deploy["permissions"]["pages"], "write");
    assert_eq!(deploy["permissions"]["id-token"], "write");
    assert_eq!(deploy["environment"]["name"], "github-pages");
    let step = uses(&wf, "deploy", "actions/deploy-pages");
    let id = step["id"].as_str().unwrap();
    assert_eq!(deploy["environment"]["url"], format!("${{{{ steps.{id}.outputs.page_url }}}}").as_str());

    // Every job builds the binary its feidi steps run.
    for job in ["check", "build"] {
        let runs: Vec<&str> = steps(&wf, job).iter().filter_map(|s| s["run"].as_str()).collect();
        assert!(runs.contains(&"cargo build --release --locked"), "{job}: {runs:?}");
    }
    assert!(repo().join("Cargo.lock").is_file(), "--locked needs the lock file");
}

#[test]
fn the_workflow_runs_commands_that_exist_and_work_on_the_real_directory() {
    let wf = workflow();
    let out = tempfile::tempdir().unwrap();
    let public = out.path().join("public");
    for job in ["check", "build"] {
        for words in feidi_runs(&wf, job) {
            // As GitHub would run it, from the repository's root, with what the steps give.
            let args: Vec<String> = words[1..]
                .iter()
                .map(|w| w.replace("${{ steps.pages.outputs.base_url }}", "https://owner.github.io/feidi"))
                .collect();
            assert!(!args.iter().any(|a| a.contains("${{")), "an expression the test does not know: {args:?}");
            let mut args = args;
            if let Some(i) = args.iter().position(|a| a == "--output") {
                args[i + 1] = public.to_str().unwrap().to_string();
            }
            let run = Command::new(env!("CARGO_BIN_EXE_feidi"))
                .args(&args)
                .current_dir(repo())
                .env("GITHUB_WORKSPACE", repo())
                .output()
                .unwrap();
            let stderr = String::from_utf8_lossy(&run.stderr);
            assert!(run.status.success(), "`feidi {}` failed:\n{stderr}", args.join(" "));
            if args[0] == "check" {
                let stdout = String::from_utf8(run.stdout).unwrap();
                assert!(stdout.lines().all(|l| l.starts_with("::warning file=content/")), "{stdout}");
            }
        }
    }
    let home = std::fs::read_to_string(public.join("index.html")).unwrap();
    assert!(home.contains("<link rel=\"canonical\" href=\"https://owner.github.io/feidi/\">"), "project path kept");
    let sitemap = std::fs::read_to_string(public.join("sitemap.xml")).unwrap();
    assert!(sitemap.contains("<loc>https://owner.github.io/feidi/enclaves/"), "{sitemap}");
}
