//! `feidi check`: every problem at once, compiler style or as JSON, without writing anything;
//! warnings for what editors should fill in; exit codes for CI.

mod common;
use common::{TestSite, feidi};
use serde_json::Value;

const ALPHA: &str = "content/enclaves/alpha.md";
const BETA: &str = "content/enclaves/beta.md";
const GAMMA: &str = "content/enclaves/gamma.md";
const PLACES: &str = "content/terms/places.yaml";

/// Runs `feidi check --format json` (with `extra` arguments) and parses the report.
fn check_json(site: &TestSite, extra: &[&str]) -> (i32, Value) {
    let mut args = vec!["check", "--root", site.root().to_str().unwrap(), "--format", "json"];
    args.extend_from_slice(extra);
    let run = feidi(&args);
    let report = serde_json::from_str(&run.stdout).unwrap_or_else(|e| panic!("{e}: {}", run.stdout));
    (run.code, report)
}

/// The 1-based line of the first line of `rel` containing `needle`.
fn line_of(site: &TestSite, rel: &str, needle: &str) -> u64 {
    site.read(rel).lines().position(|l| l.contains(needle)).unwrap_or_else(|| panic!("{needle:?} not in {rel}")) as u64
        + 1
}

/// The diagnostic of `severity` in `file` at `line` whose message contains `text`.
fn find<'a>(report: &'a Value, severity: &str, file: &str, line: u64, text: &str) -> &'a Value {
    report["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .find(|d| {
            d["severity"] == severity
                && d["file"] == file
                && d["line"] == line
                && d["message"].as_str().unwrap().contains(text)
        })
        .unwrap_or_else(|| panic!("no {severity} `{text}` at {file}:{line} in\n{report:#}"))
}

/// Fills in what the fixture leaves out, so that it checks clean.
fn complete(site: &TestSite) {
    site.edit(BETA, "sectors: [AI]", "sectors: [AI]\nopened: 2020");
    site.edit(BETA, "  - title: 测试来源", "  - title: 测试来源\n    url: https://example.com/b\n    date: 2020-01-02");
    site.edit(GAMMA, "host: hongqiao", "host: hongqiao\nmodel: co_built\nsectors: [ai]\nopened: 2019-05");
    site.edit(
        GAMMA,
        "  - title: 测试来源",
        "  - title: 测试来源\n    url: https://example.com/g\n    date: 2020-01-02",
    );
}

#[test]
fn a_clean_site_exits_0_with_an_empty_report() {
    let site = TestSite::fixture("basic");
    complete(&site);
    let (code, report) = check_json(&site, &["--deny-warnings"]);
    assert_eq!(code, 0, "{report:#}");
    assert_eq!(report, serde_json::json!({"version": 1, "errors": 0, "warnings": 0, "diagnostics": []}));
    let human = feidi(&["check", "--root", site.root().to_str().unwrap()]);
    assert_eq!(human.code, 0);
    assert!(human.stdout.contains("No errors, 0 warnings."), "{}", human.stdout);
}

#[test]
fn warnings_exit_0_or_1_with_deny_warnings() {
    let site = TestSite::fixture("basic");
    let (code, report) = check_json(&site, &[]);
    assert_eq!(code, 0);
    assert_eq!(report["errors"], 0);
    assert_eq!(report["warnings"], 6);
    let (code, _) = check_json(&site, &["--deny-warnings"]);
    assert_eq!(code, 1);
}

