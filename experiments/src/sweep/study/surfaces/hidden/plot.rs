//! `hidden_units.svg`: one heat map per hidden unit and one of the output
//! (see the module above), then the colour bar and the markers' meaning.

use anyhow::Result;
use perceptron::NOTEBOOK_INPUTS;
use plotters::prelude::*;

use super::{Unit, coordinate};
use crate::sweep::numbers::fixed;
use crate::sweep::plots::{Area, Frame, Grid, NEGATIVE, POSITIVE, PlotResult, Px, framed, svg};
use crate::sweep::study::surfaces::contour_with;
use crate::sweep::study::truth_tables::truth_table;

/// Colour steps between white and each end of the diverging scale.
const LEVELS: f64 = 16.0;
/// Panels per row of the picture.
const COLUMNS: usize = 3;

/// Orange (0) → white (0.5) → blue (1), in [`LEVELS`] steps a side.
fn heat(v: f64) -> RGBColor {
    let (end, t) = if v < 0.5 { (NEGATIVE, 1.0 - 2.0 * v) } else { (POSITIVE, 2.0 * v - 1.0) };
    let t = (t.clamp(0.0, 1.0) * LEVELS).round() / LEVELS;
    let mix = |c: u8| (255.0 - t * (255.0 - f64::from(c))).round() as u8;
    RGBColor(mix(end.0), mix(end.1), mix(end.2))
}

/// `hidden_units.svg`: one panel per unit, then the output's, then the colour bar.
pub fn plot(units: &[Unit], title: &str) -> Result<String> {
    let rows = (units.len() + 1).div_ceil(COLUMNS);
    let height = 46 + 360 * rows as u32;
    let picture = svg((1100, height), |root, px| {
        let (top, body) = root.split_vertically(px.size(46));
        top.draw(&Text::new(title.to_owned(), px.at((550, 24)), px.centred(20)))?;
        let areas = body.split_evenly((rows, COLUMNS));
        for (area, u) in areas.iter().zip(units) {
            draw_unit(area, px, u)?;
        }
        match areas.get(units.len()) {
            Some(area) => key(area, px),
            None => Ok(()),
        }
    })?;
    Ok(without_defaults(&picture))
}

/// Drops what every filled rectangle states at its SVG default (`opacity="1"`,
/// `stroke="none"`): a third of each heat cell's bytes. Each element is one line.
fn without_defaults(svg: &str) -> String {
    let mut out = String::with_capacity(svg.len());
    for line in svg.split_inclusive('\n') {
        if line.starts_with("<rect ") && line.contains(" opacity=\"1\" fill=\"#") && line.contains(" stroke=\"none\"/>")
        {
            out.push_str(&line.replacen(" opacity=\"1\"", "", 1).replacen(" stroke=\"none\"", "", 1));
        } else {
            out.push_str(line);
        }
    }
    out
}

fn draw_unit(area: &Area<'_>, px: Px, u: &Unit) -> PlotResult {
    let half = 0.01;
    let range = -0.5 - half..1.5 + half;
    let tick = |v: &f64| if v.abs() < 1e-9 { "0".to_owned() } else { format!("{v:.1}") };
    let title = match u.weight {
        Some(w) => format!("{}: {} ({}), W2 = {}", u.name(), u.function, truth_table(u.function), fixed(w, 2)),
        None => format!("{}: {} ({})", u.name(), u.function, truth_table(u.function)),
    };
    let frame = Frame {
        title: Some(&title),
        title_size: 16,
        x_desc: "x1",
        y_desc: "x2",
        x_ticks: Some(&tick),
        y_ticks: Some(&tick),
        x_labels: Some(5),
        y_labels: Some(5),
        grid: Grid::None,
        margin: [6, 14, 6, 6],
        x_area: 40,
        y_area: 46,
        text: 14,
        ..Frame::default()
    };
    let mut chart = framed(area, px, &frame, range.clone(), range)?;
    let cells = blocks(&u.values).into_iter().map(|b| {
        // 0.008 (half a cell) of overlap up and right: no seams show between blocks.
        let (x0, x1) = (coordinate(b.columns.0) - half, coordinate(b.columns.1) + half + 0.008);
        let (y0, y1) = (coordinate(b.rows.0) - half, coordinate(b.rows.1) + half + 0.008);
        Rectangle::new([(x0, y0), (x1, y1)], b.colour.filled())
    });
    chart.draw_series(cells)?;
    let contour = contour_with(&u.values, 0.5, coordinate);
    chart.draw_series(contour.into_iter().map(|s| PathElement::new(s.to_vec(), px.line(BLACK, 2))))?;
    for (x, v) in NOTEBOOK_INPUTS.iter().zip(u.rows) {
        let fill = if v > 0.5 { BLACK } else { WHITE };
        let at = (x[0], x[1]);
        chart.draw_series([
            Circle::new(at, px.size(7), fill.filled()),
            Circle::new(at, px.size(7), px.line(BLACK, 2)),
        ])?;
    }
    Ok(())
}

/// A rectangle of grid cells of one colour: columns (x1) and rows (x2), inclusive.
#[derive(Debug, PartialEq)]
struct Block {
    columns: (usize, usize),
    rows: (usize, usize),
    colour: RGBColor,
}

