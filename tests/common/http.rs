//! A tiny static file server for browser tests: serves a folder on loopback, optionally under a
//! path prefix (to test sites published below `https://host/prefix/`).
#![allow(dead_code)]

use std::io::{BufRead, BufReader, Write};
use std::net::{TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};

/// A running server; stops when dropped.
pub struct StaticServer {
    /// `http://127.0.0.1:PORT/prefix/`.
    pub base_url: String,
    port: u16,
    stop: Arc<AtomicBool>,
}

impl Drop for StaticServer {
    fn drop(&mut self) {
        self.stop.store(true, Ordering::SeqCst);
        let _ = TcpStream::connect(("127.0.0.1", self.port));
    }
}

fn content_type(path: &Path) -> &'static str {
    match path.extension().and_then(|e| e.to_str()).unwrap_or("") {
        "html" => "text/html; charset=utf-8",
        "css" => "text/css; charset=utf-8",
        "js" => "text/javascript; charset=utf-8",
        "json" => "application/json; charset=utf-8",
        "csv" => "text/csv; charset=utf-8",
        "svg" => "image/svg+xml; charset=utf-8",
        "xml" => "application/xml; charset=utf-8",
        _ => "application/octet-stream",
    }
}

/// Serves `dir` at `http://127.0.0.1:<free port>/<prefix>`; `prefix` is `/` or `/feidi/`.
pub fn serve(dir: &Path, prefix: &str) -> StaticServer {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let port = listener.local_addr().unwrap().port();
    let stop = Arc::new(AtomicBool::new(false));
    let stop2 = stop.clone();
    let dir: PathBuf = dir.to_path_buf();
    let prefix = prefix.to_string();
    let base_url = format!("http://127.0.0.1:{port}{prefix}");
    std::thread::spawn(move || {
        for stream in listener.incoming() {
            if stop2.load(Ordering::SeqCst) {
                break;
            }
            let Ok(stream) = stream else { continue };
            let dir = dir.clone();
            let prefix = prefix.clone();
            std::thread::spawn(move || handle(stream, &dir, &prefix));
        }
    });
    StaticServer { base_url, port, stop }
}

fn percent_decode(s: &str) -> String {
    let bytes = s.as_bytes();
    let mut out = Vec::new();
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%'
            && i + 2 < bytes.len()
            && let Some(b) = std::str::from_utf8(&bytes[i + 1..i + 3]).ok().and_then(|h| u8::from_str_radix(h, 16).ok())
        {
            out.push(b);
            i += 3;
            continue;
        }
        out.push(bytes[i]);
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

fn handle(mut stream: TcpStream, dir: &Path, prefix: &str) {
    let mut reader = BufReader::new(stream.try_clone().unwrap());
    let mut request = String::new();
    if reader.read_line(&mut request).is_err() {
        return;
    }
    loop {
        let mut h = String::new();
        if reader.read_line(&mut h).unwrap_or(0) == 0 || h == "\r\n" {
            break;
        }
    }
    let target = request.split_whitespace().nth(1).unwrap_or("/");
    let path = percent_decode(target.split(['?', '#']).next().unwrap_or("/"));
    let file = path.strip_prefix(prefix).filter(|rest| !rest.split('/').any(|p| p == "..")).map(|rest| {
        let mut f = dir.join(rest);
        if rest.is_empty() || rest.ends_with('/') {
            f = f.join("index.html");
        }
        f
    });
    let (status, body, ctype) = match file.as_ref().and_then(|f| std::fs::read(f).ok().map(|b| (f, b))) {
        Some((f, b)) => ("200 OK", b, content_type(f)),
        None => ("404 Not Found", std::fs::read(dir.join("404.html")).unwrap_or_default(), "text/html; charset=utf-8"),
    };
    let head = format!(
        "HTTP/1.1 {status}\r\nContent-Type: {ctype}\r\nContent-Length: {}\r\nConnection: close\r\n\r\n",
        body.len()
    );
    let _ = stream.write_all(head.as_bytes());
    let _ = stream.write_all(&body);
}
