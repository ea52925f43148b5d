//! Measures how long an edit takes to reach the served page under `feidi serve`.
//!
//! `cargo run --release --example bench_serve -- FEIDI_BINARY SITE_DIR [EDITS] [PAUSE_MS]`
//! (`scripts/bench-serve` makes a 10,000-enclave site and runs this on it.)
//!
//! For each edit it rewrites one enclave file with a new token in its description (with
//! `--name`, at the end of its name; one `fs::write`, as an editor's save), then polls the enclave's page over HTTP until the token is
//! there: the time from the save to that response is what an editor waits. Edits go to different
//! enclaves. Between edits it waits `PAUSE_MS` (default: until the server has also updated the
//! rest of the site, then 200 ms more, as an editor would); with a short pause, edits land while
//! the server is still updating the rest of the site after the previous one.

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

struct Server(Child);

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

fn get(addr: &str, target: &str) -> Option<String> {
    let mut s = TcpStream::connect(addr).ok()?;
    s.set_read_timeout(Some(Duration::from_secs(10))).ok()?;
    write!(s, "GET {target} HTTP/1.1\r\nHost: {addr}\r\nConnection: close\r\n\r\n").ok()?;
    let mut body = Vec::new();
    s.read_to_end(&mut body).ok()?;
    Some(String::from_utf8_lossy(&body).into_owned())
}

fn wait_idle(addr: &str) -> Duration {
    let start = Instant::now();
    while get(addr, "/__feidi/status").is_none_or(|s| s.contains("\"busy\":true")) {
        assert!(start.elapsed() < Duration::from_secs(600), "the server stays busy");
        std::thread::sleep(Duration::from_millis(20));
    }
    start.elapsed()
}

fn main() {
    let mut args: Vec<String> = std::env::args().collect();
    // `--name`: edit each enclave's name instead of its description, which changes every page
    // that lists the enclave.
    let rename = args.iter().any(|a| a == "--name");
    args.retain(|a| a != "--name");
    if args.len() < 3 {
        eprintln!("usage: bench_serve FEIDI_BINARY SITE_DIR [EDITS] [PAUSE_MS] [--name]");
        std::process::exit(2);
    }
    let (bin, root) = (&args[1], Path::new(&args[2]));
    let edits: usize = args.get(3).and_then(|s| s.parse().ok()).unwrap_or(20);
    let pause: Option<u64> = args.get(4).and_then(|s| s.parse().ok());
    let mut slugs: Vec<String> = std::fs::read_dir(root.join("content/enclaves"))
        .expect("the site has content/enclaves")
        .filter_map(|e| e.ok()?.path().file_stem().map(|s| s.to_string_lossy().into_owned()))
        .collect();
    slugs.sort();
    println!("site: {} enclaves", slugs.len());

    let started = Instant::now();
    let mut child = Command::new(bin)
        .args(["serve", "--root", root.to_str().expect("a UTF-8 path"), "--port", "0"])
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::inherit())
        .spawn()
        .expect("feidi serve starts");
    let out = child.stdout.take().expect("piped stdout");
    let server = Server(child);
    let addr = Arc::new(Mutex::new(None::<String>));
    let addr_w = addr.clone();
    std::thread::spawn(move || {
        for line in BufReader::new(out).lines().map_while(Result::ok) {
            if let Some(i) = line.find("http://") {
                let rest = &line[i + 7..];
                *addr_w.lock().unwrap() = Some(rest[..rest.find('/').unwrap_or(rest.len())].to_string());
            }
        }
    });
    let addr = loop {
        if let Some(a) = addr.lock().unwrap().clone() {
            break a;
        }
        assert!(started.elapsed() < Duration::from_secs(600), "the server did not start");
        std::thread::sleep(Duration::from_millis(50));
    };
    wait_idle(&addr);
    println!("first build and start: {:.1} s", started.elapsed().as_secs_f64());

    let mut visible = Vec::new();
    let mut complete = Vec::new();
    for i in 0..edits {
        let slug = &slugs[(i * 7919 + 1234) % slugs.len()];
        let path = root.join("content/enclaves").join(format!("{slug}.md"));
        let text = std::fs::read_to_string(&path).expect("readable enclave");
        let token = format!("bench-edit-{i}-{}", started.elapsed().as_nanos());
        let new_text = if rename {
            let at = text.find("\nname: ").expect("a name") + 1;
            let end = at + text[at..].find('\n').expect("a line");
            format!("{} {token}{}", &text[..end], &text[end..])
        } else {
            let body_start = text.rfind("\n---\n").expect("front matter") + 5;
            format!("{}\n{token}\n{}", &text[..body_start], text[body_start..].trim_start())
        };
        let target = format!("/enclaves/{slug}/");
        let t0 = Instant::now();
        std::fs::write(&path, new_text).expect("writable enclave");
        loop {
            if get(&addr, &target).is_some_and(|b| b.contains(&token)) {
                break;
            }
            assert!(t0.elapsed() < Duration::from_secs(60), "edit {i} never showed");
            std::thread::sleep(Duration::from_millis(2));
        }
        let v = t0.elapsed();
        visible.push(v);
        match pause {
            Some(ms) => {
                println!("edit {i:2} ({slug}): visible after {:4} ms", v.as_millis());
                std::thread::sleep(Duration::from_millis(ms));
            }
            None => {
                let rest = v + wait_idle(&addr);
                complete.push(rest);
                println!(
                    "edit {i:2} ({slug}): visible after {:4} ms; whole site updated after {:5} ms",
                    v.as_millis(),
                    rest.as_millis()
                );
                std::thread::sleep(Duration::from_millis(200));
            }
        }
    }
    let stats = |v: &mut Vec<Duration>| {
        v.sort();
        (v[v.len() / 2].as_millis(), v[v.len() - 1].as_millis())
    };
    let (median, worst) = stats(&mut visible);
    println!("save -> edited page served, {edits} edits: median {median} ms, worst {worst} ms");
    if !complete.is_empty() {
        let (median, worst) = stats(&mut complete);
        println!("save -> whole site updated: median {median} ms, worst {worst} ms");
    }
    drop(server);
}
