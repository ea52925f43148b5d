//! What pages say about themselves: the meta description and Open Graph tags of every page, and
//! schema.org JSON-LD on enclave and operator pages that parses and that no editor's text can
//! break out of.

mod common;
use common::TestSite;
use serde_json::Value;

const ALPHA: &str = "content/enclaves/alpha.md";

/// The `content` of `<meta {attr}="{name}" content="...">`, unescaped; `None` when absent.
fn meta(html: &str, attr: &str, name: &str) -> Option<String> {
    let tag = format!("<meta {attr}=\"{name}\" content=\"");
    let start = html.find(&tag)? + tag.len();
    let end = html[start..].find('"')? + start;
    Some(
        html[start..end]
            .replace("&quot;", "\"")
            .replace("&#39;", "'")
            .replace("&lt;", "<")
            .replace("&gt;", ">")
            .replace("&amp;", "&"),
    )
}

/// The text of every `<script type="application/ld+json">` element, as written.
fn json_ld_scripts(html: &str) -> Vec<&str> {
    let open = "<script type=\"application/ld+json\">";
    let mut out = Vec::new();
    let mut rest = html;
    while let Some(i) = rest.find(open) {
        let after = &rest[i + open.len()..];
        let end = after.find("</script>").expect("the element is closed");
        out.push(&after[..end]);
        rest = &after[end..];
    }
    out
}

/// The one JSON-LD document of a page, parsed.
fn json_ld(html: &str) -> Value {
    let scripts = json_ld_scripts(html);
    assert_eq!(scripts.len(), 1, "one JSON-LD element");
    serde_json::from_str(scripts[0]).unwrap_or_else(|e| panic!("JSON-LD does not parse: {e}\n{}", scripts[0]))
}

#[test]
fn every_page_has_a_description_and_open_graph_tags() {
    let site = TestSite::fixture("basic");
    site.build_ok();
    let mut pages = 0;
    for (rel, bytes) in site.snapshot() {
        if !rel.ends_with(".html") {
            continue;
        }
        pages += 1;
        let html = String::from_utf8(bytes).unwrap();
        let description = meta(&html, "name", "description").unwrap_or_else(|| panic!("{rel}: no description"));
        assert!(!description.trim().is_empty(), "{rel}");
        assert!(description.chars().count() <= 161, "{rel}: {description}");
        assert_eq!(meta(&html, "property", "og:description").as_deref(), Some(description.as_str()), "{rel}");
        for tag in ["og:title", "og:type", "og:site_name", "og:locale"] {
            let v = meta(&html, "property", tag).unwrap_or_else(|| panic!("{rel}: no {tag}"));
            assert!(!v.is_empty(), "{rel}: empty {tag}");
        }
        assert_eq!(meta(&html, "property", "og:site_name").unwrap(), "测试飞地名录");
        assert_eq!(meta(&html, "property", "og:locale").unwrap(), "zh_CN");
        match meta(&html, "property", "og:url") {
            None => assert_eq!(rel, "404.html", "only the 404 page, served at any address, has no og:url"),
            Some(url) => {
                let page = rel.strip_suffix("index.html").unwrap();
                assert_eq!(url, format!("https://example.org/{page}"), "{rel}: og:url is absolute");
                assert!(html.contains(&format!("<link rel=\"canonical\" href=\"{url}\">")), "{rel}");
            }
        }
    }
    assert!(pages > 20, "{pages}");
    let alpha = site.page("enclaves/alpha/index.html");
    assert_eq!(meta(&alpha, "property", "og:title").unwrap(), "阿尔法创新中心");
    assert_eq!(meta(&alpha, "property", "og:type").unwrap(), "article");
    // The first sentence of the description, not the whole paragraph.
    assert_eq!(meta(&alpha, "name", "description").unwrap(), "阿尔法中心的描述。");
    let home = site.page("index.html");
    assert_eq!(meta(&home, "property", "og:type").unwrap(), "website");
    assert_eq!(meta(&home, "name", "description").unwrap(), "用于测试的小型名录。");
    let wuxi = site.page("places/wuxi/index.html");
    assert_eq!(meta(&wuxi, "property", "og:title").unwrap(), "无锡市");
    assert!(meta(&wuxi, "name", "description").unwrap().starts_with("无锡市："));
}

