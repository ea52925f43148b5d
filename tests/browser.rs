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

/// Launches a browser that loads a page, and returns what to check once it is gone: its
/// process group and its folder.
fn used_browser() -> (Browser, u32, std::path::PathBuf) {
    let site = TestSite::fixture("basic");
    site.build_ok();
    let server = serve(&site.public(), "/");
    let mut b = Browser::launch(800, 600);
    b.goto(&format!("{}enclaves/alpha/", server.base_url));
    let (pid, folder) = (b.pid(), b.folder());
    assert!(common::browser::group_alive(pid));
    // Chromium keeps its temporary files in the browser's folder, not in the system's /tmp.
    let tmp: Vec<String> = std::fs::read_dir(folder.join("t"))
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    assert!(tmp.iter().any(|n| n.starts_with(".org.chromium.") || n.starts_with("org.chromium.")), "{tmp:?}");
    (b, pid, folder)
}

#[test]
fn a_closed_browser_leaves_no_process_and_no_file() {
    let (b, pid, folder) = used_browser();
    drop(b);
    assert!(!common::browser::group_alive(pid), "every Chromium process has ended");
    assert!(!folder.exists(), "{} is removed", folder.display());
}

#[test]
fn a_test_that_panics_leaves_no_process_and_no_file() {
    let (tx, rx) = std::sync::mpsc::channel();
    let outcome = std::thread::spawn(move || {
        let (_b, pid, folder) = used_browser();
        tx.send((pid, folder)).unwrap();
        panic!("a failing assertion while the browser is open");
    })
    .join();
    assert!(outcome.is_err(), "the thread panicked");
    let (pid, folder) = rx.recv().unwrap();
    assert!(!common::browser::group_alive(pid), "every Chromium process has ended");
    assert!(!folder.exists(), "{} is removed", folder.display());
}

#[test]
fn the_phone_header_stays_two_short_rows_on_every_kind_of_page() {
    let site = TestSite::fixture("basic");
    site.build_ok();
    let server = serve(&site.public(), "/");
    let mut b = Browser::launch(390, 844);
    for page in ["", "enclaves/", "enclaves/alpha/", "places/wuxi/", "operators/", "compare/", "sectors/"] {
        b.goto(&format!("{}{page}", server.base_url));
        let height = b.eval("document.querySelector('.site-header').getBoundingClientRect().height").as_f64().unwrap();
        assert!(height < 100.0, "{page}: the header is {height} px tall on a phone");
        // Every menu item is still there, on one row that scrolls sideways.
        let one_row = b.eval(
            "(() => { const tops = Array.from(document.querySelectorAll('.site-nav li')).map(li => li.getBoundingClientRect().top); return tops.length >= 6 && tops.every(t => t === tops[0]); })()",
        );
        assert_eq!(one_row, true, "{page}: the menu is one row");
    }
}

#[test]
fn a_short_page_has_its_footer_at_the_foot_of_the_window() {
    let site = TestSite::fixture("basic");
    site.build_ok();
    let server = serve(&site.public(), "/");
    for (w, h) in [(900, 900), (900, 1400), (1280, 1600)] {
        let mut b = Browser::launch(w, h);
        b.goto(&format!("{}does/not/exist/", server.base_url));
        b.wait_for("document.querySelector('.site-footer') !== null", 5_000);
        let gap = b.eval("window.innerHeight - document.querySelector('.site-footer').getBoundingClientRect().bottom");
        assert!(gap.as_f64().unwrap() <= 0.5, "{w}×{h}: {gap} px of page below the footer of the 404");
    }
}
