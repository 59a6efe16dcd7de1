//! `landscape.svg`: the heat map of `log10 L(w1, w3)` (a viridis-like ramp in
//! bands) from the picture grid, its iso-loss contours at whole powers of ten
//! labelled `10⁻³`, the training path of `(w1, w3)` with its marks labelled
//! `t = …`, and a colour bar in powers of ten. Every label box is placed where
//! it stays inside the chart and covers neither the path nor another label.

use anyhow::Result;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};

use super::{Findings, PICTURE_W1, PICTURE_W3, cell_centre};
use crate::sweep::numbers::{fixed, shortest};
use crate::sweep::plots::{
    Area, Chart, Frame, Grid, HeatMap, Levels, PlotResult, Px, colour_bar, contour, draw_segments, framed, heat_map,
    power_of_ten, svg,
};

/// The segments of one contour.
type Segments = Vec<[(f64, f64); 2]>;

/// The colour bands of the heat map.
const LEVELS: Levels = Levels { count: 48 };
/// The label text size, and a generous width per character, in picture pixels.
const LABEL: (u32, f64) = (15, 8.6);

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

/// The whole powers of ten strictly inside `(lo, hi)` (in log10 units).
pub fn decades(lo: f64, hi: f64) -> Vec<i32> {
    if !(lo.is_finite() && hi.is_finite()) {
        return Vec::new();
    }
    let first = lo.floor() as i32 + 1;
    (first..).take_while(|&e| f64::from(e) < hi).take(40).collect()
}

/// A loss level of the contours and the colour bar: `m × 10^e`.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Level {
    pub m: u8,
    pub e: i32,
}

impl Level {
    /// Its log10.
    pub fn log(self) -> f64 {
        f64::from(self.m).log10() + f64::from(self.e)
    }

    /// As a learner reads it: `10⁻³`, or `0.2` (`2×10⁻⁴` below 0.001).
    pub fn label(self) -> String {
        match (self.m, self.e) {
            (1, e) => power_of_ten(e),
            (m, e) if e >= -3 => shortest(f64::from(m) * 10f64.powi(e)),
            (m, e) => format!("{m}×{}", power_of_ten(e)),
        }
    }
}

/// The levels strictly inside `(lo, hi)` (log10 units): the whole powers of ten
/// when there are at least two, else 1, 2 and 5 times them, else 1 to 9 times them.
pub fn levels(lo: f64, hi: f64) -> Vec<Level> {
    let powers = decades(lo - 1.0, hi + 1.0);
    let with = |ms: &[u8]| -> Vec<Level> {
        let all = powers.iter().flat_map(|&e| ms.iter().map(move |&m| Level { m, e }));
        all.filter(|l| l.log() > lo && l.log() < hi).collect()
    };
    [&[1][..], &[1, 2, 5], &[1, 2, 3, 4, 5, 6, 7, 8, 9]]
        .into_iter()
        .map(with)
        .find(|l| l.len() >= 2)
        .unwrap_or_else(|| with(&[1, 2, 3, 4, 5, 6, 7, 8, 9]))
}

