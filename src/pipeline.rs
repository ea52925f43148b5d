//! The whole pipeline in one call: load → resolve → assets → render + index. Commands wrap
//! this; `output` writes what it returns.

use std::path::Path;

use crate::diagnostics::Diagnostics;
use crate::model::Site;
use crate::output::OutputFile;
use crate::theme::Theme;
use crate::{assets, index, load, render, resolve};

/// What a successful run produced.
#[derive(Debug)]
pub struct Built {
    /// The resolved site.
    pub site: Site,
    /// Every file of the output, in a fixed order.
    pub files: Vec<OutputFile>,
    /// Warnings (never errors).
    pub warnings: Diagnostics,
}

/// Runs every stage up to, not including, writing. Errors come back all together, sorted by file
/// and line; warnings travel with a success.
pub fn run(root: &Path, opts: &resolve::Options) -> Result<Built, Diagnostics> {
    let mut diags = Diagnostics::new();
    let sources = load::load(root, &mut diags);
    let theme = Theme::load(root, &mut diags);
    let opts = resolve::Options { languages: Some(theme.languages()), ..opts.clone() };
    let site = resolve::resolve(&sources, &opts, &mut diags);
    let site = match site {
        Some(site) if !diags.has_errors() => site,
        _ => {
            diags.sort();
            return Err(diags);
        }
    };
    let assets = match assets::build(&site, &theme) {
        Ok(a) => a,
        Err(d) => {
            diags.push(d);
            diags.sort();
            return Err(diags);
        }
    };
    let mut files = match render::render(&site, &theme, &assets.names) {
        Ok(f) => f,
        Err(d) => {
            diags.extend(d);
            diags.sort();
            return Err(diags);
        }
    };
    files.extend(assets.files);
    files.extend(index::files(&site));
    files.sort_by(|a, b| a.path.cmp(&b.path));
    diags.sort();
    Ok(Built { site, files, warnings: diags })
}
