//! `feidi new enclave|operator|page <slug>`: starts a content file with every field of the
//! content format.
//!
//! Required fields get a placeholder starting with `TODO`, which `check` and `build` reject
//! ("placeholder left in `home`"), so a half-filled file never reaches the site; optional fields
//! are commented out with an example, so the editor sees everything the format offers.

use std::fs;
use std::io::Write;
use std::path::{Path, PathBuf};

use crate::load::{is_slug, suggest_slug};

/// What kind of file to start.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    /// `content/enclaves/<slug>.md`.
    Enclave,
    /// `content/operators/<slug>.md`.
    Operator,
    /// `content/pages/<slug>.md`.
    Page,
}

impl Kind {
    /// The folder under `content/`.
    pub fn folder(self) -> &'static str {
        match self {
            Kind::Enclave => "enclaves",
            Kind::Operator => "operators",
            Kind::Page => "pages",
        }
    }
}

/// Arguments of `feidi new`.
#[derive(Debug, Clone)]
pub struct NewArgs {
    /// The site folder (holding `content/`).
    pub root: PathBuf,
    /// What to start.
    pub kind: Kind,
    /// The file stem: the entry's id and URL.
    pub slug: String,
}

/// Writes the new file. Exit code 0 when written, 1 when refused (invalid slug, existing file,
/// no content folder); nothing is written then.
pub fn run(args: &NewArgs) -> i32 {
    if !is_slug(&args.slug) {
        crate::term::err_line(&format!("error: invalid slug `{}`", crate::diagnostics::sanitize(&args.slug)));
        let suggestion = suggest_slug(&args.slug);
        if suggestion.is_empty() {
            crate::term::err_line(
                "  = help: a slug is the entry's id and URL: lower-case ASCII letters, digits and `-`, e.g. `wuxi-shenzhen-center`",
            );
        } else {
            crate::term::err_line(&format!(
                "  = help: try `{suggestion}`: a slug is the entry's id and URL, so it may hold only lower-case ASCII letters, digits and `-`"
            ));
        }
        crate::term::err_line("Nothing was written.");
        return 1;
    }
    let content = args.root.join("content");
    if !content.is_dir() {
        crate::term::err_line(&format!(
            "error: no content folder in {}",
            crate::diagnostics::sanitize(&args.root.display().to_string())
        ));
        crate::term::err_line(
            "  = help: run feidi in the site's folder (the one holding `content/`) or pass `--root DIR`",
        );
        return 1;
    }
    let rel = format!("content/{}/{}.md", args.kind.folder(), args.slug);
    let path = args.root.join(&rel);
    let text = template(args.kind, &args.root);
    let written = fs::create_dir_all(content.join(args.kind.folder())).and_then(|()| {
        // `create_new` refuses an existing file even if one appears between a check and the write.
        let mut file = fs::OpenOptions::new().write(true).create_new(true).open(&path)?;
        file.write_all(text.as_bytes())
    });
    match written {
        Ok(()) => {
            crate::term::out_line(&format!("Created {rel}: replace the `TODO` placeholders, then run `feidi check`."));
            0
        }
        Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => {
            crate::term::err_line(&format!("error: {rel} already exists"));
            crate::term::err_line("  = help: edit it, or choose another slug; nothing was written");
            1
        }
        Err(e) => {
            crate::term::err_line(&format!("error: cannot write {rel}: {e}"));
            1
        }
    }
}

/// The ids of a vocabulary file's items, for the hints in comments; empty when unreadable.
fn vocab_ids(root: &Path, file: &str) -> Vec<String> {
    let Ok(text) = fs::read_to_string(root.join("content/terms").join(file)) else { return Vec::new() };
    let Ok(serde_yaml::Value::Sequence(items)) = serde_yaml::from_str::<serde_yaml::Value>(&text) else {
        return Vec::new();
    };
    items.iter().filter_map(|i| i.get("id").and_then(|v| v.as_str()).map(str::to_string)).collect()
}

/// `# one of: a, b, c` (at most a few, then `...`), or nothing when the list is empty.
fn one_of(ids: &[String], max: usize) -> String {
    match ids.len() {
        0 => String::new(),
        n if n <= max => format!("   # one of: {}", ids.join(", ")),
        _ => format!("   # e.g. {}, ...", ids[..max].join(", ")),
    }
}

