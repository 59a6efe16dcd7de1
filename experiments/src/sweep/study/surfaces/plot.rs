//! `surfaces.svg`: the four panels as 2×2 heat maps of `o(x1, x2)` (orange = 0,
//! white = 0.5, blue = 1) with the 0.5 contour, the training rows marked by
//! their targets, and a colour bar with the markers' legend.

use anyhow::Result;
use plotters::prelude::*;

use super::{Panel, contour, coordinate};
use crate::sweep::numbers::shortest;
use crate::sweep::plots::{Area, Frame, Grid, PlotResult, Px, framed, svg};

/// Orange (0) → white (0.5) → blue (1).
fn heat(o: f64) -> RGBColor {
    let (c, t) = if o < 0.5 { ((213.0, 94.0, 0.0), 1.0 - 2.0 * o) } else { ((0.0, 114.0, 178.0), 2.0 * o - 1.0) };
    let t = t.clamp(0.0, 1.0);
    let mix = |c: f64| (255.0 - t * (255.0 - c)).round() as u8;
    RGBColor(mix(c.0), mix(c.1), mix(c.2))
}

/// The picture of `panels` (in the order one layer x1, two layers x1, one layer xor, two layers xor).
pub fn plot(panels: &[Panel]) -> Result<String> {
    svg((1120, 1060), |root, px| {
        let (main, bar) = root.split_horizontally(px.size(980));
        let (top, body) = main.split_vertically(px.size(50));
        top.draw(&Text::new(
            "Decision surfaces: output o(x1, x2) with x3 = 1; black line: o = 0.5",
            px.at((490, 25)),
            px.centred(22),
        ))?;
        for (area, p) in body.split_evenly((2, 2)).iter().zip(panels) {
            draw_panel(area, px, p)?;
        }
        colour_bar(&bar, px)
    })
}

fn draw_panel(area: &Area<'_>, px: Px, p: &Panel) -> PlotResult {
    let half = 0.025;
    let range = -0.5 - half..1.5 + half;
    let tick = |v: &f64| if v.abs() < 1e-9 { "0".to_owned() } else { format!("{v:.1}") };
    let title = p.title();
    // Only this chart's particulars; the rest is `Frame::default()` (`plots/frame.rs`).
    let frame = Frame {
        title: Some(&title),
        title_size: 18,
        x_desc: "x1",
        y_desc: "x2",
        x_ticks: Some(&tick),
        y_ticks: Some(&tick),
        grid: Grid::None,
        margin: [10; 4],
        x_area: 40,
        y_area: 45,
        text: 13,
        ..Frame::default()
    };
    let mut chart = framed(area, px, &frame, range.clone(), range)?;
    chart.draw_series(p.values.iter().enumerate().flat_map(|(i, col)| {
        col.iter().enumerate().map(move |(j, &o)| {
            let (x, y) = (coordinate(i), coordinate(j));
            // 0.006 (about one pixel) of overlap, so no white seams show between cells.
            let (lo, hi) = (half, half + 0.006);
            Rectangle::new([(x - lo, y - lo), (x + hi, y + hi)], heat(o).filled())
        })
    }))?;
    chart.draw_series(contour(&p.values, 0.5).into_iter().map(|s| PathElement::new(s.to_vec(), px.line(BLACK, 3))))?;
    let flat = p.spread();
    if flat < 0.01 {
        let note = format!("o = 0.5 ± {flat:.0e} everywhere: the contour is rounding noise");
        chart.draw_series([Text::new(note, (-0.45, 1.42), px.font(14))])?;
    }
    let targets = p.function.targets();
    for (x, y) in perceptron::NOTEBOOK_INPUTS.iter().zip(targets) {
        let at = (x[0], x[1]);
        let fill = if y >= 0.5 { BLACK } else { WHITE };
        chart.draw_series([
            Circle::new(at, px.size(9), fill.filled()),
            Circle::new(at, px.size(9), px.line(BLACK, 2)),
        ])?;
        let label = format!("y = {}", shortest(y));
        chart.draw_series([Text::new(label, (x[0] + 0.07, x[1] + 0.09), px.font(14))])?;
    }
    Ok(())
}

/// The colour bar with the marker legend under it.
fn colour_bar(bar: &Area<'_>, px: Px) -> PlotResult {
    let (x0, y0, h) = (20, 120, 600);
    for k in 0..h {
        let o = 1.0 - f64::from(k) / f64::from(h - 1);
        // Two pixels tall, the lower one covered by the next step: no seam shows between steps.
        let bottom = (y0 + k + 2).min(y0 + h);
        bar.draw(&Rectangle::new([px.at((x0, y0 + k)), px.at((x0 + 28, bottom))], heat(o).filled()))?;
    }
    bar.draw(&Rectangle::new([px.at((x0, y0)), px.at((x0 + 28, y0 + h))], px.line(BLACK.mix(0.5), 1)))?;
    for (o, label) in [(1.0, "1"), (0.75, "0.75"), (0.5, "0.5"), (0.25, "0.25"), (0.0, "0")] {
        let y = y0 + ((1.0 - o) * f64::from(h - 1)) as i32;
        bar.draw(&PathElement::new(vec![px.at((x0 + 28, y)), px.at((x0 + 34, y))], px.line(BLACK, 1)))?;
        bar.draw(&Text::new(label, px.at((x0 + 38, y - 7)), px.font(14)))?;
    }
    let text = |s, at| Text::new(s, px.at(at), px.font(14));
    bar.draw(&Text::new("output o", px.at((x0 - 5, y0 - 30)), px.font(15)))?;
    bar.draw(&Circle::new(px.at((x0 + 8, y0 + h + 40)), px.size(8), BLACK.filled()))?;
    bar.draw(&text("y = 1", (x0 + 22, y0 + h + 33)))?;
    bar.draw(&Circle::new(px.at((x0 + 8, y0 + h + 70)), px.size(8), px.line(BLACK, 2)))?;
    bar.draw(&text("y = 0", (x0 + 22, y0 + h + 63)))?;
    bar.draw(&text("training", (x0 - 5, y0 + h + 95)))?;
    bar.draw(&text("rows", (x0 - 5, y0 + h + 113)))?;
    Ok(())
}