#[test]
fn og_url_follows_base_url_with_its_path() {
    let site = TestSite::fixture("basic");
    let run = site.build(&["--base-url", "https://owner.github.io/feidi"]);
    assert!(run.ok(), "{}", run.stderr);
    let alpha = site.page("enclaves/alpha/index.html");
    assert_eq!(meta(&alpha, "property", "og:url").unwrap(), "https://owner.github.io/feidi/enclaves/alpha/");
    assert_eq!(json_ld(&alpha)["url"], "https://owner.github.io/feidi/enclaves/alpha/");
}

#[test]
fn descriptions_are_bounded_and_english_pages_say_so() {
    let site = TestSite::fixture("basic");
    site.edit("content/site.yaml", "language: zh-CN", "language: en");
    let long = "长".repeat(400);
    site.edit(ALPHA, "阿尔法中心的**描述**。", &format!("{long}。"));
    site.build_ok();
    let alpha = site.page("enclaves/alpha/index.html");
    let description = meta(&alpha, "name", "description").unwrap();
    assert_eq!(description, format!("{}…", "长".repeat(160)));
    assert_eq!(meta(&alpha, "property", "og:locale").unwrap(), "en_US");
    assert_eq!(
        meta(&alpha, "property", "og:title").unwrap(),
        "Alpha Innovation Centre",
        "the interface language's name"
    );
    assert_eq!(meta(&alpha, "property", "og:site_name").unwrap(), "Test Enclave Directory");
    // The JSON-LD names the enclave in the page's language too, the other name as alternate.
    let ld = json_ld(&alpha);
    assert_eq!(ld["name"], "Alpha Innovation Centre");
    assert_eq!(ld["alternateName"], "阿尔法创新中心");
}

#[test]
fn each_language_s_json_ld_links_to_the_pages_in_that_language() {
    let site = TestSite::fixture("basic");
    site.edit("content/site.yaml", "language: zh-CN", "languages: [zh-CN, en]");
    site.build_ok();
    let zh = json_ld(&site.page("enclaves/alpha/index.html"));
    assert_eq!(zh["name"], "阿尔法创新中心");
    assert_eq!(zh["url"], "https://example.org/enclaves/alpha/");
    let en = json_ld(&site.page("en/enclaves/alpha/index.html"));
    assert_eq!(en["name"], "Alpha Innovation Centre");
    assert_eq!(en["url"], "https://example.org/en/enclaves/alpha/");
    assert_eq!(en["location"]["url"], "https://example.org/en/places/minhang/");
    assert_eq!(en["parentOrganization"][0]["url"], "https://example.org/en/operators/cmsk/");
}

#[test]
fn enclave_pages_carry_an_organization_with_address_location_and_operators() {
    let site = TestSite::fixture("basic");
    site.build_ok();
    let ld = json_ld(&site.page("enclaves/alpha/index.html"));
    assert_eq!(ld["@context"], "https://schema.org");
    assert_eq!(ld["@type"], "Organization");
    assert_eq!(ld["name"], "阿尔法创新中心");
    assert_eq!(ld["url"], "https://example.org/enclaves/alpha/");
    assert_eq!(ld["description"], "阿尔法中心的描述。");
    assert_eq!(ld["foundingDate"], "2021-06");
    assert_eq!(ld["address"]["@type"], "PostalAddress");
    assert_eq!(ld["address"]["streetAddress"], "测试路 1 号");
    assert_eq!(ld["address"]["addressLocality"], "上海市");
    assert_eq!(ld["address"]["addressCountry"], "CN");
    let location = &ld["location"];
    assert_eq!(location["@type"], "Place");
    assert_eq!(location["name"], "闵行区");
    assert_eq!(location["url"], "https://example.org/places/minhang/");
    assert_eq!(location["geo"]["latitude"], 31.11);
    assert_eq!(location["geo"]["longitude"], 121.38);
    assert_eq!(location["containedInPlace"]["name"], "上海市");
    assert_eq!(ld["founder"], serde_json::json!({"@type": "Organization", "name": "惠山区政府"}));
    let operators = ld["parentOrganization"].as_array().unwrap();
    assert_eq!(operators.len(), 1);
    assert_eq!(operators[0]["name"], "招商蛇口");
    assert_eq!(operators[0]["url"], "https://example.org/operators/cmsk/");
    assert_eq!(ld["knowsAbout"], serde_json::json!(["新材料"]));
    assert_eq!(ld["subjectOf"][0]["url"], "https://example.com/a");
    // What a source does not give is left out, not invented.
    let gamma = json_ld(&site.page("enclaves/gamma/index.html"));
    assert!(gamma.get("foundingDate").is_none() && gamma.get("founder").is_none(), "{gamma:#}");
}

