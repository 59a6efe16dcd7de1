//! `network.svg`: the notebook's NNV-style diagram of each trained network:
//! units as circles, edges coloured by the weight's sign (blue `w > 0`, orange
//! `w < 0`) and `1 + 9·|w| / max|w|` pixels wide, every edge labelled with its
//! weight (up to [`MAX_LABELLED_EDGES`] edges a panel).
//!
//! Each label sits on its own edge, on a white patch that interrupts it, so it
//! is read as that edge's weight: at the point along the edge where its box
//! meets the fewest other edges, circles and labels ([`place_labels`]; none
//! in the notebook's networks). The two-layer output unit is marked as having no
//! bias input. All geometry is in picture pixels of the panel.

use plotters::prelude::*;

use perceptron::Network;

use crate::sweep::numbers::fixed;
use crate::sweep::plots::{Area, NEGATIVE, POSITIVE, PlotResult, Px, svg};

/// Unit radius.
const RADIUS: f64 = 22.0;
/// The clearance between a label and any line or circle.
const GAP: f64 = 3.0;
/// Edges are labelled with their weights up to this many in a panel (3→H→1
/// has `4H` edges: every `H ≤ 10`); a larger network is drawn without labels,
/// which a 560-pixel panel could not show, and says so (placing them is
/// quadratic in the edges: `--hidden 1024` took minutes).
const MAX_LABELLED_EDGES: usize = 40;
/// Label font size; a label's box is `CHAR_WIDTH` per character by `size` tall.
const LABEL_SIZE: u32 = 13;
const CHAR_WIDTH: f64 = 7.0;

/// The picture's height (a panel's drawing height is this less the title's 55 pixels).
const HEIGHT: u32 = 600;

/// A panel's width for a network of `columns` columns of units: 270 pixels
/// between columns (a 3→4→1 network's labels all find a clear spot on their edges).
fn panel_width(columns: usize) -> u32 {
    140 + 270 * (columns as u32 - 1)
}

/// The diagram of each `(title, network)`, side by side.
pub fn network(nets: &[(&str, &Network)]) -> anyhow::Result<String> {
    let widths: Vec<u32> = nets.iter().map(|(_, n)| panel_width(n.layers().len() + 1)).collect();
    svg((widths.iter().sum(), HEIGHT), |root, px| {
        // Short enough for one panel's width.
        let root = root.titled("Edge width ∝ |w|; blue w > 0, orange w < 0", px.font(18))?;
        let mut rest = root;
        for ((title, net), w) in nets.iter().zip(&widths) {
            let (panel, right) = rest.split_horizontally(px.size(*w));
            draw_network(&panel, px, title, net)?;
            rest = right;
        }
        Ok(())
    })
}

/// Where a network's units are drawn, in picture pixels of its panel.
struct Layout {
    /// Units per column: 3 inputs, then each layer's outputs.
    sizes: Vec<usize>,
    w: i32,
    h: i32,
}

impl Layout {
    fn column_x(&self, c: usize) -> i32 {
        80 + (self.w - 160) * c as i32 / (self.sizes.len() as i32 - 1)
    }

    fn unit(&self, c: usize, i: usize) -> (i32, i32) {
        let n = self.sizes[c] as i32;
        (self.column_x(c), 60 + (self.h - 120) * (2 * i as i32 + 1) / (2 * n))
    }

    fn name(&self, c: usize, i: usize) -> String {
        match (c, i) {
            (0, 0) => "x1".to_owned(),
            (0, 1) => "x2".to_owned(),
            (0, _) => "bias".to_owned(),
            (c, _) if c == self.sizes.len() - 1 => "o".to_owned(),
            // 0-based, as `hidden_units.svg` and `W2[j]` count them.
            (_, i) => format!("h{i}"),
        }
    }

    /// Every unit's centre.
    fn units(&self) -> Vec<(f64, f64)> {
        let all = self.sizes.iter().enumerate().flat_map(|(c, &n)| (0..n).map(move |i| (c, i)));
        all.map(|(c, i)| self.unit(c, i)).map(|(x, y)| (f64::from(x), f64::from(y))).collect()
    }
}

/// One edge: its ends, its width in pixels, its weight.
#[derive(Clone, Copy, Debug)]
struct Edge {
    from: (f64, f64),
    to: (f64, f64),
    width: f64,
    weight: f64,
}

impl Edge {
    fn color(&self) -> RGBColor {
        if self.weight >= 0.0 { POSITIVE } else { NEGATIVE }
    }
}

