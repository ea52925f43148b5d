//! A tiny SVG writer. Every attribute value and every text node goes through XML escaping here,
//! which is why templates may insert the finished SVG with `| safe`.
//!
//! Numbers are written with at most one decimal (`12.5`, `12`), so the same data always gives the
//! same bytes and files stay small.

use crate::escape::push_xml;

/// Formats a coordinate or length: one decimal at most, no `-0`.
///
/// A map writes thousands of these, so the tenths are counted in integers; a value whose
/// hundredths lie within a hair of a half (where `{:.1}`'s exact decimal rounding and a float
/// product could disagree) and any huge one go through `format!`, so the text is always the same.
pub fn num(x: f64) -> String {
    let x = if x.is_finite() { x } else { 0.0 };
    let tenths = x * 10.0;
    let frac = (tenths - tenths.trunc()).abs();
    if tenths.abs() < 1e15 && (frac - 0.5).abs() > 1e-6 {
        let n = tenths.round() as i64;
        let (int, dec) = (n.unsigned_abs() / 10, (n.unsigned_abs() % 10) as u8);
        let mut digits = [0u8; 24];
        let mut at = digits.len();
        if dec != 0 {
            at -= 2;
            digits[at] = b'.';
            digits[at + 1] = b'0' + dec;
        }
        let mut v = int;
        loop {
            at -= 1;
            digits[at] = b'0' + (v % 10) as u8;
            v /= 10;
            if v == 0 {
                break;
            }
        }
        if n < 0 {
            at -= 1;
            digits[at] = b'-';
        }
        return String::from_utf8_lossy(&digits[at..]).into_owned();
    }
    let s = format!("{:.1}", x);
    let s = s.strip_suffix(".0").unwrap_or(&s).to_string();
    if s == "-0" { "0".to_string() } else { s }
}

/// An SVG document being written.
pub struct Svg {
    out: String,
    open: Vec<&'static str>,
}

impl Svg {
    /// Starts an `<svg>` with a `viewBox` of `width × height`, labelled by its `<title>` and
    /// `<desc>` (ids `{id}-t` and `{id}-d`, which must be unique on the page).
    pub fn new(id: &str, width: f64, height: f64, class: &str, title: &str, desc: &str) -> Svg {
        let mut s = Svg { out: String::with_capacity(4096), open: Vec::new() };
        s.open(
            "svg",
            &[
                ("xmlns", "http://www.w3.org/2000/svg"),
                ("id", id),
                ("class", class),
                ("viewBox", &format!("0 0 {} {}", num(width), num(height))),
                ("role", "img"),
                ("aria-labelledby", &format!("{id}-t {id}-d")),
            ],
        );
        s.text("title", &[("id", &format!("{id}-t"))], title);
        s.text("desc", &[("id", &format!("{id}-d"))], desc);
        s
    }

    fn start(&mut self, tag: &str, attrs: &[(&str, &str)]) {
        self.out.push('<');
        self.out.push_str(tag);
        for (k, v) in attrs {
            self.out.push(' ');
            self.out.push_str(k);
            self.out.push_str("=\"");
            push_xml(&mut self.out, v);
            self.out.push('"');
        }
    }

    /// Opens an element that will hold children; close it with [`Svg::close`].
    pub fn open(&mut self, tag: &'static str, attrs: &[(&str, &str)]) {
        self.start(tag, attrs);
        self.out.push('>');
        self.open.push(tag);
    }

    /// Closes the innermost open element.
    pub fn close(&mut self) {
        if let Some(tag) = self.open.pop() {
            self.out.push_str("</");
            self.out.push_str(tag);
            self.out.push('>');
        }
    }

    /// An element without children.
    pub fn empty(&mut self, tag: &str, attrs: &[(&str, &str)]) {
        self.start(tag, attrs);
        self.out.push_str("/>");
    }

