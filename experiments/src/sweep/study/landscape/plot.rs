//! `landscape.svg`: the heat map of `log10 L(w1, w3)` (a viridis-like ramp),
//! the training path of `(w1, w3)` with its marks, and a colour bar.

use anyhow::Result;
use plotters::prelude::*;

use super::{Findings, GRID_W1, GRID_W3};
use crate::sweep::numbers::fixed;
use crate::sweep::plots::{Area, Chart, Frame, Grid, NEGATIVE, PlotResult, Px, framed, legend_on, line_key, svg};

/// A colour for `t` in [0, 1]: a perceptually ordered ramp (viridis-like, 5 stops).
fn ramp(t: f64) -> RGBColor {
    const STOPS: [(f64, f64, f64); 5] =
        [(68.0, 1.0, 84.0), (59.0, 82.0, 139.0), (33.0, 145.0, 140.0), (94.0, 201.0, 98.0), (253.0, 231.0, 37.0)];
    let t = if t.is_nan() { 0.0 } else { t.clamp(0.0, 1.0) } * 4.0;
    let i = (t.floor() as usize).min(3);
    let f = t - i as f64;
    let mix = |a: f64, b: f64| (a + (b - a) * f).round() as u8;
    let (a, b) = (STOPS[i], STOPS[i + 1]);
    RGBColor(mix(a.0, b.0), mix(a.1, b.1), mix(a.2, b.2))
}

/// The picture of `f`.
pub fn plot(f: &Findings) -> Result<String> {
    let logs: Vec<f64> = f.grid.iter().map(|g| g.2.max(1e-300).log10()).collect();
    let (lo, hi) = logs.iter().fold((f64::INFINITY, f64::NEG_INFINITY), |(a, b), &v| (a.min(v), b.max(v)));
    let span = (hi - lo).max(1e-9);
    let (dw1, dw3) = ((f.w1_range.1 - f.w1_range.0) / GRID_W1 as f64, (f.w3_range.1 - f.w3_range.0) / GRID_W3 as f64);
    svg((1100, 680), |root, px| {
        let (main, bar) = root.split_horizontally(px.size(960));
        let title =
            format!("Loss landscape L(w1, w3), w2 = {} (its final value); seed 1, one layer", fixed(f.final_w2, 3));
        let frame = Frame {
            title: Some(&title),
            title_size: 21,
            x_desc: "w1 (weight of x1)",
            y_desc: "w3 (weight of the bias input)",
            grid: Grid::None,
            ..Frame::default()
        };
        let mut chart = framed(&main, px, &frame, f.w1_range.0..f.w1_range.1, f.w3_range.0..f.w3_range.1)?;
        // Each cell reaches 30 % into its right and lower neighbours (drawn after it, so
        // they cover that part again): abutting edges would show hairline seams.
        let (right, below) = (f.w1_range.1 - dw1, f.w3_range.0 + dw3);
        chart.draw_series(f.grid.iter().zip(&logs).map(|(&(w1, w3, _), &v)| {
            let c = ramp((v - lo) / span);
            let x1 = w1 + dw1 / 2.0 + if w1 < right { 0.3 * dw1 } else { 0.0 };
            let y0 = w3 - dw3 / 2.0 - if w3 > below { 0.3 * dw3 } else { 0.0 };
            Rectangle::new([(w1 - dw1 / 2.0, y0), (x1, w3 + dw3 / 2.0)], c.filled())
        }))?;
        draw_path(&mut chart, px, f)?;
        legend_on(&mut chart, px, SeriesLabelPosition::UpperRight, 0.9)?;
        colour_bar(&bar, px, lo, span)
    })
}

/// The path of `(w1, w3)` (white under orange) and its marks, labelled `t = …`.
fn draw_path<X, Y>(chart: &mut Chart<'_, '_, X, Y>, px: Px, f: &Findings) -> PlotResult
where
    X: Ranged<ValueType = f64>,
    Y: Ranged<ValueType = f64>,
{
    let path: Vec<(f64, f64)> = f.path.iter().map(|p| (p.w[0], p.w[2])).collect();
    chart.draw_series(LineSeries::new(path.clone(), px.line(WHITE, 5)))?;
    chart
        .draw_series(LineSeries::new(path, px.line(NEGATIVE, 2)))?
        .label("training path of (w1, w3)")
        .legend(line_key(px, NEGATIVE));
    for p in f.path.iter().filter(|p| p.mark) {
        let at = (p.w[0], p.w[2]);
        chart.draw_series([
            Circle::new(at, px.size(5), WHITE.filled()),
            Circle::new(at, px.size(5), px.line(BLACK, 2)),
        ])?;
        let label = format!("t = {}", p.iteration);
        let width = 8 * label.len() as i32;
        // t = 0 is labelled below-left, so that it does not meet t = 1's label.
        let (dx, dy) = if p.iteration == 0 { (-width - 12, 4) } else { (6, -22) };
        chart.draw_series([EmptyElement::at(at)
            + Rectangle::new([px.at((dx, dy)), px.at((dx + width + 6, dy + 18))], WHITE.mix(0.85).filled())
            + Text::new(label, px.at((dx + 3, dy + 2)), px.font(14))])?;
    }
    Ok(())
}

/// The colour bar: `log10 L` from `lo` to `lo + span`.
fn colour_bar(bar: &Area<'_>, px: Px, lo: f64, span: f64) -> PlotResult {
    let frame = Frame {
        y_desc: "log10 L",
        y_ticks: Some(&|v| format!("{v:.1}")),
        grid: Grid::None,
        x_axis: false,
        margin: [45, 10, 60, 0],
        x_area: 0,
        y_area: 55,
        text: 13,
        ..Frame::default()
    };
    let mut scale = framed(bar, px, &frame, 0.0..1.0, lo..lo + span)?;
    let steps = 60;
    scale.draw_series((0..steps).map(|k| {
        // Up to the next step's middle (it covers that again), so no seam shows between steps.
        let (a, b) =
            (lo + span * k as f64 / steps as f64, lo + span * (k as f64 + 1.5).min(steps as f64) / steps as f64);
        Rectangle::new([(0.0, a), (1.0, b)], ramp((k as f64 + 0.5) / steps as f64).filled())
    }))?;
    Ok(())
}
