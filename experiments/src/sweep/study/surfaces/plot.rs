//! `surfaces.svg`: the four panels as 2×2 heat maps of `o(x1, x2)` on the fine
//! grid (orange = 0, white = 0.5, blue = 1, in [`LEVELS`] bands), with the 0.5
//! contour unless the surface is flat, the training rows marked by their
//! targets, each panel titled in its model's colour, and a colour bar with the
//! markers' legend.

use anyhow::Result;
use plotters::prelude::*;

use super::{FINE, FLAT, Panel, fine_coordinate, is_flat, range};
use crate::sweep::numbers::shortest;
use plotters::coord::types::RangedCoordf64;

use crate::sweep::plots::{
    Area, Chart, Frame, Grid, HeatMap, Levels, PlotResult, Px, colour_bar, contour, draw_segments, framed, heat_map,
    model_color, svg,
};

/// The colour bands of the heat maps: an odd count, so that 0.5 is the middle of
/// a band and a flat surface at 0.5 ± rounding is one colour.
const LEVELS: Levels = Levels { count: 41 };

/// Dark grey (0) → white (1): greys only, so that no shade reads as a model's
/// colour (the panels' titles are in their model's colour, `plots::model_color`).
pub(super) fn heat(o: f64) -> RGBColor {
    let v = (60.0 + o.clamp(0.0, 1.0) * (255.0 - 60.0)).round() as u8;
    RGBColor(v, v, v)
}

/// A training row's marker, the one convention of every plot: filled black for
/// target 1, white for target 0, ringed in black inside a white halo so that
/// it shows on any shade.
pub(super) fn row_marker(at: (f64, f64), target: f64, size: u32, px: Px) -> [Circle<(f64, f64), u32>; 3] {
    let fill = if target >= 0.5 { BLACK } else { WHITE };
    [
        Circle::new(at, px.size(size + 2), WHITE.filled()),
        Circle::new(at, px.size(size), fill.filled()),
        Circle::new(at, px.size(size), px.line(BLACK, 2)),
    ]
}

/// The picture of `panels` (in the order one layer x1, two layers x1, one layer xor, two layers xor).
pub fn plot(panels: &[Panel]) -> Result<String> {
    svg((1020, 960), |root, px| {
        let (main, bar) = root.split_horizontally(px.size(880));
        let (top, body) = main.split_vertically(px.size(40));
        top.draw(&Text::new(
            "Decision surfaces: output o(x1, x2) with x3 = 1 (dark 0, white 1); black line: o = 0.5",
            px.at((440, 22)),
            px.centred(22),
        ))?;
        for (area, p) in body.split_evenly((2, 2)).iter().zip(panels) {
            draw_panel(area, px, p)?;
        }
        draw_bar(&bar, px)
    })
}

/// `values` (on the fine grid) as a heat map over the whole chart, `(lo, hi)²`
/// with `lo, hi` the fine grid's ends ± half a step, with its 0.5 contour
/// (`stroke` pixels wide), or, for a flat surface, a note instead of the contour.
pub(super) fn paint(
    chart: &mut Chart<'_, '_, RangedCoordf64, RangedCoordf64>,
    px: Px,
    values: &[Vec<f64>],
    stroke: u32,
) -> PlotResult {
    let half = 0.5 * (fine_coordinate(1) - fine_coordinate(0));
    let (lo, hi) = (fine_coordinate(0) - half, fine_coordinate(FINE - 1) + half);
    let t = |c: usize, r: usize| values[c][r];
    heat_map(
        chart,
        px,
        &HeatMap { cols: FINE, rows: FINE, x: (lo, hi), y: (lo, hi), t: &t, levels: LEVELS, colour: &heat },
    )?;
    if is_flat(values) {
        let note = format!("flat: max − min = {:.0e} < {FLAT:.0e}, no contour drawn", range(values));
        chart.draw_series([Text::new(note, (-0.45, -0.35), px.font(14))])?;
    } else {
        let xs: Vec<f64> = (0..FINE).map(fine_coordinate).collect();
        draw_segments(chart, &contour(&xs, &xs, &|i, j| values[i][j], 0.5), px.line(BLACK, stroke))?;
    }
    Ok(())
}

/// A chart of the plane of the fine grid, x1 across and x2 up, each axis from
/// the grid's first to its last point ± half a step, ticked every 0.5; `title`
/// above it (at `title_size`), if any. For `surfaces.svg` and `hidden_units.svg`.
pub(super) fn plane<'a, 'b>(
    area: &'a Area<'b>,
    px: Px,
    title: Option<&str>,
    title_size: u32,
) -> Result<Chart<'a, 'b, RangedCoordf64, RangedCoordf64>, Box<dyn std::error::Error>> {
    let half = 0.5 * (fine_coordinate(1) - fine_coordinate(0));
    let (lo, hi) = (fine_coordinate(0) - half, fine_coordinate(FINE - 1) + half);
    let tick = |v: &f64| if v.abs() < 1e-9 { "0".to_owned() } else { format!("{v:.1}") };
    // Only this chart's particulars; the rest is `Frame::default()` (`plots/frame.rs`).
    let frame = Frame {
        title,
        title_size,
        x_desc: "x1",
        y_desc: "x2",
        x_ticks: Some(&tick),
        y_ticks: Some(&tick),
        x_labels: Some(5),
        y_labels: Some(5),
        grid: Grid::None,
        margin: [4, 12, 4, 4],
        x_area: 42,
        y_area: 48,
        ..Frame::default()
    };
    framed(area, px, &frame, lo..hi, lo..hi)
}

fn draw_panel(area: &Area<'_>, px: Px, p: &Panel) -> PlotResult {
    let area = area.titled(&p.title(), px.font(18).color(&model_color(p.architecture)))?;
    let mut chart = plane(&area, px, None, 0)?;
    paint(&mut chart, px, &p.fine, 3)?;
    let targets = p.function.targets();
    for (x, y) in perceptron::NOTEBOOK_INPUTS.iter().zip(targets) {
        let at = (x[0], x[1]);
        chart.draw_series(row_marker(at, y, 9, px))?;
        let label = format!("y = {}", shortest(y));
        chart.draw_series([Text::new(label, (x[0] + 0.07, x[1] + 0.1), px.font(15))])?;
    }
    Ok(())
}

/// The colour bar (the heat maps' bands) with the marker legend under it.
fn draw_bar(bar: &Area<'_>, px: Px) -> PlotResult {
    let frame = Frame {
        y_desc: "output o",
        y_ticks: Some(&|v| shortest((v * 100.0).round() / 100.0)),
        y_labels: Some(3),
        grid: Grid::None,
        x_axis: false,
        margin: [120, 36, 240, 0],
        x_area: 0,
        y_area: 64,
        ..Frame::default()
    };
    let mut scale = framed(bar, px, &frame, 0.0..1.0, 0.0..1.0)?;
    colour_bar(&mut scale, px, (0.0, 1.0), LEVELS, &heat)?;
    let (x0, y0) = (14, 960 - 200);
    let text = |s, at| Text::new(s, px.at(at), px.font(15));
    bar.draw(&text("training rows", (x0 - 6, y0)))?;
    bar.draw(&Circle::new(px.at((x0 + 8, y0 + 40)), px.size(8), BLACK.filled()))?;
    bar.draw(&text("y = 1", (x0 + 22, y0 + 32)))?;
    bar.draw(&Circle::new(px.at((x0 + 8, y0 + 70)), px.size(8), px.line(BLACK, 2)))?;
    bar.draw(&text("y = 0", (x0 + 22, y0 + 62)))?;
    Ok(())
}
