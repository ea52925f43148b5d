//! Search and faceted filtering in a real headless Chromium: the real directory (`content/`) and
//! a small fixture made for the edge cases (`tests/fixtures/search/`: heteronyms, `AI`, a status
//! of each kind, a place named only in a body).
//!
//! On the real directory, a query's expected results are the article's enclaves it must find,
//! in order where order matters, and none of the article's other enclaves; entries added since
//! may come in between. Facet counts are recounted from the entries. Each such test runs on the
//! shipped directory and on a grown copy (see `common::real`).
//!
//! Queries are typed character by character into the search box; results are read from the
//! `data-slug` of the result items. Every wait polls with a generous timeout: the machine may be
//! slow, but never sleeps a fixed time.

mod common;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use common::browser::Browser;
use common::http::serve;
use common::real::{NEWCOMER, NEWCOMER_NAME, RealSite, is_seed};
use common::{Shared, TestSite, repo};

const TIMEOUT: u64 = 30_000;

/// A site built into a temporary folder, removed when dropped.
struct Built {
    dir: tempfile::TempDir,
}

impl Built {
    fn public(&self) -> PathBuf {
        self.dir.path().join("public")
    }
}

/// Builds `root` (a folder with `content/`) into a fresh temporary folder.
fn build(root: &Path, env: &[(&str, &str)]) -> Built {
    let dir = common::tempdir();
    let out = dir.path().join("public");
    let run = std::process::Command::new(env!("CARGO_BIN_EXE_feidi"))
        .args(["build", "--root"])
        .arg(root)
        .arg("--output")
        .arg(&out)
        .envs(env.iter().copied())
        .output()
        .unwrap();
    assert!(run.status.success(), "{}", String::from_utf8_lossy(&run.stderr));
    Built { dir }
}

/// The search fixture, built once for the tests that run at the same time.
fn fixture_site() -> Arc<Built> {
    static SITE: Shared<Built> = Shared::new();
    SITE.get(|| build(&repo().join("tests/fixtures/search"), &[]))
}

/// Waits until the page shows complete results (body shards included) for what the search box
/// holds.
fn settle(b: &mut Browser) {
    b.settle_search(TIMEOUT);
}

/// Opens a page with the search and waits for its index.
fn open(b: &mut Browser, url: &str) {
    b.goto(url);
    settle(b);
}

/// Replaces the query with `q` by typing it, and returns the result slugs in order.
fn search(b: &mut Browser, q: &str) -> Vec<String> {
    b.type_query(q, TIMEOUT);
    results(b)
}

fn results(b: &mut Browser) -> Vec<String> {
    b.slugs("#search-results [data-slug]")
}

fn sorted(v: &[String]) -> Vec<String> {
    let mut v = v.to_vec();
    v.sort();
    v
}

fn strings(v: &[&str]) -> Vec<String> {
    v.iter().map(|s| s.to_string()).collect()
}

/// How a query's results are checked.
enum Expect<'a> {
    /// Exactly these, in any order.
    Set(&'a [&'a str]),
    /// Exactly these, in this order.
    Order(&'a [&'a str]),
    /// The same results as another query, in the same order.
    Same(&'a str),
    /// As the inner expectation, leaving these enclaves out of the comparison: the article
    /// does not give the fact the query would find them by.
    Ignoring(&'a [&'a str], &'a Expect<'a>),
}

/// Runs a table of queries in one page and reports every mismatch at once. With `seed_only`,
/// `Set` and `Order` speak of the article's enclaves only: results are compared after leaving
/// out entries the article does not name.
fn check_table(b: &mut Browser, table: &[(&str, Expect, &str)], seed_only: bool) {
    let mut failures = Vec::new();
    for (q, expect, why) in table {
        let all = search(b, q);
        let (ignored, expect) = match expect {
            Expect::Ignoring(ignored, inner) => (*ignored, *inner),
            other => (&[][..], other),
        };
        let got: Vec<String> =
            all.iter().filter(|s| (!seed_only || is_seed(s)) && !ignored.contains(&s.as_str())).cloned().collect();
        let kept = |want: &[&str]| -> Vec<String> {
            want.iter().filter(|s| !ignored.contains(s)).map(|s| s.to_string()).collect()
        };
        let (ok, want) = match expect {
            Expect::Set(want) => (sorted(&got) == sorted(&kept(want)), kept(want)),
            Expect::Order(want) => (got == kept(want), kept(want)),
            Expect::Same(other) => {
                let want = search(b, other);
                let again = search(b, q);
                (again == want && all == want, want)
            }
            Expect::Ignoring(..) => panic!("`{q}`: Ignoring inside Ignoring"),
        };
        if !ok {
            failures.push(format!("`{q}` ({why}):\n    got  {got:?} (of {all:?})\n    want {want:?}"));
        }
    }
    assert!(failures.is_empty(), "{} of {} queries failed:\n{}", failures.len(), table.len(), failures.join("\n"));
}

// Slugs of the real directory.
const HUISHAN: &str = "huishan-shenzhen-innovation-center";
const JIANGYIN_SZ: &str = "jiangyin-hi-tech-zone-shenzhen-incubator";
const JIANGYIN_ZJ: &str = "jiangyin-hi-tech-zone-zhangjiang-incubator";
const JIASHAN: &str = "jiashan-shanghai-innovation-center";
const LIANGXI: &str = "liangxi-shenzhen-offshore-incubation-base";
const LISHUI: &str = "lishui-etdz-shanghai-enclave";
const LUOYANG: &str = "shenzhen-luoyang-enclave";
const TAICANG: &str = "taicang-german-sme-incubation-center";
const WUXI_HT: &str = "wuxi-hi-tech-zone-shenzhen-innovation-center";
const WUXI_HK: &str = "wuxi-shenzhen-hk-innovation-center";
const XISHAN_SH: &str = "xishan-shanghai-offshore-innovation-center";
const XISHAN_SZ: &str = "xishan-shenzhen-offshore-incubator";
const XUANCHENG: &str = "xuancheng-shanghai-innovation-center";
const YIXING: &str = "yixing-belt-and-road-env-tech-incubator";
const CIXI: &str = "cixi-shanghai-enclave";
const ANJI: &str = "anji-tusstar-workstation";
const FUSHUN: &str = "fushun-tusstar-workstation";
const KUITUN: &str = "kuitun-tusstar-workstation";
const YICHANG: &str = "yichang-tusstar-workstation";
const ZAOZHUANG: &str = "zaozhuang-tusstar-workstation";

