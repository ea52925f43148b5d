//! Escaping, in one place: HTML text and attributes ([`html`]), XML and SVG ([`xml`]), and JSON
//! for pages and scripts ([`script_json`]), the one writer of every JSON value that ends up
//! inside a `<script>` element or a JavaScript file (the search index, the comparison data).
//!
//! Besides JSON's own escapes, strings have `<`, `>`, `&`, `'` and `"` written as `\u` escapes,
//! so that no text from content can close a `<script>` element, open a comment or end an HTML
//! attribute, and U+2028 and U+2029, which end a line in older JavaScript. The result is still
//! plain JSON: any JSON parser reads back the same value.
//!
//! A leaf module: it depends on nothing else in the crate.

use serde::Serialize;
use serde_json::ser::{CharEscape, Formatter, Serializer};

/// Escapes text for HTML text and quoted attributes. Unlike Tera's default it leaves `/` alone:
/// it needs no escaping there, and links stay readable in the page source.
pub fn html(input: &str) -> String {
    let mut out = String::with_capacity(input.len() + input.len() / 8);
    push_replacing(&mut out, input, |b| match b {
        b'&' => Some("&amp;"),
        b'<' => Some("&lt;"),
        b'>' => Some("&gt;"),
        b'"' => Some("&quot;"),
        b'\'' => Some("&#39;"),
        _ => None,
    });
    out
}

/// Escapes text for XML (the feed, the sitemap, SVG); drops the control characters XML 1.0
/// does not allow.
pub fn xml(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    push_xml(&mut out, s);
    out
}

/// [`xml`], appended to `out`: charts write hundreds of attributes a page, nearly all numbers.
pub fn push_xml(out: &mut String, s: &str) {
    push_replacing(out, s, |b| match b {
        b'&' => Some("&amp;"),
        b'<' => Some("&lt;"),
        b'>' => Some("&gt;"),
        b'"' => Some("&quot;"),
        b'\'' => Some("&apos;"),
        b'\n' | b'\t' | b'\r' => None,
        b if b < 0x20 => Some(""),
        _ => None,
    });
}

/// Appends `s` to `out` with each ASCII byte that `with` maps replaced by its text. Every value
/// of every page passes here, so runs with nothing to replace are copied whole; an ASCII byte
/// is never part of a longer UTF-8 character, so the cuts fall between characters.
#[inline]
fn push_replacing(out: &mut String, s: &str, with: impl Fn(u8) -> Option<&'static str>) {
    let mut from = 0;
    for (i, b) in s.bytes().enumerate() {
        if let Some(text) = with(b) {
            out.push_str(&s[from..i]);
            out.push_str(text);
            from = i + 1;
        }
    }
    out.push_str(&s[from..]);
}

/// `value` as compact JSON, safe to place in a `<script>` element or a JavaScript file.
pub fn script_json<T: Serialize + ?Sized>(value: &T) -> String {
    let mut out = Vec::new();
    let mut ser = Serializer::with_formatter(&mut out, ScriptSafe);
    // Writing to memory cannot fail, and every value the crate writes (strings, numbers, lists,
    // maps with string keys) serialises.
    let _ = value.serialize(&mut ser);
    // The formatter only ever writes whole UTF-8 sequences or ASCII escapes.
    String::from_utf8(out).unwrap_or_default()
}

/// The escape of a character that JSON itself would leave as it is, or `None`.
fn extra_escape(c: char) -> Option<&'static str> {
    Some(match c {
        '<' => "\\u003c",
        '>' => "\\u003e",
        '&' => "\\u0026",
        '\'' => "\\u0027",
        '\u{2028}' => "\\u2028",
        '\u{2029}' => "\\u2029",
        _ => return None,
    })
}

/// serde_json's compact formatter with the extra escapes.
struct ScriptSafe;

