//! Every class of bad input: the build fails with a message naming the file, the line and what
//! to do, reports all problems together, and leaves the previous `public/` exactly as it was.

mod common;
use common::TestSite;

/// The 1-based line of the first line of `rel` containing `needle`.
fn line_of(site: &TestSite, rel: &str, needle: &str) -> usize {
    site.read(rel).lines().position(|l| l.contains(needle)).unwrap_or_else(|| panic!("{needle:?} not in {rel}")) + 1
}

/// One message of a failed build, as printed: `error: <message>`, `  --> <at>`, the quoted
/// line, then `  = help: <help>` lines.
#[derive(Debug)]
struct Diagnostic {
    severity: String,
    message: String,
    /// `file`, `file:line` or `file:line:column`.
    at: String,
    help: Vec<String>,
}

/// The messages of a run's standard error.
fn diagnostics(stderr: &str) -> Vec<Diagnostic> {
    let lines: Vec<&str> = stderr.lines().collect();
    let mut out: Vec<Diagnostic> = Vec::new();
    for (i, line) in lines.iter().enumerate() {
        let head = line.split_once(": ").filter(|(sev, _)| *sev == "error" || *sev == "warning");
        let at = lines.get(i + 1).and_then(|l| l.trim_start().strip_prefix("--> "));
        if let (Some((severity, message)), Some(at)) = (head, at) {
            out.push(Diagnostic {
                severity: severity.into(),
                message: message.into(),
                at: at.into(),
                help: Vec::new(),
            });
        } else if let (Some(help), Some(d)) = (line.trim_start().strip_prefix("= help: "), out.last_mut()) {
            d.help.push(help.into());
        }
    }
    out
}

/// The error at `at` (with or without its column) whose message is exactly `message`.
fn find<'a>(diags: &'a [Diagnostic], at: &str, message: &str) -> &'a Diagnostic {
    let same_place = |d: &Diagnostic| d.at == at || d.at.rsplit_once(':').is_some_and(|(l, _)| l == at);
    diags
        .iter()
        .find(|d| d.severity == "error" && d.message == message && same_place(d))
        .unwrap_or_else(|| panic!("no error `{message}` at {at} in\n{diags:#?}"))
}

