//! Interface strings: one table per language, kept in the theme (`i18n/<lang>.yaml`).

use std::collections::{BTreeMap, HashMap};

use tera::{Function, Value};

/// The interface languages the built-in theme ships. A site's own theme may have others: the
/// languages a site may use are those of the theme it loads ([`crate::theme::Theme::languages`]).
pub const LANGUAGES: &[&str] = &["zh-CN", "en"];

/// A translation table: key → text.
pub type Table = BTreeMap<String, String>;

/// The Tera function `t(key="...")`, looking keys up in one language's table.
pub struct Translate {
    table: Table,
    lang: String,
}

impl Translate {
    /// A lookup function over `table` for `lang`.
    pub fn new(table: Table, lang: &str) -> Self {
        Translate { table, lang: lang.to_string() }
    }
}

impl Function for Translate {
    fn call(&self, args: &HashMap<String, Value>) -> tera::Result<Value> {
        let key =
            args.get("key").and_then(Value::as_str).ok_or_else(|| tera::Error::msg("t() needs a `key` argument"))?;
        let text = self.table.get(key).ok_or_else(|| {
            tera::Error::msg(format!("no interface text `{key}` in the theme's i18n/{}.yaml", self.lang))
        })?;
        // `{n}`-style placeholders are filled from the other arguments.
        let mut out = text.clone();
        for (k, v) in args {
            if k != "key" {
                let v = match v {
                    Value::String(s) => s.clone(),
                    other => other.to_string(),
                };
                out = out.replace(&format!("{{{k}}}"), &v);
            }
        }
        Ok(Value::String(out))
    }

    fn is_safe(&self) -> bool {
        false
    }
}

/// Interface texts for sentences and chart labels written in Rust (insights, SVG legends), with
/// the same `{name}` placeholders as `t()`.
#[derive(Debug, Clone)]
pub struct Texts {
    table: Table,
    /// The interface language.
    pub lang: String,
}

impl Texts {
    /// Texts from `table` for `lang`.
    pub fn new(table: Table, lang: &str) -> Self {
        Texts { table, lang: lang.to_string() }
    }

    /// The text for `key` with placeholders filled from `args`. A key the table lacks comes back
    /// as itself, so a missing text shows up on the page instead of failing the build.
    pub fn t(&self, key: &str, args: &[(&str, &str)]) -> String {
        let mut out = self.table.get(key).cloned().unwrap_or_else(|| key.to_string());
        for (k, v) in args {
            out = out.replace(&format!("{{{k}}}"), v);
        }
        out
    }

    /// Like [`Texts::t`], but uses `<key>_one` when `n` is 1 and the table has it (English
    /// needs a singular; Chinese gives both keys the same text).
    pub fn t_n(&self, key: &str, n: usize, args: &[(&str, &str)]) -> String {
        let one = format!("{key}_one");
        let key = if n == 1 && self.table.contains_key(&one) { one.as_str() } else { key };
        let n = n.to_string();
        let mut all: Vec<(&str, &str)> = vec![("n", &n)];
        all.extend_from_slice(args);
        self.t(key, &all)
    }
}