/// The heat map as few rectangles: runs of equal colour along x1, each merged
/// with the same run (same columns, same colour) in the following rows.
fn blocks(values: &[Vec<f64>]) -> Vec<Block> {
    let (n, m) = (values.len(), values.first().map_or(0, Vec::len));
    let mut done = Vec::new();
    let mut open: Vec<Block> = Vec::new();
    for k in 0..m {
        let mut next = Vec::new();
        let mut i = 0;
        while i < n {
            let colour = heat(values[i][k]);
            let mut end = i;
            while end + 1 < n && heat(values[end + 1][k]) == colour {
                end += 1;
            }
            let same = open.iter().position(|b| b.columns == (i, end) && b.colour == colour);
            match same {
                Some(p) => {
                    let mut b = open.swap_remove(p);
                    b.rows.1 = k;
                    next.push(b);
                }
                None => next.push(Block { columns: (i, end), rows: (k, k), colour }),
            }
            i = end + 1;
        }
        done.append(&mut open);
        open = next;
    }
    done.append(&mut open);
    // A fixed order (by first row, then column), whatever the merging did.
    done.sort_by_key(|b| (b.rows.0, b.columns.0));
    done
}

/// The colour bar and the markers' meaning.
fn key(area: &Area<'_>, px: Px) -> PlotResult {
    let (x0, y0, h) = (40, 40, 200);
    for k in 0..h {
        let v = 1.0 - f64::from(k) / f64::from(h - 1);
        let bottom = (y0 + k + 2).min(y0 + h);
        area.draw(&Rectangle::new([px.at((x0, y0 + k)), px.at((x0 + 26, bottom))], heat(v).filled()))?;
    }
    area.draw(&Rectangle::new([px.at((x0, y0)), px.at((x0 + 26, y0 + h))], px.line(BLACK.mix(0.5), 1)))?;
    for (v, label) in [(1.0, "1"), (0.75, "0.75"), (0.5, "0.5"), (0.25, "0.25"), (0.0, "0")] {
        let y = y0 + ((1.0 - v) * f64::from(h - 1)) as i32;
        area.draw(&PathElement::new(vec![px.at((x0 + 26, y)), px.at((x0 + 32, y))], px.line(BLACK, 1)))?;
        area.draw(&Text::new(label, px.at((x0 + 36, y - 8)), px.font(15)))?;
    }
    area.draw(&Text::new("h or o", px.at((x0 - 4, y0 - 30)), px.font(16)))?;
    let text = |s: &'static str, y| Text::new(s, px.at((x0 + 24, y)), px.font(15));
    let (m, n) = (y0 + h + 40, y0 + h + 72);
    area.draw(&Circle::new(px.at((x0 + 8, m + 8)), px.size(7), BLACK.filled()))?;
    area.draw(&text("above 0.5 on a training row", m))?;
    area.draw(&Circle::new(px.at((x0 + 8, n + 8)), px.size(7), px.line(BLACK, 2)))?;
    area.draw(&text("below 0.5 on a training row", n))?;
    area.draw(&Text::new("black line: 0.5", px.at((x0 - 4, n + 34)), px.font(15)))?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::sweep::study::surfaces::hidden::units;
    use perceptron::{Architecture, Network};

    #[test]
    fn blocks_cover_every_cell_once_in_its_colour() {
        // A step along x1 (columns 0–1 low, 2 high), the same on every row.
        let values = vec![vec![0.0; 4], vec![0.0; 4], vec![1.0; 4]];
        let b = blocks(&values);
        assert_eq!(
            b,
            vec![
                Block { columns: (0, 1), rows: (0, 3), colour: heat(0.0) },
                Block { columns: (2, 2), rows: (0, 3), colour: heat(1.0) }
            ]
        );
        // A diagonal: no two rows share a run, and the cells still add up.
        let values: Vec<Vec<f64>> = (0..5).map(|i| (0..5).map(|k| if i > k { 1.0 } else { 0.0 }).collect()).collect();
        let cells: usize =
            blocks(&values).iter().map(|b| (b.columns.1 - b.columns.0 + 1) * (b.rows.1 - b.rows.0 + 1)).sum();
        assert_eq!(cells, 25);
    }

    #[test]
    fn the_picture_has_a_panel_per_unit_and_stays_small() {
        let net =
            Network::from_weights(Architecture::TwoLayer { hidden: 2 }, &[6.0, -6.0, 6.0, -6.0, -3.0, 9.0, 5.0, 5.0]);
        let units = units(&net).expect("two layers");
        let s = plot(&units, "test").expect("a picture");
        for title in ["unit 0: or (0111), W2 = 5.00", "unit 1: nand (1110), W2 = 5.00", "output o: "] {
            assert!(s.contains(title), "{title}");
        }
        assert!(s.len() < 1_000_000, "{} bytes", s.len());
        let filled = s.lines().filter(|l| l.starts_with("<rect ") && l.contains("fill=\"#")).count();
        assert!(filled > 100, "the heat cells are drawn");
        assert!(!s.lines().any(|l| l.starts_with("<rect ") && l.contains("opacity=\"1\" fill=\"#")), "defaults kept");
    }
}
