//! Files for static hosts and feed readers: sitemap, robots.txt and an Atom feed.

use crate::model::Site;
use crate::urls;

use crate::escape::xml as xml_escape;

/// `sitemap.xml`: every page, absolute; on a site in several languages, every page in each
/// language, each with its alternates in all of them (`xhtml:link rel="alternate"`).
pub fn sitemap(site: &Site) -> String {
    let config = &site.config;
    let many = config.languages.len() > 1;
    let mut out = String::from(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<urlset xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\"",
    );
    out.push_str(if many { " xmlns:xhtml=\"http://www.w3.org/1999/xhtml\">\n" } else { ">\n" });
    let prefixes: Vec<(&str, String)> =
        config.languages.iter().map(|l| (l.as_str(), urls::lang_prefix(config, l))).collect();
    let pages = urls::all_pages(site);
    for (_, prefix) in &prefixes {
        for path in &pages {
            let loc = xml_escape(&format!("{}{prefix}{path}", config.base_url));
            if !many {
                out.push_str(&format!("  <url><loc>{loc}</loc></url>\n"));
                continue;
            }
            out.push_str(&format!("  <url><loc>{loc}</loc>"));
            for (lang, p) in &prefixes {
                out.push_str(&format!(
                    "<xhtml:link rel=\"alternate\" hreflang=\"{}\" href=\"{}\"/>",
                    xml_escape(lang),
                    xml_escape(&format!("{}{p}{path}", config.base_url))
                ));
            }
            out.push_str("</url>\n");
        }
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

/// The Atom feed of the pages in `lang` (`atom.xml` in the folder of that language): one entry
/// per enclave, newest first, named and summarised in that language. Dates come from content
/// only (`updated`, else `opened`, else the newest source date), so two builds give the same
/// bytes. An entry with no date of its own carries the newest date of the directory, never an
/// invented one; a directory without a single date has a feed without entries (and without
/// `<updated>`), until an editor gives one.
pub fn atom(site: &Site, lang: &str) -> String {
    let english = !lang.starts_with("zh");
    let pick =
        |zh: &str, en: Option<&str>| -> String { if english { en.unwrap_or(zh).to_string() } else { zh.to_string() } };
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
    let base = &format!("{}{}", site.config.base_url, urls::lang_prefix(&site.config, lang));
    let title = pick(&site.config.title, site.config.title_en.as_deref());
    let mut out = String::from("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
    out.push_str(&format!("<feed xmlns=\"http://www.w3.org/2005/Atom\" xml:lang=\"{}\">\n", xml_escape(lang)));
    out.push_str(&format!("  <title>{}</title>\n", xml_escape(&title)));
    if let Some(d) = &site.config.description {
        out.push_str(&format!(
            "  <subtitle>{}</subtitle>\n",
            xml_escape(&pick(d, site.config.description_en.as_deref()))
        ));
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
    out.push_str(&format!("  <author><name>{}</name></author>\n", xml_escape(&title)));
    for (date, e) in entries {
        let url = format!("{base}{}", urls::enclave(&e.slug));
        let body = if english { e.body_en.as_deref().unwrap_or(&e.body) } else { &e.body };
        let summary = crate::markdown::summary(body, 200);
        out.push_str("  <entry>\n");
        out.push_str(&format!("    <title>{}</title>\n", xml_escape(&pick(&e.name, e.name_en.as_deref()))));
        out.push_str(&format!("    <link href=\"{}\"/>\n    <id>{}</id>\n", xml_escape(&url), xml_escape(&url)));
        out.push_str(&format!("    <updated>{date}</updated>\n"));
        out.push_str(&format!("    <summary>{}</summary>\n", xml_escape(&summary)));
        out.push_str("  </entry>\n");
    }
    out.push_str("</feed>\n");
    out
}
