//! Typed reading of YAML maps, with every problem reported against the file and line.

use serde_yaml::{Mapping, Value};

use crate::diagnostics::{Diagnostics, closest, did_you_mean};
use crate::load::{Doc, Seg};
use crate::model::{Num, Source};

/// Reads the fields of one YAML map, remembering which keys were used so that unknown keys can
/// be reported with the closest known one.
pub struct Fields<'a> {
    doc: &'a Doc,
    path: Vec<Seg>,
    map: Option<&'a Mapping>,
    known: &'static [&'static str],
    what: &'static str,
}

/// A text value with the path it came from, for references resolved later.
#[derive(Debug, Clone)]
pub struct Located {
    /// The text as written.
    pub text: String,
    /// Where it is in the document.
    pub path: Vec<Seg>,
}

/// The key, in enclaves, operators, sources and places, of the list of known gaps.
pub const NOT_REPORTED: &str = "not_reported";

/// What a `not_reported` list acknowledges: fields an editor looked for in the sources and did
/// not find. `check` no longer asks for them; the site still shows them as not reported, since
/// they stay absent.
#[derive(Debug, Clone, Default)]
pub struct Gaps(Vec<Located>);

impl Gaps {
    /// True when `key` is acknowledged as not reported.
    pub fn has(&self, key: &str) -> bool {
        self.get(key).is_some()
    }

    /// The list item that acknowledges `key`, for messages pointing at it.
    pub fn get(&self, key: &str) -> Option<&Located> {
        self.0.iter().find(|l| l.text == key)
    }
}

