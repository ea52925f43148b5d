//! `feidi serve`: the real binary on a free loopback port, driven over HTTP while the tests edit,
//! add and delete content files. Every wait polls with a timeout (the machine may be slow) and
//! every server is killed when its test ends.

mod common;

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::process::{Child, Command, Stdio};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use common::TestSite;

/// How long any awaited change may take.
const TIMEOUT: Duration = Duration::from_secs(15);

/// A running `feidi serve` on a copy of a fixture.
struct Server {
    child: Child,
    addr: String,
    site: TestSite,
    output: Arc<Mutex<String>>,
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// Collects a child's output in the background, so that its pipes never fill up.
fn drain(pipe: impl Read + Send + 'static, into: Arc<Mutex<String>>) {
    std::thread::spawn(move || {
        for line in BufReader::new(pipe).lines() {
            let Ok(line) = line else { break };
            let mut out = into.lock().unwrap();
            out.push_str(&line);
            out.push('\n');
        }
    });
}

/// `feidi serve` on `site`, on a free port, with its output piped.
fn spawn(site: &TestSite) -> Child {
    Command::new(env!("CARGO_BIN_EXE_feidi"))
        .args(["serve", "--root", site.root().to_str().unwrap(), "--port", "0"])
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("feidi serve starts")
}

impl Server {
    /// Starts the server on `site` and waits for it to print its address.
    fn start(site: TestSite) -> Server {
        let mut child = spawn(&site);
        let output = Arc::new(Mutex::new(String::new()));
        drain(child.stdout.take().unwrap(), output.clone());
        drain(child.stderr.take().unwrap(), output.clone());
        Server { child, addr: String::new(), site, output }.await_address()
    }

    /// Starts the server on `site` and reads its standard output up to the line that says it
    /// watches for changes, then closes it, as `feidi serve | head -3` does. Standard error is
    /// collected as usual, or closed at once too when `close_stderr`.
    fn start_then_close_output(site: TestSite, close_stderr: bool) -> Server {
        let mut child = spawn(&site);
        let output = Arc::new(Mutex::new(String::new()));
        let stderr = child.stderr.take().unwrap();
        if close_stderr {
            drop(stderr);
        } else {
            drain(stderr, output.clone());
        }
        let mut stdout = BufReader::new(child.stdout.take().unwrap());
        let mut server = Server { child, addr: String::new(), site, output };
        let mut line = String::new();
        while !line.starts_with("Watching") {
            line.clear();
            assert!(stdout.read_line(&mut line).unwrap() > 0, "serve stopped before watching");
            let at = line.find("http://").map(|i| i + "http://".len());
            if let Some(rest) = at.map(|i| &line[i..]) {
                server.addr = rest[..rest.find('/').unwrap()].to_string();
            }
        }
        assert!(!server.addr.is_empty(), "serve printed its address");
        drop(stdout);
        server
    }

    /// Waits for the server's address in its output.
    fn await_address(self) -> Server {
        let mut server = self;
        let addr = poll("the server to print its address", || {
            let out = server.output.lock().unwrap().clone();
            let start = out.find("http://")? + "http://".len();
            let rest = &out[start..];
            Some(rest[..rest.find('/')?].to_string())
        });
        server.addr = addr;
        server
    }

    fn output(&self) -> String {
        self.output.lock().unwrap().clone()
    }

    /// The server's state, from `/__feidi/status`.
    fn status(&self) -> serde_json::Value {
        serde_json::from_str(&self.get("/__feidi/status").text()).expect("the status is JSON")
    }

    /// Sends a raw request target (unnormalised, as an attacker would) and reads the response.
    fn get(&self, target: &str) -> Response {
        request(&self.addr, "GET", target)
    }

    /// Polls `target` until `pred` holds for the response.
    fn wait_for(&self, what: &str, target: &str, pred: impl Fn(&Response) -> bool) -> Response {
        poll(what, || {
            let r = self.get(target);
            pred(&r).then_some(r)
        })
    }

    /// The version the server gave a page: what the page's reload script reports.
    fn version_of(&self, target: &str) -> u64 {
        let body = self.get(target).text();
        let at = body.find("data-version=\"").expect("reload script in the page") + "data-version=\"".len();
        body[at..at + body[at..].find('"').unwrap()].parse().unwrap()
    }

    /// Opens the event stream a page at `file` served with `version` listens to.
    fn events(&self, file: &str, version: u64) -> Events {
        let mut stream = TcpStream::connect(&self.addr).unwrap();
        stream.set_read_timeout(Some(Duration::from_millis(200))).unwrap();
        let target = format!("/__feidi/events?page={}&v={version}", file.replace('/', "%2F"));
        write!(stream, "GET {target} HTTP/1.1\r\nHost: {}\r\nAccept: text/event-stream\r\n\r\n", self.addr).unwrap();
        Events { reader: BufReader::new(stream) }
    }
}

/// Calls `f` until it gives a value, for up to [`TIMEOUT`].
fn poll<T>(what: &str, mut f: impl FnMut() -> Option<T>) -> T {
    let start = Instant::now();
    loop {
        if let Some(v) = f() {
            return v;
        }
        assert!(start.elapsed() < TIMEOUT, "timed out waiting for {what}");
        std::thread::sleep(Duration::from_millis(20));
    }
}

/// An HTTP response.
struct Response {
    status: u16,
    head: String,
    body: Vec<u8>,
}

impl Response {
    fn text(&self) -> String {
        String::from_utf8_lossy(&self.body).into_owned()
    }