/// The picture of `f`.
pub fn plot(f: &Findings) -> Result<String> {
    let logs: Vec<Vec<f64>> = f.picture.iter().map(|row| row.iter().map(|l| l.max(1e-300).log10()).collect()).collect();
    let (lo, hi) = logs.iter().flatten().fold((f64::INFINITY, f64::NEG_INFINITY), |(a, b), &v| (a.min(v), b.max(v)));
    let span = (hi - lo).max(1e-9);
    svg((1000, 680), |root, px| {
        let title =
            format!("Loss landscape L(w1, w3), w2 = {} (its final value); seed 1, one layer", fixed(f.final_w2, 3));
        let root = root.titled(&title, px.font(21))?;
        let (note, body) = root.split_vertically(px.size(26));
        let text = "black line: the training path of (w1, w3), marked at t = 0, 1, 10, …; white lines: equal loss L";
        note.draw(&Text::new(text, px.at((500, 11)), px.centred(15).color(&BLACK.mix(0.75))))?;
        let (main, bar) = body.split_horizontally(px.size(870));
        let frame = Frame {
            x_desc: "w1 (weight of x1)",
            y_desc: "w3 (weight of the bias input)",
            grid: Grid::None,
            margin: [8, 12, 10, 10],
            ..Frame::default()
        };
        let mut chart = framed(&main, px, &frame, f.w1_range.0..f.w1_range.1, f.w3_range.0..f.w3_range.1)?;
        let t = |c: usize, r: usize| (logs[r][c] - lo) / span;
        let map = HeatMap {
            cols: PICTURE_W1,
            rows: PICTURE_W3,
            x: f.w1_range,
            y: f.w3_range,
            t: &t,
            levels: LEVELS,
            colour: &ramp,
        };
        heat_map(&mut chart, px, &map)?;
        let xs: Vec<f64> = (0..PICTURE_W1).map(|c| cell_centre(f.w1_range, PICTURE_W1, c)).collect();
        let ys: Vec<f64> = (0..PICTURE_W3).map(|r| cell_centre(f.w3_range, PICTURE_W3, r)).collect();
        let mut labels = Labels::new(&chart, px, f);
        let lines: Vec<(Level, Segments)> =
            levels(lo, hi).into_iter().map(|l| (l, contour(&xs, &ys, &|c, r| logs[r][c], l.log()))).collect();
        for (_, segments) in &lines {
            draw_segments(&mut chart, segments, px.line(WHITE.mix(0.85), 1))?;
        }
        for (e, segments) in &lines {
            let candidates: Vec<(f64, f64)> =
                segments.iter().step_by(3).map(|s| ((s[0].0 + s[1].0) / 2.0, (s[0].1 + s[1].1) / 2.0)).collect();
            labels.contour_label(&mut chart, &candidates, &e.label())?;
        }
        draw_path(&mut chart, px, f, &mut labels)?;
        draw_bar(&bar, px, lo, hi)
    })
}

/// Label boxes placed on the chart so far, and what they must not cover, in canvas pixels.
struct Labels {
    px: Px,
    /// The plotting area: left, top, right, bottom.
    area: [f64; 4],
    /// The path, densified to a point every few pixels.
    path: Vec<(f64, f64)>,
    placed: Vec<[f64; 4]>,
}

impl Labels {
    fn new<X, Y>(chart: &Chart<'_, '_, X, Y>, px: Px, f: &Findings) -> Labels
    where
        X: Ranged<ValueType = f64>,
        Y: Ranged<ValueType = f64>,
    {
        let at = |p: (f64, f64)| {
            let (x, y) = chart.backend_coord(&p);
            (f64::from(x), f64::from(y))
        };
        let (a, b) = (at((f.w1_range.0, f.w3_range.1)), at((f.w1_range.1, f.w3_range.0)));
        let points: Vec<(f64, f64)> =
            f.path.iter().filter(|p| p.w[0].is_finite() && p.w[2].is_finite()).map(|p| at((p.w[0], p.w[2]))).collect();
        let step = f64::from(px.of(3));
        let mut path = Vec::new();
        for w in points.windows(2) {
            let n = ((w[1].0 - w[0].0).hypot(w[1].1 - w[0].1) / step).ceil().clamp(1.0, 1e4) as usize;
            path.extend((0..n).map(|k| {
                let s = k as f64 / n as f64;
                (w[0].0 + s * (w[1].0 - w[0].0), w[0].1 + s * (w[1].1 - w[0].1))
            }));
        }
        path.extend(points.last());
        Labels { px, area: [a.0, a.1, b.0, b.1], path, placed: Vec::new() }
    }

    /// The size of a label box for `text`, in canvas pixels.
    fn size(&self, text: &str) -> (f64, f64) {
        let k = f64::from(self.px.of(1));
        ((LABEL.1 * text.chars().count() as f64 + 8.0) * k, (f64::from(LABEL.0) + 6.0) * k)
    }

    /// What a box costs: leaving the chart, covering the path, covering a placed label;
    /// less the clearance from the path, up to 40 pixels.
    fn cost(&self, b: [f64; 4]) -> f64 {
        let k = f64::from(self.px.of(1));
        let [l, t, r, bo] = self.area;
        let outside = (l - b[0]).max(0.0) + (b[2] - r).max(0.0) + (t - b[1]).max(0.0) + (b[3] - bo).max(0.0);
        let pad = 4.0 * k;
        let covered = self
            .path
            .iter()
            .filter(|p| p.0 > b[0] - pad && p.0 < b[2] + pad && p.1 > b[1] - pad && p.1 < b[3] + pad)
            .count();
        let overlap: f64 = self
            .placed
            .iter()
            .map(|o| ((b[2].min(o[2]) - b[0].max(o[0])).max(0.0)) * ((b[3].min(o[3]) - b[1].max(o[1])).max(0.0)))
            .sum();
        let (cx, cy) = ((b[0] + b[2]) / 2.0, (b[1] + b[3]) / 2.0);
        let clearance =
            self.path.iter().map(|p| (p.0 - cx).hypot(p.1 - cy)).fold(f64::INFINITY, f64::min).min(40.0 * k);
        1e6 * outside + 1e4 * covered as f64 + 10.0 * overlap - clearance
    }

