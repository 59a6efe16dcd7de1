//! Study A's figures: `sigmoid.svg` (σ(x) = 1 / (1 + e^(−x)) on [−6, 6]),
//! `network.svg` (each trained network as units and weighted edges),
//! `errors.svg` (each row's error `y − o` against the iteration, linear and
//! log–log) and `weights.svg` (each weight against the iteration, linear and
//! log iteration axis).

use plotters::prelude::*;

use perceptron::{Network, Trained};

use super::super::super::numbers::{axis, fixed, inside, log_axis, shortest};
use super::super::super::plots::{
    Area, Frame, NEGATIVE, POSITIVE, PlotResult, Px, framed, legend, line_key, lines, log_range, pair, svg, whole,
};

/// `sigmoid.svg`: σ(x) on [−6, 6] with the axes x = 0 and y = 0 dashed.
pub fn sigmoid() -> anyhow::Result<String> {
    svg((800, 500), |root, px| {
        let frame = Frame {
            title: Some("The activation function σ(x) = 1 / (1 + e^(−x))"),
            x_desc: "x",
            y_desc: "σ(x)",
            y_area: 55,
            ..Frame::default()
        };
        let mut chart = framed(root, px, &frame, -6.0..6.0, -0.05..1.05)?;
        let dashed = px.line(BLACK, 2);
        let dash = |a, b| DashedLineSeries::new([a, b], px.size(8), px.size(6), dashed);
        chart.draw_series(dash((-6.0, 0.0), (6.0, 0.0)))?;
        chart.draw_series(dash((0.0, -0.05), (0.0, 1.05)))?;
        let curve = (0..=240).map(|i| -6.0 + 12.0 * f64::from(i) / 240.0).map(|x| (x, perceptron::sigmoid(x)));
        lines(&mut chart, px, 3, [("σ(x)".to_owned(), curve.collect())])?;
        // Drawn after the mesh (so above its grid line at 0.5), dashed and dark.
        let threshold = px.line(NEGATIVE, 2);
        chart
            .draw_series(DashedLineSeries::new([(-6.0, 0.5), (6.0, 0.5)], px.size(10), px.size(5), threshold))?
            .label("σ = 0.5: the decision threshold")
            .legend(line_key(px, NEGATIVE));
        chart.draw_series(std::iter::once(Text::new(
            "σ = 0.5: the decision threshold",
            (1.0, 0.56),
            px.font(15).color(&NEGATIVE),
        )))?;
        legend(&mut chart, px, SeriesLabelPosition::UpperLeft)
    })
}

/// `network.svg`: the notebook's NNV-style diagram for each trained network:
/// units as circles, edges coloured by the weight's sign and as wide as |w|.
pub fn network(nets: &[(&str, &Network)]) -> anyhow::Result<String> {
    let width = 560 * nets.len() as u32;
    svg((width, 560), |root, px| {
        let root = root.titled("Trained networks: edge width ∝ |w|, blue w > 0, orange w < 0", px.font(22))?;
        let panels = root.split_evenly((1, nets.len()));
        for (panel, (title, net)) in panels.iter().zip(nets) {
            draw_network(panel, px, title, net)?;
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
            (_, i) => format!("h{}", i + 1),
        }
    }
}

fn draw_network(area: &Area<'_>, px: Px, title: &str, net: &Network) -> PlotResult {
    let (w, h) = area.dim_in_pixel();
    area.draw(&Text::new(title.to_owned(), px.at((20, 10)), px.font(18)))?;
    let layers = net.layers();
    let mut sizes = vec![3usize];
    sizes.extend(layers.iter().map(|m| m.ncols()));
    let layout = Layout { sizes, w: w as i32 / px.of(1), h: h as i32 / px.of(1) };
    draw_edges(area, px, &layout, &layers)?;
    for (c, &n) in layout.sizes.iter().enumerate() {
        for i in 0..n {
            let at = px.at(layout.unit(c, i));
            area.draw(&Circle::new(at, px.size(22), WHITE.filled()))?;
            area.draw(&Circle::new(at, px.size(22), px.line(BLACK, 2)))?;
            let label = layout.name(c, i);
            let dx = (7 * label.len() as i32) / 2;
            area.draw(&Text::new(label, (at.0 - px.of(dx), at.1 - px.of(7)), px.font(13)))?;
        }
    }
    let captions = ["input", "hidden (σ)", "output (σ)"];
    for c in 0..layout.sizes.len() {
        let name = if c == layout.sizes.len() - 1 { captions[2] } else { captions[c.min(1)] };
        area.draw(&Text::new(name, px.at((layout.column_x(c) - 30, layout.h - 40)), px.font(15)))?;
    }
    Ok(())
}

/// The edges of every layer, coloured by sign, as wide as |w|, labelled where they do not crowd.
fn draw_edges(area: &Area<'_>, px: Px, layout: &Layout, layers: &[ndarray::Array2<f64>]) -> PlotResult {
    let largest = layers.iter().flat_map(|m| m.iter()).fold(0.0f64, |a, v| a.max(v.abs())).max(1e-12);
    for (l, m) in layers.iter().enumerate() {
        for ((i, j), &v) in m.indexed_iter() {
            let from = layout.unit(l, i);
            let to = layout.unit(l + 1, j);
            let c = if v >= 0.0 { POSITIVE } else { NEGATIVE };
            // At most 10 px: `9·|v| / largest` is NaN or ∞ when the weights overflow
            // (`as u32` maps NaN to 0, `min` caps ∞).
            let width = 1 + (9.0 * v.abs() / largest).round().min(9.0) as u32;
            area.draw(&PathElement::new(vec![px.at(from), px.at(to)], px.line(c.mix(0.8), width)))?;
            // Label the edges where they do not crowd: at most 4 in a layer.
            if m.len() <= 4 {
                // Above the edge, on a white patch, so the line never strikes through it.
                let label = fixed(v, 2);
                let at = ((2 * from.0 + to.0) / 3 - 14, (2 * from.1 + to.1) / 3 - 22);
                let width = 7 * label.len() as i32;
                area.draw(&Rectangle::new(
                    [px.at((at.0 - 2, at.1 - 1)), px.at((at.0 + width, at.1 + 15))],
                    WHITE.mix(0.85).filled(),
                ))?;
                area.draw(&Text::new(label, px.at(at), px.font(13).color(&BLACK)))?;
            }
        }
    }
    Ok(())
}

/// The frame of a curve against the iteration, on a linear or a log iteration axis.
fn by_iteration<'a>(log: bool, y_desc: &'a str) -> Frame<'a> {
    let x_desc = if log { "Epoch (iteration), log scale" } else { "Epoch (iteration)" };
    Frame { x_desc, y_desc, x_ticks: Some(&whole), ..Frame::default() }
}

