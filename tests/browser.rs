//! The built site in a real headless Chromium: keyboard access and phone layout.

mod common;
use common::TestSite;
use common::browser::Browser;
use common::http::serve;

#[test]
fn skip_link_is_the_first_stop_and_jumps_to_main() {
    let site = TestSite::fixture("basic");
    site.build_ok();
    let server = serve(&site.public(), "/");
    let mut b = Browser::launch(1280, 900);
    b.goto(&format!("{}enclaves/alpha/", server.base_url));
    b.press("Tab");
    let first = b.eval("document.activeElement.getAttribute('href')");
    assert_eq!(first, "#main", "the skip link comes first");
    b.press("Enter");
    b.wait_for("location.hash === '#main'", 5_000);
}

#[test]
fn pages_fit_a_360px_phone_without_sideways_scrolling() {
    let site = TestSite::fixture("basic");
    site.build_ok();
    let server = serve(&site.public(), "/");
    let mut b = Browser::launch(360, 740);
    for page in ["", "enclaves/", "enclaves/alpha/", "places/wuxi/", "operators/", "compare/", "places/"] {
        b.goto(&format!("{}{page}", server.base_url));
        let overflow = b.eval("document.documentElement.scrollWidth - document.documentElement.clientWidth");
        assert_eq!(overflow, 0, "{page} scrolls sideways on a phone");
    }
}

#[test]
fn pages_served_under_a_path_prefix_load_their_stylesheet() {
    let site = TestSite::fixture("basic");
    assert!(site.build(&["--base-url", "https://example.org/feidi/"]).ok());
    let server = serve(&site.public(), "/feidi/");
    let mut b = Browser::launch(1280, 900);
    for page in ["", "enclaves/beta/", "does/not/exist/"] {
        b.goto(&format!("{}{page}", server.base_url));
        let styled = b.eval("getComputedStyle(document.body).fontFamily.includes('PingFang') || getComputedStyle(document.body).fontFamily.includes('Noto')");
        assert_eq!(styled, true, "{page}: stylesheet applied under /feidi/");
    }
}
