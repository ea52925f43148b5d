//! Internal links in Markdown bodies (`@/enclaves/<slug>.md`): each must name an existing page.

use pulldown_cmark::{Event, Parser, Tag};

use crate::diagnostics::{Diagnostic, Diagnostics, closest, did_you_mean};
use crate::load::Doc;
use crate::render::markdown::internal_target;

/// Every page an internal link may point at, as `section/slug/` paths.
pub type Targets = Vec<String>;

/// Reports each `@/` link in `doc`'s body whose target is not in `targets`.
pub fn check(doc: &Doc, targets: &Targets, diags: &mut Diagnostics) {
    for (event, range) in Parser::new(&doc.body).into_offset_iter() {
        let Event::Start(Tag::Link { dest_url, .. } | Tag::Image { dest_url, .. }) = event else { continue };
        let Some(target) = internal_target(&dest_url) else { continue };
        let path = target.split('#').next().unwrap_or("").to_string();
        if targets.contains(&path) {
            continue;
        }
        let before = &doc.body[..range.start];
        let line = doc.body_line + before.matches('\n').count();
        let col = before.rsplit('\n').next().unwrap_or("").chars().count() + 1;
        let wanted = format!("@/{}.md", path.trim_end_matches('/'));
        let known: Vec<String> = targets.iter().map(|t| format!("@/{}.md", t.trim_end_matches('/'))).collect();
        let cands = closest(&wanted, known.iter().map(String::as_str), 3);
        let mut d =
            Diagnostic::error(&doc.path, line, col, format!("link to `{dest_url}`, which is no page of this site"))
                .with_help_opt(did_you_mean(&cands).or_else(|| {
                    Some(
                    "write `@/enclaves/<slug>.md`, `@/operators/<slug>.md`, `@/pages/<slug>.md`, or `@/places/<id>.md`"
                        .into(),
                )
                }));
        if let Some(text) = doc.lines.get(line - 1) {
            d = d.with_snippet(text.clone());
        }
        diags.push(d);
    }
}
