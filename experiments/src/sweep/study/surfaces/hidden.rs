//! What the hidden units of the surfaces' two-layer `xor` network learned:
//! `hidden_units.csv`, `hidden_units.svg` and the sentence that names them.
//!
//! Unit `j` outputs `h_j(x1, x2) = σ(x·W1[:, j])` with `x = (x1, x2, 1)`, and the
//! network `o = σ(Σ_j W2[j]·h_j)`. On the four training rows, thresholded at 0.5
//! (above: 1), each computes one of the 16 Boolean functions
//! (`perceptron::BooleanFunction`). The picture is a small multiple: each unit's
//! output and the network's over `[−0.5, 1.5]²`, on a [`GRID`]×[`GRID`] grid of
//! step 0.02 (`x = (i − 25) / 50`), orange = 0, white = 0.5, blue = 1 (the
//! palette's diverging pair, as in `surfaces.svg`), each with its 0.5 contour
//! and the rows marked by their thresholded value. Heat cells of equal colour
//! (quantised to [`LEVELS`] steps a side) are merged along x1, which keeps the
//! SVG small.

use std::fmt::Write;

use anyhow::Result;
use ndarray::Array2;
use perceptron::{BooleanFunction, NOTEBOOK_INPUTS, Network, sigmoid};
use plotters::prelude::*;
use serde::Serialize;

use super::contour_with;
use crate::sweep::numbers::fixed;
use crate::sweep::plots::{Area, Frame, Grid, NEGATIVE, POSITIVE, PlotResult, Px, framed, svg};
use crate::sweep::study::truth_tables::truth_table;
use crate::sweep::tables::to_csv;

/// Grid points per axis of the picture.
pub const GRID: usize = 101;
/// Colour steps between white and each end of the diverging scale.
const LEVELS: f64 = 16.0;
/// Panels per row of the picture.
const COLUMNS: usize = 3;

/// The grid coordinate `i`: `(i − 25) / 50`, so `0 → −0.5`, `100 → 1.5`.
pub fn coordinate(i: usize) -> f64 {
    (i as f64 - 25.0) / 50.0
}

/// One panel: a hidden unit, or the network's output.
#[derive(Clone, Debug)]
pub struct Unit {
    /// `Some(j)` for hidden unit `j`, `None` for the network's output.
    pub unit: Option<usize>,
    /// `W2[j]`, the unit's weight into the output (`None` for the output).
    pub weight: Option<f64>,
    /// `values[i][k]` at `(coordinate(i), coordinate(k))`.
    pub values: Vec<Vec<f64>>,
    /// The values on the notebook's rows, in their order.
    pub rows: [f64; 4],
    /// The function the rows compute, each value thresholded at 0.5.
    pub function: BooleanFunction,
}

impl Unit {
    fn name(&self) -> String {
        self.unit.map_or_else(|| "output o".to_owned(), |j| format!("unit {j}"))
    }
}

/// The Boolean function of four values on the notebook's rows: 1 where a value is above 0.5.
pub fn function_of(rows: [f64; 4]) -> BooleanFunction {
    let bits = rows.map(|v| if v > 0.5 { 1.0 } else { 0.0 });
    BooleanFunction::ALL.into_iter().find(|f| f.targets() == bits).expect("the 16 functions cover every 0/1 pattern")
}

