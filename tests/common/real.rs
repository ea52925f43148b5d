//! The real directory as its tests see it: the facts of the source article the directory was
//! started from (`/work/shared/seed/`), which every version of `content/` must keep, and a grown
//! copy of `content/` with entries added the way an editor adds them, to show that the tests of
//! the real directory test those facts and the engine's invariants, never today's totals.
#![allow(dead_code)]

use std::path::PathBuf;
use std::sync::Arc;

use super::{Shared, TestSite, feidi, tempdir};

/// The title of the source article.
pub const ARTICLE: &str = "打造离岸创新中心：十八线小城用科创飞地实现招商逆袭";

/// An enclave the article names, with what the article says of it.
pub struct Seed {
    /// Its file's slug in `content/enclaves/`.
    pub slug: &'static str,
    /// Its name as the article writes it (brackets compared in either width).
    pub name: &'static str,
    /// The city that set it up.
    pub home_city: &'static str,
    /// The city it sits in, when the article names one.
    pub host_city: Option<&'static str>,
    /// Its operating model, when the article's table or text gives it.
    pub model: Option<&'static str>,
    /// Its sectors (names), when the article lists them.
    pub sectors: &'static [&'static str],
}

const fn seed(
    slug: &'static str,
    name: &'static str,
    home_city: &'static str,
    host_city: Option<&'static str>,
    model: Option<&'static str>,
    sectors: &'static [&'static str],
) -> Seed {
    Seed { slug, name, home_city, host_city, model, sectors }
}

/// Every enclave the article names. Five cities' TusStar workstations sit at "TusStar's bases in
/// Beijing, Shanghai, Shenzhen …" (no one city); the Shenzhen–Luoyang enclave is named without
/// saying which way it goes.
pub const SEEDS: &[Seed] = &[
    // Part two: Yangtze River Delta cities' centres in Shanghai.
    seed(
        "jiashan-shanghai-innovation-center",
        "嘉善国际创新中心（上海）",
        "jiaxing",
        Some("shanghai"),
        None,
        &["高端装备制造", "新一代信息技术", "健康医疗", "节能环保"],
    ),
    seed(
        "cixi-shanghai-enclave",
        "慈溪（上海）科创飞地",
        "ningbo",
        Some("shanghai"),
        None,
        &["新材料", "金融服务", "生命健康", "航空通用", "智能家电"],
    ),
    seed(
        "xishan-shanghai-offshore-innovation-center",
        "锡山(上海)离岸创新中心",
        "wuxi",
        Some("shanghai"),
        Some("co_built"),
        &["电子信息", "新能源", "生物医药"],
    ),
    seed("taicang-german-sme-incubation-center", "德国中小企业（太仓）孵化中心", "suzhou", Some("shanghai"), None, &[]),
    seed(
        "xuancheng-shanghai-innovation-center",
        "宣城(上海)科创中心",
        "xuancheng",
        Some("shanghai"),
        Some("co_built"),
        &["汽车零部件", "智能制造", "医药食品", "电子信息", "新能源", "新材料"],
    ),
    // Part three: the table of Wuxi's enclaves in Shenzhen.
    seed(
        "wuxi-shenzhen-hk-innovation-center",
        "无锡深港协同创新中心",
        "wuxi",
        Some("shenzhen"),
        Some("commissioned"),
        &[],
    ),
    seed(
        "huishan-shenzhen-innovation-center",
        "无锡惠山(深圳)创新中心",
        "wuxi",
        Some("shenzhen"),
        Some("commissioned"),
        &[],
    ),
    seed(
        "wuxi-hi-tech-zone-shenzhen-innovation-center",
        "无锡高新区(深圳)创新中心",
        "wuxi",
        Some("shenzhen"),
        Some("self_operated"),
        &[],
    ),
    seed(
        "xishan-shenzhen-offshore-incubator",
        "锡山(深圳)离岸孵化器",
        "wuxi",
        Some("shenzhen"),
        Some("commissioned"),
        &[],
    ),
    seed(
        "jiangyin-hi-tech-zone-shenzhen-incubator",
        "江阴高新区(深圳)科创孵化器",
        "wuxi",
        Some("shenzhen"),
        Some("commissioned"),
        &[],
    ),
    seed(
        "yixing-belt-and-road-env-tech-incubator",
        "宜兴一带一路环境技术转移与产业孵化器",
        "wuxi",
        Some("shenzhen"),
        Some("commissioned"),
        &[],
    ),
    seed(
        "liangxi-shenzhen-offshore-incubation-base",
        "无锡梁溪(深圳)离岸科创孵化基地",
        "wuxi",
        Some("shenzhen"),
        Some("commissioned"),
        &[],
    ),
    // The case study: the article's heading is 丽水经开区的上海科创飞地.
    seed("lishui-etdz-shanghai-enclave", "丽水经开区上海科创飞地", "lishui", Some("shanghai"), None, &[]),
    // Part four: the operators' examples.
    seed("shenzhen-luoyang-enclave", "深圳-洛阳科创飞地", "", None, None, &[]),
    seed(
        "jiangyin-hi-tech-zone-zhangjiang-incubator",
        "江阴高新区(上海张江)科创孵化器",
        "wuxi",
        Some("shanghai"),
        None,
        &[],
    ),
    seed("zaozhuang-tusstar-workstation", "枣庄飞地孵化创新工作站（启迪之星）", "zaozhuang", None, None, &[]),
    seed("fushun-tusstar-workstation", "抚顺飞地孵化创新工作站（启迪之星）", "fushun", None, None, &[]),
    seed("yichang-tusstar-workstation", "宜昌飞地孵化创新工作站（启迪之星）", "yichang", None, None, &[]),
    seed("anji-tusstar-workstation", "安吉飞地孵化创新工作站（启迪之星）", "huzhou", None, None, &[]),
    seed("kuitun-tusstar-workstation", "奎屯飞地孵化创新工作站（启迪之星）", "ili", None, None, &[]),
];