/// `errors.svg`: the error `y − o` of each training row against the iteration,
/// linear and log–log (the notebook's two panels).
pub fn errors(run: &Trained) -> anyhow::Result<String> {
    let records = &run.history.records;
    let rows = records.first().map_or(0, |r| r.errors.len());
    let last = records.last().map_or(1, |r| r.iteration.max(1)) as f64;
    let floor =
        records.iter().flat_map(|r| r.errors.iter()).map(|e| e.abs()).filter(|e| *e > 0.0).fold(1.0f64, f64::min);
    let y_log = log_axis(floor * 0.8, 1.0);
    svg((1400, 520), |root, px| {
        let (left, right) = pair(root, px, "Error of each training row during training (seed 1, one layer)")?;
        let mut chart = framed(&left, px, &by_iteration(false, "Error y − o"), 0.0..last, -1.0..1.0)?;
        let series = (0..rows)
            .map(|i| (format!("row {i}"), records.iter().map(|r| (r.iteration as f64, r.errors[i])).collect()));
        lines(&mut chart, px, 2, series)?;
        legend(&mut chart, px, SeriesLabelPosition::UpperRight)?;
        let frame = by_iteration(true, "|y − o|, log scale");
        let mut chart = framed(&right, px, &frame, log_range(1.0, last)?, log_range(y_log.start, y_log.end)?)?;
        let series = (0..rows).map(|i| {
            let points = records.iter().filter(|r| r.iteration >= 1 && r.errors[i] != 0.0);
            (format!("row {i}"), points.map(|r| (r.iteration as f64, r.errors[i].abs())).collect())
        });
        lines(&mut chart, px, 2, series)?;
        legend(&mut chart, px, SeriesLabelPosition::LowerLeft)
    })
}

/// `weights.svg`: each weight against the iteration, linear and log iteration axis.
pub fn weights(run: &Trained, learning_rate: f64) -> anyhow::Result<String> {
    let records = &run.history.records;
    let names = Network::weight_names(run.network.architecture());
    let last = records.last().map_or(1, |r| r.iteration.max(1)) as f64;
    let (lo, hi) =
        records.iter().flat_map(|r| r.weights.iter()).fold((0.0f64, 0.0f64), |(a, b), &w| (a.min(w), b.max(w)));
    let pad = 0.05 * (hi - lo).max(1e-9);
    let y = axis(lo - pad, hi + pad);
    let series = |from: u64| {
        let y = &y;
        names.iter().enumerate().map(move |(k, name)| {
            let points = records.iter().filter(|r| r.iteration >= from);
            (name.clone(), points.map(|r| (r.iteration as f64, inside(y, r.weights[k]))).collect())
        })
    };
    svg((1400, 520), |root, px| {
        let title =
            format!("Weights against the iteration (seed 1, one layer, learning rate {})", shortest(learning_rate));
        let (left, right) = pair(root, px, &title)?;
        let mut chart = framed(&left, px, &by_iteration(false, "Weight"), 0.0..last, y.clone())?;
        lines(&mut chart, px, 2, series(0))?;
        legend(&mut chart, px, SeriesLabelPosition::MiddleRight)?;
        let mut chart = framed(&right, px, &by_iteration(true, "Weight"), log_range(1.0, last)?, y.clone())?;
        lines(&mut chart, px, 2, series(1))?;
        legend(&mut chart, px, SeriesLabelPosition::UpperLeft)
    })
}
