//! `learning_rate.svg`: iterations to settle against the rate, log–log, one
//! colour per model: a dot at the lower median over the seeds, a bar from the
//! fastest to the slowest seed that settled, and lines joining the medians at
//! the rates at which no seed's loss rose (small steps: the change of regime
//! above is left unjoined, and the chart says so). The budget `N = ⌈K / rate⌉` is a dashed line; the runs
//! that did not settle within it are counted, by outcome, on a band above the
//! chart, one row per model.

use anyhow::Result;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};

use super::claims::settled_range;
use super::compute::{Cell, Findings, Outcome, model_cells};
use super::{SEEDS, THRESHOLD};
use crate::sweep::numbers::shortest;
use crate::sweep::plots::{Frame, Px, framed, legend, log_range, model_color, svg};

/// The x range (rates 0.1 to 100 with room for the offsets and the counts).
const X: (f64, f64) = (0.07, 170.0);

/// The picture of `f`.
pub fn plot(f: &Findings) -> Result<String> {
    let longest = f.cells.iter().map(|c| c.iterations).max().unwrap_or(1).max(2) as f64;
    let fastest = f.cells.iter().filter_map(|c| c.settle_min).min().unwrap_or(1).max(1) as f64;
    let lo = (fastest / 2.0).max(0.5);
    // The band: one row per model, from `longest × 3` up, a factor `step` apart, then its title.
    let step = 2.2f64;
    let row = |k: usize| longest * 3.0 * step.powi(k as i32);
    let band = (longest * 1.8, row(f.models.len()) * 1.6);
    let title = format!("Learning rate: iterations until max |y − o| stays below {THRESHOLD} ({SEEDS} seeds)");
    let x_ticks = |x: &f64| shortest(*x);
    // No tick labels on the band.
    let y_ticks = |y: &f64| if *y > longest * 1.01 { String::new() } else { format!("{y:.0}") };
    // Only this chart's particulars; the rest is `Frame::default()` (`plots/frame.rs`).
    let frame = Frame {
        title: Some(&title),
        title_size: 21,
        x_desc: "Learning rate, log scale",
        y_desc: "Iterations to settle, log scale",
        x_ticks: Some(&x_ticks),
        y_ticks: Some(&y_ticks),
        y_area: 75,
        ..Frame::default()
    };
    svg((1000, 680), |root, px| {
        let mut chart = framed(root, px, &frame, log_range(X.0, X.1)?, log_range(lo, band.1)?)?;
        chart.draw_series([Rectangle::new([(X.0, band.0), (X.1, band.1)], BLACK.mix(0.06).filled())])?;
        let note = px.font(14).color(&BLACK.mix(0.75));
        let text = "did not settle within N (count per outcome, one row per model)";
        chart.draw_series([Text::new(text, (X.0 * 1.1, row(f.models.len())), note.clone())])?;
        budget(&mut chart, px, f, longest)?;
        let key = [
            "dot: lower median over the seeds; bar: fastest to slowest seed that settled".to_owned(),
            "lines: rates at which no seed's loss rose (small steps); none above, the regime changes".to_owned(),
        ];
        for (i, line) in key.iter().enumerate() {
            let at = (0.6, lo * 4.0 / 2.2f64.powi(i as i32));
            chart.draw_series([Text::new(line.clone(), at, note.clone())])?;
        }
        for (k, &m) in f.models.iter().enumerate() {
            let c = model_color(m);
            let cells = model_cells(f, m);
            // Offset each model a little so that the bars do not hide each other.
            let shift = 1.0 + 0.07 * (k as f64 - (f.models.len() as f64 - 1.0) / 2.0);
            let calm = cells.iter().position(|c| c.rose > 0).unwrap_or(cells.len());
            for pair in cells[..calm].windows(2) {
                let (a, b) = (pair[0], pair[1]);
                if let (Some(ma), Some(mb)) = (a.median_settle, b.median_settle) {
                    let points = [(a.rate * shift, ma as f64), (b.rate * shift, mb as f64)];
                    chart.draw_series(LineSeries::new(points, px.line(c, 2)))?;
                }
            }
            for cell in &cells {
                if let Some((a, b)) = settled_range(cell) {
                    let bar = [(cell.rate * shift, a as f64), (cell.rate * shift, b as f64)];
                    chart.draw_series(LineSeries::new(bar, px.line(c.mix(0.7), 2)))?;
                }
            }
            chart
                .draw_series(cells.iter().filter_map(|cell| {
                    cell.median_settle.map(|m| Circle::new((cell.rate * shift, m as f64), px.size(5), c.filled()))
                }))?
                .label(m.label())
                .legend(move |(x, y)| {
                    EmptyElement::at((x, y))
                        + PathElement::new(vec![(-px.of(9), 0), (px.of(9), 0)], px.line(c, 2))
                        + Circle::new((0, 0), px.size(4), c.filled())
                });
            not_settled(&mut chart, px, &cells, row(k), c)?;
        }
        let grey = BLACK.mix(0.75);
        chart
            .draw_series(std::iter::empty::<Circle<(f64, f64), u32>>())?
            .label("plateau")
            .legend(move |(x, y)| Cross::new((x, y), px.size(5), px.line(grey, 2)));
        chart
            .draw_series(std::iter::empty::<Circle<(f64, f64), u32>>())?
            .label("descending")
            .legend(move |(x, y)| Circle::new((x, y), px.size(5), px.line(grey, 2)));
        if f.count(Outcome::Diverged) > 0 {
            chart
                .draw_series(std::iter::empty::<Circle<(f64, f64), u32>>())?
                .label("diverged")
                .legend(move |(x, y)| TriangleMarker::new((x, y), px.size(6), px.line(grey, 2)));
        }
        legend(&mut chart, px, SeriesLabelPosition::LowerLeft)
    })
}

