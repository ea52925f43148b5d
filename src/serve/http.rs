//! A small HTTP/1.1 server for the dev loop, on `std::net`.
//!
//! One thread per connection: a page load is a handful of requests, and the live-reload event
//! streams stay open for as long as a tab does, so each needs a thread of its own that waits
//! without holding up the others. Every response closes its connection, which keeps the
//! protocol small (no keep-alive, no chunking) at no cost that matters on loopback. Connections
//! still waiting for their request head, event streams and requests being answered are counted
//! apart, each with a limit of its own, and a head must come within a few seconds: connections
//! that send nothing cannot lock out the page loads (see [`Connections`]).
//!
//! Files come from memory, from the last good build, by their exact output path: a URL can name
//! nothing else (no `..`, no symlink, no folder listing), and what is served is never half
//! written. Only requests naming this server in their `Host` header are answered (see
//! [`Listening::allows`]), so that no other web site can read the dev server through DNS
//! rebinding.

use std::collections::BTreeMap;
use std::io::{BufRead, BufReader, Read, Write};
use std::net::{IpAddr, Ipv4Addr, Ipv6Addr, Shutdown, TcpListener, TcpStream};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use super::{Shared, lock, reload};

/// The most connections waiting for their request head at once. A new connection past it
/// closes the oldest waiting one: a browser sends its request as soon as it connects, so the
/// oldest is the one least likely to ever send one, and the newest always gets its turn.
const MAX_WAITING: usize = 128;
/// The most live-reload event streams at once (a tab each); more get `503`.
const MAX_STREAMS: usize = 256;
/// The most requests being answered at once; more get `503`.
const MAX_ANSWERING: usize = 256;
/// The longest request head read.
const MAX_HEAD: usize = 16 * 1024;
/// The most header lines read in a request head.
const MAX_HEADERS: usize = 100;
/// How long a client may take to send its whole request head, from connecting: browsers send
/// it at once, and a connection that sends nothing (or a byte at a time) holds a thread.
const HEAD_TIMEOUT: Duration = Duration::from_secs(5);
/// How long a client may take to take a response.
const IO_TIMEOUT: Duration = Duration::from_secs(10);
/// The stack of a connection thread: it holds no more than a few buffers' bookkeeping.
const STACK: usize = 256 * 1024;
/// The prefix of the server's own URLs (the reload script and its event stream).
pub const OWN: &str = "/__feidi/";

/// The address the server listens on, which every request must name as its `Host`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Listening {
    /// The address bound (`127.0.0.1`, `0.0.0.0` ...).
    pub ip: IpAddr,
    /// The port bound.
    pub port: u16,
}

impl Listening {
    /// Whether a request with this `Host` header is for this server.
    ///
    /// A page of any web site may make the browser send requests here, and with DNS rebinding
    /// (a name of the attacker's that first resolves to their server, then to 127.0.0.1) it can
    /// even read the answers, as they are same-origin to it. What gives it away is the `Host`
    /// header: the attacker's name. So the host must be `localhost`, a loopback IP literal
    /// (`127.0.0.1`, `[::1]`) or the bound address, with the port served; when bound to every
    /// address (`0.0.0.0`, `::`) any IP literal, which no one can point elsewhere, and
    /// `localhost`. The port may be left out only when it is 80, as browsers then do.
    pub fn allows(&self, host: &str) -> bool {
        let (name, port) = match host.strip_prefix('[') {
            Some(rest) => match rest.split_once(']') {
                Some((v6, port)) => (v6, port),
                None => return false,
            },
            None => host.split_at(host.rfind(':').unwrap_or(host.len())),
        };
        let port_ok = match port {
            "" => self.port == 80,
            p => p
                .strip_prefix(':')
                .is_some_and(|p| !p.is_empty() && p.bytes().all(|b| b.is_ascii_digit()) && p.parse() == Ok(self.port)),
        };
        if !port_ok {
            return false;
        }
        if host.starts_with('[') {
            return name.parse::<Ipv6Addr>().is_ok_and(|ip| self.allows_ip(IpAddr::V6(ip)));
        }
        if name.eq_ignore_ascii_case("localhost") {
            return true;
        }
        name.parse::<Ipv4Addr>().is_ok_and(|ip| self.allows_ip(IpAddr::V4(ip)))
    }

    fn allows_ip(&self, ip: IpAddr) -> bool {
        ip.is_loopback() || ip == self.ip || self.ip.is_unspecified()
    }
}

