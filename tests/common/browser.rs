//! A small headless-Chromium driver for browser tests, speaking the DevTools protocol over a
//! WebSocket. Debian's `chromium` must be installed (`scripts/test` installs it).
#![allow(dead_code)]

use std::io::{BufRead, BufReader};
use std::net::TcpStream;
use std::os::unix::process::CommandExt;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use base64::Engine;
use serde_json::{Value, json};
use tungstenite::stream::MaybeTlsStream;
use tungstenite::{Message, WebSocket};

/// A running headless Chromium with one open tab. Chromium runs in a process group of its own,
/// with its profile, cache and temporary files (`TMPDIR`) in one test folder: dropping the
/// browser, on a panic too, closes it, kills whatever of the group is left, and removes that
/// folder, so that no process and no file outlives the test.
pub struct Browser {
    ws: WebSocket<MaybeTlsStream<TcpStream>>,
    session: String,
    next_id: u64,
    process: Chromium,
}

/// The Chromium process and its folder, from the moment it is started.
struct Chromium {
    child: Child,
    dir: Option<tempfile::TempDir>,
    /// Chromium was asked to close: give it a moment to do so.
    closing: bool,
}

/// The state and process group of process `pid`, from `/proc/<pid>/stat`.
fn stat(pid: &str) -> Option<(char, u32)> {
    let stat = std::fs::read_to_string(format!("/proc/{pid}/stat")).ok()?;
    // After the command name in brackets: state, parent, process group.
    let mut rest = stat.rsplit_once(')')?.1.split_whitespace();
    let state = rest.next()?.chars().next()?;
    let pgrp = rest.nth(1)?.parse().ok()?;
    Some((state, pgrp))
}

/// Whether a process of the group `pgid` is still running (exited ones waiting to be reaped
/// do not count: they hold no file and do nothing).
pub fn group_alive(pgid: u32) -> bool {
    let Ok(procs) = std::fs::read_dir("/proc") else { return false };
    procs.filter_map(Result::ok).any(|e| {
        let name = e.file_name();
        let name = name.to_string_lossy();
        name.bytes().all(|b| b.is_ascii_digit()) && stat(&name).is_some_and(|(state, g)| g == pgid && state != 'Z')
    })
}

/// Whether process `pid`, a child not yet waited for, has exited.
fn exited(pid: u32) -> bool {
    stat(&pid.to_string()).is_none_or(|(state, _)| state == 'Z')
}

/// Calls `done` until it holds or `timeout` has passed; returns its last answer.
fn poll_until(timeout: Duration, mut done: impl FnMut() -> bool) -> bool {
    let deadline = Instant::now() + timeout;
    while Instant::now() < deadline {
        if done() {
            return true;
        }
        std::thread::sleep(Duration::from_millis(20));
    }
    done()
}

impl Drop for Chromium {
    fn drop(&mut self) {
        let pid = self.child.id();
        if self.closing {
            poll_until(Duration::from_secs(5), || exited(pid));
        }
        // Whatever is left of the group (renderers, helpers). The leader is not waited for yet,
        // so the group's id cannot have passed to another process.
        let _ = Command::new("kill").args(["-KILL", "--", &format!("-{pid}")]).stderr(Stdio::null()).status();
        let _ = self.child.kill();
        let _ = self.child.wait();
        poll_until(Duration::from_secs(5), || !group_alive(pid));
        if let Some(dir) = self.dir.take() {
            let path = dir.path().to_path_buf();
            // A helper killed a moment ago may still have been writing: try again briefly.
            poll_until(Duration::from_secs(5), || std::fs::remove_dir_all(&path).is_ok() || !path.exists());
            drop(dir);
        }
    }
}

impl Drop for Browser {
    fn drop(&mut self) {
        // Ask Chromium to close, so that it removes its own files; never panic here. The process
        // is dropped next.
        self.next_id += 1;
        let close = json!({ "id": self.next_id, "method": "Browser.close", "params": {} });
        self.process.closing = self.ws.send(Message::text(close.to_string())).is_ok();
    }
}

