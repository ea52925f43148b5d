//! The enclave list as a table a visitor works with, in a real headless Chromium, on the real
//! directory (shipped and grown): search results keep the table's columns and its compare
//! buttons, every column sorts (by a click and by the address), matching places and operators
//! are offered above the enclaves, facet values follow the counts, and the page scrolls as one.
//!
//! Nothing here counts today's entries: expectations come from the site model.

mod common;
use common::browser::Browser;
use common::http::serve;
use common::real::RealSite;
use serde_json::Value;

const TIMEOUT: u64 = 30_000;

/// Waits until the search shows complete results for what the box holds.
fn settle(b: &mut Browser) {
    b.settle_search(TIMEOUT);
}

fn open(b: &mut Browser, url: &str) {
    b.goto(url);
    settle(b);
}

/// Types `q` into the search box (replacing what it held) and waits for its results.
fn search(b: &mut Browser, q: &str) {
    b.type_query(q, TIMEOUT);
}

fn strings(v: Value) -> Vec<String> {
    serde_json::from_value(v).unwrap()
}

/// The header texts of a table, without the sort icons.
fn headers(b: &mut Browser, table: &str) -> Vec<String> {
    strings(b.eval(&format!(
        "Array.from(document.querySelectorAll('{table} thead th')).map(th => th.textContent.replace(/[↕▲▼]/g, '').trim())"
    )))
}

/// The results' cells of column `col` (0: name): what the cell shows first (the name, the
/// place without the city below it, the first sector, the number).
fn column(b: &mut Browser, col: usize) -> Vec<String> {
    strings(b.eval(&format!(
        "Array.from(document.querySelectorAll('#search-results tr')).map(tr => tr.children[{col}].firstChild.textContent.trim())"
    )))
}

/// The sort state the results' headers announce: (column key, aria-sort) for each that has one.
fn announced(b: &mut Browser, table: &str) -> Vec<(String, String)> {
    let v = b.eval(&format!(
        "Array.from(document.querySelectorAll('{table} thead th[aria-sort]')).map(th => [th.dataset.sort, th.getAttribute('aria-sort')])"
    ));
    serde_json::from_value(v).unwrap()
}

/// Clicks the sort button of column `key` in the table on show and waits for the address to
/// say `want`.
fn sort_by(b: &mut Browser, key: &str, want: &str) {
    b.click(&format!(
        "#search-results-box:not([hidden]) th[data-sort={key}] button, #search-table:not([hidden]) th[data-sort={key}] button"
    ));
    b.wait_for(&format!("new URLSearchParams(location.search).get('sort') === '{want}'"), TIMEOUT);
    settle(b);
}

/// Whether `v` is in the order of the page's own collation for the interface language.
fn in_collation_order(b: &mut Browser, v: &[String], desc: bool) -> bool {
    let list = serde_json::to_string(v).unwrap();
    let v = b.eval(&format!(
        "(() => {{ const c = new Intl.Collator('zh-Hans-CN-u-co-pinyin'); const v = {list}; for (let i = 1; i < v.length; i++) {{ const d = c.compare(v[i - 1], v[i]); if ({desc} ? d < 0 : d > 0) return false; }} return true; }})()"
    ));
    v == Value::Bool(true)
}

common::real::on_shipped_and_grown!(
    results_keep_the_tables_columns_and_compare_buttons,
    every_column_sorts_by_click_and_by_address,
    places_and_operators_are_offered_above_the_enclaves,
    facet_values_follow_the_counts_and_empty_ones_wait_behind_more,
    the_page_scrolls_as_one_and_results_sit_beside_or_before_the_filters,
);