impl<'a> Fields<'a> {
    /// Starts reading the map at `path` in `doc`. `known` lists the keys the map may have and
    /// `what` names the thing for messages ("enclave", "place" ...).
    pub fn new(
        doc: &'a Doc,
        value: &'a Value,
        path: Vec<Seg>,
        known: &'static [&'static str],
        what: &'static str,
        diags: &mut Diagnostics,
    ) -> Self {
        let map = match value {
            Value::Mapping(m) => Some(m),
            _ => {
                diags.push(doc.error_at(
                    &path,
                    format!("expected a map of `field: value` lines for this {what}, found {}", describe(value)),
                ));
                None
            }
        };
        Fields { doc, path, map, known, what }
    }

    /// True when the value is a map (otherwise an error was already reported).
    pub fn ok(&self) -> bool {
        self.map.is_some()
    }

    /// The document being read.
    pub fn doc(&self) -> &'a Doc {
        self.doc
    }

    /// The path of this map in its document.
    pub fn path(&self) -> &[Seg] {
        &self.path
    }

    /// The path of `key` inside this map.
    pub fn path_of(&self, key: &str) -> Vec<Seg> {
        let mut p = self.path.clone();
        p.push(Seg::Key(key.to_string()));
        p
    }

    /// The raw value of `key`, if present and not null.
    pub fn raw(&self, key: &str) -> Option<&'a Value> {
        self.map?.get(key).filter(|v| !v.is_null())
    }

    /// Reports a missing required field at the top of the map.
    fn missing(&self, key: &str, example: &str, diags: &mut Diagnostics) {
        let mut d = self.doc.error_at_key(&self.path, format!("missing required field `{key}` in this {}", self.what));
        if self.path.is_empty() {
            // Point at the opening of the front matter rather than a random line.
            d.line = self.doc.yaml_line.saturating_sub(1).max(1);
            d.column = 1;
            d.snippet = None;
            if let Some(text) = self.doc.line(d.line - 1) {
                d = d.with_snippet(text);
            }
        }
        diags.push(d.with_help(format!("add a line such as `{key}: {example}`")));
    }

    /// Reports the `TODO` placeholder `feidi new` leaves in a field, when `v` is one; true then.
    /// The field then counts as absent but not missing, so that the editor sees one message.
    pub fn placeholder(&self, path: &[Seg], key: &str, v: &Value, diags: &mut Diagnostics) -> bool {
        match v {
            Value::String(s) if is_placeholder(s) => {
                diags.push(
                    self.doc
                        .error_at(path, format!("placeholder left in `{key}`"))
                        .with_help(format!("replace the `TODO` text with the real value of `{key}`")),
                );
                true
            }
            _ => false,
        }
    }

    /// A text field. Numbers are accepted as text (a sponsor named `2049` is still text).
    pub fn text(&self, key: &str, required: bool, diags: &mut Diagnostics) -> Option<String> {
        match self.raw(key) {
            Some(v) if self.placeholder(&self.path_of(key), key, v, diags) => None,
            None => {
                if required && self.ok() {
                    self.missing(key, "...", diags);
                }
                None
            }
            Some(Value::String(s)) if s.trim().is_empty() => {
                if required {
                    diags.push(
                        self.doc
                            .error_at(&self.path_of(key), format!("`{key}` is empty"))
                            .with_help(format!("write a value for `{key}`")),
                    );
                }
                None
            }
            Some(Value::String(s)) => Some(s.trim().to_string()),
            Some(Value::Number(n)) => Some(n.to_string()),
            Some(Value::Bool(b)) => Some(b.to_string()),
            Some(other) => {
                diags.push(
                    self.doc
                        .error_at(&self.path_of(key), format!("`{key}` must be text, found {}", describe(other)))
                        .with_help(format!("write `{key}: some text` on one line")),
                );
                None
            }
        }
    }

    /// A text field that is a reference to resolve later.
    pub fn reference(&self, key: &str, required: bool, diags: &mut Diagnostics) -> Option<Located> {
        self.text(key, required, diags).map(|text| Located { text, path: self.path_of(key) })
    }

    /// A list of text. A single text value is accepted as a one-item list.
    pub fn text_list(&self, key: &str, diags: &mut Diagnostics) -> Option<Vec<Located>> {
        let path = self.path_of(key);
        match self.raw(key)? {
            Value::Sequence(items) => {
                let mut out = Vec::new();
                for (i, item) in items.iter().enumerate() {
                    let mut p = path.clone();
                    p.push(Seg::Index(i));
                    match item {
                        v if self.placeholder(&p, key, v, diags) => {}
                        Value::String(s) if !s.trim().is_empty() => {
                            out.push(Located { text: s.trim().to_string(), path: p })
                        }
                        Value::Number(n) => out.push(Located { text: n.to_string(), path: p }),
                        other => diags.push(
                            self.doc.error_at(&p, format!("items of `{key}` must be text, found {}", describe(other))),
                        ),
                    }
                }
                Some(out)
            }
            v if self.placeholder(&path, key, v, diags) => Some(Vec::new()),
            Value::String(s) => Some(vec![Located { text: s.trim().to_string(), path }]),
            other => {
                diags.push(
                    self.doc
                        .error_at(&path, format!("`{key}` must be a list, found {}", describe(other)))
                        .with_help(format!("write `{key}:` followed by lines `  - item`")),
                );
                None
            }
        }
    }

    /// A list of maps, each handed back with its path.
    pub fn map_list(&self, key: &str, diags: &mut Diagnostics) -> Option<Vec<(&'a Value, Vec<Seg>)>> {
        let path = self.path_of(key);
        match self.raw(key)? {
            Value::Sequence(items) => Some(
                items
                    .iter()
                    .enumerate()
                    .map(|(i, v)| {
                        let mut p = path.clone();
                        p.push(Seg::Index(i));
                        (v, p)
                    })
                    .collect(),
            ),
            other => {
                diags.push(self.doc.error_at(&path, format!("`{key}` must be a list, found {}", describe(other))));
                None
            }
        }
    }

    /// A number that must not be negative.
    pub fn number(&self, key: &str, diags: &mut Diagnostics) -> Option<Num> {
        let path = self.path_of(key);
        let v = self.raw(key)?;
        if self.placeholder(&path, key, v, diags) {
            return None;
        }
        let n = match v {
            Value::Number(n) => n.as_f64(),
            _ => None,
        };
        match n {
            Some(n) if n.is_finite() && n >= 0.0 => Some(Num(n)),
            Some(n) => {
                diags.push(
                    self.doc
                        .error_at(&path, format!("`{key}` must not be negative, found {n}"))
                        .with_help("write the figure as the source gives it, or leave the field out"),
                );
                None
            }
            None => {
                diags.push(
                    self.doc
                        .error_at(&path, format!("`{key}` must be a number, found {}", describe(v)))
                        .with_help(format!("write digits only, e.g. `{key}: 17000` (not `1.7万` or `17,000`); leave the field out if the source gives no figure")),
                );
                None
            }
        }
    }

    /// A whole number, e.g. a menu weight.
    pub fn integer(&self, key: &str, diags: &mut Diagnostics) -> Option<i64> {
        let v = self.raw(key)?;
        if self.placeholder(&self.path_of(key), key, v, diags) {
            return None;
        }
        match v.as_i64() {
            Some(n) => Some(n),
            None => {
                diags.push(
                    self.doc
                        .error_at(&self.path_of(key), format!("`{key}` must be a whole number, found {}", describe(v))),
                );
                None
            }
        }
    }

    /// A date written `YYYY`, `YYYY-MM` or `YYYY-MM-DD`; `full` requires all three parts.
    pub fn date(&self, key: &str, full: bool, diags: &mut Diagnostics) -> Option<String> {
        let v = self.raw(key)?;
        if self.placeholder(&self.path_of(key), key, v, diags) {
            return None;
        }
        let text = match v {
            Value::String(s) => s.trim().to_string(),
            Value::Number(n) => n.to_string(),
            other => {
                diags.push(
                    self.doc.error_at(&self.path_of(key), format!("`{key}` must be a date, found {}", describe(other))),
                );
                return None;
            }
        };
        if check_date(&text, full) {
            Some(text)
        } else {
            let shape = if full { "`YYYY-MM-DD`" } else { "`YYYY`, `YYYY-MM` or `YYYY-MM-DD`" };
            diags.push(
                self.doc
                    .error_at(&self.path_of(key), format!("`{key}` is not a valid date: `{text}`"))
                    .with_help(format!("write it as {shape}, e.g. `2021-06-18`")),
            );
            None
        }
    }

    /// A list of sources `{title, publisher?, url?, date?}`.
    pub fn sources(&self, key: &str, diags: &mut Diagnostics) -> Option<Vec<Source>> {
        const KNOWN: &[&str] = &["title", "title_en", "publisher", "url", "date", NOT_REPORTED];
        let items = self.map_list(key, diags)?;
        let mut out = Vec::new();
        for (v, p) in items {
            let f = Fields::new(self.doc, v, p, KNOWN, "source", diags);
            if !f.ok() {
                continue;
            }
            let title = f.text("title", true, diags);
            let publisher = f.text("publisher", false, diags);
            let title_en = f.text("title_en", false, diags);
            let url = f.text("url", false, diags);
            if let Some(u) = &url
                && !(u.starts_with("http://") || u.starts_with("https://"))
            {
                diags.push(f.doc.error_at(
                    &f.path_of("url"),
                    format!("source url must start with http:// or https://, found `{u}`"),
                ));
            }
            let date = f.date("date", false, diags);
            let gaps = f.gaps(&["url", "date"], &|k| f.given(k), diags);
            f.finish(diags);
            // A field acknowledged as not reported is not asked for; one given but invalid has
            // its own error.
            let no_url = f.raw("url").is_none() && !gaps.has("url");
            let no_date = f.raw("date").is_none() && !gaps.has("date");
            if let Some(t) = &title
                && (no_url || no_date)
            {
                let (what, list) = match (no_url, no_date) {
                    (true, true) => ("`url` or `date`", "url, date"),
                    (true, false) => ("`url`", "url"),
                    _ => ("`date`", "date"),
                };
                diags.push(f.doc.warning_at(f.path(), format!("source `{t}` has no {what}")).with_help(format!(
                    "add `url:` and `date:` when you have them, so that readers can check the source; if the source has none, write `not_reported: [{list}]` under its title"
                )));
            }
            if let Some(title) = title {
                out.push(Source { title, title_en, publisher, url, date });
            }
        }
        Some(out)
    }

    /// Where this map gives `key`: its path when the value is there and not empty (an empty
    /// list or text gives nothing), for [`Fields::gaps`].
    pub fn given(&self, key: &str) -> Option<Vec<Seg>> {
        match self.raw(key)? {
            Value::Sequence(items) if items.is_empty() => None,
            Value::String(s) if s.trim().is_empty() => None,
            _ => Some(self.path_of(key)),
        }
    }

    /// Reads `not_reported`, the fields of this map that no source gives, written on purpose so
    /// that `check` stops warning about them. Each item must be one of `allowed`, listed once,
    /// and really absent: `given(key)` says where the entry gives `key`, if it does, and such an
    /// item is an error at its line (it acknowledges nothing).
    pub fn gaps(&self, allowed: &[&str], given: &dyn Fn(&str) -> Option<Vec<Seg>>, diags: &mut Diagnostics) -> Gaps {
        let Some(items) = self.text_list(NOT_REPORTED, diags) else { return Gaps::default() };
        let what = self.what;
        let names = || allowed.iter().map(|k| format!("`{k}`")).collect::<Vec<_>>().join(", ");
        let mut out: Vec<Located> = Vec::new();
        for item in items {
            let key = item.text.as_str();
            if !allowed.contains(&key) {
                let (message, help) = if self.known.contains(&key) {
                    (
                        format!("`{key}` cannot be marked not reported"),
                        format!("`not_reported` lists facts this {what} may leave out: {}", names()),
                    )
                } else {
                    (
                        format!("unknown field `{key}` in `not_reported`"),
                        did_you_mean(&closest(key, allowed.iter().copied(), 1)).unwrap_or_else(|| {
                            format!("`not_reported` lists facts this {what} may leave out: {}", names())
                        }),
                    )
                };
                diags.push(self.doc.error_at(&item.path, message).with_help(help));
            } else if out.iter().any(|l| l.text == key) {
                diags.push(
                    self.doc
                        .error_at(&item.path, format!("`{key}` is listed twice in `not_reported`"))
                        .with_help("remove the repeated item"),
                );
            } else if let Some(at) = given(key) {
                let line = self.doc.pos(&at).0;
                diags.push(
                    self.doc
                        .error_at(
                            &item.path,
                            format!("`{key}` is marked not reported, but this {what} gives it on line {line}"),
                        )
                        .with_help(format!(
                            "keep one of the two: remove `{key}` from `not_reported` if the value on line {line} is right, or remove that line if the value is not known"
                        )),
                );
            } else {
                out.push(item);
            }
        }
        Gaps(out)
    }

    /// A free map passed on untouched (`extra`).
    pub fn extra(&self, key: &str, diags: &mut Diagnostics) -> serde_json::Value {
        match self.raw(key) {
            None => serde_json::Value::Object(Default::default()),
            Some(v @ Value::Mapping(_)) => serde_json::to_value(v).unwrap_or_default(),
            Some(other) => {
                diags.push(
                    self.doc.error_at(&self.path_of(key), format!("`{key}` must be a map, found {}", describe(other))),
                );
                serde_json::Value::Object(Default::default())
            }
        }
    }

    /// Reports every key not in the known list, with the closest known key.
    pub fn finish(&self, diags: &mut Diagnostics) {
        let Some(map) = self.map else { return };
        for k in map.keys() {
            let name = match k {
                Value::String(s) => s.clone(),
                other => format!("{other:?}"),
            };
            if !self.known.contains(&name.as_str()) {
                let cands = closest(&name, self.known.iter().copied(), 1);
                let help = did_you_mean(&cands)
                    .unwrap_or_else(|| format!("known fields of a {} are: {}", self.what, self.known.join(", ")));
                diags.push(
                    self.doc
                        .error_at_key(&self.path_of(&name), format!("unknown field `{name}` in this {}", self.what))
                        .with_help(help),
                );
            }
        }
    }
}

