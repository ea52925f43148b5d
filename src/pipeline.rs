//! The whole pipeline in one call: load → resolve → assets → render + index, each file handed
//! to a sink as soon as it is made (`output` writes them; `check` only counts them). Commands
//! wrap this.

use std::path::Path;
use std::sync::Mutex;

use crate::diagnostics::Diagnostics;
use crate::model::Site;
use crate::output::{OutputError, OutputFile};
use crate::theme::Theme;
use crate::{assets, index, load, render, resolve};

/// Where the files of a build go, from any number of threads at once.
pub type Sink<'s> = &'s (dyn Fn(OutputFile) -> Result<(), OutputError> + Sync);

/// What a successful build produced.
#[derive(Debug)]
pub struct Summary {
    /// The resolved site.
    pub site: Site,
    /// HTML pages written.
    pub pages: usize,
    /// Files written in all.
    pub files: usize,
    /// Warnings (never errors).
    pub warnings: Diagnostics,
}

/// Why a build stopped.
#[derive(Debug)]
pub enum Failure {
    /// The content or the theme has errors, all of them here, sorted by file and line.
    Content(Diagnostics),
    /// A file could not be written.
    Output(OutputError),
}

/// A render failure as a build failure: template errors are the content's.
fn render_failure(f: render::Failure) -> Failure {
    match f {
        render::Failure::Templates(d) => Failure::Content(d),
        render::Failure::Output(e) => Failure::Output(e),
    }
}

/// Runs every stage, handing each file to `sink` as it is made: pages are rendered on every core
/// and written as they come, so the site is never held in memory whole. Errors in the content
/// are all found before the first file is made; warnings travel with a success.
pub fn build(root: &Path, opts: &resolve::Options, sink: Sink) -> Result<Summary, Failure> {
    let mut diags = Diagnostics::new();
    let sources = load::load(root, &mut diags);
    let theme = Theme::load(root, &mut diags);
    let opts = resolve::Options { languages: Some(theme.languages()), ..opts.clone() };
    let site = resolve::resolve(&sources, &opts, &mut diags);
    drop(sources);
    let fail = |mut diags: Diagnostics| {
        diags.sort();
        Failure::Content(diags)
    };
    let site = match site {
        Some(site) if !diags.has_errors() => site,
        _ => return Err(fail(diags)),
    };
    // The pages that name only the theme's own files are rendered while the search index and
    // the comparison data are made; the others once their file names are known (see
    // `render::first_turn`). The open data and feeds are made beside both, on whichever core
    // is free.
    let statics = assets::static_names(&theme);
    let (pages, data) = rayon::join(
        || -> Result<(usize, usize), Failure> {
            let (built, first) = rayon::join(
                || assets::build(&site, &theme),
                || {
                    site.config
                        .languages
                        .iter()
                        .map(|lang| render::first_turn(&site, &theme, &statics, lang, sink))
                        .collect::<Result<Vec<_>, _>>()
                },
            );
            let built = built.map_err(|d| Failure::Content(Diagnostics(vec![d])))?;
            let first = first.map_err(render_failure)?;
            let mut files = 0;
            for f in built.files {
                sink(f).map_err(Failure::Output)?;
                files += 1;
            }
            let mut pages = 0;
            for turns in first {
                pages += turns.finish(&built.names, sink).map_err(render_failure)?;
            }
            Ok((pages, files))
        },
        || -> Result<usize, OutputError> {
            use rayon::prelude::*;
            let makers = index::makers();
            makers.par_iter().try_for_each(|(path, make)| sink(OutputFile::text(*path, make(&site))))?;
            let feeds = index::feeds(&site);
            feeds
                .par_iter()
                .try_for_each(|(path, lang)| sink(OutputFile::text(path, index::feeds::atom(&site, lang))))?;
            Ok(makers.len() + feeds.len())
        },
    );
    let (pages, asset_files) = match pages {
        Ok(n) => n,
        Err(Failure::Content(d)) => {
            diags.extend(d);
            return Err(fail(diags));
        }
        Err(e) => return Err(e),
    };
    let files = asset_files + pages + data.map_err(Failure::Output)?;
    diags.sort();
    Ok(Summary { site, pages, files, warnings: diags })
}

/// What [`run`] produced: the site and every file, in memory.
#[derive(Debug)]
pub struct Built {
    /// The resolved site.
    pub site: Site,
    /// Every file of the output, sorted by path.
    pub files: Vec<OutputFile>,
    /// Warnings (never errors).
    pub warnings: Diagnostics,
}

/// [`build`] into memory, for tools and tests that want the files themselves.
pub fn run(root: &Path, opts: &resolve::Options) -> Result<Built, Diagnostics> {
    let files = Mutex::new(Vec::new());
    let keep = |f: OutputFile| {
        files.lock().unwrap_or_else(|e| e.into_inner()).push(f);
        Ok(())
    };
    match build(root, opts, &keep) {
        Ok(s) => {
            let mut files = files.into_inner().unwrap_or_else(|e| e.into_inner());
            files.sort_by(|a, b| a.path.cmp(&b.path));
            Ok(Built { site: s.site, files, warnings: s.warnings })
        }
        Err(Failure::Content(d)) => Err(d),
        // Keeping a file in memory cannot fail.
        Err(Failure::Output(_)) => Err(Diagnostics::new()),
    }
}