/// Everything set up by Wuxi or a place inside it (Jiangyin and Yixing are county-level cities
/// of Wuxi).
const WUXI_ALL: &[&str] = &[HUISHAN, LIANGXI, WUXI_HT, WUXI_HK, JIANGYIN_SZ, JIANGYIN_ZJ, XISHAN_SH, XISHAN_SZ, YIXING];
/// Wuxi's enclaves in Shenzhen.
const WUXI_IN_SZ: &[&str] = &[HUISHAN, LIANGXI, WUXI_HT, WUXI_HK, JIANGYIN_SZ, XISHAN_SZ, YIXING];
/// Hosted in Shenzhen (Shekou rolls up to it).
const IN_SZ: &[&str] = &[HUISHAN, JIANGYIN_SZ, LIANGXI, LUOYANG, WUXI_HT, WUXI_HK, XISHAN_SZ, YIXING];
/// The TusStar workstations, hosted at "Beijing, Shanghai or Shenzhen".
const TUSSTAR: &[&str] = &[ANJI, FUSHUN, KUITUN, YICHANG, ZAOZHUANG];
/// Home or host in the Yangtze River Delta: all but the workstations of Fushun, Kuitun,
/// Yichang, Zaozhuang and Luoyang's enclave.
const YRD: &[&str] = &[
    ANJI,
    CIXI,
    HUISHAN,
    JIANGYIN_SZ,
    JIANGYIN_ZJ,
    JIASHAN,
    LIANGXI,
    LISHUI,
    TAICANG,
    WUXI_HT,
    WUXI_HK,
    XISHAN_SH,
    XISHAN_SZ,
    XUANCHENG,
    YIXING,
];