/// Chromium's folder: in `target/tmp/` like every test folder (`common::tempdir`, which the
/// benchmark that shares this file does not have), unless the path of the socket Chromium makes
/// in its temporary files would be longer than a Unix socket's path may be (108 bytes, less
/// some room); then in the system's temporary folder, removed all the same when the browser
/// goes.
fn folder() -> tempfile::TempDir {
    let root = Path::new(env!("CARGO_TARGET_TMPDIR"));
    let socket = "/feidi-test-XXXXXX/t/org.chromium.Chromium.XXXXXX/SingletonSocket";
    let root = if root.as_os_str().len() + socket.len() < 100 { root.to_path_buf() } else { std::env::temp_dir() };
    std::fs::create_dir_all(&root).unwrap();
    tempfile::Builder::new().prefix("feidi-test-").tempdir_in(root).unwrap()
}

fn chromium() -> String {
    for candidate in ["/usr/bin/chromium", "/usr/bin/chromium-browser", "/usr/bin/google-chrome"] {
        if std::path::Path::new(candidate).exists() {
            return candidate.to_string();
        }
    }
    panic!("headless Chromium is missing: run scripts/test, which installs Debian's chromium");
}

impl Browser {
    /// Starts Chromium and opens a blank tab of the given viewport size.
    pub fn launch(width: u32, height: u32) -> Browser {
        let dir = folder();
        let (profile, cache, tmp) = (dir.path().join("profile"), dir.path().join("cache"), dir.path().join("t"));
        for d in [&profile, &cache, &tmp] {
            std::fs::create_dir(d).unwrap();
        }
        let child = Command::new(chromium())
            .env("TMPDIR", &tmp)
            .process_group(0)
            .args([
                "--headless",
                "--no-sandbox",
                "--disable-gpu",
                "--disable-quic",
                "--no-first-run",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
                "--hide-scrollbars",
                "--allow-file-access-from-files",
                "--disable-dev-shm-usage",
                "--disable-crash-reporter",
                "--remote-debugging-port=0",
                &format!("--user-data-dir={}", profile.display()),
                &format!("--disk-cache-dir={}", cache.display()),
                &format!("--window-size={width},{height}"),
                "about:blank",
            ])
            .stdout(Stdio::null())
            .stderr(Stdio::piped())
            .spawn()
            .expect("chromium starts");
        // From here on, a panic still kills Chromium and removes its folder.
        let mut process = Chromium { child, dir: Some(dir), closing: false };
        let stderr = process.child.stderr.take().unwrap();
        let mut reader = BufReader::new(stderr);
        let mut ws_url = None;
        let mut line = String::new();
        let mut said = String::new();
        let deadline = Instant::now() + Duration::from_secs(30);
        while Instant::now() < deadline {
            line.clear();
            if reader.read_line(&mut line).unwrap_or(0) == 0 {
                break;
            }
            if let Some(i) = line.find("ws://") {
                ws_url = Some(line[i..].trim().to_string());
                break;
            }
            said.push_str(&line);
        }
        // Keep draining stderr so Chromium never blocks on a full pipe.
        std::thread::spawn(move || {
            let mut sink = String::new();
            while reader.read_line(&mut sink).unwrap_or(0) > 0 {
                sink.clear();
            }
        });
        let ws_url = ws_url.unwrap_or_else(|| panic!("chromium printed no DevTools address; it said:\n{said}"));
        let (ws, _) = tungstenite::connect(ws_url.as_str()).expect("connects to DevTools");
        if let MaybeTlsStream::Plain(s) = ws.get_ref() {
            s.set_read_timeout(Some(Duration::from_secs(60))).unwrap();
        }
        let mut b = Browser { ws, session: String::new(), next_id: 0, process };
        let target = b.call_browser("Target.createTarget", json!({ "url": "about:blank" }));
        let target_id = target["targetId"].as_str().unwrap().to_string();
        let attached = b.call_browser("Target.attachToTarget", json!({ "targetId": target_id, "flatten": true }));
        b.session = attached["sessionId"].as_str().unwrap().to_string();
        b.call("Page.enable", json!({}));
        b.call("Runtime.enable", json!({}));
        b.set_viewport(width, height);
        b
    }

    /// The process id of Chromium's main process (and the id of its process group).
    pub fn pid(&self) -> u32 {
        self.process.child.id()
    }