#[test]
fn every_warning_class() {
    let site = TestSite::fixture("basic");
    complete(&site);
    // No model, no sectors, no opening date.
    site.edit(GAMMA, "model: co_built\nsectors: [ai]\nopened: 2019-05\n", "");
    // A source without url or date, in an enclave and in an operator.
    site.edit(ALPHA, "    url: https://example.com/a\n", "");
    site.edit("content/operators/cmsk.md", "hq: shenzhen", "hq: shenzhen\nsources:\n  - title: 公司年报");
    // A place that enclaves sit at, without coordinates.
    site.edit(PLACES, "  parent: shanghai\n  lat: 31.11\n  lon: 121.38\n", "  parent: shanghai\n");
    // An operator no enclave names.
    site.write("content/operators/idle.md", "---\nname: 闲置公司\nkind: other\n---\n\n没有运营任何飞地。\n");
    let (code, report) = check_json(&site, &[]);
    assert_eq!(code, 0, "warnings alone do not fail: {report:#}");
    assert_eq!(report["errors"], 0, "{report:#}");
    let top = line_of(&site, GAMMA, "---");
    for key in ["model", "sectors", "opened"] {
        let d = find(&report, "warning", GAMMA, top, &format!("no `{key}`"));
        assert!(d["help"].as_str().unwrap().contains(&format!("add `{key}`")));
    }
    find(&report, "warning", ALPHA, line_of(&site, ALPHA, "- title: 测试来源"), "source `测试来源` has no `url`");
    let op = "content/operators/cmsk.md";
    find(&report, "warning", op, line_of(&site, op, "- title: 公司年报"), "has no `url` or `date`");
    let d =
        find(&report, "warning", PLACES, line_of(&site, PLACES, "- id: minhang"), "place `minhang` has no coordinates");
    assert!(d["help"].as_str().unwrap().contains("lat:"));
    let idle = "content/operators/idle.md";
    find(&report, "warning", idle, line_of(&site, idle, "name:"), "operator `idle` is named by no enclave");
    assert_eq!(report["warnings"], 7, "{report:#}");
    let (code, _) = check_json(&site, &["--deny-warnings"]);
    assert_eq!(code, 1);
}

#[test]
fn every_error_class_at_once_with_file_and_line() {
    let site = TestSite::fixture("basic");
    site.build_ok();
    // One file can hold several problems as long as its YAML still parses.
    site.edit(ALPHA, "sectors:", "sector:");
    site.edit(ALPHA, "area_m2: 2200", "area_m2: -5");
    site.edit(ALPHA, "opened: 2021-06", "opened: 2021-13");
    site.edit(ALPHA, "workstations: 199", "workstations: 一百九十九");
    site.edit(ALPHA, "landing_rate: 0.5", "landing_rate: 50");
    site.edit(ALPHA, "(@/enclaves/beta.md)", "(@/enclaves/betta.md)");
    site.edit(
        ALPHA,
        "阿尔法中心的**描述**。",
        "阿尔法中心的**描述**。[甲](/enclaves/nope/) [乙](../operators/cmsk/) [丙](../../operators/nobody/)",
    );
    site.edit(BETA, "sectors: [AI]", "sectors: [AJ]");
    site.edit(BETA, "host: shenzhen", "host: Minhang");
    site.write(
        PLACES,
        &(site.read(PLACES)
            + "- id: minhang-park\n  name: 闵行园区\n  name_en: MINHANG\n  level: zone\n  parent: minhang\n"),
    );
    site.edit(
        PLACES,
        "  level: province\n  regions: [yrd]\n  lat: 32.06",
        "  level: province\n  parent: wuxi\n  regions: [yrd]\n  lat: 32.06",
    );
    site.edit(PLACES, "level: county", "level: countyy");
    site.write("content/terms/sectors.yaml", &(site.read("content/terms/sectors.yaml") + "- id: ai\n  name: 智能\n"));
    site.edit(GAMMA, "name: 伽马飞地", "name: \"TODO: 名称\"");
    site.edit(GAMMA, "sources:\n  - title: 测试来源\n", "");
    site.edit(GAMMA, "伽马飞地没有报告运营模式。", "TODO: describe it");
    let e = |name: &str| format!("content/enclaves/{name}.md");
    site.write(&e("Bad_Name"), "---\nname: x\n---\n");
    site.write(&e("no-front-matter"), "name: x\n");
    site.write(&e("unterminated"), "---\nname: x\nhome: jiashan\n");
    site.write(&e("bad-yaml"), "---\nname: a: b\n---\n");
    site.write_bytes(&e("gbk"), b"---\nname: \xc4\xe3\n---\n");
    site.write(
        &e("empty-sectors"),
        "---\nname: 空\nhome: jiashan\nhost: hongqiao\nsectors: []\nsources:\n  - title: t\n---\n",
    );
    site.write(&e("no-host"), "---\nname: 无\nhome: jiashan\nsources:\n  - title: t\n---\n");
    let before = site.snapshot();

    let (code, report) = check_json(&site, &[]);
    assert_eq!(code, 2, "{report:#}");
    let l = |rel: &str, needle: &str| line_of(&site, rel, needle);
    let expected: Vec<(String, u64, &str)> = vec![
        (ALPHA.into(), l(ALPHA, "sector:"), "unknown field `sector`"),
        (ALPHA.into(), l(ALPHA, "area_m2"), "`area_m2` must not be negative"),
        (ALPHA.into(), l(ALPHA, "opened:"), "`opened` is not a valid date"),
        (ALPHA.into(), l(ALPHA, "workstations"), "`workstations` must be a number"),
        (ALPHA.into(), l(ALPHA, "landing_rate"), "`landing_rate` must be between 0 and 1"),
        (ALPHA.into(), l(ALPHA, "betta"), "link to `@/enclaves/betta.md`, which is no page"),
        (ALPHA.into(), l(ALPHA, "/enclaves/nope/"), "link to `/enclaves/nope/`, which is no page"),
        (ALPHA.into(), l(ALPHA, "/operators/nobody/"), "link to `../../operators/nobody/`, which is no page"),
        (BETA.into(), l(BETA, "AJ"), "unknown sector `AJ`"),
        (BETA.into(), l(BETA, "Minhang"), "could mean several places"),
        (PLACES.into(), l(PLACES, "parent: wuxi"), "`parent` cycle"),
        (PLACES.into(), l(PLACES, "countyy"), "countyy"),
        ("content/terms/sectors.yaml".into(), l("content/terms/sectors.yaml", "name: 智能") - 1, "duplicate id `ai`"),
        (GAMMA.into(), l(GAMMA, "TODO: 名称"), "placeholder left in `name`"),
        (GAMMA.into(), l(GAMMA, "TODO: describe"), "placeholder left in the description"),
        (GAMMA.into(), 1, "missing required field `sources`"),
        (e("Bad_Name"), 0, "invalid file name `Bad_Name`"),
        (e("no-front-matter"), 1, "missing front matter"),
        (e("unterminated"), 1, "front matter is not closed"),
        (e("bad-yaml"), 2, "invalid YAML"),
        (e("gbk"), 2, "not valid UTF-8"),
        (e("empty-sectors"), 5, "`sectors` is an empty list"),
        (e("no-host"), 1, "missing required field `host`"),
    ];
    for (file, line, text) in &expected {
        find(&report, "error", file, *line, text);
    }
    assert!(report["errors"].as_u64().unwrap() >= expected.len() as u64);
    // Relative links into a section are checked by the page they name; this one exists.
    assert!(!report.to_string().contains("../operators/cmsk/`, which"), "{report:#}");
    // Hints are there.
    let help = |file: &str, needle: &str, text: &str| {
        find(&report, "error", file, l(file, needle), text)["help"].as_str().unwrap().to_string()
    };
    assert!(help(ALPHA, "sector:", "unknown field").contains("did you mean `sectors`?"));
    assert!(help(BETA, "AJ", "unknown sector").contains("`AI`"));
    assert!(site.snapshot() == before, "check writes nothing");
}

