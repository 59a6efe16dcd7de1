//! `truth_tables.svg`: per model (panels two to a row, each titled in the
//! model's colour) a 4×4 grid of the 16
//! functions in truth-table order, each cell shaded by the share of seeds that
//! learned it (0 white → 1 dark grey), with its name, its truth table
//! and `learned/seeds`; non-separable functions get a dashed border. A colour
//! bar at the bottom.

use anyhow::Result;
use perceptron::{Architecture, BooleanFunction};
use plotters::prelude::*;

use super::compute::truth_table;
use crate::sweep::plots::{Area, PlotResult, Px, model_color, svg};

/// One cell of the grid: the function, the seeds that learned it, the seeds run.
pub type Cell = (BooleanFunction, usize, usize);

/// Panel width and height, cell size, in picture pixels.
const PANEL: (i32, i32) = (420, 440);
const CELL: i32 = 98;
/// Two panels to a row: the picture is about the README's width, so no text shrinks.
const COLUMNS: i32 = 2;

/// The panels start below the titles.
const TOP: i32 = 85;

/// Share 0 → white, share 1 → dark grey (60, 60, 60): no model's colour, so that
/// the only coloured thing about a model is its panel's title.
fn shade(share: f64) -> RGBColor {
    let mix = |c: u8| (255.0 - share * (255.0 - f64::from(c))).round() as u8;
    RGBColor(mix(60), mix(60), mix(60))
}

/// The picture, one panel per `(model, cells)`.
pub fn plot(models: &[(Architecture, Vec<Cell>)]) -> Result<String> {
    let rows = (models.len() as i32 + COLUMNS - 1) / COLUMNS;
    let width = (PANEL.0 * COLUMNS + 20) as u32;
    let height = (TOP + PANEL.1 * rows + 80) as u32;
    svg((width, height), |root, px| {
        let middle = width as i32 / 2;
        root.draw(&Text::new("Which truth tables are learned?", px.at((middle, 20)), px.centred(22)))?;
        root.draw(&Text::new(
            "Share of seeds with every row on the right side of 0.5. Cell: function, truth table",
            px.at((middle, 46)),
            px.centred(15).color(&BLACK.mix(0.75)),
        ))?;
        root.draw(&Text::new(
            "f(00) f(01) f(10) f(11), seeds learned; dashed border: not linearly separable",
            px.at((middle, 66)),
            px.centred(15).color(&BLACK.mix(0.75)),
        ))?;
        for (k, (model, cells)) in models.iter().enumerate() {
            let (x, y) = (10 + PANEL.0 * (k as i32 % COLUMNS), TOP + PANEL.1 * (k as i32 / COLUMNS));
            let ink = model_color(*model);
            let title = px.centred(19).color(&ink);
            root.draw(&Text::new(model.label(), px.at((x + PANEL.0 / 2, y + 18)), title))?;
            let left = x + (PANEL.0 - 4 * CELL) / 2;
            for (i, &cell) in cells.iter().enumerate() {
                draw_cell(root, px, (left + CELL * (i as i32 % 4), y + 40 + CELL * (i as i32 / 4)), cell)?;
            }
        }
        colour_bar(root, px, (middle - 200, height as i32 - 55))
    })
}

/// One cell with its top-left corner at `(x0, y0)`.
fn draw_cell(root: &Area<'_>, px: Px, (x0, y0): (i32, i32), (f, learned, seeds): Cell) -> PlotResult {
    let share = if seeds == 0 { 0.0 } else { learned as f64 / seeds as f64 };
    let (x1, y1) = (x0 + CELL - 4, y0 + CELL - 4);
    root.draw(&Rectangle::new([px.at((x0, y0)), px.at((x1, y1))], shade(share).filled()))?;
    // Text and dashes in white on a dark cell, black on a light one.
    let ink = if share > 0.55 { WHITE } else { BLACK };
    if f.is_linearly_separable() {
        root.draw(&Rectangle::new([px.at((x0, y0)), px.at((x1, y1))], px.line(BLACK.mix(0.5), 1)))?;
    } else {
        let corners = [(x0, y0), (x1, y0), (x1, y1), (x0, y1), (x0, y0)];
        for w in corners.windows(2) {
            // Dashes of 6 px with gaps of 4 px along each side.
            let (a, b) = (w[0], w[1]);
            let length = (b.0 - a.0).abs().max((b.1 - a.1).abs());
            let along = |d: i32| px.at((a.0 + (b.0 - a.0) * d / length, a.1 + (b.1 - a.1) * d / length));
            for d in (0..length).step_by(10) {
                let dash = vec![along(d), along((d + 6).min(length))];
                root.draw(&PathElement::new(dash, px.line(ink, 2)))?;
            }
        }
    }
    let cx = (x0 + x1) / 2;
    let name = f.name();
    let size = if name.len() > 10 { 13 } else { 16 };
    root.draw(&Text::new(name, px.at((cx, y0 + 24)), px.centred(size).color(&ink)))?;
    root.draw(&Text::new(truth_table(f), px.at((cx, y0 + 48)), px.centred(15).color(&ink)))?;
    root.draw(&Text::new(format!("{learned}/{seeds}"), px.at((cx, y0 + 72)), px.centred(17).color(&ink)))?;
    Ok(())
}

/// The colour bar, share 0 … 1, 400 × 16 pixels from `(bx, by)`.
fn colour_bar(root: &Area<'_>, px: Px, (bx, by): (i32, i32)) -> PlotResult {
    let bw = 400;
    for i in 0..bw {
        let share = f64::from(i) / f64::from(bw - 1);
        // Two pixels wide, the right one covered by the next step: no seam shows between steps.
        let right = (bx + i + 2).min(bx + bw);
        root.draw(&Rectangle::new([px.at((bx + i, by)), px.at((right, by + 16))], shade(share).filled()))?;
    }
    root.draw(&Rectangle::new([px.at((bx, by)), px.at((bx + bw, by + 16))], px.line(BLACK.mix(0.5), 1)))?;
    for (t, s) in [(0.0, "0"), (0.5, "0.5"), (1.0, "1")] {
        root.draw(&Text::new(s, px.at((bx + (t * f64::from(bw)) as i32, by + 30)), px.centred(14)))?;
    }
    root.draw(&Text::new("share of seeds that learned", px.at((bx - 110, by + 8)), px.centred(14)))?;
    Ok(())
}