type LogChart<'a, 'b> = crate::sweep::plots::Chart<
    'a,
    'b,
    plotters::coord::combinators::LogCoord<f64>,
    plotters::coord::combinators::LogCoord<f64>,
>;

/// The budget `N = ⌈K / rate⌉`, dashed, labelled on the line.
fn budget(chart: &mut LogChart<'_, '_>, px: Px, f: &Findings, longest: f64) -> Result<(), Box<dyn std::error::Error>> {
    let Some(&first) = f.models.first() else { return Ok(()) };
    let points: Vec<(f64, f64)> = model_cells(f, first).iter().map(|c| (c.rate, c.iterations as f64)).collect();
    let style = px.line(BLACK.mix(0.6), 2);
    chart.draw_series(DashedLineSeries::new(points.clone(), px.size(8), px.size(5), style))?;
    if let Some(&(r, n)) = points.iter().find(|p| p.0 >= 1.0) {
        let label = format!("budget: N = ⌈{} / rate⌉ iterations", f.product);
        let at = (r * 1.15, (n * 1.5).min(longest));
        chart.draw_series([Text::new(label, at, px.font(15).color(&BLACK.mix(0.75)))])?;
    }
    Ok(())
}

/// On the band's row at `y`: for each of `cells` whose seeds did not all settle,
/// a marker per outcome and how many runs ended so.
fn not_settled(
    chart: &mut LogChart<'_, '_>,
    px: Px,
    cells: &[&Cell],
    y: f64,
    c: RGBColor,
) -> Result<(), Box<dyn std::error::Error>> {
    let kinds = [(Outcome::Plateau, 0usize), (Outcome::Descending, 1), (Outcome::Diverged, 2)];
    // Markers a factor `apart` from each other, centred on the rate (24 px at 880 px wide).
    let apart = 1.25f64;
    for cell in cells {
        let present: Vec<(usize, usize)> =
            kinds.iter().map(|&(o, shape)| (cell.count(o), shape)).filter(|p| p.0 > 0).collect();
        let mut x = cell.rate / apart.powf((present.len().max(1) - 1) as f64 / 2.0);
        for (n, shape) in present {
            let style = px.line(c, 2);
            match shape {
                0 => chart.draw_series([Cross::new((x, y), px.size(5), style)])?,
                1 => chart.draw_series([Circle::new((x, y), px.size(5), style)])?,
                _ => chart.draw_series([TriangleMarker::new((x, y), px.size(6), style)])?,
            };
            let count = px.font(14).color(&c).pos(Pos::new(HPos::Left, VPos::Center));
            chart.draw_series([Text::new(n.to_string(), (x * 1.06, y), count)])?;
            x *= apart;
        }
    }
    Ok(())
}
