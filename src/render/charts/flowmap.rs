//! The flow map: one arc per (home city, host city) pair, its width by the number of enclaves,
//! drawn on a plain longitude/latitude grid with provincial capitals as reference points.
//!
//! There is deliberately no country outline: an outline of China published for Chinese readers
//! has to follow the officially approved standard map, which no openly licensed data set does, so
//! the map is a schematic: a graticule, the capitals, and the flows. Arcs are aggregated by pair
//! before they get here, so 10,000 enclaves still draw one path per pair.

use super::svg::{Svg, num, text_width};

/// Width of the map for wide screens, in user units.
pub const WIDE: f64 = 560.0;
/// Width of the map for phones: drawn separately so that its labels keep their size.
pub const NARROW: f64 = 340.0;

/// Font sizes of a map's texts, in user units: larger on the narrow map, which a phone shows
/// at about its own width, so that no label reads smaller than about 11 px there. The
/// stylesheet sets the same sizes (`svg.chart-map.map-narrow`); placement uses these.
#[derive(Debug, Clone, Copy)]
struct Fonts {
    host: f64,
    home: f64,
    reference: f64,
    grid: f64,
}

impl Fonts {
    fn for_width(w: f64) -> Fonts {
        if w < 400.0 {
            Fonts { host: 14.0, home: 13.0, reference: 11.5, grid: 11.0 }
        } else {
            Fonts { host: 13.0, home: 11.0, reference: 10.0, grid: 9.0 }
        }
    }
}

/// A city on the map.
#[derive(Debug, Clone)]
pub struct MapPoint {
    /// Label shown beside the dot.
    pub label: String,
    /// Latitude.
    pub lat: f64,
    /// Longitude.
    pub lon: f64,
    /// Enclaves hosted here (among those drawn).
    pub hosted: usize,
    /// Enclaves sent from here (among those drawn).
    pub sent: usize,
    /// The page's own subject: always labelled, in bold.
    pub emphasis: bool,
}

/// An aggregated flow between two points (indexes into `points`).
#[derive(Debug, Clone)]
pub struct Flow {
    /// Home city.
    pub from: usize,
    /// Host city.
    pub to: usize,
    /// Enclaves from `from` in `to`.
    pub count: usize,
}

/// Legend texts, in the interface language.
#[derive(Debug, Clone)]
pub struct MapLegend {
    /// "host city (dot size: enclaves hosted)".
    pub host: String,
    /// "home city".
    pub home: String,
    /// "arc width: number of enclaves".
    pub flow: String,
    /// "provincial capital, for orientation".
    pub reference: String,
    /// Title of the magnified inset ("detail").
    pub inset: String,
}

/// Everything the map shows.
#[derive(Debug, Clone)]
pub struct FlowMap {
    /// Element id, unique on the page.
    pub id: String,
    /// Title.
    pub title: String,
    /// Text summary.
    pub desc: String,
    /// Cities.
    pub points: Vec<MapPoint>,
    /// Flows between them.
    pub flows: Vec<Flow>,
    /// Legend.
    pub legend: MapLegend,
    /// `en` for English reference labels, anything else for Chinese.
    pub lang: String,
    /// Width in user units ([`WIDE`] or [`NARROW`]); labels keep their size, so a narrow map
    /// shows fewer of them.
    pub width: f64,
}