    /// The cheapest of `boxes` (the first on a tie), now placed.
    fn choose(&mut self, boxes: impl IntoIterator<Item = [f64; 4]>) -> Option<[f64; 4]> {
        let best = boxes.into_iter().map(|b| (self.cost(b), b)).min_by(|a, b| a.0.total_cmp(&b.0)).map(|(_, b)| b)?;
        self.placed.push(best);
        Some(best)
    }

    /// A contour's label, centred on the best of its `candidates` (plane coordinates).
    fn contour_label<X, Y>(
        &mut self,
        chart: &mut Chart<'_, '_, X, Y>,
        candidates: &[(f64, f64)],
        text: &str,
    ) -> PlotResult
    where
        X: Ranged<ValueType = f64>,
        Y: Ranged<ValueType = f64>,
    {
        let (w, h) = self.size(text);
        let boxes: Vec<[f64; 4]> = candidates
            .iter()
            .map(|&p| {
                let (x, y) = chart.backend_coord(&p);
                let (x, y) = (f64::from(x), f64::from(y));
                [x - w / 2.0, y - h / 2.0, x + w / 2.0, y + h / 2.0]
            })
            .collect();
        match self.choose(boxes) {
            Some(b) => self.draw_box(chart, b, text),
            None => Ok(()),
        }
    }

    /// A mark's label beside the point `at` (plane coordinates), on its best side.
    fn mark_label<X, Y>(&mut self, chart: &mut Chart<'_, '_, X, Y>, at: (f64, f64), text: &str) -> PlotResult
    where
        X: Ranged<ValueType = f64>,
        Y: Ranged<ValueType = f64>,
    {
        let (w, h) = self.size(text);
        let (x, y) = chart.backend_coord(&at);
        let (x, y) = (f64::from(x), f64::from(y));
        let r = f64::from(self.px.of(9));
        // Top-left corners: upper right, lower left, right, left, above, below, upper left, lower right.
        let corners = [
            (x + 0.7 * r, y - 0.7 * r - h),
            (x - 0.7 * r - w, y + 0.7 * r),
            (x + r, y - h / 2.0),
            (x - r - w, y - h / 2.0),
            (x - w / 2.0, y - r - h),
            (x - w / 2.0, y + r),
            (x - 0.7 * r - w, y - 0.7 * r - h),
            (x + 0.7 * r, y + 0.7 * r),
        ];
        // Clearance from the path does not count for a mark (it sits on the path).
        let boxes = corners.map(|(l, t)| [l, t, l + w, t + h]);
        let best = boxes
            .iter()
            .map(|&b| (self.cost(b) + self.clearance_bonus(b), b))
            .min_by(|a, b| a.0.total_cmp(&b.0))
            .map(|(_, b)| b);
        if let Some(b) = best {
            self.placed.push(b);
            self.draw_box(chart, b, text)?;
        }
        Ok(())
    }

    /// The clearance that [`Labels::cost`] subtracted, given back.
    fn clearance_bonus(&self, b: [f64; 4]) -> f64 {
        let k = f64::from(self.px.of(1));
        let (cx, cy) = ((b[0] + b[2]) / 2.0, (b[1] + b[3]) / 2.0);
        self.path.iter().map(|p| (p.0 - cx).hypot(p.1 - cy)).fold(f64::INFINITY, f64::min).min(40.0 * k)
    }

    /// A white box with `text` in it, at canvas pixels `b`.
    fn draw_box<X, Y>(&self, chart: &mut Chart<'_, '_, X, Y>, b: [f64; 4], text: &str) -> PlotResult
    where
        X: Ranged<ValueType = f64>,
        Y: Ranged<ValueType = f64>,
    {
        let area = chart.plotting_area();
        let (ox, oy) = area.get_base_pixel();
        let (l, t, r, bo) = (b[0] as i32 - ox, b[1] as i32 - oy, b[2] as i32 - ox, b[3] as i32 - oy);
        let k = self.px.of(1);
        let root = area.strip_coord_spec();
        root.draw(&Rectangle::new([(l, t), (r, bo)], WHITE.mix(0.88).filled()))?;
        root.draw(&Text::new(text.to_owned(), (l + 4 * k, t + 2 * k), self.px.font(LABEL.0)))?;
        Ok(())
    }
}

