//! `feidi check`: validates content without writing anything.

use std::path::PathBuf;

use crate::diagnostics::Diagnostics;
use crate::pipeline;
use crate::resolve::Options;

/// How `feidi check` prints what it found.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Format {
    /// Compiler-style messages on stderr and a one-line summary on stdout.
    #[default]
    Human,
    /// One JSON document on stdout ([`Diagnostics::json_report`]), for editors and CI.
    Json,
    /// GitHub Actions annotations on stdout ([`crate::annotations`]), one line per problem,
    /// and the one-line summary on stderr.
    Github,
}

/// Arguments of `feidi check`.
#[derive(Debug, Clone)]
pub struct CheckArgs {
    /// The site folder (holding `content/`).
    pub root: PathBuf,
    /// Output format.
    pub format: Format,
    /// Exit 1 when there are warnings (and no errors).
    pub deny_warnings: bool,
}

/// Checks the site: everything `build` validates, templates included, without writing. Exit
/// code 0 when clean or warnings only, 1 on warnings with `deny_warnings`, 2 on errors.
pub fn run(args: &CheckArgs) -> i32 {
    // Everything `build` checks, templates included: the pages are rendered, then dropped.
    let discard = |_: crate::output::OutputFile| Ok(());
    let diags: Diagnostics = match pipeline::build(&args.root, &Options::default(), &discard) {
        Ok(built) => built.warnings,
        Err(pipeline::Failure::Content(diags)) => diags,
        Err(pipeline::Failure::Output(_)) => Diagnostics::new(),
    };
    let (errors, warnings) = (diags.error_count(), diags.warning_count());
    match args.format {
        Format::Json => crate::term::out_line(&diags.json_report(&args.root)),
        Format::Github => {
            let workspace = std::env::var_os("GITHUB_WORKSPACE").filter(|w| !w.is_empty()).map(PathBuf::from);
            let prefix = crate::annotations::workspace_prefix(&args.root, workspace.as_deref());
            crate::term::out(&crate::annotations::report(&diags, &args.root, &prefix));
            crate::term::err_line(&summary(errors, warnings));
        }
        Format::Human => {
            let mut sorted = diags.clone();
            sorted.sort();
            crate::term::err(&sorted.to_string());
            crate::term::out_line(&summary(errors, warnings));
        }
    }
    if errors > 0 {
        2
    } else if warnings > 0 && args.deny_warnings {
        1
    } else {
        0
    }
}

/// `No errors, 3 warnings.` or `1 error, 0 warnings.`
fn summary(errors: usize, warnings: usize) -> String {
    let plural = |n: usize, word: &str| format!("{n} {word}{}", if n == 1 { "" } else { "s" });
    if errors == 0 {
        format!("No errors, {}.", plural(warnings, "warning"))
    } else {
        format!("{}, {}.", plural(errors, "error"), plural(warnings, "warning"))
    }
}
