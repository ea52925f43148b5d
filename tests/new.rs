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

#[test]
fn a_new_enclave_fails_check_until_its_placeholders_are_replaced() {
    let site = TestSite::fixture("basic");
    let run = new(&site, "enclave", "delta");
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(run.stdout.contains("content/enclaves/delta.md"), "{}", run.stdout);
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
    for field in ["name", "home", "host", "title"] {
        assert!(run.stderr.contains(&format!("placeholder left in `{field}`")), "{field}: {}", run.stderr);
    }
    assert!(run.stderr.contains("placeholder left in the description"), "{}", run.stderr);
    assert!(!run.stderr.contains("unknown place"), "a placeholder is reported once: {}", run.stderr);
    let build = site.build(&[]);
    assert_ne!(build.code, 0, "build rejects placeholders too");
    assert!(build.stderr.contains("placeholder left in `home`"), "{}", build.stderr);

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
    assert!(site.page("enclaves/delta/index.html").contains("德尔塔创新中心"));
}

#[test]
fn new_operators_and_pages_work_the_same_way() {
    let site = TestSite::fixture("basic");
    assert_eq!(new(&site, "operator", "acme").code, 0);
    assert_eq!(new(&site, "page", "methodology").code, 0);
    let run = check(&site);
    assert_eq!(run.code, 2);
    for field in ["name", "kind", "title"] {
        assert!(run.stderr.contains(&format!("placeholder left in `{field}`")), "{field}: {}", run.stderr);
    }
    let op = "content/operators/acme.md";
    site.write(
        op,
        &site
            .read(op)
            .replace("\"TODO: Chinese name of the operator\"", "艾克米")
            .replace("\"TODO: kind of operator\"", "association")
            .replace("TODO: describe the operator in your own words.", "一家协会。"),
    );
    let page = "content/pages/methodology.md";
    site.write(
        page,
        &site
            .read(page)
            .replace("\"TODO: title of the page\"", "方法")
            .replace("TODO: write the page.", "如何收集数据。"),
    );
    let run = check(&site);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(run.stderr.contains("operator `acme` is named by no enclave"), "a new operator is still a warning");
}

#[test]
fn it_refuses_to_overwrite_or_to_take_an_invalid_slug() {
    let site = TestSite::fixture("basic");
    let before = site.read("content/enclaves/alpha.md");
    let run = new(&site, "enclave", "alpha");
    assert_eq!(run.code, 1);
    assert!(run.stderr.contains("content/enclaves/alpha.md already exists"), "{}", run.stderr);
    assert_eq!(site.read("content/enclaves/alpha.md"), before);

    let run = new(&site, "enclave", "Wuxi_Center");
    assert_eq!(run.code, 1);
    assert!(
        run.stderr.contains("invalid slug `Wuxi_Center`") && run.stderr.contains("try `wuxi-center`"),
        "{}",
        run.stderr
    );
    assert!(!site.path("content/enclaves/Wuxi_Center.md").exists());

    let empty = tempfile::tempdir().unwrap();
    let run = feidi(&["new", "page", "about", "--root", empty.path().to_str().unwrap()]);
    assert_eq!(run.code, 1);
    assert!(run.stderr.contains("no content folder"), "{}", run.stderr);
}