impl Formatter for ScriptSafe {
    fn write_string_fragment<W: ?Sized + std::io::Write>(&mut self, w: &mut W, fragment: &str) -> std::io::Result<()> {
        let mut start = 0;
        for (i, c) in fragment.char_indices() {
            if let Some(esc) = extra_escape(c) {
                w.write_all(&fragment.as_bytes()[start..i])?;
                w.write_all(esc.as_bytes())?;
                start = i + c.len_utf8();
            }
        }
        w.write_all(&fragment.as_bytes()[start..])
    }

    fn write_char_escape<W: ?Sized + std::io::Write>(&mut self, w: &mut W, escape: CharEscape) -> std::io::Result<()> {
        let short = match escape {
            CharEscape::Quote => "\\u0022",
            CharEscape::ReverseSolidus => "\\\\",
            CharEscape::Solidus => "/",
            CharEscape::LineFeed => "\\n",
            CharEscape::CarriageReturn => "\\r",
            CharEscape::Tab => "\\t",
            CharEscape::Backspace => "\\u0008",
            CharEscape::FormFeed => "\\u000c",
            CharEscape::AsciiControl(c) => return write!(w, "\\u{c:04x}"),
        };
        w.write_all(short.as_bytes())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn xml_escapes_markup_and_drops_the_control_characters_xml_forbids() {
        assert_eq!(xml("12.5"), "12.5");
        assert_eq!(xml("<a href=\"x\">'&'</a>"), "&lt;a href=&quot;x&quot;&gt;&apos;&amp;&apos;&lt;/a&gt;");
        assert_eq!(xml("无锡\u{1}市\u{1b}[0m\n\t\r飞地"), "无锡市[0m\n\t\r飞地");
        let mut out = String::from("x=");
        push_xml(&mut out, "上海 & 深圳");
        assert_eq!(out, "x=上海 &amp; 深圳");
    }

    #[test]
    fn html_escapes_the_five_and_keeps_everything_else() {
        assert_eq!(html(""), "");
        assert_eq!(html("无锡"), "无锡");
        assert_eq!(
            html("<a href=\"x\">O'Neil & 惠山</a>"),
            "&lt;a href=&quot;x&quot;&gt;O&#39;Neil &amp; 惠山&lt;/a&gt;"
        );
        assert_eq!(html("&&"), "&amp;&amp;");
        assert_eq!(html("é<😀>/"), "é&lt;😀&gt;/");
    }

    #[test]
    fn strings_hide_markup_quotes_and_line_separators() {
        let s = "<script>\"x\" & 'y'\u{2028}\u{2029}</script>";
        let out = script_json(s);
        assert_eq!(out, r#""\u003cscript\u003e\u0022x\u0022 \u0026 \u0027y\u0027\u2028\u2029\u003c/script\u003e""#);
        assert_eq!(serde_json::from_str::<String>(&out).unwrap(), s);
    }

    #[test]
    fn control_characters_and_backslashes() {
        let s = "a\\b\n\r\t\u{8}\u{c}\u{1}\u{1f}\u{7f}";
        let out = script_json(s);
        assert_eq!(out, r#""a\\b\n\r\t\u0008\u000c\u0001\u001f"#.to_string() + "\u{7f}\"");
        assert_eq!(serde_json::from_str::<String>(&out).unwrap(), s);
    }

    #[test]
    fn other_text_is_written_as_it_is() {
        assert_eq!(script_json("无锡（深圳）𠀀 é /"), "\"无锡（深圳）𠀀 é /\"");
    }

    #[test]
    fn values_are_compact_json_with_escaped_keys() {
        let v = serde_json::json!({"a<b": [1, -2, null, true, "&"], "n": 1.5});
        let out = script_json(&v);
        assert_eq!(out, r#"{"a\u003cb":[1,-2,null,true,"\u0026"],"n":1.5}"#);
        assert_eq!(serde_json::from_str::<serde_json::Value>(&out).unwrap(), v);
        assert_eq!(script_json(&Vec::<u8>::new()), "[]");
    }
}