fn concat(parts: &[&[&'static str]]) -> Vec<&'static str> {
    parts.iter().flat_map(|p| p.iter().copied()).collect()
}

// The real directory, shipped and grown.
common::real::on_shipped_and_grown!(
    queries,
    facets_combine_with_text_and_count_what_they_would_give,
    state_lives_in_the_url_reload_back_and_forward,
    without_javascript_the_list_is_the_full_table,
    home_page_search_answers_as_you_type,
    keyboard_slash_arrows_and_enter,
    accessible_markup,
);

/// The article does not say which way the Shenzhen–Luoyang enclave goes: queries that would
/// find it by its host leave it out.
const UNSURE_HOST: &[&str] = &[LUOYANG];
/// The article places the Taicang centre in the Shanghai German Centre, not in Zhangjiang.
const UNSURE_ZHANGJIANG: &[&str] = &[TAICANG];

fn queries(r: &RealSite) {
    let server = serve(&r.public(), "/");
    let mut b = Browser::launch(1280, 900);
    open(&mut b, &format!("{}enclaves/", server.base_url));
    let in_sz_or_tusstar = concat(&[IN_SZ, TUSSTAR]);
    use Expect::*;
    let shenzhen = Set(&in_sz_or_tusstar);
    let table: Vec<(&str, Expect, &str)> = vec![
        // Chinese: names, places with their parents and regions, sectors, operators, body.
        (
            "无锡",
            Order(&[HUISHAN, LIANGXI, WUXI_HT, WUXI_HK, JIANGYIN_SZ, JIANGYIN_ZJ, XISHAN_SH, XISHAN_SZ, YIXING]),
            "names first, then places inside Wuxi, in slug order",
        ),
        ("长三角", Set(YRD), "a region finds every home or host inside it"),
        ("长江三角洲", Set(YRD), "a region's alias"),
        ("大湾区", Ignoring(UNSURE_HOST, &Set(IN_SZ)), "an alias of the Greater Bay Area"),
        (
            "江苏",
            Set(&[HUISHAN, LIANGXI, WUXI_HT, WUXI_HK, JIANGYIN_SZ, JIANGYIN_ZJ, XISHAN_SH, XISHAN_SZ, YIXING, TAICANG]),
            "a province's alias",
        ),
        ("张江", Ignoring(UNSURE_ZHANGJIANG, &Order(&[JIANGYIN_ZJ, LISHUI])), "a zone: the name match first"),
        ("嘉善", Set(&[JIASHAN]), "a county"),
        ("太子湾", Set(&[HUISHAN]), "a zone, an address"),
        ("启迪之星", Set(TUSSTAR), "part of a name, between brackets"),
        ("招商蛇口", Set(&[HUISHAN]), "an operator"),
        ("新材料", Set(&[CIXI, XUANCHENG]), "a sector"),
        (
            "生物医药",
            Set(&[XISHAN_SH, JIASHAN, CIXI, XUANCHENG]),
            "a sector group: 生物医药 itself, and 健康医疗, 生命健康 and 医药食品 inside it",
        ),
        ("生物产业", Same("生物医药"), "the national category above them"),
        ("医药食品", Set(&[XUANCHENG]), "a sector inside a group finds only its own enclaves"),
        ("共建", Set(&[XISHAN_SH, XUANCHENG]), "a model (and a body)"),
        ("天境生物", Set(&[LISHUI]), "a notable company"),
        ("复旦", Set(&[LISHUI]), "a partner and operator"),
        ("十八线", Set(&[]), "words of a source title are not indexed"),
        ("休闲露台", Set(&[HUISHAN]), "body only: any substring of two or more characters"),
        ("德国企业", Set(&[TAICANG]), "body: bigrams, not a contiguous phrase search"),
        ("无锡惠山（深圳）", Set(&[HUISHAN]), "full-width brackets are ignored"),
        ("惠山(深圳)创新", Set(&[HUISHAN]), "half-width brackets are ignored"),
        ("惠山深圳", Set(&[HUISHAN]), "across the brackets of a name"),
        // Single characters: names, places and sectors, never bodies or short texts.
        ("锡", Set(WUXI_ALL), "one character: names and places"),
        ("岸", Set(&[LIANGXI, XISHAN_SH, XISHAN_SZ]), "one character matches names, not kinds or bodies"),
        ("榜", Set(&[]), "a character used nowhere"),
        // Pinyin, with and without spaces, tones, case; initials.
        ("wuxi", Same("无锡"), "full pinyin of a place"),
        ("wu xi", Same("无锡"), "pinyin with a space"),
        ("WuXi", Same("无锡"), "pinyin in any case"),
        ("wúxī", Same("无锡"), "pinyin with tone marks"),
        (
            "shenzhen",
            Ignoring(UNSURE_HOST, &shenzhen),
            "pinyin of a city; the workstations' host is named \"... or Shenzhen\"",
        ),
        ("shenz", Same("shenzhen"), "a prefix, as typed"),
        ("zhangjiang", Ignoring(UNSURE_ZHANGJIANG, &Order(&[JIANGYIN_ZJ, LISHUI])), "pinyin of a zone"),
        ("changsanjiao", Set(YRD), "长 read chang"),
        ("jsgj", Set(&[JIASHAN]), "initials of 嘉善国际"),
        ("luoyang", Set(&[LUOYANG]), "pinyin of a city"),
        ("hssk", Set(&[]), "initials whose pairs lie in different names (惠山区, 招商蛇口) find nothing"),
        ("qidizhixing", Set(TUSSTAR), "pinyin of part of a name"),
        // English, punctuation, full width.
        ("Shenzhen-Hong Kong", Set(&[WUXI_HK]), "English with punctuation"),
        ("hitech", Set(&[JIANGYIN_SZ, JIANGYIN_ZJ, WUXI_HT]), "hyphen ignored: Hi-tech"),
        ("China Merchants", Set(&[HUISHAN]), "an operator's English name, two words"),
        ("ＴＵＳＳＴＡＲ", Set(TUSSTAR), "full-width Latin letters"),
        ("2200", Set(&[HUISHAN]), "a number in a body"),
        ("german", Set(&[TAICANG]), "an English word"),
        // Several words: AND.
        ("无锡 深圳", Set(WUXI_IN_SZ), "exactly Wuxi's Shenzhen enclaves"),
        ("wuxi shenzhen", Set(WUXI_IN_SZ), "the same in pinyin"),
        ("深圳 无锡", Set(WUXI_IN_SZ), "order does not matter"),
        ("无锡 上海", Set(&[JIANGYIN_ZJ, XISHAN_SH]), "Wuxi's Shanghai enclaves"),
        ("无锡 洛阳", Set(&[]), "two words that never meet"),
        // Nothing.
        ("qqqzzz", Set(&[]), "nonsense"),
        ("火星基地", Set(&[]), "not in the directory"),
    ];
    check_table(&mut b, &table, true);
    if r.is_grown() {
        // What was added is found like the rest.
        assert_eq!(search(&mut b, NEWCOMER_NAME).first().map(String::as_str), Some(NEWCOMER), "by its name");
        assert_eq!(search(&mut b, "测试创新中心"), [NEWCOMER], "by words of its name no other entry has");
        for q in ["无锡 深圳", "wuxi shenzhen", "招商蛇口", "新材料"] {
            assert!(search(&mut b, q).iter().any(|s| s == NEWCOMER), "`{q}` finds {NEWCOMER}");
        }
    }
}

#[test]
fn ranking_heteronyms_full_width_and_bodies_on_the_fixture() {
    let site = fixture_site();
    let server = serve(&site.public(), "/");
    let mut b = Browser::launch(1280, 900);
    open(&mut b, &format!("{}enclaves/", server.base_url));
    use Expect::*;
    let table: Vec<(&str, Expect, &str)> = vec![
        ("长沙", Order(&["changsha-shenzhen", "yuelu-shanghai", "xiangjiang-station"]), "name, then place, then body"),
        (
            "changsha",
            Order(&["changsha-shenzhen", "yuelu-shanghai"]),
            "pinyin: name, then place; bodies have no pinyin",
        ),
        ("zhangsha", Same("changsha"), "长 is also zhang"),
        ("chongqing", Set(&["chongqing-ai"]), "重 read chong"),
        ("zhongqing", Set(&["chongqing-ai"]), "重 read zhong"),
        ("ＡＩ", Order(&["chongqing-ai", "huishan-shenzhen"]), "full width: the name, then a sector's alias"),
        ("ai", Same("ＡＩ"), "half width"),
        ("量子计算", Set(&["chongqing-ai"]), "body only"),
        ("quantum", Set(&["chongqing-ai"]), "an English word in a body"),
        ("robot", Set(&["chongqing-ai"]), "a word prefix in a body"),
        ("沙", Order(&["changsha-shenzhen", "yuelu-shanghai"]), "one character: names and places, not the body"),
        (
            "长",
            Order(&["changsha-shenzhen", "yuelu-shanghai", "chongqing-ai", "huishan-shenzhen"]),
            "the name, then a city (长沙市), then a region (长三角) ranks lowest",
        ),
        ("量", Set(&[]), "one character found only in a body: no match"),
        ("湘江 深圳", Set(&["xiangjiang-station"]), "AND"),
        ("xjcx", Set(&["xiangjiang-station"]), "initials of 湘江创新"),
    ];
    check_table(&mut b, &table, false);
}

/// Clicks a facet value's checkbox and waits for the results to follow.
fn click_facet(b: &mut Browser, facet: &str, id: &str) {
    let sel = format!("#search-facets input[name='{facet}'][value='{id}']");
    let before = b.eval(&format!("document.querySelector(\"{sel}\").checked"));
    b.click(&sel);
    b.wait_for(&format!("document.querySelector(\"{sel}\").checked !== {before}"), TIMEOUT);
    settle(b);
}

fn facet_count(b: &mut Browser, facet: &str, id: &str) -> i64 {
    let v = b.eval(&format!(
        "Number(document.querySelector(\"#search-facets input[name='{facet}'][value='{id}']\").closest('label').querySelector('.count').textContent)"
    ));
    v.as_i64().unwrap()
}

#[test]
fn facets_or_within_and_across_with_live_counts() {
    let site = fixture_site();
    let server = serve(&site.public(), "/");
    let mut b = Browser::launch(1280, 900);
    open(&mut b, &format!("{}enclaves/", server.base_url));
    // Every facet is there, as real checkboxes with labels.
    for f in ["host", "home", "region", "sector", "model", "opkind", "status"] {
        let n =
            b.eval(&format!("document.querySelectorAll(\"#search-facets input[type=checkbox][name='{f}']\").length"));
        assert!(n.as_i64().unwrap() > 0, "facet {f} is missing");
    }
    assert_eq!(facet_count(&mut b, "status", "planned"), 1);
    assert_eq!(facet_count(&mut b, "host", "guangdong"), 3, "host rolls up to the province");
    assert_eq!(facet_count(&mut b, "host", "shenzhen"), 3, "and to the city");
    assert_eq!(facet_count(&mut b, "home", "hunan"), 3, "home rolls up: Changsha, Yuelu and Hunan itself");

    click_facet(&mut b, "status", "planned");
    assert_eq!(results(&mut b), ["changsha-shenzhen"]);
    assert_eq!(facet_count(&mut b, "status", "closed"), 1, "OR within a facet: closed would add one");
    click_facet(&mut b, "status", "closed");
    assert_eq!(sorted(&results(&mut b)), ["changsha-shenzhen", "chongqing-ai"], "OR within a facet");
    assert_eq!(facet_count(&mut b, "host", "shanghai"), 1, "counts follow the other facets");
    click_facet(&mut b, "host", "shanghai");
    assert_eq!(results(&mut b), ["chongqing-ai"], "AND across facets");
    // Text and facets together.
    assert_eq!(search(&mut b, "长沙"), Vec::<String>::new(), "the closed Chongqing hub does not mention 长沙");
    let status = b.eval("document.getElementById('search-status').textContent");
    assert_eq!(status, "没有符合条件的飞地。", "the empty result says so");
    // An empty result offers to remove each filter: the query, then each facet's values, then all.
    let chips = b.eval("Array.from(document.querySelectorAll('#search-active .chip-remove')).map(b => b.textContent)");
    assert_eq!(chips, serde_json::json!(["搜索“长沙”", "上海市", "筹建中", "已停止运营", "全部清除"]));
    let hint = b.eval("document.querySelector('#search-active .chips-label').textContent");
    assert_eq!(hint, "试试去掉一个条件：");
    // Removing the host filter brings the planned Changsha centre back.
    b.click("#search-active .chip-remove:nth-of-type(2)");
    settle(&mut b);
    b.wait_for("!document.querySelector(\"#search-facets input[name='host'][value='shanghai']\").checked", TIMEOUT);
    assert_eq!(results(&mut b), ["changsha-shenzhen"]);
    // Facet values show how many results each would give now.
    assert_eq!(facet_count(&mut b, "sector", "new-materials"), 1);
    assert_eq!(facet_count(&mut b, "sector", "biomedicine"), 0);
    let disabled =
        b.eval("document.querySelector(\"#search-facets input[name='sector'][value='biomedicine']\").disabled");
    assert_eq!(disabled, true, "a value that would give nothing is disabled");
}

/// Whether enclave `e` has value `id` of facet `facet`, as the search index files it: a host
/// or home by its city and province, a region by either end, an operator kind by any operator.
fn has_facet_value(r: &RealSite, facet: &str, id: &str, e: &feidi::model::Enclave) -> bool {
    match facet {
        "host" => e.host_city.id == id || e.host_province.id == id,
        "home" => e.home_city.id == id || e.home_province.id == id,
        "region" => e.home_rollup.iter().chain(e.host_rollup.iter()).any(|p| p == id),
        "sector" => r.site.sectors_rolled_up(e).iter().any(|x| x.id == id),
        "model" => e.model.as_ref().is_some_and(|m| m.id == id),
        "opkind" => e.operators.iter().any(|o| r.site.operator(&o.operator.id).is_some_and(|op| op.kind.id == id)),
        "status" => serde_json::to_value(e.status).unwrap() == id,
        other => panic!("unknown facet {other}"),
    }
}

/// Every facet value's count on the page against a recount over `among` (with no facet chosen,
/// a count is how many of them have the value).
fn check_facet_counts(b: &mut Browser, r: &RealSite, among: &[String]) {
    let shown = b.eval(
        "Array.from(document.querySelectorAll('#search-facets input[type=checkbox]')).map(i => \
         [i.name, i.value, Number(i.closest('label').querySelector('.count').textContent)])",
    );
    let shown: Vec<(String, String, usize)> = serde_json::from_value(shown).unwrap();
    assert!(shown.len() > 20, "{} facet values", shown.len());
    let mut wrong = Vec::new();
    for (facet, id, count) in &shown {
        let want = among.iter().filter(|s| has_facet_value(r, facet, id, r.enclave(s))).count();
        if *count != want {
            wrong.push(format!("{facet}={id}: shows {count}, {want} of the results have it"));
        }
    }
    assert!(wrong.is_empty(), "{}", wrong.join("\n"));
}

/// The slugs of every enclave, in order.
fn all_slugs(r: &RealSite) -> Vec<String> {
    r.site.enclaves.iter().map(|e| e.slug.clone()).collect()
}

/// The article's enclaves among `slugs`, sorted.
fn seeds_among(slugs: &[String]) -> Vec<String> {
    sorted(&slugs.iter().filter(|s| is_seed(s)).cloned().collect::<Vec<_>>())
}

fn facets_combine_with_text_and_count_what_they_would_give(r: &RealSite) {
    let server = serve(&r.public(), "/");
    let mut b = Browser::launch(1280, 900);
    open(&mut b, &format!("{}enclaves/", server.base_url));
    // Before any query, each value counts the whole directory; then the results of a query.
    check_facet_counts(&mut b, r, &all_slugs(r));
    let wuxi = search(&mut b, "无锡");
    assert!(wuxi.len() < 50, "every result on the first page");
    check_facet_counts(&mut b, r, &wuxi);
    // A host narrows the results to those it hosts; a model then to those run so.
    click_facet(&mut b, "host", "shanghai");
    let in_shanghai = results(&mut b);
    assert_eq!(seeds_among(&in_shanghai), sorted(&strings(&[JIANGYIN_ZJ, XISHAN_SH])));
    for s in &in_shanghai {
        assert!(wuxi.contains(s) && has_facet_value(r, "host", "shanghai", r.enclave(s)), "{s}");
    }
    click_facet(&mut b, "model", "co_built");
    let co_built = results(&mut b);
    assert_eq!(seeds_among(&co_built), [XISHAN_SH]);
    for s in &co_built {
        assert!(in_shanghai.contains(s) && has_facet_value(r, "model", "co_built", r.enclave(s)), "{s}");
    }
}

fn state_lives_in_the_url_reload_back_and_forward(r: &RealSite) {
    let server = serve(&r.public(), "/");
    let mut b = Browser::launch(1280, 900);
    // A shared link opens with its query and filters applied.
    open(&mut b, &format!("{}enclaves/?q=%E6%97%A0%E9%94%A1&host=shanghai", server.base_url));
    assert_eq!(b.eval("document.getElementById('q').value"), "无锡");
    assert_eq!(seeds_among(&results(&mut b)), sorted(&strings(&[JIANGYIN_ZJ, XISHAN_SH])));
    assert_eq!(b.eval("document.querySelector(\"#search-facets input[name='host'][value='shanghai']\").checked"), true);

    open(&mut b, &format!("{}enclaves/", server.base_url));
    let wuxi = search(&mut b, "wuxi");
    b.wait_for("new URLSearchParams(location.search).get('q') === 'wuxi'", TIMEOUT);
    click_facet(&mut b, "host", "shenzhen");
    b.wait_for("new URLSearchParams(location.search).get('host') === 'shenzhen'", TIMEOUT);
    let in_shenzhen = results(&mut b);
    click_facet(&mut b, "model", "commissioned");
    b.wait_for("new URLSearchParams(location.search).get('model') === 'commissioned'", TIMEOUT);
    let with_model = sorted(&results(&mut b));
    assert_eq!(
        seeds_among(&with_model),
        sorted(&strings(&[HUISHAN, LIANGXI, WUXI_HK, JIANGYIN_SZ, XISHAN_SZ, YIXING]))
    );

    // Reload: the same state.
    let url = b.url();
    open(&mut b, &url);
    assert_eq!(sorted(&results(&mut b)), with_model);
    assert_eq!(
        b.eval("document.querySelector(\"#search-facets input[name='model'][value='commissioned']\").checked"),
        true
    );

    // Back: the model filter goes; back again: the host filter goes.
    b.eval("history.back()");
    b.wait_for("!new URLSearchParams(location.search).has('model')", TIMEOUT);
    settle(&mut b);
    assert_eq!(results(&mut b), in_shenzhen);
    assert_eq!(seeds_among(&in_shenzhen), sorted(&strings(WUXI_IN_SZ)));
    assert_eq!(
        b.eval("document.querySelector(\"#search-facets input[name='model'][value='commissioned']\").checked"),
        false
    );
    b.eval("history.back()");
    b.wait_for("!new URLSearchParams(location.search).has('host')", TIMEOUT);
    settle(&mut b);
    assert_eq!(results(&mut b), wuxi);
    assert_eq!(seeds_among(&wuxi), sorted(&strings(WUXI_ALL)));
    assert_eq!(b.eval("document.getElementById('q').value"), "wuxi");
    // Forward: the host filter again.
    b.eval("history.forward()");
    b.wait_for("new URLSearchParams(location.search).get('host') === 'shenzhen'", TIMEOUT);
    settle(&mut b);
    assert_eq!(results(&mut b), in_shenzhen);
    // Back past the typing: the plain list with its full table.
    b.eval("history.back()");
    b.eval("history.back()");
    b.wait_for("location.search === ''", TIMEOUT);
    settle(&mut b);
    assert_eq!(b.eval("document.getElementById('q').value"), "");
    assert_eq!(b.eval("document.getElementById('search-table').hidden"), false, "the full table is back");
    assert_eq!(b.slugs("#enclave-table tr[data-slug]"), first_page(r), "the list's first page");
}

/// The slugs the enclave list's first page shows: every enclave in name order, up to the page
/// size.
fn first_page(r: &RealSite) -> Vec<String> {
    feidi::assets::order::by_name(&r.site)
        .into_iter()
        .take(r.site.config.page_size)
        .map(|i| r.site.enclaves[i].slug.clone())
        .collect()
}

fn without_javascript_the_list_is_the_full_table(r: &RealSite) {
    let server = serve(&r.public(), "/");
    let mut b = Browser::launch(1280, 900);
    b.call("Emulation.setScriptExecutionDisabled", serde_json::json!({ "value": true }));
    b.goto(&format!("{}enclaves/?q=wuxi", server.base_url));
    assert_eq!(b.slugs("#enclave-table tr[data-slug]"), first_page(r), "every enclave, a page at a time");
    assert_eq!(b.slugs("#search-results [data-slug]").len(), 0);
    let links =
        b.eval("Array.from(document.querySelectorAll('#search-static-facets a')).map(a => a.getAttribute('href'))");
    let links: Vec<String> = serde_json::from_value(links).unwrap();
    assert!(links.iter().any(|l| l == "../places/shenzhen/"), "facet values link to term pages: {links:?}");
    assert!(links.iter().any(|l| l.starts_with("../sectors/")), "{links:?}");
    for l in &links {
        let target = r.public().join("enclaves").join(l).join("index.html");
        assert!(target.is_file(), "{l} leads to a page");
    }
}

fn home_page_search_answers_as_you_type(r: &RealSite) {
    let server = serve(&r.public(), "/");
    let mut b = Browser::launch(1280, 900);
    open(&mut b, &format!("{}enclaves/", server.base_url));
    let everywhere = search(&mut b, "shenzhen");
    assert!(everywhere.len() > 8, "the article alone gives more than eight: {everywhere:?}");
    b.goto(&server.base_url);
    b.press("/");
    b.wait_for("document.activeElement === document.getElementById('q')", TIMEOUT);
    b.type_text("shenzhen");
    settle(&mut b);
    let shown = results(&mut b);
    assert_eq!(shown, everywhere[..8], "the home page shows the first eight of the list's results");
    let all = b.eval("document.getElementById('search-see-all').getAttribute('href')");
    assert_eq!(all, "enclaves/?q=shenzhen");
    let label = b.eval("document.getElementById('search-see-all').textContent");
    assert_eq!(label, format!("查看全部 {} 个结果", everywhere.len()));
    b.press("Enter");
    b.wait_for(&format!("location.pathname === '/enclaves/{}/'", shown[0]), TIMEOUT);
}

fn keyboard_slash_arrows_and_enter(r: &RealSite) {
    let server = serve(&r.public(), "/");
    let mut b = Browser::launch(1280, 900);
    open(&mut b, &format!("{}enclaves/", server.base_url));
    b.eval("document.activeElement.blur()");
    b.press("/");
    b.wait_for("document.activeElement === document.getElementById('q')", TIMEOUT);
    assert_eq!(b.eval("document.getElementById('q').value"), "", "the slash is not typed into the box");
    b.type_text("无锡");
    settle(&mut b);
    let order = results(&mut b);
    b.press("ArrowDown");
    b.wait_for("document.activeElement.closest('[data-slug]') !== null", TIMEOUT);
    b.press("ArrowDown");
    b.press("ArrowDown");
    b.press("ArrowUp");
    let at = b.eval("document.activeElement.closest('[data-slug]').dataset.slug");
    assert_eq!(at, order[1].as_str(), "down, down, down, up lands on the second result");
    let visible = b.eval("getComputedStyle(document.activeElement).outlineStyle");
    assert_ne!(visible, "none", "focus is visible");
    b.press("Enter");
    b.wait_for(&format!("location.pathname.endsWith('/enclaves/{}/')", order[1]), TIMEOUT);
    // Back to the list: the query is still there.
    b.eval("history.back()");
    b.wait_for("location.pathname.endsWith('/enclaves/')", TIMEOUT);
    settle(&mut b);
    assert_eq!(b.eval("document.getElementById('q').value"), "无锡");
    // Enter in the box opens the first result; up from the first result returns to the box.
    b.focus("#q");
    b.press("ArrowDown");
    b.press("ArrowUp");
    b.wait_for("document.activeElement === document.getElementById('q')", TIMEOUT);
    b.press("Enter");
    b.wait_for(&format!("location.pathname.endsWith('/enclaves/{}/')", order[0]), TIMEOUT);
}

fn accessible_markup(r: &RealSite) {
    let server = serve(&r.public(), "/");
    let mut b = Browser::launch(1280, 900);
    open(&mut b, &format!("{}enclaves/", server.base_url));
    assert_eq!(b.eval("document.querySelector('label[for=q]').textContent.length > 0"), true, "the input has a label");
    assert_eq!(b.eval("document.getElementById('search-status').getAttribute('aria-live')"), "polite");
    let found = search(&mut b, "深圳");
    assert!(found.len() > 1 && found.len() < 50, "{found:?}");
    let status = b.eval("document.getElementById('search-status').textContent");
    assert_eq!(status, format!("{} 家飞地符合条件。", found.len()), "the count is said");
    let labelled = b.eval(
        "Array.from(document.querySelectorAll('#search-facets input[type=checkbox]')).every(i => i.closest('label') && i.closest('label').textContent.trim().length > 0)",
    );
    assert_eq!(labelled, true, "every facet checkbox sits in its label");
    let legends = b
        .eval("Array.from(document.querySelectorAll('#search-facets fieldset')).every(f => f.querySelector('legend'))");
    assert_eq!(legends, true);
}

#[test]
fn works_under_a_path_prefix() {
    let site = TestSite::fixture("basic");
    assert!(site.build(&["--base-url", "https://example.org/feidi/"]).ok());
    let server = serve(&site.public(), "/feidi/");
    let mut b = Browser::launch(1280, 900);
    open(&mut b, &format!("{}enclaves/?q=beita", server.base_url));
    assert_eq!(b.eval("document.getElementById('q').value"), "beita");
    assert_eq!(results(&mut b), ["beta"], "贝塔 in pinyin");
    assert_eq!(search(&mut b, "ＡＩ"), ["beta"], "a sector alias, full width");
    search(&mut b, "描述");
    assert_eq!(results(&mut b), ["alpha"], "a body shard loads under the prefix");
    b.wait_for("location.pathname === '/feidi/enclaves/'", TIMEOUT);
    b.press("ArrowDown");
    b.press("Enter");
    b.wait_for("location.pathname === '/feidi/enclaves/alpha/'", TIMEOUT);
}

#[test]
fn works_from_disk() {
    let site = fixture_site();
    let public = site.public();
    let url = format!("file://{}/enclaves/index.html", public.display());
    let mut b = Browser::launch(1280, 900);
    open(&mut b, &url);
    assert_eq!(search(&mut b, "长沙"), ["changsha-shenzhen", "yuelu-shanghai", "xiangjiang-station"], "body shard too");
    click_facet(&mut b, "status", "planned");
    assert_eq!(results(&mut b), ["changsha-shenzhen"]);
    b.wait_for("location.search.includes('status=planned')", TIMEOUT);
    // Reload from disk keeps the state; a result opens the page's file.
    let url = b.url();
    open(&mut b, &url);
    assert_eq!(results(&mut b), ["changsha-shenzhen"]);
    b.click("#search-results a");
    b.wait_for("location.href.endsWith('/enclaves/changsha-shenzhen/index.html')", TIMEOUT);
}

#[test]
fn editor_text_reaches_results_as_text() {
    let site = TestSite::fixture("basic");
    site.edit("content/enclaves/gamma.md", "name: 伽马飞地", "name: \"<img src=x onerror=window.pwned=1>伽马\"");
    site.build_ok();
    let server = serve(&site.public(), "/");
    let mut b = Browser::launch(1280, 900);
    open(&mut b, &format!("{}enclaves/", server.base_url));
    assert_eq!(search(&mut b, "伽马"), ["gamma"]);
    let name = b.eval("document.querySelector('#search-results [data-slug=gamma] a').textContent");
    assert!(name.as_str().unwrap().starts_with("<img"), "{name}");
    assert_eq!(b.eval("document.querySelectorAll('#search-results img').length"), 0);
    assert_eq!(b.eval("window.pwned === undefined"), true);
}

#[test]
fn index_files_are_named_by_their_content() {
    let site = fixture_site();
    let public = site.public();
    let mut names: Vec<String> = std::fs::read_dir(public.join("search"))
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    assert!(names.iter().any(|n| n.starts_with("index.")), "{names:?}");
    for n in &names {
        let bytes = std::fs::read(public.join("search").join(n)).unwrap();
        let hash = n.split('.').nth(1).unwrap();
        assert_eq!(hash, feidi::hash::fingerprint(&bytes), "{n}");
    }
    let page = std::fs::read_to_string(public.join("enclaves/index.html")).unwrap();
    let core = names.iter().find(|n| n.starts_with("index.")).unwrap();
    assert!(page.contains(&format!("../search/{core}")), "the list page names the index it needs");
    // The same content gives the same files.
    let again = build(&repo().join("tests/fixtures/search"), &[]);
    assert_eq!(common::snapshot(&public.join("search")), common::snapshot(&again.public().join("search")));
}

#[test]
fn english_interface_shows_english_names_and_texts() {
    let site = TestSite::fixture("search");
    site.edit("content/site.yaml", "language: zh-CN", "language: en");
    site.build_ok();
    let server = serve(&site.public(), "/");
    let mut b = Browser::launch(1280, 900);
    open(&mut b, &format!("{}enclaves/", server.base_url));
    assert_eq!(search(&mut b, "长沙"), ["changsha-shenzhen", "yuelu-shanghai", "xiangjiang-station"]);
    let status = b.eval("document.getElementById('search-status').textContent");
    assert_eq!(status, "3 enclaves match.");
    assert_eq!(search(&mut b, "xiangjiang"), ["xiangjiang-station"]);
    assert_eq!(b.eval("document.getElementById('search-status').textContent"), "1 enclave matches.");
    let name = b.eval("document.querySelector('#search-results a').textContent");
    assert_eq!(name, "Xiangjiang Innovation Station");
    let legend = b.eval("document.querySelector('#search-facets legend').textContent");
    assert_eq!(legend, "Host");
    let value = b.eval("document.querySelector(\"#search-facets input[name='host'][value='shenzhen']\").closest('label').querySelector('.facet-name').textContent");
    assert_eq!(value, "Shenzhen");
}

/// A browser whose pages define `window.feidiSearchTest` before their scripts run, so that
/// search.js hands it the functions that must agree with `src/index/search/text.rs`.
fn browser_with_test_hook() -> Browser {
    let mut b = Browser::launch(1000, 800);
    b.call("Page.addScriptToEvaluateOnNewDocument", serde_json::json!({ "source": "window.feidiSearchTest = {};" }));
    b
}

#[test]
fn normalisation_in_the_browser_matches_the_shared_vectors() {
    let site = fixture_site();
    let server = serve(&site.public(), "/");
    let mut b = browser_with_test_hook();
    open(&mut b, &format!("{}enclaves/", server.base_url));
    let text = std::fs::read_to_string(repo().join("tests/fixtures/search-normalise.json")).unwrap();
    let file: serde_json::Value = serde_json::from_str(&text).unwrap();
    let vectors = file["vectors"].as_array().unwrap();
    assert!(vectors.len() >= 40, "{} vectors", vectors.len());
    // The inputs go to the page as JSON, so that every character arrives as it is in the file.
    let inputs: Vec<&str> = vectors.iter().map(|v| v["input"].as_str().unwrap()).collect();
    let got = b.eval(&format!(
        "(() => {{ const h = window.feidiSearchTest; return {}.map(s => {{ const f = h.fold(s), k = h.keys(s); \
         return {{ fold: f, classes: h.classes(f), words: k.words, grams: k.grams }}; }}); }})()",
        serde_json::to_string(&inputs).unwrap()
    ));
    let got = got.as_array().unwrap();
    assert_eq!(got.len(), vectors.len());
    // Keys are compared as sets, listed in the file's (UTF-8) order.
    let set = |v: &serde_json::Value| -> Vec<String> {
        let mut s: Vec<String> = v.as_array().unwrap().iter().map(|x| x.as_str().unwrap().to_string()).collect();
        s.sort();
        s.dedup();
        s
    };
    let mut failures = Vec::new();
    for (v, g) in vectors.iter().zip(got) {
        let want = (&v["fold"], &v["classes"], set(&v["words"]), set(&v["grams"]));
        let have = (&g["fold"], &g["classes"], set(&g["words"]), set(&g["grams"]));
        if want != have {
            failures.push(format!("{:?} ({}):\n    got  {have:?}\n    want {want:?}", v["input"], v["why"]));
        }
    }
    assert!(failures.is_empty(), "{} of {} vectors differ:\n{}", failures.len(), vectors.len(), failures.join("\n"));
}

#[test]
fn the_test_hook_is_absent_from_ordinary_pages() {
    let site = fixture_site();
    let server = serve(&site.public(), "/");
    let mut b = Browser::launch(1000, 800);
    open(&mut b, &format!("{}enclaves/", server.base_url));
    assert_eq!(b.eval("typeof window.feidiSearchTest"), "undefined");
}

#[test]
fn hyphenated_words_are_found_joined_and_by_parts_in_names_and_bodies() {
    let site = TestSite::fixture("search");
    site.write(
        "content/enclaves/zone-in-name.md",
        "---\nname: 名称测试飞地\nname_en: Nova Hi-Tech-Zone Hub\nhome: hunan\nhost: shenzhen\nsources:\n  - title: 测试来源\n---\n正文没有英文。\n",
    );
    site.write(
        "content/enclaves/zone-in-body.md",
        "---\nname: 正文测试飞地\nhome: hunan\nhost: shenzhen\nsources:\n  - title: 测试来源\n---\n这里是一个 Hi-Tech-Zone，与伙伴 co-built。\n",
    );
    site.build_ok();
    let server = serve(&site.public(), "/");
    let mut b = Browser::launch(1280, 900);
    open(&mut b, &format!("{}enclaves/", server.base_url));
    use Expect::*;
    let both: &[&str] = &["zone-in-name", "zone-in-body"];
    let table: Vec<(&str, Expect, &str)> = vec![
        ("techzone", Set(both), "two parts joined, in a name and in a body"),
        ("hitechzone", Set(both), "all three joined"),
        ("hitech", Set(both), "the first two joined"),
        ("tech-zone", Same("techzone"), "as written"),
        ("TECH－ZONE", Same("techzone"), "full width, any case"),
        ("techzo", Set(both), "a prefix of the joined word"),
        ("zone", Set(both), "the second part"),
        ("tech", Set(&["changsha-shenzhen", "zone-in-name", "zone-in-body"]), "the first part (also Sci-Tech)"),
        ("tech zone", Set(both), "the parts as two words"),
        ("hi", Set(both), "the first part"),
        ("scitech", Set(&["changsha-shenzhen"]), "joined, in an English name"),
        ("cobuilt", Set(&["chongqing-ai", "zone-in-body"]), "joined: a model's English name, a body"),
        ("built", Same("cobuilt"), "the second part"),
        ("zonetech", Set(&[]), "parts in another order are not a word"),
    ];
    check_table(&mut b, &table, false);
}

#[test]
fn an_index_of_another_format_is_refused_with_a_message() {
    let site = TestSite::fixture("search");
    site.build_ok();
    let dir = site.public().join("search");
    let core = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .find(|p| p.file_name().unwrap().to_string_lossy().starts_with("index."))
        .unwrap();
    let good = std::fs::read_to_string(&core).unwrap();
    let version = format!("\"v\":{}", feidi::assets::search::FORMAT);
    assert!(good.contains(&version), "the index names its format");
    let server = serve(&site.public(), "/");
    let cases = [
        (good.replace(&version, "\"v\":1"), "format 1"),
        (good.replace("[\"slug\",", "[\"name_of_page\","), "no field slug"),
    ];
    for (bad, why) in cases {
        assert_ne!(bad, good);
        std::fs::write(&core, &bad).unwrap();
        // A fresh browser for each case, so that no cache holds the index.
        let mut b = Browser::launch(1280, 900);
        // Records uncaught errors and what the script logs, from before it runs.
        b.call(
        "Page.addScriptToEvaluateOnNewDocument",
        serde_json::json!({ "source": "window.seenErrors = []; window.logged = []; \
            window.addEventListener('error', e => seenErrors.push(String(e.message))); \
            const ce = console.error; console.error = function () { logged.push(Array.from(arguments).join(' ')); return ce.apply(console, arguments); };" }),
    );
        b.goto(&format!("{}enclaves/", server.base_url));
        b.wait_for("document.getElementById('search').dataset.state === 'error'", TIMEOUT);
        let error = b.eval("document.getElementById('search').dataset.error");
        assert!(error.as_str().unwrap().contains(why), "{error}");
        assert_eq!(b.eval("document.getElementById('search-status').textContent"), "搜索未能载入；下表列出全部飞地。");
        let logged = b.eval("window.logged.join('\\n')");
        assert!(logged.as_str().unwrap().contains(why), "the console says why: {logged}");
        // The full table stays; typing does nothing and throws nothing.
        assert_eq!(b.eval("document.getElementById('search-table').hidden"), false);
        b.focus("#q");
        b.type_text("长沙");
        b.wait_for("document.getElementById('q').value === '长沙'", TIMEOUT);
        assert_eq!(b.eval("document.getElementById('search').dataset.state"), "error");
        assert_eq!(b.eval("window.seenErrors"), serde_json::json!([]));
    }
}

/// The search fixture built with `FEIDI_SEARCH_TINY_SHARDS=1`: two records a chunk, two a
/// facet column chunk, as many key shards as it allows.
fn tiny_shard_site() -> Built {
    build(&repo().join("tests/fixtures/search"), &[("FEIDI_SEARCH_TINY_SHARDS", "1")])
}

#[test]
fn hits_spread_over_many_shards_and_chunks_come_back_whole() {
    let site = tiny_shard_site();
    let public = site.public();
    let count = |prefix: &str| {
        std::fs::read_dir(public.join("search"))
            .unwrap()
            .filter(|e| e.as_ref().unwrap().file_name().to_string_lossy().starts_with(prefix))
            .count()
    };
    assert_eq!(count("r-"), 3, "five records, two to a chunk");
    assert_eq!(count("f-"), 3, "five records' facet columns, two to a chunk");
    assert!(count("k-") >= 8, "keys spread over many shards: {}", count("k-"));
    assert!(count("l-") >= 2, "long posting lists in files of their own: {}", count("l-"));
    let server = serve(&public, "/");
    let mut b = Browser::launch(1280, 900);
    open(&mut b, &format!("{}enclaves/", server.base_url));
    use Expect::*;
    // The fixture's slugs in id (slug) order: changsha-shenzhen and chongqing-ai share chunk 0,
    // huishan-shenzhen and xiangjiang-station chunk 1, yuelu-shanghai is chunk 2.
    let table: Vec<(&str, Expect, &str)> = vec![
        ("长沙", Order(&["changsha-shenzhen", "yuelu-shanghai", "xiangjiang-station"]), "three chunks, three tiers"),
        ("changsha", Order(&["changsha-shenzhen", "yuelu-shanghai"]), "pinyin keys and a place's records"),
        ("zhangsha", Same("changsha"), "a heteronym"),
        ("ＡＩ", Order(&["chongqing-ai", "huishan-shenzhen"]), "a name, then a sector's alias"),
        ("量子计算", Set(&["chongqing-ai"]), "body bigrams from several shards"),
        ("robot", Set(&["chongqing-ai"]), "a long word scanned in its shard"),
        ("湘江 深圳", Set(&["xiangjiang-station"]), "AND across shards"),
        ("xjcx", Set(&["xiangjiang-station"]), "initials"),
        ("沙", Order(&["changsha-shenzhen", "yuelu-shanghai"]), "one character"),
    ];
    check_table(&mut b, &table, false);
    // Facets count over every hit, from column chunks loaded one by one.
    search(&mut b, "");
    assert_eq!(facet_count(&mut b, "host", "shenzhen"), 3);
    search(&mut b, "长沙");
    assert_eq!(facet_count(&mut b, "host", "shenzhen"), 2, "changsha-shenzhen and xiangjiang-station");
    assert_eq!(facet_count(&mut b, "host", "shanghai"), 1, "yuelu-shanghai");
    click_facet(&mut b, "host", "shanghai");
    assert_eq!(results(&mut b), ["yuelu-shanghai"]);
    // More than one of each kind of file came (long lists and the operators after the shards
    // that name them).
    let loaded =
        b.eval("performance.getEntriesByType('resource').map(e => e.name).filter(n => n.includes('/search/'))");
    let loaded: Vec<String> = serde_json::from_value(loaded).unwrap();
    for prefix in ["/search/k-", "/search/l-", "/search/r-", "/search/f-"] {
        assert!(loaded.iter().filter(|u| u.contains(prefix)).count() > 1, "{prefix} in {loaded:?}");
    }
    assert!(loaded.iter().any(|u| u.contains("/search/o-")), "the operators, after the first results: {loaded:?}");
}