    /// The folder that holds the profile, the cache and the temporary files (`t/`).
    pub fn folder(&self) -> PathBuf {
        self.process.dir.as_ref().unwrap().path().to_path_buf()
    }

    fn send(&mut self, method: &str, params: Value, session: Option<String>) -> Value {
        match self.try_send(method, params, session) {
            Ok(v) => v,
            Err(err) => panic!("{method} failed: {err}"),
        }
    }

    /// Sends a command; a protocol error (such as "execution context was destroyed" while a page
    /// navigates) comes back as `Err` instead of a panic.
    fn try_send(&mut self, method: &str, params: Value, session: Option<String>) -> Result<Value, Value> {
        self.next_id += 1;
        let id = self.next_id;
        let mut msg = json!({ "id": id, "method": method, "params": params });
        if let Some(s) = session {
            msg["sessionId"] = json!(s);
        }
        self.ws.send(Message::text(msg.to_string())).expect("DevTools accepts the command");
        loop {
            let m = self.ws.read().expect("DevTools answers");
            let Message::Text(text) = m else { continue };
            let v: Value = serde_json::from_str(text.as_str()).unwrap();
            if v["id"] == json!(id) {
                if let Some(err) = v.get("error") {
                    return Err(err.clone());
                }
                return Ok(v["result"].clone());
            }
        }
    }

    fn call_browser(&mut self, method: &str, params: Value) -> Value {
        self.send(method, params, None)
    }

    /// Sends a DevTools command to the tab and returns its result.
    pub fn call(&mut self, method: &str, params: Value) -> Value {
        let s = self.session.clone();
        self.send(method, params, Some(s))
    }

    /// Sets the viewport (CSS pixels).
    pub fn set_viewport(&mut self, width: u32, height: u32) {
        self.call(
            "Emulation.setDeviceMetricsOverride",
            json!({ "width": width, "height": height, "deviceScaleFactor": 1, "mobile": width < 600 }),
        );
    }

    /// Opens `url` and waits until the document has loaded.
    pub fn goto(&mut self, url: &str) {
        self.call("Page.navigate", json!({ "url": url }));
        self.wait_for("document.readyState === 'complete' && location.href !== 'about:blank'", 15_000);
    }

    /// Evaluates a JavaScript expression (awaiting a promise) and returns its JSON value.
    pub fn eval(&mut self, expression: &str) -> Value {
        let r = self.call(
            "Runtime.evaluate",
            json!({ "expression": expression, "awaitPromise": true, "returnByValue": true, "userGesture": true }),
        );
        if let Some(ex) = r.get("exceptionDetails") {
            panic!("script failed: {expression}\n{ex}");
        }
        r["result"]["value"].clone()
    }

    /// Polls `condition` (a JavaScript expression) until it is truthy; panics after `timeout_ms`.
    pub fn wait_for(&mut self, condition: &str, timeout_ms: u64) -> Value {
        let deadline = Instant::now() + Duration::from_millis(timeout_ms);
        loop {
            let session = self.session.clone();
            // While a page navigates, evaluation can fail for want of a context: that only means
            // "not yet".
            let r = self
                .try_send(
                    "Runtime.evaluate",
                    json!({ "expression": format!("(() => {{ try {{ return {condition}; }} catch (e) {{ return false; }} }})()"), "returnByValue": true }),
                    Some(session),
                )
                .unwrap_or(Value::Null);
            let v = r["result"]["value"].clone();
            let truthy = !(v.is_null() || v == json!(false) || v == json!(0) || v == json!(""));
            if truthy {
                return v;
            }
            if Instant::now() > deadline {
                panic!("timed out waiting for: {condition}");
            }
            std::thread::sleep(Duration::from_millis(25));
        }
    }

    /// Focuses the element matching `selector`.
    pub fn focus(&mut self, selector: &str) {
        let sel = serde_json::to_string(selector).unwrap();
        let found = self.eval(&format!(
            "(() => {{ const e = document.querySelector({sel}); if (!e) return false; e.focus(); return true; }})()"
        ));
        assert_eq!(found, json!(true), "no element matches {selector}");
    }

    /// Types text into the focused element as a person would (input events included).
    pub fn type_text(&mut self, text: &str) {
        for c in text.chars() {
            self.call("Input.insertText", json!({ "text": c.to_string() }));
        }
    }

