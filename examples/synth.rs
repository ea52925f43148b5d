//! Writes a synthetic site for benchmarks: the real vocabularies from `content/terms/`, the
//! real operators, and N generated enclaves spread over them.
//!
//! `cargo run --release --example synth -- OUT_DIR N`

use std::fs;
use std::path::Path;

/// A small deterministic generator, so that every run writes the same site.
struct Lcg(u64);

impl Lcg {
    fn next(&mut self, n: usize) -> usize {
        self.0 = self.0.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
        ((self.0 >> 33) % n as u64) as usize
    }
}

fn ids(yaml: &str) -> Vec<String> {
    yaml.lines().filter_map(|l| l.strip_prefix("- id: ")).map(|s| s.trim().to_string()).collect()
}

fn main() {
    let args: Vec<String> = std::env::args().collect();
    let out = Path::new(args.get(1).map(String::as_str).unwrap_or("target/synth"));
    let n: usize = args.get(2).and_then(|s| s.parse().ok()).unwrap_or(10_000);
    let real = Path::new(env!("CARGO_MANIFEST_DIR")).join("content");
    let _ = fs::remove_dir_all(out);
    fs::create_dir_all(out.join("content/enclaves")).unwrap();
    for dir in ["terms", "operators", "pages"] {
        fs::create_dir_all(out.join("content").join(dir)).unwrap();
        for e in fs::read_dir(real.join(dir)).unwrap() {
            let e = e.unwrap();
            fs::copy(e.path(), out.join("content").join(dir).join(e.file_name())).unwrap();
        }
    }
    fs::copy(real.join("site.yaml"), out.join("content/site.yaml")).unwrap();
    let places = ids(&fs::read_to_string(real.join("terms/places.yaml")).unwrap());
    let sectors = ids(&fs::read_to_string(real.join("terms/sectors.yaml")).unwrap());
    let models = ids(&fs::read_to_string(real.join("terms/models.yaml")).unwrap());
    let mut operators: Vec<String> = fs::read_dir(real.join("operators"))
        .unwrap()
        .map(|e| e.unwrap().path().file_stem().unwrap().to_string_lossy().into_owned())
        .collect();
    operators.sort();
    let hosts =
        ["shanghai", "shenzhen", "hangzhou", "beijing", "minhang", "nanshan", "zhangjiang-science-city", "wuhan"];
    let words = ["创新", "孵化", "科创", "离岸", "飞地", "中心", "基地", "协同", "产业", "智能"];
    let mut rng = Lcg(42);
    for i in 0..n {
        let home = &places[rng.next(places.len())];
        let host = hosts[rng.next(hosts.len())];
        let name: String = (0..4).map(|_| words[rng.next(words.len())]).collect();
        let secs: Vec<&str> = (0..1 + rng.next(3)).map(|_| sectors[rng.next(sectors.len())].as_str()).collect();
        let mut secs_unique: Vec<&str> = Vec::new();
        for s in secs {
            if !secs_unique.contains(&s) {
                secs_unique.push(s);
            }
        }
        let text = format!(
            "---\nname: {name}{i}号\nname_en: Synthetic Enclave {i}\nhome: {home}\nhost: {host}\nmodel: {}\noperators:\n  - operator: {}\n    role: 运营\nsectors: [{}]\narea_m2: {}\nworkstations: {}\nopened: {}\nsources:\n  - title: 合成数据\n---\n\n第{i}号合成飞地，用于测试构建速度。它设在{host}，来自{home}。\n",
            models[rng.next(models.len())],
            operators[rng.next(operators.len())],
            secs_unique.join(", "),
            500 + rng.next(20_000),
            20 + rng.next(300),
            2015 + rng.next(10),
        );
        fs::write(out.join(format!("content/enclaves/synthetic-{i:05}.md")), text).unwrap();
    }
    println!("wrote {n} enclaves to {}", out.display());
}