/// The slugs of [`SEEDS`].
pub fn seed_slugs() -> Vec<&'static str> {
    SEEDS.iter().map(|s| s.slug).collect()
}

/// Whether `slug` is one of the article's enclaves.
pub fn is_seed(slug: &str) -> bool {
    SEEDS.iter().any(|s| s.slug == slug)
}

/// A name with its brackets in full width, to compare the article's `锡山(上海)` with the
/// directory's `锡山（上海）`.
pub fn fold_brackets(name: &str) -> String {
    name.replace('(', "（").replace(')', "）")
}

/// A count the article reports: `(place, direction, counterpart, count, "more than")`.
pub type ReportedFact = (&'static str, feidi::model::Direction, Option<&'static str>, u64, bool);

/// The counts the article reports: Wuxi has set up 9 enclaves in Shanghai, 9 in Beijing, 13 in
/// the Greater Bay Area and 9 in Shenzhen; others have set up more than 35 in Hangzhou.
pub const REPORTED: &[ReportedFact] = {
    use feidi::model::Direction::{In, Out};
    &[
        ("wuxi", Out, Some("shanghai"), 9, false),
        ("wuxi", Out, Some("beijing"), 9, false),
        ("wuxi", Out, Some("greater-bay-area"), 13, false),
        ("wuxi", Out, Some("shenzhen"), 9, false),
        ("hangzhou", In, None, 35, true),
    ]
};

/// The slug of the entry [`grown`] adds with `feidi new`, in Wuxi's busiest flow.
pub const NEWCOMER: &str = "test-growth-wuxi-shenzhen";
/// Its name.
pub const NEWCOMER_NAME: &str = "无锡新吴（深圳）测试创新中心";
/// The slug of the second entry [`grown`] adds: a new host city, and little reported.
pub const NEWCOMER_2: &str = "test-growth-luoyang-hangzhou";