/// Accepts connections until the process ends.
pub fn serve(listener: TcpListener, shared: Arc<Shared>) {
    let listening = match listener.local_addr() {
        Ok(a) => Listening { ip: a.ip(), port: a.port() },
        // Cannot happen on a bound listener; a loopback default keeps the check strict.
        Err(_) => Listening { ip: IpAddr::V4(Ipv4Addr::LOCALHOST), port: 0 },
    };
    let conns = Arc::new(Connections::default());
    for stream in listener.incoming() {
        let stream = match stream {
            Ok(s) => s,
            Err(_) => {
                // Out of file descriptors or the like: wait a moment rather than spin.
                std::thread::sleep(Duration::from_millis(20));
                continue;
            }
        };
        let waiting = Waiting::arrive(&conns, &stream);
        let shared = shared.clone();
        let conns2 = conns.clone();
        let spawned = std::thread::Builder::new().name("feidi-http".into()).stack_size(STACK).spawn(move || {
            handle(stream, &shared, listening, &conns2, waiting);
        });
        if spawned.is_err() {
            // The stream and its place among the waiting went with the closure.
            std::thread::sleep(Duration::from_millis(20));
        }
    }
}

/// The connections open, by what they do: waiting for their request head, streaming events, or
/// being answered. Each kind has a limit of its own, so that connections which send nothing
/// cannot take the place of requests, nor open tabs that of page loads.
#[derive(Debug, Default)]
struct Connections {
    /// The waiting ones by arrival, oldest first, with a handle to close them by; and the next
    /// arrival's number.
    waiting: Mutex<(u64, BTreeMap<u64, TcpStream>)>,
    streams: AtomicUsize,
    answering: AtomicUsize,
}

/// A connection's place among the waiting; it leaves when the head is read or the connection
/// ends.
struct Waiting {
    conns: Arc<Connections>,
    id: u64,
    /// When the connection was accepted.
    since: Instant,
}

impl Waiting {
    /// Counts `stream` as waiting, closing the oldest waiting connections past [`MAX_WAITING`].
    fn arrive(conns: &Arc<Connections>, stream: &TcpStream) -> Waiting {
        let since = Instant::now();
        let handle = stream.try_clone();
        let mut w = lock(&conns.waiting);
        while w.1.len() >= MAX_WAITING {
            let Some((_, oldest)) = w.1.pop_first() else { break };
            // Its thread, blocked reading, sees the end of the stream and stops.
            let _ = oldest.shutdown(Shutdown::Both);
        }
        let id = w.0;
        w.0 += 1;
        // Without a handle (out of file descriptors) the connection still has its timeout.
        if let Ok(h) = handle {
            w.1.insert(id, h);
        }
        Waiting { conns: conns.clone(), id, since }
    }

    /// Leaves the waiting; false when the connection was closed to make room.
    fn leave(self) -> bool {
        lock(&self.conns.waiting).1.remove(&self.id).is_some()
    }
}

impl Drop for Waiting {
    fn drop(&mut self) {
        lock(&self.conns.waiting).1.remove(&self.id);
    }
}

/// A place among at most `max` connections of a kind, held until dropped.
struct Slot<'a>(&'a AtomicUsize);

impl<'a> Slot<'a> {
    fn take(count: &'a AtomicUsize, max: usize) -> Option<Slot<'a>> {
        if count.fetch_add(1, Ordering::SeqCst) >= max {
            count.fetch_sub(1, Ordering::SeqCst);
            return None;
        }
        Some(Slot(count))
    }
}

impl Drop for Slot<'_> {
    fn drop(&mut self) {
        self.0.fetch_sub(1, Ordering::SeqCst);
    }
}

/// A parsed request: only what the server looks at.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Request {
    /// `GET`, `HEAD` ...
    pub method: String,
    /// The request target as sent (`/enclaves/a/?x=1`).
    pub target: String,
    /// The `Host` header, when there was exactly one.
    pub host: Option<String>,
}

/// Why no request was read.
#[derive(Debug, PartialEq, Eq)]
enum NoRequest {
    /// The connection ended, or timed out, before sending anything.
    Nothing,
    /// The head did not come in time.
    Slow,
    /// Not a request: no request line, a head longer than [`MAX_HEAD`] or with more than
    /// [`MAX_HEADERS`] headers, a header line that is not `name: value`, or two `Host` headers
    /// (which could name two hosts).
    Bad,
}