/// Builds the good fixture, applies `breakage`, rebuilds, and checks that the build failed, that
/// for every `(at, message)` expectation an error says exactly `message` at `at` (`file:line`,
/// with or without the column), and that `public/` is unchanged. Returns the errors found.
fn assert_rejected(breakage: impl FnOnce(&TestSite) -> Vec<(String, &'static str)>) -> Vec<Diagnostic> {
    let site = TestSite::fixture("basic");
    site.build_ok();
    let before = site.snapshot();
    assert!(before.contains_key("index.html"));
    let expectations = breakage(&site);
    let run = site.build(&[]);
    assert_eq!(run.code, 1, "build should fail; stdout: {}", run.stdout);
    let diags = diagnostics(&run.stderr);
    for (at, message) in &expectations {
        find(&diags, at, message);
    }
    let errors = diags.iter().filter(|d| d.severity == "error").count();
    let last = run.stderr.lines().last().unwrap_or_default();
    let plural = if errors == 1 { "error" } else { "errors" };
    let public = site.public();
    assert_eq!(
        last,
        format!("Build failed: {errors} {plural}. Nothing was written; {} is unchanged.", public.display()),
        "{}",
        run.stderr
    );
    assert!(site.snapshot() == before, "public/ must be left exactly as it was");
    diags
}

/// The help lines of the one error in `diags`.
fn help_of(diags: &[Diagnostic]) -> Vec<&str> {
    let errors: Vec<&Diagnostic> = diags.iter().filter(|d| d.severity == "error").collect();
    assert_eq!(errors.len(), 1, "{diags:#?}");
    errors[0].help.iter().map(String::as_str).collect()
}

const ALPHA: &str = "content/enclaves/alpha.md";
const BETA: &str = "content/enclaves/beta.md";
const GAMMA: &str = "content/enclaves/gamma.md";
const PLACES: &str = "content/terms/places.yaml";

#[test]
fn malformed_yaml() {
    assert_rejected(|s| {
        s.edit(ALPHA, "name: 阿尔法创新中心", "name: 阿尔法: 创新中心");
        let at = format!("{ALPHA}:{}:10", line_of(s, ALPHA, "阿尔法: 创新中心"));
        vec![(at, "invalid YAML: mapping values are not allowed in this context")]
    });
}

#[test]
fn missing_front_matter() {
    let err = assert_rejected(|s| {
        s.write(GAMMA, "name: 伽马飞地\n\n正文\n");
        vec![(format!("{GAMMA}:1:1"), "missing front matter")]
    });
    assert_eq!(
        help_of(&err),
        ["start the file with a line `---`, then the YAML fields, then another `---` line, then the Markdown body"]
    );
}

#[test]
fn unterminated_front_matter() {
    let err = assert_rejected(|s| {
        s.write(GAMMA, "---\nname: 伽马飞地\nhome: jiashan\nhost: hongqiao\n\n正文\n");
        vec![(format!("{GAMMA}:1:1"), "front matter is not closed")]
    });
    assert_eq!(help_of(&err), ["add a line `---` after the last YAML field, before the Markdown body"]);
}

#[test]
fn missing_required_field() {
    let err = assert_rejected(|s| {
        s.edit(GAMMA, "host: hongqiao\n", "");
        vec![(format!("{GAMMA}:1:1"), "missing required field `host` in this enclave")]
    });
    assert_eq!(help_of(&err), ["add a line such as `host: ...`"]);
}

#[test]
fn unknown_key_suggests_the_closest() {
    let err = assert_rejected(|s| {
        s.edit(ALPHA, "sectors:", "sector:");
        vec![(format!("{ALPHA}:{}:1", line_of(s, ALPHA, "sector:")), "unknown field `sector` in this enclave")]
    });
    assert_eq!(help_of(&err), ["did you mean `sectors`?"]);
}

#[test]
fn unknown_reference_lists_candidates() {
    let err = assert_rejected(|s| {
        s.edit(ALPHA, "  - 新材料", "  - 新材科");
        vec![(format!("{ALPHA}:{}:5", line_of(s, ALPHA, "新材科")), "unknown sector `新材科`")]
    });
    assert_eq!(help_of(&err), ["did you mean `新材料`? (sectors are defined in content/terms/sectors.yaml)"]);
}

#[test]
fn unknown_place_in_flow_list_and_scalar() {
    let err = assert_rejected(|s| {
        s.edit(BETA, "host: shenzhen", "host: shenzen");
        vec![(format!("{BETA}:{}:7", line_of(s, BETA, "shenzen")), "unknown place `shenzen`")]
    });
    let d = find(&err, &format!("{BETA}:4:7"), "unknown place `shenzen`");
    assert_eq!(
        d.help,
        ["did you mean one of `Shenzhen` (深圳市), `Shanghai` (上海市), `Zhejiang` (浙江省)? \
             (places are defined in content/terms/places.yaml)"]
    );
}

#[test]
fn ambiguous_reference() {
    let err = assert_rejected(|s| {
        let places = s.read(PLACES)
            + "- id: minhang-park\n  name: 闵行园区\n  name_en: MINHANG\n  level: zone\n  parent: minhang\n";
        s.write(PLACES, &places);
        s.edit(ALPHA, "host: 闵行区", "host: Minhang");
        let at = format!("{ALPHA}:{}:7", line_of(s, ALPHA, "host: Minhang"));
        vec![(at, "`Minhang` could mean several places: `minhang` (闵行区), `minhang-park` (闵行园区)")]
    });
    assert_eq!(help_of(&err), ["write the id of the place you mean"]);
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
    let err = assert_rejected(|s| {
        let at = append_sector(s, "- id: ai\n  name: 智能\n", "id: ai");
        vec![(at + ":7", "duplicate id `ai`: another sector already has it")]
    });
    assert_eq!(help_of(&err), ["give each item its own id"]);
}

#[test]
fn duplicate_name_or_alias() {
    assert_rejected(|s| {
        let at = append_sector(s, "- id: ai2\n  name: 人工智能\n", "name: 人工智能");
        vec![(at + ":9", "`人工智能` is already a name or alias of sector `ai`")]
    });
}

#[test]
fn invalid_file_stem() {
    let err = assert_rejected(|s| {
        s.write("content/enclaves/Wuxi_Center.md", &s.read(GAMMA));
        vec![("content/enclaves/Wuxi_Center.md".into(), "invalid file name `Wuxi_Center`")]
    });
    assert_eq!(
        help_of(&err),
        ["rename it to `wuxi-center.md`: a file name is the entry's id and URL, so it may hold only lower-case \
             ASCII letters, digits and `-`"]
    );
}

#[test]
fn invalid_date() {
    let err = assert_rejected(|s| {
        s.edit(ALPHA, "opened: 2021-06", "opened: 2021-13");
        vec![(format!("{ALPHA}:{}:9", line_of(s, ALPHA, "opened:")), "`opened` is not a valid date: `2021-13`")]
    });
    assert_eq!(help_of(&err), ["write it as `YYYY`, `YYYY-MM` or `YYYY-MM-DD`, e.g. `2021-06-18`"]);
}

#[test]
fn negative_number() {
    let err = assert_rejected(|s| {
        s.edit(ALPHA, "area_m2: 2200", "area_m2: -5");
        vec![(format!("{ALPHA}:{}:10", line_of(s, ALPHA, "area_m2")), "`area_m2` must not be negative, found -5")]
    });
    assert_eq!(help_of(&err), ["write the figure as the source gives it, or leave the field out"]);
}

#[test]
fn non_numeric_number() {
    let err = assert_rejected(|s| {
        s.edit(ALPHA, "workstations: 199", "workstations: 一百九十九");
        let at = format!("{ALPHA}:{}:15", line_of(s, ALPHA, "workstations"));
        vec![(at, "`workstations` must be a number, found the text `一百九十九`")]
    });
    assert_eq!(
        help_of(&err),
        ["write digits only, e.g. `workstations: 17000` (not `1.7万` or `17,000`); leave the field out if the \
             source gives no figure"]
    );
}

#[test]
fn landing_rate_outside_zero_to_one() {
    let err = assert_rejected(|s| {
        s.edit(ALPHA, "landing_rate: 0.5", "landing_rate: 50");
        let at = format!("{ALPHA}:{}:17", line_of(s, ALPHA, "landing_rate"));
        vec![(at, "`landing_rate` must be between 0 and 1, found 50")]
    });
    assert_eq!(help_of(&err), ["write a share, e.g. `landing_rate: 0.5` for 50%"], "suggests the share");
}

#[test]
fn parent_cycle() {
    assert_rejected(|s| {
        s.edit(
            PLACES,
            "  level: province\n  regions: [yrd]\n  lat: 32.06",
            "  level: province\n  parent: wuxi\n  regions: [yrd]\n  lat: 32.06",
        );
        let at = format!("{PLACES}:{}:11", line_of(s, PLACES, "parent: wuxi"));
        vec![(at, "places form a `parent` cycle: jiangsu → wuxi → jiangsu")]
    });
}

#[test]
fn non_utf8_file() {
    let err = assert_rejected(|s| {
        // "你好" in GBK on the second line.
        s.write_bytes(
            GAMMA,
            b"---\nname: \xc4\xe3\xba\xc3\nhome: jiashan\nhost: hongqiao\nsources:\n  - title: t\n---\n",
        );
        vec![(format!("{GAMMA}:2:7"), "file is not valid UTF-8 text")]
    });
    assert_eq!(help_of(&err), ["save the file as UTF-8 (GBK and other legacy encodings are not read)"]);
}

#[test]
fn empty_sectors_list() {
    let err = assert_rejected(|s| {
        s.edit(BETA, "sectors: [AI]", "sectors: []");
        vec![(format!("{BETA}:{}:10", line_of(s, BETA, "sectors: []")), "`sectors` is an empty list")]
    });
    assert_eq!(
        help_of(&err),
        ["list at least one sector, or leave the field out if the source does not say (the site then shows \
             \"not reported\")"]
    );
}

#[test]
fn missing_sources() {
    let err = assert_rejected(|s| {
        s.edit(GAMMA, "sources:\n  - title: 测试来源\n", "");
        vec![(format!("{GAMMA}:1:1"), "missing required field `sources`")]
    });
    assert_eq!(help_of(&err), ["add `sources:\\u{a}  - title: 文章标题\\u{a}    url: https://...`"]);
}

#[test]
fn every_problem_is_reported_at_once() {
    let err = assert_rejected(|s| {
        s.edit(ALPHA, "area_m2: 2200", "area_m2: -5");
        s.edit(BETA, "sectors: [AI]", "sectors: [AJ]");
        s.edit(PLACES, "level: county", "level: countyy");
        s.write("content/enclaves/Bad.md", "x");
        vec![
            (format!("{ALPHA}:{}:10", line_of(s, ALPHA, "area_m2")), "`area_m2` must not be negative, found -5"),
            (format!("{BETA}:{}:11", line_of(s, BETA, "sectors")), "unknown sector `AJ`"),
            (format!("{PLACES}:{}:10", line_of(s, PLACES, "countyy")), "unknown place level `countyy`"),
            ("content/enclaves/Bad.md".to_string(), "invalid file name `Bad`"),
        ]
    });
    assert_eq!(err.len(), 4, "four errors, no more: {err:#?}");
    let level = err.iter().find(|d| d.message == "unknown place level `countyy`").unwrap();
    assert_eq!(level.help, ["did you mean `county`?"]);
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
        let at = format!("{ALPHA}:{}", line_of(s, ALPHA, "betta"));
        vec![(at, "link to `@/enclaves/betta.md`, which is no page of this site")]
    });
    assert_eq!(
        help_of(&err),
        ["did you mean one of `@/enclaves/beta.md`, `@/enclaves/alpha.md`, `@/enclaves/gamma.md`?"]
    );
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
                format!("content/operators/cmsk.md:{}:10", line_of(s, "content/operators/cmsk.md", "website")),
                "`website` must start with http:// or https://, found `javascript:alert(1)`",
            ),
            (
                format!("{GAMMA}:{}:10", line_of(s, GAMMA, "url:")),
                "source url must start with http:// or https://, found `www.example.com`",
            ),
        ]
    });
    assert_eq!(err.len(), 2, "{err:#?}");
}

