//! The sweep's SVG figures, drawn with plotters' SVG backend into strings
//! (no system fonts needed). Each function takes the study's data and returns
//! the SVG text; all have a title, labelled axes and, where several series are
//! drawn, a legend.

use plotters::coord::Shift;
use plotters::coord::types::RangedCoordf64;
use plotters::prelude::*;

use perceptron::{Network, Trained};

use super::numbers::{axis, fixed, inside, log_axis, mean_sd, shortest};
use super::tables::{CurveRow, RemovalSummaryRow, SeedRow};

pub type Area<'a> = DrawingArea<SVGBackend<'a>, Shift>;
pub type PlotResult = Result<(), Box<dyn std::error::Error>>;

const FONT: &str = "sans-serif";
/// Colour-blind-safe palette (Okabe–Ito).
const PALETTE: [RGBColor; 8] = [
    RGBColor(0, 114, 178),
    RGBColor(213, 94, 0),
    RGBColor(0, 158, 115),
    RGBColor(204, 121, 167),
    RGBColor(230, 159, 0),
    RGBColor(86, 180, 233),
    RGBColor(240, 228, 66),
    RGBColor(0, 0, 0),
];
const POSITIVE: RGBColor = RGBColor(0, 114, 178);
const NEGATIVE: RGBColor = RGBColor(213, 94, 0);

/// Iteration ticks as whole numbers (`5000`, not `5000.0`).
fn whole(x: &f64) -> String {
    format!("{x:.0}")
}

/// The `i`-th colour of the palette (cycling).
pub fn color(i: usize) -> RGBColor {
    PALETTE[i % PALETTE.len()]
}