/// Reads from a stream until a deadline, however the reads are spread out: a per-read timeout
/// alone lets a client keep a connection by sending a byte at a time.
struct Until<'a> {
    stream: &'a TcpStream,
    deadline: Instant,
}

impl Read for Until<'_> {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        let left = self.deadline.saturating_duration_since(Instant::now());
        if left.is_zero() {
            return Err(std::io::ErrorKind::TimedOut.into());
        }
        self.stream.set_read_timeout(Some(left))?;
        (&mut &*self.stream).read(buf)
    }
}

/// Reads the request line and headers, within [`HEAD_TIMEOUT`] of `since`.
fn read_request(stream: &TcpStream, since: Instant) -> Result<Request, NoRequest> {
    let until = Until { stream, deadline: since + HEAD_TIMEOUT };
    let mut reader = BufReader::new(until.take(MAX_HEAD as u64));
    let failed = |e: std::io::Error| match e.kind() {
        std::io::ErrorKind::TimedOut | std::io::ErrorKind::WouldBlock => NoRequest::Slow,
        _ => NoRequest::Bad,
    };
    let mut line = String::new();
    match reader.read_line(&mut line) {
        Ok(0) => return Err(NoRequest::Nothing),
        Err(_) if line.is_empty() && reader.buffer().is_empty() => return Err(NoRequest::Nothing),
        Err(e) => return Err(failed(e)),
        Ok(_) => {}
    }
    let mut parts = line.split_whitespace();
    let (Some(method), Some(target), Some(version), None) = (parts.next(), parts.next(), parts.next(), parts.next())
    else {
        return Err(NoRequest::Bad);
    };
    if !version.starts_with("HTTP/1.") {
        return Err(NoRequest::Bad);
    }
    let mut request = Request { method: method.to_string(), target: target.to_string(), host: None };
    // Read the headers to their end, so that closing the connection does not reset it under a
    // client still sending.
    let mut hosts = 0;
    for _ in 0..=MAX_HEADERS {
        let mut header = String::new();
        match reader.read_line(&mut header) {
            Ok(0) => return Err(NoRequest::Bad),
            Err(e) => return Err(failed(e)),
            Ok(_) if header == "\r\n" || header == "\n" => {
                return if hosts <= 1 { Ok(request) } else { Err(NoRequest::Bad) };
            }
            Ok(_) => {}
        }
        // A name is a token: no space before the colon, no folded continuation line.
        let Some((name, value)) = header.split_once(':') else { return Err(NoRequest::Bad) };
        if name.is_empty() || name.bytes().any(|b| b.is_ascii_whitespace()) {
            return Err(NoRequest::Bad);
        }
        if name.eq_ignore_ascii_case("host") {
            hosts += 1;
            request.host = Some(value.trim().to_string());
        }
    }
    Err(NoRequest::Bad)
}

fn handle(mut stream: TcpStream, shared: &Shared, listening: Listening, conns: &Connections, waiting: Waiting) {
    let _ = stream.set_write_timeout(Some(IO_TIMEOUT));
    let _ = stream.set_nodelay(true);
    let head = read_request(&stream, waiting.since);
    if !waiting.leave() {
        // Closed to make room for newer connections.
        return;
    }
    let req = match head {
        Ok(req) => req,
        // A connection opened ahead of need (browsers do) and never used: just close it.
        Err(NoRequest::Nothing) => return,
        Err(NoRequest::Slow) => {
            let _ = respond(&mut stream, 408, "text/plain; charset=utf-8", &[], b"request timeout\n", false);
            discard_rest(&mut stream);
            return;
        }
        Err(NoRequest::Bad) => {
            let _ = respond(&mut stream, 400, "text/plain; charset=utf-8", &[], b"bad request\n", false);
            discard_rest(&mut stream);
            return;
        }
    };
    // Before the request is looked at, for the event stream and the status too: see
    // `Listening::allows`.
    match &req.host {
        None => {
            let _ = respond(&mut stream, 400, "text/plain; charset=utf-8", &[], b"bad request: no Host\n", false);
            return;
        }
        Some(host) if !listening.allows(host) => {
            let _ = respond(&mut stream, 421, "text/plain; charset=utf-8", &[], b"misdirected request\n", false);
            return;
        }
        Some(_) => {}
    }
    let route = route(&req.target);
    let slot = match route {
        Route::Events { .. } => Slot::take(&conns.streams, MAX_STREAMS),
        _ => Slot::take(&conns.answering, MAX_ANSWERING),
    };
    let Some(_slot) = slot else {
        let _ = respond(&mut stream, 503, "text/plain; charset=utf-8", &[], b"busy: too many connections\n", false);
        return;
    };
    let head_only = req.method == "HEAD";
    if req.method != "GET" && !head_only {
        let _ = respond(
            &mut stream,
            405,
            "text/plain; charset=utf-8",
            &[("Allow", "GET, HEAD")],
            b"method not allowed\n",
            false,
        );
        return;
    }
    let _ = match route {
        Route::LiveScript => {
            respond(&mut stream, 200, "text/javascript; charset=utf-8", &[], reload::SCRIPT.as_bytes(), head_only)
        }
        Route::Events { page, version } => {
            reload::events(stream, shared, &page, version);
            Ok(())
        }
        Route::Status => {
            let body = status_json(shared);
            respond(&mut stream, 200, "application/json; charset=utf-8", &[], body.as_bytes(), head_only)
        }
        Route::File { key, folder, collapsed } => {
            serve_file(&mut stream, shared, (&key, folder.as_deref(), collapsed), &req.target, head_only)
        }
        Route::Invalid => not_found(&mut stream, shared, "", head_only),
    };
}

