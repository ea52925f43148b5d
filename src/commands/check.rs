//! `feidi check`: validates content without writing anything.

use std::path::Path;

use crate::pipeline;
use crate::resolve::Options;

/// Checks the site. Exit code 0 when clean or warnings only, 2 on errors.
pub fn run(root: &Path) -> i32 {
    match pipeline::run(root, &Options::default()) {
        Ok(built) => {
            eprint!("{}", built.warnings);
            println!("No errors, {} warnings.", built.warnings.warning_count());
            0
        }
        Err(diags) => {
            eprint!("{diags}");
            println!("{} errors, {} warnings.", diags.error_count(), diags.warning_count());
            2
        }
    }
}
