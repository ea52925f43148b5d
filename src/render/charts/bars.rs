//! Bar charts: ranked horizontal bars (optionally against a reported target, as a bullet chart)
//! and 100% stacked bars for shares.
//!
//! Colour is never the only carrier: every bar prints its number, stacked segments carry a
//! pattern per series and their count, and the legend names each series.

use super::svg::{Svg, num, text_width};

/// Width of every bar chart in user units; the SVG scales down to narrow screens.
const W: f64 = 360.0;
/// Font size of labels.
const FONT: f64 = 13.0;
/// Height of one row.
const ROW: f64 = 24.0;
/// Height of a bar inside its row.
const BAR: f64 = 15.0;

/// One bar.
#[derive(Debug, Clone)]
pub struct Bar {
    /// What the bar stands for.
    pub label: String,
    /// Its length.
    pub value: f64,
    /// The value as printed beside the bar ("17,000", "7 / 9").
    pub value_text: String,
    /// A reported figure to draw behind the bar (bullet chart), if any.
    pub target: Option<f64>,
    /// The figure is not reported: `value_text` says so, quietly.
    pub missing: bool,
}

/// A ranked bar chart.
#[derive(Debug, Clone)]
pub struct BarChart {
    /// Element id, unique on the page.
    pub id: String,
    /// Title (read first by screen readers).
    pub title: String,
    /// Text summary.
    pub desc: String,
    /// Bars, top to bottom.
    pub bars: Vec<Bar>,
    /// Legend for bullet charts: (bar, target), e.g. ("listed", "reported").
    pub legend: Option<(String, String)>,
}

/// Cuts `text` to fit `max` user units, with an ellipsis.
pub fn fit(text: &str, size: f64, max: f64) -> String {
    if text_width(text, size) <= max {
        return text.to_string();
    }
    let mut out = String::new();
    for c in text.chars() {
        let next = format!("{out}{c}…");
        if text_width(&next, size) > max {
            break;
        }
        out.push(c);
    }
    out.push('…');
    out
}

fn label_width(labels: impl Iterator<Item = String>) -> f64 {
    labels.map(|l| text_width(&l, FONT)).fold(0.0, f64::max).min(W * 0.38) + 10.0
}

fn hatch(s: &mut Svg, id: &str, class: &str) {
    s.open(
        "pattern",
        &[
            ("id", id),
            ("width", "6"),
            ("height", "6"),
            ("patternUnits", "userSpaceOnUse"),
            ("patternTransform", "rotate(45)"),
        ],
    );
    s.rect(0.0, 0.0, 6.0, 6.0, &format!("{class} pat-bg"));
    s.rect(0.0, 0.0, 2.0, 6.0, &format!("{class} pat-fg"));
    s.close();
}

/// Draws a ranked horizontal bar chart.
pub fn hbars(c: &BarChart) -> String {
    let label_w = label_width(c.bars.iter().map(|b| b.label.clone()));
    let value_w = c.bars.iter().map(|b| text_width(&b.value_text, FONT)).fold(0.0, f64::max) + 10.0;
    let top = if c.legend.is_some() { ROW + 4.0 } else { 4.0 };
    let h = top + ROW * c.bars.len() as f64 + 4.0;
    let max = c.bars.iter().map(|b| b.value.max(b.target.unwrap_or(0.0))).fold(0.0, f64::max).max(1e-9);
    let track = (W - label_w - value_w).max(40.0);
    let mut s = Svg::new(&c.id, W, h, "chart chart-bars", &c.title, &c.desc);
    let hatch_id = format!("{}-h", c.id);
    if c.target_used() {
        s.open("defs", &[]);
        hatch(&mut s, &hatch_id, "target");
        s.close();
    }
    if let Some((bar, target)) = &c.legend {
        let y = 4.0;
        s.rect(label_w, y + 4.0, 14.0, 12.0, "bar");
        s.label(label_w + 19.0, y + 14.5, "lbl", "start", bar);
        let x2 = label_w + 19.0 + text_width(bar, FONT) + 16.0;
        s.empty(
            "rect",
            &[
                ("x", &num(x2)),
                ("y", &num(y + 4.0)),
                ("width", "14"),
                ("height", "12"),
                ("fill", &format!("url(#{hatch_id})")),
                ("class", "target-box"),
            ],
        );
        s.label(x2 + 19.0, y + 14.5, "lbl", "start", target);
    }
    for (i, b) in c.bars.iter().enumerate() {
        let y = top + ROW * i as f64;
        let by = y + (ROW - BAR) / 2.0;
        s.open("g", &[("class", "row")]);
        s.text("title", &[], &format!("{}: {}", b.label, b.value_text));
        s.label(label_w - 8.0, y + ROW / 2.0 + FONT * 0.36, "lbl", "end", &fit(&b.label, FONT, label_w - 10.0));
        let mut end = 0.0;
        if let Some(t) = b.target {
            let w = track * t / max;
            s.empty(
                "rect",
                &[
                    ("x", &num(label_w)),
                    ("y", &num(by)),
                    ("width", &num(w)),
                    ("height", &num(BAR)),
                    ("fill", &format!("url(#{hatch_id})")),
                    ("class", "target-box"),
                ],
            );
            end = w;
        }
        let w = track * b.value / max;
        let (inset, bh) = if b.target.is_some() { (3.5, BAR - 7.0) } else { (0.0, BAR) };
        if b.value > 0.0 {
            s.rect(label_w, by + inset, w.max(1.5), bh, "bar");
        } else {
            // A zero still gets a mark on the axis, so it reads as zero and not as missing.
            s.rect(label_w, by, 1.5, BAR, "axis");
        }
        end = f64::max(end, w);
        let class = if b.missing { "val missing" } else { "val" };
        s.label(label_w + end + 5.0, y + ROW / 2.0 + FONT * 0.36, class, "start", &b.value_text);
        s.close();
    }
    s.finish()
}