/// Closes a connection whose request was not read to its end without resetting it: closing a
/// socket with unread data sends a reset, which can make the client lose the response. So the
/// sending side is shut, and what the client still sends is read and dropped, for a moment.
fn discard_rest(stream: &mut TcpStream) {
    let _ = stream.shutdown(Shutdown::Write);
    let rest = Until { stream, deadline: Instant::now() + Duration::from_millis(500) };
    let _ = std::io::copy(&mut rest.take(4 * MAX_HEAD as u64), &mut std::io::sink());
}

/// `{"generation":N,"epoch":N,"busy":bool,"has_site":bool,"files":N,"errors":N,"warnings":N}`,
/// for tools and tests that need to know whether the server is done rebuilding.
fn status_json(shared: &Shared) -> String {
    let s = shared.state();
    format!(
        "{{\"generation\":{},\"epoch\":{},\"busy\":{},\"has_site\":{},\"files\":{},\"errors\":{},\"warnings\":{}}}",
        s.generation,
        s.epoch,
        s.busy,
        s.has_site,
        s.files.len(),
        s.errors.as_ref().map_or(0, |e| e.count),
        s.warnings
    )
}

fn serve_file(
    stream: &mut TcpStream,
    shared: &Shared,
    (key, folder, collapsed): (&str, Option<&str>, bool),
    target: &str,
    head_only: bool,
) -> std::io::Result<()> {
    let (file, redirect, has_site) = {
        let s = shared.state();
        let file = s.files.get(key).cloned();
        let redirect = match folder {
            // `/enclaves/a` names the folder `enclaves/a/`: send the browser there, so that the
            // page's relative links resolve.
            Some(f) if file.is_none() && s.files.contains_key(&format!("{f}/index.html")) => Some(format!("{f}/")),
            // `//enclaves/` names the same file as `/enclaves/`, but relative links in it would
            // resolve against the doubled path: send the browser to the one URL of the file.
            Some(_) if file.is_some() && collapsed => Some(key.to_string()),
            None if file.is_some() && collapsed => Some(key.strip_suffix("index.html").unwrap_or(key).to_string()),
            _ => None,
        };
        (if redirect.is_some() { None } else { file }, redirect, s.has_site)
    };
    if !has_site {
        let body = reload::inject(reload::NO_SITE_PAGE.as_bytes(), key, 0);
        return respond(stream, 503, "text/html; charset=utf-8", &[], &body, head_only);
    }
    if let Some(file) = file {
        let ctype = content_type(key);
        if ctype.starts_with("text/html") {
            let body = reload::inject(&file.bytes, key, file.version);
            return respond(stream, 200, ctype, &[], &body, head_only);
        }
        return respond(stream, 200, ctype, &[], &file.bytes, head_only);
    }
    if let Some(path) = redirect {
        let location = location(&path, target);
        return respond(stream, 301, "text/plain; charset=utf-8", &[("Location", &location)], b"moved\n", head_only);
    }
    not_found(stream, shared, key, head_only)
}