#[test]
fn the_json_report_is_sorted_relative_and_complete() {
    let site = TestSite::fixture("basic");
    site.edit(BETA, "sectors: [AI]", "sectors: [AJ]");
    site.edit(ALPHA, "host: 闵行区", "host: 闵行X区");
    // An absolute --root: paths in the report stay relative.
    let (code, report) = check_json(&site, &[]);
    assert_eq!(code, 2);
    assert_eq!(report["version"], 1);
    let diags = report["diagnostics"].as_array().unwrap();
    assert_eq!(report["errors"].as_u64().unwrap() + report["warnings"].as_u64().unwrap(), diags.len() as u64);
    let keys: Vec<&str> = diags[0].as_object().unwrap().keys().map(String::as_str).collect();
    let mut wanted = vec!["severity", "file", "line", "column", "message", "help", "snippet"];
    wanted.sort();
    let mut keys = keys;
    keys.sort();
    assert_eq!(keys, wanted);
    let order: Vec<(String, u64, u64)> = diags
        .iter()
        .map(|d| (d["file"].as_str().unwrap().to_string(), d["line"].as_u64().unwrap(), d["column"].as_u64().unwrap()))
        .collect();
    let mut sorted = order.clone();
    sorted.sort();
    assert_eq!(order, sorted, "sorted by file, line, column");
    for d in diags {
        let file = d["file"].as_str().unwrap();
        assert!(!file.starts_with('/') && !file.contains(site.root().to_str().unwrap()), "{file}");
    }
    let host = find(&report, "error", ALPHA, 6, "unknown place `闵行X区`");
    assert_eq!(host["column"], 7);
    assert_eq!(host["snippet"], "host: 闵行X区");
    assert!(host["help"].as_str().unwrap().contains("`闵行区`"));
}