fn edges(layout: &Layout, layers: &[ndarray::Array2<f64>]) -> Vec<Edge> {
    let largest = layers.iter().flat_map(|m| m.iter()).fold(0.0f64, |a, v| a.max(v.abs())).max(1e-12);
    let point = |(x, y): (i32, i32)| (f64::from(x), f64::from(y));
    let mut out = Vec::new();
    for (l, m) in layers.iter().enumerate() {
        for ((i, j), &weight) in m.indexed_iter() {
            // At most 10 px: `9·|v| / largest` is NaN or ∞ when the weights overflow
            // (`as u32` maps NaN to 0, `min` caps ∞).
            let width = f64::from(1 + (9.0 * weight.abs() / largest).round().min(9.0) as u32);
            out.push(Edge { from: point(layout.unit(l, i)), to: point(layout.unit(l + 1, j)), width, weight });
        }
    }
    out
}

fn draw_network(area: &Area<'_>, px: Px, title: &str, net: &Network) -> PlotResult {
    let (w, h) = area.dim_in_pixel();
    area.draw(&Text::new(title.to_owned(), px.at((20, 10)), px.font(18)))?;
    let layers = net.layers();
    let mut sizes = vec![3usize];
    sizes.extend(layers.iter().map(|m| m.ncols()));
    let layout = Layout { sizes, w: w as i32 / px.of(1), h: h as i32 / px.of(1) };
    let edges = edges(&layout, &layers);
    // Fractional picture pixels, to the canvas pixel (`1 / Px` of one).
    let k = f64::from(px.size(1));
    let fine = |(x, y): (f64, f64)| ((x * k).round() as i32, (y * k).round() as i32);
    for e in &edges {
        area.draw(&PathElement::new(vec![fine(e.from), fine(e.to)], px.line(e.color().mix(0.8), e.width as u32)))?;
    }
    for (c, &n) in layout.sizes.iter().enumerate() {
        for i in 0..n {
            let at = px.at(layout.unit(c, i));
            area.draw(&Circle::new(at, px.size(RADIUS as u32), WHITE.filled()))?;
            area.draw(&Circle::new(at, px.size(RADIUS as u32), px.line(BLACK, 2)))?;
            let label = layout.name(c, i);
            let dx = (7 * label.len() as i32) / 2;
            area.draw(&Text::new(label, (at.0 - px.of(dx), at.1 - px.of(7)), px.font(13)))?;
        }
    }
    let bounds = (0.0, 30.0, f64::from(layout.w), f64::from(layout.h - 50));
    if edges.len() <= MAX_LABELLED_EDGES {
        for (e, label) in edges.iter().zip(place_labels(&edges, &layout.units(), bounds)) {
            let b = label_box(&label.text, label.corner);
            let patch = [fine((b.0 - 2.0, b.1 - 1.0)), fine((b.2 + 2.0, b.3 + 1.0))];
            area.draw(&Rectangle::new(patch, WHITE.filled()))?;
            area.draw(&Text::new(label.text, fine(label.corner), px.font(LABEL_SIZE).color(&e.color())))?;
        }
    } else {
        let note = format!("{} edges: weights labelled up to {MAX_LABELLED_EDGES}", edges.len());
        area.draw(&Text::new(note, px.at((20, 32)), px.font(13)))?;
    }
    let captions = ["input", "hidden (σ)", "output (σ)"];
    let last = layout.sizes.len() - 1;
    for c in 0..layout.sizes.len() {
        let name = if c == last { captions[2] } else { captions[c.min(1)] };
        area.draw(&Text::new(name, px.at((layout.column_x(c) - 30, layout.h - 40)), px.font(15)))?;
    }
    if last > 1 {
        // The hidden layer gets the bias input; the output unit does not (o = σ(h·W2)).
        let at = (layout.column_x(last) - 30, layout.h - 20);
        area.draw(&Text::new("no bias input", px.at(at), px.font(15).color(&BLACK.mix(0.7))))?;
    }
    Ok(())
}

/// A placed label: its text and its box's top-left corner.
#[derive(Clone, Debug, PartialEq)]
struct Label {
    text: String,
    corner: (f64, f64),
}

/// An axis-aligned box: left, top, right, bottom.
type Box2 = (f64, f64, f64, f64);

fn label_box(text: &str, corner: (f64, f64)) -> Box2 {
    (corner.0, corner.1, corner.0 + CHAR_WIDTH * text.chars().count() as f64, corner.1 + f64::from(LABEL_SIZE))
}

/// The distance from `p` to the box `b` (0 inside).
fn point_box(p: (f64, f64), b: Box2) -> f64 {
    let dx = (b.0 - p.0).max(p.0 - b.2).max(0.0);
    let dy = (b.1 - p.1).max(p.1 - b.3).max(0.0);
    dx.hypot(dy)
}