/// Renders `draw` into an SVG string of `size` pixels.
pub fn svg(size: (u32, u32), draw: impl FnOnce(&Area<'_>) -> PlotResult) -> anyhow::Result<String> {
    let mut out = String::new();
    {
        let root = SVGBackend::with_string(&mut out, size).into_drawing_area();
        root.fill(&WHITE).map_err(|e| anyhow::anyhow!("drawing: {e}"))?;
        draw(&root).map_err(|e| anyhow::anyhow!("drawing: {e}"))?;
        root.present().map_err(|e| anyhow::anyhow!("drawing: {e}"))?;
    }
    Ok(out)
}

fn legend<'a, DB: DrawingBackend + 'a, CT: CoordTranslate>(
    chart: &mut ChartContext<'a, DB, CT>,
    position: SeriesLabelPosition,
) -> PlotResult
where
    DB::ErrorType: 'static,
{
    chart
        .configure_series_labels()
        .position(position)
        .background_style(WHITE.mix(0.85))
        .border_style(BLACK.mix(0.4))
        .label_font((FONT, 14))
        .draw()?;
    Ok(())
}

fn line_legend(c: RGBColor) -> impl Fn((i32, i32)) -> PathElement<(i32, i32)> {
    move |(x, y)| PathElement::new(vec![(x, y), (x + 18, y)], c.stroke_width(2))
}

/// `sigmoid.svg`: σ(x) on [−6, 6] with the axes x = 0 and y = 0 dashed.
pub fn sigmoid() -> anyhow::Result<String> {
    svg((800, 500), |root| {
        let mut chart = ChartBuilder::on(root)
            .caption("The activation function σ(x) = 1 / (1 + e^(−x))", (FONT, 22))
            .margin(15)
            .x_label_area_size(45)
            .y_label_area_size(55)
            .build_cartesian_2d(-6.0..6.0, -0.05..1.05)?;
        chart.configure_mesh().x_desc("x").y_desc("σ(x)").label_style((FONT, 14)).axis_desc_style((FONT, 16)).draw()?;
        let dashed = BLACK.stroke_width(2);
        chart.draw_series(DashedLineSeries::new([(-6.0, 0.0), (6.0, 0.0)], 8, 6, dashed))?;
        chart.draw_series(DashedLineSeries::new([(0.0, -0.05), (0.0, 1.05)], 8, 6, dashed))?;
        let curve = (0..=240).map(|i| -6.0 + 12.0 * f64::from(i) / 240.0).map(|x| (x, perceptron::sigmoid(x)));
        chart
            .draw_series(LineSeries::new(curve, color(0).stroke_width(3)))?
            .label("σ(x)")
            .legend(line_legend(color(0)));
        // Drawn after the mesh (so above its grid line at 0.5), dashed and dark.
        let threshold = NEGATIVE.stroke_width(2);
        chart
            .draw_series(DashedLineSeries::new([(-6.0, 0.5), (6.0, 0.5)], 10, 5, threshold))?
            .label("σ = 0.5: the decision threshold")
            .legend(line_legend(NEGATIVE));
        chart.draw_series(std::iter::once(Text::new(
            "σ = 0.5: the decision threshold",
            (1.0, 0.56),
            (FONT, 15).into_font().color(&NEGATIVE),
        )))?;
        legend(&mut chart, SeriesLabelPosition::UpperLeft)
    })
}

/// `network.svg`: the notebook's NNV-style diagram for each trained network:
/// units as circles, edges coloured by the weight's sign and as wide as |w|.
pub fn network(nets: &[(&str, &Network)]) -> anyhow::Result<String> {
    let width = 560 * nets.len() as u32;
    svg((width, 560), |root| {
        let root = root.titled("Trained networks: edge width ∝ |w|, blue w > 0, orange w < 0", (FONT, 22))?;
        let panels = root.split_evenly((1, nets.len()));
        for (panel, (title, net)) in panels.iter().zip(nets) {
            draw_network(panel, title, net)?;
        }
        Ok(())
    })
}

fn draw_network(area: &Area<'_>, title: &str, net: &Network) -> PlotResult {
    let (w, h) = area.dim_in_pixel();
    let (w, h) = (w as i32, h as i32);
    area.draw(&Text::new(title.to_owned(), (20, 10), (FONT, 18).into_font()))?;
    let layers = net.layers();
    let mut sizes = vec![3usize];
    sizes.extend(layers.iter().map(|m| m.ncols()));
    let column_x = |c: usize| 80 + (w - 160) * c as i32 / (sizes.len() as i32 - 1);
    let unit_y = |n: usize, i: usize| 60 + (h - 120) * (2 * i as i32 + 1) / (2 * n as i32);
    let largest = layers.iter().flat_map(|m| m.iter()).fold(0.0f64, |a, v| a.max(v.abs())).max(1e-12);
    for (l, m) in layers.iter().enumerate() {
        for ((i, j), &v) in m.indexed_iter() {
            let from = (column_x(l), unit_y(sizes[l], i));
            let to = (column_x(l + 1), unit_y(sizes[l + 1], j));
            let c = if v >= 0.0 { POSITIVE } else { NEGATIVE };
            // At most 10 px: `9·|v| / largest` is NaN or ∞ when the weights overflow
            // (`as u32` maps NaN to 0, `min` caps ∞).
            let width = 1 + (9.0 * v.abs() / largest).round().min(9.0) as u32;
            area.draw(&PathElement::new(vec![from, to], c.mix(0.8).stroke_width(width)))?;
            // Label the edges where they do not crowd: at most 4 in a layer.
            if m.len() <= 4 {
                // Above the edge, on a white patch, so the line never strikes through it.
                let label = fixed(v, 2);
                let at = ((2 * from.0 + to.0) / 3 - 14, (2 * from.1 + to.1) / 3 - 22);
                let width = 7 * label.len() as i32;
                area.draw(&Rectangle::new(
                    [(at.0 - 2, at.1 - 1), (at.0 + width, at.1 + 15)],
                    WHITE.mix(0.85).filled(),
                ))?;
                area.draw(&Text::new(label, at, (FONT, 13).into_font().color(&BLACK)))?;
            }
        }
    }
    let names = |c: usize, i: usize| match (c, i) {
        (0, 0) => "x1".to_owned(),
        (0, 1) => "x2".to_owned(),
        (0, _) => "bias".to_owned(),
        (c, _) if c == sizes.len() - 1 => "o".to_owned(),
        (_, i) => format!("h{}", i + 1),
    };
    for (c, &n) in sizes.iter().enumerate() {
        for i in 0..n {
            let at = (column_x(c), unit_y(n, i));
            area.draw(&Circle::new(at, 22, WHITE.filled()))?;
            area.draw(&Circle::new(at, 22, BLACK.stroke_width(2)))?;
            let label = names(c, i);
            let dx = (7 * label.len() as i32) / 2;
            area.draw(&Text::new(label, (at.0 - dx, at.1 - 7), (FONT, 13).into_font()))?;
        }
    }
    let captions = ["input", "hidden (σ)", "output (σ)"];
    for c in 0..sizes.len() {
        let name = if c == sizes.len() - 1 { captions[2] } else { captions[c.min(1)] };
        area.draw(&Text::new(name, (column_x(c) - 30, h - 40), (FONT, 15).into_font()))?;
    }
    Ok(())
}

/// `errors.svg`: the error `y − o` of each training row against the iteration,
/// linear and log–log (the notebook's two panels).
pub fn errors(run: &Trained) -> anyhow::Result<String> {
    let records = &run.history.records;
    let rows = records.first().map_or(0, |r| r.errors.len());
    let last = records.last().map_or(1, |r| r.iteration.max(1)) as f64;
    svg((1400, 520), |root| {
        let root = root.titled("Error of each training row during training (seed 1, one layer)", (FONT, 22))?;
        let (left, right) = root.split_horizontally(700);
        let mut chart = ChartBuilder::on(&left)
            .margin(15)
            .x_label_area_size(45)
            .y_label_area_size(60)
            .build_cartesian_2d(0.0..last, -1.0..1.0)?;
        chart
            .configure_mesh()
            .x_label_formatter(&whole)
            .x_desc("Epoch (iteration)")
            .y_desc("Error y − o")
            .label_style((FONT, 14))
            .axis_desc_style((FONT, 16))
            .draw()?;
        for i in 0..rows {
            let points = records.iter().map(|r| (r.iteration as f64, r.errors[i]));
            chart
                .draw_series(LineSeries::new(points, color(i).stroke_width(2)))?
                .label(format!("row {i}"))
                .legend(line_legend(color(i)));
        }
        legend(&mut chart, SeriesLabelPosition::UpperRight)?;
        let floor =
            records.iter().flat_map(|r| r.errors.iter()).map(|e| e.abs()).filter(|e| *e > 0.0).fold(1.0f64, f64::min);
        let mut chart = ChartBuilder::on(&right)
            .margin(15)
            .x_label_area_size(45)
            .y_label_area_size(60)
            .build_cartesian_2d((1.0..last).log_scale(), log_axis(floor * 0.8, 1.0).log_scale())?;
        chart
            .configure_mesh()
            .x_label_formatter(&whole)
            .x_desc("Epoch (iteration), log scale")
            .y_desc("|y − o|, log scale")
            .label_style((FONT, 14))
            .axis_desc_style((FONT, 16))
            .draw()?;
        for i in 0..rows {
            let points = records
                .iter()
                .filter(|r| r.iteration >= 1 && r.errors[i] != 0.0)
                .map(|r| (r.iteration as f64, r.errors[i].abs()));
            chart
                .draw_series(LineSeries::new(points, color(i).stroke_width(2)))?
                .label(format!("row {i}"))
                .legend(line_legend(color(i)));
        }
        legend(&mut chart, SeriesLabelPosition::LowerLeft)
    })
}

/// `weights.svg`: each weight against the iteration, linear and log iteration axis.
pub fn weights(run: &Trained, learning_rate: f64) -> anyhow::Result<String> {
    let records = &run.history.records;
    let names = Network::weight_names(run.network.architecture());
    let last = records.last().map_or(1, |r| r.iteration.max(1)) as f64;
    let (lo, hi) =
        records.iter().flat_map(|r| r.weights.iter()).fold((0.0f64, 0.0f64), |(a, b), &w| (a.min(w), b.max(w)));
    let pad = 0.05 * (hi - lo).max(1e-9);
    let y = axis(lo - pad, hi + pad);
    svg((1400, 520), |root| {
        let title =
            format!("Weights against the iteration (seed 1, one layer, learning rate {})", shortest(learning_rate));
        let root = root.titled(&title, (FONT, 22))?;
        let (left, right) = root.split_horizontally(700);
        let mut chart = ChartBuilder::on(&left)
            .margin(15)
            .x_label_area_size(45)
            .y_label_area_size(60)
            .build_cartesian_2d(0.0..last, y.clone())?;
        chart
            .configure_mesh()
            .x_label_formatter(&whole)
            .x_desc("Epoch (iteration)")
            .y_desc("Weight")
            .label_style((FONT, 14))
            .axis_desc_style((FONT, 16))
            .draw()?;
        for (k, name) in names.iter().enumerate() {
            let points = records.iter().map(|r| (r.iteration as f64, inside(&y, r.weights[k])));
            chart
                .draw_series(LineSeries::new(points, color(k).stroke_width(2)))?
                .label(name.as_str())
                .legend(line_legend(color(k)));
        }
        legend(&mut chart, SeriesLabelPosition::MiddleRight)?;
        let mut chart = ChartBuilder::on(&right)
            .margin(15)
            .x_label_area_size(45)
            .y_label_area_size(60)
            .build_cartesian_2d((1.0..last).log_scale(), y.clone())?;
        chart
            .configure_mesh()
            .x_label_formatter(&whole)
            .x_desc("Epoch (iteration), log scale")
            .y_desc("Weight")
            .label_style((FONT, 14))
            .axis_desc_style((FONT, 16))
            .draw()?;
        for (k, name) in names.iter().enumerate() {
            let points =
                records.iter().filter(|r| r.iteration >= 1).map(|r| (r.iteration as f64, inside(&y, r.weights[k])));
            chart
                .draw_series(LineSeries::new(points, color(k).stroke_width(2)))?
                .label(name.as_str())
                .legend(line_legend(color(k)));
        }
        legend(&mut chart, SeriesLabelPosition::UpperLeft)
    })
}

/// `seeds.svg`: for every seed, the initial weights, the final weights (as the
/// deviation from their mean over seeds) and the `[1, 0, 0]` prediction.
pub fn seeds(rows: &[SeedRow], iterations: u64) -> anyhow::Result<String> {
    let n = rows.len().max(1) as f64;
    let seeds = -0.5..n - 0.5;
    let initial = |r: &SeedRow, k: usize| [r.w1_initial, r.w2_initial, r.w3_initial][k];
    let last = |r: &SeedRow, k: usize| [r.w1, r.w2, r.w3][k];
    let means: Vec<f64> = (0..3).map(|k| mean_sd(&rows.iter().map(|r| last(r, k)).collect::<Vec<_>>()).0).collect();
    let spread =
        rows.iter().flat_map(|r| (0..3).map(|k| (last(r, k) - means[k]).abs())).fold(0.0f64, f64::max).max(1e-15) * 1.1;
    // The prediction, like the weights, as its deviation from the mean: the seeds
    // differ by ~1e-9, which absolute tick labels cannot show.
    let pmean = mean_sd(&rows.iter().map(|r| r.prediction).collect::<Vec<_>>()).0;
    let pspread = rows.iter().map(|r| (r.prediction - pmean).abs()).fold(0.0f64, f64::max).max(1e-15) * 1.1;
    // Each panel's top ~40 % is left empty for its legend, so no point is covered.
    let (deviation, prediction) = (axis(-spread, 2.4 * spread), axis(-pspread, 2.4 * pspread));
    let names = ["w1", "w2", "w3 (bias)"];
    svg((1500, 520), |root| {
        let title = format!("Seeds 0–{}: one layer, all rows, {iterations} iterations", rows.len().saturating_sub(1));
        let root = root.titled(&title, (FONT, 22))?;
        let panels = root.split_evenly((1, 3));
        let mut chart = ChartBuilder::on(&panels[0])
            .margin(15)
            .x_label_area_size(45)
            .y_label_area_size(55)
            .build_cartesian_2d(seeds.clone(), -1.05..2.0)?;
        chart
            .configure_mesh()
            .x_label_formatter(&whole)
            .x_desc("Seed")
            .y_desc("Initial weight, uniform in [−1, 1)")
            .label_style((FONT, 13))
            .axis_desc_style((FONT, 15))
            .draw()?;
        for k in 0..3 {
            chart
                .draw_series(
                    rows.iter().map(|r| Circle::new((f64::from(r.seed), initial(r, k)), 3, color(k).filled())),
                )?
                .label(names[k])
                .legend(move |(x, y)| Circle::new((x + 9, y), 4, color(k).filled()));
        }
        legend(&mut chart, SeriesLabelPosition::UpperRight)?;
        let mut chart = ChartBuilder::on(&panels[1])
            .margin(15)
            .x_label_area_size(45)
            .y_label_area_size(75)
            .build_cartesian_2d(seeds.clone(), deviation.clone())?;
        chart
            .configure_mesh()
            .x_label_formatter(&whole)
            .y_label_formatter(&|v| format!("{v:.1e}"))
            .x_desc("Seed")
            .y_desc("Final weight − its mean over seeds")
            .label_style((FONT, 13))
            .axis_desc_style((FONT, 15))
            .draw()?;
        for k in 0..3 {
            let label = format!("{} (mean {})", names[k], fixed(means[k], 4));
            chart
                .draw_series(rows.iter().map(|r| {
                    Circle::new((f64::from(r.seed), inside(&deviation, last(r, k) - means[k])), 3, color(k).filled())
                }))?
                .label(label)
                .legend(move |(x, y)| Circle::new((x + 9, y), 4, color(k).filled()));
        }
        legend(&mut chart, SeriesLabelPosition::UpperRight)?;
        let mut chart = ChartBuilder::on(&panels[2])
            .margin(15)
            .x_label_area_size(45)
            .y_label_area_size(75)
            .build_cartesian_2d(seeds, prediction.clone())?;
        chart
            .configure_mesh()
            .x_label_formatter(&whole)
            // A tick at 0 computed as −2e−25 (steps of 5e−10 from −1.5e−9) reads as 0.
            .y_label_formatter(&|v| format!("{:.1e}", if v.abs() < pspread * 1e-6 { 0.0 } else { *v }))
            .x_desc("Seed")
            .y_desc("Prediction for [1, 0, 0] − its mean over seeds")
            .label_style((FONT, 13))
            .axis_desc_style((FONT, 15))
            .draw()?;
        chart
            .draw_series(rows.iter().map(|r| {
                Circle::new((f64::from(r.seed), inside(&prediction, r.prediction - pmean)), 3, color(4).filled())
            }))?
            .label(format!("σ(w1) (mean {}), right when > 0.5", fixed(pmean, 6)))
            .legend(|(x, y)| Circle::new((x + 9, y), 4, color(4).filled()));
        legend(&mut chart, SeriesLabelPosition::UpperRight)
    })
}

/// `removal.svg`: per removed subset, the share of seeds that predict `[1, 0, 0]`
/// right, and the mean prediction with its min–max range.
pub fn removal(rows: &[RemovalSummaryRow]) -> anyhow::Result<String> {
    let n = rows.len();
    let labels: Vec<String> = rows.iter().map(|r| r.removed.clone()).collect();
    let x_label = move |x: &f64| {
        let i = x.round();
        if (x - i).abs() < 1e-9 && i >= 0.0 && (i as usize) < labels.len() {
            labels[i as usize].clone()
        } else {
            String::new()
        }
    };
    svg((1400, 800), |root| {
        let root = root.titled("Training rows removed (one layer): does [1, 0, 0] → 1 survive?", (FONT, 22))?;
        let (top, bottom) = root.split_vertically(390);
        let top = top.titled(
            "Share of seeds right (blue: a kept row has x1 = 1; orange: no kept row has x1 = 1, so w1 never moves)",
            (FONT, 15),
        )?;
        let mut chart = removal_panel(&top, &x_label, n, 1.0, "Share of seeds right")?;
        chart.draw_series(rows.iter().enumerate().map(|(i, r)| {
            let c = if r.kept_rows_with_x1 == 0 { NEGATIVE } else { POSITIVE };
            Rectangle::new([(i as f64 - 0.35, 0.0), (i as f64 + 0.35, r.share_correct)], c.mix(0.8).filled())
        }))?;
        let mut chart = removal_panel(&bottom, &x_label, n, 1.05, "Prediction for [1, 0, 0]")?;
        chart
            .draw_series(rows.iter().enumerate().map(|(i, r)| {
                ErrorBar::new_vertical(
                    i as f64,
                    r.min_prediction,
                    r.mean_prediction,
                    r.max_prediction,
                    color(7).stroke_width(2),
                    12,
                )
            }))?
            .label("mean, min and max over seeds")
            .legend(line_legend(color(7)));
        chart
            .draw_series(DashedLineSeries::new(
                [(-0.5, 0.5), (n as f64 - 0.5, 0.5)],
                6,
                4,
                BLACK.mix(0.6).stroke_width(1),
            ))?
            .label("0.5 threshold")
            .legend(line_legend(RGBColor(120, 120, 120)));
        legend(&mut chart, SeriesLabelPosition::LowerLeft)
    })
}

/// One panel of `removal.svg`: the `n` removed subsets on x (named by `x_label`), y in [0, y_max];
/// a y range of exactly [0, 1] is a share, labelled 0 %, 25 %, …, 100 %.
fn removal_panel<'a, 'b>(
    area: &'a Area<'b>,
    x_label: &dyn Fn(&f64) -> String,
    n: usize,
    y_max: f64,
    y_desc: &str,
) -> Result<ChartContext<'a, SVGBackend<'b>, Cartesian2d<RangedCoordf64, RangedCoordf64>>, Box<dyn std::error::Error>> {
    let mut chart = ChartBuilder::on(area)
        .margin(15)
        .x_label_area_size(50)
        .y_label_area_size(70)
        .build_cartesian_2d(-0.5..n as f64 - 0.5, 0.0..y_max)?;
    let share = y_max == 1.0;
    let percent = |v: &f64| format!("{:.0} %", v * 100.0);
    let plain = |v: &f64| format!("{v:.1}");
    let y_format: &dyn Fn(&f64) -> String = if share { &percent } else { &plain };
    chart
        .configure_mesh()
        .disable_x_mesh()
        .y_labels(if share { 11 } else { 6 })
        .y_label_formatter(y_format)
        .x_labels(n)
        .x_label_formatter(x_label)
        .x_desc("Removed rows (0-based)")
        .y_desc(y_desc)
        .label_style((FONT, 14))
        .axis_desc_style((FONT, 16))
        .draw()?;
    Ok(chart)
}

/// `convergence.svg`: median and 10–90 % band over seeds of `max |y − o|`
/// against the iteration, per model, log–log.
pub fn convergence(models: &[(String, Vec<CurveRow>)]) -> anyhow::Result<String> {
    let all = models.iter().flat_map(|(_, rows)| rows.iter());
    let last = all.clone().map(|r| r.iteration).max().unwrap_or(1).max(2) as f64;
    let floor = all.clone().map(|r| r.p10).filter(|v| *v > 0.0).fold(1.0f64, f64::min).max(1e-12);
    svg((1000, 620), |root| {
        let mut chart = ChartBuilder::on(root)
            .caption("Convergence: largest training error, median over seeds (band: 10–90 %)", (FONT, 22))
            .margin(15)
            .x_label_area_size(45)
            .y_label_area_size(70)
            .build_cartesian_2d((1.0..last).log_scale(), log_axis(floor * 0.8, 1.0).log_scale())?;
        chart
            .configure_mesh()
            .x_label_formatter(&whole)
            .x_desc("Epoch (iteration), log scale")
            .y_desc("max over rows |y − o|, log scale")
            .label_style((FONT, 14))
            .axis_desc_style((FONT, 16))
            .draw()?;
        for (k, (name, rows)) in models.iter().enumerate() {
            let rows: Vec<&CurveRow> = rows.iter().filter(|r| r.iteration >= 1).collect();
            let band: Vec<(f64, f64)> = rows
                .iter()
                .map(|r| (r.iteration as f64, r.p90.max(floor)))
                .chain(rows.iter().rev().map(|r| (r.iteration as f64, r.p10.max(floor))))
                .collect();
            chart.draw_series(std::iter::once(Polygon::new(band, color(k).mix(0.15).filled())))?;
            let median = rows.iter().map(|r| (r.iteration as f64, r.median.max(floor)));
            chart
                .draw_series(LineSeries::new(median, color(k).stroke_width(3)))?
                .label(name.as_str())
                .legend(line_legend(color(k)));
        }
        // The thresholds of `convergence.csv`, dashed and labelled where they start.
        for theta in super::runs::THRESHOLDS {
            let dashed = BLACK.mix(0.5).stroke_width(1);
            chart.draw_series(DashedLineSeries::new([(1.0, theta), (last, theta)], 6, 4, dashed))?;
            let style = (FONT, 13).into_font().color(&BLACK.mix(0.7));
            chart.draw_series(std::iter::once(Text::new(format!("max error {theta}"), (1.15, theta * 1.35), style)))?;
        }
        legend(&mut chart, SeriesLabelPosition::LowerLeft)
    })
}
