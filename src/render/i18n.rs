//! Interface strings: one table per language, kept in the theme (`i18n/<lang>.yaml`).

use std::collections::{BTreeMap, HashMap};

use tera::{Function, Value};

/// The interface languages the default theme ships.
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