    fn header(&self, name: &str) -> Option<String> {
        self.head.lines().find_map(|l| {
            let (k, v) = l.split_once(':')?;
            k.eq_ignore_ascii_case(name).then(|| v.trim().to_string())
        })
    }
}

fn request(addr: &str, method: &str, target: &str) -> Response {
    send(addr, &format!("{method} {target} HTTP/1.1\r\nHost: {addr}\r\nConnection: close\r\n\r\n"))
}

/// Sends `head` as it is and reads the response to its end.
fn send(addr: &str, head: &str) -> Response {
    let mut stream = TcpStream::connect(addr).unwrap();
    stream.set_read_timeout(Some(TIMEOUT)).unwrap();
    stream.write_all(head.as_bytes()).unwrap();
    let mut raw = Vec::new();
    stream.read_to_end(&mut raw).unwrap();
    let split = raw.windows(4).position(|w| w == b"\r\n\r\n").expect("a complete response head");
    let head = String::from_utf8_lossy(&raw[..split]).into_owned();
    let status = head.split_whitespace().nth(1).unwrap().parse().unwrap();
    Response { status, head, body: raw[split + 4..].to_vec() }
}

/// A server-sent event stream.
struct Events {
    reader: BufReader<TcpStream>,
}

impl Events {
    /// Reads events until one named `name` comes; returns its data.
    fn expect(&mut self, name: &str) -> String {
        self.expect_where(name, |_| true)
    }