    /// Presses a key: a named key (`Enter`, `ArrowDown`, `ArrowUp`, `Escape`, `Backspace`,
    /// `Tab`) or a single printable character such as `/`.
    pub fn press(&mut self, key: &str) {
        let (code, vk, text) = match key {
            "Enter" => ("Enter", 13, Some("\r")),
            "ArrowDown" => ("ArrowDown", 40, None),
            "ArrowUp" => ("ArrowUp", 38, None),
            "Escape" => ("Escape", 27, None),
            "Backspace" => ("Backspace", 8, None),
            "Tab" => ("Tab", 9, None),
            "/" => ("Slash", 191, Some("/")),
            other => panic!("press: unsupported key {other}"),
        };
        let mut down = json!({ "type": "keyDown", "key": key, "code": code, "windowsVirtualKeyCode": vk, "nativeVirtualKeyCode": vk });
        if let Some(t) = text {
            down["text"] = json!(t);
            down["unmodifiedText"] = json!(t);
        }
        self.call("Input.dispatchKeyEvent", down);
        self.call("Input.dispatchKeyEvent", json!({ "type": "keyUp", "key": key, "code": code, "windowsVirtualKeyCode": vk, "nativeVirtualKeyCode": vk }));
    }

    /// Clicks the centre of the element matching `selector` with real mouse events.
    pub fn click(&mut self, selector: &str) {
        let sel = serde_json::to_string(selector).unwrap();
        let rect = self.eval(&format!(
            "(() => {{ const e = document.querySelector({sel}); if (!e) return null; e.scrollIntoView({{block: 'center'}}); const r = e.getBoundingClientRect(); return [r.x + r.width / 2, r.y + r.height / 2]; }})()"
        ));
        let (x, y) = match rect.as_array() {
            Some(a) => (a[0].as_f64().unwrap(), a[1].as_f64().unwrap()),
            None => panic!("no element matches {selector}"),
        };
        for kind in ["mousePressed", "mouseReleased"] {
            self.call(
                "Input.dispatchMouseEvent",
                json!({ "type": kind, "x": x, "y": y, "button": "left", "clickCount": 1 }),
            );
        }
    }

    /// The current URL.
    pub fn url(&mut self) -> String {
        self.eval("location.href").as_str().unwrap_or_default().to_string()
    }

    /// Waits until the site's search shows complete results (body shards included) for what
    /// its box holds.
    pub fn settle_search(&mut self, timeout_ms: u64) {
        self.wait_for(
            "(() => { const s = document.getElementById('search'); return s.dataset.state === 'done' && s.dataset.rendered === document.getElementById('q').value; })()",
            timeout_ms,
        );
    }

    /// Types `q` into the search box, replacing what it held (an empty `q` clears it), and
    /// waits for its results.
    pub fn type_query(&mut self, q: &str, timeout_ms: u64) {
        self.focus("#q");
        self.eval("document.getElementById('q').select()");
        if q.is_empty() {
            self.press("Backspace");
        } else {
            self.type_text(q);
        }
        let want = serde_json::to_string(q).unwrap();
        self.wait_for(&format!("document.getElementById('q').value === {want}"), timeout_ms);
        self.settle_search(timeout_ms);
    }

    /// The `data-slug` values of the elements matching `selector` that are displayed.
    pub fn slugs(&mut self, selector: &str) -> Vec<String> {
        let sel = serde_json::to_string(selector).unwrap();
        let v = self.eval(&format!(
            "Array.from(document.querySelectorAll({sel})).filter(e => e.offsetParent !== null || e.getClientRects().length > 0).map(e => e.dataset.slug)"
        ));
        serde_json::from_value(v).unwrap_or_default()
    }

    /// Saves a PNG screenshot of the full page at the current viewport width. For `#[ignore]`d
    /// tests only: an ordinary run writes no screenshot.
    pub fn screenshot(&mut self, path: &Path) {
        let r = self.call("Page.captureScreenshot", json!({ "format": "png", "captureBeyondViewport": true }));
        let data = base64::engine::general_purpose::STANDARD.decode(r["data"].as_str().unwrap()).unwrap();
        std::fs::write(path, data).unwrap();
    }
}
