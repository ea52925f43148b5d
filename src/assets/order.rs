//! The order in which lists show enclaves by name: the enclave list's pages (without
//! JavaScript, and what the script's "name" sort gives back) and the search index's name ranks
//! agree because both come from here.
//!
//! Chinese readers expect names in pinyin order (as dictionaries and phone contacts sort), not
//! in code point order, which follows radicals. Each character with a reading counts as its
//! first reading; other characters as themselves, lower-cased; ties fall to the name as written,
//! then to the slug, so the order is total and two builds agree.

use std::cmp::Ordering;

use super::search::pinyin;
use crate::model::{Enclave, Site};

/// The sort key of a name: readings and other characters, each followed by a space so that
/// `xi an` sorts before `xian`.
pub fn key(name: &str) -> String {
    let mut out = String::with_capacity(name.len() * 2);
    for c in name.chars() {
        match pinyin::readings(c).into_iter().next() {
            Some(r) => out.push_str(&r),
            None => out.extend(c.to_lowercase()),
        }
        out.push(' ');
    }
    out
}

/// The name a list shows for an enclave in `lang`.
fn label<'a>(e: &'a Enclave, lang: &str) -> &'a str {
    match (&e.name_en, lang) {
        (Some(en), "en") if !en.is_empty() => en,
        _ => &e.name,
    }
}

/// The site's enclaves (indexes into `site.enclaves`) in name order for the site's language.
pub fn by_name(site: &Site) -> Vec<usize> {
    let lang = site.config.language.as_str();
    let keys: Vec<String> = site.enclaves.iter().map(|e| key(label(e, lang))).collect();
    let mut order: Vec<usize> = (0..site.enclaves.len()).collect();
    order.sort_by(|&a, &b| compare(&keys[a], &keys[b], &site.enclaves[a], &site.enclaves[b], lang));
    order
}

fn compare(ka: &str, kb: &str, a: &Enclave, b: &Enclave, lang: &str) -> Ordering {
    ka.cmp(kb).then_with(|| label(a, lang).cmp(label(b, lang))).then_with(|| a.slug.cmp(&b.slug))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_sort_by_pinyin_not_code_point() {
        // 上 (shang) comes after 北 (bei) and before 无 (wu) in pinyin, not in code points.
        let mut names = vec!["无锡", "上海", "北京", "Alpha", "深圳"];
        names.sort_by_key(|n| key(n));
        assert_eq!(names, ["Alpha", "北京", "上海", "深圳", "无锡"]);
    }
}
