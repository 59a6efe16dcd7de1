//! Study A's curves: `sigmoid.svg` (σ(x) = 1 / (1 + e^(−x)) on [−6, 6]),
//! `errors.svg` (each row's error `y − o` against the iteration, signed and
//! `|y − o|` log–log, rows named by their inputs) and `weights.svg` (each
//! weight against the iteration, linear and log iteration axis).

use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};

use perceptron::{Dataset, Network, Trained};

use crate::sweep::numbers::{axis, inside, log_axis, shortest};
use crate::sweep::plots::{
    Area, Chart, Frame, PlotResult, Px, apart, color, framed, log_range, model_color, pair, svg, whole,
};
use plotters::coord::types::RangedCoordf64;

/// `sigmoid.svg`: σ(x) on [−6, 6] in black (no model's colour: it is every
/// model's activation), the axes x = 0 and y = 0 dashed grey, the threshold
/// σ = 0.5 dashed and labelled on the chart.
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
        let axes = px.line(BLACK.mix(0.45), 2);
        let dash = |a, b| DashedLineSeries::new([a, b], px.size(8), px.size(6), axes);
        chart.draw_series(dash((-6.0, 0.0), (6.0, 0.0)))?;
        chart.draw_series(dash((0.0, -0.05), (0.0, 1.05)))?;
        let curve = (0..=240).map(|i| -6.0 + 12.0 * f64::from(i) / 240.0).map(|x| (x, perceptron::sigmoid(x)));
        chart.draw_series(LineSeries::new(curve, px.line(BLACK, 3)))?;
        chart.draw_series([Text::new("σ(x)", (2.6, 0.86), px.font(18))])?;
        // Drawn after the mesh (so above its grid line at 0.5), dashed.
        let threshold = px.line(BLACK.mix(0.7), 2);
        chart.draw_series(DashedLineSeries::new([(-6.0, 0.5), (6.0, 0.5)], px.size(10), px.size(5), threshold))?;
        chart.draw_series([Text::new("σ = 0.5: the decision threshold", (1.0, 0.56), px.font(16))])?;
        Ok(())
    })
}

/// The frame of a curve against the iteration, on a linear or a log iteration axis.
fn by_iteration<'a>(log: bool, y_desc: &'a str) -> Frame<'a> {
    let x_desc = if log { "Epoch (iteration), log scale" } else { "Epoch (iteration)" };
    Frame { x_desc, y_desc, x_ticks: Some(&whole), ..Frame::default() }
}

/// A training row named by its inputs and target: `[1, 0, 1] → 1`.
pub fn row_name((x, y): ([f64; 3], f64)) -> String {
    format!("[{}, {}, {}] → {}", shortest(x[0]), shortest(x[1]), shortest(x[2]), shortest(y))
}

/// Within this ratio of each other, two curves of the log–log panel are drawn on the same pixels.
const SAME: f64 = 1.03;

/// The first record index from which the two curves `a` and `b` stay within a
/// factor [`SAME`] of each other to the end (None: they differ at the end, or
/// coincide only on the last tenth of the records).
fn coincide_from(a: &[f64], b: &[f64]) -> Option<usize> {
    let n = a.len().min(b.len());
    let close = |k: usize| {
        let (p, q) = (a[k].abs(), b[k].abs());
        p > 0.0 && q > 0.0 && p.max(q) <= SAME * p.min(q)
    };
    let from = (0..n).rev().take_while(|&k| close(k)).last()?;
    (n - from >= n.div_ceil(10).max(2)).then_some(from)
}

