//! Files for static hosts and feed readers: sitemap, robots.txt and an Atom feed.

use crate::model::Site;
use crate::urls;

use crate::escape::xml as xml_escape;

/// `sitemap.xml`: every page, absolute.
pub fn sitemap(site: &Site) -> String {
    let mut out = String::from(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<urlset xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\">\n",
    );
    for path in urls::all_pages(site) {
        out.push_str(&format!("  <url><loc>{}</loc></url>\n", xml_escape(&format!("{}{path}", site.config.base_url))));
    }
    out.push_str("</urlset>\n");
    out
}

/// `robots.txt`: allow everything, point at the sitemap.
pub fn robots(site: &Site) -> String {
    format!("User-agent: *\nAllow: /\n\nSitemap: {}sitemap.xml\n", site.config.base_url)
}

/// An RFC 3339 timestamp from a content date (`YYYY`, `YYYY-MM` or `YYYY-MM-DD`).
fn timestamp(date: &str) -> String {
    let mut parts = date.split('-');
    let y = parts.next().unwrap_or("1970");
    let m = parts.next().unwrap_or("01");
    let d = parts.next().unwrap_or("01");
    format!("{y}-{m}-{d}T00:00:00Z")
}

/// `atom.xml`: one entry per enclave, newest first. Dates come from content only (`updated`,
/// else `opened`, else the newest source date), so two builds give the same bytes. An entry
/// with no date of its own carries the newest date of the directory, never an invented one;
/// a directory without a single date has a feed without entries (and without `<updated>`),
/// until an editor gives one.
pub fn atom(site: &Site) -> String {
    let own_date = |e: &crate::model::Enclave| {
        e.updated
            .clone()
            .or_else(|| e.opened.clone())
            .or_else(|| e.sources.iter().filter_map(|s| s.date.clone()).max())
            .map(|d| timestamp(&d))
    };
    let dated: Vec<(Option<String>, &crate::model::Enclave)> = site.enclaves.iter().map(|e| (own_date(e), e)).collect();
    let newest = dated.iter().filter_map(|(d, _)| d.clone()).max();
    let mut entries: Vec<(String, &crate::model::Enclave)> = match &newest {
        Some(n) => dated.into_iter().map(|(d, e)| (d.unwrap_or_else(|| n.clone()), e)).collect(),
        None => Vec::new(),
    };
    entries.sort_by(|a, b| b.0.cmp(&a.0).then_with(|| a.1.slug.cmp(&b.1.slug)));
    let base = &site.config.base_url;
    let mut out = String::from("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
    out.push_str(&format!(
        "<feed xmlns=\"http://www.w3.org/2005/Atom\" xml:lang=\"{}\">\n",
        xml_escape(&site.config.language)
    ));
    out.push_str(&format!("  <title>{}</title>\n", xml_escape(&site.config.title)));
    if let Some(d) = &site.config.description {
        out.push_str(&format!("  <subtitle>{}</subtitle>\n", xml_escape(d)));
    }
    out.push_str(&format!(
        "  <link href=\"{}\"/>\n  <link rel=\"self\" href=\"{}atom.xml\"/>\n",
        xml_escape(base),
        xml_escape(base)
    ));
    out.push_str(&format!("  <id>{}</id>\n", xml_escape(base)));
    if let Some(n) = &newest {
        out.push_str(&format!("  <updated>{n}</updated>\n"));
    }
    out.push_str(&format!("  <author><name>{}</name></author>\n", xml_escape(&site.config.title)));
    for (date, e) in entries {
        let url = format!("{base}{}", urls::enclave(&e.slug));
        let summary = crate::markdown::summary(&e.body, 200);
        out.push_str("  <entry>\n");
        out.push_str(&format!("    <title>{}</title>\n", xml_escape(&e.name)));
        out.push_str(&format!("    <link href=\"{}\"/>\n    <id>{}</id>\n", xml_escape(&url), xml_escape(&url)));
        out.push_str(&format!("    <updated>{date}</updated>\n"));
        out.push_str(&format!("    <summary>{}</summary>\n", xml_escape(&summary)));
        out.push_str("  </entry>\n");
    }
    out.push_str("</feed>\n");
    out
}
