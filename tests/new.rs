//! `feidi new`: a file with every field, placeholders that `check` and `build` reject until they
//! are replaced, and no overwriting.

mod common;
use common::{TestSite, feidi};

fn new(site: &TestSite, kind: &str, slug: &str) -> common::Run {
    feidi(&["new", kind, slug, "--root", site.root().to_str().unwrap()])
}

fn check(site: &TestSite) -> common::Run {
    feidi(&["check", "--root", site.root().to_str().unwrap()])
}

/// The errors `feidi check --format json` reports, as `(file, line, message)`.
fn errors(site: &TestSite) -> Vec<(String, u64, String)> {
    let run = feidi(&["check", "--root", site.root().to_str().unwrap(), "--format", "json"]);
    let report: serde_json::Value = serde_json::from_str(&run.stdout).unwrap();
    report["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|d| d["severity"] == "error")
        .map(|d| {
            (d["file"].as_str().unwrap().into(), d["line"].as_u64().unwrap(), d["message"].as_str().unwrap().into())
        })
        .collect()
}

/// The 1-based line of `rel` that contains `needle`.
fn line_of(site: &TestSite, rel: &str, needle: &str) -> u64 {
    site.read(rel).lines().position(|l| l.contains(needle)).unwrap_or_else(|| panic!("{needle:?} not in {rel}")) as u64
        + 1
}

/// `(file, line of needle, message)`, as [`errors`] gives them.
fn at(site: &TestSite, rel: &str, needle: &str, message: &str) -> (String, u64, String) {
    (rel.to_string(), line_of(site, rel, needle), message.to_string())
}

#[test]
fn a_new_enclave_fails_check_until_its_placeholders_are_replaced() {
    let site = TestSite::fixture("basic");
    let run = new(&site, "enclave", "delta");
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert_eq!(
        run.stdout,
        "Created content/enclaves/delta.md: replace the `TODO` placeholders, then run `feidi check`.\n"
    );
    let rel = "content/enclaves/delta.md";
    let text = site.read(rel);
    // Every field of the content format, optional ones commented out.
    for key in ["name_en", "sponsor", "address", "kind", "model", "operators", "sectors", "area_m2", "land_mu"] {
        assert!(text.contains(&format!("# {key}:")), "{key} commented out:\n{text}");
    }
    for key in
        ["workstations", "offices", "opened", "status", "outcomes", "notable_companies", "partners", "updated", "extra"]
    {
        assert!(text.contains(&format!("# {key}:")), "{key} commented out:\n{text}");
    }
    // The site's own vocabularies are offered.
    assert!(text.contains("self_operated, commissioned, co_built"), "{text}");

    let run = check(&site);
    assert_eq!(run.code, 2);
    // Each placeholder once, at its line, and nothing else (no "unknown place" for a placeholder).
    assert_eq!(
        errors(&site),
        [
            at(&site, rel, "\"TODO: Chinese name", "placeholder left in `name`"),
            at(&site, rel, "\"TODO: place that set it up", "placeholder left in `home`"),
            at(&site, rel, "\"TODO: place where it sits", "placeholder left in `host`"),
            at(&site, rel, "\"TODO: title of the article", "placeholder left in `title`"),
            at(&site, rel, "TODO: describe the enclave", "placeholder left in the description"),
        ]
    );
    let build = site.build(&[]);
    assert_eq!(build.code, 1, "build rejects placeholders too");
    let home = line_of(&site, rel, "\"TODO: place that set it up");
    assert!(
        build.stderr.contains(&format!("error: placeholder left in `home`\n  --> {rel}:{home}:7\n")),
        "{}",
        build.stderr
    );

    // Real references from the fixture: an id, a Chinese alias, a source title.
    let filled = text
        .replace("\"TODO: Chinese name of the enclave\"", "德尔塔创新中心")
        .replace("\"TODO: place that set it up\"", "huishan")
        .replace("\"TODO: place where it sits\"", "深圳")
        .replace("\"TODO: title of the article or document the facts come from\"", "测试来源")
        .replace("TODO: describe the enclave in your own words, from the sources above.", "德尔塔的描述。");
    site.write(rel, &filled);
    let run = check(&site);
    assert_eq!(run.code, 0, "{}", run.stderr);
    site.build_ok();
    assert_eq!(common::html::text(&site.page("enclaves/delta/index.html"), "<h1"), "德尔塔创新中心");
}

#[test]
fn new_operators_and_pages_work_the_same_way() {
    let site = TestSite::fixture("basic");
    assert_eq!(new(&site, "operator", "acme").code, 0);
    assert_eq!(new(&site, "page", "methodology").code, 0);
    let run = check(&site);
    assert_eq!(run.code, 2);
    let op = "content/operators/acme.md";
    let page = "content/pages/methodology.md";
    assert_eq!(
        errors(&site),
        [
            at(&site, op, "\"TODO: Chinese name", "placeholder left in `name`"),
            at(&site, op, "\"TODO: kind of operator", "placeholder left in `kind`"),
            at(&site, op, "TODO: describe the operator", "placeholder left in the description"),
            at(&site, page, "\"TODO: title of the page", "placeholder left in `title`"),
            at(&site, page, "TODO: write the page", "placeholder left in the description"),
        ]
    );
    site.write(
        op,
        &site
            .read(op)
            .replace("\"TODO: Chinese name of the operator\"", "艾克米")
            .replace("\"TODO: kind of operator\"", "association")
            .replace("TODO: describe the operator in your own words.", "一家协会。"),
    );
    site.write(
        page,
        &site
            .read(page)
            .replace("\"TODO: title of the page\"", "方法")
            .replace("TODO: write the page.", "如何收集数据。"),
    );
    let run = check(&site);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(
        run.stderr.contains("warning: operator `acme` is named by no enclave\n  --> content/operators/acme.md:"),
        "a new operator is still a warning: {}",
        run.stderr
    );
}

#[test]
fn it_refuses_to_overwrite_or_to_take_an_invalid_slug() {
    let site = TestSite::fixture("basic");
    let before = site.read("content/enclaves/alpha.md");
    let run = new(&site, "enclave", "alpha");
    assert_eq!(run.code, 1);
    assert_eq!(
        run.stderr,
        "error: content/enclaves/alpha.md already exists\n  = help: edit it, or choose another slug; nothing was written\n"
    );
    assert_eq!(site.read("content/enclaves/alpha.md"), before);

    let run = new(&site, "enclave", "Wuxi_Center");
    assert_eq!(run.code, 1);
    assert_eq!(
        run.stderr,
        "error: invalid slug `Wuxi_Center`\n  = help: try `wuxi-center`: a slug is the entry's id and URL, so it may \
         hold only lower-case ASCII letters, digits and `-`\nNothing was written.\n"
    );
    assert!(!site.path("content/enclaves/Wuxi_Center.md").exists());

    let empty = common::tempdir();
    let run = feidi(&["new", "page", "about", "--root", empty.path().to_str().unwrap()]);
    assert_eq!(run.code, 1);
    assert_eq!(
        run.stderr,
        format!(
            "error: no content folder in {}\n  = help: run feidi in the site's folder (the one holding `content/`) or \
             pass `--root DIR`\n",
            empty.path().display()
        )
    );
}
