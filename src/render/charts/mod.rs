//! Charts drawn at build time as inline SVG: pure functions from chart data to SVG text, and the
//! [`Figure`] that templates lay out around them (title, summary, SVG, the same numbers as a
//! table).
//!
//! The SVG carries classes, never colours: the stylesheet colours it, so dark mode and print
//! work, and every text goes through [`svg::Svg`], which escapes it.

pub mod bars;
pub mod flowmap;
pub mod svg;

use serde::Serialize;

/// The numbers of a chart as a table, already formatted for the page.
#[derive(Debug, Clone, Default, Serialize)]
pub struct DataTable {
    /// Caption.
    pub caption: String,
    /// Column heads; the first heads the row labels.
    pub head: Vec<String>,
    /// Columns from this index on hold numbers (right-aligned).
    pub num_from: usize,
    /// Rows.
    pub rows: Vec<DataRow>,
}

/// One row of a [`DataTable`].
#[derive(Debug, Clone, Serialize)]
pub struct DataRow {
    /// Row head.
    pub label: String,
    /// Link for the row head, relative to the site root (`places/wuxi/`), if it has a page.
    pub href: Option<String>,
    /// Cells, formatted.
    pub cells: Vec<String>,
}

/// One SVG of a figure; small multiples have a visible title per panel.
#[derive(Debug, Clone, Serialize)]
pub struct Panel {
    /// Visible title, for small multiples.
    pub title: Option<String>,
    /// The SVG, every text in it escaped.
    pub svg: String,
    /// Which screens show it: `""` (all), `"wide"` or `"narrow"` (a map drawn twice so that
    /// its labels stay readable on a phone).
    pub screen: &'static str,
}

impl Panel {
    /// A panel without a title of its own, for every screen.
    pub fn plain(svg: String) -> Panel {
        Panel { title: None, svg, screen: "" }
    }
}

/// A chart ready for a template: its SVG panels, a short text summary and its numbers.
#[derive(Debug, Clone, Serialize)]
pub struct Figure {
    /// Id, unique on the page (SVG ids derive from it).
    pub id: String,
    /// Heading.
    pub title: String,
    /// Generated sentences that say what the chart shows.
    pub summary: Vec<String>,
    /// One or more SVGs (several for small multiples).
    pub panels: Vec<Panel>,
    /// The same numbers as a table; `None` where the page shows its own table next to it.
    pub table: Option<DataTable>,
    /// A note under the chart (what is left out and why), if any.
    pub note: Option<String>,
}