/// Each hidden unit of a two-layer network, then its output, on the grid and
/// the rows (`None` for one layer). Products as in `Network::forward`.
pub fn units(net: &Network) -> Option<Vec<Unit>> {
    let Network::TwoLayer { w1, w2 } = net else { return None };
    let plane = Array2::from_shape_fn((GRID * GRID, 3), |(p, c)| match c {
        0 => coordinate(p / GRID),
        1 => coordinate(p % GRID),
        _ => 1.0,
    });
    let rows = Array2::from_shape_fn((4, 3), |(r, c)| NOTEBOOK_INPUTS[r][c]);
    let (h_plane, h_rows) = (plane.dot(w1).mapv(sigmoid), rows.dot(w1).mapv(sigmoid));
    let (o_plane, o_rows) = (h_plane.dot(w2).mapv(sigmoid), h_rows.dot(w2).mapv(sigmoid));
    let panel = |unit: Option<usize>, weight: Option<f64>, at: &dyn Fn(usize) -> f64, row: &dyn Fn(usize) -> f64| {
        let rows = [0, 1, 2, 3].map(row);
        Unit {
            unit,
            weight,
            values: (0..GRID).map(|i| (0..GRID).map(|k| at(i * GRID + k)).collect()).collect(),
            rows,
            function: function_of(rows),
        }
    };
    let mut out: Vec<Unit> =
        (0..w2.len()).map(|j| panel(Some(j), Some(w2[j]), &|p| h_plane[[p, j]], &|r| h_rows[[r, j]])).collect();
    out.push(panel(None, None, &|p| o_plane[p], &|r| o_rows[r]));
    Some(out)
}

/// A row of `hidden_units.csv`: one unit (or the output) on one training row.
#[derive(Serialize)]
struct UnitRow {
    /// `0`…`H−1`, or `output`.
    unit: String,
    x1: f64,
    x2: f64,
    x3: f64,
    /// `h_j` (or `o`) on the row.
    value: f64,
    above_half: bool,
    /// The function the unit computes on the four rows, and its truth table `f(00) f(01) f(10) f(11)`.
    function: &'static str,
    truth_table: String,
    /// `W2[j]` (empty for the output).
    w2: Option<f64>,
}

/// `hidden_units.csv`.
pub fn csv(units: &[Unit]) -> Result<Vec<u8>> {
    let rows: Vec<UnitRow> = units
        .iter()
        .flat_map(|u| {
            NOTEBOOK_INPUTS.iter().zip(u.rows).map(move |(x, value)| UnitRow {
                unit: u.unit.map_or_else(|| "output".to_owned(), |j| j.to_string()),
                x1: x[0],
                x2: x[1],
                x3: x[2],
                value,
                above_half: value > 0.5,
                function: u.function.name(),
                truth_table: truth_table(u.function),
                w2: u.weight,
            })
        })
        .collect();
    to_csv(&rows)
}

/// The report's paragraph on the units of the network `label` trained on `target`.
pub fn sentence(units: &[Unit], label: &str, target: BooleanFunction) -> String {
    let hidden: Vec<&Unit> = units.iter().filter(|u| u.unit.is_some()).collect();
    let Some(output) = units.iter().find(|u| u.unit.is_none()) else { return String::new() };
    let named: Vec<String> = hidden
        .iter()
        .map(|u| {
            format!(
                "unit {} computes {} (truth table {}, weight into the output W2[{}] = {})",
                u.unit.unwrap_or(0),
                u.function,
                truth_table(u.function),
                u.unit.unwrap_or(0),
                fixed(u.weight.unwrap_or(f64::NAN), 2)
            )
        })
        .collect();
    let separable = hidden.iter().filter(|u| u.function.is_linearly_separable()).count();
    let mut s = format!(
        "**What the hidden units learned.** Each hidden unit's output h_j = σ(x·W1[:, j]) of the {label} network on \
         `{target}` above, over the same plane, beside the network's output o (`hidden_units.svg`, `hidden_units.csv`). \
         On the four rows, with each value thresholded at 0.5, {}. ",
        join(&named)
    );
    if separable == hidden.len() {
        let _ = write!(
            s,
            "Every one is linearly separable, as a single sigmoid unit's function must be: its 0.5 contour is a straight line. "
        );
    } else {
        let _ = write!(s, "{separable} of the {} are linearly separable. ", hidden.len());
    }
    // W2·h on each row: the output's input, whose sign decides o's side of 0.5.
    let sums: Vec<String> =
        (0..4).map(|r| fixed(hidden.iter().map(|u| u.weight.unwrap_or(0.0) * u.rows[r]).sum::<f64>(), 2)).collect();
    let names: Vec<String> = NOTEBOOK_INPUTS.iter().map(|x| format!("({}, {})", x[0], x[1])).collect();
    let _ = write!(
        s,
        "The output adds them: W2·h on {} is {}, so o = σ(W2·h) computes {} ({})",
        join(&names),
        join(&sums),
        output.function,
        truth_table(output.function)
    );
    if output.function == target && separable == hidden.len() && !target.is_linearly_separable() {
        let _ = write!(s, ": `{target}`, which no single unit can compute, built from separable pieces.");
    } else {
        s.push('.');
    }
    s.push_str("\n\n![hidden units](hidden_units.svg)\n");
    s
}

