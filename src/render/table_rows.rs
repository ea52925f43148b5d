//! The rows of the enclave tables, each rendered once.
//!
//! An enclave is listed on a dozen pages or more: the enclave list, the page of every place it
//! comes from or sits in (district, city, province, region), its sectors, its model. Its row
//! is the same on all of them but for the way up to the site root at the start of each link,
//! so it is rendered once from the theme's `enclave_row.html` with [`ROOT_MARK`] in place of
//! that way, kept, and copied into each table with the page's own root put in. Rows of an
//! operator's table, which add the operator's role, are rendered for that table alone.

use std::sync::OnceLock;

/// Stands for the page's root in a kept row. Content cannot hold it: loading refuses control
/// characters in every file, and the theme's templates never write it.
pub const ROOT_MARK: char = '\u{1}';

/// The rendered rows of a site's enclaves, by their index in `site.enclaves`, filled as pages
/// ask for them from any thread.
pub struct RowCache {
    rows: Vec<OnceLock<Result<String, String>>>,
}

impl RowCache {
    /// An empty cache for `n` enclaves.
    pub fn new(n: usize) -> Self {
        RowCache { rows: (0..n).map(|_| OnceLock::new()).collect() }
    }

    /// Row `i` for a page whose way up to the root is `root`, rendering it with `render` (given
    /// [`ROOT_MARK`] as the root) the first time it is asked for. An error of the template is
    /// kept and given to every page that asks.
    pub fn get(
        &self,
        i: usize,
        root: &str,
        render: impl FnOnce(&str) -> Result<String, String>,
    ) -> Result<String, String> {
        match self.rows[i].get_or_init(|| render(&ROOT_MARK.to_string())) {
            Ok(html) => Ok(with_root(html, root)),
            Err(e) => Err(e.clone()),
        }
    }
}

/// `html` with each [`ROOT_MARK`] replaced by `root`.
pub fn with_root(html: &str, root: &str) -> String {
    html.replace(ROOT_MARK, root)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_row_is_rendered_once_and_given_each_page_its_root() {
        let cache = RowCache::new(2);
        let calls = std::sync::atomic::AtomicUsize::new(0);
        let render = |root: &str| {
            calls.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
            Ok(format!("<a href=\"{root}enclaves/a/\">a</a>"))
        };
        assert_eq!(cache.get(0, "../../", render).unwrap(), "<a href=\"../../enclaves/a/\">a</a>");
        assert_eq!(cache.get(0, "../", render).unwrap(), "<a href=\"../enclaves/a/\">a</a>");
        assert_eq!(calls.load(std::sync::atomic::Ordering::Relaxed), 1);
        assert_eq!(cache.get(1, "", |_| Err("broken".into())).unwrap_err(), "broken");
        assert_eq!(cache.get(1, "", render).unwrap_err(), "broken");
    }
}
