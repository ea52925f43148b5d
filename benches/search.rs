//! Search benchmark: a synthetic directory of 10,000 enclaves (`examples/synth.rs`), built with
//! the release binary, served on loopback and searched in headless Chromium.
//!
//! Reports what a visitor downloads before the first result (raw and gzip), what the body
//! shards add, and the latency from the last keystroke to the results on the page (median and
//! worst of 100 queries, each typed character by character).
//!
//! ```sh
//! cargo bench --bench search              # 10,000 enclaves
//! FEIDI_BENCH_N=2000 cargo bench --bench search
//! ```
//!
//! Needs Debian's `chromium` (scripts/test installs it). Not a test: it asserts nothing and
//! is never run by `cargo test`.

#[path = "../tests/common/browser.rs"]
mod browser;
#[path = "../tests/common/http.rs"]
mod http;

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Instant;

use browser::Browser;

/// 100 queries: names, pinyin (full, spaced, initials, partial), English, places, regions,
/// sectors, several words, body words, and queries that match nothing or almost everything.
#[rustfmt::skip] // ten to a line, to read as a table
const QUERIES: &[&str] = &[
    "无锡", "wuxi", "wu xi", "wx", "深圳", "shenzhen", "sz", "上海", "shanghai", "sh",
    "长三角", "changsanjiao", "csj", "张江", "zhangjiang", "zj", "闵行", "minhang", "南山", "nanshan",
    "杭州", "hangzhou", "北京", "beijing", "武汉", "wuhan", "嘉善", "jiashan", "慈溪", "cixi",
    "创新", "chuangxin", "cx", "孵化", "fuhua", "离岸", "lian", "飞地", "feidi", "科创飞地",
    "创新孵化", "智能中心", "协同产业", "基地", "jidi", "cxfh", "lafd", "kcfd", "中心", "zhongxin",
    "新材料", "xincailiao", "生物医药", "shengwu", "高端装备", "gaoduan", "节能环保", "人工智能", "电子信息", "金融",
    "synthetic", "enclave", "synthetic enclave 42", "enclave 9999", "Enclave 1234", "1234", "5678号", "42号", "synth", "ENCL",
    "无锡 深圳", "wuxi shenzhen", "上海 新材料", "深圳 智能", "江苏 上海", "浙江 杭州", "长三角 深圳", "离岸 深圳", "创新 wuxi", "hz cx",
    "合成", "合成飞地", "测试构建", "构建速度", "设在", "来自", "速度", "用于测试", "第1", "号合成",
    "招商", "启迪", "tusstar", "科易网", "委托运营", "共建", "zizhu", "s", "x", "qqqzzz",
];

fn gzip_len(bytes: &[u8]) -> usize {
    let mut enc = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::best());
    enc.write_all(bytes).unwrap();
    enc.finish().unwrap().len()
}

fn kb(n: usize) -> String {
    format!("{:.1} KB", n as f64 / 1024.0)
}

/// Sizes (raw, gzip) of the files under `public/` whose URLs were loaded.
fn sizes(public: &Path, base: &str, urls: &[String]) -> (usize, usize) {
    let mut raw = 0;
    let mut gz = 0;
    for u in urls {
        let rel = u.strip_prefix(base).unwrap_or(u);
        let bytes = std::fs::read(public.join(rel)).unwrap_or_default();
        raw += bytes.len();
        gz += gzip_len(&bytes);
    }
    (raw, gz)
}

fn loaded(b: &mut Browser, filter: &str) -> Vec<String> {
    let v = b.eval(&format!(
        "performance.getEntriesByType('resource').map(e => e.name).filter(n => n.includes({}))",
        serde_json::to_string(filter).unwrap()
    ));
    serde_json::from_value(v).unwrap_or_default()
}

fn percentile(sorted: &[f64], p: f64) -> f64 {
    let i = ((sorted.len() as f64 - 1.0) * p).round() as usize;
    sorted[i]
}