/// `a, b and c`.
fn join(items: &[String]) -> String {
    match items {
        [] => String::new(),
        [one] => one.clone(),
        [init @ .., last] => format!("{} and {last}", init.join(", ")),
    }
}

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
    use perceptron::{Architecture, Config, Schedule};

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
    fn coordinates_span_the_plane_in_steps_of_a_fiftieth() {
        assert_eq!(coordinate(0), -0.5);
        assert_eq!(coordinate(25), 0.0);
        assert_eq!(coordinate(75), 1.0);
        assert_eq!(coordinate(GRID - 1), 1.5);
    }

    #[test]
    fn functions_are_read_at_the_threshold() {
        // Rows (0,0), (1,1), (1,0), (0,1).
        assert_eq!(function_of([0.9, 0.1, 0.1, 0.1]), BooleanFunction::Nor);
        assert_eq!(function_of([0.1, 0.9, 0.9, 0.1]), BooleanFunction::X1);
        assert_eq!(function_of([0.5, 0.5, 0.5, 0.5]), BooleanFunction::False);
    }

    /// The surfaces' network: two layers H = 4 on xor, seed 1, 50000 steps at rate 1.
    #[test]
    fn xor_is_built_from_four_separable_units() {
        let config = Config { architecture: Architecture::TwoLayer { hidden: 4 }, ..Config::default() }
            .check_on(&BooleanFunction::Xor.dataset())
            .expect("a valid config");
        let net = perceptron::train(&config, &Schedule::Off).network;
        let units = units(&net).expect("two layers");
        // NumPy on `train --data xor --hidden 4 --seed 1 --json`'s final W1:
        //   X = np.array([[0,0,1],[1,1,1],[1,0,1],[0,1,1.]]); h = 1/(1+np.exp(-(X@W1)))
        //   h → [[7.184605e-01 1.182149e-01 9.254472e-01 9.969420e-01]
        //        [9.510455e-01 2.506321e-02 3.177275e-05 1.169797e-01]
        //        [9.958833e-01 8.933544e-01 2.255760e-02 8.343733e-01]
        //        [1.700787e-01 4.112541e-04 1.680330e-02 8.955420e-01]]
        //   (h > 0.5).T → unit 0: 1, 1, 1, 0 on (0,0), (1,1), (1,0), (0,1): f(00) f(01) f(10) f(11) = 1011
        //   (x1-or-not-x2); unit 1: 0010 (x1-and-not-x2); unit 2: 1000 (nor); unit 3: 1110 (nand)
        let functions: Vec<&str> = units.iter().map(|u| u.function.name()).collect();
        assert_eq!(functions, ["x1-or-not-x2", "x1-and-not-x2", "nor", "nand", "xor"]);
        assert!((units[0].rows[0] - 7.184605e-01).abs() < 1e-6, "{:?}", units[0].rows);
        assert!((units[2].rows[1] - 3.177275e-05).abs() < 1e-10, "{:?}", units[2].rows);
        // The output panel agrees with the network's own forward pass.
        for (r, x) in NOTEBOOK_INPUTS.iter().enumerate() {
            assert_eq!(units[4].rows[r], net.predict(*x));
        }
        let s = sentence(&units, "two-layer H=4", BooleanFunction::Xor);
        assert!(s.contains("unit 2 computes nor (truth table 1000, weight into the output W2[2] = -10.25)"), "{s}");
        assert!(s.contains("built from separable pieces."), "{s}");
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
