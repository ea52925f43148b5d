//! `feidi build`: content in, `public/` out.

use std::path::PathBuf;
use std::time::Instant;

use crate::diagnostics::Diagnostics;
use crate::output;
use crate::pipeline;
use crate::resolve::Options;

/// Arguments of `feidi build`.
#[derive(Debug, Clone)]
pub struct BuildArgs {
    /// The site folder (holding `content/`).
    pub root: PathBuf,
    /// Where to write; relative paths are taken from the site folder.
    pub output: PathBuf,
    /// Overrides `base_url`.
    pub base_url: Option<String>,
}

/// Builds the site. Returns the process exit code; prints problems to stderr and a one-line
/// summary to stdout.
pub fn run(args: &BuildArgs) -> i32 {
    let start = Instant::now();
    let out_dir = if args.output.is_absolute() { args.output.clone() } else { args.root.join(&args.output) };
    let built = match pipeline::run(&args.root, &Options { base_url: args.base_url.clone() }) {
        Ok(b) => b,
        Err(diags) => {
            report_failure(&diags, &out_dir);
            return 1;
        }
    };
    if let Err(e) = output::write_site(&out_dir, &built.files) {
        eprintln!("error: cannot write {}: {e}", out_dir.display());
        eprintln!("  = help: check that the folder is writable; the previous site was left as it was");
        return 1;
    }
    let pages = built.files.iter().filter(|f| f.path.ends_with(".html")).count();
    let warnings = built.warnings.warning_count();
    let warn_note =
        if warnings > 0 { format!(", {warnings} warnings (run `feidi check` to see them)") } else { String::new() };
    println!(
        "Built {} enclaves, {} operators: {pages} pages, {} files in {} in {:.0} ms{warn_note}",
        built.site.enclaves.len(),
        built.site.operators.len(),
        built.files.len(),
        out_dir.display(),
        start.elapsed().as_secs_f64() * 1000.0
    );
    0
}

fn report_failure(diags: &Diagnostics, out_dir: &std::path::Path) {
    let errors = diags.errors();
    eprint!("{errors}");
    let n = errors.0.len();
    let plural = if n == 1 { "" } else { "s" };
    if out_dir.exists() {
        eprintln!("Build failed: {n} error{plural}. Nothing was written; {} is unchanged.", out_dir.display());
    } else {
        eprintln!("Build failed: {n} error{plural}. Nothing was written.");
    }
}
