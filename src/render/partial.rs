//! Rendering a chosen part of the site, for rebuilds while serving.
//!
//! A full render of 10,000 enclaves takes seconds; after an edit most pages come out the same.
//! Every page is a function of its template set, the inputs all pages share, its path and its
//! own context (see `Renderer::context`), so a [`PageStamp`] (a hash of those) tells whether
//! rendering a page again would give other bytes, at the cost of building its context only.
//!
//! The one input that is not in the hash is the theme's assets map: file names with a content
//! hash (`style.<hash>.css`, the search index ...) that change whenever their content does. A
//! page depends on those it names, which the stamp records from the page's last render, so that
//! a new search index re-renders the pages that load it and not every page of the site.

use std::collections::HashMap;
use std::hash::Hash;

use std::sync::atomic::{AtomicBool, Ordering};
use xxhash_rust::xxh3::Xxh3;

use rayon::prelude::*;

use super::{Renderer, Subject, jobs, push_once, template_error};
use crate::diagnostics::Diagnostics;
use crate::model::{Enclave, Site};
use crate::output::OutputFile;
use crate::theme::Theme;

/// What a page was rendered from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PageStamp {
    /// Hash of the theme, the shared context, the page's path, template and own context.
    inputs: u64,
    /// The assets (key, file name) the page named when it was rendered.
    assets: Vec<(String, String)>,
}

impl PageStamp {
    /// The page `html` rendered with this stamp, brought up to the asset file names `names`
    /// without rendering it again, for a page whose view is known to be unchanged: each file
    /// name it named that changed is replaced by the new one (names carry a content hash, so
    /// they occur nowhere else in a page). `None` when no name it named changed, or when one
    /// is gone (then the page must be rendered).
    pub fn renamed(&self, html: &[u8], names: &crate::assets::Names) -> Option<(Vec<u8>, PageStamp)> {
        let mut changes: Vec<(&str, &str)> = Vec::new();
        for (key, name) in &self.assets {
            let now = names.get(key)?;
            if now != name {
                changes.push((name, now));
            }
        }
        if changes.is_empty() {
            return None;
        }
        let mut text = String::from_utf8(html.to_vec()).ok()?;
        for (old, new) in changes {
            text = text.replace(old, new);
        }
        let assets = self.assets.iter().map(|(k, _)| (k.clone(), names[k].clone())).collect();
        Some((text.into_bytes(), PageStamp { inputs: self.inputs, assets }))
    }
}

/// Stamps of rendered pages, by output file (`enclaves/a/index.html`).
pub type Stamps = HashMap<String, PageStamp>;

/// Which pages [`render_pages`] renders.
#[derive(Default, Clone, Copy)]
pub struct Selection<'s> {
    /// Only pages whose path (`enclaves/<slug>/`, `404.html` ...) this accepts; all when `None`.
    pub only: Option<&'s (dyn Fn(&str) -> bool + Sync)>,
    /// Pages whose stamp here is still valid are skipped: they would come out the same.
    pub known: Option<&'s Stamps>,
    /// Once set, no further page is started (those done are still returned).
    pub cancel: Option<&'s AtomicBool>,
    /// Pages this accepts are known to have the view they had when their stamp in `known` was
    /// made: their view is not even built, and they are rendered again only when an asset
    /// they named changed.
    pub unchanged: Option<&'s (dyn Fn(&str) -> bool + Sync)>,
    /// Enclaves shown on their own pages in place of the site's namesakes: an edit that
    /// changed nothing but a description is served from the last site before the whole site
    /// is resolved again. Other pages still show the site's.
    pub replaced: &'s [Enclave],
}

/// What [`render_pages`] produced.
#[derive(Debug)]
pub struct Rendered {
    /// The pages rendered, each with its stamp, in output order.
    pub pages: Vec<(OutputFile, PageStamp)>,
    /// The output file of every page of the site, rendered now or not, in output order.
    pub page_files: Vec<String>,
    /// True when `cancel` stopped the run before every selected page was looked at.
    pub cancelled: bool,
}

/// Feeds bytes written by a serializer into a hasher. XXH3 rather than the standard library's
/// SipHash: every page's whole context goes through it on each rebuild, and XXH3 takes a small
/// fraction of the time while still telling apart contexts that differ anywhere.
struct HashWriter<'h>(&'h mut Xxh3);