#[test]
fn operator_pages_carry_an_organization_with_the_enclaves_it_runs() {
    let site = TestSite::fixture("basic");
    site.build_ok();
    let ld = json_ld(&site.page("operators/cmsk/index.html"));
    assert_eq!(ld["@type"], "Organization");
    assert_eq!(ld["name"], "招商蛇口");
    assert_eq!(ld["url"], "https://example.org/operators/cmsk/");
    assert_eq!(ld["alternateName"][0], "China Merchants Shekou");
    assert_eq!(ld["location"]["name"], "深圳市");
    let runs = ld["subOrganization"].as_array().unwrap();
    assert_eq!(runs.len(), 1);
    assert_eq!(runs[0]["url"], "https://example.org/enclaves/alpha/");
    // The same enclave, by the @id its own page gives it.
    let alpha = json_ld(&site.page("enclaves/alpha/index.html"));
    assert_eq!(runs[0]["@id"], alpha["@id"]);
    // Other pages have none.
    for page in ["index.html", "enclaves/index.html", "places/wuxi/index.html", "404.html"] {
        assert!(json_ld_scripts(&site.page(page)).is_empty(), "{page}");
    }
}

#[test]
fn hostile_text_cannot_leave_the_json_ld_script_or_the_meta_attributes() {
    let site = TestSite::fixture("basic");
    let hostile = "</script><script>alert(1)</script><!-- & \"q\" 'a'";
    site.edit(ALPHA, "name: 阿尔法创新中心", &format!("name: '{}'", hostile.replace('\'', "''")));
    // A code span reaches the description as it is written.
    site.edit(ALPHA, "阿尔法中心的**描述**。", "描述 `</script><script>alert(2)</script>` \"&\"。");
    site.edit(ALPHA, "address: 测试路 1 号", "address: \"</SCRIPT ><img src=x onerror=alert(3)>\"");
    site.build_ok();
    for page in ["enclaves/alpha/index.html", "operators/cmsk/index.html"] {
        let html = site.page(page);
        assert!(!html.contains("<script>alert"), "{page}: a script got in");
        assert!(!html.contains("<img src=x"), "{page}: markup got in");
        let scripts = json_ld_scripts(&html);
        assert_eq!(scripts.len(), 1, "{page}");
        let raw = scripts[0];
        assert!(!raw.contains(['<', '>', '&']), "{page}: {raw}");
        assert!(!raw.to_ascii_lowercase().contains("</script"), "{page}");
        let ld: Value = serde_json::from_str(raw).unwrap();
        let name = if page.starts_with("enclaves") { &ld["name"] } else { &ld["subOrganization"][0]["name"] };
        assert_eq!(name, hostile, "{page}: the name is kept, only escaped");
    }
    let html = site.page("enclaves/alpha/index.html");
    let ld = json_ld(&html);
    assert_eq!(ld["address"]["streetAddress"], "</SCRIPT ><img src=x onerror=alert(3)>");
    assert_eq!(ld["description"], "描述 </script><script>alert(2)</script> \"&\"。");
    // In the attributes, the same text is escaped as HTML.
    assert!(html.contains("<meta property=\"og:title\" content=\"&lt;/script&gt;&lt;script&gt;alert(1)"), "{html}");
    assert_eq!(meta(&html, "property", "og:title").unwrap(), hostile);
    assert_eq!(meta(&html, "name", "description").unwrap(), "描述 </script><script>alert(2)</script> \"&\"。");
    assert!(html.contains("<meta name=\"description\" content=\"描述 &lt;/script&gt;&lt;script&gt;alert(2)&lt;/script&gt; &quot;&amp;&quot;。\">"));
}

#[test]
fn an_operator_lists_the_enclaves_its_page_lists_so_the_page_stays_bounded() {
    let site = TestSite::fixture("basic");
    site.edit("content/site.yaml", "language: zh-CN", "language: zh-CN\npage_size: 1");
    site.edit("content/enclaves/beta.md", "    role: 合作方\n", "    role: 合作方\n  - operator: 招商蛇口\n");
    site.build_ok();
    let ld = json_ld(&site.page("operators/cmsk/index.html"));
    let runs: Vec<&str> =
        ld["subOrganization"].as_array().unwrap().iter().map(|x| x["url"].as_str().unwrap()).collect();
    assert_eq!(runs, ["https://example.org/enclaves/alpha/"], "one enclave a page");
    assert!(json_ld_scripts(&site.page("operators/cmsk/page/2/index.html")).is_empty(), "the first page only");
}
