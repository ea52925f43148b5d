//! GitHub Actions annotations: `feidi check --format github` prints each error and warning as
//! a workflow command, so that a pull request shows the problem on the line it is about:
//!
//! ```text
//! ::error file=content/enclaves/a.md,line=6,col=7::unknown place `x`%0A= help: did you mean `y`?
//! ::warning file=content/enclaves/b.md,line=1,col=1::no `opened`: the site shows "not reported"
//! ```
//!
//! Escaping follows GitHub's rules for workflow commands (the `@actions/core` toolkit's
//! `escapeData` and `escapeProperty`): in the message `%`, `\r` and `\n` become `%25`, `%0D` and
//! `%0A`; in a property value `:` and `,` become `%3A` and `%2C` as well. Before that, control
//! characters are made visible as for the terminal ([`sanitize`]): the log is read in a browser,
//! and a command must stay on one line whatever the content holds.
//!
//! A leaf module: it reads diagnostics and writes text.

use std::path::Path;

use crate::diagnostics::{Diagnostics, Severity, display_path, sanitize};

/// A message escaped for a workflow command's data (after `::`).
pub fn escape_data(s: &str) -> String {
    s.replace('%', "%25").replace('\r', "%0D").replace('\n', "%0A")
}

/// A value escaped for a workflow command's property (`file=...`).
pub fn escape_property(s: &str) -> String {
    escape_data(s).replace(':', "%3A").replace(',', "%2C")
}

/// One line per diagnostic, sorted by file, line and column, each ending in `\n`. `file` is
/// relative to `root` with `/` separators, behind `prefix` (the site folder's path inside the
/// repository, `""` or `site/`), since GitHub places annotations by repository path. `line`
/// and `col` are left out when unknown (0), so that a problem with a whole file is shown on
/// the file.
pub fn report(diags: &Diagnostics, root: &Path, prefix: &str) -> String {
    let mut sorted = diags.clone();
    sorted.sort();
    let mut out = String::new();
    for d in sorted.iter() {
        let command = match d.severity {
            Severity::Error => "error",
            Severity::Warning => "warning",
        };
        let file = format!("{prefix}{}", display_path(root, &d.file).to_string_lossy().replace('\\', "/"));
        let mut props = vec![format!("file={}", escape_property(&sanitize(&file)))];
        if d.line > 0 {
            props.push(format!("line={}", d.line));
            if d.column > 0 {
                props.push(format!("col={}", d.column));
            }
        }
        let mut message = sanitize(&d.message);
        if let Some(help) = &d.help {
            message.push_str("\n= help: ");
            message.push_str(&sanitize(help));
        }
        out.push_str(&format!("::{command} {}::{}\n", props.join(","), escape_data(&message)));
    }
    out
}

/// The site folder's path inside the checked-out repository, as a prefix for annotation paths:
/// `site/` when `root` is `$GITHUB_WORKSPACE/site`, `""` when it is the workspace itself or
/// lies outside it, or when `workspace` is `None` (not running in GitHub Actions).
pub fn workspace_prefix(root: &Path, workspace: Option<&Path>) -> String {
    let Some(workspace) = workspace else { return String::new() };
    let (Ok(root), Ok(workspace)) = (root.canonicalize(), workspace.canonicalize()) else { return String::new() };
    match root.strip_prefix(&workspace) {
        Ok(rel) if !rel.as_os_str().is_empty() => {
            let parts: Vec<String> = rel.components().map(|c| c.as_os_str().to_string_lossy().into_owned()).collect();
            format!("{}/", parts.join("/"))
        }
        _ => String::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::diagnostics::Diagnostic;

    #[test]
    fn data_and_properties_are_escaped_as_github_reads_them() {
        assert_eq!(escape_data("50% a\r\nb: c, d"), "50%25 a%0D%0Ab: c, d");
        assert_eq!(escape_property("a:b,c%\n"), "a%3Ab%2Cc%25%0A");
    }

    #[test]
    fn one_line_per_diagnostic_with_location_when_known() {
        let root = Path::new("/site");
        let mut d = Diagnostics::new();
        d.push(Diagnostic::warning("/site/content/b.md", 1, 1, "no `opened`").with_help("add `opened`"));
        d.push(Diagnostic::error("/site/content/a,b.md", 6, 0, "bad\u{1b}[31m 100%"));
        d.push(Diagnostic::error("/site/content/Bad_Name.md", 0, 0, "invalid file name"));
        assert_eq!(
            report(&d, root, "site/"),
            "::error file=site/content/Bad_Name.md::invalid file name\n\
             ::error file=site/content/a%2Cb.md,line=6::bad\\u{1b}[31m 100%25\n\
             ::warning file=site/content/b.md,line=1,col=1::no `opened`%0A= help: add `opened`\n"
        );
    }

    #[test]
    fn the_prefix_is_the_site_folder_inside_the_workspace() {
        let dir = tempfile::tempdir().unwrap();
        let site = dir.path().join("site");
        std::fs::create_dir_all(&site).unwrap();
        assert_eq!(workspace_prefix(&site, Some(dir.path())), "site/");
        assert_eq!(workspace_prefix(dir.path(), Some(dir.path())), "");
        assert_eq!(workspace_prefix(dir.path(), Some(&site)), "");
        assert_eq!(workspace_prefix(&site, None), "");
    }
}