fn results_keep_the_tables_columns_and_compare_buttons(r: &RealSite) {
    let server = serve(&r.public(), "/");
    let mut b = Browser::launch(1280, 900);
    open(&mut b, &format!("{}enclaves/", server.base_url));
    let page_headers = headers(&mut b, "#enclave-table");
    assert_eq!(page_headers.len(), 8, "{page_headers:?}");
    search(&mut b, "深圳");
    let in_shenzhen = r.slugs_where(|e| e.host_city.id == "shenzhen" || e.home_city.id == "shenzhen");
    let shown = b.slugs("#search-results tr[data-slug]");
    for s in &in_shenzhen {
        assert!(shown.contains(s), "{s} is among the results for 深圳: {shown:?}");
    }
    assert_eq!(b.eval("document.getElementById('search-table').hidden"), true, "the results replace the page's table");
    assert_eq!(headers(&mut b, "#search-results-table"), page_headers, "the results have the table's columns");
    let cells =
        b.eval("Array.from(document.querySelectorAll('#search-results tr')).every(tr => tr.children.length === 8)");
    assert_eq!(cells, true, "every result row has every column");
    // Each row has its add-to-comparison button, and it works.
    b.wait_for(
        "Array.from(document.querySelectorAll('#search-results tr')).every(tr => { const x = tr.querySelector('button[data-compare]'); return x && !x.hidden && x.dataset.compare === tr.dataset.slug; })",
        TIMEOUT,
    );
    let first = shown[0].clone();
    b.click(&format!("#search-results tr[data-slug='{first}'] button[data-compare]"));
    b.wait_for(
        &format!("document.querySelector(\"#search-results tr[data-slug='{first}'] button[data-compare]\").getAttribute('aria-pressed') === 'true'"),
        TIMEOUT,
    );
    let badge = b.eval("document.querySelector('.site-nav .compare-badge').textContent");
    assert_eq!(badge, "1");
    // The host column shows the host of each enclave, as its page does.
    let hosts = column(&mut b, 2);
    for (slug, host) in shown.iter().zip(&hosts) {
        assert_eq!(host, &r.place_name(&r.enclave(slug).host.id), "{slug}");
    }
}

fn every_column_sorts_by_click_and_by_address(r: &RealSite) {
    let server = serve(&r.public(), "/");
    let mut b = Browser::launch(1280, 900);
    // Without JavaScript's help the list is in name order, and says so.
    open(&mut b, &format!("{}enclaves/", server.base_url));
    assert_eq!(announced(&mut b, "#enclave-table"), [("name".to_string(), "ascending".to_string())]);
    let names: Vec<String> = strings(
        b.eval("Array.from(document.querySelectorAll('#enclave-table tbody th.col-name > a')).map(a => a.textContent)"),
    );
    assert!(in_collation_order(&mut b, &names, false), "the page's table is in name order: {names:?}");

    search(&mut b, "深圳");
    assert_eq!(announced(&mut b, "#search-results-table"), [], "by relevance: no column claims the order");
    let count = b.slugs("#search-results tr[data-slug]").len();
    sort_by(&mut b, "home", "home");
    assert_eq!(announced(&mut b, "#search-results-table"), [("home".to_string(), "ascending".to_string())]);
    assert_eq!(b.slugs("#search-results tr[data-slug]").len(), count, "sorting keeps every result");
    let homes = column(&mut b, 1);
    assert!(in_collation_order(&mut b, &homes, false), "by home, A to Z: {homes:?}");
    assert_eq!(
        b.eval("document.activeElement.closest('th') && document.activeElement.closest('th').dataset.sort"),
        "home",
        "the focus stays on the header"
    );
    sort_by(&mut b, "home", "-home");
    assert_eq!(announced(&mut b, "#search-results-table"), [("home".to_string(), "descending".to_string())]);
    let desc = column(&mut b, 1);
    assert!(in_collation_order(&mut b, &desc, true), "by home, Z to A: {desc:?}");

    // Numbers sort as numbers, and what is not reported comes last either way.
    sort_by(&mut b, "area", "area");
    let nr = "未报道";
    for dir in [1.0, -1.0] {
        let areas = column(&mut b, 6);
        let reported: Vec<f64> =
            areas.iter().take_while(|a| *a != nr).map(|a| a.replace(',', "").parse().unwrap()).collect();
        assert!(areas[reported.len()..].iter().all(|a| a == nr), "not reported last: {areas:?}");
        assert!(reported.windows(2).all(|w| (w[1] - w[0]) * dir >= 0.0), "{areas:?}");
        if dir > 0.0 {
            sort_by(&mut b, "area", "-area");
        }
    }
    let by_area = b.slugs("#search-results tr[data-slug]");

    // Back and forward walk through the orders; the address alone gives the same table.
    b.eval("history.back()");
    b.wait_for("new URLSearchParams(location.search).get('sort') === 'area'", TIMEOUT);
    settle(&mut b);
    assert_eq!(announced(&mut b, "#search-results-table"), [("area".to_string(), "ascending".to_string())]);
    b.eval("history.forward()");
    b.wait_for("new URLSearchParams(location.search).get('sort') === '-area'", TIMEOUT);
    settle(&mut b);
    let url = b.url();
    open(&mut b, &url);
    assert_eq!(b.slugs("#search-results tr[data-slug]"), by_area, "the address gives the same order");
    assert_eq!(announced(&mut b, "#search-results-table"), [("area".to_string(), "descending".to_string())]);

    // Without a query, a sort over the whole directory, past the first page.
    open(&mut b, &format!("{}enclaves/?sort=-name", server.base_url));
    b.wait_for("document.querySelectorAll('#search-results tr').length > 0", TIMEOUT);
    let all = r.site.enclaves.len();
    let shown = b.slugs("#search-results tr[data-slug]").len();
    assert_eq!(shown, all.min(50), "every enclave, the first rows shown");
    let reversed = column(&mut b, 0);
    assert!(in_collation_order(&mut b, &reversed, true), "Z to A: {reversed:?}");
    let mut want = names.clone();
    want.reverse();
    if all <= r.site.config.page_size {
        assert_eq!(reversed, want, "the page's own order, reversed");
    }
}