/// True for the placeholder text `feidi new` writes into required fields (`TODO: ...`), which
/// must never reach a built site.
pub fn is_placeholder(text: &str) -> bool {
    text.trim_start().strip_prefix("TODO").is_some_and(|rest| rest.is_empty() || rest.starts_with([':', ' ']))
}

/// Checks `YYYY`, `YYYY-MM` or `YYYY-MM-DD` (only the last when `full`), with real months and
/// days.
pub fn check_date(text: &str, full: bool) -> bool {
    let parts: Vec<&str> = text.split('-').collect();
    if parts.is_empty() || parts.len() > 3 || (full && parts.len() != 3) {
        return false;
    }
    let widths = [4, 2, 2];
    let mut nums = Vec::new();
    for (i, p) in parts.iter().enumerate() {
        if p.len() != widths[i] || !p.bytes().all(|b| b.is_ascii_digit()) {
            return false;
        }
        nums.push(p.parse::<u32>().unwrap_or(0));
    }
    let year = nums[0];
    if !(1900..=2100).contains(&year) {
        return false;
    }
    if let Some(&m) = nums.get(1) {
        if !(1..=12).contains(&m) {
            return false;
        }
        if let Some(&d) = nums.get(2) {
            let leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
            let days = match m {
                2 if leap => 29,
                2 => 28,
                4 | 6 | 9 | 11 => 30,
                _ => 31,
            };
            if d < 1 || d > days {
                return false;
            }
        }
    }
    true
}

/// A short description of a YAML value's type for messages.
pub fn describe(v: &Value) -> String {
    match v {
        Value::Null => "nothing".into(),
        Value::Bool(b) => format!("`{b}`"),
        Value::Number(n) => format!("the number `{n}`"),
        Value::String(s) => format!("the text `{s}`"),
        Value::Sequence(_) => "a list".into(),
        Value::Mapping(_) => "a map".into(),
        Value::Tagged(_) => "a tagged value".into(),
    }
}

#[cfg(test)]
mod tests {
    use super::check_date;

    #[test]
    fn dates_accept_the_three_shapes() {
        assert!(check_date("2021", false));
        assert!(check_date("2021-06", false));
        assert!(check_date("2024-02-29", false));
    }

    #[test]
    fn dates_reject_impossible_values() {
        assert!(!check_date("2023-02-29", false));
        assert!(!check_date("2021-13", false));
        assert!(!check_date("21-06-01", false));
        assert!(!check_date("2021/06/01", false));
        assert!(!check_date("2021", true));
    }
}
