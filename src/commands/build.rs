//! `feidi build`: content in, `public/` out.

use std::path::{Path, PathBuf};
use std::time::Instant;

use crate::diagnostics::{Diagnostics, sanitize};
use crate::output::Output;
use crate::pipeline;
use crate::resolve::Options;
use crate::term;

/// Arguments of `feidi build`.
#[derive(Debug, Clone)]
pub struct BuildArgs {
    /// The site folder (holding `content/`).
    pub root: PathBuf,
    /// Where to write; relative paths are taken from the site folder.
    pub output: PathBuf,
    /// Overrides `base_url`.
    pub base_url: Option<String>,
    /// Writes a `.gz` and a `.br` beside every text file.
    pub precompress: bool,
}

/// Builds the site. Returns the process exit code; prints problems to stderr and a one-line
/// summary to stdout.
pub fn run(args: &BuildArgs) -> i32 {
    let start = Instant::now();
    let out_dir = if args.output.is_absolute() { args.output.clone() } else { args.root.join(&args.output) };
    if !args.root.join("content").is_dir() {
        // Nothing to build: the loader says so, with its advice.
        let mut diags = Diagnostics::new();
        crate::load::load(&args.root, &mut diags);
        report_failure(&diags, &out_dir);
        return 1;
    }
    // The output folder is claimed first: a folder feidi may not replace is refused before any
    // work, and a second build of the same folder waits here.
    let output = match Output::claim(&out_dir, &args.root) {
        Ok(o) => o,
        Err(e) => {
            term::err(&e.to_string());
            term::err_line("Nothing was written.");
            return 1;
        }
    };
    for note in output.notes() {
        term::err_line(&format!("note: {}", sanitize(note)));
    }
    let staging = match output.stage() {
        Ok(s) => s.precompressed(args.precompress),
        Err(e) => {
            term::err(&e.to_string());
            return 1;
        }
    };
    // Files go into the staging folder as they are made; the old site is replaced only when
    // every one is written.
    let write = |f: crate::output::OutputFile| staging.write(&f.path, &f.bytes);
    let opts = Options { base_url: args.base_url.clone(), ..Options::default() };
    let built = match pipeline::build(&args.root, &opts, &write) {
        Ok(b) => b,
        Err(failure) => {
            output.abandon(staging);
            match failure {
                pipeline::Failure::Content(diags) => report_failure(&diags, &out_dir),
                pipeline::Failure::Output(e) => term::err(&e.to_string()),
            }
            return 1;
        }
    };
    if let Err(e) = output.commit(staging) {
        term::err(&e.to_string());
        return 1;
    }
    let warnings = built.warnings.warning_count();
    let warn_note =
        if warnings > 0 { format!(", {warnings} warnings (run `feidi check` to see them)") } else { String::new() };
    term::out_line(&format!(
        "Built {} enclaves, {} operators: {} pages, {} files in {} in {:.0} ms{warn_note}",
        built.site.enclaves.len(),
        built.site.operators.len(),
        built.pages,
        built.files,
        sanitize(&out_dir.display().to_string()),
        start.elapsed().as_secs_f64() * 1000.0
    ));
    0
}

fn report_failure(diags: &Diagnostics, out_dir: &Path) {
    let errors = diags.errors();
    term::err(&errors.to_string());
    let n = errors.0.len();
    let plural = if n == 1 { "" } else { "s" };
    if out_dir.exists() {
        term::err_line(&format!(
            "Build failed: {n} error{plural}. Nothing was written; {} is unchanged.",
            sanitize(&out_dir.display().to_string())
        ));
    } else {
        term::err_line(&format!("Build failed: {n} error{plural}. Nothing was written."));
    }
}
