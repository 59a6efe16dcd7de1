//! `learning_rate.svg`: median iterations to settle against the rate, log–log,
//! one line per model; a cell whose median is "never" is a hollow marker on the
//! "never" band above the plot's top.

use anyhow::Result;
use plotters::prelude::*;

use super::compute::{Findings, model_cells};
use super::{SEEDS, THRESHOLD};
use crate::sweep::numbers::shortest;
use crate::sweep::plots::{Frame, color, framed, legend, log_range, svg};

/// The picture of `f`.
pub fn plot(f: &Findings) -> Result<String> {
    let finite: Vec<f64> = f.cells.iter().filter_map(|c| c.median_settle).collect();
    let longest = f.cells.iter().map(|c| c.iterations).max().unwrap_or(1);
    let lo = finite.iter().copied().fold(f64::INFINITY, f64::min).min(longest.max(1) as f64);
    let lo = if lo.is_finite() { (lo / 2.0).max(0.5) } else { 0.5 };
    let top = longest.max(2) as f64;
    let never = top * 2.5;
    let title = format!("Learning rate: median iterations until max |y − o| stays below {THRESHOLD} ({SEEDS} seeds)");
    let x_ticks = |x: &f64| shortest(*x);
    // No tick labels on the "never" band.
    let y_ticks = |y: &f64| if *y > top * 1.01 { String::new() } else { format!("{y:.0}") };
    // Only this chart's particulars; the rest is `Frame::default()` (`plots/frame.rs`).
    let frame = Frame {
        title: Some(&title),
        title_size: 21,
        x_desc: "Learning rate, log scale",
        y_desc: "Median iterations to settle, log scale",
        x_ticks: Some(&x_ticks),
        y_ticks: Some(&y_ticks),
        y_area: 75,
        ..Frame::default()
    };
    svg((1000, 640), |root, px| {
        let mut chart = framed(root, px, &frame, log_range(0.07, 140.0)?, log_range(lo, never * 1.6)?)?;
        let band = [(0.07, top * 1.6), (140.0, never * 1.6)];
        chart.draw_series([Rectangle::new(band, BLACK.mix(0.06).filled())])?;
        let style = px.font(14).color(&BLACK.mix(0.75));
        let note = "never settled within the run's iterations (median; hollow markers)";
        chart.draw_series([Text::new(note, (0.08, never * 1.45), style)])?;
        for (k, &m) in f.models.iter().enumerate() {
            let c = color(k);
            let cells = model_cells(f, m);
            // Lines join consecutive finite medians only.
            for pair in cells.windows(2) {
                if let (Some(a), Some(b)) = (pair[0].median_settle, pair[1].median_settle) {
                    chart.draw_series(LineSeries::new([(pair[0].rate, a), (pair[1].rate, b)], px.line(c, 2)))?;
                }
            }
            // Offset each model a little on the "never" band so markers do not hide each other.
            let shift = 1.0 + 0.05 * (k as f64 - (f.models.len() as f64 - 1.0) / 2.0);
            chart
                .draw_series(cells.iter().map(|cell| match cell.median_settle {
                    Some(m) => Circle::new((cell.rate, m), px.size(5), c.filled()),
                    None => Circle::new((cell.rate * shift, never), px.size(6), px.line(c, 2)),
                }))?
                .label(m.label())
                .legend(move |(x, y)| {
                    EmptyElement::at((x, y))
                        + PathElement::new(vec![(-px.of(9), 0), (px.of(9), 0)], px.line(c, 2))
                        + Circle::new((0, 0), px.size(4), c.filled())
                });
        }
        legend(&mut chart, px, SeriesLabelPosition::LowerLeft)
    })
}