/// A redirect's `Location` for the site path `path` (decoded, without the leading `/`), keeping
/// the query of `target`.
///
/// It is built from the normalised path, never from the raw target: it starts with exactly one
/// `/` followed by a non-empty segment or nothing, so a browser cannot read it as another host
/// (`//evil.example/` is protocol-relative, and browsers treat `/\evil.example` alike). Every
/// byte that is not plain URL text is percent-encoded, so nothing else can reach the header.
fn location(path: &str, target: &str) -> String {
    let mut out = String::from("/");
    for b in path.bytes() {
        let plain = b.is_ascii_alphanumeric() || b"-._~!$&'()*+,;=:@/".contains(&b);
        if plain {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    if let Some((_, query)) = target.split_once('?') {
        let query = query.split('#').next().unwrap_or("");
        out.push('?');
        for b in query.bytes() {
            if b.is_ascii_graphic() {
                out.push(b as char);
            } else {
                out.push_str(&format!("%{b:02X}"));
            }
        }
    }
    out
}

/// The site's own `404.html`, with status 404.
fn not_found(stream: &mut TcpStream, shared: &Shared, key: &str, head_only: bool) -> std::io::Result<()> {
    let page = shared.state().files.get("404.html").cloned();
    // The page to reload when the missing file appears is the one asked for.
    let body = match page {
        Some(p) => reload::inject(&p.bytes, key, 0),
        None => b"not found\n".to_vec(),
    };
    let ctype = if body.starts_with(b"not found") { "text/plain; charset=utf-8" } else { "text/html; charset=utf-8" };
    respond(stream, 404, ctype, &[], &body, head_only)
}

/// Writes a whole response and closes the exchange.
pub fn respond(
    stream: &mut TcpStream,
    status: u16,
    content_type: &str,
    headers: &[(&str, &str)],
    body: &[u8],
    head_only: bool,
) -> std::io::Result<()> {
    let reason = match status {
        200 => "OK",
        301 => "Moved Permanently",
        400 => "Bad Request",
        404 => "Not Found",
        405 => "Method Not Allowed",
        408 => "Request Timeout",
        421 => "Misdirected Request",
        503 => "Service Unavailable",
        _ => "Unknown",
    };
    let mut head = format!(
        "HTTP/1.1 {status} {reason}\r\nContent-Type: {content_type}\r\nContent-Length: {}\r\nCache-Control: no-store\r\nX-Content-Type-Options: nosniff\r\nConnection: close\r\n",
        body.len()
    );
    for (name, value) in headers {
        head.push_str(&format!("{name}: {value}\r\n"));
    }
    head.push_str("\r\n");
    stream.write_all(head.as_bytes())?;
    if !head_only {
        stream.write_all(body)?;
    }
    stream.flush()
}

/// What a request target asks for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Route {
    /// A file of the site by output path; `folder` when the path has no trailing `/` and may name
    /// a folder holding an `index.html` (answered with a redirect).
    File {
        /// Output path (`enclaves/a/index.html`).
        key: String,
        /// The same path taken as a folder (`enclaves/a`).
        folder: Option<String>,
        /// The path had empty segments (`//enclaves/`), dropped from `key`: the file is
        /// answered with a redirect to its one URL.
        collapsed: bool,
    },
    /// The live-reload script.
    LiveScript,
    /// The live-reload event stream for the page served as `page` with `version`.
    Events {
        /// Output path of the page.
        page: String,
        /// Its version when served.
        version: u64,
    },
    /// The server's state as JSON.
    Status,
    /// A target that names no file (traversal, bad encoding ...): 404.
    Invalid,
}

/// Maps a request target to what it asks for. Only paths made of plain segments map to files:
/// `.` and `..` segments, backslashes and NUL bytes, decoded or percent-encoded, are invalid.
pub fn route(target: &str) -> Route {
    let (path, query) = target.split_once('?').map_or((target, ""), |(p, q)| (p, q));
    let path = path.split('#').next().unwrap_or("");
    if !path.starts_with('/') {
        return Route::Invalid;
    }
    if let Some(own) = path.strip_prefix(OWN) {
        return match own {
            "live.js" => Route::LiveScript,
            "status" => Route::Status,
            "events" => {
                let param = |name: &str| {
                    query.split('&').find_map(|kv| kv.split_once('=').filter(|(k, _)| *k == name).map(|(_, v)| v))
                };
                let page = param("page").and_then(|p| percent_decode(&p.replace('+', " "))).unwrap_or_default();
                let version = param("v").and_then(|v| v.parse().ok()).unwrap_or(0);
                Route::Events { page, version }
            }
            _ => Route::Invalid,
        };
    }
    let Some(decoded) = percent_decode(path) else { return Route::Invalid };
    if decoded.contains(['\\', '\0']) {
        return Route::Invalid;
    }
    let mut segments: Vec<&str> = Vec::new();
    for seg in decoded.split('/') {
        match seg {
            "" => {}
            "." | ".." => return Route::Invalid,
            s => segments.push(s),
        }
    }
    let joined = segments.join("/");
    let collapsed = decoded.contains("//");
    if decoded.ends_with('/') {
        let key = if joined.is_empty() { "index.html".to_string() } else { format!("{joined}/index.html") };
        Route::File { key, folder: None, collapsed }
    } else {
        Route::File { key: joined.clone(), folder: Some(joined), collapsed }
    }
}

/// Decodes `%XX` escapes; `None` for a malformed escape or a result that is not UTF-8.
pub fn percent_decode(s: &str) -> Option<String> {
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%' {
            let hex = bytes.get(i + 1..i + 3)?;
            if !hex.iter().all(u8::is_ascii_hexdigit) {
                return None;
            }
            out.push(u8::from_str_radix(std::str::from_utf8(hex).ok()?, 16).ok()?);
            i += 3;
        } else {
            out.push(bytes[i]);
            i += 1;
        }
    }
    String::from_utf8(out).ok()
}