/// The distance from `p` to the segment `a`–`b`.
fn point_segment(p: (f64, f64), a: (f64, f64), b: (f64, f64)) -> f64 {
    let (dx, dy) = (b.0 - a.0, b.1 - a.1);
    let t = (((p.0 - a.0) * dx + (p.1 - a.1) * dy) / (dx * dx + dy * dy).max(1e-12)).clamp(0.0, 1.0);
    (p.0 - a.0 - t * dx).hypot(p.1 - a.1 - t * dy)
}

/// Whether the segment `a`–`b` meets the box (Liang–Barsky clipping).
fn segment_meets_box(a: (f64, f64), b: (f64, f64), bx: Box2) -> bool {
    let (dx, dy) = (b.0 - a.0, b.1 - a.1);
    let (mut lo, mut hi) = (0.0f64, 1.0f64);
    for (p, q) in [(-dx, a.0 - bx.0), (dx, bx.2 - a.0), (-dy, a.1 - bx.1), (dy, bx.3 - a.1)] {
        if p == 0.0 {
            if q < 0.0 {
                return false;
            }
        } else if p < 0.0 {
            lo = lo.max(q / p);
        } else {
            hi = hi.min(q / p);
        }
    }
    lo <= hi
}

/// The distance from the segment `a`–`b` to the box: 0 when they meet, else the
/// nearest of the segment's ends to the box and the box's corners to the segment.
fn segment_box(a: (f64, f64), b: (f64, f64), bx: Box2) -> f64 {
    if segment_meets_box(a, b, bx) {
        return 0.0;
    }
    let corners = [(bx.0, bx.1), (bx.2, bx.1), (bx.0, bx.3), (bx.2, bx.3)];
    let ends = point_box(a, bx).min(point_box(b, bx));
    corners.iter().map(|&c| point_segment(c, a, b)).fold(ends, f64::min)
}

/// What a label box at `b` on edge `own` runs into (another label counts 3): the other edges
/// (each at its half width plus [`GAP`]), unit circles, labels already placed, the panel's `bounds`.
fn conflicts(b: Box2, own: usize, edges: &[Edge], units: &[(f64, f64)], placed: &[Box2], bounds: Box2) -> usize {
    let others = edges.iter().enumerate().filter(|&(k, _)| k != own).map(|(_, e)| e);
    let lines = others.filter(|e| segment_box(e.from, e.to, b) < e.width / 2.0 + GAP).count();
    let circles = units.iter().filter(|&&u| point_box(u, b) < RADIUS + GAP).count();
    let overlaps = |p: &&Box2| p.0 < b.2 + GAP && b.0 < p.2 + GAP && p.1 < b.3 + GAP && b.1 < p.3 + GAP;
    let labels = placed.iter().filter(overlaps).count();
    let outside = usize::from(b.0 < bounds.0 || b.1 < bounds.1 || b.2 > bounds.2 || b.3 > bounds.3);
    lines + circles + 3 * labels + 10 * outside
}

/// One label per edge, in edge order, each centred on its edge: of the points
/// `t = 0.1, 0.1125, …, 0.9` along the edge, the one whose box has the fewest
/// [`conflicts`]; among equals the nearest to `t = 0.5` (then the lower `t`).
fn place_labels(edges: &[Edge], units: &[(f64, f64)], bounds: Box2) -> Vec<Label> {
    let mut placed: Vec<Box2> = Vec::new();
    let mut labels = Vec::new();
    for (own, e) in edges.iter().enumerate() {
        let text = fixed(e.weight, 2);
        let (w, h) = (CHAR_WIDTH * text.chars().count() as f64, f64::from(LABEL_SIZE));
        let candidates = (8..=72i32).map(|k| {
            let t = f64::from(k) / 80.0;
            let centre = (e.from.0 + t * (e.to.0 - e.from.0), e.from.1 + t * (e.to.1 - e.from.1));
            let corner = (centre.0 - w / 2.0, centre.1 - h / 2.0);
            let b = label_box(&text, corner);
            ((conflicts(b, own, edges, units, &placed, bounds), (k - 40).abs(), k), corner, b)
        });
        let (_, corner, b) = candidates.min_by_key(|c| c.0).expect("65 candidates");
        placed.push(b);
        labels.push(Label { text, corner });
    }
    labels
}

#[cfg(test)]
mod tests {
    use super::*;
    use perceptron::Architecture;

    /// The picture's title takes this much of its height.
    const TITLE: i32 = 55;