impl BarChart {
    fn target_used(&self) -> bool {
        self.legend.is_some() || self.bars.iter().any(|b| b.target.is_some())
    }
}

/// One series of a stacked chart (one operating model).
#[derive(Debug, Clone)]
pub struct Series {
    /// Its name.
    pub label: String,
    /// Its colour and pattern: the category's fixed position in its vocabulary, so that one
    /// category looks the same in every chart; `None` stands for "not reported" (drawn grey and
    /// hatched).
    pub slot: Option<usize>,
}

impl Series {
    /// Whether it stands for "not reported".
    pub fn not_reported(&self) -> bool {
        self.slot.is_none()
    }
}

/// The class of series `slot`'s colour (`s0` ... `s5`, the palette's six colours).
pub fn series_class(slot: usize) -> String {
    format!("s{}", slot % 6)
}

/// The pattern of series `slot`: solid, stripes, dots, cross-hatch, so that the six colours
/// and four patterns tell 12 categories apart before one repeats.
pub fn series_shape(slot: usize) -> usize {
    slot % 4
}

/// One stacked bar: counts per series.
#[derive(Debug, Clone)]
pub struct StackRow {
    /// What the bar stands for ("all", a city).
    pub label: String,
    /// Counts, one per series.
    pub counts: Vec<usize>,
}

/// A 100% stacked bar chart.
#[derive(Debug, Clone)]
pub struct StackChart {
    /// Element id, unique on the page.
    pub id: String,
    /// Title.
    pub title: String,
    /// Text summary.
    pub desc: String,
    /// Series, in legend order.
    pub series: Vec<Series>,
    /// Bars, top to bottom.
    pub rows: Vec<StackRow>,
}

/// Fill patterns per series, so that series differ in more than colour: solid, stripes, dots,
/// cross-hatch, then the same shapes again with the next colours.
fn series_pattern(s: &mut Svg, id: &str, slot: Option<usize>) {
    let Some(i) = slot else {
        hatch(s, id, "nr");
        return;
    };
    let class = series_class(i);
    s.open("pattern", &[("id", id), ("width", "6"), ("height", "6"), ("patternUnits", "userSpaceOnUse")]);
    s.rect(0.0, 0.0, 6.0, 6.0, &format!("{class} pat-bg"));
    match series_shape(i) {
        0 => {}
        1 => {
            s.empty("path", &[("d", "M-1 7L7 -1M-1 1L1 -1M5 7L7 5"), ("class", "pat-line")]);
        }
        2 => {
            s.empty("circle", &[("cx", "3"), ("cy", "3"), ("r", "1.1"), ("class", "pat-dot")]);
        }
        _ => {
            s.empty("path", &[("d", "M0 3H6M3 0V6"), ("class", "pat-line")]);
        }
    }
    s.close();
}