fn places_and_operators_are_offered_above_the_enclaves(r: &RealSite) {
    let server = serve(&r.public(), "/");
    let mut b = Browser::launch(1280, 900);
    open(&mut b, &format!("{}enclaves/", server.base_url));
    let offered = |b: &mut Browser| -> Vec<(String, String)> {
        serde_json::from_value(b.eval(
            "Array.from(document.querySelectorAll('#search-jump:not([hidden]) a')).map(a => [a.getAttribute('href'), a.textContent])",
        ))
        .unwrap()
    };
    search(&mut b, "上海");
    let shanghai = r.site.place("shanghai").expect("上海市 is a place");
    assert!(shanghai.has_page);
    let got = offered(&mut b);
    assert_eq!(got.first().map(|x| x.0.as_str()), Some("../places/shanghai/"), "the city first: {got:?}");
    assert_eq!(got[0].1, "地点 · 上海市 →");
    // Above the enclaves.
    let above = b.eval(
        "document.getElementById('search-jump').getBoundingClientRect().bottom <= document.getElementById('search-results-box').getBoundingClientRect().top",
    );
    assert_eq!(above, true);

    // An operator by its name, in pinyin too; each offer leads to a page that exists.
    let op = r.site.operators.iter().find(|o| o.name.contains("招商蛇口")).expect("招商蛇口 runs enclaves");
    search(&mut b, "招商蛇口");
    let got = offered(&mut b);
    let want = (format!("../operators/{}/", op.slug), format!("运营机构 · {} →", op.name));
    assert!(got.contains(&want), "{want:?} in {got:?}");
    for (href, _) in &got {
        assert!(r.public().join("enclaves").join(href).join("index.html").is_file(), "{href}");
    }
    search(&mut b, "zzzzqqq");
    assert_eq!(offered(&mut b), [], "nothing offered for nothing found");
    // The label promises what the search gives.
    assert_eq!(b.eval("document.querySelector('label[for=q]').textContent"), "搜索飞地、地点或运营机构");
}