/// Provincial capitals (and Hong Kong, Macao): Chinese name, English name, latitude, longitude.
/// Reference points only; listed roughly from the most to the least useful for orientation, so
/// that when labels collide the better-known city keeps its label.
const CAPITALS: &[(&str, &str, f64, f64)] = &[
    ("北京", "Beijing", 39.90, 116.41),
    ("上海", "Shanghai", 31.23, 121.47),
    ("广州", "Guangzhou", 23.13, 113.26),
    ("武汉", "Wuhan", 30.59, 114.31),
    ("成都", "Chengdu", 30.57, 104.07),
    ("西安", "Xi'an", 34.34, 108.94),
    ("乌鲁木齐", "Urumqi", 43.83, 87.62),
    ("拉萨", "Lhasa", 29.65, 91.13),
    ("哈尔滨", "Harbin", 45.80, 126.53),
    ("昆明", "Kunming", 24.88, 102.83),
    ("南京", "Nanjing", 32.06, 118.80),
    ("杭州", "Hangzhou", 30.27, 120.16),
    ("合肥", "Hefei", 31.82, 117.23),
    ("郑州", "Zhengzhou", 34.75, 113.63),
    ("济南", "Jinan", 36.65, 117.12),
    ("沈阳", "Shenyang", 41.81, 123.43),
    ("长沙", "Changsha", 28.23, 112.94),
    ("福州", "Fuzhou", 26.07, 119.30),
    ("南昌", "Nanchang", 28.68, 115.86),
    ("重庆", "Chongqing", 29.56, 106.55),
    ("兰州", "Lanzhou", 36.06, 103.83),
    ("呼和浩特", "Hohhot", 40.84, 111.75),
    ("长春", "Changchun", 43.82, 125.32),
    ("天津", "Tianjin", 39.08, 117.20),
    ("石家庄", "Shijiazhuang", 38.04, 114.51),
    ("太原", "Taiyuan", 37.87, 112.55),
    ("南宁", "Nanning", 22.82, 108.37),
    ("贵阳", "Guiyang", 26.65, 106.63),
    ("海口", "Haikou", 20.04, 110.20),
    ("西宁", "Xining", 36.62, 101.78),
    ("银川", "Yinchuan", 38.49, 106.23),
    ("台北", "Taipei", 25.03, 121.57),
    ("香港", "Hong Kong", 22.32, 114.17),
    ("澳门", "Macao", 22.20, 113.54),
];

/// A window onto the globe, projected into a rectangle of the SVG (equirectangular, scaled
/// by the cosine of the middle latitude so that shapes stay roughly true).
#[derive(Debug, Clone)]
struct Frame {
    lon0: f64,
    lat1: f64,
    k: f64,
    kx: f64,
    x: f64,
    y: f64,
    w: f64,
    h: f64,
}

impl Frame {
    /// Fits the points into a rectangle `w` wide, with a margin and a minimum span (degrees) so
    /// that a few close cities still show their surroundings, keeping the shape between
    /// 16:9 and square.
    fn fit(points: &[(f64, f64)], w: f64, pad: f64, min_lon: f64, min_lat: f64) -> Frame {
        let (mut lo0, mut lo1, mut la0, mut la1) = (f64::MAX, f64::MIN, f64::MAX, f64::MIN);
        for (lat, lon) in points {
            lo0 = lo0.min(*lon);
            lo1 = lo1.max(*lon);
            la0 = la0.min(*lat);
            la1 = la1.max(*lat);
        }
        if points.is_empty() {
            (lo0, lo1, la0, la1) = (73.0, 135.0, 18.0, 54.0);
        }
        let pad = |a: f64, b: f64, min: f64| {
            let span = ((b - a) * pad).max(min);
            let mid = (a + b) / 2.0;
            (mid - span / 2.0, mid + span / 2.0)
        };
        let (mut lo0, mut lo1) = pad(lo0, lo1, min_lon);
        let (mut la0, mut la1) = pad(la0, la1, min_lat);
        let cos = ((la0 + la1) / 2.0).to_radians().cos();
        let (sx, sy) = ((lo1 - lo0) * cos, la1 - la0);
        if sy > sx {
            let grow = (sy / cos - (lo1 - lo0)) / 2.0;
            lo0 -= grow;
            lo1 += grow;
        } else if sy < sx * 0.5625 {
            let grow = (sx * 0.5625 - sy) / 2.0;
            la0 -= grow;
            la1 += grow;
        }
        let k = w / ((lo1 - lo0) * cos);
        Frame { lon0: lo0, lat1: la1, k, kx: k * cos, x: 0.0, y: 0.0, w, h: (la1 - la0) * k }
    }

    fn xy(&self, lat: f64, lon: f64) -> (f64, f64) {
        (self.x + (lon - self.lon0) * self.kx, self.y + (self.lat1 - lat) * self.k)
    }

    fn lat0(&self) -> f64 {
        self.lat1 - self.h / self.k
    }

    fn lon1(&self) -> f64 {
        self.lon0 + self.w / self.kx
    }

    /// Whether a point lies inside, `margin` user units away from the edges.
    fn holds(&self, x: f64, y: f64, margin: f64) -> bool {
        x >= self.x + margin && x <= self.x + self.w - margin && y >= self.y + margin && y <= self.y + self.h - margin
    }
}

/// The space between a narrow map and the inset drawn under it.
const INSET_GAP: f64 = 8.0;