fn main() {
    // `cargo test --all-targets` runs bench binaries too, without `--bench`: do nothing then.
    if !std::env::args().any(|a| a == "--bench") {
        eprintln!("the search benchmark runs with `cargo bench --bench search`");
        return;
    }
    // A plain number argument sets the size too.
    let n: usize = std::env::args()
        .skip(1)
        .find_map(|a| a.parse().ok())
        .or_else(|| std::env::var("FEIDI_BENCH_N").ok().and_then(|s| s.parse().ok()))
        .unwrap_or(10_000);
    let manifest = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    let site = manifest.join("target").join(format!("bench-search-{n}"));
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".into());

    eprintln!("generating {n} enclaves in {} ...", site.display());
    let ok = Command::new(&cargo)
        .args(["run", "--quiet", "--release", "--example", "synth", "--"])
        .arg(&site)
        .arg(n.to_string())
        .current_dir(&manifest)
        .status()
        .expect("cargo runs");
    assert!(ok.success(), "the synthetic site generator failed");

    let t = Instant::now();
    let out =
        Command::new(env!("CARGO_BIN_EXE_feidi")).args(["build", "--root"]).arg(&site).output().expect("feidi runs");
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let build_s = t.elapsed().as_secs_f64();
    let public = site.join("public");

    let server = http::serve(&public, "/");
    let mut b = Browser::launch(1280, 900);
    let t = Instant::now();
    b.goto(&format!("{}enclaves/", server.base_url));
    b.wait_for("document.getElementById('search').dataset.state === 'done'", 120_000);
    let ready_ms = t.elapsed().as_secs_f64() * 1000.0;
    // How long the index took in the page: script load and parse, then preparation.
    let index_ms = b.eval(
        "(() => { const e = performance.getEntriesByType('resource').find(e => e.name.includes('/search/index.')); return e ? e.responseEnd - e.startTime : null; })()",
    );

    let core = loaded(&mut b, "/search/index.");
    let script = loaded(&mut b, "search.");
    let (core_raw, core_gz) = sizes(&public, &server.base_url, &core);
    let script_only: Vec<String> = script.into_iter().filter(|u| !u.contains("/search/")).collect();
    let (js_raw, js_gz) = sizes(&public, &server.base_url, &script_only);

    b.eval(
        "window.__lat = []; document.getElementById('search').addEventListener('feidi:search', e => { if (e.detail.since !== undefined) { document.body.offsetHeight; window.__lat.push({ ms: performance.now() - e.detail.since, n: e.detail.count, pending: e.detail.pending }); } })",
    );

    let mut firsts: Vec<f64> = Vec::new();
    let mut full: Vec<f64> = Vec::new();
    let mut shard_counts: Vec<usize> = Vec::new();
    let mut worst = (0.0, "");
    let mut counts = Vec::new();
    for q in QUERIES {
        let before = loaded(&mut b, "/search/body-").len();
        b.focus("#q");
        b.eval("document.getElementById('q').select()");
        let start = Instant::now();
        b.type_text(q);
        let want = serde_json::to_string(q).unwrap();
        b.wait_for(
            &format!("(() => {{ const s = document.getElementById('search'); return s.dataset.state === 'done' && s.dataset.rendered === {want}; }})()"),
            60_000,
        );
        let wall = start.elapsed().as_secs_f64() * 1000.0;
        let lat = b.eval("window.__lat.splice(0)");
        let last = lat.as_array().and_then(|a| a.last().cloned()).unwrap_or_default();
        let ms = last["ms"].as_f64().unwrap_or(f64::NAN);
        counts.push((q, last["n"].as_u64().unwrap_or(0)));
        if ms > worst.0 {
            worst = (ms, q);
        }
        firsts.push(ms);
        full.push(wall);
        shard_counts.push(loaded(&mut b, "/search/body-").len() - before);
    }
    let shards = loaded(&mut b, "/search/body-");
    let (sh_raw, sh_gz) = sizes(&public, &server.base_url, &shards);
    let all_shards: Vec<PathBuf> = std::fs::read_dir(public.join("search"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.file_name().unwrap().to_string_lossy().starts_with("body-"))
        .collect();
    let per_shard: Vec<usize> = all_shards.iter().map(|p| gzip_len(&std::fs::read(p).unwrap())).collect();

    let mut sorted = firsts.clone();
    sorted.sort_by(|a, b| a.partial_cmp(b).unwrap());
    println!("## Search benchmark: {n} enclaves\n");
    println!(
        "build: {build_s:.1} s; list page ready (index loaded and prepared): {ready_ms:.0} ms; index download: {index_ms} ms\n"
    );
    println!("| what | raw | gzip |");
    println!("|---|---|---|");
    println!("| first stage `search/index.*.js` (before the first result) | {} | {} |", kb(core_raw), kb(core_gz));
    println!("| `search.*.js` (the client) | {} | {} |", kb(js_raw), kb(js_gz));
    println!(
        "| body shards, {} files in all; one shard gzip: median {}, largest {} | | |",
        all_shards.len(),
        kb(percentile(
            &{
                let mut v = per_shard.clone();
                v.sort();
                v.iter().map(|&x| x as f64).collect::<Vec<_>>()
            },
            0.5
        ) as usize),
        kb(per_shard.iter().copied().max().unwrap_or(0))
    );
    println!(
        "| body shards loaded by the {} queries ({} files) | {} | {} |",
        QUERIES.len(),
        shards.len(),
        kb(sh_raw),
        kb(sh_gz)
    );
    println!();
    println!(
        "latency, last keystroke → results on the page, {} queries: median {:.1} ms, p90 {:.1} ms, worst {:.1} ms (`{}`)",
        sorted.len(),
        percentile(&sorted, 0.5),
        percentile(&sorted, 0.9),
        worst.0,
        worst.1
    );
    let mut walls = full.clone();
    walls.sort_by(|a, b| a.partial_cmp(b).unwrap());
    println!(
        "typing through to complete results (body shards included, as the test driver sees it): median {:.0} ms, worst {:.0} ms",
        percentile(&walls, 0.5),
        walls.last().copied().unwrap_or(0.0)
    );
    println!("most shards one query loaded: {}", shard_counts.iter().max().unwrap_or(&0));
    if std::env::var("FEIDI_BENCH_VERBOSE").is_ok() {
        for ((q, c), ms) in counts.iter().zip(&firsts) {
            println!("  {q:<24} {c:>6} results {ms:>6.1} ms");
        }
    }
}