/// The content type for an output path, by extension; text types say UTF-8.
pub fn content_type(path: &str) -> &'static str {
    let ext = path.rsplit_once('.').map(|(_, e)| e.to_ascii_lowercase()).unwrap_or_default();
    match ext.as_str() {
        "html" | "htm" => "text/html; charset=utf-8",
        "css" => "text/css; charset=utf-8",
        "js" | "mjs" => "text/javascript; charset=utf-8",
        "json" => "application/json; charset=utf-8",
        "csv" => "text/csv; charset=utf-8",
        "svg" => "image/svg+xml; charset=utf-8",
        "xml" if path.ends_with("atom.xml") => "application/atom+xml; charset=utf-8",
        "xml" => "application/xml; charset=utf-8",
        "txt" => "text/plain; charset=utf-8",
        "png" => "image/png",
        "jpg" | "jpeg" => "image/jpeg",
        "gif" => "image/gif",
        "webp" => "image/webp",
        "ico" => "image/x-icon",
        "woff2" => "font/woff2",
        "woff" => "font/woff",
        "pdf" => "application/pdf",
        _ => "application/octet-stream",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn file(key: &str) -> Route {
        Route::File { key: key.into(), folder: None, collapsed: false }
    }

    #[test]
    fn folders_map_to_their_index() {
        assert_eq!(route("/"), file("index.html"));
        assert_eq!(route("/enclaves/a/?q=1#x"), file("enclaves/a/index.html"));
        assert_eq!(
            route("/enclaves/a"),
            Route::File { key: "enclaves/a".into(), folder: Some("enclaves/a".into()), collapsed: false }
        );
        assert_eq!(
            route("/data/enclaves.csv"),
            Route::File { key: "data/enclaves.csv".into(), folder: Some("data/enclaves.csv".into()), collapsed: false }
        );
        assert_eq!(route("/%E9%A3%9E%E5%9C%B0/"), file("飞地/index.html"));
    }

    #[test]
    fn doubled_slashes_collapse_to_the_same_file() {
        let collapsed = |key: &str, folder: Option<&str>| Route::File {
            key: key.into(),
            folder: folder.map(str::to_string),
            collapsed: true,
        };
        assert_eq!(route("//"), collapsed("index.html", None));
        assert_eq!(route("//enclaves/"), collapsed("enclaves/index.html", None));
        assert_eq!(route("/enclaves//a//"), collapsed("enclaves/a/index.html", None));
        assert_eq!(route("///enclaves"), collapsed("enclaves", Some("enclaves")));
        assert_eq!(route("/%2Fenclaves"), collapsed("enclaves", Some("enclaves")));
        assert_eq!(route("//evil.example/"), collapsed("evil.example/index.html", None));
    }

    #[test]
    fn locations_stay_on_the_site() {
        assert_eq!(location("enclaves/", "//enclaves"), "/enclaves/");
        assert_eq!(location("enclaves/a/", "/enclaves/a?x=1#f"), "/enclaves/a/?x=1");
        assert_eq!(location("", "//?q"), "/?q");
        assert_eq!(location("飞地/", "/%E9%A3%9E%E5%9C%B0"), "/%E9%A3%9E%E5%9C%B0/");
        assert_eq!(location("a\\b c%/", "/x"), "/a%5Cb%20c%25/");
        assert_eq!(location("a/", "/a?\u{1}\u{e9}"), "/a/?%01%C3%A9");
    }

    #[test]
    fn traversal_is_invalid_however_written() {
        for t in [
            "/../etc/passwd",
            "/enclaves/../../etc/passwd",
            "/%2e%2e/etc/passwd",
            "/%2E%2E%2Fetc%2Fpasswd",
            "/enclaves/%2e%2e/%2e%2e/x",
            "/..%5c..%5cwindows",
            "/a%00b",
            "/./index.html",
            "/%zz",
            "/%+1",
            "/%c0%ae%c0%ae/",
            "etc/passwd",
            "http://example.org/x",
        ] {
            assert_eq!(route(t), Route::Invalid, "{t}");
        }
        // Double encoding decodes once: a literal `%2e%2e` segment, which names no file.
        assert_eq!(route("/%252e%252e/x/"), file("%2e%2e/x/index.html"));
    }

    #[test]
    fn own_urls() {
        assert_eq!(route("/__feidi/live.js"), Route::LiveScript);
        assert_eq!(route("/__feidi/status"), Route::Status);
        assert_eq!(
            route("/__feidi/events?page=enclaves%2Fa%2Findex.html&v=7"),
            Route::Events { page: "enclaves/a/index.html".into(), version: 7 }
        );
        assert_eq!(route("/__feidi/other"), Route::Invalid);
    }

    #[test]
    fn only_the_served_address_is_a_valid_host() {
        let loopback = Listening { ip: "127.0.0.1".parse().unwrap(), port: 1111 };
        for host in ["127.0.0.1:1111", "localhost:1111", "LocalHost:1111", "[::1]:1111", "127.0.0.2:1111"] {
            assert!(loopback.allows(host), "{host}");
        }
        for host in [
            "",
            "127.0.0.1",
            "127.0.0.1:1112",
            "127.0.0.1:",
            "127.0.0.1:+1111",
            "localhost",
            "localhost.:1111",
            "evil.example",
            "evil.example:1111",
            "127.0.0.1.evil.example:1111",
            "localhost.evil.example:1111",
            "192.168.1.5:1111",
            "[::1]",
            "[::1]x:1111",
            "::1:1111",
            "[::ffff:7f00:1]:1111",
            "127.1:1111",
            "0x7f.0.0.1:1111",
        ] {
            assert!(!loopback.allows(host), "{host}");
        }
        let lan = Listening { ip: "192.168.1.5".parse().unwrap(), port: 80 };
        for host in ["192.168.1.5", "192.168.1.5:80", "localhost", "127.0.0.1:80"] {
            assert!(lan.allows(host), "{host}");
        }
        assert!(!lan.allows("192.168.1.6:80") && !lan.allows("evil.example"));
        let any = Listening { ip: "0.0.0.0".parse().unwrap(), port: 1111 };
        for host in ["10.0.0.7:1111", "[fe80::1]:1111", "localhost:1111", "[::1]:1111"] {
            assert!(any.allows(host), "{host}");
        }
        for host in ["evil.example:1111", "10.0.0.7:1112", "10.0.0.7.nip.io:1111"] {
            assert!(!any.allows(host), "{host}");
        }
        let any6 = Listening { ip: "::".parse().unwrap(), port: 1111 };
        assert!(any6.allows("10.0.0.7:1111") && any6.allows("[2001:db8::1]:1111") && !any6.allows("x.example:1111"));
    }

    #[test]
    fn text_types_are_utf8() {
        for p in ["a/index.html", "s.css", "s.js", "d.json", "d.csv", "f.svg", "sitemap.xml", "atom.xml", "robots.txt"]
        {
            assert!(content_type(p).ends_with("charset=utf-8"), "{p}");
        }
        assert_eq!(content_type("atom.xml"), "application/atom+xml; charset=utf-8");
        assert_eq!(content_type("x.png"), "image/png");
    }
}