/// Replaces the one line of a file written by `feidi new` that starts with `prefix` by `line`,
/// panicking when there is none or more than one (the template changed: the grown copy must then
/// be brought up to date).
fn fill(site: &TestSite, rel: &str, prefix: &str, line: &str) {
    let text = site.read(rel);
    let matching: Vec<&str> = text.lines().filter(|l| l.starts_with(prefix)).collect();
    assert_eq!(matching.len(), 1, "{rel}: one line should start with {prefix:?}:\n{text}");
    let out: Vec<&str> = text.lines().map(|l| if l.starts_with(prefix) { line } else { l }).collect();
    site.write(rel, &(out.join("\n") + "\n"));
}

/// Runs `feidi new enclave <slug>` in `site`.
fn new_enclave(site: &TestSite, slug: &str) -> String {
    let run = feidi(&["new", "enclave", slug, "--root", site.root().to_str().unwrap()]);
    assert!(run.ok(), "feidi new enclave {slug}:\n{}", run.stderr);
    format!("content/enclaves/{slug}.md")
}

/// A copy of the real directory grown as an editor grows it: two enclaves started with
/// `feidi new enclave` and filled in with valid values from another source than the article.
/// The first joins the article's largest flow (Wuxi → Shenzhen) with the commonest model, a
/// shared operator and sectors, and words that the article's entries are searched by; the second
/// opens a new host city (Hangzhou, where the article reports more than 35) and reports little.
/// `feidi check` accepts both without an error.
pub fn grown() -> TestSite {
    let site = TestSite::real_copy();

    let rel = new_enclave(&site, NEWCOMER);
    fill(&site, &rel, "name:", &format!("name: {NEWCOMER_NAME}"));
    fill(&site, &rel, "# name_en:", "name_en: Wuxi Xinwu (Shenzhen) Test Innovation Center");
    fill(&site, &rel, "home:", "home: 新吴区");
    fill(&site, &rel, "# sponsor:", "sponsor: 新吴区人民政府");
    fill(&site, &rel, "host:", "host: nanshan");
    fill(&site, &rel, "# address:", "address: 深圳市南山区测试路 8 号");
    fill(&site, &rel, "# kind:", "kind: 创新中心");
    fill(&site, &rel, "# model:", "model: commissioned");
    fill(&site, &rel, "# operators:", "operators:");
    fill(&site, &rel, "#   - operator:", "  - operator: 招商蛇口");
    fill(&site, &rel, "#     role:", "    role: 合作运营方");
    fill(&site, &rel, "# sectors:", "sectors: [new-materials, 电子信息]");
    fill(&site, &rel, "# area_m2:", "area_m2: 3000");
    fill(&site, &rel, "# workstations:", "workstations: 120");
    fill(&site, &rel, "# offices:", "offices: 12");
    fill(&site, &rel, "# opened:", "opened: 2024-05");
    fill(&site, &rel, "  - title:", "  - title: 新吴区在深圳设立创新中心（测试来源）");
    fill(&site, &rel, "    # url:", "    url: https://example.org/newcomer");
    fill(&site, &rel, "    # date:", "    date: 2024-06-01");
    fill(
        &site,
        &rel,
        "TODO:",
        "无锡市新吴区在深圳南山设立的创新中心，委托招商蛇口运营，面向新材料和电子信息项目。\
         它像张江、蛇口太子湾的几个中心一样，也接待德国企业和上海的团队。",
    );

    let rel = new_enclave(&site, NEWCOMER_2);
    fill(&site, &rel, "name:", "name: 洛阳（杭州）测试科创飞地");
    fill(&site, &rel, "home:", "home: luoyang");
    fill(&site, &rel, "host:", "host: 杭州");
    fill(&site, &rel, "# status:", "status: planned");
    fill(&site, &rel, "  - title:", "  - title: 洛阳在杭州筹建科创飞地（测试来源）");
    fill(&site, &rel, "TODO:", "洛阳市筹建中的杭州科创飞地；来源没有说运营模式和产业方向。");

    let check = feidi(&["check", "--root", site.root().to_str().unwrap()]);
    assert_eq!(check.code, 0, "the grown copy passes `feidi check`:\n{}", check.stderr);
    site
}