#[test]
fn a_broken_part_of_the_theme_names_its_own_template() {
    // The rows, list items, header and footer are rendered once and placed on many pages: an
    // error in one is reported at its template, whichever page first asked for it.
    for (part, from, to) in [
        ("enclave_row.html", "{{ v.label }}", "{{ v.label | nope }}"),
        ("enclave_item.html", "{{ r.label }}", "{{ r.label | nope }}"),
        ("header.html", "{{ site_name }}", "{{ site_name | nope }}"),
        ("footer.html", "{{ site_name }}", "{{ site_name | nope }}"),
    ] {
        let site = TestSite::fixture("basic");
        site.build_ok();
        let before = site.snapshot();
        site.own_theme();
        site.edit(&format!("themes/default/templates/{part}"), from, to);
        let run = site.build(&[]);
        assert_eq!(run.code, 1, "{part}: {}", run.stderr);
        let diags = diagnostics(&run.stderr);
        let errors: Vec<&Diagnostic> = diags.iter().filter(|d| d.severity == "error").collect();
        assert_eq!(errors.len(), 1, "{part}: reported once, not once per page: {}", run.stderr);
        assert_eq!(errors[0].at, format!("themes/default/templates/{part}"), "{part}");
        assert_eq!(errors[0].message, format!("Failed to render '{part}': Filter 'nope' not found"), "{part}");
        assert!(site.snapshot() == before, "{part}: public/ must be left exactly as it was");
    }
}