/// `errors.svg`: each training row's error against the iteration on a log
/// iteration axis, signed (left: which rows are over or under their target)
/// and `|y − o|` log–log (right: how fast it falls); rows named by their inputs
/// and target, and a note for curves drawn on top of each other (the later dashed).
pub fn errors(run: &Trained, data: &Dataset) -> anyhow::Result<String> {
    let records: Vec<&perceptron::Record> = run.history.records.iter().filter(|r| r.iteration >= 1).collect();
    let rows = records.first().map_or(0, |r| r.errors.len());
    let names: Vec<String> = data.rows().iter().map(|&r| row_name(data.table()[r])).collect();
    let last = records.last().map_or(1, |r| r.iteration.max(1)) as f64;
    let floor =
        records.iter().flat_map(|r| r.errors.iter()).map(|e| e.abs()).filter(|e| *e > 0.0).fold(1.0f64, f64::min);
    let y_log = log_axis(floor * 0.8, 1.0);
    let curve = |i: usize| records.iter().map(|r| r.errors[i]).collect::<Vec<f64>>();
    let curves: Vec<Vec<f64>> = (0..rows).map(curve).collect();
    // Each row drawn over an earlier one is dashed, and noted.
    let mut over: Vec<Option<(usize, u64)>> = vec![None; rows];
    for i in 0..rows {
        over[i] = (0..i).find_map(|j| coincide_from(&curves[j], &curves[i]).map(|k| (j, records[k].iteration)));
    }
    // The rows' key under the panels, four to a line: it covers no curve, however many rows.
    let key_lines = rows.div_ceil(4) as i32;
    svg((1000, 540 + 24 * key_lines as u32 + 12), |root, px| {
        let (panels, key) = root.split_vertically(px.size(540));
        for (i, name) in names.iter().enumerate().take(rows) {
            let (x, y) = (30 + 240 * (i as i32 % 4), 10 + 24 * (i as i32 / 4));
            key.draw(&PathElement::new(vec![px.at((x, y + 8)), px.at((x + 22, y + 8))], px.line(color(i), 3)))?;
            key.draw(&Text::new(name.clone(), px.at((x + 30, y)), px.font(15)))?;
        }
        let (left, right) = pair(&panels, px, "Error of each training row during training (seed 1, one layer)")?;
        let frame = Frame { x_labels: Some(6), ..by_iteration(true, "Error y − o") };
        let mut chart = framed(&left, px, &frame, log_range(1.0, last)?, -1.0..1.0)?;
        for i in 0..rows {
            let points: Vec<(f64, f64)> = records.iter().map(|r| (r.iteration as f64, r.errors[i])).collect();
            chart.draw_series(LineSeries::new(points, px.line(color(i), 2)))?;
        }
        chart.draw_series(DashedLineSeries::new(
            [(1.0, 0.0), (last, 0.0)],
            px.size(6),
            px.size(4),
            px.line(BLACK.mix(0.6), 1),
        ))?;
        let style = px.font(14).color(&BLACK.mix(0.7));
        chart.draw_series([
            Text::new("o above target", (1.2, -0.9), style.clone()),
            Text::new("o below target", (1.2, 0.85), style),
        ])?;
        let frame = Frame { x_labels: Some(6), ..by_iteration(true, "|y − o|, log scale") };
        let mut chart = framed(&right, px, &frame, log_range(1.0, last)?, log_range(y_log.start, y_log.end)?)?;
        for i in 0..rows {
            let point = |r: &&perceptron::Record| (r.iteration as f64, r.errors[i].abs());
            let nonzero = |r: &&&perceptron::Record| r.errors[i] != 0.0;
            let style = px.line(color(i), 2);
            // Solid while apart; dashed from where it runs on an earlier row's curve.
            let split =
                over[i].map_or(records.len(), |(_, t)| records.iter().position(|r| r.iteration >= t).unwrap_or(0));
            let solid: Vec<(f64, f64)> =
                records[..(split + 1).min(records.len())].iter().filter(nonzero).map(point).collect();
            chart.draw_series(LineSeries::new(solid, style))?;
            if split < records.len() {
                let dashed: Vec<(f64, f64)> = records[split..].iter().filter(nonzero).map(point).collect();
                chart.draw_series(DashedLineSeries::new(dashed, px.size(7), px.size(5), style))?;
            }
        }
        // The notes, bottom left, where the curves have not yet fallen.
        let notes: Vec<String> = over
            .iter()
            .enumerate()
            .filter_map(|(i, o)| o.map(|(j, t)| format!("dashed: {} runs on {} from t = {t}", names[i], names[j])))
            .collect();
        let (x0, y0) = chart.backend_coord(&(1.0, y_log.start));
        for (k, note) in notes.iter().rev().enumerate() {
            let at = (x0 + px.of(8), y0 - px.of(24 + 20 * k as i32));
            root.draw(&Text::new(note.clone(), at, px.font(14).color(&BLACK.mix(0.8))))?;
        }
        Ok(())
    })
}