    /// An element holding only text.
    pub fn text(&mut self, tag: &str, attrs: &[(&str, &str)], text: &str) {
        self.start(tag, attrs);
        self.out.push('>');
        push_xml(&mut self.out, text);
        self.out.push_str("</");
        self.out.push_str(tag);
        self.out.push('>');
    }

    /// A line of text at (x, y) with a class and an anchor (`start`, `middle`, `end`).
    pub fn label(&mut self, x: f64, y: f64, class: &str, anchor: &str, text: &str) {
        let (x, y) = (num(x), num(y));
        let mut attrs: Vec<(&str, &str)> = vec![("x", &x), ("y", &y), ("class", class)];
        if anchor != "start" {
            attrs.push(("text-anchor", anchor));
        }
        self.text("text", &attrs, text);
    }

    /// A label over a halo: the same text drawn first with a thick stroke in the background
    /// colour (class `halo`), so it stays legible over lines and fills. (SVG 1.1 has no
    /// `paint-order`, hence two elements.)
    pub fn halo_label(&mut self, x: f64, y: f64, class: &str, anchor: &str, text: &str) {
        self.label(x, y, &format!("{class} halo"), anchor, text);
        self.label(x, y, class, anchor, text);
    }

    /// A rectangle.
    pub fn rect(&mut self, x: f64, y: f64, w: f64, h: f64, class: &str) {
        let (x, y, w, h) = (num(x), num(y), num(w.max(0.0)), num(h.max(0.0)));
        self.empty("rect", &[("x", &x), ("y", &y), ("width", &w), ("height", &h), ("class", class)]);
    }

    /// Closes every open element and returns the SVG text.
    pub fn finish(mut self) -> String {
        while !self.open.is_empty() {
            self.close();
        }
        self.out
    }
}

/// A rough width of `text` in user units at `size`: CJK characters are about square, Latin ones
/// about half as wide. Used to keep labels inside the chart, not for exact layout.
pub fn text_width(text: &str, size: f64) -> f64 {
    text.chars().map(|c| if (c as u32) < 0x2E80 { 0.56 } else { 1.0 }).sum::<f64>() * size
}

#[cfg(test)]
mod tests {
    use super::*;

    /// What `num` wrote before it counted in integers.
    fn by_format(x: f64) -> String {
        let x = if x.is_finite() { x } else { 0.0 };
        let s = format!("{:.1}", x);
        let s = s.strip_suffix(".0").unwrap_or(&s).to_string();
        if s == "-0" { "0".to_string() } else { s }
    }

    #[test]
    fn numbers_are_written_as_format_writes_them() {
        let mut state: u64 = 11;
        let mut values = vec![0.0, -0.0, 0.05, -0.05, 0.25, 0.35, 2.45, -2.45, 1e16, -1e20, f64::NAN, f64::INFINITY];
        for _ in 0..200_000 {
            state = state.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
            let r = (state >> 11) as f64 / (1u64 << 53) as f64;
            values.push((r - 0.5) * 2000.0);
            values.push(((r * 20000.0).round() / 100.0) - 100.0);
        }
        for x in values {
            assert_eq!(num(x), by_format(x), "{x:?}");
        }
    }

    #[test]
    fn numbers_have_one_decimal_at_most() {
        assert_eq!(num(12.0), "12");
        assert_eq!(num(12.345), "12.3");
        assert_eq!(num(-0.01), "0");
        assert_eq!(num(f64::NAN), "0");
    }

    #[test]
    fn text_and_attributes_are_escaped() {
        let mut s = Svg::new("c", 10.0, 10.0, "chart", "<b>&", "\"x\"");
        s.label(1.0, 2.0, "a\"b", "middle", "<script>");
        let out = s.finish();
        assert!(out.contains("<title id=\"c-t\">&lt;b&gt;&amp;</title>"));
        assert!(out.contains("class=\"a&quot;b\""));
        assert!(out.contains("&lt;script&gt;"));
        assert!(out.ends_with("</svg>"));
    }
}