impl std::io::Write for HashWriter<'_> {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.0.update(buf);
        Ok(buf.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

/// Renders the pages `sel` chooses whose stamp changed, in every language of the site. Template
/// errors come back as diagnostics, as from [`super::render_into`].
pub fn render_pages(
    site: &Site,
    theme: &Theme,
    assets: &crate::assets::Names,
    sel: &Selection,
) -> Result<Rendered, Diagnostics> {
    let mut all = Rendered { pages: Vec::new(), page_files: Vec::new(), cancelled: false };
    for lang in &site.config.languages {
        let one = render_language(site, theme, assets, lang, sel)?;
        all.pages.extend(one.pages);
        all.page_files.extend(one.page_files);
        all.cancelled |= one.cancelled;
    }
    Ok(all)
}

fn render_language(
    site: &Site,
    theme: &Theme,
    assets: &crate::assets::Names,
    lang: &str,
    sel: &Selection,
) -> Result<Rendered, Diagnostics> {
    let r = Renderer::new(site, theme, assets, lang).map_err(|d| Diagnostics(vec![d]))?;
    // Everything every page is rendered with, except the assets map (see the module docs).
    let mut shared = Xxh3::new();
    theme.files.hash(&mut shared);
    let _ = serde_json::to_writer(HashWriter(&mut shared), &r.frame);
    let shared = shared.digest();

    let stale = |file: &str, inputs: u64| match sel.known.and_then(|k| k.get(file)) {
        Some(s) => s.inputs != inputs || s.assets.iter().any(|(k, name)| r.assets.get(k) != Some(name)),
        None => true,
    };
    let mut all = jobs(site);
    if !sel.replaced.is_empty() {
        for job in &mut all {
            if let Subject::Enclave(e) = job.subject
                && let Some(new) = sel.replaced.iter().find(|n| n.slug == e.slug)
            {
                job.subject = Subject::Enclave(new);
            }
        }
    }
    let page_files: Vec<String> = all.iter().map(|j| format!("{}{}", r.prefix, j.file())).collect();
    let cancelled = AtomicBool::new(false);
    let results: Vec<_> = all
        .into_par_iter()
        .filter(|job| sel.only.is_none_or(|only| only(&job.path)))
        .filter_map(|job| {
            if sel.cancel.is_some_and(|c| c.load(Ordering::Relaxed)) {
                cancelled.store(true, Ordering::Relaxed);
                return None;
            }
            let file = format!("{}{}", r.prefix, job.file());
            let named_changed = |s: &PageStamp| s.assets.iter().any(|(k, name)| r.assets.get(k) != Some(name));
            if sel.unchanged.is_some_and(|u| u(&job.path))
                && sel.known.and_then(|k| k.get(&file)).is_some_and(|s| !named_changed(s))
            {
                return None;
            }
            let (root, ctx) = r.context(&job);
            let mut h = Xxh3::new();
            (shared, lang, &job.path, job.template, &root).hash(&mut h);
            job.paging.as_ref().map(|p| (p.current, p.total)).hash(&mut h);
            let _ = serde_json::to_writer(HashWriter(&mut h), &ctx);
            let inputs = h.digest();
            if !stale(&file, inputs) {
                return None;
            }
            let html = r.page_with_root(&job, &root, &ctx).and_then(|b| {
                String::from_utf8(b).map_err(|e| tera::Error::msg(format!("the page is not UTF-8: {e}")))
            });
            Some((job, file, inputs, html))
        })
        .collect();
    let mut pages = Vec::with_capacity(results.len());
    let mut diags = Diagnostics::new();
    for (job, file, inputs, html) in results {
        match html {
            Ok(html) => {
                let assets: Vec<(String, String)> = r
                    .assets
                    .iter()
                    .filter(|(_, name)| html.contains(name.as_str()))
                    .map(|(k, n)| (k.clone(), n.clone()))
                    .collect();
                pages.push((OutputFile::text(file, html), PageStamp { inputs, assets }));
            }
            Err(e) => push_once(&mut diags, template_error(theme, job.template, &job.path, &e)),
        }
    }
    if !diags.is_empty() {
        return Err(diags);
    }
    Ok(Rendered { pages, page_files, cancelled: cancelled.into_inner() })
}