fn facet_values_follow_the_counts_and_empty_ones_wait_behind_more(r: &RealSite) {
    let server = serve(&r.public(), "/");
    let mut b = Browser::launch(1280, 900);
    open(&mut b, &format!("{}enclaves/", server.base_url));
    search(&mut b, "sz");
    let facets = b.eval(
        "Array.from(document.querySelectorAll('#search-facets fieldset')).map(fs => ({ name: fs.querySelector('legend').textContent, shown: Array.from(fs.querySelectorAll('li')).filter(li => li.getClientRects().length > 0 && !li.classList.contains('facet-child')).map(li => Number(li.querySelector('.count').textContent)), hidden: Array.from(fs.querySelectorAll('li')).filter(li => li.getClientRects().length === 0).map(li => Number(li.querySelector('.count').textContent)), more: fs.querySelector('.facet-more') && !fs.querySelector('.facet-more').hidden ? fs.querySelector('.facet-more').textContent : null }))",
    );
    let facets = facets.as_array().unwrap();
    let mut collapsed = 0;
    for f in facets {
        let shown: Vec<i64> = serde_json::from_value(f["shown"].clone()).unwrap();
        let hidden: Vec<i64> = serde_json::from_value(f["hidden"].clone()).unwrap();
        assert!(shown.windows(2).all(|w| w[0] >= w[1]), "{}: most first {shown:?}", f["name"]);
        assert!(shown.iter().all(|&n| n > 0), "{}: {shown:?}", f["name"]);
        assert!(hidden.iter().all(|&n| n == 0), "{}: only empty values wait: {hidden:?}", f["name"]);
        if hidden.is_empty() {
            assert_eq!(f["more"], Value::Null, "{}", f["name"]);
        } else {
            collapsed += 1;
            assert_eq!(f["more"], format!("更多（{}）", hidden.len()), "{}", f["name"]);
        }
    }
    assert!(collapsed > 0, "a query of a few results leaves empty values somewhere");
    // "More" shows them, and says it is open.
    b.click("#search-facets .facet-more:not([hidden])");
    b.wait_for("document.querySelector('#search-facets .facet-more[aria-expanded=true]') !== null", TIMEOUT);
    let all_shown = b.eval(
        "Array.from(document.querySelector('#search-facets .facet-more[aria-expanded=true]').closest('fieldset').querySelectorAll('li')).every(li => li.getClientRects().length > 0)",
    );
    assert_eq!(all_shown, true);
    // Another query re-sorts: its values with results come first again.
    search(&mut b, "上海");
    let top = b.eval(
        "(() => { const fs = Array.from(document.querySelectorAll('#search-facets fieldset')).find(f => f.querySelector('input[name=host]')); const li = fs.querySelector('li'); return li.querySelector('input').value; })()",
    );
    let shanghai_prov = r.site.place("shanghai").map(|p| p.id.clone()).unwrap();
    assert_eq!(top, Value::String(shanghai_prov), "上海 puts 上海市 at the top of the hosts");
}

fn the_page_scrolls_as_one_and_results_sit_beside_or_before_the_filters(r: &RealSite) {
    let server = serve(&r.public(), "/");
    let mut b = Browser::launch(1280, 900);
    open(&mut b, &format!("{}enclaves/", server.base_url));
    // A box may scroll sideways (a table wider than the screen) but never holds rows below its
    // own bottom: the page's scroll reaches them all.
    let no_trap = "(() => { const box = document.querySelector('{box}'); return box.scrollHeight - box.clientHeight <= 1 && box.getBoundingClientRect().height >= box.querySelector('table').getBoundingClientRect().height; })()";
    assert_eq!(b.eval(&no_trap.replace("{box}", "#search-table .table-scroll")), true, "no box of its own");
    let last_row_reachable = b.eval(
        "(() => { const rows = document.querySelectorAll('#enclave-table tbody tr'); const last = rows[rows.length - 1]; return last.getBoundingClientRect().bottom + window.scrollY <= document.documentElement.scrollHeight; })()",
    );
    assert_eq!(last_row_reachable, true);
    search(&mut b, "sz");
    assert_eq!(b.eval(&no_trap.replace("{box}", "#search-results-box")), true);
    // Wide: results beside the filters, and the first results in the first screen.
    let beside = b.eval(
        "(() => { const res = document.getElementById('search-results-box').getBoundingClientRect(); const f = document.getElementById('search-facets').getBoundingClientRect(); return res.left >= f.right && res.top < window.innerHeight; })()",
    );
    assert_eq!(beside, true, "at 1280 px the results sit beside the filters, in view");
    // Narrow: results before the filters.
    b.set_viewport(390, 844);
    let before = b.eval(
        "document.getElementById('search-results-box').getBoundingClientRect().bottom <= document.getElementById('search-facets').getBoundingClientRect().top",
    );
    assert_eq!(before, true, "at 390 px the results come first");
}
