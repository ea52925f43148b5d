//! Live reload: the script the dev server adds to every HTML page it serves, and the event
//! stream (server-sent events) that script listens to.
//!
//! A page is served with its version (the generation in which its bytes last changed). Its
//! script opens `/__feidi/events?page=<file>&v=<version>`; the stream sends `reload` as soon as
//! the file's version differs (it changed, appeared or disappeared), `errors` with every problem
//! when a build fails (the script shows them over the page, which stays the last good one), and
//! `ok` when a build succeeds again (the script removes the overlay). The script is added when
//! serving only: `feidi build` output never contains it.

use std::io::Write;
use std::net::TcpStream;
use std::time::Duration;

use super::Shared;

/// The script served at `/__feidi/live.js`.
pub const SCRIPT: &str = include_str!("live.js");

/// How often an idle event stream sends a comment, to notice closed tabs.
const KEEPALIVE: Duration = Duration::from_secs(15);

/// Served in place of every page while no build has succeeded yet; the overlay shows why.
pub const NO_SITE_PAGE: &str = "<!DOCTYPE html>\n<html lang=\"en\">\n<head><meta charset=\"utf-8\"><title>feidi: the site does not build yet</title></head>\n<body>\n<h1>The site does not build yet</h1>\n<p>The problems are listed in the terminal running <code>feidi serve</code> and over this page. Fix them and save: the page reloads by itself.</p>\n</body>\n</html>\n";

/// Adds the reload script to an HTML page, before `</body>` (at the end when there is none).
pub fn inject(html: &[u8], page: &str, version: u64) -> Vec<u8> {
    let tag = format!(
        "<script src=\"{}live.js\" data-page=\"{}\" data-version=\"{version}\"></script>\n",
        super::http::OWN,
        attr_escape(page)
    );
    let at = find_last(html, b"</body>").unwrap_or(html.len());
    let mut out = Vec::with_capacity(html.len() + tag.len());
    out.extend_from_slice(&html[..at]);
    out.extend_from_slice(tag.as_bytes());
    out.extend_from_slice(&html[at..]);
    out
}

fn find_last(hay: &[u8], needle: &[u8]) -> Option<usize> {
    hay.windows(needle.len()).rposition(|w| w.eq_ignore_ascii_case(needle))
}

fn attr_escape(s: &str) -> String {
    s.replace('&', "&amp;").replace('"', "&quot;").replace('<', "&lt;").replace('>', "&gt;")
}

/// What a stream has told its page about the build so far.
#[derive(PartialEq, Eq)]
enum Told {
    Nothing,
    Ok,
    Errors(u64),
}

/// Streams events for the page `page` served with `version` until the page must reload or the
/// tab goes away.
pub fn events(mut stream: TcpStream, shared: &Shared, page: &str, version: u64) {
    // An idle stream writes nothing for a long time: only writes may time out.
    let _ = stream.set_read_timeout(None);
    let head = "HTTP/1.1 200 OK\r\nContent-Type: text/event-stream; charset=utf-8\r\nCache-Control: no-store\r\nX-Content-Type-Options: nosniff\r\nConnection: close\r\n\r\nretry: 1000\n\n";
    if stream.write_all(head.as_bytes()).and_then(|()| stream.flush()).is_err() {
        return;
    }
    let mut told = Told::Nothing;
    let mut seen: Option<u64> = None;
    loop {
        let (message, reload) = {
            let state = match seen {
                None => shared.state(),
                Some(g) => shared.wait(g, KEEPALIVE),
            };
            if seen == Some(state.generation) {
                (": keepalive\n\n".to_string(), false)
            } else {
                seen = Some(state.generation);
                let mut msg = String::new();
                match &state.errors {
                    Some(report) if told != Told::Errors(state.errors_version) => {
                        told = Told::Errors(state.errors_version);
                        msg.push_str(&format!("event: errors\ndata: {}\n\n", report.json));
                    }
                    None if told != Told::Ok => {
                        told = Told::Ok;
                        msg.push_str("event: ok\ndata: {}\n\n");
                    }
                    _ => {}
                }
                // Absent files have version 0, like the pages served in their place (404).
                let now = state.files.get(page).map_or(0, |f| f.version);
                let reload = state.has_site && now != version;
                if reload {
                    msg.push_str(&format!("event: reload\ndata: {now}\n\n"));
                }
                (msg, reload)
            }
        };
        if !message.is_empty() && stream.write_all(message.as_bytes()).and_then(|()| stream.flush()).is_err() {
            return;
        }
        if reload {
            // The page reloads and opens a new stream with its new version.
            return;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn script_goes_before_the_body_end() {
        let out = String::from_utf8(inject(b"<html><body><p>x</p></body></html>", "a/index.html", 3)).unwrap();
        assert!(out.ends_with(
            "<script src=\"/__feidi/live.js\" data-page=\"a/index.html\" data-version=\"3\"></script>\n</body></html>"
        ));
        let bare = String::from_utf8(inject(b"<p>x", "a\"b", 0)).unwrap();
        assert!(bare.starts_with("<p>x<script") && bare.contains("data-page=\"a&quot;b\""), "{bare}");
    }
}