/// The path of `(w1, w3)` (black on a white casing) and its marks, labelled `t = …`.
fn draw_path<X, Y>(chart: &mut Chart<'_, '_, X, Y>, px: Px, f: &Findings, labels: &mut Labels) -> PlotResult
where
    X: Ranged<ValueType = f64>,
    Y: Ranged<ValueType = f64>,
{
    let path: Vec<(f64, f64)> = f.path.iter().map(|p| (p.w[0], p.w[2])).collect();
    chart.draw_series(LineSeries::new(path.clone(), px.line(WHITE, 6)))?;
    chart.draw_series(LineSeries::new(path, px.line(BLACK, 2)))?;
    for p in f.path.iter().filter(|p| p.mark) {
        let at = (p.w[0], p.w[2]);
        chart.draw_series([
            Circle::new(at, px.size(5), WHITE.filled()),
            Circle::new(at, px.size(5), px.line(BLACK, 2)),
        ])?;
    }
    for p in f.path.iter().filter(|p| p.mark) {
        labels.mark_label(chart, (p.w[0], p.w[2]), &format!("t = {}", p.iteration))?;
    }
    Ok(())
}

/// The colour bar: `L` from `10^lo` to `10^hi`, ticks at the contours' [`levels`].
fn draw_bar(bar: &Area<'_>, px: Px, lo: f64, hi: f64) -> PlotResult {
    let hi = hi.max(lo + 1e-9);
    let frame = Frame {
        y_desc: "loss L",
        y_ticks: Some(&|_| String::new()),
        y_labels: Some(2),
        grid: Grid::None,
        x_axis: false,
        margin: [12, 22, 60, 0],
        x_area: 0,
        y_area: 70,
        ..Frame::default()
    };
    let mut scale = framed(bar, px, &frame, 0.0..1.0, lo..hi)?;
    colour_bar(&mut scale, px, (lo, hi), LEVELS, &ramp)?;
    let style = TextStyle::from(px.font(14)).pos(Pos::new(HPos::Right, VPos::Center));
    for level in levels(lo, hi) {
        // In the whole bar column's pixels: the plotting area would clamp a label left of it.
        let (x, y) = scale.backend_coord(&(0.0, level.log()));
        let (ox, oy) = bar.get_base_pixel();
        let (x, y) = (x - ox, y - oy);
        bar.draw(&PathElement::new(vec![(x - px.of(6), y), (x, y)], px.line(BLACK, 1)))?;
        bar.draw(&Text::new(level.label(), (x - px.of(9), y), style.clone()))?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn contours_at_the_whole_decades_inside_the_range() {
        assert_eq!(decades(-5.2, -0.3), vec![-5, -4, -3, -2, -1]);
        assert_eq!(decades(-3.0, -1.0), vec![-2], "the ends are not inside");
        assert_eq!(decades(-0.9, -0.1), Vec::<i32>::new());
        assert_eq!(decades(f64::NEG_INFINITY, 0.5), Vec::<i32>::new());
    }

    #[test]
    fn levels_fall_back_to_finer_steps_in_a_short_range() {
        let l = |m, e| Level { m, e };
        // Five decades: the powers of ten.
        assert_eq!(levels(-5.2, -0.3), [-5, -4, -3, -2, -1].map(|e| l(1, e)));
        // L from 0.15 to 0.6 (log10 −0.82 … −0.22): 0.2 and 0.5.
        assert_eq!(levels(0.15f64.log10(), 0.6f64.log10()), [l(2, -1), l(5, -1)]);
        // L from 0.21 to 0.45: 0.3 and 0.4.
        assert_eq!(levels(0.21f64.log10(), 0.45f64.log10()), [l(3, -1), l(4, -1)]);
        assert!(levels(f64::NAN, 1.0).is_empty());
    }

    #[test]
    fn levels_read_as_numbers() {
        assert_eq!(Level { m: 1, e: -3 }.label(), "10⁻³");
        assert_eq!(Level { m: 2, e: -1 }.label(), "0.2");
        assert_eq!(Level { m: 5, e: -3 }.label(), "0.005");
        assert_eq!(Level { m: 5, e: -4 }.label(), "5×10⁻⁴");
    }
}