#[test]
fn the_human_format_is_compiler_style() {
    let site = TestSite::fixture("basic");
    site.edit(ALPHA, "sectors:", "sector:");
    let run = feidi(&["check", "--root", site.root().to_str().unwrap()]);
    assert_eq!(run.code, 2);
    let line = line_of(&site, ALPHA, "sector:");
    assert!(run.stderr.contains("error: unknown field `sector` in this enclave"), "{}", run.stderr);
    assert!(run.stderr.contains(&format!("--> {ALPHA}:{line}:1")), "{}", run.stderr);
    assert!(run.stderr.contains(&format!("{line} | sector:")), "{}", run.stderr);
    assert!(run.stderr.contains("| ^^^^^^^"), "caret under the key: {}", run.stderr);
    assert!(run.stderr.contains("= help: did you mean `sectors`?"), "{}", run.stderr);
    // The misspelt key also leaves the sectors unreported: one more warning than the fixture's six.
    assert!(run.stdout.contains("1 error, 7 warnings."), "{}", run.stdout);
}

/// Acknowledges every gap of the fixture (and of an idle operator and a place without
/// coordinates, added by the caller) with `not_reported`.
fn acknowledge_gaps(site: &TestSite) {
    site.edit(BETA, "sectors: [AI]", "sectors: [AI]\nnot_reported: [opened]");
    site.edit(BETA, "  - title: 测试来源", "  - title: 测试来源\n    not_reported: [url, date]");
    site.edit(GAMMA, "host: hongqiao", "host: hongqiao\nnot_reported: [model, sectors, opened, area_m2]");
    site.edit(GAMMA, "  - title: 测试来源", "  - title: 测试来源\n    not_reported: [url, date]");
    site.edit("content/operators/idle.md", "kind: other", "kind: other\nnot_reported: [enclaves]");
    site.edit(PLACES, "  parent: 上海\n", "  parent: 上海\n  not_reported: [lat, lon]\n");
}

#[test]
fn acknowledged_gaps_no_longer_warn_and_the_pages_still_say_not_reported() {
    let site = TestSite::fixture("basic");
    // Gaps of every class: an operator no enclave names, a place without coordinates.
    site.write("content/operators/idle.md", "---\nname: 闲置公司\nkind: other\n---\n\n来源没有提到它运营的飞地。\n");
    site.edit(PLACES, "  parent: 上海\n  lat: 31.19\n  lon: 121.32\n", "  parent: 上海\n");
    let (code, report) = check_json(&site, &[]);
    assert_eq!((code, report["errors"].as_u64(), report["warnings"].as_u64()), (0, Some(0), Some(8)), "{report:#}");
    site.build_ok();
    let before = site.snapshot();

    acknowledge_gaps(&site);
    let (code, report) = check_json(&site, &["--deny-warnings"]);
    assert_eq!(code, 0, "{report:#}");
    assert_eq!(report, serde_json::json!({"version": 1, "errors": 0, "warnings": 0, "diagnostics": []}));
    let human = feidi(&["check", "--root", site.root().to_str().unwrap(), "--deny-warnings"]);
    assert_eq!(human.code, 0, "{}", human.stderr);
    assert!(human.stdout.contains("No errors, 0 warnings."), "{}", human.stdout);

    // An acknowledgement changes what `check` asks for, nothing on the site.
    site.build_ok();
    assert!(site.snapshot() == before, "the built site is byte for byte the same");
    let gamma = site.page("enclaves/gamma/index.html");
    for label in ["运营模式", "产业方向", "建筑面积", "启用时间"] {
        let row = format!("<dt>{label}</dt><dd><span class=\"nr\">未报道</span></dd>");
        let num_row = format!("<dt>{label}</dt><dd class=\"num\"><span class=\"nr\">未报道</span></dd>");
        assert!(gamma.contains(&row) || gamma.contains(&num_row), "gamma's {label} shows 未报道");
    }
    // A single text counts as a one-item list.
    site.edit(BETA, "not_reported: [opened]", "not_reported: opened");
    assert_eq!(check_json(&site, &["--deny-warnings"]).0, 0);
}