/// The text of a new file of `kind`, with hints drawn from the site's vocabularies.
pub fn template(kind: Kind, root: &Path) -> String {
    match kind {
        Kind::Enclave => {
            let models = vocab_ids(root, "models.yaml");
            let sectors = vocab_ids(root, "sectors.yaml");
            let example_model = models.first().map_or("commissioned", String::as_str);
            let example_sector = sectors.first().map_or("ai", String::as_str);
            format!(
                r#"---
# Required fields hold a `TODO` placeholder: `feidi check` rejects the file until each is
# replaced. Optional fields are commented out: remove the `# ` to use one. Leave out what the
# sources do not say; the site then shows "not reported".
name: "TODO: Chinese name of the enclave"
# name_en: English name
# 飞出地: the place that set it up, as an id, name, English name or alias from content/terms/places.yaml
home: "TODO: place that set it up"
# sponsor: 设立主体, e.g. 某某区人民政府
# sponsor_en: the sponsor in English
# 飞入地: the place where it sits
host: "TODO: place where it sits"
# address: 地址
# address_en: the address in English
# kind: 离岸孵化器   # or 离岸创新中心, 科创飞地, 孵化基地, 工作站 ...
# kind_en: Offshore incubator
# model: {example_model}{models}
# operators:
#   - operator: an operator's slug, name or alias (content/operators/)
#     role: 运营方
#     role_en: Operator
# sectors: [{example_sector}]{sectors}
# area_m2: 2000
# land_mu: 10
# workstations: 200
# offices: 20
# opened: 2021-06   # YYYY, YYYY-MM or YYYY-MM-DD
# status: active   # active, planned or closed
# outcomes:
#   projects: 10
#   investment_cny: 100000000   # in yuan
#   companies: 5
#   landing_rate: 0.5   # a share between 0 and 1
# notable_companies:
#   - 某某科技有限公司
# notable_companies_en: [English name of each, in the same order]
# partners:
#   - 某某大学
# partners_en: [English name of each, in the same order]
# not_reported: [model, opened]   # fields you looked for that no source gives: check stops asking for them
sources:
  - title: "TODO: title of the article or document the facts come from"
    # publisher: 某某日报
    # title_en: the title in English
    # url: https://example.org/article
    # date: 2024-01-31
    # not_reported: [url, date]   # what the source itself lacks
# updated: 2024-01-31   # the day of your last edit, YYYY-MM-DD
# extra: {{}}   # free fields passed to the theme
# The description follows the closing `---`; a line `## English` after it starts its English form.
---

TODO: describe the enclave in your own words, from the sources above.
"#,
                models = one_of(&models, 6),
                sectors = one_of(&sectors, 6),
            )
        }
        Kind::Operator => {
            let kinds = vocab_ids(root, "operator-kinds.yaml");
            format!(
                r#"---
# Required fields hold a `TODO` placeholder: `feidi check` rejects the file until each is
# replaced. Optional fields are commented out: remove the `# ` to use one.
name: "TODO: Chinese name of the operator"
# name_en: English name
# aliases: [简称]
# kind: an id, name or alias from content/terms/operator-kinds.yaml{kinds}
kind: "TODO: kind of operator"
# hq: shenzhen   # a place from content/terms/places.yaml
# website: https://example.org
# not_reported: [enclaves]   # no source names an enclave it runs (also: hq, website)
# sources:
#   - title: 文章标题
#     publisher: 某某日报
#     title_en: the title in English
#     url: https://example.org/article
#     date: 2024-01-31
# extra: {{}}   # free fields passed to the theme
# The description follows the closing `---`; a line `## English` after it starts its English form.
---

TODO: describe the operator in your own words.
"#,
                kinds = one_of(&kinds, 8),
            )
        }
        Kind::Page => r#"---
# `title` holds a `TODO` placeholder: `feidi check` rejects the file until it is replaced.
title: "TODO: title of the page"
# title_en: English title
# weight: 10   # menu order, lower first
# The page follows the closing `---`; a line `## English` after it starts its English form.
---

TODO: write the page.
"#
        .to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::resolve::entries::{ENCLAVE_KEYS, OPERATOR_KEYS, PAGE_KEYS};

    #[test]
    fn templates_name_every_field_of_the_format() {
        let root = Path::new("/nonexistent");
        for (kind, keys) in [(Kind::Enclave, ENCLAVE_KEYS), (Kind::Operator, OPERATOR_KEYS), (Kind::Page, PAGE_KEYS)] {
            let text = template(kind, root);
            for key in keys {
                let named = text.lines().any(|l| {
                    let l = l.trim_start_matches(['#', ' ', '-']);
                    l.starts_with(&format!("{key}:"))
                });
                assert!(named, "{kind:?} template lacks `{key}`:\n{text}");
            }
        }
    }

    #[test]
    fn the_enclave_template_names_every_field_of_the_field_table() {
        let text = template(Kind::Enclave, Path::new("/nonexistent"));
        for f in crate::field_table::FIELDS {
            let named = text.lines().any(|l| l.trim_start_matches(['#', ' ', '-']).starts_with(&format!("{}:", f.key)));
            assert!(named, "the enclave template lacks `{}` of the field table:\n{text}", f.key);
        }
    }

    #[test]
    fn templates_are_valid_front_matter() {
        for kind in [Kind::Enclave, Kind::Operator, Kind::Page] {
            let text = template(kind, Path::new("/nonexistent"));
            let split = crate::load::frontmatter::split(&text).expect("front matter");
            let yaml: serde_yaml::Value = serde_yaml::from_str(split.yaml).expect("valid YAML");
            assert!(yaml.is_mapping(), "{kind:?}");
        }
    }
}
