//! Markdown bodies to safe HTML.
//!
//! Editors write Markdown, not HTML: raw HTML in a body is shown as text rather than passed
//! through, and link targets are limited to web, mail and relative addresses, so no body can
//! inject a script into a page. Internal links may be written `@/enclaves/<slug>.md` and become
//! relative links to that page.

use pulldown_cmark::{CowStr, Event, Options, Parser, Tag, html};

/// Renders `md` to HTML. `root` is the relative way up from the page to the site root, used for
/// `@/` links.
pub fn to_html(md: &str, root: &str) -> String {
    let opts = Options::ENABLE_TABLES | Options::ENABLE_FOOTNOTES | Options::ENABLE_STRIKETHROUGH;
    let events = Parser::new_ext(md, opts).map(|ev| match ev {
        Event::Html(s) | Event::InlineHtml(s) => Event::Text(s),
        Event::Start(Tag::Link { link_type, dest_url, title, id }) => {
            Event::Start(Tag::Link { link_type, dest_url: safe_url(dest_url, root), title, id })
        }
        Event::Start(Tag::Image { link_type, dest_url, title, id }) => {
            Event::Start(Tag::Image { link_type, dest_url: safe_url(dest_url, root), title, id })
        }
        other => other,
    });
    let mut out = String::new();
    html::push_html(&mut out, events);
    out
}

/// The plain text of a Markdown body's first paragraph, for summaries and meta descriptions.
pub fn summary(md: &str, max_chars: usize) -> String {
    let mut text = String::new();
    let mut in_para = false;
    for ev in Parser::new(md) {
        match ev {
            Event::Start(Tag::Paragraph) => in_para = true,
            Event::End(pulldown_cmark::TagEnd::Paragraph) => {
                if !text.trim().is_empty() {
                    break;
                }
                in_para = false;
            }
            Event::Text(t) | Event::Code(t) if in_para => text.push_str(&t),
            Event::SoftBreak | Event::HardBreak if in_para => text.push(' '),
            _ => {}
        }
    }
    let text = text.trim();
    if text.chars().count() > max_chars {
        let cut: String = text.chars().take(max_chars).collect();
        format!("{cut}…")
    } else {
        text.to_string()
    }
}

fn safe_url<'a>(url: CowStr<'a>, root: &str) -> CowStr<'a> {
    if let Some(target) = crate::urls::internal_target(&url) {
        return CowStr::from(format!("{root}{target}"));
    }
    let lower = url.trim().to_ascii_lowercase();
    let scheme_end = lower.find(':');
    let first_sep = lower.find(['/', '?', '#']);
    let has_scheme = matches!((scheme_end, first_sep), (Some(c), None) if c > 0)
        || matches!((scheme_end, first_sep), (Some(c), Some(s)) if c < s && c > 0);
    if !has_scheme || lower.starts_with("http:") || lower.starts_with("https:") || lower.starts_with("mailto:") {
        url
    } else {
        CowStr::from("#")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn raw_html_is_shown_as_text() {
        let html = to_html("Hi <script>alert(1)</script>\n\n<div onclick=x>b</div>", "");
        assert!(!html.contains("<script"), "{html}");
        assert!(!html.contains("<div"), "{html}");
        assert!(html.contains("&lt;script&gt;"), "{html}");
    }

    #[test]
    fn dangerous_link_schemes_are_dropped() {
        let html = to_html("[x](javascript:alert(1)) [y](JavaScript:1) [z](https://a.org) [w](../a/)", "");
        assert!(!html.to_lowercase().contains("javascript"), "{html}");
        assert!(html.contains("href=\"https://a.org\""));
        assert!(html.contains("href=\"../a/\""));
    }

    #[test]
    fn internal_links_become_relative() {
        let html = to_html("[惠山](@/enclaves/huishan.md)", "../../");
        assert!(html.contains("href=\"../../enclaves/huishan/\""), "{html}");
    }

    #[test]
    fn summary_takes_the_first_paragraph() {
        assert_eq!(summary("# T\n\nFirst *para*\nline.\n\nSecond", 100), "First para line.");
        assert_eq!(summary("一二三四五", 3), "一二三…");
    }
}