/// Draws 100% stacked bars with a legend; each segment wide enough prints its count.
pub fn stacked(c: &StackChart) -> String {
    let label_w = label_width(c.rows.iter().map(|r| r.label.clone()));
    let total_w = 44.0;
    let track = W - label_w - total_w;
    // Legend: series side by side, wrapping to new lines.
    let mut legend: Vec<(f64, f64, usize)> = Vec::new();
    let (mut lx, mut ly) = (0.0, 4.0);
    for (i, se) in c.series.iter().enumerate() {
        let w = 20.0 + text_width(&se.label, FONT) + 14.0;
        if lx > 0.0 && lx + w > W {
            lx = 0.0;
            ly += ROW;
        }
        legend.push((lx, ly, i));
        lx += w;
    }
    let top = ly + ROW + 6.0;
    let h = top + ROW * c.rows.len() as f64 + 4.0;
    let mut s = Svg::new(&c.id, W, h, "chart chart-stack", &c.title, &c.desc);
    let pid = |i: usize| format!("{}-p{i}", c.id);
    s.open("defs", &[]);
    for (i, se) in c.series.iter().enumerate() {
        series_pattern(&mut s, &pid(i), se.slot);
    }
    s.close();
    s.open("g", &[("class", "legend")]);
    for (x, y, i) in &legend {
        let fill = format!("url(#{})", pid(*i));
        s.empty(
            "rect",
            &[
                ("x", &num(*x)),
                ("y", &num(y + 4.0)),
                ("width", "14"),
                ("height", "13"),
                ("fill", &fill),
                ("class", "swatch-box"),
            ],
        );
        s.label(x + 19.0, y + 15.0, "lbl", "start", &c.series[*i].label);
    }
    s.close();
    for (r, row) in c.rows.iter().enumerate() {
        let y = top + ROW * r as f64;
        let total: usize = row.counts.iter().sum();
        s.open("g", &[("class", "row")]);
        let parts: Vec<String> = c
            .series
            .iter()
            .zip(&row.counts)
            .filter(|(_, n)| **n > 0)
            .map(|(se, n)| format!("{} {n}", se.label))
            .collect();
        s.text("title", &[], &format!("{}: {}", row.label, parts.join(", ")));
        s.label(label_w - 8.0, y + ROW / 2.0 + FONT * 0.36, "lbl", "end", &fit(&row.label, FONT, label_w - 10.0));
        let mut x = label_w;
        for (i, &n) in row.counts.iter().enumerate() {
            if n == 0 || total == 0 {
                continue;
            }
            let w = track * n as f64 / total as f64;
            let fill = format!("url(#{})", pid(i));
            // A thin gap in the page colour separates neighbouring segments.
            s.empty(
                "rect",
                &[
                    ("x", &num(x)),
                    ("y", &num(y + (ROW - BAR) / 2.0 - 1.0)),
                    ("width", &num((w - 1.5).max(1.0))),
                    ("height", &num(BAR + 2.0)),
                    ("fill", &fill),
                    // "Not reported" is pale: an outline keeps it visible on any background.
                    ("class", if c.series[i].not_reported() { "seg-box nr-box" } else { "seg-box" }),
                ],
            );
            let t = n.to_string();
            if w - 1.5 >= text_width(&t, FONT) + 8.0 {
                let class = match c.series[i].slot {
                    None => "seg-n seg-n-nr".to_string(),
                    Some(slot) => format!("seg-n seg-n{}", slot % 6),
                };
                s.halo_label(x + (w - 1.5) / 2.0, y + ROW / 2.0 + FONT * 0.36, &class, "middle", &t);
            }
            x += w;
        }
        s.label(W - 4.0, y + ROW / 2.0 + FONT * 0.36, "val", "end", &total.to_string());
        s.close();
    }
    s.finish()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn long_labels_are_cut_with_an_ellipsis() {
        assert_eq!(fit("short", 13.0, 200.0), "short");
        let cut = fit("新一代信息技术产业和高端装备制造", 13.0, 80.0);
        assert!(cut.ends_with('…') && cut.chars().count() < 10, "{cut}");
    }

    #[test]
    fn bars_print_their_values() {
        let c = BarChart {
            id: "b".into(),
            title: "T".into(),
            desc: "D".into(),
            bars: vec![
                Bar { label: "上海".into(), value: 7.0, value_text: "7".into(), target: None, missing: false },
                Bar { label: "深圳".into(), value: 0.0, value_text: "0".into(), target: Some(9.0), missing: false },
            ],
            legend: Some(("listed".into(), "reported".into())),
        };
        let svg = hbars(&c);
        assert!(svg.contains(">7</text>") && svg.contains(">0</text>"));
        assert!(svg.contains("url(#b-h)"));
    }
}