/// `weights.svg`: each weight against the iteration, linear and log iteration
/// axis, all in the model's colour (solid, dashed, dotted), each named at its
/// right end instead of in a legend.
pub fn weights(run: &Trained, learning_rate: f64) -> anyhow::Result<String> {
    let records = &run.history.records;
    let model = run.network.architecture();
    let names = Network::weight_names(model);
    let last = records.last().map_or(1, |r| r.iteration.max(1)) as f64;
    let (lo, hi) =
        records.iter().flat_map(|r| r.weights.iter()).fold((0.0f64, 0.0f64), |(a, b), &w| (a.min(w), b.max(w)));
    let pad = 0.05 * (hi - lo).max(1e-9);
    let y = axis(lo - pad, hi + pad);
    let ends: Vec<f64> = (0..names.len()).map(|k| records.last().map_or(0.0, |r| inside(&y, r.weights[k]))).collect();
    let label_at = apart(&ends, 0.07 * (y.end - y.start));
    let c = model_color(model);
    svg((1000, 520), |root, px| {
        let title =
            format!("Weights against the iteration (seed 1, one layer, learning rate {})", shortest(learning_rate));
        let (left, right) = pair(root, px, &title)?;
        let frame = |log| Frame { x_labels: Some(6), margin: [15, 70, 15, 15], ..by_iteration(log, "Weight") };
        let mut chart = framed(&left, px, &frame(false), 0.0..last, y.clone())?;
        weight_lines(&mut chart, root, px, (records, &names, c, &label_at), 0)?;
        let mut chart = framed(&right, px, &frame(true), log_range(1.0, last)?, y.clone())?;
        weight_lines(&mut chart, root, px, (records, &names, c, &label_at), 1)?;
        Ok(())
    })
}

/// The weights' curves from iteration `from` (solid, dashed, dotted), each named
/// in the right margin at its height in `label_at`.
fn weight_lines<X>(
    chart: &mut Chart<'_, '_, X, RangedCoordf64>,
    root: &Area<'_>,
    px: Px,
    (records, names, c, label_at): (&[perceptron::Record], &[String], RGBColor, &[f64]),
    from: u64,
) -> PlotResult
where
    X: Ranged<ValueType = f64>,
{
    let y = chart.y_range();
    let last = records.last().map_or(1, |r| r.iteration.max(1)) as f64;
    for (k, name) in names.iter().enumerate() {
        let points: Vec<(f64, f64)> = records
            .iter()
            .filter(|r| r.iteration >= from)
            .map(|r| (r.iteration as f64, inside(&y, r.weights[k])))
            .collect();
        let style = px.line(c, 2);
        match k % 3 {
            0 => chart.draw_series(LineSeries::new(points, style))?,
            1 => chart.draw_series(DashedLineSeries::new(points, px.size(9), px.size(5), style))?,
            _ => chart.draw_series(DashedLineSeries::new(points, px.size(2), px.size(4), style))?,
        };
        // Beyond the right end, in the margin.
        let (x, y) = chart.backend_coord(&(last, label_at[k]));
        let style = TextStyle::from(px.font(15)).pos(Pos::new(HPos::Left, VPos::Center));
        root.draw(&Text::new(name.clone(), (x + px.of(6), y), style))?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rows_are_named_by_their_inputs_and_target() {
        assert_eq!(row_name(([1.0, 0.0, 1.0], 1.0)), "[1, 0, 1] → 1");
        assert_eq!(row_name(([0.5, -1.5, 1.0], 0.75)), "[0.5, -1.5, 1] → 0.75");
        // The notebook's rows, in its order.
        let data = Dataset::notebook();
        let names: Vec<String> = data.rows().iter().map(|&r| row_name(data.table()[r])).collect();
        assert_eq!(names, ["[0, 0, 1] → 0", "[1, 1, 1] → 1", "[1, 0, 1] → 1", "[0, 1, 1] → 0"]);
    }

    #[test]
    fn curves_that_end_on_the_same_pixels_are_found() {
        let a = [0.5, 0.4, 0.1, 0.01, 0.001];
        // Within 3 % from index 2 on: they coincide from there.
        assert_eq!(coincide_from(&a, &[0.3, 0.2, 0.101, 0.0102, 0.00101]), Some(2));
        // Apart at the end: not.
        assert_eq!(coincide_from(&a, &[0.5, 0.4, 0.1, 0.01, 0.002]), None);
        // Signs do not matter (|y − o| is drawn); zeros never coincide.
        assert_eq!(coincide_from(&a, &a.map(|v| -v)), Some(0));
        assert_eq!(coincide_from(&[0.0; 5], &[0.0; 5]), None);
        // Only on the last tenth (1 of 20 points): not worth a note.
        let mut b = [1.0; 20];
        b[19] = 0.5;
        let mut c = [2.0; 20];
        c[19] = 0.5;
        assert_eq!(coincide_from(&b, &c), None);
    }
}