    /// Reads events until one named `name` whose data satisfies `pred` comes; returns its data.
    fn expect_where(&mut self, name: &str, pred: impl Fn(&str) -> bool) -> String {
        let start = Instant::now();
        let (mut event, mut data) = (String::new(), String::new());
        let mut line = String::new();
        loop {
            assert!(start.elapsed() < TIMEOUT, "timed out waiting for the event `{name}`");
            line.clear();
            match self.reader.read_line(&mut line) {
                Ok(0) => panic!("the event stream ended before `{name}`"),
                Ok(_) => {}
                Err(e) if matches!(e.kind(), std::io::ErrorKind::WouldBlock | std::io::ErrorKind::TimedOut) => {
                    continue;
                }
                Err(e) => panic!("reading events: {e}"),
            }
            let l = line.trim_end_matches(['\r', '\n']);
            if let Some(v) = l.strip_prefix("event: ") {
                event = v.to_string();
            } else if let Some(v) = l.strip_prefix("data: ") {
                data = v.to_string();
            } else if l.is_empty() && !event.is_empty() {
                if event == name && pred(&data) {
                    return data;
                }
                event.clear();
            }
        }
    }
}

const ALPHA: &str = "content/enclaves/alpha.md";
const BETA: &str = "content/enclaves/beta.md";
const GAMMA: &str = "content/enclaves/gamma.md";
const ALPHA_PAGE: &str = "enclaves/alpha/index.html";

#[test]
fn serves_the_built_site_with_a_reload_script_and_utf8_types() {
    let server = Server::start(TestSite::fixture("basic"));
    let home = server.get("/");
    assert_eq!(home.status, 200);
    assert_eq!(home.header("content-type").as_deref(), Some("text/html; charset=utf-8"));
    let page = server.get("/enclaves/alpha/");
    assert!(page.text().contains("阿尔法创新中心"));
    assert!(page.text().contains("<script src=\"/__feidi/live.js\" data-page=\"enclaves/alpha/index.html\""));
    for (target, ctype) in [
        ("/data/enclaves.json", "application/json; charset=utf-8"),
        ("/data/enclaves.csv", "text/csv; charset=utf-8"),
        ("/sitemap.xml", "application/xml; charset=utf-8"),
        ("/atom.xml", "application/atom+xml; charset=utf-8"),
        ("/robots.txt", "text/plain; charset=utf-8"),
        ("/__feidi/live.js", "text/javascript; charset=utf-8"),
    ] {
        let r = server.get(target);
        assert_eq!(r.status, 200, "{target}");
        assert_eq!(r.header("content-type").as_deref(), Some(ctype), "{target}");
    }
    let css = page
        .text()
        .split("href=\"../../")
        .find_map(|s| s.split('"').next().filter(|h| h.ends_with(".css")).map(str::to_string));
    let css = server.get(&format!("/{}", css.expect("the page links its stylesheet")));
    assert_eq!(css.header("content-type").as_deref(), Some("text/css; charset=utf-8"));
    // A folder without its slash is redirected, so that relative links work.
    let moved = server.get("/enclaves/alpha?x=1");
    assert_eq!(moved.status, 301);
    assert_eq!(moved.header("location").as_deref(), Some("/enclaves/alpha/?x=1"));
    // The reload script is the server's: a build never contains it.
    server.site.build_ok();
    for (rel, bytes) in server.site.snapshot() {
        assert!(!String::from_utf8_lossy(&bytes).contains("__feidi"), "public/{rel} has the reload script");
    }
}

#[test]
fn an_edit_reloads_the_page_and_updates_the_pages_that_show_it() {
    let server = Server::start(TestSite::fixture("basic"));
    let version = server.version_of("/enclaves/alpha/");
    let mut events = server.events(ALPHA_PAGE, version);
    events.expect("ok");
    server.site.edit(ALPHA, "name: 阿尔法创新中心", "name: 阿尔法改名中心");
    events.expect("reload");
    assert!(server.get("/enclaves/alpha/").text().contains("阿尔法改名中心"));
    assert!(server.version_of("/enclaves/alpha/") > version);
    // Then the pages that list it: the list, its operator, its host place, the open data.
    for target in ["/enclaves/", "/operators/cmsk/", "/places/minhang/", "/data/enclaves.json"] {
        server.wait_for(&format!("{target} to show the new name"), target, |r| r.text().contains("阿尔法改名中心"));
    }
    // A page the edit does not touch keeps its version: it does not reload.
    let gamma = server.version_of("/enclaves/gamma/");
    server.site.edit(ALPHA, "阿尔法中心的", "阿尔法中心新的");
    server.wait_for("the new description", "/enclaves/alpha/", |r| r.text().contains("阿尔法中心新的"));
    poll("the background rebuild to finish", || (server.status()["busy"] == false).then_some(()));
    assert_eq!(server.version_of("/enclaves/gamma/"), gamma);
}

#[test]
fn added_and_deleted_entries_appear_and_disappear() {
    let server = Server::start(TestSite::fixture("basic"));
    assert_eq!(server.get("/enclaves/delta/").status, 404);
    // A tab on the missing page reloads when it appears.
    let mut missing = server.events("enclaves/delta/index.html", 0);
    let gamma = server.site.read("content/enclaves/gamma.md");
    server.site.write("content/enclaves/delta.md", &gamma.replace("伽马飞地", "德尔塔飞地"));
    missing.expect("reload");
    assert!(server.get("/enclaves/delta/").text().contains("德尔塔飞地"));
    server.wait_for("the list to show the new entry", "/enclaves/", |r| r.text().contains("德尔塔飞地"));

    let version = server.version_of("/enclaves/gamma/");
    let mut events = server.events("enclaves/gamma/index.html", version);
    std::fs::remove_file(server.site.path("content/enclaves/gamma.md")).unwrap();
    events.expect("reload");
    let gone = server.get("/enclaves/gamma/");
    assert_eq!(gone.status, 404);
    let own = server.get("/404.html").text();
    let main = |html: &str| common::html::element(html, "<main").to_string();
    assert_eq!(main(&gone.text()), main(&own), "the site's own 404 page");
    for target in ["/enclaves/", "/data/enclaves.json", "/sitemap.xml", "/places/hongqiao/"] {
        server.wait_for(&format!("{target} to drop the deleted entry"), target, |r| {
            !r.text().contains("enclaves/gamma/") && !r.text().contains("伽马飞地")
        });
    }
}

#[test]
fn a_broken_edit_shows_every_error_and_keeps_the_last_good_page() {
    let server = Server::start(TestSite::fixture("basic"));
    let version = server.version_of("/enclaves/alpha/");
    let mut events = server.events(ALPHA_PAGE, version);
    events.expect("ok");
    server.site.edit(ALPHA, "host: 闵行区", "host: 闵行X区");
    server.site.edit("content/enclaves/beta.md", "sectors: [AI]", "sectors: [AJ]");
    // The two saves may be rebuilt together or one after the other.
    let data = events.expect_where("errors", |d| {
        serde_json::from_str::<serde_json::Value>(d).is_ok_and(|v| v["report"]["errors"] == 2)
    });
    let payload: serde_json::Value = serde_json::from_str(&data).unwrap();
    assert_eq!(payload["report"]["errors"], 2, "{data}");
    let first = &payload["report"]["diagnostics"][0];
    assert_eq!(first["file"], "content/enclaves/alpha.md");
    assert_eq!(first["line"], 6);
    assert!(first["message"].as_str().unwrap().contains("unknown place `闵行X区`"));
    let text = payload["text"].as_str().unwrap();
    assert!(
        text.contains("--> content/enclaves/alpha.md:6:7") && text.contains("--> content/enclaves/beta.md:"),
        "{text}"
    );
    poll("the terminal to show the errors", || server.output().contains("unknown place `闵行X区`").then_some(()));
    // The last good page is still served, unchanged.
    let page = server.get("/enclaves/alpha/");
    assert_eq!(page.status, 200);
    assert_eq!(server.version_of("/enclaves/alpha/"), version);
    assert_eq!(server.status()["errors"], 2);
    // A page opened now learns about the errors at once.
    server.events(ALPHA_PAGE, version).expect("errors");
    // Fixing both files clears the overlay.
    server.site.edit(ALPHA, "host: 闵行X区", "host: 闵行区");
    server.site.edit("content/enclaves/beta.md", "sectors: [AJ]", "sectors: [AI]");
    events.expect("ok");
    assert_eq!(server.status()["errors"], 0);
}

#[test]
fn a_link_to_a_deleted_entry_is_reported_and_cleared_when_it_returns() {
    let server = Server::start(TestSite::fixture("basic"));
    // Alpha's description links to beta: deleting beta breaks that link, though alpha's file
    // did not change.
    let beta = server.site.read(BETA);
    std::fs::remove_file(server.site.path(BETA)).unwrap();
    poll("the broken link", || {
        let s = server.status();
        (s["busy"] == false && s["errors"] == 1).then_some(())
    });
    assert!(server.output().contains("content/enclaves/alpha.md"), "{}", server.output());
    server.site.write(BETA, &beta);
    poll("the link to work again", || {
        let s = server.status();
        (s["busy"] == false && s["errors"] == 0).then_some(())
    });
}

#[test]
fn editor_save_patterns_are_picked_up() {
    let server = Server::start(TestSite::fixture("basic"));
    let path = server.site.path(ALPHA);
    let dir = path.parent().unwrap().to_path_buf();
    let original = server.site.read(ALPHA);
    // Write a temporary file, then rename it over the entry (atomic save).
    std::fs::write(dir.join(".alpha.md.tmp"), original.replace("阿尔法中心的", "原子保存的")).unwrap();
    std::fs::rename(dir.join(".alpha.md.tmp"), &path).unwrap();
    server.wait_for("the atomic save", "/enclaves/alpha/", |r| r.text().contains("原子保存的"));
    // Move the old file to a backup, write a new one, drop the backup (vim).
    std::fs::rename(&path, dir.join("alpha.md~")).unwrap();
    std::fs::write(&path, original.replace("阿尔法中心的", "备份保存的")).unwrap();
    std::fs::remove_file(dir.join("alpha.md~")).unwrap();
    server.wait_for("the backup-and-write save", "/enclaves/alpha/", |r| {
        r.status == 200 && r.text().contains("备份保存的")
    });
    // Truncate and write in place.
    let mut f = std::fs::OpenOptions::new().write(true).truncate(true).open(&path).unwrap();
    f.write_all(original.replace("阿尔法中心的", "原地保存的").as_bytes()).unwrap();
    drop(f);
    server.wait_for("the in-place save", "/enclaves/alpha/", |r| r.text().contains("原地保存的"));
    assert_eq!(server.status()["errors"], 0);
}

#[test]
fn requests_outside_the_site_get_404() {
    let site = TestSite::fixture("basic");
    // A theme of the site's own, with a static file that is a symlink out of the site.
    let outside = common::tempdir();
    let secret = outside.path().join("secret.txt");
    std::fs::write(&secret, "TOP-SECRET").unwrap();
    site.own_theme();
    #[cfg(unix)]
    std::os::unix::fs::symlink(&secret, site.path("themes/default/static/leak.txt")).unwrap();
    let server = Server::start(site);
    assert_eq!(server.get("/").status, 200);
    for target in [
        "/../../../../etc/passwd",
        "/enclaves/../../../etc/passwd",
        "/%2e%2e/%2e%2e/%2e%2e/etc/passwd",
        "/%2e%2e%2f%2e%2e%2fetc%2fpasswd",
        "/..%5c..%5cetc%5cpasswd",
        "/enclaves/%2e%2e/%2e%2e/content/enclaves/alpha.md",
        "/content/enclaves/alpha.md",
        "/leak.txt",
        "/data/",
        "/enclaves/alpha/index.html%00.css",
    ] {
        let r = server.get(target);
        assert_eq!(r.status, 404, "{target}");
        let text = r.text();
        assert!(
            !text.contains("root:") && !text.contains("TOP-SECRET") && !text.contains("home: huishan"),
            "{target} leaked"
        );
    }
    assert_eq!(request(&server.addr, "POST", "/").status, 405);
}

#[test]
fn redirects_never_leave_the_site() {
    let server = Server::start(TestSite::fixture("basic"));
    // Doubled slashes name the same folder; the redirect goes to its one URL.
    for (target, to) in [
        ("//enclaves", "/enclaves/"),
        ("///enclaves", "/enclaves/"),
        ("//enclaves/", "/enclaves/"),
        ("/enclaves//alpha?x=1", "/enclaves/alpha/?x=1"),
        ("///enclaves///alpha//", "/enclaves/alpha/"),
        ("/%2Fenclaves", "/enclaves/"),
        ("//data/enclaves.csv", "/data/enclaves.csv"),
        ("//", "/"),
    ] {
        let r = server.get(target);
        assert_eq!(r.status, 301, "{target}");
        assert_eq!(r.header("location").as_deref(), Some(to), "{target}");
        assert_eq!(server.get(to).status, 200, "{target} -> {to}");
    }
    // Whatever the target, a Location is a path on this server: never protocol-relative
    // (`//host`, or `/\host`, which browsers read alike) and never with a scheme.
    for target in [
        "//enclaves",
        "///enclaves",
        "//enclaves?next=//evil.example",
        "/\\evil.example",
        "/\\evil.example/",
        "/\\/evil.example/",
        "//evil.example",
        "//evil.example/",
        "///evil.example/",
        "//evil.example/enclaves",
        "/%2F%2Fevil.example/",
        "/%5Cevil.example",
        "/%5C%5Cevil.example/",
        "/http://evil.example/",
        "/https:/evil.example",
        "//%09/evil.example",
        "/%0d%0aLocation:%20//evil.example",
        "/enclaves/%0d%0aX:%20y",
    ] {
        let r = server.get(target);
        if let Some(location) = r.header("location") {
            assert_eq!(r.status, 301, "{target}");
            assert!(
                location.starts_with('/') && !location.starts_with("//") && !location.starts_with("/\\"),
                "{target} redirects to {location}"
            );
            let path = location.split('?').next().unwrap();
            assert!(!path.contains(':') && !path.contains("evil.example"), "{target} redirects to {location}");
        } else {
            assert_eq!(r.status, 404, "{target}");
        }
        // Nothing of the target reaches the response head as a header of its own.
        let names: Vec<&str> = r.head.lines().skip(1).filter_map(|l| l.split_once(':').map(|(k, _)| k)).collect();
        assert!(names.iter().all(|n| !n.contains(' ') && *n != "X"), "{target}: {names:?}");
        assert!(names.iter().filter(|n| n.eq_ignore_ascii_case("location")).count() <= 1, "{target}: {names:?}");
    }
}

#[test]
fn requests_for_another_host_get_nothing_of_the_site() {
    let server = Server::start(TestSite::fixture("basic"));
    let port = server.addr.rsplit(':').next().unwrap().parse::<u16>().unwrap();
    // What a page of another site makes the browser send, after DNS rebinding pointed its
    // name at this server: the Host header is that name.
    let foreign = [
        "Host: evil.example\r\n".to_string(),
        format!("Host: evil.example:{port}\r\n"),
        format!("Host: 127.0.0.1.evil.example:{port}\r\n"),
        format!("host: localhost.evil.example:{port}\r\n"),
        format!("Host: 127.0.0.1:{}\r\n", port.wrapping_add(1)),
        "Host: 127.0.0.1\r\n".to_string(),
        "Host: \r\n".to_string(),
        // None at all, and two (which could be read as either).
        String::new(),
        format!("Host: 127.0.0.1:{port}\r\nHost: evil.example:{port}\r\n"),
    ];
    let targets = [
        "/",
        "/enclaves/alpha/",
        "//enclaves",
        "/data/enclaves.json",
        "/__feidi/live.js",
        "/__feidi/status",
        "/__feidi/events?page=enclaves%2Falpha%2Findex.html&v=0",
    ];
    for host in &foreign {
        for target in targets {
            let r = send(&server.addr, &format!("GET {target} HTTP/1.1\r\n{host}Connection: close\r\n\r\n"));
            assert!((400..500).contains(&r.status), "{target} with {host:?}: {}", r.status);
            let text = r.text();
            assert!(text.len() < 100 && !text.contains('<') && !text.contains('{'), "{target} with {host:?}: {text}");
            assert!(r.header("location").is_none(), "{target} with {host:?}");
        }
    }
    // The names of this server, in any case, with the header name in any case.
    for host in [
        format!("Host: 127.0.0.1:{port}"),
        format!("host: localhost:{port}"),
        format!("HOST: LocalHost:{port}"),
        format!("Host:[::1]:{port}"),
    ] {
        let r = send(&server.addr, &format!("GET /enclaves/alpha/ HTTP/1.1\r\n{host}\r\nConnection: close\r\n\r\n"));
        assert_eq!(r.status, 200, "{host}");
        assert!(r.text().contains("阿尔法创新中心"), "{host}");
    }
    // Heads too long, or with too many headers, are refused as before.
    let many = "X-A: b\r\n".repeat(200);
    let r = send(&server.addr, &format!("GET / HTTP/1.1\r\nHost: {}\r\n{many}\r\n", server.addr));
    assert_eq!(r.status, 400);
    let long = "x".repeat(20 * 1024);
    let r = send(&server.addr, &format!("GET / HTTP/1.1\r\nHost: {}\r\nX-Long: {long}\r\n\r\n", server.addr));
    assert_eq!(r.status, 400);
}

#[test]
fn many_connections_and_open_event_streams_do_not_stall_it() {
    let server = Server::start(TestSite::fixture("basic"));
    let version = server.version_of("/enclaves/alpha/");
    // Tabs that stay open: each holds a connection for as long as it lives.
    let mut streams: Vec<Events> = (0..40).map(|_| server.events(ALPHA_PAGE, version)).collect();
    let start = Instant::now();
    let handles: Vec<_> = (0..64)
        .map(|i| {
            let addr = server.addr.clone();
            std::thread::spawn(move || {
                let target = if i % 2 == 0 { "/enclaves/alpha/" } else { "/data/enclaves.json" };
                request(&addr, "GET", target).status
            })
        })
        .collect();
    for h in handles {
        assert_eq!(h.join().unwrap(), 200);
    }
    assert!(start.elapsed() < Duration::from_secs(10), "64 requests took {:?}", start.elapsed());
    // A connection that sends nothing does not hold up the others either.
    let _idle = TcpStream::connect(&server.addr).unwrap();
    assert_eq!(server.get("/").status, 200);
    server.site.edit(ALPHA, "name: 阿尔法创新中心", "name: 阿尔法改名中心");
    for s in &mut streams {
        s.expect("reload");
    }
}

#[test]
fn idle_connections_do_not_lock_out_requests() {
    let server = Server::start(TestSite::fixture("basic"));
    let version = server.version_of("/enclaves/alpha/");
    let mut tab = server.events(ALPHA_PAGE, version);
    tab.expect("ok");
    // Connections that never send a request: more than the server has threads for at once.
    let idle: Vec<TcpStream> = (0..600).map(|_| TcpStream::connect(&server.addr).unwrap()).collect();
    // And one that sends its head a byte at a time, to keep its connection.
    let mut slow = TcpStream::connect(&server.addr).unwrap();
    let slow_since = Instant::now();
    let mut trickle = slow.try_clone().unwrap();
    let head = format!("GET / HTTP/1.1\r\nHost: {}\r\nX-Slow: {}", server.addr, "a".repeat(200));
    let writer = std::thread::spawn(move || {
        for b in head.bytes() {
            if trickle.write_all(&[b]).is_err() {
                break;
            }
            std::thread::sleep(Duration::from_millis(50));
        }
    });
    // A new request is still answered at once.
    let start = Instant::now();
    let r = server.get("/");
    assert_eq!(r.status, 200);
    assert!(start.elapsed() < Duration::from_secs(2), "GET / took {:?} behind idle connections", start.elapsed());
    assert!(server.get("/enclaves/alpha/").text().contains("阿尔法创新中心"));
    // The oldest idle connections were closed to make room, without a response.
    let mut first = &idle[0];
    first.set_read_timeout(Some(Duration::from_secs(5))).unwrap();
    match first.read(&mut [0; 64]) {
        Ok(0) => {}
        Err(e) if e.kind() == std::io::ErrorKind::ConnectionReset => {}
        other => panic!("the oldest idle connection is still open or was answered: {other:?}"),
    }
    // The head sent a byte at a time is cut off after a few seconds.
    slow.set_read_timeout(Some(TIMEOUT)).unwrap();
    let mut answer = Vec::new();
    let _ = slow.read_to_end(&mut answer);
    assert!(slow_since.elapsed() < Duration::from_secs(8), "a slow head held on for {:?}", slow_since.elapsed());
    assert!(String::from_utf8_lossy(&answer).starts_with("HTTP/1.1 408"), "{}", String::from_utf8_lossy(&answer));
    writer.join().unwrap();
    // Open tabs were not touched: they still reload.
    server.site.edit(ALPHA, "name: 阿尔法创新中心", "name: 阿尔法改名中心");
    tab.expect("reload");
    drop(idle);
}

#[test]
fn closed_output_does_not_stop_serving_or_rebuilding() {
    let server = Server::start_then_close_output(TestSite::fixture("basic"), false);
    // Every rebuild now writes to a closed pipe: the quick one and the background one.
    server.site.edit(ALPHA, "name: 阿尔法创新中心", "name: 阿尔法改名中心");
    server.wait_for("the edited page", "/enclaves/alpha/", |r| r.text().contains("阿尔法改名中心"));
    server.wait_for("the list to show the edit", "/enclaves/", |r| r.text().contains("阿尔法改名中心"));
    server.site.edit(ALPHA, "阿尔法中心的", "阿尔法中心新的");
    server.wait_for("the second edit", "/enclaves/alpha/", |r| r.text().contains("阿尔法中心新的"));
    poll("the background rebuild to finish", || (server.status()["busy"] == false).then_some(()));
    let mut server = server;
    assert!(server.child.try_wait().unwrap().is_none(), "serve is still running");
    let stderr = server.output();
    assert!(!stderr.contains("panicked") && !stderr.contains("unexpectedly"), "{stderr}");

    // With standard error closed as well, a failed build still reaches open pages.
    let server = Server::start_then_close_output(TestSite::fixture("basic"), true);
    let mut events = server.events(ALPHA_PAGE, server.version_of("/enclaves/alpha/"));
    events.expect("ok");
    server.site.edit(ALPHA, "host: 闵行区", "host: 闵行X区");
    assert!(events.expect("errors").contains("unknown place `闵行X区`"));
    assert_eq!(server.status()["errors"], 1);
    server.site.edit(ALPHA, "host: 闵行X区", "host: 闵行区");
    events.expect("ok");
    server.site.edit(ALPHA, "name: 阿尔法创新中心", "name: 阿尔法改名中心");
    events.expect("reload");
    assert!(server.get("/enclaves/alpha/").text().contains("阿尔法改名中心"));
    let mut server = server;
    assert!(server.child.try_wait().unwrap().is_none(), "serve is still running");
}

#[test]
fn a_site_that_does_not_build_yet_is_served_once_fixed() {
    let site = TestSite::fixture("basic");
    site.edit(ALPHA, "host: 闵行区", "host: nowhere");
    let server = Server::start(site);
    let r = server.get("/enclaves/alpha/");
    assert_eq!(r.status, 503);
    assert!(r.text().contains("does not build yet") && r.text().contains("/__feidi/live.js"));
    let mut events = server.events(ALPHA_PAGE, 0);
    let data = events.expect("errors");
    assert!(data.contains("unknown place `nowhere`"), "{data}");
    server.site.edit(ALPHA, "host: nowhere", "host: 闵行区");
    events.expect("reload");
    assert!(server.get("/enclaves/alpha/").text().contains("阿尔法创新中心"));
}

#[cfg(unix)]
#[test]
fn ctrl_c_stops_it_and_leaves_nothing_behind() {
    let server = Server::start(TestSite::fixture("basic"));
    let before = common::snapshot(server.site.root());
    assert_eq!(server.get("/").status, 200);
    let mut server = server;
    let pid = server.child.id().to_string();
    assert!(Command::new("kill").args(["-INT", &pid]).status().unwrap().success());
    poll("the server to stop", || server.child.try_wait().unwrap());
    assert!(TcpStream::connect(&server.addr).is_err(), "the port is released");
    assert!(common::snapshot(server.site.root()) == before, "serve writes nothing into the site folder");
}

#[test]
fn a_port_in_use_is_reported() {
    let server = Server::start(TestSite::fixture("basic"));
    let port = server.addr.rsplit(':').next().unwrap().to_string();
    let run = common::feidi(&["serve", "--root", server.site.root().to_str().unwrap(), "--port", &port]);
    assert_eq!(run.code, 1);
    assert!(run.stderr.contains("cannot listen on") && run.stderr.contains("--port 0"), "{}", run.stderr);
}

/// The page's error overlay, in JavaScript.
const OVERLAY: &str = "document.getElementById('feidi-overlay')";

/// A browser on alpha's page served by `server`, after an edit that reloads it and one that
/// breaks the build, so that the page shows the overlay.
fn page_with_an_error_overlay(server: &Server) -> common::browser::Browser {
    let mut browser = common::browser::Browser::launch(1000, 800);
    browser.goto(&format!("http://{}/enclaves/alpha/", server.addr));
    browser.wait_for("document.body.textContent.includes('阿尔法创新中心')", 15_000);
    // A marker that a reload wipes.
    browser.eval("window.stillHere = true");
    server.site.edit(ALPHA, "name: 阿尔法创新中心", "name: 阿尔法改名中心");
    browser.wait_for("!window.stillHere && document.body.textContent.includes('阿尔法改名中心')", 15_000);

    browser.eval("window.stillHere = true");
    server.site.edit(ALPHA, "host: 闵行区", "host: 闵行X区");
    browser.wait_for(&format!("{OVERLAY} && {OVERLAY}.textContent.includes('content/enclaves/alpha.md:6:7')"), 15_000);
    browser
}

#[test]
fn in_a_browser_the_page_reloads_and_shows_errors_over_itself() {
    let server = Server::start(TestSite::fixture("basic"));
    let mut browser = page_with_an_error_overlay(&server);
    let text = browser.eval(&format!("{OVERLAY}.textContent")).as_str().unwrap().to_string();
    assert!(text.contains("unknown place `闵行X区`") && text.contains("did you mean `闵行区`?"), "{text}");
    assert_eq!(browser.eval("window.stillHere"), serde_json::json!(true), "the last good page stays");
    server.site.edit(ALPHA, "host: 闵行X区", "host: 闵行区");
    browser.wait_for(&format!("!{OVERLAY}"), 15_000);
}

/// A screenshot of the error overlay for a person to look at:
/// `cargo test --test serve -- --ignored overlay_screenshot` writes
/// `target/screenshots/serve-error-overlay.png`.
#[test]
#[ignore]
fn overlay_screenshot() {
    let server = Server::start(TestSite::fixture("basic"));
    let mut browser = page_with_an_error_overlay(&server);
    let shots = common::repo().join("target/screenshots");
    std::fs::create_dir_all(&shots).unwrap();
    browser.screenshot(&shots.join("serve-error-overlay.png"));
}

#[test]
fn after_edits_additions_and_deletions_it_serves_exactly_what_a_build_writes() {
    let server = Server::start(TestSite::fixture("basic"));
    let site = &server.site;
    // Saves in quick succession, so that background updates are cancelled and resumed.
    site.edit(ALPHA, "name: 阿尔法创新中心", "name: 阿尔法改名中心");
    site.edit(BETA, "host: shenzhen", "host: 闵行区");
    let gamma = site.read(GAMMA);
    site.write("content/enclaves/delta.md", &gamma.replace("伽马飞地", "德尔塔飞地").replace("jiashan", "huishan"));
    std::fs::remove_file(site.path(GAMMA)).unwrap();
    site.edit("content/operators/cmsk.md", "name: 招商蛇口", "name: 招商局蛇口");
    site.edit("content/operators/cmsk.md", "aliases: [CMSK]", "aliases: [CMSK, 招商蛇口]");
    site.edit("content/terms/sectors.yaml", "name: 人工智能", "name: 人工智能产业");
    server.wait_for("the new operator name", "/enclaves/alpha/", |r| r.text().contains("招商局蛇口"));
    poll("the server to finish", || {
        let s = server.status();
        (s["busy"] == false && s["errors"] == 0).then_some(())
    });

    let built = assert_serves_what_a_build_writes(&server);
    assert!(built.contains_key("enclaves/delta/index.html") && !built.contains_key("enclaves/gamma/index.html"));
}

#[test]
fn after_edits_of_descriptions_only_it_serves_exactly_what_a_build_writes() {
    let server = Server::start(TestSite::fixture("basic"));
    let site = &server.site;
    // A description-only edit, once the first build is complete: every page but the edited
    // one is then left as it is, save those naming the new search index.
    poll("the first build to finish", || (server.status()["busy"] == false).then_some(()));
    site.edit(ALPHA, "阿尔法中心的**描述**", "阿尔法中心的**新描述**，写到了独有词汇");
    // The edited page is served first from the last site with its new description, before
    // the site is resolved again: it must already be the page the new site gives (the page
    // does not change, nor reload, once the rest of the site is done).
    let first = server.wait_for("the new description", "/enclaves/alpha/", |r| r.text().contains("独有词汇"));
    poll("the server to finish", || {
        let s = server.status();
        (s["busy"] == false && s["errors"] == 0).then_some(())
    });
    // The body holds the page's version (in its reload script): the same bytes mean it was
    // not published again.
    assert!(
        server.get("/enclaves/alpha/").body == first.body,
        "the edited page was served once, as the new site renders it"
    );
    assert_serves_what_a_build_writes(&server);
    // And again, in quick succession, on two enclaves, then one whose other fields change too.
    site.edit(ALPHA, "独有词汇", "另一个词");
    site.edit(BETA, "host: shenzhen", "host: 闵行区");
    server.wait_for("the second edit", "/enclaves/alpha/", |r| r.text().contains("另一个词"));
    poll("the server to finish", || {
        let s = server.status();
        (s["busy"] == false && s["errors"] == 0).then_some(())
    });
    assert_serves_what_a_build_writes(&server);
}

/// What `feidi build` writes for the served site, by path.
fn build_of(server: &Server) -> std::collections::BTreeMap<String, Vec<u8>> {
    let out = common::tempdir();
    let public = out.path().join("public");
    let url = format!("http://{}/", server.addr);
    let run = common::feidi(&[
        "build",
        "--root",
        server.site.root().to_str().unwrap(),
        "--output",
        public.to_str().unwrap(),
        "--base-url",
        &url,
    ]);
    assert!(run.ok(), "{}", run.stderr);
    common::snapshot(&public)
}

/// Every file a build writes is served with the same bytes (pages with the reload script
/// taken out), and nothing else is served. Returns what the build wrote.
fn assert_serves_what_a_build_writes(server: &Server) -> std::collections::BTreeMap<String, Vec<u8>> {
    let built = build_of(server);
    // The manifest is the output folder's list of what `build` wrote, not a page of the site.
    for (rel, bytes) in built.iter().filter(|(rel, _)| rel.as_str() != ".feidi-manifest") {
        let r = server.get(&format!("/{rel}"));
        assert_eq!(r.status, 200, "{rel}");
        let mut served = r.body;
        if rel.ends_with(".html") {
            let text = String::from_utf8(served).unwrap();
            let start = text.find("<script src=\"/__feidi/live.js\"").unwrap_or_else(|| panic!("{rel}: no script"));
            let end = start + text[start..].find("</script>\n").unwrap() + "</script>\n".len();
            served = format!("{}{}", &text[..start], &text[end..]).into_bytes();
        }
        assert!(served == *bytes, "{rel} differs from the build");
    }
    let pages = built.len() - 1;
    assert_eq!(server.status()["files"], pages, "no extra files");
    built
}

#[test]
fn links_added_to_content_are_not_followed() {
    let server = Server::start(TestSite::fixture("basic"));
    let warnings_before = server.status()["warnings"].as_u64().unwrap();
    let outside = common::tempdir();
    let secret = common::outside_entry(outside.path());
    std::os::unix::fs::symlink(&secret, server.site.path("content/enclaves/leak.md")).unwrap();
    std::os::unix::fs::symlink("/etc/passwd", server.site.path("content/enclaves/pw.md")).unwrap();
    // A real edit after the links, so that the rebuild that follows has seen them.
    let version = server.version_of("/enclaves/alpha/");
    let mut events = server.events(ALPHA_PAGE, version);
    server.site.edit(ALPHA, "name: 阿尔法创新中心", "name: 阿尔法创新中心二号");
    let data = events.expect("reload");
    assert!(!data.contains("root:"));
    server.wait_for("the list to show the edit", "/enclaves/", |r| r.text().contains("阿尔法创新中心二号"));
    let s = server.status();
    assert_eq!(s["errors"], 0, "a link is no error: {s}");
    assert_eq!(s["warnings"], warnings_before + 2, "each link is warned about once: {s}");
    for target in ["/enclaves/leak/", "/enclaves/pw/"] {
        assert_eq!(server.get(target).status, 404, "{target}");
    }
    for target in ["/enclaves/", "/data/enclaves.json", "/search/"] {
        assert!(!server.get(target).text().contains("TOP-SECRET"), "{target}");
    }
    let out = server.output();
    assert!(!out.contains("root:") && !out.contains("TOP-SECRET"), "nothing from outside is printed:\n{out}");
}
