//! Study A's curves: `sigmoid.svg` (σ(x) = 1 / (1 + e^(−x)) on [−6, 6]),
//! `errors.svg` (each row's error `y − o` against the iteration, linear and
//! log–log) and `weights.svg` (each weight against the iteration, linear and
//! log iteration axis).

use plotters::prelude::*;

use perceptron::{Network, Trained};

use crate::sweep::numbers::{axis, inside, log_axis, shortest};
use crate::sweep::plots::{Frame, NEGATIVE, framed, legend, line_key, lines, log_range, pair, svg, whole};

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