/// A site folder the real-directory tests run on: this repository itself, or a grown copy.
pub struct RealSite {
    /// The grown copy, when it is one (kept alive for as long as the site is used).
    copy: Option<TestSite>,
    /// The folder the output was built into.
    out: tempfile::TempDir,
    /// The resolved site, as the renderers see it.
    pub site: feidi::model::Site,
}

impl RealSite {
    /// The shipped directory (`content/` of this repository), built.
    pub fn shipped() -> RealSite {
        RealSite::build(None)
    }

    /// The grown copy from [`grown`], built.
    pub fn grown() -> RealSite {
        RealSite::build(Some(grown()))
    }

    fn build(copy: Option<TestSite>) -> RealSite {
        let root = copy.as_ref().map_or_else(super::repo, |c| c.root().to_path_buf());
        let out = tempdir();
        let public = out.path().join("public");
        let run = feidi(&["build", "--root", root.to_str().unwrap(), "--output", public.to_str().unwrap()]);
        assert!(run.ok(), "{} must build:\n{}", root.display(), run.stderr);
        let site = feidi::pipeline::run(&root, &Default::default()).expect("the site resolves").site;
        RealSite { copy, out, site }
    }

    /// Whether this is the grown copy.
    pub fn is_grown(&self) -> bool {
        self.copy.is_some()
    }

    /// The site folder.
    pub fn root(&self) -> PathBuf {
        self.copy.as_ref().map_or_else(super::repo, |c| c.root().to_path_buf())
    }

    /// The built site.
    pub fn public(&self) -> PathBuf {
        self.out.path().join("public")
    }

    /// A built file.
    pub fn page(&self, rel: &str) -> String {
        super::read_built(&self.public(), rel)
    }

    /// The enclave with this slug; panics when it is missing.
    pub fn enclave(&self, slug: &str) -> &feidi::model::Enclave {
        self.site.enclave(slug).unwrap_or_else(|| panic!("no enclave {slug} in {}", self.root().display()))
    }

    /// Slugs of the enclaves for which `pred` holds, sorted.
    pub fn slugs_where(&self, pred: impl Fn(&feidi::model::Enclave) -> bool) -> Vec<String> {
        self.site.enclaves.iter().filter(|e| pred(e)).map(|e| e.slug.clone()).collect()
    }

    /// A place's name.
    pub fn place_name(&self, id: &str) -> String {
        self.site.place(id).unwrap_or_else(|| panic!("no place {id}")).name.clone()
    }
}

static SHIPPED: Shared<RealSite> = Shared::new();
static GROWN: Shared<RealSite> = Shared::new();

/// The shipped directory, built once for the tests that run at the same time.
pub fn shipped() -> Arc<RealSite> {
    SHIPPED.get(RealSite::shipped)
}

/// The grown copy, built once for the tests that run at the same time.
pub fn grown_built() -> Arc<RealSite> {
    GROWN.get(RealSite::grown)
}

/// Runs each named check (a `fn(&RealSite)` of the calling module) as two tests: on the shipped
/// directory (`shipped::<check>`) and on the grown copy (`grown::<check>`).
#[allow(unused_macros)]
macro_rules! on_shipped_and_grown {
    ($($check:ident),* $(,)?) => {
        /// The checks on the shipped directory, `content/`.
        mod shipped {
            $( #[test] fn $check() { super::$check(&$crate::common::real::shipped()) } )*
        }
        /// The same checks on a copy of `content/` with entries added by `feidi new enclave`.
        mod grown {
            $( #[test] fn $check() { super::$check(&$crate::common::real::grown_built()) } )*
        }
    };
}
#[allow(unused_imports)]
pub(crate) use on_shipped_and_grown;