/// A text's box above and below its baseline, in font sizes: the box browsers give a line of
/// the CJK sans-serif fonts (ascent and descent of Noto Sans CJK), so that labels placed apart
/// here are apart on screen.
const ASCENT: f64 = 1.16;
/// See [`ASCENT`].
const DESCENT: f64 = 0.3;

/// Where a label went: (x, y, text anchor, leader line from the dot to the label, if any).
type Placed = (f64, f64, &'static str, Option<((f64, f64), (f64, f64))>);

/// Boxes already taken (labels, dots, an inset), to keep later labels from overlapping them.
struct Taken {
    bounds: (f64, f64, f64, f64),
    boxes: Vec<(f64, f64, f64, f64)>,
    /// The boxes by the cells of a coarse grid over the frame they touch, so that a candidate
    /// label is checked against the boxes near it only (a map of many arcs has thousands).
    cells: Vec<Vec<u32>>,
    cols: usize,
    rows: usize,
}

/// The side of a cell of [`Taken`]'s grid, in SVG units.
const CELL: f64 = 24.0;

impl Taken {
    fn new(f: &Frame) -> Taken {
        let cols = (f.w / CELL).ceil().max(1.0) as usize + 1;
        let rows = (f.h / CELL).ceil().max(1.0) as usize + 1;
        Taken {
            bounds: (f.x, f.y, f.x + f.w, f.y + f.h),
            boxes: Vec::new(),
            cells: vec![Vec::new(); cols * rows],
            cols,
            rows,
        }
    }

    /// The cells a box touches (clamped to the grid: boxes outside the frame land on its edge
    /// cells, where every box they could meet also lands).
    fn span(&self, b: (f64, f64, f64, f64)) -> (usize, usize, usize, usize) {
        let col = |x: f64| (((x - self.bounds.0) / CELL).floor().max(0.0) as usize).min(self.cols - 1);
        let row = |y: f64| (((y - self.bounds.1) / CELL).floor().max(0.0) as usize).min(self.rows - 1);
        (col(b.0), row(b.1), col(b.2), row(b.3))
    }

    fn push(&mut self, b: (f64, f64, f64, f64)) {
        let id = self.boxes.len() as u32;
        self.boxes.push(b);
        let (c0, r0, c1, r1) = self.span(b);
        for r in r0..=r1 {
            for c in c0..=c1 {
                self.cells[r * self.cols + c].push(id);
            }
        }
    }

    fn free(&self, b: (f64, f64, f64, f64)) -> bool {
        if !(b.0 >= self.bounds.0 && b.1 >= self.bounds.1 && b.2 <= self.bounds.2 && b.3 <= self.bounds.3) {
            return false;
        }
        let (c0, r0, c1, r1) = self.span(b);
        (r0..=r1).all(|r| {
            (c0..=c1).all(|c| {
                self.cells[r * self.cols + c].iter().all(|&i| {
                    let o = self.boxes[i as usize];
                    b.2 <= o.0 || b.0 >= o.2 || b.3 <= o.1 || b.1 >= o.3
                })
            })
        })
    }

    /// Marks the line from `a` to `b`, `half` wide on each side, as taken: arcs and leader
    /// lines, so that no label is drawn over them.
    fn line(&mut self, a: (f64, f64), b: (f64, f64), half: f64) {
        let len = ((b.0 - a.0).powi(2) + (b.1 - a.1).powi(2)).sqrt();
        let steps = (len / 3.0).ceil().max(1.0) as usize;
        for i in 0..=steps {
            let t = i as f64 / steps as f64;
            let (x, y) = (a.0 + (b.0 - a.0) * t, a.1 + (b.1 - a.1) * t);
            self.push((x - half, y - half, x + half, y + half));
        }
    }

    /// Marks a quadratic curve from `a` through control point `c` to `b` as taken.
    fn curve(&mut self, a: (f64, f64), c: (f64, f64), b: (f64, f64), half: f64) {
        let at = |t: f64| {
            let u = 1.0 - t;
            (u * u * a.0 + 2.0 * u * t * c.0 + t * t * b.0, u * u * a.1 + 2.0 * u * t * c.1 + t * t * b.1)
        };
        let n = 24;
        for i in 0..n {
            self.line(at(i as f64 / n as f64), at((i + 1) as f64 / n as f64), half);
        }
    }

    /// Finds room for a label beside a dot of radius `r`: right, left, above, below, then the
    /// corners, then the same a little further out with a leader line to the dot. Returns
    /// (x, y, anchor, leader), or `None` when there is no room at all.
    fn place(&mut self, x: f64, y: f64, r: f64, text: &str, size: f64) -> Option<Placed> {
        let w = text_width(text, size);
        let dirs: [(i8, i8); 8] = [(1, 0), (-1, 0), (0, -1), (0, 1), (1, -1), (-1, -1), (1, 1), (-1, 1)];
        for dist in [0.0, 9.0, 20.0, 34.0, 50.0, 70.0] {
            for (dx, dy) in dirs {
                let left = match dx {
                    1 => x + r + 3.0 + dist,
                    -1 => x - r - 3.0 - dist - w,
                    _ => x - w / 2.0,
                };
                let ty = match dy {
                    -1 => y - r - 4.0 - dist,
                    1 => y + r + size * ASCENT + 1.0 + dist,
                    _ => y + size * 0.35,
                };
                let b = (left - 1.0, ty - size * ASCENT, left + w + 1.0, ty + size * DESCENT);
                if !self.free(b) {
                    continue;
                }
                let (tx, anchor) = match dx {
                    1 => (left, "start"),
                    -1 => (left + w, "end"),
                    _ => (x, "middle"),
                };
                let leader = (dist > 0.0).then(|| {
                    // From the dot's edge to the nearest point of the label's box.
                    let near = (x.clamp(b.0, b.2), y.clamp(b.1, b.3));
                    let (vx, vy) = (near.0 - x, near.1 - y);
                    let l = (vx * vx + vy * vy).sqrt().max(1e-9);
                    ((x + vx / l * (r + 1.0), y + vy / l * (r + 1.0)), near)
                });
                self.push(b);
                if let Some((a, bb)) = leader {
                    self.line(a, bb, 0.8);
                }
                return Some((tx, ty, anchor, leader));
            }
        }
        None
    }
}

fn radius(p: &MapPoint, max_hosted: f64) -> f64 {
    if p.hosted > 0 { 3.5 + 7.5 * (p.hosted as f64 / max_hosted).sqrt() } else { 3.0 }
}

/// Reference capitals inside a frame: (x, y, name).
fn capitals(f: &Frame, en: bool) -> Vec<(f64, f64, &'static str)> {
    CAPITALS
        .iter()
        .map(|(zh, e, lat, lon)| {
            let (x, y) = f.xy(*lat, *lon);
            (x, y, if en { *e } else { *zh })
        })
        .filter(|(x, y, _)| f.holds(*x, *y, 4.0))
        .collect()
}

/// Draws capitals, flows, cities and labels of the map inside one frame; what falls outside
/// is left out.
/// `labelled_elsewhere[i]`: city `i` is labelled in the inset, which magnifies it, so the
/// crowded main map leaves its label out.
fn draw_layer(s: &mut Svg, m: &FlowMap, f: &Frame, taken: &mut Taken, labelled_elsewhere: &[bool]) {
    let fonts = Fonts::for_width(m.width);
    let xy: Vec<(f64, f64)> = m.points.iter().map(|p| f.xy(p.lat, p.lon)).collect();
    let inside: Vec<bool> = xy.iter().map(|(x, y)| f.holds(*x, *y, 2.0)).collect();
    let max_hosted = m.points.iter().map(|p| p.hosted).max().unwrap_or(0).max(1) as f64;

    let refs = capitals(f, m.lang == "en");
    s.open("g", &[("class", "refs")]);
    for (x, y, _) in &refs {
        s.rect(x - 2.0, y - 2.0, 4.0, 4.0, "ref");
    }
    s.close();

    // Flows, thinnest first so the big ones stay on top.
    let max_count = m.flows.iter().map(|fl| fl.count).max().unwrap_or(0).max(1) as f64;
    let mut flows: Vec<&Flow> =
        m.flows.iter().filter(|fl| fl.from != fl.to && inside[fl.from] && inside[fl.to]).collect();
    flows.sort_by(|a, b| a.count.cmp(&b.count).then(a.from.cmp(&b.from)).then(a.to.cmp(&b.to)));
    s.open("g", &[("class", "flows")]);
    for fl in flows {
        let ((x0, y0), (x1, y1)) = (xy[fl.from], xy[fl.to]);
        let (dx, dy) = (x1 - x0, y1 - y0);
        if (dx * dx + dy * dy).sqrt() < 1.0 {
            continue;
        }
        let w = 1.2 + 6.8 * fl.count as f64 / max_count;
        // Bow to the left of the direction of travel, so A→B and B→A stay apart.
        let (cx, cy) = (x0 + dx / 2.0 + dy * 0.18, y0 + dy / 2.0 - dx * 0.18);
        let (tx, ty) = (x1 - cx, y1 - cy);
        let tl = (tx * tx + ty * ty).sqrt().max(1e-9);
        let (ux, uy) = (tx / tl, ty / tl);
        let r = radius(&m.points[fl.to], max_hosted);
        let r0 = radius(&m.points[fl.from], max_hosted);
        // Between close cities the head must leave room for the arc, or a flow of a few
        // enclaves is drawn as a lone arrowhead.
        let room = (tl - r - 1.5 - r0).max(0.0);
        let head = (w * 1.6).max(7.0).min(room * 0.45).max(4.0);
        let tip = (x1 - ux * (r + 1.5), y1 - uy * (r + 1.5));
        let base = (tip.0 - ux * head, tip.1 - uy * head);
        taken.curve((x0, y0), (cx, cy), base, w / 2.0 + 1.0);
        taken.line(base, tip, head * 0.55 + 1.0);
        let half = head * 0.55;
        let label = format!("{} → {}: {}", m.points[fl.from].label, m.points[fl.to].label, fl.count);
        s.open("g", &[("class", "flow")]);
        s.text("title", &[], &label);
        let d = format!("M{} {}Q{} {} {} {}", num(x0), num(y0), num(cx), num(cy), num(base.0), num(base.1));
        s.empty("path", &[("d", &d), ("stroke-width", &num(w)), ("class", "arc")]);
        let d = format!(
            "M{} {}L{} {}L{} {}Z",
            num(tip.0),
            num(tip.1),
            num(base.0 - uy * half),
            num(base.1 + ux * half),
            num(base.0 + uy * half),
            num(base.1 - ux * half)
        );
        s.empty("path", &[("d", &d), ("class", "head")]);
        s.close();
    }
    s.close();

    // Cities: hosts as filled dots sized by what they host, homes as rings. Labels go to the
    // subject first, then hosts by size, then homes; each where it does not collide.
    let mut order: Vec<usize> = (0..m.points.len()).filter(|&i| inside[i]).collect();
    order.sort_by(|&a, &b| {
        let (pa, pb) = (&m.points[a], &m.points[b]);
        pb.emphasis.cmp(&pa.emphasis).then(pb.hosted.cmp(&pa.hosted)).then(pb.sent.cmp(&pa.sent)).then(a.cmp(&b))
    });
    for &i in &order {
        let ((x, y), r) = (xy[i], radius(&m.points[i], max_hosted));
        taken.push((x - r, y - r, x + r, y + r));
    }
    s.open("g", &[("class", "cities")]);
    for &i in order.iter().rev() {
        let p = &m.points[i];
        let (x, y) = xy[i];
        let (x, y, r) = (num(x), num(y), num(radius(p, max_hosted)));
        let class = if p.hosted > 0 { "city host" } else { "city home" };
        s.open("circle", &[("cx", &x), ("cy", &y), ("r", &r), ("class", class)]);
        s.text("title", &[], &point_title(p));
        s.close();
    }
    s.close();
    type Leader = Option<((f64, f64), (f64, f64))>;
    let mut labels: Vec<(f64, f64, &'static str, String, &'static str, Leader)> = Vec::new();
    for &i in order.iter().filter(|&&i| !labelled_elsewhere.get(i).copied().unwrap_or(false)) {
        let p = &m.points[i];
        let (x, y) = xy[i];
        let (text, size, class) = if p.hosted > 0 {
            (
                format!("{} {}", p.label, p.hosted),
                fonts.host,
                if p.emphasis { "city-lbl host-lbl em" } else { "city-lbl host-lbl" },
            )
        } else {
            (p.label.clone(), fonts.home, if p.emphasis { "city-lbl em" } else { "city-lbl" })
        };
        if let Some((tx, ty, anchor, leader)) = taken.place(x, y, radius(p, max_hosted), &text, size) {
            labels.push((tx, ty, anchor, text, class, leader));
        }
    }
    let mut refs_placed = Vec::new();
    for (x, y, name) in &refs {
        // Reference capitals are labelled only where a label fits right beside them.
        if let Some((tx, ty, anchor, None)) = taken.place(*x, *y, 2.0, name, fonts.reference) {
            refs_placed.push((tx, ty, anchor, *name));
        }
    }
    s.open("g", &[("class", "leaders")]);
    for (_, _, _, _, _, leader) in &labels {
        if let Some((a, b)) = leader {
            let d = format!("M{} {}L{} {}", num(a.0), num(a.1), num(b.0), num(b.1));
            s.empty("path", &[("d", &d), ("class", "leader")]);
        }
    }
    s.close();
    s.open("g", &[("class", "labels")]);
    for (tx, ty, anchor, name) in refs_placed {
        s.halo_label(tx, ty, "ref-lbl", anchor, name);
    }
    for (tx, ty, anchor, text, class, _) in labels {
        s.halo_label(tx, ty, class, anchor, &text);
    }
    s.close();
}

/// Graticule every 2, 5 or 10 degrees, labelled along the top and left edges (but not under
/// the inset, `hide`).
fn graticule(s: &mut Svg, f: &Frame, hide: Option<&Frame>, size: f64, taken: &mut Taken) {
    let hidden = |x: f64, y: f64| hide.is_some_and(|d| d.holds(x, y, -16.0));
    let span = f.w / f.kx;
    let step = if span > 30.0 {
        10.0
    } else if span > 12.0 {
        5.0
    } else {
        2.0
    };
    s.open("g", &[("class", "grat")]);
    let mut lon = (f.lon0 / step).ceil() * step;
    while lon < f.lon1() {
        let x = f.xy(f.lat1, lon).0;
        s.empty("path", &[("d", &format!("M{} {}V{}", num(x), num(f.y), num(f.y + f.h)))]);
        if x < f.x + f.w - 34.0 && !hidden(x, f.y + 8.0) {
            let t = format!("{lon}°E");
            let ty = f.y + size * ASCENT + 1.0;
            let b = (x + 2.0, ty - size * ASCENT, x + 4.0 + text_width(&t, size), ty + size * DESCENT);
            if taken.free(b) {
                taken.push(b);
                s.halo_label(x + 3.0, ty, "grat-lbl", "start", &t);
            }
        }
        lon += step;
    }
    let mut lat = (f.lat1 / step).floor() * step;
    while lat > f.lat0() {
        let y = f.xy(lat, f.lon0).1;
        s.empty("path", &[("d", &format!("M{} {}H{}", num(f.x), num(y), num(f.x + f.w)))]);
        if y > f.y + size * (ASCENT + DESCENT) + 6.0 && !hidden(f.x + 3.0, y) {
            let t = format!("{lat}°N");
            let (tx, ty) = (f.x + 3.0, y - 3.0);
            let b = (tx - 1.0, ty - size * ASCENT, tx + 1.0 + text_width(&t, size), ty + size * DESCENT);
            if taken.free(b) {
                taken.push(b);
                s.halo_label(tx, ty, "grat-lbl", "start", &t);
            }
        }
        lat -= step;
    }
    s.close();
}

/// A magnified inset for the densest cluster of cities, when the map is wide enough for
/// cities a few dozen kilometres apart to crowd each other (the Yangtze River Delta around
/// Shanghai, typically). Placed in an empty corner; `None` when there is no cluster or no
/// empty corner.
fn inset(m: &FlowMap, main: &Frame) -> Option<(Frame, Frame)> {
    if main.w / main.kx < 15.0 {
        return None;
    }
    let near = |a: &MapPoint, b: &MapPoint| (a.lon - b.lon).abs() <= 1.8 && (a.lat - b.lat).abs() <= 1.6;
    let best = (0..m.points.len())
        .map(|i| {
            let members: Vec<usize> = (0..m.points.len()).filter(|&j| near(&m.points[i], &m.points[j])).collect();
            let weight: usize = members.iter().map(|&j| m.points[j].hosted + m.points[j].sent).sum();
            (members.len(), weight, std::cmp::Reverse(i), members)
        })
        .max_by(|a, b| (a.0, a.1, a.2).cmp(&(b.0, b.1, b.2)))?;
    if best.0 < 4 {
        return None;
    }
    let coords: Vec<(f64, f64)> = best.3.iter().map(|&j| (m.points[j].lat, m.points[j].lon)).collect();
    // Generous margins: labels of cities at the edge of the cluster must fit inside.
    let narrow = main.w < 400.0;
    let share = if narrow { 1.0 } else { 0.42 };
    let mut detail = Frame::fit(&coords, main.w * share, 1.7, 3.0, 2.2);
    // The area the inset magnifies, as a box on the main map.
    let (ax0, ay0) = main.xy(detail.lat1, detail.lon0);
    let (ax1, ay1) = main.xy(detail.lat0(), detail.lon1());
    let area = Frame { x: ax0, y: ay0, w: ax1 - ax0, h: ay1 - ay0, ..main.clone() };
    if narrow {
        // A phone's map has no corner wide enough for the labels of a cluster: the inset
        // goes under the map, as wide as the map.
        detail.x = main.x;
        detail.y = main.y + main.h + INSET_GAP;
        return Some((detail, area));
    }
    let margin = 1.0;
    let corners = [
        (main.x + margin, main.y + main.h - detail.h - margin),
        (main.x + main.w - detail.w - margin, main.y + main.h - detail.h - margin),
        (main.x + margin, main.y + margin + 14.0),
        (main.x + main.w - detail.w - margin, main.y + margin + 14.0),
    ];
    let points: Vec<(f64, f64)> = m.points.iter().map(|p| main.xy(p.lat, p.lon)).collect();
    let overlaps = |x: f64, y: f64, w: f64, h: f64, bx: f64, by: f64, bw: f64, bh: f64| {
        x < bx + bw && bx < x + w && y < by + bh && by < y + h
    };
    let (x, y) = corners.into_iter().find(|&(x, y)| {
        y >= main.y
            && !overlaps(x - 4.0, y - 4.0, detail.w + 8.0, detail.h + 8.0, area.x, area.y, area.w, area.h)
            && points
                .iter()
                .all(|&(px, py)| !overlaps(x - 14.0, y - 14.0, detail.w + 28.0, detail.h + 28.0, px, py, 0.0, 0.0))
    })?;
    detail.x = x;
    detail.y = y;
    Some((detail, area))
}

/// The legend's entries laid out in rows that fit `width`: (x, row, entry index).
fn legend_layout(m: &FlowMap, width: f64) -> (Vec<(f64, usize, usize)>, usize) {
    let texts = [&m.legend.host, &m.legend.home, &m.legend.flow, &m.legend.reference];
    let sample = [16.0, 12.0, 32.0, 9.0];
    let mut out = Vec::new();
    let (mut x, mut row) = (4.0, 0);
    for (i, t) in texts.iter().enumerate() {
        let w = sample[i] + text_width(t, 11.0) + 14.0;
        if x > 4.0 && x + w > width {
            x = 4.0;
            row += 1;
        }
        out.push((x, row, i));
        x += w;
    }
    (out, row + 1)
}

/// Draws the map.
pub fn flow_map(m: &FlowMap) -> String {
    let w = m.width;
    let coords: Vec<(f64, f64)> = m.points.iter().map(|p| (p.lat, p.lon)).collect();
    let f = Frame::fit(&coords, w, 1.25, 5.0, 3.5);
    let (legend, rows) = legend_layout(m, w);
    let detail = inset(m, &f);
    // An inset under the map (narrow maps) pushes the legend down.
    let below = detail.as_ref().map_or(0.0, |(d, _)| if d.y >= f.y + f.h { d.h + INSET_GAP } else { 0.0 });
    let h = f.h + below + 8.0 + 22.0 * rows as f64;
    let fonts = Fonts::for_width(w);
    let class = if w < 400.0 { "chart chart-map map-narrow" } else { "chart chart-map" };
    let mut s = Svg::new(&m.id, w, h, class, &m.title, &m.desc);
    s.rect(0.0, 0.0, w, f.h, "map-bg");
    let mut taken = Taken::new(&f);
    graticule(&mut s, &f, detail.as_ref().map(|d| &d.0), fonts.grid, &mut taken);
    if let Some((d, area)) = &detail {
        taken.push((d.x - 6.0, d.y - 6.0, d.x + d.w + 6.0, d.y + d.h + 6.0));
        s.rect(area.x, area.y, area.w, area.h, "inset-area");
    }
    let in_inset: Vec<bool> = match &detail {
        Some((d, _)) => m
            .points
            .iter()
            .map(|p| {
                let (x, y) = d.xy(p.lat, p.lon);
                d.holds(x, y, 2.0)
            })
            .collect(),
        None => Vec::new(),
    };
    draw_layer(&mut s, m, &f, &mut taken, &in_inset);
    if let Some((d, area)) = &detail {
        // A thin line from the magnified area to the inset, so the eye connects them.
        let (ax, ay) = (area.x + area.w / 2.0, area.y + area.h / 2.0);
        let (bx, by) = (d.x + d.w / 2.0, d.y + d.h / 2.0);
        let t = |v: f64| v.clamp(0.0, 1.0);
        // Run from the edge of one box to the edge of the other.
        let (dx, dy) = (bx - ax, by - ay);
        let exit = |w: f64, h: f64| t(((w / 2.0) / dx.abs().max(1e-9)).min((h / 2.0) / dy.abs().max(1e-9)));
        let (s0, s1) = (exit(area.w, area.h), 1.0 - exit(d.w, d.h));
        if s1 > s0 {
            let d_attr =
                format!("M{} {}L{} {}", num(ax + dx * s0), num(ay + dy * s0), num(ax + dx * s1), num(ay + dy * s1));
            s.empty("path", &[("d", &d_attr), ("class", "inset-link")]);
        }
        s.open("g", &[("class", "inset")]);
        s.rect(d.x, d.y, d.w, d.h, "map-bg inset-bg");
        let mut t2 = Taken::new(d);
        let size = fonts.reference.max(10.0);
        let title_w = text_width(&m.legend.inset, size);
        t2.push((d.x, d.y, d.x + title_w + 10.0, d.y + size + 6.0));
        s.label(d.x + 5.0, d.y + size + 2.0, "grat-lbl inset-title", "start", &m.legend.inset);
        draw_layer(&mut s, m, d, &mut t2, &[]);
        s.close();
    }

    // Legend below the map, wrapping on narrow maps.
    s.open("g", &[("class", "legend")]);
    for (x, row, i) in legend {
        let y = f.h + below + 22.0 + 22.0 * row as f64;
        let (c, text) = match i {
            0 => {
                s.empty("circle", &[("cx", &num(x + 6.0)), ("cy", &num(y - 4.0)), ("r", "6"), ("class", "city host")]);
                (x + 16.0, &m.legend.host)
            }
            1 => {
                s.empty(
                    "circle",
                    &[("cx", &num(x + 4.0)), ("cy", &num(y - 4.0)), ("r", "3.5"), ("class", "city home")],
                );
                (x + 12.0, &m.legend.home)
            }
            2 => {
                let d = format!("M{} {}H{}", num(x), num(y - 4.0), num(x + 26.0));
                s.empty("path", &[("d", &d), ("stroke-width", "4"), ("class", "arc")]);
                (x + 32.0, &m.legend.flow)
            }
            _ => {
                s.rect(x, y - 6.0, 4.0, 4.0, "ref");
                (x + 9.0, &m.legend.reference)
            }
        };
        s.label(c, y, "lbl", "start", text);
    }
    s.close();
    s.finish()
}

fn point_title(p: &MapPoint) -> String {
    match (p.hosted, p.sent) {
        (h, 0) => format!("{}: ↓{h}", p.label),
        (0, o) => format!("{}: ↑{o}", p.label),
        (h, o) => format!("{}: ↓{h} ↑{o}", p.label),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn point(label: &str, lat: f64, lon: f64, hosted: usize, sent: usize) -> MapPoint {
        MapPoint { label: label.into(), lat, lon, hosted, sent, emphasis: false }
    }

    #[test]
    fn one_path_per_pair_and_labels_for_hosts() {
        let m = FlowMap {
            id: "m".into(),
            title: "Flows".into(),
            desc: "d".into(),
            points: vec![
                point("无锡", 31.49, 120.31, 0, 9),
                point("上海", 31.23, 121.47, 2, 0),
                point("深圳", 22.54, 114.06, 7, 0),
            ],
            flows: vec![Flow { from: 0, to: 1, count: 2 }, Flow { from: 0, to: 2, count: 7 }],
            legend: MapLegend {
                host: "h".into(),
                home: "o".into(),
                flow: "f".into(),
                reference: "r".into(),
                inset: "i".into(),
            },
            lang: "zh-CN".into(),
            width: WIDE,
        };
        let svg = flow_map(&m);
        assert_eq!(svg.matches("class=\"arc\"").count(), 3, "two flows and the legend sample");
        assert!(svg.contains(">深圳 7</text>") && svg.contains(">上海 2</text>"));
        assert!(svg.contains("<title>无锡 → 深圳: 7</title>"));
    }
}
