//! Search benchmark: synthetic directories of 10,000 and 100,000 enclaves (`examples/synth.rs`),
//! built with the release binary, served on loopback and searched in headless Chromium.
//!
//! For each size it reports what a visitor downloads before the first result (raw and gzip:
//! the client, the entry file, and the key shards and record chunks a query needs, measured
//! cold for every query on the home page), and the latency from the last keystroke to the first
//! result on the list page and to complete results (facet counts included): median, p95, worst
//! of 100 queries, each typed character by character.
//!
//! ```sh
//! cargo bench --bench search              # 10,000 then 100,000 enclaves
//! FEIDI_BENCH_N=2000 cargo bench --bench search
//! cargo bench --bench search -- 100000    # one size
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
    // A plain number argument sets the size, or FEIDI_BENCH_N; by default both sizes.
    let sizes: Vec<usize> = std::env::args()
        .skip(1)
        .find_map(|a| a.parse().ok())
        .or_else(|| std::env::var("FEIDI_BENCH_N").ok().and_then(|s| s.parse().ok()))
        .map_or(vec![10_000, 100_000], |n| vec![n]);
    for n in sizes {
        bench(n);
    }
}

fn bench(n: usize) {
    let manifest = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    let site = manifest.join("target").join(format!("bench-search-{n}"));
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".into());

    // FEIDI_BENCH_REUSE=1 keeps a site built by an earlier run.
    let reuse = std::env::var_os("FEIDI_BENCH_REUSE").is_some() && site.join("public/search").exists();
    let mut build_s = f64::NAN;
    if !reuse {
        eprintln!("generating {n} enclaves in {} ...", site.display());
        let ok = Command::new(&cargo)
            .args(["run", "--quiet", "--release", "--example", "synth", "--"])
            .arg(&site)
            .arg(n.to_string())
            .current_dir(&manifest)
            .status()
            .expect("cargo runs");
        assert!(ok.success(), "the synthetic site generator failed");

        eprintln!("building ...");
        let t = Instant::now();
        let out = Command::new(env!("CARGO_BIN_EXE_feidi"))
            .args(["build", "--root"])
            .arg(&site)
            .output()
            .expect("feidi runs");
        assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
        build_s = t.elapsed().as_secs_f64();
    }
    let public = site.join("public");
    let server = http::serve(&public, "/");

    // Cold downloads: each query typed into the home page's box in a fresh page with the cache
    // off; what had arrived when the first result showed.
    eprintln!("downloads before the first result ...");
    let mut b = Browser::launch(1280, 900);
    b.call("Network.enable", serde_json::json!({}));
    b.call("Network.setCacheDisabled", serde_json::json!({ "cacheDisabled": true }));
    let mut cold: Vec<(usize, usize, &str)> = Vec::new();
    let mut pasted: Vec<(usize, usize, &str)> = Vec::new();
    let mut client = (0, 0);
    let mut entry = (0, 0);
    for q in QUERIES {
        // Typed one character at a time (what the shorter queries on the way loaded counts
        // too), then pasted in one go (what the query itself needs).
        for paste in [false, true] {
            b.goto(&server.base_url);
            b.wait_for("document.getElementById('search').dataset.state === 'idle'", 60_000);
            let want = serde_json::to_string(q).unwrap();
            b.eval(&format!(
                "window.__files = null; document.getElementById('search').addEventListener('feidi:search', e => {{ if (window.__files === null && document.getElementById('q').value === {want} && (e.detail.rows > 0 || !e.detail.pending)) window.__files = performance.getEntriesByType('resource').map(r => r.name); }})"
            ));
            b.focus("#q");
            if paste {
                b.eval(&format!(
                    "(() => {{ const i = document.getElementById('q'); i.value = {want}; i.dispatchEvent(new Event('input')); }})()"
                ));
            } else {
                b.type_text(q);
            }
            let files = b.wait_for("window.__files", 60_000);
            let files: Vec<String> = serde_json::from_value(files).unwrap_or_default();
            let files: Vec<String> =
                files.into_iter().filter(|u| u.contains("/search/") || u.contains("/search.")).collect();
            let (raw, gz) = sizes(&public, &server.base_url, &files);
            let only = |f: &dyn Fn(&String) -> bool| files.iter().filter(|u| f(u)).cloned().collect::<Vec<_>>();
            client = sizes(&public, &server.base_url, &only(&|u| !u.contains("/search/")));
            entry = sizes(&public, &server.base_url, &only(&|u| u.contains("/search/index.")));
            if paste { pasted.push((raw, gz, q)) } else { cold.push((raw, gz, q)) }
        }
    }
    drop(b);

    // Latency on the list page, loaded once.
    // The list page carries the full table for readers without JavaScript; past about 20 MB
    // Chromium does not load it within the harness's time, and the home page's box (the same
    // code, eight rows, no facet counts) stands in.
    let list_mb = std::fs::metadata(public.join("enclaves/index.html")).map_or(0, |m| m.len()) / 1_000_000;
    let page = if list_mb > 20 { "" } else { "enclaves/" };
    eprintln!("latency on /{page} ...");
    let mut b = Browser::launch(1280, 900);
    let t = Instant::now();
    b.goto(&format!("{}{page}", server.base_url));
    if page.is_empty() {
        b.focus("#q");
        b.type_text("0");
    }
    b.wait_for("document.getElementById('search').dataset.state === 'done'", 600_000);
    let ready_ms = t.elapsed().as_secs_f64() * 1000.0;
    b.eval(
        "window.__lat = []; document.getElementById('search').addEventListener('feidi:search', e => { if (e.detail.since !== undefined) { document.body.offsetHeight; window.__lat.push({ ms: performance.now() - e.detail.since, n: e.detail.count, rows: e.detail.rows, pending: e.detail.pending, q: document.getElementById('q').value }); } })",
    );
    let mut firsts: Vec<f64> = Vec::new();
    let mut fulls: Vec<f64> = Vec::new();
    let mut worst = (0.0, "");
    let mut counts = Vec::new();
    for q in QUERIES {
        b.focus("#q");
        b.eval("document.getElementById('q').select()");
        b.type_text(q);
        let want = serde_json::to_string(q).unwrap();
        b.wait_for(
            &format!("(() => {{ const s = document.getElementById('search'); return s.dataset.state === 'done' && s.dataset.rendered === {want}; }})()"),
            60_000,
        );
        let lat = b.eval("window.__lat.splice(0)");
        let events: Vec<serde_json::Value> = lat.as_array().cloned().unwrap_or_default();
        // The events of the last keystroke: the first one with rows (or complete), the last.
        let last_since: Vec<&serde_json::Value> = events.iter().filter(|e| e["q"].as_str() == Some(q)).collect();
        let first = last_since
            .iter()
            .find(|e| e["rows"].as_u64().unwrap_or(0) > 0 || e["pending"] == false)
            .map_or(f64::NAN, |e| e["ms"].as_f64().unwrap_or(f64::NAN));
        let full = last_since.last().map_or(f64::NAN, |e| e["ms"].as_f64().unwrap_or(f64::NAN));
        counts.push((q, last_since.last().and_then(|e| e["n"].as_u64()).unwrap_or(0)));
        if first > worst.0 {
            worst = (first, q);
        }
        firsts.push(first);
        fulls.push(full);
    }
    let all = |prefix: &str| -> Vec<usize> {
        let mut v: Vec<usize> = std::fs::read_dir(public.join("search"))
            .unwrap()
            .map(|e| e.unwrap().path())
            .filter(|p| p.file_name().unwrap().to_string_lossy().starts_with(prefix))
            .map(|p| gzip_len(&std::fs::read(p).unwrap()))
            .collect();
        v.sort();
        v
    };

    let sorted = |v: &[f64]| -> Vec<f64> {
        let mut v = v.to_vec();
        v.sort_by(|a, b| a.partial_cmp(b).unwrap_or(std::cmp::Ordering::Equal));
        v
    };
    println!("## Search benchmark: {n} enclaves\n");
    println!("build: {build_s:.1} s; page ready (page and search entry loaded): {ready_ms:.0} ms");
    println!("latency measured on /{page} (the list page is {list_mb} MB)\n");
    println!("| what | raw | gzip |");
    println!("|---|---|---|");
    println!("| `search.*.js` (the client) | {} | {} |", kb(client.0), kb(client.1));
    println!("| entry `search/index.*.js` | {} | {} |", kb(entry.0), kb(entry.1));
    for (what, v) in [("pasted", &pasted), ("typed", &cold)] {
        let mut gz: Vec<f64> = v.iter().map(|c| c.1 as f64).collect();
        gz.sort_by(|a, b| a.partial_cmp(b).unwrap());
        let mut raw: Vec<f64> = v.iter().map(|c| c.0 as f64).collect();
        raw.sort_by(|a, b| a.partial_cmp(b).unwrap());
        let heaviest = v.iter().max_by_key(|c| c.1).unwrap();
        println!(
            "| all search files before the first result, cold, query {what}: median of {} | {} | {} |",
            v.len(),
            kb(percentile(&raw, 0.5) as usize),
            kb(percentile(&gz, 0.5) as usize)
        );
        println!(
            "| the same, p95 | {} | {} |",
            kb(percentile(&raw, 0.95) as usize),
            kb(percentile(&gz, 0.95) as usize)
        );
        println!("| the same, largest (`{}`) | {} | {} |", heaviest.2, kb(heaviest.0), kb(heaviest.1));
    }
    for (prefix, what) in
        [("k-", "key shards"), ("r-", "record chunks"), ("f-", "facet column chunks (after the first result)")]
    {
        let v = all(prefix);
        println!(
            "| {what}: {} files, one gzip median {}, largest {} | | |",
            v.len(),
            kb(v.get(v.len() / 2).copied().unwrap_or(0)),
            kb(v.last().copied().unwrap_or(0))
        );
    }
    println!();
    let (f, c) = (sorted(&firsts), sorted(&fulls));
    println!(
        "latency, last keystroke → first result on the page, {} queries: median {:.1} ms, p95 {:.1} ms, worst {:.1} ms (`{}`)",
        f.len(),
        percentile(&f, 0.5),
        percentile(&f, 0.95),
        worst.0,
        worst.1
    );
    println!(
        "latency, last keystroke → complete (rows and facet counts): median {:.1} ms, p95 {:.1} ms, worst {:.1} ms",
        percentile(&c, 0.5),
        percentile(&c, 0.95),
        c.last().copied().unwrap_or(0.0)
    );
    println!();
    if std::env::var("FEIDI_BENCH_VERBOSE").is_ok() {
        for ((((q, n), ms), (raw, gz, _)), (praw, pgz, _)) in counts.iter().zip(&firsts).zip(&cold).zip(&pasted) {
            println!(
                "  {q:<24} {n:>6} results {ms:>6.1} ms first; cold typed {} / {} gzip, pasted {} / {} gzip",
                kb(*raw),
                kb(*gz),
                kb(*praw),
                kb(*pgz)
            );
        }
    }
}