    #[test]
    fn no_label_meets_a_line_a_circle_or_another_label() {
        // The notebook's two-layer shape, 3→4→1, with weights of both signs and sizes.
        let net = Network::from_weights(
            Architecture::two_layer(4),
            &[4.7, -2.1, 0.3, -6.2, 3.3, 1.2, -0.8, 5.5, 2.2, -1.9, 0.05, -4.4, -3.1, 6.7, -6.3, 0.8],
        );
        let layers = net.layers();
        let (w, h) = (panel_width(3) as i32, HEIGHT as i32 - TITLE);
        let layout = Layout { sizes: vec![3, 4, 1], w, h };
        let edges = edges(&layout, &layers);
        let units = layout.units();
        let bounds = (0.0, 30.0, f64::from(w), f64::from(h - 50));
        let labels = place_labels(&edges, &units, bounds);
        assert_eq!(labels.len(), 16, "every weight is labelled");
        let boxes: Vec<Box2> = labels.iter().map(|l| label_box(&l.text, l.corner)).collect();
        for (k, b) in boxes.iter().enumerate() {
            let before: Vec<Box2> = boxes[..k].to_vec();
            assert_eq!(conflicts(*b, k, &edges, &units, &before, bounds), 0, "label {k} {:?}", labels[k]);
            // Centred on its own edge, so that it is read as that edge's weight.
            let centre = ((b.0 + b.2) / 2.0, (b.1 + b.3) / 2.0);
            assert!(point_segment(centre, edges[k].from, edges[k].to) < 1e-9, "label {k} {:?}", labels[k]);
        }
    }

    /// Label placement is quadratic in the edges: `--hidden 128` took 4.3 s and
    /// `--hidden 1024` did not finish in a minute; past 40 edges a panel is
    /// drawn without labels and says so.
    #[test]
    fn a_thousand_hidden_units_draw_in_bounded_time() {
        let net = Network::init(Architecture::two_layer(1024), 1);
        let started = std::time::Instant::now();
        let svg = network(&[("Two layers 3→1024→1", &net)]).expect("drawn");
        assert!(started.elapsed().as_secs() < 20, "{:?}", started.elapsed());
        assert!(svg.contains("4096 edges: weights labelled up to 40"), "the picture says why it has no labels");
    }

    #[test]
    fn the_notebook_diagram_labels_every_weight_in_the_clear() {
        // The two-layer network of `network.svg`: seed 1, H = 4, 50000 steps at rate 1.
        let config = perceptron::Config {
            seed: 1,
            iterations: 50_000,
            learning_rate: 1.0,
            architecture: Architecture::two_layer(4),
            removed_rows: Vec::new(),
        }
        .check_on(&perceptron::Dataset::notebook())
        .expect("the notebook's configuration");
        let net = perceptron::train(&config, &perceptron::Schedule::Off).network;
        let (w, h) = (panel_width(3) as i32, HEIGHT as i32 - TITLE);
        let layout = Layout { sizes: vec![3, 4, 1], w, h };
        let edges = edges(&layout, &net.layers());
        let (units, bounds) = (layout.units(), (0.0, 30.0, f64::from(w), f64::from(h - 50)));
        let labels = place_labels(&edges, &units, bounds);
        for (k, l) in labels.iter().enumerate() {
            let before: Vec<Box2> = labels[..k].iter().map(|l| label_box(&l.text, l.corner)).collect();
            assert_eq!(conflicts(label_box(&l.text, l.corner), k, &edges, &units, &before, bounds), 0, "{l:?}");
        }
    }

    #[test]
    fn distances() {
        assert_eq!(point_box((0.0, 0.0), (3.0, 4.0, 5.0, 6.0)), 5.0);
        assert_eq!(point_box((4.0, 5.0), (3.0, 4.0, 5.0, 6.0)), 0.0);
        assert_eq!(point_segment((0.0, 1.0), (-1.0, 0.0), (1.0, 0.0)), 1.0);
        // A horizontal segment through the box meets it; one 2 px above it is 2 px away.
        assert_eq!(segment_box((0.0, 5.0), (10.0, 5.0), (4.0, 4.0, 6.0, 6.0)), 0.0);
        assert_eq!(segment_box((0.0, 2.0), (10.0, 2.0), (4.0, 4.0, 6.0, 6.0)), 2.0);
        // A diagonal crossing the box without an end or a corner inside it meets it.
        assert_eq!(segment_box((0.0, 0.0), (10.0, 10.0), (4.0, 3.0, 6.0, 8.0)), 0.0);
        // A diagonal passing the box: its corner (4, 6) is |4 − 6| / √2 = √2 from the line y = x.
        assert!((segment_box((0.0, 0.0), (10.0, 10.0), (2.0, 6.0, 4.0, 9.0)) - 2f64.sqrt()).abs() < 1e-12);
    }
}
