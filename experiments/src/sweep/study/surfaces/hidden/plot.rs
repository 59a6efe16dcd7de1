//! `hidden_units.svg`: one heat map per hidden unit and one of the output
//! (see the module above), then the colour bar and the markers' meaning.

use anyhow::Result;
use perceptron::NOTEBOOK_INPUTS;
use plotters::prelude::*;

use super::{Unit, name_of, table_of};
use crate::sweep::numbers::fixed;
use crate::sweep::plots::{Area, PlotResult, Px, svg};
use crate::sweep::study::surfaces::plot::{heat, paint, plane, row_marker};

/// Panels per row of the picture.
const COLUMNS: usize = 3;

/// `hidden_units.svg`: one panel per unit, then the output's, then the colour bar.
/// `targets`: the trained function's targets on the rows, in the notebook's order.
pub fn plot(units: &[Unit], targets: [f64; 4], title: &str) -> Result<String> {
    let rows = (units.len() + 1).div_ceil(COLUMNS);
    let height = 46 + 360 * rows as u32;
    svg((1100, height), |root, px| {
        let (top, body) = root.split_vertically(px.size(46));
        top.draw(&Text::new(title.to_owned(), px.at((550, 24)), px.centred(20)))?;
        let areas = body.split_evenly((rows, COLUMNS));
        for (area, u) in areas.iter().zip(units) {
            draw_unit(area, px, u, targets)?;
        }
        match areas.get(units.len()) {
            Some(area) => key(area, px),
            None => Ok(()),
        }
    })
}

fn draw_unit(area: &Area<'_>, px: Px, u: &Unit, targets: [f64; 4]) -> PlotResult {
    let title = match u.weight {
        Some(w) => format!("{}: {} ({}), W2 = {}", u.name(), name_of(u.function), table_of(u.function), fixed(w, 2)),
        None => format!("{}: {} ({})", u.name(), name_of(u.function), table_of(u.function)),
    };
    let mut chart = plane(area, px, Some(&title), 16)?;
    paint(&mut chart, px, &u.values, 2)?;
    for (x, y) in NOTEBOOK_INPUTS.iter().zip(targets) {
        chart.draw_series(row_marker((x[0], x[1]), y, 7, px))?;
    }
    Ok(())
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
    area.draw(&text("training row, target 1", m))?;
    area.draw(&Circle::new(px.at((x0 + 8, n + 8)), px.size(7), px.line(BLACK, 2)))?;
    area.draw(&text("training row, target 0", n))?;
    area.draw(&Text::new("black line: 0.5", px.at((x0 - 4, n + 34)), px.font(15)))?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::sweep::study::surfaces::hidden::units;
    use perceptron::{Architecture, Network};

    #[test]
    fn the_picture_has_a_panel_per_unit_and_stays_small() {
        let net = Network::from_weights(Architecture::two_layer(2), &[6.0, -6.0, 6.0, -6.0, -3.0, 9.0, 5.0, 5.0]);
        let units = units(&net).expect("two layers");
        let s = plot(&units, [0.0, 0.0, 1.0, 1.0], "test").expect("a picture");
        for title in ["unit 0: or (0111), W2 = 5.00", "unit 1: nand (1110), W2 = 5.00", "output o: "] {
            assert!(s.contains(title), "{title}");
        }
        assert!(s.len() < 1_000_000, "{} bytes", s.len());
        let bands = s.matches("<path fill=\"#").count();
        assert!(bands > 10, "the heat maps' colour bands are drawn ({bands})");
    }
}
