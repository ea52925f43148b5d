//! Every class of bad input: the build fails with a message naming the file, the line and what
//! to do, reports all problems together, and leaves the previous `public/` exactly as it was.

mod common;
use common::TestSite;

/// The 1-based line of the first line of `rel` containing `needle`.
fn line_of(site: &TestSite, rel: &str, needle: &str) -> usize {
    site.read(rel).lines().position(|l| l.contains(needle)).unwrap_or_else(|| panic!("{needle:?} not in {rel}")) + 1
}

/// Builds the good fixture, applies `breakage`, rebuilds, and checks that the build failed, that
/// every `(file:line, text)` expectation appears in the messages, and that `public/` is unchanged.
fn assert_rejected(breakage: impl FnOnce(&TestSite) -> Vec<(String, &'static str)>) -> String {
    let site = TestSite::fixture("basic");
    site.build_ok();
    let before = site.snapshot();
    assert!(before.contains_key("index.html"));
    let expectations = breakage(&site);
    let run = site.build(&[]);
    assert_ne!(run.code, 0, "build should fail; stdout: {}", run.stdout);
    for (location, text) in &expectations {
        assert!(run.stderr.contains(location.as_str()), "message should name {location}:\n{}", run.stderr);
        assert!(run.stderr.contains(text), "message should say {text:?}:\n{}", run.stderr);
    }
    assert!(run.stderr.contains("Nothing was written"), "{}", run.stderr);
    assert!(site.snapshot() == before, "public/ must be left exactly as it was");
    run.stderr
}

const ALPHA: &str = "content/enclaves/alpha.md";
const BETA: &str = "content/enclaves/beta.md";
const GAMMA: &str = "content/enclaves/gamma.md";
const PLACES: &str = "content/terms/places.yaml";

#[test]
fn malformed_yaml() {
    assert_rejected(|s| {
        s.edit(ALPHA, "name: 阿尔法创新中心", "name: 阿尔法: 创新中心");
        vec![(format!("{ALPHA}:{}", line_of(s, ALPHA, "阿尔法: 创新中心")), "invalid YAML")]
    });
}

#[test]
fn missing_front_matter() {
    let err = assert_rejected(|s| {
        s.write(GAMMA, "name: 伽马飞地\n\n正文\n");
        vec![(format!("{GAMMA}:1"), "missing front matter")]
    });
    assert!(err.contains("start the file with a line `---`"), "{err}");
}

#[test]
fn unterminated_front_matter() {
    assert_rejected(|s| {
        s.write(GAMMA, "---\nname: 伽马飞地\nhome: jiashan\nhost: hongqiao\n\n正文\n");
        vec![(format!("{GAMMA}:1"), "front matter is not closed")]
    });
}

#[test]
fn missing_required_field() {
    let err = assert_rejected(|s| {
        s.edit(GAMMA, "host: hongqiao\n", "");
        vec![(format!("{GAMMA}:1"), "missing required field `host`")]
    });
    assert!(err.contains("add a line such as `host:"), "{err}");
}

#[test]
fn unknown_key_suggests_the_closest() {
    let err = assert_rejected(|s| {
        s.edit(ALPHA, "sectors:", "sector:");
        vec![(format!("{ALPHA}:{}:1", line_of(s, ALPHA, "sector:")), "unknown field `sector`")]
    });
    assert!(err.contains("did you mean `sectors`?"), "{err}");
}

#[test]
fn unknown_reference_lists_candidates() {
    let err = assert_rejected(|s| {
        s.edit(ALPHA, "  - 新材料", "  - 新材科");
        vec![(format!("{ALPHA}:{}:5", line_of(s, ALPHA, "新材科")), "unknown sector `新材科`")]
    });
    assert!(err.contains("`新材料`"), "closest candidate named: {err}");
    assert!(err.contains("content/terms/sectors.yaml"), "{err}");
}

#[test]
fn unknown_place_in_flow_list_and_scalar() {
    assert_rejected(|s| {
        s.edit(BETA, "host: shenzhen", "host: shenzen");
        vec![(format!("{BETA}:{}:7", line_of(s, BETA, "shenzen")), "unknown place `shenzen`")]
    });
}

#[test]
fn ambiguous_reference() {
    let err = assert_rejected(|s| {
        let places = s.read(PLACES)
            + "- id: minhang-park\n  name: 闵行园区\n  name_en: MINHANG\n  level: zone\n  parent: minhang\n";
        s.write(PLACES, &places);
        s.edit(ALPHA, "host: 闵行区", "host: Minhang");
        vec![(format!("{ALPHA}:{}", line_of(s, ALPHA, "host: Minhang")), "could mean several places")]
    });
    assert!(err.contains("`minhang`") && err.contains("`minhang-park`"), "{err}");
}

#[test]
fn an_id_wins_over_a_name_that_differs_only_in_case() {
    let site = TestSite::fixture("basic");
    let places = site.read(PLACES)
        + "- id: minhang-park\n  name: 闵行园区\n  name_en: MINHANG\n  level: zone\n  parent: minhang\n";
    site.write(PLACES, &places);
    site.edit(ALPHA, "host: 闵行区", "host: minhang");
    site.build_ok();
    assert!(site.page("enclaves/alpha/index.html").contains("places/minhang/"));
}

/// Appends `item` to the sectors file and returns the location (`file:line`) of the appended
/// line that contains `marker`.
fn append_sector(s: &TestSite, item: &str, marker: &str) -> String {
    const SECTORS: &str = "content/terms/sectors.yaml";
    let before = s.read(SECTORS);
    s.write(SECTORS, &(before.clone() + item));
    let offset = item.lines().position(|l| l.contains(marker)).expect("marker in the item");
    format!("{SECTORS}:{}", before.lines().count() + offset + 1)
}

#[test]
fn duplicate_id() {
    assert_rejected(|s| vec![(append_sector(s, "- id: ai\n  name: 智能\n", "id: ai"), "duplicate id `ai`")]);
}

#[test]
fn duplicate_name_or_alias() {
    assert_rejected(|s| {
        let at = append_sector(s, "- id: ai2\n  name: 人工智能\n", "name: 人工智能");
        vec![(at, "`人工智能` is already a name or alias of sector `ai`")]
    });
}

#[test]
fn invalid_file_stem() {
    let err = assert_rejected(|s| {
        s.write("content/enclaves/Wuxi_Center.md", &s.read(GAMMA));
        vec![("content/enclaves/Wuxi_Center.md".into(), "invalid file name `Wuxi_Center`")]
    });
    assert!(err.contains("rename it to `wuxi-center.md`"), "{err}");
}

#[test]
fn invalid_date() {
    assert_rejected(|s| {
        s.edit(ALPHA, "opened: 2021-06", "opened: 2021-13");
        vec![(format!("{ALPHA}:{}:9", line_of(s, ALPHA, "opened:")), "`opened` is not a valid date: `2021-13`")]
    });
}

#[test]
fn negative_number() {
    assert_rejected(|s| {
        s.edit(ALPHA, "area_m2: 2200", "area_m2: -5");
        vec![(format!("{ALPHA}:{}", line_of(s, ALPHA, "area_m2")), "`area_m2` must not be negative")]
    });
}

#[test]
fn non_numeric_number() {
    let err = assert_rejected(|s| {
        s.edit(ALPHA, "workstations: 199", "workstations: 一百九十九");
        vec![(format!("{ALPHA}:{}", line_of(s, ALPHA, "workstations")), "`workstations` must be a number")]
    });
    assert!(err.contains("write digits only"), "{err}");
}

#[test]
fn landing_rate_outside_zero_to_one() {
    let err = assert_rejected(|s| {
        s.edit(ALPHA, "landing_rate: 0.5", "landing_rate: 50");
        vec![(format!("{ALPHA}:{}", line_of(s, ALPHA, "landing_rate")), "`landing_rate` must be between 0 and 1")]
    });
    assert!(err.contains("landing_rate: 0.5"), "suggests the share: {err}");
}

#[test]
fn parent_cycle() {
    assert_rejected(|s| {
        s.edit(
            PLACES,
            "  level: province\n  regions: [yrd]\n  lat: 32.06",
            "  level: province\n  parent: wuxi\n  regions: [yrd]\n  lat: 32.06",
        );
        vec![(format!("{PLACES}:{}", line_of(s, PLACES, "parent: wuxi")), "`parent` cycle: jiangsu → wuxi → jiangsu")]
    });
}

#[test]
fn non_utf8_file() {
    assert_rejected(|s| {
        // "你好" in GBK on the second line.
        s.write_bytes(
            GAMMA,
            b"---\nname: \xc4\xe3\xba\xc3\nhome: jiashan\nhost: hongqiao\nsources:\n  - title: t\n---\n",
        );
        vec![(format!("{GAMMA}:2:7"), "not valid UTF-8")]
    });
}

#[test]
fn empty_sectors_list() {
    let err = assert_rejected(|s| {
        s.edit(BETA, "sectors: [AI]", "sectors: []");
        vec![(format!("{BETA}:{}", line_of(s, BETA, "sectors: []")), "`sectors` is an empty list")]
    });
    assert!(err.contains("leave the field out"), "{err}");
}

#[test]
fn missing_sources() {
    assert_rejected(|s| {
        s.edit(GAMMA, "sources:\n  - title: 测试来源\n", "");
        vec![(format!("{GAMMA}:1"), "missing required field `sources`")]
    });
}

#[test]
fn every_problem_is_reported_at_once() {
    let err = assert_rejected(|s| {
        s.edit(ALPHA, "area_m2: 2200", "area_m2: -5");
        s.edit(BETA, "sectors: [AI]", "sectors: [AJ]");
        s.edit(PLACES, "level: county", "level: countyy");
        s.write("content/enclaves/Bad.md", "x");
        vec![
            (format!("{ALPHA}:{}", line_of(s, ALPHA, "area_m2"))),
            (format!("{BETA}:{}", line_of(s, BETA, "sectors"))),
            (format!("{PLACES}:{}", line_of(s, PLACES, "countyy"))),
            ("content/enclaves/Bad.md".to_string()),
        ]
        .into_iter()
        .map(|l| (l, "error"))
        .collect()
    });
    assert!(err.contains("Build failed: 4 errors"), "{err}");
    assert!(err.contains("did you mean `county`?"), "{err}");
}

#[test]
fn output_folder_is_created_only_by_a_good_build() {
    let site = TestSite::fixture("basic");
    site.edit(ALPHA, "area_m2: 2200", "area_m2: -5");
    let run = site.build(&[]);
    assert_ne!(run.code, 0);
    assert!(!site.public().exists(), "a failed first build writes nothing");
}

#[test]
fn broken_internal_link_in_a_body() {
    let err = assert_rejected(|s| {
        s.edit(ALPHA, "(@/enclaves/beta.md)", "(@/enclaves/betta.md)");
        vec![(format!("{ALPHA}:{}:", line_of(s, ALPHA, "betta")), "link to `@/enclaves/betta.md`, which is no page")]
    });
    assert!(err.contains("did you mean") && err.contains("`@/enclaves/beta.md`"), "{err}");
}

#[test]
fn odd_yaml_shapes_are_errors_not_crashes() {
    for front in [
        "name: [1, 2]\nhome: {a: b}\nhost: hongqiao\nsources: x",
        "name: !tag 伽马\nhome: &a jiashan\nhost: *a\nsources:\n  - title: t",
        "name: 伽马\nhome: jiashan\nhost: hongqiao\nsectors: {a: 1}\noperators: [[1]]\noutcomes: 5\nsources: [{title: [t]}]",
        "name: 伽马\nhome: jiashan\nhost: hongqiao\narea_m2: 1e400\nworkstations: .nan\nopened: 99999\nsources:\n  - {}",
        "- 伽马\n- jiashan",
        "~",
        "name: 伽马\nname: 重复\nhome: jiashan\nhost: hongqiao\nsources:\n  - title: t",
    ] {
        let site = TestSite::fixture("basic");
        site.write(GAMMA, &format!("---\n{front}\n---\nbody\n"));
        let run = site.build(&[]);
        assert_eq!(run.code, 1, "a clean failure, not a crash, for:\n{front}\n{}", run.stderr);
        assert!(run.stderr.contains(GAMMA), "names the file for:\n{front}\n{}", run.stderr);
        assert!(!run.stderr.contains("panicked"), "{}", run.stderr);
    }
}

#[test]
fn links_to_other_sites_must_be_web_addresses() {
    let err = assert_rejected(|s| {
        s.edit("content/operators/cmsk.md", "hq: shenzhen", "hq: shenzhen\nwebsite: \"javascript:alert(1)\"");
        s.edit(GAMMA, "  - title: 测试来源", "  - title: 测试来源\n    url: www.example.com");
        vec![
            (
                format!("content/operators/cmsk.md:{}", line_of(s, "content/operators/cmsk.md", "website")),
                "`website` must start with http:// or https://",
            ),
            (format!("{GAMMA}:{}", line_of(s, GAMMA, "url:")), "source url must start with http:// or https://"),
        ]
    });
    assert!(err.contains("Build failed: 2 errors"), "{err}");
}