#[test]
fn an_acknowledgement_of_what_is_there_is_an_error_at_its_line() {
    let site = TestSite::fixture("basic");
    site.build_ok();
    let before = site.snapshot();
    // Figures the file gives, a source's url, coordinates, an operator an enclave names.
    site.edit(ALPHA, "offices: 18", "offices: 18\nnot_reported: [area_m2, landing_rate]");
    site.edit(ALPHA, "    date: 2022-01-05", "    date: 2022-01-05\n    not_reported: [url]");
    site.edit("content/operators/cmsk.md", "hq: shenzhen", "hq: shenzhen\nnot_reported: [enclaves]");
    site.edit(
        PLACES,
        "  parent: shanghai\n  lat: 31.11",
        "  parent: shanghai\n  not_reported: [lat, lon]\n  lat: 31.11",
    );
    // What cannot be acknowledged: a misspelt field, a required one, a repeat, one coordinate.
    site.edit(GAMMA, "host: hongqiao", "host: hongqiao\nnot_reported: [modle, host, opened, opened]");
    site.edit(PLACES, "- id: yrd\n", "- id: yrd\n  not_reported: [lat]\n");
    let (code, report) = check_json(&site, &[]);
    assert_eq!(code, 2, "{report:#}");
    let l = |rel: &str, needle: &str| line_of(&site, rel, needle);
    let ack = l(ALPHA, "not_reported: [area_m2");
    let d = find(&report, "error", ALPHA, ack, "`area_m2` is marked not reported");
    let area = l(ALPHA, "area_m2: 2200");
    assert!(d["message"].as_str().unwrap().ends_with(&format!("this enclave gives it on line {area}")), "{d:#}");
    assert_eq!(d["column"], 16, "the caret is under the item");
    let help = d["help"].as_str().unwrap();
    assert!(help.contains("remove `area_m2` from `not_reported`") && help.contains(&format!("line {area}")), "{help}");
    find(&report, "error", ALPHA, ack, "`landing_rate` is marked not reported");
    find(&report, "error", ALPHA, l(ALPHA, "not_reported: [url]"), "`url` is marked not reported, but this source");
    let op = "content/operators/cmsk.md";
    let d = find(&report, "error", op, l(op, "not_reported"), "`enclaves` is marked not reported");
    assert!(d["message"].as_str().unwrap().contains("enclave `alpha` (content/enclaves/alpha.md) names"), "{d:#}");
    find(&report, "error", PLACES, l(PLACES, "not_reported: [lat, lon]"), "`lat` is marked not reported");
    find(&report, "error", PLACES, l(PLACES, "not_reported: [lat, lon]"), "`lon` is marked not reported");
    let d = find(&report, "error", PLACES, l(PLACES, "not_reported: [lat]"), "names `lat` alone");
    assert!(d["help"].as_str().unwrap().contains("not_reported: [lat, lon]"));
    let gaps = l(GAMMA, "not_reported");
    let d = find(&report, "error", GAMMA, gaps, "unknown field `modle` in `not_reported`");
    assert_eq!(d["help"], "did you mean `model`?");
    let d = find(&report, "error", GAMMA, gaps, "`host` cannot be marked not reported");
    assert!(d["help"].as_str().unwrap().contains("`opened`"), "the help lists what can be");
    find(&report, "error", GAMMA, gaps, "`opened` is listed twice");
    assert_eq!(report["errors"], 10, "{report:#}");
    // What the wrong items meant to acknowledge is still asked for: gamma's model and sectors.
    find(&report, "warning", GAMMA, 1, "no `model`");

    // The build stops with the same messages, compiler style, and leaves public/ alone.
    let run = site.build(&[]);
    assert!(!run.ok());
    assert!(run.stderr.contains(&format!("--> {ALPHA}:{ack}:16")), "{}", run.stderr);
    assert!(site.snapshot() == before, "public/ is unchanged");
}

#[test]
fn the_shipped_content_passes_check_with_deny_warnings() {
    let root = common::repo();
    let run = feidi(&["check", "--root", root.to_str().unwrap(), "--deny-warnings"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert_eq!(run.stdout.trim(), "No errors, 0 warnings.");
    assert_eq!(run.stderr, "", "no message at all");
}
